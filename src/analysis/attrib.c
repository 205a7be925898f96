/* attrib.c - organisations CSV, longest-prefix match (binary trie), MaxMind DB, PTR names. */
#include "analysis/attrib.h"
#include "case/parse.h"
#include "util/error.h"
#include "util/xmalloc.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- organisations CSV ---- */

static void msg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void msg(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int bit_at(const uint8_t *b, unsigned i)
{
	return (b[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Parses "address/len" strictly; returns 0 ok, -1 malformed, -2 host bits set. */
static int parse_cidr(const char *s, tl_addr_t *net, uint8_t *plen)
{
	const char *slash = strrchr(s, '/');
	if (!slash || strchr(s, '%') || strchr(s, ' '))
		return -1;
	uint64_t len;
	if (tl_u64_parse(slash + 1, 128, &len) != TL_OK)
		return -1;
	tl_addr_t a;
	if (tl_addr_parse(s, (size_t)(slash - s), &a) != TL_OK)
		return -1;
	unsigned bits = a.family == 4 ? 32 : 128;
	if (len > bits)
		return -1;
	*net = a;
	*plen = (uint8_t)len;
	for (unsigned i = (unsigned)len; i < bits; i++)
		if (bit_at(a.bytes, i))
			return -2;
	return 0;
}

static void mask(tl_addr_t *a, unsigned len)
{
	unsigned bits = a->family == 4 ? 32 : 128;
	for (unsigned i = len; i < bits; i++)
		a->bytes[i >> 3] &= (uint8_t) ~(0x80u >> (i & 7));
}

static void cidr_text(const tl_addr_t *a, unsigned len, char out[TL_ATTRIB_NET_LEN])
{
	char s[TL_ADDR_STR_LEN];
	tl_addr_format(a, s);
	snprintf(out, TL_ATTRIB_NET_LEN, "%s/%u", s, len);
}

typedef struct org_tmp {
	char *name;
	char *zone;
	int zone_line;
} org_tmp_t;

static int cmp_org_tmp(const void *a, const void *b)
{
	return strcmp(((const org_tmp_t *)a)->name, ((const org_tmp_t *)b)->name);
}

void tl_orgs_free(tl_orgs_t *o)
{
	if (!o)
		return;
	free(o->path);
	free(o->prefixes);
	for (size_t i = 0; i < o->n_names; i++) {
		free(o->names[i]);
		free(o->zones[i]);
	}
	free(o->names);
	free(o->zones);
	free(o);
}

/* Row-level loader working on the file's bytes. Organisation indices in prefixes[] are
 * first positions in a temporary list and are remapped to sorted order at the end. */
int tl_orgs_load(const char *path, tl_orgs_t **out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	char *data;
	size_t len;
	int rc = tl_file_read(path, TL_ORGS_MAX_BYTES, &data, &len);
	if (rc != TL_OK) {
		msg(err, errlen, "%s: %s", path,
		    rc == TL_ELIMIT ? "larger than 64 MiB" : tl_strerror(rc));
		return rc;
	}
	tl_orgs_t *o = tl_xcalloc(1, sizeof(*o));
	o->path = tl_xstrdup(path);
	tl_sha256(data, len, o->sha256);
	tl_sha256_hex(o->sha256, o->sha256_hex);

	org_tmp_t *orgs = NULL;
	size_t n_orgs = 0, cap_p = 0;
	int ncols = 0, line = 0;
	rc = TL_OK;
	size_t pos = 0;
	while (rc == TL_OK) {
		char *store;
		const char *f[TL_CSV_MAX_FIELDS];
		int nf = tl_csv_next(path, data, len, &pos, &line, &store, f, err, errlen);
		if (nf == 0)
			break;
		if (nf < 0) {
			rc = TL_EFORMAT;
			break;
		}
		if (line == 1) {
			if ((nf == 2 || nf == 3) && strcmp(f[0], "cidr") == 0 &&
			    strcmp(f[1], "organisation") == 0 && (nf == 2 || strcmp(f[2], "timezone") == 0)) {
				ncols = nf;
			} else {
				msg(err, errlen,
				    "%s:1: expected the header 'cidr,organisation' or "
				    "'cidr,organisation,timezone'",
				    path);
				rc = TL_EFORMAT;
			}
			free(store);
			continue;
		}
		if (nf != ncols) {
			msg(err, errlen, "%s:%d: %d fields, expected %d as in the header", path, line,
			    nf, ncols);
			rc = TL_EFORMAT;
		}
		tl_addr_t net;
		uint8_t plen = 0;
		int pr = rc == TL_OK ? parse_cidr(f[0], &net, &plen) : 0;
		if (pr == -1) {
			msg(err, errlen, "%s:%d: bad CIDR '%s' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)",
			    path, line, f[0]);
			rc = TL_EFORMAT;
		} else if (pr == -2) {
			char want[TL_ATTRIB_NET_LEN];
			mask(&net, plen);
			cidr_text(&net, plen, want);
			msg(err, errlen, "%s:%d: host bits set in CIDR '%s' (the network is %s)", path,
			    line, f[0], want);
			rc = TL_EFORMAT;
		}
		const char *org = rc == TL_OK ? f[1] : "";
		if (rc == TL_OK && (org[0] == '\0' || strlen(org) >= TL_ATTRIB_ORG_LEN)) {
			msg(err, errlen, "%s:%d: organisation name empty or longer than %d bytes", path,
			    line, TL_ATTRIB_ORG_LEN - 1);
			rc = TL_EFORMAT;
		} else if (rc == TL_OK && strcmp(org, TL_ATTRIB_UNATTRIBUTED) == 0) {
			msg(err, errlen, "%s:%d: the organisation name '%s' is reserved", path, line,
			    org);
			rc = TL_EFORMAT;
		}
		const char *zone = rc == TL_OK && ncols == 3 && f[2][0] ? f[2] : NULL;
		if (zone) {
			int zr = tl_zone_check(zone);
			if (zr != TL_OK) {
				msg(err, errlen, "%s:%d: %s time zone '%s'", path, line,
				    zr == TL_EINVAL ? "bad" : "unknown", zone);
				rc = TL_EFORMAT;
			}
		}
		if (rc != TL_OK) {
			free(store);
			break;
		}
		/* the organisation: linear search is fine for thousands; a name table is built
		 * sorted afterwards */
		size_t oi = n_orgs;
		for (size_t i = 0; i < n_orgs; i++)
			if (strcmp(orgs[i].name, org) == 0)
				oi = i;
		if (oi == n_orgs) {
			orgs = tl_xrealloc(orgs, (n_orgs + 1) * sizeof(*orgs));
			orgs[n_orgs].name = tl_xstrdup(org);
			orgs[n_orgs].zone = NULL;
			orgs[n_orgs++].zone_line = 0;
		}
		if (zone) {
			if (orgs[oi].zone && strcmp(orgs[oi].zone, zone) != 0) {
				msg(err, errlen,
				    "%s:%d: time zone '%s' for '%s', but line %d gives '%s'", path, line,
				    zone, org, orgs[oi].zone_line, orgs[oi].zone);
				rc = TL_EFORMAT;
				free(store);
				break;
			}
			if (!orgs[oi].zone) {
				orgs[oi].zone = tl_xstrdup(zone);
				orgs[oi].zone_line = line;
			}
		}
		/* the same network twice: harmless for one organisation, a conflict otherwise */
		int dup = 0;
		for (size_t i = 0; i < o->n_prefixes && !dup; i++) {
			const tl_org_prefix_t *p = &o->prefixes[i];
			if (p->len == plen && tl_addr_equal(&p->net, &net)) {
				dup = 1;
				if (p->org != oi) {
					msg(err, errlen,
					    "%s:%d: CIDR %s given for '%s', but line %d gives it to '%s'",
					    path, line, p->cidr, org, p->line, orgs[p->org].name);
					rc = TL_EFORMAT;
				}
			}
		}
		free(store);
		if (dup)
			continue;
		if (o->n_prefixes == cap_p) {
			cap_p = cap_p ? cap_p * 2 : 64;
			o->prefixes = tl_xrealloc(o->prefixes, cap_p * sizeof(*o->prefixes));
		}
		tl_org_prefix_t *p = &o->prefixes[o->n_prefixes++];
		p->net = net;
		p->len = plen;
		p->org = oi;
		p->line = line;
		cidr_text(&net, plen, p->cidr);
	}
	if (rc == TL_OK && line == 0) {
		msg(err, errlen, "%s: empty file (the header 'cidr,organisation' is required)", path);
		rc = TL_EFORMAT;
	}
	free(data);
	if (rc != TL_OK) {
		for (size_t i = 0; i < n_orgs; i++) {
			free(orgs[i].name);
			free(orgs[i].zone);
		}
		free(orgs);
		tl_orgs_free(o);
		return rc;
	}
	/* sort the names and remap the prefixes' indices */
	size_t *order = tl_xmalloc((n_orgs + 1) * sizeof(*order));
	for (size_t i = 0; i < n_orgs; i++)
		orgs[i].zone_line = (int)i; /* reuse: the original position */
	qsort(orgs, n_orgs, sizeof(*orgs), cmp_org_tmp);
	o->names = tl_xmalloc((n_orgs + 1) * sizeof(*o->names));
	o->zones = tl_xmalloc((n_orgs + 1) * sizeof(*o->zones));
	for (size_t i = 0; i < n_orgs; i++) {
		order[orgs[i].zone_line] = i;
		o->names[i] = orgs[i].name;
		o->zones[i] = orgs[i].zone;
	}
	o->n_names = n_orgs;
	for (size_t i = 0; i < o->n_prefixes; i++)
		o->prefixes[i].org = order[o->prefixes[i].org];
	free(order);
	free(orgs);
	*out = o;
	return TL_OK;
}

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
	int has_mmdb;
	MMDB_s mmdb;
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
		int b = bit_at(p->net.bytes, i);
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
	if (a->has_mmdb)
		MMDB_close(&a->mmdb);
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
		int r = MMDB_open(mmdb_path, MMDB_MODE_MMAP, &a->mmdb);
		if (r != MMDB_SUCCESS) {
			/* libmaxminddb's errors translated here, the one file that wraps it */
			int e = r == MMDB_FILE_OPEN_ERROR ? TL_ENOENT
				: r == MMDB_IO_ERROR	  ? TL_EIO
				: r == MMDB_OUT_OF_MEMORY_ERROR ? TL_ENOMEM
								: TL_EFORMAT;
			msg(err, errlen, "%s: cannot open as a MaxMind DB: %s", mmdb_path,
			    MMDB_strerror(r));
			tl_attrib_free(a);
			return e;
		}
		a->has_mmdb = 1;
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

/* Copies an mmdb string (untrusted bytes) when it is clean UTF-8; cut at a character
 * boundary when too long. Returns 0 when unusable. */
static int copy_mmdb_string(char dst[TL_ATTRIB_ORG_LEN], const char *s, size_t n)
{
	if (n == 0 || tl_text_check(s, n) != TL_TEXT_OK)
		return 0;
	if (n >= TL_ATTRIB_ORG_LEN) {
		n = TL_ATTRIB_ORG_LEN - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

static int mmdb_lookup(const tl_attrib_t *a, const tl_addr_t *addr, tl_attribution_t *out)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (addr->family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr->bytes, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr->bytes, 16);
	}
	int merr = 0;
	MMDB_lookup_result_s res =
		MMDB_lookup_sockaddr(&a->mmdb, (const struct sockaddr *)&ss, &merr);
	if (merr != MMDB_SUCCESS || !res.found_entry)
		return 0;
	MMDB_entry_data_s org, asn;
	int has_org = MMDB_get_value(&res.entry, &org, "autonomous_system_organization", NULL) ==
			      MMDB_SUCCESS &&
		      org.has_data && org.type == MMDB_DATA_TYPE_UTF8_STRING &&
		      copy_mmdb_string(out->organisation, org.utf8_string, org.data_size);
	out->has_asn = MMDB_get_value(&res.entry, &asn, "autonomous_system_number", NULL) ==
			       MMDB_SUCCESS &&
		       asn.has_data && asn.type == MMDB_DATA_TYPE_UINT32;
	out->asn = out->has_asn ? asn.uint32 : 0;
	if (!has_org && !out->has_asn)
		return 0;
	if (!has_org)
		snprintf(out->organisation, sizeof(out->organisation), "AS%u", (unsigned)out->asn);
	/* an IPv4 address in an IPv6 tree is found below ::/96: the netmask counts those bits */
	unsigned nm = res.netmask;
	if (addr->family == 4 && a->mmdb.metadata.ip_version == 6)
		nm = nm >= 96 ? nm - 96 : 0;
	tl_addr_t net = *addr;
	mask(&net, nm);
	cidr_text(&net, nm, out->network);
	return 1;
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
			cur = a->nodes[cur].child[bit_at(addr->bytes, i)];
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
		if (a->has_mmdb && mmdb_lookup(a, addr, out)) {
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

const char *tl_attrib_maxminddb_version(void)
{
	return MMDB_lib_version();
}
