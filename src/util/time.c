/* timeutil.c - civil-date arithmetic (Howard Hinnant's days-from-civil method)
 * and strict timestamp parsing; no libc time zone or locale is consulted. */
#include "util/time.h"
#include "util/error.h"

#include <string.h>

int64_t tl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void tl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static void put_digits(char *p, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void tl_time_format_iso(int64_t us, char out[TL_TIME_ISO_LEN])
{
	/* Outside years 0000..9999 the whole instant is clamped to the first or
	 * last representable microsecond, so the text stays a real, ordered time
	 * (clamping only the year digits would print dates that never existed). */
	const int64_t lo = tl_days_from_civil(0, 1, 1) * 86400 * TL_US_PER_SEC;
	const int64_t hi = tl_days_from_civil(10000, 1, 1) * 86400 * TL_US_PER_SEC - 1;
	if (us < lo)
		us = lo;
	if (us > hi)
		us = hi;
	int64_t secs = floordiv(us, TL_US_PER_SEC);
	int64_t frac = us - secs * TL_US_PER_SEC;
	int64_t days = floordiv(secs, 86400);
	int64_t sod = secs - days * 86400;
	int64_t y;
	unsigned m, d;
	tl_civil_from_days(days, &y, &m, &d);
	memcpy(out, "0000-00-00T00:00:00.000000Z", TL_TIME_ISO_LEN);
	put_digits(out, y, 4);
	put_digits(out + 5, m, 2);
	put_digits(out + 8, d, 2);
	put_digits(out + 11, sod / 3600, 2);
	put_digits(out + 14, (sod / 60) % 60, 2);
	put_digits(out + 17, sod % 60, 2);
	put_digits(out + 20, frac, 6);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tl_time_from_fields(int64_t y, int mon, int d, int h, int mi, int sec, int64_t frac_us,
			int32_t offset_sec, int64_t *us)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || mon < 1 || mon > 12 || d < 1)
		return TL_EFORMAT;
	int maxd = mdays[mon - 1] + (mon == 2 && is_leap(y));
	/* second 60 is accepted for leap seconds and folded onto the next second */
	if (d > maxd || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || frac_us < 0 ||
	    frac_us >= TL_US_PER_SEC)
		return TL_EFORMAT;
	int64_t days = tl_days_from_civil(y, (unsigned)mon, (unsigned)d);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_sec;
	*us = secs * TL_US_PER_SEC + frac_us;
	return TL_OK;
}

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, const char *end, int n, int64_t *v)
{
	int64_t x = 0;
	for (int i = 0; i < n; i++) {
		if (*p >= end || **p < '0' || **p > '9')
			return 0;
		x = x * 10 + (**p - '0');
		(*p)++;
	}
	*v = x;
	return 1;
}

/* Reads a fraction after '.', returning microseconds (truncated). */
static int fraction(const char **p, const char *end, int64_t *frac)
{
	int64_t x = 0;
	int64_t n = 0;
	if (*p >= end || **p < '0' || **p > '9')
		return 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		/* digits beyond microseconds are truncated, however many there are
		 * (nanosecond logs have 9); the line length caps the loop */
		if (n < 6)
			x = x * 10 + (**p - '0');
		n++;
		(*p)++;
	}
	for (int64_t i = n; i < 6; i++)
		x *= 10;
	*frac = x;
	return 1;
}

static int parse_epoch(const char *s, const char *end, int64_t *us)
{
	const char *p = s;
	int neg = 0;
	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return TL_EFORMAT;
	int64_t secs = 0;
	int n = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		secs = secs * 10 + (*p - '0');
		if (++n > 12) /* beyond year 33000: not a capture time */
			return TL_EFORMAT;
		p++;
	}
	int64_t frac = 0;
	if (p < end && *p == '.') {
		p++;
		if (!fraction(&p, end, &frac))
			return TL_EFORMAT;
	}
	if (p != end)
		return TL_EFORMAT;
	int64_t v = secs * TL_US_PER_SEC + frac;
	*us = neg ? -v : v;
	return TL_OK;
}

int tl_time_parse(const char *s, size_t len, int64_t *us)
{
	const char *p = s, *end = s + len;
	int64_t y, mon, d, h, mi, sec = 0, frac = 0;
	if (len >= 5 && s[4] == '-') {
		if (!digits(&p, end, 4, &y) || p >= end || *p++ != '-' || !digits(&p, end, 2, &mon) ||
		    p >= end || *p++ != '-' || !digits(&p, end, 2, &d))
			return TL_EFORMAT;
		if (p >= end || (*p != 'T' && *p != 't' && *p != ' '))
			return TL_EFORMAT;
		p++;
		if (!digits(&p, end, 2, &h) || p >= end || *p++ != ':' || !digits(&p, end, 2, &mi))
			return TL_EFORMAT;
		if (p < end && *p == ':') {
			p++;
			if (!digits(&p, end, 2, &sec))
				return TL_EFORMAT;
			if (p < end && (*p == '.' || *p == ',')) {
				p++;
				if (!fraction(&p, end, &frac))
					return TL_EFORMAT;
			}
		}
		int32_t off = 0;
		if (p < end && (*p == 'Z' || *p == 'z')) {
			p++;
		} else if (p < end && (*p == '+' || *p == '-')) {
			int sign = *p++ == '-' ? -1 : 1;
			int64_t oh, om = 0;
			if (!digits(&p, end, 2, &oh))
				return TL_EFORMAT;
			/* "+HH", "+HHMM" or "+HH:MM"; a colon must be followed by minutes */
			if (p < end && *p == ':') {
				p++;
				if (!digits(&p, end, 2, &om))
					return TL_EFORMAT;
			} else if (p < end && !digits(&p, end, 2, &om)) {
				return TL_EFORMAT;
			}
			if (oh > 23 || om > 59)
				return TL_EFORMAT;
			off = (int32_t)(sign * (oh * 3600 + om * 60));
		}
		if (p != end)
			return TL_EFORMAT;
		return tl_time_from_fields(y, (int)mon, (int)d, (int)h, (int)mi, (int)sec, frac, off,
					   us);
	}
	return parse_epoch(s, end, us);
}
