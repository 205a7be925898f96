/* test_events.c - the events CSV: times, windows, defaults, order, and every error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "case/events.h"
#include "util/error.h"
#include "util/time.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define DATA TL_TEST_DATA_DIR "/data/analysis/"
#define H (3600 * TL_US_PER_SEC)
#define D (24 * H)

static char tmpdir[64], tmpcsv[128];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tl-test-events-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tmpcsv, sizeof(tmpcsv), "%s/e.csv", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmpcsv);
	rmdir(tmpdir);
	return 0;
}

static void write_text(const char *text)
{
	FILE *f = fopen(tmpcsv, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

static void fails(const char *text, const char *want_after_path)
{
	write_text(text);
	tl_events_t *e = NULL;
	char err[512], want[640];
	assert_int_equal(tl_events_load(tmpcsv, D, 3 * D, &e, err, sizeof(err)), TL_EFORMAT);
	assert_null(e);
	snprintf(want, sizeof(want), "%s%s", tmpcsv, want_after_path);
	assert_string_equal(err, want);
}

static void test_sample(void **state)
{
	(void)state;
	tl_events_t *e = NULL;
	char err[512];
	assert_int_equal(tl_events_load(DATA "events.csv", D, 3 * D, &e, err, sizeof(err)), TL_OK);
	assert_int_equal(e->n, 4);
	/* sorted by start: 2016-06-14 17:00Z, then two at 2016-07-18 00:00Z by label, then Sept */
	const tl_event_t *v = &e->events[0];
	assert_string_equal(v->label, "Intrusion disclosed");
	assert_int_equal(v->start, INT64_C(1465923600) * TL_US_PER_SEC); /* 13:00-04:00 */
	assert_int_equal(v->point, 1);
	assert_int_equal(v->end, v->start);
	assert_int_equal(v->before, D); /* default */
	assert_int_equal(v->after, D);  /* its own */
	assert_int_equal(v->win_start, v->start - D);
	assert_int_equal(v->win_end, v->start + D);
	assert_int_equal(v->line, 5);
	v = &e->events[1];
	assert_string_equal(v->label, "Alpha, early"); /* quoted comma */
	assert_string_equal(v->category, "test");
	assert_int_equal(v->start, INT64_C(1468800000) * TL_US_PER_SEC); /* 02:00+02:00 */
	assert_int_equal(v->win_start, v->start - D);
	assert_int_equal(v->win_end, v->start + 3 * D);
	v = &e->events[2];
	assert_string_equal(v->label, "Party A convention");
	assert_int_equal(v->start, INT64_C(1468800000) * TL_US_PER_SEC);
	assert_int_equal(v->end, INT64_C(1469145600) * TL_US_PER_SEC); /* 2016-07-22 00:00Z */
	assert_int_equal(v->point, 0);
	assert_int_equal(v->before, 0);
	assert_int_equal(v->after, 0);
	assert_int_equal(v->win_start, v->start);
	assert_int_equal(v->win_end, v->end);
	v = &e->events[3];
	assert_string_equal(v->label, "Newspaper contacts the bank");
	assert_int_equal(v->start, INT64_C(1474473600) * TL_US_PER_SEC);
	assert_int_equal(v->win_start, v->start - 12 * H);
	assert_int_equal(v->win_end, v->start + 36 * H);
	assert_int_equal(strlen(e->sha256_hex), 64);
	tl_events_free(e);
	tl_events_free(NULL);
}

static void test_order_and_four_columns(void **state)
{
	(void)state;
	/* same start: ordered by label, then by line; a 4-column file uses the defaults */
	write_text("start,end,label,category\r\n"
		   "2016-05-02,,b,x\r\n"
		   "2016-05-01,,z,x\r\n"
		   "\r\n"
		   "2016-05-02,,a,y\r\n"
		   "2016-05-02,,a,Выборы\r\n");
	tl_events_t *e = NULL;
	char err[256];
	assert_int_equal(tl_events_load(tmpcsv, 2 * H, 5 * H, &e, err, sizeof(err)), TL_OK);
	assert_int_equal(e->n, 4);
	assert_string_equal(e->events[0].label, "z");
	assert_string_equal(e->events[1].category, "y");
	assert_int_equal(e->events[1].line, 5);
	assert_string_equal(e->events[2].category, "Выборы");
	assert_int_equal(e->events[2].line, 6);
	assert_string_equal(e->events[3].label, "b");
	assert_int_equal(e->events[3].win_start, e->events[3].start - 2 * H);
	assert_int_equal(e->events[3].win_end, e->events[3].start + 5 * H);
	tl_events_free(e);
	write_text("start,end,label,category\n");
	assert_int_equal(tl_events_load(tmpcsv, 0, 0, &e, err, sizeof(err)), TL_OK);
	assert_int_equal(e->n, 0);
	tl_events_free(e);
}

static void test_errors(void **state)
{
	(void)state;
	fails("", ": empty file (the header 'start,end,label,category' is required)");
	fails("start,end,label\n", ":1: expected the header 'start,end,label,category' or "
				   "'start,end,label,category,before,after'");
	fails("start,end,label,category,window_before,window_after\n",
	      ":1: expected the header 'start,end,label,category' or "
	      "'start,end,label,category,before,after'");
	fails("start,end,label,category\n2016-05-01,,a\n", ":2: 3 fields, expected 4 as in the header");
	fails("start,end,label,category\n2016-05-01T10:00:00,,a,b\n",
	      ":2: bad start '2016-05-01T10:00:00' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z or "
	      "with an offset such as +02:00)");
	fails("start,end,label,category\n1462100000,,a,b\n",
	      ":2: bad start '1462100000' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z or with an "
	      "offset such as +02:00)");
	fails("start,end,label,category\n2016-05-01,2016-13-01,a,b\n",
	      ":2: bad end '2016-13-01' (expected empty, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z or with "
	      "an offset such as +02:00)");
	fails("start,end,label,category\n2016-05-02,2016-05-01T23:59:59Z,a,b\n",
	      ":2: end '2016-05-01T23:59:59Z' is before start '2016-05-02'");
	fails("start,end,label,category\n2016-05-02,,,b\n", ":2: empty label");
	fails("start,end,label,category\n2016-05-02,,a,\n", ":2: empty category");
	fails("start,end,label,category,before,after\n2016-05-02,,a,b,12,1w\n",
	      ":2: bad after '1w' (expected a duration such as 12h, 1d or seconds)");
	fails("start,end,label,category,before,after\n2016-05-02,,a,b,-1h,\n",
	      ":2: bad before '-1h' (expected a duration such as 12h, 1d or seconds)");
	fails("start,end,label,category\n2016-05-02,,\"a,b\n", ":2: unterminated quoted field");
	fails("start,end,label,category\n2016-05-02,,caf\xc3\xa9\xff,b\n", ":2: invalid UTF-8");
	tl_events_t *e = NULL;
	char err[256];
	assert_int_equal(tl_events_load("/nonexistent/events.csv", 0, 0, &e, err, sizeof(err)),
			 TL_ENOENT);
	assert_null(e);
	assert_non_null(strstr(err, "/nonexistent/events.csv: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_order_and_four_columns),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
