/* json.h - the findings model written as JSON: one writer per part of the model, each
 * writing one JSON object through the caller's tl_json_t, keys in a fixed order (schemas in
 * docs/findings-schema.md and docs/findings/<part>.md). Renderers only: every value is read
 * from the model, which they do not change. */
#ifndef TL_RENDER_JSON_JSON_H
#define TL_RENDER_JSON_JSON_H

#include "model/findings.h"
#include "util/buf.h"

/* The whole findings document (findings.c). */
void tl_json_findings(tl_json_t *j, const tl_findings_t *f);

/* The parts of the model, each as one JSON object: source concentration and
 * organisations (profile.c), resolver behaviour (resolver.c; docs/findings/resolver.md),
 * the baseline standing (baseline.c; docs/findings/baseline.md), the event test
 * (correlate.c; docs/findings/correlate.md), the names (names.c; docs/findings/names.md)
 * and the data quality (quality.c; docs/findings/quality.md). */
void tl_json_profile(tl_json_t *j, const tl_profile_model_t *m);
void tl_json_resolver(tl_json_t *j, const tl_resolver_model_t *m);
void tl_json_baseline(tl_json_t *j, const tl_baseline_model_t *m);
void tl_json_correlate(tl_json_t *j, const tl_correlate_model_t *m);
void tl_json_names(tl_json_t *j, const tl_names_model_t *m);
void tl_json_quality(tl_json_t *j, const tl_quality_model_t *m);

#endif
