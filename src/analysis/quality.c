/* quality.c - coverage, gaps, timestamp order and resolution; reader counts at finish. */
#include "analysis/quality.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/num.h"
#include "util/time.h"
#include "util/xmalloc.h"

#define MINUTE_US (60 * TL_US_PER_SEC)

/* Covered time, as disjoint closed intervals [a, b] of record times. Two records
 * join one interval when at most the gap threshold apart: no data for longer than
 * the threshold is a gap (the case file's definition), and a quieter stretch is
 * ordinary traffic, not missing data. So the holes between intervals are exactly
 * the gaps, measured between real records (microseconds), and the intervals are
 * the covered time. Joining is a chain over records, so per-input intervals can be
 * united and re-joined in any order with the same result. Memory is bounded by
 * the number of gaps, not of records. */
typedef struct iv {
	int64_t a, b;
} iv_t;

typedef struct ivs {
	iv_t *v;
	size_t n, cap;
} ivs_t;

typedef struct qin {
	int present;
	uint64_t records, queries, responses, truncated;
	int64_t first, last; /* offset applied */
	int64_t raw_max;     /* latest raw timestamp so far */
	uint64_t regress;
	int not_sec, not_ms;
	ivs_t iv;
} qin_t;

struct tl_quality {
	tl_quality_settings_t set;
	int64_t join;
	qin_t *in;
	size_t n_in;
};

void tl_quality_settings_default(tl_quality_settings_t *s)
{
	s->gap_threshold_us = 2 * 3600 * TL_US_PER_SEC;
	s->max_gaps = 1000;
}

tl_quality_t *tl_quality_new(const tl_quality_settings_t *s)
{
	tl_quality_t *q = tl_xcalloc(1, sizeof(*q));
	if (s)
		q->set = *s;
	else
		tl_quality_settings_default(&q->set);
	if (q->set.gap_threshold_us <= 0)
		q->set.gap_threshold_us = 1;
	q->join = q->set.gap_threshold_us;
	return q;
}

void tl_quality_free(tl_quality_t *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n_in; i++)
		free(q->in[i].iv.v);
	free(q->in);
	free(q);
}

static void ivs_insert_at(ivs_t *s, size_t i, int64_t a, int64_t b)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = tl_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i].a = a;
	s->v[i].b = b;
	s->n++;
}

static void ivs_remove(ivs_t *s, size_t i)
{
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
}

/* Adds the time t; records mostly arrive in order, so the common case is the end. */
static void ivs_add(ivs_t *s, int64_t t, int64_t join)
{
	if (s->n && t >= s->v[s->n - 1].a) {
		iv_t *l = &s->v[s->n - 1];
		if (t <= l->b)
			return;
		if (t - l->b <= join) {
			l->b = t;
			return;
		}
		ivs_insert_at(s, s->n, t, t);
		return;
	}
	size_t lo = 0, hi = s->n; /* first interval with a > t */
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (s->v[m].a <= t)
			lo = m + 1;
		else
			hi = m;
	}
	if (lo > 0 && t <= s->v[lo - 1].b)
		return;
	if (lo > 0 && t - s->v[lo - 1].b <= join) {
		iv_t *p = &s->v[lo - 1];
		p->b = t;
		if (lo < s->n && s->v[lo].a - p->b <= join) {
			if (s->v[lo].b > p->b)
				p->b = s->v[lo].b;
			ivs_remove(s, lo);
		}
		return;
	}
	if (lo < s->n && s->v[lo].a - t <= join) {
		s->v[lo].a = t;
		return;
	}
	ivs_insert_at(s, lo, t, t);
}

static int cmp_iv(const void *x, const void *y)
{
	const iv_t *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

/* Sorts and joins intervals closer than join. */
static void ivs_normalise(ivs_t *s, int64_t join)
{
	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_iv);
	size_t k = 0;
	for (size_t i = 1; i < s->n; i++) {
		if (s->v[i].a - s->v[k].b <= join) {
			if (s->v[i].b > s->v[k].b)
				s->v[k].b = s->v[i].b;
		} else {
			s->v[++k] = s->v[i];
		}
	}
	s->n = k + 1;
}

static void ivs_append_all(ivs_t *d, const ivs_t *s)
{
	if (!s->n)
		return;
	if (d->n + s->n > d->cap) {
		d->cap = d->n + s->n;
		d->v = tl_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	memcpy(&d->v[d->n], s->v, s->n * sizeof(*s->v));
	d->n += s->n;
}

static qin_t *get_in(tl_quality_t *q, uint32_t input)
{
	if (input >= q->n_in) {
		size_t n = (size_t)input + 1;
		q->in = tl_xrealloc(q->in, n * sizeof(*q->in));
		memset(&q->in[q->n_in], 0, (n - q->n_in) * sizeof(*q->in));
		q->n_in = n;
	}
	qin_t *e = &q->in[input];
	if (!e->present) {
		e->present = 1;
		e->first = e->last = e->raw_max = TL_TIME_NONE;
	}
	return e;
}

void tl_quality_add(tl_quality_t *q, const tl_record_t *r, uint32_t input, int64_t offset_us)
{
	qin_t *e = get_in(q, input);
	int64_t t = r->ts + offset_us;
	e->records++;
	if (e->first == TL_TIME_NONE || t < e->first)
		e->first = t;
	if (e->last == TL_TIME_NONE || t > e->last)
		e->last = t;
	if (e->raw_max != TL_TIME_NONE && r->ts < e->raw_max)
		e->regress++;
	if (e->raw_max == TL_TIME_NONE || r->ts > e->raw_max)
		e->raw_max = r->ts;
	if (r->ts % TL_US_PER_SEC != 0)
		e->not_sec = 1;
	if (r->ts % 1000 != 0)
		e->not_ms = 1;
	if (r->known & TL_KNOWN_QR) {
		if (r->qr) {
			e->responses++;
			/* TC: RFC 1035 4.1.1; only where the source states the bit */
			if ((r->flags_known & TL_FLAG_TC) && (r->flags & TL_FLAG_TC))
				e->truncated++;
		} else {
			e->queries++;
		}
	}
	ivs_add(&e->iv, t, q->join);
}

void tl_quality_merge(tl_quality_t *dst, const tl_quality_t *src)
{
	if (!src || src == dst)
		return;
	for (size_t i = 0; i < src->n_in; i++) {
		const qin_t *s = &src->in[i];
		if (!s->present)
			continue;
		qin_t *d = get_in(dst, (uint32_t)i);
		d->records += s->records;
		d->queries += s->queries;
		d->responses += s->responses;
		d->truncated += s->truncated;
		d->regress += s->regress;
		d->not_sec |= s->not_sec;
		d->not_ms |= s->not_ms;
		if (s->first != TL_TIME_NONE && (d->first == TL_TIME_NONE || s->first < d->first))
			d->first = s->first;
		if (s->last != TL_TIME_NONE && (d->last == TL_TIME_NONE || s->last > d->last))
			d->last = s->last;
		if (s->raw_max != TL_TIME_NONE && (d->raw_max == TL_TIME_NONE || s->raw_max > d->raw_max))
			d->raw_max = s->raw_max;
		ivs_append_all(&d->iv, &s->iv);
		ivs_normalise(&d->iv, dst->join);
	}
}

int tl_quality_span(const tl_quality_t *q, int64_t *start, int64_t *end)
{
	int64_t lo = TL_TIME_NONE, hi = TL_TIME_NONE;
	for (size_t i = 0; i < q->n_in; i++) {
		const qin_t *e = &q->in[i];
		if (!e->present || e->first == TL_TIME_NONE)
			continue;
		if (lo == TL_TIME_NONE || e->first < lo)
			lo = e->first;
		if (hi == TL_TIME_NONE || e->last > hi)
			hi = e->last;
	}
	if (lo == TL_TIME_NONE) {
		*start = *end = TL_TIME_NONE;
		return TL_ELIMIT;
	}
	*start = tl_num_floor_div(lo, MINUTE_US) * MINUTE_US;
	*end = (tl_num_floor_div(hi, MINUTE_US) + 1) * MINUTE_US;
	return TL_OK;
}

void tl_quality_input_order(const tl_quality_t *q, uint32_t input, int64_t *resolution_us,
			    uint64_t *order_regressions)
{
	*resolution_us = 0;
	*order_regressions = 0;
	if (input >= q->n_in || !q->in[input].present || !q->in[input].records)
		return;
	const qin_t *e = &q->in[input];
	*resolution_us = e->not_ms ? 1 : e->not_sec ? 1000 : TL_US_PER_SEC;
	*order_regressions = e->regress;
}

/* ---- coverage: what each sensor states about its own recording ----
 *
 * Per input, the recorded time R_i comes from its strongest statement: the case file's
 * <label>.recording (declared), else the periods its pcapng ISBs state (capture
 * statistics), else its first to its last frame (file boundaries); the case file's
 * <label>.gaps are taken out of it whatever its source. S, the sensor's silence rule, is
 * its records joined at the threshold (the union of its inputs' intervals above).
 *
 * Only a declaration speaks about every moment inside it: an ISB's start and end, or a
 * file's first and last packet, look the same whether or not the tap delivered nothing
 * for a day in between. So the primary coverage is R_i where declared (a silence inside
 * is a quiet period, not a gap), and R_i less the silences of S elsewhere (inside a file
 * or an ISB period only silence is known; outside them, nothing was recorded whatever
 * the traffic). The other coverage flips that choice: silences count as recorded time
 * where the primary took them out, and as gaps where a declaration kept them in. */

enum { SRC_DECLARED = 0, SRC_STATISTICS = 1, SRC_BOUNDARIES = 2, SRC_SILENCE = 3 };

static const char *const src_name[] = {TL_QUALITY_SRC_DECLARED, TL_QUALITY_SRC_STATISTICS,
				       TL_QUALITY_SRC_BOUNDARIES, TL_QUALITY_SRC_SILENCE};

/* Sorts and joins overlapping or touching intervals. */
static void ivs_union_norm(ivs_t *s)
{
	ivs_normalise(s, 0);
}

static void ivs_push(ivs_t *s, int64_t a, int64_t b)
{
	ivs_insert_at(s, s->n, a, b);
}

/* out = x intersected with y (both normalised). */
static void ivs_intersect(const ivs_t *x, const ivs_t *y, ivs_t *out)
{
	memset(out, 0, sizeof(*out));
	size_t i = 0, k = 0;
	while (i < x->n && k < y->n) {
		int64_t a = x->v[i].a > y->v[k].a ? x->v[i].a : y->v[k].a;
		int64_t b = x->v[i].b < y->v[k].b ? x->v[i].b : y->v[k].b;
		if (a <= b)
			ivs_push(out, a, b);
		if (x->v[i].b < y->v[k].b)
			i++;
		else
			k++;
	}
}

/* out = x less y (both normalised): the pieces of x outside y. Cut points belong to
 * both sides (microseconds; closed intervals throughout). */
static void ivs_subtract(const ivs_t *x, const ivs_t *y, ivs_t *out)
{
	memset(out, 0, sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++) {
		int64_t a = x->v[i].a, b = x->v[i].b, cur = a;
		int cut = 0;
		while (k < y->n && y->v[k].b < a)
			k++;
		for (size_t j = k; j < y->n && y->v[j].a <= b && cur < b; j++) {
			cut = 1;
			if (y->v[j].a > cur)
				ivs_push(out, cur, y->v[j].a);
			if (y->v[j].b > cur)
				cur = y->v[j].b;
		}
		if (!cut)
			ivs_push(out, a, b);
		else if (cur < b)
			ivs_push(out, cur, b);
	}
}

static void ivs_free(ivs_t *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int ivs_overlaps(const ivs_t *s, int64_t a, int64_t b)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].a < b && s->v[i].b > a)
			return 1;
	return 0;
}

static void ivs_from_periods(ivs_t *s, const tl_period_t *p, size_t n, int64_t off)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < n; i++)
		ivs_push(s, p[i].start + off, p[i].end + off);
	ivs_union_norm(s);
}

/* The silence rule of sensor (every input when sensor is TL_NONE32): the union of its
 * inputs' record intervals, joined again at the threshold. Inputs beyond ctx->n_inputs
 * have no sensor and count only overall. */
static void sensor_ivs(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor, ivs_t *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < q->n_in; i++) {
		if (!q->in[i].present)
			continue;
		if (sensor != TL_NONE32 && (!ctx || i >= ctx->n_inputs || ctx->inputs[i].sensor != sensor))
			continue;
		ivs_append_all(out, &q->in[i].iv);
	}
	ivs_normalise(out, q->join);
}

/* The strongest statement of input i and the time it states recorded (its declared
 * gaps taken out); SRC_SILENCE and nothing when it states nothing. */
static int input_recorded(const tl_ctx_input_t *in, ivs_t *r)
{
	memset(r, 0, sizeof(*r));
	int src = SRC_SILENCE;
	const tl_input_stats_t *st = &in->info.stats;
	if (in->has_recording) {
		ivs_from_periods(r, in->recording, in->n_recording, 0);
		src = SRC_DECLARED;
	} else if (st->periods.n) {
		ivs_from_periods(r, st->periods.v, st->periods.n, in->offset_us);
		src = SRC_STATISTICS;
	} else if (st->frames && st->first_ts != TL_TIME_NONE) {
		ivs_push(r, st->first_ts + in->offset_us, st->last_ts + in->offset_us);
		src = SRC_BOUNDARIES;
	}
	if (in->n_gaps && r->n) {
		ivs_t g, t;
		ivs_from_periods(&g, in->gaps, in->n_gaps, 0);
		ivs_subtract(r, &g, &t);
		ivs_free(r);
		ivs_free(&g);
		*r = t;
	}
	return src;
}

/* One sensor's coverage. */
typedef struct cov {
	ivs_t S;          /* silence rule */
	ivs_t R;          /* stated recording, all its inputs (silence ignored) */
	ivs_t W;          /* statements at their word: silences inside them recorded time */
	ivs_t B;          /* silence-based: silences inside statements are gaps */
	ivs_t P;          /* primary: W where declared, B elsewhere */
	ivs_t declared_gaps;
	int recorded_src; /* weakest statement of its inputs; SRC_SILENCE: none states any */
	int src;          /* what the primary coverage rests on */
	int trimmed;      /* a silence longer than the threshold was taken out of stated time */
} cov_t;

/* The other coverage, the same for every sensor: statements at their word when some
 * sensor's primary coverage took a silence out of stated time, else silence-based. */
enum { OTHER_SILENCE = 0, OTHER_RECORDED = 1 };

static const ivs_t *cov_other(const cov_t *c, int mode)
{
	return mode == OTHER_RECORDED ? &c->W : &c->B;
}

static void cov_free(cov_t *c)
{
	ivs_free(&c->S);
	ivs_free(&c->R);
	ivs_free(&c->W);
	ivs_free(&c->B);
	ivs_free(&c->P);
	ivs_free(&c->declared_gaps);
}

/* Time of a normalised set that lies in pieces longer than min_us. */
static int has_piece_over(const ivs_t *s, int64_t min_us)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].b - s->v[i].a > min_us)
			return 1;
	return 0;
}

static void sensor_cov(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor, cov_t *c)
{
	memset(c, 0, sizeof(*c));
	sensor_ivs(q, ctx, sensor, &c->S);
	int any = 0, weakest = SRC_DECLARED;
	for (size_t i = 0; ctx && i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		if (in->sensor != sensor)
			continue;
		ivs_t r, rs;
		int src = input_recorded(in, &r);
		for (size_t k = 0; k < in->n_gaps; k++)
			ivs_push(&c->declared_gaps, in->gaps[k].start, in->gaps[k].end);
		if (src == SRC_SILENCE) {
			/* nothing stated: its own records joined at the threshold, less what the
			 * operator documented as outages, under every rule */
			ivs_t own, g;
			memset(&own, 0, sizeof(own));
			if (i < q->n_in && q->in[i].present)
				ivs_append_all(&own, &q->in[i].iv);
			ivs_normalise(&own, q->join);
			ivs_from_periods(&g, in->gaps, in->n_gaps, 0);
			ivs_subtract(&own, &g, &rs);
			ivs_append_all(&c->W, &rs);
			ivs_append_all(&c->B, &rs);
			ivs_append_all(&c->P, &rs);
			ivs_free(&own);
			ivs_free(&g);
			weakest = SRC_SILENCE;
		} else {
			any = 1;
			if (src > weakest)
				weakest = src;
			ivs_intersect(&r, &c->S, &rs);
			ivs_append_all(&c->W, &r);
			ivs_append_all(&c->B, &rs);
			ivs_append_all(&c->P, src == SRC_DECLARED ? &r : &rs);
			ivs_append_all(&c->R, &r);
		}
		ivs_free(&r);
		ivs_free(&rs);
	}
	if (!ctx || sensor == TL_NONE32) {
		ivs_append_all(&c->W, &c->S);
		ivs_append_all(&c->B, &c->S);
		ivs_append_all(&c->P, &c->S);
	}
	ivs_union_norm(&c->R);
	ivs_union_norm(&c->W);
	ivs_union_norm(&c->B);
	ivs_union_norm(&c->P);
	ivs_union_norm(&c->declared_gaps);
	c->recorded_src = any ? weakest : SRC_SILENCE;
	/* the primary rests on silence when a silence longer than the threshold was taken out
	 * of stated recording time, or when nothing is stated */
	ivs_t lost;
	ivs_subtract(&c->W, &c->P, &lost);
	c->trimmed = has_piece_over(&lost, q->set.gap_threshold_us);
	c->src = (!any || weakest == SRC_SILENCE || c->trimmed) ? SRC_SILENCE : weakest;
	ivs_free(&lost);
}

/* The other coverage's rule: computed over all sensors, so that it is one rule. */
static int other_mode(const tl_quality_t *q, const tl_ctx_t *ctx)
{
	int mode = OTHER_SILENCE;
	for (size_t s = 0; ctx && s < ctx->n_sensors && mode == OTHER_SILENCE; s++) {
		cov_t c;
		sensor_cov(q, ctx, (uint32_t)s, &c);
		if (c.trimmed)
			mode = OTHER_RECORDED;
		cov_free(&c);
	}
	return mode;
}

/* Sets bit m of bits (nmin minutes from span_start) when the start of minute m,
 * span_start + m minutes, lies in one of the covered intervals [a, b]: minutes
 * ceil((a - span_start) / 1 min) to floor((b - span_start) / 1 min). A covered
 * stretch shorter than a minute that holds no minute start sets no bit. */
static void mark_minutes(const ivs_t *s, int64_t span_start, uint64_t nmin, uint8_t *bits)
{
	for (size_t i = 0; nmin && i < s->n; i++) {
		int64_t m0 = -tl_num_floor_div(span_start - s->v[i].a, MINUTE_US);
		int64_t m1 = tl_num_floor_div(s->v[i].b - span_start, MINUTE_US);
		if (m0 < 0)
			m0 = 0;
		if (m1 >= (int64_t)nmin)
			m1 = (int64_t)nmin - 1;
		for (int64_t m = m0; m <= m1; m++)
			bits[m / 8] |= (uint8_t)(1u << (m % 8));
	}
}

static uint64_t count_bits(const uint8_t *bits, uint64_t nmin)
{
	uint64_t n = 0;
	for (uint64_t m = 0; m < nmin; m++)
		n += (bits[m / 8] >> (m % 8)) & 1u;
	return n;
}

/* Bitmaps of one sensor; other_out and its rule when other_out is not NULL. */
static int coverage_bits(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor,
			 int64_t span_start, int64_t span_end, int mode, uint8_t **primary_out,
			 uint8_t **other_out, int64_t *first_ts, int64_t *last_ts)
{
	uint64_t nmin = 0;
	if (span_start != TL_TIME_NONE) {
		if (span_end < span_start || span_start % MINUTE_US != 0)
			return TL_EINVAL;
		nmin = (uint64_t)((span_end - span_start) / MINUTE_US);
	}
	cov_t c;
	sensor_cov(q, ctx, sensor, &c);
	uint8_t *bits = tl_xcalloc(nmin / 8 + 1, 1);
	mark_minutes(&c.P, span_start, nmin, bits);
	*primary_out = bits;
	if (other_out) {
		uint8_t *ob = tl_xcalloc(nmin / 8 + 1, 1);
		mark_minutes(cov_other(&c, mode), span_start, nmin, ob);
		*other_out = ob;
	}
	*first_ts = c.S.n ? c.S.v[0].a : TL_TIME_NONE;
	*last_ts = c.S.n ? c.S.v[c.S.n - 1].b : TL_TIME_NONE;
	cov_free(&c);
	return TL_OK;
}

int tl_quality_sensor_coverage(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor,
			       int64_t span_start, int64_t span_end, uint8_t **primary_out,
			       uint8_t **other_out, int64_t *first_ts, int64_t *last_ts)
{
	int mode = other_out ? other_mode(q, ctx) : OTHER_SILENCE;
	return coverage_bits(q, ctx, sensor, span_start, span_end, mode, primary_out, other_out,
			     first_ts, last_ts);
}

int tl_quality_coverage(const tl_quality_t *q, tl_ctx_t *ctx, uint8_t ***other_out)
{
	int mode = other_mode(q, ctx);
	uint8_t **other = tl_xcalloc(ctx->n_sensors ? ctx->n_sensors : 1, sizeof(*other));
	int rc = TL_OK;
	for (size_t s = 0; s < ctx->n_sensors && rc == TL_OK; s++) {
		tl_ctx_sensor_t *se = &ctx->sensors[s];
		rc = coverage_bits(q, ctx, (uint32_t)s, ctx->span_start, ctx->span_end, mode,
				   &se->minutes, &other[s], &se->first_ts, &se->last_ts);
	}
	*other_out = other;
	return rc;
}

int tl_quality_sensor_minutes(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor,
			      int64_t span_start, int64_t span_end, uint8_t **minutes_out,
			      int64_t *first_ts, int64_t *last_ts)
{
	return tl_quality_sensor_coverage(q, ctx, sensor, span_start, span_end, minutes_out, NULL,
					  first_ts, last_ts);
}

typedef struct gaps {
	tl_quality_gap_t *v;
	size_t n;
	uint64_t total;
	int64_t time;
} gaps_t;

static void gap_add(gaps_t *g, int64_t a, int64_t b, int at_edge, const char *source,
		    const tl_quality_settings_t *set)
{
	g->total++;
	g->time += b - a;
	if (g->n >= set->max_gaps)
		return;
	g->v = tl_xrealloc(g->v, (g->n + 1) * sizeof(*g->v));
	g->v[g->n++] = (tl_quality_gap_t){a, b, b - a, at_edge, source};
}

/* Whether [a, b] holds the start of a minute of the span (so the minute bitmaps lose
 * that minute). */
static int holds_minute_start(int64_t a, int64_t b)
{
	int64_t m = -tl_num_floor_div(-a, MINUTE_US) * MINUTE_US; /* first minute start >= a */
	return m <= b;
}

/* Why a sensor did not record in [a, b]: silence when its stated time (or, with
 * nothing stated, its traffic) reaches into it; else a declared gap; else the
 * statement that bounds its recording. */
static int why_not(const cov_t *c, int64_t a, int64_t b)
{
	if (c->recorded_src == SRC_SILENCE || ivs_overlaps(&c->R, a, b))
		return SRC_SILENCE;
	if (ivs_overlaps(&c->declared_gaps, a, b))
		return SRC_DECLARED;
	return c->recorded_src;
}

/* The holes of cover inside [lo, hi] (the first and last record of all data). A hole
 * is listed when it is longer than the threshold, or when a statement (not silence)
 * makes it and it is no edge, or (overall) when it holds a minute start, so that every
 * minute no sensor covers lies in a listed gap. src(a, b) names its source. */
typedef int (*why_fn)(const void *ud, int64_t a, int64_t b);

static void find_holes(const ivs_t *cover, int64_t lo, int64_t hi, int overall, why_fn why,
		       const void *ud, const tl_quality_settings_t *set, gaps_t *g)
{
	memset(g, 0, sizeof(*g));
	if (lo == TL_TIME_NONE)
		return;
	int64_t at = lo; /* covered up to here */
	size_t i = 0;
	while (i < cover->n && cover->v[i].b < lo)
		i++;
	for (;; i++) {
		int end = i >= cover->n || cover->v[i].a > hi;
		int64_t a = at, b = end ? hi : cover->v[i].a;
		if (b > a) {
			int edge = a == lo || end;
			int src = why(ud, a, b);
			int list = b - a > set->gap_threshold_us ||
				   (overall ? holds_minute_start(a, b) : (!edge && src != SRC_SILENCE));
			if (list)
				gap_add(g, a, b, edge, src_name[src], set);
		}
		if (end)
			break;
		if (cover->v[i].b > at)
			at = cover->v[i].b;
		if (at >= hi)
			break;
	}
}

static int why_sensor(const void *ud, int64_t a, int64_t b)
{
	return why_not(ud, a, b);
}

typedef struct all_why {
	const cov_t *c;
	size_t n;
} all_why_t;

/* Overall: the weakest reason among the sensors. */
static int why_all(const void *ud, int64_t a, int64_t b)
{
	const all_why_t *w = ud;
	int r = w->n ? SRC_DECLARED : SRC_SILENCE;
	for (size_t s = 0; s < w->n; s++) {
		int k = why_not(&w->c[s], a, b);
		if (k > r)
			r = k;
	}
	return r;
}

/* Quiet periods: pieces of covered time outside the silence rule's intervals, longer
 * than the threshold, inside [lo, hi]. */
static void find_quiet(const ivs_t *cover, const ivs_t *S, int64_t lo, int64_t hi,
		       const tl_quality_settings_t *set, gaps_t *g)
{
	memset(g, 0, sizeof(*g));
	if (lo == TL_TIME_NONE)
		return;
	ivs_t span, in, q;
	memset(&span, 0, sizeof(span));
	ivs_push(&span, lo, hi);
	ivs_intersect(cover, &span, &in);
	ivs_subtract(&in, S, &q);
	for (size_t i = 0; i < q.n; i++)
		if (q.v[i].b - q.v[i].a > set->gap_threshold_us)
			gap_add(g, q.v[i].a, q.v[i].b, q.v[i].a == lo || q.v[i].b == hi,
				TL_QUALITY_SRC_SILENCE, set);
	ivs_free(&span);
	ivs_free(&in);
	ivs_free(&q);
}

static void fill_input(tl_quality_input_t *m, const tl_quality_t *q, const tl_ctx_t *ctx, size_t i)
{
	m->first_ts = m->last_ts = TL_TIME_NONE;
	m->recorded_source = TL_QUALITY_SRC_SILENCE;
	if (i < q->n_in && q->in[i].present) {
		const qin_t *e = &q->in[i];
		m->records = e->records;
		m->first_ts = e->first;
		m->last_ts = e->last;
		m->queries = e->queries;
		m->responses = e->responses;
		m->truncated = e->truncated;
		tl_quality_input_order(q, (uint32_t)i, &m->resolution_us, &m->order_regressions);
	}
	if (!ctx || i >= ctx->n_inputs)
		return;
	const tl_ctx_input_t *ci = &ctx->inputs[i];
	ivs_t r;
	m->recorded_source = src_name[input_recorded(ci, &r)];
	ivs_free(&r);
	m->label = ci->label;
	m->sensor = ci->sensor;
	m->unanswered = ci->info.stats.unanswered;
	m->unmatched = ci->info.stats.unmatched;
	m->if_drops = ci->info.stats.if_drops;
	m->os_drops = ci->info.stats.os_drops;
	m->if_drops_known = ci->info.stats.if_drops_known;
	m->os_drops_known = ci->info.stats.os_drops_known;
	const tl_anomalies_t *an = &ci->info.anomalies;
	for (int k = 0; k < TL_AN__COUNT; k++) {
		if (!an->count[k])
			continue;
		m->malformed += an->count[k];
		m->anomalies = tl_xrealloc(m->anomalies, (m->n_anomalies + 1) * sizeof(*m->anomalies));
		tl_quality_anomaly_t *a = &m->anomalies[m->n_anomalies++];
		memset(a, 0, sizeof(*a));
		a->kind = tl_anomaly_name((tl_anomaly_kind_t)k);
		a->count = an->count[k];
		a->n_first = an->count[k] < TL_AN_FIRST_MAX ? (size_t)an->count[k] : TL_AN_FIRST_MAX;
		memcpy(a->first, an->first[k], a->n_first * sizeof(a->first[0]));
	}
}

static void fill_dups(tl_quality_model_t *out, const tl_ctx_t *ctx)
{
	size_t ns = ctx->n_sensors;
	uint64_t *mat = ns ? tl_xcalloc(ns * ns, sizeof(*mat)) : NULL;
	out->sightings = ctx->n_lookups;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *l = &ctx->lookups[i];
		if (l->dup_of == TL_NONE32) {
			out->unique++;
			continue;
		}
		out->duplicates++;
		if (l->dup_of >= ctx->n_lookups)
			continue;
		uint32_t ki = ctx->lookups[l->dup_of].input, di = l->input;
		if (ki >= ctx->n_inputs || di >= ctx->n_inputs)
			continue;
		uint32_t ks = ctx->inputs[ki].sensor, ds = ctx->inputs[di].sensor;
		if (ks < ns && ds < ns)
			mat[(size_t)ks * ns + ds]++;
	}
	for (size_t k = 0; k < ns * ns; k++) {
		if (!mat[k])
			continue;
		out->dup_pairs = tl_xrealloc(out->dup_pairs, (out->n_dup_pairs + 1) *
								     sizeof(*out->dup_pairs));
		out->dup_pairs[out->n_dup_pairs++] =
			(tl_quality_dup_pair_t){(uint32_t)(k / ns), (uint32_t)(k % ns), mat[k]};
	}
	free(mat);
}

int tl_quality_finish(const tl_quality_t *q, const tl_ctx_t *ctx,
		      const tl_quality_offset_t *offsets, size_t n_offsets,
		      tl_quality_model_t *out)
{
	memset(out, 0, sizeof(*out));
	out->gap_threshold_us = q->set.gap_threshold_us;
	int have = tl_quality_span(q, &out->span_start, &out->span_end) == TL_OK;
	out->span_minutes = have ? (uint64_t)((out->span_end - out->span_start) / MINUTE_US) : 0;
	int64_t lo = TL_TIME_NONE, hi = TL_TIME_NONE; /* first and last record of all data */
	ivs_t all;
	sensor_ivs(q, ctx, TL_NONE32, &all);
	if (all.n) {
		lo = all.v[0].a;
		hi = all.v[all.n - 1].b;
	}

	out->n_inputs = ctx ? ctx->n_inputs : q->n_in;
	if (out->n_inputs < q->n_in)
		out->n_inputs = q->n_in;
	out->inputs = tl_xcalloc(out->n_inputs ? out->n_inputs : 1, sizeof(*out->inputs));
	for (size_t i = 0; i < out->n_inputs; i++) {
		tl_quality_input_t *m = &out->inputs[i];
		fill_input(m, q, ctx, i);
		out->records += m->records;
		out->truncated += m->truncated;
		out->unanswered += m->unanswered;
		out->unmatched += m->unmatched;
		out->malformed += m->malformed;
		if (m->if_drops_known) {
			out->if_drops += m->if_drops;
			out->if_drops_known = 1;
		}
		if (m->os_drops_known) {
			out->os_drops += m->os_drops;
			out->os_drops_known = 1;
		}
		if (ctx && i < ctx->n_inputs)
			for (int k = 0; k < TL_AN__COUNT; k++)
				out->anomaly_count[k] += ctx->inputs[i].info.anomalies.count[k];
	}

	/* Minute bitmaps as tl_quality_sensor_coverage gives them to the context; the
	 * overall one is their union, as the analysis modules form it. */
	uint64_t nmin = out->span_minutes;
	uint8_t *bits = tl_xmalloc(nmin / 8 + 1);
	uint8_t *any = tl_xcalloc(nmin / 8 + 1, 1), *any_other = tl_xcalloc(nmin / 8 + 1, 1);
	out->n_sensors = ctx ? ctx->n_sensors : 0;
	out->sensors = tl_xcalloc(out->n_sensors ? out->n_sensors : 1, sizeof(*out->sensors));
	cov_t *cv = tl_xcalloc(out->n_sensors ? out->n_sensors : 1, sizeof(*cv));
	int mode = other_mode(q, ctx);
	out->other.rule = mode == OTHER_RECORDED ? TL_QUALITY_OTHER_RECORDED : TL_QUALITY_OTHER_SILENCE;
	ivs_t P, S; /* overall: union of the sensors' primary coverage, and of their traffic */
	memset(&P, 0, sizeof(P));
	memset(&S, 0, sizeof(S));
	for (size_t s = 0; s < out->n_sensors; s++) {
		tl_quality_sensor_t *m = &out->sensors[s];
		cov_t *c = &cv[s];
		m->name = ctx->sensors[s].name;
		sensor_cov(q, ctx, (uint32_t)s, c);
		m->first_ts = c->S.n ? c->S.v[0].a : TL_TIME_NONE;
		m->last_ts = c->S.n ? c->S.v[c->S.n - 1].b : TL_TIME_NONE;
		m->source = src_name[c->src];
		m->recorded_source = src_name[c->recorded_src];
		memset(bits, 0, nmin / 8 + 1);
		mark_minutes(&c->P, out->span_start, nmin, bits);
		for (uint64_t k = 0; k < nmin / 8 + 1; k++)
			any[k] |= bits[k];
		m->minutes_covered = count_bits(bits, nmin);
		m->coverage = nmin ? (double)m->minutes_covered / (double)nmin : 0.0;
		const ivs_t *O = cov_other(c, mode);
		memset(bits, 0, nmin / 8 + 1);
		mark_minutes(O, out->span_start, nmin, bits);
		for (uint64_t k = 0; k < nmin / 8 + 1; k++)
			any_other[k] |= bits[k];
		m->minutes_other = count_bits(bits, nmin);
		if (c->P.n != O->n || (c->P.n && memcmp(c->P.v, O->v, c->P.n * sizeof(iv_t)) != 0))
			out->other.differs = 1;
		gaps_t g;
		find_holes(&c->P, lo, hi, 0, why_sensor, c, &q->set, &g);
		m->gaps = g.v;
		m->n_gaps = g.n;
		m->gaps_total = g.total;
		m->gap_time_us = g.time;
		find_quiet(&c->P, &c->S, lo, hi, &q->set, &g);
		m->quiet = g.v;
		m->n_quiet = g.n;
		m->quiet_total = g.total;
		m->quiet_time_us = g.time;
		ivs_append_all(&P, &c->P);
		ivs_append_all(&S, &c->S);
	}
	/* inputs without a sensor of the context count overall, by the silence rule */
	for (size_t i = 0; i < q->n_in; i++)
		if (q->in[i].present && (!ctx || i >= ctx->n_inputs)) {
			ivs_append_all(&P, &q->in[i].iv);
			ivs_append_all(&S, &q->in[i].iv);
		}
	ivs_union_norm(&P);
	ivs_normalise(&S, q->join);
	if (!ctx || !ctx->n_sensors) {
		/* no sensors: the data's own minutes, so that the overall figures exist */
		memset(any, 0, nmin / 8 + 1);
		mark_minutes(&P, out->span_start, nmin, any);
		memcpy(any_other, any, nmin / 8 + 1);
	}
	out->minutes_covered = count_bits(any, nmin);
	out->coverage = nmin ? (double)out->minutes_covered / (double)nmin : 0.0;
	out->other.minutes_covered = count_bits(any_other, nmin);
	out->other.coverage = nmin ? (double)out->other.minutes_covered / (double)nmin : 0.0;
	free(bits);
	free(any);
	free(any_other);
	all_why_t w = {cv, out->n_sensors};
	gaps_t g;
	find_holes(&P, lo, hi, 1, why_all, &w, &q->set, &g);
	out->gaps = g.v;
	out->n_gaps = g.n;
	out->gaps_total = g.total;
	out->gap_time_us = g.time;
	find_quiet(&P, &S, lo, hi, &q->set, &g);
	out->quiet = g.v;
	out->n_quiet = g.n;
	out->quiet_total = g.total;
	out->quiet_time_us = g.time;
	for (size_t s = 0; s < out->n_sensors; s++)
		cov_free(&cv[s]);
	free(cv);
	ivs_free(&P);
	ivs_free(&S);
	free(all.v);

	if (ctx)
		fill_dups(out, ctx);
	if (n_offsets) {
		out->offsets = tl_xmalloc(n_offsets * sizeof(*out->offsets));
		memcpy(out->offsets, offsets, n_offsets * sizeof(*out->offsets));
		out->n_offsets = n_offsets;
	}
	return TL_OK;
}

void tl_quality_model_free(tl_quality_model_t *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_inputs; i++)
		free(m->inputs[i].anomalies);
	free(m->inputs);
	for (size_t s = 0; s < m->n_sensors; s++) {
		free(m->sensors[s].gaps);
		free(m->sensors[s].quiet);
	}
	free(m->sensors);
	free(m->gaps);
	free(m->quiet);
	free(m->other.events);
	free(m->dup_pairs);
	free(m->offsets);
	memset(m, 0, sizeof(*m));
}
