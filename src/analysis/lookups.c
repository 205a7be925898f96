/* lookups.c - target matching, lookup collection per input, and the merge:
 * interning, ordering, clock-offset estimation and de-duplication. */
#include "analysis/lookups.h"
#include "util/strmap.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- the target ---- */

struct tl_target {
	tl_strmap_t *names;
	char **suffixes;
	size_t n_suffixes;
};

tl_target_t *tl_target_new(void)
{
	tl_target_t *t = tl_xcalloc(1, sizeof(*t));
	t->names = tl_strmap_new();
	return t;
}

void tl_target_free(tl_target_t *t)
{
	if (!t)
		return;
	tl_strmap_free(t->names);
	for (size_t i = 0; i < t->n_suffixes; i++)
		free(t->suffixes[i]);
	free(t->suffixes);
	free(t);
}

void tl_target_add_name(tl_target_t *t, const char *name)
{
	tl_strmap_put(t->names, name, strlen(name), 1);
}

void tl_target_add_suffix(tl_target_t *t, const char *suffix)
{
	t->suffixes = tl_xrealloc(t->suffixes, (t->n_suffixes + 1) * sizeof(char *));
	t->suffixes[t->n_suffixes++] = tl_xstrdup(suffix);
}

/* Lower-cases ASCII letters only (RFC 4343: DNS compares names ASCII-case-insensitively). */
static size_t lower_copy(char *dst, const char *src, size_t cap)
{
	size_t n = 0;
	for (; src[n] && n + 1 < cap; n++) {
		char c = src[n];
		dst[n] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	dst[n] = '\0';
	return n;
}

static int has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	return 0;
}

/* name is lower-case. A suffix "b.example." matches itself and "x.b.example."
 * but not "xb.example.": the match must start at a label boundary (an
 * escaped dot "\." inside a label is not a boundary). */
static int suffix_match(const char *name, size_t len, const char *suf)
{
	size_t sl = strlen(suf);
	if (sl > len)
		return 0;
	if (memcmp(name + len - sl, suf, sl) != 0)
		return 0;
	if (sl == len)
		return 1;
	size_t dot = len - sl - 1;
	if (name[dot] != '.')
		return 0;
	/* count the backslashes before the dot: an odd number escapes it */
	size_t bs = 0;
	while (dot > bs && name[dot - bs - 1] == '\\')
		bs++;
	return bs % 2 == 0;
}

static int match_lower(const tl_target_t *t, const char *lname, size_t len)
{
	if (tl_strmap_get(t->names, lname, len) != UINT32_MAX)
		return 1;
	for (size_t i = 0; i < t->n_suffixes; i++)
		if (suffix_match(lname, len, t->suffixes[i]))
			return 1;
	return 0;
}

int tl_target_match(const tl_target_t *t, const char *qname)
{
	char buf[1024];
	size_t len = lower_copy(buf, qname, sizeof(buf));
	return match_lower(t, buf, len);
}

/* ---- collection ---- */

typedef struct raw {
	tl_lookup_t lk;
	tl_addr_t src;
	char *name; /* lower-cased, owned */
} raw_t;

/* A response to a target name whose answer is known: for lookups without a response of
 * their own, the latest answer to the same name and type stands in (tl_lookups_build). */
typedef struct ans_obs {
	int64_t ts;         /* offset applied */
	uint32_t input;
	uint64_t pos;
	uint32_t name;      /* raw: unused; merged: index into ctx->names */
	char *name_s;       /* lower-cased, owned */
	uint16_t qtype;
	uint8_t answer;     /* TL_ANS_*, never TL_ANS_UNKNOWN */
	uint32_t neg_ttl_s;
} ans_obs_t;

struct tl_lkcol {
	const tl_target_t *t;
	uint64_t rcodes[TL_RCODE_SLOTS]; /* responses for target names, by rcode */
	raw_t *raws;
	size_t n, cap;
	ans_obs_t *ans;
	size_t n_ans, cap_ans;
};

tl_lkcol_t *tl_lkcol_new(const tl_target_t *t)
{
	tl_lkcol_t *c = tl_xcalloc(1, sizeof(*c));
	c->t = t;
	return c;
}

void tl_lkcol_free(tl_lkcol_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->raws[i].name);
	free(c->raws);
	for (size_t i = 0; i < c->n_ans; i++)
		free(c->ans[i].name_s);
	free(c->ans);
	free(c);
}

/* The MINIMUM field, the last of an SOA's rdata in presentation form ("mname rname serial
 * refresh retry expire minimum", RFC 1035 3.3.13): 1 and *v when it is a decimal number
 * that fits 32 bits (RFC 1035: an unsigned 32-bit field), 0 otherwise. */
static int soa_minimum(const char *data, uint32_t *v)
{
	size_t n = strlen(data);
	while (n > 0 && (data[n - 1] == ' ' || data[n - 1] == '\t'))
		n--;
	size_t b = n;
	while (b > 0 && data[b - 1] >= '0' && data[b - 1] <= '9')
		b--;
	if (b == n || n - b > 10 || (b > 0 && data[b - 1] != ' ' && data[b - 1] != '\t'))
		return 0;
	uint64_t x = 0;
	for (size_t i = b; i < n; i++)
		x = x * 10 + (uint64_t)(data[i] - '0');
	if (x > UINT32_MAX)
		return 0;
	*v = (uint32_t)x;
	return 1;
}

/* What a response says about its question: TL_ANS_* and, for a negative answer, the
 * negative-caching TTL (RFC 2308 5: min(SOA TTL, SOA MINIMUM) of the SOA in the authority
 * section; a negative answer without a usable SOA leaves it unknown). */
static void classify_answer(const tl_record_t *r, uint8_t *answer, uint32_t *neg_ttl_s)
{
	*answer = TL_ANS_UNKNOWN;
	*neg_ttl_s = TL_NEG_TTL_UNKNOWN;
	if (!(r->known & TL_KNOWN_RCODE))
		return;
	if (r->rcode == 3) {
		*answer = TL_ANS_NXDOMAIN;
	} else if (r->rcode != 0) {
		*answer = TL_ANS_OTHER;
		return;
	} else if (!(r->known & TL_KNOWN_ANSWERS)) {
		return; /* NOERROR: positive or NODATA, the evidence does not say */
	} else {
		for (size_t i = 0; i < r->n_answers; i++) {
			uint16_t t = r->answers[i].type;
			/* 255: ANY (RFC 1035 3.2.3) is answered by any type */
			if (t == r->qtype || t == TL_TYPE_UNKNOWN || r->qtype == 255) {
				*answer = TL_ANS_POSITIVE;
				return;
			}
		}
		*answer = TL_ANS_NODATA; /* empty, or only a CNAME chain without the type */
	}
	if (!(r->known & TL_KNOWN_SECTIONS))
		return;
	for (size_t i = 0; i < r->n_authority; i++) {
		const tl_rr_t *rr = &r->authority[i];
		uint32_t minimum;
		if (rr->type != 6 || !rr->data || rr->ttl < 0 || !soa_minimum(rr->data, &minimum))
			continue;
		*neg_ttl_s = rr->ttl < (int64_t)minimum ? (uint32_t)rr->ttl : minimum;
		return;
	}
}

/* A response to a target name: its answer goes to the query it was paired with (the
 * matcher or the log line give that query's position) and into the list of answers seen. */
static void add_answer(tl_lkcol_t *c, const tl_record_t *r, const char *lname, size_t len,
		       uint32_t input, int64_t offset_us)
{
	uint8_t answer;
	uint32_t neg;
	classify_answer(r, &answer, &neg);
	if (answer == TL_ANS_UNKNOWN)
		return;
	if (r->query_pos != 0) {
		/* the query is among the latest collected: look back, not past a minute
		 * before the response (the matcher pairs within its timeout, seconds) */
		for (size_t i = c->n; i-- > 0;) {
			tl_lookup_t *lk = &c->raws[i].lk;
			if (r->ts != TL_TIME_NONE && lk->ts < r->ts + offset_us - 60 * TL_US_PER_SEC)
				break;
			if (lk->pos != r->query_pos)
				continue;
			if (lk->answer_src == TL_ANS_SRC_NONE) {
				lk->answer = answer;
				lk->neg_ttl_s = neg;
				lk->answer_src = TL_ANS_SRC_OWN;
			}
			break;
		}
	}
	if (r->ts == TL_TIME_NONE)
		return;
	if (c->n_ans == c->cap_ans) {
		c->cap_ans = c->cap_ans ? 2 * c->cap_ans : 64;
		c->ans = tl_xrealloc(c->ans, c->cap_ans * sizeof(ans_obs_t));
	}
	c->ans[c->n_ans++] = (ans_obs_t){r->ts + offset_us, input, r->pos, 0,
					 tl_xstrndup(lname, len), r->qtype, answer, neg};
}

void tl_lkcol_add(tl_lkcol_t *c, const tl_record_t *r, uint32_t input, int64_t offset_us)
{
	/* a lookup is a query: QR known and clear, with a question and a time */
	if (!r->qname || !(r->known & TL_KNOWN_QR) || r->ts == TL_TIME_NONE)
		return;
	char buf[1024];
	size_t len = lower_copy(buf, r->qname, sizeof(buf));
	if (!match_lower(c->t, buf, len))
		return;
	if (r->qr) {
		/* the answers the target's names got, as the evidence holds them */
		if (r->known & TL_KNOWN_RCODE)
			c->rcodes[r->rcode < TL_RCODE_SLOTS ? r->rcode : TL_RCODE_SLOTS - 1]++;
		add_answer(c, r, buf, len, input, offset_us);
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->raws = tl_xrealloc(c->raws, c->cap * sizeof(raw_t));
	}
	raw_t *w = &c->raws[c->n++];
	memset(w, 0, sizeof(*w));
	w->name = tl_xstrndup(buf, len);
	w->src = r->src;
	tl_lookup_from_record(&w->lk, r, input, offset_us);
}

void tl_lookup_from_record(tl_lookup_t *lk, const tl_record_t *r, uint32_t input,
			   int64_t offset_us)
{
	memset(lk, 0, sizeof(*lk));
	lk->ts = r->ts + offset_us;
	lk->input = input;
	lk->pos = r->pos;
	lk->dup_of = TL_NONE32;
	lk->answer = TL_ANS_UNKNOWN;
	lk->answer_src = TL_ANS_SRC_NONE;
	lk->neg_ttl_s = TL_NEG_TTL_UNKNOWN;
	lk->qtype = r->qtype;
	lk->transport = r->transport;
	lk->server = r->dst;
	if ((r->known & TL_KNOWN_ID) && (r->known & TL_KNOWN_SPORT)) {
		lk->flags |= TL_LK_HAS_ID;
		lk->id = r->id;
		lk->sport = r->sport;
	}
	if (r->known & TL_KNOWN_IPTTL) {
		lk->flags |= TL_LK_HAS_IPTTL;
		lk->ip_ttl = r->ip_ttl;
	}
	if (r->known & TL_KNOWN_EDNS) {
		lk->flags |= TL_LK_HAS_EDNS;
		if (r->edns) {
			lk->edns_size = r->edns->udp_size;
			if (r->edns->do_bit)
				lk->flags |= TL_LK_DO;
			for (size_t i = 0; i < r->edns->n_options; i++) {
				uint16_t code = r->edns->option_codes[i];
				lk->opt_set |= code < 31 ? (UINT32_C(1) << code) : (UINT32_C(1) << 31);
			}
		}
	}
	if (has_upper(r->qname))
		lk->flags |= TL_LK_MIXED_CASE;
	if ((r->flags & TL_FLAG_RD) != 0)
		lk->flags |= TL_LK_RD;
}

/* ---- merge ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_addr(const void *a, const void *b)
{
	return tl_addr_cmp(a, b);
}

static int cmp_lookup(const void *pa, const void *pb)
{
	const tl_lookup_t *a = pa, *b = pb;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return 0;
}

/* Group order: source, name, type, then time (ties: input, position). */
static int cmp_group(const void *pa, const void *pb, void *arg)
{
	const tl_lookup_t *lk = arg;
	const tl_lookup_t *a = &lk[*(const uint32_t *)pa], *b = &lk[*(const uint32_t *)pb];
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	if (a->name != b->name)
		return a->name < b->name ? -1 : 1;
	if (a->qtype != b->qtype)
		return a->qtype < b->qtype ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int same_group(const tl_lookup_t *a, const tl_lookup_t *b)
{
	return a->source == b->source && a->name == b->name && a->qtype == b->qtype;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_sorted(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint32_t sensor_of(const tl_ctx_t *ctx, const tl_lookup_t *l)
{
	return ctx->inputs[l->input].sensor;
}

/* What the de-duplication reads besides the sightings: each input's sensor. */
typedef struct dd_in {
	tl_lookup_t *lk;
	const uint32_t *input_sensor;
	size_t n_sensors;
} dd_in_t;

/* Offsets from sightings that share source, name, type, ID and port, at two
 * sensors, within this window: wide enough for clocks some seconds apart, narrow
 * enough that a reused 16-bit ID is very unlikely to pair different queries. */
#define OFFSET_PAIR_WINDOW_US (30 * TL_US_PER_SEC)

static void estimate_offsets(const tl_ctx_t *ctx, const uint32_t *order, size_t n,
			     tl_dedup_stats_t *st, double *off_s)
{
	size_t ns = ctx->n_sensors;
	double **d = tl_xcalloc(ns * ns, sizeof(double *));
	size_t *dn = tl_xcalloc(ns * ns, sizeof(size_t));
	size_t *dc = tl_xcalloc(ns * ns, sizeof(size_t));
	const tl_lookup_t *lk = ctx->lookups;
	for (size_t i = 0; i < n; i++) {
		const tl_lookup_t *a = &lk[order[i]];
		if (!(a->flags & TL_LK_HAS_ID))
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const tl_lookup_t *b = &lk[order[j]];
			if (!same_group(a, b) || b->ts - a->ts > OFFSET_PAIR_WINDOW_US)
				break;
			if (!(b->flags & TL_LK_HAS_ID) || a->id != b->id || a->sport != b->sport)
				continue;
			uint32_t sa = sensor_of(ctx, a), sb = sensor_of(ctx, b);
			if (sa == sb)
				continue;
			double delta = (double)(b->ts - a->ts) / 1e6; /* b's clock minus a's */
			if (sa > sb) {
				uint32_t t = sa;
				sa = sb;
				sb = t;
				delta = -delta;
			}
			size_t k = sa * ns + sb;
			if (dn[k] == dc[k]) {
				dc[k] = dc[k] ? 2 * dc[k] : 16;
				d[k] = tl_xrealloc(d[k], dc[k] * sizeof(double));
			}
			d[k][dn[k]++] = delta;
			break; /* each sighting pairs with its nearest later partner only */
		}
	}
	for (uint32_t a = 0; a < ns; a++) {
		for (uint32_t b = a + 1; b < ns; b++) {
			size_t k = a * ns + b;
			if (!dn[k])
				continue;
			qsort(d[k], dn[k], sizeof(double), cmp_double);
			double med = median_sorted(d[k], dn[k]);
			for (size_t i = 0; i < dn[k]; i++)
				d[k][i] = d[k][i] > med ? d[k][i] - med : med - d[k][i];
			qsort(d[k], dn[k], sizeof(double), cmp_double);
			double mad = median_sorted(d[k], dn[k]);
			st->offsets = tl_xrealloc(st->offsets, (st->n_offsets + 1) * sizeof(tl_offset_est_t));
			st->offsets[st->n_offsets++] = (tl_offset_est_t){a, b, dn[k], med, mad};
			off_s[a * ns + b] = med;
			off_s[b * ns + a] = -med;
		}
	}
	for (size_t k = 0; k < ns * ns; k++)
		free(d[k]);
	free(d);
	free(dn);
	free(dc);
}

/* The parts of a query a resolver sets the same way on every query it sends. */
static int same_fingerprint(const tl_lookup_t *a, const tl_lookup_t *b)
{
	const uint8_t fp = TL_LK_HAS_EDNS | TL_LK_DO | TL_LK_MIXED_CASE | TL_LK_HAS_IPTTL;
	if ((a->flags & fp) != (b->flags & fp))
		return 0;
	if ((a->flags & TL_LK_HAS_IPTTL) && a->ip_ttl != b->ip_ttl)
		return 0;
	if ((a->flags & TL_LK_HAS_EDNS) && (a->edns_size != b->edns_size || a->opt_set != b->opt_set))
		return 0;
	return 1;
}

/* 1 if the kept lookup `kept` already absorbed a sighting seen at sensor ss
 * asking server srv (among the group's sightings order[g0..i)). */
static int absorbed_from(const dd_in_t *in, const uint32_t *order, size_t g0, size_t i,
			 uint32_t kept, uint32_t ss, const tl_addr_t *srv)
{
	for (size_t j = g0; j < i; j++) {
		const tl_lookup_t *d = &in->lk[order[j]];
		if (d->dup_of == kept && in->input_sensor[d->input] == ss && tl_addr_equal(&d->server, srv))
			return 1;
	}
	return 0;
}

static void dedup(const dd_in_t *in, const uint32_t *order, size_t n, int64_t tol_us,
		  const double *off_s, tl_dedup_stats_t *st)
{
	tl_lookup_t *lk = in->lk;
	size_t ns = in->n_sensors;
	int64_t max_off_us = 0;
	for (size_t k = 0; off_s && k < ns * ns; k++) {
		int64_t o = (int64_t)(off_s[k] * 1e6);
		if (o < 0)
			o = -o;
		if (o > max_off_us)
			max_off_us = o;
	}
	size_t g0 = 0; /* first index of the current group in order[] */
	for (size_t i = 0; i < n; i++) {
		tl_lookup_t *s = &lk[order[i]];
		if (i > 0 && !same_group(&lk[order[i - 1]], s))
			g0 = i;
		uint32_t ss = in->input_sensor[s->input];
		uint32_t best = TL_NONE32;
		int64_t best_d = 0;
		/* look back over kept lookups of this group within the widest window */
		for (size_t j = i; j-- > g0;) {
			tl_lookup_t *k = &lk[order[j]];
			if (s->ts - k->ts > tol_us + max_off_us)
				break;
			if (k->dup_of != TL_NONE32)
				continue;
			uint32_t ks = in->input_sensor[k->input];
			/* one sighting per (sensor, server) place: a sensor that taps two
			 * servers can see a query at one and its retry at the other */
			if (ks == ss && tl_addr_equal(&k->server, &s->server))
				continue;
			if (absorbed_from(in, order, g0, i, order[j], ss, &s->server))
				continue;
			/* Same ID and port: the same query seen twice. Another ID: a
			 * resolver's retry at another server (RFC 1035 4.2.1 ... the answer
			 * did not reach it), one lookup all the same, but only when the
			 * retry carries the same fingerprint: a query from elsewhere (a
			 * spoofed one) must not hide behind a real one. */
			int same_query = (s->flags & TL_LK_HAS_ID) && (k->flags & TL_LK_HAS_ID) &&
					 s->id == k->id && s->sport == k->sport;
			if ((s->flags & TL_LK_HAS_ID) && (k->flags & TL_LK_HAS_ID) && !same_query &&
			    !same_fingerprint(s, k))
				continue;
			/* compare on k's clock: subtract the estimated offset of s's sensor */
			int64_t corr = off_s ? (int64_t)(off_s[ks * ns + ss] * 1e6) : 0;
			int64_t d = (s->ts - corr) - k->ts;
			if (d < 0)
				d = -d;
			if (d > tol_us)
				continue;
			if (best == TL_NONE32 || d < best_d) {
				best = order[j];
				best_d = d;
			}
		}
		if (best != TL_NONE32) {
			s->dup_of = best;
			st->removed++;
			const tl_lookup_t *b = &lk[best];
			if ((s->flags & TL_LK_HAS_ID) && (b->flags & TL_LK_HAS_ID)) {
				if (s->id == b->id && s->sport == b->sport)
					st->removed_by_id++;
				else
					st->removed_as_retry++;
			}
		}
	}
	/* a sighting can be matched before a closer, earlier one in time order of its
	 * group only when sorted (ts, input, pos): dup_of always points to a kept
	 * lookup that is earlier or equal in time, so chains do not form */
}

/* Answers ordered by (name, type, time, input, position): fixed by the evidence alone. */
static int cmp_ans(const void *pa, const void *pb)
{
	const ans_obs_t *a = pa, *b = pb;
	if (a->name != b->name)
		return a->name < b->name ? -1 : 1;
	if (a->qtype != b->qtype)
		return a->qtype < b->qtype ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* The answer of each kept lookup: its own response, else that of a duplicate sighting (a
 * retry that got through after the first answer was lost, or another sensor's copy of the
 * exchange), else the latest answer to the same name and type at or before its time. */
static void resolve_answers(tl_ctx_t *ctx, tl_lkcol_t *const *cols, size_t n_cols,
			    const tl_strmap_t *nmap)
{
	tl_lookup_t *lk = ctx->lookups;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *d = &lk[i];
		if (d->dup_of == TL_NONE32 || d->answer_src != TL_ANS_SRC_OWN)
			continue;
		tl_lookup_t *k = &lk[d->dup_of];
		if (k->answer_src == TL_ANS_SRC_NONE) { /* the first in (time, input, pos) order */
			k->answer = d->answer;
			k->neg_ttl_s = d->neg_ttl_s;
			k->answer_src = TL_ANS_SRC_OWN;
		}
	}
	size_t n = 0;
	for (size_t c = 0; c < n_cols; c++)
		n += cols[c]->n_ans;
	ans_obs_t *v = tl_xmalloc((n ? n : 1) * sizeof(*v));
	size_t k = 0;
	for (size_t c = 0; c < n_cols; c++)
		for (size_t i = 0; i < cols[c]->n_ans; i++) {
			ans_obs_t a = cols[c]->ans[i];
			a.name = tl_strmap_get(nmap, a.name_s, strlen(a.name_s));
			a.name_s = NULL; /* still owned by the collection */
			if (a.name != UINT32_MAX) /* a name nobody's query was seen for */
				v[k++] = a;
		}
	qsort(v, k, sizeof(*v), cmp_ans);
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		tl_lookup_t *l = &lk[i];
		if (l->dup_of != TL_NONE32 || l->answer_src != TL_ANS_SRC_NONE)
			continue;
		/* the last answer with (name, type, time) <= (l's name, type, time) */
		size_t lo = 0, hi = k;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const ans_obs_t *a = &v[mid];
			int le = a->name != l->name	  ? a->name < l->name
				 : a->qtype != l->qtype ? a->qtype < l->qtype
							: a->ts <= l->ts;
			if (le)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || v[lo - 1].name != l->name || v[lo - 1].qtype != l->qtype)
			continue;
		l->answer = v[lo - 1].answer;
		l->neg_ttl_s = v[lo - 1].neg_ttl_s;
		l->answer_src = TL_ANS_SRC_LATEST;
	}
	free(v);
}

void tl_lookups_dedup(tl_lookup_t *lk, size_t n, const uint32_t *input_sensor, size_t n_sensors,
		      int64_t tolerance_us, const double *off_s, tl_dedup_stats_t *st)
{
	uint32_t *order = tl_xmalloc((n ? n : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		order[i] = (uint32_t)i;
		lk[i].dup_of = TL_NONE32;
	}
	qsort_r(order, n, sizeof(uint32_t), cmp_group, lk);
	dd_in_t in = {lk, input_sensor, n_sensors};
	dedup(&in, order, n, tolerance_us, off_s, st);
	free(order);
}

void tl_lookups_build(tl_ctx_t *ctx, tl_lkcol_t *const *cols, size_t n_cols,
		      int64_t tolerance_us, tl_dedup_stats_t *st)
{
	memset(st, 0, sizeof(*st));
	size_t total = 0;
	for (size_t c = 0; c < n_cols; c++)
		total += cols[c]->n;

	/* names and sources in sorted order, so indices do not depend on input order */
	const char **names = tl_xmalloc((total ? total : 1) * sizeof(char *));
	tl_addr_t *srcs = tl_xmalloc((total ? total : 1) * sizeof(tl_addr_t));
	size_t k = 0;
	for (size_t c = 0; c < n_cols; c++)
		for (size_t i = 0; i < cols[c]->n; i++, k++) {
			names[k] = cols[c]->raws[i].name;
			srcs[k] = cols[c]->raws[i].src;
		}
	qsort(names, total, sizeof(char *), cmp_str);
	qsort(srcs, total, sizeof(tl_addr_t), cmp_addr);
	tl_strmap_t *nmap = tl_strmap_new();
	size_t nn = 0, nsrc = 0;
	for (size_t i = 0; i < total; i++) {
		if (i && strcmp(names[i], names[i - 1]) == 0)
			continue;
		names[nn] = tl_xstrdup(names[i]);
		tl_strmap_put(nmap, names[nn], strlen(names[nn]), (uint32_t)nn);
		nn++;
	}
	for (size_t i = 0; i < total; i++) {
		if (i && tl_addr_cmp(&srcs[i], &srcs[i - 1]) == 0)
			continue;
		srcs[nsrc++] = srcs[i];
	}
	ctx->names = names;
	ctx->n_names = nn;
	ctx->sources = tl_xcalloc(nsrc ? nsrc : 1, sizeof(tl_ctx_source_t));
	for (size_t i = 0; i < nsrc; i++) {
		ctx->sources[i].addr = srcs[i];
		ctx->sources[i].org = TL_NONE32;
	}
	ctx->n_sources = nsrc;

	ctx->lookups = tl_xmalloc((total ? total : 1) * sizeof(tl_lookup_t));
	k = 0;
	for (size_t c = 0; c < n_cols; c++)
		for (size_t i = 0; i < cols[c]->n; i++, k++) {
			raw_t *w = &cols[c]->raws[i];
			tl_lookup_t lk = w->lk;
			lk.name = tl_strmap_get(nmap, w->name, strlen(w->name));
			/* binary search for the source */
			size_t lo = 0, hi = nsrc;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				int cmp = tl_addr_cmp(&srcs[mid], &w->src);
				if (cmp == 0) {
					lo = mid;
					break;
				}
				if (cmp < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			lk.source = (uint32_t)lo;
			ctx->lookups[k] = lk;
		}
	free(srcs);
	ctx->n_lookups = total;
	qsort(ctx->lookups, total, sizeof(tl_lookup_t), cmp_lookup);

	uint32_t *order = tl_xmalloc((total ? total : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < total; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, total, sizeof(uint32_t), cmp_group, ctx->lookups);
	size_t ns = ctx->n_sensors;
	double *off_s = tl_xcalloc(ns * ns, sizeof(double));
	estimate_offsets(ctx, order, total, st, off_s);
	uint32_t *input_sensor = tl_xmalloc((ctx->n_inputs ? ctx->n_inputs : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < ctx->n_inputs; i++)
		input_sensor[i] = ctx->inputs[i].sensor;
	dd_in_t in = {ctx->lookups, input_sensor, ns};
	dedup(&in, order, total, tolerance_us, off_s, st);
	free(input_sensor);
	free(off_s);
	free(order);
	resolve_answers(ctx, cols, n_cols, nmap);
	tl_strmap_free(nmap);
	for (size_t c = 0; c < n_cols; c++)
		for (size_t k2 = 0; k2 < TL_RCODE_SLOTS; k2++)
			st->response_rcodes[k2] += cols[c]->rcodes[k2];
	st->sightings = total;
	st->unique = total - st->removed;
	ctx->n_unique = st->unique;
}

void tl_dedup_stats_free(tl_dedup_stats_t *st)
{
	free(st->offsets);
	st->offsets = NULL;
	st->n_offsets = 0;
}
