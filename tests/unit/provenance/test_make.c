/* test_make.c - making a report, the parts that need no evidence: the recorded command,
 * the report's date, the refusals before any work, the messages they leave in the
 * caller's buffer and the files written beside a report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "provenance/make.h"
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

/* Every character a POSIX shell would take for something else is quoted, so that the
 * command printed in the report makes the same report when pasted. */
static void command_quotes_every_shell_character(void **state)
{
	(void)state;
	const char *sets[] = {"a.b=$HOME", "c.d=", "e.f=x;rm -rf ~", "g.h=*"};
	tl_make_report_opts_t o = {.case_path = "", .sets = sets, .n_sets = 4, .draft = 1};
	tl_buf_t b;
	tl_buf_init(&b);
	tl_make_report_command(&o, &b);
	/* an empty word is '' (else the shell would drop it); = : , + - . / _ stay plain */
	assert_string_equal(b.data, "tealeaves report '' --set 'a.b=$HOME' --set c.d= "
				    "--set 'e.f=x;rm -rf ~' --set 'g.h=*' --draft");
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
	assert_int_equal(s, -1);
	setenv("SOURCE_DATE_EPOCH", "", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE);
	setenv("SOURCE_DATE_EPOCH", "1477872000", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_OK);
	assert_int_equal(s, 1477872000);
	/* 9999-12-31T23:59:59Z is the last date a report can carry */
	setenv("SOURCE_DATE_EPOCH", "253402300799", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_OK);
	assert_int_equal(s, INT64_C(253402300799));
	s = -1;
	setenv("SOURCE_DATE_EPOCH", "253402300800", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE);
	setenv("SOURCE_DATE_EPOCH", "-1", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE);
	setenv("SOURCE_DATE_EPOCH", "12x", 1);
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE);
	setenv("SOURCE_DATE_EPOCH", "99999999999999999999", 1); /* out of range of strtoll */
	assert_int_equal(tl_make_report_date(&c, &s), TL_ECASE);
	assert_int_equal(s, -1);
	setenv("SOURCE_DATE_EPOCH", "1477872000", 1);
	c.has_report_date = 1;
	c.report_date_us = INT64_C(1000000) * 86400;
	assert_int_equal(tl_make_report_date(&c, &s), TL_OK); /* the case file wins */
	assert_int_equal(s, 86400);
	unsetenv("SOURCE_DATE_EPOCH");
}

static void no_report_date_names_the_case_file(void **state)
{
	(void)state;
	tl_case_t c;
	memset(&c, 0, sizeof(c));
	int64_t s = 7;
	char err[256] = "";
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(tl_make_need_report_date(&c, "cases/one.ini", &s, err, sizeof(err)),
			 TL_ECASE);
	assert_string_equal(err, "no report date: set [case] report_date in cases/one.ini or "
				 "SOURCE_DATE_EPOCH (the clock is never used)");
	assert_int_equal(s, 7);
	/* a short buffer gets the message cut, never overrun */
	char tiny[8];
	memset(tiny, 'x', sizeof(tiny));
	assert_int_equal(tl_make_need_report_date(&c, "cases/one.ini", &s, tiny, 4), TL_ECASE);
	assert_string_equal(tiny, "no ");
	assert_int_equal(tiny[4], 'x');
	setenv("SOURCE_DATE_EPOCH", "86400", 1);
	err[0] = '\0';
	assert_int_equal(tl_make_need_report_date(&c, "cases/one.ini", &s, err, sizeof(err)),
			 TL_OK);
	assert_int_equal(s, 86400);
	assert_string_equal(err, ""); /* no message on success */
	unsetenv("SOURCE_DATE_EPOCH");
}

/* A case with nothing in it: enough for what tl_make_report checks before any work. */
static tl_case_t bare_case;
static tl_findings_t bare_findings;

static void report_refuses_a_command_it_cannot_record(void **state)
{
	(void)state;
	memset(&bare_case, 0, sizeof(bare_case));
	bare_case.template_name = (char *)"default";
	memset(&bare_findings, 0, sizeof(bare_findings));
	bare_findings.kase = &bare_case;
	const char *sets[] = {"report.title=caf\xc3\xa9", "report.title=\xff"};
	tl_make_report_opts_t o = {.case_path = "case.ini", .sets = sets, .n_sets = 2,
				   .data_dir = "/nonexistent"};
	tl_make_report_t r;
	memset(&r, 0xa5, sizeof(r));
	char err[512] = "";
	/* the second override is not UTF-8: the report could not say how to make it again */
	assert_int_equal(tl_make_report(&bare_findings, &o, &r, err, sizeof(err)), TL_EUSAGE);
	assert_non_null(strstr(err, "is not valid UTF-8, so the report could not record the "
				    "command that makes it again"));
	assert_null(r.pdf); /* nothing to free, nothing made */
	assert_null(r.findings.data);
	assert_null(r.manifest.data);
	tl_make_report_free(&r);
	/* the same for the case file's path */
	o.n_sets = 1;
	o.case_path = "\xc3(.ini";
	err[0] = '\0';
	assert_int_equal(tl_make_report(&bare_findings, &o, &r, err, sizeof(err)), TL_EUSAGE);
	assert_non_null(strstr(err, "not valid UTF-8"));
}

static void report_refuses_a_data_folder_too_long(void **state)
{
	(void)state;
	memset(&bare_case, 0, sizeof(bare_case));
	bare_case.template_name = (char *)"default";
	memset(&bare_findings, 0, sizeof(bare_findings));
	bare_findings.kase = &bare_case;
	static char longdir[8192];
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[0] = '/';
	tl_make_report_opts_t o = {.case_path = "case.ini", .data_dir = longdir};
	tl_make_report_t r;
	char err[9000] = "";
	assert_int_equal(tl_make_report(&bare_findings, &o, &r, err, sizeof(err)), TL_EUSAGE);
	assert_true(strncmp(err, "the data folder /ddd", 20) == 0);
	assert_non_null(strstr(err, " or the template's path is too long"));
	assert_null(r.pdf);
}

static void load_case_errors_carry_their_kind(void **state)
{
	(void)state;
	tl_case_t *c = (tl_case_t *)&bare_case;
	char err[4096] = "";
	/* a case file that is not there is an input that cannot be read, not an invalid case */
	int rc = tl_make_load_case("/nonexistent/case.ini", NULL, 0, &c, err, sizeof(err));
	assert_int_equal(rc, TL_ENOENT);
	assert_non_null(strstr(err, "/nonexistent/case.ini"));
	assert_ptr_equal(c, &bare_case); /* untouched on failure */
}

static char dir[] = "/tmp/tl-test-make.XXXXXX";

static void write_report_and_its_side_files(void **state)
{
	(void)state;
	tl_make_report_t r;
	memset(&r, 0, sizeof(r));
	r.pdf = (uint8_t *)"%PDF-1.7 x";
	r.pdf_len = 10;
	tl_buf_init(&r.manifest);
	tl_buf_puts(&r.manifest, "{\"m\":1}\n");
	char path[128], err[512] = "";
	snprintf(path, sizeof(path), "%s/r.pdf", dir);
	assert_int_equal(tl_make_write_report(&r, path, err, sizeof(err)), TL_OK);
	assert_string_equal(err, "");
	char buf[256];
	FILE *f;
	snprintf(buf, sizeof(buf), "%s/r.pdf.sha256", dir);
	assert_non_null(f = fopen(buf, "r"));
	char line[256] = "";
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	/* sha256sum -c reads "HEX  NAME": the name without its folder, so it checks in place */
	assert_string_equal(line, "ec2792f52c4416be86b9c3d9f4ce1122e68027a8549c54be5040c913d671aa02"
				  "  r.pdf\n");
	snprintf(buf, sizeof(buf), "%s/r.pdf.manifest.json", dir);
	assert_non_null(f = fopen(buf, "r"));
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line, "{\"m\":1}\n");

	/* a folder where the report should go: refused with its name, nothing written */
	char bad[160];
	snprintf(bad, sizeof(bad), "%s/missing/r.pdf", dir);
	assert_int_equal(tl_make_write_report(&r, bad, err, sizeof(err)), TL_EOUTPUT);
	assert_true(strncmp(err, bad, strlen(bad)) == 0);
	assert_non_null(strstr(err, "; nothing written"));
	for (const char *side = ""; side; side = *side ? NULL : ".manifest.json") {
		snprintf(buf, sizeof(buf), "%s%s", path, side);
		unlink(buf);
	}
	snprintf(buf, sizeof(buf), "%s/r.pdf.sha256", dir);
	unlink(buf);
	tl_buf_free(&r.manifest);
}

static void sign_names_what_failed(void **state)
{
	(void)state;
	tl_make_report_t r;
	memset(&r, 0, sizeof(r));
	r.pdf = (uint8_t *)"%PDF";
	r.pdf_len = 4;
	tl_buf_t sig;
	tl_buf_init(&sig);
	char err[4096] = "";
	int rc = tl_make_sign_report(&r, "/nonexistent/key.pem", "/nonexistent/cert.pem", &sig,
				     err, sizeof(err));
	assert_int_not_equal(rc, TL_OK);
	/* a key that cannot be read is an input error, never one of the command line's, the
	 * case's, the evidence's or an output's */
	assert_int_not_equal(rc, TL_EUSAGE);
	assert_int_not_equal(rc, TL_ECASE);
	assert_int_not_equal(rc, TL_EEVIDENCE);
	assert_int_not_equal(rc, TL_EOUTPUT);
	assert_true(strncmp(err, "signing: ", 9) == 0);
	assert_int_equal(sig.len, 0);
	tl_buf_free(&sig);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_is_canonical),
		cmocka_unit_test(command_quotes_every_shell_character),
		cmocka_unit_test(report_date_needs_a_source),
		cmocka_unit_test(no_report_date_names_the_case_file),
		cmocka_unit_test(report_refuses_a_command_it_cannot_record),
		cmocka_unit_test(report_refuses_a_data_folder_too_long),
		cmocka_unit_test(load_case_errors_carry_their_kind),
		cmocka_unit_test(write_report_and_its_side_files),
		cmocka_unit_test(sign_names_what_failed),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
