/* json_baseline.c - the baselines finding as one JSON object (schema:
 * docs/findings/baseline.md). Formats only; every number comes from the model. */
#include "model/baseline.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

static void addr_or_null(tl_json_t *j, const tl_addr_t *a)
{
	if (a->family == 0) {
		tl_json_null(j);
		return;
	}
	char s[TL_ADDR_STR_LEN];
	tl_addr_format(a, s);
	tl_json_str(j, s);
}

/* An organisation's name; "unattributed" for an address without one when there are
 * lookups; null when there are none. */
static void org_or_null(tl_json_t *j, const tl_baseline_model_t *m, uint32_t org, int have)
{
	if (org < m->n_orgs)
		tl_json_str(j, m->org_names[org]);
	else if (have)
		tl_json_str(j, "unattributed");
	else
		tl_json_null(j);
}

static void interval(tl_json_t *j, const char *key, const tl_baseline_interval_t *iv)
{
	tl_json_key(j, key);
	tl_json_obj_begin(j);
	tl_json_key(j, "ci");
	tl_json_arr_begin(j);
	tl_json_fixed(j, iv->lo, 6);
	tl_json_fixed(j, iv->hi, 6);
	tl_json_arr_end(j);
	tl_json_key(j, "percentile_range");
	tl_json_arr_begin(j);
	tl_json_fixed(j, iv->rank_lo, 6);
	tl_json_fixed(j, iv->rank_hi, 6);
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static const char *group_name(int g)
{
	switch (g) {
	case TL_BASELINE_GROUP_TARGET_IP:
		return "target_ip";
	case TL_BASELINE_GROUP_ZONE:
		return "zone";
	default:
		return "other";
	}
}

/* The measures' keys, in the order documented. */
static void measures(tl_json_t *j, const tl_baseline_model_t *m, const tl_baseline_measures_t *x)
{
	int have = x->lookups > 0;
	tl_json_key(j, "sightings");
	tl_json_u64(j, x->sightings);
	tl_json_key(j, "lookups");
	tl_json_u64(j, x->lookups);
	tl_json_key(j, "first");
	tl_json_time(j, x->first_ts);
	tl_json_key(j, "last");
	tl_json_time(j, x->last_ts);
	tl_json_key(j, "first_input");
	if (x->sightings)
		tl_json_u64(j, x->first_input);
	else
		tl_json_null(j);
	tl_json_key(j, "first_pos");
	if (x->sightings)
		tl_json_u64(j, x->first_pos);
	else
		tl_json_null(j);
	tl_json_key(j, "sources");
	tl_json_u64(j, x->n_sources);
	tl_json_key(j, "top_source");
	tl_json_obj_begin(j);
	tl_json_key(j, "address");
	addr_or_null(j, &x->top_source);
	tl_json_key(j, "organisation");
	org_or_null(j, m, x->top_source_org, have);
	tl_json_key(j, "count");
	tl_json_u64(j, x->top_source_count);
	tl_json_key(j, "share");
	tl_json_fixed(j, x->top_source_share, 6);
	tl_json_key(j, "first");
	tl_json_time(j, x->top_source_first);
	tl_json_key(j, "last");
	tl_json_time(j, x->top_source_last);
	tl_json_obj_end(j);
	tl_json_key(j, "top_k_share");
	tl_json_fixed(j, x->top_k_share, 6);
	tl_json_key(j, "hhi");
	tl_json_fixed(j, x->hhi, 6);
	tl_json_key(j, "organisations");
	tl_json_u64(j, x->n_orgs);
	tl_json_key(j, "named_organisations");
	tl_json_u64(j, x->n_named_orgs);
	tl_json_key(j, "unattributed");
	tl_json_obj_begin(j);
	tl_json_key(j, "addresses");
	tl_json_u64(j, x->n_unattributed);
	tl_json_key(j, "lookups");
	tl_json_u64(j, x->unattributed_count);
	tl_json_obj_end(j);
	tl_json_key(j, "top_organisation");
	tl_json_obj_begin(j);
	tl_json_key(j, "name");
	org_or_null(j, m, x->top_org, have);
	tl_json_key(j, "address");
	if (have && x->top_org == TL_BASELINE_ORG_NONE)
		addr_or_null(j, &x->top_org_addr);
	else
		tl_json_null(j);
	tl_json_key(j, "count");
	tl_json_u64(j, x->top_org_count);
	tl_json_key(j, "share");
	tl_json_fixed(j, x->top_org_share, 6);
	tl_json_obj_end(j);
	tl_json_key(j, "org_hhi");
	tl_json_fixed(j, x->org_hhi, 6);
}

void tl_json_baseline(tl_json_t *j, const tl_baseline_model_t *m)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "counting");
	tl_json_str(j, m->counting == TL_BASELINE_COUNT_RAW ? "raw_sightings" : "lookups");
	tl_json_key(j, "dedup_tolerance_us");
	tl_json_i64(j, m->dedup_tolerance_us);
	tl_json_key(j, "unattributed_counting");
	tl_json_str(j, "each_address");
	tl_json_key(j, "min_lookups");
	tl_json_u64(j, m->min_lookups);
	tl_json_key(j, "top_k");
	tl_json_u64(j, m->top_k);
	tl_json_key(j, "ip_cap");
	tl_json_u64(j, m->ip_cap);
	tl_json_key(j, "records_counted");
	tl_json_u64(j, m->records_counted);
	tl_json_key(j, "lookups_counted");
	tl_json_u64(j, m->lookups_counted);
	tl_json_key(j, "names_seen");
	tl_json_u64(j, m->names_seen);
	tl_json_key(j, "names_meeting_minimum");
	tl_json_u64(j, m->names_meeting_minimum);
	tl_json_key(j, "names_ips_capped");
	tl_json_u64(j, m->names_ips_capped);
	tl_json_key(j, "pairs_capped");
	tl_json_u64(j, m->pairs_capped);
	tl_json_key(j, "excluded");
	tl_json_obj_begin(j);
	tl_json_key(j, "successors");
	tl_json_u64(j, m->n_excluded_successor);
	tl_json_key(j, "shared_address");
	tl_json_u64(j, m->n_excluded_shared_addr);
	tl_json_key(j, "names");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_excluded; i++) {
		const tl_baseline_excluded_t *e = &m->excluded[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "name");
		tl_json_str(j, e->name);
		tl_json_key(j, "reason");
		tl_json_str(j, e->reason == TL_BASELINE_EXCL_SUCCESSOR ? "successor"
								       : "shared_address");
		tl_json_key(j, "lookups");
		tl_json_u64(j, e->lookups);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_key(j, "bootstrap");
	tl_json_obj_begin(j);
	tl_json_key(j, "replicates");
	tl_json_u64(j, m->bootstrap_reps);
	tl_json_key(j, "seed");
	tl_json_u64(j, m->bootstrap_seed);
	tl_json_key(j, "clusters");
	tl_json_str(j, "utc_days");
	tl_json_key(j, "days");
	tl_json_u64(j, m->bootstrap_days);
	tl_json_key(j, "alpha");
	tl_json_fixed(j, m->alpha, 6);
	tl_json_obj_end(j);

	tl_json_key(j, "target");
	if (!m->has_target) {
		tl_json_null(j);
	} else {
		const tl_baseline_target_t *t = &m->target;
		tl_json_obj_begin(j);
		tl_json_key(j, "names_seen");
		tl_json_u64(j, t->n_names_seen);
		tl_json_key(j, "meets_minimum");
		tl_json_bool(j, t->meets_minimum);
		measures(j, m, &t->m);
		tl_json_key(j, "percentile");
		tl_json_obj_begin(j);
		tl_json_key(j, "top_source_share");
		tl_json_fixed(j, t->rank_top_source_share, 6);
		tl_json_key(j, "hhi");
		tl_json_fixed(j, t->rank_hhi, 6);
		tl_json_key(j, "top_org_share");
		tl_json_fixed(j, t->rank_top_org_share, 6);
		tl_json_key(j, "org_hhi");
		tl_json_fixed(j, t->rank_org_hhi, 6);
		tl_json_obj_end(j);
		tl_json_key(j, "stability");
		tl_json_obj_begin(j);
		interval(j, "top_source_share", &t->ci_top_source_share);
		interval(j, "hhi", &t->ci_hhi);
		interval(j, "top_org_share", &t->ci_top_org_share);
		interval(j, "org_hhi", &t->ci_org_hhi);
		tl_json_obj_end(j);
		tl_json_obj_end(j);
	}

	tl_json_key(j, "names");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_baseline_name_t *n = &m->names[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "name");
		tl_json_str(j, n->name);
		tl_json_key(j, "group");
		tl_json_str(j, group_name(n->group));
		measures(j, m, &n->m);
		tl_json_key(j, "addresses");
		tl_json_arr_begin(j);
		for (uint64_t k = 0; k < n->n_ips; k++)
			addr_or_null(j, &n->ips[k]);
		tl_json_arr_end(j);
		tl_json_key(j, "addresses_capped");
		tl_json_bool(j, n->ips_capped);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}
