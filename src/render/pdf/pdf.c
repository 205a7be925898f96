/* pdf.c - the PDF/A document writer: the one file that includes libharu, and the one place
 * for its 2.3.0 workarounds (each marked "libharu 2.3.0 defect"). */
#include "render/pdf/pdf.h"

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
#include <hpdf_pages.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/cursor.h"
#include "util/error.h"
#include "util/file.h"
#include "util/time.h"
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

#define TEXT_MAX 65536 /* bytes of UTF-8 in one text call */
#define XMP_NS "https://tealeaves.invalid/ns/report/1.0/"

struct tl_pdf_outline {
	HPDF_Outline o;
	struct tl_pdf_outline *next;
};

struct tl_pdf_image {
	HPDF_Image img;
	unsigned w, h;
	struct tl_pdf_image *next;
};

typedef struct attachment {
	char *key; /* ASCII name: /F and the name-tree key */
	HPDF_Dict filespec;
} attachment_t;

struct tl_pdf {
	HPDF_Doc pdf;
	tl_pdf_level_t level;
	int err;
	char msg[512];
	char *title, *subject, *author, *keywords, *case_number, *report_id, *creator,
		*producer;
	int64_t created;
	uint8_t doc_id[16];
	uint8_t *icc;
	size_t icc_len;
	HPDF_Font font[TL_PDF_NFONTS];
	uint32_t replacement;         /* U+FFFD, or '?' when a font lacks it */
	HPDF_Page *pages;
	size_t npages, pages_cap, cur;
	int in_path, path_segments, in_chart;
	tl_pdf_style_t path_style;
	double ox, oy; /* origin offset while in a chart */
	struct tl_pdf_outline *outlines;
	struct tl_pdf_image *images;
	attachment_t *att;
	size_t natt;
	int saved;
};

/* ---- errors ---------------------------------------------------------------------------- */

static void set_err(tl_pdf_t *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(tl_pdf_t *d, int code, const char *fmt, ...)
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
	set_err(d, hpdf_to_tl(e, detail), "PDF writer: %s (libharu error 0x%04X, detail %u)",
		hpdf_describe(e), (unsigned)e, (unsigned)detail);
}

/* Turns a libharu status into our code; what names the operation. */
static int chk(tl_pdf_t *d, HPDF_STATUS st, const char *what)
{
	if (st != HPDF_OK && !d->err)
		set_err(d, hpdf_to_tl(st, 0), "PDF writer: %s failed (libharu error 0x%04X)", what,
			(unsigned)st);
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

/* Common entry check for drawing calls. */
static int ready(tl_pdf_t *d, int need_page)
{
	if (!d)
		return TL_EINVAL;
	if (d->err)
		return d->err;
	if (d->saved) {
		set_err(d, TL_EINVAL, "PDF writer: document already saved");
		return d->err;
	}
	if (need_page && d->npages == 0) {
		set_err(d, TL_EINVAL, "PDF writer: no page to draw on");
		return d->err;
	}
	return TL_OK;
}

static HPDF_Page page(tl_pdf_t *d)
{
	return d->pages[d->cur];
}

/* Our coordinates (Y down, chart offset) to PDF user space (Y up). */
static double px(const tl_pdf_t *d, double x)
{
	return d->ox + x;
}

static double py(const tl_pdf_t *d, double y)
{
	return TL_PDF_PAGE_H - (d->oy + y);
}

static int finite_all(int n, ...)
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

static int bad_number(tl_pdf_t *d, const char *what)
{
	set_err(d, TL_EINVAL, "PDF writer: %s: coordinate or size is not a finite number", what);
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

/* A PDF text string: plain when printable ASCII, else UTF-16BE with a byte order mark
 * (PDF 1.7 section 7.9.2.2). Invalid UTF-8 becomes U+FFFD. */
static void *text_string(tl_pdf_t *d, const char *s)
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

/* Appends s XML-escaped (XML 1.0 section 2.4; characters not allowed in XML 1.0, section
 * 2.2, become U+FFFD). libharu 2.3.0 defect: its XMP writer escapes nothing. */
static void xml_escaped(tl_buf_t *b, const char *s)
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
		set_err(d, TL_EFORMAT, "PDF writer: cannot load font %s", path);
		return d->err;
	}
	d->font[f] = HPDF_GetFont(d->pdf, name, "UTF-8");
	if (!d->font[f]) {
		set_err(d, TL_EFORMAT, "PDF writer: font %s has no UTF-8 (CID) form", path);
		return d->err;
	}
	/* See font_before_write: chain our fixes after libharu's descriptor code. */
	HPDF_Font font = d->font[f];
	if (!libharu_cid_before_write)
		libharu_cid_before_write = font->before_write_fn;
	if (!font->before_write_fn || font->before_write_fn != libharu_cid_before_write) {
		set_err(d, TL_EUNSUPPORTED, "PDF writer: font %s: unexpected libharu font type", path);
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
		chk(d, HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL), "set compression");
		chk(d, HPDF_UseUTFEncodings(d->pdf), "enable UTF-8");
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
	int rc = ready(d, 0);
	if (rc)
		return rc;
	if (d->in_path || d->in_chart) {
		set_err(d, TL_EINVAL, "PDF writer: page added inside a path or chart");
		return d->err;
	}
	HPDF_Page p = HPDF_AddPage(d->pdf);
	if (!p)
		return chk(d, HPDF_INVALID_PAGE, "add page");
	if (chk(d, HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT), "set A4"))
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
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (index >= d->npages || d->in_path || d->in_chart) {
		set_err(d, TL_EINVAL, "PDF writer: cannot select page %zu of %zu here", index + 1,
			d->npages);
		return d->err;
	}
	d->cur = index;
	return TL_OK;
}

int tl_pdf_each_page(tl_pdf_t *d, tl_pdf_page_fn fn, void *ctx)
{
	int rc = ready(d, 0);
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
		set_err(d, TL_EINVAL, "PDF writer: bad font, size or text");
		return d->err;
	}
	if (strlen(s) > TEXT_MAX) {
		set_err(d, TL_ELIMIT, "PDF writer: text longer than %d bytes", TEXT_MAX);
		return d->err;
	}
	return TL_OK;
}

int tl_pdf_text_ex(tl_pdf_t *d, tl_pdf_font_t f, double size, double x, double y, double angle,
		   tl_pdf_rgb_t c, const char *utf8)
{
	int rc = ready(d, 1);
	if (rc || (rc = text_args(d, f, size, utf8)))
		return rc;
	if (d->in_path) {
		set_err(d, TL_EINVAL, "PDF writer: text inside a path");
		return d->err;
	}
	if (!finite_all(6, x, y, angle, c.r, c.g, c.b))
		return bad_number(d, "text");
	if (!*utf8)
		return TL_OK;
	tl_buf_t b;
	tl_buf_init(&b);
	text_for_font(d, f, utf8, &b);
	HPDF_Page p = page(d);
	double a = angle * 3.14159265358979323846 / 180.0;
	double ca = cos(a), sa = sin(a);
	if (angle == 0)
		ca = 1, sa = 0;
	chk(d, HPDF_Page_SetRGBFill(p, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b), "colour");
	if (!d->err)
		chk(d, HPDF_Page_BeginText(p), "begin text");
	if (!d->err)
		chk(d, HPDF_Page_SetFontAndSize(p, d->font[f], (HPDF_REAL)size), "set font");
	if (!d->err)
		chk(d, HPDF_Page_SetTextMatrix(p, (HPDF_REAL)ca, (HPDF_REAL)sa, (HPDF_REAL)-sa,
					       (HPDF_REAL)ca, (HPDF_REAL)px(d, x),
					       (HPDF_REAL)py(d, y)),
		    "place text");
	if (!d->err)
		chk(d, HPDF_Page_ShowText(p, b.data), "show text");
	if (!d->err)
		chk(d, HPDF_Page_EndText(p), "end text");
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
	if (ready(d, 0) || text_args(d, f, size, utf8) || !*utf8)
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
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (d->in_path || !s || s->n_dash < 0 || s->n_dash > 8 || s->line_cap < 0 ||
	    s->line_cap > 2 || s->line_join < 0 || s->line_join > 2 ||
	    !finite_all(9, s->line_width, s->fill_rgb.r, s->fill_rgb.g, s->fill_rgb.b,
			s->stroke_rgb.r, s->stroke_rgb.g, s->stroke_rgb.b, s->dash_offset, 0.0) ||
	    s->line_width < 0) {
		set_err(d, TL_EINVAL, "PDF writer: bad path style (or a path already open)");
		return d->err;
	}
	double dash_sum = 0;
	for (int i = 0; i < s->n_dash; i++) {
		if (!isfinite(s->dash[i]) || s->dash[i] < 0) {
			set_err(d, TL_EINVAL, "PDF writer: bad dash length");
			return d->err;
		}
		dash_sum += s->dash[i];
	}
	if (s->n_dash > 0 && dash_sum <= 0) {
		set_err(d, TL_EINVAL, "PDF writer: dash pattern of zero length");
		return d->err;
	}
	HPDF_Page p = page(d);
	/* libharu 2.3.0 refuses colour, width and dash changes once a path has started (error
	 * 0x1051, HPDF_PAGE_INVALID_GMODE): the whole style is set here, before the first
	 * move-to. */
	chk(d, HPDF_Page_SetLineWidth(p, (HPDF_REAL)s->line_width), "line width");
	if (!d->err)
		chk(d, HPDF_Page_SetLineCap(p, (HPDF_LineCap)s->line_cap), "line cap");
	if (!d->err)
		chk(d, HPDF_Page_SetLineJoin(p, (HPDF_LineJoin)s->line_join), "line join");
	if (!d->err)
		chk(d, HPDF_Page_SetRGBFill(p, (HPDF_REAL)s->fill_rgb.r, (HPDF_REAL)s->fill_rgb.g,
					    (HPDF_REAL)s->fill_rgb.b),
		    "fill colour");
	if (!d->err)
		chk(d, HPDF_Page_SetRGBStroke(p, (HPDF_REAL)s->stroke_rgb.r,
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
	chk(d, HPDF_Stream_WriteStr(attr->stream, b.data), "dash");
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
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (!d->in_path) {
		set_err(d, TL_EINVAL, "PDF writer: %s outside a path", what);
		return d->err;
	}
	return TL_OK;
}

int tl_pdf_move_to(tl_pdf_t *d, double x, double y)
{
	int rc = in_path(d, "move-to");
	if (rc)
		return rc;
	if (!finite_all(2, x, y))
		return bad_number(d, "move-to");
	d->path_segments++;
	return chk(d, HPDF_Page_MoveTo(page(d), (HPDF_REAL)px(d, x), (HPDF_REAL)py(d, y)),
		   "move-to");
}

static int need_current_point(tl_pdf_t *d, const char *what)
{
	if (d->path_segments == 0) {
		set_err(d, TL_EINVAL, "PDF writer: %s before any move-to", what);
		return d->err;
	}
	return TL_OK;
}

int tl_pdf_line_to(tl_pdf_t *d, double x, double y)
{
	int rc = in_path(d, "line-to");
	if (rc || (rc = need_current_point(d, "line-to")))
		return rc;
	if (!finite_all(2, x, y))
		return bad_number(d, "line-to");
	return chk(d, HPDF_Page_LineTo(page(d), (HPDF_REAL)px(d, x), (HPDF_REAL)py(d, y)),
		   "line-to");
}

int tl_pdf_curve_to(tl_pdf_t *d, double x1, double y1, double x2, double y2, double x3,
		    double y3)
{
	int rc = in_path(d, "curve-to");
	if (rc || (rc = need_current_point(d, "curve-to")))
		return rc;
	if (!finite_all(6, x1, y1, x2, y2, x3, y3))
		return bad_number(d, "curve-to");
	return chk(d, HPDF_Page_CurveTo(page(d), (HPDF_REAL)px(d, x1), (HPDF_REAL)py(d, y1),
					(HPDF_REAL)px(d, x2), (HPDF_REAL)py(d, y2),
					(HPDF_REAL)px(d, x3), (HPDF_REAL)py(d, y3)),
		   "curve-to");
}

int tl_pdf_close_path(tl_pdf_t *d)
{
	int rc = in_path(d, "close-path");
	if (rc || (rc = need_current_point(d, "close-path")))
		return rc;
	return chk(d, HPDF_Page_ClosePath(page(d)), "close-path");
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
	HPDF_Page p = page(d);
	HPDF_STATUS st;
	if (s->fill && s->stroke)
		st = s->even_odd ? HPDF_Page_EofillStroke(p) : HPDF_Page_FillStroke(p);
	else if (s->fill)
		st = s->even_odd ? HPDF_Page_Eofill(p) : HPDF_Page_Fill(p);
	else if (s->stroke)
		st = HPDF_Page_Stroke(p);
	else
		st = HPDF_Page_EndPath(p);
	return chk(d, st, "paint path");
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
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (d->in_chart || d->in_path) {
		set_err(d, TL_EINVAL, "PDF writer: chart begun inside a chart or path");
		return d->err;
	}
	if (!finite_all(4, x, y, w, h) || w <= 0 || h <= 0)
		return bad_number(d, "chart box");
	HPDF_Page p = page(d);
	chk(d, HPDF_Page_GSave(p), "save state");
	if (!d->err)
		chk(d, HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)(TL_PDF_PAGE_H - y - h),
					   (HPDF_REAL)w, (HPDF_REAL)h),
		    "clip box");
	if (!d->err)
		chk(d, HPDF_Page_Clip(p), "clip");
	if (!d->err)
		chk(d, HPDF_Page_EndPath(p), "clip");
	if (d->err)
		return d->err;
	d->in_chart = 1;
	d->ox = x;
	d->oy = y;
	return TL_OK;
}

int tl_pdf_chart_end(tl_pdf_t *d)
{
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (!d->in_chart || d->in_path) {
		set_err(d, TL_EINVAL, "PDF writer: chart end without a chart (or inside a path)");
		return d->err;
	}
	d->in_chart = 0;
	d->ox = d->oy = 0;
	return chk(d, HPDF_Page_GRestore(page(d)), "restore state");
}

/* ---- images ----------------------------------------------------------------------------- */

/* Decodes an 8-bit greyscale or RGB, non-interlaced PNG (ISO/IEC 15948 = PNG 2nd ed.)
 * into rows of samples (*raw, caller frees), checking every chunk's CRC and the exact
 * length of the image data.
 * libharu 2.3.0 defect: HPDF_LoadPngImageFromMem hands the bytes to libpng with an error
 * callback that returns instead of jumping out, so libpng abort()s the process on a
 * corrupt PNG (a damaged logo in a template would kill the run). We decode here and give
 * libharu only raw samples (HPDF_LoadRawImageFromMem). Alpha, transparency (tRNS) and
 * palettes are refused: a soft mask is not allowed in PDF/A-1 (ISO 19005-1 6.4). */
static int png_decode(tl_pdf_t *d, const uint8_t *png, size_t len, unsigned *w, unsigned *h,
		      int *channels, uint8_t **raw)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	tl_cursor_t c;
	tl_cur_init(&c, png, len);
	const uint8_t *s = tl_cur_ptr(&c, 8);
	if (!s || memcmp(s, sig, 8) != 0) { /* section 5.2 */
		set_err(d, TL_EFORMAT, "PDF writer: image is not a PNG");
		return d->err;
	}
	uint32_t width = 0, height = 0;
	int ch = 0, seen_ihdr = 0, seen_iend = 0;
	tl_buf_t z;
	tl_buf_init(&z);
	const char *bad = NULL;
	int code = TL_EFORMAT;
	while (!bad && !seen_iend) {
		/* section 5.3: length, type, data, CRC over type and data */
		uint32_t n = tl_cur_u32(&c);
		size_t at = c.pos;
		const uint8_t *type = tl_cur_ptr(&c, 4);
		const uint8_t *data = n <= tl_cur_left(&c) ? tl_cur_ptr(&c, n) : NULL;
		uint32_t crc = tl_cur_u32(&c);
		if (!type || !data || !tl_cur_ok(&c)) {
			bad = "truncated";
			break;
		}
		if (crc32(crc32(0, NULL, 0), png + at, (uInt)(4 + n)) != crc) {
			bad = "chunk CRC mismatch";
			break;
		}
		if (!seen_ihdr) { /* section 5.6: IHDR first */
			tl_cursor_t ih;
			tl_cur_init(&ih, data, n);
			width = tl_cur_u32(&ih);
			height = tl_cur_u32(&ih);
			uint8_t depth = tl_cur_u8(&ih), colour = tl_cur_u8(&ih), comp = tl_cur_u8(&ih),
				filter = tl_cur_u8(&ih), interlace = tl_cur_u8(&ih);
			if (memcmp(type, "IHDR", 4) != 0 || n != 13 || !tl_cur_ok(&ih) || width == 0 ||
			    height == 0 || comp != 0 || filter != 0) { /* section 11.2.2 */
				bad = "bad IHDR";
			} else if (width > 20000 || height > 20000) {
				bad = "larger than 20000 pixels";
				code = TL_ELIMIT;
			} else if (depth != 8 || (colour != 0 && colour != 2) || interlace != 0) {
				bad = "not 8-bit greyscale or RGB without alpha, non-interlaced";
				code = TL_EUNSUPPORTED;
			}
			ch = colour == 2 ? 3 : 1;
			seen_ihdr = 1;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			tl_buf_append(&z, data, n);
		} else if (memcmp(type, "IEND", 4) == 0) {
			seen_iend = 1;
		} else if (memcmp(type, "tRNS", 4) == 0) {
			bad = "transparency (tRNS) is not allowed";
			code = TL_EUNSUPPORTED;
		} else if (!(type[0] & 0x20)) { /* section 5.4: critical chunk we do not know */
			bad = "unsupported critical chunk";
			code = TL_EUNSUPPORTED;
		}
	}
	size_t stride = (size_t)width * (size_t)ch;
	size_t want = (size_t)height * (stride + 1);
	uint8_t *rows = NULL;
	if (!bad) { /* section 10: one zlib stream, exactly want bytes */
		rows = tl_xmalloc(want + 1);
		z_stream zs;
		memset(&zs, 0, sizeof(zs));
		if (inflateInit(&zs) != Z_OK) {
			bad = "zlib error";
		} else {
			zs.next_in = (Bytef *)z.data;
			zs.avail_in = (uInt)z.len;
			zs.next_out = rows;
			zs.avail_out = (uInt)(want + 1);
			int zr = inflate(&zs, Z_FINISH);
			if (zr != Z_STREAM_END || zs.total_out != want)
				bad = "image data is corrupt or of the wrong size";
			inflateEnd(&zs);
		}
	}
	tl_buf_free(&z);
	uint8_t *out = NULL;
	if (!bad) { /* section 9: undo the per-row filters */
		out = tl_xmalloc(stride * height);
		for (size_t y = 0; y < height && !bad; y++) {
			const uint8_t *in = rows + y * (stride + 1) + 1;
			uint8_t ft = in[-1];
			uint8_t *cur = out + y * stride;
			const uint8_t *up = y ? cur - stride : NULL;
			for (size_t x = 0; x < stride; x++) {
				int a = x >= (size_t)ch ? cur[x - ch] : 0;
				int b = up ? up[x] : 0;
				int cc = up && x >= (size_t)ch ? up[x - ch] : 0;
				int pred;
				switch (ft) {
				case 0: pred = 0; break;
				case 1: pred = a; break;
				case 2: pred = b; break;
				case 3: pred = (a + b) / 2; break;
				case 4: {
					int p = a + b - cc, pa = abs(p - a), pb = abs(p - b), pc = abs(p - cc);
					pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
					break;
				}
				default: pred = -1; break;
				}
				if (pred < 0) {
					bad = "bad row filter";
					break;
				}
				cur[x] = (uint8_t)(in[x] + pred);
			}
		}
	}
	free(rows);
	if (bad) {
		free(out);
		set_err(d, code, "PDF writer: PNG image: %s", bad);
		return d->err;
	}
	*w = width;
	*h = height;
	*channels = ch;
	*raw = out;
	return TL_OK;
}

int tl_pdf_image_png(tl_pdf_t *d, const void *png, size_t len, tl_pdf_image_t **out)
{
	int rc = ready(d, 0);
	if (rc)
		return rc;
	if (!png || !out || len > UINT32_MAX) {
		set_err(d, TL_EINVAL, "PDF writer: bad image arguments");
		return d->err;
	}
	unsigned w = 0, h = 0;
	int ch = 0;
	uint8_t *raw = NULL;
	if ((rc = png_decode(d, png, len, &w, &h, &ch, &raw)))
		return rc;
	/* libharu copies the samples into the image stream. */
	HPDF_Image img = HPDF_LoadRawImageFromMem(d->pdf, raw, w, h,
						  ch == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
	free(raw);
	if (!img)
		return chk(d, HPDF_INVALID_IMAGE, "load image");
	struct tl_pdf_image *i = tl_xcalloc(1, sizeof(*i));
	i->img = img;
	i->w = w;
	i->h = h;
	i->next = d->images;
	d->images = i;
	*out = i;
	return TL_OK;
}

void tl_pdf_image_size(const tl_pdf_image_t *img, unsigned *w, unsigned *h)
{
	if (w)
		*w = img ? img->w : 0;
	if (h)
		*h = img ? img->h : 0;
}

int tl_pdf_image_draw(tl_pdf_t *d, const tl_pdf_image_t *img, double x, double y, double w,
		      double h)
{
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (!img || d->in_path) {
		set_err(d, TL_EINVAL, "PDF writer: no image, or drawing an image inside a path");
		return d->err;
	}
	if (!finite_all(4, x, y, w, h) || w <= 0 || h <= 0)
		return bad_number(d, "image box");
	return chk(d, HPDF_Page_DrawImage(page(d), img->img, (HPDF_REAL)px(d, x),
					  (HPDF_REAL)py(d, y + h), (HPDF_REAL)w, (HPDF_REAL)h),
		   "draw image");
}

/* ---- navigation ----------------------------------------------------------------------- */

/* A direct [page /Fit] destination array. PDFBox's PDF/A-1b preflight rejects outline
 * entries whose /Dest is an indirect object, which is what libharu 2.3.0's
 * HPDF_Page_CreateDestination makes. */
static HPDF_Array fit_dest(tl_pdf_t *d, size_t page_index)
{
	HPDF_Array a = HPDF_Array_New(d->pdf->mmgr);
	if (!a) {
		chk(d, HPDF_FAILD_TO_ALLOC_MEM, "destination");
		return NULL;
	}
	if (chk(d, HPDF_Array_Add(a, d->pages[page_index]), "destination") ||
	    chk(d, HPDF_Array_AddName(a, "Fit"), "destination")) {
		HPDF_Array_Free(a);
		return NULL;
	}
	return a;
}

int tl_pdf_outline_add(tl_pdf_t *d, tl_pdf_outline_t *parent, const char *title,
		       size_t page_index, int open, tl_pdf_outline_t **out)
{
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (!title || page_index >= d->npages) {
		set_err(d, TL_EINVAL, "PDF writer: bookmark without a title or to page %zu of %zu",
			page_index + 1, d->npages);
		return d->err;
	}
	HPDF_Outline o = HPDF_CreateOutline(d->pdf, parent ? parent->o : NULL, "", NULL);
	if (!o)
		return chk(d, HPDF_INVALID_OUTLINE, "bookmark");
	/* The title as a UTF-16BE text string, replacing the empty one: the same encoding as
	 * the document information, independent of libharu's encoders. */
	void *t = text_string(d, title);
	if (!t || chk(d, HPDF_Dict_Add(o, "Title", t), "bookmark title"))
		return chk(d, HPDF_INVALID_OUTLINE, "bookmark title");
	HPDF_Array dest = fit_dest(d, page_index);
	if (!dest || chk(d, HPDF_Dict_Add(o, "Dest", dest), "bookmark destination"))
		return chk(d, HPDF_INVALID_OUTLINE, "bookmark destination");
	if (chk(d, HPDF_Outline_SetOpened(o, open ? HPDF_TRUE : HPDF_FALSE), "bookmark"))
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
	int rc = ready(d, 1);
	if (rc)
		return rc;
	if (page_index >= d->npages) {
		set_err(d, TL_EINVAL, "PDF writer: link to page %zu of %zu", page_index + 1,
			d->npages);
		return d->err;
	}
	if (!finite_all(4, x, y, w, h) || w <= 0 || h <= 0)
		return bad_number(d, "link box");
	HPDF_Rect r = {(HPDF_REAL)px(d, x), (HPDF_REAL)py(d, y + h), (HPDF_REAL)px(d, x + w),
		       (HPDF_REAL)py(d, y)};
	HPDF_Destination dst = HPDF_Page_CreateDestination(d->pages[page_index]);
	if (!dst)
		return chk(d, HPDF_INVALID_DESTINATION, "link destination");
	HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(page(d), r, dst);
	if (!a)
		return chk(d, HPDF_INVALID_ANNOTATION, "link");
	/* libharu 2.3.0 defect: link annotations lack /F; PDF/A-1 (ISO 19005-1 6.5.3)
	 * requires the Print flag (4) set and Hidden, Invisible, NoView clear. The border is
	 * switched off so the link does not draw a box. The destination is made direct as
	 * for bookmarks. */
	HPDF_Array dest = fit_dest(d, page_index);
	if (!dest)
		return d->err;
	chk(d, HPDF_Dict_Add(a, "Dest", dest), "link destination");
	if (!d->err)
		chk(d, HPDF_Dict_AddNumber(a, "F", 4), "link flags");
	if (!d->err)
		chk(d, HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0), "link border");
	return d->err;
}

int tl_pdf_page_label(tl_pdf_t *d, size_t first_page, tl_pdf_label_t style,
		      unsigned first_number, const char *prefix)
{
	int rc = ready(d, 0);
	if (rc)
		return rc;
	HPDF_PageNumStyle st = style == TL_PDF_LABEL_ROMAN_LOWER   ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
			       : style == TL_PDF_LABEL_ROMAN_UPPER ? HPDF_PAGE_NUM_STYLE_UPPER_ROMAN
								   : HPDF_PAGE_NUM_STYLE_DECIMAL;
	if ((unsigned)style > TL_PDF_LABEL_ROMAN_UPPER || first_number < 1 ||
	    first_page > 1000000) {
		set_err(d, TL_EINVAL, "PDF writer: bad page label");
		return d->err;
	}
	for (const char *p = prefix; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E) {
			set_err(d, TL_EINVAL, "PDF writer: page label prefix must be ASCII");
			return d->err;
		}
	return chk(d, HPDF_AddPageLabel(d->pdf, (HPDF_UINT)first_page, st, first_number, prefix),
		   "page label");
}

/* ---- embedded files -------------------------------------------------------------------- */

/* "D:YYYYMMDDHHmmSS+00'00'" (PDF 1.7 section 7.9.4). Not 'Z': libharu 2.3.0 rejects it
 * in its own date handling (error 0x1039), so the same form is used everywhere. */
static void pdf_date(int64_t t, char out[32])
{
	int64_t days = t / 86400, sec = t % 86400, y;
	unsigned m, dd;
	tl_civil_from_days(days, &y, &m, &dd);
	snprintf(out, 32, "D:%04d%02u%02u%02d%02d%02d+00'00'", (int)y, m, dd, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

/* "YYYY-MM-DDTHH:MM:SS+00:00", the same instant for XMP (ISO 19005-1 6.7.3). */
static void xmp_date(int64_t t, char out[32])
{
	int64_t days = t / 86400, sec = t % 86400, y;
	unsigned m, dd;
	tl_civil_from_days(days, &y, &m, &dd);
	snprintf(out, 32, "%04d-%02u-%02uT%02d:%02d:%02d+00:00", (int)y, m, dd,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

static int cmp_att(const void *a, const void *b)
{
	return strcmp(((const attachment_t *)a)->key, ((const attachment_t *)b)->key);
}

int tl_pdf_attach(tl_pdf_t *d, const char *name, const char *mime, tl_pdf_afrel_t rel,
		  const char *description, const void *data, size_t len)
{
	static const char *const rels[] = {"Source", "Data", "Supplement", "Unspecified"};
	int rc = ready(d, 0);
	if (rc)
		return rc;
	if (d->level != TL_PDF_A3B) {
		set_err(d, TL_EINVAL, "PDF writer: PDF/A-1b does not allow embedded files");
		return d->err;
	}
	if (!name || !*name || strchr(name, '/') || strchr(name, '\\') || !mime ||
	    (unsigned)rel > TL_PDF_AF_UNSPECIFIED || (!data && len) || len > UINT32_MAX ||
	    strlen(name) > 255) {
		set_err(d, TL_EINVAL, "PDF writer: bad attachment arguments");
		return d->err;
	}
	for (const char *p = mime; *p; p++) /* RFC 2045 section 5.1 token characters */
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p > 0x7E || strchr("()<>@,;:\\\"[]?=", *p)) {
			set_err(d, TL_EINVAL, "PDF writer: bad MIME type \"%s\"", mime);
			return d->err;
		}
	/* The /F name and name-tree key: ASCII, other bytes as '_' (the real name is /UF). */
	char *key = tl_xstrdup(name);
	for (char *p = key; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
			*p = '_';
	for (size_t i = 0; i < d->natt; i++)
		if (strcmp(d->att[i].key, key) == 0) {
			set_err(d, TL_EINVAL, "PDF writer: two attachments named %s", key);
			free(key);
			return d->err;
		}
	HPDF_MMgr mm = d->pdf->mmgr;
	HPDF_Xref xref = d->pdf->xref;
	char date[32];
	pdf_date(d->created, date);

	/* The /EmbeddedFile stream (PDF 1.7 section 7.11.4), compressed. */
	HPDF_Dict ef = HPDF_DictStream_New(mm, xref);
	if (!ef) {
		free(key);
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "attachment");
	}
	ef->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Dict params = HPDF_Dict_New(mm);
	HPDF_Dict efd = HPDF_Dict_New(mm);
	HPDF_Dict fs = HPDF_Dict_New(mm);
	if (!params || !efd || !fs) {
		free(key);
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "attachment");
	}
	chk(d, HPDF_Dict_AddName(ef, "Type", "EmbeddedFile"), "attachment");
	chk(d, HPDF_Dict_AddName(ef, "Subtype", mime), "attachment");
	chk(d, HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len), "attachment");
	chk(d, HPDF_Dict_Add(params, "ModDate", HPDF_String_New(mm, date, NULL)), "attachment");
	chk(d, HPDF_Dict_Add(ef, "Params", params), "attachment");
	if (len)
		chk(d, HPDF_Stream_Write(ef->stream, data, (HPDF_UINT)len), "attachment data");

	/* The file specification (section 7.11.3) with the PDF/A-3 keys (ISO 19005-3
	 * 6.8): /UF, /AFRelationship; it is an associated file of the document (/AF). */
	chk(d, HPDF_Xref_Add(xref, fs), "attachment");
	chk(d, HPDF_Dict_AddName(fs, "Type", "Filespec"), "attachment");
	chk(d, HPDF_Dict_Add(fs, "F", HPDF_String_New(mm, key, NULL)), "attachment");
	chk(d, HPDF_Dict_Add(fs, "UF", text_string(d, name)), "attachment");
	chk(d, HPDF_Dict_Add(efd, "F", ef), "attachment");
	chk(d, HPDF_Dict_Add(efd, "UF", ef), "attachment");
	chk(d, HPDF_Dict_Add(fs, "EF", efd), "attachment");
	chk(d, HPDF_Dict_AddName(fs, "AFRelationship", rels[rel]), "attachment");
	if (description)
		chk(d, HPDF_Dict_Add(fs, "Desc", text_string(d, description)), "attachment");
	if (d->err) {
		free(key);
		return d->err;
	}
	d->att = tl_xrealloc(d->att, (d->natt + 1) * sizeof(*d->att));
	d->att[d->natt].key = key;
	d->att[d->natt].filespec = fs;
	d->natt++;
	return TL_OK;
}

/* ---- finishing ------------------------------------------------------------------------- */

static void xmp_prop(tl_buf_t *b, const char *tag, const char *v)
{
	if (!v)
		return;
	tl_buf_printf(b, "   <%s>", tag);
	xml_escaped(b, v);
	tl_buf_printf(b, "</%s>\n", tag);
}

static void xmp_alt(tl_buf_t *b, const char *tag, const char *v)
{
	if (!v)
		return;
	tl_buf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", tag);
	xml_escaped(b, v);
	tl_buf_printf(b, "</rdf:li></rdf:Alt></%s>\n", tag);
}

static void xmp_ext_property(tl_buf_t *b, const char *name, const char *desc)
{
	tl_buf_printf(b,
		      "        <rdf:li rdf:parseType=\"Resource\">\n"
		      "         <pdfaProperty:name>%s</pdfaProperty:name>\n"
		      "         <pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
		      "         <pdfaProperty:category>external</pdfaProperty:category>\n"
		      "         <pdfaProperty:description>%s</pdfaProperty:description>\n"
		      "        </rdf:li>\n",
		      name, desc);
}

/* The XMP packet (ISO 19005-1 6.7), mirroring the document information dictionary; the
 * case number and report ID use our own schema, described by a PDF/A extension schema
 * (6.7.8) so validators accept it. */
static void build_xmp(const tl_pdf_t *d, tl_buf_t *b)
{
	char date[32];
	xmp_date(d->created, date);
	tl_buf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		       "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		       " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	tl_buf_printf(b,
		      "  <rdf:Description rdf:about=\"\" "
		      "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
		      "   <pdfaid:part>%d</pdfaid:part>\n"
		      "   <pdfaid:conformance>B</pdfaid:conformance>\n"
		      "  </rdf:Description>\n",
		      d->level == TL_PDF_A1B ? 1 : 3);
	tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" "
		       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		       "   <dc:format>application/pdf</dc:format>\n");
	xmp_alt(b, "dc:title", d->title);
	if (d->author) {
		tl_buf_puts(b, "   <dc:creator><rdf:Seq><rdf:li>");
		xml_escaped(b, d->author);
		tl_buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	xmp_alt(b, "dc:description", d->subject);
	tl_buf_puts(b, "  </rdf:Description>\n");
	tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	xmp_prop(b, "xmp:CreateDate", date);
	xmp_prop(b, "xmp:ModifyDate", date);
	xmp_prop(b, "xmp:MetadataDate", date);
	xmp_prop(b, "xmp:CreatorTool", d->creator);
	tl_buf_puts(b, "  </rdf:Description>\n");
	tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	xmp_prop(b, "pdf:Producer", d->producer);
	xmp_prop(b, "pdf:Keywords", d->keywords);
	tl_buf_puts(b, "  </rdf:Description>\n");
	if (d->case_number || d->report_id) {
		tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" "
			       "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
			       "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
			       "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
			       "   <pdfaExtension:schemas>\n"
			       "    <rdf:Bag>\n"
			       "     <rdf:li rdf:parseType=\"Resource\">\n"
			       "      <pdfaSchema:schema>tealeaves evidence report</pdfaSchema:schema>\n"
			       "      <pdfaSchema:namespaceURI>" XMP_NS "</pdfaSchema:namespaceURI>\n"
			       "      <pdfaSchema:prefix>tealeaves</pdfaSchema:prefix>\n"
			       "      <pdfaSchema:property>\n"
			       "       <rdf:Seq>\n");
		xmp_ext_property(b, "caseNumber", "Case number the report belongs to");
		xmp_ext_property(b, "reportId", "Report ID: short form of the manifest hash");
		tl_buf_puts(b, "       </rdf:Seq>\n"
			       "      </pdfaSchema:property>\n"
			       "     </rdf:li>\n"
			       "    </rdf:Bag>\n"
			       "   </pdfaExtension:schemas>\n"
			       "  </rdf:Description>\n");
		tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:tealeaves=\"" XMP_NS "\">\n");
		xmp_prop(b, "tealeaves:caseNumber", d->case_number);
		xmp_prop(b, "tealeaves:reportId", d->report_id);
		tl_buf_puts(b, "  </rdf:Description>\n");
	}
	tl_buf_puts(b, " </rdf:RDF>\n</x:xmpmeta>\n");
	/* Padding lets an editor update the packet in place (XMP Part 1, 7.3.2). */
	for (int i = 0; i < 20; i++)
		tl_buf_puts(b, "                                                                   "
			       "                                \n");
	tl_buf_puts(b, "<?xpacket end=\"w\"?>");
}

static int info_set(tl_pdf_t *d, HPDF_Dict info, const char *key, const char *v)
{
	if (!v)
		return d->err;
	void *s = text_string(d, v);
	if (!s)
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "document information");
	return chk(d, HPDF_Dict_Add(info, key, s), "document information");
}

static int finish_info(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	/* A fresh information dictionary replaces libharu's (which says "Haru Free PDF
	 * Library" as producer, so the XMP would disagree with it). */
	HPDF_Dict info = HPDF_Dict_New(mm);
	if (!info || chk(d, HPDF_Xref_Add(d->pdf->xref, info), "document information"))
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "document information");
	char date[32];
	pdf_date(d->created, date);
	info_set(d, info, "Title", d->title);
	info_set(d, info, "Author", d->author);
	info_set(d, info, "Subject", d->subject);
	info_set(d, info, "Keywords", d->keywords);
	info_set(d, info, "Creator", d->creator);
	info_set(d, info, "Producer", d->producer);
	info_set(d, info, "CreationDate", date);
	info_set(d, info, "ModDate", date);
	info_set(d, info, "CaseNumber", d->case_number);
	info_set(d, info, "ReportID", d->report_id);
	d->pdf->info = info;
	return d->err;
}

static int finish_metadata(tl_pdf_t *d)
{
	HPDF_Dict md = HPDF_DictStream_New(d->pdf->mmgr, d->pdf->xref);
	if (!md)
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "metadata");
	/* libharu 2.3.0 defect: its metadata stream says /SubType; the key is /Subtype. The
	 * stream stays unfiltered (ISO 19005-1 6.7.2). */
	md->filter = HPDF_STREAM_FILTER_NONE;
	chk(d, HPDF_Dict_AddName(md, "Type", "Metadata"), "metadata");
	chk(d, HPDF_Dict_AddName(md, "Subtype", "XML"), "metadata");
	tl_buf_t b;
	tl_buf_init(&b);
	build_xmp(d, &b);
	chk(d, HPDF_Stream_Write(md->stream, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len), "metadata");
	tl_buf_free(&b);
	return chk(d, HPDF_Dict_Add(d->pdf->catalog, "Metadata", md), "metadata");
}

static int finish_output_intent(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	/* libharu 2.3.0 defect: HPDF_PDFA_AppendOutputIntents writes the key
	 * "DestOutputProfile " (trailing space), so validators find no profile. The
	 * OutputIntent (PDF 1.7 section 14.11.5; ISO 19005-1 6.2.2) is built here. */
	HPDF_Dict icc = HPDF_DictStream_New(mm, d->pdf->xref);
	HPDF_Dict oi = HPDF_Dict_New(mm);
	HPDF_Array arr = HPDF_Array_New(mm);
	if (!icc || !oi || !arr)
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "OutputIntent");
	icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	chk(d, HPDF_Dict_AddNumber(icc, "N", 3), "OutputIntent");
	chk(d, HPDF_Dict_AddName(icc, "Alternate", "DeviceRGB"), "OutputIntent");
	chk(d, HPDF_Stream_Write(icc->stream, d->icc, (HPDF_UINT)d->icc_len), "OutputIntent");
	chk(d, HPDF_Dict_AddName(oi, "Type", "OutputIntent"), "OutputIntent");
	chk(d, HPDF_Dict_AddName(oi, "S", "GTS_PDFA1"), "OutputIntent");
	chk(d, HPDF_Dict_Add(oi, "OutputConditionIdentifier",
			     HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL)),
	    "OutputIntent");
	chk(d, HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL)),
	    "OutputIntent");
	chk(d, HPDF_Dict_Add(oi, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL)),
	    "OutputIntent");
	chk(d, HPDF_Dict_Add(oi, "DestOutputProfile", icc), "OutputIntent");
	chk(d, HPDF_Array_Add(arr, oi), "OutputIntent");
	return chk(d, HPDF_Dict_Add(d->pdf->catalog, "OutputIntents", arr), "OutputIntent");
}

static int finish_id(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	/* The trailer /ID is the caller's, both entries (PDF 1.7 section 14.4). libharu 2.3.0
	 * would take MD5("libHaru" + ctime()) in PDF/A mode, which we do not use; preset, the
	 * array is kept as is. */
	HPDF_Array id = HPDF_Array_New(mm);
	if (!id)
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "ID");
	chk(d, HPDF_Array_Add(id, HPDF_Binary_New(mm, d->doc_id, 16)), "ID");
	chk(d, HPDF_Array_Add(id, HPDF_Binary_New(mm, d->doc_id, 16)), "ID");
	return chk(d, HPDF_Dict_Add(d->pdf->trailer, "ID", id), "ID");
}

/* A ToUnicode CMap for libharu's UTF-8 CID fonts, where CID = the BMP code point: 255
 * ranges <XX00> <XXFF> -> <XX00> (a bfrange may vary only in its last byte, Adobe
 * technical note 5411), leaving out the surrogates D800-DFFF. */
static void build_tounicode(tl_buf_t *b)
{
	tl_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
		       "12 dict begin\n"
		       "begincmap\n"
		       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		       "/CMapName /Adobe-Identity-UCS def\n"
		       "/CMapType 2 def\n"
		       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	int rows[256], n = 0;
	for (int hi = 0; hi < 256; hi++)
		if (hi < 0xD8 || hi > 0xDF)
			rows[n++] = hi;
	for (int i = 0; i < n; i += 100) {
		int k = n - i < 100 ? n - i : 100;
		tl_buf_printf(b, "%d beginbfrange\n", k);
		for (int j = i; j < i + k; j++)
			tl_buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", rows[j], rows[j], rows[j]);
		tl_buf_puts(b, "endbfrange\n");
	}
	tl_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static int finish_fonts(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	for (int f = 0; f < TL_PDF_NFONTS && !d->err; f++) {
		/* libharu 2.3.0 defect: its ToUnicode CMap for UTF-8 fonts uses begincidrange,
		 * which is not a ToUnicode operator (poppler warns; other readers may not
		 * extract the text). A correct map replaces it. */
		HPDF_Dict tu = HPDF_DictStream_New(mm, d->pdf->xref);
		if (!tu)
			return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "ToUnicode");
		tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
		tl_buf_t b;
		tl_buf_init(&b);
		build_tounicode(&b);
		chk(d, HPDF_Stream_Write(tu->stream, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len),
		    "ToUnicode");
		tl_buf_free(&b);
		chk(d, HPDF_Dict_Add(d->font[f], "ToUnicode", tu), "ToUnicode");
	}
	return d->err;
}

static int finish_attachments(tl_pdf_t *d)
{
	if (d->natt == 0)
		return d->err;
	HPDF_MMgr mm = d->pdf->mmgr;
	HPDF_Array af = HPDF_Array_New(mm);
	HPDF_Array names = HPDF_Array_New(mm);
	HPDF_Dict ef_tree = HPDF_Dict_New(mm);
	HPDF_Dict names_dict = HPDF_Dict_New(mm);
	if (!af || !names || !ef_tree || !names_dict)
		return chk(d, HPDF_FAILD_TO_ALLOC_MEM, "attachments");
	/* /AF in the order attached; the name tree sorted by key (PDF 1.7 section 7.9.6). */
	for (size_t i = 0; i < d->natt; i++)
		chk(d, HPDF_Array_Add(af, d->att[i].filespec), "attachments");
	qsort(d->att, d->natt, sizeof(*d->att), cmp_att);
	for (size_t i = 0; i < d->natt; i++) {
		chk(d, HPDF_Array_Add(names, HPDF_String_New(mm, d->att[i].key, NULL)),
		    "attachments");
		chk(d, HPDF_Array_Add(names, d->att[i].filespec), "attachments");
	}
	chk(d, HPDF_Dict_Add(ef_tree, "Names", names), "attachments");
	chk(d, HPDF_Dict_Add(names_dict, "EmbeddedFiles", ef_tree), "attachments");
	chk(d, HPDF_Dict_Add(d->pdf->catalog, "Names", names_dict), "attachments");
	return chk(d, HPDF_Dict_Add(d->pdf->catalog, "AF", af), "attachments");
}

int tl_pdf_save(tl_pdf_t *d, uint8_t **out, size_t *len)
{
	int rc = ready(d, 0);
	if (rc)
		return rc;
	if (!out || !len || d->npages == 0 || d->in_path || d->in_chart) {
		set_err(d, TL_EINVAL, "PDF writer: nothing to save, or a path or chart still open");
		return d->err;
	}
	d->saved = 1;
	/* PDF/A-1 is based on PDF 1.4 (ISO 19005-1 6.1.2); PDF/A-3 on PDF 1.7, which
	 * associated files need. libharu has no setter for the header version. */
	d->pdf->pdf_version = d->level == TL_PDF_A1B ? HPDF_VER_14 : HPDF_VER_17;
	if (d->outlines)
		chk(d, HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE), "page mode");
	if (finish_info(d) || finish_metadata(d) || finish_output_intent(d) || finish_id(d) ||
	    finish_fonts(d) || finish_attachments(d))
		return d->err;
	if (chk(d, HPDF_SaveToStream(d->pdf), "save"))
		return d->err;
	HPDF_UINT32 size = HPDF_GetStreamSize(d->pdf);
	uint8_t *buf = tl_xmalloc(size ? size : 1);
	size_t got = 0;
	while (got < size) {
		HPDF_UINT32 n = size - (HPDF_UINT32)got;
		HPDF_STATUS st = HPDF_ReadFromStream(d->pdf, buf + got, &n);
		got += n;
		if (st == HPDF_STREAM_EOF || n == 0)
			break;
		if (st != HPDF_OK) {
			free(buf);
			return chk(d, st, "read saved document");
		}
	}
	if (got != size || d->err) {
		free(buf);
		set_err(d, TL_EIO, "PDF writer: saved %zu of %u bytes", got, (unsigned)size);
		return d->err;
	}
	*out = buf;
	*len = got;
	return TL_OK;
}

const char *tl_pdf_libharu_version(void)
{
	return HPDF_GetVersion();
}
