/* fuzz_pdfread.c - libFuzzer harness: the input is a PDF file for tl_pdf_read. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "provenance/pdf_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_pdf_doc_t d;
	char err[256];
	volatile uint8_t sink = 0;

	if (tl_pdf_read(data, size, &d, err, sizeof(err)) != 0) {
		sink ^= (uint8_t)strlen(err); /* the message is always a terminated string */
		return 0;
	}
	/* Read every byte handed back, so ASan sees short or dangling buffers. */
	for (size_t i = 0; i < d.n_files; i++) {
		sink ^= (uint8_t)strlen(d.files[i].name);
		for (size_t k = 0; k < d.files[i].len; k++)
			sink ^= d.files[i].data[k];
		if (tl_pdf_doc_file(&d, d.files[i].name) == NULL)
			__builtin_trap();
	}
	if (d.report_id)
		sink ^= (uint8_t)strlen(d.report_id);
	tl_pdf_doc_free(&d);
	(void)sink;
	return 0;
}
