/* json_profile.c - the profile findings as one JSON object (schema: docs/findings/profile.md).
 * Keys in a fixed order; shares and interval bounds with 6 decimals; times ISO 8601 UTC. */
#include "model/profile.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

#include <stdio.h>

static void share_fields(tl_json_t *j, const tl_prof_count_t *c)
{
	tl_json_key(j, "share");
	tl_json_fixed(j, c->share, 6);
	tl_json_key(j, "ci");
	tl_json_arr_begin(j);
	tl_json_fixed(j, c->lo, 6);
	tl_json_fixed(j, c->hi, 6);
	tl_json_arr_end(j);
}

static void count_obj(tl_json_t *j, const char *key, const tl_prof_count_t *c)
{
	tl_json_key(j, key);
	tl_json_obj_begin(j);
	tl_json_key(j, "count");
	tl_json_u64(j, c->count);
	share_fields(j, c);
	tl_json_obj_end(j);
}

static void sighting(tl_json_t *j, const char *key, const tl_prof_sighting_t *s)
{
	tl_json_key(j, key);
	if (s->ts == TL_TIME_NONE) {
		tl_json_null(j);
		return;
	}
	tl_json_obj_begin(j);
	tl_json_key(j, "time");
	tl_json_time(j, s->ts);
	tl_json_key(j, "input");
	tl_json_str(j, s->label);
	tl_json_key(j, "position");
	tl_json_u64(j, s->pos);
	tl_json_obj_end(j);
}

static void date_value(tl_json_t *j, int64_t day)
{
	int64_t y;
	unsigned m, d;
	tl_civil_from_days(day, &y, &m, &d);
	char s[32];
	snprintf(s, sizeof(s), "%04lld-%02u-%02u", (long long)y, m, d);
	tl_json_str(j, s);
}

static void hours(tl_json_t *j, const uint64_t h[24])
{
	tl_json_arr_begin(j);
	for (int i = 0; i < 24; i++)
		tl_json_u64(j, h[i]);
	tl_json_arr_end(j);
}

static void week(tl_json_t *j, const char *key, const uint64_t w[7][24], int valid)
{
	tl_json_key(j, key);
	if (!valid) {
		tl_json_null(j);
		return;
	}
	tl_json_arr_begin(j);
	for (int d = 0; d < 7; d++)
		hours(j, w[d]);
	tl_json_arr_end(j);
}

static void conc(tl_json_t *j, const tl_prof_conc_t *c)
{
	tl_json_key(j, "count");
	tl_json_u64(j, c->n);
	tl_json_key(j, "top_k");
	tl_json_u64(j, c->k);
	tl_json_key(j, "top_k_share");
	tl_json_fixed(j, c->top_k_share, 6);
	tl_json_key(j, "hhi");
	tl_json_fixed(j, c->hhi, 6);
	tl_json_key(j, "entities");
	tl_json_u64(j, c->entities);
}

static void values(tl_json_t *j, const char *key, const char *vkey, const tl_prof_value_t *v,
		   size_t n)
{
	tl_json_key(j, key);
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		tl_json_obj_begin(j);
		tl_json_key(j, vkey);
		tl_json_u64(j, v[i].value);
		tl_json_key(j, "count");
		tl_json_u64(j, v[i].count);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

void tl_json_profile(struct tl_json *j, const tl_profile_model_t *m)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "alpha");
	tl_json_fixed(j, m->alpha, 6);
	tl_json_key(j, "lookups");
	tl_json_u64(j, m->n_lookups);
	tl_json_key(j, "duplicates_ignored");
	tl_json_u64(j, m->n_duplicates);
	sighting(j, "first", &m->first);
	sighting(j, "last", &m->last);
	tl_json_key(j, "active_days");
	tl_json_u64(j, m->active_days);
	tl_json_key(j, "share_intervals");
	tl_json_str(j, "wilson_deff_utc_days");
	tl_json_key(j, "days");
	tl_json_obj_begin(j);
	tl_json_key(j, "first");
	if (m->n_days > 0)
		date_value(j, m->first_day);
	else
		tl_json_null(j);
	tl_json_key(j, "count");
	tl_json_u64(j, m->n_days);
	tl_json_key(j, "outside_span");
	tl_json_u64(j, m->outside_span);
	tl_json_obj_end(j);

	tl_json_key(j, "sources");
	tl_json_obj_begin(j);
	conc(j, &m->source_conc);
	tl_json_key(j, "items");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_sources; i++) {
		const tl_prof_source_t *s = &m->sources[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "source");
		tl_json_str(j, s->addr_text);
		tl_json_key(j, "organisation");
		tl_json_str(j, s->org_name);
		tl_json_key(j, "lookups");
		tl_json_u64(j, s->lookups.count);
		share_fields(j, &s->lookups);
		tl_json_key(j, "design_effect");
		tl_json_fixed(j, s->lookups.deff, 6);
		sighting(j, "first", &s->first);
		sighting(j, "last", &s->last);
		tl_json_key(j, "active_days");
		tl_json_u64(j, s->active_days);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);

	tl_json_key(j, "organisations");
	tl_json_obj_begin(j);
	conc(j, &m->org_conc);
	tl_json_key(j, "unattributed_counting");
	tl_json_str(j, "each_address");
	tl_json_key(j, "items");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_orgs; i++) {
		const tl_prof_org_t *o = &m->orgs[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "organisation");
		tl_json_str(j, o->name);
		tl_json_key(j, "timezone");
		tl_json_str(j, o->tz);
		tl_json_key(j, "sources");
		tl_json_u64(j, o->n_sources);
		tl_json_key(j, "lookups");
		tl_json_u64(j, o->lookups.count);
		share_fields(j, &o->lookups);
		tl_json_key(j, "design_effect");
		tl_json_fixed(j, o->lookups.deff, 6);
		sighting(j, "first", &o->first);
		sighting(j, "last", &o->last);
		tl_json_key(j, "active_days");
		tl_json_u64(j, o->active_days);
		tl_json_key(j, "daily");
		tl_json_arr_begin(j);
		for (size_t d = 0; d < m->n_days; d++) {
			tl_json_obj_begin(j);
			tl_json_key(j, "date");
			date_value(j, m->first_day + (int64_t)d);
			tl_json_key(j, "count");
			tl_json_u64(j, o->daily[d]);
			tl_json_obj_end(j);
		}
		tl_json_arr_end(j);
		tl_json_key(j, "hourly_utc");
		hours(j, o->hourly);
		week(j, "week_utc", o->week_utc, 1);
		week(j, "week_local", o->week_local, o->tz_ok);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);

	const tl_prof_queries_t *q = &m->queries;
	tl_json_key(j, "queries");
	tl_json_obj_begin(j);
	values(j, "qtypes", "qtype", q->qtypes, q->n_qtypes);
	tl_json_key(j, "transport");
	tl_json_obj_begin(j);
	tl_json_key(j, "udp");
	tl_json_u64(j, q->transport[1]);
	tl_json_key(j, "tcp");
	tl_json_u64(j, q->transport[2]);
	tl_json_key(j, "unknown");
	tl_json_u64(j, q->transport[0]);
	tl_json_obj_end(j);
	count_obj(j, "rd", &q->rd);
	tl_json_key(j, "edns");
	tl_json_obj_begin(j);
	count_obj(j, "present", &q->edns_present);
	tl_json_key(j, "absent");
	tl_json_u64(j, q->edns_absent);
	tl_json_key(j, "unknown");
	tl_json_u64(j, q->edns_unknown);
	count_obj(j, "do", &q->do_bit);
	values(j, "udp_sizes", "size", q->edns_sizes, q->n_edns_sizes);
	tl_json_obj_end(j);
	count_obj(j, "mixed_case", &q->mixed_case);
	tl_json_obj_end(j);
	tl_json_obj_end(j);
}
