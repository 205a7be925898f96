#!/usr/bin/env bash
# run.sh - golden tests: `tealeaves records` and `tealeaves inspect --json` on each
# generated test file, compared byte for byte with tests/golden/<file>.records.jsonl
# and <file>.inspect.json.
#
# Usage: run.sh TEALEAVES TESTDATA_DIR GOLDEN_DIR [FILE...]
#          checks FILE... (default: every file in TESTDATA_DIR)
#        run.sh --complete TESTDATA_DIR GOLDEN_DIR
#          checks that every generated file has both expected files (or is PENDING
#          below) and that no expected file is stale
#   TL_GOLDEN_UPDATE=1 writes the expected files instead of comparing: read every
#   change before committing it (a golden that records a bug is worse than none).
# tealeaves runs inside TESTDATA_DIR with bare file names, so the outputs do not
# depend on where the build directory is.
set -uo pipefail

# Generated files that have no expected outputs yet because tealeaves reads them
# wrongly today; a golden that recorded the bug would be worse than none. When the
# bug is fixed: TL_GOLDEN_UPDATE=1 run.sh ... FILE, read the output, commit, and
# remove the file from this list.
PENDING="
"

if [ "${1:-}" = --complete ]; then
	[ $# -eq 3 ] || { echo "usage: run.sh --complete TESTDATA_DIR GOLDEN_DIR" >&2; exit 2; }
	data=$2 golden=$3 fail=0 n=0
	for path in "$data"/*; do
		f=$(basename "$path")
		n=$((n + 1))
		reason=$(echo "$PENDING" | awk -F'\t' -v f="$f" '$1 == f { print $2 }')
		if [ -n "$reason" ]; then
			echo "PENDING: $f: $reason"
			if [ -e "$golden/$f.records.jsonl" ] || [ -e "$golden/$f.inspect.json" ]; then
				echo "FAIL: $f is PENDING but has expected files: remove it from PENDING"
				fail=1
			fi
		elif [ ! -e "$golden/$f.records.jsonl" ] || [ ! -e "$golden/$f.inspect.json" ]; then
			echo "FAIL: $f has no expected outputs in $golden"
			fail=1
		fi
	done
	for want in "$golden"/*.records.jsonl "$golden"/*.inspect.json; do
		[ -e "$want" ] || continue
		base=$(basename "$want")
		base=${base%.records.jsonl}
		base=${base%.inspect.json}
		if [ ! -e "$data/$base" ]; then
			echo "FAIL: stale expected file $(basename "$want"): tlgen writes no $base"
			fail=1
		fi
	done
	[ $n -gt 0 ] || { echo "FAIL: nothing in $data"; fail=1; }
	[ $fail = 0 ] && echo "ok: all $n generated files are covered"
	exit $fail
fi

if [ $# -lt 3 ]; then
	echo "usage: run.sh TEALEAVES TESTDATA_DIR GOLDEN_DIR [FILE...]" >&2
	exit 2
fi
tealeaves=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$2 golden=$(cd "$3" && pwd)
shift 3
update=${TL_GOLDEN_UPDATE:-0}
if [ $# -eq 0 ]; then
	set -- $(cd "$data" && ls -A | LC_ALL=C sort | while read -r f; do
		echo "$PENDING" | grep -q "^$f	" || echo "$f"; done)
fi
[ $# -gt 0 ] || { echo "FAIL: no test files in $data"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# check NAME KIND: compares $tmp/out with $golden/NAME.KIND (or writes it)
check() {
	local want=$golden/$1.$2
	if [ "$update" = 1 ]; then
		cp "$tmp/out" "$want"
		echo "updated $1.$2"
	elif [ ! -f "$want" ]; then
		echo "FAIL: $1: no expected file $1.$2"
		fail=1
	elif ! diff -u "$want" "$tmp/out" > "$tmp/diff"; then
		echo "FAIL: $1: output differs from $1.$2:"
		head -n 200 "$tmp/diff"
		fail=1
	fi
}

for f in "$@"; do
	if [ ! -f "$data/$f" ]; then
		echo "FAIL: $f: not in $data"
		fail=1
		continue
	fi
	for kind in records.jsonl inspect.json; do
		if [ "$kind" = records.jsonl ]; then
			(cd "$data" && "$tealeaves" records "$f") > "$tmp/out" 2> "$tmp/err"
		else
			(cd "$data" && "$tealeaves" inspect --json "$f") > "$tmp/out" 2> "$tmp/err"
		fi
		rc=$?
		# every generated file is readable: bad data inside is an anomaly, not an error
		# (warnings on stderr, such as an unsupported link type, are allowed)
		if [ $rc -ne 0 ]; then
			echo "FAIL: $f: tealeaves ${kind%%.*} exited $rc; stderr:"
			cat "$tmp/err"
			fail=1
		fi
		check "$f" "$kind"
	done
done

[ $fail = 0 ] && echo "ok: $# file(s) match their golden outputs"
exit $fail
