/* chart_shares.c - shares with confidence intervals (sources and organisations), one
 * row per item. */
#include "render/chart/chart_impl.h"

/* ---- (2) Shares with confidence intervals -------------------------------------------- */

static void share_text(char *out, size_t cap, const tl_chart_share_row_t *r)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_chart_share(&b, r->value, r->lo, r->hi, NULL);
	tl_chart_take(out, cap, &b);
}

int tl_chart_shares(const tl_chart_opts_t *o, const tl_chart_shares_t *d, tl_chart_t **out)
{
	if (!d || !out || d->n > TL_CHART_MAX_ROWS || (d->n && !d->rows) ||
	    !tl_chart_check_str(d->x_title))
		return TL_EINVAL;
	double xmax = 0;
	const char *labels[TL_CHART_MAX_ROWS];
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_share_row_t *r = &d->rows[i];
		int ci = isfinite(r->lo) || isfinite(r->hi);
		if (!(r->value >= 0 && r->value <= 1) || !tl_chart_check_str(r->label) ||
		    r->colour >= TL_CHART_MAX_SERIES || r->colour < -1 ||
		    (ci && !(r->lo >= 0 && r->lo <= r->hi && r->hi <= 1)))
			return TL_EINVAL;
		labels[i] = r->label;
		xmax = fmax(xmax, ci ? fmax(r->value, r->hi) : r->value);
	}
	pen_t pp, *p = &pp;
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y0 = tl_chart_draw_title(p, o) + 2;
	double lw = tl_chart_label_col(p, labels, d->n, W);
	double vw = 0;
	for (size_t i = 0; i < d->n; i++) {
		char s[96];
		share_text(s, sizeof(s), &d->rows[i]);
		vw = fmax(vw, tl_chart_measure(p, s, p->fs, 0));
	}
	double left = PAD + lw + 8, right = W - PAD - vw - 8;
	double y1 = H - tl_chart_bottom_space(p, o, 1, d->x_title);
	if (y1 - y0 < 20 || right - left < 40) {
		tl_chart_pen_abort(p);
		return TL_EINVAL;
	}
	if (d->n == 0) {
		tl_chart_no_data(p, left, y0, W - PAD, y1);
		tl_chart_draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
		*out = tl_chart_pen_close(p);
		return TL_OK;
	}
	axis_t xa = {0, 0, 1, left, right};
	tl_chart_ticks_t xt;
	tl_chart_x_ticks(p, TK_PERCENT, &xa, 0, xmax > 0 ? xmax : 0.01, &xt);
	double rowh = fmin((y1 - y0) / d->n, p->fs * 3.2);
	double bh = rowh * 0.55;
	for (size_t i = 0; i < xt.n; i++)
		tl_chart_line(p, tl_chart_amap(&xa, xt.v[i]), y0, tl_chart_amap(&xa, xt.v[i]),
			      y0 + rowh * d->n, C_GRID, 0.5);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_share_row_t *r = &d->rows[i];
		double yc = y0 + rowh * (i + 0.5);
		uint32_t col = tl_chart_palette[r->colour < 0 ? 0 : r->colour];
		tl_chart_fill_rect(p, left, yc - bh / 2, tl_chart_amap(&xa, r->value) - left, bh,
				   col);
		if (isfinite(r->lo) && isfinite(r->hi)) {
			double a = tl_chart_amap(&xa, r->lo), b = tl_chart_amap(&xa, r->hi);
			cairo_move_to(p->cr, a, yc);
			cairo_line_to(p->cr, b, yc);
			cairo_move_to(p->cr, a, yc - bh * 0.3);
			cairo_line_to(p->cr, a, yc + bh * 0.3);
			cairo_move_to(p->cr, b, yc - bh * 0.3);
			cairo_line_to(p->cr, b, yc + bh * 0.3);
			tl_chart_stroke(p, C_TEXT, 0.9);
		}
	}
	double ybase = y0 + rowh * d->n;
	tl_chart_line(p, left, y0, left, ybase, C_AXIS, 0.7);
	for (size_t i = 0; i < d->n; i++) {
		const tl_chart_share_row_t *r = &d->rows[i];
		double yb = y0 + rowh * (i + 0.5) + p->fs * CAP_H / 2;
		tl_chart_put_text_elided(p, r->label, left - 6, yb, p->fs, TL_CHART_ANCHOR_RIGHT, 0,
					 C_TEXT, lw);
		char s[96];
		share_text(s, sizeof(s), r);
		double xe = tl_chart_amap(&xa, isfinite(r->hi) ? fmax(r->hi, r->value) : r->value);
		tl_chart_put_text(p, s, xe + 5, yb, p->fs, TL_CHART_ANCHOR_LEFT, 0, 0, C_TEXT);
	}
	tl_chart_draw_x_axis(p, &xa, &xt, ybase, ybase);
	tl_chart_draw_bottom(p, o, ybase, 1, d->x_title, (left + right) / 2);
	*out = tl_chart_pen_close(p);
	return TL_OK;
}

