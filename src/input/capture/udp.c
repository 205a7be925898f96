/* udp.c - UDP (RFC 768): a datagram on a DNS port is one DNS message. */
#include "input/capture/capture_impl.h"

#include "util/cursor.h"

void tl_net_udp(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
{
	size_t left = tl_cur_left(c);
	if (left < 8) {
		/* Header cut or too short; if the ports are readable and not DNS, ignore. */
		if (left >= 4) {
			uint16_t sp = tl_cur_u16(c), dp = tl_cur_u16(c);
			if (!port_match(n, sp, dp))
				return;
		}
		if (p->missing)
			count_trunc(n, p);
		else
			anom(n, TL_AN_UDP_MALFORMED, p->m.pos);
		return;
	}
	/* RFC 768: source port, destination port, length (header included), checksum. */
	uint16_t sport = tl_cur_u16(c);
	uint16_t dport = tl_cur_u16(c);
	if (!port_match(n, sport, dport))
		return;
	uint16_t ulen = tl_cur_u16(c);
	tl_cur_skip(c, 2);
	size_t claim = left + p->missing; /* what the IP header says the UDP part is */
	if (ulen < 8 || ulen > claim) {
		/* A receiving stack drops these too (the length disagrees with IP's). */
		anom(n, TL_AN_UDP_MALFORMED, p->m.pos);
		return;
	}
	size_t plen = (size_t)ulen - 8;
	if (p->missing) {
		/* Cut by the capture: ulen <= claim, so the cut is in the IP datagram; it is
		 * counted there only. Pass what is there; the DNS layer counts its own
		 * truncation if a section is incomplete. */
		count_trunc(n, p);
		if (ulen > left)
			plen = left - 8;
	}
	const uint8_t *d = tl_cur_ptr(c, plen);
	tl_net_emit(n, p->family, p->src, p->dst, sport, dport, TL_TRANSPORT_UDP, &p->m, d, plen);
}

