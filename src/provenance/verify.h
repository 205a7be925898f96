/* verify.h - checking a report against its manifest: the files it names, the document
 * itself, the files beside it, its signature, and the report made again and compared
 * byte for byte. The checks fill a verdict; nothing here prints or chooses an exit
 * status (cli/cmd_verify.c does both). */
#ifndef TL_PROVENANCE_VERIFY_H
#define TL_PROVENANCE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "case/events.h"
#include "model/findings.h"
#include "util/buf.h"
#include "util/sha256.h"

/* What one check found. */
typedef enum tl_verify_status {
	TL_VERIFY_OK,      /* "ok": as the manifest records */
	TL_VERIFY_FAILED,  /* "FAILED": differs from the manifest, or cannot be read */
	TL_VERIFY_MISSING, /* "MISSING": not found */
	TL_VERIFY_DIFFERS, /* "DIFFERS": made again, or this program's side, differs */
	TL_VERIFY_NOTE,    /* "note": said for the record, not judged */
	TL_VERIFY_SKIPPED, /* "skipped": not done, because an earlier check failed */
} tl_verify_status_t;

/* The word the output gives a status ("ok", "FAILED", ...); static, never NULL. */
const char *tl_verify_status_word(tl_verify_status_t s);

/* One check: one line of the output. */
typedef struct tl_verify_check {
	tl_verify_status_t status;
	char *what;   /* owned: what was checked ("input sensor-a", "checksum file"), escaped
	               * like detail */
	char *detail; /* owned: what was compared and the figures, safe to print as it is:
	                 control characters and invalid UTF-8 as \xNN, code points that
	                 could reorder or hide text as \uNNNN, a backslash doubled, and a
	                 bundle's temporary folder shown as "BUNDLE.tar:" */
} tl_verify_check_t;

/* The verdict on the whole, and the exit class it stands for. */
typedef enum tl_verify_outcome {
	TL_VERIFY_NONE,         /* no verdict: an error stopped the checking */
	TL_VERIFY_VERIFIED,     /* every file matches and the report made again is identical */
	TL_VERIFY_NOT_VERIFIED, /* a check failed, a file is missing, or nothing was made again */
	TL_VERIFY_OTHER_TOOL,   /* every evidence file matches, but the manifest names another
	                           build, other library versions or other data files */
} tl_verify_outcome_t;

/* The verdict's first words: "VERIFIED", "NOT VERIFIED" (for both kinds of not), or
 * NULL for TL_VERIFY_NONE. Static. */
const char *tl_verify_outcome_words(tl_verify_outcome_t o);

/* The summary's size, as the output has always cut it. */
#define TL_VERIFY_SUMMARY_MAX 8600

/* The checks in the order they were made, and the verdict they lead to. */
typedef struct tl_verdict {
	tl_verify_check_t *checks; /* owned, n_checks of them */
	size_t n_checks, cap_checks;
	tl_verify_outcome_t outcome;
	char summary[TL_VERIFY_SUMMARY_MAX]; /* the sentence after the verdict's words,
	                                        escaped as a check's detail; "" before */
	/* what the checks found, from which the outcome follows */
	int evidence_failed;  /* a file differs or is unreadable, or the document was edited */
	int missing;          /* files named in the manifest that were not found */
	int no_manifest;      /* no readable manifest: nothing could be checked */
	int tool_differs;     /* the manifest names another build, libraries or data files */
	int side_failed;      /* a file beside the report does not match it */
	int remade_identical; /* the manifest and the PDF made again equal the given ones */
	int findings_differ;  /* the findings made again differ from the report's */
	int n_overrides;      /* recorded --set overrides (said in the verdict) */
} tl_verdict_t;

void tl_verdict_init(tl_verdict_t *v);
/* Frees the checks and empties v; safe to call again. */
void tl_verdict_free(tl_verdict_t *v);

/* Making the report again takes the program's own calls: the checks are given them
 * (cli/cmd_verify.c fills this), so that they make it exactly as the program does. */

/* What a report is made from besides the findings, as its manifest records it. */
typedef struct tl_verify_remake_opts {
	const char *case_path;   /* borrowed: the case file as the report's command named it */
	const char *const *sets; /* borrowed: the recorded --set overrides, in order */
	size_t n_sets;
	int pdfa_1b;
	int draft;
	int64_t date_s; /* the report's date, UTC seconds */
} tl_verify_remake_opts_t;

/* A report made again; the checks free both buffers. */
typedef struct tl_verify_remade {
	tl_buf_t manifest;          /* owned: its manifest */
	tl_buf_t pdf;               /* owned: its PDF */
	char id[TL_SHA256_HEX_LEN]; /* its report ID */
} tl_verify_remade_t;

/* Each returns TL_OK, or a TL_E* code after the program has said why on standard error
 * (the check then says "the message on standard error says why"). */
typedef struct tl_verify_maker {
	/* loads the case file at path and applies the overrides; *out is freed with
	 * tl_case_free */
	int (*load_case)(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out);
	/* loads the case's events and runs the analysis; *events and *f are freed with
	 * tl_events_free and tl_findings_free */
	int (*analyse)(tl_case_t *c, unsigned threads, tl_events_t **events, tl_findings_t *f);
	/* appends the findings document exactly as the report embeds it */
	void (*findings_document)(const tl_findings_t *f, tl_buf_t *out);
	/* makes the report of the findings; out starts empty (tl_buf_init) */
	int (*make_report)(const tl_findings_t *f, const tl_verify_remake_opts_t *o,
	                   tl_verify_remade_t *out);
} tl_verify_maker_t;

/* How to check, and the program the checks compare the report's manifest with. Every
 * pointer is borrowed. */
typedef struct tl_verify_opts {
	const char *inputs_dir; /* --inputs: look for the case's files only below this
	                           folder (NULL: where the manifest and case file say) */
	const char *case_path;  /* --case: the case file, tried first wherever it is */
	const char *signature;  /* --signature: a detached CMS signature that must be there
	                           (NULL: REPORT.p7s when present) */
	const char *ca;         /* --ca: certificates the signer's must chain to */
	unsigned threads;       /* for the analysis made again (0: one per processor) */
	const char *data_dir;   /* this program's folder of templates/, fonts/ and icc/ */
	const char *libraries;  /* this program's library versions, as the manifest says them */
	const tl_verify_maker_t *maker;
	/* Told each check as it is made, and each progress line ("verifying REPORT"), so
	 * that a terminal sees them as they come and in order with what the maker says on
	 * standard error; either may be NULL. Text given is escaped like a detail. */
	void (*on_check)(void *arg, const tl_verify_check_t *c);
	void (*on_progress)(void *arg, const char *text);
	void *hook_arg;
} tl_verify_opts_t;

/* Checks the report at pdf_path and fills v (tl_verdict_init'ed by the caller, which
 * frees it). Returns TL_OK with v->outcome set, or a TL_E* code, with a message naming
 * the file in err, when the report cannot be read at all (v then holds no verdict). */
int tl_verify_report(const char *pdf_path, const tl_verify_opts_t *o, tl_verdict_t *v, char *err,
                     size_t errlen);

/* Unpacks the bundle tar into dir (an empty folder the caller made, and removes with
 * everything in it), checks its listing, and checks the report in it against the files
 * in it (o->inputs_dir is not used), naming the bundle's files "TAR:NAME". Returns as
 * tl_verify_report; also a TL_E* code when the archive cannot be unpacked or is not a
 * tealeaves bundle (v then holds the checks made before, and no verdict). */
int tl_verify_bundle(const char *tar, const char *dir, const tl_verify_opts_t *o, tl_verdict_t *v,
                     char *err, size_t errlen);

#endif
