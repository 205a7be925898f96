/* test_pdf_read.c - the strict PDF reader on PDFs built here, good and hostile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "provenance/pdf_read.h"
#include "util/buf.h"
#include "util/error.h"

#define MANIFEST "{\"schema\":\"tealeaves-manifest/1\",\"files\":[]}\n"
#define FINDINGS "{\"findings\":(1 2) [3]}"
#define RID      "5a09e465b4fbc09dfd4b095ceacc53f5568813f404b89536727b4b088d4c15dc"

/* A PDF under construction: objects written in any order, then a classic xref section
 * (7.5.4) for the objects written since the last one, with /Prev for updates. */
typedef struct pdfb {
	tl_buf_t b;
	size_t off[40];   /* offsets of objects written in the current section */
	size_t last_xref; /* offset of the previous section; 0 for none */
	int size;         /* 1 + the highest object number written (7.5.5 /Size) */
} pdfb_t;

static void pb_init(pdfb_t *p)
{
	memset(p, 0, sizeof(*p));
	tl_buf_init(&p->b);
	tl_buf_puts(&p->b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
}

/* Keeps /Size right: qpdf warns about a wrong one, and a warning refuses the file. */
static void pb_num(pdfb_t *p, int num)
{
	if (num + 1 > p->size)
		p->size = num + 1;
}

static void pb_obj(pdfb_t *p, int num, const char *body)
{
	pb_num(p, num);
	p->off[num] = p->b.len;
	tl_buf_printf(&p->b, "%d 0 obj\n%s\nendobj\n", num, body);
}

/* A stream object; /Length direct, or in object length_ref (written after it). */
static void pb_stream(pdfb_t *p, int num, const char *dict, const void *data, size_t len,
                      int length_ref)
{
	pb_num(p, num);
	p->off[num] = p->b.len;
	if (length_ref)
		tl_buf_printf(&p->b, "%d 0 obj\n<< %s /Length %d 0 R >>\nstream\r\n", num, dict,
		              length_ref);
	else
		tl_buf_printf(&p->b, "%d 0 obj\n<< %s /Length %zu >>\nstream\n", num, dict, len);
	tl_buf_append(&p->b, data, len);
	tl_buf_puts(&p->b, "\nendstream\nendobj\n");
	if (length_ref) {
		char n[32];
		snprintf(n, sizeof(n), "%zu", len);
		pb_obj(p, length_ref, n);
	}
}

static size_t zip(const void *in, size_t len, uint8_t **out)
{
	uLongf n = compressBound(len);
	*out = malloc(n);
	assert_non_null(*out);
	assert_int_equal(compress(*out, &n, in, len), Z_OK);
	return n;
}

static void pb_flate(pdfb_t *p, int num, const char *dict, const char *text, int length_ref)
{
	uint8_t *z;
	size_t n = zip(text, strlen(text), &z);
	pb_stream(p, num, dict, z, n, length_ref);
	free(z);
}

/* The xref section, its trailer (extra: /Root, /Info ...), startxref and %%EOF. */
static void pb_xref(pdfb_t *p, const char *extra)
{
	size_t at = p->b.len;
	int n = (int)(sizeof(p->off) / sizeof(p->off[0]));
	tl_buf_puts(&p->b, "xref\n");
	if (!p->last_xref)
		tl_buf_puts(&p->b, "0 1\n0000000000 65535 f \n");
	for (int i = 1; i < n;) {
		if (!p->off[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < n && p->off[j])
			j++;
		tl_buf_printf(&p->b, "%d %d\n", i, j - i);
		for (; i < j; i++)
			tl_buf_printf(&p->b, "%010zu 00000 n\r\n", p->off[i]);
	}
	tl_buf_printf(&p->b, "trailer\n<< /Size %d %s", p->size, extra);
	if (p->last_xref)
		tl_buf_printf(&p->b, " /Prev %zu", p->last_xref);
	tl_buf_printf(&p->b, " >>\nstartxref\n%zu\n%%%%EOF\n", at);
	p->last_xref = at;
	memset(p->off, 0, sizeof(p->off));
}

#define CATALOG(tree) "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles " tree " >> >>"
#define TREE2         "<< /Names [ (findings.json) 6 0 R (manifest.json) 4 0 R ] >>"

/* Objects 1-9: catalog with the given /EmbeddedFiles tree, a page, two files (manifest
 * Flate with an indirect /Length, findings uncompressed), /Info with the report ID;
 * written out of numeric order. */
static void base_doc(pdfb_t *p, const char *catalog, const char *info)
{
	pb_init(p);
	pb_obj(p, 9, info);
	pb_obj(p, 1, catalog);
	pb_obj(p, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 612 792 ] >>");
	pb_obj(p, 2, "<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>");
	pb_obj(p, 4,
	       "<< /Type /Filespec /F (manifest.json) /UF <FEFF006D0061006E00690066006500730074"
	       "002E006A0073006F006E> /EF << /F 5 0 R /UF 5 0 R >> /AFRelationship /Source >>");
	pb_flate(p, 5,
	         "/Type /EmbeddedFile /Subtype /application#2Fjson /Filter [ /FlateDecode ] "
	         "/Params << /Size 46 >>",
	         MANIFEST, 8);
	pb_obj(p, 6,
	       "% a comment between the dictionary's entries\n"
	       "<< /Type /Filespec /F (findings.json) /EF << /F 7 0 R >> >>");
	pb_stream(p, 7, "/Type /EmbeddedFile", FINDINGS, strlen(FINDINGS), 0);
}

static void base(pdfb_t *p)
{
	base_doc(p, CATALOG(TREE2), "<< /Producer (libharu) /ReportID (" RID ") >>");
	pb_xref(p, "/Root 1 0 R /Info 9 0 R");
}

static int read_buf(const tl_buf_t *b, tl_pdf_doc_t *d, char *err)
{
	return tl_pdf_read((const uint8_t *)b->data, b->len, d, err, 256);
}

static void assert_file(const tl_pdf_doc_t *d, const char *name, const char *text)
{
	const tl_pdf_file_t *f = tl_pdf_doc_file(d, name);
	assert_non_null(f);
	assert_int_equal(f->len, strlen(text));
	assert_memory_equal(f->data, text, f->len);
}

static void reads_files_and_report_id(void **state)
{
	(void)state;
	pdfb_t p;
	tl_pdf_doc_t d;
	char err[256];
	base(&p);
	assert_int_equal(read_buf(&p.b, &d, err), TL_OK);
	assert_int_equal(d.n_files, 2);
	assert_string_equal(d.files[0].name, "findings.json"); /* name-tree order */
	assert_string_equal(d.files[1].name, "manifest.json");
	assert_file(&d, "manifest.json", MANIFEST);
	assert_file(&d, "findings.json", FINDINGS);
	assert_null(tl_pdf_doc_file(&d, "other.json"));
	assert_string_equal(d.report_id, RID);
	assert_int_equal(d.updates, 0);
	tl_pdf_doc_free(&d);
	tl_pdf_doc_free(&d); /* emptied: a second free is harmless */
	tl_pdf_doc_free(NULL);
	tl_buf_free(&p.b);
}

static void no_info_no_files(void **state)
{
	(void)state;
	pdfb_t p;
	tl_pdf_doc_t d;
	char err[256];
	pb_init(&p);
	pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	pb_obj(&p, 2, "<< /Type /Pages /Kids [ ] /Count 0 >>");
	pb_xref(&p, "/Root 1 0 R");
	assert_int_equal(read_buf(&p.b, &d, err), TL_OK);
	assert_int_equal(d.n_files, 0);
	assert_null(d.report_id);
	tl_pdf_doc_free(&d);
	tl_buf_free(&p.b);
}

static void string_and_name_escapes(void **state)
{
	(void)state;
	pdfb_t p;
	tl_pdf_doc_t d;
	char err[256];
	/* 7.3.4.2: \n \\ \( \) octal (1-3 digits, \050 is '('), a backslash-newline
	 * continuation, an unknown escape (\q is q), a raw CR LF that reads as LF, and
	 * balanced parentheses. The key is a hex string with an odd digit count. */
	base_doc(&p,
	         CATALOG("<< /Names [ <6d2e6a73 6f6e3> 4 0 R (a\\050b\\051 \\(c\\)\\101\\7x"
	                 "\\\n(d)\\q\r\ne\\\\) 6 0 R ] >>"),
	         "<< /Report#49D (id\\\r\n\\0612) >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	assert_int_equal(read_buf(&p.b, &d, err), TL_OK);
	assert_int_equal(d.n_files, 2);
	assert_string_equal(d.files[0].name, "m.json0");
	assert_string_equal(d.files[1].name, "a(b) (c)A\x07x(d)q\ne\\");
	assert_file(&d, "a(b) (c)A\x07x(d)q\ne\\", FINDINGS);
	assert_string_equal(d.report_id, "id12"); /* /Report#49D is /ReportID */
	tl_pdf_doc_free(&d);
	tl_buf_free(&p.b);
}

/* An editor's usual change: new objects appended with a new xref section and /Prev. */
static void incremental_update_replaces_manifest(void **state)
{
	(void)state;
	pdfb_t p;
	tl_pdf_doc_t d;
	char err[256];
	base(&p);
	pb_flate(&p, 5, "/Type /EmbeddedFile /Filter /FlateDecode", "{\"forged\":true}", 0);
	pb_obj(&p, 9, "<< /ReportID (" RID "0) >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	assert_int_equal(read_buf(&p.b, &d, err), TL_OK);
	assert_int_equal(d.updates, 1);
	assert_file(&d, "manifest.json", "{\"forged\":true}");
	assert_file(&d, "findings.json", FINDINGS);
	assert_string_equal(d.report_id, RID "0");
	tl_pdf_doc_free(&d);

	/* A second update frees the /Info object (an 'f' entry): older ones don't revive it. */
	size_t at = p.b.len;
	tl_buf_printf(&p.b,
	              "xref\n9 1\n0000000000 00001 f \ntrailer\n<< /Size %d /Root 1 0 R "
	              "/Info 9 0 R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	              p.size, p.last_xref, at);
	assert_int_equal(read_buf(&p.b, &d, err), TL_OK);
	assert_int_equal(d.updates, 2);
	assert_null(d.report_id);
	assert_file(&d, "manifest.json", "{\"forged\":true}");
	tl_pdf_doc_free(&d);
	tl_buf_free(&p.b);
}

static void name_tree_kids(void **state)
{
	(void)state;
	pdfb_t p;
	tl_pdf_doc_t d;
	char err[256];
	base_doc(&p, CATALOG("10 0 R"), "<< >>");
	pb_obj(&p, 10, "<< /Kids [ 11 0 R 12 0 R ] >>");
	pb_obj(&p, 11, "<< /Limits [ (a) (a) ] /Names [ (a) 6 0 R ] >>");
	pb_obj(&p, 12, "<< /Limits [ (b) (b) ] /Names [ (b) 4 0 R ] >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	assert_int_equal(read_buf(&p.b, &d, err), TL_OK);
	assert_int_equal(d.n_files, 2);
	assert_string_equal(d.files[0].name, "a");
	assert_file(&d, "b", MANIFEST);
	assert_null(d.report_id);
	tl_pdf_doc_free(&d);
	tl_buf_free(&p.b);
}

/* PNG "Up" predictor rows (7.4.4.4) for a cross-reference stream. */
static void png_up(tl_buf_t *out, const uint8_t *rows, size_t nrows, size_t cols)
{
	for (size_t y = 0; y < nrows; y++) {
		tl_buf_putc(out, 2);
		for (size_t x = 0; x < cols; x++) {
			uint8_t up = y ? rows[(y - 1) * cols + x] : 0;
			tl_buf_putc(out, (char)(uint8_t)(rows[y * cols + x] - up));
		}
	}
}

static void put_row(uint8_t *row, int type, size_t f2, unsigned f3)
{
	row[0] = (uint8_t)type;
	row[1] = (uint8_t)(f2 >> 24);
	row[2] = (uint8_t)(f2 >> 16);
	row[3] = (uint8_t)(f2 >> 8);
	row[4] = (uint8_t)f2;
	row[5] = (uint8_t)(f3 >> 8);
	row[6] = (uint8_t)f3;
}

/* 7.5.7 and 7.5.8: objects 1-4 and 9 in object stream 10, the xref in stream 11. */
static void build_xref_stream_doc(tl_buf_t *out)
{
	pdfb_t p;
	const char *objs[] = {CATALOG(TREE2), "<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
	                      "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 612 792 ] >>",
	                      "<< /Type /Filespec /F (manifest.json) /EF << /F 5 0 R >> >>",
	                      "<< /ReportID (" RID ") >>"};
	const int nums[] = {1, 2, 3, 4, 9};
	tl_buf_t hdr, body, os;
	tl_buf_init(&hdr);
	tl_buf_init(&body);
	tl_buf_init(&os);
	for (int i = 0; i < 5; i++) {
		tl_buf_printf(&hdr, "%d %zu ", nums[i], body.len);
		tl_buf_printf(&body, "%s\n", objs[i]);
	}
	tl_buf_append(&os, hdr.data, hdr.len);
	tl_buf_append(&os, body.data, body.len);
	uint8_t *z;
	size_t zn = zip(os.data, os.len, &z);
	char dict[100];
	pb_init(&p);
	pb_flate(&p, 5, "/Type /EmbeddedFile /Filter /FlateDecode", MANIFEST, 0);
	pb_obj(&p, 6, "<< /Type /Filespec /F (findings.json) /EF << /F 7 0 R >> >>");
	pb_stream(&p, 7, "", FINDINGS, strlen(FINDINGS), 8);
	snprintf(dict, sizeof(dict), "/Type /ObjStm /N 5 /First %zu /Filter /FlateDecode", hdr.len);
	pb_stream(&p, 10, dict, z, zn, 0);
	free(z);

	uint8_t rows[12 * 7];
	memset(rows, 0, sizeof(rows));
	put_row(rows, 0, 0, 65535);
	for (int i = 0; i < 5; i++)
		put_row(rows + nums[i] * 7, 2, 10, (unsigned)i);
	for (int i = 5; i <= 8; i++)
		put_row(rows + i * 7, 1, p.off[i], 0);
	put_row(rows + 10 * 7, 1, p.off[10], 0);
	size_t xref_at = p.b.len;
	put_row(rows + 11 * 7, 1, xref_at, 0);
	tl_buf_t pred;
	tl_buf_init(&pred);
	png_up(&pred, rows, 12, 7);
	zn = zip(pred.data, pred.len, &z);
	tl_buf_printf(&p.b,
	              "11 0 obj\n<< /Type /XRef /Size 12 /W [ 1 4 2 ] /Index [ 0 12 ] "
	              "/Root 1 0 R /Info 9 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 "
	              "/Columns 7 >> /Length %zu >>\nstream\n",
	              zn);
	tl_buf_append(&p.b, z, zn);
	tl_buf_printf(&p.b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_at);
	free(z);
	tl_buf_free(&pred);
	tl_buf_free(&hdr);
	tl_buf_free(&body);
	tl_buf_free(&os);
	*out = p.b;
}

static void xref_and_object_streams(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_pdf_doc_t d;
	char err[256];
	build_xref_stream_doc(&b);
	int rc = read_buf(&b, &d, err);
	assert_string_equal(err, "");
	assert_int_equal(rc, TL_OK);
	assert_int_equal(d.n_files, 2);
	assert_file(&d, "manifest.json", MANIFEST);
	assert_file(&d, "findings.json", FINDINGS);
	assert_string_equal(d.report_id, RID);
	assert_int_equal(d.updates, 0);
	tl_pdf_doc_free(&d);
	tl_buf_free(&b);
}

/* Reads a built PDF that must fail with code and a message containing want and then
 * want2 (NULL: only want). qpdf words some messages: want names the object and want2
 * what qpdf found wrong. */
static void expect_error2(const tl_buf_t *b, int code, const char *want, const char *want2)
{
	tl_pdf_doc_t d;
	char err[256];
	memset(&d, 0x5a, sizeof(d));
	int rc = read_buf(b, &d, err);
	const char *at = strstr(err, want);
	if (rc != code || !at || (want2 && !strstr(at + strlen(want), want2)))
		fail_msg("wanted %d \"%s\" ... \"%s\", got %d \"%s\"", code, want,
		         want2 ? want2 : "", rc, err);
	assert_int_equal(d.n_files, 0); /* *out left empty */
	assert_null(d.files);
	assert_null(d.report_id);
}

static void expect_error(const tl_buf_t *b, int code, const char *want)
{
	expect_error2(b, code, want, NULL);
}

/* Where s first occurs in b (the bytes hold NULs: no strstr). */
static char *find(const tl_buf_t *b, const char *s)
{
	char *at = memmem(b->data, b->len, s, strlen(s));
	assert_non_null(at);
	return at;
}

/* qpdf decodes object streams itself and does not mind a wrong Adler-32 at the end of
 * Flate data (the bytes before it may be damaged too); the reader inflates such streams
 * again and refuses it. */
static void object_stream_check_value(void **state)
{
	(void)state;
	tl_buf_t b;
	build_xref_stream_doc(&b);
	char *os = find(&b, "/Type /ObjStm");
	char *end = memmem(os, b.len - (size_t)(os - b.data), "\nendstream", 10);
	assert_non_null(end);
	end[-1] ^= 0x01; /* the last byte of the zlib data: part of its Adler-32 */
	expect_error(&b, TL_EFORMAT, "object 10: bad Flate data at byte ");
	tl_buf_free(&b);
}

static void hostile_offsets(void **state)
{
	(void)state;
	pdfb_t p;
	base(&p);
	/* startxref past the end. */
	tl_buf_t b;
	tl_buf_init(&b);
	size_t cut = (size_t)(find(&p.b, "startxref\n") - p.b.data) + 10;
	tl_buf_append(&b, p.b.data, cut);
	tl_buf_printf(&b, "%zu\n%%%%EOF\n", p.b.len + 100);
	char want[64];
	snprintf(want, sizeof(want), "PDF byte %zu: startxref points outside the file", cut);
	expect_error(&b, TL_EFORMAT, want);

	/* startxref into the middle of an object. */
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, cut);
	tl_buf_puts(&b, "20\n%%EOF\n");
	expect_error(&b, TL_EFORMAT, "PDF byte 20: neither 'xref' nor 'N G obj'");

	/* no startxref; not a PDF; garbage after %%EOF. */
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, cut - 10);
	expect_error(&b, TL_EFORMAT, "no 'startxref' in the last 4096 bytes");
	tl_buf_clear(&b);
	tl_buf_puts(&b, "GIF89a");
	expect_error(&b, TL_EFORMAT, "PDF byte 0: no '%PDF-1.x'");
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, p.b.len);
	tl_buf_puts(&b, "x");
	expect_error(&b, TL_EFORMAT, "data after the last %%EOF");

	/* An xref entry that points at the wrong object. */
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, p.b.len);
	char *e = find(&b, "xref\n0 1\n0000000000 65535 f \n1 9\n") + 33; /* objects 1, 2 */
	char o1[11], o2[11];
	memcpy(o1, e, 10);
	memcpy(o2, e + 20, 10);
	memcpy(e, o2, 10);
	memcpy(e + 20, o1, 10);
	expect_error2(&b, TL_EFORMAT, "object 1 (PDF byte ", "): expected 1 0 obj");
	tl_buf_free(&b);
	tl_buf_free(&p.b);
}

static void hostile_lengths_and_streams(void **state)
{
	(void)state;
	pdfb_t p;
	/* /Length far past the end. */
	base_doc(&p, CATALOG(TREE2), "<< >>");
	p.off[7] = p.b.len;
	tl_buf_puts(&p.b, "7 0 obj\n<< /Length 3670000 >>\nstream\nabc\nendstream\nendobj\n");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error2(&p.b, TL_EFORMAT, "object 7 (PDF byte ", "): expected endstream");
	tl_buf_free(&p.b);

	/* /Length that does not end at endstream (bytes added to the stream). */
	base_doc(&p, CATALOG(TREE2), "<< >>");
	p.off[7] = p.b.len;
	tl_buf_puts(&p.b, "7 0 obj\n<< /Length 3 >>\nstream\nabcdef\nendstream\nendobj\n");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error2(&p.b, TL_EFORMAT, "object 7 (PDF byte ", "): expected endstream");
	tl_buf_free(&p.b);

	/* A stream whose /Length is itself. */
	base_doc(&p, CATALOG(TREE2), "<< >>");
	p.off[7] = p.b.len;
	tl_buf_puts(&p.b, "7 0 obj\n<< /Length 7 0 R >>\nstream\nabc\nendstream\nendobj\n");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "loop detected resolving object 7 0");
	tl_buf_free(&p.b);

	/* Truncated Flate data: the first half of the compressed manifest. */
	uint8_t *z;
	size_t zn = zip(MANIFEST, strlen(MANIFEST), &z);
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_stream(&p, 5, "/Filter /FlateDecode", z, zn / 2, 0);
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "object 5: Flate data ends early");
	tl_buf_free(&p.b);

	/* Bad Flate data: a broken zlib header. */
	z[0] ^= 0xff;
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_stream(&p, 5, "/Filter /FlateDecode", z, zn, 0);
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "object 5: bad Flate data");
	tl_buf_free(&p.b);
	free(z);

	/* A filter we do not read, and an external-file stream. */
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_stream(&p, 5, "/Filter /LZWDecode", "abc", 3, 0);
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EUNSUPPORTED, "object 5: filter /LZWDecode is not read");
	tl_buf_free(&p.b);

	/* A decompression bomb: 65 MiB of zeros in about 65 KiB. */
	size_t big = 65u << 20;
	uint8_t *zeros = calloc(1, big);
	assert_non_null(zeros);
	zn = zip(zeros, big, &z);
	free(zeros);
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_stream(&p, 5, "/Filter /FlateDecode", z, zn, 0);
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_ELIMIT, "object 5: stream decodes to more than 64 MiB");
	tl_buf_free(&p.b);
	free(z);
}

static void hostile_structure(void **state)
{
	(void)state;
	pdfb_t p;
	tl_buf_t b;
	tl_buf_init(&b);

	/* A /Prev loop: an update whose /Prev is itself. */
	base(&p);
	pb_obj(&p, 9, "<< >>");
	size_t at = p.b.len;
	p.last_xref = at;
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	char want[100];
	snprintf(want, sizeof(want), "section at PDF byte %zu: /Prev %zu leads back", at, at);
	expect_error(&p.b, TL_EFORMAT, want);
	tl_buf_free(&p.b);

	/* /Info that is a reference to itself; a pair of objects referring to each other. */
	base_doc(&p, CATALOG(TREE2), "9 0 R");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error2(&p.b, TL_EFORMAT, "object 9 (PDF byte ", "): expected endobj");
	tl_buf_free(&p.b);

	/* Arrays nested 100 deep. */
	tl_buf_clear(&b);
	tl_buf_puts(&b, "<< /ReportID ");
	for (int i = 0; i < 100; i++)
		tl_buf_putc(&b, '[');
	for (int i = 0; i < 100; i++)
		tl_buf_putc(&b, ']');
	tl_buf_puts(&b, " >>");
	base_doc(&p, CATALOG(TREE2), b.data);
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "nested deeper than 64");
	tl_buf_free(&p.b);

	/* A name tree whose node is its own kid. */
	base_doc(&p, CATALOG("10 0 R"), "<< >>");
	pb_obj(&p, 10, "<< /Kids [ 10 0 R ] >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "name-tree node (object 10): reached twice");
	tl_buf_free(&p.b);

	/* Two files with one name; /F and /UF with different bytes; a duplicate key. */
	base_doc(&p, CATALOG("<< /Names [ (a) 4 0 R (a) 6 0 R ] >>"), "<< >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "two embedded files are named a");
	tl_buf_free(&p.b);
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_obj(&p, 4, "<< /Type /Filespec /F (manifest.json) /EF << /F 5 0 R /UF 7 0 R >> >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "embedded file manifest.json: /EF /F and /UF are different");
	tl_buf_free(&p.b);
	base_doc(&p, CATALOG(TREE2), "<< /ReportID (a) /ReportID (b) >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error2(&p.b, TL_EFORMAT, "object 9 (PDF byte ",
	              "): dictionary has duplicated key /ReportID");
	tl_buf_free(&p.b);

	/* Encrypted. */
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R /Encrypt << /Filter /Standard >>");
	expect_error(&p.b, TL_EUNSUPPORTED, "encrypted");
	tl_buf_free(&p.b);

	/* A file specification that is only a string. */
	base_doc(&p, CATALOG("<< /Names [ (x) (x.json) ] >>"), "<< >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT, "embedded file x: the file specification is a string");
	tl_buf_free(&p.b);
	tl_buf_free(&b);
}

/* 7.5.5: nothing after %%EOF but one end-of-line; anything else is an appended edit that
 * is not a proper update, refused rather than skipped. */
static void end_of_file(void **state)
{
	(void)state;
	pdfb_t p;
	tl_buf_t b;
	tl_pdf_doc_t d;
	char err[256];
	base(&p);
	tl_buf_init(&b);
	const char *ok[] = {"", "\n", "\r\n", "\r"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		tl_buf_clear(&b);
		tl_buf_append(&b, p.b.data, p.b.len - 1); /* without its final LF */
		tl_buf_puts(&b, ok[i]);
		int rc = read_buf(&b, &d, err);
		if (rc)
			fail_msg("ending %zu: %s", i, err);
		tl_pdf_doc_free(&d);
	}
	const char *bad[] = {"\n\n", "\r\n\r\n", " ", "\n%%EOF\n", "\t"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tl_buf_clear(&b);
		tl_buf_append(&b, p.b.data, p.b.len - 1);
		tl_buf_puts(&b, bad[i]);
		expect_error(&b, TL_EFORMAT, "data after the last %%EOF");
	}
	tl_buf_clear(&b); /* a NUL is white space to 7.2.2, but not an end-of-line */
	tl_buf_append(&b, p.b.data, p.b.len);
	tl_buf_putc(&b, '\0');
	expect_error(&b, TL_EFORMAT, "data after the last %%EOF (1 bytes");
	tl_buf_free(&b);
	tl_buf_free(&p.b);
}

/* An update appended to a file whose section is a cross-reference stream: the older
 * section is found by its "N G obj" and still counted. */
static void update_after_xref_stream(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_pdf_doc_t d;
	char err[256];
	build_xref_stream_doc(&b);
	size_t prev = (size_t)(find(&b, "11 0 obj") - b.data);
	size_t obj = b.len;
	tl_buf_printf(&b, "9 0 obj\n<< /ReportID (forged) >>\nendobj\n");
	size_t at = b.len;
	tl_buf_printf(&b,
	              "xref\n9 1\n%010zu 00000 n \ntrailer\n<< /Size 12 /Root 1 0 R /Info 9 0 R "
	              "/Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	              obj, prev, at);
	int rc = read_buf(&b, &d, err);
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(d.updates, 1);
	assert_string_equal(d.report_id, "forged");
	assert_file(&d, "manifest.json", MANIFEST);
	tl_pdf_doc_free(&d);
	tl_buf_free(&b);
}

/* Damage that qpdf would mend with recovery on (it rebuilds the index by scanning for
 * "N G obj") is refused with recovery off. */
static void broken_xref_refused(void **state)
{
	(void)state;
	pdfb_t p;
	tl_buf_t b;
	base(&p);
	tl_buf_init(&b);

	/* A subsection that announces more entries than it has (objects 1-9 in one). */
	const char *sub = "xref\n0 1\n0000000000 65535 f \n1 9\n";
	size_t at = (size_t)(find(&p.b, sub) - p.b.data) + strlen(sub) - 2;
	tl_buf_append(&b, p.b.data, at);
	tl_buf_puts(&b, "10");
	tl_buf_append(&b, p.b.data + at + 1, p.b.len - at - 1);
	expect_error(&b, TL_EFORMAT, "invalid xref entry (obj=10)");

	/* Object 4's entry one byte off: it points into "4 0 obj", not at it. */
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, p.b.len);
	char *e = find(&b, sub) + strlen(sub) + 3 * 20;
	e[9] = (char)(e[9] + 1);
	expect_error2(&b, TL_EFORMAT, "object 4 (PDF byte ", "): expected n n obj");

	/* startxref one byte early: no "xref" there. */
	tl_buf_clear(&b);
	size_t xref = (size_t)(find(&p.b, "\nxref\n") - p.b.data) + 1;
	size_t cut = (size_t)(find(&p.b, "startxref\n") - p.b.data) + 10;
	tl_buf_append(&b, p.b.data, cut);
	tl_buf_printf(&b, "%zu\n%%%%EOF\n", xref - 1);
	expect_error(&b, TL_EFORMAT, "neither 'xref' nor 'N G obj'");

	/* An entry with a byte that is not part of any entry. */
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, p.b.len);
	e = find(&b, sub) + strlen(sub) + 3 * 20;
	e[3] = 'x';
	expect_error(&b, TL_EFORMAT, "is not part of an entry");

	/* The generation an entry gives is not the object's: "4 0 R" names no object, so is
	 * null (7.3.10), as the reader always took it. */
	tl_buf_clear(&b);
	tl_buf_append(&b, p.b.data, p.b.len);
	e = find(&b, sub) + strlen(sub) + 3 * 20;
	memcpy(e + 11, "00001", 5);
	expect_error(&b, TL_EFORMAT,
	             "embedded file manifest.json: the file specification is not a dictionary");
	tl_buf_free(&p.b);

	/* A trailer with a key twice: two readers could take two different /Info. */
	base_doc(&p, CATALOG(TREE2), "<< >>");
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R /Info 1 0 R");
	expect_error2(&p.b, TL_EFORMAT, "cross-reference section at PDF byte ",
	              ": dictionary has duplicated key /Info");
	tl_buf_free(&b);
	tl_buf_free(&p.b);
}

/* A file cut short, and one with bytes cut out of its middle under an index that still
 * names the old offsets. */
static void truncated_file(void **state)
{
	(void)state;
	pdfb_t p;
	tl_buf_t b;
	base(&p);
	tl_buf_init(&b);
	tl_buf_append(&b, p.b.data, p.b.len / 2);
	expect_error(&b, TL_EFORMAT, "no 'startxref'");

	/* The first half, then the original last lines. */
	tl_buf_clear(&b);
	size_t tail = (size_t)(find(&p.b, "startxref\n") - p.b.data);
	tl_buf_append(&b, p.b.data, p.b.len / 2);
	tl_buf_append(&b, p.b.data + tail, p.b.len - tail);
	expect_error(&b, TL_EFORMAT, "startxref points outside the file");

	/* Ten bytes of the findings stream cut out, startxref moved to match: the stream
	 * no longer ends where its /Length says. */
	tl_buf_clear(&b);
	size_t at = (size_t)(find(&p.b, FINDINGS) - p.b.data);
	size_t xref = (size_t)(find(&p.b, "\nxref\n") - p.b.data) + 1;
	tl_buf_append(&b, p.b.data, at);
	tl_buf_append(&b, p.b.data + at + 10, tail - at - 10);
	tl_buf_printf(&b, "startxref\n%zu\n%%%%EOF\n", xref - 10);
	expect_error2(&b, TL_EFORMAT, "object 7 (PDF byte ", "): expected endstream");
	tl_buf_free(&b);
	tl_buf_free(&p.b);
}

/* qpdf without recovery still passes some damage as a warning and reads on; a warning
 * refuses the file here. A /Size that is not one more than the highest object number
 * (7.5.5) is the mildest. */
static void qpdf_warning_refuses(void **state)
{
	(void)state;
	pdfb_t p;
	base_doc(&p, CATALOG(TREE2), "<< /ReportID (" RID ") >>");
	p.size = 40;
	pb_xref(&p, "/Root 1 0 R /Info 9 0 R");
	expect_error(&p.b, TL_EFORMAT,
	             "reported number of objects (40) is not one plus the highest object "
	             "number (9)");
	tl_buf_free(&p.b);
}

/* Every prefix of two good files, and each byte of one flipped: errors, never a crash
 * (run under ASan in the sanitizer build). */
static void truncations_and_flips_fail_cleanly(void **state)
{
	(void)state;
	pdfb_t p;
	tl_buf_t x;
	tl_pdf_doc_t d;
	char err[256];
	base(&p);
	build_xref_stream_doc(&x);
	for (size_t n = 0; n + 1 < p.b.len; n++) { /* the last byte is a newline */
		uint8_t *c = malloc(n ? n : 1);
		memcpy(c, p.b.data, n);
		assert_int_not_equal(tl_pdf_read(c, n, &d, err, sizeof(err)), TL_OK);
		assert_true(err[0] != '\0');
		free(c);
	}
	for (size_t n = 0; n + 1 < x.len; n++) {
		uint8_t *c = malloc(n ? n : 1);
		memcpy(c, x.data, n);
		assert_int_not_equal(tl_pdf_read(c, n, &d, err, sizeof(err)), TL_OK);
		free(c);
	}
	for (size_t i = 0; i < x.len; i++) {
		uint8_t *c = malloc(x.len);
		memcpy(c, x.data, x.len);
		c[i] ^= 0x41;
		if (tl_pdf_read(c, x.len, &d, err, sizeof(err)) == TL_OK)
			tl_pdf_doc_free(&d);
		free(c);
	}
	tl_buf_free(&x);
	tl_buf_free(&p.b);
}

/* qpdf's rewrites (classic, QDF with comments, object and xref streams, linearized)
 * read back to the same files; skipped when qpdf is not installed. */
static void qpdf_rewrites(void **state)
{
	(void)state;
	if (system("command -v qpdf >/dev/null 2>&1") != 0)
		skip();
	char dir[] = "/tmp/test_pdf_read.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char in[64], out[64], cmd[400];
	snprintf(in, sizeof(in), "%s/in.pdf", dir);
	snprintf(out, sizeof(out), "%s/out.pdf", dir);
	pdfb_t p;
	base(&p);
	FILE *f = fopen(in, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p.b.data, 1, p.b.len, f), p.b.len);
	fclose(f);
	const char *opts[] = {"", "--qdf --object-streams=disable", "--object-streams=generate",
	                      "--linearize --object-streams=generate"};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(cmd, sizeof(cmd), "qpdf %s '%s' '%s' >/dev/null 2>&1", opts[i], in, out);
		int st = system(cmd);
		assert_true(st == 0 || WEXITSTATUS(st) == 3); /* 3: warnings */
		f = fopen(out, "rb");
		assert_non_null(f);
		uint8_t *buf = malloc(1 << 20);
		size_t n = fread(buf, 1, 1 << 20, f);
		fclose(f);
		tl_pdf_doc_t d;
		char err[256];
		int rc = tl_pdf_read(buf, n, &d, err, sizeof(err));
		if (rc)
			fail_msg("qpdf %s: %s", opts[i], err);
		assert_file(&d, "manifest.json", MANIFEST);
		assert_file(&d, "findings.json", FINDINGS);
		assert_string_equal(d.report_id, RID);
		assert_int_equal(d.updates, 0);
		tl_pdf_doc_free(&d);
		free(buf);
	}
	tl_buf_free(&p.b);
	unlink(in);
	unlink(out);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_files_and_report_id),
	    cmocka_unit_test(no_info_no_files),
	    cmocka_unit_test(string_and_name_escapes),
	    cmocka_unit_test(incremental_update_replaces_manifest),
	    cmocka_unit_test(name_tree_kids),
	    cmocka_unit_test(xref_and_object_streams),
	    cmocka_unit_test(object_stream_check_value),
	    cmocka_unit_test(hostile_offsets),
	    cmocka_unit_test(hostile_lengths_and_streams),
	    cmocka_unit_test(hostile_structure),
	    cmocka_unit_test(end_of_file),
	    cmocka_unit_test(update_after_xref_stream),
	    cmocka_unit_test(broken_xref_refused),
	    cmocka_unit_test(truncated_file),
	    cmocka_unit_test(qpdf_warning_refuses),
	    cmocka_unit_test(truncations_and_flips_fail_cleanly),
	    cmocka_unit_test(qpdf_rewrites),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
