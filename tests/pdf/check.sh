#!/bin/sh
# check.sh - checks the PDF writer's sample documents with external tools: qpdf, poppler
# (pdffonts, pdftotext, pdfdetach, pdfinfo, pdftoppm) and, for PDF/A-1b, the PDFBox
# preflight validator. A missing tool is a failure, never a skip: CI installs them all.
# Usage: check.sh PDF_SAMPLE_BINARY SOURCE_ROOT WORK_DIR
set -u

sample=$1
root=$2
work=$3
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
need qpdf qpdf
need pdffonts poppler-utils
need pdftotext poppler-utils
need pdfdetach poppler-utils
need pdfinfo poppler-utils
need pdftoppm poppler-utils
need java "a Java runtime (default-jre-headless) for the PDFBox preflight validator"

# The PDFBox 2 preflight validator from Debian's libpdfbox2-java; on Java 17 it also needs
# JavaBeans Activation and JAXB (libactivation-java, libjaxb-api-java).
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

mkdir -p "$work" || exit 1
rm -f "$work"/*.pdf "$work"/*.json "$work"/*.txt "$work"/*.png
"$sample" "$root" 3b "$work/sample-3b.pdf" "$work/attachment-in.json" || fail "writing the 3b sample"
"$sample" "$root" 3b "$work/sample-3b-again.pdf" || fail "writing the 3b sample again"
"$sample" "$root" 1b "$work/sample-1b.pdf" || fail "writing the 1b sample"
[ $fails -eq 0 ] || exit 1

cmp -s "$work/sample-3b.pdf" "$work/sample-3b-again.pdf" || fail "two runs differ"

for v in 3b 1b; do
	pdf=$work/sample-$v.pdf
	qpdf --check "$pdf" >"$work/qpdf-$v.txt" 2>&1 || fail "$v: qpdf --check: $(cat "$work/qpdf-$v.txt")"

	# Every font embedded: the "emb" column (third from the right) says yes.
	pdffonts "$pdf" >"$work/fonts-$v.txt" 2>&1 || fail "$v: pdffonts"
	nfonts=$(tail -n +3 "$work/fonts-$v.txt" | wc -l)
	notemb=$(tail -n +3 "$work/fonts-$v.txt" | awk '$(NF-4) != "yes"' | wc -l)
	[ "$nfonts" -eq 4 ] || fail "$v: $nfonts fonts, expected 4: $(cat "$work/fonts-$v.txt")"
	[ "$notemb" -eq 0 ] || fail "$v: fonts not embedded: $(cat "$work/fonts-$v.txt")"

	# Text extracts (through our ToUnicode map, without poppler warnings).
	pdftotext -enc UTF-8 "$pdf" "$work/text-$v.txt" 2>"$work/text-err-$v.txt" || fail "$v: pdftotext"
	[ ! -s "$work/text-err-$v.txt" ] || fail "$v: pdftotext warns: $(cat "$work/text-err-$v.txt")"
	for s in "Organisation: АО «Банк Полярный»" "пример.испытание (xn--e1afmkfd.xn--80akhbyknj4f)" \
		"came from АО «Банк Полярный»." "Page 1 of 2" "Page 2 of 2" "Lookups per day"; do
		grep -qF "$s" "$work/text-$v.txt" || fail "$v: text \"$s\" not extracted"
	done

	pdfinfo "$pdf" >"$work/info-$v.txt" 2>&1 || fail "$v: pdfinfo"
	for s in "Pages:           2" "Page size:       595.276 x 841.89 pts (A4)" \
		"Title:           DNS evidence report: АО «Банк Полярный» & <partners>" \
		"Author:          Examiner One" "CreationDate:    Wed May  1 12:00:00 2024 UTC" \
		"Metadata Stream: yes"; do
		grep -qF "$s" "$work/info-$v.txt" || fail "$v: pdfinfo lacks \"$s\""
	done

	pdftoppm -png -r 30 "$pdf" "$work/page-$v" 2>"$work/render-err-$v.txt" || fail "$v: pdftoppm"
	[ ! -s "$work/render-err-$v.txt" ] || fail "$v: pdftoppm warns: $(cat "$work/render-err-$v.txt")"
	[ "$(ls "$work"/page-$v-*.png 2>/dev/null | wc -l)" -eq 2 ] || fail "$v: pages not rendered"
done
grep -qF "PDF version:     1.7" "$work/info-3b.txt" || fail "3b: not PDF 1.7"
grep -qF "PDF version:     1.4" "$work/info-1b.txt" || fail "1b: not PDF 1.4"

# The attachment (3b only), byte for byte.
pdfdetach -list "$work/sample-3b.pdf" >"$work/detach-3b.txt" 2>&1 || fail "3b: pdfdetach -list"
grep -qx "1 embedded files" "$work/detach-3b.txt" && grep -qx "1: findings.json" "$work/detach-3b.txt" ||
	fail "3b: attachment list: $(cat "$work/detach-3b.txt")"
pdfdetach -save 1 -o "$work/attachment-out.json" "$work/sample-3b.pdf" || fail "3b: pdfdetach -save"
cmp -s "$work/attachment-in.json" "$work/attachment-out.json" || fail "3b: attachment bytes differ"
pdfdetach -list "$work/sample-1b.pdf" >"$work/detach-1b.txt" 2>&1 || fail "1b: pdfdetach -list"
grep -qx "0 embedded files" "$work/detach-1b.txt" || fail "1b: has attachments: $(cat "$work/detach-1b.txt")"

# PDF/A-1b: the PDFBox preflight validator; exit 0 means valid.
java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$work/sample-1b.pdf" \
	>"$work/preflight-1b.txt" 2>&1 || fail "1b: PDFBox preflight: $(cat "$work/preflight-1b.txt")"

if [ $fails -ne 0 ]; then
	echo "$fails check(s) failed; files in $work" >&2
	exit 1
fi
echo "PDF checks passed ($(wc -c <"$work/sample-3b.pdf") and $(wc -c <"$work/sample-1b.pdf") bytes)"
