/* pdf_read.c - a strict, bounded PDF reader: embedded files and /Info /ReportID. */
#include "provenance/pdf_read.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* Design notes.
 * - Every byte of the file is read through index checks against the length of the buffer
 *   being parsed (the file, or a decoded object stream); nothing is repaired or guessed.
 *   Offsets from the cross-reference data are used as given: a reader that scans for
 *   "obj" when an offset is wrong would see objects the file's own index does not name.
 * - Parsed values live in one arena freed at the end; decoded streams are malloc'd.
 * - Objects are parsed lazily, when first resolved, and cached. An object that is being
 *   loaded and is asked for again (a /Length that names its own stream, a reference
 *   cycle, an object stream holding itself) is an error, and loads nest at most
 *   TL_PDF_MAX_CHAIN deep, so hostile reference graphs end quickly. */

enum { V_NULL, V_BOOL, V_INT, V_REAL, V_STR, V_NAME, V_ARRAY, V_DICT, V_REF, V_STREAM };

typedef struct val val_t;
struct val {
	int type;
	int gen;          /* V_REF: generation */
	int64_t i;        /* V_BOOL, V_INT; V_REF: object number */
	const uint8_t *s; /* V_STR, V_NAME: decoded bytes (arena, NUL after them) */
	size_t slen;
	val_t **a; /* V_ARRAY: items; V_DICT, V_STREAM: key, value, key, value ... */
	size_t n;
	size_t off; /* V_STREAM: offset of the data in the file */
	size_t raw; /* V_STREAM: /Length */
};

/* One cross-reference entry (7.5.4, 7.5.8.3). */
typedef struct xent {
	uint8_t set;   /* some section defined it; the newest section read first wins */
	uint8_t type;  /* 0 free, 1 at a byte offset, 2 in an object stream */
	uint8_t state; /* 0 not loaded, 1 being loaded, 2 loaded */
	uint8_t seen;  /* reached as a name-tree node */
	uint16_t gen;
	uint64_t off; /* type 1: byte offset; type 2: number of the object stream */
	uint64_t idx; /* type 2: index within the object stream */
	val_t *v;
} xent_t;

/* A decoded object stream (7.5.7). */
typedef struct objstm {
	int64_t num;
	uint8_t *data;
	size_t len, first, n;
	int64_t *nums; /* object numbers, n of them */
	size_t *offs;  /* offsets relative to first */
} objstm_t;

typedef struct rd {
	const uint8_t *pdf;
	size_t len;
	tl_arena_t arena;
	xent_t *x;
	size_t nx;
	size_t nvalues;
	size_t decoded; /* bytes decoded from all streams so far */
	int chain;      /* nesting of object loads */
	int in_xref;    /* reading cross-reference sections: no object may be loaded */
	val_t *null;
	val_t **trailers; /* newest first */
	size_t ntrailers;
	objstm_t **os;
	size_t nos;
	char *err;
	size_t errlen;
	int failed;
} rd_t;

typedef struct lex {
	const uint8_t *d;
	size_t len, pos;
	int64_t obj;    /* object being read, or -1 */
	int64_t objstm; /* the object stream holding it, or -1 for the file itself */
} lex_t;

enum { T_EOF, T_INT, T_REAL, T_STR, T_NAME, T_KW, T_ALBR, T_ARBR, T_DLBR, T_DRBR };

typedef struct tok {
	int t;
	size_t pos;
	int64_t i;
	const uint8_t *s; /* T_STR, T_NAME: decoded (arena); T_KW: in the input */
	size_t slen;
} tok_t;

static int fail(rd_t *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(rd_t *r, int code, const char *fmt, ...)
{
	if (!r->failed && r->err && r->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	r->failed = 1;
	return code;
}

/* A syntax error at a position of the buffer lx reads. */
static int lfail(rd_t *r, const lex_t *lx, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int lfail(rd_t *r, const lex_t *lx, size_t pos, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lx->objstm >= 0)
		return fail(r, TL_EFORMAT, "object %lld (object stream %lld, byte %zu): %s",
		            (long long)lx->obj, (long long)lx->objstm, pos, msg);
	if (lx->obj >= 0)
		return fail(r, TL_EFORMAT, "object %lld (PDF byte %zu): %s", (long long)lx->obj,
		            pos, msg);
	return fail(r, TL_EFORMAT, "PDF byte %zu: %s", pos, msg);
}

/* Printable form of untrusted bytes for messages: ASCII kept, others \xHH, cut at 48. */
static const char *printable(const uint8_t *s, size_t n, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 8 < cap; i++) {
		if (i == 48) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			buf[o++] = (char)s[i];
		else
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", s[i]);
	}
	buf[o] = '\0';
	return buf;
}

/* ---- lexical level (7.2) ---- */

/* 7.2.2 Table 1: white-space characters. */
static int is_ws(uint8_t c)
{
	return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
}

/* 7.2.2 Table 2: delimiter characters. */
static int is_delim(uint8_t c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

static int is_regular(uint8_t c)
{
	return !is_ws(c) && !is_delim(c);
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Skips white space and comments (7.2.3: a comment runs to the end of its line). */
static void skip_ws(lex_t *lx)
{
	while (lx->pos < lx->len) {
		uint8_t c = lx->d[lx->pos];
		if (is_ws(c)) {
			lx->pos++;
		} else if (c == '%') {
			while (lx->pos < lx->len && lx->d[lx->pos] != '\r' &&
			       lx->d[lx->pos] != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
}

/* 7.3.4.2 literal string; lx->pos is just after '('. */
static int lex_literal(rd_t *r, lex_t *lx, tok_t *t)
{
	size_t start = lx->pos, i = start;
	int depth = 1;
	while (i < lx->len) {
		uint8_t c = lx->d[i];
		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			break;
		i++;
	}
	if (i >= lx->len)
		return lfail(r, lx, t->pos, "string not closed by ')'");
	size_t end = i; /* the closing ')' */
	uint8_t *o = tl_arena_alloc(&r->arena, end - start + 1);
	size_t n = 0;
	for (i = start; i < end;) {
		uint8_t c = lx->d[i++];
		if (c == '\r') { /* an unescaped end-of-line is one LF, whatever its form */
			if (i < end && lx->d[i] == '\n')
				i++;
			o[n++] = '\n';
			continue;
		}
		if (c != '\\') {
			o[n++] = c;
			continue;
		}
		c = lx->d[i++]; /* i <= end here: the scan above skipped escapes in pairs */
		switch (c) {
		case 'n':
			o[n++] = '\n';
			break;
		case 'r':
			o[n++] = '\r';
			break;
		case 't':
			o[n++] = '\t';
			break;
		case 'b':
			o[n++] = '\b';
			break;
		case 'f':
			o[n++] = '\f';
			break;
		case '\r': /* backslash at the end of a line: the line continues */
			if (i < end && lx->d[i] == '\n')
				i++;
			break;
		case '\n':
			break;
		default:
			if (c >= '0' && c <= '7') { /* \ddd, one to three octal digits */
				unsigned v = (unsigned)(c - '0');
				for (int k = 0;
				     k < 2 && i < end && lx->d[i] >= '0' && lx->d[i] <= '7'; k++)
					v = v * 8 + (unsigned)(lx->d[i++] - '0');
				o[n++] = (uint8_t)(v & 0xff); /* high-order overflow ignored */
			} else {
				o[n++] = c; /* \( \) \\ and any other: the backslash is dropped */
			}
		}
	}
	o[n] = '\0';
	t->t = T_STR;
	t->s = o;
	t->slen = n;
	lx->pos = end + 1;
	return TL_OK;
}

/* 7.3.4.3 hexadecimal string; lx->pos is just after '<'. */
static int lex_hex(rd_t *r, lex_t *lx, tok_t *t)
{
	size_t start = lx->pos, i = start;
	while (i < lx->len && lx->d[i] != '>') {
		if (!is_ws(lx->d[i]) && hexval(lx->d[i]) < 0)
			return lfail(r, lx, i, "bad character in a hexadecimal string");
		i++;
	}
	if (i >= lx->len)
		return lfail(r, lx, t->pos, "hexadecimal string not closed by '>'");
	uint8_t *o = tl_arena_alloc(&r->arena, (i - start) / 2 + 2);
	size_t n = 0;
	int half = -1;
	for (size_t k = start; k < i; k++) {
		int v = hexval(lx->d[k]);
		if (v < 0)
			continue;
		if (half < 0) {
			half = v;
		} else {
			o[n++] = (uint8_t)(half << 4 | v);
			half = -1;
		}
	}
	if (half >= 0) /* an odd final digit is followed by an implied 0 */
		o[n++] = (uint8_t)(half << 4);
	o[n] = '\0';
	t->t = T_STR;
	t->s = o;
	t->slen = n;
	lx->pos = i + 1;
	return TL_OK;
}

/* 7.3.5 name; lx->pos is just after '/'. */
static int lex_name(rd_t *r, lex_t *lx, tok_t *t)
{
	size_t start = lx->pos, end = start;
	while (end < lx->len && is_regular(lx->d[end]))
		end++;
	uint8_t *o = tl_arena_alloc(&r->arena, end - start + 1);
	size_t n = 0;
	for (size_t i = start; i < end; i++) {
		uint8_t c = lx->d[i];
		if (c == '#') { /* #xx: a byte given by two hexadecimal digits */
			int h = i + 1 < end ? hexval(lx->d[i + 1]) : -1;
			int l = i + 2 < end ? hexval(lx->d[i + 2]) : -1;
			if (h < 0 || l < 0)
				return lfail(r, lx, i,
				             "'#' in a name not followed by two hex digits");
			c = (uint8_t)(h << 4 | l);
			if (c == 0)
				return lfail(r, lx, i, "#00 in a name");
			i += 2;
		}
		o[n++] = c;
	}
	o[n] = '\0';
	t->t = T_NAME;
	t->s = o;
	t->slen = n;
	lx->pos = end;
	return TL_OK;
}

/* 7.3.3 numbers: [+-]digits, [+-]digits.digits, [+-].digits, [+-]digits. */
static int lex_number(rd_t *r, lex_t *lx, tok_t *t, size_t end)
{
	size_t i = t->pos;
	int neg = 0, digits = 0, dot = 0;
	int64_t v = 0;
	if (lx->d[i] == '+' || lx->d[i] == '-')
		neg = lx->d[i++] == '-';
	for (; i < end; i++) {
		uint8_t c = lx->d[i];
		if (c == '.' && !dot) {
			dot = 1;
		} else if (c >= '0' && c <= '9') {
			digits++;
			if (!dot) {
				if (v > (INT64_MAX - (c - '0')) / 10)
					return lfail(r, lx, t->pos, "number too large");
				v = v * 10 + (c - '0');
			}
		} else {
			char buf[80];
			return lfail(r, lx, t->pos, "bad number '%s'",
			             printable(lx->d + t->pos, end - t->pos, buf, sizeof(buf)));
		}
	}
	if (!digits)
		return lfail(r, lx, t->pos, "bad number");
	t->t = dot ? T_REAL : T_INT;
	t->i = neg ? -v : v;
	lx->pos = end;
	return TL_OK;
}

static int next_tok(rd_t *r, lex_t *lx, tok_t *t)
{
	skip_ws(lx);
	t->pos = lx->pos;
	t->s = NULL;
	t->slen = 0;
	t->i = 0;
	if (lx->pos >= lx->len) {
		t->t = T_EOF;
		return TL_OK;
	}
	uint8_t c = lx->d[lx->pos++];
	uint8_t c2 = lx->pos < lx->len ? lx->d[lx->pos] : 0;
	switch (c) {
	case '[':
		t->t = T_ALBR;
		return TL_OK;
	case ']':
		t->t = T_ARBR;
		return TL_OK;
	case '(':
		return lex_literal(r, lx, t);
	case '/':
		return lex_name(r, lx, t);
	case '<':
		if (c2 == '<') {
			lx->pos++;
			t->t = T_DLBR;
			return TL_OK;
		}
		return lex_hex(r, lx, t);
	case '>':
		if (c2 == '>') {
			lx->pos++;
			t->t = T_DRBR;
			return TL_OK;
		}
		return lfail(r, lx, t->pos, "unexpected '>'");
	case ')':
	case '{':
	case '}':
		return lfail(r, lx, t->pos, "unexpected '%c'", c);
	default:
		break;
	}
	size_t end = t->pos;
	while (end < lx->len && is_regular(lx->d[end]))
		end++;
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
		return lex_number(r, lx, t, end);
	t->t = T_KW;
	t->s = lx->d + t->pos;
	t->slen = end - t->pos;
	lx->pos = end;
	return TL_OK;
}

static int is_kw(const tok_t *t, const char *kw)
{
	size_t n = strlen(kw);
	return t->t == T_KW && t->slen == n && memcmp(t->s, kw, n) == 0;
}

static const char *tok_desc(const tok_t *t, char *buf, size_t cap)
{
	static const char *const names[] = {"end of data", "number", "number", "string", "name",
	                                    "keyword",     "'['",    "']'",    "'<<'",   "'>>'"};
	if (t->t == T_KW) {
		char p[80];
		snprintf(buf, cap, "'%s'", printable(t->s, t->slen, p, sizeof(p)));
		return buf;
	}
	if (t->t == T_NAME) {
		char p[80];
		snprintf(buf, cap, "/%s", printable(t->s, t->slen, p, sizeof(p)));
		return buf;
	}
	return names[t->t];
}

/* Scans an unsigned decimal integer at pos without consuming anything; returns the end
 * position, or 0 when there is none (or it is too large for what follows). */
static size_t scan_uint(const lex_t *lx, size_t pos, int64_t *v)
{
	size_t i = pos;
	int64_t x = 0;
	while (i < lx->len && lx->d[i] >= '0' && lx->d[i] <= '9') {
		if (x > (INT64_MAX - 9) / 10)
			return 0;
		x = x * 10 + (lx->d[i] - '0');
		i++;
	}
	if (i == pos || (i < lx->len && is_regular(lx->d[i])))
		return 0;
	*v = x;
	return i;
}

/* After an integer: are the next tokens "G R" (7.3.10)? Consumes them if so. */
static int peek_ref(lex_t *lx, int64_t *gen)
{
	lex_t p = *lx;
	skip_ws(&p);
	size_t e = scan_uint(&p, p.pos, gen);
	if (!e)
		return 0;
	p.pos = e;
	skip_ws(&p);
	if (p.pos >= p.len || p.d[p.pos] != 'R' ||
	    (p.pos + 1 < p.len && is_regular(p.d[p.pos + 1])))
		return 0;
	lx->pos = p.pos + 1;
	return 1;
}

/* ---- objects (7.3) ---- */

static val_t *new_val(rd_t *r, int type)
{
	if (r->nvalues >= TL_PDF_MAX_VALUES)
		return NULL;
	r->nvalues++;
	val_t *v = tl_arena_alloc(&r->arena, sizeof(*v));
	memset(v, 0, sizeof(*v));
	v->type = type;
	return v;
}

static int too_many_values(rd_t *r)
{
	return fail(r, TL_ELIMIT, "more than %d values in the objects read", TL_PDF_MAX_VALUES);
}

static int name_is(const val_t *v, const char *s)
{
	size_t n = strlen(s);
	return v && v->type == V_NAME && v->slen == n && memcmp(v->s, s, n) == 0;
}

/* A dictionary's (or stream dictionary's) entry, or NULL; a null value is no entry
 * (7.3.7). */
static val_t *dget(const val_t *d, const char *key)
{
	if (!d || (d->type != V_DICT && d->type != V_STREAM))
		return NULL;
	for (size_t i = 0; i + 1 < d->n; i += 2)
		if (name_is(d->a[i], key))
			return d->a[i + 1]->type == V_NULL ? NULL : d->a[i + 1];
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	const val_t *x = *(const val_t *const *)a, *y = *(const val_t *const *)b;
	size_t n = x->slen < y->slen ? x->slen : y->slen;
	int c = memcmp(x->s, y->s, n);
	if (c)
		return c;
	return x->slen < y->slen ? -1 : x->slen > y->slen;
}

static int parse_tok(rd_t *r, lex_t *lx, tok_t *t, int depth, val_t **out);

static int parse_array(rd_t *r, lex_t *lx, size_t at, int depth, val_t **out)
{
	val_t **items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	tok_t t;
	for (;;) {
		if ((rc = next_tok(r, lx, &t)))
			goto out;
		if (t.t == T_ARBR)
			break;
		if (t.t == T_EOF) {
			rc = lfail(r, lx, at, "array not closed by ']'");
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			items = tl_xrealloc(items, cap * sizeof(*items));
		}
		if ((rc = parse_tok(r, lx, &t, depth + 1, &items[n])))
			goto out;
		n++;
	}
	val_t *v = new_val(r, V_ARRAY);
	if (!v) {
		rc = too_many_values(r);
		goto out;
	}
	v->n = n;
	v->a = tl_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*v->a));
	if (n)
		memcpy(v->a, items, n * sizeof(*items));
	*out = v;
out:
	free(items);
	return rc;
}

static int parse_dict(rd_t *r, lex_t *lx, size_t at, int depth, val_t **out)
{
	val_t **items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	tok_t t;
	char buf[100];
	for (;;) {
		if ((rc = next_tok(r, lx, &t)))
			goto out;
		if (t.t == T_DRBR)
			break;
		if (t.t == T_EOF) {
			rc = lfail(r, lx, at, "dictionary not closed by '>>'");
			goto out;
		}
		if (t.t != T_NAME) { /* 7.3.7: keys are names */
			rc = lfail(r, lx, t.pos, "dictionary key is a %s, not a name",
			           tok_desc(&t, buf, sizeof(buf)));
			goto out;
		}
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 16;
			items = tl_xrealloc(items, cap * sizeof(*items));
		}
		if (!(items[n] = new_val(r, V_NAME))) {
			rc = too_many_values(r);
			goto out;
		}
		items[n]->s = t.s;
		items[n]->slen = t.slen;
		size_t kpos = t.pos;
		if ((rc = next_tok(r, lx, &t)))
			goto out;
		if (t.t == T_DRBR || t.t == T_EOF) {
			rc = lfail(r, lx, kpos, "key /%s has no value",
			           printable(items[n]->s, items[n]->slen, buf, sizeof(buf)));
			goto out;
		}
		if ((rc = parse_tok(r, lx, &t, depth + 1, &items[n + 1])))
			goto out;
		n += 2;
	}
	/* 7.3.7 (ISO 32000-2): no two entries of a dictionary have the same key. Two would let
	 * two readers see two different documents, so this one refuses them. */
	if (n > 2) {
		size_t k = n / 2;
		val_t **keys = tl_xmalloc(k * sizeof(*keys));
		for (size_t i = 0; i < k; i++)
			keys[i] = items[2 * i];
		qsort(keys, k, sizeof(*keys), cmp_names);
		for (size_t i = 1; i < k; i++) {
			if (cmp_names(&keys[i - 1], &keys[i]) == 0) {
				rc = lfail(r, lx, at, "dictionary has the key /%s twice",
				           printable(keys[i]->s, keys[i]->slen, buf, sizeof(buf)));
				break;
			}
		}
		free(keys);
		if (rc)
			goto out;
	}
	val_t *v = new_val(r, V_DICT);
	if (!v) {
		rc = too_many_values(r);
		goto out;
	}
	v->n = n;
	v->a = tl_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*v->a));
	if (n)
		memcpy(v->a, items, n * sizeof(*items));
	*out = v;
out:
	free(items);
	return rc;
}

/* Parses the value that starts with token t. */
static int parse_tok(rd_t *r, lex_t *lx, tok_t *t, int depth, val_t **out)
{
	char buf[100];
	val_t *v = NULL;
	if (depth > TL_PDF_MAX_DEPTH)
		return lfail(r, lx, t->pos, "arrays and dictionaries nested deeper than %d",
		             TL_PDF_MAX_DEPTH);
	switch (t->t) {
	case T_INT: {
		int64_t gen;
		if (t->i >= 0 && peek_ref(lx, &gen)) {
			if (gen > 65535)
				return lfail(r, lx, t->pos, "generation %lld above 65535",
				             (long long)gen);
			if (!(v = new_val(r, V_REF)))
				return too_many_values(r);
			v->i = t->i;
			v->gen = (int)gen;
		} else {
			if (!(v = new_val(r, V_INT)))
				return too_many_values(r);
			v->i = t->i;
		}
		break;
	}
	case T_REAL:
		if (!(v = new_val(r, V_REAL)))
			return too_many_values(r);
		v->i = t->i;
		break;
	case T_STR:
	case T_NAME:
		if (!(v = new_val(r, t->t == T_STR ? V_STR : V_NAME)))
			return too_many_values(r);
		v->s = t->s;
		v->slen = t->slen;
		break;
	case T_KW:
		if (is_kw(t, "true") || is_kw(t, "false")) {
			if (!(v = new_val(r, V_BOOL)))
				return too_many_values(r);
			v->i = is_kw(t, "true");
		} else if (is_kw(t, "null")) {
			v = r->null;
		} else {
			return lfail(r, lx, t->pos, "unexpected %s", tok_desc(t, buf, sizeof(buf)));
		}
		break;
	case T_ALBR:
		return parse_array(r, lx, t->pos, depth, out);
	case T_DLBR:
		return parse_dict(r, lx, t->pos, depth, out);
	default:
		return lfail(r, lx, t->pos, "unexpected %s", tok_desc(t, buf, sizeof(buf)));
	}
	*out = v;
	return TL_OK;
}

static int parse_value(rd_t *r, lex_t *lx, val_t **out)
{
	tok_t t;
	int rc = next_tok(r, lx, &t);
	if (rc)
		return rc;
	if (t.t == T_EOF)
		return lfail(r, lx, t.pos, "a value was expected");
	return parse_tok(r, lx, &t, 0, out);
}

/* ---- indirect objects ---- */

static int load(rd_t *r, int64_t num, int gen, val_t **out);

/* Follows references until a direct value (7.3.10); an undefined object is null. */
static int resolve(rd_t *r, val_t *v, val_t **out)
{
	for (int hops = 0; v && v->type == V_REF; hops++) {
		if (hops >= TL_PDF_MAX_CHAIN)
			return fail(r, TL_ELIMIT,
			            "object %lld: references chained more than %d deep",
			            (long long)v->i, TL_PDF_MAX_CHAIN);
		int rc = load(r, v->i, v->gen, &v);
		if (rc)
			return rc;
	}
	*out = v ? v : r->null;
	return TL_OK;
}

/* Parses the indirect object at byte off (7.3.10 "N G obj ... endobj"), and its stream
 * (7.3.8). num < 0 accepts any number (a cross-reference stream found by offset). */
static int parse_indirect(rd_t *r, int64_t num, int gen, uint64_t off, val_t **out,
                          int64_t *num_out)
{
	lex_t lx = {r->pdf, r->len, 0, num, -1};
	tok_t a, b, c;
	int rc;
	if (off >= r->len)
		return fail(r, TL_EFORMAT,
		            "object %lld: offset %llu is outside the file (%zu bytes)",
		            (long long)num, (unsigned long long)off, r->len);
	lx.pos = (size_t)off;
	if ((rc = next_tok(r, &lx, &a)) || (rc = next_tok(r, &lx, &b)) ||
	    (rc = next_tok(r, &lx, &c)))
		return rc;
	if (a.t != T_INT || b.t != T_INT || !is_kw(&c, "obj") || a.i < 0 || b.i < 0 ||
	    b.i > 65535) {
		if (num < 0)
			return fail(r, TL_EFORMAT,
			            "PDF byte %llu: neither 'xref' nor 'N G obj' (a "
			            "cross-reference stream) is there",
			            (unsigned long long)off);
		return fail(r, TL_EFORMAT,
		            "object %lld: the cross-reference offset %llu does not "
		            "start 'N G obj'",
		            (long long)num, (unsigned long long)off);
	}
	if (num >= 0 && (a.i != num || b.i != gen))
		return fail(r, TL_EFORMAT,
		            "object %lld: the cross-reference offset %llu holds object %lld %lld",
		            (long long)num, (unsigned long long)off, (long long)a.i,
		            (long long)b.i);
	lx.obj = a.i;
	if (num_out)
		*num_out = a.i;
	val_t *v;
	if ((rc = parse_value(r, &lx, &v)) || (rc = next_tok(r, &lx, &c)))
		return rc;
	if (is_kw(&c, "stream")) {
		if (v->type != V_DICT)
			return lfail(r, &lx, c.pos,
			             "'stream' after a value that is not a dictionary");
		/* 7.3.8.1: "stream" is followed by CR LF or LF, not CR alone. */
		size_t p = lx.pos;
		if (p + 1 < r->len && r->pdf[p] == '\r' && r->pdf[p + 1] == '\n')
			p += 2;
		else if (p < r->len && r->pdf[p] == '\n')
			p += 1;
		else
			return lfail(r, &lx, c.pos, "'stream' not followed by CR LF or LF");
		val_t *lv = dget(v, "Length");
		if (lv && lv->type == V_REF && r->in_xref)
			return fail(r, TL_EFORMAT,
			            "object %lld: a cross-reference stream's /Length must be a "
			            "direct number (7.5.8.2)",
			            (long long)a.i);
		if ((rc = resolve(r, lv, &lv)))
			return rc;
		if (lv->type != V_INT || lv->i < 0)
			return fail(r, TL_EFORMAT, "object %lld: stream /Length is %s",
			            (long long)a.i,
			            lv->type == V_NULL ? "missing" : "not a non-negative integer");
		if ((uint64_t)lv->i > r->len - p)
			return fail(r, TL_EFORMAT,
			            "object %lld: /Length %lld runs past the end of "
			            "the file",
			            (long long)a.i, (long long)lv->i);
		val_t *s = new_val(r, V_STREAM);
		if (!s)
			return too_many_values(r);
		s->a = v->a;
		s->n = v->n;
		s->off = p;
		s->raw = (size_t)lv->i;
		lx.pos = p + s->raw;
		if ((rc = next_tok(r, &lx, &c)))
			return rc;
		if (!is_kw(&c, "endstream"))
			return fail(r, TL_EFORMAT,
			            "object %lld: /Length %zu does not end at "
			            "'endstream' (PDF byte %zu)",
			            (long long)a.i, s->raw, p + s->raw);
		if ((rc = next_tok(r, &lx, &c)))
			return rc;
		v = s;
	}
	if (!is_kw(&c, "endobj")) {
		char buf[100];
		return lfail(r, &lx, c.pos, "expected 'endobj', found %s",
		             tok_desc(&c, buf, sizeof(buf)));
	}
	*out = v;
	return TL_OK;
}

static int decode_stream(rd_t *r, int64_t num, const val_t *s, uint8_t **out, size_t *outlen);

/* The decoded object stream number num, its header read (7.5.7). */
static int get_objstm(rd_t *r, int64_t num, objstm_t **out)
{
	for (size_t i = 0; i < r->nos; i++) {
		if (r->os[i]->num == num) {
			*out = r->os[i];
			return TL_OK;
		}
	}
	val_t *s = NULL;
	int rc = load(r, num, 0, &s);
	if (rc)
		return rc;
	if (s->type != V_STREAM)
		return fail(r, TL_EFORMAT,
		            "object %lld: named as an object stream but is not a "
		            "stream",
		            (long long)num);
	if (!name_is(dget(s, "Type"), "ObjStm"))
		return fail(r, TL_EFORMAT, "object %lld: object stream without /Type /ObjStm",
		            (long long)num);
	val_t *nv = dget(s, "N"), *fv = dget(s, "First");
	if (!nv || nv->type != V_INT || nv->i < 0 || nv->i > TL_PDF_MAX_OBJECTS)
		return fail(r, TL_EFORMAT, "object %lld: object stream /N missing or out of range",
		            (long long)num);
	if (!fv || fv->type != V_INT || fv->i < 0)
		return fail(r, TL_EFORMAT, "object %lld: object stream /First missing or negative",
		            (long long)num);
	objstm_t *os = tl_xcalloc(1, sizeof(*os));
	os->num = num;
	if ((rc = decode_stream(r, num, s, &os->data, &os->len))) {
		free(os);
		return rc;
	}
	r->os = tl_xrealloc(r->os, (r->nos + 1) * sizeof(*r->os));
	r->os[r->nos++] = os;
	if ((uint64_t)fv->i > os->len)
		return fail(r, TL_EFORMAT,
		            "object %lld: object stream /First %lld is past its %zu "
		            "decoded bytes",
		            (long long)num, (long long)fv->i, os->len);
	os->first = (size_t)fv->i;
	/* Each pair takes at least 4 bytes ("1 2 "): a larger /N cannot be right. */
	if ((uint64_t)nv->i > os->first / 4 + 1)
		return fail(r, TL_EFORMAT,
		            "object %lld: object stream /N %lld does not fit before "
		            "/First %zu",
		            (long long)num, (long long)nv->i, os->first);
	os->n = (size_t)nv->i;
	os->nums = tl_xcalloc(os->n ? os->n : 1, sizeof(*os->nums));
	os->offs = tl_xcalloc(os->n ? os->n : 1, sizeof(*os->offs));
	lex_t lx = {os->data, os->first, 0, num, num};
	for (size_t i = 0; i < os->n; i++) {
		tok_t a, b;
		if ((rc = next_tok(r, &lx, &a)) || (rc = next_tok(r, &lx, &b)))
			return rc;
		if (a.t != T_INT || b.t != T_INT || a.i < 0 || b.i < 0 ||
		    (uint64_t)b.i > os->len - os->first)
			return lfail(r, &lx, a.pos,
			             "object stream header entry %zu is not "
			             "'number offset' within the stream",
			             i);
		os->nums[i] = a.i;
		os->offs[i] = (size_t)b.i;
	}
	*out = os;
	return TL_OK;
}

static int load_from_objstm(rd_t *r, int64_t num, const xent_t *e, val_t **out)
{
	objstm_t *os = NULL;
	int rc = get_objstm(r, (int64_t)e->off, &os);
	if (rc)
		return rc;
	if (e->idx >= os->n)
		return fail(r, TL_EFORMAT,
		            "object %lld: index %llu in object stream %lld, which "
		            "holds %zu objects",
		            (long long)num, (unsigned long long)e->idx, (long long)os->num, os->n);
	if (os->nums[e->idx] != num)
		return fail(r, TL_EFORMAT,
		            "object %lld: entry %llu of object stream %lld is "
		            "object %lld",
		            (long long)num, (unsigned long long)e->idx, (long long)os->num,
		            (long long)os->nums[e->idx]);
	lex_t lx = {os->data, os->len, os->first + os->offs[e->idx], num, os->num};
	return parse_value(r, &lx, out);
}

/* Loads (once) the object num gen via the cross-reference entries. */
static int load(rd_t *r, int64_t num, int gen, val_t **out)
{
	if (r->in_xref) /* 7.5.8.2: what the cross-reference data needs is direct */
		return fail(r, TL_EFORMAT,
		            "object %lld: referenced from cross-reference data, "
		            "which must hold direct values",
		            (long long)num);
	if (num < 0 || (uint64_t)num >= r->nx || !r->x[num].set || r->x[num].type == 0) {
		*out = r->null; /* 7.3.10: a reference to an undefined object is null */
		return TL_OK;
	}
	xent_t *e = &r->x[num];
	if ((e->type == 1 && e->gen != gen) || (e->type == 2 && gen != 0)) {
		*out = r->null; /* a different generation is a different (absent) object */
		return TL_OK;
	}
	if (e->state == 2) {
		*out = e->v;
		return TL_OK;
	}
	if (e->state == 1)
		return fail(r, TL_EFORMAT,
		            "object %lld: its value depends on itself (a reference "
		            "loop)",
		            (long long)num);
	if (r->chain >= TL_PDF_MAX_CHAIN)
		return fail(r, TL_ELIMIT, "object %lld: more than %d objects needed to read it",
		            (long long)num, TL_PDF_MAX_CHAIN);
	e->state = 1;
	r->chain++;
	val_t *v = NULL;
	int rc = e->type == 1 ? parse_indirect(r, num, gen, e->off, &v, NULL)
	                      : load_from_objstm(r, num, e, &v);
	/* An object that is only a reference is resolved while it is still being loaded, so
	 * "9 0 obj 9 0 R endobj" (or a ring of them) is caught as a loop. */
	if (rc == TL_OK && v->type == V_REF)
		rc = resolve(r, v, &v);
	r->chain--;
	if (rc)
		return rc; /* state stays 1: the whole read fails anyway */
	e = &r->x[num];
	e->v = v;
	e->state = 2;
	*out = v;
	return TL_OK;
}

/* ---- filters (7.4) ---- */

static int inflate_data(rd_t *r, int64_t num, const uint8_t *in, size_t inlen, uint8_t **out,
                        size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return fail(r, TL_ENOMEM, "object %lld: zlib could not start", (long long)num);
	size_t cap = inlen < 1024 ? 4096 : inlen * 4, n = 0;
	if (cap > (size_t)TL_PDF_MAX_STREAM + 1)
		cap = (size_t)TL_PDF_MAX_STREAM + 1;
	uint8_t *o = tl_xmalloc(cap);
	size_t used_in = 0;
	int zr, rc = TL_OK;
	for (;;) {
		if (n == cap) {
			if (cap > TL_PDF_MAX_STREAM) {
				rc = fail(r, TL_ELIMIT,
				          "object %lld: stream decodes to more than %u "
				          "MiB",
				          (long long)num, TL_PDF_MAX_STREAM >> 20);
				break;
			}
			cap = cap * 2 > (size_t)TL_PDF_MAX_STREAM + 1
			          ? (size_t)TL_PDF_MAX_STREAM + 1
			          : cap * 2;
			o = tl_xrealloc(o, cap);
		}
		size_t in_chunk = inlen - used_in > UINT_MAX ? UINT_MAX : inlen - used_in;
		size_t out_chunk = cap - n > UINT_MAX ? UINT_MAX : cap - n;
		z.next_in = (Bytef *)(uintptr_t)(in + used_in);
		z.avail_in = (uInt)in_chunk;
		z.next_out = o + n;
		z.avail_out = (uInt)out_chunk;
		zr = inflate(&z, Z_NO_FLUSH);
		used_in += in_chunk - z.avail_in;
		n += out_chunk - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_OK)
			continue;
		if (zr == Z_BUF_ERROR && z.avail_out == 0)
			continue;
		if (zr == Z_BUF_ERROR)
			rc = fail(r, TL_EFORMAT,
			          "object %lld: Flate data ends early (after %zu of "
			          "%zu bytes)",
			          (long long)num, used_in, inlen);
		else
			rc = fail(r, TL_EFORMAT,
			          "object %lld: bad Flate data at byte %zu of the "
			          "stream (%s)",
			          (long long)num, used_in, z.msg ? z.msg : "zlib error");
		break;
	}
	inflateEnd(&z);
	if (rc == TL_OK && n > TL_PDF_MAX_STREAM)
		rc = fail(r, TL_ELIMIT, "object %lld: stream decodes to more than %u MiB",
		          (long long)num, TL_PDF_MAX_STREAM >> 20);
	if (rc) {
		free(o);
		return rc;
	}
	*out = o;
	*outlen = n;
	return TL_OK;
}

static int parm_int(rd_t *r, const val_t *parms, const char *key, int64_t def, int64_t lo,
                    int64_t hi, int64_t num, int64_t *out)
{
	val_t *v = dget(parms, key);
	if (!v) {
		*out = def;
		return TL_OK;
	}
	if (v->type != V_INT || v->i < lo || v->i > hi)
		return fail(r, TL_EFORMAT,
		            "object %lld: /DecodeParms /%s is not an integer from "
		            "%lld to %lld",
		            (long long)num, key, (long long)lo, (long long)hi);
	*out = v->i;
	return TL_OK;
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* 7.4.4.4 (Table 8): undoes a PNG (10..15) or TIFF (2) predictor in place or into a new
 * buffer. */
static int unpredict(rd_t *r, int64_t num, const val_t *parms, uint8_t **data, size_t *len)
{
	int64_t pred = 1, colors = 1, bpc = 8, cols = 1;
	int rc;
	if ((rc = parm_int(r, parms, "Predictor", 1, 1, 15, num, &pred)))
		return rc;
	if (pred == 1)
		return TL_OK;
	if ((rc = parm_int(r, parms, "Colors", 1, 1, 32, num, &colors)) ||
	    (rc = parm_int(r, parms, "BitsPerComponent", 8, 1, 16, num, &bpc)) ||
	    (rc = parm_int(r, parms, "Columns", 1, 1, 1 << 24, num, &cols)))
		return rc;
	if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)
		return fail(r, TL_EFORMAT, "object %lld: /BitsPerComponent %lld", (long long)num,
		            (long long)bpc);
	size_t bpp = (size_t)((colors * bpc + 7) / 8);
	size_t row = (size_t)((colors * bpc * cols + 7) / 8);
	if (pred == 2) {
		if (bpc != 8)
			return fail(r, TL_EUNSUPPORTED,
			            "object %lld: TIFF predictor with %lld bits "
			            "per component is not read",
			            (long long)num, (long long)bpc);
		if (*len % row)
			return fail(r, TL_EFORMAT,
			            "object %lld: %zu bytes are not whole rows of %zu",
			            (long long)num, *len, row);
		for (size_t y = 0; y < *len; y += row)
			for (size_t x = bpp; x < row; x++)
				(*data)[y + x] = (uint8_t)((*data)[y + x] + (*data)[y + x - bpp]);
		return TL_OK;
	}
	if (pred < 10)
		return fail(r, TL_EFORMAT, "object %lld: unknown /Predictor %lld", (long long)num,
		            (long long)pred);
	/* PNG: every row starts with its own filter-type byte, whatever /Predictor says. */
	if (*len % (row + 1))
		return fail(r, TL_EFORMAT,
		            "object %lld: %zu bytes are not whole predictor rows of "
		            "%zu",
		            (long long)num, *len, row + 1);
	size_t rows = *len / (row + 1);
	uint8_t *o = tl_xmalloc(rows * row + 1);
	const uint8_t *in = *data;
	for (size_t y = 0; y < rows; y++) {
		const uint8_t *src = in + y * (row + 1) + 1;
		uint8_t *dst = o + y * row;
		const uint8_t *up = y ? dst - row : NULL;
		uint8_t ft = src[-1];
		for (size_t x = 0; x < row; x++) {
			int a = x >= bpp ? dst[x - bpp] : 0;
			int b = up ? up[x] : 0;
			int c = up && x >= bpp ? up[x - bpp] : 0;
			int p;
			switch (ft) {
			case 0:
				p = 0;
				break;
			case 1:
				p = a;
				break;
			case 2:
				p = b;
				break;
			case 3:
				p = (a + b) / 2;
				break;
			case 4:
				p = paeth(a, b, c);
				break;
			default:
				free(o);
				return fail(r, TL_EFORMAT,
				            "object %lld: PNG filter type %u in row %zu",
				            (long long)num, ft, y);
			}
			dst[x] = (uint8_t)(src[x] + p);
		}
	}
	free(*data);
	*data = o;
	*len = rows * row;
	return TL_OK;
}

/* The stream's data after its /Filter chain (7.4); the caller frees *out. */
static int decode_stream(rd_t *r, int64_t num, const val_t *s, uint8_t **out, size_t *outlen)
{
	val_t *filt, *parms;
	int rc;
	if (dget(s, "F"))
		return fail(r, TL_EUNSUPPORTED,
		            "object %lld: stream data in an external file (/F) "
		            "is not read",
		            (long long)num);
	if ((rc = resolve(r, dget(s, "Filter"), &filt)) ||
	    (rc = resolve(r, dget(s, "DecodeParms"), &parms)))
		return rc;
	val_t *const *fl = &filt;
	size_t nf = filt->type == V_NULL ? 0 : 1;
	if (filt->type == V_ARRAY) {
		fl = filt->a;
		nf = filt->n;
	}
	if (parms->type == V_ARRAY ? parms->n != nf
	                           : parms->type != V_NULL && (parms->type != V_DICT || nf != 1))
		return fail(r, TL_EFORMAT, "object %lld: /DecodeParms does not match /Filter",
		            (long long)num);
	uint8_t *d = tl_xmalloc(s->raw ? s->raw : 1);
	size_t n = s->raw;
	memcpy(d, r->pdf + s->off, s->raw);
	for (size_t i = 0; i < nf; i++) {
		val_t *f, *p = parms->type == V_ARRAY ? parms->a[i] : parms;
		if ((rc = resolve(r, fl[i], &f)) || (rc = resolve(r, p, &p)))
			goto bad;
		if (f->type != V_NAME) {
			rc = fail(r, TL_EFORMAT,
			          "object %lld: /Filter is not a name or an array of "
			          "names",
			          (long long)num);
			goto bad;
		}
		if (p->type != V_NULL && p->type != V_DICT) {
			rc = fail(r, TL_EFORMAT,
			          "object %lld: /DecodeParms entry is not a "
			          "dictionary",
			          (long long)num);
			goto bad;
		}
		if (!name_is(f, "FlateDecode")) {
			char buf[100];
			rc = fail(r, TL_EUNSUPPORTED, "object %lld: filter /%s is not read",
			          (long long)num, printable(f->s, f->slen, buf, sizeof(buf)));
			goto bad;
		}
		uint8_t *z = NULL;
		size_t zn = 0;
		if ((rc = inflate_data(r, num, d, n, &z, &zn)))
			goto bad;
		free(d);
		d = z;
		n = zn;
		if ((rc = unpredict(r, num, p, &d, &n)))
			goto bad;
	}
	if (n > TL_PDF_MAX_TOTAL - r->decoded) {
		rc = fail(r, TL_ELIMIT, "object %lld: streams decode to more than %u MiB in all",
		          (long long)num, TL_PDF_MAX_TOTAL >> 20);
		goto bad;
	}
	r->decoded += n;
	*out = d;
	*outlen = n;
	return TL_OK;
bad:
	free(d);
	return rc;
}

/* ---- cross-reference data (7.5.4 - 7.5.8) ---- */

static int set_entry(rd_t *r, uint64_t num, int type, uint64_t gen, uint64_t off, uint64_t idx)
{
	if (num >= TL_PDF_MAX_OBJECTS)
		return fail(r, TL_ELIMIT,
		            "cross-reference entry for object %llu: more than %d "
		            "objects",
		            (unsigned long long)num, TL_PDF_MAX_OBJECTS);
	if (num >= r->nx) {
		size_t nn = r->nx ? r->nx : 64;
		while (nn <= num)
			nn *= 2;
		if (nn > TL_PDF_MAX_OBJECTS)
			nn = TL_PDF_MAX_OBJECTS;
		r->x = tl_xrealloc(r->x, nn * sizeof(*r->x));
		memset(r->x + r->nx, 0, (nn - r->nx) * sizeof(*r->x));
		r->nx = nn;
	}
	xent_t *e = &r->x[num];
	if (e->set)
		return TL_OK; /* a newer section (read earlier) already defined it */
	e->set = 1;
	e->type = (uint8_t)type;
	e->gen = (uint16_t)gen;
	e->off = off;
	e->idx = idx;
	return TL_OK;
}

/* 7.5.4: "xref", subsections "first count" of count entries "offset gen n|f", then (7.5.5)
 * "trailer" and its dictionary. lx->pos is at "xref". */
static int read_xref_table(rd_t *r, lex_t *lx, val_t **trailer)
{
	tok_t t, first, count, a, b, k;
	int rc;
	char buf[100];
	if ((rc = next_tok(r, lx, &t)))
		return rc;
	for (;;) {
		if ((rc = next_tok(r, lx, &first)))
			return rc;
		if (is_kw(&first, "trailer"))
			break;
		if ((rc = next_tok(r, lx, &count)))
			return rc;
		if (first.t != T_INT || count.t != T_INT || first.i < 0 || count.i < 0)
			return lfail(r, lx, first.pos,
			             "expected a cross-reference subsection "
			             "'first count' or 'trailer', found %s",
			             tok_desc(&first, buf, sizeof(buf)));
		if (first.i > TL_PDF_MAX_OBJECTS || count.i > TL_PDF_MAX_OBJECTS - first.i)
			return fail(r, TL_ELIMIT,
			            "PDF byte %zu: cross-reference subsection %lld %lld "
			            "goes past %d objects",
			            first.pos, (long long)first.i, (long long)count.i,
			            TL_PDF_MAX_OBJECTS);
		for (int64_t i = 0; i < count.i; i++) {
			if ((rc = next_tok(r, lx, &a)) || (rc = next_tok(r, lx, &b)) ||
			    (rc = next_tok(r, lx, &k)))
				return rc;
			if (a.t != T_INT || b.t != T_INT || a.i < 0 || b.i < 0 || b.i > 65535 ||
			    !(is_kw(&k, "n") || is_kw(&k, "f")))
				return lfail(r, lx, a.pos,
				             "bad cross-reference entry for object %lld",
				             (long long)(first.i + i));
			if ((rc = set_entry(r, (uint64_t)(first.i + i), is_kw(&k, "n"),
			                    (uint64_t)b.i, (uint64_t)a.i, 0)))
				return rc;
		}
	}
	if ((rc = next_tok(r, lx, &t)))
		return rc;
	if (t.t != T_DLBR)
		return lfail(r, lx, t.pos, "'trailer' not followed by a dictionary");
	return parse_tok(r, lx, &t, 0, trailer);
}

static uint64_t be_field(const uint8_t *p, int w)
{
	uint64_t v = 0;
	for (int i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

/* 7.5.8: a cross-reference stream at byte off; its dictionary is the trailer. */
static int read_xref_stream(rd_t *r, uint64_t off, val_t **trailer)
{
	val_t *s;
	int64_t num = -1;
	int rc;
	r->in_xref = 1;
	rc = parse_indirect(r, -1, 0, off, &s, &num);
	if (rc)
		return rc;
	if (s->type != V_STREAM || !name_is(dget(s, "Type"), "XRef"))
		return fail(r, TL_EFORMAT,
		            "PDF byte %llu: neither 'xref' nor a cross-reference "
		            "stream (object %lld)",
		            (unsigned long long)off, (long long)num);
	/* 7.5.8.2 Table 17: /Size, /W [3 widths], /Index [first count ...] (default [0 Size]). */
	val_t *size = dget(s, "Size"), *w = dget(s, "W"), *index = dget(s, "Index");
	if (!size || size->type != V_INT || size->i < 0 || size->i > TL_PDF_MAX_OBJECTS)
		return fail(r, TL_EFORMAT,
		            "object %lld: cross-reference stream /Size missing or "
		            "out of range",
		            (long long)num);
	int wd[3];
	if (!w || w->type != V_ARRAY || w->n != 3)
		return fail(r, TL_EFORMAT,
		            "object %lld: cross-reference stream /W is not an array "
		            "of 3 integers",
		            (long long)num);
	for (int i = 0; i < 3; i++) {
		if (w->a[i]->type != V_INT || w->a[i]->i < 0 || w->a[i]->i > 8)
			return fail(r, TL_EFORMAT,
			            "object %lld: cross-reference stream /W entry %d "
			            "is not a width from 0 to 8",
			            (long long)num, i);
		wd[i] = (int)w->a[i]->i;
	}
	size_t rowlen = (size_t)(wd[0] + wd[1] + wd[2]);
	if (rowlen == 0)
		return fail(r, TL_EFORMAT, "object %lld: cross-reference stream /W is all zero",
		            (long long)num);
	if (index && (index->type != V_ARRAY || index->n % 2))
		return fail(r, TL_EFORMAT,
		            "object %lld: cross-reference stream /Index is not "
		            "pairs of integers",
		            (long long)num);
	size_t npairs = index ? index->n / 2 : 1, rows = 0;
	for (size_t i = 0; index && i < index->n; i += 2) {
		val_t *f = index->a[i], *c = index->a[i + 1];
		if (f->type != V_INT || c->type != V_INT || f->i < 0 || c->i < 0)
			return fail(r, TL_EFORMAT,
			            "object %lld: cross-reference stream /Index is not "
			            "pairs of non-negative integers",
			            (long long)num);
		if (f->i > TL_PDF_MAX_OBJECTS || c->i > TL_PDF_MAX_OBJECTS - f->i)
			return fail(r, TL_ELIMIT,
			            "object %lld: cross-reference stream /Index goes "
			            "past %d objects",
			            (long long)num, TL_PDF_MAX_OBJECTS);
		rows += (size_t)c->i;
		if (rows > TL_PDF_MAX_OBJECTS)
			return fail(r, TL_ELIMIT,
			            "object %lld: cross-reference stream /Index lists "
			            "more than %d entries",
			            (long long)num, TL_PDF_MAX_OBJECTS);
	}
	if (!index)
		rows = (size_t)size->i;
	uint8_t *d;
	size_t n;
	if ((rc = decode_stream(r, num, s, &d, &n)))
		return rc;
	r->in_xref = 0;
	if (n != rows * rowlen) {
		free(d);
		return fail(r, TL_EFORMAT,
		            "object %lld: cross-reference stream holds %zu bytes; "
		            "/W and /Index call for %zu",
		            (long long)num, n, rows * rowlen);
	}
	const uint8_t *p = d;
	for (size_t k = 0; k < npairs && rc == TL_OK; k++) {
		uint64_t first = index ? (uint64_t)index->a[2 * k]->i : 0;
		uint64_t count = index ? (uint64_t)index->a[2 * k + 1]->i : (uint64_t)size->i;
		for (uint64_t j = 0; j < count && rc == TL_OK; j++, p += rowlen) {
			/* 7.5.8.3 Table 18: a missing type field means type 1. */
			uint64_t type = wd[0] ? be_field(p, wd[0]) : 1;
			uint64_t f2 = be_field(p + wd[0], wd[1]);
			uint64_t f3 = be_field(p + wd[0] + wd[1], wd[2]);
			if (type == 1 && f3 > 65535)
				rc = fail(r, TL_EFORMAT,
				          "object %lld: cross-reference stream gives "
				          "object %llu generation %llu",
				          (long long)num, (unsigned long long)(first + j),
				          (unsigned long long)f3);
			else if (type == 1 || type == 2)
				rc = set_entry(r, first + j, (int)type, type == 1 ? f3 : 0, f2,
				               type == 2 ? f3 : 0);
			else /* free, or an unknown type: a reference to null */
				rc = set_entry(r, first + j, 0, 0, 0, 0);
		}
	}
	free(d);
	if (rc)
		return rc;
	*trailer = s;
	return TL_OK;
}

static void add_trailer(rd_t *r, val_t *t)
{
	r->trailers = tl_xrealloc(r->trailers, (r->ntrailers + 1) * sizeof(*r->trailers));
	r->trailers[r->ntrailers++] = t;
}

/* The newest trailer's entry key (7.5.6: an update's trailer repeats the earlier ones). */
static val_t *trailer_get(const rd_t *r, const char *key)
{
	for (size_t i = 0; i < r->ntrailers; i++) {
		val_t *v = dget(r->trailers[i], key);
		if (v)
			return v;
	}
	return NULL;
}

/* 7.5.5, 7.5.6: the section at startxref, then each /Prev, newest first.
 *
 * An update is appended after what it updates, so its /Prev points backwards; *updates
 * counts those links. The one /Prev that points forwards in a file as written is a
 * linearized file's first-page section naming the main one (Annex F.3.1): both belong
 * to the original, so it is not counted. Any rewrite can of course say anything; this
 * counts what was appended. */
static int read_sections(rd_t *r, uint64_t off, size_t at, int *updates)
{
	uint64_t seen[TL_PDF_MAX_SECTIONS];
	size_t nseen = 0;
	int back = 0;
	uint64_t from = 0;
	int rc;
	for (;;) {
		if (off >= r->len) {
			if (!nseen)
				return fail(r, TL_EFORMAT,
				            "PDF byte %zu: startxref points outside the "
				            "file",
				            at);
			return fail(r, TL_EFORMAT,
			            "cross-reference section at PDF byte %llu: /Prev "
			            "%llu points outside the file",
			            (unsigned long long)from, (unsigned long long)off);
		}
		for (size_t i = 0; i < nseen; i++)
			if (seen[i] == off)
				return fail(r, TL_EFORMAT,
				            "cross-reference section at PDF byte %llu: "
				            "/Prev %llu leads back to a section already read",
				            (unsigned long long)from, (unsigned long long)off);
		if (nseen == TL_PDF_MAX_SECTIONS)
			return fail(r, TL_ELIMIT, "more than %d cross-reference sections",
			            TL_PDF_MAX_SECTIONS);
		seen[nseen++] = off;
		val_t *tr;
		if (r->len - off >= 4 && memcmp(r->pdf + off, "xref", 4) == 0) {
			lex_t lx = {r->pdf, r->len, (size_t)off, -1, -1};
			if ((rc = read_xref_table(r, &lx, &tr)))
				return rc;
			/* 7.5.8.4: a hybrid file's table names a stream with more entries; the
			 * table's own entries come first, then the stream's, then /Prev's. */
			val_t *xs = dget(tr, "XRefStm"), *ignored;
			if (xs) {
				if (xs->type != V_INT || xs->i < 0 || (uint64_t)xs->i >= r->len)
					return fail(r, TL_EFORMAT,
					            "trailer at PDF byte %llu: /XRefStm is "
					            "not an offset in the file",
					            (unsigned long long)off);
				if ((rc = read_xref_stream(r, (uint64_t)xs->i, &ignored)))
					return rc;
			}
		} else if ((rc = read_xref_stream(r, off, &tr))) {
			return rc;
		}
		add_trailer(r, tr);
		val_t *prev = dget(tr, "Prev");
		if (!prev)
			break;
		if (prev->type != V_INT || prev->i < 0)
			return fail(r, TL_EFORMAT,
			            "cross-reference section at PDF byte %llu: /Prev "
			            "is not a byte offset",
			            (unsigned long long)off);
		back += (uint64_t)prev->i < off;
		from = off;
		off = (uint64_t)prev->i;
	}
	*updates = back;
	return TL_OK;
}

/* 7.5.5: the file ends "startxref", the offset of the last section, "%%EOF". */
static int find_startxref(rd_t *r, uint64_t *off, size_t *at)
{
	const size_t window = 4096;
	size_t lo = r->len > window ? r->len - window : 0;
	size_t p = r->len >= 9 ? r->len - 9 + 1 : 0;
	int found = 0;
	while (p > lo) {
		p--;
		if (memcmp(r->pdf + p, "startxref", 9) == 0) {
			found = 1;
			break;
		}
	}
	if (!found)
		return fail(r, TL_EFORMAT, "no 'startxref' in the last %zu bytes of the file",
		            window);
	lex_t lx = {r->pdf, r->len, p + 9, -1, -1};
	tok_t t;
	int rc = next_tok(r, &lx, &t);
	if (rc)
		return rc;
	if (t.t != T_INT || t.i < 0)
		return lfail(r, &lx, t.pos, "'startxref' is not followed by a byte offset");
	size_t q = lx.pos;
	while (q < r->len && is_ws(r->pdf[q]))
		q++;
	if (r->len - q < 5 || memcmp(r->pdf + q, "%%EOF", 5) != 0)
		return lfail(r, &lx, q, "the offset after 'startxref' is not followed by %%%%EOF");
	for (q += 5; q < r->len; q++)
		if (!is_ws(r->pdf[q]))
			return lfail(r, &lx, q, "data after the last %%%%EOF");
	*off = (uint64_t)t.i;
	*at = t.pos;
	return TL_OK;
}

/* ---- the document ---- */

/* A PDF string as a C string: UTF-16BE with a byte-order mark becomes UTF-8 (7.9.2.2);
 * other bytes are kept as they are. A NUL (or U+0000) is refused. Caller frees. */
static int text_of(rd_t *r, const val_t *s, const char *what, char **out)
{
	if (s->slen >= 2 && s->s[0] == 0xfe && s->s[1] == 0xff) {
		if (s->slen % 2)
			return fail(r, TL_EFORMAT, "%s: UTF-16 text with an odd number of bytes",
			            what);
		char *o = tl_xmalloc(s->slen / 2 * 3 + 1);
		size_t n = 0;
		for (size_t i = 2; i < s->slen; i += 2) {
			uint32_t c = (uint32_t)s->s[i] << 8 | s->s[i + 1];
			if (c >= 0xd800 && c < 0xdc00 && i + 3 < s->slen) {
				uint32_t lo = (uint32_t)s->s[i + 2] << 8 | s->s[i + 3];
				if (lo >= 0xdc00 && lo < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
					i += 2;
				}
			}
			if (c == 0 || (c >= 0xd800 && c < 0xe000)) {
				free(o);
				return fail(r, TL_EFORMAT, "%s: UTF-16 text holds U+%04X", what,
				            (unsigned)c);
			}
			if (c < 0x80) {
				o[n++] = (char)c;
			} else if (c < 0x800) {
				o[n++] = (char)(0xc0 | c >> 6);
				o[n++] = (char)(0x80 | (c & 0x3f));
			} else if (c < 0x10000) {
				o[n++] = (char)(0xe0 | c >> 12);
				o[n++] = (char)(0x80 | (c >> 6 & 0x3f));
				o[n++] = (char)(0x80 | (c & 0x3f));
			} else {
				o[n++] = (char)(0xf0 | c >> 18);
				o[n++] = (char)(0x80 | (c >> 12 & 0x3f));
				o[n++] = (char)(0x80 | (c >> 6 & 0x3f));
				o[n++] = (char)(0x80 | (c & 0x3f));
			}
		}
		o[n] = '\0';
		*out = o;
		return TL_OK;
	}
	if (memchr(s->s, 0, s->slen))
		return fail(r, TL_EFORMAT, "%s: text holds a NUL byte", what);
	*out = tl_xstrndup((const char *)s->s, s->slen);
	return TL_OK;
}

/* One /EF entry: an /EmbeddedFile stream (7.11.4), decoded. */
static int ef_stream(rd_t *r, const char *name, const char *key, val_t *ref, uint8_t **data,
                     size_t *len)
{
	char buf[100];
	val_t *s;
	int rc = resolve(r, ref, &s);
	if (rc)
		return rc;
	int64_t num = ref->type == V_REF ? ref->i : -1;
	printable((const uint8_t *)name, strlen(name), buf, sizeof(buf));
	if (s->type != V_STREAM)
		return fail(r, TL_EFORMAT, "embedded file %s: /EF /%s is not a stream", buf, key);
	val_t *type = dget(s, "Type");
	if (type && !name_is(type, "EmbeddedFile"))
		return fail(r, TL_EFORMAT,
		            "embedded file %s: object %lld has a /Type other than "
		            "/EmbeddedFile",
		            buf, (long long)num);
	return decode_stream(r, num, s, data, len);
}

static int add_file(rd_t *r, tl_pdf_doc_t *doc, size_t *cap, const val_t *key, val_t *fsv)
{
	char buf[100], *name;
	val_t *fs, *ef;
	int rc;
	if (doc->n_files == TL_PDF_MAX_FILES)
		return fail(r, TL_ELIMIT, "more than %d embedded files", TL_PDF_MAX_FILES);
	if ((rc = text_of(r, key, "embedded file name", &name)))
		return rc;
	printable((const uint8_t *)name, strlen(name), buf, sizeof(buf));
	if ((rc = resolve(r, fsv, &fs)))
		goto bad;
	/* 7.11.3: a file specification string names an outside file: nothing embedded. */
	if (fs->type != V_DICT) {
		rc = fail(r, TL_EFORMAT, "embedded file %s: the file specification is %s", buf,
		          fs->type == V_STR ? "a string (no embedded file)" : "not a dictionary");
		goto bad;
	}
	val_t *type = dget(fs, "Type");
	if (type && !name_is(type, "Filespec")) {
		rc = fail(r, TL_EFORMAT,
		          "embedded file %s: the file specification has a /Type "
		          "other than /Filespec",
		          buf);
		goto bad;
	}
	if ((rc = resolve(r, dget(fs, "EF"), &ef)))
		goto bad;
	if (ef->type != V_DICT) {
		rc = fail(r, TL_EFORMAT, "embedded file %s: no /EF dictionary", buf);
		goto bad;
	}
	val_t *f = dget(ef, "F"), *uf = dget(ef, "UF");
	if (!f && !uf) {
		rc = fail(r, TL_EFORMAT, "embedded file %s: /EF has neither /F nor /UF", buf);
		goto bad;
	}
	uint8_t *data;
	size_t len;
	if ((rc = ef_stream(r, name, f ? "F" : "UF", f ? f : uf, &data, &len)))
		goto bad;
	/* Two different streams would be two different files to two readers. */
	if (f && uf &&
	    !(f->type == V_REF && uf->type == V_REF && f->i == uf->i && f->gen == uf->gen)) {
		uint8_t *d2;
		size_t l2;
		if ((rc = ef_stream(r, name, "UF", uf, &d2, &l2))) {
			free(data);
			goto bad;
		}
		int same = l2 == len && memcmp(d2, data, len) == 0;
		free(d2);
		if (!same) {
			free(data);
			rc = fail(r, TL_EFORMAT,
			          "embedded file %s: /EF /F and /UF are different "
			          "streams with different bytes",
			          buf);
			goto bad;
		}
	}
	if (doc->n_files == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		doc->files = tl_xrealloc(doc->files, *cap * sizeof(*doc->files));
	}
	doc->files[doc->n_files].name = name;
	doc->files[doc->n_files].data = data;
	doc->files[doc->n_files].len = len;
	doc->n_files++;
	return TL_OK;
bad:
	free(name);
	return rc;
}

/* 7.9.6: a name-tree node: /Kids (intermediate) or /Names [key value ...] (leaf). */
static int tree_walk(rd_t *r, val_t *node, int depth, tl_pdf_doc_t *doc, size_t *cap)
{
	char where[64];
	val_t *nd, *kids, *names;
	int rc;
	if (depth > TL_PDF_MAX_TREE_DEPTH)
		return fail(r, TL_ELIMIT, "the embedded-file name tree is deeper than %d levels",
		            TL_PDF_MAX_TREE_DEPTH);
	if (node->type == V_REF) {
		snprintf(where, sizeof(where), "name-tree node (object %lld)", (long long)node->i);
		if (node->i >= 0 && (uint64_t)node->i < r->nx) {
			if (r->x[node->i].seen)
				return fail(r, TL_EFORMAT, "%s: reached twice in the tree", where);
			r->x[node->i].seen = 1;
		}
	} else {
		snprintf(where, sizeof(where), "%s", depth ? "name-tree node" : "/EmbeddedFiles");
	}
	if ((rc = resolve(r, node, &nd)))
		return rc;
	if (nd->type != V_DICT)
		return fail(r, TL_EFORMAT, "%s: not a dictionary", where);
	kids = dget(nd, "Kids");
	names = dget(nd, "Names");
	if (kids && names)
		return fail(r, TL_EFORMAT, "%s: has both /Kids and /Names", where);
	if (!kids && !names)
		return fail(r, TL_EFORMAT, "%s: has neither /Kids nor /Names", where);
	if (kids) {
		if ((rc = resolve(r, kids, &kids)))
			return rc;
		if (kids->type != V_ARRAY)
			return fail(r, TL_EFORMAT, "%s: /Kids is not an array", where);
		for (size_t i = 0; i < kids->n; i++)
			if ((rc = tree_walk(r, kids->a[i], depth + 1, doc, cap)))
				return rc;
		return TL_OK;
	}
	if ((rc = resolve(r, names, &names)))
		return rc;
	if (names->type != V_ARRAY || names->n % 2)
		return fail(r, TL_EFORMAT, "%s: /Names is not an array of key-value pairs", where);
	for (size_t i = 0; i < names->n; i += 2) {
		val_t *key;
		if ((rc = resolve(r, names->a[i], &key)))
			return rc;
		if (key->type != V_STR)
			return fail(r, TL_EFORMAT, "%s: /Names key %zu is not a string", where,
			            i / 2);
		if ((rc = add_file(r, doc, cap, key, names->a[i + 1])))
			return rc;
	}
	return TL_OK;
}

static int cmp_file_names(const void *a, const void *b)
{
	const tl_pdf_file_t *x = *(const tl_pdf_file_t *const *)a;
	const tl_pdf_file_t *y = *(const tl_pdf_file_t *const *)b;
	return strcmp(x->name, y->name);
}

static int read_doc(rd_t *r, tl_pdf_doc_t *doc)
{
	uint64_t off = 0;
	size_t at = 0, cap = 0;
	int rc;
	/* 7.5.2: the header is at byte 0. */
	if (r->len < 8 || memcmp(r->pdf, "%PDF-", 5) != 0 || r->pdf[5] < '1' || r->pdf[5] > '2' ||
	    r->pdf[6] != '.')
		return fail(r, TL_EFORMAT, "PDF byte 0: no '%%PDF-1.x' or '%%PDF-2.x' header");
	if ((rc = find_startxref(r, &off, &at)) || (rc = read_sections(r, off, at, &doc->updates)))
		return rc;
	if (trailer_get(r, "Encrypt"))
		return fail(r, TL_EUNSUPPORTED,
		            "the PDF is encrypted (trailer /Encrypt): not read");

	val_t *root, *names, *info, *id;
	if (!trailer_get(r, "Root"))
		return fail(r, TL_EFORMAT, "the trailer has no /Root");
	if ((rc = resolve(r, trailer_get(r, "Root"), &root)))
		return rc;
	if (root->type != V_DICT)
		return fail(r, TL_EFORMAT, "the trailer /Root is not a dictionary");
	val_t *type = dget(root, "Type");
	if (type && !name_is(type, "Catalog"))
		return fail(r, TL_EFORMAT, "the trailer /Root has a /Type other than /Catalog");
	if ((rc = resolve(r, dget(root, "Names"), &names)))
		return rc;
	if (names->type != V_NULL && names->type != V_DICT)
		return fail(r, TL_EFORMAT, "the catalog's /Names is not a dictionary");
	val_t *tree = dget(names, "EmbeddedFiles");
	if (tree && (rc = tree_walk(r, tree, 0, doc, &cap)))
		return rc;
	if (doc->n_files > 1) {
		tl_pdf_file_t **p = tl_xmalloc(doc->n_files * sizeof(*p));
		for (size_t i = 0; i < doc->n_files; i++)
			p[i] = &doc->files[i];
		qsort(p, doc->n_files, sizeof(*p), cmp_file_names);
		for (size_t i = 1; i < doc->n_files && !rc; i++) {
			if (strcmp(p[i - 1]->name, p[i]->name) == 0) {
				char buf[100];
				rc = fail(r, TL_EFORMAT, "two embedded files are named %s",
				          printable((const uint8_t *)p[i]->name, strlen(p[i]->name),
				                    buf, sizeof(buf)));
			}
		}
		free(p);
		if (rc)
			return rc;
	}

	/* 14.3.3: the document information dictionary. */
	if ((rc = resolve(r, trailer_get(r, "Info"), &info)))
		return rc;
	if (info->type != V_NULL && info->type != V_DICT)
		return fail(r, TL_EFORMAT, "the trailer /Info is not a dictionary");
	if ((rc = resolve(r, dget(info, "ReportID"), &id)))
		return rc;
	if (id->type != V_NULL && id->type != V_STR)
		return fail(r, TL_EFORMAT, "/Info /ReportID is not a string");
	if (id->type == V_STR && (rc = text_of(r, id, "/Info /ReportID", &doc->report_id)))
		return rc;
	return TL_OK;
}

int tl_pdf_read(const uint8_t *pdf, size_t len, tl_pdf_doc_t *out, char *err, size_t errlen)
{
	rd_t r;
	tl_pdf_doc_t doc;
	memset(&r, 0, sizeof(r));
	memset(&doc, 0, sizeof(doc));
	if (out)
		memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	r.err = err;
	r.errlen = errlen;
	if (!out || (!pdf && len))
		return fail(&r, TL_EINVAL, "tl_pdf_read: no input or output");
	r.pdf = pdf;
	r.len = len;
	tl_arena_init(&r.arena, 0);
	r.null = tl_arena_alloc(&r.arena, sizeof(*r.null));
	memset(r.null, 0, sizeof(*r.null));
	r.null->type = V_NULL;

	int rc = read_doc(&r, &doc);

	for (size_t i = 0; i < r.nos; i++) {
		free(r.os[i]->data);
		free(r.os[i]->nums);
		free(r.os[i]->offs);
		free(r.os[i]);
	}
	free(r.os);
	free(r.trailers);
	free(r.x);
	tl_arena_free(&r.arena);
	if (rc) {
		tl_pdf_doc_free(&doc);
		return rc;
	}
	*out = doc;
	return TL_OK;
}

const tl_pdf_file_t *tl_pdf_doc_file(const tl_pdf_doc_t *d, const char *name)
{
	if (!d || !name)
		return NULL;
	for (size_t i = 0; i < d->n_files; i++)
		if (strcmp(d->files[i].name, name) == 0)
			return &d->files[i];
	return NULL;
}

void tl_pdf_doc_free(tl_pdf_doc_t *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_files; i++) {
		free(d->files[i].name);
		free(d->files[i].data);
	}
	free(d->files);
	free(d->report_id);
	memset(d, 0, sizeof(*d));
}
