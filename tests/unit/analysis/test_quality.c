/* test_quality.c - quality collector: coverage and gaps over two sensors (an
 * outage on one, a common gap), sparse records covering the time between them,
 * resolution, order regressions, merge, reader counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/quality.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"

#define MIN(x) ((int64_t)(x) * 60 * TL_US_PER_SEC)
#define T0 INT64_C(1462320000000000) /* 2016-05-04T00:00:00Z */

static void add(tl_quality_t *q, uint32_t input, int64_t ts, int qr, int tc)
{
	tl_record_t r;
	tl_record_init(&r);
	r.ts = ts;
	r.known = TL_KNOWN_QR | TL_KNOWN_FLAGS;
	r.flags_known = TL_FLAG_TC | TL_FLAG_RD;
	r.qr = (uint8_t)qr;
	r.flags = tc ? TL_FLAG_TC : 0;
	tl_quality_add(q, &r, input, 0);
}

/* Two sensors, gap threshold 10 min. Sensor 0 (input 0): a record every 30 s
 * over minutes [0, 120) except [60, 80) (a common gap); sensor 1 (input 1): the
 * same except also nothing in [20, 50) (an outage), and 1234 us later.
 * A minute is covered when its start lies in covered time (first to last record
 * less the inside of gaps).
 * Input 0: records at 0, 30 s, ..., 59:30, then 80:00 ... 119:30.
 *   hole: 59:30 -> 80:00 = 20.5 min > 10 min: one gap.
 *   covered [0, 59:30] and [80:00, 119:30]: minute starts 0..59 and 80..119,
 *   60 + 40 = 100 of the span [0, 120) = 120 minutes.
 * Input 1: records in [0,20), [50,60), [80,120) every 30 s, at +1234 us.
 *   holes: 19:30 -> 50:00 (30.5 min) and 59:30 -> 80:00 (20.5 min).
 *   covered [0:00.001234, 19:30.001234], [50:00.001234, 59:30.001234],
 *   [80:00.001234, 119:30.001234]: the starts of minutes 0, 50 and 80 lie before
 *   the first record of their stretch, so minutes 1..19, 51..59, 81..119:
 *   19 + 9 + 39 = 67 minutes.
 * Overall: the union has the one hole 59:30 -> 80:00; covered minutes are the
 *   union of the bitmaps, 0..59 and 80..119 = 100. */
static void feed(tl_quality_t *q, int which)
{
	for (int s = 0; s < 240; s++) {
		int64_t t = T0 + (int64_t)s * 30 * TL_US_PER_SEC;
		int m = s / 2;
		if (m >= 60 && m < 80)
			continue;
		if (which != 1)
			add(q, 0, t, s % 2, 0);
		if (which != 0 && !(m >= 20 && m < 50))
			add(q, 1, t + 1234, s % 2, s == 3); /* us stamps; one TC response */
	}
}

static tl_ctx_t mkctx(tl_ctx_input_t *in, tl_ctx_sensor_t *se)
{
	tl_ctx_t c;
	memset(&c, 0, sizeof(c));
	memset(in, 0, 2 * sizeof(*in));
	memset(se, 0, 2 * sizeof(*se));
	in[0].label = "a";
	in[0].sensor = 0;
	in[1].label = "b";
	in[1].sensor = 1;
	se[0].name = "s0";
	se[1].name = "s1";
	c.inputs = in;
	c.n_inputs = 2;
	c.sensors = se;
	c.n_sensors = 2;
	return c;
}

static void check(const tl_quality_model_t *m)
{
	assert_true(m->span_start == T0);
	assert_true(m->span_end == T0 + MIN(120));
	assert_int_equal(m->span_minutes, 120);
	assert_int_equal(m->n_sensors, 2);
	const tl_quality_sensor_t *s0 = &m->sensors[0], *s1 = &m->sensors[1];
	assert_int_equal(s0->minutes_covered, 100);
	assert_int_equal(s1->minutes_covered, 67);
	assert_true(s0->coverage > 0.8333 && s0->coverage < 0.8334);
	assert_int_equal(m->minutes_covered, 100);
	assert_true(m->coverage > 0.8333 && m->coverage < 0.8334);
	assert_int_equal(s0->gaps_total, 1);
	assert_true(s0->gaps[0].start == T0 + MIN(59) + 30 * TL_US_PER_SEC);
	assert_true(s0->gaps[0].end == T0 + MIN(80));
	assert_true(s0->gaps[0].duration_us == MIN(20) + 30 * TL_US_PER_SEC);
	assert_false(s0->gaps[0].at_edge);
	assert_int_equal(s1->gaps_total, 2);
	assert_true(s1->gaps[0].start == T0 + MIN(19) + 30 * TL_US_PER_SEC + 1234);
	assert_true(s1->gaps[0].end == T0 + MIN(50) + 1234);
	/* sensor 1's last record is 119:30.001234, later than sensor 0's 119:30: no
	 * trailing edge gap (1.234 ms is under the threshold) */
	assert_int_equal(m->gaps_total, 1);
	assert_true(m->gaps[0].start == T0 + MIN(59) + 30 * TL_US_PER_SEC + 1234);
	assert_true(m->gaps[0].end == T0 + MIN(80));
	/* input 0: 200 records, 100 responses; input 1: 140 records, one TC */
	assert_int_equal(m->inputs[0].records, 200);
	assert_int_equal(m->inputs[0].responses, 100);
	assert_int_equal(m->inputs[1].records, 140);
	assert_int_equal(m->inputs[1].truncated, 1);
	assert_int_equal(m->truncated, 1);
	assert_int_equal(m->records, 340);
	/* input 0 stamps are whole 30 s: 1 s resolution; input 1 has +1234 us */
	assert_true(m->inputs[0].resolution_us == TL_US_PER_SEC);
	assert_true(m->inputs[1].resolution_us == 1);
	assert_int_equal(m->inputs[0].order_regressions, 0);
}

static void test_two_sensors(void **state)
{
	(void)state;
	tl_quality_settings_t set = {MIN(10), 100};
	tl_quality_t *q = tl_quality_new(&set);
	feed(q, 2);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	tl_quality_model_t m;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	check(&m);

	/* minute bitmap of sensor 1: minutes 1..19, 51..59, 81..119 set (see feed) */
	uint8_t *bits;
	int64_t f, l;
	assert_int_equal(tl_quality_sensor_minutes(q, &c, 1, m.span_start, m.span_end, &bits, &f, &l),
			 0);
	for (int k = 0; k < 120; k++) {
		int want = (k >= 1 && k < 20) || (k >= 51 && k < 60) || k >= 81;
		assert_int_equal(!!(bits[k / 8] & (1u << (k % 8))), want);
	}
	assert_true(f == T0 + 1234);
	free(bits);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}

/*
 * Sparse records are not missing data. Default threshold 2 h; span [0, 6:01) = 361
 * minutes (first record 0:00, last 6:00).
 * Sensor 0 (input 0): a record every 10 min from 0:00 to 2:00, then a 3 h hole, then
 *   every 10 min from 5:00 to 6:00. Covered [0:00, 2:00] and [5:00, 6:00]: minutes
 *   0..120 and 300..360 = 121 + 61 = 182 (records alone touch only 13 + 7 = 20
 *   minutes). The 3 h hole is the one gap, 2:00 -> 5:00, not covered (121..299).
 * Sensor 1 (input 1): records at 0:00:30, 2:00:30 (exactly 2 h later: not more
 *   than the threshold, so no gap), 4:10, 4:20, 4:30. Covered [0:00:30, 2:00:30]
 *   and [4:10, 4:30]: minutes 1..120 (minute 0 starts before 0:00:30) and 250..270
 *   = 120 + 21 = 141. Gap 2:00:30 -> 4:10 (2 h 9 min 30 s); after 4:30 the data end
 *   at 6:00, 1.5 h later: no edge gap.
 * Overall: union of the bitmaps, 0..120, 250..270, 300..360 = 121 + 21 + 61 = 203.
 *   Every minute no sensor covers is in an overall gap: 2:00:30 -> 4:10, and 4:30 ->
 *   5:00, where sensor 0's silence and sensor 1's end overlap (before, with the gaps
 *   taken from all traffic joined at the threshold, only the first was listed, and
 *   minutes 271..299 were missing from the exposure without a gap saying so).
 */
static void test_sparse(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	for (int k = 0; k <= 12; k++)
		add(q, 0, T0 + MIN(10 * k), 0, 0);
	for (int k = 0; k <= 6; k++)
		add(q, 0, T0 + MIN(300 + 10 * k), 0, 0);
	int64_t s1[] = {30 * TL_US_PER_SEC, MIN(120) + 30 * TL_US_PER_SEC, MIN(250), MIN(260),
			MIN(270)};
	for (int k = 0; k < 5; k++)
		add(q, 1, T0 + s1[k], 0, 0);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	tl_quality_model_t m;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	assert_int_equal(m.span_minutes, 361);
	assert_int_equal(m.sensors[0].minutes_covered, 182);
	assert_int_equal(m.sensors[1].minutes_covered, 141);
	assert_int_equal(m.minutes_covered, 203);
	assert_true(m.coverage == 203.0 / 361.0);
	assert_int_equal(m.sensors[0].gaps_total, 1);
	assert_true(m.sensors[0].gaps[0].start == T0 + MIN(120));
	assert_true(m.sensors[0].gaps[0].end == T0 + MIN(300));
	assert_false(m.sensors[0].gaps[0].at_edge);
	assert_int_equal(m.sensors[1].gaps_total, 1);
	assert_true(m.sensors[1].gaps[0].start == T0 + MIN(120) + 30 * TL_US_PER_SEC);
	assert_true(m.sensors[1].gaps[0].end == T0 + MIN(250));
	assert_int_equal(m.gaps_total, 2);
	assert_true(m.gaps[0].duration_us == MIN(129) + 30 * TL_US_PER_SEC);
	assert_string_equal(m.gaps[0].source, "silence");
	assert_true(m.gaps[1].start == T0 + MIN(270) && m.gaps[1].end == T0 + MIN(300));
	assert_string_equal(m.gaps[1].source, "silence");
	assert_int_equal(m.gap_time_us, MIN(129) + 30 * TL_US_PER_SEC + MIN(30));
	/* no input states anything: coverage rests on silence, and there is no other */
	assert_string_equal(m.sensors[0].source, "silence");
	assert_string_equal(m.sensors[0].recorded_source, "silence");
	assert_false(m.other.differs);

	uint8_t *b0, *b1;
	int64_t f, l;
	assert_int_equal(tl_quality_sensor_minutes(q, &c, 0, m.span_start, m.span_end, &b0, &f, &l),
			 0);
	assert_true(f == T0 && l == T0 + MIN(360));
	assert_int_equal(tl_quality_sensor_minutes(q, &c, 1, m.span_start, m.span_end, &b1, &f, &l),
			 0);
	assert_true(f == T0 + 30 * TL_US_PER_SEC && l == T0 + MIN(270));
	for (int k = 0; k < 361; k++) {
		int w0 = k <= 120 || k >= 300;
		int w1 = (k >= 1 && k <= 120) || (k >= 250 && k <= 270);
		assert_int_equal(!!(b0[k / 8] & (1u << (k % 8))), w0);
		assert_int_equal(!!(b1[k / 8] & (1u << (k % 8))), w1);
	}
	/* bits past the span are not set: 361 minutes end in byte 45, bit 0 */
	assert_int_equal(b0[45] & 0xfe, 0);
	free(b0);
	free(b1);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}

/* Per-input collectors merged (either order) give the same JSON bytes as one pass. */
static void test_merge(void **state)
{
	(void)state;
	tl_quality_settings_t set = {MIN(10), 100};
	tl_quality_t *all = tl_quality_new(&set), *a = tl_quality_new(&set),
		     *b = tl_quality_new(&set), *ab = tl_quality_new(&set), *ba = tl_quality_new(&set);
	feed(all, 2);
	feed(a, 0);
	feed(b, 1);
	tl_quality_merge(ab, a);
	tl_quality_merge(ab, b);
	tl_quality_merge(ba, b);
	tl_quality_merge(ba, a);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	tl_quality_model_t m[3];
	tl_quality_t *qs[3] = {all, ab, ba};
	tl_buf_t out[3];
	for (int i = 0; i < 3; i++) {
		tl_quality_finish(qs[i], &c, NULL, 0, &m[i]);
		check(&m[i]);
		tl_buf_init(&out[i]);
		tl_json_t j;
		tl_json_init(&j, &out[i], 0);
		tl_json_quality(&j, &m[i]);
	}
	assert_string_equal(out[0].data, out[1].data);
	assert_string_equal(out[0].data, out[2].data);
	for (int i = 0; i < 3; i++) {
		tl_buf_free(&out[i]);
		tl_quality_model_free(&m[i]);
		tl_quality_free(qs[i]);
	}
	tl_quality_free(a);
	tl_quality_free(b);
}

/* Stamps 10, 5, 7, 20, 3 (s): 5 < 10, 7 < 10, 3 < 20 -> 3 regressions.
 * Millisecond stamps give 1000 us. An out-of-order record fills a hole. */
static void test_order_resolution(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	int64_t ts[] = {10, 5, 7, 20, 3};
	for (int i = 0; i < 5; i++)
		add(q, 0, T0 + ts[i] * TL_US_PER_SEC, 0, 0);
	add(q, 1, T0 + 1000, 0, 0);
	add(q, 1, T0 + 3000, 0, 0);
	int64_t res;
	uint64_t reg;
	tl_quality_input_order(q, 0, &res, &reg);
	assert_int_equal(reg, 3);
	assert_true(res == TL_US_PER_SEC);
	tl_quality_input_order(q, 1, &res, &reg);
	assert_true(res == 1000);
	assert_int_equal(reg, 0);
	tl_quality_input_order(q, 7, &res, &reg);
	assert_true(res == 0);

	/* default threshold 2 h: records at 0 h and 5 h, then 2.5 h (out of order):
	 * the 5 h hole is split into 2.5 h + 2.5 h: two gaps overall */
	tl_quality_t *g = tl_quality_new(NULL);
	int64_t H = 3600 * TL_US_PER_SEC;
	add(g, 0, T0, 0, 0);
	add(g, 0, T0 + 5 * H, 0, 0);
	add(g, 0, T0 + 5 * H / 2, 0, 0);
	tl_quality_model_t m;
	tl_quality_finish(g, NULL, NULL, 0, &m);
	assert_int_equal(m.gaps_total, 2);
	assert_true(m.gaps[0].duration_us == 5 * H / 2);
	add(g, 0, T0 + 5 * H / 4, 0, 0); /* now 1.25 h holes: the first is no gap */
	tl_quality_model_free(&m);
	tl_quality_finish(g, NULL, NULL, 0, &m);
	assert_int_equal(m.gaps_total, 1);
	assert_true(m.gaps[0].start == T0 + 5 * H / 2);
	tl_quality_model_free(&m);
	tl_quality_free(g);
	tl_quality_free(q);
}

/* Empty: no span, no gaps. Reader counts and de-duplication come from the context;
 * a sensor without any record is one edge gap over all the data. */
static void test_ctx_counts(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	int64_t s, e;
	assert_int_equal(tl_quality_span(q, &s, &e), TL_ELIMIT);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	in[0].info.stats.unanswered = 4;
	in[1].info.stats.unmatched = 2;
	in[1].info.stats.if_drops = 24;
	in[1].info.stats.if_drops_known = 1;
	tl_anomaly_add(&in[0].info.anomalies, TL_AN_DNS_BAD_POINTER, 11829);
	tl_anomaly_add(&in[0].info.anomalies, TL_AN_DNS_BAD_POINTER, 20000);
	tl_anomaly_add(&in[1].info.anomalies, TL_AN_DNS_TRUNCATED, 36510);
	/* lookups: 0 kept (input 0), 1 dup of 0 (input 1), 2 kept (input 1) */
	tl_lookup_t lk[3];
	memset(lk, 0, sizeof(lk));
	lk[0].input = 0;
	lk[0].dup_of = TL_NONE32;
	lk[1].input = 1;
	lk[1].dup_of = 0;
	lk[2].input = 1;
	lk[2].dup_of = TL_NONE32;
	c.lookups = lk;
	c.n_lookups = 3;
	tl_quality_offset_t off = {0, 1, 1, -180000, 0};
	tl_quality_model_t m;
	tl_quality_finish(q, &c, &off, 1, &m);
	assert_int_equal(m.span_minutes, 0);
	assert_int_equal(m.gaps_total, 0);
	assert_int_equal(m.sensors[0].gaps_total, 0);
	assert_int_equal(m.unanswered, 4);
	assert_int_equal(m.unmatched, 2);
	assert_true(m.if_drops_known);
	assert_false(m.os_drops_known);
	assert_int_equal(m.if_drops, 24);
	assert_int_equal(m.malformed, 3);
	assert_int_equal(m.inputs[0].n_anomalies, 1);
	assert_string_equal(m.inputs[0].anomalies[0].kind, "dns_bad_pointer");
	assert_int_equal(m.inputs[0].anomalies[0].n_first, 2);
	assert_int_equal(m.inputs[0].anomalies[0].first[1], 20000);
	assert_int_equal(m.sightings, 3);
	assert_int_equal(m.unique, 2);
	assert_int_equal(m.duplicates, 1);
	assert_int_equal(m.n_dup_pairs, 1);
	assert_int_equal(m.dup_pairs[0].sensor_kept, 0);
	assert_int_equal(m.dup_pairs[0].sensor_dup, 1);
	assert_int_equal(m.n_offsets, 1);
	assert_true(m.offsets[0].median_us == -180000);
	tl_quality_model_free(&m);

	/* data on sensor 0 only, 3 h: sensor 1 has one edge gap of 3 h */
	add(q, 0, T0, 0, 0);
	add(q, 0, T0 + 3 * 3600 * TL_US_PER_SEC, 0, 0);
	tl_quality_finish(q, &c, NULL, 0, &m);
	assert_int_equal(m.sensors[1].gaps_total, 1);
	assert_true(m.sensors[1].gaps[0].at_edge);
	assert_true(m.sensors[1].gaps[0].duration_us == 3 * 3600 * TL_US_PER_SEC);
	assert_int_equal(m.sensors[1].minutes_covered, 0);
	assert_int_equal(m.sensors[0].gaps_total, 1); /* 3 h between its two records */
	/* covered: the two records' instants only, both minute starts (0 and 180) */
	assert_int_equal(m.sensors[0].minutes_covered, 2);
	assert_int_equal(m.minutes_covered, 2);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}


/* ---- coverage from the sensors' own statements (each of these fails on the rule
 * that took coverage from the silence of all traffic alone) ---- */

#define HR(x) MIN(60 * (x))

/* Records every 10 min from a to b (minutes, inclusive) on input. */
static void every10(tl_quality_t *q, uint32_t input, int a, int b)
{
	for (int k = a; k <= b; k += 10)
		add(q, input, T0 + MIN(k), 0, 0);
}

/* Input i says its first and last frame were at minutes a and b. */
static void frames(tl_ctx_input_t *in, int a, int b)
{
	in->info.stats.frames = 100;
	in->info.stats.first_ts = T0 + MIN(a);
	in->info.stats.last_ts = T0 + MIN(b);
}

static int bit(const uint8_t *b, int k)
{
	return (b[k / 8] >> (k % 8)) & 1;
}

/* File boundaries beat silence: two files of one sensor 50 min apart. The silence rule
 * (threshold 2 h) joins them; the files say nothing was recorded between them. */
static void test_boundaries_beat_silence(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	every10(q, 0, 0, 180);   /* file A: 0:00 - 3:00 */
	every10(q, 1, 230, 360); /* file B: 3:50 - 6:00 */
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	c.n_sensors = 1;
	in[1].sensor = 0;
	frames(&in[0], 0, 180);
	frames(&in[1], 230, 360);
	tl_quality_model_t m;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	const tl_quality_sensor_t *s0 = &m.sensors[0];
	assert_string_equal(s0->source, "file boundaries");
	assert_string_equal(s0->recorded_source, "file boundaries");
	assert_string_equal(m.inputs[1].recorded_source, "file boundaries");
	assert_int_equal(s0->gaps_total, 1);
	assert_true(s0->gaps[0].start == T0 + MIN(180) && s0->gaps[0].end == T0 + MIN(230));
	assert_string_equal(s0->gaps[0].source, "file boundaries");
	assert_int_equal(s0->minutes_covered, 181 + 131);
	assert_int_equal(m.gaps_total, 1);
	assert_string_equal(m.gaps[0].source, "file boundaries");
	assert_false(m.other.differs); /* nothing rests on silence */
	uint8_t *b;
	int64_t f, l;
	assert_int_equal(tl_quality_sensor_minutes(q, &c, 0, m.span_start, m.span_end, &b, &f, &l), 0);
	assert_int_equal(bit(b, 180), 1);
	assert_int_equal(bit(b, 181), 0);
	assert_int_equal(bit(b, 229), 0);
	assert_int_equal(bit(b, 230), 1);
	free(b);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}

/* Capture statistics beat file boundaries, and a declaration beats both. One capture,
 * records every 10 min from 0:00 to 6:00 except 2:10 and 2:20; its ISBs state two
 * runs, 0:00 - 2:00 and 2:30 - 6:00. The silence (30 min) is under the threshold and
 * the file runs 0:00 - 6:00: only the statistics show the stop. A declared recording of
 * 0:00 - 3:00 with a documented outage 1:00 - 1:20 then overrides them. */
static void test_statistics_and_declared(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	every10(q, 0, 0, 120);
	every10(q, 0, 150, 360);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	c.n_inputs = 1;
	c.n_sensors = 1;
	frames(&in[0], 0, 360);
	tl_periods_add(&in[0].info.stats.periods, T0, T0 + MIN(120));
	tl_periods_add(&in[0].info.stats.periods, T0 + MIN(150), T0 + MIN(360));
	tl_quality_model_t m;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	assert_string_equal(m.sensors[0].source, "capture statistics");
	assert_int_equal(m.sensors[0].gaps_total, 1);
	assert_true(m.sensors[0].gaps[0].start == T0 + MIN(120));
	assert_true(m.sensors[0].gaps[0].end == T0 + MIN(150));
	assert_string_equal(m.sensors[0].gaps[0].source, "capture statistics");
	assert_int_equal(m.sensors[0].minutes_covered, 361 - 29);
	assert_int_equal(m.gaps_total, 1);
	tl_quality_model_free(&m);

	const tl_period_t rec[] = {{T0, T0 + HR(3)}};
	const tl_period_t gap[] = {{T0 + HR(1), T0 + MIN(80)}};
	in[0].has_recording = 1;
	in[0].recording = rec;
	in[0].n_recording = 1;
	in[0].gaps = gap;
	in[0].n_gaps = 1;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	assert_string_equal(m.sensors[0].source, "declared");
	assert_string_equal(m.inputs[0].recorded_source, "declared");
	/* covered 0:00 - 1:00 and 1:20 - 3:00 (the ISB stop at 2:00 - 2:30 is inside the
	 * declared recording: a quiet stretch, under the threshold) */
	assert_int_equal(m.sensors[0].minutes_covered, 61 + 101);
	assert_int_equal(m.sensors[0].gaps_total, 2);
	assert_true(m.sensors[0].gaps[0].start == T0 + HR(1));
	assert_true(m.sensors[0].gaps[0].end == T0 + MIN(80));
	assert_string_equal(m.sensors[0].gaps[0].source, "declared");
	assert_false(m.sensors[0].gaps[0].at_edge);
	assert_true(m.sensors[0].gaps[1].start == T0 + HR(3));
	assert_true(m.sensors[0].gaps[1].end == T0 + HR(6));
	assert_string_equal(m.sensors[0].gaps[1].source, "declared");
	assert_true(m.sensors[0].gaps[1].at_edge);
	assert_int_equal(m.gaps_total, 2);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}

/* A quiet period inside recorded time is not a gap. Declared recording 0:00 - 6:00;
 * records 0:00 - 1:00 and 4:00 - 6:00. The 3 h without a record is a quiet period: the
 * sensor recorded and nothing came. The other coverage counts it as a gap. */
static void test_quiet_period_not_gap(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	every10(q, 0, 0, 60);
	every10(q, 0, 240, 360);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	c.n_inputs = 1;
	c.n_sensors = 1;
	const tl_period_t rec[] = {{T0, T0 + HR(6)}};
	in[0].has_recording = 1;
	in[0].recording = rec;
	in[0].n_recording = 1;
	tl_quality_model_t m;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	const tl_quality_sensor_t *s0 = &m.sensors[0];
	assert_string_equal(s0->source, "declared");
	assert_int_equal(s0->gaps_total, 0);
	assert_int_equal(m.gaps_total, 0);
	assert_int_equal(s0->minutes_covered, 361);
	assert_int_equal(s0->quiet_total, 1);
	assert_true(s0->quiet[0].start == T0 + HR(1) && s0->quiet[0].end == T0 + HR(4));
	assert_int_equal(m.quiet_total, 1);
	assert_true(m.other.differs);
	assert_string_equal(m.other.rule, "silences as gaps");
	assert_int_equal(s0->minutes_other, 61 + 121);
	assert_int_equal(m.other.minutes_covered, 61 + 121);
	uint8_t *p, *o;
	int64_t f, l;
	assert_int_equal(tl_quality_sensor_coverage(q, &c, 0, m.span_start, m.span_end, &p, &o,
						    &f, &l),
			 0);
	assert_int_equal(bit(p, 120), 1);
	assert_int_equal(bit(o, 120), 0);
	free(p);
	free(o);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}

/* Overlapping silences become a listed gap when silence is the rule. Two sensors, each
 * one file 0:00 - 8:00: sensor 0 silent 2:00 - 5:00, sensor 1 silent 4:00 - 7:00. Each
 * silence is a gap of its sensor (a file says nothing of the time inside it); from 4:00
 * to 5:00 neither covers, and that hour, shorter than the threshold, is an overall gap
 * resting on silence. The other coverage (the files taken at their word) has none. */
static void test_overlapping_silences(void **state)
{
	(void)state;
	tl_quality_t *q = tl_quality_new(NULL);
	every10(q, 0, 0, 120);
	every10(q, 0, 300, 480);
	every10(q, 1, 0, 240);
	every10(q, 1, 420, 480);
	tl_ctx_input_t in[2];
	tl_ctx_sensor_t se[2];
	tl_ctx_t c = mkctx(in, se);
	frames(&in[0], 0, 480);
	frames(&in[1], 0, 480);
	tl_quality_model_t m;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	assert_string_equal(m.sensors[0].source, "silence");
	assert_string_equal(m.sensors[0].recorded_source, "file boundaries");
	assert_int_equal(m.sensors[0].gaps_total, 1);
	assert_string_equal(m.sensors[0].gaps[0].source, "silence");
	assert_int_equal(m.gaps_total, 1);
	assert_true(m.gaps[0].start == T0 + HR(4) && m.gaps[0].end == T0 + HR(5));
	assert_string_equal(m.gaps[0].source, "silence");
	assert_false(m.gaps[0].at_edge);
	assert_int_equal(m.minutes_covered, 481 - 59);
	assert_true(m.other.differs);
	assert_string_equal(m.other.rule, "silences as recorded time");
	assert_int_equal(m.other.minutes_covered, 481);
	assert_int_equal(m.sensors[0].minutes_other, 481);
	tl_quality_model_free(&m);

	/* one rule for all: with sensor 1 declared over 0:00 - 8:00 (its silence now a quiet
	 * period), sensor 0 still rests on silence, so the other coverage takes statements at
	 * their word for both; sensor 1's stays as it is */
	const tl_period_t rec[] = {{T0, T0 + HR(8)}};
	in[1].has_recording = 1;
	in[1].recording = rec;
	in[1].n_recording = 1;
	assert_int_equal(tl_quality_finish(q, &c, NULL, 0, &m), 0);
	assert_string_equal(m.sensors[1].source, "declared");
	assert_int_equal(m.sensors[1].quiet_total, 1);
	assert_int_equal(m.gaps_total, 0);
	assert_string_equal(m.other.rule, "silences as recorded time");
	assert_int_equal(m.sensors[1].minutes_other, 481);
	assert_int_equal(m.sensors[0].minutes_other, 481);
	assert_int_equal(m.sensors[0].minutes_covered, 481 - 179);
	tl_quality_model_free(&m);
	tl_quality_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_sensors),
		cmocka_unit_test(test_sparse),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_order_resolution),
		cmocka_unit_test(test_ctx_counts),
		cmocka_unit_test(test_boundaries_beat_silence),
		cmocka_unit_test(test_statistics_and_declared),
		cmocka_unit_test(test_quiet_period_not_gap),
		cmocka_unit_test(test_overlapping_silences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
