/* report_inserts_charts.c - the chart inserts: daily lookups, organisation shares, hour x
 * weekday, inter-arrival times, event effects, the permutation null, the name timeline.
 * Each places the model's own values on a chart; nothing is estimated here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report/report_inserts_impl.h"
#include "util/error.h"
#include "util/idna.h"
#include "util/time.h"
#include "util/xmalloc.h"

/* ---- chart.daily_lookups ------------------------------------------------------------- */

int tl_insert_daily(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out, char *err,
		    size_t errlen)
{
	const tl_profile_model_t *p = &f->profile;
	if (p->n_days > TL_CHART_MAX_BINS) {
		snprintf(err, errlen, "chart.daily_lookups: %zu days are more than a chart shows (%d)",
			 p->n_days, TL_CHART_MAX_BINS);
		return TL_EINVAL;
	}
	int folded;
	size_t ns = tl_insert_org_series(p, &folded);
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
		wlabels[i] = tl_insert_fmt_str("%zu", i + 1);
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
	tl_insert_chart_opts(ctx, 270, &o);
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
		return tl_insert_chart_done(rc, c, out, "chart.daily_lookups", err, errlen);

	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Lookups per day by organisation");
	out->title = tl_insert_take(&b);
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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("daily-lookups");
	return tl_insert_chart_done(rc, c, out, "chart.daily_lookups", err, errlen);
}

/* ---- chart.org_shares ---------------------------------------------------------------- */

int tl_insert_shares(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
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
		rows[i].colour = tl_insert_org_colour(p, i);
	}
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_puts(&b, "Share of lookups (%), ");
	tl_insert_put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval");
	char *xt = tl_insert_take(&b);
	tl_chart_shares_t d = {rows, n, xt};
	tl_chart_opts_t o;
	tl_insert_chart_opts(ctx, 70 + 20.0 * (double)n, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_shares(&o, &d, &c);
	free(rows);
	free(xt);
	if (rc != TL_OK)
		return tl_insert_chart_done(rc, c, out, "chart.org_shares", err, errlen);
	out->title = tl_xstrdup("Share of lookups by organisation");
	tl_buf_puts(&b, "Source: the profile findings: each organisation's share of the ");
	tl_fmt_uint(&b, p->n_lookups, LANG);
	tl_buf_puts(&b, " de-duplicated lookups, with its ");
	tl_insert_put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval (Wilson score on the effective number of lookups, allowing "
			"for lookups clustering by UTC day; see the method). Bars: share in per cent; whiskers: "
			"the interval.");
	if (p->n_orgs > n)
		tl_buf_printf(&b, " The %d largest organisations are shown.", TL_CHART_MAX_ROWS);
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("org-shares");
	return tl_insert_chart_done(rc, c, out, "chart.org_shares", err, errlen);
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
		subs[i] = tl_insert_fmt_str("Local time (%s)", zone_is_utc(o) ? "UTC" : o->tz);
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

int tl_insert_heatmap(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
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
	tl_insert_chart_opts(ctx, 200, &opt);
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
		tl_insert_chart_opts(ctx, ceil(h), &opt);
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
		return tl_insert_chart_done(rc, c, out, "chart.hour_weekday", err, errlen);

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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("hour-weekday");
	return tl_insert_chart_done(rc, c, out, "chart.hour_weekday", err, errlen);
}

/* ---- chart.interarrival -------------------------------------------------------------- */

int tl_insert_interarrival(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
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
		ref_label = tl_insert_take(&b);
	}
	tl_chart_histogram_t d = {edges, counts, n, 1, ref, ref_label,
				  "Time between lookups of one name and type from one address (s, log scale)",
				  "Intervals"};
	tl_chart_opts_t o;
	tl_insert_chart_opts(ctx, 220, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_histogram(&o, &d, &c);
	free(ref_label);
	if (rc != TL_OK)
		return tl_insert_chart_done(rc, c, out, "chart.interarrival", err, errlen);
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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("interarrival");
	return tl_insert_chart_done(rc, c, out, "chart.interarrival", err, errlen);
}

int tl_insert_forest(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
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
		labels[i] = tl_insert_fmt_str("%zu. %s", (size_t)t->event + 1, label);
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
	char *vt = tl_insert_take(&b);
	tl_chart_forest_t d = {rows, n, "Standardised rate ratio (log scale)", vt};
	tl_chart_opts_t o;
	tl_insert_chart_opts(ctx, n ? 80 + 18.0 * (double)n : 120, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_forest(&o, &d, &c);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(rows);
	free(vt);
	if (rc != TL_OK)
		return tl_insert_chart_done(rc, c, out, "chart.event_effects", err, errlen);
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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("event-effects");
	return tl_insert_chart_done(rc, c, out, "chart.event_effects", err, errlen);
}

int tl_insert_null(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out, char *err,
		   size_t errlen)
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
	char *rl = tl_insert_take(&b);
	tl_chart_histogram_t d = {edges, counts, n, 0, done ? pm->in_rate : NAN, rl,
				  "Lookups per covered hour inside the event windows",
				  pm->exact ? "Arrangements" : "Random arrangements"};
	tl_chart_opts_t o;
	tl_insert_chart_opts(ctx, 200, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_null(&o, &d, &c);
	free(rl);
	if (rc != TL_OK)
		return tl_insert_chart_done(rc, c, out, "chart.permutation_null", err, errlen);
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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("permutation-null");
	return tl_insert_chart_done(rc, c, out, "chart.permutation_null", err, errlen);
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

int tl_insert_timeline(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
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
		labels[r] = tl_insert_dname(nm->name);
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
	tl_insert_chart_opts(ctx, 72 + 26.0 * (double)n, &o);
	tl_chart_t *c = NULL;
	int rc = tl_chart_timeline(&o, &d, &c);
	for (size_t r = 0; r < n; r++)
		free(labels[r]);
	free(labels);
	free(rows);
	free(rd);
	free(idx);
	if (rc != TL_OK)
		return tl_insert_chart_done(rc, c, out, "chart.name_timeline", err, errlen);
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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("name-timeline");
	return tl_insert_chart_done(rc, c, out, "chart.name_timeline", err, errlen);
}

