/* tcp.c - TCP (RFC 9293): per-flow stream reassembly, one direction per flow, and
 * DNS's 2-byte length-prefixed messages (RFC 1035 4.2.2, RFC 7766 8). Flows are
 * capped (the least recently used is evicted) and expire in capture time. */
#include "input/capture/capture_impl.h"

#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/xmalloc.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

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
	tl_net_emit(n, f->key.family, f->key.src, f->key.dst, f->key.sport, f->key.dport,
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

void tl_net_tcp_expire(tl_net_t *n, uint64_t pos)
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

void tl_net_tcp(tl_net_t *n, tl_cursor_t *c, pkt_t *p)
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

void tl_net_tcp_finish(tl_net_t *n, uint64_t pos)
{
	while (n->thead)
		flow_remove(n, n->thead, pos);
}

void tl_net_tcp_clear(tl_net_t *n)
{
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
	free(n->tbkt);
	n->tbkt = NULL;
}
