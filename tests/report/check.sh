#!/bin/bash
# check.sh - checks `tealeaves report` on the sample case with external tools: poppler
# (pdfinfo, pdffonts, pdftotext, pdfdetach), qpdf, jq and, for PDF/A-1b, the PDFBox preflight
# validator. The expected figures are read from the findings JSON with jq and formatted here
# as src/render/report/layout.c formats them, never typed in. A missing tool is a failure, never a
# skip: CI installs them all.
# Usage: check.sh MODE TEALEAVES SOURCE_ROOT WORK_DIR
#   MODE: content (3b report: metadata, fonts, text, attachments, qpdf), pdfa1b (no
#   attachments, PDFBox preflight), determinism (two runs, byte-identical PDF, SVG, PNG, CSV),
#   failure (a template with an unknown placeholder: error with its line, no file left).
set -u

mode=$1
tl=$2
root=$3
work=$4
case_ini=$root/samples/case.ini
fails=0

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

finish() {
	if [ $fails -ne 0 ]; then
		echo "report/$mode: $fails check(s) failed; files in $work" >&2
		exit 1
	fi
	echo "report/$mode: passed"
	exit 0
}

# The number formats of src/render/report/layout.c (English): thousands grouped with ',', '.' as
# the decimal point, "%.Nf" rounding (C library, as awk's printf).
fmt_awk='
function group(s,    neg, i, d, out, n) {
	neg = ""
	if (substr(s, 1, 1) == "-") { neg = "-"; s = substr(s, 2) }
	i = index(s, "."); d = ""
	if (i > 0) { d = substr(s, i); s = substr(s, 1, i - 1) }
	out = ""; n = length(s)
	while (n > 3) { out = "," substr(s, n - 2, 3) out; n -= 3 }
	return neg substr(s, 1, n) out d
}
function fixed(v, digits) { return group(sprintf("%." digits "f", v)) }
function pct(v, digits) { return fixed(v * 100, digits) "%" }
function level(l,    s) {
	s = sprintf("%.3f", l * 100)
	sub(/0+$/, "", s); sub(/\.$/, "", s)
	return s "%"
}
function pval(p, digits,    floor_p) {
	floor_p = 10 ^ -digits
	if (p < floor_p) return "< " fixed(floor_p, digits)
	return fixed(p, digits)
}'

# fmt EXPR VALUES...: evaluates an awk expression over $1.. of one line of values.
fmt() {
	local expr=$1
	shift
	echo "$*" | awk "$fmt_awk { print $expr }"
}

# The PDFBox 2 preflight class path (see tests/pdf/check.sh): Debian's libpdfbox2-java; on
# Java 17 it also needs JavaBeans Activation and JAXB.
preflight_cp() {
	need java "a Java runtime (default-jre-headless) for the PDFBox preflight validator"
	cp=
	for jar in pdfbox2.jar:libpdfbox2-java preflight.jar:libpdfbox2-java \
		fontbox2.jar:libfontbox2-java xmpbox.jar:libpdfbox2-java \
		commons-logging.jar:libcommons-logging-java javax.activation.jar:libactivation-java \
		jaxb-api.jar:libjaxb-api-java; do
		f=/usr/share/java/${jar%%:*}
		[ -f "$f" ] || {
			echo "FAIL: $f not found (install ${jar#*:})" >&2
			exit 1
		}
		cp=$cp${cp:+:}$f
	done
}

[ -x "$tl" ] || {
	echo "FAIL: $tl is not an executable" >&2
	exit 1
}
need jq jq
need qpdf qpdf
need pdfinfo poppler-utils
need pdffonts poppler-utils
need pdftotext poppler-utils
need pdfdetach poppler-utils

# Each mode has its own scratch directory (ctest -j runs them at the same time).
work=$work/$mode
rm -rf "$work"
mkdir -p "$work" || exit 1
export TZ=UTC LC_ALL=C.UTF-8

# ------------------------------------------------------------------------------ content
check_content() {
	local pdf=$work/report.pdf fj=$work/findings.json
	"$tl" report "$case_ini" -o "$pdf" --findings "$fj" >"$work/out.txt" 2>"$work/err.txt" || {
		fail "tealeaves report exits $?: $(cat "$work/err.txt")"
		finish
	}
	[ -s "$pdf" ] && [ -s "$fj" ] || fail "no PDF or no findings file written"
	jq -e . "$fj" >/dev/null || {
		fail "the findings file is not JSON"
		finish
	}
	j() { jq -r "$1" "$fj"; }

	# Document information.
	pdfinfo -isodates "$pdf" >"$work/info.txt" 2>&1 || fail "pdfinfo: $(cat "$work/info.txt")"
	info() { sed -n "s/^$1: *//p" "$work/info.txt"; }
	local pages title subject keywords number date
	pages=$(info Pages)
	case $pages in
	'' | *[!0-9]*)
		fail "pdfinfo gives no page count"
		pages=0
		;;
	esac
	[ "$pages" -gt 10 ] || fail "$pages pages, expected more than 10"
	title=$(sed -n 's/^@title *//p' "$root/templates/default.tmpl")
	[ -n "$title" ] && [ "$(info Title)" = "$title" ] ||
		fail "Title \"$(info Title)\", expected the template's \"$title\""
	subject=$(info Subject)
	[ "$subject" = "$(j .case.case.title)" ] ||
		fail "Subject \"$subject\", expected the case title \"$(j .case.case.title)\""
	local has_target=0 n
	while IFS= read -r n; do
		[ -n "$n" ] && case $subject in *"${n%.}"*) has_target=1 ;; esac
	done < <(j '.target.names[]')
	[ $has_target -eq 1 ] || fail "Subject \"$subject\" names none of $(j -c .target.names)"
	number=$(j .case.case.number)
	keywords=$(info Keywords)
	[ -n "$number" ] && case $keywords in *"$number"*) true ;; *) false ;; esac ||
		fail "Keywords \"$keywords\" lack the case number \"$number\""
	date=$(j .case.case.report_date)
	[ "$date" = 2016-10-31 ] || fail "the findings give report_date \"$date\", the case 2016-10-31"
	[ "$(info CreationDate)" = "${date}T00:00:00Z" ] ||
		fail "CreationDate \"$(info CreationDate)\", expected ${date}T00:00:00Z"
	[ "$(info ModDate)" = "${date}T00:00:00Z" ] ||
		fail "ModDate \"$(info ModDate)\", expected ${date}T00:00:00Z"
	[ "$(info 'PDF version')" = 1.7 ] || fail "PDF version $(info 'PDF version'), expected 1.7"

	# Fonts: every one embedded and subset. The type may hold spaces, so count columns from
	# the right: emb sub uni "object" "ID".
	pdffonts "$pdf" >"$work/fonts.txt" 2>&1 || fail "pdffonts: $(cat "$work/fonts.txt")"
	local nfonts bad
	nfonts=$(tail -n +3 "$work/fonts.txt" | wc -l)
	bad=$(tail -n +3 "$work/fonts.txt" |
		awk '$(NF-4) != "yes" || $(NF-3) != "yes" || $1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/')
	[ "$nfonts" -ge 1 ] || fail "pdffonts lists no fonts"
	[ -z "$bad" ] || fail "fonts not embedded or not subset: $bad"

	# Text. Lines are joined (a sentence may wrap); each page ends with a form feed.
	pdftotext -enc UTF-8 "$pdf" "$work/text.txt" 2>"$work/text-err.txt" || fail "pdftotext"
	[ ! -s "$work/text-err.txt" ] || fail "pdftotext warns: $(cat "$work/text-err.txt")"
	tr '\n\f' '  ' <"$work/text.txt" | tr -s ' ' >"$work/flat.txt"
	has() { grep -qF -- "$1" "$work/flat.txt" || fail "text lacks \"$1\""; }

	local unique top top_n top_share top_lo top_hi alpha shareci perm_p perm_n perm_exact
	unique=$(fmt 'group($1)' "$(j .lookups.unique)")
	[ "$(j .lookups.unique)" = "$(j .profile.lookups)" ] ||
		fail "lookups.unique $(j .lookups.unique) and profile.lookups $(j .profile.lookups) differ"
	case $unique in *,*) ;; *) fail "lookup count $unique has no thousands separator: the sample should" ;; esac
	has "The evidence holds $unique lookups of the names under examination"

	top=$(j '.profile.organisations.items[0].organisation')
	printf '%s' "$top" | LC_ALL=C grep -q $'[\x80-\xff]' ||
		fail "the top organisation \"$top\" is not the sample's Cyrillic one"
	read -r top_n top_share top_lo top_hi < <(j '.profile.organisations.items[0] |
		"\(.lookups) \(.share) \(.ci[0]) \(.ci[1])"')
	alpha=$(j .profile.alpha)
	shareci=$(fmt 'group($1) " (" pct($2, 1) ", " level(1 - $5) " CI " fixed($3 * 100, 1) "–" fixed($4 * 100, 1) "%)"' \
		"$top_n $top_share $top_lo $top_hi $alpha")
	has "Where they came from: $shareci of the lookups came from addresses attributed to $top ("

	read -r perm_p perm_n perm_exact < <(j '.events.permutation | "\(.p) \(.n) \(.exact)"')
	[ "$perm_exact" = false ] || fail "the sample's permutation test should be random, not exact"
	has "Permutation test over all events: p-value $(fmt 'pval($1, 4)' "$perm_p") ($(fmt 'group($1)' "$perm_n") random permutations)"

	# Coverage: the sample's sensors state only where their captures start and stop, so
	# their coverage rests on silence, and the report says what testing the events with
	# the captures taken at their word changes, as the findings count it.
	[ "$(j .quality.other_coverage.events_tested)" = true ] ||
		fail "the sample's coverage rests on silence: the events should be tested again"
	has "Coverage from sensor1: file boundaries for when recording started and stopped, silence inside"
	if [ "$(j .quality.other_coverage.verdicts_changed)" = 0 ]; then
		has "the event tests were made again: no verdict changes"
	else
		has "the event tests were made again: $(j .quality.other_coverage.verdicts_changed) verdict"
	fi

	has "Case number $number"
	has "Case $number ·"
	has "Report date $(date -u -d "$date" '+%-d %B %Y')"
	local sha
	sha=$(j '.inputs[0].sha256')
	[ ${#sha} -eq 64 ] && has "SHA-256 $sha"

	# Page furniture: page k says "Page k of N", N the page count.
	awk -v n="$pages" 'BEGIN { RS = "\f" }
		NR <= n && index($0, "Page " NR " of " n) == 0 { print NR }' "$work/text.txt" >"$work/nopage.txt"
	[ ! -s "$work/nopage.txt" ] || fail "pages without \"Page k of $pages\": $(tr '\n' ' ' <"$work/nopage.txt")"
	has "Page 1 of $pages"
	has "Page $pages of $pages"

	# Attachments: findings.json, byte for byte the --findings file; manifest.json if any.
	pdfdetach -list "$pdf" >"$work/detach.txt" 2>&1 || fail "pdfdetach -list: $(cat "$work/detach.txt")"
	local idx midx
	idx=$(sed -n 's/^\([0-9]*\): findings\.json$/\1/p' "$work/detach.txt")
	midx=$(sed -n 's/^\([0-9]*\): manifest\.json$/\1/p' "$work/detach.txt")
	if [ -z "$idx" ]; then
		fail "no findings.json attached: $(cat "$work/detach.txt")"
	else
		pdfdetach -save "$idx" -o "$work/attached-findings.json" "$pdf" || fail "pdfdetach -save $idx"
		cmp -s "$fj" "$work/attached-findings.json" ||
			fail "the attached findings.json differs from the --findings file"
	fi
	if [ -n "$midx" ]; then
		pdfdetach -save "$midx" -o "$work/attached-manifest.json" "$pdf" || fail "pdfdetach -save $midx"
		jq -e . "$work/attached-manifest.json" >/dev/null || fail "the attached manifest.json is not JSON"
	fi
	awk -v ok="$([ -n "$midx" ] && echo 2 || echo 1)" \
		'NR == 1 && $0 != ok " embedded files" { print; exit 1 }' "$work/detach.txt" ||
		fail "unexpected attachments: $(cat "$work/detach.txt")"

	qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 || fail "qpdf --check: $(cat "$work/qpdf.txt")"
	echo "$pages pages, $nfonts fonts, $(sed 1q "$work/detach.txt")"
}

# ------------------------------------------------------------------------------- pdfa1b
check_pdfa1b() {
	preflight_cp
	local pdf=$work/report-1b.pdf
	"$tl" report "$case_ini" -o "$pdf" --pdfa 1b >"$work/out.txt" 2>"$work/err.txt" || {
		fail "tealeaves report --pdfa 1b exits $?: $(cat "$work/err.txt")"
		finish
	}
	pdfdetach -list "$pdf" >"$work/detach.txt" 2>&1 || fail "pdfdetach -list: $(cat "$work/detach.txt")"
	grep -qx "0 embedded files" "$work/detach.txt" || fail "has attachments: $(cat "$work/detach.txt")"
	pdfinfo "$pdf" >"$work/info.txt" 2>&1 || fail "pdfinfo"
	grep -qx "PDF version: *1.4" "$work/info.txt" || fail "not PDF 1.4: $(grep version "$work/info.txt")"
	pdffonts "$pdf" >"$work/fonts.txt" 2>&1 || fail "pdffonts"
	local bad
	bad=$(tail -n +3 "$work/fonts.txt" | awk '$(NF-4) != "yes"')
	[ -z "$bad" ] || fail "fonts not embedded: $bad"
	qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 || fail "qpdf --check: $(cat "$work/qpdf.txt")"
	# Exit 0 means valid PDF/A-1b.
	java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$pdf" >"$work/preflight.txt" 2>&1 ||
		fail "PDFBox preflight (PDF/A-1b): $(head -c 4000 "$work/preflight.txt")"
}

# -------------------------------------------------------------------------- determinism
check_determinism() {
	local r
	for r in 1 2; do
		mkdir -p "$work/run$r"
		"$tl" report "$case_ini" -o "$work/run$r/report.pdf" --charts "$work/run$r/charts" \
			--csv "$work/run$r/csv" --findings "$work/run$r/findings.json" \
			>"$work/out$r.txt" 2>"$work/err$r.txt" ||
			fail "run $r exits $?: $(cat "$work/err$r.txt")"
	done
	[ $fails -eq 0 ] || finish
	local n_svg n_png n_csv
	n_svg=$(find "$work/run1/charts" -name '*.svg' | wc -l)
	n_png=$(find "$work/run1/charts" -name '*.png' | wc -l)
	n_csv=$(find "$work/run1/csv" -name '*.csv' | wc -l)
	[ "$n_svg" -ge 1 ] && [ "$n_svg" -eq "$n_png" ] || fail "$n_svg SVG and $n_png PNG charts"
	[ "$n_csv" -ge 1 ] || fail "no CSV tables written"
	(cd "$work/run1" && find . -type f | sort) >"$work/files1.txt"
	(cd "$work/run2" && find . -type f | sort) >"$work/files2.txt"
	cmp -s "$work/files1.txt" "$work/files2.txt" ||
		fail "the runs wrote different files: $(diff "$work/files1.txt" "$work/files2.txt" | tr '\n' ' ')"
	local f
	while IFS= read -r f; do
		cmp -s "$work/run1/$f" "$work/run2/$f" || fail "$f differs between the runs"
	done <"$work/files1.txt"
	echo "$(wc -l <"$work/files1.txt") files compared ($n_svg SVG, $n_png PNG, $n_csv CSV)"
}

# ------------------------------------------------------------------------------ failure
check_failure() {
	local s=$root/samples out=$work/out
	mkdir -p "$out"
	# A small case: one sample capture, by absolute path, and its own template.
	cat >"$work/case.ini" <<EOF
[case]
number = FAIL-TEST-001
title = Template failure test
examiner = Test Examiner
report_date = 2016-10-31

[evidence]
sensor1 = $s/sensor1-ns1.pcap
sensor1.sensor = sensor1

[target]
names = mail1.hallworth-email.example

[sources]
organisations = $s/organisations.csv

[report]
template = $work/bad.tmpl
EOF
	# Line 5: an unknown placeholder after five Cyrillic characters (column in characters).
	cat >"$work/good.tmpl" <<'EOF'
@# A template for the failure test.
@title Failure test
@section 1 Summary
The evidence holds {{lookups.unique}} lookups.
Банк {{lookups.unique}} again.
EOF
	sed '5s/{{lookups\.unique}}/{{lookups.uniq}}/' "$work/good.tmpl" >"$work/bad.tmpl"
	grep -qF '{{lookups.uniq}}' "$work/bad.tmpl" || fail "test setup: no bad placeholder"

	# Control: the same case with the good template makes a report.
	sed "s|^template = .*|template = $work/good.tmpl|" "$work/case.ini" >"$work/good.ini"
	"$tl" report "$work/good.ini" -o "$work/good.pdf" >"$work/good-out.txt" 2>"$work/good-err.txt" ||
		fail "control (good template) exits $?: $(cat "$work/good-err.txt")"
	[ -s "$work/good.pdf" ] || fail "control (good template) wrote no PDF"

	local rc=0
	"$tl" report "$work/case.ini" -o "$out/report.pdf" --findings "$out/findings.json" \
		--charts "$out/charts" --csv "$out/csv" >"$work/out.txt" 2>"$work/err.txt" || rc=$?
	[ $rc -ne 0 ] || fail "tealeaves report exits 0 with an unknown placeholder"
	[ $rc -lt 128 ] || fail "tealeaves report died from a signal (exit $rc): $(cat "$work/err.txt")"
	! grep -qE 'Sanitizer|runtime error:' "$work/err.txt" ||
		fail "sanitizer report on the error path: $(head -c 3000 "$work/err.txt")"
	grep -qF 'lookups.uniq' "$work/err.txt" || fail "the error does not name the placeholder: $(cat "$work/err.txt")"
	grep -qF 'bad.tmpl:5:' "$work/err.txt" || fail "the error does not give line 5: $(cat "$work/err.txt")"
	grep -qF 'bad.tmpl:5:6: unknown placeholder {{lookups.uniq}}' "$work/err.txt" ||
		fail "expected \"bad.tmpl:5:6: unknown placeholder {{lookups.uniq}}\": $(cat "$work/err.txt")"
	[ -z "$(ls -A "$out")" ] || fail "files left behind: $(ls -A "$out" | tr '\n' ' ')"
	local left
	left=$(find "$work" -name '*.tmp[0-9]*')
	[ -z "$left" ] || fail "temporary files left: $left"
	echo "exit $rc: $(cat "$work/err.txt")"
}

case $mode in
content) check_content ;;
pdfa1b) check_pdfa1b ;;
determinism) check_determinism ;;
failure) check_failure ;;
*)
	echo "usage: check.sh content|pdfa1b|determinism|failure TEALEAVES SOURCE_ROOT WORK_DIR" >&2
	exit 2
	;;
esac
finish
