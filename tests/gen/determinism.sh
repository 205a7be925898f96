#!/usr/bin/env bash
# determinism.sh - tlgen must write the same bytes every time, and the committed
# samples/ must be exactly what `tlgen --samples` writes.
# Usage: determinism.sh TLGEN SCRATCHDIR SAMPLESDIR
set -euo pipefail
tlgen=$1 scratch=$2 samples=$3
rm -rf "$scratch"
mkdir -p "$scratch"
"$tlgen" "$scratch/a"
"$tlgen" "$scratch/b"
"$tlgen" --samples "$scratch/sa"
"$tlgen" --samples "$scratch/sb"
fail=0
same_dirs() { # same_dirs DIR1 DIR2: same file names, same bytes
	local f
	if ! diff <(cd "$1" && ls -A) <(cd "$2" && ls -A); then
		echo "FAIL: $1 and $2 hold different files"
		fail=1
		return
	fi
	for f in $(cd "$1" && ls -A); do
		cmp "$1/$f" "$2/$f" || fail=1
	done
}
same_dirs "$scratch/a" "$scratch/b"
same_dirs "$scratch/sa" "$scratch/sb"
n=$(ls -A "$scratch/a" | wc -l)
if [ "$n" -lt 30 ]; then
	echo "FAIL: only $n files generated"
	fail=1
fi
# samples/ also holds README.md, which tlgen does not write
for f in $(cd "$scratch/sa" && ls -A); do
	cmp "$scratch/sa/$f" "$samples/$f" || fail=1
done
for f in $(cd "$samples" && ls -A); do
	[ "$f" = README.md ] || [ -e "$scratch/sa/$f" ] || { echo "FAIL: samples/$f not made by tlgen"; fail=1; }
done
[ "$fail" = 0 ] && echo "ok: $n test files and $(ls -A "$scratch/sa" | wc -l) samples, byte-identical"
exit "$fail"
