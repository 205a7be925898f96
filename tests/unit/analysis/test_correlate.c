/* test_correlate.c - event analysis on hand-built contexts: rate ratios standardised by hour
 * of week (strata, fallback, a window across the week's end, E = 0) against a Python
 * reference, corrections, not-testable events, the permutation test with each event
 * shifted by its own whole number of weeks in a cyclic span (enumerated by hand, a window
 * that wraps, replayed from the seed, the enumeration threshold), and bursts with MAD = 0. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/correlate.h"
#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#define MIN_US INT64_C(60000000)
#define HOUR_US INT64_C(3600000000)
#define DAY_US INT64_C(86400000000)
#define T0 (INT64_C(16923) * DAY_US) /* 2016-05-02T00:00Z, a Monday */

/* A hand-built context: one sensor, n_days of span starting at T0, orgs and sources. */
typedef struct fixture {
	tl_ctx_t ctx;
	tl_ctx_sensor_t sensor;
	tl_ctx_source_t sources[3];
	tl_ctx_org_t orgs[3];
	tl_lookup_t lk[4096];
	size_t n_minutes;
} fixture_t;

static void fx_init(fixture_t *f, int n_days)
{
	memset(f, 0, sizeof(*f));
	f->n_minutes = (size_t)n_days * 1440;
	f->sensor.name = "ns1";
	f->sensor.minutes = tl_xcalloc((f->n_minutes + 7) / 8, 1);
	memset(f->sensor.minutes, 0xff, (f->n_minutes + 7) / 8);
	f->orgs[0].name = "Bank";
	f->orgs[1].name = "Hospital";
	f->orgs[2].name = "Other";
	for (uint32_t i = 0; i < 3; i++) {
		f->orgs[i].method = "cidr";
		f->orgs[i].tz = "UTC";
		f->sources[i].org = i;
	}
	f->ctx.sensors = &f->sensor;
	f->ctx.n_sensors = 1;
	f->ctx.sources = f->sources;
	f->ctx.n_sources = 3;
	f->ctx.orgs = f->orgs;
	f->ctx.n_orgs = 3;
	f->ctx.lookups = f->lk;
	f->ctx.span_start = T0;
	f->ctx.span_end = T0 + (int64_t)n_days * DAY_US;
}

static void fx_free(fixture_t *f)
{
	free(f->sensor.minutes);
}

/* Marks minutes [from, to) (offsets from T0) as without data. */
static void fx_uncover(fixture_t *f, int64_t from, int64_t to)
{
	for (int64_t m = from / MIN_US; m < to / MIN_US; m++)
		f->sensor.minutes[m >> 3] &= (uint8_t)~(1u << (m & 7));
}

/* Adds a lookup at T0 + off from source src; lookups must be added in time order. */
static void fx_add(fixture_t *f, int64_t off, uint32_t src)
{
	tl_lookup_t *l = &f->lk[f->ctx.n_lookups];
	memset(l, 0, sizeof(*l));
	l->ts = T0 + off;
	l->source = src;
	l->pos = f->ctx.n_lookups;
	l->dup_of = TL_NONE32;
	f->ctx.n_lookups++;
	f->ctx.n_unique++;
}

/* Adds a duplicate sighting of the previous lookup (another sensor, same time). */
static void fx_add_dup(fixture_t *f)
{
	tl_lookup_t *l = &f->lk[f->ctx.n_lookups];
	*l = f->lk[f->ctx.n_lookups - 1];
	l->input = 1;
	l->dup_of = (uint32_t)(f->ctx.n_lookups - 1);
	f->ctx.n_lookups++;
}

static tl_event_t ev(int64_t start, int64_t ws, int64_t we, const char *label)
{
	tl_event_t e;
	memset(&e, 0, sizeof(e));
	e.start = T0 + start;
	e.end = e.start;
	e.point = 1;
	e.win_start = T0 + ws;
	e.win_end = T0 + we;
	e.label = (char *)(uintptr_t)label;
	e.category = (char *)(uintptr_t)"test";
	e.line = 2;
	return e;
}

/* The whole span as the reference of every window (K = 52 weeks) and one week of it enough:
 * these hand-built spans of two to four weeks have one regime, so the expected counts are
 * those of indirect standardisation against all time outside the windows. */
static const tl_correlate_settings_t SET = {.alpha = 0.05,
					    .permutations = 1000,
					    .seed = 20161031,
					    .correction = TL_CORRELATE_HOLM,
					    .reference_weeks = 52,
					    .min_reference_weeks = 1};

#define REL(x, ref) assert_true(fabs((x) - (ref)) <= 1e-7 * fabs(ref))

/*
 * 14 days from T0 (Monday). Day 3 (a Thursday) has no data at all; day 7 (a Monday) has
 * data only 00:00-12:00. Events: E1 window = day 7 (covered 720 min), E2 window = day 10
 * (a Thursday, 1440 min), E3 window = day 3 (no coverage: not testable).
 * Every other day (11 days, 15840 covered minutes): 10 lookups at hours 1..10, hh:00:17
 * (day 0: hours 1-6 bank, 7-9 hospital, 10 other; the rest 1-6 bank, 7-10 hospital), so
 * the baseline holds 110 lookups over 15840 min (0.416667 per hour). E1: 20 bank lookups
 * every 30 min from 00:00 (plus one duplicate sighting, not counted).
 *
 * Standardised by hour of week (UTC; stratum = 24 x weekday + hour, Monday 0):
 * - Thursday strata (72..95): day 3 has no data and day 10 is E2's window, so no covered
 *   time lies outside the windows: 24 strata fall back to the overall rate 110/15840 per
 *   minute. strata_fallback = 24.
 * - E1 = Monday 00:00-12:00 of week 2, strata 0..11, 60 min each. Their baseline is day 0
 *   alone: 60 min per stratum with 1 lookup in hours 1..10 and none in hours 0 and 11.
 *   E = sum 1 x 60/60 = 10 (the flat baseline would say 720/144 = 5: it ignores that
 *   lookups only come at hours 1-10). Var(E) = sum k_h (w_h/cov_h)^2 = 10, rse
 *   sqrt(10)/10. baseline_lookups 10. SRR = 20/10 = 2.
 * - E2 = Thursday, all 24 strata fall back: E = 110 x 1440/15840 = 10, fallback_minutes
 *   1440, baseline_lookups 0; Var(E) = 24 x 110 x (60/15840)^2 = 2640/264^2, rse
 *   sqrt(2640)/264/10 = 0.019462473604038074. SRR = 10/10 = 1.
 * Secondary family (each organisation by its own baseline by stratum):
 *   Bank (92 lookups, baseline 66): E1 E = 6 (day 0 hours 1-6), O = 20, SRR 10/3;
 *   E2 E = 66 x 1440/15840 = 6, O = 6.
 *   Hospital (47, baseline 43): E1 E = 3 (day 0 hours 7-9), O = 0; E2 E = 43/11, O = 4.
 *   Other (1 of 140 = 0.7 %) is below the 5 % share and not tested.
 *
 * Reference values: python3 standard library, Decimal with 80 digits: Poisson tails
 * summed from e^-E by the ratio recurrence, Garwood limits by 300 bisection steps on those
 * tails (the script of test_stats.c, /tmp/corr/ref_corr.py during development):
 *   (O, E)       SRR         CI                                  p (>=)                   p two-sided
 *   (20, 10)     2           [1.2216519585403944, 3.0888377902674597]  0.0034543419758568078   0.0069086839517136156
 *   (10, 10)     1           [0.47953886961324338, 1.8390356042017779] 0.54207028552814784     1
 *   (20, 6)      3.33333333  [2.0360865975673241, 5.1480629837790994]  5.1801689370119621e-06  1.0360337874023924e-05
 *   (6, 6)       1           [0.36698237558180846, 2.1765790037531141] 0.55432035863538875     1
 *   (0, 3)       0           [0, 1.2296264847046454]                   1                       0.099574136735727889
 *   (4, 43/11)   1.02325581  [0.27880276999743192, 2.6199412890567602] 0.54857061571768173     1
 */
static void build_main(fixture_t *f, tl_event_t evs[3])
{
	fx_init(f, 14);
	fx_uncover(f, 3 * DAY_US, 4 * DAY_US);
	fx_uncover(f, 7 * DAY_US + 12 * HOUR_US, 8 * DAY_US);
	for (int d = 0; d < 14; d++) {
		if (d == 3)
			continue;
		if (d == 7) {
			for (int i = 0; i < 20; i++) {
				fx_add(f, d * DAY_US + i * 30 * MIN_US, 0);
				if (i == 5)
					fx_add_dup(f);
			}
			continue;
		}
		for (int h = 1; h <= 10; h++) {
			uint32_t src = h <= 6 ? 0 : 1;
			if (d == 0 && h == 10)
				src = 2;
			fx_add(f, d * DAY_US + h * HOUR_US + 17 * 1000000, src);
		}
	}
	evs[0] = ev(7 * DAY_US, 7 * DAY_US, 8 * DAY_US, "E1 injected");
	evs[1] = ev(10 * DAY_US, 10 * DAY_US, 11 * DAY_US, "E2 null");
	evs[2] = ev(3 * DAY_US, 3 * DAY_US, 4 * DAY_US, "E3 in a gap");
}

#define P_E1 0.0034543419758568078
#define P_E2 0.54207028552814784

static void test_rate_ratios(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	tl_event_t evs[3];
	build_main(f, evs);
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, evs, 3, &SET, &m), TL_OK);

	assert_int_equal(m.lookups, 140);
	assert_true(m.covered_minutes == 12 * 1440 + 720);
	assert_int_equal(m.baseline.lookups, 110);
	assert_true(m.baseline.covered_minutes == 15840);
	REL(m.baseline.rate_per_hour, 60.0 / 144);
	assert_true(m.events[0].covered_minutes == 720);
	assert_true(m.events[2].covered_minutes == 0);
	assert_string_equal(m.events[0].label, "E1 injected");
	/* Strata: Monday 01:00 (stratum 1) holds day 0's lookup over day 0's 60 min; Tuesday
	 * 05:00 (stratum 29) two lookups (days 1, 8) over 120 min; Thursday 05:00 (77) none. */
	assert_int_equal(m.strata_fallback, 24);
	assert_int_equal(m.baseline.stratum_lookups[1], 1);
	assert_true(m.baseline.stratum_minutes[1] == 60);
	assert_int_equal(m.baseline.stratum_lookups[0], 0);
	assert_int_equal(m.baseline.stratum_lookups[24 + 5], 2);
	assert_true(m.baseline.stratum_minutes[24 + 5] == 120);
	assert_true(m.baseline.stratum_minutes[77] == 0);
	assert_int_equal(m.baseline.stratum_lookups[77], 0);
	uint64_t sum = 0;
	for (int h = 0; h < TL_CORRELATE_STRATA; h++)
		sum += m.baseline.stratum_lookups[h];
	assert_int_equal(sum, 110);

	/* E1: SRR 2 against the expected count of its own hours of the week. A span of two
	 * weeks leaves fewer than TL_CORRELATE_MIN_PLACEBOS placebo windows (each window moved
	 * by a whole week must stay in the span and meet no other window), so the dispersion
	 * cannot be estimated and no test gives a verdict; the expected counts and the
	 * uncalibrated Poisson p-values are still reported. */
	assert_true(m.dispersion.placebos < TL_CORRELATE_MIN_PLACEBOS);
	assert_true(isnan(m.dispersion.phi));
	const tl_correlate_test_t *t = &m.tests[0];
	assert_int_equal(t->status, TL_CORRELATE_NO_DISPERSION);
	assert_int_equal(t->observed, 20);
	REL(t->expected, 10.0);
	REL(t->p_poisson, P_E1);
	assert_true(isnan(t->p) && isnan(t->rr) && isnan(t->p_holm));
	assert_int_equal(t->baseline_lookups, 10);
	REL(t->expected_rse, sqrt(10.0) / 10);
	REL(t->expected_var, 10.0);
	assert_int_equal(t->fallback_strata, 0);
	assert_true(t->fallback_minutes == 0);
	assert_false(t->significant);

	/* E2: every stratum falls back to the overall rate; a null event. */
	t = &m.tests[1];
	assert_int_equal(t->status, TL_CORRELATE_NO_DISPERSION);
	assert_int_equal(t->observed, 10);
	REL(t->expected, 10.0);
	REL(t->p_poisson, P_E2);
	assert_false(t->significant);
	assert_int_equal(t->fallback_strata, 24);
	assert_true(t->fallback_minutes == 1440);
	assert_int_equal(t->baseline_lookups, 0);
	REL(t->expected_rse, 0.019462473604038074);

	/* E3: no coverage, not testable. */
	t = &m.tests[2];
	assert_int_equal(t->status, TL_CORRELATE_NO_COVERAGE);
	assert_int_equal(t->observed, 0);
	assert_true(isnan(t->rr) && isnan(t->p) && isnan(t->p_two_sided) && isnan(t->p_holm) &&
		    isnan(t->expected) && isnan(t->expected_rse));
	assert_false(t->significant);
	assert_int_equal(m.n_testable, 0);

	/* Secondary family: Bank (92 lookups) then Hospital (47), each standardised by its
	 * own reference by stratum; the same want of placebo windows. */
	assert_int_equal(m.n_orgs, 2);
	assert_int_equal(m.orgs[0].org, 0);
	assert_string_equal(m.orgs[0].name, "Bank");
	assert_int_equal(m.orgs[0].lookups, 92);
	REL(m.orgs[0].share, 92.0 / 140);
	assert_int_equal(m.orgs[0].baseline.lookups, 66);
	assert_int_equal(m.orgs[0].baseline.stratum_lookups[1], 1);
	assert_int_equal(m.orgs[0].baseline.stratum_lookups[7], 0); /* hospital's hour */
	assert_true(m.orgs[0].baseline.stratum_minutes[7] == 60);
	assert_int_equal(m.orgs[1].org, 1);
	assert_int_equal(m.orgs[1].lookups, 47);
	assert_int_equal(m.orgs[1].baseline.lookups, 43);
	assert_int_equal(m.orgs[1].baseline.stratum_lookups[7], 1);
	assert_int_equal(m.n_org_tests, 6);
	assert_int_equal(m.n_org_testable, 0);
	const tl_correlate_test_t *o = m.org_tests;
	assert_int_equal(o[0].observed, 20);
	REL(o[0].expected, 6.0);
	REL(o[0].p_poisson, 5.1801689370119621e-06);
	REL(o[0].expected_rse, sqrt(6.0) / 6);
	REL(o[1].expected, 6.0);
	REL(o[1].p_poisson, 0.55432035863538875);
	/* its own overall rate in the fallback strata: sqrt(24 x 66)/264/6 */
	REL(o[1].expected_rse, 0.025125945381480302);
	assert_int_equal(o[2].status, TL_CORRELATE_NO_COVERAGE);
	assert_int_equal(o[3].observed, 0);
	REL(o[3].expected, 3.0);
	assert_true(o[3].p_poisson == 1.0);
	REL(o[4].expected, 43.0 / 11);
	REL(o[4].p_poisson, 0.54857061571768173);

	/* The JSON names the method and the status of the untestable event, and is stable. */
	tl_buf_t b1, b2;
	tl_json_t j;
	tl_buf_init(&b1);
	tl_json_init(&j, &b1, 0);
	tl_json_correlate(&j, &m);
	tl_buf_init(&b2);
	tl_json_init(&j, &b2, 0);
	tl_json_correlate(&j, &m);
	assert_string_equal(b1.data, b2.data);
	assert_non_null(strstr(b1.data, "\"status\":\"not_testable_no_coverage\""));
	assert_non_null(strstr(b1.data, "\"method\":\"calibrated standardised rate ratio: "
					"indirect standardisation by local hour of week"));
	assert_non_null(strstr(b1.data, "\"strata_zone\":\"UTC\""));
	assert_non_null(strstr(b1.data, "\"strata\":168,\"strata_fallback\":24,"));
	assert_non_null(strstr(b1.data, "\"observed\":20,\"expected\":10.000000,\"srr\":null,"
					"\"ci\":[null,null],\"ci_simultaneous\":[null,null],\"p\":null,"));
	assert_non_null(strstr(b1.data, "\"status\":\"not_testable_too_few_placebo_windows\""));
	assert_non_null(strstr(b1.data, "\"baseline_lookups\":0,\"expected_rse\":0.019462,"
					"\"fallback_strata\":24,\"fallback_minutes\":1440.000000,"));
	assert_non_null(strstr(b1.data, "\"p_poisson_uncalibrated\":0.003454,"));
	assert_non_null(strstr(b1.data, "\"family\":\"secondary\",\"method\":\"calibrated"));
	assert_non_null(strstr(b1.data, "\"family\":\"primary\",\"method\":\"calibrated "));
	assert_non_null(strstr(b1.data, "\"by_hour_of_week\":{\"lookups\":[0,1,1,"));
	tl_buf_free(&b1);
	tl_buf_free(&b2);

	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * Why the standardisation: lookups follow the working week. 28 days from T0 (Monday),
 * fully covered, all from the bank. Regular pattern: Monday-Friday 09:00-17:00 two
 * lookups an hour (hh:10, hh:40), every other hour one (hh:20): 5 x (16 + 16) + 2 x 24 =
 * 208 a week, 832 in all. Events:
 *   T "Tuesday office hours": day 8 09:00-17:00, the regular pattern (16 lookups): no
 *     effect. Strata 33..40 (Tuesday 9..16), baseline 3 other weeks, 2 lookups and 60 min
 *     each: r = 2/60 per min, E = 8 x 60 x 2/60 = 16, SRR exactly 1. The flat baseline
 *     (848 - 16 - 24 - 1 = 807 lookups over 40320 - 480 - 480 - 60 = 39300 min) would
 *     expect 480 x 807/39300 = 9.856 and report RR 1.62: a false rise.
 *   S "Saturday": day 12 09:00-17:00 with 3 lookups an hour (hh:20 regular, plus hh:05 and
 *     hh:35): O = 24; strata 129..136, baseline 1 lookup per 60 min: E = 8, SRR 3.
 *   W "across the week's end": [day 20 23:30, day 21 00:30), Sunday into Monday.
 *     Stratum 167 (Sunday 23:00): window 30 min; baseline 3 x 60 + 30 = 210 min (day 20
 *     23:00-23:30 is outside the window) holding the 23:20 lookups of days 6, 13, 20, 27:
 *     4. Stratum 0 (Monday 00:00): window 30 min; baseline 4 x 60 - 30 = 210 min, lookups
 *     at 00:20 of days 0, 7, 14 (day 21's is in the window): 3.
 *     E = 4 x 30/210 + 3 x 30/210 = 1. O = 1 (day 21 00:20). SRR 1.
 * References (same script as above): (16, 16) p 0.53325510861227921, CI
 * [0.57158640335259525, 1.6239373498475596]; (24, 8) p 3.7254720758859217e-06, two-sided
 * 7.4509441517718434e-06, CI [1.9221566068358078, 4.4637621992191505]; (1, 1) p 1 - e^-1,
 * CI [0.025317807984289876, 5.5716433909388989].
 */
static void test_hour_of_week(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 28);
	for (int d = 0; d < 28; d++) {
		for (int h = 0; h < 24; h++) {
			int64_t at = d * DAY_US + h * HOUR_US;
			int office = d % 7 < 5 && h >= 9 && h < 17;
			int sat = d == 12 && h >= 9 && h < 17;
			if (office)
				fx_add(f, at + 10 * MIN_US, 0);
			if (sat)
				fx_add(f, at + 5 * MIN_US, 0);
			if (!office)
				fx_add(f, at + 20 * MIN_US, 0);
			if (sat)
				fx_add(f, at + 35 * MIN_US, 0);
			if (office)
				fx_add(f, at + 40 * MIN_US, 0);
		}
	}
	tl_event_t e[3] = {ev(8 * DAY_US, 8 * DAY_US + 9 * HOUR_US, 8 * DAY_US + 17 * HOUR_US, "T"),
			   ev(12 * DAY_US, 12 * DAY_US + 9 * HOUR_US, 12 * DAY_US + 17 * HOUR_US,
			      "S"),
			   ev(21 * DAY_US, 20 * DAY_US + 23 * HOUR_US + 30 * MIN_US,
			      21 * DAY_US + 30 * MIN_US, "W")};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 3, &SET, &m), TL_OK);
	assert_int_equal(m.lookups, 848);
	assert_int_equal(m.baseline.lookups, 807);
	assert_true(m.baseline.covered_minutes == 39300);
	assert_int_equal(m.strata_fallback, 0);
	assert_int_equal(m.baseline.stratum_lookups[33], 6);
	assert_true(m.baseline.stratum_minutes[33] == 180);
	assert_int_equal(m.baseline.stratum_lookups[130], 3);
	assert_true(m.baseline.stratum_minutes[167] == 210 && m.baseline.stratum_minutes[0] == 210);
	assert_int_equal(m.baseline.stratum_lookups[167], 4);
	assert_int_equal(m.baseline.stratum_lookups[0], 3);

	const tl_correlate_test_t *t = &m.tests[0];
	assert_int_equal(t->observed, 16);
	REL(t->expected, 16.0);
	REL(t->rr, 1.0);
	/* the flat rate would expect 480 x 807/39300 = 9.856 and see a rise of 1.62 */
	assert_true(t->observed / (480.0 * 807 / 39300) > 1.6);
	assert_true(t->rr_lo <= (0.57158640335259525) * (1 + 1e-9));
	assert_true(t->rr_hi >= (1.6239373498475596) * (1 - 1e-9));
	REL(t->p_poisson, 0.53325510861227921);
	assert_true(t->p_two_sided == 1.0);
	assert_int_equal(t->baseline_lookups, 48);
	assert_false(t->significant);

	t = &m.tests[1];
	assert_int_equal(t->observed, 24);
	REL(t->expected, 8.0);
	REL(t->rr, 3.0);
	assert_true(t->rr_lo <= (1.9221566068358078) * (1 + 1e-9));
	assert_true(t->rr_hi >= (4.4637621992191505) * (1 - 1e-9));
	REL(t->p_poisson, 3.7254720758859217e-06);
	assert_true(t->p_two_sided >= (7.4509441517718434e-06) * (1 - 1e-9));
	/* A threefold rise, but every lookup comes from one source: left out, nothing is left
	 * to test, so the rise rests on one address and gives no verdict (a single address can
	 * send any number of queries). */
	assert_true(t->p_all_sources < 0.001);
	assert_true(t->has_top && t->top_lookups == 24);
	assert_true(isnan(t->p_without_top) && t->p == 1.0);
	assert_false(t->significant);

	t = &m.tests[2];
	assert_int_equal(t->observed, 1);
	REL(t->expected, 1.0);
	REL(t->rr, 1.0);
	REL(t->p_poisson, 1.0 - exp(-1.0));
	assert_true(t->rr_lo <= (0.025317807984289876) * (1 + 1e-9));
	assert_true(t->rr_hi >= (5.5716433909388989) * (1 - 1e-9));
	assert_int_equal(t->baseline_lookups, 7);
	assert_true(m.events[2].covered_minutes == 60);

	/* One organisation with every lookup: its family repeats the primary one. */
	assert_int_equal(m.n_orgs, 1);
	for (int i = 0; i < 3; i++) {
		assert_true(m.org_tests[i].expected == m.tests[i].expected);
		assert_true(m.org_tests[i].p == m.tests[i].p);
	}
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * Exact enumeration by hand. Span 23 days from T0 (a Monday): 3 whole weeks (cycle =
 * days 0..20), days 21..22 are the remainder outside the cycle. Coverage: all, except day
 * 15 (no data at all). Lookups: day 0: 4, day 1: 6, day 8: 3, day 9: 3, day 16: 2, and 100
 * on day 21 (remainder: must not count anywhere in the test).
 * Events (case-file order): A = day 1; X1 = [day 21 12:00, day 22) (inside the span, after
 * the last whole week: excluded); B = [day 8, day 10); X2 = day 30 (after the span: excluded).
 * A lands on days 1, 8, 15 for k = 0, 1, 2; B on [8,10), [15,17), [22,24) mod 21 = [1,3).
 *   (kA,kB)  union            covered h  lookups  statistic
 *   (0,0)    [1,2)+[8,10)     72         12       1/6   (observed)
 *   (1,0)    [8,10)           48          6       1/8   (A inside B: counted once)
 *   (2,0)    [15,16)+[8,10)   48          6       1/8   (day 15 has no data)
 *   (0,1)    [1,2)+[15,17)    48          8       1/6   (tie with the observed: counts)
 *   (1,1)    [8,9)+[15,17)    48          5       5/48
 *   (2,1)    [15,17)          24          2       1/12
 *   (0,2)    [1,3)            48          6       1/8
 *   (1,2)    [8,9)+[1,3)      72          9       1/8
 *   (2,2)    [15,16)+[1,3)    48          6       1/8
 * n = 9 arrangements, n_ge = 2 (>= 1/6) -> p = 2/9, p_min = 1/9.
 * Mean = (2/6 + 5/8 + 5/48 + 1/12) / 9 = (16 + 30 + 5 + 4)/48/9 = 55/432.
 * Sorted: 1/12, 5/48, 1/8 x5, 1/6 x2. Type 7: q(0.025) = x0 + 0.2 (x1 - x0) = 4.2/48;
 * q(0.975) = x7 + 0.8 (x8 - x7) = 1/6. Histogram over [1/12, 1/6]: 1/12 -> bin 0,
 * 5/48 -> 20 x (1/48)/(4/48) = 5, 1/8 -> 10 (x5), 1/6 -> 20 = the closed last bin 19 (x2).
 * Outside the union in the cycle: 18 - 12 = 6 lookups over 20 x 24 - 72 = 408 covered h.
 */
static void test_permutation_exact(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 23);
	fx_uncover(f, 15 * DAY_US, 16 * DAY_US);
	int day[] = {0, 1, 8, 9, 16, 21}, cnt[] = {4, 6, 3, 3, 2, 100};
	for (int d = 0; d < 6; d++)
		for (int i = 0; i < cnt[d]; i++)
			fx_add(f, day[d] * DAY_US + i * 10 * MIN_US, 0);
	tl_event_t e[4] = {ev(DAY_US, DAY_US, 2 * DAY_US, "A"),
			   ev(21 * DAY_US, 21 * DAY_US + 12 * HOUR_US, 22 * DAY_US, "X1"),
			   ev(8 * DAY_US, 8 * DAY_US, 10 * DAY_US, "B"),
			   ev(30 * DAY_US, 30 * DAY_US, 31 * DAY_US, "X2")};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 4, &SET, &m), TL_OK);
	const tl_correlate_perm_t *p = &m.perm;
	assert_true(p->done);
	assert_int_equal(p->reason, TL_CORRELATE_PERM_DONE);
	assert_int_equal(p->weeks, 3);
	assert_true(p->cycle_start == T0 && p->cycle_end == T0 + 21 * DAY_US);
	assert_true(p->span_end == T0 + 23 * DAY_US);
	assert_int_equal(p->n_events, 2);
	assert_int_equal(p->n_clipped, 0);
	assert_int_equal(p->n_excluded, 2);
	assert_int_equal(m.events[0].perm_status, TL_CORRELATE_PERM_WHOLE);
	assert_int_equal(m.events[1].perm_status, TL_CORRELATE_PERM_OUTSIDE_CYCLE);
	assert_int_equal(m.events[3].perm_status, TL_CORRELATE_PERM_OUTSIDE_SPAN);
	assert_true(m.events[2].in_permutation && !m.events[1].in_permutation);
	assert_true(m.events[1].perm_start == TL_TIME_NONE);
	assert_true(m.events[2].perm_start == T0 + 8 * DAY_US);
	assert_int_equal(p->arrangements, 9);
	assert_true(p->exact);
	assert_int_equal(p->n, 9);
	assert_int_equal(p->n_undefined, 0);
	assert_int_equal(p->in_lookups, 12);
	assert_true(p->in_minutes == 72 * 60);
	REL(p->in_rate, 1.0 / 6);
	REL(p->out_rate, 6.0 / 408);
	assert_int_equal(p->n_ge, 2);
	REL(p->p, 2.0 / 9);
	REL(p->p_min, 1.0 / 9);
	REL(p->null_mean, 55.0 / 432);
	REL(p->null_min, 1.0 / 12);
	REL(p->null_max, 1.0 / 6);
	REL(p->null_q025, 4.2 / 48);
	REL(p->null_q975, 1.0 / 6);
	uint64_t want[TL_CORRELATE_HIST_BINS] = {0};
	want[0] = 1;
	want[5] = 1;
	want[10] = 5;
	want[19] = 2;
	assert_memory_equal(p->hist, want, sizeof(want));

	/* The JSON states the null in words, with the cycle's length, and lists exclusions. */
	tl_buf_t b;
	tl_json_t j;
	tl_buf_init(&b);
	tl_json_init(&j, &b, 0);
	tl_json_correlate(&j, &m);
	assert_non_null(strstr(b.data, "\"null\":\"each event shifted independently by a "
					"uniformly drawn whole number of weeks, cyclically within "
					"its own regime trimmed to whole weeks (the span holds 3 whole weeks)\""));
	assert_non_null(strstr(b.data, "\"arrangements\":9,"));
	assert_non_null(strstr(b.data, "{\"event\":1,\"label\":\"X1\","
					"\"why\":\"excluded_after_last_whole_week\"}"));
	assert_non_null(strstr(b.data, "\"why\":\"excluded_outside_span\""));
	tl_buf_free(&b);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * A window that wraps. 28 days (4 weeks, no remainder). Event W: Sunday 12:00 to Monday
 * 12:00, [6.5 d, 7.5 d). Shifts: k=0 [6.5, 7.5); k=1 [13.5, 14.5); k=2 [20.5, 21.5);
 * k=3 [27.5, 28.5) -> wraps: [27.5, 28) + [0, 0.5).
 * Lookups: day 0 at 1, 2, 3 h (3) and at 13 h (1, outside every piece); day 6 at 18 h (1)
 * and day 7 at 6 h (1); day 20 at 18 h (1); day 27 at 13 h and 14 h (2).
 * Day 14 00:00-12:00 has no data. Statistics (lookups / covered h):
 *   k=0: 2 / 24 = 1/12 (observed); k=1: 0 / 12 = 0; k=2: 1 / 24; k=3: (2 + 3) / 24 = 5/24.
 * (Without wrapping, k=3 would be 2 / 12 = 1/6, or lost.) n_ge = 2 -> p = 2/4.
 */
static void test_permutation_wrap(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 28);
	fx_uncover(f, 14 * DAY_US, 14 * DAY_US + 12 * HOUR_US);
	int64_t at[] = {1 * HOUR_US, 2 * HOUR_US, 3 * HOUR_US, 13 * HOUR_US,
			6 * DAY_US + 18 * HOUR_US, 7 * DAY_US + 6 * HOUR_US,
			20 * DAY_US + 18 * HOUR_US, 27 * DAY_US + 13 * HOUR_US,
			27 * DAY_US + 14 * HOUR_US};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		fx_add(f, at[i], 0);
	tl_event_t e[2] = {ev(7 * DAY_US, 6 * DAY_US + 12 * HOUR_US, 7 * DAY_US + 12 * HOUR_US,
			      "W"),
			   ev(0, -12 * HOUR_US, 12 * HOUR_US, "C")};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 1, &SET, &m), TL_OK);
	const tl_correlate_perm_t *p = &m.perm;
	assert_true(p->done && p->exact);
	assert_int_equal(p->weeks, 4);
	assert_int_equal(p->arrangements, 4);
	assert_int_equal(p->n, 4);
	REL(p->in_rate, 1.0 / 12);
	assert_true(p->null_min == 0.0);
	REL(p->null_max, 5.0 / 24);
	REL(p->null_mean, (2.0 + 0 + 1 + 5) / 24 / 4);
	assert_int_equal(p->n_ge, 2);
	REL(p->p, 0.5);
	tl_correlate_model_free(&m);

	/* Event C, [-12 h, 12 h), starts before the data: clipped to [0, 12 h). With W that
	 * is 16 arrangements, still exact. */
	assert_int_equal(tl_correlate_run(&f->ctx, e, 2, &SET, &m), TL_OK);
	assert_int_equal(m.events[1].perm_status, TL_CORRELATE_PERM_CLIPPED);
	assert_true(m.events[1].perm_start == T0 && m.events[1].perm_end == T0 + 12 * HOUR_US);
	assert_int_equal(m.perm.n_clipped, 1);
	assert_int_equal(m.perm.n_events, 2);
	assert_int_equal(m.perm.arrangements, 16);
	assert_true(m.perm.exact);
	/* Observed: W [6.5, 7.5) with 2 lookups + C [0, 0.5) with 3: 5 over 36 h. */
	assert_int_equal(m.perm.in_lookups, 5);
	REL(m.perm.in_rate, 5.0 / 36);
	tl_correlate_model_free(&m);

	/* A window wholly inside time without data: the observed union has no covered time. */
	tl_event_t g = ev(14 * DAY_US, 14 * DAY_US, 14 * DAY_US + 12 * HOUR_US, "gap");
	assert_int_equal(tl_correlate_run(&f->ctx, &g, 1, &SET, &m), TL_OK);
	assert_false(m.perm.done);
	assert_int_equal(m.perm.reason, TL_CORRELATE_PERM_NO_COVERED);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * Random arrangements, replayed from the seed. 30 weeks from T0. Events (case-file order):
 * Monday, Tuesday and Wednesday of week 10 (days 70, 71, 72; one-day windows), and an
 * event after the span between them (excluded: it must not consume draws). Day 7w + i
 * (i = 0, 1, 2) holds c(w, i) = (w + i) mod 4 lookups, except week 10 with 3 each: the
 * observed statistic is 9 / 72 h. 30^3 = 27000 arrangements >= 10000, so N = 1000 draws.
 * A draw lands event i on week (10 + k_i) mod 30, the three windows never overlap (other
 * weekdays), so its statistic is (sum of the three counts) / 72. The test replays the seed
 * drawing k_0, k_1, k_2 with tl_rng_below(30) per draw and counts sums >= 9 itself.
 */
static int wcount(int w, int i)
{
	return w == 10 ? 3 : (w + i) % 4;
}

static void build_weeks(fixture_t *f, tl_event_t e[4])
{
	fx_init(f, 210);
	for (int w = 0; w < 30; w++)
		for (int i = 0; i < 3; i++)
			for (int n = 0; n < wcount(w, i); n++)
				fx_add(f, (int64_t)(7 * w + i) * DAY_US + (n + 1) * HOUR_US, 0);
	e[0] = ev(70 * DAY_US, 70 * DAY_US, 71 * DAY_US, "Mon");
	e[1] = ev(71 * DAY_US, 71 * DAY_US, 72 * DAY_US, "Tue");
	e[2] = ev(400 * DAY_US, 400 * DAY_US, 401 * DAY_US, "later");
	e[3] = ev(72 * DAY_US, 72 * DAY_US, 73 * DAY_US, "Wed");
}

static void replay(uint64_t seed, uint64_t n, uint64_t *ge, double *mean)
{
	tl_rng_t r;
	tl_rng_seed(&r, seed);
	*ge = 0;
	double sum = 0;
	for (uint64_t d = 0; d < n; d++) {
		int tot = 0;
		for (int i = 0; i < 3; i++)
			tot += wcount((int)((10 + tl_rng_below(&r, 30)) % 30), i);
		*ge += tot >= 9;
		sum += tot / 72.0;
	}
	*mean = sum / (double)n;
}

static void test_permutation_seeded(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	tl_event_t e[4];
	build_weeks(f, e);
	tl_correlate_model_t a, b, c;
	tl_correlate_settings_t s = SET;
	s.seed = 1;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 4, &s, &a), TL_OK);
	assert_int_equal(tl_correlate_run(&f->ctx, e, 4, &s, &b), TL_OK);
	s.seed = 2;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 4, &s, &c), TL_OK);

	assert_true(a.perm.done && !a.perm.exact);
	assert_int_equal(a.perm.weeks, 30);
	assert_int_equal(a.perm.n_events, 3);
	assert_int_equal(a.perm.n_excluded, 1);
	assert_int_equal(a.perm.arrangements, 27000);
	REL(a.perm.log10_arrangements, 3 * log10(30.0));
	assert_int_equal(a.perm.n, 1000);
	assert_int_equal(a.perm.seed, 1);
	REL(a.perm.in_rate, 9.0 / 72);
	/* Same seed, same bits. */
	assert_int_equal(a.perm.n_ge, b.perm.n_ge);
	assert_true(a.perm.p == b.perm.p && a.perm.null_mean == b.perm.null_mean);
	assert_true(a.perm.null_q025 == b.perm.null_q025 && a.perm.null_q975 == b.perm.null_q975);
	assert_memory_equal(a.perm.hist, b.perm.hist, sizeof(a.perm.hist));
	/* Each seed's result is the replayed one; p is Phipson-Smyth, p_min = 1/(N + 1). */
	uint64_t ge1, ge2;
	double mean1, mean2;
	replay(1, 1000, &ge1, &mean1);
	replay(2, 1000, &ge2, &mean2);
	assert_int_equal(a.perm.n_ge, ge1);
	assert_int_equal(c.perm.n_ge, ge2);
	assert_true(fabs(a.perm.null_mean - mean1) < 1e-12);
	assert_true(fabs(c.perm.null_mean - mean2) < 1e-12);
	assert_true(a.perm.null_mean != c.perm.null_mean);
	REL(a.perm.p, (1.0 + (double)ge1) / 1001.0);
	REL(a.perm.p_min, 1.0 / 1001.0);
	assert_int_equal(c.perm.seed, 2);
	/* Sums >= 9 among the 27000 arrangements are rare (each count <= 3): a small p. */
	assert_true(ge1 < 100);
	uint64_t tot = 0;
	for (int i = 0; i < TL_CORRELATE_HIST_BINS; i++)
		tot += a.perm.hist[i];
	assert_int_equal(tot, 1000);
	tl_correlate_model_free(&a);
	tl_correlate_model_free(&b);
	tl_correlate_model_free(&c);
	fx_free(f);
	free(f);
}

/* The enumeration threshold: 100 weeks, one event -> 100 arrangements, exact; two events
 * -> 10000 = TL_CORRELATE_EXACT_BELOW, drawn. No lookups at all: every statistic is 0, so
 * every null value ties with the observed (n_ge = n). */
static void test_permutation_threshold(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 700);
	tl_event_t e[2] = {ev(DAY_US, DAY_US, 2 * DAY_US, "a"),
			   ev(3 * DAY_US, 3 * DAY_US, 4 * DAY_US, "b")};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 1, &SET, &m), TL_OK);
	assert_true(m.perm.done && m.perm.exact);
	assert_int_equal(m.perm.arrangements, 100);
	assert_int_equal(m.perm.n_ge, 100);
	assert_true(m.perm.p == 1.0);
	tl_correlate_model_free(&m);
	assert_int_equal(tl_correlate_run(&f->ctx, e, 2, &SET, &m), TL_OK);
	assert_true(m.perm.done && !m.perm.exact);
	assert_int_equal(m.perm.arrangements, TL_CORRELATE_EXACT_BELOW);
	assert_int_equal(m.perm.n, SET.permutations);
	assert_int_equal(m.perm.n_ge, SET.permutations);
	assert_true(m.perm.p == 1.0);
	tl_correlate_model_free(&m);
	/* permutations = 0 and too many arrangements to enumerate: no test. */
	tl_correlate_settings_t s = SET;
	s.permutations = 0;
	assert_int_equal(tl_correlate_run(&f->ctx, e, 2, &s, &m), TL_OK);
	assert_false(m.perm.done);
	assert_int_equal(m.perm.reason, TL_CORRELATE_PERM_NO_DRAWS);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * Bursts with MAD = 0: 14 days; days 0..13 have 10 lookups except day 6 with 40 and day 12
 * with 11; day 2 is covered only 6 h (25 % < 50 %: left out) and has 30 lookups in them.
 * Used days: 13 (14 minus day 2); counts: 11 x 10, 40, 11. Median 10, MAD 0 -> MeanAD
 * scale: meanad = (30 + 1)/13; z(40) = 30 / (1.253314 x 31/13) = 10.0379 > 3.5 (burst);
 * z(11) = 0.3346 (not). Events: "A" on day 5 with window [day 4, day 7) -> distance +1,
 * inside; "B" on day 9, window [day 9, day 10) -> distance -3 (farther).
 */
static void test_bursts_mad_zero(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 14);
	fx_uncover(f, 2 * DAY_US + 6 * HOUR_US, 3 * DAY_US);
	for (int d = 0; d < 14; d++) {
		int c = d == 6 ? 40 : d == 12 ? 11 : d == 2 ? 30 : 10;
		for (int i = 0; i < c; i++)
			fx_add(f, d * DAY_US + i * 5 * MIN_US, 0);
	}
	tl_event_t evs[2] = {ev(5 * DAY_US, 4 * DAY_US, 7 * DAY_US, "A"),
			     ev(9 * DAY_US, 9 * DAY_US, 10 * DAY_US, "B")};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, evs, 2, &SET, &m), TL_OK);
	const tl_correlate_bursts_t *b = &m.bursts;
	assert_int_equal(b->days_total, 14);
	assert_int_equal(b->days_used, 13);
	assert_true(b->median == 10.0 && b->mad == 0.0);
	assert_int_equal(b->scale, TL_STATS_SCALE_MEANAD);
	REL(b->meanad, 31.0 / 13);
	assert_int_equal(b->n, 1);
	assert_true(b->items[0].day == T0 + 6 * DAY_US);
	assert_int_equal(b->items[0].count, 40);
	assert_true(b->items[0].coverage == 1.0);
	/* stats.c uses 1.253314 (sqrt(pi/2)); stats.h says 1.2533. */
	REL(b->items[0].z, 30.0 / (1.253314 * 31.0 / 13));
	assert_int_equal(b->items[0].nearest, 0);
	assert_int_equal(b->items[0].distance_days, 1);
	assert_true(b->items[0].inside_window);
	tl_correlate_model_free(&m);

	/* All used days equal: no scale, no bursts; no events: nearest stays none. */
	fixture_t *g = tl_xmalloc(sizeof(*g));
	fx_init(g, 5);
	for (int d = 0; d < 5; d++)
		fx_add(g, d * DAY_US, 0);
	assert_int_equal(tl_correlate_run(&g->ctx, NULL, 0, &SET, &m), TL_OK);
	assert_int_equal(m.bursts.scale, TL_STATS_SCALE_NONE);
	assert_int_equal(m.bursts.n, 0);
	assert_false(m.perm.done);
	assert_int_equal(m.n_testable, 0);
	tl_correlate_model_free(&m);
	fx_free(g);
	free(g);
	fx_free(f);
	free(f);
}

/*
 * The claim tested is a rise. 14 days, fully covered, 24 lookups a day (one per hour at
 * hh:00:17) except day 7 (none: a decrease, like the sample's debate after the target
 * stopped resolving) and day 10 (48: two per hour, at hh:00:17 and hh:30:17).
 * Events: D = day 7 (a Monday), R = day 10 (a Thursday). Baseline: the other 12 days,
 * 288 lookups over 17280 min; each hour-of-week stratum of D and R holds one other day
 * with one lookup in its 60 min, so E = 24 for both.
 * Reference (Decimal script of test_stats.c):
 *   D: O = 0: one-sided P(X >= 0) = 1; two-sided 2 e^-24 = 7.5502690885581955e-11.
 *   R: O = 48: one-sided 1.0428432772645251e-05; two-sided 2.0856865545290502e-05.
 * Holm on the one-sided p: R 2 x 1.0428e-05, D 1. So D, a decrease that a two-sided
 * test would call highly significant, is not significant: it is no evidence of a rise.
 */
static void test_one_sided(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 14);
	for (int d = 0; d < 14; d++) {
		if (d == 7)
			continue;
		for (int h = 0; h < 24; h++) {
			fx_add(f, d * DAY_US + h * HOUR_US + 17 * 1000000, 0);
			if (d == 10)
				fx_add(f, d * DAY_US + h * HOUR_US + 30 * MIN_US + 17 * 1000000, 0);
		}
	}
	tl_event_t evs[2] = {ev(7 * DAY_US, 7 * DAY_US, 8 * DAY_US, "D"),
			     ev(10 * DAY_US, 10 * DAY_US, 11 * DAY_US, "R")};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, evs, 2, &SET, &m), TL_OK);
	assert_int_equal(m.baseline.lookups, 288);
	const tl_correlate_test_t *d = &m.tests[0], *r = &m.tests[1];
	/* two weeks: too few placebo windows for a verdict; the Poisson tails are still shown */
	assert_int_equal(d->status, TL_CORRELATE_NO_DISPERSION);
	assert_int_equal(d->observed, 0);
	assert_true(d->p_poisson == 1.0);
	REL(d->expected, 24.0);
	assert_false(d->significant);
	assert_int_equal(r->observed, 48);
	REL(r->expected, 24.0);
	REL(r->p_poisson, 1.0428432772645251e-05);
	assert_false(r->significant);
	/* The calibrated test is one-sided as well: D's decrease is no evidence of a rise, R's
	 * rise is, once the dispersion is known (phi = 1 here, E's own error included). */
	tl_qratio_t qd, qr;
	assert_int_equal(tl_stats_qratio(0, d->expected, d->expected_var, 1.0, 0.05, &qd), TL_OK);
	assert_int_equal(tl_stats_qratio(48, r->expected, r->expected_var, 1.0, 0.05, &qr), TL_OK);
	assert_true(qd.p_greater == 1.0 && qd.p_two_sided < 1e-6);
	assert_true(qr.p_greater < 0.05 && qr.p_greater > r->p_poisson);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/* Empty context, bad settings, and an event window beyond the span. */
static void test_edges(void **state)
{
	(void)state;
	tl_ctx_t ctx;
	memset(&ctx, 0, sizeof(ctx));
	tl_correlate_model_t m;
	tl_event_t e = ev(0, 0, DAY_US, "x");
	assert_int_equal(tl_correlate_run(&ctx, &e, 1, &SET, &m), TL_OK);
	assert_int_equal(m.tests[0].status, TL_CORRELATE_NO_COVERAGE);
	assert_false(m.perm.done);
	assert_int_equal(m.bursts.days_total, 0);
	tl_buf_t b;
	tl_json_t j;
	tl_buf_init(&b);
	tl_json_init(&j, &b, 0);
	tl_json_correlate(&j, &m);
	assert_non_null(strstr(b.data, "\"histogram\":[]"));
	tl_buf_free(&b);
	tl_correlate_model_free(&m);
	tl_correlate_model_free(NULL);
	/* No data at all: the span is TL_TIME_NONE (no overflow computing its length). */
	ctx.span_start = ctx.span_end = TL_TIME_NONE;
	assert_int_equal(tl_correlate_run(&ctx, &e, 1, &SET, &m), TL_OK);
	assert_true(m.covered_minutes == 0 && !m.perm.done && m.bursts.days_total == 0);
	tl_correlate_model_free(&m);

	tl_correlate_settings_t s = SET;
	s.alpha = 0;
	assert_int_equal(tl_correlate_run(&ctx, &e, 1, &s, &m), TL_EINVAL);
	s = SET;
	s.correction = 7;
	assert_int_equal(tl_correlate_run(&ctx, &e, 1, &s, &m), TL_EINVAL);
	assert_int_equal(tl_correlate_run(&ctx, NULL, 1, &SET, &m), TL_EINVAL);
	e.win_end = e.win_start - 1;
	assert_int_equal(tl_correlate_run(&ctx, &e, 1, &SET, &m), TL_EINVAL);

	/* Every covered minute inside a window: no baseline, nothing testable. */
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 2);
	fx_add(f, HOUR_US, 0);
	tl_event_t all = ev(0, -DAY_US, 3 * DAY_US, "all");
	assert_int_equal(tl_correlate_run(&f->ctx, &all, 1, &SET, &m), TL_OK);
	assert_int_equal(m.tests[0].status, TL_CORRELATE_FEW_REFERENCE);
	assert_int_equal(m.n_testable, 0);
	/* Two days hold no whole week: no permutation test, and the event says why. */
	assert_false(m.perm.done);
	assert_int_equal(m.perm.reason, TL_CORRELATE_PERM_SHORT_SPAN);
	assert_int_equal(m.perm.weeks, 0);
	assert_int_equal(m.events[0].perm_status, TL_CORRELATE_PERM_NO_CYCLE);
	assert_int_equal(m.perm.n_excluded, 1);
	tl_correlate_model_free(&m);

	/* Window edges inside minutes: [day 1 + 30 s, day 1 + 90 s) holds the last 30 s of
	 * minute 1440 and the first 30 s of minute 1441: 1.0 covered minute; with minute
	 * 1441 without data, 0.5. */
	tl_event_t half = ev(DAY_US, DAY_US + 30000000, DAY_US + 90000000, "half");
	assert_int_equal(tl_correlate_run(&f->ctx, &half, 1, &SET, &m), TL_OK);
	assert_true(m.events[0].covered_minutes == 1.0);
	tl_correlate_model_free(&m);
	fx_uncover(f, DAY_US + MIN_US, DAY_US + 2 * MIN_US);
	assert_int_equal(tl_correlate_run(&f->ctx, &half, 1, &SET, &m), TL_OK);
	assert_true(m.events[0].covered_minutes == 0.5);
	assert_true(m.covered_minutes == 2 * 1440 - 1);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);

	/* The expected count is 0: 14 days, one lookup (day 0, Monday 01:30). Window Z =
	 * Tuesday 05:00-06:00 of week 2: its stratum has 60 covered minutes outside (day 1)
	 * but no lookup, so E = 0 and nothing can be compared: not testable (not "p = 0").
	 * Window M = Monday 01:00-02:00 of week 2: E = 1 x 60/60 = 1, O = 0, SRR 0, p 1. */
	f = tl_xmalloc(sizeof(*f));
	fx_init(f, 14);
	fx_add(f, HOUR_US + 30 * MIN_US, 0);
	tl_event_t zm[2] = {ev(8 * DAY_US, 8 * DAY_US + 5 * HOUR_US, 8 * DAY_US + 6 * HOUR_US, "Z"),
			    ev(7 * DAY_US, 7 * DAY_US + HOUR_US, 7 * DAY_US + 2 * HOUR_US, "M")};
	assert_int_equal(tl_correlate_run(&f->ctx, zm, 2, &SET, &m), TL_OK);
	assert_int_equal(m.tests[0].status, TL_CORRELATE_NO_BASELINE);
	assert_true(m.tests[0].expected == 0.0 && isnan(m.tests[0].p) && isnan(m.tests[0].rr));
	assert_int_equal(m.tests[1].status, TL_CORRELATE_NO_DISPERSION);
	assert_true(m.tests[1].expected == 1.0 && m.tests[1].p_poisson == 1.0);
	assert_int_equal(m.n_testable, 0);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * Regimes. 12 weeks from T0 (Monday), fully covered. Weeks 0-7: one lookup an hour
 * (hh:20); from day 56 on the target name no longer resolves and its lookups halve (one
 * every two hours). An effect in week 3: two more lookups an hour during day 21 (window
 * [day 21, day 22)). A null event in week 10 (window [day 70, day 72)), and one whose window
 * [day 55, day 57) spans the change.
 *  - With the lifecycle hint at day 56, the week-10 window is compared with weeks 8-11
 *    only: E = 24, O = 24, SRR 1, not significant. Against the whole span (the old
 *    method) E would be about 37 and SRR about 0.65; with the roles reversed (rate rising
 *    after the change) every window after it looked like a rise.
 *  - Without the hint, the change-point test on the weekly counts finds day 56 (all eight
 *    full weeks equal, the four after it equal at half: only 2 of the 495 orders of the
 *    weeks are as extreme), and the same SRR 1 follows.
 *  - The effect is significant in both, the window across the change is not testable.
 */
static void build_regimes(fixture_t *f, tl_event_t *e)
{
	fx_init(f, 84);
	for (int d = 0; d < 84; d++)
		for (int h = 0; h < 24; h++) {
			int64_t at = d * DAY_US + h * HOUR_US;
			uint32_t src = (uint32_t)(h % 3); /* three resolvers take turns */
			if (d < 56 || h % 2 == 0)
				fx_add(f, at + 20 * MIN_US, src);
			if (d == 21) {
				fx_add(f, at + 30 * MIN_US, src);
				fx_add(f, at + 40 * MIN_US, src);
			}
		}
	e[0] = ev(21 * DAY_US, 21 * DAY_US, 22 * DAY_US, "effect");
	e[1] = ev(70 * DAY_US, 70 * DAY_US, 72 * DAY_US, "after");
	e[2] = ev(56 * DAY_US, 55 * DAY_US, 57 * DAY_US, "across");
}

static void test_regimes(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	tl_event_t e[3];
	build_regimes(f, e);
	tl_correlate_hint_t hint = {T0 + 56 * DAY_US, TL_CORRELATE_HINT_STOPPED, "old.example."};
	tl_correlate_settings_t s = {.alpha = 0.05, .permutations = 200, .seed = 7,
				     .correction = TL_CORRELATE_HOLM, .hints = &hint, .n_hints = 1};
	for (int with_hint = 1; with_hint >= 0; with_hint--) {
		s.n_hints = (size_t)with_hint;
		tl_correlate_model_t m;
		assert_int_equal(tl_correlate_run(&f->ctx, e, 3, &s, &m), TL_OK);
		assert_int_equal(m.reference_weeks, TL_CORRELATE_REFERENCE_WEEKS);
		assert_int_equal(m.n_regimes, 2);
		assert_true(m.regimes[1].start == T0 + 56 * DAY_US);
		assert_int_equal(m.regimes[1].start_kind, with_hint ? TL_CORRELATE_HINT_STOPPED
								    : TL_CORRELATE_HINT_CHANGEPOINT);
		if (with_hint) {
			assert_string_equal(m.regimes[1].start_name, "old.example.");
			assert_int_equal(m.n_hints, 1);
		} else {
			assert_true(m.regimes[1].start_p < TL_CORRELATE_CP_ALPHA);
			assert_true(m.n_cptests >= 1 && m.cptests[0].found);
		}
		REL(m.regimes[0].rate_per_hour, 1.0);
		REL(m.regimes[1].rate_per_hour, 0.5);
		/* the dispersion comes from placebo windows; these counts are as regular as
		 * counts can be, so the estimate is below 1 and 1 is used */
		assert_true(m.dispersion.placebos >= TL_CORRELATE_MIN_PLACEBOS);
		assert_true(m.dispersion.phi_hat < 1.0 && m.dispersion.phi == 1.0);
		REL(m.dispersion.mean_ratio, 1.0);
		const tl_correlate_test_t *t = &m.tests[1];
		assert_int_equal(t->status, TL_CORRELATE_TESTABLE);
		assert_int_equal(t->regime, 1);
		assert_int_equal(t->observed, 24);
		REL(t->expected, 24.0);
		REL(t->rr, 1.0);
		assert_false(t->significant);
		assert_true(t->ref_start == T0 + 56 * DAY_US && t->ref_end == T0 + 84 * DAY_US);
		assert_true(t->rr_lo_sim < t->rr_lo && t->rr_hi_sim > t->rr_hi);
		t = &m.tests[0];
		assert_int_equal(t->status, TL_CORRELATE_TESTABLE);
		assert_int_equal(t->observed, 72);
		REL(t->expected, 24.0);
		assert_true(t->significant);
		assert_true(t->p_all_sources > t->p_poisson); /* E's own error widens it */
		/* without the source with the largest excess the rise holds */
		assert_true(t->has_top && t->p_without_top < 0.01);
		assert_true(t->p == fmax(t->p_all_sources, t->p_without_top));
		/* its reference: weeks 0-7 within 4 weeks of the window, less the window */
		assert_true(t->ref_start == T0 && t->ref_end == T0 + 50 * DAY_US);
		assert_int_equal(m.tests[2].status, TL_CORRELATE_SPANS_CHANGE);
		assert_int_equal(m.events[2].perm_status, TL_CORRELATE_PERM_SPANS_CHANGE);
		/* each event is shifted within its own regime in the permutation test */
		assert_true(m.events[1].cycle_start == T0 + 56 * DAY_US &&
			    m.events[1].cycle_weeks == 4);
		assert_true(m.events[0].cycle_start == T0 && m.events[0].cycle_weeks == 8);
		/* the sensitivity windows: the margin after the point event halved, doubled */
		const tl_correlate_sens_t *se = &m.sens[0];
		assert_true(se[0].factor == 0.5 && se[1].factor == 2.0);
		assert_true(se[0].win_start == T0 + 21 * DAY_US &&
			    se[0].win_end == T0 + 21 * DAY_US + 12 * HOUR_US);
		assert_int_equal(se[0].test.observed, 36);
		assert_true(se[1].win_start == T0 + 21 * DAY_US && se[1].win_end == T0 + 23 * DAY_US);
		assert_int_equal(se[1].test.observed, 72 + 24);
		tl_correlate_model_free(&m);
	}
	fx_free(f);
	free(f);
}

/* Overdispersion: the same 12 weeks, but in every third week the lookups of each day
 * come in one burst (24 lookups within its first hour) instead of one an hour. Placebo
 * windows of a day then see 0 or 24 lookups where the reference expects about 1 per hour
 * of the window: phi is far above 1, and the calibrated p of a window with a doubled count
 * is far larger than the Poisson p. */
static void test_dispersion(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 84);
	for (int d = 0; d < 84; d++) {
		int week = d / 7;
		for (int h = 0; h < 24; h++) {
			int64_t at = d * DAY_US;
			if (d >= 42 && d < 44) /* the event window: twice the rate */
				fx_add(f, at + h * HOUR_US + 10 * MIN_US, 0);
			if (week % 3 == 1 && d < 42)
				fx_add(f, at + h * MIN_US, 0); /* a burst at the start of the day */
			else if (week % 3 != 1)
				fx_add(f, at + h * HOUR_US + 20 * MIN_US, 0);
		}
	}
	tl_event_t e = ev(42 * DAY_US, 42 * DAY_US, 44 * DAY_US, "double");
	tl_correlate_settings_t s = {.alpha = 0.05, .permutations = 100, .seed = 7,
				     .correction = TL_CORRELATE_HOLM};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &s, &m), TL_OK);
	assert_true(m.dispersion.placebos >= TL_CORRELATE_MIN_PLACEBOS);
	assert_true(m.dispersion.phi > 2.0);
	assert_true(m.dispersion.p_over < 0.001);
	const tl_correlate_test_t *t = &m.tests[0];
	assert_int_equal(t->status, TL_CORRELATE_TESTABLE);
	assert_true(t->dispersion == m.dispersion.phi);
	assert_true(t->p_poisson < 1e-6);
	assert_true(t->p > 100 * t->p_poisson);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/* A burst: the regimes' case, plus 60 queries from one source within two hours of the
 * null window of week 10 (a scanner or a client without a cache). With every source the
 * window looks like a rise; without that one source it is ordinary, so no verdict. */
static void test_burst(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	tl_event_t e[3];
	build_regimes(f, e);
	/* the lookups must stay in time order: rebuild with the burst inserted */
	fixture_t *g = tl_xmalloc(sizeof(*g));
	fx_init(g, 84);
	int64_t b0 = 70 * DAY_US + 10 * HOUR_US + 5 * MIN_US;
	size_t k = 0;
	for (size_t i = 0; i < f->ctx.n_lookups; i++) {
		int64_t off = f->lk[i].ts - T0;
		while (k < 60 && b0 + (int64_t)k * 2 * MIN_US < off) {
			fx_add(g, b0 + (int64_t)k * 2 * MIN_US, 1);
			k++;
		}
		fx_add(g, off, f->lk[i].source);
	}
	tl_correlate_hint_t hint = {T0 + 56 * DAY_US, TL_CORRELATE_HINT_STOPPED, "old.example."};
	tl_correlate_settings_t s = {.alpha = 0.05, .permutations = 100, .seed = 7,
				     .correction = TL_CORRELATE_HOLM, .hints = &hint, .n_hints = 1};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&g->ctx, e, 3, &s, &m), TL_OK);
	const tl_correlate_test_t *t = &m.tests[1];
	assert_int_equal(t->observed, 24 + 60);
	assert_true(t->p_all_sources < 0.001);
	assert_true(t->has_top && t->top_lookups >= 60);
	assert_true(t->top_addr.family == g->sources[1].addr.family);
	assert_true(t->p_without_top > 0.2 && t->p == t->p_without_top);
	assert_false(t->significant);
	assert_true(m.tests[0].significant); /* the real effect, spread over the sources */
	tl_correlate_model_free(&m);
	fx_free(f);
	fx_free(g);
	free(f);
	free(g);
}

/* Daylight saving. Six weeks from Monday 2016-10-17 (UTC), one organisation in
 * America/New_York, whose clocks go back on Sunday 6 November (UTC-4 to UTC-5). Office
 * hours 09:00-17:00 local, Monday to Friday: four lookups an hour; one an hour otherwise.
 * The window is Monday 14 November 09:00-17:00 local (14:00-22:00 UTC), after the change,
 * with ordinary demand. In the organisation's local time its strata expect exactly 32; in
 * UTC strata the weeks before the change would put office hours an hour earlier, and the
 * window would look like a rise. */
static void test_dst_strata(void **state)
{
	(void)state;
	const int64_t s0 = INT64_C(17091) * DAY_US;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 42);
	f->ctx.span_start = s0;
	f->ctx.span_end = s0 + 42 * DAY_US;
	for (int i = 0; i < 3; i++)
		f->orgs[i].tz = "America/New_York";
	const int64_t change = s0 + 20 * DAY_US + 6 * HOUR_US; /* 2016-11-06 06:00 UTC */
	for (int64_t hr = 0; hr < 42 * 24; hr++) {
		int64_t t = s0 + hr * HOUR_US;
		int64_t local = t - (t < change ? 4 : 5) * HOUR_US;
		int64_t lday = local >= 0 ? local / DAY_US : 0;
		int wd = (int)((lday + 3) % 7); /* 0 = Monday */
		int lh = (int)((local % DAY_US) / HOUR_US);
		int office = wd < 5 && lh >= 9 && lh < 17;
		for (int k = 0; k < (office ? 4 : 1); k++) {
			tl_lookup_t *l = &f->lk[f->ctx.n_lookups];
			memset(l, 0, sizeof(*l));
			l->ts = t + (int64_t)k * 15 * MIN_US + 7 * MIN_US;
			l->source = (uint32_t)(k % 3);
			l->pos = f->ctx.n_lookups;
			l->dup_of = TL_NONE32;
			f->ctx.n_lookups++;
			f->ctx.n_unique++;
		}
	}
	tl_event_t e;
	memset(&e, 0, sizeof(e));
	e.start = e.end = s0 + 28 * DAY_US + 14 * HOUR_US;
	e.win_start = e.start;
	e.win_end = e.start + 8 * HOUR_US;
	e.label = (char *)(uintptr_t) "Monday after the change";
	e.category = (char *)(uintptr_t) "test";
	tl_correlate_settings_t st = {.alpha = 0.05, .permutations = 50, .seed = 3,
				      .correction = TL_CORRELATE_HOLM};
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &st, &m), TL_OK);
	assert_string_equal(m.strata_zone, "America/New_York");
	const tl_correlate_test_t *t = &m.tests[0];
	assert_int_equal(t->observed, 32);
	REL(t->expected, 32.0);
	assert_false(t->significant);
	/* the same lookups in UTC strata: the organisations' zone removed */
	for (int i = 0; i < 3; i++)
		f->orgs[i].tz = "UTC";
	tl_correlate_model_t u;
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &st, &u), TL_OK);
	assert_string_equal(u.strata_zone, "UTC");
	/* Mondays 14:00-22:00 UTC: 29 lookups in the three weeks before the change (office
	 * hours then 13:00-21:00 UTC), 32 in the two after it: E = (3 x 29 + 2 x 32) / 5 */
	REL(u.tests[0].expected, 30.2);
	tl_correlate_model_free(&m);
	tl_correlate_model_free(&u);
	fx_free(f);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_ratios),
		cmocka_unit_test(test_hour_of_week),
		cmocka_unit_test(test_one_sided),
		cmocka_unit_test(test_permutation_exact),
		cmocka_unit_test(test_permutation_wrap),
		cmocka_unit_test(test_permutation_seeded),
		cmocka_unit_test(test_permutation_threshold),
		cmocka_unit_test(test_bursts_mad_zero),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_regimes),
		cmocka_unit_test(test_dispersion),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_dst_strata),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
