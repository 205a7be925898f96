#!/usr/bin/env bash
# fullcases.sh - the calibration of the event test on full cases: mkcase writes a case
# (captures, case.ini, ground-truth.json) per seed, `tealeaves analyze` reads it, and the
# findings' event tests are scored against the ground truth (docs/validation.md, "Full
# cases through analyze").
#
# Usage: fullcases.sh [options] SCENARIO N [-- MKCASE-OPTION...]
#   SCENARIO   an mkcase scenario (mkcase --help lists them), or "sample" for none
#   N          number of cases: seeds FIRST .. FIRST+N-1
#   options:
#     -j JOBS         cases at a time (default 2)
#     -s FIRST        first seed (default 1)
#     -o FILE         also write the per-event rows (seed, multiplier, status,
#                     significant, true rate ratio, label) to FILE
#     --mkcase PATH   default: build/tools/mkcase/mkcase under the source tree
#     --tealeaves PATH  default: build/tealeaves under the source tree
#   MKCASE-OPTIONs after "--" are passed to mkcase after --scenario (they override it).
#
# Scoring, per case: an event counts as null when ground-truth.json gives it the injected
# multiplier 1. The case is a family-wise false positive when any null event's test in
# findings.json (.events.tests.items[]) is significant. The FWER is the share of such
# cases, with its exact (Clopper-Pearson) 95 % interval. Power at a multiplier m is the
# share of events injected with m whose test is significant (an untestable one counts as
# not found, as in tools/calibrate). Cases are written with mkcase --fast (same contents,
# faster gzip) into a temporary directory, removed case by case and on exit.
#
# Exit status: 0 done, 1 mkcase, tealeaves or jq failed, 2 bad use.
set -euo pipefail

usage() {
	sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkcase=$root/build/tools/mkcase/mkcase
tealeaves=$root/build/tealeaves
jobs=2 first=1 out=

while [ $# -gt 0 ]; do
	case "$1" in
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	-s) [ $# -ge 2 ] || usage; first=$2; shift 2 ;;
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--mkcase) [ $# -ge 2 ] || usage; mkcase=$2; shift 2 ;;
	--tealeaves) [ $# -ge 2 ] || usage; tealeaves=$2; shift 2 ;;
	-h | --help) usage ;;
	-*) echo "fullcases.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
scenario=$1 n=$2
shift 2
if [ $# -gt 0 ]; then
	[ "$1" = -- ] || usage
	shift
fi
extra=("$@")
isnum() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }
isnum "$n" && [ "$n" -ge 1 ] || { echo "fullcases.sh: N must be a positive number" >&2; usage; }
isnum "$jobs" && [ "$jobs" -ge 1 ] || { echo "fullcases.sh: -j needs a positive number" >&2; usage; }
isnum "$first" || { echo "fullcases.sh: -s needs a number" >&2; usage; }
for x in "$mkcase" "$tealeaves"; do
	[ -x "$x" ] || { echo "fullcases.sh: $x is not an executable (build first)" >&2; exit 2; }
done
command -v jq > /dev/null || { echo "fullcases.sh: jq is needed" >&2; exit 2; }
scen=()
[ "$scenario" = sample ] || scen=(--scenario "$scenario")
# a bad scenario name or option is bad use: let mkcase say so before any case runs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fullcases.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
if ! "$mkcase" "${scen[@]}" "${extra[@]}" --seed x 2> "$tmp/probe.err" > /dev/null; then
	if grep -q "^mkcase: " "$tmp/probe.err"; then
		grep "^mkcase: " "$tmp/probe.err" >&2
		exit 2
	fi
fi

# One case: its per-event rows on stdout, "FAIL seed what" on failure.
one() {
	local seed=$1 d=$tmp/c$1
	if ! "$mkcase" --fast --seed "$seed" "${scen[@]}" "${extra[@]}" "$d" 2> "$tmp/mk$seed.err" > /dev/null; then
		echo "FAIL $seed mkcase: $(tail -1 "$tmp/mk$seed.err")"
	elif ! "$tealeaves" analyze "$d/case.ini" -o "$d/findings.json" 2> "$tmp/an$seed.err" > /dev/null; then
		echo "FAIL $seed analyze: $(tail -1 "$tmp/an$seed.err")"
	elif ! jq -r --arg seed "$seed" --slurpfile gt "$d/ground-truth.json" '
		($gt[0].events.events | map({key: .label, value: .}) | from_entries) as $truth
		| .events.events as $ev
		| .events.tests.items[]
		| $truth[$ev[.event].label] as $t
		| if $t == null then error("event \(.event) not in ground-truth.json") else . end
		| [$seed, $t.injected_multiplier, .status, .significant,
		   ($t.true_rate_ratio // "null"), $t.label] | @tsv' "$d/findings.json" 2> "$tmp/jq$seed.err"; then
		echo "FAIL $seed jq: $(tail -1 "$tmp/jq$seed.err")"
	fi
	rm -rf "$d" "$tmp/mk$seed.err" "$tmp/an$seed.err" "$tmp/jq$seed.err"
}

t0=$(date +%s)
# jobs at a time; each case's rows go to its own file, read in seed order afterwards
seq "$first" $((first + n - 1)) | {
	running=0
	while read -r seed; do
		one "$seed" > "$tmp/rows$seed" &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
	done
	wait
}
t1=$(date +%s)
for seed in $(seq "$first" $((first + n - 1))); do cat "$tmp/rows$seed"; done > "$tmp/rows"
if grep -q '^FAIL ' "$tmp/rows"; then
	grep '^FAIL ' "$tmp/rows" >&2
	exit 1
fi
[ -z "$out" ] || cp "$tmp/rows" "$out"

# The table. cp_lo/cp_hi: Clopper-Pearson bounds by bisection on the binomial tail.
awk -F '\t' -v scenario="$scenario" -v extra="${extra[*]:-}" -v secs=$((t1 - t0)) -v jobs="$jobs" '
	function bincdf(k, n, p,    i, t, s) { # P(X <= k), X ~ Binomial(n, p)
		if (k < 0) return 0
		if (k >= n) return 1
		if (p <= 0) return 1
		if (p >= 1) return 0
		t = exp(n * log(1 - p)); s = t
		for (i = 0; i < k; i++) { t *= (n - i) / (i + 1) * p / (1 - p); s += t }
		return s
	}
	function cp_lo(k, n,    a, b, m, i) { # P(X >= k | lo) = 0.025
		if (k == 0) return 0
		a = 0; b = 1
		for (i = 0; i < 60; i++) { m = (a + b) / 2; if (1 - bincdf(k - 1, n, m) < 0.025) a = m; else b = m }
		return a
	}
	function cp_hi(k, n,    a, b, m, i) { # P(X <= k | hi) = 0.025
		if (k == n) return 1
		a = 0; b = 1
		for (i = 0; i < 60; i++) { m = (a + b) / 2; if (bincdf(k, n, m) > 0.025) a = m; else b = m }
		return b
	}
	function rate(k, n) {
		if (n == 0) return "-"
		return sprintf("%.1f%% [%.1f, %.1f] (%d/%d)", 100 * k / n, 100 * cp_lo(k, n), 100 * cp_hi(k, n), k, n)
	}
	{
		seed = $1; m = $2 + 0; st = $3; sig = ($4 == "true")
		if (!(seed in seen)) { seen[seed] = 1; cases++ }
		events++
		if (st != "testable") untestable++
		if (m == 1) {
			if (st == "testable") { null_tests++; null_sig += sig }
			if (sig) hit[seed] = 1
		} else {
			key = sprintf("%g", m)
			if (!(key in eff_n)) mults[++nm] = m
			eff_n[key]++; eff_hit[key] += sig
			if ($5 != "null") { trr_sum[key] += $5; trr_n[key]++ }
		}
	}
	END {
		for (s in hit) fw++
		printf "scenario %s%s: %d cases, %d events (%d not testable), %d s with %d jobs\n", \
			scenario, extra != "" ? " (" extra ")" : "", cases, events, untestable, secs, jobs
		printf "FWER (cases with a null event significant): %s\n", rate(fw + 0, cases)
		printf "null tests significant: %s\n", rate(null_sig + 0, null_tests + 0)
		# multipliers in increasing order
		for (i = 1; i <= nm; i++) for (j = i + 1; j <= nm; j++)
			if (mults[j] < mults[i]) { t = mults[i]; mults[i] = mults[j]; mults[j] = t }
		for (i = 1; i <= nm; i++) {
			key = sprintf("%g", mults[i])
			printf "power at %sx: %s; mean true rate ratio %s\n", key, rate(eff_hit[key], eff_n[key]), \
				trr_n[key] ? sprintf("%.2f", trr_sum[key] / trr_n[key]) : "-"
		}
	}' "$tmp/rows"
