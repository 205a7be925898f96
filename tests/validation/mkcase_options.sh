#!/usr/bin/env bash
# mkcase_options.sh - mkcase's scenario options reach the case: with --effect 2
# --rename no --bursts 3 --trend 1.5, ground-truth.json must state each of them (and the
# events' multipliers must be 2), case.ini must list no successor, and `tealeaves analyze`
# must read the case and see what the options did (no rename regime; every burst's
# address among the target's sources). Fails when an option is ignored.
# Usage: mkcase_options.sh MKCASE TEALEAVES SCRATCHDIR
set -euo pipefail
[ $# = 3 ] || { echo "usage: mkcase_options.sh MKCASE TEALEAVES SCRATCHDIR" >&2; exit 2; }
mkcase=$1 tealeaves=$2 scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
d=$scratch/case
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$mkcase" --fast --seed 11 --effect 2 --rename no --bursts 3 --trend 1.5 "$d" 2> "$scratch/mkcase.err" ||
	{ cat "$scratch/mkcase.err"; echo "FAIL: mkcase exited $?"; exit 1; }
gt=$d/ground-truth.json
q() { jq -r "$1" "$gt"; }

# what ground-truth.json states
[ "$(q '.scenario.effects')" = fixed ] || bad "scenario.effects is $(q '.scenario.effects'), not fixed"
[ "$(q '.scenario.effect_multiplier')" = 2 ] || bad "scenario.effect_multiplier is not 2"
[ "$(q '[.events.events[] | select(.injected_effect)] | length')" = 3 ] ||
	bad "not 3 events with an injected effect"
[ "$(q '[.events.events[] | select(.injected_effect) | .injected_multiplier] | unique')" = "$(printf '[\n  2\n]')" ] ||
	bad "injected multipliers are $(q '[.events.events[] | select(.injected_effect) | .injected_multiplier]' | tr -d ' \n'), not all 2"
[ "$(q '[.events.events[] | select(.injected_effect | not) | .injected_multiplier] | unique | tostring')" = "[1]" ] ||
	bad "an event without an effect has a multiplier other than 1"
[ "$(q '.scenario.rename')" = false ] || bad "scenario.rename is not false"
[ "$(q '.lifecycle.target_nxdomain_from')" = null ] || bad "lifecycle gives the target an NXDOMAIN time"
[ "$(q '.target.nxdomain_sightings')" = 0 ] || bad "the target answered NXDOMAIN $(q '.target.nxdomain_sightings') times"
[ "$(q '.scenario.bursts | length')" = 3 ] || bad "scenario.bursts does not list 3 bursts"
[ "$(q '.scenario.trend_factor')" = 1.5 ] || bad "scenario.trend_factor is not 1.5"
[ "$(q '.scenario.sessions')" = false ] || bad "scenario.sessions is not false"
grep -q '^names = mail1.hallworth-email.example$' "$d/case.ini" || bad "case.ini lists a successor"
grep -q '^; scenario\|^; effects fixed 2, rename no, trend 1.5, bursts 3$' "$d/case.ini" ||
	bad "case.ini does not state the options"

# what tealeaves sees
rc=0
"$tealeaves" analyze "$d/case.ini" -o "$scratch/findings.json" 2> "$scratch/analyze.err" || rc=$?
if [ "$rc" != 0 ]; then
	cat "$scratch/analyze.err"
	bad "tealeaves analyze exited $rc"
else
	f=$scratch/findings.json
	[ "$(jq '.events.tests.items | length' "$f")" = 12 ] || bad "findings do not test 12 events"
	[ "$(jq '[.events.regimes[] | select(.starts_at == "name_stopped_resolving")] | length' "$f")" = 0 ] ||
		bad "findings see the target stop resolving"
	for src in $(q '.scenario.bursts[].source'); do
		grep -qF "\"$src\"" "$f" || bad "burst source $src not in the findings"
	done
fi
[ "$fail" = 0 ] && echo "ok: ground-truth.json states --effect 2, --rename no, --bursts 3," \
	"--trend 1.5; tealeaves analyze read the case"
exit "$fail"
