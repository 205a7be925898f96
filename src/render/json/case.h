/* case.h - the effective settings of a case as JSON. */
#ifndef TL_RENDER_JSON_CASE_H
#define TL_RENDER_JSON_CASE_H

#include "case/case.h"
#include "util/buf.h"

/* Writes the effective settings as one JSON object, keys in a fixed order, paths as written
 * (never resolved: the output must not depend on where the tool runs). "threads" is left
 * out on purpose: results never depend on it. */
void tl_case_write_json(const tl_case_t *c, tl_json_t *j);

#endif
