/* net.c - the frame decoder: frames in, DNS payloads out; its options, state and
 * expiry. The layers are one file each: link.c, ip.c, frag.c, udp.c, tcp.c.
 *
 * One pass per frame: link header -> IPv4/IPv6 (fragments reassembled) -> UDP or
 * TCP (streams reassembled, DNS length-prefix framing). Every read of frame bytes
 * goes through a cursor bounded by the captured length. All state (fragments,
 * flows, buffers) is capped by tl_net_opts_t and every cap hit is counted.
 *
 * Policies worth knowing (see also the comments at each place):
 * - Truncation by the capture (snaplen) is counted only for traffic that may be DNS:
 *   UDP/TCP with a DNS port, or where the transport header is cut so the ports are
 *   unknown, or fragments. A snaplen-limited capture of web traffic would otherwise
 *   drown the report in ip_truncated counts about traffic we do not read.
 * - A frame cut by the capture counts ip_truncated once, at the network layer, and
 *   not again at the UDP layer: UDP's length is checked against IP's (a larger one is
 *   udp_malformed), so a cut UDP datagram is always a cut IP datagram. The captured
 *   bytes are still passed on: the DNS layer then counts dns_truncated if a section
 *   is cut, so the report shows both the cause (capture) and the effect (message).
 * - A TCP gap that the other direction acknowledges (its ACK is beyond the next byte
 *   expected) was delivered but not captured: it is a hole at once, not at the end of
 *   the flow, so the messages after it keep their input order.
 * - Overlapping fragments with different bytes discard the whole datagram (as RFC
 *   5722 requires for IPv6; for IPv4 the receiver's choice depends on its OS, so no
 *   single reading is trustworthy). Identical overlaps (duplicates) are accepted.
 * - At the flow cap the least recently used flow is evicted (tcp_flow_cap), so a
 *   flood of one-packet flows cannot lock out later conversations.
 * - Hash tables use a fixed FNV-1a hash of the packet's addresses and ports: no
 *   pointers, no random seed, so the output does not depend on the run. */
#include "input/capture/capture_impl.h"
#include "input/capture/net.h"

#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/xmalloc.h"

#define HOUSEKEEP_EVERY 1024 /* frames between expiry sweeps (deterministic) */

void tl_net_opts_default(tl_net_opts_t *o)
{
	static const uint16_t dns_port[1] = { 53 };

	memset(o, 0, sizeof(*o));
	o->ports = dns_port;
	o->n_ports = 1;
	o->frag_max_datagrams = 4096;
	o->frag_max_bytes = (size_t)16 << 20;
	o->frag_timeout_us = 30 * (int64_t)1000000;
	o->tcp_max_flows = 65536;
	o->tcp_max_buffer = (size_t)256 << 10;
	o->tcp_timeout_us = 120 * (int64_t)1000000;
}

tl_net_t *tl_net_new(const tl_net_opts_t *opts, tl_anomalies_t *an, tl_payload_fn fn, void *ud)
{
	tl_net_t *n = tl_xcalloc(1, sizeof(*n));
	n->o = opts;
	n->an = an;
	n->fn = fn;
	n->ud = ud;
	for (size_t i = 0; i < opts->n_ports; i++)
		n->ports[opts->ports[i] >> 3] |= (uint8_t)(1u << (opts->ports[i] & 7));
	return n;
}

static void addr_set(tl_addr_t *a, uint8_t family, const uint8_t *bytes)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, bytes, family == 4 ? 4 : 16);
}

void tl_net_emit(tl_net_t *n, uint8_t family, const uint8_t *src, const uint8_t *dst,
		 uint16_t sport, uint16_t dport, uint8_t transport, const smeta_t *m,
		 const uint8_t *data, size_t len)
{
	tl_payload_meta_t pm;
	pm.ts = m->ts;
	pm.pos = m->pos;
	addr_set(&pm.src, family, src);
	addr_set(&pm.dst, family, dst);
	pm.sport = sport;
	pm.dport = dport;
	pm.transport = transport;
	pm.ip_ttl = m->ttl;
	n->fn(&pm, data, len, n->ud);
}

static void housekeep(tl_net_t *n, uint64_t pos)
{
	tl_net_frag_expire(n, pos);
	tl_net_tcp_expire(n, pos);
}

void tl_net_frame(tl_net_t *n, int dlt, int64_t ts, uint64_t pos, const uint8_t *data,
		  size_t caplen, size_t wirelen)
{
	(void)wirelen; /* the IP length fields tell us what the capture cut */
	if (!n->have_now || ts > n->now) {
		n->now = ts;
		n->have_now = 1;
	}
	if (++n->frames % HOUSEKEEP_EVERY == 0)
		housekeep(n, pos);

	tl_cursor_t c;
	tl_cur_init(&c, data, caplen);
	int l3 = tl_net_link_l3(n, dlt, &c, pos);
	if (l3 == L3_NONE)
		return;
	if (l3 == L3_BYVERSION) {
		if (!tl_cur_left(&c)) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return;
		}
		uint8_t v = peek_version(&c);
		if (v != 4 && v != 6) {
			anom(n, TL_AN_IP_MALFORMED, pos);
			return;
		}
		l3 = v == 4 ? L3_V4 : L3_V6;
	}
	pkt_t p;
	p.m.ts = ts;
	p.m.pos = pos;
	p.m.ttl = 0;
	p.missing = 0;
	if (l3 == L3_V4)
		tl_net_ip4(n, &c, &p);
	else
		tl_net_ip6(n, &c, &p);
}

void tl_net_finish(tl_net_t *n, uint64_t pos)
{
	if (!n)
		return;
	tl_net_frag_finish(n, pos);
	tl_net_tcp_finish(n, pos);
}

void tl_net_free(tl_net_t *n)
{
	if (!n)
		return;
	/* Without a finish: release state without counting anything. */
	tl_net_frag_clear(n);
	tl_net_tcp_clear(n);
	free(n);
}
