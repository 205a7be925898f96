/* quality.h - findings model for integrity and quality of the evidence: coverage,
 * gaps, timestamp order and resolution, duplicates, clock offsets, drops,
 * truncation, malformed data, unanswered queries. Plain structs, read-only for
 * renderers. Times are UTC microseconds (input offset applied); TL_TIME_NONE: none. */
#ifndef TL_MODEL_QUALITY_H
#define TL_MODEL_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "input/anomaly.h"

/* Where coverage, or a gap, comes from, strongest first (docs/findings/quality.md):
 * the operator's declaration in the case file, the capture's own statistics (pcapng
 * ISB start and end times), the capture files' first and last packets, and last the
 * silence of the sensor's traffic. The names are what the findings print. */
#define TL_QUALITY_SRC_DECLARED "declared"
#define TL_QUALITY_SRC_STATISTICS "capture statistics"
#define TL_QUALITY_SRC_BOUNDARIES "file boundaries"
#define TL_QUALITY_SRC_SILENCE "silence"

/* A stretch of time the sensor (or, overall, every sensor) did not record: from start
 * to end. A gap of silence runs from the last record before it to the first after it;
 * one from a statement runs where the statement says recording stopped and resumed.
 * The same struct holds a quiet period: time recorded without any record in it. */
typedef struct tl_quality_gap {
	int64_t start, end;
	int64_t duration_us;
	int at_edge;        /* 1: before the sensor's first or after its last covered time */
	const char *source; /* TL_QUALITY_SRC_*: what says nothing was recorded (static) */
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
	const char *recorded_source; /* TL_QUALITY_SRC_*: the strongest statement of when it
				      * recorded (declared, ISB periods, its first and last
				      * packet), "silence" when it states nothing (static) */
	tl_quality_anomaly_t *anomalies; /* kinds with count > 0, in kind order; owned */
	size_t n_anomalies;
} tl_quality_input_t;

typedef struct tl_quality_sensor {
	const char *name;        /* borrowed */
	int64_t first_ts, last_ts; /* first and last record */
	const char *source;       /* TL_QUALITY_SRC_*: what its coverage rests on: the weakest
				   * statement among its inputs, or "silence" when a silence
				   * longer than the threshold was taken out of stated time or
				   * nothing is stated (static) */
	const char *recorded_source; /* the weakest statement among its inputs ("silence":
				      * none) */
	uint64_t minutes_covered; /* minutes of the span whose start lies in the sensor's
				   * covered time (see docs/findings/quality.md, Coverage) */
	double coverage;          /* minutes_covered / span minutes, 0..1 */
	uint64_t minutes_other;   /* the same under the other coverage (silences the other
				   * way round; equal when nothing differs) */
	tl_quality_gap_t *gaps;   /* by start; at most max_gaps listed; owned */
	size_t n_gaps;
	uint64_t gaps_total;      /* including those not listed */
	int64_t gap_time_us;      /* sum of all gap durations */
	tl_quality_gap_t *quiet;  /* quiet periods: recorded time without a record for longer
				   * than the threshold; not gaps; by start, at most max_gaps */
	size_t n_quiet;
	uint64_t quiet_total;
	int64_t quiet_time_us;
} tl_quality_sensor_t;

/* One event tested under both coverages: the primary one and the other (see
 * tl_quality_other_t). rr and p are the event test's rate ratio and verdict p
 * (NaN when not testable); significant is its corrected verdict. */
typedef struct tl_quality_other_event {
	const char *label;       /* borrowed from the event findings */
	int testable, testable_other;
	double rr, rr_other;
	double p, p_other;
	int significant, significant_other;
} tl_quality_other_event_t;

/* The other coverage's rule, one for all sensors (tl_quality_other_t.rule). */
#define TL_QUALITY_OTHER_RECORDED "silences as recorded time"
#define TL_QUALITY_OTHER_SILENCE "silences as gaps"

/* The event analysis made a second time with the other coverage. When some sensor's
 * primary coverage took a silence longer than the threshold out of the time it states
 * it recorded, the other coverage takes every sensor's statements at their word
 * (TL_QUALITY_OTHER_RECORDED); else it counts every silence inside stated time as a gap
 * (TL_QUALITY_OTHER_SILENCE: a declaration's quiet periods become gaps). Made when some
 * sensor's two coverages differ and there are events. */
typedef struct tl_quality_other {
	const char *rule;        /* TL_QUALITY_OTHER_* (static) */
	int differs;             /* some sensor's other coverage differs from its primary */
	int made;                /* the events were tested again with it */
	uint64_t minutes_covered; /* overall (union) under the other coverage */
	double coverage;
	tl_quality_other_event_t *events; /* in event order; owned */
	size_t n_events;
	size_t verdicts_changed; /* events whose significance or testability differs */
	size_t largest_change;   /* the event whose rate ratio changes most (both testable),
				  * SIZE_MAX when none changes */
} tl_quality_other_t;

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
	tl_quality_gap_t *gaps;       /* overall: no sensor recorded (every minute start not
				       * covered by some sensor lies in one), each with the
				       * weakest source among the sensors there */
	size_t n_gaps;
	uint64_t gaps_total;
	int64_t gap_time_us;
	tl_quality_gap_t *quiet;      /* overall quiet periods: covered, yet no sensor has a
				       * record for longer than the threshold */
	size_t n_quiet;
	uint64_t quiet_total;
	int64_t quiet_time_us;
	tl_quality_other_t other;     /* the other coverage and the events under it */
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

#endif
