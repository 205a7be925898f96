/* correlate.c - lookups around events: rate ratios standardised by hour of week (UTC) with
 * exact one-sided (rise) p-values and two-sided ones as a secondary, corrections, a
 * permutation test shifting each event by its own whole number of weeks, and exploratory
 * bursts (method: docs/findings/correlate.md). */
#include "analysis/correlate.h"
#include "analysis/rng.h"
#include "analysis/stats.h"
#include "util/error.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_US INT64_C(60000000)
#define HOUR_US INT64_C(3600000000)
#define DAY_US INT64_C(86400000000)
#define WEEK_US (7 * DAY_US)

/* Overall coverage: a minute has data when any sensor has data in it. prefix[m] is the
 * number of covered minutes in [span_start, span_start + m minutes). */
typedef struct cover {
	int64_t start, end; /* end = start + n minutes */
	size_t n;
	uint8_t *bits;      /* union of the sensors' bitmaps */
	uint64_t *prefix;   /* n + 1 entries */
} cover_t;

/* A half-open time interval [a, b). */
typedef struct ival {
	int64_t a, b;
} ival_t;

static int bit_get(const uint8_t *bits, size_t m)
{
	return (bits[m >> 3] >> (m & 7)) & 1;
}

static void cover_build(const tl_ctx_t *ctx, cover_t *c)
{
	memset(c, 0, sizeof(*c));
	c->start = ctx->span_start;
	/* An empty context may carry TL_TIME_NONE (INT64_MIN) as its span. */
	if (ctx->span_start != INT64_MIN && ctx->span_end > ctx->span_start)
		c->n = (size_t)((ctx->span_end - ctx->span_start) / MIN_US);
	c->end = c->start + (int64_t)c->n * MIN_US;
	size_t nbytes = (c->n + 7) / 8;
	c->bits = tl_xcalloc(nbytes ? nbytes : 1, 1);
	for (size_t s = 0; s < ctx->n_sensors; s++) {
		const uint8_t *b = ctx->sensors[s].minutes;
		if (b == NULL)
			continue;
		for (size_t i = 0; i < nbytes; i++)
			c->bits[i] |= b[i];
	}
	/* Bits past the last minute of the span do not exist; clear them in case a sensor's
	 * bitmap set them. */
	if (c->n & 7)
		c->bits[nbytes - 1] &= (uint8_t)((1u << (c->n & 7)) - 1);
	c->prefix = tl_xmalloc((c->n + 1) * sizeof(*c->prefix));
	c->prefix[0] = 0;
	for (size_t m = 0; m < c->n; m++)
		c->prefix[m + 1] = c->prefix[m] + (uint64_t)bit_get(c->bits, m);
}

static void cover_free(cover_t *c)
{
	free(c->bits);
	free(c->prefix);
}

/* Covered microseconds in [start, t): whole covered minutes, plus the part of t's own
 * minute before t when that minute is covered. So windows need not be minute-aligned. */
static int64_t cover_upto(const cover_t *c, int64_t t)
{
	if (t <= c->start)
		return 0;
	if (t >= c->end)
		return (int64_t)c->prefix[c->n] * MIN_US;
	int64_t off = t - c->start;
	size_t m = (size_t)(off / MIN_US);
	int64_t r = off % MIN_US;
	return (int64_t)c->prefix[m] * MIN_US + (bit_get(c->bits, m) ? r : 0);
}

static int64_t cover_us(const cover_t *c, int64_t a, int64_t b)
{
	if (b <= a)
		return 0;
	return cover_upto(c, b) - cover_upto(c, a);
}

/* Number of ts[i] (ascending) in [a, b). */
static size_t lower_bound(const int64_t *ts, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t count_in(const int64_t *ts, size_t n, int64_t a, int64_t b)
{
	if (b <= a)
		return 0;
	return (uint64_t)(lower_bound(ts, n, b) - lower_bound(ts, n, a));
}

static int ival_cmp(const void *x, const void *y)
{
	const ival_t *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return 0;
}

/* Sorts and merges v[0..n) in place into disjoint intervals; returns their number. Empty
 * intervals are dropped. */
static size_t ival_union(ival_t *v, size_t n)
{
	size_t k = 0;
	qsort(v, n, sizeof(*v), ival_cmp);
	for (size_t i = 0; i < n; i++) {
		if (v[i].b <= v[i].a)
			continue;
		if (k > 0 && v[i].a <= v[k - 1].b) {
			if (v[i].b > v[k - 1].b)
				v[k - 1].b = v[i].b;
		} else {
			v[k++] = v[i];
		}
	}
	return k;
}

static int64_t union_cover(const cover_t *c, const ival_t *u, size_t n)
{
	int64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += cover_us(c, u[i].a, u[i].b);
	return s;
}

static uint64_t union_count(const int64_t *ts, size_t nts, const ival_t *u, size_t n)
{
	uint64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += count_in(ts, nts, u[i].a, u[i].b);
	return s;
}

static double us_to_min(int64_t us)
{
	return (double)us / (double)MIN_US;
}

static double per_hour(uint64_t k, int64_t cov)
{
	if (cov <= 0)
		return NAN;
	return (double)k / ((double)cov / (double)HOUR_US);
}

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b) != 0 && a < 0)
		q--;
	return q;
}

/* ---- indirect standardisation by hour of week (UTC) ---- */

/* Stratum of the UTC hour with index hr (whole hours since the epoch): 24 x weekday + hour,
 * Monday 0. 1970-01-01 was a Thursday, so hour 0 lies in stratum 3 x 24 = 72. */
static size_t stratum_of_hour(int64_t hr)
{
	int64_t h = (hr + 72) % TL_CORRELATE_STRATA;
	return (size_t)(h < 0 ? h + TL_CORRELATE_STRATA : h);
}

/* Adds the covered microseconds of [a, b) to cov[stratum], splitting at whole UTC hours
 * (time outside the coverage grid has none). */
static void strata_cover(const cover_t *c, int64_t a, int64_t b, int64_t *cov)
{
	if (a < c->start)
		a = c->start;
	if (b > c->end)
		b = c->end;
	while (a < b) {
		int64_t hr = floor_div(a, HOUR_US);
		int64_t e = (hr + 1) * HOUR_US;
		if (e > b)
			e = b;
		cov[stratum_of_hour(hr)] += cover_us(c, a, e);
		a = e;
	}
}

/* Adds the lookups ts[i] (ascending) in [a, b) to k[stratum]. */
static void strata_count(const int64_t *ts, size_t n, int64_t a, int64_t b, uint64_t *k)
{
	if (b <= a)
		return;
	for (size_t i = lower_bound(ts, n, a); i < n && ts[i] < b; i++)
		k[stratum_of_hour(floor_div(ts[i], HOUR_US))]++;
}

/* A family's baseline by stratum: lookups (k) and covered microseconds (cov) outside every
 * window, and the overall lookups and covered time (the fallback rate). */
typedef struct strata {
	uint64_t k[TL_CORRELATE_STRATA];
	const int64_t *cov;
	uint64_t k_all;
	int64_t cov_all;
} strata_t;

/* Fills one test from the window's covered time by stratum (w, microseconds) and the
 * family's baseline: E = sum_h r_h w_h with r_h = k_h / cov_h, or the overall rate
 * k_all / cov_all when cov_h = 0; then SRR = O / E with the Garwood interval and the
 * Poisson(E) tails. E is summed in stratum order, so the result does not depend on
 * anything but the data. */
static void make_test(tl_correlate_test_t *t, uint64_t o, const int64_t *w, const strata_t *b)
{
	t->observed = o;
	t->expected = NAN;
	t->rr = t->rr_lo = t->rr_hi = NAN;
	t->p = t->p_two_sided = t->p_holm = t->p_bh = NAN;
	t->expected_rse = NAN;
	t->baseline_lookups = 0;
	t->fallback_strata = 0;
	t->fallback_minutes = 0;
	t->significant = 0;
	int64_t cov_win = 0;
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++)
		cov_win += w[h];
	if (cov_win <= 0) {
		t->status = TL_CORRELATE_NO_COVERAGE;
		return;
	}
	if (b->cov_all <= 0) {
		t->status = TL_CORRELATE_NO_BASELINE;
		return;
	}
	/* Var(E) by the delta method with the k_h as independent Poisson counts:
	 * sum_h (w_h / cov_h)^2 k_h (the fallback strata share the overall count, whose
	 * covariance with the other strata is ignored). */
	double e = 0, var = 0;
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		if (w[h] == 0)
			continue;
		double f, k;
		if (b->cov[h] > 0) {
			f = (double)w[h] / (double)b->cov[h];
			k = (double)b->k[h];
			t->baseline_lookups += b->k[h];
		} else {
			f = (double)w[h] / (double)b->cov_all;
			k = (double)b->k_all;
			t->fallback_strata++;
			t->fallback_minutes += us_to_min(w[h]);
		}
		e += k * f;
		var += k * f * f;
	}
	t->expected = e;
	tl_smr_t r;
	if (!(e > 0) || tl_stats_smr(o, e, 1.0 - TL_CORRELATE_CI_LEVEL, &r) != TL_OK) {
		/* The baseline holds no lookup at the window's hours of the week: there is
		 * nothing to compare with (a rate estimated as 0 is not known to be 0). */
		t->status = TL_CORRELATE_NO_BASELINE;
		return;
	}
	t->status = TL_CORRELATE_TESTABLE;
	t->expected_rse = sqrt(var) / e;
	t->rr = r.ratio.est;
	t->rr_lo = r.ratio.lo;
	t->rr_hi = r.ratio.hi;
	t->p = r.p_greater;
	t->p_two_sided = r.p_two_sided;
}

/* Holm and BH across the testable tests of one family; flags the primary's decisions. */
static size_t correct_family(tl_correlate_test_t *t, size_t n, const tl_correlate_settings_t *s)
{
	double *p = tl_xmalloc((n ? n : 1) * sizeof(*p));
	double *holm = tl_xmalloc((n ? n : 1) * sizeof(*p));
	double *bh = tl_xmalloc((n ? n : 1) * sizeof(*p));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i].status == TL_CORRELATE_TESTABLE)
			p[m++] = t[i].p;
	if (tl_stats_holm(p, m, holm) != TL_OK || tl_stats_bh(p, m, bh) != TL_OK)
		m = 0; /* unreachable: p-values from tl_stats_smr lie in [0, 1] */
	size_t j = 0;
	for (size_t i = 0; i < n && j < m; i++) {
		if (t[i].status != TL_CORRELATE_TESTABLE)
			continue;
		t[i].p_holm = holm[j];
		t[i].p_bh = bh[j];
		double prim = s->correction == TL_CORRELATE_BH ? bh[j] : holm[j];
		t[i].significant = prim < s->alpha;
		j++;
	}
	free(p);
	free(holm);
	free(bh);
	return m;
}

static void baseline_fill(tl_correlate_baseline_t *b, uint32_t org, const strata_t *st)
{
	b->org = org;
	b->lookups = st->k_all;
	b->covered_minutes = us_to_min(st->cov_all);
	b->rate_per_hour = per_hour(st->k_all, st->cov_all);
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		b->stratum_lookups[h] = st->k[h];
		b->stratum_minutes[h] = us_to_min(st->cov[h]);
	}
}

/* The baseline by stratum of the lookups ts[0..n): all of them, less those inside the
 * union u[0..nu) of the windows. */
static void strata_fill(strata_t *st, const int64_t *ts, size_t n, const ival_t *u, size_t nu,
			const int64_t *cov, int64_t cov_all)
{
	uint64_t in[TL_CORRELATE_STRATA] = {0};
	memset(st->k, 0, sizeof(st->k));
	for (size_t i = 0; i < n; i++)
		st->k[stratum_of_hour(floor_div(ts[i], HOUR_US))]++;
	for (size_t i = 0; i < nu; i++)
		strata_count(ts, n, u[i].a, u[i].b, in);
	st->k_all = 0;
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		st->k[h] -= in[h];
		st->k_all += st->k[h];
	}
	st->cov = cov;
	st->cov_all = cov_all;
}

static int dbl_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b ? 1 : 0;
}

static void perm_summary(tl_correlate_perm_t *pm, double *null, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += null[i];
	pm->null_mean = sum / (double)n;
	qsort(null, n, sizeof(*null), dbl_cmp);
	pm->null_min = null[0];
	pm->null_max = null[n - 1];
	pm->null_q025 = tl_stats_quantile_sorted(null, n, 0.025);
	pm->null_q975 = tl_stats_quantile_sorted(null, n, 0.975);
	double w = pm->null_max - pm->null_min;
	for (size_t i = 0; i < n; i++) {
		size_t bin = 0;
		if (w > 0) {
			double f = (null[i] - pm->null_min) / w * TL_CORRELATE_HIST_BINS;
			bin = f >= TL_CORRELATE_HIST_BINS ? TL_CORRELATE_HIST_BINS - 1 : (size_t)f;
		}
		pm->hist[bin]++;
	}
}

/* The permutation statistic, lookups per covered hour, as k x 3600e6 / cov: the product is
 * exact below 2.5 million lookups, so the one division is correctly rounded and two
 * arrangements with the same true ratio (e.g. 2/4 h and 1/2 h) give the same double; ties
 * with the observed value then count as >= without any tolerance. */
static double stat_rate(uint64_t k, int64_t cov)
{
	return (double)k * (double)HOUR_US / (double)cov;
}

/* One used event of the permutation test: its window clipped to the cycle, as an offset
 * from the cycle's start and a length (microseconds; 0 <= off < cycle, 0 < len <= cycle). */
typedef struct pwin {
	int64_t off, len;
} pwin_t;

typedef struct parr {
	const cover_t *c;
	const int64_t *ts;
	size_t nts;
	int64_t c0, cyc;  /* cycle start and length */
	const pwin_t *w;
	size_t nw;
	ival_t *piece;    /* room for 2 nw pieces */
} parr_t;

/* Lookups (*k) and covered microseconds (*cov) inside the union of the windows, window i
 * shifted by wk[i] weeks modulo the cycle; a window running past the cycle's end is split
 * and its rest starts at the cycle's start. Overlapping windows count their common time
 * and lookups once. Returns whether the union has covered time (a statistic exists). */
static int arrangement(const parr_t *x, const uint64_t *wk, uint64_t *k, int64_t *cov)
{
	size_t np = 0;
	for (size_t i = 0; i < x->nw; i++) {
		/* off < cyc and wk < weeks, so the sum stays below 2 cyc: no overflow. */
		int64_t a = (x->w[i].off + (int64_t)wk[i] * WEEK_US) % x->cyc;
		int64_t b = a + x->w[i].len;
		if (b <= x->cyc) {
			x->piece[np++] = (ival_t){x->c0 + a, x->c0 + b};
		} else {
			x->piece[np++] = (ival_t){x->c0 + a, x->c0 + x->cyc};
			x->piece[np++] = (ival_t){x->c0, x->c0 + (b - x->cyc)};
		}
	}
	np = ival_union(x->piece, np);
	*cov = union_cover(x->c, x->piece, np);
	*k = union_count(x->ts, x->nts, x->piece, np);
	return *cov > 0;
}

/* Adds one arrangement to the null; returns 0 when it has no statistic. */
static int null_add(const parr_t *x, const uint64_t *wk, tl_correlate_perm_t *pm, double *null)
{
	uint64_t k;
	int64_t cov;
	if (!arrangement(x, wk, &k, &cov)) {
		pm->n_undefined++;
		return 0;
	}
	double v = stat_rate(k, cov);
	null[pm->n++] = v;
	pm->n_ge += v >= pm->in_rate;
	return 1;
}

/* Each event shifted independently by a uniform whole number of weeks, cyclically within
 * the span trimmed to whole weeks (keeps every event's weekday and time of day, breaks
 * any link between events and lookups). Exact enumeration of all weeks^n arrangements
 * when there are fewer than TL_CORRELATE_EXACT_BELOW; else s->permutations draws. */
static void permutation(const cover_t *c, const int64_t *ts, size_t nts,
			tl_correlate_model_t *m, const tl_correlate_settings_t *s)
{
	tl_correlate_perm_t *pm = &m->perm;
	memset(pm, 0, sizeof(*pm));
	pm->seed = s->seed;
	pm->null_mean = pm->null_q025 = pm->null_q975 = pm->null_min = pm->null_max = NAN;
	pm->in_rate = pm->out_rate = pm->p = pm->p_min = pm->log10_arrangements = NAN;
	pm->cycle_start = pm->cycle_end = TL_TIME_NONE;
	pm->span_end = c->n ? c->end : TL_TIME_NONE;
	pm->weeks = c->n ? (uint64_t)((c->end - c->start) / WEEK_US) : 0;
	for (size_t i = 0; i < m->n_events; i++) {
		m->events[i].perm_start = m->events[i].perm_end = TL_TIME_NONE;
		m->events[i].perm_status = TL_CORRELATE_PERM_NO_CYCLE;
	}
	if (pm->weeks == 0) {
		pm->reason = TL_CORRELATE_PERM_SHORT_SPAN;
		pm->n_excluded = (uint32_t)m->n_events;
		return;
	}
	int64_t cyc = (int64_t)pm->weeks * WEEK_US;
	pm->cycle_start = c->start;
	pm->cycle_end = c->start + cyc;

	pwin_t *w = tl_xmalloc((m->n_events ? m->n_events : 1) * sizeof(*w));
	size_t nw = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		tl_correlate_event_t *e = &m->events[i];
		int64_t a = e->win_start > pm->cycle_start ? e->win_start : pm->cycle_start;
		int64_t b = e->win_end < pm->cycle_end ? e->win_end : pm->cycle_end;
		if (e->win_end <= e->win_start) {
			e->perm_status = TL_CORRELATE_PERM_EMPTY;
		} else if (b > a) {
			e->in_permutation = 1;
			e->perm_status = a == e->win_start && b == e->win_end
						 ? TL_CORRELATE_PERM_WHOLE : TL_CORRELATE_PERM_CLIPPED;
			e->perm_start = a;
			e->perm_end = b;
			pm->n_clipped += e->perm_status == TL_CORRELATE_PERM_CLIPPED;
			w[nw].off = a - pm->cycle_start;
			w[nw].len = b - a;
			nw++;
			continue;
		} else if (e->win_end <= c->start || e->win_start >= c->end) {
			e->perm_status = TL_CORRELATE_PERM_OUTSIDE_SPAN;
		} else {
			e->perm_status = TL_CORRELATE_PERM_OUTSIDE_CYCLE;
		}
		pm->n_excluded++;
	}
	pm->n_events = (uint32_t)nw;
	if (nw == 0) {
		pm->reason = TL_CORRELATE_PERM_NO_EVENT;
		free(w);
		return;
	}

	parr_t x = {c, ts, nts, pm->cycle_start, cyc, w, nw, NULL};
	x.piece = tl_xmalloc(2 * nw * sizeof(*x.piece));
	uint64_t *wk = tl_xcalloc(nw, sizeof(*wk)); /* all 0: the observed arrangement */
	uint64_t k0;
	int64_t cov0;
	if (!arrangement(&x, wk, &k0, &cov0)) {
		pm->reason = TL_CORRELATE_PERM_NO_COVERED;
		goto out;
	}
	pm->in_lookups = k0;
	pm->in_minutes = us_to_min(cov0);
	pm->in_rate = stat_rate(k0, cov0);
	pm->out_rate = per_hour(count_in(ts, nts, pm->cycle_start, pm->cycle_end) - k0,
				cover_us(c, pm->cycle_start, pm->cycle_end) - cov0);

	/* weeks ^ nw, saturating to 0 ("more than fits") on overflow. */
	pm->log10_arrangements = (double)nw * log10((double)pm->weeks);
	pm->arrangements = 1;
	for (size_t i = 0; i < nw && pm->arrangements; i++)
		pm->arrangements = pm->arrangements > UINT64_MAX / pm->weeks
					   ? 0 : pm->arrangements * pm->weeks;
	pm->exact = pm->arrangements != 0 && pm->arrangements < TL_CORRELATE_EXACT_BELOW;

	double *null;
	if (pm->exact) {
		/* Every arrangement once, the observed one (all 0) first; odometer order. */
		null = tl_xmalloc((size_t)pm->arrangements * sizeof(*null));
		for (;;) {
			null_add(&x, wk, pm, null);
			size_t i = 0;
			while (i < nw && ++wk[i] == pm->weeks)
				wk[i++] = 0;
			if (i == nw)
				break;
		}
		/* The observed arrangement is among them, so n >= 1 and n_ge >= 1. */
		pm->p = (double)pm->n_ge / (double)pm->n;
		pm->p_min = 1.0 / (double)pm->n;
	} else if (s->permutations == 0) {
		pm->reason = TL_CORRELATE_PERM_NO_DRAWS;
		goto out;
	} else {
		/* Draw i: weeks for the used events in case-file order, one tl_rng_below each. */
		tl_rng_t r;
		tl_rng_seed(&r, s->seed);
		null = tl_xmalloc((size_t)s->permutations * sizeof(*null));
		for (uint64_t d = 0; d < s->permutations; d++) {
			for (size_t i = 0; i < nw; i++)
				wk[i] = tl_rng_below(&r, pm->weeks);
			null_add(&x, wk, pm, null);
		}
		pm->p = tl_stats_perm_p(pm->n_ge, pm->n);
		pm->p_min = tl_stats_perm_p(0, pm->n);
	}
	if (pm->n > 0)
		perm_summary(pm, null, (size_t)pm->n);
	free(null);
	pm->done = 1;
out:
	free(wk);
	free(x.piece);
	free(w);
}

/* Daily series over UTC days; days with coverage below the threshold are left out (not
 * counted as zero). Bursts: modified z above TL_CORRELATE_BURST_Z. */
static void bursts(const cover_t *c, const int64_t *ts, size_t nts, tl_correlate_model_t *m)
{
	tl_correlate_bursts_t *bs = &m->bursts;
	memset(bs, 0, sizeof(*bs));
	bs->median = bs->mad = bs->meanad = NAN;
	bs->scale = TL_STATS_SCALE_NONE;
	if (c->n == 0)
		return;
	int64_t d0 = floor_div(c->start, DAY_US);
	int64_t d1 = floor_div(c->end - 1, DAY_US);
	size_t nd = (size_t)(d1 - d0 + 1);
	bs->days_total = nd;
	double *x = tl_xmalloc(nd * sizeof(*x));
	int64_t *day = tl_xmalloc(nd * sizeof(*day));
	uint64_t *cnt = tl_xmalloc(nd * sizeof(*cnt));
	double *cv = tl_xmalloc(nd * sizeof(*cv));
	size_t nu = 0;
	for (size_t i = 0; i < nd; i++) {
		int64_t a = (d0 + (int64_t)i) * DAY_US;
		double f = (double)cover_us(c, a, a + DAY_US) / (double)DAY_US;
		if (f < TL_CORRELATE_DAY_MIN_COVER)
			continue;
		day[nu] = a;
		cnt[nu] = count_in(ts, nts, a, a + DAY_US);
		cv[nu] = f;
		x[nu] = (double)cnt[nu];
		nu++;
	}
	bs->days_used = nu;
	tl_robust_t info;
	double *z = tl_xmalloc((nu ? nu : 1) * sizeof(*z));
	if (nu > 0 && tl_stats_robust_z(x, nu, z, &info) == TL_OK) {
		bs->median = info.median;
		bs->mad = info.mad;
		bs->meanad = info.meanad;
		bs->scale = info.scale;
		bs->items = tl_xcalloc(nu, sizeof(*bs->items));
		for (size_t i = 0; i < nu; i++) {
			if (!(z[i] > TL_CORRELATE_BURST_Z))
				continue;
			tl_correlate_burst_t *b = &bs->items[bs->n++];
			b->day = day[i];
			b->count = cnt[i];
			b->coverage = cv[i];
			b->z = z[i];
			b->nearest = UINT32_MAX;
			int64_t best = INT64_MAX;
			for (size_t e = 0; e < m->n_events; e++) {
				const tl_correlate_event_t *ev = &m->events[e];
				int64_t dist = floor_div(day[i], DAY_US) - floor_div(ev->start, DAY_US);
				int64_t ad = dist < 0 ? -dist : dist;
				/* Ties: the earlier event start, then input order. */
				if (ad < best || (ad == best && ev->start < m->events[b->nearest].start)) {
					best = ad;
					b->nearest = (uint32_t)e;
					b->distance_days = dist;
					b->inside_window = ev->win_start < day[i] + DAY_US &&
							   ev->win_end > day[i];
				}
			}
		}
	}
	free(z);
	free(x);
	free(day);
	free(cnt);
	free(cv);
}

void tl_correlate_model_free(tl_correlate_model_t *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_events; i++) {
		free(m->events[i].label);
		free(m->events[i].category);
	}
	free(m->events);
	free(m->tests);
	for (size_t i = 0; i < m->n_orgs; i++)
		free(m->orgs[i].name);
	free(m->orgs);
	free(m->org_tests);
	free(m->bursts.items);
	memset(m, 0, sizeof(*m));
}

typedef struct orgcount {
	uint32_t org;
	uint64_t n;
} orgcount_t;

static int orgcount_cmp(const void *x, const void *y)
{
	const orgcount_t *a = x, *b = y;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->org < b->org ? -1 : a->org > b->org;
}

int tl_correlate_run(const tl_ctx_t *ctx, const tl_event_t *events, size_t n_events,
		     const tl_correlate_settings_t *s, tl_correlate_model_t *out)
{
	if (out == NULL)
		return TL_EINVAL;
	memset(out, 0, sizeof(*out));
	if (ctx == NULL || s == NULL || (events == NULL && n_events > 0) ||
	    !(s->alpha > 0 && s->alpha < 1) ||
	    (s->correction != TL_CORRELATE_HOLM && s->correction != TL_CORRELATE_BH))
		return TL_EINVAL;
	for (size_t i = 0; i < n_events; i++)
		if (events[i].win_end < events[i].win_start)
			return TL_EINVAL;

	tl_correlate_model_t *m = out;
	m->settings = *s;
	m->ci_level = TL_CORRELATE_CI_LEVEL;
	cover_t c;
	cover_build(ctx, &c);
	int64_t total_cov = (int64_t)c.prefix[c.n] * MIN_US;
	m->covered_minutes = us_to_min(total_cov);

	/* The de-duplicated lookups, ascending (ctx->lookups is sorted by time). */
	int64_t *ts = tl_xmalloc((ctx->n_lookups ? ctx->n_lookups : 1) * sizeof(*ts));
	uint32_t *org_of = tl_xmalloc((ctx->n_lookups ? ctx->n_lookups : 1) * sizeof(*org_of));
	size_t nts = 0;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *lk = &ctx->lookups[i];
		if (lk->dup_of != TL_NONE32)
			continue;
		ts[nts] = lk->ts;
		org_of[nts] = lk->source < ctx->n_sources ? ctx->sources[lk->source].org
							  : TL_NONE32;
		nts++;
	}
	m->lookups = nts;

	/* Events, and the union of all windows (the baseline is what lies outside it). */
	m->n_events = n_events;
	m->events = tl_xcalloc(n_events ? n_events : 1, sizeof(*m->events));
	ival_t *u = tl_xmalloc((n_events ? n_events : 1) * sizeof(*u));
	for (size_t i = 0; i < n_events; i++) {
		const tl_event_t *ev = &events[i];
		tl_correlate_event_t *e = &m->events[i];
		e->label = tl_xstrdup(ev->label ? ev->label : "");
		e->category = tl_xstrdup(ev->category ? ev->category : "");
		e->line = ev->line > 0 ? (uint32_t)ev->line : 0;
		e->point = ev->point != 0;
		e->start = ev->start;
		e->end = ev->end;
		e->win_start = ev->win_start;
		e->win_end = ev->win_end;
		e->covered_minutes = us_to_min(cover_us(&c, ev->win_start, ev->win_end));
		u[i].a = ev->win_start;
		u[i].b = ev->win_end;
	}
	size_t nu = ival_union(u, n_events);
	int64_t cov_base = total_cov - union_cover(&c, u, nu);

	/* Covered time outside every window by hour-of-week stratum: all of it, less the
	 * windows' union (integer microseconds, so the difference is exact). */
	int64_t base_cov[TL_CORRELATE_STRATA] = {0}, in_cov[TL_CORRELATE_STRATA] = {0};
	strata_cover(&c, c.start, c.end, base_cov);
	for (size_t i = 0; i < nu; i++)
		strata_cover(&c, u[i].a, u[i].b, in_cov);
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		base_cov[h] -= in_cov[h];
		m->strata_fallback += base_cov[h] <= 0;
	}
	/* Each window's covered time by stratum, shared by both families. */
	int64_t(*wcov)[TL_CORRELATE_STRATA] =
		tl_xcalloc(n_events ? n_events : 1, sizeof(*wcov));
	for (size_t i = 0; i < n_events; i++)
		strata_cover(&c, events[i].win_start, events[i].win_end, wcov[i]);

	strata_t st;
	strata_fill(&st, ts, nts, u, nu, base_cov, cov_base);
	baseline_fill(&m->baseline, UINT32_MAX, &st);

	/* Primary family: all lookups, one test per event. */
	m->tests = tl_xcalloc(n_events ? n_events : 1, sizeof(*m->tests));
	for (size_t i = 0; i < n_events; i++) {
		tl_correlate_test_t *t = &m->tests[i];
		t->event = (uint32_t)i;
		t->org = UINT32_MAX;
		make_test(t, count_in(ts, nts, events[i].win_start, events[i].win_end), wcov[i],
			  &st);
	}
	m->n_testable = correct_family(m->tests, n_events, s);

	/* Secondary family: organisations with a share >= 5 %, each against its own
	 * baseline by stratum (same covered time, its own lookups), corrected together. */
	orgcount_t *oc = tl_xcalloc(ctx->n_orgs ? ctx->n_orgs : 1, sizeof(*oc));
	for (size_t o = 0; o < ctx->n_orgs; o++)
		oc[o].org = (uint32_t)o;
	for (size_t i = 0; i < nts; i++)
		if (org_of[i] < ctx->n_orgs)
			oc[org_of[i]].n++;
	qsort(oc, ctx->n_orgs, sizeof(*oc), orgcount_cmp);
	size_t no = 0;
	while (no < ctx->n_orgs && nts > 0 && oc[no].n > 0 &&
	       (double)oc[no].n / (double)nts >= TL_CORRELATE_ORG_MIN_SHARE)
		no++;
	m->n_orgs = no;
	m->orgs = tl_xcalloc(no ? no : 1, sizeof(*m->orgs));
	m->n_org_tests = no * n_events;
	m->org_tests = tl_xcalloc(m->n_org_tests ? m->n_org_tests : 1, sizeof(*m->org_tests));
	int64_t *ots = tl_xmalloc((nts ? nts : 1) * sizeof(*ots));
	for (size_t j = 0; j < no; j++) {
		tl_correlate_org_t *o = &m->orgs[j];
		o->org = oc[j].org;
		o->name = tl_xstrdup(ctx->orgs[o->org].name ? ctx->orgs[o->org].name : "");
		o->lookups = oc[j].n;
		o->share = (double)oc[j].n / (double)nts;
		size_t no_ts = 0;
		for (size_t i = 0; i < nts; i++)
			if (org_of[i] == o->org)
				ots[no_ts++] = ts[i];
		strata_t ost;
		strata_fill(&ost, ots, no_ts, u, nu, base_cov, cov_base);
		baseline_fill(&o->baseline, o->org, &ost);
		for (size_t i = 0; i < n_events; i++) {
			tl_correlate_test_t *t = &m->org_tests[j * n_events + i];
			t->event = (uint32_t)i;
			t->org = o->org;
			make_test(t, count_in(ots, no_ts, events[i].win_start, events[i].win_end),
				  wcov[i], &ost);
		}
	}
	m->n_org_testable = correct_family(m->org_tests, m->n_org_tests, s);

	permutation(&c, ts, nts, m, s);
	bursts(&c, ts, nts, m);

	free(ots);
	free(wcov);
	free(oc);
	free(u);
	free(org_of);
	free(ts);
	cover_free(&c);
	return TL_OK;
}
