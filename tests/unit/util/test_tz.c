/* test_tz.c - civil time in IANA zones through tzdata: DST switches, Moscow's 2011 and
 * 2014 changes, UTC arithmetic, invalid zones. Reference times from the tz database
 * (America/New_York: DST began 2016-03-13 02:00 EST = 07:00Z; Europe/Moscow: UTC+3 until
 * 2011-03-27 02:00 local = 2011-03-26T23:00Z, then UTC+4 until 2014-10-26 02:00 local =
 * 2014-10-25T22:00Z, then UTC+3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/error.h"
#include "util/time.h"
#include "util/tz.h"

static int64_t at(const char *iso)
{
	int64_t us;
	assert_int_equal(tl_time_parse(iso, strlen(iso), &us), TL_OK);
	return us;
}

static void expect(const char *zone, const char *iso, int y, int mo, int d, int h, int mi,
		   int wd, int64_t off, int dst)
{
	tl_civil_t c;
	assert_int_equal(tl_tz_civil(zone, at(iso), &c), TL_OK);
	assert_int_equal(c.year, y);
	assert_int_equal(c.month, mo);
	assert_int_equal(c.day, d);
	assert_int_equal(c.hour, h);
	assert_int_equal(c.minute, mi);
	assert_int_equal(c.weekday, wd);
	assert_int_equal(c.utc_offset_s, off);
	assert_int_equal(c.is_dst, dst);
	assert_int_equal(c.day_number, tl_days_from_civil(y, (unsigned)mo, (unsigned)d));
}

static void new_york_2016_spring_forward(void **state)
{
	(void)state;
	/* 2016-03-13 is a Sunday (weekday 6). */
	expect("America/New_York", "2016-03-13T06:59:59Z", 2016, 3, 13, 1, 59, 6, -18000, 0);
	expect("America/New_York", "2016-03-13T07:00:00Z", 2016, 3, 13, 3, 0, 6, -14400, 1);
	/* the day before in local time: 2016-03-13T04:30Z is Saturday 23:30 EST */
	expect("America/New_York", "2016-03-13T04:30:00Z", 2016, 3, 12, 23, 30, 5, -18000, 0);
	/* fall back: 2016-11-06 06:00Z is 01:00 EST (the second 01:00) */
	expect("America/New_York", "2016-11-06T05:59:59Z", 2016, 11, 6, 1, 59, 6, -14400, 1);
	expect("America/New_York", "2016-11-06T06:00:00Z", 2016, 11, 6, 1, 0, 6, -18000, 0);
}

static void moscow_2011_and_2016(void **state)
{
	(void)state;
	/* 2011-03-26 is a Saturday, 2011-03-27 a Sunday. */
	expect("Europe/Moscow", "2011-03-26T22:59:59Z", 2011, 3, 27, 1, 59, 6, 10800, 0);
	/* tzdata records the 2011 change as a new *standard* offset (+04 "MSK", isdst 0),
	 * not as summer time: the law abolished the switch back. */
	expect("Europe/Moscow", "2011-03-26T23:00:00Z", 2011, 3, 27, 3, 0, 6, 14400, 0);
	/* 2016: permanent UTC+3 (no DST), summer and winter alike; 2016-06-01 is a Wednesday */
	expect("Europe/Moscow", "2016-06-01T12:00:00Z", 2016, 6, 1, 15, 0, 2, 10800, 0);
	expect("Europe/Moscow", "2016-01-15T22:30:00Z", 2016, 1, 16, 1, 30, 5, 10800, 0);
	/* switching zones back and forth uses the right rules each time */
	expect("America/New_York", "2016-06-01T12:00:00Z", 2016, 6, 1, 8, 0, 2, -14400, 1);
	expect("Europe/Moscow", "2016-06-01T12:00:00Z", 2016, 6, 1, 15, 0, 2, 10800, 0);
}

static void utc_arithmetic(void **state)
{
	(void)state;
	/* 1970-01-01 was a Thursday (weekday 3) */
	expect("UTC", "1970-01-01T00:00:00Z", 1970, 1, 1, 0, 0, 3, 0, 0);
	expect(NULL, "2016-03-13T07:00:00Z", 2016, 3, 13, 7, 0, 6, 0, 0);
	/* before the epoch: 1969-12-31T23:59:59.5Z is Wednesday 23:59 */
	tl_civil_t c;
	tl_tz_civil_utc(-500000, &c);
	assert_int_equal(c.year, 1969);
	assert_int_equal(c.day, 31);
	assert_int_equal(c.hour, 23);
	assert_int_equal(c.second, 59);
	assert_int_equal(c.weekday, 2);
	assert_int_equal(c.day_number, -1);
}

static void invalid_zones(void **state)
{
	(void)state;
	tl_civil_t c;
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(tl_tz_civil("Nowhere/Atlantis", 0, &c), TL_EINVAL);
	assert_int_equal(c.hour, 0x5a5a5a5a); /* untouched on failure */
	assert_int_equal(tl_tz_civil("../etc/passwd", 0, &c), TL_EINVAL);
	assert_int_equal(tl_tz_civil("/usr/share/zoneinfo/UTC", 0, &c), TL_EINVAL);
	assert_int_equal(tl_tz_valid("Europe/Moscow"), 1);
	assert_int_equal(tl_tz_valid("UTC"), 1);
	assert_int_equal(tl_tz_valid("Europe/Mos cow"), 0);
	/* after a failure the previous zone still converts correctly */
	expect("Europe/Moscow", "2016-06-01T12:00:00Z", 2016, 6, 1, 15, 0, 2, 10800, 0);
}

static void zone_names_checked(void **state)
{
	(void)state;
	assert_int_equal(tl_tz_check("UTC"), TL_OK);
	assert_int_equal(tl_tz_check("Europe/Moscow"), TL_OK);
	assert_int_equal(tl_tz_check("America/Argentina/Buenos_Aires"), TL_OK);
	assert_int_equal(tl_tz_check("Etc/GMT-5"), TL_OK);
	assert_int_equal(tl_tz_check("Mars/Olympus"), TL_ENOENT);
	assert_int_equal(tl_tz_check("Europe"), TL_ENOENT);     /* a directory */
	assert_int_equal(tl_tz_check("zone.tab"), TL_EINVAL);   /* '.' is no zone character */
	assert_int_equal(tl_tz_check("localtime"), TL_EINVAL);  /* depends on the host */
	assert_int_equal(tl_tz_check("posixrules"), TL_EINVAL);
	assert_int_equal(tl_tz_check("../zoneinfo/UTC"), TL_EINVAL);
	assert_int_equal(tl_tz_check("Europe/../UTC"), TL_EINVAL);
	assert_int_equal(tl_tz_check("/UTC"), TL_EINVAL);
	assert_int_equal(tl_tz_check("Europe//Moscow"), TL_EINVAL);
	assert_int_equal(tl_tz_check("Europe/Moscow/"), TL_EINVAL);
	assert_int_equal(tl_tz_check(""), TL_EINVAL);
	assert_int_equal(tl_tz_check("Europe/Mo scow"), TL_EINVAL);
	/* tl_tz_valid: UTC in any spelling, or what tl_tz_check accepts */
	assert_int_equal(tl_tz_valid(NULL), 1);
	assert_int_equal(tl_tz_valid("Etc/UTC"), 1);
	assert_int_equal(tl_tz_valid("localtime"), 0);
	assert_int_equal(tl_tz_valid("Europe"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_york_2016_spring_forward),
		cmocka_unit_test(moscow_2011_and_2016),
		cmocka_unit_test(utc_arithmetic),
		cmocka_unit_test(invalid_zones),
		cmocka_unit_test(zone_names_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
