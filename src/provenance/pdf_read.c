/* pdf_read.c - a strict, bounded PDF reader on libqpdf: embedded files and /Info /ReportID. */
#include "provenance/pdf_read.h"

#include <limits.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/error.h"
#include "util/xmalloc.h"

/* Design notes.
 * - libqpdf parses the file: the cross-reference tables and streams, object streams, the
 *   objects, the filters. It runs with recovery off, so a file whose index is wrong is
 *   refused, not rebuilt by scanning for "obj" (which would show objects the file's own
 *   index does not name).
 * - Without recovery qpdf still reports much damage only as a warning and goes on with a
 *   null in place of what it could not read: a /Length that does not end at "endstream",
 *   "N 0 obj" holding something else, a key given twice, Flate data that stops early. A
 *   warning therefore refuses the file here, like an error (qcheck), after every step.
 * - What qpdf does not offer is done here, on the bytes or on qpdf's objects:
 *   the end of the file (startxref, %%EOF, at most one end-of-line after it); the chain
 *   of cross-reference sections, counted for `verify` (qpdf reads it but does not say how
 *   long it is); the embedded-file name tree and what verify checks in it; and a bound on
 *   decoded bytes: qpdf 11 decodes a stream whole, in memory, without a limit, so a Flate
 *   stream is inflated here first, to count, before qpdf is asked for it.
 * - qpdf 11 takes Flate data whose Adler-32 check fails without a word. The streams it
 *   decodes for itself (object and cross-reference streams) are inflated here again for
 *   that, after it (check_qpdf_streams), so every object of the file is read once. */

#define MAX_FILTERS 8      /* filters on one embedded file's stream */
#define CHUNK       16384  /* bytes inflated at a time when counting */

typedef struct rd {
	const uint8_t *pdf; /* the file; not owned */
	size_t len;
	qpdf_data q;       /* the document; owned (qpdf_cleanup) */
	qpdf_data scratch; /* the last cross-reference dictionary read; owned */
	uint8_t *seen;     /* name-tree nodes reached, a bit per object number; owned */
	size_t nseen;      /* bits in seen */
	size_t decoded;    /* bytes decoded from all embedded files so far */
	int encrypted;     /* some trailer of the chain has /Encrypt */
	char *err;         /* the caller's buffer; not owned */
	size_t errlen;
	int failed;
} rd_t;

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

/* ---- qpdf's errors and warnings ---- */

/* qpdf's pending error, or else its first pending warning, as our failure (with ctx, when
 * given, before it); TL_OK when there is neither. It is called after every step, because
 * qpdf reads objects when they are first asked about, and warns then. qpdf words a message "PDF (object 7 0,
 * offset 812): expected endstream" (PDF being the name it was given); it becomes "object 7
 * (PDF byte 812): expected endstream", as this reader has always put it. */
static int qcheck(rd_t *r, qpdf_data q, const char *ctx)
{
	qpdf_error e = NULL;
	int warning = 0;
	if (qpdf_has_error(q))
		e = qpdf_get_error(q);
	else if (qpdf_more_warnings(q))
		e = qpdf_next_warning(q), warning = 1;
	if (!e)
		return TL_OK;
	enum qpdf_error_code_e code = qpdf_get_error_code(q, e);
	unsigned long long pos = qpdf_get_error_file_position(q, e);
	const char *full = qpdf_get_error_full_text(q, e);
	const char *detail = qpdf_get_error_message_detail(q, e);
	char obj[64] = "";
	/* The object qpdf names sits between "PDF (" and ", offset" or ")". */
	if (full && strncmp(full, "PDF (", 5) == 0 && strncmp(full + 5, "offset ", 7) != 0) {
		const char *s = full + 5;
		size_t n = strcspn(s, ",)");
		long num;
		int g;
		if (sscanf(s, "object %ld %d", &num, &g) == 2)
			snprintf(obj, sizeof(obj), "object %ld", num);
		else
			snprintf(obj, sizeof(obj), "%.*s", (int)(n < 48 ? n : 48), s);
	}
	char where[128];
	if (obj[0] && pos)
		snprintf(where, sizeof(where), "%s (PDF byte %llu): ", obj, pos);
	else if (obj[0])
		snprintf(where, sizeof(where), "%s: ", obj);
	else if (pos)
		snprintf(where, sizeof(where), "PDF byte %llu: ", pos);
	else
		where[0] = '\0';
	if (q == r->scratch) /* object 3 of the PDF made around a trailer: ctx says where */
		where[0] = '\0';
	int rc = code == qpdf_e_password || code == qpdf_e_unsupported ? TL_EUNSUPPORTED
	                                                               : TL_EFORMAT;
	if (!detail || !detail[0])
		detail = "qpdf failed without saying why";
	/* A warning goes on to say what qpdf did instead ("...; treating as string"), which
	 * is not what happens here: the file is refused. */
	size_t dn = strlen(detail);
	const char *semi = warning ? strstr(detail, "; ") : NULL;
	if (semi)
		dn = (size_t)(semi - detail);
	return fail(r, rc, "%s%s%s%.*s", ctx ? ctx : "", ctx ? ": " : "", where,
	            (int)(dn < 1000 ? dn : 1000), detail);
}

/* ---- the end of the file and the chain of sections (7.5.4 - 7.5.8) ---- */

/* 7.2.2 Table 1: white-space characters. */
static int is_ws(uint8_t c)
{
	return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
}

/* White space and comments (7.2.3: a comment runs to the end of its line) from p on. */
static size_t skip_ws(const rd_t *r, size_t p)
{
	while (p < r->len) {
		if (is_ws(r->pdf[p])) {
			p++;
		} else if (r->pdf[p] == '%') {
			while (p < r->len && r->pdf[p] != '\r' && r->pdf[p] != '\n')
				p++;
		} else {
			break;
		}
	}
	return p;
}

/* An unsigned decimal number at p: its end, or 0 when there is none or it is too large. */
static size_t scan_uint(const rd_t *r, size_t p, uint64_t *v)
{
	size_t i = p;
	uint64_t x = 0;
	while (i < r->len && r->pdf[i] >= '0' && r->pdf[i] <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return 0;
		x = x * 10 + (uint64_t)(r->pdf[i] - '0');
		i++;
	}
	if (i == p)
		return 0;
	*v = x;
	return i;
}

/* 7.5.5: the file ends "startxref", the offset of the last section, "%%EOF", and at most
 * one end-of-line. Bytes after that are what an appended edit leaves when it is not a
 * proper update, so they are refused, not skipped. */
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
	size_t q = skip_ws(r, p + 9), e = scan_uint(r, q, off);
	if (!e || (e < r->len && !is_ws(r->pdf[e]) && r->pdf[e] != '%'))
		return fail(r, TL_EFORMAT,
		            "PDF byte %zu: 'startxref' is not followed by a byte offset", q);
	*at = q;
	q = e;
	while (q < r->len && is_ws(r->pdf[q]))
		q++;
	if (r->len - q < 5 || memcmp(r->pdf + q, "%%EOF", 5) != 0)
		return fail(r, TL_EFORMAT,
		            "PDF byte %zu: the offset after 'startxref' is not followed by "
		            "%%%%EOF",
		            q);
	q += 5;
	if (q < r->len && r->pdf[q] == '\r')
		q++;
	if (q < r->len && r->pdf[q] == '\n')
		q++;
	if (q < r->len)
		return fail(r, TL_EFORMAT,
		            "PDF byte %zu: data after the last %%%%EOF (%zu bytes; one "
		            "end-of-line at most may follow it)",
		            q, r->len - q);
	return TL_OK;
}

/* The end of the dictionary that starts with "<<" at p, found by matching "<<" with ">>"
 * and skipping strings (7.3.4) and comments (7.2.3), which may hold either; 0 when it is
 * not closed. */
static size_t dict_end(const rd_t *r, size_t p)
{
	const uint8_t *d = r->pdf;
	int depth = 0;
	while (p < r->len) {
		uint8_t c = d[p];
		if (c == '%') {
			while (p < r->len && d[p] != '\r' && d[p] != '\n')
				p++;
		} else if (c == '(') {
			int nest = 0;
			for (; p < r->len; p++) {
				if (d[p] == '\\')
					p++;
				else if (d[p] == '(')
					nest++;
				else if (d[p] == ')' && --nest == 0)
					break;
			}
			if (p >= r->len)
				return 0;
			p++;
		} else if (c == '<' && p + 1 < r->len && d[p + 1] == '<') {
			if (++depth > TL_PDF_MAX_DEPTH)
				return 0;
			p += 2;
		} else if (c == '<') {
			while (p < r->len && d[p] != '>')
				p++;
			if (p >= r->len)
				return 0;
			p++;
		} else if (c == '>' && p + 1 < r->len && d[p + 1] == '>') {
			p += 2;
			if (--depth == 0)
				return p;
		} else {
			p++;
		}
	}
	return 0;
}

/* qpdf parses the dictionary text d (n bytes) as object 3 of a small PDF made around it,
 * into a new r->scratch: its C API parses a lone object only when it holds no reference
 * (qpdf_oh_parse has no document to resolve one in), and a trailer always holds one. */
static int parse_dict(rd_t *r, const uint8_t *d, size_t n, const char *ctx, qpdf_oh *out)
{
	static const char head[] = "%PDF-1.7\n"
	                           "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	                           "2 0 obj\n<< /Type /Pages /Kids [ ] /Count 0 >>\nendobj\n"
	                           "3 0 obj\n";
	size_t o1 = 9, o2 = o1 + 49, o3 = sizeof(head) - 1 - 8;
	size_t cap = sizeof(head) + n + 256, len = sizeof(head) - 1;
	char *pdf = tl_xmalloc(cap);
	memcpy(pdf, head, len);
	memcpy(pdf + len, d, n);
	len += n;
	size_t xref = len + 8;
	len += (size_t)snprintf(pdf + len, cap - len,
	                        "\nendobj\nxref\n0 4\n0000000000 65535 f \n%010zu 00000 n \n"
	                        "%010zu 00000 n \n%010zu 00000 n \ntrailer\n<< /Size 4 /Root 1 0 "
	                        "R >>\nstartxref\n%zu\n%%%%EOF\n",
	                        o1, o2, o3, xref);
	if (r->scratch)
		qpdf_cleanup(&r->scratch);
	r->scratch = qpdf_init();
	qpdf_silence_errors(r->scratch);
	qpdf_set_suppress_warnings(r->scratch, QPDF_TRUE);
	qpdf_set_attempt_recovery(r->scratch, QPDF_FALSE);
	qpdf_read_memory(r->scratch, "PDF", pdf, (unsigned long long)len, NULL);
	qpdf_oh v = qpdf_get_object_by_id(r->scratch, 3, 0);
	int is_dict = qpdf_oh_is_dictionary(r->scratch, v);
	int rc = qcheck(r, r->scratch, ctx);
	free(pdf);
	if (rc)
		return rc;
	if (!is_dict)
		return fail(r, TL_EFORMAT, "%s: its trailer is not a dictionary", ctx);
	*out = v;
	return TL_OK;
}

/* The trailer dictionary of the section at off (7.5.5), or a cross-reference stream's
 * dictionary (7.5.8), parsed by qpdf into r->scratch. Only the dictionary is read: the
 * entries themselves are qpdf's to read, when it opens the file. */
static int section_dict(rd_t *r, uint64_t off, qpdf_oh *out)
{
	size_t p = (size_t)off;
	if (r->len - p >= 4 && memcmp(r->pdf + p, "xref", 4) == 0) {
		/* 7.5.4: the table holds only digits, 'n', 'f' and white space until "trailer". */
		for (p += 4; p < r->len && memcmp(r->pdf + p, "trailer",
		                                  r->len - p < 7 ? r->len - p : 7) != 0;
		     p++) {
			uint8_t c = r->pdf[p];
			if (!is_ws(c) && !(c >= '0' && c <= '9') && c != 'n' && c != 'f')
				return fail(r, TL_EFORMAT,
				            "cross-reference table at PDF byte %llu: byte %zu is "
				            "not part of an entry, and no 'trailer' came first",
				            (unsigned long long)off, p);
		}
		if (r->len - p < 7)
			return fail(r, TL_EFORMAT,
			            "cross-reference table at PDF byte %llu: no 'trailer' after it",
			            (unsigned long long)off);
		p = skip_ws(r, p + 7);
	} else {
		/* 7.5.8: "N G obj" and the stream's dictionary. */
		uint64_t n, g;
		size_t e = scan_uint(r, skip_ws(r, p), &n);
		size_t e2 = e && e < r->len && is_ws(r->pdf[e]) ? scan_uint(r, skip_ws(r, e), &g) : 0;
		size_t k = e2 && e2 < r->len && is_ws(r->pdf[e2]) ? skip_ws(r, e2) : 0;
		if (!k || r->len - k < 3 || memcmp(r->pdf + k, "obj", 3) != 0)
			return fail(r, TL_EFORMAT,
			            "PDF byte %llu: neither 'xref' nor 'N G obj' (a "
			            "cross-reference stream) is there",
			            (unsigned long long)off);
		p = skip_ws(r, k + 3);
	}
	size_t end = p + 1 < r->len && r->pdf[p] == '<' && r->pdf[p + 1] == '<' ? dict_end(r, p) : 0;
	if (!end)
		return fail(r, TL_EFORMAT,
		            "cross-reference section at PDF byte %llu: no dictionary closed by "
		            "'>>' at byte %zu",
		            (unsigned long long)off, p);
	char ctx[80];
	snprintf(ctx, sizeof(ctx), "cross-reference section at PDF byte %llu",
	         (unsigned long long)off);
	return parse_dict(r, r->pdf + p, end - p, ctx, out);
}

/* A key present in a scratch dictionary with a value other than a direct null (a
 * reference there leads nowhere, and is still an entry). */
static int has_entry(qpdf_data q, qpdf_oh d, const char *key)
{
	if (!qpdf_oh_has_key(q, d, key))
		return 0;
	qpdf_oh v = qpdf_oh_get_key(q, d, key);
	return qpdf_oh_is_indirect(q, v) || !qpdf_oh_is_null(q, v);
}

/* 7.5.5, 7.5.6: the section at startxref, then each /Prev, newest first. qpdf reads the
 * same chain when it opens the file, but does not say how long it is, and that is what
 * `verify` needs.
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
		qpdf_oh tr = 0;
		if ((rc = section_dict(r, off, &tr)))
			return rc;
		qpdf_data s = r->scratch;
		if (has_entry(s, tr, "/Encrypt"))
			r->encrypted = 1;
		qpdf_oh size = qpdf_oh_get_key(s, tr, "/Size");
		if (qpdf_oh_is_integer(s, size) &&
		    (qpdf_oh_get_int_value(s, size) < 0 ||
		     qpdf_oh_get_int_value(s, size) > TL_PDF_MAX_OBJECTS))
			return fail(r, TL_ELIMIT,
			            "cross-reference section at PDF byte %llu: /Size %lld is "
			            "more than %d objects",
			            (unsigned long long)off, qpdf_oh_get_int_value(s, size),
			            TL_PDF_MAX_OBJECTS);
		if (!has_entry(s, tr, "/Prev"))
			break;
		qpdf_oh prev = qpdf_oh_get_key(s, tr, "/Prev");
		if (qpdf_oh_is_indirect(s, prev) || !qpdf_oh_is_integer(s, prev) ||
		    qpdf_oh_get_int_value(s, prev) < 0)
			return fail(r, TL_EFORMAT,
			            "cross-reference section at PDF byte %llu: /Prev "
			            "is not a byte offset",
			            (unsigned long long)off);
		uint64_t next = (uint64_t)qpdf_oh_get_int_value(s, prev);
		back += next < off;
		from = off;
		off = next;
	}
	*updates = back;
	return TL_OK;
}

/* ---- objects, through qpdf ---- */

/* The entry key of dictionary d ("/Name"), or a null handle. qpdf resolves references
 * when asked about a value's type; an undefined object is null (7.3.10), and a null value
 * is no entry (7.3.7). */
static qpdf_oh dget(rd_t *r, qpdf_oh d, const char *key)
{
	if (!qpdf_oh_is_dictionary(r->q, d))
		return qpdf_oh_new_null(r->q);
	return qpdf_oh_get_key(r->q, d, key);
}

static int is_null(rd_t *r, qpdf_oh v)
{
	return qpdf_oh_is_null(r->q, v);
}

static int name_is(rd_t *r, qpdf_oh v, const char *name)
{
	return qpdf_oh_is_name_and_equals(r->q, v, name);
}

/* The number of the object v is, or -1 for a direct value. */
static long long obj_num(rd_t *r, qpdf_oh v)
{
	return qpdf_oh_is_indirect(r->q, v) ? qpdf_oh_get_object_id(r->q, v) : -1;
}

/* Arrays and dictionaries in one object nest at most TL_PDF_MAX_DEPTH deep. qpdf's own cap
 * is 500; this one is the reader's long-standing limit, so what it refused it still
 * refuses. Only the direct values of v are walked: a reference is another object,
 * checked when it is read. */
static int check_depth(rd_t *r, qpdf_oh v, int depth, const char *what)
{
	qpdf_data q = r->q;
	if (depth > 0 && qpdf_oh_is_indirect(q, v))
		return TL_OK;
	if (depth > TL_PDF_MAX_DEPTH)
		return fail(r, TL_EFORMAT, "%s: arrays and dictionaries nested deeper than %d",
		            what, TL_PDF_MAX_DEPTH);
	int rc = TL_OK;
	if (qpdf_oh_is_array(q, v)) {
		int n = qpdf_oh_get_array_n_items(q, v);
		for (int i = 0; i < n && !rc; i++) {
			/* handles live until released: a long array would pile them up */
			qpdf_oh item = qpdf_oh_get_array_item(q, v, i);
			rc = check_depth(r, item, depth + 1, what);
			qpdf_oh_release(q, item);
		}
		return rc;
	}
	if (qpdf_oh_is_stream(q, v))
		v = qpdf_oh_get_dict(q, v);
	if (!qpdf_oh_is_dictionary(q, v))
		return TL_OK;
	/* qpdf iterates over one dictionary at a time: the keys are copied first. */
	char **keys = NULL;
	size_t n = 0, cap = 0;
	qpdf_oh_begin_dict_key_iter(q, v);
	while (qpdf_oh_dict_more_keys(q)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			keys = tl_xrealloc(keys, cap * sizeof(*keys));
		}
		keys[n++] = tl_xstrdup(qpdf_oh_dict_next_key(q));
	}
	for (size_t i = 0; i < n; i++) {
		if (!rc) {
			qpdf_oh item = qpdf_oh_get_key(q, v, keys[i]);
			rc = check_depth(r, item, depth + 1, what);
			qpdf_oh_release(q, item);
		}
		free(keys[i]);
	}
	free(keys);
	return rc;
}

/* Checks an object just reached: what qpdf said while reading it, and its nesting. */
static int got(rd_t *r, qpdf_oh v, const char *what)
{
	int rc = qcheck(r, r->q, what);
	if (!rc)
		rc = check_depth(r, v, 0, what);
	if (!rc)
		rc = qcheck(r, r->q, what);
	return rc;
}

/* ---- embedded file streams (7.3.8, 7.4, 7.11.4) ---- */

/* Counting the bytes nf Flate stages in turn make of a stream, without keeping them. */
typedef struct inflater {
	z_stream z[MAX_FILTERS];
	int started[MAX_FILTERS]; /* inflateInit done */
	int end[MAX_FILTERS];     /* the stage reached the end of its zlib data */
	size_t in[MAX_FILTERS];   /* bytes each stage took */
	size_t out[MAX_FILTERS];  /* bytes each stage gave */
	uint8_t *buf;             /* a CHUNK of output per stage; owned */
	size_t n;                 /* stages */
	long long num;            /* the stream's object number, for messages */
} inflater_t;

/* Hands n bytes to stage k; what it gives goes to stage k + 1, or is counted. */
static int feed(rd_t *r, inflater_t *f, size_t k, const uint8_t *p, size_t n)
{
	z_stream *z = &f->z[k];
	uint8_t *out = f->buf + k * CHUNK;
	while (n > 0 && !f->end[k]) {
		size_t take = n > UINT_MAX ? UINT_MAX : n;
		z->next_in = (Bytef *)(uintptr_t)p;
		z->avail_in = (uInt)take;
		for (;;) {
			z->next_out = out;
			z->avail_out = CHUNK;
			int zr = inflate(z, Z_NO_FLUSH);
			size_t gave = CHUNK - z->avail_out;
			if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && gave == 0))
				return fail(r, TL_EFORMAT,
				            "object %lld: bad Flate data at byte %zu of the "
				            "stream (%s)",
				            f->num, f->in[k] + (take - z->avail_in),
				            z->msg ? z->msg : "zlib error");
			f->out[k] += gave;
			if (f->out[k] > TL_PDF_MAX_STREAM)
				return fail(r, TL_ELIMIT,
				            "object %lld: stream decodes to more than %u MiB",
				            f->num, TL_PDF_MAX_STREAM >> 20);
			if (gave && k + 1 < f->n) {
				int rc = feed(r, f, k + 1, out, gave);
				if (rc)
					return rc;
			}
			if (zr == Z_STREAM_END) {
				f->end[k] = 1;
				break;
			}
			if (zr == Z_BUF_ERROR || (z->avail_in == 0 && z->avail_out != 0))
				break;
		}
		size_t used = take - z->avail_in;
		f->in[k] += used;
		p += used;
		n -= used;
		if (!used && !f->end[k])
			break; /* zlib took nothing: no loop; the stage is found unfinished */
	}
	return TL_OK;
}

/* The length of the raw Flate data in after nf stages, each bounded as one stream is.
 * Data that stops before its end, or is not zlib data, is refused with what zlib says. */
static int flate_length(rd_t *r, long long num, const uint8_t *in, size_t inlen, size_t nf,
                        size_t *outlen)
{
	inflater_t f;
	memset(&f, 0, sizeof(f));
	f.n = nf;
	f.num = num;
	f.buf = tl_xmalloc(nf * CHUNK);
	int rc = TL_OK;
	for (size_t k = 0; k < nf && !rc; k++) {
		if (inflateInit(&f.z[k]) != Z_OK)
			rc = fail(r, TL_ENOMEM, "object %lld: zlib could not start", num);
		else
			f.started[k] = 1;
	}
	if (!rc)
		rc = feed(r, &f, 0, in, inlen);
	for (size_t k = 0; k < nf && !rc; k++)
		if (!f.end[k])
			rc = fail(r, TL_EFORMAT,
			          "object %lld: Flate data ends early (after %zu of %zu bytes)", num,
			          f.in[k], k ? f.out[k - 1] : inlen);
	for (size_t k = 0; k < nf; k++)
		if (f.started[k])
			inflateEnd(&f.z[k]);
	free(f.buf);
	if (!rc)
		*outlen = f.out[nf - 1];
	return rc;
}

/* An integer entry of /DecodeParms, checked to be in lo..hi. */
static int parm_int(rd_t *r, qpdf_oh parms, const char *key, long long def, long long lo,
                    long long hi, long long num, long long *out)
{
	qpdf_oh v = dget(r, parms, key);
	if (is_null(r, v)) {
		*out = def;
		return TL_OK;
	}
	/* asked only of an integer: qpdf warns about any other type */
	long long x = qpdf_oh_is_integer(r->q, v) ? qpdf_oh_get_int_value(r->q, v) : lo - 1;
	if (x < lo || x > hi)
		return fail(r, TL_EFORMAT,
		            "object %lld: /DecodeParms %s is not an integer from %lld to %lld", num,
		            key, lo, hi);
	*out = x;
	return TL_OK;
}

/* 7.4.4.4 (Table 8): the predictor of the last filter, checked as this reader always has,
 * and the length its undoing makes of n bytes. qpdf undoes it; this says what length to
 * expect from qpdf. */
static int predicted_length(rd_t *r, long long num, qpdf_oh parms, size_t n, size_t *out)
{
	long long pred = 1, colors = 1, bpc = 8, cols = 1;
	int rc;
	*out = n;
	if ((rc = parm_int(r, parms, "/Predictor", 1, 1, 15, num, &pred)))
		return rc;
	if (pred == 1)
		return TL_OK;
	if ((rc = parm_int(r, parms, "/Colors", 1, 1, 32, num, &colors)) ||
	    (rc = parm_int(r, parms, "/BitsPerComponent", 8, 1, 16, num, &bpc)) ||
	    (rc = parm_int(r, parms, "/Columns", 1, 1, 1 << 24, num, &cols)))
		return rc;
	if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)
		return fail(r, TL_EFORMAT, "object %lld: /BitsPerComponent %lld", num, bpc);
	size_t row = (size_t)((colors * bpc * cols + 7) / 8);
	if (pred == 2) {
		if (bpc != 8)
			return fail(r, TL_EUNSUPPORTED,
			            "object %lld: TIFF predictor with %lld bits per component is "
			            "not read",
			            num, bpc);
		if (n % row)
			return fail(r, TL_EFORMAT, "object %lld: %zu bytes are not whole rows of %zu",
			            num, n, row);
		return TL_OK;
	}
	if (pred < 10)
		return fail(r, TL_EFORMAT, "object %lld: unknown /Predictor %lld", num, pred);
	/* PNG: every row starts with its own filter-type byte, whatever /Predictor says. */
	if (n % (row + 1))
		return fail(r, TL_EFORMAT,
		            "object %lld: %zu bytes are not whole predictor rows of %zu", num, n,
		            row + 1);
	*out = n / (row + 1) * row;
	return TL_OK;
}

/* The decoded bytes of stream s (object num): the filters checked here (only FlateDecode
 * is read, as before), the length counted here, the decoding done by qpdf. Caller frees
 * *out. */
static int decode_stream(rd_t *r, long long num, qpdf_oh s, uint8_t **out, size_t *outlen)
{
	qpdf_data q = r->q;
	qpdf_oh d = qpdf_oh_get_dict(q, s);
	if (!is_null(r, dget(r, d, "/F")))
		return fail(r, TL_EUNSUPPORTED,
		            "object %lld: stream data in an external file (/F) is not read", num);
	qpdf_oh filt = dget(r, d, "/Filter"), parms = dget(r, d, "/DecodeParms");
	size_t nf = is_null(r, filt) ? 0 : 1;
	int farr = qpdf_oh_is_array(q, filt), parr = qpdf_oh_is_array(q, parms);
	if (farr)
		nf = (size_t)qpdf_oh_get_array_n_items(q, filt);
	if (parr ? (size_t)qpdf_oh_get_array_n_items(q, parms) != nf
	         : !is_null(r, parms) && (!qpdf_oh_is_dictionary(q, parms) || nf != 1))
		return fail(r, TL_EFORMAT, "object %lld: /DecodeParms does not match /Filter", num);
	if (nf > MAX_FILTERS)
		return fail(r, TL_ELIMIT, "object %lld: more than %d filters", num, MAX_FILTERS);
	qpdf_oh last = qpdf_oh_new_null(q);
	for (size_t i = 0; i < nf; i++) {
		qpdf_oh f = farr ? qpdf_oh_get_array_item(q, filt, (int)i) : filt;
		qpdf_oh p = parr ? qpdf_oh_get_array_item(q, parms, (int)i) : parms;
		if (!qpdf_oh_is_name(q, f))
			return fail(r, TL_EFORMAT,
			            "object %lld: /Filter is not a name or an array of names", num);
		if (!is_null(r, p) && !qpdf_oh_is_dictionary(q, p))
			return fail(r, TL_EFORMAT,
			            "object %lld: /DecodeParms entry is not a dictionary", num);
		if (!name_is(r, f, "/FlateDecode")) {
			char buf[100];
			const char *nm = qpdf_oh_get_name(q, f);
			return fail(r, TL_EUNSUPPORTED, "object %lld: filter /%s is not read", num,
			            printable((const uint8_t *)nm + 1, strlen(nm + 1), buf,
			                      sizeof(buf)));
		}
		long long pred = 1;
		int rc = parm_int(r, p, "/Predictor", 1, 1, 15, num, &pred);
		if (rc)
			return rc;
		/* A predictor changes what the next filter is given; counting that would mean
		 * undoing it here, so only the last filter may have one. */
		if (pred != 1 && i + 1 < nf)
			return fail(r, TL_EUNSUPPORTED,
			            "object %lld: a predictor before another filter is not read", num);
		last = p;
	}
	int rc = qcheck(r, q, NULL);
	if (rc)
		return rc;

	unsigned char *raw = NULL, *dec = NULL;
	size_t rawlen = 0, declen = 0, want;
	if ((qpdf_oh_get_stream_data(q, s, qpdf_dl_none, NULL, &raw, &rawlen) & (QPDF_ERRORS)) ||
	    qpdf_more_warnings(q)) {
		rc = qcheck(r, q, NULL);
		goto done;
	}
	if (!nf) {
		dec = raw;
		declen = rawlen;
		raw = NULL;
		want = declen;
	} else {
		size_t inflated;
		if ((rc = flate_length(r, num, raw ? raw : (const uint8_t *)"", rawlen, nf,
		                       &inflated)) ||
		    (rc = predicted_length(r, num, last, inflated, &want)))
			goto done;
	}
	if (want > TL_PDF_MAX_TOTAL - r->decoded) {
		rc = fail(r, TL_ELIMIT, "object %lld: streams decode to more than %u MiB in all",
		          num, TL_PDF_MAX_TOTAL >> 20);
		goto done;
	}
	if (nf) {
		QPDF_BOOL filtered = QPDF_FALSE;
		if ((qpdf_oh_get_stream_data(q, s, qpdf_dl_generalized, &filtered, &dec,
		                             &declen) &
		     (QPDF_ERRORS)) ||
		    qpdf_more_warnings(q)) {
			rc = qcheck(r, q, NULL);
			goto done;
		}
		if (!filtered) {
			rc = fail(r, TL_EFORMAT, "object %lld: qpdf could not undo its filters", num);
			goto done;
		}
		/* Two decoders, one answer: zlib's count and qpdf's bytes must agree. */
		if (declen != want) {
			rc = fail(r, TL_EFORMAT,
			          "object %lld: qpdf decodes %zu bytes where zlib counts %zu", num,
			          declen, want);
			goto done;
		}
	}
	r->decoded += declen;
	if (!dec) /* an empty stream: the caller is promised a buffer */
		dec = tl_xmalloc(1);
	*out = dec;
	*outlen = declen;
	dec = NULL;
done:
	free(raw);
	free(dec);
	return rc;
}

/* qpdf decodes object streams (7.5.7) and cross-reference streams (7.5.8) for itself,
 * and takes Flate data whose Adler-32 check fails (zlib's "incorrect data check") without
 * a word, reading on with the damaged bytes. So each such stream whose filters are all
 * FlateDecode is inflated here once more, and refused as an embedded file would be. This
 * reads every object of the file once, where the reader used to read only what it
 * needed: an object qpdf cannot read refuses the file even if no check needs it. */
static int check_qpdf_streams(rd_t *r, long long nobj)
{
	qpdf_data q = r->q;
	int rc = TL_OK;
	for (long long id = 1; id < nobj && !rc; id++) {
		qpdf_oh o = qpdf_get_object_by_id(q, (int)id, 0);
		if (qpdf_oh_is_stream(q, o)) {
			qpdf_oh d = qpdf_oh_get_dict(q, o);
			qpdf_oh t = dget(r, d, "/Type"), filt = dget(r, d, "/Filter");
			size_t nf = 0, flate = 0;
			if (qpdf_oh_is_array(q, filt)) {
				nf = (size_t)qpdf_oh_get_array_n_items(q, filt);
				for (size_t i = 0; i < nf && i < MAX_FILTERS; i++) {
					qpdf_oh f = qpdf_oh_get_array_item(q, filt, (int)i);
					flate += name_is(r, f, "/FlateDecode");
					qpdf_oh_release(q, f);
				}
			} else if (!is_null(r, filt)) {
				nf = 1;
				flate = name_is(r, filt, "/FlateDecode");
			}
			if ((name_is(r, t, "/ObjStm") || name_is(r, t, "/XRef")) && nf &&
			    nf == flate) {
				unsigned char *raw = NULL;
				size_t rawlen = 0, n;
				qpdf_oh_get_stream_data(q, o, qpdf_dl_none, NULL, &raw, &rawlen);
				rc = qcheck(r, q, NULL);
				if (!rc)
					rc = flate_length(r, id, raw ? raw : (const uint8_t *)"", rawlen,
					                  nf, &n);
				free(raw);
			}
			qpdf_oh_release(q, filt);
			qpdf_oh_release(q, t);
			qpdf_oh_release(q, d);
		}
		qpdf_oh_release(q, o);
		if (!rc)
			rc = qcheck(r, q, NULL);
	}
	return rc;
}

/* ---- the document ---- */

/* A PDF string as a C string: UTF-16BE with a byte-order mark becomes UTF-8 (7.9.2.2);
 * other bytes are kept as they are. A NUL (or U+0000) is refused. Caller frees. */
static int text_of(rd_t *r, const uint8_t *s, size_t slen, const char *what, char **out)
{
	if (slen >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		if (slen % 2)
			return fail(r, TL_EFORMAT, "%s: UTF-16 text with an odd number of bytes",
			            what);
		char *o = tl_xmalloc(slen / 2 * 3 + 1);
		size_t n = 0;
		for (size_t i = 2; i < slen; i += 2) {
			uint32_t c = (uint32_t)s[i] << 8 | s[i + 1];
			if (c >= 0xd800 && c < 0xdc00 && i + 3 < slen) {
				uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
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
	if (memchr(s, 0, slen))
		return fail(r, TL_EFORMAT, "%s: text holds a NUL byte", what);
	*out = tl_xstrndup((const char *)s, slen);
	return TL_OK;
}

/* A string object's text (see text_of). qpdf's string lives until its next call: it is
 * converted first, and qpdf asked about errors after. */
static int string_text(rd_t *r, qpdf_oh v, const char *what, char **out)
{
	size_t n = 0;
	char *t = NULL;
	const char *s = qpdf_oh_get_binary_string_value(r->q, v, &n);
	int rc = text_of(r, (const uint8_t *)(s ? s : ""), s ? n : 0, what, &t);
	int qrc = qcheck(r, r->q, what);
	if (!rc && qrc) {
		free(t);
		rc = qrc;
	}
	if (!rc)
		*out = t;
	return rc;
}

/* One /EF entry: an /EmbeddedFile stream (7.11.4), decoded. */
static int ef_stream(rd_t *r, const char *name, const char *key, qpdf_oh ref, uint8_t **data,
                     size_t *len)
{
	char buf[100], what[160];
	printable((const uint8_t *)name, strlen(name), buf, sizeof(buf));
	snprintf(what, sizeof(what), "embedded file %s", buf);
	long long num = obj_num(r, ref);
	int is_stream = qpdf_oh_is_stream(r->q, ref);
	int rc = qcheck(r, r->q, what);
	if (rc)
		return rc;
	if (!is_stream)
		return fail(r, TL_EFORMAT, "embedded file %s: /EF /%s is not a stream", buf, key);
	if ((rc = got(r, ref, what)))
		return rc;
	qpdf_oh type = dget(r, qpdf_oh_get_dict(r->q, ref), "/Type");
	if (!is_null(r, type) && !name_is(r, type, "/EmbeddedFile"))
		return fail(r, TL_EFORMAT,
		            "embedded file %s: object %lld has a /Type other than "
		            "/EmbeddedFile",
		            buf, num);
	return decode_stream(r, num, ref, data, len);
}

static int add_file(rd_t *r, tl_pdf_doc_t *doc, size_t *cap, qpdf_oh key, qpdf_oh fs)
{
	char buf[100], what[160], *name;
	int rc;
	if (doc->n_files == TL_PDF_MAX_FILES)
		return fail(r, TL_ELIMIT, "more than %d embedded files", TL_PDF_MAX_FILES);
	if ((rc = string_text(r, key, "embedded file name", &name)))
		return rc;
	printable((const uint8_t *)name, strlen(name), buf, sizeof(buf));
	snprintf(what, sizeof(what), "embedded file %s", buf);
	if ((rc = got(r, fs, what)))
		goto bad;
	/* 7.11.3: a file specification string names an outside file: nothing embedded. */
	if (!qpdf_oh_is_dictionary(r->q, fs)) {
		rc = fail(r, TL_EFORMAT, "embedded file %s: the file specification is %s", buf,
		          qpdf_oh_is_string(r->q, fs) ? "a string (no embedded file)"
		                                      : "not a dictionary");
		goto bad;
	}
	qpdf_oh type = dget(r, fs, "/Type");
	if (!is_null(r, type) && !name_is(r, type, "/Filespec")) {
		rc = fail(r, TL_EFORMAT,
		          "embedded file %s: the file specification has a /Type "
		          "other than /Filespec",
		          buf);
		goto bad;
	}
	qpdf_oh ef = dget(r, fs, "/EF");
	if ((rc = got(r, ef, what)))
		goto bad;
	if (!qpdf_oh_is_dictionary(r->q, ef)) {
		rc = fail(r, TL_EFORMAT, "embedded file %s: no /EF dictionary", buf);
		goto bad;
	}
	qpdf_oh f = dget(r, ef, "/F"), uf = dget(r, ef, "/UF");
	int has_f = !is_null(r, f), has_uf = !is_null(r, uf);
	if ((rc = qcheck(r, r->q, what)))
		goto bad;
	if (!has_f && !has_uf) {
		rc = fail(r, TL_EFORMAT, "embedded file %s: /EF has neither /F nor /UF", buf);
		goto bad;
	}
	uint8_t *data;
	size_t len;
	if ((rc = ef_stream(r, name, has_f ? "F" : "UF", has_f ? f : uf, &data, &len)))
		goto bad;
	/* Two different streams would be two different files to two readers. */
	if (has_f && has_uf &&
	    !(qpdf_oh_is_indirect(r->q, f) && qpdf_oh_is_indirect(r->q, uf) &&
	      qpdf_oh_get_object_id(r->q, f) == qpdf_oh_get_object_id(r->q, uf) &&
	      qpdf_oh_get_generation(r->q, f) == qpdf_oh_get_generation(r->q, uf))) {
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
static int tree_walk(rd_t *r, qpdf_oh node, int depth, tl_pdf_doc_t *doc, size_t *cap)
{
	qpdf_data q = r->q;
	char where[64];
	int rc;
	if (depth > TL_PDF_MAX_TREE_DEPTH)
		return fail(r, TL_ELIMIT, "the embedded-file name tree is deeper than %d levels",
		            TL_PDF_MAX_TREE_DEPTH);
	long long num = obj_num(r, node);
	if (num >= 0) {
		snprintf(where, sizeof(where), "name-tree node (object %lld)", num);
		if ((size_t)num < r->nseen) {
			if (r->seen[num / 8] & (1u << (num % 8)))
				return fail(r, TL_EFORMAT, "%s: reached twice in the tree", where);
			r->seen[num / 8] |= (uint8_t)(1u << (num % 8));
		}
	} else {
		snprintf(where, sizeof(where), "%s", depth ? "name-tree node" : "/EmbeddedFiles");
	}
	if ((rc = got(r, node, where)))
		return rc;
	if (!qpdf_oh_is_dictionary(q, node))
		return fail(r, TL_EFORMAT, "%s: not a dictionary", where);
	qpdf_oh kids = dget(r, node, "/Kids"), names = dget(r, node, "/Names");
	int has_kids = !is_null(r, kids), has_names = !is_null(r, names);
	if ((rc = qcheck(r, q, where)))
		return rc;
	if (has_kids && has_names)
		return fail(r, TL_EFORMAT, "%s: has both /Kids and /Names", where);
	if (!has_kids && !has_names)
		return fail(r, TL_EFORMAT, "%s: has neither /Kids nor /Names", where);
	if (has_kids) {
		if ((rc = got(r, kids, where)))
			return rc;
		if (!qpdf_oh_is_array(q, kids))
			return fail(r, TL_EFORMAT, "%s: /Kids is not an array", where);
		int n = qpdf_oh_get_array_n_items(q, kids);
		for (int i = 0; i < n; i++)
			if ((rc = tree_walk(r, qpdf_oh_get_array_item(q, kids, i), depth + 1, doc,
			                    cap)))
				return rc;
		return TL_OK;
	}
	if ((rc = got(r, names, where)))
		return rc;
	int n = qpdf_oh_is_array(q, names) ? qpdf_oh_get_array_n_items(q, names) : -1;
	if (n < 0 || n % 2)
		return fail(r, TL_EFORMAT, "%s: /Names is not an array of key-value pairs", where);
	for (int i = 0; i < n; i += 2) {
		qpdf_oh key = qpdf_oh_get_array_item(q, names, i);
		int is_str = qpdf_oh_is_string(q, key);
		if ((rc = qcheck(r, q, where)))
			return rc;
		if (!is_str)
			return fail(r, TL_EFORMAT, "%s: /Names key %d is not a string", where, i / 2);
		if ((rc = add_file(r, doc, cap, key, qpdf_oh_get_array_item(q, names, i + 1))))
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

/* Opens the file in qpdf: without recovery, warnings kept for qcheck, not printed. */
static int open_qpdf(rd_t *r)
{
	r->q = qpdf_init();
	qpdf_silence_errors(r->q);
	qpdf_set_suppress_warnings(r->q, QPDF_TRUE);
	qpdf_set_attempt_recovery(r->q, QPDF_FALSE);
	qpdf_read_memory(r->q, "PDF", (const char *)r->pdf, (unsigned long long)r->len, NULL);
	int rc = qcheck(r, r->q, NULL);
	if (rc)
		return rc;
	if (qpdf_is_encrypted(r->q))
		return fail(r, TL_EUNSUPPORTED, "the PDF is encrypted (trailer /Encrypt): not read");
	return TL_OK;
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
	if ((rc = find_startxref(r, &off, &at)))
		return rc;
	if ((rc = read_sections(r, off, at, &doc->updates)))
		return rc;
	/* qpdf would decrypt a file whose user password is empty; a report is never
	 * encrypted, and one that is was not written by tealeaves. */
	if (r->encrypted)
		return fail(r, TL_EUNSUPPORTED, "the PDF is encrypted (trailer /Encrypt): not read");
	if ((rc = open_qpdf(r)))
		return rc;

	qpdf_data q = r->q;
	qpdf_oh trailer = qpdf_get_trailer(q);
	if ((rc = got(r, trailer, NULL)))
		return rc;
	qpdf_oh size = dget(r, trailer, "/Size");
	long long nobj = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value(q, size) : 0;
	r->nseen = nobj > 0 && nobj <= TL_PDF_MAX_OBJECTS ? (size_t)nobj : 0;
	r->seen = tl_xcalloc(r->nseen / 8 + 1, 1);
	if ((rc = check_qpdf_streams(r, (long long)r->nseen)))
		return rc;

	/* The root is taken from the trailer, not with qpdf_get_root, which mends a catalog
	 * without /Type (with a warning). */
	qpdf_oh root = dget(r, trailer, "/Root");
	if ((rc = qcheck(r, q, "the trailer /Root")))
		return rc;
	if (is_null(r, root))
		return fail(r, TL_EFORMAT, "the trailer has no /Root");
	if ((rc = got(r, root, "the catalog")))
		return rc;
	if (!qpdf_oh_is_dictionary(q, root))
		return fail(r, TL_EFORMAT, "the trailer /Root is not a dictionary");
	qpdf_oh type = dget(r, root, "/Type");
	if (!is_null(r, type) && !name_is(r, type, "/Catalog"))
		return fail(r, TL_EFORMAT, "the trailer /Root has a /Type other than /Catalog");
	qpdf_oh names = dget(r, root, "/Names");
	if ((rc = got(r, names, "the catalog's /Names")))
		return rc;
	if (!is_null(r, names) && !qpdf_oh_is_dictionary(q, names))
		return fail(r, TL_EFORMAT, "the catalog's /Names is not a dictionary");
	qpdf_oh tree = dget(r, names, "/EmbeddedFiles");
	int has_tree = !is_null(r, tree);
	if ((rc = qcheck(r, q, "the catalog's /Names")))
		return rc;
	if (has_tree && (rc = tree_walk(r, tree, 0, doc, &cap)))
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

	/* 14.3.3: the document information dictionary, from the newest trailer (7.5.6). */
	qpdf_oh info = dget(r, trailer, "/Info");
	if ((rc = got(r, info, "the trailer /Info")))
		return rc;
	if (!is_null(r, info) && !qpdf_oh_is_dictionary(q, info))
		return fail(r, TL_EFORMAT, "the trailer /Info is not a dictionary");
	qpdf_oh id = dget(r, info, "/ReportID");
	int id_null = is_null(r, id), id_str = qpdf_oh_is_string(q, id);
	if ((rc = qcheck(r, q, "/Info /ReportID")))
		return rc;
	if (!id_null && !id_str)
		return fail(r, TL_EFORMAT, "/Info /ReportID is not a string");
	if (id_str && (rc = string_text(r, id, "/Info /ReportID", &doc->report_id)))
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

	int rc = read_doc(&r, &doc);

	if (r.q)
		qpdf_cleanup(&r.q);
	if (r.scratch)
		qpdf_cleanup(&r.scratch);
	free(r.seen);
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
