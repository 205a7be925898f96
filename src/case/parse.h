/* parse.h - checked text parsers shared by the case, organisations and events loaders. */
#ifndef TL_CASE_PARSE_H
#define TL_CASE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Longest duration accepted anywhere: 100 years of 366 days, in seconds. */
#define TL_DURATION_MAX_S INT64_C(3162240000)
/* Longest DNS name in text form, without the trailing dot (RFC 1035 section 2.3.4). */
#define TL_DNS_NAME_MAX 253
/* Buffer size for a normalised name: 253 characters, the trailing dot and NUL. */
#define TL_DNS_NAME_LEN 255
#define TL_CSV_MAX_FIELDS 16

/* Duration: an integer and a unit s, m, h or d, or plain seconds ("90s", "2h", "1d", "300").
 * With allow_negative a leading '-' or '+' is accepted. Writes microseconds. TL_OK or
 * TL_EFORMAT (never more than TL_DURATION_MAX_S seconds in magnitude). */
int tl_duration_parse(const char *s, int allow_negative, int64_t *us);

/* Date "YYYY-MM-DD" (00:00 UTC) into *us. */
int tl_date_parse(const char *s, size_t len, int64_t *us);

/* A point in time: "YYYY-MM-DD" (00:00 UTC), or ISO 8601 date and time with an explicit
 * zone ("Z", "+HH:MM", "+HHMM" or "+HH"). Times without a zone are refused: they are
 * ambiguous. TL_OK or TL_EFORMAT. */
int tl_when_parse(const char *s, size_t len, int64_t *us);

/* Normalises a DNS name: ASCII letters to lower case, one trailing dot added; labels of
 * 1-63 characters from a-z 0-9 '-' '_' (no '-' at either end of a label), at most 253
 * characters without the dot. The root and wildcards are refused; non-ASCII (U-labels) are
 * refused: write the A-label ("xn--..."). Writes out (TL_DNS_NAME_LEN). TL_OK or TL_EFORMAT. */
int tl_dns_name_normalise(const char *s, size_t len, char out[TL_DNS_NAME_LEN]);

/* Reading a CSV file held in memory, one record a call: advances *pos past the next
 * line that is not blank (line 1 is always returned, for its header), counts lines
 * in *line from 1, drops "\r" before "\n" and a UTF-8 byte order mark at the start,
 * checks the text (UTF-8, no control characters) and splits it (RFC 4180: quoted
 * fields may hold commas and doubled quotes; unquoted fields are trimmed of spaces and
 * tabs).
 * Returns the field count (fields in field[], *store to free), 0 at the end of the
 * data, or -1 with "path:line: why" in err. */
int tl_csv_next(const char *path, const char *data, size_t len, size_t *pos, int *line,
		char **store, const char *field[TL_CSV_MAX_FIELDS], char *err, size_t errlen);

#endif
