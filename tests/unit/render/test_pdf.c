/* test_pdf.c - the PDF writer: the sample document (3b and 1b), determinism, the PDF/A
 * objects it must contain, text measurement, drawing operators, and errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../pdf/sample_doc.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define ROOT TL_TEST_DATA_DIR "/.."

static int has(const uint8_t *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Whether key occurs followed by an object number (an indirect reference). */
static int has_ref(const uint8_t *hay, size_t n, const char *key)
{
	size_t k = strlen(key);
	for (size_t i = 0; k < n && i < n - k; i++)
		if (memcmp(hay + i, key, k) == 0 && hay[i + k] >= '1' && hay[i + k] <= '9')
			return 1;
	return 0;
}

/* Appends the inflated contents of every Flate stream in pdf to out, so tests can look at
 * content streams. */
static void inflate_all(const uint8_t *pdf, size_t n, tl_buf_t *out)
{
	for (size_t i = 0; i + 8 < n; i++) {
		if (memcmp(pdf + i, "stream", 6) != 0 || (i > 3 && memcmp(pdf + i - 3, "end", 3) == 0))
			continue;
		size_t s = i + 6;
		if (pdf[s] == '\r')
			s++;
		if (pdf[s] != '\n')
			continue;
		s++;
		z_stream z;
		memset(&z, 0, sizeof(z));
		if (inflateInit(&z) != Z_OK)
			continue;
		z.next_in = (Bytef *)(uintptr_t)(pdf + s);
		z.avail_in = (uInt)(n - s);
		unsigned char chunk[16384];
		int zr;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			zr = inflate(&z, Z_NO_FLUSH);
			tl_buf_append(out, chunk, sizeof(chunk) - z.avail_out);
		} while (zr == Z_OK);
		inflateEnd(&z);
		tl_buf_putc(out, '\n');
	}
}

static void test_sample_3b(void **state)
{
	uint8_t *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	char *err = NULL;
	assert_int_equal(sample_build(TL_PDF_A3B, ROOT, &a, &alen, &err), TL_OK);
	assert_null(err);
	assert_int_equal(sample_build(TL_PDF_A3B, ROOT, &b, &blen, &err), TL_OK);
	/* Same input, same bytes: no clock, no random /ID. */
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);

	assert_true(alen > 1000);
	assert_memory_equal(a, "%PDF-1.7\n", 9);
	assert_true(has(a, alen, "%%EOF"));
	assert_true(has(a, alen, "/ID [ <A0A1A2A3A4A5A6A7A8A9AAABACADAEAF> "
				 "<A0A1A2A3A4A5A6A7A8A9AAABACADAEAF> ]"));
	/* OutputIntent built by hand: the key without libharu's trailing space. */
	assert_true(has(a, alen, "/OutputIntents"));
	assert_true(has(a, alen, "/S /GTS_PDFA1"));
	assert_true(has_ref(a, alen, "/DestOutputProfile "));
	assert_false(has(a, alen, "/DestOutputProfile#20"));
	/* The attachment as a PDF/A-3 associated file. */
	assert_true(has(a, alen, "/AF ["));
	assert_true(has(a, alen, "/Type /Filespec"));
	assert_true(has(a, alen, "/AFRelationship /Data"));
	assert_true(has(a, alen, "/Subtype /application#2Fjson"));
	assert_true(has(a, alen, "/UF (findings.json)"));
	assert_true(has(a, alen, "/EmbeddedFiles"));
	/* XMP: PDF/A-3b, escaped title, metadata key /Subtype (not /SubType). */
	assert_true(has(a, alen, "<pdfaid:part>3</pdfaid:part>"));
	assert_true(has(a, alen, "<pdfaid:conformance>B</pdfaid:conformance>"));
	assert_true(has(a, alen, "АО «Банк Полярный» &amp; &lt;partners&gt;"));
	assert_true(has(a, alen, "<tealeaves:caseNumber>DEMO-1</tealeaves:caseNumber>"));
	assert_true(has(a, alen, "<xmp:CreateDate>2024-05-01T12:00:00+00:00</xmp:CreateDate>"));
	assert_true(has(a, alen, "/Subtype /XML"));
	assert_false(has(a, alen, "/SubType"));
	assert_true(has(a, alen, "/CreationDate (D:20240501120000+00'00')"));
	/* Fonts: CapHeight and CIDSet added to each CID font descriptor. */
	assert_true(has(a, alen, "/CapHeight 729"));
	assert_true(has(a, alen, "/CIDSet "));
	/* Bookmarks: direct [page /Fit] destinations, the Cyrillic title in UTF-16BE. */
	assert_true(has(a, alen, "/Fit ]"));
	assert_true(has(a, alen, "/Title <FEFF0031002E003100200410041E"));
	assert_true(has(a, alen, "/PageMode /UseOutlines"));
	/* The link: printable flag, no border. */
	assert_true(has(a, alen, "/F 4"));
	assert_true(has(a, alen, "/Border [ 0 0 0 ]") || has(a, alen, "/Border [0 0 0]"));

	tl_buf_t c;
	tl_buf_init(&c);
	inflate_all(a, alen, &c);
	const uint8_t *cd = (const uint8_t *)c.data;
	/* The attachment's bytes, the footers, the fractional dash, the curve, the flip. */
	assert_true(has(cd, c.len, SAMPLE_ATTACHMENT));
	assert_true(has(cd, c.len, "[3 1.5] 0 d"));
	assert_true(has(cd, c.len, " c\n"));
	assert_true(has(cd, c.len, "/Im1 Do") || has(cd, c.len, "Do\n"));
	/* "Page 1 of 2" in CIDs: P=0050 a=0061 g=0067 e=0065 ... 1=0031 ... 2=0032 */
	assert_true(has(cd, c.len, "<0050006100670065002000310020006F006600200032>"));
	assert_true(has(cd, c.len, "<0050006100670065002000320020006F006600200032>"));
	/* Cyrillic text drawn as CIDs = code points: "АО" = 0410 041E */
	assert_true(has(cd, c.len, "0410041E002000AB"));
	/* the ToUnicode map replaced: bfrange, not libharu's begincidrange */
	assert_true(has(cd, c.len, "<0400> <04FF> <0400>"));
	tl_buf_free(&c);
	free(a);
	free(b);
}

static void test_sample_1b(void **state)
{
	uint8_t *a = NULL;
	size_t alen = 0;
	char *err = NULL;
	assert_int_equal(sample_build(TL_PDF_A1B, ROOT, &a, &alen, &err), TL_OK);
	assert_memory_equal(a, "%PDF-1.4\n", 9);
	assert_true(has(a, alen, "<pdfaid:part>1</pdfaid:part>"));
	assert_false(has(a, alen, "/EmbeddedFile"));
	assert_false(has(a, alen, "/AF ["));
	assert_true(has(a, alen, "/OutputIntents"));
	free(a);
}

static tl_pdf_t *open_doc(tl_pdf_level_t level, char paths[5][512])
{
	tl_pdf_options_t o;
	sample_options(&o, level, ROOT, paths);
	tl_pdf_t *doc = NULL;
	assert_int_equal(tl_pdf_new(&o, &doc, NULL), TL_OK);
	assert_int_equal(tl_pdf_page_add(doc), TL_OK);
	return doc;
}

static void test_attach_refused_in_1b(void **state)
{
	char paths[5][512];
	tl_pdf_t *doc = open_doc(TL_PDF_A1B, paths);
	assert_int_equal(tl_pdf_attach(doc, "f.json", "application/json", TL_PDF_AF_DATA, NULL,
				       "{}", 2),
			 TL_EINVAL);
	assert_non_null(strstr(tl_pdf_errmsg(doc), "PDF/A-1b"));
	/* Sticky: the document cannot be saved any more, and out is untouched. */
	uint8_t *out = (uint8_t *)"x";
	size_t len = 7;
	assert_int_equal(tl_pdf_save(doc, &out, &len), TL_EINVAL);
	assert_string_equal((const char *)out, "x");
	assert_int_equal(len, 7);
	tl_pdf_free(doc);
}

static void test_text_width(void **state)
{
	char paths[5][512];
	tl_pdf_t *doc = open_doc(TL_PDF_A3B, paths);
	double a = tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "А");
	double b = tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "Б");
	double ab = tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "АБ");
	assert_true(a > 1 && b > 1);
	assert_true(fabs(ab - (a + b)) < 1e-9);
	/* Scales with size; DejaVu Sans "А" is 684/1000 em. */
	assert_true(fabs(tl_pdf_text_width(doc, TL_PDF_REGULAR, 20, "А") - 2 * a) < 1e-9);
	assert_true(fabs(a - 6.84) < 1e-9);
	/* Monospace: every character the same width. */
	double m1 = tl_pdf_text_width(doc, TL_PDF_MONO, 10, "i");
	assert_true(fabs(tl_pdf_text_width(doc, TL_PDF_MONO, 10, "WiЖ") - 3 * m1) < 1e-9);
	assert_true(tl_pdf_text_width(doc, TL_PDF_BOLD, 10, "x") >
		    tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "x"));
	assert_true(tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "") == 0);
	/* Invalid UTF-8 and characters outside the BMP are measured as U+FFFD. */
	double r = tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "\xEF\xBF\xBD");
	assert_true(r > 1);
	assert_true(fabs(tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "\xC3") - r) < 1e-9);
	assert_true(fabs(tl_pdf_text_width(doc, TL_PDF_REGULAR, 10, "\xF0\x9F\x98\x80") - r) <
		    1e-9);
	double asc = 0, desc = 0;
	tl_pdf_font_metrics(doc, TL_PDF_REGULAR, 10, &asc, &desc);
	assert_true(fabs(asc - 9.28) < 1e-9 && fabs(desc - 2.35) < 1e-9);
	tl_pdf_free(doc);
}

static void test_misuse(void **state)
{
	char paths[5][512];
	tl_pdf_style_t st = {.stroke = 1, .line_width = 1};
	tl_pdf_t *doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_path_begin(doc, &st), TL_OK);
	assert_int_equal(tl_pdf_line_to(doc, 1, 1), TL_EINVAL); /* no move-to yet */
	assert_non_null(strstr(tl_pdf_errmsg(doc), "before any move-to"));
	assert_int_equal(tl_pdf_text(doc, TL_PDF_REGULAR, 10, 0, 0, "x"), TL_EINVAL); /* sticky */
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_path_begin(doc, &st), TL_OK);
	assert_int_equal(tl_pdf_move_to(doc, 1, 1), TL_OK);
	assert_int_equal(tl_pdf_text(doc, TL_PDF_REGULAR, 10, 0, 0, "x"), TL_EINVAL);
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_move_to(doc, NAN, 1), TL_EINVAL); /* outside a path */
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_rect(doc, 0, 0, INFINITY, 1, &st), TL_EINVAL);
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	tl_pdf_style_t zero_dash = {.stroke = 1, .n_dash = 2};
	assert_int_equal(tl_pdf_path_begin(doc, &zero_dash), TL_EINVAL);
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_outline_add(doc, NULL, "x", 1, 0, NULL), TL_EINVAL); /* no page 2 */
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_page_select(doc, 1), TL_EINVAL);
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_attach(doc, "a/b.json", "application/json", TL_PDF_AF_DATA, NULL,
				       "{}", 2),
			 TL_EINVAL);
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_attach(doc, "a.json", "application/json", TL_PDF_AF_DATA, NULL,
				       "{}", 2),
			 TL_OK);
	assert_int_equal(tl_pdf_attach(doc, "a.json", "application/json", TL_PDF_AF_DATA, NULL,
				       "{}", 2),
			 TL_EINVAL);
	tl_pdf_free(doc);
}

/* Recomputes the CRC of the IHDR chunk (type at 12, 13 data bytes, CRC at 29). */
static void fix_ihdr_crc(tl_buf_t *png)
{
	uLong crc = crc32(0, (const Bytef *)png->data + 12, 17);
	for (int i = 0; i < 4; i++)
		png->data[29 + i] = (char)(crc >> (24 - 8 * i));
}

static void test_png_with_alpha_refused(void **state)
{
	char paths[5][512];
	tl_pdf_t *doc = open_doc(TL_PDF_A3B, paths);
	tl_buf_t png;
	sample_png(&png, 4, 4);
	tl_pdf_image_t *img = NULL;
	/* Colour type 6 (RGBA) in IHDR: byte 8 + 4 + 4 + 8 + 1 = 25; CRC fixed up. */
	png.data[25] = 6;
	fix_ihdr_crc(&png);
	assert_int_equal(tl_pdf_image_png(doc, png.data, png.len, &img), TL_EUNSUPPORTED);
	assert_null(img);
	assert_non_null(strstr(tl_pdf_errmsg(doc), "alpha"));
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	assert_int_equal(tl_pdf_image_png(doc, png.data, 20, &img), TL_EFORMAT); /* truncated */
	tl_pdf_free(doc);

	doc = open_doc(TL_PDF_A3B, paths);
	png.data[25] = 2;
	fix_ihdr_crc(&png);
	png.data[30]++; /* corrupt the IHDR CRC: refused, not passed to libpng (which aborts) */
	assert_int_equal(tl_pdf_image_png(doc, png.data, png.len, &img), TL_EFORMAT);
	assert_non_null(strstr(tl_pdf_errmsg(doc), "CRC"));
	tl_pdf_free(doc);
	png.data[30]--;

	/* A bad row filter byte inside valid zlib data with valid CRCs. */
	doc = open_doc(TL_PDF_A3B, paths);
	tl_buf_t bad;
	sample_png_filter(&bad, 4, 4, 9);
	assert_int_equal(tl_pdf_image_png(doc, bad.data, bad.len, &img), TL_EFORMAT);
	assert_non_null(strstr(tl_pdf_errmsg(doc), "filter"));
	tl_buf_free(&bad);
	tl_pdf_free(doc);

	/* Every filter type decodes to the same pixels as filter 0: the image streams of
	 * two documents are byte-identical. */
	uint8_t *ref = NULL;
	size_t ref_len = 0;
	for (int ft = 0; ft <= 4; ft++) {
		doc = open_doc(TL_PDF_A3B, paths);
		tl_buf_t p;
		sample_png_filter(&p, 7, 5, ft);
		assert_int_equal(tl_pdf_image_png(doc, p.data, p.len, &img), TL_OK);
		unsigned iw = 0, ih = 0;
		tl_pdf_image_size(img, &iw, &ih);
		assert_int_equal(iw, 7);
		assert_int_equal(ih, 5);
		assert_int_equal(tl_pdf_image_draw(doc, img, 10, 10, 70, 50), TL_OK);
		tl_buf_free(&p);
		uint8_t *o = NULL;
		size_t olen = 0;
		assert_int_equal(tl_pdf_save(doc, &o, &olen), TL_OK);
		if (!ref) {
			ref = o;
			ref_len = olen;
		} else {
			assert_int_equal(olen, ref_len);
			assert_memory_equal(o, ref, olen);
			free(o);
		}
		tl_pdf_free(doc);
	}
	free(ref);
	tl_buf_free(&png);
}

static void test_missing_files(void **state)
{
	tl_pdf_options_t o;
	char paths[5][512];
	sample_options(&o, TL_PDF_A3B, ROOT, paths);
	o.font_path[TL_PDF_BOLD] = ROOT "/fonts/NoSuchFont.ttf";
	tl_pdf_t *doc = (tl_pdf_t *)&o; /* must stay untouched */
	char *msg = NULL;
	int rc = tl_pdf_new(&o, &doc, &msg);
	assert_int_equal(rc, TL_ENOENT);
	assert_ptr_equal(doc, (tl_pdf_t *)&o);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "NoSuchFont.ttf"));
	free(msg);

	sample_options(&o, TL_PDF_A3B, ROOT, paths);
	o.icc_path = ROOT "/icc/none.icc";
	msg = NULL;
	assert_int_equal(tl_pdf_new(&o, &doc, &msg), TL_ENOENT);
	assert_non_null(strstr(msg, "none.icc"));
	free(msg);

	sample_options(&o, TL_PDF_A3B, ROOT, paths);
	o.icc_path = paths[0]; /* a font is not an ICC profile */
	msg = NULL;
	assert_int_equal(tl_pdf_new(&o, &doc, &msg), TL_EFORMAT);
	free(msg);

	sample_options(&o, TL_PDF_A3B, ROOT, paths);
	o.font_path[TL_PDF_MONO] = paths[4]; /* an ICC profile is not a font */
	msg = NULL;
	assert_int_not_equal(tl_pdf_new(&o, &doc, &msg), TL_OK);
	free(msg);
}

static void test_epoch_date_and_empty_doc(void **state)
{
	tl_pdf_options_t o;
	char paths[5][512];
	sample_options(&o, TL_PDF_A1B, ROOT, paths);
	o.created = 0;
	o.title = NULL;
	o.case_number = NULL;
	o.report_id = NULL;
	tl_pdf_t *doc = NULL;
	assert_int_equal(tl_pdf_new(&o, &doc, NULL), TL_OK);
	uint8_t *out = NULL;
	size_t len = 0;
	assert_int_equal(tl_pdf_save(doc, &out, &len), TL_EINVAL); /* no pages */
	tl_pdf_free(doc);

	assert_int_equal(tl_pdf_new(&o, &doc, NULL), TL_OK);
	assert_int_equal(tl_pdf_page_add(doc), TL_OK);
	assert_int_equal(tl_pdf_save(doc, &out, &len), TL_OK);
	assert_true(has(out, len, "/CreationDate (D:19700101000000+00'00')"));
	assert_true(has(out, len, "<xmp:CreateDate>1970-01-01T00:00:00+00:00</xmp:CreateDate>"));
	assert_false(has(out, len, "dc:title"));
	assert_false(has(out, len, "pdfaExtension")); /* no own schema without its fields */
	/* Saved once only. */
	uint8_t *again = NULL;
	assert_int_equal(tl_pdf_save(doc, &again, &len), TL_EINVAL);
	assert_null(again);
	free(out);
	tl_pdf_free(doc);

	o.created = -1;
	char *msg = NULL;
	assert_int_equal(tl_pdf_new(&o, &doc, &msg), TL_EINVAL);
	free(msg);
	tl_pdf_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_3b),
		cmocka_unit_test(test_sample_1b),
		cmocka_unit_test(test_attach_refused_in_1b),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_png_with_alpha_refused),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_epoch_date_and_empty_doc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
