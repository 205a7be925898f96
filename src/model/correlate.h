/* correlate.h - findings model of the event analysis: per-event rate ratios with corrected
 * p-values, a permutation test of the whole event set, and exploratory bursts. */
#ifndef TL_MODEL_CORRELATE_H
#define TL_MODEL_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Units: counts uint64; times UTC microseconds (int64); exposures in covered minutes
 * (double: a window edge inside a covered minute counts the covered fraction); rates in
 * lookups per covered hour; p-values, shares, ratios double. An interval is lo/hi.
 * Every string in the model is owned by the model and freed by tl_correlate_model_free.
 */

/* Which correction of the per-event p-values is the primary one (both are reported);
 * the same values as TL_CORRECTION_* of analysis/case.h. */
enum {
	TL_CORRELATE_HOLM = 0,
	TL_CORRELATE_BH = 1,
};

/* Defaults of the settings the case file does not carry. */
#define TL_CORRELATE_CI_LEVEL 0.95       /* confidence of the rate-ratio intervals */
#define TL_CORRELATE_ORG_MIN_SHARE 0.05  /* organisations tested on their own */
#define TL_CORRELATE_DAY_MIN_COVER 0.5   /* days with less coverage leave the burst series */
#define TL_CORRELATE_BURST_Z 3.5         /* modified z above which a day is a burst */
#define TL_CORRELATE_EXACT_BELOW 20      /* fewer offsets than this: enumerate them all */
#define TL_CORRELATE_HIST_BINS 20

typedef struct tl_correlate_settings {
	double alpha;          /* significance level for the adjusted p-values, in (0, 1) */
	uint64_t permutations; /* random offsets drawn for the permutation test */
	uint64_t seed;         /* seed of the xoshiro256** generator (recorded) */
	int correction;        /* TL_CORRELATE_HOLM or TL_CORRELATE_BH: the primary one */
} tl_correlate_settings_t;

/* Why a test could not be made. */
enum {
	TL_CORRELATE_TESTABLE = 0,
	TL_CORRELATE_NO_COVERAGE = 1, /* the window holds no minute with data */
	TL_CORRELATE_NO_BASELINE = 2, /* no minute with data lies outside every window */
};

/* One rate-ratio test: lookups in a window against the baseline outside all windows. */
typedef struct tl_correlate_test {
	uint32_t event;        /* index into the model's events */
	uint32_t org;          /* index into ctx->orgs; UINT32_MAX for all lookups */
	int status;            /* TL_CORRELATE_TESTABLE, _NO_COVERAGE, _NO_BASELINE */
	uint64_t observed;     /* de-duplicated lookups inside the window */
	double expected;       /* baseline rate x covered minutes of the window */
	double rr, rr_lo, rr_hi; /* rate ratio and exact conditional interval (hi may be inf;
				  * rr NaN when observed and baseline are both 0) */
	double p;              /* exact conditional two-sided p for RR = 1 */
	double p_holm, p_bh;   /* adjusted across the testable tests of the family */
	int significant;       /* primary adjusted p < alpha */
} tl_correlate_test_t;

/* One event as tested; the window is [win_start, win_end). */
typedef struct tl_correlate_event {
	char *label;
	char *category;
	uint32_t line;          /* line in the events CSV */
	int64_t start, end;     /* end == start for a point event */
	int point;              /* the events file gave no end */
	int64_t win_start, win_end;
	double covered_minutes; /* covered time inside the window */
	int in_permutation;     /* 1: the window (clipped to the span) enters the permutation test */
} tl_correlate_event_t;

/* The baseline of one family: lookups outside every window over covered time outside. */
typedef struct tl_correlate_baseline {
	uint32_t org;           /* UINT32_MAX for all lookups */
	uint64_t lookups;       /* outside every window */
	double covered_minutes; /* covered time outside every window */
	double rate_per_hour;   /* lookups / covered hours; NaN when covered_minutes is 0 */
} tl_correlate_baseline_t;

/* Permutation test of the whole event set. */
typedef struct tl_correlate_perm {
	int done;               /* 0 when it could not be made (no event in the span) */
	uint32_t n_events;      /* events in the test */
	uint64_t in_lookups;    /* observed lookups inside the union of windows */
	double in_minutes;      /* covered minutes inside the union */
	double in_rate;         /* lookups per covered hour inside: the statistic */
	double out_rate;        /* lookups per covered hour outside the union */
	int64_t min_weeks, max_weeks; /* offsets allowed, in weeks (0 is the observed set) */
	uint64_t n_offsets;     /* allowed offsets whose union has covered time */
	int exact;              /* 1: every allowed offset enumerated (n_offsets < 20) */
	uint64_t n;             /* permutations drawn (exact: n_offsets) */
	uint64_t seed;
	uint64_t n_ge;          /* null statistics >= observed */
	double p;               /* exact: n_ge / n_offsets; else (1 + n_ge) / (1 + n) */
	double p_min;           /* smallest p this design can give: 1/n_offsets or 1/(1 + n) */
	double null_mean, null_q025, null_q975, null_min, null_max;
	uint64_t hist[TL_CORRELATE_HIST_BINS]; /* null counts in 20 equal bins [min, max]; the
						* last bin is closed; min = max: all in bin 0 */
} tl_correlate_perm_t;

/* A day of the daily series that stands out (exploratory). */
typedef struct tl_correlate_burst {
	int64_t day;            /* UTC microseconds of 00:00 of the day */
	uint64_t count;         /* de-duplicated lookups that day */
	double coverage;        /* share of the day with data */
	double z;               /* modified z-score */
	uint32_t nearest;       /* index into events; UINT32_MAX when there are no events */
	int64_t distance_days;  /* day minus the UTC day of the nearest event's start */
	int inside_window;      /* the day overlaps the nearest event's window */
} tl_correlate_burst_t;

typedef struct tl_correlate_bursts {
	uint64_t days_total;    /* UTC days touched by the span */
	uint64_t days_used;     /* of them with coverage >= TL_CORRELATE_DAY_MIN_COVER */
	double median, mad, meanad;
	int scale;              /* TL_STATS_SCALE_* used */
	tl_correlate_burst_t *items; /* by day */
	size_t n;
} tl_correlate_bursts_t;

/* An organisation tested on its own (secondary family). */
typedef struct tl_correlate_org {
	uint32_t org;           /* index into ctx->orgs */
	char *name;
	uint64_t lookups;       /* its de-duplicated lookups */
	double share;           /* of all de-duplicated lookups */
	tl_correlate_baseline_t baseline;
} tl_correlate_org_t;

typedef struct tl_correlate_model {
	tl_correlate_settings_t settings;
	double ci_level;
	uint64_t lookups;             /* de-duplicated lookups used */
	double covered_minutes;       /* covered time in the span */
	tl_correlate_event_t *events; /* in input order */
	size_t n_events;
	size_t n_testable;            /* tests with status TESTABLE in the primary family */
	tl_correlate_baseline_t baseline;
	tl_correlate_test_t *tests;   /* primary family: one per event, same order */
	/* Secondary family: each organisation with share >= TL_CORRELATE_ORG_MIN_SHARE of the
	 * de-duplicated lookups, by count descending then index; tests are (org, event) in
	 * that order; corrected across all testable pairs of this family together. */
	tl_correlate_org_t *orgs;
	size_t n_orgs;
	tl_correlate_test_t *org_tests; /* n_orgs * n_events */
	size_t n_org_tests;
	size_t n_org_testable;
	tl_correlate_perm_t perm;
	tl_correlate_bursts_t bursts;
} tl_correlate_model_t;

/* Frees what the model owns and zeroes it; accepts NULL and a zeroed model. */
void tl_correlate_model_free(tl_correlate_model_t *m);

/* Writes the model as one JSON object (src/render/json_correlate.c; schema in
 * docs/findings/correlate.md). */
struct tl_json;
void tl_json_correlate(struct tl_json *j, const tl_correlate_model_t *m);

#endif
