/* quality.c - coverage, gaps, timestamp order and resolution; reader counts at finish. */
#include "analysis/quality.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/timeutil.h"
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

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
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
	*start = floor_div(lo, MINUTE_US) * MINUTE_US;
	*end = (floor_div(hi, MINUTE_US) + 1) * MINUTE_US;
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

/* Union of the intervals of the inputs of sensor (every input when sensor is
 * TL_NONE32). Inputs beyond ctx->n_inputs have no sensor and count only overall. */
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

/* Sets bit m of bits (nmin minutes from span_start) when the start of minute m,
 * span_start + m minutes, lies in one of the covered intervals [a, b]: minutes
 * ceil((a - span_start) / 1 min) to floor((b - span_start) / 1 min). A covered
 * stretch shorter than a minute that holds no minute start sets no bit. */
static void mark_minutes(const ivs_t *s, int64_t span_start, uint64_t nmin, uint8_t *bits)
{
	for (size_t i = 0; nmin && i < s->n; i++) {
		int64_t m0 = -floor_div(span_start - s->v[i].a, MINUTE_US);
		int64_t m1 = floor_div(s->v[i].b - span_start, MINUTE_US);
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

int tl_quality_sensor_minutes(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor,
			      int64_t span_start, int64_t span_end, uint8_t **minutes_out,
			      int64_t *first_ts, int64_t *last_ts)
{
	uint64_t nmin = 0;
	if (span_start != TL_TIME_NONE) {
		if (span_end < span_start || span_start % MINUTE_US != 0)
			return TL_EINVAL;
		nmin = (uint64_t)((span_end - span_start) / MINUTE_US);
	}
	uint8_t *bits = tl_xcalloc(nmin / 8 + 1, 1);
	ivs_t s;
	sensor_ivs(q, ctx, sensor, &s);
	mark_minutes(&s, span_start, nmin, bits);
	*first_ts = s.n ? s.v[0].a : TL_TIME_NONE;
	*last_ts = s.n ? s.v[s.n - 1].b : TL_TIME_NONE;
	free(s.v);
	*minutes_out = bits;
	return TL_OK;
}

typedef struct gaps {
	tl_quality_gap_t *v;
	size_t n;
	uint64_t total;
	int64_t time;
} gaps_t;

static void gap_add(gaps_t *g, int64_t a, int64_t b, int at_edge, const tl_quality_settings_t *set)
{
	if (b - a <= set->gap_threshold_us)
		return;
	g->total++;
	g->time += b - a;
	if (g->n >= set->max_gaps)
		return;
	g->v = tl_xrealloc(g->v, (g->n + 1) * sizeof(*g->v));
	g->v[g->n++] = (tl_quality_gap_t){a, b, b - a, at_edge};
}

/* Holes between intervals (all longer than the threshold, as intervals join at
 * it; gap_add checks again); with edges, also the time
 * from the data's first record to the first interval and from the last
 * interval to the data's last record. */
static void find_gaps(const ivs_t *s, int64_t lo, int64_t hi, int edges,
		      const tl_quality_settings_t *set, gaps_t *g)
{
	memset(g, 0, sizeof(*g));
	if (lo == TL_TIME_NONE)
		return;
	if (!s->n) {
		if (edges)
			gap_add(g, lo, hi, 1, set);
		return;
	}
	if (edges)
		gap_add(g, lo, s->v[0].a, 1, set);
	for (size_t i = 1; i < s->n; i++)
		gap_add(g, s->v[i - 1].b, s->v[i].a, 0, set);
	if (edges)
		gap_add(g, s->v[s->n - 1].b, hi, 1, set);
}

static void fill_input(tl_quality_input_t *m, const tl_quality_t *q, const tl_ctx_t *ctx, size_t i)
{
	m->first_ts = m->last_ts = TL_TIME_NONE;
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

	/* Minute bitmaps as tl_quality_sensor_minutes gives them to the context; the
	 * overall one is their union, as the analysis modules form it. */
	uint64_t nmin = out->span_minutes;
	uint8_t *bits = tl_xmalloc(nmin / 8 + 1);
	uint8_t *any = tl_xcalloc(nmin / 8 + 1, 1);
	out->n_sensors = ctx ? ctx->n_sensors : 0;
	out->sensors = tl_xcalloc(out->n_sensors ? out->n_sensors : 1, sizeof(*out->sensors));
	for (size_t s = 0; s < out->n_sensors; s++) {
		tl_quality_sensor_t *m = &out->sensors[s];
		m->name = ctx->sensors[s].name;
		ivs_t iv;
		sensor_ivs(q, ctx, (uint32_t)s, &iv);
		m->first_ts = iv.n ? iv.v[0].a : TL_TIME_NONE;
		m->last_ts = iv.n ? iv.v[iv.n - 1].b : TL_TIME_NONE;
		memset(bits, 0, nmin / 8 + 1);
		mark_minutes(&iv, out->span_start, nmin, bits);
		for (uint64_t k = 0; k < nmin / 8 + 1; k++)
			any[k] |= bits[k];
		m->minutes_covered = count_bits(bits, nmin);
		m->coverage = nmin ? (double)m->minutes_covered / (double)nmin : 0.0;
		gaps_t g;
		find_gaps(&iv, lo, hi, 1, &q->set, &g);
		m->gaps = g.v;
		m->n_gaps = g.n;
		m->gaps_total = g.total;
		m->gap_time_us = g.time;
		free(iv.v);
	}
	out->minutes_covered = count_bits(any, nmin);
	out->coverage = nmin ? (double)out->minutes_covered / (double)nmin : 0.0;
	free(bits);
	free(any);
	gaps_t g;
	find_gaps(&all, lo, hi, 0, &q->set, &g);
	out->gaps = g.v;
	out->n_gaps = g.n;
	out->gaps_total = g.total;
	out->gap_time_us = g.time;
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
	for (size_t s = 0; s < m->n_sensors; s++)
		free(m->sensors[s].gaps);
	free(m->sensors);
	free(m->gaps);
	free(m->dup_pairs);
	free(m->offsets);
	memset(m, 0, sizeof(*m));
}
