/* tz.c - civil time in IANA zones through the C library (tzdata), never a hand-made
 * offset table. The C library keeps one current zone per process, so this file keeps
 * track of the zone it set last and only calls tzset() when the zone changes. */
#include "util/tz.h"
#include "util/error.h"
#include "util/num.h"
#include "util/time.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define US_PER_DAY (INT64_C(86400) * TL_US_PER_SEC)
#define ZONE_MAX 255

/* The zone last given to the C library ("" = none yet). */
static char current_zone[ZONE_MAX + 1];

static int is_utc(const char *zone)
{
	return !zone || !zone[0] || strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0;
}

int tl_tz_is_utc(const char *zone)
{
	return is_utc(zone);
}

const char *tl_tz_dir(void)
{
	const char *dir = getenv("TZDIR");
	return dir && dir[0] ? dir : "/usr/share/zoneinfo";
}

int tl_tz_version(char *out, size_t outlen)
{
	if (outlen)
		out[0] = '\0';
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/tzdata.zi", tl_tz_dir());
	if (n < 0 || (size_t)n >= sizeof(path))
		return TL_ENOENT;
	FILE *fp = fopen(path, "re");
	if (!fp)
		return TL_ENOENT;
	char line[128];
	int ok = fgets(line, sizeof(line), fp) != NULL;
	fclose(fp);
	/* "# version 2026f": a version is a year and letters (zic's convention), at most
	 * 32 characters of [0-9a-z.-] */
	static const char prefix[] = "# version ";
	if (!ok || strncmp(line, prefix, sizeof(prefix) - 1) != 0)
		return TL_ENOENT;
	const char *v = line + sizeof(prefix) - 1;
	size_t len = 0;
	while (len < 32 && ((v[len] >= '0' && v[len] <= '9') || (v[len] >= 'a' && v[len] <= 'z') ||
			    v[len] == '.' || v[len] == '-'))
		len++;
	if (len == 0 || (v[len] != '\n' && v[len] != '\0') || len + 1 > outlen)
		return TL_ENOENT;
	memcpy(out, v, len);
	out[len] = '\0';
	return TL_OK;
}

/* 1970-01-01 was a Thursday: weekday 3 with Monday = 0. */
static int weekday_of_day(int64_t day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

static int zone_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '+' || c == '-';
}

int tl_tz_check(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64 || name[0] == '/' || name[0] == '-')
		return TL_EINVAL;
	size_t comp = 0; /* length of the current component */
	for (size_t i = 0; i <= n; i++) {
		if (i == n || name[i] == '/') {
			if (comp == 0)
				return TL_EINVAL; /* "a//b" or a trailing '/' */
			comp = 0;
			continue;
		}
		if (!zone_char(name[i]))
			return TL_EINVAL; /* this also refuses "." and ".." */
		comp++;
	}
	if (strcmp(name, "localtime") == 0 || strcmp(name, "posixrules") == 0)
		return TL_EINVAL;
	char path[PATH_MAX], real[PATH_MAX], base[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", tl_tz_dir(), name);
	/* links are fine (many zones are links) as long as they stay in the zone directory */
	if (!realpath(tl_tz_dir(), base) || !realpath(path, real))
		return TL_ENOENT;
	size_t bl = strlen(base);
	if (strncmp(real, base, bl) != 0 || real[bl] != '/')
		return TL_ENOENT;
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return TL_ENOENT;
	struct stat st;
	char magic[4];
	int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4 &&
		 memcmp(magic, "TZif", 4) == 0; /* RFC 8536 section 3.1 */
	close(fd);
	return ok ? TL_OK : TL_ENOENT;
}

int tl_tz_valid(const char *zone)
{
	return is_utc(zone) || tl_tz_check(zone) == TL_OK;
}

void tl_tz_civil_utc(int64_t us, tl_civil_t *out)
{
	int64_t day = tl_num_floor_div(us, US_PER_DAY);
	int64_t rem = (us - day * US_PER_DAY) / TL_US_PER_SEC;
	int64_t y;
	unsigned m, d;
	tl_civil_from_days(day, &y, &m, &d);
	out->year = y;
	out->month = (int)m;
	out->day = (int)d;
	out->hour = (int)(rem / 3600);
	out->minute = (int)(rem / 60 % 60);
	out->second = (int)(rem % 60);
	out->weekday = weekday_of_day(day);
	out->is_dst = 0;
	out->utc_offset_s = 0;
	out->day_number = day;
}

int tl_tz_civil(const char *zone, int64_t us, tl_civil_t *out)
{
	if (is_utc(zone)) {
		tl_tz_civil_utc(us, out);
		return TL_OK;
	}
	if (strcmp(zone, current_zone) != 0) {
		if (!tl_tz_valid(zone))
			return TL_EINVAL;
		char spec[ZONE_MAX + 2];
		snprintf(spec, sizeof(spec), ":%s", zone);
		if (setenv("TZ", spec, 1) != 0)
			return TL_EINVAL;
		tzset();
		snprintf(current_zone, sizeof(current_zone), "%s", zone);
	}
	int64_t secs = tl_num_floor_div(us, TL_US_PER_SEC);
	if (secs < (int64_t)LONG_MIN / 2 || secs > (int64_t)LONG_MAX / 2)
		return TL_EINVAL;
	time_t t = (time_t)secs;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return TL_EINVAL;
	out->year = (int64_t)tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->weekday = (tm.tm_wday + 6) % 7;
	out->is_dst = tm.tm_isdst > 0;
	out->utc_offset_s = (int64_t)tm.tm_gmtoff;
	out->day_number = tl_days_from_civil(out->year, (unsigned)out->month, (unsigned)out->day);
	return TL_OK;
}
