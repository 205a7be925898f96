/* test_attrib.c - longest-prefix match, a hand-built MaxMind DB, PTR names (the organisations
 * file itself: tests/unit/case/test_orgs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/attrib.h"
#include "util/error.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define DATA TL_TEST_DATA_DIR "/data/analysis/"

static char tmpdir[64], tmpcsv[128], tmpmmdb[128];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tl-test-attrib-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tmpcsv, sizeof(tmpcsv), "%s/o.csv", tmpdir);
	snprintf(tmpmmdb, sizeof(tmpmmdb), "%s/asn.mmdb", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmpcsv);
	unlink(tmpmmdb);
	rmdir(tmpdir);
	return 0;
}

static void write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static tl_addr_t A(const char *s)
{
	tl_addr_t a;
	assert_int_equal(tl_addr_parse(s, strlen(s), &a), TL_OK);
	return a;
}

static tl_attrib_t *open_sample(const char *mmdb)
{
	tl_orgs_t *o = NULL;
	char err[512];
	if (tl_orgs_load(DATA "orgs.csv", &o, err, sizeof(err)) != TL_OK)
		fail_msg("%s", err);
	tl_case_orgzone_t zones[2] = {{(char *)"Lakeshore Health", (char *)"America/Chicago"},
				      {(char *)"ООО «Пример»", (char *)"Asia/Yekaterinburg"}};
	tl_attrib_t *a = NULL;
	if (tl_attrib_new(o, mmdb, "Europe/Berlin", zones, 2, &a, err, sizeof(err)) != TL_OK)
		fail_msg("%s", err);
	return a;
}

static void expect(const tl_attrib_t *a, const char *ip, int method, const char *org,
		   const char *net, const char *zone)
{
	tl_attribution_t r;
	tl_addr_t x = A(ip);
	assert_int_equal(tl_attrib_lookup(a, &x, &r), method);
	assert_int_equal(r.method, method);
	assert_string_equal(r.organisation, org);
	assert_string_equal(r.network, net);
	assert_string_equal(r.timezone, zone);
}

static void test_lpm(void **state)
{
	(void)state;
	tl_attrib_t *a = open_sample(NULL);
	/* nested IPv4: /24 < /29 < /32 */
	expect(a, "198.51.100.1", TL_ATTRIB_CIDR, "Northwind Broadband, Inc.", "198.51.100.0/24",
	       "Europe/Berlin");
	expect(a, "198.51.100.17", TL_ATTRIB_CIDR, "АО «Банк Полярный»", "198.51.100.16/29",
	       "Europe/Moscow");
	expect(a, "198.51.100.31", TL_ATTRIB_CIDR, "АО «Банк Полярный»", "198.51.100.24/29",
	       "Europe/Moscow");
	expect(a, "198.51.100.32", TL_ATTRIB_CIDR, "Northwind Broadband, Inc.", "198.51.100.0/24",
	       "Europe/Berlin");
	expect(a, "198.51.100.41", TL_ATTRIB_CIDR, "Lakeshore Health", "198.51.100.40/29",
	       "America/Chicago"); /* the case's zone beats the CSV's */
	expect(a, "198.51.100.42", TL_ATTRIB_CIDR, "The \"Desk\" Host", "198.51.100.42/32",
	       "Europe/Berlin");
	expect(a, "198.51.100.43", TL_ATTRIB_CIDR, "Lakeshore Health", "198.51.100.40/29",
	       "America/Chicago");
	expect(a, "198.51.101.1", TL_ATTRIB_NONE, "unattributed", "", "Europe/Berlin");
	/* nested IPv6: /32 < /48 < /64 < /128 */
	expect(a, "2001:db8:1::1", TL_ATTRIB_CIDR, "Documentation v6", "2001:db8::/32",
	       "Europe/Berlin");
	expect(a, "2001:db8:ba4::9", TL_ATTRIB_CIDR, "АО «Банк Полярный»", "2001:db8:ba4::/48",
	       "Europe/Moscow");
	expect(a, "2001:db8:ba4:1::8", TL_ATTRIB_CIDR, "Branch, v6", "2001:db8:ba4:1::/64",
	       "Europe/Berlin");
	expect(a, "2001:db8:ba4:1::7", TL_ATTRIB_CIDR, "One v6 host", "2001:db8:ba4:1::7/128",
	       "Europe/Berlin");
	expect(a, "2001:db9::1", TL_ATTRIB_NONE, "unattributed", "", "Europe/Berlin");
	/* IPv4-mapped IPv6 is IPv6: the IPv4 /24 does not match it, the mapped prefix does */
	expect(a, "::ffff:198.51.100.17", TL_ATTRIB_CIDR, "Mapped v4 range",
	       "::ffff:198.51.100.0/120", "Europe/Berlin");
	expect(a, "::ffff:198.51.101.17", TL_ATTRIB_NONE, "unattributed", "", "Europe/Berlin");
	/* an IPv4 address is never matched by the mapped IPv6 prefix */
	tl_attribution_t r;
	tl_addr_t x = A("198.51.100.200");
	tl_attrib_lookup(a, &x, &r);
	assert_string_equal(r.network, "198.51.100.0/24");
	assert_string_equal(tl_attrib_orgs(a)->names[r.org_index], "Northwind Broadband, Inc.");
	/* an unknown family */
	tl_addr_t z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(tl_attrib_lookup(a, &z, &r), TL_ATTRIB_NONE);
	assert_int_equal(r.org_index, -1);
	tl_attrib_free(a);
	tl_attrib_free(NULL);
}

static void test_lpm_zero_prefix(void **state)
{
	(void)state;
	const char *csv = "cidr,organisation\n0.0.0.0/0,Everything v4\n10.0.0.0/8,Ten\n"
			  "10.1.2.3/32,Host\n::/0,Everything v6\n";
	write_bytes(tmpcsv, csv, strlen(csv));
	tl_orgs_t *o = NULL;
	char err[256];
	assert_int_equal(tl_orgs_load(tmpcsv, &o, err, sizeof(err)), TL_OK);
	tl_attrib_t *a = NULL;
	assert_int_equal(tl_attrib_new(o, NULL, NULL, NULL, 0, &a, err, sizeof(err)), TL_OK);
	expect(a, "0.0.0.0", TL_ATTRIB_CIDR, "Everything v4", "0.0.0.0/0", "UTC");
	expect(a, "255.255.255.255", TL_ATTRIB_CIDR, "Everything v4", "0.0.0.0/0", "UTC");
	expect(a, "10.255.0.0", TL_ATTRIB_CIDR, "Ten", "10.0.0.0/8", "UTC");
	expect(a, "10.1.2.3", TL_ATTRIB_CIDR, "Host", "10.1.2.3/32", "UTC");
	expect(a, "10.1.2.2", TL_ATTRIB_CIDR, "Ten", "10.0.0.0/8", "UTC");
	expect(a, "::", TL_ATTRIB_CIDR, "Everything v6", "::/0", "UTC");
	expect(a, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", TL_ATTRIB_CIDR, "Everything v6", "::/0",
	       "UTC");
	tl_attrib_free(a);
	/* no organisations at all */
	assert_int_equal(tl_attrib_new(NULL, NULL, NULL, NULL, 0, &a, err, sizeof(err)), TL_OK);
	expect(a, "10.1.2.3", TL_ATTRIB_NONE, "unattributed", "", "UTC");
	tl_attrib_free(a);
}

/* ---- a MaxMind DB built by hand (MaxMind DB File Format Specification 2.0) ---- */

typedef struct bbuf {
	uint8_t d[4096];
	size_t n;
} bbuf_t;

static void put(bbuf_t *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->d));
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void put1(bbuf_t *b, unsigned v)
{
	uint8_t c = (uint8_t)v;
	put(b, &c, 1);
}

/* control byte for the types 1-7 with a size below 29 */
static void ctrl(bbuf_t *b, unsigned type, size_t size)
{
	assert_true(size < 29);
	put1(b, (type << 5) | (unsigned)size);
}

static void mm_str(bbuf_t *b, const char *s)
{
	size_t n = strlen(s);
	if (n < 29) {
		ctrl(b, 2, n);
	} else {
		assert_true(n < 29 + 256);
		put1(b, (2u << 5) | 29u); /* size 29: one more byte holds size - 29 */
		put1(b, (unsigned)(n - 29));
	}
	put(b, s, n);
}

static void mm_uint(bbuf_t *b, unsigned type, uint64_t v, size_t bytes)
{
	if (type <= 7)
		ctrl(b, type, bytes);
	else {
		put1(b, (unsigned)bytes); /* extended type: type 0 here, the next byte is type - 7 */
		put1(b, type - 7);
	}
	for (size_t i = bytes; i-- > 0;)
		put1(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static void mm_asn_record(bbuf_t *b, uint32_t asn, const char *org)
{
	ctrl(b, 7, 2); /* map of two pairs */
	mm_str(b, "autonomous_system_number");
	mm_uint(b, 6, asn, 4);
	mm_str(b, "autonomous_system_organization");
	mm_str(b, org);
}

/* search tree for 128-bit addresses; node records point to nodes, "no data" or data */
typedef struct mtree {
	int32_t child[256][2]; /* >= 0 node, -1 none, <= -2 data record -(k+2) */
	int n;
} mtree_t;

static void mt_insert(mtree_t *t, const uint8_t addr[16], int len, int data_k)
{
	int cur = 0;
	for (int i = 0; i < len; i++) {
		int bit = (addr[i / 8] >> (7 - i % 8)) & 1;
		if (i == len - 1) {
			t->child[cur][bit] = -(data_k + 2);
			return;
		}
		if (t->child[cur][bit] < 0) {
			assert_true(t->n < 256);
			t->child[t->n][0] = t->child[t->n][1] = -1;
			t->child[cur][bit] = t->n++;
		}
		cur = t->child[cur][bit];
	}
}

static void build_mmdb(const char *path)
{
	bbuf_t data = {{0}, 0};
	size_t off[2];
	off[0] = data.n;
	mm_asn_record(&data, 64500, "ООО «Пример»"); /* Cyrillic, 21 bytes */
	off[1] = data.n;
	mm_asn_record(&data, 64501, "Example IPv6 Transit Network, Inc."); /* 34 bytes: long form */

	mtree_t t;
	t.n = 1;
	t.child[0][0] = t.child[0][1] = -1;
	/* IPv4 lives at ::/96 in an IPv6 tree: 203.0.113.0/24 -> ::cb00:7100/120 */
	uint8_t v4[16] = {0};
	v4[12] = 203;
	v4[13] = 0;
	v4[14] = 113;
	mt_insert(&t, v4, 96 + 24, 0);
	uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb9, 0xab, 0xcd};
	mt_insert(&t, v6, 48, 1);

	bbuf_t *file = calloc(1, sizeof(*file) * 2);
	assert_non_null(file);
	uint32_t nodes = (uint32_t)t.n;
	for (int i = 0; i < t.n; i++) {
		for (int s = 0; s < 2; s++) {
			int32_t c = t.child[i][s];
			uint32_t rec = c >= 0 ? (uint32_t)c
				       : c == -1 ? nodes
						 : nodes + 16 + (uint32_t)off[-c - 2];
			put1(file, rec >> 16);
			put1(file, (rec >> 8) & 0xff);
			put1(file, rec & 0xff);
		}
	}
	for (int i = 0; i < 16; i++)
		put1(file, 0); /* the data section separator */
	put(file, data.d, data.n);
	put(file, "\xab\xcd\xefMaxMind.com", 14);
	ctrl(file, 7, 9);
	mm_str(file, "node_count");
	mm_uint(file, 6, nodes, 4);
	mm_str(file, "record_size");
	mm_uint(file, 5, 24, 2);
	mm_str(file, "ip_version");
	mm_uint(file, 5, 6, 2);
	mm_str(file, "database_type");
	mm_str(file, "tealeaves-test-ASN");
	mm_str(file, "languages");
	put1(file, 0); /* array (extended type 11), size 0 */
	put1(file, 11 - 7);
	mm_str(file, "binary_format_major_version");
	mm_uint(file, 5, 2, 2);
	mm_str(file, "binary_format_minor_version");
	mm_uint(file, 5, 0, 2);
	mm_str(file, "build_epoch");
	mm_uint(file, 9, 1477872000, 8); /* libmaxminddb refuses 0 */
	mm_str(file, "description");
	ctrl(file, 7, 0);
	write_bytes(path, file->d, file->n);
	free(file);
}

static void test_mmdb(void **state)
{
	(void)state;
	build_mmdb(tmpmmdb);
	tl_attrib_t *a = open_sample(tmpmmdb);
	/* the CSV still wins where it matches */
	expect(a, "198.51.100.17", TL_ATTRIB_CIDR, "АО «Банк Полярный»", "198.51.100.16/29",
	       "Europe/Moscow");
	/* outside the CSV: the mmdb's organisation, its network, the case's zone for it */
	tl_attribution_t r;
	tl_addr_t x = A("203.0.113.77");
	assert_int_equal(tl_attrib_lookup(a, &x, &r), TL_ATTRIB_MMDB);
	assert_string_equal(r.method_name, "mmdb");
	assert_string_equal(r.organisation, "ООО «Пример»");
	assert_int_equal(r.has_asn, 1);
	assert_int_equal(r.asn, 64500);
	assert_string_equal(r.network, "203.0.113.0/24");
	assert_string_equal(r.timezone, "Asia/Yekaterinburg");
	assert_int_equal(r.org_index, -1);
	x = A("2001:db9:abcd:ffff::1");
	assert_int_equal(tl_attrib_lookup(a, &x, &r), TL_ATTRIB_MMDB);
	assert_string_equal(r.organisation, "Example IPv6 Transit Network, Inc.");
	assert_int_equal(r.asn, 64501);
	assert_string_equal(r.network, "2001:db9:abcd::/48");
	assert_string_equal(r.timezone, "Europe/Berlin");
	/* in neither */
	expect(a, "203.0.114.1", TL_ATTRIB_NONE, "unattributed", "", "Europe/Berlin");
	expect(a, "2001:db9:abce::1", TL_ATTRIB_NONE, "unattributed", "", "Europe/Berlin");
	tl_attrib_free(a);

	/* a file that is no MaxMind DB */
	char err[512];
	tl_attrib_t *b = NULL;
	assert_int_equal(tl_attrib_new(NULL, DATA "orgs.csv", NULL, NULL, 0, &b, err, sizeof(err)),
			 TL_EFORMAT);
	assert_null(b);
	assert_non_null(strstr(err, DATA "orgs.csv: cannot open as a MaxMind DB: "));
	assert_int_equal(tl_attrib_new(NULL, "/nonexistent.mmdb", NULL, NULL, 0, &b, err,
				       sizeof(err)),
			 TL_ENOENT);
}

static void test_ptr_names(void **state)
{
	(void)state;
	tl_addr_t x;
	assert_int_equal(tl_ptr_name_to_addr("29.133.216.66.in-addr.arpa", &x), TL_OK);
	assert_int_equal(x.family, 4);
	assert_memory_equal(x.bytes, "\x42\xd8\x85\x1d", 4);
	assert_int_equal(tl_ptr_name_to_addr("0.0.0.0.IN-ADDR.ARPA.", &x), TL_OK);
	assert_int_equal(tl_ptr_name_to_addr("255.2.0.192.in-addr.arpa", &x), TL_OK);
	assert_int_equal(x.bytes[0], 192);
	assert_int_equal(x.bytes[3], 255);
	const char *bad4[] = {"2.0.192.in-addr.arpa",   "1.2.3.4.5.in-addr.arpa",
			      "256.2.0.192.in-addr.arpa", "01.2.0.192.in-addr.arpa",
			      "a.2.0.192.in-addr.arpa", "1..0.192.in-addr.arpa",
			      "0/25.2.0.192.in-addr.arpa", "in-addr.arpa",
			      ".1.2.3.4.in-addr.arpa",  "1.2.3.4.in-addr.arpa.example",
			      "1.2.3.4.in-addr.arpa..", "1.2.3.4"};
	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++)
		if (tl_ptr_name_to_addr(bad4[i], &x) != TL_EFORMAT)
			fail_msg("accepted %s", bad4[i]);
	const char *v6 = "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa";
	assert_int_equal(tl_ptr_name_to_addr(v6, &x), TL_OK); /* RFC 3596 section 2.5 example */
	tl_addr_t want = A("4321:0:1:2:3:4:567:89ab");
	assert_true(tl_addr_equal(&x, &want));
	assert_int_equal(
		tl_ptr_name_to_addr(
			"B.A.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.IP6.ARPA.", &x),
		TL_OK);
	assert_true(tl_addr_equal(&x, &want));
	const char *bad6[] = {
		"a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
		"0.b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
		"g.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
		"ba.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4..ip6.arpa",
		"ip6.arpa"};
	for (size_t i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++)
		if (tl_ptr_name_to_addr(bad6[i], &x) != TL_EFORMAT)
			fail_msg("accepted %s", bad6[i]);

	tl_attrib_t *a = NULL;
	char err[64];
	assert_int_equal(tl_attrib_new(NULL, NULL, NULL, NULL, 0, &a, err, sizeof(err)), TL_OK);
	tl_addr_t p = A("192.0.2.1"), q = A("2001:db8::1"), none = A("192.0.2.2");
	assert_null(tl_attrib_ptr(a, &p));
	assert_int_equal(tl_attrib_add_ptr(a, &p, "Mail.Example."), TL_OK);
	assert_int_equal(tl_attrib_add_ptr(a, &p, "mail.example"), TL_OK); /* the same name */
	assert_int_equal(tl_attrib_add_ptr(a, &p, "smtp.example."), TL_OK);
	assert_int_equal(tl_attrib_add_ptr(a, &q, "v6.example."), TL_OK);
	const tl_ptr_seen_t *s = tl_attrib_ptr(a, &p);
	assert_non_null(s);
	assert_string_equal(s->first, "mail.example");
	assert_int_equal(s->n_names, 2);
	assert_string_equal(s->names[1], "smtp.example");
	assert_int_equal(tl_attrib_ptr(a, &q)->n_names, 1);
	assert_null(tl_attrib_ptr(a, &none));
	/* many addresses: the table grows and keeps every entry */
	for (int i = 0; i < 300; i++) {
		tl_addr_t y = A("10.0.0.0");
		y.bytes[2] = (uint8_t)(i >> 8);
		y.bytes[3] = (uint8_t)i;
		assert_int_equal(tl_attrib_add_ptr(a, &y, i % 2 ? "odd.example" : "even.example"),
				 TL_OK);
	}
	for (int i = 0; i < 300; i++) {
		tl_addr_t y = A("10.0.0.0");
		y.bytes[2] = (uint8_t)(i >> 8);
		y.bytes[3] = (uint8_t)i;
		s = tl_attrib_ptr(a, &y);
		assert_non_null(s);
		assert_string_equal(s->first, i % 2 ? "odd.example" : "even.example");
	}
	assert_string_equal(tl_attrib_ptr(a, &p)->first, "mail.example");
	char longname[300];
	memset(longname, 'a', 299);
	longname[299] = '\0';
	assert_int_equal(tl_attrib_add_ptr(a, &p, longname), TL_EINVAL);
	tl_attrib_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lpm),         cmocka_unit_test(test_lpm_zero_prefix),
		cmocka_unit_test(test_mmdb),        cmocka_unit_test(test_ptr_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
