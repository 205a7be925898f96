/* engine.h - runs the whole analysis of a case: two passes over the evidence
 * (in parallel over inputs, merged in canonical order), de-duplication, and
 * every module, into the findings model. */
#ifndef TL_ANALYSIS_ENGINE_H
#define TL_ANALYSIS_ENGINE_H

#include <stddef.h>

#include "case/case.h"
#include "case/events.h"
#include "input/input.h"
#include "model/findings.h"

/* Analyses the case into *out (zeroed first; free with tl_findings_free).
 * opts: reader options (NULL: defaults); events: the case's events (NULL: none).
 * threads: 0 = one per core; results never depend on it.
 * Returns TL_OK; or an error with a message in err naming the file and reason:
 * an input that cannot be read or is in no known format (TL_ENOENT, TL_EFORMAT...),
 * an expected SHA-256 that does not match, or a file that changed between the two
 * passes (TL_EEVIDENCE); an organisations file that is not valid (TL_ECASE). */
int tl_analysis_run(const tl_case_t *c, const tl_events_t *events, const tl_input_opts_t *opts,
		    unsigned threads, const char *tool_version, tl_findings_t *out, char *err,
		    size_t errlen);

/* Frees everything the findings own (the context, every model); accepts a zeroed struct. */
void tl_findings_free(tl_findings_t *f);

#endif
