/* test_report_inserts.c - the report's tables and charts built from the sample case's
 * findings: every name builds, tables have one row per item of the model, values come from
 * the model, charts fit the width given, unknown names give TL_ENOENT. With
 * TL_INSERTS_PNG_DIR set, every chart is also written there as PNG for looking at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/report/report.h"
#include "util/error.h"

#include "../sample_analysis.h"

#define BANK "АО «Банк Полярный»"

/* Fontconfig keeps its configuration for the life of the process; not our leak. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* The sample's teardown, and the charts' fonts released. */
static int teardown(void **state)
{
	sample_teardown(state);
	tl_chart_release();
	return 0;
}

static const tl_insert_ctx_t ctx480 = {480.0, NULL, NULL};

static void build(const char *name, tl_insert_t *in)
{
	char err[512];
	memset(in, 0xA5, sizeof(*in)); /* out must be fully written on success */
	int rc = tl_report_insert(&findings, name, &ctx480, in, err, sizeof(err));
	if (rc != TL_OK)
		print_error("%s: %s\n", name, err);
	assert_int_equal(rc, TL_OK);
}

static const char *cell(const tl_insert_t *in, size_t row, size_t c)
{
	assert_true(row < in->table.nrows && c < in->table.ncols);
	return in->table.cells[row * in->table.ncols + c];
}

static size_t find_col(const tl_insert_t *in, const char *head_prefix)
{
	for (size_t c = 0; c < in->table.ncols; c++)
		if (strncmp(in->table.head[c], head_prefix, strlen(head_prefix)) == 0)
			return c;
	print_error("no column \"%s\"\n", head_prefix);
	fail();
	return 0;
}

/* Whether some text item of the chart contains s. */
static int chart_has_text(const tl_chart_t *c, const char *s)
{
	for (size_t i = 0; i < c->ntexts; i++)
		if (strstr(c->texts[i].text, s))
			return 1;
	return 0;
}

/* Whether some text item of the chart is exactly s (the empty-chart note is "No data"). */
static int chart_text_is(const tl_chart_t *c, const char *s)
{
	for (size_t i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].text, s) == 0)
			return 1;
	return 0;
}

static void test_every_name_builds(void **state)
{
	(void)state;
	const char *const *names = tl_report_insert_names();
	size_t n = 0;
	const char *dir = getenv("TL_INSERTS_PNG_DIR");
	for (; names[n]; n++) {
		tl_insert_t in;
		build(names[n], &in);
		assert_non_null(in.title);
		assert_non_null(in.caption);
		assert_non_null(in.slug);
		assert_true(strlen(in.title) > 5);
		/* Titles are not numbered: the assembler numbers them. */
		assert_false(strncmp(in.title, "Table", 5) == 0 || strncmp(in.title, "Figure", 6) == 0);
		assert_non_null(strstr(in.caption, "Source") ? in.caption : strstr(in.caption, "case"));
		/* slugs are file-name safe */
		for (const char *p = in.slug; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
		int is_chart = strncmp(names[n], "chart.", 6) == 0;
		assert_int_equal(in.kind, is_chart ? TL_INSERT_CHART : TL_INSERT_TABLE);
		if (is_chart) {
			assert_non_null(in.chart);
			assert_true(in.chart->width <= 480.0 + 1e-9);
			assert_true(in.chart->width >= 400.0);
			assert_true(in.chart->height >= 72.0 && in.chart->height < 700.0);
			if (chart_text_is(in.chart, "No data"))
				print_error("%s says No data\n", names[n]);
			assert_false(chart_text_is(in.chart, "No data"));
			if (dir) {
				char path[1024];
				snprintf(path, sizeof(path), "%s/%s.png", dir, in.slug);
				assert_int_equal(tl_chart_write_png(in.chart, path, 2.0), TL_OK);
			}
		} else {
			assert_null(in.chart);
			assert_true(in.table.ncols >= 2);
			assert_non_null(in.table.cols);
			for (size_t c = 0; c < in.table.ncols; c++)
				assert_non_null(in.table.head[c]);
			for (size_t k = 0; k < in.table.nrows * in.table.ncols; k++)
				assert_non_null(in.table.cells[k]);
		}
		tl_insert_free(&in);
		assert_null(in.title);
		assert_null(in.chart);
	}
	/* the 13 names of the template, and the permutation null */
	assert_int_equal(n, 14);
}

static void test_unknown_name(void **state)
{
	(void)state;
	char err[256];
	tl_insert_t in;
	memset(&in, 0, sizeof(in));
	assert_int_equal(tl_report_insert(&findings, "table.nope", &ctx480, &in, err, sizeof(err)),
			 TL_ENOENT);
	assert_non_null(strstr(err, "table.nope"));
	assert_null(in.title);
	assert_int_equal(tl_report_insert(&findings, "chart", &ctx480, &in, err, sizeof(err)),
			 TL_ENOENT);
	assert_int_equal(tl_report_insert(&findings, "", &ctx480, &in, err, sizeof(err)), TL_ENOENT);
	tl_insert_free(NULL);
}

static void test_sources_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.sources", &in);
	assert_int_equal(in.table.nrows, findings.ctx.n_sources);
	assert_int_equal(in.table.nrows, 9);
	size_t org = find_col(&in, "Organisation"), lk = find_col(&in, "Lookups");
	size_t share = find_col(&in, "Share");
	/* the most active source first: the bank's resolver, 1,299 of 3,319 lookups */
	assert_string_equal(cell(&in, 0, 0), "198.51.100.29");
	assert_string_equal(cell(&in, 0, org), BANK);
	assert_string_equal(cell(&in, 0, lk), "1,299");
	assert_string_equal(cell(&in, 0, share), "39.1% (95% CI 37.5–40.8%)");
	tl_insert_free(&in);
}

static void test_organisations_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.organisations", &in);
	assert_int_equal(in.table.nrows, findings.profile.n_orgs);
	assert_int_equal(in.table.nrows, 6);
	assert_string_equal(cell(&in, 0, 0), BANK);
	assert_string_equal(cell(&in, 0, 1), "Europe/Moscow");
	size_t lk = find_col(&in, "Lookups");
	/* the interval allows for lookups clustering by day: design effect 1.41 */
	assert_string_equal(cell(&in, 0, lk), "2,587 (77.9%, 95% CI 76.2–79.6%)");
	assert_string_equal(cell(&in, 1, 0), "Lakeshore Health Partners");
	assert_string_equal(cell(&in, 0, find_col(&in, "First")), "2016-05-04 06:10 UTC");
	tl_insert_free(&in);
}

static void test_manifest_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.manifest", &in);
	assert_int_equal(in.table.nrows, findings.ctx.n_inputs);
	assert_int_equal(in.table.nrows, 3);
	size_t h = find_col(&in, "SHA-256");
	/* the whole hash as one word, so that a text search finds it, on a line of its own
	 * below the row */
	assert_string_equal(cell(&in, 0, h), "3c07161f18eb1b6ad83cceed1c785994"
					     "fb6e3ea1f830a916a927d59f84ced1f2");
	assert_int_equal(in.table.cols[h].span, TL_SPAN_BELOW);
	assert_int_equal(in.table.cols[h].overflow, TL_CELL_WRAP);
	assert_int_equal(in.table.cols[h].max_lines, 0);
	assert_string_equal(cell(&in, 0, 0), "sensor1");
	assert_string_equal(cell(&in, 0, 1), "sensor1-ns1.pcap");
	assert_string_equal(cell(&in, 1, find_col(&in, "Format")), "pcapng, gzip");
	assert_string_equal(cell(&in, 0, find_col(&in, "Size")), "9,225,858");
	assert_string_equal(cell(&in, 0, find_col(&in, "DNS")), "58,206");
	assert_string_equal(cell(&in, 0, find_col(&in, "First")),
			    "2016-05-04 00:03:42 UTC\n2016-09-30 23:48:31 UTC");
	tl_insert_free(&in);
}

static void test_quality_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.quality", &in);
	/* one row per input and the totals */
	assert_int_equal(in.table.nrows, findings.quality.n_inputs + 1);
	size_t rec = find_col(&in, "DNS"), dr = find_col(&in, "Dropped");
	size_t mal = find_col(&in, "Malformed"), tc = find_col(&in, "Truncated");
	assert_string_equal(cell(&in, 0, rec), "58,206");
	assert_string_equal(cell(&in, 3, 0), "All inputs");
	assert_string_equal(cell(&in, 3, rec), "170,353");
	assert_string_equal(cell(&in, 3, tc), "550");
	assert_string_equal(cell(&in, 0, dr), "not recorded");
	assert_string_equal(cell(&in, 1, dr), "interface 24");
	assert_string_equal(cell(&in, 0, mal), "2: dns_bad_pointer 1, dns_truncated 1");
	assert_string_equal(cell(&in, 0, find_col(&in, "Time")), "1 µs");
	tl_insert_free(&in);
}

static void test_events_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.events", &in);
	assert_true(findings.has_correlate);
	assert_int_equal(in.table.nrows, findings.correlate.n_events);
	assert_int_equal(in.table.nrows, 12);
	size_t obs = find_col(&in, "Observed"), adj = find_col(&in, "Adjusted p (Holm)");
	size_t sig = find_col(&in, "Significant");
	size_t rr = find_col(&in, "Rate ratio");
	int tested = 0, sig_yes = 0;
	for (size_t i = 0; i < in.table.nrows; i++) {
		const tl_correlate_test_t *t = &findings.correlate.tests[i];
		char buf[32];
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)t->observed);
		if (t->observed < 1000)
			assert_string_equal(cell(&in, i, obs), buf);
		if (t->status == TL_CORRELATE_TESTABLE) {
			tested++;
			assert_string_equal(cell(&in, i, sig), t->significant ? "yes" : "no");
			sig_yes += t->significant;
			assert_non_null(strstr(cell(&in, i, rr), "(95% CI "));
		} else {
			/* an untested event says why in the Significant column */
			assert_non_null(strstr(cell(&in, i, sig), "not tested"));
			assert_string_equal(cell(&in, i, adj), "n/a");
		}
	}
	assert_int_equal((size_t)tested, findings.correlate.n_testable);
	/* the sample's significant rises: events 5 and 8; event 2's rests mostly on one
	 * resolver (docs/statistics.md, "No single source") */
	assert_int_equal(sig_yes, 2);
	assert_string_equal(cell(&in, 4, sig), "yes");
	assert_string_equal(cell(&in, 1, sig), "no");
	assert_string_equal(cell(&in, 7, rr), "2.28 (95% CI 1.74–2.95)");
	/* the first debate's window spans the successor's first answer: not tested */
	assert_string_equal(cell(&in, 10, sig), "not tested: the window spans a change of regime");
	assert_string_equal(cell(&in, 11, sig), "not tested: no data in the window");
	assert_int_equal(in.table.ncols, 8);
	/* the event labels lead the second column; numbering follows the events */
	assert_string_equal(cell(&in, 0, 0), "1");
	assert_non_null(strstr(cell(&in, 0, 1), findings.correlate.events[0].label));
	tl_insert_free(&in);
}

static void test_names_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.names", &in);
	assert_int_equal(in.table.nrows, findings.names.n_names);
	assert_int_equal(in.table.nrows, 4);
	/* mail1.hallworth-email.example.: NXDOMAIN after its last success, successor hw1 */
	size_t r = SIZE_MAX;
	for (size_t i = 0; i < in.table.nrows; i++)
		if (strncmp(cell(&in, i, 0), "mail1.hallworth-email.example.", 30) == 0)
			r = i;
	assert_true(r != SIZE_MAX);
	assert_non_null(strstr(cell(&in, r, 0), "under examination"));
	assert_string_equal(cell(&in, r, find_col(&in, "First failure")),
			    "NXDOMAIN, 2016-09-23 11:34:45 UTC\nsensor3 #55833");
	assert_string_equal(cell(&in, r, find_col(&in, "Last successful")),
			    "2016-09-23 10:45:27 UTC\nsensor3 #55825");
	assert_non_null(strstr(cell(&in, r, find_col(&in, "Successor")),
			       "hw1.contact-partner.example."));
	assert_string_equal(cell(&in, r, find_col(&in, "First lookup")),
			    "198.51.100.21 (" BANK ")\n2016-05-04 06:10:29 UTC\nsensor3 #91");
	tl_insert_free(&in);
}

static void test_baseline_table(void **state)
{
	(void)state;
	tl_insert_t in;
	build("table.baseline", &in);
	const tl_baseline_model_t *m = &findings.baseline;
	size_t listed = m->n_names < 20 ? m->n_names : 20;
	assert_int_equal(in.table.nrows, 1 + listed);
	assert_non_null(strstr(cell(&in, 0, 0), "under examination"));
	/* de-duplicated lookups, as in the profile (2,587 of 3,319 from the bank) */
	assert_string_equal(cell(&in, 0, find_col(&in, "Its share")), "77.9%");
	assert_string_equal(cell(&in, 0, find_col(&in, "Lookups")), "3,319");
	/* groups first, as the model orders them */
	for (size_t i = 0; i < listed; i++)
		assert_string_equal(cell(&in, 1 + i, 0), m->names[i].name);
	/* the names sharing the target's address are left out, and the caption says so */
	assert_non_null(strstr(cell(&in, 1, 1), "same zone"));
	assert_non_null(strstr(in.caption, "100.0%"));
	assert_non_null(strstr(in.caption, "Left out of the comparison"));
	assert_non_null(strstr(in.caption, "mail1.quayside-email.example."));
	assert_non_null(strstr(in.caption, "never pooled"));
	assert_non_null(strstr(in.caption, "seed 20160504"));
	tl_insert_free(&in);
}

static void test_daily_chart(void **state)
{
	(void)state;
	tl_insert_t in;
	build("chart.daily_lookups", &in);
	/* legend names every organisation, event windows are numbered */
	for (size_t i = 0; i < findings.profile.n_orgs; i++)
		assert_true(chart_has_text(in.chart, findings.profile.orgs[i].name));
	assert_true(chart_has_text(in.chart, "Lookups per day"));
	assert_true(chart_has_text(in.chart, "11"));
	assert_non_null(strstr(in.caption, "2 h"));
	tl_insert_free(&in);
}

static void test_interarrival_and_heatmap(void **state)
{
	(void)state;
	tl_insert_t in;
	build("chart.interarrival", &in);
	assert_true(chart_has_text(in.chart, "TTL 3,600 s"));
	assert_non_null(strstr(in.caption, "1 h"));
	tl_insert_free(&in);
	build("chart.hour_weekday", &in);
	/* the bank (78%) and the health company (20%) have a local and a UTC grid each; the
	 * others (under 1% each) none */
	assert_non_null(strstr(in.title, "local time and UTC"));
	assert_true(chart_text_is(in.chart, BANK));
	assert_true(chart_text_is(in.chart, "Local time (Europe/Moscow)"));
	assert_true(chart_text_is(in.chart, "Lakeshore Health Partners"));
	assert_true(chart_text_is(in.chart, "Local time (America/New_York)"));
	assert_true(chart_text_is(in.chart, "UTC"));
	assert_false(chart_has_text(in.chart, "Sentinel"));
	assert_non_null(strstr(in.caption, "2 of 6 organisations"));
	assert_null(strstr(in.caption, "Left out"));
	assert_true(in.chart->width == 480.0 && in.chart->height <= 600.0);
	tl_insert_free(&in);
}

static void test_forest_and_timeline(void **state)
{
	(void)state;
	tl_insert_t in;
	build("chart.event_effects", &in);
	assert_true(chart_has_text(in.chart, "1. "));
	assert_true(chart_has_text(in.chart, "Ratio (95% CI)"));
	tl_insert_free(&in);
	build("chart.name_timeline", &in);
	assert_true(chart_has_text(in.chart, "mail1.hallworth-email.example."));
	assert_true(chart_has_text(in.chart, "hw1.contact-partner.example."));
	/* the successor's row comes below its predecessor's */
	double y_old = -1, y_new = -1;
	for (size_t i = 0; i < in.chart->ntexts; i++) {
		if (strcmp(in.chart->texts[i].text, "mail1.hallworth-email.example.") == 0)
			y_old = in.chart->texts[i].y;
		if (strcmp(in.chart->texts[i].text, "hw1.contact-partner.example.") == 0)
			y_new = in.chart->texts[i].y;
	}
	assert_true(y_old > 0 && y_new > y_old);
	tl_insert_free(&in);
	build("chart.permutation_null", &in);
	assert_true(chart_has_text(in.chart, "Observed 1.40"));
	tl_insert_free(&in);
}

/* The heatmaps: organisations with at least 5% of the lookups, by count, as many as fit in
 * 600 pt, the rest counted in the caption; the most active one in any case; a display zone
 * that is UTC or that did not load gives a note instead of the local grid. */
static void test_heatmap_selection(void **state)
{
	(void)state;
	enum { NORG = 10 };
	tl_findings_t z;
	memset(&z, 0, sizeof(z));
	tl_prof_org_t orgs[30];
	char names[30][16];
	memset(orgs, 0, sizeof(orgs));
	for (int i = 0; i < NORG; i++) {
		snprintf(names[i], sizeof(names[i]), "Org%02d", i);
		orgs[i].name = names[i];
		orgs[i].tz = i == 0 ? "Europe/Berlin" : i == 2 ? "Mars/Olympus" : "UTC";
		orgs[i].tz_ok = i != 2;
		orgs[i].lookups.count = (uint64_t)(NORG - i); /* 10..1 of 55: 8 with 5% or more */
		orgs[i].week_utc[i % 7][i] = (uint64_t)(NORG - i);
		orgs[i].week_local[i % 7][i] = (uint64_t)(NORG - i);
	}
	z.profile.orgs = orgs;
	z.profile.n_orgs = NORG;
	z.profile.n_lookups = 55;
	tl_insert_t in;
	char err[256];
	assert_int_equal(tl_report_insert(&z, "chart.hour_weekday", &ctx480, &in, err, sizeof(err)),
			 TL_OK);
	size_t shown = 0;
	while (shown < NORG && chart_text_is(in.chart, names[shown]))
		shown++;
	for (size_t i = shown; i < NORG; i++)
		assert_false(chart_text_is(in.chart, names[i]));
	assert_true(shown >= 3 && shown < 8);
	assert_true(in.chart->width == 480.0 && in.chart->height <= 600.0);
	char want[128];
	snprintf(want, sizeof(want), "%zu of 10 organisations", shown);
	assert_non_null(strstr(in.caption, want));
	snprintf(want, sizeof(want), "Left out for want of space: %zu further organisations",
		 8 - shown);
	assert_non_null(strstr(in.caption, want));
	assert_true(chart_text_is(in.chart, "Local time (Europe/Berlin)"));
	assert_true(chart_text_is(in.chart, "The display zone is UTC: see the UTC grid"));
	assert_true(chart_text_is(in.chart, "Display zone could not be loaded: no local times"));
	assert_non_null(strstr(in.caption, "could not be loaded"));
	assert_non_null(strstr(in.caption, "display zone is UTC"));
	tl_insert_free(&in);

	/* 30 organisations of 1 lookup each (3.3%): only the most active is shown */
	for (int i = 0; i < 30; i++) {
		snprintf(names[i], sizeof(names[i]), "Org%02d", i);
		orgs[i].name = names[i];
		orgs[i].tz = "America/New_York";
		orgs[i].tz_ok = 1;
		orgs[i].lookups.count = 1;
	}
	z.profile.n_orgs = 30;
	z.profile.n_lookups = 30;
	assert_int_equal(tl_report_insert(&z, "chart.hour_weekday", &ctx480, &in, err, sizeof(err)),
			 TL_OK);
	assert_true(chart_text_is(in.chart, "Org00"));
	assert_false(chart_text_is(in.chart, "Org01"));
	assert_non_null(strstr(in.caption, "1 of 30 organisations"));
	assert_null(strstr(in.caption, "Left out"));
	assert_null(strstr(in.caption, "could not be loaded"));
	tl_insert_free(&in);
}

static double counting_measure(void *ud, const char *utf8, double size, int bold)
{
	(*(size_t *)ud)++;
	return 0.6 * size * (double)strlen(utf8) * (bold ? 1.1 : 1.0);
}

/* Charts are laid out with the document's measure function, passed through the context. */
static void test_measure_used(void **state)
{
	(void)state;
	const char *const *names = tl_report_insert_names();
	char err[256];
	for (size_t n = 0; names[n]; n++) {
		if (strncmp(names[n], "chart.", 6) != 0)
			continue;
		size_t calls = 0;
		tl_insert_ctx_t ctx = {480.0, counting_measure, &calls};
		tl_insert_t in;
		assert_int_equal(tl_report_insert(&findings, names[n], &ctx, &in, err, sizeof(err)),
				 TL_OK);
		if (calls == 0)
			print_error("%s did not measure through the context\n", names[n]);
		assert_true(calls > 0);
		tl_insert_free(&in);
	}
}

/* A narrower page gives narrower charts; a chart too small for its labels is an error with
 * the name in the message, never a crash. */
static void test_width(void **state)
{
	(void)state;
	char err[256];
	tl_insert_ctx_t narrow = {300.0, NULL, NULL};
	tl_insert_t in;
	assert_int_equal(tl_report_insert(&findings, "chart.org_shares", &narrow, &in, err,
					  sizeof(err)),
			 TL_OK);
	assert_true(in.chart->width == 300.0);
	tl_insert_free(&in);
	tl_insert_ctx_t tiny = {72.0, NULL, NULL};
	memset(&in, 0, sizeof(in));
	int rc = tl_report_insert(&findings, "chart.daily_lookups", &tiny, &in, err, sizeof(err));
	if (rc != TL_OK) {
		assert_int_equal(rc, TL_EINVAL);
		assert_non_null(strstr(err, "chart.daily_lookups"));
		assert_null(in.chart);
	} else {
		tl_insert_free(&in);
	}
}

/* About DejaVu Sans: 0.62 em a character (its digits are 0.636 em, most letters less). */
static double approx_measure(void *ud, const char *utf8, size_t len, int font, double size)
{
	(void)ud;
	(void)font;
	size_t chars = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)utf8[i] & 0xC0) != 0x80;
	return 0.62 * size * (double)chars;
}

/* Every table lays out in the width of the page at a body size of 8 pt with whole words
 * (as the report lays them out, no smaller than 6.5 pt): no word of any cell is broken and
 * no cell is lifted out of its column; the hashes are on lines of their own, whole. */
static void test_tables_fit(void **state)
{
	(void)state;
	const char *const *names = tl_report_insert_names();
	tl_font_t font = {approx_measure, NULL, 0, 8.0, NULL, NULL};
	for (size_t n = 0; names[n]; n++) {
		if (strncmp(names[n], "table.", 6) != 0)
			continue;
		tl_insert_t in;
		build(names[n], &in);
		tl_table_spec_t spec = {&font, &font, 1.2, 3.0, 2.0, 480.0, in.table.ncols,
					in.table.cols, (const char *const *)in.table.head,
					in.table.nrows, (const char *const *)in.table.cells, 6.5};
		tl_table_t t;
		int rc = tl_table_layout(&spec, &t);
		if (rc != TL_OK)
			print_error("%s does not fit\n", names[n]);
		assert_int_equal(rc, TL_OK);
		assert_true(t.width <= 480.0 + 1e-6);
		assert_true(t.size >= 6.5);
		for (size_t k = 0; k < t.nrows * t.ncols; k++) {
			const tl_table_cell_t *c = &t.cells[k];
			if (c->lifted)
				print_error("%s: cell %zu lifted\n", names[n], k);
			assert_false(c->lifted);
			assert_true(c->size >= 6.5);
			for (size_t i = 0; i < c->lines.n; i++)
				assert_int_equal(c->lines.v[i].mark, TL_MARK_NONE);
		}
		for (size_t c = 0; c < t.ncols; c++)
			for (size_t i = 0; i < t.head[c].lines.n; i++)
				assert_int_equal(t.head[c].lines.v[i].mark, TL_MARK_NONE);
		if (strcmp(names[n], "table.manifest") == 0) {
			size_t h = find_col(&in, "SHA-256");
			for (size_t r = 0; r < t.nrows; r++) {
				const tl_table_cell_t *c = &t.cells[r * t.ncols + h];
				assert_int_equal(c->place, TL_PLACE_BELOW);
				assert_int_equal(c->lines.n, 1);
				assert_int_equal(c->lines.v[0].len, 64);
			}
		}
		tl_table_free(&t);
		tl_insert_free(&in);
	}
}

/* Lays out table name of the findings as the report does (8.5 pt, no smaller than 6.5 but
 * to keep a word whole, A4 text width) and returns the cell holding text at its start,
 * with at least one line holding all of text; no line of the table carries a mark. */
static void long_name_layout(const char *name, const char *text, int want_place)
{
	tl_insert_t in;
	build(name, &in);
	tl_font_t font = {approx_measure, NULL, 0, 8.5, NULL, NULL};
	tl_table_spec_t spec = {&font, &font, 1.3, 4.0, 2.5, 471.28, in.table.ncols,
				in.table.cols, (const char *const *)in.table.head,
				in.table.nrows, (const char *const *)in.table.cells, 6.5};
	tl_table_t t;
	assert_int_equal(tl_table_layout(&spec, &t), TL_OK);
	/* one long name does not make the whole table small */
	assert_true(t.size >= 6.5);
	int found = 0;
	for (size_t k = 0; k < t.nrows * t.ncols; k++) {
		const tl_table_cell_t *c = &t.cells[k];
		for (size_t i = 0; i < c->lines.n; i++)
			assert_int_equal(c->lines.v[i].mark, TL_MARK_NONE);
		if (strncmp(in.table.cells[k], text, strlen(text)) != 0)
			continue;
		found = 1;
		assert_int_equal(c->place, want_place);
		assert_true(c->w == t.width);
		assert_true(c->lines.n >= 1);
		assert_int_equal(c->lines.v[0].off, 0);
		assert_int_equal(c->lines.v[0].len, strlen(text));
		assert_true(c->lines.v[0].width <= t.width - 8.0 + 1e-6);
		assert_true(c->size < 6.5); /* 253 characters need less to fit the width */
	}
	assert_true(found);
	/* every other cell stays where it was, at least 6.5 pt */
	for (size_t k = 0; k < t.nrows * t.ncols; k++) {
		if (strncmp(in.table.cells[k], text, strlen(text)) == 0)
			continue;
		if (t.cells[k].lifted)
			print_error("%s: lifted: %s\n", name, in.table.cells[k]);
		assert_false(t.cells[k].lifted);
		assert_true(t.cells[k].size >= 6.5);
	}
	tl_table_free(&t);
	tl_insert_free(&in);
}

/* A 253-character name (the longest a DNS name can be) is printed whole, on one line of its
 * own: in the names table on its lead line, in the baseline table lifted above its row. */
static void test_long_name(void **state)
{
	(void)state;
	/* on the heap: a failed assertion leaves it to the model, which frees it */
	char *longname = malloc(254);
	assert_non_null(longname);
	memset(longname, 'x', 253);
	longname[63] = longname[127] = longname[191] = longname[252] = '.';
	longname[253] = '\0';
	char *saved_name = findings.names.names[0].name;
	char *saved_base = findings.baseline.names[0].name;
	findings.names.names[0].name = longname;
	long_name_layout("table.names", longname, TL_PLACE_ABOVE);
	findings.names.names[0].name = saved_name;
	findings.baseline.names[0].name = longname;
	long_name_layout("table.baseline", longname, TL_PLACE_ABOVE);
	findings.baseline.names[0].name = saved_base;
	free(longname);
}

/* An empty model (no inputs, no lookups, no events) still gives every insert: empty tables
 * and charts that say "No data", never a crash. */
static void test_empty_model(void **state)
{
	(void)state;
	tl_findings_t z;
	memset(&z, 0, sizeof(z));
	const char *const *names = tl_report_insert_names();
	char err[256];
	for (size_t n = 0; names[n]; n++) {
		tl_insert_t in;
		int rc = tl_report_insert(&z, names[n], &ctx480, &in, err, sizeof(err));
		if (rc != TL_OK)
			print_error("%s: %s\n", names[n], err);
		assert_int_equal(rc, TL_OK);
		if (in.kind == TL_INSERT_TABLE)
			/* the quality table keeps its totals row */
			assert_int_equal(in.table.nrows, strcmp(names[n], "table.quality") == 0);
		tl_insert_free(&in);
	}
}

/* More organisations than the palette has colours: the daily chart shows the seven most
 * active and "Other"; the shares chart keeps every organisation. */
static void test_many_orgs(void **state)
{
	(void)state;
	enum { NORG = 10, NDAYS = 3 };
	tl_findings_t z;
	memset(&z, 0, sizeof(z));
	tl_prof_org_t orgs[NORG];
	uint64_t daily[NORG][NDAYS];
	char names[NORG][16];
	memset(orgs, 0, sizeof(orgs));
	for (int i = 0; i < NORG; i++) {
		snprintf(names[i], sizeof(names[i]), "Org%02d", i);
		orgs[i].name = names[i];
		orgs[i].tz = "UTC";
		orgs[i].tz_ok = 1;
		orgs[i].lookups.count = (uint64_t)(NORG - i);
		orgs[i].lookups.share = (double)(NORG - i) / 55.0;
		orgs[i].lookups.lo = orgs[i].lookups.share * 0.5;
		orgs[i].lookups.hi = orgs[i].lookups.share * 1.5;
		for (int d = 0; d < NDAYS; d++)
			daily[i][d] = (uint64_t)(NORG - i);
		orgs[i].daily = daily[i];
	}
	z.profile.alpha = 0.05;
	z.profile.first_day = 16925; /* 2016-05-04 */
	z.profile.n_days = NDAYS;
	z.profile.orgs = orgs;
	z.profile.n_orgs = NORG;
	z.profile.n_lookups = 55;
	tl_insert_t in;
	char err[256];
	assert_int_equal(tl_report_insert(&z, "chart.daily_lookups", &ctx480, &in, err, sizeof(err)),
			 TL_OK);
	assert_true(chart_text_is(in.chart, "Org06"));
	assert_false(chart_text_is(in.chart, "Org07"));
	assert_true(chart_text_is(in.chart, "Other"));
	assert_non_null(strstr(in.caption, "\"Other\""));
	tl_insert_free(&in);
	assert_int_equal(tl_report_insert(&z, "chart.org_shares", &ctx480, &in, err, sizeof(err)),
			 TL_OK);
	assert_true(chart_text_is(in.chart, "Org09"));
	tl_insert_free(&in);
	assert_int_equal(tl_report_insert(&z, "table.organisations", &ctx480, &in, err,
					  sizeof(err)),
			 TL_OK);
	assert_int_equal(in.table.nrows, NORG);
	tl_insert_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_name_builds),
		cmocka_unit_test(test_unknown_name),
		cmocka_unit_test(test_sources_table),
		cmocka_unit_test(test_organisations_table),
		cmocka_unit_test(test_manifest_table),
		cmocka_unit_test(test_quality_table),
		cmocka_unit_test(test_events_table),
		cmocka_unit_test(test_names_table),
		cmocka_unit_test(test_baseline_table),
		cmocka_unit_test(test_daily_chart),
		cmocka_unit_test(test_interarrival_and_heatmap),
		cmocka_unit_test(test_heatmap_selection),
		cmocka_unit_test(test_forest_and_timeline),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_measure_used),
		cmocka_unit_test(test_tables_fit),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_many_orgs),
	};
	return cmocka_run_group_tests(tests, sample_setup, teardown);
}
