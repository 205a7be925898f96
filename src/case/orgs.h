/* orgs.h - the organisations file (docs/case-file.md): "cidr,organisation[,timezone]". */
#ifndef TL_CASE_ORGS_H
#define TL_CASE_ORGS_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"
#include "util/sha256.h"

#define TL_ORGS_MAX_BYTES (64u << 20) /* largest organisations file read */
#define TL_ATTRIB_ORG_LEN 256         /* organisation names: at most 255 bytes of UTF-8 */
#define TL_ATTRIB_UNATTRIBUTED "unattributed" /* the name of no organisation: refused in the file */
#define TL_ATTRIB_NET_LEN 64          /* "ffff:...:ffff/128" and NUL fit */
/* One row of the organisations CSV. */
typedef struct tl_org_prefix {
	tl_addr_t net;   /* host bits are zero */
	uint8_t len;     /* prefix length: 0-32 for IPv4, 0-128 for IPv6 */
	size_t org;      /* index into tl_orgs_t.names */
	int line;        /* line in the CSV */
	char cidr[TL_ATTRIB_NET_LEN]; /* canonical text, e.g. "198.51.100.0/24" */
} tl_org_prefix_t;

/* The organisations file. All memory is owned by it; free with tl_orgs_free. */
typedef struct tl_orgs {
	char *path;
	uint8_t sha256[TL_SHA256_LEN]; /* of the file's bytes, for the manifest */
	char sha256_hex[TL_SHA256_HEX_LEN];
	tl_org_prefix_t *prefixes; /* in file order; a repeated row of the same organisation
				    * is kept once */
	size_t n_prefixes;
	char **names;  /* distinct organisations, sorted bytewise */
	char **zones;  /* per name: the CSV's timezone column, or NULL */
	size_t n_names;
} tl_orgs_t;

/* Reads "cidr,organisation[,timezone]" (header line required, RFC 4180 quoting, UTF-8).
 * Refused, with "path:line: message" in err: a missing or wrong header, a field count other
 * than the header's, a bad CIDR, host bits set, the same CIDR for two organisations, an
 * empty or over-long organisation, invalid UTF-8, an unknown zone, two different zones for
 * one organisation. Returns TL_OK, TL_EFORMAT, or the TL_E* of reading the file. */
int tl_orgs_load(const char *path, tl_orgs_t **out, char *err, size_t errlen);
void tl_orgs_free(tl_orgs_t *o);

/* Bit i (0 = most significant) of an address's bytes. */
static inline int tl_orgs_bit(const uint8_t *b, unsigned i)
{
	return (b[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Clears the bits of a after the first len (a network address from a host address). */
void tl_cidr_mask(tl_addr_t *a, unsigned len);
/* "address/len" in canonical text. */
void tl_cidr_text(const tl_addr_t *a, unsigned len, char out[TL_ATTRIB_NET_LEN]);

#endif
