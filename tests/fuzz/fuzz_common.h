/* fuzz_common.h - shared bits of the libFuzzer harnesses (tests only). */
#ifndef TL_FUZZ_COMMON_H
#define TL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"
#include "render/text/records.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Renders a decoded record as JSON and TSV, so that every string and array the
 * decoder produced is read (ASan then catches dangling or short ones). The
 * buffer is kept between calls and freed by the process exit. */
static inline void fuzz_consume_record(const tl_record_t *r)
{
	static tl_buf_t out;
	static int init;

	if (!init) {
		tl_buf_init(&out);
		init = 1;
	}
	tl_buf_clear(&out);
	tl_record_json(r, "fuzz", &out);
	tl_buf_putc(&out, '\n');
	tl_record_tsv(r, "fuzz", &out);
}

#endif
