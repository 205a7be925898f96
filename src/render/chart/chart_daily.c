/* chart_daily.c - daily counts stacked by category (lookups per day), event windows
 * shaded and labelled, gaps hatched. */
#include "render/chart/chart_impl.h"

/* ---- (1) Daily counts stacked by category ------------------------------------------- */

#define MAX_WINDOW_LABELS 64 /* windows after these are shaded but not labelled */

int tl_chart_daily(const tl_chart_opts_t *o, const tl_chart_daily_t *d, tl_chart_t **out)
{
	if (!d || !out || d->ndays > TL_CHART_MAX_BINS || d->nseries > TL_CHART_MAX_SERIES ||
	    (d->ndays && d->nseries && !d->counts) || (d->nseries && !d->series) ||
	    !tl_chart_spans_ok(d->windows, d->nwindows) || !tl_chart_spans_ok(d->gaps, d->ngaps) ||
	    d->first_day < -1000000 || d->first_day > 1000000 || !tl_chart_check_str(d->y_title))
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
		if (!d->series[s] || !tl_chart_check_str(d->series[s]))
			return TL_EINVAL;
	pen_t pp, *p = &pp;
	int rc = tl_chart_pen_open(p, o);
	if (rc != TL_OK)
		return rc;
	int empty = d->ndays == 0 || d->nseries == 0;
	double W = o->width, H = o->height;

	double y = tl_chart_draw_title(p, o);
	legend_item_t li[TL_CHART_MAX_SERIES + 2];
	size_t nl = 0;
	for (size_t s = 0; s < d->nseries; s++)
		li[nl++] = (legend_item_t){LG_FILL, tl_chart_palette[s], 0, d->series[s]};
	if (d->nwindows)
		li[nl++] = (legend_item_t){LG_FILL, C_WINDOW, 0, "Event window"};
	if (d->ngaps)
		li[nl++] = (legend_item_t){LG_HATCH, 0, 0, "No data (gap)"};
	double lg_y = y, lg_h = tl_chart_legend(p, li, nl, PAD, y, W - 2 * PAD, 0);
	y += lg_h + (nl ? p->fs * 0.4 : 0);

	tl_chart_ticks_t yt;
	tl_chart_count_ticks(ymax, &yt);
	double left =
	    PAD + tl_chart_y_title_space(p, d->y_title) + tl_chart_ticks_width(p, &yt, p->fs) + 5;
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
		double a = tl_chart_clampd(w->start_us / US_PER_DAY, xa.lo, xa.hi);
		double b = tl_chart_clampd(w->end_us / US_PER_DAY, xa.lo, xa.hi);
		double tw = tl_chart_measure(p, w->label, ls, 0);
		double cx = (tl_chart_amap(&xa, a) + tl_chart_amap(&xa, b)) / 2;
		cx = tl_chart_clampd(cx, left + tw / 2, W - PAD - tw / 2);
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
	double y1 = H - tl_chart_bottom_space(p, o, 1, "Date (UTC)");
	if (y1 - y0 < 20) {
		tl_chart_pen_abort(p);
		return TL_EINVAL; /* too small for its legend and labels */
	}
	axis_t ya = {0, yt.lo, yt.hi, y1, y0};

	tl_chart_legend(p, li, nl, PAD, lg_y, W - 2 * PAD, 1);
	tl_chart_ticks_t xt;
	memset(&xt, 0, sizeof(xt));
	if (!empty) {
		tl_chart_x_ticks(p, TK_DATE, &xa, xa.lo, xa.hi, &xt);
		/* event windows behind everything */
		for (size_t i = 0; i < d->nwindows; i++) {
			double a =
			    tl_chart_clampd(d->windows[i].start_us / US_PER_DAY, xa.lo, xa.hi);
			double b = tl_chart_clampd(d->windows[i].end_us / US_PER_DAY, xa.lo, xa.hi);
			double xa0 = tl_chart_amap(&xa, a), xb = tl_chart_amap(&xa, b);
			if (xb - xa0 < 1.5) { /* a short window stays visible */
				xa0 = (xa0 + xb) / 2 - 0.75;
				xb = xa0 + 1.5;
			}
			tl_chart_fill_rect(p, xa0, y0, xb - xa0, y1 - y0, C_WINDOW);
		}
		tl_chart_draw_y_ticks(p, &ya, &yt, left, right);
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
				double yb = tl_chart_amap(&ya, below),
				       yv = tl_chart_amap(&ya, below + v);
				cairo_rectangle(p->cr, left + day * dw + inset, yv, dw - 2 * inset, yb - yv);
				any = 1;
			}
			if (any)
				tl_chart_fill(p, tl_chart_palette[s]);
		}
		for (size_t i = 0; i < d->ngaps; i++) {
			double a = tl_chart_clampd(d->gaps[i].start_us / US_PER_DAY, xa.lo, xa.hi);
			double b = tl_chart_clampd(d->gaps[i].end_us / US_PER_DAY, xa.lo, xa.hi);
			double xg0 = tl_chart_amap(&xa, a), xg1 = tl_chart_amap(&xa, b);
			if (xg1 - xg0 < 1.5 && b > a) {
				xg0 = (xg0 + xg1) / 2 - 0.75;
				xg1 = xg0 + 1.5;
			}
			tl_chart_hatch_rect(p, xg0, y0, xg1 - xg0, y1 - y0);
		}
		for (size_t i = 0; i < d->nwindows; i++) {
			double a = d->windows[i].start_us / US_PER_DAY;
			double b = d->windows[i].end_us / US_PER_DAY;
			if (a >= xa.lo && a <= xa.hi)
				tl_chart_line(p, tl_chart_amap(&xa, a), y0, tl_chart_amap(&xa, a),
					      y1, C_WINDOW_EDGE, 0.6);
			if (b >= xa.lo && b <= xa.hi && b > a)
				tl_chart_line(p, tl_chart_amap(&xa, b), y0, tl_chart_amap(&xa, b),
					      y1, C_WINDOW_EDGE, 0.6);
		}
		for (size_t i = 0; i < nlab; i++)
			if (lab_row[i] >= 0)
				tl_chart_put_text(p, d->windows[i].label, lab_x[i],
						  band_y + lab_row[i] * rowh + ls * CAP_H + 1, ls,
						  TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
		tl_chart_draw_x_axis(p, &xa, &xt, y1, y1);
	} else {
		tl_chart_no_data(p, left, y0, right, y1);
	}
	tl_chart_draw_y_title(p, d->y_title, (y0 + y1) / 2);
	char xtitle[64] = "Date (UTC)";
	if (!empty) {
		int64_t ya0, ya1;
		unsigned m, dd;
		tl_civil_from_days(d->first_day, &ya0, &m, &dd);
		tl_civil_from_days(d->first_day + (int64_t)d->ndays - 1, &ya1, &m, &dd);
		if (ya0 == ya1)
			tl_chart_fmt_into(xtitle, sizeof(xtitle), "Date (UTC, %lld)",
					  (long long)ya0);
		else
			tl_chart_fmt_into(xtitle, sizeof(xtitle), "Date (UTC, %lld" EN_DASH "%lld)",
					  (long long)ya0, (long long)ya1);
	}
	tl_chart_draw_bottom(p, o, y1, 1, xtitle, (left + right) / 2);
	*out = tl_chart_pen_close(p);
	return TL_OK;
}

