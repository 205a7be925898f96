/* file.c - reading a whole file with a bound, and output files that replace only a
 * regular file or nothing: a temporary file beside the target, synced, renamed over it
 * (rename(2) replaces a symbolic link itself, and a device or FIFO node by a file, so the
 * target is checked with lstat first and again just before the rename). */
#include "util/file.h"
#include "util/error.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* any: accept what is not a regular file, but a directory. */
static int read_whole(const char *path, size_t cap, int any, char **data, size_t *len)
{
	/* O_NONBLOCK: a FIFO put where a file is expected must not block the open */
	int fd = open(path, O_RDONLY | O_CLOEXEC | (any ? 0 : O_NONBLOCK));
	if (fd < 0)
		return tl_errno_to_err(errno);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return TL_EIO;
	}
	if (S_ISDIR(st.st_mode) || (!any && !S_ISREG(st.st_mode))) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return TL_EIO;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > cap) {
		close(fd);
		return TL_ELIMIT;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	/* room for the whole file and one byte more, so that the read that finds the end
	 * needs no larger buffer; files that say 0 (in /proc) grow from 4 KiB */
	size_t n = 0, sz = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	char *buf = tl_xmalloc(sz + 1);
	for (;;) {
		if (n == sz) {
			if (sz > cap) {
				free(buf);
				close(fd);
				return TL_ELIMIT;
			}
			sz *= 2;
			buf = tl_xrealloc(buf, sz + 1);
		}
		ssize_t r = read(fd, buf + n, sz - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return TL_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > cap) {
		free(buf);
		return TL_ELIMIT;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return TL_OK;
}

int tl_file_read(const char *path, size_t cap, char **data, size_t *len)
{
	return read_whole(path, cap, 0, data, len);
}

int tl_file_read_buf(const char *path, size_t cap, tl_buf_t *out)
{
	char *data;
	size_t len;
	int rc = tl_file_read(path, cap, &data, &len);
	if (rc != TL_OK) {
		/* errno is left by tl_file_read, except for the cases it names itself */
		if (rc == TL_ELIMIT)
			errno = EFBIG;
		else if (rc == TL_ENOENT)
			errno = ENOENT;
		else if (rc == TL_EACCES)
			errno = EACCES;
		return rc;
	}
	tl_buf_free(out);
	out->data = data; /* NUL-terminated, as a tl_buf_t's data always is */
	out->len = len;
	out->cap = len + 1;
	return TL_OK;
}

int tl_file_read_any(const char *path, size_t cap, char **data, size_t *len)
{
	return read_whole(path, cap, 1, data, len);
}

static void say(char *why, size_t whylen, const char *what)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", what);
}

/* What stands at a path that is not a regular file, in words. */
static const char *kind_of(mode_t m)
{
	if (S_ISLNK(m))
		return "is a symbolic link (give the file it points to, or another name)";
	if (S_ISDIR(m))
		return "is a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device";
	if (S_ISFIFO(m))
		return "is a FIFO";
	if (S_ISSOCK(m))
		return "is a socket";
	return "is not a regular file";
}

/* The folder part of path ("." when it has none), malloc'd. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return tl_xstrdup(".");
	if (slash == path)
		return tl_xstrdup("/");
	size_t n = (size_t)(slash - path);
	char *d = tl_xmalloc(n + 1);
	memcpy(d, path, n);
	d[n] = '\0';
	return d;
}

int tl_file_out_check(const char *path, char *why, size_t whylen)
{
	if (path == NULL || path[0] == '\0') {
		say(why, whylen, "no file name");
		return TL_EINVAL;
	}
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (S_ISREG(st.st_mode))
			return TL_OK;
		say(why, whylen, kind_of(st.st_mode));
		return TL_EINVAL;
	}
	if (errno != ENOENT) {
		int e = errno;
		say(why, whylen, strerror(e));
		errno = e;
		return tl_errno_to_err(e);
	}
	/* nothing there: its folder must be a folder (a dangling symbolic link is not
	 * "nothing": lstat found it above) */
	char *dir = folder_of(path);
	int rc = TL_OK;
	if (stat(dir, &st) != 0) {
		int e = errno;
		say(why, whylen, e == ENOENT ? "its folder does not exist" : strerror(e));
		rc = tl_errno_to_err(e);
		errno = e;
	} else if (!S_ISDIR(st.st_mode)) {
		say(why, whylen, "its folder is not a directory");
		rc = TL_EINVAL;
	}
	free(dir);
	return rc;
}

/* The mode a new file gets: 0666 less the umask. */
static mode_t new_file_mode(void)
{
	mode_t m = umask(0);
	umask(m);
	return (mode_t)(0666 & ~m);
}

/* Creates the temporary file beside path; returns its descriptor (-1 on failure, why
 * filled) and its name in *tmp. */
static int make_temp(const char *path, char **tmp, char *why, size_t whylen)
{
	char *dir = folder_of(path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(dir) + strlen(base) + 32;
	char *t = tl_xmalloc(n);
	/* hidden, named after the target, unique (mkstemp opens with O_CREAT | O_EXCL, so it
	 * never follows or reuses what stands there) */
	snprintf(t, n, "%s/.%s.XXXXXX", dir, base);
	free(dir);
	int fd = mkstemp(t);
	if (fd < 0) {
		int e = errno;
		say(why, whylen, strerror(e));
		free(t);
		errno = e;
		return -1;
	}
	if (fchmod(fd, new_file_mode()) != 0) {
		int e = errno;
		say(why, whylen, strerror(e));
		close(fd);
		unlink(t);
		free(t);
		errno = e;
		return -1;
	}
	*tmp = t;
	return fd;
}

static void sync_folder(const char *path)
{
	char *dir = folder_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		(void)fsync(fd); /* best effort: some file systems refuse it on a folder */
		close(fd);
	}
	free(dir);
}

int tl_file_out_commit(const char *tmp, const char *path, char *why, size_t whylen)
{
	int fd = open(tmp, O_RDONLY | O_NOFOLLOW);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		say(why, whylen, strerror(e));
		unlink(tmp);
		errno = e;
		return TL_EIO;
	}
	close(fd);
	/* again: something may have been put there while the output was being made */
	int rc = tl_file_out_check(path, why, whylen);
	if (rc != TL_OK) {
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		say(why, whylen, strerror(e));
		unlink(tmp);
		errno = e;
		return tl_errno_to_err(e);
	}
	sync_folder(path);
	return TL_OK;
}

int tl_file_out_begin(const char *path, char **tmp, char *why, size_t whylen)
{
	*tmp = NULL;
	int rc = tl_file_out_check(path, why, whylen);
	if (rc != TL_OK)
		return rc;
	int fd = make_temp(path, tmp, why, whylen);
	if (fd < 0)
		return tl_errno_to_err(errno);
	close(fd);
	return TL_OK;
}

int tl_file_out_write(const char *path, const void *data, size_t len, char *why, size_t whylen)
{
	int rc = tl_file_out_check(path, why, whylen);
	if (rc != TL_OK)
		return rc;
	char *tmp;
	int fd = make_temp(path, &tmp, why, whylen);
	if (fd < 0)
		return tl_errno_to_err(errno);
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			say(why, whylen, strerror(e));
			close(fd);
			unlink(tmp);
			free(tmp);
			errno = e;
			return TL_EIO;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) != 0) {
		int e = errno;
		say(why, whylen, strerror(e));
		unlink(tmp);
		free(tmp);
		errno = e;
		return TL_EIO;
	}
	rc = tl_file_out_commit(tmp, path, why, whylen);
	free(tmp);
	return rc;
}
