/* test_correlate.c - event analysis on hand-built contexts: exact rate ratios against a
 * Python reference, corrections, not-testable events, the week-shift permutation test
 * (enumerated by hand, and replayed from the seed), and bursts with MAD = 0. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/correlate.h"
#include "analysis/rng.h"
#include "analysis/stats.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/timeutil.h"
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

static const tl_correlate_settings_t SET = {0.05, 1000, 20161031, TL_CORRELATE_HOLM};

#define REL(x, ref) assert_true(fabs((x) - (ref)) <= 1e-7 * fabs(ref))

/*
 * 14 days from T0. Day 3 has no data at all; day 7 has data only 00:00-12:00.
 * Events: E1 window = day 7 (covered 720 min), E2 window = day 10 (1440 min),
 * E3 window = day 3 (no coverage: not testable).
 * Every other day (11 days, 15840 covered minutes): 10 lookups (day 0: 6 bank, 3 hospital,
 * 1 other; the rest 6 bank, 4 hospital), so baseline = 110 lookups over 15840 min, rate
 * 1/144 per minute = 0.416667 per hour. E1: 20 bank lookups in the covered morning (plus
 * one duplicate sighting, not counted): expected 720/144 = 5, RR = 4 (the injected truth).
 * E2: 6 bank + 4 hospital: expected 10, RR = 1 (a null event).
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

/*
 * Reference values (Python 3 standard library, exact binomial sums with math.comb and
 * 200-step bisection; /tmp/correlate/ref.py during development):
 *   conditional on n = a + b, a ~ Binomial(n, ta/(ta+tb)) under RR = 1;
 *   p = min(1, 2 min(P(X >= a), P(X <= a))); Clopper-Pearson for pi mapped by
 *   RR = pi/(1-pi) * tb/ta.
 *   (20, 720, 110, 15840): RR 4, CI [2.35186891, 6.48100956], p 1.91650062e-06
 *   (10, 1440, 110, 15840): RR 1, CI [0.466528663, 1.90951671], p 1
 *   (20, 720, 66, 15840): RR 6.66666667, CI [3.82800281, 11.1356704], p 1.3209462e-09
 *   (6, 1440, 66, 15840): RR 1, CI [0.354223491, 2.2947959], p 1
 *   (0, 720, 43, 15840): RR 0, CI [0, 1.97065437], p 0.295738811
 *   (4, 1440, 43, 15840): RR 1.02325581, CI [0.266764214, 2.81549748], p 1
 */
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

	/* E1: the injected ratio 4 is found and covered by its interval. */
	const tl_correlate_test_t *t = &m.tests[0];
	assert_int_equal(t->status, TL_CORRELATE_TESTABLE);
	assert_int_equal(t->observed, 20);
	REL(t->expected, 5.0);
	REL(t->rr, 4.0);
	REL(t->rr_lo, 2.35186891);
	REL(t->rr_hi, 6.48100956);
	assert_true(t->rr_lo < 4.0 && 4.0 < t->rr_hi);
	REL(t->p, 1.91650062e-06);
	/* Holm and BH over two testable events: both 2 p1 (p2 = 1). */
	REL(t->p_holm, 2 * 1.91650062e-06);
	REL(t->p_bh, 2 * 1.91650062e-06);
	assert_true(t->significant);

	/* E2: the null event is not significant after correction. */
	t = &m.tests[1];
	assert_int_equal(t->status, TL_CORRELATE_TESTABLE);
	assert_int_equal(t->observed, 10);
	REL(t->expected, 10.0);
	REL(t->rr, 1.0);
	REL(t->rr_lo, 0.466528663);
	REL(t->rr_hi, 1.90951671);
	assert_true(t->p == 1.0 && t->p_holm == 1.0 && t->p_bh == 1.0);
	assert_false(t->significant);

	/* E3: no coverage, not testable, and not part of the correction (m = 2, not 3:
	 * with 3 Holm would give 3 p1 for E1). */
	t = &m.tests[2];
	assert_int_equal(t->status, TL_CORRELATE_NO_COVERAGE);
	assert_int_equal(t->observed, 0);
	assert_true(isnan(t->rr) && isnan(t->p) && isnan(t->p_holm) && isnan(t->expected));
	assert_false(t->significant);
	assert_int_equal(m.n_testable, 2);

	/* Secondary family: Bank (92 lookups) then Hospital (47); Other (1 of 140 = 0.7 %)
	 * is below the 5 % share and not tested. Corrected across the 4 testable pairs:
	 * Holm: 4 x 1.3209462e-09; 3 x 0.295738811 = 0.887216433; 1; 1.
	 * BH: 4 x 1.3209462e-09; min(4/2 x 0.295738811, 1, 1) = 0.591477622; 1; 1. */
	assert_int_equal(m.n_orgs, 2);
	assert_int_equal(m.orgs[0].org, 0);
	assert_string_equal(m.orgs[0].name, "Bank");
	assert_int_equal(m.orgs[0].lookups, 92);
	REL(m.orgs[0].share, 92.0 / 140);
	assert_int_equal(m.orgs[0].baseline.lookups, 66);
	assert_int_equal(m.orgs[1].org, 1);
	assert_int_equal(m.orgs[1].lookups, 47);
	assert_int_equal(m.orgs[1].baseline.lookups, 43);
	assert_int_equal(m.n_org_tests, 6);
	assert_int_equal(m.n_org_testable, 4);
	const tl_correlate_test_t *o = m.org_tests;
	assert_int_equal(o[0].observed, 20);
	REL(o[0].rr, 20.0 / 3 * 1.0);
	REL(o[0].rr_lo, 3.82800281);
	REL(o[0].rr_hi, 11.1356704);
	REL(o[0].p, 1.3209462e-09);
	REL(o[0].p_holm, 4 * 1.3209462e-09);
	REL(o[0].p_bh, 4 * 1.3209462e-09);
	REL(o[1].rr_lo, 0.354223491);
	REL(o[1].rr_hi, 2.2947959);
	assert_int_equal(o[2].status, TL_CORRELATE_NO_COVERAGE);
	assert_int_equal(o[3].observed, 0);
	assert_true(o[3].rr == 0.0 && o[3].rr_lo == 0.0);
	REL(o[3].rr_hi, 1.97065437);
	REL(o[3].p, 0.295738811);
	REL(o[3].p_holm, 3 * 0.295738811);
	REL(o[3].p_bh, 2 * 0.295738811);
	assert_false(o[3].significant);
	REL(o[4].rr, 44.0 / 43);
	REL(o[4].rr_lo, 0.266764214);
	REL(o[4].rr_hi, 2.81549748);
	assert_true(o[4].p_holm == 1.0);

	/* BH as the primary: same numbers, significance from the BH column. */
	tl_correlate_settings_t bh = SET;
	bh.correction = TL_CORRELATE_BH;
	tl_correlate_model_t m2;
	assert_int_equal(tl_correlate_run(&f->ctx, evs, 3, &bh, &m2), TL_OK);
	assert_true(m2.tests[0].significant && !m2.tests[1].significant);
	assert_true(m2.org_tests[3].p_bh == m.org_tests[3].p_bh);

	/* The JSON names the status of the untestable event and is stable. */
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
	assert_non_null(strstr(b1.data, "\"rr\":4.000000,"));
	assert_non_null(strstr(b1.data, "\"family\":\"secondary\""));
	tl_buf_free(&b1);
	tl_buf_free(&b2);

	tl_correlate_model_free(&m);
	tl_correlate_model_free(&m2);
	fx_free(f);
	free(f);
}

/*
 * Permutation test, tiny enough to enumerate: 28 days (4 weeks) from T0, one event whose
 * window is day 7. Allowed offsets: -1..+2 weeks (windows on days 0, 7, 14, 21).
 * Day 0: fully covered, 2 lookups -> 2/24 per hour.
 * Day 7 (observed): 5 lookups, covered -> 5/24 = 0.208333 per hour.
 * Day 14: no data at all -> offset +1 has no covered time and is left out.
 * Day 21: covered 00:00-12:00 only, 5 lookups -> 5/12 per hour (exposure adjusts).
 * Also 3 lookups on day 1 (outside every window).
 * Null over the 3 usable offsets: {1/12, 5/24, 5/12}; >= 5/24: 2 -> exact p = 2/3.
 * Mean = (2 + 5 + 10)/72 = 17/72. Type-7 quantiles of the sorted null: q(0.025) =
 * 1/12 + 0.05 (5/24 - 1/12) = 0.0895833; q(0.975) = 5/24 + 0.95 (5/12 - 5/24) = 0.40625.
 * Histogram over [1/12, 5/12] in 20 bins: 1/12 -> bin 0; 5/24 -> (1/8)/(1/3) x 20 = 7.5
 * -> bin 7; 5/12 -> bin 19 (the last bin is closed).
 */
static void test_permutation_exact(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	fx_init(f, 28);
	fx_uncover(f, 14 * DAY_US, 15 * DAY_US);
	fx_uncover(f, 21 * DAY_US + 12 * HOUR_US, 22 * DAY_US);
	for (int i = 0; i < 2; i++)
		fx_add(f, 0 * DAY_US + (i + 1) * HOUR_US, 0);
	for (int i = 0; i < 3; i++)
		fx_add(f, 1 * DAY_US + (i + 1) * HOUR_US, 0);
	for (int i = 0; i < 5; i++)
		fx_add(f, 7 * DAY_US + (i + 1) * HOUR_US, 0);
	for (int i = 0; i < 5; i++)
		fx_add(f, 21 * DAY_US + (i + 1) * HOUR_US, 1);
	tl_event_t e = ev(7 * DAY_US, 7 * DAY_US, 8 * DAY_US, "only");
	tl_correlate_model_t m;
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &SET, &m), TL_OK);
	const tl_correlate_perm_t *p = &m.perm;
	assert_true(p->done);
	assert_int_equal(p->n_events, 1);
	assert_int_equal(p->min_weeks, -1);
	assert_int_equal(p->max_weeks, 2);
	assert_int_equal(p->n_offsets, 3);
	assert_true(p->exact);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->in_lookups, 5);
	assert_true(p->in_minutes == 1440);
	REL(p->in_rate, 5.0 / 24);
	/* Outside: 10 lookups over 27 days minus day 14 minus half of day 21 = 25.5 days. */
	REL(p->out_rate, 10.0 / (25.5 * 24));
	assert_int_equal(p->n_ge, 2);
	REL(p->p, 2.0 / 3);
	REL(p->p_min, 1.0 / 3);
	REL(p->null_mean, 17.0 / 72);
	REL(p->null_min, 1.0 / 12);
	REL(p->null_max, 5.0 / 12);
	REL(p->null_q025, 0.0895833333333);
	REL(p->null_q975, 0.40625);
	uint64_t want[TL_CORRELATE_HIST_BINS] = {0};
	want[0] = want[7] = want[19] = 1;
	assert_memory_equal(p->hist, want, sizeof(want));
	assert_true(m.events[0].in_permutation);
	tl_correlate_model_free(&m);
	fx_free(f);
	free(f);
}

/*
 * Random offsets: 30 weeks from T0, one lookup-free week structure: on the Monday of week
 * k there are (k mod 5) lookups, except week 10 (the event's, window = that Monday) with 3.
 * 30 offsets (-10..+19) >= 20, so N = 1000 draws with the seed. The null value of a draw
 * landing on week k is c_k / 24; >= observed (3/24) iff c_k >= 3. The test replays the
 * seed with tl_rng_below(30) to count the expected n_ge independently.
 */
static void build_weeks(fixture_t *f, tl_event_t *e)
{
	fx_init(f, 210);
	for (int k = 0; k < 30; k++) {
		int c = k == 10 ? 3 : k % 5;
		for (int i = 0; i < c; i++)
			fx_add(f, (int64_t)k * 7 * DAY_US + (i + 1) * HOUR_US, 0);
	}
	*e = ev(70 * DAY_US, 70 * DAY_US, 71 * DAY_US, "week 10");
}

static uint64_t replay_n_ge(uint64_t seed, uint64_t n)
{
	tl_rng_t r;
	tl_rng_seed(&r, seed);
	uint64_t ge = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t k = tl_rng_below(&r, 30);
		int c = k == 10 ? 3 : (int)(k % 5);
		ge += c >= 3;
	}
	return ge;
}

static void test_permutation_seeded(void **state)
{
	(void)state;
	fixture_t *f = tl_xmalloc(sizeof(*f));
	tl_event_t e;
	build_weeks(f, &e);
	tl_correlate_model_t a, b, c;
	tl_correlate_settings_t s = SET;
	s.seed = 1;
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &s, &a), TL_OK);
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &s, &b), TL_OK);
	s.seed = 2;
	assert_int_equal(tl_correlate_run(&f->ctx, &e, 1, &s, &c), TL_OK);

	assert_true(a.perm.done && !a.perm.exact);
	assert_int_equal(a.perm.min_weeks, -10);
	assert_int_equal(a.perm.max_weeks, 19);
	assert_int_equal(a.perm.n_offsets, 30);
	assert_int_equal(a.perm.n, 1000);
	assert_int_equal(a.perm.seed, 1);
	REL(a.perm.in_rate, 3.0 / 24);
	/* Same seed, same bits. */
	assert_int_equal(a.perm.n_ge, b.perm.n_ge);
	assert_true(a.perm.p == b.perm.p && a.perm.null_mean == b.perm.null_mean);
	assert_memory_equal(a.perm.hist, b.perm.hist, sizeof(a.perm.hist));
	/* Each seed's count is the replayed one; p is Phipson-Smyth. */
	uint64_t ge1 = replay_n_ge(1, 1000), ge2 = replay_n_ge(2, 1000);
	assert_int_equal(a.perm.n_ge, ge1);
	assert_int_equal(c.perm.n_ge, ge2);
	REL(a.perm.p, (1.0 + (double)ge1) / 1001.0);
	REL(a.perm.p_min, 1.0 / 1001.0);
	assert_int_equal(c.perm.seed, 2);
	/* 13 of the 30 weeks have c_k >= 3 (k mod 5 in {3, 4}: 12, plus week 10). */
	assert_true(ge1 > 300 && ge1 < 570);
	/* Histogram over [0, 4/24]: values 0..4 per day -> bins 0, 5, 10, 15, 19. */
	uint64_t tot = 0;
	for (int i = 0; i < TL_CORRELATE_HIST_BINS; i++) {
		tot += a.perm.hist[i];
		if (i != 0 && i != 5 && i != 10 && i != 15 && i != 19)
			assert_int_equal(a.perm.hist[i], 0);
	}
	assert_int_equal(tot, 1000);
	assert_int_equal(a.perm.hist[15] + a.perm.hist[19], ge1);
	assert_true(a.perm.null_min == 0.0);
	tl_correlate_model_free(&a);
	tl_correlate_model_free(&b);
	tl_correlate_model_free(&c);
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
	assert_int_equal(m.tests[0].status, TL_CORRELATE_NO_BASELINE);
	assert_int_equal(m.n_testable, 0);
	/* The window is clipped to the span for the permutation test: one offset, p = 1. */
	assert_true(m.perm.done && m.perm.exact);
	assert_int_equal(m.perm.n_offsets, 1);
	assert_true(m.perm.p == 1.0);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_ratios),
		cmocka_unit_test(test_permutation_exact),
		cmocka_unit_test(test_permutation_seeded),
		cmocka_unit_test(test_bursts_mad_zero),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
