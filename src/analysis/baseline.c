/* baseline.c - per-name, per-source sighting counts for every queried name, and the
 * target's place among them (the "no baseline" critique: is the target's concentration
 * on a few resolvers unusual for names seen by the same servers?). */
#include "analysis/baseline.h"
#include "analysis/lookups.h"
#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"
#include "util/error.h"
#include "util/time.h"
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
	/* Timed sightings for the de-duplication at finish: name = pair index, source 0. */
	tl_lookup_t *sights;
	size_t n_sights, cap_sights;
	int sights_over; /* the max_sightings cap was passed: no de-duplication */
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

/* Adds a to the name's set, keeping the ip_cap lowest addresses: the kept set is then
 * the same whatever order addresses arrive or collectors merge in. */
static void ip_add(bname_t *n, const tl_addr_t *a, uint32_t cap)
{
	uint32_t lo = 0, hi = n->n_ips;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = tl_addr_cmp(&n->ips[mid], a);
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
	s->max_sightings = TL_BASELINE_DEFAULT_MAX_SIGHTINGS;
	s->bootstrap = TL_BASELINE_DEFAULT_BOOTSTRAP;
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
	free(b->sights);
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

static void sights_drop(tl_baseline_t *b)
{
	b->sights_over = 1;
	free(b->sights);
	b->sights = NULL;
	b->n_sights = b->cap_sights = 0;
}

static void sights_reserve(tl_baseline_t *b, size_t more)
{
	if (b->n_sights + more <= b->cap_sights)
		return;
	size_t cap = b->cap_sights ? b->cap_sights : 256;
	while (cap < b->n_sights + more)
		cap *= 2;
	b->sights = tl_xrealloc(b->sights, cap * sizeof(tl_lookup_t));
	b->cap_sights = cap;
}

/* Keeps a sighting of pair pk for the de-duplication, unless the cap is passed. */
static void keep_sighting(tl_baseline_t *b, const tl_record_t *r, uint32_t pk, uint32_t input,
			  int64_t offset_us)
{
	if (b->sights_over)
		return;
	if (b->set.max_sightings && b->n_sights >= b->set.max_sightings) {
		sights_drop(b);
		return;
	}
	sights_reserve(b, 1);
	tl_lookup_t *lk = &b->sights[b->n_sights++];
	tl_lookup_from_record(lk, r, input, 0);
	lk->ts = add_offset(r->ts, offset_us);
	lk->name = pk;
	lk->source = 0;
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
		if (r->ts != TL_TIME_NONE) /* a lookup needs a time, as for the profile */
			keep_sighting(b, r, pk, input, offset_us);
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
	uint32_t *pmap = tl_xmalloc((src->n_pairs ? src->n_pairs : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < src->n_pairs; i++) {
		const bpair_t *sp = &src->pairs[i];
		const bname_t *sn = &src->names[sp->name];
		uint32_t k = map[sp->name];
		uint32_t pk = k == NIL ? NIL : find_pair(dst, k, &sp->src, sp->hash);
		pmap[i] = NIL;
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
		pmap[i] = pk;
	}
	/* The kept sightings: the cap applies to all inputs together, so passing it does
	 * not depend on how the inputs were split. */
	if (src->sights_over || dst->sights_over ||
	    (dst->set.max_sightings && dst->n_sights + src->n_sights > dst->set.max_sightings)) {
		sights_drop(dst);
	} else {
		sights_reserve(dst, src->n_sights);
		for (size_t i = 0; i < src->n_sights; i++) {
			uint32_t pk = pmap[src->sights[i].name];
			if (pk == NIL)
				continue; /* its pair was refused by the pair cap */
			dst->sights[dst->n_sights] = src->sights[i];
			dst->sights[dst->n_sights++].name = pk;
		}
	}
	free(pmap);
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

static int addr_qcmp(const void *a, const void *b)
{
	return tl_addr_cmp(a, b);
}

size_t tl_baseline_sources(const tl_baseline_t *b, tl_addr_t **out)
{
	tl_addr_t *a = tl_xmalloc((b->n_pairs ? b->n_pairs : 1) * sizeof(tl_addr_t));
	for (size_t i = 0; i < b->n_pairs; i++)
		a[i] = b->pairs[i].src;
	qsort(a, b->n_pairs, sizeof(tl_addr_t), addr_qcmp);
	size_t u = 0;
	for (size_t i = 0; i < b->n_pairs; i++)
		if (u == 0 || !tl_addr_equal(&a[u - 1], &a[i]))
			a[u++] = a[i];
	*out = a;
	return u;
}

/* One source of one name (or of the target) for the measures. */
typedef struct src_count {
	tl_addr_t addr;
	uint64_t count;     /* lookups (the counting unit) */
	uint32_t org;       /* organisation index, or TL_BASELINE_ORG_NONE (unattributed) */
	int64_t first_ts, last_ts;
} src_count_t;

static int src_count_cmp(const void *a, const void *b)
{
	return tl_addr_cmp(&((const src_count_t *)a)->addr, &((const src_count_t *)b)->addr);
}

typedef struct scratch {
	uint64_t *counts;    /* per source, for stats */
	uint64_t *ent;       /* per entity, for stats */
	size_t cap;          /* of counts and ent */
	uint64_t *org_count; /* n_orgs, zero between uses */
	uint32_t *touched;   /* orgs with a count */
	size_t n_orgs;
} scratch_t;

static void scratch_reserve(scratch_t *w, size_t n)
{
	if (n <= w->cap)
		return;
	w->cap = n;
	w->counts = tl_xrealloc(w->counts, n * sizeof(uint64_t));
	w->ent = tl_xrealloc(w->ent, n * sizeof(uint64_t));
}

/* The largest entity so far: a named organisation (org < NONE) or an unattributed
 * address. Ties: named organisations first, the lowest index; then the lowest address. */
typedef struct top_ent {
	uint64_t count;
	uint32_t org;
	tl_addr_t addr;
	int set;
} top_ent_t;

static void top_consider(top_ent_t *t, uint64_t count, uint32_t org, const tl_addr_t *addr)
{
	int better;
	if (!t->set || count != t->count)
		better = !t->set || count > t->count;
	else if ((org == TL_BASELINE_ORG_NONE) != (t->org == TL_BASELINE_ORG_NONE))
		better = org != TL_BASELINE_ORG_NONE;
	else if (org != TL_BASELINE_ORG_NONE)
		better = org < t->org;
	else
		better = tl_addr_cmp(addr, &t->addr) < 0;
	if (!better)
		return;
	t->count = count;
	t->org = org;
	t->set = 1;
	if (addr)
		t->addr = *addr;
	else
		memset(&t->addr, 0, sizeof(t->addr));
}

/* Entities of s[0..n): their counts into w->ent (returns how many), the largest into *t,
 * the unattributed addresses and their lookups into *nu, *ua. */
static size_t entities(const src_count_t *s, size_t n, scratch_t *w, top_ent_t *t, uint64_t *nu,
		       uint64_t *ua)
{
	size_t ne = 0, nt = 0;
	memset(t, 0, sizeof(*t));
	*nu = *ua = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t o = s[i].org;
		if (o == TL_BASELINE_ORG_NONE) {
			w->ent[ne++] = s[i].count;
			(*nu)++;
			*ua += s[i].count;
			top_consider(t, s[i].count, o, &s[i].addr);
			continue;
		}
		if (w->org_count[o] == 0)
			w->touched[nt++] = o;
		w->org_count[o] += s[i].count;
	}
	for (size_t i = 0; i < nt; i++) {
		uint32_t o = w->touched[i];
		w->ent[ne++] = w->org_count[o];
		top_consider(t, w->org_count[o], o, NULL);
		w->org_count[o] = 0;
	}
	return ne;
}

/* Measures of the sources s[0..n) (distinct addresses, count > 0, n > 0, org checked). */
static int measure(const src_count_t *s, size_t n, uint32_t top_k, scratch_t *w,
		   tl_baseline_measures_t *m)
{
	scratch_reserve(w, n);
	size_t top = 0;
	for (size_t i = 0; i < n; i++) {
		w->counts[i] = s[i].count;
		/* strictly greater, or equal with a lower address (s may be in any order) */
		if (s[i].count > s[top].count ||
		    (s[i].count == s[top].count && tl_addr_cmp(&s[i].addr, &s[top].addr) < 0))
			top = i;
	}
	tl_shares_t sh;
	if (tl_stats_shares(w->counts, n, &sh) != TL_OK)
		return TL_EINVAL;
	double topk;
	if (tl_stats_top_k_share(w->counts, n, top_k, &topk) != TL_OK)
		return TL_EINVAL;
	m->lookups = sh.total;
	m->n_sources = n;
	m->top_source = s[top].addr;
	m->top_source_org = s[top].org;
	m->top_source_count = s[top].count;
	m->top_source_first = s[top].first_ts;
	m->top_source_last = s[top].last_ts;
	m->top_source_share = (double)s[top].count / (double)sh.total;
	m->top_k_share = topk;
	m->hhi = sh.hhi;

	top_ent_t t;
	uint64_t nu, ua;
	size_t ne = entities(s, n, w, &t, &nu, &ua);
	m->n_orgs = ne;
	m->n_unattributed = nu;
	m->n_named_orgs = ne - nu;
	m->unattributed_count = ua;
	m->top_org = t.org;
	m->top_org_addr = t.addr;
	m->top_org_count = t.count;
	m->top_org_share = (double)t.count / (double)sh.total;
	tl_shares_t osh;
	if (tl_stats_shares(w->ent, ne, &osh) != TL_OK)
		return TL_EINVAL;
	m->org_hhi = osh.hhi;
	return TL_OK;
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
	return tl_addr_cmp(&x->src, &y->src);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_sorted(char *const *set, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, set, n, sizeof(char *), str_cmp) != NULL;
}

/* Normalised, sorted copies of names[0..n) (free with free_names). */
static char **sorted_names(const char *const *names, size_t n)
{
	char **o = tl_xmalloc((n ? n : 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		size_t len;
		o[i] = normalise(names[i], strlen(names[i]), &len);
	}
	qsort(o, n, sizeof(char *), str_cmp);
	return o;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* 1 if the normalised name s is one of the normalised suffixes or lies below one. */
static int under_suffix(char *const *suf, size_t n, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < n; i++) {
		size_t sl = strlen(suf[i]);
		if (strcmp(suf[i], ".") == 0)
			return 1; /* the root: every name */
		if (sl > len || memcmp(s + len - sl, suf[i], sl) != 0)
			continue;
		if (sl == len || s[len - sl - 1] == '.')
			return 1;
	}
	return 0;
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
	if (x->m.lookups != y->m.lookups)
		return x->m.lookups > y->m.lookups ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int excluded_cmp(const void *a, const void *b)
{
	return strcmp(((const tl_baseline_excluded_t *)a)->name,
		      ((const tl_baseline_excluded_t *)b)->name);
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

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void interval_none(tl_baseline_interval_t *iv)
{
	iv->lo = iv->hi = iv->rank_lo = iv->rank_hi = NAN;
}

/* The target's lookups by UTC day and source, for the bootstrap. */
typedef struct cell {
	int64_t day;
	uint32_t src; /* index into the target's sources */
	uint64_t count;
} cell_t;

static int cell_cmp(const void *a, const void *b)
{
	const cell_t *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
}

static int64_t utc_day(int64_t us)
{
	const int64_t d = INT64_C(86400) * TL_US_PER_SEC;
	return us / d - (us % d < 0);
}

/* The target's bootstrap, with UTC days as clusters: the D days with lookups are drawn D
 * times with replacement, each bringing all its lookups by source; the four measures of
 * each replicate (sources missing from it drop out); their alpha/2 and 1 - alpha/2
 * quantiles (type 7) and the target's rank at those. s[0..n) are the target's sources
 * (org set), c[0..nc) its lookups by (day, source) ascending. */
static void bootstrap(const src_count_t *s, size_t n, const cell_t *c, size_t nc, uint32_t reps,
		      uint64_t seed, double alpha, uint32_t top_k, scratch_t *w,
		      tl_baseline_model_t *m)
{
	tl_baseline_target_t *t = &m->target;
	interval_none(&t->ci_top_source_share);
	interval_none(&t->ci_hhi);
	interval_none(&t->ci_top_org_share);
	interval_none(&t->ci_org_hhi);
	if (reps == 0 || n == 0 || nc == 0)
		return;
	size_t nd = 0;
	size_t *start = tl_xmalloc((nc + 1) * sizeof(size_t));
	for (size_t i = 0; i < nc; i++)
		if (i == 0 || c[i].day != c[i - 1].day)
			start[nd++] = i;
	start[nd] = nc;
	double *v = tl_xmalloc((size_t)reps * 4 * sizeof(double));
	uint64_t *cnt = tl_xcalloc(n, sizeof(uint64_t));
	src_count_t *d = tl_xmalloc(n * sizeof(src_count_t));
	tl_rng_t r;
	tl_rng_seed(&r, seed);
	for (uint32_t k = 0; k < reps; k++) {
		for (size_t j = 0; j < nd; j++) {
			size_t day = (size_t)tl_rng_below(&r, nd);
			for (size_t e = start[day]; e < start[day + 1]; e++)
				cnt[c[e].src] += c[e].count;
		}
		size_t u = 0;
		for (size_t i = 0; i < n; i++) {
			if (cnt[i] == 0)
				continue;
			d[u] = s[i];
			d[u++].count = cnt[i];
			cnt[i] = 0;
		}
		tl_baseline_measures_t x;
		measures_empty(&x);
		if (u == 0 || measure(d, u, top_k, w, &x) != TL_OK)
			continue; /* cannot happen: every day has lookups */
		v[0 * (size_t)reps + k] = x.top_source_share;
		v[1 * (size_t)reps + k] = x.hhi;
		v[2 * (size_t)reps + k] = x.top_org_share;
		v[3 * (size_t)reps + k] = x.org_hhi;
	}
	tl_baseline_interval_t *iv[4] = {&t->ci_top_source_share, &t->ci_hhi, &t->ci_top_org_share,
					 &t->ci_org_hhi};
	size_t off[4] = {offsetof(tl_baseline_measures_t, top_source_share),
			 offsetof(tl_baseline_measures_t, hhi),
			 offsetof(tl_baseline_measures_t, top_org_share),
			 offsetof(tl_baseline_measures_t, org_hhi)};
	for (size_t q = 0; q < 4; q++) {
		double *x = v + q * (size_t)reps;
		qsort(x, reps, sizeof(double), cmp_dbl);
		iv[q]->lo = tl_stats_quantile_sorted(x, reps, alpha / 2);
		iv[q]->hi = tl_stats_quantile_sorted(x, reps, 1 - alpha / 2);
		iv[q]->rank_lo = rank_of(m, off[q], iv[q]->lo);
		iv[q]->rank_hi = rank_of(m, off[q], iv[q]->hi);
	}
	m->bootstrap_days = nd;
	free(d);
	free(cnt);
	free(v);
	free(start);
}

/* Lookups per pair: the kept sightings after de-duplication, into look (n_pairs). Returns
 * the sightings (source = pair, dup_of set; the caller frees them); *n_out how many. */
static tl_lookup_t *dedup_pairs(const tl_baseline_t *b, const tl_baseline_query_t *q,
				uint64_t *look, uint64_t *total, size_t *n_out)
{
	size_t n = b->n_sights;
	tl_lookup_t *lk = tl_xmalloc((n ? n : 1) * sizeof(tl_lookup_t));
	uint32_t max_input = 0;
	for (size_t i = 0; i < n; i++) {
		lk[i] = b->sights[i];
		lk[i].source = lk[i].name; /* the pair: the name and the source together */
		lk[i].name = 0;
		if (lk[i].input > max_input)
			max_input = lk[i].input;
	}
	const uint32_t *is = q->input_sensor;
	uint32_t *zeros = NULL;
	if (!is || q->n_inputs <= max_input) {
		zeros = tl_xcalloc((size_t)max_input + 1, sizeof(uint32_t));
		if (is)
			memcpy(zeros, is, q->n_inputs * sizeof(uint32_t));
		is = zeros;
	}
	size_t ns = q->n_sensors ? q->n_sensors : 1;
	tl_dedup_stats_t st;
	memset(&st, 0, sizeof(st));
	tl_lookups_dedup(lk, n, is, ns, q->dedup_tolerance_us,
			 q->n_sensors ? q->clock_offsets_s : NULL, &st);
	*total = 0;
	for (size_t i = 0; i < n; i++)
		if (lk[i].dup_of == TL_NONE32) {
			look[lk[i].source]++;
			(*total)++;
		}
	free(zeros);
	*n_out = n;
	return lk;
}

int tl_baseline_finish(const tl_baseline_t *b, const tl_baseline_query_t *q,
		       tl_baseline_model_t *out)
{
	static const tl_baseline_query_t none;
	if (!q)
		q = &none;
	for (size_t i = 0; q->input_sensor && i < q->n_inputs; i++)
		if (q->input_sensor[i] >= (q->n_sensors ? q->n_sensors : 1))
			return TL_EINVAL;
	tl_baseline_model_t m;
	memset(&m, 0, sizeof(m));
	m.min_lookups = b->set.min_lookups;
	m.top_k = b->set.top_k;
	m.ip_cap = b->set.ip_cap;
	m.records_counted = b->records_counted;
	m.pairs_capped = b->pairs_capped;
	m.has_target = q->n_target_names > 0 || q->n_target_ips > 0 || q->n_target_suffixes > 0;
	m.dedup_tolerance_us = q->dedup_tolerance_us;
	m.alpha = q->alpha > 0 && q->alpha < 1 ? q->alpha : 0.05;
	m.bootstrap_reps = b->set.bootstrap;
	m.bootstrap_seed = q->seed;
	measures_empty(&m.target.m);

	/* Lookups per pair: de-duplicated, or raw sightings when the cap was passed. */
	uint64_t *look = tl_xcalloc(b->n_pairs ? b->n_pairs : 1, sizeof(uint64_t));
	tl_lookup_t *lk = NULL;
	size_t n_lk = 0;
	if (!b->sights_over) {
		m.counting = TL_BASELINE_COUNT_LOOKUPS;
		lk = dedup_pairs(b, q, look, &m.lookups_counted, &n_lk);
	} else {
		m.counting = TL_BASELINE_COUNT_RAW;
		for (size_t i = 0; i < b->n_pairs; i++)
			look[i] = b->pairs[i].count;
		m.lookups_counted = b->records_counted;
	}

	/* Target names and their parents, suffixes, and the names left out. */
	size_t nt = q->n_target_names;
	char **tnames = sorted_names(q->target_names, nt);
	char **tparents = tl_xmalloc((nt ? nt : 1) * sizeof(char *));
	size_t ntp = 0;
	for (size_t i = 0; i < nt; i++) {
		const char *p = parent_of(tnames[i]);
		if (*p)
			tparents[ntp++] = tnames[i] + (p - tnames[i]); /* inside tnames[i] */
	}
	qsort(tparents, ntp, sizeof(char *), str_cmp);
	char **tsuf = sorted_names(q->target_suffixes, q->n_target_suffixes);
	char **succ = sorted_names(q->successor_names, q->n_successor_names);
	char **shared = sorted_names(q->shared_addr_names, q->n_shared_addr_names);
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

	uint8_t *tpair = tl_xcalloc(b->n_pairs ? b->n_pairs : 1, 1); /* pairs of target names */
	scratch_t w;
	memset(&w, 0, sizeof(w));
	w.n_orgs = q->n_orgs;
	w.org_count = tl_xcalloc(q->n_orgs ? q->n_orgs : 1, sizeof(uint64_t));
	w.touched = tl_xmalloc((q->n_orgs ? q->n_orgs : 1) * sizeof(uint32_t));
	src_count_t *sc = NULL;
	size_t cap_sc = 0;
	src_count_t *tsc = NULL; /* the target's sources, from every target name */
	size_t n_tsc = 0, cap_tsc = 0;
	uint64_t tsightings = 0;
	spot_t tfirst = {0, 0, 0}, tlast = {0, 0, 0};
	size_t cap_listed = 0, cap_excl = 0;
	int rc = TL_OK;

	for (size_t i = 0; i < b->n_pairs && rc == TL_OK;) {
		uint32_t k = pi[i].name;
		size_t j = i;
		uint64_t nlook = 0;
		while (j < b->n_pairs && pi[j].name == k)
			nlook += look[pi[j++].pair];
		const bname_t *bn = &b->names[k];
		size_t n = j - i;
		size_t first = i;
		i = j;
		if (bn->sightings == 0) /* cannot happen: a pair always has a sighting */
			continue;
		m.names_seen++;
		int is_target = in_sorted(tnames, nt, bn->name) ||
				under_suffix(tsuf, q->n_target_suffixes, bn->name);
		if (!is_target && (nlook == 0 || nlook < b->set.min_lookups))
			continue;
		if (!is_target) {
			/* left out of the comparison: a successor, or a name that resolved to
			 * a target address (the same users may stand behind it) */
			int reason = -1;
			if (in_sorted(succ, q->n_successor_names, bn->name))
				reason = TL_BASELINE_EXCL_SUCCESSOR;
			for (uint32_t t = 0; reason < 0 && t < bn->n_ips; t++)
				if (nip && bsearch(&bn->ips[t], tips, nip, sizeof(tl_addr_t), addr_qcmp))
					reason = TL_BASELINE_EXCL_SHARED_ADDR;
			if (reason < 0 && in_sorted(shared, q->n_shared_addr_names, bn->name))
				reason = TL_BASELINE_EXCL_SHARED_ADDR;
			if (reason >= 0) {
				if (m.n_excluded == cap_excl) {
					cap_excl = cap_excl ? cap_excl * 2 : 8;
					m.excluded = tl_xrealloc(m.excluded,
								 cap_excl * sizeof(tl_baseline_excluded_t));
				}
				tl_baseline_excluded_t *e = &m.excluded[m.n_excluded++];
				e->name = tl_xstrndup(bn->name, bn->len);
				e->reason = reason;
				e->lookups = nlook;
				if (reason == TL_BASELINE_EXCL_SUCCESSOR)
					m.n_excluded_successor++;
				else
					m.n_excluded_shared_addr++;
				continue;
			}
		}
		src_count_t *dst;
		if (is_target) {
			if (n_tsc + n > cap_tsc) {
				cap_tsc = (n_tsc + n) * 2;
				tsc = tl_xrealloc(tsc, cap_tsc * sizeof(src_count_t));
			}
			dst = tsc + n_tsc;
			if (m.target.n_names_seen == 0 || spot_cmp(&bn->first, &tfirst) < 0)
				tfirst = bn->first;
			if (m.target.n_names_seen == 0 || spot_cmp(&bn->last, &tlast) > 0)
				tlast = bn->last;
			m.target.n_names_seen++;
			tsightings += bn->sightings;
		} else {
			if (n > cap_sc) {
				cap_sc = n;
				sc = tl_xrealloc(sc, cap_sc * sizeof(src_count_t));
			}
			dst = sc;
		}
		size_t u = 0;
		for (size_t t = 0; t < n && rc == TL_OK; t++) {
			const bpair_t *p = &b->pairs[pi[first + t].pair];
			uint64_t c = look[pi[first + t].pair];
			tpair[pi[first + t].pair] = (uint8_t)is_target;
			if (c == 0)
				continue; /* only sightings without a time */
			if (!q->org_of) {
				rc = TL_EINVAL;
				break;
			}
			uint32_t o = q->org_of(&p->src, q->org_ud);
			if (o != TL_BASELINE_ORG_NONE && o >= q->n_orgs) {
				rc = TL_EINVAL;
				break;
			}
			dst[u].addr = p->src;
			dst[u].count = c;
			dst[u].org = o;
			dst[u].first_ts = p->first_ts;
			dst[u].last_ts = p->last_ts;
			u++;
		}
		if (rc != TL_OK)
			break;
		if (is_target) {
			n_tsc += u;
			continue;
		}
		if (m.n_names == cap_listed) {
			cap_listed = cap_listed ? cap_listed * 2 : 16;
			m.names = tl_xrealloc(m.names, cap_listed * sizeof(tl_baseline_name_t));
		}
		tl_baseline_name_t *ln = &m.names[m.n_names];
		memset(ln, 0, sizeof(*ln));
		measures_empty(&ln->m);
		rc = measure(sc, u, b->set.top_k, &w, &ln->m);
		if (rc != TL_OK)
			break;
		m.n_names++;
		ln->m.sightings = bn->sightings;
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
		const char *p = parent_of(ln->name);
		if (*p && in_sorted(tparents, ntp, p))
			ln->group = TL_BASELINE_GROUP_ZONE;
	}
	m.names_meeting_minimum = m.n_names;
	for (size_t i = 0; i < b->n_names; i++)
		if (b->names[i].ips_capped)
			m.names_ips_capped++;

	/* The target: sources of all target names together, one entry per address. */
	size_t n_tu = 0;
	if (rc == TL_OK && n_tsc > 0) {
		qsort(tsc, n_tsc, sizeof(src_count_t), src_count_cmp);
		for (size_t i = 0; i < n_tsc; i++) {
			if (n_tu > 0 && tl_addr_equal(&tsc[n_tu - 1].addr, &tsc[i].addr)) {
				tsc[n_tu - 1].count += tsc[i].count;
				if (tsc[i].first_ts < tsc[n_tu - 1].first_ts)
					tsc[n_tu - 1].first_ts = tsc[i].first_ts;
				if (tsc[i].last_ts > tsc[n_tu - 1].last_ts)
					tsc[n_tu - 1].last_ts = tsc[i].last_ts;
			} else {
				tsc[n_tu++] = tsc[i];
			}
		}
		rc = measure(tsc, n_tu, b->set.top_k, &w, &m.target.m);
	}
	if (m.target.n_names_seen > 0) {
		m.target.m.sightings = tsightings;
		m.target.m.first_ts = tfirst.ts;
		m.target.m.last_ts = tlast.ts;
		m.target.m.first_input = tfirst.input;
		m.target.m.first_pos = tfirst.pos;
	}
	m.target.meets_minimum = m.target.m.lookups > 0 &&
				 m.target.m.lookups >= b->set.min_lookups;

	if (rc == TL_OK) {
		if (m.n_names > 1)
			qsort(m.names, m.n_names, sizeof(tl_baseline_name_t), listed_cmp);
		if (m.n_excluded > 1)
			qsort(m.excluded, m.n_excluded, sizeof(tl_baseline_excluded_t), excluded_cmp);
		const tl_baseline_measures_t *tm = &m.target.m;
		int have = tm->lookups > 0;
		m.target.rank_top_source_share = have ? rank_of(&m, offsetof(tl_baseline_measures_t,
			top_source_share), tm->top_source_share) : NAN;
		m.target.rank_hhi = have ? rank_of(&m, offsetof(tl_baseline_measures_t, hhi),
			tm->hhi) : NAN;
		m.target.rank_top_org_share = have ? rank_of(&m, offsetof(tl_baseline_measures_t,
			top_org_share), tm->top_org_share) : NAN;
		m.target.rank_org_hhi = have ? rank_of(&m, offsetof(tl_baseline_measures_t,
			org_hhi), tm->org_hhi) : NAN;
		/* the target's kept lookups by (day, source) for the bootstrap */
		cell_t *cells = tl_xmalloc((n_lk ? n_lk : 1) * sizeof(cell_t));
		size_t nc = 0;
		for (size_t i = 0; have && i < n_lk; i++) {
			if (lk[i].dup_of != TL_NONE32 || !tpair[lk[i].source])
				continue;
			src_count_t key;
			key.addr = b->pairs[lk[i].source].src;
			const src_count_t *hit = bsearch(&key, tsc, n_tu, sizeof(src_count_t),
							 src_count_cmp);
			if (!hit)
				continue; /* cannot happen */
			cells[nc].day = utc_day(lk[i].ts);
			cells[nc].src = (uint32_t)(hit - tsc);
			cells[nc++].count = 1;
		}
		qsort(cells, nc, sizeof(cell_t), cell_cmp);
		size_t u = 0;
		for (size_t i = 0; i < nc; i++) {
			if (u > 0 && cells[u - 1].day == cells[i].day && cells[u - 1].src == cells[i].src)
				cells[u - 1].count += cells[i].count;
			else
				cells[u++] = cells[i];
		}
		bootstrap(tsc, have ? n_tu : 0, cells, u, b->set.bootstrap, q->seed, m.alpha,
			  b->set.top_k, &w, &m);
		free(cells);
		if (q->n_orgs) {
			m.n_orgs = q->n_orgs;
			m.org_names = tl_xcalloc(q->n_orgs, sizeof(char *));
			for (size_t i = 0; i < q->n_orgs; i++)
				m.org_names[i] = tl_xstrdup(q->org_names && q->org_names[i] ?
							    q->org_names[i] : "");
		}
	}

	free_names(tnames, nt);
	free(tparents);
	free_names(tsuf, q->n_target_suffixes);
	free_names(succ, q->n_successor_names);
	free_names(shared, q->n_shared_addr_names);
	free(tips);
	free(pi);
	free(look);
	free(lk);
	free(tpair);
	free(w.counts);
	free(w.ent);
	free(w.org_count);
	free(w.touched);
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
	for (size_t i = 0; i < m->n_excluded; i++)
		free(m->excluded[i].name);
	free(m->excluded);
	for (size_t i = 0; i < m->n_orgs; i++)
		free(m->org_names[i]);
	free(m->org_names);
	memset(m, 0, sizeof(*m));
}
