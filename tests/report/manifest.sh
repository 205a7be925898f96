#!/usr/bin/env bash
# manifest.sh - the manifest lists every file the report depends on: the report ID
# (the SHA-256 of the manifest) changes when the events file, the template or a font
# changes, and stays the same when nothing does; the manifest beside the report is
# the one embedded in it, and report.pdf.sha256 checks with sha256sum.
# Usage: manifest.sh TEALEAVES SOURCE_DIR SCRATCH_DIR
set -euo pipefail
tl=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
fail=0
id_of() { sha256sum "$1.manifest.json" | cut -d' ' -f1; }

# a copy of the sample case whose events file can be edited
cp -r "$src/samples" "$scratch/case"
# and a copy of the data folder whose template and fonts can be edited
mkdir -p "$scratch/data"
cp -r "$src/templates" "$src/fonts" "$src/icc" "$scratch/data/"
export TEALEAVES_DATA_DIR="$scratch/data"

"$tl" report "$scratch/case/case.ini" -o "$scratch/base.pdf"
"$tl" report "$scratch/case/case.ini" -o "$scratch/again.pdf"
base=$(id_of "$scratch/base.pdf")
[ "$(id_of "$scratch/again.pdf")" = "$base" ] || { echo "FAIL: same inputs, other report ID"; fail=1; }

(cd "$scratch" && sha256sum -c base.pdf.sha256 >/dev/null) ||
	{ echo "FAIL: base.pdf.sha256 does not check"; fail=1; }
pdfdetach -save 2 -o "$scratch/embedded.json" "$scratch/base.pdf" >/dev/null
pdfdetach -list "$scratch/base.pdf" | grep -q 'manifest.json' ||
	{ echo "FAIL: no manifest.json attached"; fail=1; }
# attachment 2 may be findings or manifest: compare with whichever it names
if pdfdetach -list "$scratch/base.pdf" | grep -q '^2: manifest.json'; then
	cmp -s "$scratch/embedded.json" "$scratch/base.pdf.manifest.json" ||
		{ echo "FAIL: embedded manifest differs from the one beside the report"; fail=1; }
fi
grep -q "Report ID ${base:0:12}" <(pdftotext "$scratch/base.pdf" -) ||
	{ echo "FAIL: the pages do not show the report ID ${base:0:12}"; fail=1; }

changed() { # what file-to-restore
	local what=$1 id
	"$tl" report "$scratch/case/case.ini" -o "$scratch/$what.pdf"
	id=$(id_of "$scratch/$what.pdf")
	if [ "$id" = "$base" ]; then
		echo "FAIL: changing the $what left the report ID at $base"
		fail=1
	else
		echo "ok    changing the $what changes the report ID ($base -> $id)"
	fi
}

cp "$scratch/case/events.csv" "$scratch/events.keep"
sed -i '2s/Party A nominee/Party A nominee (edited)/' "$scratch/case/events.csv"
changed events
cp "$scratch/events.keep" "$scratch/case/events.csv"

cp "$scratch/data/templates/default.tmpl" "$scratch/template.keep"
sed -i '0,/^This report describes/s//This report, edited, describes/' \
	"$scratch/data/templates/default.tmpl"
changed template
cp "$scratch/template.keep" "$scratch/data/templates/default.tmpl"

cp /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf "$scratch/data/fonts/DejaVuSans.ttf"
changed font

[ $fail = 0 ] && echo "ok: the report ID covers the events file, the template and the fonts"
exit $fail
