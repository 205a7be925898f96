/* report.c - the report assembler: the filled template's blocks laid out on A4 pages with
 * headings, bookmarks, boxes, tables and charts, page furniture and attachments, saved to
 * PDF bytes in memory. It formats and places; every figure comes from the vars and inserts. */
#include "render/report/report_impl.h"

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

int tl_report_fail(asm_t *a, int rc, const char *fmt, ...)
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

int tl_report_pdf_fail(asm_t *a, int rc)
{
	const char *m = tl_pdf_errmsg(a->doc);
	return tl_report_fail(a, rc, "PDF: %s", m && *m ? m : tl_strerror(rc));
}

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
double tl_report_chart_measure(void *ctx, const char *utf8, double size, int bold)
{
	asm_t *a = ctx;
	return tl_pdf_text_width(a->doc, bold ? TL_PDF_BOLD : TL_PDF_REGULAR, size, utf8);
}

tl_font_t tl_report_font_of(asm_t *a, int font, double size)
{
	tl_font_t f = {.measure = measure, .ud = a, .font = font, .size = size};
	return f;
}

double tl_report_baseline_in(asm_t *a, int font, double size, double h)
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
	tl_font_t f = tl_report_font_of(a, font, size);
	tl_lines_t l;
	tl_lines_init(&l);
	int rc = tl_layout_wrap(&f, text, n, width, &l);
	if (rc != TL_OK) {
		tl_lines_free(&l);
		return tl_report_fail(a, rc, "laying out text: %s", tl_strerror(rc));
	}
	double h = size * lead;
	double base = tl_report_baseline_in(a, font, size, h);
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

int tl_report_add_text(asm_t *a, rows_t *r, const char *text, int font, double size, double lead,
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
		double h = size * lead, base = tl_report_baseline_in(a, font, size, h);
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
	TRY(tl_report_add_text(a, r, text, TL_PDF_REGULAR, BODY_SIZE, BODY_LEAD, x + BULLET_IND,
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
	int rc = tl_report_add_text(a, &lr, label, TL_PDF_BOLD, BODY_SIZE - 0.5, BODY_LEAD, x,
				    label_w - 8, 0, GREY);
	if (rc == TL_OK)
		rc = tl_report_add_text(a, &vr, value, vfont, vsize, BODY_SIZE * BODY_LEAD / vsize,
					vx, vw, 0, INK);
	if (rc == TL_OK) {
		size_t n = lr.n > vr.n ? lr.n : vr.n;
		size_t first = r->n;
		double h = BODY_SIZE * BODY_LEAD;
		for (size_t i = 0; i < n; i++) {
			row_t *w = row_push(r);
			w->pre = i == 0 ? pre : 0;
			w->h = h;
			w->base = tl_report_baseline_in(a, TL_PDF_REGULAR, BODY_SIZE, h);
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

int tl_report_draw_row(asm_t *a, const row_t *w, double y)
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
		return tl_report_pdf_fail(a, rc);
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

int tl_report_new_page(asm_t *a)
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

double tl_report_room(const asm_t *a)
{
	return BODY_BOTTOM - a->y;
}

int tl_report_ensure(asm_t *a, double need)
{
	if (!a->at_top && need > tl_report_room(a) + 1e-6)
		return tl_report_new_page(a);
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
		if (!a->at_top && pre + g > tl_report_room(a) + 1e-6) {
			TRY(tl_report_new_page(a));
			pre = 0;
		}
		a->y += pre;
		TRY(tl_report_draw_row(a, w, a->y));
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
	double lbase = tl_report_baseline_in(a, st.label_font, lsize, lh);
	int has_label = label[0] != '\0';
	size_t i = 0;
	int part = 0;
	while (i < r->n || (r->n == 0 && part == 0)) {
		double head = has_label ? lh + 3 : 0;
		double g = r->n ? group_h(r, i) : 0;
		if (g > BODY_H - 2 * BOX_PAD - head)
			g = r->v[i].h;
		TRY(tl_report_ensure(a, 2 * BOX_PAD + head + g));
		/* rows that fit on this page */
		double used = 0;
		size_t j = i;
		while (j < r->n) {
			double pre = j == i ? 0 : r->v[j].pre;
			double gj = group_h(r, j);
			if (gj > BODY_H - 2 * BOX_PAD - head)
				gj = r->v[j].h;
			double limit = tl_report_room(a) - 2 * BOX_PAD - head;
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
				return tl_report_pdf_fail(a, rc);
			y += head;
		}
		for (size_t k = i; k < j; k++) {
			if (k > i)
				y += r->v[k].pre;
			TRY(tl_report_draw_row(a, &r->v[k], y));
			y += r->v[k].h;
		}
		a->y += h + 10;
		a->at_top = 0;
		part++;
		i = j;
		if (i < r->n)
			TRY(tl_report_new_page(a));
	}
	return TL_OK;
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
	TRY(tl_report_add_text(a, r, text, TL_PDF_BOLD, HEAD_SIZE[lv - 1], 1.3, MARGIN_X, TEXT_W,
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
		if (tl_report_insert_get(a, bi, &in) != TL_OK)
			return 0; /* the error shows when the insert is drawn */
		if (in->kind == TL_INSERT_CHART)
			return 10 + tl_report_chart_total_h(a, in);
		/* the title, the header and a first row */
		return 10 + 9.5 * 1.35 + 4 + tl_report_table_start_h(a, &in->table);
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
		double need = tl_report_rows_h(&r) + min_height(a, bi + 1, 0);
		if (need > BODY_H)
			need = tl_report_rows_h(&r) + 3 * BODY_SIZE * BODY_LEAD;
		if (a->failed)
			rc = TL_EINVAL;
		else
			rc = tl_report_ensure(a, need);
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
			rc = tl_report_pdf_fail(a, rc);
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
		return tl_report_add_text(a, r, blk->text, TL_PDF_REGULAR, BODY_SIZE, BODY_LEAD, x,
					  width, pre, INK);
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
		rc = tl_report_fail(a, rc, "%s:%d: logo %s: %s", a->tname, blk->line,
				    (const char *)p.data, tl_strerror(rc));
		tl_buf_free(&p);
		return rc;
	}
	tl_pdf_image_t *img = NULL;
	rc = tl_pdf_image_png(a->doc, png, len, &img);
	free(png);
	if (rc != TL_OK) {
		rc = tl_report_fail(a, rc, "%s:%d: logo %s: %s", a->tname, blk->line,
				    (const char *)p.data, tl_pdf_errmsg(a->doc));
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
			rc = tl_report_add_text(a, &r, b->text, TL_PDF_BOLD, 24, 1.25, MARGIN_X,
						TEXT_W, 0, NAVY);
		} else if (b->kind == TL_TB_SUBTITLE) {
			rc = tl_report_add_text(a, &r, b->text, TL_PDF_REGULAR, 14, 1.3, MARGIN_X,
						TEXT_W, 10, INK);
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
		TRY(tl_report_insert_get(a, *bi, &in));
		if (in->kind == TL_INSERT_CHART) {
			TRY(tl_report_place_chart(a, in));
			tl_report_note_figure(a, b->name);
		} else
			TRY(tl_report_place_table(a, in, b->line, b->name));
		break;
	}
	case TL_TB_PAGEBREAK:
		if (!a->at_top)
			TRY(tl_report_new_page(a));
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
			int rc = tl_report_add_text(a, &r, b->text, TL_PDF_BOLD,
						    b->kind == TL_TB_TITLE ? 16 : 12, 1.3, MARGIN_X,
						    TEXT_W, 12, NAVY);
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
	tl_font_t f = tl_report_font_of(a, font, size);
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
		rc = tl_report_fail(a, rc, "%s", em ? em : tl_strerror(rc));
		free(em);
		return rc;
	}
	TRY(tl_report_new_page(a));
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
		return tl_report_fail(&a, TL_EINVAL,
				      "report: missing template, fonts or ICC profile");
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
		tl_report_fail(&a, rc, "%s", te.msg);
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
		rc = tl_report_fail(&a, TL_EFORMAT,
				    "report: the manifest given is not a tealeaves manifest");
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
		tl_report_fail(&a, rc, "%s", te.msg);
		goto out;
	}
	a.td = &td;
	a.ins = tl_xcalloc(td.n ? td.n : 1, sizeof(*a.ins));
	a.ins_built = tl_xcalloc(td.n ? td.n : 1, sizeof(*a.ins_built));
	rc = build(&a, pdf, len);
	if (rc != TL_OK && !a.failed)
		tl_report_fail(&a, rc, "report: %s", tl_strerror(rc));
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
