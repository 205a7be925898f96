/* json_findings.c - the whole findings document (schema: docs/findings-schema.md):
 * tool, case settings, inputs, target, lookups, sources and organisations, then
 * each module's object. Keys in a fixed order; nothing here computes. */
#include "render/json/case.h"
#include "case/case.h"
#include "case/events.h"
#include "model/findings.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

#include <stdio.h>
#include <string.h>

static void addr_value(tl_json_t *j, const tl_addr_t *a)
{
	char s[TL_ADDR_STR_LEN];
	tl_addr_format(a, s);
	tl_json_str(j, s);
}

static void sha_value(tl_json_t *j, const uint8_t *d)
{
	char hex[TL_SHA256_HEX_LEN];
	tl_sha256_hex(d, hex);
	tl_json_str(j, hex);
}

static void inputs(tl_json_t *j, const tl_findings_t *f)
{
	char name[24];
	const tl_ctx_t *ctx = &f->ctx;
	tl_json_arr_begin(j);
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		const tl_input_info_t *info = &in->info;
		const tl_input_stats_t *st = &info->stats;
		tl_json_obj_begin(j);
		tl_json_key(j, "label");
		tl_json_str(j, in->label);
		tl_json_key(j, "path");
		tl_json_str(j, in->path);
		tl_json_key(j, "sensor");
		tl_json_str(j, ctx->sensors[in->sensor].name);
		tl_json_key(j, "format");
		tl_json_str(j, tl_format_name(info->format));
		tl_json_key(j, "gzip");
		tl_json_bool(j, info->gzip);
		tl_json_key(j, "link_types");
		tl_json_arr_begin(j);
		for (size_t k = 0; k < st->n_linktypes; k++)
			tl_json_str(j, tl_net_dlt_name(st->linktypes[k], name));
		tl_json_arr_end(j);
		tl_json_key(j, "size");
		tl_json_u64(j, info->size);
		tl_json_key(j, "sha256");
		sha_value(j, info->sha256);
		tl_json_key(j, "sha256_expected");
		tl_json_str(j, f->kase->inputs[i].has_sha256 ? f->kase->inputs[i].sha256_hex : NULL);
		tl_json_key(j, "clock_offset_us");
		tl_json_i64(j, in->offset_us);
		tl_json_key(j, "first_ts");
		tl_json_time(j, st->first_ts);
		tl_json_key(j, "last_ts");
		tl_json_time(j, st->last_ts);
		tl_json_key(j, "capture_periods");
		tl_json_arr_begin(j);
		for (size_t k = 0; k < st->periods.n; k++) {
			tl_json_obj_begin(j);
			tl_json_key(j, "start");
			tl_json_time(j, st->periods.v[k].start);
			tl_json_key(j, "end");
			tl_json_time(j, st->periods.v[k].end);
			tl_json_obj_end(j);
		}
		tl_json_arr_end(j);
		tl_json_key(j, "capture_periods_joined");
		tl_json_u64(j, st->periods.joined);
		tl_json_key(j, "units");
		tl_json_u64(j, st->frames);
		tl_json_key(j, "messages");
		tl_json_u64(j, st->messages);
		tl_json_key(j, "queries");
		tl_json_u64(j, st->queries);
		tl_json_key(j, "responses");
		tl_json_u64(j, st->responses);
		tl_json_key(j, "anomalies");
		tl_json_u64(j, tl_anomaly_total(&info->anomalies));
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

static void target(tl_json_t *j, const tl_findings_t *f)
{
	const tl_case_t *c = f->kase;
	tl_json_obj_begin(j);
	tl_json_key(j, "names");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < c->n_names; k++)
		tl_json_str(j, c->names[k]);
	tl_json_arr_end(j);
	tl_json_key(j, "suffixes");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < c->n_suffixes; k++)
		tl_json_str(j, c->suffixes[k]);
	tl_json_arr_end(j);
	tl_json_key(j, "ips");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < c->n_ips; k++)
		addr_value(j, &c->ips[k]);
	tl_json_arr_end(j);
	tl_json_key(j, "names_resolved_to_ips");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < f->n_target_names_resolved; k++)
		tl_json_str(j, f->target_names_resolved[k]);
	tl_json_arr_end(j);
	tl_json_key(j, "names_looked_up");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < f->ctx.n_names; k++)
		tl_json_str(j, f->ctx.names[k]);
	tl_json_arr_end(j);
	tl_json_key(j, "ttl_s");
	tl_json_i64(j, f->ctx.ttl_s);
	tl_json_key(j, "ttl_method");
	tl_json_str(j, f->ctx.ttl_method);
	tl_json_key(j, "ttl_answers");
	tl_json_u64(j, f->ttl_answers);
	tl_json_obj_end(j);
}

static void lookups(tl_json_t *j, const tl_findings_t *f)
{
	const tl_dedup_stats_t *d = &f->dedup;
	const tl_ctx_t *ctx = &f->ctx;
	tl_json_obj_begin(j);
	tl_json_key(j, "definition");
	tl_json_str(j, "a query (QR=0) for a target name, a name at or below a target suffix, "
		       "or a name seen resolving to a target address; sightings of the same "
		       "lookup at several sensors count once");
	tl_json_key(j, "sightings");
	tl_json_u64(j, d->sightings);
	tl_json_key(j, "unique");
	tl_json_u64(j, d->unique);
	tl_json_key(j, "duplicates_removed");
	tl_json_u64(j, d->removed);
	tl_json_key(j, "duplicates_matched_by_id");
	tl_json_u64(j, d->removed_by_id);
	tl_json_key(j, "duplicates_retries");
	tl_json_u64(j, d->removed_as_retry);
	tl_json_key(j, "dedup_tolerance_us");
	tl_json_i64(j, f->kase->dedup_tolerance_us);
	tl_json_key(j, "responses_by_rcode");
	tl_json_arr_begin(j);
	for (unsigned k = 0; k < TL_RCODE_SLOTS; k++) {
		char buf[16];
		if (!d->response_rcodes[k])
			continue;
		tl_json_obj_begin(j);
		tl_json_key(j, "rcode");
		if (k == TL_RCODE_SLOTS - 1)
			tl_json_str(j, "23 or above");
		else
			tl_json_str(j, tl_rcode_name((uint16_t)k, buf));
		tl_json_key(j, "responses");
		tl_json_u64(j, d->response_rcodes[k]);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "clock_offsets");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < d->n_offsets; k++) {
		const tl_offset_est_t *o = &d->offsets[k];
		tl_json_obj_begin(j);
		tl_json_key(j, "sensor_a");
		tl_json_str(j, ctx->sensors[o->sensor_a].name);
		tl_json_key(j, "sensor_b");
		tl_json_str(j, ctx->sensors[o->sensor_b].name);
		tl_json_key(j, "pairs");
		tl_json_u64(j, o->pairs);
		tl_json_key(j, "median_s");
		tl_json_fixed(j, o->median_s, 6);
		tl_json_key(j, "mad_s");
		tl_json_fixed(j, o->mad_s, 6);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static void attribution(tl_json_t *j, const tl_findings_t *f)
{
	const tl_ctx_t *ctx = &f->ctx;
	tl_json_obj_begin(j);
	tl_json_key(j, "organisations");
	tl_json_arr_begin(j);
	for (size_t k = 0; k < ctx->n_orgs; k++) {
		tl_json_obj_begin(j);
		tl_json_key(j, "name");
		tl_json_str(j, ctx->orgs[k].name);
		tl_json_key(j, "method");
		tl_json_str(j, ctx->orgs[k].method);
		tl_json_key(j, "timezone");
		tl_json_str(j, ctx->orgs[k].tz);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "sources");
	tl_json_arr_begin(j);
	for (size_t s = 0; s < ctx->n_sources; s++) {
		const tl_ctx_source_t *src = &ctx->sources[s];
		tl_json_obj_begin(j);
		tl_json_key(j, "address");
		addr_value(j, &src->addr);
		tl_json_key(j, "organisation");
		tl_json_str(j, ctx->orgs[src->org].name);
		tl_json_key(j, "network");
		tl_json_str(j, f->source_attr[s].network[0] ? f->source_attr[s].network : NULL);
		tl_json_key(j, "asn");
		if (f->source_attr[s].has_asn)
			tl_json_u64(j, f->source_attr[s].asn);
		else
			tl_json_null(j);
		tl_json_key(j, "ptr");
		tl_json_str(j, src->ptr);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

void tl_json_findings(tl_json_t *j, const tl_findings_t *f)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "schema");
	tl_json_str(j, TL_FINDINGS_SCHEMA);
	tl_json_key(j, "tool");
	tl_json_obj_begin(j);
	tl_json_key(j, "name");
	tl_json_str(j, "tealeaves");
	tl_json_key(j, "version");
	tl_json_str(j, f->tool_version);
	tl_json_obj_end(j);
	tl_json_key(j, "case");
	tl_case_write_json(f->kase, j);
	tl_json_key(j, "case_file_sha256");
	tl_json_str(j, f->kase->file_sha256_hex);
	tl_json_key(j, "events_file");
	if (f->events) {
		tl_json_obj_begin(j);
		tl_json_key(j, "sha256");
		tl_json_str(j, f->events->sha256_hex);
		tl_json_key(j, "events");
		tl_json_u64(j, f->events->n);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_key(j, "inputs");
	inputs(j, f);
	tl_json_key(j, "span");
	tl_json_obj_begin(j);
	tl_json_key(j, "start");
	tl_json_time(j, f->ctx.span_end > f->ctx.span_start ? f->ctx.span_start : TL_TIME_NONE);
	tl_json_key(j, "end");
	tl_json_time(j, f->ctx.span_end > f->ctx.span_start ? f->ctx.span_end : TL_TIME_NONE);
	tl_json_obj_end(j);
	tl_json_key(j, "target");
	target(j, f);
	tl_json_key(j, "lookups");
	lookups(j, f);
	tl_json_key(j, "attribution");
	attribution(j, f);
	tl_json_key(j, "profile");
	tl_json_profile(j, &f->profile);
	tl_json_key(j, "resolver_behaviour");
	tl_json_resolver(j, &f->resolver);
	tl_json_key(j, "baselines");
	tl_json_baseline(j, &f->baseline);
	tl_json_key(j, "events");
	if (f->has_correlate)
		tl_json_correlate(j, &f->correlate);
	else
		tl_json_null(j);
	tl_json_key(j, "names");
	tl_json_names(j, &f->names);
	tl_json_key(j, "quality");
	tl_json_quality(j, &f->quality);
	tl_json_obj_end(j);
}
