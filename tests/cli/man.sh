#!/usr/bin/env bash
# man.sh - the man page documents what the binary and the code do: a section for every
# command the global help lists, in it every option that command's --help names (and
# no option the command does not take), every exit status of src/cli/common.h and no other,
# every environment variable the code reads, the version the binary reports; and it
# renders without a warning from groff or mandoc.
# Usage: man.sh TEALEAVES MANPAGE SOURCE_DIR
set -euo pipefail
tl=$1 man=$2 src=$3
fail=0
bad() { echo "FAIL  $*"; fail=1; }

# The roff source of one part of the page, from the line `.SH NAME` or `.SS NAME` to the
# next heading, with \- as - and font changes and \% removed, so options read as typed.
part() { # SH|SS NAME
	awk -v mac=".$1" -v name="$2" '
		$1 == ".SH" || $1 == ".SS" { h = substr($0, 5); gsub(/"/, "", h)
		                             on = ($1 == mac && h == name); next }
		on' "$man" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\%//g'
}
# Does text ($1) name option $2 as a word of its own?
names() { grep -qE -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|$)" <<<"$1"; }

# 1. it renders without warnings (groff as man(1) runs it, and mandoc's stricter lint)
for need in groff mandoc; do
	command -v "$need" >/dev/null ||
		{ bad "$need is not installed (tools/setup.sh test installs it)"; exit 1; }
done
warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1) || bad "groff failed on $man"
[ -z "$warn" ] && echo "ok    groff -ww renders it without warnings" || bad "groff: $warn"
if lint=$(mandoc -Tlint -W warning "$man" 2>&1) && [ -z "$lint" ]; then
	echo "ok    mandoc -Tlint finds nothing"
else
	bad "mandoc -Tlint: $lint"
fi

# 2. every command the global help lists has its section, which names each option of
#    the command's --help, and only options the command takes
cmds=$("$tl" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\).*/\1/p' |
	sort -u)
[ -n "$cmds" ] || bad "no commands found in tealeaves --help"
for cmd in $cmds; do
	sec=$(part SS "$cmd")
	[ -n "$sec" ] || { bad "no section .SS $cmd under COMMANDS"; continue; }
	help=$("$tl" "$cmd" --help 2>/dev/null) || help=
	# version and help take no options; their --help is the global one
	[ "$cmd" = version ] || [ "$cmd" = help ] && continue
	opts=$(grep -oE -- '(^|[^A-Za-z0-9-])(--[a-z][a-z-]*[a-z]|-[a-zA-Z])([^A-Za-z0-9-]|$)' \
		<<<"$help" | grep -oE -- '--[a-z][a-z-]*[a-z]|-[a-zA-Z]' | sort -u)
	[ -n "$opts" ] || bad "$cmd --help names no option"
	missing=
	for o in $opts; do
		names "$sec" "$o" || missing="$missing $o"
	done
	[ -z "$missing" ] && echo "ok    the section on $cmd names all $(wc -w <<<"$opts") options of its --help" ||
		bad "the section on $cmd does not name:$missing"
	# the other way: an option the section names that the command does not take
	for o in $(grep -oE -- '(^|[^A-Za-z0-9-])--[a-z][a-z-]*[a-z]' <<<"$sec" |
		grep -oE -- '--[a-z][a-z-]*[a-z]' | sort -u); do
		grep -qx -- "$o" <<<"$opts" || bad "the section on $cmd names $o, which $cmd --help does not"
	done
done
# and the synopsis shows every command
syn=$(part SH SYNOPSIS)
for cmd in $cmds; do
	grep -q "^\.B tealeaves $cmd\b" <<<"$syn" || bad "the SYNOPSIS does not show $cmd"
done

# 3. EXIT STATUS lists exactly the exit codes of src/cli/common.h (and 128+N for a signal)
code=$(sed -n 's/^[[:space:]]*EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' "$src/src/cli/common.h" | sort -n)
[ -n "$code" ] || bad "no exit codes found in src/cli/common.h"
doc=$(part SH "EXIT STATUS" | sed -n 's/^\.B \([0-9][0-9]*\)$/\1/p' | sort -n)
if [ "$code" = "$doc" ]; then
	echo "ok    EXIT STATUS lists exit codes $(echo $code)"
else
	bad "EXIT STATUS lists $(echo $doc), the code has $(echo $code)"
fi
# every code the commands return is one of those names (none returns a bare number)
used=$(grep -ohE '\bEXIT_[A-Z_]+\b' "$src"/src/cli/*.c | sort -u)
for u in $used; do
	grep -qE "^[[:space:]]*$u = [0-9]+," "$src/src/cli/common.h" || bad "$u is not an exit code of common.h"
done

# 4. ENVIRONMENT names every variable the code reads
env=$(part SH ENVIRONMENT)
vars=$(grep -rhoE 'getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' "$src/src" | sed 's/getenv("\(.*\)")/\1/' | sort -u)
[ -n "$vars" ] || bad "no getenv found in src/"
for v in $vars; do
	grep -qx "\.B $v" <<<"$env" && echo "ok    ENVIRONMENT documents $v" ||
		bad "ENVIRONMENT does not document $v, which the code reads"
done

# 5. FILES names the data folder's files and the files written beside a report
files=$(part SH FILES)
for f in templates/ fonts/ icc/sRGB.icc .manifest.json .sha256 .p7s TEALEAVES_DATA_DIR; do
	grep -qF -- "$f" <<<"$files" || bad "FILES does not mention $f"
done

# 6. the page is of this version
want=$("$tl" version | head -1)
grep -q "^\.TH TEALEAVES 1 [^ ]* \"$want\"" "$man" && echo "ok    the page is of $want" ||
	bad "the page's .TH does not say \"$want\""
exit $fail
