/* pdf_read.h - a strict PDF reader on libqpdf: embedded files, the report ID, updates. */
#ifndef TL_PROVENANCE_PDF_READ_H
#define TL_PROVENANCE_PDF_READ_H

#include <stddef.h>
#include <stdint.h>

/* What `tealeaves verify` takes back from a report PDF (ISO 32000-1):
 * - the embedded files of the document's name tree (Root /Names /EmbeddedFiles, 7.11.4),
 * - the document information dictionary's /ReportID (trailer /Info, 14.3.3),
 * - how many incremental updates were appended (7.5.6).
 *
 * libqpdf parses the file, with its recovery off: classic cross-reference tables (7.5.4)
 * and streams (7.5.8), hybrid files, incremental updates (the newest definition of an
 * object, and the newest trailer, win), object streams, linearized files. A warning from
 * qpdf refuses the file like an error: without recovery qpdf still reads on past some
 * damage, with null in place of what it could not read. Every object (of generation 0)
 * is parsed once, so a damaged one refuses the file even where no check needs it;
 * stream data is decoded only for the embedded files and for qpdf's own object and
 * cross-reference streams. Checked here, on the bytes: the
 * header, "startxref" N "%%EOF" at the end with at most one end-of-line after it, the
 * chain of sections (/Prev: a loop, an offset outside the file). Checked here on the
 * objects: the name tree (a node reached twice, two files of one name), the file
 * specifications, /EF /F and /UF with different bytes, text strings. An embedded file's
 * stream may have only FlateDecode filters (with a PNG or TIFF predictor on the last);
 * other filters and encrypted files are TL_EUNSUPPORTED. Nothing is repaired: damage is
 * TL_EFORMAT; the caps below give TL_ELIMIT. */

/* TL_PDF_MAX_STREAM and TL_PDF_MAX_TOTAL bound the embedded files, counted before qpdf
 * decodes them; the object and cross-reference streams qpdf decodes for itself have no
 * bound but memory (qpdf 11 has none to set). */
#define TL_PDF_MAX_DEPTH      64                   /* nesting of arrays and dictionaries */
#define TL_PDF_MAX_STREAM     (64u * 1024 * 1024)  /* decoded bytes of one embedded file */
#define TL_PDF_MAX_TOTAL      (256u * 1024 * 1024) /* decoded bytes of all embedded files */
#define TL_PDF_MAX_OBJECTS    1000000              /* object numbers 0 .. this-1 (/Size) */
#define TL_PDF_MAX_SECTIONS   1000                 /* cross-reference sections (/Prev chain) */
#define TL_PDF_MAX_FILES      10000                /* embedded files */
#define TL_PDF_MAX_TREE_DEPTH 32                   /* name-tree /Kids levels */

typedef struct tl_pdf_file {
	char *name;    /* the name tree key (PDF string bytes; UTF-16BE keys become UTF-8) */
	uint8_t *data; /* the stream's bytes after its filters; never NULL */
	size_t len;
} tl_pdf_file_t;

typedef struct tl_pdf_doc {
	tl_pdf_file_t *files; /* in name-tree order */
	size_t n_files;
	char *report_id; /* trailer /Info /ReportID, NULL when absent */
	int updates;     /* number of incremental updates: xref sections beyond the first,
	                  * not counting a linearized file's first-page section (whose
	                  * /Prev points forwards; an appended update's points back) */
} tl_pdf_doc_t;

/* Reads the len bytes at pdf. On success fills *out (the caller frees it with
 * tl_pdf_doc_free) and returns TL_OK; otherwise returns TL_EFORMAT, TL_EUNSUPPORTED or
 * TL_ELIMIT, leaves *out empty (safe to free) and writes into err a message naming the
 * object and/or the byte offset, e.g. "embedded file manifest.json: object 124 (PDF byte
 * 3670): expected endstream" (the last part in qpdf's words). */
int tl_pdf_read(const uint8_t *pdf, size_t len, tl_pdf_doc_t *out, char *err, size_t errlen);

/* The first file named name, or NULL. Points into d. */
const tl_pdf_file_t *tl_pdf_doc_file(const tl_pdf_doc_t *d, const char *name);

/* Frees everything tl_pdf_read allocated in d and empties it; d may be NULL. */
void tl_pdf_doc_free(tl_pdf_doc_t *d);

#endif
