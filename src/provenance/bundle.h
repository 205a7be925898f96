/* bundle.h - a case in one archive that verify can check (README, "Reproducing and
 * verifying a report"). */
#ifndef TL_PROVENANCE_BUNDLE_H
#define TL_PROVENANCE_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "model/findings.h"
#include "provenance/make.h"
#include "util/buf.h"
#include "util/sha256.h"

#define TL_BUNDLE_ROOT_LEN 256

/* One file in the archive. */
typedef struct tl_bundle_member {
	char *name;       /* owned: in the archive, below the top folder */
	char *role;       /* owned: "case file", "input s1", ... */
	char *as_written; /* owned: the name the case file gives, when it is stored under
	                   * another; else NULL */
	uint64_t size;
	char sha256[TL_SHA256_HEX_LEN];
} tl_bundle_member_t;

typedef struct tl_bundle {
	char root[TL_BUNDLE_ROOT_LEN]; /* the top folder (tl_bundle_root) */
	tl_bundle_member_t *m;         /* owned: in the order they were archived */
	size_t n, cap;
} tl_bundle_t;

/* The top folder, named after the case file: its name up to the first '.', bytes other
 * than A-Z a-z 0-9 '-' '_' as '_'; "case" when nothing is left. */
void tl_bundle_root(const char *case_path, char root[TL_BUNDLE_ROOT_LEN]);

/* Writes the archive at path (the caller's temporary file; every member dated date_s):
 * the case file, every input and file the case names (each must still have the SHA-256
 * the analysis or the manifest recorded), the report with its manifest, checksum and
 * signature (sig; empty for none), LISTING.txt and SHA256SUMS. b is zeroed but for
 * b->root; it lists the members afterwards, also on failure (free with tl_bundle_free).
 * Returns TL_OK, or with the message in err: TL_EEVIDENCE (a file changed), TL_ECASE (two
 * files would have one name; the manifest lacks a hash), TL_EFORMAT (a name that is not
 * printable ASCII), TL_EIO (a file could not be read), TL_EOUTPUT (the archive could not
 * be written). On failure the file at path is incomplete: the caller removes it. */
int tl_bundle_write(tl_bundle_t *b, const char *path, int64_t date_s, const tl_case_t *c,
                    const tl_findings_t *f, const tl_make_report_t *r, const tl_buf_t *sig,
                    char *err, size_t errlen);
void tl_bundle_free(tl_bundle_t *b);

#endif
