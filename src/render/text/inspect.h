/* inspect.h - `tealeaves inspect FILE...`: what the reader found of one input (format,
 * hashes, times, counts, anomalies), as text lines for the terminal or as one JSON object
 * (--json). Renderers only: everything is read from the reader's tl_input_info_t. */
#ifndef TL_RENDER_TEXT_INSPECT_H
#define TL_RENDER_TEXT_INSPECT_H

#include "input/input.h"
#include "util/buf.h"

/* Appends the description of info to b: "label: value" lines, each ending in '\n', the
 * path escaped (util/buf.h) so that a control character in a file name cannot reach the
 * terminal. */
void tl_inspect_text(tl_buf_t *b, const tl_input_info_t *info);

/* Writes the description of info as one JSON object to j; status is "ok" when rc is
 * TL_OK, else tl_strerror(rc) (rc: what tl_input_read returned for it). */
void tl_inspect_json(tl_json_t *j, const tl_input_info_t *info, int rc);

#endif
