#!/usr/bin/env bash
# install.sh - cmake --install puts the binary, the man page, the data folder and the docs
# in place; the installed binary, run from elsewhere with no TEALEAVES_DATA_DIR, finds its
# data (and not the source tree's), makes the sample report byte for byte as the build
# tree's binary does, and verifies it; the installed tree still works moved, staged with
# DESTDIR, or through a symbolic link to the binary.
# Usage: install.sh CMAKE BUILD_DIR SOURCE_DIR BUILD_TREE_TEALEAVES SCRATCH_DIR
set -euo pipefail
cmake=$1 build=$(cd "$2" && pwd) src=$(cd "$3" && pwd) tl_build=$(realpath "$4") scratch=$5
rm -rf "$scratch"
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
unset TEALEAVES_DATA_DIR
export SOURCE_DATE_EPOCH=1480000000
fail=0
bad() { echo "FAIL  $*"; fail=1; }
ok() { echo "ok    $*"; }

prefix=$scratch/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$scratch/install.log"
tl=$prefix/bin/tealeaves
data=$prefix/share/tealeaves
for f in bin/tealeaves share/man/man1/tealeaves.1 share/tealeaves/templates/default.tmpl \
	share/tealeaves/fonts/DejaVuSans.ttf share/tealeaves/fonts/DejaVuSans-Bold.ttf \
	share/tealeaves/fonts/DejaVuSans-Oblique.ttf share/tealeaves/fonts/DejaVuSansMono.ttf \
	share/tealeaves/fonts/LICENSE-DejaVu.txt share/tealeaves/icc/sRGB.icc \
	share/tealeaves/icc/LICENSE-icc-profiles-free.txt share/doc/tealeaves/LICENSE \
	share/doc/tealeaves/manifest.md; do
	[ -f "$prefix/$f" ] || bad "cmake --install did not install $f"
done
[ -x "$tl" ] || { bad "$tl is not executable"; exit 1; }
cmp -s "$prefix/share/man/man1/tealeaves.1" "$src/man/tealeaves.1" &&
	ok "the man page is installed in share/man/man1" || bad "the installed man page differs"
for d in templates fonts icc; do
	diff -r "$src/$d" "$data/$d" >/dev/null && ok "share/tealeaves/$d is the source tree's $d" ||
		bad "share/tealeaves/$d differs from the source tree's"
done
grep -q "^data folder: $data\$" <("$tl" version) && ok "the installed binary names $data" ||
	bad "the installed binary's data folder: $("$tl" version | grep '^data folder')"

# the sample case, copied away from the source tree; everything runs from there
mkdir -p "$scratch/work"
cp -r "$src/samples" "$scratch/work/"
cd "$scratch/work"
report() { # NAME TEALEAVES [ENV=VALUE...] : writes NAME.pdf with the sample case
	local name=$1 bin=$2
	shift 2
	env "$@" "$bin" report samples/case.ini -o "$name.pdf" >"$name.log" 2>&1
}
if report installed "$tl"; then
	ok "the installed binary makes the sample report"
else
	bad "the installed binary could not make the sample report: $(cat installed.log)"
	exit 1
fi
if "$tl" verify installed.pdf >verify.log 2>&1 && grep -q '^VERIFIED' verify.log; then
	ok "the installed tealeaves verify: $(grep '^VERIFIED' verify.log | cut -c1-60)..."
else
	bad "the installed tealeaves verify failed: $(tail -3 verify.log)"
fi
# the report and manifest do not depend on where the data folder is
report build "$tl_build" || bad "the build tree's binary failed: $(cat build.log)"
for f in .pdf .pdf.manifest.json; do
	cmp -s "installed$f" "build$f" && ok "installed$f is byte for byte the build tree's" ||
		bad "installed$f differs from the build tree's build$f"
done
grep -qF -e "$src" -e "$prefix" installed.pdf.manifest.json installed.pdf &&
	bad "an absolute data path is recorded in the report or its manifest"
"$tl_build" verify installed.pdf >/dev/null 2>&1 &&
	ok "the build tree's tealeaves verifies the installed one's report" ||
	bad "the build tree's tealeaves does not verify the installed one's report"

# without its data folder the installed binary fails, naming the folder: it does not
# fall back on the source tree; TEALEAVES_DATA_DIR then names another copy
mv "$data" "$data.away"
if report nodata "$tl"; then
	bad "the installed binary made a report without its data folder (from where?)"
elif [ -e nodata.pdf ]; then
	bad "a report was left behind by a failed run"
elif grep -qF "$data/" nodata.log; then
	ok "without share/tealeaves it fails: $(head -1 nodata.log | cut -c1-70)..."
else
	bad "the message does not name $data: $(cat nodata.log)"
fi
report env "$tl" TEALEAVES_DATA_DIR="$data.away" || bad "TEALEAVES_DATA_DIR was not used: $(cat env.log)"
cmp -s env.pdf installed.pdf && ok "TEALEAVES_DATA_DIR names another data folder; same report" ||
	bad "the report made with TEALEAVES_DATA_DIR differs"
mv "$data.away" "$data"

# the installed tree moved elsewhere and run through a symbolic link to its binary; and
# a DESTDIR stage, whose binary looks beside itself too
mv "$prefix" "$scratch/moved"
mkdir -p "$scratch/links"
ln -s "$scratch/moved/bin/tealeaves" "$scratch/links/tealeaves"
report moved "$scratch/links/tealeaves" || bad "the moved tree does not work: $(cat moved.log)"
cmp -s moved.pdf installed.pdf && ok "moved, through a link: the same report" ||
	bad "moved, through a link: another report"
DESTDIR=$scratch/stage "$cmake" --install "$build" --prefix /opt/tealeaves >>"$scratch/install.log"
staged=$scratch/stage/opt/tealeaves
[ -f "$staged/share/tealeaves/icc/sRGB.icc" ] || bad "DESTDIR: no $staged/share/tealeaves"
grep -q "^data folder: $staged/share/tealeaves\$" <("$staged/bin/tealeaves" version) &&
	ok "DESTDIR: the staged binary names $staged/share/tealeaves" ||
	bad "DESTDIR: the staged binary's $("$staged/bin/tealeaves" version | grep '^data folder')"
exit $fail
