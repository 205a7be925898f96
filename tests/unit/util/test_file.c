/* test_file.c - the bounded whole-file readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/file.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tl-test-file.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void reads_whole_file_up_to_cap(void **state)
{
	(void)state;
	char path[128], *data = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/a", dir);
	put(path, "abc\0def", 7);
	assert_int_equal(tl_file_read(path, 7, &data, &len), TL_OK); /* exactly cap */
	assert_int_equal(len, 7);
	assert_memory_equal(data, "abc\0def", 8); /* NUL-terminated too */
	free(data);
	assert_int_equal(tl_file_read(path, 6, &data, &len), TL_ELIMIT);
	put(path, "", 0);
	assert_int_equal(tl_file_read(path, 0, &data, &len), TL_OK);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
}

static void large_file_in_one_piece(void **state)
{
	(void)state;
	char path[128], *data = NULL;
	size_t len = 0, n = 100000;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	snprintf(path, sizeof(path), "%s/big", dir);
	put(path, big, n);
	assert_int_equal(tl_file_read(path, n, &data, &len), TL_OK);
	assert_int_equal(len, n);
	assert_memory_equal(data, big, n);
	free(data);
	free(big);
}

static void refuses_what_is_not_a_regular_file(void **state)
{
	(void)state;
	char path[128], *data = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(tl_file_read(path, 100, &data, &len), TL_ENOENT);
	errno = 0;
	assert_int_equal(tl_file_read(dir, 100, &data, &len), TL_EIO);
	assert_int_equal(errno, EISDIR);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	errno = 0;
	assert_int_equal(tl_file_read(path, 100, &data, &len), TL_EIO); /* not waited on */
	assert_int_equal(errno, EINVAL);
}

static void any_kind_reads_a_pipe_but_not_a_directory(void **state)
{
	(void)state;
	char path[64], *data = NULL;
	size_t len = 0;
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "key", 3), 3);
	close(p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	errno = 0;
	assert_int_equal(tl_file_read(path, 100, &data, &len), TL_EIO);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tl_file_read_any(path, 2, &data, &len), TL_ELIMIT);
	close(p[0]);

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "key", 3), 3);
	close(p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	assert_int_equal(tl_file_read_any(path, 100, &data, &len), TL_OK);
	assert_int_equal(len, 3);
	assert_string_equal(data, "key");
	free(data);
	close(p[0]);

	errno = 0;
	assert_int_equal(tl_file_read_any(dir, 100, &data, &len), TL_EIO);
	assert_int_equal(errno, EISDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_whole_file_up_to_cap),
		cmocka_unit_test(large_file_in_one_piece),
		cmocka_unit_test(refuses_what_is_not_a_regular_file),
		cmocka_unit_test(any_kind_reads_a_pipe_but_not_a_directory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
