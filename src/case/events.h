/* events.h - the pre-registered events file: dated events and their windows. */
#ifndef TL_CASE_EVENTS_H
#define TL_CASE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "util/sha256.h"

#define TL_EVENTS_MAX_BYTES (16u << 20) /* largest events file read */

typedef struct tl_event {
	int64_t start;        /* UTC microseconds */
	int64_t end;          /* == start for a point event */
	int point;            /* the end column was empty */
	int64_t before, after; /* the window's margins (microseconds, >= 0) */
	int64_t win_start;    /* start - before */
	int64_t win_end;      /* end + after; the window is [win_start, win_end) */
	char *label;
	char *category;
	int line;             /* line in the file */
} tl_event_t;

/* Owned by itself; free with tl_events_free. */
typedef struct tl_events {
	char *path;
	uint8_t sha256[TL_SHA256_LEN]; /* of the file's bytes, for the manifest */
	char sha256_hex[TL_SHA256_HEX_LEN];
	tl_event_t *events; /* sorted by (start, label bytewise, line) */
	size_t n;
} tl_events_t;

/* Reads "start,end,label,category[,before,after]" (header required; RFC 4180 quoting;
 * UTF-8). start and end: "YYYY-MM-DD" (00:00 UTC) or ISO 8601 date and time with a zone;
 * end empty for a point event, else not before start; before and after: durations
 * ("12h", "1d", seconds), empty = the defaults given here. label and category must not be
 * empty. Errors (TL_EFORMAT) write "path:line: message" to err; a file that cannot be
 * read gives its TL_E* and "path: reason". */
int tl_events_load(const char *path, int64_t default_before, int64_t default_after,
		   tl_events_t **out, char *err, size_t errlen);
void tl_events_free(tl_events_t *e);

#endif
