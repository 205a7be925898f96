/* ip.c - the network layer: IPv4 (RFC 791) and IPv6 with its extension headers
 * (RFC 8200); fragments go to frag.c, the transport to udp.c and tcp.c. */
#include "input/capture/capture_impl.h"

#include <string.h>

#include "util/cursor.h"

#define MAX_EXT_HEADERS 16   /* IPv6 extension headers walked before giving up */

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ESP_ 50
#define IPPROTO_AH_ 51
#define IPPROTO_NONE_ 59
#define IPPROTO_DSTOPTS_ 60

void tl_net_ip_payload(tl_net_t *n, uint8_t proto, tl_cursor_t *c, pkt_t *p)
{
	if (proto == IPPROTO_UDP_)
		tl_net_udp(n, c, p);
	else if (proto == IPPROTO_TCP_)
		tl_net_tcp(n, c, p);
	/* ICMP and the rest: not DNS, not an anomaly. */
}

void tl_net_ip4(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
{
	size_t avail = tl_cur_left(c);
	if (avail < 20) { /* RFC 791 3.1: the fixed header is 20 octets */
		anom(n, avail && peek_version(c) != 4 ? TL_AN_IP_MALFORMED : TL_AN_FRAME_TRUNCATED,
		     p->m.pos);
		return;
	}
	uint8_t vihl = tl_cur_u8(c);
	tl_cur_skip(c, 1);
	uint16_t totlen = tl_cur_u16(c);
	uint16_t id = tl_cur_u16(c);
	uint16_t fragw = tl_cur_u16(c);
	p->m.ttl = tl_cur_u8(c);
	uint8_t proto = tl_cur_u8(c);
	tl_cur_skip(c, 2); /* checksum: not checked, captures on the sender see offloaded ones */
	p->src = tl_cur_ptr(c, 4);
	p->dst = tl_cur_ptr(c, 4);
	p->family = 4;
	size_t hl = (size_t)(vihl & 15) * 4;
	/* RFC 791 3.1: version 4, IHL at least 5 words, total length covers the header. */
	if ((vihl >> 4) != 4 || hl < 20 || totlen < hl) {
		anom(n, TL_AN_IP_MALFORMED, p->m.pos);
		return;
	}
	if (hl > avail) {
		anom(n, TL_AN_FRAME_TRUNCATED, p->m.pos);
		return;
	}
	tl_cur_skip(c, hl - 20); /* options */
	size_t claim = (size_t)totlen - hl;
	size_t have = avail - hl;
	/* Trust the total length over the frame length: Ethernet pads short frames. */
	size_t plen = have < claim ? have : claim;
	p->missing = claim - plen;
	tl_cursor_t pc = tl_cur_sub(c, plen);

	uint32_t off = (uint32_t)(fragw & 0x1fff) * 8;
	int more = (fragw & 0x2000) != 0;
	if (more || off) {
		if (p->missing) {
			anom(n, TL_AN_IP_TRUNCATED, p->m.pos); /* a cut fragment cannot be used */
			return;
		}
		fkey_t k;
		memset(&k, 0, sizeof(k));
		k.family = 4;
		k.proto = proto;
		k.id = id;
		memcpy(k.src, p->src, 4);
		memcpy(k.dst, p->dst, 4);
		tl_net_frag_add(n, &k, off, &pc, more, 0, p);
		return;
	}
	tl_net_ip_payload(n, proto, &pc, p);
}

/* An extension header ran past the data: the capture's fault or the sender's. */
static void ext_short(tl_net_t *n, pkt_t *p)
{
	anom(n, p->missing ? TL_AN_IP_TRUNCATED : TL_AN_IP6_EXTHDR_MALFORMED, p->m.pos);
}

/* Walks IPv6 extension headers (RFC 8200 4) from nh and hands the upper layer on. */
void tl_net_ip6_walk(tl_net_t *n, uint8_t nh, tl_cursor_t *c, pkt_t *p, int reassembled)
{
	for (int i = 0;; i++) {
		switch (nh) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_AH_: {
			if (i >= MAX_EXT_HEADERS) {
				anom(n, TL_AN_IP6_EXTHDR_MALFORMED, p->m.pos);
				return;
			}
			if (tl_cur_left(c) < 2) {
				ext_short(n, p);
				return;
			}
			size_t start = c->pos;
			uint8_t next = tl_cur_u8(c);
			uint8_t hlen = tl_cur_u8(c);
			/* RFC 8200 4.3-4.6: (len + 1) * 8 octets; RFC 4302 2.2 AH: (len + 2) * 4. */
			size_t total = nh == IPPROTO_AH_ ? ((size_t)hlen + 2) * 4 : ((size_t)hlen + 1) * 8;
			if (tl_cur_left(c) < total - 2) {
				ext_short(n, p);
				return;
			}
			tl_cur_seek(c, start + total);
			nh = next;
			break;
		}
		case IPPROTO_FRAGMENT_: {
			if (i >= MAX_EXT_HEADERS) {
				anom(n, TL_AN_IP6_EXTHDR_MALFORMED, p->m.pos);
				return;
			}
			if (tl_cur_left(c) < 8) { /* RFC 8200 4.5: 8 octets */
				ext_short(n, p);
				return;
			}
			uint8_t next = tl_cur_u8(c);
			tl_cur_skip(c, 1);
			uint16_t offw = tl_cur_u16(c);
			uint32_t id = tl_cur_u32(c);
			uint32_t off = offw & 0xfff8;
			int more = offw & 1;
			if (!off && !more) { /* atomic fragment, RFC 6946 */
				nh = next;
				break;
			}
			if (reassembled) { /* a fragment inside a reassembled fragment */
				anom(n, TL_AN_FRAG_MALFORMED, p->m.pos);
				return;
			}
			if (p->missing) {
				anom(n, TL_AN_IP_TRUNCATED, p->m.pos);
				return;
			}
			fkey_t k;
			memset(&k, 0, sizeof(k));
			k.family = 6;
			k.id = id;
			memcpy(k.src, p->src, 16);
			memcpy(k.dst, p->dst, 16);
			tl_net_frag_add(n, &k, off, c, more, next, p);
			return;
		}
		case IPPROTO_ESP_:  /* encrypted: nothing we can read */
		case IPPROTO_NONE_: /* RFC 8200 4.7 */
			return;
		default:
			tl_net_ip_payload(n, nh, c, p);
			return;
		}
	}
}

void tl_net_ip6(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
{
	size_t avail = tl_cur_left(c);
	if (avail < 40) { /* RFC 8200 3: the fixed header is 40 octets */
		anom(n, avail && peek_version(c) != 6 ? TL_AN_IP_MALFORMED : TL_AN_FRAME_TRUNCATED,
		     p->m.pos);
		return;
	}
	uint8_t v = tl_cur_u8(c);
	tl_cur_skip(c, 3);
	uint16_t plen = tl_cur_u16(c);
	uint8_t nh = tl_cur_u8(c);
	p->m.ttl = tl_cur_u8(c);
	p->src = tl_cur_ptr(c, 16);
	p->dst = tl_cur_ptr(c, 16);
	p->family = 6;
	if ((v >> 4) != 6) {
		anom(n, TL_AN_IP_MALFORMED, p->m.pos);
		return;
	}
	if (plen == 0) {
		/* Jumbograms (RFC 2675) never carry DNS; an empty datagram is fine. */
		if (nh != IPPROTO_NONE_)
			anom(n, TL_AN_IP_MALFORMED, p->m.pos);
		return;
	}
	size_t have = avail - 40;
	size_t take = have < plen ? have : plen; /* trailing link padding trimmed */
	p->missing = plen - take;
	tl_cursor_t pc = tl_cur_sub(c, take);
	tl_net_ip6_walk(n, nh, &pc, p, 0);
}

