/* test_template.c - the template language: blocks, paragraphs, escapes, conditionals,
 * repetition, every syntax and filling error with its line and column, and the default
 * template against the placeholder list in templates/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report/template.h"
#include "util/error.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define TEMPLATES_DIR TL_TEST_DATA_DIR "/../templates"

static tl_template_t *parse_ok(const char *src)
{
	tl_template_t *t = NULL;
	tl_template_error_t e;
	int rc = tl_template_parse(src, strlen(src), "t.tmpl", &t, &e);

	if (rc != TL_OK)
		print_error("unexpected: %s\n", e.msg);
	assert_int_equal(rc, TL_OK);
	return t;
}

static void render_ok(const char *src, const tl_tvars_t *v, tl_tdoc_t *d)
{
	tl_template_t *t = parse_ok(src);
	tl_template_error_t e;
	int rc = tl_template_render(t, v, d, &e);

	if (rc != TL_OK)
		print_error("unexpected: %s\n", e.msg);
	assert_int_equal(rc, TL_OK);
	tl_template_free(t);
}

static void expect_block(const tl_tdoc_t *d, size_t i, int kind, const char *text)
{
	assert_true(i < d->n);
	assert_int_equal(d->v[i].kind, kind);
	assert_string_equal(d->v[i].text, text);
}

static void test_blocks(void **state)
{
	const char *src = "@# a comment\n"
			  "@title Report {{case.number}}\n"
			  "@subtitle Sub\n"
			  "@logo logo.png\n"
			  "@field Case number | {{case.number}}\n"
			  "@field A \\| B |  x \n"
			  "\n"
			  "@section 1 Summary of {{case.number}}\n"
			  "First line\n"
			  "   second line   \n"
			  "\n"
			  "\n"
			  "- item one\n"
			  "  continued\n"
			  "- item two\n"
			  "\n"
			  "\\- not an item, \\@ and \\{{x\\}} and \\\\ and { } literal\n"
			  "@box interpretation Reading {{case.number}}\n"
			  "  Inside.\n"
			  "@end\n"
			  "@insert chart.daily\n"
			  "@pagebreak\n"
			  "@section 3 Deep\r\n"
			  "Cyrillic \xd0\x91\xd0\xb0\xd0\xbd\xd0\xba {{ case.number }}";
	tl_tvars_t *v = tl_tvars_new();
	tl_tdoc_t d;

	(void)state;
	tl_tvars_set(v, "case.number", "C-7 {{not.parsed}}");
	tl_tvars_set_bool(v, "chart.daily", 1);
	render_ok(src, v, &d);
	assert_int_equal(d.n, 17);
	expect_block(&d, 0, TL_TB_TITLE, "Report C-7 {{not.parsed}}");
	expect_block(&d, 1, TL_TB_SUBTITLE, "Sub");
	expect_block(&d, 2, TL_TB_LOGO, "logo.png");
	expect_block(&d, 3, TL_TB_FIELD, "C-7 {{not.parsed}}");
	assert_string_equal(d.v[3].label, "Case number");
	expect_block(&d, 4, TL_TB_FIELD, "x");
	assert_string_equal(d.v[4].label, "A | B");
	expect_block(&d, 5, TL_TB_SECTION, "Summary of C-7 {{not.parsed}}");
	assert_int_equal(d.v[5].level, 1);
	assert_int_equal(d.v[5].line, 8);
	expect_block(&d, 6, TL_TB_PARA, "First line second line");
	assert_int_equal(d.v[6].line, 9);
	expect_block(&d, 7, TL_TB_ITEM, "item one continued");
	expect_block(&d, 8, TL_TB_ITEM, "item two");
	expect_block(&d, 9, TL_TB_PARA, "- not an item, @ and {{x}} and \\ and { } literal");
	expect_block(&d, 10, TL_TB_BOX_BEGIN, "");
	assert_string_equal(d.v[10].name, "interpretation");
	assert_string_equal(d.v[10].label, "Reading C-7 {{not.parsed}}");
	expect_block(&d, 11, TL_TB_PARA, "Inside.");
	expect_block(&d, 12, TL_TB_BOX_END, "");
	expect_block(&d, 13, TL_TB_INSERT, "");
	assert_string_equal(d.v[13].name, "chart.daily");
	expect_block(&d, 14, TL_TB_PAGEBREAK, "");
	expect_block(&d, 15, TL_TB_SECTION, "Deep");
	assert_int_equal(d.v[15].level, 3);
	/* the last line has no newline: it is still read */
	expect_block(&d, 16, TL_TB_PARA, "Cyrillic \xd0\x91\xd0\xb0\xd0\xbd\xd0\xba C-7 {{not.parsed}}");
	assert_int_equal(d.v[16].line, 24);
	tl_tdoc_free(&d);
	tl_tvars_free(v);
}

static void test_last_line_and_bom(void **state)
{
	tl_tvars_t *v = tl_tvars_new();
	tl_tdoc_t d;

	(void)state;
	tl_tvars_set(v, "x", "\xd0\x91");
	render_ok("\xef\xbb\xbf" "A {{x}}", v, &d);
	assert_int_equal(d.n, 1);
	expect_block(&d, 0, TL_TB_PARA, "A \xd0\x91");
	tl_tdoc_free(&d);
	render_ok("", v, &d);
	assert_int_equal(d.n, 0);
	tl_tdoc_free(&d);
	tl_tvars_free(v);
}

static void test_conditionals(void **state)
{
	const char *src = "Of {{n}} lookups,\n"
			  "@if top\n"
			  "{{top}} came from one organisation.\n"
			  "@else\n"
			  "none came mainly from one.\n"
			  "@end\n"
			  "@if !flag\n"
			  "Flag off.\n"
			  "@end\n"
			  "@if flag\n"
			  "Flag on.\n"
			  "@end\n"
			  "@if missing\n"
			  "Never.\n"
			  "@end\n"
			  "@if empty\n"
			  "Never either.\n"
			  "@end\n"
			  "@if list\n"
			  "List has items.\n"
			  "@end\n"
			  "@if elist\n"
			  "Empty list.\n"
			  "@end\n";
	tl_tvars_t *v = tl_tvars_new();
	tl_tdoc_t d;

	(void)state;
	tl_tvars_set(v, "n", "3,511");
	tl_tvars_set(v, "top", "79.6%");
	tl_tvars_set_bool(v, "flag", 0);
	tl_tvars_set(v, "empty", "");
	tl_tvars_add_item(v, "list");
	tl_tvars_set_list(v, "elist");
	render_ok(src, v, &d);
	assert_int_equal(d.n, 1);
	expect_block(&d, 0, TL_TB_PARA,
		     "Of 3,511 lookups, 79.6% came from one organisation. Flag off. "
		     "List has items.");
	tl_tdoc_free(&d);

	tl_tvars_set(v, "top", "");
	tl_tvars_set_bool(v, "flag", 1);
	render_ok(src, v, &d);
	assert_int_equal(d.n, 1);
	expect_block(&d, 0, TL_TB_PARA,
		     "Of 3,511 lookups, none came mainly from one. Flag on. List has items.");
	tl_tdoc_free(&d);
	tl_tvars_free(v);
}

static void test_repetition(void **state)
{
	const char *src = "@each events as ev\n"
			  "@section 2 {{ev.label}}\n"
			  "Event {{ev.label}} in case {{case}}:\n"
			  "@each ev.tests as t\n"
			  "- {{t.p}} ({{ev.label}})\n"
			  "@end\n"
			  "@if ev.significant\n"
			  "Significant.\n"
			  "@end\n"
			  "\n"
			  "@end\n"
			  "@each none as x\n"
			  "Never {{x.y}}.\n"
			  "@end\n";
	tl_tvars_t *v = tl_tvars_new(), *e, *t;
	tl_tdoc_t d;

	(void)state;
	tl_tvars_set(v, "case", "C-7");
	tl_tvars_set_list(v, "none");
	e = tl_tvars_add_item(v, "events");
	tl_tvars_set(e, "label", "A");
	tl_tvars_set_bool(e, "significant", 1);
	t = tl_tvars_add_item(e, "tests");
	tl_tvars_set(t, "p", "< 0.0001");
	t = tl_tvars_add_item(e, "tests");
	tl_tvars_set(t, "p", "0.2000");
	e = tl_tvars_add_item(v, "events");
	tl_tvars_set(e, "label", "B");
	tl_tvars_set_list(e, "tests");
	render_ok(src, v, &d);
	assert_int_equal(d.n, 6);
	expect_block(&d, 0, TL_TB_SECTION, "A");
	expect_block(&d, 1, TL_TB_PARA, "Event A in case C-7:");
	expect_block(&d, 2, TL_TB_ITEM, "< 0.0001 (A)");
	expect_block(&d, 3, TL_TB_ITEM, "0.2000 (A) Significant.");
	expect_block(&d, 4, TL_TB_SECTION, "B");
	expect_block(&d, 5, TL_TB_PARA, "Event B in case C-7:");
	tl_tdoc_free(&d);
	tl_tvars_free(v);
}

typedef struct perr {
	const char *src;
	int line, col;
	const char *what;
} perr_t;

static void test_parse_errors(void **state)
{
	static const perr_t cases[] = {
		{"ok\n@foo bar\n", 2, 1, "unknown directive @foo"},
		{"  @titlex\n", 1, 3, "unknown directive"},
		{"@title\n", 1, 7, "@title needs a text"},
		{"@field no bar\n", 1, 8, "@field needs LABEL | TEXT"},
		{"@field | x\n", 1, 8, "@field needs LABEL | TEXT"},
		{"@section Summary\n", 1, 10, "needs a level"},
		{"@section 4 Too deep\n", 1, 10, "needs a level"},
		{"@section 2\n", 1, 11, "needs a title"},
		{"@box\n", 1, 5, "@box needs a kind"},
		{"@insert\n", 1, 8, "name of a table or chart"},
		{"@insert a.b c\n", 1, 13, "unexpected text after @insert"},
		{"@pagebreak now\n", 1, 12, "unexpected text after @pagebreak"},
		{"@if\n", 1, 4, "key after @if"},
		{"@if a b\n@end\n", 1, 7, "unexpected text after @if"},
		{"text\n@else\n", 2, 1, "@else without @if"},
		{"@if a\n@else\n@else\n@end\n", 3, 1, "second @else for the @if on line 1"},
		{"@end\n", 1, 1, "@end without an open"},
		{"x\n\n@if a\ny\n", 3, 1, "@if is not closed"},
		{"@each xs\n@end\n", 1, 9, "@each needs LIST as NAME"},
		{"@each xs as a.b\n@end\n", 1, 13, "must not contain '.'"},
		{"@box note\n@each l as i\n", 2, 1, "@each is not closed"},
		{"A {{key\n", 1, 3, "unterminated placeholder"},
		{"\xd0\x91\xd0\xb0 {{}} x\n", 1, 4, "empty placeholder"},
		{"A {{a b}}\n", 1, 7, "invalid character in placeholder name"},
		{"A {{a..b}}\n", 1, 6, "misplaced '.'"},
		{"A {{.a}}\n", 1, 5, "misplaced '.'"},
		{"A b}} c\n", 1, 4, "'}}' without '{{'"},
		{"A \\n\n", 1, 3, "unknown escape"},
		{"A \xff\n", 1, 3, "not valid UTF-8"},
		{"A\x01\n", 1, 2, "control character 0x01"},
		{"line\n\xd0\x91\xd0\xb0\xd0\xbd\xd0\xba {{x} y\n", 2, 6, "unterminated"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tl_template_t *t = NULL;
		tl_template_error_t e;
		char prefix[64];
		int rc = tl_template_parse(cases[i].src, strlen(cases[i].src), "my.tmpl", &t, &e);
		if (rc != TL_EFORMAT || e.line != cases[i].line || e.col != cases[i].col ||
		    strstr(e.msg, cases[i].what) == NULL)
			print_error("case %zu: rc %d, %s\n", i, rc, e.msg);
		assert_int_equal(rc, TL_EFORMAT);
		assert_null(t);
		assert_int_equal(e.line, cases[i].line);
		assert_int_equal(e.col, cases[i].col);
		assert_non_null(strstr(e.msg, cases[i].what));
		snprintf(prefix, sizeof(prefix), "my.tmpl:%d:%d: ", cases[i].line, cases[i].col);
		assert_memory_equal(e.msg, prefix, strlen(prefix));
	}
}

static void test_depth_limit(void **state)
{
	char src[64 * 7 + 1] = "";
	tl_template_t *t = NULL;
	tl_template_error_t e;

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(src, "@if a\n");
	assert_int_equal(tl_template_parse(src, strlen(src), NULL, &t, &e), TL_EFORMAT);
	assert_int_equal(e.line, 32);
	assert_non_null(strstr(e.msg, "nested too deeply"));
}

static void test_fill_errors(void **state)
{
	static const perr_t cases[] = {
		{"Line one\n\nSee {{lookups.uniq}} here\n", 3, 5, "unknown placeholder {{lookups.uniq}}"},
		{"@title {{flag}}\n", 1, 8, "{{flag}} is a yes/no value"},
		{"@field L | x {{list}}\n", 1, 14, "{{list}} is a list"},
		{"@each list as it\n  {{it}}\n@end\n", 2, 3, "{{it}} is a list item"},
		{"@each list as it\n{{it.nope}}\n@end\n", 2, 1, "unknown placeholder {{it.nope}}"},
		{"@each nolist as it\n@end\n", 1, 7, "unknown list nolist"},
		{"@each flag as it\n@end\n", 1, 7, "flag is not a list"},
		{"x\n@insert chart.nope\n", 2, 9, "unknown table or chart @insert chart.nope"},
		{"@box note {{missing}}\n@end\n", 1, 11, "unknown placeholder {{missing}}"},
		{"@if flag\n@section 2 {{gone}}\n@end\n", 2, 12, "unknown placeholder {{gone}}"},
	};
	tl_tvars_t *v = tl_tvars_new(), *it;

	(void)state;
	tl_tvars_set_bool(v, "flag", 1);
	it = tl_tvars_add_item(v, "list");
	tl_tvars_set(it, "x", "1");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tl_template_t *t = parse_ok(cases[i].src);
		tl_template_error_t e;
		tl_tdoc_t d;
		int rc = tl_template_render(t, v, &d, &e);
		if (rc != TL_EINVAL || e.line != cases[i].line || e.col != cases[i].col ||
		    strstr(e.msg, cases[i].what) == NULL)
			print_error("case %zu: rc %d, %s\n", i, rc, e.msg);
		assert_int_equal(rc, TL_EINVAL);
		assert_int_equal(e.line, cases[i].line);
		assert_int_equal(e.col, cases[i].col);
		assert_non_null(strstr(e.msg, cases[i].what));
		assert_memory_equal(e.msg, "t.tmpl:", 7);
		tl_tdoc_free(&d);
		tl_template_free(t);
	}
	/* An unknown placeholder inside a branch not taken is not looked up. */
	{
		tl_template_t *t = parse_ok("@if !flag\n{{gone}}\n@end\n");
		tl_tdoc_t d;
		assert_int_equal(tl_template_render(t, v, &d, NULL), TL_OK);
		assert_int_equal(d.n, 0);
		tl_tdoc_free(&d);
		tl_template_free(t);
	}
	tl_tvars_free(v);
}

/* Keys, as the README documents them. */
typedef struct keylist {
	char *v[512];
	int kind[512];
	size_t n;
} keylist_t;

static void add_key(void *ud, const char *name, int kind, int line)
{
	keylist_t *k = ud;

	(void)line;
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], name) == 0) {
			if (kind == TL_TKEY_TEXT)
				k->kind[i] = kind;
			return;
		}
	assert_true(k->n < 512);
	k->v[k->n] = strdup(name);
	k->kind[k->n++] = kind;
}

static void keylist_free(keylist_t *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
}

static int has_key(const keylist_t *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], name) == 0)
			return 1;
	return 0;
}

static void test_keys(void **state)
{
	tl_template_t *t = parse_ok("@title {{a.b}}\n@each xs as x\n{{x.y}} {{top}}\n"
				    "@each x.zs as z\n@if z.on\n{{z.w}} {{x.y}}\n@end\n@end\n@end\n"
				    "@insert chart.c\n@if a.b\n@end\n");
	keylist_t k = {.n = 0};

	(void)state;
	tl_template_keys(t, add_key, &k);
	assert_int_equal(k.n, 8);
	assert_string_equal(k.v[0], "a.b");
	assert_string_equal(k.v[1], "xs");
	assert_int_equal(k.kind[1], TL_TKEY_LIST);
	assert_string_equal(k.v[2], "xs[].y");
	assert_string_equal(k.v[3], "top");
	assert_string_equal(k.v[4], "xs[].zs");
	assert_string_equal(k.v[5], "xs[].zs[].on");
	assert_int_equal(k.kind[5], TL_TKEY_COND);
	assert_string_equal(k.v[6], "xs[].zs[].w");
	assert_string_equal(k.v[7], "chart.c");
	assert_int_equal(k.kind[7], TL_TKEY_INSERT);
	keylist_free(&k);
	tl_template_free(t);
}

/* Reads the names in the README table "Placeholders of the default template": rows
 * "| `name` | kind | meaning |" after that heading. */
static void readme_names(keylist_t *out)
{
	FILE *fp = fopen(TEMPLATES_DIR "/README.md", "r");
	char line[1024];
	int in = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, "## ", 3) == 0)
			in = strstr(line, "Placeholders of the default template") != NULL;
		if (in && strncmp(line, "| `", 3) == 0) {
			char *e = strchr(line + 3, '`');
			char *kind;
			assert_non_null(e);
			*e = '\0';
			kind = e + 1;
			while (*kind == ' ' || *kind == '|')
				kind++;
			add_key(out, line + 3,
				strncmp(kind, "list", 4) == 0        ? TL_TKEY_LIST
				: strncmp(kind, "condition", 9) == 0 ? TL_TKEY_COND
				: strncmp(kind, "insert", 6) == 0    ? TL_TKEY_INSERT
								     : TL_TKEY_TEXT,
				0);
		}
	}
	fclose(fp);
}

static void test_default_template(void **state)
{
	tl_template_t *t = NULL;
	tl_template_error_t e;
	keylist_t used = {.n = 0}, doc = {.n = 0};
	tl_tvars_t *v;
	tl_tdoc_t d;
	int rc, sections = 0;

	(void)state;
	rc = tl_template_load(TEMPLATES_DIR "/default.tmpl", &t, &e);
	if (rc != TL_OK)
		print_error("%s\n", e.msg);
	assert_int_equal(rc, TL_OK);
	tl_template_keys(t, add_key, &used);
	readme_names(&doc);
	assert_true(doc.n > 50);
	for (size_t i = 0; i < used.n; i++) {
		if (!has_key(&doc, used.v[i]))
			print_error("default.tmpl uses %s, not listed in templates/README.md\n",
				    used.v[i]);
		assert_true(has_key(&doc, used.v[i]));
	}
	for (size_t i = 0; i < doc.n; i++) {
		if (!has_key(&used, doc.v[i]))
			print_error("templates/README.md lists %s, unused by default.tmpl\n",
				    doc.v[i]);
		assert_true(has_key(&used, doc.v[i]));
	}

	/* Filled with every documented value (one record per list), it renders, and the
	 * level-1 sections come in the order of /work/shared/REPORT.md. */
	{
		static const char *order[] = {"Summary in plain words", "Evidence and integrity",
					      "Method", "Data quality", "Findings",
					      "Limitations and alternative explanations",
					      "Reproducibility", "Declaration and signatures",
					      "Appendices"};
		tl_tvars_t *recs[64];
		const char *names[64];
		size_t nrec = 0, ins = 0;

		v = tl_tvars_new();
		for (size_t i = 0; i < doc.n; i++)
			if (doc.kind[i] == TL_TKEY_LIST && strstr(doc.v[i], "[]") == NULL) {
				assert_true(nrec < 64);
				names[nrec] = doc.v[i];
				recs[nrec++] = tl_tvars_add_item(v, doc.v[i]);
			}
		for (size_t i = 0; i < doc.n; i++) {
			const char *br = strstr(doc.v[i], "[].");
			tl_tvars_t *target = v;
			const char *key = doc.v[i];
			if (doc.kind[i] == TL_TKEY_LIST)
				continue;
			if (br) {
				target = NULL;
				for (size_t r = 0; r < nrec; r++)
					if (strlen(names[r]) == (size_t)(br - doc.v[i]) &&
					    memcmp(names[r], doc.v[i], strlen(names[r])) == 0)
						target = recs[r];
				assert_non_null(target);
				key = br + 3;
			}
			if (doc.kind[i] == TL_TKEY_COND || doc.kind[i] == TL_TKEY_INSERT)
				tl_tvars_set_bool(target, key, 1);
			else
				tl_tvars_set(target, key, doc.v[i]);
		}
		rc = tl_template_render(t, v, &d, &e);
		if (rc != TL_OK)
			print_error("%s\n", e.msg);
		assert_int_equal(rc, TL_OK);
		assert_int_equal(d.v[0].kind, TL_TB_TITLE);
		for (size_t i = 0; i < d.n; i++) {
			if (d.v[i].kind == TL_TB_SECTION && d.v[i].level == 1) {
				assert_true(sections < 9);
				assert_string_equal(d.v[i].text, order[sections]);
				sections++;
			}
			if (d.v[i].kind == TL_TB_INSERT)
				ins++;
		}
		assert_int_equal(sections, 9);
		assert_int_equal(ins, 14); /* the 14 names tl_report_insert_names() knows */
		/* the values arrive where the template puts them */
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].kind == TL_TB_FIELD &&
			    strcmp(d.v[i].label, "Case number") == 0)
				assert_string_equal(d.v[i].text, "case.number");
		assert_string_equal(d.v[d.n - 1].text, "End of report report.id.");
		tl_tdoc_free(&d);
		tl_tvars_free(v);
	}
	keylist_free(&used);
	keylist_free(&doc);
	tl_template_free(t);
}

static void test_load_missing(void **state)
{
	tl_template_t *t = NULL;
	tl_template_error_t e;

	(void)state;
	assert_int_equal(tl_template_load("/nonexistent/x.tmpl", &t, &e), TL_ENOENT);
	assert_null(t);
	assert_non_null(strstr(e.msg, "/nonexistent/x.tmpl"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_last_line_and_bom),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_repetition),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_fill_errors),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_default_template),
		cmocka_unit_test(test_load_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
