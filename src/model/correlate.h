/* correlate.h - findings model of the event analysis: per-event standardised rate ratios
 * (indirect standardisation by hour of week, UTC) with one-sided (rise) p-values, corrected,
 * and two-sided ones as a secondary, a permutation test with each event shifted by its own
 * whole number of weeks, and exploratory bursts. */
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
#define TL_CORRELATE_EXACT_BELOW 10000   /* fewer arrangements than this: enumerate them all */
#define TL_CORRELATE_HIST_BINS 20
#define TL_CORRELATE_STRATA 168          /* hours of the week, UTC: 0 = Monday 00:00-01:00 */

#define TL_CORRELATE_REFERENCE_WEEKS 4  /* default: reference weeks on each side of a window */
#define TL_CORRELATE_MIN_REFERENCE_WEEKS 2 /* default: covered reference time a test needs */
#define TL_CORRELATE_CP_ALPHA 0.05      /* level of the change-point test on weekly counts */
#define TL_CORRELATE_CP_PERMUTATIONS 999 /* week orders drawn for the change-point test */
#define TL_CORRELATE_CP_MIN_WEEKS 3     /* weeks a regime found by the test holds at least */
#define TL_CORRELATE_MAX_REGIMES 16

/* What the names finding says about the target's lifecycle: a time at which the set of
 * target names being looked up, or their answers, changed. The event test never takes a
 * reference across one (docs/statistics.md, "Regimes"). */
enum {
	TL_CORRELATE_HINT_STOPPED = 1,   /* a target name's first NXDOMAIN/SERVFAIL after its
					  * last successful answer */
	TL_CORRELATE_HINT_SUCCESSOR = 2, /* a successor name first answered with a target
					  * name's address */
	TL_CORRELATE_HINT_CHANGEPOINT = 3, /* found by the change-point test (never an input) */
};

typedef struct tl_correlate_hint {
	int64_t ts;       /* UTC microseconds */
	int kind;         /* TL_CORRELATE_HINT_STOPPED or _SUCCESSOR */
	const char *name; /* the name that stopped or the successor (borrowed; copied) */
} tl_correlate_hint_t;

typedef struct tl_correlate_settings {
	double alpha;          /* significance level for the adjusted p-values, in (0, 1) */
	uint64_t permutations; /* random arrangements drawn for the permutation test */
	uint64_t seed;         /* seed of the xoshiro256** generator (recorded) */
	int correction;        /* TL_CORRELATE_HOLM or TL_CORRELATE_BH: the primary one */
	uint32_t reference_weeks;     /* K: the reference of a window is the same regime's
				       * covered time within K weeks before and after it;
				       * 0 = TL_CORRELATE_REFERENCE_WEEKS */
	uint32_t min_reference_weeks; /* a window whose reference holds less covered time
				       * than this many weeks is not testable;
				       * 0 = TL_CORRELATE_MIN_REFERENCE_WEEKS */
	const tl_correlate_hint_t *hints; /* lifecycle changes from the names finding
					   * (borrowed; the model keeps a copy) */
	size_t n_hints;
} tl_correlate_settings_t;

/* Why a test could not be made. */
enum {
	TL_CORRELATE_TESTABLE = 0,
	TL_CORRELATE_NO_COVERAGE = 1, /* the window holds no minute with data */
	TL_CORRELATE_NO_BASELINE = 2, /* the expected count is 0: no minute with data lies outside
				       * every window, or the baseline holds no lookup at the
				       * window's hours of the week */
};

/*
 * One test: lookups in a window against the count expected from the baseline outside all
 * windows, standardised by hour of week (UTC). With r_h = baseline lookups / baseline
 * covered time in hour-of-week stratum h (the family's overall baseline rate when the
 * stratum has no covered time outside the windows), expected E = sum_h r_h x covered time
 * of the window in h, and SRR = observed / E. E is treated as known.
 */
typedef struct tl_correlate_test {
	uint32_t event;        /* index into the model's events */
	uint32_t org;          /* index into ctx->orgs; UINT32_MAX for all lookups */
	int status;            /* TL_CORRELATE_TESTABLE, _NO_COVERAGE, _NO_BASELINE */
	uint64_t observed;     /* de-duplicated lookups inside the window */
	double expected;       /* E (NaN when not testable) */
	double rr, rr_lo, rr_hi; /* SRR = observed / E and the Garwood exact interval for the
				  * observed count divided by E (NaN when not testable) */
	double p;              /* primary: one-sided p for H0 SRR <= 1 against H1 SRR > 1 (the
				* pre-registered rise): P(X >= observed), X ~ Poisson(E) */
	double p_two_sided;    /* secondary: twice the smaller Poisson(E) tail, capped at 1;
				* shows a decrease, which is not evidence for the claim */
	double p_holm, p_bh;   /* p (one-sided) adjusted across the testable tests of the family */
	int significant;       /* primary adjusted (one-sided) p < alpha: a significant rise */
	uint64_t baseline_lookups; /* baseline lookups in the strata where the window has
				    * covered time (the counts E rests on) */
	double expected_rse;   /* relative standard error of E from the baseline counts
				* (delta method, Poisson counts): ignored by the test, shown so
				* that a reader can judge it; NaN when not testable */
	uint32_t fallback_strata;  /* strata of the window whose rate fell back to the overall
				    * baseline rate (no covered time outside the windows) */
	double fallback_minutes;   /* covered minutes of the window in those strata */
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
	int in_permutation;     /* 1: the window (clipped to the cycle) enters the permutation test */
	int perm_status;        /* TL_CORRELATE_PERM_* below: whole, clipped or excluded */
	int64_t perm_start, perm_end; /* the window clipped to the cycle; TL_TIME_NONE
				       * (INT64_MIN) when excluded */
} tl_correlate_event_t;

/* How an event's window enters the permutation test. */
enum {
	TL_CORRELATE_PERM_WHOLE = 0,        /* wholly inside the cycle */
	TL_CORRELATE_PERM_CLIPPED = 1,      /* partly inside: clipped to the cycle */
	TL_CORRELATE_PERM_OUTSIDE_SPAN = 2, /* wholly outside the data span: excluded */
	TL_CORRELATE_PERM_OUTSIDE_CYCLE = 3, /* inside the span but wholly in the remainder after
					      * the last whole week: excluded */
	TL_CORRELATE_PERM_NO_CYCLE = 4,     /* the span holds no whole week: no test */
	TL_CORRELATE_PERM_EMPTY = 5,        /* the window has no length: excluded */
};

/* Why the permutation test was not made (perm.reason). */
enum {
	TL_CORRELATE_PERM_DONE = 0,
	TL_CORRELATE_PERM_SHORT_SPAN = 1,  /* the data span is shorter than one week */
	TL_CORRELATE_PERM_NO_EVENT = 2,    /* no event window meets the cycle */
	TL_CORRELATE_PERM_NO_COVERED = 3,  /* the observed union has no covered time */
	TL_CORRELATE_PERM_NO_DRAWS = 4,    /* too many arrangements to enumerate, permutations 0 */
};

/* The baseline of one family: lookups outside every window over covered time outside,
 * overall and per hour-of-week stratum (UTC; stratum h = 24 x weekday + hour, Monday 0). */
typedef struct tl_correlate_baseline {
	uint32_t org;           /* UINT32_MAX for all lookups */
	uint64_t lookups;       /* outside every window */
	double covered_minutes; /* covered time outside every window */
	double rate_per_hour;   /* lookups / covered hours; NaN when covered_minutes is 0 */
	uint64_t stratum_lookups[TL_CORRELATE_STRATA]; /* lookups outside every window, by
							* the UTC hour of week of their time */
	double stratum_minutes[TL_CORRELATE_STRATA];   /* covered minutes outside every window
							* in each stratum (the same in every
							* family) */
} tl_correlate_baseline_t;

/*
 * Permutation test. The cycle is the data span trimmed to a whole number of weeks from
 * its start: [cycle_start, cycle_end), cycle_end = cycle_start + weeks x 7 days; the
 * remainder [cycle_end, span_end) is outside the test. Each used event's window (clipped
 * to the cycle) is shifted by its own k x 7 days, k uniform in 0..weeks-1, independently
 * of the other events, and mapped into the cycle modulo its length (a window that runs
 * past cycle_end continues at cycle_start). Statistic: lookups per covered hour inside
 * the union of the (shifted) windows. An arrangement whose union has no covered time has
 * no statistic and is left out (n_undefined).
 */
typedef struct tl_correlate_perm {
	int done;               /* 1: the test was made; else reason says why not */
	int reason;             /* TL_CORRELATE_PERM_DONE, _SHORT_SPAN, ... */
	int64_t cycle_start, cycle_end; /* UTC us; TL_TIME_NONE when weeks is 0 */
	int64_t span_end;       /* end of the data span: [cycle_end, span_end) is left out */
	uint64_t weeks;         /* whole weeks in the cycle */
	uint32_t n_events;      /* events used (whole or clipped) */
	uint32_t n_clipped;     /* of them clipped to the cycle */
	uint32_t n_excluded;    /* events left out (outside the span or the cycle) */
	uint64_t in_lookups;    /* observed lookups inside the union of the clipped windows */
	double in_minutes;      /* covered minutes inside the union */
	double in_rate;         /* lookups per covered hour inside: the statistic */
	double out_rate;        /* lookups per covered hour in the cycle outside the union */
	uint64_t arrangements;  /* weeks ^ n_events; 0 when that exceeds UINT64_MAX */
	double log10_arrangements; /* log10(weeks ^ n_events) */
	int exact;              /* 1: every arrangement enumerated (arrangements < EXACT_BELOW) */
	uint64_t n;             /* statistics in the null: exact, arrangements with covered
				 * time (the observed one included); else the N draws with
				 * covered time */
	uint64_t n_undefined;   /* arrangements or draws left out: no covered time */
	uint64_t seed;
	uint64_t n_ge;          /* null statistics >= observed */
	double p;               /* exact: n_ge / n; else (1 + n_ge) / (1 + n) (Phipson-Smyth) */
	double p_min;           /* smallest p this design can give: 1/n or 1/(1 + n) */
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
	uint32_t strata_fallback;     /* hour-of-week strata without covered time outside the
				       * windows: their rate is the family's overall baseline rate */
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
