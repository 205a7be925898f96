#!/bin/sh
# same-output.sh OLD_TEALEAVES NEW_TEALEAVES [WORKDIR]
# Makes every sample output (inspect, records, findings, profile, report with its charts and
# tables, verify) with two builds and compares them: for a change that must not change
# what the tool says (a restructuring). The report ID, the source commit and the library
# versions name the build, so they are masked before comparing; everything else must be
# byte-identical: the PDF's text, its attachments, the tables and the charts'
# descriptions. Run from the source tree.
set -eu
old=$(realpath "$1"); new=$(realpath "$2")
work=${3:-$(mktemp -d)}
for w in old new; do
	eval b=\$$w
	o=$work/$w
	rm -rf "$o"; mkdir -p "$o"
	set -- samples/sensor1-ns1.pcap samples/sensor2-ns2.pcapng.gz samples/sensor3-ns3.pcap.gz \
		samples/sensor1-ns1-queries.log.gz samples/sensor3-ns3-pdns.csv.gz
	"$b" inspect "$@" > "$o/inspect.txt"
	"$b" inspect --json "$@" > "$o/inspect.json"
	"$b" records "$@" > "$o/records.jsonl"
	"$b" records --format tsv "$@" > "$o/records.tsv"
	"$b" analyze samples/case.ini -o "$o/findings.json"
	"$b" profile samples/case.ini > "$o/profile.txt"
	"$b" report samples/case.ini -o "$o/report.pdf" --charts "$o/charts" --csv "$o/tables"
	"$b" verify "$o/report.pdf" > "$o/verify.txt" || { echo "$w: verify failed" >&2; exit 1; }
	mkdir -p "$o/att"
	pdfdetach -saveall -o "$o/att" "$o/report.pdf"
	pdftotext -raw "$o/report.pdf" "$o/report.txt"
	rm "$o/report.pdf" "$o/report.pdf.sha256" "$o/verify.txt" "$o/charts"/*.png
	# a chart file draws the report ID in glyphs: compare its title and description (its
	# labels and numbers are in the report's text, drawn with real text in the PDF)
	for f in "$o/charts"/*.svg; do
		grep -E '<title>|<desc>' "$f" > "$f.meta"
		rm "$f"
	done
	# the report ID is the manifest's hash: mask it, and the build's own lines
	id=$(sha256sum "$o/report.pdf.manifest.json" | cut -c1-64)
	for f in $(find "$o" -type f); do
		sed -i -e "s/$id/REPORT-ID/g" -e "s/$(echo "$id" | cut -c1-12)/REPORT-ID/g" \
		       -e 's/\(Source commit\).*/\1 MASKED/' -e '/^with uncommitted changes)$/d' \
		       -e '/^Libraries /,/libinih (no run-time version)$/c\Libraries MASKED' "$f"
	done
	for m in "$o/report.pdf.manifest.json" "$o/att/manifest.json"; do
		jq -S 'del(.tool.source_commit, .tool.uncommitted_changes, .tool.libraries)' "$m" > "$m.t"
		mv "$m.t" "$m"
	done
done
if diff -r "$work/old" "$work/new"; then
	echo "same-output: the two builds say the same (outputs in $work)"
else
	echo "same-output: the outputs differ (in $work)"; exit 1
fi
