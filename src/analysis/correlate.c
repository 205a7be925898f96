/* correlate.c - lookups around events: rate ratios standardised by hour of week (UTC) with
 * exact one-sided (rise) p-values and two-sided ones as a secondary, corrections, a
 * permutation test shifting each event by its own whole number of weeks, and exploratory
 * bursts (method: docs/findings/correlate.md). */
#include "analysis/correlate.h"
#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"
#include "util/error.h"
#include "util/num.h"
#include "util/time.h"
#include "util/tz.h"
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

/* ---- indirect standardisation by hour of week, in a zone's local time ---- */

#define SLOT_US (15 * MIN_US) /* every zone's offset is a whole number of quarter hours */

/* Stratum of local time: 24 x weekday + hour, Monday 0. With lh whole local hours since
 * the epoch (1970-01-01 was a Thursday), hour 0 lies in stratum 3 x 24 = 72. */
static size_t stratum_of_hour(int64_t lh)
{
	int64_t h = (lh + 72) % TL_CORRELATE_STRATA;
	return (size_t)(h < 0 ? h + TL_CORRELATE_STRATA : h);
}

/* The hour-of-week stratum of every quarter hour of the span, in one zone's local time
 * (daylight saving included, from tzdata through util/tz.h): lookups and covered time are
 * counted in the stratum of the local hour they fall in, so office hours keep their
 * stratum across a change of the clocks. */
typedef struct smap {
	int64_t start;  /* the span's start */
	size_t n;       /* quarter hours */
	uint8_t *st;    /* stratum of each */
	int64_t off_s;  /* offset used for times outside the span (none fall there) */
} smap_t;

static int64_t zone_offset_s(const char *zone, int64_t us)
{
	tl_civil_t cv;
	if (zone == NULL || zone[0] == '\0' || tl_tz_civil(zone, us, &cv) != TL_OK)
		return 0;
	return cv.utc_offset_s;
}

/* Fills m for the span of c in zone (NULL, "" or an unknown zone: UTC). Offsets are read
 * once per UTC hour, and per quarter hour only in the hours where they change. */
static void smap_build(smap_t *m, const cover_t *c, const char *zone)
{
	m->start = c->start;
	m->n = c->n ? (size_t)((c->end - c->start + SLOT_US - 1) / SLOT_US) : 0;
	m->st = tl_xmalloc(m->n ? m->n : 1);
	m->off_s = 0;
	int64_t prev_t = INT64_MIN, prev_off = 0;
	for (size_t i = 0; i < m->n; i++) {
		int64_t t = m->start + (int64_t)i * SLOT_US;
		int64_t hr = tl_num_floor_div(t, HOUR_US) * HOUR_US;
		int64_t off;
		if (hr != prev_t) {
			prev_t = hr;
			prev_off = zone_offset_s(zone, hr);
			int64_t next = zone_offset_s(zone, hr + HOUR_US);
			if (next != prev_off)
				prev_t = INT64_MIN; /* the clocks change in this hour: every quarter */
		}
		off = prev_t == INT64_MIN ? zone_offset_s(zone, t) : prev_off;
		if (i == 0)
			m->off_s = off;
		m->st[i] = (uint8_t)stratum_of_hour(tl_num_floor_div(t + off * INT64_C(1000000), HOUR_US));
	}
}

static size_t smap_at(const smap_t *m, int64_t t)
{
	if (t >= m->start) {
		size_t i = (size_t)((t - m->start) / SLOT_US);
		if (i < m->n)
			return m->st[i];
	}
	return stratum_of_hour(tl_num_floor_div(t + m->off_s * INT64_C(1000000), HOUR_US));
}

/* Adds the covered microseconds of [a, b) to cov[stratum], splitting at quarter hours of
 * the span (time outside the coverage grid has none). */
static void strata_cover(const cover_t *c, const smap_t *m, int64_t a, int64_t b, int64_t *cov)
{
	if (a < c->start)
		a = c->start;
	if (b > c->end)
		b = c->end;
	while (a < b) {
		int64_t e = c->start + (tl_num_floor_div(a - c->start, SLOT_US) + 1) * SLOT_US;
		if (e > b)
			e = b;
		cov[smap_at(m, a)] += cover_us(c, a, e);
		a = e;
	}
}

/* Adds the lookups ts[i] (ascending) in [a, b) to k[stratum]. */
static void strata_count(const smap_t *m, const int64_t *ts, size_t n, int64_t a, int64_t b,
			 uint64_t *k)
{
	if (b <= a)
		return;
	for (size_t i = lower_bound(ts, n, a); i < n && ts[i] < b; i++)
		k[smap_at(m, ts[i])]++;
}

/* A family's baseline by stratum: lookups (k) and covered microseconds (cov) outside every
 * window, and the overall lookups and covered time (the fallback rate). */
typedef struct strata {
	uint64_t k[TL_CORRELATE_STRATA];
	const int64_t *cov;
	uint64_t k_all;
	int64_t cov_all;
} strata_t;

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
static void strata_fill(strata_t *st, const smap_t *m, const int64_t *ts, size_t n,
			const ival_t *u, size_t nu, const int64_t *cov, int64_t cov_all)
{
	uint64_t in[TL_CORRELATE_STRATA] = {0};
	memset(st->k, 0, sizeof(st->k));
	for (size_t i = 0; i < n; i++)
		st->k[smap_at(m, ts[i])]++;
	for (size_t i = 0; i < nu; i++)
		strata_count(m, ts, n, u[i].a, u[i].b, in);
	st->k_all = 0;
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		st->k[h] -= in[h];
		st->k_all += st->k[h];
	}
	st->cov = cov;
	st->cov_all = cov_all;
}

/* Covered time by stratum outside every window: all of it, less the union's (integer
 * microseconds, so the difference is exact). */
static void base_strata(const cover_t *c, const smap_t *m, const ival_t *u, size_t nu,
			int64_t *cov)
{
	int64_t in[TL_CORRELATE_STRATA] = {0};
	strata_cover(c, m, c->start, c->end, cov);
	for (size_t i = 0; i < nu; i++)
		strata_cover(c, m, u[i].a, u[i].b, in);
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++)
		cov[h] -= in[h];
}

/* ---- the calibrated event test: regimes, local reference, dispersion ---- */

/* Regime boundaries for membership: the first regime starts at -infinity and the last
 * ends at +infinity (time outside the span has no coverage, so it adds nothing). */
typedef struct env {
	const cover_t *c;
	const ival_t *u;           /* union of every event window, merged */
	size_t nu;
	const tl_correlate_regime_t *rg;
	size_t nrg;
	int64_t k_us;              /* K weeks */
	int64_t min_ref_us;        /* least covered reference time */
	ival_t *tmp, *pieces;      /* room for nu + 2 each */
} env_t;

/* A family's lookups: times (ascending), their sources (indices into ctx->sources), and
 * the strata of its zone. */
typedef struct fam {
	const int64_t *ts;
	const uint32_t *src;
	size_t n;
	const tl_ctx_t *ctx;
	const smap_t *map;
} fam_t;

/* One window against its reference: what a test is made of. */
typedef struct obs {
	int status;
	uint32_t regime;
	uint64_t o;                /* lookups in the window */
	double e, ve;              /* expected count and its variance */
	int64_t ref_a, ref_b;      /* the reference range */
	int64_t ref_cov;           /* covered reference time outside the windows */
	uint64_t ref_k;            /* lookups in it */
	uint64_t baseline_lookups; /* reference lookups in the strata the window touches */
	uint32_t fallback_strata;
	double fallback_minutes;
} obs_t;

/* Index of the regime holding all of [a, b), or UINT32_MAX when [a, b) crosses a
 * boundary. */
static uint32_t regime_of(const env_t *v, int64_t a, int64_t b)
{
	for (size_t r = 0; r < v->nrg; r++) {
		int64_t lo = r == 0 ? INT64_MIN : v->rg[r].start;
		int64_t hi = r + 1 == v->nrg ? INT64_MAX : v->rg[r].end;
		if (a >= lo && a < hi)
			return b <= hi ? (uint32_t)r : UINT32_MAX;
	}
	return UINT32_MAX;
}

/* The pieces of [ra, rb) outside the union and outside [xa, xb), into v->pieces; returns
 * their number. */
static size_t ref_pieces(const env_t *v, int64_t ra, int64_t rb, int64_t xa, int64_t xb)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nu; i++)
		v->tmp[n++] = v->u[i];
	v->tmp[n++] = (ival_t){xa, xb};
	n = ival_union(v->tmp, n);
	size_t k = 0;
	int64_t cur = ra;
	for (size_t i = 0; i < n && cur < rb; i++) {
		if (v->tmp[i].b <= cur)
			continue;
		if (v->tmp[i].a > cur)
			v->pieces[k++] = (ival_t){cur, v->tmp[i].a < rb ? v->tmp[i].a : rb};
		if (v->tmp[i].b > cur)
			cur = v->tmp[i].b;
	}
	if (cur < rb)
		v->pieces[k++] = (ival_t){cur, rb};
	return k;
}

/* The window [a, b) of a family's lookups ts[0..n) against the reference: the covered
 * time of its own regime within K weeks before a and after b, less every event window and
 * the window itself, by hour-of-week stratum. E = sum_h r_h w_h with r_h = k_h / t_h (the
 * reference's overall rate where t_h = 0), and Var(E) = sum_h (w_h / t_h)^2 k_h by the
 * delta method (Poisson reference counts). */
static void window_obs(const env_t *v, const fam_t *f, int64_t a, int64_t b, obs_t *ob)
{
	const int64_t *ts = f->ts;
	size_t n = f->n;
	memset(ob, 0, sizeof(*ob));
	ob->e = ob->ve = NAN;
	ob->regime = UINT32_MAX;
	ob->ref_a = ob->ref_b = TL_TIME_NONE;
	int64_t w[TL_CORRELATE_STRATA] = {0};
	strata_cover(v->c, f->map, a, b, w);
	int64_t wsum = 0;
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++)
		wsum += w[h];
	ob->o = count_in(ts, n, a, b);
	if (wsum <= 0) {
		ob->status = TL_CORRELATE_NO_COVERAGE;
		return;
	}
	ob->regime = regime_of(v, a, b);
	if (ob->regime == UINT32_MAX) {
		ob->status = TL_CORRELATE_SPANS_CHANGE;
		return;
	}
	const tl_correlate_regime_t *r = &v->rg[ob->regime];
	ob->ref_a = a - v->k_us > r->start ? a - v->k_us : r->start;
	ob->ref_b = b + v->k_us < r->end ? b + v->k_us : r->end;
	size_t np = ref_pieces(v, ob->ref_a, ob->ref_b, a, b);
	int64_t t[TL_CORRELATE_STRATA] = {0};
	uint64_t k[TL_CORRELATE_STRATA] = {0};
	for (size_t i = 0; i < np; i++) {
		strata_cover(v->c, f->map, v->pieces[i].a, v->pieces[i].b, t);
		strata_count(f->map, ts, n, v->pieces[i].a, v->pieces[i].b, k);
	}
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		ob->ref_cov += t[h];
		ob->ref_k += k[h];
	}
	if (ob->ref_cov < v->min_ref_us) {
		ob->status = TL_CORRELATE_FEW_REFERENCE;
		return;
	}
	double e = 0, var = 0;
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++) {
		if (w[h] == 0)
			continue;
		double fr, kk;
		if (t[h] > 0) {
			fr = (double)w[h] / (double)t[h];
			kk = (double)k[h];
			ob->baseline_lookups += k[h];
		} else {
			fr = (double)w[h] / (double)ob->ref_cov;
			kk = (double)ob->ref_k;
			ob->fallback_strata++;
			ob->fallback_minutes += us_to_min(w[h]);
		}
		e += kk * fr;
		var += kk * fr * fr;
	}
	ob->e = e;
	ob->ve = var;
	ob->status = e > 0 ? TL_CORRELATE_TESTABLE : TL_CORRELATE_NO_BASELINE;
}

/* Fills a test from its window's observation and the family's dispersion phi (NaN when
 * it could not be estimated). */
static void fill_test(tl_correlate_test_t *t, const obs_t *ob, double phi)
{
	t->observed = ob->o;
	t->expected = NAN;
	t->rr = t->rr_lo = t->rr_hi = t->rr_lo_sim = t->rr_hi_sim = NAN;
	t->p = t->p_two_sided = t->p_holm = t->p_bh = t->p_poisson = NAN;
	t->expected_rse = t->expected_var = t->dispersion = NAN;
	t->significant = 0;
	t->regime = ob->regime;
	t->ref_start = ob->ref_a;
	t->ref_end = ob->ref_b;
	t->ref_minutes = us_to_min(ob->ref_cov);
	t->ref_lookups = ob->ref_k;
	t->baseline_lookups = ob->baseline_lookups;
	t->fallback_strata = ob->fallback_strata;
	t->fallback_minutes = ob->fallback_minutes;
	t->status = ob->status;
	if (ob->status == TL_CORRELATE_NO_BASELINE)
		t->expected = ob->e; /* 0: nothing to compare with */
	if (ob->status != TL_CORRELATE_TESTABLE)
		return;
	t->expected = ob->e;
	t->expected_var = ob->ve;
	t->expected_rse = sqrt(ob->ve) / ob->e;
	tl_smr_t sm;
	if (tl_stats_smr(ob->o, ob->e, 1.0 - TL_CORRELATE_CI_LEVEL, &sm) == TL_OK)
		t->p_poisson = sm.p_greater;
	if (!isfinite(phi)) {
		t->status = TL_CORRELATE_NO_DISPERSION;
		return;
	}
	tl_qratio_t q;
	if (tl_stats_qratio(ob->o, ob->e, ob->ve, phi, 1.0 - TL_CORRELATE_CI_LEVEL, &q) !=
	    TL_OK) {
		t->status = TL_CORRELATE_NO_BASELINE; /* unreachable: e > 0, ve >= 0, phi >= 1 */
		return;
	}
	t->dispersion = phi;
	t->rr = q.ratio.est;
	t->rr_lo = q.ratio.lo;
	t->rr_hi = q.ratio.hi;
	t->p = q.p_greater;
	t->p_two_sided = q.p_two_sided;
}

/* Holm and BH across the testable tests of one family; flags the primary's decisions and
 * adds the simultaneous (Bonferroni) intervals at level 1 - alpha / m. */
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
		m = 0; /* unreachable: calibrated p-values lie in [0, 1] */
	size_t j = 0;
	for (size_t i = 0; i < n && j < m; i++) {
		if (t[i].status != TL_CORRELATE_TESTABLE)
			continue;
		t[i].p_holm = holm[j];
		t[i].p_bh = bh[j];
		double prim = s->correction == TL_CORRELATE_BH ? bh[j] : holm[j];
		t[i].significant = prim < s->alpha;
		tl_qratio_t q;
		if (tl_stats_qratio(t[i].observed, t[i].expected, t[i].expected_var,
				    t[i].dispersion, s->alpha / (double)m, &q) == TL_OK) {
			t[i].rr_lo_sim = q.ratio.lo;
			t[i].rr_hi_sim = q.ratio.hi;
		}
		j++;
	}
	free(p);
	free(holm);
	free(bh);
	return m;
}

/* A candidate placebo window. */
typedef struct plc {
	int64_t a, b;
} plc_t;

static int plc_cmp(const void *x, const void *y)
{
	const plc_t *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

/* A family's dispersion from placebo windows: every testable event window of the family
 * moved by j = +-1..K whole weeks, kept when it lies in the same regime and inside the
 * span, meets no event window, and has at least half the event window's covered time;
 * identical placebos of different events count once. Each is tested exactly as an event
 * window is (its own reference, itself left out of it). */
static void dispersion(const env_t *v, const fam_t *f, const obs_t *evob,
		       const tl_event_t *events, size_t n_events, uint32_t kweeks,
		       tl_correlate_dispersion_t *d)
{
	memset(d, 0, sizeof(*d));
	d->phi_hat = d->phi = d->p_over = d->mean_ratio = NAN;
	plc_t *cand = tl_xmalloc((n_events ? n_events : 1) * 2 * (kweeks ? kweeks : 1) *
				 sizeof(*cand));
	size_t nc = 0;
	for (size_t i = 0; i < n_events; i++) {
		const obs_t *eo = &evob[i];
		if (eo->status != TL_CORRELATE_TESTABLE)
			continue;
		int64_t a0 = events[i].win_start, b0 = events[i].win_end;
		int64_t need = cover_us(v->c, a0, b0) / 2;
		const tl_correlate_regime_t *r = &v->rg[eo->regime];
		for (int64_t j = -(int64_t)kweeks; j <= (int64_t)kweeks; j++) {
			if (j == 0)
				continue;
			int64_t a = a0 + j * WEEK_US, b = b0 + j * WEEK_US;
			if (a < r->start || b > r->end || a < v->c->start || b > v->c->end)
				continue;
			int clash = 0;
			for (size_t q = 0; q < v->nu && !clash; q++)
				clash = v->u[q].a < b && v->u[q].b > a;
			if (clash || cover_us(v->c, a, b) < need || need <= 0)
				continue;
			cand[nc++] = (plc_t){a, b};
		}
	}
	qsort(cand, nc, sizeof(*cand), plc_cmp);
	double sum = 0, sum_ratio = 0;
	uint32_t used = 0;
	for (size_t i = 0; i < nc; i++) {
		if (i > 0 && cand[i].a == cand[i - 1].a && cand[i].b == cand[i - 1].b)
			continue;
		obs_t ob;
		window_obs(v, f, cand[i].a, cand[i].b, &ob);
		if (ob.status != TL_CORRELATE_TESTABLE)
			continue;
		double dlt = (double)ob.o - ob.e;
		sum += dlt * dlt / (ob.e + ob.ve);
		sum_ratio += (double)ob.o / ob.e;
		used++;
	}
	free(cand);
	d->placebos = used;
	if (used == 0)
		return;
	d->phi_hat = sum / (double)used;
	d->mean_ratio = sum_ratio / (double)used;
	d->p_over = tl_stats_gamma_q((double)used / 2.0, sum / 2.0);
	if (used >= TL_CORRELATE_MIN_PLACEBOS)
		d->phi = d->phi_hat > 1.0 ? d->phi_hat : 1.0;
}

/* A family's tests: every event window observed, the dispersion estimated from the
 * placebos, then each test filled and the family corrected. obs receives the
 * observations (n_events). */
/* The source with the largest excess in the window [a, b): its lookups there less its share
 * (of the reference's lookups) of E. Returns UINT32_MAX when no source has a positive
 * excess. cnt is scratch of n_sources x 2 counters. */
static uint32_t top_source(const env_t *v, const int64_t *ts, const uint32_t *src, size_t n,
			   size_t n_sources, int64_t a, int64_t b, const obs_t *ob, uint64_t *cnt,
			   uint64_t *top_k, double *top_excess)
{
	memset(cnt, 0, 2 * n_sources * sizeof(*cnt));
	for (size_t i = lower_bound(ts, n, a); i < n && ts[i] < b; i++)
		cnt[2 * src[i]]++;
	size_t np = ref_pieces(v, ob->ref_a, ob->ref_b, a, b);
	for (size_t q = 0; q < np; q++)
		for (size_t i = lower_bound(ts, n, v->pieces[q].a); i < n && ts[i] < v->pieces[q].b;
		     i++)
			cnt[2 * src[i] + 1]++;
	uint32_t best = UINT32_MAX;
	double bx = 0;
	for (size_t k = 0; k < n_sources; k++) {
		if (cnt[2 * k] == 0)
			continue;
		double x = (double)cnt[2 * k] -
			   (ob->ref_k ? ob->e * (double)cnt[2 * k + 1] / (double)ob->ref_k : 0.0);
		if (x > bx) {
			bx = x;
			best = (uint32_t)k;
		}
	}
	if (best != UINT32_MAX) {
		*top_k = cnt[2 * best];
		*top_excess = bx;
	}
	return best;
}


/* The verdict needs the rise without its top source too: p = max(p, p without it). */
static void robust_test(const env_t *v, const fam_t *f, const tl_event_t *e, const obs_t *ob,
			double phi, tl_correlate_test_t *t, uint64_t *cnt, int64_t *scratch)
{
	t->p_all_sources = t->p;
	t->p_without_top = NAN;
	if (t->status != TL_CORRELATE_TESTABLE)
		return;
	uint64_t tk = 0;
	double tx = 0;
	uint32_t top = top_source(v, f->ts, f->src, f->n, f->ctx->n_sources, e->win_start,
				  e->win_end, ob, cnt, &tk, &tx);
	if (top == UINT32_MAX)
		return;
	t->has_top = 1;
	t->top_addr = f->ctx->sources[top].addr;
	t->top_lookups = tk;
	t->top_excess = tx;
	size_t m = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->src[i] != top)
			scratch[m++] = f->ts[i];
	obs_t o2;
	fam_t less = {scratch, NULL, m, f->ctx, f->map};
	window_obs(v, &less, e->win_start, e->win_end, &o2);
	tl_qratio_t q;
	if (o2.status == TL_CORRELATE_TESTABLE &&
	    tl_stats_qratio(o2.o, o2.e, o2.ve, phi, 1.0 - TL_CORRELATE_CI_LEVEL, &q) == TL_OK) {
		t->p_without_top = q.p_greater;
		if (q.p_greater > t->p)
			t->p = q.p_greater;
	} else {
		t->p = 1.0;
	}
}

static size_t run_family(const env_t *v, const fam_t *f, const tl_event_t *events,
			 size_t n_events, const tl_correlate_settings_t *s, uint32_t kweeks,
			 tl_correlate_test_t *tests, uint32_t org, tl_correlate_dispersion_t *d,
			 obs_t *ob)
{
	size_t n = f->n;
	for (size_t i = 0; i < n_events; i++)
		window_obs(v, f, events[i].win_start, events[i].win_end, &ob[i]);
	dispersion(v, f, ob, events, n_events, kweeks, d);
	tl_correlate_test_t *fam = tl_xcalloc(n_events ? n_events : 1, sizeof(*fam));
	uint64_t *cnt = tl_xmalloc((f->ctx->n_sources ? 2 * f->ctx->n_sources : 2) * sizeof(*cnt));
	int64_t *scratch = tl_xmalloc((n ? n : 1) * sizeof(*scratch));
	for (size_t i = 0; i < n_events; i++) {
		fam[i].event = (uint32_t)i;
		fam[i].org = org;
		fill_test(&fam[i], &ob[i], d->phi);
		robust_test(v, f, &events[i], &ob[i], d->phi, &fam[i], cnt, scratch);
	}
	free(cnt);
	free(scratch);
	size_t m = correct_family(fam, n_events, s);
	for (size_t i = 0; i < n_events; i++)
		tests[i] = fam[i];
	free(fam);
	return m;
}

/* ---- regimes: lifecycle hints, then change points in the weekly counts ---- */

static double xlogx_ratio(double k, double mu)
{
	return k > 0 ? k * log(k / mu) : 0.0;
}

/* Largest likelihood-ratio statistic of two Poisson rates against one over the splits of
 * the weeks k[0..n), c[0..n) (lookups, covered microseconds) with at least mn weeks on
 * each side; *at receives the split. Sums are exact integers, so equal sums give equal
 * statistics whatever the order. */
static double cp_stat(const uint64_t *k, const int64_t *c, size_t n, size_t mn, size_t *at)
{
	uint64_t kt = 0;
	int64_t ct = 0;
	for (size_t i = 0; i < n; i++) {
		kt += k[i];
		ct += c[i];
	}
	double best = -1;
	uint64_t k1 = 0;
	int64_t c1 = 0;
	for (size_t t = 1; t < n; t++) {
		k1 += k[t - 1];
		c1 += c[t - 1];
		if (t < mn || n - t < mn)
			continue;
		double r = (double)kt / (double)ct;
		double g = 2.0 * (xlogx_ratio((double)k1, (double)c1 * r) +
				  xlogx_ratio((double)(kt - k1), (double)(ct - c1) * r));
		if (g > best) {
			best = g;
			*at = t;
		}
	}
	return best;
}

typedef struct seg {
	int64_t a, b; /* time range */
	int kind;     /* of the boundary at a */
	const char *name;
	double p;
} seg_t;

/* Binary segmentation of [a, b) on its whole weeks: the split with the largest likelihood
 * ratio is a change point when a permutation test of the weeks' order (seeded) gives
 * p < TL_CORRELATE_CP_ALPHA; then both sides are tested again. Each test is recorded. */
static void cp_segment(const cover_t *c, const int64_t *ts, size_t nts, const ival_t *u,
		       size_t nu, int64_t a, int64_t b, uint64_t seed, tl_correlate_model_t *m,
		       int64_t *splits, double *split_p, size_t *nsplit, size_t cap)
{
	size_t nw = b > a ? (size_t)((b - a) / WEEK_US) : 0;
	if (nw < 2 * TL_CORRELATE_CP_MIN_WEEKS || *nsplit >= cap)
		return;
	uint64_t *k = tl_xcalloc(nw, sizeof(*k));
	int64_t *cv = tl_xcalloc(nw, sizeof(*cv));
	int64_t *st = tl_xcalloc(nw, sizeof(*st));
	size_t n = 0;
	for (size_t w = 0; w < nw; w++) {
		int64_t wa = a + (int64_t)w * WEEK_US, wb = wa + WEEK_US;
		int64_t cov = cover_us(c, wa, wb);
		uint64_t cnt = count_in(ts, nts, wa, wb);
		for (size_t i = 0; i < nu; i++) {
			int64_t x = u[i].a > wa ? u[i].a : wa, y = u[i].b < wb ? u[i].b : wb;
			if (y > x) {
				cov -= cover_us(c, x, y);
				cnt -= count_in(ts, nts, x, y);
			}
		}
		if (cov < DAY_US)
			continue; /* less than a day of data outside the windows */
		k[n] = cnt;
		cv[n] = cov;
		st[n] = wa;
		n++;
	}
	tl_correlate_cptest_t *t = NULL;
	if (n >= 2 * TL_CORRELATE_CP_MIN_WEEKS) {
		m->cptests = tl_xrealloc(m->cptests, (m->n_cptests + 1) * sizeof(*m->cptests));
		t = &m->cptests[m->n_cptests++];
		memset(t, 0, sizeof(*t));
		t->start = a;
		t->end = a + (int64_t)nw * WEEK_US;
		t->weeks = (uint32_t)n;
		t->split = TL_TIME_NONE;
		size_t at = 0;
		t->statistic = cp_stat(k, cv, n, TL_CORRELATE_CP_MIN_WEEKS, &at);
		uint64_t *pk = tl_xmalloc(n * sizeof(*pk));
		int64_t *pc = tl_xmalloc(n * sizeof(*pc));
		memcpy(pk, k, n * sizeof(*pk));
		memcpy(pc, cv, n * sizeof(*pc));
		tl_rng_t r;
		tl_rng_seed(&r, seed ^ ((uint64_t)a * UINT64_C(0x9e3779b97f4a7c15)));
		uint64_t ge = 0;
		for (uint32_t d = 0; d < TL_CORRELATE_CP_PERMUTATIONS; d++) {
			for (size_t i = n - 1; i > 0; i--) {
				size_t j = (size_t)tl_rng_below(&r, (uint64_t)i + 1);
				uint64_t tk = pk[i];
				pk[i] = pk[j];
				pk[j] = tk;
				int64_t tc = pc[i];
				pc[i] = pc[j];
				pc[j] = tc;
			}
			size_t dummy = 0;
			ge += cp_stat(pk, pc, n, TL_CORRELATE_CP_MIN_WEEKS, &dummy) >= t->statistic;
		}
		free(pk);
		free(pc);
		t->p = tl_stats_perm_p(ge, TL_CORRELATE_CP_PERMUTATIONS);
		t->split = st[at];
		t->found = t->p < TL_CORRELATE_CP_ALPHA;
	}
	int found = t && t->found;
	int64_t split = found ? t->split : 0;
	double p = found ? t->p : NAN;
	free(k);
	free(cv);
	free(st);
	if (!found)
		return;
	splits[*nsplit] = split;
	split_p[*nsplit] = p;
	(*nsplit)++;
	cp_segment(c, ts, nts, u, nu, a, split, seed, m, splits, split_p, nsplit, cap);
	cp_segment(c, ts, nts, u, nu, split, b, seed, m, splits, split_p, nsplit, cap);
}

static int hint_cmp(const void *x, const void *y)
{
	const tl_correlate_hint_t *p = x, *q = y;
	if (p->ts != q->ts)
		return p->ts < q->ts ? -1 : 1;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	return strcmp(p->name ? p->name : "", q->name ? q->name : "");
}

static int seg_cmp(const void *x, const void *y)
{
	const seg_t *p = x, *q = y;
	return p->a < q->a ? -1 : p->a > q->a;
}

/* The regimes: the span cut at every lifecycle hint inside it, then each piece cut at the
 * change points of the family's weekly counts outside the windows. */
static void regimes(const cover_t *c, const int64_t *ts, size_t nts, const ival_t *u,
		    size_t nu, const tl_correlate_settings_t *s, tl_correlate_model_t *m)
{
	m->n_hints = s->n_hints;
	m->hints = tl_xcalloc(s->n_hints ? s->n_hints : 1, sizeof(*m->hints));
	for (size_t i = 0; i < s->n_hints; i++) {
		m->hints[i] = s->hints[i];
		m->hints[i].name = tl_xstrdup(s->hints[i].name ? s->hints[i].name : "");
	}
	qsort(m->hints, m->n_hints, sizeof(*m->hints), hint_cmp);
	seg_t *sg = tl_xcalloc(s->n_hints + TL_CORRELATE_MAX_REGIMES + 2, sizeof(*sg));
	size_t ns = 0;
	sg[ns++] = (seg_t){c->start, c->end, 0, NULL, NAN};
	for (size_t i = 0; i < m->n_hints && c->n > 0; i++) {
		int64_t t = m->hints[i].ts;
		if (t <= c->start || t >= c->end || t == sg[ns - 1].a)
			continue;
		sg[ns - 1].b = t;
		sg[ns++] = (seg_t){t, c->end, m->hints[i].kind, m->hints[i].name, NAN};
	}
	size_t nhs = ns;
	int64_t splits[TL_CORRELATE_MAX_REGIMES];
	double split_p[TL_CORRELATE_MAX_REGIMES];
	size_t nsplit = 0;
	for (size_t i = 0; i < nhs && c->n > 0; i++)
		cp_segment(c, ts, nts, u, nu, sg[i].a, sg[i].b, s->seed, m, splits, split_p,
			   &nsplit, TL_CORRELATE_MAX_REGIMES - 1);
	for (size_t i = 0; i < nsplit; i++)
		sg[ns++] = (seg_t){splits[i], 0, TL_CORRELATE_HINT_CHANGEPOINT, NULL, split_p[i]};
	qsort(sg, ns, sizeof(*sg), seg_cmp);
	m->n_regimes = ns;
	m->regimes = tl_xcalloc(ns, sizeof(*m->regimes));
	for (size_t i = 0; i < ns; i++) {
		tl_correlate_regime_t *r = &m->regimes[i];
		r->start = sg[i].a;
		r->end = i + 1 < ns ? sg[i + 1].a : c->end;
		r->start_kind = sg[i].kind;
		r->start_name = sg[i].name ? tl_xstrdup(sg[i].name) : NULL;
		r->start_p = sg[i].p;
		int64_t cov = cover_us(c, r->start, r->end);
		uint64_t k = count_in(ts, nts, r->start, r->end);
		for (size_t j = 0; j < nu; j++) {
			int64_t x = u[j].a > r->start ? u[j].a : r->start;
			int64_t y = u[j].b < r->end ? u[j].b : r->end;
			if (y > x) {
				cov -= cover_us(c, x, y);
				k -= count_in(ts, nts, x, y);
			}
		}
		r->lookups = k;
		r->covered_minutes = us_to_min(cov);
		r->rate_per_hour = per_hour(k, cov);
	}
	free(sg);
}

/* The window of event e with its margins (or, without margins, its span) scaled by f. */
static void scaled_window(const tl_event_t *e, double f, int64_t *a, int64_t *b)
{
	int64_t before = e->start - e->win_start, after = e->win_end - e->end;
	if (before > 0 || after > 0) {
		*a = e->start - (int64_t)llround((double)before * f);
		*b = e->end + (int64_t)llround((double)after * f);
	} else {
		int64_t len = e->end - e->start, mid = e->start + len / 2;
		int64_t half = (int64_t)llround((double)len * f / 2.0);
		*a = mid - half;
		*b = mid + half;
	}
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
	int64_t c0, cyc;  /* its own cycle: start and length */
	uint64_t weeks;   /* whole weeks in it */
} pwin_t;

typedef struct parr {
	const cover_t *c;
	const int64_t *ts;
	size_t nts;
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
		const pwin_t *pw = &x->w[i];
		int64_t a = (pw->off + (int64_t)wk[i] * WEEK_US) % pw->cyc;
		int64_t b = a + pw->len;
		if (b <= pw->cyc) {
			x->piece[np++] = (ival_t){pw->c0 + a, pw->c0 + b};
		} else {
			x->piece[np++] = (ival_t){pw->c0 + a, pw->c0 + pw->cyc};
			x->piece[np++] = (ival_t){pw->c0, pw->c0 + (b - pw->cyc)};
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
 * its own regime trimmed to whole weeks from the regime's start (keeps every event's
 * weekday and time of day and its regime, breaks any link between events and lookups).
 * Exact enumeration of all arrangements (the product of the events' weeks) when there are
 * fewer than TL_CORRELATE_EXACT_BELOW; else s->permutations draws. */
static void permutation(const env_t *v, const int64_t *ts, size_t nts,
			tl_correlate_model_t *m, const tl_correlate_settings_t *s)
{
	const cover_t *c = v->c;
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
		m->events[i].cycle_start = m->events[i].cycle_end = TL_TIME_NONE;
		m->events[i].perm_status = TL_CORRELATE_PERM_NO_CYCLE;
	}
	if (pm->weeks == 0) {
		pm->reason = TL_CORRELATE_PERM_SHORT_SPAN;
		pm->n_excluded = (uint32_t)m->n_events;
		return;
	}
	pm->cycle_start = c->start;
	pm->cycle_end = c->start + (int64_t)pm->weeks * WEEK_US;

	pwin_t *w = tl_xmalloc((m->n_events ? m->n_events : 1) * sizeof(*w));
	size_t nw = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		tl_correlate_event_t *e = &m->events[i];
		if (e->win_end <= e->win_start) {
			e->perm_status = TL_CORRELATE_PERM_EMPTY;
			pm->n_excluded++;
			continue;
		}
		if (e->win_end <= c->start || e->win_start >= c->end) {
			e->perm_status = TL_CORRELATE_PERM_OUTSIDE_SPAN;
			pm->n_excluded++;
			continue;
		}
		uint32_t ri = regime_of(v, e->win_start, e->win_end);
		if (ri == UINT32_MAX) {
			e->perm_status = TL_CORRELATE_PERM_SPANS_CHANGE;
			pm->n_excluded++;
			continue;
		}
		const tl_correlate_regime_t *r = &v->rg[ri];
		uint64_t weeks = (uint64_t)((r->end - r->start) / WEEK_US);
		if (weeks == 0) {
			e->perm_status = TL_CORRELATE_PERM_SHORT_REGIME;
			pm->n_excluded++;
			continue;
		}
		int64_t c0 = r->start, c1 = r->start + (int64_t)weeks * WEEK_US;
		int64_t a = e->win_start > c0 ? e->win_start : c0;
		int64_t b = e->win_end < c1 ? e->win_end : c1;
		if (b <= a) {
			e->perm_status = TL_CORRELATE_PERM_OUTSIDE_CYCLE;
			pm->n_excluded++;
			continue;
		}
		e->in_permutation = 1;
		e->perm_status = a == e->win_start && b == e->win_end ? TL_CORRELATE_PERM_WHOLE
								      : TL_CORRELATE_PERM_CLIPPED;
		e->perm_start = a;
		e->perm_end = b;
		e->cycle_start = c0;
		e->cycle_end = c1;
		e->cycle_weeks = weeks;
		pm->n_clipped += e->perm_status == TL_CORRELATE_PERM_CLIPPED;
		w[nw] = (pwin_t){a - c0, b - a, c0, c1 - c0, weeks};
		nw++;
	}
	pm->n_events = (uint32_t)nw;
	if (nw == 0) {
		pm->reason = TL_CORRELATE_PERM_NO_EVENT;
		free(w);
		return;
	}

	parr_t x = {c, ts, nts, w, nw, NULL};
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

	/* The product of the events' weeks, saturating to 0 ("more than fits") on overflow. */
	pm->log10_arrangements = 0;
	pm->arrangements = 1;
	for (size_t i = 0; i < nw; i++) {
		pm->log10_arrangements += log10((double)w[i].weeks);
		if (pm->arrangements)
			pm->arrangements = pm->arrangements > UINT64_MAX / w[i].weeks
						   ? 0 : pm->arrangements * w[i].weeks;
	}
	pm->exact = pm->arrangements != 0 && pm->arrangements < TL_CORRELATE_EXACT_BELOW;

	double *null;
	if (pm->exact) {
		/* Every arrangement once, the observed one (all 0) first; odometer order. */
		null = tl_xmalloc((size_t)pm->arrangements * sizeof(*null));
		for (;;) {
			null_add(&x, wk, pm, null);
			size_t i = 0;
			while (i < nw && ++wk[i] == w[i].weeks)
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
				wk[i] = tl_rng_below(&r, w[i].weeks);
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
	int64_t d0 = tl_num_floor_div(c->start, DAY_US);
	int64_t d1 = tl_num_floor_div(c->end - 1, DAY_US);
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
				int64_t dist = tl_num_floor_div(day[i], DAY_US) - tl_num_floor_div(ev->start, DAY_US);
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
	for (size_t i = 0; i < m->n_orgs; i++) {
		free(m->orgs[i].name);
		free(m->orgs[i].strata_zone);
	}
	free(m->strata_zone);
	free(m->orgs);
	free(m->org_tests);
	free(m->bursts.items);
	for (size_t i = 0; i < m->n_hints; i++)
		free((char *)(uintptr_t)m->hints[i].name);
	free(m->hints);
	for (size_t i = 0; i < m->n_regimes; i++)
		free(m->regimes[i].start_name);
	free(m->regimes);
	free(m->cptests);
	free(m->sens);
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
	for (size_t i = 0; i < ctx->n_lookups; i++)
		if (ctx->lookups[i].source >= ctx->n_sources)
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
	uint32_t *src_of = tl_xmalloc((ctx->n_lookups ? ctx->n_lookups : 1) * sizeof(*src_of));
	size_t nts = 0;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *lk = &ctx->lookups[i];
		if (lk->dup_of != TL_NONE32)
			continue;
		ts[nts] = lk->ts;
		src_of[nts] = lk->source;
		org_of[nts] = ctx->sources[lk->source].org;
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

	/* The organisations by lookups: the largest one's zone is the primary family's. */
	orgcount_t *oc = tl_xcalloc(ctx->n_orgs ? ctx->n_orgs : 1, sizeof(*oc));
	for (size_t o = 0; o < ctx->n_orgs; o++)
		oc[o].org = (uint32_t)o;
	for (size_t i = 0; i < nts; i++)
		if (org_of[i] < ctx->n_orgs)
			oc[org_of[i]].n++;
	qsort(oc, ctx->n_orgs, sizeof(*oc), orgcount_cmp);
	const char *zone = ctx->n_orgs && oc[0].n > 0 ? ctx->orgs[oc[0].org].tz : NULL;
	m->strata_zone = tl_xstrdup(zone && zone[0] ? zone : "UTC");
	smap_t map;
	smap_build(&map, &c, m->strata_zone);

	/* Covered time outside every window by hour-of-week stratum: all of it, less the
	 * windows' union (integer microseconds, so the difference is exact). Descriptive: the
	 * tests use the local reference below. */
	int64_t base_cov[TL_CORRELATE_STRATA] = {0};
	base_strata(&c, &map, u, nu, base_cov);
	for (size_t h = 0; h < TL_CORRELATE_STRATA; h++)
		m->strata_fallback += base_cov[h] <= 0;
	strata_t st;
	strata_fill(&st, &map, ts, nts, u, nu, base_cov, cov_base);
	baseline_fill(&m->baseline, UINT32_MAX, &st);

	/* Regimes from the lifecycle hints and the change points of all lookups. */
	m->reference_weeks = s->reference_weeks ? s->reference_weeks : TL_CORRELATE_REFERENCE_WEEKS;
	m->min_reference_weeks =
		s->min_reference_weeks ? s->min_reference_weeks : TL_CORRELATE_MIN_REFERENCE_WEEKS;
	regimes(&c, ts, nts, u, nu, s, m);
	env_t v = {&c, u, nu, m->regimes, m->n_regimes, (int64_t)m->reference_weeks * WEEK_US,
		   (int64_t)m->min_reference_weeks * WEEK_US, NULL, NULL};
	v.tmp = tl_xmalloc((nu + 2) * sizeof(*v.tmp));
	v.pieces = tl_xmalloc((nu + 2) * sizeof(*v.pieces));
	obs_t *ob = tl_xcalloc(n_events ? n_events : 1, sizeof(*ob));

	/* Primary family: all lookups, one test per event. */
	m->tests = tl_xcalloc(n_events ? n_events : 1, sizeof(*m->tests));
	fam_t all = {ts, src_of, nts, ctx, &map};
	m->n_testable = run_family(&v, &all, events, n_events, s, m->reference_weeks, m->tests,
				   UINT32_MAX, &m->dispersion, ob);

	/* Sensitivity to the window's width: margins halved and doubled, same dispersion. */
	static const double factors[TL_CORRELATE_SENS_FACTORS] = {0.5, 2.0};
	m->sens = tl_xcalloc(n_events ? n_events * TL_CORRELATE_SENS_FACTORS : 1,
			     sizeof(*m->sens));
	for (size_t i = 0; i < n_events; i++)
		for (size_t f = 0; f < TL_CORRELATE_SENS_FACTORS; f++) {
			tl_correlate_sens_t *se = &m->sens[i * TL_CORRELATE_SENS_FACTORS + f];
			se->factor = factors[f];
			scaled_window(&events[i], factors[f], &se->win_start, &se->win_end);
			obs_t so;
			window_obs(&v, &all, se->win_start, se->win_end, &so);
			se->test.event = (uint32_t)i;
			se->test.org = UINT32_MAX;
			fill_test(&se->test, &so, m->dispersion.phi);
		}

	/* Secondary family: organisations with a share >= 5 %, each against its own
	 * reference (same regimes and covered time, its own lookups and dispersion), all
	 * (organisation, event) pairs corrected together. */
	size_t no = 0;
	while (no < ctx->n_orgs && nts > 0 && oc[no].n > 0 &&
	       (double)oc[no].n / (double)nts >= TL_CORRELATE_ORG_MIN_SHARE)
		no++;
	m->n_orgs = no;
	m->orgs = tl_xcalloc(no ? no : 1, sizeof(*m->orgs));
	m->n_org_tests = no * n_events;
	m->org_tests = tl_xcalloc(m->n_org_tests ? m->n_org_tests : 1, sizeof(*m->org_tests));
	int64_t *ots = tl_xmalloc((nts ? nts : 1) * sizeof(*ots));
	uint32_t *osrc = tl_xmalloc((nts ? nts : 1) * sizeof(*osrc));
	for (size_t j = 0; j < no; j++) {
		tl_correlate_org_t *o = &m->orgs[j];
		o->org = oc[j].org;
		o->name = tl_xstrdup(ctx->orgs[o->org].name ? ctx->orgs[o->org].name : "");
		o->lookups = oc[j].n;
		o->share = (double)oc[j].n / (double)nts;
		size_t no_ts = 0;
		for (size_t i = 0; i < nts; i++)
			if (org_of[i] == o->org) {
				osrc[no_ts] = src_of[i];
				ots[no_ts++] = ts[i];
			}
		const char *oz = ctx->orgs[o->org].tz;
		o->strata_zone = tl_xstrdup(oz && oz[0] ? oz : "UTC");
		smap_t omap;
		smap_build(&omap, &c, o->strata_zone);
		int64_t obase[TL_CORRELATE_STRATA] = {0};
		base_strata(&c, &omap, u, nu, obase);
		strata_t ost;
		strata_fill(&ost, &omap, ots, no_ts, u, nu, obase, cov_base);
		baseline_fill(&o->baseline, o->org, &ost);
		obs_t *oob = tl_xcalloc(n_events ? n_events : 1, sizeof(*oob));
		fam_t of = {ots, osrc, no_ts, ctx, &omap};
		run_family(&v, &of, events, n_events, s, m->reference_weeks,
			   &m->org_tests[j * n_events], o->org, &o->dispersion, oob);
		free(oob);
		free(omap.st);
	}
	/* The family is corrected across all its pairs together (each filled above with its
	 * organisation's own dispersion). */
	m->n_org_testable = correct_family(m->org_tests, m->n_org_tests, s);

	permutation(&v, ts, nts, m, s);
	bursts(&c, ts, nts, m);

	free(ots);
	free(osrc);
	free(src_of);
	free(map.st);
	free(ob);
	free(v.tmp);
	free(v.pieces);
	free(oc);
	free(u);
	free(org_of);
	free(ts);
	cover_free(&c);
	return TL_OK;
}
