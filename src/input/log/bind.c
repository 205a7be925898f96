/* bind.c - BIND 9 query log lines (category queries; the print-time formats
 * docs/formats.md lists). */
#include "input/log/log_impl.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/time.h"

#include <string.h>

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

void tl_log_bind_line(ctx_t *c, span_t line)
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
	if (!tl_log_parse_addr(addr, &r.src) || (server.p && !tl_log_parse_addr(server, &r.dst))) {
		bad(c, TL_AN_BAD_ADDRESS);
		return;
	}
	if (!tl_log_name_text(&c->arena, qname, 0, &r.qname)) {
		bad(c, TL_AN_BAD_NAME);
		return;
	}
	if (!tl_log_parse_u16(port, &r.sport) || !tl_log_parse_class(cls, &r.qclass) ||
	    !tl_log_parse_type(type, &r.qtype) || flags.n == 0 ||
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
				    !tl_log_parse_uint(span_make(flags.p + i + 2, j - i - 2), 255, &v)) {
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
