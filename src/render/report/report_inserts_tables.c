/* report_inserts_tables.c - the table inserts: data quality, organisations, the baseline,
 * events, the manifest, the sources and the names, each row a value of the model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report/report_inserts_impl.h"
#include "util/error.h"
#include "util/idna.h"
#include "util/time.h"
#include "util/xmalloc.h"

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

int tl_insert_quality(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_quality_model_t *q = &f->quality;
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 8);
	tl_insert_tb_head(&tb, 0, "Input (sensor)",
			  tl_insert_col(TL_COL_PROP, 1.4, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 1, "DNS messages", tl_insert_col(TL_COL_FIT, 0, 40, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 2, "Time resolution",
			  tl_insert_col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 3, "Out of order", tl_insert_col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 4, "Truncated answers (TC)",
			  tl_insert_col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 5, "Unanswered queries",
			  tl_insert_col(TL_COL_FIT, 0, 40, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 6, "Dropped by capture",
			  tl_insert_col(TL_COL_PROP, 1, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 7, "Malformed (kinds)",
			  tl_insert_col(TL_COL_PROP, 1.6, 60, TL_ALIGN_LEFT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		const char *sensor = in->sensor < q->n_sensors ? q->sensors[in->sensor].name : NULL;
		tl_buf_puts(&b, in->label ? in->label : "?");
		if (sensor && (!in->label || strcmp(sensor, in->label) != 0))
			tl_buf_printf(&b, " (%s)", sensor);
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, in->records);
		if (in->resolution_us > 0)
			tl_fmt_duration(&b, in->resolution_us, LANG);
		else
			tl_buf_puts(&b, LANG->na);
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, in->order_regressions);
		tl_insert_tb_uint(&tb, in->truncated);
		tl_insert_tb_uint(&tb, in->unanswered);
		put_drops(&b, in->if_drops_known, in->if_drops, in->os_drops_known, in->os_drops);
		tl_insert_tb_buf(&tb, &b);
		tl_fmt_uint(&b, in->malformed, LANG);
		for (size_t k = 0; k < in->n_anomalies; k++) {
			tl_buf_puts(&b, k ? ", " : ": ");
			tl_buf_printf(&b, "%s ", in->anomalies[k].kind);
			tl_fmt_uint(&b, in->anomalies[k].count, LANG);
		}
		tl_insert_tb_buf(&tb, &b);
	}
	/* The model's totals over all inputs. */
	tl_insert_tb_text(&tb, "All inputs");
	tl_insert_tb_uint(&tb, q->records);
	tl_insert_tb_text(&tb, "");
	tl_insert_tb_text(&tb, "");
	tl_insert_tb_uint(&tb, q->truncated);
	tl_insert_tb_uint(&tb, q->unanswered);
	put_drops(&b, q->if_drops_known, q->if_drops, q->os_drops_known, q->os_drops);
	tl_insert_tb_buf(&tb, &b);
	tl_insert_tb_uint(&tb, q->malformed);
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

/* ---- table.organisations ------------------------------------------------------------- */

int tl_insert_orgs(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_profile_model_t *p = &f->profile;
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 7);
	tl_insert_tb_head(&tb, 0, "Organisation",
			  tl_insert_col(TL_COL_PROP, 1.5, 70, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 1, "Display zone", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 2, "Sources", tl_insert_col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 3, "Lookups (share, confidence interval)",
			  tl_insert_col(TL_COL_PROP, 1.5, 80, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 4, "First lookup", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 5, "Last lookup", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 6, "Active days", tl_insert_col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < p->n_orgs; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		tl_insert_tb_text(&tb, o->name);
		tl_buf_puts(&b, o->tz ? o->tz : "UTC");
		if (!o->tz_ok)
			tl_buf_puts(&b, " (not loaded)");
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, o->n_sources);
		tl_fmt_count_pct_ci(&b, o->lookups.count, o->lookups.share, o->lookups.lo,
				    o->lookups.hi, 1.0 - p->alpha, 1, LANG);
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_time(&tb, o->first.ts, TL_DATETIME_ISO);
		tl_insert_tb_time(&tb, o->last.ts, TL_DATETIME_ISO);
		tl_insert_tb_uint(&tb, o->active_days);
	}
	out->title = tl_xstrdup("Lookups by organisation");
	tl_buf_puts(&b, "Source: the profile findings. Lookups: de-duplicated lookups of the names "
			"under examination from addresses attributed to the organisation, with the "
			"share of all ");
	tl_fmt_uint(&b, p->n_lookups, LANG);
	tl_buf_puts(&b, " and its ");
	tl_insert_put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval (Wilson score on the effective number of lookups, allowing "
			"for lookups clustering by UTC day; see the method). Sources: addresses with lookups. "
			"Times in UTC. Active days: UTC days with at least one lookup. Display zone: "
			"the zone the case file gives for the organisation's local times.");
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("organisations");
	return TL_OK;
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
	tl_insert_tb_text(tb, name);
	tl_insert_tb_text(tb, group);
	tl_insert_tb_uint(tb, x->lookups);
	tl_insert_tb_uint(tb, x->n_sources);
	bl_org(&b, m, x);
	tl_insert_tb_buf(tb, &b);
	tl_fmt_pct(&b, x->top_org_share, 1, LANG);
	tl_insert_tb_buf(tb, &b);
	tl_fmt_pct(&b, x->top_source_share, 1, LANG);
	tl_insert_tb_buf(tb, &b);
	tl_fmt_fixed(&b, x->org_hhi, 3, LANG);
	tl_insert_tb_buf(tb, &b);
}

/* "from 63.3% to 100.0%" for a percentile range. */
static void pct_range(tl_buf_t *b, double lo, double hi)
{
	tl_buf_puts(b, "from ");
	tl_fmt_pct(b, lo, 1, LANG);
	tl_buf_puts(b, " to ");
	tl_fmt_pct(b, hi, 1, LANG);
}

int tl_insert_baseline(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_baseline_model_t *m = &f->baseline;
	int raw = m->counting == TL_BASELINE_COUNT_RAW;
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 8);
	tl_insert_tb_head(&tb, 0, "Name", tl_insert_col(TL_COL_PROP, 2, 90, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 1, "Group", tl_insert_col(TL_COL_PROP, 1, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 2, raw ? "Sightings" : "Lookups",
			  tl_insert_col(TL_COL_FIT, 0, 42, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 3, "Sources", tl_insert_col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 4, "Most active organisation",
			  tl_insert_col(TL_COL_PROP, 1.3, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 5, "Its share", tl_insert_col(TL_COL_FIT, 0, 32, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 6, "Top source share",
			  tl_insert_col(TL_COL_FIT, 0, 32, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 7, "Organisation HHI",
			  tl_insert_col(TL_COL_FIT, 0, 32, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	if (m->has_target) {
		tl_buf_puts(&b, "Names under examination (");
		tl_fmt_uint(&b, m->target.n_names_seen, LANG);
		tl_buf_puts(&b, m->target.n_names_seen == 1 ? " name seen, together)"
							    : " names seen, together)");
		char *label = tl_insert_take(&b);
		bl_row(&tb, m, label, "under examination", &m->target.m);
		free(label);
	}
	size_t shown = m->n_names < BASELINE_ROWS ? m->n_names : BASELINE_ROWS;
	for (size_t i = 0; i < shown; i++) {
		char *name = tl_insert_dname(m->names[i].name);
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
			char *name = tl_insert_dname(m->excluded[i].name);
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
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("baseline");
	return TL_OK;
}

int tl_insert_events(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_correlate_model_t *m = &f->correlate;
	size_t n = f->has_correlate ? m->n_events : 0;
	int corr = f->has_correlate ? m->settings.correction : TL_CORRELATE_HOLM;
	double level = f->has_correlate ? m->ci_level : TL_CORRELATE_CI_LEVEL;
	tl_buf_t b;
	tl_buf_init(&b);
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 8);
	tl_insert_tb_head(&tb, 0, "#", tl_insert_col(TL_COL_FIT, 0, 24, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 1, "Event and window (UTC)",
			  tl_insert_col(TL_COL_PROP, 1, 90, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 2, "Observed", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 3, "Expected", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_RIGHT));
	tl_buf_puts(&b, "Rate ratio (");
	tl_fmt_level(&b, level, LANG);
	tl_buf_puts(&b, " CI)");
	char *h = tl_insert_take(&b);
	tl_insert_tb_head(&tb, 4, h, tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_RIGHT));
	free(h);
	tl_insert_tb_head(&tb, 5, "p (one-sided)",
			  tl_insert_col(TL_COL_FIT, 0, 44, TL_ALIGN_RIGHT));
	h = tl_insert_fmt_str("Adjusted p (%s)", tl_insert_correction_name(corr));
	tl_insert_tb_head(&tb, 6, h, tl_insert_col(TL_COL_FIT, 0, 48, TL_ALIGN_RIGHT));
	free(h);
	/* "yes"/"no" for a test; for an event that could not be tested, why not */
	tl_insert_tb_head(&tb, 7, "Significant",
			  tl_insert_col(TL_COL_PROP, 0.6, 64, TL_ALIGN_LEFT));
	for (size_t i = 0; i < n; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		const tl_correlate_event_t *e = t->event < m->n_events ? &m->events[t->event] : NULL;
		tl_insert_tb_cell(&tb, tl_insert_fmt_str("%zu", (size_t)t->event + 1));
		if (e) {
			tl_buf_puts(&b, e->label);
			tl_buf_puts(&b, "\n");
			tl_insert_put_time(&b, e->win_start, TL_DATETIME_ISO);
			tl_buf_puts(&b, " to ");
			tl_insert_put_time(&b, e->win_end, TL_DATETIME_ISO);
		}
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, t->observed);
		tl_fmt_fixed(&b, t->expected, 1, LANG);
		tl_insert_tb_buf(&tb, &b);
		if (t->status == TL_CORRELATE_TESTABLE) {
			tl_fmt_ratio_ci(&b, t->rr, t->rr_lo, t->rr_hi, level, 2, LANG);
			tl_insert_tb_buf(&tb, &b);
			tl_fmt_p(&b, t->p, 4, LANG);
			tl_insert_tb_buf(&tb, &b);
			tl_fmt_p(&b, corr == TL_CORRELATE_BH ? t->p_bh : t->p_holm, 4, LANG);
			tl_insert_tb_buf(&tb, &b);
			tl_insert_tb_text(&tb, t->significant ? "yes" : "no");
		} else {
			for (int k = 0; k < 3; k++)
				tl_insert_tb_text(&tb, LANG->na);
			tl_insert_tb_text(&tb, tl_insert_status_text(t->status));
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
		tl_buf_puts(&b, tl_insert_correction_name(corr));
		tl_buf_puts(&b, " correction over the ");
		tl_fmt_uint(&b, m->n_testable, LANG);
		tl_buf_puts(&b, " tested events. Significant: adjusted p below ");
		tl_fmt_fixed(&b, m->settings.alpha, 2, LANG);
		tl_buf_puts(&b, ".");
	}
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("events");
	return TL_OK;
}

/* ---- table.manifest ------------------------------------------------------------------ */

int tl_insert_manifest(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_ctx_t *x = &f->ctx;
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 7);
	tl_insert_tb_head(&tb, 0, "Label", tl_insert_col(TL_COL_FIT, 0, 40, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 1, "Path as given",
			  tl_insert_col(TL_COL_PROP, 1, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 2, "Format", tl_insert_col(TL_COL_FIT, 0, 36, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 3, "Size (bytes)", tl_insert_col(TL_COL_FIT, 0, 40, TL_ALIGN_RIGHT));
	/* The hash on a line of its own below the row, whole, so that a text search finds it
	 * (64 digits are wider than any column could be). */
	tl_table_col_t hash = tl_insert_col(TL_COL_FIT, 0, 0, TL_ALIGN_LEFT);
	hash.span = TL_SPAN_BELOW;
	tl_insert_tb_head(&tb, 4, "SHA-256", hash);
	tl_insert_tb_head(&tb, 5, "First and last record (UTC)",
			  tl_insert_col(TL_COL_FIT, 0, 70, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 6, "DNS messages", tl_insert_col(TL_COL_FIT, 0, 36, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < x->n_inputs; i++) {
		const tl_ctx_input_t *in = &x->inputs[i];
		tl_insert_tb_text(&tb, in->label);
		tl_insert_tb_text(&tb, in->path);
		tl_buf_puts(&b, tl_format_name(in->info.format));
		if (in->info.gzip)
			tl_buf_puts(&b, ", gzip");
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, in->info.size);
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(in->info.sha256, hex);
		tl_insert_tb_text(&tb, hex);
		tl_insert_put_time(&b, in->info.stats.first_ts, TL_DATETIME_ISO_SEC);
		tl_buf_puts(&b, "\n");
		tl_insert_put_time(&b, in->info.stats.last_ts, TL_DATETIME_ISO_SEC);
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, in->info.stats.messages);
	}
	out->title = tl_xstrdup("Input manifest");
	tl_buf_puts(&b, "Source: the inputs as read. Size: bytes of the file as stored (compressed "
			"files as compressed). SHA-256: of exactly those bytes, in full, on the line "
			"below the file's other details. First and last "
			"record: times as recorded in the file, before any clock correction. DNS "
			"messages: messages decoded.");
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("manifest");
	return TL_OK;
}

/* ---- table.sources ------------------------------------------------------------------- */

int tl_insert_sources(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_profile_model_t *p = &f->profile;
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 8);
	tl_insert_tb_head(&tb, 0, "Source address",
			  tl_insert_col(TL_COL_PROP, 1.2, 72, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 1, "Organisation",
			  tl_insert_col(TL_COL_PROP, 1.2, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 2, "Network", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 3, "Lookups", tl_insert_col(TL_COL_FIT, 0, 38, TL_ALIGN_RIGHT));
	/* room for "39.1% (95% CI" on one line at the smaller sizes the table may take */
	tl_insert_tb_head(&tb, 4, "Share (confidence interval)",
			  tl_insert_col(TL_COL_FIT, 0, 66, TL_ALIGN_RIGHT));
	tl_insert_tb_head(&tb, 5, "First lookup", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 6, "Last lookup", tl_insert_col(TL_COL_FIT, 0, 50, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 7, "Active days", tl_insert_col(TL_COL_FIT, 0, 30, TL_ALIGN_RIGHT));
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < p->n_sources; i++) {
		const tl_prof_source_t *s = &p->sources[i];
		const tl_ctx_source_t *cs = s->source < f->ctx.n_sources ? &f->ctx.sources[s->source]
									 : NULL;
		tl_buf_puts(&b, s->addr_text);
		if (cs && cs->ptr && *cs->ptr) {
			tl_buf_puts(&b, "\n");
			tl_insert_put_dname(&b, cs->ptr);
		}
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_text(&tb, s->org_name);
		const tl_findings_source_t *a =
			f->source_attr && s->source < f->ctx.n_sources ? &f->source_attr[s->source] : NULL;
		if (a && a->network && *a->network)
			tl_buf_puts(&b, a->network);
		else
			tl_buf_puts(&b, "none");
		if (a && a->has_asn)
			tl_buf_printf(&b, "\nAS%lu", (unsigned long)a->asn);
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_uint(&tb, s->lookups.count);
		tl_fmt_pct_ci(&b, s->lookups.share, s->lookups.lo, s->lookups.hi, 1.0 - p->alpha, 1,
			      LANG);
		tl_insert_tb_buf(&tb, &b);
		tl_insert_tb_time(&tb, s->first.ts, TL_DATETIME_ISO);
		tl_insert_tb_time(&tb, s->last.ts, TL_DATETIME_ISO);
		tl_insert_tb_uint(&tb, s->active_days);
	}
	out->title = tl_xstrdup("Lookups by source address");
	tl_buf_puts(&b, "Source: the profile and attribution findings: every address that looked up "
			"the names under examination, with the organisation and network it is "
			"attributed to (a name seen in a PTR answer below the address), its "
			"de-duplicated lookups and their share of all ");
	tl_fmt_uint(&b, p->n_lookups, LANG);
	tl_buf_puts(&b, " with the ");
	tl_insert_put_level(&b, p->alpha);
	tl_buf_puts(&b, " confidence interval (Wilson score on the effective number of lookups, allowing "
			"for lookups clustering by UTC day; see the method). Times in UTC. Active days: UTC days "
			"with at least one lookup.");
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("sources");
	return TL_OK;
}

/* ---- table.names --------------------------------------------------------------------- */

static void put_when(tl_buf_t *b, const tl_names_ref_t *r)
{
	tl_insert_put_time(b, r->ts, TL_DATETIME_ISO_SEC);
	tl_buf_puts(b, "\n");
	tl_insert_put_ref(b, r->file, r->pos);
}

int tl_insert_names(const tl_findings_t *f, tl_insert_t *out)
{
	const tl_names_model_t *m = &f->names;
	tbuild_t tb;
	tl_insert_tb_begin(&tb, out, 6);
	/* Each name leads its row on a line of its own: the five columns of times and
	 * references beside a name column would leave too little room for either. */
	tl_table_col_t name = tl_insert_col(TL_COL_FIT, 0, 0, TL_ALIGN_LEFT);
	name.span = TL_SPAN_ABOVE;
	tl_insert_tb_head(&tb, 0, "Name", name);
	tl_insert_tb_head(&tb, 1, "First and last message",
			  tl_insert_col(TL_COL_FIT, 0, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 2, "Last successful answer",
			  tl_insert_col(TL_COL_FIT, 0, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 3, "First failure after it",
			  tl_insert_col(TL_COL_FIT, 0, 60, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 4, "First lookup seen",
			  tl_insert_col(TL_COL_PROP, 1, 100, TL_ALIGN_LEFT));
	tl_insert_tb_head(&tb, 5, "Successor names",
			  tl_insert_col(TL_COL_PROP, 1, 60, TL_ALIGN_LEFT));
	tl_buf_t b;
	tl_buf_init(&b);
	char addr[TL_ADDR_STR_LEN];
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		tl_insert_put_dname(&b, nm->name);
		if (nm->target)
			tl_buf_puts(&b, " (under examination)");
		else if (m->filtered)
			tl_buf_puts(&b, " (shares an address)");
		tl_insert_tb_buf(&tb, &b);
		tl_insert_put_time(&b, nm->first_seen, TL_DATETIME_ISO_SEC);
		tl_buf_puts(&b, "\n");
		tl_insert_put_time(&b, nm->last_seen, TL_DATETIME_ISO_SEC);
		tl_insert_tb_buf(&tb, &b);
		if (nm->has_success)
			put_when(&b, &nm->last_success);
		else
			tl_buf_puts(&b, "none");
		tl_insert_tb_buf(&tb, &b);
		if (nm->has_failure_after) {
			const char *rn = tl_insert_rcode_name(nm->failure_rcode);
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
		tl_insert_tb_buf(&tb, &b);
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
		tl_insert_tb_buf(&tb, &b);
		for (size_t s = 0; s < nm->n_successors; s++) {
			if (s)
				tl_buf_puts(&b, "\n");
			tl_insert_put_dname(&b, nm->successors[s].name);
			tl_buf_puts(&b, " from ");
			tl_insert_put_time(&b, nm->successors[s].first.ts, TL_DATETIME_ISO);
		}
		if (!nm->n_successors)
			tl_buf_puts(&b, "none");
		tl_insert_tb_buf(&tb, &b);
	}
	out->title = tl_xstrdup("Names of interest");
	tl_buf_puts(&b, m->filtered ? "Source: the names findings: the names under examination "
				      "and the names that shared an address with them."
				    : "Source: the names findings: every name seen.");
	tl_buf_puts(&b, " Times in UTC. \"#n\" after an input "
			"label is the frame (captures) or line (logs) of the record in that input. "
			"Successor names: names first seen with one of the name's addresses after its "
			"last successful answer.");
	out->caption = tl_insert_take(&b);
	out->slug = tl_xstrdup("names");
	return TL_OK;
}

