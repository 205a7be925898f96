#!/usr/bin/env bash
# analysis.sh - time and peak memory of `tealeaves analyze` at HEAD against another
# revision, on the same large variant of the sample case, in the same run (the machines
# are shared and noisy: the figure that counts is the ratio).
#
# usage: bench/analysis.sh [-r REV] [-n RUNS] [FACTOR]
#   -r REV   the revision to compare with (default HEAD~1)
#   -n RUNS  runs of each, alternating; the fastest of each is kept (default 3)
#   FACTOR   mkcase --large FACTOR (default 3)
# Builds HEAD in Release under bench/build-analysis-head and REV in a temporary
# directory; needs GNU time
# (/usr/bin/time, Debian package "time").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rev=HEAD~1
runs=3
while getopts "r:n:" opt; do
	case $opt in
	r) rev=$OPTARG ;;
	n) runs=$OPTARG ;;
	*) sed -n '2,11p' "$0" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
factor=${1:-3}
if [ ! -x /usr/bin/time ]; then
	echo "analysis.sh: /usr/bin/time (GNU time) is missing; apt-get install time" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl-bench.XXXXXX")
trap 'git -C "$root" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

echo "== building HEAD and $rev (Release)"
git -C "$root" worktree add --detach -q "$tmp/src" "$rev"
cmake -S "$root" -B "$here/build-analysis-head" -DCMAKE_BUILD_TYPE=Release -DTL_TESTS=OFF >/dev/null
cmake --build "$here/build-analysis-head" -j2 --target tealeaves mkcase >/dev/null
cmake -S "$tmp/src" -B "$tmp/build-rev" -DCMAKE_BUILD_TYPE=Release -DTL_TESTS=OFF >/dev/null
cmake --build "$tmp/build-rev" -j2 --target tealeaves >/dev/null

echo "== case: mkcase --large $factor"
"$here/build-analysis-head/tools/mkcase/mkcase" --large "$factor" "$tmp/case" 2>/dev/null
msgs=$("$here/build-analysis-head/tealeaves" inspect --json "$tmp"/case/sensor*.pcap* |
	awk '/^      "messages": \{/ { m = 1; next } m && /"total": / { gsub(/,/, "", $2); s += $2; m = 0 } END { print s }')
echo "   $msgs DNS messages in the captures"

best() { sort -n | head -1; }
declare -a th tr mh mr
for i in $(seq 1 "$runs"); do
	for which in head rev; do
		/usr/bin/time -f "%e %M" -o "$tmp/t" \
			"$([ "$which" = head ] && echo "$here/build-analysis-head" || echo "$tmp/build-rev")/tealeaves" \
			analyze "$tmp/case/case.ini" \
			-o "$tmp/f-$which.json" --threads 1
		read -r sec kb < "$tmp/t"
		if [ "$which" = head ]; then th+=("$sec"); mh+=("$kb"); else tr+=("$sec"); mr+=("$kb"); fi
	done
done
h=$(printf '%s\n' "${th[@]}" | best)
r=$(printf '%s\n' "${tr[@]}" | best)
hm=$(printf '%s\n' "${mh[@]}" | sort -n | tail -1)
rm_=$(printf '%s\n' "${mr[@]}" | sort -n | tail -1)
echo "== analyze, 1 thread, fastest of $runs"
printf '   %-10s %8s s  %8s MiB\n' "HEAD" "$h" "$(awk -v k="$hm" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '   %-10s %8s s  %8s MiB\n' "$rev" "$r" "$(awk -v k="$rm_" 'BEGIN { printf "%.1f", k / 1024 }')"
awk -v h="$h" -v r="$r" -v hm="$hm" -v rm="$rm_" \
	'BEGIN { printf "   ratio HEAD / %s: time %.2f, peak memory %.2f\n", "rev", h / r, hm / rm }'
