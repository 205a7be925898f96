/* test_stats.c - every statistic against independently computed reference values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/stats/stats.h"
#include "util/error.h"

/*
 * Where the numbers come from. Unless a test says otherwise, the reference values were
 * computed with python3 using only the standard library, by two scripts written for this
 * purpose (kept below in outline so anyone can re-run them):
 *   - exact binomial probabilities: sum(math.comb(n, j) * p**j * q**(n-j)) with
 *     fractions.Fraction p, i.e. exact rationals, converted to float at the end;
 *   - huge n: decimal.Decimal with 60 digits, first term math.comb(n, k) * p**k * q**(n-k)
 *     as an exact integer times Decimal powers, later terms by the ratio recurrence,
 *     20000 terms (the remainder is below 1e-200);
 *   - Clopper-Pearson: 60 bisection steps on p (floats) using the exact Fraction tails;
 *   - Wilson: Decimal(60 digits) with z = 1.959963984540054 (the published 97.5% point);
 *   - normal quantiles: statistics.NormalDist().inv_cdf, which implements Wichura's
 *     AS241 (an algorithm different from the Acklam + Halley code under test);
 *   - Holm and BH: the textbook definitions over Fractions, ties ordered by index.
 * Tolerances are stated per check: REL is relative, ABS absolute.
 */

/* |got - want| <= abs_tol + rel_tol * |want|, with a message naming both. */
#define assert_close(got, want, rel_tol, abs_tol)                                         \
	do {                                                                              \
		double g_ = (got), w_ = (want);                                           \
		if (!(fabs(g_ - w_) <= (abs_tol) + (rel_tol)*fabs(w_)))                   \
			fail_msg("%s = %.17g, want %.17g (rel %g, abs %g)", #got, g_, w_, \
				 (double)(rel_tol), (double)(abs_tol));                   \
	} while (0)

/* ---- normal quantile ---- */

static void test_norm_quantile(void **state)
{
	(void)state;
	/* published value of the 97.5% point (e.g. NIST/SEMATECH handbook to 1.96; the full
	 * digits 1.959963984540054 are the standard reference value), and AS241 */
	assert_close(tl_stats_norm_quantile(0.975), 1.959963984540054, 2e-15, 0);
	assert_close(tl_stats_norm_quantile(0.025), -1.9599639845400538, 2e-15, 0);
	assert_close(tl_stats_norm_quantile(0.995), 2.5758293035489, 2e-15, 0);
	assert_close(tl_stats_norm_quantile(0.9), 1.2815515655446008, 2e-15, 0);
	assert_close(tl_stats_norm_quantile(0.8), 0.8416212335729144, 2e-15, 0);
	assert_close(tl_stats_norm_quantile(0.01), -2.3263478740408408, 2e-15, 0);
	/* the region boundary of Acklam's approximation, from both sides */
	assert_close(tl_stats_norm_quantile(0.02425), -1.9729610513118845, 2e-15, 0);
	assert_close(tl_stats_norm_quantile(0.97575), 1.9729610513118847, 2e-15, 0);
	/* far tail: Acklam alone is off by ~1e-9 relative here, the Halley step fixes it */
	assert_close(tl_stats_norm_quantile(1e-10), -6.361340902404056, 1e-14, 0);
	/* near the centre only absolute accuracy is possible: Phi(x) - p is formed near 0.5,
	 * where doubles are 1.1e-16 apart. Reference: (p - 1/2) sqrt(2 pi) with p - 1/2 taken
	 * exactly by fractions.Fraction (the cubic term is ~1e-27). ABS 1e-16 */
	assert_close(tl_stats_norm_quantile(0.5 + 1e-9), 2.506628203738711e-09, 0, 1e-16);
	assert_true(tl_stats_norm_quantile(0.5) == 0.0);
	assert_true(isinf(tl_stats_norm_quantile(0.0)) && tl_stats_norm_quantile(0.0) < 0);
	assert_true(isinf(tl_stats_norm_quantile(1.0)) && tl_stats_norm_quantile(1.0) > 0);
	assert_true(isnan(tl_stats_norm_quantile(-0.1)));
	assert_true(isnan(tl_stats_norm_quantile(1.1)));
	assert_true(isnan(tl_stats_norm_quantile(NAN)));
	/* symmetry is exact by construction */
	assert_true(tl_stats_norm_quantile(0.25) == -tl_stats_norm_quantile(0.75)); /* 1-0.75 exact */
	/* round trip through the CDF over many decades. A relative error e in z becomes
	 * about z^2 e in Phi(z) in the tail, so REL (1 + z^2) * 4e-16 (about 4 ulp of z). */
	for (double p = 1e-300; p < 0.5; p *= 7.3) {
		double z = tl_stats_norm_quantile(p);
		assert_close(tl_stats_norm_cdf(z), p, (1 + z * z) * 4e-16, 0);
	}
	assert_close(tl_stats_norm_cdf(1.959963984540054), 0.975, 0, 1e-16);
}

/* ---- Wilson ---- */

/* The design effect of a share from days as clusters, and Wilson on n/deff. */
static void test_wilson_deff(void **state)
{
	(void)state;
	tl_interval_t a, b;
	/* deff 1 (and anything below, floored) is Wilson itself, bit for bit */
	assert_int_equal(tl_stats_wilson_deff(2820, 3544, 1.0, 0.05, &a), TL_OK);
	assert_int_equal(tl_stats_wilson(2820, 3544, 0.05, &b), TL_OK);
	assert_true(a.lo == b.lo && a.hi == b.hi && a.est == b.est);
	assert_int_equal(tl_stats_wilson_deff(2820, 3544, 0.5, 0.05, &a), TL_OK);
	assert_true(a.lo == b.lo && a.hi == b.hi);
	/* deff 2: the interval of 1410/1772, the same proportion on half the lookups
	 * (exact: both are computed from k/n = 0.795711... and n = 1772) */
	assert_int_equal(tl_stats_wilson_deff(2820, 3544, 2.0, 0.05, &a), TL_OK);
	assert_int_equal(tl_stats_wilson(1410, 1772, 0.05, &b), TL_OK);
	assert_close(a.lo, b.lo, 1e-14, 0);
	assert_close(a.hi, b.hi, 1e-14, 0);
	assert_close(a.est, 2820.0 / 3544.0, 0, 0);
	/* the ends stay exact */
	assert_int_equal(tl_stats_wilson_deff(0, 10, 3.0, 0.05, &a), TL_OK);
	assert_true(a.lo == 0.0);
	assert_int_equal(tl_stats_wilson_deff(10, 10, 3.0, 0.05, &a), TL_OK);
	assert_true(a.hi == 1.0);
	assert_int_equal(tl_stats_wilson_deff(0, 0, 3.0, 0.05, &a), TL_OK);
	assert_int_equal(a.undefined, 1);
	assert_int_equal(tl_stats_wilson_deff(11, 10, 1.0, 0.05, &a), TL_EINVAL);
	assert_int_equal(tl_stats_wilson_deff(1, 10, NAN, 0.05, &a), TL_EINVAL);

	/* Ratio-estimator design effect. Two days of 10 lookups, the member's 10 all on
	 * the first: p = 0.5, S = 5^2 + 5^2 = 50, v_clu = 2/1 * 50/400 = 0.25,
	 * v_srs = 0.25/20 = 0.0125: deff 20. */
	assert_close(tl_stats_ratio_deff(10, 20, 2, 50.0), 20.0, 1e-15, 0);
	/* the same split every day: S = 0, deff 0, floored to 1 */
	assert_true(tl_stats_ratio_deff(10, 20, 2, 0.0) == 1.0);
	/* undefined: one day, no lookups, p = 0 or 1 */
	assert_true(tl_stats_ratio_deff(10, 20, 1, 50.0) == 1.0);
	assert_true(tl_stats_ratio_deff(0, 0, 5, 0.0) == 1.0);
	assert_true(tl_stats_ratio_deff(0, 20, 5, 3.0) == 1.0);
	assert_true(tl_stats_ratio_deff(20, 20, 5, 3.0) == 1.0);
}

static void test_wilson(void **state)
{
	(void)state;
	tl_interval_t ci;
	/* 2820/3544 at 95%: Decimal reference 0.78212021598774495 .. 0.80866153802465457.
	 * REL 1e-14 (z itself carries ~1e-16 and the formula a few roundings). */
	assert_int_equal(tl_stats_wilson(2820, 3544, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 0.78212021598774495, 1e-14, 0);
	assert_close(ci.hi, 0.80866153802465457, 1e-14, 0);
	assert_close(ci.est, 2820.0 / 3544.0, 0, 0);
	assert_int_equal(ci.undefined, 0);
	/* 99% uses z = 2.5758293035489 (AS241): 0.77772105466869113 .. 0.81259590582940877 */
	assert_int_equal(tl_stats_wilson(2820, 3544, 0.01, &ci), TL_OK);
	assert_close(ci.lo, 0.77772105466869113, 1e-14, 0);
	assert_close(ci.hi, 0.81259590582940877, 1e-14, 0);
	/* 5/20: 0.11186170140766567 .. 0.46870087761874402 */
	assert_int_equal(tl_stats_wilson(5, 20, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 0.11186170140766567, 1e-14, 0);
	assert_close(ci.hi, 0.46870087761874402, 1e-14, 0);
	/* zero successes: lower bound exactly 0; upper z^2/(n+z^2) = 0.2775327998628892 */
	assert_int_equal(tl_stats_wilson(0, 10, 0.05, &ci), TL_OK);
	assert_true(ci.lo == 0.0);
	assert_close(ci.hi, 0.2775327998628892, 1e-14, 0);
	assert_true(ci.est == 0.0);
	/* all successes: upper exactly 1; lower 0.72246720013711074 */
	assert_int_equal(tl_stats_wilson(10, 10, 0.05, &ci), TL_OK);
	assert_true(ci.hi == 1.0);
	assert_close(ci.lo, 0.72246720013711074, 1e-14, 0);
	assert_int_equal(tl_stats_wilson(1, 1, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 0.20654931437723742, 1e-14, 0);
	/* rare event in a huge sample: 3/1e6 -> 1.0202712409681227e-06 .. 8.8211497743124345e-06 */
	assert_int_equal(tl_stats_wilson(3, 1000000, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 1.0202712409681227e-06, 1e-12, 0);
	assert_close(ci.hi, 8.8211497743124345e-06, 1e-12, 0);
	/* n = 0: the whole unit interval, flagged */
	assert_int_equal(tl_stats_wilson(0, 0, 0.05, &ci), TL_OK);
	assert_true(ci.lo == 0.0 && ci.hi == 1.0 && ci.undefined == 1 && isnan(ci.est));
	/* bad arguments leave the output alone */
	tl_interval_t keep = {1, 2, 3, 4};
	ci = keep;
	assert_int_equal(tl_stats_wilson(5, 4, 0.05, &ci), TL_EINVAL);
	assert_int_equal(tl_stats_wilson(1, 4, 0.0, &ci), TL_EINVAL);
	assert_int_equal(tl_stats_wilson(1, 4, 1.0, &ci), TL_EINVAL);
	assert_int_equal(tl_stats_wilson(1, 4, NAN, &ci), TL_EINVAL);
	assert_memory_equal(&ci, &keep, sizeof ci);
}

/* ---- exact binomial ---- */

static void test_binom_small(void **state)
{
	(void)state;
	/* Fraction references; REL 1e-13 */
	assert_close(tl_stats_binom_pmf(3, 10, 0.5), 0.1171875, 1e-14, 0);
	assert_close(tl_stats_binom_cdf(3, 10, 0.5), 0.171875, 1e-14, 0);
	assert_close(tl_stats_binom_sf(3, 10, 0.5), 0.9453125, 1e-14, 0);
	assert_close(tl_stats_binom_cdf(7, 10, 0.5), 0.9453125, 1e-14, 0);
	assert_close(tl_stats_binom_sf(7, 10, 0.5), 0.171875, 1e-14, 0);
	assert_close(tl_stats_binom_pmf(0, 10, 0.1), 0.34867844009999999, 1e-14, 0);
	assert_close(tl_stats_binom_cdf(0, 10, 0.1), 0.34867844009999999, 1e-14, 0);
	assert_close(tl_stats_binom_pmf(10, 20, 0.1), 6.4420433879115602e-06, 1e-13, 0);
	assert_close(tl_stats_binom_sf(10, 20, 0.1), 7.1509040210837797e-06, 1e-13, 0);
	assert_close(tl_stats_binom_cdf(10, 20, 0.1), 0.99999929113936681, 1e-14, 0);
	assert_close(tl_stats_binom_pmf(50, 100, 0.3), 1.3026227131445356e-05, 1e-13, 0);
	assert_close(tl_stats_binom_sf(50, 100, 0.3), 2.2060913327165991e-05, 1e-13, 0);
	assert_close(tl_stats_binom_cdf(50, 100, 0.3), 0.99999096531380427, 1e-14, 0);
	assert_close(tl_stats_binom_pmf(20, 100, 0.3), 0.0075756449257266536, 1e-13, 0);
	assert_close(tl_stats_binom_cdf(20, 100, 0.3), 0.016462853241869475, 1e-13, 0);
	assert_close(tl_stats_binom_sf(20, 100, 0.3), 0.99111279168385713, 1e-14, 0);
	assert_close(tl_stats_binom_cdf(40, 100, 0.3), 0.98750159283356176, 1e-14, 0);
	assert_close(tl_stats_binom_sf(40, 100, 0.3), 0.020988576003924678, 1e-13, 0);
	assert_close(tl_stats_binom_pmf(1, 1000, 1e-5), 0.0099005968484319595, 1e-13, 0);
	assert_close(tl_stats_binom_sf(1, 1000, 1e-5), 0.0099502157536524149, 1e-13, 0);
	assert_close(tl_stats_binom_cdf(1, 1000, 1e-5), 0.99995038109477952, 1e-14, 0);
	assert_close(tl_stats_binom_pmf(500, 1000, 0.5), 0.0252250181783608, 1e-13, 0);
	assert_close(tl_stats_binom_cdf(500, 1000, 0.5), 0.51261250908918043, 1e-13, 0);
	assert_close(tl_stats_binom_sf(500, 1000, 0.5), 0.51261250908918043, 1e-13, 0);
	/* edges, by definition */
	assert_true(tl_stats_binom_sf(0, 10, 0.3) == 1.0);
	assert_true(tl_stats_binom_sf(11, 10, 0.3) == 0.0);
	assert_true(tl_stats_binom_cdf(10, 10, 0.3) == 1.0);
	assert_true(tl_stats_binom_pmf(11, 10, 0.3) == 0.0);
	assert_true(tl_stats_binom_pmf(0, 0, 0.3) == 1.0);
	assert_true(tl_stats_binom_pmf(0, 5, 0.0) == 1.0);
	assert_true(tl_stats_binom_sf(1, 5, 0.0) == 0.0);
	assert_true(tl_stats_binom_cdf(4, 5, 1.0) == 0.0);
	assert_true(tl_stats_binom_pmf(5, 5, 1.0) == 1.0);
	assert_true(isnan(tl_stats_binom_cdf(1, 5, 1.5)));
	assert_true(isnan(tl_stats_binom_sf(1, 5, -0.5)));
	/* pmf sums to 1 and cdf + sf(k+1) = 1 over a whole small distribution, ABS 1e-15 */
	double s = 0.0;
	for (uint64_t k = 0; k <= 37; k++) {
		s += tl_stats_binom_pmf(k, 37, 0.23);
		assert_close(tl_stats_binom_cdf(k, 37, 0.23) + tl_stats_binom_sf(k + 1, 37, 0.23),
			     1.0, 0, 2e-15);
		assert_close(tl_stats_binom_cdf(k, 37, 0.23), s, 1e-13, 1e-16);
	}
	assert_close(s, 1.0, 0, 1e-15);
}

static void test_binom_huge(void **state)
{
	(void)state;
	/* Decimal(60) references, see the header comment. REL 1e-12: the tail sums run over
	 * thousands of terms, re-anchored on the exact pmf every 32. */
	assert_close(tl_stats_binom_pmf(1500000, 3000000, 0.5), 0.00046065882757354341, 1e-13, 0);
	assert_close(tl_stats_binom_sf(1002000, 2000000, 0.5), 0.0023440333716451367, 1e-12, 0);
	assert_close(tl_stats_binom_sf(500000, 1000000, 0.5), 0.50039894218066583, 1e-12, 0);
	assert_close(tl_stats_binom_cdf(99000, 1000000, 0.1), 0.00042469673811754654, 1e-12, 0);
	assert_close(tl_stats_binom_sf(1000, 3000000, 0.0003), 0.00054892489379967284, 1e-12, 0);
	/* far beyond: underflows to a clean 0, not NaN */
	double v = tl_stats_binom_sf(1500000, 2000000, 0.5);
	assert_true(v >= 0.0 && v < 1e-300);
}

static void test_betainc(void **state)
{
	(void)state;
	/* integer a, b: I_x(a,b) = P(Binomial(a+b-1, x) >= a), exact Fractions; REL 1e-13 */
	assert_close(tl_stats_betainc(2, 3, 0.4), 0.52480000000000004, 1e-13, 0);
	assert_close(tl_stats_betainc(5, 5, 0.5), 0.5, 1e-13, 0);
	assert_close(tl_stats_betainc(10, 3, 0.9), 0.88913002225500004, 1e-13, 0);
	assert_close(tl_stats_betainc(1, 1, 1.0 / 3), 1.0 / 3, 1e-14, 0);
	assert_close(tl_stats_betainc(30, 70, 0.25), 0.13581490428342743, 1e-12, 0);
	assert_close(tl_stats_betainc(3, 200, 0.01), 0.3287618289616106, 1e-12, 0);
	/* closed form I_x(1/2,1/2) = (2/pi) asin(sqrt x), x = 0.3 */
	assert_close(tl_stats_betainc(0.5, 0.5, 0.3), 0.36901011956554536, 1e-13, 0);
	/* closed forms I_x(a,1) = x^a and I_x(1,b) = 1 - (1-x)^b, non-integer a, b */
	assert_close(tl_stats_betainc(2.5, 1, 0.7), pow(0.7, 2.5), 1e-13, 0);
	assert_close(tl_stats_betainc(1, 3.5, 0.2), 1 - pow(0.8, 3.5), 1e-13, 0);
	/* agrees with the binomial tail code (an independent route) at n = 2000 */
	assert_close(tl_stats_betainc(1040, 961, 0.5), tl_stats_binom_sf(1040, 2000, 0.5), 1e-10,
		     0);
	assert_true(tl_stats_betainc(2, 3, 0.0) == 0.0);
	assert_true(tl_stats_betainc(2, 3, 1.0) == 1.0);
	assert_true(isnan(tl_stats_betainc(0, 3, 0.5)));
	assert_true(isnan(tl_stats_betainc(2, 3, 1.5)));
}

static void test_clopper_pearson(void **state)
{
	(void)state;
	tl_interval_t ci;
	/* bisection on exact Fraction tails; 5/10 also matches R binom.test: 0.1870860,
	 * 0.8129140; 0/10 upper has the closed form 1 - 0.025^(1/10). REL 1e-12. */
	assert_int_equal(tl_stats_clopper_pearson(5, 10, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 0.187086028447399, 1e-12, 0);
	assert_close(ci.hi, 0.812913971552601, 1e-12, 0);
	assert_int_equal(tl_stats_clopper_pearson(0, 10, 0.05, &ci), TL_OK);
	assert_true(ci.lo == 0.0);
	assert_close(ci.hi, 0.308497107818761, 1e-12, 0);
	assert_close(ci.hi, 1 - pow(0.025, 0.1), 1e-13, 0);
	assert_int_equal(tl_stats_clopper_pearson(10, 10, 0.05, &ci), TL_OK);
	assert_true(ci.hi == 1.0);
	assert_close(ci.lo, 0.691502892181239, 1e-12, 0);
	assert_int_equal(tl_stats_clopper_pearson(1, 20, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 0.0012650894979498, 1e-12, 0);
	assert_close(ci.hi, 0.248732762772028, 1e-12, 0);
	assert_int_equal(tl_stats_clopper_pearson(27, 40, 0.05, &ci), TL_OK);
	assert_close(ci.lo, 0.508705124521552, 1e-12, 0);
	assert_close(ci.hi, 0.81427103323665, 1e-12, 0);
	/* 1/n, n huge: lower bound has the closed form 1 - (1 - 0.025)^(1/n), the tail being
	 * 1 - (1-p)^n; upper bound satisfies the defining equation. REL 1e-9 */
	assert_int_equal(tl_stats_clopper_pearson(1, 1000000, 0.05, &ci), TL_OK);
	assert_close(ci.lo, -expm1(log1p(-0.025) / 1e6), 1e-10, 0);
	assert_close(tl_stats_binom_cdf(1, 1000000, ci.hi), 0.025, 1e-9, 0);
	/* n = 0 and bad input */
	assert_int_equal(tl_stats_clopper_pearson(0, 0, 0.05, &ci), TL_OK);
	assert_true(ci.undefined == 1 && ci.lo == 0.0 && ci.hi == 1.0);
	assert_int_equal(tl_stats_clopper_pearson(3, 2, 0.05, &ci), TL_EINVAL);
	/* Clopper-Pearson is never narrower than Wilson's at the same level here */
	tl_interval_t w;
	assert_int_equal(tl_stats_wilson(27, 40, 0.05, &w), TL_OK);
	assert_int_equal(tl_stats_clopper_pearson(27, 40, 0.05, &ci), TL_OK);
	assert_true(ci.lo < w.lo && ci.hi > w.hi);
}

/* ---- rate ratio ---- */

static void test_rate_ratio(void **state)
{
	(void)state;
	tl_rate_ratio_t rr;
	/* Python Fractions: CP on a | a+b, mapped to RR; p = min(1, 2 min(P(X<=a), P(X>=a)))
	 * under pi0 = ta/(ta+tb). CI REL 1e-11, p REL 1e-12. */
	assert_int_equal(tl_stats_rate_ratio(30, 1, 60, 7, 0.05, &rr), TL_OK);
	assert_close(rr.rr.est, 3.5, 1e-15, 0);
	assert_close(rr.rr.lo, 2.17951438258169, 1e-11, 0);
	assert_close(rr.rr.hi, 5.51227483236017, 1e-11, 0);
	assert_close(rr.p_value, 4.9507300446841636e-07, 1e-12, 0);
	assert_int_equal(rr.rr.undefined, 0);
	assert_int_equal(tl_stats_rate_ratio(12, 2, 30, 10, 0.05, &rr), TL_OK);
	assert_close(rr.rr.est, 2.0, 1e-15, 0);
	assert_close(rr.rr.lo, 0.932545534170895, 1e-11, 0);
	assert_close(rr.rr.hi, 4.02264545018062, 1e-11, 0);
	assert_close(rr.p_value, 0.075258159041161704, 1e-12, 0);
	/* a = 0: estimate and lower bound 0 */
	assert_int_equal(tl_stats_rate_ratio(0, 1, 20, 10, 0.05, &rr), TL_OK);
	assert_true(rr.rr.est == 0.0 && rr.rr.lo == 0.0);
	assert_close(rr.rr.hi, 2.02549603796835, 1e-11, 0);
	assert_close(rr.p_value, 0.29728725604828737, 1e-12, 0);
	/* b = 0: estimate and upper bound infinite; p = 2 * (1/4)^5 exactly */
	assert_int_equal(tl_stats_rate_ratio(5, 1, 0, 3, 0.05, &rr), TL_OK);
	assert_true(isinf(rr.rr.est) && isinf(rr.rr.hi));
	assert_close(rr.rr.lo, 2.74906757194638, 1e-11, 0);
	assert_close(rr.p_value, 0.001953125, 1e-13, 0);
	/* equal rates: p capped at 1 (the doubled tail is 1.176) */
	assert_int_equal(tl_stats_rate_ratio(10, 1, 10, 1, 0.05, &rr), TL_OK);
	assert_true(rr.p_value == 1.0);
	assert_close(rr.rr.lo, 0.373546846699366, 1e-11, 0);
	assert_close(rr.rr.hi, 2.67704040024947, 1e-11, 0);
	assert_close(rr.rr.lo * rr.rr.hi, 1.0, 1e-12, 0); /* symmetric when ta = tb, a = b */
	/* a = b = 0: nothing to compare */
	assert_int_equal(tl_stats_rate_ratio(0, 1, 0, 5, 0.05, &rr), TL_OK);
	assert_true(rr.rr.undefined == 1 && isnan(rr.rr.est) && rr.rr.lo == 0.0 &&
		    isinf(rr.rr.hi) && rr.p_value == 1.0);
	/* zero, negative, infinite or NaN exposure */
	tl_rate_ratio_t keep;
	memset(&keep, 0x5a, sizeof keep);
	rr = keep;
	assert_int_equal(tl_stats_rate_ratio(1, 0.0, 1, 1, 0.05, &rr), TL_EINVAL);
	assert_int_equal(tl_stats_rate_ratio(1, 1, 1, 0.0, 0.05, &rr), TL_EINVAL);
	assert_int_equal(tl_stats_rate_ratio(1, -1, 1, 1, 0.05, &rr), TL_EINVAL);
	assert_int_equal(tl_stats_rate_ratio(1, INFINITY, 1, 1, 0.05, &rr), TL_EINVAL);
	assert_int_equal(tl_stats_rate_ratio(1, 1, 1, NAN, 0.05, &rr), TL_EINVAL);
	assert_int_equal(tl_stats_rate_ratio(UINT64_MAX, 1, 1, 1, 0.05, &rr), TL_EINVAL);
	assert_memory_equal(&rr, &keep, sizeof rr);
}

/* ---- incomplete gamma, Poisson tails, Garwood interval, standardised ratio ----
 *
 * References: python3 standard library, decimal.Decimal with 80 significant digits
 * (script written for this purpose, outline):
 *   - Poisson terms e^-mu mu^j / j! from Decimal(mu).exp() by the ratio recurrence;
 *     P(X <= k) summed exactly over j = 0..k; P(X >= k) summed upwards from k until a term
 *     is below 1e-75 of the sum (k above the mean), else 1 - P(X <= k - 1);
 *   - P(a, x) for half-integer a: x^a e^-x sum_n x^n / Gamma(a + n + 1) with
 *     Gamma(m + 1/2) = (2m)! / (4^m m!) sqrt(pi), pi to 80 digits; Q = 1 - P;
 *   - Garwood: 300 bisection steps on mu over the Decimal tails above (alpha/2 = 0.025);
 *     agrees with the closed form -ln 0.025 = 3.6888794541139363 for k = 0 and with the
 *     published table values (1: 0.0253, 5.5716; 10: 4.7954, 18.3904).
 * Also P(1/2, x) = erf(sqrt x): erf(0.5) = 0.5204998778130465.
 */
static void test_gamma(void **state)
{
	(void)state;
	/* REL 1e-14 over series and fraction branches, on either side of x = a + 1 */
	assert_close(tl_stats_gamma_p(0.5, 0.25), 0.52049987781304652, 1e-14, 0);
	assert_close(tl_stats_gamma_q(0.5, 0.25), 0.47950012218695348, 1e-14, 0);
	assert_close(tl_stats_gamma_p(0.5, 3.0), 0.98569412156457037, 1e-14, 0);
	assert_close(tl_stats_gamma_q(0.5, 3.0), 0.01430587843542964, 1e-14, 0);
	assert_close(tl_stats_gamma_p(2.5, 1.0), 0.15085496391539036, 1e-14, 0);
	assert_close(tl_stats_gamma_q(2.5, 1.0), 0.84914503608460967, 1e-14, 0);
	assert_close(tl_stats_gamma_q(2.5, 8.0), 0.0068440739224204308, 1e-14, 0);
	assert_close(tl_stats_gamma_p(10.5, 10.5), 0.54105579110717816, 1e-14, 0);
	assert_close(tl_stats_gamma_q(10.5, 10.5), 0.45894420889282184, 1e-14, 0);
	assert_close(tl_stats_gamma_p(50.5, 30.0), 0.00039413629552777349, 1e-14, 0);
	assert_close(tl_stats_gamma_q(50.5, 80.0), 0.00016827733297129305, 1e-14, 0);
	/* edges and bad arguments */
	assert_true(tl_stats_gamma_p(3.0, 0.0) == 0.0 && tl_stats_gamma_q(3.0, 0.0) == 1.0);
	assert_true(tl_stats_gamma_p(3.0, INFINITY) == 1.0);
	assert_true(isnan(tl_stats_gamma_p(0.0, 1.0)) && isnan(tl_stats_gamma_q(-1.0, 1.0)));
	assert_true(isnan(tl_stats_gamma_p(1.0, -1.0)) && isnan(tl_stats_gamma_p(NAN, 1.0)));
	assert_true(isnan(tl_stats_gamma_p(INFINITY, 1.0)));
}

static void test_poisson(void **state)
{
	(void)state;
	/* small: P(X <= 0 | 0.5) = e^-0.5 */
	assert_close(tl_stats_pois_cdf(0, 0.5), 0.60653065971263342, 1e-15, 0);
	assert_true(tl_stats_pois_sf(0, 0.5) == 1.0);
	assert_close(tl_stats_pois_sf(1, 0.5), 0.39346934028736658, 1e-14, 0);
	assert_close(tl_stats_pois_cdf(1, 0.5), 0.90979598956895014, 1e-14, 0);
	assert_close(tl_stats_pois_cdf(3, 3.0), 0.64723188878223126, 1e-14, 0);
	assert_close(tl_stats_pois_sf(3, 3.0), 0.57680991887315647, 1e-14, 0);
	assert_close(tl_stats_pois_sf(7, 2.25), 0.0083720715585605832, 1e-14, 0);
	/* far tails keep their relative accuracy (REL 1e-13) */
	assert_close(tl_stats_pois_sf(87, 41.5), 4.9716792356496934e-10, 1e-13, 0);
	assert_close(tl_stats_pois_cdf(87, 41.5), 0.99999999976776921, 1e-14, 0);
	assert_close(tl_stats_pois_cdf(20, 41.5), 0.00016645284105671013, 1e-13, 0);
	assert_close(tl_stats_pois_sf(20, 41.5), 0.99992300456857164, 1e-14, 0);
	assert_close(tl_stats_pois_sf(61, 51.75), 0.11374090218478958, 1e-14, 0);
	assert_close(tl_stats_pois_sf(500, 400.125), 8.3762795904979508e-07, 1e-13, 0);
	assert_close(tl_stats_pois_cdf(300, 400.125), 9.784408311882555e-08, 1e-13, 0);
	assert_close(tl_stats_pois_sf(300, 400.125), 0.99999992732245802, 1e-14, 0);
	/* large means: the log-space lead factor (REL 1e-13) */
	assert_close(tl_stats_pois_sf(10000, 9800.25), 0.022341936623975083, 1e-13, 0);
	assert_close(tl_stats_pois_cdf(10000, 9800.25), 0.97818623385966019, 1e-13, 0);
	assert_close(tl_stats_pois_cdf(9700, 9800.25), 0.15681259138239417, 1e-13, 0);
	assert_close(tl_stats_pois_sf(9700, 9800.25), 0.84560885494504312, 1e-13, 0);
	assert_close(tl_stats_pois_sf(100000, 99000.5), 0.00076158172930444051, 1e-13, 0);
	assert_close(tl_stats_pois_cdf(99000, 99500.5), 0.056380532206685777, 1e-13, 0);
	assert_close(tl_stats_pois_sf(1000000, 998000.5), 0.02272310495507136, 1e-12, 0);
	assert_close(tl_stats_pois_cdf(995000, 1000000.25), 2.8111735534296942e-07, 1e-12, 0);
	/* complementary: P(X >= k) + P(X <= k - 1) = 1 */
	assert_close(tl_stats_pois_sf(42, 41.5) + tl_stats_pois_cdf(41, 41.5), 1.0, 1e-15, 0);
	/* mu = 0: all mass at 0; bad means */
	assert_true(tl_stats_pois_cdf(0, 0.0) == 1.0 && tl_stats_pois_sf(1, 0.0) == 0.0);
	assert_true(tl_stats_pois_sf(0, 0.0) == 1.0);
	assert_true(isnan(tl_stats_pois_sf(1, -1.0)) && isnan(tl_stats_pois_cdf(1, NAN)));
	assert_true(isnan(tl_stats_pois_cdf(1, INFINITY)));
}

static void test_garwood_smr(void **state)
{
	(void)state;
	tl_interval_t g;
	/* REL 1e-14 against the Decimal bisection */
	assert_int_equal(tl_stats_garwood(0, 0.05, &g), TL_OK);
	assert_true(g.lo == 0.0 && g.est == 0.0 && !g.undefined);
	assert_close(g.hi, 3.6888794541139363, 1e-14, 0); /* -ln(0.025) */
	assert_int_equal(tl_stats_garwood(1, 0.05, &g), TL_OK);
	assert_close(g.lo, 0.025317807984289876, 1e-14, 0);
	assert_close(g.hi, 5.5716433909388989, 1e-14, 0);
	assert_int_equal(tl_stats_garwood(2, 0.05, &g), TL_OK);
	assert_close(g.lo, 0.2422092785439649, 1e-14, 0);
	assert_close(g.hi, 7.2246876677239609, 1e-14, 0);
	assert_int_equal(tl_stats_garwood(10, 0.05, &g), TL_OK);
	assert_close(g.lo, 4.7953886961324335, 1e-14, 0);
	assert_close(g.hi, 18.390356042017778, 1e-14, 0);
	assert_true(g.est == 10.0);
	assert_int_equal(tl_stats_garwood(87, 0.05, &g), TL_OK);
	assert_close(g.lo, 69.683433535819702, 1e-14, 0);
	assert_close(g.hi, 107.31417858252384, 1e-14, 0);
	assert_int_equal(tl_stats_garwood(181, 0.05, &g), TL_OK);
	assert_close(g.lo, 155.59092500719032, 1e-14, 0);
	assert_close(g.hi, 209.37540517861683, 1e-14, 0);
	assert_int_equal(tl_stats_garwood(1000, 0.05, &g), TL_OK);
	assert_close(g.lo, 938.97301840769524, 1e-14, 0);
	assert_close(g.hi, 1063.9521360163019, 1e-14, 0);
	assert_int_equal(tl_stats_garwood(3, 0.0, &g), TL_EINVAL);
	assert_int_equal(tl_stats_garwood(3, 1.0, &g), TL_EINVAL);

	/* SMR: O / E, Garwood / E, tails of Poisson(E). */
	tl_smr_t s;
	assert_int_equal(tl_stats_smr(87, 41.5, 0.05, &s), TL_OK);
	assert_close(s.ratio.est, 87 / 41.5, 1e-15, 0);
	assert_close(s.ratio.lo, 1.6791188803811976, 1e-14, 0);
	assert_close(s.ratio.hi, 2.5858838212656345, 1e-14, 0);
	assert_close(s.p_greater, 4.9716792356496934e-10, 1e-13, 0);
	assert_close(s.p_two_sided, 2 * 4.9716792356496934e-10, 1e-13, 0);
	/* O = 0: ratio 0, lower bound 0, one-sided p 1, two-sided 2 e^-2.5 */
	assert_int_equal(tl_stats_smr(0, 2.5, 0.05, &s), TL_OK);
	assert_true(s.ratio.est == 0.0 && s.ratio.lo == 0.0 && s.p_greater == 1.0);
	assert_close(s.ratio.hi, 1.4755517816455745, 1e-14, 0);
	assert_close(s.p_two_sided, 2 * 0.0820849986238988, 1e-14, 0);
	assert_int_equal(tl_stats_smr(12, 4.25, 0.05, &s), TL_OK);
	assert_close(s.ratio.lo, 1.4589588491111098, 1e-14, 0);
	assert_close(s.ratio.hi, 4.932137658394578, 1e-14, 0);
	assert_close(s.p_greater, 0.0015141740620178254, 1e-13, 0);
	assert_close(s.p_two_sided, 2 * 0.0015141740620178254, 1e-13, 0);
	/* Near the expected count the doubled tail is capped at 1. */
	assert_int_equal(tl_stats_smr(3, 3.0, 0.05, &s), TL_OK);
	assert_true(s.p_two_sided == 1.0);
	assert_close(s.p_greater, 0.57680991887315647, 1e-14, 0);
	/* the interval matches the two-sided test: lo > 1 exactly when p_greater < alpha/2 */
	for (uint64_t o = 0; o < 40; o++) {
		assert_int_equal(tl_stats_smr(o, 12.0, 0.05, &s), TL_OK);
		assert_true((s.ratio.lo > 1.0) == (s.p_greater < 0.025));
		assert_true((s.ratio.hi < 1.0) == (tl_stats_pois_cdf(o, 12.0) < 0.025));
	}
	assert_int_equal(tl_stats_smr(1, 0.0, 0.05, &s), TL_EINVAL);
	assert_int_equal(tl_stats_smr(1, INFINITY, 0.05, &s), TL_EINVAL);
	assert_int_equal(tl_stats_smr(1, NAN, 0.05, &s), TL_EINVAL);
	assert_int_equal(tl_stats_smr(1, 2.0, 1.5, &s), TL_EINVAL);
}

/* ---- shares ---- */

static void test_shares(void **state)
{
	(void)state;
	tl_shares_t s;
	double t;
	/* by hand: 0.5^2 + 0.3^2 + 0.2^2 = 0.38; entropy from python math.log2:
	 * 1.4854752972273344. REL 1e-15 */
	const uint64_t c1[] = {50, 30, 20};
	assert_int_equal(tl_stats_shares(c1, 3, &s), TL_OK);
	assert_true(s.total == 100 && s.nonzero == 3);
	assert_close(s.hhi, 0.38, 1e-15, 0);
	assert_close(s.hhi_10000, 3800, 1e-15, 0);
	assert_close(s.entropy, 1.4854752972273344, 1e-15, 0);
	assert_int_equal(tl_stats_top_k_share(c1, 3, 1, &t), TL_OK);
	assert_close(t, 0.5, 0, 0);
	assert_int_equal(tl_stats_top_k_share(c1, 3, 2, &t), TL_OK);
	assert_close(t, 0.8, 1e-15, 0);
	assert_int_equal(tl_stats_top_k_share(c1, 3, 9, &t), TL_OK);
	assert_true(t == 1.0);
	assert_int_equal(tl_stats_top_k_share(c1, 3, 0, &t), TL_OK);
	assert_true(t == 0.0);
	/* one source (with zeros around it): HHI exactly 1, entropy 0 */
	const uint64_t c2[] = {0, 7, 0};
	assert_int_equal(tl_stats_shares(c2, 3, &s), TL_OK);
	assert_true(s.hhi == 1.0 && s.hhi_10000 == 10000.0 && s.entropy == 0.0);
	assert_true(s.nonzero == 1 && s.total == 7);
	assert_int_equal(tl_stats_top_k_share(c2, 3, 1, &t), TL_OK);
	assert_true(t == 1.0);
	/* four equal: HHI 1/4, entropy 2 bits; ties in top-k: 2 of the 4 fives of 16+... */
	const uint64_t c3[] = {5, 5, 5, 5};
	assert_int_equal(tl_stats_shares(c3, 4, &s), TL_OK);
	assert_close(s.hhi, 0.25, 1e-15, 0);
	assert_close(s.entropy, 2.0, 1e-15, 0);
	const uint64_t c4[] = {1, 5, 5, 5, 0};
	assert_int_equal(tl_stats_top_k_share(c4, 5, 2, &t), TL_OK);
	assert_close(t, 10.0 / 16.0, 1e-15, 0);
	assert_int_equal(tl_stats_top_k_share(c4, 5, 4, &t), TL_OK);
	assert_true(t == 1.0);
	/* zero total and overflow are errors; outputs untouched */
	const uint64_t c5[] = {0, 0};
	const uint64_t c6[] = {UINT64_MAX, 1};
	t = 42;
	assert_int_equal(tl_stats_shares(c5, 2, &s), TL_EINVAL);
	assert_int_equal(tl_stats_shares(c5, 0, &s), TL_EINVAL);
	assert_int_equal(tl_stats_shares(c6, 2, &s), TL_EINVAL);
	assert_int_equal(tl_stats_top_k_share(c5, 2, 1, &t), TL_EINVAL);
	assert_true(t == 42);
}

/* ---- multiple testing ---- */

static void test_holm_bh(void **state)
{
	(void)state;
	double adj[5];
	/* Fractions reference; REL 1e-15 */
	const double p1[] = {0.01, 0.04, 0.03, 0.005, 0.5};
	const double h1[] = {0.04, 0.09, 0.09, 0.025, 0.5};
	const double b1[] = {0.025, 0.05, 0.05, 0.025, 0.5};
	assert_int_equal(tl_stats_holm(p1, 5, adj), TL_OK);
	for (int i = 0; i < 5; i++)
		assert_close(adj[i], h1[i], 1e-15, 0);
	assert_int_equal(tl_stats_bh(p1, 5, adj), TL_OK);
	for (int i = 0; i < 5; i++)
		assert_close(adj[i], b1[i], 1e-15, 0);
	/* all equal: Holm m*p for all, BH p for all */
	const double p2[] = {0.03, 0.03, 0.03, 0.03};
	assert_int_equal(tl_stats_holm(p2, 4, adj), TL_OK);
	for (int i = 0; i < 4; i++)
		assert_close(adj[i], 0.12, 1e-15, 0);
	assert_int_equal(tl_stats_bh(p2, 4, adj), TL_OK);
	for (int i = 0; i < 4; i++)
		assert_close(adj[i], 0.03, 1e-15, 0);
	/* p = 1 and capping at 1 */
	const double p3[] = {1.0, 1e-6, 1.0};
	assert_int_equal(tl_stats_holm(p3, 3, adj), TL_OK);
	assert_true(adj[0] == 1.0 && adj[2] == 1.0);
	assert_close(adj[1], 3e-6, 1e-15, 0);
	assert_int_equal(tl_stats_bh(p3, 3, adj), TL_OK);
	assert_true(adj[0] == 1.0 && adj[2] == 1.0);
	assert_close(adj[1], 3e-6, 1e-15, 0);
	const double p4[] = {0.6, 0.7};
	assert_int_equal(tl_stats_holm(p4, 2, adj), TL_OK);
	assert_true(adj[0] == 1.0 && adj[1] == 1.0);
	/* ties not adjacent in input */
	const double p5[] = {0.02, 0.02, 0.1, 0.003};
	const double h5[] = {0.06, 0.06, 0.1, 0.012};
	const double b5[] = {0.026666666666666668, 0.026666666666666668, 0.1, 0.012};
	assert_int_equal(tl_stats_holm(p5, 4, adj), TL_OK);
	for (int i = 0; i < 4; i++)
		assert_close(adj[i], h5[i], 1e-15, 0);
	assert_int_equal(tl_stats_bh(p5, 4, adj), TL_OK);
	for (int i = 0; i < 4; i++)
		assert_close(adj[i], b5[i], 1e-15, 0);
	/* in place */
	double inplace[] = {0.01, 0.04, 0.03, 0.005, 0.5};
	assert_int_equal(tl_stats_holm(inplace, 5, inplace), TL_OK);
	for (int i = 0; i < 5; i++)
		assert_close(inplace[i], h1[i], 1e-15, 0);
	/* one test: unchanged; none: fine */
	const double p6[] = {0.2};
	assert_int_equal(tl_stats_holm(p6, 1, adj), TL_OK);
	assert_true(adj[0] == 0.2);
	assert_int_equal(tl_stats_bh(p6, 1, adj), TL_OK);
	assert_true(adj[0] == 0.2);
	assert_int_equal(tl_stats_holm(NULL, 0, NULL), TL_OK);
	/* bad p */
	const double p7[] = {0.2, NAN};
	const double p8[] = {0.2, 1.5};
	const double p9[] = {-0.1};
	assert_int_equal(tl_stats_holm(p7, 2, adj), TL_EINVAL);
	assert_int_equal(tl_stats_bh(p8, 2, adj), TL_EINVAL);
	assert_int_equal(tl_stats_bh(p9, 1, adj), TL_EINVAL);
}

/* ---- permutations ---- */

static void test_perm(void **state)
{
	(void)state;
	/* (1 + b) / (1 + m), by hand */
	assert_true(tl_stats_perm_p(0, 999) == 0.001);
	assert_true(tl_stats_perm_p(999, 999) == 1.0);
	assert_true(tl_stats_perm_p(0, 0) == 1.0);
	assert_close(tl_stats_perm_p(49, 9999), 0.005, 1e-15, 0);
	assert_true(isnan(tl_stats_perm_p(5, 4)));
	const double null[] = {1, 2, 3, 4, 5, NAN};
	assert_close(tl_stats_perm_p_null(null, 6, 4.0, 0.0), 3.0 / 7.0, 1e-15, 0);
	assert_close(tl_stats_perm_p_null(null, 6, 4.0 + 1e-13, 0.0), 2.0 / 7.0, 1e-15, 0);
	assert_close(tl_stats_perm_p_null(null, 6, 4.0 + 1e-13, 1e-12), 3.0 / 7.0, 1e-15, 0);
	assert_close(tl_stats_perm_p_null(null, 6, 100.0, 0.0), 1.0 / 7.0, 1e-15, 0);
	assert_true(isnan(tl_stats_perm_p_null(null, 6, NAN, 0.0)));
	assert_true(isnan(tl_stats_perm_p_null(null, 6, 1.0, -1.0)));
}

/* ---- order statistics and robust scores ---- */

static void test_quantiles(void **state)
{
	(void)state;
	double v;
	/* type 7 by hand; the same as R quantile(c(10,20,30,40), c(.25,.9)) = 17.5, 37 */
	const double x[] = {40, 10, 30, 20};
	assert_int_equal(tl_stats_quantile(x, 4, 0.25, &v), TL_OK);
	assert_close(v, 17.5, 1e-15, 0);
	assert_int_equal(tl_stats_quantile(x, 4, 0.9, &v), TL_OK);
	assert_close(v, 37.0, 1e-15, 0);
	assert_int_equal(tl_stats_quantile(x, 4, 0.0, &v), TL_OK);
	assert_true(v == 10.0);
	assert_int_equal(tl_stats_quantile(x, 4, 1.0, &v), TL_OK);
	assert_true(v == 40.0);
	assert_int_equal(tl_stats_median(x, 4, &v), TL_OK);
	assert_true(v == 25.0);
	const double odd[] = {3, 1, 2};
	assert_int_equal(tl_stats_median(odd, 3, &v), TL_OK);
	assert_true(v == 2.0);
	const double one[] = {7};
	assert_int_equal(tl_stats_quantile(one, 1, 0.3, &v), TL_OK);
	assert_true(v == 7.0);
	v = -1;
	assert_int_equal(tl_stats_median(x, 0, &v), TL_EINVAL);
	assert_int_equal(tl_stats_quantile(x, 4, 1.5, &v), TL_EINVAL);
	const double withnan[] = {1, NAN};
	assert_int_equal(tl_stats_median(withnan, 2, &v), TL_EINVAL);
	assert_true(v == -1);
	/* input not modified */
	assert_true(x[0] == 40 && x[1] == 10);
}

static void test_percentile_rank(void **state)
{
	(void)state;
	double v;
	/* mid-rank by hand over {1,2,2,3,5} */
	const double x[] = {5, 2, 1, 3, 2};
	assert_int_equal(tl_stats_percentile_rank(x, 5, 2, &v), TL_OK);
	assert_close(v, 0.4, 1e-15, 0); /* (1 + 0.5*2)/5 */
	assert_int_equal(tl_stats_percentile_rank(x, 5, 0, &v), TL_OK);
	assert_true(v == 0.0);
	assert_int_equal(tl_stats_percentile_rank(x, 5, 6, &v), TL_OK);
	assert_true(v == 1.0);
	assert_int_equal(tl_stats_percentile_rank(x, 5, 5, &v), TL_OK);
	assert_close(v, 0.9, 1e-15, 0);
	assert_int_equal(tl_stats_percentile_rank(x, 5, 2.5, &v), TL_OK);
	assert_close(v, 0.6, 1e-15, 0);
	assert_int_equal(tl_stats_percentile_rank(x, 0, 1, &v), TL_EINVAL);
	assert_int_equal(tl_stats_percentile_rank(x, 5, NAN, &v), TL_EINVAL);
}

static void test_robust_z(void **state)
{
	(void)state;
	double z[7];
	tl_robust_t info;
	/* by hand: median 12; |dev| = 2,0,1,1,38,0,1 -> MAD 1; z(50) = 0.6745*38 = 25.631 */
	const double x[] = {10, 12, 11, 13, 50, 12, 11};
	assert_int_equal(tl_stats_robust_z(x, 7, z, &info), TL_OK);
	assert_true(info.median == 12.0 && info.mad == 1.0);
	assert_close(info.mad_scaled, 1.4826, 1e-15, 0);
	assert_int_equal(info.scale, TL_STATS_SCALE_MAD);
	assert_close(z[4], 25.631, 1e-14, 0);
	assert_close(z[0], -1.349, 1e-14, 0);
	assert_true(z[1] == 0.0);
	int outliers = 0;
	for (int i = 0; i < 7; i++)
		outliers += fabs(z[i]) > TL_STATS_OUTLIER_Z;
	assert_int_equal(outliers, 1);
	/* MAD = 0: more than half the days equal. MeanAD = 15/6 = 2.5,
	 * z(20) = 15 / (1.253314 * 2.5) = 4.787307889323825 (python float) */
	const double y[] = {5, 5, 5, 5, 5, 20};
	assert_int_equal(tl_stats_robust_z(y, 6, z, &info), TL_OK);
	assert_int_equal(info.scale, TL_STATS_SCALE_MEANAD);
	assert_true(info.mad == 0.0);
	assert_close(info.meanad, 2.5, 1e-15, 0);
	assert_close(z[5], 4.787307889323825, 1e-14, 0);
	assert_true(z[0] == 0.0);
	/* constant series: no scale, every z 0 */
	const double c[] = {3, 3, 3};
	assert_int_equal(tl_stats_robust_z(c, 3, z, &info), TL_OK);
	assert_int_equal(info.scale, TL_STATS_SCALE_NONE);
	assert_true(z[0] == 0.0 && z[1] == 0.0 && z[2] == 0.0);
	/* in place, and info optional */
	double w[] = {10, 12, 11, 13, 50, 12, 11};
	assert_int_equal(tl_stats_robust_z(w, 7, w, NULL), TL_OK);
	assert_close(w[4], 25.631, 1e-14, 0);
	/* errors */
	const double bad[] = {1, INFINITY};
	assert_int_equal(tl_stats_robust_z(bad, 2, z, &info), TL_EINVAL);
	assert_int_equal(tl_stats_robust_z(x, 0, z, &info), TL_EINVAL);
}

/* The calibrated ratio: with phi = 1 and Var(E) = 0 it is the SMR exactly; with Var(E) > 0
 * and integer counts it is the exact conditional binomial test of two Poisson counts
 * (o = 10 against a reference of b = 90, pi0 = E / (E + b) = 0.1); dispersion and the
 * reference's error only ever widen it. */
static void test_qratio(void **state)
{
	(void)state;
	tl_qratio_t q;
	tl_smr_t sm;
	assert_int_equal(tl_stats_qratio(48, 24.0, 0.0, 1.0, 0.05, &q), TL_OK);
	assert_int_equal(tl_stats_smr(48, 24.0, 0.05, &sm), TL_OK);
	assert_true(fabs(q.p_greater - sm.p_greater) <= 1e-12 * sm.p_greater);
	assert_true(fabs(q.ratio.lo - sm.ratio.lo) <= 1e-9 * sm.ratio.lo);
	assert_true(fabs(q.ratio.hi - sm.ratio.hi) <= 1e-9 * sm.ratio.hi);
	assert_true(isinf(q.b_eff));
	/* E = 10 with Var(E) = E^2 / 90: b = 90 */
	assert_int_equal(tl_stats_qratio(10, 10.0, 100.0 / 90.0, 1.0, 0.05, &q), TL_OK);
	assert_true(fabs(q.b_eff - 90.0) < 1e-9);
	double ref = tl_stats_binom_sf(10, 100, 0.1);
	assert_true(fabs(q.p_greater - ref) <= 1e-8 * ref);
	assert_true(q.ratio.lo < 1.0 && q.ratio.hi > 1.0);
	/* the interval inverts the tails: at its bounds the tails are alpha / 2 */
	tl_interval_t cp;
	assert_int_equal(tl_stats_clopper_pearson(10, 100, 0.05, &cp), TL_OK);
	assert_true(fabs(q.ratio.lo - cp.lo / (1 - cp.lo) * 9.0) <= 1e-7 * q.ratio.lo);
	assert_true(fabs(q.ratio.hi - cp.hi / (1 - cp.hi) * 9.0) <= 1e-7 * q.ratio.hi);
	/* more dispersion or more error in E: a larger p and a wider interval */
	tl_qratio_t a, b, c;
	assert_int_equal(tl_stats_qratio(40, 20.0, 2.0, 1.0, 0.05, &a), TL_OK);
	assert_int_equal(tl_stats_qratio(40, 20.0, 2.0, 2.0, 0.05, &b), TL_OK);
	assert_int_equal(tl_stats_qratio(40, 20.0, 8.0, 1.0, 0.05, &c), TL_OK);
	assert_true(a.p_greater < b.p_greater && a.p_greater < c.p_greater);
	assert_true(b.ratio.lo < a.ratio.lo && b.ratio.hi > a.ratio.hi);
	assert_true(c.ratio.lo < a.ratio.lo && c.ratio.hi > a.ratio.hi);
	/* o = 0: no evidence of a rise */
	assert_int_equal(tl_stats_qratio(0, 5.0, 1.0, 1.5, 0.05, &q), TL_OK);
	assert_true(q.p_greater == 1.0 && q.ratio.lo == 0.0 && q.ratio.est == 0.0);
	assert_int_equal(tl_stats_qratio(1, 5.0, 1.0, 0.5, 0.05, &q), TL_EINVAL);
	assert_int_equal(tl_stats_qratio(1, 0.0, 1.0, 1.0, 0.05, &q), TL_EINVAL);
	assert_int_equal(tl_stats_qratio(1, 5.0, -1.0, 1.0, 0.05, &q), TL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qratio),
		cmocka_unit_test(test_norm_quantile),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_wilson_deff),
		cmocka_unit_test(test_binom_small),
		cmocka_unit_test(test_binom_huge),
		cmocka_unit_test(test_betainc),
		cmocka_unit_test(test_clopper_pearson),
		cmocka_unit_test(test_rate_ratio),
		cmocka_unit_test(test_gamma),
		cmocka_unit_test(test_poisson),
		cmocka_unit_test(test_garwood_smr),
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_holm_bh),
		cmocka_unit_test(test_perm),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_percentile_rank),
		cmocka_unit_test(test_robust_z),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
