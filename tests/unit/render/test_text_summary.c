/* test_text_summary.c - the `tealeaves profile` renderers on a findings model built by hand:
 * thousands separators, fixed decimals, intervals, code-point alignment, elision of a
 * Cyrillic name at a narrow width, escaping, and the JSON summary's keys and order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "render/text/summary.h"
#include "util/buf.h"
#include "util/time.h"

#define BANK "\xd0\x90\xd0\x9e \xc2\xab\xd0\x91\xd0\xb0\xd0\xbd\xd0\xba " \
	     "\xd0\x9f\xd0\xbe\xd0\xbb\xd1\x8f\xd1\x80\xd0\xbd\xd1\x8b\xd0\xb9\xc2\xbb"
/* BANK = "АО «Банк Полярный»": 18 code points, 34 bytes. */

typedef struct fixture {
	tl_case_t kase;
	tl_findings_t f;
	tl_prof_org_t orgs[3];
	tl_prof_source_t sources[1];
	tl_correlate_event_t events[2];
	tl_correlate_test_t tests[2];
	tl_names_name_t names[2];
	tl_names_binding_t succ[1];
} fixture_t;

static char number[] = "C-7";
static char title[] = "\xd0\x94\xd0\xb5\xd0\xbb\xd0\xbe \xd0\xbe \xd0\xb1\xd0\xb0\xd0\xbd\xd0\xba\xd0\xb5 "
		      "\xd0\x9f\xd0\xbe\xd0\xbb\xd1\x8f\xd1\x80\xd0\xbd\xd1\x8b\xd0\xb9"; /* "Дело о банке Полярный" */
static char ev_a[] = "Intrusion disclosed";
static char ev_b[] = "Second debate";
static char name_old[] = "mail1.old.example.";
static char name_new[] = "hw1.new.example.";

static void build(fixture_t *x)
{
	memset(x, 0, sizeof(*x));
	x->kase.number = number;
	x->kase.title = title;
	tl_findings_t *f = &x->f;
	f->kase = &x->kase;
	f->dedup.sightings = 1234567;
	f->dedup.unique = 1233567;
	f->dedup.removed = 1000;
	f->dedup.removed_by_id = 999;
	f->dedup.removed_as_retry = 1;

	tl_profile_model_t *p = &f->profile;
	p->alpha = 0.05;
	p->first.ts = p->last.ts = TL_TIME_NONE;
	p->org_conc.n = 3;
	p->org_conc.k = 2;
	p->org_conc.top_k_share = 0.98349;
	p->org_conc.hhi = 0.64912;
	x->orgs[0] = (tl_prof_org_t){.name = BANK, .n_sources = 2,
				     .lookups = {2589, 0.7796, 0.7652, 0.7934, 1.0}};
	x->orgs[1] = (tl_prof_org_t){.name = "Lakeshore Health Partners", .n_sources = 1,
				     .lookups = {675, 0.20325, 0.18999, 0.21724, 1.0}};
	x->orgs[2] = (tl_prof_org_t){.name = "ab\x01" "cdefghijklmnop", .n_sources = 1,
				     .lookups = {57, 0.01716, 0.01326, 0.02218, 1.0}};
	p->orgs = x->orgs;
	p->n_orgs = 3;

	tl_resolver_model_t *r = &f->resolver;
	r->alpha = 0.05;
	r->ttl_s = 3600;
	r->ttl_method = "answers";
	r->tolerance_s = 300;
	r->classes.intervals = 3330;
	r->classes.spans_gap = 10;
	r->classes.ttl_unknown = 8;
	r->classes.n = 3312;
	r->classes.negative = 84;
	r->neg_ttl_min_s = r->neg_ttl_max_s = 900;
	r->classes.inside = (tl_res_count_t){54, 0.016304, 0.012513, 0.021225};
	r->classes.periodic = (tl_res_count_t){917, 0.276872, 0.261884, 0.292357};
	r->classes.later = (tl_res_count_t){2341, 0.706824, 0.691098, 0.722079};

	tl_correlate_model_t *c = &f->correlate;
	f->has_correlate = 1;
	c->settings = (tl_correlate_settings_t){.alpha = 0.05, .permutations = 1000, .seed = 20161031, .correction = TL_CORRELATE_HOLM};
	c->ci_level = 0.95;
	c->n_events = 2;
	c->n_testable = 1;
	c->events = x->events;
	c->tests = x->tests;
	x->events[0].label = ev_a;
	x->events[1].label = ev_b;
	x->tests[0] = (tl_correlate_test_t){.status = TL_CORRELATE_TESTABLE, .observed = 12345,
					    .expected = 4049.115, .rr = 3.0487, .rr_lo = 2.9,
					    .rr_hi = INFINITY, .p = 1e-9, .p_holm = 2e-9,
					    .p_bh = 0.5, .significant = 1};
	x->tests[1] = (tl_correlate_test_t){.status = TL_CORRELATE_NO_COVERAGE};
	c->perm = (tl_correlate_perm_t){.done = 1, .n = 1000, .seed = 20161031, .p = 0.003996};

	tl_names_model_t *nm = &f->names;
	x->succ[0].name = name_new;
	x->succ[0].addr = (tl_addr_t){4, {203, 0, 113, 29}};
	x->succ[0].first = (tl_names_ref_t){INT64_C(1474969633024713), 1, 53797, "sensor2"};
	x->names[0] = (tl_names_name_t){.name = name_new, .target = 0, .has_first_query = 1,
					.querier = {4, {198, 51, 100, 21}}, .querier_org = BANK,
					.first_query = {INT64_C(1474969633024000), 1, 53796,
							"sensor2"}};
	x->names[1] = (tl_names_name_t){
		.name = name_old, .target = 1, .has_success = 1,
		.last_success = {INT64_C(1474627527113554), 2, 55825, "sensor3"},
		.has_failure_after = 1,
		.failure_after = {INT64_C(1474630485527910), 2, 55833, "sensor3"},
		.failure_rcode = 3, .failure_exact = 1, .successors = x->succ, .n_successors = 1};
	nm->names = x->names;
	nm->n_names = 2;
	f->quality.gap_threshold_us = INT64_C(7200) * 1000000;
	f->quality.gap_time_us = INT64_C(93651) * 1000000 + 999999;
	f->quality.gaps_total = 1;
}

/* Does text hold exactly this line (without its '\n')? */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, line, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static void expect_line(const char *text, const char *line)
{
	if (!has_line(text, line)) {
		fprintf(stderr, "missing line:\n[%s]\nin:\n%s\n", line, text);
		fail();
	}
}

static char *render(const fixture_t *x, int width, tl_buf_t *b)
{
	tl_buf_init(b);
	tl_text_summary(b, &x->f, width);
	return b->data;
}

/* Integers take ',' every three digits; the key column is 24 wide after 2 spaces. */
static void test_numbers(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t b;
	build(&x);
	const char *t = render(&x, 80, &b);
	expect_line(t, "  Number                  C-7");
	expect_line(t, "  Sightings               1,234,567");
	expect_line(t, "  Unique lookups          1,233,567");
	expect_line(t, "  Duplicates removed      1,000 (same query 999, retries 1)");
	/* 3312 intervals; 917 / 3312 = 27.69%: 27.7%, CI 26.19..29.24 -> 26.2-29.2 */
	expect_line(t, "  Negative TTL            900 s (SOA of NXDOMAIN/NODATA answers)");
	expect_line(t, "  Intervals               3,330 (same source, name and type)");
	expect_line(t, "  Spans a gap             10 (no sensor covered part of it; not classified)");
	expect_line(t, "  TTL unknown             8 (answer or negative TTL unknown; not classified)");
	expect_line(t, "  Classified              3,312 (84 after a negative answer, 0 after an "
		       "inferred one)");
	expect_line(t, "  Periodic                917 (27.7%, 95% CI 26.2\xe2\x80\x93" "29.2%)");
	expect_line(t, "  TTL                     3,600 s (answers)");
	expect_line(t, "  Top-k share             98.3% (k = 2)");
	expect_line(t, "  HHI                     0.649");
	/* 7200 s; 93651.999999 s = 1 d (86400) + 7251 s = 2 h 0 m 51 s, sub-seconds cut */
	expect_line(t, "  Gap threshold           2h 00m 00s");
	expect_line(t, "  no sensor (overall)                     0.0%     1  1d 02h 00m 51s      0");
	tl_buf_free(&b);
}

/* Column widths by code points: "#" 1; Organisation max(12, 18, 25, 20) = 25;
 * Sources 7; Lookups 7; Share 5; "95% CI" cells "76.5–79.3%" 10 code points. */
static void test_alignment_cyrillic(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t b;
	build(&x);
	const char *t = render(&x, 80, &b);
	expect_line(t, "  #  Organisation               Sources  Lookups  Share      95% CI");
	/* 25 - 18 = 7 spaces of padding after the Cyrillic name (its 34 bytes would give none),
	 * 2 between columns, 6 before the right-aligned "2" of Sources (7 wide): 15 */
	expect_line(t, "  1  " BANK "               2    2,589  78.0%  76.5\xe2\x80\x93" "79.3%");
	expect_line(t, "  2  Lakeshore Health Partners        1      675  20.3%  19.0\xe2\x80\x93"
		       "21.7%");
	/* the control byte is shown as \x01 (4 code points): 2 + 4 + 14 = 20; 5 + 2 + 6 = 13
	 * spaces before the "1" */
	expect_line(t, "  3  ab\\x01cdefghijklmnop             1       57   1.7%    1.3\xe2\x80\x93"
		       "2.2%");
	tl_buf_free(&b);
}

/* At 40 columns the table is 2 + 25 + 2 + 7 + 2 + 7 + 2 + 5 + 2 + 10 + 2 + 1 = 67 wide: the
 * Organisation column gives up 27 but stops at its header's width, 12: 11 code points and
 * "…". The Cyrillic name is cut after "АО «Банк По" (11 code points, 19 bytes), never
 * inside a character; the escape \x01 is kept whole. */
static void test_elision_narrow(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t b;
	build(&x);
	const char *t = render(&x, 40, &b);
	expect_line(t, "  #  Organisation  Sources  Lookups  Share      95% CI");
	expect_line(t, "  1  \xd0\x90\xd0\x9e \xc2\xab\xd0\x91\xd0\xb0\xd0\xbd\xd0\xba "
		       "\xd0\x9f\xd0\xbe\xe2\x80\xa6        2    2,589  78.0%  76.5\xe2\x80\x93"
		       "79.3%");
	expect_line(t, "  2  Lakeshore H\xe2\x80\xa6        1      675  20.3%  19.0\xe2\x80\x93"
		       "21.7%");
	/* a(1) b(1) \x01(4) c d e f g (5) = 11, then "…" */
	expect_line(t, "  3  ab\\x01cdefg\xe2\x80\xa6        1       57   1.7%    1.3\xe2\x80\x93"
		       "2.2%");
	/* title: value column at 26, 40 - 26 = 14: the 13 code points "Дело о банке " and "…" */
	expect_line(t, "  Title                   \xd0\x94\xd0\xb5\xd0\xbb\xd0\xbe \xd0\xbe "
		       "\xd0\xb1\xd0\xb0\xd0\xbd\xd0\xba\xd0\xb5 \xe2\x80\xa6");
	/* widths below the minimum are taken as TL_SUMMARY_MIN_WIDTH */
	tl_buf_t b2;
	render(&x, 3, &b2);
	assert_string_equal(b.data, b2.data);
	tl_buf_free(&b2);
	tl_buf_free(&b);
}

/* Events: Obs 12,345; Exp 4,049.25 (exact in binary, so no rounding question); RR 3.0487
 * -> 3.05; CI 2.90–∞ (infinite upper bound); Holm p 2e-9 -> "< 0.0001"; significant.
 * Widths: Event 19, Obs. 6, Exp. 8, RR 4, "95% CI" 6 ("2.90–∞" is 6 code points),
 * p (Holm) 8, Sig. 10 ("not tested"). */
static void test_events(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t b;
	build(&x);
	x.tests[0].expected = 4049.25;
	const char *t = render(&x, 80, &b);
	expect_line(t, "  Event                  Obs.      Exp.    RR  95% CI  p (Holm)  Sig.");
	assert_false(has_line(t, "  Event                  Obs.      Exp.    RR  95% CI  p (BH)  Sig."));
	expect_line(t, "  Intrusion disclosed  12,345  4,049.25  3.05  2.90\xe2\x80\x93\xe2\x88\x9e"
		       "  < 0.0001  yes");
	expect_line(t, "  Second debate             0       n/a   n/a     n/a       n/a  not tested");
	expect_line(t, "  Not tested (no covered time in the window): Second debate");
	expect_line(t, "  Permutation test        p = 0.0040 (1,000 permutations, seed 20161031)");
	expect_line(t, "  Significance            alpha 0.05, primary correction Holm");
	/* with BH primary, the BH value is shown: 0.5 -> 0.5000; the column is now headed
	 * "p (BH)" and 6 wide */
	tl_buf_free(&b);
	x.f.correlate.settings.correction = TL_CORRELATE_BH;
	x.tests[0].significant = 0;
	t = render(&x, 80, &b);
	expect_line(t, "  Intrusion disclosed  12,345  4,049.25  3.05  2.90\xe2\x80\x93\xe2\x88\x9e"
		       "  0.5000  no");
	expect_line(t, "  Event                  Obs.      Exp.    RR  95% CI  p (BH)  Sig.");
	tl_buf_free(&b);
	/* no events file: no EVENTS section */
	x.f.has_correlate = 0;
	t = render(&x, 80, &b);
	assert_false(has_line(t, "EVENTS"));
	tl_buf_free(&b);
}

/* Names: the target's last success, the first NXDOMAIN after it, the successor and the first
 * querier of the successor (found in the names model by name). */
static void test_names(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t b;
	build(&x);
	const char *t = render(&x, 80, &b);
	expect_line(t, "  Target name             mail1.old.example.");
	/* 1474627527.113554 = 2016-09-23T10:45:27Z */
	expect_line(t, "    Last success          2016-09-23T10:45:27Z (sensor3, position 55,825)");
	expect_line(t, "    First NXDOMAIN after  2016-09-23T11:34:45Z (sensor3, position 55,833)");
	expect_line(t, "      Successor           hw1.new.example.");
	expect_line(t, "        Address           203.0.113.29");
	expect_line(t, "        First answer      2016-09-27T09:47:13Z (sensor2, position 53,797)");
	expect_line(t, "        First querier     198.51.100.21  " BANK);
	/* the successor is not a target: not listed as a target name itself */
	assert_false(has_line(t, "  Target name             hw1.new.example."));
	tl_buf_free(&b);
}

/* Same model, same bytes; different widths differ only where something had to give. */
static void test_deterministic(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t a, b;
	build(&x);
	render(&x, 100, &a);
	render(&x, 100, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	tl_buf_free(&a);
	tl_buf_free(&b);
}

/* An empty model renders without a crash and says so. */
static void test_empty(void **state)
{
	(void)state;
	tl_findings_t f;
	tl_buf_t b;
	memset(&f, 0, sizeof(f));
	f.profile.first.ts = f.profile.last.ts = TL_TIME_NONE;
	tl_buf_init(&b);
	tl_text_summary(&b, &f, 80);
	expect_line(b.data, "  Number                  \xe2\x80\x94");
	expect_line(b.data, "  Sightings               0");
	expect_line(b.data, "  First lookup            none");
	expect_line(b.data, "  Span (all data)         none");
	expect_line(b.data, "  Target                  no data");
	tl_buf_free(&b);
	tl_json_t j;
	tl_buf_init(&b);
	tl_json_init(&j, &b, 0);
	tl_json_summary(&j, &f);
	assert_non_null(strstr(b.data, "\"case\":{\"number\":null,\"title\":null}"));
	assert_non_null(strstr(b.data, "\"events\":null"));
	tl_buf_free(&b);
}

static const char *after(const char *s, const char *needle)
{
	const char *p = strstr(s, needle);
	assert_non_null(p);
	return p;
}

/* The JSON summary: compact, fixed key order, 6-decimal shares, null for not-tested. */
static void test_json(void **state)
{
	(void)state;
	fixture_t x;
	tl_buf_t b;
	tl_json_t j;
	build(&x);
	tl_buf_init(&b);
	tl_json_init(&j, &b, 0);
	tl_json_summary(&j, &x.f);
	const char *s = b.data;
	assert_true(strncmp(s, "{\"schema\":\"tealeaves-summary/1\",\"case\":{\"number\":\"C-7\",",
			    52) == 0);
	assert_non_null(strstr(s, "\"lookups\":{\"sightings\":1234567,\"unique\":1233567,"
				  "\"duplicates_removed\":1000,\"duplicates_same_query\":999,"
				  "\"duplicates_retries\":1,\"first\":null,\"last\":null}"));
	assert_non_null(strstr(s, "{\"name\":\"Lakeshore Health Partners\",\"lookups\":675,"
				  "\"share\":0.203250,\"ci\":[0.189990,0.217240]}"));
	assert_non_null(strstr(s, "\"rr\":3.048700,\"ci\":[2.900000,null],"
				  "\"p_adjusted\":0.000000,\"significant\":true}"));
	assert_non_null(strstr(s, "{\"label\":\"Second debate\",\"status\":\"no_coverage\","
				  "\"observed\":0,\"expected\":null,\"rr\":null,\"ci\":[null,null],"
				  "\"p_adjusted\":null,\"significant\":null}"));
	assert_non_null(strstr(s, "\"permutation\":{\"done\":true,\"p\":0.003996,\"n\":1000,"
				  "\"exact\":false,\"seed\":20161031}"));
	assert_non_null(strstr(s, "\"failure_after\":{\"time\":\"2016-09-23T11:34:45.527910Z\","
				  "\"rcode\":\"NXDOMAIN\",\"input\":\"sensor3\",\"position\":55833,"
				  "\"exact\":true}"));
	assert_non_null(strstr(s, "\"first_query\":{\"source\":\"198.51.100.21\",\"organisation\":\""
				  BANK "\","));
	/* top-level order */
	const char *keys[] = {"\"schema\":", "\"span\":", "\"inputs\":", "\"target\":",
			      "\"lookups\":", "\"sources\":", "\"organisations\":", "\"resolver\":",
			      "\"baseline\":", "\"events\":", "\"names\":", "\"quality\":"};
	const char *prev = s;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *p = after(prev, keys[k]);
		assert_true(p >= prev);
		prev = p;
	}
	assert_int_equal(s[b.len - 1], '}');
	tl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_alignment_cyrillic),
		cmocka_unit_test(test_elision_narrow),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
