/* test_names.c - names collector: bindings, last success, failure after it,
 * successors, first querier, filter, merge equals single pass, failure cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/names.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

#define S(x) ((int64_t)(x) * TL_US_PER_SEC)

static tl_addr_t ip(const char *s)
{
	tl_addr_t a;
	assert_int_equal(tl_addr_parse(s, strlen(s), &a), 0);
	return a;
}

static tl_record_t query(int64_t ts, uint64_t pos, const char *src, const char *qname)
{
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR | TL_KNOWN_SPORT;
	r.qr = 0;
	r.ts = ts;
	r.pos = pos;
	r.src = ip(src);
	r.sport = 5353;
	r.qname = qname;
	r.qtype = 1;
	return r;
}

/* A response; with addr != NULL one A answer owned by owner (qname if NULL). */
static tl_record_t resp(int64_t ts, uint64_t pos, const char *qname, uint16_t rcode,
			const char *owner, const char *addr, tl_rr_t *rr)
{
	tl_record_t r;
	tl_record_init(&r);
	r.known = TL_KNOWN_QR | TL_KNOWN_RCODE | TL_KNOWN_ANSWERS;
	r.qr = 1;
	r.ts = ts;
	r.pos = pos;
	r.src = ip("198.51.100.1");
	r.qname = qname;
	r.qtype = 1;
	r.rcode = rcode;
	if (addr) {
		memset(rr, 0, sizeof(*rr));
		rr->name = owner ? owner : qname;
		rr->type = strchr(addr, ':') ? 28 : 1;
		rr->rclass = 1;
		rr->ttl = 3600;
		rr->data = addr;
		r.answers = rr;
		r.n_answers = 1;
	}
	return r;
}

/* The scenario, as (input, record):
 * input 0: t=100 query Old.Example. from 192.0.2.7 (pos 1)
 *          t=101 NOERROR old.example. A 203.0.113.29 (pos 2)
 *          t=500 NOERROR old.example. A 203.0.113.29 (pos 3)   <- last success
 *          t=600 NXDOMAIN old.example. (pos 4)                 <- first failure after it
 *          t=700 query new.example. from 192.0.2.9 (pos 5)
 *          t=701 NOERROR new.example. A 203.0.113.29 (pos 6)   <- successor
 * input 1: t=50  query old.example. from 192.0.2.8 (pos 9)     <- first querier overall
 *          t=300 SERVFAIL old.example. (pos 10)                <- before the success: ignored
 *          t=650 NXDOMAIN old.example. (pos 11)
 *          t=90  NOERROR early.example. A 203.0.113.29 (pos 12) <- resolved before: no successor
 *          t=800 NOERROR other.example. A 192.0.2.200 (pos 13)  <- unrelated address
 * Input 1's offset is +0 except where a test says. */
static void feed(tl_names_t *n, int which)
{
	tl_rr_t rr;
	tl_record_t r;
	if (which == 0 || which == 2) {
		r = query(S(100), 1, "192.0.2.7", "Old.Example.");
		tl_names_add(n, &r, 0, 0);
		r = resp(S(101), 2, "old.example.", 0, NULL, "203.0.113.29", &rr);
		tl_names_add(n, &r, 0, 0);
		r = resp(S(500), 3, "old.example.", 0, NULL, "203.0.113.29", &rr);
		tl_names_add(n, &r, 0, 0);
		r = resp(S(600), 4, "old.example.", 3, NULL, NULL, &rr);
		tl_names_add(n, &r, 0, 0);
		r = query(S(700), 5, "192.0.2.9", "new.example.");
		tl_names_add(n, &r, 0, 0);
		r = resp(S(701), 6, "new.example.", 0, NULL, "203.0.113.29", &rr);
		tl_names_add(n, &r, 0, 0);
	}
	if (which == 1 || which == 2) {
		r = query(S(50), 9, "192.0.2.8", "old.example.");
		tl_names_add(n, &r, 1, 0);
		r = resp(S(300), 10, "old.example.", 2, NULL, NULL, &rr);
		tl_names_add(n, &r, 1, 0);
		r = resp(S(650), 11, "old.example.", 3, NULL, NULL, &rr);
		tl_names_add(n, &r, 1, 0);
		r = resp(S(90), 12, "early.example.", 0, NULL, "203.0.113.29", &rr);
		tl_names_add(n, &r, 1, 0);
		r = resp(S(800), 13, "other.example.", 0, NULL, "192.0.2.200", &rr);
		tl_names_add(n, &r, 1, 0);
	}
}

static const tl_names_name_t *find(const tl_names_model_t *m, const char *name)
{
	for (size_t i = 0; i < m->n_names; i++)
		if (strcmp(m->names[i].name, name) == 0)
			return &m->names[i];
	return NULL;
}

static void check_scenario(const tl_names_model_t *m)
{
	/* names: early, new, old, other (sorted by bytes) */
	assert_int_equal(m->names_seen, 4);
	assert_int_equal(m->n_names, 4);
	assert_string_equal(m->names[0].name, "early.example.");
	assert_string_equal(m->names[2].name, "old.example.");
	const tl_names_name_t *o = find(m, "old.example.");
	assert_non_null(o);
	/* first seen: t=50 (input 1), last seen: 650 */
	assert_true(o->first_seen == S(50));
	assert_true(o->last_seen == S(650));
	assert_int_equal(o->queries, 2);
	assert_int_equal(o->responses, 5);
	assert_true(o->has_success);
	assert_true(o->last_success.ts == S(500));
	assert_int_equal(o->last_success.pos, 3);
	/* SERVFAIL at 300 precedes the success; the first failure after 500 is 600 */
	assert_true(o->has_failure_after);
	assert_true(o->failure_after.ts == S(600));
	assert_int_equal(o->failure_after.input, 0);
	assert_int_equal(o->failure_after.pos, 4);
	assert_int_equal(o->failure_rcode, 3);
	assert_true(o->failure_exact);
	/* first querier: t=50 from 192.0.2.8, input 1, pos 9 */
	assert_true(o->has_first_query);
	assert_true(tl_addr_equal(&o->querier, &(tl_addr_t){0}) == 0);
	tl_addr_t q8 = ip("192.0.2.8");
	assert_true(tl_addr_equal(&o->querier, &q8));
	assert_int_equal(o->first_query.input, 1);
	assert_int_equal(o->first_query.pos, 9);
	assert_true(o->first_query.ts == S(50));
	/* successors: new.example. first resolved to .29 at 701 > 500; early (90) is not */
	assert_int_equal(o->n_successors, 1);
	assert_string_equal(o->successors[0].name, "new.example.");
	assert_true(o->successors[0].first.ts == S(701));
	assert_int_equal(o->successors[0].first.pos, 6);
	/* address 203.0.113.29: early (90), old (101), new (701) */
	int found = 0;
	tl_addr_t t29 = ip("203.0.113.29");
	for (size_t i = 0; i < m->n_addrs; i++) {
		if (!tl_addr_equal(&m->addrs[i].addr, &t29))
			continue;
		found = 1;
		assert_int_equal(m->addrs[i].n_names, 3);
		assert_string_equal(m->addrs[i].names[0].name, "early.example.");
		assert_string_equal(m->addrs[i].names[1].name, "old.example.");
		assert_true(m->addrs[i].names[1].first.ts == S(101));
		assert_true(m->addrs[i].names[1].last_ts == S(500));
		assert_int_equal(m->addrs[i].names[1].responses, 2);
		assert_string_equal(m->addrs[i].names[2].name, "new.example.");
	}
	assert_true(found);
	/* new.example. never failed: no successors */
	const tl_names_name_t *nw = find(m, "new.example.");
	assert_false(nw->has_failure_after);
	assert_int_equal(nw->n_successors, 0);
}

static void test_single_pass(void **state)
{
	(void)state;
	tl_names_t *n = tl_names_new(NULL);
	feed(n, 2);
	tl_names_model_t m;
	assert_int_equal(tl_names_finish(n, NULL, NULL, &m), 0);
	assert_false(m.filtered);
	check_scenario(&m);
	tl_names_model_free(&m);
	tl_names_free(n);
}

/* Merge in either order equals the single pass; the JSON is byte-identical. */
static void test_merge(void **state)
{
	(void)state;
	tl_names_t *all = tl_names_new(NULL), *a = tl_names_new(NULL), *b = tl_names_new(NULL);
	feed(all, 2);
	feed(a, 0);
	feed(b, 1);
	tl_names_t *ab = tl_names_new(NULL), *ba = tl_names_new(NULL);
	tl_names_merge(ab, a);
	tl_names_merge(ab, b);
	tl_names_merge(ba, b);
	tl_names_merge(ba, a);
	tl_names_model_t m1, m2, m3;
	tl_names_finish(all, NULL, NULL, &m1);
	tl_names_finish(ab, NULL, NULL, &m2);
	tl_names_finish(ba, NULL, NULL, &m3);
	check_scenario(&m2);
	check_scenario(&m3);
	tl_buf_t b1, b2, b3;
	tl_buf_init(&b1);
	tl_buf_init(&b2);
	tl_buf_init(&b3);
	tl_json_t j;
	tl_json_init(&j, &b1, 0);
	tl_json_names(&j, &m1);
	tl_json_init(&j, &b2, 0);
	tl_json_names(&j, &m2);
	tl_json_init(&j, &b3, 0);
	tl_json_names(&j, &m3);
	assert_string_equal(b1.data, b2.data);
	assert_string_equal(b1.data, b3.data);
	assert_non_null(strstr(b1.data, "\"failure_after\":{\"time\":\"1970-01-01T00:10:00.000000Z\""));
	tl_buf_free(&b1);
	tl_buf_free(&b2);
	tl_buf_free(&b3);
	tl_names_model_free(&m1);
	tl_names_model_free(&m2);
	tl_names_model_free(&m3);
	tl_names_free(all);
	tl_names_free(a);
	tl_names_free(b);
	tl_names_free(ab);
	tl_names_free(ba);
}

/* Filter on old.example.: every name on 203.0.113.29 is listed, other.example. is not;
 * resolved_to(.29) = early, new, old. */
static void test_filter_and_resolved_to(void **state)
{
	(void)state;
	tl_names_t *n = tl_names_new(NULL);
	feed(n, 2);
	const char *tn[] = {"old.example."};
	tl_names_filter_t f = {tn, 1, NULL, 0};
	tl_names_model_t m;
	tl_names_finish(n, NULL, &f, &m);
	assert_true(m.filtered);
	assert_int_equal(m.names_seen, 4);
	assert_int_equal(m.n_names, 3);
	assert_null(find(&m, "other.example."));
	assert_true(find(&m, "old.example.")->target);
	assert_false(find(&m, "new.example.")->target);
	assert_int_equal(m.n_addrs, 1);
	tl_names_model_free(&m);

	/* filter by the unrelated address only */
	tl_addr_t o = ip("192.0.2.200");
	tl_names_filter_t f2 = {NULL, 0, &o, 1};
	tl_names_finish(n, NULL, &f2, &m);
	assert_int_equal(m.n_names, 1);
	assert_string_equal(m.names[0].name, "other.example.");
	tl_names_model_free(&m);

	tl_addr_t t29 = ip("203.0.113.29");
	const char **names;
	size_t k;
	assert_int_equal(tl_names_resolved_to(n, &t29, 1, &names, &k), 0);
	assert_int_equal(k, 3);
	assert_string_equal(names[0], "early.example.");
	assert_string_equal(names[1], "new.example.");
	assert_string_equal(names[2], "old.example.");
	free(names);
	tl_addr_t none = ip("2001:db8::1");
	assert_int_equal(tl_names_resolved_to(n, &none, 1, &names, &k), 0);
	assert_int_equal(k, 0);
	assert_null(names);
	tl_names_free(n);
}

/* Cap 2: failures at 10, 20, 30, 40 (s) keep 10 and 20 (30, 40 dropped; earliest
 * dropped 30). A success at 25 then leaves nothing kept: the first failure after
 * 25 is 30, the earliest dropped, and exact. A success at 35 makes it inexact
 * (40 is reported only as "a failure after", from nothing kept: none). */
static void test_cap(void **state)
{
	(void)state;
	tl_names_settings_t s = {2};
	tl_names_t *n = tl_names_new(&s);
	tl_rr_t rr;
	tl_record_t r;
	for (int i = 1; i <= 4; i++) {
		r = resp(S(10 * i), (uint64_t)i, "x.example.", 3, NULL, NULL, &rr);
		tl_names_add(n, &r, 0, 0);
	}
	r = resp(S(25), 9, "x.example.", 0, NULL, "192.0.2.1", &rr);
	tl_names_add(n, &r, 0, 0);
	tl_names_model_t m;
	tl_names_finish(n, NULL, NULL, &m);
	assert_int_equal(m.names_capped, 1);
	assert_int_equal(m.names[0].failures_dropped, 2);
	assert_true(m.names[0].has_failure_after);
	assert_true(m.names[0].failure_after.ts == S(30));
	assert_true(m.names[0].failure_exact);
	tl_names_model_free(&m);
	r = resp(S(35), 10, "x.example.", 0, NULL, "192.0.2.1", &rr);
	tl_names_add(n, &r, 0, 0);
	tl_names_finish(n, NULL, NULL, &m);
	assert_false(m.names[0].has_failure_after);
	assert_false(m.names[0].failure_exact);
	tl_names_model_free(&m);
	tl_names_free(n);
}

/* Empty collector; responses without question; CNAME chain owner; bad rdata. */
static void test_edges(void **state)
{
	(void)state;
	tl_names_t *n = tl_names_new(NULL);
	tl_names_model_t m;
	tl_names_finish(n, NULL, NULL, &m);
	assert_int_equal(m.names_seen, 0);
	assert_int_equal(m.n_names, 0);
	assert_int_equal(m.n_addrs, 0);
	tl_names_model_free(&m);

	tl_rr_t rr[3];
	tl_record_t r = resp(S(1), 1, "www.example.", 0, NULL, NULL, rr);
	memset(rr, 0, sizeof(rr));
	rr[0] = (tl_rr_t){"www.example.", 5, 1, 60, "cdn.example."};
	rr[1] = (tl_rr_t){"CDN.Example.", 1, 1, 60, "192.0.2.10"};
	rr[2] = (tl_rr_t){"cdn.example.", 1, 1, 60, "not-an-address"};
	r.answers = rr;
	r.n_answers = 3;
	tl_names_add(n, &r, 0, 0);
	r.qname = NULL; /* no question: still the owner is used */
	r.answers = &rr[1];
	r.n_answers = 1;
	r.ts = S(2);
	tl_names_add(n, &r, 0, S(10)); /* offset +10 s */
	tl_names_finish(n, NULL, NULL, &m);
	/* names: cdn.example. (owner), www.example. (qname) */
	assert_int_equal(m.names_seen, 2);
	assert_int_equal(m.n_addrs, 1);
	assert_int_equal(m.addrs[0].n_names, 1);
	assert_string_equal(m.addrs[0].names[0].name, "cdn.example.");
	assert_int_equal(m.addrs[0].names[0].responses, 2);
	assert_true(m.addrs[0].names[0].last_ts == S(12));
	/* www succeeded (CNAME owned by it); cdn was never a qname */
	assert_true(find(&m, "www.example.")->has_success);
	assert_true(find(&m, "cdn.example.")->first_seen == TL_TIME_NONE);
	tl_names_model_free(&m);
	tl_names_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_pass),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_filter_and_resolved_to),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
