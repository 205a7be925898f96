/* chart.c - charts drawn with cairo and captured as display lists (paths and text items);
 * SVG and PNG export by replaying the list. The one file that includes cairo. */
#include "render/chart/chart.h"

#include "render/fmt.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <fontconfig/fontconfig.h>
#include <cairo-ft.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_FAMILY "DejaVu Sans"
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */
#define EN_DASH "\xe2\x80\x93"  /* U+2013 */
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

#define C_TEXT 0x222222u
#define C_MUTED 0x555555u
#define C_GRID 0xDDDDDDu
#define C_AXIS 0x444444u
#define C_WINDOW 0xF7F0C6u
#define C_WINDOW_EDGE 0xD9C96Bu
#define C_HATCH 0x8C8C8Cu
#define C_WHITE 0xFFFFFFu
#define C_BLUE 0x0072B2u
#define C_VERMILLION 0xD55E00u
#define C_SKY 0x56B4E9u

#define PAD 6.0       /* outer margin */
#define TICK_LEN 3.0
#define CAP_H 0.72    /* cap height of DejaVu Sans, in ems: centres text vertically */
#define DESC 0.24     /* descender, in ems */

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

/* The drawing state while a chart is built: cairo does the geometry (rectangles, arcs,
 * transforms), each fill or stroke is copied out of cairo into the display list. */
typedef struct pen {
	tl_chart_t *c;
	cairo_surface_t *rec; /* recording surface: the paths are painted there too */
	cairo_t *cr;
	tl_chart_measure_fn measure;
	void *mctx;
	double fs; /* base font size */
	int clipped;
	double clip[4];
	int dash_on, dash_off;
	int join, cap;
} pen_t;

static void set_font(cairo_t *cr, int bold)
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

static double cairo_measure(void *ctx, const char *utf8, double size, int bold)
{
	cairo_t *cr = ctx;
	cairo_text_extents_t te;
	set_font(cr, bold);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, utf8, &te);
	return te.x_advance;
}

static int pen_open(pen_t *p, const tl_chart_opts_t *o)
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
	p->measure = o->measure ? o->measure : cairo_measure;
	p->mctx = o->measure ? o->measure_ctx : p->cr;
	p->fs = o->font_size != 0 ? o->font_size : 8.0;
	return TL_OK;
}

static tl_chart_t *pen_close(pen_t *p)
{
	cairo_destroy(p->cr);
	cairo_surface_destroy(p->rec);
	return p->c;
}

static void pen_abort(pen_t *p)
{
	tl_chart_free(pen_close(p));
}

static void grow(void **arr, size_t *cap, size_t need, size_t elem)
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
	grow((void **)&c->segs, &c->cap_segs, c->nsegs + 1, sizeof(*c->segs));
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
	grow((void **)&c->paths, &c->cap_paths, c->npaths + 1, sizeof(*c->paths));
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

static void fill(pen_t *p, uint32_t rgb)
{
	paint(p, TL_CHART_FILL, rgb, 0);
}

static void stroke(pen_t *p, uint32_t rgb, double lw)
{
	paint(p, TL_CHART_STROKE, rgb, lw);
}

static void dash(pen_t *p, int on, int off)
{
	p->dash_on = on;
	p->dash_off = off;
}

static void clip_rect(pen_t *p, double x, double y, double w, double h)
{
	p->clipped = 1;
	p->clip[0] = x;
	p->clip[1] = y;
	p->clip[2] = w;
	p->clip[3] = h;
}

static void no_clip(pen_t *p)
{
	p->clipped = 0;
}

static void fill_rect(pen_t *p, double x, double y, double w, double h, uint32_t rgb)
{
	if (!(w > 0 && h > 0))
		return;
	cairo_rectangle(p->cr, x, y, w, h);
	fill(p, rgb);
}

static void line(pen_t *p, double x0, double y0, double x1, double y1, uint32_t rgb, double lw)
{
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
	stroke(p, rgb, lw);
}

/* Diagonal hatching (45 degrees, spacing 4 pt) over a white rectangle: "no data". */
static void hatch_rect(pen_t *p, double x, double y, double w, double h)
{
	if (!(w > 0 && h > 0))
		return;
	fill_rect(p, x, y, w, h, C_WHITE);
	int was = p->clipped;
	double saved[4];
	memcpy(saved, p->clip, sizeof(saved));
	clip_rect(p, x, y, w, h);
	/* Lines x - y = const, anchored to the page grid so adjacent gaps line up. */
	double step = 4.0;
	double k0 = floor((x - (y + h)) / step) * step;
	for (double k = k0; k <= x + w - y; k += step) {
		cairo_move_to(p->cr, k + y, y);
		cairo_line_to(p->cr, k + y + h, y + h);
	}
	stroke(p, C_HATCH, 0.6);
	p->clipped = was;
	memcpy(p->clip, saved, sizeof(saved));
}

/* Copies s with invalid UTF-8 and control characters replaced by U+FFFD: cairo refuses
 * invalid UTF-8 (the context would go into an error state), and labels come from case
 * files and evidence. */
static char *clean_utf8(const char *s)
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

static double measure(pen_t *p, const char *s, double size, int bold)
{
	char *t = clean_utf8(s);
	double w = p->measure(p->mctx, t, size, bold);
	free(t);
	return isfinite(w) && w > 0 ? w : 0;
}

static void text(pen_t *p, const char *s, double x, double y, double size, int anchor,
		 int rotate, int bold, uint32_t rgb)
{
	if (!s || !*s)
		return;
	tl_chart_t *c = p->c;
	grow((void **)&c->texts, &c->cap_texts, c->ntexts + 1, sizeof(*c->texts));
	tl_chart_text_t *t = &c->texts[c->ntexts++];
	t->text = clean_utf8(s);
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
	char *t = clean_utf8(s);
	if (measure(p, t, size, bold) <= maxw)
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
		if (measure(p, b.data, size, bold) <= maxw)
			break;
	}
	free(t);
	if (len == 0) {
		tl_buf_clear(&b);
		tl_buf_puts(&b, ELLIPSIS);
	}
	return b.data;
}

static void text_elided(pen_t *p, const char *s, double x, double y, double size, int anchor,
			int bold, uint32_t rgb, double maxw)
{
	if (!s || !*s)
		return;
	char *e = elide(p, s, size, bold, maxw);
	text(p, e, x, y, size, anchor, 0, bold, rgb);
	free(e);
}

/* ---- Number and date formatting ------------------------------------------------------ */

__attribute__((format(printf, 3, 4))) static void fmt_into(char *out, size_t cap,
							  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

/* Copies b into out, cut to cap - 1 bytes as snprintf cuts (a tick label has
 * TL_CHART_TICK_LABEL bytes), and frees b. */
static void take(char *out, size_t cap, tl_buf_t *b)
{
	fmt_into(out, cap, "%s", b->data ? b->data : "");
	tl_buf_free(b);
}

/* v with `decimals` decimals, as render/fmt.h writes a chart's numbers. */
static void fmt_num(char *out, size_t cap, double v, int decimals)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_chart_num(&b, v, decimals, NULL);
	take(out, cap, &b);
}

/* A day (days since 1970-01-01) in one of the chart styles of render/fmt.h. */
static void fmt_day(char *out, size_t cap, int64_t day, int style)
{
	tl_civil_t c = {0};
	int64_t y;
	unsigned m, d;
	tl_buf_t b;

	tl_civil_from_days(day, &y, &m, &d);
	c.year = y;
	c.month = (int)m;
	c.day = (int)d;
	tl_buf_init(&b);
	tl_fmt_civil(&b, &c, style, NULL, NULL);
	take(out, cap, &b);
}

/* ---- Ticks --------------------------------------------------------------------------- */

static int decimals_for_step(double step)
{
	int d = (int)-floor(log10(step) + 1e-9);
	return d < 0 ? 0 : d;
}

int tl_chart_ticks_linear(double lo, double hi, unsigned max_ticks, int percent,
			  tl_chart_ticks_t *out)
{
	if (!isfinite(lo) || !isfinite(hi) || lo > hi || max_ticks < 2 ||
	    max_ticks > TL_CHART_MAX_TICKS || !out)
		return TL_EINVAL;
	if (lo == hi) {
		if (lo == 0) {
			hi = 1;
		} else {
			double a = fabs(lo) * 0.5;
			lo = lo > 0 ? 0 : lo - a;
			hi = hi > 0 ? hi + a : 0;
		}
	}
	double raw = (hi - lo) / (max_ticks - 1);
	double mag = pow(10, floor(log10(raw)));
	static const double mults[] = {1, 2, 5, 10, 20};
	double step = 0, a = 0, b = 0;
	for (size_t i = 0; i < sizeof(mults) / sizeof(mults[0]); i++) {
		step = mults[i] * mag;
		a = floor(lo / step + 1e-9);
		b = ceil(hi / step - 1e-9);
		if (b - a + 1 <= max_ticks)
			break;
	}
	memset(out, 0, sizeof(*out));
	out->lo = a * step;
	out->hi = b * step;
	int dec = decimals_for_step(percent ? step * 100 : step);
	for (double i = a; i <= b && out->n < TL_CHART_MAX_TICKS; i++) {
		double v = i * step;
		if (fabs(v) < step * 1e-9)
			v = 0;
		out->v[out->n] = v;
		char num[TL_CHART_TICK_LABEL];
		fmt_num(num, sizeof(num), percent ? v * 100 : v, dec);
		fmt_into(out->label[out->n], TL_CHART_TICK_LABEL, "%s%s", num, percent ? "%" : "");
		out->n++;
	}
	return TL_OK;
}

static void log_label(char *out, double v)
{
	int dec = v >= 1 ? 0 : (int)-floor(log10(v) + 1e-9);
	fmt_num(out, TL_CHART_TICK_LABEL, v, dec);
}

int tl_chart_ticks_log(double lo, double hi, unsigned max_ticks, tl_chart_ticks_t *out)
{
	if (!(lo > 0) || !isfinite(lo) || !isfinite(hi) || lo > hi || max_ticks < 2 ||
	    max_ticks > TL_CHART_MAX_TICKS || !out || lo < 1e-12 || hi > 1e15)
		return TL_EINVAL;
	memset(out, 0, sizeof(*out));
	int d0 = (int)floor(log10(lo) + 1e-9);
	int d1 = (int)ceil(log10(hi) - 1e-9);
	if (d1 <= d0)
		d1 = d0 + 1;
	if (d1 - d0 <= 2) {
		/* 1-2-5 values: the range from the largest such value <= lo to the smallest >= hi */
		static const double m[] = {1, 2, 5};
		double cand[16];
		size_t nc = 0;
		for (int d = d0; d <= d1; d++)
			for (int i = 0; i < 3; i++)
				cand[nc++] = m[i] * pow(10, d);
		size_t a = 0, b = nc - 1;
		for (size_t i = 0; i < nc; i++)
			if (cand[i] <= lo * (1 + 1e-9))
				a = i;
		for (size_t i = nc; i-- > 0;)
			if (cand[i] >= hi * (1 - 1e-9))
				b = i;
		if (b - a + 1 <= max_ticks) {
			out->lo = cand[a];
			out->hi = cand[b];
			for (size_t i = a; i <= b; i++) {
				out->v[out->n] = cand[i];
				log_label(out->label[out->n], cand[i]);
				out->n++;
			}
			return TL_OK;
		}
	}
	int k = 1;
	while ((d1 - d0) / k + 1 > (int)max_ticks)
		k++;
	d0 = (int)(floor((double)d0 / k) * k);
	d1 = (int)(ceil((double)d1 / k) * k);
	out->lo = pow(10, d0);
	out->hi = pow(10, d1);
	for (int d = d0; d <= d1 && out->n < TL_CHART_MAX_TICKS; d += k) {
		out->v[out->n] = pow(10, d);
		log_label(out->label[out->n], out->v[out->n]);
		out->n++;
	}
	return TL_OK;
}

enum { DU_DAY, DU_WEEK, DU_MONTH, DU_YEAR };

/* Ticks of one unit and step within [a, b] (whole days); returns the count, writing at
 * most TL_CHART_MAX_TICKS days to v when v is not NULL. */
static size_t date_ticks(int64_t a, int64_t b, int unit, int step, int64_t *v)
{
	size_t n = 0;
	if (unit == DU_DAY || unit == DU_WEEK) {
		int64_t period = unit == DU_DAY ? step : 7 * step;
		/* days are counted from 1970-01-05, a Monday, so weeks start on Mondays */
		int64_t r = (a - 4) % period;
		if (r < 0)
			r += period;
		int64_t d = r == 0 ? a : a + (period - r);
		for (; d <= b; d += period) {
			if (v && n < TL_CHART_MAX_TICKS)
				v[n] = d;
			n++;
		}
		return n;
	}
	int64_t y;
	unsigned m, dd;
	tl_civil_from_days(a, &y, &m, &dd);
	int64_t mi = y * 12 + (m - 1); /* months since year 0 */
	if (dd != 1)
		mi++;
	int mstep = unit == DU_MONTH ? step : 12 * step;
	int64_t r = mi % mstep;
	if (r < 0)
		r += mstep;
	if (r)
		mi += mstep - r;
	for (;; mi += mstep) {
		int64_t yy = mi / 12 - (mi % 12 < 0);
		unsigned mm = (unsigned)(mi - yy * 12) + 1;
		int64_t d = tl_days_from_civil(yy, mm, 1);
		if (d > b)
			break;
		if (v && n < TL_CHART_MAX_TICKS)
			v[n] = d;
		n++;
	}
	return n;
}

int tl_chart_ticks_date(double day_lo, double day_hi, unsigned max_ticks, tl_chart_ticks_t *out)
{
	if (!isfinite(day_lo) || !isfinite(day_hi) || day_lo > day_hi || max_ticks < 1 ||
	    max_ticks > TL_CHART_MAX_TICKS || !out || fabs(day_lo) > 3e6 || fabs(day_hi) > 3e6)
		return TL_EINVAL;
	static const struct {
		int unit, step;
	} opts[] = {{DU_DAY, 1},   {DU_DAY, 2},   {DU_WEEK, 1},  {DU_WEEK, 2},
		    {DU_MONTH, 1}, {DU_MONTH, 2}, {DU_MONTH, 3}, {DU_MONTH, 6},
		    {DU_YEAR, 1},  {DU_YEAR, 2},  {DU_YEAR, 5},  {DU_YEAR, 10},
		    {DU_YEAR, 20}, {DU_YEAR, 50}, {DU_YEAR, 100}, {DU_YEAR, 1000}};
	int64_t a = (int64_t)ceil(day_lo), b = (int64_t)floor(day_hi);
	memset(out, 0, sizeof(*out));
	out->lo = day_lo;
	out->hi = day_hi;
	size_t o = 0;
	for (; o < sizeof(opts) / sizeof(opts[0]) - 1; o++)
		if (date_ticks(a, b, opts[o].unit, opts[o].step, NULL) <= max_ticks)
			break;
	int64_t v[TL_CHART_MAX_TICKS];
	size_t n = date_ticks(a, b, opts[o].unit, opts[o].step, v);
	if (n > TL_CHART_MAX_TICKS)
		n = TL_CHART_MAX_TICKS;
	for (size_t i = 0; i < n; i++) {
		int64_t y;
		unsigned m, d;
		tl_civil_from_days(v[i], &y, &m, &d);
		out->v[i] = (double)v[i];
		int style = TL_DATE_DAY_MON;
		if (opts[o].unit == DU_YEAR)
			style = TL_DATE_YEAR;
		else if (opts[o].unit == DU_MONTH && (i == 0 || m == 1))
			style = TL_DATE_MON_YEAR;
		else if (opts[o].unit == DU_MONTH)
			style = TL_DATE_MON;
		fmt_day(out->label[i], TL_CHART_TICK_LABEL, v[i], style);
	}
	out->n = n;
	return TL_OK;
}

/* ---- Layout pieces shared by the charts ---------------------------------------------- */

typedef struct axis {
	int log;
	double lo, hi; /* data range shown */
	double p0, p1; /* positions of lo and hi on the page */
} axis_t;

static double amap(const axis_t *a, double v)
{
	double t;
	if (a->log) {
		if (!(v > 0))
			return a->p0;
		t = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	} else {
		t = (v - a->lo) / (a->hi - a->lo);
	}
	if (t < -0.01)
		t = -0.01; /* outside values stop just beyond the axis; clips and arrows show it */
	if (t > 1.01)
		t = 1.01;
	return a->p0 + t * (a->p1 - a->p0);
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* Ticks for a count axis from 0: whole-number steps, at most 6 ticks, 0..1 when all zero. */
static void count_ticks(double ymax, tl_chart_ticks_t *t)
{
	for (unsigned m = 6; m >= 2; m--) {
		tl_chart_ticks_linear(0, fmax(ymax, 1), m, 0, t);
		if (t->n < 2 || t->v[1] - t->v[0] >= 1)
			return;
	}
}

static double ticks_width(pen_t *p, const tl_chart_ticks_t *t, double size)
{
	double w = 0;
	for (size_t i = 0; i < t->n; i++) {
		double m = measure(p, t->label[i], size, 0);
		if (m > w)
			w = m;
	}
	return w;
}

/* Do the tick labels, centred on their ticks along a horizontal axis, keep 8 pt apart? */
static int ticks_fit(pen_t *p, const tl_chart_ticks_t *t, const axis_t *a)
{
	for (size_t i = 1; i < t->n; i++) {
		double w0 = measure(p, t->label[i - 1], p->fs, 0);
		double w1 = measure(p, t->label[i], p->fs, 0);
		double gap = fabs(amap(a, t->v[i]) - amap(a, t->v[i - 1])) - (w0 + w1) / 2;
		if (gap < 8)
			return 0;
	}
	return 1;
}

enum { TK_LINEAR, TK_PERCENT, TK_LOG, TK_DATE };

/* The densest ticks of the given kind (at most 10) whose labels fit along the axis. */
static void x_ticks(pen_t *p, int kind, axis_t *a, double lo, double hi, tl_chart_ticks_t *t)
{
	for (unsigned m = 10; m >= 2; m--) {
		int rc;
		if (kind == TK_LOG)
			rc = tl_chart_ticks_log(lo, hi, m, t);
		else if (kind == TK_DATE)
			rc = tl_chart_ticks_date(lo, hi, m, t);
		else
			rc = tl_chart_ticks_linear(lo, hi, m, kind == TK_PERCENT, t);
		if (rc != TL_OK) {
			memset(t, 0, sizeof(*t));
			t->lo = lo;
			t->hi = hi;
			return;
		}
		if (kind != TK_DATE) {
			a->lo = t->lo;
			a->hi = t->hi;
		}
		if (ticks_fit(p, t, a))
			return;
	}
}

static void draw_y_ticks(pen_t *p, const axis_t *a, const tl_chart_ticks_t *t, double x0,
			 double x1)
{
	for (size_t i = 0; i < t->n; i++) {
		double y = amap(a, t->v[i]);
		line(p, x0, y, x1, y, t->v[i] == 0 ? C_AXIS : C_GRID, t->v[i] == 0 ? 0.7 : 0.5);
	}
	for (size_t i = 0; i < t->n; i++)
		text(p, t->label[i], x0 - 4, amap(a, t->v[i]) + p->fs * CAP_H / 2, p->fs,
		     TL_CHART_ANCHOR_RIGHT, 0, 0, C_TEXT);
}

/* Axis line at y along a, tick marks and labels below; grid lines up to gy0 if gy0 < y. */
static void draw_x_axis(pen_t *p, const axis_t *a, const tl_chart_ticks_t *t, double y,
			double gy0)
{
	if (gy0 < y)
		for (size_t i = 0; i < t->n; i++)
			line(p, amap(a, t->v[i]), gy0, amap(a, t->v[i]), y, C_GRID, 0.5);
	line(p, a->p0, y, a->p1, y, C_AXIS, 0.7);
	for (size_t i = 0; i < t->n; i++) {
		double x = amap(a, t->v[i]);
		cairo_move_to(p->cr, x, y);
		cairo_line_to(p->cr, x, y + TICK_LEN);
	}
	stroke(p, C_AXIS, 0.7);
	for (size_t i = 0; i < t->n; i++)
		text(p, t->label[i], amap(a, t->v[i]), y + TICK_LEN + 2 + p->fs * CAP_H, p->fs,
		     TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
}

/* Height below the plot for x tick labels, the x title (if any) and the caption. */
static double bottom_space(pen_t *p, const tl_chart_opts_t *o, int xlabels, const char *xtitle)
{
	double h = PAD;
	if (xlabels)
		h += TICK_LEN + 2 + p->fs * (CAP_H + DESC) + 2;
	if (xtitle && *xtitle)
		h += p->fs * 1.45;
	if (o->caption && *o->caption)
		h += p->fs * 0.875 * 1.6;
	return h;
}

static void draw_bottom(pen_t *p, const tl_chart_opts_t *o, double plot_y1, int xlabels,
			const char *xtitle, double xc)
{
	double y = plot_y1;
	if (xlabels)
		y += TICK_LEN + 2 + p->fs * (CAP_H + DESC) + 2;
	if (xtitle && *xtitle)
		text(p, xtitle, xc, y + p->fs * 1.45 - p->fs * DESC, p->fs, TL_CHART_ANCHOR_CENTRE,
		     0, 0, C_TEXT);
	if (o->caption && *o->caption) {
		double cs = p->fs * 0.875;
		text_elided(p, o->caption, PAD, p->c->height - PAD - cs * DESC, cs,
			    TL_CHART_ANCHOR_LEFT, 0, C_MUTED, p->c->width - 2 * PAD);
	}
}

/* Title at the top; returns the y below it. */
static double draw_title(pen_t *p, const tl_chart_opts_t *o)
{
	double y = PAD;
	if (o->title && *o->title) {
		double ts = p->fs * 1.25;
		text_elided(p, o->title, PAD, y + ts * CAP_H, ts, TL_CHART_ANCHOR_LEFT, 1, C_TEXT,
			    p->c->width - 2 * PAD);
		y += ts * (CAP_H + DESC) + p->fs * 0.8;
	}
	return y;
}

/* Y-axis title, rotated, its glyph tops at the left margin, centred on yc. */
static void draw_y_title(pen_t *p, const char *s, double yc)
{
	if (s && *s)
		text(p, s, PAD + p->fs * CAP_H, yc, p->fs, TL_CHART_ANCHOR_CENTRE, 90, 0, C_TEXT);
}

static double y_title_space(pen_t *p, const char *s)
{
	return s && *s ? p->fs * (CAP_H + DESC) + 6 : 0;
}

static void no_data(pen_t *p, double x0, double y0, double x1, double y1)
{
	cairo_rectangle(p->cr, x0, y0, x1 - x0, y1 - y0);
	stroke(p, C_GRID, 0.7);
	text(p, "No data", (x0 + x1) / 2, (y0 + y1) / 2 + p->fs * CAP_H / 2, p->fs * 1.1,
	     TL_CHART_ANCHOR_CENTRE, 0, 0, C_MUTED);
}

enum { LG_FILL, LG_HATCH, LG_OPEN, LG_LINE, LG_DASH, LG_DIAMOND, LG_ARROW };

typedef struct legend_item {
	int kind;
	uint32_t rgb, rgb2;
	const char *label;
} legend_item_t;

static void diamond(pen_t *p, double x, double y, double r)
{
	cairo_move_to(p->cr, x, y - r);
	cairo_line_to(p->cr, x + r, y);
	cairo_line_to(p->cr, x, y + r);
	cairo_line_to(p->cr, x - r, y);
	cairo_close_path(p->cr);
}

/* Arrowhead with its tip at (x, y), pointing down (dir 1) or up (dir -1). */
static void arrowhead(pen_t *p, double x, double y, int dir, uint32_t rgb)
{
	cairo_move_to(p->cr, x, y);
	cairo_line_to(p->cr, x - 2.6, y - dir * 4.5);
	cairo_line_to(p->cr, x + 2.6, y - dir * 4.5);
	cairo_close_path(p->cr);
	fill(p, rgb);
}

/* Lays out (draw = 0) or draws the legend in rows from (x, y) within width w; returns
 * its height. Swatches are 10 pt wide, entries 12 pt apart. */
static double legend(pen_t *p, const legend_item_t *it, size_t n, double x, double y, double w,
		     int draw)
{
	if (n == 0)
		return 0;
	double rowh = p->fs * 1.5, cx = x, cy = y;
	for (size_t i = 0; i < n; i++) {
		double tw = measure(p, it[i].label, p->fs, 0);
		double ew = 10 + 4 + tw;
		if (cx > x && cx + ew > x + w) {
			cx = x;
			cy += rowh;
		}
		if (draw) {
			double base = cy + p->fs * CAP_H + 1;
			double sy = base - p->fs * CAP_H, sh = p->fs * CAP_H, mid = sy + sh / 2;
			switch (it[i].kind) {
			case LG_FILL: fill_rect(p, cx, sy, 10, sh, it[i].rgb); break;
			case LG_HATCH:
				hatch_rect(p, cx, sy, 10, sh);
				cairo_rectangle(p->cr, cx, sy, 10, sh);
				stroke(p, C_HATCH, 0.5);
				break;
			case LG_OPEN:
				fill_rect(p, cx, sy, 10, sh, it[i].rgb2);
				cairo_rectangle(p->cr, cx + 0.5, sy + 0.5, 9, sh - 1);
				stroke(p, it[i].rgb, 1.0);
				break;
			case LG_LINE: line(p, cx, mid, cx + 10, mid, it[i].rgb, 1.4); break;
			case LG_DASH:
				dash(p, 3, 2);
				line(p, cx, mid, cx + 10, mid, it[i].rgb, 1.2);
				dash(p, 0, 0);
				break;
			case LG_DIAMOND:
				diamond(p, cx + 5, mid, 3.2);
				fill(p, it[i].rgb);
				break;
			case LG_ARROW:
				line(p, cx + 5, sy - 1, cx + 5, sy + sh - 2, it[i].rgb, 0.9);
				arrowhead(p, cx + 5, sy + sh + 1, 1, it[i].rgb);
				break;
			}
			text(p, it[i].label, cx + 14, base, p->fs, TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		}
		cx += ew + 12;
	}
	return cy - y + rowh;
}

static int check_str(const char *s)
{
	return s == NULL || strlen(s) < 4096;
}

/* ---- (1) Daily counts stacked by category ------------------------------------------- */

#define US_PER_DAY 86400000000.0
#define MAX_WINDOW_LABELS 64 /* windows after these are shaded but not labelled */

static int spans_ok(const tl_chart_span_t *s, size_t n)
{
	if (n > TL_CHART_MAX_BINS || (n && !s))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].end_us < s[i].start_us || !check_str(s[i].label))
			return 0;
	return 1;
}

int tl_chart_daily(const tl_chart_opts_t *o, const tl_chart_daily_t *d, tl_chart_t **out)
{
	if (!d || !out || d->ndays > TL_CHART_MAX_BINS || d->nseries > TL_CHART_MAX_SERIES ||
	    (d->ndays && d->nseries && !d->counts) || (d->nseries && !d->series) ||
	    !spans_ok(d->windows, d->nwindows) || !spans_ok(d->gaps, d->ngaps) ||
	    d->first_day < -1000000 || d->first_day > 1000000 || !check_str(d->y_title))
		return TL_EINVAL;
	double ymax = 0;
	for (size_t day = 0; day < d->ndays && d->nseries; day++) {
		double tot = 0;
		for (size_t s = 0; s < d->nseries; s++) {
			double v = d->counts[s * d->ndays + day];
			if (!isfinite(v) || v < 0)
				return TL_EINVAL;
			tot += v;
		}
		if (tot > ymax)
			ymax = tot;
	}
	for (size_t s = 0; s < d->nseries; s++)
		if (!d->series[s] || !check_str(d->series[s]))
			return TL_EINVAL;
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	int empty = d->ndays == 0 || d->nseries == 0;
	double W = o->width, H = o->height;

	double y = draw_title(p, o);
	legend_item_t li[TL_CHART_MAX_SERIES + 2];
	size_t nl = 0;
	for (size_t s = 0; s < d->nseries; s++)
		li[nl++] = (legend_item_t){LG_FILL, tl_chart_palette[s], 0, d->series[s]};
	if (d->nwindows)
		li[nl++] = (legend_item_t){LG_FILL, C_WINDOW, 0, "Event window"};
	if (d->ngaps)
		li[nl++] = (legend_item_t){LG_HATCH, 0, 0, "No data (gap)"};
	double lg_y = y, lg_h = legend(p, li, nl, PAD, y, W - 2 * PAD, 0);
	y += lg_h + (nl ? p->fs * 0.4 : 0);

	tl_chart_ticks_t yt;
	count_ticks(ymax, &yt);
	double left = PAD + y_title_space(p, d->y_title) + ticks_width(p, &yt, p->fs) + 5;
	double right = W - PAD - 12;
	axis_t xa = {0, (double)d->first_day, (double)d->first_day + (double)d->ndays, left, right};
	if (empty)
		xa.hi = xa.lo + 1;

	/* Window labels in rows above the plot, each centred on its window where it fits. */
	double lab_x[MAX_WINDOW_LABELS];
	int lab_row[MAX_WINDOW_LABELS];
	size_t nlab = d->nwindows < MAX_WINDOW_LABELS ? d->nwindows : MAX_WINDOW_LABELS;
	double row_end[3] = {-1e9, -1e9, -1e9};
	int nrows = 0;
	double ls = p->fs * 0.95;
	for (size_t i = 0; i < nlab; i++) {
		const tl_chart_span_t *w = &d->windows[i];
		lab_row[i] = -1;
		if (!w->label || !*w->label || empty)
			continue;
		double a = clampd(w->start_us / US_PER_DAY, xa.lo, xa.hi);
		double b = clampd(w->end_us / US_PER_DAY, xa.lo, xa.hi);
		double tw = measure(p, w->label, ls, 0);
		double cx = (amap(&xa, a) + amap(&xa, b)) / 2;
		cx = clampd(cx, left + tw / 2, W - PAD - tw / 2);
		int r = 0;
		while (r < 2 && row_end[r] > cx - tw / 2 - 6)
			r++;
		lab_x[i] = cx;
		lab_row[i] = r;
		if (cx + tw / 2 > row_end[r])
			row_end[r] = cx + tw / 2;
		if (r + 1 > nrows)
			nrows = r + 1;
	}
	double band_y = y, rowh = ls * 1.35;
	y += nrows * rowh + (nrows ? 2 : 0);
	double y0 = y + 2;
	double y1 = H - bottom_space(p, o, 1, "Date (UTC)");
	if (y1 - y0 < 20) {
		pen_abort(p);
		return TL_EINVAL; /* too small for its legend and labels */
	}
	axis_t ya = {0, yt.lo, yt.hi, y1, y0};

	legend(p, li, nl, PAD, lg_y, W - 2 * PAD, 1);
	tl_chart_ticks_t xt;
	memset(&xt, 0, sizeof(xt));
	if (!empty) {
		x_ticks(p, TK_DATE, &xa, xa.lo, xa.hi, &xt);
		/* event windows behind everything */
		for (size_t i = 0; i < d->nwindows; i++) {
			double a = clampd(d->windows[i].start_us / US_PER_DAY, xa.lo, xa.hi);
			double b = clampd(d->windows[i].end_us / US_PER_DAY, xa.lo, xa.hi);
			double xa0 = amap(&xa, a), xb = amap(&xa, b);
			if (xb - xa0 < 1.5) { /* a short window stays visible */
				xa0 = (xa0 + xb) / 2 - 0.75;
				xb = xa0 + 1.5;
			}
			fill_rect(p, xa0, y0, xb - xa0, y1 - y0, C_WINDOW);
		}
		draw_y_ticks(p, &ya, &yt, left, right);
		double dw = (right - left) / (double)d->ndays;
		double inset = dw >= 3 ? dw * 0.12 : 0;
		for (size_t s = 0; s < d->nseries; s++) {
			int any = 0;
			for (size_t day = 0; day < d->ndays; day++) {
				double below = 0;
				for (size_t k = 0; k < s; k++)
					below += d->counts[k * d->ndays + day];
				double v = d->counts[s * d->ndays + day];
				if (v <= 0)
					continue;
				double yb = amap(&ya, below), yv = amap(&ya, below + v);
				cairo_rectangle(p->cr, left + day * dw + inset, yv, dw - 2 * inset, yb - yv);
				any = 1;
			}
			if (any)
				fill(p, tl_chart_palette[s]);
		}
		for (size_t i = 0; i < d->ngaps; i++) {
			double a = clampd(d->gaps[i].start_us / US_PER_DAY, xa.lo, xa.hi);
			double b = clampd(d->gaps[i].end_us / US_PER_DAY, xa.lo, xa.hi);
			double xg0 = amap(&xa, a), xg1 = amap(&xa, b);
			if (xg1 - xg0 < 1.5 && b > a) {
				xg0 = (xg0 + xg1) / 2 - 0.75;
				xg1 = xg0 + 1.5;
			}
			hatch_rect(p, xg0, y0, xg1 - xg0, y1 - y0);
		}
		for (size_t i = 0; i < d->nwindows; i++) {
			double a = d->windows[i].start_us / US_PER_DAY;
			double b = d->windows[i].end_us / US_PER_DAY;
			if (a >= xa.lo && a <= xa.hi)
				line(p, amap(&xa, a), y0, amap(&xa, a), y1, C_WINDOW_EDGE, 0.6);
			if (b >= xa.lo && b <= xa.hi && b > a)
				line(p, amap(&xa, b), y0, amap(&xa, b), y1, C_WINDOW_EDGE, 0.6);
		}
		for (size_t i = 0; i < nlab; i++)
			if (lab_row[i] >= 0)
				text(p, d->windows[i].label, lab_x[i],
				     band_y + lab_row[i] * rowh + ls * CAP_H + 1, ls,
				     TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
		draw_x_axis(p, &xa, &xt, y1, y1);
	} else {
		no_data(p, left, y0, right, y1);
	}
	draw_y_title(p, d->y_title, (y0 + y1) / 2);
	char xtitle[64] = "Date (UTC)";
	if (!empty) {
		int64_t ya0, ya1;
		unsigned m, dd;
		tl_civil_from_days(d->first_day, &ya0, &m, &dd);
		tl_civil_from_days(d->first_day + (int64_t)d->ndays - 1, &ya1, &m, &dd);
		if (ya0 == ya1)
			fmt_into(xtitle, sizeof(xtitle), "Date (UTC, %lld)", (long long)ya0);
		else
			fmt_into(xtitle, sizeof(xtitle), "Date (UTC, %lld" EN_DASH "%lld)",
				 (long long)ya0, (long long)ya1);
	}
	draw_bottom(p, o, y1, 1, xtitle, (left + right) / 2);
	*out = pen_close(p);
	return TL_OK;
}

/* ---- Export ---------------------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
			     (rgb & 255) / 255.0);
}

/* Is the face fontconfig gave for our family really DejaVu Sans (regular and bold)?
 * Another font would change the layout's widths and the output bytes from machine to
 * machine. Reads the FT_Face fields only, so no FreeType function is linked. */
static int font_is_dejavu(cairo_t *cr)
{
	for (int bold = 0; bold <= 1; bold++) {
		set_font(cr, bold);
		cairo_set_font_size(cr, 10);
		cairo_scaled_font_t *sf = cairo_get_scaled_font(cr);
		if (cairo_scaled_font_get_type(sf) != CAIRO_FONT_TYPE_FT)
			return 0;
		FT_Face f = cairo_ft_scaled_font_lock_face(sf);
		int ok = f && f->family_name && strcmp(f->family_name, FONT_FAMILY) == 0 &&
			 !!(f->style_flags & FT_STYLE_FLAG_BOLD) == bold &&
			 !(f->style_flags & FT_STYLE_FLAG_ITALIC);
		cairo_ft_scaled_font_unlock_face(sf);
		if (!ok)
			return 0;
	}
	return 1;
}

static void replay_text(cairo_t *cr, const tl_chart_text_t *t)
{
	cairo_text_extents_t te;
	set_font(cr, t->bold);
	cairo_set_font_size(cr, t->size);
	cairo_text_extents(cr, t->text, &te);
	double dx = t->anchor == TL_CHART_ANCHOR_CENTRE	 ? -te.x_advance / 2
		    : t->anchor == TL_CHART_ANCHOR_RIGHT ? -te.x_advance
							 : 0;
	cairo_save(cr);
	cairo_translate(cr, t->x, t->y);
	if (t->rotate == 90)
		cairo_rotate(cr, -1.5707963267948966);
	cairo_move_to(cr, dx, 0);
	set_rgb(cr, t->rgb);
	cairo_show_text(cr, t->text);
	cairo_restore(cr);
}

static void replay_path(cairo_t *cr, const tl_chart_t *c, const tl_chart_path_t *pa)
{
	cairo_save(cr);
	if (pa->clipped) {
		cairo_rectangle(cr, pa->clip_x, pa->clip_y, pa->clip_w, pa->clip_h);
		cairo_clip(cr);
	}
	cairo_new_path(cr);
	for (size_t i = pa->first_seg; i < pa->first_seg + pa->nseg && i < c->nsegs; i++) {
		const tl_chart_seg_t *s = &c->segs[i];
		switch (s->kind) {
		case TL_CHART_SEG_MOVE: cairo_move_to(cr, s->x[0], s->y[0]); break;
		case TL_CHART_SEG_LINE: cairo_line_to(cr, s->x[0], s->y[0]); break;
		case TL_CHART_SEG_CURVE:
			cairo_curve_to(cr, s->x[0], s->y[0], s->x[1], s->y[1], s->x[2], s->y[2]);
			break;
		case TL_CHART_SEG_CLOSE: cairo_close_path(cr); break;
		}
	}
	set_rgb(cr, pa->rgb);
	if (pa->op == TL_CHART_FILL) {
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
		cairo_fill(cr);
	} else {
		static const cairo_line_join_t joins[] = {CAIRO_LINE_JOIN_MITER, CAIRO_LINE_JOIN_ROUND,
							  CAIRO_LINE_JOIN_BEVEL};
		static const cairo_line_cap_t caps[] = {CAIRO_LINE_CAP_BUTT, CAIRO_LINE_CAP_ROUND,
							CAIRO_LINE_CAP_SQUARE};
		cairo_set_line_width(cr, pa->line_width);
		cairo_set_line_join(cr, joins[pa->join >= 0 && pa->join < 3 ? pa->join : 0]);
		cairo_set_line_cap(cr, caps[pa->cap >= 0 && pa->cap < 3 ? pa->cap : 0]);
		cairo_set_miter_limit(cr, 10);
		if (pa->dash_on > 0) {
			double dd[2] = {pa->dash_on, pa->dash_off > 0 ? pa->dash_off : pa->dash_on};
			cairo_set_dash(cr, dd, 2, 0);
		} else {
			cairo_set_dash(cr, NULL, 0, 0);
		}
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

static int replay(const tl_chart_t *c, cairo_t *cr)
{
	if (!font_is_dejavu(cr))
		return TL_EUNSUPPORTED;
	size_t ti = 0;
	for (size_t i = 0; i < c->npaths; i++) {
		while (ti < c->ntexts && c->texts[ti].after_path <= i)
			replay_text(cr, &c->texts[ti++]);
		replay_path(cr, c, &c->paths[i]);
	}
	while (ti < c->ntexts)
		replay_text(cr, &c->texts[ti++]);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? TL_OK : TL_EIO;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	tl_buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int tl_chart_svg(const tl_chart_t *c, tl_buf_t *out)
{
	if (!c || !out)
		return TL_EINVAL;
	tl_buf_t tmp;
	tl_buf_init(&tmp);
	cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_buf, &tmp, c->width, c->height);
	cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
	cairo_t *cr = cairo_create(s);
	int rc = replay(c, cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == TL_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = TL_EIO;
	cairo_surface_destroy(s);
	if (rc == TL_OK) {
		/* cairo names the page group after a process-wide surface counter
		 * ("surface17"): the only byte that depends on what was drawn before. */
		static const char key[] = "<g id=\"surface";
		char *g = tmp.data ? strstr(tmp.data, key) : NULL;
		if (g) {
			size_t at = (size_t)(g - tmp.data) + sizeof(key) - 1;
			size_t nd = strspn(tmp.data + at, "0123456789");
			tl_buf_append(out, tmp.data, at);
			tl_buf_putc(out, '1');
			tl_buf_append(out, tmp.data + at + nd, tmp.len - at - nd);
		} else {
			tl_buf_append(out, tmp.data, tmp.len);
		}
	}
	tl_buf_free(&tmp);
	return rc;
}

int tl_chart_png(const tl_chart_t *c, double scale, tl_buf_t *out)
{
	if (!c || !out || !(scale > 0 && scale <= 16))
		return TL_EINVAL;
	double wpx = ceil(c->width * scale), hpx = ceil(c->height * scale);
	if (wpx > 20000 || hpx > 20000)
		return TL_EINVAL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return TL_ENOMEM;
	}
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	int rc = replay(c, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	if (rc == TL_OK && cairo_surface_write_to_png_stream(s, to_buf, out) != CAIRO_STATUS_SUCCESS)
		rc = TL_EIO;
	cairo_surface_destroy(s);
	return rc;
}

static int write_file(const char *path, const tl_buf_t *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return tl_errno_to_err(errno);
	int rc = TL_OK;
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		rc = tl_errno_to_err(errno);
	if (fclose(f) != 0 && rc == TL_OK)
		rc = tl_errno_to_err(errno);
	if (rc != TL_OK)
		remove(path);
	return rc;
}

int tl_chart_write_svg(const tl_chart_t *c, const char *path)
{
	if (!path)
		return TL_EINVAL;
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = tl_chart_svg(c, &b);
	if (rc == TL_OK)
		rc = write_file(path, &b);
	tl_buf_free(&b);
	return rc;
}

int tl_chart_write_png(const tl_chart_t *c, const char *path, double scale)
{
	if (!path)
		return TL_EINVAL;
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = tl_chart_png(c, scale, &b);
	if (rc == TL_OK)
		rc = write_file(path, &b);
	tl_buf_free(&b);
	return rc;
}

/* ---- Framing and metadata for publication -------------------------------------------- */

#define FRAME_PAD 10.0
#define ASCENT 0.93 /* DejaVu Sans ascent, in ems: baseline below a line's top */

typedef struct extent {
	double x0, y0, x1, y1;
} extent_t;

static void ext_add(extent_t *e, double x, double y)
{
	if (!isfinite(x) || !isfinite(y))
		return;
	e->x0 = fmin(e->x0, x);
	e->y0 = fmin(e->y0, y);
	e->x1 = fmax(e->x1, x);
	e->y1 = fmax(e->y1, y);
}

/* Where a chart puts ink: the canvas, every path (inside its clip, with half the line
 * width around strokes) and every label as SVG and PNG draw it (cairo's ink extents of
 * DejaVu Sans). A label may reach past the canvas (a last tick label centred on the axis
 * end): the frame then grows rather than cutting it. */
static extent_t chart_extent(const tl_chart_t *c, cairo_t *cr)
{
	extent_t e = {0, 0, c->width, c->height};
	for (size_t i = 0; i < c->npaths; i++) {
		const tl_chart_path_t *pa = &c->paths[i];
		double m = pa->op == TL_CHART_STROKE ? pa->line_width / 2 + 0.5 : 0.5;
		for (size_t k = pa->first_seg; k < pa->first_seg + pa->nseg && k < c->nsegs; k++) {
			const tl_chart_seg_t *sg = &c->segs[k];
			int np = sg->kind == TL_CHART_SEG_CURVE ? 3
				 : sg->kind == TL_CHART_SEG_CLOSE ? 0
								  : 1;
			for (int q = 0; q < np; q++) {
				double x0 = sg->x[q] - m, x1 = sg->x[q] + m;
				double y0 = sg->y[q] - m, y1 = sg->y[q] + m;
				if (pa->clipped) {
					x0 = fmax(x0, pa->clip_x);
					y0 = fmax(y0, pa->clip_y);
					x1 = fmin(x1, pa->clip_x + pa->clip_w);
					y1 = fmin(y1, pa->clip_y + pa->clip_h);
					if (x0 > x1 || y0 > y1)
						continue;
				}
				ext_add(&e, x0, y0);
				ext_add(&e, x1, y1);
			}
		}
	}
	for (size_t i = 0; i < c->ntexts; i++) {
		const tl_chart_text_t *t = &c->texts[i];
		cairo_text_extents_t te;
		set_font(cr, t->bold);
		cairo_set_font_size(cr, t->size);
		cairo_text_extents(cr, t->text, &te);
		if (te.width <= 0 || te.height <= 0)
			continue;
		double dx = t->anchor == TL_CHART_ANCHOR_CENTRE	 ? -te.x_advance / 2
			    : t->anchor == TL_CHART_ANCHOR_RIGHT ? -te.x_advance
								 : 0;
		/* the ink box along the text (u) and across it (v, down), half a point of
		 * anti-aliasing around it */
		double u0 = dx + te.x_bearing - 0.5, u1 = dx + te.x_bearing + te.width + 0.5;
		double v0 = te.y_bearing - 0.5, v1 = te.y_bearing + te.height + 0.5;
		if (t->rotate == 90) { /* turned counter-clockwise: (u, v) -> (v, -u) */
			ext_add(&e, t->x + v0, t->y - u1);
			ext_add(&e, t->x + v1, t->y - u0);
		} else {
			ext_add(&e, t->x + u0, t->y + v0);
			ext_add(&e, t->x + u1, t->y + v1);
		}
	}
	return e;
}

static void push_text(tl_chart_t *c, const char *s, double x, double y, double size, int bold,
		      uint32_t rgb)
{
	grow((void **)&c->texts, &c->cap_texts, c->ntexts + 1, sizeof(*c->texts));
	tl_chart_text_t *t = &c->texts[c->ntexts++];
	memset(t, 0, sizeof(*t));
	t->text = clean_utf8(s);
	t->x = x;
	t->y = y;
	t->size = size;
	t->anchor = TL_CHART_ANCHOR_LEFT;
	t->bold = bold;
	t->rgb = rgb;
	t->after_path = c->npaths;
}

/* Splits s into lines no wider than maxw (cairo's widths of DejaVu Sans, as the export
 * draws them): breaks at spaces and at '\n'; a word wider than a line is broken between
 * code points. Appends each line NUL-terminated to out; returns the number of lines. */
static size_t wrap(cairo_t *cr, const char *s, double size, int bold, double maxw, tl_buf_t *out)
{
	size_t n = 0;
	tl_buf_t line, word;
	tl_buf_init(&line);
	tl_buf_init(&word);
	for (const char *p = s;;) {
		size_t wl = strcspn(p, " \n");
		/* the line with the next word, or the word alone on a new line */
		tl_buf_clear(&word);
		tl_buf_append(&word, line.data ? line.data : "", line.len);
		if (line.len && wl)
			tl_buf_putc(&word, ' ');
		tl_buf_append(&word, p, wl);
		if (line.len && cairo_measure(cr, word.data, size, bold) > maxw) {
			tl_buf_append(out, line.data, line.len + 1);
			n++;
			tl_buf_clear(&line);
			tl_buf_clear(&word);
			tl_buf_append(&word, p, wl);
		}
		/* a word too wide for any line: cut it between code points */
		while (word.len && cairo_measure(cr, word.data, size, bold) > maxw) {
			size_t cut = word.len;
			do {
				do
					cut--;
				while (cut > 0 && ((unsigned char)word.data[cut] & 0xc0) == 0x80);
				char keep = word.data[cut];
				word.data[cut] = '\0';
				int fits = cairo_measure(cr, word.data, size, bold) <= maxw;
				word.data[cut] = keep;
				if (fits)
					break;
			} while (cut > 1);
			if (cut == 0)
				break;
			tl_buf_append(out, word.data, cut);
			tl_buf_putc(out, '\0');
			n++;
			size_t rest = word.len - cut;
			memmove(word.data, word.data + cut, rest);
			word.len = rest;
			word.data[rest] = '\0';
		}
		tl_buf_clear(&line);
		if (word.len)
			tl_buf_append(&line, word.data, word.len);
		p += wl;
		if (*p == '\n' || !*p) {
			if (line.len || *p == '\n') {
				tl_buf_append(out, line.data ? line.data : "", line.len);
				tl_buf_putc(out, '\0');
				n++;
			}
			tl_buf_clear(&line);
		}
		if (!*p)
			break;
		p++;
	}
	tl_buf_free(&line);
	tl_buf_free(&word);
	return n;
}

/* Sets the lines of text (wrap's output) from the top y, returns the y below them. */
static double put_lines(tl_chart_t *c, const tl_buf_t *lines, size_t n, double x, double y,
			double size, double lead, int bold, uint32_t rgb)
{
	const char *l = lines->data;
	for (size_t i = 0; i < n; i++) {
		push_text(c, l, x, y + size * ASCENT, size, bold, rgb);
		y += size * lead;
		l += strlen(l) + 1;
	}
	return y;
}

int tl_chart_frame(const tl_chart_t *c, const tl_chart_frame_t *fr, tl_chart_t **out)
{
	if (!c || !fr || !out || (fr->font_size != 0 && !(fr->font_size >= 4 && fr->font_size <= 24)))
		return TL_EINVAL;
	double fs = fr->font_size != 0 ? fr->font_size : 8.0, hs = fs * 1.2;
	cairo_rectangle_t r = {0, 0, 1, 1};
	cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &r);
	cairo_t *cr = cairo_create(rec);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		abort(); /* cairo fails here only when out of memory */
	if (!font_is_dejavu(cr)) {
		cairo_destroy(cr);
		cairo_surface_destroy(rec);
		return TL_EUNSUPPORTED;
	}
	extent_t e = chart_extent(c, cr);
	double fw = (e.x1 - e.x0) + 2 * FRAME_PAD, tw = fw - 2 * FRAME_PAD;
	tl_buf_t head, cap, foot;
	tl_buf_init(&head);
	tl_buf_init(&cap);
	tl_buf_init(&foot);
	size_t nh = fr->heading && *fr->heading ? wrap(cr, fr->heading, hs, 1, tw, &head) : 0;
	size_t nc = fr->caption && *fr->caption ? wrap(cr, fr->caption, fs, 0, tw, &cap) : 0;
	size_t nf = fr->footer && *fr->footer ? wrap(cr, fr->footer, fs, 0, tw, &foot) : 0;
	cairo_destroy(cr);
	cairo_surface_destroy(rec);

	tl_chart_t *o = tl_xcalloc(1, sizeof(*o));
	o->width = ceil(fw);
	o->elided = c->elided;
	double y = FRAME_PAD;
	y = put_lines(o, &head, nh, FRAME_PAD, y, hs, 1.3, 1, C_TEXT);
	if (nh)
		y += 6;
	double ox = FRAME_PAD - e.x0, oy = y - e.y0;
	/* the chart itself, moved to its place: paths first, as replay draws them */
	o->segs = tl_xcalloc(c->nsegs ? c->nsegs : 1, sizeof(*o->segs));
	o->cap_segs = c->nsegs ? c->nsegs : 1;
	o->nsegs = c->nsegs;
	for (size_t i = 0; i < c->nsegs; i++) {
		o->segs[i] = c->segs[i];
		for (int q = 0; q < 3; q++) {
			o->segs[i].x[q] += ox;
			o->segs[i].y[q] += oy;
		}
	}
	o->paths = tl_xcalloc(c->npaths ? c->npaths : 1, sizeof(*o->paths));
	o->cap_paths = c->npaths ? c->npaths : 1;
	o->npaths = c->npaths;
	for (size_t i = 0; i < c->npaths; i++) {
		o->paths[i] = c->paths[i];
		o->paths[i].clip_x += ox;
		o->paths[i].clip_y += oy;
	}
	/* the heading lines were pushed before any path: they stay before the chart's */
	for (size_t i = 0; i < c->ntexts; i++) {
		const tl_chart_text_t *t = &c->texts[i];
		grow((void **)&o->texts, &o->cap_texts, o->ntexts + 1, sizeof(*o->texts));
		tl_chart_text_t *d = &o->texts[o->ntexts++];
		*d = *t;
		d->text = tl_xstrdup(t->text);
		d->x += ox;
		d->y += oy;
	}
	y += e.y1 - e.y0;
	if (nc || nf)
		y += 8;
	y = put_lines(o, &cap, nc, FRAME_PAD, y, fs, 1.35, 0, C_MUTED);
	if (nc && nf)
		y += 4;
	y = put_lines(o, &foot, nf, FRAME_PAD, y, fs, 1.35, 0, C_MUTED);
	o->height = ceil(y + FRAME_PAD);
	tl_buf_free(&head);
	tl_buf_free(&cap);
	tl_buf_free(&foot);
	*out = o;
	return TL_OK;
}

/* Appends s with XML's special characters as references (s is clean UTF-8). */
static void xml_text(tl_buf_t *b, const char *s)
{
	char *t = clean_utf8(s);
	for (const char *p = t; *p; p++) {
		switch (*p) {
		case '&': tl_buf_puts(b, "&amp;"); break;
		case '<': tl_buf_puts(b, "&lt;"); break;
		case '>': tl_buf_puts(b, "&gt;"); break;
		case '"': tl_buf_puts(b, "&quot;"); break;
		default: tl_buf_putc(b, *p); break;
		}
	}
	free(t);
}

int tl_chart_svg_meta(const tl_chart_t *c, const tl_chart_meta_t *m, tl_buf_t *out)
{
	if (!out)
		return TL_EINVAL;
	tl_buf_t tmp;
	tl_buf_init(&tmp);
	int rc = tl_chart_svg(c, &tmp);
	/* SVG 1.1 section 5.4: <title> and <desc> as the first children of the root <svg> */
	const char *root = rc == TL_OK && tmp.data ? strstr(tmp.data, "<svg") : NULL;
	const char *gt = root ? strchr(root, '>') : NULL;
	if (rc == TL_OK && !gt)
		rc = TL_EIO;
	if (rc == TL_OK) {
		size_t at = (size_t)(gt - tmp.data) + 1;
		tl_buf_append(out, tmp.data, at);
		if (m && m->title && *m->title) {
			tl_buf_puts(out, "\n<title>");
			xml_text(out, m->title);
			tl_buf_puts(out, "</title>");
		}
		if (m && m->desc && *m->desc) {
			tl_buf_puts(out, "\n<desc>");
			xml_text(out, m->desc);
			tl_buf_puts(out, "</desc>");
		}
		tl_buf_append(out, tmp.data + at, tmp.len - at);
	}
	tl_buf_free(&tmp);
	return rc;
}

/* CRC-32 of PNG chunks (ISO 3309, as PNG section 5.5 uses it), continued from crc. */
static uint32_t png_crc(const void *data, size_t n, uint32_t crc)
{
	const unsigned char *p = data;
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put_be32(tl_buf_t *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	tl_buf_append(b, x, 4);
}

/* One iTXt chunk (PNG section 11.3.4.5): keyword, uncompressed UTF-8 text, no language. */
static void png_itxt(tl_buf_t *b, const char *keyword, const char *text)
{
	tl_buf_t d;
	tl_buf_init(&d);
	tl_buf_puts(&d, "iTXt");
	tl_buf_append(&d, keyword, strlen(keyword) + 1);
	tl_buf_append(&d, "\0\0\0\0", 4); /* not compressed, method 0, no language, no
					   * translated keyword */
	char *t = clean_utf8(text);
	tl_buf_puts(&d, t);
	free(t);
	put_be32(b, (uint32_t)(d.len - 4));
	tl_buf_append(b, d.data, d.len);
	put_be32(b, png_crc(d.data, d.len, 0));
	tl_buf_free(&d);
}

int tl_chart_png_meta(const tl_chart_t *c, double scale, const tl_chart_meta_t *m,
		      tl_buf_t *out)
{
	if (!out)
		return TL_EINVAL;
	tl_buf_t tmp;
	tl_buf_init(&tmp);
	int rc = tl_chart_png(c, scale, &tmp);
	/* the text goes before the closing IEND chunk (12 bytes: length 0, type, CRC) */
	if (rc == TL_OK && (tmp.len < 12 || memcmp(tmp.data + tmp.len - 8, "IEND", 4) != 0))
		rc = TL_EIO;
	if (rc == TL_OK) {
		tl_buf_append(out, tmp.data, tmp.len - 12);
		if (m && m->title && *m->title)
			png_itxt(out, "Title", m->title);
		if (m && m->desc && *m->desc)
			png_itxt(out, "Description", m->desc);
		tl_buf_append(out, tmp.data + tmp.len - 12, 12);
	}
	tl_buf_free(&tmp);
	return rc;
}

void tl_chart_release(void)
{
	cairo_debug_reset_static_data();
	/* cairo's toy font API goes through fontconfig, whose caches live until FcFini */
	FcFini();
}

/* ---- Row charts: a label column at the left, one row per item ------------------------ */

/* Width of the label column: the widest label, at most 30% of the chart. */
static double label_col(pen_t *p, const char *const *labels, size_t n, double W)
{
	double w = 0;
	for (size_t i = 0; i < n; i++) {
		double m = labels[i] ? measure(p, labels[i], p->fs, 0) : 0;
		if (m > w)
			w = m;
	}
	return w < W * 0.3 ? w : W * 0.3;
}

/* ---- (2) Shares with confidence intervals -------------------------------------------- */

static void share_text(char *out, size_t cap, const tl_chart_share_row_t *r)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_chart_share(&b, r->value, r->lo, r->hi, NULL);
	take(out, cap, &b);
}

int tl_chart_shares(const tl_chart_opts_t *o, const tl_chart_shares_t *d, tl_chart_t **out)
{
	if (!d || !out || d->n > TL_CHART_MAX_ROWS || (d->n && !d->rows) || !check_str(d->x_title))
		return TL_EINVAL;
	double xmax = 0;
	const char *labels[TL_CHART_MAX_ROWS];
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_share_row_t *r = &d->rows[i];
		int ci = isfinite(r->lo) || isfinite(r->hi);
		if (!(r->value >= 0 && r->value <= 1) || !check_str(r->label) ||
		    r->colour >= TL_CHART_MAX_SERIES || r->colour < -1 ||
		    (ci && !(r->lo >= 0 && r->lo <= r->hi && r->hi <= 1)))
			return TL_EINVAL;
		labels[i] = r->label;
		xmax = fmax(xmax, ci ? fmax(r->value, r->hi) : r->value);
	}
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y0 = draw_title(p, o) + 2;
	double lw = label_col(p, labels, d->n, W);
	double vw = 0;
	for (size_t i = 0; i < d->n; i++) {
		char s[96];
		share_text(s, sizeof(s), &d->rows[i]);
		vw = fmax(vw, measure(p, s, p->fs, 0));
	}
	double left = PAD + lw + 8, right = W - PAD - vw - 8;
	double y1 = H - bottom_space(p, o, 1, d->x_title);
	if (y1 - y0 < 20 || right - left < 40) {
		pen_abort(p);
		return TL_EINVAL;
	}
	if (d->n == 0) {
		no_data(p, left, y0, W - PAD, y1);
		draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
		*out = pen_close(p);
		return TL_OK;
	}
	axis_t xa = {0, 0, 1, left, right};
	tl_chart_ticks_t xt;
	x_ticks(p, TK_PERCENT, &xa, 0, xmax > 0 ? xmax : 0.01, &xt);
	double rowh = fmin((y1 - y0) / d->n, p->fs * 3.2);
	double bh = rowh * 0.55;
	for (size_t i = 0; i < xt.n; i++)
		line(p, amap(&xa, xt.v[i]), y0, amap(&xa, xt.v[i]), y0 + rowh * d->n, C_GRID, 0.5);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_share_row_t *r = &d->rows[i];
		double yc = y0 + rowh * (i + 0.5);
		uint32_t col = tl_chart_palette[r->colour < 0 ? 0 : r->colour];
		fill_rect(p, left, yc - bh / 2, amap(&xa, r->value) - left, bh, col);
		if (isfinite(r->lo) && isfinite(r->hi)) {
			double a = amap(&xa, r->lo), b = amap(&xa, r->hi);
			cairo_move_to(p->cr, a, yc);
			cairo_line_to(p->cr, b, yc);
			cairo_move_to(p->cr, a, yc - bh * 0.3);
			cairo_line_to(p->cr, a, yc + bh * 0.3);
			cairo_move_to(p->cr, b, yc - bh * 0.3);
			cairo_line_to(p->cr, b, yc + bh * 0.3);
			stroke(p, C_TEXT, 0.9);
		}
	}
	double ybase = y0 + rowh * d->n;
	line(p, left, y0, left, ybase, C_AXIS, 0.7);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_share_row_t *r = &d->rows[i];
		double yb = y0 + rowh * (i + 0.5) + p->fs * CAP_H / 2;
		text_elided(p, r->label, left - 6, yb, p->fs, TL_CHART_ANCHOR_RIGHT, 0, C_TEXT, lw);
		char s[96];
		share_text(s, sizeof(s), r);
		double xe = amap(&xa, isfinite(r->hi) ? fmax(r->hi, r->value) : r->value);
		text(p, s, xe + 5, yb, p->fs, TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
	}
	draw_x_axis(p, &xa, &xt, ybase, ybase);
	draw_bottom(p, o, ybase, 1, d->x_title, (left + right) / 2);
	*out = pen_close(p);
	return TL_OK;
}

/* ---- (3) Hour-of-day x weekday heatmap ---------------------------------------------- */

/* ColorBrewer YlGnBu, 7 classes, interpolated: t = 0 lightest, 1 darkest. */
static uint32_t ramp(double t)
{
	static const uint32_t stops[] = {0xFFFFCCu, 0xC7E9B4u, 0x7FCDBBu, 0x41B6C4u,
					 0x1D91C0u, 0x225EA8u, 0x0C2C84u};
	t = clampd(t, 0, 1) * 6;
	int i = (int)floor(t);
	if (i >= 6)
		return stops[6];
	double f = t - i;
	uint32_t out = 0;
	for (int sh = 16; sh >= 0; sh -= 8) {
		double a = (stops[i] >> sh) & 255, b = (stops[i + 1] >> sh) & 255;
		out |= (uint32_t)lround(a + (b - a) * f) << sh;
	}
	return out;
}

int tl_chart_heatmap(const tl_chart_opts_t *o, const tl_chart_heatmap_t *d, tl_chart_t **out)
{
	static const char *const days[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	if (!d || !out || !check_str(d->x_title) || !check_str(d->scale_title))
		return TL_EINVAL;
	double vmax = 0;
	int any = 0, nan = 0;
	for (int r = 0; r < 7; r++) {
		if (!check_str(d->row_labels[r]))
			return TL_EINVAL;
		for (int h = 0; h < 24; h++) {
			double v = d->cells[r][h];
			if (isnan(v)) {
				nan = 1;
				continue;
			}
			if (!isfinite(v) || v < 0)
				return TL_EINVAL;
			any = 1;
			vmax = fmax(vmax, v);
		}
	}
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y0 = draw_title(p, o) + 2;
	const char *labels[7];
	for (int r = 0; r < 7; r++)
		labels[r] = d->row_labels[r] ? d->row_labels[r] : days[r];
	double lw = label_col(p, labels, 7, W);
	tl_chart_ticks_t st;
	tl_chart_ticks_linear(0, vmax, 5, 0, &st);
	double sw = ticks_width(p, &st, p->fs), tick_w = sw;
	if (nan)
		sw = fmax(sw, measure(p, "No data", p->fs, 0));
	double scale_w = 16 + 10 + 4 + sw + (d->scale_title && *d->scale_title ? p->fs * 1.4 : 0);
	double left = PAD + lw + 6, right = W - PAD - scale_w;
	double y1 = H - bottom_space(p, o, 1, d->x_title);
	if (y1 - y0 < 30 || right - left < 48) {
		pen_abort(p);
		return TL_EINVAL;
	}
	double cw = (right - left) / 24, ch = (y1 - y0) / 7;
	if (!any) {
		no_data(p, left, y0, right, y1);
	} else {
		for (int r = 0; r < 7; r++)
			for (int h = 0; h < 24; h++) {
				double v = d->cells[r][h], x = left + h * cw, y = y0 + r * ch;
				if (isnan(v))
					hatch_rect(p, x + 0.5, y + 0.5, cw - 1, ch - 1);
				else
					fill_rect(p, x + 0.5, y + 0.5, cw - 1, ch - 1, ramp(v / st.hi));
			}
		/* colour scale: 48 slices, 0 at the bottom */
		double bx = right + 16, bh = (y1 - y0) * (nan ? 0.75 : 1.0);
		axis_t sa = {0, st.lo, st.hi, y0 + bh, y0};
		for (int i = 0; i < 48; i++) {
			double a = y0 + bh - bh * (i + 1) / 48.0;
			fill_rect(p, bx, a, 10, bh / 48.0 + (i < 47 ? 0.3 : 0), ramp((i + 0.5) / 48.0));
		}
		cairo_rectangle(p->cr, bx, y0, 10, bh);
		stroke(p, C_AXIS, 0.5);
		for (size_t i = 0; i < st.n; i++) {
			double yy = amap(&sa, st.v[i]);
			line(p, bx + 10, yy, bx + 10 + TICK_LEN, yy, C_AXIS, 0.5);
			text(p, st.label[i], bx + 10 + TICK_LEN + 2, yy + p->fs * CAP_H / 2, p->fs,
			     TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		}
		if (d->scale_title && *d->scale_title)
			text(p, d->scale_title, bx + 10 + TICK_LEN + 2 + tick_w + 4 + p->fs * CAP_H,
			     y0 + bh / 2, p->fs,
			     TL_CHART_ANCHOR_CENTRE, 90, 0, C_TEXT);
		if (nan) {
			double hy = y0 + bh + p->fs * 1.2;
			hatch_rect(p, bx, hy, 10, p->fs);
			cairo_rectangle(p->cr, bx, hy, 10, p->fs);
			stroke(p, C_HATCH, 0.5);
			text(p, "No data", bx + 10 + TICK_LEN + 2, hy + p->fs * CAP_H, p->fs,
			     TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		}
	}
	for (int r = 0; r < 7; r++)
		text_elided(p, labels[r], left - 6, y0 + (r + 0.5) * ch + p->fs * CAP_H / 2, p->fs,
			    TL_CHART_ANCHOR_RIGHT, 0, C_TEXT, lw);
	/* hour labels every k hours so that "23" keeps 4 pt from its neighbours */
	static const int ks[] = {1, 2, 3, 4, 6, 12};
	int k = 12;
	double hw = measure(p, "00", p->fs, 0);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		if (ks[i] * cw >= hw + 4) {
			k = ks[i];
			break;
		}
	for (int h = 0; h < 24; h += k) {
		char s[8];
		fmt_into(s, sizeof(s), "%02d", h);
		double x = left + (h + 0.5) * cw;
		line(p, x, y1, x, y1 + TICK_LEN, C_AXIS, 0.5);
		text(p, s, x, y1 + TICK_LEN + 2 + p->fs * CAP_H, p->fs, TL_CHART_ANCHOR_CENTRE, 0, 0,
		     C_TEXT);
	}
	draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
	*out = pen_close(p);
	return TL_OK;
}

/* ---- (3b) Small multiples of hour x weekday grids ------------------------------------- */

#define HM_GAP_X 14.0      /* between grids side by side */
#define HM_BAR_W 180.0     /* the colour bar of the legend, at most */
#define HM_BAR_H 8.0
#define HM_HEAD_GAP 4.0    /* between the headings and the grid */

/* Where everything of a small-multiples chart goes. Rows are all the same height. */
typedef struct hm_geom {
	size_t per_row, nrows;
	double lw;              /* weekday label column of each grid */
	double slot_w;          /* label column, 4 pt and 24 cells */
	double cw, ch;          /* cell width and height */
	double top;             /* below the chart title: the legend starts here */
	double legend_h;        /* legend and the space after it */
	double title_h, sub_h;  /* heading lines above the grids (0 when none has one) */
	double ticks_h;         /* hour ticks and their labels below a grid */
	double row_gap;
	double bottom;          /* below the last row: x title, caption, margin */
	double fixed;           /* total height of everything but the cells */
} hm_geom_t;

static const char *const hm_days[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/* Checks d; sets the largest value and whether a drawn grid has a NaN or only whole
 * numbers. */
static int hm_check(const tl_chart_heatmaps_t *d, double *vmax, int *nan, int *whole)
{
	if (!d || d->n > TL_CHART_MAX_GRIDS || (d->n && !d->grids) || !check_str(d->x_title) ||
	    !check_str(d->scale_title) || d->per_row > TL_CHART_MAX_GRIDS)
		return 0;
	for (int r = 0; r < 7; r++)
		if (!check_str(d->row_labels[r]))
			return 0;
	*vmax = 0;
	*nan = 0;
	*whole = 1;
	for (size_t g = 0; g < d->n; g++) {
		const tl_chart_heatmap_grid_t *gr = &d->grids[g];
		if (!check_str(gr->title) || !check_str(gr->subtitle) || !check_str(gr->note))
			return 0;
		if (gr->note)
			continue;
		for (int r = 0; r < 7; r++)
			for (int h = 0; h < 24; h++) {
				double v = gr->cells[r][h];
				if (isnan(v)) {
					*nan = 1;
					continue;
				}
				if (!isfinite(v) || v < 0)
					return 0;
				*vmax = fmax(*vmax, v);
				if (v != floor(v))
					*whole = 0;
			}
	}
	return 1;
}

/* Scale ticks from 0 to vmax, at most 5, whole steps when every value is whole. */
static void hm_scale_ticks(double vmax, int whole, tl_chart_ticks_t *t)
{
	for (unsigned m = 5; m >= 2; m--) {
		tl_chart_ticks_linear(0, vmax, m, 0, t);
		if (!whole || t->n < 2 || t->v[1] - t->v[0] >= 1)
			return;
	}
}

/* Lays out the rows at the chart's width; the cell height is left to the caller. */
static int hm_layout(pen_t *p, const tl_chart_opts_t *o, const tl_chart_heatmaps_t *d,
		     hm_geom_t *g)
{
	memset(g, 0, sizeof(*g));
	const char *labels[7];
	for (int r = 0; r < 7; r++)
		labels[r] = d->row_labels[r] ? d->row_labels[r] : hm_days[r];
	double W = o->width, avail = W - 2 * PAD;
	g->lw = label_col(p, labels, 7, W);
	g->per_row = d->per_row ? d->per_row : 2;
	if (g->per_row > d->n && d->n > 0)
		g->per_row = d->n;
	for (;;) {
		g->slot_w = (avail - HM_GAP_X * (double)(g->per_row - 1)) / (double)g->per_row;
		g->cw = (g->slot_w - g->lw - 4) / 24;
		if (g->cw >= TL_CHART_HM_MIN_CELL || g->per_row == 1)
			break;
		g->per_row--;
	}
	if (g->cw < 2)
		return TL_EINVAL;
	g->nrows = d->n ? (d->n + g->per_row - 1) / g->per_row : 0;
	g->top = PAD;
	if (o->title && *o->title)
		g->top += p->fs * 1.25 * (CAP_H + DESC) + p->fs * 0.8;
	g->legend_h = HM_BAR_H + TICK_LEN + 2 + p->fs * (CAP_H + DESC) + p->fs * 1.2;
	for (size_t i = 0; i < d->n; i++) {
		if (d->grids[i].title && *d->grids[i].title)
			g->title_h = p->fs * 1.4;
		if (d->grids[i].subtitle && *d->grids[i].subtitle)
			g->sub_h = p->fs * 1.4;
	}
	g->ticks_h = TICK_LEN + 2 + p->fs * (CAP_H + DESC);
	g->row_gap = p->fs * 1.3;
	g->bottom = PAD + (d->x_title && *d->x_title ? p->fs * 1.45 : 0) +
		    (o->caption && *o->caption ? p->fs * 0.875 * 1.6 : 0);
	g->fixed = g->top + g->legend_h + g->bottom +
		   (double)g->nrows * (g->title_h + g->sub_h + HM_HEAD_GAP + g->ticks_h) +
		   (g->nrows ? (double)(g->nrows - 1) * g->row_gap : 0);
	return TL_OK;
}

/* Cell height for the natural height: about square, readable labels, not too tall. */
static double hm_natural_ch(const pen_t *p, const hm_geom_t *g)
{
	return clampd(g->cw, p->fs * 1.3, p->fs * 1.6);
}

int tl_chart_heatmaps_height(const tl_chart_opts_t *o, const tl_chart_heatmaps_t *d,
			     double *height)
{
	double vmax;
	int nan, whole;
	if (!height || !hm_check(d, &vmax, &nan, &whole))
		return TL_EINVAL;
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	hm_geom_t g;
	rc = hm_layout(p, o, d, &g);
	if (rc == TL_OK)
		*height = d->n ? g.fixed + 7 * (double)g.nrows * hm_natural_ch(p, &g)
			       : fmax(g.top + 60 + g.bottom, TL_CHART_MIN_SIZE);
	pen_abort(p);
	return rc;
}

/* The legend: scale title, colour bar with ticks below, and "No data" when needed. */
static int hm_legend(pen_t *p, const tl_chart_heatmaps_t *d, const tl_chart_ticks_t *st,
		     int nan, double y, double W, int draw)
{
	double x = PAD;
	if (d->scale_title && *d->scale_title) {
		double tw = measure(p, d->scale_title, p->fs, 0);
		if (draw)
			text(p, d->scale_title, x, y + HM_BAR_H / 2 + p->fs * CAP_H / 2, p->fs,
			     TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		x += tw + 8;
	}
	double last_half = st->n ? measure(p, st->label[st->n - 1], p->fs, 0) / 2 : 0;
	double first_half = st->n ? measure(p, st->label[0], p->fs, 0) / 2 : 0;
	x += first_half;
	double nd_w = nan ? 16 + 10 + 4 + measure(p, "No data", p->fs, 0) : 0;
	double bw = fmin(HM_BAR_W, W - PAD - x - last_half - nd_w);
	if (bw < 48)
		return TL_EINVAL;
	if (!draw)
		return TL_OK;
	for (int i = 0; i < 48; i++)
		fill_rect(p, x + bw * i / 48.0, y, bw / 48.0 + (i < 47 ? 0.3 : 0), HM_BAR_H,
			  ramp((i + 0.5) / 48.0));
	cairo_rectangle(p->cr, x, y, bw, HM_BAR_H);
	stroke(p, C_AXIS, 0.5);
	axis_t sa = {0, st->lo, st->hi, x, x + bw};
	for (size_t i = 0; i < st->n; i++) {
		double xx = amap(&sa, st->v[i]);
		cairo_move_to(p->cr, xx, y + HM_BAR_H);
		cairo_line_to(p->cr, xx, y + HM_BAR_H + TICK_LEN);
	}
	if (st->n)
		stroke(p, C_AXIS, 0.5);
	for (size_t i = 0; i < st->n; i++)
		text(p, st->label[i], amap(&sa, st->v[i]), y + HM_BAR_H + TICK_LEN + 2 + p->fs * CAP_H,
		     p->fs, TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	if (nan) {
		double hx = x + bw + last_half + 16;
		hatch_rect(p, hx, y, 10, HM_BAR_H);
		cairo_rectangle(p->cr, hx, y, 10, HM_BAR_H);
		stroke(p, C_HATCH, 0.5);
		text(p, "No data", hx + 14, y + HM_BAR_H / 2 + p->fs * CAP_H / 2, p->fs,
		     TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
	}
	return TL_OK;
}

/* Hours labelled every k hours so that "23" keeps 4 pt from its neighbours. */
static int hm_hour_step(pen_t *p, double cw)
{
	static const int ks[] = {1, 2, 3, 4, 6, 12};
	double hw = measure(p, "00", p->fs, 0);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		if (ks[i] * cw >= hw + 4)
			return ks[i];
	return 12;
}

/* One grid with its weekday labels and hour ticks, cells from (gx, gy). */
static void hm_grid(pen_t *p, const tl_chart_heatmaps_t *d, const tl_chart_heatmap_grid_t *gr,
		    const hm_geom_t *g, double gx, double gy, double top_value)
{
	double gw = 24 * g->cw, gh = 7 * g->ch;
	if (gr->note) {
		cairo_rectangle(p->cr, gx + 0.5, gy + 0.5, gw - 1, gh - 1);
		stroke(p, C_GRID, 0.7);
		text_elided(p, gr->note, gx + gw / 2, gy + gh / 2 + p->fs * CAP_H / 2, p->fs,
			    TL_CHART_ANCHOR_CENTRE, 0, C_MUTED, gw - 8);
		return;
	}
	for (int r = 0; r < 7; r++)
		for (int h = 0; h < 24; h++) {
			double v = gr->cells[r][h], x = gx + h * g->cw, y = gy + r * g->ch;
			if (isnan(v))
				hatch_rect(p, x + 0.5, y + 0.5, g->cw - 1, g->ch - 1);
			else
				fill_rect(p, x + 0.5, y + 0.5, g->cw - 1, g->ch - 1,
					  ramp(top_value > 0 ? v / top_value : 0));
		}
	int k = hm_hour_step(p, g->cw);
	for (int h = 0; h < 24; h += k) {
		double x = gx + (h + 0.5) * g->cw;
		cairo_move_to(p->cr, x, gy + gh);
		cairo_line_to(p->cr, x, gy + gh + TICK_LEN);
	}
	stroke(p, C_AXIS, 0.5);
	for (int h = 0; h < 24; h += k) {
		char s[8];
		fmt_into(s, sizeof(s), "%02d", h);
		text(p, s, gx + (h + 0.5) * g->cw, gy + gh + TICK_LEN + 2 + p->fs * CAP_H, p->fs,
		     TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	}
	for (int r = 0; r < 7; r++)
		text_elided(p, d->row_labels[r] ? d->row_labels[r] : hm_days[r], gx - 4,
			    gy + (r + 0.5) * g->ch + p->fs * CAP_H / 2, p->fs, TL_CHART_ANCHOR_RIGHT,
			    0, C_TEXT, g->lw);
}

static int same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int tl_chart_heatmaps(const tl_chart_opts_t *o, const tl_chart_heatmaps_t *d,
		      tl_chart_t **out)
{
	double vmax;
	int nan, whole;
	if (!out || !hm_check(d, &vmax, &nan, &whole))
		return TL_EINVAL;
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	hm_geom_t g;
	tl_chart_ticks_t st;
	hm_scale_ticks(vmax, whole, &st);
	rc = hm_layout(p, o, d, &g);
	if (rc == TL_OK)
		rc = hm_legend(p, d, &st, nan, g.top, W, 0);
	if (rc == TL_OK && d->n) {
		g.ch = fmin((H - g.fixed) / (7 * (double)g.nrows), p->fs * 1.6);
		if (!(g.ch >= p->fs))
			rc = TL_EINVAL;
	} else if (rc == TL_OK && H - g.top - g.bottom < 40) {
		rc = TL_EINVAL;
	}
	if (rc != TL_OK) {
		pen_abort(p);
		return rc;
	}
	draw_title(p, o);
	double y = g.top;
	if (d->n == 0) {
		y = H - g.bottom;
		no_data(p, PAD, g.top, W - PAD, y);
	} else {
		hm_legend(p, d, &st, nan, y, W, 1);
		y += g.legend_h;
	}
	for (size_t row = 0; row < g.nrows; row++) {
		size_t first = row * g.per_row, last = first + g.per_row;
		if (last > d->n)
			last = d->n;
		/* one heading over the row when its grids share it (an organisation) */
		int shared = last - first > 1;
		for (size_t i = first + 1; i < last; i++)
			shared = shared && same_str(d->grids[i].title, d->grids[first].title);
		double ty = y + p->fs * CAP_H, sy = y + g.title_h + p->fs * CAP_H;
		for (size_t i = first; i < last; i++) {
			const tl_chart_heatmap_grid_t *gr = &d->grids[i];
			double sx = PAD + (double)(i - first) * (g.slot_w + HM_GAP_X);
			double gx = sx + g.lw + 4;
			if (shared && i == first)
				text_elided(p, gr->title, sx, ty, p->fs, TL_CHART_ANCHOR_LEFT, 1, C_TEXT,
					    W - PAD - sx);
			else if (!shared)
				text_elided(p, gr->title, sx, ty, p->fs, TL_CHART_ANCHOR_LEFT, 1, C_TEXT,
					    g.slot_w);
			text_elided(p, gr->subtitle, gx, sy, p->fs, TL_CHART_ANCHOR_LEFT, 0, C_TEXT,
				    24 * g.cw);
			hm_grid(p, d, gr, &g, gx, y + g.title_h + g.sub_h + HM_HEAD_GAP, st.hi);
		}
		y += g.title_h + g.sub_h + HM_HEAD_GAP + 7 * g.ch + g.ticks_h + g.row_gap;
	}
	if (g.nrows)
		y -= g.row_gap;
	if (d->x_title && *d->x_title)
		text(p, d->x_title, W / 2, y + p->fs * 1.45 - p->fs * DESC, p->fs,
		     TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	draw_bottom(p, o, y, 0, NULL, W / 2);
	*out = pen_close(p);
	return TL_OK;
}

/* ---- (4) Name lifecycle timeline ---------------------------------------------------- */

#define C_NX_FILL 0xF6D5BCu /* vermillion mixed with white */

static void widen(int64_t v, int64_t *lo, int64_t *hi, int *any)
{
	if (!*any || v < *lo)
		*lo = v;
	if (!*any || v > *hi)
		*hi = v;
	*any = 1;
}

int tl_chart_timeline(const tl_chart_opts_t *o, const tl_chart_timeline_t *d, tl_chart_t **out)
{
	if (!d || !out || d->n > TL_CHART_MAX_ROWS || (d->n && !d->rows))
		return TL_EINVAL;
	int64_t lo = 0, hi = 0;
	int any = 0, has_res = 0, has_nx = 0, has_first = 0, has_succ = 0;
	const char *labels[TL_CHART_MAX_ROWS];
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		if (!check_str(r->name) || !spans_ok(r->resolving, r->nresolving) ||
		    !spans_ok(r->nxdomain, r->nnxdomain) || r->nfirst > TL_CHART_MAX_BINS ||
		    (r->nfirst && !r->first_query_us) || r->successor < -1 ||
		    r->successor >= (int)d->n || r->successor == (int)i)
			return TL_EINVAL;
		labels[i] = r->name;
		for (size_t k = 0; k < r->nresolving; k++) {
			widen(r->resolving[k].start_us, &lo, &hi, &any);
			widen(r->resolving[k].end_us, &lo, &hi, &any);
			has_res = 1;
		}
		for (size_t k = 0; k < r->nnxdomain; k++) {
			widen(r->nxdomain[k].start_us, &lo, &hi, &any);
			widen(r->nxdomain[k].end_us, &lo, &hi, &any);
			has_nx = 1;
		}
		for (size_t k = 0; k < r->nfirst; k++) {
			widen(r->first_query_us[k], &lo, &hi, &any);
			has_first = 1;
		}
		if (r->successor >= 0) {
			widen(r->successor_us, &lo, &hi, &any);
			has_succ = 1;
		}
	}
	if (d->t1_us > d->t0_us) {
		lo = d->t0_us;
		hi = d->t1_us;
	}
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y = draw_title(p, o);
	legend_item_t li[4];
	size_t nl = 0;
	if (has_res)
		li[nl++] = (legend_item_t){LG_FILL, C_BLUE, 0, "Resolving"};
	if (has_nx)
		li[nl++] = (legend_item_t){LG_OPEN, C_VERMILLION, C_NX_FILL, "NXDOMAIN"};
	if (has_first)
		li[nl++] = (legend_item_t){LG_DIAMOND, C_TEXT, 0, "First query by a querier"};
	if (has_succ)
		li[nl++] = (legend_item_t){LG_ARROW, C_MUTED, 0, "Successor name"};
	double lg_y = y;
	y += legend(p, li, nl, PAD, y, W - 2 * PAD, 0) + (nl ? p->fs * 0.5 : 0);
	double lw = label_col(p, labels, d->n, W);
	double left = PAD + lw + 8, right = W - PAD - 12;
	double y0 = y + 2, y1 = H - bottom_space(p, o, 1, "Date (UTC)");
	if (y1 - y0 < 20 || right - left < 40) {
		pen_abort(p);
		return TL_EINVAL;
	}
	legend(p, li, nl, PAD, lg_y, W - 2 * PAD, 1);
	if (d->n == 0 || !any) {
		no_data(p, left, y0, right, y1);
		draw_bottom(p, o, y1, 1, "Date (UTC)", (left + right) / 2);
		*out = pen_close(p);
		return TL_OK;
	}
	double dlo = lo / US_PER_DAY, dhi = hi / US_PER_DAY;
	if (dhi - dlo < 1) { /* at least a day wide */
		double m = (dlo + dhi) / 2;
		dlo = m - 0.5;
		dhi = m + 0.5;
	}
	if (d->t1_us <= d->t0_us) { /* from the data: 2% air at each end */
		double air = (dhi - dlo) * 0.02;
		dlo -= air;
		dhi += air;
	}
	axis_t xa = {0, dlo, dhi, left, right};
	tl_chart_ticks_t xt;
	x_ticks(p, TK_DATE, &xa, dlo, dhi, &xt);
	double rowh = fmin((y1 - y0) / d->n, p->fs * 4), bh = fmin(rowh * 0.5, p->fs * 1.4);
	double ybase = y0 + rowh * d->n;
	for (size_t i = 0; i < xt.n; i++)
		line(p, amap(&xa, xt.v[i]), y0, amap(&xa, xt.v[i]), ybase, C_GRID, 0.5);
	clip_rect(p, left, y0, right - left, ybase - y0);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		double yc = y0 + rowh * (i + 0.5);
		for (size_t k = 0; k < r->nresolving; k++) {
			double a = amap(&xa, r->resolving[k].start_us / US_PER_DAY);
			double b = amap(&xa, r->resolving[k].end_us / US_PER_DAY);
			fill_rect(p, a, yc - bh / 2, fmax(b - a, 1.0), bh, C_BLUE);
		}
		for (size_t k = 0; k < r->nnxdomain; k++) {
			double a = amap(&xa, r->nxdomain[k].start_us / US_PER_DAY);
			double b = amap(&xa, r->nxdomain[k].end_us / US_PER_DAY);
			double w = fmax(b - a, 1.0);
			fill_rect(p, a, yc - bh / 2, w, bh, C_NX_FILL);
			cairo_rectangle(p->cr, a + 0.5, yc - bh / 2 + 0.5, fmax(w - 1, 0.1), bh - 1);
			stroke(p, C_VERMILLION, 1.0);
		}
	}
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		if (r->successor < 0)
			continue;
		double x = amap(&xa, r->successor_us / US_PER_DAY);
		int down = r->successor > (int)i;
		double ya = y0 + rowh * (i + 0.5) + (down ? bh / 2 + 1 : -bh / 2 - 1);
		double yb = y0 + rowh * (r->successor + 0.5) + (down ? -bh / 2 - 1 : bh / 2 + 1);
		line(p, x, ya, x, yb - (down ? 4 : -4), C_MUTED, 0.9);
		arrowhead(p, x, yb, down ? 1 : -1, C_MUTED);
	}
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		double yc = y0 + rowh * (i + 0.5);
		if (r->nfirst == 0)
			continue;
		for (size_t k = 0; k < r->nfirst; k++)
			diamond(p, amap(&xa, r->first_query_us[k] / US_PER_DAY), yc, 3.4);
		stroke(p, C_WHITE, 0.8); /* a white rim keeps a mark visible on a bar */
		for (size_t k = 0; k < r->nfirst; k++)
			diamond(p, amap(&xa, r->first_query_us[k] / US_PER_DAY), yc, 3.2);
		fill(p, C_TEXT);
	}
	no_clip(p);
	for (size_t i = 0; i < d->n; i++)
		text_elided(p, d->rows[i].name, left - 6,
			    y0 + rowh * (i + 0.5) + p->fs * CAP_H / 2, p->fs, TL_CHART_ANCHOR_RIGHT,
			    0, C_TEXT, lw);
	draw_x_axis(p, &xa, &xt, ybase, ybase);
	draw_bottom(p, o, ybase, 1, "Date (UTC)", (left + right) / 2);
	*out = pen_close(p);
	return TL_OK;
}

/* ---- (5) Histogram with a reference line; (7) permutation null ---------------------- */

static int histogram(const tl_chart_opts_t *o, const tl_chart_histogram_t *d, uint32_t bar,
		     int solid_ref, const char *def_label, tl_chart_t **out)
{
	if (!d || !out || d->nbins > TL_CHART_MAX_BINS || (d->nbins && (!d->edges || !d->counts)) ||
	    !check_str(d->ref_label) || !check_str(d->x_title) || !check_str(d->y_title) ||
	    (!isnan(d->ref) && !isfinite(d->ref)) || (d->log_x && !isnan(d->ref) && !(d->ref > 0)))
		return TL_EINVAL;
	double ymax = 0;
	for (size_t i = 0; i < d->nbins; i++) {
		if (!isfinite(d->counts[i]) || d->counts[i] < 0 || !isfinite(d->edges[i]) ||
		    !isfinite(d->edges[i + 1]) || !(d->edges[i] < d->edges[i + 1]) ||
		    (d->log_x && !(d->edges[i] > 0)))
			return TL_EINVAL;
		ymax = fmax(ymax, d->counts[i]);
	}
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y = draw_title(p, o);
	const char *rl = d->ref_label && *d->ref_label ? d->ref_label : def_label;
	int has_ref = !isnan(d->ref);
	double band = has_ref ? p->fs * 1.5 : 0;
	tl_chart_ticks_t yt;
	count_ticks(ymax, &yt);
	double left = PAD + y_title_space(p, d->y_title) + ticks_width(p, &yt, p->fs) + 5;
	double right = W - PAD - 12;
	double y0 = y + band + 2, y1 = H - bottom_space(p, o, 1, d->x_title);
	if (y1 - y0 < 20 || right - left < 40) {
		pen_abort(p);
		return TL_EINVAL;
	}
	if (d->nbins == 0) {
		no_data(p, left, y0, right, y1);
		draw_y_title(p, d->y_title, (y0 + y1) / 2);
		draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
		*out = pen_close(p);
		return TL_OK;
	}
	double lo = d->edges[0], hi = d->edges[d->nbins];
	if (has_ref) {
		lo = fmin(lo, d->ref);
		hi = fmax(hi, d->ref);
	}
	axis_t xa = {d->log_x, lo, hi, left, right};
	tl_chart_ticks_t xt;
	x_ticks(p, d->log_x ? TK_LOG : TK_LINEAR, &xa, lo, hi, &xt);
	/* the last tick sits at the right end, its label centred on it: keep all of it on the
	 * chart ("1,000,000" on a log axis is wider than the margin) */
	if (xt.n > 0) {
		double half = measure(p, xt.label[xt.n - 1], p->fs, 0) / 2;
		if (amap(&xa, xt.v[xt.n - 1]) + half > W - PAD) {
			right = W - PAD - half;
			xa = (axis_t){d->log_x, lo, hi, left, right};
			x_ticks(p, d->log_x ? TK_LOG : TK_LINEAR, &xa, lo, hi, &xt);
		}
	}
	axis_t ya = {0, yt.lo, yt.hi, y1, y0};
	draw_y_ticks(p, &ya, &yt, left, right);
	int anyb = 0;
	for (size_t i = 0; i < d->nbins; i++) {
		if (d->counts[i] <= 0)
			continue;
		double a = amap(&xa, d->edges[i]), b = amap(&xa, d->edges[i + 1]);
		double in = b - a >= 3 ? 0.5 : 0;
		double yv = amap(&ya, d->counts[i]);
		cairo_rectangle(p->cr, a + in, yv, b - a - 2 * in, y1 - yv);
		anyb = 1;
	}
	if (anyb)
		fill(p, bar);
	draw_x_axis(p, &xa, &xt, y1, y1);
	if (has_ref) {
		double x = amap(&xa, d->ref);
		if (!solid_ref)
			dash(p, 4, 2);
		line(p, x, y0 - 2, x, y1, C_VERMILLION, solid_ref ? 1.6 : 1.3);
		dash(p, 0, 0);
		double tw = measure(p, rl, p->fs, 1);
		double tx = clampd(x, left + tw / 2, W - PAD - tw / 2);
		text(p, rl, tx, y0 - 5, p->fs, TL_CHART_ANCHOR_CENTRE, 0, 1, C_VERMILLION);
	}
	draw_y_title(p, d->y_title, (y0 + y1) / 2);
	draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
	*out = pen_close(p);
	return TL_OK;
}

int tl_chart_histogram(const tl_chart_opts_t *o, const tl_chart_histogram_t *d, tl_chart_t **out)
{
	return histogram(o, d, C_BLUE, 0, "Reference", out);
}

int tl_chart_null(const tl_chart_opts_t *o, const tl_chart_histogram_t *d, tl_chart_t **out)
{
	if (!d)
		return TL_EINVAL;
	tl_chart_histogram_t h = *d;
	h.log_x = 0;
	return histogram(o, &h, 0xA6A6A6u, 1, "Observed", out);
}

/* ---- (6) Forest plot of rate ratios ------------------------------------------------- */

static void forest_text(char *out, size_t cap, const tl_chart_forest_row_t *r)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_chart_ratio(&b, r->ratio, r->lo, r->hi, NULL);
	take(out, cap, &b);
}

int tl_chart_forest(const tl_chart_opts_t *o, const tl_chart_forest_t *d, tl_chart_t **out)
{
	if (!d || !out || d->n > TL_CHART_MAX_ROWS || (d->n && !d->rows) ||
	    !check_str(d->x_title) || !check_str(d->value_title))
		return TL_EINVAL;
	const char *labels[TL_CHART_MAX_ROWS];
	double lo = 1, hi = 1;
	int anyest = 0;
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_forest_row_t *r = &d->rows[i];
		if (!check_str(r->label))
			return TL_EINVAL;
		labels[i] = r->label;
		const double v[3] = {r->ratio, r->lo, r->hi};
		for (int k = 0; k < 3; k++)
			if (isfinite(v[k]) && v[k] > 0) {
				lo = fmin(lo, v[k]);
				hi = fmax(hi, v[k]);
				anyest = 1;
			}
	}
	pen_t pp, *p = &pp;
	int rc = pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y0 = draw_title(p, o) + 2;
	const char *vt = d->value_title && *d->value_title ? d->value_title : "Ratio (95% CI)";
	double vw = measure(p, vt, p->fs, 1);
	for (size_t i = 0; i < d->n; i++) {
		char s[96];
		forest_text(s, sizeof(s), &d->rows[i]);
		vw = fmax(vw, measure(p, s, p->fs, 0));
	}
	double lw = label_col(p, labels, d->n, W);
	double left = PAD + lw + 10, right = W - PAD - vw - 14;
	double y1 = H - bottom_space(p, o, 1, d->x_title);
	double head = p->fs * 1.6;
	if (y1 - y0 - head < 20 || right - left < 60) {
		pen_abort(p);
		return TL_EINVAL;
	}
	if (d->n == 0) {
		no_data(p, left, y0, W - PAD, y1);
		draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
		*out = pen_close(p);
		return TL_OK;
	}
	text(p, vt, W - PAD, y0 + p->fs * CAP_H, p->fs, TL_CHART_ANCHOR_RIGHT, 0, 1, C_TEXT);
	double ry0 = y0 + head;
	axis_t xa = {1, lo, hi, left, right};
	tl_chart_ticks_t xt;
	x_ticks(p, TK_LOG, &xa, lo, hi, &xt);
	double rowh = fmin((y1 - ry0) / d->n, p->fs * 2.8);
	double ybase = ry0 + rowh * d->n;
	for (size_t i = 0; i < xt.n; i++)
		if (fabs(xt.v[i] - 1) > 1e-12)
			line(p, amap(&xa, xt.v[i]), ry0, amap(&xa, xt.v[i]), ybase, C_GRID, 0.5);
	dash(p, 3, 2);
	line(p, amap(&xa, 1), ry0 - 2, amap(&xa, 1), ybase, C_MUTED, 0.9);
	dash(p, 0, 0);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_forest_row_t *r = &d->rows[i];
		double yc = ry0 + rowh * (i + 0.5);
		if (!anyest)
			break;
		int lo_ok = r->lo > 0 && isfinite(r->lo), hi_ok = r->hi > 0 && isfinite(r->hi);
		int drawn = (lo_ok || r->lo == 0) && (hi_ok || isinf(r->hi)) &&
			    (r->lo <= r->hi || isinf(r->hi));
		if (drawn) {
			double a = lo_ok ? amap(&xa, r->lo) : left;
			double b = hi_ok ? amap(&xa, r->hi) : right;
			line(p, a, yc, b, yc, C_TEXT, 1.0);
			if (!lo_ok) { /* the interval runs off the axis: an arrow says so */
				cairo_move_to(p->cr, left, yc);
				cairo_line_to(p->cr, left + 4.5, yc - 2.6);
				cairo_line_to(p->cr, left + 4.5, yc + 2.6);
				cairo_close_path(p->cr);
				fill(p, C_TEXT);
			}
			if (!hi_ok) {
				cairo_move_to(p->cr, right, yc);
				cairo_line_to(p->cr, right - 4.5, yc - 2.6);
				cairo_line_to(p->cr, right - 4.5, yc + 2.6);
				cairo_close_path(p->cr);
				fill(p, C_TEXT);
			}
		}
		if (isfinite(r->ratio) && r->ratio > 0)
			fill_rect(p, amap(&xa, r->ratio) - 3, yc - 3, 6, 6, C_BLUE);
	}
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_forest_row_t *r = &d->rows[i];
		double yb = ry0 + rowh * (i + 0.5) + p->fs * CAP_H / 2;
		text_elided(p, r->label, left - 10, yb, p->fs, TL_CHART_ANCHOR_RIGHT, 0, C_TEXT, lw);
		char s[96];
		forest_text(s, sizeof(s), r);
		text(p, s, W - PAD, yb, p->fs, TL_CHART_ANCHOR_RIGHT, 0, 0,
		     strcmp(s, "not estimable") ? C_TEXT : C_MUTED);
	}
	draw_x_axis(p, &xa, &xt, ybase, ybase);
	draw_bottom(p, o, ybase, 1, d->x_title, (left + right) / 2);
	*out = pen_close(p);
	return TL_OK;
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
