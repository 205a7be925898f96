/* lookups.h - what de-duplicating the target's sightings found: how many were removed
 * and why, the clock offsets between sensors, the rcodes of the responses. Filled by
 * tl_lookups_build (src/analysis/lookups.h). */
#ifndef TL_MODEL_LOOKUPS_H
#define TL_MODEL_LOOKUPS_H

#include <stddef.h>
#include <stdint.h>

/* Pairwise clock offsets between sensors, estimated from sightings of the same
 * query (same source, ID, source port, name and type) at both. */
typedef struct tl_offset_est {
	uint32_t sensor_a, sensor_b; /* a < b */
	uint64_t pairs;
	double median_s;             /* b's clock minus a's, seconds */
	double mad_s;
} tl_offset_est_t;

/* rcodes counted one by one; the last slot holds every larger (extended) rcode */
#define TL_RCODE_SLOTS 24

typedef struct tl_dedup_stats {
	uint64_t sightings;  /* before de-duplication */
	uint64_t unique;     /* lookups after */
	uint64_t removed;    /* sightings - unique */
	uint64_t removed_by_id; /* the same query (same ID and source port) seen twice */
	uint64_t removed_as_retry; /* another ID, same fingerprint: a retry at another server */
	tl_offset_est_t *offsets; /* owned; one per sensor pair with pairs > 0 */
	/* responses to target names in the evidence, by rcode (raw records: a response
	 * seen by two sensors counts twice); slot TL_RCODE_SLOTS - 1: that rcode or larger */
	uint64_t response_rcodes[TL_RCODE_SLOTS];
	size_t n_offsets;
} tl_dedup_stats_t;

#endif
