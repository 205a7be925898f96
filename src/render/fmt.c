/* fmt.c - the one formatter of numbers, intervals, p-values, percentages, durations and
 * dates (fmt.h). */
#include "render/fmt.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/time.h"

const tl_lang_t tl_lang_en = {
	.months = {"January", "February", "March", "April", "May", "June", "July", "August",
		   "September", "October", "November", "December"},
	.months_abbr = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			"Nov", "Dec"},
	.weekdays = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
		     "Sunday"},
	.thousands = ',',
	.decimal = '.',
	.ci = "CI",
	.range_dash = "\xe2\x80\x93", /* U+2013 EN DASH */
	.na = "n/a",
	.infinity = "\xe2\x88\x9e", /* U+221E */
	.units = {"d", "h", "min", "s", "ms", "\xc2\xb5s"},
};

/* Numbers. */

static const tl_lang_t *lang_or_en(const tl_lang_t *lang)
{
	return lang ? lang : &tl_lang_en;
}

/* Appends the decimal digits d[0..n) with a separator every three from the right. */
static void put_grouped(tl_buf_t *b, const char *d, size_t n, char sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			tl_buf_putc(b, sep);
		tl_buf_putc(b, d[i]);
	}
}

void tl_fmt_uint(tl_buf_t *b, uint64_t v, const tl_lang_t *lang)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%" PRIu64, v);

	put_grouped(b, d, (size_t)n, lang_or_en(lang)->thousands);
}

void tl_fmt_int(tl_buf_t *b, int64_t v, const tl_lang_t *lang)
{
	if (v < 0) {
		tl_buf_putc(b, '-');
		tl_fmt_uint(b, (uint64_t)0 - (uint64_t)v, lang);
	} else {
		tl_fmt_uint(b, (uint64_t)v, lang);
	}
}

/* Appends the finite v with digits decimals (not clamped), thousands separated; a value
 * that rounds to zero gets no minus sign. Every fixed-point number of every renderer goes
 * through here. */
static void put_fixed(tl_buf_t *b, double v, int digits, const tl_lang_t *L)
{
	char d[400];
	int n, nonzero = 0;
	const char *dot;
	size_t ilen;

	/* The C library's "%f" is exact and, as nothing here calls setlocale, uses '.'. */
	n = snprintf(d, sizeof(d), "%.*f", digits, fabs(v));
	if (n <= 0 || (size_t)n >= sizeof(d))
		return;
	for (int i = 0; i < n; i++)
		if (d[i] >= '1' && d[i] <= '9')
			nonzero = 1;
	if (v < 0 && nonzero)
		tl_buf_putc(b, '-');
	dot = memchr(d, '.', (size_t)n);
	ilen = dot ? (size_t)(dot - d) : (size_t)n;
	put_grouped(b, d, ilen, L->thousands);
	if (dot) {
		tl_buf_putc(b, L->decimal);
		tl_buf_append(b, dot + 1, (size_t)n - ilen - 1);
	}
}

/* NaN and the infinities as every format but the charts' writes them; 1 when v was one. */
static int put_special(tl_buf_t *b, double v, const tl_lang_t *L)
{
	if (isnan(v)) {
		tl_buf_puts(b, L->na);
		return 1;
	}
	if (isinf(v)) {
		if (v < 0)
			tl_buf_putc(b, '-');
		tl_buf_puts(b, L->infinity);
		return 1;
	}
	return 0;
}

static int clamp_digits(int digits, int lo, int hi)
{
	return digits < lo ? lo : digits > hi ? hi : digits;
}

void tl_fmt_fixed(tl_buf_t *b, double v, int digits, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (put_special(b, v, L))
		return;
	put_fixed(b, v, clamp_digits(digits, 0, 9), L);
}

void tl_fmt_pct(tl_buf_t *b, double share, int digits, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (isnan(share)) {
		tl_buf_puts(b, L->na);
		return;
	}
	tl_fmt_fixed(b, share * 100.0, digits, lang);
	tl_buf_putc(b, '%');
}

/* Appends t[0..n) without trailing zeros after the decimal point, nor a bare point. */
static void put_trimmed(tl_buf_t *b, const tl_buf_t *t, char decimal)
{
	size_t n = t->len;

	if (n > 0 && memchr(t->data, decimal, n) != NULL) {
		while (n > 0 && t->data[n - 1] == '0')
			n--;
		if (n > 0 && t->data[n - 1] == decimal)
			n--;
	}
	tl_buf_append(b, t->data, n);
}

void tl_fmt_level(tl_buf_t *b, double level, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (isnan(level) || isinf(level)) {
		tl_buf_puts(b, L->na);
		return;
	}
	tl_fmt_trim(b, level * 100.0, 3, lang);
	tl_buf_putc(b, '%');
}

/* "lo–hi" and unit; scale 100 for percentages; lang->na when either end is NaN. */
static void put_range(tl_buf_t *b, double lo, double hi, int digits, double scale,
		      const char *unit, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (isnan(lo) || isnan(hi)) {
		tl_buf_puts(b, L->na);
		return;
	}
	tl_fmt_fixed(b, lo * scale, digits, lang);
	tl_buf_puts(b, L->range_dash);
	tl_fmt_fixed(b, hi * scale, digits, lang);
	tl_buf_puts(b, unit);
}

/* "(95% CI lo–hi" without the closing parenthesis; scale 100 for percentages. */
static void put_ci(tl_buf_t *b, double lo, double hi, double level, int digits, double scale,
		   const char *unit, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	tl_fmt_level(b, level, lang);
	tl_buf_putc(b, ' ');
	tl_buf_puts(b, L->ci);
	tl_buf_putc(b, ' ');
	put_range(b, lo, hi, digits, scale, unit, lang);
}

void tl_fmt_pct_ci(tl_buf_t *b, double share, double lo, double hi, double level, int digits,
		   const tl_lang_t *lang)
{
	tl_fmt_pct(b, share, digits, lang);
	if (isnan(share))
		return;
	tl_buf_puts(b, " (");
	put_ci(b, lo, hi, level, digits, 100.0, "%", lang);
	tl_buf_putc(b, ')');
}

void tl_fmt_count_pct_ci(tl_buf_t *b, uint64_t count, double share, double lo, double hi,
			 double level, int digits, const tl_lang_t *lang)
{
	tl_fmt_uint(b, count, lang);
	tl_buf_puts(b, " (");
	tl_fmt_pct(b, share, digits, lang);
	if (!isnan(share)) {
		tl_buf_puts(b, ", ");
		put_ci(b, lo, hi, level, digits, 100.0, "%", lang);
	}
	tl_buf_putc(b, ')');
}

void tl_fmt_ratio_ci(tl_buf_t *b, double v, double lo, double hi, double level, int digits,
		     const tl_lang_t *lang)
{
	tl_fmt_fixed(b, v, digits, lang);
	if (isnan(v))
		return;
	tl_buf_puts(b, " (");
	put_ci(b, lo, hi, level, digits, 1.0, "", lang);
	tl_buf_putc(b, ')');
}

void tl_fmt_p(tl_buf_t *b, double p, int digits, const tl_lang_t *lang)
{
	double floor_p;

	if (isnan(p)) {
		tl_buf_puts(b, lang_or_en(lang)->na);
		return;
	}
	if (digits < 1)
		digits = 1;
	if (digits > 9)
		digits = 9;
	floor_p = pow(10.0, -digits);
	if (p < floor_p) {
		tl_buf_puts(b, "< ");
		tl_fmt_fixed(b, floor_p, digits, lang);
		return;
	}
	tl_fmt_fixed(b, p, digits, lang);
}

void tl_fmt_duration(tl_buf_t *b, int64_t us, const tl_lang_t *lang)
{
	static const uint64_t unit[6] = {UINT64_C(86400000000), UINT64_C(3600000000),
					 UINT64_C(60000000), UINT64_C(1000000), 1000, 1};
	const tl_lang_t *L = lang_or_en(lang);
	uint64_t u = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	int i = 0;

	if (u == 0) {
		tl_buf_puts(b, "0 ");
		tl_buf_puts(b, L->units[3]);
		return;
	}
	/* Round to the smaller shown unit; a carry into a larger unit (23 h 59.6 min) is
	 * rounded again, which is then exact, so three rounds always settle. */
	for (int round = 0; round < 3; round++) {
		uint64_t small, r;
		for (i = 0; i < 5 && u < unit[i]; i++)
			;
		small = i <= 2 ? unit[i + 1] : unit[i];
		r = u / small * small;
		if (u - r >= small - small / 2)
			r += small;
		if (r == u)
			break;
		u = r;
	}
	if (us < 0)
		tl_buf_putc(b, '-');
	tl_fmt_uint(b, u / unit[i], lang);
	tl_buf_putc(b, ' ');
	tl_buf_puts(b, L->units[i]);
	if (i <= 2 && (u % unit[i]) / unit[i + 1] > 0) {
		tl_buf_putc(b, ' ');
		tl_buf_u64(b, (u % unit[i]) / unit[i + 1]);
		tl_buf_putc(b, ' ');
		tl_buf_puts(b, L->units[i + 1]);
	}
}

/* Dates. */

static void put_year(tl_buf_t *b, int64_t y)
{
	if (y >= 0 && y <= 9999)
		tl_buf_printf(b, "%04d", (int)y);
	else
		tl_buf_i64(b, y);
}

void tl_fmt_civil(tl_buf_t *b, const tl_civil_t *c, int style, const char *zone,
		  const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);
	int m = c->month >= 1 && c->month <= 12 ? c->month - 1 : 0;
	int wd = c->weekday >= 0 && c->weekday <= 6 ? c->weekday : 0;
	const char *z = zone && *zone ? zone : "UTC";

	switch (style) {
	case TL_DATE_ABBR:
		tl_buf_printf(b, "%d %s ", c->day, L->months_abbr[m]);
		tl_buf_i64(b, c->year);
		break;
	case TL_DATE_ISO:
		put_year(b, c->year);
		tl_buf_printf(b, "-%02d-%02d", c->month, c->day);
		break;
	case TL_DATE_MONTH:
		tl_buf_printf(b, "%s ", L->months[m]);
		tl_buf_i64(b, c->year);
		break;
	case TL_DATE_DAY_MONTH:
		tl_buf_printf(b, "%d %s", c->day, L->months[m]);
		break;
	case TL_DATETIME_ISO:
	case TL_DATETIME_ISO_SEC:
		put_year(b, c->year);
		tl_buf_printf(b, "-%02d-%02d %02d:%02d", c->month, c->day, c->hour, c->minute);
		if (style == TL_DATETIME_ISO_SEC)
			tl_buf_printf(b, ":%02d", c->second);
		tl_buf_printf(b, " %s", z);
		break;
	case TL_DATETIME_WEEKDAY:
		tl_buf_printf(b, "%s, ", L->weekdays[wd]);
		/* fall through */
	case TL_DATETIME_LONG:
		tl_buf_printf(b, "%d %s ", c->day, L->months[m]);
		tl_buf_i64(b, c->year);
		tl_buf_printf(b, ", %02d:%02d %s", c->hour, c->minute, z);
		break;
	case TL_DATE_YEAR:
		tl_buf_i64(b, c->year);
		break;
	case TL_DATE_MON_YEAR:
		tl_buf_printf(b, "%s ", L->months_abbr[m]);
		tl_buf_i64(b, c->year);
		break;
	case TL_DATE_MON:
		tl_buf_puts(b, L->months_abbr[m]);
		break;
	case TL_DATE_DAY_MON:
		tl_buf_printf(b, "%d %s", c->day, L->months_abbr[m]);
		break;
	case TL_DATE_LONG:
	default:
		tl_buf_printf(b, "%d %s ", c->day, L->months[m]);
		tl_buf_i64(b, c->year);
		break;
	}
}

void tl_fmt_time(tl_buf_t *b, int64_t us, int style, const tl_lang_t *lang)
{
	tl_civil_t c;

	if (us == TL_TIME_NONE) {
		tl_buf_puts(b, lang_or_en(lang)->na);
		return;
	}
	tl_tz_civil_utc(us, &c);
	tl_fmt_civil(b, &c, style, "UTC", lang);
}

/* ---- the terminal summary's forms ---- */

void tl_fmt_fixed_sci(tl_buf_t *b, double v, int digits, const tl_lang_t *lang)
{
	if (isfinite(v) && fabs(v) >= 1e18) {
		tl_buf_printf(b, "%.*e", clamp_digits(digits, 0, 9), v);
		return;
	}
	tl_fmt_fixed(b, v, digits, lang);
}

void tl_fmt_trim(tl_buf_t *b, double v, int digits, const tl_lang_t *lang)
{
	tl_buf_t t;

	tl_buf_init(&t);
	tl_fmt_fixed(&t, v, digits, lang);
	put_trimmed(b, &t, lang_or_en(lang)->decimal);
	tl_buf_free(&t);
}

void tl_fmt_level_alpha(tl_buf_t *b, double alpha, const tl_lang_t *lang)
{
	if (!(alpha > 0 && alpha < 1)) {
		tl_buf_puts(b, lang_or_en(lang)->na);
		return;
	}
	tl_fmt_trim(b, (1.0 - alpha) * 100.0, 4, lang);
	tl_buf_putc(b, '%');
}

void tl_fmt_pct_range(tl_buf_t *b, double lo, double hi, int digits, const tl_lang_t *lang)
{
	put_range(b, lo, hi, digits, 100.0, "%", lang);
}

void tl_fmt_count_pct_alpha(tl_buf_t *b, uint64_t count, double share, double lo, double hi,
			    double alpha, int digits, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	tl_fmt_uint(b, count, lang);
	if (isnan(share))
		return;
	tl_buf_puts(b, " (");
	tl_fmt_pct(b, share, digits, lang);
	tl_buf_puts(b, ", ");
	tl_fmt_level_alpha(b, alpha, lang);
	tl_buf_putc(b, ' ');
	tl_buf_puts(b, L->ci);
	tl_buf_putc(b, ' ');
	tl_fmt_fixed(b, lo * 100.0, digits, lang);
	tl_buf_puts(b, L->range_dash);
	tl_fmt_fixed(b, hi * 100.0, digits, lang);
	tl_buf_puts(b, "%)");
}

void tl_fmt_p_round(tl_buf_t *b, double p, int digits, const tl_lang_t *lang)
{
	double floor_p;

	if (isnan(p)) {
		tl_buf_puts(b, lang_or_en(lang)->na);
		return;
	}
	digits = clamp_digits(digits, 1, 9);
	floor_p = pow(10.0, -digits);
	if (p < floor_p / 2) {
		tl_buf_puts(b, "< ");
		tl_fmt_fixed(b, floor_p, digits, lang);
		return;
	}
	tl_fmt_fixed(b, p, digits, lang);
}

void tl_fmt_duration_dhms(tl_buf_t *b, int64_t us, const tl_lang_t *lang)
{
	/* -(us + 1) + 1: the magnitude of INT64_MIN too, without overflow */
	uint64_t s = us < 0 ? (uint64_t)(-(us + 1)) + 1 : (uint64_t)us;
	unsigned h, m, sec;
	uint64_t d;

	s /= 1000000u;
	d = s / 86400;
	h = (unsigned)(s / 3600 % 24);
	m = (unsigned)(s / 60 % 60);
	sec = (unsigned)(s % 60);
	if (us < 0)
		tl_buf_putc(b, '-');
	if (d > 0) {
		tl_fmt_uint(b, d, lang);
		tl_buf_printf(b, "d %02uh %02um %02us", h, m, sec);
	} else if (h > 0) {
		tl_buf_printf(b, "%uh %02um %02us", h, m, sec);
	} else if (m > 0) {
		tl_buf_printf(b, "%um %02us", m, sec);
	} else {
		tl_buf_printf(b, "%us", sec);
	}
}

void tl_fmt_offset(tl_buf_t *b, int64_t us, const tl_lang_t *lang)
{
	uint64_t a = us < 0 ? (uint64_t)(-(us + 1)) + 1 : (uint64_t)us;

	tl_buf_putc(b, us < 0 ? '-' : '+');
	tl_fmt_uint(b, a / 1000000u, lang);
	tl_buf_printf(b, "%c%06" PRIu64 " s", lang_or_en(lang)->decimal, a % 1000000u);
}

void tl_fmt_time_iso(tl_buf_t *b, int64_t us, int day_only, const char *none)
{
	char iso[TL_TIME_ISO_LEN];

	if (us == TL_TIME_NONE) {
		tl_buf_puts(b, none);
		return;
	}
	tl_time_format_iso(us, iso);
	if (day_only) {
		tl_buf_append(b, iso, 10);
	} else {
		tl_buf_append(b, iso, 19);
		tl_buf_putc(b, 'Z');
	}
}

/* ---- the charts' forms ---- */

void tl_fmt_chart_num(tl_buf_t *b, double v, int digits, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (!isfinite(v)) {
		tl_buf_puts(b, L->na);
		return;
	}
	if (fabs(v) >= 1e15) {
		tl_buf_puts(b, "too large");
		return;
	}
	put_fixed(b, v, clamp_digits(digits, 0, 10), L);
}

void tl_fmt_chart_share(tl_buf_t *b, double share, double lo, double hi, const tl_lang_t *lang)
{
	tl_fmt_chart_num(b, share * 100, 1, lang);
	tl_buf_putc(b, '%');
	if (!isfinite(lo) || !isfinite(hi))
		return;
	tl_buf_puts(b, " (");
	tl_fmt_chart_num(b, lo * 100, 1, lang);
	tl_buf_puts(b, lang_or_en(lang)->range_dash);
	tl_fmt_chart_num(b, hi * 100, 1, lang);
	tl_buf_putc(b, ')');
}

/* Decimals for a ratio: 2 from 0.1 to 100, none above, 3 significant digits below. */
static int ratio_digits(double v)
{
	double a = fabs(v);
	if (!(a > 0) || !isfinite(a))
		return 2;
	if (a >= 100)
		return 0;
	if (a >= 0.1)
		return 2;
	int d = 2 - (int)floor(log10(a));
	return d > 6 ? 6 : d;
}

void tl_fmt_chart_ratio(tl_buf_t *b, double ratio, double lo, double hi, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (!(isfinite(ratio) && ratio >= 0)) {
		tl_buf_puts(b, "not estimable");
		return;
	}
	tl_fmt_chart_num(b, ratio, ratio_digits(ratio), lang);
	if (!(lo >= 0) || isnan(hi))
		return;
	tl_buf_puts(b, " (");
	tl_fmt_chart_num(b, lo, ratio_digits(lo), lang);
	tl_buf_puts(b, L->range_dash);
	if (isinf(hi))
		tl_buf_puts(b, L->infinity);
	else
		tl_fmt_chart_num(b, hi, ratio_digits(hi), lang);
	tl_buf_putc(b, ')');
}
