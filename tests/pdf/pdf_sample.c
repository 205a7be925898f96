/* pdf_sample.c - writes the sample PDF (and its attachment's bytes) for tests/pdf/check.sh.
 * Usage: pdf_sample SOURCE_ROOT 3b|1b OUT.pdf [ATTACHMENT_OUT] */
#include "sample_doc.h"

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[2], "3b") != 0 && strcmp(argv[2], "1b") != 0)) {
		fprintf(stderr, "usage: pdf_sample SOURCE_ROOT 3b|1b OUT.pdf [ATTACHMENT_OUT]\n");
		return 2;
	}
	tl_pdf_level_t level = strcmp(argv[2], "1b") == 0 ? TL_PDF_A1B : TL_PDF_A3B;
	uint8_t *pdf = NULL;
	size_t len = 0;
	char *err = NULL;
	int rc = sample_build(level, argv[1], &pdf, &len, &err);
	if (rc) {
		fprintf(stderr, "pdf_sample: %s (%s)\n", err ? err : "?", tl_strerror(rc));
		free(err);
		return 1;
	}
	FILE *f = fopen(argv[3], "wb");
	if (!f || fwrite(pdf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "pdf_sample: cannot write %s\n", argv[3]);
		free(pdf);
		return 1;
	}
	free(pdf);
	if (argc > 4) {
		FILE *a = fopen(argv[4], "wb");
		if (!a || fputs(SAMPLE_ATTACHMENT, a) < 0 || fclose(a) != 0) {
			fprintf(stderr, "pdf_sample: cannot write %s\n", argv[4]);
			return 1;
		}
	}
	return 0;
}
