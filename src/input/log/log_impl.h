/* log_impl.h - what the text log readers share (private to src/input/log/): the span
 * type and its helpers, the reader state, the checked field parsers and the entry point
 * of each format. The public API is textlog.h. */
#ifndef TL_INPUT_LOG_LOG_IMPL_H
#define TL_INPUT_LOG_LOG_IMPL_H

#include "input/anomaly.h"
#include "input/log/textlog.h"
#include "input/record.h"
#include "util/arena.h"
#include "util/time.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAX_COLUMNS 256 /* header columns we keep track of */

/* ---- spans: a slice of the current line; never NUL-terminated ---- */

typedef struct span {
	const char *p;
	size_t n;
} span_t;

static inline span_t span_make(const char *p, size_t n)
{
	span_t s = {p, n};
	return s;
}

static inline int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static inline span_t trim(span_t s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

static inline char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison with a literal; no locale. */
static inline int span_ieq(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(s.p[i]) != lower(lit[i]))
			return 0;
	return 1;
}

static inline int span_eq(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static inline int starts_with(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* ---- reader state ---- */

enum hstate { H_NONE, H_OK, H_BAD };

/* Room in ctx_t.col for the columns of any format (Z_* in zeek.c, G_* in pdns.c). */
#define KNOWN_COLUMNS 24

typedef struct ctx {
	tl_textlog_format_t fmt;
	uint32_t index;
	tl_anomalies_t *an;
	tl_textlog_stats_t *st;
	tl_textlog_fn fn;
	void *ud;
	tl_arena_t arena;
	uint64_t lineno;

	enum hstate hstate;
	int col[KNOWN_COLUMNS]; /* column index or -1, by Z_* or G_* */
	size_t ncols;
	char sep, set_sep;
	char empty_field[32], unset_field[32];
	span_t cells[MAX_COLUMNS];
} ctx_t;

static inline void emit(ctx_t *c, const tl_record_t *r)
{
	if (r->ts != TL_TIME_NONE) {
		if (c->st->first_ts == TL_TIME_NONE || r->ts < c->st->first_ts)
			c->st->first_ts = r->ts;
		if (c->st->last_ts == TL_TIME_NONE || r->ts > c->st->last_ts)
			c->st->last_ts = r->ts;
	}
	c->fn(r, c->ud);
}

static inline void bad(ctx_t *c, tl_anomaly_kind_t k)
{
	tl_anomaly_add(c->an, k, c->lineno);
}

static inline void record_base(ctx_t *c, tl_record_t *r)
{
	tl_record_init(r);
	r->file = c->index;
	r->pos = c->lineno;
}

/* ---- shared parsers (textlog.c) ---- */

/* Decimal digits only (no sign, no spaces), value <= max. */
int tl_log_parse_uint(span_t s, uint64_t max, uint64_t *v);
int tl_log_parse_u16(span_t s, uint16_t *v);

/* A type, rcode or class given as a decimal number or as a mnemonic. */
int tl_log_parse_type(span_t s, uint16_t *v);
int tl_log_parse_rcode(span_t s, uint16_t *v);
int tl_log_parse_class(span_t s, uint16_t *v);

int tl_log_parse_addr(span_t s, tl_addr_t *a);

/* "udp" or "tcp", in any case. */
int tl_log_parse_transport(span_t s, uint8_t *t);

/* Converts a name in text form to presentation form with a trailing dot and
 * RFC 1035 section 5.1 escapes, in the same style as ldns prints names, so names
 * from logs compare equal to names from captures. Input escapes: "\DDD" and "\c"
 * (RFC 1035 5.1), and with zeek set also Zeek's "\xHH". Checks the limits of
 * RFC 1035 2.3.4: labels of 1..63 octets, names of at most 255 octets on the
 * wire. Returns 1 and the name (in ar), or 0 for a bad name. */
int tl_log_name_text(tl_arena_t *ar, span_t s, int zeek, const char **out);

/* Splits s at sep into c->cells; returns the count, or MAX_COLUMNS + 1. */
size_t tl_log_split(ctx_t *c, span_t s, char sep);

/* ---- one line of each format; c->lineno is the line's number ---- */

void tl_log_bind_line(ctx_t *c, span_t line);      /* bind.c */
void tl_log_zeek_tsv_line(ctx_t *c, span_t line);  /* zeek.c */
void tl_log_zeek_json_line(ctx_t *c, span_t line); /* zeek.c */
void tl_log_pdns_line(ctx_t *c, span_t line);      /* pdns.c: CSV and TSV */

#endif
