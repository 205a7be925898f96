#!/usr/bin/env bash
# trace.sh - every count of lookups in the findings can be listed record by record:
# `tealeaves records --case CASE --target` with the matching filter prints exactly as
# many records as the findings count, for every source, every organisation and every
# event window of the sample case.
# Usage: trace.sh TEALEAVES CASE_FILE SCRATCH_DIR
set -euo pipefail
tl=$1 case=$2 scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
"$tl" analyze "$case" -o "$scratch/f.json"
f=$scratch/f.json
fail=0 n=0
check() { # what expected command...
	local what=$1 want=$2
	shift 2
	local got
	got=$("$@" | wc -l)
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok    $what: findings $want, records $got"
	else
		echo "FAIL  $what: findings $want, records $got"
		fail=1
	fi
}
while IFS=$'\t' read -r src count; do
	check "source $src" "$count" "$tl" records --case "$case" --target --source "$src"
done < <(jq -r '.profile.sources.items[] | [.source, .lookups] | @tsv' "$f")
while IFS=$'\t' read -r org count; do
	check "organisation $org" "$count" "$tl" records --case "$case" --target --org "$org"
done < <(jq -r '.profile.organisations.items[] | [.organisation, .lookups] | @tsv' "$f")
while IFS=$'\t' read -r from to count; do
	check "event window $from to $to" "$count" \
		"$tl" records --case "$case" --target --from "$from" --to "$to"
done < <(jq -r '.events.tests.items[] | select(.status == "testable") |
		[.records.from, .records.to, .observed] | @tsv' "$f")
sightings=$(jq -r '.lookups.sightings' "$f")
check "all sightings, duplicates included" "$sightings" \
	"$tl" records --case "$case" --target --with-duplicates
[ "$n" -gt 10 ] || { echo "FAIL: only $n counts checked"; fail=1; }
[ $fail = 0 ] && echo "ok: $n counts traced to exactly their records"
exit $fail
