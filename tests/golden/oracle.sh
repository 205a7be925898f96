#!/usr/bin/env bash
# oracle.sh - compares what tealeaves reads from each generated capture with what
# tshark (an independent decoder) reads from it.
#
# Usage: oracle.sh TEALEAVES TSHARK TESTDATA_DIR
#
# For every capture, both sides are reduced to one line per DNS message:
#   frame  qname  qtype  rcode  id  src  dst
# (qtype and rcode as numbers, rcode with the EDNS extended bits, id in decimal) and
# the sorted lists must be equal. Normalisation, and only this:
#   - tshark prints names without the final dot: we add it ("<Root>" becomes ".");
#   - tshark gives dns.flags.rcode only for responses: a query's rcode is taken as 0
#     (every query in the test set has rcode 0 in its header);
#   - tshark gives the extended rcode bits (RFC 6891 6.1.3) in a separate field:
#     rcode = ext_rcode * 16 + rcode, as tealeaves reports it;
#   - tshark prints ids in hex: converted to decimal.
# Frames where the two decoders are expected to disagree are listed in EXCLUDE
# below with the reason; each must be flagged by tealeaves as the anomaly named
# there (checked against `tealeaves inspect --json`), and each frame tshark flags
# as malformed must be listed. Nothing else is skipped.
set -uo pipefail
if [ $# -ne 3 ]; then
	echo "usage: oracle.sh TEALEAVES TSHARK TESTDATA_DIR" >&2
	exit 2
fi
tealeaves=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tshark=$2
data=$3
export LC_ALL=C

# Files not compared: the unsupported link type (tealeaves counts and skips its
# frames on purpose) and text logs (tshark does not read them).
SKIP="wifi.pcap"

# file frame anomaly-kind reason
EXCLUDE="
malformed.pcap 2 dns_bad_pointer question name is a forward pointer; tshark prints <Root>
malformed.pcap 3 dns_pointer_loop pointer loop; tshark prints a placeholder name
malformed.pcap 4 dns_pointer_loop answer owner points to itself; tshark: malformed
malformed.pcap 5 dns_bad_label label type 01; tshark: malformed, no question
malformed.pcap 6 dns_bad_label label type 10; tshark: malformed, no question
malformed.pcap 7 dns_name_too_long name over 255 octets; tshark prints a placeholder name
malformed.pcap 8 dns_short 6-octet message; tealeaves keeps no record, tshark: malformed
malformed.pcap 9 dns_truncated answer count larger than the answers; tshark: malformed
malformed.pcap 10 dns_rdata_malformed A rdata of 3 octets; tshark: malformed
malformed.pcap 12 dns_truncated rdlength past the end; tshark: malformed
"

# Per-file tshark options. tcp-ooo: the second half of the response arrives first,
# which tshark reassembles only with out-of-order reassembly on. (tcp-hole must not
# use it: tshark would then wait forever for the missing segment.)
tshark_opts() {
	case "$1" in
	tcp-ooo.pcap) echo "-o tcp.reassemble_out_of_order:TRUE" ;;
	esac
}

# What tshark may say on stderr besides the warning about running as root.
expected_stderr() {
	case "$1" in
	cut.pcap) echo 'appears to have been cut short in the middle of a packet' ;;
	esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
nfiles=0

for path in $(ls "$data"/*.pcap "$data"/*.pcapng "$data"/*.pcap.gz 2>/dev/null | sort); do
	f=$(basename "$path")
	case " $SKIP " in *" $f "*) continue ;; esac
	nfiles=$((nfiles + 1))

	# --- tshark's view ---
	# shellcheck disable=SC2046
	"$tshark" -n -r "$path" $(tshark_opts "$f") -Y dns -T fields -E separator=/t \
		-E occurrence=a -E aggregator=, \
		-e frame.number -e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.id \
		-e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e dns.flags.response \
		-e dns.resp.ext_rcode -e _ws.malformed \
		> "$tmp/ts.raw" 2> "$tmp/ts.err"
	rc=$?
	grep -v '^Running as user "root"' "$tmp/ts.err" | grep -v '^ *$' > "$tmp/ts.err2"
	want_err=$(expected_stderr "$f")
	if [ -n "$want_err" ]; then
		if ! grep -q "$want_err" "$tmp/ts.err2"; then
			echo "FAIL: $f: tshark did not say '$want_err'"
			fail=1
		fi
		grep -v "$want_err" "$tmp/ts.err2" > "$tmp/ts.err3"
		mv "$tmp/ts.err3" "$tmp/ts.err2"
	elif [ $rc -ne 0 ]; then
		echo "FAIL: $f: tshark exited $rc"
		fail=1
	fi
	if [ -s "$tmp/ts.err2" ]; then
		echo "FAIL: $f: unexpected tshark messages:"
		cat "$tmp/ts.err2"
		fail=1
	fi

	# excluded frames of this file
	echo "$EXCLUDE" | awk -v f="$f" '$1 == f { print $2 }' > "$tmp/excl"

	awk -F'\t' -v f="$f" -v exclfile="$tmp/excl" -v malfile="$tmp/malformed" '
	function hex(s,   i, c, v) {
		v = 0
		s = tolower(s)
		sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1))
			if (c == 0) return -1
			v = v * 16 + c - 1
		}
		return v
	}
	BEGIN {
		while ((getline x < exclfile) > 0) excl[x] = 1
		printf "" > malfile
	}
	{
		frame = $1
		if ($12 != "") print frame > malfile
		if (frame in excl) next
		nid = split($5, ids, ",")
		nq = split($2, qn, ",")
		nt = split($3, qt, ",")
		nr = split($4, rc, ",")
		nresp = split($10, resp, ",")
		nx = split($11, xr, ",")
		src = $6 != "" ? $6 : $7
		dst = $8 != "" ? $8 : $9
		if (nq != nid || nt != nid || nresp != nid) {
			printf "ALIGN %s frame %s: %d ids, %d names, %d types\n", f, frame, nid, nq, nt
			next
		}
		# rcode and ext_rcode are only present for responses / OPT records; every
		# message of one frame must then be alike, or they cannot be aligned
		nresponses = 0
		for (i = 1; i <= nid; i++) if (resp[i] == "1") nresponses++
		if ((nr != 0 && nr != nid) || (nr == 0 && nresponses > 0) || (nx != 0 && nx != nid)) {
			printf "ALIGN %s frame %s: %d ids, %d rcodes, %d ext_rcodes\n", f, frame, nid, nr, nx
			next
		}
		for (i = 1; i <= nid; i++) {
			name = qn[i]
			if (name == "<Root>") name = "."
			else if (name != "") name = name "."
			r = nr ? rc[i] + 0 : 0
			if (nx) r += hex(xr[i]) * 16
			printf "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", frame, name, qt[i], r, hex(ids[i]), src, dst
		}
	}' "$tmp/ts.raw" > "$tmp/ts.tuples"
	if grep -q '^ALIGN' "$tmp/ts.tuples"; then
		echo "FAIL: $f: tshark output could not be aligned:"
		grep '^ALIGN' "$tmp/ts.tuples"
		fail=1
	fi
	sort "$tmp/ts.tuples" > "$tmp/ts.sorted"

	# every frame tshark calls malformed must be an expected exclusion
	while read -r fr; do
		if ! grep -qx "$fr" "$tmp/excl"; then
			echo "FAIL: $f: tshark flags frame $fr as malformed, and it is not in EXCLUDE"
			fail=1
		fi
	done < "$tmp/malformed"

	# --- tealeaves' view ---
	if ! (cd "$data" && "$tealeaves" records --format tsv "$f") > "$tmp/tl.tsv" 2> "$tmp/tl.err"; then
		echo "FAIL: $f: tealeaves records failed:"
		cat "$tmp/tl.err"
		fail=1
	fi
	awk -F'\t' -v exclfile="$tmp/excl" '
	BEGIN { while ((getline x < exclfile) > 0) excl[x] = 1 }
	NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		split("pos qname qtype_num rcode_num id src dst", need, " ")
		for (k in need) if (!(need[k] in col)) {
			print "NOCOLUMN " need[k]
			exit
		}
		next
	}
	($col["pos"] in excl) { next }
	{
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $col["pos"], $col["qname"], $col["qtype_num"],
			$col["rcode_num"], $col["id"], $col["src"], $col["dst"]
	}' "$tmp/tl.tsv" > "$tmp/tl.tuples"
	if grep -q '^NOCOLUMN' "$tmp/tl.tuples"; then
		echo "FAIL: $f: tealeaves TSV lacks a column: $(grep '^NOCOLUMN' "$tmp/tl.tuples")"
		fail=1
	fi
	sort "$tmp/tl.tuples" > "$tmp/tl.sorted"

	# --- excluded frames must be anomalies in tealeaves ---
	if [ -s "$tmp/excl" ]; then
		(cd "$data" && "$tealeaves" inspect --json "$f") > "$tmp/inspect.json" 2> /dev/null
		# flatten {"kind": K, ... "first_positions": [a, b]} into "K a" lines
		tr -d ' \n' < "$tmp/inspect.json" |
			grep -o '"kind":"[a-z0-9_]*","count":[0-9]*,"first_positions":\[[0-9,]*\]' |
			awk -F'"' '{ k = $4; p = $0; sub(/.*\[/, "", p); sub(/\].*/, "", p)
				n = split(p, a, ","); for (i = 1; i <= n; i++) print k, a[i] }' \
			> "$tmp/anomalies"
		if [ ! -s "$tmp/anomalies" ]; then
			echo "FAIL: $f: could not read anomaly positions from tealeaves inspect --json"
			fail=1
		fi
		echo "$EXCLUDE" | awk -v f="$f" '$1 == f { print $3, $2 }' | while read -r kind fr; do
			if ! grep -qx "$kind $fr" "$tmp/anomalies"; then
				echo "FAIL: $f: frame $fr is excluded as $kind, but tealeaves reports no $kind there"
				echo fail > "$tmp/exclfail"
			fi
		done
		if [ -e "$tmp/exclfail" ]; then
			fail=1
			rm -f "$tmp/exclfail"
		fi
	fi

	if ! diff -u --label "tshark:$f" --label "tealeaves:$f" "$tmp/ts.sorted" "$tmp/tl.sorted" \
		> "$tmp/diff"; then
		echo "FAIL: $f: tealeaves and tshark disagree (frame qname qtype rcode id src dst):"
		cat "$tmp/diff"
		fail=1
	elif [ ! -s "$tmp/ts.sorted" ]; then
		echo "FAIL: $f: no DNS messages at all"
		fail=1
	fi
done

if [ $nfiles -lt 20 ]; then
	echo "FAIL: only $nfiles captures found in $data"
	fail=1
fi
[ $fail = 0 ] && echo "ok: $nfiles captures agree with tshark"
exit $fail
