/* chart_heatmap.c - hour of day x weekday: one heatmap, and small multiples of such
 * grids under one colour scale. */
#include "render/chart/chart_impl.h"

/* ---- (3) Hour-of-day x weekday heatmap ---------------------------------------------- */

/* ColorBrewer YlGnBu, 7 classes, interpolated: t = 0 lightest, 1 darkest. */
static uint32_t ramp(double t)
{
	static const uint32_t stops[] = {0xFFFFCCu, 0xC7E9B4u, 0x7FCDBBu, 0x41B6C4u,
					 0x1D91C0u, 0x225EA8u, 0x0C2C84u};
	t = tl_chart_clampd(t, 0, 1) * 6;
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
	if (!d || !out || !tl_chart_check_str(d->x_title) || !tl_chart_check_str(d->scale_title))
		return TL_EINVAL;
	double vmax = 0;
	int any = 0, nan = 0;
	for (int r = 0; r < 7; r++) {
		if (!tl_chart_check_str(d->row_labels[r]))
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
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y0 = tl_chart_draw_title(p, o) + 2;
	const char *labels[7];
	for (int r = 0; r < 7; r++)
		labels[r] = d->row_labels[r] ? d->row_labels[r] : days[r];
	double lw = tl_chart_label_col(p, labels, 7, W);
	tl_chart_ticks_t st;
	tl_chart_ticks_linear(0, vmax, 5, 0, &st);
	double sw = tl_chart_ticks_width(p, &st, p->fs), tick_w = sw;
	if (nan)
		sw = fmax(sw, tl_chart_measure(p, "No data", p->fs, 0));
	double scale_w = 16 + 10 + 4 + sw + (d->scale_title && *d->scale_title ? p->fs * 1.4 : 0);
	double left = PAD + lw + 6, right = W - PAD - scale_w;
	double y1 = H - tl_chart_bottom_space(p, o, 1, d->x_title);
	if (y1 - y0 < 30 || right - left < 48) {
		tl_chart_pen_abort(p);
		return TL_EINVAL;
	}
	double cw = (right - left) / 24, ch = (y1 - y0) / 7;
	if (!any) {
		tl_chart_no_data(p, left, y0, right, y1);
	} else {
		for (int r = 0; r < 7; r++)
			for (int h = 0; h < 24; h++) {
				double v = d->cells[r][h], x = left + h * cw, y = y0 + r * ch;
				if (isnan(v))
					tl_chart_hatch_rect(p, x + 0.5, y + 0.5, cw - 1, ch - 1);
				else
					tl_chart_fill_rect(p, x + 0.5, y + 0.5, cw - 1, ch - 1,
							   ramp(v / st.hi));
			}
		/* colour scale: 48 slices, 0 at the bottom */
		double bx = right + 16, bh = (y1 - y0) * (nan ? 0.75 : 1.0);
		axis_t sa = {0, st.lo, st.hi, y0 + bh, y0};
		for (int i = 0; i < 48; i++) {
			double a = y0 + bh - bh * (i + 1) / 48.0;
			tl_chart_fill_rect(p, bx, a, 10, bh / 48.0 + (i < 47 ? 0.3 : 0),
					   ramp((i + 0.5) / 48.0));
		}
		cairo_rectangle(p->cr, bx, y0, 10, bh);
		tl_chart_stroke(p, C_AXIS, 0.5);
		for (size_t i = 0; i < st.n; i++) {
			double yy = tl_chart_amap(&sa, st.v[i]);
			tl_chart_line(p, bx + 10, yy, bx + 10 + TICK_LEN, yy, C_AXIS, 0.5);
			tl_chart_put_text(p, st.label[i], bx + 10 + TICK_LEN + 2,
					  yy + p->fs * CAP_H / 2, p->fs, TL_CHART_ANCHOR_LEFT, 0, 0,
					  C_TEXT);
		}
		if (d->scale_title && *d->scale_title)
			tl_chart_put_text(
			    p, d->scale_title, bx + 10 + TICK_LEN + 2 + tick_w + 4 + p->fs * CAP_H,
			    y0 + bh / 2, p->fs, TL_CHART_ANCHOR_CENTRE, 90, 0, C_TEXT);
		if (nan) {
			double hy = y0 + bh + p->fs * 1.2;
			tl_chart_hatch_rect(p, bx, hy, 10, p->fs);
			cairo_rectangle(p->cr, bx, hy, 10, p->fs);
			tl_chart_stroke(p, C_HATCH, 0.5);
			tl_chart_put_text(p, "No data", bx + 10 + TICK_LEN + 2, hy + p->fs * CAP_H,
					  p->fs, TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		}
	}
	for (int r = 0; r < 7; r++)
		tl_chart_put_text_elided(p, labels[r], left - 6,
					 y0 + (r + 0.5) * ch + p->fs * CAP_H / 2, p->fs,
					 TL_CHART_ANCHOR_RIGHT, 0, C_TEXT, lw);
	/* hour labels every k hours so that "23" keeps 4 pt from its neighbours */
	static const int ks[] = {1, 2, 3, 4, 6, 12};
	int k = 12;
	double hw = tl_chart_measure(p, "00", p->fs, 0);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		if (ks[i] * cw >= hw + 4) {
			k = ks[i];
			break;
		}
	for (int h = 0; h < 24; h += k) {
		char s[8];
		tl_chart_fmt_into(s, sizeof(s), "%02d", h);
		double x = left + (h + 0.5) * cw;
		tl_chart_line(p, x, y1, x, y1 + TICK_LEN, C_AXIS, 0.5);
		tl_chart_put_text(p, s, x, y1 + TICK_LEN + 2 + p->fs * CAP_H, p->fs,
				  TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	}
	tl_chart_draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
	*out = tl_chart_pen_close(p);
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
	if (!d || d->n > TL_CHART_MAX_GRIDS || (d->n && !d->grids) ||
	    !tl_chart_check_str(d->x_title) || !tl_chart_check_str(d->scale_title) ||
	    d->per_row > TL_CHART_MAX_GRIDS)
		return 0;
	for (int r = 0; r < 7; r++)
		if (!tl_chart_check_str(d->row_labels[r]))
			return 0;
	*vmax = 0;
	*nan = 0;
	*whole = 1;
	for (size_t g = 0; g < d->n; g++) {
		const tl_chart_heatmap_grid_t *gr = &d->grids[g];
		if (!tl_chart_check_str(gr->title) || !tl_chart_check_str(gr->subtitle) ||
		    !tl_chart_check_str(gr->note))
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
	g->lw = tl_chart_label_col(p, labels, 7, W);
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
	return tl_chart_clampd(g->cw, p->fs * 1.3, p->fs * 1.6);
}

int tl_chart_heatmaps_height(const tl_chart_opts_t *o, const tl_chart_heatmaps_t *d,
			     double *height)
{
	double vmax;
	int nan, whole;
	if (!height || !hm_check(d, &vmax, &nan, &whole))
		return TL_EINVAL;
	pen_t pp, *p = &pp;
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	hm_geom_t g;
	rc = hm_layout(p, o, d, &g);
	if (rc == TL_OK)
		*height = d->n ? g.fixed + 7 * (double)g.nrows * hm_natural_ch(p, &g)
			       : fmax(g.top + 60 + g.bottom, TL_CHART_MIN_SIZE);
	tl_chart_pen_abort(p);
	return rc;
}

/* The legend: scale title, colour bar with ticks below, and "No data" when needed. */
static int hm_legend(pen_t *p, const tl_chart_heatmaps_t *d, const tl_chart_ticks_t *st,
		     int nan, double y, double W, int draw)
{
	double x = PAD;
	if (d->scale_title && *d->scale_title) {
		double tw = tl_chart_measure(p, d->scale_title, p->fs, 0);
		if (draw)
			tl_chart_put_text(p, d->scale_title, x,
					  y + HM_BAR_H / 2 + p->fs * CAP_H / 2, p->fs,
					  TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
		x += tw + 8;
	}
	double last_half = st->n ? tl_chart_measure(p, st->label[st->n - 1], p->fs, 0) / 2 : 0;
	double first_half = st->n ? tl_chart_measure(p, st->label[0], p->fs, 0) / 2 : 0;
	x += first_half;
	double nd_w = nan ? 16 + 10 + 4 + tl_chart_measure(p, "No data", p->fs, 0) : 0;
	double bw = fmin(HM_BAR_W, W - PAD - x - last_half - nd_w);
	if (bw < 48)
		return TL_EINVAL;
	if (!draw)
		return TL_OK;
	for (int i = 0; i < 48; i++)
		tl_chart_fill_rect(p, x + bw * i / 48.0, y, bw / 48.0 + (i < 47 ? 0.3 : 0),
				   HM_BAR_H, ramp((i + 0.5) / 48.0));
	cairo_rectangle(p->cr, x, y, bw, HM_BAR_H);
	tl_chart_stroke(p, C_AXIS, 0.5);
	axis_t sa = {0, st->lo, st->hi, x, x + bw};
	for (size_t i = 0; i < st->n; i++) {
		double xx = tl_chart_amap(&sa, st->v[i]);
		cairo_move_to(p->cr, xx, y + HM_BAR_H);
		cairo_line_to(p->cr, xx, y + HM_BAR_H + TICK_LEN);
	}
	if (st->n)
		tl_chart_stroke(p, C_AXIS, 0.5);
	for (size_t i = 0; i < st->n; i++)
		tl_chart_put_text(p, st->label[i], tl_chart_amap(&sa, st->v[i]),
				  y + HM_BAR_H + TICK_LEN + 2 + p->fs * CAP_H, p->fs,
				  TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	if (nan) {
		double hx = x + bw + last_half + 16;
		tl_chart_hatch_rect(p, hx, y, 10, HM_BAR_H);
		cairo_rectangle(p->cr, hx, y, 10, HM_BAR_H);
		tl_chart_stroke(p, C_HATCH, 0.5);
		tl_chart_put_text(p, "No data", hx + 14, y + HM_BAR_H / 2 + p->fs * CAP_H / 2,
				  p->fs, TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
	}
	return TL_OK;
}

/* Hours labelled every k hours so that "23" keeps 4 pt from its neighbours. */
static int hm_hour_step(pen_t *p, double cw)
{
	static const int ks[] = {1, 2, 3, 4, 6, 12};
	double hw = tl_chart_measure(p, "00", p->fs, 0);
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
		tl_chart_stroke(p, C_GRID, 0.7);
		tl_chart_put_text_elided(p, gr->note, gx + gw / 2, gy + gh / 2 + p->fs * CAP_H / 2,
					 p->fs, TL_CHART_ANCHOR_CENTRE, 0, C_MUTED, gw - 8);
		return;
	}
	for (int r = 0; r < 7; r++)
		for (int h = 0; h < 24; h++) {
			double v = gr->cells[r][h], x = gx + h * g->cw, y = gy + r * g->ch;
			if (isnan(v))
				tl_chart_hatch_rect(p, x + 0.5, y + 0.5, g->cw - 1, g->ch - 1);
			else
				tl_chart_fill_rect(p, x + 0.5, y + 0.5, g->cw - 1, g->ch - 1,
						   ramp(top_value > 0 ? v / top_value : 0));
		}
	int k = hm_hour_step(p, g->cw);
	for (int h = 0; h < 24; h += k) {
		double x = gx + (h + 0.5) * g->cw;
		cairo_move_to(p->cr, x, gy + gh);
		cairo_line_to(p->cr, x, gy + gh + TICK_LEN);
	}
	tl_chart_stroke(p, C_AXIS, 0.5);
	for (int h = 0; h < 24; h += k) {
		char s[8];
		tl_chart_fmt_into(s, sizeof(s), "%02d", h);
		tl_chart_put_text(p, s, gx + (h + 0.5) * g->cw,
				  gy + gh + TICK_LEN + 2 + p->fs * CAP_H, p->fs,
				  TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	}
	for (int r = 0; r < 7; r++)
		tl_chart_put_text_elided(p, d->row_labels[r] ? d->row_labels[r] : hm_days[r],
					 gx - 4, gy + (r + 0.5) * g->ch + p->fs * CAP_H / 2, p->fs,
					 TL_CHART_ANCHOR_RIGHT, 0, C_TEXT, g->lw);
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
	int rc = tl_chart_pen_open(p, o);
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
		tl_chart_pen_abort(p);
		return rc;
	}
	tl_chart_draw_title(p, o);
	double y = g.top;
	if (d->n == 0) {
		y = H - g.bottom;
		tl_chart_no_data(p, PAD, g.top, W - PAD, y);
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
				tl_chart_put_text_elided(p, gr->title, sx, ty, p->fs,
							 TL_CHART_ANCHOR_LEFT, 1, C_TEXT,
							 W - PAD - sx);
			else if (!shared)
				tl_chart_put_text_elided(p, gr->title, sx, ty, p->fs,
							 TL_CHART_ANCHOR_LEFT, 1, C_TEXT, g.slot_w);
			tl_chart_put_text_elided(p, gr->subtitle, gx, sy, p->fs,
						 TL_CHART_ANCHOR_LEFT, 0, C_TEXT, 24 * g.cw);
			hm_grid(p, d, gr, &g, gx, y + g.title_h + g.sub_h + HM_HEAD_GAP, st.hi);
		}
		y += g.title_h + g.sub_h + HM_HEAD_GAP + 7 * g.ch + g.ticks_h + g.row_gap;
	}
	if (g.nrows)
		y -= g.row_gap;
	if (d->x_title && *d->x_title)
		tl_chart_put_text(p, d->x_title, W / 2, y + p->fs * 1.45 - p->fs * DESC, p->fs,
				  TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	tl_chart_draw_bottom(p, o, y, 0, NULL, W / 2);
	*out = tl_chart_pen_close(p);
	return TL_OK;
}

