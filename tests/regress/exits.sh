#!/bin/sh
# exits.sh TEALEAVES REGRESS_DIR SAMPLES WORK - the exit status and message of each
# tests/regress/exit-* input, placed in a small case (TESTLIST says what each checks).
# Exit statuses (README, man page): 2 an input that cannot be read or is in no known
# format, 4 the case file or a file it names is invalid.
set -u
tl=$1; regress=$(realpath "$2"); samples=$(realpath "$3"); work=$4
rm -rf "$work"; mkdir -p "$work"
bad=0

# run NAME WANT_STATUS WANT_TEXT CASE_BODY: analyze the case; the status and one line
# of its message must be as given
run() {
	name=$1; want=$2; text=$3
	printf '%s\n' "$4" > "$work/$name.ini"
	"$tl" analyze "$work/$name.ini" -o "$work/$name.json" > "$work/$name.out" 2> "$work/$name.err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "$name: exit $got, want $want"; cat "$work/$name.err"; bad=1
	elif ! grep -qF -- "$text" "$work/$name.err"; then
		echo "$name: the message does not say '$text':"; cat "$work/$name.err"; bad=1
	elif [ -e "$work/$name.json" ]; then
		echo "$name: findings written although the case failed"; bad=1
	else
		echo "ok $name: exit $got"
	fi
}

case_head="[case]
number = R-1
title = Regression

[target]
ips = 192.0.2.1
"

# An organisations file that is not valid is the case's fault (exit 4), whatever its name:
# the exit status was once chosen by looking for ".csv" in the message, and a file named
# otherwise gave 2.
run orgs-not-csv 4 "exit-orgs-format-error.txt:2: host bits set" "$case_head
[evidence]
one = $samples/sensor1-ns1.pcap

[sources]
organisations = $regress/exit-orgs-format-error.txt"

# Evidence in no known format is an input that cannot be read (exit 2), even when its
# name holds ".csv": the same mapping once made it the case's fault.
run junk-evidence-csv 2 "exit-evidence-junk.csv" "$case_head
[evidence]
one = $regress/exit-evidence-junk.csv"

exit $bad
