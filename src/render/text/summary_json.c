/* summary_json.c - the key findings as one compact JSON object for `tealeaves profile
 * --json` (summary.h lists its keys). Only selects and orders what the model holds. */
#include "render/text/summary_impl.h"

#include "case/case.h"
#include "util/time.h"

#include <math.h>

/* ---- the compact JSON summary ---- */

static void j_time(tl_json_t *j, const char *key, int64_t ts)
{
	char iso[TL_TIME_ISO_LEN];
	tl_json_key(j, key);
	if (ts == TL_TIME_NONE) {
		tl_json_null(j);
		return;
	}
	tl_time_format_iso(ts, iso);
	tl_json_str(j, iso);
}

static void j_str(tl_json_t *j, const char *key, const char *s)
{
	tl_json_key(j, key);
	tl_json_str(j, s);
}

static void j_u64(tl_json_t *j, const char *key, uint64_t v)
{
	tl_json_key(j, key);
	tl_json_u64(j, v);
}

static void j_fixed(tl_json_t *j, const char *key, double v)
{
	tl_json_key(j, key);
	tl_json_fixed(j, v, 6);
}

static void j_addr(tl_json_t *j, const char *key, const tl_addr_t *a)
{
	char s[TL_ADDR_STR_LEN];
	j_str(j, key, tl_summary_addr_text(s, a));
}

static void j_ci(tl_json_t *j, double lo, double hi)
{
	tl_json_key(j, "ci");
	tl_json_arr_begin(j);
	tl_json_fixed(j, lo, 6);
	tl_json_fixed(j, hi, 6);
	tl_json_arr_end(j);
}

static void j_strs(tl_json_t *j, const char *key, const char *const *s, size_t n)
{
	tl_json_key(j, key);
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		tl_json_str(j, s[i]);
	tl_json_arr_end(j);
}

static void j_position(tl_json_t *j, int64_t ts, const char *input, uint64_t pos)
{
	j_time(j, "time", ts);
	j_str(j, "input", input);
	j_u64(j, "position", pos);
}

static void js_inputs(tl_json_t *j, const tl_findings_t *f)
{
	tl_json_key(j, "inputs");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < f->ctx.n_inputs; i++) {
		const tl_ctx_input_t *in = &f->ctx.inputs[i];
		tl_json_obj_begin(j);
		j_str(j, "label", in->label);
		j_str(j, "format", tl_format_name(in->info.format));
		tl_json_key(j, "gzip");
		tl_json_bool(j, in->info.gzip);
		j_u64(j, "messages", in->info.stats.messages);
		j_time(j, "first", in->info.stats.first_ts);
		j_time(j, "last", in->info.stats.last_ts);
		tl_json_key(j, "clock_offset_us");
		tl_json_i64(j, in->offset_us);
		j_u64(j, "anomalies", tl_anomaly_total(&in->info.anomalies));
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

static void js_target(tl_json_t *j, const tl_findings_t *f)
{
	const tl_case_t *c = f->kase;
	tl_json_key(j, "target");
	tl_json_obj_begin(j);
	j_strs(j, "names", c ? (const char *const *)c->names : NULL, c ? c->n_names : 0);
	j_strs(j, "suffixes", c ? (const char *const *)c->suffixes : NULL, c ? c->n_suffixes : 0);
	tl_json_key(j, "ips");
	tl_json_arr_begin(j);
	for (size_t k = 0; c && k < c->n_ips; k++) {
		char s[TL_ADDR_STR_LEN];
		tl_json_str(j, tl_summary_addr_text(s, &c->ips[k]));
	}
	tl_json_arr_end(j);
	j_strs(j, "names_resolved_to_ips", f->target_names_resolved, f->n_target_names_resolved);
	j_strs(j, "names_looked_up", f->ctx.names, f->ctx.n_names);
	tl_json_obj_end(j);
}

static void js_lookups(tl_json_t *j, const tl_findings_t *f)
{
	const tl_dedup_stats_t *d = &f->dedup;
	tl_json_key(j, "lookups");
	tl_json_obj_begin(j);
	j_u64(j, "sightings", d->sightings);
	j_u64(j, "unique", d->unique);
	j_u64(j, "duplicates_removed", d->removed);
	j_u64(j, "duplicates_same_query", d->removed_by_id);
	j_u64(j, "duplicates_retries", d->removed_as_retry);
	j_time(j, "first", f->profile.first.ts);
	j_time(j, "last", f->profile.last.ts);
	tl_json_obj_end(j);
}

static void js_conc(tl_json_t *j, const tl_prof_conc_t *c, double alpha)
{
	j_u64(j, "count", c->n);
	j_u64(j, "top_k", c->k);
	j_fixed(j, "top_k_share", c->top_k_share);
	j_fixed(j, "hhi", c->hhi);
	j_fixed(j, "confidence", 1.0 - alpha);
}

static void js_profile(tl_json_t *j, const tl_findings_t *f)
{
	const tl_profile_model_t *p = &f->profile;
	tl_json_key(j, "sources");
	tl_json_obj_begin(j);
	js_conc(j, &p->source_conc, p->alpha);
	tl_json_key(j, "top");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < p->n_sources && i < TL_SUMMARY_TOP; i++) {
		const tl_prof_source_t *s = &p->sources[i];
		tl_json_obj_begin(j);
		j_str(j, "address", s->addr_text);
		j_str(j, "organisation", s->org_name);
		j_u64(j, "lookups", s->lookups.count);
		j_fixed(j, "share", s->lookups.share);
		j_ci(j, s->lookups.lo, s->lookups.hi);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_key(j, "organisations");
	tl_json_obj_begin(j);
	js_conc(j, &p->org_conc, p->alpha);
	tl_json_key(j, "top");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < p->n_orgs && i < TL_SUMMARY_TOP; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		tl_json_obj_begin(j);
		j_str(j, "name", o->name);
		j_u64(j, "lookups", o->lookups.count);
		j_fixed(j, "share", o->lookups.share);
		j_ci(j, o->lookups.lo, o->lookups.hi);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static void js_class(tl_json_t *j, const char *key, const tl_res_count_t *c)
{
	tl_json_key(j, key);
	tl_json_obj_begin(j);
	j_u64(j, "count", c->count);
	j_fixed(j, "share", c->share);
	j_ci(j, c->lo, c->hi);
	tl_json_obj_end(j);
}

static void js_resolver(tl_json_t *j, const tl_findings_t *f)
{
	static const struct {
		unsigned bit;
		const char *name;
	} parts[] = {{TL_RES_FP_IPTTL, "ip_ttl"}, {TL_RES_FP_EDNS, "edns_size"},
		     {TL_RES_FP_DO, "do"},        {TL_RES_FP_OPTS, "options"},
		     {TL_RES_FP_CASE, "mixed_case"}};
	const tl_resolver_model_t *r = &f->resolver;
	int known = r->ttl_s > 0;
	tl_json_key(j, "resolver");
	tl_json_obj_begin(j);
	tl_json_key(j, "ttl_s");
	if (known)
		tl_json_i64(j, r->ttl_s);
	else
		tl_json_null(j);
	j_str(j, "ttl_method", r->ttl_method);
	tl_json_key(j, "tolerance_s");
	tl_json_i64(j, r->tolerance_s);
	j_fixed(j, "confidence", 1.0 - r->alpha);
	j_u64(j, "intervals", r->classes.intervals);
	j_u64(j, "spans_gap", r->classes.spans_gap);
	j_u64(j, "ttl_unknown", r->classes.ttl_unknown);
	j_u64(j, "classified", r->classes.n);
	j_u64(j, "negative_ttl", r->classes.negative);
	js_class(j, "inside_ttl", &r->classes.inside);
	js_class(j, "periodic", &r->classes.periodic);
	js_class(j, "later", &r->classes.later);
	tl_json_key(j, "sources");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < r->n_sources && i < TL_SUMMARY_TOP; i++) {
		const tl_res_source_t *s = &r->sources[i];
		tl_json_obj_begin(j);
		j_str(j, "address", s->addr_text);
		j_str(j, "organisation", s->org_name);
		j_u64(j, "classified", s->classes.n);
		j_fixed(j, "inside_ttl", s->classes.inside.share);
		j_fixed(j, "periodic", s->classes.periodic.share);
		j_fixed(j, "later", s->classes.later.share);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	j_u64(j, "fingerprint_breaks", r->n_breaks);
	tl_json_key(j, "first_breaks");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < r->n_breaks && i < TL_SUMMARY_BREAKS; i++) {
		const tl_res_break_t *b = &r->breaks[i];
		tl_json_obj_begin(j);
		j_position(j, b->ts, b->label, b->pos);
		j_str(j, "source", b->source < r->n_sources ? r->sources[b->source].addr_text : NULL);
		tl_json_key(j, "differs");
		tl_json_arr_begin(j);
		for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
			if (b->differs & parts[k].bit)
				tl_json_str(j, parts[k].name);
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static void js_baseline(tl_json_t *j, const tl_findings_t *f)
{
	const tl_baseline_model_t *m = &f->baseline;
	const tl_baseline_target_t *t = &m->target;
	double nan = NAN;
	int h = m->has_target;
	tl_json_key(j, "baseline");
	tl_json_obj_begin(j);
	j_u64(j, "names", m->n_names);
	j_u64(j, "min_lookups", m->min_lookups);
	tl_json_key(j, "counting");
	tl_json_str(j, m->counting == TL_BASELINE_COUNT_RAW ? "raw_sightings" : "lookups");
	j_u64(j, "target_sightings", h ? t->m.sightings : 0);
	j_u64(j, "target_lookups", h ? t->m.lookups : 0);
	j_fixed(j, "top_source_share", h ? t->m.top_source_share : nan);
	j_fixed(j, "top_source_share_percentile", h ? t->rank_top_source_share : nan);
	j_fixed(j, "hhi", h ? t->m.hhi : nan);
	j_fixed(j, "hhi_percentile", h ? t->rank_hhi : nan);
	j_fixed(j, "top_org_share", h ? t->m.top_org_share : nan);
	j_fixed(j, "top_org_share_percentile", h ? t->rank_top_org_share : nan);
	j_fixed(j, "org_hhi", h ? t->m.org_hhi : nan);
	j_fixed(j, "org_hhi_percentile", h ? t->rank_org_hhi : nan);
	j_fixed(j, "top_org_share_percentile_lo", h ? t->ci_top_org_share.rank_lo : nan);
	j_fixed(j, "top_org_share_percentile_hi", h ? t->ci_top_org_share.rank_hi : nan);
	tl_json_obj_end(j);
}

static void js_events(tl_json_t *j, const tl_findings_t *f)
{
	const tl_correlate_model_t *m = &f->correlate;
	tl_json_key(j, "events");
	if (!f->has_correlate) {
		tl_json_null(j);
		return;
	}
	tl_json_obj_begin(j);
	j_str(j, "correction", m->settings.correction == TL_CORRELATE_BH ? "bh" : "holm");
	j_fixed(j, "alpha", m->settings.alpha);
	j_fixed(j, "ci_level", m->ci_level);
	tl_json_key(j, "tests");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_test_t *x = &m->tests[i];
		int ok = x->status == TL_CORRELATE_TESTABLE;
		tl_json_obj_begin(j);
		j_str(j, "label", m->events[i].label);
		j_str(j, "status", ok ? "testable"
				   : x->status == TL_CORRELATE_NO_COVERAGE ? "no_coverage"
				   : x->status == TL_CORRELATE_SPANS_CHANGE ? "spans_regime_change"
				   : x->status == TL_CORRELATE_FEW_REFERENCE ? "too_little_reference"
				   : x->status == TL_CORRELATE_NO_DISPERSION ? "too_few_placebos"
									      : "no_baseline");
		j_u64(j, "observed", x->observed);
		j_fixed(j, "expected", ok ? x->expected : NAN);
		j_fixed(j, "rr", ok ? x->rr : NAN);
		j_ci(j, ok ? x->rr_lo : NAN, ok ? x->rr_hi : NAN);
		j_fixed(j, "p_adjusted", ok ? tl_summary_primary_p(m, x) : NAN);
		tl_json_key(j, "significant");
		if (ok)
			tl_json_bool(j, x->significant);
		else
			tl_json_null(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	const tl_correlate_perm_t *p = &m->perm;
	tl_json_key(j, "permutation");
	tl_json_obj_begin(j);
	tl_json_key(j, "done");
	tl_json_bool(j, p->done);
	j_fixed(j, "p", p->done ? p->p : NAN);
	j_u64(j, "n", p->n);
	tl_json_key(j, "exact");
	tl_json_bool(j, p->exact);
	j_u64(j, "seed", p->seed);
	tl_json_obj_end(j);
	tl_json_key(j, "bursts");
	tl_json_obj_begin(j);
	tl_json_key(j, "exploratory");
	tl_json_bool(j, 1);
	tl_json_key(j, "days");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->bursts.n && i < TL_SUMMARY_BURSTS; i++) {
		const tl_correlate_burst_t *b = &m->bursts.items[i];
		char d[NUM_LEN];
		tl_json_obj_begin(j);
		j_str(j, "day", tl_summary_fmt_day(d, b->day));
		j_u64(j, "lookups", b->count);
		j_fixed(j, "z", b->z);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_obj_end(j);
}

static void js_ref(tl_json_t *j, const tl_names_ref_t *r)
{
	j_position(j, r->ts, r->file, r->pos);
}

static void js_first_query(tl_json_t *j, const tl_names_name_t *n)
{
	tl_json_key(j, "first_query");
	if (!n || !n->has_first_query) {
		tl_json_null(j);
		return;
	}
	tl_json_obj_begin(j);
	j_addr(j, "source", &n->querier);
	j_str(j, "organisation", n->querier_org);
	js_ref(j, &n->first_query);
	tl_json_obj_end(j);
}

static void js_names(tl_json_t *j, const tl_findings_t *f)
{
	const tl_names_model_t *m = &f->names;
	char rc[16];
	tl_json_key(j, "names");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *n = &m->names[i];
		if (!n->target)
			continue;
		tl_json_obj_begin(j);
		j_str(j, "name", n->name);
		tl_json_key(j, "last_success");
		if (n->has_success) {
			tl_json_obj_begin(j);
			js_ref(j, &n->last_success);
			tl_json_obj_end(j);
		} else {
			tl_json_null(j);
		}
		tl_json_key(j, "failure_after");
		if (n->has_failure_after) {
			tl_json_obj_begin(j);
			j_time(j, "time", n->failure_after.ts);
			j_str(j, "rcode", tl_rcode_name(n->failure_rcode, rc));
			j_str(j, "input", n->failure_after.file);
			j_u64(j, "position", n->failure_after.pos);
			tl_json_key(j, "exact");
			tl_json_bool(j, n->failure_exact);
			tl_json_obj_end(j);
		} else {
			tl_json_null(j);
		}
		js_first_query(j, n);
		tl_json_key(j, "successors");
		tl_json_arr_begin(j);
		for (size_t k = 0; k < n->n_successors; k++) {
			const tl_names_binding_t *s = &n->successors[k];
			tl_json_obj_begin(j);
			j_str(j, "name", s->name);
			j_addr(j, "address", &s->addr);
			tl_json_key(j, "first_answer");
			tl_json_obj_begin(j);
			js_ref(j, &s->first);
			tl_json_obj_end(j);
			js_first_query(j, tl_summary_find_name(m, s->name));
			tl_json_obj_end(j);
		}
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

static void j_seconds(tl_json_t *j, const char *key, int64_t us)
{
	tl_json_key(j, key);
	tl_json_fixed(j, (double)us / 1e6, 6);
}

static void j_drops(tl_json_t *j, const char *key, uint64_t v, int known)
{
	tl_json_key(j, key);
	if (known)
		tl_json_u64(j, v);
	else
		tl_json_null(j);
}

static void js_quality(tl_json_t *j, const tl_findings_t *f)
{
	const tl_quality_model_t *q = &f->quality;
	tl_json_key(j, "quality");
	tl_json_obj_begin(j);
	j_seconds(j, "gap_threshold_s", q->gap_threshold_us);
	tl_json_key(j, "sensors");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < q->n_sensors; i++) {
		const tl_quality_sensor_t *s = &q->sensors[i];
		tl_json_obj_begin(j);
		j_str(j, "name", s->name);
		j_fixed(j, "coverage", s->coverage);
		j_u64(j, "gaps", s->gaps_total);
		j_seconds(j, "gap_time_s", s->gap_time_us);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "overall");
	tl_json_obj_begin(j);
	j_u64(j, "gaps", q->gaps_total);
	j_seconds(j, "gap_time_s", q->gap_time_us);
	tl_json_obj_end(j);
	tl_json_key(j, "clock_offsets");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < q->n_offsets; i++) {
		const tl_quality_offset_t *o = &q->offsets[i];
		tl_json_obj_begin(j);
		j_str(j, "sensor_a", tl_summary_sensor_name(f, o->sensor_a));
		j_str(j, "sensor_b", tl_summary_sensor_name(f, o->sensor_b));
		j_u64(j, "pairs", o->pairs);
		j_seconds(j, "median_s", o->median_us);
		j_seconds(j, "mad_s", o->mad_us);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "inputs");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		tl_json_obj_begin(j);
		j_str(j, "label", in->label);
		j_u64(j, "malformed", in->malformed);
		j_drops(j, "if_drops", in->if_drops, in->if_drops_known);
		j_drops(j, "os_drops", in->os_drops, in->os_drops_known);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	j_u64(j, "malformed", q->malformed);
	j_drops(j, "if_drops", q->if_drops, q->if_drops_known);
	j_drops(j, "os_drops", q->os_drops, q->os_drops_known);
	tl_json_obj_end(j);
}

void tl_json_summary(tl_json_t *j, const tl_findings_t *f)
{
	const tl_ctx_t *ctx = &f->ctx;
	int span = ctx->span_end > ctx->span_start;
	tl_json_obj_begin(j);
	j_str(j, "schema", TL_SUMMARY_SCHEMA);
	tl_json_key(j, "case");
	tl_json_obj_begin(j);
	j_str(j, "number", tl_summary_case_number(f));
	j_str(j, "title", tl_summary_case_title(f));
	tl_json_obj_end(j);
	tl_json_key(j, "span");
	tl_json_obj_begin(j);
	j_time(j, "start", span ? ctx->span_start : TL_TIME_NONE);
	j_time(j, "end", span ? ctx->span_end : TL_TIME_NONE);
	tl_json_obj_end(j);
	js_inputs(j, f);
	js_target(j, f);
	js_lookups(j, f);
	js_profile(j, f);
	js_resolver(j, f);
	js_baseline(j, f);
	js_events(j, f);
	js_names(j, f);
	js_quality(j, f);
	tl_json_obj_end(j);
}
