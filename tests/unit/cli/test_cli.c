/* test_cli.c - the shared command pieces: the recorded report command, atomic
 * writes, bounded reads and where the data folder is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common.h"
#include "util/error.h"

static void command_is_canonical(void **state)
{
	(void)state;
	const char *sets[] = {"stats.alpha=0.01", "report.title=Don't panic"};
	tl_make_report_opts_t o = {.case_path = "cases/case one.ini", .sets = sets, .n_sets = 2,
				  .pdfa_1b = 1, .draft = 1};
	tl_buf_t b;
	tl_buf_init(&b);
	tl_make_report_command(&o, &b);
	/* words a shell would split or expand are single-quoted, ' as '\'' */
	assert_string_equal(b.data, "tealeaves report 'cases/case one.ini' --set stats.alpha=0.01 "
				    "--set 'report.title=Don'\\''t panic' --pdfa 1b --draft");
	tl_buf_clear(&b);
	tl_make_report_opts_t plain = {.case_path = "samples/case.ini"};
	tl_make_report_command(&plain, &b);
	assert_string_equal(b.data, "tealeaves report samples/case.ini");
	tl_buf_free(&b);
}

static char dir[] = "/tmp/tl-test-cli.XXXXXX";

static int count_entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void write_atomic_and_read(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/out.bin", dir);
	assert_int_equal(tl_cli_write_atomic(path, "abc\0def", 7), 0);
	assert_int_equal(count_entries(), 1); /* no temporary file left behind */
	tl_buf_t b;
	tl_buf_init(&b);
	assert_int_equal(tl_cli_read_file(path, 100, &b), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "abc\0def", 7);
	/* larger than the limit: refused, not truncated */
	assert_int_equal(tl_cli_read_file(path, 6, &b), -1);
	assert_int_equal(errno, EFBIG);
	/* a folder is not a file */
	assert_int_equal(tl_cli_read_file(dir, 100, &b), -1);
	assert_int_equal(errno, EISDIR);
	/* a write into a missing folder fails and leaves nothing */
	char bad[160];
	snprintf(bad, sizeof(bad), "%s/missing/out.bin", dir);
	assert_int_equal(tl_cli_write_atomic(bad, "x", 1), -1);
	assert_int_equal(errno, ENOENT);
	/* replacing keeps one file with the new bytes */
	assert_int_equal(tl_cli_write_atomic(path, "new", 3), 0);
	assert_int_equal(tl_cli_read_file(path, 100, &b), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "new", 3);
	assert_int_equal(count_entries(), 1);
	unlink(path);
	tl_buf_free(&b);
}

static void report_date_needs_a_source(void **state)
{
	(void)state;
	tl_case_t c;
	memset(&c, 0, sizeof(c));
	int64_t s = -1;
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE); /* never the clock */
	setenv("SOURCE_DATE_EPOCH", "1477872000", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_OK);
	assert_int_equal(s, 1477872000);
	setenv("SOURCE_DATE_EPOCH", "12x", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE);
	c.has_report_date = 1;
	c.report_date_us = INT64_C(1000000) * 86400;
	assert_int_equal(tl_make_report_date(&c, &s), TL_OK); /* the case file wins */
	assert_int_equal(s, 86400);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* The data folder: TEALEAVES_DATA_DIR first, else what the binary was built for, an
 * absolute folder as it is and a relative one from the binary's own folder. */
static void data_dir_lookup(void **state)
{
	(void)state;
	char exe[4096], want[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	unsetenv("TEALEAVES_DATA_DIR");
	assert_string_equal(tl_cli_data_dir(), "."); /* nothing set yet */
	assert_int_equal(tl_cli_set_data_dir("/opt/tl/share/tealeaves"), 0);
	assert_string_equal(tl_cli_data_dir(), "/opt/tl/share/tealeaves");
	setenv("TEALEAVES_DATA_DIR", "/elsewhere", 1);
	assert_string_equal(tl_cli_data_dir(), "/elsewhere");
	setenv("TEALEAVES_DATA_DIR", "", 1); /* empty is unset */
	assert_string_equal(tl_cli_data_dir(), "/opt/tl/share/tealeaves");
	unsetenv("TEALEAVES_DATA_DIR");

	/* this test's binary is build/tests/test_cli: ../share/x is build/share/x */
	*strrchr(exe, '/') = '\0';
	snprintf(want, sizeof(want), "%s/data", exe);
	assert_int_equal(tl_cli_set_data_dir("data"), 0);
	assert_string_equal(tl_cli_data_dir(), want);
	*strrchr(exe, '/') = '\0';
	snprintf(want, sizeof(want), "%s/share/tealeaves", exe);
	assert_int_equal(tl_cli_set_data_dir("../share/tealeaves"), 0);
	assert_string_equal(tl_cli_data_dir(), want);

	char longer[5000];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[0] = '/';
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(tl_cli_set_data_dir(longer), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_string_equal(tl_cli_data_dir(), ".");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_is_canonical),
		cmocka_unit_test(write_atomic_and_read),
		cmocka_unit_test(report_date_needs_a_source),
		cmocka_unit_test(data_dir_lookup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
