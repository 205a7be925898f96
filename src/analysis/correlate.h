/* correlate.h - do the target's lookups rise around pre-registered events? Per-event
 * calibrated rate ratios: each window against the same regime (lifecycle hints, change
 * points) within K weeks of it, standardised by local hour of week, with a dispersion from
 * placebo windows and the rise required without its top source too; Holm and BH; a
 * permutation test shifting each event independently by whole weeks within its regime;
 * exploratory bursts. Method: docs/statistics.md, "The event test". */
#ifndef TL_ANALYSIS_CORRELATE_H
#define TL_ANALYSIS_CORRELATE_H

#include <stddef.h>

#include "model/context.h"
#include "case/events.h"
#include "model/correlate.h"

/*
 * Reads ctx (the de-duplicated lookups, sensors' minute coverage, sources' organisations,
 * the span) and events[0..n_events) (borrowed; windows as the events module computed them
 * from the case file). Writes *out, which the caller frees with tl_correlate_model_free;
 * every string in it is a copy. Deterministic: the only randomness is the permutation
 * test's xoshiro256** stream seeded with s->seed (drawn only when there are at least
 * TL_CORRELATE_EXACT_BELOW arrangements; fewer are enumerated exactly).
 * Returns TL_OK, or TL_EINVAL (ctx or out NULL, events NULL with n_events > 0, alpha not
 * in (0, 1), unknown correction, a window with win_end < win_start, a lookup whose source
 * is not in ctx->sources); *out is then zeroed.
 * Method and limits: docs/findings/correlate.md.
 */
int tl_correlate_run(const tl_ctx_t *ctx, const tl_event_t *events, size_t n_events,
		     const tl_correlate_settings_t *s, tl_correlate_model_t *out);

/* Frees what the model owns and zeroes it; accepts NULL and a zeroed model. */
void tl_correlate_model_free(tl_correlate_model_t *m);

#endif
