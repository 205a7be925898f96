/* zeek.c - Zeek dns.log, as TSV with its #separator / #fields header and as JSON
 * lines; both give a row (zrow_t) that becomes the same query and response records.
 * The one user of jansson in src/input/. */
#include "input/log/log_impl.h"
#include "input/log/textlog.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/time.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

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
_Static_assert((int)Z__COUNT <= KNOWN_COLUMNS, "ctx_t.col too small");

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
	return tl_log_parse_class(s, v);
}

static int zeek_type_name(span_t s, uint16_t *v)
{
	if (span_eq(s, "*")) {
		*v = 255;
		return 1;
	}
	return tl_log_parse_type(s, v);
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

/* ---- Zeek TSV ---- */

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
	size_t n = tl_log_split(c, line, c->sep);
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

void tl_log_zeek_tsv_line(ctx_t *c, span_t line)
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
	size_t n = tl_log_split(c, line, c->sep);
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
	if (!zval(c, Z_ORIG_H, &oh) || !tl_log_parse_addr(oh, &z.orig_h) || !zval(c, Z_RESP_H, &rh) ||
	    !tl_log_parse_addr(rh, &z.resp_h)) {
		bad(c, TL_AN_BAD_ADDRESS);
		return;
	}
	if (zval(c, Z_QUERY, &v) && !tl_log_name_text(&c->arena, v, 1, &z.qname)) {
		bad(c, TL_AN_BAD_NAME);
		return;
	}
	int ok = 1;
	if (zval(c, Z_ORIG_P, &v))
		ok &= z.has_orig_p = tl_log_parse_u16(v, &z.orig_p);
	if (zval(c, Z_RESP_P, &v))
		ok &= z.has_resp_p = tl_log_parse_u16(v, &z.resp_p);
	if (zval(c, Z_PROTO, &v) && !tl_log_parse_transport(v, &z.transport))
		z.transport = TL_TRANSPORT_UNKNOWN; /* e.g. "unknown_transport" */
	if (zval(c, Z_TRANS_ID, &v))
		ok &= z.has_id = tl_log_parse_u16(v, &z.id);
	if (zval(c, Z_RTT, &v))
		ok &= z.has_rtt = parse_secs(v, &z.rtt);
	if (zval(c, Z_QCLASS, &v))
		ok &= z.has_qclass = tl_log_parse_u16(v, &z.qclass);
	else if (zval(c, Z_QCLASS_NAME, &v))
		ok &= z.has_qclass = zeek_class_name(v, &z.qclass);
	if (zval(c, Z_QTYPE, &v))
		ok &= z.has_qtype = tl_log_parse_u16(v, &z.qtype);
	else if (zval(c, Z_QTYPE_NAME, &v))
		ok &= z.has_qtype = zeek_type_name(v, &z.qtype);
	if (zval(c, Z_RCODE, &v))
		ok &= z.has_rcode = tl_log_parse_rcode(v, &z.rcode);
	else if (zval(c, Z_RCODE_NAME, &v))
		ok &= z.has_rcode = tl_log_parse_rcode(v, &z.rcode);
	if (zval(c, Z_OPCODE, &v)) {
		uint64_t x;
		ok &= z.has_opcode = tl_log_parse_uint(v, 15, &x);
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

void tl_log_zeek_json_line(ctx_t *c, span_t line)
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
	if (!json_is_string(oh) || !json_is_string(rh) || !tl_log_parse_addr(jspan(oh), &z.orig_h) ||
	    !tl_log_parse_addr(jspan(rh), &z.resp_h)) {
		kind = TL_AN_BAD_ADDRESS;
		goto fail;
	}
	if ((v = jget(o, "query")) &&
	    (!json_is_string(v) || !tl_log_name_text(&c->arena, jspan(v), 1, &z.qname))) {
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
		else if (!tl_log_parse_transport(jspan(v), &z.transport))
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
		ok &= z.has_rcode = json_is_string(v) && tl_log_parse_rcode(jspan(v), &z.rcode);
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

const char *tl_textlog_jansson_version(void)
{
	return jansson_version_str();
}
