/* orgs.c - the organisations file: which networks belong to which organisation, and the
 * zone each organisation keeps its office hours in. */
#include "case/orgs.h"
#include "case/parse.h"
#include "util/error.h"
#include "util/tz.h"
#include "util/file.h"
#include "util/num.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Parses "address/len" strictly; returns 0 ok, -1 malformed, -2 host bits set. */
static int parse_cidr(const char *s, tl_addr_t *net, uint8_t *plen)
{
	const char *slash = strrchr(s, '/');
	if (!slash || strchr(s, '%') || strchr(s, ' '))
		return -1;
	uint64_t len;
	if (tl_num_parse_u64(slash + 1, strlen(slash + 1), 128, TL_NUM_NO_LEADING_ZEROS,
			     &len) != TL_OK)
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
		if (tl_orgs_bit(a.bytes, i))
			return -2;
	return 0;
}

void tl_cidr_mask(tl_addr_t *a, unsigned len)
{
	unsigned bits = a->family == 4 ? 32 : 128;
	for (unsigned i = len; i < bits; i++)
		a->bytes[i >> 3] &= (uint8_t) ~(0x80u >> (i & 7));
}

void tl_cidr_text(const tl_addr_t *a, unsigned len, char out[TL_ATTRIB_NET_LEN])
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
			tl_cidr_mask(&net, plen);
			tl_cidr_text(&net, plen, want);
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
			int zr = tl_tz_check(zone);
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
		tl_cidr_text(&net, plen, p->cidr);
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
