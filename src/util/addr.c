/* addr.c - IPv4 and IPv6 addresses: text forms (inet_pton and inet_ntop, with a fast path
 * for IPv4) and a total order. */
#include "util/addr.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <string.h>

void tl_addr_format(const tl_addr_t *a, char out[TL_ADDR_STR_LEN])
{
	out[0] = '\0';
	if (a->family == 4) {
		/* dotted quad written directly: glibc's inet_ntop goes through sprintf */
		char *p = out;
		for (int i = 0; i < 4; i++) {
			unsigned v = a->bytes[i];
			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + (v / 10) % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
	} else if (a->family == 6)
		inet_ntop(AF_INET6, a->bytes, out, TL_ADDR_STR_LEN);
}

int tl_addr_parse(const char *s, size_t len, tl_addr_t *a)
{
	char tmp[TL_ADDR_STR_LEN];
	if (len == 0 || len >= sizeof(tmp))
		return TL_EFORMAT;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	tl_addr_t r;
	memset(&r, 0, sizeof(r));
	if (memchr(tmp, ':', len)) {
		/* strip a zone index ("fe80::1%eth0"): it names a local interface, not an address */
		char *pct = strchr(tmp, '%');
		if (pct)
			*pct = '\0';
		if (inet_pton(AF_INET6, tmp, r.bytes) != 1)
			return TL_EFORMAT;
		r.family = 6;
	} else {
		if (inet_pton(AF_INET, tmp, r.bytes) != 1)
			return TL_EFORMAT;
		r.family = 4;
	}
	*a = r;
	return TL_OK;
}

int tl_addr_equal(const tl_addr_t *a, const tl_addr_t *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

int tl_addr_cmp(const tl_addr_t *a, const tl_addr_t *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}
