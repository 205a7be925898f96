/* mmdb.h - a MaxMind DB of autonomous systems, read for the organisations the
 * organisations file does not name. */
#ifndef TL_CASE_MMDB_H
#define TL_CASE_MMDB_H

#include <stddef.h>
#include <stdint.h>

#include "case/orgs.h"
#include "input/record.h"

typedef struct tl_mmdb tl_mmdb_t;

/* What the database says of an address. */
typedef struct tl_mmdb_hit {
	char organisation[TL_ATTRIB_ORG_LEN]; /* autonomous_system_organization, else "AS<n>" */
	char network[TL_ATTRIB_NET_LEN];      /* the network the entry covers */
	int has_asn;
	uint32_t asn;
} tl_mmdb_hit_t;

/* Opens path (memory-mapped). Returns TL_OK, or TL_ENOENT, TL_EIO, TL_ENOMEM or TL_EFORMAT
 * with a message naming the file in err. */
int tl_mmdb_open(const char *path, tl_mmdb_t **out, char *err, size_t errlen);
void tl_mmdb_close(tl_mmdb_t *m);

/* 1 and *out filled when the database has an organisation or an AS number for addr (an
 * IPv4 address in an IPv6 database included); 0 when it has neither. The organisation is
 * taken only when it is clean UTF-8, cut at a character boundary when too long. Safe to
 * call from several threads at once. */
int tl_mmdb_lookup(const tl_mmdb_t *m, const tl_addr_t *addr, tl_mmdb_hit_t *out);

/* Version of libmaxminddb in use (run time). */
const char *tl_mmdb_version(void);

#endif
