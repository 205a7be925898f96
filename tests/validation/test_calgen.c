/* test_calgen.c - the calibration simulator: same seed, same context bytes; the
 * daylight-saving rules against tzdata; the context is well formed (sorted, duplicates
 * point back, nothing in an outage); an injected effect is found and null events are not
 * shifted; the tally counts what it should. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calgen.h"

#include "analysis/correlate.h"
#include "util/error.h"
#include "util/tz.h"

#define MIN_US INT64_C(60000000)
#define HOUR_US (60 * MIN_US)

static const cal_knobs_t ALL = {.sessions = 1, .rename = 1, .trend = 1, .bursts = 1,
				.gaps = 1, .two_sensors = 1, .effects = 1};

static int same_case(const cal_case_t *a, const cal_case_t *b)
{
	const tl_ctx_t *x = &a->ctx, *y = &b->ctx;
	if (x->n_lookups != y->n_lookups || x->n_sources != y->n_sources ||
	    x->n_orgs != y->n_orgs || x->n_sensors != y->n_sensors ||
	    x->span_start != y->span_start || x->span_end != y->span_end ||
	    x->ttl_s != y->ttl_s || x->n_unique != y->n_unique)
		return 0;
	if (memcmp(x->lookups, y->lookups, x->n_lookups * sizeof(*x->lookups)) != 0 ||
	    memcmp(x->sources, y->sources, x->n_sources * sizeof(*x->sources)) != 0)
		return 0;
	size_t nbytes = (size_t)((x->span_end - x->span_start) / MIN_US + 7) / 8;
	for (size_t s = 0; s < x->n_sensors; s++)
		if (memcmp(x->sensors[s].minutes, y->sensors[s].minutes, nbytes) != 0)
			return 0;
	for (size_t i = 0; i < CAL_EVENTS; i++)
		if (a->events[i].win_start != b->events[i].win_start ||
		    a->events[i].win_end != b->events[i].win_end ||
		    a->effect[i] != b->effect[i])
			return 0;
	return a->rename_ts == b->rename_ts && a->n_hints == b->n_hints;
}

static void test_deterministic(void **state)
{
	(void)state;
	cal_case_t a, b, c;
	cal_generate(&ALL, 42, &a);
	cal_generate(&ALL, 42, &b);
	cal_generate(&ALL, 43, &c);
	assert_true(a.ctx.n_lookups > 1000);
	assert_true(same_case(&a, &b));
	assert_false(same_case(&a, &c));
	cal_case_free(&a);
	cal_case_free(&b);
	cal_case_free(&c);
}

/* The offsets computed from the rules match tzdata hour by hour over four years. */
static void test_dst_rules(void **state)
{
	(void)state;
	int64_t t0 = INT64_C(1609459200) * 1000000; /* 2021-01-01T00:00Z */
	for (size_t z = 0; z < cal_n_zones; z++) {
		if (!tl_tz_valid(cal_zones[z].name)) {
			print_message("skipping %s: no tzdata\n", cal_zones[z].name);
			continue;
		}
		for (int64_t h = 0; h < 4 * 366 * 24; h++) {
			int64_t t = t0 + h * HOUR_US;
			tl_civil_t cv;
			assert_int_equal(tl_tz_civil(cal_zones[z].name, t, &cv), TL_OK);
			assert_int_equal(cal_utc_offset(&cal_zones[z], t), cv.utc_offset_s);
		}
	}
	/* And two switches by hand: New York 2024-03-10 07:00Z, London 2024-10-27 01:00Z. */
	int64_t ny = INT64_C(1710054000) * 1000000;
	assert_int_equal(cal_utc_offset(&cal_zones[0], ny - 1), -5 * 3600);
	assert_int_equal(cal_utc_offset(&cal_zones[0], ny), -4 * 3600);
	int64_t lon = INT64_C(1729990800) * 1000000;
	assert_int_equal(cal_utc_offset(&cal_zones[3], lon - 1), 3600);
	assert_int_equal(cal_utc_offset(&cal_zones[3], lon), 0);
}

static int bit_get(const uint8_t *b, size_t m)
{
	return (b[m >> 3] >> (m & 7)) & 1;
}

static void test_well_formed(void **state)
{
	(void)state;
	cal_case_t c;
	cal_generate(&ALL, 7, &c);
	const tl_ctx_t *x = &c.ctx;
	size_t uniq = 0, dups = 0;
	for (size_t i = 0; i < x->n_lookups; i++) {
		const tl_lookup_t *l = &x->lookups[i];
		assert_true(l->ts >= x->span_start && l->ts < x->span_end);
		if (i > 0)
			assert_true(x->lookups[i - 1].ts <= l->ts);
		assert_true(l->source < x->n_sources);
		assert_true(l->input < x->n_sensors);
		size_t m = (size_t)((l->ts - x->span_start) / MIN_US);
		assert_true(bit_get(x->sensors[l->input].minutes, m)); /* no lookup in an outage */
		if (l->dup_of == TL_NONE32) {
			uniq++;
		} else {
			dups++;
			assert_true(l->dup_of < i);
			assert_int_equal(x->lookups[l->dup_of].ts, l->ts);
			assert_int_equal(x->lookups[l->dup_of].dup_of, TL_NONE32);
		}
	}
	assert_int_equal(uniq, x->n_unique);
	assert_true(dups > 0);
	assert_int_equal(c.n_hints, 1);
	assert_int_equal(c.hint.ts, c.rename_ts);
	size_t eff = 0;
	for (size_t i = 0; i < CAL_EVENTS; i++) {
		eff += c.effect[i] != 1;
		if (i > 0)
			assert_true(c.events[i].win_start >= c.events[i - 1].win_end);
	}
	assert_int_equal(eff, CAL_EFFECTS);
	cal_case_free(&c);
}

/* A strong effect in three windows of an otherwise stationary case: the current method
 * and any calibrated one must flag it. Null events stay near a ratio of 1 on average. */
static void test_effect_found(void **state)
{
	(void)state;
	cal_knobs_t k = {.effects = 1, .effect_scale = 4.0};
	double rr_sum = 0;
	size_t rr_n = 0, found = 0, eff = 0;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		cal_case_t c;
		cal_generate(&k, seed, &c);
		tl_correlate_settings_t s = {.alpha = 0.05, .permutations = 99, .seed = seed,
					     .correction = TL_CORRELATE_HOLM};
		tl_correlate_model_t m;
		assert_int_equal(tl_correlate_run(&c.ctx, c.events, CAL_EVENTS, &s, &m), TL_OK);
		for (size_t i = 0; i < CAL_EVENTS; i++) {
			const tl_correlate_test_t *t = &m.tests[i];
			assert_int_equal(t->status, TL_CORRELATE_TESTABLE);
			if (c.effect[i] != 1) {
				eff++;
				found += t->significant != 0;
				assert_true(t->rr > 1.5);
			} else {
				rr_sum += t->rr;
				rr_n++;
			}
		}
		cal_tally_t tally;
		memset(&tally, 0, sizeof(tally));
		cal_tally_add(&tally, &c, &m, 0.05);
		assert_int_equal(tally.eff_n[2], CAL_EFFECTS);
		assert_int_equal(tally.eff_hit[2], CAL_EFFECTS);
		assert_int_equal(tally.null_tests, CAL_EVENTS - CAL_EFFECTS);
		assert_int_equal(tally.perm_cases, 0); /* not an all-null case */
		tl_correlate_model_free(&m);
		cal_case_free(&c);
	}
	assert_int_equal(found, eff);
	assert_true(fabs(rr_sum / (double)rr_n - 1) < 0.15);
}

/* The tally on a hand-made model: what counts as a false positive and what does not. */
static void test_tally(void **state)
{
	(void)state;
	cal_case_t c;
	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < CAL_EVENTS; i++)
		c.effect[i] = 1;
	c.effect[2] = 2.0;
	tl_correlate_test_t tests[CAL_EVENTS], org[2 * CAL_EVENTS];
	memset(tests, 0, sizeof(tests));
	memset(org, 0, sizeof(org));
	for (size_t i = 0; i < CAL_EVENTS; i++) {
		tests[i].event = (uint32_t)i;
		tests[i].rr = 1;
		org[i].event = org[CAL_EVENTS + i].event = (uint32_t)i;
	}
	tests[7].status = TL_CORRELATE_NO_COVERAGE;
	tests[7].significant = 1; /* not testable: never counts */
	tests[2].significant = 1; /* the effect: power, not a false positive */
	org[CAL_EVENTS + 2].significant = 1;
	tl_correlate_model_t m;
	memset(&m, 0, sizeof(m));
	m.n_events = CAL_EVENTS;
	m.tests = tests;
	m.org_tests = org;
	m.n_org_tests = 2 * CAL_EVENTS;
	m.perm.done = 1;
	m.perm.p = 0.01;
	cal_tally_t t;
	memset(&t, 0, sizeof(t));
	cal_tally_add(&t, &c, &m, 0.05);
	assert_int_equal(t.fwer_hits, 0);
	assert_int_equal(t.org_hits, 0);
	assert_int_equal(t.untestable, 1);
	assert_int_equal(t.eff_n[1], 1);
	assert_int_equal(t.eff_hit[1], 1);
	assert_int_equal(t.perm_cases, 0);
	/* A null event flagged in one organisation, and a second case with all events null
	 * and the permutation test rejecting. */
	org[CAL_EVENTS + 5].significant = 1;
	tests[4].significant = 1;
	c.effect[2] = 1;
	cal_tally_add(&t, &c, &m, 0.05);
	assert_int_equal(t.cases, 2);
	assert_int_equal(t.fwer_hits, 1);
	assert_int_equal(t.org_hits, 1);
	assert_int_equal(t.perm_cases, 1);
	assert_int_equal(t.perm_rejects, 1);
	assert_int_equal(t.null_sig, 2); /* event 4, and event 2 now null */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic), cmocka_unit_test(test_dst_rules),
		cmocka_unit_test(test_well_formed), cmocka_unit_test(test_effect_found),
		cmocka_unit_test(test_tally),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
