/* report_vars.c - the report template's placeholder values (templates/README.md), each
 * selected from the findings model and formatted for reading. Nothing here computes a
 * figure: counts, shares, intervals, ranks and p-values are the model's own; where the
 * model has no value for a placeholder the text says so ("not recorded") instead of
 * guessing. Times are shown in the case's display zone, with the zone named. This file: the
 * case, the evidence, the method, the data quality and the manifest; the findings' values
 * are in report_vars_findings.c. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "case/events.h"
#include "input/input.h"
#include "input/capture/net.h"
#include "render/report/report_vars_impl.h"
#include "util/error.h"
#include "util/idna.h"
#include "util/time.h"
#include "util/tz.h"

void tl_vars_put(vctx_t *x, tl_tvars_t *v, const char *key)
{
	tl_tvars_set(v, key, x->b.data ? x->b.data : "");
	tl_buf_clear(&x->b);
}

const char *tl_vars_or_empty(const char *s)
{
	return s ? s : "";
}

void tl_vars_put_name(tl_buf_t *b, const char *name)
{
	size_t n = strlen(name);
	if (n > 1 && name[n - 1] == '.')
		n--;
	tl_idna_display(name, n, b);
}

void tl_vars_put_and(tl_buf_t *b, size_t i, size_t n)
{
	if (i == 0)
		return;
	tl_buf_puts(b, i + 1 == n ? " and " : ", ");
}

void tl_vars_put_time(vctx_t *x, int64_t us)
{
	if (us == TL_TIME_NONE) {
		tl_buf_puts(&x->b, "not recorded");
		return;
	}
	tl_civil_t cv;
	if (x->utc || tl_tz_civil(x->zone, us, &cv) != TL_OK) {
		tl_fmt_time(&x->b, us, TL_DATETIME_ISO, x->L);
		return;
	}
	tl_fmt_civil(&x->b, &cv, TL_DATETIME_ISO, x->zone, x->L);
	tl_buf_puts(&x->b, " (");
	tl_fmt_time(&x->b, us, TL_DATETIME_ISO, x->L);
	tl_buf_puts(&x->b, ")");
}

void tl_vars_put_pos(vctx_t *x, uint32_t input, const char *label, uint64_t pos)
{
	const tl_ctx_t *ctx = &x->f->ctx;
	int lines = 0;
	if (input < ctx->n_inputs) {
		tl_format_t fm = ctx->inputs[input].info.format;
		lines = fm != TL_FORMAT_PCAP && fm != TL_FORMAT_PCAPNG;
		if (!label)
			label = ctx->inputs[input].label;
	}
	tl_buf_printf(&x->b, "%s, %s ", label ? label : "input", lines ? "line" : "frame");
	tl_fmt_uint(&x->b, pos, x->L);
}

/* ---- case, report, organisation, examiners ---- */

static void case_vars(vctx_t *x)
{
	const tl_case_t *c = x->c;
	tl_tvars_set(x->v, "case.title", tl_vars_or_empty(c->title));
	tl_tvars_set(x->v, "case.number", tl_vars_or_empty(c->number));
	tl_tvars_set(x->v, "case.exhibit", tl_vars_or_empty(c->exhibit));
	tl_tvars_set(x->v, "case.requester", tl_vars_or_empty(c->requester));
	/* The case file has no key for further limitations: none are stated. */
	tl_tvars_set(x->v, "case.limitations", "");

	tl_tvars_set_list(x->v, "examiners");
	for (size_t i = 0; i < c->n_examiners; i++) {
		tl_tvars_t *e = tl_tvars_add_item(x->v, "examiners");
		tl_tvars_set(e, "name", c->examiners[i]);
		tl_tvars_set(e, "role", c->examiner_role ? c->examiner_role : "role not stated");
	}

	tl_tvars_set(x->v, "org.name", tl_vars_or_empty(c->organisation));
	/* Neither a logo nor a disclaimer is in the case model: left empty (not shown). */
	tl_tvars_set(x->v, "org.logo", "");
	tl_tvars_set(x->v, "org.disclaimer", "");

	/* A date, not a time: the calendar date written in the case file (00:00 UTC). */
	if (c->has_report_date)
		tl_fmt_time(&x->b, c->report_date_us, TL_DATE_LONG, x->L);
	else
		tl_buf_puts(&x->b, NOT_RECORDED);
	tl_vars_put(x, x->v, "report.date");
	tl_fmt_uint(&x->b, c->version, x->L);
	tl_vars_put(x, x->v, "report.version");
	tl_tvars_set_bool(x->v, "report.supplemental", c->supplemental);
	tl_tvars_set(x->v, "report.supersedes", "(its ID is " NOT_RECORDED ")");
	/* The report ID is the manifest hash, which the findings do not hold; the assembler
	 * knows it (tl_report_opts_t.report_id) and replaces this value. */
	tl_tvars_set(x->v, "report.id", NOT_RECORDED);
	tl_tvars_set(x->v, "report.local_zone", x->utc ? "" : x->zone);
}

/* ---- evidence: the inputs ---- */

static void input_problems(vctx_t *x, size_t i)
{
	const tl_findings_t *f = x->f;
	const tl_ctx_input_t *ci = &f->ctx.inputs[i];
	const tl_quality_input_t *q = i < f->quality.n_inputs ? &f->quality.inputs[i] : NULL;
	size_t n = 0;
	int lines = ci->info.format != TL_FORMAT_PCAP && ci->info.format != TL_FORMAT_PCAPNG;
	if (q && q->malformed > 0) {
		tl_fmt_uint(&x->b, q->malformed, x->L);
		tl_buf_puts(&x->b, q->malformed == 1 ? " anomaly: " : " anomalies: ");
		for (size_t k = 0; k < q->n_anomalies; k++) {
			const tl_quality_anomaly_t *a = &q->anomalies[k];
			if (k)
				tl_buf_puts(&x->b, ", ");
			tl_fmt_uint(&x->b, a->count, x->L);
			tl_buf_printf(&x->b, " %s (", a->kind);
			tl_buf_puts(&x->b, lines ? (a->n_first == 1 ? "line " : "lines ")
						 : (a->n_first == 1 ? "frame " : "frames "));
			for (size_t p = 0; p < a->n_first; p++) {
				if (p)
					tl_buf_puts(&x->b, ", ");
				tl_fmt_uint(&x->b, a->first[p], x->L);
			}
			if (a->count > a->n_first)
				tl_buf_puts(&x->b, ", ...");
			tl_buf_puts(&x->b, ")");
		}
		n++;
	}
	if (q && q->order_regressions > 0) {
		tl_buf_puts(&x->b, n++ ? "; " : "");
		tl_fmt_uint(&x->b, q->order_regressions, x->L);
		tl_buf_puts(&x->b, q->order_regressions == 1
					   ? " record earlier than a record before it"
					   : " records earlier than a record before them");
	}
	if (ci->info.error[0]) {
		tl_buf_puts(&x->b, n++ ? "; " : "");
		tl_buf_puts(&x->b, "reading stopped or was limited: ");
		tl_buf_puts(&x->b, ci->info.error);
	}
	if (n == 0)
		tl_buf_puts(&x->b, "none");
}

static const tl_case_input_t *case_input(const tl_case_t *c, const char *label)
{
	for (size_t i = 0; label && i < c->n_inputs; i++)
		if (strcmp(c->inputs[i].label, label) == 0)
			return &c->inputs[i];
	return NULL;
}

/* evidence.receipt: which inputs the case file gives a hash taken at receipt for, and
 * plainly when it gives none. An input whose hash differs never reaches a report (the
 * analysis stops), so every hash given here matched. */
static void receipt_vars(vctx_t *x)
{
	const tl_ctx_t *ctx = &x->f->ctx;
	size_t n = ctx->n_inputs, with = 0;
	for (size_t i = 0; i < n; i++) {
		const tl_case_input_t *ci = case_input(x->c, ctx->inputs[i].label);
		with += ci && ci->has_sha256;
	}
	if (n > 0 && with == n) {
		tl_buf_puts(&x->b, n == 1 ? "The case file gives the SHA-256 hash taken when the "
					    "input was received, and it matched the file read."
					  : "The case file gives the SHA-256 hash taken when each input was "
					    "received; all ");
		if (n > 1) {
			tl_fmt_uint(&x->b, n, x->L);
			tl_buf_puts(&x->b, " matched the files read.");
		}
	} else if (with == 0) {
		tl_buf_puts(&x->b, "The case file gives no hash taken when the evidence was "
				   "received. The hashes below were computed when the files were "
				   "read for this report: they show whether a copy is identical to the "
				   "file examined, not whether the file examined is the file that was "
				   "received.");
	} else {
		tl_buf_puts(&x->b, "The case file gives the SHA-256 hash taken at receipt for ");
		tl_fmt_uint(&x->b, with, x->L);
		tl_buf_puts(&x->b, " of the ");
		tl_fmt_uint(&x->b, n, x->L);
		tl_buf_puts(&x->b, " inputs (");
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			const tl_case_input_t *ci = case_input(x->c, ctx->inputs[i].label);
			if (ci && ci->has_sha256) {
				tl_vars_put_and(&x->b, k++, with);
				tl_buf_puts(&x->b, ctx->inputs[i].label);
			}
		}
		tl_buf_puts(&x->b, with == 1 ? "), and it matched the file read. For "
					     : "), and each matched the file read. For ");
		k = 0;
		for (size_t i = 0; i < n; i++) {
			const tl_case_input_t *ci = case_input(x->c, ctx->inputs[i].label);
			if (!ci || !ci->has_sha256) {
				tl_vars_put_and(&x->b, k++, n - with);
				tl_buf_puts(&x->b, ctx->inputs[i].label);
			}
		}
		tl_buf_puts(&x->b, " it gives none: for "
				   "those, the hash below shows whether a copy is identical to the "
				   "file examined, not whether the file examined is the file that was "
				   "received.");
	}
	tl_vars_put(x, x->v, "evidence.receipt");
}

/* custody: each input's receipt as the case file states it; custody.stated says how
 * much of it the case file states. */
static void custody_vars(vctx_t *x)
{
	const tl_ctx_t *ctx = &x->f->ctx;
	static const char none[] = "not stated in the case file";
	size_t stated = 0, missing = 0;
	tl_tvars_set_list(x->v, "custody");
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		const tl_case_input_t *ci = case_input(x->c, in->label);
		tl_tvars_t *it = tl_tvars_add_item(x->v, "custody");
		tl_tvars_set(it, "label", tl_vars_or_empty(in->label));
		tl_tvars_set(it, "path", tl_vars_or_empty(in->path));
		const char *v[4] = {ci ? ci->received : NULL, ci ? ci->received_from : NULL,
				    ci ? ci->received_by : NULL, ci ? ci->received_how : NULL};
		static const char *const keys[4] = {"received", "received_from", "received_by",
						    "received_how"};
		for (size_t k = 0; k < 4; k++) {
			tl_tvars_set(it, keys[k], v[k] ? v[k] : none);
			stated += v[k] != NULL;
			missing += v[k] == NULL;
		}
		tl_tvars_set(it, "receipt_sha256",
			     ci && ci->has_sha256 ? ci->sha256_hex : "none given in the case file");
		missing += !(ci && ci->has_sha256);
	}
	if (stated == 0)
		tl_buf_puts(&x->b, "The case file states nothing of when, from whom or how the "
				   "evidence was received. The receipt must be documented elsewhere; "
				   "this report cannot speak for it.");
	else if (missing > 0)
		tl_buf_puts(&x->b, "Where the case file does not state a part of the receipt, the "
				   "table says so; that part must be documented elsewhere.");
	else
		tl_buf_puts(&x->b, "The case file states every part of the receipt of each input.");
	tl_vars_put(x, x->v, "custody.stated");
}

static void inputs_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_ctx_t *ctx = &f->ctx;
	receipt_vars(x);
	custody_vars(x);

	tl_tvars_set_list(x->v, "inputs");
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		const tl_input_info_t *info = &in->info;
		const tl_quality_input_t *q = i < f->quality.n_inputs ? &f->quality.inputs[i] : NULL;
		tl_tvars_t *it = tl_tvars_add_item(x->v, "inputs");
		tl_tvars_set(it, "label", tl_vars_or_empty(in->label));
		tl_tvars_set(it, "path", tl_vars_or_empty(in->path));
		tl_fmt_uint(&x->b, info->size, x->L);
		tl_buf_puts(&x->b, info->size == 1 ? " byte" : " bytes");
		if (info->gzip)
			tl_buf_puts(&x->b, " (gzip-compressed, as stored)");
		tl_vars_put(x, it, "size");
		tl_buf_puts(&x->b, tl_format_name(info->format));
		if (info->gzip)
			tl_buf_puts(&x->b, ", gzip-compressed");
		tl_vars_put(x, it, "format");
		for (size_t k = 0; k < info->stats.n_linktypes; k++) {
			char nb[24];
			if (k)
				tl_buf_puts(&x->b, ", ");
			tl_buf_puts(&x->b, tl_net_dlt_name(info->stats.linktypes[k], nb));
		}
		tl_vars_put(x, it, "link_type");
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(info->sha256, hex);
		tl_tvars_set(it, "sha256", hex);
		const tl_case_input_t *ci = case_input(x->c, in->label);
		tl_tvars_set(it, "receipt_hash",
			     ci && ci->has_sha256
				     ? "given in the case file; the file read matches it"
				     : "none given in the case file");
		/* times with the case's clock correction applied (as every finding uses them) */
		tl_vars_put_time(x, q ? q->first_ts : TL_TIME_NONE);
		if (in->offset_us != 0) {
			tl_buf_puts(&x->b, ", after the clock correction of ");
			tl_fmt_duration(&x->b, in->offset_us, x->L);
			tl_buf_puts(&x->b, " given in the case file");
		}
		tl_vars_put(x, it, "first");
		tl_vars_put_time(x, q ? q->last_ts : TL_TIME_NONE);
		tl_vars_put(x, it, "last");
		tl_fmt_uint(&x->b, info->stats.messages, x->L);
		tl_buf_puts(&x->b, " DNS messages");
		if (info->stats.frames != info->stats.messages) {
			int lines = info->format != TL_FORMAT_PCAP && info->format != TL_FORMAT_PCAPNG;
			tl_buf_puts(&x->b, " from ");
			tl_fmt_uint(&x->b, info->stats.frames, x->L);
			tl_buf_puts(&x->b, lines ? " lines" : " frames");
		}
		tl_vars_put(x, it, "records");
		input_problems(x, i);
		tl_vars_put(x, it, "problems");
	}
}

/* ---- method and tool ---- */

static void method_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_case_t *c = x->c;
	const tl_dedup_stats_t *d = &f->dedup;

	tl_buf_puts(&x->b, "A lookup seen by several sensors is counted once: a sighting at "
			   "another sensor of a query from the same source for the same name and "
			   "type, within ");
	tl_fmt_duration(&x->b, c->dedup_tolerance_us, x->L);
	tl_buf_puts(&x->b, " once measured clock offsets are allowed for, is the same lookup "
			   "when it carries the same query ID and source port, or a retry at "
			   "another server when it carries another ID but the same query "
			   "fingerprint. Of ");
	tl_fmt_uint(&x->b, d->sightings, x->L);
	tl_buf_puts(&x->b, " sightings, ");
	tl_fmt_uint(&x->b, d->removed, x->L);
	tl_buf_puts(&x->b, " were removed as duplicates (");
	tl_fmt_uint(&x->b, d->removed_by_id, x->L);
	tl_buf_puts(&x->b, " the same query, ");
	tl_fmt_uint(&x->b, d->removed_as_retry, x->L);
	tl_buf_puts(&x->b, d->removed_as_retry == 1 ? " a retry), leaving " : " retries), leaving ");
	tl_fmt_uint(&x->b, d->unique, x->L);
	tl_buf_puts(&x->b, d->unique == 1 ? " lookup." : " lookups.");
	tl_vars_put(x, x->v, "method.dedup");

	size_t n = 0;
	if (c->orgs_path) {
		tl_buf_printf(&x->b, "the organisations file %s (address ranges and their "
				     "organisations; SHA-256 %s, as in the manifest; the file does "
				     "not state when its ranges were assigned)",
			      c->orgs_path, f->orgs_sha256[0] ? f->orgs_sha256 : NOT_RECORDED);
		n++;
	}
	if (c->mmdb_path) {
		tl_buf_puts(&x->b, n++ ? "; " : "");
		tl_buf_printf(&x->b, "the MaxMind-format database %s (its size and SHA-256 are "
				     "listed in the manifest; the date of its data is not recorded)",
			      c->mmdb_path);
	}
	if (n == 0)
		tl_buf_puts(&x->b, "no source: every address is unattributed");
	tl_vars_put(x, x->v, "method.attribution_sources");

	tl_buf_puts(&x->b, "Shares of lookups are given with Wilson score intervals that allow "
			   "for lookups clustering in time: the design effect of each share is "
			   "estimated with UTC days as clusters (the variance of the ratio "
			   "estimator over that of independent lookups, at least 1), and the "
			   "interval is computed from the effective number of lookups, the count "
			   "divided by it");
	if (x->f->profile.n_orgs > 0) {
		double dmax = 1.0;
		for (size_t i = 0; i < x->f->profile.n_orgs; i++)
			if (x->f->profile.orgs[i].lookups.deff > dmax)
				dmax = x->f->profile.orgs[i].lookups.deff;
		tl_buf_puts(&x->b, " (here at most ");
		tl_fmt_fixed(&x->b, dmax, 2, x->L);
		tl_buf_puts(&x->b, " for an organisation)");
	}
	tl_buf_puts(&x->b, ". In every concentration measure (shares of the largest, "
			   "Herfindahl–Hirschman index, the comparison with other names) each "
			   "address without an attributed organisation counts as an organisation "
			   "of its own, never pooled with the others. The comparison with other "
			   "names counts their lookups de-duplicated by the same rule, leaves out "
			   "names that resolved to an address of the names under examination and "
			   "their successors, and states how stable the rank is by resampling the "
			   "UTC days of lookups (bootstrap, seeded with the seed below). "
			   "Intervals between repeated lookups of the same name and type from one "
			   "address are compared with the time-to-live of the answer to the earlier "
			   "lookup (for an answer that the name did not exist or had no record of "
			   "the type, the negative caching time its SOA record gives, RFC 2308), "
			   "and counted as close to a fixed period when they fall within ");
	tl_fmt_duration(&x->b, c->periodic_tolerance_us, x->L);
	tl_buf_puts(&x->b, " after it. Intervals containing time when no sensor recorded "
			   "anything, or following an answer whose caching time is not in the "
			   "evidence, are counted but not classified. ");
	if (f->has_correlate) {
		tl_buf_puts(&x->b, "Each event's window (by default from ");
		tl_fmt_duration(&x->b, c->window_before_us, x->L);
		tl_buf_puts(&x->b, " before the event to ");
		tl_fmt_duration(&x->b, c->window_after_us, x->L);
		tl_buf_puts(&x->b,
			    " after it, unless the events file gives other margins) is compared "
			    "only with comparable time: the same hours of the week, in the local "
			    "time (daylight saving included) of ");
		tl_buf_puts(&x->b, f->correlate.strata_zone ? f->correlate.strata_zone : "UTC");
		tl_buf_puts(&x->b, ", the zone of the organisation with the most lookups, within ");
		tl_fmt_uint(&x->b, f->correlate.reference_weeks, x->L);
		tl_buf_puts(&x->b,
			    " weeks before and after the window, outside every window, and only "
			    "while the target was in the same regime. Regimes change where a name "
			    "under examination stopped resolving, where a successor name first "
			    "answered, and where a change-point test on the weekly counts finds a "
			    "change of level; a window that spans such a change is not tested. How "
			    "much the counts vary beyond chance is estimated from placebo windows "
			    "(each window moved by whole weeks within its regime, where no event "
			    "is) and carried into the p-value and the interval, together with the "
			    "error of the expected count itself. A rise counts only if it holds "
			    "with every source and without the one source that contributes most to "
			    "it, since one address can send any number of queries; the larger of "
			    "the two one-sided p-values is adjusted for testing several events. The "
			    "intervals shown per event are not adjusted for multiplicity; the "
			    "findings also give intervals that hold for all events together. A "
			    "permutation test shifts each event by its own random whole number of "
			    "weeks within its regime and compares the rate inside the windows with "
			    "that of the shifted arrangements (an overall test, not the verdict "
			    "for any one event).");
	} else {
		tl_buf_puts(&x->b, "The case names no events, so no event was tested.");
	}
	tl_vars_put(x, x->v, "method.statistics");

	tl_fmt_level(&x->b, x->level, x->L);
	if (f->has_correlate && fabs(f->correlate.ci_level - x->level) > 1e-9) {
		tl_buf_puts(&x->b, " for shares; ");
		tl_fmt_level(&x->b, f->correlate.ci_level, x->L);
		tl_buf_puts(&x->b, " for rate ratios");
	}
	tl_buf_puts(&x->b, " (significance level ");
	tl_fmt_fixed(&x->b, c->alpha, c->alpha * 100 == floor(c->alpha * 100) ? 2 : 6, x->L);
	tl_buf_puts(&x->b, ")");
	tl_vars_put(x, x->v, "method.confidence");

	tl_buf_puts(&x->b, c->correction == TL_CORRECTION_BH ? "Benjamini–Hochberg" : "Holm");
	if (f->has_correlate) {
		tl_buf_puts(&x->b, ", over ");
		tl_fmt_uint(&x->b, f->correlate.n_testable, x->L);
		tl_buf_puts(&x->b, f->correlate.n_testable == 1 ? " event test" : " event tests");
	}
	tl_vars_put(x, x->v, "method.correction");
	tl_fmt_uint(&x->b, c->permutations, x->L);
	tl_vars_put(x, x->v, "method.permutations");
	/* an identifier, written without separators */
	tl_buf_u64(&x->b, c->seed);
	tl_vars_put(x, x->v, "method.seed");

	tl_tvars_set(x->v, "tool.name", "tealeaves");
	tl_tvars_set(x->v, "tool.version", f->tool_version ? f->tool_version : NOT_RECORDED);
	tl_tvars_set(x->v, "tool.commit", NOT_RECORDED);
	tl_tvars_set(x->v, "tool.libraries", NOT_RECORDED);
}

/* ---- data quality ---- */

/* "from A to B (source); ..." for listed gaps or quiet periods, and how many more. */
static void put_stretches(vctx_t *x, const tl_quality_gap_t *g, size_t n, uint64_t total,
			  int with_source)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			tl_buf_puts(&x->b, "; ");
		tl_buf_puts(&x->b, "from ");
		tl_vars_put_time(x, g[i].start);
		tl_buf_puts(&x->b, " to ");
		tl_vars_put_time(x, g[i].end);
		if (with_source && g[i].source)
			tl_buf_printf(&x->b, " (%s)", g[i].source);
	}
	if (total > n) {
		tl_buf_puts(&x->b, "; and ");
		tl_fmt_uint(&x->b, total - n, x->L);
		tl_buf_puts(&x->b, " more not listed");
	}
}

static void quality_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_quality_model_t *q = &f->quality;

	tl_fmt_uint(&x->b, q->gaps_total, x->L);
	if (q->gaps_total > 0) {
		tl_buf_puts(&x->b, q->gaps_total == 1 ? " period" : " periods");
		tl_buf_puts(&x->b, " in which no sensor recorded (with what says so): ");
		put_stretches(x, q->gaps, q->n_gaps, q->gaps_total, 1);
	} else {
		tl_buf_puts(&x->b, " (some sensor recorded at every minute)");
	}
	tl_vars_put(x, x->v, "quality.gaps");

	/* what each sensor's coverage rests on */
	for (size_t s = 0; s < q->n_sensors; s++) {
		const tl_quality_sensor_t *se = &q->sensors[s];
		if (s)
			tl_buf_puts(&x->b, "; ");
		tl_buf_printf(&x->b, "%s: ", tl_vars_or_empty(se->name));
		if (strcmp(se->source, TL_QUALITY_SRC_SILENCE) != 0) {
			tl_buf_puts(&x->b, se->source);
		} else if (strcmp(se->recorded_source, TL_QUALITY_SRC_SILENCE) == 0) {
			tl_buf_puts(&x->b, "silence only (the evidence states nothing of its recording)");
		} else {
			tl_buf_printf(&x->b, "%s for when recording started and stopped, silence inside "
					     "(",
				      se->recorded_source);
			tl_fmt_uint(&x->b, se->gaps_total, x->L);
			tl_buf_puts(&x->b, se->gaps_total == 1 ? " gap" : " gaps");
			tl_buf_puts(&x->b, ")");
		}
		tl_buf_puts(&x->b, ", ");
		tl_fmt_pct(&x->b, se->coverage, 1, x->L);
		tl_buf_puts(&x->b, " of the minutes");
	}
	tl_vars_put(x, x->v, "quality.coverage_sources");

	size_t nq = 0;
	for (size_t s = 0; s < q->n_sensors; s++)
		nq += q->sensors[s].quiet_total;
	if (nq == 0 && q->quiet_total == 0) {
		tl_buf_puts(&x->b, "none");
	} else {
		for (size_t s = 0, k = 0; s < q->n_sensors; s++) {
			const tl_quality_sensor_t *se = &q->sensors[s];
			if (!se->quiet_total)
				continue;
			if (k++)
				tl_buf_puts(&x->b, "; ");
			tl_buf_printf(&x->b, "%s: ", tl_vars_or_empty(se->name));
			put_stretches(x, se->quiet, se->n_quiet, se->quiet_total, 0);
		}
		if (q->quiet_total > 0) {
			tl_buf_puts(&x->b, nq ? "; of all sensors at once: " : "of all sensors at once: ");
			put_stretches(x, q->quiet, q->n_quiet, q->quiet_total, 0);
		}
	}
	tl_buf_puts(&x->b, " (time a sensor declared it recorded, without any DNS message for "
			   "longer than ");
	tl_fmt_duration(&x->b, q->gap_threshold_us, x->L);
	tl_buf_puts(&x->b, ": covered, not a gap)");
	tl_vars_put(x, x->v, "quality.quiet");

	/* how the event verdicts change with the other coverage */
	const tl_quality_other_t *oc = &q->other;
	if (oc->made) {
		int silence_in = oc->rule && strcmp(oc->rule, TL_QUALITY_OTHER_RECORDED) == 0;
		tl_buf_puts(&x->b, silence_in
					   ? "Some sensors' coverage rests on silence in their traffic, "
					     "which the captures themselves do not confirm; counted instead "
					     "as time the sensors recorded"
					   : "Some declared recording time held no traffic; counted instead "
					     "as gaps");
		tl_buf_puts(&x->b, " (");
		tl_fmt_pct(&x->b, oc->coverage, 1, x->L);
		tl_buf_puts(&x->b, " of the minutes covered instead of ");
		tl_fmt_pct(&x->b, q->coverage, 1, x->L);
		tl_buf_puts(&x->b, "), the event tests were made again: ");
		if (oc->verdicts_changed == 0) {
			tl_buf_puts(&x->b, "no verdict changes");
		} else {
			tl_fmt_uint(&x->b, oc->verdicts_changed, x->L);
			tl_buf_puts(&x->b, oc->verdicts_changed == 1 ? " verdict changes (" : " verdicts change (");
			for (size_t e = 0, k = 0; e < oc->n_events; e++) {
				const tl_quality_other_event_t *v = &oc->events[e];
				if (v->testable == v->testable_other && v->significant == v->significant_other)
					continue;
				tl_vars_put_and(&x->b, k++, oc->verdicts_changed);
				tl_buf_puts(&x->b, tl_vars_or_empty(v->label));
			}
			tl_buf_puts(&x->b, ")");
		}
		if (oc->largest_change < oc->n_events) {
			const tl_quality_other_event_t *v = &oc->events[oc->largest_change];
			tl_buf_printf(&x->b,
				      "; the largest change of a rate ratio is for %s, from ",
				      tl_vars_or_empty(v->label));
			tl_fmt_fixed(&x->b, v->rr, 2, x->L);
			tl_buf_puts(&x->b, " to ");
			tl_fmt_fixed(&x->b, v->rr_other, 2, x->L);
		}
		tl_buf_puts(&x->b, ". Both results are in the findings (quality, other_coverage).");
	} else if (oc->differs) {
		tl_buf_puts(&x->b, "Counting silences the other way round changes the covered minutes "
				   "from ");
		tl_fmt_pct(&x->b, q->coverage, 1, x->L);
		tl_buf_puts(&x->b, " to ");
		tl_fmt_pct(&x->b, oc->coverage, 1, x->L);
		tl_buf_puts(&x->b, "; no events were tested.");
	}
	tl_vars_put(x, x->v, "quality.other");
	tl_fmt_duration(&x->b, q->gap_time_us, x->L);
	tl_vars_put(x, x->v, "quality.gap_time");

	tl_fmt_uint(&x->b, q->malformed, x->L);
	size_t nk = 0;
	for (size_t k = 0; k < TL_AN__COUNT; k++) {
		if (!q->anomaly_count[k])
			continue;
		tl_buf_puts(&x->b, nk++ ? ", " : " (");
		tl_fmt_uint(&x->b, q->anomaly_count[k], x->L);
		tl_buf_printf(&x->b, " %s", tl_anomaly_name((tl_anomaly_kind_t)k));
	}
	if (nk)
		tl_buf_puts(&x->b, ")");
	tl_vars_put(x, x->v, "quality.malformed");

	/* drops, as the captures report them; an input that does not say is not "none" */
	if (q->if_drops_known) {
		tl_fmt_uint(&x->b, q->if_drops, x->L);
		tl_buf_puts(&x->b, " by the network interface");
	} else {
		tl_buf_puts(&x->b, "drops by the network interface not reported");
	}
	if (q->os_drops_known) {
		tl_buf_puts(&x->b, "; ");
		tl_fmt_uint(&x->b, q->os_drops, x->L);
		tl_buf_puts(&x->b, " by the operating system");
	} else {
		tl_buf_puts(&x->b, "; drops by the operating system not reported");
	}
	size_t silent = 0;
	for (size_t i = 0; i < q->n_inputs; i++)
		silent += !q->inputs[i].if_drops_known && !q->inputs[i].os_drops_known;
	if (silent > 0) {
		tl_buf_puts(&x->b, " (");
		for (size_t i = 0, j = 0; i < q->n_inputs; i++) {
			if (q->inputs[i].if_drops_known || q->inputs[i].os_drops_known)
				continue;
			tl_vars_put_and(&x->b, j++, silent);
			tl_buf_puts(&x->b, tl_vars_or_empty(q->inputs[i].label));
		}
		tl_buf_puts(&x->b, silent == 1 ? " does not record drops)" : " do not record drops)");
	}
	tl_vars_put(x, x->v, "quality.drops");

	tl_fmt_uint(&x->b, q->unanswered, x->L);
	tl_buf_puts(&x->b, " (and ");
	tl_fmt_uint(&x->b, q->unmatched, x->L);
	tl_buf_puts(&x->b, q->unmatched == 1 ? " response without a matching query)"
					    : " responses without a matching query)");
	tl_vars_put(x, x->v, "quality.unanswered");

	/* Offsets: time at b minus time at a; positive means b's clock reads later. */
	for (size_t i = 0; i < q->n_offsets; i++) {
		const tl_quality_offset_t *o = &q->offsets[i];
		const char *a = o->sensor_a < f->ctx.n_sensors ? f->ctx.sensors[o->sensor_a].name : "?";
		const char *bn = o->sensor_b < f->ctx.n_sensors ? f->ctx.sensors[o->sensor_b].name : "?";
		if (i)
			tl_buf_puts(&x->b, "; ");
		if (o->median_us == 0) {
			tl_buf_printf(&x->b, "%s and %s showed the same time", a, bn);
		} else {
			tl_buf_printf(&x->b, "%s recorded times ", bn);
			tl_fmt_duration(&x->b, o->median_us < 0 ? -o->median_us : o->median_us, x->L);
			tl_buf_printf(&x->b, " %s than %s", o->median_us > 0 ? "later" : "earlier", a);
		}
		tl_buf_puts(&x->b, " (median over ");
		tl_fmt_uint(&x->b, o->pairs, x->L);
		tl_buf_puts(&x->b, o->pairs == 1 ? " query seen by both" : " queries seen by both");
		tl_buf_puts(&x->b, ", median absolute deviation ");
		tl_fmt_duration(&x->b, o->mad_us, x->L);
		tl_buf_puts(&x->b, ")");
	}
	tl_vars_put(x, x->v, "quality.clock_offsets");

	if (q->span_minutes > 0) {
		tl_buf_puts(&x->b, "the sensors together have data for ");
		tl_fmt_pct(&x->b, q->coverage, 1, x->L);
		tl_buf_puts(&x->b, " of the minutes from ");
		tl_vars_put_time(x, q->span_start);
		tl_buf_puts(&x->b, " to ");
		tl_vars_put_time(x, q->span_end);
		tl_buf_puts(&x->b, ", and no data for ");
		tl_fmt_duration(&x->b, q->gap_time_us, x->L);
		tl_buf_puts(&x->b, " in ");
		tl_fmt_uint(&x->b, q->gaps_total, x->L);
		tl_buf_puts(&x->b, q->gaps_total == 1 ? " gap" : " gaps");
	} else {
		tl_buf_puts(&x->b, "the evidence holds no timed records");
	}
	tl_vars_put(x, x->v, "quality.coverage");
}

/* ---- reproducibility ---- */

static void repro_vars(vctx_t *x)
{
	tl_tvars_set(x->v, "repro.command", NOT_RECORDED);
	tl_tvars_set(x->v, "repro.case_file", tl_vars_or_empty(x->c->path));
	tl_tvars_set(x->v, "repro.case_sha256", x->c->file_sha256_hex);
	tl_tvars_set(x->v, "repro.manifest_sha256", NOT_RECORDED);
	tl_tvars_set(x->v, "repro.verify_command", "the verify command (" NOT_RECORDED ")");
}

int tl_report_vars(const tl_findings_t *f, tl_tvars_t *vars, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!f || !vars || !f->kase) {
		if (err && errlen)
			snprintf(err, errlen, "report values: no findings or no case");
		return TL_EINVAL;
	}
	const tl_case_t *c = f->kase;
	const char *zone = c->timezone && c->timezone[0] ? c->timezone : "UTC";
	if (!tl_tz_valid(zone)) {
		if (err && errlen)
			snprintf(err, errlen, "report values: time zone %s cannot be loaded", zone);
		return TL_EINVAL;
	}
	/* English is the only wording table (tl_lang_en): "en" or "en-XX". */
	if (c->language && strcmp(c->language, "en") != 0 && strncmp(c->language, "en-", 3) != 0) {
		if (err && errlen)
			snprintf(err, errlen, "report values: no wording for language %s (only en)",
				 c->language);
		return TL_EINVAL;
	}
	vctx_t x = {
		.f = f,
		.c = c,
		.v = vars,
		.L = &tl_lang_en,
		.zone = zone,
		.utc = strcmp(zone, "UTC") == 0,
		.level = 1.0 - f->profile.alpha,
	};
	tl_buf_init(&x.b);
	case_vars(&x);
	tl_vars_target(&x);
	tl_vars_profile(&x);
	tl_vars_resolver(&x);
	tl_vars_baseline(&x);
	tl_vars_events(&x);
	tl_vars_validation(&x);
	inputs_vars(&x);
	method_vars(&x);
	quality_vars(&x);
	repro_vars(&x);
	tl_vars_names(&x);
	tl_vars_summary_timing(&x);
	tl_vars_summary_names(&x);
	tl_buf_free(&x.b);
	return TL_OK;
}

/* ---- what the manifest lists besides the evidence ---- */

static int manifest_file(tl_tvars_t *v, const char *role, json_t *e, const tl_lang_t *L)
{
	if (json_is_null(e) || !e)
		return TL_OK;
	json_t *name = json_object_get(e, "name"), *size = json_object_get(e, "size"),
	       *sha = json_object_get(e, "sha256");
	if (!json_is_string(name) || !json_is_integer(size) || json_integer_value(size) < 0 ||
	    !json_is_string(sha))
		return TL_EFORMAT;
	tl_tvars_t *it = tl_tvars_add_item(v, "manifest.files");
	tl_tvars_set(it, "role", role);
	tl_tvars_set(it, "name", json_string_value(name));
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_uint(&b, (uint64_t)json_integer_value(size), L);
	tl_buf_puts(&b, json_integer_value(size) == 1 ? " byte" : " bytes");
	tl_tvars_set(it, "size", b.data);
	tl_buf_free(&b);
	tl_tvars_set(it, "sha256", json_string_value(sha));
	return TL_OK;
}

int tl_report_manifest_vars(const char *text, size_t len, tl_tvars_t *v)
{
	tl_tvars_set_list(v, "manifest.files");
	tl_tvars_set(v, "manifest.tzdata", "");
	if (!text)
		return TL_OK;
	const tl_lang_t *L = &tl_lang_en;
	json_error_t je;
	json_t *m = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(m)) {
		json_decref(m);
		return TL_EFORMAT;
	}
	int rc = TL_OK;
	if ((rc = manifest_file(v, "Case file", json_object_get(m, "case_file"), L)) != TL_OK ||
	    (rc = manifest_file(v, "Organisations file", json_object_get(m, "organisations"),
				L)) != TL_OK ||
	    (rc = manifest_file(v, "Address database", json_object_get(m, "mmdb"), L)) !=
		    TL_OK ||
	    (rc = manifest_file(v, "Events file", json_object_get(m, "events"), L)) != TL_OK ||
	    (rc = manifest_file(v, "Template", json_object_get(m, "template"), L)) != TL_OK)
		goto out;
	json_t *fonts = json_object_get(m, "fonts"), *e;
	size_t i;
	json_array_foreach(fonts, i, e)
		if ((rc = manifest_file(v, "Font", e, L)) != TL_OK)
			goto out;
	if ((rc = manifest_file(v, "Colour profile", json_object_get(m, "colour_profile"), L)) !=
	    TL_OK)
		goto out;
	json_t *tz = json_object_get(m, "timezone_data");
	if (json_is_object(tz)) {
		json_t *ver = json_object_get(tz, "version"), *zones = json_object_get(tz, "zones");
		tl_buf_t b;
		tl_buf_init(&b);
		if (json_is_string(ver))
			tl_buf_printf(&b, "tzdata %s", json_string_value(ver));
		else
			tl_buf_puts(&b, "tzdata of a version its files do not state");
		tl_buf_puts(&b, ", for the time zones ");
		size_t nz = json_array_size(zones);
		json_array_foreach(zones, i, e) {
			tl_vars_put_and(&b, i, nz);
			json_t *zn = json_object_get(e, "name");
			tl_buf_puts(&b, json_is_string(zn) ? json_string_value(zn) : "?");
			if ((rc = manifest_file(v, "Time-zone file", e, L)) != TL_OK)
				break;
		}
		tl_buf_puts(&b, " (the zone files and their SHA-256 are listed with the other "
				   "files the report depends on)");
		tl_tvars_set(v, "manifest.tzdata", b.data);
		tl_buf_free(&b);
	} else if (json_is_null(tz)) {
		tl_tvars_set(v, "manifest.tzdata", "none used: every time is shown in UTC, which "
						   "needs no time-zone data");
	}
out:
	json_decref(m);
	return rc;
}
