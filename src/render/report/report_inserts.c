/* report_inserts.c - the report's tables and charts (the template's @insert names), selected
 * from the findings model and formatted with layout.h's number and date formats. Nothing
 * here is estimated from evidence: every figure is a value of the model; the only
 * arithmetic is placing the model's own values on a chart (bin edges, day indices). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/fmt.h"
#include "render/report/report.h"
#include "util/error.h"
#include "util/idna.h"
#include "util/time.h"
#include "util/xmalloc.h"

#define LANG (&tl_lang_en)
#define US_PER_DAY 86400000000LL
#define DEFAULT_WIDTH 480.0
#define BASELINE_ROWS 20 /* baseline names listed after the target's row */

/* ---- small text helpers ------------------------------------------------------------- */

/* Takes the buffer's text (empty string when nothing was written) and resets the buffer. */
static char *take(tl_buf_t *b)
{
	char *s = b->data ? b->data : tl_xstrdup("");
	tl_buf_init(b);
	return s;
}

/* A DNS name as shown: "U-label (A-label)" for an internationalised name (util/idna.h),
 * else the name as it is. */
static void put_dname(tl_buf_t *b, const char *name)
{
	tl_idna_display(name, strlen(name), b);
}

static char *dname(const char *name)
{
	tl_buf_t b;
	tl_buf_init(&b);
	put_dname(&b, name);
	return take(&b);
}

static char *fmt_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_str(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return tl_xstrdup("");
	char *s = tl_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void put_time(tl_buf_t *b, int64_t us, int style)
{
	tl_fmt_time(b, us, style, LANG);
}

static void put_level(tl_buf_t *b, double alpha)
{
	tl_fmt_level(b, 1.0 - alpha, LANG);
}

/* Where a record is in the evidence: "sensor3 #55825" (frame or line). */
static void put_ref(tl_buf_t *b, const char *label, uint64_t pos)
{
	tl_buf_printf(b, "%s #%llu", label ? label : "?", (unsigned long long)pos);
}

static const char *rcode_name(unsigned rc)
{
	switch (rc) {
	case 2:
		return "SERVFAIL";
	case 3:
		return "NXDOMAIN";
	default:
		return NULL;
	}
}

/* ---- table building ------------------------------------------------------------------ */

typedef struct tbuild {
	tl_insert_table_t *t;
	size_t cap; /* cells allocated */
	size_t n;   /* cells written */
} tbuild_t;

/* Column spec: kind, width value, min, max, overflow, alignment. */
static tl_table_col_t col(int kind, double value, double min, int align)
{
	tl_table_col_t c;
	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.value = value;
	c.min = min;
	c.max = 0;
	c.overflow = TL_CELL_WRAP;
	c.max_lines = 0;
	c.align = align;
	return c;
}

static void tb_begin(tbuild_t *tb, tl_insert_t *in, size_t ncols)
{
	in->kind = TL_INSERT_TABLE;
	tb->t = &in->table;
	tb->t->ncols = ncols;
	tb->t->nrows = 0;
	tb->t->cols = tl_xcalloc(ncols, sizeof(tl_table_col_t));
	tb->t->head = tl_xcalloc(ncols, sizeof(char *));
	tb->t->cells = NULL;
	tb->cap = 0;
	tb->n = 0;
}

static void tb_head(tbuild_t *tb, size_t i, const char *text, tl_table_col_t c)
{
	tb->t->cols[i] = c;
	tb->t->head[i] = tl_xstrdup(text);
}

/* Appends one body cell (row-major); owns s. */
static void tb_cell(tbuild_t *tb, char *s)
{
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 64;
		tb->t->cells = tl_xrealloc(tb->t->cells, tb->cap * sizeof(char *));
	}
	tb->t->cells[tb->n++] = s;
	tb->t->nrows = tb->n / tb->t->ncols;
}

static void tb_text(tbuild_t *tb, const char *s)
{
	tb_cell(tb, tl_xstrdup(s ? s : ""));
}

static void tb_buf(tbuild_t *tb, tl_buf_t *b)
{
	tb_cell(tb, take(b));
}

static void tb_uint(tbuild_t *tb, uint64_t v)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_uint(&b, v, LANG);
	tb_buf(tb, &b);
}

static void tb_time(tbuild_t *tb, int64_t us, int style)
{
	tl_buf_t b;
	tl_buf_init(&b);
	put_time(&b, us, style);
	tb_buf(tb, &b);
}

/* ---- chart helpers ------------------------------------------------------------------- */

static void chart_opts(const tl_insert_ctx_t *ctx, double height, tl_chart_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	double w = ctx && ctx->width > 0 ? ctx->width : DEFAULT_WIDTH;
	if (w < TL_CHART_MIN_SIZE)
		w = TL_CHART_MIN_SIZE;
	if (w > TL_CHART_MAX_SIZE)
		w = TL_CHART_MAX_SIZE;
	if (height < TL_CHART_MIN_SIZE)
		height = TL_CHART_MIN_SIZE;
	if (height > TL_CHART_MAX_SIZE)
		height = TL_CHART_MAX_SIZE;
	o->width = w;
	o->height = height;
	o->font_size = 0;
	/* The insert carries the title and the caption; the assembler sets them. */
	o->title = NULL;
	o->caption = NULL;
	o->measure = ctx ? ctx->measure : NULL;
	o->measure_ctx = ctx ? ctx->measure_ud : NULL;
}

static int chart_done(int rc, tl_chart_t *c, tl_insert_t *out, const char *name, char *err,
		      size_t errlen)
{
	if (rc != TL_OK) {
		snprintf(err, errlen, "%s: the chart cannot be drawn at this size or with this data (%s)",
			 name, tl_strerror(rc));
		return rc;
	}
	out->kind = TL_INSERT_CHART;
	out->chart = c;
	return TL_OK;
}

/* Series of the daily chart and colours of the organisations: the first
 * TL_CHART_MAX_SERIES - 1 organisations get their own colour when there are more than
 * TL_CHART_MAX_SERIES; the rest share "Other" (grey, the palette's last colour). */
static size_t org_series(const tl_profile_model_t *p, int *folded)
{
	if (p->n_orgs <= TL_CHART_MAX_SERIES) {
		*folded = 0;
		return p->n_orgs;
	}
	*folded = 1;
	return TL_CHART_MAX_SERIES;
}

static int org_colour(const tl_profile_model_t *p, size_t i)
{
	int folded;
	size_t ns = org_series(p, &folded);
	if (folded && i >= ns - 1)
		return TL_CHART_MAX_SERIES - 1;
	return (int)i;
}

/* ---- table.quality ------------------------------------------------------------------- */

static void put_drops(tl_buf_t *b, int if_known, uint64_t if_drops, int os_known,
		      uint64_t os_drops)
{
	if (!if_known && !os_known) {
		tl_buf_puts(b, "not recorded");
		return;
	}
	if (if_known) {
		tl_buf_puts(b, "interface ");
		tl_fmt_uint(b, if_drops, LANG);
	}
	if (os_known) {
		tl_buf_puts(b, if_known ? "; operating system " : "operating system ");
		tl_fmt_uint(b, os_drops, LANG);
	}
}

static int ins_quality(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_quality_model_t *q = &f->quality;
	tbuild_t tb;
	tb_begin(&tb, out, 8);
	tb_head(&tb, 0, "Input (sensor)", col(TL_COL_PROP, 1.4, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 1, "DNS messages", col(TL_COL_FIT, 0, 40, TL_ALIGN_RIGHT));
	tb_head(&tb, 2, "Time resolution", col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tb_head(&tb, 3, "Out of order", col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tb_head(&tb, 4, "Truncated answers (TC)", col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tb_head(&tb, 5, "Unanswered queries", col(TL_COL_FIT, 0, 40, TL_ALIGN_RIGHT));
	tb_head(&tb, 6, "Dropped by capture", col(TL_COL_PROP, 1, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 7, "Malformed (kinds)", col(TL_COL_PROP, 1.6, 60, TL_ALIGN_LEFT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		const char *sensor = in->sensor < q->n_sensors ? q->sensors[in->sensor].name : NULL;
		tl_buf_puts(&b, in->label ? in->label : "?");
		if (sensor && (!in->label || strcmp(sensor, in->label) != 0))
			tl_buf_printf(&b, " (%s)", sensor);
		tb_buf(&tb, &b);
		tb_uint(&tb, in->records);
		if (in->resolution_us > 0)
			tl_fmt_duration(&b, in->resolution_us, LANG);
		else
			tl_buf_puts(&b, LANG->na);
		tb_buf(&tb, &b);
		tb_uint(&tb, in->order_regressions);
		tb_uint(&tb, in->truncated);
		tb_uint(&tb, in->unanswered);
		put_drops(&b, in->if_drops_known, in->if_drops, in->os_drops_known, in->os_drops);
		tb_buf(&tb, &b);
		tl_fmt_uint(&b, in->malformed, LANG);
		for (size_t k = 0; k < in->n_anomalies; k++) {
			tl_buf_puts(&b, k ? ", " : ": ");
			tl_buf_printf(&b, "%s ", in->anomalies[k].kind);
			tl_fmt_uint(&b, in->anomalies[k].count, LANG);
		}
		tb_buf(&tb, &b);
	}
	/* The model's totals over all inputs. */
	tb_text(&tb, "All inputs");
	tb_uint(&tb, q->records);
	tb_text(&tb, "");
	tb_text(&tb, "");
	tb_uint(&tb, q->truncated);
	tb_uint(&tb, q->unanswered);
	put_drops(&b, q->if_drops_known, q->if_drops, q->os_drops_known, q->os_drops);
	tb_buf(&tb, &b);
	tb_uint(&tb, q->malformed);
	tl_buf_free(&b);

	out->title = tl_xstrdup("Records read and problems found, by input");
	out->caption = tl_xstrdup(
		"Source: the integrity and quality findings. DNS messages: messages decoded from "
		"each input. Time resolution: the unit the timestamps are given in. Out of "
		"order: records earlier than one before them. Truncated answers: responses with the "
		"TC flag set. Unanswered queries: queries no response was matched to. Dropped by "
		"capture: as the capture file records it (pcapng statistics); \"not recorded\" "
		"means the file does not say, which is not the same as none. Malformed: records "
		"that could not be decoded, by kind. All figures are counts.");
	out->slug = tl_xstrdup("quality");
	return TL_OK;
}

/* ---- chart.daily_lookups ------------------------------------------------------------- */

static int ins_daily(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		     char *err, size_t errlen)
{
	const tl_profile_model_t *p = &f->profile;
	if (p->n_days > TL_CHART_MAX_BINS) {
		snprintf(err, errlen, "chart.daily_lookups: %zu days are more than a chart shows (%d)",
			 p->n_days, TL_CHART_MAX_BINS);
		return TL_EINVAL;
	}
	int folded;
	size_t ns = org_series(p, &folded);
	size_t nd = p->n_days;
	const char **series = tl_xcalloc(ns ? ns : 1, sizeof(char *));
	double *counts = tl_xcalloc((ns * nd) > 0 ? ns * nd : 1, sizeof(double));
	for (size_t i = 0; i < p->n_orgs; i++) {
		size_t s = (folded && i >= ns - 1) ? ns - 1 : i;
		series[s] = (folded && s == ns - 1) ? "Other" : p->orgs[i].name;
		for (size_t d = 0; d < nd && p->orgs[i].daily; d++)
			counts[s * nd + d] += (double)p->orgs[i].daily[d];
	}

	/* Event windows, numbered as in the table of events. */
	const tl_correlate_model_t *cm = &f->correlate;
	size_t nw = f->has_correlate ? cm->n_events : 0;
	tl_chart_span_t *wins = tl_xcalloc(nw ? nw : 1, sizeof(tl_chart_span_t));
	char **wlabels = tl_xcalloc(nw ? nw : 1, sizeof(char *));
	for (size_t i = 0; i < nw; i++) {
		wlabels[i] = fmt_str("%zu", i + 1);
		wins[i].start_us = cm->events[i].win_start;
		wins[i].end_us = cm->events[i].win_end;
		wins[i].label = wlabels[i];
	}
	/* Gaps: periods in which no sensor recorded data. */
	const tl_quality_model_t *q = &f->quality;
	tl_chart_span_t *gaps = tl_xcalloc(q->n_gaps ? q->n_gaps : 1, sizeof(tl_chart_span_t));
	for (size_t i = 0; i < q->n_gaps; i++) {
		gaps[i].start_us = q->gaps[i].start;
		gaps[i].end_us = q->gaps[i].end;
		gaps[i].label = NULL;
	}

	tl_chart_daily_t d;
	memset(&d, 0, sizeof(d));
	d.first_day = p->first_day;
	d.ndays = nd;
	d.nseries = ns;
	d.series = series;
	d.counts = counts;
	d.windows = wins;
	d.nwindows = nw;
	d.gaps = gaps;
	d.ngaps = q->n_gaps;
	d.y_title = "Lookups per day";
	tl_chart_opts_t o;
	chart_opts(ctx, 270, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_daily(&o, &d, &c);
	for (size_t i = 0; i < nw; i++)
		free(wlabels[i]);
	free(wlabels);
	free(wins);
	free(gaps);
	free(counts);
	free(series);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.daily_lookups", err, errlen);

	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Lookups per day by organisation");
	out->title = take(&b);
	tl_buf_puts(&b, "Source: the profile findings: de-duplicated lookups of the names under "
			"examination per UTC day, stacked by the organisation the source address is "
			"attributed to");
	if (folded)
		tl_buf_printf(&b, " (organisations after the %d most active shown together as "
				  "\"Other\")", TL_CHART_MAX_SERIES - 1);
	tl_buf_puts(&b, ". ");
	if (nw)
		tl_buf_puts(&b, "Shaded: the event windows, numbered as in the table of events. ");
	tl_buf_puts(&b, "Hatched: periods in which no sensor recorded (by what the sensors state "
			"about themselves, or by silence in their traffic longer than ");
	tl_fmt_duration(&b, q->gap_threshold_us, LANG);
	tl_buf_puts(&b, " where nothing stronger is known); no data is not zero lookups.");
	if (q->gaps_total > q->n_gaps) {
		tl_buf_puts(&b, " Only the first ");
		tl_fmt_uint(&b, q->n_gaps, LANG);
		tl_buf_puts(&b, " of ");
		tl_fmt_uint(&b, q->gaps_total, LANG);
		tl_buf_puts(&b, " gaps are listed in the findings and hatched.");
	}
	out->caption = take(&b);
	out->slug = tl_xstrdup("daily-lookups");
	return chart_done(rc, c, out, "chart.daily_lookups", err, errlen);
}

/* ---- chart.org_shares ---------------------------------------------------------------- */

static int ins_shares(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		      char *err, size_t errlen)
{
	const tl_profile_model_t *p = &f->profile;
	size_t n = p->n_orgs < TL_CHART_MAX_ROWS ? p->n_orgs : TL_CHART_MAX_ROWS;
	tl_chart_share_row_t *rows = tl_xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		rows[i].label = o->name;
		rows[i].value = o->lookups.share;
		rows[i].lo = o->lookups.lo;
		rows[i].hi = o->lookups.hi;
		rows[i].colour = org_colour(p, i);
	}
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Share of lookups (%), ");
	put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval");
	char *xt = take(&b);
	tl_chart_shares_t d = {rows, n, xt};
	tl_chart_opts_t o;
	chart_opts(ctx, 70 + 20.0 * (double)n, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_shares(&o, &d, &c);
	free(rows);
	free(xt);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.org_shares", err, errlen);
	out->title = tl_xstrdup("Share of lookups by organisation");
	tl_buf_puts(&b, "Source: the profile findings: each organisation's share of the ");
	tl_fmt_uint(&b, p->n_lookups, LANG);
	tl_buf_puts(&b, " de-duplicated lookups, with its ");
	put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval (Wilson score on the effective number of lookups, allowing "
			"for lookups clustering by UTC day; see the method). Bars: share in per cent; whiskers: "
			"the interval.");
	if (p->n_orgs > n)
		tl_buf_printf(&b, " The %d largest organisations are shown.", TL_CHART_MAX_ROWS);
	out->caption = take(&b);
	out->slug = tl_xstrdup("org-shares");
	return chart_done(rc, c, out, "chart.org_shares", err, errlen);
}

/* ---- table.organisations ------------------------------------------------------------- */

static int ins_orgs(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_profile_model_t *p = &f->profile;
	tbuild_t tb;
	tb_begin(&tb, out, 7);
	tb_head(&tb, 0, "Organisation", col(TL_COL_PROP, 1.5, 70, TL_ALIGN_LEFT));
	tb_head(&tb, 1, "Display zone", col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 2, "Sources", col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tb_head(&tb, 3, "Lookups (share, confidence interval)", col(TL_COL_PROP, 1.5, 80,
									TL_ALIGN_RIGHT));
	tb_head(&tb, 4, "First lookup", col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 5, "Last lookup", col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 6, "Active days", col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < p->n_orgs; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		tb_text(&tb, o->name);
		tl_buf_puts(&b, o->tz ? o->tz : "UTC");
		if (!o->tz_ok)
			tl_buf_puts(&b, " (not loaded)");
		tb_buf(&tb, &b);
		tb_uint(&tb, o->n_sources);
		tl_fmt_count_pct_ci(&b, o->lookups.count, o->lookups.share, o->lookups.lo,
				    o->lookups.hi, 1.0 - p->alpha, 1, LANG);
		tb_buf(&tb, &b);
		tb_time(&tb, o->first.ts, TL_DATETIME_ISO);
		tb_time(&tb, o->last.ts, TL_DATETIME_ISO);
		tb_uint(&tb, o->active_days);
	}
	out->title = tl_xstrdup("Lookups by organisation");
	tl_buf_puts(&b, "Source: the profile findings. Lookups: de-duplicated lookups of the names "
			"under examination from addresses attributed to the organisation, with the "
			"share of all ");
	tl_fmt_uint(&b, p->n_lookups, LANG);
	tl_buf_puts(&b, " and its ");
	put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval (Wilson score on the effective number of lookups, allowing "
			"for lookups clustering by UTC day; see the method). Sources: addresses with lookups. "
			"Times in UTC. Active days: UTC days with at least one lookup. Display zone: "
			"the zone the case file gives for the organisation's local times.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("organisations");
	return TL_OK;
}

/* ---- chart.hour_weekday -------------------------------------------------------------- */

#define HEATMAP_MIN_PCT 5         /* organisations with at least this share get grids */
#define HEATMAP_MAX_HEIGHT 600.0  /* points: fewer organisations beyond this */

/* Is the organisation's display zone UTC itself, so that its local grid is the UTC one? */
static int zone_is_utc(const tl_prof_org_t *o)
{
	return !o->tz || !*o->tz || strcmp(o->tz, "UTC") == 0;
}

/* Two grids per organisation: local time in its display zone, then UTC. */
static void heatmap_grids(const tl_profile_model_t *p, size_t n, tl_chart_heatmap_grid_t *g,
			  char **subs)
{
	for (size_t i = 0; i < n; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		tl_chart_heatmap_grid_t *lo = &g[2 * i], *ut = &g[2 * i + 1];
		memset(lo, 0, sizeof(*lo));
		memset(ut, 0, sizeof(*ut));
		lo->title = ut->title = o->name;
		subs[i] = fmt_str("Local time (%s)", zone_is_utc(o) ? "UTC" : o->tz);
		lo->subtitle = subs[i];
		ut->subtitle = "UTC";
		if (!o->tz_ok)
			lo->note = "Display zone could not be loaded: no local times";
		else if (zone_is_utc(o))
			lo->note = "The display zone is UTC: see the UTC grid";
		for (int w = 0; w < 7; w++)
			for (int h = 0; h < 24; h++) {
				lo->cells[w][h] = (double)o->week_local[w][h];
				ut->cells[w][h] = (double)o->week_utc[w][h];
			}
	}
}

static int ins_heatmap(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		       char *err, size_t errlen)
{
	const tl_profile_model_t *p = &f->profile;
	/* The organisations come by count, largest first: those with at least
	 * HEATMAP_MIN_PCT % of the lookups (whole numbers: no rounding at the threshold), and
	 * the most active one in any case. */
	size_t nq = 0;
	while (nq < p->n_orgs && p->orgs[nq].lookups.count * 100 >= p->n_lookups * HEATMAP_MIN_PCT)
		nq++;
	if (nq == 0 && p->n_orgs > 0)
		nq = 1;
	if (nq > TL_CHART_MAX_GRIDS / 2)
		nq = TL_CHART_MAX_GRIDS / 2;
	tl_chart_heatmap_grid_t *grids = tl_xcalloc(nq ? 2 * nq : 1, sizeof(*grids));
	char **subs = tl_xcalloc(nq ? nq : 1, sizeof(char *));
	heatmap_grids(p, nq, grids, subs);
	tl_chart_heatmaps_t d;
	memset(&d, 0, sizeof(d));
	d.grids = grids;
	d.per_row = 2;
	d.x_title = "Hour of day, in the zone named above each grid";
	d.scale_title = "Lookups";
	tl_chart_opts_t opt;
	chart_opts(ctx, 200, &opt);
	/* As many organisations as fit in HEATMAP_MAX_HEIGHT, the first ones by count. */
	size_t n = nq;
	double h = 200;
	int rc = TL_OK;
	for (; n > 0; n--) {
		d.n = 2 * n;
		rc = tl_chart_heatmaps_height(&opt, &d, &h);
		if (rc != TL_OK || h <= HEATMAP_MAX_HEIGHT || n == 1)
			break;
	}
	if (nq == 0) {
		d.n = 0;
		rc = tl_chart_heatmaps_height(&opt, &d, &h);
	}
	tl_chart_t *c = NULL;
	if (rc == TL_OK) {
		chart_opts(ctx, ceil(h), &opt);
		rc = tl_chart_heatmaps(&opt, &d, &c);
	}
	int any_utc = 0, any_unloaded = 0;
	for (size_t i = 0; i < n; i++) {
		any_unloaded |= !p->orgs[i].tz_ok;
		any_utc |= p->orgs[i].tz_ok && zone_is_utc(&p->orgs[i]);
	}
	for (size_t i = 0; i < nq; i++)
		free(subs[i]);
	free(subs);
	free(grids);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.hour_weekday", err, errlen);

	tl_buf_t b;
	tl_buf_init(&b);
	out->title = tl_xstrdup("Lookups by hour of day and weekday, by organisation: local time "
				"and UTC");
	tl_buf_puts(&b, "Source: the profile findings: de-duplicated lookups of the names under "
			"examination, counted by weekday and hour of day, for ");
	if (p->n_orgs == 0) {
		tl_buf_puts(&b, "each organisation (there are none).");
	} else {
		tl_buf_printf(&b, "each organisation with at least %d%% of the ", HEATMAP_MIN_PCT);
		tl_fmt_uint(&b, p->n_lookups, LANG);
		tl_buf_puts(&b, " lookups (the most active organisation in any case), in order of "
				"lookups: ");
		tl_fmt_uint(&b, n, LANG);
		tl_buf_puts(&b, " of ");
		tl_fmt_uint(&b, p->n_orgs, LANG);
		tl_buf_puts(&b, p->n_orgs == 1 ? " organisation." : " organisations.");
		if (n < nq) {
			tl_buf_puts(&b, " Left out for want of space: ");
			tl_fmt_uint(&b, nq - n, LANG);
			tl_buf_puts(&b, nq - n == 1 ? " further organisation" : " further organisations");
			tl_buf_printf(&b, " with at least %d%% of the lookups (listed in the table of "
					  "organisations).", HEATMAP_MIN_PCT);
		}
		tl_buf_puts(&b, " For each organisation the first grid shows local clock time in the "
				"display zone the case file gives for it (the zone's rules, with any "
				"daylight-saving changes), the second UTC.");
		if (any_utc)
			tl_buf_puts(&b, " Where the display zone is UTC, local time and UTC are the "
					"same and only the UTC grid is drawn.");
		if (any_unloaded)
			tl_buf_puts(&b, " Where the display zone could not be loaded there are no "
					"local times; the UTC grid is complete.");
	}
	tl_buf_puts(&b, " Colour: number of lookups in one hour of one weekday over the whole "
			"period, on one scale for all grids; darker is more.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("hour-weekday");
	return chart_done(rc, c, out, "chart.hour_weekday", err, errlen);
}

/* ---- chart.interarrival -------------------------------------------------------------- */

static int ins_interarrival(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
			    char *err, size_t errlen)
{
	const tl_resolver_model_t *r = &f->resolver;
	size_t n = r->bins.n <= TL_RES_MAX_BINS ? r->bins.n : TL_RES_MAX_BINS;
	double edges[TL_RES_MAX_BINS + 1];
	double counts[TL_RES_MAX_BINS];
	int open_first = 0;
	for (size_t i = 0; i < n; i++) {
		edges[i] = (double)r->bins.lower_s[i];
		counts[i] = (double)r->hist[i];
	}
	if (n) {
		/* A log axis has no 0: the first bin, from 0 s, is drawn from a tenth of its
		 * upper edge; the last bin, unbounded above, is drawn one decade wide. The
		 * caption says so. */
		if (!(edges[0] > 0)) {
			edges[0] = n >= 2 && edges[1] > 0 ? edges[1] / 10.0 : 0.1;
			open_first = 1;
		}
		edges[n] = edges[n - 1] * 10.0;
	}
	tl_buf_t b;
	tl_buf_init(&b);
	char *ref_label = NULL;
	double ref = NAN;
	if (r->ttl_s > 0) {
		ref = (double)r->ttl_s;
		tl_buf_puts(&b, "TTL ");
		tl_fmt_int(&b, r->ttl_s, LANG);
		tl_buf_puts(&b, " s");
		ref_label = take(&b);
	}
	tl_chart_histogram_t d = {edges, counts, n, 1, ref, ref_label,
				  "Time between lookups of one name and type from one address (s, log scale)",
				  "Intervals"};
	tl_chart_opts_t o;
	chart_opts(ctx, 220, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_histogram(&o, &d, &c);
	free(ref_label);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.interarrival", err, errlen);
	out->title = tl_xstrdup("Time between repeated lookups of the same name and type from the "
				"same address");
	tl_buf_puts(&b, "Source: the resolver behaviour findings: the ");
	tl_fmt_uint(&b, r->iat.n, LANG);
	tl_buf_puts(&b, " intervals between consecutive de-duplicated lookups of the same name and "
			"type from the same source address, all sources together, in the model's "
			"bins; bar height: number of intervals in the bin (bins differ in width).");
	if (r->ttl_s > 0 && r->classes.spans_gap > 0) {
		tl_buf_puts(&b, " Left out: ");
		tl_fmt_uint(&b, r->classes.spans_gap, LANG);
		tl_buf_puts(&b, r->classes.spans_gap == 1 ? " interval that contains"
							  : " intervals that contain");
		tl_buf_puts(&b, " time when no sensor recorded anything.");
	}
	if (r->ttl_s > 0) {
		tl_buf_puts(&b, " Line: the time-to-live of the answers, ");
		tl_fmt_duration(&b, r->ttl_s * 1000000, LANG);
		tl_buf_printf(&b, " (taken from the %s).",
			      r->ttl_method && strcmp(r->ttl_method, "case") == 0 ? "case file"
										   : "answers");
		if (r->classes.negative > 0) {
			tl_buf_puts(&b, " ");
			tl_fmt_uint(&b, r->classes.negative, LANG);
			tl_buf_puts(&b, r->classes.negative == 1 ? " interval follows" : " intervals follow");
			tl_buf_puts(&b, " an answer that the name did not exist or had no record of the "
					"type asked; they are judged against that answer's time-to-live, ");
			tl_fmt_duration(&b, (int64_t)r->neg_ttl_min_s * 1000000, LANG);
			if (r->neg_ttl_max_s != r->neg_ttl_min_s) {
				tl_buf_puts(&b, " to ");
				tl_fmt_duration(&b, (int64_t)r->neg_ttl_max_s * 1000000, LANG);
			}
			tl_buf_puts(&b, ", not the line.");
		}
	} else {
		tl_buf_puts(&b, " The time-to-live is not known.");
	}
	if (n) {
		if (open_first) {
			tl_buf_puts(&b, " The first bar holds every interval shorter than ");
			tl_fmt_int(&b, r->bins.n >= 2 ? r->bins.lower_s[1] : 0, LANG);
			tl_buf_puts(&b, " s;");
		}
		tl_buf_puts(&b, " the last bar holds every interval of ");
		tl_fmt_int(&b, r->bins.lower_s[n - 1], LANG);
		tl_buf_puts(&b, " s or more");
		if (r->iat.n) {
			tl_buf_puts(&b, " (longest: ");
			tl_fmt_duration(&b, (int64_t)llround(r->iat.max_s * 1e6), LANG);
			tl_buf_puts(&b, ")");
		}
		tl_buf_puts(&b, ".");
	}
	out->caption = take(&b);
	out->slug = tl_xstrdup("interarrival");
	return chart_done(rc, c, out, "chart.interarrival", err, errlen);
}

/* ---- table.baseline ------------------------------------------------------------------ */

static const char *group_name(int g)
{
	switch (g) {
	case TL_BASELINE_GROUP_TARGET_IP:
		return "shares an address with the target";
	case TL_BASELINE_GROUP_ZONE:
		return "same zone as a target name";
	default:
		return "other";
	}
}

/* The largest entity: a named organisation, or "unattributed address A" (each unattributed
 * address is an entity of its own in the baselines). */
static void bl_org(tl_buf_t *b, const tl_baseline_model_t *m, const tl_baseline_measures_t *x)
{
	if (x->lookups == 0) {
		tl_buf_puts(b, LANG->na);
	} else if (x->top_org < m->n_orgs) {
		tl_buf_puts(b, m->org_names[x->top_org]);
	} else {
		char a[TL_ADDR_STR_LEN];
		tl_addr_format(&x->top_org_addr, a);
		tl_buf_puts(b, "unattributed address ");
		tl_buf_puts(b, a);
	}
}

static void bl_row(tbuild_t *tb, const tl_baseline_model_t *m, const char *name,
		   const char *group, const tl_baseline_measures_t *x)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tb_text(tb, name);
	tb_text(tb, group);
	tb_uint(tb, x->lookups);
	tb_uint(tb, x->n_sources);
	bl_org(&b, m, x);
	tb_buf(tb, &b);
	tl_fmt_pct(&b, x->top_org_share, 1, LANG);
	tb_buf(tb, &b);
	tl_fmt_pct(&b, x->top_source_share, 1, LANG);
	tb_buf(tb, &b);
	tl_fmt_fixed(&b, x->org_hhi, 3, LANG);
	tb_buf(tb, &b);
}

/* "from 63.3% to 100.0%" for a percentile range. */
static void pct_range(tl_buf_t *b, double lo, double hi)
{
	tl_buf_puts(b, "from ");
	tl_fmt_pct(b, lo, 1, LANG);
	tl_buf_puts(b, " to ");
	tl_fmt_pct(b, hi, 1, LANG);
}

static int ins_baseline(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_baseline_model_t *m = &f->baseline;
	int raw = m->counting == TL_BASELINE_COUNT_RAW;
	tbuild_t tb;
	tb_begin(&tb, out, 8);
	tb_head(&tb, 0, "Name", col(TL_COL_PROP, 2, 90, TL_ALIGN_LEFT));
	tb_head(&tb, 1, "Group", col(TL_COL_PROP, 1, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 2, raw ? "Sightings" : "Lookups", col(TL_COL_FIT, 0, 42, TL_ALIGN_RIGHT));
	tb_head(&tb, 3, "Sources", col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tb_head(&tb, 4, "Most active organisation", col(TL_COL_PROP, 1.3, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 5, "Its share", col(TL_COL_FIT, 0, 32, TL_ALIGN_RIGHT));
	tb_head(&tb, 6, "Top source share", col(TL_COL_FIT, 0, 32, TL_ALIGN_RIGHT));
	tb_head(&tb, 7, "Organisation HHI", col(TL_COL_FIT, 0, 32, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	if (m->has_target) {
		tl_buf_puts(&b, "Names under examination (");
		tl_fmt_uint(&b, m->target.n_names_seen, LANG);
		tl_buf_puts(&b, m->target.n_names_seen == 1 ? " name seen, together)"
							    : " names seen, together)");
		char *label = take(&b);
		bl_row(&tb, m, label, "under examination", &m->target.m);
		free(label);
	}
	size_t shown = m->n_names < BASELINE_ROWS ? m->n_names : BASELINE_ROWS;
	for (size_t i = 0; i < shown; i++) {
		char *name = dname(m->names[i].name);
		bl_row(&tb, m, name, group_name(m->names[i].group), &m->names[i].m);
		free(name);
	}

	out->title = tl_xstrdup("Concentration of lookups compared with other names");
	if (raw) {
		tl_buf_puts(&b, "Source: the baseline findings. Counts are raw sightings (query "
				"records; a lookup seen by two sensors counts twice, for every name "
				"alike): the evidence held more sightings than are kept for "
				"de-duplication. ");
	} else {
		tl_buf_puts(&b, "Source: the baseline findings. Counts are lookups, de-duplicated "
				"across sensors by the same rule as everywhere in this report, for "
				"every name alike (");
		tl_fmt_uint(&b, m->lookups_counted, LANG);
		tl_buf_puts(&b, " lookups from ");
		tl_fmt_uint(&b, m->records_counted, LANG);
		tl_buf_puts(&b, " query records). ");
	}
	tl_buf_puts(&b, "Each address without an attributed organisation counts as an "
			"organisation of its own; such addresses are never pooled. Its share: "
			"the most active organisation's share of the lookups; top source share: "
			"that of the most active address; organisation HHI: the sum of the squared "
			"organisation shares (1 = one organisation only). ");
	if (m->n_excluded > 0) {
		tl_buf_puts(&b, "Left out of the comparison because the same users may stand "
				"behind them: ");
		tl_fmt_uint(&b, m->n_excluded, LANG);
		tl_buf_puts(&b, m->n_excluded == 1 ? " name (" : " names (");
		size_t nx = m->n_excluded < BASELINE_ROWS ? m->n_excluded : BASELINE_ROWS;
		for (size_t i = 0; i < nx; i++) {
			char *name = dname(m->excluded[i].name);
			if (i)
				tl_buf_puts(&b, ", ");
			tl_buf_puts(&b, name);
			tl_buf_puts(&b, m->excluded[i].reason == TL_BASELINE_EXCL_SUCCESSOR
						? ": a successor of a name under examination"
						: ": resolved to an address of a name under examination");
			free(name);
		}
		if (nx < m->n_excluded) {
			tl_buf_puts(&b, ", and ");
			tl_fmt_uint(&b, m->n_excluded - nx, LANG);
			tl_buf_puts(&b, " more in the findings file");
		}
		tl_buf_puts(&b, "). ");
	}
	if (m->has_target) {
		tl_buf_puts(&b, "Percentile rank of the names under examination among the ");
		tl_fmt_uint(&b, m->n_names, LANG);
		tl_buf_puts(&b, " names with at least ");
		tl_fmt_uint(&b, m->min_lookups, LANG);
		tl_buf_puts(&b, raw ? " sightings" : " lookups");
		tl_buf_puts(&b, " (the share of names with a smaller value, ties counted "
				"half): share of the most active organisation ");
		tl_fmt_pct(&b, m->target.rank_top_org_share, 1, LANG);
		tl_buf_puts(&b, ", top source share ");
		tl_fmt_pct(&b, m->target.rank_top_source_share, 1, LANG);
		tl_buf_puts(&b, ", organisation HHI ");
		tl_fmt_pct(&b, m->target.rank_org_hhi, 1, LANG);
		tl_buf_puts(&b, ". ");
		const tl_baseline_interval_t *io = &m->target.ci_top_org_share;
		if (!isnan(io->lo) && m->n_names > 0) {
			tl_buf_puts(&b, "Stability: when the ");
			tl_fmt_uint(&b, m->bootstrap_days, LANG);
			tl_buf_puts(&b, m->bootstrap_days == 1 ? " UTC day" : " UTC days");
			tl_buf_puts(&b, " with lookups of the names under examination are resampled ("
					"bootstrap, ");
			tl_fmt_uint(&b, m->bootstrap_reps, LANG);
			tl_buf_puts(&b, " replicates, seed ");
			tl_buf_u64(&b, m->bootstrap_seed);
			tl_buf_puts(&b, "), the ");
			tl_fmt_level(&b, 1.0 - m->alpha, LANG);
			tl_buf_puts(&b, " range of the most active organisation's share is ");
			pct_range(&b, io->lo, io->hi);
			tl_buf_puts(&b, ", and its percentile rank ranges ");
			pct_range(&b, io->rank_lo, io->rank_hi);
			tl_buf_puts(&b, "; for the top source share the rank ranges ");
			pct_range(&b, m->target.ci_top_source_share.rank_lo,
				  m->target.ci_top_source_share.rank_hi);
			tl_buf_puts(&b, " (the names compared held fixed). ");
		}
	}
	if (m->n_names > shown) {
		tl_buf_puts(&b, "The first ");
		tl_fmt_uint(&b, shown, LANG);
		tl_buf_puts(&b, " of ");
		tl_fmt_uint(&b, m->n_names, LANG);
		tl_buf_puts(&b, " names are listed; ");
	} else {
		tl_buf_puts(&b, "Names are listed ");
	}
	tl_buf_puts(&b, "names in the same zone as a name under examination first, then others, "
			"each group by lookups. The findings file lists all.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("baseline");
	return TL_OK;
}

/* ---- chart.event_effects, chart.permutation_null, table.events ----------------------- */

static const char *status_text(int s)
{
	switch (s) {
	case TL_CORRELATE_TESTABLE:
		return "tested";
	case TL_CORRELATE_NO_COVERAGE:
		return "not tested: no data in the window";
	case TL_CORRELATE_NO_BASELINE:
		return "not tested: no lookups in the reference";
	case TL_CORRELATE_SPANS_CHANGE:
		return "not tested: the window spans a change of regime";
	case TL_CORRELATE_FEW_REFERENCE:
		return "not tested: too few comparable weeks";
	case TL_CORRELATE_NO_DISPERSION:
		return "not tested: too few placebo windows";
	default:
		return "not tested";
	}
}

static const char *correction_name(int c)
{
	return c == TL_CORRELATE_BH ? "Benjamini-Hochberg" : "Holm";
}

static int ins_forest(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		      char *err, size_t errlen)
{
	const tl_correlate_model_t *m = &f->correlate;
	size_t n = f->has_correlate ? m->n_events : 0;
	if (n > TL_CHART_MAX_ROWS)
		n = TL_CHART_MAX_ROWS;
	tl_chart_forest_row_t *rows = tl_xcalloc(n ? n : 1, sizeof(*rows));
	char **labels = tl_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		const char *label = t->event < m->n_events ? m->events[t->event].label : "?";
		labels[i] = fmt_str("%zu. %s", (size_t)t->event + 1, label);
		rows[i].label = labels[i];
		rows[i].ratio = t->rr;
		rows[i].lo = t->rr_lo;
		rows[i].hi = t->rr_hi;
	}
	double level = f->has_correlate ? m->ci_level : TL_CORRELATE_CI_LEVEL;
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Ratio (");
	tl_fmt_level(&b, level, LANG);
	tl_buf_puts(&b, " CI)");
	char *vt = take(&b);
	tl_chart_forest_t d = {rows, n, "Standardised rate ratio (log scale)", vt};
	tl_chart_opts_t o;
	chart_opts(ctx, n ? 80 + 18.0 * (double)n : 120, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_forest(&o, &d, &c);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(rows);
	free(vt);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.event_effects", err, errlen);
	out->title = tl_xstrdup("Lookups around events: standardised rate ratios");
	tl_buf_puts(&b, "Source: the event findings: for each event, the lookups inside its window "
			"divided by the number expected from comparable weeks (the same hours of the "
			"week in local time, in the same regime, within the reference weeks around it), with "
			"the ");
	tl_fmt_level(&b, level, LANG);
	tl_buf_puts(&b, " confidence interval, which allows for the variation measured in placebo "
			"windows and for the error of the expected count; it is not adjusted for "
			"testing several events. A ratio of 1 (dashed line) means as "
			"many lookups as expected; 2 means twice as many. Events are numbered as in "
			"the table of events; a row without a ratio could not be tested or has no "
			"lookups in its window (see the table).");
	out->caption = take(&b);
	out->slug = tl_xstrdup("event-effects");
	return chart_done(rc, c, out, "chart.event_effects", err, errlen);
}

static int ins_null(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		    char *err, size_t errlen)
{
	const tl_correlate_perm_t *pm = &f->correlate.perm;
	int done = f->has_correlate && pm->done;
	double edges[TL_CORRELATE_HIST_BINS + 1];
	double counts[TL_CORRELATE_HIST_BINS];
	size_t n = 0;
	if (done && isfinite(pm->null_min) && isfinite(pm->null_max)) {
		if (pm->null_max > pm->null_min) {
			/* The model's 20 equal bins over [min, max]. */
			n = TL_CORRELATE_HIST_BINS;
			for (size_t i = 0; i <= n; i++)
				edges[i] = pm->null_min +
					   (pm->null_max - pm->null_min) * (double)i / (double)n;
			for (size_t i = 0; i < n; i++)
				counts[i] = (double)pm->hist[i];
		} else {
			/* min = max: every statistic in bin 0, drawn as one narrow bar. */
			double h = fabs(pm->null_min) * 0.01 + 1e-6;
			n = 1;
			edges[0] = pm->null_min - h;
			edges[1] = pm->null_min + h;
			counts[0] = (double)pm->hist[0];
		}
	}
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Observed ");
	tl_fmt_fixed(&b, pm->in_rate, 2, LANG);
	char *rl = take(&b);
	tl_chart_histogram_t d = {edges, counts, n, 0, done ? pm->in_rate : NAN, rl,
				  "Lookups per covered hour inside the event windows",
				  pm->exact ? "Arrangements" : "Random arrangements"};
	tl_chart_opts_t o;
	chart_opts(ctx, 200, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_null(&o, &d, &c);
	free(rl);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.permutation_null", err, errlen);
	out->title = tl_xstrdup("Permutation test over all events");
	if (!f->has_correlate) {
		tl_buf_puts(&b, "The case names no events file: no permutation test was made.");
	} else if (!done) {
		tl_buf_puts(&b, "Source: the event findings. The permutation test was not made (");
		switch (pm->reason) {
		case TL_CORRELATE_PERM_SHORT_SPAN:
			tl_buf_puts(&b, "the data span is shorter than one week");
			break;
		case TL_CORRELATE_PERM_NO_EVENT:
			tl_buf_puts(&b, "no event window lies in the data span");
			break;
		case TL_CORRELATE_PERM_NO_COVERED:
			tl_buf_puts(&b, "the event windows hold no time with data");
			break;
		default:
			tl_buf_puts(&b, "see the findings file");
			break;
		}
		tl_buf_puts(&b, ").");
	} else {
		tl_buf_puts(&b, "Source: the event findings: the rate of lookups (per covered hour) "
				"inside the union of the event windows, under ");
		tl_fmt_uint(&b, pm->n, LANG);
		tl_buf_puts(&b, pm->exact ? " arrangements (all of them)" : " random arrangements");
		tl_buf_puts(&b, " in which each event is moved by its own whole number of weeks "
				"within its regime (seed ");
		tl_buf_u64(&b, pm->seed);
		tl_buf_puts(&b, "); bar height: number of arrangements. Line: the observed rate, ");
		tl_fmt_fixed(&b, pm->in_rate, 2, LANG);
		tl_buf_puts(&b, " lookups per hour; ");
		tl_fmt_uint(&b, pm->n_ge, LANG);
		tl_buf_puts(&b, pm->n_ge == 1 ? " arrangement reaches it or more (p-value "
					      : " arrangements reach it or more (p-value ");
		tl_fmt_p(&b, pm->p, 4, LANG);
		tl_buf_puts(&b, ").");
	}
	out->caption = take(&b);
	out->slug = tl_xstrdup("permutation-null");
	return chart_done(rc, c, out, "chart.permutation_null", err, errlen);
}

static int ins_events(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_correlate_model_t *m = &f->correlate;
	size_t n = f->has_correlate ? m->n_events : 0;
	int corr = f->has_correlate ? m->settings.correction : TL_CORRELATE_HOLM;
	double level = f->has_correlate ? m->ci_level : TL_CORRELATE_CI_LEVEL;
	tl_buf_t b;
	tl_buf_init(&b);
	tbuild_t tb;
	tb_begin(&tb, out, 8);
	tb_head(&tb, 0, "#", col(TL_COL_FIT, 0, 24, TL_ALIGN_RIGHT));
	tb_head(&tb, 1, "Event and window (UTC)", col(TL_COL_PROP, 1, 90, TL_ALIGN_LEFT));
	tb_head(&tb, 2, "Observed", col(TL_COL_FIT, 0, 50, TL_ALIGN_RIGHT));
	tb_head(&tb, 3, "Expected", col(TL_COL_FIT, 0, 50, TL_ALIGN_RIGHT));
	tl_buf_puts(&b, "Rate ratio (");
	tl_fmt_level(&b, level, LANG);
	tl_buf_puts(&b, " CI)");
	char *h = take(&b);
	tb_head(&tb, 4, h, col(TL_COL_FIT, 0, 50, TL_ALIGN_RIGHT));
	free(h);
	tb_head(&tb, 5, "p (one-sided)", col(TL_COL_FIT, 0, 44, TL_ALIGN_RIGHT));
	h = fmt_str("Adjusted p (%s)", correction_name(corr));
	tb_head(&tb, 6, h, col(TL_COL_FIT, 0, 48, TL_ALIGN_RIGHT));
	free(h);
	/* "yes"/"no" for a test; for an event that could not be tested, why not */
	tb_head(&tb, 7, "Significant", col(TL_COL_PROP, 0.6, 64, TL_ALIGN_LEFT));
	for (size_t i = 0; i < n; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		const tl_correlate_event_t *e = t->event < m->n_events ? &m->events[t->event] : NULL;
		tb_cell(&tb, fmt_str("%zu", (size_t)t->event + 1));
		if (e) {
			tl_buf_puts(&b, e->label);
			tl_buf_puts(&b, "\n");
			put_time(&b, e->win_start, TL_DATETIME_ISO);
			tl_buf_puts(&b, " to ");
			put_time(&b, e->win_end, TL_DATETIME_ISO);
		}
		tb_buf(&tb, &b);
		tb_uint(&tb, t->observed);
		tl_fmt_fixed(&b, t->expected, 1, LANG);
		tb_buf(&tb, &b);
		if (t->status == TL_CORRELATE_TESTABLE) {
			tl_fmt_ratio_ci(&b, t->rr, t->rr_lo, t->rr_hi, level, 2, LANG);
			tb_buf(&tb, &b);
			tl_fmt_p(&b, t->p, 4, LANG);
			tb_buf(&tb, &b);
			tl_fmt_p(&b, corr == TL_CORRELATE_BH ? t->p_bh : t->p_holm, 4, LANG);
			tb_buf(&tb, &b);
			tb_text(&tb, t->significant ? "yes" : "no");
		} else {
			for (int k = 0; k < 3; k++)
				tb_text(&tb, LANG->na);
			tb_text(&tb, status_text(t->status));
		}
	}
	out->title = tl_xstrdup("Lookups around each event");
	if (!f->has_correlate) {
		tl_buf_puts(&b, "The case names no events file: no event was tested.");
	} else {
		tl_buf_puts(&b, "Source: the event findings. Observed: de-duplicated lookups inside the "
				"window; expected: the number comparable weeks predict (the same hours "
				"of the week in local time, in the same regime, within the reference weeks around "
				"the window) for the same time with data; rate ratio: observed divided by "
				"expected, with its ");
		tl_fmt_level(&b, level, LANG);
		tl_buf_puts(&b, " confidence interval (allowing for the variation measured in placebo "
				"windows and the error of the expected count; not adjusted for several "
				"events). p: the chance of at least the observed count if the rate were "
				"as expected (a rise was the pre-registered question), the larger of the "
				"value with every source and without the source contributing most. "
				"Adjusted p: ");
		tl_buf_puts(&b, correction_name(corr));
		tl_buf_puts(&b, " correction over the ");
		tl_fmt_uint(&b, m->n_testable, LANG);
		tl_buf_puts(&b, " tested events. Significant: adjusted p below ");
		tl_fmt_fixed(&b, m->settings.alpha, 2, LANG);
		tl_buf_puts(&b, ".");
	}
	out->caption = take(&b);
	out->slug = tl_xstrdup("events");
	return TL_OK;
}

/* ---- chart.name_timeline ------------------------------------------------------------- */

static size_t find_name(const tl_names_model_t *m, const char *name)
{
	for (size_t i = 0; i < m->n_names; i++)
		if (strcmp(m->names[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* Earliest response that carried an address for the name (the model's bindings). */
static int64_t first_resolved(const tl_names_model_t *m, const char *name)
{
	int64_t t = TL_TIME_NONE;
	for (size_t a = 0; a < m->n_addrs; a++)
		for (size_t k = 0; k < m->addrs[a].n_names; k++) {
			const tl_names_binding_t *bd = &m->addrs[a].names[k];
			if (strcmp(bd->name, name) == 0 && (t == TL_TIME_NONE || bd->first.ts < t))
				t = bd->first.ts;
		}
	return t;
}

typedef struct tl_row_data {
	tl_chart_span_t res, nx;
	int64_t fq;
} row_data_t;

static int ins_timeline(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
			char *err, size_t errlen)
{
	const tl_names_model_t *m = &f->names;
	/* Rows: the target's names that succeed no other target name (model order), each
	 * followed by its successors (breadth first), then target names left (a cycle). */
	size_t *idx = tl_xcalloc(m->n_names ? m->n_names : 1, sizeof(size_t));
	unsigned char *listed = tl_xcalloc(m->n_names ? m->n_names : 1, 1);
	unsigned char *succ = tl_xcalloc(m->n_names ? m->n_names : 1, 1);
	size_t n = 0;
	for (size_t i = 0; i < m->n_names; i++)
		if (m->names[i].target)
			for (size_t s = 0; s < m->names[i].n_successors; s++) {
				size_t j = find_name(m, m->names[i].successors[s].name);
				if (j != SIZE_MAX && j != i)
					succ[j] = 1;
			}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m->n_names; i++) {
			if (!m->names[i].target || listed[i] || (pass == 0 && succ[i]))
				continue;
			size_t r = n;
			idx[n++] = i;
			listed[i] = 1;
			for (; r < n; r++) {
				const tl_names_name_t *nm = &m->names[idx[r]];
				for (size_t s = 0; s < nm->n_successors; s++) {
					size_t j = find_name(m, nm->successors[s].name);
					if (j != SIZE_MAX && !listed[j]) {
						idx[n++] = j;
						listed[j] = 1;
					}
				}
			}
		}
	free(listed);
	free(succ);
	if (n > TL_CHART_MAX_ROWS)
		n = TL_CHART_MAX_ROWS;
	tl_chart_name_row_t *rows = tl_xcalloc(n ? n : 1, sizeof(*rows));
	row_data_t *rd = tl_xcalloc(n ? n : 1, sizeof(*rd));
	char **labels = tl_xcalloc(n ? n : 1, sizeof(char *));
	size_t successors_more = 0;
	for (size_t r = 0; r < n; r++) {
		const tl_names_name_t *nm = &m->names[idx[r]];
		labels[r] = dname(nm->name);
		rows[r].name = labels[r];
		rows[r].successor = -1;
		if (nm->has_success) {
			int64_t t0 = first_resolved(m, nm->name);
			if (t0 == TL_TIME_NONE || t0 > nm->last_success.ts)
				t0 = nm->first_seen;
			rd[r].res.start_us = t0;
			rd[r].res.end_us = nm->last_success.ts;
			rows[r].resolving = &rd[r].res;
			rows[r].nresolving = 1;
		}
		if (nm->has_failure_after && nm->last_seen >= nm->failure_after.ts) {
			rd[r].nx.start_us = nm->failure_after.ts;
			rd[r].nx.end_us = nm->last_seen;
			rows[r].nxdomain = &rd[r].nx;
			rows[r].nnxdomain = 1;
		}
		if (nm->has_first_query) {
			rd[r].fq = nm->first_query.ts;
			rows[r].first_query_us = &rd[r].fq;
			rows[r].nfirst = 1;
		}
		if (nm->n_successors) {
			size_t j = find_name(m, nm->successors[0].name);
			for (size_t k = 0; k < n; k++)
				if (idx[k] == j) {
					rows[r].successor = (int)k;
					rows[r].successor_us = nm->successors[0].first.ts;
				}
			successors_more += nm->n_successors - 1;
		}
	}
	tl_chart_timeline_t d = {rows, n, f->quality.span_start, f->quality.span_end};
	tl_chart_opts_t o;
	chart_opts(ctx, 72 + 26.0 * (double)n, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_timeline(&o, &d, &c);
	for (size_t r = 0; r < n; r++)
		free(labels[r]);
	free(labels);
	free(rows);
	free(rd);
	free(idx);
	if (rc != TL_OK)
		return chart_done(rc, c, out, "chart.name_timeline", err, errlen);
	out->title = tl_xstrdup("Lifecycle of the names under examination");
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Source: the names findings, over the whole data span (UTC). Solid bar: from "
			"the first answer giving the name an address to the last successful answer. "
			"Open bar: from the first failure after that (NXDOMAIN or SERVFAIL) to the "
			"last message for the name. Diamond: the first lookup seen. Arrow: the first "
			"answer giving a successor name one of the name's addresses after it stopped "
			"resolving.");
	if (successors_more)
		tl_buf_puts(&b, " Only the earliest successor of each name is drawn; the table of "
				"names lists all.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("name-timeline");
	return chart_done(rc, c, out, "chart.name_timeline", err, errlen);
}

/* ---- table.manifest ------------------------------------------------------------------ */

static int ins_manifest(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_ctx_t *x = &f->ctx;
	tbuild_t tb;
	tb_begin(&tb, out, 7);
	tb_head(&tb, 0, "Label", col(TL_COL_FIT, 0, 40, TL_ALIGN_LEFT));
	tb_head(&tb, 1, "Path as given", col(TL_COL_PROP, 1, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 2, "Format", col(TL_COL_FIT, 0, 36, TL_ALIGN_LEFT));
	tb_head(&tb, 3, "Size (bytes)", col(TL_COL_FIT, 0, 40, TL_ALIGN_RIGHT));
	/* The hash on a line of its own below the row, whole, so that a text search finds it
	 * (64 digits are wider than any column could be). */
	tl_table_col_t hash = col(TL_COL_FIT, 0, 0, TL_ALIGN_LEFT);
	hash.span = TL_SPAN_BELOW;
	tb_head(&tb, 4, "SHA-256", hash);
	tb_head(&tb, 5, "First and last record (UTC)", col(TL_COL_FIT, 0, 70, TL_ALIGN_LEFT));
	tb_head(&tb, 6, "DNS messages", col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < x->n_inputs; i++) {
		const tl_ctx_input_t *in = &x->inputs[i];
		tb_text(&tb, in->label);
		tb_text(&tb, in->path);
		tl_buf_puts(&b, tl_format_name(in->info.format));
		if (in->info.gzip)
			tl_buf_puts(&b, ", gzip");
		tb_buf(&tb, &b);
		tb_uint(&tb, in->info.size);
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(in->info.sha256, hex);
		tb_text(&tb, hex);
		put_time(&b, in->info.stats.first_ts, TL_DATETIME_ISO_SEC);
		tl_buf_puts(&b, "\n");
		put_time(&b, in->info.stats.last_ts, TL_DATETIME_ISO_SEC);
		tb_buf(&tb, &b);
		tb_uint(&tb, in->info.stats.messages);
	}
	out->title = tl_xstrdup("Input manifest");
	tl_buf_puts(&b, "Source: the inputs as read. Size: bytes of the file as stored (compressed "
			"files as compressed). SHA-256: of exactly those bytes, in full, on the line "
			"below the file's other details. First and last "
			"record: times as recorded in the file, before any clock correction. DNS "
			"messages: messages decoded.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("manifest");
	return TL_OK;
}

/* ---- table.sources ------------------------------------------------------------------- */

static int ins_sources(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_profile_model_t *p = &f->profile;
	tbuild_t tb;
	tb_begin(&tb, out, 8);
	tb_head(&tb, 0, "Source address", col(TL_COL_PROP, 1.2, 72, TL_ALIGN_LEFT));
	tb_head(&tb, 1, "Organisation", col(TL_COL_PROP, 1.2, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 2, "Network", col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 3, "Lookups", col(TL_COL_FIT, 0, 38, TL_ALIGN_RIGHT));
	/* room for "39.1% (95% CI" on one line at the smaller sizes the table may take */
	tb_head(&tb, 4, "Share (confidence interval)", col(TL_COL_FIT, 0, 66, TL_ALIGN_RIGHT));
	tb_head(&tb, 5, "First lookup", col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 6, "Last lookup", col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tb_head(&tb, 7, "Active days", col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < p->n_sources; i++) {
		const tl_prof_source_t *s = &p->sources[i];
		const tl_ctx_source_t *cs = s->source < f->ctx.n_sources ? &f->ctx.sources[s->source]
									 : NULL;
		tl_buf_puts(&b, s->addr_text);
		if (cs && cs->ptr && *cs->ptr) {
			tl_buf_puts(&b, "\n");
			put_dname(&b, cs->ptr);
		}
		tb_buf(&tb, &b);
		tb_text(&tb, s->org_name);
		const tl_findings_source_t *a =
			f->source_attr && s->source < f->ctx.n_sources ? &f->source_attr[s->source] : NULL;
		if (a && a->network && *a->network)
			tl_buf_puts(&b, a->network);
		else
			tl_buf_puts(&b, "none");
		if (a && a->has_asn)
			tl_buf_printf(&b, "\nAS%lu", (unsigned long)a->asn);
		tb_buf(&tb, &b);
		tb_uint(&tb, s->lookups.count);
		tl_fmt_pct_ci(&b, s->lookups.share, s->lookups.lo, s->lookups.hi, 1.0 - p->alpha, 1,
			      LANG);
		tb_buf(&tb, &b);
		tb_time(&tb, s->first.ts, TL_DATETIME_ISO);
		tb_time(&tb, s->last.ts, TL_DATETIME_ISO);
		tb_uint(&tb, s->active_days);
	}
	out->title = tl_xstrdup("Lookups by source address");
	tl_buf_puts(&b, "Source: the profile and attribution findings: every address that looked up "
			"the names under examination, with the organisation and network it is "
			"attributed to (a name seen in a PTR answer below the address), its "
			"de-duplicated lookups and their share of all ");
	tl_fmt_uint(&b, p->n_lookups, LANG);
	tl_buf_puts(&b, " with the ");
	put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval (Wilson score on the effective number of lookups, allowing "
			"for lookups clustering by UTC day; see the method). Times in UTC. Active days: UTC days "
			"with at least one lookup.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("sources");
	return TL_OK;
}

/* ---- table.names --------------------------------------------------------------------- */

static void put_when(tl_buf_t *b, const tl_names_ref_t *r)
{
	put_time(b, r->ts, TL_DATETIME_ISO_SEC);
	tl_buf_puts(b, "\n");
	put_ref(b, r->file, r->pos);
}

static int ins_names(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_names_model_t *m = &f->names;
	tbuild_t tb;
	tb_begin(&tb, out, 6);
	/* Each name leads its row on a line of its own: the five columns of times and
	 * references beside a name column would leave too little room for either. */
	tl_table_col_t name = col(TL_COL_FIT, 0, 0, TL_ALIGN_LEFT);
	name.span = TL_SPAN_ABOVE;
	tb_head(&tb, 0, "Name", name);
	tb_head(&tb, 1, "First and last message", col(TL_COL_FIT, 0, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 2, "Last successful answer", col(TL_COL_FIT, 0, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 3, "First failure after it", col(TL_COL_FIT, 0, 60, TL_ALIGN_LEFT));
	tb_head(&tb, 4, "First lookup seen", col(TL_COL_PROP, 1, 100, TL_ALIGN_LEFT));
	tb_head(&tb, 5, "Successor names", col(TL_COL_PROP, 1, 60, TL_ALIGN_LEFT));
	tl_buf_t b;
	tl_buf_init(&b);
	char addr[TL_ADDR_STR_LEN];
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		put_dname(&b, nm->name);
		if (nm->target)
			tl_buf_puts(&b, " (under examination)");
		else if (m->filtered)
			tl_buf_puts(&b, " (shares an address)");
		tb_buf(&tb, &b);
		put_time(&b, nm->first_seen, TL_DATETIME_ISO_SEC);
		tl_buf_puts(&b, "\n");
		put_time(&b, nm->last_seen, TL_DATETIME_ISO_SEC);
		tb_buf(&tb, &b);
		if (nm->has_success)
			put_when(&b, &nm->last_success);
		else
			tl_buf_puts(&b, "none");
		tb_buf(&tb, &b);
		if (nm->has_failure_after) {
			const char *rn = rcode_name(nm->failure_rcode);
			if (rn)
				tl_buf_printf(&b, "%s, ", rn);
			else
				tl_buf_printf(&b, "rcode %u, ", (unsigned)nm->failure_rcode);
			put_when(&b, &nm->failure_after);
			if (!nm->failure_exact)
				tl_buf_puts(&b, "\n(may be earlier: not every failure was kept)");
		} else {
			tl_buf_puts(&b, "none");
		}
		tb_buf(&tb, &b);
		if (nm->has_first_query) {
			tl_addr_format(&nm->querier, addr);
			tl_buf_puts(&b, addr);
			if (nm->querier_org)
				tl_buf_printf(&b, " (%s)", nm->querier_org);
			tl_buf_puts(&b, "\n");
			put_when(&b, &nm->first_query);
		} else {
			tl_buf_puts(&b, "none");
		}
		tb_buf(&tb, &b);
		for (size_t s = 0; s < nm->n_successors; s++) {
			if (s)
				tl_buf_puts(&b, "\n");
			put_dname(&b, nm->successors[s].name);
			tl_buf_puts(&b, " from ");
			put_time(&b, nm->successors[s].first.ts, TL_DATETIME_ISO);
		}
		if (!nm->n_successors)
			tl_buf_puts(&b, "none");
		tb_buf(&tb, &b);
	}
	out->title = tl_xstrdup("Names of interest");
	tl_buf_puts(&b, m->filtered ? "Source: the names findings: the names under examination "
				      "and the names that shared an address with them."
				    : "Source: the names findings: every name seen.");
	tl_buf_puts(&b, " Times in UTC. \"#n\" after an input "
			"label is the frame (captures) or line (logs) of the record in that input. "
			"Successor names: names first seen with one of the name's addresses after its "
			"last successful answer.");
	out->caption = take(&b);
	out->slug = tl_xstrdup("names");
	return TL_OK;
}

/* ---- dispatch ------------------------------------------------------------------------ */

static const char *const insert_names[] = {
	"table.quality",   "chart.daily_lookups", "chart.org_shares",
	"table.organisations", "chart.hour_weekday", "chart.interarrival",
	"table.baseline",  "chart.event_effects", "chart.permutation_null",
	"table.events",    "chart.name_timeline", "table.manifest",
	"table.sources",   "table.names",         NULL,
};

_Static_assert(sizeof(insert_names) / sizeof(insert_names[0]) <= TL_REPORT_MAX_INSERTS + 1,
	       "more inserts than TL_REPORT_MAX_INSERTS");

const char *const *tl_report_insert_names(void)
{
	return insert_names;
}

int tl_report_insert(const tl_findings_t *f, const char *name, const tl_insert_ctx_t *ctx,
		     tl_insert_t *out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	char dummy[8];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (!f || !name || !out) {
		snprintf(err, errlen, "insert: no findings, name or output");
		return TL_EINVAL;
	}
	tl_insert_t in;
	memset(&in, 0, sizeof(in));
	int rc;
	if (strcmp(name, "table.quality") == 0)
		rc = ins_quality(f, &in);
	else if (strcmp(name, "chart.daily_lookups") == 0)
		rc = ins_daily(f, ctx, &in, err, errlen);
	else if (strcmp(name, "chart.org_shares") == 0)
		rc = ins_shares(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.organisations") == 0)
		rc = ins_orgs(f, &in);
	else if (strcmp(name, "chart.hour_weekday") == 0)
		rc = ins_heatmap(f, ctx, &in, err, errlen);
	else if (strcmp(name, "chart.interarrival") == 0)
		rc = ins_interarrival(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.baseline") == 0)
		rc = ins_baseline(f, &in);
	else if (strcmp(name, "chart.event_effects") == 0)
		rc = ins_forest(f, ctx, &in, err, errlen);
	else if (strcmp(name, "chart.permutation_null") == 0)
		rc = ins_null(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.events") == 0)
		rc = ins_events(f, &in);
	else if (strcmp(name, "chart.name_timeline") == 0)
		rc = ins_timeline(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.manifest") == 0)
		rc = ins_manifest(f, &in);
	else if (strcmp(name, "table.sources") == 0)
		rc = ins_sources(f, &in);
	else if (strcmp(name, "table.names") == 0)
		rc = ins_names(f, &in);
	else {
		snprintf(err, errlen, "unknown insert \"%s\"", name);
		return TL_ENOENT;
	}
	if (rc != TL_OK) {
		tl_insert_free(&in);
		return rc;
	}
	*out = in;
	return TL_OK;
}

void tl_insert_free(tl_insert_t *in)
{
	if (!in)
		return;
	free(in->title);
	free(in->caption);
	free(in->slug);
	tl_insert_table_t *t = &in->table;
	if (t->head)
		for (size_t i = 0; i < t->ncols; i++)
			free(t->head[i]);
	free(t->head);
	if (t->cells)
		for (size_t i = 0; i < t->nrows * t->ncols; i++)
			free(t->cells[i]);
	free(t->cells);
	free(t->cols);
	tl_chart_free(in->chart);
	memset(in, 0, sizeof(*in));
}
