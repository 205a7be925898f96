/* test_report_vars.c - the template's placeholder values from the sample case's findings:
 * every documented name is provided, the default template fills without error, and the
 * values are the model's figures formatted (compared with the model, not typed in). Set
 * TL_REPORT_VARS_PRINT=1 to print every value for review. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/case.h"
#include "analysis/engine.h"
#include "case/events.h"
#include "model/validation.h"
#include "render/fmt.h"
#include "render/report/report.h"
#include "util/error.h"
#include "util/sha256.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define SAMPLES TL_TEST_DATA_DIR "/../samples/"
#define DEFAULT_TMPL TL_TEST_DATA_DIR "/../templates/default.tmpl"

typedef struct sample {
	tl_case_t *c;
	tl_events_t *e;
	tl_findings_t f;
} sample_t;

static int setup(void **state)
{
	sample_t *s = calloc(1, sizeof(*s));
	char err[2048];
	if (!s || tl_case_load(SAMPLES "case.ini", &s->c, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (tl_events_load(s->c->events_resolved, s->c->window_before_us, s->c->window_after_us,
			   &s->e, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (tl_analysis_run(s->c, s->e, NULL, 2, "0.0-test", &s->f, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	sample_t *s = *state;
	tl_findings_free(&s->f);
	tl_events_free(s->e);
	tl_case_free(s->c);
	free(s);
	return 0;
}

/* Renders text (a one-paragraph template) with v; returns TL_* and, on TL_OK, the
 * paragraph's text (malloc'd) in *out, or the error message in err. */
static int render_text(const char *text, const tl_tvars_t *v, char **out,
		       tl_template_error_t *err)
{
	tl_template_t *t = NULL;
	int rc = tl_template_parse(text, strlen(text), "t", &t, err);
	assert_int_equal(rc, TL_OK);
	tl_tdoc_t doc;
	rc = tl_template_render(t, v, &doc, err);
	*out = NULL;
	if (rc == TL_OK) {
		assert_int_equal(doc.n, 1);
		*out = strdup(doc.v[0].text);
	}
	tl_tdoc_free(&doc);
	tl_template_free(t);
	return rc;
}

/* The text value of key (the test fails when it is not a text value). */
static char *val(const tl_tvars_t *v, const char *key)
{
	char text[256];
	char *out;
	tl_template_error_t err;
	snprintf(text, sizeof(text), "{{%s}}\n", key);
	int rc = render_text(text, v, &out, &err);
	if (rc != TL_OK)
		print_error("%s: %s\n", key, err.msg);
	assert_int_equal(rc, TL_OK);
	return out;
}

/* The text of field of the record i of list. */
static char *item_val(const tl_tvars_t *v, const char *list, size_t i, const char *field)
{
	char text[512];
	char *out;
	tl_template_error_t err;
	/* all records in one paragraph, separated by " | ", and the i-th picked */
	snprintf(text, sizeof(text), "@each %s as it\n{{it.%s}} \\| \n@end\n", list, field);
	int rc = render_text(text, v, &out, &err);
	if (rc != TL_OK)
		print_error("%s[].%s: %s\n", list, field, err.msg);
	assert_int_equal(rc, TL_OK);
	char *p = out;
	for (size_t k = 0; k < i; k++) {
		p = strstr(p, " | ");
		assert_non_null(p);
		p += 3;
	}
	char *end = strstr(p, " |");
	assert_non_null(end);
	char *r = strndup(p, (size_t)(end - p));
	free(out);
	return r;
}

static void fmt(tl_buf_t *b)
{
	tl_buf_clear(b);
}

static void mark_insert(void *ud, const char *name, int kind, int line)
{
	(void)line;
	if (kind == TL_TKEY_INSERT)
		tl_tvars_set_bool(ud, name, 1);
}

struct keys_ud {
	const tl_tvars_t *v;
	size_t n;
};

/* Each key the default template uses is provided with the kind it is used as. */
static void check_key(void *ud, const char *name, int kind, int line)
{
	struct keys_ud *k = ud;
	char text[512];
	char *out = NULL;
	tl_template_error_t err;
	(void)line;
	k->n++;
	const char *br = strstr(name, "[].");
	if (kind == TL_TKEY_INSERT)
		return; /* tables and charts: report_inserts.c */
	if (strcmp(name, "report.attachments") == 0)
		return; /* set by the assembler (report.c), which knows the PDF/A level */
	if (kind == TL_TKEY_LIST) {
		snprintf(text, sizeof(text), "@each %s as it\nx\n@end\ny\n", name);
		int rc = render_text(text, k->v, &out, &err);
		if (rc != TL_OK)
			print_error("list %s: %s\n", name, err.msg);
		assert_int_equal(rc, TL_OK);
		free(out);
		return;
	}
	if (br) {
		/* a field of a list's records: every record of the sample's list has it */
		snprintf(text, sizeof(text), "@each %.*s as it\n{{it.%s}}\n@end\ny\n",
			 (int)(br - name), name, br + 3);
	} else {
		snprintf(text, sizeof(text), "{{%s}}\n", name);
	}
	int rc = render_text(text, k->v, &out, &err);
	if (kind == TL_TKEY_COND && rc != TL_OK) {
		/* a condition may be text or yes/no (refused as text); absent is "unknown" */
		if (strstr(err.msg, "unknown"))
			print_error("%s: %s\n", name, err.msg);
		assert_null(strstr(err.msg, "unknown"));
	} else if (rc != TL_OK) {
		print_error("%s: %s\n", name, err.msg);
		fail();
	}
	free(out);
}

static void print_value(void *ud, const char *name, int kind, int line)
{
	(void)line;
	if (kind != TL_TKEY_TEXT || strstr(name, "[]."))
		return;
	char *s = val(ud, name);
	printf("%-36s %s\n", name, s);
	free(s);
}

static void print_lists(const tl_tvars_t *v)
{
	static const char *const lists[][10] = {
		{"examiners", "name", "role", NULL},
		{"events.tests", "label", "window", "observed", "expected", "rate_ratio_ci",
		 "p_adjusted", NULL},
		{"inputs", "label", "path", "size", "format", "link_type", "sha256", "first",
		 "last", NULL},
		{"inputs", "records", "problems", NULL},
		{"names", "name", "last_success", "failure_after", "first_query", "successors",
		 NULL},
	};
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		for (size_t k = 1; lists[l][k]; k++) {
			char text[256], *out;
			tl_template_error_t err;
			snprintf(text, sizeof(text), "@each %s as it\n- {{it.%s}}\n@end\n", lists[l][0],
				 lists[l][k]);
			tl_template_t *t = NULL;
			assert_int_equal(tl_template_parse(text, strlen(text), "t", &t, &err), TL_OK);
			tl_tdoc_t doc;
			assert_int_equal(tl_template_render(t, v, &doc, &err), TL_OK);
			for (size_t i = 0; i < doc.n; i++)
				printf("%s[%zu].%-20s %s\n", lists[l][0], i, lists[l][k], doc.v[i].text);
			tl_tdoc_free(&doc);
			tl_template_free(t);
			(void)out;
		}
	}
}

/* Every documented name the default template uses is provided, and the template fills. */
static void test_default_template_fills(void **state)
{
	sample_t *s = *state;
	tl_tvars_t *v = tl_tvars_new();
	char err[512];
	assert_int_equal(tl_report_vars(&s->f, v, err, sizeof(err)), TL_OK);
	/* the manifest's own values (the assembler passes the manifest; none here) */
	assert_int_equal(tl_report_manifest_vars(NULL, 0, v), TL_OK);

	tl_template_t *t = NULL;
	tl_template_error_t terr;
	int rc = tl_template_load(DEFAULT_TMPL, &t, &terr);
	if (rc != TL_OK)
		print_error("%s\n", terr.msg);
	assert_int_equal(rc, TL_OK);
	/* the tables and charts are the assembler's (report_inserts.c): stand-ins here */
	tl_template_keys(t, mark_insert, v);
	tl_tdoc_t doc;
	rc = tl_template_render(t, v, &doc, &terr);
	if (rc != TL_OK)
		print_error("%s\n", terr.msg);
	assert_int_equal(rc, TL_OK);
	assert_true(doc.n > 50);
	/* nothing left unfilled or empty in the places the sample shows */
	for (size_t i = 0; i < doc.n; i++) {
		assert_null(strstr(doc.v[i].text, "{{"));
		if (doc.v[i].kind == TL_TB_FIELD && doc.v[i].text[0] == '\0')
			print_error("empty field %s (line %d)\n", doc.v[i].label, doc.v[i].line);
		if (doc.v[i].kind == TL_TB_FIELD)
			assert_true(doc.v[i].text[0] != '\0');
	}
	if (getenv("TL_REPORT_VARS_PRINT")) {
		for (size_t i = 0; i < doc.n; i++)
			printf("[%d] %s%s%s\n", doc.v[i].kind, doc.v[i].label,
			       doc.v[i].label[0] ? " | " : "", doc.v[i].text);
	}
	tl_tdoc_free(&doc);

	struct keys_ud k = {v, 0};
	tl_template_keys(t, check_key, &k);
	assert_true(k.n > 100);
	if (getenv("TL_REPORT_VARS_PRINT")) {
		tl_template_keys(t, print_value, v);
		print_lists(v);
	}
	tl_template_free(t);
	tl_tvars_free(v);
}

/* The values are the model's figures, formatted by layout.h. */
static void test_values_from_model(void **state)
{
	sample_t *s = *state;
	const tl_findings_t *f = &s->f;
	tl_tvars_t *v = tl_tvars_new();
	char err[512];
	assert_int_equal(tl_report_vars(f, v, err, sizeof(err)), TL_OK);
	tl_buf_t b;
	tl_buf_init(&b);
	char *x;

	x = val(v, "case.number");
	assert_string_equal(x, s->c->number);
	free(x);
	x = val(v, "report.date");
	assert_string_equal(x, "31 October 2016"); /* report_date = 2016-10-31 */
	free(x);
	x = val(v, "report.local_zone"); /* the sample's zone is UTC */
	assert_string_equal(x, "");
	free(x);

	tl_fmt_uint(&b, f->profile.n_lookups, NULL);
	x = val(v, "lookups.unique");
	assert_string_equal(x, b.data);
	assert_string_equal(x, "3,319");
	free(x);
	fmt(&b);
	tl_fmt_time(&b, f->profile.first.ts, TL_DATETIME_ISO, NULL);
	x = val(v, "lookups.first");
	assert_string_equal(x, b.data);
	free(x);
	fmt(&b);
	x = val(v, "target.names");
	assert_string_equal(x, "hw1.contact-partner.example and mail1.hallworth-email.example");
	free(x);

	/* the leading organisation: its count, share and interval exactly as the model has them */
	const tl_prof_org_t *top = &f->profile.orgs[0];
	x = val(v, "profile.top_org.name");
	assert_string_equal(x, top->name);
	free(x);
	tl_fmt_count_pct_ci(&b, top->lookups.count, top->lookups.share, top->lookups.lo,
			    top->lookups.hi, 1.0 - f->profile.alpha, 1, NULL);
	x = val(v, "profile.top_org.lookups_share_ci");
	assert_string_equal(x, b.data);
	assert_non_null(strstr(x, "95% CI"));
	free(x);
	fmt(&b);
	x = val(v, "profile.top_org.networks"); /* the bank's two resolvers' networks */
	assert_string_equal(x, "198.51.100.24/29, 198.51.100.16/29");
	free(x);
	/* 6 organisations in the profile, one of them the catch-all for an unattributed address */
	assert_int_equal(f->profile.n_orgs, 6);
	x = val(v, "organisations.count");
	assert_string_equal(x, "5");
	free(x);
	x = val(v, "organisations.unattributed");
	assert_string_equal(x, "1 of the addresses, with 6 lookups, could not be attributed to an "
			       "organisation");
	free(x);

	/* resolver: inside-TTL share with its interval and denominator */
	const tl_res_classes_t *cl = &f->resolver.classes;
	tl_fmt_count_pct_ci(&b, cl->inside.count, cl->inside.share, cl->inside.lo, cl->inside.hi,
			    1.0 - f->resolver.alpha, 1, NULL);
	tl_buf_puts(&b, " of ");
	tl_fmt_uint(&b, cl->n, NULL);
	x = val(v, "resolver.inside_ttl.share_ci");
	assert_string_equal(x, b.data);
	free(x);
	fmt(&b);
	x = val(v, "resolver.ttl");
	assert_true(strncmp(x, "1 h (taken from ", 16) == 0);
	free(x);

	/* events: one record per event, in the model's order, with the primary (Holm) p */
	assert_true(f->has_correlate);
	const tl_correlate_model_t *m = &f->correlate;
	assert_int_equal(m->settings.correction, TL_CORRELATE_HOLM);
	size_t j = 0, untested = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		if (t->status != TL_CORRELATE_TESTABLE) {
			untested++;
			continue;
		}
		x = item_val(v, "events.tests", j, "label");
		assert_string_equal(x, m->events[i].label);
		free(x);
		x = item_val(v, "events.tests", j, "rate_ratio_ci");
		tl_fmt_ratio_ci(&b, t->rr, t->rr_lo, t->rr_hi, m->ci_level, 2, NULL);
		assert_string_equal(x, b.data);
		fmt(&b);
		free(x);
		x = item_val(v, "events.tests", j, "p_adjusted");
		tl_fmt_p(&b, t->p_holm, 4, NULL);
		assert_string_equal(x, b.data);
		fmt(&b);
		free(x);
		j++;
	}
	/* one record per event tested; the sample's last event lies after the data */
	assert_int_equal(j, m->n_testable);
	/* the first debate's window spans the successor's first answer; the second lies after
	 * the data */
	assert_int_equal(untested, 2);
	x = val(v, "events.untested");
	assert_string_equal(x, "First presidential debate (2016-09-26 09:00 UTC to 2016-09-28 "
			       "09:00 UTC): the window spans a change of regime (the target name "
			       "stopped resolving, a successor appeared, or the rate of lookups "
			       "changed), so no time before or after it is like it; Second "
			       "presidential debate (2016-10-09 08:00 UTC to 2016-10-11 08:00 UTC): "
			       "the window holds no time with data");
	free(x);
	char text[128], *out;
	tl_template_error_t terr;
	snprintf(text, sizeof(text), "@each events.tests as t\n{{t.label}}\n@end\n");
	assert_int_equal(render_text(text, v, &out, &terr), TL_OK);
	assert_null(strstr(out, "Second presidential debate"));
	free(out);
	tl_fmt_p(&b, m->perm.p, 4, NULL);
	x = val(v, "events.permutation_p");
	assert_string_equal(x, b.data);
	free(x);
	fmt(&b);

	/* the summary says what the timing shows in words and counts: the significant events
	 * by name, the one that rests on one source, the untested ones; no p-value */
	size_t n_sig = 0;
	for (size_t i = 0; i < m->n_events; i++)
		n_sig += m->tests[i].status == TL_CORRELATE_TESTABLE && m->tests[i].significant;
	assert_int_equal(n_sig, 2);
	x = val(v, "summary.timing");
	assert_non_null(strstr(x, "Of the 12 dated events, 10 could be tested. Lookups rose around 2 "
				  "of them (\u201cParty A convention\u201d and \u201cParty A campaign "
				  "chairman resigns\u201d) beyond what chance or a single source "
				  "readily explains, at the 5% level after allowing for testing 10 "
				  "events; around the other 8 they did not. Around 1 of those other "
				  "events lookups rose, but the rise rests mostly on one source"));
	assert_non_null(strstr(x, "a fall is not tested. 2 events could not be tested"));
	assert_null(strstr(x, "p-value"));
	assert_null(strstr(x, "0.0"));
	free(x);
	x = val(v, "summary.names");
	assert_string_equal(x, "hw1.contact-partner.example was answered whenever it was looked up; "
			       "the last answer is from 2016-09-29 16:40 UTC. "
			       "mail1.hallworth-email.example was last answered at 2016-09-23 10:45 "
			       "UTC; from 2016-09-23 11:34 UTC lookups of it failed (NXDOMAIN); "
			       "afterwards hw1.contact-partner.example answered with the same "
			       "address 203.0.113.29, first at 2016-09-27 09:47 UTC.");
	free(x);

	/* the assumption checks say what the model holds: the sample's rename and successor
	 * cut it into three regimes; the placebo count; the first debate's window is the one
	 * that spans a change */
	x = val(v, "events.check_regimes");
	assert_non_null(strstr(x, "The period falls into 3 regimes"));
	assert_non_null(strstr(x, "mail1.hallworth-email.example stopped resolving at 2016-09-23"));
	assert_non_null(strstr(x, "hw1.contact-partner.example first answered"));
	free(x);
	x = val(v, "events.check_dispersion");
	snprintf(text, sizeof(text), "In %u placebo windows", (unsigned)m->dispersion.placebos);
	assert_true(strncmp(x, text, strlen(text)) == 0);
	free(x);
	x = val(v, "events.check_sources");
	assert_non_null(strstr(x, "1 window showed a rise that rests mostly on one source"));
	free(x);
	/* the measured error rates are the recorded ones, summed over the null scenarios */
	uint64_t nc = 0, nh = 0;
	for (size_t i = 0; i < TL_VALIDATION_ROWS; i++)
		if (tl_validation_rows[i].null) {
			nc += tl_validation_rows[i].cases;
			nh += tl_validation_rows[i].fwer_hits;
		}
	x = val(v, "method.validation");
	snprintf(text, sizeof(text), "significant in %llu (", (unsigned long long)nh);
	assert_non_null(strstr(x, text));
	tl_fmt_uint(&b, nc, NULL);
	snprintf(text, sizeof(text), " of %s cases", b.data);
	assert_non_null(strstr(x, text));
	fmt(&b);
	free(x);

	/* inputs: hash and size of each, as read */
	for (size_t i = 0; i < f->ctx.n_inputs; i++) {
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(f->ctx.inputs[i].info.sha256, hex);
		x = item_val(v, "inputs", i, "sha256");
		assert_string_equal(x, hex);
		assert_string_equal(x, s->c->inputs[i].sha256_hex);
		free(x);
		x = item_val(v, "inputs", i, "size");
		tl_fmt_uint(&b, f->ctx.inputs[i].info.size, NULL);
		assert_true(strncmp(x, b.data, b.len) == 0);
		fmt(&b);
		free(x);
	}
	x = item_val(v, "inputs", 0, "problems"); /* sensor1: two malformed messages */
	assert_non_null(strstr(x, "2 anomalies: 1 dns_bad_pointer (frame 11,829)"));
	free(x);
	x = val(v, "evidence.receipt");
	assert_string_equal(x, "The case file gives the SHA-256 hash taken when each input was "
			       "received; all 3 matched the files read.");
	free(x);
	for (size_t i = 0; i < 3; i++) {
		x = item_val(v, "inputs", i, "receipt_hash");
		assert_string_equal(x, "given in the case file; the file read matches it");
		free(x);
	}

	/* names: the target names only; the old name failed and has a successor */
	x = item_val(v, "names", 1, "name");
	assert_string_equal(x, "mail1.hallworth-email.example");
	free(x);
	x = item_val(v, "names", 1, "failure_after");
	assert_non_null(strstr(x, "NXDOMAIN"));
	free(x);
	x = item_val(v, "names", 1, "successors");
	assert_true(strncmp(x, "hw1.contact-partner.example (resolving to 203.0.113.29", 54) == 0);
	free(x);

	x = val(v, "method.seed"); /* an identifier: no thousands separator */
	assert_string_equal(x, "20160504");
	free(x);
	x = val(v, "repro.case_sha256");
	assert_string_equal(x, s->c->file_sha256_hex);
	free(x);

	tl_buf_free(&b);
	tl_tvars_free(v);
}

/* Times in the case's display zone, the zone named and UTC beside it. */
static void test_display_zone(void **state)
{
	sample_t *s = *state;
	char err[512];
	assert_int_equal(tl_case_override(s->c, "case.timezone", "Europe/Moscow", err, sizeof(err)),
			 TL_OK);
	tl_tvars_t *v = tl_tvars_new();
	int rc = tl_report_vars(&s->f, v, err, sizeof(err));
	assert_int_equal(tl_case_override(s->c, "case.timezone", "UTC", err, sizeof(err)), TL_OK);
	assert_int_equal(rc, TL_OK);
	char *x = val(v, "lookups.first"); /* 2016-05-04 06:10:29 UTC; Moscow was UTC+3 */
	assert_string_equal(x, "2016-05-04 09:10 Europe/Moscow (2016-05-04 06:10 UTC)");
	free(x);
	x = val(v, "report.local_zone");
	assert_string_equal(x, "Europe/Moscow");
	free(x);
	x = val(v, "report.date"); /* a calendar date: not moved by the zone */
	assert_string_equal(x, "31 October 2016");
	free(x);
	tl_tvars_free(v);
}

/* The receipt statement names the inputs without a hash taken at receipt, and says
 * plainly when the case gives none at all. */
static void test_receipt(void **state)
{
	sample_t *s = *state;
	char err[512];
	tl_case_t *c = s->c;
	assert_int_equal(c->n_inputs, 3);
	int keep[3];
	for (size_t i = 0; i < 3; i++)
		keep[i] = c->inputs[i].has_sha256;
	c->inputs[1].has_sha256 = 0; /* sensor2 */
	tl_tvars_t *v = tl_tvars_new();
	assert_int_equal(tl_report_vars(&s->f, v, err, sizeof(err)), TL_OK);
	char *x = val(v, "evidence.receipt");
	assert_string_equal(x, "The case file gives the SHA-256 hash taken at receipt for 2 of the "
			       "3 inputs (sensor1 and sensor3), and each matched the file read. "
			       "For sensor2 it gives none: for those, the hash below shows whether "
			       "a copy is identical to the file examined, not whether the file "
			       "examined is the file that was received.");
	free(x);
	x = item_val(v, "inputs", 1, "receipt_hash");
	assert_string_equal(x, "none given in the case file");
	free(x);
	x = item_val(v, "inputs", 2, "receipt_hash");
	assert_string_equal(x, "given in the case file; the file read matches it");
	free(x);
	tl_tvars_free(v);

	for (size_t i = 0; i < 3; i++)
		c->inputs[i].has_sha256 = 0;
	v = tl_tvars_new();
	assert_int_equal(tl_report_vars(&s->f, v, err, sizeof(err)), TL_OK);
	x = val(v, "evidence.receipt");
	assert_true(strncmp(x, "The case file gives no hash taken when the evidence was received.",
			    65) == 0);
	free(x);
	tl_tvars_free(v);
	for (size_t i = 0; i < 3; i++)
		c->inputs[i].has_sha256 = keep[i];
}

/* What the report says of the manifest is read from the manifest: every file in order,
 * sizes in words, the tzdata version and zones; a document that is not a manifest is
 * refused. */
static void test_manifest_vars(void **state)
{
	(void)state;
	static const char m[] =
		"{\"schema\":\"tealeaves-manifest/2\",\"case_file\":{\"name\":\"c.ini\","
		"\"size\":1,\"sha256\":\"aa\"},\"organisations\":null,\"mmdb\":{\"name\":"
		"\"a.mmdb\",\"size\":1234567,\"sha256\":\"bb\"},\"events\":null,\"template\":"
		"{\"name\":\"t\",\"size\":2,\"sha256\":\"cc\"},\"fonts\":[{\"name\":\"f\","
		"\"size\":3,\"sha256\":\"dd\"}],\"colour_profile\":{\"name\":\"i\",\"size\":4,"
		"\"sha256\":\"ee\"},\"timezone_data\":{\"version\":\"2026f\",\"zones\":"
		"[{\"name\":\"Asia/Tokyo\",\"size\":5,\"sha256\":\"ff\"},{\"name\":"
		"\"Europe/Paris\",\"size\":6,\"sha256\":\"99\"}]}}";
	tl_tvars_t *v = tl_tvars_new();
	assert_int_equal(tl_report_manifest_vars(m, sizeof(m) - 1, v), TL_OK);
	static const char *const want[][4] = {
		{"Case file", "c.ini", "1 byte", "aa"},
		{"Address database", "a.mmdb", "1,234,567 bytes", "bb"},
		{"Template", "t", "2 bytes", "cc"},
		{"Font", "f", "3 bytes", "dd"},
		{"Colour profile", "i", "4 bytes", "ee"},
		{"Time-zone file", "Asia/Tokyo", "5 bytes", "ff"},
		{"Time-zone file", "Europe/Paris", "6 bytes", "99"},
	};
	static const char *const fields[] = {"role", "name", "size", "sha256"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (size_t k = 0; k < 4; k++) {
			char *x = item_val(v, "manifest.files", i, fields[k]);
			assert_string_equal(x, want[i][k]);
			free(x);
		}
	char *x = val(v, "manifest.tzdata");
	assert_string_equal(x, "tzdata 2026f, for the time zones Asia/Tokyo and Europe/Paris (the "
			       "zone files and their SHA-256 are listed with the other files the "
			       "report depends on)");
	free(x);
	tl_tvars_free(v);

	v = tl_tvars_new();
	static const char utc[] = "{\"timezone_data\":null}";
	assert_int_equal(tl_report_manifest_vars(utc, sizeof(utc) - 1, v), TL_OK);
	x = val(v, "manifest.tzdata");
	assert_true(strncmp(x, "none used", 9) == 0);
	free(x);
	tl_tvars_free(v);

	v = tl_tvars_new();
	assert_int_equal(tl_report_manifest_vars("[1]", 3, v), TL_EFORMAT);
	static const char bad[] = "{\"case_file\":{\"name\":\"c\",\"size\":-1,\"sha256\":\"a\"}}";
	assert_int_equal(tl_report_manifest_vars(bad, sizeof(bad) - 1, v), TL_EFORMAT);
	tl_tvars_free(v);
}

static void test_errors(void **state)
{
	sample_t *s = *state;
	char err[512];
	tl_tvars_t *v = tl_tvars_new();
	assert_int_equal(tl_report_vars(NULL, v, err, sizeof(err)), TL_EINVAL);
	assert_true(err[0] != '\0');
	assert_int_equal(tl_case_override(s->c, "report.language", "de", err, sizeof(err)), TL_OK);
	int rc = tl_report_vars(&s->f, v, err, sizeof(err));
	assert_int_equal(tl_case_override(s->c, "report.language", "en", err + 256, 256), TL_OK);
	assert_int_equal(rc, TL_EINVAL);
	assert_non_null(strstr(err, "language de"));
	tl_tvars_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_template_fills),
		cmocka_unit_test(test_values_from_model),
		cmocka_unit_test(test_display_zone),
		cmocka_unit_test(test_receipt),
		cmocka_unit_test(test_manifest_vars),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
