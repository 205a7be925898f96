/* common.h - what the commands share: exit statuses and the one map from error codes to
 * them, atomic writes, bounded reads, --threads, the data folder and what a report records
 * of this program. The functions that return an exit status print their one message to
 * stderr themselves. */
#ifndef TL_CLI_COMMON_H
#define TL_CLI_COMMON_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "input/input.h"
#include "provenance/make.h"
#include "util/buf.h"

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

/* The exit status for an error code: TL_OK is EXIT_OK, TL_EUSAGE EXIT_USAGE, TL_EOUTPUT
 * EXIT_OUTPUT, TL_ECASE EXIT_CASE, TL_EEVIDENCE EXIT_EVIDENCE, and every other code (an
 * input that could not be read, whatever the reason) EXIT_INPUT. */
int tl_cli_exit_status(int err);

/* For an error from a library call: prints "tealeaves: MSG" on stderr unless err is TL_OK,
 * and returns tl_cli_exit_status(err). */
int tl_cli_fail(int err, const char *msg);

/* Writes len bytes to path through a temporary file in the same folder that is
 * renamed on success (util/file.h), so a failed run never leaves a partial file under
 * the final name, and only a regular file or nothing is replaced. Returns TL_OK, or
 * TL_EOUTPUT after a message on stderr naming path and what is wrong (errno as the failing
 * call left it). */
int tl_cli_write_atomic(const char *path, const void *data, size_t len);

/* Checks before any work that path may be written (nothing or a regular file stands there,
 * in an existing folder): EXIT_OK, or EXIT_OUTPUT after a message naming path and what
 * stands there. */
int tl_cli_check_output(const char *path);

/* --threads N: 0 (as many as there are processors) to 1024. Returns TL_OK or TL_EUSAGE. */
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
 * TL_OK; TL_ENOENT when the executable's folder cannot be found, TL_ELIMIT when the path
 * is too long (errno set; the folder is left unset). */
int tl_cli_set_data_dir(const char *dir);

/* Appends the versions of the linked libraries, as each reports itself at run time. */
void tl_cli_library_versions(tl_buf_t *b);

/* Sets what a report records of this program: o->data_dir (tl_cli_data_dir),
 * o->libraries (tl_cli_library_versions) and o->tool_commit (the source commit recorded at build time). The
 * strings are static, made on the first call. */
void tl_cli_report_program(tl_make_report_opts_t *o);

/* ---- options and messages the commands share ---- */

/* Prints "tealeaves: MESSAGE" and a pointer to `tealeaves help` on stderr; returns
 * EXIT_USAGE. */
__attribute__((format(printf, 1, 2))) int tl_cli_usage_error(const char *fmt, ...);

/* Prints "tealeaves: writing output: " and errno's text on stderr; returns EXIT_OUTPUT. */
int tl_cli_output_failed(void);

/* Writes what b holds to standard output and clears b. Returns TL_OK, or TL_EOUTPUT
 * (errno set). */
int tl_cli_flush_out(tl_buf_t *b);

/* The long options of the commands that read evidence files themselves (records,
 * inspect): one table, so that each refuses the other's options with its own message
 * rather than getopt's. */
extern const struct option tl_cli_input_options[];

/* The long options of the commands that run a case and print (analyze, profile). */
extern const struct option tl_cli_case_options[];

#define TL_CLI_MAX_PORTS 64

/* Reader options from the command line: --port N[,N...]. */
typedef struct tl_cli_input_opts {
	tl_input_opts_t opts; /* opts.net.ports points into ports once a --port is taken */
	uint16_t ports[TL_CLI_MAX_PORTS];
	size_t n_ports;
} tl_cli_input_opts_t;

/* Sets the reader's defaults (port 53). */
void tl_cli_input_opts_init(tl_cli_input_opts_t *o);

/* Adds the ports of "53,5353" (1 to 65535, at most TL_CLI_MAX_PORTS over every --port) to
 * the reader's, which take the place of its default. Returns TL_OK, or TL_EUSAGE (the
 * list may be partly taken; the command stops). */
int tl_cli_parse_ports(tl_cli_input_opts_t *o, const char *arg);

/* Checks that every one of the n files can be opened before any output is written, so
 * that a mistyped name fails fast and alone. Prints one line per failure; returns 1 if
 * any failed, else 0. */
int tl_cli_precheck(int n, char **files);

/* Prints why the input at path could not be read (rc, and what info says); returns
 * EXIT_INPUT. */
int tl_cli_read_error(const char *path, int rc, const tl_input_info_t *info);

/* The options of the commands that run a case: --set (in order, borrowed from argv) and
 * --threads. */
typedef struct tl_cli_case_opts {
	const char *sets[64];
	size_t n_sets;
	unsigned threads;
} tl_cli_case_opts_t;

/* Takes option opt ('s' for --set, 't' for --threads) with its argument. Returns
 * EXIT_OK, or EXIT_USAGE after a message (too many --set, a bad thread count). Whether
 * a --set is SECTION.KEY=VALUE is checked when the case is loaded (tl_make_load_case). */
int tl_cli_case_option(tl_cli_case_opts_t *o, int opt, const char *arg);

/* ---- the commands, one file each (cmd_<command>.c) ---- */

/* Each runs `tealeaves COMMAND`: argv[0] is the command's name; returns an exit status. */
int tl_cli_records(int argc, char **argv);
int tl_cli_inspect(int argc, char **argv);
int tl_cli_analyze(int argc, char **argv);
int tl_cli_profile(int argc, char **argv);
int tl_cli_report(int argc, char **argv);
int tl_cli_verify(int argc, char **argv);
int tl_cli_bundle(int argc, char **argv);
int tl_cli_version(int argc, char **argv);

#endif
