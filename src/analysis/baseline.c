/* baseline.c - per-name, per-source sighting counts for every queried name, and the
 * target's place among them (the "no baseline" critique: is the target's concentration
 * on a few resolvers unusual for names seen by the same servers?). */
#include "analysis/baseline.h"
#include "analysis/stats.h"
#include "util/error.h"
#include "util/timeutil.h"
#include "util/strmap.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

/* A position in the evidence; ordered by time, then input, then position. */
typedef struct spot {
	int64_t ts;
	uint32_t input;
	uint64_t pos;
} spot_t;

typedef struct bname {
	char *name; /* lower-cased, with a trailing dot; owned */
	size_t len;
	uint64_t hash;
	uint64_t sightings;
	spot_t first, last; /* valid when sightings > 0 */
	tl_addr_t *ips;     /* ascending (family, bytes), at most ip_cap */
	uint32_t n_ips, cap_ips;
	uint8_t ips_capped;
} bname_t;

typedef struct bpair {
	uint32_t name;
	tl_addr_t src;
	uint64_t hash;
	uint64_t count;
	int64_t first_ts, last_ts;
} bpair_t;

/* Open addressing with linear probing; slots hold index + 1 (0 = empty). */
typedef struct table {
	uint32_t *slots;
	size_t mask; /* size - 1, size a power of two */
} table_t;

struct tl_baseline {
	tl_baseline_settings_t set;
	bname_t *names;
	size_t n_names, cap_names;
	bpair_t *pairs;
	size_t n_pairs, cap_pairs;
	table_t name_tab, pair_tab;
	uint64_t records_counted;
	uint64_t pairs_capped;
};

/* ---- hashing (content only: no seed, no pointers) ---- */


static uint64_t hash_pair(uint64_t name_hash, const tl_addr_t *a)
{
	uint64_t h = tl_hash_mix(name_hash, a->family);
	return tl_hash_mix_bytes(h, a->bytes, 16);
}

static void table_init(table_t *t, size_t size)
{
	t->slots = tl_xcalloc(size, sizeof(uint32_t));
	t->mask = size - 1;
}

/* ---- names ---- */

/* Writes name s[0..len) lower-cased (ASCII only, RFC 4343) with a trailing unescaped dot
 * into a new string; *out_len gets its length. "" becomes ".". */
static char *normalise(const char *s, size_t len, size_t *out_len)
{
	char *o = tl_xmalloc(len + 2);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		o[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	size_t n = len;
	/* The name already ends in a dot unless it is empty or its last dot is escaped
	 * ("a\\." is the one label "a."): count the backslashes before the last byte. */
	int dotted = len > 0 && s[len - 1] == '.';
	if (dotted) {
		size_t k = 0;
		for (size_t i = len - 1; i > 0 && s[i - 1] == '\\'; i--)
			k++;
		dotted = (k % 2) == 0;
	}
	if (!dotted)
		o[n++] = '.';
	o[n] = '\0';
	*out_len = n;
	return o;
}

/* Index of the name, or NIL. */
static uint32_t find_name(const tl_baseline_t *b, const char *s, size_t len, uint64_t h)
{
	for (size_t i = h & b->name_tab.mask;; i = (i + 1) & b->name_tab.mask) {
		uint32_t v = b->name_tab.slots[i];
		if (v == 0)
			return NIL;
		const bname_t *n = &b->names[v - 1];
		if (n->hash == h && n->len == len && memcmp(n->name, s, len) == 0)
			return v - 1;
	}
}

static void grow_table(table_t *t, uint64_t (*hash_of)(const tl_baseline_t *, uint32_t),
		       const tl_baseline_t *b, size_t n)
{
	size_t size = (t->mask + 1) * 2;
	free(t->slots);
	table_init(t, size);
	for (uint32_t k = 0; k < n; k++) {
		size_t i = hash_of(b, k) & t->mask;
		while (t->slots[i] != 0)
			i = (i + 1) & t->mask;
		t->slots[i] = k + 1;
	}
}

static uint64_t name_hash_of(const tl_baseline_t *b, uint32_t k)
{
	return b->names[k].hash;
}

static uint64_t pair_hash_of(const tl_baseline_t *b, uint32_t k)
{
	return b->pairs[k].hash;
}

/* Takes ownership of s (normalised). */
static uint32_t insert_name(tl_baseline_t *b, char *s, size_t len, uint64_t h)
{
	if (b->n_names >= NIL - 1)
		abort(); /* 4 billion names: beyond any memory we could hold */
	if (b->n_names == b->cap_names) {
		b->cap_names = b->cap_names ? b->cap_names * 2 : 64;
		b->names = tl_xrealloc(b->names, b->cap_names * sizeof(bname_t));
	}
	uint32_t k = (uint32_t)b->n_names++;
	bname_t *n = &b->names[k];
	memset(n, 0, sizeof(*n));
	n->name = s;
	n->len = len;
	n->hash = h;
	if (b->n_names * 2 > b->name_tab.mask + 1) {
		grow_table(&b->name_tab, name_hash_of, b, b->n_names);
	} else {
		size_t i = h & b->name_tab.mask;
		while (b->name_tab.slots[i] != 0)
			i = (i + 1) & b->name_tab.mask;
		b->name_tab.slots[i] = k + 1;
	}
	return k;
}

/* Finds or creates the name s[0..len) (normalised; copied when created). */
static uint32_t name_get(tl_baseline_t *b, const char *s, size_t len)
{
	uint64_t h = tl_hash_mix_bytes(0, (const uint8_t *)s, len);
	uint32_t k = find_name(b, s, len, h);
	if (k != NIL)
		return k;
	return insert_name(b, tl_xstrndup(s, len), len, h);
}

/* ---- pairs ---- */

static uint32_t find_pair(const tl_baseline_t *b, uint32_t name, const tl_addr_t *a, uint64_t h)
{
	for (size_t i = h & b->pair_tab.mask;; i = (i + 1) & b->pair_tab.mask) {
		uint32_t v = b->pair_tab.slots[i];
		if (v == 0)
			return NIL;
		const bpair_t *p = &b->pairs[v - 1];
		if (p->hash == h && p->name == name && tl_addr_equal(&p->src, a))
			return v - 1;
	}
}

static uint32_t insert_pair(tl_baseline_t *b, uint32_t name, const tl_addr_t *a, uint64_t h)
{
	if (b->n_pairs >= NIL - 1)
		abort();
	if (b->n_pairs == b->cap_pairs) {
		b->cap_pairs = b->cap_pairs ? b->cap_pairs * 2 : 64;
		b->pairs = tl_xrealloc(b->pairs, b->cap_pairs * sizeof(bpair_t));
	}
	uint32_t k = (uint32_t)b->n_pairs++;
	bpair_t *p = &b->pairs[k];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->src = *a;
	p->hash = h;
	p->first_ts = INT64_MAX;
	p->last_ts = INT64_MIN;
	if (b->n_pairs * 2 > b->pair_tab.mask + 1) {
		grow_table(&b->pair_tab, pair_hash_of, b, b->n_pairs);
	} else {
		size_t i = h & b->pair_tab.mask;
		while (b->pair_tab.slots[i] != 0)
			i = (i + 1) & b->pair_tab.mask;
		b->pair_tab.slots[i] = k + 1;
	}
	return k;
}

/* ---- small helpers ---- */

static int spot_cmp(const spot_t *a, const spot_t *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return 0;
}

static int addr_cmp(const tl_addr_t *a, const tl_addr_t *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, 16);
}

/* Adds a to the name's set, keeping the ip_cap lowest addresses: the kept set is then
 * the same whatever order addresses arrive or collectors merge in. */
static void ip_add(bname_t *n, const tl_addr_t *a, uint32_t cap)
{
	uint32_t lo = 0, hi = n->n_ips;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = addr_cmp(&n->ips[mid], a);
		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n->n_ips >= cap) {
		n->ips_capped = 1;
		if (lo >= n->n_ips)
			return; /* above every kept address */
		n->n_ips--; /* drop the highest */
	}
	if (n->n_ips == n->cap_ips) {
		n->cap_ips = n->cap_ips ? n->cap_ips * 2 : 2;
		if (n->cap_ips > cap)
			n->cap_ips = cap;
		n->ips = tl_xrealloc(n->ips, n->cap_ips * sizeof(tl_addr_t));
	}
	memmove(&n->ips[lo + 1], &n->ips[lo], (n->n_ips - lo) * sizeof(tl_addr_t));
	n->ips[lo] = *a;
	n->n_ips++;
}

static void name_sighting(bname_t *n, const spot_t *s, uint64_t count)
{
	if (n->sightings == 0 || spot_cmp(s, &n->first) < 0)
		n->first = *s;
	if (n->sightings == 0 || spot_cmp(s, &n->last) > 0)
		n->last = *s;
	n->sightings += count;
}

static void pair_sighting(bpair_t *p, int64_t first, int64_t last, uint64_t count)
{
	if (first < p->first_ts)
		p->first_ts = first;
	if (last > p->last_ts)
		p->last_ts = last;
	p->count += count;
}

/* ---- collector ---- */

void tl_baseline_settings_default(tl_baseline_settings_t *s)
{
	s->min_lookups = TL_BASELINE_DEFAULT_MIN_LOOKUPS;
	s->top_k = TL_BASELINE_DEFAULT_TOP_K;
	s->ip_cap = TL_BASELINE_DEFAULT_IP_CAP;
	s->max_pairs = TL_BASELINE_DEFAULT_MAX_PAIRS;
}

tl_baseline_t *tl_baseline_new(const tl_baseline_settings_t *s)
{
	tl_baseline_t *b = tl_xcalloc(1, sizeof(*b));
	if (s)
		b->set = *s;
	else
		tl_baseline_settings_default(&b->set);
	if (b->set.top_k == 0)
		b->set.top_k = 1;
	if (b->set.ip_cap == 0)
		b->set.ip_cap = 1;
	table_init(&b->name_tab, 128);
	table_init(&b->pair_tab, 128);
	return b;
}

void tl_baseline_free(tl_baseline_t *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_names; i++) {
		free(b->names[i].name);
		free(b->names[i].ips);
	}
	free(b->names);
	free(b->pairs);
	free(b->name_tab.slots);
	free(b->pair_tab.slots);
	free(b);
}

static int64_t add_offset(int64_t ts, int64_t off)
{
	int64_t r;
	if (__builtin_add_overflow(ts, off, &r))
		return off > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* Addresses from the answer section (RFC 1035 4.1.3): A (3.4.1) and AAAA (RFC 3596 2.2)
 * records of class IN (or of a class the source did not give) owned by the qname. */
static void add_answers(tl_baseline_t *b, const tl_record_t *r)
{
	char *q = NULL;
	size_t qlen = 0;
	uint32_t k = NIL;
	for (size_t i = 0; i < r->n_answers; i++) {
		const tl_rr_t *rr = &r->answers[i];
		if ((rr->type != 1 && rr->type != 28) || !rr->name || !rr->data)
			continue;
		if (rr->rclass != 1 && rr->rclass != 0)
			continue;
		tl_addr_t a;
		if (tl_addr_parse(rr->data, strlen(rr->data), &a) != TL_OK)
			continue;
		if ((rr->type == 1) != (a.family == 4))
			continue; /* an A record must hold IPv4, AAAA IPv6 */
		size_t olen;
		char *owner = normalise(rr->name, strlen(rr->name), &olen);
		if (!q)
			q = normalise(r->qname, strlen(r->qname), &qlen);
		int same = olen == qlen && memcmp(owner, q, qlen) == 0;
		free(owner);
		if (!same)
			continue;
		if (k == NIL)
			k = name_get(b, q, qlen);
		ip_add(&b->names[k], &a, b->set.ip_cap);
	}
	free(q);
}

void tl_baseline_add(tl_baseline_t *b, const tl_record_t *r, uint32_t input, int64_t offset_us)
{
	if (!r->qname)
		return;
	int known_qr = (r->known & TL_KNOWN_QR) != 0;
	if (known_qr && r->qr == 0) {
		/* A query. Opcodes other than QUERY (RFC 1035 4.1.1: NOTIFY, UPDATE...) are
		 * not lookups of the name. */
		if ((r->known & TL_KNOWN_OPCODE) && r->opcode != 0)
			return;
		size_t len;
		char *s = normalise(r->qname, strlen(r->qname), &len);
		uint64_t h = tl_hash_mix_bytes(0, (const uint8_t *)s, len);
		uint32_t k = find_name(b, s, len, h);
		uint64_t ph = hash_pair(h, &r->src);
		uint32_t pk = k == NIL ? NIL : find_pair(b, k, &r->src, ph);
		if (pk == NIL && b->set.max_pairs && b->n_pairs >= b->set.max_pairs) {
			b->pairs_capped++;
			free(s);
			return;
		}
		if (k == NIL)
			k = insert_name(b, s, len, h);
		else
			free(s);
		if (pk == NIL)
			pk = insert_pair(b, k, &r->src, ph);
		spot_t sp = {add_offset(r->ts, offset_us), input, r->pos};
		name_sighting(&b->names[k], &sp, 1);
		pair_sighting(&b->pairs[pk], sp.ts, sp.ts, 1);
		b->records_counted++;
		return;
	}
	if ((r->known & TL_KNOWN_ANSWERS) && r->n_answers > 0)
		add_answers(b, r);
}

void tl_baseline_merge(tl_baseline_t *dst, const tl_baseline_t *src)
{
	uint32_t *map = tl_xmalloc((src->n_names ? src->n_names : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < src->n_names; i++) {
		const bname_t *sn = &src->names[i];
		map[i] = find_name(dst, sn->name, sn->len, sn->hash);
		/* A name with addresses only is taken at once; one with sightings when its
		 * first pair fits under the pair cap (below). */
		if (map[i] == NIL && sn->sightings == 0)
			map[i] = insert_name(dst, tl_xstrndup(sn->name, sn->len), sn->len, sn->hash);
	}
	/* Pairs, in src's order; a name with sightings is created when its first pair fits. */
	uint64_t *took = tl_xcalloc(src->n_names ? src->n_names : 1, sizeof(uint64_t));
	for (size_t i = 0; i < src->n_pairs; i++) {
		const bpair_t *sp = &src->pairs[i];
		const bname_t *sn = &src->names[sp->name];
		uint32_t k = map[sp->name];
		uint32_t pk = k == NIL ? NIL : find_pair(dst, k, &sp->src, sp->hash);
		if (pk == NIL && dst->set.max_pairs && dst->n_pairs >= dst->set.max_pairs) {
			dst->pairs_capped += sp->count;
			continue;
		}
		if (k == NIL) {
			k = insert_name(dst, tl_xstrndup(sn->name, sn->len), sn->len, sn->hash);
			map[sp->name] = k;
		}
		if (pk == NIL)
			pk = insert_pair(dst, k, &sp->src, sp->hash);
		pair_sighting(&dst->pairs[pk], sp->first_ts, sp->last_ts, sp->count);
		took[sp->name] += sp->count;
	}
	for (size_t i = 0; i < src->n_names; i++) {
		const bname_t *sn = &src->names[i];
		uint32_t k = map[i];
		if (k == NIL)
			continue;
		bname_t *dn = &dst->names[k];
		if (took[i] > 0) {
			/* With no cap hit took[i] == sn->sightings, and first/last are exact. */
			name_sighting(dn, &sn->first, took[i]);
			name_sighting(dn, &sn->last, 0);
		}
		for (uint32_t j = 0; j < sn->n_ips; j++)
			ip_add(dn, &sn->ips[j], dst->set.ip_cap);
		if (sn->ips_capped)
			dn->ips_capped = 1;
		dst->records_counted += took[i];
	}
	dst->pairs_capped += src->pairs_capped;
	free(took);
	free(map);
}

/* ---- finish ---- */

/* One source of one name (or of the target) for the measures. */
typedef struct src_count {
	tl_addr_t addr;
	uint64_t count;
	int64_t first_ts, last_ts;
} src_count_t;

static int src_count_cmp(const void *a, const void *b)
{
	return addr_cmp(&((const src_count_t *)a)->addr, &((const src_count_t *)b)->addr);
}

typedef struct scratch {
	uint64_t *counts;    /* per source, for stats */
	size_t cap_counts;
	uint64_t *org_count; /* n_orgs, zero between uses */
	uint32_t *touched;   /* orgs with a count */
	uint64_t *org_list;  /* counts of touched orgs, for stats */
} scratch_t;

/* Measures of the sources s[0..n) (distinct addresses, count > 0, n > 0). */
static int measure(const src_count_t *s, size_t n, const tl_baseline_query_t *q, uint32_t top_k,
		   scratch_t *w, tl_baseline_measures_t *m)
{
	if (n > w->cap_counts) {
		w->cap_counts = n;
		w->counts = tl_xrealloc(w->counts, n * sizeof(uint64_t));
	}
	size_t top = 0;
	for (size_t i = 0; i < n; i++) {
		w->counts[i] = s[i].count;
		/* strictly greater, or equal with a lower address (s may be in any order) */
		if (s[i].count > s[top].count ||
		    (s[i].count == s[top].count && addr_cmp(&s[i].addr, &s[top].addr) < 0))
			top = i;
	}
	tl_shares_t sh;
	if (tl_stats_shares(w->counts, n, &sh) != TL_OK)
		return TL_EINVAL;
	double topk;
	if (tl_stats_top_k_share(w->counts, n, top_k, &topk) != TL_OK)
		return TL_EINVAL;
	m->sightings = sh.total;
	m->n_sources = n;
	m->top_source = s[top].addr;
	m->top_source_count = s[top].count;
	m->top_source_first = s[top].first_ts;
	m->top_source_last = s[top].last_ts;
	m->top_source_share = (double)s[top].count / (double)sh.total;
	m->top_k_share = topk;
	m->hhi = sh.hhi;

	if (!q->org_of)
		return TL_EINVAL;
	size_t nt = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t o = q->org_of(&s[i].addr, q->org_ud);
		if (o >= q->n_orgs)
			return TL_EINVAL;
		if (i == top)
			m->top_source_org = o;
		if (w->org_count[o] == 0)
			w->touched[nt++] = o;
		w->org_count[o] += s[i].count;
	}
	uint32_t to = w->touched[0];
	for (size_t i = 0; i < nt; i++) {
		uint32_t o = w->touched[i];
		w->org_list[i] = w->org_count[o];
		if (w->org_count[o] > w->org_count[to] ||
		    (w->org_count[o] == w->org_count[to] && o < to))
			to = o;
	}
	m->n_orgs = nt;
	m->top_org = to;
	m->top_org_count = w->org_count[to];
	m->top_org_share = (double)w->org_count[to] / (double)sh.total;
	tl_shares_t osh;
	int rc = tl_stats_shares(w->org_list, nt, &osh);
	m->org_hhi = osh.hhi;
	for (size_t i = 0; i < nt; i++)
		w->org_count[w->touched[i]] = 0;
	return rc == TL_OK ? TL_OK : TL_EINVAL;
}

static void measures_empty(tl_baseline_measures_t *m)
{
	memset(m, 0, sizeof(*m));
	m->top_source_first = m->top_source_last = TL_TIME_NONE;
	m->top_source_share = m->top_k_share = m->hhi = NAN;
	m->top_org = m->top_source_org = TL_BASELINE_ORG_NONE;
	m->top_org_share = m->org_hhi = NAN;
	m->first_ts = m->last_ts = TL_TIME_NONE;
	m->first_input = UINT32_MAX;
}

/* A pair's place in the name-then-source order of finish. */
typedef struct pidx {
	uint32_t name;
	uint32_t pair;
	tl_addr_t src;
} pidx_t;

static int pidx_cmp(const void *a, const void *b)
{
	const pidx_t *x = a, *y = b;
	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return addr_cmp(&x->src, &y->src);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_sorted(char *const *set, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, set, n, sizeof(char *), str_cmp) != NULL;
}

static int addr_qcmp(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

/* The parent of a normalised name: what follows its first unescaped dot; "" (the root)
 * for a one-label name. */
static const char *parent_of(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
			continue;
		}
		if (s[i] == '.')
			return s + i + 1;
	}
	return s + strlen(s);
}

static int listed_cmp(const void *a, const void *b)
{
	const tl_baseline_name_t *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->m.sightings != y->m.sightings)
		return x->m.sightings > y->m.sightings ? -1 : 1;
	return strcmp(x->name, y->name);
}

static double rank_of(const tl_baseline_model_t *m, size_t off, double target)
{
	if (m->n_names == 0 || isnan(target))
		return NAN;
	double *x = tl_xmalloc(m->n_names * sizeof(double));
	for (size_t i = 0; i < m->n_names; i++) {
		const char *base = (const char *)&m->names[i].m;
		memcpy(&x[i], base + off, sizeof(double));
	}
	double r = NAN;
	if (tl_stats_percentile_rank(x, m->n_names, target, &r) != TL_OK)
		r = NAN;
	free(x);
	return r;
}

int tl_baseline_finish(const tl_baseline_t *b, const tl_baseline_query_t *q,
		       tl_baseline_model_t *out)
{
	static const tl_baseline_query_t none;
	if (!q)
		q = &none;
	tl_baseline_model_t m;
	memset(&m, 0, sizeof(m));
	m.min_lookups = b->set.min_lookups;
	m.top_k = b->set.top_k;
	m.ip_cap = b->set.ip_cap;
	m.records_counted = b->records_counted;
	m.pairs_capped = b->pairs_capped;
	m.has_target = q->n_target_names > 0 || q->n_target_ips > 0;
	measures_empty(&m.target.m);

	/* Target names and their parents, normalised and sorted for lookup. */
	size_t nt = q->n_target_names;
	char **tnames = tl_xmalloc((nt ? nt : 1) * sizeof(char *));
	char **tparents = tl_xmalloc((nt ? nt : 1) * sizeof(char *));
	size_t ntp = 0;
	for (size_t i = 0; i < nt; i++) {
		size_t len;
		tnames[i] = normalise(q->target_names[i], strlen(q->target_names[i]), &len);
	}
	qsort(tnames, nt, sizeof(char *), str_cmp);
	for (size_t i = 0; i < nt; i++) {
		const char *p = parent_of(tnames[i]);
		if (*p)
			tparents[ntp++] = tnames[i] + (p - tnames[i]); /* inside tnames[i] */
	}
	qsort(tparents, ntp, sizeof(char *), str_cmp);
	size_t nip = q->n_target_ips;
	tl_addr_t *tips = tl_xmalloc((nip ? nip : 1) * sizeof(tl_addr_t));
	if (nip)
		memcpy(tips, q->target_ips, nip * sizeof(tl_addr_t));
	qsort(tips, nip, sizeof(tl_addr_t), addr_qcmp);

	/* Pairs grouped by name, sources ascending within a name. */
	pidx_t *pi = tl_xmalloc((b->n_pairs ? b->n_pairs : 1) * sizeof(pidx_t));
	for (size_t i = 0; i < b->n_pairs; i++) {
		pi[i].name = b->pairs[i].name;
		pi[i].pair = (uint32_t)i;
		pi[i].src = b->pairs[i].src;
	}
	qsort(pi, b->n_pairs, sizeof(pidx_t), pidx_cmp);

	scratch_t w;
	memset(&w, 0, sizeof(w));
	w.org_count = tl_xcalloc(q->n_orgs ? q->n_orgs : 1, sizeof(uint64_t));
	w.touched = tl_xmalloc((q->n_orgs ? q->n_orgs : 1) * sizeof(uint32_t));
	w.org_list = tl_xmalloc((q->n_orgs ? q->n_orgs : 1) * sizeof(uint64_t));
	src_count_t *sc = NULL;
	size_t cap_sc = 0;
	src_count_t *tsc = NULL; /* the target's sources, from every target name */
	size_t n_tsc = 0, cap_tsc = 0;
	spot_t tfirst = {0, 0, 0}, tlast = {0, 0, 0};
	size_t cap_listed = 0;
	int rc = TL_OK;

	for (size_t i = 0; i < b->n_pairs && rc == TL_OK;) {
		uint32_t k = pi[i].name;
		size_t j = i;
		while (j < b->n_pairs && pi[j].name == k)
			j++;
		const bname_t *bn = &b->names[k];
		size_t n = j - i;
		if (bn->sightings == 0) { /* cannot happen: a pair always has a sighting */
			i = j;
			continue;
		}
		m.names_seen++;
		int is_target = in_sorted(tnames, nt, bn->name);
		int listed = !is_target && bn->sightings >= b->set.min_lookups;
		if (!is_target && !listed) {
			i = j;
			continue;
		}
		src_count_t *dst;
		if (is_target) {
			if (n_tsc + n > cap_tsc) {
				cap_tsc = (n_tsc + n) * 2;
				tsc = tl_xrealloc(tsc, cap_tsc * sizeof(src_count_t));
			}
			dst = tsc + n_tsc;
			n_tsc += n;
			if (m.target.n_names_seen == 0 || spot_cmp(&bn->first, &tfirst) < 0)
				tfirst = bn->first;
			if (m.target.n_names_seen == 0 || spot_cmp(&bn->last, &tlast) > 0)
				tlast = bn->last;
			m.target.n_names_seen++;
		} else {
			if (n > cap_sc) {
				cap_sc = n;
				sc = tl_xrealloc(sc, cap_sc * sizeof(src_count_t));
			}
			dst = sc;
		}
		for (size_t t = 0; t < n; t++) {
			const bpair_t *p = &b->pairs[pi[i + t].pair];
			dst[t].addr = p->src;
			dst[t].count = p->count;
			dst[t].first_ts = p->first_ts;
			dst[t].last_ts = p->last_ts;
		}
		i = j;
		if (is_target)
			continue;
		if (m.n_names == cap_listed) {
			cap_listed = cap_listed ? cap_listed * 2 : 16;
			m.names = tl_xrealloc(m.names, cap_listed * sizeof(tl_baseline_name_t));
		}
		tl_baseline_name_t *ln = &m.names[m.n_names];
		memset(ln, 0, sizeof(*ln));
		measures_empty(&ln->m);
		rc = measure(sc, n, q, b->set.top_k, &w, &ln->m);
		if (rc != TL_OK)
			break;
		m.n_names++;
		ln->m.first_ts = bn->first.ts;
		ln->m.last_ts = bn->last.ts;
		ln->m.first_input = bn->first.input;
		ln->m.first_pos = bn->first.pos;
		ln->name = tl_xstrndup(bn->name, bn->len);
		ln->n_ips = bn->n_ips;
		ln->ips_capped = bn->ips_capped;
		if (bn->n_ips) {
			ln->ips = tl_xmalloc(bn->n_ips * sizeof(tl_addr_t));
			memcpy(ln->ips, bn->ips, bn->n_ips * sizeof(tl_addr_t));
		}
		ln->group = TL_BASELINE_GROUP_OTHER;
		for (uint32_t t = 0; t < bn->n_ips; t++) {
			if (nip && bsearch(&bn->ips[t], tips, nip, sizeof(tl_addr_t), addr_qcmp)) {
				ln->group = TL_BASELINE_GROUP_TARGET_IP;
				break;
			}
		}
		if (ln->group == TL_BASELINE_GROUP_OTHER) {
			const char *p = parent_of(ln->name);
			if (*p && in_sorted(tparents, ntp, p))
				ln->group = TL_BASELINE_GROUP_ZONE;
		}
	}
	m.names_meeting_minimum = m.n_names;
	for (size_t i = 0; i < b->n_names; i++)
		if (b->names[i].ips_capped)
			m.names_ips_capped++;

	/* The target: sources of all target names together, one entry per address. */
	if (rc == TL_OK && n_tsc > 0) {
		qsort(tsc, n_tsc, sizeof(src_count_t), src_count_cmp);
		size_t u = 0;
		for (size_t i = 0; i < n_tsc; i++) {
			if (u > 0 && tl_addr_equal(&tsc[u - 1].addr, &tsc[i].addr)) {
				tsc[u - 1].count += tsc[i].count;
				if (tsc[i].first_ts < tsc[u - 1].first_ts)
					tsc[u - 1].first_ts = tsc[i].first_ts;
				if (tsc[i].last_ts > tsc[u - 1].last_ts)
					tsc[u - 1].last_ts = tsc[i].last_ts;
			} else {
				tsc[u++] = tsc[i];
			}
		}
		rc = measure(tsc, u, q, b->set.top_k, &w, &m.target.m);
		m.target.m.first_ts = tfirst.ts;
		m.target.m.last_ts = tlast.ts;
		m.target.m.first_input = tfirst.input;
		m.target.m.first_pos = tfirst.pos;
	}
	m.target.meets_minimum = m.target.m.sightings > 0 &&
				 m.target.m.sightings >= b->set.min_lookups;

	if (rc == TL_OK) {
		if (m.n_names > 1)
			qsort(m.names, m.n_names, sizeof(tl_baseline_name_t), listed_cmp);
		const tl_baseline_measures_t *tm = &m.target.m;
		int have = tm->sightings > 0;
		m.target.rank_top_source_share = have ? rank_of(&m, offsetof(tl_baseline_measures_t,
			top_source_share), tm->top_source_share) : NAN;
		m.target.rank_hhi = have ? rank_of(&m, offsetof(tl_baseline_measures_t, hhi),
			tm->hhi) : NAN;
		m.target.rank_top_org_share = have ? rank_of(&m, offsetof(tl_baseline_measures_t,
			top_org_share), tm->top_org_share) : NAN;
		m.target.rank_org_hhi = have ? rank_of(&m, offsetof(tl_baseline_measures_t,
			org_hhi), tm->org_hhi) : NAN;
		if (q->n_orgs) {
			m.n_orgs = q->n_orgs;
			m.org_names = tl_xcalloc(q->n_orgs, sizeof(char *));
			for (size_t i = 0; i < q->n_orgs; i++)
				m.org_names[i] = tl_xstrdup(q->org_names && q->org_names[i] ?
							    q->org_names[i] : "");
		}
	}

	for (size_t i = 0; i < nt; i++)
		free(tnames[i]);
	free(tnames);
	free(tparents);
	free(tips);
	free(pi);
	free(w.counts);
	free(w.org_count);
	free(w.touched);
	free(w.org_list);
	free(sc);
	free(tsc);
	if (rc != TL_OK) {
		tl_baseline_model_free(&m);
		return rc;
	}
	*out = m;
	return TL_OK;
}

void tl_baseline_model_free(tl_baseline_model_t *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_names; i++) {
		free(m->names[i].name);
		free(m->names[i].ips);
	}
	free(m->names);
	for (size_t i = 0; i < m->n_orgs; i++)
		free(m->org_names[i]);
	free(m->org_names);
	memset(m, 0, sizeof(*m));
}
