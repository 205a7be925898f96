/* parse.c - checked parsers for durations, times, zone names, DNS names, CSV and UTF-8. */
#include "case/parse.h"
#include "util/error.h"
#include "util/text.h"
#include "util/time.h"
#include "util/tz.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int tl_duration_parse(const char *s, int allow_negative, int64_t *us)
{
	int sign = 1;
	if (allow_negative && (*s == '-' || *s == '+'))
		sign = *s++ == '-' ? -1 : 1;
	size_t n = strlen(s);
	int64_t mult = 1;
	if (n > 0) {
		switch (s[n - 1]) {
		case 's': mult = 1; n--; break;
		case 'm': mult = 60; n--; break;
		case 'h': mult = 3600; n--; break;
		case 'd': mult = 86400; n--; break;
		default: break;
		}
	}
	if (!all_digits(s, n) || n > 12)
		return TL_EFORMAT;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v > TL_DURATION_MAX_S / mult)
		return TL_EFORMAT;
	*us = sign * v * mult * TL_US_PER_SEC;
	return TL_OK;
}

int tl_date_parse(const char *s, size_t len, int64_t *us)
{
	if (len != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
	    !all_digits(s + 8, 2))
		return TL_EFORMAT;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	return tl_time_from_fields(y, m, d, 0, 0, 0, 0, 0, us);
}

int tl_when_parse(const char *s, size_t len, int64_t *us)
{
	if (len == 10)
		return tl_date_parse(s, len, us);
	/* tl_time_parse also takes epoch seconds and zone-less times; we want neither */
	if (len < 17 || s[4] != '-' || s[10] != 'T')
		return TL_EFORMAT;
	int zoned = s[len - 1] == 'Z';
	for (size_t i = 11; i < len && !zoned; i++)
		zoned = s[i] == '+' || s[i] == '-';
	if (!zoned)
		return TL_EFORMAT;
	return tl_time_parse(s, len, us);
}

int tl_dns_name_normalise(const char *s, size_t len, char out[TL_DNS_NAME_LEN])
{
	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > TL_DNS_NAME_MAX)
		return TL_EFORMAT;
	size_t lab = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';
		if (c == '.') {
			/* RFC 1035 section 2.3.4: labels of 63 octets or less, none empty */
			if (lab == 0 || lab > 63 || out[i - 1] == '-')
				return TL_EFORMAT;
			lab = 0;
			out[i] = '.';
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return TL_EFORMAT;
		if (c == '-' && lab == 0)
			return TL_EFORMAT;
		out[i] = c;
		lab++;
	}
	out[len + 1] = '\0';
	return TL_OK;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits one CSV record (RFC 4180, one physical line without its line end) into at most
 * TL_CSV_MAX_FIELDS fields. Quoted fields may hold commas and doubled quotes; unquoted
 * fields are trimmed of spaces and tabs. Fields are written NUL-terminated into store
 * (caller frees *store with free()); field[i] points into it. Returns the field count, or
 * -1 with a static message in *why. */
static int csv_split(const char *line, size_t len, char **store,
		     const char *field[TL_CSV_MAX_FIELDS], const char **why)
{
	/* every field is no longer than the line, and each gets one NUL */
	char *buf = tl_xmalloc(len + TL_CSV_MAX_FIELDS + 1);
	char *w = buf;
	size_t i = 0;
	int n = 0;
	for (;;) {
		if (n == TL_CSV_MAX_FIELDS) {
			*why = "too many fields";
			goto fail;
		}
		field[n++] = w;
		while (i < len && is_blank(line[i]))
			i++;
		if (i < len && line[i] == '"') {
			/* RFC 4180 section 2, rules 5-7 */
			i++;
			for (;;) {
				if (i >= len) {
					*why = "unterminated quoted field";
					goto fail;
				}
				if (line[i] == '"') {
					if (i + 1 < len && line[i + 1] == '"') {
						*w++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				*w++ = line[i++];
			}
			while (i < len && is_blank(line[i]))
				i++;
			if (i < len && line[i] != ',') {
				*why = "text after a closing quote";
				goto fail;
			}
		} else {
			char *start = w;
			while (i < len && line[i] != ',') {
				if (line[i] == '"') {
					*why = "quote inside an unquoted field";
					goto fail;
				}
				*w++ = line[i++];
			}
			while (w > start && is_blank(w[-1]))
				w--;
		}
		*w++ = '\0';
		if (i >= len)
			break;
		i++; /* the comma */
	}
	*store = buf;
	return n;
fail:
	free(buf);
	return -1;
}

int tl_csv_next(const char *path, const char *data, size_t len, size_t *pos, int *line,
		char **store, const char *field[TL_CSV_MAX_FIELDS], char *err, size_t errlen)
{
	while (*pos < len) {
		const char *s = data + *pos;
		const char *nl = memchr(s, '\n', len - *pos);
		size_t n = nl ? (size_t)(nl - s) : len - *pos;
		*pos += n + (nl ? 1 : 0);
		(*line)++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (*line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		if (n == 0 && *line > 1)
			continue;
		int t = tl_text_check(s, n);
		if (t != TL_TEXT_OK) {
			if (err && errlen)
				snprintf(err, errlen, "%s:%d: %s", path, *line,
					 t == TL_TEXT_BAD_UTF8 ? "invalid UTF-8" : "control character");
			return -1;
		}
		const char *why;
		int nf = csv_split(s, n, store, field, &why);
		if (nf < 0 && err && errlen)
			snprintf(err, errlen, "%s:%d: %s", path, *line, why);
		return nf;
	}
	return 0;
}
