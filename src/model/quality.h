/* quality.h - findings model for integrity and quality of the evidence: coverage,
 * gaps, timestamp order and resolution, duplicates, clock offsets, drops,
 * truncation, malformed data, unanswered queries. Plain structs, read-only for
 * renderers. Times are UTC microseconds (input offset applied); TL_TIME_NONE: none. */
#ifndef TL_MODEL_QUALITY_H
#define TL_MODEL_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "input/anomaly.h"

/* No data from start (the last record before it, or the span start) to end
 * (the first record after it, or the span end). */
typedef struct tl_quality_gap {
	int64_t start, end;
	int64_t duration_us;
	int at_edge; /* 1: before the sensor's first or after its last record */
} tl_quality_gap_t;

typedef struct tl_quality_anomaly {
	const char *kind;                 /* tl_anomaly_name(); static */
	uint64_t count;
	uint64_t first[TL_AN_FIRST_MAX];  /* positions (frame or line) of the first few */
	size_t n_first;
} tl_quality_anomaly_t;

typedef struct tl_quality_input {
	const char *label;       /* borrowed from the context */
	uint32_t sensor;
	uint64_t records;        /* DNS messages seen by the collector */
	int64_t first_ts, last_ts;
	int64_t resolution_us;   /* 1000000, 1000 or 1; 0 with no records */
	uint64_t order_regressions; /* records earlier than the latest before them */
	uint64_t queries, responses;
	uint64_t truncated;      /* responses with TC set */
	uint64_t unanswered, unmatched; /* reader's matching (info.stats) */
	uint64_t if_drops, os_drops;
	int if_drops_known, os_drops_known;
	uint64_t malformed;      /* all anomalies of the input */
	tl_quality_anomaly_t *anomalies; /* kinds with count > 0, in kind order; owned */
	size_t n_anomalies;
} tl_quality_input_t;

typedef struct tl_quality_sensor {
	const char *name;        /* borrowed */
	int64_t first_ts, last_ts;
	uint64_t minutes_covered; /* minutes of the span whose start lies in the sensor's
				   * covered time: from its first to its last record,
				   * less the inside of its gaps (longer than the threshold) */
	double coverage;          /* minutes_covered / span minutes, 0..1 */
	tl_quality_gap_t *gaps;   /* by start; at most max_gaps listed; owned */
	size_t n_gaps;
	uint64_t gaps_total;      /* including those not listed */
	int64_t gap_time_us;      /* sum of all gap durations */
} tl_quality_sensor_t;

/* Clock offset between two sensors, from lookups both saw (the engine's de-duplication). */
typedef struct tl_quality_offset {
	uint32_t sensor_a, sensor_b;
	uint64_t pairs;
	int64_t median_us;  /* time at b minus time at a */
	int64_t mad_us;
} tl_quality_offset_t;

typedef struct tl_quality_dup_pair {
	uint32_t sensor_kept, sensor_dup; /* kept sighting's sensor, removed one's */
	uint64_t count;
} tl_quality_dup_pair_t;

typedef struct tl_quality_model {
	int64_t gap_threshold_us;
	int64_t span_start, span_end; /* minute-aligned [start, end) of all data */
	uint64_t span_minutes;
	tl_quality_input_t *inputs;   /* canonical input order */
	size_t n_inputs;
	tl_quality_sensor_t *sensors; /* ctx sensor order */
	size_t n_sensors;
	uint64_t minutes_covered;     /* overall: span minutes covered by at least one sensor
				       * (union of the sensors' minute bitmaps) */
	double coverage;              /* minutes_covered / span_minutes, 0..1 */
	tl_quality_gap_t *gaps;       /* overall: no sensor has data */
	size_t n_gaps;
	uint64_t gaps_total;
	int64_t gap_time_us;
	/* totals over inputs */
	uint64_t records, truncated, unanswered, unmatched, malformed;
	uint64_t if_drops, os_drops;
	int if_drops_known, os_drops_known; /* some input recorded it */
	uint64_t anomaly_count[TL_AN__COUNT];
	/* de-duplication of the target's lookups */
	uint64_t sightings, unique, duplicates;
	tl_quality_dup_pair_t *dup_pairs; /* by (kept, dup) */
	size_t n_dup_pairs;
	tl_quality_offset_t *offsets;     /* as given to finish; owned copy */
	size_t n_offsets;
} tl_quality_model_t;

/* Frees what the model owns (not the struct); accepts NULL. */
void tl_quality_model_free(tl_quality_model_t *m);

/* Writes the model as one JSON object (src/render/json_quality.c; docs/findings/quality.md). */
struct tl_json;
void tl_json_quality(struct tl_json *j, const tl_quality_model_t *m);

#endif
