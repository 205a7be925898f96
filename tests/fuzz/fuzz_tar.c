/* fuzz_tar.c - libFuzzer harness: the input is a tar archive for tl_tar_extract.
 *
 * One temporary directory per process (mkdtemp once, removed at exit) holds exactly two
 * things: the archive "in.tar" and the destination "out", made empty before each run and
 * removed after it with tl_tar_rmtree. After each extraction the harness aborts when
 * anything was created outside "out", or when "out" holds anything but regular files and
 * directories (links, devices, FIFOs), or files and folders with modes other than the
 * documented 0644 and 0755 (less the umask), or deeper than a member name may go. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "util/error.h"
#include "provenance/tar.h"

static char base[64];      /* the per-process temporary directory */
static char in_path[96];   /* base/in.tar */
static char out_path[96];  /* base/out */
static mode_t file_mode, dir_mode;

static void remove_base(void)
{
	if (base[0])
		tl_tar_rmtree(base);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0] || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(base, sizeof(base), "%s/fuzz_tar.XXXXXX", tmp);
	if (!mkdtemp(base)) {
		perror("fuzz_tar: mkdtemp");
		abort();
	}
	snprintf(in_path, sizeof(in_path), "%s/in.tar", base);
	snprintf(out_path, sizeof(out_path), "%s/out", base);
	mode_t mask = umask(0);
	umask(mask);
	file_mode = 0644 & ~mask;
	dir_mode = 0755 & ~mask;
	atexit(remove_base);
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (size) {
		ssize_t n = write(fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort();
		data += n;
		size -= (size_t)n;
	}
	if (close(fd) != 0)
		abort();
}

/* The temporary directory must hold in.tar and out, nothing else. */
static void check_base(void)
{
	DIR *d = opendir(base);
	if (!d)
		abort();
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strcmp(n, ".") && strcmp(n, "..") && strcmp(n, "in.tar") && strcmp(n, "out")) {
			fprintf(stderr, "fuzz_tar: \"%s\" was created outside the destination\n", n);
			abort();
		}
	}
	closedir(d);
	struct stat st;
	if (lstat(out_path, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    lstat(in_path, &st) != 0 || !S_ISREG(st.st_mode))
		abort();
}

/* Everything under fd: regular files 0644 and directories 0755 (less the umask), at most
 * TL_TAR_MAX_DEPTH levels. */
static void check_tree(int fd, int depth)
{
	if (depth > TL_TAR_MAX_DEPTH)
		abort();
	int dfd = dup(fd);
	if (dfd < 0)
		abort();
	DIR *d = fdopendir(dfd);
	if (!d)
		abort();
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		struct stat st;
		if (fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0)
			abort();
		if (S_ISREG(st.st_mode)) {
			/* tl_tar_extract sets 0644 with fchmod, whatever the umask. */
			mode_t m = st.st_mode & 07777;
			if (m != 0644 && m != file_mode) {
				fprintf(stderr, "fuzz_tar: file \"%s\" has mode %o\n", n,
					(unsigned)(st.st_mode & 07777));
				abort();
			}
		} else if (S_ISDIR(st.st_mode)) {
			if ((st.st_mode & 07777) != dir_mode) {
				fprintf(stderr, "fuzz_tar: directory \"%s\" has mode %o\n", n,
					(unsigned)(st.st_mode & 07777));
				abort();
			}
			int sub = openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				abort();
			check_tree(sub, depth + 1);
			close(sub);
		} else {
			fprintf(stderr, "fuzz_tar: \"%s\" is neither a file nor a directory\n", n);
			abort();
		}
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	char err[1024];

	if (!init) {
		setup();
		init = 1;
	}
	write_input(data, size);
	if (mkdir(out_path, 0700) != 0)
		abort();
	err[0] = '\0';
	int rc = tl_tar_extract(in_path, out_path, err, sizeof(err));
	if (rc != TL_OK && (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL))
		abort();
	check_base();
	int fd = open(out_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		abort();
	check_tree(fd, 0);
	close(fd);
	if (tl_tar_rmtree(out_path) != TL_OK)
		abort();
	return 0;
}
