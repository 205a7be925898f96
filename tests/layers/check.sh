#!/bin/sh
# check.sh SRC - the layering rules of docs/architecture.md, read from the sources:
#   1. a file in src/<layer>/ includes project headers only from the layers it may use;
#   2. each outside library is used only by the files that wrap it;
#   3. src/model/ holds data types only (no .c file);
#   4. no file in src/ is longer than 1,500 lines, and src/cli/main.c is under 200.
# Prints every violation with its file and line; exits 1 if there is any.
set -euf
src=${1:?usage: check.sh SRC}
[ -d "$src/util" ] || { echo "check.sh: $src is not a source tree" >&2; exit 2; }

allowed() {
	case $1 in
	util) echo "util" ;;
	input) echo "util input" ;;
	case) echo "util input case" ;;
	model) echo "util input case model" ;;
	analysis) echo "util input case model analysis" ;;
	render) echo "util input case model render" ;;
	provenance) echo "util input case model analysis render provenance" ;;
	cli) echo "util input case model analysis render provenance cli" ;;
	*) echo "" ;;
	esac
}

# library header (as included, a prefix) -> the files that may include it (path patterns)
wrappers='
pcap/|input/input.c input/capture/*
ldns/|input/dns/*
idn2.h|util/idna.c
hpdf|render/pdf/*
cairo|render/chart/*
fontconfig/|render/chart/*
openssl/|util/sha256.c provenance/cms.c
archive|provenance/tar.c
ini.h|case/case.c
maxminddb.h|case/*
zlib.h|input/stream.c render/pdf/* provenance/pdf_read.c
qpdf/|provenance/pdf_read.c
pthread.h|analysis/engine.c
jansson.h|input/log/* case/* render/* provenance/* cli/*
'

bad=0
say() { echo "$*"; bad=1; }

cd "$src"
for f in $(find . -name '*.[ch]' | sed 's|^\./||' | LC_ALL=C sort); do
	layer=${f%%/*}
	ok=$(allowed "$layer")
	[ -n "$ok" ] || { say "$f: file outside the layers (util input case model analysis render provenance cli)"; continue; }
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r line; do
		n=${line%%:*}
		inc=$(echo "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
		case $inc in
		*/*) to=${inc%%/*} ;;
		tl_version.h) to=gen ;;
		*) echo "$f:$n: includes \"$inc\" without its layer (write \"<layer>/$inc\")"; continue ;;
		esac
		[ "$to" = gen ] && case $layer in provenance|cli) continue ;; esac
		case " $ok " in
		*" $to "*) ;;
		*) echo "$f:$n: $layer may not include \"$inc\" (allowed: $ok)" ;;
		esac
	done
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "$f" | while IFS= read -r line; do
		n=${line%%:*}
		inc=$(echo "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/')
		echo "$wrappers" | while IFS='|' read -r pre files; do
			[ -n "$pre" ] || continue
			case $inc in
			"$pre"*)
				hit=0
				for p in $files; do
					case $f in $p) hit=1 ;; esac
				done
				[ $hit = 1 ] || echo "$f:$n: <$inc> is wrapped by $files; use that module"
				;;
			esac
		done
	done
	lines=$(wc -l < "$f")
	[ "$lines" -le 1500 ] || echo "$f: $lines lines (at most 1,500)"
done > /tmp/tl-layers.$$ 2>&1 || true
if [ -s /tmp/tl-layers.$$ ]; then
	cat /tmp/tl-layers.$$
	bad=1
fi
rm -f /tmp/tl-layers.$$
for f in $(find model -name '*.c'); do say "$f: src/model/ holds data types only"; done
if [ -f cli/main.c ]; then
	lines=$(wc -l < cli/main.c)
	[ "$lines" -lt 200 ] || say "cli/main.c: $lines lines (under 200: usage and the dispatch table)"
fi
[ $bad = 0 ] && echo "layers: every include and library use is allowed"
exit $bad
