#!/usr/bin/env bash
# provenance.sh - time and peak memory of report, verify and bundle on a large variant
# of the sample case.
#
# usage: bench/provenance.sh [-b BUILD_DIR] [-k] [FACTOR]
#   -b DIR   use (or make) this build directory (default bench/build-release)
#   -k       keep the generated case (its directory is printed)
#   FACTOR   mkcase --large FACTOR (default 3; 1 is the sample case itself)
#
# verify reads every input twice (once to check its SHA-256 before anything else,
# once for the analysis run again) and makes the report again, so it should take
# about as long as report plus one more read of the inputs.
# Needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$here/build-release"
keep=0
while getopts "b:k" opt; do
	case $opt in
	b) build=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '2,13p' "$0" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
factor=${1:-3}

if [ ! -x /usr/bin/time ]; then
	echo "provenance.sh: /usr/bin/time (GNU time) is missing; apt-get install time" >&2
	exit 1
fi
echo "== building tealeaves and mkcase (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTL_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target tealeaves mkcase >/dev/null
tl="$build/tealeaves"
mk="$build/tools/mkcase/mkcase"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl-prov.XXXXXX")
if [ "$keep" = 1 ]; then
	echo "== case kept in $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
"$mk" --large "$factor" "$tmp/case" >/dev/null 2>&1
bytes=$(cat "$tmp"/case/sensor*-ns?.pcap* | wc -c)
echo "== case: mkcase --large $factor, $(ls "$tmp"/case/sensor*-ns?.pcap* | wc -l) captures," \
	"$bytes bytes"

# measure NAME CMD...: runs CMD under GNU time; prints wall time and peak RSS
measure() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
		echo "$name failed:"
		cat "$tmp/out" "$tmp/err"
		exit 1
	}
	read -r wall kib <"$tmp/time"
	printf "%-34s %8.2f s %10.1f MiB\n" "$name" "$wall" "$(echo "$kib / 1024" | bc -l)"
}
printf "%-34s %10s %14s\n" "command" "wall" "peak RSS"
measure "analyze (1 thread)" "$tl" analyze "$tmp/case/case.ini" --threads 1 -o "$tmp/f.json"
measure "report (1 thread)" "$tl" report "$tmp/case/case.ini" --threads 1 -o "$tmp/r.pdf"
measure "verify report.pdf (1 thread)" "$tl" verify "$tmp/r.pdf" --threads 1
measure "bundle" "$tl" bundle "$tmp/case/case.ini" --threads 1 -o "$tmp/case.tar"
measure "verify case.tar (1 thread)" "$tl" verify "$tmp/case.tar" --threads 1
echo "== bundle: $(stat -c %s "$tmp/case.tar") bytes"
