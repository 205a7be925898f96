/* trace.c - selection of the sightings behind a count, and matching records to them. */
#include "analysis/trace.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

static int cmp_item(const void *pa, const void *pb)
{
	const tl_trace_item_t *a = pa, *b = pb;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* ASCII-case-insensitive comparison of a presentation name with an optional
 * trailing dot against an interned (lower-case, dotted) name. */
static int name_eq(const char *want, const char *interned)
{
	size_t wl = strlen(want), il = strlen(interned);
	if (wl && want[wl - 1] == '.')
		wl--;
	if (il && interned[il - 1] == '.')
		il--;
	if (wl != il)
		return 0;
	for (size_t i = 0; i < wl; i++) {
		char c = want[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != interned[i])
			return 0;
	}
	return 1;
}

int tl_trace_select(const tl_findings_t *f, const tl_trace_filter_t *flt, tl_trace_t *out)
{
	const tl_ctx_t *ctx = &f->ctx;
	memset(out, 0, sizeof(*out));
	uint32_t src = TL_NONE32, org = TL_NONE32, name = TL_NONE32;
	if (flt->source) {
		for (size_t s = 0; s < ctx->n_sources; s++)
			if (tl_addr_equal(&ctx->sources[s].addr, flt->source))
				src = (uint32_t)s;
		if (src == TL_NONE32)
			return TL_EINVAL;
	}
	if (flt->organisation) {
		for (size_t o = 0; o < ctx->n_orgs; o++)
			if (strcmp(ctx->orgs[o].name, flt->organisation) == 0)
				org = (uint32_t)o;
		if (org == TL_NONE32)
			return TL_EINVAL;
	}
	if (flt->name) {
		for (size_t k = 0; k < ctx->n_names; k++)
			if (name_eq(flt->name, ctx->names[k]))
				name = (uint32_t)k;
		if (name == TL_NONE32)
			return TL_EINVAL;
	}
	out->items = tl_xcalloc(ctx->n_lookups, sizeof(tl_trace_item_t));
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *l = &ctx->lookups[i];
		int dup = l->dup_of != TL_NONE32;
		if (dup && !flt->with_duplicates)
			continue;
		if (src != TL_NONE32 && l->source != src)
			continue;
		if (org != TL_NONE32 && ctx->sources[l->source].org != org)
			continue;
		if (name != TL_NONE32 && l->name != name)
			continue;
		if (flt->from != TL_TIME_NONE && l->ts < flt->from)
			continue;
		if (flt->to != TL_TIME_NONE && l->ts >= flt->to)
			continue;
		out->items[out->n++] = (tl_trace_item_t){l->input, l->pos, l->name, dup};
	}
	qsort(out->items, out->n, sizeof(tl_trace_item_t), cmp_item);
	return TL_OK;
}

int tl_trace_match(const tl_findings_t *f, const tl_trace_t *t, uint32_t input,
		   const tl_record_t *r)
{
	if (!r->qname || !(r->known & TL_KNOWN_QR) || r->qr)
		return 0;
	size_t lo = 0, hi = t->n;
	while (lo < hi) { /* first item at (input, pos) */
		size_t mid = (lo + hi) / 2;
		const tl_trace_item_t *m = &t->items[mid];
		if (m->input < input || (m->input == input && m->pos < r->pos))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < t->n && t->items[i].input == input && t->items[i].pos == r->pos; i++)
		if (name_eq(r->qname, f->ctx.names[t->items[i].name]))
			return 1;
	return 0;
}

void tl_trace_free(tl_trace_t *t)
{
	free(t->items);
	t->items = NULL;
	t->n = 0;
}
