/* addr.h - IPv4 and IPv6 addresses: one type for every layer, its text forms and order. */
#ifndef TL_UTIL_ADDR_H
#define TL_UTIL_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define TL_ADDR_STR_LEN 46 /* INET6_ADDRSTRLEN */

typedef struct tl_addr {
	uint8_t family;    /* 0 = unknown, 4 = IPv4, 6 = IPv6 */
	uint8_t bytes[16]; /* IPv4 in the first 4 bytes, rest zero */
} tl_addr_t;

/* Writes the text form ("192.0.2.1", "2001:db8::1") or "" for an unknown address. */
void tl_addr_format(const tl_addr_t *a, char out[TL_ADDR_STR_LEN]);
/* Parses an IPv4 or IPv6 literal (s[0..len)); returns TL_OK or TL_EFORMAT. */
int tl_addr_parse(const char *s, size_t len, tl_addr_t *a);
int tl_addr_equal(const tl_addr_t *a, const tl_addr_t *b);
/* Orders addresses: by family (unknown, IPv4, IPv6), then by their bytes, as unsigned
 * octets in network order. Negative, 0 or positive, like memcmp (and usable in a
 * qsort comparator through a wrapper). */
int tl_addr_cmp(const tl_addr_t *a, const tl_addr_t *b);

#endif
