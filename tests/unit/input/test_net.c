/* test_net.c - link, IP, fragment, UDP and TCP stream decoding on hand-built frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "input/capture/net.h"

/* ---- what the decoder delivered ---- */

#define MAX_GOT 64

typedef struct got {
	tl_payload_meta_t m;
	uint8_t data[4096];
	size_t len;
} got_t;

typedef struct fx {
	tl_net_opts_t o;
	uint16_t ports[2];
	tl_anomalies_t an;
	tl_net_t *n;
	got_t got[MAX_GOT];
	size_t ngot;
} fx_t;

static void on_payload(const tl_payload_meta_t *m, const uint8_t *data, size_t len, void *ud)
{
	fx_t *f = ud;
	assert_true(f->ngot < MAX_GOT);
	assert_true(len <= sizeof(f->got[0].data));
	got_t *g = &f->got[f->ngot++];
	g->m = *m;
	memcpy(g->data, data, len);
	g->len = len;
}

static fx_t *fx_new(void)
{
	fx_t *f = calloc(1, sizeof(*f));
	tl_net_opts_default(&f->o);
	f->n = tl_net_new(&f->o, &f->an, on_payload, f);
	return f;
}

/* Recreates the decoder after the test changed options. */
static void fx_reopen(fx_t *f)
{
	tl_net_free(f->n);
	f->n = tl_net_new(&f->o, &f->an, on_payload, f);
}

static void fx_free(fx_t *f)
{
	tl_net_free(f->n);
	free(f);
}

static int setup(void **state)
{
	*state = fx_new();
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* All anomaly counts are zero except the ones named (kind, count pairs, -1 ends). */
static void expect_anoms(const fx_t *f, ...)
{
	uint64_t want[TL_AN__COUNT] = { 0 };
	va_list ap;
	va_start(ap, f);
	for (;;) {
		int k = va_arg(ap, int);
		if (k < 0)
			break;
		want[k] = (uint64_t)va_arg(ap, int);
	}
	va_end(ap);
	for (int k = 0; k < TL_AN__COUNT; k++) {
		if (f->an.count[k] != want[k])
			print_error("anomaly %s: got %llu want %llu\n",
				    tl_anomaly_name((tl_anomaly_kind_t)k),
				    (unsigned long long)f->an.count[k], (unsigned long long)want[k]);
		assert_int_equal(f->an.count[k], want[k]);
	}
}
#define NO_ANOMS(f) expect_anoms((f), -1)

/* ---- frame building ---- */

static const uint8_t A4[4] = { 192, 0, 2, 1 };
static const uint8_t B4[4] = { 198, 51, 100, 53 };
static const uint8_t A6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t B6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53 };

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 4;
}

/* A fake DNS message of len bytes (len >= 12): an ID, then a byte pattern. */
static size_t dnsmsg(uint8_t *out, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(seed + i * 7);
	put16(out, (uint16_t)(0x1000 + seed));
	return len;
}

static size_t udp(uint8_t *out, uint16_t sp, uint16_t dp, const uint8_t *pl, size_t plen)
{
	put16(out, sp);
	put16(out + 2, dp);
	put16(out + 4, (uint16_t)(8 + plen));
	put16(out + 6, 0);
	if (plen)
		memcpy(out + 8, pl, plen);
	return 8 + plen;
}

enum { F_FIN = 1, F_SYN = 2, F_RST = 4, F_PSH = 8, F_ACK = 16 };

static size_t tcp(uint8_t *out, uint16_t sp, uint16_t dp, uint32_t seq, uint8_t flags,
		  const uint8_t *pl, size_t plen)
{
	memset(out, 0, 20);
	put16(out, sp);
	put16(out + 2, dp);
	put32(out + 4, seq);
	put32(out + 8, 1);
	out[12] = 5 << 4;
	out[13] = flags;
	put16(out + 14, 65535);
	if (plen && pl)
		memcpy(out + 20, pl, plen);
	return 20 + plen;
}

/* IPv4 header (with olen bytes of options, a multiple of 4) and payload l4. */
static size_t ip4x(uint8_t *out, uint8_t proto, uint16_t id, uint16_t fragw, uint8_t ttl,
		   size_t olen, const uint8_t *l4, size_t l4len)
{
	size_t hl = 20 + olen;
	out[0] = (uint8_t)(0x40 | (hl / 4));
	out[1] = 0;
	put16(out + 2, (uint16_t)(hl + l4len));
	put16(out + 4, id);
	put16(out + 6, fragw);
	out[8] = ttl;
	out[9] = proto;
	put16(out + 10, 0);
	memcpy(out + 12, A4, 4);
	memcpy(out + 16, B4, 4);
	for (size_t i = 0; i < olen; i++)
		out[20 + i] = 1; /* NOP options */
	memcpy(out + hl, l4, l4len);
	return hl + l4len;
}

static size_t ip4(uint8_t *out, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	return ip4x(out, proto, 7, 0, 64, 0, l4, l4len);
}

/* IPv6 header; rest = extension headers and upper layer. */
static size_t ip6(uint8_t *out, uint8_t nh, uint8_t hlim, const uint8_t *rest, size_t rlen)
{
	put32(out, 0x60000000);
	put16(out + 4, (uint16_t)rlen);
	out[6] = nh;
	out[7] = hlim;
	memcpy(out + 8, A6, 16);
	memcpy(out + 24, B6, 16);
	if (rlen)
		memcpy(out + 40, rest, rlen);
	return 40 + rlen;
}

static size_t eth(uint8_t *out, uint16_t et, const uint8_t *l3, size_t l3len)
{
	for (int i = 0; i < 12; i++)
		out[i] = (uint8_t)(0xa0 + i);
	put16(out + 12, et);
	memcpy(out + 14, l3, l3len);
	return 14 + l3len;
}

/* IPv4/UDP 192.0.2.1:40000 -> 198.51.100.53:53 carrying a message of mlen bytes. */
static size_t udp4_pkt(uint8_t *out, size_t mlen, uint8_t seed, uint8_t *msg_out)
{
	uint8_t m[2048], u[2100];
	dnsmsg(m, mlen, seed);
	if (msg_out)
		memcpy(msg_out, m, mlen);
	size_t ul = udp(u, 40000, 53, m, mlen);
	return ip4(out, 17, u, ul);
}

static size_t udp6_pkt(uint8_t *out, size_t mlen, uint8_t seed, uint8_t *msg_out)
{
	uint8_t m[2048], u[2100];
	dnsmsg(m, mlen, seed);
	if (msg_out)
		memcpy(msg_out, m, mlen);
	size_t ul = udp(u, 40000, 53, m, mlen);
	return ip6(out, 17, 255, u, ul);
}

static void frame(fx_t *f, int dlt, int64_t ts, uint64_t pos, const uint8_t *d, size_t len)
{
	tl_net_frame(f->n, dlt, ts, pos, d, len, len);
}

static void check_udp4_meta(const got_t *g, int64_t ts, uint64_t pos, uint8_t ttl)
{
	assert_int_equal(g->m.ts, ts);
	assert_int_equal(g->m.pos, pos);
	assert_int_equal(g->m.src.family, 4);
	assert_memory_equal(g->m.src.bytes, A4, 4);
	assert_int_equal(g->m.dst.family, 4);
	assert_memory_equal(g->m.dst.bytes, B4, 4);
	for (int i = 4; i < 16; i++)
		assert_int_equal(g->m.src.bytes[i], 0);
	assert_int_equal(g->m.sport, 40000);
	assert_int_equal(g->m.dport, 53);
	assert_int_equal(g->m.transport, TL_TRANSPORT_UDP);
	assert_int_equal(g->m.ip_ttl, ttl);
}

static void check_v6_addrs(const got_t *g)
{
	assert_int_equal(g->m.src.family, 6);
	assert_memory_equal(g->m.src.bytes, A6, 16);
	assert_int_equal(g->m.dst.family, 6);
	assert_memory_equal(g->m.dst.bytes, B6, 16);
}

/* ---- link types ---- */

static void test_dlt_table(void **state)
{
	(void)state;
	char buf[24];
	int ok[] = { DLT_NULL, DLT_EN10MB, 12, 14, 101, 108, DLT_LINUX_SLL, DLT_LINUX_SLL2, 228, 229 };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(tl_net_dlt_supported(ok[i]));
	assert_false(tl_net_dlt_supported(147));
	assert_false(tl_net_dlt_supported(105)); /* 802.11 */
	assert_string_equal(tl_net_dlt_name(DLT_EN10MB, buf), "EN10MB");
	assert_string_equal(tl_net_dlt_name(DLT_LINUX_SLL2, buf), "LINUX_SLL2");
	assert_string_equal(tl_net_dlt_name(101, buf), "RAW");
	assert_string_equal(tl_net_dlt_name(14, buf), "RAW");
	assert_string_equal(tl_net_dlt_name(147, buf), "DLT_147");
	assert_string_equal(tl_net_dlt_name(-3, buf), "DLT_-3");
}

/* One IPv4 and one IPv6 DNS datagram through a link header built by wrap(). */
static void link_roundtrip(int dlt, size_t (*wrap)(uint8_t *, int v6, const uint8_t *, size_t))
{
	fx_t *f = fx_new();
	uint8_t l3[2200], fr[2300], m4[64], m6[64];
	size_t l = udp4_pkt(l3, 40, 1, m4);
	size_t fl = wrap(fr, 0, l3, l);
	frame(f, dlt, 1000, 1, fr, fl);
	l = udp6_pkt(l3, 33, 2, m6);
	fl = wrap(fr, 1, l3, l);
	frame(f, dlt, 2000, 2, fr, fl);
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 2);
	check_udp4_meta(&f->got[0], 1000, 1, 64);
	assert_int_equal(f->got[0].len, 40);
	assert_memory_equal(f->got[0].data, m4, 40);
	check_v6_addrs(&f->got[1]);
	assert_int_equal(f->got[1].m.ip_ttl, 255);
	assert_int_equal(f->got[1].m.pos, 2);
	assert_int_equal(f->got[1].len, 33);
	assert_memory_equal(f->got[1].data, m6, 33);
	fx_free(f);
}

static size_t wrap_eth(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	return eth(o, v6 ? 0x86dd : 0x0800, l3, len);
}

static size_t wrap_sll(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	put16(o, 0);      /* to us */
	put16(o + 2, 1);  /* ARPHRD_ETHER */
	put16(o + 4, 6);  /* address length */
	memset(o + 6, 0xee, 8);
	put16(o + 14, v6 ? 0x86dd : 0x0800);
	memcpy(o + 16, l3, len);
	return 16 + len;
}

static size_t wrap_sll2(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	put16(o, v6 ? 0x86dd : 0x0800);
	put16(o + 2, 0);
	put32(o + 4, 3);     /* interface index */
	put16(o + 8, 772);   /* ARPHRD_LOOPBACK */
	o[10] = 0;
	o[11] = 6;
	memset(o + 12, 0xee, 8);
	memcpy(o + 20, l3, len);
	return 20 + len;
}

static size_t wrap_raw(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	(void)v6;
	memcpy(o, l3, len);
	return len;
}

static size_t wrap_null_le(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	uint32_t af = v6 ? 24 : 2;
	o[0] = (uint8_t)af;
	o[1] = o[2] = o[3] = 0;
	memcpy(o + 4, l3, len);
	return 4 + len;
}

static size_t wrap_null_be(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	put32(o, v6 ? 30 : 2);
	memcpy(o + 4, l3, len);
	return 4 + len;
}

static size_t wrap_null_le28(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	o[0] = v6 ? 28 : 2;
	o[1] = o[2] = o[3] = 0;
	memcpy(o + 4, l3, len);
	return 4 + len;
}

static size_t wrap_loop(uint8_t *o, int v6, const uint8_t *l3, size_t len)
{
	put32(o, v6 ? 24 : 2);
	memcpy(o + 4, l3, len);
	return 4 + len;
}

static void test_link_types(void **state)
{
	(void)state;
	link_roundtrip(DLT_EN10MB, wrap_eth);
	link_roundtrip(DLT_LINUX_SLL, wrap_sll);
	link_roundtrip(DLT_LINUX_SLL2, wrap_sll2);
	link_roundtrip(12, wrap_raw);
	link_roundtrip(14, wrap_raw);
	link_roundtrip(101, wrap_raw);
	link_roundtrip(DLT_NULL, wrap_null_le);
	link_roundtrip(DLT_NULL, wrap_null_be);
	link_roundtrip(DLT_NULL, wrap_null_le28);
	link_roundtrip(108, wrap_loop);
}

static void test_link_ipv4_ipv6_only(void **state)
{
	fx_t *f = *state;
	uint8_t l3[2200];
	size_t l = udp4_pkt(l3, 20, 1, NULL);
	frame(f, 228, 1, 1, l3, l);
	assert_int_equal(f->ngot, 1);
	frame(f, 229, 2, 2, l3, l); /* IPv4 bytes on the IPv6 link type */
	assert_int_equal(f->ngot, 1);
	l = udp6_pkt(l3, 20, 1, NULL);
	frame(f, 229, 3, 3, l3, l);
	assert_int_equal(f->ngot, 2);
	expect_anoms(f, TL_AN_IP_MALFORMED, 1, -1);
	assert_int_equal(f->an.first[TL_AN_IP_MALFORMED][0], 2);
}

static void test_link_errors(void **state)
{
	fx_t *f = *state;
	uint8_t l3[2200], fr[2300];
	size_t l = udp4_pkt(l3, 20, 1, NULL);

	frame(f, 147, 1, 1, l3, l); /* unsupported link type */
	size_t fl = eth(fr, 0x0806, l3, 28); /* ARP */
	frame(f, DLT_EN10MB, 1, 2, fr, fl);
	fl = eth(fr, 0x0050, l3, 28); /* 802.3 length field */
	frame(f, DLT_EN10MB, 1, 3, fr, fl);
	fl = wrap_sll(fr, 0, l3, l);
	put16(fr + 2, 824); /* ARPHRD_NETLINK: the protocol field is not an ethertype */
	frame(f, DLT_LINUX_SLL, 1, 4, fr, fl);
	fl = wrap_loop(fr, 0, l3, l);
	put32(fr, 7); /* unknown address family */
	frame(f, 108, 1, 5, fr, fl);
	fl = wrap_null_le(fr, 0, l3, l);
	frame(f, DLT_NULL, 1, 6, fr, 3); /* family cut */
	frame(f, DLT_LINUX_SLL2, 1, 7, fr, 19);
	frame(f, DLT_LINUX_SLL, 1, 8, fr, 15);
	frame(f, DLT_EN10MB, 1, 9, fr, 13);
	frame(f, 12, 1, 10, fr, 0);
	frame(f, 108, 1, 11, NULL, 0);
	fr[0] = 0x50; /* raw IP, version 5 */
	frame(f, 101, 1, 12, fr, 40);
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_LINKTYPE_UNSUPPORTED, 1, TL_AN_L3_UNKNOWN, 4, TL_AN_FRAME_TRUNCATED, 6,
		     TL_AN_IP_MALFORMED, 1, -1);
	assert_int_equal(f->an.first[TL_AN_L3_UNKNOWN][0], 2);
	assert_int_equal(f->an.first[TL_AN_L3_UNKNOWN][3], 5);
}

/* ---- VLAN ---- */

static size_t vlan_frame(uint8_t *fr, const uint16_t *tags, size_t ntags, const uint8_t *l3,
			 size_t len)
{
	for (int i = 0; i < 12; i++)
		fr[i] = (uint8_t)i;
	size_t o = 12;
	for (size_t i = 0; i < ntags; i++) {
		o += put16(fr + o, tags[i]);
		o += put16(fr + o, (uint16_t)(100 + i)); /* TCI */
	}
	o += put16(fr + o, 0x0800);
	memcpy(fr + o, l3, len);
	return o + len;
}

static void test_vlan(void **state)
{
	fx_t *f = *state;
	uint8_t l3[2200], fr[2300], m[64];
	size_t l = udp4_pkt(l3, 30, 9, m);
	static const uint16_t q[] = { 0x8100 };
	static const uint16_t qinq[] = { 0x88a8, 0x8100 };
	static const uint16_t old[] = { 0x9100, 0x9100, 0x8100 };
	static const uint16_t deep[9] = { 0x8100, 0x8100, 0x8100, 0x8100, 0x8100,
					  0x8100, 0x8100, 0x8100, 0x8100 };
	size_t fl = vlan_frame(fr, q, 1, l3, l);
	frame(f, DLT_EN10MB, 1, 1, fr, fl);
	fl = vlan_frame(fr, qinq, 2, l3, l);
	frame(f, DLT_EN10MB, 1, 2, fr, fl);
	fl = vlan_frame(fr, old, 3, l3, l);
	frame(f, DLT_EN10MB, 1, 3, fr, fl);
	fl = vlan_frame(fr, deep, 8, l3, l); /* 8 tags: still accepted */
	frame(f, DLT_EN10MB, 1, 4, fr, fl);
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(f->got[i].len, 30);
		assert_memory_equal(f->got[i].data, m, 30);
		assert_int_equal(f->got[i].m.pos, i + 1);
	}
	fl = vlan_frame(fr, deep, 9, l3, l);
	frame(f, DLT_EN10MB, 1, 5, fr, fl);
	fl = vlan_frame(fr, qinq, 2, l3, l);
	frame(f, DLT_EN10MB, 1, 6, fr, 17); /* cut inside the first tag */
	frame(f, DLT_EN10MB, 1, 7, fr, 20); /* cut inside the second tag */
	assert_int_equal(f->ngot, 4);
	expect_anoms(f, TL_AN_L2_MALFORMED, 1, TL_AN_FRAME_TRUNCATED, 2, -1);

	/* Linux cooked capture with a VLAN tag left in. */
	uint8_t inner[2300];
	size_t il = 0;
	il += put16(inner, 5);
	il += put16(inner + il, 0x0800);
	memcpy(inner + il, l3, l);
	il += l;
	fl = wrap_sll(fr, 0, inner, il);
	put16(fr + 14, 0x8100);
	frame(f, DLT_LINUX_SLL, 1, 8, fr, fl);
	assert_int_equal(f->ngot, 5);
	assert_memory_equal(f->got[4].data, m, 30);
}

/* ---- IPv4 ---- */

static void test_ipv4_options_and_padding(void **state)
{
	fx_t *f = *state;
	uint8_t m[64], u[128], l3[256], fr[300];
	dnsmsg(m, 14, 3);
	size_t ul = udp(u, 53, 5353, m, 14); /* a response: source port 53 */
	size_t l = ip4x(l3, 17, 1, 0x4000, 3, 12, u, ul);
	size_t fl = eth(fr, 0x0800, l3, l);
	memset(fr + fl, 0xcc, 20); /* Ethernet padding after the datagram */
	frame(f, DLT_EN10MB, 5, 1, fr, fl + 20);
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->got[0].len, 14);
	assert_memory_equal(f->got[0].data, m, 14);
	assert_int_equal(f->got[0].m.sport, 53);
	assert_int_equal(f->got[0].m.dport, 5353);
	assert_int_equal(f->got[0].m.ip_ttl, 3);
}

static void test_ipv4_malformed(void **state)
{
	fx_t *f = *state;
	uint8_t l3[256];
	size_t l = udp4_pkt(l3, 20, 1, NULL);
	uint8_t b[256];

	memcpy(b, l3, l);
	b[0] = 0x44; /* IHL 4 */
	frame(f, 228, 1, 1, b, l);
	memcpy(b, l3, l);
	b[0] = 0x55; /* version 5 */
	frame(f, 228, 1, 2, b, l);
	memcpy(b, l3, l);
	put16(b + 2, 19); /* total length below the header */
	frame(f, 228, 1, 3, b, l);
	memcpy(b, l3, l);
	b[0] = 0x4f; /* 60-byte header claimed, but total length covers it: capture too short */
	put16(b + 2, 200);
	frame(f, 228, 1, 4, b, 40);
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_IP_MALFORMED, 3, TL_AN_FRAME_TRUNCATED, 1, -1);
}

/* Cutting an Ethernet/IPv4/UDP DNS frame at every length gives the right anomaly. */
static void test_truncation_every_layer_v4(void **state)
{
	(void)state;
	uint8_t l3[256], fr[300], m[64];
	size_t l = udp4_pkt(l3, 30, 4, m);
	size_t fl = eth(fr, 0x0800, l3, l); /* 14 + 20 + 8 + 30 = 72 */
	assert_int_equal(fl, 72);
	for (size_t cut = 0; cut < fl; cut++) {
		fx_t *f = fx_new();
		uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
		memcpy(copy, fr, cut);
		frame(f, DLT_EN10MB, 1, 1, copy, cut);
		if (cut < 34) {
			expect_anoms(f, TL_AN_FRAME_TRUNCATED, 1, -1);
			assert_int_equal(f->ngot, 0);
		} else if (cut < 42) {
			/* The cut is counted once, at the network layer. */
			expect_anoms(f, TL_AN_IP_TRUNCATED, 1, -1);
			assert_int_equal(f->ngot, 0);
		} else {
			expect_anoms(f, TL_AN_IP_TRUNCATED, 1, -1);
			assert_int_equal(f->an.first[TL_AN_IP_TRUNCATED][0], 1);
			assert_int_equal(f->ngot, 1);
			assert_int_equal(f->got[0].len, cut - 42);
			assert_memory_equal(f->got[0].data, m, cut - 42);
		}
		free(copy);
		fx_free(f);
	}
}

static void test_truncation_every_layer_v6(void **state)
{
	(void)state;
	uint8_t l3[256], fr[300], m[64];
	size_t l = udp6_pkt(l3, 30, 4, m);
	size_t fl = eth(fr, 0x86dd, l3, l); /* 14 + 40 + 8 + 30 = 92 */
	assert_int_equal(fl, 92);
	for (size_t cut = 0; cut < fl; cut++) {
		fx_t *f = fx_new();
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, fr, cut);
		frame(f, DLT_EN10MB, 1, 1, copy, cut);
		if (cut < 54) {
			expect_anoms(f, TL_AN_FRAME_TRUNCATED, 1, -1);
		} else {
			expect_anoms(f, TL_AN_IP_TRUNCATED, 1, -1);
		}
		assert_int_equal(f->ngot, cut >= 62 ? 1 : 0);
		if (cut >= 62)
			assert_memory_equal(f->got[0].data, m, cut - 62);
		free(copy);
		fx_free(f);
	}
}

/* ---- UDP ---- */

static void test_udp_ports(void **state)
{
	fx_t *f = *state;
	uint8_t m[64], u[128], l3[256];
	dnsmsg(m, 20, 1);
	size_t ul = udp(u, 40000, 5353, m, 20);
	size_t l = ip4(l3, 17, u, ul);
	frame(f, 228, 1, 1, l3, l);
	l = ip4(l3, 1, u, ul); /* ICMP */
	frame(f, 228, 1, 2, l3, l);
	l = udp4_pkt(l3, 20, 1, NULL);
	l3[9] = 1; /* ICMP that happens to contain port-53-looking bytes */
	frame(f, 228, 1, 3, l3, l);
	/* Other ports, truncated: not ours, so silent. */
	l = ip4(l3, 17, u, ul);
	frame(f, 228, 1, 4, l3, 30);
	assert_int_equal(f->ngot, 0);
	NO_ANOMS(f);

	/* Custom port list: 5353 and 853. */
	f->ports[0] = 5353;
	f->ports[1] = 853;
	f->o.ports = f->ports;
	f->o.n_ports = 2;
	fx_reopen(f);
	l = ip4(l3, 17, u, ul);
	frame(f, 228, 1, 5, l3, l);
	l = udp4_pkt(l3, 20, 1, NULL);
	frame(f, 228, 1, 6, l3, l);
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->got[0].m.dport, 5353);
	NO_ANOMS(f);
}

static void test_udp_lengths(void **state)
{
	fx_t *f = *state;
	uint8_t l3[256], m[64];
	size_t l = udp4_pkt(l3, 30, 1, m);
	uint8_t b[256];

	memcpy(b, l3, l);
	put16(b + 24, 7); /* UDP length below its header */
	frame(f, 228, 1, 1, b, l);
	memcpy(b, l3, l);
	put16(b + 24, 39); /* longer than the IP payload (38) */
	frame(f, 228, 1, 2, b, l);
	assert_int_equal(f->ngot, 0);
	memcpy(b, l3, l);
	put16(b + 24, 8 + 12); /* shorter: the rest is trailing junk inside IP */
	frame(f, 228, 1, 3, b, l);
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->got[0].len, 12);
	assert_memory_equal(f->got[0].data, m, 12);
	/* IP payload too short for a UDP header (not a capture cut). */
	memcpy(b, l3, l);
	put16(b + 2, 26);
	frame(f, 228, 1, 4, b, l);
	put16(b + 2, 22);
	frame(f, 228, 1, 5, b, l);
	expect_anoms(f, TL_AN_UDP_MALFORMED, 4, -1);
	assert_int_equal(f->an.first[TL_AN_UDP_MALFORMED][3], 5);
	/* IP cut by the capture after a complete UDP datagram. */
	memcpy(b, l3, l);
	put16(b + 2, (uint16_t)(l + 10));
	frame(f, 228, 1, 6, b, l);
	assert_int_equal(f->ngot, 2);
	assert_int_equal(f->got[1].len, 30);
	expect_anoms(f, TL_AN_UDP_MALFORMED, 4, TL_AN_IP_TRUNCATED, 1, -1);
}

/* ---- IPv4 fragments ---- */

/* Splits an IPv4 UDP datagram (message of mlen bytes) into fragments at the given
 * payload offsets; frag i covers [cuts[i], cuts[i+1]). */
typedef struct frags {
	uint8_t f[8][4400];
	size_t len[8];
	size_t n;
	uint8_t msg[4400];
	size_t mlen;
} frags_t;

static void make_frags4(frags_t *fs, size_t mlen, uint16_t id, const size_t *cuts, size_t ncuts)
{
	uint8_t u[4400];
	dnsmsg(fs->msg, mlen, (uint8_t)id);
	fs->mlen = mlen;
	size_t ul = udp(u, 40000, 53, fs->msg, mlen);
	fs->n = ncuts;
	for (size_t i = 0; i < ncuts; i++) {
		size_t a = cuts[i], b = i + 1 < ncuts ? cuts[i + 1] : ul;
		uint16_t fw = (uint16_t)((a / 8) | (i + 1 < ncuts ? 0x2000 : 0));
		fs->len[i] = ip4x(fs->f[i], 17, id, fw, (uint8_t)(60 + i), 0, u + a, b - a);
	}
}

static void test_frag4_in_order(void **state)
{
	fx_t *f = *state;
	frags_t fs;
	static const size_t cuts[] = { 0, 400, 800 };
	make_frags4(&fs, 1000, 77, cuts, 3);
	frame(f, 228, 10, 1, fs.f[0], fs.len[0]);
	frame(f, 228, 20, 2, fs.f[1], fs.len[1]);
	assert_int_equal(f->ngot, 0);
	frame(f, 228, 30, 3, fs.f[2], fs.len[2]);
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 1);
	check_udp4_meta(&f->got[0], 30, 3, 62);
	assert_int_equal(f->got[0].len, 1000);
	assert_memory_equal(f->got[0].data, fs.msg, 1000);
	tl_net_finish(f->n, 4);
	NO_ANOMS(f);
}

static void test_frag4_out_of_order_and_dup(void **state)
{
	fx_t *f = *state;
	frags_t fs;
	static const size_t cuts[] = { 0, 256, 512, 768 };
	make_frags4(&fs, 900, 5, cuts, 4);
	frame(f, 228, 10, 1, fs.f[3], fs.len[3]);
	frame(f, 228, 11, 2, fs.f[1], fs.len[1]);
	frame(f, 228, 12, 3, fs.f[1], fs.len[1]); /* exact duplicate: accepted */
	frame(f, 228, 13, 4, fs.f[0], fs.len[0]);
	assert_int_equal(f->ngot, 0);
	frame(f, 228, 14, 5, fs.f[2], fs.len[2]);
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 1);
	check_udp4_meta(&f->got[0], 14, 5, 62);
	assert_int_equal(f->got[0].len, 900);
	assert_memory_equal(f->got[0].data, fs.msg, 900);
}

static void test_frag4_overlap(void **state)
{
	fx_t *f = *state;
	frags_t fs, alt;
	static const size_t cuts[] = { 0, 512 };
	static const size_t cuts2[] = { 0, 256, 512 };
	make_frags4(&fs, 700, 9, cuts, 2);
	make_frags4(&alt, 700, 9, cuts2, 3);
	/* Overlapping with the same bytes: fine. */
	frame(f, 228, 1, 1, fs.f[0], fs.len[0]);
	frame(f, 228, 1, 2, alt.f[1], alt.len[1]);
	frame(f, 228, 1, 3, fs.f[1], fs.len[1]);
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 1);
	assert_memory_equal(f->got[0].data, fs.msg, 700);

	/* Overlapping with different bytes: the datagram is discarded, once. */
	alt.f[1][20 + 100] ^= 0xff;
	frame(f, 228, 2, 4, fs.f[0], fs.len[0]);
	frame(f, 228, 2, 5, alt.f[1], alt.len[1]);
	frame(f, 228, 2, 6, fs.f[1], fs.len[1]);
	assert_int_equal(f->ngot, 1);
	expect_anoms(f, TL_AN_FRAG_OVERLAP, 1, -1);
	assert_int_equal(f->an.first[TL_AN_FRAG_OVERLAP][0], 5);
	tl_net_finish(f->n, 7);
	expect_anoms(f, TL_AN_FRAG_OVERLAP, 1, -1); /* the dead datagram is not also a timeout */
}

static void test_frag4_incomplete_and_malformed(void **state)
{
	fx_t *f = *state;
	frags_t fs;
	static const size_t cuts[] = { 0, 512 };
	make_frags4(&fs, 700, 3, cuts, 2);
	frame(f, 228, 1, 1, fs.f[0], fs.len[0]);

	/* A non-last fragment whose length is not a multiple of 8. */
	uint8_t b[2200];
	memcpy(b, fs.f[0], fs.len[0]);
	put16(b + 4, 4);
	put16(b + 2, (uint16_t)(fs.len[0] - 3));
	frame(f, 228, 1, 2, b, fs.len[0] - 3);
	/* Offset + length past 65535. */
	memcpy(b, fs.f[1], fs.len[1]);
	put16(b + 4, 5);
	put16(b + 6, 0x1fff);
	frame(f, 228, 1, 3, b, fs.len[1]);
	/* A last fragment ending before data already received. */
	memcpy(b, fs.f[1], 20 + 8);
	put16(b + 2, 28);
	put16(b + 6, 1); /* offset 8, MF=0: ends at 16 < 512 */
	frame(f, 228, 1, 4, b, 28);
	/* A truncated fragment is unusable. */
	frame(f, 228, 1, 5, fs.f[1], fs.len[1] - 1);
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_FRAG_MALFORMED, 3, TL_AN_IP_TRUNCATED, 1, -1);
	tl_net_finish(f->n, 99);
	/* Datagrams 3 and 4 (from the malformed ones) were created or not:
	 * id 3 waits for its last fragment; id 4's fragment was rejected before
	 * creation, id 5 too. */
	expect_anoms(f, TL_AN_FRAG_MALFORMED, 3, TL_AN_IP_TRUNCATED, 1, TL_AN_FRAG_TIMEOUT, 1, -1);
	assert_int_equal(f->an.first[TL_AN_FRAG_TIMEOUT][0], 99);
}

static void test_frag4_caps_and_timeout(void **state)
{
	fx_t *f = *state;
	f->o.frag_max_datagrams = 2;
	f->o.frag_max_bytes = 4096;
	f->o.frag_timeout_us = 1000;
	fx_reopen(f);
	frags_t a, b, c, big;
	static const size_t cuts[] = { 0, 256 };
	make_frags4(&a, 400, 1, cuts, 2);
	make_frags4(&b, 400, 2, cuts, 2);
	make_frags4(&c, 400, 3, cuts, 2);
	frame(f, 228, 0, 1, a.f[0], a.len[0]);
	frame(f, 228, 10, 2, b.f[0], b.len[0]);
	frame(f, 228, 20, 3, c.f[0], c.len[0]); /* third datagram: cap */
	expect_anoms(f, TL_AN_FRAG_CAP, 1, -1);
	assert_int_equal(f->an.first[TL_AN_FRAG_CAP][0], 3);
	frame(f, 228, 30, 4, b.f[1], b.len[1]);
	assert_int_equal(f->ngot, 1);
	assert_memory_equal(f->got[0].data, b.msg, 400);
	/* Capture time passes: a expires when the next fragment arrives. */
	frame(f, 228, 1500, 5, c.f[0], c.len[0]);
	expect_anoms(f, TL_AN_FRAG_CAP, 1, TL_AN_FRAG_TIMEOUT, 1, -1);
	assert_int_equal(f->an.first[TL_AN_FRAG_TIMEOUT][0], 5);
	frame(f, 228, 1501, 6, a.f[1], a.len[1]); /* a's rest, too late: starts anew */
	frame(f, 228, 1502, 7, c.f[1], c.len[1]);
	assert_int_equal(f->ngot, 2);
	assert_memory_equal(f->got[1].data, c.msg, 400);

	/* Byte cap: a fragment far out needs a buffer beyond 4096 bytes. */
	static const size_t cuts_big[] = { 0, 4096 };
	make_frags4(&big, 4200, 8, cuts_big, 2);
	frame(f, 228, 1503, 8, big.f[1], big.len[1]);
	frame(f, 228, 1504, 9, big.f[0], big.len[0]); /* absorbed by the dead datagram */
	assert_int_equal(f->ngot, 2);
	tl_net_finish(f->n, 10);
	expect_anoms(f, TL_AN_FRAG_CAP, 2, TL_AN_FRAG_TIMEOUT, 2, -1);
	assert_int_equal(f->an.first[TL_AN_FRAG_CAP][1], 8);
	assert_int_equal(f->an.first[TL_AN_FRAG_TIMEOUT][1], 10);
}

/* ---- IPv6 ---- */

static size_t ext(uint8_t *o, uint8_t nh, size_t len8)
{
	memset(o, 0, len8 * 8);
	o[0] = nh;
	o[1] = (uint8_t)(len8 - 1);
	o[2] = 1; /* PadN */
	o[3] = (uint8_t)(len8 * 8 - 4);
	return len8 * 8;
}

static void test_ipv6_ext_and_frag(void **state)
{
	fx_t *f = *state;
	uint8_t msg[1200], u[1300], rest[1400], pkt[1500];
	dnsmsg(msg, 1100, 6);
	size_t ul = udp(u, 40000, 53, msg, 1100);
	/* hop-by-hop -> destination options -> fragment -> UDP; two fragments split at 600 */
	for (int part = 0; part < 2; part++) {
		size_t o = 0;
		o += ext(rest + o, 60, 1);
		o += ext(rest + o, 44, 2);
		rest[o] = 17;
		rest[o + 1] = 0;
		put16(rest + o + 2, (uint16_t)(part ? 600 : 0 | 1));
		put32(rest + o + 4, 0xdeadbeef);
		o += 8;
		size_t a = part ? 600 : 0, b = part ? ul : 600;
		memcpy(rest + o, u + a, b - a);
		o += b - a;
		size_t l = ip6(pkt, 0, (uint8_t)(30 + part), rest, o);
		frame(f, 229, 100 + part, 10 + part, pkt, l);
	}
	NO_ANOMS(f);
	assert_int_equal(f->ngot, 1);
	check_v6_addrs(&f->got[0]);
	assert_int_equal(f->got[0].m.ts, 101);
	assert_int_equal(f->got[0].m.pos, 11);
	assert_int_equal(f->got[0].m.ip_ttl, 31);
	assert_int_equal(f->got[0].len, 1100);
	assert_memory_equal(f->got[0].data, msg, 1100);

	/* Atomic fragment (offset 0, M=0) and an AH header in the way. */
	size_t o = 0;
	memset(rest, 0, 24);
	rest[0] = 44;
	rest[1] = 4; /* AH: (4 + 2) * 4 = 24 bytes */
	o = 24;
	rest[o] = 17;
	rest[o + 1] = 0;
	put16(rest + o + 2, 0);
	put32(rest + o + 4, 1);
	o += 8;
	ul = udp(rest + o, 40000, 53, msg, 50);
	size_t l = ip6(pkt, 51, 9, rest, o + ul);
	frame(f, 229, 200, 12, pkt, l);
	assert_int_equal(f->ngot, 2);
	assert_int_equal(f->got[1].len, 50);
	assert_memory_equal(f->got[1].data, msg, 50);
	NO_ANOMS(f);
}

static void test_ipv6_ext_errors(void **state)
{
	fx_t *f = *state;
	uint8_t rest[400], pkt[500], u[64], m[20];
	dnsmsg(m, 12, 1);
	size_t ul = udp(u, 40000, 53, m, 12);
	/* 17 destination option headers: over the cap. */
	size_t o = 0;
	for (int i = 0; i < 17; i++)
		o += ext(rest + o, i < 16 ? 60 : 17, 1);
	memcpy(rest + o, u, ul);
	size_t l = ip6(pkt, 60, 1, rest, o + ul);
	frame(f, 229, 1, 1, pkt, l);
	/* 16 are fine. */
	o = 0;
	for (int i = 0; i < 16; i++)
		o += ext(rest + o, i < 15 ? 60 : 17, 1);
	memcpy(rest + o, u, ul);
	l = ip6(pkt, 60, 1, rest, o + ul);
	frame(f, 229, 1, 2, pkt, l);
	assert_int_equal(f->ngot, 1);
	/* An extension header longer than the payload length says. */
	o = ext(rest, 17, 1);
	rest[1] = 3;
	memcpy(rest + o, u, ul);
	l = ip6(pkt, 0, 1, rest, o + ul);
	frame(f, 229, 1, 3, pkt, l);
	/* The same, but the payload length is fine and the capture cut it. */
	l = ip6(pkt, 0, 1, rest, 40);
	frame(f, 229, 1, 4, pkt, 40 + o + ul);
	/* ESP and no-next-header: silently not DNS. */
	l = ip6(pkt, 50, 1, u, ul);
	frame(f, 229, 1, 5, pkt, l);
	l = ip6(pkt, 59, 1, u, ul);
	frame(f, 229, 1, 6, pkt, l);
	l = ip6(pkt, 59, 1, u, 0);
	frame(f, 229, 1, 7, pkt, l);
	/* Payload length 0 with a real next header (jumbogram): malformed. */
	l = ip6(pkt, 17, 1, u, ul);
	put16(pkt + 4, 0);
	frame(f, 229, 1, 8, pkt, l);
	assert_int_equal(f->ngot, 1);
	expect_anoms(f, TL_AN_IP6_EXTHDR_MALFORMED, 2, TL_AN_IP_TRUNCATED, 1, TL_AN_IP_MALFORMED, 1,
		     -1);
	assert_int_equal(f->an.first[TL_AN_IP6_EXTHDR_MALFORMED][1], 3);
	assert_int_equal(f->an.first[TL_AN_IP_TRUNCATED][0], 4);
}

/* ---- TCP ---- */

#define CPORT 41000

typedef struct seg {
	uint32_t seq;
	uint8_t flags;
	const uint8_t *d;
	size_t len;
} seg_t;

/* Sends one client->server TCP segment over IPv4 (TTL = 40 + pos % 10). */
static void tcp4(fx_t *f, int64_t ts, uint64_t pos, uint32_t seq, uint8_t flags, const uint8_t *d,
		 size_t len)
{
	uint8_t t[70000], p[70100];
	size_t tl = tcp(t, CPORT, 53, seq, flags, d, len);
	size_t l = ip4x(p, 6, 1, 0x4000, (uint8_t)(40 + pos % 10), 0, t, tl);
	frame(f, 228, ts, pos, p, l);
}

/* Length-prefixes a message of mlen bytes into out; returns bytes written. */
static size_t prefixed(uint8_t *out, size_t mlen, uint8_t seed)
{
	put16(out, (uint16_t)mlen);
	dnsmsg(out + 2, mlen, seed);
	return 2 + mlen;
}

/* A message sent by the client (from_client) or the server, from the frame at pos
 * (ts = pos * 100, TTL = 40 + pos % 10). */
static void check_msg_dir(const got_t *g, size_t mlen, uint8_t seed, uint64_t pos,
			  int from_client)
{
	uint8_t m[70000];
	dnsmsg(m, mlen, seed);
	assert_int_equal(g->len, mlen);
	assert_memory_equal(g->data, m, mlen);
	assert_int_equal(g->m.pos, pos);
	assert_int_equal(g->m.ts, (int64_t)pos * 100);
	assert_int_equal(g->m.ip_ttl, 40 + pos % 10);
	assert_int_equal(g->m.transport, TL_TRANSPORT_TCP);
	assert_int_equal(g->m.sport, from_client ? CPORT : 53);
	assert_int_equal(g->m.dport, from_client ? 53 : CPORT);
	assert_int_equal(g->m.src.family, 4);
	assert_memory_equal(g->m.src.bytes, from_client ? A4 : B4, 4);
	assert_memory_equal(g->m.dst.bytes, from_client ? B4 : A4, 4);
}

static void check_msg(const got_t *g, size_t mlen, uint8_t seed, uint64_t pos)
{
	check_msg_dir(g, mlen, seed, pos, 1);
}

static void test_tcp_two_in_one(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 30, 1);
	n += prefixed(s + n, 45, 2);
	tcp4(f, 100, 1, 1000, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 1001, F_ACK | F_PSH, s, n);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 30, 1, 2);
	check_msg(&f->got[1], 45, 2, 2);
	tcp4(f, 300, 3, 1001 + (uint32_t)n, F_FIN | F_ACK, NULL, 0);
	tl_net_finish(f->n, 4);
	NO_ANOMS(f);
}

static void test_tcp_split_three(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 100, 3);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 1, F_ACK, s, 1); /* half the length prefix */
	tcp4(f, 300, 3, 2, F_ACK, s + 1, 50);
	assert_int_equal(f->ngot, 0);
	tcp4(f, 400, 4, 52, F_ACK, s + 51, n - 51);
	assert_int_equal(f->ngot, 1);
	check_msg(&f->got[0], 100, 3, 4);
	tl_net_finish(f->n, 5);
	NO_ANOMS(f);
}

static void test_tcp_retransmission_and_overlap(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 20, 4);
	size_t n2 = prefixed(s + n, 30, 5);
	tcp4(f, 100, 1, 500, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 501, F_ACK, s, n);
	tcp4(f, 300, 3, 501, F_ACK, s, n); /* retransmitted: dropped silently */
	assert_int_equal(f->ngot, 1);
	/* A segment overlapping the end of the first and carrying the second. */
	tcp4(f, 400, 4, 501 + (uint32_t)n - 5, F_ACK, s + n - 5, n2 + 5);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 20, 4, 2);
	check_msg(&f->got[1], 30, 5, 4);
	tl_net_finish(f->n, 5);
	NO_ANOMS(f);
}

static void test_tcp_out_of_order(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 40, 6);
	size_t n2 = prefixed(s + n, 50, 7);
	tcp4(f, 100, 1, 7000, F_SYN, NULL, 0);
	/* The second message's tail arrives first, then its head, then the first. */
	tcp4(f, 200, 2, 7001 + (uint32_t)n + 10, F_ACK, s + n + 10, n2 - 10);
	tcp4(f, 300, 3, 7001 + (uint32_t)n, F_ACK, s + n, 10);
	tcp4(f, 300, 3, 7001 + (uint32_t)n, F_ACK, s + n, 10); /* held twice: kept once */
	assert_int_equal(f->ngot, 0);
	tcp4(f, 400, 4, 7001, F_ACK, s, n);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 40, 6, 4);
	check_msg(&f->got[1], 50, 7, 4); /* completed when the gap filled */
	tl_net_finish(f->n, 5);
	NO_ANOMS(f);
}

static void test_tcp_midstream(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 25, 8);
	size_t n2 = prefixed(s + n, 25, 9);
	tcp4(f, 100, 1, 123456, F_ACK, NULL, 0); /* a bare ACK makes no flow */
	tcp4(f, 200, 2, 123456, F_ACK, s, n);
	tcp4(f, 300, 3, 123456 + (uint32_t)n, F_ACK, s + n, n2);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 25, 8, 2);
	check_msg(&f->got[1], 25, 9, 3);
	expect_anoms(f, TL_AN_TCP_MIDSTREAM, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_MIDSTREAM][0], 2);
	tl_net_finish(f->n, 4);
	expect_anoms(f, TL_AN_TCP_MIDSTREAM, 1, -1);
}

static void test_tcp_hole_on_fin(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 30, 10);
	size_t n2 = prefixed(s + n, 30, 11);
	size_t n3 = prefixed(s + n + n2, 30, 12);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 1, F_ACK, s, n + 5); /* message 1 and 5 bytes of message 2 */
	/* The rest of message 2 never arrives; message 3 does, then FIN. */
	tcp4(f, 600, 6, 1 + (uint32_t)(n + n2), F_ACK, s + n + n2, n3);
	assert_int_equal(f->ngot, 1);
	tcp4(f, 700, 7, 1 + (uint32_t)(n + n2 + n3), F_FIN | F_ACK, NULL, 0);
	/* FIN: the missing bytes are a hole; message 3 comes out with its own meta. */
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 30, 10, 2);
	check_msg(&f->got[1], 30, 12, 6);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 7);
	tl_net_finish(f->n, 8);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
}

/* Without FIN the hole is resolved when the capture ends. */
static void test_tcp_hole_at_finish(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 30, 10);
	size_t n2 = prefixed(s + n, 30, 11);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	tcp4(f, 300, 3, 1 + (uint32_t)n, F_ACK, s + n, n2 - 4);
	assert_int_equal(f->ngot, 0);
	tl_net_finish(f->n, 8);
	/* Skipped to the held segment, which is itself incomplete. */
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, TL_AN_TCP_INCOMPLETE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 8);
	assert_int_equal(f->an.first[TL_AN_TCP_INCOMPLETE][0], 8);
}

static void test_tcp_hole_on_rst(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 30, 10);
	size_t n2 = prefixed(s + n, 30, 11);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	tcp4(f, 300, 3, 1 + (uint32_t)n, F_ACK, s + n, n2);
	tcp4(f, 400, 4, 1 + (uint32_t)(n + n2), F_RST, NULL, 0);
	assert_int_equal(f->ngot, 1);
	check_msg(&f->got[0], 30, 11, 3);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 4);
	/* Retransmission after the reset: dropped, no new flow, no midstream. */
	tcp4(f, 500, 5, 1, F_ACK, s, n);
	assert_int_equal(f->ngot, 1);
	tl_net_finish(f->n, 6);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
}

static void test_tcp_bad_length(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 20, 13);
	put16(s + n, 5); /* bad: shorter than a DNS header */
	memset(s + n + 2, 0xab, 10);
	size_t bad = n + 12;
	size_t n3 = prefixed(s + bad, 22, 14);
	tcp4(f, 100, 1, 90, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 91, F_ACK, s, bad);
	assert_int_equal(f->ngot, 1);
	expect_anoms(f, TL_AN_TCP_BAD_LENGTH, 1, -1);
	/* The next segment starts a message again. */
	tcp4(f, 300, 3, 91 + (uint32_t)bad, F_ACK, s + bad, n3);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 20, 13, 2);
	check_msg(&f->got[1], 22, 14, 3);
	tl_net_finish(f->n, 4);
	expect_anoms(f, TL_AN_TCP_BAD_LENGTH, 1, -1);
}

static void test_tcp_fin_partial(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 60, 15);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 1, F_ACK, s, 30);
	tcp4(f, 300, 3, 31, F_FIN | F_ACK, s + 30, 10); /* FIN inside the message */
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_TCP_INCOMPLETE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_INCOMPLETE][0], 3);
	tl_net_finish(f->n, 4);
	expect_anoms(f, TL_AN_TCP_INCOMPLETE, 1, -1);
	(void)n;
}

static void test_tcp_partial_at_finish(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	prefixed(s, 60, 15);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 1, F_ACK, s, 30);
	tl_net_finish(f->n, 9);
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_TCP_INCOMPLETE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_INCOMPLETE][0], 9);
}

static void test_tcp_wraparound(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 40, 16);
	size_t n2 = prefixed(s + n, 40, 17);
	uint32_t isn = 0xffffffe0u;
	tcp4(f, 100, 1, isn, F_SYN, NULL, 0);
	/* Second segment first (its sequence number has wrapped past zero). */
	tcp4(f, 200, 2, isn + 1 + 30, F_ACK, s + 30, n + n2 - 30);
	assert_int_equal(f->ngot, 0);
	tcp4(f, 300, 3, isn + 1, F_ACK, s, 30);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 40, 16, 3);
	check_msg(&f->got[1], 40, 17, 3);
	/* Retransmission straddling the wrap: dropped. */
	tcp4(f, 400, 4, isn + 1 + 20, F_ACK, s + 20, 40);
	tcp4(f, 500, 5, isn + 1 + (uint32_t)(n + n2), F_FIN, NULL, 0);
	tl_net_finish(f->n, 6);
	assert_int_equal(f->ngot, 2);
	NO_ANOMS(f);
}

static void test_tcp_both_directions_and_v6(void **state)
{
	fx_t *f = *state;
	uint8_t s[400], t[500], p[600];
	size_t n = prefixed(s, 33, 18);
	/* Server -> client over IPv6, source port 53, SYN with the data (fast open). */
	size_t tl = tcp(t, 53, CPORT, 42, F_SYN | F_ACK, s, n);
	size_t l = ip6(p, 6, 77, t, tl);
	frame(f, 229, 100, 1, p, l);
	assert_int_equal(f->ngot, 1);
	check_v6_addrs(&f->got[0]);
	assert_int_equal(f->got[0].m.sport, 53);
	assert_int_equal(f->got[0].m.dport, CPORT);
	assert_int_equal(f->got[0].m.ip_ttl, 77);
	assert_int_equal(f->got[0].m.transport, TL_TRANSPORT_TCP);
	assert_int_equal(f->got[0].len, 33);
	assert_memory_equal(f->got[0].data, s + 2, 33);
	/* TCP on other ports: ignored. */
	tl = tcp(t, 443, CPORT, 42, F_ACK, s, n);
	l = ip6(p, 6, 77, t, tl);
	frame(f, 229, 100, 2, p, l);
	assert_int_equal(f->ngot, 1);
	NO_ANOMS(f);
}

static void test_tcp_malformed(void **state)
{
	fx_t *f = *state;
	uint8_t s[100], t[200], p[300];
	size_t n = prefixed(s, 20, 1);
	size_t tl = tcp(t, CPORT, 53, 1, F_ACK, s, n);
	t[12] = 4 << 4; /* data offset 4 words */
	size_t l = ip4(p, 6, t, tl);
	frame(f, 228, 1, 1, p, l);
	t[12] = 15 << 4; /* 60-byte header, longer than the segment */
	l = ip4(p, 6, t, 30);
	frame(f, 228, 1, 2, p, l);
	l = ip4(p, 6, t, 12); /* too short for a TCP header */
	frame(f, 228, 1, 3, p, l);
	t[12] = 5 << 4;
	l = ip4(p, 6, t, tl);
	frame(f, 228, 1, 4, p, 20 + 15); /* capture cut inside the TCP header */
	assert_int_equal(f->ngot, 0);
	expect_anoms(f, TL_AN_TCP_MALFORMED, 3, TL_AN_IP_TRUNCATED, 1, -1);
}

static void test_tcp_buffer_cap_and_hole(void **state)
{
	fx_t *f = *state;
	f->o.tcp_max_buffer = 100;
	fx_reopen(f);
	uint8_t s[400];
	size_t n = prefixed(s, 40, 20);  /* 42 */
	size_t n2 = prefixed(s + n, 40, 21); /* 42 */
	size_t n3 = prefixed(s + n + n2, 40, 22);
	size_t n4 = prefixed(s + n + n2 + n3, 40, 23);
	uint32_t b = 1;
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	/* Message 1 lost; 2 and 3 held (84 bytes); 4 would exceed 100. */
	tcp4(f, 200, 2, b + (uint32_t)n, F_ACK, s + n, n2);
	tcp4(f, 300, 3, b + (uint32_t)(n + n2), F_ACK, s + n + n2, n3);
	assert_int_equal(f->ngot, 0);
	tcp4(f, 400, 4, b + (uint32_t)(n + n2 + n3), F_ACK, s + n + n2 + n3, n4);
	assert_int_equal(f->ngot, 3);
	check_msg(&f->got[0], 40, 21, 2);
	check_msg(&f->got[1], 40, 22, 3);
	check_msg(&f->got[2], 40, 23, 4);
	expect_anoms(f, TL_AN_TCP_BUFFER_CAP, 1, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 4);
	tl_net_finish(f->n, 5);
	expect_anoms(f, TL_AN_TCP_BUFFER_CAP, 1, TL_AN_TCP_HOLE, 1, -1);
}

static void test_tcp_flow_cap_and_timeout(void **state)
{
	fx_t *f = *state;
	f->o.tcp_max_flows = 2;
	f->o.tcp_timeout_us = 1000;
	fx_reopen(f);
	uint8_t s[100], t[200], p[300];
	size_t n = prefixed(s, 20, 1);
	/* Three flows with a partial message each (ports 1001..1003). */
	for (uint16_t i = 0; i < 3; i++) {
		size_t tl = tcp(t, (uint16_t)(1001 + i), 53, 10, F_SYN, NULL, 0);
		size_t l = ip4(p, 6, t, tl);
		frame(f, 228, 10 + i, 1 + i * 2, p, l);
		tl = tcp(t, (uint16_t)(1001 + i), 53, 11, F_ACK, s, 10);
		l = ip4(p, 6, t, tl);
		frame(f, 228, 10 + i, 2 + i * 2, p, l);
	}
	/* The third flow evicted the first (least recently used). */
	expect_anoms(f, TL_AN_TCP_FLOW_CAP, 1, TL_AN_TCP_INCOMPLETE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_FLOW_CAP][0], 5);
	/* Flow 1002 completes its message. */
	size_t tl = tcp(t, 1002, 53, 21, F_ACK, s + 10, n - 10);
	size_t l = ip4(p, 6, t, tl);
	frame(f, 228, 20, 7, p, l);
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->got[0].m.sport, 1002);
	assert_int_equal(f->got[0].m.pos, 7);
	/* Idle flows expire: the sweep runs every 1024 frames (here: ICMP filler). */
	uint8_t icmp[28];
	memset(icmp, 0, sizeof(icmp));
	l = ip4(p, 1, icmp, 8);
	for (uint64_t i = 8; i <= 1024; i++)
		frame(f, 228, 5000, i, p, l);
	/* Both remaining flows expired: 1003 had a partial message. */
	expect_anoms(f, TL_AN_TCP_FLOW_CAP, 1, TL_AN_TCP_INCOMPLETE, 2, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_INCOMPLETE][1], 1024);
	tl_net_finish(f->n, 2000);
	expect_anoms(f, TL_AN_TCP_FLOW_CAP, 1, TL_AN_TCP_INCOMPLETE, 2, -1);
}

static void test_tcp_port_reuse(void **state)
{
	fx_t *f = *state;
	uint8_t s[400];
	size_t n = prefixed(s, 20, 30);
	tcp4(f, 100, 1, 100, F_SYN, NULL, 0);
	tcp4(f, 200, 2, 101, F_ACK, s, 10); /* partial */
	tcp4(f, 300, 3, 100, F_SYN, NULL, 0); /* SYN retransmitted: same connection */
	tcp4(f, 400, 4, 111, F_ACK, s + 10, n - 10);
	assert_int_equal(f->ngot, 1);
	check_msg(&f->got[0], 20, 30, 4);
	tcp4(f, 500, 5, 111 + (uint32_t)(n - 10), F_FIN, NULL, 0);
	/* A new connection on the same ports after FIN. */
	tcp4(f, 600, 6, 9000, F_SYN, NULL, 0);
	tcp4(f, 700, 7, 9001, F_ACK, s, n);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[1], 20, 30, 7);
	tl_net_finish(f->n, 8);
	NO_ANOMS(f);
}

/* The same out-of-order segment retransmitted is held once: no buffer cap. */
static void test_tcp_held_duplicates(void **state)
{
	fx_t *f = *state;
	f->o.tcp_max_buffer = 100;
	fx_reopen(f);
	uint8_t s[400];
	size_t n = prefixed(s, 40, 40);
	size_t n2 = prefixed(s + n, 40, 41);
	tcp4(f, 100, 1, 0, F_SYN, NULL, 0);
	for (uint64_t i = 0; i < 5; i++)
		tcp4(f, 200, 2 + i, 1 + (uint32_t)n, F_ACK, s + n, n2);
	NO_ANOMS(f);
	tcp4(f, 800, 8, 1, F_ACK, s, n);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 40, 40, 8);
	check_msg(&f->got[1], 40, 41, 8);
	tl_net_finish(f->n, 9);
	NO_ANOMS(f);
}

/* Ethernet pads short frames to 60 bytes: the padding must not enter the stream. */
static void test_tcp_ethernet_padding(void **state)
{
	fx_t *f = *state;
	uint8_t s[100], t[200], p[300], fr[400];
	size_t n = prefixed(s, 16, 31);
	uint32_t seq = 5;
	for (size_t off = 0; off < n; off += 3) {
		size_t take = n - off < 3 ? n - off : 3;
		size_t tl = tcp(t, CPORT, 53, seq + (uint32_t)off, F_ACK, s + off, take);
		size_t l = ip4(p, 6, t, tl);
		size_t fl = eth(fr, 0x0800, p, l);
		memset(fr + fl, 0xee, 60 - fl);
		frame(f, DLT_EN10MB, 100, 1, fr, 60);
	}
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->got[0].len, 16);
	assert_memory_equal(f->got[0].data, s + 2, 16);
	expect_anoms(f, TL_AN_TCP_MIDSTREAM, 1, -1);
}

/* ---- TCP: acknowledgments of bytes the capture missed ---- */

/* Builds one IPv4 TCP segment with an explicit acknowledgment number, from the client
 * (192.0.2.1:CPORT -> 198.51.100.53:53) or from the server (the reverse); TTL as tcp4. */
static size_t tcp4_build(uint8_t *p, int from_client, uint64_t pos, uint32_t seq, uint32_t ack,
			 uint8_t flags, const uint8_t *d, size_t len)
{
	static uint8_t t[70000];
	size_t tl = from_client ? tcp(t, CPORT, 53, seq, flags, d, len)
				: tcp(t, 53, CPORT, seq, flags, d, len);
	put32(t + 8, ack);
	size_t l = ip4x(p, 6, 1, 0x4000, (uint8_t)(40 + pos % 10), 0, t, tl);
	if (!from_client) {
		memcpy(p + 12, B4, 4);
		memcpy(p + 16, A4, 4);
	}
	return l;
}

/* Sends it whole at ts = pos * 100. */
static void tcp4a(fx_t *f, int from_client, uint64_t pos, uint32_t seq, uint32_t ack,
		  uint8_t flags, const uint8_t *d, size_t len)
{
	static uint8_t p[70100];
	size_t l = tcp4_build(p, from_client, pos, seq, ack, flags, d, len);
	frame(f, 228, (int64_t)pos * 100, pos, p, l);
}

#define CLI 1
#define SRV 0

/* The case tlgen writes as tcp-hole.pcap: query 2 was sent but not captured, query 3
 * is held behind the gap, and the server's first response acknowledges all three.
 * The gap is a hole at once: query 3 comes out before the response, with its own
 * frame's ts and pos (input order), not when the flow ends. The client's sequence
 * numbers wrap past zero on the way. */
static void test_tcp_ack_beyond_held(void **state)
{
	fx_t *f = *state;
	uint8_t q[400], r[400];
	size_t n1 = prefixed(q, 30, 1);
	size_t n2 = prefixed(q + n1, 31, 2);
	size_t n3 = prefixed(q + n1 + n2, 32, 3);
	size_t m1 = prefixed(r, 40, 11);
	uint32_t c = 0xfffffff0u, s = 5000;
	uint32_t cq3 = c + 1 + (uint32_t)(n1 + n2), cend = cq3 + (uint32_t)n3;

	tcp4a(f, CLI, 1, c, 0, F_SYN, NULL, 0);
	tcp4a(f, SRV, 2, s, c + 1, F_SYN | F_ACK, NULL, 0);
	tcp4a(f, CLI, 3, c + 1, s + 1, F_ACK, NULL, 0);
	tcp4a(f, CLI, 4, c + 1, s + 1, F_ACK | F_PSH, q, n1);
	tcp4a(f, CLI, 5, cq3, s + 1, F_ACK | F_PSH, q + n1 + n2, n3);
	assert_int_equal(f->ngot, 1);
	NO_ANOMS(f);
	tcp4a(f, SRV, 6, s + 1, cend, F_ACK | F_PSH, r, m1);
	assert_int_equal(f->ngot, 3);
	check_msg_dir(&f->got[0], 30, 1, 4, CLI);
	check_msg_dir(&f->got[1], 32, 3, 5, CLI);
	check_msg_dir(&f->got[2], 40, 11, 6, SRV);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 6);
	/* The same ACK again, and a late copy of the acknowledged bytes: nothing new. */
	tcp4a(f, SRV, 7, s + 1 + (uint32_t)m1, cend, F_ACK, NULL, 0);
	tcp4a(f, CLI, 8, c + 1 + (uint32_t)n1, s + 1, F_ACK, q + n1, n2);
	tcp4a(f, CLI, 9, cend, s + 1 + (uint32_t)m1, F_FIN | F_ACK, NULL, 0);
	tcp4a(f, SRV, 10, s + 1 + (uint32_t)m1, cend + 1, F_FIN | F_ACK, NULL, 0);
	tcp4a(f, CLI, 11, cend + 1, s + 2 + (uint32_t)m1, F_ACK, NULL, 0);
	tl_net_finish(f->n, 12);
	assert_int_equal(f->ngot, 3);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
}

/* The ACK comes before the segment after the gap (nothing held yet): the hole is
 * counted when that segment arrives, which is delivered at once. */
static void test_tcp_ack_beyond_nothing_held(void **state)
{
	fx_t *f = *state;
	uint8_t q[400];
	size_t n1 = prefixed(q, 30, 1);
	size_t n2 = prefixed(q + n1, 31, 2);
	size_t n3 = prefixed(q + n1 + n2, 32, 3);
	size_t n4 = prefixed(q + n1 + n2 + n3, 33, 4);
	uint32_t q3 = 101 + (uint32_t)(n1 + n2);

	tcp4a(f, CLI, 1, 100, 0, F_SYN, NULL, 0);
	tcp4a(f, CLI, 2, 101, 1, F_ACK, q, n1);
	/* A bare ACK from the server (whose own flow we never saw start) covers query 2
	 * and half of query 3. */
	tcp4a(f, SRV, 3, 1, q3 + 10, F_ACK, NULL, 0);
	assert_int_equal(f->ngot, 1);
	NO_ANOMS(f);
	tcp4a(f, CLI, 4, q3, 1, F_ACK, q + n1 + n2, n3);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[1], 32, 3, 4);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 4);
	tcp4a(f, CLI, 5, q3 + (uint32_t)n3, 1, F_ACK, q + n1 + n2 + n3, n4);
	assert_int_equal(f->ngot, 3);
	check_msg(&f->got[2], 33, 4, 5);
	tl_net_finish(f->n, 6);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
}

/* ACKs at or behind the next byte expected, a SYN's ACK and an acknowledgment field
 * without the ACK flag say nothing about missing bytes: the reordered segment still
 * fills its gap when it comes. */
static void test_tcp_ack_normal(void **state)
{
	fx_t *f = *state;
	uint8_t q[400];
	size_t n1 = prefixed(q, 30, 1);
	size_t n2 = prefixed(q + n1, 31, 2);
	uint32_t end = 1 + (uint32_t)(n1 + n2);

	tcp4a(f, CLI, 1, 0, 0, F_SYN, NULL, 0);
	tcp4a(f, SRV, 2, 900, 1, F_SYN | F_ACK, NULL, 0);
	tcp4a(f, CLI, 3, 1 + (uint32_t)n1, 901, F_ACK, q + n1, n2); /* held */
	tcp4a(f, SRV, 4, 901, 1, F_ACK, NULL, 0);                     /* duplicate ACK */
	tcp4a(f, SRV, 5, 901, 0, F_ACK, NULL, 0);                     /* behind */
	tcp4a(f, SRV, 6, 900, end, F_SYN | F_ACK, NULL, 0);           /* SYN: ignored */
	tcp4a(f, SRV, 7, 901, end, F_PSH, NULL, 0);                   /* no ACK flag */
	tcp4a(f, SRV, 8, 901, 0x80000001u, F_ACK, NULL, 0);           /* 2^31 ahead: behind */
	assert_int_equal(f->ngot, 0);
	NO_ANOMS(f);
	tcp4a(f, CLI, 9, 1, 901, F_ACK, q, n1);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 30, 1, 9);
	check_msg(&f->got[1], 31, 2, 9);
	tcp4a(f, SRV, 10, 901, end, F_ACK, NULL, 0); /* equal to the next byte expected */
	tl_net_finish(f->n, 11);
	assert_int_equal(f->ngot, 2);
	NO_ANOMS(f);
}

/* The ACK covers the missing bytes only up to a segment still on its way: the held
 * segment after that is not skipped to; the late segment ends the hole and fills
 * the rest of the gap. */
static void test_tcp_ack_partial_gap(void **state)
{
	fx_t *f = *state;
	uint8_t q[400];
	size_t n1 = prefixed(q, 30, 1);
	size_t n2 = prefixed(q + n1, 31, 2);
	size_t n3 = prefixed(q + n1 + n2, 32, 3);
	size_t n4 = prefixed(q + n1 + n2 + n3, 33, 4);
	uint32_t q3 = 1 + (uint32_t)(n1 + n2), q4 = q3 + (uint32_t)n3;

	tcp4a(f, CLI, 1, 0, 0, F_SYN, NULL, 0);
	tcp4a(f, CLI, 2, 1, 1, F_ACK, q, n1);
	tcp4a(f, CLI, 3, q4, 1, F_ACK, q + n1 + n2 + n3, n4); /* held */
	tcp4a(f, SRV, 4, 1, q3, F_ACK, NULL, 0);              /* query 2 reached the server */
	assert_int_equal(f->ngot, 1);
	NO_ANOMS(f);
	tcp4a(f, CLI, 5, q3, 1, F_ACK, q + n1 + n2, n3);
	assert_int_equal(f->ngot, 3);
	check_msg(&f->got[1], 32, 3, 5);
	check_msg(&f->got[2], 33, 4, 5); /* completed by frame 5, as any filled gap */
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 5);
	tl_net_finish(f->n, 6);
	expect_anoms(f, TL_AN_TCP_HOLE, 1, -1);
}

/* One ACK beyond two gaps: two holes, each held segment with its own frame's meta. */
static void test_tcp_ack_two_gaps(void **state)
{
	fx_t *f = *state;
	uint8_t q[400];
	size_t n1 = prefixed(q, 30, 1);
	size_t n2 = prefixed(q + n1, 31, 2);
	size_t n3 = prefixed(q + n1 + n2, 32, 3);
	size_t n4 = prefixed(q + n1 + n2 + n3, 33, 4);
	uint32_t q2 = 1 + (uint32_t)n1, q4 = q2 + (uint32_t)(n2 + n3);

	tcp4a(f, CLI, 1, 0, 0, F_SYN, NULL, 0);
	tcp4a(f, CLI, 2, q2, 1, F_ACK, q + n1, n2);
	tcp4a(f, CLI, 3, q4, 1, F_ACK, q + n1 + n2 + n3, n4);
	assert_int_equal(f->ngot, 0);
	tcp4a(f, SRV, 4, 1, q4 + (uint32_t)n4, F_ACK, NULL, 0);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[0], 31, 2, 2);
	check_msg(&f->got[1], 33, 4, 3);
	expect_anoms(f, TL_AN_TCP_HOLE, 2, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 4);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][1], 4);
	tl_net_finish(f->n, 5);
	expect_anoms(f, TL_AN_TCP_HOLE, 2, -1);
}

/* An ACK of a FIN is one beyond the data: no hole, whether the FIN was seen or not. */
static void test_tcp_ack_of_fin(void **state)
{
	fx_t *f = *state;
	uint8_t q[400];
	size_t n1 = prefixed(q, 30, 1);
	uint32_t fin = 1 + (uint32_t)n1;

	tcp4a(f, CLI, 1, 0, 0, F_SYN, NULL, 0);
	tcp4a(f, CLI, 2, 1, 1, F_ACK, q, n1);
	tcp4a(f, SRV, 3, 1, fin + 1, F_ACK, NULL, 0); /* the FIN was not captured */
	tl_net_finish(f->n, 4);
	assert_int_equal(f->ngot, 1);
	NO_ANOMS(f);

	fx_reopen(f);
	tcp4a(f, CLI, 1, 0, 0, F_SYN, NULL, 0);
	tcp4a(f, CLI, 2, 1, 1, F_ACK, q, n1);
	tcp4a(f, CLI, 3, fin, 1, F_FIN | F_ACK, NULL, 0);
	tcp4a(f, SRV, 4, 1, fin + 1, F_ACK, NULL, 0);
	tl_net_finish(f->n, 5);
	assert_int_equal(f->ngot, 2);
	NO_ANOMS(f);
}

/* A segment cut by the capture leaves part of a message; the peer's ACK shows the
 * rest was delivered, so the next segment is a hole at once and starts a message. */
static void test_tcp_cut_segment_then_ack(void **state)
{
	fx_t *f = *state;
	uint8_t q[400], p[600];
	size_t n1 = prefixed(q, 30, 1);
	size_t n2 = prefixed(q + n1, 31, 2);
	size_t n3 = prefixed(q + n1 + n2, 32, 3);
	uint32_t q3 = 1 + (uint32_t)(n1 + n2);

	tcp4a(f, CLI, 1, 0, 0, F_SYN, NULL, 0);
	size_t l = tcp4_build(p, CLI, 2, 1, 1, F_ACK, q, n1 + n2);
	frame(f, 228, 200, 2, p, l - n2 + 3); /* 3 bytes of query 2 captured */
	assert_int_equal(f->ngot, 1);
	check_msg(&f->got[0], 30, 1, 2);
	expect_anoms(f, TL_AN_IP_TRUNCATED, 1, -1);
	tcp4a(f, SRV, 3, 1, q3, F_ACK, NULL, 0);
	tcp4a(f, CLI, 4, q3, 1, F_ACK, q + n1 + n2, n3);
	assert_int_equal(f->ngot, 2);
	check_msg(&f->got[1], 32, 3, 4);
	tl_net_finish(f->n, 5);
	/* The partial query 2 went with the hole: not also an incomplete message. */
	expect_anoms(f, TL_AN_IP_TRUNCATED, 1, TL_AN_TCP_HOLE, 1, -1);
	assert_int_equal(f->an.first[TL_AN_TCP_HOLE][0], 4);
}

/* A hostile mix: random-looking bytes on every link type must never crash. */
static void test_garbage(void **state)
{
	fx_t *f = *state;
	uint8_t b[256];
	uint32_t x = 12345;
	int dlts[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	for (int r = 0; r < 3000; r++) {
		size_t len = (size_t)(r % 120);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			b[i] = (uint8_t)(x >> 16);
		}
		/* Make the IP layer plausible often enough to get deeper. */
		if (len > 20 && (r & 1)) {
			b[0] = 0x45;
			b[9] = (r & 2) ? 6 : 17;
			put16(b + 2, (uint16_t)len);
			put16(b + 20, 53);
		}
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, b, len);
		frame(f, dlts[r % 10], r, (uint64_t)r + 1, copy, len);
		free(copy);
	}
	tl_net_finish(f->n, 3001);
	assert_true(tl_anomaly_total(&f->an) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dlt_table),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test_setup_teardown(test_link_ipv4_ipv6_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_options_and_padding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_malformed, setup, teardown),
		cmocka_unit_test(test_truncation_every_layer_v4),
		cmocka_unit_test(test_truncation_every_layer_v6),
		cmocka_unit_test_setup_teardown(test_udp_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag4_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag4_out_of_order_and_dup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag4_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag4_incomplete_and_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag4_caps_and_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_ext_and_frag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_ext_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_two_in_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_split_three, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_retransmission_and_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_midstream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_hole_on_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_hole_at_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_hole_on_rst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_bad_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_fin_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_partial_at_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_wraparound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_both_directions_and_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_buffer_cap_and_hole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_flow_cap_and_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_port_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_held_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ethernet_padding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ack_beyond_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ack_beyond_nothing_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ack_normal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ack_partial_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ack_two_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ack_of_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_cut_segment_then_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
