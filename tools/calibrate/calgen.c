/* calgen.c - the case simulator of the calibration study: demand per resolver in its
 * organisation's local time, filtered by the resolver's cache into the lookups an
 * authoritative sensor sees (docs/validation.md). */
#include "calgen.h"

#include "analysis/stats/rng.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEC_US INT64_C(1000000)
#define MIN_US (60 * SEC_US)
#define HOUR_US (60 * MIN_US)
#define DAY_US (24 * HOUR_US)
#define WEEK_US (7 * DAY_US)

#define WIN_BEFORE (12 * HOUR_US)
#define WIN_AFTER (36 * HOUR_US)

/* Whole-hour offsets only: the local hour is then constant within a UTC hour, and every
 * daylight-saving switch below falls on a UTC hour boundary. */
const cal_zone_t cal_zones[] = {
	{"America/New_York", -5 * 3600, CAL_DST_US},
	{"America/Chicago", -6 * 3600, CAL_DST_US},
	{"America/Los_Angeles", -8 * 3600, CAL_DST_US},
	{"Europe/London", 0, CAL_DST_EU},
	{"Europe/Berlin", 1 * 3600, CAL_DST_EU},
	{"Asia/Tokyo", 9 * 3600, CAL_DST_NONE},
};
const size_t cal_n_zones = sizeof(cal_zones) / sizeof(cal_zones[0]);

static const char *const org_names[] = {
	"Harbour Bank", "St. Anne Hospital", "Northgate Law", "Kestrel Shipping",
	"Alder Energy", "Quill Press",
};
#define N_ORG_NAMES (sizeof(org_names) / sizeof(org_names[0]))

/* ---- civil calendar (proleptic Gregorian), for the daylight-saving rules ---- */

/* Days since 1970-01-01 of y-m-d (util/timeutil.h). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	return tl_days_from_civil(y, (unsigned)m, (unsigned)d);
}

/* Year of UTC day number z. */
static int64_t year_of_day(int64_t z)
{
	int64_t y;
	unsigned m, d;
	tl_civil_from_days(z, &y, &m, &d);
	return y;
}

/* Monday 0 .. Sunday 6 of day number z (1970-01-01 was a Thursday). */
static int weekday_of_day(int64_t z)
{
	int64_t w = (z + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* Day number of the n-th Sunday (n >= 1) of month m, or the last one (n = 0). */
static int64_t sunday_of(int64_t y, int m, int n)
{
	if (n == 0) {
		int64_t last = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
		return last - (weekday_of_day(last) + 1) % 7;
	}
	int64_t first = days_from_civil(y, m, 1);
	return first + (6 - weekday_of_day(first)) + 7 * (n - 1);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t cal_utc_offset(const cal_zone_t *z, int64_t us)
{
	int64_t y = year_of_day(floor_div(us, DAY_US));
	int64_t on, off;
	switch (z->rule) {
	case CAL_DST_US:
		/* Second Sunday of March 02:00 standard time to first Sunday of November
		 * 02:00 daylight time (Energy Policy Act of 2005). */
		on = sunday_of(y, 3, 2) * DAY_US + 2 * HOUR_US - z->std_offset_s * SEC_US;
		off = sunday_of(y, 11, 1) * DAY_US + 2 * HOUR_US - (z->std_offset_s + 3600) * SEC_US;
		break;
	case CAL_DST_EU:
		/* Last Sunday of March to last Sunday of October, both at 01:00 UTC. */
		on = sunday_of(y, 3, 0) * DAY_US + HOUR_US;
		off = sunday_of(y, 10, 0) * DAY_US + HOUR_US;
		break;
	default:
		return z->std_offset_s;
	}
	return z->std_offset_s + (us >= on && us < off ? 3600 : 0);
}

/* ---- random variates ---- */

static double unit(tl_rng_t *r)
{
	return tl_rng_double(r);
}

static double uniform(tl_rng_t *r, double a, double b)
{
	return a + (b - a) * unit(r);
}

static double expo(tl_rng_t *r, double mean)
{
	return -mean * log1p(-unit(r));
}

/* Poisson by inversion; large means in pieces of at most 50 (a sum of Poissons is one). */
static uint64_t poisson(tl_rng_t *r, double mean)
{
	uint64_t n = 0;
	while (mean > 0) {
		double m = mean > 50 ? 50 : mean;
		mean -= m;
		double p = exp(-m), c = p, u = unit(r);
		uint64_t k = 0;
		while (u > c && k < 1000) {
			k++;
			p *= m / (double)k;
			c += p;
		}
		n += k;
	}
	return n;
}

/* ---- growing arrays ---- */

typedef struct i64v {
	int64_t *v;
	size_t n, cap;
} i64v_t;

static void i64v_push(i64v_t *a, int64_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->v = tl_xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

static int i64_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* A lookup as simulated, before the sensors' sightings are laid out. */
typedef struct sim_lk {
	int64_t ts;
	uint32_t source;
	uint8_t sensor; /* the sensor the query went to */
	uint8_t dup;    /* also seen on the other input (a mirrored port) */
} sim_lk_t;

typedef struct simv {
	sim_lk_t *v;
	size_t n, cap;
} simv_t;

static void simv_push(simv_t *a, sim_lk_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 1024;
		a->v = tl_xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

static int sim_cmp(const void *x, const void *y)
{
	const sim_lk_t *a = x, *b = y;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->source < b->source ? -1 : a->source > b->source;
}

/* ---- demand ---- */

/* How a resolver's users are busy: an office (weekdays, working hours) or homes (evenings
 * and weekends), by local weekday (Monday 0) and hour. Relative to the busiest hour. */
static double profile(int home, int wd, int hr)
{
	int weekend = wd >= 5;
	if (home) {
		if (hr < 7)
			return 0.05;
		if (weekend)
			return hr <= 22 ? 0.8 : 0.1;
		if (hr <= 8)
			return 0.4;
		if (hr <= 16)
			return 0.3;
		return hr <= 22 ? 1.0 : 0.1;
	}
	if (weekend)
		return hr >= 8 && hr <= 20 ? 0.08 : 0.03;
	if (hr >= 8 && hr <= 11)
		return 1.0;
	if (hr == 12)
		return 0.6;
	if (hr >= 13 && hr <= 17)
		return 0.9;
	if (hr == 7 || hr == 18)
		return 0.4;
	if (hr >= 19 && hr <= 22)
		return 0.12;
	return 0.04;
}

typedef struct src_sim {
	uint32_t org;
	int zone;
	int home;       /* homes rather than an office */
	double lambda;  /* arrivals per hour at the busiest hour */
	int refresh;    /* re-fetches an expired answer that was used (TTL + delay) */
	double p_retry; /* a query is retransmitted 1-3 s later */
	double p_sensor0;
} src_sim_t;

/* A piece of the span with constant demand: within one UTC hour and between two edges
 * (event windows, the rename). */
typedef struct seg {
	int64_t a, b;
	double g; /* multiplier of every resolver's demand: trend, rename, effect */
	uint8_t wd[16], hr[16]; /* local weekday and hour in each zone */
} seg_t;

typedef struct gen {
	tl_rng_t r;
	const cal_knobs_t *k;
	cal_case_t *c;
	int64_t t0, t1;
	int64_t ttl;
	double trend;   /* rise over the span, as a fraction */
	double rename_f;
	seg_t *seg;
	size_t nseg;
	src_sim_t *src;
	simv_t lk;
} gen_t;

static double global_mult(const gen_t *g, int64_t t)
{
	double m = 1;
	if (g->k->trend)
		m *= 1 + g->trend * (double)(t - g->t0) / (double)(g->t1 - g->t0);
	if (g->c->rename_ts != TL_TIME_NONE && t >= g->c->rename_ts)
		m *= g->rename_f;
	for (size_t i = 0; i < CAL_EVENTS; i++)
		if (t >= g->c->events[i].win_start && t < g->c->events[i].win_end)
			m *= g->c->effect[i];
	return m;
}

static void build_segments(gen_t *g)
{
	int64_t edge[2 * CAL_EVENTS + 1];
	size_t ne = 0;
	for (size_t i = 0; i < CAL_EVENTS; i++) {
		edge[ne++] = g->c->events[i].win_start;
		edge[ne++] = g->c->events[i].win_end;
	}
	if (g->c->rename_ts != TL_TIME_NONE)
		edge[ne++] = g->c->rename_ts;
	qsort(edge, ne, sizeof(*edge), i64_cmp);
	size_t cap = (size_t)((g->t1 - g->t0) / HOUR_US) + ne + 2;
	g->seg = tl_xcalloc(cap, sizeof(*g->seg));
	g->nseg = 0;
	size_t ei = 0;
	for (int64_t t = g->t0; t < g->t1;) {
		int64_t e = (floor_div(t, HOUR_US) + 1) * HOUR_US;
		if (e > g->t1)
			e = g->t1;
		while (ei < ne && edge[ei] <= t)
			ei++;
		if (ei < ne && edge[ei] < e)
			e = edge[ei];
		seg_t *s = &g->seg[g->nseg++];
		s->a = t;
		s->b = e;
		s->g = global_mult(g, t + (e - t) / 2);
		for (size_t z = 0; z < cal_n_zones; z++) {
			int64_t loc = t + cal_utc_offset(&cal_zones[z], t) * SEC_US;
			int64_t day = floor_div(loc, DAY_US);
			s->wd[z] = (uint8_t)weekday_of_day(day);
			s->hr[z] = (uint8_t)((loc - day * DAY_US) / HOUR_US);
		}
		t = e;
	}
}

/* Demand of one session starting at t: a few queries within a minute or two (a mail, a
 * page), or a working session that keeps using the name every few minutes for up to
 * four hours. */
static void session(gen_t *g, int64_t t, i64v_t *d)
{
	if (unit(&g->r) < 0.55) {
		uint64_t n = 1 + poisson(&g->r, 1.0);
		for (uint64_t i = 0; i < n; i++) {
			i64v_push(d, t);
			t += (int64_t)(expo(&g->r, 40.0) * (double)SEC_US);
		}
		return;
	}
	double dur = expo(&g->r, 60.0);
	if (dur > 240)
		dur = 240;
	int64_t end = t + (int64_t)(dur * (double)MIN_US);
	while (t <= end) {
		i64v_push(d, t);
		t += (int64_t)(expo(&g->r, 5.0) * (double)MIN_US) + SEC_US;
	}
}

/* One query of source s at time t reaches a sensor (and, with retries on, may be sent
 * again 1-3 s later, to the other server when there are two). */
static void emit(gen_t *g, uint32_t s, int64_t t, int allow_retry)
{
	if (t < g->t0 || t >= g->t1)
		return;
	const src_sim_t *ss = &g->src[s];
	sim_lk_t l = {t, s, 0, 0};
	if (g->k->two_sensors) {
		l.sensor = unit(&g->r) < ss->p_sensor0 ? 0 : 1;
		l.dup = unit(&g->r) < 0.05;
	}
	simv_push(&g->lk, l);
	if (allow_retry && ss->p_retry > 0 && unit(&g->r) < ss->p_retry) {
		int64_t rt = t + SEC_US + (int64_t)tl_rng_below(&g->r, 2000000);
		if (rt < g->t1) {
			sim_lk_t l2 = {rt, s, g->k->two_sensors ? (uint8_t)(1 - l.sensor) : 0, 0};
			simv_push(&g->lk, l2);
		}
	}
}

static int64_t refresh_delay(gen_t *g)
{
	return (int64_t)tl_rng_below(&g->r, 60 * SEC_US);
}

/* The resolver's cache: a demand is a lookup at the sensor only when the cached answer
 * has expired (a cache miss). A refreshing resolver fetches again TTL plus a short delay
 * after the last fetch when the answer was used meanwhile. */
static void cache_filter(gen_t *g, uint32_t s, const int64_t *d, size_t n)
{
	int refresh = g->src[s].refresh;
	int64_t exp = INT64_MIN, delay = 0;
	int used = 0;
	for (size_t i = 0; i <= n; i++) {
		int64_t t = i < n ? d[i] : g->t1;
		while (refresh && used && exp != INT64_MIN && exp + delay <= t) {
			int64_t f = exp + delay;
			emit(g, s, f, 1);
			exp = f + g->ttl;
			delay = refresh_delay(g);
			used = 0;
		}
		if (i == n)
			break;
		if (t >= exp) {
			emit(g, s, t, 1);
			exp = t + g->ttl;
			delay = refresh_delay(g);
			used = 0;
		} else {
			used = 1;
		}
	}
}

static void simulate_source(gen_t *g, uint32_t s, i64v_t *d)
{
	const src_sim_t *ss = &g->src[s];
	d->n = 0;
	for (size_t i = 0; i < g->nseg; i++) {
		const seg_t *sg = &g->seg[i];
		double hours = (double)(sg->b - sg->a) / (double)HOUR_US;
		double mean = ss->lambda * profile(ss->home, sg->wd[ss->zone], sg->hr[ss->zone]) *
			      sg->g * hours;
		uint64_t n = poisson(&g->r, mean);
		for (uint64_t j = 0; j < n; j++) {
			int64_t t = sg->a + (int64_t)tl_rng_below(&g->r, (uint64_t)(sg->b - sg->a));
			if (g->k->sessions)
				session(g, t, d);
			else
				i64v_push(d, t);
		}
	}
	qsort(d->v, d->n, sizeof(*d->v), i64_cmp);
	g->c->n_demands += d->n;
	cache_filter(g, s, d->v, d->n);
}

static int bit_get(const uint8_t *b, size_t m)
{
	return (b[m >> 3] >> (m & 7)) & 1;
}

/* Sensor outages: 2-6 per sensor, each from 30 minutes to 3 days (log-uniform). */
static void outages(gen_t *g, tl_ctx_sensor_t *sn, size_t n_min)
{
	uint64_t n = 2 + tl_rng_below(&g->r, 5);
	for (uint64_t i = 0; i < n; i++) {
		double len = exp(uniform(&g->r, log(30.0), log(3 * 1440.0)));
		size_t a = (size_t)tl_rng_below(&g->r, n_min);
		size_t b = a + (size_t)len;
		if (b > n_min)
			b = n_min;
		for (size_t m = a; m < b; m++)
			sn->minutes[m >> 3] &= (uint8_t)~(1u << (m & 7));
	}
}

/* Eight windows of 12 h before and 36 h after the event, wholly inside the span, not
 * overlapping each other. */
static void place_events(gen_t *g)
{
	cal_case_t *c = g->c;
	int64_t len = WIN_BEFORE + WIN_AFTER;
	size_t n = 0;
	while (n < CAL_EVENTS) {
		int64_t ws = g->t0 + (int64_t)tl_rng_below(&g->r, (uint64_t)(g->t1 - g->t0 - len));
		ws -= ws % SEC_US;
		int ok = 1;
		for (size_t i = 0; i < n && ok; i++)
			ok = ws >= c->events[i].win_end || ws + len <= c->events[i].win_start;
		if (!ok)
			continue;
		tl_event_t *e = &c->events[n++];
		e->start = e->end = ws + WIN_BEFORE;
		e->point = 1;
		e->before = WIN_BEFORE;
		e->after = WIN_AFTER;
		e->win_start = ws;
		e->win_end = ws + len;
	}
	/* The events module hands them over sorted by start. */
	for (size_t i = 1; i < CAL_EVENTS; i++)
		for (size_t j = i; j > 0 && c->events[j].start < c->events[j - 1].start; j--) {
			tl_event_t t = c->events[j];
			c->events[j] = c->events[j - 1];
			c->events[j - 1] = t;
		}
	static const char *const labels[CAL_EVENTS] = {"E1", "E2", "E3", "E4",
							"E5", "E6", "E7", "E8"};
	for (size_t i = 0; i < CAL_EVENTS; i++) {
		c->events[i].label = (char *)(uintptr_t)labels[i];
		c->events[i].category = (char *)(uintptr_t)"simulated";
		c->events[i].line = (int)i + 2;
		c->effect[i] = 1;
	}
	if (g->k->effects) {
		static const double mult[CAL_EFFECTS] = {1.5, 2.0, 3.0};
		size_t idx[CAL_EVENTS];
		for (size_t i = 0; i < CAL_EVENTS; i++)
			idx[i] = i;
		tl_rng_shuffle(&g->r, idx, CAL_EVENTS);
		for (size_t i = 0; i < CAL_EFFECTS; i++)
			c->effect[idx[i]] = g->k->effect_scale > 0 ? g->k->effect_scale : mult[i];
	}
}

void cal_generate(const cal_knobs_t *k, uint64_t seed, cal_case_t *c)
{
	static const int64_t ttls[] = {300, 600, 900, 1800, 3600};
	memset(c, 0, sizeof(*c));
	gen_t g;
	memset(&g, 0, sizeof(g));
	g.k = k;
	g.c = c;
	tl_rng_seed(&g.r, seed);

	/* Span: 20-24 whole weeks plus up to a week, starting at any minute of 2021-2024
	 * (so the daylight-saving switches fall anywhere in it). */
	int64_t day0 = days_from_civil(2021, 1, 4);
	g.t0 = (day0 + (int64_t)tl_rng_below(&g.r, 4 * 364)) * DAY_US +
	       (int64_t)tl_rng_below(&g.r, 1440) * MIN_US;
	int64_t weeks = 20 + (int64_t)tl_rng_below(&g.r, 5);
	size_t n_min = (size_t)(weeks * 10080 + (int64_t)tl_rng_below(&g.r, 10080));
	g.t1 = g.t0 + (int64_t)n_min * MIN_US;
	g.ttl = ttls[tl_rng_below(&g.r, sizeof(ttls) / sizeof(ttls[0]))] * SEC_US;
	g.trend = uniform(&g.r, 0.5, 1.0);
	c->rename_ts = TL_TIME_NONE;
	if (k->rename) {
		c->rename_ts = g.t0 + (int64_t)(uniform(&g.r, 0.3, 0.7) * (double)(g.t1 - g.t0));
		c->rename_ts -= c->rename_ts % SEC_US;
		g.rename_f = uniform(&g.r, 0.3, 0.6);
		if (k->rename == 1) {
			c->hint.ts = c->rename_ts;
			c->hint.kind = TL_CORRELATE_HINT_STOPPED;
			c->hint.name = "www.target.example";
			c->n_hints = 1;
		}
	}
	place_events(&g);
	build_segments(&g);

	/* Organisations: 4-6 with 2-4 resolvers each, in their own zones, and the
	 * catch-all with 20-40 small unattributed resolvers (homes, small offices). */
	size_t n_org = 4 + (size_t)tl_rng_below(&g.r, 3);
	size_t per[8], n_src = 0;
	for (size_t o = 0; o < n_org; o++) {
		per[o] = 2 + (size_t)tl_rng_below(&g.r, 3);
		n_src += per[o];
	}
	per[n_org] = 20 + (size_t)tl_rng_below(&g.r, 21);
	n_src += per[n_org];
	c->ctx.n_orgs = n_org + 1;
	tl_ctx_org_t *orgs = tl_xcalloc(n_org + 1, sizeof(*orgs));
	tl_ctx_source_t *src = tl_xcalloc(n_src, sizeof(*src));
	g.src = tl_xcalloc(n_src, sizeof(*g.src));
	double ttl_h = (double)g.ttl / (double)HOUR_US;
	uint32_t s = 0;
	for (size_t o = 0; o <= n_org; o++) {
		int catchall = o == n_org;
		int zone = (int)tl_rng_below(&g.r, cal_n_zones);
		orgs[o].name = catchall ? "unattributed" : org_names[o % N_ORG_NAMES];
		orgs[o].method = catchall ? "none" : "cidr";
		orgs[o].tz = cal_zones[zone].name;
		double size = uniform(&g.r, 0.5, 1.5);
		for (size_t j = 0; j < per[o]; j++, s++) {
			src_sim_t *ss = &g.src[s];
			ss->org = (uint32_t)o;
			/* Unattributed resolvers sit in any zone; an organisation's share its zone. */
			ss->zone = catchall ? (int)tl_rng_below(&g.r, cal_n_zones) : zone;
			ss->home = catchall && unit(&g.r) < 0.7;
			/* Load: expected arrivals per TTL at the busiest hour, so that the cache
			 * neither hides every change (load >> 1) nor passes every query. */
			double load = catchall ? uniform(&g.r, 0.02, 0.1) : uniform(&g.r, 0.1, 0.5) * size;
			ss->lambda = load / ttl_h;
			if (k->sessions)
				ss->lambda *= 0.3; /* a session brings several queries */
			ss->refresh = k->sessions && unit(&g.r) < 0.3;
			ss->p_retry = k->sessions ? uniform(&g.r, 0.02, 0.15) : 0;
			ss->p_sensor0 = uniform(&g.r, 0.3, 0.9);
			src[s].org = (uint32_t)o;
			src[s].addr.family = 4;
			src[s].addr.bytes[0] = catchall ? 198 : 192;
			src[s].addr.bytes[1] = catchall ? 51 : 0;
			src[s].addr.bytes[2] = (uint8_t)o;
			src[s].addr.bytes[3] = (uint8_t)(j + 1);
		}
	}

	i64v_t d = {NULL, 0, 0};
	for (uint32_t i = 0; i < n_src; i++)
		simulate_source(&g, i, &d);
	free(d.v);

	/* Bursts: a scanner, a monitoring check or a forwarder without a cache sends 15-60
	 * queries within half an hour to four hours, about every three weeks. */
	if (k->bursts) {
		uint64_t nb = poisson(&g.r, (double)weeks / 3.0);
		c->n_bursts = nb;
		for (uint64_t b = 0; b < nb; b++) {
			uint32_t bs = (uint32_t)tl_rng_below(&g.r, n_src);
			int64_t a = g.t0 + (int64_t)tl_rng_below(&g.r, (uint64_t)(g.t1 - g.t0));
			int64_t len = (int64_t)(uniform(&g.r, 0.5, 4.0) * (double)HOUR_US);
			uint64_t cnt = 15 + tl_rng_below(&g.r, 46);
			for (uint64_t j = 0; j < cnt; j++)
				emit(&g, bs, a + (int64_t)tl_rng_below(&g.r, (uint64_t)len), 0);
		}
	}

	/* Sensors: covered from the first to the last minute of the span, less outages. */
	size_t n_sensors = k->two_sensors ? 2 : 1;
	static const char *const sensor_names[CAL_MAX_SENSORS] = {"ns1", "ns2"};
	static const char *const input_labels[CAL_MAX_SENSORS] = {"ns1.pcap", "ns2.pcap"};
	size_t nbytes = (n_min + 7) / 8;
	for (size_t i = 0; i < n_sensors; i++) {
		tl_ctx_sensor_t *sn = &c->sensors[i];
		sn->name = sensor_names[i];
		sn->minutes = tl_xcalloc(nbytes, 1);
		for (size_t m = 0; m < n_min; m++)
			sn->minutes[m >> 3] |= (uint8_t)(1u << (m & 7));
		if (k->gaps || k->two_sensors)
			outages(&g, sn, n_min);
		sn->first_ts = sn->last_ts = TL_TIME_NONE;
		c->inputs[i].label = input_labels[i];
		c->inputs[i].path = input_labels[i];
		c->inputs[i].resolved = input_labels[i];
		c->inputs[i].sensor = (uint32_t)i;
		c->inputs[i].resolution_us = 1;
	}

	/* Sightings: a lookup is lost when its sensor has no data in that minute; one also
	 * seen on the second input is kept on input 0 and marked as its duplicate. */
	qsort(g.lk.v, g.lk.n, sizeof(*g.lk.v), sim_cmp);
	tl_lookup_t *lk = tl_xcalloc(2 * g.lk.n + 1, sizeof(*lk));
	size_t n = 0, n_unique = 0;
	uint64_t pos[CAL_MAX_SENSORS] = {0, 0};
	for (size_t i = 0; i < g.lk.n; i++) {
		const sim_lk_t *l = &g.lk.v[i];
		size_t m = (size_t)((l->ts - g.t0) / MIN_US);
		int seen0 = bit_get(c->sensors[l->sensor].minutes, m);
		int other = n_sensors > 1 ? 1 - l->sensor : l->sensor;
		int seen1 = n_sensors > 1 && l->dup && bit_get(c->sensors[other].minutes, m);
		if (!seen0 && !seen1)
			continue;
		uint32_t in0 = seen0 ? l->sensor : (uint32_t)other;
		if (seen0 && seen1)
			in0 = 0;
		size_t kept = n;
		tl_lookup_t *x = &lk[n++];
		x->ts = l->ts;
		x->input = in0;
		x->source = l->source;
		x->pos = pos[in0]++;
		x->dup_of = TL_NONE32;
		x->qtype = 1;
		n_unique++;
		if (seen0 && seen1) {
			tl_lookup_t *y = &lk[n++];
			*y = *x;
			y->input = 1;
			y->pos = pos[1]++;
			y->dup_of = (uint32_t)kept;
		}
		for (size_t j = 0; j < n_sensors; j++) {
			if (j != x->input && !(seen0 && seen1))
				continue;
			tl_ctx_sensor_t *sn = &c->sensors[j];
			if (sn->first_ts == TL_TIME_NONE)
				sn->first_ts = l->ts;
			sn->last_ts = l->ts;
		}
	}
	free(g.lk.v);
	free(g.seg);
	free(g.src);

	static const char *names[1] = {"www.target.example"};
	tl_ctx_t *ctx = &c->ctx;
	ctx->inputs = c->inputs;
	ctx->n_inputs = n_sensors;
	ctx->sensors = c->sensors;
	ctx->n_sensors = n_sensors;
	ctx->sources = src;
	ctx->n_sources = n_src;
	ctx->orgs = orgs;
	ctx->names = names;
	ctx->n_names = 1;
	ctx->lookups = lk;
	ctx->n_lookups = n;
	ctx->n_unique = n_unique;
	ctx->span_start = g.t0;
	ctx->span_end = g.t1;
	ctx->ttl_s = g.ttl / SEC_US;
	ctx->ttl_method = "case";
}

void cal_case_free(cal_case_t *c)
{
	for (size_t i = 0; i < CAL_MAX_SENSORS; i++)
		free(c->sensors[i].minutes);
	free(c->ctx.lookups);
	free(c->ctx.sources);
	free(c->ctx.orgs);
	memset(c, 0, sizeof(*c));
}

/* Which power column an effect belongs to: 1.5x, 2x, 3x (a stronger one counts as 3x). */
static size_t effect_level(double e)
{
	return e < 1.75 ? 0 : e < 2.5 ? 1 : 2;
}

void cal_tally_add(cal_tally_t *t, const cal_case_t *c, const tl_correlate_model_t *m,
		   double alpha)
{
	int hit = 0, org_hit = 0, all_null = 1;
	t->cases++;
	t->lookups += m->lookups;
	for (size_t i = 0; i < m->n_events && i < CAL_EVENTS; i++) {
		const tl_correlate_test_t *x = &m->tests[i];
		int null = c->effect[i] == 1;
		all_null &= null;
		t->events++;
		if (x->status != TL_CORRELATE_TESTABLE) {
			t->untestable++;
			if (!null)
				t->eff_n[effect_level(c->effect[i])]++;
			continue;
		}
		if (null) {
			t->null_tests++;
			t->null_rr_sum += x->rr;
			t->null_sig += x->significant != 0;
			hit |= x->significant != 0;
		} else {
			size_t l = effect_level(c->effect[i]);
			t->eff_n[l]++;
			t->eff_hit[l] += x->significant != 0;
		}
	}
	for (size_t j = 0; j < m->n_org_tests; j++) {
		const tl_correlate_test_t *x = &m->org_tests[j];
		if (x->event < CAL_EVENTS && c->effect[x->event] == 1 &&
		    x->status == TL_CORRELATE_TESTABLE && x->significant)
			org_hit = 1;
	}
	t->fwer_hits += hit;
	t->org_hits += org_hit;
	if (all_null && m->perm.done) {
		t->perm_cases++;
		t->perm_rejects += m->perm.p < alpha;
	}
}
