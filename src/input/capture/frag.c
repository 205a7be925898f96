/* frag.c - IP fragment reassembly (RFC 791 3.2, RFC 815; RFC 8200 4.5, RFC 5722):
 * capped in datagrams and bytes, expired in capture time; overlapping fragments
 * with different bytes discard the datagram. */
#include "input/capture/capture_impl.h"

#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/xmalloc.h"

#define FRAG_MAX_END 65535u  /* RFC 791 3.1 total length / RFC 8200 4.5 payload limit */
#define FRAG_BLOCKS (65536 / 8)
#define FRAG_BUF_STEP 1024

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
void tl_net_frag_expire(tl_net_t *n, uint64_t pos)
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
void tl_net_frag_add(tl_net_t *n, const fkey_t *k, uint32_t off, tl_cursor_t *c, int more,
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
	tl_net_frag_expire(n, pos);

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
		tl_net_ip_payload(n, f->key.proto, &rc, &rp);
	else
		tl_net_ip6_walk(n, f->nh, &rc, &rp, 1);
	frag_remove(n, f);
}

void tl_net_frag_finish(tl_net_t *n, uint64_t pos)
{
	while (n->fhead) {
		if (!n->fhead->dead)
			anom(n, TL_AN_FRAG_TIMEOUT, pos);
		frag_remove(n, n->fhead);
	}
}

void tl_net_frag_clear(tl_net_t *n)
{
	while (n->fhead)
		frag_remove(n, n->fhead);
	free(n->fbkt);
	n->fbkt = NULL;
}
