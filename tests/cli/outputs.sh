#!/usr/bin/env bash
# outputs.sh - what tealeaves does with what stands at an output path (-o, --findings,
# --csv, bundle -o): it replaces a regular file or creates a missing one, and refuses a
# symbolic link, a dangling link, a directory, a device, a FIFO and a socket before any
# work, leaving them as they were; -o - goes to standard output (analyze always; report
# only when standard output is not a terminal).
# Usage: outputs.sh TEALEAVES SAMPLESDIR SCRATCHDIR [--as-user]
#   --as-user: run as the unprivileged user 'nobody' (the test runs itself again that way
#   when started as root, so that both are exercised).
set -euo pipefail
tl=$1 samples=$2 scratch=$3
fail=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; fail=1; }

rm -rf "$scratch"
mkdir -p "$scratch"
chmod 777 "$scratch"
d=$scratch/t
mkdir -p "$d"
case_file=$samples/case.ini

# a refusal: exit status 3 before any work, a message naming the path, the target as it was
refuse() {
	local what=$1 path=$2
	shift 2
	local before after rc=0
	before=$(stat -c '%F %i %s' "$path" 2>/dev/null || echo none)
	timeout 20 "$tl" "$@" > "$d/out" 2> "$d/err" || rc=$?
	after=$(stat -c '%F %i %s' "$path" 2>/dev/null || echo none)
	if [ "$rc" != 3 ]; then
		bad "$what: exit $rc, want 3 ($(head -c 300 "$d/err"))"
	elif ! grep -qF -- "$path" "$d/err"; then
		bad "$what: the message does not name $path: $(cat "$d/err")"
	elif [ "$before" != "$after" ]; then
		bad "$what: $path changed ($before -> $after)"
	elif ls -a "$(dirname "$path")" | grep -q '^\..*\.[A-Za-z0-9]\{6\}$'; then
		bad "$what: a temporary file was left behind"
	else
		ok "$what: refused ($(head -1 "$d/err" | sed 's/^tealeaves: //'))"
	fi
}

# refused kinds, for analyze -o (and the same check serves every output)
ln -s "$d/elsewhere.json" "$d/dangling"
echo precious > "$d/target.json"
ln -s "$d/target.json" "$d/link.json"
mkdir "$d/dir.json"
mkfifo "$d/fifo.json"
have_sock=0
if command -v python3 > /dev/null &&
	python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
		"$d/sock.json"; then
	have_sock=1
fi
refuse "symbolic link" "$d/link.json" analyze "$case_file" -o "$d/link.json"
[ "$(cat "$d/target.json")" = precious ] && ok "the file behind the link is untouched" ||
	bad "the file behind the link changed"
refuse "dangling symbolic link" "$d/dangling" analyze "$case_file" -o "$d/dangling"
[ ! -e "$d/elsewhere.json" ] && ok "nothing was created through the dangling link" ||
	bad "a file was created through the dangling link"
refuse "directory" "$d/dir.json" analyze "$case_file" -o "$d/dir.json"
refuse "FIFO" "$d/fifo.json" analyze "$case_file" -o "$d/fifo.json"
if [ "$have_sock" = 1 ]; then
	refuse "socket" "$d/sock.json" analyze "$case_file" -o "$d/sock.json"
else
	echo "note  no python3 to make a socket: the socket case is not run"
fi
refuse "device" /dev/null analyze "$case_file" -o /dev/null
[ -c /dev/null ] && ok "/dev/null is still a device" || bad "/dev/null is no longer a device"
refuse "missing folder" "$d/nowhere/f.json" analyze "$case_file" -o "$d/nowhere/f.json"
# the report checks all its files first: the PDF, its side files, --findings
mkdir -p "$d/r.pdf.manifest.json"
refuse "report's manifest beside it is a directory" "$d/r.pdf.manifest.json" \
	report "$case_file" -o "$d/r.pdf"
[ ! -e "$d/r.pdf" ] && ok "no report written when a side file cannot be" ||
	bad "a report was written although its manifest could not be"
refuse "report --findings is a link" "$d/link.json" report "$case_file" -o "$d/r2.pdf" \
	--findings "$d/link.json"
refuse "bundle -o is a FIFO" "$d/fifo.json" bundle "$case_file" -o "$d/fifo.json"

# written: nothing there, a regular file there (replaced), standard output
"$tl" analyze "$case_file" -o "$d/new.json" 2>/dev/null
[ -f "$d/new.json" ] && head -c 1 "$d/new.json" | grep -q '{' && ok "created a missing file" ||
	bad "did not create a missing file"
echo old > "$d/old.json"
"$tl" analyze "$case_file" -o "$d/old.json" 2>/dev/null
cmp -s "$d/new.json" "$d/old.json" && ok "replaced a regular file" || bad "did not replace a regular file"
"$tl" analyze "$case_file" -o - > "$d/stdout.json" 2>/dev/null
cmp -s "$d/new.json" "$d/stdout.json" && ok "analyze -o - writes the findings to standard output" ||
	bad "analyze -o - did not write the findings to standard output"
[ ! -e ./- ] && [ ! -e "$d/-" ] && ok "no file named '-'" || bad "a file named '-' was created"
"$tl" report "$case_file" -o - > "$d/stdout.pdf" 2> "$d/err"
head -c 5 "$d/stdout.pdf" | grep -q '%PDF-' && ok "report -o - writes the PDF to a pipe" ||
	bad "report -o - did not write a PDF to a pipe"
if command -v script > /dev/null; then
	rc=0
	script -qec "'$tl' report '$case_file' -o -" /dev/null > "$d/tty" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q terminal "$d/tty" && ok "report -o - refuses a terminal" ||
		bad "report -o - to a terminal: exit $rc, $(head -c 200 "$d/tty")"
fi
mode=$(stat -c '%a' "$d/new.json")
want=$(printf '%o' $((0666 & ~0$(umask))))
[ "$mode" = "$want" ] && ok "a new file has the mode 0666 less the umask ($mode)" ||
	bad "a new file has mode $mode, want $want"

if [ "${4:-}" = --as-user ]; then
	:
elif [ "$(id -u)" = 0 ] && command -v runuser > /dev/null; then
	echo "== again as the unprivileged user nobody"
	# The clone may sit in a folder nobody can enter (mktemp -d makes 0700 folders): the
	# unprivileged run gets its own copies of this script, the binary, the samples and
	# the data folder, in a folder it can read, removed however the run ends.
	u=$(mktemp -d /tmp/tl-outputs.XXXXXX)
	trap 'rm -rf "$u"' EXIT
	root=$(cd "$samples/.." && pwd)
	cp "$0" "$u/outputs.sh"
	cp "$tl" "$u/tealeaves"
	cp -r "$samples" "$u/samples"
	mkdir "$u/data" "$u/scratch"
	cp -r "$root/templates" "$root/fonts" "$root/icc" "$u/data/"
	chmod -R a+rX "$u"
	chmod 777 "$u/scratch"
	if runuser -u nobody -- env TEALEAVES_DATA_DIR="$u/data" \
		bash "$u/outputs.sh" "$u/tealeaves" "$u/samples" "$u/scratch/user" --as-user; then
		ok "the same as an unprivileged user"
	else
		bad "as an unprivileged user"
	fi
fi
exit $fail
