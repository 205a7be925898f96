/* test_case.c - the case file: values, defaults, order independence, overrides, every error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/json/case.h"
#include "case/case.h"
#include "case/parse.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/sha256.h"
#include "util/time.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define DATA TL_TEST_DATA_DIR "/data/analysis/"

static char tmpdir[64];
static char tmpcase[128];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tl-test-case-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tmpcase, sizeof(tmpcase), "%s/c.ini", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmpcase);
	rmdir(tmpdir);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

#define HEAD "[case]\nnumber = 1\ntitle = T\n[evidence]\na = a.pcap\n[target]\nips = 192.0.2.1\n"

/* Loads text as a case file, expecting failure with exactly want (the path prefix added
 * for each line of want). */
static void load_fails(const char *text, const char *want)
{
	write_file(tmpcase, text);
	tl_case_t *c = (tl_case_t *)0x1;
	char err[2048];
	assert_int_equal(tl_case_load(tmpcase, &c, err, sizeof(err)), TL_EFORMAT);
	assert_ptr_equal(c, (tl_case_t *)0x1); /* untouched */
	char full[4096] = "";
	const char *p = want;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t l = strlen(full);
		snprintf(full + l, sizeof(full) - l, "%s%s%.*s", l ? "\n" : "", tmpcase, (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	assert_string_equal(err, full);
}

static tl_case_t *load_ok_text(const char *text)
{
	write_file(tmpcase, text);
	tl_case_t *c = NULL;
	char err[2048];
	int rc = tl_case_load(tmpcase, &c, err, sizeof(err));
	if (rc != TL_OK)
		fail_msg("unexpected error: %s", err);
	return c;
}

static char *json_of(const tl_case_t *c)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &b, 0);
	tl_case_write_json(c, &j);
	return b.data;
}

static void test_full_values(void **state)
{
	(void)state;
	tl_case_t *c = NULL;
	char err[1024];
	assert_int_equal(tl_case_load(DATA "case-a.ini", &c, err, sizeof(err)), TL_OK);
	assert_string_equal(c->number, "2016-0042");
	assert_string_equal(c->exhibit, "EX-7");
	assert_int_equal(c->n_examiners, 2);
	assert_string_equal(c->examiners[0], "Jane Roe");
	assert_string_equal(c->examiners[1], "John Doe");
	assert_string_equal(c->report_date, "2016-10-31");
	assert_int_equal(c->report_date_us, INT64_C(1477872000) * TL_US_PER_SEC);
	assert_string_equal(c->timezone, "America/New_York");
	assert_int_equal(c->version, 2);
	assert_int_equal(c->supplemental, 1);
	/* inputs sorted by label; paths as written and resolved against the case's folder */
	assert_int_equal(c->n_inputs, 2);
	assert_string_equal(c->inputs[0].label, "ns1");
	assert_string_equal(c->inputs[0].path, "ns1-2016.pcap.gz");
	assert_string_equal(c->inputs[0].resolved, DATA "ns1-2016.pcap.gz");
	assert_int_equal(c->inputs[0].has_sha256, 1);
	assert_string_equal(c->inputs[0].sha256_hex,
			    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	assert_int_equal(c->inputs[0].sha256[0], 0x9f);
	assert_int_equal(c->inputs[0].sha256[31], 0x08);
	assert_int_equal(c->inputs[0].offset_us, -3 * TL_US_PER_SEC);
	assert_string_equal(c->inputs[0].sensor, "ns-one");
	assert_int_equal(c->inputs[0].line, 19);
	assert_string_equal(c->inputs[1].label, "ns2");
	assert_string_equal(c->inputs[1].resolved, "/data/ns2-2016.pcapng.gz");
	assert_int_equal(c->inputs[1].has_sha256, 0);
	assert_string_equal(c->inputs[1].sha256_hex, "");
	/* targets normalised and sorted */
	assert_int_equal(c->n_names, 2);
	assert_string_equal(c->names[0], "mail.other.example.");
	assert_string_equal(c->names[1], "mail1.brand-email.example.");
	assert_int_equal(c->n_suffixes, 1);
	assert_string_equal(c->suffixes[0], "brand-email.example.");
	assert_int_equal(c->n_ips, 2);
	assert_int_equal(c->ips[0].family, 4);
	assert_int_equal(c->ips[0].bytes[3], 25);
	assert_int_equal(c->ips[1].family, 6);
	assert_string_equal(c->orgs_resolved, DATA "orgs.csv");
	assert_string_equal(c->mmdb_path, "asn.mmdb");
	assert_int_equal(c->n_org_zones, 2);
	/* bytewise order: 'L' (0x4c) before the Cyrillic (0xd0 ...) */
	assert_string_equal(c->org_zones[0].organisation, "Lakeshore Health");
	assert_string_equal(tl_case_org_zone(c, "АО «Банк Полярный»"), "Europe/Moscow");
	assert_null(tl_case_org_zone(c, "Nobody"));
	assert_string_equal(c->events_resolved, DATA "events.csv");
	assert_int_equal(c->window_before_us, 12 * 3600 * TL_US_PER_SEC);
	assert_int_equal(c->window_after_us, 2 * 86400 * TL_US_PER_SEC);
	assert_int_equal(c->dedup_tolerance_us, 3 * TL_US_PER_SEC);
	assert_int_equal(c->ttl_auto, 0);
	assert_int_equal(c->ttl_us, 3600 * TL_US_PER_SEC);
	assert_int_equal(c->periodic_tolerance_us, 600 * TL_US_PER_SEC);
	assert_int_equal(c->permutations, 5000);
	assert_true(c->seed == UINT64_MAX);
	assert_true(c->alpha == 0.01);
	assert_int_equal(c->correction, TL_CORRECTION_BH);
	assert_int_equal(c->baseline_min_lookups, 50);
	assert_int_equal(c->gap_threshold_us, 5400 * TL_US_PER_SEC);
	assert_int_equal(c->top_k, 3);
	assert_int_equal(c->reference_weeks, 6);
	assert_int_equal(c->min_reference_weeks, 3);
	assert_int_equal(c->threads, 2);
	assert_string_equal(c->template_name, "templates/custom.md");
	assert_string_equal(c->template_resolved, DATA "templates/custom.md");
	assert_string_equal(c->language, "de-CH");
	assert_int_equal(c->draft, 1);

	/* the case file's own hash is of its bytes */
	char *data;
	size_t len;
	assert_int_equal(tl_file_read(DATA "case-a.ini", 1 << 20, &data, &len), TL_OK);
	uint8_t d[TL_SHA256_LEN];
	tl_sha256(data, len, d);
	assert_memory_equal(d, c->file_sha256, TL_SHA256_LEN);
	assert_int_equal(strlen(c->file_sha256_hex), 64);
	free(data);
	tl_case_free(c);
}

static void test_order_independent(void **state)
{
	(void)state;
	tl_case_t *a = NULL, *b = NULL;
	char err[1024];
	assert_int_equal(tl_case_load(DATA "case-a.ini", &a, err, sizeof(err)), TL_OK);
	assert_int_equal(tl_case_load(DATA "case-b.ini", &b, err, sizeof(err)), TL_OK);
	char *ja = json_of(a), *jb = json_of(b);
	assert_string_equal(ja, jb);
	/* the canonical form, written out once by hand */
	assert_string_equal(
		ja,
		"{\"case\":{\"number\":\"2016-0042\",\"title\":\"Lookups of "
		"mail1.brand-email.example\",\"exhibit\":\"EX-7\",\"requester\":\"Desk of the Example "
		"Times\",\"examiners\":[\"Jane Roe\",\"John Doe\"],\"examiner_role\":\"DNS "
		"analyst\",\"organisation\":\"Example Forensics "
		"Ltd\",\"report_date\":\"2016-10-31\",\"timezone\":\"America/New_York\",\"version\":2,"
		"\"supplemental\":true,\"control_prefix\":\"EXT-\"},"
		"\"evidence\":[{\"label\":\"ns1\",\"path\":\"ns1-2016.pcap.gz\",\"sha256\":"
		"\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"sensor\":"
		"\"ns-one\",\"offset_s\":-3,\"recording\":null,\"gaps\":[],\"received\":null,\"received_from\":null,\"received_by\":null,\"received_how\":null},{\"label\":\"ns2\",\"path\":\"/data/ns2-2016.pcapng.gz\","
		"\"sha256\":null,\"sensor\":\"ns-two\",\"offset_s\":0,\"recording\":null,\"gaps\":[],\"received\":null,\"received_from\":null,\"received_by\":null,\"received_how\":null}],"
		"\"target\":{\"names\":[\"mail.other.example.\",\"mail1.brand-email.example.\"],"
		"\"suffixes\":[\"brand-email.example.\"],\"ips\":[\"203.0.113.25\",\"2001:db8::25\"]},"
		"\"sources\":{\"organisations\":\"orgs.csv\",\"mmdb\":\"asn.mmdb\",\"timezones\":{"
		"\"Lakeshore Health\":\"America/Chicago\",\"АО «Банк Полярный»\":\"Europe/Moscow\"}},"
		"\"events\":{\"file\":\"events.csv\",\"window_before_s\":43200,\"window_after_s\":"
		"172800},\"analysis\":{\"dedup_tolerance_s\":3,\"ttl_s\":3600,\"periodic_tolerance_s\":"
		"600,\"permutations\":5000,\"seed\":18446744073709551615,\"alpha\":0.010000,"
		"\"correction\":\"bh\",\"baseline_min_lookups\":50,\"gap_threshold_s\":5400,\"top_k\":3,"
		"\"reference_weeks\":6,\"min_reference_weeks\":3},"
		"\"report\":{\"template\":\"templates/custom.md\",\"language\":\"de-CH\",\"draft\":true}}");
	/* the two files differ, and so do their hashes */
	assert_string_not_equal(a->file_sha256_hex, b->file_sha256_hex);
	free(ja);
	free(jb);
	tl_case_free(a);
	tl_case_free(b);
}

static void test_defaults(void **state)
{
	(void)state;
	tl_case_t *c = NULL;
	char err[1024];
	assert_int_equal(tl_case_load(DATA "case-min.ini", &c, err, sizeof(err)), TL_OK);
	char *j = json_of(c);
	assert_string_equal(
		j, "{\"case\":{\"number\":\"1\",\"title\":\"Minimal\",\"exhibit\":null,\"requester\":"
		   "null,\"examiners\":[],\"examiner_role\":null,\"organisation\":null,\"report_date\":"
		   "null,\"timezone\":\"UTC\",\"version\":1,\"supplemental\":false,\"control_prefix\":"
		   "null},\"evidence\":[{\"label\":\"only\",\"path\":\"only.pcap\",\"sha256\":null,"
		   "\"sensor\":\"only\",\"offset_s\":0,\"recording\":null,\"gaps\":[],\"received\":null,\"received_from\":null,\"received_by\":null,\"received_how\":null}],\"target\":{\"names\":[],\"suffixes\":[],"
		   "\"ips\":[\"192.0.2.1\"]},\"sources\":{\"organisations\":null,\"mmdb\":null,"
		   "\"timezones\":{}},\"events\":{\"file\":null,\"window_before_s\":86400,"
		   "\"window_after_s\":259200},\"analysis\":{\"dedup_tolerance_s\":2,\"ttl_s\":\"auto\","
		   "\"periodic_tolerance_s\":300,\"permutations\":10000,\"seed\":20161031,\"alpha\":"
		   "0.050000,\"correction\":\"holm\",\"baseline_min_lookups\":100,\"gap_threshold_s\":"
		   "7200,\"top_k\":2,\"reference_weeks\":4,\"min_reference_weeks\":2},\"report\":{\"template\":\"default\",\"language\":\"en\","
		   "\"draft\":false}}");
	assert_int_equal(c->threads, 0);
	assert_int_equal(c->has_report_date, 0);
	assert_null(c->orgs_resolved);
	assert_null(c->template_resolved);
	free(j);
	tl_case_free(c);
}

static void test_overrides(void **state)
{
	(void)state;
	tl_case_t *c = NULL;
	char err[1024];
	assert_int_equal(tl_case_load(DATA "case-min.ini", &c, err, sizeof(err)), TL_OK);
	assert_int_equal(tl_case_override(c, "analysis.seed", "7", err, sizeof(err)), TL_OK);
	assert_int_equal(c->seed, 7);
	assert_int_equal(tl_case_override(c, "analysis.ttl", "5m", err, sizeof(err)), TL_OK);
	assert_int_equal(c->ttl_auto, 0);
	assert_int_equal(c->ttl_us, 300 * TL_US_PER_SEC);
	assert_int_equal(tl_case_override(c, "analysis.ttl", "auto", err, sizeof(err)), TL_OK);
	assert_int_equal(c->ttl_auto, 1);
	/* a list is replaced, normalised and sorted */
	assert_int_equal(tl_case_override(c, "target.names", "B.example, a.example", err,
					  sizeof(err)),
			 TL_OK);
	assert_int_equal(c->n_names, 2);
	assert_string_equal(c->names[0], "a.example.");
	/* a new input, and a zone for an organisation; override paths stay as written */
	assert_int_equal(tl_case_override(c, "evidence.0first", "x/y.pcap", err, sizeof(err)),
			 TL_OK);
	assert_int_equal(c->n_inputs, 2);
	assert_string_equal(c->inputs[0].label, "0first");
	assert_string_equal(c->inputs[0].resolved, "x/y.pcap");
	assert_string_equal(c->inputs[0].sensor, "0first");
	assert_int_equal(tl_case_override(c, "sources.timezone.Bank", "Europe/Moscow", err,
					  sizeof(err)),
			 TL_OK);
	assert_string_equal(tl_case_org_zone(c, "Bank"), "Europe/Moscow");

	/* refused overrides leave the value as it was */
	assert_int_equal(tl_case_override(c, "analysis.seed", "-1", err, sizeof(err)), TL_EINVAL);
	assert_string_equal(err, "override analysis.seed: bad value '-1' for 'seed' in [analysis]: "
				 "expected an integer from 0 to 18446744073709551615");
	assert_int_equal(c->seed, 7);
	assert_int_equal(tl_case_override(c, "analysis.nope", "1", err, sizeof(err)), TL_EINVAL);
	assert_string_equal(err, "override analysis.nope: unknown key 'nope' in [analysis]");
	assert_int_equal(tl_case_override(c, "nope.seed", "1", err, sizeof(err)), TL_EINVAL);
	assert_string_equal(err,
			    "override nope.seed: expected section.key with a section of the case file");
	assert_int_equal(tl_case_override(c, "evidence.zz.sha256", "00", err, sizeof(err)),
			 TL_EINVAL);
	assert_string_equal(err, "override evidence.zz.sha256: no input 'zz' (set evidence.zz to "
				 "its path first)");
	assert_int_equal(c->n_inputs, 2);
	assert_int_equal(tl_case_override(c, "case.timezone", "Mars/Olympus", err, sizeof(err)),
			 TL_EINVAL);
	assert_string_equal(c->timezone, "UTC");
	assert_int_equal(tl_case_override(c, "analysis.alpha", "", err, sizeof(err)), TL_EINVAL);
	assert_string_equal(err, "override analysis.alpha: empty value for 'alpha' in [analysis]");

	char *j = json_of(c);
	assert_non_null(strstr(j, "\"seed\":7,"));
	assert_non_null(strstr(j, "\"names\":[\"a.example.\",\"b.example.\"]"));
	free(j);
	tl_case_free(c);
}

static void test_errors_structure(void **state)
{
	(void)state;
	load_fails(HEAD "[analysis]\nfoo = 1\n", ":9: unknown key 'foo' in [analysis]");
	load_fails(HEAD "[bogus]\nx = 1\n", ":8: unknown section [bogus]");
	load_fails("x = 1\n" HEAD, ":1: key 'x' outside any section");
	load_fails(HEAD "[analysis]\nseed = 1\nseed = 2\n",
		   ":10: duplicate key 'seed' in [analysis] (first on line 9)");
	load_fails(HEAD "[analysis\n", ":8: section header without ']'");
	load_fails(HEAD "just words\n", ":8: syntax error (expected 'key = value' or '[section]')");
	load_fails(HEAD "[report]\nlanguage = \n", ":9: empty value for 'language' in [report]");
	load_fails(HEAD "[case]\nexhibit = caf\xc3\n", ":9: invalid UTF-8");
	load_fails(HEAD "[case]\nexhibit = a\x01z\n", ":9: control character");
	char lng[400];
	snprintf(lng, sizeof(lng), HEAD "[case]\nexhibit = %0190d\n", 0);
	load_fails(lng, ":9: line longer than 198 bytes");
	/* only lists continue on an indented line */
	load_fails(HEAD "[analysis]\nseed = 1\n  2\n",
		   ":10: continuation line for 'seed' in [analysis]: only lists may continue");
	/* several problems: all of them, in line order, then the missing keys */
	load_fails("[case]\nnumber = 1\nfoo = 2\n[analysis]\nseed = x\n",
		   ":3: unknown key 'foo' in [case]\n"
		   ":5: bad value 'x' for 'seed' in [analysis]: expected an integer from 0 to "
		   "18446744073709551615\n"
		   ":1: missing required key 'title' in [case]\n"
		   ": no input in [evidence]: at least one is required\n"
		   ": no target: give 'names', 'suffixes' or 'ips' in [target]");
	load_fails("[case]\ntitle = t\n[evidence]\na.sha256 = "
		   "0000000000000000000000000000000000000000000000000000000000000000\n"
		   "[target]\nnames = a.example\n",
		   ":1: missing required key 'number' in [case]\n"
		   ":3: input 'a' has settings but no path ('a = path' missing in [evidence])");
}

static void test_errors_values(void **state)
{
	(void)state;
	load_fails(HEAD "[evidence]\nb.sha256 = abc\nb = b.pcap\n",
		   ":9: bad SHA-256 'abc' for 'b.sha256' in [evidence]: expected 64 hex digits");
	load_fails(HEAD "[evidence]\nb.sha256 = "
		   "g000000000000000000000000000000000000000000000000000000000000000\nb = b\n",
		   ":9: bad SHA-256 'g000000000000000000000000000000000000000000000000000000000000000'"
		   " for 'b.sha256' in [evidence]: expected 64 hex digits");
	load_fails(HEAD "[events]\nwindow_before = 2w\n",
		   ":9: bad duration '2w' for 'window_before' in [events]: expected an integer with "
		   "unit s, m, h or d");
	load_fails(HEAD "[events]\nwindow_before = -1h\n",
		   ":9: bad duration '-1h' for 'window_before' in [events]: expected an integer with "
		   "unit s, m, h or d");
	load_fails(HEAD "[evidence]\na.offset = 1.5s\n",
		   ":9: bad duration '1.5s' for 'a.offset' in [evidence]: expected a signed integer "
		   "with unit s, m, h or d");
	load_fails(HEAD "[analysis]\ngap_threshold = 0s\n",
		   ":9: bad duration '0s' for 'gap_threshold' in [analysis]: expected more than zero");
	load_fails(HEAD "[analysis]\nttl = 0\n",
		   ":9: bad value '0' for 'ttl' in [analysis]: expected auto or a duration of more "
		   "than zero");
	load_fails(HEAD "[case]\ntimezone = Mars/Olympus\n",
		   ":9: unknown time zone 'Mars/Olympus' for 'timezone' in [case] (not found under "
		   "/usr/share/zoneinfo)");
	load_fails(HEAD "[case]\ntimezone = ../../etc/passwd\n",
		   ":9: bad time zone '../../etc/passwd' for 'timezone' in [case]: expected an IANA "
		   "zone name such as Europe/Moscow");
	load_fails(HEAD "[sources]\ntimezone.X = /etc/localtime\n",
		   ":9: bad time zone '/etc/localtime' for 'timezone.X' in [sources]: expected an "
		   "IANA zone name such as Europe/Moscow");
	load_fails(HEAD "[evidence]\nbad label = x\n",
		   ":9: bad input label 'bad label' in [evidence]: use up to 64 letters, digits, '-', "
		   "'_' and '.'");
	load_fails(HEAD "[evidence]\nb = x\nb.sensor = no/slash\n",
		   ":10: bad sensor name 'no/slash' for 'b.sensor' in [evidence]: expected letters, "
		   "digits, '-', '_' and '.'");
	load_fails(HEAD "[target]\nnames = ok.example, bad..example\n",
		   ":9: bad DNS name 'bad..example' for 'names' in [target]: expected labels of a-z, "
		   "0-9, '-' and '_' (A-labels for IDNs)");
	load_fails(HEAD "[target]\nsuffixes = почта.example\n",
		   ":9: bad DNS name 'почта.example' for 'suffixes' in [target]: expected labels of "
		   "a-z, 0-9, '-' and '_' (A-labels for IDNs)");
	load_fails(HEAD "[target]\nnames = a.example,,b.example\n",
		   ":9: bad value 'a.example,,b.example' for 'names' in [target]: expected a "
		   "comma-separated list without empty items");
	load_fails(HEAD "[target]\nnames = a.example\nips = 192.0.2.300\n",
		   ":10: duplicate key 'ips' in [target] (first on line 7)");
	load_fails("[case]\nnumber = 1\ntitle = T\n[evidence]\na = a\n[target]\nips = 192.0.2.300\n",
		   ":7: bad IP address '192.0.2.300' for 'ips' in [target]: expected IPv4 or IPv6 "
		   "addresses\n"
		   ":6: no target: give 'names', 'suffixes' or 'ips' in [target]");
	load_fails(HEAD "[case]\nreport_date = 2016-02-30\n",
		   ":9: bad date '2016-02-30' for 'report_date' in [case]: expected YYYY-MM-DD");
	load_fails(HEAD "[case]\nversion = 0\n",
		   ":9: bad value '0' for 'version' in [case]: expected an integer from 1 to 1000000");
	load_fails(HEAD "[case]\nsupplemental = true\n",
		   ":9: bad value 'true' for 'supplemental' in [case]: expected yes or no");
	load_fails(HEAD "[analysis]\nalpha = 1.0\n",
		   ":9: bad value '1.0' for 'alpha' in [analysis]: expected a number between 0 and 1 "
		   "such as 0.05");
	load_fails(HEAD "[analysis]\ncorrection = bonferroni\n",
		   ":9: bad value 'bonferroni' for 'correction' in [analysis]: expected holm or bh");
	load_fails(HEAD "[analysis]\npermutations = 007\n",
		   ":9: bad value '007' for 'permutations' in [analysis]: expected an integer from 1 "
		   "to 100000000");
	load_fails(HEAD "[report]\nlanguage = English\n",
		   ":9: bad value 'English' for 'language' in [report]: expected a language tag such "
		   "as en or de-CH");
}

/* <label>.recording and <label>.gaps: intervals sorted and joined, continued over
 * lines, written in the canonical form; each bad item named with its line. */
static void test_recording_and_gaps(void **state)
{
	(void)state;
	tl_case_t *c = load_ok_text(HEAD "[evidence]\n"
					  "a.recording = 2016-06-01/2016-07-01T00:00Z,\n"
					  "  2016-05-04T00:00Z/2016-05-31T23:54Z, 2016-05-20/2016-06-02\n"
					  "a.gaps = 2016-06-08T06:00+02:00/2016-06-09T18:00Z\n");
	const tl_case_input_t *in = &c->inputs[0];
	assert_int_equal(in->has_recording, 1);
	assert_int_equal(in->n_recording, 1); /* the three overlap: one interval */
	int64_t t;
	assert_int_equal(tl_time_parse("2016-05-04T00:00Z", 17, &t), TL_OK);
	assert_int_equal(in->recording[0].start, t);
	assert_int_equal(tl_time_parse("2016-07-01T00:00Z", 17, &t), TL_OK);
	assert_int_equal(in->recording[0].end, t);
	assert_int_equal(in->n_gaps, 1);
	assert_int_equal(tl_time_parse("2016-06-08T04:00Z", 17, &t), TL_OK);
	assert_int_equal(in->gaps[0].start, t);
	char *j = json_of(c);
	assert_non_null(strstr(j, "\"offset_s\":0,\"recording\":[{\"start\":"
				  "\"2016-05-04T00:00:00.000000Z\",\"end\":\"2016-07-01T00:00:00.000000Z\"}],"
				  "\"gaps\":[{\"start\":\"2016-06-08T04:00:00.000000Z\",\"end\":"
				  "\"2016-06-09T18:00:00.000000Z\"}],"
				  "\"received\":null,\"received_from\":null,\"received_by\":null,\"received_how\":null}"));
	free(j);
	/* an override replaces the list */
	char err[512];
	assert_int_equal(tl_case_override(c, "evidence.a.gaps", "2016-07-01/2016-07-02", err,
					  sizeof(err)),
			 TL_OK);
	assert_int_equal(c->inputs[0].n_gaps, 1);
	assert_int_equal(tl_time_parse("2016-07-01T00:00Z", 17, &t), TL_OK);
	assert_int_equal(c->inputs[0].gaps[0].start, t);
	tl_case_free(c);

	load_fails(HEAD "[evidence]\na.recording = 2016-05-04T00:00/2016-06-01\n",
		   ":9: bad time interval '2016-05-04T00:00/2016-06-01' for 'a.recording' in "
		   "[evidence]: expected start/end, each a date (YYYY-MM-DD) or a date and time "
		   "with a zone (2016-05-04T00:00Z)");
	load_fails(HEAD "[evidence]\na.gaps = 2016-06-02/2016-06-01, 2016-06-03\n",
		   ":9: bad time interval '2016-06-02/2016-06-01' for 'a.gaps' in [evidence]: "
		   "expected an end after its start\n"
		   ":9: bad time interval '2016-06-03' for 'a.gaps' in [evidence]: expected "
		   "start/end, each a date (YYYY-MM-DD) or a date and time with a zone "
		   "(2016-05-04T00:00Z)");
	load_fails(HEAD "[evidence]\na.gaps = 2016-06-01/2016-06-02,,\n",
		   ":9: bad value '2016-06-01/2016-06-02,,' for 'a.gaps' in [evidence]: expected a "
		   "comma-separated list of start/end without empty items");
}

/* The chain-of-custody keys: kept as written, in the canonical form; a bad time named
 * with its line; a label may not end in one of them. */
static void test_custody(void **state)
{
	(void)state;
	tl_case_t *c = load_ok_text(HEAD "[evidence]\n"
					  "a.received = 2016-10-03T14:20+03:00\n"
					  "a.received_from = J. Smith, network operations\n"
					  "a.received_by = Sample Examiner\n"
					  "a.received_how = USB drive in sealed bag 0042\n");
	const tl_case_input_t *in = &c->inputs[0];
	assert_string_equal(in->received, "2016-10-03T14:20+03:00");
	assert_string_equal(in->received_from, "J. Smith, network operations");
	assert_string_equal(in->received_by, "Sample Examiner");
	assert_string_equal(in->received_how, "USB drive in sealed bag 0042");
	char *j = json_of(c);
	assert_non_null(strstr(j, "\"received\":\"2016-10-03T14:20+03:00\",\"received_from\":"
				  "\"J. Smith, network operations\",\"received_by\":\"Sample "
				  "Examiner\",\"received_how\":\"USB drive in sealed bag 0042\"}"));
	free(j);
	char err[512];
	assert_int_equal(tl_case_override(c, "evidence.a.received", "2016-10-04", err, sizeof(err)),
			 TL_OK);
	assert_string_equal(c->inputs[0].received, "2016-10-04");
	tl_case_free(c);
	load_fails(HEAD "[evidence]\na.received = 2016-10-03T14:20\n",
		   ":9: bad time '2016-10-03T14:20' for 'a.received' in [evidence]: expected a "
		   "date (YYYY-MM-DD) or a date and time with a zone (2016-10-03T14:20Z)");
}

static void test_continuation_and_comments(void **state)
{
	(void)state;
	tl_case_t *c = load_ok_text("\xef\xbb\xbf[case]\r\nnumber = 1 ; inline comment\r\n"
				    "title = T;not a comment\r\n# hash comment\r\n"
				    "[evidence]\na = a.pcap\n[target]\nnames = a.example,\n"
				    "  b.example\n\tc.example\nips = 192.0.2.1\n");
	assert_string_equal(c->number, "1");
	assert_string_equal(c->title, "T;not a comment");
	assert_int_equal(c->n_names, 3);
	assert_string_equal(c->names[2], "c.example.");
	tl_case_free(c);
}

static void test_parsers(void **state)
{
	(void)state;
	int64_t us;
	assert_int_equal(tl_duration_parse("90s", 0, &us), TL_OK);
	assert_int_equal(us, 90 * TL_US_PER_SEC);
	assert_int_equal(tl_duration_parse("300", 0, &us), TL_OK);
	assert_int_equal(us, 300 * TL_US_PER_SEC);
	assert_int_equal(tl_duration_parse("1d", 0, &us), TL_OK);
	assert_int_equal(us, 86400 * TL_US_PER_SEC);
	assert_int_equal(tl_duration_parse("-2h", 1, &us), TL_OK);
	assert_int_equal(us, -7200 * TL_US_PER_SEC);
	assert_int_equal(tl_duration_parse("-2h", 0, &us), TL_EFORMAT);
	assert_int_equal(tl_duration_parse("s", 0, &us), TL_EFORMAT);
	assert_int_equal(tl_duration_parse("", 0, &us), TL_EFORMAT);
	assert_int_equal(tl_duration_parse("1 h", 0, &us), TL_EFORMAT);
	assert_int_equal(tl_duration_parse("36600d", 0, &us), TL_OK);
	assert_int_equal(tl_duration_parse("36601d", 0, &us), TL_EFORMAT); /* over 100 years */
	assert_int_equal(tl_duration_parse("99999999999999999999s", 0, &us), TL_EFORMAT);
	assert_int_equal(tl_when_parse("2016-07-18", 10, &us), TL_OK);
	assert_int_equal(us, INT64_C(1468800000) * TL_US_PER_SEC);
	assert_int_equal(tl_when_parse("2016-07-18T02:00:00+02:00", 25, &us), TL_OK);
	assert_int_equal(us, INT64_C(1468800000) * TL_US_PER_SEC);
	assert_int_equal(tl_when_parse("2016-07-18T02:00:00", 19, &us), TL_EFORMAT); /* no zone */
	assert_int_equal(tl_when_parse("1468800000", 10, &us), TL_EFORMAT);
	char n[TL_DNS_NAME_LEN];
	assert_int_equal(tl_dns_name_normalise("XN--80A.Example", 15, n), TL_OK);
	assert_string_equal(n, "xn--80a.example.");
	assert_int_equal(tl_dns_name_normalise("_dmarc.example.", 15, n), TL_OK);
	assert_string_equal(n, "_dmarc.example.");
	assert_int_equal(tl_dns_name_normalise(".", 1, n), TL_EFORMAT);
	assert_int_equal(tl_dns_name_normalise("*.example", 9, n), TL_EFORMAT);
	assert_int_equal(tl_dns_name_normalise("-a.example", 10, n), TL_EFORMAT);
	assert_int_equal(tl_dns_name_normalise("a-.example", 10, n), TL_EFORMAT);
	char big[300];
	memset(big, 'a', 63);
	big[63] = '\0';
	assert_int_equal(tl_dns_name_normalise(big, 63, n), TL_OK);
	memset(big, 'a', 64);
	assert_int_equal(tl_dns_name_normalise(big, 64, n), TL_EFORMAT);
	/* 253 characters is the longest name; 254 is too long */
	for (int i = 0; i < 254; i++)
		big[i] = (i % 2) ? '.' : 'a';
	assert_int_equal(tl_dns_name_normalise(big, 253, n), TL_OK);
	big[253] = 'a';
	assert_int_equal(tl_dns_name_normalise(big, 254, n), TL_EFORMAT);
}

/* A case file with more inputs than TL_CASE_MAX_INPUTS is refused at the first one
 * too many, and many keys load in linear time (duplicates found by a map). */
static void test_many_keys(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "[case]\nnumber = 1\ntitle = T\n[target]\nips = 192.0.2.1\n[evidence]\n");
	for (int i = 0; i <= TL_CASE_MAX_INPUTS; i++)
		tl_buf_printf(&b, "in%d = f%d.pcap\n", i, i);
	char want[200];
	snprintf(want, sizeof(want), ":%d: more than %d inputs in [evidence]: split the evidence "
				     "into cases, or merge captures first",
		 7 + TL_CASE_MAX_INPUTS, TL_CASE_MAX_INPUTS);
	load_fails(b.data, want);
	/* a duplicate after thousands of keys still names the first line */
	tl_buf_clear(&b);
	tl_buf_puts(&b, "[case]\nnumber = 1\ntitle = T\n[target]\nips = 192.0.2.1\n[evidence]\n");
	for (int i = 0; i < 3000; i++)
		tl_buf_printf(&b, "in%d = f%d.pcap\n", i, i);
	tl_buf_puts(&b, "in17 = again.pcap\n");
	load_fails(b.data, ":3007: duplicate key 'in17' in [evidence] (first on line 24)");
	tl_buf_free(&b);
}

static void test_free_null(void **state)
{
	(void)state;
	tl_case_free(NULL);
	tl_case_t *c = NULL;
	char err[256];
	assert_int_equal(tl_case_load("/nonexistent/case.ini", &c, err, sizeof(err)), TL_ENOENT);
	assert_null(c);
	assert_non_null(strstr(err, "/nonexistent/case.ini: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_values),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_errors_structure),
		cmocka_unit_test(test_errors_values),
		cmocka_unit_test(test_recording_and_gaps),
		cmocka_unit_test(test_custody),
		cmocka_unit_test(test_continuation_and_comments),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
