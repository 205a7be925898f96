/* stats.h - the statistics behind the findings: intervals, shares, exact tests, corrections. */
#ifndef TL_ANALYSIS_STATS_STATS_H
#define TL_ANALYSIS_STATS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "model/stats.h"

/*
 * Every function here is pure and deterministic: same arguments, same bits, on every
 * platform with IEEE 754 doubles and a correctly behaving libm (log, exp, erfc, lgamma).
 * None keeps state. Functions that must sort copy their input into memory obtained with
 * tl_xmalloc and free it before returning; nothing returned is owned by the caller
 * beyond the output arrays and structs the caller passed in.
 * Functions returning int return TL_OK or TL_EINVAL (bad argument); on TL_EINVAL the
 * outputs are left untouched. The methods, their assumptions and their literature are
 * in docs/statistics.md.
 */


/* ---- normal distribution ---- */

/* Standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2. */
double tl_stats_norm_cdf(double x);

/* Inverse standard normal CDF: the z with Phi(z) = p. Acklam's rational approximation
 * refined by one Halley step on erfc (relative error near 1e-15 in practice).
 * p = 0 gives -INFINITY, p = 1 +INFINITY; p outside [0, 1] or NaN gives NaN. */
double tl_stats_norm_quantile(double p);

/* ---- binomial proportion ---- */

/* Wilson score interval for the proportion k/n at confidence 1 - alpha (two-sided,
 * z = norm_quantile(1 - alpha/2)). n = 0 gives [0, 1] with undefined = 1.
 * TL_EINVAL when k > n or alpha not in (0, 1). */
int tl_stats_wilson(uint64_t k, uint64_t n, double alpha, tl_interval_t *out);

/* The Wilson formula for a proportion p = k/n estimated from clustered data: n_eff = n/deff
 * (deff the design effect, floored at 1 here) and k_eff = p n_eff in place of k and n
 * (Kish 1965; Korn & Graubard 1998; docs/statistics.md, "Design effect"). The bounds are
 * exactly 0 when k = 0 and 1 when k = n; deff = 1 gives tl_stats_wilson's interval. n = 0
 * gives [0, 1] with undefined = 1. TL_EINVAL when k > n, deff is NaN, or alpha is bad. */
int tl_stats_wilson_deff(uint64_t k, uint64_t n, double deff, double alpha, tl_interval_t *out);

/* The design effect of the ratio estimator p = sum k_d / sum n_d over D clusters, given
 * S = sum_d (k_d - p n_d)^2: deff = [D/(D-1) S / n^2] / [p(1-p)/n], the variance with
 * clusters as the independent units over the variance of independent trials (Cochran
 * 1977, 6.9; Kish 1965, 8.2). Returns 1 when it is not defined (D < 2, n = 0, p = 0 or
 * 1) and never less than 1 (a value below 1 is sampling noise, not a gain). */
double tl_stats_ratio_deff(uint64_t k, uint64_t n, uint64_t clusters, double sum_sq_resid);

/* Clopper-Pearson ("exact") interval for k/n at confidence 1 - alpha: lo solves
 * P(X >= k | lo) = alpha/2 (lo = 0 when k = 0), hi solves P(X <= k | hi) = alpha/2
 * (hi = 1 when k = n), found by bisection on the exact binomial tails to about 1e-15
 * relative. n = 0 gives [0, 1] with undefined = 1. TL_EINVAL as for Wilson. */
int tl_stats_clopper_pearson(uint64_t k, uint64_t n, double alpha, tl_interval_t *out);

/* ---- binomial distribution (X ~ Binomial(n, p)) ---- */

/* P(X = k), by Loader's saddle-point expansion (no cancellation of large lgamma values),
 * accurate to about 1e-14 relative for any n up to 2^53. Returns 0 for k > n, NaN for
 * p outside [0, 1]. */
double tl_stats_binom_pmf(uint64_t k, uint64_t n, double p);

/* P(X <= k) and P(X >= k). The tail that lies away from the mode is summed term by term
 * until the remainder is provably below 1e-17 of the sum; the other tail is 1 minus the
 * complement. So small tail probabilities keep their relative accuracy. NaN for p outside
 * [0, 1]. P(X >= 0) = 1, P(X <= k) = 1 for k >= n, P(X >= k) = 0 for k > n. */
double tl_stats_binom_cdf(uint64_t k, uint64_t n, double p);
double tl_stats_binom_sf(uint64_t k, uint64_t n, double p);

/* Regularised incomplete beta I_x(a, b) for a, b > 0, x in [0, 1], by Lentz's modified
 * continued fraction (with the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) for convergence).
 * The prefactor uses lgamma, so for a, b in the millions the relative error grows to
 * about 1e-9; the binomial functions above do not use it. NaN on bad arguments. */
double tl_stats_betainc(double a, double b, double x);

/* ---- Poisson rate ratio ---- */

typedef struct {
	tl_interval_t rr; /* RR = (a/ta) / (b/tb) and its exact conditional interval */
	double p_value;	  /* exact conditional two-sided p-value for RR = 1 (doubled
			   * smaller tail, capped at 1); 1 when a = b = 0 */
} tl_rate_ratio_t;

/* Compares a events in exposure ta with b events in exposure tb. Conditional on a + b,
 * a ~ Binomial(a + b, pi) with pi = ta*RR / (ta*RR + tb); the interval is the
 * Clopper-Pearson interval for pi mapped to RR = pi/(1-pi) * tb/ta. a = 0 gives
 * est = lo = 0; b = 0 gives est = hi = +INFINITY; a = b = 0 gives est NaN, [0, +INF],
 * undefined = 1, p = 1. TL_EINVAL when ta or tb is not finite and > 0, or alpha not in
 * (0, 1). */
int tl_stats_rate_ratio(uint64_t a, double ta, uint64_t b, double tb, double alpha,
			tl_rate_ratio_t *out);

/* ---- incomplete gamma and Poisson distribution ---- */

/* Regularised incomplete gamma functions P(a, x) = gamma(a, x) / Gamma(a) and
 * Q(a, x) = 1 - P(a, x), for a > 0, x >= 0: a power series for P when x < a + 1, else a
 * continued fraction for Q (Lentz's method), the other one as 1 minus it. So the smaller
 * of the two keeps its relative accuracy except where it exceeds about 0.1 (x near a + 1).
 * The common factor x^a e^-x / Gamma(a + 1) is formed as exp(-stirlerr(a) - bd0(a, x)) /
 * sqrt(2 pi a) (Loader 2000), so no large logarithms cancel: about 1e-13 relative for a
 * up to 1e6 and beyond. P(a, 0) = 0; x = +INFINITY gives P = 1. NaN for a not finite
 * and > 0, x < 0 or NaN, or when the series or fraction did not converge. */
double tl_stats_gamma_p(double a, double x);
double tl_stats_gamma_q(double a, double x);

/* X ~ Poisson(mu): P(X <= k) = Q(k + 1, mu) and P(X >= k) = P(k, mu) (P(X >= 0) = 1).
 * mu = 0 gives the point mass at 0. NaN for mu negative, NaN or infinite. */
double tl_stats_pois_cdf(uint64_t k, double mu);
double tl_stats_pois_sf(uint64_t k, double mu);

/* Garwood (1936) exact interval for the mean mu of a Poisson count k at confidence
 * 1 - alpha: lo solves P(X >= k | lo) = alpha/2 (lo = 0 when k = 0), hi solves
 * P(X <= k | hi) = alpha/2; equivalently chi-square quantiles chi2(2k, alpha/2)/2 and
 * chi2(2k + 2, 1 - alpha/2)/2. Found by bisection on the tails above until the bracket is
 * two adjacent doubles. est = k. TL_EINVAL when alpha is not in (0, 1). */
int tl_stats_garwood(uint64_t k, double alpha, tl_interval_t *out);

/* ---- observed against a known expected count (indirect standardisation) ---- */

typedef struct {
	tl_interval_t ratio; /* O / E with the Garwood interval for O divided by E */
	double p_greater;    /* one-sided P(X >= O), X ~ Poisson(E): H1 ratio > 1 */
	double p_two_sided;  /* min(1, 2 min(P(X <= O), P(X >= O))): matches the interval */
} tl_smr_t;

/* Standardised ratio (SMR, SIR, SRR) of observed count o to expected count e, with e
 * treated as known (its own sampling error ignored). TL_EINVAL when e is not finite and
 * > 0 or alpha is not in (0, 1). */
int tl_stats_smr(uint64_t o, double e, double alpha, tl_smr_t *out);

/* ---- observed against an estimated expected count, with overdispersion ---- */

typedef struct {
	tl_interval_t ratio; /* O / E with the interval below */
	double p_greater;    /* one-sided p for H1 ratio > 1 */
	double p_two_sided;  /* min(1, 2 min(lower tail, upper tail)): matches the interval */
	double b_eff;        /* effective reference count E^2 / Var(E); +INFINITY when
			      * Var(E) = 0 (E known) */
} tl_qratio_t;

/*
 * Standardised ratio of an observed count o to an expected count e that was itself
 * estimated (variance ve, from the reference counts), with dispersion phi >= 1 (variance
 * phi times the Poisson variance, for O and for the reference alike).
 * The reference is taken as a scaled Poisson count of b = e^2 / ve lookups (its first two
 * moments match E's); conditional on the total, O ~ Binomial(o + b, pi), pi = RR e /
 * (RR e + b), the exact conditional test of two Poisson counts. Overdispersion divides both
 * counts by phi (the counts of equal information), and the binomial tails are taken
 * through the regularised incomplete beta function, which is defined for the non-integer
 * counts this gives: P(X >= a) = I_pi(a, n - a + 1). ve = 0 gives the Poisson limit,
 * P(X >= o/phi), X ~ Poisson(e/phi), through the incomplete gamma function; phi = 1 and
 * ve = 0 give tl_stats_smr exactly. The interval inverts the two tails (bisection until
 * the bracket is two adjacent doubles) and maps pi to RR. o = 0 gives p_greater = 1 and
 * lo = 0. TL_EINVAL when e is not finite and > 0, ve is negative or not finite, phi is
 * not finite or < 1, or alpha is not in (0, 1).
 */
int tl_stats_qratio(uint64_t o, double e, double ve, double phi, double alpha,
		    tl_qratio_t *out);

/* ---- shares of a distribution of counts ---- */

typedef struct {
	uint64_t total;	  /* sum of the counts */
	size_t nonzero;	  /* number of counts > 0 */
	double hhi;	  /* Herfindahl-Hirschman index sum (c_i/total)^2, in [1/nonzero, 1] */
	double hhi_10000; /* the same on the 0..10000 scale used in competition law */
	double entropy;	  /* Shannon entropy -sum s_i log2 s_i, in bits */
} tl_shares_t;

/* Fills *out from counts[0..n). TL_EINVAL when the total is 0 (no shares exist) or
 * overflows uint64. n = 1 with a positive count gives hhi = 1, entropy = 0. */
int tl_stats_shares(const uint64_t *counts, size_t n, tl_shares_t *out);

/* Share of the total held by the k largest counts (ties do not matter: it is the sum of
 * the k largest values). k >= n gives 1. TL_EINVAL when the total is 0 or overflows. */
int tl_stats_top_k_share(const uint64_t *counts, size_t n, size_t k, double *out);

/* ---- multiple testing ---- */

/* Holm (1979) step-down adjusted p-values and Benjamini-Hochberg (1995) adjusted
 * q-values of p[0..m), written to adj[0..m) in the input order (adj may equal p).
 * Ties are ordered by input index, which gives the same adjusted values as any other
 * order. The results are monotone in p and capped at 1. TL_EINVAL when a p is NaN or
 * outside [0, 1]. m = 0 is fine and writes nothing. */
int tl_stats_holm(const double *p, size_t m, double *adj);
int tl_stats_bh(const double *p, size_t m, double *adj);

/* ---- permutation tests ---- */

/* Phipson & Smyth (2010) permutation p-value (1 + n_ge) / (1 + n_perm), where n_ge is
 * the number of permutations whose statistic is >= the observed one. Never 0.
 * NaN when n_ge > n_perm. */
double tl_stats_perm_p(uint64_t n_ge, uint64_t n_perm);

/* Counts null[i] >= observed - tol (tol >= 0 absorbs rounding in statistics computed in
 * a different order; pass 0 for exact comparison) and returns tl_stats_perm_p.
 * NaN entries in null count as not >= (and are reported by the caller's own checks);
 * NaN when observed or tol is NaN or tol < 0. */
double tl_stats_perm_p_null(const double *null, size_t n, double observed, double tol);

/* ---- order statistics and robust outliers ---- */

/* Sample quantile of x[0..n) at probability prob in [0, 1], Hyndman & Fan (1996)
 * type 7: h = (n-1) prob, Q = x(floor h) + (h - floor h)(x(floor h + 1) - x(floor h))
 * over the sorted sample (0-based). TL_EINVAL when n = 0, prob outside [0, 1], or any
 * x is NaN. The _sorted variant requires x ascending and does not allocate. */
int tl_stats_quantile(const double *x, size_t n, double prob, double *out);
double tl_stats_quantile_sorted(const double *x, size_t n, double prob);

/* Median (type 7 at 0.5: the mean of the two middle values when n is even). */
int tl_stats_median(const double *x, size_t n, double *out);

/* Percentile rank of value within x[0..n), mid-rank definition:
 * (#{x_i < value} + 0.5 #{x_i == value}) / n, in [0, 1]. TL_EINVAL when n = 0 or value
 * or any x is NaN. */
int tl_stats_percentile_rank(const double *x, size_t n, double value, double *out);


/* Iglewicz & Hoaglin threshold for |M|. */
#define TL_STATS_OUTLIER_Z 3.5

typedef struct {
	double median;
	double mad;	   /* median absolute deviation from the median, unscaled */
	double mad_scaled; /* 1.4826 * mad: a consistent estimate of sigma for normal data */
	double meanad;	   /* mean absolute deviation from the median */
	int scale;	   /* TL_STATS_SCALE_* used for z */
} tl_robust_t;

/* Modified z-scores of x[0..n) (e.g. daily counts) into z[0..n) (z may equal x), and the
 * location and scale used into *info (may be NULL). TL_EINVAL when n = 0 or any x is
 * not finite. A value is an outlier when fabs(z[i]) > TL_STATS_OUTLIER_Z. */
int tl_stats_robust_z(const double *x, size_t n, double *z, tl_robust_t *info);

#endif
