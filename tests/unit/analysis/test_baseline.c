/* test_baseline.c - the baseline collector: counts, concentration measures computed by
 * hand, merge equals one pass, the target's percentile, ordering by group, caps,
 * unattributed addresses as entities of their own, de-duplicated counting, the names
 * left out of the comparison, the seeded bootstrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "analysis/baseline.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"

#define T0 INT64_C(1462320000000000) /* 2016-05-04T00:00:00Z */
#define SEC INT64_C(1000000)
#define DAY (86400 * SEC)

static tl_addr_t ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	tl_addr_t x;
	memset(&x, 0, sizeof(x));
	x.family = 4;
	x.bytes[0] = a;
	x.bytes[1] = b;
	x.bytes[2] = c;
	x.bytes[3] = d;
	return x;
}

/* Source n is 10.0.0.n. Organisations: .1 and .2 -> 0 ("Bank"), .3 -> 1 ("Health"),
 * anything else unattributed (each address an entity of its own). */
static uint32_t org_of(const tl_addr_t *a, void *ud)
{
	(void)ud;
	if (a->family == 4 && a->bytes[0] == 10 && a->bytes[1] == 0 && a->bytes[2] == 0 &&
	    (a->bytes[3] == 1 || a->bytes[3] == 2))
		return 0;
	if (a->family == 4 && a->bytes[0] == 10 && a->bytes[1] == 0 && a->bytes[2] == 0 &&
	    a->bytes[3] == 3)
		return 1;
	return TL_BASELINE_ORG_NONE;
}

static const char *org_names[] = {"Bank", "Health"};

static uint32_t bad_org_of(const tl_addr_t *a, void *ud)
{
	(void)a;
	(void)ud;
	return 7;
}

static uint64_t pos_counter;

static void query(tl_baseline_t *b, const char *qname, uint8_t src, int64_t ts)
{
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR | TL_KNOWN_OPCODE | TL_KNOWN_ID;
	r.qr = 0;
	r.opcode = 0;
	r.qname = qname;
	r.qtype = 1;
	r.qclass = 1;
	r.src = ip4(10, 0, 0, src);
	r.dst = ip4(198, 51, 100, 53);
	r.ts = ts;
	r.pos = ++pos_counter;
	tl_baseline_add(b, &r, 0, 0);
}

/* A query from any source address, with its input, ID and port (a capture's query). */
static void query_at(tl_baseline_t *b, const char *qname, tl_addr_t src, int64_t ts,
		     uint32_t input, uint16_t id)
{
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR | TL_KNOWN_OPCODE | TL_KNOWN_ID | TL_KNOWN_SPORT;
	r.qr = 0;
	r.opcode = 0;
	r.qname = qname;
	r.qtype = 1;
	r.qclass = 1;
	r.src = src;
	r.dst = ip4(198, 51, 100, 53);
	r.id = id;
	r.sport = 40000;
	r.ts = ts;
	r.pos = ++pos_counter;
	tl_baseline_add(b, &r, input, 0);
}

/* A response for qname with one A answer owned by owner. */
static void answer(tl_baseline_t *b, const char *qname, const char *owner, const char *addr)
{
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR | TL_KNOWN_OPCODE | TL_KNOWN_ANSWERS;
	r.qr = 1;
	r.qname = qname;
	r.qtype = 1;
	r.qclass = 1;
	r.src = ip4(198, 51, 100, 53);
	r.dst = ip4(10, 0, 0, 1);
	r.ts = T0;
	r.pos = ++pos_counter;
	tl_rr_t rr = {owner, 1, 1, 3600, addr};
	r.answers = &rr;
	r.n_answers = 1;
	tl_baseline_add(b, &r, 0, 0);
}

static tl_baseline_settings_t settings(uint64_t min, uint32_t k)
{
	tl_baseline_settings_t s;
	tl_baseline_settings_default(&s);
	s.min_lookups = min;
	s.top_k = k;
	return s;
}

static tl_baseline_query_t query_for(const char *const *names, size_t n, const tl_addr_t *ips,
				     size_t nip)
{
	tl_baseline_query_t q;
	memset(&q, 0, sizeof(q));
	q.target_names = names;
	q.n_target_names = n;
	q.target_ips = ips;
	q.n_target_ips = nip;
	q.org_of = org_of;
	q.n_orgs = 2;
	q.org_names = org_names;
	return q;
}

static const tl_baseline_name_t *listed(const tl_baseline_model_t *m, const char *name)
{
	for (size_t i = 0; i < m->n_names; i++)
		if (strcmp(m->names[i].name, name) == 0)
			return &m->names[i];
	return NULL;
}

static char *to_json(const tl_baseline_model_t *m)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &b, 0);
	tl_json_baseline(&j, m);
	return b.data;
}

/* The records of test_counts; half = 1 gives the first half, 2 the second, 0 all. */
static void feed_counts(tl_baseline_t *b, int half)
{
	/* Positions as in one pass over all records, however they are split. */
	pos_counter = half == 2 ? 8 : 0;
	/* a.example.com: 10.0.0.1 x3, 10.0.0.2 x1 (one of them in upper case, no dot) */
	if (half != 2) {
		query(b, "a.example.com.", 1, T0 + 10 * SEC);
		query(b, "A.Example.COM", 1, T0 + 20 * SEC);
		query(b, "b.example.com.", 1, T0 + 5 * SEC);
		query(b, "b.example.com.", 3, T0 + 6 * SEC);
		query(b, "mail1.target.com.", 1, T0 + 1 * SEC);
		query(b, "mail1.target.com.", 1, T0 + 2 * SEC);
		query(b, "mail1.target.com.", 2, T0 + 3 * SEC);
		query(b, "c.other.net.", 3, T0 + 7 * SEC);
	}
	if (half != 1) {
		query(b, "a.example.com.", 1, T0 + 30 * SEC);
		query(b, "a.example.com.", 2, T0 + 40 * SEC);
		query(b, "b.example.com.", 1, T0 + 8 * SEC);
		query(b, "b.example.com.", 2, T0 + 9 * SEC);
		query(b, "mail1.target.com.", 1, T0 + 4 * SEC);
		query(b, "mail1.target.com.", 1, T0 + 5 * SEC);
		query(b, "mail1.target.com.", 1, T0 + 6 * SEC);
		query(b, "trump1.contact.com.", 1, T0 + 100 * SEC);
		query(b, "trump1.contact.com.", 1, T0 + 101 * SEC);
		answer(b, "a.example.com.", "a.example.com.", "192.0.2.9");
		answer(b, "a.example.com.", "A.EXAMPLE.COM.", "192.0.2.8");
	}
}

static void test_counts(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(2, 2);
	tl_baseline_t *b = tl_baseline_new(&s);
	feed_counts(b, 0);

	/* Not sightings: a response, a NOTIFY, a query of unknown direction, no question. */
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR;
	r.qr = 1;
	r.qname = "a.example.com.";
	tl_baseline_add(b, &r, 0, 0);
	r.qr = 0;
	r.known = TL_KNOWN_QR | TL_KNOWN_OPCODE;
	r.opcode = 4;
	tl_baseline_add(b, &r, 0, 0);
	r.known = 0;
	r.opcode = 0;
	tl_baseline_add(b, &r, 0, 0);
	r.known = TL_KNOWN_QR;
	r.qname = NULL;
	tl_baseline_add(b, &r, 0, 0);

	const char *targets[] = {"trump1.contact.com", "mail1.target.com."};
	tl_baseline_query_t q = query_for(targets, 2, NULL, 0);
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);

	/* 17 query records; names: a, b, c, mail1, trump1 = 5 seen; a and b have >= 2,
	 * c has 1, mail1 and trump1 are the target. */
	assert_int_equal(m.records_counted, 17);
	assert_int_equal(m.names_seen, 5);
	assert_int_equal(m.names_meeting_minimum, 2);
	assert_int_equal(m.n_names, 2);
	assert_null(listed(&m, "c.other.net."));
	assert_null(listed(&m, "mail1.target.com."));

	/* a: counts {3, 1} of 4. top share 3/4 = 0.75; HHI (9 + 1)/16 = 0.625; top-2 share 1.
	 * Both sources in org Bank: 1 organisation, share 1, org HHI 1. */
	const tl_baseline_name_t *a = listed(&m, "a.example.com.");
	assert_non_null(a);
	assert_int_equal(a->m.sightings, 4);
	assert_int_equal(a->m.n_sources, 2);
	assert_true(a->m.top_source.bytes[3] == 1);
	assert_int_equal(a->m.top_source_count, 3);
	assert_int_equal(a->m.top_source_first, T0 + 10 * SEC);
	assert_int_equal(a->m.top_source_last, T0 + 30 * SEC);
	assert_int_equal(a->m.top_source_org, 0);
	assert_true(a->m.top_source_share == 0.75);
	assert_true(fabs(a->m.hhi - 0.625) < 1e-15);
	assert_true(fabs(a->m.top_k_share - 1.0) < 1e-15);
	assert_int_equal(a->m.n_orgs, 1);
	assert_int_equal(a->m.top_org, 0);
	assert_true(a->m.top_org_share == 1.0);
	assert_true(fabs(a->m.org_hhi - 1.0) < 1e-15);
	assert_int_equal(a->m.first_ts, T0 + 10 * SEC);
	assert_int_equal(a->m.last_ts, T0 + 40 * SEC);
	assert_int_equal(a->m.first_pos, 1);
	/* addresses ascending: 192.0.2.8 (owner in upper case still matches), 192.0.2.9 */
	assert_int_equal(a->n_ips, 2);
	assert_int_equal(a->ips[0].bytes[3], 8);
	assert_int_equal(a->ips[1].bytes[3], 9);
	assert_false(a->ips_capped);

	/* b: 10.0.0.1 x2, .2 x1, .3 x1 of 4. top share 0.5; HHI (4 + 1 + 1)/16 = 0.375;
	 * top-2 0.75. Orgs Bank 3, Health 1: top org Bank 0.75, org HHI (9 + 1)/16 = 0.625. */
	const tl_baseline_name_t *bn = listed(&m, "b.example.com.");
	assert_non_null(bn);
	assert_int_equal(bn->m.sightings, 4);
	assert_int_equal(bn->m.n_sources, 3);
	assert_true(bn->m.top_source_share == 0.5);
	assert_true(fabs(bn->m.hhi - 0.375) < 1e-15);
	assert_true(fabs(bn->m.top_k_share - 0.75) < 1e-15);
	assert_int_equal(bn->m.n_orgs, 2);
	assert_int_equal(bn->m.top_org, 0);
	assert_int_equal(bn->m.top_org_count, 3);
	assert_true(bn->m.top_org_share == 0.75);
	assert_true(fabs(bn->m.org_hhi - 0.625) < 1e-15);
	assert_int_equal(bn->n_ips, 0);

	/* Order: both "other" group; a and b have 4 each: by name bytes, a first. */
	assert_string_equal(m.names[0].name, "a.example.com.");
	assert_string_equal(m.names[1].name, "b.example.com.");
	assert_int_equal(m.names[0].group, TL_BASELINE_GROUP_OTHER);

	/* Target: mail1 (.1 x5, .2 x1) + trump1 (.1 x2) = .1 x7, .2 x1 of 8: top share
	 * 7/8 = 0.875; HHI (49 + 1)/64 = 0.78125; one org (Bank). Both names seen. */
	assert_true(m.has_target);
	assert_int_equal(m.target.n_names_seen, 2);
	assert_true(m.target.meets_minimum);
	assert_int_equal(m.target.m.sightings, 8);
	assert_int_equal(m.target.m.n_sources, 2);
	assert_int_equal(m.target.m.top_source_count, 7);
	assert_true(m.target.m.top_source_share == 0.875);
	assert_true(fabs(m.target.m.hhi - 0.78125) < 1e-15);
	assert_int_equal(m.target.m.top_source_first, T0 + 1 * SEC);
	assert_int_equal(m.target.m.top_source_last, T0 + 101 * SEC);
	assert_int_equal(m.target.m.first_ts, T0 + 1 * SEC);
	assert_int_equal(m.target.m.last_ts, T0 + 101 * SEC);
	assert_true(m.target.m.org_hhi == 1.0);
	/* Ranks among a (0.75, 0.625) and b (0.5, 0.375): the target is above both: 1. */
	assert_true(m.target.rank_top_source_share == 1.0);
	assert_true(m.target.rank_hhi == 1.0);
	/* top org shares: a 1.0, b 0.75; target 1.0: (1 + 0.5 * 1) / 2 = 0.75 */
	assert_true(m.target.rank_top_org_share == 0.75);

	tl_baseline_model_free(&m);
	tl_baseline_free(b);
}

static void test_merge_equals_one(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(2, 1);
	const char *targets[] = {"mail1.target.com.", "trump1.contact.com."};
	tl_addr_t tip = ip4(192, 0, 2, 8);
	tl_baseline_query_t q = query_for(targets, 2, &tip, 1);

	tl_baseline_t *all = tl_baseline_new(&s);
	feed_counts(all, 0);
	tl_baseline_t *x = tl_baseline_new(&s), *y = tl_baseline_new(&s);
	feed_counts(x, 1);
	feed_counts(y, 2);
	tl_baseline_t *xy = tl_baseline_new(&s), *yx = tl_baseline_new(&s);
	tl_baseline_merge(xy, x);
	tl_baseline_merge(xy, y);
	tl_baseline_merge(yx, y);
	tl_baseline_merge(yx, x);

	tl_baseline_model_t m1, m2, m3;
	assert_int_equal(tl_baseline_finish(all, &q, &m1), TL_OK);
	assert_int_equal(tl_baseline_finish(xy, &q, &m2), TL_OK);
	assert_int_equal(tl_baseline_finish(yx, &q, &m3), TL_OK);
	char *j1 = to_json(&m1), *j2 = to_json(&m2), *j3 = to_json(&m3);
	assert_string_equal(j1, j2);
	assert_string_equal(j1, j3);
	/* and the merge really carried data: a resolved to the target IP, so it is left out
	 * of the comparison; b is listed */
	assert_int_equal(m2.n_names, 1);
	assert_string_equal(m2.names[0].name, "b.example.com.");
	assert_int_equal(m2.n_excluded, 1);
	assert_string_equal(m2.excluded[0].name, "a.example.com.");
	assert_int_equal(m2.excluded[0].reason, TL_BASELINE_EXCL_SHARED_ADDR);
	assert_int_equal(m2.n_excluded_shared_addr, 1);
	assert_int_equal(m2.records_counted, 17);
	/* top_k = 1: top-1 share equals the top source share (b: .1 x2 of 4) */
	assert_true(m2.names[0].m.top_k_share == 0.5);
	free(j1);
	free(j2);
	free(j3);
	tl_baseline_model_free(&m1);
	tl_baseline_model_free(&m2);
	tl_baseline_model_free(&m3);
	tl_baseline_free(all);
	tl_baseline_free(x);
	tl_baseline_free(y);
	tl_baseline_free(xy);
	tl_baseline_free(yx);
}

/* Four baseline names with known concentration, the target in the middle. */
static void test_percentile(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(2, 2);
	tl_baseline_t *b = tl_baseline_new(&s);
	/* n1: .1 x2 -> top share 1, HHI 1 */
	query(b, "n1.test.", 1, T0);
	query(b, "n1.test.", 1, T0);
	/* n2: .1 x3, .2 x1 -> 0.75, HHI 0.625 */
	query(b, "n2.test.", 1, T0);
	query(b, "n2.test.", 1, T0);
	query(b, "n2.test.", 1, T0);
	query(b, "n2.test.", 2, T0);
	/* n3: .1, .3 -> 0.5, HHI 0.5 */
	query(b, "n3.test.", 1, T0);
	query(b, "n3.test.", 3, T0);
	/* n4: .1 .2 .3 .4 -> 0.25, HHI 0.25 */
	for (uint8_t i = 1; i <= 4; i++)
		query(b, "n4.test.", i, T0);
	/* target: .2 x3, .4 x1 -> 0.75, HHI 0.625 */
	query(b, "t.example.", 2, T0);
	query(b, "t.example.", 2, T0);
	query(b, "t.example.", 2, T0);
	query(b, "t.example.", 4, T0);
	const char *targets[] = {"t.example."};
	tl_baseline_query_t q = query_for(targets, 1, NULL, 0);
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	assert_int_equal(m.n_names, 4);
	/* top share: below are 0.5 and 0.25 (2), equal is n2 (1): (2 + 0.5) / 4 = 0.625.
	 * HHI: below 0.5, 0.25 (2), equal 0.625 (1): 0.625 as well. */
	assert_true(m.target.m.top_source_share == 0.75);
	assert_true(fabs(m.target.rank_top_source_share - 0.625) < 1e-15);
	assert_true(fabs(m.target.rank_hhi - 0.625) < 1e-15);
	/* Orgs of the target: .2 Bank 3, .4 unattributed 1 -> top org share 0.75.
	 * Baseline top org shares: n1 1, n2 1, n3 0.5 (Bank 1, Health 1),
	 * n4 0.5 (Bank 2 of 4) -> below 2, equal 0: 2/4 = 0.5. */
	assert_true(m.target.m.top_org_share == 0.75);
	assert_true(fabs(m.target.rank_top_org_share - 0.5) < 1e-15);
	assert_int_equal(m.target.m.top_source_org, 0);
	tl_baseline_model_free(&m);

	/* No target sightings: ranks are NaN and render as null. */
	const char *absent[] = {"nothing.example."};
	q = query_for(absent, 1, NULL, 0);
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	assert_int_equal(m.n_names, 5); /* t.example is now an ordinary name */
	assert_true(isnan(m.target.rank_top_source_share));
	assert_true(isnan(m.target.rank_hhi));
	assert_int_equal(m.target.m.sightings, 0);
	assert_false(m.target.meets_minimum);
	char *js = to_json(&m);
	assert_non_null(strstr(js, "\"percentile\":{\"top_source_share\":null,\"hhi\":null"));
	assert_non_null(strstr(js, "\"target\":{\"names_seen\":0,\"meets_minimum\":false,"
				   "\"sightings\":0,\"lookups\":0,\"first\":null"));
	free(js);
	tl_baseline_model_free(&m);
	tl_baseline_free(b);
}

static void test_groups(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(2, 2);
	tl_baseline_t *b = tl_baseline_new(&s);
	struct {
		const char *name;
		int n;
	} feed[] = {
		{"x.unrelated.org.", 2}, {"mail2.target.com.", 5}, {"zzz.target.com.", 2},
		{"aaa.target.com.", 2},  {"big.other.org.", 10},   {"y.other.org.", 3},
		{"target.com.", 2},      {"cname.other.org.", 4},  {"com.", 2},
		{"mail1.target.com.", 3},
	};
	for (size_t i = 0; i < sizeof(feed) / sizeof(feed[0]); i++)
		for (int k = 0; k < feed[i].n; k++)
			query(b, feed[i].name, (uint8_t)(1 + k % 2), T0 + k * SEC);
	answer(b, "x.unrelated.org.", "x.unrelated.org.", "192.0.2.1");
	/* The address belongs to the CNAME target, not to the name asked: not counted. */
	answer(b, "cname.other.org.", "elsewhere.example.", "192.0.2.1");
	/* A record holding an IPv6 literal is malformed: ignored. */
	answer(b, "y.other.org.", "y.other.org.", "2001:db8::1");

	const char *targets[] = {"mail1.target.com."};
	tl_addr_t tip = ip4(192, 0, 2, 1);
	tl_baseline_query_t q = query_for(targets, 1, &tip, 1);
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	/* The name that resolved to the target IP is left out of the comparison. Groups:
	 * the zone target.com (siblings of mail1), by lookups desc then name; then the
	 * rest by lookups desc then name.
	 * "target.com." itself has parent "com.", not "target.com.": other.
	 * "com." has the root as parent, which never counts as a shared zone. */
	const char *want[] = {"mail2.target.com.", "aaa.target.com.", "zzz.target.com.",
			      "big.other.org.",    "cname.other.org.", "y.other.org.",
			      "com.",              "target.com."};
	const int groups[] = {1, 1, 1, 2, 2, 2, 2, 2};
	assert_int_equal(m.n_names, 8);
	assert_int_equal(m.n_excluded, 1);
	assert_string_equal(m.excluded[0].name, "x.unrelated.org.");
	for (size_t i = 0; i < 8; i++) {
		assert_string_equal(m.names[i].name, want[i]);
		assert_int_equal(m.names[i].group, groups[i]);
	}
	assert_int_equal(listed(&m, "y.other.org.")->n_ips, 0);
	assert_int_equal(listed(&m, "cname.other.org.")->n_ips, 0);
	assert_int_equal(m.names_seen, 10);
	tl_baseline_model_free(&m);
	tl_baseline_free(b);
}

/* The kept addresses are the lowest ip_cap ones, whatever the order and the merges. */
static void test_ip_cap(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(1, 2);
	s.ip_cap = 3;
	const char *ips[] = {"192.0.2.5", "192.0.2.1", "192.0.2.4", "192.0.2.2", "192.0.2.3"};
	tl_baseline_t *one = tl_baseline_new(&s);
	pos_counter = 0;
	query(one, "n.test.", 1, T0);
	for (int i = 0; i < 5; i++)
		answer(one, "n.test.", "n.test.", ips[i]);
	tl_baseline_t *p = tl_baseline_new(&s), *r = tl_baseline_new(&s), *pr = tl_baseline_new(&s);
	pos_counter = 0;
	query(p, "n.test.", 1, T0);
	answer(p, "n.test.", "n.test.", ips[0]);
	answer(p, "n.test.", "n.test.", ips[2]);
	for (int i = 4; i >= 1; i--)
		answer(r, "n.test.", "n.test.", ips[i]);
	tl_baseline_merge(pr, r);
	tl_baseline_merge(pr, p);

	tl_baseline_query_t q = query_for(NULL, 0, NULL, 0);
	tl_baseline_model_t m1, m2;
	assert_int_equal(tl_baseline_finish(one, &q, &m1), TL_OK);
	assert_int_equal(tl_baseline_finish(pr, &q, &m2), TL_OK);
	assert_false(m1.has_target);
	assert_int_equal(m1.n_names, 1);
	assert_int_equal(m1.names[0].n_ips, 3);
	assert_true(m1.names[0].ips_capped);
	for (int i = 0; i < 3; i++)
		assert_int_equal(m1.names[0].ips[i].bytes[3], i + 1);
	assert_int_equal(m1.names_ips_capped, 1);
	char *j1 = to_json(&m1), *j2 = to_json(&m2);
	assert_string_equal(j1, j2);
	assert_non_null(strstr(j1, "\"addresses\":[\"192.0.2.1\",\"192.0.2.2\",\"192.0.2.3\"],"
				   "\"addresses_capped\":true"));
	assert_non_null(strstr(j1, "\"target\":null"));
	free(j1);
	free(j2);
	tl_baseline_model_free(&m1);
	tl_baseline_model_free(&m2);
	tl_baseline_free(one);
	tl_baseline_free(p);
	tl_baseline_free(r);
	tl_baseline_free(pr);
}

static void test_pair_cap_and_errors(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(1, 2);
	s.max_pairs = 2;
	tl_baseline_t *b = tl_baseline_new(&s);
	query(b, "a.test.", 1, T0);
	query(b, "a.test.", 2, T0);
	query(b, "a.test.", 3, T0); /* third pair: refused */
	query(b, "b.test.", 1, T0); /* new name, new pair: refused */
	query(b, "a.test.", 1, T0); /* existing pair: counted */
	tl_baseline_query_t q = query_for(NULL, 0, NULL, 0);
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	assert_int_equal(m.pairs_capped, 2);
	assert_int_equal(m.records_counted, 3);
	assert_int_equal(m.n_names, 1);
	assert_int_equal(m.names[0].m.sightings, 3);
	tl_baseline_model_free(&m);

	/* An organisation index out of range is an error; out is untouched. */
	q.org_of = bad_org_of;
	memset(&m, 0xab, sizeof(m));
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_EINVAL);
	assert_int_equal(m.n_names, (size_t)0xabababababababab);
	tl_baseline_free(b);
}

static void test_empty(void **state)
{
	(void)state;
	tl_baseline_t *b = tl_baseline_new(NULL);
	tl_baseline_query_t q;
	memset(&q, 0, sizeof(q)); /* no org_of: fine while there is nothing to attribute */
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	assert_int_equal(m.min_lookups, TL_BASELINE_DEFAULT_MIN_LOOKUPS);
	assert_int_equal(m.names_seen, 0);
	assert_int_equal(m.n_names, 0);
	assert_false(m.has_target);
	char *j = to_json(&m);
	assert_string_equal(j, "{\"counting\":\"lookups\",\"dedup_tolerance_us\":0,"
			       "\"unattributed_counting\":\"each_address\",\"min_lookups\":100,"
			       "\"top_k\":2,\"ip_cap\":32,\"records_counted\":0,"
			       "\"lookups_counted\":0,\"names_seen\":0,"
			       "\"names_meeting_minimum\":0,\"names_ips_capped\":0,"
			       "\"pairs_capped\":0,\"excluded\":{\"successors\":0,"
			       "\"shared_address\":0,\"names\":[]},\"bootstrap\":{"
			       "\"replicates\":2000,\"seed\":0,\"clusters\":\"utc_days\","
			       "\"days\":0,\"alpha\":0.050000},\"target\":null,\"names\":[]}");
	free(j);
	tl_baseline_model_free(&m);
	tl_baseline_model_free(NULL);
	tl_baseline_free(b);
	tl_baseline_free(NULL);
}

/* One name, one source, one lookup, with the full JSON written out by hand. */
static void test_one_lookup_json(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(1, 2);
	tl_baseline_t *b = tl_baseline_new(&s);
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR;
	r.qname = "Solo.Test";
	r.src = ip4(10, 0, 0, 3);
	r.ts = T0;
	r.pos = 42;
	tl_baseline_add(b, &r, 5, 2 * SEC); /* input 5, clock offset +2 s */
	tl_baseline_query_t q = query_for(NULL, 0, NULL, 0);
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	char *j = to_json(&m);
	assert_string_equal(
		j, "{\"counting\":\"lookups\",\"dedup_tolerance_us\":0,"
		   "\"unattributed_counting\":\"each_address\",\"min_lookups\":1,\"top_k\":2,"
		   "\"ip_cap\":32,\"records_counted\":1,\"lookups_counted\":1,\"names_seen\":1,"
		   "\"names_meeting_minimum\":1,\"names_ips_capped\":0,\"pairs_capped\":0,"
		   "\"excluded\":{\"successors\":0,\"shared_address\":0,\"names\":[]},"
		   "\"bootstrap\":{\"replicates\":2000,\"seed\":0,\"clusters\":\"utc_days\","
		   "\"days\":0,\"alpha\":0.050000},"
		   "\"target\":null,\"names\":[{"
		   "\"name\":\"solo.test.\",\"group\":\"other\",\"sightings\":1,\"lookups\":1,"
		   "\"first\":\"2016-05-04T00:00:02.000000Z\","
		   "\"last\":\"2016-05-04T00:00:02.000000Z\",\"first_input\":5,\"first_pos\":42,"
		   "\"sources\":1,\"top_source\":{\"address\":\"10.0.0.3\","
		   "\"organisation\":\"Health\",\"count\":1,\"share\":1.000000,"
		   "\"first\":\"2016-05-04T00:00:02.000000Z\","
		   "\"last\":\"2016-05-04T00:00:02.000000Z\"},\"top_k_share\":1.000000,"
		   "\"hhi\":1.000000,\"organisations\":1,\"named_organisations\":1,"
		   "\"unattributed\":{\"addresses\":0,\"lookups\":0},"
		   "\"top_organisation\":{\"name\":\"Health\",\"address\":null,"
		   "\"count\":1,\"share\":1.000000},\"org_hhi\":1.000000,\"addresses\":[],"
		   "\"addresses_capped\":false}]}");
	free(j);
	tl_baseline_model_free(&m);
	tl_baseline_free(b);
}

/* Enough names and pairs to grow both hash tables several times. */
static void test_many_names(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(3, 2);
	tl_baseline_t *one = tl_baseline_new(&s), *x = tl_baseline_new(&s), *y = tl_baseline_new(&s);
	char name[32];
	uint64_t total = 0;
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "n%d.test.", i);
		/* name i: i % 4 + 1 sightings, from sources 1.. */
		for (int k = 0; k <= i % 4; k++) {
			pos_counter = (uint64_t)(i * 10 + k);
			query(one, name, (uint8_t)(k + 1), T0 + i * SEC);
			pos_counter = (uint64_t)(i * 10 + k);
			query(k % 2 ? x : y, name, (uint8_t)(k + 1), T0 + i * SEC);
			total++;
		}
	}
	tl_baseline_t *xy = tl_baseline_new(&s);
	tl_baseline_merge(xy, x);
	tl_baseline_merge(xy, y);
	tl_baseline_query_t q = query_for(NULL, 0, NULL, 0);
	tl_baseline_model_t m1, m2;
	assert_int_equal(tl_baseline_finish(one, &q, &m1), TL_OK);
	assert_int_equal(tl_baseline_finish(xy, &q, &m2), TL_OK);
	assert_int_equal(m1.records_counted, total);
	assert_int_equal(m1.names_seen, 600);
	/* i % 4 == 2 or 3: 300 names with 3 or 4 sightings, 4 first (150 of them) */
	assert_int_equal(m1.n_names, 300);
	assert_int_equal(m1.names[0].m.sightings, 4);
	assert_int_equal(m1.names[150].m.sightings, 3);
	assert_true(fabs(m1.names[0].m.hhi - 0.25) < 1e-15);
	char *j1 = to_json(&m1), *j2 = to_json(&m2);
	assert_string_equal(j1, j2);
	free(j1);
	free(j2);
	tl_baseline_model_free(&m1);
	tl_baseline_model_free(&m2);
	tl_baseline_free(one);
	tl_baseline_free(x);
	tl_baseline_free(y);
	tl_baseline_free(xy);
}

/* The case: baseline names looked up by hundreds of unattributed resolvers, the
 * target's lookups 78% from one bank. Pooled, the unattributed would be one organisation
 * with the whole share of every baseline name, and the target would rank at the bottom;
 * each unattributed address being its own entity, the target ranks at the top. */
static void test_unattributed_entities(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(100, 2);
	s.bootstrap = 500;
	tl_baseline_t *b = tl_baseline_new(&s);
	char name[32];
	uint16_t id = 0;
	for (int n = 0; n < 20; n++) {
		snprintf(name, sizeof(name), "name%d.test.", n);
		/* 250 resolvers 172.16.x.y, one lookup each, 20 of them twice */
		for (int k = 0; k < 250; k++) {
			tl_addr_t a = ip4(172, 16, (uint8_t)(k / 200), (uint8_t)(k % 200 + 1));
			query_at(b, name, a, T0 + (n * 1000 + k) * SEC, 0, ++id);
			if (k < 20)
				query_at(b, name, a, T0 + (n * 1000 + k + 500) * SEC, 0, ++id);
		}
	}
	/* the target: 78 lookups from the bank (10.0.0.1), 22 from 22 unattributed ones,
	 * over 10 days */
	for (int k = 0; k < 78; k++)
		query_at(b, "t.example.", ip4(10, 0, 0, 1), T0 + (k % 10) * DAY + k * SEC, 0, ++id);
	for (int k = 0; k < 22; k++)
		query_at(b, "t.example.", ip4(172, 17, 0, (uint8_t)(k + 1)),
			 T0 + (k % 10) * DAY + (5000 + k) * SEC, 0, ++id);
	const char *targets[] = {"t.example."};
	tl_baseline_query_t q = query_for(targets, 1, NULL, 0);
	q.seed = 7;
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	assert_int_equal(m.n_names, 20);
	const tl_baseline_name_t *n0 = listed(&m, "name0.test.");
	assert_non_null(n0);
	assert_int_equal(n0->m.lookups, 270);
	assert_int_equal(n0->m.n_orgs, 250);
	assert_int_equal(n0->m.n_named_orgs, 0);
	assert_int_equal(n0->m.n_unattributed, 250);
	assert_int_equal(n0->m.unattributed_count, 270);
	/* the largest entity is one address with 2 of 270 (ties: the lowest address) */
	assert_int_equal(n0->m.top_org, TL_BASELINE_ORG_NONE);
	assert_int_equal(n0->m.top_org_count, 2);
	assert_int_equal(n0->m.top_org_addr.bytes[3], 1);
	assert_true(n0->m.top_org_share < 0.01);
	/* the target: Bank 78 of 100, 22 entities of 1 */
	assert_int_equal(m.target.m.top_org, 0);
	assert_true(m.target.m.top_org_share == 0.78);
	assert_int_equal(m.target.m.n_orgs, 23);
	assert_true(fabs(m.target.m.org_hhi - (0.78 * 0.78 + 22 * 0.0001)) < 1e-12);
	/* above every baseline name (pooled, it would have been below every one) */
	assert_true(m.target.rank_top_org_share == 1.0);
	assert_true(m.target.rank_org_hhi == 1.0);
	/* and the bootstrap over the target's 10 days keeps it there: even the lower end
	 * of the interval of its share is far above the baseline names' shares */
	assert_int_equal(m.bootstrap_days, 10);
	assert_true(m.target.ci_top_org_share.lo > 0.5);
	assert_true(m.target.ci_top_org_share.lo <= 0.78 && m.target.ci_top_org_share.hi >= 0.78);
	assert_true(m.target.ci_top_org_share.rank_lo == 1.0);
	char *js = to_json(&m);
	assert_non_null(strstr(js, "\"top_organisation\":{\"name\":\"unattributed\","
				   "\"address\":\"172.16.0.1\",\"count\":2,"));
	free(js);
	tl_baseline_model_free(&m);
	tl_baseline_free(b);
}

/* Lookups, not sightings: the same query seen by two sensors within the tolerance counts
 * once, as in the profile; beyond it, or at one sensor, twice; past the sightings cap
 * every count is of raw sightings and the model says so. */
static void test_dedup_counting(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(1, 2);
	for (int pass = 0; pass < 2; pass++) {
		s.max_sightings = pass == 0 ? 0 : 3;
		tl_baseline_t *b = tl_baseline_new(&s);
		tl_addr_t r1 = ip4(10, 0, 0, 1), r3 = ip4(10, 0, 0, 3);
		/* d.test: the same query (ID 7) at input 0 (sensor 0) and input 1 (sensor 1),
		 * 1 s apart: one lookup. ID 8 at both, 5 s apart: beyond the 2 s tolerance. */
		query_at(b, "d.test.", r1, T0, 0, 7);
		query_at(b, "d.test.", r1, T0 + SEC, 1, 7);
		query_at(b, "d.test.", r1, T0 + 100 * SEC, 0, 8);
		query_at(b, "d.test.", r1, T0 + 105 * SEC, 1, 8);
		/* the same query twice at one sensor (inputs 0 and 2 are both sensor 0) */
		query_at(b, "d.test.", r3, T0 + 200 * SEC, 0, 9);
		query_at(b, "d.test.", r3, T0 + 200 * SEC + 1, 2, 9);
		const uint32_t sensors[] = {0, 1, 0};
		tl_baseline_query_t q = query_for(NULL, 0, NULL, 0);
		q.input_sensor = sensors;
		q.n_inputs = 3;
		q.n_sensors = 2;
		q.dedup_tolerance_us = 2 * SEC;
		tl_baseline_model_t m;
		assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
		const tl_baseline_name_t *d = listed(&m, "d.test.");
		assert_non_null(d);
		assert_int_equal(d->m.sightings, 6);
		assert_int_equal(m.records_counted, 6);
		if (pass == 0) {
			assert_int_equal(m.counting, TL_BASELINE_COUNT_LOOKUPS);
			assert_int_equal(d->m.lookups, 5);
			assert_int_equal(d->m.top_source_count, 3);
			assert_int_equal(m.lookups_counted, 5);
		} else {
			assert_int_equal(m.counting, TL_BASELINE_COUNT_RAW);
			assert_int_equal(d->m.lookups, 6);
			assert_int_equal(d->m.top_source_count, 4);
			char *js = to_json(&m);
			assert_non_null(strstr(js, "{\"counting\":\"raw_sightings\","));
			free(js);
		}
		tl_baseline_model_free(&m);

		/* A sensor index out of range is refused. */
		const uint32_t bad[] = {0, 2, 0};
		q.input_sensor = bad;
		assert_int_equal(tl_baseline_finish(b, &q, &m), TL_EINVAL);
		tl_baseline_free(b);
	}
}

/* The target's successors and the names that resolved to a target address are left out
 * of the comparison, each with its reason; names under a target suffix are the target. */
static void test_exclusions(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(2, 2);
	tl_baseline_t *b = tl_baseline_new(&s);
	const char *feed[] = {"t.example.", "succ.example.", "brand.example.", "seen.example.",
			      "plain.example.", "x.sub.t.example."};
	for (size_t i = 0; i < 6; i++)
		for (int k = 0; k < 3; k++)
			query(b, feed[i], (uint8_t)(1 + k), T0 + (int64_t)(i * 10 + (size_t)k) * SEC);
	answer(b, "brand.example.", "brand.example.", "192.0.2.1");
	const char *targets[] = {"t.example."};
	const char *suffixes[] = {"sub.t.example"};
	const char *succ[] = {"succ.example"};
	const char *shared[] = {"seen.example.", "succ.example."};
	tl_addr_t tip = ip4(192, 0, 2, 1);
	tl_baseline_query_t q = query_for(targets, 1, &tip, 1);
	q.target_suffixes = suffixes;
	q.n_target_suffixes = 1;
	q.successor_names = succ;
	q.n_successor_names = 1;
	q.shared_addr_names = shared;
	q.n_shared_addr_names = 2;
	tl_baseline_model_t m;
	assert_int_equal(tl_baseline_finish(b, &q, &m), TL_OK);
	assert_int_equal(m.n_names, 1);
	assert_string_equal(m.names[0].name, "plain.example.");
	assert_int_equal(m.n_excluded, 3);
	assert_int_equal(m.n_excluded_successor, 1);
	assert_int_equal(m.n_excluded_shared_addr, 2);
	/* by name bytes; a successor is a successor even when it also shares the address */
	assert_string_equal(m.excluded[0].name, "brand.example.");
	assert_int_equal(m.excluded[0].reason, TL_BASELINE_EXCL_SHARED_ADDR);
	assert_string_equal(m.excluded[1].name, "seen.example.");
	assert_int_equal(m.excluded[1].reason, TL_BASELINE_EXCL_SHARED_ADDR);
	assert_string_equal(m.excluded[2].name, "succ.example.");
	assert_int_equal(m.excluded[2].reason, TL_BASELINE_EXCL_SUCCESSOR);
	assert_int_equal(m.excluded[2].lookups, 3);
	/* the target: t.example and x.sub.t.example (under the suffix) */
	assert_int_equal(m.target.n_names_seen, 2);
	assert_int_equal(m.target.m.lookups, 6);
	char *js = to_json(&m);
	assert_non_null(strstr(js, "\"excluded\":{\"successors\":1,\"shared_address\":2,"
				   "\"names\":[{\"name\":\"brand.example.\","
				   "\"reason\":\"shared_address\",\"lookups\":3}"));
	free(js);
	tl_baseline_model_free(&m);
	tl_baseline_free(b);
}

/* The bootstrap is seeded: the same seed gives the same interval; one source, or one
 * day, gives a degenerate interval; no replicates give none. */
static void test_bootstrap(void **state)
{
	(void)state;
	tl_baseline_settings_t s = settings(2, 2);
	s.bootstrap = 300;
	tl_baseline_t *b = tl_baseline_new(&s);
	for (int k = 0; k < 6; k++)
		query(b, "t.example.", (uint8_t)(k < 4 ? 1 : k), T0 + k * DAY);
	for (int k = 0; k < 4; k++)
		query(b, "o.test.", (uint8_t)(k % 2 + 1), T0 + k * SEC);
	query(b, "one.example.", 1, T0);
	const char *targets[] = {"t.example."};
	tl_baseline_query_t q = query_for(targets, 1, NULL, 0);
	q.seed = 20160504;
	tl_baseline_model_t m1, m2;
	assert_int_equal(tl_baseline_finish(b, &q, &m1), TL_OK);
	assert_int_equal(tl_baseline_finish(b, &q, &m2), TL_OK);
	char *j1 = to_json(&m1), *j2 = to_json(&m2);
	assert_string_equal(j1, j2);
	free(j1);
	free(j2);
	assert_true(m1.target.ci_hhi.lo <= m1.target.ci_hhi.hi);
	assert_true(m1.target.ci_hhi.rank_lo <= m1.target.ci_hhi.rank_hi);
	assert_int_equal(m1.bootstrap_seed, 20160504);
	tl_baseline_model_free(&m1);
	tl_baseline_model_free(&m2);

	const char *single[] = {"one.example."};
	q = query_for(single, 1, NULL, 0);
	assert_int_equal(tl_baseline_finish(b, &q, &m1), TL_OK);
	assert_true(m1.target.ci_top_source_share.lo == 1.0);
	assert_true(m1.target.ci_top_source_share.hi == 1.0);
	tl_baseline_model_free(&m1);
	tl_baseline_free(b);

	s.bootstrap = 0;
	b = tl_baseline_new(&s);
	query(b, "t.example.", 1, T0);
	q = query_for(targets, 1, NULL, 0);
	assert_int_equal(tl_baseline_finish(b, &q, &m1), TL_OK);
	assert_true(isnan(m1.target.ci_hhi.lo));
	tl_baseline_model_free(&m1);
	tl_baseline_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_merge_equals_one),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_ip_cap),
		cmocka_unit_test(test_pair_cap_and_errors),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_lookup_json),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_unattributed_entities),
		cmocka_unit_test(test_dedup_counting),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_bootstrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
