/* test_timeutil.c - civil dates, ISO formatting and strict timestamp parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/time.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static int64_t parse_ok(const char *s, size_t n)
{
	int64_t us = 12345;
	assert_int_equal(tl_time_parse(s, n, &us), TL_OK);
	return us;
}

static void parse_bad(const char *s, size_t n)
{
	int64_t us = 777;
	assert_int_equal(tl_time_parse(s, n, &us), TL_EFORMAT);
	assert_int_equal(us, 777); /* untouched on failure */
}

static void fmt_is(int64_t us, const char *want)
{
	char out[TL_TIME_ISO_LEN];
	tl_time_format_iso(us, out);
	assert_string_equal(out, want);
}

static void test_days_known(void **state)
{
	(void)state;
	assert_int_equal(tl_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tl_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(tl_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(tl_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tl_days_from_civil(2016, 5, 4), 16925); /* 1462320000 / 86400 */
	assert_int_equal(tl_days_from_civil(1900, 3, 1), -25508);
	assert_int_equal(tl_days_from_civil(0, 1, 1), -719528);
	/* leap years: 2000 (div 400) has Feb 29, 1900 (div 100) has not */
	assert_int_equal(tl_days_from_civil(2000, 3, 1) - tl_days_from_civil(2000, 2, 28), 2);
	assert_int_equal(tl_days_from_civil(1900, 3, 1) - tl_days_from_civil(1900, 2, 28), 1);
	assert_int_equal(tl_days_from_civil(2016, 3, 1) - tl_days_from_civil(2016, 2, 28), 2);
}

static void test_days_roundtrip(void **state)
{
	(void)state;
	/* every day across 1600..2400 and a band of negative years, in steps */
	int64_t prev = tl_days_from_civil(-401, 1, 1) - 1;
	for (int64_t z = prev + 1; z < tl_days_from_civil(2401, 1, 1); z += 7) {
		int64_t y;
		unsigned m, d;
		tl_civil_from_days(z, &y, &m, &d);
		assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		assert_int_equal(tl_days_from_civil(y, m, d), z);
	}
	int64_t y;
	unsigned m, d;
	tl_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	tl_civil_from_days(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void test_format(void **state)
{
	(void)state;
	fmt_is(0, "1970-01-01T00:00:00.000000Z");
	fmt_is(INT64_C(1462320000) * TL_US_PER_SEC, "2016-05-04T00:00:00.000000Z");
	fmt_is(INT64_C(1462363201123456), "2016-05-04T12:00:01.123456Z");
	/* negative times: floor, not truncation toward zero */
	fmt_is(-1, "1969-12-31T23:59:59.999999Z");
	fmt_is(-TL_US_PER_SEC, "1969-12-31T23:59:59.000000Z");
	fmt_is(-1500000, "1969-12-31T23:59:58.500000Z");
	fmt_is(INT64_C(951782400) * TL_US_PER_SEC, "2000-02-29T00:00:00.000000Z");
	/* clamped to the representable range as a whole instant */
	fmt_is(INT64_MAX, "9999-12-31T23:59:59.999999Z");
	fmt_is(INT64_MIN, "0000-01-01T00:00:00.000000Z");
	fmt_is(INT64_C(253402300800) * TL_US_PER_SEC, "9999-12-31T23:59:59.999999Z");
	fmt_is(INT64_C(253402300799) * TL_US_PER_SEC, "9999-12-31T23:59:59.000000Z");
}

static void test_parse_epoch(void **state)
{
	(void)state;
	assert_int_equal(parse_ok(S("1462320000")), INT64_C(1462320000000000));
	assert_int_equal(parse_ok(S("0")), 0);
	assert_int_equal(parse_ok(S("1462363201.25")), INT64_C(1462363201250000));
	assert_int_equal(parse_ok(S("1462363201.123456")), INT64_C(1462363201123456));
	/* beyond microseconds: truncated, not rounded, and any length accepted */
	assert_int_equal(parse_ok(S("1462363201.123456999")), INT64_C(1462363201123456));
	assert_int_equal(parse_ok(S("1.0000009999999999999999999")), INT64_C(1000000));
	assert_int_equal(parse_ok(S("-1.5")), -1500000);
	assert_int_equal(parse_ok(S("-0.000001")), -1);
	parse_bad(S(""));
	parse_bad(S("-"));
	parse_bad(S("12."));
	parse_bad(S(".5"));
	parse_bad(S("+5"));
	parse_bad(S("1e9"));
	parse_bad(S(" 1"));
	parse_bad(S("1 "));
	parse_bad(S("1234567890123")); /* 13 digits */
	parse_bad(S("1.2.3"));
	/* the length is respected: a NUL or text after len is not read */
	assert_int_equal(parse_ok("12345junk", 5), INT64_C(12345000000));
}

static void test_parse_iso(void **state)
{
	(void)state;
	const int64_t base = INT64_C(1462320000) * TL_US_PER_SEC; /* 2016-05-04T00:00:00Z */
	assert_int_equal(parse_ok(S("2016-05-04T00:00:00Z")), base);
	assert_int_equal(parse_ok(S("2016-05-04 00:00:00")), base);
	assert_int_equal(parse_ok(S("2016-05-04t00:00z")), base);
	assert_int_equal(parse_ok(S("2016-05-04T13:00:01.123Z")),
			 base + INT64_C(46801123000));
	assert_int_equal(parse_ok(S("2016-05-04T13:00:01,5Z")), base + INT64_C(46801500000));
	assert_int_equal(parse_ok(S("2016-05-04T13:00:01.123456789Z")),
			 base + INT64_C(46801123456));
	/* zones: local = UTC + offset, so UTC = local - offset */
	assert_int_equal(parse_ok(S("2016-05-04T02:00:00+02:00")), base);
	assert_int_equal(parse_ok(S("2016-05-04T02:00:00+0200")), base);
	assert_int_equal(parse_ok(S("2016-05-04T02:00:00+02")), base);
	assert_int_equal(parse_ok(S("2016-05-03T18:30:00-0530")), base);
	assert_int_equal(parse_ok(S("2016-05-03T18:30:00-05:30")), base);
	assert_int_equal(parse_ok(S("2016-05-04T00:00:00-00:00")), base);
	/* leap days */
	assert_int_equal(parse_ok(S("2016-02-29T00:00:00Z")), INT64_C(1456704000000000));
	assert_int_equal(parse_ok(S("2000-02-29T00:00:00Z")), INT64_C(951782400000000));
	/* negative (before 1970) */
	assert_int_equal(parse_ok(S("1969-12-31T23:59:59Z")), -TL_US_PER_SEC);
	assert_int_equal(parse_ok(S("1900-01-01T00:00:00Z")), INT64_C(-2208988800000000));
	/* leap second folded onto the next second */
	assert_int_equal(parse_ok(S("2016-12-31T23:59:60Z")), INT64_C(1483228800000000));

	parse_bad(S("2016-02-30T00:00:00Z"));
	parse_bad(S("2015-02-29T00:00:00Z"));
	parse_bad(S("1900-02-29T00:00:00Z"));
	parse_bad(S("2016-04-31T00:00:00Z"));
	parse_bad(S("2016-13-01T00:00:00Z"));
	parse_bad(S("2016-00-01T00:00:00Z"));
	parse_bad(S("2016-05-00T00:00:00Z"));
	parse_bad(S("0000-05-04T00:00:00Z"));
	parse_bad(S("2016-05-04T24:00:00Z"));
	parse_bad(S("2016-05-04T23:60:00Z"));
	parse_bad(S("2016-05-04T23:59:61Z"));
	parse_bad(S("2016-05-04"));
	parse_bad(S("2016-05-04T"));
	parse_bad(S("2016-05-04T1:00:00Z"));
	parse_bad(S("2016-5-04T01:00:00Z"));
	parse_bad(S("2016-05-04T01:00:00."));
	parse_bad(S("2016-05-04T01:00:00+"));
	parse_bad(S("2016-05-04T01:00:00+2"));
	parse_bad(S("2016-05-04T01:00:00+02:")); /* colon without minutes */
	parse_bad(S("2016-05-04T01:00:00+02:0"));
	parse_bad(S("2016-05-04T01:00:00+020"));
	parse_bad(S("2016-05-04T01:00:00+24:00"));
	parse_bad(S("2016-05-04T01:00:00+02:60"));
	parse_bad(S("2016-05-04T01:00:00ZZ"));
	parse_bad(S("2016-05-04T01:00:00 Z"));
	parse_bad(S("2016-05-04X01:00:00Z"));
}

static void test_from_fields(void **state)
{
	(void)state;
	int64_t us = 5;
	assert_int_equal(tl_time_from_fields(2016, 5, 4, 0, 0, 0, 0, 0, &us), TL_OK);
	assert_int_equal(us, INT64_C(1462320000000000));
	assert_int_equal(tl_time_from_fields(2016, 5, 4, 5, 30, 0, 1, 19800, &us), TL_OK);
	assert_int_equal(us, INT64_C(1462320000000001));
	us = 5;
	assert_int_equal(tl_time_from_fields(2016, 2, 30, 0, 0, 0, 0, 0, &us), TL_EFORMAT);
	assert_int_equal(tl_time_from_fields(2016, 1, 1, 0, 0, 0, -1, 0, &us), TL_EFORMAT);
	assert_int_equal(tl_time_from_fields(2016, 1, 1, 0, 0, 0, TL_US_PER_SEC, 0, &us),
			 TL_EFORMAT);
	assert_int_equal(tl_time_from_fields(10000, 1, 1, 0, 0, 0, 0, 0, &us), TL_EFORMAT);
	assert_int_equal(us, 5);
}

/* format -> parse gives the same instant, over many values of both signs */
static void test_roundtrip(void **state)
{
	(void)state;
	uint64_t x = 0x9e3779b97f4a7c15u; /* fixed sequence: deterministic */
	const int64_t lo = tl_days_from_civil(1, 1, 1) * 86400 * TL_US_PER_SEC;
	const int64_t hi = tl_days_from_civil(10000, 1, 1) * 86400 * TL_US_PER_SEC;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t us = lo + (int64_t)(x % (uint64_t)(hi - lo));
		if (i % 4 == 0) /* plenty near the epoch, both sides */
			us = (int64_t)(x % (INT64_C(4000000000) * TL_US_PER_SEC)) -
			     INT64_C(2000000000) * TL_US_PER_SEC;
		char out[TL_TIME_ISO_LEN];
		tl_time_format_iso(us, out);
		assert_int_equal(strlen(out), TL_TIME_ISO_LEN - 1);
		assert_int_equal(parse_ok(out, strlen(out)), us);
	}
	/* epoch text round trip for second boundaries */
	for (int64_t s = -100000; s <= 100000; s += 997) {
		char buf[32];
		int n = 0;
		int64_t v = s < 0 ? -s : s;
		char tmp[24];
		int k = 0;
		do {
			tmp[k++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		if (s < 0)
			buf[n++] = '-';
		while (k)
			buf[n++] = tmp[--k];
		assert_int_equal(parse_ok(buf, (size_t)n), s * TL_US_PER_SEC);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_known),  cmocka_unit_test(test_days_roundtrip),
		cmocka_unit_test(test_format),	    cmocka_unit_test(test_parse_epoch),
		cmocka_unit_test(test_parse_iso),   cmocka_unit_test(test_from_fields),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
