/* names.c - names and addresses collector: bindings, success/failure, first querier. */
#include "analysis/names.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#define RR_A 1      /* RFC 1035 3.2.2 */
#define RR_AAAA 28  /* RFC 3596 2.1 */
#define CLASS_IN 1
#define RCODE_NOERROR 0  /* RFC 1035 4.1.1 */
#define RCODE_SERVFAIL 2
#define RCODE_NXDOMAIN 3

/* A position in the evidence; total order (ts, input, pos). ts == TL_TIME_NONE: none. */
typedef struct ref {
	int64_t ts;
	uint64_t pos;
	uint32_t input;
} ref_t;

typedef struct fail {
	ref_t at;
	uint16_t rcode;
} fail_t;

typedef struct nent {
	char *name;
	size_t len;
	uint32_t hash;
	int64_t first_seen, last_seen;
	uint64_t queries, responses;
	ref_t success;      /* latest success */
	fail_t *fails;      /* failures after success, sorted, unique, at most max_failures */
	size_t n_fails, cap_fails;
	uint64_t dropped;   /* failures dropped by the cap */
	fail_t dropped_min; /* the earliest of them */
	ref_t first_query;
	tl_addr_t querier;
	uint16_t querier_port;
} nent_t;

typedef struct pent {
	tl_addr_t ip;
	uint32_t name;
	uint32_t hash;
	ref_t first;
	int64_t last;
	uint64_t count;
} pent_t;

struct tl_names {
	tl_names_settings_t set;
	nent_t *names;
	size_t n_names, cap_names;
	uint32_t *ntab; /* open addressing: index + 1, 0 = empty */
	size_t ntab_cap;
	pent_t *pairs;
	size_t n_pairs, cap_pairs;
	uint32_t *ptab;
	size_t ptab_cap;
};

void tl_names_settings_default(tl_names_settings_t *s)
{
	s->max_failures = 256;
}

static const ref_t REF_NONE = {TL_TIME_NONE, 0, 0};

static int ref_cmp(const ref_t *a, const ref_t *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return 0;
}

static int ref_none(const ref_t *a)
{
	return a->ts == TL_TIME_NONE;
}

/* Earlier of a (may be none) and b. */
static void ref_min(ref_t *a, const ref_t *b)
{
	if (!ref_none(b) && (ref_none(a) || ref_cmp(b, a) < 0))
		*a = *b;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a over the lower-cased bytes */
	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)lower(s[i]);
		h *= 16777619u;
	}
	return h;
}

static uint32_t hash_pair(const tl_addr_t *ip, uint32_t name)
{
	uint32_t h = 2166136261u;
	h ^= ip->family;
	h *= 16777619u;
	for (size_t i = 0; i < 16; i++) {
		h ^= ip->bytes[i];
		h *= 16777619u;
	}
	h ^= name;
	h *= 16777619u;
	return h ^ (h >> 15);
}

tl_names_t *tl_names_new(const tl_names_settings_t *s)
{
	tl_names_t *n = tl_xcalloc(1, sizeof(*n));
	if (s)
		n->set = *s;
	else
		tl_names_settings_default(&n->set);
	if (n->set.max_failures == 0)
		n->set.max_failures = 1;
	return n;
}

void tl_names_free(tl_names_t *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_names; i++) {
		free(n->names[i].name);
		free(n->names[i].fails);
	}
	free(n->names);
	free(n->ntab);
	free(n->pairs);
	free(n->ptab);
	free(n);
}

static void ntab_grow(tl_names_t *n)
{
	size_t cap = n->ntab_cap ? n->ntab_cap * 2 : 64;
	uint32_t *t = tl_xcalloc(cap, sizeof(*t));
	for (size_t i = 0; i < n->n_names; i++) {
		size_t k = n->names[i].hash & (cap - 1);
		while (t[k])
			k = (k + 1) & (cap - 1);
		t[k] = (uint32_t)i + 1;
	}
	free(n->ntab);
	n->ntab = t;
	n->ntab_cap = cap;
}

/* Index of the name s[0..len) (compared lower-cased), created when new. */
static uint32_t intern(tl_names_t *n, const char *s, size_t len)
{
	if ((n->n_names + 1) * 2 > n->ntab_cap)
		ntab_grow(n);
	uint32_t h = hash_name(s, len);
	size_t k = h & (n->ntab_cap - 1);
	while (n->ntab[k]) {
		nent_t *e = &n->names[n->ntab[k] - 1];
		if (e->hash == h && e->len == len) {
			size_t i = 0;
			while (i < len && e->name[i] == lower(s[i]))
				i++;
			if (i == len)
				return n->ntab[k] - 1;
		}
		k = (k + 1) & (n->ntab_cap - 1);
	}
	if (n->n_names == n->cap_names) {
		n->cap_names = n->cap_names ? n->cap_names * 2 : 64;
		n->names = tl_xrealloc(n->names, n->cap_names * sizeof(*n->names));
	}
	nent_t *e = &n->names[n->n_names];
	memset(e, 0, sizeof(*e));
	e->name = tl_xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		e->name[i] = lower(s[i]);
	e->name[len] = '\0';
	e->len = len;
	e->hash = h;
	e->first_seen = e->last_seen = TL_TIME_NONE;
	e->success = REF_NONE;
	e->dropped_min.at = REF_NONE;
	e->first_query = REF_NONE;
	n->ntab[k] = (uint32_t)n->n_names + 1;
	return (uint32_t)n->n_names++;
}

static void ptab_grow(tl_names_t *n)
{
	size_t cap = n->ptab_cap ? n->ptab_cap * 2 : 64;
	uint32_t *t = tl_xcalloc(cap, sizeof(*t));
	for (size_t i = 0; i < n->n_pairs; i++) {
		size_t k = n->pairs[i].hash & (cap - 1);
		while (t[k])
			k = (k + 1) & (cap - 1);
		t[k] = (uint32_t)i + 1;
	}
	free(n->ptab);
	n->ptab = t;
	n->ptab_cap = cap;
}

static pent_t *pair_get(tl_names_t *n, const tl_addr_t *ip, uint32_t name)
{
	if ((n->n_pairs + 1) * 2 > n->ptab_cap)
		ptab_grow(n);
	uint32_t h = hash_pair(ip, name);
	size_t k = h & (n->ptab_cap - 1);
	while (n->ptab[k]) {
		pent_t *p = &n->pairs[n->ptab[k] - 1];
		if (p->hash == h && p->name == name && tl_addr_equal(&p->ip, ip))
			return p;
		k = (k + 1) & (n->ptab_cap - 1);
	}
	if (n->n_pairs == n->cap_pairs) {
		n->cap_pairs = n->cap_pairs ? n->cap_pairs * 2 : 64;
		n->pairs = tl_xrealloc(n->pairs, n->cap_pairs * sizeof(*n->pairs));
	}
	pent_t *p = &n->pairs[n->n_pairs];
	memset(p, 0, sizeof(*p));
	p->ip = *ip;
	p->name = name;
	p->hash = h;
	p->first = REF_NONE;
	p->last = TL_TIME_NONE;
	n->ptab[k] = (uint32_t)n->n_pairs + 1;
	n->n_pairs++;
	return p;
}

static void note_dropped(nent_t *e, const fail_t *f)
{
	e->dropped++;
	if (ref_none(&e->dropped_min.at) || ref_cmp(&f->at, &e->dropped_min.at) < 0)
		e->dropped_min = *f;
}

/* Keeps failures strictly after the latest success, sorted, unique, capped:
 * when full, the latest are dropped (they matter only if every earlier one
 * is later overtaken by a success). */
static void fail_insert(nent_t *e, const fail_t *f, size_t cap)
{
	if (!ref_none(&e->success) && ref_cmp(&f->at, &e->success) <= 0)
		return;
	size_t lo = 0, hi = e->n_fails;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ref_cmp(&e->fails[mid].at, &f->at) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < e->n_fails && ref_cmp(&e->fails[lo].at, &f->at) == 0)
		return; /* the same record twice */
	if (lo == cap) {
		note_dropped(e, f);
		return;
	}
	if (e->n_fails == cap) {
		note_dropped(e, &e->fails[cap - 1]);
		e->n_fails--;
	}
	if (e->n_fails == e->cap_fails) {
		e->cap_fails = e->cap_fails ? e->cap_fails * 2 : 4;
		if (e->cap_fails > cap)
			e->cap_fails = cap;
		e->fails = tl_xrealloc(e->fails, e->cap_fails * sizeof(*e->fails));
	}
	memmove(&e->fails[lo + 1], &e->fails[lo], (e->n_fails - lo) * sizeof(*e->fails));
	e->fails[lo] = *f;
	e->n_fails++;
}

/* A new latest success: failures at or before it no longer matter. */
static void set_success(nent_t *e, const ref_t *s)
{
	if (ref_none(s) || (!ref_none(&e->success) && ref_cmp(s, &e->success) <= 0))
		return;
	e->success = *s;
	size_t k = 0;
	while (k < e->n_fails && ref_cmp(&e->fails[k].at, s) <= 0)
		k++;
	if (!k)
		return;
	memmove(e->fails, &e->fails[k], (e->n_fails - k) * sizeof(*e->fails));
	e->n_fails -= k;
}

static int name_eq_ci(const char *a, const char *b)
{
	while (*a && *b && lower(*a) == lower(*b)) {
		a++;
		b++;
	}
	return *a == *b;
}

void tl_names_add(tl_names_t *n, const tl_record_t *r, uint32_t input, int64_t offset_us)
{
	ref_t at = {r->ts + offset_us, r->pos, input};
	int is_query = (r->known & TL_KNOWN_QR) && r->qr == 0;
	int is_resp = (r->known & TL_KNOWN_QR) && r->qr == 1;

	if (r->qname) {
		uint32_t ni = intern(n, r->qname, strlen(r->qname));
		nent_t *e = &n->names[ni];
		if (e->first_seen == TL_TIME_NONE || at.ts < e->first_seen)
			e->first_seen = at.ts;
		if (e->last_seen == TL_TIME_NONE || at.ts > e->last_seen)
			e->last_seen = at.ts;
		if (is_query) {
			e->queries++;
			if (ref_none(&e->first_query) || ref_cmp(&at, &e->first_query) < 0) {
				e->first_query = at;
				e->querier = r->src;
				e->querier_port = (r->known & TL_KNOWN_SPORT) ? r->sport : 0;
			}
		} else if (is_resp) {
			e->responses++;
		}
		if (is_resp && (r->known & TL_KNOWN_RCODE)) {
			if (r->rcode == RCODE_NOERROR) {
				/* success: at least one answer RR owned by the qname (a CNAME counts) */
				int ok = 0;
				for (size_t i = 0; i < r->n_answers && !ok; i++) {
					const char *o = r->answers[i].name;
					ok = !o || !*o || name_eq_ci(o, r->qname);
				}
				if (ok)
					set_success(e, &at);
			} else if (r->rcode == RCODE_NXDOMAIN || r->rcode == RCODE_SERVFAIL) {
				fail_t f = {at, r->rcode};
				fail_insert(e, &f, n->set.max_failures);
			}
		}
	}
	if (!is_resp)
		return;
	for (size_t i = 0; i < r->n_answers; i++) {
		const tl_rr_t *rr = &r->answers[i];
		if ((rr->type != RR_A && rr->type != RR_AAAA) || !rr->data)
			continue;
		if (rr->rclass != CLASS_IN && rr->rclass != 0)
			continue;
		tl_addr_t ip;
		if (tl_addr_parse(rr->data, strlen(rr->data), &ip) != TL_OK)
			continue;
		if ((rr->type == RR_A) != (ip.family == 4))
			continue;
		const char *owner = rr->name && *rr->name ? rr->name : r->qname;
		if (!owner)
			continue;
		uint32_t ni = intern(n, owner, strlen(owner));
		pent_t *p = pair_get(n, &ip, ni);
		ref_min(&p->first, &at);
		if (p->last == TL_TIME_NONE || at.ts > p->last)
			p->last = at.ts;
		p->count++;
	}
}

void tl_names_merge(tl_names_t *dst, const tl_names_t *src)
{
	if (!src || src == dst)
		return;
	uint32_t *map = tl_xmalloc((src->n_names ? src->n_names : 1) * sizeof(*map));
	for (size_t i = 0; i < src->n_names; i++) {
		const nent_t *s = &src->names[i];
		map[i] = intern(dst, s->name, s->len);
		nent_t *d = &dst->names[map[i]];
		if (s->first_seen != TL_TIME_NONE &&
		    (d->first_seen == TL_TIME_NONE || s->first_seen < d->first_seen))
			d->first_seen = s->first_seen;
		if (s->last_seen != TL_TIME_NONE &&
		    (d->last_seen == TL_TIME_NONE || s->last_seen > d->last_seen))
			d->last_seen = s->last_seen;
		d->queries += s->queries;
		d->responses += s->responses;
		if (!ref_none(&s->first_query) &&
		    (ref_none(&d->first_query) || ref_cmp(&s->first_query, &d->first_query) < 0)) {
			d->first_query = s->first_query;
			d->querier = s->querier;
			d->querier_port = s->querier_port;
		}
		set_success(d, &s->success);
		for (size_t k = 0; k < s->n_fails; k++)
			fail_insert(d, &s->fails[k], dst->set.max_failures);
		if (s->dropped) {
			/* src's dropped failures stay dropped: only their count and earliest survive */
			d->dropped += s->dropped - 1;
			note_dropped(d, &s->dropped_min);
		}
	}
	for (size_t i = 0; i < src->n_pairs; i++) {
		const pent_t *s = &src->pairs[i];
		pent_t *d = pair_get(dst, &s->ip, map[s->name]);
		ref_min(&d->first, &s->first);
		if (s->last != TL_TIME_NONE && (d->last == TL_TIME_NONE || s->last > d->last))
			d->last = s->last;
		d->count += s->count;
	}
	free(map);
}

static int in_ips(const tl_addr_t *ip, const tl_addr_t *ips, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tl_addr_equal(ip, &ips[i]))
			return 1;
	return 0;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int tl_names_resolved_to(const tl_names_t *n, const tl_addr_t *ips, size_t n_ips,
			 const char ***names_out, size_t *n_out)
{
	const char **out = NULL;
	size_t k = 0;
	uint8_t *seen = tl_xcalloc(n->n_names ? n->n_names : 1, 1);
	for (size_t i = 0; i < n->n_pairs; i++) {
		const pent_t *p = &n->pairs[i];
		if (seen[p->name] || !in_ips(&p->ip, ips, n_ips))
			continue;
		seen[p->name] = 1;
		out = tl_xrealloc(out, (k + 1) * sizeof(*out));
		out[k++] = n->names[p->name].name;
	}
	free(seen);
	if (k > 1)
		qsort(out, k, sizeof(*out), cmp_str_ptr);
	*names_out = out;
	*n_out = k;
	return TL_OK;
}

/* ---- finish ---- */

/* Sort keys are copied next to the index so that comparators need no context. */
typedef struct by_ip {
	tl_addr_t ip;
	ref_t first;
	const char *name;
	uint32_t idx;
} by_ip_t;

typedef struct by_name {
	uint32_t name;
	tl_addr_t ip;
	uint32_t idx;
} by_name_t;

typedef struct name_key {
	const char *name;
	uint32_t idx;
} name_key_t;

static int cmp_by_ip(const void *a, const void *b)
{
	const by_ip_t *p = a, *q = b;
	int c = tl_addr_cmp(&p->ip, &q->ip);
	if (c)
		return c;
	c = ref_cmp(&p->first, &q->first);
	if (c)
		return c;
	return strcmp(p->name, q->name);
}

static int cmp_by_name(const void *a, const void *b)
{
	const by_name_t *p = a, *q = b;
	if (p->name != q->name)
		return p->name < q->name ? -1 : 1;
	return tl_addr_cmp(&p->ip, &q->ip);
}

static int cmp_name_key(const void *a, const void *b)
{
	return strcmp(((const name_key_t *)a)->name, ((const name_key_t *)b)->name);
}

static int cmp_binding(const void *a, const void *b)
{
	const tl_names_binding_t *p = a, *q = b;
	ref_t x = {p->first.ts, p->first.pos, p->first.input};
	ref_t y = {q->first.ts, q->first.pos, q->first.input};
	int c = ref_cmp(&x, &y);
	if (c)
		return c;
	c = strcmp(p->name, q->name);
	if (c)
		return c;
	return tl_addr_cmp(&p->addr, &q->addr);
}

static tl_names_ref_t mkref(const ref_t *r, const tl_ctx_t *ctx)
{
	tl_names_ref_t o;
	o.ts = r->ts;
	o.input = r->input;
	o.pos = r->pos;
	o.file = ctx && r->input < ctx->n_inputs ? ctx->inputs[r->input].label : NULL;
	return o;
}

static void binding_from(tl_names_binding_t *b, const tl_names_t *n, const pent_t *p,
			 const tl_ctx_t *ctx)
{
	b->name = tl_xstrdup(n->names[p->name].name);
	b->addr = p->ip;
	b->first = mkref(&p->first, ctx);
	b->last_ts = p->last;
	b->responses = p->count;
}

/* [*lo, *hi) of the pairs sorted by address that have address ip. */
static void ip_range(const by_ip_t *by_ip, size_t np, const tl_addr_t *ip, size_t *lo, size_t *hi)
{
	size_t a = 0, b = np;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (tl_addr_cmp(&by_ip[m].ip, ip) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	b = a;
	while (b < np && tl_addr_equal(&by_ip[b].ip, ip))
		b++;
	*hi = b;
}

/* Index of the name s (lower-cased already or not), or -1. */
static long find_name(const tl_names_t *n, const char *s)
{
	size_t len = strlen(s);
	uint32_t h = hash_name(s, len);
	for (size_t k = 0; k < n->ntab_cap; k++) {
		size_t slot = (h + k) & (n->ntab_cap - 1);
		if (!n->ntab[slot])
			return -1;
		const nent_t *e = &n->names[n->ntab[slot] - 1];
		if (e->hash == h && e->len == len && name_eq_ci(e->name, s))
			return (long)n->ntab[slot] - 1;
	}
	return -1;
}

static void fill_name(tl_names_name_t *m, const tl_names_t *n, uint32_t ni, const tl_ctx_t *ctx,
		      const by_ip_t *by_ip, const by_name_t *by_name, size_t a0, size_t a1)
{
	const nent_t *e = &n->names[ni];
	size_t np = n->n_pairs;
	m->name = tl_xstrdup(e->name);
	m->first_seen = e->first_seen;
	m->last_seen = e->last_seen;
	m->queries = e->queries;
	m->responses = e->responses;
	m->has_success = !ref_none(&e->success);
	m->last_success = mkref(&e->success, m->has_success ? ctx : NULL);
	/* The first failure after the last success: the earliest kept one, or the
	 * earliest dropped one when that is later than the success. Exact unless
	 * failures were dropped and the earliest of them is not after the success
	 * (then a dropped one between the success and the reported one may exist). */
	const fail_t *best = e->n_fails ? &e->fails[0] : NULL;
	int dropped_after = e->dropped && (ref_none(&e->success) ||
					   ref_cmp(&e->dropped_min.at, &e->success) > 0);
	if (dropped_after && (!best || ref_cmp(&e->dropped_min.at, &best->at) < 0))
		best = &e->dropped_min;
	m->has_failure_after = best != NULL;
	m->failure_after = mkref(best ? &best->at : &REF_NONE, best ? ctx : NULL);
	m->failure_rcode = best ? best->rcode : 0;
	m->failure_exact = !e->dropped || dropped_after;
	m->failures_dropped = e->dropped;
	m->has_first_query = !ref_none(&e->first_query);
	m->first_query = mkref(&e->first_query, m->has_first_query ? ctx : NULL);
	if (m->has_first_query) {
		m->querier = e->querier;
		m->querier_port = e->querier_port;
		for (size_t s = 0; ctx && s < ctx->n_sources; s++) {
			if (tl_addr_equal(&ctx->sources[s].addr, &e->querier)) {
				uint32_t org = ctx->sources[s].org;
				if (org < ctx->n_orgs)
					m->querier_org = ctx->orgs[org].name;
				break;
			}
		}
	}
	m->n_addrs = a1 - a0;
	m->addrs = tl_xcalloc(m->n_addrs ? m->n_addrs : 1, sizeof(*m->addrs));
	for (size_t k = a0; k < a1; k++)
		m->addrs[k - a0] = by_name[k].ip;
	if (!m->has_success || !m->has_failure_after)
		return;
	/* it stopped resolving: who appeared on its addresses after its last success */
	for (size_t k = a0; k < a1; k++) {
		size_t lo, hi;
		ip_range(by_ip, np, &by_name[k].ip, &lo, &hi);
		for (size_t j = lo; j < hi; j++) {
			const pent_t *p = &n->pairs[by_ip[j].idx];
			if (p->name == ni || ref_cmp(&p->first, &e->success) <= 0)
				continue;
			m->successors = tl_xrealloc(m->successors,
						    (m->n_successors + 1) * sizeof(*m->successors));
			binding_from(&m->successors[m->n_successors++], n, p, ctx);
		}
	}
	if (m->n_successors > 1)
		qsort(m->successors, m->n_successors, sizeof(*m->successors), cmp_binding);
}

int tl_names_finish(const tl_names_t *n, const tl_ctx_t *ctx, const tl_names_filter_t *filter,
		    tl_names_model_t *out)
{
	memset(out, 0, sizeof(*out));
	size_t np = n->n_pairs, nn = n->n_names;
	by_ip_t *by_ip = tl_xmalloc((np ? np : 1) * sizeof(*by_ip));
	by_name_t *by_name = tl_xmalloc((np ? np : 1) * sizeof(*by_name));
	for (size_t i = 0; i < np; i++) {
		const pent_t *p = &n->pairs[i];
		by_ip[i] = (by_ip_t){p->ip, p->first, n->names[p->name].name, (uint32_t)i};
		by_name[i] = (by_name_t){p->name, p->ip, (uint32_t)i};
	}
	qsort(by_ip, np, sizeof(*by_ip), cmp_by_ip);
	qsort(by_name, np, sizeof(*by_name), cmp_by_name);
	size_t *nstart = tl_xcalloc(nn + 1, sizeof(*nstart)); /* name i: by_name[nstart[i]..[i+1]) */
	for (size_t i = 0; i < np; i++)
		nstart[n->pairs[i].name + 1]++;
	for (size_t i = 0; i < nn; i++)
		nstart[i + 1] += nstart[i];

	uint8_t *is_target = tl_xcalloc(nn ? nn : 1, 1);
	uint8_t *want_name = tl_xcalloc(nn ? nn : 1, 1);
	uint8_t *want_pair = tl_xcalloc(np ? np : 1, 1); /* by by_ip position */
	for (size_t i = 0; filter && i < filter->n_names; i++) {
		long k = find_name(n, filter->names[i]);
		if (k >= 0)
			is_target[k] = 1;
	}
	/* addresses of interest: the filter's and every address a target name had;
	 * all names on them are listed */
	for (size_t i = 0; i < np; i++) {
		const pent_t *p = &n->pairs[by_ip[i].idx];
		if (want_pair[i])
			continue;
		if (filter && !is_target[p->name] && !in_ips(&p->ip, filter->ips, filter->n_ips))
			continue;
		size_t lo, hi;
		ip_range(by_ip, np, &p->ip, &lo, &hi);
		for (size_t k = lo; k < hi; k++)
			want_pair[k] = 1;
	}
	for (size_t i = 0; i < nn; i++)
		want_name[i] = !filter || is_target[i];
	for (size_t i = 0; i < np; i++)
		if (want_pair[i])
			want_name[n->pairs[by_ip[i].idx].name] = 1;

	for (size_t i = 0; i < np;) {
		size_t lo, hi;
		ip_range(by_ip, np, &by_ip[i].ip, &lo, &hi);
		if (want_pair[lo]) {
			out->addrs = tl_xrealloc(out->addrs, (out->n_addrs + 1) * sizeof(*out->addrs));
			tl_names_addr_t *a = &out->addrs[out->n_addrs++];
			a->addr = by_ip[lo].ip;
			a->n_names = hi - lo;
			a->names = tl_xcalloc(hi - lo, sizeof(*a->names));
			for (size_t k = lo; k < hi; k++)
				binding_from(&a->names[k - lo], n, &n->pairs[by_ip[k].idx], ctx);
		}
		out->addrs_seen++;
		i = hi;
	}

	name_key_t *order = tl_xmalloc((nn ? nn : 1) * sizeof(*order));
	size_t n_order = 0;
	for (size_t i = 0; i < nn; i++) {
		if (n->names[i].dropped)
			out->names_capped++;
		if (want_name[i])
			order[n_order++] = (name_key_t){n->names[i].name, (uint32_t)i};
	}
	qsort(order, n_order, sizeof(*order), cmp_name_key);
	out->names = tl_xcalloc(n_order ? n_order : 1, sizeof(*out->names));
	out->n_names = n_order;
	for (size_t oi = 0; oi < n_order; oi++) {
		uint32_t ni = order[oi].idx;
		fill_name(&out->names[oi], n, ni, ctx, by_ip, by_name, nstart[ni], nstart[ni + 1]);
		out->names[oi].target = is_target[ni];
	}
	out->names_seen = nn;
	out->bindings_seen = np;
	out->failure_cap = n->set.max_failures;
	out->filtered = filter != NULL;
	free(order);
	free(by_ip);
	free(by_name);
	free(nstart);
	free(is_target);
	free(want_name);
	free(want_pair);
	return TL_OK;
}

static void free_bindings(tl_names_binding_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(b[i].name);
	free(b);
}

void tl_names_model_free(tl_names_model_t *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_addrs; i++)
		free_bindings(m->addrs[i].names, m->addrs[i].n_names);
	free(m->addrs);
	for (size_t i = 0; i < m->n_names; i++) {
		free(m->names[i].name);
		free(m->names[i].addrs);
		free_bindings(m->names[i].successors, m->names[i].n_successors);
	}
	free(m->names);
	memset(m, 0, sizeof(*m));
}
