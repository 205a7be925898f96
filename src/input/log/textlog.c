/* textlog.c - readers for DNS text logs: BIND 9 query log, Zeek dns.log (TSV and
 * JSON lines) and the generic passive-DNS CSV/TSV; docs/formats.md says exactly
 * what each accepts. Every line is untrusted: lengths are capped, numbers are
 * parsed with full checks, and a bad line is one counted anomaly, never fatal. */
#include "input/log/textlog.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_LINE 65536
#define MAX_MAX_LINE ((size_t)1 << 30)
#define CHUNK 65536
#define MAX_COLUMNS 256 /* header columns we keep track of */

/* ---- spans: a slice of the current line; never NUL-terminated ---- */

typedef struct span {
	const char *p;
	size_t n;
} span_t;

static span_t span_make(const char *p, size_t n)
{
	span_t s = {p, n};
	return s;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static span_t trim(span_t s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison with a literal; no locale. */
static int span_ieq(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(s.p[i]) != lower(lit[i]))
			return 0;
	return 1;
}

static int span_eq(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int starts_with(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static int find(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	for (size_t i = 0; i + n <= s.n; i++)
		if (memcmp(s.p + i, lit, n) == 0)
			return 1;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* ---- checked numbers ---- */

/* Decimal digits only (no sign, no spaces), value <= max. */
static int parse_uint(span_t s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	if (s.n == 0 || s.n > 20)
		return 0;
	for (size_t i = 0; i < s.n; i++) {
		if (!is_digit(s.p[i]))
			return 0;
		unsigned d = (unsigned)(s.p[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return 0;
		x = x * 10 + d;
	}
	if (x > max)
		return 0;
	*v = x;
	return 1;
}

static int parse_u16(span_t s, uint16_t *v)
{
	uint64_t x;
	if (!parse_uint(s, 65535, &x))
		return 0;
	*v = (uint16_t)x;
	return 1;
}

/* A non-negative duration "D+[.D+]" in seconds, to microseconds; digits beyond
 * microseconds are truncated; at most 12 integer digits. */
static int parse_secs(span_t s, int64_t *us)
{
	size_t i = 0;
	int64_t secs = 0, frac = 0;
	int nd = 0, nf = 0;
	while (i < s.n && is_digit(s.p[i])) {
		if (++nd > 12)
			return 0;
		secs = secs * 10 + (s.p[i++] - '0');
	}
	if (nd == 0)
		return 0;
	if (i < s.n && s.p[i] == '.') {
		i++;
		while (i < s.n && is_digit(s.p[i])) {
			if (nf < 6)
				frac = frac * 10 + (s.p[i] - '0');
			nf++;
			i++;
		}
		if (nf == 0)
			return 0;
		for (int k = nf; k < 6; k++)
			frac *= 10;
	}
	if (i != s.n)
		return 0;
	*us = secs * TL_US_PER_SEC + frac;
	return 1;
}

/* A type, rcode or class given as a decimal number or as a mnemonic. */
static int parse_type(span_t s, uint16_t *v)
{
	if (s.n && is_digit(s.p[0]))
		return parse_u16(s, v);
	return s.n && tl_rrtype_parse(s.p, s.n, v) == TL_OK;
}

static int parse_rcode(span_t s, uint16_t *v)
{
	uint64_t x;
	if (s.n && is_digit(s.p[0])) {
		/* 12 bits: 4 in the header, 8 in the OPT record (RFC 6891 6.1.3) */
		if (!parse_uint(s, 4095, &x))
			return 0;
		*v = (uint16_t)x;
		return 1;
	}
	return s.n && tl_rcode_parse(s.p, s.n, v) == TL_OK;
}

static int parse_class(span_t s, uint16_t *v)
{
	if (s.n && is_digit(s.p[0]))
		return parse_u16(s, v);
	return s.n && tl_class_parse(s.p, s.n, v) == TL_OK;
}

static int parse_addr(span_t s, tl_addr_t *a)
{
	return s.n && tl_addr_parse(s.p, s.n, a) == TL_OK;
}

static int parse_transport(span_t s, uint8_t *t)
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

/* Converts a name in text form to presentation form with a trailing dot and
 * RFC 1035 section 5.1 escapes, in the same style as ldns prints names, so names
 * from logs compare equal to names from captures. Input escapes: "\DDD" and "\c"
 * (RFC 1035 5.1), and with zeek set also Zeek's "\xHH". Checks the limits of
 * RFC 1035 2.3.4: labels of 1..63 octets, names of at most 255 octets on the
 * wire. Returns 1 and the arena-allocated name, or 0 for a bad name. */
static int name_text(tl_arena_t *ar, span_t s, int zeek, const char **out)
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

/* Zeek writes bytes it cannot print as "\xHH": printable ones are restored,
 * the others become "\DDD" like in names. Other text is copied as is. */
static const char *zeek_text(tl_arena_t *ar, span_t s)
{
	char *o = tl_arena_alloc(ar, s.n * 2 + 1);
	size_t on = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '\\' && i + 3 < s.n && s.p[i + 1] == 'x' && hexval(s.p[i + 2]) >= 0 &&
		    hexval(s.p[i + 3]) >= 0) {
			unsigned c = (unsigned)(hexval(s.p[i + 2]) * 16 + hexval(s.p[i + 3]));
			i += 3;
			if (c >= 0x20 && c <= 0x7e) {
				o[on++] = (char)c;
			} else {
				o[on++] = '\\';
				o[on++] = (char)('0' + c / 100);
				o[on++] = (char)('0' + (c / 10) % 10);
				o[on++] = (char)('0' + c % 10);
			}
		} else {
			o[on++] = s.p[i];
		}
	}
	o[on] = '\0';
	return o;
}

/* ---- reader state ---- */

enum hstate { H_NONE, H_OK, H_BAD };

/* Zeek columns we use, located by name from #fields. */
enum {
	Z_TS,
	Z_ORIG_H,
	Z_ORIG_P,
	Z_RESP_H,
	Z_RESP_P,
	Z_PROTO,
	Z_TRANS_ID,
	Z_RTT,
	Z_QUERY,
	Z_QCLASS,
	Z_QCLASS_NAME,
	Z_QTYPE,
	Z_QTYPE_NAME,
	Z_RCODE,
	Z_RCODE_NAME,
	Z_AA,
	Z_TC,
	Z_RD,
	Z_RA,
	Z_ANSWERS,
	Z_TTLS,
	Z_OPCODE,
	Z__COUNT
};

static const char *const zeek_names[Z__COUNT] = {
	[Z_TS] = "ts",
	[Z_ORIG_H] = "id.orig_h",
	[Z_ORIG_P] = "id.orig_p",
	[Z_RESP_H] = "id.resp_h",
	[Z_RESP_P] = "id.resp_p",
	[Z_PROTO] = "proto",
	[Z_TRANS_ID] = "trans_id",
	[Z_RTT] = "rtt",
	[Z_QUERY] = "query",
	[Z_QCLASS] = "qclass",
	[Z_QCLASS_NAME] = "qclass_name",
	[Z_QTYPE] = "qtype",
	[Z_QTYPE_NAME] = "qtype_name",
	[Z_RCODE] = "rcode",
	[Z_RCODE_NAME] = "rcode_name",
	[Z_AA] = "AA",
	[Z_TC] = "TC",
	[Z_RD] = "RD",
	[Z_RA] = "RA",
	[Z_ANSWERS] = "answers",
	[Z_TTLS] = "TTLs",
	[Z_OPCODE] = "opcode",
};

/* Generic CSV/TSV columns. */
enum {
	G_TS,
	G_CLIENT,
	G_QNAME,
	G_QTYPE,
	G_RCODE,
	G_ANSWERS,
	G_TTL,
	G_SERVER,
	G_CPORT,
	G_SPORT,
	G_ID,
	G_TRANSPORT,
	G_QCLASS,
	G__COUNT,
	G__REQUIRED = 4 /* the first four */
};

static const struct {
	const char *name;
	int col;
} generic_names[] = {
	{"timestamp", G_TS},	 {"ts", G_TS},		 {"time", G_TS},
	{"client", G_CLIENT},	 {"src", G_CLIENT},	 {"client_ip", G_CLIENT},
	{"qname", G_QNAME},	 {"query", G_QNAME},	 {"qtype", G_QTYPE},
	{"rcode", G_RCODE},	 {"answers", G_ANSWERS}, {"ttl", G_TTL},
	{"server", G_SERVER},	 {"dst", G_SERVER},	 {"client_port", G_CPORT},
	{"server_port", G_SPORT}, {"id", G_ID},		 {"transport", G_TRANSPORT},
	{"qclass", G_QCLASS},
};

#define KNOWN_COLUMNS 24
_Static_assert((int)Z__COUNT <= KNOWN_COLUMNS && (int)G__COUNT <= KNOWN_COLUMNS, "col[] too small");

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

static void emit(ctx_t *c, const tl_record_t *r)
{
	if (r->ts != TL_TIME_NONE) {
		if (c->st->first_ts == TL_TIME_NONE || r->ts < c->st->first_ts)
			c->st->first_ts = r->ts;
		if (c->st->last_ts == TL_TIME_NONE || r->ts > c->st->last_ts)
			c->st->last_ts = r->ts;
	}
	c->fn(r, c->ud);
}

static void bad(ctx_t *c, tl_anomaly_kind_t k)
{
	tl_anomaly_add(c->an, k, c->lineno);
}

static void record_base(ctx_t *c, tl_record_t *r)
{
	tl_record_init(r);
	r->file = c->index;
	r->pos = c->lineno;
}

/* ---- BIND 9 query log ---- */

static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Exactly n digits at s[*i]. */
static int fixed_digits(span_t s, size_t *i, int n, int *v)
{
	int x = 0;
	for (int k = 0; k < n; k++) {
		if (*i >= s.n || !is_digit(s.p[*i]))
			return 0;
		x = x * 10 + (s.p[(*i)++] - '0');
	}
	*v = x;
	return 1;
}

/* "DD-Mon-YYYY" and "HH:MM:SS[.fff]": BIND's default print-time format. The month
 * is an English abbreviation whatever the locale, so we match it ourselves. */
static int bind_time(span_t date, span_t tod, int64_t *us)
{
	size_t i = 0;
	int d, y, h, mi, sec, mon = 0;
	if (!fixed_digits(date, &i, 2, &d) || i >= date.n || date.p[i++] != '-')
		return 0;
	if (date.n - i < 4)
		return 0;
	for (int k = 0; k < 12; k++)
		if (span_ieq(span_make(date.p + i, 3), months[k]))
			mon = k + 1;
	if (!mon || date.p[i + 3] != '-')
		return 0;
	i += 4;
	if (!fixed_digits(date, &i, 4, &y) || i != date.n)
		return 0;
	i = 0;
	if (!fixed_digits(tod, &i, 2, &h) || i >= tod.n || tod.p[i++] != ':' ||
	    !fixed_digits(tod, &i, 2, &mi) || i >= tod.n || tod.p[i++] != ':' ||
	    !fixed_digits(tod, &i, 2, &sec))
		return 0;
	int64_t frac = 0;
	if (i < tod.n) { /* milliseconds; any number of digits, truncated to microseconds */
		int nf = 0;
		if (tod.p[i++] != '.' || i >= tod.n)
			return 0;
		for (; i < tod.n; i++, nf++) {
			if (!is_digit(tod.p[i]))
				return 0;
			if (nf < 6)
				frac = frac * 10 + (tod.p[i] - '0');
		}
		for (; nf < 6; nf++)
			frac *= 10;
	}
	return tl_time_from_fields(y, mon, d, h, mi, sec, frac, 0, us) == TL_OK;
}

/* Splits s at spaces into at most max tokens; returns the count, or max + 1 if
 * there are more. */
static size_t tokens(span_t s, span_t *tok, size_t max)
{
	size_t n = 0, i = 0;
	while (i < s.n) {
		while (i < s.n && is_space(s.p[i]))
			i++;
		if (i >= s.n)
			break;
		size_t start = i;
		while (i < s.n && !is_space(s.p[i]))
			i++;
		if (n == max)
			return max + 1;
		tok[n++] = span_make(s.p + start, i - start);
	}
	return n;
}

#define BIND_MAX_TOKENS 24

static void bind_line(ctx_t *c, span_t line)
{
	span_t t[BIND_MAX_TOKENS];
	size_t n = tokens(line, t, BIND_MAX_TOKENS);
	if (n > BIND_MAX_TOKENS) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	/* structure: [time] [category: severity: ...] client [@0x..] addr#port
	 * [(qname):] [view V:] query: qname class type flags [(server)] */
	size_t k = 0, ntime = 0;
	while (k < n && !span_eq(t[k], "client")) {
		if (t[k].p[t[k].n - 1] != ':') {
			if (k != ntime || ntime >= 2) {
				bad(c, TL_AN_LINE_UNPARSABLE);
				return;
			}
			ntime++;
		}
		k++;
	}
	if (k >= n) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	k++;
	if (k < n && starts_with(t[k], "@0x"))
		k++;
	if (k >= n) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	span_t ap = t[k++];
	if (ap.n && ap.p[ap.n - 1] == ':') /* BIND before 9.11: "addr#port: query:" */
		ap.n--;
	size_t hash = ap.n;
	for (size_t i = 0; i < ap.n; i++)
		if (ap.p[i] == '#')
			hash = i;
	if (hash == ap.n) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	span_t addr = span_make(ap.p, hash), port = span_make(ap.p + hash + 1, ap.n - hash - 1);
	if (k < n && t[k].n >= 3 && t[k].p[0] == '(' && span_eq(span_make(t[k].p + t[k].n - 2, 2),
								    "):"))
		k++;
	if (k + 1 < n && span_eq(t[k], "view") && t[k + 1].p[t[k + 1].n - 1] == ':')
		k += 2;
	if (k >= n || !span_eq(t[k], "query:") || n - k < 5 || n - k > 6) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	span_t qname = t[k + 1], cls = t[k + 2], type = t[k + 3], flags = t[k + 4];
	span_t server = {NULL, 0};
	if (n - k == 6) {
		server = t[k + 5];
		if (server.n < 2 || server.p[0] != '(' || server.p[server.n - 1] != ')') {
			bad(c, TL_AN_LINE_UNPARSABLE);
			return;
		}
		server = span_make(server.p + 1, server.n - 2);
	}

	tl_record_t r;
	record_base(c, &r);
	r.ts = TL_TIME_NONE; /* print-time no: the log does not say when */
	if (ntime == 2) {
		if (!bind_time(t[0], t[1], &r.ts)) {
			bad(c, TL_AN_BAD_TIMESTAMP);
			return;
		}
	} else if (ntime == 1) { /* print-time iso8601 / iso8601-utc (BIND 9.16+) */
		if (tl_time_parse(t[0].p, t[0].n, &r.ts) != TL_OK) {
			bad(c, TL_AN_BAD_TIMESTAMP);
			return;
		}
	}
	if (!parse_addr(addr, &r.src) || (server.p && !parse_addr(server, &r.dst))) {
		bad(c, TL_AN_BAD_ADDRESS);
		return;
	}
	if (!name_text(&c->arena, qname, 0, &r.qname)) {
		bad(c, TL_AN_BAD_NAME);
		return;
	}
	if (!parse_u16(port, &r.sport) || !parse_class(cls, &r.qclass) ||
	    !parse_type(type, &r.qtype) || flags.n == 0 ||
	    (flags.p[0] != '+' && flags.p[0] != '-')) {
		bad(c, TL_AN_BAD_FIELD);
		return;
	}
	/* flags: '+'/'-' is RD; then E[(version)], S (signed), T (TCP), D (DO),
	 * C (CD), K (cookie), V (valid cookie) */
	int edns = 0, do_bit = 0, cookie = 0;
	unsigned version = 0;
	r.flags = flags.p[0] == '+' ? TL_FLAG_RD : 0;
	r.flags_known = TL_FLAG_RD | TL_FLAG_CD; /* BIND states these two, no others */
	r.transport = TL_TRANSPORT_UDP;
	for (size_t i = 1; i < flags.n; i++) {
		switch (flags.p[i]) {
		case 'E':
			edns = 1;
			if (i + 1 < flags.n && flags.p[i + 1] == '(') {
				size_t j = i + 2;
				while (j < flags.n && flags.p[j] != ')')
					j++;
				uint64_t v;
				if (j >= flags.n ||
				    !parse_uint(span_make(flags.p + i + 2, j - i - 2), 255, &v)) {
					bad(c, TL_AN_BAD_FIELD);
					return;
				}
				version = (unsigned)v;
				i = j;
			}
			break;
		case 'T':
			r.transport = TL_TRANSPORT_TCP;
			break;
		case 'D':
			do_bit = 1;
			break;
		case 'C':
			r.flags |= TL_FLAG_CD;
			break;
		case 'K':
		case 'V':
			cookie = 1;
			break;
		case 'S':
			break;
		default:
			bad(c, TL_AN_BAD_FIELD);
			return;
		}
	}
	r.known = TL_KNOWN_QR | TL_KNOWN_SPORT | TL_KNOWN_EDNS;
	r.qr = 0;
	r.qdcount = 1;
	if (edns) {
		tl_edns_t *e = tl_arena_alloc(&c->arena, sizeof(*e));
		memset(e, 0, sizeof(*e));
		e->version = (uint8_t)version;
		e->do_bit = (uint8_t)do_bit;
		if (cookie) { /* COOKIE option, RFC 7873 section 4 */
			uint16_t *codes = tl_arena_alloc(&c->arena, sizeof(*codes));
			codes[0] = 10;
			e->option_codes = codes;
			e->n_options = 1;
		}
		r.edns = e;
	}
	emit(c, &r);
}

/* ---- Zeek rows (TSV and JSON share the record building) ---- */

typedef struct zrow {
	int64_t ts;
	tl_addr_t orig_h, resp_h;
	int has_orig_p, has_resp_p, has_id, has_rtt, has_qclass, has_qtype, has_rcode;
	int has_opcode, answers_col;
	uint16_t orig_p, resp_p, id, qclass, qtype, rcode;
	uint8_t opcode;
	uint8_t transport;
	int64_t rtt;
	const char *qname;
	int aa, tc, rd, ra; /* -1 unset */
	int has_answers;    /* answers field set (possibly empty) */
	size_t n_answers, n_ttls;
	const char **answers;
	int64_t *ttls;
	int has_ttls;
} zrow_t;

static void zrow_init(zrow_t *z)
{
	memset(z, 0, sizeof(*z));
	z->aa = z->tc = z->rd = z->ra = -1;
}

/* Zeek's qclass_name values are not the usual mnemonics. */
static int zeek_class_name(span_t s, uint16_t *v)
{
	static const struct {
		const char *n;
		uint16_t v;
	} m[] = {{"C_INTERNET", 1}, {"C_CSNET", 2}, {"C_CHAOS", 3},
		 {"C_HESIOD", 4},   {"C_NONE", 254}, {"C_ANY", 255}};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (span_eq(s, m[i].n)) {
			*v = m[i].v;
			return 1;
		}
	return parse_class(s, v);
}

static int zeek_type_name(span_t s, uint16_t *v)
{
	if (span_eq(s, "*")) {
		*v = 255;
		return 1;
	}
	return parse_type(s, v);
}

static void zeek_emit(ctx_t *c, const zrow_t *z)
{
	tl_record_t q;
	record_base(c, &q);
	q.ts = z->ts;
	q.src = z->orig_h;
	q.dst = z->resp_h;
	q.transport = z->transport;
	q.known = TL_KNOWN_QR;
	if (z->has_orig_p) {
		q.sport = z->orig_p;
		q.known |= TL_KNOWN_SPORT;
	}
	if (z->has_resp_p) {
		q.dport = z->resp_p;
		q.known |= TL_KNOWN_DPORT;
	}
	if (z->has_id) {
		q.id = z->id;
		q.known |= TL_KNOWN_ID;
	}
	if (z->has_opcode) {
		q.opcode = z->opcode;
		q.known |= TL_KNOWN_OPCODE;
	}
	q.qname = z->qname;
	q.qdcount = z->qname ? 1 : 0;
	q.qtype = z->has_qtype ? z->qtype : 0;
	q.qclass = z->has_qclass ? z->qclass : 0;
	if (z->rd == 1)
		q.flags |= TL_FLAG_RD;
	if (z->rd != -1)
		q.flags_known = TL_FLAG_RD;
	emit(c, &q);

	if (!z->has_rcode && !(z->has_answers && z->n_answers))
		return;
	tl_record_t r = q;
	r.ts = z->has_rtt ? z->ts + z->rtt : z->ts;
	r.latency_us = z->has_rtt ? z->rtt : -1;
	r.query_pos = q.pos; /* the answer to the query on this line */
	r.src = z->resp_h;
	r.dst = z->orig_h;
	r.sport = q.dport;
	r.dport = q.sport;
	r.known = q.known & ~(uint32_t)(TL_KNOWN_SPORT | TL_KNOWN_DPORT);
	if (q.known & TL_KNOWN_SPORT)
		r.known |= TL_KNOWN_DPORT;
	if (q.known & TL_KNOWN_DPORT)
		r.known |= TL_KNOWN_SPORT;
	r.qr = 1;
	if (z->has_rcode) {
		r.rcode = z->rcode;
		r.known |= TL_KNOWN_RCODE;
	}
	r.flags = 0;
	if (z->aa == 1)
		r.flags |= TL_FLAG_AA;
	if (z->tc == 1)
		r.flags |= TL_FLAG_TC;
	if (z->rd == 1)
		r.flags |= TL_FLAG_RD;
	if (z->ra == 1)
		r.flags |= TL_FLAG_RA;
	r.flags_known = (uint16_t)((z->aa != -1 ? TL_FLAG_AA : 0) | (z->tc != -1 ? TL_FLAG_TC : 0) |
				   (z->rd != -1 ? TL_FLAG_RD : 0) | (z->ra != -1 ? TL_FLAG_RA : 0));
	if (z->answers_col) {
		/* Zeek leaves answers unset when the response had none */
		r.known |= TL_KNOWN_ANSWERS;
		tl_rr_t *rr = NULL;
		if (z->n_answers) {
			rr = tl_arena_alloc(&c->arena, z->n_answers * sizeof(*rr));
			for (size_t i = 0; i < z->n_answers; i++) {
				rr[i].name = z->qname ? z->qname : "";
				rr[i].type = TL_TYPE_UNKNOWN;
				rr[i].rclass = q.qclass;
				rr[i].ttl = z->has_ttls ? z->ttls[i] : -1;
				rr[i].data = z->answers[i];
			}
		}
		r.answers = rr;
		r.n_answers = z->n_answers;
		r.ancount = (uint16_t)(z->n_answers > 65535 ? 65535 : z->n_answers);
	}
	emit(c, &r);
}

/* Splits s at sep into c->cells; returns the count, or MAX_COLUMNS + 1. */
static size_t split(ctx_t *c, span_t s, char sep)
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

/* Decodes a Zeek header value such as "\x09" to one byte. */
static int zeek_header_char(span_t v, char *out)
{
	if (v.n == 1) {
		*out = v.p[0];
		return 1;
	}
	if (v.n == 4 && v.p[0] == '\\' && v.p[1] == 'x' && hexval(v.p[2]) >= 0 &&
	    hexval(v.p[3]) >= 0) {
		*out = (char)(hexval(v.p[2]) * 16 + hexval(v.p[3]));
		return 1;
	}
	return 0;
}

static void zeek_header(ctx_t *c, span_t line)
{
	if (starts_with(line, "#separator")) {
		/* a new header block (logs are often concatenated): forget the old one */
		span_t v = trim(span_make(line.p + 10, line.n - 10));
		if (line.n <= 10 || !is_space(line.p[10]) || !zeek_header_char(v, &c->sep)) {
			bad(c, TL_AN_BAD_HEADER);
			c->hstate = H_BAD;
			return;
		}
		c->hstate = H_NONE;
		c->set_sep = ',';
		strcpy(c->empty_field, "(empty)");
		strcpy(c->unset_field, "-");
		return;
	}
	size_t n = split(c, line, c->sep);
	if (n < 2)
		return; /* "#close" alone, or a comment */
	span_t key = c->cells[0];
	if (span_eq(key, "#set_separator")) {
		if (n != 2 || !zeek_header_char(c->cells[1], &c->set_sep)) {
			bad(c, TL_AN_BAD_HEADER);
			c->hstate = H_BAD;
		}
	} else if (span_eq(key, "#empty_field") || span_eq(key, "#unset_field")) {
		char *dst = key.p[1] == 'e' ? c->empty_field : c->unset_field;
		if (n != 2 || c->cells[1].n == 0 || c->cells[1].n >= sizeof(c->empty_field)) {
			bad(c, TL_AN_BAD_HEADER);
			c->hstate = H_BAD;
			return;
		}
		memcpy(dst, c->cells[1].p, c->cells[1].n);
		dst[c->cells[1].n] = '\0';
	} else if (span_eq(key, "#fields")) {
		for (int k = 0; k < Z__COUNT; k++)
			c->col[k] = -1;
		int dup = 0;
		if (n > MAX_COLUMNS) {
			bad(c, TL_AN_BAD_HEADER);
			c->hstate = H_BAD;
			return;
		}
		for (size_t i = 1; i < n; i++)
			for (int k = 0; k < Z__COUNT; k++)
				if (span_eq(c->cells[i], zeek_names[k])) {
					if (c->col[k] >= 0)
						dup = 1;
					c->col[k] = (int)(i - 1);
				}
		c->ncols = n - 1;
		if (dup || c->col[Z_TS] < 0 || c->col[Z_ORIG_H] < 0 || c->col[Z_RESP_H] < 0 ||
		    c->col[Z_QUERY] < 0) {
			bad(c, TL_AN_BAD_HEADER);
			c->hstate = H_BAD;
			return;
		}
		c->hstate = H_OK;
	}
	/* #path, #open, #types, #close and unknown "#" lines carry nothing we use */
}

/* A Zeek TSV value: 0 if unset, else 1 with the value ("(empty)" -> empty). */
static int zval(ctx_t *c, int k, span_t *v)
{
	if (c->col[k] < 0)
		return 0;
	span_t s = c->cells[c->col[k]];
	if (span_eq(s, c->unset_field))
		return 0;
	if (span_eq(s, c->empty_field))
		s.n = 0;
	*v = s;
	return 1;
}

static int zbool(ctx_t *c, int k, int *b)
{
	span_t v;
	if (!zval(c, k, &v)) {
		*b = -1;
		return 1;
	}
	if (span_eq(v, "T"))
		*b = 1;
	else if (span_eq(v, "F"))
		*b = 0;
	else
		return 0;
	return 1;
}

/* Splits a Zeek vector value at the set separator into arena spans. */
static size_t zvec(ctx_t *c, span_t v, span_t **out)
{
	size_t n = 1;
	if (v.n == 0) {
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] == c->set_sep)
			n++;
	span_t *a = tl_arena_alloc(&c->arena, n * sizeof(*a));
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= v.n; i++)
		if (i == v.n || v.p[i] == c->set_sep) {
			a[k++] = span_make(v.p + start, i - start);
			start = i + 1;
		}
	*out = a;
	return n;
}

static void zeek_tsv_line(ctx_t *c, span_t line)
{
	if (line.n && line.p[0] == '#') {
		zeek_header(c, line);
		return;
	}
	if (c->hstate == H_BAD)
		return; /* counted once at the header */
	if (c->hstate == H_NONE) {
		bad(c, TL_AN_BAD_HEADER); /* rows before any #fields */
		c->hstate = H_BAD;
		return;
	}
	size_t n = split(c, line, c->sep);
	if (n != c->ncols) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	zrow_t z;
	zrow_init(&z);
	span_t v;
	if (!zval(c, Z_TS, &v) || tl_time_parse(v.p, v.n, &z.ts) != TL_OK) {
		bad(c, TL_AN_BAD_TIMESTAMP);
		return;
	}
	span_t oh = {NULL, 0}, rh = {NULL, 0};
	if (!zval(c, Z_ORIG_H, &oh) || !parse_addr(oh, &z.orig_h) || !zval(c, Z_RESP_H, &rh) ||
	    !parse_addr(rh, &z.resp_h)) {
		bad(c, TL_AN_BAD_ADDRESS);
		return;
	}
	if (zval(c, Z_QUERY, &v) && !name_text(&c->arena, v, 1, &z.qname)) {
		bad(c, TL_AN_BAD_NAME);
		return;
	}
	int ok = 1;
	if (zval(c, Z_ORIG_P, &v))
		ok &= z.has_orig_p = parse_u16(v, &z.orig_p);
	if (zval(c, Z_RESP_P, &v))
		ok &= z.has_resp_p = parse_u16(v, &z.resp_p);
	if (zval(c, Z_PROTO, &v) && !parse_transport(v, &z.transport))
		z.transport = TL_TRANSPORT_UNKNOWN; /* e.g. "unknown_transport" */
	if (zval(c, Z_TRANS_ID, &v))
		ok &= z.has_id = parse_u16(v, &z.id);
	if (zval(c, Z_RTT, &v))
		ok &= z.has_rtt = parse_secs(v, &z.rtt);
	if (zval(c, Z_QCLASS, &v))
		ok &= z.has_qclass = parse_u16(v, &z.qclass);
	else if (zval(c, Z_QCLASS_NAME, &v))
		ok &= z.has_qclass = zeek_class_name(v, &z.qclass);
	if (zval(c, Z_QTYPE, &v))
		ok &= z.has_qtype = parse_u16(v, &z.qtype);
	else if (zval(c, Z_QTYPE_NAME, &v))
		ok &= z.has_qtype = zeek_type_name(v, &z.qtype);
	if (zval(c, Z_RCODE, &v))
		ok &= z.has_rcode = parse_rcode(v, &z.rcode);
	else if (zval(c, Z_RCODE_NAME, &v))
		ok &= z.has_rcode = parse_rcode(v, &z.rcode);
	if (zval(c, Z_OPCODE, &v)) {
		uint64_t x;
		ok &= z.has_opcode = parse_uint(v, 15, &x);
		z.opcode = (uint8_t)(z.has_opcode ? x : 0);
	}
	ok &= zbool(c, Z_AA, &z.aa) & zbool(c, Z_TC, &z.tc) & zbool(c, Z_RD, &z.rd) &
	      zbool(c, Z_RA, &z.ra);
	z.answers_col = c->col[Z_ANSWERS] >= 0;
	if (zval(c, Z_ANSWERS, &v)) {
		span_t *a;
		z.has_answers = 1;
		z.n_answers = zvec(c, v, &a);
		z.answers = tl_arena_alloc(&c->arena, (z.n_answers + 1) * sizeof(*z.answers));
		for (size_t i = 0; i < z.n_answers; i++)
			z.answers[i] = zeek_text(&c->arena, a[i]);
	}
	if (zval(c, Z_TTLS, &v)) {
		span_t *a;
		z.has_ttls = 1;
		z.n_ttls = zvec(c, v, &a);
		z.ttls = tl_arena_alloc(&c->arena, (z.n_ttls + 1) * sizeof(*z.ttls));
		for (size_t i = 0; i < z.n_ttls && ok; i++) {
			ok &= parse_secs(a[i], &z.ttls[i]);
			z.ttls[i] /= TL_US_PER_SEC; /* whole seconds, rounded down */
		}
	}
	/* TTLs pair with answers one to one; anything else cannot be attributed */
	if (z.has_ttls && z.n_ttls != z.n_answers)
		ok = 0;
	if (!ok) {
		bad(c, TL_AN_BAD_FIELD);
		return;
	}
	zeek_emit(c, &z);
}

/* ---- Zeek JSON lines ---- */

static json_t *jget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v && strncmp(key, "id.", 3) == 0) { /* nested "id": {"orig_h": ...} */
		json_t *id = json_object_get(o, "id");
		if (json_is_object(id))
			v = json_object_get(id, key + 3);
	}
	return json_is_null(v) ? NULL : v;
}

static span_t jspan(json_t *v)
{
	return span_make(json_string_value(v), json_string_length(v));
}

/* A JSON number of seconds to microseconds, rounded to the nearest. */
static int jsecs(json_t *v, int64_t *us)
{
	double d;
	if (json_is_integer(v))
		d = (double)json_integer_value(v);
	else if (json_is_real(v))
		d = json_real_value(v);
	else
		return 0;
	if (!isfinite(d) || d < 0 || d >= 1e12)
		return 0;
	*us = (int64_t)llround(d * 1e6);
	return 1;
}

static int jts(json_t *v, int64_t *us)
{
	if (json_is_string(v))
		return tl_time_parse(json_string_value(v), json_string_length(v), us) == TL_OK;
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		/* JSON::TS_MILLIS writes integer milliseconds; an integer this large
		 * would be after year 5000 as seconds */
		if (x >= 100000000000LL || x <= -100000000000LL) {
			if (x >= INT64_MAX / 1000 || x <= INT64_MIN / 1000)
				return 0;
			*us = (int64_t)x * 1000;
		} else {
			*us = (int64_t)x * TL_US_PER_SEC;
		}
		return 1;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!isfinite(d) || d <= -1e11 || d >= 1e11)
			return 0;
		*us = (int64_t)llround(d * 1e6);
		return 1;
	}
	return 0;
}

static int jint(json_t *v, json_int_t max, json_int_t *out)
{
	if (!json_is_integer(v))
		return 0;
	json_int_t x = json_integer_value(v);
	if (x < 0 || x > max)
		return 0;
	*out = x;
	return 1;
}

static int ju16(json_t *v, uint16_t *out)
{
	json_int_t x;
	if (!jint(v, 65535, &x))
		return 0;
	*out = (uint16_t)x;
	return 1;
}

static int jbool(json_t *v, int *b)
{
	if (!v) {
		*b = -1;
		return 1;
	}
	if (!json_is_boolean(v))
		return 0;
	*b = json_is_true(v);
	return 1;
}

static void zeek_json_line(ctx_t *c, span_t line)
{
	json_error_t err;
	/* JSON_ALLOW_NUL: a \u0000 in a name is hostile data we escape, not a
	 * reason to drop the line */
	json_t *o = json_loadb(line.p, line.n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!o || !json_is_object(o)) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		json_decref(o);
		return;
	}
	zrow_t z;
	zrow_init(&z);
	json_t *v;
	int ok = 1;
	tl_anomaly_kind_t kind = TL_AN_BAD_FIELD;
	if (!(v = jget(o, "ts")) || !jts(v, &z.ts)) {
		kind = TL_AN_BAD_TIMESTAMP;
		goto fail;
	}
	json_t *oh = jget(o, "id.orig_h"), *rh = jget(o, "id.resp_h");
	if (!json_is_string(oh) || !json_is_string(rh) || !parse_addr(jspan(oh), &z.orig_h) ||
	    !parse_addr(jspan(rh), &z.resp_h)) {
		kind = TL_AN_BAD_ADDRESS;
		goto fail;
	}
	if ((v = jget(o, "query")) &&
	    (!json_is_string(v) || !name_text(&c->arena, jspan(v), 1, &z.qname))) {
		kind = TL_AN_BAD_NAME;
		goto fail;
	}
	json_int_t x;
	if ((v = jget(o, "id.orig_p")))
		ok &= z.has_orig_p = ju16(v, &z.orig_p);
	if ((v = jget(o, "id.resp_p")))
		ok &= z.has_resp_p = ju16(v, &z.resp_p);
	if ((v = jget(o, "proto"))) {
		if (!json_is_string(v))
			ok = 0;
		else if (!parse_transport(jspan(v), &z.transport))
			z.transport = TL_TRANSPORT_UNKNOWN;
	}
	if ((v = jget(o, "trans_id")))
		ok &= z.has_id = ju16(v, &z.id);
	if ((v = jget(o, "rtt")))
		ok &= z.has_rtt = jsecs(v, &z.rtt);
	if ((v = jget(o, "qclass")))
		ok &= z.has_qclass = ju16(v, &z.qclass);
	else if ((v = jget(o, "qclass_name")))
		ok &= z.has_qclass = json_is_string(v) && zeek_class_name(jspan(v), &z.qclass);
	if ((v = jget(o, "qtype")))
		ok &= z.has_qtype = ju16(v, &z.qtype);
	else if ((v = jget(o, "qtype_name")))
		ok &= z.has_qtype = json_is_string(v) && zeek_type_name(jspan(v), &z.qtype);
	if ((v = jget(o, "rcode"))) {
		ok &= z.has_rcode = jint(v, 4095, &x);
		z.rcode = (uint16_t)(z.has_rcode ? x : 0);
	} else if ((v = jget(o, "rcode_name"))) {
		ok &= z.has_rcode = json_is_string(v) && parse_rcode(jspan(v), &z.rcode);
	}
	if ((v = jget(o, "opcode"))) {
		ok &= z.has_opcode = jint(v, 15, &x);
		z.opcode = (uint8_t)(z.has_opcode ? x : 0);
	}
	ok &= jbool(jget(o, "AA"), &z.aa) & jbool(jget(o, "TC"), &z.tc) &
	      jbool(jget(o, "RD"), &z.rd) & jbool(jget(o, "RA"), &z.ra);
	/* Zeek omits unset fields from JSON, so a missing "answers" is "none" */
	z.answers_col = 1;
	if ((v = jget(o, "answers"))) {
		if (!json_is_array(v)) {
			ok = 0;
		} else {
			z.has_answers = 1;
			z.n_answers = json_array_size(v);
			z.answers =
				tl_arena_alloc(&c->arena, (z.n_answers + 1) * sizeof(*z.answers));
			for (size_t i = 0; i < z.n_answers; i++) {
				json_t *a = json_array_get(v, i);
				if (!json_is_string(a)) {
					ok = 0;
					break;
				}
				z.answers[i] = zeek_text(&c->arena, jspan(a));
			}
		}
	}
	if ((v = jget(o, "TTLs"))) {
		if (!json_is_array(v)) {
			ok = 0;
		} else {
			z.has_ttls = 1;
			z.n_ttls = json_array_size(v);
			z.ttls = tl_arena_alloc(&c->arena, (z.n_ttls + 1) * sizeof(*z.ttls));
			for (size_t i = 0; i < z.n_ttls && ok; i++) {
				json_t *a = json_array_get(v, i);
				double d = json_is_number(a) ? json_number_value(a) : -1;
				if (!(d >= 0 && d < 4294967296.0)) {
					ok = 0;
					break;
				}
				z.ttls[i] = (int64_t)floor(d);
			}
		}
	}
	if (z.has_ttls && z.n_ttls != z.n_answers)
		ok = 0;
	if (!ok)
		goto fail;
	zeek_emit(c, &z);
	json_decref(o);
	return;
fail:
	bad(c, kind);
	json_decref(o);
}

/* ---- generic passive-DNS CSV / TSV ---- */

/* Splits one CSV (RFC 4180) or TSV line into c->cells. CSV cells may be quoted,
 * with "" for a quote; the unquoted text is copied into the arena. A quote inside
 * an unquoted cell, text after a closing quote, or a quote left open (a record
 * spanning lines, which we do not read) make the line unparsable: returns
 * MAX_COLUMNS + 1 then. Unquoted cells are trimmed of spaces and tabs. */
static size_t split_generic(ctx_t *c, span_t s)
{
	if (c->fmt == TL_TEXT_TSV) {
		size_t n = split(c, s, '\t');
		for (size_t i = 0; i < n && i < MAX_COLUMNS; i++)
			c->cells[i] = trim(c->cells[i]);
		return n;
	}
	size_t n = 0, i = 0;
	for (;;) {
		if (n == MAX_COLUMNS)
			return MAX_COLUMNS + 1;
		while (i < s.n && s.p[i] == ' ')
			i++;
		if (i < s.n && s.p[i] == '"') {
			char *o = tl_arena_alloc(&c->arena, s.n - i + 1);
			size_t on = 0;
			int closed = 0;
			i++;
			while (i < s.n) {
				if (s.p[i] == '"') {
					if (i + 1 < s.n && s.p[i + 1] == '"') {
						o[on++] = '"';
						i += 2;
						continue;
					}
					i++;
					closed = 1;
					break;
				}
				o[on++] = s.p[i++];
			}
			if (!closed)
				return MAX_COLUMNS + 1;
			while (i < s.n && s.p[i] == ' ')
				i++;
			if (i < s.n && s.p[i] != ',')
				return MAX_COLUMNS + 1;
			c->cells[n++] = span_make(o, on);
		} else {
			size_t start = i;
			while (i < s.n && s.p[i] != ',') {
				if (s.p[i] == '"')
					return MAX_COLUMNS + 1;
				i++;
			}
			c->cells[n++] = trim(span_make(s.p + start, i - start));
		}
		if (i >= s.n)
			return n;
		i++; /* the comma */
	}
}

static void generic_header(ctx_t *c, span_t line)
{
	size_t n = split_generic(c, line);
	for (int k = 0; k < G__COUNT; k++)
		c->col[k] = -1;
	c->hstate = H_BAD;
	if (n > MAX_COLUMNS) {
		bad(c, TL_AN_BAD_HEADER);
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(generic_names) / sizeof(generic_names[0]); k++)
			if (span_ieq(c->cells[i], generic_names[k].name)) {
				int col = generic_names[k].col;
				if (c->col[col] >= 0) { /* "ts" and "time" both: ambiguous */
					bad(c, TL_AN_BAD_HEADER);
					return;
				}
				c->col[col] = (int)i;
			}
	for (int k = 0; k < G__REQUIRED; k++)
		if (c->col[k] < 0) {
			bad(c, TL_AN_BAD_HEADER);
			return;
		}
	c->ncols = n;
	c->hstate = H_OK;
}

/* A generic cell: 0 if the column is absent or the cell empty. */
static int gval(ctx_t *c, int k, span_t *v)
{
	if (c->col[k] < 0 || c->cells[c->col[k]].n == 0)
		return 0;
	*v = c->cells[c->col[k]];
	return 1;
}

/* One answer: "data" or "TYPE data" (TYPE a mnemonic or TYPEnnn). */
static void generic_answer(ctx_t *c, span_t s, tl_rr_t *rr)
{
	size_t sp = 0;
	while (sp < s.n && !is_space(s.p[sp]))
		sp++;
	rr->type = TL_TYPE_UNKNOWN;
	if (sp < s.n && is_alpha(s.p[0])) {
		uint16_t t;
		span_t rest = trim(span_make(s.p + sp, s.n - sp));
		if (rest.n && tl_rrtype_parse(s.p, sp, &t) == TL_OK) {
			rr->type = t;
			s = rest;
		}
	}
	rr->data = tl_arena_strndup(&c->arena, s.p, s.n);
}

static void generic_line(ctx_t *c, span_t line)
{
	if (c->hstate == H_NONE) {
		generic_header(c, line);
		return;
	}
	if (c->hstate == H_BAD)
		return;
	size_t n = split_generic(c, line);
	if (n != c->ncols) {
		bad(c, TL_AN_LINE_UNPARSABLE);
		return;
	}
	tl_record_t q;
	record_base(c, &q);
	span_t v = {NULL, 0};
	if (!gval(c, G_TS, &v) || tl_time_parse(v.p, v.n, &q.ts) != TL_OK) {
		bad(c, TL_AN_BAD_TIMESTAMP);
		return;
	}
	if (!gval(c, G_CLIENT, &v) || !parse_addr(v, &q.src) ||
	    (gval(c, G_SERVER, &v) && !parse_addr(v, &q.dst))) {
		bad(c, TL_AN_BAD_ADDRESS);
		return;
	}
	if (!gval(c, G_QNAME, &v) || !name_text(&c->arena, v, 0, &q.qname)) {
		bad(c, TL_AN_BAD_NAME);
		return;
	}
	int ok = 1, has_rcode = 0, has_ttl = 0;
	uint16_t rcode = 0;
	uint64_t ttl = 0;
	q.known = TL_KNOWN_QR;
	q.qdcount = 1;
	q.qclass = 1; /* IN unless a qclass column says otherwise */
	ok &= gval(c, G_QTYPE, &v) && parse_type(v, &q.qtype);
	if (gval(c, G_QCLASS, &v))
		ok &= parse_class(v, &q.qclass);
	if (gval(c, G_RCODE, &v))
		ok &= has_rcode = parse_rcode(v, &rcode);
	if (gval(c, G_TTL, &v))
		ok &= has_ttl = parse_uint(v, UINT32_MAX, &ttl);
	if (gval(c, G_CPORT, &v)) {
		ok &= parse_u16(v, &q.sport);
		q.known |= TL_KNOWN_SPORT;
	}
	if (gval(c, G_SPORT, &v)) {
		ok &= parse_u16(v, &q.dport);
		q.known |= TL_KNOWN_DPORT;
	}
	if (gval(c, G_ID, &v)) {
		ok &= parse_u16(v, &q.id);
		q.known |= TL_KNOWN_ID;
	}
	if (gval(c, G_TRANSPORT, &v))
		ok &= parse_transport(v, &q.transport);
	if (!ok) {
		bad(c, TL_AN_BAD_FIELD);
		return;
	}
	/* answers: items separated by '|' or ';' */
	size_t n_ans = 0;
	tl_rr_t *ans = NULL;
	int has_answers = gval(c, G_ANSWERS, &v);
	if (has_answers) {
		size_t max = 1;
		for (size_t i = 0; i < v.n; i++)
			if (v.p[i] == '|' || v.p[i] == ';')
				max++;
		ans = tl_arena_alloc(&c->arena, max * sizeof(*ans));
		size_t start = 0;
		for (size_t i = 0; i <= v.n; i++) {
			if (i < v.n && v.p[i] != '|' && v.p[i] != ';')
				continue;
			span_t item = trim(span_make(v.p + start, i - start));
			start = i + 1;
			if (item.n == 0)
				continue;
			tl_rr_t *rr = &ans[n_ans++];
			rr->name = q.qname;
			rr->rclass = q.qclass;
			rr->ttl = has_ttl ? (int64_t)ttl : -1;
			generic_answer(c, item, rr);
		}
	}
	emit(c, &q);
	if (!has_rcode && !has_answers)
		return;
	tl_record_t r = q;
	r.qr = 1;
	r.query_pos = q.pos; /* the answer to the query on this line */
	r.src = q.dst;
	r.dst = q.src;
	r.sport = q.dport;
	r.dport = q.sport;
	r.known = q.known & ~(uint32_t)(TL_KNOWN_SPORT | TL_KNOWN_DPORT);
	if (q.known & TL_KNOWN_SPORT)
		r.known |= TL_KNOWN_DPORT;
	if (q.known & TL_KNOWN_DPORT)
		r.known |= TL_KNOWN_SPORT;
	if (has_rcode) {
		r.rcode = rcode;
		r.known |= TL_KNOWN_RCODE;
	}
	if (c->col[G_ANSWERS] >= 0) {
		r.known |= TL_KNOWN_ANSWERS;
		r.answers = n_ans ? ans : NULL;
		r.n_answers = n_ans;
		r.ancount = (uint16_t)(n_ans > 65535 ? 65535 : n_ans);
	}
	emit(c, &r);
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
				bind_line(c, line);
			break;
		case TL_TEXT_ZEEK_TSV:
			zeek_tsv_line(c, line);
			break;
		case TL_TEXT_ZEEK_JSON:
			if (trim(line).p[0] != '#')
				zeek_json_line(c, line);
			break;
		case TL_TEXT_CSV:
		case TL_TEXT_TSV:
			if (trim(line).p[0] != '#')
				generic_line(c, line);
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

const char *tl_textlog_jansson_version(void)
{
	return jansson_version_str();
}
