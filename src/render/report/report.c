/* report.c - the report assembler: the filled template's blocks laid out on A4 pages with
 * headings, bookmarks, boxes, tables and charts, page furniture and attachments, saved to
 * PDF bytes in memory. It formats and places; every figure comes from the vars and inserts. */
#include "render/report/report.h"

#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "render/pdf/pdf.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/sha256.h"
#include "util/xmalloc.h"

/* Page geometry (points; Y down from the top edge, as pdf.h). */
#define MARGIN_X 62.0
#define TEXT_W (TL_PDF_PAGE_W - 2 * MARGIN_X)
#define HEAD_Y 38.0                      /* header baseline */
#define BODY_TOP 70.0                    /* first row of the body */
#define BODY_BOTTOM (TL_PDF_PAGE_H - 64.0) /* nothing of the body below this */
#define FOOT_Y (TL_PDF_PAGE_H - 36.0)    /* footer baseline */
#define BODY_H (BODY_BOTTOM - BODY_TOP)

/* Type sizes and spacing. */
#define BODY_SIZE 10.0
#define BODY_LEAD 1.42
#define SMALL_SIZE 8.5
#define TABLE_SIZE 8.5
#define TABLE_MIN_SIZE 6.5 /* tables keep every word whole, made no smaller than this */
#define PARA_GAP 6.0
#define ITEM_GAP 3.0
#define FIELD_LABEL_W 132.0
#define BOX_PAD 8.0
#define BULLET_IND 13.0
#define LOGO_MAX_W 170.0
#define LOGO_MAX_H 64.0
#define LOGO_MAX_BYTES (16u << 20)

static const tl_pdf_rgb_t INK = {0.13, 0.13, 0.13};
static const tl_pdf_rgb_t GREY = {0.38, 0.38, 0.38};
static const tl_pdf_rgb_t NAVY = {0.05, 0.20, 0.40};
static const tl_pdf_rgb_t BLUE = {0.0, 0.447, 0.698}; /* #0072B2, the charts' first colour */
static const tl_pdf_rgb_t RED = {0.70, 0.08, 0.08};

/* One segment of text on a row: text[0..len) then a layout mark. */
typedef struct seg {
	const char *s;
	size_t len;
	const char *mark; /* "" or the mark string */
	int font;
	double size, x;
	tl_pdf_rgb_t rgb;
} seg_t;

/* One line of flowing text. */
typedef struct row {
	double pre;  /* space above when the row is not the first on its page (or box part) */
	double h;    /* line height */
	double base; /* baseline below the row's top (after pre) */
	seg_t seg[3];
	int nseg;
	int keep;    /* stay on the same page as the next row */
} row_t;

typedef struct rows {
	row_t *v;
	size_t n, cap;
} rows_t;

typedef struct asm_state {
	tl_pdf_t *doc;
	const tl_findings_t *f;
	const tl_report_opts_t *o;
	const tl_tdoc_t *td;
	char *tname; /* template file name for messages */
	char *tdir;  /* its folder, for the logo */
	double y;    /* top of the free space on the current page */
	int at_top;  /* nothing of the body on the current page yet */
	unsigned sec[3];
	unsigned ntables, nfigures;
	tl_pdf_outline_t *outl[3];
	tl_insert_t *ins; /* per block, built on first use */
	int *ins_built;
	char *err;
	size_t errlen;
	int failed;
} asm_t;

static int fail(asm_t *a, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the first failure's message; returns rc. */
static int fail(asm_t *a, int rc, const char *fmt, ...)
{
	if (!a->failed && a->err && a->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(a->err, a->errlen, fmt, ap);
		va_end(ap);
	}
	a->failed = 1;
	return rc;
}

/* A drawing call failed: the writer's message. */
static int pdf_fail(asm_t *a, int rc)
{
	const char *m = tl_pdf_errmsg(a->doc);
	return fail(a, rc, "PDF: %s", m && *m ? m : tl_strerror(rc));
}

#define TRY(x)                                                                                 \
	do {                                                                                   \
		int rc_ = (x);                                                                 \
		if (rc_ != TL_OK)                                                              \
			return rc_;                                                            \
	} while (0)
#define PDF(x)                                                                                 \
	do {                                                                                   \
		int rc_ = (x);                                                                 \
		if (rc_ != TL_OK)                                                              \
			return pdf_fail(a, rc_);                                               \
	} while (0)

/* ---- measuring ------------------------------------------------------------------------ */

/* layout.h's measure: the PDF font's own advance widths (it needs a terminated string). */
static double measure(void *ud, const char *utf8, size_t len, int font, double size)
{
	asm_t *a = ud;
	char small[256];
	char *s = len < sizeof(small) ? small : tl_xmalloc(len + 1);
	memcpy(s, utf8, len);
	s[len] = '\0';
	double w = tl_pdf_text_width(a->doc, (tl_pdf_font_t)font, size, s);
	if (s != small)
		free(s);
	return w;
}

/* chart.h's measure, for inserts: bold or regular of the document. */
static double chart_measure(void *ctx, const char *utf8, double size, int bold)
{
	asm_t *a = ctx;
	return tl_pdf_text_width(a->doc, bold ? TL_PDF_BOLD : TL_PDF_REGULAR, size, utf8);
}

static tl_font_t font_of(asm_t *a, int font, double size)
{
	tl_font_t f = {.measure = measure, .ud = a, .font = font, .size = size};
	return f;
}

/* Baseline below the top of a line of height h set in font at size: the text's box
 * (ascent + descent) centred in the line. */
static double baseline_in(asm_t *a, int font, double size, double h)
{
	double asc = 0, desc = 0;
	tl_pdf_font_metrics(a->doc, (tl_pdf_font_t)font, size, &asc, &desc);
	return (h - (asc + desc)) / 2 + asc;
}

/* ---- rows ----------------------------------------------------------------------------- */

static row_t *row_push(rows_t *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = tl_xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	row_t *w = &r->v[r->n++];
	memset(w, 0, sizeof(*w));
	return w;
}

/* Widow and orphan control over rows [first, n): paragraphs of up to three lines stay
 * whole; longer ones keep their first two and last two lines together. */
static void keep_lines(rows_t *r, size_t first)
{
	size_t n = r->n - first;
	if (n < 2)
		return;
	if (n <= 3) {
		for (size_t i = first; i + 1 < r->n; i++)
			r->v[i].keep = 1;
		return;
	}
	r->v[first].keep = 1;
	r->v[r->n - 2].keep = 1;
}

/* Wraps text into rows at x, width wide; the first row gets pre. Returns TL_OK or an
 * error from the wrapper. */
/* Appends the rows of text[0..n) wrapped to width; the first row gets *pre, then *pre is 0.
 * *broken is set when a line was broken inside a word. */
static int wrap_rows(asm_t *a, rows_t *r, const char *text, size_t n, int font, double size,
		     double lead, double x, double width, double *pre, tl_pdf_rgb_t rgb,
		     int *broken)
{
	tl_font_t f = font_of(a, font, size);
	tl_lines_t l;
	tl_lines_init(&l);
	int rc = tl_layout_wrap(&f, text, n, width, &l);
	if (rc != TL_OK) {
		tl_lines_free(&l);
		return fail(a, rc, "laying out text: %s", tl_strerror(rc));
	}
	double h = size * lead;
	double base = baseline_in(a, font, size, h);
	for (size_t i = 0; i < l.n; i++) {
		row_t *w = row_push(r);
		w->pre = *pre;
		*pre = 0;
		w->h = h;
		w->base = base;
		w->seg[0] = (seg_t){text + l.v[i].off, l.v[i].len, tl_layout_mark(&f, l.v[i].mark),
				    font, size, x, rgb};
		w->nseg = 1;
		if (l.v[i].mark == TL_MARK_CONT && broken)
			*broken = 1;
	}
	tl_lines_free(&l);
	return TL_OK;
}

/* Flowing text. A word wider than the line (a long DNS name, a path) is never broken, as
 * a name split over two lines cannot be found by a search: it gets a row of its own, set
 * as much smaller as it needs, and the text goes on in the next row. */
static int add_text(asm_t *a, rows_t *r, const char *text, int font, double size, double lead,
		    double x, double width, double pre, tl_pdf_rgb_t rgb)
{
	size_t first = r->n, len = strlen(text);
	double p = pre;
	int broken = 0;
	TRY(wrap_rows(a, r, text, len, font, size, lead, x, width, &p, rgb, &broken));
	if (broken) {
		r->n = first; /* again, with the long words on rows of their own */
		p = pre;
		size_t start = 0, i = 0;
		double h = size * lead, base = baseline_in(a, font, size, h);
		while (i < len) {
			while (i < len && text[i] == ' ')
				i++;
			size_t ws = i;
			while (i < len && text[i] != ' ')
				i++;
			char *word = tl_xstrndup(text + ws, i - ws);
			double ww = tl_pdf_text_width(a->doc, font, size, word);
			if (ww > width) {
				size_t k = start;
				while (k < ws && text[k] == ' ')
					k++;
				int rc = k < ws ? wrap_rows(a, r, text + k, ws - k, font, size, lead, x,
							    width, &p, rgb, NULL)
						: TL_OK;
				double s2 = floor(size * width / ww * 4.0) / 4.0;
				while (s2 > 0.25 && tl_pdf_text_width(a->doc, font, s2, word) > width)
					s2 -= 0.25;
				free(word);
				if (rc != TL_OK)
					return rc;
				row_t *w = row_push(r);
				w->pre = p;
				p = 0;
				w->h = h;
				w->base = base;
				w->seg[0] = (seg_t){text + ws, i - ws, "", font, s2, x, rgb};
				w->nseg = 1;
				start = i;
			} else {
				free(word);
			}
		}
		size_t k = start;
		while (k < len && text[k] == ' ')
			k++;
		if (k < len)
			TRY(wrap_rows(a, r, text + k, len - k, font, size, lead, x, width, &p, rgb,
				      NULL));
	}
	keep_lines(r, first);
	return TL_OK;
}

/* A bullet item: the bullet in the first row, the text indented. */
static int add_item(asm_t *a, rows_t *r, const char *text, double x, double width, double pre)
{
	size_t first = r->n;
	TRY(add_text(a, r, text, TL_PDF_REGULAR, BODY_SIZE, BODY_LEAD, x + BULLET_IND,
		     width - BULLET_IND, pre, INK));
	if (r->n > first) {
		row_t *w = &r->v[first];
		w->seg[w->nseg++] = (seg_t){"\xe2\x80\xa2", 3, "", TL_PDF_REGULAR, BODY_SIZE,
					    x + 2, INK};
	}
	return TL_OK;
}

/* Is s a long hexadecimal string (a hash)? Those are set in the monospaced font. */
static int is_hex_digest(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') ||
		      (s[n] >= 'A' && s[n] <= 'F')))
			return 0;
	return n >= 32;
}

/* Is s a line to write on (only underscores, at least 10)? The row gets room above it
 * for a handwritten signature or date. */
static int is_write_line(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] != '_')
			return 0;
	return n >= 10;
}

/* A label/value row: the label in bold in its column, the value beside it. */
static int add_field(asm_t *a, rows_t *r, const char *label, const char *value, double x,
		     double width, double label_w, double pre)
{
	rows_t lr = {0}, vr = {0};
	double vx = x + label_w, vw = width - label_w;
	int vfont = TL_PDF_REGULAR;
	double vsize = BODY_SIZE;
	if (is_write_line(value))
		pre += 2.5 * BODY_SIZE * BODY_LEAD;
	if (is_hex_digest(value)) {
		/* a hash reads best unbroken: monospaced, as small as needed (down to 7 pt) */
		vfont = TL_PDF_MONO;
		vsize = 9;
		while (vsize > 7 && tl_pdf_text_width(a->doc, TL_PDF_MONO, vsize, value) > vw)
			vsize -= 0.25;
	}
	int rc = add_text(a, &lr, label, TL_PDF_BOLD, BODY_SIZE - 0.5, BODY_LEAD, x,
			  label_w - 8, 0, GREY);
	if (rc == TL_OK)
		rc = add_text(a, &vr, value, vfont, vsize, BODY_SIZE * BODY_LEAD / vsize, vx, vw, 0,
			      INK);
	if (rc == TL_OK) {
		size_t n = lr.n > vr.n ? lr.n : vr.n;
		size_t first = r->n;
		double h = BODY_SIZE * BODY_LEAD;
		for (size_t i = 0; i < n; i++) {
			row_t *w = row_push(r);
			w->pre = i == 0 ? pre : 0;
			w->h = h;
			w->base = baseline_in(a, TL_PDF_REGULAR, BODY_SIZE, h);
			if (i < lr.n)
				w->seg[w->nseg++] = lr.v[i].seg[0];
			if (i < vr.n)
				w->seg[w->nseg++] = vr.v[i].seg[0];
		}
		keep_lines(r, first);
	}
	free(lr.v);
	free(vr.v);
	return rc;
}

/* Draws one row whose top (after pre) is at y. */
static int draw_row(asm_t *a, const row_t *w, double y)
{
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = TL_OK;
	for (int k = 0; k < w->nseg && rc == TL_OK; k++) {
		const seg_t *s = &w->seg[k];
		tl_buf_clear(&b);
		tl_buf_append(&b, s->s, s->len);
		tl_buf_puts(&b, s->mark);
		tl_buf_putc(&b, '\0');
		if (b.len > 1)
			rc = tl_pdf_text_ex(a->doc, (tl_pdf_font_t)s->font, s->size, s->x,
					    y + w->base, 0, s->rgb, (const char *)b.data);
	}
	tl_buf_free(&b);
	if (rc != TL_OK)
		return pdf_fail(a, rc);
	return TL_OK;
}

/* Height of rows [i, ...] that must stay together (i and its keep chain), pre of i left out. */
static double group_h(const rows_t *r, size_t i)
{
	double h = r->v[i].h;
	while (i + 1 < r->n && r->v[i].keep) {
		i++;
		h += r->v[i].pre + r->v[i].h;
	}
	return h;
}

/* ---- pages ---------------------------------------------------------------------------- */

static int new_page(asm_t *a)
{
	PDF(tl_pdf_page_add(a->doc));
	if (a->o->draft) {
		/* The watermark goes first so the page's content is drawn over it. */
		const tl_pdf_rgb_t pale = {0.90, 0.90, 0.90};
		double w = tl_pdf_text_width(a->doc, TL_PDF_BOLD, 110, "DRAFT");
		double cx = TL_PDF_PAGE_W / 2, cy = TL_PDF_PAGE_H / 2;
		/* centre the rotated word: start half its length back along 45 degrees */
		double d = w / 2 * 0.70710678;
		PDF(tl_pdf_text_ex(a->doc, TL_PDF_BOLD, 110, cx - d + 28, cy + d + 28, 45, pale,
				   "DRAFT"));
	}
	a->y = BODY_TOP;
	a->at_top = 1;
	return TL_OK;
}

/* Room left on the current page. */
static double room(const asm_t *a)
{
	return BODY_BOTTOM - a->y;
}

/* Starts a new page unless need points fit below y (or the page is still empty). */
static int ensure(asm_t *a, double need)
{
	if (!a->at_top && need > room(a) + 1e-6)
		return new_page(a);
	return TL_OK;
}

/* Places rows in the body, breaking pages between rows while honouring keep chains. */
static int place_rows(asm_t *a, const rows_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const row_t *w = &r->v[i];
		double g = group_h(r, i);
		if (g > BODY_H)
			g = w->h; /* a chain taller than a page breaks anywhere */
		double pre = a->at_top ? 0 : w->pre;
		if (!a->at_top && pre + g > room(a) + 1e-6) {
			TRY(new_page(a));
			pre = 0;
		}
		a->y += pre;
		TRY(draw_row(a, w, a->y));
		a->y += w->h;
		a->at_top = 0;
	}
	return TL_OK;
}

/* ---- boxes ---------------------------------------------------------------------------- */

typedef struct box_style {
	int frame;          /* ruled frame */
	int tint;           /* tinted background */
	int bar;            /* thick bar at the left edge */
	tl_pdf_rgb_t fill, rule, label;
	int label_font;
} box_style_t;

static box_style_t box_style(const char *kind)
{
	box_style_t s = {0};
	s.label_font = TL_PDF_BOLD;
	if (strcmp(kind, "fact") == 0 || strcmp(kind, "facts") == 0) {
		/* facts: white, ruled, dark label */
		s.frame = 1;
		s.rule = (tl_pdf_rgb_t){0.35, 0.35, 0.35};
		s.label = INK;
	} else if (strcmp(kind, "interpretation") == 0) {
		/* interpretation: tinted blue with a bar, so it never reads as a fact */
		s.tint = 1;
		s.bar = 1;
		s.fill = (tl_pdf_rgb_t){0.918, 0.945, 0.973};
		s.rule = BLUE;
		s.label = BLUE;
		s.label_font = TL_PDF_BOLD;
	} else if (strcmp(kind, "disclaimer") == 0) {
		s.tint = 1;
		s.frame = 1;
		s.fill = (tl_pdf_rgb_t){0.955, 0.955, 0.955};
		s.rule = (tl_pdf_rgb_t){0.6, 0.6, 0.6};
		s.label = INK;
	} else {
		/* note and any kind an organisation's template invents */
		s.tint = 1;
		s.fill = (tl_pdf_rgb_t){0.985, 0.965, 0.90};
		s.frame = 1;
		s.rule = (tl_pdf_rgb_t){0.75, 0.65, 0.35};
		s.label = INK;
	}
	return s;
}

/* Draws the box parts of rows r (content already indented) with its label, breaking across
 * pages; "(continued)" labels every later part. */
static int place_box(asm_t *a, const rows_t *r, const char *kind, const char *label)
{
	box_style_t st = box_style(kind);
	double lsize = BODY_SIZE - 0.5, lh = lsize * BODY_LEAD;
	double lbase = baseline_in(a, st.label_font, lsize, lh);
	int has_label = label[0] != '\0';
	size_t i = 0;
	int part = 0;
	while (i < r->n || (r->n == 0 && part == 0)) {
		double head = has_label ? lh + 3 : 0;
		double g = r->n ? group_h(r, i) : 0;
		if (g > BODY_H - 2 * BOX_PAD - head)
			g = r->v[i].h;
		TRY(ensure(a, 2 * BOX_PAD + head + g));
		/* rows that fit on this page */
		double used = 0;
		size_t j = i;
		while (j < r->n) {
			double pre = j == i ? 0 : r->v[j].pre;
			double gj = group_h(r, j);
			if (gj > BODY_H - 2 * BOX_PAD - head)
				gj = r->v[j].h;
			double limit = room(a) - 2 * BOX_PAD - head;
			if (j > i && used + pre + gj > limit + 1e-6)
				break;
			used += pre + r->v[j].h;
			j++;
			/* inside a keep chain, the chain was checked as a whole at its start */
			while (j < r->n && r->v[j - 1].keep && used + r->v[j].pre + r->v[j].h <=
								     limit + 1e-6) {
				used += r->v[j].pre + r->v[j].h;
				j++;
			}
		}
		double h = 2 * BOX_PAD + head + used;
		double x = MARGIN_X, w = TEXT_W;
		if (st.tint) {
			tl_pdf_style_t fs = {.fill = 1, .fill_rgb = st.fill};
			PDF(tl_pdf_rect(a->doc, x, a->y, w, h, &fs));
		}
		if (st.frame) {
			tl_pdf_style_t rs = {.stroke = 1, .stroke_rgb = st.rule, .line_width = 0.6};
			PDF(tl_pdf_rect(a->doc, x, a->y, w, h, &rs));
		}
		if (st.bar) {
			tl_pdf_style_t bs = {.fill = 1, .fill_rgb = st.rule};
			PDF(tl_pdf_rect(a->doc, x, a->y, 3, h, &bs));
		}
		double y = a->y + BOX_PAD;
		if (has_label) {
			tl_buf_t b;
			tl_buf_init(&b);
			tl_buf_puts(&b, label);
			if (part > 0)
				tl_buf_puts(&b, " (continued)");
			tl_buf_putc(&b, '\0');
			int rc = tl_pdf_text_ex(a->doc, (tl_pdf_font_t)st.label_font, lsize,
						x + BOX_PAD + 4, y + lbase, 0, st.label,
						(const char *)b.data);
			tl_buf_free(&b);
			if (rc != TL_OK)
				return pdf_fail(a, rc);
			y += head;
		}
		for (size_t k = i; k < j; k++) {
			if (k > i)
				y += r->v[k].pre;
			TRY(draw_row(a, &r->v[k], y));
			y += r->v[k].h;
		}
		a->y += h + 10;
		a->at_top = 0;
		part++;
		i = j;
		if (i < r->n)
			TRY(new_page(a));
	}
	return TL_OK;
}

/* ---- inserts -------------------------------------------------------------------------- */

/* Builds (once) the insert of block bi. */
static int insert_get(asm_t *a, size_t bi, tl_insert_t **out)
{
	const tl_tblock_t *b = &a->td->v[bi];
	if (!a->ins_built[bi]) {
		tl_insert_ctx_t ctx = {.width = TEXT_W, .measure = chart_measure, .measure_ud = a};
		char e[512] = "";
		int rc = tl_report_insert(a->f, b->name, &ctx, &a->ins[bi], e, sizeof(e));
		if (rc == TL_ENOENT)
			return fail(a, rc, "%s:%d: unknown table or chart @insert %s", a->tname,
				    b->line, b->name);
		if (rc != TL_OK)
			return fail(a, rc, "%s:%d: @insert %s: %s", a->tname, b->line, b->name,
				    e[0] ? e : tl_strerror(rc));
		if ((a->ins[bi].kind == TL_INSERT_CHART && !a->ins[bi].chart) ||
		    (a->ins[bi].kind != TL_INSERT_CHART && a->ins[bi].kind != TL_INSERT_TABLE)) {
			tl_insert_free(&a->ins[bi]);
			return fail(a, TL_EINVAL, "%s:%d: @insert %s: nothing to draw", a->tname,
				    b->line, b->name);
		}
		a->ins_built[bi] = 1;
	}
	*out = &a->ins[bi];
	return TL_OK;
}

/* "Table 3. Lookups by organisation": the number is the document's; a title that already
 * starts with its own "Table"/"Figure" number keeps only the text after it. */
static void numbered_title(tl_buf_t *b, const char *word, unsigned n, const char *title,
			   int cont)
{
	const char *t = title ? title : "";
	size_t wl = strlen(word);
	if (strncmp(t, word, wl) == 0 && t[wl] == ' ' && t[wl + 1] >= '0' && t[wl + 1] <= '9') {
		const char *p = t + wl + 1;
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		while (*p == ' ')
			p++;
		t = p;
	}
	tl_buf_printf(b, "%s %u%s", word, n, cont ? " (continued)" : ".");
	if (!cont && *t) {
		tl_buf_putc(b, ' ');
		tl_buf_puts(b, t);
	}
	tl_buf_putc(b, '\0');
}

static int title_rows(asm_t *a, rows_t *r, const char *text)
{
	return add_text(a, r, text, TL_PDF_BOLD, 9.5, 1.35, MARGIN_X, TEXT_W, 0, NAVY);
}

static int caption_rows(asm_t *a, rows_t *r, const char *text)
{
	if (!text || !*text)
		return TL_OK;
	return add_text(a, r, text, TL_PDF_ITALIC, 8, 1.35, MARGIN_X, TEXT_W, 0, GREY);
}

static double rows_h(const rows_t *r)
{
	double h = 0;
	for (size_t i = 0; i < r->n; i++)
		h += r->v[i].pre + r->v[i].h;
	return h;
}

/* Draws rows r from y without page logic; returns the height used. */
static int draw_rows_at(asm_t *a, const rows_t *r, double y)
{
	for (size_t i = 0; i < r->n; i++) {
		y += i ? r->v[i].pre : 0;
		TRY(draw_row(a, &r->v[i], y));
		y += r->v[i].h;
	}
	return TL_OK;
}

/* Replays a chart's display list into the page at (x, y). */
static int draw_chart(asm_t *a, const tl_chart_t *c, double x, double y)
{
	PDF(tl_pdf_chart_begin(a->doc, x, y, c->width, c->height));
	int in_clip = 0;
	double cx = 0, cy = 0, cw = 0, ch = 0;
	for (size_t p = 0; p < c->npaths; p++) {
		const tl_chart_path_t *cp = &c->paths[p];
		if (cp->first_seg > c->nsegs || cp->nseg > c->nsegs - cp->first_seg)
			return fail(a, TL_EINVAL, "chart: path %zu outside the segment list", p);
		/* A clipped path is drawn inside a chart box of its clip rectangle (pdf.h's
		 * boxes clip and do not nest): leave the chart's box, open the clip's. */
		int want = cp->clipped;
		if (want && (!in_clip || cp->clip_x != cx || cp->clip_y != cy ||
			     cp->clip_w != cw || cp->clip_h != ch)) {
			PDF(tl_pdf_chart_end(a->doc));
			cx = cp->clip_x, cy = cp->clip_y, cw = cp->clip_w, ch = cp->clip_h;
			PDF(tl_pdf_chart_begin(a->doc, x + cx, y + cy, cw > 0 ? cw : 0.01,
					       ch > 0 ? ch : 0.01));
			in_clip = 1;
		} else if (!want && in_clip) {
			PDF(tl_pdf_chart_end(a->doc));
			PDF(tl_pdf_chart_begin(a->doc, x, y, c->width, c->height));
			in_clip = 0;
		}
		double ox = in_clip ? cx : 0, oy = in_clip ? cy : 0;
		tl_pdf_rgb_t rgb = {((cp->rgb >> 16) & 0xff) / 255.0, ((cp->rgb >> 8) & 0xff) / 255.0,
				    (cp->rgb & 0xff) / 255.0};
		tl_pdf_style_t s = {0};
		if (cp->op == TL_CHART_FILL) {
			s.fill = 1;
			s.fill_rgb = rgb;
		} else {
			s.stroke = 1;
			s.stroke_rgb = rgb;
			s.line_width = cp->line_width;
			s.line_join = cp->join == TL_CHART_JOIN_ROUND   ? 1
				      : cp->join == TL_CHART_JOIN_BEVEL ? 2
									: 0;
			s.line_cap = cp->cap == TL_CHART_CAP_ROUND    ? 1
				     : cp->cap == TL_CHART_CAP_SQUARE ? 2
								      : 0;
			if (cp->dash_on > 0) {
				s.dash[0] = cp->dash_on;
				s.dash[1] = cp->dash_off;
				s.n_dash = 2;
			}
		}
		if (cp->nseg == 0)
			continue;
		PDF(tl_pdf_path_begin(a->doc, &s));
		for (size_t k = 0; k < cp->nseg; k++) {
			const tl_chart_seg_t *g = &c->segs[cp->first_seg + k];
			switch (g->kind) {
			case TL_CHART_SEG_MOVE:
				PDF(tl_pdf_move_to(a->doc, g->x[0] - ox, g->y[0] - oy));
				break;
			case TL_CHART_SEG_LINE:
				PDF(tl_pdf_line_to(a->doc, g->x[0] - ox, g->y[0] - oy));
				break;
			case TL_CHART_SEG_CURVE:
				PDF(tl_pdf_curve_to(a->doc, g->x[0] - ox, g->y[0] - oy, g->x[1] - ox,
						    g->y[1] - oy, g->x[2] - ox, g->y[2] - oy));
				break;
			case TL_CHART_SEG_CLOSE:
				PDF(tl_pdf_close_path(a->doc));
				break;
			default:
				break;
			}
		}
		PDF(tl_pdf_path_end(a->doc));
	}
	if (in_clip) {
		PDF(tl_pdf_chart_end(a->doc));
		PDF(tl_pdf_chart_begin(a->doc, x, y, c->width, c->height));
	}
	/* Labels on top of every path, as real text in the document's fonts. */
	for (size_t t = 0; t < c->ntexts; t++) {
		const tl_chart_text_t *ct = &c->texts[t];
		tl_pdf_font_t font = ct->bold ? TL_PDF_BOLD : TL_PDF_REGULAR;
		double w = tl_pdf_text_width(a->doc, font, ct->size, ct->text);
		double back = ct->anchor == TL_CHART_ANCHOR_RIGHT    ? w
			      : ct->anchor == TL_CHART_ANCHOR_CENTRE ? w / 2
								     : 0;
		tl_pdf_rgb_t rgb = {((ct->rgb >> 16) & 0xff) / 255.0, ((ct->rgb >> 8) & 0xff) / 255.0,
				    (ct->rgb & 0xff) / 255.0};
		if (ct->rotate == 90)
			PDF(tl_pdf_text_ex(a->doc, font, ct->size, ct->x, ct->y + back, 90, rgb,
					   ct->text));
		else
			PDF(tl_pdf_text_ex(a->doc, font, ct->size, ct->x - back, ct->y, 0, rgb,
					   ct->text));
	}
	PDF(tl_pdf_chart_end(a->doc));
	return TL_OK;
}

/* Height of a figure: its title, the chart and its caption. */
static double chart_total_h(asm_t *a, const tl_insert_t *in)
{
	tl_buf_t tb;
	tl_buf_init(&tb);
	numbered_title(&tb, "Figure", a->nfigures + 1, in->title, 0);
	rows_t tr = {0}, cr = {0};
	double h = in->chart->height + 4;
	if (title_rows(a, &tr, (const char *)tb.data) == TL_OK)
		h += rows_h(&tr);
	if (caption_rows(a, &cr, in->caption) == TL_OK && cr.n)
		h += 4 + rows_h(&cr);
	tl_buf_free(&tb);
	free(tr.v);
	free(cr.v);
	return h;
}

/* Records the number place_chart just gave the chart called name (report.h,
 * figure_numbers), for the charts exported beside the report. */
static void note_figure(asm_t *a, const char *name)
{
	if (!a->o->figure_numbers)
		return;
	const char *const *names = tl_report_insert_names();
	for (size_t i = 0; names[i] && i < TL_REPORT_MAX_INSERTS; i++)
		if (strcmp(names[i], name) == 0 && a->o->figure_numbers[i] == 0)
			a->o->figure_numbers[i] = a->nfigures;
}

static int place_chart(asm_t *a, const tl_insert_t *in)
{
	const tl_chart_t *c = in->chart;
	tl_buf_t tb;
	tl_buf_init(&tb);
	numbered_title(&tb, "Figure", ++a->nfigures, in->title, 0);
	rows_t tr = {0}, cr = {0};
	int rc = title_rows(a, &tr, (const char *)tb.data);
	if (rc == TL_OK)
		rc = caption_rows(a, &cr, in->caption);
	if (rc == TL_OK) {
		double th = rows_h(&tr), chh = rows_h(&cr);
		double pre = a->at_top ? 0 : 10;
		double need = pre + th + 4 + c->height + (chh > 0 ? 4 + chh : 0);
		rc = ensure(a, need);
		if (rc == TL_OK) {
			a->y += a->at_top ? 0 : 10;
			rc = draw_rows_at(a, &tr, a->y);
			a->y += th + 4;
		}
		if (rc == TL_OK) {
			double x = MARGIN_X + (c->width < TEXT_W ? (TEXT_W - c->width) / 2 : 0);
			rc = draw_chart(a, c, x, a->y);
			a->y += c->height;
		}
		if (rc == TL_OK && chh > 0) {
			a->y += 4;
			rc = draw_rows_at(a, &cr, a->y);
			a->y += chh;
		}
		a->y += 8;
		a->at_top = 0;
	}
	tl_buf_free(&tb);
	free(tr.v);
	free(cr.v);
	return rc;
}

/* Draws the lines of one laid-out table cell (layout.h places it and sets its size) in the
 * table whose top-left corner is x0, top (the top of its row). */
static int draw_cell(asm_t *a, const tl_font_t *f, const char *text, const tl_table_cell_t *cell,
		     double x0, double top, double pad_x, double lead, int align, tl_pdf_rgb_t rgb)
{
	const tl_lines_t *l = &cell->lines;
	double lh = cell->size * lead;
	double base = baseline_in(a, f->font, cell->size, lh);
	double x = x0 + cell->x, w = cell->w;
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = TL_OK;
	if (cell->lifted)
		align = TL_ALIGN_LEFT;
	for (size_t i = 0; i < l->n && rc == TL_OK; i++) {
		const tl_line_t *ln = &l->v[i];
		tl_buf_clear(&b);
		tl_buf_append(&b, text + ln->off, ln->len);
		tl_buf_puts(&b, tl_layout_mark(f, ln->mark));
		tl_buf_putc(&b, '\0');
		if (b.len <= 1)
			continue;
		double tx = x + pad_x;
		if (align == TL_ALIGN_RIGHT)
			tx = x + w - pad_x - ln->width;
		else if (align == TL_ALIGN_CENTER)
			tx = x + (w - ln->width) / 2;
		rc = tl_pdf_text_ex(a->doc, (tl_pdf_font_t)f->font, cell->size, tx,
				    top + cell->y + i * lh + base, 0, rgb, (const char *)b.data);
	}
	tl_buf_free(&b);
	return rc == TL_OK ? TL_OK : pdf_fail(a, rc);
}

static int draw_table_part(asm_t *a, const tl_insert_table_t *it, const tl_table_spec_t *sp,
			   const tl_table_t *t, const tl_table_page_t *pg, double y)
{
	static const tl_pdf_rgb_t head_fill = {0.86, 0.90, 0.94};
	static const tl_pdf_rgb_t zebra = {0.955, 0.962, 0.970};
	double x0 = MARGIN_X;
	tl_pdf_style_t fill = {.fill = 1, .fill_rgb = head_fill};
	tl_pdf_style_t rule = {.stroke = 1, .stroke_rgb = {0.35, 0.35, 0.35}, .line_width = 0.6};
	PDF(tl_pdf_rect(a->doc, x0, y, t->width, t->head_h, &fill));
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = it->head[c] ? it->head[c] : "";
		TRY(draw_cell(a, sp->head_font, h, &t->head[c], x0, y, sp->pad_x, sp->leading,
			      it->cols[c].align, NAVY));
	}
	PDF(tl_pdf_line(a->doc, x0, y + t->head_h, x0 + t->width, y + t->head_h, &rule));
	double ry = y + t->head_h;
	for (size_t r = pg->first; r < pg->first + pg->count; r++) {
		if (r % 2 == 1) {
			tl_pdf_style_t z = {.fill = 1, .fill_rgb = zebra};
			PDF(tl_pdf_rect(a->doc, x0, ry, t->width, t->row_h[r], &z));
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = it->cells[r * t->ncols + c];
			TRY(draw_cell(a, sp->body_font, s ? s : "", &t->cells[r * t->ncols + c], x0,
				      ry, sp->pad_x, sp->leading, it->cols[c].align, INK));
		}
		ry += t->row_h[r];
	}
	PDF(tl_pdf_line(a->doc, x0, ry, x0 + t->width, ry, &rule));
	return TL_OK;
}

static double table_h(const tl_table_t *t, const tl_table_page_t *pg)
{
	double h = t->head_h;
	for (size_t r = pg->first; r < pg->first + pg->count; r++)
		h += t->row_h[r];
	return h;
}

static void table_spec(asm_t *a, const tl_insert_table_t *it, tl_font_t *hf, tl_font_t *bf,
		       tl_table_spec_t *sp)
{
	*hf = font_of(a, TL_PDF_BOLD, TABLE_SIZE);
	*bf = font_of(a, TL_PDF_REGULAR, TABLE_SIZE);
	*sp = (tl_table_spec_t){.head_font = hf, .body_font = bf, .leading = 1.3, .pad_x = 4,
				.pad_y = 2.5, .width = TEXT_W, .ncols = it->ncols, .cols = it->cols,
				.head = (const char *const *)it->head, .nrows = it->nrows,
				.cells = (const char *const *)it->cells,
				.min_size = TABLE_MIN_SIZE};
}

/* Height of a table's header and first row (what must follow a heading). */
static double table_start_h(asm_t *a, const tl_insert_table_t *it)
{
	double fallback = 4 * TABLE_SIZE * 1.3 + 10;
	if (it->ncols == 0 || !it->cols || !it->head || (it->nrows && !it->cells))
		return fallback;
	tl_font_t hf, bf;
	tl_table_spec_t sp;
	table_spec(a, it, &hf, &bf, &sp);
	tl_table_t t;
	if (tl_table_layout(&sp, &t) != TL_OK)
		return fallback;
	double h = t.head_h + (t.nrows ? t.row_h[0] : 0);
	tl_table_free(&t);
	return h;
}

static int place_table(asm_t *a, const tl_insert_t *in, int line, const char *name)
{
	const tl_insert_table_t *it = &in->table;
	if (it->ncols == 0 || !it->cols || !it->head || (it->nrows && !it->cells))
		return fail(a, TL_EINVAL, "%s:%d: @insert %s: a table without columns", a->tname,
			    line, name);
	tl_font_t hf, bf;
	tl_table_spec_t sp;
	table_spec(a, it, &hf, &bf, &sp);
	tl_table_t t;
	int rc = tl_table_layout(&sp, &t);
	if (rc != TL_OK)
		return fail(a, rc, "%s:%d: @insert %s: the table does not fit the page width",
			    a->tname, line, name);
	unsigned num = ++a->ntables;
	tl_buf_t tb, cb;
	tl_buf_init(&tb);
	tl_buf_init(&cb);
	numbered_title(&tb, "Table", num, in->title, 0);
	numbered_title(&cb, "Table", num, in->title, 1);
	rows_t tr = {0}, ctr = {0}, cr = {0};
	tl_table_page_t *pages = NULL;
	size_t np = 0;
	rc = title_rows(a, &tr, (const char *)tb.data);
	if (rc == TL_OK)
		rc = title_rows(a, &ctr, (const char *)cb.data);
	if (rc == TL_OK)
		rc = caption_rows(a, &cr, in->caption);
	if (rc != TL_OK)
		goto out;
	double th = rows_h(&tr) + 4, cth = rows_h(&ctr) + 4;
	double chh = cr.n ? rows_h(&cr) + 4 : 0;
	double pre = a->at_top ? 0 : 10;
	double first = room(a) - pre - th;
	double page = BODY_H - cth;
	rc = tl_table_paginate(&t, first, page, &pages, &np);
	if (rc != TL_OK) {
		rc = fail(a, rc, "%s:%d: @insert %s: cannot break the table into pages", a->tname,
			  line, name);
		goto out;
	}
	/* The caption stays with the table's last part: rows move from the last part to a
	 * page of their own until the caption fits under what is left. */
	if (chh > 0 && np > 0 && it->nrows > 0) {
		size_t last = np - 1;
		double avail = last == 0 ? first : page;
		tl_table_page_t *lp = &pages[last];
		if (lp->count > 0 && table_h(&t, lp) + chh > avail + 1e-6) {
			size_t k = lp->count;
			tl_table_page_t cut = *lp;
			while (k > 1) {
				cut.count = k;
				if (table_h(&t, &cut) + chh <= avail + 1e-6)
					break;
				k--;
			}
			cut.count = k;
			if (k == 1 && table_h(&t, &cut) + chh > avail + 1e-6)
				k = 0; /* nothing may stay: all of the part moves on */
			pages = tl_xrealloc(pages, (np + 1) * sizeof(*pages));
			lp = &pages[last];
			if (k == 0 && last == 0) {
				/* the whole table starts on a fresh page */
				pages[1] = *lp;
				pages[0].count = 0;
				pages[0].overfull = 0;
				np = 2;
			} else if (k > 0) {
				pages[np] = (tl_table_page_t){lp->first + k, lp->count - k, 0};
				lp->count = k;
				np++;
			}
		}
	}
	for (size_t p = 0; p < np; p++) {
		if (p == 0 && pages[0].count == 0 && it->nrows > 0) {
			rc = new_page(a);
			if (rc != TL_OK)
				goto out;
			continue; /* the rows follow in the next entry on the fresh page */
		}
		int cont = p > 0 && !(p == 1 && pages[0].count == 0 && it->nrows > 0);
		if (p > 0 && cont) {
			rc = new_page(a);
			if (rc != TL_OK)
				goto out;
		}
		if (!a->at_top)
			a->y += 10;
		const rows_t *title = cont ? &ctr : &tr;
		rc = draw_rows_at(a, title, a->y);
		if (rc != TL_OK)
			goto out;
		a->y += cont ? cth : th;
		rc = draw_table_part(a, it, &sp, &t, &pages[p], a->y);
		if (rc != TL_OK)
			goto out;
		a->y += table_h(&t, &pages[p]);
		a->at_top = 0;
	}
	if (cr.n) {
		a->y += 4;
		if (room(a) < rows_h(&cr))
			rc = new_page(a);
		if (rc == TL_OK)
			rc = draw_rows_at(a, &cr, a->y);
		a->y += rows_h(&cr);
	}
	a->y += 8;
out:
	free(pages);
	tl_table_free(&t);
	tl_buf_free(&tb);
	tl_buf_free(&cb);
	free(tr.v);
	free(ctr.v);
	free(cr.v);
	return rc;
}

/* ---- blocks --------------------------------------------------------------------------- */

static const double HEAD_SIZE[3] = {15.0, 12.0, 10.5};
static const double HEAD_PRE[3] = {18.0, 12.0, 9.0};

/* The heading text "3.2 Resolver behaviour" into b (terminated). */
static void heading_text(asm_t *a, const tl_tblock_t *blk, tl_buf_t *b)
{
	int lv = blk->level < 1 ? 1 : blk->level > 3 ? 3 : blk->level;
	for (int i = 0; i < lv; i++)
		tl_buf_printf(b, "%s%u", i ? "." : "", a->sec[i]);
	tl_buf_putc(b, ' ');
	tl_buf_puts(b, blk->text);
	tl_buf_putc(b, '\0');
}

static int heading_rows(asm_t *a, const tl_tblock_t *blk, const char *text, rows_t *r)
{
	int lv = blk->level < 1 ? 1 : blk->level > 3 ? 3 : blk->level;
	size_t first = r->n;
	TRY(add_text(a, r, text, TL_PDF_BOLD, HEAD_SIZE[lv - 1], 1.3, MARGIN_X, TEXT_W,
		     HEAD_PRE[lv - 1], lv == 1 ? NAVY : INK));
	for (size_t i = first; i < r->n; i++)
		r->v[i].keep = 1;
	if (r->n > first)
		r->v[r->n - 1].h += lv == 1 ? 5 : 3; /* space under the heading */
	return TL_OK;
}

/* The least height block bi needs at the top of what follows a heading: a heading must
 * not end a page without at least this much of its section beneath it. */
static double min_height(asm_t *a, size_t bi, int depth)
{
	if (bi >= a->td->n || depth > 4)
		return 0;
	const tl_tblock_t *b = &a->td->v[bi];
	double line = BODY_SIZE * BODY_LEAD;
	switch (b->kind) {
	case TL_TB_SECTION: {
		int lv = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
		return HEAD_PRE[lv - 1] + HEAD_SIZE[lv - 1] * 1.3 + 5 + min_height(a, bi + 1,
										      depth + 1);
	}
	case TL_TB_PARA:
	case TL_TB_ITEM:
	case TL_TB_FIELD:
		return PARA_GAP + 2 * line;
	case TL_TB_BOX_BEGIN:
		return 2 * BOX_PAD + 3 * line + 3;
	case TL_TB_INSERT: {
		tl_insert_t *in;
		if (insert_get(a, bi, &in) != TL_OK)
			return 0; /* the error shows when the insert is drawn */
		if (in->kind == TL_INSERT_CHART)
			return 10 + chart_total_h(a, in);
		/* the title, the header and a first row */
		return 10 + 9.5 * 1.35 + 4 + table_start_h(a, &in->table);
	}
	default:
		return 0;
	}
}

static int do_section(asm_t *a, size_t bi)
{
	const tl_tblock_t *blk = &a->td->v[bi];
	int lv = blk->level < 1 ? 1 : blk->level > 3 ? 3 : blk->level;
	a->sec[lv - 1]++;
	for (int i = lv; i < 3; i++)
		a->sec[i] = 0;
	tl_buf_t b;
	tl_buf_init(&b);
	heading_text(a, blk, &b);
	rows_t r = {0};
	int rc = heading_rows(a, blk, (const char *)b.data, &r);
	if (rc == TL_OK) {
		/* keep with next: the heading and the start of its content on one page */
		double need = rows_h(&r) + min_height(a, bi + 1, 0);
		if (need > BODY_H)
			need = rows_h(&r) + 3 * BODY_SIZE * BODY_LEAD;
		if (a->failed)
			rc = TL_EINVAL;
		else
			rc = ensure(a, need);
	}
	if (rc == TL_OK)
		rc = place_rows(a, &r);
	if (rc == TL_OK) {
		tl_pdf_outline_t *parent = NULL;
		for (int i = lv - 2; i >= 0 && !parent; i--)
			parent = a->outl[i];
		tl_pdf_outline_t *o = NULL;
		size_t page = tl_pdf_page_count(a->doc) - 1;
		rc = tl_pdf_outline_add(a->doc, parent, (const char *)b.data, page, lv == 1, &o);
		if (rc != TL_OK)
			rc = pdf_fail(a, rc);
		a->outl[lv - 1] = o;
		for (int i = lv; i < 3; i++)
			a->outl[i] = NULL;
	}
	tl_buf_free(&b);
	free(r.v);
	return rc;
}

/* Adds the rows of a paragraph, item or field block (inside a box: x, width). */
static int flow_rows(asm_t *a, const tl_tblock_t *blk, const tl_tblock_t *prev, rows_t *r,
		     double x, double width)
{
	double pre = PARA_GAP;
	switch (blk->kind) {
	case TL_TB_PARA:
		return add_text(a, r, blk->text, TL_PDF_REGULAR, BODY_SIZE, BODY_LEAD, x, width,
				pre, INK);
	case TL_TB_ITEM:
		if (prev && prev->kind == TL_TB_ITEM)
			pre = ITEM_GAP;
		return add_item(a, r, blk->text, x, width, pre);
	case TL_TB_FIELD:
		if (prev && prev->kind == TL_TB_FIELD)
			pre = 1;
		return add_field(a, r, blk->label, blk->text, x, width, FIELD_LABEL_W, pre);
	default:
		return TL_OK;
	}
}

static int is_flow(int kind)
{
	return kind == TL_TB_PARA || kind == TL_TB_ITEM || kind == TL_TB_FIELD;
}

static int do_block(asm_t *a, size_t *bi);

/* A box: its paragraphs, items and fields framed; any other block inside it (a heading, an
 * insert, a nested box) ends the framed part, is drawn as usual, and the frame resumes. */
static int do_box(asm_t *a, size_t *bi)
{
	const tl_tblock_t *open = &a->td->v[*bi];
	size_t i = *bi + 1;
	int depth = 1, part = 0;
	double inner_x = MARGIN_X + BOX_PAD + 4, inner_w = TEXT_W - 2 * BOX_PAD - 4;
	while (i < a->td->n && depth > 0) {
		rows_t r = {0};
		const tl_tblock_t *prev = NULL;
		while (i < a->td->n && is_flow(a->td->v[i].kind)) {
			int rc = flow_rows(a, &a->td->v[i], prev, &r, inner_x, inner_w);
			if (rc != TL_OK) {
				free(r.v);
				return rc;
			}
			prev = &a->td->v[i];
			i++;
		}
		if (r.n) {
			r.v[0].pre = 0;
			if (!a->at_top)
				a->y += 4;
			const char *label = open->label;
			tl_buf_t lb;
			tl_buf_init(&lb);
			if (part > 0 && label[0]) {
				tl_buf_puts(&lb, label);
				tl_buf_puts(&lb, " (continued)");
			}
			tl_buf_putc(&lb, '\0');
			int rc = place_box(a, &r, open->name, part > 0 && label[0]
								 ? (const char *)lb.data
								 : label);
			tl_buf_free(&lb);
			free(r.v);
			if (rc != TL_OK)
				return rc;
			part++;
		} else {
			free(r.v);
		}
		if (i >= a->td->n)
			break;
		if (a->td->v[i].kind == TL_TB_BOX_END) {
			depth--;
			i++;
			continue;
		}
		/* something else inside the box */
		TRY(do_block(a, &i));
	}
	*bi = i;
	return TL_OK;
}

/* The cover page: logo, title, subtitle, then the fields. */
static int draw_logo(asm_t *a, const tl_tblock_t *blk)
{
	tl_buf_t p;
	tl_buf_init(&p);
	if (blk->text[0] != '/' && a->tdir[0]) {
		tl_buf_puts(&p, a->tdir);
		tl_buf_putc(&p, '/');
	}
	tl_buf_puts(&p, blk->text);
	tl_buf_putc(&p, '\0');
	char *png = NULL;
	size_t len = 0;
	int rc = tl_file_read_any((const char *)p.data, LOGO_MAX_BYTES, &png, &len);
	if (rc != TL_OK) {
		rc = fail(a, rc, "%s:%d: logo %s: %s", a->tname, blk->line, (const char *)p.data,
			  tl_strerror(rc));
		tl_buf_free(&p);
		return rc;
	}
	tl_pdf_image_t *img = NULL;
	rc = tl_pdf_image_png(a->doc, png, len, &img);
	free(png);
	if (rc != TL_OK) {
		rc = fail(a, rc, "%s:%d: logo %s: %s", a->tname, blk->line, (const char *)p.data,
			  tl_pdf_errmsg(a->doc));
		tl_buf_free(&p);
		return rc;
	}
	tl_buf_free(&p);
	unsigned wp = 1, hp = 1;
	tl_pdf_image_size(img, &wp, &hp);
	double w = LOGO_MAX_W, h = w * hp / (wp ? wp : 1);
	if (h > LOGO_MAX_H) {
		h = LOGO_MAX_H;
		w = h * wp / (hp ? hp : 1);
	}
	PDF(tl_pdf_image_draw(a->doc, img, MARGIN_X, a->y, w, h));
	a->y += h + 36;
	a->at_top = 0;
	return TL_OK;
}

/* Blocks of the cover: everything before the first section or page break. */
static int do_cover(asm_t *a, size_t *bi)
{
	size_t end = *bi;
	while (end < a->td->n && a->td->v[end].kind != TL_TB_SECTION &&
	       a->td->v[end].kind != TL_TB_PAGEBREAK)
		end++;
	/* the logo leads, wherever the template puts it among the cover's blocks */
	int logo = 0;
	for (size_t i = *bi; i < end; i++)
		if (a->td->v[i].kind == TL_TB_LOGO && a->td->v[i].text[0] && !logo) {
			TRY(draw_logo(a, &a->td->v[i]));
			logo = 1;
		}
	if (!logo)
		a->y += 90;
	size_t i = *bi;
	int fields = 0;
	while (i < end) {
		const tl_tblock_t *b = &a->td->v[i];
		rows_t r = {0};
		int rc = TL_OK;
		if (b->kind == TL_TB_TITLE) {
			rc = add_text(a, &r, b->text, TL_PDF_BOLD, 24, 1.25, MARGIN_X, TEXT_W, 0,
				      NAVY);
		} else if (b->kind == TL_TB_SUBTITLE) {
			rc = add_text(a, &r, b->text, TL_PDF_REGULAR, 14, 1.3, MARGIN_X, TEXT_W, 10,
				      INK);
		} else if (b->kind == TL_TB_FIELD) {
			if (!fields) {
				/* a rule between the title and the facts of the case */
				a->y += 18;
				tl_pdf_style_t rs = {.stroke = 1, .stroke_rgb = NAVY,
						     .line_width = 1.2};
				PDF(tl_pdf_line(a->doc, MARGIN_X, a->y, MARGIN_X + TEXT_W, a->y,
						&rs));
				a->y += 10;
			}
			rc = add_field(a, &r, b->label, b->text, MARGIN_X, TEXT_W, FIELD_LABEL_W,
				       fields ? 4 : 0);
			fields++;
		} else if (b->kind == TL_TB_LOGO) {
			i++;
			continue;
		} else {
			if (b->kind == TL_TB_BOX_BEGIN && fields)
				a->y += 18;
			TRY(do_block(a, &i));
			continue;
		}
		if (rc == TL_OK)
			rc = place_rows(a, &r);
		free(r.v);
		if (rc != TL_OK)
			return rc;
		i++;
	}
	*bi = end;
	return TL_OK;
}

static int do_block(asm_t *a, size_t *bi)
{
	const tl_tblock_t *b = &a->td->v[*bi];
	switch (b->kind) {
	case TL_TB_SECTION:
		TRY(do_section(a, *bi));
		break;
	case TL_TB_PARA:
	case TL_TB_ITEM:
	case TL_TB_FIELD: {
		/* a run of flowing blocks at once, so keep chains cross no block boundary
		 * wrongly and spacing follows the previous block */
		rows_t r = {0};
		const tl_tblock_t *prev = NULL;
		size_t i = *bi;
		int rc = TL_OK;
		while (rc == TL_OK && i < a->td->n && is_flow(a->td->v[i].kind)) {
			rc = flow_rows(a, &a->td->v[i], prev, &r, MARGIN_X, TEXT_W);
			prev = &a->td->v[i];
			i++;
		}
		if (rc == TL_OK)
			rc = place_rows(a, &r);
		free(r.v);
		if (rc != TL_OK)
			return rc;
		*bi = i;
		return TL_OK;
	}
	case TL_TB_BOX_BEGIN:
		return do_box(a, bi);
	case TL_TB_INSERT: {
		tl_insert_t *in;
		TRY(insert_get(a, *bi, &in));
		if (in->kind == TL_INSERT_CHART) {
			TRY(place_chart(a, in));
			note_figure(a, b->name);
		} else
			TRY(place_table(a, in, b->line, b->name));
		break;
	}
	case TL_TB_PAGEBREAK:
		if (!a->at_top)
			TRY(new_page(a));
		break;
	case TL_TB_TITLE:
	case TL_TB_SUBTITLE:
	case TL_TB_LOGO:
		/* outside the cover: the title and subtitle as plain headings, a logo drawn */
		if (b->kind == TL_TB_LOGO) {
			if (b->text[0])
				TRY(draw_logo(a, b));
		} else {
			rows_t r = {0};
			int rc = add_text(a, &r, b->text, TL_PDF_BOLD,
					  b->kind == TL_TB_TITLE ? 16 : 12, 1.3, MARGIN_X, TEXT_W,
					  12, NAVY);
			if (rc == TL_OK)
				rc = place_rows(a, &r);
			free(r.v);
			TRY(rc);
		}
		break;
	default: /* a stray box end */
		break;
	}
	(*bi)++;
	return TL_OK;
}

/* ---- page furniture ------------------------------------------------------------------- */

typedef struct furniture {
	asm_t *a;
	char id12[13];
} furniture_t;

/* Draws text elided to width w at (x, y). */
static int text_fit(asm_t *a, int font, double size, double x, double y, double w,
		    tl_pdf_rgb_t rgb, const char *s)
{
	tl_font_t f = font_of(a, font, size);
	size_t keep = strlen(s);
	int cut = tl_layout_elide(&f, s, keep, w, &keep);
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_append(&b, s, keep);
	if (cut)
		tl_buf_puts(&b, tl_layout_mark(&f, TL_MARK_ELIDE));
	tl_buf_putc(&b, '\0');
	int rc = b.len > 1 ? tl_pdf_text_ex(a->doc, (tl_pdf_font_t)font, size, x, y, 0, rgb,
					    (const char *)b.data)
			   : TL_OK;
	tl_buf_free(&b);
	return rc;
}

static int furniture(tl_pdf_t *doc, size_t index, size_t count, void *ctx)
{
	furniture_t *fu = ctx;
	asm_t *a = fu->a;
	const tl_case_t *c = a->f->kase;
	const double sz = 7.5;
	tl_pdf_style_t rule = {.stroke = 1, .stroke_rgb = {0.6, 0.6, 0.6}, .line_width = 0.4};
	char right[64];
	snprintf(right, sizeof(right), "Report ID %s", fu->id12);
	double rw = tl_pdf_text_width(doc, TL_PDF_REGULAR, sz, right);
	int rc = tl_pdf_text_ex(doc, TL_PDF_REGULAR, sz, MARGIN_X + TEXT_W - rw, HEAD_Y, 0, GREY,
				right);
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_printf(&b, "Case %s", c && c->number ? c->number : "");
	if (c && c->exhibit && c->exhibit[0])
		tl_buf_printf(&b, " \xc2\xb7 Exhibit: %s", c->exhibit);
	tl_buf_putc(&b, '\0');
	if (rc == TL_OK)
		rc = text_fit(a, TL_PDF_REGULAR, sz, MARGIN_X, HEAD_Y, TEXT_W - rw - 18, GREY,
			      (const char *)b.data);
	if (rc == TL_OK)
		rc = tl_pdf_line(doc, MARGIN_X, HEAD_Y + 5, MARGIN_X + TEXT_W, HEAD_Y + 5, &rule);
	if (rc == TL_OK)
		rc = tl_pdf_line(doc, MARGIN_X, FOOT_Y - 11, MARGIN_X + TEXT_W, FOOT_Y - 11, &rule);
	tl_buf_clear(&b);
	tl_buf_printf(&b, "Page %zu of %zu", index + 1, count);
	tl_buf_putc(&b, '\0');
	double pw = tl_pdf_text_width(doc, TL_PDF_REGULAR, sz + 0.5, (const char *)b.data);
	if (rc == TL_OK)
		rc = tl_pdf_text_ex(doc, TL_PDF_REGULAR, sz + 0.5, MARGIN_X + TEXT_W - pw, FOOT_Y, 0,
				    INK, (const char *)b.data);
	if (rc == TL_OK && c && c->control_prefix && c->control_prefix[0]) {
		tl_buf_clear(&b);
		tl_buf_printf(&b, "%s%06zu", c->control_prefix, index + 1);
		tl_buf_putc(&b, '\0');
		rc = tl_pdf_text_ex(doc, TL_PDF_MONO, sz + 0.5, MARGIN_X, FOOT_Y, 0, INK,
				    (const char *)b.data);
	}
	if (rc == TL_OK && a->o->draft) {
		const char *d = "DRAFT \xe2\x80\x94 not for use as evidence";
		double dw = tl_pdf_text_width(doc, TL_PDF_BOLD, sz + 0.5, d);
		rc = tl_pdf_text_ex(doc, TL_PDF_BOLD, sz + 0.5, (TL_PDF_PAGE_W - dw) / 2, FOOT_Y, 0,
				    RED, d);
	}
	tl_buf_free(&b);
	return rc;
}

/* ---- the document --------------------------------------------------------------------- */

static void join_examiners(const tl_case_t *c, tl_buf_t *b)
{
	for (size_t i = 0; c && i < c->n_examiners; i++) {
		if (i)
			tl_buf_puts(b, "; ");
		tl_buf_puts(b, c->examiners[i]);
	}
	tl_buf_putc(b, '\0');
}

static const char *first_text(const tl_tdoc_t *d, int kind)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind == kind)
			return d->v[i].text;
	return NULL;
}

static int build(asm_t *a, uint8_t **pdf, size_t *len)
{
	const tl_report_opts_t *o = a->o;
	const tl_case_t *c = a->f->kase;
	tl_pdf_options_t po;
	tl_pdf_options_init(&po);
	po.level = o->pdfa_1b ? TL_PDF_A1B : TL_PDF_A3B;
	tl_buf_t author, kw, fp[TL_PDF_NFONTS];
	tl_buf_init(&author);
	tl_buf_init(&kw);
	join_examiners(c, &author);
	tl_buf_printf(&kw, "DNS, evidence report%s%s", c && c->number ? ", " : "",
		      c && c->number ? c->number : "");
	tl_buf_putc(&kw, '\0');
	po.title = first_text(a->td, TL_TB_TITLE);
	po.subject = first_text(a->td, TL_TB_SUBTITLE);
	po.author = author.len > 1 ? (const char *)author.data : NULL;
	po.keywords = (const char *)kw.data;
	po.case_number = c ? c->number : NULL;
	po.report_id = o->report_id;
	po.created = o->date_s;
	/* the trailer /ID: the content (findings and report ID), never the clock */
	tl_sha256_t *h = tl_sha256_new();
	if (o->findings_json)
		tl_sha256_update(h, o->findings_json, o->findings_len);
	if (o->report_id)
		tl_sha256_update(h, o->report_id, strlen(o->report_id));
	uint8_t dg[TL_SHA256_LEN];
	tl_sha256_final(h, dg);
	tl_sha256_free(h);
	memcpy(po.doc_id, dg, sizeof(po.doc_id));
	static const char *const files[TL_PDF_NFONTS] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
							 "DejaVuSans-Oblique.ttf",
							 "DejaVuSansMono.ttf"};
	for (int i = 0; i < TL_PDF_NFONTS; i++) {
		tl_buf_init(&fp[i]);
		tl_buf_printf(&fp[i], "%s/%s", o->fonts_dir, files[i]);
		tl_buf_putc(&fp[i], '\0');
		po.font_path[i] = (const char *)fp[i].data;
	}
	po.icc_path = o->icc_path;
	char *em = NULL;
	int rc = tl_pdf_new(&po, &a->doc, &em);
	tl_buf_free(&author);
	tl_buf_free(&kw);
	for (int i = 0; i < TL_PDF_NFONTS; i++)
		tl_buf_free(&fp[i]);
	if (rc != TL_OK) {
		rc = fail(a, rc, "%s", em ? em : tl_strerror(rc));
		free(em);
		return rc;
	}
	TRY(new_page(a));
	size_t i = 0;
	TRY(do_cover(a, &i));
	while (i < a->td->n)
		TRY(do_block(a, &i));
	furniture_t fu = {.a = a};
	snprintf(fu.id12, sizeof(fu.id12), "%.12s", o->report_id ? o->report_id : "");
	PDF(tl_pdf_page_label(a->doc, 0, TL_PDF_LABEL_DECIMAL, 1, NULL));
	PDF(tl_pdf_each_page(a->doc, furniture, &fu));
	if (!o->pdfa_1b) {
		if (o->findings_json)
			PDF(tl_pdf_attach(a->doc, "findings.json", "application/json", TL_PDF_AF_DATA,
					  "The findings this report was made from (JSON)",
					  o->findings_json, o->findings_len));
		if (o->manifest_json)
			PDF(tl_pdf_attach(a->doc, "manifest.json", "application/json",
					  TL_PDF_AF_SOURCE,
					  "The inputs and their SHA-256 hashes (JSON)",
					  o->manifest_json, o->manifest_len));
	}
	PDF(tl_pdf_save(a->doc, pdf, len));
	return TL_OK;
}

int tl_report_render(const tl_findings_t *f, const tl_report_opts_t *o, uint8_t **pdf,
		     size_t *len, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	asm_t a;
	memset(&a, 0, sizeof(a));
	a.f = f;
	a.o = o;
	a.err = err;
	a.errlen = errlen;
	if (!f || !o || !pdf || !len || !o->template_path || !o->fonts_dir || !o->icc_path)
		return fail(&a, TL_EINVAL, "report: missing template, fonts or ICC profile");
	if (o->figure_numbers)
		memset(o->figure_numbers, 0, TL_REPORT_MAX_INSERTS * sizeof(*o->figure_numbers));
	const char *slash = strrchr(o->template_path, '/');
	a.tname = tl_xstrdup(slash ? slash + 1 : o->template_path);
	a.tdir = slash ? tl_xstrndup(o->template_path, (size_t)(slash - o->template_path))
		       : tl_xstrdup(".");
	if (slash && slash == o->template_path) {
		free(a.tdir);
		a.tdir = tl_xstrdup("");
	}
	tl_template_t *t = NULL;
	tl_template_error_t te;
	tl_tvars_t *vars = NULL;
	tl_tdoc_t td;
	memset(&td, 0, sizeof(td));
	int rc = tl_template_load(o->template_path, &t, &te);
	if (rc != TL_OK) {
		fail(&a, rc, "%s", te.msg);
		goto out;
	}
	vars = tl_tvars_new();
	rc = tl_report_vars(f, vars, err, errlen);
	if (rc != TL_OK) {
		if (err && errlen && !err[0])
			snprintf(err, errlen, "report values: %s", tl_strerror(rc));
		a.failed = 1;
		goto out;
	}
	/* The report ID is the assembler's to give (the findings cannot hold the hash of a
	 * manifest that lists them): the short form in the text, the whole in the manifest
	 * line. */
	if (o->report_id && o->report_id[0]) {
		char id12[13];
		snprintf(id12, sizeof(id12), "%.12s", o->report_id);
		tl_tvars_set(vars, "report.id", id12);
		tl_tvars_set(vars, "repro.manifest_sha256", o->report_id);
	}
	/* what the report says of its manifest comes from the manifest itself */
	if (tl_report_manifest_vars((const char *)o->manifest_json, o->manifest_len, vars) !=
	    TL_OK) {
		rc = fail(&a, TL_EFORMAT, "report: the manifest given is not a tealeaves manifest");
		goto out;
	}
	/* whether the findings travel inside the file (PDF/A-3b) or beside it (1b) */
	tl_tvars_set_bool(vars, "report.attachments", !o->pdfa_1b && o->findings_json != NULL);
	/* likewise what the program knows about itself and how it was run */
	if (o->tool_commit)
		tl_tvars_set(vars, "tool.commit", o->tool_commit);
	if (o->libraries)
		tl_tvars_set(vars, "tool.libraries", o->libraries);
	if (o->command)
		tl_tvars_set(vars, "repro.command", o->command);
	if (o->verify_command)
		tl_tvars_set(vars, "repro.verify_command", o->verify_command);
	/* every table and chart the inserts know may be named by @insert */
	for (const char *const *n = tl_report_insert_names(); n && *n; n++)
		tl_tvars_set_bool(vars, *n, 1);
	rc = tl_template_render(t, vars, &td, &te);
	if (rc != TL_OK) {
		fail(&a, rc, "%s", te.msg);
		goto out;
	}
	a.td = &td;
	a.ins = tl_xcalloc(td.n ? td.n : 1, sizeof(*a.ins));
	a.ins_built = tl_xcalloc(td.n ? td.n : 1, sizeof(*a.ins_built));
	rc = build(&a, pdf, len);
	if (rc != TL_OK && !a.failed)
		fail(&a, rc, "report: %s", tl_strerror(rc));
out:
	for (size_t i = 0; a.ins && i < td.n; i++)
		if (a.ins_built[i])
			tl_insert_free(&a.ins[i]);
	free(a.ins);
	free(a.ins_built);
	tl_pdf_free(a.doc);
	tl_tdoc_free(&td);
	tl_tvars_free(vars);
	tl_template_free(t);
	free(a.tname);
	free(a.tdir);
	return rc;
}
