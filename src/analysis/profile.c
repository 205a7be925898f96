/* profile.c - counts, shares, concentration, calendars and query kinds of the target's
 * de-duplicated lookups. Everything is ordered by content (counts, addresses, names),
 * so the result does not depend on the order sources or organisations were interned. */
#include "analysis/profile.h"
#include "analysis/stats/stats.h"
#include "util/error.h"
#include "util/time.h"
#include "util/tz.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_DAY (INT64_C(86400) * TL_US_PER_SEC)
/* A span longer than this (about 270 years) comes from a bogus timestamp; no daily
 * series is then kept (n_days = 0, every lookup counted in outside_span). */
#define MAX_DAYS 100000

static int64_t day_of(int64_t us)
{
	int64_t q = us / US_PER_DAY;
	if (us % US_PER_DAY < 0)
		q--;
	return q;
}

static void count_deff(uint64_t k, uint64_t n, double deff, double alpha, tl_prof_count_t *c)
{
	tl_interval_t iv;
	c->count = k;
	c->deff = deff;
	c->share = c->lo = c->hi = NAN;
	if (n > 0 && tl_stats_wilson_deff(k, n, deff, alpha, &iv) == TL_OK) {
		c->share = (double)k / (double)n;
		c->lo = iv.lo;
		c->hi = iv.hi;
	}
}

static void count_of(uint64_t k, uint64_t n, double alpha, tl_prof_count_t *c)
{
	count_deff(k, n, 1.0, alpha, c);
}

/* Per member (source or organisation): sum over UTC days d of k_d^2 and of k_d n_d, where
 * k_d are its lookups on day d and n_d all lookups that day; the design effect of its
 * share follows from these and sum n_d^2 (tl_stats_ratio_deff). */
typedef struct day_acc {
	uint64_t *k;       /* per member: lookups on the current day */
	uint32_t *touched; /* members with k > 0 on the current day */
	size_t n_touched;
	double *kk, *kn;   /* per member */
} day_acc_t;

static void acc_init(day_acc_t *a, size_t n)
{
	a->k = tl_xcalloc(n ? n : 1, sizeof(uint64_t));
	a->touched = tl_xmalloc((n ? n : 1) * sizeof(uint32_t));
	a->n_touched = 0;
	a->kk = tl_xcalloc(n ? n : 1, sizeof(double));
	a->kn = tl_xcalloc(n ? n : 1, sizeof(double));
}

static void acc_add(day_acc_t *a, uint32_t member)
{
	if (a->k[member]++ == 0)
		a->touched[a->n_touched++] = member;
}

static void acc_flush(day_acc_t *a, uint64_t n_day)
{
	for (size_t i = 0; i < a->n_touched; i++) {
		uint32_t m = a->touched[i];
		double k = (double)a->k[m];
		a->kk[m] += k * k;
		a->kn[m] += k * (double)n_day;
		a->k[m] = 0;
	}
	a->n_touched = 0;
}

static double acc_deff(const day_acc_t *a, uint32_t member, uint64_t k, uint64_t n,
		       uint64_t days, double nn)
{
	double p = n ? (double)k / (double)n : 0;
	double ssr = a->kk[member] - 2 * p * a->kn[member] + p * p * nn;
	return tl_stats_ratio_deff(k, n, days, ssr < 0 ? 0 : ssr);
}

static void acc_free(day_acc_t *a)
{
	free(a->k);
	free(a->touched);
	free(a->kk);
	free(a->kn);
}

static void no_sighting(tl_prof_sighting_t *s)
{
	s->ts = TL_TIME_NONE;
	s->input = TL_NONE32;
	s->label = NULL;
	s->pos = 0;
}

static void sighting(const tl_ctx_t *ctx, const tl_lookup_t *lk, tl_prof_sighting_t *s)
{
	s->ts = lk->ts;
	s->input = lk->input;
	s->label = ctx->inputs[lk->input].label;
	s->pos = lk->pos;
}

/* Lookups are sorted by (ts, input, pos): the first sighting seen is the first, the
 * latest one seen the last. */
static void see(const tl_ctx_t *ctx, const tl_lookup_t *lk, tl_prof_sighting_t *first,
		tl_prof_sighting_t *last)
{
	if (first->ts == TL_TIME_NONE)
		sighting(ctx, lk, first);
	sighting(ctx, lk, last);
}

static void conc_of(const uint64_t *counts, size_t n, size_t k, tl_prof_conc_t *c)
{
	tl_shares_t sh;
	c->n = n;
	c->entities = n;
	c->k = k;
	c->top_k_share = c->hhi = NAN;
	if (n > 0 && tl_stats_shares(counts, n, &sh) == TL_OK) {
		c->hhi = sh.hhi;
		double t;
		if (tl_stats_top_k_share(counts, n, k, &t) == TL_OK)
			c->top_k_share = t;
	}
}

static int cmp_source(const void *a, const void *b)
{
	const tl_prof_source_t *x = a, *y = b;
	if (x->lookups.count != y->lookups.count)
		return x->lookups.count > y->lookups.count ? -1 : 1;
	if (x->addr.family != y->addr.family)
		return x->addr.family < y->addr.family ? -1 : 1;
	int c = memcmp(x->addr.bytes, y->addr.bytes, sizeof(x->addr.bytes));
	if (c)
		return c;
	return x->source < y->source ? -1 : x->source > y->source;
}

static int cmp_org(const void *a, const void *b)
{
	const tl_prof_org_t *x = a, *y = b;
	if (x->lookups.count != y->lookups.count)
		return x->lookups.count > y->lookups.count ? -1 : 1;
	int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	if (c)
		return c;
	return x->org < y->org ? -1 : x->org > y->org;
}

static int cmp_value(const void *a, const void *b)
{
	const tl_prof_value_t *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Compacts table[0..n) into (value, count) pairs with count > 0, sorted. */
static tl_prof_value_t *values_of(const uint64_t *table, size_t n, size_t *out_n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		m += table[i] > 0;
	tl_prof_value_t *v = tl_xcalloc(m ? m : 1, sizeof(*v));
	m = 0;
	for (size_t i = 0; i < n; i++)
		if (table[i] > 0) {
			v[m].value = (uint32_t)i;
			v[m++].count = table[i];
		}
	qsort(v, m, sizeof(*v), cmp_value);
	*out_n = m;
	return v;
}

/* The catch-all of addresses no source attributes (method "none"). */
static int unattributed(const tl_ctx_t *ctx, uint32_t org)
{
	const char *meth = ctx->orgs[org].method;
	return meth && strcmp(meth, "none") == 0;
}

static int ctx_ok(const tl_ctx_t *ctx)
{
	for (size_t i = 0; i < ctx->n_sources; i++)
		if (ctx->sources[i].org >= ctx->n_orgs)
			return 0;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *lk = &ctx->lookups[i];
		if (lk->source >= ctx->n_sources || lk->input >= ctx->n_inputs)
			return 0;
		if (lk->dup_of != TL_NONE32 && lk->dup_of >= ctx->n_lookups)
			return 0;
		if (i > 0 && lk->ts < ctx->lookups[i - 1].ts)
			return 0; /* not sorted: first/last and active days would be wrong */
	}
	return 1;
}

/* For the local-time tables: unique lookups grouped by their organisation's zone so the
 * C library's zone changes once per group. */
typedef struct zoned {
	const char *zone;
	uint32_t lookup;
} zoned_t;

static int cmp_zoned(const void *a, const void *b)
{
	const zoned_t *x = a, *y = b;
	int c = strcmp(x->zone, y->zone);
	if (c)
		return c;
	return x->lookup < y->lookup ? -1 : x->lookup > y->lookup;
}

static void local_tables(const tl_ctx_t *ctx, tl_prof_org_t *by_org)
{
	size_t n = 0;
	zoned_t *z = tl_xmalloc((ctx->n_lookups ? ctx->n_lookups : 1) * sizeof(*z));
	for (size_t i = 0; i < ctx->n_lookups; i++)
		if (ctx->lookups[i].dup_of == TL_NONE32) {
			z[n].zone = by_org[ctx->sources[ctx->lookups[i].source].org].tz;
			z[n++].lookup = (uint32_t)i;
		}
	qsort(z, n, sizeof(*z), cmp_zoned);
	for (size_t i = 0; i < n; i++) {
		const tl_lookup_t *lk = &ctx->lookups[z[i].lookup];
		tl_prof_org_t *o = &by_org[ctx->sources[lk->source].org];
		if (!o->tz_ok)
			continue;
		tl_civil_t c;
		if (tl_tz_civil(o->tz, lk->ts, &c) != TL_OK) {
			o->tz_ok = 0; /* the zone would not load: no local table for it */
			memset(o->week_local, 0, sizeof(o->week_local));
			continue;
		}
		o->week_local[c.weekday][c.hour]++;
	}
	free(z);
}

int tl_profile_run(const tl_ctx_t *ctx, const tl_profile_settings_t *s, tl_profile_model_t *out)
{
	if (!ctx || !s || !out || !(s->alpha > 0 && s->alpha < 1) || s->top_k < 1)
		return TL_EINVAL;
	if (!ctx_ok(ctx))
		return TL_EINVAL;

	tl_profile_model_t m;
	memset(&m, 0, sizeof(m));
	m.alpha = s->alpha;
	no_sighting(&m.first);
	no_sighting(&m.last);

	/* The daily series covers the UTC days of the span [span_start, span_end]. */
	int64_t last_day = 0;
	if (ctx->span_end > ctx->span_start) {
		m.first_day = day_of(ctx->span_start);
		last_day = day_of(ctx->span_end - 1);
		for (size_t i = 0; i < ctx->n_lookups; i++) {
			int64_t ts = ctx->lookups[i].ts;
			if (ts >= ctx->span_start && ts <= ctx->span_end && day_of(ts) > last_day)
				last_day = day_of(ts); /* a lookup exactly at an end on midnight */
		}
		if (last_day - m.first_day + 1 <= MAX_DAYS)
			m.n_days = (size_t)(last_day - m.first_day + 1);
	}

	tl_prof_source_t *by_src = tl_xcalloc(ctx->n_sources ? ctx->n_sources : 1, sizeof(*by_src));
	tl_prof_org_t *by_org = tl_xcalloc(ctx->n_orgs ? ctx->n_orgs : 1, sizeof(*by_org));
	int64_t *src_day = tl_xmalloc((ctx->n_sources ? ctx->n_sources : 1) * sizeof(*src_day));
	int64_t *org_day = tl_xmalloc((ctx->n_orgs ? ctx->n_orgs : 1) * sizeof(*org_day));
	for (size_t i = 0; i < ctx->n_sources; i++) {
		by_src[i].source = (uint32_t)i;
		by_src[i].addr = ctx->sources[i].addr;
		tl_addr_format(&ctx->sources[i].addr, by_src[i].addr_text);
		by_src[i].org = ctx->sources[i].org;
		by_src[i].org_name = ctx->orgs[ctx->sources[i].org].name;
		no_sighting(&by_src[i].first);
		no_sighting(&by_src[i].last);
		src_day[i] = TL_TIME_NONE;
	}
	for (size_t i = 0; i < ctx->n_orgs; i++) {
		by_org[i].org = (uint32_t)i;
		by_org[i].name = ctx->orgs[i].name;
		by_org[i].tz = ctx->orgs[i].tz ? ctx->orgs[i].tz : "UTC";
		by_org[i].tz_ok = tl_tz_valid(by_org[i].tz);
		by_org[i].daily = tl_xcalloc(m.n_days ? m.n_days : 1, sizeof(uint64_t));
		no_sighting(&by_org[i].first);
		no_sighting(&by_org[i].last);
		org_day[i] = TL_TIME_NONE;
	}

	uint64_t *qtypes = tl_xcalloc(65536, sizeof(uint64_t));
	uint64_t *sizes = tl_xcalloc(65536, sizeof(uint64_t));
	uint64_t rd = 0, edns_known = 0, edns_present = 0, do_set = 0, mixed = 0;
	int64_t all_day = TL_TIME_NONE;
	day_acc_t acc_src, acc_org;
	acc_init(&acc_src, ctx->n_sources);
	acc_init(&acc_org, ctx->n_orgs);
	uint64_t n_day = 0;
	double nn = 0; /* sum over days of n_d^2 */
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *lk = &ctx->lookups[i];
		if (lk->dup_of != TL_NONE32) {
			m.n_duplicates++;
			continue;
		}
		if (all_day != TL_TIME_NONE && day_of(lk->ts) != all_day) {
			acc_flush(&acc_src, n_day);
			acc_flush(&acc_org, n_day);
			nn += (double)n_day * (double)n_day;
			n_day = 0;
		}
		n_day++;
		acc_add(&acc_src, lk->source);
		acc_add(&acc_org, ctx->sources[lk->source].org);
		m.n_lookups++;
		tl_prof_source_t *sr = &by_src[lk->source];
		tl_prof_org_t *o = &by_org[sr->org];
		sr->lookups.count++;
		o->lookups.count++;
		see(ctx, lk, &m.first, &m.last);
		see(ctx, lk, &sr->first, &sr->last);
		see(ctx, lk, &o->first, &o->last);

		int64_t day = day_of(lk->ts);
		if (day != all_day) {
			all_day = day;
			m.active_days++;
		}
		if (day != src_day[lk->source]) {
			src_day[lk->source] = day;
			sr->active_days++;
		}
		if (day != org_day[sr->org]) {
			org_day[sr->org] = day;
			o->active_days++;
		}
		if (m.n_days > 0 && lk->ts >= ctx->span_start && lk->ts <= ctx->span_end &&
		    day >= m.first_day && day < m.first_day + (int64_t)m.n_days)
			o->daily[day - m.first_day]++;
		else
			m.outside_span++;

		tl_civil_t c;
		tl_tz_civil_utc(lk->ts, &c);
		o->hourly[c.hour]++;
		o->week_utc[c.weekday][c.hour]++;

		qtypes[lk->qtype]++;
		m.queries.transport[lk->transport <= TL_TRANSPORT_TCP ? lk->transport
								       : TL_TRANSPORT_UNKNOWN]++;
		rd += (lk->flags & TL_LK_RD) != 0;
		mixed += (lk->flags & TL_LK_MIXED_CASE) != 0;
		if (lk->flags & TL_LK_HAS_EDNS) {
			edns_known++;
			if (lk->edns_size > 0) {
				edns_present++;
				sizes[lk->edns_size]++;
				do_set += (lk->flags & TL_LK_DO) != 0;
			}
		}
	}
	acc_flush(&acc_src, n_day);
	acc_flush(&acc_org, n_day);
	nn += (double)n_day * (double)n_day;
	m.clusters = m.active_days;
	local_tables(ctx, by_org);

	/* Shares, interval and the members with lookups, in content order. */
	size_t ns = 0, no = 0;
	for (size_t i = 0; i < ctx->n_sources; i++)
		if (by_src[i].lookups.count > 0) {
			uint64_t k = by_src[i].lookups.count;
			count_deff(k, m.n_lookups,
				   acc_deff(&acc_src, (uint32_t)i, k, m.n_lookups, m.clusters, nn),
				   s->alpha, &by_src[i].lookups);
			by_org[by_src[i].org].n_sources++;
			by_src[ns++] = by_src[i];
		}
	for (size_t i = 0; i < ctx->n_orgs; i++) {
		if (by_org[i].lookups.count > 0) {
			uint64_t k = by_org[i].lookups.count;
			count_deff(k, m.n_lookups,
				   acc_deff(&acc_org, (uint32_t)i, k, m.n_lookups, m.clusters, nn),
				   s->alpha, &by_org[i].lookups);
			by_org[no++] = by_org[i];
		} else {
			free(by_org[i].daily);
		}
	}
	qsort(by_src, ns, sizeof(*by_src), cmp_source);
	qsort(by_org, no, sizeof(*by_org), cmp_org);
	m.sources = by_src;
	m.n_sources = ns;
	m.orgs = by_org;
	m.n_orgs = no;

	uint64_t *counts = tl_xmalloc((ns + no) * sizeof(uint64_t) + sizeof(uint64_t));
	for (size_t i = 0; i < ns; i++)
		counts[i] = by_src[i].lookups.count;
	conc_of(counts, ns, s->top_k, &m.source_conc);
	/* organisations as entities: an attributed one is one entity, each unattributed
	 * source is one of its own (pooled, many unrelated resolvers would look like one
	 * dominant organisation) */
	size_t ne = 0;
	for (size_t i = 0; i < no; i++)
		if (!unattributed(ctx, by_org[i].org))
			counts[ne++] = by_org[i].lookups.count;
	for (size_t i = 0; i < ns; i++)
		if (unattributed(ctx, by_src[i].org))
			counts[ne++] = by_src[i].lookups.count;
	conc_of(counts, ne, s->top_k, &m.org_conc);
	m.org_conc.n = no;
	free(counts);
	acc_free(&acc_src);
	acc_free(&acc_org);

	tl_prof_queries_t *q = &m.queries;
	q->qtypes = values_of(qtypes, 65536, &q->n_qtypes);
	q->edns_sizes = values_of(sizes, 65536, &q->n_edns_sizes);
	count_of(rd, m.n_lookups, s->alpha, &q->rd);
	q->edns_unknown = m.n_lookups - edns_known;
	count_of(edns_present, edns_known, s->alpha, &q->edns_present);
	q->edns_absent = edns_known - edns_present;
	count_of(do_set, edns_present, s->alpha, &q->do_bit);
	count_of(mixed, m.n_lookups, s->alpha, &q->mixed_case);

	free(qtypes);
	free(sizes);
	free(src_day);
	free(org_day);
	*out = m;
	return TL_OK;
}

void tl_profile_model_free(tl_profile_model_t *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_orgs; i++)
		free(m->orgs[i].daily);
	free(m->orgs);
	free(m->sources);
	free(m->queries.qtypes);
	free(m->queries.edns_sizes);
	memset(m, 0, sizeof(*m));
}
