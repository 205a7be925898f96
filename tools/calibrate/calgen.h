/* calgen.h - simulated cases with known truth for the calibration of the event test: a
 * synthetic analysis context (resolvers behind caches, office hours in local time with
 * daylight saving, sessions, retries, renames, trends, bursts, outages) and its events. */
#ifndef TL_CALGEN_H
#define TL_CALGEN_H

#include <stddef.h>
#include <stdint.h>

#include "model/context.h"
#include "analysis/correlate.h"
#include "case/events.h"

#define CAL_EVENTS 8      /* pre-registered events per case */
#define CAL_EFFECTS 3     /* events with an effect in an effect scenario */
#define CAL_MAX_SENSORS 2

/* Scenario knobs (docs/validation.md says what each one simulates and why). */
typedef struct cal_knobs {
	int sessions;    /* demand in sessions, retransmissions, refreshing resolvers */
	int rename;      /* 0: the name stays live; 1: renamed at T, hint passed; 2: renamed,
			  * no hint */
	int trend;       /* demand rises 50-100 % over the span */
	int bursts;      /* one-off bursts of lookups at random times */
	int gaps;        /* sensor outages */
	int two_sensors; /* two authoritative sensors with their own outages and overlap */
	int effects;     /* CAL_EFFECTS of the events multiply demand by 1.5, 2 and 3 */
	double effect_scale; /* 0: the multipliers above; else every effect is this one
			      * (the unit test's strong effect) */
} cal_knobs_t;

/* One simulated case. Everything is owned by the case; free with cal_case_free. */
typedef struct cal_case {
	tl_ctx_t ctx;
	tl_ctx_sensor_t sensors[CAL_MAX_SENSORS];
	tl_ctx_input_t inputs[CAL_MAX_SENSORS];
	tl_event_t events[CAL_EVENTS]; /* sorted by start */
	double effect[CAL_EVENTS];     /* demand multiplier in the window; 1 = no effect */
	tl_correlate_hint_t hint;
	size_t n_hints;                /* 1 when a hint is passed */
	int64_t rename_ts;             /* T, or TL_TIME_NONE */
	uint64_t n_demands;            /* demand before the caches (for the record) */
	uint64_t n_bursts;
} cal_case_t;

/* A time zone with its daylight-saving rule, computed without tzdata. */
enum { CAL_DST_NONE = 0, CAL_DST_US = 1, CAL_DST_EU = 2 };

typedef struct cal_zone {
	const char *name; /* IANA name */
	int64_t std_offset_s;
	int rule;
} cal_zone_t;

extern const cal_zone_t cal_zones[];
extern const size_t cal_n_zones;

/* Local minus UTC in seconds at UTC microseconds us (US rule of 2007, EU rule of 1996). */
int64_t cal_utc_offset(const cal_zone_t *z, int64_t us);

/* Builds case *c from seed and knobs; deterministic (xoshiro256** from seed only). */
void cal_generate(const cal_knobs_t *k, uint64_t seed, cal_case_t *c);

/* Frees what the case owns and zeroes it; accepts a zeroed case. */
void cal_case_free(cal_case_t *c);

/* What one scenario's cases came to. An event counts as null when its effect is 1. */
typedef struct cal_tally {
	uint64_t cases;
	uint64_t lookups;          /* de-duplicated lookups, summed over the cases */
	uint64_t fwer_hits;        /* cases with a null event significant (primary family) */
	uint64_t org_hits;         /* cases with an (organisation, null event) significant */
	uint64_t perm_cases;       /* cases with every event null and the permutation test made */
	uint64_t perm_rejects;     /* of them with perm.p < alpha */
	uint64_t null_tests, null_sig; /* testable null tests of the primary family, significant */
	double null_rr_sum;        /* sum of their rate ratios */
	uint64_t events, untestable; /* events of the primary family, of them not testable */
	uint64_t eff_n[CAL_EFFECTS], eff_hit[CAL_EFFECTS]; /* by effect 1.5x, 2x, 3x */
} cal_tally_t;

/* Adds one case's truth and the model tl_correlate_run made of it to *t. */
void cal_tally_add(cal_tally_t *t, const cal_case_t *c, const tl_correlate_model_t *m,
		   double alpha);

#endif
