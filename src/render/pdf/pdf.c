/* pdf.c - the PDF/A document writer: document, pages, text, paths, charts and navigation.
 * render/pdf/ is the one folder that includes libharu, and the one place for its 2.3.0
 * workarounds (each marked "libharu 2.3.0 defect"). */
#include "render/pdf/pdf_impl.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xmalloc.h"

/* Design notes.
 * - We never call HPDF_PDFA_SetPDFAConformance. In 2.3.0 it writes the XMP packet at once
 *   from the info dictionary without XML escaping, with /SubType instead of /Subtype,
 *   breaks on dates ending in 'Z' (error 0x1039), and sets /ID from the clock. Instead
 *   the XMP stream, the OutputIntent and the /ID are built here at save time.
 * - Embedded files are built as objects in memory (an /EmbeddedFile stream and a
 *   /Filespec), not with HPDF_AttachFile: that reads a path at save time, writes
 *   /Type /F, uses the path as the name and has no setters for /AFRelationship etc.
 * - Everything libharu allocates goes through tl_xmalloc, so running out of memory
 *   aborts as everywhere else. */

/* ---- errors ---------------------------------------------------------------------------- */

void tl_pdf_set_err(tl_pdf_t *d, int code, const char *fmt, ...)
{
	if (d->err)
		return; /* the first failure is the one worth reporting */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	d->err = code;
}

static const char *hpdf_describe(HPDF_STATUS e)
{
	switch (e) {
	case HPDF_FILE_IO_ERROR: return "file read or write failed";
	case HPDF_FILE_OPEN_ERROR: return "cannot open file";
	case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
	case HPDF_INVALID_IMAGE: return "invalid image";
	case HPDF_INVALID_PNG_IMAGE: return "invalid PNG image";
	case HPDF_LIBPNG_ERROR: return "libpng error";
	case HPDF_INVALID_PARAMETER: return "invalid parameter";
	case HPDF_PAGE_INVALID_GMODE: return "operation not allowed in this graphics mode";
	case HPDF_PAGE_INVALID_FONT: return "invalid font";
	case HPDF_PAGE_INVALID_FONT_SIZE: return "invalid font size";
	case HPDF_PAGE_OUT_OF_RANGE: return "page value out of range";
	case HPDF_REAL_OUT_OF_RANGE: return "number out of range";
	case HPDF_STRING_OUT_OF_RANGE: return "string too long";
	case HPDF_EXCEED_GSTATE_LIMIT: return "too many nested graphics states";
	case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "font licence forbids embedding";
	case HPDF_TTF_INVALID_CMAP: return "font has no usable Unicode cmap";
	case HPDF_TTF_INVALID_FOMAT: return "not a TrueType font";
	case HPDF_TTF_MISSING_TABLE: return "font lacks a required table";
	case HPDF_UNSUPPORTED_FONT_TYPE: return "unsupported font type";
	default: return "libharu error";
	}
}

static int hpdf_to_tl(HPDF_STATUS e, HPDF_STATUS detail)
{
	switch (e) {
	case HPDF_FILE_OPEN_ERROR:
		return detail == ENOENT ? TL_ENOENT : detail == EACCES ? TL_EACCES : TL_EIO;
	case HPDF_FILE_IO_ERROR: return TL_EIO;
	case HPDF_INVALID_FONTDEF_DATA:
	case HPDF_INVALID_IMAGE:
	case HPDF_INVALID_PNG_IMAGE:
	case HPDF_LIBPNG_ERROR:
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE: return TL_EFORMAT;
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
	case HPDF_UNSUPPORTED_FONT_TYPE:
	case HPDF_UNSUPPORTED_FUNC: return TL_EUNSUPPORTED;
	case HPDF_FAILD_TO_ALLOC_MEM: return TL_ENOMEM;
	default: return TL_EINVAL;
	}
}

/* libharu's error callback: record the first error; the failing call then returns a
 * status that the wrapper turns into the sticky code. */
static void on_hpdf_error(HPDF_STATUS e, HPDF_STATUS detail, void *user)
{
	tl_pdf_t *d = user;
	tl_pdf_set_err(d, hpdf_to_tl(e, detail), "PDF writer: %s (libharu error 0x%04X, detail %u)",
		       hpdf_describe(e), (unsigned)e, (unsigned)detail);
}

int tl_pdf_chk(tl_pdf_t *d, HPDF_STATUS st, const char *what)
{
	if (st != HPDF_OK && !d->err)
		tl_pdf_set_err(d, hpdf_to_tl(st, 0), "PDF writer: %s failed (libharu error 0x%04X)",
			       what, (unsigned)st);
	return d->err;
}

static void *hpdf_alloc(HPDF_UINT size)
{
	return tl_xmalloc(size ? size : 1);
}

static void hpdf_free(void *p)
{
	free(p);
}

int tl_pdf_ready(tl_pdf_t *d, int need_page)
{
	if (!d)
		return TL_EINVAL;
	if (d->err)
		return d->err;
	if (d->saved) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: document already saved");
		return d->err;
	}
	if (need_page && d->npages == 0) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: no page to draw on");
		return d->err;
	}
	return TL_OK;
}

HPDF_Page tl_pdf_cur_page(tl_pdf_t *d)
{
	return d->pages[d->cur];
}

double tl_pdf_px(const tl_pdf_t *d, double x)
{
	return d->ox + x;
}

double tl_pdf_py(const tl_pdf_t *d, double y)
{
	return TL_PDF_PAGE_H - (d->oy + y);
}

int tl_pdf_finite_all(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	int ok = 1;
	for (int i = 0; i < n; i++)
		if (!isfinite(va_arg(ap, double)))
			ok = 0;
	va_end(ap);
	return ok;
}

int tl_pdf_bad_number(tl_pdf_t *d, const char *what)
{
	tl_pdf_set_err(d, TL_EINVAL, "PDF writer: %s: coordinate or size is not a finite number",
		       what);
	return d->err;
}

/* ---- text strings ---------------------------------------------------------------------- */

/* Decodes one code point of valid UTF-8 at s (left bytes); returns its length, or 0 when
 * the bytes there are not valid UTF-8. */
static size_t utf8_next(const char *s, size_t left, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = tl_utf8_len(u, left);
	if (n == 0)
		return 0;
	uint32_t v = n == 1 ? u[0] : n == 2 ? (u[0] & 0x1Fu) : n == 3 ? (u[0] & 0x0Fu) : (u[0] & 0x07u);
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (u[i] & 0x3Fu);
	*cp = v;
	return n;
}

static void put_utf8(tl_buf_t *b, uint32_t cp)
{
	char o[4];
	size_t n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	tl_buf_append(b, o, n);
}

/* Text as the font can show it: invalid UTF-8, control characters, code points outside
 * the BMP (libharu's UTF-8 encoder handles only the BMP) and characters without a glyph
 * become the replacement character. */
static void text_for_font(tl_pdf_t *d, tl_pdf_font_t f, const char *s, tl_buf_t *out)
{
	HPDF_FontDef def = ((HPDF_FontAttr)d->font[f]->attr)->fontdef;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			cp = d->replacement;
			n = 1;
		} else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0xFFFF ||
			   HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) == 0) {
			cp = d->replacement;
		}
		put_utf8(out, cp);
		i += n;
	}
}

void *tl_pdf_text_string(tl_pdf_t *d, const char *s)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	size_t len = strlen(s);
	int ascii = 1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
			ascii = 0;
	if (ascii)
		return HPDF_String_New(mm, s, NULL);
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_append(&b, "\xFE\xFF", 2);
	size_t i = 0;
	while (i < len) {
		uint32_t cp = 0xFFFD;
		size_t n = utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			cp = 0xFFFD;
			n = 1;
		}
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
			unsigned char u[4] = {(unsigned char)(hi >> 8), (unsigned char)hi,
					      (unsigned char)(lo >> 8), (unsigned char)lo};
			tl_buf_append(&b, u, 4);
		} else {
			unsigned char u[2] = {(unsigned char)(cp >> 8), (unsigned char)cp};
			tl_buf_append(&b, u, 2);
		}
		i += n;
	}
	void *obj = HPDF_Binary_New(mm, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	tl_buf_free(&b);
	return obj;
}

void tl_pdf_xml_escaped(tl_buf_t *b, const char *s)
{
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			cp = 0xFFFD;
			n = 1;
		}
		if (cp == '&')
			tl_buf_puts(b, "&amp;");
		else if (cp == '<')
			tl_buf_puts(b, "&lt;");
		else if (cp == '>')
			tl_buf_puts(b, "&gt;");
		else if (cp == '"')
			tl_buf_puts(b, "&quot;");
		else if (cp == '\'')
			tl_buf_puts(b, "&apos;");
		else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
			 cp == 0xFFFF)
			put_utf8(b, 0xFFFD);
		else
			put_utf8(b, cp);
		i += n;
	}
}

/* A real number as PDF writes it: at most 4 decimals, no exponent, no trailing zeros. */
static void put_real(tl_buf_t *b, double v)
{
	char s[64];
	if (!isfinite(v) || fabs(v) > 1e9)
		v = 0;
	snprintf(s, sizeof(s), "%.4f", v);
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		n--;
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 2 && s[0] == '-' && s[1] == '0') /* "-0.0001" rounds to "-0" */
		tl_buf_putc(b, '0');
	else
		tl_buf_append(b, s, n);
}

/* ---- document ------------------------------------------------------------------------ */

void tl_pdf_options_init(tl_pdf_options_t *o)
{
	memset(o, 0, sizeof(*o));
	o->level = TL_PDF_A3B;
}

static char *dup_opt(const char *s)
{
	return s ? tl_xstrdup(s) : NULL;
}

/* libharu 2.3.0 creates a TrueType CID font's descriptor (and embeds the subset) only
 * while saving, in the Type0 font's before-write callback. This is that callback; the
 * same library function for every such font, so one process-wide copy suffices. */
static HPDF_Dict_BeforeWriteFunc libharu_cid_before_write;

/* Runs libharu's callback, then completes the descriptor it made:
 * - libharu 2.3.0 defect: the CID font descriptor lacks /CapHeight, which PDF 1.7
 *   Table 122 requires (PDFBox preflight checks it).
 * - libharu 2.3.0 defect: the subset has no /CIDSet; ISO 19005-1 6.3.5 requires one
 *   naming every CID in the subset. libharu's UTF-8 encoder makes CID = BMP code point,
 *   and its subsetter keeps the glyphs flagged in glyph_tbl.flgs (every glyph drawn or
 *   measured), so a CID is present when its glyph is flagged. Bit 7 of byte 0 is CID 0
 *   (PDF 1.7 Table 124); glyph 0, .notdef, is always kept. */
static HPDF_STATUS font_before_write(HPDF_Dict obj)
{
	HPDF_STATUS st = libharu_cid_before_write(obj);
	if (st != HPDF_OK)
		return st;
	HPDF_FontAttr fa = (HPDF_FontAttr)obj->attr;
	HPDF_FontDef def = fa->fontdef;
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;
	HPDF_Dict desc = def->descriptor;
	if (!desc || !ta->glyph_tbl.flgs)
		return HPDF_INVALID_FONTDEF_DATA;
	if (HPDF_Dict_GetItem(desc, "CIDSet", HPDF_OCLASS_DICT))
		return HPDF_OK; /* a second font on the same definition */
	uint8_t set[65536 / 8];
	memset(set, 0, sizeof(set));
	size_t last = 0;
	set[0] = 0x80;
	for (uint32_t cid = 1; cid < 65536; cid++) {
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cid);
		if (gid != 0 && gid < ta->num_glyphs && ta->glyph_tbl.flgs[gid]) {
			set[cid >> 3] |= (uint8_t)(0x80u >> (cid & 7));
			last = cid >> 3;
		}
	}
	HPDF_Dict cs = HPDF_DictStream_New(obj->mmgr, fa->xref);
	if (!cs)
		return HPDF_FAILD_TO_ALLOC_MEM;
	cs->filter = obj->filter;
	if ((st = HPDF_Stream_Write(cs->stream, set, (HPDF_UINT)(last + 1))) != HPDF_OK ||
	    (st = HPDF_Dict_Add(desc, "CIDSet", cs)) != HPDF_OK ||
	    (st = HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height)) != HPDF_OK)
		return st;
	return HPDF_OK;
}

static int load_font(tl_pdf_t *d, tl_pdf_font_t f, const char *path)
{
	const char *name = HPDF_LoadTTFontFromFile(d->pdf, path, HPDF_TRUE);
	if (!name) {
		if (d->err) { /* say which file */
			char prev[256];
			memcpy(prev, d->msg, sizeof(prev) - 1);
			prev[sizeof(prev) - 1] = '\0';
			snprintf(d->msg, sizeof(d->msg), "font %s: %s", path, prev);
		}
		tl_pdf_set_err(d, TL_EFORMAT, "PDF writer: cannot load font %s", path);
		return d->err;
	}
	d->font[f] = HPDF_GetFont(d->pdf, name, "UTF-8");
	if (!d->font[f]) {
		tl_pdf_set_err(d, TL_EFORMAT, "PDF writer: font %s has no UTF-8 (CID) form", path);
		return d->err;
	}
	/* See font_before_write: chain our fixes after libharu's descriptor code. */
	HPDF_Font font = d->font[f];
	if (!libharu_cid_before_write)
		libharu_cid_before_write = font->before_write_fn;
	if (!font->before_write_fn || font->before_write_fn != libharu_cid_before_write) {
		tl_pdf_set_err(d, TL_EUNSUPPORTED,
			       "PDF writer: font %s: unexpected libharu font type", path);
		return d->err;
	}
	font->before_write_fn = font_before_write;
	return TL_OK;
}

int tl_pdf_new(const tl_pdf_options_t *o, tl_pdf_t **out, char **errmsg)
{
	char msg[512] = "";
	int rc = TL_OK;
	if (!o || !out || (o->level != TL_PDF_A3B && o->level != TL_PDF_A1B)) {
		snprintf(msg, sizeof(msg), "PDF writer: bad options (PDF/A level must be 3b or 1b)");
		rc = TL_EINVAL;
	} else if (o->created < 0 || o->created > INT64_C(253402300799)) {
		snprintf(msg, sizeof(msg), "PDF writer: creation date %lld is outside 1970..9999",
			 (long long)o->created);
		rc = TL_EINVAL;
	} else if (!o->icc_path) {
		snprintf(msg, sizeof(msg), "PDF writer: no ICC profile path for the OutputIntent");
		rc = TL_EINVAL;
	}
	for (int f = 0; rc == TL_OK && f < TL_PDF_NFONTS; f++)
		if (!o->font_path[f]) {
			snprintf(msg, sizeof(msg), "PDF writer: no path for font %d", f);
			rc = TL_EINVAL;
		}
	tl_pdf_t *d = NULL;
	if (rc == TL_OK) {
		d = tl_xcalloc(1, sizeof(*d));
		d->level = o->level;
		d->created = o->created;
		memcpy(d->doc_id, o->doc_id, sizeof(d->doc_id));
		d->title = dup_opt(o->title);
		d->subject = dup_opt(o->subject);
		d->author = dup_opt(o->author);
		d->keywords = dup_opt(o->keywords);
		d->case_number = dup_opt(o->case_number);
		d->report_id = dup_opt(o->report_id);
		d->creator = tl_xstrdup(o->creator ? o->creator : "tealeaves");
		d->producer = tl_xstrdup(o->producer ? o->producer : "tealeaves with libharu 2.3.0");
		char *icc = NULL;
		rc = tl_file_read_any(o->icc_path, (size_t)16 << 20, &icc, &d->icc_len);
		d->icc = (uint8_t *)icc;
		if (rc == TL_ELIMIT)
			snprintf(msg, sizeof(msg), "PDF writer: %s: larger than 16 MiB", o->icc_path);
		else if (rc == TL_EIO)
			snprintf(msg, sizeof(msg), "PDF writer: cannot read %s", o->icc_path);
		else if (rc != TL_OK)
			snprintf(msg, sizeof(msg), "PDF writer: cannot open %s: %s", o->icc_path,
				 strerror(errno));
		if (rc == TL_OK && (d->icc_len < 132 || memcmp(d->icc + 36, "acsp", 4) != 0)) {
			/* ICC.1 section 7.2: the header is 128 bytes, "acsp" at byte 36 */
			snprintf(msg, sizeof(msg), "PDF writer: %s is not an ICC profile", o->icc_path);
			rc = TL_EFORMAT;
		}
	}
	if (rc == TL_OK) {
		d->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, d);
		if (!d->pdf) {
			snprintf(msg, sizeof(msg), "PDF writer: cannot create a libharu document");
			rc = TL_ENOMEM;
		}
	}
	if (rc == TL_OK) {
		/* Same compression for every run; zlib's output is deterministic. */
		tl_pdf_chk(d, HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL), "set compression");
		tl_pdf_chk(d, HPDF_UseUTFEncodings(d->pdf), "enable UTF-8");
		for (int f = 0; !d->err && f < TL_PDF_NFONTS; f++)
			load_font(d, (tl_pdf_font_t)f, o->font_path[f]);
		d->replacement = 0xFFFD;
		for (int f = 0; !d->err && f < TL_PDF_NFONTS; f++) {
			HPDF_FontDef def = ((HPDF_FontAttr)d->font[f]->attr)->fontdef;
			if (HPDF_TTFontDef_GetGlyphid(def, 0xFFFD) == 0)
				d->replacement = '?';
		}
		rc = d->err;
		if (rc)
			snprintf(msg, sizeof(msg), "%s", d->msg);
	}
	if (rc != TL_OK) {
		tl_pdf_free(d);
		if (errmsg)
			*errmsg = tl_xstrdup(msg);
		return rc;
	}
	*out = d;
	return TL_OK;
}

void tl_pdf_free(tl_pdf_t *d)
{
	if (!d)
		return;
	if (d->pdf)
		HPDF_Free(d->pdf);
	for (struct tl_pdf_outline *o = d->outlines, *n; o; o = n) {
		n = o->next;
		free(o);
	}
	for (struct tl_pdf_image *i = d->images, *n; i; i = n) {
		n = i->next;
		free(i);
	}
	for (size_t i = 0; i < d->natt; i++)
		free(d->att[i].key);
	free(d->att);
	free(d->pages);
	free(d->icc);
	free(d->title);
	free(d->subject);
	free(d->author);
	free(d->keywords);
	free(d->case_number);
	free(d->report_id);
	free(d->creator);
	free(d->producer);
	free(d);
}

const char *tl_pdf_errmsg(const tl_pdf_t *d)
{
	return d ? d->msg : "";
}

/* ---- pages ------------------------------------------------------------------------- */

int tl_pdf_page_add(tl_pdf_t *d)
{
	int rc = tl_pdf_ready(d, 0);
	if (rc)
		return rc;
	if (d->in_path || d->in_chart) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: page added inside a path or chart");
		return d->err;
	}
	HPDF_Page p = HPDF_AddPage(d->pdf);
	if (!p)
		return tl_pdf_chk(d, HPDF_INVALID_PAGE, "add page");
	if (tl_pdf_chk(d, HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT), "set A4"))
		return d->err;
	if (d->npages == d->pages_cap) {
		d->pages_cap = d->pages_cap ? d->pages_cap * 2 : 16;
		d->pages = tl_xrealloc(d->pages, d->pages_cap * sizeof(*d->pages));
	}
	d->pages[d->npages] = p;
	d->cur = d->npages++;
	return TL_OK;
}

size_t tl_pdf_page_count(const tl_pdf_t *d)
{
	return d ? d->npages : 0;
}

int tl_pdf_page_select(tl_pdf_t *d, size_t index)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (index >= d->npages || d->in_path || d->in_chart) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: cannot select page %zu of %zu here",
			       index + 1, d->npages);
		return d->err;
	}
	d->cur = index;
	return TL_OK;
}

int tl_pdf_each_page(tl_pdf_t *d, tl_pdf_page_fn fn, void *ctx)
{
	int rc = tl_pdf_ready(d, 0);
	if (rc)
		return rc;
	for (size_t i = 0; i < d->npages; i++) {
		if ((rc = tl_pdf_page_select(d, i)) != TL_OK)
			return rc;
		if ((rc = fn(d, i, d->npages, ctx)) != TL_OK)
			return rc;
	}
	return d->err;
}

/* ---- text ------------------------------------------------------------------------------ */

static int text_args(tl_pdf_t *d, tl_pdf_font_t f, double size, const char *s)
{
	if ((unsigned)f >= TL_PDF_NFONTS || !s || !(size > 0 && size <= 300)) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad font, size or text");
		return d->err;
	}
	if (strlen(s) > TEXT_MAX) {
		tl_pdf_set_err(d, TL_ELIMIT, "PDF writer: text longer than %d bytes", TEXT_MAX);
		return d->err;
	}
	return TL_OK;
}

int tl_pdf_text_ex(tl_pdf_t *d, tl_pdf_font_t f, double size, double x, double y, double angle,
		   tl_pdf_rgb_t c, const char *utf8)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc || (rc = text_args(d, f, size, utf8)))
		return rc;
	if (d->in_path) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: text inside a path");
		return d->err;
	}
	if (!tl_pdf_finite_all(6, x, y, angle, c.r, c.g, c.b))
		return tl_pdf_bad_number(d, "text");
	if (!*utf8)
		return TL_OK;
	tl_buf_t b;
	tl_buf_init(&b);
	text_for_font(d, f, utf8, &b);
	HPDF_Page p = tl_pdf_cur_page(d);
	double a = angle * 3.14159265358979323846 / 180.0;
	double ca = cos(a), sa = sin(a);
	if (angle == 0)
		ca = 1, sa = 0;
	tl_pdf_chk(d, HPDF_Page_SetRGBFill(p, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b),
		   "colour");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_BeginText(p), "begin text");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_SetFontAndSize(p, d->font[f], (HPDF_REAL)size), "set font");
	if (!d->err)
		tl_pdf_chk(d,
			   HPDF_Page_SetTextMatrix(p, (HPDF_REAL)ca, (HPDF_REAL)sa, (HPDF_REAL)-sa,
						   (HPDF_REAL)ca, (HPDF_REAL)tl_pdf_px(d, x),
						   (HPDF_REAL)tl_pdf_py(d, y)),
			   "place text");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_ShowText(p, b.data), "show text");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_EndText(p), "end text");
	tl_buf_free(&b);
	return d->err;
}

int tl_pdf_text(tl_pdf_t *d, tl_pdf_font_t f, double size, double x, double y, const char *utf8)
{
	tl_pdf_rgb_t black = {0, 0, 0};
	return tl_pdf_text_ex(d, f, size, x, y, 0, black, utf8);
}

double tl_pdf_text_width(tl_pdf_t *d, tl_pdf_font_t f, double size, const char *utf8)
{
	if (tl_pdf_ready(d, 0) || text_args(d, f, size, utf8) || !*utf8)
		return 0;
	tl_buf_t b;
	tl_buf_init(&b);
	text_for_font(d, f, utf8, &b);
	HPDF_TextWidth tw = HPDF_Font_TextWidth(d->font[f], (const HPDF_BYTE *)b.data,
						(HPDF_UINT)b.len);
	tl_buf_free(&b);
	if (d->err)
		return 0;
	return (double)tw.width * size / 1000.0;
}

void tl_pdf_font_metrics(tl_pdf_t *d, tl_pdf_font_t f, double size, double *ascent,
			 double *descent)
{
	double a = 0, de = 0;
	if (d && d->pdf && (unsigned)f < TL_PDF_NFONTS && d->font[f]) {
		a = HPDF_Font_GetAscent(d->font[f]) * size / 1000.0;
		de = -HPDF_Font_GetDescent(d->font[f]) * size / 1000.0;
	}
	if (ascent)
		*ascent = a;
	if (descent)
		*descent = de;
}

/* ---- paths ------------------------------------------------------------------------------ */

int tl_pdf_path_begin(tl_pdf_t *d, const tl_pdf_style_t *s)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (d->in_path || !s || s->n_dash < 0 || s->n_dash > 8 || s->line_cap < 0 ||
	    s->line_cap > 2 || s->line_join < 0 || s->line_join > 2 ||
	    !tl_pdf_finite_all(9, s->line_width, s->fill_rgb.r, s->fill_rgb.g, s->fill_rgb.b,
			       s->stroke_rgb.r, s->stroke_rgb.g, s->stroke_rgb.b, s->dash_offset,
			       0.0) ||
	    s->line_width < 0) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad path style (or a path already open)");
		return d->err;
	}
	double dash_sum = 0;
	for (int i = 0; i < s->n_dash; i++) {
		if (!isfinite(s->dash[i]) || s->dash[i] < 0) {
			tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad dash length");
			return d->err;
		}
		dash_sum += s->dash[i];
	}
	if (s->n_dash > 0 && dash_sum <= 0) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: dash pattern of zero length");
		return d->err;
	}
	HPDF_Page p = tl_pdf_cur_page(d);
	/* libharu 2.3.0 refuses colour, width and dash changes once a path has started (error
	 * 0x1051, HPDF_PAGE_INVALID_GMODE): the whole style is set here, before the first
	 * move-to. */
	tl_pdf_chk(d, HPDF_Page_SetLineWidth(p, (HPDF_REAL)s->line_width), "line width");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_SetLineCap(p, (HPDF_LineCap)s->line_cap), "line cap");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_SetLineJoin(p, (HPDF_LineJoin)s->line_join), "line join");
	if (!d->err)
		tl_pdf_chk(d,
			   HPDF_Page_SetRGBFill(p, (HPDF_REAL)s->fill_rgb.r,
						(HPDF_REAL)s->fill_rgb.g, (HPDF_REAL)s->fill_rgb.b),
			   "fill colour");
	if (!d->err)
		tl_pdf_chk(d,
			   HPDF_Page_SetRGBStroke(p, (HPDF_REAL)s->stroke_rgb.r,
						  (HPDF_REAL)s->stroke_rgb.g,
						  (HPDF_REAL)s->stroke_rgb.b),
			   "stroke colour");
	if (d->err)
		return d->err;
	/* libharu 2.3.0 defect: HPDF_Page_SetDash takes integer (HPDF_UINT16) lengths, so a
	 * chart's 1.5 pt dashes would be rounded. The "d" operator (PDF 1.7 section 8.4.3.6)
	 * is written into the page's content stream directly instead; libharu's own record
	 * of the dash (read only by HPDF_Page_GetDash, which we never call) goes stale. */
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_putc(&b, '[');
	for (int i = 0; i < s->n_dash; i++) {
		if (i)
			tl_buf_putc(&b, ' ');
		put_real(&b, s->dash[i]);
	}
	tl_buf_puts(&b, "] ");
	put_real(&b, s->n_dash ? s->dash_offset : 0);
	tl_buf_puts(&b, " d\012");
	HPDF_PageAttr attr = (HPDF_PageAttr)p->attr;
	tl_pdf_chk(d, HPDF_Stream_WriteStr(attr->stream, b.data), "dash");
	tl_buf_free(&b);
	if (d->err)
		return d->err;
	d->path_style = *s;
	d->in_path = 1;
	d->path_segments = 0;
	return TL_OK;
}

static int in_path(tl_pdf_t *d, const char *what)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (!d->in_path) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: %s outside a path", what);
		return d->err;
	}
	return TL_OK;
}

int tl_pdf_move_to(tl_pdf_t *d, double x, double y)
{
	int rc = in_path(d, "move-to");
	if (rc)
		return rc;
	if (!tl_pdf_finite_all(2, x, y))
		return tl_pdf_bad_number(d, "move-to");
	d->path_segments++;
	return tl_pdf_chk(d,
			  HPDF_Page_MoveTo(tl_pdf_cur_page(d), (HPDF_REAL)tl_pdf_px(d, x),
					   (HPDF_REAL)tl_pdf_py(d, y)),
			  "move-to");
}

static int need_current_point(tl_pdf_t *d, const char *what)
{
	if (d->path_segments == 0) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: %s before any move-to", what);
		return d->err;
	}
	return TL_OK;
}

int tl_pdf_line_to(tl_pdf_t *d, double x, double y)
{
	int rc = in_path(d, "line-to");
	if (rc || (rc = need_current_point(d, "line-to")))
		return rc;
	if (!tl_pdf_finite_all(2, x, y))
		return tl_pdf_bad_number(d, "line-to");
	return tl_pdf_chk(d,
			  HPDF_Page_LineTo(tl_pdf_cur_page(d), (HPDF_REAL)tl_pdf_px(d, x),
					   (HPDF_REAL)tl_pdf_py(d, y)),
			  "line-to");
}

int tl_pdf_curve_to(tl_pdf_t *d, double x1, double y1, double x2, double y2, double x3,
		    double y3)
{
	int rc = in_path(d, "curve-to");
	if (rc || (rc = need_current_point(d, "curve-to")))
		return rc;
	if (!tl_pdf_finite_all(6, x1, y1, x2, y2, x3, y3))
		return tl_pdf_bad_number(d, "curve-to");
	return tl_pdf_chk(
	    d,
	    HPDF_Page_CurveTo(tl_pdf_cur_page(d), (HPDF_REAL)tl_pdf_px(d, x1),
			      (HPDF_REAL)tl_pdf_py(d, y1), (HPDF_REAL)tl_pdf_px(d, x2),
			      (HPDF_REAL)tl_pdf_py(d, y2), (HPDF_REAL)tl_pdf_px(d, x3),
			      (HPDF_REAL)tl_pdf_py(d, y3)),
	    "curve-to");
}

int tl_pdf_close_path(tl_pdf_t *d)
{
	int rc = in_path(d, "close-path");
	if (rc || (rc = need_current_point(d, "close-path")))
		return rc;
	return tl_pdf_chk(d, HPDF_Page_ClosePath(tl_pdf_cur_page(d)), "close-path");
}

int tl_pdf_path_end(tl_pdf_t *d)
{
	int rc = in_path(d, "path end");
	if (rc)
		return rc;
	d->in_path = 0;
	if (d->path_segments == 0)
		return TL_OK;
	const tl_pdf_style_t *s = &d->path_style;
	HPDF_Page p = tl_pdf_cur_page(d);
	HPDF_STATUS st;
	if (s->fill && s->stroke)
		st = s->even_odd ? HPDF_Page_EofillStroke(p) : HPDF_Page_FillStroke(p);
	else if (s->fill)
		st = s->even_odd ? HPDF_Page_Eofill(p) : HPDF_Page_Fill(p);
	else if (s->stroke)
		st = HPDF_Page_Stroke(p);
	else
		st = HPDF_Page_EndPath(p);
	return tl_pdf_chk(d, st, "paint path");
}

int tl_pdf_line(tl_pdf_t *d, double x1, double y1, double x2, double y2,
		const tl_pdf_style_t *style)
{
	int rc = tl_pdf_path_begin(d, style);
	if (!rc)
		rc = tl_pdf_move_to(d, x1, y1);
	if (!rc)
		rc = tl_pdf_line_to(d, x2, y2);
	if (!rc)
		rc = tl_pdf_path_end(d);
	return rc;
}

int tl_pdf_rect(tl_pdf_t *d, double x, double y, double w, double h, const tl_pdf_style_t *style)
{
	int rc = tl_pdf_path_begin(d, style);
	if (!rc)
		rc = tl_pdf_move_to(d, x, y);
	if (!rc)
		rc = tl_pdf_line_to(d, x + w, y);
	if (!rc)
		rc = tl_pdf_line_to(d, x + w, y + h);
	if (!rc)
		rc = tl_pdf_line_to(d, x, y + h);
	if (!rc)
		rc = tl_pdf_close_path(d);
	if (!rc)
		rc = tl_pdf_path_end(d);
	return rc;
}

/* ---- charts ---------------------------------------------------------------------------- */

int tl_pdf_chart_begin(tl_pdf_t *d, double x, double y, double w, double h)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (d->in_chart || d->in_path) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: chart begun inside a chart or path");
		return d->err;
	}
	if (!tl_pdf_finite_all(4, x, y, w, h) || w <= 0 || h <= 0)
		return tl_pdf_bad_number(d, "chart box");
	HPDF_Page p = tl_pdf_cur_page(d);
	tl_pdf_chk(d, HPDF_Page_GSave(p), "save state");
	if (!d->err)
		tl_pdf_chk(d,
			   HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)(TL_PDF_PAGE_H - y - h),
					       (HPDF_REAL)w, (HPDF_REAL)h),
			   "clip box");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_Clip(p), "clip");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Page_EndPath(p), "clip");
	if (d->err)
		return d->err;
	d->in_chart = 1;
	d->ox = x;
	d->oy = y;
	return TL_OK;
}

int tl_pdf_chart_end(tl_pdf_t *d)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (!d->in_chart || d->in_path) {
		tl_pdf_set_err(d, TL_EINVAL,
			       "PDF writer: chart end without a chart (or inside a path)");
		return d->err;
	}
	d->in_chart = 0;
	d->ox = d->oy = 0;
	return tl_pdf_chk(d, HPDF_Page_GRestore(tl_pdf_cur_page(d)), "restore state");
}

/* ---- navigation ----------------------------------------------------------------------- */

/* A direct [page /Fit] destination array. PDFBox's PDF/A-1b preflight rejects outline
 * entries whose /Dest is an indirect object, which is what libharu 2.3.0's
 * HPDF_Page_CreateDestination makes. */
static HPDF_Array fit_dest(tl_pdf_t *d, size_t page_index)
{
	HPDF_Array a = HPDF_Array_New(d->pdf->mmgr);
	if (!a) {
		tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "destination");
		return NULL;
	}
	if (tl_pdf_chk(d, HPDF_Array_Add(a, d->pages[page_index]), "destination") ||
	    tl_pdf_chk(d, HPDF_Array_AddName(a, "Fit"), "destination")) {
		HPDF_Array_Free(a);
		return NULL;
	}
	return a;
}

int tl_pdf_outline_add(tl_pdf_t *d, tl_pdf_outline_t *parent, const char *title,
		       size_t page_index, int open, tl_pdf_outline_t **out)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (!title || page_index >= d->npages) {
		tl_pdf_set_err(d, TL_EINVAL,
			       "PDF writer: bookmark without a title or to page %zu of %zu",
			       page_index + 1, d->npages);
		return d->err;
	}
	HPDF_Outline o = HPDF_CreateOutline(d->pdf, parent ? parent->o : NULL, "", NULL);
	if (!o)
		return tl_pdf_chk(d, HPDF_INVALID_OUTLINE, "bookmark");
	/* The title as a UTF-16BE text string, replacing the empty one: the same encoding as
	 * the document information, independent of libharu's encoders. */
	void *t = tl_pdf_text_string(d, title);
	if (!t || tl_pdf_chk(d, HPDF_Dict_Add(o, "Title", t), "bookmark title"))
		return tl_pdf_chk(d, HPDF_INVALID_OUTLINE, "bookmark title");
	HPDF_Array dest = fit_dest(d, page_index);
	if (!dest || tl_pdf_chk(d, HPDF_Dict_Add(o, "Dest", dest), "bookmark destination"))
		return tl_pdf_chk(d, HPDF_INVALID_OUTLINE, "bookmark destination");
	if (tl_pdf_chk(d, HPDF_Outline_SetOpened(o, open ? HPDF_TRUE : HPDF_FALSE), "bookmark"))
		return d->err;
	struct tl_pdf_outline *h = tl_xcalloc(1, sizeof(*h));
	h->o = o;
	h->next = d->outlines;
	d->outlines = h;
	if (out)
		*out = h;
	return TL_OK;
}

int tl_pdf_link(tl_pdf_t *d, double x, double y, double w, double h, size_t page_index)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (page_index >= d->npages) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: link to page %zu of %zu", page_index + 1,
			       d->npages);
		return d->err;
	}
	if (!tl_pdf_finite_all(4, x, y, w, h) || w <= 0 || h <= 0)
		return tl_pdf_bad_number(d, "link box");
	HPDF_Rect r = {(HPDF_REAL)tl_pdf_px(d, x), (HPDF_REAL)tl_pdf_py(d, y + h),
		       (HPDF_REAL)tl_pdf_px(d, x + w), (HPDF_REAL)tl_pdf_py(d, y)};
	HPDF_Destination dst = HPDF_Page_CreateDestination(d->pages[page_index]);
	if (!dst)
		return tl_pdf_chk(d, HPDF_INVALID_DESTINATION, "link destination");
	HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(tl_pdf_cur_page(d), r, dst);
	if (!a)
		return tl_pdf_chk(d, HPDF_INVALID_ANNOTATION, "link");
	/* libharu 2.3.0 defect: link annotations lack /F; PDF/A-1 (ISO 19005-1 6.5.3)
	 * requires the Print flag (4) set and Hidden, Invisible, NoView clear. The border is
	 * switched off so the link does not draw a box. The destination is made direct as
	 * for bookmarks. */
	HPDF_Array dest = fit_dest(d, page_index);
	if (!dest)
		return d->err;
	tl_pdf_chk(d, HPDF_Dict_Add(a, "Dest", dest), "link destination");
	if (!d->err)
		tl_pdf_chk(d, HPDF_Dict_AddNumber(a, "F", 4), "link flags");
	if (!d->err)
		tl_pdf_chk(d, HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0), "link border");
	return d->err;
}

int tl_pdf_page_label(tl_pdf_t *d, size_t first_page, tl_pdf_label_t style,
		      unsigned first_number, const char *prefix)
{
	int rc = tl_pdf_ready(d, 0);
	if (rc)
		return rc;
	HPDF_PageNumStyle st = style == TL_PDF_LABEL_ROMAN_LOWER   ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
			       : style == TL_PDF_LABEL_ROMAN_UPPER ? HPDF_PAGE_NUM_STYLE_UPPER_ROMAN
								   : HPDF_PAGE_NUM_STYLE_DECIMAL;
	if ((unsigned)style > TL_PDF_LABEL_ROMAN_UPPER || first_number < 1 ||
	    first_page > 1000000) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad page label");
		return d->err;
	}
	for (const char *p = prefix; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E) {
			tl_pdf_set_err(d, TL_EINVAL, "PDF writer: page label prefix must be ASCII");
			return d->err;
		}
	return tl_pdf_chk(
	    d, HPDF_AddPageLabel(d->pdf, (HPDF_UINT)first_page, st, first_number, prefix),
	    "page label");
}

const char *tl_pdf_libharu_version(void)
{
	return HPDF_GetVersion();
}
