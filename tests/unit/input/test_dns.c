/* test_dns.c - DNS message decoding: fields, rdata text, EDNS, and hostile wire forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Only to build reference messages and texts for the cross-check with ldns. */
#include <ldns/ldns.h>

#include "input/dns/dns.h"
#include "util/error.h"

#define POS 7 /* the frame number given to every decode */

/* ---- a small wire-format builder ---- */

typedef struct wb {
	uint8_t b[4096];
	size_t n;
} wb_t;

static void put(wb_t *w, const void *p, size_t n)
{
	assert_true(w->n + n <= sizeof(w->b));
	if (n)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void p8(wb_t *w, unsigned v)
{
	uint8_t b = (uint8_t)v;
	put(w, &b, 1);
}

static void p16(wb_t *w, unsigned v)
{
	p8(w, v >> 8);
	p8(w, v & 0xFF);
}

static void p32(wb_t *w, uint32_t v)
{
	p16(w, v >> 16);
	p16(w, v & 0xFFFF);
}

/* "www.example.com" as labels; "" is the root. No escapes. */
static void pname(wb_t *w, const char *dotted)
{
	while (*dotted) {
		const char *dot = strchr(dotted, '.');
		size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
		p8(w, (unsigned)n);
		put(w, dotted, n);
		dotted += n;
		if (*dotted == '.')
			dotted++;
	}
	p8(w, 0);
}

static void phdr(wb_t *w, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns,
		 unsigned ar)
{
	w->n = 0;
	p16(w, id);
	p16(w, flags);
	p16(w, qd);
	p16(w, an);
	p16(w, ns);
	p16(w, ar);
}

static void pq(wb_t *w, const char *name, unsigned type, unsigned qclass)
{
	pname(w, name);
	p16(w, type);
	p16(w, qclass);
}

/* Writes TYPE CLASS TTL and a placeholder RDLENGTH; returns where RDLENGTH is. */
static size_t prr_fixed(wb_t *w, unsigned type, unsigned rclass, uint32_t ttl)
{
	p16(w, type);
	p16(w, rclass);
	p32(w, ttl);
	size_t at = w->n;
	p16(w, 0);
	return at;
}

static void prr_end(wb_t *w, size_t at)
{
	size_t len = w->n - at - 2;
	w->b[at] = (uint8_t)(len >> 8);
	w->b[at + 1] = (uint8_t)len;
}

static void prr(wb_t *w, const char *owner, unsigned type, uint32_t ttl, const void *rd, size_t n)
{
	pname(w, owner);
	size_t at = prr_fixed(w, type, 1, ttl);
	put(w, rd, n);
	prr_end(w, at);
}

/* ---- decoding with a fresh record, the message copied to an exact-size buffer ---- */

typedef struct ctx {
	tl_arena_t arena;
	tl_anomalies_t an;
	tl_record_t rec;
	uint8_t *copy;
} ctx_t;

static int setup(void **state)
{
	ctx_t *c = calloc(1, sizeof(*c));
	tl_arena_init(&c->arena, 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ctx_t *c = *state;
	tl_arena_free(&c->arena);
	free(c->copy);
	free(c);
	return 0;
}

static int decode(ctx_t *c, const uint8_t *msg, size_t len)
{
	free(c->copy);
	c->copy = malloc(len ? len : 1); /* exact size: ASan sees any over-read */
	assert_non_null(c->copy);
	if (len)
		memcpy(c->copy, msg, len);
	memset(&c->rec, 0, sizeof(c->rec));
	c->rec.latency_us = -1;
	c->rec.pos = 99;
	c->rec.sport = 5353;
	memset(&c->an, 0, sizeof(c->an));
	tl_arena_reset(&c->arena);
	return tl_dns_decode(c->copy, len, &c->rec, &c->arena, &c->an, POS);
}

static int decode_wb(ctx_t *c, const wb_t *w)
{
	return decode(c, w->b, w->n);
}

static void no_anomaly(const ctx_t *c)
{
	assert_int_equal(tl_anomaly_total(&c->an), 0);
}

static void only_anomaly(const ctx_t *c, tl_anomaly_kind_t kind)
{
	if (tl_anomaly_total(&c->an) != 1 || c->an.count[kind] != 1) {
		for (int k = 0; k < TL_AN__COUNT; k++)
			if (c->an.count[k])
				print_error("anomaly %s x%llu\n", tl_anomaly_name(k),
					    (unsigned long long)c->an.count[k]);
	}
	assert_int_equal(tl_anomaly_total(&c->an), 1);
	assert_int_equal(c->an.count[kind], 1);
	assert_int_equal(c->an.first[kind][0], POS);
}

#define HDR_KNOWN (TL_KNOWN_ID | TL_KNOWN_QR | TL_KNOWN_OPCODE | TL_KNOWN_RCODE | TL_KNOWN_FLAGS)
#define ALL_KNOWN (HDR_KNOWN | TL_KNOWN_ANSWERS | TL_KNOWN_SECTIONS | TL_KNOWN_EDNS)

static void assert_rr(const tl_rr_t *rr, const char *name, unsigned type, int64_t ttl,
		      const char *data)
{
	assert_string_equal(rr->name, name);
	assert_int_equal(rr->type, type);
	assert_int_equal(rr->rclass, 1);
	assert_int_equal(rr->ttl, ttl);
	assert_string_equal(rr->data, data);
}

/* ---- well-formed messages ---- */

static void test_plain_query(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 0x1234, 0x0100, 1, 0, 0, 0);
	pq(&w, "www.Example.com", 1, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.id, 0x1234);
	assert_int_equal(c->rec.qr, 0);
	assert_int_equal(c->rec.opcode, 0);
	assert_int_equal(c->rec.rcode, 0);
	assert_int_equal(c->rec.flags, TL_FLAG_RD);
	assert_string_equal(c->rec.qname, "www.Example.com.");
	assert_int_equal(c->rec.qtype, 1);
	assert_int_equal(c->rec.qclass, 1);
	assert_int_equal(c->rec.qdcount, 1);
	assert_int_equal(c->rec.ancount + c->rec.nscount + c->rec.arcount, 0);
	assert_int_equal(c->rec.n_answers + c->rec.n_authority + c->rec.n_additional, 0);
	assert_null(c->rec.edns);
	assert_int_equal(c->rec.known, ALL_KNOWN);
	assert_int_equal(c->rec.partial, 0);
	/* fields that belong to the caller are left alone */
	assert_int_equal(c->rec.pos, 99);
	assert_int_equal(c->rec.sport, 5353);
	assert_int_equal(c->rec.latency_us, -1);
}

static void test_root_question_and_no_question(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 1, 0, 1, 0, 0, 0);
	pq(&w, "", 2, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_string_equal(c->rec.qname, ".");
	assert_int_equal(c->rec.qtype, 2);

	phdr(&w, 1, 0x8000, 0, 0, 0, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_null(c->rec.qname);
	assert_int_equal(c->rec.qr, 1);
	assert_int_equal(c->rec.known, ALL_KNOWN);
}

/* A response with every common type. The question name sits at offset 12, so
 * "example.com" is at 16 and compression pointers can refer to it. */
static void test_answer_types(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 0xBEEF, 0x8180, 1, 8, 0, 0);
	pq(&w, "www.example.com", 255, 1);
	const uint8_t ptr_example[] = {0xC0, 16}, ptr_www[] = {0xC0, 12};

	/* CNAME host.example.com. (compressed suffix) */
	put(&w, ptr_www, 2);
	size_t at = prr_fixed(&w, 5, 1, 300);
	size_t host = w.n;
	p8(&w, 4);
	put(&w, "host", 4);
	put(&w, ptr_example, 2);
	prr_end(&w, at);
	/* A, AAAA */
	const uint8_t a[] = {192, 0, 2, 1};
	const uint8_t aaaa[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	p8(&w, 0xC0);
	p8(&w, host);
	at = prr_fixed(&w, 1, 1, 60);
	put(&w, a, 4);
	prr_end(&w, at);
	p8(&w, 0xC0);
	p8(&w, host);
	at = prr_fixed(&w, 28, 1, 0x7FFFFFFF);
	put(&w, aaaa, 16);
	prr_end(&w, at);
	/* MX 10 mail.example.com. */
	put(&w, ptr_example, 2);
	at = prr_fixed(&w, 15, 1, 3600);
	p16(&w, 10);
	p8(&w, 4);
	put(&w, "mail", 4);
	put(&w, ptr_example, 2);
	prr_end(&w, at);
	/* NS ns1.example.com. (uncompressed) */
	put(&w, ptr_example, 2);
	at = prr_fixed(&w, 2, 1, 86400);
	pname(&w, "ns1.example.com");
	prr_end(&w, at);
	/* PTR, owner uncompressed */
	pname(&w, "1.2.0.192.in-addr.arpa");
	at = prr_fixed(&w, 12, 1, 120);
	p8(&w, 0xC0);
	p8(&w, host);
	prr_end(&w, at);
	/* TXT with two strings, one needing escapes */
	put(&w, ptr_example, 2);
	at = prr_fixed(&w, 16, 1, 5);
	p8(&w, 11);
	put(&w, "hello world", 11);
	p8(&w, 6);
	put(&w, "a\"b\\c\x07", 6);
	prr_end(&w, at);
	/* SOA; TTL with the top bit set is kept as sent */
	put(&w, ptr_example, 2);
	at = prr_fixed(&w, 6, 1, 0xFFFFFFFFu);
	pname(&w, "ns1.example.com");
	p8(&w, 10);
	put(&w, "hostmaster", 10);
	put(&w, ptr_example, 2);
	p32(&w, 2024010101);
	p32(&w, 7200);
	p32(&w, 3600);
	p32(&w, 1209600);
	p32(&w, 300);
	prr_end(&w, at);

	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.id, 0xBEEF);
	assert_int_equal(c->rec.qr, 1);
	assert_int_equal(c->rec.flags, TL_FLAG_RD | TL_FLAG_RA);
	assert_int_equal(c->rec.qtype, 255);
	assert_int_equal(c->rec.ancount, 8);
	assert_int_equal(c->rec.n_answers, 8);
	assert_int_equal(c->rec.known, ALL_KNOWN);
	const tl_rr_t *r = c->rec.answers;
	assert_rr(&r[0], "www.example.com.", 5, 300, "host.example.com.");
	assert_rr(&r[1], "host.example.com.", 1, 60, "192.0.2.1");
	assert_rr(&r[2], "host.example.com.", 28, 0x7FFFFFFF, "2001:db8::1");
	assert_rr(&r[3], "example.com.", 15, 3600, "10 mail.example.com.");
	assert_rr(&r[4], "example.com.", 2, 86400, "ns1.example.com.");
	assert_rr(&r[5], "1.2.0.192.in-addr.arpa.", 12, 120, "host.example.com.");
	assert_rr(&r[6], "example.com.", 16, 5, "\"hello world\" \"a\\\"b\\\\c\\007\"");
	assert_rr(&r[7], "example.com.", 6, 4294967295LL,
		  "ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300");
}

static void test_authority_additional(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	const uint8_t glue[] = {198, 51, 100, 7}, glue2[] = {198, 51, 100, 8};
	phdr(&w, 9, 0x8000, 1, 0, 2, 3);
	pq(&w, "a.example.org", 1, 1);
	prr(&w, "example.org", 2, 172800, "\x02ns\xC0\x0E", 5);  /* ns.example.org. */
	prr(&w, "example.org", 2, 172800, "\x03ns2\xC0\x0E", 6); /* ns2.example.org. */
	prr(&w, "ns.example.org", 1, 3600, glue, 4);
	/* OPT between the glue records: not listed */
	p8(&w, 0);
	size_t at = prr_fixed(&w, 41, 4096, 0);
	prr_end(&w, at);
	prr(&w, "ns2.example.org", 1, 3600, glue2, 4);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.n_answers, 0);
	assert_int_equal(c->rec.n_authority, 2);
	assert_rr(&c->rec.authority[0], "example.org.", 2, 172800, "ns.example.org.");
	assert_rr(&c->rec.authority[1], "example.org.", 2, 172800, "ns2.example.org.");
	assert_int_equal(c->rec.arcount, 3);
	assert_int_equal(c->rec.n_additional, 2);
	assert_rr(&c->rec.additional[0], "ns.example.org.", 1, 3600, "198.51.100.7");
	assert_rr(&c->rec.additional[1], "ns2.example.org.", 1, 3600, "198.51.100.8");
	assert_non_null(c->rec.edns);
	assert_int_equal(c->rec.edns->udp_size, 4096);
	assert_int_equal(c->rec.edns->n_options, 0);
	assert_int_equal(c->rec.known, ALL_KNOWN);
}

/* Appends an OPT RR with the given TTL word and option bytes. */
static void popt(wb_t *w, unsigned udp, uint32_t ttl, const void *opts, size_t n)
{
	p8(w, 0);
	size_t at = prr_fixed(w, 41, udp, ttl);
	put(w, opts, n);
	prr_end(w, at);
}

static void test_edns_options_and_ecs(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	/* cookie (10, 8 bytes), ECS 198.51.100.0/24 scope 0, padding (12, 0 bytes) */
	const uint8_t opts[] = {0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8,
				0, 8, 0, 7, 0, 1, 24, 0, 198, 51, 100,
				0, 12, 0, 0};
	phdr(&w, 2, 0x0100, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 1232, 0x00008000, opts, sizeof(opts));
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	const tl_edns_t *e = c->rec.edns;
	assert_non_null(e);
	assert_int_equal(e->udp_size, 1232);
	assert_int_equal(e->version, 0);
	assert_int_equal(e->do_bit, 1);
	assert_int_equal(e->n_options, 3);
	assert_int_equal(e->option_codes[0], 10);
	assert_int_equal(e->option_codes[1], 8);
	assert_int_equal(e->option_codes[2], 12);
	assert_int_equal(e->has_ecs, 1);
	assert_int_equal(e->ecs_family, 1);
	assert_int_equal(e->ecs_source_prefix, 24);
	assert_int_equal(e->ecs_scope_prefix, 0);
	assert_string_equal(e->ecs_address, "198.51.100.0");
	assert_int_equal(c->rec.n_additional, 0);
	assert_int_equal(c->rec.arcount, 1);
	assert_int_equal(c->rec.rcode, 0);
	assert_int_equal(c->rec.known, ALL_KNOWN);

	/* IPv6 2001:db8:1234:5600::/56, scope 48; version 1, DO clear */
	const uint8_t v6[] = {0, 8, 0, 11, 0, 2, 56, 48, 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56};
	phdr(&w, 2, 0x8000, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 512, 0x00010000, v6, sizeof(v6));
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	e = c->rec.edns;
	assert_int_equal(e->udp_size, 512);
	assert_int_equal(e->version, 1);
	assert_int_equal(e->do_bit, 0);
	assert_int_equal(e->n_options, 1);
	assert_int_equal(e->has_ecs, 1);
	assert_int_equal(e->ecs_family, 2);
	assert_int_equal(e->ecs_source_prefix, 56);
	assert_int_equal(e->ecs_scope_prefix, 48);
	assert_string_equal(e->ecs_address, "2001:db8:1234:5600::");

	/* ECS /0: no address bytes */
	const uint8_t zero[] = {0, 8, 0, 4, 0, 1, 0, 0};
	phdr(&w, 2, 0, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 512, 0, zero, sizeof(zero));
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.edns->has_ecs, 1);
	assert_string_equal(c->rec.edns->ecs_address, "0.0.0.0");
}

static void check_bad_ecs(ctx_t *c, const uint8_t *opts, size_t n)
{
	wb_t w;
	phdr(&w, 2, 0, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 1232, 0, opts, n);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_EDNS);
	assert_non_null(c->rec.edns);
	assert_int_equal(c->rec.edns->has_ecs, 0);
	assert_null(c->rec.edns->ecs_address);
	assert_int_equal(c->rec.edns->n_options, 1);
	assert_int_equal(c->rec.edns->option_codes[0], 8);
	assert_int_equal(c->rec.edns->udp_size, 1232);
	assert_int_equal(c->rec.partial, 0);
	assert_string_equal(c->rec.qname, "example.net.");
}

static void test_edns_bad_ecs(void **state)
{
	ctx_t *c = *state;
	/* /24 but four address bytes */
	const uint8_t extra[] = {0, 8, 0, 8, 0, 1, 24, 0, 198, 51, 100, 1};
	check_bad_ecs(c, extra, sizeof(extra));
	/* /25 but three address bytes */
	const uint8_t few[] = {0, 8, 0, 7, 0, 1, 25, 0, 198, 51, 100};
	check_bad_ecs(c, few, sizeof(few));
	/* family 3 */
	const uint8_t fam[] = {0, 8, 0, 5, 0, 3, 8, 0, 1};
	check_bad_ecs(c, fam, sizeof(fam));
	/* IPv4 source prefix 33 */
	const uint8_t big[] = {0, 8, 0, 9, 0, 1, 33, 0, 1, 2, 3, 4, 5};
	check_bad_ecs(c, big, sizeof(big));
	/* IPv4 scope prefix 33 */
	const uint8_t scope[] = {0, 8, 0, 5, 0, 1, 8, 33, 10};
	check_bad_ecs(c, scope, sizeof(scope));
	/* shorter than family + prefixes */
	const uint8_t tiny[] = {0, 8, 0, 3, 0, 1, 8};
	check_bad_ecs(c, tiny, sizeof(tiny));
}

static void test_edns_malformed(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	/* option length beyond the rdata: the first option is kept */
	const uint8_t over[] = {0, 10, 0, 2, 1, 2, 0, 12, 0, 9, 0};
	phdr(&w, 2, 0, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 1232, 0, over, sizeof(over));
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_EDNS);
	assert_int_equal(c->rec.edns->n_options, 1);
	assert_int_equal(c->rec.edns->option_codes[0], 10);

	/* two OPT records: the first counts, one anomaly */
	phdr(&w, 2, 0, 1, 0, 0, 2);
	pq(&w, "example.net", 1, 1);
	popt(&w, 1232, 0x01008000, NULL, 0);
	popt(&w, 512, 0, NULL, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_EDNS);
	assert_int_equal(c->rec.edns->udp_size, 1232);
	assert_int_equal(c->rec.edns->do_bit, 1);
	assert_int_equal(c->rec.rcode, 16);
	assert_int_equal(c->rec.n_additional, 0);

	/* OPT owner not the root */
	phdr(&w, 2, 0, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	pname(&w, "x");
	size_t at = prr_fixed(&w, 41, 1400, 0);
	prr_end(&w, at);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_EDNS);
	assert_int_equal(c->rec.edns->udp_size, 1400);
}

static void test_extended_rcode(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	/* BADVERS: header RCODE 0, OPT extended RCODE 1 -> 16 */
	phdr(&w, 3, 0x8000, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 1232, 0x01000000, NULL, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.rcode, 16);
	char buf[16];
	snprintf(buf, sizeof(buf), "rcode %u", c->rec.rcode);
	assert_string_equal(buf, "rcode 16");

	/* header RCODE 3 with extended 0xFF -> 4083 */
	phdr(&w, 3, 0x8003, 1, 0, 0, 1);
	pq(&w, "example.net", 1, 1);
	popt(&w, 1232, 0xFF000000, NULL, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	assert_int_equal(c->rec.rcode, 0xFF3);

	/* no OPT: header RCODE only */
	phdr(&w, 3, 0x8003, 1, 0, 0, 0);
	pq(&w, "example.net", 1, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	assert_int_equal(c->rec.rcode, 3);
	assert_null(c->rec.edns);
}

static void test_flags(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	static const struct {
		unsigned wire, flag;
	} bits[] = {
		{0x0400, TL_FLAG_AA}, {0x0200, TL_FLAG_TC}, {0x0100, TL_FLAG_RD},
		{0x0080, TL_FLAG_RA}, {0x0020, TL_FLAG_AD}, {0x0010, TL_FLAG_CD},
		{0x0040, 0} /* Z: not a flag */,
	};
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		phdr(&w, 4, bits[i].wire, 0, 0, 0, 0);
		assert_int_equal(decode_wb(c, &w), TL_OK);
		assert_int_equal(c->rec.flags, bits[i].flag);
		assert_int_equal(c->rec.qr, 0);
		assert_int_equal(c->rec.opcode, 0);
		assert_int_equal(c->rec.rcode, 0);
	}
	/* everything at once: QR, opcode 5 (UPDATE), rcode 5 */
	phdr(&w, 0xFFFF, 0x8000 | (5 << 11) | 0x07B0 | 5, 0, 0, 0, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.id, 0xFFFF);
	assert_int_equal(c->rec.qr, 1);
	assert_int_equal(c->rec.opcode, 5);
	assert_int_equal(c->rec.rcode, 5);
	assert_int_equal(c->rec.flags, TL_FLAG_AA | TL_FLAG_TC | TL_FLAG_RD | TL_FLAG_RA |
					       TL_FLAG_AD | TL_FLAG_CD);
	/* opcode 15 */
	phdr(&w, 0, 15 << 11, 0, 0, 0, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	assert_int_equal(c->rec.opcode, 15);
	assert_int_equal(c->rec.qr, 0);
}

/* ---- names ---- */

static void test_name_escapes_and_case(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 5, 0x8000, 1, 1, 0, 0);
	const uint8_t q[] = {3, 'a', '.', 'b', 2, 0x07, 'x', 5, ' ', ';', '(', '\\', 0xFF,
			     7, 'E', 'x', 'A', 'm', 'P', 'l', 'E', 0};
	put(&w, q, sizeof(q));
	p16(&w, 16);
	p16(&w, 1);
	/* CNAME to a mixed-case name: ldns keeps the case in rdata too */
	p8(&w, 0xC0);
	p8(&w, 12);
	size_t at = prr_fixed(&w, 5, 1, 1);
	pname(&w, "WwW.TeSt");
	prr_end(&w, at);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_string_equal(c->rec.qname, "a\\.b.\\007x.\\032\\;\\(\\\\\\255.ExAmPlE.");
	assert_int_equal(c->rec.n_answers, 1);
	assert_string_equal(c->rec.answers[0].name, c->rec.qname);
	assert_string_equal(c->rec.answers[0].data, "WwW.TeSt.");
}

/* Our own name formatting (question, owners, and names inside rdata) must match
 * ldns's for every octet value, at the start, middle and end of a label. */
static void test_name_text_matches_ldns(void **state)
{
	ctx_t *c = *state;
	for (unsigned v = 0; v < 256; v++) {
		wb_t w;
		phdr(&w, 6, 0x8000, 1, 1, 0, 0);
		const uint8_t q[] = {1, (uint8_t)v, 3, 'a', (uint8_t)v, 'z', 2, 'Z', (uint8_t)v, 0};
		put(&w, q, sizeof(q));
		p16(&w, 5);
		p16(&w, 1);
		p8(&w, 0xC0);
		p8(&w, 12);
		size_t at = prr_fixed(&w, 5, 1, 1);
		put(&w, q, sizeof(q));
		prr_end(&w, at);
		assert_int_equal(decode_wb(c, &w), TL_OK);
		no_anomaly(c);
		ldns_rdf *rdf = ldns_dname_new_frm_data(sizeof(q), q);
		assert_non_null(rdf);
		char *ref = ldns_rdf2str(rdf);
		assert_string_equal(c->rec.qname, ref);
		assert_string_equal(c->rec.answers[0].name, ref);
		assert_string_equal(c->rec.answers[0].data, ref);
		free(ref);
		ldns_rdf_deep_free(rdf);
	}
}

static void test_name_length_limit(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	uint8_t lab[64];
	memset(lab, 'x', sizeof(lab));
	/* 3 x (1+63) + (1+61) + root = 255 octets: accepted */
	phdr(&w, 7, 0, 1, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		lab[0] = 63;
		put(&w, lab, 64);
	}
	lab[0] = 61;
	put(&w, lab, 62);
	p8(&w, 0);
	p16(&w, 1);
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(strlen(c->rec.qname), 253 + 1);

	/* one more octet in the last label: 256 */
	phdr(&w, 7, 0, 1, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		lab[0] = 63;
		put(&w, lab, 64);
	}
	lab[0] = 62;
	put(&w, lab, 63);
	p8(&w, 0);
	p16(&w, 1);
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_NAME_TOO_LONG);
	assert_null(c->rec.qname);
	assert_int_equal(c->rec.partial, 1);

	/* a name made long through a pointer: 200 octets + 2 x 30 via compression */
	phdr(&w, 7, 0x8000, 1, 1, 0, 0);
	size_t first = w.n;
	lab[0] = 63;
	put(&w, lab, 64);
	put(&w, lab, 64);
	lab[0] = 29;
	put(&w, lab, 30);
	p8(&w, 0); /* 159 octets */
	p16(&w, 1);
	p16(&w, 1);
	lab[0] = 63;
	put(&w, lab, 64);
	put(&w, lab, 64);
	p8(&w, 0xC0);
	p8(&w, first); /* 128 + 159 = 287 */
	size_t at = prr_fixed(&w, 1, 1, 1);
	put(&w, "\1\2\3\4", 4);
	prr_end(&w, at);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_NAME_TOO_LONG);
	assert_non_null(c->rec.qname);
	assert_int_equal(c->rec.n_answers, 0);
}

static void test_forward_pointer(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 8, 0, 1, 0, 0, 0);
	p8(&w, 0xC0);
	p8(&w, 18); /* forward, to the bytes after QTYPE/QCLASS */
	p16(&w, 1);
	p16(&w, 1);
	pname(&w, "example");
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_POINTER);
	assert_null(c->rec.qname);
	assert_int_equal(c->rec.partial, 1);
	assert_int_equal(c->rec.known, HDR_KNOWN);
	assert_int_equal(c->rec.qdcount, 1);

	/* pointer into the header */
	phdr(&w, 8, 0, 1, 0, 0, 0);
	p8(&w, 0xC0);
	p8(&w, 4);
	p16(&w, 1);
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_POINTER);

	/* pointer beyond the message */
	phdr(&w, 8, 0, 1, 0, 0, 0);
	p8(&w, 0xFF);
	p8(&w, 0xFF);
	p16(&w, 1);
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_POINTER);

	/* a forward pointer in rdata: the RR is dropped, the one before kept */
	phdr(&w, 8, 0x8000, 1, 2, 0, 0);
	pq(&w, "a.example", 1, 1);
	prr(&w, "a.example", 1, 1, "\1\2\3\4", 4);
	p8(&w, 0xC0);
	p8(&w, 12);
	size_t at = prr_fixed(&w, 5, 1, 1);
	p8(&w, 0xC0);
	p8(&w, (unsigned)(w.n + 10)); /* forward */
	prr_end(&w, at);
	pname(&w, "z");
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_POINTER);
	assert_int_equal(c->rec.n_answers, 1);
	assert_string_equal(c->rec.answers[0].data, "1.2.3.4");
	assert_int_equal(c->rec.partial, 1);
	assert_int_equal(c->rec.known, HDR_KNOWN);
}

/* Backwards from the name, but forwards from the fragment the pointer sits in:
 * owner (33) -> 28, and at 28 a pointer to 30. No compressor writes that. */
static void test_pointer_forward_within_chain(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 8, 0x8000, 1, 2, 0, 0);
	pq(&w, "", 1, 1); /* 12..16 */
	p8(&w, 0);        /* owner at 17 */
	size_t at = prr_fixed(&w, 65280, 1, 1);
	assert_int_equal(w.n, 28);
	const uint8_t rd[] = {0xC0, 30, 1, 'z', 0};
	put(&w, rd, sizeof(rd));
	prr_end(&w, at);
	assert_int_equal(w.n, 33);
	p8(&w, 0xC0);
	p8(&w, 28);
	at = prr_fixed(&w, 1, 1, 1);
	put(&w, "\1\2\3\4", 4);
	prr_end(&w, at);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_POINTER);
	assert_int_equal(c->rec.n_answers, 1);
	assert_string_equal(c->rec.answers[0].data, "\\# 5 c01e017a00");

	/* the same bytes with the owner pointing straight at "z." (30) are fine */
	w.b[33 + 1] = 30;
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_string_equal(c->rec.answers[1].name, "z.");
}

static void test_pointer_to_itself(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 9, 0, 1, 0, 0, 0);
	p8(&w, 0xC0);
	p8(&w, 12);
	p16(&w, 1);
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_POINTER_LOOP);
	assert_null(c->rec.qname);

	/* a label, then a pointer back to the start of the same name */
	phdr(&w, 9, 0, 1, 0, 0, 0);
	p8(&w, 1);
	p8(&w, 'a');
	p8(&w, 0xC0);
	p8(&w, 12);
	p16(&w, 1);
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_POINTER_LOOP);
}

/* A cycle through two earlier fragments: owner -> X, X -> Y, Y -> X. The
 * fragments sit in the rdata of an unknown-type RR, which is not parsed as names. */
static void test_pointer_chain_loop(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 10, 0x8000, 1, 2, 0, 0);
	pq(&w, "", 1, 1); /* 12..16 */
	p8(&w, 0);
	size_t at = prr_fixed(&w, 65280, 1, 1);
	size_t y = w.n;     /* Y: label "y", pointer to X */
	size_t x = y + 4;   /* X: label "x", pointer to Y (backwards) */
	p8(&w, 1);
	p8(&w, 'y');
	p8(&w, 0xC0);
	p8(&w, (unsigned)x); /* forward from Y, but X was already visited */
	p8(&w, 1);
	p8(&w, 'x');
	p8(&w, 0xC0);
	p8(&w, (unsigned)y);
	prr_end(&w, at);
	p8(&w, 0xC0);
	p8(&w, (unsigned)x);
	at = prr_fixed(&w, 1, 1, 1);
	put(&w, "\1\2\3\4", 4);
	prr_end(&w, at);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_POINTER_LOOP);
	assert_int_equal(c->rec.n_answers, 1);
	assert_string_equal(c->rec.answers[0].data, "\\# 8 0179c0200178c01c");
	assert_int_equal(c->rec.partial, 1);
}

/* Pointers that each go backwards, but too many of them. */
static void test_pointer_chain_too_long(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	for (int hops = 127; hops <= 128; hops++) {
		phdr(&w, 11, 0x8000, 1, 2, 0, 0);
		pq(&w, "", 1, 1); /* root name at 12 */
		p8(&w, 0);
		size_t at = prr_fixed(&w, 65280, 1, 1);
		size_t prev = 12;
		for (int i = 0; i < hops - 1; i++) {
			size_t here = w.n;
			p8(&w, 0xC0 | (unsigned)(prev >> 8));
			p8(&w, prev & 0xFF);
			prev = here;
		}
		prr_end(&w, at);
		p8(&w, 0xC0 | (unsigned)(prev >> 8));
		p8(&w, prev & 0xFF); /* the owner: hop number `hops` */
		at = prr_fixed(&w, 1, 1, 1);
		put(&w, "\1\2\3\4", 4);
		prr_end(&w, at);
		assert_int_equal(decode_wb(c, &w), TL_OK);
		if (hops == 127) {
			no_anomaly(c);
			assert_int_equal(c->rec.n_answers, 2);
			assert_string_equal(c->rec.answers[1].name, ".");
		} else {
			only_anomaly(c, TL_AN_DNS_POINTER_LOOP);
			assert_int_equal(c->rec.n_answers, 1);
		}
	}
}

static void test_extended_label_types(void **state)
{
	ctx_t *c = *state;
	const uint8_t types[] = {0x40, 0x80, 0x41, 0xBF};
	for (size_t i = 0; i < sizeof(types); i++) {
		wb_t w;
		phdr(&w, 12, 0, 1, 0, 0, 0);
		p8(&w, 3);
		put(&w, "abc", 3);
		p8(&w, types[i]);
		put(&w, "abcdef", 6);
		p8(&w, 0);
		p16(&w, 1);
		p16(&w, 1);
		assert_int_equal(decode_wb(c, &w), TL_OK);
		only_anomaly(c, TL_AN_DNS_LABEL_TOO_LONG);
		assert_null(c->rec.qname);
		assert_int_equal(c->rec.partial, 1);
	}
}

/* ---- truncation and trailing bytes ---- */

static void build_three_a(wb_t *w)
{
	phdr(w, 13, 0x8180, 1, 3, 0, 0);
	pq(w, "h.example", 1, 1);
	for (unsigned i = 1; i <= 3; i++) {
		const uint8_t a[] = {10, 0, 0, (uint8_t)i};
		p8(w, 0xC0);
		p8(w, 12);
		size_t at = prr_fixed(w, 1, 1, 100 * i);
		put(w, a, 4);
		prr_end(w, at);
	}
}

static void test_truncated_answer(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	build_three_a(&w);
	size_t full = w.n;
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.n_answers, 3);

	/* cut inside the third answer's fixed part, its rdata, and just before its end */
	const size_t cuts[] = {full - 14 + 1, full - 14 + 5, full - 3, full - 1};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		assert_int_equal(decode(c, w.b, cuts[i]), TL_OK);
		only_anomaly(c, TL_AN_DNS_TRUNCATED);
		assert_int_equal(c->rec.partial, 1);
		assert_int_equal(c->rec.ancount, 3);
		assert_int_equal(c->rec.n_answers, 2);
		assert_rr(&c->rec.answers[0], "h.example.", 1, 100, "10.0.0.1");
		assert_rr(&c->rec.answers[1], "h.example.", 1, 200, "10.0.0.2");
		assert_string_equal(c->rec.qname, "h.example.");
		assert_int_equal(c->rec.known, HDR_KNOWN);
		assert_null(c->rec.edns);
	}
	/* cut exactly between answers 2 and 3 */
	assert_int_equal(decode(c, w.b, full - 16), TL_OK);
	only_anomaly(c, TL_AN_DNS_TRUNCATED);
	assert_int_equal(c->rec.n_answers, 2);
}

static void test_truncated_question(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	phdr(&w, 14, 0x0100, 1, 0, 0, 0);
	pq(&w, "www.example.com", 1, 1);
	for (size_t cut = 12; cut < w.n; cut++) {
		assert_int_equal(decode(c, w.b, cut), TL_OK);
		only_anomaly(c, TL_AN_DNS_TRUNCATED);
		assert_null(c->rec.qname);
		assert_int_equal(c->rec.id, 14);
		assert_int_equal(c->rec.flags, TL_FLAG_RD);
		assert_int_equal(c->rec.qdcount, 1);
		assert_int_equal(c->rec.partial, 1);
		assert_int_equal(c->rec.known, HDR_KNOWN);
	}
	/* header claims answers that are not there */
	phdr(&w, 14, 0x8000, 1, 5, 0, 0);
	pq(&w, "www.example.com", 1, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_TRUNCATED);
	assert_string_equal(c->rec.qname, "www.example.com.");
	assert_int_equal(c->rec.ancount, 5);
	assert_int_equal(c->rec.n_answers, 0);
}

static void test_short_message(void **state)
{
	ctx_t *c = *state;
	const uint8_t m[12] = {0x12, 0x34, 0x81, 0x80};
	for (size_t n = 0; n < 12; n++) {
		assert_int_equal(decode(c, m, n), TL_EFORMAT);
		only_anomaly(c, TL_AN_DNS_SHORT);
		assert_int_equal(c->rec.known, 0);
		assert_null(c->rec.qname);
	}
	assert_int_equal(tl_dns_decode(NULL, 0, &c->rec, &c->arena, &c->an, POS), TL_EFORMAT);
	/* exactly a header */
	assert_int_equal(decode(c, m, 12), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.id, 0x1234);
	assert_int_equal(c->rec.known, ALL_KNOWN);
}

static void test_trailing_bytes(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	build_three_a(&w);
	put(&w, "\0\0\xAB", 3);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_TRAILING);
	assert_int_equal(c->rec.partial, 0);
	assert_int_equal(c->rec.n_answers, 3);
	assert_int_equal(c->rec.known, ALL_KNOWN);
}

/* ---- rdata ldns (or we) cannot accept ---- */

static void test_rdata_malformed(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	/* A with five octets, between two good records */
	phdr(&w, 15, 0x8000, 1, 3, 0, 0);
	pq(&w, "m.example", 1, 1);
	prr(&w, "m.example", 1, 1, "\1\2\3\4", 4);
	prr(&w, "m.example", 1, 1, "\1\2\3\4\5", 5);
	prr(&w, "m.example", 1, 1, "\1\2\3\5", 4);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_RDATA_MALFORMED);
	assert_int_equal(c->rec.n_answers, 1);
	assert_int_equal(c->rec.partial, 1);
	assert_int_equal(c->rec.known, HDR_KNOWN);

	/* MX whose name runs past its rdata */
	phdr(&w, 15, 0x8000, 1, 1, 0, 0);
	pq(&w, "m.example", 15, 1);
	pname(&w, "m.example");
	size_t at = prr_fixed(&w, 15, 1, 1);
	p16(&w, 5);
	p8(&w, 3);
	put(&w, "mx", 2);
	prr_end(&w, at);
	put(&w, "x\0", 2);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_RDATA_MALFORMED);
	assert_int_equal(c->rec.n_answers, 0);

	/* SOA missing its last field */
	phdr(&w, 15, 0x8000, 1, 1, 0, 0);
	pq(&w, "m.example", 6, 1);
	pname(&w, "m.example");
	at = prr_fixed(&w, 6, 1, 1);
	pname(&w, "a");
	pname(&w, "b");
	for (int i = 0; i < 4; i++)
		p32(&w, 1);
	prr_end(&w, at);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_RDATA_MALFORMED);

	/* TXT whose string length exceeds the rdata */
	phdr(&w, 15, 0x8000, 1, 1, 0, 0);
	pq(&w, "m.example", 16, 1);
	prr(&w, "m.example", 16, 1, "\x05" "abc", 4);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_RDATA_MALFORMED);

	/* empty rdata is allowed (RFC 2136 deletions) and printed as ldns does */
	phdr(&w, 15, 0x2800, 1, 0, 1, 0);
	pq(&w, "example", 6, 1);
	prr(&w, "m.example", 1, 0, NULL, 0);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.opcode, 5);
	assert_string_equal(c->rec.authority[0].data, "\\# 0");
}

/* ldns 1.8.3 writes SVCB key names without reserving buffer space (it asserts,
 * or overruns without asserts) once earlier output has filled the buffer to just
 * under its capacity. Every length of the preceding value is tried. */
static void test_svcb_key_at_buffer_end(void **state)
{
	ctx_t *c = *state;
	for (unsigned len = 1; len <= 400; len++) {
		wb_t w;
		phdr(&w, 17, 0x8000, 1, 1, 0, 0);
		pq(&w, "s.example", 65, 1);
		p8(&w, 0xC0);
		p8(&w, 12);
		size_t at = prr_fixed(&w, 65, 1, 1);
		p16(&w, 1);  /* SvcPriority */
		p8(&w, 0);   /* TargetName "." */
		p16(&w, 9);  /* key9, printed as escaped octets */
		p16(&w, len);
		for (unsigned i = 0; i < len; i++)
			p8(&w, 1);
		p16(&w, 1); /* alpn=h2 */
		p16(&w, 3);
		put(&w, "\x02h2", 3);
		prr_end(&w, at);
		assert_int_equal(decode_wb(c, &w), TL_OK);
		no_anomaly(c);
		assert_int_equal(c->rec.n_answers, 1);
		char expect[2048];
		size_t o = (size_t)snprintf(expect, sizeof(expect), "1 . key9=");
		for (unsigned i = 0; i < len; i++)
			o += (size_t)snprintf(expect + o, sizeof(expect) - o, "\\001");
		snprintf(expect + o, sizeof(expect) - o, " alpn=h2");
		assert_string_equal(c->rec.answers[0].data, expect);
	}
}

static void test_first_anomaly_only(void **state)
{
	ctx_t *c = *state;
	wb_t w;
	/* OPT in the answer section (bad EDNS), then a truncated RR: one anomaly, the first */
	phdr(&w, 16, 0x8000, 1, 2, 0, 0);
	pq(&w, "f.example", 1, 1);
	popt(&w, 1232, 0, NULL, 0);
	pname(&w, "f.example");
	p16(&w, 1);
	assert_int_equal(decode_wb(c, &w), TL_OK);
	only_anomaly(c, TL_AN_DNS_BAD_EDNS);
	assert_int_equal(c->rec.n_answers, 1);
	assert_int_equal(c->rec.answers[0].type, 41);
	assert_string_equal(c->rec.answers[0].data, "\\# 0");
	assert_int_equal(c->rec.partial, 1);
	assert_null(c->rec.edns);
}

/* ---- cross-check with ldns: messages it built, texts it prints ---- */

static void test_matches_ldns(void **state)
{
	ctx_t *c = *state;
	static const char *const rrs[] = {
		"Www.Example.com. 300 IN CNAME Host.example.com.",
		"host.example.com. 60 IN A 192.0.2.1",
		"host.example.com. 60 IN AAAA 2001:db8::5:0:0:1",
		"example.com. 3600 IN MX 10 mail.example.com.",
		"example.com. 3600 IN NS ns1.example.com.",
		"example.com. 3600 IN TXT \"v=spf1 -all\" \"x\\\\y\\\"z\\000\"",
		"example.com. 3600 IN SOA ns1.example.com. h\\.m.example.com. 1 2 3 4 5",
		"_sip._tcp.example.com. 60 IN SRV 0 5 5060 sip.example.com.",
		"example.com. 60 IN CAA 0 issue \"letsencrypt.org\"",
		"example.com. 60 IN HTTPS 1 . alpn=h2,h3 ipv4hint=192.0.2.1",
		"example.com. 60 IN DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE1A6F4A54D9A2B8C1D6F8A1B2",
		"example.com. 60 IN DNSKEY 257 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF",
		"example.com. 60 IN RRSIG A 8 2 3600 20240101000000 20231201000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29",
		"example.com. 60 IN NSEC b.example.com. A RRSIG NSEC",
		"example.com. 60 IN NSEC3 1 0 10 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
		"example.com. 60 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"example.com. 60 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
		"example.com. 60 IN HINFO \"PC\" \"Linux\"",
		"example.com. 60 IN NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .",
		"example.com. 60 IN SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"example.com. 60 IN DNAME example.net.",
		"example.com. 60 IN TYPE65280 \\# 3 0102ab",
		"example.com. 60 IN RP mbox.example.com. txt.example.com.",
		"example.com. 60 IN AFSDB 1 afs.example.com.",
		"example.com. 60 IN SPF \"v=spf1 -all\"",
		"example.com. 60 IN URI 10 1 \"https://example.com/\"",
		"example.com. 60 IN WKS 192.0.2.1 6 25 80",
	};
	const size_t n = sizeof(rrs) / sizeof(rrs[0]);
	ldns_pkt *pkt = ldns_pkt_new();
	assert_non_null(pkt);
	ldns_pkt_set_id(pkt, 0x4242);
	ldns_pkt_set_qr(pkt, true);
	ldns_rr *q = NULL;
	assert_int_equal(ldns_rr_new_question_frm_str(&q, "Www.Example.com. IN A", NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q);
	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_str(&rr, rrs[i], 0, NULL, NULL);
		if (st != LDNS_STATUS_OK)
			fail_msg("ldns rejects %s: %s", rrs[i], ldns_get_errorstr_by_id(st));
		ldns_pkt_push_rr(pkt, i % 2 ? LDNS_SECTION_AUTHORITY : LDNS_SECTION_ANSWER, rr);
	}
	uint8_t *wire = NULL;
	size_t wlen = 0;
	assert_int_equal(ldns_pkt2wire(&wire, pkt, &wlen), LDNS_STATUS_OK);
	assert_int_equal(decode(c, wire, wlen), TL_OK);
	no_anomaly(c);
	assert_int_equal(c->rec.id, 0x4242);
	assert_string_equal(c->rec.qname, "Www.Example.com.");
	assert_int_equal(c->rec.n_answers + c->rec.n_authority, n);

	/* ldns's own parse of its wire form, printed by ldns_rr2str */
	ldns_pkt *back = NULL;
	assert_int_equal(ldns_wire2pkt(&back, wire, wlen), LDNS_STATUS_OK);
	size_t ia = 0, ins = 0;
	for (size_t i = 0; i < n; i++) {
		const tl_rr_t *mine = i % 2 ? &c->rec.authority[ins++] : &c->rec.answers[ia++];
		ldns_rr_list *list = i % 2 ? ldns_pkt_authority(back) : ldns_pkt_answer(back);
		ldns_rr *rr = ldns_rr_list_rr(list, i / 2);
		char *full = ldns_rr2str_fmt(ldns_output_format_nocomments, rr);
		assert_non_null(full);
		/* owner TAB ttl TAB class TAB type TAB rdata NEWLINE */
		char *p = full;
		for (int tabs = 0; tabs < 4; tabs++) {
			p = strchr(p, '\t');
			assert_non_null(p);
			p++;
		}
		size_t len = strlen(p);
		if (len && p[len - 1] == '\n')
			p[--len] = '\0';
		char *owner = ldns_rdf2str(ldns_rr_owner(rr));
		if (strcmp(mine->data, p) != 0 || strcmp(mine->name, owner) != 0)
			fail_msg("%s: got [%s] [%s], ldns [%s] [%s]", rrs[i], mine->name,
				 mine->data, owner, p);
		assert_int_equal(mine->type, ldns_rr_get_type(rr));
		assert_int_equal(mine->ttl, ldns_rr_ttl(rr));
		free(owner);
		free(full);
	}
	ldns_pkt_free(back);
	ldns_pkt_free(pkt);
	free(wire);
}

static void test_ldns_version(void **state)
{
	(void)state;
	const char *v = tl_dns_ldns_version();
	assert_non_null(v);
	assert_string_equal(v, ldns_version());
	assert_true(strlen(v) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_question_and_no_question, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authority_additional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edns_options_and_ecs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edns_bad_ecs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edns_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extended_rcode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_escapes_and_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_text_matches_ldns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_length_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_pointer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointer_forward_within_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointer_to_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointer_chain_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointer_chain_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extended_label_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_question, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rdata_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_svcb_key_at_buffer_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_anomaly_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_matches_ldns, setup, teardown),
		cmocka_unit_test(test_ldns_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
