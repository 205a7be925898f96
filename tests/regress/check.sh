#!/bin/sh
# check.sh DIR - every regression input in DIR is listed in DIR/TESTLIST with the test that
# runs it and what it checks; every listed file exists and has the form its test picks up.
set -eu
dir=${1:?usage: check.sh DIR}
list=$dir/TESTLIST
bad=0
for f in "$dir"/*; do
	b=$(basename "$f")
	case $b in TESTLIST|check.sh|exits.sh|regress.cmake) continue ;; esac
	grep -q "^$b	" "$list" || { echo "$b: not listed in TESTLIST"; bad=1; }
done
while IFS='	' read -r file test what; do
	[ -n "$file" ] || continue
	[ -f "$dir/$file" ] || { echo "TESTLIST: $file is listed but missing"; bad=1; }
	[ -n "$what" ] || { echo "TESTLIST: $file says nothing of what it checks"; bad=1; }
	case $test in
	fuzz/*)
		t=${test#fuzz/}
		case $file in "$t"-*.bin) ;; *) echo "TESTLIST: $file is not named $t-*.bin, so $test does not replay it"; bad=1 ;; esac
		;;
	regress/exits)
		case $file in exit-*) ;; *) echo "TESTLIST: $file is not named exit-*, so $test does not run it"; bad=1 ;; esac
		grep -qF "$file" "$dir/exits.sh" || { echo "TESTLIST: exits.sh does not use $file"; bad=1; }
		;;
	*) echo "TESTLIST: $file: unknown test $test"; bad=1 ;;
	esac
done <<LIST
$(grep -v '^#' "$list")
LIST
[ $bad = 0 ] && echo "regress: $(grep -vc '^#' "$list") inputs listed, each with its test"
exit $bad
