/* test_fmt.c - every number, interval, p-value, percentage, duration and date format of
 * render/fmt.h: the report's, and the terminal's and the charts' own forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/fmt.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"

#define FMT(call, want)                                                                        \
	do {                                                                                   \
		tl_buf_t b_;                                                                   \
		tl_buf_init(&b_);                                                              \
		call;                                                                          \
		assert_string_equal(b_.data ? b_.data : "", want);                             \
		tl_buf_free(&b_);                                                              \
	} while (0)

static void test_numbers(void **state)
{
	(void)state;
	FMT(tl_fmt_uint(&b_, 0, NULL), "0");
	FMT(tl_fmt_uint(&b_, 999, NULL), "999");
	FMT(tl_fmt_uint(&b_, 3511, NULL), "3,511");
	FMT(tl_fmt_uint(&b_, 1000000, NULL), "1,000,000");
	FMT(tl_fmt_uint(&b_, UINT64_MAX, NULL), "18,446,744,073,709,551,615");
	FMT(tl_fmt_int(&b_, -1234567, NULL), "-1,234,567");
	FMT(tl_fmt_int(&b_, INT64_MIN, NULL), "-9,223,372,036,854,775,808");
	FMT(tl_fmt_fixed(&b_, 12345.678, 1, NULL), "12,345.7");
	FMT(tl_fmt_fixed(&b_, 2.5, 0, NULL), "2");  /* exact binary half: to even */
	FMT(tl_fmt_fixed(&b_, -0.04, 1, NULL), "0.0"); /* no "-0.0" */
	FMT(tl_fmt_fixed(&b_, -1.25, 2, NULL), "-1.25");
	FMT(tl_fmt_fixed(&b_, NAN, 2, NULL), "n/a");
	FMT(tl_fmt_fixed(&b_, -INFINITY, 2, NULL), "-\xe2\x88\x9e");
	FMT(tl_fmt_pct(&b_, 0.7962, 1, NULL), "79.6%");
	FMT(tl_fmt_pct(&b_, 1.0, 1, NULL), "100.0%");
	FMT(tl_fmt_pct(&b_, 0.0, 2, NULL), "0.00%");
	FMT(tl_fmt_pct(&b_, NAN, 1, NULL), "n/a");
	FMT(tl_fmt_level(&b_, 0.95, NULL), "95%");
	FMT(tl_fmt_level(&b_, 0.995, NULL), "99.5%");
	FMT(tl_fmt_level(&b_, 0.9, NULL), "90%");
	FMT(tl_fmt_pct_ci(&b_, 0.780, 0.765, 0.793, 0.95, 1, NULL),
	    "78.0% (95% CI 76.5\xe2\x80\x93" "79.3%)");
	FMT(tl_fmt_pct_ci(&b_, 0.5, NAN, 0.6, 0.95, 1, NULL), "50.0% (95% CI n/a)");
	FMT(tl_fmt_count_pct_ci(&b_, 2820, 0.796, 0.782, 0.809, 0.95, 1, NULL),
	    "2,820 (79.6%, 95% CI 78.2\xe2\x80\x93" "80.9%)");
	FMT(tl_fmt_count_pct_ci(&b_, 0, NAN, NAN, NAN, 0.95, 1, NULL), "0 (n/a)");
	FMT(tl_fmt_ratio_ci(&b_, 2.414, 1.8, 3.2249, 0.99, 2, NULL),
	    "2.41 (99% CI 1.80\xe2\x80\x93" "3.22)");
	FMT(tl_fmt_ratio_ci(&b_, 5, 1.5, INFINITY, 0.95, 2, NULL),
	    "5.00 (95% CI 1.50\xe2\x80\x93\xe2\x88\x9e)");
	FMT(tl_fmt_p(&b_, 0.00001, 4, NULL), "< 0.0001");
	FMT(tl_fmt_p(&b_, 0.0, 4, NULL), "< 0.0001");
	FMT(tl_fmt_p(&b_, 0.0123, 4, NULL), "0.0123");
	FMT(tl_fmt_p(&b_, 0.0001, 4, NULL), "0.0001");
	FMT(tl_fmt_p(&b_, 1.0, 3, NULL), "1.000");
	FMT(tl_fmt_p(&b_, 0.04, 1, NULL), "< 0.1");
	FMT(tl_fmt_p(&b_, NAN, 4, NULL), "n/a");
}

static void test_durations(void **state)
{
	const int64_t S = TL_US_PER_SEC;

	(void)state;
	FMT(tl_fmt_duration(&b_, 0, NULL), "0 s");
	FMT(tl_fmt_duration(&b_, 36 * 3600 * S, NULL), "1 d 12 h");
	FMT(tl_fmt_duration(&b_, 86400 * S, NULL), "1 d");
	FMT(tl_fmt_duration(&b_, (3 * 3600 + 5 * 60 + 29) * S, NULL), "3 h 5 min");
	FMT(tl_fmt_duration(&b_, (3 * 3600 + 5 * 60 + 30) * S, NULL), "3 h 6 min");
	FMT(tl_fmt_duration(&b_, 42 * S, NULL), "42 s");
	FMT(tl_fmt_duration(&b_, 120 * S, NULL), "2 min");
	FMT(tl_fmt_duration(&b_, 59 * S + 600000, NULL), "1 min"); /* 59.6 s rounds up */
	FMT(tl_fmt_duration(&b_, (23 * 3600 + 59 * 60 + 40) * S, NULL), "1 d"); /* carried */
	FMT(tl_fmt_duration(&b_, 350000, NULL), "350 ms");
	FMT(tl_fmt_duration(&b_, 999600, NULL), "1 s");
	FMT(tl_fmt_duration(&b_, 12, NULL), "12 \xc2\xb5s");
	FMT(tl_fmt_duration(&b_, -90 * S, NULL), "-1 min 30 s");
	FMT(tl_fmt_duration(&b_, INT64_MIN, NULL), "-106,751,991 d 4 h");
}

static void test_dates(void **state)
{
	int64_t t;
	tl_civil_t c;

	(void)state;
	assert_int_equal(tl_time_parse("2016-05-04T06:10:07.9Z", 22, &t), TL_OK);
	FMT(tl_fmt_time(&b_, t, TL_DATE_LONG, NULL), "4 May 2016");
	FMT(tl_fmt_time(&b_, t, TL_DATE_ABBR, NULL), "4 May 2016");
	FMT(tl_fmt_time(&b_, t, TL_DATE_ISO, NULL), "2016-05-04");
	FMT(tl_fmt_time(&b_, t, TL_DATE_MONTH, NULL), "May 2016");
	FMT(tl_fmt_time(&b_, t, TL_DATE_DAY_MONTH, NULL), "4 May");
	FMT(tl_fmt_time(&b_, t, TL_DATETIME_ISO, NULL), "2016-05-04 06:10 UTC");
	FMT(tl_fmt_time(&b_, t, TL_DATETIME_ISO_SEC, NULL), "2016-05-04 06:10:07 UTC");
	FMT(tl_fmt_time(&b_, t, TL_DATETIME_LONG, NULL), "4 May 2016, 06:10 UTC");
	FMT(tl_fmt_time(&b_, t, TL_DATETIME_WEEKDAY, NULL), "Wednesday, 4 May 2016, 06:10 UTC");
	FMT(tl_fmt_time(&b_, TL_TIME_NONE, TL_DATE_LONG, NULL), "n/a");
	assert_int_equal(tl_time_parse("2016-09-30T23:59:59Z", 20, &t), TL_OK);
	FMT(tl_fmt_time(&b_, t, TL_DATE_ABBR, NULL), "30 Sep 2016");
	FMT(tl_fmt_time(&b_, t, TL_DATE_LONG, NULL), "30 September 2016");
	/* Civil time in another zone, labelled with the zone given. */
	memset(&c, 0, sizeof(c));
	c.year = 2016;
	c.month = 5;
	c.day = 4;
	c.hour = 9;
	c.minute = 10;
	c.weekday = 2;
	FMT(tl_fmt_civil(&b_, &c, TL_DATETIME_ISO, "MSK", NULL), "2016-05-04 09:10 MSK");
	FMT(tl_fmt_civil(&b_, &c, TL_DATETIME_LONG, "Europe/Moscow", NULL),
	    "4 May 2016, 09:10 Europe/Moscow");
	/* Every month name comes from the one table. */
	for (int m = 1; m <= 12; m++) {
		char want[40];
		c.month = m;
		snprintf(want, sizeof(want), "4 %s 2016", tl_lang_en.months[m - 1]);
		FMT(tl_fmt_civil(&b_, &c, TL_DATE_LONG, NULL, NULL), want);
	}
	assert_string_equal(tl_lang_en.months[0], "January");
	assert_string_equal(tl_lang_en.months[11], "December");
}


/* The terminal summary's forms, as text_summary.c wrote them before they moved here. */
static void test_terminal_forms(void **state)
{
	const int64_t S = TL_US_PER_SEC;

	(void)state;
	FMT(tl_fmt_fixed_sci(&b_, 1234.5678, 2, NULL), "1,234.57");
	FMT(tl_fmt_fixed_sci(&b_, -0.001, 2, NULL), "0.00");
	FMT(tl_fmt_fixed_sci(&b_, 1.5e18, 2, NULL), "1.50e+18");
	FMT(tl_fmt_fixed_sci(&b_, -2e19, 1, NULL), "-2.0e+19");
	FMT(tl_fmt_fixed_sci(&b_, NAN, 2, NULL), "n/a");
	FMT(tl_fmt_fixed_sci(&b_, INFINITY, 2, NULL), "\xe2\x88\x9e");
	FMT(tl_fmt_trim(&b_, 0.05, 6, NULL), "0.05");
	FMT(tl_fmt_trim(&b_, 95.0, 4, NULL), "95");
	FMT(tl_fmt_trim(&b_, 100, 0, NULL), "100"); /* no point: no zero is dropped */
	FMT(tl_fmt_level_alpha(&b_, 0.05, NULL), "95%");
	FMT(tl_fmt_level_alpha(&b_, 0.000001, NULL), "99.9999%");
	FMT(tl_fmt_level_alpha(&b_, 0.0, NULL), "n/a");
	FMT(tl_fmt_level_alpha(&b_, 1.0, NULL), "n/a");
	FMT(tl_fmt_pct_range(&b_, 0.765, 0.793, 1, NULL), "76.5\xe2\x80\x93" "79.3%");
	FMT(tl_fmt_pct_range(&b_, NAN, 0.793, 1, NULL), "n/a");
	FMT(tl_fmt_count_pct_alpha(&b_, 2589, 0.780, 0.765, 0.793, 0.05, 1, NULL),
	    "2,589 (78.0%, 95% CI 76.5\xe2\x80\x93" "79.3%)");
	FMT(tl_fmt_count_pct_alpha(&b_, 0, NAN, NAN, NAN, 0.05, 1, NULL), "0");
	FMT(tl_fmt_count_pct_alpha(&b_, 3, 1.0, NAN, 0.5, 0.05, 1, NULL),
	    "3 (100.0%, 95% CI n/a\xe2\x80\x93" "50.0%)");
	/* "< 0.0001" only for what rounds to zero: from 0.00005 on it is "0.0001" */
	FMT(tl_fmt_p_round(&b_, 0.00005, 4, NULL), "0.0001");
	FMT(tl_fmt_p_round(&b_, nextafter(0.00005, 0.0), 4, NULL), "< 0.0001");
	FMT(tl_fmt_p_round(&b_, 0.0, 4, NULL), "< 0.0001");
	FMT(tl_fmt_p_round(&b_, 0.0123, 4, NULL), "0.0123");
	FMT(tl_fmt_p_round(&b_, NAN, 4, NULL), "n/a");
	FMT(tl_fmt_duration_dhms(&b_, 0, NULL), "0s");
	FMT(tl_fmt_duration_dhms(&b_, 42 * S + 999999, NULL), "42s"); /* cut, not rounded */
	FMT(tl_fmt_duration_dhms(&b_, 300 * S, NULL), "5m 00s");
	FMT(tl_fmt_duration_dhms(&b_, (3 * 3600 + 5 * 60) * S, NULL), "3h 05m 00s");
	FMT(tl_fmt_duration_dhms(&b_, (86400 + 2 * 3600 + 3 * 60 + 4) * S, NULL), "1d 02h 03m 04s");
	FMT(tl_fmt_duration_dhms(&b_, -90 * S, NULL), "-1m 30s");
	FMT(tl_fmt_duration_dhms(&b_, INT64_MIN, NULL), "-106,751,991d 04h 00m 54s");
	FMT(tl_fmt_offset(&b_, 980003, NULL), "+0.980003 s");
	FMT(tl_fmt_offset(&b_, -1500000, NULL), "-1.500000 s");
	FMT(tl_fmt_offset(&b_, 0, NULL), "+0.000000 s");
	FMT(tl_fmt_offset(&b_, 1234 * S, NULL), "+1,234.000000 s");
	FMT(tl_fmt_time_iso(&b_, 1462342207 * S + 900000, 0, "-"), "2016-05-04T06:10:07Z");
	FMT(tl_fmt_time_iso(&b_, 1462342207 * S, 1, "-"), "2016-05-04");
	FMT(tl_fmt_time_iso(&b_, TL_TIME_NONE, 0, "\xe2\x80\x94"), "\xe2\x80\x94");
}

/* The charts' forms, as chart.c wrote them before they moved here. */
static void test_chart_forms(void **state)
{
	tl_civil_t c;

	(void)state;
	FMT(tl_fmt_chart_num(&b_, 1234567.891, 2, NULL), "1,234,567.89");
	FMT(tl_fmt_chart_num(&b_, -0.001, 2, NULL), "0.00");
	FMT(tl_fmt_chart_num(&b_, 1e-10, 10, NULL), "0.0000000001");
	FMT(tl_fmt_chart_num(&b_, 1e-11, 12, NULL), "0.0000000000"); /* at most 10 decimals */
	FMT(tl_fmt_chart_num(&b_, INFINITY, 1, NULL), "n/a");
	FMT(tl_fmt_chart_num(&b_, NAN, 1, NULL), "n/a");
	FMT(tl_fmt_chart_num(&b_, 1e15, 0, NULL), "too large");
	FMT(tl_fmt_chart_num(&b_, 999999999999999.0, 0, NULL), "999,999,999,999,999");
	FMT(tl_fmt_chart_share(&b_, 0.78, 0.765, 0.793, NULL), "78.0% (76.5\xe2\x80\x93" "79.3)");
	FMT(tl_fmt_chart_share(&b_, 0.78, NAN, 0.793, NULL), "78.0%");
	FMT(tl_fmt_chart_share(&b_, 0.78, 0.7, INFINITY, NULL), "78.0%");
	FMT(tl_fmt_chart_ratio(&b_, 2.414, 1.8, 3.2249, NULL), "2.41 (1.80\xe2\x80\x93" "3.22)");
	FMT(tl_fmt_chart_ratio(&b_, 125.4, 0.0123, INFINITY, NULL),
	    "125 (0.0123\xe2\x80\x93\xe2\x88\x9e)");
	FMT(tl_fmt_chart_ratio(&b_, 2.0, -1, 3, NULL), "2.00");
	FMT(tl_fmt_chart_ratio(&b_, 2.0, 1, NAN, NULL), "2.00");
	FMT(tl_fmt_chart_ratio(&b_, NAN, 1, 2, NULL), "not estimable");
	FMT(tl_fmt_chart_ratio(&b_, INFINITY, 1, 2, NULL), "not estimable");
	FMT(tl_fmt_chart_ratio(&b_, 0.0000001, 0, 1, NULL), "0.000000 (0.00\xe2\x80\x93" "1.00)");
	memset(&c, 0, sizeof(c));
	c.year = 2016;
	c.month = 9;
	c.day = 4;
	FMT(tl_fmt_civil(&b_, &c, TL_DATE_YEAR, NULL, NULL), "2016");
	FMT(tl_fmt_civil(&b_, &c, TL_DATE_MON_YEAR, NULL, NULL), "Sep 2016");
	FMT(tl_fmt_civil(&b_, &c, TL_DATE_MON, NULL, NULL), "Sep");
	FMT(tl_fmt_civil(&b_, &c, TL_DATE_DAY_MON, NULL, NULL), "4 Sep");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_terminal_forms),
		cmocka_unit_test(test_chart_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
