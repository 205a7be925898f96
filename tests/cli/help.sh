#!/usr/bin/env bash
# help.sh - every command's --help prints that command's own usage, each of its long
# options, and examples; the global help lists every command.
set -euo pipefail
tl=$1
fail=0
check() {
	local cmd=$1
	shift
	local out rc=0
	out=$("$tl" "$cmd" --help 2>&1) || rc=$?
	[ "$rc" = 0 ] || { echo "FAIL  $cmd --help: exit $rc"; fail=1; return; }
	head -1 <<<"$out" | grep -q "^usage: tealeaves $cmd " ||
		{ echo "FAIL  $cmd --help: first line is not its usage: $(head -1 <<<"$out")"; fail=1; }
	grep -q '^example' <<<"$out" || { echo "FAIL  $cmd --help: no example"; fail=1; }
	for o in "$@"; do
		grep -q -- "$o" <<<"$out" || { echo "FAIL  $cmd --help does not name $o"; fail=1; }
	done
	[ "$fail" = 0 ] && echo "ok    $cmd --help"
}
check records --format --port --case --target --source --org --name --from --to \
	--with-duplicates --set --threads
check inspect --json --port
check analyze --output --set --threads
check profile --json --set --threads
check report --output --pdfa --draft --charts --csv --findings --sign-key --sign-cert --set \
	--threads
check verify --inputs --case --signature --ca --threads --json
check bundle --output --report --pdfa --draft --set --threads --sign-key --sign-cert
g=$("$tl" --help)
for c in records inspect analyze profile report verify bundle version help; do
	grep -q "^  $c" <<<"$g" || { echo "FAIL  the global help does not list $c"; fail=1; }
done
exit $fail
