#!/bin/bash
# search.sh - a text search finds every DNS name, address, network and hash the report prints,
# whole (issue 11, part 3). Makes the sample report with its findings JSON, takes the tokens
# from the findings and from the manifest (report.pdf.manifest.json) with jq, and looks each
# one up with `pdftotext report.pdf - | grep -F`, as a reader's search would: a token broken
# across two lines is never found. Also: no continuation mark "↩" anywhere, and no hash of
# the manifest printed in part only.
#
# What the report is expected to print, and so what must be found:
#   names      the names under examination (case), every name of the names table and its
#              successors, the first BASELINE_ROWS (20) names of the baseline table and the
#              names its caption lists as left out (src/render/report/report_inserts.c)
#   addresses  every source address of the sources table, the source of each name's first
#              lookup (names table)
#   networks   the network of each source address of the sources table
#   hashes     each input's SHA-256 (manifest table, evidence section) and the case file's
# Not expected: the names beyond the baseline table's first 20 and the addresses behind the
# baseline names (the findings file lists them), the hashes of the fonts, template, colour
# profile, organisations and events files and of the findings (the manifest lists them; the
# report ID is the short form of the manifest's own hash). These are counted, not searched.
# Usage: search.sh TEALEAVES SOURCE_ROOT WORK_DIR
set -u

tl=$1
root=$2
work=$3
fails=0
baseline_rows=20

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

need() {
	command -v "$1" >/dev/null 2>&1 || {
		echo "FAIL: $1 not found (install $2)" >&2
		exit 1
	}
}

[ -x "$tl" ] || {
	echo "FAIL: $tl is not an executable" >&2
	exit 1
}
need jq jq
need pdftotext poppler-utils

rm -rf "$work"
mkdir -p "$work" || exit 1
export TZ=UTC LC_ALL=C.UTF-8
pdf=$work/report.pdf
fj=$work/findings.json
mj=$pdf.manifest.json

"$tl" report "$root/samples/case.ini" -o "$pdf" --findings "$fj" >"$work/out.txt" 2>"$work/err.txt" || {
	echo "FAIL: tealeaves report exits $?: $(cat "$work/err.txt")" >&2
	exit 1
}
for f in "$fj" "$mj"; do
	jq -e . "$f" >/dev/null 2>&1 || {
		echo "FAIL: $f is missing or not JSON" >&2
		exit 1
	}
done
pdftotext -enc UTF-8 "$pdf" - >"$work/text.txt" 2>"$work/text-err.txt" || fail "pdftotext"
pdftotext -enc UTF-8 -layout "$pdf" - >"$work/layout.txt" 2>/dev/null || fail "pdftotext -layout"

# Expected tokens, one per line.
jq -r --argjson n $baseline_rows '
	.case.target.names[],
	.names.names[].name, (.names.names[].successors // [] | .[].name),
	(.baselines.names // [])[:$n][].name, (.baselines.excluded.names // [])[:$n][].name' \
	"$fj" | sort -u >"$work/names.txt"
jq -r '
	.profile.sources.items[].source, (.names.names[].first_query.source // empty)' \
	"$fj" | sort -u >"$work/addresses.txt"
jq -r '
	[.profile.sources.items[].source] as $s
	| .attribution.sources[] | select(.address as $a | $s | index($a)) | .network // empty' \
	"$fj" | sort -u >"$work/networks.txt"
{
	jq -r '.inputs[].sha256' "$fj"
	jq -r '.inputs[].sha256, .case_file.sha256' "$mj"
} | sort -u >"$work/hashes.txt"

# Every token of these kinds in either file, to count what is not expected in the text.
jq -r '.. | strings' "$fj" "$mj" | sort -u >"$work/strings.txt"
grep -E '^([A-Za-z0-9_-]+\.)+[A-Za-z0-9_-]*[a-z][A-Za-z0-9_-]*\.$' "$work/strings.txt" >"$work/all-names.txt"
grep -E '^([0-9]{1,3}\.){3}[0-9]{1,3}$|^[0-9a-fA-F]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$' \
	"$work/strings.txt" >"$work/all-addresses.txt"
grep -E '^[0-9a-fA-F:.]+/[0-9]{1,3}$' "$work/strings.txt" >"$work/all-networks.txt"
grep -E '^[0-9a-f]{64}$' "$work/strings.txt" >"$work/all-hashes.txt"

checked=0
for kind in names addresses networks hashes; do
	n=$(wc -l <"$work/$kind.txt")
	[ "$n" -gt 0 ] || fail "no $kind taken from the findings and manifest: the jq paths are stale"
	while IFS= read -r t; do
		[ -n "$t" ] || continue
		checked=$((checked + 1))
		grep -qF -- "$t" "$work/text.txt" || fail "$kind: \"$t\" is not found whole in the text"
	done <"$work/$kind.txt"
	# what the report is not expected to print
	other=$(grep -cvxFf "$work/$kind.txt" "$work/all-$kind.txt")
	echo "$kind: $n expected and searched, $other others in the JSON files not expected"
done

# The sample must exercise the search: the three rows of the issue's example name.
grep -qxF 'mail1.quayside-email.example.' "$work/names.txt" ||
	fail "the sample no longer has mail1.quayside-email.example. among the expected names"

# No continuation mark, in either of pdftotext's modes.
marks=$(grep -c '↩' "$work/text.txt")
lmarks=$(grep -c '↩' "$work/layout.txt")
[ "$marks" -eq 0 ] && [ "$lmarks" -eq 0 ] ||
	fail "continuation marks ↩ on $marks lines (layout mode: $lmarks), e.g. $(grep -m1 '↩' "$work/layout.txt")"

# No hash printed in part: each line holding a 16-digit group of one holds all of it.
while IFS= read -r h; do
	for g in 0 16 32 48; do
		part=${h:$g:16}
		if grep -F -- "$part" "$work/text.txt" | grep -qvF -- "$h"; then
			fail "a line holds part of the hash $h without the rest"
			break
		fi
	done
done <"$work/all-hashes.txt"

# A name wider than a line of text (here 145 characters, in the summary's sentence) is
# set whole on a row of its own, never broken with a mark.
mkdir -p "$work/long"
cp -r "$root/samples/." "$work/long/"
long="$(printf 'a%.0s' $(seq 60)).$(printf 'b%.0s' $(seq 60)).hallworth-email.example"
sed -i "s/^names = .*/names = mail1.hallworth-email.example,\n  $long/" "$work/long/case.ini"
if "$tl" report "$work/long/case.ini" -o "$work/long/report.pdf" >/dev/null 2>"$work/long/err"; then
	pdftotext "$work/long/report.pdf" "$work/long/text.txt"
	grep -qF -- "$long" "$work/long/text.txt" || fail "a 145-character name is not found whole"
	! grep -q '↩' "$work/long/text.txt" || fail "a 145-character name is broken with ↩"
	checked=$((checked + 1))
else
	fail "the report with a 145-character target name failed: $(cat "$work/long/err")"
fi

if [ $fails -ne 0 ]; then
	echo "report/search: $fails check(s) failed; files in $work" >&2
	exit 1
fi
echo "report/search: passed ($checked tokens found whole)"
exit 0
