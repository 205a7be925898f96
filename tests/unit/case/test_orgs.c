/* test_orgs.c - the organisations file: what is read, and each refusal with its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "case/orgs.h"
#include "util/error.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define DATA TL_TEST_DATA_DIR "/data/analysis/"

static char tmpdir[64], tmpcsv[128];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tl-test-orgs-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tmpcsv, sizeof(tmpcsv), "%s/o.csv", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmpcsv);
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

static void orgs_fails(const char *text, const char *want_after_path)
{
	write_bytes(tmpcsv, text, strlen(text));
	tl_orgs_t *o = NULL;
	char err[512], want[640];
	assert_int_equal(tl_orgs_load(tmpcsv, &o, err, sizeof(err)), TL_EFORMAT);
	assert_null(o);
	snprintf(want, sizeof(want), "%s%s", tmpcsv, want_after_path);
	assert_string_equal(err, want);
}

static void test_orgs_file(void **state)
{
	(void)state;
	tl_orgs_t *o = NULL;
	char err[512];
	assert_int_equal(tl_orgs_load(DATA "orgs.csv", &o, err, sizeof(err)), TL_OK);
	/* 11 rows, one an exact repeat of the same organisation: kept once */
	assert_int_equal(o->n_prefixes, 10);
	assert_int_equal(o->n_names, 8);
	/* names sorted bytewise: ASCII first, Cyrillic (0xd0..) last */
	assert_string_equal(o->names[0], "Branch, v6");
	assert_string_equal(o->names[3], "Mapped v4 range");
	assert_string_equal(o->names[4], "Northwind Broadband, Inc.");
	assert_string_equal(o->names[6], "The \"Desk\" Host");
	assert_string_equal(o->names[7], "АО «Банк Полярный»");
	assert_string_equal(o->zones[7], "Europe/Moscow");
	assert_null(o->zones[0]);
	assert_string_equal(o->prefixes[0].cidr, "198.51.100.16/29");
	assert_int_equal(o->prefixes[0].line, 2);
	assert_string_equal(o->names[o->prefixes[0].org], "АО «Банк Полярный»");
	assert_string_equal(o->prefixes[9].cidr, "::ffff:198.51.100.0/120");
	assert_int_equal(o->prefixes[9].line, 12);
	assert_int_equal(strlen(o->sha256_hex), 64);
	tl_orgs_free(o);
	tl_orgs_free(NULL);
}

static void test_orgs_errors(void **state)
{
	(void)state;
	orgs_fails("", ": empty file (the header 'cidr,organisation' is required)");
	orgs_fails("10.0.0.0/8,A\n",
		   ":1: expected the header 'cidr,organisation' or 'cidr,organisation,timezone'");
	orgs_fails("cidr,organisation\n10.0.0.1/8,A\n",
		   ":2: host bits set in CIDR '10.0.0.1/8' (the network is 10.0.0.0/8)");
	orgs_fails("cidr,organisation\n\n2001:db8::1/32,A\n",
		   ":3: host bits set in CIDR '2001:db8::1/32' (the network is 2001:db8::/32)");
	orgs_fails("cidr,organisation\n10.0.0.0/33,A\n",
		   ":2: bad CIDR '10.0.0.0/33' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)");
	orgs_fails("cidr,organisation\n10.0.0.0,A\n",
		   ":2: bad CIDR '10.0.0.0' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)");
	orgs_fails("cidr,organisation\n10.0.0.0/08,A\n",
		   ":2: bad CIDR '10.0.0.0/08' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)");
	orgs_fails("cidr,organisation\nfe80::%eth0/64,A\n",
		   ":2: bad CIDR 'fe80::%eth0/64' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)");
	orgs_fails("cidr,organisation\n10.0.0.0/8,A\n10.0.0.0/8,B\n",
		   ":3: CIDR 10.0.0.0/8 given for 'B', but line 2 gives it to 'A'");
	orgs_fails("cidr,organisation\n10.0.0.0/8,A,x\n", ":2: 3 fields, expected 2 as in the header");
	orgs_fails("cidr,organisation\n10.0.0.0/8,\"A\n", ":2: unterminated quoted field");
	orgs_fails("cidr,organisation\n10.0.0.0/8,\"A\"x\n", ":2: text after a closing quote");
	orgs_fails("cidr,organisation\n10.0.0.0/8,A\"x\n", ":2: quote inside an unquoted field");
	orgs_fails("cidr,organisation\n10.0.0.0/8,\n",
		   ":2: organisation name empty or longer than 255 bytes");
	orgs_fails("cidr,organisation\n10.0.0.0/8,unattributed\n",
		   ":2: the organisation name 'unattributed' is reserved");
	orgs_fails("cidr,organisation\n10.0.0.0/8,\xd0\xb0\xd0\n", ":2: invalid UTF-8");
	orgs_fails("cidr,organisation,timezone\n10.0.0.0/8,A,Mars/Base\n",
		   ":2: unknown time zone 'Mars/Base'");
	orgs_fails("cidr,organisation,timezone\n10.0.0.0/8,A,../../etc/passwd\n",
		   ":2: bad time zone '../../etc/passwd'");
	orgs_fails("cidr,organisation,timezone\n10.0.0.0/8,A,UTC\n11.0.0.0/8,A,Europe/Paris\n",
		   ":3: time zone 'Europe/Paris' for 'A', but line 2 gives 'UTC'");
}

static void cidr_helpers(void **state)
{
	(void)state;
	tl_addr_t a;
	char text[TL_ATTRIB_NET_LEN];
	assert_int_equal(tl_addr_parse("198.51.100.77", 13, &a), TL_OK);
	tl_cidr_mask(&a, 26);
	tl_cidr_text(&a, 26, text);
	assert_string_equal(text, "198.51.100.64/26");
	assert_int_equal(tl_addr_parse("2001:db8:ffff::1", 16, &a), TL_OK);
	tl_cidr_mask(&a, 36);
	tl_cidr_text(&a, 36, text);
	assert_string_equal(text, "2001:db8:f000::/36");
	assert_int_equal(tl_orgs_bit(a.bytes, 0), 0);
	assert_int_equal(tl_orgs_bit(a.bytes, 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orgs_file),
		cmocka_unit_test(test_orgs_errors),
		cmocka_unit_test(cidr_helpers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
