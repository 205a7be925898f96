/* match.h - pairs DNS responses with their queries to measure latency.
 *
 * A response matches a pending query with the same client address and port,
 * server address and port, transport, message ID and question (name compared
 * without regard to ASCII case, RFC 4343; type; class). Each query answers at
 * most one response; the oldest pending match wins. Queries wait at most the
 * timeout (capture time) and the table holds at most max_pending queries; both
 * are counted when they end a wait. */
#ifndef TL_INPUT_MATCH_H
#define TL_INPUT_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "input/anomaly.h"
#include "input/record.h"

typedef struct tl_match tl_match_t;

typedef struct tl_match_stats {
	uint64_t matched;    /* responses paired with a query */
	uint64_t unanswered; /* queries that timed out, were evicted, or were pending at the end */
	uint64_t unmatched;  /* responses with no pending query */
} tl_match_stats_t;

/* an is borrowed (match_cap anomalies go there). Free with tl_match_free. */
tl_match_t *tl_match_new(size_t max_pending, int64_t timeout_us, tl_anomalies_t *an);

/* Offers a record: a query is remembered; a response that matches gets
 * r->latency_us and r->query_pos (the query's position) set. Records without a
 * question or without ports are ignored. */
void tl_match_add(tl_match_t *m, tl_record_t *r);

/* Ends matching: every pending query counts as unanswered. */
void tl_match_finish(tl_match_t *m);
const tl_match_stats_t *tl_match_stats(const tl_match_t *m);
void tl_match_free(tl_match_t *m);

#endif
