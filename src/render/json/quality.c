/* json_quality.c - the integrity and quality findings as one JSON object
 * (docs/findings/quality.md). Keys in a fixed order; coverage with 6 decimals. */
#include "model/quality.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

/* "<what>_total", "<what>_seconds", "<what>s": gaps or quiet periods. */
static void stretches(tl_json_t *j, const char *total_key, const char *seconds_key,
		      const char *list_key, const tl_quality_gap_t *g, size_t n, uint64_t total,
		      int64_t time)
{
	tl_json_key(j, total_key);
	tl_json_u64(j, total);
	tl_json_key(j, seconds_key);
	tl_json_fixed(j, (double)time / 1e6, 6);
	tl_json_key(j, list_key);
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		tl_json_obj_begin(j);
		tl_json_key(j, "start");
		tl_json_time(j, g[i].start);
		tl_json_key(j, "end");
		tl_json_time(j, g[i].end);
		tl_json_key(j, "seconds");
		tl_json_fixed(j, (double)g[i].duration_us / 1e6, 6);
		tl_json_key(j, "at_edge");
		tl_json_bool(j, g[i].at_edge);
		tl_json_key(j, "source");
		tl_json_str(j, g[i].source ? g[i].source : TL_QUALITY_SRC_SILENCE);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

static void gaps(tl_json_t *j, const tl_quality_gap_t *g, size_t n, uint64_t total, int64_t time)
{
	stretches(j, "gaps_total", "gap_seconds", "gaps", g, n, total, time);
}

static void quiet(tl_json_t *j, const tl_quality_gap_t *g, size_t n, uint64_t total,
		  int64_t time)
{
	stretches(j, "quiet_total", "quiet_seconds", "quiet_periods", g, n, total, time);
}

static void src(tl_json_t *j, const char *key, const char *v)
{
	tl_json_key(j, key);
	tl_json_str(j, v ? v : TL_QUALITY_SRC_SILENCE);
}

/* The event test under both coverages. */
static void other(tl_json_t *j, const tl_quality_other_t *o)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "rule");
	tl_json_str(j, o->rule ? o->rule : TL_QUALITY_OTHER_SILENCE);
	tl_json_key(j, "differs");
	tl_json_bool(j, o->differs);
	tl_json_key(j, "minutes_covered");
	tl_json_u64(j, o->minutes_covered);
	tl_json_key(j, "coverage");
	tl_json_fixed(j, o->coverage, 6);
	tl_json_key(j, "events_tested");
	tl_json_bool(j, o->made);
	tl_json_key(j, "verdicts_changed");
	tl_json_u64(j, o->verdicts_changed);
	tl_json_key(j, "events");
	tl_json_arr_begin(j);
	for (size_t e = 0; e < o->n_events; e++) {
		const tl_quality_other_event_t *x = &o->events[e];
		tl_json_obj_begin(j);
		tl_json_key(j, "label");
		tl_json_str(j, x->label ? x->label : "");
		tl_json_key(j, "testable");
		tl_json_bool(j, x->testable);
		tl_json_key(j, "rr");
		tl_json_fixed(j, x->rr, 6);
		tl_json_key(j, "p");
		tl_json_fixed(j, x->p, 6);
		tl_json_key(j, "significant");
		tl_json_bool(j, x->significant);
		tl_json_key(j, "other_testable");
		tl_json_bool(j, x->testable_other);
		tl_json_key(j, "other_rr");
		tl_json_fixed(j, x->rr_other, 6);
		tl_json_key(j, "other_p");
		tl_json_fixed(j, x->p_other, 6);
		tl_json_key(j, "other_significant");
		tl_json_bool(j, x->significant_other);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static void drops(tl_json_t *j, const char *key, uint64_t v, int known)
{
	tl_json_key(j, key);
	if (known)
		tl_json_u64(j, v);
	else
		tl_json_null(j);
}

static void input(tl_json_t *j, const tl_quality_input_t *in)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "label");
	if (in->label)
		tl_json_str(j, in->label);
	else
		tl_json_null(j);
	tl_json_key(j, "sensor");
	tl_json_u64(j, in->sensor);
	tl_json_key(j, "records");
	tl_json_u64(j, in->records);
	tl_json_key(j, "first");
	tl_json_time(j, in->first_ts);
	tl_json_key(j, "last");
	tl_json_time(j, in->last_ts);
	tl_json_key(j, "resolution_us");
	tl_json_i64(j, in->resolution_us);
	tl_json_key(j, "order_regressions");
	tl_json_u64(j, in->order_regressions);
	tl_json_key(j, "queries");
	tl_json_u64(j, in->queries);
	tl_json_key(j, "responses");
	tl_json_u64(j, in->responses);
	tl_json_key(j, "truncated");
	tl_json_u64(j, in->truncated);
	tl_json_key(j, "unanswered");
	tl_json_u64(j, in->unanswered);
	tl_json_key(j, "unmatched");
	tl_json_u64(j, in->unmatched);
	drops(j, "if_drops", in->if_drops, in->if_drops_known);
	drops(j, "os_drops", in->os_drops, in->os_drops_known);
	src(j, "recorded_source", in->recorded_source);
	tl_json_key(j, "malformed");
	tl_json_u64(j, in->malformed);
	tl_json_key(j, "anomalies");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < in->n_anomalies; i++) {
		const tl_quality_anomaly_t *a = &in->anomalies[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "kind");
		tl_json_str(j, a->kind);
		tl_json_key(j, "count");
		tl_json_u64(j, a->count);
		tl_json_key(j, "first_positions");
		tl_json_arr_begin(j);
		for (size_t k = 0; k < a->n_first; k++)
			tl_json_u64(j, a->first[k]);
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

void tl_json_quality(tl_json_t *j, const tl_quality_model_t *m)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "gap_threshold_seconds");
	tl_json_fixed(j, (double)m->gap_threshold_us / 1e6, 6);
	tl_json_key(j, "span_start");
	tl_json_time(j, m->span_start);
	tl_json_key(j, "span_end");
	tl_json_time(j, m->span_end);
	tl_json_key(j, "span_minutes");
	tl_json_u64(j, m->span_minutes);
	tl_json_key(j, "inputs");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_inputs; i++)
		input(j, &m->inputs[i]);
	tl_json_arr_end(j);
	tl_json_key(j, "sensors");
	tl_json_arr_begin(j);
	for (size_t s = 0; s < m->n_sensors; s++) {
		const tl_quality_sensor_t *se = &m->sensors[s];
		tl_json_obj_begin(j);
		tl_json_key(j, "name");
		if (se->name)
			tl_json_str(j, se->name);
		else
			tl_json_null(j);
		tl_json_key(j, "first");
		tl_json_time(j, se->first_ts);
		tl_json_key(j, "last");
		tl_json_time(j, se->last_ts);
		src(j, "source", se->source);
		src(j, "recorded_source", se->recorded_source);
		tl_json_key(j, "minutes_covered");
		tl_json_u64(j, se->minutes_covered);
		tl_json_key(j, "coverage");
		tl_json_fixed(j, se->coverage, 6);
		tl_json_key(j, "minutes_covered_other");
		tl_json_u64(j, se->minutes_other);
		gaps(j, se->gaps, se->n_gaps, se->gaps_total, se->gap_time_us);
		quiet(j, se->quiet, se->n_quiet, se->quiet_total, se->quiet_time_us);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "overall");
	tl_json_obj_begin(j);
	tl_json_key(j, "minutes_covered");
	tl_json_u64(j, m->minutes_covered);
	tl_json_key(j, "coverage");
	tl_json_fixed(j, m->coverage, 6);
	gaps(j, m->gaps, m->n_gaps, m->gaps_total, m->gap_time_us);
	quiet(j, m->quiet, m->n_quiet, m->quiet_total, m->quiet_time_us);
	tl_json_obj_end(j);
	tl_json_key(j, "other_coverage");
	other(j, &m->other);
	tl_json_key(j, "totals");
	tl_json_obj_begin(j);
	tl_json_key(j, "records");
	tl_json_u64(j, m->records);
	tl_json_key(j, "truncated");
	tl_json_u64(j, m->truncated);
	tl_json_key(j, "unanswered");
	tl_json_u64(j, m->unanswered);
	tl_json_key(j, "unmatched");
	tl_json_u64(j, m->unmatched);
	drops(j, "if_drops", m->if_drops, m->if_drops_known);
	drops(j, "os_drops", m->os_drops, m->os_drops_known);
	tl_json_key(j, "malformed");
	tl_json_u64(j, m->malformed);
	tl_json_key(j, "anomalies");
	tl_json_obj_begin(j);
	for (int k = 0; k < TL_AN__COUNT; k++) {
		if (!m->anomaly_count[k])
			continue;
		tl_json_key(j, tl_anomaly_name((tl_anomaly_kind_t)k));
		tl_json_u64(j, m->anomaly_count[k]);
	}
	tl_json_obj_end(j);
	tl_json_obj_end(j);
	tl_json_key(j, "duplicates");
	tl_json_obj_begin(j);
	tl_json_key(j, "sightings");
	tl_json_u64(j, m->sightings);
	tl_json_key(j, "unique");
	tl_json_u64(j, m->unique);
	tl_json_key(j, "removed");
	tl_json_u64(j, m->duplicates);
	tl_json_key(j, "by_sensor_pair");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_dup_pairs; i++) {
		tl_json_obj_begin(j);
		tl_json_key(j, "kept_sensor");
		tl_json_u64(j, m->dup_pairs[i].sensor_kept);
		tl_json_key(j, "removed_sensor");
		tl_json_u64(j, m->dup_pairs[i].sensor_dup);
		tl_json_key(j, "count");
		tl_json_u64(j, m->dup_pairs[i].count);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_key(j, "clock_offsets");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_offsets; i++) {
		const tl_quality_offset_t *o = &m->offsets[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "sensor_a");
		tl_json_u64(j, o->sensor_a);
		tl_json_key(j, "sensor_b");
		tl_json_u64(j, o->sensor_b);
		tl_json_key(j, "pairs");
		tl_json_u64(j, o->pairs);
		tl_json_key(j, "median_seconds");
		tl_json_fixed(j, (double)o->median_us / 1e6, 6);
		tl_json_key(j, "mad_seconds");
		tl_json_fixed(j, (double)o->mad_us / 1e6, 6);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}
