/* test_manifest.c - the manifest of the sample case: canonical and the same every time, every
 * file's size and hash those of the file itself, the names as the case writes them, the
 * report's settings; a file that cannot be read is an error naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "provenance/manifest.h"
#include "util/error.h"
#include "util/sha256.h"

#include "../sample_analysis.h"

#define ROOT TL_TEST_DATA_DIR "/.."

static const char *const sets[] = {"analysis.seed=7", "report.title=T"};

static tl_manifest_opts_t opts(void)
{
	tl_manifest_opts_t o = {
		.template_path = ROOT "/templates/default.tmpl",
		.fonts_dir = ROOT "/fonts",
		.icc_path = ROOT "/icc/sRGB.icc",
		.tool_version = "0.0-test",
		.tool_commit = "0123456789abcdef0123456789abcdef01234567",
		.libraries = "none",
		.pdfa = "3b",
		.findings_sha256 = "00",
		.date_s = 1480000000,
		.command = "tealeaves report samples/case.ini",
		.case_path = "samples/case.ini",
		.overrides = sets,
		.n_overrides = 2,
	};
	return o;
}

static json_t *made(const tl_manifest_opts_t *o, tl_buf_t *b)
{
	char err[1024];
	tl_buf_init(b);
	if (tl_manifest_json(&findings, o, b, err, sizeof(err)) != TL_OK)
		fail_msg("%s", err);
	json_error_t je;
	json_t *m = json_loadb(b->data, b->len, 0, &je);
	if (m == NULL)
		fail_msg("not JSON: %s", je.text);
	return m;
}

static void the_same_every_time(void **state)
{
	(void)state;
	tl_manifest_opts_t o = opts();
	tl_buf_t a, b;
	json_decref(made(&o, &a));
	json_decref(made(&o, &b));
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* one final newline, compact JSON */
	assert_int_equal(a.data[a.len - 1], '\n');
	assert_null(memchr(a.data, '\n', a.len - 1));
	/* the date is part of what the report ID names */
	o.date_s++;
	tl_buf_t c;
	json_decref(made(&o, &c));
	assert_true(c.len != a.len || memcmp(c.data, a.data, a.len) != 0);
	tl_buf_free(&a);
	tl_buf_free(&b);
	tl_buf_free(&c);
}

static void check_file(json_t *entry, const char *path)
{
	uint64_t size = 0;
	char hex[TL_SHA256_HEX_LEN];
	assert_int_equal(tl_sha256_file(path, &size, hex), 0);
	assert_int_equal(json_integer_value(json_object_get(entry, "size")), size);
	assert_string_equal(json_string_value(json_object_get(entry, "sha256")), hex);
}

static void files_are_what_they_say(void **state)
{
	(void)state;
	tl_manifest_opts_t o = opts();
	tl_buf_t b;
	json_t *m = made(&o, &b);
	assert_string_equal(json_string_value(json_object_get(m, "schema")), TL_MANIFEST_SCHEMA);
	json_t *inputs = json_object_get(m, "inputs");
	assert_int_equal(json_array_size(inputs), kase->n_inputs);
	for (size_t i = 0; i < kase->n_inputs; i++) {
		json_t *in = json_array_get(inputs, i);
		assert_string_equal(json_string_value(json_object_get(in, "label")),
				    kase->inputs[i].label);
		/* the name as the case file writes it, never the resolved path */
		assert_string_equal(json_string_value(json_object_get(in, "name")),
				    kase->inputs[i].path);
		check_file(in, kase->inputs[i].resolved);
	}
	check_file(json_object_get(m, "case_file"), SAMPLE);
	assert_string_equal(json_string_value(json_object_get(json_object_get(m, "case_file"),
							       "name")),
			    "case.ini");
	check_file(json_object_get(m, "organisations"), kase->orgs_resolved);
	check_file(json_object_get(m, "events"), kase->events_resolved);
	json_t *tmpl = json_object_get(m, "template");
	assert_string_equal(json_string_value(json_object_get(tmpl, "name")),
			    "templates/default.tmpl");
	check_file(tmpl, o.template_path);
	assert_int_equal(json_array_size(json_object_get(m, "fonts")), 4);
	check_file(json_object_get(m, "colour_profile"), o.icc_path);

	json_t *rep = json_object_get(m, "report");
	assert_string_equal(json_string_value(json_object_get(rep, "command")), o.command);
	json_t *ov = json_object_get(rep, "overrides");
	assert_int_equal(json_array_size(ov), 2);
	assert_string_equal(json_string_value(json_array_get(ov, 0)), sets[0]);
	assert_string_equal(json_string_value(json_array_get(ov, 1)), sets[1]);
	json_t *tool = json_object_get(m, "tool");
	assert_string_equal(json_string_value(json_object_get(tool, "source_commit")),
			    o.tool_commit);
	json_decref(m);
	tl_buf_free(&b);
}

static void unreadable_file_is_named(void **state)
{
	(void)state;
	tl_manifest_opts_t o = opts();
	o.icc_path = ROOT "/icc/missing.icc";
	tl_buf_t b;
	tl_buf_init(&b);
	char err[1024] = "";
	assert_int_not_equal(tl_manifest_json(&findings, &o, &b, err, sizeof(err)), TL_OK);
	assert_non_null(strstr(err, "missing.icc"));
	tl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_same_every_time),
		cmocka_unit_test(files_are_what_they_say),
		cmocka_unit_test(unreadable_file_is_named),
	};
	return cmocka_run_group_tests(tests, sample_setup, sample_teardown);
}
