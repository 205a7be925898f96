/* fuzz_net.c - libFuzzer harness for frame decoding, reassembly and DNS decoding.
 *
 * Input: [selector][frame]... The selector's low four bits pick a link type from
 * LINKTYPES (unsupported ones are fed too: they must be refused safely); bit 7
 * asks for tiny caps and timeouts so that cap and timeout paths run. Each frame
 * is [caplen u16 BE][time step][wire extra][caplen bytes] (short at the end: the
 * rest is the frame). Splitting one input into several frames lets fragment and
 * TCP reassembly state carry from frame to frame. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "input/anomaly.h"
#include "input/dns/dns.h"
#include "input/capture/net.h"
#include "input/record.h"
#include "util/arena.h"

/* NULL, EN10MB, RAW (12 and OpenBSD's 14), LINKTYPE_RAW, LOOP, LINUX_SLL, IPV4,
 * IPV6, LINUX_SLL2, PPP, C_HDLC, NFLOG, PPP_SERIAL, IEEE802_11, PFLOG. Fixed order:
 * the seed corpus depends on it. */
static const int LINKTYPES[16] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 9, 104, 239, 50,
				  105, 117};

struct ctx {
	tl_arena_t arena;
	tl_anomalies_t *an;
	uint64_t payloads;
};

static void on_payload(const tl_payload_meta_t *m, const uint8_t *data, size_t len, void *ud)
{
	struct ctx *c = ud;
	tl_record_t rec;

	tl_record_init(&rec);
	rec.ts = m->ts;
	rec.pos = m->pos;
	rec.src = m->src;
	rec.dst = m->dst;
	rec.sport = m->sport;
	rec.dport = m->dport;
	rec.transport = m->transport;
	rec.ip_ttl = m->ip_ttl;
	if (tl_dns_decode(data, len, &rec, &c->arena, c->an, m->pos) == 0)
		fuzz_consume_record(&rec);
	tl_arena_reset(&c->arena);
	c->payloads++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx c;
	static int init;
	tl_anomalies_t an;
	tl_net_opts_t opts;

	if (size < 1)
		return 0;
	if (!init) {
		tl_arena_init(&c.arena, 0);
		init = 1;
	}
	memset(&an, 0, sizeof(an));
	c.an = &an;
	c.payloads = 0;

	uint8_t sel = data[0];
	int dlt = LINKTYPES[sel & 0x0f];
	char name[24];
	if (tl_net_dlt_supported(dlt) && tl_net_dlt_name(dlt, name)[0] == '\0')
		abort(); /* a supported link type has a name */
	tl_net_opts_default(&opts);
	if (sel & 0x80) {
		opts.frag_max_datagrams = 2;
		opts.frag_max_bytes = 3000;
		opts.frag_timeout_us = 1000000;
		opts.tcp_max_flows = 2;
		opts.tcp_max_buffer = 600;
		opts.tcp_timeout_us = 2000000;
	}
	if (sel & 0x40) {
		/* Port 5353 besides 53, and no port at all when both bits are set. */
		static const uint16_t ports[2] = {53, 5353};
		opts.ports = ports;
		opts.n_ports = (sel & 0x20) ? 0 : 2;
	}

	tl_net_t *n = tl_net_new(&opts, &an, on_payload, &c);
	size_t off = 1;
	int64_t ts = 1700000000000000;
	uint64_t pos = 0;
	while (off < size) {
		size_t left = size - off;
		size_t caplen, wirelen;
		if (left < 4) {
			caplen = left;
			wirelen = left;
		} else {
			caplen = ((size_t)data[off] << 8) | data[off + 1];
			uint8_t step = data[off + 2];
			uint8_t extra = data[off + 3];
			off += 4;
			left -= 4;
			if (caplen > left)
				caplen = left;
			/* Steps of 250 ms; 0xff jumps back one second (time going backwards). */
			ts += step == 0xff ? -1000000 : (int64_t)step * 250000;
			/* 0xff claims a wire length shorter than the capture (hostile files do). */
			wirelen = extra == 0xff ? caplen / 2 : caplen + extra;
		}
		/* Copy the frame so that ASan sees its exact end. */
		uint8_t *frame = malloc(caplen ? caplen : 1);
		if (!frame)
			abort();
		memcpy(frame, data + off, caplen);
		tl_net_frame(n, dlt, ts, ++pos, frame, caplen, wirelen);
		free(frame);
		off += caplen;
	}
	tl_net_finish(n, pos + 1);
	tl_net_free(n);
	return 0;
}
