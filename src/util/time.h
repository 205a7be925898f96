/* timeutil.h - UTC microsecond timestamps: formatting and parsing without locale or TZ. */
#ifndef TL_UTIL_TIME_H
#define TL_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Every time in tealeaves is int64 microseconds since 1970-01-01T00:00:00Z. */
#define TL_US_PER_SEC INT64_C(1000000)
#define TL_TIME_NONE INT64_MIN
#define TL_TIME_ISO_LEN 28 /* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" + NUL */

/* Days since 1970-01-01 of a proleptic Gregorian date (any year). */
int64_t tl_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of tl_days_from_civil. */
void tl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Writes "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (27 chars + NUL) to out. Years outside
 * 0..9999 are clamped into the output's four digits by writing "0000"/"9999". */
void tl_time_format_iso(int64_t us, char out[TL_TIME_ISO_LEN]);

/* Parses a timestamp: epoch seconds with an optional fraction ("1462363200.25"),
 * or ISO 8601 "YYYY-MM-DD[T ]HH:MM[:SS[.frac]]" with "Z", "+HH:MM", "+HHMM",
 * "+HH" or no zone (taken as UTC). Fractions beyond microseconds are truncated.
 * Returns TL_OK and writes *us, or TL_EFORMAT. The whole of s[0..len) must be used. */
int tl_time_parse(const char *s, size_t len, int64_t *us);

/* Parses calendar fields with a UTC offset in seconds into *us; checks ranges. */
int tl_time_from_fields(int64_t y, int mon, int d, int h, int mi, int sec, int64_t frac_us,
			int32_t offset_sec, int64_t *us);

#endif
