/* main.c - the tealeaves command line: the usage and the table of commands, each in its
 * own file (cmd_<command>.c) over the tealeaves library. */
#include "cli/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *usage_text =
	"usage: tealeaves <command> [options] FILE...\n"
	"\n"
	"commands:\n"
	"  records [--format jsonl|tsv] [--port N[,N...]] FILE...\n"
	"                  print every DNS message, one per line, file by file\n"
	"  records --case CASE --target [--source ADDR] [--org NAME] [--name NAME]\n"
	"          [--from TIME] [--to TIME] [--with-duplicates] [--format jsonl|tsv]\n"
	"                  print the records behind the target's lookups in a case\n"
	"  inspect [--json] [--port N[,N...]] FILE...\n"
	"                  describe each input: format, hashes, times, counts, anomalies\n"
	"  analyze CASE [-o FILE|-] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  run the analysis of a case file; write the findings JSON\n"
	"  profile CASE [--json] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  a summary of the key findings for the terminal\n"
	"  report CASE -o FILE.pdf|- [--pdfa 3b|1b] [--draft] [--charts DIR] [--csv DIR]\n"
	"         [--findings FILE] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"         [--sign-key KEY.pem --sign-cert CERT.pem]\n"
	"                  the evidence report (PDF/A), with its charts and tables as files\n"
	"  verify REPORT.pdf|BUNDLE.tar [--inputs DIR] [--case FILE] [--signature FILE.p7s]\n"
	"         [--ca CERTS.pem] [--threads N] [--json]\n"
	"                  check every hash, re-make the report and compare it byte for byte\n"
	"  bundle CASE -o FILE.tar [--report FILE.pdf] [--pdfa 3b|1b] [--draft]\n"
	"         [--set SECTION.KEY=VALUE]... [--sign-key KEY.pem --sign-cert CERT.pem]\n"
	"                  one archive: the case file, its inputs, the report and its manifest\n"
	"  version         print the version, source commit and library versions\n"
	"  help            print this text\n"
	"\n"
	"exit codes: 0 ok, 1 usage, 2 unreadable or unknown input, 3 output not written,\n"
	"            4 invalid case file, 5 evidence does not match its expected SHA-256,\n"
	"            6 verify: not verified, 7 verify: not verified (the manifest names\n"
	"            another build of tealeaves, other libraries or data files)\n"
	"see tealeaves(1) for details\n";

/* The commands, as `tealeaves NAME` runs them. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"records", tl_cli_records},
	{"inspect", tl_cli_inspect},
	{"analyze", tl_cli_analyze},
	{"profile", tl_cli_profile},
	{"report", tl_cli_report},
	{"verify", tl_cli_verify},
	{"bundle", tl_cli_bundle},
	{"version", tl_cli_version},
	{"--version", tl_cli_version},
};

#ifndef TL_DATA_DIR
#error "TL_DATA_DIR: the data folder, absolute or relative to the binary's folder"
#endif

int main(int argc, char **argv)
{
	/* where this binary's templates, fonts and colour profile are (see CMakeLists.txt) */
	if (tl_cli_set_data_dir(TL_DATA_DIR) != 0 && !getenv("TEALEAVES_DATA_DIR"))
		fprintf(stderr,
			"tealeaves: cannot find the folder this program is in (%s), so not its "
			"data folder either; set TEALEAVES_DATA_DIR\n",
			strerror(errno));
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	return tl_cli_usage_error("unknown command '%s'", cmd);
}
