/* stats.c - intervals, exact binomial and Poisson tests, shares, corrections, robust scores. */
#include "analysis/stats/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xmalloc.h"

#define LN_SQRT_2PI 0.918938533204672741780329736406 /* log(sqrt(2 pi)) */
#define SQRT_2PI 2.50662827463100050241576528481
#define SQRT1_2 0.707106781186547524400844362105

/* ---- normal distribution ---- */

double tl_stats_norm_cdf(double x)
{
	return 0.5 * erfc(-x * SQRT1_2);
}

/* Acklam's rational approximation (published coefficients), |relative error| < 1.15e-9,
 * valid for 0 < p <= 0.5 as used here. */
static double acklam(double p)
{
	static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
				    -2.759285104469687e+02, 1.383577518672690e+02,
				    -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
				    -1.556989798598866e+02, 6.680131188771972e+01,
				    -1.328068155288572e+01};
	static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
				    -2.400758277161838e+00, -2.549732539343734e+00,
				    4.374664141464968e+00,  2.938163982698783e+00};
	static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
				    2.445134137142996e+00, 3.754408661907416e+00};
	if (p < 0.02425) {
		double q = sqrt(-2.0 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}
	double q = p - 0.5, r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

double tl_stats_norm_quantile(double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	/* 1 - p is exact for p in [0.5, 1] (Sterbenz), and the lower tail keeps the
	 * relative accuracy of erfc, so work in the lower half only. */
	if (p > 0.5)
		return -tl_stats_norm_quantile(1.0 - p);
	if (p == 0.5)
		return 0.0;
	double x = acklam(p);
	/* One Halley step on f(x) = Phi(x) - p, as Acklam recommends for full precision. */
	double e = 0.5 * erfc(-x * SQRT1_2) - p;
	double u = e * SQRT_2PI * exp(0.5 * x * x);
	return x - u / (1.0 + 0.5 * x * u);
}

/* ---- binomial distribution ---- */

/* stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula
 * (Loader 2000). Above 15 its asymptotic series with five terms is below 1e-16; below,
 * lgamma of a small argument is exact enough. */
static double stirlerr(double n)
{
	if (n <= 15.0) {
		if (n == 0.0)
			return 0.0; /* only used as a limit; callers avoid n = 0 */
		return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
	}
	double nn = n * n;
	return (1.0 / 12 -
		(1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - (1.0 / 1188) / nn) / nn) / nn) / nn) /
	       n;
}

/* bd0(x, m) = x log(x/m) + m - x, the deviance term, by a series when x is near m so
 * that the cancellation of the naive formula is avoided (Loader 2000). */
static double bd0(double x, double m)
{
	if (fabs(x - m) < 0.1 * (x + m)) {
		double v = (x - m) / (x + m);
		double s = (x - m) * v;
		double ej = 2.0 * x * v;
		v *= v;
		for (int j = 1; j < 1000; j++) {
			ej *= v;
			double s1 = s + ej / (2 * j + 1);
			if (s1 == s)
				return s1;
			s = s1;
		}
		return s;
	}
	return x * log(x / m) + m - x;
}

/* P(X = k) for X ~ Binomial(n, p), q = 1 - p passed separately so that callers who know
 * q more precisely than 1 - p (rate ratios) keep that precision. */
static double pmf_pq(uint64_t k, uint64_t n, double p, double q)
{
	if (k > n)
		return 0.0;
	if (p == 0.0)
		return k == 0 ? 1.0 : 0.0;
	if (q == 0.0)
		return k == n ? 1.0 : 0.0;
	double dn = (double)n, dk = (double)k;
	if (k == 0) {
		if (n == 0)
			return 1.0;
		return exp(p < 0.1 ? -bd0(dn, dn * q) - dn * p : dn * log(q));
	}
	if (k == n)
		return exp(q < 0.1 ? -bd0(dn, dn * p) - dn * q : dn * log(p));
	double dnk = dn - dk;
	double lc = stirlerr(dn) - stirlerr(dk) - stirlerr(dnk) - bd0(dk, dn * p) -
		    bd0(dnk, dn * q);
	/* log(2 pi k (n-k)/n), written so that nothing overflows */
	double lf = 2.0 * LN_SQRT_2PI + log(dk) + log1p(-dk / dn);
	return exp(lc - 0.5 * lf);
}

double tl_stats_binom_pmf(uint64_t k, uint64_t n, double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	return pmf_pq(k, n, p, 1.0 - p);
}

/* Terms are re-computed exactly every RESYNC steps so that rounding in the ratio
 * recurrence cannot accumulate over long sums. */
#define RESYNC 32
#define TAIL_REL 1e-17

/* sum_{j >= k} P(X = j), for k at or beyond the mode so that the terms decrease. Since
 * the binomial is log-concave the ratio r of successive terms only falls, so once the
 * term t satisfies t r / (1 - r) < TAIL_REL * sum, the rest is smaller than that. */
static double sum_up(uint64_t k, uint64_t n, double p, double q)
{
	uint64_t j = k;
	double t = pmf_pq(j, n, p, q), sum = t;
	while (j < n && t > 0.0) {
		double r = ((double)(n - j) / (double)(j + 1)) * (p / q);
		if (r < 1.0 && t * r / (1.0 - r) < TAIL_REL * sum)
			break;
		j++;
		t = (j - k) % RESYNC == 0 ? pmf_pq(j, n, p, q) : t * r;
		sum += t;
	}
	return sum;
}

/* sum_{j <= k} P(X = j), for k at or below the mode; mirror of sum_up. */
static double sum_down(uint64_t k, uint64_t n, double p, double q)
{
	uint64_t j = k;
	double t = pmf_pq(j, n, p, q), sum = t;
	while (j > 0 && t > 0.0) {
		double r = ((double)j / (double)(n - j + 1)) * (q / p);
		if (r < 1.0 && t * r / (1.0 - r) < TAIL_REL * sum)
			break;
		j--;
		t = (k - j) % RESYNC == 0 ? pmf_pq(j, n, p, q) : t * r;
		sum += t;
	}
	return sum;
}

static double clamp01(double v)
{
	return v < 0.0 ? 0.0 : (v > 1.0 ? 1.0 : v);
}

/* P(X >= k) */
static double sf_pq(uint64_t k, uint64_t n, double p, double q)
{
	if (k == 0)
		return 1.0;
	if (k > n)
		return 0.0;
	if (p == 0.0)
		return 0.0;
	if (q == 0.0)
		return 1.0;
	/* (n+1)p is the point beyond which terms fall going up, and below which (minus one)
	 * they fall going down; sum the side away from the mode. */
	if ((double)k >= ((double)n + 1.0) * p)
		return clamp01(sum_up(k, n, p, q));
	return clamp01(1.0 - sum_down(k - 1, n, p, q));
}

/* P(X <= k) */
static double cdf_pq(uint64_t k, uint64_t n, double p, double q)
{
	if (k >= n)
		return 1.0;
	if (p == 0.0)
		return 1.0;
	if (q == 0.0)
		return 0.0;
	if ((double)k < ((double)n + 1.0) * p)
		return clamp01(sum_down(k, n, p, q));
	return clamp01(1.0 - sum_up(k + 1, n, p, q));
}

double tl_stats_binom_cdf(uint64_t k, uint64_t n, double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	return cdf_pq(k, n, p, 1.0 - p);
}

double tl_stats_binom_sf(uint64_t k, uint64_t n, double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	return sf_pq(k, n, p, 1.0 - p);
}

/* Continued fraction for I_x(a,b) (the standard one, e.g. Abramowitz & Stegun 26.5.8),
 * 1 + d1/(1 + d2/(1 + ...)) evaluated by Lentz's method as modified by Thompson & Barnett
 * (1986): tiny values replace zeros so that no division by zero occurs. */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double f = 1.0, c = 1.0, d = 0.0;
	for (int i = 1; i <= 200000; i++) {
		int m = i / 2;
		double dm;
		if (i % 2) /* d_{2m+1} */
			dm = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
		else /* d_{2m} */
			dm = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1.0 + dm * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + dm / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		double delta = c * d;
		f *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			return 1.0 / f;
	}
	return NAN; /* did not converge: say so rather than guess */
}

double tl_stats_betainc(double a, double b, double x)
{
	if (isnan(a) || isnan(b) || isnan(x) || !(a > 0.0) || !(b > 0.0) || x < 0.0 ||
	    x > 1.0 || isinf(a) || isinf(b))
		return NAN;
	if (x == 0.0)
		return 0.0;
	if (x == 1.0)
		return 1.0;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	double bt = exp(lbt);
	/* The fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry. */
	if (x < (a + 1.0) / (a + b + 2.0))
		return clamp01(bt * beta_cf(a, b, x) / a);
	return clamp01(1.0 - bt * beta_cf(b, a, 1.0 - x) / b);
}

/* ---- intervals ---- */

static int bad_alpha(double alpha)
{
	return isnan(alpha) || !(alpha > 0.0) || !(alpha < 1.0);
}

static void whole_unit(tl_interval_t *out)
{
	out->est = NAN;
	out->lo = 0.0;
	out->hi = 1.0;
	out->undefined = 1;
}

int tl_stats_wilson(uint64_t k, uint64_t n, double alpha, tl_interval_t *out)
{
	if (k > n || bad_alpha(alpha))
		return TL_EINVAL;
	if (n == 0) {
		whole_unit(out);
		return TL_OK;
	}
	double z = tl_stats_norm_quantile(1.0 - alpha / 2.0);
	double z2 = z * z, dn = (double)n, dk = (double)k;
	/* centre (k + z^2/2)/(n + z^2), half-width z sqrt(k(n-k)/n + z^2/4)/(n + z^2):
	 * Wilson's formula multiplied through by n, which avoids forming k/n twice. */
	double centre = (dk + z2 / 2.0) / (dn + z2);
	double half = z * sqrt(dk * (dn - dk) / dn + z2 / 4.0) / (dn + z2);
	out->est = dk / dn;
	out->lo = k == 0 ? 0.0 : clamp01(centre - half);
	out->hi = k == n ? 1.0 : clamp01(centre + half);
	out->undefined = 0;
	return TL_OK;
}

int tl_stats_wilson_deff(uint64_t k, uint64_t n, double deff, double alpha, tl_interval_t *out)
{
	if (k > n || bad_alpha(alpha) || isnan(deff))
		return TL_EINVAL;
	if (n == 0) {
		whole_unit(out);
		return TL_OK;
	}
	if (!(deff > 1.0))
		deff = 1.0; /* floored: clustering never makes an interval narrower here */
	double z = tl_stats_norm_quantile(1.0 - alpha / 2.0);
	double z2 = z * z, p = (double)k / (double)n;
	double dn = (double)n / deff, dk = p * dn;
	double centre = (dk + z2 / 2.0) / (dn + z2);
	double half = z * sqrt(dk * (dn - dk) / dn + z2 / 4.0) / (dn + z2);
	out->est = p;
	out->lo = k == 0 ? 0.0 : clamp01(centre - half);
	out->hi = k == n ? 1.0 : clamp01(centre + half);
	out->undefined = 0;
	return TL_OK;
}

double tl_stats_ratio_deff(uint64_t k, uint64_t n, uint64_t clusters, double sum_sq_resid)
{
	if (clusters < 2 || n == 0 || k == 0 || k >= n || !(sum_sq_resid >= 0))
		return 1.0;
	double dn = (double)n, p = (double)k / dn, dc = (double)clusters;
	double v_clu = dc / (dc - 1.0) * sum_sq_resid / (dn * dn);
	double v_srs = p * (1.0 - p) / dn;
	double d = v_clu / v_srs;
	return d > 1.0 ? d : 1.0;
}

/* Bisection for the p in (0, 1) where f(p) crosses target; f is monotone, increasing
 * when up is set. Runs until the bracket is two adjacent doubles, so the answer does not
 * depend on a tolerance. */
static double bisect(uint64_t k, uint64_t n, double target, int up)
{
	double lo = 0.0, hi = 1.0;
	for (int it = 0; it < 2200; it++) {
		double mid = lo + (hi - lo) / 2.0;
		if (mid <= lo || mid >= hi)
			break;
		double v = up ? sf_pq(k, n, mid, 1.0 - mid) : cdf_pq(k, n, mid, 1.0 - mid);
		int below = up ? v < target : v > target;
		if (below)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2.0;
}

int tl_stats_clopper_pearson(uint64_t k, uint64_t n, double alpha, tl_interval_t *out)
{
	if (k > n || bad_alpha(alpha))
		return TL_EINVAL;
	if (n == 0) {
		whole_unit(out);
		return TL_OK;
	}
	/* P(X >= k | p) rises with p, P(X <= k | p) falls with p. */
	out->lo = k == 0 ? 0.0 : bisect(k, n, alpha / 2.0, 1);
	out->hi = k == n ? 1.0 : bisect(k, n, alpha / 2.0, 0);
	out->est = (double)k / (double)n;
	out->undefined = 0;
	return TL_OK;
}

/* ---- Poisson rate ratio ---- */

int tl_stats_rate_ratio(uint64_t a, double ta, uint64_t b, double tb, double alpha,
			tl_rate_ratio_t *out)
{
	if (bad_alpha(alpha) || !isfinite(ta) || !isfinite(tb) || !(ta > 0.0) || !(tb > 0.0))
		return TL_EINVAL;
	if (a > UINT64_MAX - b)
		return TL_EINVAL;
	uint64_t m = a + b;
	if (m == 0) {
		out->rr.est = NAN;
		out->rr.lo = 0.0;
		out->rr.hi = INFINITY;
		out->rr.undefined = 1;
		out->p_value = 1.0;
		return TL_OK;
	}
	tl_interval_t pi;
	int err = tl_stats_clopper_pearson(a, m, alpha, &pi);
	if (err != TL_OK)
		return err;
	double scale = tb / ta;
	out->rr.est = b == 0 ? INFINITY : ((double)a / ta) / ((double)b / tb);
	out->rr.lo = a == 0 ? 0.0 : pi.lo / (1.0 - pi.lo) * scale;
	out->rr.hi = b == 0 ? INFINITY : pi.hi / (1.0 - pi.hi) * scale;
	out->rr.undefined = 0;
	/* Under RR = 1, pi0 = ta/(ta+tb); q0 is formed directly, not as 1 - pi0. The
	 * two-sided p-value doubles the smaller exact tail (the "central" method), which is
	 * the test that matches the Clopper-Pearson interval above. */
	double pi0 = ta / (ta + tb), q0 = tb / (ta + tb);
	double lower = cdf_pq(a, m, pi0, q0), upper = sf_pq(a, m, pi0, q0);
	double pv = 2.0 * (lower < upper ? lower : upper);
	out->p_value = pv > 1.0 ? 1.0 : pv;
	return TL_OK;
}

/* ---- incomplete gamma and Poisson distribution ---- */

/* Enough terms for a near 1e12 (the series and fraction need a few times sqrt(a)). */
#define GAMMA_MAX_ITER 50000000
#define GAMMA_EPS 1e-17

/* x^a e^-x / Gamma(a + 1) for a, x > 0 in Loader's form (see stirlerr and bd0 above):
 * log of it = -stirlerr(a) - bd0(a, x) - log(sqrt(2 pi a)), with no cancellation of the
 * large terms a log x, x and lgamma(a + 1). */
static double gamma_lead(double a, double x)
{
	return exp(-stirlerr(a) - bd0(a, x)) / (SQRT_2PI * sqrt(a));
}

/* P(a, x) = lead * sum_{n >= 0} x^n / ((a + 1) ... (a + n)), for x < a + 1: the ratio
 * x / (a + n) of successive terms is below 1 and falls, so once term r / (1 - r) is below
 * GAMMA_EPS of the sum the rest is smaller than that. */
static double gamma_series(double a, double x)
{
	double term = 1.0, sum = 1.0;
	for (long n = 1; n < GAMMA_MAX_ITER; n++) {
		double r = x / (a + (double)n);
		term *= r;
		sum += term;
		if (term * r < GAMMA_EPS * sum * (1.0 - r))
			return gamma_lead(a, x) * sum;
	}
	return NAN;
}

/* Q(a, x) = a * lead * 1/(x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a - ...))),
 * the Legendre continued fraction (Abramowitz & Stegun 6.5.31 in its even form), for
 * x >= a + 1, by Lentz's method with Thompson & Barnett's guard against zeros. */
static double gamma_cf(double a, double x)
{
	const double tiny = 1e-300;
	double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
	for (long i = 1; i < GAMMA_MAX_ITER; i++) {
		double an = -(double)i * ((double)i - a);
		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1.0) < GAMMA_EPS)
			return a * gamma_lead(a, x) * h;
	}
	return NAN;
}

/* Both functions; lower selects P. */
static double gamma_pq(double a, double x, int lower)
{
	if (isnan(a) || isnan(x) || !(a > 0.0) || isinf(a) || x < 0.0)
		return NAN;
	if (x == 0.0)
		return lower ? 0.0 : 1.0;
	if (isinf(x))
		return lower ? 1.0 : 0.0;
	if (x < a + 1.0) {
		double p = clamp01(gamma_series(a, x));
		return lower ? p : 1.0 - p;
	}
	double q = clamp01(gamma_cf(a, x));
	return lower ? 1.0 - q : q;
}

double tl_stats_gamma_p(double a, double x)
{
	return gamma_pq(a, x, 1);
}

double tl_stats_gamma_q(double a, double x)
{
	return gamma_pq(a, x, 0);
}

static int bad_mean(double mu)
{
	return isnan(mu) || mu < 0.0 || isinf(mu);
}

double tl_stats_pois_cdf(uint64_t k, double mu)
{
	if (bad_mean(mu))
		return NAN;
	if (mu == 0.0)
		return 1.0;
	/* P(X <= k) = Q(k + 1, mu); k + 1 is exact as a double below 2^53. */
	return gamma_pq((double)k + 1.0, mu, 0);
}

double tl_stats_pois_sf(uint64_t k, double mu)
{
	if (bad_mean(mu))
		return NAN;
	if (k == 0)
		return 1.0;
	if (mu == 0.0)
		return 0.0;
	return gamma_pq((double)k, mu, 1);
}

/* The mu where a monotone Poisson tail crosses target: P(X >= k | mu) rises with mu (up),
 * P(X <= k | mu) falls. The bracket is doubled until it holds the root, then halved until
 * it is two adjacent doubles, so the answer does not depend on a tolerance. */
static double pois_bisect(uint64_t k, double target, int up)
{
	double lo = 0.0, hi = (double)k + 1.0;
	for (int it = 0; it < 2100; it++) {
		double v = up ? tl_stats_pois_sf(k, hi) : tl_stats_pois_cdf(k, hi);
		if (up ? v >= target : v <= target)
			break;
		lo = hi;
		hi *= 2.0;
	}
	for (int it = 0; it < 2200; it++) {
		double mid = lo + (hi - lo) / 2.0;
		if (mid <= lo || mid >= hi)
			break;
		double v = up ? tl_stats_pois_sf(k, mid) : tl_stats_pois_cdf(k, mid);
		if (up ? v < target : v > target)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2.0;
}

int tl_stats_garwood(uint64_t k, double alpha, tl_interval_t *out)
{
	if (bad_alpha(alpha))
		return TL_EINVAL;
	out->lo = k == 0 ? 0.0 : pois_bisect(k, alpha / 2.0, 1);
	out->hi = pois_bisect(k, alpha / 2.0, 0);
	out->est = (double)k;
	out->undefined = 0;
	return TL_OK;
}

int tl_stats_smr(uint64_t o, double e, double alpha, tl_smr_t *out)
{
	if (bad_alpha(alpha) || !isfinite(e) || !(e > 0.0))
		return TL_EINVAL;
	tl_interval_t g;
	int err = tl_stats_garwood(o, alpha, &g);
	if (err != TL_OK)
		return err;
	out->ratio.est = (double)o / e;
	out->ratio.lo = g.lo / e;
	out->ratio.hi = g.hi / e;
	out->ratio.undefined = 0;
	double lower = tl_stats_pois_cdf(o, e), upper = tl_stats_pois_sf(o, e);
	out->p_greater = upper;
	double pv = 2.0 * (lower < upper ? lower : upper);
	out->p_two_sided = pv > 1.0 ? 1.0 : pv;
	return TL_OK;
}

/* ---- observed against an estimated expected count (quasi-Poisson, conditional) ---- */

/* Upper tail P(X >= a) of the continuous binomial (n = a + bb) at pi: I_pi(a, bb + 1). */
static double qr_upper(double a, double bb, double pi)
{
	if (a <= 0)
		return 1.0;
	if (!isfinite(bb))
		return tl_stats_gamma_p(a, pi); /* Poisson limit: pi is the scaled mean */
	return tl_stats_betainc(a, bb + 1.0, pi);
}

/* Lower tail P(X <= a): 1 - I_pi(a + 1, bb) = I_{1 - pi}(bb, a + 1). */
static double qr_lower(double a, double bb, double pi)
{
	if (!isfinite(bb))
		return tl_stats_gamma_q(a + 1.0, pi);
	return tl_stats_betainc(bb, a + 1.0, 1.0 - pi);
}

/* Bisection on an increasing (up = 1) or decreasing tail for the parameter where it equals
 * target, on [lo, hi], until the bracket is two adjacent doubles. */
static double qr_solve(double a, double bb, double target, int up, double lo, double hi,
		       double (*tail)(double, double, double))
{
	for (int i = 0; i < 2000; i++) {
		double mid = lo + (hi - lo) / 2;
		if (!(mid > lo && mid < hi))
			break;
		double v = tail(a, bb, mid);
		if ((v < target) == (up != 0))
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

int tl_stats_qratio(uint64_t o, double e, double ve, double phi, double alpha,
		    tl_qratio_t *out)
{
	if (bad_alpha(alpha) || !isfinite(e) || !(e > 0.0) || !isfinite(ve) || ve < 0 ||
	    !isfinite(phi) || !(phi >= 1.0))
		return TL_EINVAL;
	double a = (double)o / phi;
	double bb = ve > 0 ? (e * e / ve) / phi : INFINITY;
	/* the null parameter: pi0 = e / (e + b) for the binomial, e / phi for the Poisson */
	double p0 = isfinite(bb) ? e / (e + e * e / ve) : e / phi;
	double up = qr_upper(a, bb, p0), lw = qr_lower(a, bb, p0);
	out->p_greater = up > 1.0 ? 1.0 : up;
	double pv = 2.0 * (lw < up ? lw : up);
	out->p_two_sided = pv > 1.0 ? 1.0 : pv;
	out->b_eff = isfinite(bb) ? e * e / ve : INFINITY;
	out->ratio.est = (double)o / e;
	out->ratio.undefined = 0;
	double h = alpha / 2;
	if (isfinite(bb)) {
		/* RR = pi / (1 - pi) * b / e with b = e^2 / ve */
		double scale = (e / ve);
		double pl = o == 0 ? 0.0 : qr_solve(a, bb, h, 1, 0.0, 1.0, qr_upper);
		double pu = qr_solve(a, bb, h, 0, 0.0, 1.0, qr_lower);
		out->ratio.lo = pl / (1.0 - pl) * scale;
		out->ratio.hi = pu >= 1.0 ? INFINITY : pu / (1.0 - pu) * scale;
	} else {
		/* Poisson limit: the scaled mean mu = RR e / phi */
		double top = 2.0 * a + 50.0 * sqrt(a + 1.0) + 50.0;
		double ml = o == 0 ? 0.0 : qr_solve(a, bb, h, 1, 0.0, top, qr_upper);
		double mu = qr_solve(a, bb, h, 0, 0.0, top, qr_lower);
		out->ratio.lo = ml * phi / e;
		out->ratio.hi = mu * phi / e;
	}
	return TL_OK;
}

/* ---- shares ---- */

static int total_of(const uint64_t *counts, size_t n, uint64_t *total, size_t *nonzero)
{
	uint64_t t = 0;
	size_t nz = 0;
	for (size_t i = 0; i < n; i++) {
		if (counts[i] > UINT64_MAX - t)
			return TL_EINVAL;
		t += counts[i];
		nz += counts[i] > 0;
	}
	if (t == 0)
		return TL_EINVAL;
	*total = t;
	*nonzero = nz;
	return TL_OK;
}

int tl_stats_shares(const uint64_t *counts, size_t n, tl_shares_t *out)
{
	uint64_t total;
	size_t nz;
	int err = total_of(counts, n, &total, &nz);
	if (err != TL_OK)
		return err;
	double hhi = 0.0, h = 0.0, dt = (double)total;
	for (size_t i = 0; i < n; i++) {
		if (counts[i] == 0)
			continue;
		double s = (double)counts[i] / dt;
		hhi += s * s;
		h -= s * log2(s);
	}
	out->total = total;
	out->nonzero = nz;
	out->hhi = nz == 1 ? 1.0 : hhi; /* exactly 1 for one source, whatever the rounding */
	out->hhi_10000 = out->hhi * 10000.0;
	out->entropy = nz == 1 ? 0.0 : h;
	return TL_OK;
}

int tl_stats_top_k_share(const uint64_t *counts, size_t n, size_t k, double *out)
{
	uint64_t total;
	size_t nz;
	int err = total_of(counts, n, &total, &nz);
	if (err != TL_OK)
		return err;
	/* Walk down the distinct values from the largest, taking as many of each as are
	 * still wanted: O(n * min(k, distinct values)) and no copy. The sum cannot overflow,
	 * being at most the total. */
	uint64_t sum = 0, below = UINT64_MAX;
	int first = 1;
	size_t want = k;
	while (want > 0) {
		uint64_t v = 0;
		size_t cnt = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t c = counts[i];
			if (!first && c >= below)
				continue;
			if (cnt == 0 || c > v) {
				v = c;
				cnt = 1;
			} else if (c == v) {
				cnt++;
			}
		}
		if (cnt == 0 || v == 0)
			break;
		size_t take = cnt < want ? cnt : want;
		sum += (uint64_t)take * v;
		want -= take;
		below = v;
		first = 0;
	}
	*out = sum == total ? 1.0 : (double)sum / (double)total;
	return TL_OK;
}

/* ---- multiple testing ---- */

typedef struct {
	double p;
	size_t idx;
} ranked_t;

static int cmp_ranked(const void *x, const void *y)
{
	const ranked_t *a = x, *b = y;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* p with its index, ascending by (p, index): a total order, so the result does not
 * depend on qsort's algorithm. No global comparator state, so threads may call this.
 * Caller frees. NULL on a bad p. */
static ranked_t *order_p(const double *p, size_t m)
{
	for (size_t i = 0; i < m; i++)
		if (isnan(p[i]) || p[i] < 0.0 || p[i] > 1.0)
			return NULL;
	ranked_t *ord = tl_xmalloc(m * sizeof *ord);
	for (size_t i = 0; i < m; i++) {
		ord[i].p = p[i];
		ord[i].idx = i;
	}
	qsort(ord, m, sizeof *ord, cmp_ranked);
	return ord;
}

int tl_stats_holm(const double *p, size_t m, double *adj)
{
	if (m == 0)
		return TL_OK;
	ranked_t *ord = order_p(p, m);
	if (!ord)
		return TL_EINVAL;
	/* adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)), 1-based over sorted p. The p are
	 * copied into ord first, so adj may alias p. */
	double run = 0.0;
	for (size_t i = 0; i < m; i++) {
		double v = (double)(m - i) * ord[i].p;
		if (v > 1.0)
			v = 1.0;
		if (v > run)
			run = v;
		adj[ord[i].idx] = run;
	}
	free(ord);
	return TL_OK;
}

int tl_stats_bh(const double *p, size_t m, double *adj)
{
	if (m == 0)
		return TL_OK;
	ranked_t *ord = order_p(p, m);
	if (!ord)
		return TL_EINVAL;
	/* q_(i) = min_{j >= i} min(1, m p_(j) / j), 1-based over sorted p. */
	double run = 1.0;
	for (size_t i = m; i-- > 0;) {
		double v = (double)m * ord[i].p / (double)(i + 1);
		if (v < run)
			run = v;
		adj[ord[i].idx] = run;
	}
	free(ord);
	return TL_OK;
}

/* ---- permutation tests ---- */

double tl_stats_perm_p(uint64_t n_ge, uint64_t n_perm)
{
	if (n_ge > n_perm)
		return NAN;
	return ((double)n_ge + 1.0) / ((double)n_perm + 1.0);
}

double tl_stats_perm_p_null(const double *null, size_t n, double observed, double tol)
{
	if (isnan(observed) || isnan(tol) || tol < 0.0)
		return NAN;
	uint64_t ge = 0;
	double bar = observed - tol;
	for (size_t i = 0; i < n; i++)
		ge += null[i] >= bar; /* false for NaN */
	return tl_stats_perm_p(ge, n);
}

/* ---- order statistics ---- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

double tl_stats_quantile_sorted(const double *x, size_t n, double prob)
{
	if (n == 0 || isnan(prob) || prob < 0.0 || prob > 1.0)
		return NAN;
	double h = (double)(n - 1) * prob;
	size_t lo = (size_t)floor(h);
	if (lo >= n - 1)
		return x[n - 1];
	double frac = h - (double)lo;
	if (frac == 0.0)
		return x[lo];
	return x[lo] + frac * (x[lo + 1] - x[lo]);
}

static double *sorted_copy(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isnan(x[i]))
			return NULL;
	double *s = tl_xmalloc(n * sizeof *s);
	memcpy(s, x, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	return s;
}

int tl_stats_quantile(const double *x, size_t n, double prob, double *out)
{
	if (n == 0 || isnan(prob) || prob < 0.0 || prob > 1.0)
		return TL_EINVAL;
	double *s = sorted_copy(x, n);
	if (!s)
		return TL_EINVAL;
	*out = tl_stats_quantile_sorted(s, n, prob);
	free(s);
	return TL_OK;
}

int tl_stats_median(const double *x, size_t n, double *out)
{
	return tl_stats_quantile(x, n, 0.5, out);
}

int tl_stats_percentile_rank(const double *x, size_t n, double value, double *out)
{
	if (n == 0 || isnan(value))
		return TL_EINVAL;
	uint64_t below = 0, equal = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			return TL_EINVAL;
		below += x[i] < value;
		equal += x[i] == value;
	}
	*out = ((double)below + 0.5 * (double)equal) / (double)n;
	return TL_OK;
}

/* ---- robust outliers ---- */

int tl_stats_robust_z(const double *x, size_t n, double *z, tl_robust_t *info)
{
	if (n == 0)
		return TL_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return TL_EINVAL;
	double *s = sorted_copy(x, n);
	double med = tl_stats_quantile_sorted(s, n, 0.5);
	double sum = 0.0;
	for (size_t i = 0; i < n; i++) {
		s[i] = fabs(x[i] - med);
		sum += s[i];
	}
	qsort(s, n, sizeof *s, cmp_double);
	double mad = tl_stats_quantile_sorted(s, n, 0.5);
	double meanad = sum / (double)n;
	free(s);

	int scale;
	if (mad > 0.0)
		scale = TL_STATS_SCALE_MAD;
	else if (meanad > 0.0)
		scale = TL_STATS_SCALE_MEANAD;
	else
		scale = TL_STATS_SCALE_NONE;
	for (size_t i = 0; i < n; i++) {
		double dev = x[i] - med;
		if (scale == TL_STATS_SCALE_MAD)
			z[i] = 0.6745 * dev / mad;
		else if (scale == TL_STATS_SCALE_MEANAD)
			z[i] = dev / (1.253314 * meanad);
		else
			z[i] = 0.0;
	}
	if (info) {
		info->median = med;
		info->mad = mad;
		info->mad_scaled = 1.4826 * mad;
		info->meanad = meanad;
		info->scale = scale;
	}
	return TL_OK;
}
