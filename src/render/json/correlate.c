/* json_correlate.c - the event analysis as one JSON object (schema: docs/findings/correlate.md).
 * Formats only; every number comes from the model. */
#include "model/correlate.h"
#include "model/stats.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

#include <inttypes.h>
#include <stdio.h>

#define DIGITS 6

/* The per-event tests' method, as the JSON states it. */
#define METHOD                                                                                 \
	"calibrated standardised rate ratio: indirect standardisation by local hour of week "    \
	"against the same regime within the reference weeks around the window; the "           \
	"reference's own error and the dispersion estimated from placebo windows enter the "  \
	"p-value and the interval"

static void time_iso(tl_json_t *j, const char *key, int64_t us)
{
	tl_json_key(j, key);
	tl_json_time(j, us);
}

static void fixed(tl_json_t *j, const char *key, double v)
{
	tl_json_key(j, key);
	tl_json_fixed(j, v, DIGITS);
}

static void u64(tl_json_t *j, const char *key, uint64_t v)
{
	tl_json_key(j, key);
	tl_json_u64(j, v);
}

static void i64(tl_json_t *j, const char *key, int64_t v)
{
	tl_json_key(j, key);
	tl_json_i64(j, v);
}

static void boolean(tl_json_t *j, const char *key, int v)
{
	tl_json_key(j, key);
	tl_json_bool(j, v);
}

static void str(tl_json_t *j, const char *key, const char *v)
{
	tl_json_key(j, key);
	tl_json_str(j, v);
}

static const char *status_name(int st)
{
	switch (st) {
	case TL_CORRELATE_TESTABLE:
		return "testable";
	case TL_CORRELATE_NO_COVERAGE:
		return "not_testable_no_coverage";
	case TL_CORRELATE_SPANS_CHANGE:
		return "not_testable_spans_regime_change";
	case TL_CORRELATE_FEW_REFERENCE:
		return "not_testable_too_little_reference";
	case TL_CORRELATE_NO_DISPERSION:
		return "not_testable_too_few_placebo_windows";
	default:
		return "not_testable_no_baseline";
	}
}

static const char *hint_name(int k)
{
	switch (k) {
	case TL_CORRELATE_HINT_STOPPED:
		return "name_stopped_resolving";
	case TL_CORRELATE_HINT_SUCCESSOR:
		return "successor_first_answered";
	case TL_CORRELATE_HINT_CHANGEPOINT:
		return "change_point_in_weekly_counts";
	default:
		return "span_start";
	}
}

static void interval(tl_json_t *j, const char *key, double lo, double hi)
{
	tl_json_key(j, key);
	tl_json_arr_begin(j);
	tl_json_fixed(j, lo, DIGITS);
	tl_json_fixed(j, hi, DIGITS);
	tl_json_arr_end(j);
}

static void dispersion(tl_json_t *j, const tl_correlate_dispersion_t *d)
{
	tl_json_key(j, "dispersion");
	tl_json_obj_begin(j);
	u64(j, "placebo_windows", d->placebos);
	u64(j, "min_placebo_windows", TL_CORRELATE_MIN_PLACEBOS);
	fixed(j, "phi_estimate", d->phi_hat);
	fixed(j, "phi_used", d->phi);
	fixed(j, "p_overdispersion", d->p_over);
	fixed(j, "placebo_mean_ratio", d->mean_ratio);
	tl_json_obj_end(j);
}

static const char *scale_name(int sc)
{
	switch (sc) {
	case TL_STATS_SCALE_MAD:
		return "mad";
	case TL_STATS_SCALE_MEANAD:
		return "meanad";
	default:
		return "none";
	}
}

static void baseline(tl_json_t *j, const char *key, const tl_correlate_baseline_t *b)
{
	tl_json_key(j, key);
	tl_json_obj_begin(j);
	u64(j, "lookups", b->lookups);
	fixed(j, "covered_minutes", b->covered_minutes);
	fixed(j, "rate_per_hour", b->rate_per_hour);
	tl_json_key(j, "by_hour_of_week");
	tl_json_obj_begin(j);
	tl_json_key(j, "lookups");
	tl_json_arr_begin(j);
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++)
		tl_json_u64(j, b->stratum_lookups[h]);
	tl_json_arr_end(j);
	tl_json_key(j, "covered_minutes");
	tl_json_arr_begin(j);
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++)
		tl_json_fixed(j, b->stratum_minutes[h], DIGITS);
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_obj_end(j);
}

/* One test; the filter names the lookups behind "observed": the window and, for the
 * secondary family, the organisation. */
static void test(tl_json_t *j, const tl_correlate_model_t *m, const tl_correlate_test_t *t,
		 const char *org_name)
{
	const tl_correlate_event_t *e = &m->events[t->event];
	tl_json_obj_begin(j);
	u64(j, "event", t->event);
	str(j, "status", status_name(t->status));
	u64(j, "observed", t->observed);
	fixed(j, "expected", t->expected);
	fixed(j, "srr", t->rr);
	interval(j, "ci", t->rr_lo, t->rr_hi);
	interval(j, "ci_simultaneous", t->rr_lo_sim, t->rr_hi_sim);
	fixed(j, "p", t->p);
	fixed(j, "p_two_sided", t->p_two_sided);
	fixed(j, "p_holm", t->p_holm);
	fixed(j, "p_bh", t->p_bh);
	boolean(j, "significant", t->significant);
	u64(j, "baseline_lookups", t->baseline_lookups);
	fixed(j, "expected_rse", t->expected_rse);
	u64(j, "fallback_strata", t->fallback_strata);
	fixed(j, "fallback_minutes", t->fallback_minutes);
	tl_json_key(j, "regime");
	if (t->regime == UINT32_MAX)
		tl_json_null(j);
	else
		tl_json_u64(j, t->regime);
	time_iso(j, "reference_from", t->ref_start);
	time_iso(j, "reference_to", t->ref_end);
	fixed(j, "reference_covered_minutes", t->ref_minutes);
	u64(j, "reference_lookups", t->ref_lookups);
	fixed(j, "expected_var", t->expected_var);
	fixed(j, "dispersion", t->dispersion);
	fixed(j, "p_poisson_uncalibrated", t->p_poisson);
	fixed(j, "p_all_sources", t->p_all_sources);
	fixed(j, "p_without_top_source", t->p_without_top);
	tl_json_key(j, "top_source");
	if (t->has_top) {
		char a[TL_ADDR_STR_LEN];
		tl_addr_format(&t->top_addr, a);
		tl_json_obj_begin(j);
		str(j, "address", a);
		u64(j, "lookups", t->top_lookups);
		fixed(j, "excess", t->top_excess);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_key(j, "records");
	tl_json_obj_begin(j);
	time_iso(j, "from", e->win_start);
	time_iso(j, "to", e->win_end);
	tl_json_key(j, "organisation");
	if (org_name)
		tl_json_str(j, org_name);
	else
		tl_json_null(j);
	tl_json_obj_end(j);
	tl_json_obj_end(j);
}

static const char *perm_reason_name(int r)
{
	switch (r) {
	case TL_CORRELATE_PERM_DONE:
		return "done";
	case TL_CORRELATE_PERM_SHORT_SPAN:
		return "span_shorter_than_a_week";
	case TL_CORRELATE_PERM_NO_EVENT:
		return "no_event_window_in_cycle";
	case TL_CORRELATE_PERM_NO_COVERED:
		return "no_covered_time_in_windows";
	default:
		return "too_many_arrangements_and_no_permutations";
	}
}

static const char *perm_status_name(int st)
{
	switch (st) {
	case TL_CORRELATE_PERM_WHOLE:
		return "used";
	case TL_CORRELATE_PERM_CLIPPED:
		return "used_clipped_to_cycle";
	case TL_CORRELATE_PERM_OUTSIDE_SPAN:
		return "excluded_outside_span";
	case TL_CORRELATE_PERM_OUTSIDE_CYCLE:
		return "excluded_after_last_whole_week";
	case TL_CORRELATE_PERM_EMPTY:
		return "excluded_empty_window";
	case TL_CORRELATE_PERM_SPANS_CHANGE:
		return "excluded_spans_regime_change";
	case TL_CORRELATE_PERM_SHORT_REGIME:
		return "excluded_regime_shorter_than_a_week";
	default:
		return "excluded_no_whole_week";
	}
}

static void permutation(tl_json_t *j, const tl_correlate_model_t *m)
{
	const tl_correlate_perm_t *p = &m->perm;
	char null_def[200];
	snprintf(null_def, sizeof(null_def),
		 "each event shifted independently by a uniformly drawn whole number of weeks, "
		 "cyclically within its own regime trimmed to whole weeks (the span holds %" PRIu64
		 " whole weeks)",
		 p->weeks);
	tl_json_key(j, "permutation");
	tl_json_obj_begin(j);
	boolean(j, "done", p->done);
	str(j, "reason", perm_reason_name(p->reason));
	str(j, "statistic", "lookups per covered hour inside the union of windows");
	str(j, "alternative", "greater");
	str(j, "null", null_def);
	u64(j, "weeks", p->weeks);
	time_iso(j, "cycle_start", p->cycle_start);
	time_iso(j, "cycle_end", p->cycle_end);
	time_iso(j, "span_end", p->span_end);
	u64(j, "events", p->n_events);
	u64(j, "events_clipped", p->n_clipped);
	u64(j, "events_excluded", p->n_excluded);
	u64(j, "in_lookups", p->in_lookups);
	fixed(j, "in_covered_minutes", p->in_minutes);
	fixed(j, "observed", p->in_rate);
	fixed(j, "out_rate_per_hour", p->out_rate);
	tl_json_key(j, "arrangements");
	if (p->done && p->arrangements)
		tl_json_u64(j, p->arrangements);
	else
		tl_json_null(j);
	fixed(j, "log10_arrangements", p->log10_arrangements);
	boolean(j, "exact", p->exact);
	u64(j, "n", p->n);
	u64(j, "n_undefined", p->n_undefined);
	u64(j, "seed", p->seed);
	u64(j, "n_ge", p->n_ge);
	fixed(j, "p", p->p);
	fixed(j, "p_min", p->p_min);
	fixed(j, "null_mean", p->null_mean);
	fixed(j, "null_q025", p->null_q025);
	fixed(j, "null_q975", p->null_q975);
	fixed(j, "null_min", p->null_min);
	fixed(j, "null_max", p->null_max);
	tl_json_key(j, "histogram");
	tl_json_arr_begin(j);
	if (p->done && p->n > 0)
		for (size_t i = 0; i < TL_CORRELATE_HIST_BINS; i++)
			tl_json_u64(j, p->hist[i]);
	tl_json_arr_end(j);
	tl_json_key(j, "excluded_events");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		if (e->in_permutation)
			continue;
		tl_json_obj_begin(j);
		u64(j, "event", i);
		str(j, "label", e->label);
		str(j, "why", perm_status_name(e->perm_status));
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static void bursts(tl_json_t *j, const tl_correlate_model_t *m)
{
	const tl_correlate_bursts_t *b = &m->bursts;
	tl_json_key(j, "bursts");
	tl_json_obj_begin(j);
	boolean(j, "exploratory", 1);
	str(j, "note", "found by looking at the data, not pre-registered; not a test");
	fixed(j, "min_day_coverage", TL_CORRELATE_DAY_MIN_COVER);
	fixed(j, "threshold_z", TL_CORRELATE_BURST_Z);
	u64(j, "days_total", b->days_total);
	u64(j, "days_used", b->days_used);
	fixed(j, "median", b->median);
	fixed(j, "mad", b->mad);
	fixed(j, "meanad", b->meanad);
	str(j, "scale", scale_name(b->scale));
	tl_json_key(j, "days");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < b->n; i++) {
		const tl_correlate_burst_t *d = &b->items[i];
		tl_json_obj_begin(j);
		time_iso(j, "day", d->day);
		u64(j, "count", d->count);
		fixed(j, "coverage", d->coverage);
		fixed(j, "z", d->z);
		tl_json_key(j, "nearest_event");
		if (d->nearest == UINT32_MAX) {
			tl_json_null(j);
		} else {
			tl_json_obj_begin(j);
			u64(j, "event", d->nearest);
			str(j, "label", m->events[d->nearest].label);
			i64(j, "distance_days", d->distance_days);
			boolean(j, "inside_window", d->inside_window);
			tl_json_obj_end(j);
		}
		tl_json_key(j, "records");
		tl_json_obj_begin(j);
		time_iso(j, "from", d->day);
		time_iso(j, "to", d->day + INT64_C(86400000000));
		tl_json_obj_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

void tl_json_correlate(tl_json_t *j, const tl_correlate_model_t *m)
{
	const tl_correlate_settings_t *s = &m->settings;
	tl_json_obj_begin(j);
	tl_json_key(j, "settings");
	tl_json_obj_begin(j);
	fixed(j, "alpha", s->alpha);
	str(j, "correction", s->correction == TL_CORRELATE_BH ? "bh" : "holm");
	u64(j, "permutations", s->permutations);
	u64(j, "seed", s->seed);
	fixed(j, "ci_level", m->ci_level);
	u64(j, "reference_weeks", m->reference_weeks);
	u64(j, "min_reference_weeks", m->min_reference_weeks);
	fixed(j, "change_point_alpha", TL_CORRELATE_CP_ALPHA);
	u64(j, "change_point_permutations", TL_CORRELATE_CP_PERMUTATIONS);
	u64(j, "change_point_min_weeks", TL_CORRELATE_CP_MIN_WEEKS);
	tl_json_obj_end(j);
	str(j, "strata_zone", m->strata_zone ? m->strata_zone : "UTC");
	str(j, "verdict_from", "p (calibrated), adjusted by the correction named in settings");
	tl_json_key(j, "lifecycle_hints");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_hints; i++) {
		tl_json_obj_begin(j);
		time_iso(j, "time", m->hints[i].ts);
		str(j, "kind", hint_name(m->hints[i].kind));
		str(j, "name", m->hints[i].name);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "regimes");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_regimes; i++) {
		const tl_correlate_regime_t *r = &m->regimes[i];
		tl_json_obj_begin(j);
		time_iso(j, "start", r->start);
		time_iso(j, "end", r->end);
		str(j, "starts_at", hint_name(r->start_kind));
		tl_json_key(j, "name");
		if (r->start_name)
			tl_json_str(j, r->start_name);
		else
			tl_json_null(j);
		fixed(j, "change_point_p", r->start_p);
		u64(j, "lookups_outside_windows", r->lookups);
		fixed(j, "covered_minutes_outside_windows", r->covered_minutes);
		fixed(j, "rate_per_hour", r->rate_per_hour);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "change_point_tests");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_cptests; i++) {
		const tl_correlate_cptest_t *t = &m->cptests[i];
		tl_json_obj_begin(j);
		time_iso(j, "from", t->start);
		time_iso(j, "to", t->end);
		u64(j, "weeks", t->weeks);
		fixed(j, "statistic", t->statistic);
		time_iso(j, "best_split", t->split);
		fixed(j, "p", t->p);
		boolean(j, "change_point", t->found);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	dispersion(j, &m->dispersion);
	u64(j, "lookups", m->lookups);
	fixed(j, "covered_minutes", m->covered_minutes);
	str(j, "method", METHOD);
	u64(j, "strata", TL_CORRELATE_STRATA);
	u64(j, "strata_fallback", m->strata_fallback);
	baseline(j, "baseline", &m->baseline);

	tl_json_key(j, "events");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		tl_json_obj_begin(j);
		str(j, "label", e->label);
		str(j, "category", e->category);
		u64(j, "line", e->line);
		time_iso(j, "start", e->start);
		time_iso(j, "end", e->end);
		boolean(j, "point", e->point);
		time_iso(j, "window_start", e->win_start);
		time_iso(j, "window_end", e->win_end);
		fixed(j, "covered_minutes", e->covered_minutes);
		boolean(j, "in_permutation", e->in_permutation);
		str(j, "permutation_window", perm_status_name(e->perm_status));
		time_iso(j, "permutation_start", e->perm_start);
		time_iso(j, "permutation_end", e->perm_end);
		time_iso(j, "permutation_cycle_start", e->cycle_start);
		time_iso(j, "permutation_cycle_end", e->cycle_end);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);

	tl_json_key(j, "tests");
	tl_json_obj_begin(j);
	str(j, "family", "primary");
	str(j, "method", METHOD);
	str(j, "alternative", "greater");
	u64(j, "corrected_over", m->n_testable);
	tl_json_key(j, "items");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_events; i++)
		test(j, m, &m->tests[i], NULL);
	tl_json_arr_end(j);
	tl_json_obj_end(j);

	tl_json_key(j, "window_sensitivity");
	tl_json_obj_begin(j);
	str(j, "note", "each event's margins (or, without margins, its span) halved and doubled; "
		       "the primary family's dispersion; not corrected, not the verdict");
	tl_json_key(j, "items");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_events * TL_CORRELATE_SENS_FACTORS; i++) {
		const tl_correlate_sens_t *se = &m->sens[i];
		tl_json_obj_begin(j);
		u64(j, "event", se->test.event);
		fixed(j, "factor", se->factor);
		time_iso(j, "window_start", se->win_start);
		time_iso(j, "window_end", se->win_end);
		str(j, "status", status_name(se->test.status));
		u64(j, "observed", se->test.observed);
		fixed(j, "expected", se->test.expected);
		fixed(j, "srr", se->test.rr);
		interval(j, "ci", se->test.rr_lo, se->test.rr_hi);
		fixed(j, "p", se->test.p);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);

	tl_json_key(j, "by_organisation");
	tl_json_obj_begin(j);
	str(j, "family", "secondary");
	str(j, "method", METHOD);
	str(j, "alternative", "greater");
	fixed(j, "min_share", TL_CORRELATE_ORG_MIN_SHARE);
	u64(j, "corrected_over", m->n_org_testable);
	tl_json_key(j, "organisations");
	tl_json_arr_begin(j);
	for (size_t o = 0; o < m->n_orgs; o++) {
		const tl_correlate_org_t *org = &m->orgs[o];
		tl_json_obj_begin(j);
		u64(j, "org", org->org);
		str(j, "name", org->name);
		u64(j, "lookups", org->lookups);
		fixed(j, "share", org->share);
		baseline(j, "baseline", &org->baseline);
		str(j, "strata_zone", org->strata_zone ? org->strata_zone : "UTC");
		dispersion(j, &org->dispersion);
		tl_json_key(j, "tests");
		tl_json_arr_begin(j);
		for (size_t i = 0; i < m->n_events; i++)
			test(j, m, &m->org_tests[o * m->n_events + i], org->name);
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);

	permutation(j, m);
	bursts(j, m);
	tl_json_obj_end(j);
}
