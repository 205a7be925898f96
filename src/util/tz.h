/* tz.h - UTC microseconds to civil time in an IANA zone, through the C library and tzdata. */
#ifndef TL_UTIL_TZ_H
#define TL_UTIL_TZ_H

#include <stddef.h>
#include <stdint.h>

/* Civil (wall-clock) time in some zone. */
typedef struct tl_civil {
	int64_t year;
	int month;   /* 1..12 */
	int day;     /* 1..31 */
	int hour;    /* 0..23 */
	int minute;  /* 0..59 */
	int second;  /* 0..60 */
	int weekday; /* 0 = Monday .. 6 = Sunday (ISO 8601 order) */
	int is_dst;  /* 1 when daylight saving time is in effect, 0 otherwise */
	int64_t utc_offset_s; /* local minus UTC, in seconds (e.g. -14400 for EDT) */
	int64_t day_number;   /* local calendar day as days since 1970-01-01 */
} tl_civil_t;

/* Checks an IANA zone name: TL_OK when <name> is a TZif file inside the tzdata folder
 * (tl_tz_dir(): $TZDIR, else /usr/share/zoneinfo, as the C library reads it), links
 * included as long as they stay in that folder; TL_EINVAL when the name itself is unsafe
 * or malformed ("..", a leading '/' or '-', empty components, characters outside A-Z a-z
 * 0-9 '/' '_' '+' '-', longer than 64 bytes, "localtime" or "posixrules", which depend on
 * the host); TL_ENOENT when no such zone is installed. */
int tl_tz_check(const char *name);

/* Whether zone names a zone the C library can load: UTC (also NULL or ""), or a name
 * tl_tz_check accepts. glibc silently falls back to UTC for a zone it cannot load, so a
 * misspelt zone must be caught here, not shown as UTC in disguise. Returns 1 or 0. */
int tl_tz_valid(const char *zone);

/* Converts us (UTC microseconds) to civil time in zone (IANA name; NULL or "" mean UTC).
 * The zone's rules come from tzdata via setenv("TZ", ":zone") + tzset() + localtime_r();
 * the zone last set is remembered so repeated calls for one zone do not reload it.
 * NOT thread-safe: it changes the process environment (TZ) and the C library's zone
 * state, and does not restore them. Call it only from single-threaded code (the analysis
 * finish/run steps), never while other threads may call localtime/mktime/getenv.
 * Code elsewhere that sets TZ itself would make the remembered zone stale: use this
 * function for every zone conversion instead.
 * Returns TL_OK, or TL_EINVAL when the zone is not valid (tl_tz_valid) or the time is
 * outside what the C library converts; *out is written only on success.
 * UTC itself is converted arithmetically (no tzdata involved). */
int tl_tz_civil(const char *zone, int64_t us, tl_civil_t *out);

/* The folder tzdata is read from: $TZDIR when set and not empty, else
 * /usr/share/zoneinfo (where the C library looks too). */
const char *tl_tz_dir(void);

/* Whether zone is UTC ("UTC", "Etc/UTC", NULL or ""), which is converted without tzdata. */
int tl_tz_is_utc(const char *zone);

/* The version of the installed tzdata, as its tzdata.zi states it in its first line
 * ("# version 2026f"), copied into out. Returns TL_OK, or TL_ENOENT when the file is
 * missing or does not state a version (out is then ""). */
int tl_tz_version(char *out, size_t outlen);

/* Civil time in UTC, computed arithmetically; never fails. */
void tl_tz_civil_utc(int64_t us, tl_civil_t *out);

#endif
