/* test_cli.c - the shared command pieces (cli/common.c): exit statuses, option parsing,
 * atomic writes, bounded reads and where the data folder is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common.h"
#include "util/file.h"
#include "util/error.h"

/* Every error code has the exit status the README and the man page give its kind. */
static void exit_status_of_every_code(void **state)
{
	(void)state;
	static const struct {
		int err, status;
	} want[] = {
		{TL_OK, EXIT_OK},
		{TL_ENOMEM, EXIT_INPUT},
		{TL_EINVAL, EXIT_INPUT}, /* a library's bad argument is not the user's */
		{TL_EIO, EXIT_INPUT},
		{TL_ENOENT, EXIT_INPUT},
		{TL_EACCES, EXIT_INPUT},
		{TL_EFORMAT, EXIT_INPUT},
		{TL_EUNSUPPORTED, EXIT_INPUT},
		{TL_ELIMIT, EXIT_INPUT},
		{TL_ESTOP, EXIT_INPUT},
		{TL_EUSAGE, EXIT_USAGE},
		{TL_EOUTPUT, EXIT_OUTPUT},
		{TL_ECASE, EXIT_CASE},
		{TL_EEVIDENCE, EXIT_EVIDENCE},
		{TL_ESIGNATURE, EXIT_UNVERIFIED}, /* a signature that does not verify */
		{TL_EUNTRUSTED, EXIT_UNVERIFIED},
		{-12345, EXIT_INPUT}, /* not a code: an input that could not be read */
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (tl_cli_exit_status(want[i].err) != want[i].status)
			fail_msg("code %d: exit %d, want %d", want[i].err,
				 tl_cli_exit_status(want[i].err), want[i].status);
	}
	/* the new codes explain themselves too */
	assert_string_not_equal(tl_strerror(TL_ECASE), "unknown error");
	assert_string_not_equal(tl_strerror(TL_EEVIDENCE), "unknown error");
	assert_string_not_equal(tl_strerror(TL_EUSAGE), "unknown error");
	assert_string_not_equal(tl_strerror(TL_EOUTPUT), "unknown error");
}

/* Runs fn with stderr sent to a file; returns what it printed (static). */
static const char *stderr_of(void (*fn)(void *), void *arg)
{
	static char got[1024];
	char name[] = "/tmp/tl-test-cli-err.XXXXXX";
	int fd = mkstemp(name);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ssize_t n = pread(fd, got, sizeof(got) - 1, 0);
	got[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(name);
	return got;
}

static int fail_status;
static void fail_case(void *arg)
{
	fail_status = tl_cli_fail(TL_ECASE, arg);
}
static void fail_ok(void *arg)
{
	fail_status = tl_cli_fail(TL_OK, arg);
}

static void fail_prints_one_line(void **state)
{
	(void)state;
	assert_string_equal(stderr_of(fail_case, "case.ini:3: bad key"),
			    "tealeaves: case.ini:3: bad key\n");
	assert_int_equal(fail_status, EXIT_CASE);
	/* success prints nothing, whatever is left in the buffer */
	assert_string_equal(stderr_of(fail_ok, "stale"), "");
	assert_int_equal(fail_status, EXIT_OK);
}

static void threads_bounds(void **state)
{
	(void)state;
	unsigned t = 99;
	assert_int_equal(tl_cli_parse_threads("0", &t), 0); /* 0: one per processor */
	assert_int_equal(t, 0);
	assert_int_equal(tl_cli_parse_threads("1024", &t), 0);
	assert_int_equal(t, 1024);
	t = 99;
	static const char *const bad[] = {"1025", "-1", "", "4x", "x", "2.5",
					  "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tl_cli_parse_threads(bad[i], &t) != TL_EUSAGE)
			fail_msg("--threads '%s' taken", bad[i]);
		assert_int_equal(t, 99); /* untouched */
	}
}

static tl_cli_case_opts_t co;
static int co_status;
static void take_threads(void *arg)
{
	co_status = tl_cli_case_option(&co, 't', arg);
}
static void take_set(void *arg)
{
	co_status = tl_cli_case_option(&co, 's', arg);
}

static void case_options(void **state)
{
	(void)state;
	memset(&co, 0, sizeof(co));
	assert_string_equal(stderr_of(take_threads, "8"), "");
	assert_int_equal(co_status, EXIT_OK);
	assert_int_equal(co.threads, 8);
	assert_string_equal(stderr_of(take_threads, "1025"),
			    "tealeaves: bad thread count '1025'\nrun 'tealeaves help' for usage\n");
	assert_int_equal(co_status, EXIT_USAGE);
	assert_int_equal(co.threads, 8);
	/* --set is kept in command-line order, as given (checked when the case loads) */
	static char words[65][16];
	for (int i = 0; i < 64; i++) {
		snprintf(words[i], sizeof(words[i]), "a.b=%d", i);
		stderr_of(take_set, words[i]);
		assert_int_equal(co_status, EXIT_OK);
	}
	assert_int_equal(co.n_sets, 64);
	assert_string_equal(co.sets[0], "a.b=0");
	assert_string_equal(co.sets[63], "a.b=63");
	assert_string_equal(stderr_of(take_set, "a.b=64"),
			    "tealeaves: too many --set options\nrun 'tealeaves help' for usage\n");
	assert_int_equal(co_status, EXIT_USAGE);
	assert_int_equal(co.n_sets, 64);
}

static void ports(void **state)
{
	(void)state;
	tl_cli_input_opts_t o;
	tl_cli_input_opts_init(&o);
	assert_int_equal(tl_cli_parse_ports(&o, "53,5353"), 0);
	assert_int_equal(o.n_ports, 2);
	assert_ptr_equal(o.opts.net.ports, o.ports); /* the reader's default is replaced */
	assert_int_equal(o.opts.net.n_ports, 2);
	assert_int_equal(o.ports[0], 53);
	assert_int_equal(o.ports[1], 5353);
	/* a second --port adds to the first */
	assert_int_equal(tl_cli_parse_ports(&o, "65535"), 0);
	assert_int_equal(o.opts.net.n_ports, 3);
	assert_int_equal(o.ports[2], 65535);
	static const char *const bad[] = {"0", "65536", "", ",53", "53;54", "x", "-53"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tl_cli_input_opts_init(&o);
		if (tl_cli_parse_ports(&o, bad[i]) != TL_EUSAGE)
			fail_msg("--port '%s' taken", bad[i]);
	}
	/* at most TL_CLI_MAX_PORTS over every --port */
	tl_cli_input_opts_init(&o);
	for (int i = 0; i < TL_CLI_MAX_PORTS; i++)
		assert_int_equal(tl_cli_parse_ports(&o, "53"), 0);
	assert_int_equal(tl_cli_parse_ports(&o, "53"), TL_EUSAGE);
}

/* --set SECTION.KEY=VALUE, checked against the sample case as the case file loads. */
static void set_forms(void **state)
{
	(void)state;
	const char *path = TL_TEST_DATA_DIR "/../samples/case.ini";
	char err[4096];
	tl_case_t *c = NULL;
	const char *seed[] = {"analysis.seed=7", "analysis.seed=8"};
	assert_int_equal(tl_make_load_case(path, seed, 2, &c, err, sizeof(err)), TL_OK);
	assert_int_equal(c->seed, 8); /* in order: the last one wins */
	tl_make_case_done(c, NULL, NULL);

	/* no '=': the command line is wrong, with the word quoted back */
	const char *noeq[] = {"analysis.seed"};
	c = NULL;
	assert_int_equal(tl_make_load_case(path, noeq, 1, &c, err, sizeof(err)), TL_EUSAGE);
	assert_string_equal(err, "--set needs SECTION.KEY=VALUE, not 'analysis.seed'");
	assert_null(c);
	assert_int_equal(tl_cli_exit_status(TL_EUSAGE), EXIT_USAGE);

	/* a key of 128 bytes or more cannot be a setting */
	char longkey[200];
	memset(longkey, 'k', 140);
	strcpy(longkey + 140, "=1");
	const char *lk[] = {longkey};
	assert_int_equal(tl_make_load_case(path, lk, 1, &c, err, sizeof(err)), TL_EUSAGE);

	/* a setting the case file does not have, or a value it does not take: the case is
	 * invalid (exit 4), as it would be with that line in the file */
	const char *nokey[] = {"analysis.nosuchkey=1"};
	assert_int_equal(tl_make_load_case(path, nokey, 1, &c, err, sizeof(err)), TL_ECASE);
	assert_non_null(strstr(err, "nosuchkey"));
	const char *badval[] = {"analysis.seed=abc"};
	assert_int_equal(tl_make_load_case(path, badval, 1, &c, err, sizeof(err)), TL_ECASE);
	assert_null(c);
}

static char dir[] = "/tmp/tl-test-cli.XXXXXX";

static int count_entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void write_atomic_and_read(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/out.bin", dir);
	assert_int_equal(tl_cli_write_atomic(path, "abc\0def", 7), 0);
	assert_int_equal(count_entries(), 1); /* no temporary file left behind */
	tl_buf_t b;
	tl_buf_init(&b);
	assert_int_equal(tl_file_read_buf(path, 100, &b), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "abc\0def", 7);
	/* larger than the limit: refused, not truncated */
	assert_int_equal(tl_file_read_buf(path, 6, &b), TL_ELIMIT);
	assert_int_equal(errno, EFBIG);
	/* a folder is not a file */
	assert_int_equal(tl_file_read_buf(dir, 100, &b), TL_EIO);
	assert_int_equal(errno, EISDIR);
	/* a write into a missing folder fails and leaves nothing */
	char bad[160];
	snprintf(bad, sizeof(bad), "%s/missing/out.bin", dir);
	assert_int_equal(tl_cli_write_atomic(bad, "x", 1), TL_EOUTPUT);
	assert_int_equal(errno, ENOENT);
	/* replacing keeps one file with the new bytes */
	assert_int_equal(tl_cli_write_atomic(path, "new", 3), 0);
	assert_int_equal(tl_file_read_buf(path, 100, &b), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "new", 3);
	assert_int_equal(count_entries(), 1);
	unlink(path);
	tl_buf_free(&b);
}

/* The data folder: TEALEAVES_DATA_DIR first, else what the binary was built for, an
 * absolute folder as it is and a relative one from the binary's own folder. */
static void data_dir_lookup(void **state)
{
	(void)state;
	char exe[4096], want[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	unsetenv("TEALEAVES_DATA_DIR");
	assert_string_equal(tl_cli_data_dir(), "."); /* nothing set yet */
	assert_int_equal(tl_cli_set_data_dir("/opt/tl/share/tealeaves"), 0);
	assert_string_equal(tl_cli_data_dir(), "/opt/tl/share/tealeaves");
	setenv("TEALEAVES_DATA_DIR", "/elsewhere", 1);
	assert_string_equal(tl_cli_data_dir(), "/elsewhere");
	setenv("TEALEAVES_DATA_DIR", "", 1); /* empty is unset */
	assert_string_equal(tl_cli_data_dir(), "/opt/tl/share/tealeaves");
	unsetenv("TEALEAVES_DATA_DIR");

	/* this test's binary is build/tests/test_cli: ../share/x is build/share/x */
	*strrchr(exe, '/') = '\0';
	snprintf(want, sizeof(want), "%s/data", exe);
	assert_int_equal(tl_cli_set_data_dir("data"), 0);
	assert_string_equal(tl_cli_data_dir(), want);
	*strrchr(exe, '/') = '\0';
	snprintf(want, sizeof(want), "%s/share/tealeaves", exe);
	assert_int_equal(tl_cli_set_data_dir("../share/tealeaves"), 0);
	assert_string_equal(tl_cli_data_dir(), want);

	char longer[5000];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[0] = '/';
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(tl_cli_set_data_dir(longer), TL_ELIMIT);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_string_equal(tl_cli_data_dir(), ".");
}

/* The libraries line the manifest records names every library whose version can change
 * what a report says, each with the version it reports at run time. */
static void library_versions_named(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	tl_cli_library_versions(&b);
	static const char *const names[] = {"libpcap version ", "ldns ", "jansson ", "zlib ",
					    "OpenSSL ", "libmaxminddb ", "cairo ", "fontconfig ",
					    "libharu ", "libarchive ", "libidn2 ", "libinih "};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(b.data, names[i]) == NULL)
			fail_msg("'%s' missing from: %s", names[i], b.data);
	assert_null(strstr(b.data, "unknown"));
	tl_buf_free(&b);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_status_of_every_code),
		cmocka_unit_test(fail_prints_one_line),
		cmocka_unit_test(threads_bounds),
		cmocka_unit_test(case_options),
		cmocka_unit_test(ports),
		cmocka_unit_test(set_forms),
		cmocka_unit_test(write_atomic_and_read),
		cmocka_unit_test(data_dir_lookup),
		cmocka_unit_test(library_versions_named),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
