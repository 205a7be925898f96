/* test_num.c - floor division and the checked decimal parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/error.h"
#include "util/num.h"

static void floor_div_rounds_down_for_every_sign(void **state)
{
	(void)state;
	assert_int_equal(tl_num_floor_div(7, 2), 3);
	assert_int_equal(tl_num_floor_div(-7, 2), -4); /* C's -7 / 2 is -3 */
	assert_int_equal(tl_num_floor_div(-8, 2), -4);
	assert_int_equal(tl_num_floor_div(7, -2), -4);
	assert_int_equal(tl_num_floor_div(-7, -2), 3);
	assert_int_equal(tl_num_floor_div(0, 5), 0);
	assert_int_equal(tl_num_floor_div(-1, 60000000), -1); /* a microsecond before a minute */
	assert_int_equal(tl_num_floor_div(INT64_MIN, 1), INT64_MIN);
}

static int u64(const char *s, uint64_t max, unsigned flags, uint64_t *v)
{
	return tl_num_parse_u64(s, strlen(s), max, flags, v);
}

static void parse_u64_checks_digits_length_and_max(void **state)
{
	(void)state;
	uint64_t v = 99;
	assert_int_equal(u64("0", 10, 0, &v), TL_OK);
	assert_int_equal(v, 0);
	assert_int_equal(u64("18446744073709551615", UINT64_MAX, 0, &v), TL_OK);
	assert_true(v == UINT64_MAX);
	v = 99;
	assert_int_equal(u64("18446744073709551616", UINT64_MAX, 0, &v), TL_EFORMAT); /* overflow */
	assert_int_equal(u64("000000000000000000001", UINT64_MAX, 0, &v), TL_EFORMAT); /* 21 digits */
	assert_int_equal(u64("", 10, 0, &v), TL_EFORMAT);
	assert_int_equal(u64("-1", 10, 0, &v), TL_EFORMAT);
	assert_int_equal(u64("+1", 10, 0, &v), TL_EFORMAT);
	assert_int_equal(u64(" 1", 10, 0, &v), TL_EFORMAT);
	assert_int_equal(u64("1 ", 10, 0, &v), TL_EFORMAT);
	assert_int_equal(u64("0x1", 10, 0, &v), TL_EFORMAT);
	assert_int_equal(u64("11", 10, 0, &v), TL_EFORMAT); /* over max */
	assert_int_equal(v, 99); /* untouched on failure */
	assert_int_equal(tl_num_parse_u64("129", 2, 128, 0, &v), TL_OK); /* only len bytes */
	assert_int_equal(v, 12);
}

static void parse_u64_leading_zeros(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_int_equal(u64("007", 10, 0, &v), TL_OK);
	assert_int_equal(v, 7);
	assert_int_equal(u64("007", 10, TL_NUM_NO_LEADING_ZEROS, &v), TL_EFORMAT);
	assert_int_equal(u64("0", 10, TL_NUM_NO_LEADING_ZEROS, &v), TL_OK);
	assert_int_equal(u64("10", 10, TL_NUM_NO_LEADING_ZEROS, &v), TL_OK);
	assert_int_equal(v, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(floor_div_rounds_down_for_every_sign),
		cmocka_unit_test(parse_u64_checks_digits_length_and_max),
		cmocka_unit_test(parse_u64_leading_zeros),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
