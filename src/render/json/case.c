/* case.c - the effective settings of a case as canonical JSON: what the findings and the
 * manifest record of the case file. Formats only. */
#include "render/json/case.h"
#include "util/time.h"

#include <inttypes.h>
#include <stdio.h>

/* [{"start": ..., "end": ...}, ...], or null when not given. */
static void spans_json(tl_json_t *j, const char *k, int given, const tl_case_span_t *sp,
		       size_t n)
{
	tl_json_key(j, k);
	if (!given) {
		tl_json_null(j);
		return;
	}
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		tl_json_obj_begin(j);
		tl_json_key(j, "start");
		tl_json_time(j, sp[i].start);
		tl_json_key(j, "end");
		tl_json_time(j, sp[i].end);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

static void kstr(tl_json_t *j, const char *k, const char *v)
{
	tl_json_key(j, k);
	if (v)
		tl_json_str(j, v);
	else
		tl_json_null(j);
}

static void ksec(tl_json_t *j, const char *k, int64_t us)
{
	tl_json_key(j, k);
	tl_json_i64(j, us / TL_US_PER_SEC);
}

static void ku64(tl_json_t *j, const char *k, uint64_t v)
{
	tl_json_key(j, k);
	tl_json_u64(j, v);
}

static void kbool(tl_json_t *j, const char *k, int v)
{
	tl_json_key(j, k);
	tl_json_bool(j, v);
}

static void strv_json(tl_json_t *j, const char *k, char *const *v, size_t n)
{
	tl_json_key(j, k);
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		tl_json_str(j, v[i]);
	tl_json_arr_end(j);
}

void tl_case_write_json(const tl_case_t *c, tl_json_t *j)
{
	tl_json_obj_begin(j);

	tl_json_key(j, "case");
	tl_json_obj_begin(j);
	kstr(j, "number", c->number);
	kstr(j, "title", c->title);
	kstr(j, "exhibit", c->exhibit);
	kstr(j, "requester", c->requester);
	strv_json(j, "examiners", c->examiners, c->n_examiners);
	kstr(j, "examiner_role", c->examiner_role);
	kstr(j, "organisation", c->organisation);
	kstr(j, "report_date", c->has_report_date ? c->report_date : NULL);
	kstr(j, "timezone", c->timezone);
	ku64(j, "version", c->version);
	kbool(j, "supplemental", c->supplemental);
	kstr(j, "control_prefix", c->control_prefix);
	tl_json_obj_end(j);

	tl_json_key(j, "evidence");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < c->n_inputs; i++) {
		const tl_case_input_t *in = &c->inputs[i];
		tl_json_obj_begin(j);
		kstr(j, "label", in->label);
		kstr(j, "path", in->path);
		kstr(j, "sha256", in->has_sha256 ? in->sha256_hex : NULL);
		kstr(j, "sensor", in->sensor);
		ksec(j, "offset_s", in->offset_us);
		spans_json(j, "recording", in->has_recording, in->recording, in->n_recording);
		spans_json(j, "gaps", 1, in->gaps, in->n_gaps);
		kstr(j, "received", in->received);
		kstr(j, "received_from", in->received_from);
		kstr(j, "received_by", in->received_by);
		kstr(j, "received_how", in->received_how);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);

	tl_json_key(j, "target");
	tl_json_obj_begin(j);
	strv_json(j, "names", c->names, c->n_names);
	strv_json(j, "suffixes", c->suffixes, c->n_suffixes);
	tl_json_key(j, "ips");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < c->n_ips; i++) {
		char s[TL_ADDR_STR_LEN];
		tl_addr_format(&c->ips[i], s);
		tl_json_str(j, s);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);

	tl_json_key(j, "sources");
	tl_json_obj_begin(j);
	kstr(j, "organisations", c->orgs_path);
	kstr(j, "mmdb", c->mmdb_path);
	tl_json_key(j, "timezones");
	tl_json_obj_begin(j);
	for (size_t i = 0; i < c->n_org_zones; i++)
		kstr(j, c->org_zones[i].organisation, c->org_zones[i].zone);
	tl_json_obj_end(j);
	tl_json_obj_end(j);

	tl_json_key(j, "events");
	tl_json_obj_begin(j);
	kstr(j, "file", c->events_path);
	ksec(j, "window_before_s", c->window_before_us);
	ksec(j, "window_after_s", c->window_after_us);
	tl_json_obj_end(j);

	tl_json_key(j, "analysis");
	tl_json_obj_begin(j);
	ksec(j, "dedup_tolerance_s", c->dedup_tolerance_us);
	tl_json_key(j, "ttl_s");
	if (c->ttl_auto)
		tl_json_str(j, "auto");
	else
		tl_json_i64(j, c->ttl_us / TL_US_PER_SEC);
	ksec(j, "periodic_tolerance_s", c->periodic_tolerance_us);
	ku64(j, "permutations", c->permutations);
	ku64(j, "seed", c->seed);
	tl_json_key(j, "alpha");
	tl_json_fixed(j, c->alpha, 6);
	kstr(j, "correction", c->correction == TL_CORRECTION_BH ? "bh" : "holm");
	ku64(j, "baseline_min_lookups", c->baseline_min_lookups);
	ksec(j, "gap_threshold_s", c->gap_threshold_us);
	ku64(j, "top_k", c->top_k);
	ku64(j, "reference_weeks", c->reference_weeks);
	ku64(j, "min_reference_weeks", c->min_reference_weeks);
	tl_json_obj_end(j);

	tl_json_key(j, "report");
	tl_json_obj_begin(j);
	kstr(j, "template", c->template_name);
	kstr(j, "language", c->language);
	kbool(j, "draft", c->draft);
	tl_json_obj_end(j);

	tl_json_obj_end(j);
}
