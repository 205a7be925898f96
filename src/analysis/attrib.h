/* attrib.h - source attribution: organisations by CIDR (case/orgs.h), ASN organisations by
 * MaxMind DB (case/mmdb.h), PTR names. */
#ifndef TL_ANALYSIS_ATTRIB_H
#define TL_ANALYSIS_ATTRIB_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "case/orgs.h"
#include "input/record.h"

enum { TL_ATTRIB_NONE = 0, TL_ATTRIB_CIDR = 1, TL_ATTRIB_MMDB = 2 };

typedef struct tl_attrib tl_attrib_t;

typedef struct tl_attribution {
	int method;               /* TL_ATTRIB_* */
	const char *method_name;  /* "cidr", "mmdb" or "none" (static) */
	long org_index;           /* index into tl_orgs_t.names for "cidr", else -1 */
	char organisation[TL_ATTRIB_ORG_LEN]; /* TL_ATTRIB_UNATTRIBUTED for "none" */
	char network[TL_ATTRIB_NET_LEN];      /* the matched network, "" for "none" */
	int has_asn;              /* "mmdb" with autonomous_system_number */
	uint32_t asn;
	const char *timezone;     /* display zone; owned by the tl_attrib_t, never NULL */
} tl_attribution_t;

/* Makes an attribution context. orgs (may be NULL) is taken over and freed with it.
 * mmdb_path (may be NULL) is opened now. default_zone NULL means "UTC". zones are the
 * case's timezone.<organisation> settings (copied; any order). Returns TL_OK, or an error
 * with a message naming the mmdb file. */
int tl_attrib_new(tl_orgs_t *orgs, const char *mmdb_path, const char *default_zone,
		  const tl_case_orgzone_t *zones, size_t n_zones, tl_attrib_t **out, char *err,
		  size_t errlen);
/* The same from a case: its organisations file and mmdb (resolved paths), its zones.
 * An organisations file that is not valid is TL_ECASE (tl_orgs_load's TL_EFORMAT). */
int tl_attrib_open(const tl_case_t *c, tl_attrib_t **out, char *err, size_t errlen);
void tl_attrib_free(tl_attrib_t *a);
const tl_orgs_t *tl_attrib_orgs(const tl_attrib_t *a); /* may be NULL */

/* Attributes addr: the longest CIDR prefix of the same family (an IPv4-mapped IPv6 address
 * such as ::ffff:192.0.2.1 is an IPv6 address and is matched only by IPv6 prefixes), else
 * the mmdb's autonomous_system_organization/_number, else "unattributed". The display zone
 * is the case's timezone.<organisation>, else the CSV's column, else the default zone.
 * Safe to call from several threads at once (it reads only). Returns out->method. */
int tl_attrib_lookup(const tl_attrib_t *a, const tl_addr_t *addr, tl_attribution_t *out);

/* PTR names seen in the data, per address. */
typedef struct tl_ptr_seen {
	tl_addr_t addr;
	char *first;     /* the first name fed for this address (lower case) */
	char **names;    /* the distinct names, in the order first fed */
	size_t n_names;
} tl_ptr_seen_t;

/* Records that ptrname was seen as a PTR answer for addr. Names compare without regard to
 * ASCII case and a trailing dot. Feed in a deterministic order (time, then position): the
 * first one fed is reported as the first seen. Not thread-safe. TL_OK, or TL_EINVAL for a
 * name longer than 255 bytes or an unknown address family. */
int tl_attrib_add_ptr(tl_attrib_t *a, const tl_addr_t *addr, const char *ptrname);
/* What was recorded for addr, or NULL. Owned by a. */
const tl_ptr_seen_t *tl_attrib_ptr(const tl_attrib_t *a, const tl_addr_t *addr);

/* Parses a reverse-lookup name: "4.3.2.1.in-addr.arpa" (exactly four decimal labels
 * 0-255 without leading zeros) or the ip6.arpa form (exactly 32 single hex-digit labels),
 * RFC 1035 section 3.5 and RFC 3596 section 2.5; a trailing dot and any ASCII case are
 * accepted. Partial (zone) names and RFC 2317 forms are refused. TL_OK or TL_EFORMAT. */
int tl_ptr_name_to_addr(const char *qname, tl_addr_t *out);

#endif
