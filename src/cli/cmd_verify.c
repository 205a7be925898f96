/* cmd_verify.c - `tealeaves verify`: its options, the checks of provenance/verify.h run
 * on a report or a bundle, each check printed as it is made (or all of them as one JSON
 * document), and the verdict turned into the exit status. A bundle is checked in a
 * child process, so that its unpacked copy is removed whatever ends the check. */
#include "cli/common.h"
#include "provenance/make.h"
#include "provenance/tar.h"
#include "provenance/verify.h"
#include "util/error.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The command line. */
typedef struct vcmd {
	tl_verify_opts_t o; /* what the checks are given */
	const char *target; /* the report or bundle, as named */
	int json;           /* --json: one document at the end; stdout holds nothing else */
	int is_tar;
} vcmd_t;

/* ---- the program's calls, as the checks take them ---- */

/* Standard output is flushed first: the message these print on standard error then
 * follows the checks printed before it. Each prints its own message and returns the
 * error code, which the checks only compare with TL_OK. */
static int load_case(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out)
{
	char err[4096];
	fflush(stdout);
	int rc = tl_make_load_case(path, sets, n_sets, out, err, sizeof(err));
	tl_cli_fail(rc, err);
	return rc;
}

static int analyse(tl_case_t *c, unsigned threads, tl_events_t **events, tl_findings_t *f)
{
	char err[4096];
	fflush(stdout);
	int rc = tl_make_analyse(c, threads, events, f, err, sizeof(err));
	tl_cli_fail(rc, err);
	return rc;
}

static int make_report(const tl_findings_t *f, const tl_verify_remake_opts_t *o,
                       tl_verify_remade_t *out)
{
	tl_make_report_opts_t ro = {
	    .case_path = o->case_path,
	    .sets = o->sets,
	    .n_sets = o->n_sets,
	    .pdfa_1b = o->pdfa_1b,
	    .draft = o->draft,
	    .date_s = o->date_s,
	};
	tl_cli_report_program(&ro);
	tl_make_report_t r;
	char err[4096];
	int rc = tl_make_report(f, &ro, &r, err, sizeof(err));
	if (rc != TL_OK) {
		tl_cli_fail(rc, err);
		return rc;
	}
	tl_buf_append(&out->manifest, r.manifest.data, r.manifest.len);
	tl_buf_append(&out->pdf, r.pdf, r.pdf_len);
	memcpy(out->id, r.id, sizeof(out->id));
	tl_make_report_free(&r);
	return TL_OK;
}

static const tl_verify_maker_t maker = {
    .load_case = load_case,
    .analyse = analyse,
    .findings_document = tl_make_findings_document,
    .make_report = make_report,
};

/* ---- the output ---- */

/* Text output: each check as a line, its verdict and what it checked in fixed widths. */
static void print_check(void *arg, const tl_verify_check_t *c)
{
	(void)arg;
	printf("%-8s %-22s %s\n", tl_verify_status_word(c->status), c->what, c->detail);
}

static void print_progress(void *arg, const char *text)
{
	(void)arg;
	puts(text);
}

/* --json: the checks and the verdict as one document (the verdict null, and the summary
 * empty, when an error stopped the checking). */
static void print_json(const vcmd_t *cmd, const tl_verdict_t *vd, int status)
{
	tl_buf_t out;
	tl_json_t j;
	tl_buf_init(&out);
	tl_json_init(&j, &out, 1);
	tl_json_obj_begin(&j);
	tl_json_key(&j, "schema");
	tl_json_str(&j, "tealeaves-verify/1");
	tl_json_key(&j, "target");
	tl_json_str(&j, cmd->target);
	tl_json_key(&j, "checks");
	tl_json_arr_begin(&j);
	for (size_t i = 0; i < vd->n_checks; i++) {
		tl_json_obj_begin(&j);
		tl_json_key(&j, "verdict");
		tl_json_str(&j, tl_verify_status_word(vd->checks[i].status));
		tl_json_key(&j, "check");
		tl_json_str(&j, vd->checks[i].what);
		tl_json_key(&j, "detail");
		tl_json_str(&j, vd->checks[i].detail);
		tl_json_obj_end(&j);
	}
	tl_json_arr_end(&j);
	tl_json_key(&j, "verdict");
	if (tl_verify_outcome_words(vd->outcome))
		tl_json_str(&j, tl_verify_outcome_words(vd->outcome));
	else
		tl_json_null(&j);
	tl_json_key(&j, "summary");
	tl_json_str(&j, vd->summary);
	tl_json_key(&j, "exit_status");
	tl_json_i64(&j, status);
	tl_json_obj_end(&j);
	tl_buf_putc(&out, '\n');
	fwrite(out.data, 1, out.len, stdout);
	tl_buf_free(&out);
}

/* The one map from the verdict to the exit status. */
static int exit_status(tl_verify_outcome_t o)
{
	switch (o) {
	case TL_VERIFY_VERIFIED:
		return EXIT_OK;
	case TL_VERIFY_OTHER_TOOL:
		return EXIT_OTHER_TOOL;
	case TL_VERIFY_NOT_VERIFIED:
	case TL_VERIFY_NONE:
		break;
	}
	return EXIT_UNVERIFIED;
}

/* ---- a bundle's guard ---- */

/* The child that verifies a bundle, for the parent's signal handlers. */
static volatile pid_t bundle_child;

static void forward_signal(int sig)
{
	if (bundle_child > 0)
		kill(bundle_child, sig);
}

/* A bundle is unpacked into a temporary folder, and the check runs in a child
 * process: whatever ends the child (an error, ^C, kill), the parent removes the
 * unpacked copy of the evidence. Returns -1 in the child (go on and verify into
 * dir), else the child's exit status. */
static int bundle_guard(char *dir, size_t dirlen)
{
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	int too_long =
	    (size_t)snprintf(dir, dirlen, "%s/tealeaves-verify.XXXXXX", tmpdir) >= dirlen;
	if (too_long)
		errno = ENAMETOOLONG;
	if (too_long || !mkdtemp(dir)) {
		fprintf(stderr, "tealeaves: cannot make a temporary folder in %s (TMPDIR): %s\n",
		        tmpdir, strerror(errno));
		return EXIT_OUTPUT;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		/* the child does not outlive a parent killed outright */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(EXIT_OUTPUT);
		return -1;
	}
	int status = EXIT_OUTPUT;
	if (pid < 0) {
		fprintf(stderr, "tealeaves: fork: %s\n", strerror(errno));
	} else {
		struct sigaction fwd, old_int, old_quit, old_term, old_hup, ign;
		memset(&fwd, 0, sizeof(fwd));
		fwd.sa_handler = forward_signal;
		bundle_child = pid;
		/* the parent passes signals on and waits: ^C reaches both, kill only it */
		sigaction(SIGINT, &fwd, &old_int);
		sigaction(SIGQUIT, &fwd, &old_quit);
		sigaction(SIGTERM, &fwd, &old_term);
		sigaction(SIGHUP, &fwd, &old_hup);
		/* and a closed pipe on its standard error must not kill it before the unpacked
		 * copy is removed: its write fails instead (the signal stays ignored until it
		 * returns, and nothing is written after that) */
		memset(&ign, 0, sizeof(ign));
		ign.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &ign, NULL);
		int wst = 0;
		while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
			;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		bundle_child = 0;
		if (WIFEXITED(wst)) {
			status = WEXITSTATUS(wst);
		} else {
			status = 128 + (WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
			fprintf(stderr,
			        "tealeaves: verify was stopped (signal %d); its unpacked copy "
			        "of the bundle is removed\n",
			        WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
		}
	}
	if (tl_tar_rmtree(dir) != 0) {
		fprintf(stderr, "tealeaves: could not remove the unpacked bundle %s\n", dir);
		if (status == EXIT_OK)
			status = EXIT_OUTPUT;
	}
	return status;
}

static const struct option verify_long[] = {
    {"inputs", required_argument, NULL, 'i'},
    {"case", required_argument, NULL, 'c'},
    {"signature", required_argument, NULL, 'g'},
    {"ca", required_argument, NULL, 'a'},
    {"threads", required_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Runs the checks on the report or the bundle (unpacked into bundle_dir), prints them
 * and the verdict, and returns the exit status. An error that stops the checking (the
 * report or bundle cannot be read) is EXIT_INPUT after its message. */
static int run_checks(vcmd_t *cmd, const char *bundle_dir)
{
	tl_verdict_t vd;
	tl_verdict_init(&vd);
	if (!cmd->json) {
		cmd->o.on_check = print_check;
		cmd->o.on_progress = print_progress;
	}
	tl_buf_t libs;
	tl_buf_init(&libs);
	tl_cli_library_versions(&libs);
	cmd->o.libraries = libs.data;
	cmd->o.data_dir = tl_cli_data_dir();
	cmd->o.maker = &maker;
	char err[4096];
	int rc = cmd->is_tar
	             ? tl_verify_bundle(cmd->target, bundle_dir, &cmd->o, &vd, err, sizeof(err))
	             : tl_verify_report(cmd->target, &cmd->o, &vd, err, sizeof(err));
	int status;
	if (rc != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		status = EXIT_INPUT;
	} else {
		status = exit_status(vd.outcome);
		if (!cmd->json)
			printf("%s: %s\n", tl_verify_outcome_words(vd.outcome), vd.summary);
	}
	if (cmd->json)
		print_json(cmd, &vd, status);
	tl_verdict_free(&vd);
	tl_buf_free(&libs);
	return status;
}

static void usage(void)
{
	fputs("usage: tealeaves verify REPORT.pdf|BUNDLE.tar [--inputs DIR] [--case FILE]\n"
	      "                        [--signature FILE.p7s] [--ca CERTS.pem]\n"
	      "                        [--threads N] [--json]\n"
	      "\n"
	      "Checks every hash the report's manifest lists, runs the analysis again,\n"
	      "makes the report again and compares it byte for byte (exit 0 VERIFIED,\n"
	      "6 not verified, 7 another build or data files).\n"
	      "\n"
	      "options:\n"
	      "  --inputs DIR         look for the inputs below DIR (regular files only)\n"
	      "  --case FILE          the case file, when not where the manifest says\n"
	      "  --signature FILE.p7s check a detached CMS signature of the report\n"
	      "  --ca CERTS.pem       and the signer's certificate against these CAs\n"
	      "  --threads N          threads for reading the evidence\n"
	      "  --json               the checks and the verdict as JSON\n"
	      "\n"
	      "examples:\n"
	      "  tealeaves verify build/sample/report.pdf\n"
	      "  tealeaves verify case.tar --json\n"
	      "  tealeaves verify report.pdf --inputs /evidence/2016-001\n",
	      stdout);
}

/* Reads the command line into cmd. Returns -1 to go on, else the exit status (after
 * --help, or a message on what is wrong). */
static int parse_options(int argc, char **argv, vcmd_t *cmd)
{
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:t:h", verify_long, NULL)) != -1) {
		switch (opt) {
		case 'j':
			cmd->json = 1;
			break;
		case 'i':
			cmd->o.inputs_dir = optarg;
			break;
		case 'c':
			cmd->o.case_path = optarg;
			break;
		case 'g':
			cmd->o.signature = optarg;
			break;
		case 'a':
			cmd->o.ca = optarg;
			break;
		case 't':
			if (tl_cli_parse_threads(optarg, &cmd->o.threads) != 0) {
				fprintf(stderr, "tealeaves: bad thread count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage();
			return EXIT_OK;
		default:
			fprintf(stderr, "tealeaves: bad option for 'verify'\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "tealeaves: verify: give one report (PDF) or bundle (tar)\n"
		                "run 'tealeaves help' for usage\n");
		return EXIT_USAGE;
	}
	cmd->target = argv[optind];
	cmd->is_tar = tl_tar_is_tar(cmd->target);
	if (cmd->o.inputs_dir && cmd->is_tar) {
		fprintf(stderr, "tealeaves: verify: a bundle is checked against its own files; "
		                "--inputs goes with a report\n");
		return EXIT_USAGE;
	}
	if (cmd->o.inputs_dir) {
		struct stat st;
		char *real = NULL;
		if (stat(cmd->o.inputs_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    !(real = realpath(cmd->o.inputs_dir, NULL))) {
			fprintf(stderr, "tealeaves: %s: not a folder\n", cmd->o.inputs_dir);
			return EXIT_USAGE;
		}
		free(real);
	}
	return -1;
}

int tl_cli_verify(int argc, char **argv)
{
	vcmd_t cmd;
	memset(&cmd, 0, sizeof(cmd));
	int status = parse_options(argc, argv, &cmd);
	if (status != -1)
		return status;
	char bundle_dir[4096] = "";
	if (cmd.is_tar && (status = bundle_guard(bundle_dir, sizeof(bundle_dir))) != -1)
		return status; /* the parent: the child has printed everything */
	status = run_checks(&cmd, bundle_dir);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "tealeaves: writing output: %s\n", strerror(errno));
		status = EXIT_OUTPUT;
	}
	if (cmd.is_tar)
		exit(status); /* the child; the parent removes the unpacked copy */
	return status;
}
