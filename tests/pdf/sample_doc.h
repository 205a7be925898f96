/* sample_doc.h - the sample document both PDF tests build (unit test and check.sh): two
 * pages with Latin, Cyrillic and an IDN, bookmarks, paths, an image, a link, footers and
 * (3b) an attachment. Header-only so each test program has its own copy. */
#ifndef TL_TESTS_PDF_SAMPLE_DOC_H
#define TL_TESTS_PDF_SAMPLE_DOC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "render/pdf/pdf.h"
#include "util/buf.h"
#include "util/error.h"

#define SAMPLE_ORG "АО «Банк Полярный»"
#define SAMPLE_IDN "пример.испытание (xn--e1afmkfd.xn--80akhbyknj4f)"
#define SAMPLE_ATTACHMENT "{\"case\":\"DEMO-1\",\"lookups\":3544,\"org\":\"АО «Банк Полярный»\"}\n"

static void sample_png_chunk(tl_buf_t *b, const char *type, const unsigned char *data, size_t n)
{
	unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	tl_buf_append(b, len, 4);
	tl_buf_append(b, type, 4);
	tl_buf_append(b, data, n);
	uLong crc = crc32(0, (const Bytef *)type, 4);
	crc = crc32(crc, data, (uInt)n);
	unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
			      (unsigned char)(crc >> 8), (unsigned char)crc};
	tl_buf_append(b, c, 4);
}

/* A w x h 8-bit RGB PNG (colour type 2) of a diagonal gradient, every row encoded with
 * PNG filter type ft (0-4; other values make a corrupt image); caller frees b. */
static void sample_png_filter(tl_buf_t *b, unsigned w, unsigned h, int ft)
{
	size_t stride = 3 * (size_t)w;
	unsigned char *px = malloc(stride * h);
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++) {
			px[y * stride + 3 * x] = (unsigned char)(255 * x / (w - 1));
			px[y * stride + 3 * x + 1] = (unsigned char)(255 * y / (h - 1));
			px[y * stride + 3 * x + 2] = (unsigned char)(160 + 7 * x * y);
		}
	size_t raw_len = (size_t)h * (1 + stride);
	unsigned char *raw = malloc(raw_len);
	size_t k = 0;
	for (unsigned y = 0; y < h; y++) {
		raw[k++] = (unsigned char)ft;
		for (size_t x = 0; x < stride; x++) {
			int a = x >= 3 ? px[y * stride + x - 3] : 0;
			int up = y ? px[(y - 1) * stride + x] : 0;
			int c = y && x >= 3 ? px[(y - 1) * stride + x - 3] : 0;
			int pred = 0;
			if (ft == 1)
				pred = a;
			else if (ft == 2)
				pred = up;
			else if (ft == 3)
				pred = (a + up) / 2;
			else if (ft == 4) {
				int p = a + up - c, pa = abs(p - a), pb = abs(p - up), pc = abs(p - c);
				pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
			}
			raw[k++] = (unsigned char)(px[y * stride + x] - pred);
		}
	}
	uLongf zlen = compressBound(raw_len);
	unsigned char *z = malloc(zlen);
	compress2(z, &zlen, raw, raw_len, 9);
	unsigned char ihdr[13] = {(unsigned char)(w >> 24), (unsigned char)(w >> 16),
				  (unsigned char)(w >> 8),  (unsigned char)w,
				  (unsigned char)(h >> 24), (unsigned char)(h >> 16),
				  (unsigned char)(h >> 8),  (unsigned char)h,
				  8, 2, 0, 0, 0};
	tl_buf_init(b);
	tl_buf_append(b, "\x89PNG\r\n\x1a\n", 8);
	sample_png_chunk(b, "IHDR", ihdr, 13);
	sample_png_chunk(b, "IDAT", z, zlen);
	sample_png_chunk(b, "IEND", (const unsigned char *)"", 0);
	free(px);
	free(raw);
	free(z);
}

static void sample_png(tl_buf_t *b, unsigned w, unsigned h)
{
	sample_png_filter(b, w, h, 4);
}

static int sample_footer(tl_pdf_t *doc, size_t index, size_t count, void *ctx)
{
	char s[96];
	snprintf(s, sizeof(s), "Page %zu of %zu", index + 1, count);
	double w = tl_pdf_text_width(doc, TL_PDF_REGULAR, 9, s);
	int rc = tl_pdf_text(doc, TL_PDF_REGULAR, 9, TL_PDF_PAGE_W - 56.7 - w, 812, s);
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_MONO, 8, 56.7, 812, (const char *)ctx);
	return rc;
}

/* Fills o for the sample; root is the source tree (fonts/, icc/). Paths live in paths. */
static void sample_options(tl_pdf_options_t *o, tl_pdf_level_t level, const char *root,
			   char paths[5][512])
{
	static const char *const files[5] = {TL_PDF_FILE_REGULAR, TL_PDF_FILE_BOLD,
					     TL_PDF_FILE_ITALIC, TL_PDF_FILE_MONO, TL_PDF_FILE_ICC};
	for (int i = 0; i < 5; i++)
		snprintf(paths[i], 512, "%s/%s", root, files[i]);
	tl_pdf_options_init(o);
	o->level = level;
	o->title = "DNS evidence report: " SAMPLE_ORG " & <partners>";
	o->subject = "Lookups of example names";
	o->author = "Examiner One";
	o->keywords = "DNS, evidence, DEMO-1";
	o->case_number = "DEMO-1";
	o->report_id = "3f2a9c1e";
	o->created = 1714564800; /* 2024-05-01T12:00:00Z */
	for (int i = 0; i < 16; i++)
		o->doc_id[i] = (uint8_t)(0xA0 + i);
	for (int f = 0; f < TL_PDF_NFONTS; f++)
		o->font_path[f] = paths[f];
	o->icc_path = paths[4];
}

/* Builds the sample document; on success *out (free()) holds the PDF. */
static int sample_build(tl_pdf_level_t level, const char *root, uint8_t **out, size_t *len,
			char **err)
{
	tl_pdf_options_t o;
	char paths[5][512];
	sample_options(&o, level, root, paths);
	tl_pdf_t *doc = NULL;
	int rc = tl_pdf_new(&o, &doc, err);
	if (rc)
		return rc;
	tl_buf_t png;
	sample_png(&png, 64, 32);
	tl_pdf_image_t *img = NULL;
	tl_pdf_outline_t *top = NULL, *sub = NULL;
	const tl_pdf_rgb_t blue = {0.1, 0.3, 0.7}, grey = {0.5, 0.5, 0.5};
	tl_pdf_style_t area = {.fill = 1, .stroke = 1, .fill_rgb = {0.8, 0.85, 0.95},
			       .stroke_rgb = {0.1, 0.3, 0.7}, .line_width = 1.5, .line_join = 1};
	tl_pdf_style_t dashed = {.stroke = 1, .stroke_rgb = {0.6, 0.1, 0.1}, .line_width = 0.75,
				 .dash = {3, 1.5}, .n_dash = 2};
	tl_pdf_style_t rule = {.stroke = 1, .stroke_rgb = {0, 0, 0}, .line_width = 0.5};

	rc = tl_pdf_page_add(doc);
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_BOLD, 18, 56.7, 90, "DNS evidence report");
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_REGULAR, 11, 56.7, 120,
				 "Organisation: " SAMPLE_ORG);
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_ITALIC, 11, 56.7, 138, "Name: " SAMPLE_IDN);
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_MONO, 9, 56.7, 156,
				 "SHA-256 0d977336a6d5fba34eab8e3199eb2183 & <x>");
	if (!rc)
		rc = tl_pdf_outline_add(doc, NULL, "1 Cover", 0, 1, &top);
	if (!rc)
		rc = tl_pdf_outline_add(doc, top, "1.1 " SAMPLE_ORG, 0, 1, &sub);
	/* A chart: axes, a filled area with a curve, a dashed threshold, labels. */
	if (!rc)
		rc = tl_pdf_chart_begin(doc, 56.7, 190, 400, 200);
	if (!rc)
		rc = tl_pdf_line(doc, 40, 170, 390, 170, &rule);
	if (!rc)
		rc = tl_pdf_line(doc, 40, 10, 40, 170, &rule);
	if (!rc)
		rc = tl_pdf_path_begin(doc, &area);
	if (!rc)
		rc = tl_pdf_move_to(doc, 40, 170);
	if (!rc)
		rc = tl_pdf_line_to(doc, 40, 120);
	if (!rc)
		rc = tl_pdf_curve_to(doc, 120, 20, 220, 160, 380, 40);
	if (!rc)
		rc = tl_pdf_line_to(doc, 380, 170);
	if (!rc)
		rc = tl_pdf_close_path(doc);
	if (!rc)
		rc = tl_pdf_path_end(doc);
	if (!rc)
		rc = tl_pdf_line(doc, 40, 60, 390, 60, &dashed);
	if (!rc)
		rc = tl_pdf_text_ex(doc, TL_PDF_REGULAR, 8, 20, 130, 90, grey, "Lookups per day");
	if (!rc)
		rc = tl_pdf_text_ex(doc, TL_PDF_REGULAR, 8, 300, 55, 0, blue, "threshold");
	if (!rc)
		rc = tl_pdf_chart_end(doc);
	if (!rc)
		rc = tl_pdf_image_png(doc, png.data, png.len, &img);
	if (!rc)
		rc = tl_pdf_image_draw(doc, img, 56.7, 420, 128, 64);
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_REGULAR, 10, 56.7, 520, "See the second page.");
	if (!rc)
		rc = tl_pdf_page_add(doc);
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_BOLD, 14, 56.7, 90, "2 Findings");
	if (!rc)
		rc = tl_pdf_text(doc, TL_PDF_REGULAR, 11, 56.7, 115,
				 "Of 3,544 lookups, 2,820 (79.6%) came from " SAMPLE_ORG ".");
	if (!rc)
		rc = tl_pdf_outline_add(doc, NULL, "2 Findings", 1, 0, NULL);
	if (!rc)
		rc = tl_pdf_page_select(doc, 0);
	if (!rc)
		rc = tl_pdf_link(doc, 56.7, 510, 120, 14, 1);
	if (!rc)
		rc = tl_pdf_page_label(doc, 0, TL_PDF_LABEL_DECIMAL, 1, NULL);
	if (!rc)
		rc = tl_pdf_each_page(doc, sample_footer, (void *)"Report 3f2a9c1e · Case DEMO-1");
	if (!rc && level == TL_PDF_A3B)
		rc = tl_pdf_attach(doc, "findings.json", "application/json", TL_PDF_AF_DATA,
				   "Findings (JSON)", SAMPLE_ATTACHMENT, strlen(SAMPLE_ATTACHMENT));
	tl_buf_free(&png); /* the image was copied when loaded */
	if (!rc)
		rc = tl_pdf_save(doc, out, len);
	if (rc && err)
		*err = strdup(tl_pdf_errmsg(doc));
	tl_pdf_free(doc);
	return rc;
}

#endif
