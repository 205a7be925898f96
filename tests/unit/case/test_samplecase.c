/* test_samplecase.c - the committed sample case (samples/) loads with the case-file reader:
 * its case file, the SHA-256 of its captures, its events and its organisations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/attrib.h"
#include "case/case.h"
#include "case/events.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/time.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define SAMPLES TL_TEST_DATA_DIR "/../samples/"

#define BANK "АО «Банк Полярный»"
#define HOSPITAL "Lakeshore Health Partners"

static const char *const labels[3] = {"sensor1", "sensor2", "sensor3"};
static const char *const files[3] = {"sensor1-ns1.pcap", "sensor2-ns2.pcapng.gz",
				     "sensor3-ns3.pcap.gz"};

static tl_case_t *load_sample(void)
{
	char err[2048];
	tl_case_t *c = NULL;
	int rc = tl_case_load(SAMPLES "case.ini", &c, err, sizeof(err));
	if (rc != TL_OK)
		print_error("%s\n", err);
	assert_int_equal(rc, TL_OK);
	assert_non_null(c);
	return c;
}

/* The hex digest SHA256SUMS lists for name, into hex; fails the test when not listed. */
static void sums_entry(const char *name, char hex[TL_SHA256_HEX_LEN])
{
	FILE *f = fopen(SAMPLES "SHA256SUMS", "rb");
	assert_non_null(f);
	char line[512];
	int found = 0;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		/* "<64 hex>  <name>" as sha256sum writes it */
		if (strlen(line) > 66 && line[64] == ' ' && line[65] == ' ' &&
		    strcmp(line + 66, name) == 0) {
			memcpy(hex, line, 64);
			hex[64] = '\0';
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		print_error("%s is not in SHA256SUMS\n", name);
	assert_true(found);
}

/* SHA-256 of a file, computed here, as hex. */
static void hash_file(const char *path, char hex[TL_SHA256_HEX_LEN])
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	tl_sha256_t *h = tl_sha256_new();
	static unsigned char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		tl_sha256_update(h, buf, n);
	assert_int_equal(ferror(f), 0);
	fclose(f);
	uint8_t d[TL_SHA256_LEN];
	tl_sha256_final(h, d);
	tl_sha256_free(h);
	tl_sha256_hex(d, hex);
}

static void test_case_values(void **state)
{
	(void)state;
	tl_case_t *c = load_sample();
	assert_string_equal(c->number, "SAMPLE-2016-001");
	assert_non_null(c->title);
	assert_non_null(c->exhibit);
	assert_non_null(c->requester);
	assert_non_null(c->examiner_role);
	assert_non_null(c->organisation);
	assert_int_equal(c->n_examiners, 1);
	assert_string_equal(c->examiners[0], "Sample Examiner (fictional)");
	assert_true(c->has_report_date);
	assert_string_equal(c->report_date, "2016-10-31");
	assert_true(c->report_date_us == INT64_C(1477872000) * TL_US_PER_SEC);
	assert_string_equal(c->timezone, "UTC");

	/* the three captures only: the text logs are copies of sensors 1 and 3 */
	assert_int_equal(c->n_inputs, 3);
	for (size_t i = 0; i < 3; i++) {
		const tl_case_input_t *in = &c->inputs[i];
		assert_string_equal(in->label, labels[i]);
		assert_string_equal(in->path, files[i]);
		assert_string_equal(in->sensor, labels[i]);
		assert_true(in->offset_us == 0);
		char want[512];
		snprintf(want, sizeof(want), "%s%s", SAMPLES, files[i]);
		assert_string_equal(in->resolved, want);
	}

	/* target: the name and its successor, by name only: the address is shared
	 * with the operator's other brands (see the comment in case.ini) */
	assert_int_equal(c->n_names, 2);
	assert_string_equal(c->names[0], "hw1.contact-partner.example.");
	assert_string_equal(c->names[1], "mail1.hallworth-email.example.");
	assert_int_equal(c->n_suffixes, 0);
	assert_int_equal(c->n_ips, 0);

	/* sources: the organisation zones, the Cyrillic name exactly as in the CSV */
	assert_non_null(c->orgs_path);
	assert_string_equal(c->orgs_path, "organisations.csv");
	assert_null(c->mmdb_path);
	assert_int_equal(c->n_org_zones, 2);
	assert_non_null(tl_case_org_zone(c, BANK));
	assert_string_equal(tl_case_org_zone(c, BANK), "Europe/Moscow");
	assert_non_null(tl_case_org_zone(c, HOSPITAL));
	assert_string_equal(tl_case_org_zone(c, HOSPITAL), "America/New_York");

	/* events and analysis settings */
	assert_string_equal(c->events_path, "events.csv");
	assert_true(c->window_before_us == 12 * 3600 * TL_US_PER_SEC);
	assert_true(c->window_after_us == 36 * 3600 * TL_US_PER_SEC);
	assert_true(c->dedup_tolerance_us == 2 * TL_US_PER_SEC);
	assert_true(c->ttl_auto);
	assert_true(c->periodic_tolerance_us == 300 * TL_US_PER_SEC);
	assert_true(c->permutations == 10000);
	assert_true(c->seed == 20160504);
	assert_true(c->alpha == 0.05);
	assert_int_equal(c->correction, TL_CORRECTION_HOLM);
	assert_true(c->baseline_min_lookups == 100);
	assert_true(c->gap_threshold_us == 7200 * TL_US_PER_SEC);
	assert_true(c->top_k == 2);
	assert_string_equal(c->template_name, "default");
	assert_string_equal(c->language, "en");
	assert_false(c->draft);
	tl_case_free(c);
}

/* The case records the SHA-256 that SHA256SUMS lists, and the files have it. */
static void test_case_hashes(void **state)
{
	(void)state;
	tl_case_t *c = load_sample();
	assert_int_equal(c->n_inputs, 3);
	for (size_t i = 0; i < c->n_inputs; i++) {
		const tl_case_input_t *in = &c->inputs[i];
		char listed[TL_SHA256_HEX_LEN], actual[TL_SHA256_HEX_LEN];
		sums_entry(files[i], listed);
		hash_file(in->resolved, actual);
		assert_true(in->has_sha256);
		assert_string_equal(in->sha256_hex, listed);
		assert_string_equal(actual, listed);
	}
	tl_case_free(c);
}

static void test_events(void **state)
{
	(void)state;
	tl_case_t *c = load_sample();
	char err[1024];
	tl_events_t *e = NULL;
	int rc = tl_events_load(c->events_resolved, c->window_before_us, c->window_after_us, &e,
				err, sizeof(err));
	if (rc != TL_OK)
		print_error("%s\n", err);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(e->n, 12);
	size_t points = 0;
	const int64_t H = 3600 * TL_US_PER_SEC;
	for (size_t i = 0; i < e->n; i++) {
		const tl_event_t *ev = &e->events[i];
		points += (size_t)ev->point;
		/* point events: 12 h before, 36 h after; periods: exactly the period */
		assert_true(ev->before == (ev->point ? 12 * H : 0));
		assert_true(ev->after == (ev->point ? 36 * H : 0));
		assert_true(ev->win_start == ev->start - ev->before);
		assert_true(ev->win_end == ev->end + ev->after);
		if (i > 0)
			assert_true(ev->start >= e->events[i - 1].start);
	}
	assert_int_equal(points, 9);
	/* the first and the last, and one period */
	assert_string_equal(e->events[0].label, "Party A nominee passes the delegate threshold");
	assert_true(e->events[0].start == INT64_C(1464278400) * TL_US_PER_SEC);
	assert_true(e->events[0].win_start == INT64_C(1464278400) * TL_US_PER_SEC - 12 * H);
	assert_true(e->events[0].win_end == INT64_C(1464278400) * TL_US_PER_SEC + 36 * H);
	assert_string_equal(e->events[11].label, "Second presidential debate");
	assert_true(e->events[11].start == INT64_C(1476043200) * TL_US_PER_SEC);
	int found = 0;
	for (size_t i = 0; i < e->n; i++) {
		const tl_event_t *ev = &e->events[i];
		if (strcmp(ev->label, "Party A convention") != 0)
			continue;
		found = 1;
		assert_false(ev->point);
		assert_string_equal(ev->category, "politics");
		assert_true(ev->win_start == INT64_C(1468800000) * TL_US_PER_SEC);
		assert_true(ev->win_end == INT64_C(1469145600) * TL_US_PER_SEC);
	}
	assert_true(found);
	tl_events_free(e);
	tl_case_free(c);
}

static void test_organisations(void **state)
{
	(void)state;
	tl_case_t *c = load_sample();
	char err[1024];
	tl_orgs_t *o = NULL;
	int rc = tl_orgs_load(c->orgs_resolved, &o, err, sizeof(err));
	if (rc != TL_OK)
		print_error("%s\n", err);
	assert_int_equal(rc, TL_OK);
	assert_int_equal(o->n_prefixes, 22);
	assert_int_equal(o->n_names, 11);
	/* every timezone.<organisation> of the case names an organisation of the file */
	for (size_t i = 0; i < c->n_org_zones; i++) {
		int known = 0;
		for (size_t k = 0; k < o->n_names; k++)
			known |= strcmp(o->names[k], c->org_zones[i].organisation) == 0;
		if (!known)
			print_error("timezone.%s: no such organisation\n", c->org_zones[i].organisation);
		assert_true(known);
	}
	tl_orgs_free(o);

	/* through the case: a bank resolver is attributed, with the bank's zone */
	tl_attrib_t *a = NULL;
	rc = tl_attrib_open(c, &a, err, sizeof(err));
	if (rc != TL_OK)
		print_error("%s\n", err);
	assert_int_equal(rc, TL_OK);
	tl_addr_t ip;
	assert_int_equal(tl_addr_parse("198.51.100.21", 13, &ip), TL_OK);
	tl_attribution_t at;
	assert_int_equal(tl_attrib_lookup(a, &ip, &at), TL_ATTRIB_CIDR);
	assert_string_equal(at.organisation, BANK);
	assert_string_equal(at.network, "198.51.100.16/29");
	assert_string_equal(at.timezone, "Europe/Moscow");
	assert_int_equal(tl_addr_parse("198.51.100.43", 13, &ip), TL_OK);
	assert_int_equal(tl_attrib_lookup(a, &ip, &at), TL_ATTRIB_CIDR);
	assert_string_equal(at.organisation, HOSPITAL);
	assert_string_equal(at.timezone, "America/New_York");
	tl_attrib_free(a);
	tl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_values),
		cmocka_unit_test(test_case_hashes),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_organisations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
