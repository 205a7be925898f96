/* layout.c - text wrapping, paragraphs, tables with page breaks. */
#include "render/report/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* Sub-point slack for comparisons of summed widths and heights. */
#define EPS 1e-9

void tl_lines_init(tl_lines_t *l)
{
	memset(l, 0, sizeof(*l));
}

void tl_lines_free(tl_lines_t *l)
{
	if (l == NULL)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void lines_push(tl_lines_t *l, size_t off, size_t len, int mark, double width,
		       int overfull)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = tl_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (tl_line_t){off, len, mark, width, overfull};
}

const char *tl_layout_mark(const tl_font_t *f, int mark)
{
	if (mark == TL_MARK_CONT)
		return f->cont ? f->cont : TL_LAYOUT_CONT;
	if (mark == TL_MARK_ELIDE)
		return f->ellip ? f->ellip : TL_LAYOUT_ELLIPSIS;
	return "";
}

static double meas(const tl_font_t *f, const char *s, size_t n)
{
	return n ? f->measure(f->ud, s, n, f->font, f->size) : 0.0;
}

/* Bytes of the character at s: a valid UTF-8 sequence as a whole, any other byte alone. */
static size_t cp_len(const char *s, size_t left)
{
	size_t n = tl_utf8_len((const unsigned char *)s, left);
	return n ? n : 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Breaks the word text[start..we) (which does not fit in width) and returns the end of the
 * part that goes on this line (> start). A break after the last '.' that fits is preferred
 * (DNS names), then after the last '-' (labels, hyphenated words), each only when it fills at
 * least half the line; otherwise the longest prefix that fits with the mark. Prefixes grow one
 * character at a time and measure is monotonic, so the first that does not fit ends the search.
 */
static size_t split_word(const tl_font_t *f, const char *text, size_t start, size_t we,
			 double width, double mark_w, int *overfull)
{
	size_t best = start, dot = start, dash = start, b = start;
	double dot_w = 0, dash_w = 0;

	while (b < we) {
		size_t nb = b + cp_len(text + b, we - b);
		double w = meas(f, text + start, nb - start);
		if (w + mark_w > width + EPS)
			break;
		best = nb;
		if (text[nb - 1] == '.') {
			dot = nb;
			dot_w = w + mark_w;
		} else if (text[nb - 1] == '-') {
			dash = nb;
			dash_w = w + mark_w;
		}
		b = nb;
	}
	*overfull = 0;
	if (best == start) {
		/* Not even one character fits: take one anyway so wrapping always advances. */
		*overfull = 1;
		return start + cp_len(text + start, we - start);
	}
	if (dot > start && dot_w >= width / 2)
		return dot;
	if (dash > start && dash_w >= width / 2)
		return dash;
	return best;
}

/* Wraps one hard line text[start..end) (no '\n' inside). */
static void wrap_segment(const tl_font_t *f, const char *text, size_t start, size_t end,
			 double width, tl_lines_t *out)
{
	const char *mark = tl_layout_mark(f, TL_MARK_CONT);
	double mark_w = meas(f, mark, strlen(mark));
	size_t p = start;
	int first = 1;

	if (start == end) {
		lines_push(out, start, 0, TL_MARK_NONE, 0.0, 0);
		return;
	}
	while (p < end) {
		size_t line_start, q, fit_end = SIZE_MAX, we;
		double fit_w = 0;

		if (!first) {
			while (p < end && is_space(text[p]))
				p++;
			if (p == end)
				break;
		}
		line_start = p;
		q = p;
		we = p; /* stays line_start when no word is found */
		for (;;) {
			size_t ws = q;
			double w;
			while (ws < end && is_space(text[ws]))
				ws++;
			if (ws == end)
				break; /* only spaces are left: they are dropped */
			we = ws;
			while (we < end && !is_space(text[we]))
				we++;
			w = meas(f, text + line_start, we - line_start);
			if (w > width + EPS)
				break;
			fit_end = we;
			fit_w = w;
			q = we;
			if (we == end)
				break;
		}
		if (fit_end != SIZE_MAX) {
			lines_push(out, line_start, fit_end - line_start, TL_MARK_NONE, fit_w, 0);
			p = fit_end;
		} else if (we == line_start) {
			/* A first line of spaces only. */
			lines_push(out, line_start, 0, TL_MARK_NONE, 0.0, 0);
			break;
		} else {
			int overfull;
			size_t brk = split_word(f, text, line_start, we, width, mark_w, &overfull);
			double w = meas(f, text + line_start, brk - line_start) + mark_w;
			if (brk >= we) {
				/* One character wider than the line that ends the word: no mark. */
				w -= mark_w;
				lines_push(out, line_start, brk - line_start, TL_MARK_NONE, w, 1);
			} else {
				lines_push(out, line_start, brk - line_start, TL_MARK_CONT, w,
					   overfull);
			}
			p = brk;
		}
		first = 0;
	}
}

int tl_layout_wrap(const tl_font_t *f, const char *text, size_t len, double width,
		   tl_lines_t *out)
{
	size_t s = 0;

	if (f == NULL || f->measure == NULL || out == NULL || isnan(width) ||
	    (text == NULL && len))
		return TL_EINVAL;
	for (;;) {
		const char *nl = len > s ? memchr(text + s, '\n', len - s) : NULL;
		size_t e = nl ? (size_t)(nl - text) : len;
		size_t ce = e;
		if (ce > s && text[ce - 1] == '\r')
			ce--;
		wrap_segment(f, text, s, ce, width, out);
		if (!nl)
			break;
		s = e + 1;
	}
	return TL_OK;
}

int tl_layout_elide(const tl_font_t *f, const char *text, size_t len, double width,
		    size_t *keep)
{
	const char *nl = len ? memchr(text, '\n', len) : NULL;
	const char *el = tl_layout_mark(f, TL_MARK_ELIDE);
	double el_w;
	size_t limit = nl ? (size_t)(nl - text) : len, b = 0, best = 0;

	if (!nl && meas(f, text, len) <= width + EPS) {
		*keep = len;
		return 0;
	}
	el_w = meas(f, el, strlen(el));
	while (b < limit) {
		size_t nb = b + cp_len(text + b, limit - b);
		if (meas(f, text, nb) + el_w > width + EPS)
			break;
		best = nb;
		b = nb;
	}
	while (best > 0 && (is_space(text[best - 1]) || text[best - 1] == '\r'))
		best--;
	*keep = best;
	return 1;
}

/* Tables. */

static const char *cell_text(const char *s)
{
	return s ? s : "";
}

/* Widest hard line of a body cell, unbroken. */
static double widest_line(const tl_font_t *f, const char *s)
{
	double best = 0;
	size_t n = strlen(s), a = 0;

	while (a <= n) {
		const char *nl = memchr(s + a, '\n', n - a);
		size_t e = nl ? (size_t)(nl - s) : n;
		double w = meas(f, s + a, e - a);
		if (w > best)
			best = w;
		a = e + 1;
	}
	return best;
}

/* Widest word of a header (headers wrap between words). */
static double widest_word(const tl_font_t *f, const char *s)
{
	double best = 0;
	size_t n = strlen(s), a = 0;

	while (a < n) {
		size_t e = a;
		while (a < n && (is_space(s[a]) || s[a] == '\n' || s[a] == '\r'))
			a++;
		e = a;
		while (e < n && !(is_space(s[e]) || s[e] == '\n' || s[e] == '\r'))
			e++;
		if (e > a) {
			double w = meas(f, s + a, e - a);
			if (w > best)
				best = w;
		}
		a = e;
	}
	return best;
}

static int is_span(const tl_table_col_t *col)
{
	return col->span == TL_SPAN_ABOVE || col->span == TL_SPAN_BELOW;
}

/*
 * What column c needs so that none of its words is broken (whole-word tables): its widest
 * header word and widest body word plus padding, at least its min. A body word wider than the
 * column's max (half the table's width when it has none) does not count: such a word (a
 * 253-character name) is set smaller or lifted onto a line of its own rather than making
 * the whole table small or squeezing every other column.
 */
static double col_need(const tl_table_spec_t *sp, size_t c)
{
	const tl_table_col_t *col = &sp->cols[c];
	double head, body = 0, cap, need;

	if (col->kind == TL_COL_FIXED)
		return col->value;
	cap = col->max > 0 ? col->max : sp->width / 2;
	head = widest_word(sp->head_font, cell_text(sp->head[c])) + 2 * sp->pad_x;
	for (size_t r = 0; r < sp->nrows; r++) {
		double x = widest_word(sp->body_font, cell_text(sp->cells[r * sp->ncols + c])) +
			   2 * sp->pad_x;
		if (x > body && x <= cap + EPS)
			body = x;
	}
	need = head > body ? head : body;
	if (need < col->min)
		need = col->min;
	if (col->max > 0 && need > col->max)
		need = col->max;
	return need;
}

/*
 * Column widths. need (whole-word tables; NULL otherwise) holds what each column needs: FIT
 * columns shrink no further than that and PROP columns get at least that while the needs fit;
 * when they do not, every column shrinks towards its min in proportion to its room. Span
 * columns get 0.
 */
static int col_widths(const tl_table_spec_t *sp, const double *need, double *w)
{
	double fixed = 0, fit = 0, fit_room = 0, prop_lo = 0, prop_room = 0, weights = 0, left;
	double floor_room = 0; /* what FIT columns can give without breaking a word */
	size_t c, r;
	int *done;
	size_t nc = sp->ncols ? sp->ncols : 1;
	double *floor_w = tl_xcalloc(nc, sizeof(double));
	double *lo = tl_xcalloc(nc, sizeof(double));
	int rc = TL_OK;

	for (c = 0; c < sp->ncols; c++) {
		const tl_table_col_t *col = &sp->cols[c];
		if (is_span(col)) {
			w[c] = 0;
		} else if (col->kind == TL_COL_FIXED) {
			if (!(col->value >= 0)) {
				rc = TL_EINVAL;
				goto out;
			}
			w[c] = col->value;
			fixed += w[c];
		} else if (col->kind == TL_COL_FIT) {
			double nat = widest_word(sp->head_font, cell_text(sp->head[c]));
			for (r = 0; r < sp->nrows; r++) {
				double x = widest_line(sp->body_font,
						       cell_text(sp->cells[r * sp->ncols + c]));
				if (x > nat)
					nat = x;
			}
			nat += 2 * sp->pad_x;
			if (col->max > 0 && nat > col->max)
				nat = col->max;
			if (nat < col->min)
				nat = col->min;
			if (need && nat < need[c])
				nat = need[c];
			w[c] = nat;
			fit += nat;
			fit_room += nat - col->min;
			if (need) {
				floor_w[c] = need[c];
			} else {
				/* shrinking first stops at the widest word of the column: "Sources"
				 * should not become "Sour-ces" while another column still has room
				 * to give */
				floor_w[c] = widest_word(sp->head_font, cell_text(sp->head[c]));
				/* nor break a body word (a number, a zone name) when there is room */
				for (r = 0; r < sp->nrows; r++) {
					double x = widest_word(
						sp->body_font, cell_text(sp->cells[r * sp->ncols + c]));
					if (x > floor_w[c])
						floor_w[c] = x;
				}
				floor_w[c] += 2 * sp->pad_x;
			}
			if (floor_w[c] < col->min)
				floor_w[c] = col->min;
			if (floor_w[c] > nat)
				floor_w[c] = nat;
			floor_room += nat - floor_w[c];
		} else if (col->kind == TL_COL_PROP) {
			if (!(col->value > 0)) {
				rc = TL_EINVAL;
				goto out;
			}
			lo[c] = need && need[c] > col->min ? need[c] : col->min;
			w[c] = lo[c];
			prop_lo += lo[c];
			prop_room += lo[c] - col->min;
			weights += col->value;
		} else {
			rc = TL_EINVAL;
			goto out;
		}
	}
	if (fixed + fit + prop_lo > sp->width + EPS) {
		double excess = fixed + fit + prop_lo - sp->width;
		if (excess > fit_room + prop_room + EPS) {
			rc = TL_EINVAL;
			goto out;
		}
		/* FIT columns down to their floors if that is enough, else every column down
		 * towards its min */
		int to_floor = excess <= floor_room + EPS && floor_room > 0;
		double room = to_floor ? floor_room : fit_room + prop_room;
		for (c = 0; c < sp->ncols; c++) {
			const tl_table_col_t *col = &sp->cols[c];
			if (is_span(col) || room <= 0)
				continue;
			if (col->kind == TL_COL_FIT) {
				double cut = excess * (w[c] - (to_floor ? floor_w[c] : col->min)) / room;
				w[c] -= cut;
				fit -= cut;
			} else if (col->kind == TL_COL_PROP && !to_floor) {
				lo[c] -= excess * (lo[c] - col->min) / room;
				w[c] = lo[c];
			}
		}
	}
	/* Share what is left among the proportional columns; a column held at its lower
	 * bound or max leaves the rest to the others (at most ncols rounds). */
	left = sp->width - fixed - fit;
	done = tl_xcalloc(nc, sizeof(*done));
	for (size_t round = 0; round <= sp->ncols && weights > 0; round++) {
		int changed = 0;
		for (c = 0; c < sp->ncols; c++) {
			const tl_table_col_t *col = &sp->cols[c];
			double x;
			if (col->kind != TL_COL_PROP || is_span(col) || done[c])
				continue;
			x = left * col->value / weights;
			if (x < lo[c] || (col->max > 0 && x > col->max)) {
				x = x < lo[c] ? lo[c] : col->max;
				done[c] = 1;
				left -= x;
				weights -= col->value;
				changed = 1;
			}
			w[c] = x;
		}
		if (!changed)
			break;
	}
	free(done);
out:
	free(floor_w);
	free(lo);
	return rc;
}

static void layout_cell(const tl_font_t *f, const char *s, double inner, int overflow,
			size_t max_lines, tl_lines_t *out)
{
	size_t n = strlen(s);

	if (overflow == TL_CELL_ELIDE) {
		size_t keep;
		const char *el = tl_layout_mark(f, TL_MARK_ELIDE);
		if (tl_layout_elide(f, s, n, inner, &keep))
			lines_push(out, 0, keep, TL_MARK_ELIDE,
				   meas(f, s, keep) + meas(f, el, strlen(el)), 0);
		else
			lines_push(out, 0, n, TL_MARK_NONE, meas(f, s, n), 0);
		return;
	}
	tl_layout_wrap(f, s, n, inner, out);
	if (max_lines > 0 && out->n > max_lines) {
		tl_line_t *last = &out->v[max_lines - 1];
		const char *el = tl_layout_mark(f, TL_MARK_ELIDE);
		size_t keep;
		/* The rest of the text from the last kept line on is elided into that line. */
		tl_layout_elide(f, s + last->off, n - last->off, inner, &keep);
		last->len = keep;
		last->mark = TL_MARK_ELIDE;
		last->width = meas(f, s + last->off, keep) + meas(f, el, strlen(el));
		out->n = max_lines;
	}
}

/*
 * The size for s in f's face so that its widest word fits inner: the largest from f->size
 * down to floor in TL_LAYOUT_SIZE_STEP steps. When none is, -1, or with below set the size
 * at which the word just fits (under floor: a word is never broken, however long), in
 * hundredths of a point so that the PDF writes it exactly.
 */
static double fit_size(const tl_font_t *f, const char *s, double floor_size, double inner,
		       int below)
{
	tl_font_t g = *f;
	double z, w;

	for (int k = 0;; k++) {
		z = f->size - k * TL_LAYOUT_SIZE_STEP;
		if (k > 0 && z < floor_size - EPS)
			break;
		g.size = z;
		if (widest_word(&g, s) <= inner + EPS)
			return z;
	}
	if (!below)
		return -1;
	z = floor_size < f->size ? floor_size : f->size;
	g.size = z;
	w = widest_word(&g, s);
	if (!(inner > 0) || !(w > 0))
		return z; /* nothing fits a line with no room: at least nothing loops */
	z = floor(z * inner / w * 100) / 100;
	for (int i = 0; i < 1000 && z > 0.01; i++) {
		g.size = z;
		if (widest_word(&g, s) <= inner + EPS)
			break;
		z -= 0.01;
	}
	return z;
}

/*
 * Lays out one row (the header when head is set): places each cell (in its column, or
 * across the table for span columns and lifted cells), sets it and returns the row's
 * height. f is the font at the table's size.
 */
static double lay_row(const tl_table_spec_t *sp, const tl_font_t *f, const char *const *texts,
		      const double *col_w, double width, int head, tl_table_cell_t *cells)
{
	int whole = sp->min_size > 0;
	double x = 0, y = sp->pad_y, band = 0;

	for (size_t c = 0; c < sp->ncols; c++) {
		const tl_table_col_t *col = &sp->cols[c];
		tl_table_cell_t *cell = &cells[c];
		const char *s = cell_text(texts[c]);
		double inner, size = f->size;
		tl_font_t g = *f;
		int overflow = head ? TL_CELL_WRAP : col->overflow;
		size_t max_lines = head ? 0 : col->max_lines;

		cell->place = is_span(col) ? col->span : TL_PLACE_COLUMN;
		cell->lifted = 0;
		cell->x = 0;
		cell->w = width;
		if (cell->place == TL_PLACE_COLUMN) {
			cell->x = x;
			cell->w = col_w[c];
			x += col_w[c];
		}
		inner = cell->w - 2 * sp->pad_x;
		if (whole) {
			size = fit_size(f, s, sp->min_size, inner, head || cell->place != 0);
			if (size < 0) {
				cell->place = TL_PLACE_ABOVE;
				cell->lifted = 1;
				cell->x = 0;
				cell->w = width;
				inner = width - 2 * sp->pad_x;
				size = fit_size(f, s, sp->min_size, inner, 1);
			}
		}
		g.size = size;
		cell->size = size;
		layout_cell(&g, s, inner, overflow, max_lines, &cell->lines);
	}
	/* Lines of their own above, then the columns side by side, then lines below. */
	for (size_t c = 0; c < sp->ncols; c++)
		if (cells[c].place == TL_PLACE_ABOVE) {
			cells[c].y = y;
			y += (double)cells[c].lines.n * cells[c].size * sp->leading;
		}
	for (size_t c = 0; c < sp->ncols; c++)
		if (cells[c].place == TL_PLACE_COLUMN) {
			double h = (double)cells[c].lines.n * cells[c].size * sp->leading;
			cells[c].y = y;
			if (h > band)
				band = h;
		}
	y += band;
	for (size_t c = 0; c < sp->ncols; c++)
		if (cells[c].place == TL_PLACE_BELOW) {
			cells[c].y = y;
			y += (double)cells[c].lines.n * cells[c].size * sp->leading;
		}
	return y + sp->pad_y;
}

/* The table's size (whole-word tables): the largest, in steps down to min_size, at which
 * every column's need fits the width; needs are filled at that size. */
static void table_size(const tl_table_spec_t *sp, tl_font_t *hf, tl_font_t *bf, double *need)
{
	const double head0 = sp->head_font->size, body0 = sp->body_font->size;
	const double least = sp->min_size < body0 ? sp->min_size : body0;
	tl_table_spec_t x = *sp;
	double z = body0;

	x.head_font = hf;
	x.body_font = bf;
	for (;;) {
		double sum = 0;
		bf->size = z;
		hf->size = head0 * z / body0;
		for (size_t c = 0; c < sp->ncols; c++) {
			need[c] = col_need(&x, c);
			if (!is_span(&sp->cols[c]))
				sum += need[c];
		}
		if (sum <= sp->width + EPS || z <= least + EPS)
			break;
		z -= TL_LAYOUT_SIZE_STEP;
		if (z < least)
			z = least;
	}
}

int tl_table_layout(const tl_table_spec_t *sp, tl_table_t *t)
{
	tl_table_spec_t x;
	tl_font_t hf, bf;
	double *need = NULL;
	size_t c, r;
	int rc;

	memset(t, 0, sizeof(*t));
	if (sp == NULL || sp->head_font == NULL || sp->body_font == NULL ||
	    sp->head_font->measure == NULL || sp->body_font->measure == NULL || sp->ncols == 0 ||
	    sp->cols == NULL || sp->head == NULL || (sp->nrows && sp->cells == NULL) ||
	    sp->nrows > SIZE_MAX / sp->ncols / sizeof(tl_table_cell_t) || isnan(sp->min_size) ||
	    !(sp->body_font->size > 0))
		return TL_EINVAL;
	x = *sp;
	hf = *sp->head_font;
	bf = *sp->body_font;
	x.head_font = &hf;
	x.body_font = &bf;
	t->ncols = sp->ncols;
	t->nrows = sp->nrows;
	t->col_w = tl_xcalloc(sp->ncols, sizeof(double));
	if (sp->min_size > 0) {
		need = tl_xcalloc(sp->ncols, sizeof(double));
		table_size(sp, &hf, &bf, need);
	}
	t->head_size = hf.size;
	t->size = bf.size;
	rc = col_widths(&x, need, t->col_w);
	free(need);
	if (rc != TL_OK) {
		tl_table_free(t);
		return rc;
	}
	for (c = 0; c < sp->ncols; c++)
		t->width += t->col_w[c];
	if (!(t->width > 0))
		t->width = sp->width;
	t->row_h = tl_xcalloc(sp->nrows ? sp->nrows : 1, sizeof(double));
	t->head = tl_xcalloc(sp->ncols, sizeof(tl_table_cell_t));
	t->cells = tl_xcalloc(sp->nrows ? sp->nrows * sp->ncols : 1, sizeof(tl_table_cell_t));
	t->head_h = lay_row(&x, &hf, sp->head, t->col_w, t->width, 1, t->head);
	for (r = 0; r < sp->nrows; r++)
		t->row_h[r] = lay_row(&x, &bf, sp->cells + r * sp->ncols, t->col_w, t->width, 0,
				      &t->cells[r * sp->ncols]);
	return TL_OK;
}
void tl_table_free(tl_table_t *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->head)
		for (i = 0; i < t->ncols; i++)
			tl_lines_free(&t->head[i].lines);
	if (t->cells)
		for (i = 0; i < t->nrows * t->ncols; i++)
			tl_lines_free(&t->cells[i].lines);
	free(t->head);
	free(t->cells);
	free(t->col_w);
	free(t->row_h);
	memset(t, 0, sizeof(*t));
}

int tl_table_paginate(const tl_table_t *t, double first_avail, double page_avail,
		      tl_table_page_t **pages, size_t *npages)
{
	tl_table_page_t *v = NULL, cur = {0, 0, 0};
	size_t n = 0, cap = 0, i = 0;
	double avail = first_avail, used = t->head_h;
	int fresh = first_avail >= page_avail;

	if (!(page_avail > 0) || isnan(first_avail))
		return TL_EINVAL;
	for (;;) {
		if (i < t->nrows && used + t->row_h[i] <= avail + EPS) {
			used += t->row_h[i];
			cur.count++;
			i++;
			continue;
		}
		if (i < t->nrows && cur.count == 0 && fresh) {
			/* Taller than a whole page: alone on its page, flagged. */
			cur.count = 1;
			cur.overfull = 1;
			i++;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = tl_xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = cur;
		if (i >= t->nrows)
			break;
		cur = (tl_table_page_t){i, 0, 0};
		avail = page_avail;
		used = t->head_h;
		fresh = 1;
	}
	*pages = v;
	*npages = n;
	return TL_OK;
}
