/* fmt.h - the one formatter of numbers, intervals, p-values, percentages, durations and
 * dates, for every renderer (the report, the terminal summary, the charts). Everything is
 * appended to a tl_buf_t in the wording of a tl_lang_t; nothing here calls setlocale, so the
 * C library's "%f" always writes '.' and the output is the same on every machine.
 * Where one renderer has always written a number its own way (the terminal's durations, the
 * charts' "too large"), that way is a function of its own here, named for what it does, so
 * that no output changes and the differences are in one place to see. */
#ifndef TL_RENDER_FMT_H
#define TL_RENDER_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/tz.h"

/* Wording of numbers and dates for one language; English is the only table now. */
typedef struct tl_lang {
	const char *months[12];      /* "January" .. */
	const char *months_abbr[12]; /* "Jan" .. */
	const char *weekdays[7];     /* Monday first (tl_civil_t order) */
	char thousands;              /* ',' */
	char decimal;                /* '.' */
	const char *ci;              /* "CI": after the level in intervals */
	const char *range_dash;      /* "–" between interval ends */
	const char *na;              /* "n/a": no value (NaN) */
	const char *infinity;        /* "∞" */
	const char *units[6];        /* duration units: d, h, min, s, ms, µs */
} tl_lang_t;

extern const tl_lang_t tl_lang_en;

/* Number formats. lang NULL = English. NaN writes lang->na, +-inf "∞"/"-∞". A value that
 * rounds to zero never gets a minus sign. */
/* 3511 -> "3,511"; -1234567 -> "-1,234,567". */
void tl_fmt_int(tl_buf_t *b, int64_t v, const tl_lang_t *lang);
void tl_fmt_uint(tl_buf_t *b, uint64_t v, const tl_lang_t *lang);
/* v with digits decimals (0..9), rounded, thousands separated: 12345.678,1 -> "12,345.7". */
void tl_fmt_fixed(tl_buf_t *b, double v, int digits, const tl_lang_t *lang);
/* A share (0..1) as a percentage with digits decimals: 0.7962,1 -> "79.6%". */
void tl_fmt_pct(tl_buf_t *b, double share, int digits, const tl_lang_t *lang);
/* A confidence level (0..1) as a short percentage, trailing zeros dropped: 0.95 -> "95%",
 * 0.995 -> "99.5%". */
void tl_fmt_level(tl_buf_t *b, double level, const tl_lang_t *lang);
/* "78.0% (95% CI 76.5–79.3%)": share, interval [lo, hi] (shares), level (0..1). */
void tl_fmt_pct_ci(tl_buf_t *b, double share, double lo, double hi, double level, int digits,
		   const tl_lang_t *lang);
/* "2,820 (79.6%, 95% CI 78.2–80.9%)". */
void tl_fmt_count_pct_ci(tl_buf_t *b, uint64_t count, double share, double lo, double hi,
			 double level, int digits, const tl_lang_t *lang);
/* A ratio with its interval: "2.41 (95% CI 1.80–3.22)". */
void tl_fmt_ratio_ci(tl_buf_t *b, double v, double lo, double hi, double level, int digits,
		     const tl_lang_t *lang);
/* A p-value with digits decimals (1..9): "0.0123"; below 10^-digits "< 0.0001". */
void tl_fmt_p(tl_buf_t *b, double p, int digits, const tl_lang_t *lang);
/* A duration in microseconds, as its largest unit and the next one, rounded to the nearest
 * of the smaller shown unit, a zero second unit left out: "1 d 12 h", "3 h 5 min", "42 s",
 * "2 min", "350 ms", "0 s". Negative durations get "-". */
void tl_fmt_duration(tl_buf_t *b, int64_t us, const tl_lang_t *lang);

/* Date and time styles. */
enum {
	TL_DATE_LONG = 0,     /* "4 May 2016" */
	TL_DATE_ABBR,         /* "4 May 2016" with abbreviated months: "4 Sep 2016" */
	TL_DATE_ISO,          /* "2016-05-04" */
	TL_DATE_MONTH,        /* "May 2016" */
	TL_DATE_DAY_MONTH,    /* "4 May" */
	TL_DATETIME_ISO,      /* "2016-05-04 06:10 UTC" */
	TL_DATETIME_ISO_SEC,  /* "2016-05-04 06:10:07 UTC" */
	TL_DATETIME_LONG,     /* "4 May 2016, 06:10 UTC" */
	TL_DATETIME_WEEKDAY,  /* "Wednesday, 4 May 2016, 06:10 UTC" */
	TL_DATE_YEAR,         /* "2016" (chart ticks) */
	TL_DATE_MON_YEAR,     /* "Sep 2016" (chart ticks) */
	TL_DATE_MON,          /* "Sep" (chart ticks) */
	TL_DATE_DAY_MON,      /* "4 Sep" (chart ticks) */
};

/* A UTC time (microseconds) in style; times are cut to the minute or second (not rounded),
 * as a clock shows them. TL_TIME_NONE writes lang->na. */
void tl_fmt_time(tl_buf_t *b, int64_t us, int style, const tl_lang_t *lang);
/* Civil time c (from tl_tz_civil) in style, with zone (e.g. "Europe/Moscow" or "MSK") where
 * the style writes "UTC". */
void tl_fmt_civil(tl_buf_t *b, const tl_civil_t *c, int style, const char *zone,
		  const tl_lang_t *lang);


/* ---- the terminal summary's forms (tealeaves profile) ---- */

/* As tl_fmt_fixed, but a magnitude of 10^18 or more is written in exponent form
 * ("1.50e+18"): a terminal column has no room for 25 digits. */
void tl_fmt_fixed_sci(tl_buf_t *b, double v, int digits, const tl_lang_t *lang);
/* v with at most digits decimals (0..9), trailing zeros and a bare decimal point left out:
 * 0.05,6 -> "0.05"; 95.0,4 -> "95". */
void tl_fmt_trim(tl_buf_t *b, double v, int digits, const tl_lang_t *lang);
/* The confidence level 1 - alpha with at most four decimals: 0.05 -> "95%",
 * 0.000001 -> "99.9999%"; lang->na unless 0 < alpha < 1. (tl_fmt_level keeps three.) */
void tl_fmt_level_alpha(tl_buf_t *b, double alpha, const tl_lang_t *lang);
/* An interval of shares as percentages: "76.5–79.3%"; lang->na when either end is NaN. */
void tl_fmt_pct_range(tl_buf_t *b, double lo, double hi, int digits, const tl_lang_t *lang);
/* "2,589 (78.0%, 95% CI 76.5–79.3%)" with the level from alpha (tl_fmt_level_alpha); just
 * the count when share is NaN, and an end that is NaN written lang->na in its place
 * ("n/a–79.3%"). */
void tl_fmt_count_pct_alpha(tl_buf_t *b, uint64_t count, double share, double lo, double hi,
			    double alpha, int digits, const tl_lang_t *lang);
/* As tl_fmt_p, but "< 0.0001" only for a p that rounds to zero at digits decimals (below
 * half of 10^-digits): 0.00007,4 -> "0.0001". */
void tl_fmt_p_round(tl_buf_t *b, double p, int digits, const tl_lang_t *lang);
/* A duration in microseconds as a clock counts it, whole seconds (cut, not rounded), the
 * leading zero units left out: "1d 02h 03m 04s", "3h 05m 00s", "42s"; negative ones get
 * "-". The unit letters are fixed (they are not lang->units). */
void tl_fmt_duration_dhms(tl_buf_t *b, int64_t us, const tl_lang_t *lang);
/* A clock offset in microseconds as seconds with six decimals and a sign:
 * 980003 -> "+0.980003 s", -1500000 -> "-1.500000 s". */
void tl_fmt_offset(tl_buf_t *b, int64_t us, const tl_lang_t *lang);
/* A UTC time in ISO 8601 as tl_time_format_iso writes it (years clamped to 0000..9999):
 * "2016-05-04T06:10:07Z", or with day_only "2016-05-04"; TL_TIME_NONE writes none. */
void tl_fmt_time_iso(tl_buf_t *b, int64_t us, int day_only, const char *none);

/* ---- the charts' forms ---- */

/* As tl_fmt_fixed for the labels of a chart: up to 10 decimals (ticks of a log axis go down
 * to 10^-10), every value that is not finite lang->na, and "too large" from 10^15 on. */
void tl_fmt_chart_num(tl_buf_t *b, double v, int digits, const tl_lang_t *lang);
/* A share with its interval beside a bar: "78.0% (76.5–79.3)"; "78.0%" when an end is not
 * finite. One decimal. */
void tl_fmt_chart_share(tl_buf_t *b, double share, double lo, double hi, const tl_lang_t *lang);
/* A rate ratio with its interval beside a forest row: "2.41 (1.80–3.22)", "12.50 (1.80–∞)",
 * "2.41" without a lower end or with a NaN upper one, "not estimable" for a ratio that is
 * not a finite number >= 0. Decimals: two from 0.1 to 100, none from 100, three
 * significant digits below 0.1 (at most six decimals). */
void tl_fmt_chart_ratio(tl_buf_t *b, double ratio, double lo, double hi, const tl_lang_t *lang);

#endif
