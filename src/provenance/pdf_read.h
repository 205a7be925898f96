/* pdf_read.h - a small, strict, bounded PDF reader: embedded files and the report ID. */
#ifndef TL_PROVENANCE_PDF_READ_H
#define TL_PROVENANCE_PDF_READ_H

#include <stddef.h>
#include <stdint.h>

/* What `tealeaves verify` takes back from a report PDF (ISO 32000-1):
 * - the embedded files of the document's name tree (Root /Names /EmbeddedFiles, 7.11.4),
 * - the document information dictionary's /ReportID (trailer /Info, 14.3.3).
 *
 * Read: classic cross-reference tables (7.5.4) and cross-reference streams (7.5.8),
 * hybrid files (/XRefStm, 7.5.8.4), incremental updates (/Prev chains, 7.5.6; the newest
 * definition of an object wins), object streams (7.5.7), the FlateDecode filter with
 * PNG and TIFF predictors (7.4.4). Other filters and encrypted files are TL_EUNSUPPORTED.
 * Nothing is repaired: a wrong offset, a /Length that does not end at "endstream", a
 * duplicate dictionary key or name-tree key, or two different /EF /F and /UF streams
 * are errors (TL_EFORMAT). Caps (below) give TL_ELIMIT. */

#define TL_PDF_MAX_DEPTH      64                   /* nesting of arrays and dictionaries */
#define TL_PDF_MAX_CHAIN      32                   /* objects loaded while loading one object */
#define TL_PDF_MAX_STREAM     (64u * 1024 * 1024)  /* decoded bytes of one stream */
#define TL_PDF_MAX_TOTAL      (256u * 1024 * 1024) /* decoded bytes of all streams together */
#define TL_PDF_MAX_OBJECTS    1000000              /* object numbers 0 .. this-1 */
#define TL_PDF_MAX_VALUES     1000000              /* parsed values (numbers, strings, ...) */
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
 * object and/or the byte offset, e.g. "object 124: /Length 3670 runs past the end of
 * the file". */
int tl_pdf_read(const uint8_t *pdf, size_t len, tl_pdf_doc_t *out, char *err, size_t errlen);

/* The first file named name, or NULL. Points into d. */
const tl_pdf_file_t *tl_pdf_doc_file(const tl_pdf_doc_t *d, const char *name);

/* Frees everything tl_pdf_read allocated in d and empties it; d may be NULL. */
void tl_pdf_doc_free(tl_pdf_doc_t *d);

#endif
