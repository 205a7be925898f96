/* profile.h - the communication profile of the target's lookups (who, how much, when,
 * what kind of query), computed from the analysis context. */
#ifndef TL_ANALYSIS_PROFILE_H
#define TL_ANALYSIS_PROFILE_H

#include <stddef.h>

#include "model/context.h"
#include "model/profile.h"

typedef struct tl_profile_settings {
	double alpha; /* 1 - confidence of the Wilson intervals, in (0, 1); 0.05 normally */
	size_t top_k; /* k of the top-k share, >= 1 */
} tl_profile_settings_t;

/* Computes the profile of ctx's de-duplicated lookups (dup_of == TL_NONE32) into *out.
 * Local-time tables use each organisation's display zone through src/util/tz.c, which
 * changes the process's TZ: call from a single thread. Returns TL_OK, or TL_EINVAL for
 * bad settings or a context whose indices are out of range; *out is written only on
 * success and then owns memory freed with tl_profile_model_free. Strings in the model are
 * borrowed from ctx, which must outlive it. */
int tl_profile_run(const tl_ctx_t *ctx, const tl_profile_settings_t *s, tl_profile_model_t *out);

/* Frees what the model owns (not the model itself); accepts NULL; leaves it zeroed. */
void tl_profile_model_free(tl_profile_model_t *m);

#endif
