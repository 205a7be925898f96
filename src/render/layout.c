/* layout.c - text wrapping, paragraphs, tables with page breaks, number and date formats. */
#include "render/layout.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* Sub-point slack for comparisons of summed widths and heights. */
#define EPS 1e-9

const tl_lang_t tl_lang_en = {
	.months = {"January", "February", "March", "April", "May", "June", "July", "August",
		   "September", "October", "November", "December"},
	.months_abbr = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			"Nov", "Dec"},
	.weekdays = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
		     "Sunday"},
	.thousands = ',',
	.decimal = '.',
	.ci = "CI",
	.range_dash = "\xe2\x80\x93", /* U+2013 EN DASH */
	.na = "n/a",
	.infinity = "\xe2\x88\x9e", /* U+221E */
	.units = {"d", "h", "min", "s", "ms", "\xc2\xb5s"},
};

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

int tl_layout_para(const tl_font_t *f, const char *text, size_t len, double width,
		   double leading, tl_para_t *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = tl_layout_wrap(f, text, len, width, &p->lines);
	if (rc != TL_OK)
		return rc;
	p->line_height = f->size * leading;
	p->height = (double)p->lines.n * p->line_height;
	return TL_OK;
}

void tl_para_free(tl_para_t *p)
{
	if (p != NULL)
		tl_lines_free(&p->lines);
}

size_t tl_layout_lines_fit(double avail, double line_height)
{
	double n;

	if (!(line_height > 0) || !(avail > 0))
		return 0;
	n = floor(avail / line_height + EPS);
	return n > (double)SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)n;
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

static int col_widths(const tl_table_spec_t *sp, double *w)
{
	double fixed = 0, fit = 0, fit_room = 0, prop_min = 0, weights = 0, left;
	double floor_room = 0; /* what FIT columns can give without breaking a header word */
	size_t c, r;
	int *done;
	double *floor_w = tl_xcalloc(sp->ncols ? sp->ncols : 1, sizeof(double));

	for (c = 0; c < sp->ncols; c++) {
		const tl_table_col_t *col = &sp->cols[c];
		if (col->kind == TL_COL_FIXED) {
			if (!(col->value >= 0)) {
				free(floor_w);
				return TL_EINVAL;
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
			w[c] = nat;
			fit += nat;
			fit_room += nat - col->min;
			/* shrinking first stops at the widest word of the column: "Sources" should
			 * not become "Sour-ces" while another column still has room to give */
			floor_w[c] = widest_word(sp->head_font, cell_text(sp->head[c]));
			/* nor break a body word (a number, a zone name) when there is room */
			for (r = 0; r < sp->nrows; r++) {
				double x = widest_word(sp->body_font,
						       cell_text(sp->cells[r * sp->ncols + c]));
				if (x > floor_w[c])
					floor_w[c] = x;
			}
			floor_w[c] += 2 * sp->pad_x;
			if (floor_w[c] < col->min)
				floor_w[c] = col->min;
			if (floor_w[c] > nat)
				floor_w[c] = nat;
			floor_room += nat - floor_w[c];
		} else if (col->kind == TL_COL_PROP) {
			if (!(col->value > 0)) {
				free(floor_w);
				return TL_EINVAL;
			}
			w[c] = col->min;
			prop_min += col->min;
			weights += col->value;
		} else {
			free(floor_w);
			return TL_EINVAL;
		}
	}
	if (fixed + fit + prop_min > sp->width + EPS) {
		double excess = fixed + fit + prop_min - sp->width;
		if (excess > fit_room + EPS) {
			free(floor_w);
			return TL_EINVAL;
		}
		/* down to the header floors if that is enough, else down to the minimums */
		int to_floor = excess <= floor_room + EPS && floor_room > 0;
		double room = to_floor ? floor_room : fit_room;
		for (c = 0; c < sp->ncols; c++) {
			const tl_table_col_t *col = &sp->cols[c];
			double lo = to_floor ? floor_w[c] : col->min;
			if (col->kind == TL_COL_FIT && room > 0) {
				double cut = excess * (w[c] - lo) / room;
				w[c] -= cut;
				fit -= cut;
			}
		}
	}
	free(floor_w);
	/* Share what is left among the proportional columns; a column held at its min or
	 * max leaves the rest to the others (at most ncols rounds). */
	left = sp->width - fixed - fit;
	done = tl_xcalloc(sp->ncols ? sp->ncols : 1, sizeof(*done));
	for (size_t round = 0; round <= sp->ncols && weights > 0; round++) {
		int changed = 0;
		for (c = 0; c < sp->ncols; c++) {
			const tl_table_col_t *col = &sp->cols[c];
			double x;
			if (col->kind != TL_COL_PROP || done[c])
				continue;
			x = left * col->value / weights;
			if (x < col->min || (col->max > 0 && x > col->max)) {
				x = x < col->min ? col->min : col->max;
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
	return TL_OK;
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

int tl_table_layout(const tl_table_spec_t *sp, tl_table_t *t)
{
	size_t c, r;
	int rc;

	memset(t, 0, sizeof(*t));
	if (sp == NULL || sp->head_font == NULL || sp->body_font == NULL ||
	    sp->head_font->measure == NULL || sp->body_font->measure == NULL || sp->ncols == 0 ||
	    sp->cols == NULL || sp->head == NULL || (sp->nrows && sp->cells == NULL) ||
	    sp->nrows > SIZE_MAX / sp->ncols / sizeof(tl_table_cell_t))
		return TL_EINVAL;
	t->ncols = sp->ncols;
	t->nrows = sp->nrows;
	t->col_w = tl_xcalloc(sp->ncols, sizeof(double));
	rc = col_widths(sp, t->col_w);
	if (rc != TL_OK) {
		tl_table_free(t);
		return rc;
	}
	t->row_h = tl_xcalloc(sp->nrows ? sp->nrows : 1, sizeof(double));
	t->head = tl_xcalloc(sp->ncols, sizeof(tl_table_cell_t));
	t->cells = tl_xcalloc(sp->nrows ? sp->nrows * sp->ncols : 1, sizeof(tl_table_cell_t));
	for (c = 0; c < sp->ncols; c++) {
		double inner = t->col_w[c] - 2 * sp->pad_x;
		size_t n;
		t->width += t->col_w[c];
		layout_cell(sp->head_font, cell_text(sp->head[c]), inner, TL_CELL_WRAP, 0,
			    &t->head[c].lines);
		n = t->head[c].lines.n;
		if (n * sp->head_font->size * sp->leading + 2 * sp->pad_y > t->head_h)
			t->head_h = (double)n * sp->head_font->size * sp->leading + 2 * sp->pad_y;
	}
	for (r = 0; r < sp->nrows; r++) {
		for (c = 0; c < sp->ncols; c++) {
			const tl_table_col_t *col = &sp->cols[c];
			tl_table_cell_t *cell = &t->cells[r * sp->ncols + c];
			double h;
			layout_cell(sp->body_font, cell_text(sp->cells[r * sp->ncols + c]),
				    t->col_w[c] - 2 * sp->pad_x, col->overflow, col->max_lines,
				    &cell->lines);
			h = (double)cell->lines.n * sp->body_font->size * sp->leading +
			    2 * sp->pad_y;
			if (h > t->row_h[r])
				t->row_h[r] = h;
		}
	}
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

/* Numbers. */

static const tl_lang_t *lang_or_en(const tl_lang_t *lang)
{
	return lang ? lang : &tl_lang_en;
}

/* Appends the decimal digits d[0..n) with a separator every three from the right. */
static void put_grouped(tl_buf_t *b, const char *d, size_t n, char sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			tl_buf_putc(b, sep);
		tl_buf_putc(b, d[i]);
	}
}

void tl_fmt_uint(tl_buf_t *b, uint64_t v, const tl_lang_t *lang)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%" PRIu64, v);

	put_grouped(b, d, (size_t)n, lang_or_en(lang)->thousands);
}

void tl_fmt_int(tl_buf_t *b, int64_t v, const tl_lang_t *lang)
{
	if (v < 0) {
		tl_buf_putc(b, '-');
		tl_fmt_uint(b, (uint64_t)0 - (uint64_t)v, lang);
	} else {
		tl_fmt_uint(b, (uint64_t)v, lang);
	}
}

void tl_fmt_fixed(tl_buf_t *b, double v, int digits, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);
	char d[400];
	int n, nonzero = 0;
	const char *dot;
	size_t ilen;

	if (isnan(v)) {
		tl_buf_puts(b, L->na);
		return;
	}
	if (isinf(v)) {
		if (v < 0)
			tl_buf_putc(b, '-');
		tl_buf_puts(b, L->infinity);
		return;
	}
	if (digits < 0)
		digits = 0;
	if (digits > 9)
		digits = 9;
	/* The C library's "%f" is exact and, as nothing here calls setlocale, uses '.'. */
	n = snprintf(d, sizeof(d), "%.*f", digits, fabs(v));
	if (n <= 0 || (size_t)n >= sizeof(d))
		return;
	for (int i = 0; i < n; i++)
		if (d[i] >= '1' && d[i] <= '9')
			nonzero = 1;
	if (v < 0 && nonzero)
		tl_buf_putc(b, '-');
	dot = memchr(d, '.', (size_t)n);
	ilen = dot ? (size_t)(dot - d) : (size_t)n;
	put_grouped(b, d, ilen, L->thousands);
	if (dot) {
		tl_buf_putc(b, L->decimal);
		tl_buf_append(b, dot + 1, (size_t)n - ilen - 1);
	}
}

void tl_fmt_pct(tl_buf_t *b, double share, int digits, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	if (isnan(share)) {
		tl_buf_puts(b, L->na);
		return;
	}
	tl_fmt_fixed(b, share * 100.0, digits, lang);
	tl_buf_putc(b, '%');
}

void tl_fmt_level(tl_buf_t *b, double level, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);
	tl_buf_t t;
	size_t n;

	if (isnan(level) || isinf(level)) {
		tl_buf_puts(b, L->na);
		return;
	}
	tl_buf_init(&t);
	tl_fmt_fixed(&t, level * 100.0, 3, lang);
	n = t.len;
	while (n > 0 && t.data[n - 1] == '0')
		n--;
	if (n > 0 && t.data[n - 1] == L->decimal)
		n--;
	tl_buf_append(b, t.data, n);
	tl_buf_putc(b, '%');
	tl_buf_free(&t);
}

/* "(95% CI lo–hi" without the closing parenthesis; scale 100 for percentages. */
static void put_ci(tl_buf_t *b, double lo, double hi, double level, int digits, double scale,
		   const char *unit, const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);

	tl_fmt_level(b, level, lang);
	tl_buf_putc(b, ' ');
	tl_buf_puts(b, L->ci);
	tl_buf_putc(b, ' ');
	if (isnan(lo) || isnan(hi)) {
		tl_buf_puts(b, L->na);
		return;
	}
	tl_fmt_fixed(b, lo * scale, digits, lang);
	tl_buf_puts(b, L->range_dash);
	tl_fmt_fixed(b, hi * scale, digits, lang);
	tl_buf_puts(b, unit);
}

void tl_fmt_pct_ci(tl_buf_t *b, double share, double lo, double hi, double level, int digits,
		   const tl_lang_t *lang)
{
	tl_fmt_pct(b, share, digits, lang);
	if (isnan(share))
		return;
	tl_buf_puts(b, " (");
	put_ci(b, lo, hi, level, digits, 100.0, "%", lang);
	tl_buf_putc(b, ')');
}

void tl_fmt_count_pct_ci(tl_buf_t *b, uint64_t count, double share, double lo, double hi,
			 double level, int digits, const tl_lang_t *lang)
{
	tl_fmt_uint(b, count, lang);
	tl_buf_puts(b, " (");
	tl_fmt_pct(b, share, digits, lang);
	if (!isnan(share)) {
		tl_buf_puts(b, ", ");
		put_ci(b, lo, hi, level, digits, 100.0, "%", lang);
	}
	tl_buf_putc(b, ')');
}

void tl_fmt_ratio_ci(tl_buf_t *b, double v, double lo, double hi, double level, int digits,
		     const tl_lang_t *lang)
{
	tl_fmt_fixed(b, v, digits, lang);
	if (isnan(v))
		return;
	tl_buf_puts(b, " (");
	put_ci(b, lo, hi, level, digits, 1.0, "", lang);
	tl_buf_putc(b, ')');
}

void tl_fmt_p(tl_buf_t *b, double p, int digits, const tl_lang_t *lang)
{
	double floor_p;

	if (isnan(p)) {
		tl_buf_puts(b, lang_or_en(lang)->na);
		return;
	}
	if (digits < 1)
		digits = 1;
	if (digits > 9)
		digits = 9;
	floor_p = pow(10.0, -digits);
	if (p < floor_p) {
		tl_buf_puts(b, "< ");
		tl_fmt_fixed(b, floor_p, digits, lang);
		return;
	}
	tl_fmt_fixed(b, p, digits, lang);
}

void tl_fmt_duration(tl_buf_t *b, int64_t us, const tl_lang_t *lang)
{
	static const uint64_t unit[6] = {UINT64_C(86400000000), UINT64_C(3600000000),
					 UINT64_C(60000000), UINT64_C(1000000), 1000, 1};
	const tl_lang_t *L = lang_or_en(lang);
	uint64_t u = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	int i = 0;

	if (u == 0) {
		tl_buf_puts(b, "0 ");
		tl_buf_puts(b, L->units[3]);
		return;
	}
	/* Round to the smaller shown unit; a carry into a larger unit (23 h 59.6 min) is
	 * rounded again, which is then exact, so three rounds always settle. */
	for (int round = 0; round < 3; round++) {
		uint64_t small, r;
		for (i = 0; i < 5 && u < unit[i]; i++)
			;
		small = i <= 2 ? unit[i + 1] : unit[i];
		r = u / small * small;
		if (u - r >= small - small / 2)
			r += small;
		if (r == u)
			break;
		u = r;
	}
	if (us < 0)
		tl_buf_putc(b, '-');
	tl_fmt_uint(b, u / unit[i], lang);
	tl_buf_putc(b, ' ');
	tl_buf_puts(b, L->units[i]);
	if (i <= 2 && (u % unit[i]) / unit[i + 1] > 0) {
		tl_buf_putc(b, ' ');
		tl_buf_u64(b, (u % unit[i]) / unit[i + 1]);
		tl_buf_putc(b, ' ');
		tl_buf_puts(b, L->units[i + 1]);
	}
}

/* Dates. */

static void put_year(tl_buf_t *b, int64_t y)
{
	if (y >= 0 && y <= 9999)
		tl_buf_printf(b, "%04d", (int)y);
	else
		tl_buf_i64(b, y);
}

void tl_fmt_civil(tl_buf_t *b, const tl_civil_t *c, int style, const char *zone,
		  const tl_lang_t *lang)
{
	const tl_lang_t *L = lang_or_en(lang);
	int m = c->month >= 1 && c->month <= 12 ? c->month - 1 : 0;
	int wd = c->weekday >= 0 && c->weekday <= 6 ? c->weekday : 0;
	const char *z = zone && *zone ? zone : "UTC";

	switch (style) {
	case TL_DATE_ABBR:
		tl_buf_printf(b, "%d %s ", c->day, L->months_abbr[m]);
		tl_buf_i64(b, c->year);
		break;
	case TL_DATE_ISO:
		put_year(b, c->year);
		tl_buf_printf(b, "-%02d-%02d", c->month, c->day);
		break;
	case TL_DATE_MONTH:
		tl_buf_printf(b, "%s ", L->months[m]);
		tl_buf_i64(b, c->year);
		break;
	case TL_DATE_DAY_MONTH:
		tl_buf_printf(b, "%d %s", c->day, L->months[m]);
		break;
	case TL_DATETIME_ISO:
	case TL_DATETIME_ISO_SEC:
		put_year(b, c->year);
		tl_buf_printf(b, "-%02d-%02d %02d:%02d", c->month, c->day, c->hour, c->minute);
		if (style == TL_DATETIME_ISO_SEC)
			tl_buf_printf(b, ":%02d", c->second);
		tl_buf_printf(b, " %s", z);
		break;
	case TL_DATETIME_WEEKDAY:
		tl_buf_printf(b, "%s, ", L->weekdays[wd]);
		/* fall through */
	case TL_DATETIME_LONG:
		tl_buf_printf(b, "%d %s ", c->day, L->months[m]);
		tl_buf_i64(b, c->year);
		tl_buf_printf(b, ", %02d:%02d %s", c->hour, c->minute, z);
		break;
	case TL_DATE_LONG:
	default:
		tl_buf_printf(b, "%d %s ", c->day, L->months[m]);
		tl_buf_i64(b, c->year);
		break;
	}
}

void tl_fmt_time(tl_buf_t *b, int64_t us, int style, const tl_lang_t *lang)
{
	tl_civil_t c;

	if (us == TL_TIME_NONE) {
		tl_buf_puts(b, lang_or_en(lang)->na);
		return;
	}
	tl_tz_civil_utc(us, &c);
	tl_fmt_civil(b, &c, style, "UTC", lang);
}
