/* resolver.c - per-source timing and fingerprints of the target's de-duplicated lookups.
 * A caching resolver asks again for a name and type only after its cached answer expires
 * (RFC 1035 7.4, RFC 2308 5 for negative answers), so the intervals between its lookups
 * of one name and type cluster just above that answer's TTL; intervals inside it mean
 * several clients behind one address, cache flushes, or queries not made by that resolver
 * at all (spoofing). Only intervals whose whole time some sensor covered are classified:
 * a lookup unseen in a gap would split the interval. A query whose low-level fingerprint
 * (IP TTL, EDNS, 0x20 case) differs from its source's usual one may come from another
 * machine using that address. */
#include "analysis/resolver.h"
#include "analysis/stats/stats.h"
#include "util/error.h"
#include "util/num.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Log-spaced fixed lower edges in seconds: 0, 1 s, 10 s, 1 min, 5 min, 15 min, 30 min,
 * 90 min, 3 h, 6 h, 24 h; TTL - tolerance, TTL and TTL + tolerance are added so that the
 * periodic band is exactly one bin. */
static const int64_t fixed_edges[] = {0, 1, 10, 60, 300, 900, 1800, 5400, 10800, 21600, 86400};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void make_bins(int64_t ttl_s, int64_t tol_s, tl_res_bins_t *b)
{
	int64_t e[TL_RES_MAX_BINS];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(fixed_edges) / sizeof(fixed_edges[0]); i++)
		e[n++] = fixed_edges[i];
	if (ttl_s > 0) {
		if (ttl_s - tol_s > 0)
			e[n++] = ttl_s - tol_s;
		e[n++] = ttl_s;
		e[n++] = ttl_s + tol_s;
	}
	qsort(e, n, sizeof(e[0]), cmp_i64);
	b->n = 0;
	for (size_t i = 0; i < n; i++)
		if (b->n == 0 || e[i] != b->lower_s[b->n - 1])
			b->lower_s[b->n++] = e[i];
}

static size_t bin_of(const tl_res_bins_t *b, int64_t gap_us)
{
	size_t i = b->n - 1;
	while (i > 0 && gap_us < b->lower_s[i] * TL_US_PER_SEC)
		i--;
	return i;
}

static void count_of(uint64_t k, uint64_t n, double alpha, tl_res_count_t *c)
{
	tl_interval_t iv;
	c->count = k;
	c->share = c->lo = c->hi = NAN;
	if (n > 0 && tl_stats_wilson(k, n, alpha, &iv) == TL_OK) {
		c->share = (double)k / (double)n;
		c->lo = iv.lo;
		c->hi = iv.hi;
	}
}

static void iat_of(double *gaps, size_t n, tl_res_iat_t *r)
{
	r->n = n;
	r->min_s = r->q25_s = r->median_s = r->q75_s = r->max_s = NAN;
	if (n == 0)
		return;
	qsort(gaps, n, sizeof(*gaps), cmp_double);
	r->min_s = gaps[0];
	r->max_s = gaps[n - 1];
	r->q25_s = tl_stats_quantile_sorted(gaps, n, 0.25);
	r->median_s = tl_stats_quantile_sorted(gaps, n, 0.5);
	r->q75_s = tl_stats_quantile_sorted(gaps, n, 0.75);
}

/* Sorts v[0..n) and returns its mode (ties: smallest value) and number of distinct values. */
static void mode_of(uint32_t *v, size_t n, tl_res_mode_t *m, uint64_t *distinct)
{
	m->known = n;
	m->value = 0;
	m->count = 0;
	uint64_t d = 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j] == v[i])
			j++;
		d++;
		if (j - i > m->count) { /* strictly more: an earlier (smaller) value keeps a tie */
			m->count = j - i;
			m->value = v[i];
		}
		i = j;
	}
	if (distinct)
		*distinct = d;
}

/* The fingerprint of one source's lookups idx[0..n), using tmp (n entries) as scratch. */
static void fingerprint(const tl_ctx_t *ctx, const uint32_t *idx, size_t n, uint32_t *tmp,
			tl_res_fingerprint_t *fp)
{
	size_t k;
#define COLLECT(cond, expr)                                                                        \
	do {                                                                                       \
		k = 0;                                                                             \
		for (size_t i = 0; i < n; i++) {                                                   \
			const tl_lookup_t *l = &ctx->lookups[idx[i]];                              \
			if (cond)                                                                  \
				tmp[k++] = (uint32_t)(expr);                                       \
		}                                                                                  \
	} while (0)
	COLLECT(l->flags & TL_LK_HAS_IPTTL, l->ip_ttl);
	mode_of(tmp, k, &fp->ip_ttl, NULL);
	COLLECT(l->flags & TL_LK_HAS_EDNS, l->edns_size);
	mode_of(tmp, k, &fp->edns_size, NULL);
	COLLECT(l->flags & TL_LK_HAS_EDNS, (l->flags & TL_LK_DO) != 0);
	mode_of(tmp, k, &fp->do_bit, NULL);
	COLLECT(l->flags & TL_LK_HAS_EDNS, l->opt_set);
	mode_of(tmp, k, &fp->opt_set, NULL);
	COLLECT(1, (l->flags & TL_LK_MIXED_CASE) != 0);
	mode_of(tmp, k, &fp->mixed, NULL);
	COLLECT(1, l->transport);
	mode_of(tmp, k, &fp->transport, NULL);

	tl_res_mode_t unused;
	COLLECT(l->flags & TL_LK_HAS_ID, l->sport);
	fp->with_id = k;
	fp->port_min = fp->port_max = 0;
	mode_of(tmp, k, &unused, &fp->ports_distinct);
	if (k > 0) {
		fp->port_min = (uint16_t)tmp[0];
		fp->port_max = (uint16_t)tmp[k - 1];
	}
	COLLECT(l->flags & TL_LK_HAS_ID, l->id);
	mode_of(tmp, k, &unused, &fp->ids_distinct);
#undef COLLECT
	fp->port_spread = fp->id_spread = NAN;
	if (fp->with_id > 0) {
		fp->port_spread = (double)fp->ports_distinct / (double)fp->with_id;
		fp->id_spread = (double)fp->ids_distinct / (double)fp->with_id;
	}
}

/* Which components of l differ from the dominant fingerprint (known on both sides). */
static unsigned differs(const tl_lookup_t *l, const tl_res_fingerprint_t *fp)
{
	unsigned d = 0;
	if ((l->flags & TL_LK_HAS_IPTTL) && fp->ip_ttl.known && l->ip_ttl != fp->ip_ttl.value)
		d |= TL_RES_FP_IPTTL;
	if (l->flags & TL_LK_HAS_EDNS) {
		if (fp->edns_size.known && l->edns_size != fp->edns_size.value)
			d |= TL_RES_FP_EDNS;
		if (fp->do_bit.known && ((l->flags & TL_LK_DO) != 0) != (fp->do_bit.value != 0))
			d |= TL_RES_FP_DO;
		if (fp->opt_set.known && l->opt_set != fp->opt_set.value)
			d |= TL_RES_FP_OPTS;
	}
	if (fp->mixed.known && ((l->flags & TL_LK_MIXED_CASE) != 0) != (fp->mixed.value != 0))
		d |= TL_RES_FP_CASE;
	return d;
}

static int cmp_source(const void *a, const void *b)
{
	const tl_res_source_t *x = a, *y = b;
	if (x->lookups != y->lookups)
		return x->lookups > y->lookups ? -1 : 1;
	if (x->addr.family != y->addr.family)
		return x->addr.family < y->addr.family ? -1 : 1;
	int c = memcmp(x->addr.bytes, y->addr.bytes, sizeof(x->addr.bytes));
	if (c)
		return c;
	return x->source < y->source ? -1 : x->source > y->source;
}

static int ctx_ok(const tl_ctx_t *ctx)
{
	if (ctx->n_lookups >= UINT32_MAX)
		return 0;
	for (size_t i = 0; i < ctx->n_sources; i++)
		if (ctx->sources[i].org >= ctx->n_orgs)
			return 0;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *lk = &ctx->lookups[i];
		if (lk->source >= ctx->n_sources || lk->input >= ctx->n_inputs)
			return 0;
		if (i > 0 && lk->ts < ctx->lookups[i - 1].ts)
			return 0; /* gaps must be non-negative */
	}
	return 1;
}

static void classify(int64_t gap_us, int64_t ttl_s, int64_t tol_s, uint64_t c[3])
{
	int64_t ttl_us = ttl_s * TL_US_PER_SEC, end_us = (ttl_s + tol_s) * TL_US_PER_SEC;
	c[gap_us < ttl_us ? 0 : gap_us < end_us ? 1 : 2]++;
}

/* Counts of one source or of all: [0..3) inside, periodic, later, then the rest. */
typedef struct tally {
	uint64_t c[3];
	uint64_t intervals, spans_gap, ttl_unknown, negative, inferred;
} tally_t;

static void tally_add(tally_t *to, const tally_t *x)
{
	for (int k = 0; k < 3; k++)
		to->c[k] += x->c[k];
	to->intervals += x->intervals;
	to->spans_gap += x->spans_gap;
	to->ttl_unknown += x->ttl_unknown;
	to->negative += x->negative;
	to->inferred += x->inferred;
}

static void classes_of(const tally_t *t, double alpha, tl_res_classes_t *r)
{
	r->intervals = t->intervals;
	r->spans_gap = t->spans_gap;
	r->ttl_unknown = t->ttl_unknown;
	r->negative = t->negative;
	r->inferred = t->inferred;
	r->n = t->c[0] + t->c[1] + t->c[2];
	count_of(t->c[0], r->n, alpha, &r->inside);
	count_of(t->c[1], r->n, alpha, &r->periodic);
	count_of(t->c[2], r->n, alpha, &r->later);
}

/* ---- coverage: the union of the sensors' minute bitmaps ---- */

#define MINUTE_US (60 * TL_US_PER_SEC)

typedef struct cover {
	int64_t start; /* ctx->span_start (0 when the span is unknown: then n = 0) */
	size_t n;      /* minutes in the span */
	size_t *prefix; /* prefix[m]: minutes among the first m that no sensor covered */
} cover_t;

static void cover_build(const tl_ctx_t *ctx, cover_t *c)
{
	c->start = 0;
	c->n = 0;
	/* an empty context may carry TL_TIME_NONE (INT64_MIN) as its span */
	if (ctx->span_start != TL_TIME_NONE && ctx->span_end > ctx->span_start) {
		c->start = ctx->span_start;
		c->n = (size_t)((ctx->span_end - ctx->span_start) / MINUTE_US);
	}
	c->prefix = tl_xmalloc((c->n + 1) * sizeof(*c->prefix));
	c->prefix[0] = 0;
	for (size_t m = 0; m < c->n; m++) {
		int covered = 0;
		for (size_t s = 0; s < ctx->n_sensors && !covered; s++) {
			const uint8_t *b = ctx->sensors[s].minutes;
			covered = b && ((b[m >> 3] >> (m & 7)) & 1);
		}
		c->prefix[m + 1] = c->prefix[m] + !covered;
	}
}

/* 1 when some minute starting strictly between a and b (a <= b) was covered by no sensor,
 * or lies outside the span. The bitmaps say whether a minute's start was covered, so a
 * gap is seen to within a minute; a gap in coverage is at least the gap threshold long. */
static int spans_gap(const cover_t *c, int64_t a, int64_t b)
{
	int64_t lo = tl_num_floor_div(a - c->start, MINUTE_US) + 1;  /* first start > a */
	int64_t hi = tl_num_floor_div(b - c->start - 1, MINUTE_US); /* last start < b */
	if (lo > hi)
		return 0;
	if (lo < 0 || (uint64_t)hi >= c->n)
		return 1;
	return c->prefix[hi + 1] - c->prefix[lo] > 0;
}

/* Lookups of one source ordered by (name, type, time): consecutive entries with the same
 * name and type are the intervals. */
typedef struct keyed {
	uint32_t name;
	uint16_t qtype;
	uint32_t i; /* position in the source's time-ordered list */
} keyed_t;

static int cmp_keyed(const void *pa, const void *pb)
{
	const keyed_t *a = pa, *b = pb;
	if (a->name != b->name)
		return a->name < b->name ? -1 : 1;
	if (a->qtype != b->qtype)
		return a->qtype < b->qtype ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

int tl_resolver_run(const tl_ctx_t *ctx, const tl_resolver_settings_t *s,
		    tl_resolver_model_t *out)
{
	if (!ctx || !s || !out || !(s->alpha > 0 && s->alpha < 1) || s->tolerance_s <= 0 ||
	    s->tolerance_s > INT64_C(1) << 32 || s->min_lookups < 1)
		return TL_EINVAL;
	if (ctx->ttl_s > INT64_C(1) << 32 || !ctx_ok(ctx))
		return TL_EINVAL;

	tl_resolver_model_t m;
	memset(&m, 0, sizeof(m));
	m.alpha = s->alpha;
	m.ttl_s = ctx->ttl_s > 0 ? ctx->ttl_s : 0;
	m.ttl_method = ctx->ttl_method;
	m.tolerance_s = s->tolerance_s;
	m.min_lookups = s->min_lookups;
	make_bins(m.ttl_s, s->tolerance_s, &m.bins);

	/* Group the unique lookups by source, keeping time order (counting sort). */
	size_t ns = ctx->n_sources;
	size_t *start = tl_xcalloc(ns + 1, sizeof(*start));
	for (size_t i = 0; i < ctx->n_lookups; i++)
		if (ctx->lookups[i].dup_of == TL_NONE32) {
			start[ctx->lookups[i].source + 1]++;
			m.n_lookups++;
		}
	for (size_t i = 0; i < ns; i++)
		start[i + 1] += start[i];
	size_t nu = (size_t)m.n_lookups;
	uint32_t *idx = tl_xmalloc((nu ? nu : 1) * sizeof(*idx));
	uint32_t *tmp = tl_xmalloc((nu ? nu : 1) * sizeof(*tmp));
	double *gaps = tl_xmalloc((nu ? nu : 1) * sizeof(*gaps));
	double *all_gaps = tl_xmalloc((nu ? nu : 1) * sizeof(*all_gaps));
	size_t *fill = tl_xmalloc((ns ? ns : 1) * sizeof(*fill));
	for (size_t i = 0; i < ns; i++)
		fill[i] = start[i];
	for (size_t i = 0; i < ctx->n_lookups; i++)
		if (ctx->lookups[i].dup_of == TL_NONE32)
			idx[fill[ctx->lookups[i].source]++] = (uint32_t)i;

	tl_res_source_t *srcs = tl_xcalloc(ns ? ns : 1, sizeof(*srcs));
	keyed_t *keys = tl_xmalloc((nu ? nu : 1) * sizeof(*keys));
	cover_t cov;
	cover_build(ctx, &cov);
	size_t n_all_gaps = 0, nr = 0;
	tally_t all;
	memset(&all, 0, sizeof(all));
	m.neg_ttl_min_s = UINT32_MAX;
	for (size_t si = 0; si < ns; si++) {
		const uint32_t *li = idx + start[si];
		size_t n = start[si + 1] - start[si];
		if (n == 1)
			m.sources_single++;
		if (n < 2)
			continue;
		tl_res_source_t *r = &srcs[nr++];
		r->source = (uint32_t)si;
		r->addr = ctx->sources[si].addr;
		tl_addr_format(&r->addr, r->addr_text);
		r->org_name = ctx->orgs[ctx->sources[si].org].name;
		r->lookups = n;
		r->first_ts = ctx->lookups[li[0]].ts;
		r->last_ts = ctx->lookups[li[n - 1]].ts;
		for (size_t i = 0; i < n; i++)
			keys[i] = (keyed_t){ctx->lookups[li[i]].name, ctx->lookups[li[i]].qtype,
					    (uint32_t)i};
		qsort(keys, n, sizeof(*keys), cmp_keyed);
		tally_t t;
		memset(&t, 0, sizeof(t));
		size_t ng = 0;
		for (size_t k = 1; k < n; k++) {
			if (keys[k].name != keys[k - 1].name || keys[k].qtype != keys[k - 1].qtype)
				continue;
			const tl_lookup_t *p = &ctx->lookups[li[keys[k - 1].i]];
			const tl_lookup_t *q = &ctx->lookups[li[keys[k].i]];
			int64_t gap = q->ts - p->ts;
			t.intervals++;
			if (spans_gap(&cov, p->ts, q->ts)) {
				t.spans_gap++;
				continue;
			}
			gaps[ng++] = (double)gap / (double)TL_US_PER_SEC;
			all_gaps[n_all_gaps++] = gaps[ng - 1];
			size_t b = bin_of(&m.bins, gap);
			r->hist[b]++;
			m.hist[b]++;
			if (m.ttl_s <= 0)
				continue;
			/* the TTL of the answer the earlier lookup received: the cache entry that
			 * would have answered the later one */
			int64_t ttl;
			if (p->answer == TL_ANS_POSITIVE) {
				ttl = m.ttl_s;
			} else if ((p->answer == TL_ANS_NXDOMAIN || p->answer == TL_ANS_NODATA) &&
				   p->neg_ttl_s != TL_NEG_TTL_UNKNOWN) {
				ttl = p->neg_ttl_s;
				t.negative++;
				if (p->neg_ttl_s < m.neg_ttl_min_s)
					m.neg_ttl_min_s = p->neg_ttl_s;
				if (p->neg_ttl_s > m.neg_ttl_max_s)
					m.neg_ttl_max_s = p->neg_ttl_s;
			} else {
				t.ttl_unknown++;
				continue;
			}
			if (p->answer_src == TL_ANS_SRC_LATEST)
				t.inferred++;
			classify(gap, ttl, s->tolerance_s, t.c);
		}
		if (t.intervals == 0)
			m.sources_no_repeat++;
		iat_of(gaps, ng, &r->iat);
		if (m.ttl_s <= 0)
			memset(&t, 0, sizeof(t));
		tally_add(&all, &t);
		classes_of(&t, s->alpha, &r->classes);
		fingerprint(ctx, li, n, tmp, &r->fp);
		r->checked = n >= s->min_lookups;
	}
	if (all.negative == 0)
		m.neg_ttl_min_s = 0;
	iat_of(all_gaps, n_all_gaps, &m.iat);
	classes_of(&all, s->alpha, &m.classes);
	qsort(srcs, nr, sizeof(*srcs), cmp_source);
	free(keys);
	free(cov.prefix);

	/* Breaks, in the context's (time, input, position) order. */
	size_t *slot = fill; /* reused: ctx source -> index in srcs, or SIZE_MAX */
	for (size_t i = 0; i < ns; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = 0; i < nr; i++)
		if (srcs[i].checked)
			slot[srcs[i].source] = i;
	size_t cap = 16, nb = 0;
	tl_res_break_t *br = tl_xmalloc(cap * sizeof(*br));
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *l = &ctx->lookups[i];
		if (l->dup_of != TL_NONE32 || slot[l->source] == SIZE_MAX)
			continue;
		tl_res_source_t *r = &srcs[slot[l->source]];
		unsigned d = differs(l, &r->fp);
		if (!d)
			continue;
		if (nb == cap) {
			cap *= 2;
			br = tl_xrealloc(br, cap * sizeof(*br));
		}
		tl_res_break_t *b = &br[nb++];
		memset(b, 0, sizeof(*b));
		b->source = slot[l->source];
		b->ts = l->ts;
		b->input = l->input;
		b->label = ctx->inputs[l->input].label;
		b->pos = l->pos;
		b->differs = d;
		b->has_ip_ttl = (l->flags & TL_LK_HAS_IPTTL) != 0;
		b->has_edns = (l->flags & TL_LK_HAS_EDNS) != 0;
		b->ip_ttl = l->ip_ttl;
		if (b->has_ip_ttl && r->fp.ip_ttl.known)
			b->ip_ttl_delta = (int)l->ip_ttl - (int)r->fp.ip_ttl.value;
		b->edns_size = l->edns_size;
		b->do_bit = (l->flags & TL_LK_DO) != 0;
		b->opt_set = l->opt_set;
		b->mixed = (l->flags & TL_LK_MIXED_CASE) != 0;
		r->breaks++;
	}
	m.sources = srcs;
	m.n_sources = nr;
	m.breaks = br;
	m.n_breaks = nb;

	free(start);
	free(idx);
	free(tmp);
	free(gaps);
	free(all_gaps);
	free(fill);
	*out = m;
	return TL_OK;
}

void tl_resolver_model_free(tl_resolver_model_t *m)
{
	if (!m)
		return;
	free(m->sources);
	free(m->breaks);
	memset(m, 0, sizeof(*m));
}
