/* pdf_impl.h - what the files of the PDF writer share, and nothing outside render/pdf/ may
 * use: the document's state and the helpers for errors, coordinates and text strings.
 * pdf.c holds the document, pages, text, paths and navigation; pdf_image.c the PNG
 * images; pdf_finish.c the embedded files and what is written at save time (XMP, the
 * OutputIntent, /ID, fonts). */
#ifndef TL_RENDER_PDF_PDF_IMPL_H
#define TL_RENDER_PDF_PDF_IMPL_H

#include "render/pdf/pdf.h"

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "util/buf.h"

#define TEXT_MAX 65536 /* bytes of UTF-8 in one text call */
#define XMP_NS "https://tealeaves.invalid/ns/report/1.0/"

struct tl_pdf_outline {
	HPDF_Outline o;
	struct tl_pdf_outline *next;
};

struct tl_pdf_image {
	HPDF_Image img;
	unsigned w, h;
	struct tl_pdf_image *next;
};

typedef struct attachment {
	char *key; /* ASCII name: /F and the name-tree key */
	HPDF_Dict filespec;
} attachment_t;

struct tl_pdf {
	HPDF_Doc pdf;
	tl_pdf_level_t level;
	int err;
	char msg[512];
	char *title, *subject, *author, *keywords, *case_number, *report_id, *creator,
		*producer;
	int64_t created;
	uint8_t doc_id[16];
	uint8_t *icc;
	size_t icc_len;
	HPDF_Font font[TL_PDF_NFONTS];
	uint32_t replacement;         /* U+FFFD, or '?' when a font lacks it */
	HPDF_Page *pages;
	size_t npages, pages_cap, cur;
	int in_path, path_segments, in_chart;
	tl_pdf_style_t path_style;
	double ox, oy; /* origin offset while in a chart */
	struct tl_pdf_outline *outlines;
	struct tl_pdf_image *images;
	attachment_t *att;
	size_t natt;
	int saved;
};

/* pdf.c: errors, coordinates, text strings */
/* Records the first error of d (code and message); later ones are dropped. */
__attribute__((format(printf, 3, 4))) void tl_pdf_set_err(tl_pdf_t *d, int code, const char *fmt,
							  ...);
/* Turns a libharu status into our code; what names the operation. */
int tl_pdf_chk(tl_pdf_t *d, HPDF_STATUS st, const char *what);
/* Common entry check for drawing calls. */
int tl_pdf_ready(tl_pdf_t *d, int need_page);
/* The current page. */
HPDF_Page tl_pdf_cur_page(tl_pdf_t *d);
/* Our coordinates (Y down, chart offset) to PDF user space (Y up). */
double tl_pdf_px(const tl_pdf_t *d, double x);
double tl_pdf_py(const tl_pdf_t *d, double y);
/* Whether all n doubles that follow are finite. */
int tl_pdf_finite_all(int n, ...);
/* Records that what got a number that is not finite: TL_EINVAL. */
int tl_pdf_bad_number(tl_pdf_t *d, const char *what);
/* A PDF text string: plain when printable ASCII, else UTF-16BE with a byte order mark
 * (PDF 1.7 section 7.9.2.2). Invalid UTF-8 becomes U+FFFD. */
void *tl_pdf_text_string(tl_pdf_t *d, const char *s);
/* Appends s XML-escaped (XML 1.0 section 2.4; characters not allowed in XML 1.0, section
 * 2.2, become U+FFFD). libharu 2.3.0 defect: its XMP writer escapes nothing. */
void tl_pdf_xml_escaped(tl_buf_t *b, const char *s);

#endif
