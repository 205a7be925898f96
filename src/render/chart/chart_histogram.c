/* chart_histogram.c - histograms with a reference line: inter-arrival times, and the
 * permutation null distribution with the observed value. */
#include "render/chart/chart_impl.h"

/* ---- (5) Histogram with a reference line; (7) permutation null ---------------------- */

static int histogram(const tl_chart_opts_t *o, const tl_chart_histogram_t *d, uint32_t bar,
		     int solid_ref, const char *def_label, tl_chart_t **out)
{
	if (!d || !out || d->nbins > TL_CHART_MAX_BINS || (d->nbins && (!d->edges || !d->counts)) ||
	    !tl_chart_check_str(d->ref_label) || !tl_chart_check_str(d->x_title) ||
	    !tl_chart_check_str(d->y_title) || (!isnan(d->ref) && !isfinite(d->ref)) ||
	    (d->log_x && !isnan(d->ref) && !(d->ref > 0)))
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
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	double W = o->width, H = o->height;
	double y = tl_chart_draw_title(p, o);
	const char *rl = d->ref_label && *d->ref_label ? d->ref_label : def_label;
	int has_ref = !isnan(d->ref);
	double band = has_ref ? p->fs * 1.5 : 0;
	tl_chart_ticks_t yt;
	tl_chart_count_ticks(ymax, &yt);
	double left =
	    PAD + tl_chart_y_title_space(p, d->y_title) + tl_chart_ticks_width(p, &yt, p->fs) + 5;
	double right = W - PAD - 12;
	double y0 = y + band + 2, y1 = H - tl_chart_bottom_space(p, o, 1, d->x_title);
	if (y1 - y0 < 20 || right - left < 40) {
		tl_chart_pen_abort(p);
		return TL_EINVAL;
	}
	if (d->nbins == 0) {
		tl_chart_no_data(p, left, y0, right, y1);
		tl_chart_draw_y_title(p, d->y_title, (y0 + y1) / 2);
		tl_chart_draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
		*out = tl_chart_pen_close(p);
		return TL_OK;
	}
	double lo = d->edges[0], hi = d->edges[d->nbins];
	if (has_ref) {
		lo = fmin(lo, d->ref);
		hi = fmax(hi, d->ref);
	}
	axis_t xa = {d->log_x, lo, hi, left, right};
	tl_chart_ticks_t xt;
	tl_chart_x_ticks(p, d->log_x ? TK_LOG : TK_LINEAR, &xa, lo, hi, &xt);
	/* the last tick sits at the right end, its label centred on it: keep all of it on the
	 * chart ("1,000,000" on a log axis is wider than the margin) */
	if (xt.n > 0) {
		double half = tl_chart_measure(p, xt.label[xt.n - 1], p->fs, 0) / 2;
		if (tl_chart_amap(&xa, xt.v[xt.n - 1]) + half > W - PAD) {
			right = W - PAD - half;
			xa = (axis_t){d->log_x, lo, hi, left, right};
			tl_chart_x_ticks(p, d->log_x ? TK_LOG : TK_LINEAR, &xa, lo, hi, &xt);
		}
	}
	axis_t ya = {0, yt.lo, yt.hi, y1, y0};
	tl_chart_draw_y_ticks(p, &ya, &yt, left, right);
	int anyb = 0;
	for (size_t i = 0; i < d->nbins; i++) {
		if (d->counts[i] <= 0)
			continue;
		double a = tl_chart_amap(&xa, d->edges[i]), b = tl_chart_amap(&xa, d->edges[i + 1]);
		double in = b - a >= 3 ? 0.5 : 0;
		double yv = tl_chart_amap(&ya, d->counts[i]);
		cairo_rectangle(p->cr, a + in, yv, b - a - 2 * in, y1 - yv);
		anyb = 1;
	}
	if (anyb)
		tl_chart_fill(p, bar);
	tl_chart_draw_x_axis(p, &xa, &xt, y1, y1);
	if (has_ref) {
		double x = tl_chart_amap(&xa, d->ref);
		if (!solid_ref)
			tl_chart_dash(p, 4, 2);
		tl_chart_line(p, x, y0 - 2, x, y1, C_VERMILLION, solid_ref ? 1.6 : 1.3);
		tl_chart_dash(p, 0, 0);
		double tw = tl_chart_measure(p, rl, p->fs, 1);
		double tx = tl_chart_clampd(x, left + tw / 2, W - PAD - tw / 2);
		tl_chart_put_text(p, rl, tx, y0 - 5, p->fs, TL_CHART_ANCHOR_CENTRE, 0, 1,
				  C_VERMILLION);
	}
	tl_chart_draw_y_title(p, d->y_title, (y0 + y1) / 2);
	tl_chart_draw_bottom(p, o, y1, 1, d->x_title, (left + right) / 2);
	*out = tl_chart_pen_close(p);
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

