/* cli.h - what the commands share: exit codes, atomic writes, running a case and
 * making its report. The functions that return an exit status print their one
 * message to stderr themselves. */
#ifndef TL_CLI_CLI_H
#define TL_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "case/events.h"
#include "model/findings.h"
#include "render/report/report.h"
#include "util/buf.h"
#include "util/sha256.h"

/* Exit codes (documented in the README and the man page). */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,      /* bad command line */
	EXIT_INPUT = 2,      /* an input could not be read or is in no known format */
	EXIT_OUTPUT = 3,     /* output could not be written */
	EXIT_CASE = 4,       /* the case file (or a file it names) is invalid */
	EXIT_EVIDENCE = 5,   /* evidence does not match its expected SHA-256, or changed */
	EXIT_UNVERIFIED = 6, /* verify: a check failed (a file differs, is missing or unreadable) */
	EXIT_OTHER_TOOL = 7, /* verify: every file matches, but the report was made by another
	                        build of tealeaves or other library versions */
};

/* Writes len bytes to path through a temporary file in the same folder that is
 * renamed on success (util/outfile.h), so a failed run never leaves a partial file under
 * the final name, and only a regular file or nothing is replaced. Returns 0, or -1 after
 * a message on stderr naming path and what is wrong (errno as the failing call left it). */
int tl_cli_write_atomic(const char *path, const void *data, size_t len);

/* Checks before any work that path may be written (nothing or a regular file stands there,
 * in an existing folder): EXIT_OK, or EXIT_OUTPUT after a message naming path and what
 * stands there. */
int tl_cli_check_output(const char *path);

/* Reads a whole file (at most max bytes). Returns 0, or -1 with errno set (EFBIG
 * when larger than max). */
int tl_cli_read_file(const char *path, size_t max, tl_buf_t *out);

/* --threads N: 0 (as many as there are processors) to 1024. Returns 0, or -1. */
int tl_cli_parse_threads(const char *arg, unsigned *threads);

/* Where templates/, fonts/ and icc/ are: $TEALEAVES_DATA_DIR when set and not empty,
 * else the folder tl_cli_set_data_dir set (before that, the current folder). The
 * string is static; the folder itself is never recorded (the manifest names each
 * file relative to it, so a report does not depend on where the data folder is). */
const char *tl_cli_data_dir(void);

/* Sets the data folder the executable was built to use: dir itself when it is
 * absolute, else dir taken from the folder holding the running executable (as
 * /proc/self/exe names it, symbolic links resolved), so that an installed tree can be
 * moved or staged (DESTDIR, cmake --install --prefix). Called once, at start. Returns
 * 0, or -1 with errno set when the executable's folder cannot be found or the path is
 * too long (the folder is left unset). */
int tl_cli_set_data_dir(const char *dir);

/* The versions of the linked libraries, as each reports itself at run time. */
void tl_cli_library_versions(tl_buf_t *b);

/* "COMMIT" or "COMMIT (built from a tree with uncommitted changes)". */
void tl_cli_tool_commit(char *out, size_t n);

/* Loads the case file and applies the --set overrides (SECTION.KEY=VALUE). */
int tl_cli_load_case(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out);

/* Loads the events the case names and runs the analysis. On EXIT_OK *events and
 * *f are filled (free with tl_cli_case_done). */
int tl_cli_analyse(tl_case_t *c, unsigned threads, tl_events_t **events, tl_findings_t *f);

/* tl_cli_load_case then tl_cli_analyse: on EXIT_OK *c, *events and *f are filled. */
int tl_cli_run_case(const char *path, const char *const *sets, size_t n_sets, unsigned threads,
                    tl_case_t **c, tl_events_t **events, tl_findings_t *f);

/* Frees what tl_cli_load_case and tl_cli_analyse returned (any may be NULL). */
void tl_cli_case_done(tl_case_t *c, tl_events_t *events, tl_findings_t *f);

/* The findings document exactly as `analyze` writes it; the report embeds these
 * same bytes, so the two can be compared byte for byte. */
void tl_cli_findings_document(const tl_findings_t *f, tl_buf_t *out);

/* The report's date in UTC seconds: the case's report_date, else SOURCE_DATE_EPOCH
 * (reproducible-builds.org), never the clock. Returns 0 and *s, or -1. */
int tl_cli_report_date(const tl_case_t *c, int64_t *s);

/* tl_cli_report_date, or a message naming the case file and EXIT_CASE. */
int tl_cli_need_report_date(const tl_case_t *c, const char *case_path, int64_t *s);

/* What a report is made from besides the findings. */
typedef struct tl_cli_report_opts {
	const char *case_path;   /* the case file as the command named it (recorded) */
	const char *const *sets; /* the --set overrides, in command-line order (recorded) */
	size_t n_sets;
	int pdfa_1b;
	int draft;
	int64_t date_s; /* the report's date, UTC seconds */
} tl_cli_report_opts_t;

/* A report made in memory. */
typedef struct tl_cli_report {
	tl_buf_t findings;          /* the findings JSON it embeds */
	tl_buf_t manifest;          /* its manifest (embedded, and written beside it) */
	char id[TL_SHA256_HEX_LEN]; /* the report ID: SHA-256 of the manifest */
	uint8_t *pdf;
	size_t pdf_len;
	/* the number of each chart in the document, as report.h's figure_numbers */
	unsigned figures[TL_REPORT_MAX_INSERTS];
} tl_cli_report_t;

/* The command that makes this report, in canonical form (option order fixed,
 * output-only options left out), quoted so that a POSIX shell takes it back. */
void tl_cli_report_command(const tl_cli_report_opts_t *o, tl_buf_t *out);

/* Makes the report of an analysed case: findings document, manifest, report ID
 * and PDF. Returns an exit status. */
int tl_cli_make_report(const tl_findings_t *f, const tl_cli_report_opts_t *o, tl_cli_report_t *out);
void tl_cli_report_free(tl_cli_report_t *r);

/* Signs the report: a detached CMS signature into *sig, made before anything is
 * written, so that a key that does not work leaves no report behind. The key's
 * passphrase, if it has one, comes from $TEALEAVES_KEY_PASSPHRASE (never the command
 * line). Returns an exit status. */
int tl_cli_sign_report(const tl_cli_report_t *r, const char *key, const char *cert, tl_buf_t *sig);

/* Writes the report to path, its manifest to path.manifest.json and its SHA-256 to
 * path.sha256 (as sha256sum -c reads it), each atomically. Returns an exit status. */
int tl_cli_write_report(const tl_cli_report_t *r, const char *path);

/* The commands in their own files. argv[0] is the command's name. */
int tl_cli_verify(int argc, char **argv);
int tl_cli_bundle(int argc, char **argv);

#endif
