/* test_match.c - query/response pairing, timeouts, cap, case-insensitive names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "input/match.h"

#include <stdio.h>

static tl_record_t msg(int qr, int64_t ts, const char *client, uint16_t cport, uint16_t id,
		       const char *qname)
{
	tl_record_t r;
	tl_record_init(&r);
	tl_addr_t c, s;
	assert_int_equal(tl_addr_parse(client, strlen(client), &c), 0);
	assert_int_equal(tl_addr_parse("198.51.100.53", 13, &s), 0);
	r.known = TL_KNOWN_QR | TL_KNOWN_ID | TL_KNOWN_SPORT | TL_KNOWN_DPORT;
	r.qr = (uint8_t)qr;
	r.ts = ts;
	r.id = id;
	r.qname = qname;
	r.qtype = 1;
	r.qclass = 1;
	r.transport = 1;
	if (qr) {
		r.src = s;
		r.sport = 53;
		r.dst = c;
		r.dport = cport;
	} else {
		r.src = c;
		r.sport = cport;
		r.dst = s;
		r.dport = 53;
	}
	return r;
}

static void pairs_response_with_query(void **state)
{
	(void)state;
	tl_anomalies_t an;
	memset(&an, 0, sizeof(an));
	tl_match_t *m = tl_match_new(100, 10000000, &an);
	tl_record_t q = msg(0, 1000, "192.0.2.1", 40000, 7, "Mail1.Example.");
	tl_match_add(m, &q);
	tl_record_t other = msg(1, 1500, "192.0.2.1", 40000, 8, "mail1.example."); /* other id */
	tl_match_add(m, &other);
	assert_int_equal(other.latency_us, -1);
	tl_record_t r = msg(1, 1750, "192.0.2.1", 40000, 7, "mAIL1.example."); /* 0x20 case */
	tl_match_add(m, &r);
	assert_int_equal(r.latency_us, 750);
	tl_record_t again = msg(1, 1800, "192.0.2.1", 40000, 7, "mail1.example.");
	tl_match_add(m, &again); /* the query is used up */
	assert_int_equal(again.latency_us, -1);
	tl_match_finish(m);
	const tl_match_stats_t *st = tl_match_stats(m);
	assert_int_equal(st->matched, 1);
	assert_int_equal(st->unmatched, 2);
	assert_int_equal(st->unanswered, 0);
	tl_match_free(m);
}

static void different_port_or_client_does_not_match(void **state)
{
	(void)state;
	tl_anomalies_t an;
	memset(&an, 0, sizeof(an));
	tl_match_t *m = tl_match_new(100, 10000000, &an);
	tl_record_t q = msg(0, 0, "2001:db8::1", 5000, 1, "a.example.");
	tl_match_add(m, &q);
	tl_record_t r1 = msg(1, 10, "2001:db8::1", 5001, 1, "a.example.");
	tl_match_add(m, &r1);
	tl_record_t r2 = msg(1, 10, "2001:db8::2", 5000, 1, "a.example.");
	tl_match_add(m, &r2);
	tl_record_t r3 = msg(1, 10, "2001:db8::1", 5000, 1, "b.example.");
	tl_match_add(m, &r3);
	assert_int_equal(r1.latency_us + r2.latency_us + r3.latency_us, -3);
	tl_match_finish(m);
	assert_int_equal(tl_match_stats(m)->unanswered, 1);
	assert_int_equal(tl_match_stats(m)->unmatched, 3);
	tl_match_free(m);
}

static void oldest_duplicate_query_wins_and_timeouts_count(void **state)
{
	(void)state;
	tl_anomalies_t an;
	memset(&an, 0, sizeof(an));
	tl_match_t *m = tl_match_new(100, 1000, &an);
	tl_record_t q1 = msg(0, 0, "192.0.2.9", 1, 1, "x.example.");
	tl_record_t q2 = msg(0, 500, "192.0.2.9", 1, 1, "x.example.");
	tl_match_add(m, &q1);
	tl_match_add(m, &q2);
	tl_record_t r = msg(1, 900, "192.0.2.9", 1, 1, "x.example.");
	tl_match_add(m, &r);
	assert_int_equal(r.latency_us, 900);
	/* q2 (ts 500) expires once time passes 1500 */
	tl_record_t late = msg(0, 2000, "192.0.2.10", 1, 1, "y.example.");
	tl_match_add(m, &late);
	assert_int_equal(tl_match_stats(m)->unanswered, 1);
	tl_record_t r2 = msg(1, 2001, "192.0.2.9", 1, 1, "x.example.");
	tl_match_add(m, &r2);
	assert_int_equal(r2.latency_us, -1);
	tl_match_finish(m);
	assert_int_equal(tl_match_stats(m)->unanswered, 2);
	tl_match_free(m);
}

static void cap_evicts_oldest_and_counts(void **state)
{
	(void)state;
	tl_anomalies_t an;
	memset(&an, 0, sizeof(an));
	tl_match_t *m = tl_match_new(2, 1000000, &an);
	for (uint16_t i = 0; i < 5; i++) {
		tl_record_t q = msg(0, i, "192.0.2.1", 1000, i, "z.example.");
		q.pos = i + 1;
		tl_match_add(m, &q);
	}
	assert_int_equal(an.count[TL_AN_MATCH_CAP], 3);
	assert_int_equal(an.first[TL_AN_MATCH_CAP][0], 3);
	tl_record_t r0 = msg(1, 10, "192.0.2.1", 1000, 0, "z.example.");
	tl_match_add(m, &r0); /* evicted */
	assert_int_equal(r0.latency_us, -1);
	tl_record_t r4 = msg(1, 10, "192.0.2.1", 1000, 4, "z.example.");
	tl_match_add(m, &r4);
	assert_int_equal(r4.latency_us, 6);
	tl_match_finish(m);
	assert_int_equal(tl_match_stats(m)->unanswered, 4);
	tl_match_free(m);
}

static void many_queries_grow_the_table(void **state)
{
	(void)state;
	tl_anomalies_t an;
	memset(&an, 0, sizeof(an));
	tl_match_t *m = tl_match_new(100000, INT64_C(1) << 40, &an);
	char name[32];
	static char names[5000][32];
	for (int i = 0; i < 5000; i++) {
		snprintf(names[i], sizeof(names[i]), "n%d.example.", i);
		tl_record_t q = msg(0, i, "192.0.2.1", (uint16_t)(1000 + i % 7), (uint16_t)i, names[i]);
		tl_match_add(m, &q);
	}
	int ok = 0;
	for (int i = 4999; i >= 0; i--) {
		snprintf(name, sizeof(name), "N%d.EXAMPLE.", i);
		tl_record_t r = msg(1, 10000, "192.0.2.1", (uint16_t)(1000 + i % 7), (uint16_t)i, name);
		tl_match_add(m, &r);
		ok += r.latency_us == 10000 - i;
	}
	assert_int_equal(ok, 5000);
	tl_match_finish(m);
	assert_int_equal(tl_match_stats(m)->unanswered, 0);
	tl_match_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pairs_response_with_query),
		cmocka_unit_test(different_port_or_client_does_not_match),
		cmocka_unit_test(oldest_duplicate_query_wins_and_timeouts_count),
		cmocka_unit_test(cap_evicts_oldest_and_counts),
		cmocka_unit_test(many_queries_grow_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
