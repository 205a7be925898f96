/* pdns.c - the generic passive-DNS CSV (RFC 4180) and TSV with a header row that
 * names the columns (docs/formats.md). */
#include "input/log/log_impl.h"
#include "input/log/textlog.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/time.h"

#include <string.h>

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

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

_Static_assert((int)G__COUNT <= KNOWN_COLUMNS, "ctx_t.col too small");

/* Splits one CSV (RFC 4180) or TSV line into c->cells. CSV cells may be quoted,
 * with "" for a quote; the unquoted text is copied into the arena. A quote inside
 * an unquoted cell, text after a closing quote, or a quote left open (a record
 * spanning lines, which we do not read) make the line unparsable: returns
 * MAX_COLUMNS + 1 then. Unquoted cells are trimmed of spaces and tabs. */
static size_t split_generic(ctx_t *c, span_t s)
{
	if (c->fmt == TL_TEXT_TSV) {
		size_t n = tl_log_split(c, s, '\t');
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

void tl_log_pdns_line(ctx_t *c, span_t line)
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
	if (!gval(c, G_CLIENT, &v) || !tl_log_parse_addr(v, &q.src) ||
	    (gval(c, G_SERVER, &v) && !tl_log_parse_addr(v, &q.dst))) {
		bad(c, TL_AN_BAD_ADDRESS);
		return;
	}
	if (!gval(c, G_QNAME, &v) || !tl_log_name_text(&c->arena, v, 0, &q.qname)) {
		bad(c, TL_AN_BAD_NAME);
		return;
	}
	int ok = 1, has_rcode = 0, has_ttl = 0;
	uint16_t rcode = 0;
	uint64_t ttl = 0;
	q.known = TL_KNOWN_QR;
	q.qdcount = 1;
	q.qclass = 1; /* IN unless a qclass column says otherwise */
	ok &= gval(c, G_QTYPE, &v) && tl_log_parse_type(v, &q.qtype);
	if (gval(c, G_QCLASS, &v))
		ok &= tl_log_parse_class(v, &q.qclass);
	if (gval(c, G_RCODE, &v))
		ok &= has_rcode = tl_log_parse_rcode(v, &rcode);
	if (gval(c, G_TTL, &v))
		ok &= has_ttl = tl_log_parse_uint(v, UINT32_MAX, &ttl);
	if (gval(c, G_CPORT, &v)) {
		ok &= tl_log_parse_u16(v, &q.sport);
		q.known |= TL_KNOWN_SPORT;
	}
	if (gval(c, G_SPORT, &v)) {
		ok &= tl_log_parse_u16(v, &q.dport);
		q.known |= TL_KNOWN_DPORT;
	}
	if (gval(c, G_ID, &v)) {
		ok &= tl_log_parse_u16(v, &q.id);
		q.known |= TL_KNOWN_ID;
	}
	if (gval(c, G_TRANSPORT, &v))
		ok &= tl_log_parse_transport(v, &q.transport);
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
