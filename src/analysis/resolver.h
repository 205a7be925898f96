/* resolver.h - resolver behaviour of the sources that looked up the target: timing against
 * the TTL, and query fingerprints with the queries that break them. */
#ifndef TL_ANALYSIS_RESOLVER_H
#define TL_ANALYSIS_RESOLVER_H

#include <stddef.h>
#include <stdint.h>

#include "model/context.h"
#include "model/resolver.h"

typedef struct tl_resolver_settings {
	double alpha;          /* 1 - confidence of the Wilson intervals, in (0, 1) */
	int64_t tolerance_s;   /* periodic: TTL <= gap < TTL + tolerance; > 0 (300 normally) */
	uint64_t min_lookups;  /* fingerprint breaks only for sources with at least this many
	                        * lookups; >= 1 (20 normally) */
} tl_resolver_settings_t;

/* Computes the resolver-behaviour findings over ctx's de-duplicated lookups
 * (dup_of == TL_NONE32), using ctx->ttl_s as the TTL. Returns TL_OK, or TL_EINVAL for bad
 * settings or a context with out-of-range indices or unsorted lookups; *out is written only
 * on success and then owns memory freed with tl_resolver_model_free. Strings in the model
 * are borrowed from ctx, which must outlive it. */
int tl_resolver_run(const tl_ctx_t *ctx, const tl_resolver_settings_t *s,
		    tl_resolver_model_t *out);

/* Frees what the model owns (not the model itself); accepts NULL; leaves it zeroed. */
void tl_resolver_model_free(tl_resolver_model_t *m);

#endif
