/* test_addr.c - addresses: parsing and the one ordering (tl_addr_cmp). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/error.h"

static tl_addr_t addr(const char *s)
{
	tl_addr_t a;
	assert_int_equal(tl_addr_parse(s, strlen(s), &a), TL_OK);
	return a;
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void addr_cmp_orders_by_family_then_bytes(void **state)
{
	(void)state;
	tl_addr_t unknown;
	memset(&unknown, 0, sizeof(unknown));
	tl_addr_t a = addr("192.0.2.1"), b = addr("192.0.2.10"), c = addr("198.51.100.1");
	tl_addr_t d = addr("2001:db8::1"), e = addr("::1");
	assert_int_equal(tl_addr_cmp(&a, &a), 0);
	tl_addr_t a2 = addr("192.0.2.1");
	assert_int_equal(tl_addr_cmp(&a, &a2), 0);
	assert_true(tl_addr_equal(&a, &a2));
	assert_int_equal(sign(tl_addr_cmp(&a, &b)), -1);
	assert_int_equal(sign(tl_addr_cmp(&b, &a)), 1);
	assert_int_equal(sign(tl_addr_cmp(&b, &c)), -1); /* byte by byte, not as text */
	assert_int_equal(sign(tl_addr_cmp(&c, &d)), -1); /* every IPv4 before any IPv6 */
	assert_int_equal(sign(tl_addr_cmp(&e, &d)), -1);
	assert_int_equal(sign(tl_addr_cmp(&unknown, &a)), -1); /* unknown first */
	/* IPv6 bytes above 0x7f compare as unsigned */
	tl_addr_t f = addr("8000::"), g = addr("7fff::");
	assert_int_equal(sign(tl_addr_cmp(&g, &f)), -1);
}

static int cmp(const void *x, const void *y)
{
	return tl_addr_cmp(x, y);
}

static void addr_cmp_sorts(void **state)
{
	(void)state;
	tl_addr_t v[] = {addr("2001:db8::2"), addr("10.0.0.2"), addr("2001:db8::1"),
			 addr("10.0.0.1")};
	qsort(v, 4, sizeof(v[0]), cmp);
	char s[TL_ADDR_STR_LEN];
	tl_addr_format(&v[0], s);
	assert_string_equal(s, "10.0.0.1");
	tl_addr_format(&v[1], s);
	assert_string_equal(s, "10.0.0.2");
	tl_addr_format(&v[2], s);
	assert_string_equal(s, "2001:db8::1");
	tl_addr_format(&v[3], s);
	assert_string_equal(s, "2001:db8::2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addr_cmp_orders_by_family_then_bytes),
		cmocka_unit_test(addr_cmp_sorts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
