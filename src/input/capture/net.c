/* net.c - link, network and transport decoding: frames in, DNS payloads out.
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
#include "input/capture/net.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/xmalloc.h"

/* Link-type values as libpcap reports them. DLT_RAW is 12 on most systems and 14 on
 * OpenBSD; files may also carry LINKTYPE_RAW (101). DLT_LOOP is 108 except on
 * OpenBSD, where 12 is DLT_LOOP, but there libpcap maps it and we read 12 as raw IP. */
enum {
	LT_RAW_12 = 12,
	LT_RAW_14 = 14,
	LT_RAW_101 = 101,
	LT_LOOP = 108,
};

#define MAX_VLAN_TAGS 8      /* stacked 802.1Q/802.1ad tags before we call the frame bad */
#define MAX_EXT_HEADERS 16   /* IPv6 extension headers walked before giving up */
#define HOUSEKEEP_EVERY 1024 /* frames between expiry sweeps (deterministic) */
#define FRAG_MAX_END 65535u  /* RFC 791 3.1 total length / RFC 8200 4.5 payload limit */
#define FRAG_BLOCKS (65536 / 8)
#define FRAG_BUF_STEP 1024

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_8021Q 0x8100
#define ETH_8021AD 0x88a8
#define ETH_QINQ_OLD 0x9100
#define ARPHRD_NETLINK_ 824 /* Linux: SLL protocol field holds a netlink protocol */

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ESP_ 50
#define IPPROTO_AH_ 51
#define IPPROTO_NONE_ 59
#define IPPROTO_DSTOPTS_ 60

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

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

typedef struct frag {
	struct frag *hnext;       /* hash chain */
	struct frag *prev, *next; /* creation order, for the timeout */
	uint32_t hash;
	fkey_t key;
	int64_t ts0;
	uint8_t dead;      /* discarded (overlap or cap); absorbs its fragments until timeout */
	uint8_t have_last;
	uint8_t nh;        /* IPv6: header after the fragment header of the offset-0 fragment */
	uint32_t total;    /* payload length, once the last fragment is known */
	uint32_t max_end;
	uint32_t blocks;   /* 8-byte blocks received */
	uint8_t *buf;
	size_t cap;
	uint8_t map[FRAG_BLOCKS / 8];
} frag_t;

/* A TCP flow direction: (src, dst, sport, dport). */
typedef struct tkey {
	uint8_t family;
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
} tkey_t;

typedef struct hseg {
	struct hseg *next;
	uint32_t seq, len;
	smeta_t m;
	uint8_t data[];
} hseg_t;

typedef struct flow {
	struct flow *hnext;
	struct flow *prev, *next; /* least recently used first */
	uint32_t hash;
	tkey_t key;
	int64_t last_ts;
	uint32_t next_seq; /* next byte expected */
	uint32_t isn;
	uint32_t acked; /* highest ACK from the other direction beyond next_seq, if ack_ok */
	uint8_t ack_ok;
	uint8_t syn_seen;
	uint8_t closed; /* FIN/RST seen: later segments are retransmissions, dropped */
	uint8_t *buf;   /* bytes of a message not yet complete */
	size_t len, cap;
	hseg_t *ooo;    /* held out-of-order segments, in sequence order */
	size_t ooo_bytes;
} flow_t;

struct tl_net {
	const tl_net_opts_t *o;
	tl_anomalies_t *an;
	tl_payload_fn fn;
	void *ud;
	uint64_t frames;
	int64_t now; /* latest capture time seen; clocks that step back do not revive state */
	int have_now;

	frag_t **fbkt;
	size_t fmask;
	frag_t *fhead, *ftail;
	size_t nfrag, fbytes;

	flow_t **tbkt;
	size_t tmask;
	flow_t *thead, *ttail;
	size_t nflow;

	uint8_t ports[65536 / 8];
};

static void ip_payload(tl_net_t *n, uint8_t proto, tl_cursor_t *c, pkt_t *p);
static void ip6_walk(tl_net_t *n, uint8_t nh, tl_cursor_t *c, pkt_t *p, int reassembled);

static void anom(tl_net_t *n, tl_anomaly_kind_t k, uint64_t pos)
{
	tl_anomaly_add(n->an, k, pos);
}

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

int tl_net_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
	case DLT_EN10MB:
	case LT_RAW_12:
	case LT_RAW_14:
	case LT_RAW_101:
	case LT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

const char *tl_net_dlt_name(int dlt, char buf[24])
{
	/* libpcap names only its own platform's DLT_RAW; all three values are raw IP. */
	if (dlt == LT_RAW_12 || dlt == LT_RAW_14 || dlt == LT_RAW_101)
		return "RAW";
	const char *s = pcap_datalink_val_to_name(dlt);
	if (s)
		return s;
	snprintf(buf, 24, "DLT_%d", dlt);
	return buf;
}

static uint32_t fnv(uint32_t h, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t fnv_u32(uint32_t h, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return fnv(h, b, 4);
}

/* Bucket count: a power of two near the cap, bounded so a huge cap does not
 * allocate a huge table up front. */
static size_t table_size(size_t cap)
{
	size_t s = 64;
	while (s < cap && s < ((size_t)1 << 20))
		s <<= 1;
	return s;
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

static int port_match(const tl_net_t *n, uint16_t a, uint16_t b)
{
	return (n->ports[a >> 3] >> (a & 7) & 1) | (n->ports[b >> 3] >> (b & 7) & 1);
}

static void addr_set(tl_addr_t *a, uint8_t family, const uint8_t *bytes)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, bytes, family == 4 ? 4 : 16);
}

static void emit(tl_net_t *n, uint8_t family, const uint8_t *src, const uint8_t *dst,
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

/* ---- IP fragment reassembly (RFC 791 3.2, RFC 815; RFC 8200 4.5, RFC 5722) ---- */

static uint32_t fkey_hash(const fkey_t *k)
{
	uint32_t h = 2166136261u;
	h = fnv(h, &k->family, 1);
	h = fnv(h, &k->proto, 1);
	h = fnv_u32(h, k->id);
	h = fnv(h, k->src, 16);
	return fnv(h, k->dst, 16);
}

static int fkey_eq(const fkey_t *a, const fkey_t *b)
{
	return a->family == b->family && a->proto == b->proto && a->id == b->id &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16);
}

static void frag_release_buf(tl_net_t *n, frag_t *f)
{
	n->fbytes -= f->cap;
	free(f->buf);
	f->buf = NULL;
	f->cap = 0;
}

static void frag_remove(tl_net_t *n, frag_t *f)
{
	frag_t **pp = &n->fbkt[f->hash & n->fmask];
	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	if (f->prev)
		f->prev->next = f->next;
	else
		n->fhead = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		n->ftail = f->prev;
	frag_release_buf(n, f);
	n->nfrag--;
	free(f);
}

/* Drops datagrams older than the timeout (in capture time), oldest first. */
static void frag_expire(tl_net_t *n, uint64_t pos)
{
	while (n->fhead && n->now - n->fhead->ts0 > n->o->frag_timeout_us) {
		if (!n->fhead->dead)
			anom(n, TL_AN_FRAG_TIMEOUT, pos);
		frag_remove(n, n->fhead);
	}
}

static void frag_kill(tl_net_t *n, frag_t *f, tl_anomaly_kind_t k, uint64_t pos)
{
	anom(n, k, pos);
	f->dead = 1;
	frag_release_buf(n, f);
}

static int map_get(const frag_t *f, uint32_t b)
{
	return f->map[b >> 3] >> (b & 7) & 1;
}

/* Adds one fragment: bytes [off, off+len) of the payload; more = MF bit. nh is the
 * IPv6 next header of this fragment. Completes and delivers the datagram if whole. */
static void frag_add(tl_net_t *n, const fkey_t *k, uint32_t off, tl_cursor_t *c, int more,
		     uint8_t nh, pkt_t *p)
{
	uint64_t pos = p->m.pos;
	size_t len = tl_cur_left(c);
	uint32_t end = off + (uint32_t)len;

	/* RFC 791 3.2 / RFC 8200 4.5: all but the last fragment carry a multiple of 8
	 * octets; the datagram cannot exceed 65535 octets; an empty fragment is noise. */
	if (len == 0 || len > FRAG_MAX_END || end > FRAG_MAX_END || (more && (len & 7))) {
		anom(n, TL_AN_FRAG_MALFORMED, pos);
		return;
	}
	frag_expire(n, pos);

	uint32_t h = fkey_hash(k);
	frag_t *f = NULL;
	if (n->fbkt) {
		for (f = n->fbkt[h & n->fmask]; f; f = f->hnext)
			if (f->hash == h && fkey_eq(&f->key, k))
				break;
	}
	if (f && f->dead)
		return;
	if (!f) {
		if (n->nfrag >= n->o->frag_max_datagrams) {
			anom(n, TL_AN_FRAG_CAP, pos);
			return;
		}
		if (!n->fbkt) {
			size_t s = table_size(n->o->frag_max_datagrams);
			n->fbkt = tl_xcalloc(s, sizeof(*n->fbkt));
			n->fmask = s - 1;
		}
		f = tl_xcalloc(1, sizeof(*f));
		f->key = *k;
		f->hash = h;
		f->ts0 = p->m.ts;
		f->hnext = n->fbkt[h & n->fmask];
		n->fbkt[h & n->fmask] = f;
		f->prev = n->ftail;
		if (n->ftail)
			n->ftail->next = f;
		else
			n->fhead = f;
		n->ftail = f;
		n->nfrag++;
	}
	/* Data beyond the end fixed by the last fragment, or two different ends. */
	if ((f->have_last && end > f->total) || (!more && f->have_last && end != f->total) ||
	    (!more && f->max_end > end)) {
		anom(n, TL_AN_FRAG_MALFORMED, pos);
		return;
	}
	if (end > f->cap) {
		size_t ncap = ((size_t)end + FRAG_BUF_STEP - 1) / FRAG_BUF_STEP * FRAG_BUF_STEP;
		if (n->fbytes + (ncap - f->cap) > n->o->frag_max_bytes) {
			frag_kill(n, f, TL_AN_FRAG_CAP, pos);
			return;
		}
		f->buf = tl_xrealloc(f->buf, ncap);
		n->fbytes += ncap - f->cap;
		f->cap = ncap;
	}
	const uint8_t *data = tl_cur_ptr(c, len);
	uint32_t b0 = off / 8, b1 = (end + 7) / 8;
	for (uint32_t b = b0; b < b1; b++) {
		if (map_get(f, b)) {
			uint32_t lo = b * 8 > off ? b * 8 : off;
			uint32_t hi = b * 8 + 8 < end ? b * 8 + 8 : end;
			if (memcmp(f->buf + lo, data + (lo - off), hi - lo)) {
				frag_kill(n, f, TL_AN_FRAG_OVERLAP, pos);
				return;
			}
		} else {
			f->map[b >> 3] |= (uint8_t)(1u << (b & 7));
			f->blocks++;
		}
	}
	memcpy(f->buf + off, data, len);
	if (end > f->max_end)
		f->max_end = end;
	if (!more) {
		f->have_last = 1;
		f->total = end;
	}
	if (off == 0)
		f->nh = nh;
	if (!f->have_last || f->blocks != (f->total + 7) / 8)
		return;

	/* Whole: decode it as if it had arrived in this frame (its ts, pos and TTL). */
	pkt_t rp = *p;
	rp.src = f->key.src;
	rp.dst = f->key.dst;
	rp.missing = 0;
	tl_cursor_t rc;
	tl_cur_init(&rc, f->buf, f->total);
	if (f->key.family == 4)
		ip_payload(n, f->key.proto, &rc, &rp);
	else
		ip6_walk(n, f->nh, &rc, &rp, 1);
	frag_remove(n, f);
}

/* ---- TCP streams (RFC 9293; DNS framing RFC 1035 4.2.2, RFC 7766 8) ---- */

static uint32_t tkey_hash(const tkey_t *k)
{
	uint32_t h = 2166136261u;
	h = fnv(h, &k->family, 1);
	h = fnv_u32(h, (uint32_t)k->sport << 16 | k->dport);
	h = fnv(h, k->src, 16);
	return fnv(h, k->dst, 16);
}

static int tkey_eq(const tkey_t *a, const tkey_t *b)
{
	return a->family == b->family && a->sport == b->sport && a->dport == b->dport &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16);
}

static flow_t *flow_find(tl_net_t *n, const tkey_t *k, uint32_t h)
{
	if (!n->tbkt)
		return NULL;
	for (flow_t *f = n->tbkt[h & n->tmask]; f; f = f->hnext)
		if (f->hash == h && tkey_eq(&f->key, k))
			return f;
	return NULL;
}

static void lru_unlink(tl_net_t *n, flow_t *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		n->thead = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		n->ttail = f->prev;
	f->prev = f->next = NULL;
}

static void lru_append(tl_net_t *n, flow_t *f)
{
	f->prev = n->ttail;
	f->next = NULL;
	if (n->ttail)
		n->ttail->next = f;
	else
		n->thead = f;
	n->ttail = f;
}

static void flow_emit(tl_net_t *n, flow_t *f, const smeta_t *m, const uint8_t *d, size_t len)
{
	emit(n, f->key.family, f->key.src, f->key.dst, f->key.sport, f->key.dport,
	     TL_TRANSPORT_TCP, m, d, len);
}

/* Delivers every complete length-prefixed message in b. Returns the bytes used;
 * sets *bad if a length prefix is too short for a DNS header (RFC 1035 4.1.1: the
 * header alone is 12 octets). */
static size_t frame_msgs(tl_net_t *n, flow_t *f, const smeta_t *m, const uint8_t *b, size_t len,
			 int *bad)
{
	tl_cursor_t c;
	size_t done = 0;

	tl_cur_init(&c, b, len);
	while (tl_cur_left(&c) >= 2) {
		uint16_t mlen = tl_cur_u16(&c); /* RFC 1035 4.2.2: two-octet length prefix */
		if (mlen < 12) {
			*bad = 1;
			return done;
		}
		const uint8_t *msg = tl_cur_ptr(&c, mlen);
		if (!msg)
			break;
		flow_emit(n, f, m, msg, mlen);
		done = c.pos;
	}
	return done;
}

static void flow_keep(flow_t *f, const uint8_t *d, size_t len)
{
	if (len == 0)
		return;
	if (f->len + len > f->cap) {
		size_t ncap = f->cap ? f->cap : 512;
		while (ncap < f->len + len)
			ncap *= 2;
		f->buf = tl_xrealloc(f->buf, ncap);
		f->cap = ncap;
	}
	memcpy(f->buf + f->len, d, len);
	f->len += len;
}

/* In-order stream bytes of one segment: frame messages, keep the partial rest. */
static void stream_bytes(tl_net_t *n, flow_t *f, const uint8_t *d, size_t len, const smeta_t *m)
{
	int bad = 0;
	size_t used;

	if (f->len == 0) {
		/* The common case: whole messages in the segment, no copy. */
		used = frame_msgs(n, f, m, d, len, &bad);
		if (!bad)
			flow_keep(f, d + used, len - used);
	} else {
		flow_keep(f, d, len);
		used = frame_msgs(n, f, m, f->buf, f->len, &bad);
		if (!bad) {
			memmove(f->buf, f->buf + used, f->len - used);
			f->len -= used;
		}
	}
	if (bad) {
		/* Resynchronise: forget this segment's rest and assume the next segment
		 * starts a message (servers write each message with its prefix). */
		anom(n, TL_AN_TCP_BAD_LENGTH, m->pos);
		f->len = 0;
		return;
	}
	if (f->len + f->ooo_bytes > n->o->tcp_max_buffer) {
		anom(n, TL_AN_TCP_BUFFER_CAP, m->pos);
		f->len = 0;
	}
}

/* Applies held segments that have become contiguous. cur: the frame that filled
 * the gap (its meta goes on the messages), or NULL to use each segment's own. */
static void drain(tl_net_t *n, flow_t *f, const smeta_t *cur)
{
	hseg_t *s;

	while ((s = f->ooo) && (int32_t)(s->seq - f->next_seq) <= 0) {
		f->ooo = s->next;
		f->ooo_bytes -= s->len;
		uint32_t behind = f->next_seq - s->seq;
		if (behind < s->len) {
			stream_bytes(n, f, s->data + behind, s->len - behind, cur ? cur : &s->m);
			f->next_seq += s->len - behind;
		}
		free(s);
	}
}

/* The bytes before the earliest held segment will not come: skip to it and assume
 * it starts a message. The held messages keep their own frames' ts and pos. */
static void hole_resync(tl_net_t *n, flow_t *f, uint64_t pos)
{
	anom(n, TL_AN_TCP_HOLE, pos);
	f->len = 0;
	f->next_seq = f->ooo->seq;
	drain(n, f, NULL);
}

/* 1 if the other direction has acknowledged bytes beyond next_seq (f->acked): they
 * reached the peer, so the capture missed them and no retransmission will bring
 * them. Forgets an ACK that next_seq has reached, so an old value cannot wrap
 * around into the future (RFC 1982 serial arithmetic only orders nearby values). */
static int acked_ahead(flow_t *f)
{
	if (f->ack_ok && (int32_t)(f->acked - f->next_seq) <= 0)
		f->ack_ok = 0;
	return f->ack_ok;
}

/* Skips the gaps before held segments that the peer has acknowledged, one hole per
 * gap, as soon as the ACK is seen: waiting for the flow to end would deliver the held
 * messages out of input order (a response before its query). Invariant afterwards:
 * every held segment starts after f->acked. */
static void ack_holes(tl_net_t *n, flow_t *f, uint64_t pos)
{
	while (f->ooo && acked_ahead(f) && (int32_t)(f->ooo->seq - f->acked) <= 0)
		hole_resync(n, f, pos);
}

/* The other direction's segment at pos acknowledges f's bytes before ack (RFC 9293
 * 3.4: the next sequence number its sender expects). An ACK at or behind next_seq is
 * the normal case (and the usual one around retransmissions): nothing to do. */
static void peer_ack(tl_net_t *n, flow_t *f, uint32_t ack, uint64_t pos)
{
	if (f->closed || (int32_t)(ack - f->next_seq) <= 0)
		return;
	if (!acked_ahead(f) || (int32_t)(ack - f->acked) > 0) {
		f->acked = ack;
		f->ack_ok = 1;
	}
	ack_holes(n, f, pos);
}

/* Ends a flow direction: resolves holes, counts a partial message, frees buffers.
 * The entry stays as a closed marker until it expires or is evicted. */
static void flow_close(tl_net_t *n, flow_t *f, uint64_t pos)
{
	while (f->ooo)
		hole_resync(n, f, pos);
	if (f->len)
		anom(n, TL_AN_TCP_INCOMPLETE, pos);
	free(f->buf);
	f->buf = NULL;
	f->len = f->cap = 0;
	f->closed = 1;
}

static void flow_remove(tl_net_t *n, flow_t *f, uint64_t pos)
{
	if (!f->closed)
		flow_close(n, f, pos);
	free(f->buf);
	flow_t **pp = &n->tbkt[f->hash & n->tmask];
	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	lru_unlink(n, f);
	n->nflow--;
	free(f);
}

static void flow_expire(tl_net_t *n, uint64_t pos)
{
	while (n->thead && n->now - n->thead->last_ts > n->o->tcp_timeout_us)
		flow_remove(n, n->thead, pos);
}

static flow_t *flow_new(tl_net_t *n, const tkey_t *k, uint32_t h, const smeta_t *m)
{
	if (n->o->tcp_max_flows == 0) {
		anom(n, TL_AN_TCP_FLOW_CAP, m->pos);
		return NULL;
	}
	if (n->nflow >= n->o->tcp_max_flows) {
		/* Evict the least recently used; a closed marker holds nothing to lose. */
		if (!n->thead->closed)
			anom(n, TL_AN_TCP_FLOW_CAP, m->pos);
		flow_remove(n, n->thead, m->pos);
	}
	if (!n->tbkt) {
		size_t s = table_size(n->o->tcp_max_flows);
		n->tbkt = tl_xcalloc(s, sizeof(*n->tbkt));
		n->tmask = s - 1;
	}
	flow_t *f = tl_xcalloc(1, sizeof(*f));
	f->key = *k;
	f->hash = h;
	f->last_ts = m->ts;
	f->hnext = n->tbkt[h & n->tmask];
	n->tbkt[h & n->tmask] = f;
	lru_append(n, f);
	n->nflow++;
	return f;
}

/* Holds an out-of-order segment, in sequence order (serial arithmetic, RFC 1982). */
static int hold(tl_net_t *n, flow_t *f, uint32_t seq, const uint8_t *d, size_t len,
		const smeta_t *m)
{
	if (f->len + f->ooo_bytes + len > n->o->tcp_max_buffer)
		return 0;
	hseg_t **pp = &f->ooo;
	while (*pp && (int32_t)((*pp)->seq - seq) <= 0) {
		if ((*pp)->seq == seq && (*pp)->len >= len)
			return 1; /* a retransmission of a held segment */
		pp = &(*pp)->next;
	}
	hseg_t *s = tl_xmalloc(sizeof(*s) + len);
	s->seq = seq;
	s->len = (uint32_t)len;
	s->m = *m;
	memcpy(s->data, d, len);
	s->next = *pp;
	*pp = s;
	f->ooo_bytes += len;
	return 1;
}

/* Payload of one segment whose first byte has sequence number seq. */
static void seg_data(tl_net_t *n, flow_t *f, uint32_t seq, const uint8_t *d, size_t len,
		     const smeta_t *m)
{
	if ((int32_t)(seq - f->next_seq) > 0 && acked_ahead(f) && (int32_t)(seq - f->acked) <= 0) {
		/* A gap the peer has acknowledged (nothing is held before it: see
		 * ack_holes): a hole now, and this segment starts a message. */
		anom(n, TL_AN_TCP_HOLE, m->pos);
		f->len = 0;
		f->next_seq = seq;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		int32_t ahead = (int32_t)(seq - f->next_seq);
		if (ahead <= 0) {
			uint32_t behind = f->next_seq - seq;
			if (behind >= len)
				return; /* retransmission of bytes already seen: not an anomaly */
			stream_bytes(n, f, d + behind, len - behind, m);
			f->next_seq += (uint32_t)(len - behind);
			drain(n, f, m);
			return;
		}
		if (hold(n, f, seq, d, len, m))
			return;
		anom(n, TL_AN_TCP_BUFFER_CAP, m->pos);
		if (!f->ooo)
			return; /* the segment alone is over the cap: dropped */
		hole_resync(n, f, m->pos);
	}
}

static void tcp_segment(tl_net_t *n, pkt_t *p, uint16_t sport, uint16_t dport, uint32_t seq,
			uint32_t ack, uint8_t flags, const uint8_t *d, size_t len)
{
	tkey_t k;
	memset(&k, 0, sizeof(k));
	k.family = p->family;
	k.sport = sport;
	k.dport = dport;
	memcpy(k.src, p->src, p->family == 4 ? 4 : 16);
	memcpy(k.dst, p->dst, p->family == 4 ? 4 : 16);
	uint32_t h = tkey_hash(&k);
	flow_t *f = flow_find(n, &k, h);
	tkey_t r = k; /* the other direction */
	memcpy(r.src, k.dst, 16);
	memcpy(r.dst, k.src, 16);
	r.sport = dport;
	r.dport = sport;
	flow_t *rf = flow_find(n, &r, tkey_hash(&r));

	if (flags & TCP_RST) {
		/* RFC 9293 3.10.7.4: a reset aborts the connection, both directions. */
		if (f && !f->closed)
			flow_close(n, f, p->m.pos);
		if (rf && !rf->closed)
			flow_close(n, rf, p->m.pos);
		return;
	}
	/* RFC 9293 3.1: the acknowledgment number is valid when ACK is set. Before this
	 * segment's own data, so messages come out in input order. A SYN's ACK only
	 * acknowledges the peer's SYN, and a SYN may start a connection whose numbers
	 * have nothing to do with a stale flow on the same ports: ignored. */
	if (rf && (flags & TCP_ACK) && !(flags & TCP_SYN))
		peer_ack(n, rf, ack, p->m.pos);
	if (f && (flags & TCP_SYN) && !(f->syn_seen && f->isn == seq)) {
		/* A new connection on the same ports: end the old one first. */
		flow_remove(n, f, p->m.pos);
		f = NULL;
	}
	if (!f) {
		if (!(flags & TCP_SYN) && len == 0)
			return; /* a bare ACK or FIN tells us nothing */
		f = flow_new(n, &k, h, &p->m);
		if (!f)
			return;
		if (flags & TCP_SYN) {
			f->syn_seen = 1;
			f->isn = seq;
			f->next_seq = seq + 1; /* RFC 9293 3.4: SYN occupies one sequence number */
		} else {
			anom(n, TL_AN_TCP_MIDSTREAM, p->m.pos);
			f->next_seq = seq; /* assume the segment starts a message */
		}
	} else {
		lru_unlink(n, f);
		lru_append(n, f);
		f->last_ts = p->m.ts;
	}
	if (f->closed)
		return; /* data after FIN/RST: retransmissions */

	uint32_t dseq = seq + ((flags & TCP_SYN) ? 1u : 0u);
	if (len)
		seg_data(n, f, dseq, d, len, &p->m);
	/* FIN ends the direction now. Bytes still missing before it are a hole: a
	 * segment reordered behind its FIN is rare, and waiting for it would delay the
	 * held messages until the flow times out. */
	if (flags & TCP_FIN)
		flow_close(n, f, p->m.pos);
}

/* ---- transport ---- */

/* Counts a cut by the capture (the IP datagram is longer than the captured bytes),
 * once the traffic may be DNS. Once per frame, at the network layer: the transport
 * layer does not count the same cut again. */
static void count_trunc(tl_net_t *n, pkt_t *p)
{
	anom(n, TL_AN_IP_TRUNCATED, p->m.pos);
}

static void udp(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
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
	emit(n, p->family, p->src, p->dst, sport, dport, TL_TRANSPORT_UDP, &p->m, d, plen);
}

static void tcp(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
{
	size_t left = tl_cur_left(c);
	if (left < 4) {
		if (p->missing)
			count_trunc(n, p);
		else
			anom(n, TL_AN_TCP_MALFORMED, p->m.pos);
		return;
	}
	/* RFC 9293 3.1: ports, sequence, acknowledgment, data offset and flags. */
	uint16_t sport = tl_cur_u16(c);
	uint16_t dport = tl_cur_u16(c);
	if (!port_match(n, sport, dport))
		return;
	if (left < 20) {
		anom(n, p->missing ? TL_AN_IP_TRUNCATED : TL_AN_TCP_MALFORMED, p->m.pos);
		return;
	}
	uint32_t seq = tl_cur_u32(c);
	uint32_t ack = tl_cur_u32(c);
	uint8_t doff = (uint8_t)(tl_cur_u8(c) >> 4);
	uint8_t flags = tl_cur_u8(c);
	tl_cur_skip(c, 6);
	size_t hlen = (size_t)doff * 4;
	if (doff < 5 || hlen > left + p->missing) {
		anom(n, TL_AN_TCP_MALFORMED, p->m.pos);
		return;
	}
	if (hlen > left) {
		count_trunc(n, p);
		return;
	}
	tl_cur_skip(c, hlen - 20); /* options */
	if (p->missing)
		count_trunc(n, p); /* the stream gets the captured part; a hole follows */
	size_t dlen = tl_cur_left(c);
	const uint8_t *d = tl_cur_ptr(c, dlen);
	tcp_segment(n, p, sport, dport, seq, ack, flags, d, dlen);
}

static void ip_payload(tl_net_t *n, uint8_t proto, tl_cursor_t *c, pkt_t *p)
{
	if (proto == IPPROTO_UDP_)
		udp(n, c, p);
	else if (proto == IPPROTO_TCP_)
		tcp(n, c, p);
	/* ICMP and the rest: not DNS, not an anomaly. */
}

/* ---- network layer ---- */

/* The IP version nibble of the next byte, without consuming it. */
static uint8_t peek_version(const tl_cursor_t *c)
{
	tl_cursor_t t = *c;
	return (uint8_t)(tl_cur_u8(&t) >> 4);
}

static void ip4(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
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
		frag_add(n, &k, off, &pc, more, 0, p);
		return;
	}
	ip_payload(n, proto, &pc, p);
}

/* An extension header ran past the data: the capture's fault or the sender's. */
static void ext_short(tl_net_t *n, pkt_t *p)
{
	anom(n, p->missing ? TL_AN_IP_TRUNCATED : TL_AN_IP6_EXTHDR_MALFORMED, p->m.pos);
}

/* Walks IPv6 extension headers (RFC 8200 4) from nh and hands the upper layer on. */
static void ip6_walk(tl_net_t *n, uint8_t nh, tl_cursor_t *c, pkt_t *p, int reassembled)
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
			frag_add(n, &k, off, c, more, next, p);
			return;
		}
		case IPPROTO_ESP_:  /* encrypted: nothing we can read */
		case IPPROTO_NONE_: /* RFC 8200 4.7 */
			return;
		default:
			ip_payload(n, nh, c, p);
			return;
		}
	}
}

static void ip6(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
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
	ip6_walk(n, nh, &pc, p, 0);
}

/* ---- link layer ---- */

enum { L3_NONE, L3_V4, L3_V6, L3_BYVERSION };

static int ethertype_l3(tl_net_t *n, uint16_t et, uint64_t pos)
{
	if (et == ETH_IPV4)
		return L3_V4;
	if (et == ETH_IPV6)
		return L3_V6;
	anom(n, TL_AN_L3_UNKNOWN, pos); /* ARP, LLDP, 802.3 length field... */
	return L3_NONE;
}

static int is_vlan(uint16_t et)
{
	return et == ETH_8021Q || et == ETH_8021AD || et == ETH_QINQ_OLD;
}

/* Skips 802.1Q / 802.1ad tags (each: 2-octet TCI, then the next type). */
static int vlan_l3(tl_net_t *n, tl_cursor_t *c, uint16_t et, uint64_t pos)
{
	for (int depth = 0; is_vlan(et); depth++) {
		if (depth >= MAX_VLAN_TAGS) {
			anom(n, TL_AN_L2_MALFORMED, pos);
			return L3_NONE;
		}
		if (tl_cur_left(c) < 4) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		tl_cur_skip(c, 2);
		et = tl_cur_u16(c);
	}
	return ethertype_l3(n, et, pos);
}

/* Linux cooked headers: the protocol field is an ethertype except for a few
 * hardware types (netlink carries a netlink protocol there). */
static int sll_l3(tl_net_t *n, tl_cursor_t *c, uint16_t hatype, uint16_t proto, uint64_t pos)
{
	if (hatype == ARPHRD_NETLINK_) {
		anom(n, TL_AN_L3_UNKNOWN, pos);
		return L3_NONE;
	}
	return vlan_l3(n, c, proto, pos);
}

/* BSD loopback address family values for IPv4 and IPv6 (BSDs differ for IPv6). */
static int af_l3(tl_net_t *n, uint32_t af, uint64_t pos)
{
	if (af == 2)
		return L3_V4;
	if (af == 24 || af == 28 || af == 30)
		return L3_V6;
	anom(n, TL_AN_L3_UNKNOWN, pos);
	return L3_NONE;
}

static int link_l3(tl_net_t *n, int dlt, tl_cursor_t *c, uint64_t pos)
{
	switch (dlt) {
	case DLT_EN10MB: {
		if (tl_cur_left(c) < 14) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		tl_cur_skip(c, 12); /* destination, source */
		return vlan_l3(n, c, tl_cur_u16(c), pos);
	}
	case DLT_LINUX_SLL: {
		/* packet type, ARPHRD type, address length, 8 address bytes, protocol */
		if (tl_cur_left(c) < 16) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		tl_cur_skip(c, 2);
		uint16_t hatype = tl_cur_u16(c);
		tl_cur_skip(c, 10);
		uint16_t proto = tl_cur_u16(c);
		return sll_l3(n, c, hatype, proto, pos);
	}
	case DLT_LINUX_SLL2: {
		/* protocol, reserved, interface index, ARPHRD type, packet type,
		 * address length, 8 address bytes */
		if (tl_cur_left(c) < 20) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		uint16_t proto = tl_cur_u16(c);
		tl_cur_skip(c, 6);
		uint16_t hatype = tl_cur_u16(c);
		tl_cur_skip(c, 10);
		return sll_l3(n, c, hatype, proto, pos);
	}
	case LT_RAW_12:
	case LT_RAW_14:
	case LT_RAW_101:
		return L3_BYVERSION;
	case DLT_IPV4:
		return L3_V4;
	case DLT_IPV6:
		return L3_V6;
	case DLT_NULL: {
		/* Written in the capturing host's byte order: a family value fits in
		 * 16 bits, so a big value means the other order. */
		if (tl_cur_left(c) < 4) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		uint32_t af = tl_cur_u32le(c);
		if (af > 0xffff)
			af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
		return af_l3(n, af, pos);
	}
	case LT_LOOP:
		if (tl_cur_left(c) < 4) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		return af_l3(n, tl_cur_u32(c), pos); /* network byte order */
	default:
		anom(n, TL_AN_LINKTYPE_UNSUPPORTED, pos);
		return L3_NONE;
	}
}

static void housekeep(tl_net_t *n, uint64_t pos)
{
	frag_expire(n, pos);
	flow_expire(n, pos);
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
	int l3 = link_l3(n, dlt, &c, pos);
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
		ip4(n, &c, &p);
	else
		ip6(n, &c, &p);
}

void tl_net_finish(tl_net_t *n, uint64_t pos)
{
	if (!n)
		return;
	while (n->fhead) {
		if (!n->fhead->dead)
			anom(n, TL_AN_FRAG_TIMEOUT, pos);
		frag_remove(n, n->fhead);
	}
	while (n->thead)
		flow_remove(n, n->thead, pos);
}

void tl_net_free(tl_net_t *n)
{
	if (!n)
		return;
	/* Without a finish: release state without counting anything. */
	while (n->fhead)
		frag_remove(n, n->fhead);
	while (n->thead) {
		flow_t *f = n->thead;
		while (f->ooo) {
			hseg_t *s = f->ooo;
			f->ooo = s->next;
			free(s);
		}
		f->closed = 1;
		flow_remove(n, f, 0);
	}
	free(n->fbkt);
	free(n->tbkt);
	free(n);
}
