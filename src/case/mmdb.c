/* mmdb.c - a MaxMind DB of autonomous systems (GeoLite2-ASN or the like): the one file
 * that uses libmaxminddb. */
#include "case/mmdb.h"
#include "case/parse.h"
#include "util/error.h"
#include "util/text.h"
#include "util/xmalloc.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct tl_mmdb {
	MMDB_s db;
};

int tl_mmdb_open(const char *path, tl_mmdb_t **out, char *err, size_t errlen)
{
	tl_mmdb_t *m = tl_xcalloc(1, sizeof(*m));
	int r = MMDB_open(path, MMDB_MODE_MMAP, &m->db);
	if (r != MMDB_SUCCESS) {
		/* libmaxminddb's errors translated here, the one file that wraps it */
		int e = r == MMDB_FILE_OPEN_ERROR ? TL_ENOENT
			: r == MMDB_IO_ERROR	  ? TL_EIO
			: r == MMDB_OUT_OF_MEMORY_ERROR ? TL_ENOMEM
							: TL_EFORMAT;
		if (err && errlen)
			snprintf(err, errlen, "%s: cannot open as a MaxMind DB: %s", path,
				 MMDB_strerror(r));
		free(m);
		return e;
	}
	*out = m;
	return TL_OK;
}

void tl_mmdb_close(tl_mmdb_t *m)
{
	if (!m)
		return;
	MMDB_close(&m->db);
	free(m);
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

int tl_mmdb_lookup(const tl_mmdb_t *m, const tl_addr_t *addr, tl_mmdb_hit_t *out)
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
		MMDB_lookup_sockaddr(&m->db, (const struct sockaddr *)&ss, &merr);
	if (merr != MMDB_SUCCESS || !res.found_entry)
		return 0;
	memset(out, 0, sizeof(*out));
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
	if (addr->family == 4 && m->db.metadata.ip_version == 6)
		nm = nm >= 96 ? nm - 96 : 0;
	tl_addr_t net = *addr;
	tl_cidr_mask(&net, nm);
	tl_cidr_text(&net, nm, out->network);
	return 1;
}

const char *tl_mmdb_version(void)
{
	return MMDB_lib_version();
}
