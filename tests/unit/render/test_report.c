/* test_report.c - the whole report from the sample case: PDF/A-3b and 1b render, the same
 * bytes twice, enough pages, bookmarks, attachments; and its failures (a template error
 * names file, line and column; nothing is returned). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "case/case.h"
#include "analysis/engine.h"
#include "case/events.h"
#include "model/findings.h"
#include "provenance/manifest.h"
#include "render/json/json.h"
#include "render/report/report.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define ROOT TL_TEST_DATA_DIR "/.."

typedef struct sample {
	tl_case_t *c;
	tl_events_t *ev;
	tl_findings_t f;
	tl_buf_t json;
	char id[TL_SHA256_HEX_LEN];
	int64_t date_s;
} sample_t;

static sample_t S;

static int setup(void **state)
{
	char err[2048];
	memset(&S, 0, sizeof(S));
	if (tl_case_load(ROOT "/samples/case.ini", &S.c, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "case: %s\n", err);
		return -1;
	}
	if (S.c->events_resolved &&
	    tl_events_load(S.c->events_resolved, S.c->window_before_us, S.c->window_after_us,
			   &S.ev, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "events: %s\n", err);
		return -1;
	}
	if (tl_analysis_run(S.c, S.ev, NULL, 2, "test", &S.f, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "analysis: %s\n", err);
		return -1;
	}
	tl_buf_init(&S.json);
	tl_json_t j;
	tl_json_init(&j, &S.json, 1);
	tl_json_findings(&j, &S.f);
	uint8_t d[TL_SHA256_LEN];
	tl_sha256(S.json.data, S.json.len, d);
	tl_sha256_hex(d, S.id);
	S.date_s = S.c->report_date_us / 1000000;
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	tl_findings_free(&S.f);
	tl_events_free(S.ev);
	tl_case_free(S.c);
	tl_buf_free(&S.json);
	(void)state;
	return 0;
}

static const char manifest[] = "{\"inputs\": []}\n";

static void opts_init(tl_report_opts_t *o, int a1b)
{
	memset(o, 0, sizeof(*o));
	o->template_path = ROOT "/templates/default.tmpl";
	o->fonts_dir = ROOT "/fonts";
	o->icc_path = ROOT "/icc/sRGB.icc";
	o->pdfa_1b = a1b;
	o->date_s = S.date_s;
	o->report_id = S.id;
	o->findings_json = (const uint8_t *)S.json.data;
	o->findings_len = S.json.len;
	o->manifest_json = (const uint8_t *)manifest;
	o->manifest_len = sizeof(manifest) - 1;
}

static int contains(const uint8_t *p, size_t n, const char *s)
{
	size_t m = strlen(s);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(p + i, s, m) == 0)
			return 1;
	return 0;
}

/* Pages: the "/Type /Page" objects (not "/Pages"). */
static size_t count_pages(const uint8_t *p, size_t n)
{
	size_t k = 0;
	const char *s = "/Type /Page";
	size_t m = strlen(s);
	for (size_t i = 0; i + m < n; i++)
		if (memcmp(p + i, s, m) == 0 && p[i + m] != 's')
			k++;
	return k;
}

/* Writes the PDF where TL_REPORT_OUT (a folder) says, for looking at it. */
static void keep_copy(const char *name, const uint8_t *p, size_t n)
{
	const char *dir = getenv("TL_REPORT_OUT");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (fp) {
		fwrite(p, 1, n, fp);
		fclose(fp);
	}
}

static void render_twice(int a1b)
{
	tl_report_opts_t o;
	opts_init(&o, a1b);
	char err[1024];
	uint8_t *p1 = NULL, *p2 = NULL;
	size_t n1 = 0, n2 = 0;
	int rc = tl_report_render(&S.f, &o, &p1, &n1, err, sizeof(err));
	if (rc != TL_OK)
		print_error("%s\n", err);
	assert_int_equal(rc, TL_OK);
	assert_non_null(p1);
	rc = tl_report_render(&S.f, &o, &p2, &n2, err, sizeof(err));
	assert_int_equal(rc, TL_OK);
	assert_int_equal(n1, n2);
	assert_memory_equal(p1, p2, n1);
	keep_copy(a1b ? "report-1b.pdf" : "report-3b.pdf", p1, n1);

	assert_true(n1 > 1000);
	assert_memory_equal(p1, "%PDF-", 5);
	assert_true(count_pages(p1, n1) > 5);
	assert_true(contains(p1, n1, "/Outlines"));
	/* the trailer /ID is the first 16 bytes of SHA-256(findings JSON, report id) */
	uint8_t d[TL_SHA256_LEN];
	tl_sha256_t *h = tl_sha256_new();
	tl_sha256_update(h, S.json.data, S.json.len);
	tl_sha256_update(h, S.id, strlen(S.id));
	tl_sha256_final(h, d);
	tl_sha256_free(h);
	char idhex[40];
	for (int i = 0; i < 16; i++)
		snprintf(idhex + 2 * i, 3, "%02X", d[i]);
	char idlow[40];
	for (int i = 0; i < 32; i++)
		idlow[i] = (char)(idhex[i] >= 'A' ? idhex[i] + 32 : idhex[i]);
	idlow[32] = '\0';
	assert_true(contains(p1, n1, idhex) || contains(p1, n1, idlow));
	if (a1b) {
		assert_false(contains(p1, n1, "/EmbeddedFile"));
		assert_false(contains(p1, n1, "findings.json"));
	} else {
		assert_true(contains(p1, n1, "/EmbeddedFile"));
		assert_true(contains(p1, n1, "findings.json"));
		assert_true(contains(p1, n1, "manifest.json"));
		assert_true(contains(p1, n1, "/AFRelationship /Data"));
		assert_true(contains(p1, n1, "/AFRelationship /Source"));
	}
	free(p1);
	free(p2);
}

static void test_render_3b(void **state)
{
	(void)state;
	render_twice(0);
}

static void test_render_1b(void **state)
{
	(void)state;
	render_twice(1);
}

/* The draft marking changes the pages; the report id changes the /ID. */
static void test_draft_and_id(void **state)
{
	(void)state;
	tl_report_opts_t o;
	opts_init(&o, 1);
	char err[1024];
	uint8_t *p1 = NULL, *p2 = NULL;
	size_t n1 = 0, n2 = 0;
	int rc;
	assert_int_equal(tl_report_render(&S.f, &o, &p1, &n1, err, sizeof(err)), TL_OK);
	o.draft = 1;
	assert_int_equal(tl_report_render(&S.f, &o, &p2, &n2, err, sizeof(err)), TL_OK);
	assert_false(n1 == n2 && memcmp(p1, p2, n1) == 0);
	free(p2);
	/* a control number on every page when the case gives a prefix */
	char *saved = S.c->control_prefix;
	S.c->control_prefix = (char *)"SFL-";
	rc = tl_report_render(&S.f, &o, &p2, &n2, err, sizeof(err));
	S.c->control_prefix = saved;
	assert_int_equal(rc, TL_OK);
	keep_copy("draft-control.pdf", p2, n2);
	assert_false(n1 == n2 && memcmp(p1, p2, n1) == 0);
	free(p2);
	p2 = NULL;
	o.draft = 0;
	o.report_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	assert_int_equal(tl_report_render(&S.f, &o, &p2, &n2, err, sizeof(err)), TL_OK);
	assert_false(n1 == n2 && memcmp(p1, p2, n1) == 0);
	free(p1);
	free(p2);
}

/* Writes text to a temporary template; returns its path in path. */
static void write_tmpl(char *path, size_t len, const char *text)
{
	snprintf(path, len, "%s/tl_report_test_%ld.tmpl", getenv("TMPDIR") ? getenv("TMPDIR")
									  : "/tmp",
		 (long)getpid());
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void expect_failure(const char *text, const char *want)
{
	char path[512];
	write_tmpl(path, sizeof(path), text);
	tl_report_opts_t o;
	opts_init(&o, 0);
	o.template_path = path;
	char err[1024] = "";
	uint8_t *p = (uint8_t *)"untouched";
	size_t n = 12345;
	int rc = tl_report_render(&S.f, &o, &p, &n, err, sizeof(err));
	remove(path);
	assert_int_not_equal(rc, TL_OK);
	assert_string_equal((const char *)p, "untouched");
	assert_int_equal(n, 12345);
	if (!strstr(err, want))
		print_error("message \"%s\" lacks \"%s\"\n", err, want);
	assert_non_null(strstr(err, want));
}

static void test_errors(void **state)
{
	(void)state;
	char name[64];
	snprintf(name, sizeof(name), "tl_report_test_%ld.tmpl:", (long)getpid());
	char want[128];
	/* syntax: file, line and column */
	snprintf(want, sizeof(want), "%s3:1:", name);
	expect_failure("@title T\n\n@bogus x\n", want);
	/* an unknown placeholder while filling */
	snprintf(want, sizeof(want), "%s2:", name);
	expect_failure("@title T\nText {{no.such.value}}\n", want);
	/* an unknown insert */
	expect_failure("@title T\n@section 1 A\n@insert table.no_such\n", "table.no_such");
	/* a logo that is not there */
	snprintf(want, sizeof(want), "%s2: logo", name);
	expect_failure("@title T\n@logo no-such-logo.png\n", want);
	/* a missing template file */
	tl_report_opts_t o;
	opts_init(&o, 0);
	o.template_path = ROOT "/templates/no-such.tmpl";
	char err[1024] = "";
	uint8_t *p = NULL;
	size_t n = 0;
	assert_int_not_equal(tl_report_render(&S.f, &o, &p, &n, err, sizeof(err)), TL_OK);
	assert_null(p);
	assert_non_null(strstr(err, "no-such.tmpl"));
	/* missing fonts */
	opts_init(&o, 0);
	o.fonts_dir = ROOT "/no-such-fonts";
	err[0] = '\0';
	assert_int_not_equal(tl_report_render(&S.f, &o, &p, &n, err, sizeof(err)), TL_OK);
	assert_null(p);
	assert_true(err[0] != '\0');
}

/* A template of its own: headings numbered 1, 1.1, 2 with bookmarks; every page furnished. */
static void test_small_template(void **state)
{
	(void)state;
	char path[512];
	write_tmpl(path, sizeof(path),
		   "@title Small report\n@field Case | {{case.number}}\n@pagebreak\n"
		   "@section 1 First\nSome text.\n@section 2 Inner\n- an item\n"
		   "@box interpretation Reading\nA reading.\n@end\n@section 1 Second\nMore.\n");
	tl_report_opts_t o;
	opts_init(&o, 0);
	o.template_path = path;
	o.draft = 1;
	char err[1024];
	uint8_t *p = NULL;
	size_t n = 0;
	int rc = tl_report_render(&S.f, &o, &p, &n, err, sizeof(err));
	remove(path);
	if (rc != TL_OK)
		print_error("%s\n", err);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(count_pages(p, n), 2);
	assert_true(contains(p, n, "/Outlines"));
	assert_true(contains(p, n, "/Count"));
	keep_copy("small.pdf", p, n);
	free(p);
}

/* The manifest names every file with its hash, records how the report was made, and
 * refuses to describe an events or organisations file that is no longer the one the
 * analysis read. */
static void test_manifest(void **state)
{
	(void)state;
	const char *sets[] = {"analysis.seed=7"};
	tl_manifest_opts_t mo = {
		.template_path = ROOT "/templates/default.tmpl",
		.fonts_dir = ROOT "/fonts",
		.icc_path = ROOT "/icc/sRGB.icc",
		.tool_version = "0.0.test",
		.tool_commit = "c0ffee",
		.libraries = "none",
		.pdfa = "3b",
		.findings_sha256 = S.id,
		.date_s = S.date_s,
		.command = "tealeaves report samples/case.ini --set analysis.seed=7",
		.case_path = "samples/case.ini",
		.overrides = sets,
		.n_overrides = 1,
	};
	tl_buf_t m;
	tl_buf_init(&m);
	char err[1024] = "";
	assert_int_equal(tl_manifest_json(&S.f, &mo, &m, err, sizeof(err)), TL_OK);
	assert_non_null(strstr(m.data, "\"schema\":\"tealeaves-manifest/2\""));
	assert_non_null(strstr(m.data, "\"name\":\"templates/default.tmpl\""));
	assert_non_null(strstr(m.data, "\"name\":\"fonts/DejaVuSans.ttf\""));
	assert_non_null(strstr(m.data, "\"name\":\"sensor2-ns2.pcapng.gz\",\"size\":"));
	assert_non_null(strstr(m.data, "\"date\":\"2016-10-31T00:00:00.000000Z\""));
	assert_non_null(strstr(m.data, "\"case_path\":\"samples/case.ini\",\"overrides\":"
				       "[\"analysis.seed=7\"]"));
	assert_int_equal(m.data[m.len - 1], '\n');
	/* the organisations file as the analysis read it, then "changed" */
	assert_int_equal(strlen(S.f.orgs_sha256), 64);
	char keep[65];
	memcpy(keep, S.f.orgs_sha256, sizeof(keep));
	memset(S.f.orgs_sha256, '0', 64);
	tl_buf_clear(&m);
	assert_int_equal(tl_manifest_json(&S.f, &mo, &m, err, sizeof(err)), TL_EIO);
	assert_non_null(strstr(err, "organisations.csv changed while the report was made"));
	memcpy(S.f.orgs_sha256, keep, sizeof(keep));
	tl_buf_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_render_3b),
		cmocka_unit_test(test_render_1b),
		cmocka_unit_test(test_draft_and_id),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_small_template),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
