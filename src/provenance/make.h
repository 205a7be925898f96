/* make.h - making a report: a case loaded with its overrides and analysed, the findings
 * document, the report's date and the command that makes it again, the PDF with its
 * manifest and report ID, its signature, and the files written beside it.
 *
 * Nothing here prints. A function that can fail returns TL_OK or a TL_E* code and puts one
 * message (without a "tealeaves: " prefix or a newline) into the caller's err[errlen]:
 * TL_EUSAGE for what the command line asked that cannot be done, TL_ECASE for a case file
 * (or a file it names) that is not valid, TL_EEVIDENCE for evidence that does not match
 * its SHA-256 or changed, TL_EOUTPUT for an output that was not written, and any other
 * code for an input that could not be read. */
#ifndef TL_PROVENANCE_MAKE_H
#define TL_PROVENANCE_MAKE_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "case/events.h"
#include "model/findings.h"
#include "render/report/report.h"
#include "util/buf.h"
#include "util/sha256.h"

/* Loads the case file and applies the --set overrides (SECTION.KEY=VALUE) in order.
 * On TL_OK *out is the case (free with tl_make_case_done or tl_case_free). An override
 * without '=' is TL_EUSAGE; one the case file does not allow is TL_ECASE. */
int tl_make_load_case(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out,
		      char *err, size_t errlen);

/* Loads the events the case names and runs the analysis with threads threads (0: one per
 * processor). On TL_OK *events and *f are filled (free with tl_make_case_done); on an
 * error nothing is left to free. */
int tl_make_analyse(tl_case_t *c, unsigned threads, tl_events_t **events, tl_findings_t *f,
		    char *err, size_t errlen);

/* tl_make_load_case then tl_make_analyse: on TL_OK *c, *events and *f are filled. */
int tl_make_run_case(const char *path, const char *const *sets, size_t n_sets, unsigned threads,
		     tl_case_t **c, tl_events_t **events, tl_findings_t *f, char *err,
		     size_t errlen);

/* Frees what tl_make_load_case and tl_make_analyse returned (any may be NULL). */
void tl_make_case_done(tl_case_t *c, tl_events_t *events, tl_findings_t *f);

/* Appends the findings document exactly as `analyze` writes it to out; the report embeds
 * these same bytes, so the two can be compared byte for byte. */
void tl_make_findings_document(const tl_findings_t *f, tl_buf_t *out);

/* The report's date in UTC seconds: the case's report_date, else SOURCE_DATE_EPOCH
 * (reproducible-builds.org; 0 to 9999-12-31), never the clock. Returns TL_OK and *s, or
 * TL_ECASE (*s untouched) when neither gives one. */
int tl_make_report_date(const tl_case_t *c, int64_t *s);

/* tl_make_report_date, or TL_ECASE with a message naming case_path (the case file as the
 * command named it) and how to set a date. */
int tl_make_need_report_date(const tl_case_t *c, const char *case_path, int64_t *s, char *err,
			     size_t errlen);

/* What a report is made from besides the findings. Every string is borrowed. */
typedef struct tl_make_report_opts {
	const char *case_path;   /* the case file as the command named it (recorded) */
	const char *const *sets; /* the --set overrides, in command-line order (recorded) */
	size_t n_sets;
	int pdfa_1b;
	int draft;
	int64_t date_s; /* the report's date, UTC seconds */
	/* the program that makes it, none of them NULL (cli/common.h's tl_cli_report_program
	 * sets all three): the folder holding templates/, fonts/ and icc/ (the manifest names
	 * each file relative to it, never the folder itself), the linked libraries' versions
	 * and the source commit, as the report prints them */
	const char *data_dir;
	const char *libraries;
	const char *tool_commit;
} tl_make_report_opts_t;

/* A report made in memory; free with tl_make_report_free. */
typedef struct tl_make_report {
	tl_buf_t findings;          /* the findings JSON it embeds */
	tl_buf_t manifest;          /* its manifest (embedded, and written beside it) */
	char id[TL_SHA256_HEX_LEN]; /* the report ID: SHA-256 of the manifest */
	uint8_t *pdf;               /* owned */
	size_t pdf_len;
	/* the number of each chart in the document, as report.h's figure_numbers */
	unsigned figures[TL_REPORT_MAX_INSERTS];
} tl_make_report_t;

/* Appends to out the command that makes this report, in canonical form (option order
 * fixed, output-only options left out), quoted so that a POSIX shell takes it back. */
void tl_make_report_command(const tl_make_report_opts_t *o, tl_buf_t *out);

/* Makes the report of an analysed case: findings document, manifest, report ID and PDF.
 * *out is zeroed first and, on an error, left with nothing to free. TL_EUSAGE when the
 * case file's path or an override is not UTF-8 (the command could not be recorded) or
 * the data folder's paths are too long; TL_ECASE when the template cannot make the
 * report; another code when the manifest cannot be made or a file it lists changed while
 * the report was made. */
int tl_make_report(const tl_findings_t *f, const tl_make_report_opts_t *o, tl_make_report_t *out,
		   char *err, size_t errlen);

/* Frees what r holds and leaves it empty (safe to call again). */
void tl_make_report_free(tl_make_report_t *r);

/* Signs the report: a detached CMS signature appended to *sig, made before anything is
 * written, so that a key that does not work leaves no report behind. The key's
 * passphrase, if it has one, comes from $TEALEAVES_KEY_PASSPHRASE (never the command
 * line). Returns TL_OK or tl_cms_sign's code. */
int tl_make_sign_report(const tl_make_report_t *r, const char *key, const char *cert,
			tl_buf_t *sig, char *err, size_t errlen);

/* Writes the report to path, its manifest to path.manifest.json and its SHA-256 to
 * path.sha256 (as sha256sum -c reads it), each atomically (util/file.h), in that order,
 * stopping at the first that fails. Returns TL_OK, or TL_EOUTPUT with a message naming
 * the file and why. */
int tl_make_write_report(const tl_make_report_t *r, const char *path, char *err, size_t errlen);

#endif
