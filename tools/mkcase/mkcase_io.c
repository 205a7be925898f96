/* mkcase_io.c - PRNG, Ethernet/IP/UDP/TCP frames, gzip and pcapng writers for mkcase. */
#include "mkcase.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- PRNG ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void mk_rng_seed(mk_rng_t *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t mk_rng_u64(mk_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

double mk_rng_unit(mk_rng_t *r)
{
	return (double)(mk_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint32_t mk_rng_below(mk_rng_t *r, uint32_t n)
{
	/* Lemire's multiply-shift; the tiny bias is irrelevant for a scenario. */
	return (uint32_t)(((mk_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

/* Natural log with only frexp (exact) and + - * /, so that every platform with
 * IEEE doubles gives the same bits (libm's log may differ in the last place). */
double mk_log(double x)
{
	int e;
	double m = frexp(x, &e); /* x = m * 2^e, m in [0.5, 1) */
	double s = (m - 1.0) / (m + 1.0), s2 = s * s, term = s, sum = 0.0;
	for (int k = 1; k < 60; k += 2) {
		sum += term / k;
		term *= s2;
	}
	return 2.0 * sum + e * 0.69314718055994530942;
}

/* e^x for 0 <= x <= 16, likewise with + - * / only: the series at x / 64, squared six
 * times. */
double mk_exp(double x)
{
	double y = x / 64.0, term = 1.0, sum = 1.0;
	for (int k = 1; k < 20; k++) {
		term *= y / k;
		sum += term;
	}
	for (int i = 0; i < 6; i++)
		sum *= sum;
	return sum;
}

double mk_rng_exp(mk_rng_t *r, double mean)
{
	return -mean * mk_log(1.0 - mk_rng_unit(r));
}

/* ---- addresses ---- */

int mk_addr_parse(const char *s, mk_addr_t *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		a->v6 = 1;
		return inet_pton(AF_INET6, s, a->b) == 1 ? 0 : -1;
	}
	return inet_pton(AF_INET, s, a->b) == 1 ? 0 : -1;
}

void mk_addr_str(const mk_addr_t *a, char *out, size_t n)
{
	inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->b, out, (socklen_t)n);
}

/* ---- frames ---- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		acc += (uint32_t)(p[n - 1] << 8);
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

uint8_t *mk_frame(const mk_addr_t *src, const mk_addr_t *dst, const mk_l4_t *l4,
		  const uint8_t *payload, size_t plen, uint32_t *out_len)
{
	size_t l4h = l4->tcp ? 20 : 8, l3h = src->v6 ? 40 : 20;
	size_t l4len = l4h + plen, total = 14 + l3h + l4len;
	uint8_t *f = calloc(1, total);
	if (!f)
		abort();
	memcpy(f, l4->mac_dst, 6);
	memcpy(f + 6, l4->mac_src, 6);
	put16(f + 12, src->v6 ? 0x86dd : 0x0800);
	uint8_t *ip = f + 14, *t = f + 14 + l3h;
	uint8_t proto = l4->tcp ? 6 : 17;
	if (src->v6) {
		put32(ip, 0x60000000u);
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = proto;
		ip[7] = l4->ttl;
		memcpy(ip + 8, src->b, 16);
		memcpy(ip + 24, dst->b, 16);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + l4len));
		put16(ip + 4, l4->ip_id);
		put16(ip + 6, l4->tcp ? 0x4000 : 0); /* DF on TCP */
		ip[8] = l4->ttl;
		ip[9] = proto;
		memcpy(ip + 12, src->b, 4);
		memcpy(ip + 16, dst->b, 4);
		put16(ip + 10, fold(sum16(0, ip, 20)));
	}
	put16(t, l4->sport);
	put16(t + 2, l4->dport);
	if (l4->tcp) {
		put32(t + 4, l4->seq);
		put32(t + 8, l4->ack);
		t[12] = 5 << 4;
		t[13] = l4->tcp_flags;
		put16(t + 14, 64240);
	} else {
		put16(t + 4, (uint16_t)l4len);
	}
	if (plen)
		memcpy(t + l4h, payload, plen);
	/* pseudo-header checksum (RFC 768, RFC 793 3.1, RFC 8200 8.1) */
	uint32_t acc = 0;
	size_t alen = src->v6 ? 16 : 4;
	acc = sum16(acc, src->b, alen);
	acc = sum16(acc, dst->b, alen);
	acc += proto;
	acc += (uint32_t)l4len;
	acc = sum16(acc, t, l4len);
	uint16_t ck = fold(acc);
	if (!l4->tcp && ck == 0)
		ck = 0xffff;
	put16(t + (l4->tcp ? 16 : 6), ck);
	*out_len = (uint32_t)total;
	return f;
}

/* ---- gzip output through a stdio cookie, with a header we write ourselves ---- */

typedef struct gzck {
	FILE *f;
	z_stream z;
	uLong crc;
	uint32_t isize;
	uint8_t out[65536];
} gzck_t;

static void gz_drain(gzck_t *c, int flush)
{
	do {
		c->z.next_out = c->out;
		c->z.avail_out = sizeof(c->out);
		deflate(&c->z, flush);
		fwrite(c->out, 1, sizeof(c->out) - c->z.avail_out, c->f);
	} while (c->z.avail_out == 0);
}

static ssize_t gz_write(void *cookie, const char *buf, size_t n)
{
	gzck_t *c = cookie;
	c->crc = crc32(c->crc, (const Bytef *)buf, (uInt)n);
	c->isize += (uint32_t)n;
	c->z.next_in = (Bytef *)(uintptr_t)buf;
	c->z.avail_in = (uInt)n;
	gz_drain(c, Z_NO_FLUSH);
	return (ssize_t)n;
}

static int gz_close(void *cookie)
{
	gzck_t *c = cookie;
	c->z.avail_in = 0;
	int rc;
	do {
		c->z.next_out = c->out;
		c->z.avail_out = sizeof(c->out);
		rc = deflate(&c->z, Z_FINISH);
		fwrite(c->out, 1, sizeof(c->out) - c->z.avail_out, c->f);
	} while (rc != Z_STREAM_END);
	deflateEnd(&c->z);
	uint8_t tr[8];
	for (int i = 0; i < 4; i++) {
		tr[i] = (uint8_t)(c->crc >> (8 * i));
		tr[4 + i] = (uint8_t)(c->isize >> (8 * i));
	}
	fwrite(tr, 1, 8, c->f);
	int err = ferror(c->f) | fclose(c->f);
	free(c);
	return err ? -1 : 0;
}

int mk_gz_level = 9;

FILE *mk_out_open(const char *path, int gz)
{
	FILE *f = fopen(path, "wb");
	if (!f || !gz)
		return f;
	gzck_t *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->f = f;
	c->crc = crc32(0, NULL, 0);
	/* raw deflate; RFC 1952 header: no name, mtime 0, XFL 2 (level 9) or 4 (level 1),
	 * OS 255 */
	if (deflateInit2(&c->z, mk_gz_level, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	uint8_t hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff};
	if (mk_gz_level == 1)
		hdr[8] = 4;
	fwrite(hdr, 1, sizeof(hdr), f);
	cookie_io_functions_t io = {.write = gz_write, .close = gz_close};
	FILE *g = fopencookie(c, "w", io);
	if (!g)
		abort();
	setvbuf(g, NULL, _IOFBF, 1 << 16);
	return g;
}

int mk_out_close(FILE *f)
{
	int err = ferror(f);
	return (fclose(f) | err) ? -1 : 0;
}

/* ---- pcapng (draft-ietf-opsawg-pcapng), little-endian sections ---- */

static void le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	fwrite(b, 1, 4, f);
}

static void le16(FILE *f, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	fwrite(b, 1, 2, f);
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static size_t opt_len(size_t n)
{
	return 4 + pad4(n);
}

static void opt(FILE *f, uint16_t code, const void *v, size_t n)
{
	static const uint8_t z[4];
	le16(f, code);
	le16(f, (uint16_t)n);
	fwrite(v, 1, n, f);
	fwrite(z, 1, pad4(n) - n, f);
}

static void opt_u64(FILE *f, uint16_t code, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	opt(f, code, b, 8);
}

static void opt_ts(FILE *f, uint16_t code, int64_t us)
{
	/* timestamps are (high 32, low 32) of the 64-bit count, each little-endian */
	uint64_t v = (uint64_t)us;
	le16(f, code);
	le16(f, 8);
	le32(f, (uint32_t)(v >> 32));
	le32(f, (uint32_t)v);
}

void mk_pcapng_header(FILE *f, const char *if_name, const char *if_descr)
{
	const char *app = "mkcase (tealeaves sample-case generator)";
	const char *hw = "sensor appliance (synthetic)";
	size_t olen = opt_len(strlen(hw)) + opt_len(strlen(app)) + 4;
	uint32_t blen = (uint32_t)(28 + olen);
	le32(f, 0x0A0D0D0A); /* Section Header Block */
	le32(f, blen);
	le32(f, 0x1A2B3C4D);
	le16(f, 1);
	le16(f, 0);
	le32(f, 0xffffffff); /* section length unknown */
	le32(f, 0xffffffff);
	opt(f, 2, hw, strlen(hw));   /* shb_hardware */
	opt(f, 4, app, strlen(app)); /* shb_userappl */
	le32(f, 0);                  /* opt_endofopt */
	le32(f, blen);

	uint8_t res = 6; /* if_tsresol: 10^-6 */
	olen = opt_len(strlen(if_name)) + opt_len(strlen(if_descr)) + opt_len(1) + 4;
	blen = (uint32_t)(20 + olen);
	le32(f, 1); /* Interface Description Block */
	le32(f, blen);
	le16(f, 1); /* LINKTYPE_ETHERNET */
	le16(f, 0);
	le32(f, 65535);
	opt(f, 2, if_name, strlen(if_name));   /* if_name */
	opt(f, 3, if_descr, strlen(if_descr)); /* if_description */
	opt(f, 9, &res, 1);                    /* if_tsresol */
	le32(f, 0);
	le32(f, blen);
}

void mk_pcapng_packet(FILE *f, int64_t ts_us, const uint8_t *data, uint32_t len)
{
	static const uint8_t z[4];
	uint32_t blen = (uint32_t)(32 + pad4(len));
	uint64_t v = (uint64_t)ts_us;
	le32(f, 6); /* Enhanced Packet Block */
	le32(f, blen);
	le32(f, 0); /* interface 0 */
	le32(f, (uint32_t)(v >> 32));
	le32(f, (uint32_t)v);
	le32(f, len);
	le32(f, len);
	fwrite(data, 1, len, f);
	fwrite(z, 1, pad4(len) - len, f);
	le32(f, blen);
}

void mk_pcapng_stats(FILE *f, int64_t ts_us, int64_t start_us, int64_t end_us, uint64_t recv,
		     uint64_t drop)
{
	uint32_t blen = (uint32_t)(20 + 4 * 12 + 4 + 4);
	uint64_t v = (uint64_t)ts_us;
	le32(f, 5); /* Interface Statistics Block */
	le32(f, blen);
	le32(f, 0);
	le32(f, (uint32_t)(v >> 32));
	le32(f, (uint32_t)v);
	opt_ts(f, 2, start_us);  /* isb_starttime */
	opt_ts(f, 3, end_us);    /* isb_endtime */
	opt_u64(f, 4, recv);     /* isb_ifrecv */
	opt_u64(f, 5, drop);     /* isb_ifdrop */
	le32(f, 0);
	le32(f, blen);
}
