/* json_resolver.c - the resolver-behaviour findings as one JSON object (schema:
 * docs/findings/resolver.md). Keys in a fixed order; shares, bounds and seconds with
 * 6 decimals; times ISO 8601 UTC. */
#include "model/resolver.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

static void count_obj(tl_json_t *j, const char *key, const tl_res_count_t *c)
{
	tl_json_key(j, key);
	tl_json_obj_begin(j);
	tl_json_key(j, "count");
	tl_json_u64(j, c->count);
	tl_json_key(j, "share");
	tl_json_fixed(j, c->share, 6);
	tl_json_key(j, "ci");
	tl_json_arr_begin(j);
	tl_json_fixed(j, c->lo, 6);
	tl_json_fixed(j, c->hi, 6);
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}

static void iat(tl_json_t *j, const tl_res_iat_t *r)
{
	tl_json_key(j, "intervals");
	tl_json_obj_begin(j);
	tl_json_key(j, "count");
	tl_json_u64(j, r->n);
	tl_json_key(j, "min_s");
	tl_json_fixed(j, r->min_s, 6);
	tl_json_key(j, "q25_s");
	tl_json_fixed(j, r->q25_s, 6);
	tl_json_key(j, "median_s");
	tl_json_fixed(j, r->median_s, 6);
	tl_json_key(j, "q75_s");
	tl_json_fixed(j, r->q75_s, 6);
	tl_json_key(j, "max_s");
	tl_json_fixed(j, r->max_s, 6);
	tl_json_obj_end(j);
}

static void hist(tl_json_t *j, const tl_res_bins_t *b, const uint64_t *h)
{
	tl_json_key(j, "histogram");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < b->n; i++)
		tl_json_u64(j, h[i]);
	tl_json_arr_end(j);
}

static void classes(tl_json_t *j, const tl_resolver_model_t *m, const tl_res_classes_t *c)
{
	tl_json_key(j, "classes");
	if (m->ttl_s <= 0) {
		tl_json_null(j);
		return;
	}
	tl_json_obj_begin(j);
	tl_json_key(j, "intervals");
	tl_json_u64(j, c->intervals);
	tl_json_key(j, "spans_gap");
	tl_json_u64(j, c->spans_gap);
	tl_json_key(j, "ttl_unknown");
	tl_json_u64(j, c->ttl_unknown);
	tl_json_key(j, "classified");
	tl_json_u64(j, c->n);
	tl_json_key(j, "negative_ttl");
	tl_json_u64(j, c->negative);
	tl_json_key(j, "answer_inferred");
	tl_json_u64(j, c->inferred);
	count_obj(j, "periodic", &c->periodic);
	count_obj(j, "later", &c->later);
	count_obj(j, "inside_ttl", &c->inside);
	tl_json_obj_end(j);
}

static void mode(tl_json_t *j, const char *key, const tl_res_mode_t *md, int boolean)
{
	tl_json_key(j, key);
	tl_json_obj_begin(j);
	tl_json_key(j, "known");
	tl_json_u64(j, md->known);
	tl_json_key(j, "value");
	if (!md->known)
		tl_json_null(j);
	else if (boolean)
		tl_json_bool(j, md->value != 0);
	else
		tl_json_u64(j, md->value);
	tl_json_key(j, "count");
	tl_json_u64(j, md->count);
	tl_json_obj_end(j);
}

static const char *transport_name(uint32_t t)
{
	return t == 1 ? "udp" : t == 2 ? "tcp" : "unknown";
}

static void fingerprint(tl_json_t *j, const tl_res_source_t *r)
{
	const tl_res_fingerprint_t *fp = &r->fp;
	tl_json_key(j, "fingerprint");
	tl_json_obj_begin(j);
	tl_json_key(j, "checked");
	tl_json_bool(j, r->checked);
	mode(j, "ip_ttl", &fp->ip_ttl, 0);
	mode(j, "edns_size", &fp->edns_size, 0);
	mode(j, "do", &fp->do_bit, 1);
	mode(j, "options", &fp->opt_set, 0);
	mode(j, "mixed_case", &fp->mixed, 1);
	tl_json_key(j, "transport");
	tl_json_obj_begin(j);
	tl_json_key(j, "value");
	tl_json_str(j, transport_name(fp->transport.value));
	tl_json_key(j, "count");
	tl_json_u64(j, fp->transport.count);
	tl_json_obj_end(j);
	tl_json_key(j, "ports");
	tl_json_obj_begin(j);
	tl_json_key(j, "known");
	tl_json_u64(j, fp->with_id);
	tl_json_key(j, "distinct");
	tl_json_u64(j, fp->ports_distinct);
	tl_json_key(j, "spread");
	tl_json_fixed(j, fp->port_spread, 6);
	tl_json_key(j, "min");
	if (fp->with_id)
		tl_json_u64(j, fp->port_min);
	else
		tl_json_null(j);
	tl_json_key(j, "max");
	if (fp->with_id)
		tl_json_u64(j, fp->port_max);
	else
		tl_json_null(j);
	tl_json_obj_end(j);
	tl_json_key(j, "ids");
	tl_json_obj_begin(j);
	tl_json_key(j, "known");
	tl_json_u64(j, fp->with_id);
	tl_json_key(j, "distinct");
	tl_json_u64(j, fp->ids_distinct);
	tl_json_key(j, "spread");
	tl_json_fixed(j, fp->id_spread, 6);
	tl_json_obj_end(j);
	tl_json_obj_end(j);
}

static void brk(tl_json_t *j, const tl_resolver_model_t *m, const tl_res_break_t *b)
{
	static const struct {
		unsigned bit;
		const char *name;
	} parts[] = {{TL_RES_FP_IPTTL, "ip_ttl"}, {TL_RES_FP_EDNS, "edns_size"},
		     {TL_RES_FP_DO, "do"},        {TL_RES_FP_OPTS, "options"},
		     {TL_RES_FP_CASE, "mixed_case"}};
	tl_json_obj_begin(j);
	tl_json_key(j, "source");
	tl_json_str(j, m->sources[b->source].addr_text);
	tl_json_key(j, "time");
	tl_json_time(j, b->ts);
	tl_json_key(j, "input");
	tl_json_str(j, b->label);
	tl_json_key(j, "position");
	tl_json_u64(j, b->pos);
	tl_json_key(j, "differs");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (b->differs & parts[i].bit)
			tl_json_str(j, parts[i].name);
	tl_json_arr_end(j);
	const tl_res_fingerprint_t *fp = &m->sources[b->source].fp;
	tl_json_key(j, "ip_ttl");
	if (b->has_ip_ttl)
		tl_json_u64(j, b->ip_ttl);
	else
		tl_json_null(j);
	tl_json_key(j, "ip_ttl_delta");
	if (b->has_ip_ttl && fp->ip_ttl.known)
		tl_json_i64(j, b->ip_ttl_delta);
	else
		tl_json_null(j);
	tl_json_key(j, "edns_size");
	if (b->has_edns)
		tl_json_u64(j, b->edns_size);
	else
		tl_json_null(j);
	tl_json_key(j, "do");
	if (b->has_edns)
		tl_json_bool(j, b->do_bit);
	else
		tl_json_null(j);
	tl_json_key(j, "options");
	if (b->has_edns)
		tl_json_u64(j, b->opt_set);
	else
		tl_json_null(j);
	tl_json_key(j, "mixed_case");
	tl_json_bool(j, b->mixed);
	tl_json_obj_end(j);
}

void tl_json_resolver(struct tl_json *j, const tl_resolver_model_t *m)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "alpha");
	tl_json_fixed(j, m->alpha, 6);
	tl_json_key(j, "ttl_s");
	if (m->ttl_s > 0)
		tl_json_i64(j, m->ttl_s);
	else
		tl_json_null(j);
	tl_json_key(j, "ttl_method");
	tl_json_str(j, m->ttl_method);
	tl_json_key(j, "periodic_tolerance_s");
	tl_json_i64(j, m->tolerance_s);
	tl_json_key(j, "fingerprint_min_lookups");
	tl_json_u64(j, m->min_lookups);
	tl_json_key(j, "lookups");
	tl_json_u64(j, m->n_lookups);
	tl_json_key(j, "sources_single_lookup");
	tl_json_u64(j, m->sources_single);
	tl_json_key(j, "sources_no_repeat");
	tl_json_u64(j, m->sources_no_repeat);
	tl_json_key(j, "negative_ttl_s");
	if (m->ttl_s > 0 && m->classes.negative > 0) {
		tl_json_obj_begin(j);
		tl_json_key(j, "min");
		tl_json_u64(j, m->neg_ttl_min_s);
		tl_json_key(j, "max");
		tl_json_u64(j, m->neg_ttl_max_s);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_key(j, "bins");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->bins.n; i++) {
		tl_json_obj_begin(j);
		tl_json_key(j, "from_s");
		tl_json_i64(j, m->bins.lower_s[i]);
		tl_json_key(j, "to_s");
		if (i + 1 < m->bins.n)
			tl_json_i64(j, m->bins.lower_s[i + 1]);
		else
			tl_json_null(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "overall");
	tl_json_obj_begin(j);
	iat(j, &m->iat);
	hist(j, &m->bins, m->hist);
	classes(j, m, &m->classes);
	tl_json_obj_end(j);
	tl_json_key(j, "sources");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_sources; i++) {
		const tl_res_source_t *r = &m->sources[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "source");
		tl_json_str(j, r->addr_text);
		tl_json_key(j, "organisation");
		tl_json_str(j, r->org_name);
		tl_json_key(j, "lookups");
		tl_json_u64(j, r->lookups);
		tl_json_key(j, "first");
		tl_json_time(j, r->first_ts);
		tl_json_key(j, "last");
		tl_json_time(j, r->last_ts);
		iat(j, &r->iat);
		hist(j, &m->bins, r->hist);
		classes(j, m, &r->classes);
		fingerprint(j, r);
		tl_json_key(j, "breaks");
		tl_json_u64(j, r->breaks);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "breaks");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_breaks; i++)
		brk(j, m, &m->breaks[i]);
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}
