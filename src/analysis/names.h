/* names.h - streaming collector of names and addresses: A/AAAA bindings,
 * per-name activity, success and failure, first querier (issue 4, "Names"). */
#ifndef TL_ANALYSIS_NAMES_H
#define TL_ANALYSIS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "model/context.h"
#include "input/record.h"
#include "model/names.h"

typedef struct tl_names_settings {
	/* Failure (NXDOMAIN/SERVFAIL) times kept per name after its latest success
	 * (default 256). Hitting it is counted per name and may make the first
	 * failure after the last success inexact (reported as such). */
	size_t max_failures;
} tl_names_settings_t;

void tl_names_settings_default(tl_names_settings_t *s);

/* The names and addresses of interest for finish: a name is listed when it is
 * one of names, or ever resolved to an address in ips, or ever shared an
 * address with one of names. Names must be lower-cased with a trailing dot. */
typedef struct tl_names_filter {
	const char *const *names;
	size_t n_names;
	const tl_addr_t *ips;
	size_t n_ips;
} tl_names_filter_t;

typedef struct tl_names tl_names_t;

/* s may be NULL (defaults). Free with tl_names_free. */
tl_names_t *tl_names_new(const tl_names_settings_t *s);
void tl_names_free(tl_names_t *n);

/* Feeds one record of canonical input `input`; offset_us is added to r->ts.
 * Names are lower-cased (ASCII only); nothing of r is kept by reference. */
void tl_names_add(tl_names_t *n, const tl_record_t *r, uint32_t input, int64_t offset_us);

/* Adds src into dst (src is unchanged). Every combination is a min/max under
 * the total order (time, input, position), so the result does not depend on
 * the merge order. */
void tl_names_merge(tl_names_t *dst, const tl_names_t *src);

/* The names that ever resolved to one of ips[0..n_ips), sorted by bytes, no
 * repeats. *names_out is a new array the caller frees with free(); the strings
 * belong to n and live until tl_names_free. *names_out is NULL when *n_out is 0. */
int tl_names_resolved_to(const tl_names_t *n, const tl_addr_t *ips, size_t n_ips,
			 const char ***names_out, size_t *n_out);

/* Builds the model. ctx may be NULL; when given, input labels name the files and
 * first queriers whose address is in ctx->sources get their organisation.
 * filter may be NULL: every name and address is listed. n is not changed.
 * Returns TL_OK; out is owned by the caller (tl_names_model_free). */
int tl_names_finish(const tl_names_t *n, const tl_ctx_t *ctx, const tl_names_filter_t *filter,
		    tl_names_model_t *out);

/* Frees everything the model owns (not the struct itself); accepts NULL. */
void tl_names_model_free(tl_names_model_t *m);

#endif
