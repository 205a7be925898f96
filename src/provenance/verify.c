/* verify.c - the verdict on a report: the checks in order (the document, the case and
 * its files, the report made again), each a line of words, and the verdict they lead to.
 * What each check compares is in verify_doc.c, verify_case.c, verify_remake.c,
 * verify_bundle.c and locate.c. */
#include "provenance/verify_impl.h"
#include "util/file.h"
#include "util/error.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tl_verify_status_word(tl_verify_status_t s)
{
	switch (s) {
	case TL_VERIFY_OK:
		return "ok";
	case TL_VERIFY_FAILED:
		return "FAILED";
	case TL_VERIFY_MISSING:
		return "MISSING";
	case TL_VERIFY_DIFFERS:
		return "DIFFERS";
	case TL_VERIFY_NOTE:
		return "note";
	case TL_VERIFY_SKIPPED:
		return "skipped";
	}
	return "?";
}

const char *tl_verify_outcome_words(tl_verify_outcome_t o)
{
	switch (o) {
	case TL_VERIFY_VERIFIED:
		return "VERIFIED";
	case TL_VERIFY_NOT_VERIFIED:
	case TL_VERIFY_OTHER_TOOL:
		return "NOT VERIFIED";
	case TL_VERIFY_NONE:
		break;
	}
	return NULL;
}

void tl_verdict_init(tl_verdict_t *v)
{
	memset(v, 0, sizeof(*v));
}

void tl_verdict_free(tl_verdict_t *v)
{
	for (size_t i = 0; i < v->n_checks; i++) {
		free(v->checks[i].what);
		free(v->checks[i].detail);
	}
	free(v->checks);
	tl_verdict_init(v);
}

/* ---- words that cannot lie about themselves ---- */

/* 1 for the code points that could make printed text lie about itself: C1
 * controls, line and paragraph separators, and the bidirectional marks and
 * overrides (Unicode 15, UAX #9). */
static int deceptive(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x061c || cp == 0xfeff;
}

/* Appends the character at p (left bytes remain) escaped as needed; returns the
 * bytes it took. */
static size_t put_escaped_char(tl_buf_t *b, const char *p, size_t left)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = tl_utf8_len(u, left);
	if (n == 0 || u[0] < 0x20 || u[0] == 0x7f) {
		tl_buf_printf(b, "\\x%02x", u[0]);
		return 1;
	}
	if (u[0] == '\\') {
		tl_buf_puts(b, "\\\\");
		return 1;
	}
	uint32_t cp =
	    n == 1   ? u[0]
	    : n == 2 ? (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f)
	    : n == 3 ? (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f)
	             : (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
	                   (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
	if (deceptive(cp))
		tl_buf_printf(b, "\\u%04x", (unsigned)cp);
	else
		tl_buf_append(b, p, n);
	return n;
}

static void put_escaped_plain(tl_buf_t *b, const char *s)
{
	const char *end = s + strlen(s);
	while (*s)
		s += put_escaped_char(b, s, (size_t)(end - s));
}

/* Appends msg to b so that no byte of it can forge a line or drive a terminal:
 * control characters and invalid UTF-8 as \xNN, deceptive code points as \uNNNN, a
 * backslash doubled. A bundle's temporary folder is shown as "BUNDLE.tar:" (its
 * name is random, and the files are the bundle's). */
static void put_escaped(const tl_vctx_t *v, tl_buf_t *b, const char *msg)
{
	const char *p = msg, *end = msg + strlen(msg);
	size_t tn = v->tmp_dir ? strlen(v->tmp_dir) : 0;
	while (*p) {
		if (tn && strncmp(p, v->tmp_dir, tn) == 0 && p[tn] == '/') {
			put_escaped_plain(b, v->tmp_name);
			tl_buf_putc(b, ':');
			p += tn + 1;
			continue;
		}
		size_t n = put_escaped_char(b, p, (size_t)(end - p));
		p += n;
	}
}

/* put_escaped of the formatted text. */
__attribute__((format(printf, 3, 0))) static void put_escaped_fmt(const tl_vctx_t *v, tl_buf_t *b,
                                                                  const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	put_escaped(v, b, msg ? msg : "(out of memory)");
	free(msg);
}

void tl_verify_add(tl_vctx_t *v, tl_verify_status_t s, const char *what, const char *fmt, ...)
{
	tl_verdict_t *vd = v->verdict;
	tl_buf_t b;
	tl_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	put_escaped_fmt(v, &b, fmt, ap);
	va_end(ap);
	if (vd->n_checks == vd->cap_checks) {
		vd->cap_checks = vd->cap_checks ? vd->cap_checks * 2 : 32;
		vd->checks = tl_xrealloc(vd->checks, vd->cap_checks * sizeof(*vd->checks));
	}
	tl_verify_check_t *c = &vd->checks[vd->n_checks++];
	c->status = s;
	/* what may hold a label read from the manifest, which the report's sender wrote:
	 * escaped like the detail, so that it cannot forge a line either */
	tl_buf_t w;
	tl_buf_init(&w);
	put_escaped(v, &w, what);
	c->what = w.data ? w.data : tl_xstrdup("");
	c->detail = b.data; /* the buffer's bytes are the check's now */
	if (v->o->on_check)
		v->o->on_check(v->o->hook_arg, c);
}

void tl_verify_say(const tl_vctx_t *v, const char *fmt, ...)
{
	if (!v->o->on_progress)
		return;
	tl_buf_t b;
	tl_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	put_escaped_fmt(v, &b, fmt, ap);
	va_end(ap);
	v->o->on_progress(v->o->hook_arg, b.data);
	tl_buf_free(&b);
}

/* ---- small helpers the checks share ---- */

int tl_verify_read(const char *path, size_t max, tl_buf_t *out, const char **why, int *absent)
{
	int rc = tl_file_read_buf(path, max, out);
	int e = errno;
	*absent = rc == TL_ENOENT;
	if (rc == TL_OK)
		return 0;
	if (rc == TL_ELIMIT)
		*why = "larger than any such file";
	else if (e == EINVAL)
		*why = "not a regular file";
	else
		*why = strerror(e);
	return -1;
}

void tl_verify_hex(const void *data, size_t len, char hex[TL_SHA256_HEX_LEN])
{
	uint8_t d[TL_SHA256_LEN];
	tl_sha256(data, len, d);
	tl_sha256_hex(d, hex);
}

size_t tl_verify_first_difference(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb, i = 0;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* ---- the verdict on the whole ---- */

/* The last line: the verdict on the whole, its sentence escaped like a check's detail
 * and cut at the summary's size. */
__attribute__((format(printf, 3, 4))) static void conclude(tl_vctx_t *v, tl_verify_outcome_t o,
                                                           const char *fmt, ...)
{
	tl_buf_t b;
	tl_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	put_escaped_fmt(v, &b, fmt, ap);
	va_end(ap);
	snprintf(v->verdict->summary, sizeof(v->verdict->summary), "%s", b.data);
	tl_buf_free(&b);
	v->verdict->outcome = o;
}

/* VERIFIED needs positive proof: the report made again equals the given one. Every
 * other outcome says the first reason in this order: no manifest, evidence that
 * differs, files missing, another tool, a file beside the report, nothing made again. */
static void conclude_not_verified(tl_vctx_t *v)
{
	const tl_verdict_t *vd = v->verdict;
	if (vd->no_manifest)
		conclude(v, TL_VERIFY_NOT_VERIFIED,
		         "%s carries no readable manifest, so nothing in it could "
		         "be checked (see the checks marked FAILED)",
		         v->shown);
	else if (vd->evidence_failed)
		conclude(v, TL_VERIFY_NOT_VERIFIED,
		         "%s or the files it names differ from what its manifest "
		         "records (see the checks marked FAILED or DIFFERS)%s",
		         v->shown, vd->missing ? "; some files were not found (MISSING)" : "");
	else if (vd->missing)
		conclude(v, TL_VERIFY_NOT_VERIFIED,
		         "%d file%s named in the manifest %s not found (see the "
		         "checks marked MISSING); nothing that was found differs, "
		         "but the report could not be made again without %s",
		         vd->missing, vd->missing == 1 ? "" : "s",
		         vd->missing == 1 ? "was" : "were", vd->missing == 1 ? "it" : "them");
	else if (vd->tool_differs)
		conclude(
		    v, TL_VERIFY_OTHER_TOOL,
		    "the evidence files match the SHA-256 recorded in the manifest, but the "
		    "report's findings and content were not confirmed: the manifest says it was "
		    "made by another build of tealeaves or with other libraries or data files "
		    "(see the checks marked DIFFERS)%s; only that build can make it again. This "
		    "is what the manifest claims, not a finding",
		    vd->findings_differ ? ", and this build's findings differ from the report's"
		                        : "");
	else if (vd->side_failed)
		conclude(v, TL_VERIFY_NOT_VERIFIED,
		         "%s: a file beside the report (its checksum, manifest or "
		         "signature) does not match it (see the checks marked "
		         "FAILED)%s",
		         v->shown,
		         vd->remade_identical ? "; the report made again is identical to it" : "");
	else
		conclude(v, TL_VERIFY_NOT_VERIFIED,
		         "the report was not made again (see the checks above)");
}

static void conclude_all(tl_vctx_t *v)
{
	const tl_verdict_t *vd = v->verdict;
	if (vd->no_manifest || vd->evidence_failed || vd->missing || vd->tool_differs ||
	    vd->side_failed || !vd->remade_identical) {
		conclude_not_verified(v);
		return;
	}
	char with[160] = "";
	if (vd->n_overrides)
		snprintf(with, sizeof(with),
		         " (made with %d --set override%s of the case "
		         "file, listed above)",
		         vd->n_overrides, vd->n_overrides == 1 ? "" : "s");
	conclude(v, TL_VERIFY_VERIFIED,
	         "every file matches the manifest and the report made again "
	         "is identical to %s%s%s",
	         v->shown, with,
	         TL_SOURCE_DIRTY ? " (with a build from a tree with uncommitted changes: the "
	                           "source commit alone does not identify the code)"
	                         : "");
}

/* ---- the whole check ---- */

/* path's folder into dir ("." when it names none). */
static void folder_of(const char *path, char *dir, size_t n)
{
	snprintf(dir, n, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, n, ".");
}

static void vdoc_free(tl_vdoc_t *d)
{
	json_decref(d->m);
	tl_buf_free(&d->pdf);
	tl_buf_free(&d->manifest);
	tl_buf_free(&d->findings);
}

int tl_verify_run(tl_vctx_t *v, char *err, size_t errlen)
{
	char pdf_dir[8192];
	folder_of(v->pdf_path, pdf_dir, sizeof(pdf_dir));
	v->pdf_dir = pdf_dir;
	if (!v->shown)
		v->shown = v->pdf_path;
	tl_vdoc_t d;
	memset(&d, 0, sizeof(d));
	const char *why;
	int absent;
	if (tl_verify_read(v->pdf_path, TL_VERIFY_MAX_PDF_BYTES, &d.pdf, &why, &absent) != 0) {
		snprintf(err, errlen, "%s: %s", v->pdf_path, why);
		return absent ? TL_ENOENT : TL_EIO;
	}
	tl_verify_say(v, "verifying %s", v->shown);
	tl_case_t *c = NULL;
	const char **sets = NULL;
	size_t n_sets = 0;
	/* the other checks' failures do not stop the report being made again: what the
	 * files make now is worth knowing whatever the document says of itself */
	if (tl_verify_document(v, &d) && tl_verify_case(v, d.m, &c, &sets, &n_sets))
		tl_verify_remake(v, &d, c, sets, n_sets);
	tl_verify_document_verdict(v);
	if (v->bundle_root && !v->verdict->no_manifest)
		tl_verify_bundle_members(v);
	conclude_all(v);
	free(sets);
	tl_case_free(c);
	vdoc_free(&d);
	if (v->tree) {
		tl_verify_strv_free(&v->tree->files);
		free(v->tree);
		v->tree = NULL;
	}
	return TL_OK;
}

int tl_verify_report(const char *pdf_path, const tl_verify_opts_t *o, tl_verdict_t *v, char *err,
                     size_t errlen)
{
	tl_vctx_t x;
	memset(&x, 0, sizeof(x));
	x.o = o;
	x.verdict = v;
	x.pdf_path = pdf_path;
	if (o->inputs_dir) {
		x.inputs_dir = o->inputs_dir;
		x.inputs_real = realpath(o->inputs_dir, NULL);
		if (!x.inputs_real) {
			int e = errno;
			snprintf(err, errlen, "%s: %s", o->inputs_dir, strerror(e));
			return tl_errno_to_err(e);
		}
	}
	int rc = tl_verify_run(&x, err, errlen);
	free(x.inputs_real);
	return rc;
}
