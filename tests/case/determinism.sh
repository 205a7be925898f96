#!/usr/bin/env bash
# determinism.sh - the findings must not depend on the thread count or on the order
# of the inputs in the case file: analyse the sample case with 1 and with 3 threads,
# and with its [evidence] entries reversed, and compare the bytes.
# Usage: determinism.sh TEALEAVES SAMPLES_DIR SCRATCH_DIR
set -euo pipefail
tl=$1 samples=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"

# Two case files that differ only in the order of the evidence entries. Both live in
# the scratch directory and name the samples by absolute path, so that everything
# but the order is the same.
awk -v dir="$samples" '
	/^\[/ { section = $0 }
	section == "[evidence]" && /^[a-z0-9]+ *= / { sub(/= */, "= " dir "/"); }
	/^(organisations|file) *= / { sub(/= */, "= " dir "/"); }
	{ print }' "$samples/case.ini" > "$scratch/forward.ini"
awk '
	/^\[/ { if (section == "[evidence]") flush(); section = $0 }
	section == "[evidence]" && /^[a-z0-9]+/ { key = $1; sub(/\..*/, "", key);
		if (!(key in seen)) { order[n++] = key; seen[key] = 1 }
		lines[key] = lines[key] $0 "\n"; next }
	{ print }
	function flush(   i) { for (i = n - 1; i >= 0; i--) printf "%s", lines[order[i]]; n = 0 }
	END { if (section == "[evidence]") flush() }' "$scratch/forward.ini" > "$scratch/reversed.ini"

first_label() { awk '/^\[evidence\]/{e=1;next} /^\[/{e=0} e && /^[a-z0-9]+ *=/{print $1; exit}' "$1"; }
if [ "$(first_label "$scratch/forward.ini")" = "$(first_label "$scratch/reversed.ini")" ]; then
	echo "FAIL: the reversed case file does not list the evidence in another order"
	exit 1
fi

"$tl" analyze --threads 1 "$scratch/forward.ini" -o "$scratch/t1.json"
"$tl" analyze --threads 3 "$scratch/forward.ini" -o "$scratch/t3.json"
"$tl" analyze --threads 2 "$scratch/reversed.ini" -o "$scratch/rev.json"
fail=0
cmp "$scratch/t1.json" "$scratch/t3.json" || { echo "FAIL: 1 and 3 threads differ"; fail=1; }
# the case file's own hash differs (its bytes do); everything else must be equal
grep -v '"case_file_sha256"' "$scratch/t1.json" > "$scratch/t1.cmp"
grep -v '"case_file_sha256"' "$scratch/rev.json" > "$scratch/rev.cmp"
if ! cmp "$scratch/t1.cmp" "$scratch/rev.cmp"; then
	echo "FAIL: the order of the inputs changes the findings:"
	diff "$scratch/t1.cmp" "$scratch/rev.cmp" | head -20
	fail=1
fi
[ $fail = 0 ] && echo "ok: same findings with 1 and 3 threads and with the inputs reversed" \
	"($(wc -c < "$scratch/t1.json") bytes)"
exit $fail
