/* test_verify.c - the checks of `verify` on the sample report, made in a temporary folder:
 * a fresh report is VERIFIED with every check ok (or a note), one flipped byte of an input
 * is a FAILED input and NOT VERIFIED without the analysis run again, a missing input is
 * MISSING and counted, and a report that cannot be read is an error with no verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/common.h"
#include "provenance/make.h"
#include "provenance/verify.h"
#include "provenance/verify_impl.h"
#include "util/error.h"
#include "tl_version.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif

static char dir[] = "/tmp/tl-test-verify.XXXXXX";
static char case_dir[64], case_ini[96], report[96], input[128];
static tl_buf_t libs;

/* The program's calls, as cli/cmd_verify.c gives them to the checks. */
static int load_case(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out)
{
	char err[4096];
	return tl_make_load_case(path, sets, n_sets, out, err, sizeof(err));
}

static int analyse(tl_case_t *c, unsigned threads, tl_events_t **events, tl_findings_t *f)
{
	char err[4096];
	return tl_make_analyse(c, threads, events, f, err, sizeof(err));
}

static int make_report(const tl_findings_t *f, const tl_verify_remake_opts_t *o,
                       tl_verify_remade_t *out)
{
	tl_make_report_opts_t ro = {.case_path = o->case_path,
	                            .sets = o->sets,
	                            .n_sets = o->n_sets,
	                            .pdfa_1b = o->pdfa_1b,
	                            .draft = o->draft,
	                            .date_s = o->date_s};
	tl_cli_report_program(&ro);
	tl_make_report_t r;
	char err[4096];
	int rc = tl_make_report(f, &ro, &r, err, sizeof(err));
	if (rc != TL_OK)
		return rc;
	tl_buf_append(&out->manifest, r.manifest.data, r.manifest.len);
	tl_buf_append(&out->pdf, r.pdf, r.pdf_len);
	memcpy(out->id, r.id, sizeof(out->id));
	tl_make_report_free(&r);
	return TL_OK;
}

static const tl_verify_maker_t maker = {load_case, analyse, tl_make_findings_document, make_report};

/* Counts the checks told to the hook, which must see each one as it is added. */
static size_t told;

static void count_check(void *arg, const tl_verify_check_t *c)
{
	tl_verdict_t *v = arg;
	assert_ptr_equal(c, &v->checks[v->n_checks - 1]);
	told++;
}

static int check(tl_verdict_t *v)
{
	tl_verify_opts_t o = {
	    .threads = 1,
	    .data_dir = tl_cli_data_dir(),
	    .libraries = libs.data,
	    .maker = &maker,
	    .on_check = count_check,
	    .hook_arg = v,
	};
	char err[1024];
	tl_verdict_init(v);
	told = 0;
	int rc = tl_verify_report(report, &o, v, err, sizeof(err));
	assert_int_equal(told, v->n_checks);
	return rc;
}

/* The one check named what, which must be there once. */
static const tl_verify_check_t *find(const tl_verdict_t *v, const char *what)
{
	const tl_verify_check_t *found = NULL;
	for (size_t i = 0; i < v->n_checks; i++) {
		if (strcmp(v->checks[i].what, what) == 0) {
			assert_null(found);
			found = &v->checks[i];
		}
	}
	assert_non_null(found);
	return found;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int has_status(const tl_verdict_t *v, tl_verify_status_t s)
{
	for (size_t i = 0; i < v->n_checks; i++)
		if (v->checks[i].status == s)
			return 1;
	return 0;
}

/* The sample case copied into a temporary folder, and its report made there as
 * `tealeaves report` makes it. */
static int setup(void **state)
{
	(void)state;
	char root[4096], cmd[8192];
	if (!mkdtemp(dir) || !realpath(TL_TEST_DATA_DIR "/..", root))
		return -1;
	snprintf(case_dir, sizeof(case_dir), "%s/case", dir);
	snprintf(case_ini, sizeof(case_ini), "%s/case.ini", case_dir);
	snprintf(report, sizeof(report), "%s/report.pdf", dir);
	snprintf(input, sizeof(input), "%s/sensor1-ns1.pcap", case_dir);
	snprintf(cmd, sizeof(cmd), "cp -r '%s/samples' '%s'", root, case_dir);
	if (system(cmd) != 0 || tl_cli_set_data_dir(root) != 0)
		return -1;
	unsetenv("TEALEAVES_DATA_DIR");
	tl_buf_init(&libs);
	tl_cli_library_versions(&libs);

	tl_case_t *c = NULL;
	tl_events_t *events = NULL;
	tl_findings_t f;
	tl_make_report_t r;
	int64_t date;
	char err[4096];
	if (tl_make_run_case(case_ini, NULL, 0, 1, &c, &events, &f, err, sizeof(err)) != TL_OK)
		return -1;
	tl_make_report_opts_t ro = {.case_path = case_ini};
	tl_cli_report_program(&ro);
	int ok = tl_make_need_report_date(c, case_ini, &date, err, sizeof(err)) == TL_OK;
	ro.date_s = date;
	ok = ok && tl_make_report(&f, &ro, &r, err, sizeof(err)) == TL_OK;
	ok = ok && tl_make_write_report(&r, report, err, sizeof(err)) == TL_OK;
	if (ok)
		tl_make_report_free(&r);
	tl_make_case_done(c, events, &f);
	return ok ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	tl_buf_free(&libs);
	return system(cmd) == 0 ? 0 : -1;
}

static void fresh_report_verified(void **state)
{
	(void)state;
	tl_verdict_t v;
	assert_int_equal(check(&v), TL_OK);
	assert_int_equal(v.outcome, TL_VERIFY_VERIFIED);
	assert_string_equal(tl_verify_outcome_words(v.outcome), "VERIFIED");
	assert_true(starts(v.summary, "every file matches the manifest and the report made again "
	                              "is identical to "));
	/* every check is ok, but for what is only said: the report's size and hash, that it
	 * is not signed, where its date came from, and a build from a changed tree */
	for (size_t i = 0; i < v.n_checks; i++) {
		const tl_verify_check_t *c = &v.checks[i];
		int note = strcmp(c->what, "report file") == 0 ||
		           strcmp(c->what, "signature") == 0 ||
		           strcmp(c->what, "report date") == 0 ||
		           (TL_SOURCE_DIRTY && strcmp(c->what, "tool") == 0);
		if (c->status != (note ? TL_VERIFY_NOTE : TL_VERIFY_OK))
			fail_msg("%s %s %s", tl_verify_status_word(c->status), c->what, c->detail);
	}
	assert_int_equal(find(&v, "input sensor1")->status, TL_VERIFY_OK);
	assert_int_equal(find(&v, "case file")->status, TL_VERIFY_OK);
	assert_true(
	    starts(find(&v, "analysis")->detail, "run again: the findings are identical ("));
	assert_true(
	    starts(find(&v, "report")->detail, "made again: identical to the given file, "));
	assert_false(v.evidence_failed || v.missing || v.no_manifest || v.tool_differs ||
	             v.side_failed || v.findings_differ);
	assert_true(v.remade_identical);
	tl_verdict_free(&v);
	assert_int_equal(v.n_checks, 0);
}

/* Inverts the byte at offset off of path. */
static void flip(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	int b = fgetc(f);
	assert_int_not_equal(b, EOF);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	assert_int_not_equal(fputc(255 - b, f), EOF);
	assert_int_equal(fclose(f), 0);
}

static void flipped_input_failed(void **state)
{
	(void)state;
	flip(input, 5000);
	tl_verdict_t v;
	int rc = check(&v);
	flip(input, 5000);
	assert_int_equal(rc, TL_OK);
	const tl_verify_check_t *in = find(&v, "input sensor1");
	assert_int_equal(in->status, TL_VERIFY_FAILED);
	/* the words the tool prints: where, the size and hash found, what the manifest says */
	assert_true(starts(in->detail, input));
	assert_non_null(strstr(in->detail, "; the manifest says 9225858 bytes, SHA-256 "
	                                   "3c07161f18eb1b6ad83cceed1c785994fb6e3ea1f830a916a927d5"
	                                   "9f84ced1f2"));
	assert_int_equal(find(&v, "input sensor2")->status, TL_VERIFY_OK);
	assert_int_equal(find(&v, "case file")->status, TL_VERIFY_OK);
	/* the analysis is not run on evidence that changed */
	const tl_verify_check_t *an = find(&v, "analysis");
	assert_int_equal(an->status, TL_VERIFY_SKIPPED);
	assert_string_equal(an->detail, "not run again: the files named in the manifest were not "
	                                "all found unchanged");
	assert_int_equal(v.outcome, TL_VERIFY_NOT_VERIFIED);
	assert_string_equal(tl_verify_outcome_words(v.outcome), "NOT VERIFIED");
	assert_true(v.evidence_failed);
	assert_int_equal(v.missing, 0);
	assert_false(v.remade_identical);
	assert_non_null(strstr(v.summary, "differ from what its manifest records"));
	assert_false(has_status(&v, TL_VERIFY_MISSING));
	tl_verdict_free(&v);
}

static void missing_input_missing(void **state)
{
	(void)state;
	char away[160];
	snprintf(away, sizeof(away), "%s/away.pcap", dir);
	assert_int_equal(rename(input, away), 0);
	tl_verdict_t v;
	int rc = check(&v);
	assert_int_equal(rename(away, input), 0);
	assert_int_equal(rc, TL_OK);
	const tl_verify_check_t *in = find(&v, "input sensor1");
	assert_int_equal(in->status, TL_VERIFY_MISSING);
	assert_true(starts(in->detail, "sensor1-ns1.pcap: not found (looked at "));
	assert_int_equal(find(&v, "analysis")->status, TL_VERIFY_SKIPPED);
	assert_int_equal(v.outcome, TL_VERIFY_NOT_VERIFIED);
	assert_int_equal(v.missing, 1);
	assert_false(v.evidence_failed);
	assert_string_equal(v.summary, "1 file named in the manifest was not found (see the checks "
	                               "marked MISSING); nothing that was found differs, but the "
	                               "report could not be made again without it");
	assert_false(has_status(&v, TL_VERIFY_FAILED));
	tl_verdict_free(&v);
}

static void unreadable_report_is_an_error(void **state)
{
	(void)state;
	tl_verify_opts_t o = {
	    .data_dir = tl_cli_data_dir(), .libraries = libs.data, .maker = &maker};
	tl_verdict_t v;
	tl_verdict_init(&v);
	char err[1024], path[128];
	snprintf(path, sizeof(path), "%s/none.pdf", dir);
	assert_int_equal(tl_verify_report(path, &o, &v, err, sizeof(err)), TL_ENOENT);
	assert_int_equal(v.outcome, TL_VERIFY_NONE);
	assert_null(tl_verify_outcome_words(v.outcome));
	assert_int_equal(v.n_checks, 0);
	assert_non_null(strstr(err, "none.pdf: No such file or directory"));
	tl_verdict_free(&v);
}

/* A label in a forged manifest cannot forge a line of the output: the "what" of a check is
 * escaped like its detail (control bytes as \xNN, deceptive code points as \uNNNN). */
static void what_is_escaped(void **state)
{
	(void)state;
	tl_verify_opts_t o = {.data_dir = tl_cli_data_dir(), .libraries = libs.data, .maker = &maker};
	tl_verdict_t vd;
	tl_verdict_init(&vd);
	tl_vctx_t v = {.o = &o, .verdict = &vd};
	tl_verify_add(&v, TL_VERIFY_OK, "input a\nok       input b", "line\none");
	tl_verify_add(&v, TL_VERIFY_OK, "input \xe2\x80\xae" "fdp.exe", "plain");
	assert_int_equal(vd.n_checks, 2);
	assert_string_equal(vd.checks[0].what, "input a\\x0aok       input b");
	assert_string_equal(vd.checks[0].detail, "line\\x0aone");
	assert_string_equal(vd.checks[1].what, "input \\u202efdp.exe");
	assert_null(strchr(vd.checks[0].what, '\n'));
	tl_verdict_free(&vd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fresh_report_verified),
	    cmocka_unit_test(flipped_input_failed),
	    cmocka_unit_test(missing_input_missing),
	    cmocka_unit_test(unreadable_report_is_an_error),
	    cmocka_unit_test(what_is_escaped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
