/* attrib.c - which organisation a source belongs to: the longest prefix of the organisations
 * file (a binary trie), else the MaxMind DB; and the PTR names seen for an address. */
#include "analysis/attrib.h"
#include "case/mmdb.h"
#include "case/parse.h"
#include "util/error.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the attribution context ---- */

/* A binary trie, one bit per level: fewer than 129 steps per lookup, a few thousand
 * prefixes cost at most (prefixes x length) nodes. Node 0 is the IPv4 root, 1 the IPv6. */
typedef struct trie_node {
	int32_t child[2];
	int32_t prefix; /* index into orgs->prefixes, or -1 */
} trie_node_t;

typedef struct ptr_slot {
	uint32_t used;
	uint32_t idx; /* into ptrs */
} ptr_slot_t;

struct tl_attrib {
	tl_orgs_t *orgs;
	trie_node_t *nodes;
	size_t n_nodes, cap_nodes;
	tl_mmdb_t *mmdb;  /* NULL when the case names none */
	char *default_zone;
	tl_case_orgzone_t *zones; /* sorted by organisation */
	size_t n_zones;
	tl_ptr_seen_t *ptrs;
	size_t n_ptrs;
	ptr_slot_t *slots; /* open addressing over ptrs; size a power of two */
	size_t n_slots;
};

static int32_t node_new(tl_attrib_t *a)
{
	if (a->n_nodes == a->cap_nodes) {
		a->cap_nodes = a->cap_nodes ? a->cap_nodes * 2 : 1024;
		a->nodes = tl_xrealloc(a->nodes, a->cap_nodes * sizeof(*a->nodes));
	}
	trie_node_t *n = &a->nodes[a->n_nodes];
	n->child[0] = n->child[1] = -1;
	n->prefix = -1;
	return (int32_t)a->n_nodes++;
}

static void trie_insert(tl_attrib_t *a, const tl_org_prefix_t *p, int32_t idx)
{
	int32_t cur = p->net.family == 4 ? 0 : 1;
	for (unsigned i = 0; i < p->len; i++) {
		int b = tl_orgs_bit(p->net.bytes, i);
		if (a->nodes[cur].child[b] < 0) {
			int32_t nn = node_new(a); /* may move a->nodes */
			a->nodes[cur].child[b] = nn;
		}
		cur = a->nodes[cur].child[b];
	}
	a->nodes[cur].prefix = idx; /* duplicates were removed by the loader */
}

static int cmp_zone(const void *x, const void *y)
{
	return strcmp(((const tl_case_orgzone_t *)x)->organisation,
		      ((const tl_case_orgzone_t *)y)->organisation);
}

void tl_attrib_free(tl_attrib_t *a)
{
	if (!a)
		return;
	tl_orgs_free(a->orgs);
	free(a->nodes);
	tl_mmdb_close(a->mmdb);
	free(a->default_zone);
	for (size_t i = 0; i < a->n_zones; i++) {
		free(a->zones[i].organisation);
		free(a->zones[i].zone);
	}
	free(a->zones);
	for (size_t i = 0; i < a->n_ptrs; i++) {
		for (size_t k = 0; k < a->ptrs[i].n_names; k++)
			free(a->ptrs[i].names[k]);
		free(a->ptrs[i].names);
	}
	free(a->ptrs);
	free(a->slots);
	free(a);
}

int tl_attrib_new(tl_orgs_t *orgs, const char *mmdb_path, const char *default_zone,
		  const tl_case_orgzone_t *zones, size_t n_zones, tl_attrib_t **out, char *err,
		  size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	tl_attrib_t *a = tl_xcalloc(1, sizeof(*a));
	a->orgs = orgs;
	node_new(a);
	node_new(a);
	if (orgs)
		for (size_t i = 0; i < orgs->n_prefixes; i++)
			trie_insert(a, &orgs->prefixes[i], (int32_t)i);
	a->default_zone = tl_xstrdup(default_zone ? default_zone : "UTC");
	a->zones = tl_xmalloc((n_zones + 1) * sizeof(*a->zones));
	for (size_t i = 0; i < n_zones; i++) {
		a->zones[i].organisation = tl_xstrdup(zones[i].organisation);
		a->zones[i].zone = tl_xstrdup(zones[i].zone);
	}
	a->n_zones = n_zones;
	qsort(a->zones, n_zones, sizeof(*a->zones), cmp_zone);
	if (mmdb_path) {
		int r = tl_mmdb_open(mmdb_path, &a->mmdb, err, errlen);
		if (r != TL_OK) {
			tl_attrib_free(a);
			return r;
		}
	}
	*out = a;
	return TL_OK;
}

int tl_attrib_open(const tl_case_t *c, tl_attrib_t **out, char *err, size_t errlen)
{
	tl_orgs_t *orgs = NULL;
	if (c->orgs_resolved) {
		int r = tl_orgs_load(c->orgs_resolved, &orgs, err, errlen);
		/* the case names this file: one that is not valid makes the case invalid */
		if (r != TL_OK)
			return r == TL_EFORMAT ? TL_ECASE : r;
	}
	return tl_attrib_new(orgs, c->mmdb_resolved, c->timezone, c->org_zones, c->n_org_zones,
			     out, err, errlen);
}

const tl_orgs_t *tl_attrib_orgs(const tl_attrib_t *a)
{
	return a->orgs;
}

static const char *zone_for(const tl_attrib_t *a, const char *org, const char *csv_zone)
{
	size_t lo = 0, hi = a->n_zones;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(org, a->zones[mid].organisation);
		if (r == 0)
			return a->zones[mid].zone;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return csv_zone ? csv_zone : a->default_zone;
}

int tl_attrib_lookup(const tl_attrib_t *a, const tl_addr_t *addr, tl_attribution_t *out)
{
	out->method = TL_ATTRIB_NONE;
	out->method_name = "none";
	out->org_index = -1;
	out->network[0] = '\0';
	out->has_asn = 0;
	out->asn = 0;
	if (addr->family == 4 || addr->family == 6) {
		unsigned bits = addr->family == 4 ? 32 : 128;
		int32_t cur = addr->family == 4 ? 0 : 1, best = a->nodes[cur].prefix;
		for (unsigned i = 0; i < bits; i++) {
			cur = a->nodes[cur].child[tl_orgs_bit(addr->bytes, i)];
			if (cur < 0)
				break;
			if (a->nodes[cur].prefix >= 0)
				best = a->nodes[cur].prefix;
		}
		if (best >= 0) {
			const tl_org_prefix_t *p = &a->orgs->prefixes[best];
			out->method = TL_ATTRIB_CIDR;
			out->method_name = "cidr";
			out->org_index = (long)p->org;
			snprintf(out->organisation, sizeof(out->organisation), "%s",
				 a->orgs->names[p->org]);
			memcpy(out->network, p->cidr, sizeof(out->network));
			out->timezone = zone_for(a, out->organisation, a->orgs->zones[p->org]);
			return out->method;
		}
		tl_mmdb_hit_t hit;
		if (a->mmdb && tl_mmdb_lookup(a->mmdb, addr, &hit)) {
			memcpy(out->organisation, hit.organisation, sizeof(out->organisation));
			memcpy(out->network, hit.network, sizeof(out->network));
			out->has_asn = hit.has_asn;
			out->asn = hit.asn;
			out->method = TL_ATTRIB_MMDB;
			out->method_name = "mmdb";
			out->timezone = zone_for(a, out->organisation, NULL);
			return out->method;
		}
	}
	snprintf(out->organisation, sizeof(out->organisation), "%s", TL_ATTRIB_UNATTRIBUTED);
	out->timezone = a->default_zone;
	return out->method;
}

/* ---- PTR names ---- */

static uint32_t addr_hash(const tl_addr_t *a)
{
	/* FNV-1a over family and bytes: only for spreading, never for security */
	uint32_t h = 2166136261u;
	h = (h ^ a->family) * 16777619u;
	for (int i = 0; i < 16; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return h;
}

static ptr_slot_t *slot_find(ptr_slot_t *slots, size_t n_slots, const tl_ptr_seen_t *ptrs,
			     const tl_addr_t *addr)
{
	size_t m = n_slots - 1, i = addr_hash(addr) & m;
	while (slots[i].used && !tl_addr_equal(&ptrs[slots[i].idx].addr, addr))
		i = (i + 1) & m;
	return &slots[i];
}

const tl_ptr_seen_t *tl_attrib_ptr(const tl_attrib_t *a, const tl_addr_t *addr)
{
	if (a->n_slots == 0)
		return NULL;
	const ptr_slot_t *s = slot_find(a->slots, a->n_slots, a->ptrs, addr);
	return s->used ? &a->ptrs[s->idx] : NULL;
}

int tl_attrib_add_ptr(tl_attrib_t *a, const tl_addr_t *addr, const char *ptrname)
{
	size_t n = strlen(ptrname);
	if (n > 0 && ptrname[n - 1] == '.')
		n--;
	if (n > 255 || (addr->family != 4 && addr->family != 6))
		return TL_EINVAL;
	if ((a->n_ptrs + 1) * 2 > a->n_slots) {
		size_t ns = a->n_slots ? a->n_slots * 2 : 64;
		ptr_slot_t *slots = tl_xcalloc(ns, sizeof(*slots));
		for (size_t i = 0; i < a->n_ptrs; i++) {
			ptr_slot_t *s = slot_find(slots, ns, a->ptrs, &a->ptrs[i].addr);
			s->used = 1;
			s->idx = (uint32_t)i;
		}
		free(a->slots);
		a->slots = slots;
		a->n_slots = ns;
		a->ptrs = tl_xrealloc(a->ptrs, ns / 2 * sizeof(*a->ptrs));
	}
	char *name = tl_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		char ch = ptrname[i];
		name[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	name[n] = '\0';
	ptr_slot_t *s = slot_find(a->slots, a->n_slots, a->ptrs, addr);
	if (!s->used) {
		s->used = 1;
		s->idx = (uint32_t)a->n_ptrs;
		tl_ptr_seen_t *p = &a->ptrs[a->n_ptrs++];
		p->addr = *addr;
		p->names = tl_xmalloc(sizeof(*p->names));
		p->names[0] = name;
		p->n_names = 1;
		p->first = name;
		return TL_OK;
	}
	tl_ptr_seen_t *p = &a->ptrs[s->idx];
	for (size_t i = 0; i < p->n_names; i++) {
		if (strcmp(p->names[i], name) == 0) {
			free(name);
			return TL_OK;
		}
	}
	p->names = tl_xrealloc(p->names, (p->n_names + 1) * sizeof(*p->names));
	p->names[p->n_names++] = name;
	p->first = p->names[0];
	return TL_OK;
}

static int lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

static int ends_with_ci(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (lower((unsigned char)s[n - k + i]) != suf[i])
			return 0;
	return 1;
}

static int hexdigit(int ch)
{
	ch = lower(ch);
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int tl_ptr_name_to_addr(const char *qname, tl_addr_t *out)
{
	size_t n = strlen(qname);
	if (n > 0 && qname[n - 1] == '.')
		n--;
	tl_addr_t r;
	memset(&r, 0, sizeof(r));
	if (ends_with_ci(qname, n, ".in-addr.arpa")) {
		/* RFC 1035 section 3.5: four octets, least significant first */
		const char *p = qname, *end = qname + n - 13;
		for (int i = 0; i < 4; i++) {
			unsigned v = 0, digits = 0;
			while (p < end && *p >= '0' && *p <= '9' && digits < 4) {
				v = v * 10 + (unsigned)(*p++ - '0');
				digits++;
			}
			if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && p[-(int)digits] == '0'))
				return TL_EFORMAT;
			r.bytes[3 - i] = (uint8_t)v;
			if (i < 3 && (p >= end || *p++ != '.'))
				return TL_EFORMAT;
		}
		if (p != end)
			return TL_EFORMAT;
		r.family = 4;
	} else if (ends_with_ci(qname, n, ".ip6.arpa")) {
		/* RFC 3596 section 2.5: 32 nibbles, least significant first */
		if (n - 9 != 63)
			return TL_EFORMAT;
		for (int i = 0; i < 32; i++) {
			int v = hexdigit((unsigned char)qname[2 * i]);
			if (v < 0 || (i < 31 && qname[2 * i + 1] != '.'))
				return TL_EFORMAT;
			int nib = 31 - i; /* nibble index from the most significant */
			r.bytes[nib / 2] |= (uint8_t)(nib % 2 ? v : v << 4);
		}
		r.family = 6;
	} else {
		return TL_EFORMAT;
	}
	*out = r;
	return TL_OK;
}
