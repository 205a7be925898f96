/* report_figures.c - the inserts' charts and tables placed on the report's pages: numbered
 * titles, captions, charts replayed into the PDF as paths and real text, tables broken
 * across pages with their header repeated. */
#include "render/report/report_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* ---- inserts -------------------------------------------------------------------------- */

int tl_report_insert_get(asm_t *a, size_t bi, tl_insert_t **out)
{
	const tl_tblock_t *b = &a->td->v[bi];
	if (!a->ins_built[bi]) {
		tl_insert_ctx_t ctx = {
		    .width = TEXT_W, .measure = tl_report_chart_measure, .measure_ud = a};
		char e[512] = "";
		int rc = tl_report_insert(a->f, b->name, &ctx, &a->ins[bi], e, sizeof(e));
		if (rc == TL_ENOENT)
			return tl_report_fail(a, rc, "%s:%d: unknown table or chart @insert %s",
					      a->tname, b->line, b->name);
		if (rc != TL_OK)
			return tl_report_fail(a, rc, "%s:%d: @insert %s: %s", a->tname, b->line,
					      b->name, e[0] ? e : tl_strerror(rc));
		if ((a->ins[bi].kind == TL_INSERT_CHART && !a->ins[bi].chart) ||
		    (a->ins[bi].kind != TL_INSERT_CHART && a->ins[bi].kind != TL_INSERT_TABLE)) {
			tl_insert_free(&a->ins[bi]);
			return tl_report_fail(a, TL_EINVAL, "%s:%d: @insert %s: nothing to draw",
					      a->tname, b->line, b->name);
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
	return tl_report_add_text(a, r, text, TL_PDF_BOLD, 9.5, 1.35, MARGIN_X, TEXT_W, 0, NAVY);
}

static int caption_rows(asm_t *a, rows_t *r, const char *text)
{
	if (!text || !*text)
		return TL_OK;
	return tl_report_add_text(a, r, text, TL_PDF_ITALIC, 8, 1.35, MARGIN_X, TEXT_W, 0, GREY);
}

double tl_report_rows_h(const rows_t *r)
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
		TRY(tl_report_draw_row(a, &r->v[i], y));
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
			return tl_report_fail(a, TL_EINVAL,
					      "chart: path %zu outside the segment list", p);
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

double tl_report_chart_total_h(asm_t *a, const tl_insert_t *in)
{
	tl_buf_t tb;
	tl_buf_init(&tb);
	numbered_title(&tb, "Figure", a->nfigures + 1, in->title, 0);
	rows_t tr = {0}, cr = {0};
	double h = in->chart->height + 4;
	if (title_rows(a, &tr, (const char *)tb.data) == TL_OK)
		h += tl_report_rows_h(&tr);
	if (caption_rows(a, &cr, in->caption) == TL_OK && cr.n)
		h += 4 + tl_report_rows_h(&cr);
	tl_buf_free(&tb);
	free(tr.v);
	free(cr.v);
	return h;
}

void tl_report_note_figure(asm_t *a, const char *name)
{
	if (!a->o->figure_numbers)
		return;
	const char *const *names = tl_report_insert_names();
	for (size_t i = 0; names[i] && i < TL_REPORT_MAX_INSERTS; i++)
		if (strcmp(names[i], name) == 0 && a->o->figure_numbers[i] == 0)
			a->o->figure_numbers[i] = a->nfigures;
}

int tl_report_place_chart(asm_t *a, const tl_insert_t *in)
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
		double th = tl_report_rows_h(&tr), chh = tl_report_rows_h(&cr);
		double pre = a->at_top ? 0 : 10;
		double need = pre + th + 4 + c->height + (chh > 0 ? 4 + chh : 0);
		rc = tl_report_ensure(a, need);
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
	double base = tl_report_baseline_in(a, f->font, cell->size, lh);
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
	return rc == TL_OK ? TL_OK : tl_report_pdf_fail(a, rc);
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
	*hf = tl_report_font_of(a, TL_PDF_BOLD, TABLE_SIZE);
	*bf = tl_report_font_of(a, TL_PDF_REGULAR, TABLE_SIZE);
	*sp = (tl_table_spec_t){.head_font = hf, .body_font = bf, .leading = 1.3, .pad_x = 4,
				.pad_y = 2.5, .width = TEXT_W, .ncols = it->ncols, .cols = it->cols,
				.head = (const char *const *)it->head, .nrows = it->nrows,
				.cells = (const char *const *)it->cells,
				.min_size = TABLE_MIN_SIZE};
}

double tl_report_table_start_h(asm_t *a, const tl_insert_table_t *it)
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

int tl_report_place_table(asm_t *a, const tl_insert_t *in, int line, const char *name)
{
	const tl_insert_table_t *it = &in->table;
	if (it->ncols == 0 || !it->cols || !it->head || (it->nrows && !it->cells))
		return tl_report_fail(a, TL_EINVAL, "%s:%d: @insert %s: a table without columns",
				      a->tname, line, name);
	tl_font_t hf, bf;
	tl_table_spec_t sp;
	table_spec(a, it, &hf, &bf, &sp);
	tl_table_t t;
	int rc = tl_table_layout(&sp, &t);
	if (rc != TL_OK)
		return tl_report_fail(a, rc,
				      "%s:%d: @insert %s: the table does not fit the page width",
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
	double th = tl_report_rows_h(&tr) + 4, cth = tl_report_rows_h(&ctr) + 4;
	double chh = cr.n ? tl_report_rows_h(&cr) + 4 : 0;
	double pre = a->at_top ? 0 : 10;
	double first = tl_report_room(a) - pre - th;
	double page = BODY_H - cth;
	rc = tl_table_paginate(&t, first, page, &pages, &np);
	if (rc != TL_OK) {
		rc = tl_report_fail(a, rc, "%s:%d: @insert %s: cannot break the table into pages",
				    a->tname, line, name);
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
			rc = tl_report_new_page(a);
			if (rc != TL_OK)
				goto out;
			continue; /* the rows follow in the next entry on the fresh page */
		}
		int cont = p > 0 && !(p == 1 && pages[0].count == 0 && it->nrows > 0);
		if (p > 0 && cont) {
			rc = tl_report_new_page(a);
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
		if (tl_report_room(a) < tl_report_rows_h(&cr))
			rc = tl_report_new_page(a);
		if (rc == TL_OK)
			rc = draw_rows_at(a, &cr, a->y);
		a->y += tl_report_rows_h(&cr);
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

