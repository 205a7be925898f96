/* stats.h - the statistical vocabulary the findings record: an interval estimate and how
 * robust z-scores were scaled. The methods that compute them are in
 * src/analysis/stats/stats.h. */
#ifndef TL_MODEL_STATS_H
#define TL_MODEL_STATS_H

/* An interval estimate. */
typedef struct {
	double est;	/* point estimate (k/n, rate ratio, ...); NaN when undefined */
	double lo;	/* lower bound */
	double hi;	/* upper bound (may be +INFINITY for a rate ratio) */
	int undefined;	/* 1 when the data carry no information (n = 0, a = b = 0): the
			 * interval is then the whole parameter space and est is NaN */
} tl_interval_t;

/* How the robust z-scores were scaled. */
enum {
	TL_STATS_SCALE_MAD = 0,	   /* MAD > 0: M = 0.6745 (x - median) / MAD */
	TL_STATS_SCALE_MEANAD = 1, /* MAD = 0: M = (x - median) / (1.2533 * MeanAD) */
	TL_STATS_SCALE_NONE = 2,   /* every value equals the median: all M = 0 */
};

#endif
