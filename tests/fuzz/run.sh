#!/usr/bin/env bash
# run.sh - builds the libFuzzer harnesses with clang and runs each for a while.
#
# usage: tests/fuzz/run.sh [-b BUILD_DIR] [SECONDS [TARGET...]]
#   SECONDS  time per fuzzer (default 60)
#   TARGET   net dns textlog pcap (default: all)
#   -b DIR   build directory (default build-fuzz at the top of the tree)
#
# The seed corpus (tests/fuzz/corpus/<target>) is copied into BUILD_DIR/corpus/<target>,
# which grows between runs; the seeds themselves are not touched. A crashing, leaking
# or timing-out input is copied to tests/regress/<target>-<kind>-<sha1>.bin, where the
# replay test (ctest -R fuzz/) picks it up; the script then exits 1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-fuzz"
while getopts "b:" opt; do
	case $opt in
	b) build=$OPTARG ;;
	*) sed -n '2,12p' "$0" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(net dns textlog pcap pdfread cms tar case template)

cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cc" ]; then
	echo "run.sh: clang not found (Debian: apt-get install clang libfuzzer-14-dev)" >&2
	exit 1
fi

echo "== building the fuzzers with $cc in $build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DTL_FUZZ=ON -DTL_TESTS=ON >/dev/null
cmake --build "$build" -j2 --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

mkdir -p "$root/tests/regress"
found=0
for t in "${targets[@]}"; do
	corpus="$build/corpus/$t"
	art="$build/artifacts/$t"
	mkdir -p "$corpus" "$art"
	cp -n "$here/corpus/$t/"* "$corpus/" 2>/dev/null || true
	echo "== fuzz_$t for ${secs}s (corpus $corpus)"
	set +e
	# -rss_limit_mb: the reader's caps must hold memory down even on hostile input.
	"$build/tests/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$art/" "$corpus" \
		"$here/corpus/$t" 2>"$build/fuzz_$t.log"
	rc=$?
	set -e
	grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
		"$build/fuzz_$t.log" || true
	for a in "$art"/*; do
		[ -e "$a" ] || continue
		kind=$(basename "$a" | cut -d- -f1)
		sum=$(sha1sum "$a" | cut -c1-12)
		dest="$root/tests/regress/$t-$kind-$sum.bin"
		mv "$a" "$dest"
		echo "   $kind: $dest"
		found=1
	done
	if [ $rc -ne 0 ]; then
		echo "   fuzz_$t stopped with status $rc; log: $build/fuzz_$t.log"
		grep -m1 -A30 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' \
			"$build/fuzz_$t.log" || true
		found=1
	fi
done
exit $found
