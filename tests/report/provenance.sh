#!/usr/bin/env bash
# provenance.sh - every statement the report makes about its manifest is checked against
# the manifest beside it: each file's name, size and SHA-256, the tzdata version and
# zones, the report ID, and which inputs had a hash taken at receipt (all of them in the
# sample; some of them, and none, in edited copies of it).
# Usage: provenance.sh TEALEAVES SOURCE_DIR SCRATCH_DIR
set -euo pipefail
tl=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
for t in jq pdftotext; do
	command -v "$t" >/dev/null || { echo "FAIL: $t is needed (apt-get install jq poppler-utils)"; exit 1; }
done
fail=0
checks=0
bad() { echo "FAIL: $*"; fail=1; }
# thousands separators as the report prints them: 2278606 -> 2,278,606
grouped() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
# has TEXT-FILE STRING WHAT: the text holds STRING exactly
has() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || bad "$3: '$2' is not in the report"
}

make_report() { # case-file out-stem
	"$tl" report "$1" -o "$2.pdf"
	pdftotext -layout "$2.pdf" "$2.txt"
	# sentences wrap: the same text on one line, runs of spaces as one
	pdftotext "$2.pdf" - | tr -s ' \n' '  ' >"$2.flat"
}

# ---- the sample: every file of the manifest, as the report states it ----
make_report "$src/samples/case.ini" "$scratch/sample"
m=$scratch/sample.pdf.manifest.json
t=$scratch/sample.txt
id=$(sha256sum "$m" | cut -d' ' -f1)
has "$t" "Report ID ${id:0:12}" "the report ID"
has "$t" "$id" "the manifest's SHA-256"

# the evidence: section 2 gives each input's label, size and hash
while IFS=$'\t' read -r label name size sha; do
	has "$t" "$sha" "SHA-256 of input $label"
	has "$t" "$(grouped "$size") byte" "size of input $label"
	has "$t" "$name" "name of input $label"
done < <(jq -r '.inputs[] | [.label, .name, .size, .sha256] | @tsv' "$m")

# every other file: section 7 lists it as "name (size bytes)" and its SHA-256
n_files=0
while IFS=$'\t' read -r name size sha; do
	has "$t" "$name ($(grouped "$size") bytes)" "name and size of $name"
	has "$t" "$sha" "SHA-256 of $name"
	n_files=$((n_files + 1))
done < <(jq -r '[.case_file, .organisations, .mmdb, .events, .template] + .fonts +
	[.colour_profile] + (.timezone_data.zones // []) | .[] | select(. != null) |
	[.name, .size, .sha256] | @tsv' "$m")
# and nothing else: the report lists as many files as the manifest holds
listed=$(grep -cE '^SHA-256 +[0-9a-f]{64}$' "$t" || true)
n_inputs=$(jq '.inputs | length' "$m")
checks=$((checks + 1))
[ "$listed" = $((n_files + n_inputs)) ] ||
	bad "the report lists $listed SHA-256 rows; the manifest holds $n_files files and $n_inputs inputs"

# the organisations file's hash, in the method too, and never called not recorded
orgs_sha=$(jq -r '.organisations.sha256' "$m")
checks=$((checks + 1))
[ "$(grep -cF "$orgs_sha" "$t")" -ge 2 ] || bad "the method does not state the organisations file's SHA-256"
checks=$((checks + 1))
if grep -A2 'Attribution of addresses' "$t" | grep -q 'not recorded'; then
	bad "the method says the organisations file's hash is not recorded"
fi

# the tzdata version and zones
tzv=$(jq -r '.timezone_data.version' "$m")
checks=$((checks + 1))
[ -n "$tzv" ] && [ "$tzv" != null ] || bad "the manifest records no tzdata version"
has "$scratch/sample.flat" "tzdata $tzv, for the time zones America/New_York and Europe/Moscow" "tzdata version"
installed=$(sed -n '1s/^# version //p' "${TZDIR:-/usr/share/zoneinfo}/tzdata.zi")
checks=$((checks + 1))
[ "$tzv" = "$installed" ] || bad "manifest tzdata $tzv, installed $installed"
while IFS=$'\t' read -r zone sha; do
	checks=$((checks + 1))
	[ "$(sha256sum "${TZDIR:-/usr/share/zoneinfo}/$zone" | cut -d' ' -f1)" = "$sha" ] ||
		bad "zone $zone: the manifest's SHA-256 is not the installed file's"
done < <(jq -r '.timezone_data.zones[] | [.name, .sha256] | @tsv' "$m")
checks=$((checks + 1))
[ "$(jq -r '[.timezone_data.zones[].name] | join(",")' "$m")" = "America/New_York,Europe/Moscow" ] ||
	bad "the zones used are the sample's two organisation zones"

# hashes at receipt: the sample gives all three
given=$(jq '[.settings.evidence[] | select(.sha256 != null)] | length' "$m")
has "$scratch/sample.flat" "received; all $given matched the files read." "hashes at receipt (all)"
checks=$((checks + 1))
[ "$(grep -c 'Hash at receipt *given in the case file; the file read matches it' "$t")" = "$given" ] ||
	bad "not every input says its hash at receipt was given and matched"

# the chain of custody: each input's receipt as the manifest's settings record it
while IFS=$'\t' read -r label path received from by how sha; do
	checks=$((checks + 1))
	grep -A2 -E "^[0-9.]+ $label\$" "$t" | grep -qE "^File +$path\$" ||
		bad "custody: no heading and file row for input $label"
	for v in "$received" "$from" "$by" "$how"; do
		has "$scratch/sample.flat" "$v" "custody of $label"
	done
	checks=$((checks + 1))
	grep -qE "^Hash at receipt +$sha\$" "$t" || bad "custody: no hash at receipt $sha for $label"
done < <(jq -r '.settings.evidence[] | [.label, .path, .received, .received_from, .received_by,
	.received_how, .sha256] | @tsv' "$m")
has "$scratch/sample.flat" "The case file states every part of the receipt of each input." \
	"custody stated in full"
checks=$((checks + 1))
[ "$(grep -c '^Signature  *_\{20,\}' "$t")" = "$(jq '.settings.case.examiners | length' "$m")" ] ||
	bad "not one signature block per examiner"

# ---- some hashes at receipt, then none; and no zone but UTC ----
cp -r "$src/samples" "$scratch/case"
sed -i '/^sensor2\.sha256/d' "$scratch/case/case.ini"
make_report "$scratch/case/case.ini" "$scratch/some"
has "$scratch/some.flat" "for 2 of the 3 inputs (sensor1 and sensor3)" "hashes at receipt (some)"
has "$scratch/some.flat" "For sensor2 it gives none" "hashes at receipt (the input without)"
checks=$((checks + 1))
[ "$(grep -c 'Hash at receipt *none given in the case file' "$scratch/some.txt")" = 2 ] ||
	bad "sensor2 does not say that no hash at receipt was given"

sed -i '/^sensor[0-9]\.sha256/d; /^timezone\./d; /^sensor[0-9]\.received/d' "$scratch/case/case.ini"
make_report "$scratch/case/case.ini" "$scratch/none"
has "$scratch/none.flat" "The case file gives no hash taken when the evidence was received." \
	"hashes at receipt (none)"
checks=$((checks + 1))
[ "$(jq -c '.timezone_data' "$scratch/none.pdf.manifest.json")" = null ] ||
	bad "a case in UTC alone records time-zone data"
has "$scratch/none.flat" "none used: every time is shown in UTC" "no time-zone data"
has "$scratch/none.flat" "The case file states nothing of when, from whom or how the evidence was received." \
	"no custody stated"
checks=$((checks + 1))
[ "$(grep -c 'Received from  *not stated in the case file' "$scratch/none.txt")" = 3 ] ||
	bad "the custody table does not mark each receipt not stated"
checks=$((checks + 1))
[ "$(grep -c 'Hash at receipt  *none given in the case file' "$scratch/none.txt")" = 6 ] ||
	bad "section 2 and the custody table do not both say no hash at receipt was given"

[ $fail = 0 ] && echo "ok: $checks statements about the manifest checked against it"
exit $fail
