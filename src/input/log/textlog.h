/* textlog.h - DNS text logs: BIND query log, Zeek dns.log (TSV and JSON),
 * and the generic passive-DNS CSV/TSV documented in the README. */
#ifndef TL_INPUT_LOG_TEXTLOG_H
#define TL_INPUT_LOG_TEXTLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "input/anomaly.h"
#include "input/record.h"

typedef enum tl_textlog_format {
	TL_TEXT_UNKNOWN = 0,
	TL_TEXT_BIND,      /* BIND 9 query log lines */
	TL_TEXT_ZEEK_TSV,  /* Zeek dns.log with #separator / #fields header */
	TL_TEXT_ZEEK_JSON, /* Zeek dns.log as JSON lines */
	TL_TEXT_CSV,       /* generic passive DNS, comma separated, header row */
	TL_TEXT_TSV,       /* generic passive DNS, tab separated, header row */
} tl_textlog_format_t;

/* Name for outputs: "bind", "zeek-tsv", "zeek-json", "csv", "tsv". */
const char *tl_textlog_format_name(tl_textlog_format_t f);

/* Guesses the format from the first bytes of a file (head[0..n)). */
tl_textlog_format_t tl_textlog_sniff(const char *head, size_t n);

/* Counters a text reader keeps (the caller adds them to the file's totals). */
typedef struct tl_textlog_stats {
	uint64_t lines;   /* lines read, including comments and blank lines */
	int64_t first_ts, last_ts; /* TL_TIME_NONE if no record */
} tl_textlog_stats_t;

typedef void (*tl_textlog_fn)(const tl_record_t *r, void *ud);

/* Reads every line of f in the given format and calls fn for each DNS message.
 * A log line that describes a query and its response (Zeek, CSV with rcode or
 * answers) gives two records: the query (qr=0) and then the response (qr=1,
 * latency from the log's rtt if any), both with pos = the line number.
 * Records carry file = index. Bad lines are counted in an with their line
 * number and skipped. Returns TL_OK, or TL_EIO if reading f failed.
 * max_line caps the line length (longer lines are counted and skipped). */
int tl_textlog_read(FILE *f, tl_textlog_format_t fmt, uint32_t index, size_t max_line,
		    tl_anomalies_t *an, tl_textlog_stats_t *st, tl_textlog_fn fn, void *ud);

/* Version of jansson in use (run time). */
const char *tl_textlog_jansson_version(void);

#endif
