#!/bin/bash
# exports.sh - checks the side files of `tealeaves report` on the sample case (--csv,
# --charts) against docs/exports.md, the manifest, the findings JSON and the PDF:
#   CSV: RFC 4180 with CRLF, UTF-8, the columns docs/exports.md lists (names, order and
#     types), a fixed number of fields per row, every cell of its column's type (numbers
#     parse, times are ISO 8601 UTC, shares lie in 0..1), share = lookups / total_lookups
#     exactly, intervals around the share, the counts and shares of the findings JSON, and
#     each SHA-256 whole in one cell, equal to the manifest's;
#   charts: each SVG's <title> is "Figure N. ..." with the number the PDF gives the chart,
#     its <desc> holds the PDF's caption and the whole report ID, the PNG carries the same
#     title, and no chart touches the edge of its PNG (a cut label would).
# Needs jq, python3 (its csv module is the RFC 4180 reader), pdftotext (poppler-utils) and
# sha256sum. A missing tool fails the test.
# Usage: exports.sh TEALEAVES SOURCE_ROOT WORK_DIR
set -u

tl=$1
root=$2
work=$3
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

need() {
	command -v "$1" >/dev/null 2>&1 || {
		echo "FAIL: $1 not found (install $2)" >&2
		exit 1
	}
}
need jq jq
need python3 python3
need pdftotext poppler-utils
need sha256sum coreutils

rm -rf "$work"
mkdir -p "$work"
"$tl" report "$root/samples/case.ini" -o "$work/report.pdf" --charts "$work/charts" \
	--csv "$work/csv" --findings "$work/findings.json" >"$work/out.txt" 2>"$work/err.txt" || {
	echo "FAIL: tealeaves report exits $?: $(cat "$work/err.txt")" >&2
	exit 1
}
id=$(sha256sum "$work/report.pdf.manifest.json" | cut -d' ' -f1)
pdftotext "$work/report.pdf" "$work/report.txt" || fail "pdftotext"

python3 - "$root/docs/exports.md" "$work" "$id" <<'EOF' || fail "the checks above"
import csv, io, json, math, os, re, struct, sys, zlib

doc, work, report_id = sys.argv[1], sys.argv[2], sys.argv[3]
bad = 0

def fail(msg):
    global bad
    bad += 1
    print("FAIL: " + msg, file=sys.stderr)

# --- the columns docs/exports.md documents: "### `file.csv`" then "| `col` | type | ... |"
spec, order, cur = {}, [], None
for line in open(doc, encoding="utf-8"):
    m = re.match(r"^### `([a-z-]+\.csv)`", line)
    if m:
        cur = m.group(1)
        spec[cur] = []
        order.append(cur)
        continue
    m = re.match(r"^\| `([a-z0-9_]+)` \| ([a-z0-9]+) \|", line)
    if m and cur:
        spec[cur].append((m.group(1), m.group(2)))
if len(spec) < 9:
    fail("docs/exports.md documents %d CSV files" % len(spec))

written = sorted(f for f in os.listdir(os.path.join(work, "csv")))
if written != sorted(spec):
    fail("CSV files written %s, documented %s" % (written, sorted(spec)))

iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
def cell_ok(kind, v):
    if v == "":
        return True  # absent
    if kind == "integer":
        return re.fullmatch(r"0|[1-9][0-9]*", v) is not None
    if kind in ("number", "share"):
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?", v):
            return False
        x = float(v)
        return math.isfinite(x) and (kind == "number" or 0 <= x <= 1)
    if kind == "time":
        return iso.match(v) is not None
    if kind == "boolean":
        return v in ("true", "false")
    if kind == "sha256":
        return re.fullmatch(r"[0-9a-f]{64}", v) is not None
    if kind == "address":
        return re.fullmatch(r"[0-9a-fA-F.:]+", v) is not None
    if kind == "code":
        return re.fullmatch(r"[A-Za-z0-9_-]+", v) is not None
    if kind == "text":
        return True
    fail("docs/exports.md: unknown type %s" % kind)
    return False

tables = {}
for name in written:
    raw = open(os.path.join(work, "csv", name), "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("%s is not UTF-8: %s" % (name, e))
        continue
    if text.startswith("\ufeff"):
        fail("%s starts with a byte order mark" % name)
    if not text.endswith("\r\n"):
        fail("%s does not end with CRLF" % name)
    if re.search(r"(?<!\r)\n", text):
        fail("%s has a line end that is not CRLF" % name)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    head = rows[0]
    cols = spec.get(name, [])
    if head != [c for c, _ in cols]:
        fail("%s: header %s, documented %s" % (name, head, [c for c, _ in cols]))
        continue
    for r, row in enumerate(rows[1:], 2):
        if len(row) != len(head):
            fail("%s row %d: %d fields, the header has %d" % (name, r, len(row), len(head)))
            continue
        for (col, kind), v in zip(cols, row):
            if not cell_ok(kind, v):
                fail("%s row %d, %s (%s): %r" % (name, r, col, kind, v))
    tables[name] = [dict(zip(head, row)) for row in rows[1:]]

# --- shares: exactly lookups / total, inside their interval, and those of the findings
findings = json.load(open(os.path.join(work, "findings.json"), encoding="utf-8"))
prof = findings["profile"]
for name, key, items in (("organisations.csv", "organisation", prof["organisations"]["items"]),
                         ("sources.csv", "source_address", prof["sources"]["items"])):
    rows = tables.get(name, [])
    if len(rows) != len(items) or not rows:
        fail("%s: %d rows, the findings have %d" % (name, len(rows), len(items)))
        continue
    if sum(int(r["lookups"]) for r in rows) != prof["lookups"]:
        fail("%s: the lookups do not add up to %d" % (name, prof["lookups"]))
    for r, it in zip(rows, items):
        n, total, share = int(r["lookups"]), int(r["total_lookups"]), float(r["share"])
        lo, hi = float(r["ci_low"]), float(r["ci_high"])
        if total != prof["lookups"]:
            fail("%s %s: total_lookups %d, the findings %d" % (name, r[key], total, prof["lookups"]))
        if share != n / total:
            fail("%s %s: share %r is not %d/%d = %r" % (name, r[key], share, n, total, n / total))
        if not lo <= share <= hi:
            fail("%s %s: share %r outside [%r, %r]" % (name, r[key], share, lo, hi))
        if n != it["lookups"] or round(share, 6) != it["share"] or \
                [round(lo, 6), round(hi, 6)] != it["ci"]:
            fail("%s %s: %s %r %r %r, the findings %s" % (name, r[key], n, share, lo, hi, it))

# --- hashes: whole, one per cell, as in the manifest
manifest = json.load(open(os.path.join(work, "report.pdf.manifest.json"), encoding="utf-8"))
want = {i["label"]: (i["sha256"], i["size"]) for i in manifest["inputs"]}
got = {r["label"]: (r["sha256"], int(r["size_bytes"])) for r in tables.get("manifest.csv", [])}
if got != want:
    fail("manifest.csv %s, the manifest %s" % (got, want))

# --- charts
def norm(s):
    return " ".join(s.split())
pdf = norm(open(os.path.join(work, "report.txt"), encoding="utf-8").read())
def unxml(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")

def png_text_and_edge(path):
    """iTXt texts and whether the outermost 3 pixels all round are white."""
    d = open(path, "rb").read()
    i, texts, idat, ihdr = 8, {}, b"", None
    while i < len(d):
        n, t = struct.unpack(">I", d[i:i + 4])[0], d[i + 4:i + 8]
        body = d[i + 8:i + 8 + n]
        if struct.unpack(">I", d[i + 8 + n:i + 12 + n])[0] != zlib.crc32(t + body):
            fail("%s: bad CRC in a %s chunk" % (path, t))
        if t == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif t == b"IDAT":
            idat += body
        elif t == b"iTXt":
            k, rest = body.split(b"\0", 1)
            texts[k.decode()] = rest[4:].decode("utf-8")
        i += 12 + n
    w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
    bpp = {2: 3, 6: 4}.get(ctype)
    if depth != 8 or not bpp:
        fail("%s: PNG colour type %d depth %d not read here" % (path, ctype, depth))
        return texts, True
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    def white(x, y):
        return all(v == 255 for v in rows[y][x * bpp:x * bpp + 3])
    edge = [(x, y) for y in range(h) for x in range(w) if x < 3 or y < 3 or x >= w - 3 or y >= h - 3]
    return texts, all(white(x, y) for x, y in edge)

charts = sorted(f[:-4] for f in os.listdir(os.path.join(work, "charts")) if f.endswith(".svg"))
if len(charts) != 7:
    fail("%d charts written: %s" % (len(charts), charts))
numbers = set()
for slug in charts:
    svg = open(os.path.join(work, "charts", slug + ".svg"), encoding="utf-8").read()
    t = re.search(r"<title>(.*?)</title>", svg, re.S)
    dsc = re.search(r"<desc>(.*?)</desc>", svg, re.S)
    if not t or not dsc:
        fail("%s.svg has no <title> or <desc>" % slug)
        continue
    title, desc = unxml(t.group(1)), unxml(dsc.group(1))
    m = re.match(r"Figure (\d+)\. (.+)", title)
    if not m:
        fail("%s.svg: title %r is not \"Figure N. ...\"" % (slug, title))
        continue
    numbers.add(int(m.group(1)))
    if norm(title) not in pdf:
        fail("%s.svg: %r is not a figure title of the PDF" % (slug, title))
    tail = " Report ID %s." % report_id
    if not desc.endswith(tail):
        fail("%s.svg: <desc> does not end with the whole report ID: %r" % (slug, desc[-90:]))
    elif norm(desc[:-len(tail)]) not in pdf:
        fail("%s.svg: the caption is not the PDF's: %r" % (slug, desc[:160]))
    texts, clear = png_text_and_edge(os.path.join(work, "charts", slug + ".png"))
    if texts.get("Title") != title or texts.get("Description") != desc:
        fail("%s.png: Title/Description %r differ from the SVG's" % (slug, texts.get("Title")))
    if not clear:
        fail("%s.png: something is drawn at the edge of the image (a cut label?)" % slug)
if numbers != set(range(1, len(charts) + 1)):
    fail("figure numbers %s" % sorted(numbers))

print("%d CSV files, %d charts checked" % (len(tables), len(charts)))
sys.exit(1 if bad else 0)
EOF

if [ $fails -ne 0 ]; then
	echo "report/exports: $fails check(s) failed; files in $work" >&2
	exit 1
fi
echo "report/exports: passed"
