/* chart_axes.c - ticks (linear, log, dates) and their labels, axes, titles and the
 * space they take around a plot. */
#include "render/chart/chart_impl.h"

/* v with `decimals` decimals, as render/fmt.h writes a chart's numbers. */
static void fmt_num(char *out, size_t cap, double v, int decimals)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_chart_num(&b, v, decimals, NULL);
	tl_chart_take(out, cap, &b);
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
	tl_chart_take(out, cap, &b);
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
		tl_chart_fmt_into(out->label[out->n], TL_CHART_TICK_LABEL, "%s%s", num,
				  percent ? "%" : "");
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

double tl_chart_amap(const axis_t *a, double v)
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

double tl_chart_clampd(double v, double lo, double hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

void tl_chart_count_ticks(double ymax, tl_chart_ticks_t *t)
{
	for (unsigned m = 6; m >= 2; m--) {
		tl_chart_ticks_linear(0, fmax(ymax, 1), m, 0, t);
		if (t->n < 2 || t->v[1] - t->v[0] >= 1)
			return;
	}
}

double tl_chart_ticks_width(pen_t *p, const tl_chart_ticks_t *t, double size)
{
	double w = 0;
	for (size_t i = 0; i < t->n; i++) {
		double m = tl_chart_measure(p, t->label[i], size, 0);
		if (m > w)
			w = m;
	}
	return w;
}

/* Do the tick labels, centred on their ticks along a horizontal axis, keep 8 pt apart? */
static int ticks_fit(pen_t *p, const tl_chart_ticks_t *t, const axis_t *a)
{
	for (size_t i = 1; i < t->n; i++) {
		double w0 = tl_chart_measure(p, t->label[i - 1], p->fs, 0);
		double w1 = tl_chart_measure(p, t->label[i], p->fs, 0);
		double gap =
		    fabs(tl_chart_amap(a, t->v[i]) - tl_chart_amap(a, t->v[i - 1])) - (w0 + w1) / 2;
		if (gap < 8)
			return 0;
	}
	return 1;
}

void tl_chart_x_ticks(pen_t *p, int kind, axis_t *a, double lo, double hi, tl_chart_ticks_t *t)
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

void tl_chart_draw_y_ticks(pen_t *p, const axis_t *a, const tl_chart_ticks_t *t, double x0,
			   double x1)
{
	for (size_t i = 0; i < t->n; i++) {
		double y = tl_chart_amap(a, t->v[i]);
		tl_chart_line(p, x0, y, x1, y, t->v[i] == 0 ? C_AXIS : C_GRID,
			      t->v[i] == 0 ? 0.7 : 0.5);
	}
	for (size_t i = 0; i < t->n; i++)
		tl_chart_put_text(p, t->label[i], x0 - 4,
				  tl_chart_amap(a, t->v[i]) + p->fs * CAP_H / 2, p->fs,
				  TL_CHART_ANCHOR_RIGHT, 0, 0, C_TEXT);
}

void tl_chart_draw_x_axis(pen_t *p, const axis_t *a, const tl_chart_ticks_t *t, double y,
			  double gy0)
{
	if (gy0 < y)
		for (size_t i = 0; i < t->n; i++)
			tl_chart_line(p, tl_chart_amap(a, t->v[i]), gy0, tl_chart_amap(a, t->v[i]),
				      y, C_GRID, 0.5);
	tl_chart_line(p, a->p0, y, a->p1, y, C_AXIS, 0.7);
	for (size_t i = 0; i < t->n; i++) {
		double x = tl_chart_amap(a, t->v[i]);
		cairo_move_to(p->cr, x, y);
		cairo_line_to(p->cr, x, y + TICK_LEN);
	}
	tl_chart_stroke(p, C_AXIS, 0.7);
	for (size_t i = 0; i < t->n; i++)
		tl_chart_put_text(p, t->label[i], tl_chart_amap(a, t->v[i]),
				  y + TICK_LEN + 2 + p->fs * CAP_H, p->fs, TL_CHART_ANCHOR_CENTRE,
				  0, 0, C_TEXT);
}

double tl_chart_bottom_space(pen_t *p, const tl_chart_opts_t *o, int xlabels, const char *xtitle)
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

void tl_chart_draw_bottom(pen_t *p, const tl_chart_opts_t *o, double plot_y1, int xlabels,
			  const char *xtitle, double xc)
{
	double y = plot_y1;
	if (xlabels)
		y += TICK_LEN + 2 + p->fs * (CAP_H + DESC) + 2;
	if (xtitle && *xtitle)
		tl_chart_put_text(p, xtitle, xc, y + p->fs * 1.45 - p->fs * DESC, p->fs,
				  TL_CHART_ANCHOR_CENTRE, 0, 0, C_TEXT);
	if (o->caption && *o->caption) {
		double cs = p->fs * 0.875;
		tl_chart_put_text_elided(p, o->caption, PAD, p->c->height - PAD - cs * DESC, cs,
					 TL_CHART_ANCHOR_LEFT, 0, C_MUTED, p->c->width - 2 * PAD);
	}
}

double tl_chart_draw_title(pen_t *p, const tl_chart_opts_t *o)
{
	double y = PAD;
	if (o->title && *o->title) {
		double ts = p->fs * 1.25;
		tl_chart_put_text_elided(p, o->title, PAD, y + ts * CAP_H, ts, TL_CHART_ANCHOR_LEFT,
					 1, C_TEXT, p->c->width - 2 * PAD);
		y += ts * (CAP_H + DESC) + p->fs * 0.8;
	}
	return y;
}

void tl_chart_draw_y_title(pen_t *p, const char *s, double yc)
{
	if (s && *s)
		tl_chart_put_text(p, s, PAD + p->fs * CAP_H, yc, p->fs, TL_CHART_ANCHOR_CENTRE, 90,
				  0, C_TEXT);
}

double tl_chart_y_title_space(pen_t *p, const char *s)
{
	return s && *s ? p->fs * (CAP_H + DESC) + 6 : 0;
}

void tl_chart_no_data(pen_t *p, double x0, double y0, double x1, double y1)
{
	cairo_rectangle(p->cr, x0, y0, x1 - x0, y1 - y0);
	tl_chart_stroke(p, C_GRID, 0.7);
	tl_chart_put_text(p, "No data", (x0 + x1) / 2, (y0 + y1) / 2 + p->fs * CAP_H / 2,
			  p->fs * 1.1, TL_CHART_ANCHOR_CENTRE, 0, 0, C_MUTED);
}

