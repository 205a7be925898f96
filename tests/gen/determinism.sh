#!/usr/bin/env bash
# determinism.sh - tlgen must write the same bytes every time (also in --samples mode).
# samples/ is now the sample case written by tools/mkcase; tests/case/ checks it.
# Usage: determinism.sh TLGEN SCRATCHDIR [SAMPLESDIR, unused]
set -euo pipefail
tlgen=$1 scratch=$2
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
[ "$fail" = 0 ] && echo "ok: $n test files and $(ls -A "$scratch/sa" | wc -l) --samples files, byte-identical"
exit "$fail"
