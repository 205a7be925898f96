/* chart.c - the parts every chart shares: the display list, the pen that draws into it
 * (cairo does the geometry, each path is copied out), text and its measure, legends. */
#include "render/chart/chart_impl.h"

#include <fontconfig/fontconfig.h>
#include <stdarg.h>

const uint32_t tl_chart_palette[TL_CHART_MAX_SERIES] = {
	0x0072B2u, 0xE69F00u, 0x009E73u, 0xD55E00u, 0x56B4E9u, 0xCC79A7u, 0xF0E442u, 0x999999u,
};

/* ---- Display list -------------------------------------------------------------------- */

void tl_chart_free(tl_chart_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ntexts; i++)
		free(c->texts[i].text);
	free(c->texts);
	free(c->paths);
	free(c->segs);
	free(c);
}

void tl_chart_set_font(cairo_t *cr, int bold)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	/* Unhinted outlines and linear advances: the same geometry at any size or scale, and
	 * widths that a PDF font's metrics can match. */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	cairo_select_font_face(cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
}

double tl_chart_cairo_measure(void *ctx, const char *utf8, double size, int bold)
{
	cairo_t *cr = ctx;
	cairo_text_extents_t te;
	tl_chart_set_font(cr, bold);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, utf8, &te);
	return te.x_advance;
}

int tl_chart_pen_open(pen_t *p, const tl_chart_opts_t *o)
{
	if (!o || !(o->width >= TL_CHART_MIN_SIZE && o->width <= TL_CHART_MAX_SIZE) ||
	    !(o->height >= TL_CHART_MIN_SIZE && o->height <= TL_CHART_MAX_SIZE))
		return TL_EINVAL;
	if (o->font_size != 0 && !(o->font_size >= 4 && o->font_size <= 24))
		return TL_EINVAL;
	memset(p, 0, sizeof(*p));
	p->c = tl_xcalloc(1, sizeof(*p->c));
	p->c->width = o->width;
	p->c->height = o->height;
	cairo_rectangle_t ext = {0, 0, o->width, o->height};
	p->rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &ext);
	p->cr = cairo_create(p->rec);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		abort(); /* cairo fails here only when out of memory */
	p->measure = o->measure ? o->measure : tl_chart_cairo_measure;
	p->mctx = o->measure ? o->measure_ctx : p->cr;
	p->fs = o->font_size != 0 ? o->font_size : 8.0;
	return TL_OK;
}

tl_chart_t *tl_chart_pen_close(pen_t *p)
{
	cairo_destroy(p->cr);
	cairo_surface_destroy(p->rec);
	return p->c;
}

void tl_chart_pen_abort(pen_t *p)
{
	tl_chart_free(tl_chart_pen_close(p));
}

void tl_chart_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	*arr = tl_xrealloc(*arr, n * elem);
	*cap = n;
}

static void add_seg(tl_chart_t *c, int kind, const cairo_path_data_t *pts, int npts)
{
	tl_chart_grow((void **)&c->segs, &c->cap_segs, c->nsegs + 1, sizeof(*c->segs));
	tl_chart_seg_t *s = &c->segs[c->nsegs++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	for (int i = 0; i < npts; i++) {
		s->x[i] = pts[i].point.x;
		s->y[i] = pts[i].point.y;
	}
}

/* Copies cairo's current path into the display list as one painted path, paints it on
 * the recording surface and clears it. */
static void paint(pen_t *p, int op, uint32_t rgb, double lw)
{
	tl_chart_t *c = p->c;
	cairo_path_t *cp = cairo_copy_path(p->cr);
	if (cp->status != CAIRO_STATUS_SUCCESS)
		abort(); /* only on out of memory: no path here is invalid */
	size_t first = c->nsegs;
	for (int i = 0; i < cp->num_data; i += cp->data[i].header.length) {
		const cairo_path_data_t *d = &cp->data[i];
		switch (d->header.type) {
		case CAIRO_PATH_MOVE_TO: add_seg(c, TL_CHART_SEG_MOVE, d + 1, 1); break;
		case CAIRO_PATH_LINE_TO: add_seg(c, TL_CHART_SEG_LINE, d + 1, 1); break;
		case CAIRO_PATH_CURVE_TO: add_seg(c, TL_CHART_SEG_CURVE, d + 1, 3); break;
		case CAIRO_PATH_CLOSE_PATH: add_seg(c, TL_CHART_SEG_CLOSE, d, 0); break;
		}
	}
	cairo_path_destroy(cp);
	/* cairo adds a move-to after each close-path; a move-to that starts nothing (followed
	 * by another move-to or by the end) is dropped, so every subpath draws. */
	size_t k = first;
	for (size_t i = first; i < c->nsegs; i++) {
		if (c->segs[i].kind == TL_CHART_SEG_MOVE &&
		    (i + 1 == c->nsegs || c->segs[i + 1].kind == TL_CHART_SEG_MOVE))
			continue;
		c->segs[k++] = c->segs[i];
	}
	c->nsegs = k;
	if (c->nsegs == first) {
		cairo_new_path(p->cr);
		return;
	}
	tl_chart_grow((void **)&c->paths, &c->cap_paths, c->npaths + 1, sizeof(*c->paths));
	tl_chart_path_t *pa = &c->paths[c->npaths++];
	memset(pa, 0, sizeof(*pa));
	pa->op = op;
	pa->rgb = rgb;
	pa->line_width = op == TL_CHART_STROKE ? lw : 0;
	pa->join = op == TL_CHART_STROKE ? p->join : TL_CHART_JOIN_MITER;
	pa->cap = op == TL_CHART_STROKE ? p->cap : TL_CHART_CAP_BUTT;
	pa->dash_on = op == TL_CHART_STROKE ? p->dash_on : 0;
	pa->dash_off = op == TL_CHART_STROKE ? p->dash_off : 0;
	pa->clipped = p->clipped;
	if (p->clipped) {
		pa->clip_x = p->clip[0];
		pa->clip_y = p->clip[1];
		pa->clip_w = p->clip[2];
		pa->clip_h = p->clip[3];
	}
	pa->first_seg = first;
	pa->nseg = c->nsegs - first;
	cairo_set_source_rgb(p->cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
			     (rgb & 255) / 255.0);
	if (op == TL_CHART_FILL) {
		cairo_fill(p->cr);
	} else {
		cairo_set_line_width(p->cr, lw);
		cairo_stroke(p->cr);
	}
}

void tl_chart_fill(pen_t *p, uint32_t rgb)
{
	paint(p, TL_CHART_FILL, rgb, 0);
}

void tl_chart_stroke(pen_t *p, uint32_t rgb, double lw)
{
	paint(p, TL_CHART_STROKE, rgb, lw);
}

void tl_chart_dash(pen_t *p, int on, int off)
{
	p->dash_on = on;
	p->dash_off = off;
}

void tl_chart_clip_rect(pen_t *p, double x, double y, double w, double h)
{
	p->clipped = 1;
	p->clip[0] = x;
	p->clip[1] = y;
	p->clip[2] = w;
	p->clip[3] = h;
}

void tl_chart_no_clip(pen_t *p)
{
	p->clipped = 0;
}

void tl_chart_fill_rect(pen_t *p, double x, double y, double w, double h, uint32_t rgb)
{
	if (!(w > 0 && h > 0))
		return;
	cairo_rectangle(p->cr, x, y, w, h);
	tl_chart_fill(p, rgb);
}

void tl_chart_line(pen_t *p, double x0, double y0, double x1, double y1, uint32_t rgb, double lw)
{
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
	tl_chart_stroke(p, rgb, lw);
}

void tl_chart_hatch_rect(pen_t *p, double x, double y, double w, double h)
{
	if (!(w > 0 && h > 0))
		return;
	tl_chart_fill_rect(p, x, y, w, h, C_WHITE);
	int was = p->clipped;
	double saved[4];
	memcpy(saved, p->clip, sizeof(saved));
	tl_chart_clip_rect(p, x, y, w, h);
	/* Lines x - y = const, anchored to the page grid so adjacent gaps line up. */
	double step = 4.0;
	double k0 = floor((x - (y + h)) / step) * step;
	for (double k = k0; k <= x + w - y; k += step) {
		cairo_move_to(p->cr, k + y, y);
		cairo_line_to(p->cr, k + y + h, y + h);
	}
	tl_chart_stroke(p, C_HATCH, 0.6);
	p->clipped = was;
	memcpy(p->clip, saved, sizeof(saved));
}

char *tl_chart_clean_utf8(const char *s)
{
	size_t len = strlen(s);
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_reserve(&b, len + 1);
	for (size_t i = 0; i < len;) {
		size_t n = tl_utf8_len((const unsigned char *)s + i, len - i);
		if (n == 0 || (n == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f))) {
			tl_buf_puts(&b, REPLACEMENT);
			i++;
			continue;
		}
		if (n == 2 && (unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			tl_buf_puts(&b, REPLACEMENT); /* C1 controls */
			i += 2;
			continue;
		}
		tl_buf_append(&b, s + i, n);
		i += n;
	}
	return b.data ? b.data : tl_xstrdup("");
}

double tl_chart_measure(pen_t *p, const char *s, double size, int bold)
{
	char *t = tl_chart_clean_utf8(s);
	double w = p->measure(p->mctx, t, size, bold);
	free(t);
	return isfinite(w) && w > 0 ? w : 0;
}

void tl_chart_put_text(pen_t *p, const char *s, double x, double y, double size, int anchor,
		       int rotate, int bold, uint32_t rgb)
{
	if (!s || !*s)
		return;
	tl_chart_t *c = p->c;
	tl_chart_grow((void **)&c->texts, &c->cap_texts, c->ntexts + 1, sizeof(*c->texts));
	tl_chart_text_t *t = &c->texts[c->ntexts++];
	t->text = tl_chart_clean_utf8(s);
	t->x = x;
	t->y = y;
	t->size = size;
	t->anchor = anchor;
	t->rotate = rotate;
	t->bold = bold;
	t->rgb = rgb;
	t->after_path = c->npaths;
}

/* s cut at a code point boundary and ended with "…" so that it measures at most maxw;
 * visible elision, never a silent cut. Caller frees. */
static char *elide(pen_t *p, const char *s, double size, int bold, double maxw)
{
	char *t = tl_chart_clean_utf8(s);
	if (tl_chart_measure(p, t, size, bold) <= maxw)
		return t;
	p->c->elided++;
	size_t len = strlen(t);
	tl_buf_t b;
	tl_buf_init(&b);
	while (len > 0) {
		do
			len--;
		while (len > 0 && ((unsigned char)t[len] & 0xc0) == 0x80);
		tl_buf_clear(&b);
		tl_buf_append(&b, t, len);
		tl_buf_puts(&b, ELLIPSIS);
		if (tl_chart_measure(p, b.data, size, bold) <= maxw)
			break;
	}
	free(t);
	if (len == 0) {
		tl_buf_clear(&b);
		tl_buf_puts(&b, ELLIPSIS);
	}
	return b.data;
}

void tl_chart_put_text_elided(pen_t *p, const char *s, double x, double y, double size, int anchor,
			      int bold, uint32_t rgb, double maxw)
{
	if (!s || !*s)
		return;
	char *e = elide(p, s, size, bold, maxw);
	tl_chart_put_text(p, e, x, y, size, anchor, 0, bold, rgb);
	free(e);
}

/* ---- Number and date formatting ------------------------------------------------------ */

void tl_chart_fmt_into(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

void tl_chart_take(char *out, size_t cap, tl_buf_t *b)
{
	tl_chart_fmt_into(out, cap, "%s", b->data ? b->data : "");
	tl_buf_free(b);
}

void tl_chart_diamond(pen_t *p, double x, double y, double r)
{
	cairo_move_to(p->cr, x, y - r);
	cairo_line_to(p->cr, x + r, y);
	cairo_line_to(p->cr, x, y + r);
	cairo_line_to(p->cr, x - r, y);
	cairo_close_path(p->cr);
}

void tl_chart_arrowhead(pen_t *p, double x, double y, int dir, uint32_t rgb)
{
	cairo_move_to(p->cr, x, y);
	cairo_line_to(p->cr, x - 2.6, y - dir * 4.5);
	cairo_line_to(p->cr, x + 2.6, y - dir * 4.5);
	cairo_close_path(p->cr);
	tl_chart_fill(p, rgb);
}

double tl_chart_legend(pen_t *p, const legend_item_t *it, size_t n, double x, double y, double w,
		       int draw)
{
	if (n == 0)
		return 0;
	double rowh = p->fs * 1.5, cx = x, cy = y;
	for (size_t i = 0; i < n; i++) {
		double tw = tl_chart_measure(p, it[i].label, p->fs, 0);
		double ew = 10 + 4 + tw;
		if (cx > x && cx + ew > x + w) {
			cx = x;
			cy += rowh;
		}
		if (draw) {
			double base = cy + p->fs * CAP_H + 1;
			double sy = base - p->fs * CAP_H, sh = p->fs * CAP_H, mid = sy + sh / 2;
			switch (it[i].kind) {
			case LG_FILL: tl_chart_fill_rect(p, cx, sy, 10, sh, it[i].rgb); break;
			case LG_HATCH:
				tl_chart_hatch_rect(p, cx, sy, 10, sh);
				cairo_rectangle(p->cr, cx, sy, 10, sh);
				tl_chart_stroke(p, C_HATCH, 0.5);
				break;
			case LG_OPEN:
				tl_chart_fill_rect(p, cx, sy, 10, sh, it[i].rgb2);
				cairo_rectangle(p->cr, cx + 0.5, sy + 0.5, 9, sh - 1);
				tl_chart_stroke(p, it[i].rgb, 1.0);
				break;
			case LG_LINE:
				tl_chart_line(p, cx, mid, cx + 10, mid, it[i].rgb, 1.4);
				break;
			case LG_DASH:
				tl_chart_dash(p, 3, 2);
				tl_chart_line(p, cx, mid, cx + 10, mid, it[i].rgb, 1.2);
				tl_chart_dash(p, 0, 0);
				break;
			case LG_DIAMOND:
				tl_chart_diamond(p, cx + 5, mid, 3.2);
				tl_chart_fill(p, it[i].rgb);
				break;
			case LG_ARROW:
				tl_chart_line(p, cx + 5, sy - 1, cx + 5, sy + sh - 2, it[i].rgb,
					      0.9);
				tl_chart_arrowhead(p, cx + 5, sy + sh + 1, 1, it[i].rgb);
				break;
			}
			tl_chart_put_text(p, it[i].label, cx + 14, base, p->fs,
					  TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		}
		cx += ew + 12;
	}
	return cy - y + rowh;
}

int tl_chart_check_str(const char *s)
{
	return s == NULL || strlen(s) < 4096;
}

int tl_chart_spans_ok(const tl_chart_span_t *s, size_t n)
{
	if (n > TL_CHART_MAX_BINS || (n && !s))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].end_us < s[i].start_us || !tl_chart_check_str(s[i].label))
			return 0;
	return 1;
}

void tl_chart_release(void)
{
	cairo_debug_reset_static_data();
	/* cairo's toy font API goes through fontconfig, whose caches live until FcFini */
	FcFini();
}

/* ---- Row charts: a label column at the left, one row per item ------------------------ */

double tl_chart_label_col(pen_t *p, const char *const *labels, size_t n, double W)
{
	double w = 0;
	for (size_t i = 0; i < n; i++) {
		double m = labels[i] ? tl_chart_measure(p, labels[i], p->fs, 0) : 0;
		if (m > w)
			w = m;
	}
	return w < W * 0.3 ? w : W * 0.3;
}

const char *tl_chart_cairo_version(void)
{
	return cairo_version_string();
}

const char *tl_chart_fontconfig_version(void)
{
	static char v[32];
	int n = FcGetVersion(); /* major * 10000 + minor * 100 + revision */
	snprintf(v, sizeof(v), "%d.%d.%d", n / 10000, n / 100 % 100, n % 100);
	return v;
}
