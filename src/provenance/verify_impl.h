/* verify_impl.h - what the files of `verify`'s checks share (verify.c, verify_doc.c,
 * verify_case.c, verify_remake.c, verify_bundle.c, locate.c); not for use outside
 * them. */
#ifndef TL_PROVENANCE_VERIFY_IMPL_H
#define TL_PROVENANCE_VERIFY_IMPL_H

#include "provenance/verify.h"

#include <jansson.h>
#include <stdint.h>

#define TL_VERIFY_MAX_PDF_BYTES  ((size_t)1 << 31)  /* 2 GiB: far above any report */
#define TL_VERIFY_MAX_SIDE_BYTES ((size_t)64 << 20) /* manifests, checksums, signatures */
#define TL_VERIFY_SEARCH_DEPTH   16
#define TL_VERIFY_SEARCH_MAX     200000 /* directory entries read under --inputs */

/* A growable list of strings. */
typedef struct tl_vstrv {
	char **v; /* owned, each owned */
	size_t n, cap;
} tl_vstrv_t;

void tl_verify_strv_push(tl_vstrv_t *s, char *p); /* takes p */
void tl_verify_strv_free(tl_vstrv_t *s);

/* The files below a folder, walked once. */
typedef struct tl_vtree {
	tl_vstrv_t files; /* relative to the folder, in walk order (see locate.c's cmp_walk) */
	size_t seen;      /* directory entries read */
	int cut;          /* the walk stopped at a limit */
} tl_vtree_t;

/* Every file below dir other than a folder (symbolic links are not followed), as paths
 * relative to it, down to max_depth levels and TL_VERIFY_SEARCH_MAX entries, in walk
 * order: in each folder its files by name, then its folders by name. Free t->files. */
void tl_verify_tree_walk(const char *dir, int max_depth, tl_vtree_t *t);

/* One run of the checks on one report. */
typedef struct tl_vctx {
	const tl_verify_opts_t *o; /* borrowed */
	tl_verdict_t *verdict;     /* borrowed: where the checks go */
	const char *inputs_dir;    /* --inputs, or the unpacked bundle */
	char *inputs_real;         /* owned: its real path (files must be below it) */
	const char *pdf_path;
	const char *shown;       /* how the report is named in the output */
	const char *pdf_dir;     /* the report's folder */
	const char *case_dir;    /* the folder of the case file the report's command named */
	const char *tmp_dir;     /* a bundle's temporary folder, named in the output as */
	const char *tmp_name;    /* the bundle */
	char doc_suspect[300];   /* why the document looks edited ("" when it does not) */
	tl_vstrv_t *used;        /* bundles: real paths of the files that matched */
	tl_vstrv_t *listing;     /* bundles: the lines of SHA256SUMS ("hex  name") */
	tl_vtree_t *tree;        /* owned: the files under inputs_dir, walked once */
	const char *bundle_root; /* bundles: the unpacked top folder */
} tl_vctx_t;

/* Adds a check to the verdict (its detail formatted, then escaped) and tells the
 * on_check hook. */
__attribute__((format(printf, 4, 5))) void tl_verify_add(tl_vctx_t *v, tl_verify_status_t s,
                                                         const char *what, const char *fmt, ...);

/* A progress line for the on_progress hook, escaped as a detail. */
__attribute__((format(printf, 2, 3))) void tl_verify_say(const tl_vctx_t *v, const char *fmt, ...);

/* Evidence differs, is unreadable, or the document was edited. */
static inline void tl_verify_fail(tl_vctx_t *v)
{
	v->verdict->evidence_failed = 1;
}

/* A file beside the report (its checksum, its manifest, its signature) is wrong: said in
 * its own words in the verdict. */
static inline void tl_verify_side_fail(tl_vctx_t *v)
{
	v->verdict->side_failed = 1;
}

/* What is made again differs: a failure, unless another build or other data files made
 * the report, which alone explains a difference (the verdict is then that it cannot be
 * verified here). */
static inline void tl_verify_differs(tl_vctx_t *v)
{
	if (!v->verdict->tool_differs)
		v->verdict->evidence_failed = 1;
}

/* Reads a whole regular file of at most max bytes into out (replacing what it held).
 * Returns 0, or -1 with *why saying what is wrong in the words the checks print ("not a
 * regular file", "larger than any such file", or strerror's) and *absent set when there
 * is no such file. */
int tl_verify_read(const char *path, size_t max, tl_buf_t *out, const char **why, int *absent);

const char *tl_verify_base_name(const char *p);
/* 1 when a path has a ".." component. */
int tl_verify_has_dotdot(const char *p);
void tl_verify_hex(const void *data, size_t len, char hex[TL_SHA256_HEX_LEN]);
/* The first byte at which a and b differ (or the shorter length). */
size_t tl_verify_first_difference(const uint8_t *a, size_t na, const uint8_t *b, size_t nb);
/* The string at key in object o, or NULL. */
const char *tl_verify_jstr(json_t *o, const char *key);

/* ---- locate.c: finding the files the manifest names ---- */

/* What the manifest says of one file. */
typedef struct tl_want {
	const char *name; /* borrowed: as recorded */
	int is_case_file; /* the case file itself (its name is relative to where it was run) */
	uint64_t size;
	int has_size;
	const char *sha256; /* borrowed: hex */
} tl_want_t;

/* Where a file was looked for and what was found. */
typedef struct tl_found {
	char *path;     /* owned: the chosen file, or NULL when none exists */
	int matches;    /* its size and SHA-256 equal the manifest's */
	int size_only;  /* not read: its size differs from the manifest's */
	int search_cut; /* the search under --inputs stopped at its limits */
	uint64_t size;
	char sha256[TL_SHA256_HEX_LEN];
	char looked[16384]; /* the places tried, for the message */
} tl_found_t;

/* {name, size, sha256} of a manifest entry into w; returns 0, or -1 when it is
 * malformed. */
int tl_verify_want_of(json_t *o, tl_want_t *w);

/* Finds the file the manifest names (see locate.c for where it looks); resolved is
 * where the case file found it, explicit a file the user named. Free f->path. */
void tl_verify_locate(tl_vctx_t *v, const tl_want_t *w, const char *resolved, const char *explicit,
                      tl_found_t *f);

/* Adds the check of one located file; returns 1 when it matches. A tool_file (one of
 * this installation's data files) that differs or is missing makes the verdict "another
 * tool"; any other makes it a failure. */
int tl_verify_file_verdict(tl_vctx_t *v, const char *what, const tl_want_t *w, const tl_found_t *f,
                           int tool_file);

/* ---- verify_doc.c: the document, what it carries, and the files beside it ---- */

/* What the document carries. */
typedef struct tl_vdoc {
	tl_buf_t pdf;       /* owned: the report's bytes */
	tl_buf_t manifest;  /* owned: the manifest (embedded, else the one beside it) */
	tl_buf_t findings;  /* owned: the embedded findings */
	int have_findings;  /* findings.json is embedded */
	int no_attachments; /* none at all (a PDF/A-1b report) */
	json_t *m;          /* owned: the manifest parsed, once it is a tealeaves manifest */
} tl_vdoc_t;

/* The document's checks: its checksum file, what it carries, the manifest beside it, its
 * signature, and the manifest parsed into d->m. Returns 1 when there is a manifest to
 * check the rest against (else the verdict says why there is none). */
int tl_verify_document(tl_vctx_t *v, tl_vdoc_t *d);

/* The document's structure, judged last (see verify_doc.c). */
void tl_verify_document_verdict(tl_vctx_t *v);

/* ---- verify_case.c: the case, its inputs, this installation's data files ---- */

/* Checks the case file, its inputs and the data files against manifest m; on success
 * *c is the case loaded with its files relocated to where they were found (free with
 * tl_case_free) and sets/n_sets the recorded overrides (pointers into m; free *sets).
 * Returns 1 when everything the analysis needs was found unchanged, else 0 (after the
 * checks that say why, and a "skipped" line when the case could be looked for). */
int tl_verify_case(tl_vctx_t *v, json_t *m, tl_case_t **c, const char ***sets, size_t *n_sets);

/* ---- verify_remake.c ---- */

/* Runs the analysis and the report again and compares them with the document's. */
void tl_verify_remake(tl_vctx_t *v, const tl_vdoc_t *d, tl_case_t *c, const char **sets,
                      size_t n_sets);

/* ---- verify_bundle.c ---- */

/* Names every file in an unpacked bundle (v->bundle_root) that is neither one tealeaves
 * writes nor a file of the case that matched its manifest (v->used). */
void tl_verify_bundle_members(tl_vctx_t *v);

/* ---- verify.c ---- */

/* Checks the report at v->pdf_path into v->verdict (the whole of tl_verify_report, also
 * for a bundle's report). */
int tl_verify_run(tl_vctx_t *v, char *err, size_t errlen);

#endif
