/* chart_timeline.c - the lifecycle of names, one row per name: resolving and NXDOMAIN
 * periods, first queries, and an arrow to the successor. */
#include "render/chart/chart_impl.h"

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
		if (!tl_chart_check_str(r->name) ||
		    !tl_chart_spans_ok(r->resolving, r->nresolving) ||
		    !tl_chart_spans_ok(r->nxdomain, r->nnxdomain) ||
		    r->nfirst > TL_CHART_MAX_BINS || (r->nfirst && !r->first_query_us) ||
		    r->successor < -1 || r->successor >= (int)d->n || r->successor == (int)i)
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
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y = tl_chart_draw_title(p, o);
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
	y += tl_chart_legend(p, li, nl, PAD, y, W - 2 * PAD, 0) + (nl ? p->fs * 0.5 : 0);
	double lw = tl_chart_label_col(p, labels, d->n, W);
	double left = PAD + lw + 8, right = W - PAD - 12;
	double y0 = y + 2, y1 = H - tl_chart_bottom_space(p, o, 1, "Date (UTC)");
	if (y1 - y0 < 20 || right - left < 40) {
		tl_chart_pen_abort(p);
		return TL_EINVAL;
	}
	tl_chart_legend(p, li, nl, PAD, lg_y, W - 2 * PAD, 1);
	if (d->n == 0 || !any) {
		tl_chart_no_data(p, left, y0, right, y1);
		tl_chart_draw_bottom(p, o, y1, 1, "Date (UTC)", (left + right) / 2);
		*out = tl_chart_pen_close(p);
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
	tl_chart_x_ticks(p, TK_DATE, &xa, dlo, dhi, &xt);
	double rowh = fmin((y1 - y0) / d->n, p->fs * 4), bh = fmin(rowh * 0.5, p->fs * 1.4);
	double ybase = y0 + rowh * d->n;
	for (size_t i = 0; i < xt.n; i++)
		tl_chart_line(p, tl_chart_amap(&xa, xt.v[i]), y0, tl_chart_amap(&xa, xt.v[i]),
			      ybase, C_GRID, 0.5);
	tl_chart_clip_rect(p, left, y0, right - left, ybase - y0);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		double yc = y0 + rowh * (i + 0.5);
		for (size_t k = 0; k < r->nresolving; k++) {
			double a = tl_chart_amap(&xa, r->resolving[k].start_us / US_PER_DAY);
			double b = tl_chart_amap(&xa, r->resolving[k].end_us / US_PER_DAY);
			tl_chart_fill_rect(p, a, yc - bh / 2, fmax(b - a, 1.0), bh, C_BLUE);
		}
		for (size_t k = 0; k < r->nnxdomain; k++) {
			double a = tl_chart_amap(&xa, r->nxdomain[k].start_us / US_PER_DAY);
			double b = tl_chart_amap(&xa, r->nxdomain[k].end_us / US_PER_DAY);
			double w = fmax(b - a, 1.0);
			tl_chart_fill_rect(p, a, yc - bh / 2, w, bh, C_NX_FILL);
			cairo_rectangle(p->cr, a + 0.5, yc - bh / 2 + 0.5, fmax(w - 1, 0.1), bh - 1);
			tl_chart_stroke(p, C_VERMILLION, 1.0);
		}
	}
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		if (r->successor < 0)
			continue;
		double x = tl_chart_amap(&xa, r->successor_us / US_PER_DAY);
		int down = r->successor > (int)i;
		double ya = y0 + rowh * (i + 0.5) + (down ? bh / 2 + 1 : -bh / 2 - 1);
		double yb = y0 + rowh * (r->successor + 0.5) + (down ? -bh / 2 - 1 : bh / 2 + 1);
		tl_chart_line(p, x, ya, x, yb - (down ? 4 : -4), C_MUTED, 0.9);
		tl_chart_arrowhead(p, x, yb, down ? 1 : -1, C_MUTED);
	}
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_name_row_t *r = &d->rows[i];
		double yc = y0 + rowh * (i + 0.5);
		if (r->nfirst == 0)
			continue;
		for (size_t k = 0; k < r->nfirst; k++)
			tl_chart_diamond(p, tl_chart_amap(&xa, r->first_query_us[k] / US_PER_DAY),
					 yc, 3.4);
		tl_chart_stroke(p, C_WHITE, 0.8); /* a white rim keeps a mark visible on a bar */
		for (size_t k = 0; k < r->nfirst; k++)
			tl_chart_diamond(p, tl_chart_amap(&xa, r->first_query_us[k] / US_PER_DAY),
					 yc, 3.2);
		tl_chart_fill(p, C_TEXT);
	}
	tl_chart_no_clip(p);
	for (size_t i = 0; i < d->n; i++)
		tl_chart_put_text_elided(p, d->rows[i].name, left - 6,
					 y0 + rowh * (i + 0.5) + p->fs * CAP_H / 2, p->fs,
					 TL_CHART_ANCHOR_RIGHT, 0, C_TEXT, lw);
	tl_chart_draw_x_axis(p, &xa, &xt, ybase, ybase);
	tl_chart_draw_bottom(p, o, ybase, 1, "Date (UTC)", (left + right) / 2);
	*out = tl_chart_pen_close(p);
	return TL_OK;
}

