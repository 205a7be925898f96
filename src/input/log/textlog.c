/* textlog.c - the part of the DNS text log readers that all formats share: the
 * checked field parsers, names, splitting, reading lines, format detection and the
 * read loop that hands each line to its format (bind.c, zeek.c, pdns.c);
 * docs/formats.md says exactly what each format accepts. Every line is untrusted:
 * lengths are capped, numbers are parsed with full checks, and a bad line is one
 * counted anomaly, never fatal. */
#include "input/log/log_impl.h"
#include "input/log/textlog.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/num.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_LINE 65536
#define MAX_MAX_LINE ((size_t)1 << 30)
#define CHUNK 65536

/* Does lit occur anywhere in s? (for sniffing) */
static int find(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	for (size_t i = 0; i + n <= s.n; i++)
		if (memcmp(s.p + i, lit, n) == 0)
			return 1;
	return 0;
}

/* ---- checked numbers ---- */

int tl_log_parse_uint(span_t s, uint64_t max, uint64_t *v)
{
	/* leading zeros allowed: logs pad numbers ("007") */
	return tl_num_parse_u64(s.p, s.n, max, 0, v) == TL_OK;
}

int tl_log_parse_u16(span_t s, uint16_t *v)
{
	uint64_t x;
	if (!tl_log_parse_uint(s, 65535, &x))
		return 0;
	*v = (uint16_t)x;
	return 1;
}

int tl_log_parse_type(span_t s, uint16_t *v)
{
	if (s.n && is_digit(s.p[0]))
		return tl_log_parse_u16(s, v);
	return s.n && tl_rrtype_parse(s.p, s.n, v) == TL_OK;
}

int tl_log_parse_rcode(span_t s, uint16_t *v)
{
	uint64_t x;
	if (s.n && is_digit(s.p[0])) {
		/* 12 bits: 4 in the header, 8 in the OPT record (RFC 6891 6.1.3) */
		if (!tl_log_parse_uint(s, 4095, &x))
			return 0;
		*v = (uint16_t)x;
		return 1;
	}
	return s.n && tl_rcode_parse(s.p, s.n, v) == TL_OK;
}

int tl_log_parse_class(span_t s, uint16_t *v)
{
	if (s.n && is_digit(s.p[0]))
		return tl_log_parse_u16(s, v);
	return s.n && tl_class_parse(s.p, s.n, v) == TL_OK;
}

int tl_log_parse_addr(span_t s, tl_addr_t *a)
{
	return s.n && tl_addr_parse(s.p, s.n, a) == TL_OK;
}

int tl_log_parse_transport(span_t s, uint8_t *t)
{
	if (span_ieq(s, "udp"))
		*t = TL_TRANSPORT_UDP;
	else if (span_ieq(s, "tcp"))
		*t = TL_TRANSPORT_TCP;
	else
		return 0;
	return 1;
}

/* ---- names ---- */

/* Bytes ldns writes as "\c" in a name; other non-graphic bytes become "\DDD". */
static int name_special(unsigned char c)
{
	return c == '.' || c == ';' || c == '(' || c == ')' || c == '\\';
}

/* Names are rebuilt on the wire first, so the limits of RFC 1035 2.3.4 are checked
 * on octets, not on the text with its escapes, and then printed as ldns would. */
int tl_log_name_text(tl_arena_t *ar, span_t s, int zeek, const char **out)
{
	unsigned char wire[256];
	size_t wlen = 0, lstart = 0, i = 0;
	int open = 0; /* a label has been started and not yet closed */

	if (span_eq(s, ".") || (zeek && (s.n == 0 || span_eq(s, "<root>")))) {
		*out = ".";
		return 1;
	}
	while (i < s.n) {
		unsigned char ch = (unsigned char)s.p[i++];
		if (ch == '.') {
			if (!open) /* empty label: "..", leading dot, or "" */
				return 0;
			size_t ll = wlen - lstart - 1;
			if (ll > 63) /* RFC 1035 2.3.4 */
				return 0;
			wire[lstart] = (unsigned char)ll;
			open = 0;
			continue;
		}
		if (ch == '\\') {
			if (i >= s.n)
				return 0;
			if (zeek && s.p[i] == 'x' && i + 2 < s.n && hexval(s.p[i + 1]) >= 0 &&
			    hexval(s.p[i + 2]) >= 0) {
				ch = (unsigned char)(hexval(s.p[i + 1]) * 16 + hexval(s.p[i + 2]));
				i += 3;
			} else if (is_digit(s.p[i])) {
				if (i + 2 >= s.n || !is_digit(s.p[i + 1]) || !is_digit(s.p[i + 2]))
					return 0;
				int v = (s.p[i] - '0') * 100 + (s.p[i + 1] - '0') * 10 +
					(s.p[i + 2] - '0');
				if (v > 255)
					return 0;
				ch = (unsigned char)v;
				i += 3;
			} else {
				ch = (unsigned char)s.p[i++];
			}
		}
		/* 255 octets on the wire in all, the closing root label included */
		if (wlen + (open ? 1 : 2) > 254)
			return 0;
		if (!open) {
			lstart = wlen;
			wire[wlen++] = 0;
			open = 1;
		}
		wire[wlen++] = ch;
	}
	if (open) {
		size_t ll = wlen - lstart - 1;
		if (ll > 63)
			return 0;
		wire[lstart] = (unsigned char)ll;
	}
	if (wlen == 0)
		return 0;
	wire[wlen++] = 0; /* root */

	/* render: at most 4 characters per octet, plus dots and NUL */
	char *o = tl_arena_alloc(ar, wlen * 4 + 2);
	size_t on = 0, p = 0;
	while (p < wlen && wire[p] != 0) {
		size_t ll = wire[p++];
		for (size_t k = 0; k < ll; k++) {
			unsigned char c = wire[p + k];
			if (name_special(c)) {
				o[on++] = '\\';
				o[on++] = (char)c;
			} else if (c < 0x21 || c > 0x7e) {
				o[on++] = '\\';
				o[on++] = (char)('0' + c / 100);
				o[on++] = (char)('0' + (c / 10) % 10);
				o[on++] = (char)('0' + c % 10);
			} else {
				o[on++] = (char)c;
			}
		}
		p += ll;
		o[on++] = '.';
	}
	o[on] = '\0';
	*out = o;
	return 1;
}

size_t tl_log_split(ctx_t *c, span_t s, char sep)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= s.n; i++) {
		if (i == s.n || s.p[i] == sep) {
			if (n == MAX_COLUMNS)
				return MAX_COLUMNS + 1;
			c->cells[n++] = span_make(s.p + start, i - start);
			start = i + 1;
		}
	}
	return n;
}

/* ---- lines ---- */

typedef struct lines {
	FILE *f;
	char chunk[CHUNK];
	size_t cpos, clen;
	char *buf; /* the current line, max + 2 bytes (room for a CR and a NUL) */
	size_t max, len;
	int too_long, eof;
} lines_t;

/* Reads the next line into l->buf without its "\n" or "\r\n". Returns 1 with a
 * line, 0 at the end, TL_EIO on a read error. A line longer than max is not
 * kept: l->too_long is set and the rest of it skipped. */
static int next_line(lines_t *l)
{
	int started = 0;
	l->len = 0;
	l->too_long = 0;
	for (;;) {
		if (l->cpos == l->clen) {
			if (l->eof)
				return started ? 1 : 0;
			l->clen = fread(l->chunk, 1, CHUNK, l->f);
			l->cpos = 0;
			if (l->clen == 0) {
				if (ferror(l->f))
					return TL_EIO;
				l->eof = 1;
				continue;
			}
		}
		started = 1;
		const char *p = l->chunk + l->cpos;
		size_t avail = l->clen - l->cpos;
		const char *nl = memchr(p, '\n', avail);
		size_t n = nl ? (size_t)(nl - p) : avail;
		if (!l->too_long) {
			if (n > l->max + 1 - l->len) {
				l->too_long = 1;
			} else {
				memcpy(l->buf + l->len, p, n);
				l->len += n;
			}
		}
		l->cpos += n;
		if (nl) {
			l->cpos++;
			break;
		}
	}
	if (!l->too_long) {
		if (l->len && l->buf[l->len - 1] == '\r')
			l->len--;
		if (l->len > l->max)
			l->too_long = 1;
	}
	if (l->too_long)
		l->len = 0;
	l->buf[l->len] = '\0';
	return 1;
}

static int blank(span_t s)
{
	return trim(s).n == 0;
}

int tl_textlog_read(FILE *f, tl_textlog_format_t fmt, uint32_t index, size_t max_line,
		    tl_anomalies_t *an, tl_textlog_stats_t *st, tl_textlog_fn fn, void *ud)
{
	tl_anomalies_t an_local;
	tl_textlog_stats_t st_local;
	if (!f || !fn || fmt == TL_TEXT_UNKNOWN || fmt > TL_TEXT_TSV)
		return TL_EINVAL;
	if (!an) {
		memset(&an_local, 0, sizeof(an_local));
		an = &an_local;
	}
	if (!st)
		st = &st_local;
	st->lines = 0;
	st->first_ts = st->last_ts = TL_TIME_NONE;

	ctx_t *c = tl_xcalloc(1, sizeof(*c));
	c->fmt = fmt;
	c->index = index;
	c->an = an;
	c->st = st;
	c->fn = fn;
	c->ud = ud;
	c->hstate = H_NONE;
	c->sep = '\t';
	c->set_sep = ',';
	strcpy(c->empty_field, "(empty)");
	strcpy(c->unset_field, "-");
	for (size_t k = 0; k < sizeof(c->col) / sizeof(c->col[0]); k++)
		c->col[k] = -1;
	tl_arena_init(&c->arena, 0);

	lines_t *l = tl_xmalloc(sizeof(*l));
	l->f = f;
	l->cpos = l->clen = 0;
	l->max = max_line ? max_line : DEFAULT_MAX_LINE;
	if (l->max > MAX_MAX_LINE) /* keeps max + 2 from wrapping; 1 GiB lines are not logs */
		l->max = MAX_MAX_LINE;
	l->buf = tl_xmalloc(l->max + 2);
	l->eof = 0;

	int rc;
	while ((rc = next_line(l)) == 1) {
		c->lineno = ++st->lines;
		if (l->too_long) {
			bad(c, TL_AN_LINE_TOO_LONG);
			continue;
		}
		span_t line = span_make(l->buf, l->len);
		/* a UTF-8 byte order mark, as spreadsheet programs write */
		if (c->lineno == 1 && starts_with(line, "\xef\xbb\xbf"))
			line = span_make(line.p + 3, line.n - 3);
		if (blank(line))
			continue;
		tl_arena_reset(&c->arena);
		switch (fmt) {
		case TL_TEXT_BIND:
			if (trim(line).p[0] != '#')
				tl_log_bind_line(c, line);
			break;
		case TL_TEXT_ZEEK_TSV:
			tl_log_zeek_tsv_line(c, line);
			break;
		case TL_TEXT_ZEEK_JSON:
			if (trim(line).p[0] != '#')
				tl_log_zeek_json_line(c, line);
			break;
		case TL_TEXT_CSV:
		case TL_TEXT_TSV:
			if (trim(line).p[0] != '#')
				tl_log_pdns_line(c, line);
			break;
		default:
			break;
		}
	}
	if (c->hstate == H_NONE && (fmt == TL_TEXT_CSV || fmt == TL_TEXT_TSV) && st->lines)
		bad(c, TL_AN_BAD_HEADER); /* only comments and blank lines */
	tl_arena_free(&c->arena);
	free(l->buf);
	free(l);
	free(c);
	return rc < 0 ? TL_EIO : TL_OK;
}

/* ---- names and sniffing ---- */

const char *tl_textlog_format_name(tl_textlog_format_t f)
{
	switch (f) {
	case TL_TEXT_BIND:
		return "bind";
	case TL_TEXT_ZEEK_TSV:
		return "zeek-tsv";
	case TL_TEXT_ZEEK_JSON:
		return "zeek-json";
	case TL_TEXT_CSV:
		return "csv";
	case TL_TEXT_TSV:
		return "tsv";
	default:
		return "unknown";
	}
}

/* Does a header row split at sep name a timestamp column and a qname column? */
static int header_like(span_t line, char sep)
{
	int ts = 0, qn = 0, n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= line.n; i++) {
		if (i < line.n && line.p[i] != sep)
			continue;
		span_t cell = trim(span_make(line.p + start, i - start));
		start = i + 1;
		n++;
		if (cell.n >= 2 && cell.p[0] == '"' && cell.p[cell.n - 1] == '"')
			cell = span_make(cell.p + 1, cell.n - 2);
		if (span_ieq(cell, "timestamp") || span_ieq(cell, "ts") || span_ieq(cell, "time"))
			ts = 1;
		if (span_ieq(cell, "qname") || span_ieq(cell, "query"))
			qn = 1;
	}
	return n >= 2 && ts && qn;
}

tl_textlog_format_t tl_textlog_sniff(const char *head, size_t n)
{
	span_t h = span_make(head, head ? n : 0);
	if (starts_with(h, "\xef\xbb\xbf"))
		h = span_make(h.p + 3, h.n - 3);
	if (starts_with(h, "#separator"))
		return TL_TEXT_ZEEK_TSV;
	size_t i = 0;
	while (i < h.n && (is_space(h.p[i]) || h.p[i] == '\r' || h.p[i] == '\n'))
		i++;
	if (i < h.n && h.p[i] == '{' && (find(h, "\"id.orig_h\"") || find(h, "\"query\"")))
		return TL_TEXT_ZEEK_JSON;

	int first = 1, bind = 0;
	size_t start = 0;
	for (i = 0; i <= h.n; i++) {
		if (i < h.n && h.p[i] != '\n')
			continue;
		span_t line = span_make(h.p + start, i - start);
		start = i + 1;
		if (line.n && line.p[line.n - 1] == '\r')
			line.n--;
		span_t t = trim(line);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (first) {
			first = 0;
			if (find(line, "\t") && header_like(line, '\t'))
				return TL_TEXT_TSV;
			if (header_like(line, ','))
				return TL_TEXT_CSV;
		}
		if (find(line, " query: ") && find(line, "client "))
			bind = 1;
	}
	return bind ? TL_TEXT_BIND : TL_TEXT_UNKNOWN;
}
