/* correlate.h - findings model of the event analysis: per-event calibrated standardised rate
 * ratios (indirect standardisation by local hour of week against the same regime within K
 * weeks of the window, dispersion from placebo windows, no single source deciding) with
 * one-sided (rise) p-values, corrected, and two-sided ones as a secondary, a permutation
 * test with each event shifted by its own whole number of weeks within its regime, and
 * exploratory bursts. */
#ifndef TL_MODEL_CORRELATE_H
#define TL_MODEL_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"

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

/* The event test's method; src/model/validation.h records the error rates measured for
 * it, and the test validation/calibrate fails when they are not this method's. */
#define TL_CORRELATE_METHOD_VERSION 2

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
	TL_CORRELATE_NO_BASELINE = 2, /* the expected count is 0: the reference holds no lookup
				       * at the window's hours of the week */
	TL_CORRELATE_SPANS_CHANGE = 3, /* the window spans a change of regime (a lifecycle
					* change or a change point): no reference is like it */
	TL_CORRELATE_FEW_REFERENCE = 4, /* the reference (same regime, within K weeks) holds
					 * less covered time than min_reference_weeks */
	TL_CORRELATE_NO_DISPERSION = 5, /* fewer than TL_CORRELATE_MIN_PLACEBOS placebo windows:
					 * the dispersion cannot be estimated */
};

#define TL_CORRELATE_MIN_PLACEBOS 5

/*
 * One test: lookups in a window against the count expected from its reference (the same
 * regime within K weeks of the window, outside all windows), standardised by local hour of
 * week. With r_h = reference lookups / reference
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
	/* The calibrated test (the verdict): */
	uint32_t regime;       /* index into the model's regimes; UINT32_MAX when the window
				* spans a change of regime */
	int64_t ref_start, ref_end; /* the reference range: the regime's time within K weeks
				     * of the window, before the windows are taken out of it */
	double ref_minutes;    /* covered reference time outside every window */
	uint64_t ref_lookups;  /* lookups in it */
	double expected_var;   /* Var(E) from the reference counts (delta method) */
	double dispersion;     /* phi used: the family's placebo estimate, at least 1 */
	double p_poisson;      /* one-sided p with E known and phi = 1: uncalibrated, shown for
				* comparison only, never the verdict */
	double rr_lo_sim, rr_hi_sim; /* the interval at level 1 - alpha / m (Bonferroni over
				      * the m testable tests of the family): simultaneous */
	/* No single source decides: the source with the largest excess in the window (its
	 * lookups there less its share of E from the reference) is left out of the window and
	 * of the reference, and the test made again. p, the p-value that is corrected and
	 * gives the verdict, is the larger of the two (an intersection-union test); the
	 * intervals above are of all lookups. */
	double p_all_sources;  /* the calibrated p with every source */
	double p_without_top;  /* the same without the top source; NaN when no source has an
				* excess (then p = p_all_sources) or its removal leaves the window
				* untestable (then p = 1: the rise rests on one source) */
	int has_top;           /* a top source was found */
	tl_addr_t top_addr;    /* its address */
	uint64_t top_lookups;  /* its lookups in the window */
	double top_excess;     /* its lookups there less its expected share */
} tl_correlate_test_t;

/* The target's time cut where the set of names looked up, their answers, or the rate of
 * lookups changed; a window is only compared with time of its own regime. */
typedef struct tl_correlate_regime {
	int64_t start, end;    /* [start, end), UTC us; the first starts at the span's start,
				* the last ends at its end */
	int start_kind;        /* 0: the span's start; else TL_CORRELATE_HINT_* */
	char *start_name;      /* the name of the lifecycle hint, NULL otherwise; owned */
	double start_p;        /* the change-point test's p for a change point; NaN otherwise */
	uint64_t lookups;      /* lookups in the regime outside every window */
	double covered_minutes; /* covered time in the regime outside every window */
	double rate_per_hour;  /* lookups / covered hours; NaN without covered time */
} tl_correlate_regime_t;

/* One change-point test (binary segmentation on weekly counts outside the windows). */
typedef struct tl_correlate_cptest {
	int64_t start, end;    /* the segment tested: whole weeks from its start */
	uint32_t weeks;        /* weeks with at least a day of coverage, tested */
	double statistic;      /* largest likelihood ratio of two rates against one */
	int64_t split;         /* start of the week where it splits; TL_TIME_NONE if none */
	double p;              /* permutation p (weeks in random order, seeded) */
	int found;             /* p < TL_CORRELATE_CP_ALPHA: split is a regime boundary */
} tl_correlate_cptest_t;

/* A family's dispersion, estimated from placebo windows: each event window moved by
 * whole weeks (+-1..K) within its regime, outside every event window, tested exactly as
 * an event window is. Under the model each standardised squared residual has mean phi. */
typedef struct tl_correlate_dispersion {
	uint32_t placebos;     /* placebo windows used */
	double phi_hat;        /* mean of (O - E)^2 / (E + Var(E)) over them; NaN when none */
	double phi;            /* used: max(1, phi_hat); NaN when too few placebos */
	double p_over;         /* P(chi2_J >= J phi_hat): small when the counts vary more than
				* Poisson allows; NaN when none */
	double mean_ratio;     /* mean O / E of the placebos (near 1 when the reference is
				* unbiased); NaN when none */
} tl_correlate_dispersion_t;

/* Sensitivity of the primary family's tests to the window width: each event's margins
 * (before and after; for an event given as a span without margins, its duration)
 * multiplied by factor, tested like the registered window; not corrected. */
#define TL_CORRELATE_SENS_FACTORS 2 /* 0.5 and 2 */
typedef struct tl_correlate_sens {
	double factor;
	int64_t win_start, win_end;
	tl_correlate_test_t test;
} tl_correlate_sens_t;

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
	int64_t cycle_start, cycle_end; /* its own cycle: its regime trimmed to whole weeks
					 * from the regime's start; TL_TIME_NONE when excluded */
	uint64_t cycle_weeks;
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
	TL_CORRELATE_PERM_SPANS_CHANGE = 6, /* the window spans a change of regime: excluded */
	TL_CORRELATE_PERM_SHORT_REGIME = 7, /* its regime holds no whole week: excluded */
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
 * overall and per hour-of-week stratum (local time of the family's zone; stratum h = 24 x
 * weekday + hour, Monday 0). Descriptive: the tests use their local references. */
typedef struct tl_correlate_baseline {
	uint32_t org;           /* UINT32_MAX for all lookups */
	uint64_t lookups;       /* outside every window */
	double covered_minutes; /* covered time outside every window */
	double rate_per_hour;   /* lookups / covered hours; NaN when covered_minutes is 0 */
	uint64_t stratum_lookups[TL_CORRELATE_STRATA]; /* lookups outside every window, by
							* the local hour of week of their time */
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
	tl_correlate_dispersion_t dispersion; /* its own tests' */
	char *strata_zone;      /* the zone of its hour-of-week strata (its own zone) */
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
	/* The calibrated test's settings as used, regimes and dispersion: */
	uint32_t reference_weeks, min_reference_weeks;
	tl_correlate_hint_t *hints;   /* the lifecycle hints given, by time; names owned */
	size_t n_hints;
	tl_correlate_regime_t *regimes; /* by time, covering the span */
	size_t n_regimes;
	tl_correlate_cptest_t *cptests; /* in the order they were made */
	size_t n_cptests;
	tl_correlate_dispersion_t dispersion; /* the primary family's */
	char *strata_zone;            /* the zone of the primary family's hour-of-week strata:
				       * that of the organisation with the most lookups (UTC
				       * when it has none); local time, daylight saving included */
	tl_correlate_sens_t *sens;    /* n_events x TL_CORRELATE_SENS_FACTORS, event-major */
} tl_correlate_model_t;

#endif
