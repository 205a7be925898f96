/* json_baseline.c - the baselines finding as one JSON object (schema:
 * docs/findings/baseline.md). Formats only; every number comes from the model. */
#include "model/baseline.h"
#include "util/buf.h"
#include "util/timeutil.h"

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

static void org_or_null(tl_json_t *j, const tl_baseline_model_t *m, uint32_t org)
{
	if (org == TL_BASELINE_ORG_NONE || org >= m->n_orgs)
		tl_json_null(j);
	else
		tl_json_str(j, m->org_names[org]);
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
	tl_json_key(j, "sightings");
	tl_json_u64(j, x->sightings);
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
	org_or_null(j, m, x->top_source_org);
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
	tl_json_key(j, "top_organisation");
	tl_json_obj_begin(j);
	tl_json_key(j, "name");
	org_or_null(j, m, x->top_org);
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
	tl_json_str(j, "raw_sightings");
	tl_json_key(j, "min_lookups");
	tl_json_u64(j, m->min_lookups);
	tl_json_key(j, "top_k");
	tl_json_u64(j, m->top_k);
	tl_json_key(j, "ip_cap");
	tl_json_u64(j, m->ip_cap);
	tl_json_key(j, "records_counted");
	tl_json_u64(j, m->records_counted);
	tl_json_key(j, "names_seen");
	tl_json_u64(j, m->names_seen);
	tl_json_key(j, "names_meeting_minimum");
	tl_json_u64(j, m->names_meeting_minimum);
	tl_json_key(j, "names_ips_capped");
	tl_json_u64(j, m->names_ips_capped);
	tl_json_key(j, "pairs_capped");
	tl_json_u64(j, m->pairs_capped);

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
