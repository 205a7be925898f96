#!/usr/bin/env bash
# run.sh - throughput and memory of tealeaves on a large synthetic capture, with tshark
# on the same file for comparison.
#
# usage: bench/run.sh [-b BUILD_DIR] [-k] [-T] [-P PROFILE] [MESSAGES...]
#   -b DIR   use (or make) this build directory (default bench/build-release)
#   -k       keep the generated captures (their directory is printed)
#   -T       skip tshark
#   -P NAME  one traffic profile of mkbench, resolver or authoritative (default: both)
#   MESSAGES sizes to generate, in DNS messages (default: 1000000 5000000). Running
#            two sizes shows whether peak memory depends on the file's size.
#
# Needs GNU time (/usr/bin/time, Debian package "time") for wall time and peak RSS.
# The machine's other load shows in the figures: run it on a quiet machine, and
# read the figures of one run as indicative only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$here/build-release"
keep=0
tshark=1
profiles=(resolver authoritative)
while getopts "b:kTP:" opt; do
	case $opt in
	b) build=$OPTARG ;;
	k) keep=1 ;;
	T) tshark=0 ;;
	P) profiles=("$OPTARG") ;;
	*) sed -n '2,14p' "$0" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 5000000)

if [ ! -x /usr/bin/time ]; then
	echo "run.sh: /usr/bin/time (GNU time) is missing; install it with: apt-get install time" >&2
	exit 1
fi
if [ "$tshark" = 1 ] && ! command -v tshark >/dev/null; then
	echo "run.sh: tshark not found; skipping the comparison (install tshark, or pass -T)" >&2
	tshark=0
fi

echo "== building tealeaves and mkbench (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTL_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target tealeaves mkbench bareread >/dev/null
tl="$build/tealeaves"
mk="$build/bench/mkbench"
bare="$build/bench/bareread"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl-bench.XXXXXX")
if [ "$keep" = 1 ]; then
	echo "== captures kept in $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi

# measure NAME MESSAGES BYTES CMD... : runs CMD (stdout to /dev/null) under GNU time,
# prints one result line and remembers wall seconds and peak KiB in $wall and $rss.
measure() {
	local name=$1 msgs=$2 bytes=$3
	shift 3
	local tv="$tmp/time.txt"
	if ! /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$tmp/stderr.txt"; then
		echo "run.sh: '$*' failed:" >&2
		cat "$tmp/stderr.txt" >&2
		exit 1
	fi
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		print s }' "$tv")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
	local cpu
	cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$tv")
	awk -v n="$name" -v m="$msgs" -v b="$bytes" -v w="$wall" -v r="$rss" -v c="$cpu" 'BEGIN {
		if (w <= 0) w = 0.01
		printf "  %-34s %8.2f s wall %8.2f s cpu %10.0f msg/s %8.1f MB/s %8.1f MiB peak\n",
			n, w, c, m / w, b / w / 1e6, r / 1024 }'
}

declare -A peak
summary=()
rows=()
for prof in "${profiles[@]}"; do
for n in "${sizes[@]}"; do
	f="$tmp/bench-$prof-$n.pcap"
	echo "== generating $n messages, $prof profile"
	"$mk" -p "$prof" -n "$n" -o "$f" 2>"$tmp/mkbench.txt"
	cat "$tmp/mkbench.txt"
	msgs=$(sed -n 's/^mkbench: \([0-9]*\) DNS messages.*/\1/p' "$tmp/mkbench.txt")
	bytes=$(stat -c %s "$f")
	echo "   file: $f, $((bytes / 1000000)) MB"

	# Sanity: tealeaves must see every message mkbench wrote.
	"$tl" inspect --json "$f" >"$tmp/inspect.json"
	# (the first "total" after "messages", and after "anomalies"; pretty or compact JSON)
	jtotal() {
		tr ',{' '\n\n' <"$tmp/inspect.json" |
			awk -v k="\"$1\"" 'index($0, k) { m = 1 } m && /"total"/ {
				gsub(/[^0-9]/, ""); print; exit }'
	}
	seen=$(jtotal messages)
	anom=$(jtotal anomalies)
	if [ "${seen:-}" != "$msgs" ]; then
		echo "   WARNING: tealeaves inspect counted ${seen:-?} messages, mkbench wrote $msgs"
	else
		echo "   tealeaves inspect: all $seen messages seen, ${anom:-?} anomalies"
	fi

	echo "-- $prof, $n messages"
	rows+=("$prof-$n")
	# the limit: libpcap and a bounded walk of every header, name and RR header, measured
	# in the same run so that the machine's load cancels out of the shares below
	"$bare" "$f" | sed 's/^/   /'
	measure "bare read (libpcap + DNS walk)" "$msgs" "$bytes" "$bare" "$f"
	bare_wall=$wall
	measure "tealeaves records (jsonl)" "$msgs" "$bytes" "$tl" records "$f"
	tl_wall=$wall
	peak["records-$prof-$n"]=$rss
	measure "tealeaves records --format tsv" "$msgs" "$bytes" "$tl" records --format tsv "$f"
	tsv_wall=$wall
	peak["tsv-$prof-$n"]=$rss
	measure "tealeaves inspect" "$msgs" "$bytes" "$tl" inspect "$f"
	peak["inspect-$prof-$n"]=$rss
	inspect_wall=$wall
	# analyze: a case around the capture whose target is its most asked name
	target=$("$tl" records --format tsv "$f" |
		awk -F'\t' 'NR > 1 && $8 == 0 { n[$13]++ } END { for (k in n) print n[k], k }' |
		sort -k1,1nr -k2 | awk 'NR == 1 { print $2 }')
	printf '[case]\nnumber = BENCH\ntitle = Benchmark\n\n[evidence]\none = %s\n\n[target]\nnames = %s\n' \
		"$f" "$target" >"$tmp/case.ini"
	measure "tealeaves analyze (1 thread)" "$msgs" "$bytes" "$tl" analyze "$tmp/case.ini" \
		--threads 1 -o "$tmp/findings.json"
	peak["analyze-$prof-$n"]=$rss
	analyze_wall=$wall
	summary+=("$(awk -v n="$prof, $n" -v b="$bare_wall" -v a="$tl_wall" -v t="$tsv_wall" \
		-v i="$inspect_wall" -v z="$analyze_wall" 'BEGIN {
		printf "  %s messages: share of the bare-read limit: records %.0f%%, tsv %.0f%%, inspect %.0f%%, analyze %.0f%%",
			n, 100 * b / a, 100 * b / t, 100 * b / i, 100 * b / z }')")
	if [ "$tshark" = 1 ]; then
		measure "tshark -T fields (4 fields)" "$msgs" "$bytes" tshark -r "$f" -T fields \
			-e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.id
		peak["tshark-$prof-$n"]=$rss
		summary+=("$(awk -v n="$prof, $n" -v a="$tl_wall" -v b="$tsv_wall" -v t="$wall" 'BEGIN {
			printf "  %s messages: tshark wall / tealeaves wall = %.1fx (jsonl), %.1fx (tsv)",
				n, t / a, t / b }')")
	fi
	[ "$keep" = 1 ] || rm -f "$f"
done
done

echo "== peak memory by profile and size (MiB)"
printf "  %-24s" "profile-messages"
for k in records tsv inspect analyze tshark; do printf " %10s" "$k"; done
echo
for row in "${rows[@]}"; do
	printf "  %-24s" "$row"
	for k in records tsv inspect analyze tshark; do
		v=${peak["$k-$row"]:-}
		if [ -n "$v" ]; then printf " %10.1f" "$(awk -v r="$v" 'BEGIN { print r / 1024 }')"
		else printf " %10s" "-"; fi
	done
	echo
done
if [ ${#summary[@]} -gt 0 ]; then
	echo "== speed ratios"
	printf '%s\n' "${summary[@]}"
fi
