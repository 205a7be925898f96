/* chart_forest.c - event effects: a forest plot of rate ratios with their intervals. */
#include "render/chart/chart_impl.h"

/* ---- (6) Forest plot of rate ratios ------------------------------------------------- */

static void forest_text(char *out, size_t cap, const tl_chart_forest_row_t *r)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_chart_ratio(&b, r->ratio, r->lo, r->hi, NULL);
	tl_chart_take(out, cap, &b);
}

int tl_chart_forest(const tl_chart_opts_t *o, const tl_chart_forest_t *d, tl_chart_t **out)
{
	if (!d || !out || d->n > TL_CHART_MAX_ROWS || (d->n && !d->rows) ||
	    !tl_chart_check_str(d->x_title) || !tl_chart_check_str(d->value_title))
		return TL_EINVAL;
	const char *labels[TL_CHART_MAX_ROWS];
	double lo = 1, hi = 1;
	int anyest = 0;
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_forest_row_t *r = &d->rows[i];
		if (!tl_chart_check_str(r->label))
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
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y0 = tl_chart_draw_title(p, o) + 2;
	const char *vt = d->value_title && *d->value_title ? d->value_title : "Ratio (95% CI)";
	double vw = tl_chart_measure(p, vt, p->fs, 1);
	for (size_t i = 0; i < d->n; i++) {
		char s[96];
		forest_text(s, sizeof(s), &d->rows[i]);
		vw = fmax(vw, tl_chart_measure(p, s, p->fs, 0));
	}
	double lw = tl_chart_label_col(p, labels, d->n, W);
	double left = PAD + lw + 10, right = W - PAD - vw - 14;
	double y1 = H - tl_chart_bottom_space(p, o, 1, d->x_title);
	double head = p->fs * 1.6;
	if (y1 - y0 - head < 20 || right - left < 60) {
		tl_chart_pen_abort(p);
		return TL_EINVAL;
	}
	if (d->n == 0) {
		tl_chart_no_data(p, left, y0, W - PAD, y1);
		tl_chart_draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
		*out = tl_chart_pen_close(p);
		return TL_OK;
	}
	tl_chart_put_text(p, vt, W - PAD, y0 + p->fs * CAP_H, p->fs, TL_CHART_ANCHOR_RIGHT, 0, 1,
			  C_TEXT);
	double ry0 = y0 + head;
	axis_t xa = {1, lo, hi, left, right};
	tl_chart_ticks_t xt;
	tl_chart_x_ticks(p, TK_LOG, &xa, lo, hi, &xt);
	double rowh = fmin((y1 - ry0) / d->n, p->fs * 2.8);
	double ybase = ry0 + rowh * d->n;
	for (size_t i = 0; i < xt.n; i++)
		if (fabs(xt.v[i] - 1) > 1e-12)
			tl_chart_line(p, tl_chart_amap(&xa, xt.v[i]), ry0,
				      tl_chart_amap(&xa, xt.v[i]), ybase, C_GRID, 0.5);
	tl_chart_dash(p, 3, 2);
	tl_chart_line(p, tl_chart_amap(&xa, 1), ry0 - 2, tl_chart_amap(&xa, 1), ybase, C_MUTED,
		      0.9);
	tl_chart_dash(p, 0, 0);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_forest_row_t *r = &d->rows[i];
		double yc = ry0 + rowh * (i + 0.5);
		if (!anyest)
			break;
		int lo_ok = r->lo > 0 && isfinite(r->lo), hi_ok = r->hi > 0 && isfinite(r->hi);
		int drawn = (lo_ok || r->lo == 0) && (hi_ok || isinf(r->hi)) &&
			    (r->lo <= r->hi || isinf(r->hi));
		if (drawn) {
			double a = lo_ok ? tl_chart_amap(&xa, r->lo) : left;
			double b = hi_ok ? tl_chart_amap(&xa, r->hi) : right;
			tl_chart_line(p, a, yc, b, yc, C_TEXT, 1.0);
			if (!lo_ok) { /* the interval runs off the axis: an arrow says so */
				cairo_move_to(p->cr, left, yc);
				cairo_line_to(p->cr, left + 4.5, yc - 2.6);
				cairo_line_to(p->cr, left + 4.5, yc + 2.6);
				cairo_close_path(p->cr);
				tl_chart_fill(p, C_TEXT);
			}
			if (!hi_ok) {
				cairo_move_to(p->cr, right, yc);
				cairo_line_to(p->cr, right - 4.5, yc - 2.6);
				cairo_line_to(p->cr, right - 4.5, yc + 2.6);
				cairo_close_path(p->cr);
				tl_chart_fill(p, C_TEXT);
			}
		}
		if (isfinite(r->ratio) && r->ratio > 0)
			tl_chart_fill_rect(p, tl_chart_amap(&xa, r->ratio) - 3, yc - 3, 6, 6,
					   C_BLUE);
	}
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_forest_row_t *r = &d->rows[i];
		double yb = ry0 + rowh * (i + 0.5) + p->fs * CAP_H / 2;
		tl_chart_put_text_elided(p, r->label, left - 10, yb, p->fs, TL_CHART_ANCHOR_RIGHT,
					 0, C_TEXT, lw);
		char s[96];
		forest_text(s, sizeof(s), r);
		tl_chart_put_text(p, s, W - PAD, yb, p->fs, TL_CHART_ANCHOR_RIGHT, 0, 0,
				  strcmp(s, "not estimable") ? C_TEXT : C_MUTED);
	}
	tl_chart_draw_x_axis(p, &xa, &xt, ybase, ybase);
	tl_chart_draw_bottom(p, o, ybase, 1, d->x_title, (left + right) / 2);
	*out = tl_chart_pen_close(p);
	return TL_OK;
}

