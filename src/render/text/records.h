/* records.h - the records command's output formats (docs/formats.md). */
#ifndef TL_RENDER_TEXT_RECORDS_H
#define TL_RENDER_TEXT_RECORDS_H

#include "input/record.h"
#include "util/buf.h"

/* Appends one JSON object (no newline) for r; file names come from the caller. */
void tl_record_json(const tl_record_t *r, const char *file, tl_buf_t *out);
/* Appends one TSV line (no newline) for r, columns as tl_record_tsv_header(). */
void tl_record_tsv(const tl_record_t *r, const char *file, tl_buf_t *out);
const char *tl_record_tsv_header(void);

#endif
