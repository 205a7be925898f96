/* capture_impl.h - what the frame decoder's files share (private to
 * src/input/capture/): the decoder state, the view of the frame being decoded, and
 * the entry points of each layer. net.c holds the decoder object, link.c the link
 * layers, ip.c IPv4 and IPv6, frag.c fragment reassembly, udp.c and tcp.c the
 * transports. The public API is net.h. */
#ifndef TL_INPUT_CAPTURE_CAPTURE_IMPL_H
#define TL_INPUT_CAPTURE_CAPTURE_IMPL_H

#include "input/anomaly.h"
#include "input/capture/net.h"
#include "input/record.h"
#include "util/cursor.h"

#include <stddef.h>
#include <stdint.h>

/* What the completing frame contributes to a payload's meta. */
typedef struct smeta {
	int64_t ts;
	uint64_t pos;
	uint8_t ttl;
} smeta_t;

/* The network-layer view of the frame being decoded. */
typedef struct pkt {
	smeta_t m;
	uint8_t family;          /* 4 or 6 */
	const uint8_t *src, *dst; /* 4 or 16 bytes; frame or reassembly memory */
	size_t missing;          /* bytes of the datagram the capture cut off at the end */
} pkt_t;

/* Fragment key: (src, dst, protocol, id) for IPv4 (RFC 791 3.2), (src, dst, id) for
 * IPv6 (RFC 8200 4.5). */
typedef struct fkey {
	uint8_t family;
	uint8_t proto; /* IPv4 only; 0 for IPv6 */
	uint32_t id;
	uint8_t src[16], dst[16];
} fkey_t;

struct tl_net {
	const tl_net_opts_t *o;
	tl_anomalies_t *an;
	tl_payload_fn fn;
	void *ud;
	uint64_t frames;
	int64_t now; /* latest capture time seen; clocks that step back do not revive state */
	int have_now;

	struct frag **fbkt; /* frag.c */
	size_t fmask;
	struct frag *fhead, *ftail;
	size_t nfrag, fbytes;

	struct flow **tbkt; /* tcp.c */
	size_t tmask;
	struct flow *thead, *ttail;
	size_t nflow;

	uint8_t ports[65536 / 8];
};

static inline void anom(tl_net_t *n, tl_anomaly_kind_t k, uint64_t pos)
{
	tl_anomaly_add(n->an, k, pos);
}

static inline uint32_t fnv(uint32_t h, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

static inline uint32_t fnv_u32(uint32_t h, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return fnv(h, b, 4);
}

/* Bucket count: a power of two near the cap, bounded so a huge cap does not
 * allocate a huge table up front. */
static inline size_t table_size(size_t cap)
{
	size_t s = 64;
	while (s < cap && s < ((size_t)1 << 20))
		s <<= 1;
	return s;
}

static inline int port_match(const tl_net_t *n, uint16_t a, uint16_t b)
{
	return (n->ports[a >> 3] >> (a & 7) & 1) | (n->ports[b >> 3] >> (b & 7) & 1);
}

/* Counts a cut by the capture (the IP datagram is longer than the captured bytes),
 * once the traffic may be DNS. Once per frame, at the network layer: the transport
 * layer does not count the same cut again. */
static inline void count_trunc(tl_net_t *n, pkt_t *p)
{
	anom(n, TL_AN_IP_TRUNCATED, p->m.pos);
}

/* The IP version nibble of the next byte, without consuming it. */
static inline uint8_t peek_version(const tl_cursor_t *c)
{
	tl_cursor_t t = *c;
	return (uint8_t)(tl_cur_u8(&t) >> 4);
}

/* ---- the layers, outermost first ---- */

/* link.c: reads the link header of frame c (link type dlt); returns the network
 * layer it carries, L3_NONE after counting why there is none. */
enum { L3_NONE, L3_V4, L3_V6, L3_BYVERSION };
int tl_net_link_l3(tl_net_t *n, int dlt, tl_cursor_t *c, uint64_t pos);

/* ip.c: an IPv4 or IPv6 datagram at c. tl_net_ip6_walk goes on from the extension
 * header nh (reassembled: the bytes are a reassembled datagram); tl_net_ip_payload
 * hands the transport protocol's bytes on. */
void tl_net_ip4(tl_net_t *n, tl_cursor_t *c, pkt_t *p);
void tl_net_ip6(tl_net_t *n, tl_cursor_t *c, pkt_t *p);
void tl_net_ip6_walk(tl_net_t *n, uint8_t nh, tl_cursor_t *c, pkt_t *p, int reassembled);
void tl_net_ip_payload(tl_net_t *n, uint8_t proto, tl_cursor_t *c, pkt_t *p);

/* frag.c: adds one fragment, bytes [off, off + left(c)) of the datagram k; more =
 * MF bit; nh = IPv6 next header after the fragment header. A datagram made whole is
 * decoded at once, as if it had arrived in p's frame. */
void tl_net_frag_add(tl_net_t *n, const fkey_t *k, uint32_t off, tl_cursor_t *c, int more,
		     uint8_t nh, pkt_t *p);
/* Drops datagrams older than the timeout, counting each as frag_timeout. */
void tl_net_frag_expire(tl_net_t *n, uint64_t pos);
/* End of input: every datagram still incomplete is a frag_timeout at pos; frees all. */
void tl_net_frag_finish(tl_net_t *n, uint64_t pos);
/* Frees all fragment state without counting anything. */
void tl_net_frag_clear(tl_net_t *n);

/* udp.c, tcp.c: the transport header at c and its payload. */
void tl_net_udp(tl_net_t *n, tl_cursor_t *c, pkt_t *p);
void tl_net_tcp(tl_net_t *n, tl_cursor_t *c, pkt_t *p);
/* tcp.c: closes the flows idle longer than the timeout. */
void tl_net_tcp_expire(tl_net_t *n, uint64_t pos);
/* End of input: closes every flow (holes and partial messages counted at pos). */
void tl_net_tcp_finish(tl_net_t *n, uint64_t pos);
/* Frees all flows without counting or delivering anything. */
void tl_net_tcp_clear(tl_net_t *n);

/* net.c: delivers one DNS payload to the decoder's callback. */
void tl_net_emit(tl_net_t *n, uint8_t family, const uint8_t *src, const uint8_t *dst,
		 uint16_t sport, uint16_t dport, uint8_t transport, const smeta_t *m,
		 const uint8_t *data, size_t len);

#endif
