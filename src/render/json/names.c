/* json_names.c - the names findings as one JSON object (docs/findings/names.md). */
#include "model/names.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/time.h"

static void str_or_null(tl_json_t *j, const char *s)
{
	if (s)
		tl_json_str(j, s);
	else
		tl_json_null(j);
}

static void addr(tl_json_t *j, const tl_addr_t *a)
{
	char t[TL_ADDR_STR_LEN];
	tl_addr_format(a, t);
	tl_json_str(j, t);
}

/* "time", "file", "input", "pos" inside the current object */
static void ref_fields(tl_json_t *j, const tl_names_ref_t *r)
{
	tl_json_key(j, "time");
	tl_json_time(j, r->ts);
	tl_json_key(j, "file");
	str_or_null(j, r->file);
	tl_json_key(j, "input");
	tl_json_u64(j, r->input);
	tl_json_key(j, "pos");
	tl_json_u64(j, r->pos);
}

static void binding(tl_json_t *j, const tl_names_binding_t *b, int with_addr)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "name");
	tl_json_str(j, b->name);
	if (with_addr) {
		tl_json_key(j, "address");
		addr(j, &b->addr);
	}
	tl_json_key(j, "first");
	tl_json_obj_begin(j);
	ref_fields(j, &b->first);
	tl_json_obj_end(j);
	tl_json_key(j, "last");
	tl_json_time(j, b->last_ts);
	tl_json_key(j, "responses");
	tl_json_u64(j, b->responses);
	tl_json_obj_end(j);
}

static void name(tl_json_t *j, const tl_names_name_t *n)
{
	char buf[16];
	tl_json_obj_begin(j);
	tl_json_key(j, "name");
	tl_json_str(j, n->name);
	tl_json_key(j, "target");
	tl_json_bool(j, n->target);
	tl_json_key(j, "first_seen");
	tl_json_time(j, n->first_seen);
	tl_json_key(j, "last_seen");
	tl_json_time(j, n->last_seen);
	tl_json_key(j, "queries");
	tl_json_u64(j, n->queries);
	tl_json_key(j, "responses");
	tl_json_u64(j, n->responses);
	tl_json_key(j, "addresses");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n->n_addrs; i++)
		addr(j, &n->addrs[i]);
	tl_json_arr_end(j);
	tl_json_key(j, "last_success");
	if (n->has_success) {
		tl_json_obj_begin(j);
		ref_fields(j, &n->last_success);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_key(j, "failure_after");
	if (n->has_failure_after) {
		tl_json_obj_begin(j);
		ref_fields(j, &n->failure_after);
		tl_json_key(j, "rcode");
		tl_json_str(j, tl_rcode_name(n->failure_rcode, buf));
		tl_json_key(j, "exact");
		tl_json_bool(j, n->failure_exact);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_key(j, "failures_dropped");
	tl_json_u64(j, n->failures_dropped);
	tl_json_key(j, "successors");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n->n_successors; i++)
		binding(j, &n->successors[i], 1);
	tl_json_arr_end(j);
	tl_json_key(j, "first_query");
	if (n->has_first_query) {
		tl_json_obj_begin(j);
		tl_json_key(j, "source");
		addr(j, &n->querier);
		tl_json_key(j, "port");
		tl_json_u64(j, n->querier_port);
		tl_json_key(j, "organisation");
		str_or_null(j, n->querier_org);
		ref_fields(j, &n->first_query);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_obj_end(j);
}

void tl_json_names(tl_json_t *j, const tl_names_model_t *m)
{
	tl_json_obj_begin(j);
	tl_json_key(j, "names_seen");
	tl_json_u64(j, m->names_seen);
	tl_json_key(j, "addresses_seen");
	tl_json_u64(j, m->addrs_seen);
	tl_json_key(j, "bindings_seen");
	tl_json_u64(j, m->bindings_seen);
	tl_json_key(j, "filtered");
	tl_json_bool(j, m->filtered);
	tl_json_key(j, "failure_cap");
	tl_json_u64(j, m->failure_cap);
	tl_json_key(j, "names_capped");
	tl_json_u64(j, m->names_capped);
	tl_json_key(j, "addresses");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_addrs; i++) {
		tl_json_obj_begin(j);
		tl_json_key(j, "address");
		addr(j, &m->addrs[i].addr);
		tl_json_key(j, "names");
		tl_json_arr_begin(j);
		for (size_t k = 0; k < m->addrs[i].n_names; k++)
			binding(j, &m->addrs[i].names[k], 0);
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_key(j, "names");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < m->n_names; i++)
		name(j, &m->names[i]);
	tl_json_arr_end(j);
	tl_json_obj_end(j);
}
