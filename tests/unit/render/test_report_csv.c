/* test_report_csv.c - the CSV tables (--csv): from the sample case's findings, every table
 * has a header and rows of one width, one row per item of the model, and numbers that read
 * back as the model's doubles bit for bit; from a findings value made here, quoting (RFC
 * 4180), text that is not UTF-8, and absent values as empty cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/case.h"
#include "analysis/engine.h"
#include "case/events.h"
#include "render/report/report_export.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/time.h"

#include "../sample_analysis.h"


/* A small RFC 4180 reader for the tests: rows of fields (malloc'd, NUL-terminated). */
typedef struct table {
	char ***rows;
	size_t *width;
	size_t n;
} table_t;

static void parse(const char *s, table_t *t)
{
	memset(t, 0, sizeof(*t));
	while (*s) {
		t->rows = realloc(t->rows, (t->n + 1) * sizeof(*t->rows));
		t->width = realloc(t->width, (t->n + 1) * sizeof(*t->width));
		char **row = NULL;
		size_t w = 0;
		for (;;) {
			char *cell = malloc(strlen(s) + 1);
			size_t len = 0;
			if (*s == '"') {
				for (s++;; s++) {
					assert_true(*s != '\0'); /* a quote is closed */
					if (*s == '"' && s[1] == '"')
						cell[len++] = *s++;
					else if (*s == '"')
						break;
					else
						cell[len++] = *s;
				}
				s++;
			} else {
				while (*s && *s != ',' && *s != '\r' && *s != '\n')
					cell[len++] = *s++;
			}
			cell[len] = '\0';
			row = realloc(row, (w + 1) * sizeof(*row));
			row[w++] = cell;
			if (*s == ',') {
				s++;
				continue;
			}
			assert_memory_equal(s, "\r\n", 2); /* every row ends with CRLF */
			s += 2;
			break;
		}
		t->rows[t->n] = row;
		t->width[t->n++] = w;
	}
}

static void table_free(table_t *t)
{
	for (size_t r = 0; r < t->n; r++) {
		for (size_t c = 0; c < t->width[r]; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t->width);
}

static void table_of(const tl_findings_t *f, const char *name, table_t *t)
{
	tl_buf_t b;
	tl_buf_init(&b);
	assert_int_equal(tl_report_csv(f, name, &b), TL_OK);
	assert_non_null(b.data);
	parse(b.data, t);
	tl_buf_free(&b);
	for (size_t r = 1; r < t->n; r++)
		assert_int_equal(t->width[r], t->width[0]);
}

static size_t col(const table_t *t, const char *name)
{
	for (size_t c = 0; c < t->width[0]; c++)
		if (strcmp(t->rows[0][c], name) == 0)
			return c;
	fail_msg("no column %s", name);
	return 0;
}

/* The cell reads back as exactly v: full precision, not the PDF's rounding. */
static void assert_double_cell(const char *cell, double v)
{
	char *end;
	double x = strtod(cell, &end);
	assert_true(*cell && *end == '\0');
	assert_memory_equal(&x, &v, sizeof(v));
}

static void test_every_table(void **state)
{
	(void)state;
	size_t n = 0;
	for (const char *const *name = tl_report_csv_names(); *name; name++, n++) {
		table_t t;
		table_of(&findings, *name, &t);
		assert_true(t.n >= 1);
		for (size_t c = 0; c < t.width[0]; c++)
			assert_int_equal(strspn(t.rows[0][c], "abcdefghijklmnopqrstuvwxyz0123456789_"),
					 strlen(t.rows[0][c]));
		table_free(&t);
	}
	assert_int_equal(n, 9);
	tl_buf_t b;
	tl_buf_init(&b);
	assert_int_equal(tl_report_csv(&findings, "no-such-table", &b), TL_ENOENT);
	assert_int_equal(tl_report_csv(NULL, "sources", &b), TL_EINVAL);
	assert_int_equal(b.len, 0);
	tl_buf_free(&b);
}

static void test_values_from_the_model(void **state)
{
	(void)state;
	const tl_profile_model_t *p = &findings.profile;
	table_t t;
	table_of(&findings, "organisations", &t);
	assert_int_equal(t.n, p->n_orgs + 1);
	for (size_t i = 0; i < p->n_orgs; i++) {
		char **row = t.rows[i + 1];
		const tl_prof_org_t *o = &p->orgs[i];
		assert_string_equal(row[col(&t, "organisation")], o->name);
		assert_int_equal(strtoull(row[col(&t, "lookups")], NULL, 10), o->lookups.count);
		assert_int_equal(strtoull(row[col(&t, "total_lookups")], NULL, 10), p->n_lookups);
		assert_double_cell(row[col(&t, "share")], o->lookups.share);
		assert_double_cell(row[col(&t, "ci_low")], o->lookups.lo);
		assert_double_cell(row[col(&t, "ci_high")], o->lookups.hi);
		char iso[TL_TIME_ISO_LEN];
		tl_time_format_iso(o->first.ts, iso);
		assert_string_equal(row[col(&t, "first_lookup_utc")], iso);
	}
	table_free(&t);

	table_of(&findings, "sources", &t);
	assert_int_equal(t.n, p->n_sources + 1);
	for (size_t i = 0; i < p->n_sources; i++) {
		assert_string_equal(t.rows[i + 1][col(&t, "source_address")], p->sources[i].addr_text);
		assert_double_cell(t.rows[i + 1][col(&t, "share")], p->sources[i].lookups.share);
		/* the sample's attribution is a CIDR list: no AS numbers, so empty cells */
		assert_string_equal(t.rows[i + 1][col(&t, "asn")], "");
	}
	table_free(&t);

	table_of(&findings, "manifest", &t);
	assert_int_equal(t.n, findings.ctx.n_inputs + 1);
	for (size_t i = 0; i < findings.ctx.n_inputs; i++) {
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(findings.ctx.inputs[i].info.sha256, hex);
		assert_string_equal(t.rows[i + 1][col(&t, "sha256")], hex); /* whole, one cell */
	}
	table_free(&t);

	/* every baseline name, not only the 20 the PDF lists, after the target's row */
	table_of(&findings, "baseline", &t);
	assert_int_equal(t.n, 1 + (findings.baseline.has_target ? 1 : 0) + findings.baseline.n_names);
	assert_true(findings.baseline.n_names > 20);
	table_free(&t);

	/* events: an untested event has empty statistics, not "n/a" */
	const tl_correlate_model_t *m = &findings.correlate;
	table_of(&findings, "events", &t);
	assert_int_equal(t.n, m->n_events + 1);
	size_t untested = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		char **row = t.rows[i + 1];
		if (m->tests[i].status == TL_CORRELATE_TESTABLE) {
			assert_double_cell(row[col(&t, "rate_ratio")], m->tests[i].rr);
			assert_double_cell(row[col(&t, "p_holm")], m->tests[i].p_holm);
			assert_string_equal(row[col(&t, "status")], "tested");
		} else {
			untested++;
			assert_string_equal(row[col(&t, "rate_ratio")], "");
			assert_string_equal(row[col(&t, "significant")], "");
			assert_string_not_equal(row[col(&t, "status")], "tested");
		}
	}
	assert_true(untested > 0);
	table_free(&t);
}

/* Quoting, bad bytes and absent values, from a findings value made here. */
static void test_quoting_and_absent_values(void **state)
{
	(void)state;
	static tl_findings_t f; /* zero: only what is set below */
	tl_prof_org_t org;
	memset(&org, 0, sizeof(org));
	org.name = "Org \"Q\", Ltd\xff\x01";
	org.tz = "Europe/Berlin";
	org.tz_ok = 0;
	org.lookups.count = 0;
	org.lookups.share = NAN; /* no lookups at all: no share */
	org.lookups.lo = NAN;
	org.lookups.hi = NAN;
	org.lookups.deff = 1;
	org.first.ts = TL_TIME_NONE;
	org.last.ts = TL_TIME_NONE;
	f.profile.orgs = &org;
	f.profile.n_orgs = 1;
	f.profile.alpha = 0.05;
	tl_buf_t b;
	tl_buf_init(&b);
	assert_int_equal(tl_report_csv(&f, "organisations", &b), TL_OK);
	const char *row = strstr(b.data, "\r\n") + 2;
	assert_string_equal(row, "\"Org \"\"Q\"\", Ltd\xef\xbf\xbd\xef\xbf\xbd\",Europe/Berlin,false,"
				 "0,0,0,,,,0.95,1,,,,,,,0\r\n");
	tl_buf_clear(&b);
	/* no events file: the header alone */
	assert_int_equal(tl_report_csv(&f, "events", &b), TL_OK);
	assert_int_equal(strstr(b.data, "\r\n") + 2 - b.data, (ptrdiff_t)b.len);
	tl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_table),
		cmocka_unit_test(test_values_from_the_model),
		cmocka_unit_test(test_quoting_and_absent_values),
	};
	return cmocka_run_group_tests(tests, sample_setup, sample_teardown);
}
