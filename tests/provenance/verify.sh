#!/usr/bin/env bash
# verify.sh - `tealeaves verify`, `tealeaves bundle` and report signatures on a copy of
# the sample case. One mode per ctest test:
#   pass     verify passes on a fresh report, and names every file it checked
#   moved    verify passes after the case and its inputs moved to another folder
#   bundle   bundle is reproducible, holds what it lists, and verify passes on it
#   tamper   verify fails, with the right verdict, for a flipped input byte, a missing
#            input, a flipped PDF byte, an edited embedded manifest (which also claims
#            another tool version), another installation's template or tzdata (exit 7), and a
#            tampered bundle
#   attacks  an emptied manifest with its hash as report ID, a copy of symbolic links,
#            inputs named with "..", a FIFO beside the report, a folder name with a
#            newline, a case with its own template and a file name with "..", and a
#            non-ASCII file name in a bundle
#   sign     --sign-key/--sign-cert write a detached CMS signature that openssl accepts,
#            the PDF stays byte-identical, verify reports the signer, and a signature
#            made for another file fails
# Usage: verify.sh MODE TEALEAVES SOURCE_DIR SCRATCH_DIR
set -euo pipefail
mode=$1 tl=$2 src=$(cd "$3" && pwd) scratch=$4/$1
rm -rf "$scratch"
mkdir -p "$scratch"
fail=0
need() { command -v "$1" >/dev/null || { echo "FAIL: $1 is missing (install $2)"; exit 1; }; }

# a copy of the sample case, and its report
cp -r "$src/samples" "$scratch/case"
case_ini=$scratch/case/case.ini
"$tl" report "$case_ini" -o "$scratch/report.pdf"

# run_verify WANT_STATUS NAME ARGS...: runs verify, keeps its output in NAME.out
run_verify() {
	local want=$1 name=$2 st=0
	shift 2
	"$tl" verify "$@" >"$scratch/$name.out" 2>"$scratch/$name.err" || st=$?
	if [ "$st" != "$want" ]; then
		echo "FAIL: $name: verify exited $st, expected $want"
		sed 's/^/    /' "$scratch/$name.out" "$scratch/$name.err"
		fail=1
	else
		echo "ok    $name: verify exited $st"
	fi
}
# has NAME REGEX: the output of run NAME has a line matching REGEX
has() {
	if grep -Eq "$2" "$scratch/$1.out"; then
		echo "ok    $1: has /$2/"
	else
		echo "FAIL: $1: no line matches /$2/"
		sed 's/^/    /' "$scratch/$1.out"
		fail=1
	fi
}
# flip FILE OFFSET: inverts one byte of FILE
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((255 - b)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
labels=$(grep -E '^[a-z0-9-]+ *= *sensor' "$case_ini" | cut -d= -f1 | tr -d ' ')
first=$(echo "$labels" | head -1)

case "$mode" in
pass)
	run_verify 0 fresh "$scratch/report.pdf"
	has fresh '^VERIFIED: '
	for l in $labels; do has fresh "^ok +input $l "; done
	has fresh '^ok +case file '
	has fresh '^ok +embedded manifest +.*report ID in the document'
	has fresh '^ok +embedded findings '
	has fresh '^ok +manifest beside '
	has fresh '^ok +checksum file '
	has fresh '^ok +events '
	has fresh '^ok +organisations '
	has fresh '^ok +template '
	has fresh '^ok +font '
	has fresh '^ok +analysis +run again: the findings are identical'
	has fresh '^ok +report +made again: identical'
	# sha256sum -b writes " *name"; a path before the name is read too
	mkdir "$scratch/b"
	cp "$scratch/report.pdf" "$scratch/report.pdf.manifest.json" "$scratch/b/"
	(cd "$scratch" && sha256sum -b b/report.pdf >b/report.pdf.sha256)
	run_verify 0 binary-sum "$scratch/b/report.pdf"
	has binary-sum '^ok +checksum file '
	# a stale checksum beside a genuine report: its own verdict
	echo "$(printf '%064d' 0)  report.pdf" >"$scratch/b/report.pdf.sha256"
	run_verify 6 stale-sum "$scratch/b/report.pdf"
	has stale-sum '^NOT VERIFIED: .*a file beside the report .* does not match it .*the report made again is identical to it'
	# recorded --set overrides are applied again
	"$tl" report "$case_ini" --set analysis.seed=7 -o "$scratch/seeded.pdf"
	[ "$(jq -c .report.overrides "$scratch/seeded.pdf.manifest.json")" = '["analysis.seed=7"]' ] &&
		echo "ok    the manifest records --set analysis.seed=7" ||
		{ echo "FAIL: overrides not recorded"; fail=1; }
	run_verify 0 seeded "$scratch/seeded.pdf"
	has seeded '^ok +report +made again: identical'
	has seeded '^note +setting +--set analysis.seed=7 on the command line'
	has seeded '^VERIFIED: .*made with 1 --set override of the case file'
	has seeded '^note +report date +2016-10-31T00:00:00.000000Z, from the case file.s report_date'
	# a case file without report_date: the date came from SOURCE_DATE_EPOCH and is recorded
	sed '/^report_date/d' "$case_ini" >"$scratch/case/nodate.ini"
	SOURCE_DATE_EPOCH=1480000000 "$tl" report "$scratch/case/nodate.ini" -o "$scratch/nodate.pdf"
	[ "$(jq -r .report.date "$scratch/nodate.pdf.manifest.json")" = 2016-11-24T15:06:40.000000Z ] &&
		echo "ok    the manifest records the date from SOURCE_DATE_EPOCH" ||
		{ echo "FAIL: date $(jq -r .report.date "$scratch/nodate.pdf.manifest.json")"; fail=1; }
	unset SOURCE_DATE_EPOCH
	run_verify 0 nodate "$scratch/nodate.pdf"
	# a PDF/A-1b report has no attachments: its manifest beside it stands in
	"$tl" report "$case_ini" --pdfa 1b -o "$scratch/r1b.pdf"
	run_verify 0 pdfa1b "$scratch/r1b.pdf"
	has pdfa1b '^ok +manifest beside .*no attachments'
	has pdfa1b "^ok +analysis +run again: the findings' SHA-256 is the manifest's"
	has pdfa1b '^ok +report +made again: identical'
	rm "$scratch/r1b.pdf.manifest.json"
	run_verify 6 pdfa1b-alone "$scratch/r1b.pdf"
	has pdfa1b-alone '^MISSING +manifest '
	# the same checks as one JSON document
	run_verify 0 json "$scratch/report.pdf" --json
	[ "$(jq -r '.verdict, .exit_status, ([.checks[] | select(.verdict == "ok")] | length)' \
		"$scratch/json.out" | tr '\n' ' ')" = "VERIFIED 0 $(grep -c '^ok ' "$scratch/fresh.out") " ] &&
		echo "ok    --json: the same verdict and checks" ||
		{ echo "FAIL: --json differs from the text output"; fail=1; }
	# the report says how to verify it, with its manifest hash and its command
	id=$(sha256sum "$scratch/report.pdf.manifest.json" | cut -d' ' -f1)
	txt=$(pdftotext -layout "$scratch/report.pdf" - | tr -s ' \n' '  ')
	grep -q "tealeaves verify" <<<"$txt" || { echo "FAIL: no verify command in the report"; fail=1; }
	grep -q "${id:0:32}" <<<"$txt" || { echo "FAIL: the manifest hash is not in the report"; fail=1; }
	cmd=$(jq -r .report.command "$scratch/report.pdf.manifest.json")
	[ "$cmd" = "tealeaves report $case_ini" ] ||
		{ echo "FAIL: the manifest records the command '$cmd'"; fail=1; }
	# long paths wrap in the PDF, with a continuation mark: compare without them
	grep -qF "$(tr -d ' \n' <<<"$cmd")" <(sed 's/↩//g' <<<"$txt" | tr -d ' \n') ||
		{ echo "FAIL: the report does not state its command"; fail=1; }
	;;
moved)
	# the case, its inputs and the report move; the places recorded no longer exist
	mkdir -p "$scratch/elsewhere/evidence/received" "$scratch/elsewhere/report"
	mv "$scratch/case" "$scratch/elsewhere/evidence/received/case-folder"
	mv "$scratch"/report.pdf* "$scratch/elsewhere/report/"
	(cd / && "$tl" verify "$scratch/elsewhere/report/report.pdf" \
		--inputs "$scratch/elsewhere/evidence" >"$scratch/moved.out" 2>&1) && st=0 || st=$?
	[ "$st" = 0 ] || { echo "FAIL: verify after moving exited $st"; cat "$scratch/moved.out"; fail=1; }
	has moved '^VERIFIED: '
	has moved "^ok +input [a-z0-9-]+ +$scratch/elsewhere/evidence/received/case-folder/"
	# without --inputs the inputs are not found, and verify says so
	run_verify 6 lost "$scratch/elsewhere/report/report.pdf"
	has lost '^MISSING +case file '
	has lost '^NOT VERIFIED: '
	;;
bundle)
	need tar tar
	"$tl" bundle "$case_ini" -o "$scratch/case.tar" >"$scratch/bundle.out"
	"$tl" bundle "$case_ini" -o "$scratch/again.tar" --report "$scratch/report.pdf" \
		>/dev/null
	cmp -s "$scratch/case.tar" "$scratch/again.tar" &&
		echo "ok    bundle: two runs give identical archives" ||
		{ echo "FAIL: bundle: two runs differ"; fail=1; }
	tar -tf "$scratch/case.tar" >"$scratch/list.txt"
	for f in case/case.ini case/report.pdf case/report.pdf.manifest.json \
		case/report.pdf.sha256 case/SHA256SUMS case/LISTING.txt case/events.csv \
		case/organisations.csv; do
		grep -qx "$f" "$scratch/list.txt" || { echo "FAIL: bundle lacks $f"; fail=1; }
	done
	n_inputs=$(jq '.inputs | length' "$scratch/report.pdf.manifest.json")
	n_listed=$(grep -c '^input ' <(tar -xOf "$scratch/case.tar" case/LISTING.txt))
	[ "$n_inputs" = "$n_listed" ] || { echo "FAIL: $n_inputs inputs, $n_listed listed"; fail=1; }
	mkdir "$scratch/x"
	tar -xf "$scratch/case.tar" -C "$scratch/x"
	(cd "$scratch/x/case" && sha256sum --quiet -c SHA256SUMS) &&
		echo "ok    bundle: sha256sum -c SHA256SUMS" ||
		{ echo "FAIL: SHA256SUMS does not check"; fail=1; }
	cmp -s "$scratch/x/case/report.pdf" "$scratch/report.pdf" &&
		echo "ok    bundle: holds the report byte for byte" ||
		{ echo "FAIL: the bundle's report differs"; fail=1; }
	run_verify 0 tar "$scratch/case.tar"
	has tar '^ok +bundle listing '
	has tar '^ok +bundle contents '
	run_verify 0 tar-json "$scratch/case.tar" --json
	[ "$(jq -r .verdict "$scratch/tar-json.out")" = VERIFIED ] &&
		echo "ok    tar --json: VERIFIED" || { echo "FAIL: tar --json verdict"; fail=1; }
	# stopped half way, verify leaves no unpacked copy of the evidence behind
	mkdir "$scratch/tmp"
	for sig in TERM INT; do
		TMPDIR=$scratch/tmp timeout -s $sig 0.3 "$tl" verify "$scratch/case.tar" \
			>/dev/null 2>&1 || true
	done
	[ -z "$(ls -A "$scratch/tmp")" ] && echo "ok    stopped verify: nothing left in TMPDIR" ||
		{ echo "FAIL: stopped verify left $(ls "$scratch/tmp")"; fail=1; }
	# output into a pipe that is closed at once: the child dies of SIGPIPE, and the
	# parent, whose message then meets the closed pipe too, still removes the copy
	(TMPDIR=$scratch/tmp "$tl" verify "$scratch/case.tar" 2>&1 | true) || true
	[ -z "$(ls -A "$scratch/tmp")" ] && echo "ok    verify into a closed pipe: nothing left in TMPDIR" ||
		{ echo "FAIL: verify into a closed pipe left $(ls "$scratch/tmp")"; fail=1; }
	has tar '^VERIFIED: '
	# a file planted in a bundle, even with SHA256SUMS made again to list it, is named
	mkdir "$scratch/plant"
	tar -xf "$scratch/case.tar" -C "$scratch/plant"
	echo "not evidence" >"$scratch/plant/case/extra.pcap"
	(cd "$scratch/plant/case" && sha256sum $(sed 's/^[0-9a-f]*  //' SHA256SUMS) extra.pcap >SHA256SUMS.new &&
		mv SHA256SUMS.new SHA256SUMS)
	tar -cf "$scratch/planted.tar" -C "$scratch/plant" case
	run_verify 6 planted "$scratch/planted.tar"
	has planted '^ok +bundle listing '
	has planted '^FAILED +bundle contents +extra.pcap: in the bundle, but neither'
	# a report these files do not make is refused
	"$tl" report "$case_ini" --draft -o "$scratch/draft.pdf"
	st=0
	"$tl" bundle "$case_ini" -o "$scratch/no.tar" --report "$scratch/draft.pdf" \
		>/dev/null 2>"$scratch/no.err" || st=$?
	[ "$st" = 6 ] && [ ! -e "$scratch/no.tar" ] && echo "ok    bundle refuses another report" ||
		{ echo "FAIL: bundle --report with another report: exit $st"; fail=1; }
	;;
tamper)
	need qpdf qpdf
	need fix-qdf qpdf
	first=$(echo "$labels" | head -1)
	input=$(grep -E "^$first *=" "$case_ini" | sed 's/^[^=]*= *//; s/ .*//')
	# one flipped byte in one input
	cp -r "$scratch/case" "$scratch/flipped"
	flip "$scratch/flipped/$input" 5000
	run_verify 6 input-byte "$scratch/report.pdf" --inputs "$scratch/flipped"
	has input-byte "^FAILED +input $first .*the manifest says"
	has input-byte '^skipped +analysis '
	has input-byte '^NOT VERIFIED: '
	run_verify 6 input-byte-json "$scratch/report.pdf" --inputs "$scratch/flipped" --json
	[ "$(jq -r '.verdict + "/" + (.checks[] | select(.check == "input '"$first"'") | .verdict)' \
		"$scratch/input-byte-json.out")" = "NOT VERIFIED/FAILED" ] &&
		echo "ok    --json: the changed input FAILED, NOT VERIFIED" ||
		{ echo "FAIL: --json on a changed input"; fail=1; }
	# the case file's expected hashes stop report and bundle, naming the file
	for cmd in report bundle; do
		st=0
		"$tl" $cmd "$scratch/flipped/case.ini" -o "$scratch/stopped.$cmd" \
			>/dev/null 2>"$scratch/stopped.err" || st=$?
		[ "$st" = 5 ] && grep -q "$input: SHA-256 mismatch: the case file expects" \
			"$scratch/stopped.err" && [ ! -e "$scratch/stopped.$cmd" ] &&
			echo "ok    $cmd stops on the expected hash (exit 5), naming $input" ||
			{ echo "FAIL: $cmd on a changed input: exit $st"; cat "$scratch/stopped.err"; fail=1; }
	done
	# a missing input
	cp -r "$scratch/case" "$scratch/missing"
	rm "$scratch/missing/$input"
	mv "$scratch/case" "$scratch/case.away" # so the recorded path does not find it
	run_verify 6 input-missing "$scratch/report.pdf" --inputs "$scratch/missing"
	has input-missing "^MISSING +input $first "
	mv "$scratch/case.away" "$scratch/case"
	# one flipped byte in the PDF, with and without its checksum file beside it
	cp "$scratch/report.pdf" "$scratch/flip.pdf"
	cp "$scratch/report.pdf.manifest.json" "$scratch/flip.pdf.manifest.json"
	cp "$scratch/report.pdf.sha256" "$scratch/flip.pdf.sha256"
	sed -i 's/report.pdf/flip.pdf/' "$scratch/flip.pdf.sha256"
	size=$(stat -c %s "$scratch/flip.pdf")
	flip "$scratch/flip.pdf" $((size / 3))
	run_verify 6 pdf-byte "$scratch/flip.pdf"
	has pdf-byte '^FAILED +checksum file '
	has pdf-byte '^NOT VERIFIED: '
	rm "$scratch/flip.pdf.sha256"
	run_verify 6 pdf-byte-alone "$scratch/flip.pdf"
	has pdf-byte-alone '^(FAILED|DIFFERS) +(document|embedded findings|report|analysis) '
	# the embedded manifest edited: it now claims another tool version
	qpdf --qdf --object-streams=disable "$scratch/report.pdf" "$scratch/q.pdf"
	ver=$("$tl" version | head -1 | cut -d' ' -f2)
	LC_ALL=C sed "s/\"name\":\"tealeaves\",\"version\":\"$ver\"/\"name\":\"tealeaves\",\"version\":\"9.9.9\"/" \
		"$scratch/q.pdf" >"$scratch/q-edited.pdf"
	cmp -s "$scratch/q.pdf" "$scratch/q-edited.pdf" && { echo "FAIL: the manifest edit did nothing"; fail=1; }
	fix-qdf "$scratch/q-edited.pdf" >"$scratch/edited.pdf"
	run_verify 6 manifest-edit "$scratch/edited.pdf"
	has manifest-edit '^FAILED +embedded manifest .*changed after the report was made'
	has manifest-edit '^DIFFERS +tool +made by tealeaves 9\.9\.9 '
	has manifest-edit '^DIFFERS +report +made again'
	has manifest-edit '^NOT VERIFIED: '
	# the usual way to edit a PDF: an incremental update appended to the file, here
	# replacing the embedded manifest with one that names another hash for an input
	obj=$(grep -a -B4 '/Type /EmbeddedFile' "$scratch/report.pdf" | grep -a ' 0 obj' |
		tail -1 | cut -d' ' -f1)
	info=$(grep -a '^/Info ' "$scratch/report.pdf" | tail -1 | cut -d' ' -f2)
	nobj=$(grep -a '^/Size ' "$scratch/report.pdf" | tail -1 | cut -d' ' -f2)
	prev=$(tail -n 2 "$scratch/report.pdf" | head -1)
	sum=$(sha256sum "$scratch/case/$input" | cut -d' ' -f1)
	sed "s/$sum/$(printf '%064d' 0)/" "$scratch/report.pdf.manifest.json" >"$scratch/forged.json"
	cp "$scratch/report.pdf" "$scratch/updated.pdf"
	off=$(stat -c %s "$scratch/updated.pdf")
	{
		printf '%s 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length %s >>\nstream\n' \
			"$obj" "$(stat -c %s "$scratch/forged.json")"
		cat "$scratch/forged.json"
		printf '\nendstream\nendobj\n'
	} >>"$scratch/updated.pdf"
	xref=$(stat -c %s "$scratch/updated.pdf")
	printf 'xref\n0 1\n0000000000 65535 f \n%s 1\n%010d 00000 n \ntrailer\n<< /Size %s /Root 1 0 R /Info %s 0 R /Prev %s >>\nstartxref\n%s\n%%%%EOF\n' \
		"$obj" "$off" "$nobj" "$info" "$prev" "$xref" >>"$scratch/updated.pdf"
	pdfdetach -list "$scratch/updated.pdf" >/dev/null 2>&1 ||
		{ echo "FAIL: the updated PDF does not open in poppler"; fail=1; }
	run_verify 6 incremental "$scratch/updated.pdf"
	has incremental '^FAILED +document +1 incremental update was appended'
	has incremental '^FAILED +embedded manifest .*changed after the report was made'
	has incremental "^FAILED +input $first .*the manifest says .* SHA-256 0{64}"
	# the same document rewritten by qpdf without an edit still carries its manifest
	run_verify 6 rewritten "$scratch/q.pdf"
	has rewritten '^ok +embedded manifest '
	has rewritten '^DIFFERS +report +made again'
	# another installation: an edited template in another data folder. The evidence
	# matches, so the verdict is "not verified here" (exit 7), naming the template
	mkdir -p "$scratch/data"
	cp -r "$src/templates" "$src/fonts" "$src/icc" "$scratch/data/"
	sed -i '0,/^This report describes/s//This report, edited, describes/' \
		"$scratch/data/templates/default.tmpl"
	TEALEAVES_DATA_DIR=$scratch/data run_verify 7 other-data "$scratch/report.pdf"
	has other-data '^DIFFERS +template '
	has other-data '^DIFFERS +report +made again'
	has other-data '^NOT VERIFIED: the evidence files match the SHA-256 recorded in the manifest, but the report.s findings and content were not confirmed'
	# another machine's tzdata: a zone folder whose version and one zone file differ.
	# The evidence matches, local times may not: not verified here (exit 7)
	mkdir -p "$scratch/zoneinfo/Europe" "$scratch/zoneinfo/America"
	cp /usr/share/zoneinfo/America/New_York "$scratch/zoneinfo/America/"
	cp /usr/share/zoneinfo/UTC "$scratch/zoneinfo/"
	cp /usr/share/zoneinfo/Europe/Moscow "$scratch/zoneinfo/Europe/"
	printf '# version 2099z\n' >"$scratch/zoneinfo/tzdata.zi"
	printf 'x' >>"$scratch/zoneinfo/Europe/Moscow"
	TZDIR=$scratch/zoneinfo run_verify 7 other-tzdata "$scratch/report.pdf"
	has other-tzdata '^DIFFERS +time-zone data +the report was made with tzdata [0-9]{4}[a-z]+; this machine has 2099z'
	has other-tzdata '^DIFFERS +time-zone file +.*/Europe/Moscow: '
	has other-tzdata '^ok +time-zone file +.*/America/New_York: '
	run_verify 0 same-tzdata "$scratch/report.pdf"
	has same-tzdata '^ok +time-zone data +tzdata [0-9]{4}[a-z]+ under /usr/share/zoneinfo, as the manifest says'
	# a bundle with one changed byte
	"$tl" bundle "$case_ini" -o "$scratch/case.tar" >/dev/null
	flip "$scratch/case.tar" $(($(stat -c %s "$scratch/case.tar") / 2))
	run_verify 6 bundle-byte "$scratch/case.tar"
	has bundle-byte '^NOT VERIFIED: '
	;;
sign)
	need openssl openssl
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=Examiner One/O=Test Lab" \
		-days 3650 -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
	"$tl" report "$case_ini" -o "$scratch/signed.pdf" \
		--sign-key "$scratch/key.pem" --sign-cert "$scratch/cert.pem"
	cmp -s "$scratch/signed.pdf" "$scratch/report.pdf" &&
		echo "ok    signing leaves the PDF byte-identical" ||
		{ echo "FAIL: the signed report's PDF differs from the unsigned one"; fail=1; }
	openssl cms -verify -binary -inform DER -in "$scratch/signed.pdf.p7s" \
		-content "$scratch/signed.pdf" -noverify -out /dev/null 2>/dev/null &&
		echo "ok    openssl cms -verify accepts the signature" ||
		{ echo "FAIL: openssl cms -verify rejects the signature"; fail=1; }
	run_verify 0 signed "$scratch/signed.pdf"
	has signed '^ok +signature .*Examiner One'
	has signed '^VERIFIED: '
	run_verify 0 signed-ca "$scratch/signed.pdf" --ca "$scratch/cert.pem"
	has signed-ca '^ok +signature .*chains to one of the --ca certificates'
	# a key that does not work leaves no report behind
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=Someone Else" -days 3650 \
		-keyout "$scratch/key2.pem" -out "$scratch/cert2.pem" 2>/dev/null
	st=0
	"$tl" report "$case_ini" -o "$scratch/mismatch.pdf" --sign-key "$scratch/key2.pem" \
		--sign-cert "$scratch/cert.pem" 2>"$scratch/mismatch.err" || st=$?
	[ "$st" != 0 ] && [ ! -e "$scratch/mismatch.pdf" ] && grep -q 'signing' "$scratch/mismatch.err" &&
		echo "ok    a key that does not match its certificate: exit $st, no report" ||
		{ echo "FAIL: mismatched key: exit $st"; cat "$scratch/mismatch.err"; fail=1; }
	# a signed bundle carries the signature, and verify checks it there
	"$tl" bundle "$case_ini" -o "$scratch/signed.tar" \
		--sign-key "$scratch/key.pem" --sign-cert "$scratch/cert.pem" >/dev/null
	run_verify 0 signed-tar "$scratch/signed.tar"
	has signed-tar '^ok +signature .*Examiner One'
	# a signature made for another file
	"$tl" report "$case_ini" --draft -o "$scratch/other.pdf"
	cp "$scratch/signed.pdf.p7s" "$scratch/other.pdf.p7s"
	run_verify 6 wrong-signature "$scratch/other.pdf"
	has wrong-signature '^FAILED +signature '
	has wrong-signature '^NOT VERIFIED: '
	;;
attacks)
	need qpdf qpdf
	need fix-qdf qpdf
	# an emptied manifest whose SHA-256 (of nothing) is written as the report ID
	qpdf --qdf --object-streams=disable "$scratch/report.pdf" "$scratch/q.pdf"
	id=$(sha256sum "$scratch/report.pdf.manifest.json" | cut -d' ' -f1)
	empty=$(printf '' | sha256sum | cut -d' ' -f1)
	LC_ALL=C sed -e '/^{"schema":"tealeaves-manifest\/[0-9]*"/d' -e "s/$id/$empty/g" \
		"$scratch/q.pdf" >"$scratch/q-empty.pdf"
	fix-qdf "$scratch/q-empty.pdf" >"$scratch/empty-manifest.pdf"
	run_verify 6 empty-manifest "$scratch/empty-manifest.pdf"
	has empty-manifest '^FAILED +manifest +no manifest'
	has empty-manifest '^NOT VERIFIED: .*carries no readable manifest'
	# a "copy" of the inputs that only points at the originals
	mkdir "$scratch/links"
	cp "$scratch/case/case.ini" "$scratch/case/"*.csv "$scratch/links/"
	for l in $labels; do
		f=$(grep -E "^$l *=" "$case_ini" | sed 's/^[^=]*= *//; s/ .*//')
		ln -s "$scratch/case/$f" "$scratch/links/$f"
	done
	run_verify 6 symlinks "$scratch/report.pdf" --inputs "$scratch/links"
	has symlinks '^MISSING +input .*symbolic links and files outside it do not count'
	has symlinks '^NOT VERIFIED: [0-9]+ files named in the manifest were not found'
	# inputs named with ".." are not looked for outside --inputs
	mkdir -p "$scratch/up/case" "$scratch/up/evidence" "$scratch/copy/case"
	cp "$scratch/case/"* "$scratch/up/case/"
	for l in $labels; do
		f=$(grep -E "^$l *=" "$case_ini" | sed 's/^[^=]*= *//; s/ .*//')
		mv "$scratch/up/case/$f" "$scratch/up/evidence/$f"
		sed -i "s#^$l = $f#$l = ../evidence/$f#" "$scratch/up/case/case.ini"
	done
	"$tl" report "$scratch/up/case/case.ini" -o "$scratch/up.pdf"
	cp "$scratch/up/case/case.ini" "$scratch/up/case/"*.csv "$scratch/copy/case/"
	run_verify 6 dotdot "$scratch/up.pdf" --inputs "$scratch/copy"
	has dotdot '^MISSING +input '
	run_verify 0 dotdot-here "$scratch/up.pdf"
	# the letters of the structure's keywords inside the text are not an edit
	"$tl" report "$case_ini" -o "$scratch/sx.pdf" --set "case.title=startxref 0 %%EOF"
	run_verify 0 startxref "$scratch/sx.pdf"
	# a manifest naming files of the kernel's pseudo file systems is not read from them
	qpdf --qdf --object-streams=disable "$scratch/report.pdf" "$scratch/q2.pdf"
	LC_ALL=C sed -e "s#\"case_path\":\"[^\"]*\"#\"case_path\":\"/proc/self/pagemap\"#" \
		"$scratch/q2.pdf" >"$scratch/q2-proc.pdf"
	fix-qdf "$scratch/q2-proc.pdf" >"$scratch/proc.pdf"
	st=0
	timeout 300 "$tl" verify "$scratch/proc.pdf" >"$scratch/proc.out" 2>&1 || st=$?
	[ "$st" = 6 ] && grep -Eq '^MISSING +case file +/proc/self/pagemap: not found' "$scratch/proc.out" &&
		echo "ok    proc: a manifest naming /proc/self/pagemap: not read, exit 6" ||
		{ echo "FAIL: proc: exit $st"; cat "$scratch/proc.out"; fail=1; }
	# inputs deeper than the search goes are MISSING, and the line says why
	deep=$scratch/deep
	for i in $(seq 1 18); do deep=$deep/d$i; done
	mkdir -p "$deep"
	cp "$scratch/case/"* "$deep/"
	run_verify 6 deep "$scratch/report.pdf" --inputs "$scratch/deep"
	has deep '^MISSING +case file .*the search stopped at 16 levels of folders'
	# a FIFO where the checksum file should be does not hang verify
	mkdir "$scratch/fifo"
	cp "$scratch/report.pdf" "$scratch/fifo/"
	mkfifo "$scratch/fifo/report.pdf.sha256"
	st=0
	timeout 300 "$tl" verify "$scratch/fifo/report.pdf" >"$scratch/fifo.out" 2>&1 || st=$?
	[ "$st" = 6 ] && grep -Eq '^FAILED +checksum file .*not a regular file' "$scratch/fifo.out" &&
		echo "ok    fifo: verify returned 6, naming the checksum file" ||
		{ echo "FAIL: fifo: exit $st"; cat "$scratch/fifo.out"; fail=1; }
	# control characters from a file name cannot forge a line of the output
	nl=$'\n'
	mkdir "$scratch/odd${nl}VERIFIED: forged"
	cp "$scratch/case/"* "$scratch/odd${nl}VERIFIED: forged/"
	"$tl" report "$scratch/odd${nl}VERIFIED: forged/case.ini" -o "$scratch/odd.pdf"
	run_verify 0 odd "$scratch/odd.pdf"
	has odd 'odd\\x0aVERIFIED: forged/case.ini'
	[ "$(grep -c '^VERIFIED' "$scratch/odd.out")" = 1 ] &&
		echo "ok    odd: one verdict line" || { echo "FAIL: odd: forged line"; fail=1; }
	# a case with its own template and a file name with two dots: bundle and verify
	mkdir "$scratch/own"
	cp "$scratch/case/"* "$scratch/own/"
	cp "$src/templates/default.tmpl" "$scratch/own/my.tmpl"
	sed -i 's#^template = default$#template = ./my.tmpl#' "$scratch/own/case.ini"
	f=$(grep -E "^$first *=" "$case_ini" | sed 's/^[^=]*= *//; s/ .*//')
	mv "$scratch/own/$f" "$scratch/own/two..dots-$f"
	sed -i "s#^$first = $f#$first = two..dots-$f#; /^$first.sha256/d" "$scratch/own/case.ini"
	"$tl" report "$scratch/own/case.ini" -o "$scratch/own.pdf"
	[ "$(jq -r .template.name "$scratch/own.pdf.manifest.json")" = "./my.tmpl" ] &&
		echo "ok    own template: recorded as the case file writes it" ||
		{ echo "FAIL: own template recorded as $(jq -r .template.name "$scratch/own.pdf.manifest.json")"; fail=1; }
	(cd / && "$tl" verify "$scratch/own.pdf" >"$scratch/own-elsewhere.out" 2>&1) &&
		echo "ok    own template: verify from another folder" ||
		{ echo "FAIL: own template: verify from another folder"; cat "$scratch/own-elsewhere.out"; fail=1; }
	"$tl" bundle "$scratch/own/case.ini" -o "$scratch/own.tar" >/dev/null
	run_verify 0 own-tar "$scratch/own.tar"
	has own-tar '^ok +template '
	# a folder name that is not UTF-8 cannot be recorded as the command: refused
	mkdir "$scratch/$(printf '\351')vidence"
	cp "$scratch/case/"* "$scratch/$(printf '\351')vidence/"
	st=0
	"$tl" report "$scratch/$(printf '\351')vidence/case.ini" -o "$scratch/nonutf8.pdf" \
		2>"$scratch/nonutf8.err" || st=$?
	[ "$st" = 1 ] && [ ! -e "$scratch/nonutf8.pdf" ] && grep -q 'not valid UTF-8' "$scratch/nonutf8.err" &&
		echo "ok    a non-UTF-8 case path is refused" ||
		{ echo "FAIL: non-UTF-8 case path: exit $st"; fail=1; }
	# names that are not ASCII are stored under ASCII names, listed as the case file
	# writes them, and found again by their SHA-256
	mkdir "$scratch/utf"
	cp "$scratch/case/"* "$scratch/utf/"
	mv "$scratch/utf/$f" "$scratch/utf/é-$f"
	sed -i "s#^$first = $f#$first = é-$f#" "$scratch/utf/case.ini"
	mv "$scratch/utf/case.ini" "$scratch/utf/cas-é.ini"
	"$tl" bundle "$scratch/utf/cas-é.ini" -o "$scratch/utf.tar" >/dev/null
	tar -tf "$scratch/utf.tar" >"$scratch/utf.list"
	if LC_ALL=C grep -q '[^ -~]' "$scratch/utf.list"; then
		echo "FAIL: a member name is not printable ASCII"; fail=1
	fi
	grep -qx "cas-__/other/$first/__-$f" "$scratch/utf.list" &&
		grep -qx "cas-__/other/case/cas-__.ini" "$scratch/utf.list" &&
		echo "ok    non-ASCII names stored as ASCII" ||
		{ echo "FAIL: non-ASCII names:"; cat "$scratch/utf.list"; fail=1; }
	tar -xOf "$scratch/utf.tar" cas-__/LISTING.txt | grep -q "the case file names it \"é-$f\"" &&
		echo "ok    LISTING.txt gives the name as written" ||
		{ echo "FAIL: LISTING.txt lacks the name as written"; fail=1; }
	run_verify 0 utf-tar "$scratch/utf.tar"
	has utf-tar "^ok +input $first +[^ ]*utf.tar:cas-__/other/$first/__-$f"
	;;
*)
	echo "unknown mode $mode"
	exit 2
	;;
esac
exit $fail
