/* tarball.c - deterministic tar archives and safe extraction; the only user of libarchive. */
#include "provenance/tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/strmap.h"
#include "util/xmalloc.h"

#define CHUNK (256 * 1024)
/* Values in the name maps. */
#define KIND_FILE 0u
#define KIND_DIR 1u
/* Longest piece of a name quoted in a message (escaped). */
#define QUOTE_MAX 200

struct tl_tar_writer {
	struct archive *a;
	int fd;
	char *path;         /* the archive, for messages */
	int64_t mtime;
	tl_strmap_t *names; /* every member written, without trailing '/' -> KIND_* */
	int broken;         /* an entry was left half written: only abort is possible */
	uint8_t *chunk;
};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* An untrusted name as text safe for a message: escaped, cut at QUOTE_MAX bytes. The
 * result is owned by b. */
static const char *quote(tl_buf_t *b, const char *s, size_t len)
{
	tl_buf_clear(b);
	if (len == 0)
		return "";
	if (len > QUOTE_MAX) {
		tl_buf_text_escaped(b, s, QUOTE_MAX);
		tl_buf_puts(b, "...");
	} else {
		tl_buf_text_escaped(b, s, len);
	}
	return b->data ? b->data : "";
}

/* Checks a member name against the rules in tarball.h. lenient (extraction) also accepts
 * "." components and one trailing '/'. On failure writes the reason (without the name) to
 * why. */
static int name_ok(const char *name, size_t len, int lenient, char *why, size_t whylen)
{
	if (len == 0) {
		seterr(why, whylen, "empty name");
		return 0;
	}
	if (len > TL_TAR_MAX_NAME) {
		seterr(why, whylen, "name of %zu bytes, more than %d", len, TL_TAR_MAX_NAME);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c > 0x7e) {
			seterr(why, whylen, "byte 0x%02x at offset %zu is not printable ASCII", c, i);
			return 0;
		}
	}
	if (name[0] == '/') {
		seterr(why, whylen, "absolute name");
		return 0;
	}
	if (lenient && len > 1 && name[len - 1] == '/')
		len--;
	size_t depth = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '/')
			continue;
		size_t n = i - start;
		if (n == 0) {
			seterr(why, whylen, "empty component at offset %zu", start);
			return 0;
		}
		if (n == 2 && name[start] == '.' && name[start + 1] == '.') {
			seterr(why, whylen, "\"..\" component at offset %zu", start);
			return 0;
		}
		if (n == 1 && name[start] == '.' && !lenient) {
			seterr(why, whylen, "\".\" component at offset %zu", start);
			return 0;
		}
		if (++depth > TL_TAR_MAX_DEPTH) {
			seterr(why, whylen, "more than %d components", TL_TAR_MAX_DEPTH);
			return 0;
		}
		start = i + 1;
	}
	return 1;
}

/* Writing */

int tl_tar_open(const char *path, int64_t mtime, tl_tar_writer_t **out, char *err, size_t errlen)
{
	if (!path || !out) {
		seterr(err, errlen, "tar: no archive path");
		return TL_EINVAL;
	}
	if (mtime < 0 || mtime > TL_TAR_MAX_MTIME) {
		seterr(err, errlen, "%s: archive time %" PRId64 " outside 0..%" PRId64, path, mtime,
		       TL_TAR_MAX_MTIME);
		return TL_EINVAL;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
	if (fd < 0) {
		int e = errno;
		seterr(err, errlen, "%s: cannot create: %s", path, strerror(e));
		return tl_errno_to_err(e);
	}
	struct archive *a = archive_write_new();
	if (!a) {
		fprintf(stderr, "tealeaves: libarchive allocation failed\n");
		abort();
	}
	/* Pax restricted: ustar headers, with a pax extended header only for what ustar cannot
	 * hold (POSIX.1-2017 pax, "pax Interchange Format"). No compression filter. */
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    /* The last 10240-byte record padded in full (POSIX pax, "ustar Interchange
	     * Format"), set here because libarchive's default depends on the kind of file
	     * written to. */
	    archive_write_set_bytes_per_block(a, 10240) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 0) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		seterr(err, errlen, "%s: cannot start archive: %s", path, archive_error_string(a));
		archive_write_free(a);
		close(fd);
		return TL_EIO;
	}
	tl_tar_writer_t *w = tl_xcalloc(1, sizeof(*w));
	w->a = a;
	w->fd = fd;
	w->path = tl_xstrdup(path);
	w->mtime = mtime;
	w->names = tl_strmap_new();
	w->chunk = tl_xmalloc(CHUNK);
	*out = w;
	return TL_OK;
}

static void writer_free(tl_tar_writer_t *w)
{
	tl_strmap_free(w->names);
	free(w->chunk);
	free(w->path);
	free(w);
}

void tl_tar_abort(tl_tar_writer_t *w)
{
	if (!w)
		return;
	/* Freeing a libarchive writer finishes the archive, which we do not want written;
	 * marking it failed instead (archive_write_fail) leaks its block buffer in 3.6. So
	 * the trailer goes to /dev/null, put in place of the archive's descriptor. */
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, w->fd) < 0)
		archive_write_fail(w->a);
	if (null >= 0)
		close(null);
	archive_write_free(w->a);
	close(w->fd);
	writer_free(w);
}

/* Writes one header: the same metadata for every entry but type and size. */
static int put_header(tl_tar_writer_t *w, const char *name, int dir, uint64_t size, char *err,
		      size_t errlen)
{
	struct archive_entry *e = archive_entry_new2(w->a);
	if (!e) {
		fprintf(stderr, "tealeaves: libarchive allocation failed\n");
		abort();
	}
	archive_entry_copy_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, (time_t)w->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	int r = archive_write_header(w->a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK) {
		/* A warning here would mean libarchive changed something (e.g. a name's
		 * charset); the archive would not be what was asked for. */
		seterr(err, errlen, "%s: member %s: cannot write header: %s", w->path, name,
		       archive_error_string(w->a));
		w->broken = 1;
		return TL_EIO;
	}
	return TL_OK;
}

/* Checks name against the rules and its place among the members written so far. */
static int check_member(tl_tar_writer_t *w, const char *name, char *err, size_t errlen)
{
	if (w->broken) {
		seterr(err, errlen, "%s: archive unusable after an earlier error", w->path);
		return TL_EINVAL;
	}
	if (!name) {
		seterr(err, errlen, "%s: member without a name", w->path);
		return TL_EINVAL;
	}
	size_t len = strlen(name);
	char why[128];
	if (!name_ok(name, len, 0, why, sizeof(why))) {
		tl_buf_t q;
		tl_buf_init(&q);
		seterr(err, errlen, "%s: member name \"%s\" refused: %s", w->path,
		       quote(&q, name, len), why);
		tl_buf_free(&q);
		return TL_EINVAL;
	}
	if (tl_strmap_get(w->names, name, len) != UINT32_MAX) {
		seterr(err, errlen, "%s: member name \"%s\" refused: already in the archive", w->path,
		       name);
		return TL_EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if (name[i] != '/')
			continue;
		uint32_t kind = tl_strmap_get(w->names, name, i);
		if (kind == KIND_FILE) {
			seterr(err, errlen, "%s: member name \"%s\" refused: \"%.*s\" is a file",
			       w->path, name, (int)i, name);
			return TL_EINVAL;
		}
	}
	return TL_OK;
}

/* Checks name, then writes the entries for the directories it needs that are not there
 * yet, in the order first needed (only once the whole name is accepted, so a refused name
 * leaves the archive as it was), and records it. */
static int claim_name(tl_tar_writer_t *w, const char *name, char *err, size_t errlen)
{
	int r = check_member(w, name, err, errlen);
	if (r != TL_OK)
		return r;
	size_t len = strlen(name);
	for (size_t i = 0; i < len; i++) {
		if (name[i] != '/' || tl_strmap_get(w->names, name, i) == KIND_DIR)
			continue;
		char *dir = tl_xstrndup(name, i + 1); /* with its trailing '/' */
		r = put_header(w, dir, 1, 0, err, errlen);
		free(dir);
		if (r != TL_OK)
			return r;
		tl_strmap_put(w->names, name, i, KIND_DIR);
	}
	tl_strmap_put(w->names, name, len, KIND_FILE);
	return TL_OK;
}

static int put_data(tl_tar_writer_t *w, const char *name, const void *data, size_t len,
		    char *err, size_t errlen)
{
	la_ssize_t n = archive_write_data(w->a, data, len);
	if (n < 0 || (size_t)n != len) {
		seterr(err, errlen, "%s: member %s: write failed: %s", w->path, name,
		       n < 0 ? archive_error_string(w->a) : "short write");
		w->broken = 1;
		return TL_EIO;
	}
	return TL_OK;
}

static int finish_entry(tl_tar_writer_t *w, const char *name, char *err, size_t errlen)
{
	if (archive_write_finish_entry(w->a) != ARCHIVE_OK) {
		seterr(err, errlen, "%s: member %s: %s", w->path, name, archive_error_string(w->a));
		w->broken = 1;
		return TL_EIO;
	}
	return TL_OK;
}

int tl_tar_add_bytes(tl_tar_writer_t *w, const char *name, const void *data, size_t len,
		     char *err, size_t errlen)
{
	if (!w || (!data && len)) {
		seterr(err, errlen, "tar: no archive or no data");
		return TL_EINVAL;
	}
	int r = claim_name(w, name, err, errlen);
	if (r == TL_OK)
		r = put_header(w, name, 0, len, err, errlen);
	if (r == TL_OK && len)
		r = put_data(w, name, data, len, err, errlen);
	if (r == TL_OK)
		r = finish_entry(w, name, err, errlen);
	return r;
}

/* read() that retries after signals; returns bytes read, 0 at end, -1 with errno set. */
static ssize_t read_some(int fd, void *buf, size_t n)
{
	ssize_t got;
	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

int tl_tar_add_file(tl_tar_writer_t *w, const char *name, const char *src,
		    uint8_t sha256[32], uint64_t *size, char *err, size_t errlen)
{
	if (!w || !src) {
		seterr(err, errlen, "tar: no archive or no source file");
		return TL_EINVAL;
	}
	int r = check_member(w, name, err, errlen);
	if (r != TL_OK)
		return r;
	/* O_NONBLOCK so that a FIFO given by mistake cannot hang the open; it does nothing
	 * for the regular files accepted below. */
	int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		seterr(err, errlen, "%s: cannot open: %s", src, strerror(e));
		return tl_errno_to_err(e);
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		seterr(err, errlen, "%s: cannot stat: %s", src, strerror(e));
		close(fd);
		return tl_errno_to_err(e);
	}
	if (!S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: not a regular file", src);
		close(fd);
		return TL_EINVAL;
	}
	uint64_t want = (uint64_t)st.st_size;
	r = claim_name(w, name, err, errlen);
	if (r == TL_OK)
		r = put_header(w, name, 0, want, err, errlen);
	tl_sha256_t *h = tl_sha256_new();
	uint64_t done = 0;
	while (r == TL_OK && done < want) {
		size_t n = want - done < CHUNK ? (size_t)(want - done) : CHUNK;
		ssize_t got = read_some(fd, w->chunk, n);
		if (got < 0) {
			int e = errno;
			seterr(err, errlen, "%s: read failed at byte %" PRIu64 ": %s", src, done,
			       strerror(e));
			w->broken = 1;
			r = tl_errno_to_err(e);
		} else if (got == 0) {
			seterr(err, errlen,
			       "%s: file shrank while being archived (ends at byte %" PRIu64
			       ", was %" PRIu64 " bytes)", src, done, want);
			w->broken = 1;
			r = TL_EIO;
		} else {
			tl_sha256_update(h, w->chunk, (size_t)got);
			r = put_data(w, name, w->chunk, (size_t)got, err, errlen);
			done += (uint64_t)got;
		}
	}
	if (r == TL_OK) {
		/* One more read must find the end: a file that grew (or a /proc file whose
		 * length fstat does not know) would be archived incomplete. */
		uint8_t probe;
		ssize_t got = read_some(fd, &probe, 1);
		struct stat after;
		if (got != 0 || fstat(fd, &after) != 0 || (uint64_t)after.st_size != want) {
			seterr(err, errlen,
			       "%s: file changed length while being archived (was %" PRIu64
			       " bytes)", src, want);
			w->broken = 1;
			r = TL_EIO;
		}
	}
	if (r == TL_OK)
		r = finish_entry(w, name, err, errlen);
	uint8_t digest[TL_SHA256_LEN];
	tl_sha256_final(h, digest);
	tl_sha256_free(h);
	close(fd);
	if (r != TL_OK)
		return r;
	if (sha256)
		memcpy(sha256, digest, TL_SHA256_LEN);
	if (size)
		*size = want;
	return TL_OK;
}

int tl_tar_close(tl_tar_writer_t *w, char *err, size_t errlen)
{
	if (!w) {
		seterr(err, errlen, "tar: no archive to close");
		return TL_EINVAL;
	}
	if (w->broken) {
		seterr(err, errlen, "%s: archive left unfinished by an earlier error", w->path);
		tl_tar_abort(w);
		return TL_EINVAL;
	}
	int r = TL_OK;
	/* Writes the two zero blocks that end a ustar archive and pads the last record. */
	if (archive_write_close(w->a) != ARCHIVE_OK) {
		seterr(err, errlen, "%s: cannot finish archive: %s", w->path,
		       archive_error_string(w->a));
		r = TL_EIO;
	}
	archive_write_free(w->a);
	if (r == TL_OK && fsync(w->fd) != 0) {
		int e = errno;
		seterr(err, errlen, "%s: fsync failed: %s", w->path, strerror(e));
		r = tl_errno_to_err(e);
	}
	if (close(w->fd) != 0 && r == TL_OK) {
		int e = errno;
		seterr(err, errlen, "%s: close failed: %s", w->path, strerror(e));
		r = tl_errno_to_err(e);
	}
	writer_free(w);
	return r;
}

/* Reading */

int tl_tar_is_tar(const char *path)
{
	if (!path)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	/* The magic field of the first header block: "ustar\0" (POSIX) or "ustar " (GNU). */
	char magic[5];
	ssize_t got;
	do
		got = pread(fd, magic, sizeof(magic), 257);
	while (got < 0 && errno == EINTR);
	close(fd);
	return got == (ssize_t)sizeof(magic) && memcmp(magic, "ustar", 5) == 0;
}

/* State of one extraction, for messages. */
typedef struct {
	const char *path;    /* the archive */
	size_t index;        /* 1-based entry number */
	int64_t offset;      /* byte offset of the entry's header */
	tl_buf_t q;          /* quoted name */
	const char *name;    /* quoted, owned by q */
	char *err;
	size_t errlen;
} ctx_t;

static int refuse(ctx_t *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(ctx_t *c, int code, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (c->name)
		seterr(c->err, c->errlen, "%s: entry %zu (\"%s\") at byte %" PRId64 ": %s", c->path,
		       c->index, c->name, c->offset, why);
	else
		seterr(c->err, c->errlen, "%s: entry %zu at byte %" PRId64 ": %s", c->path,
		       c->index, c->offset, why);
	return code;
}

static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copies the current entry's data into fd. libarchive checks the data is all there; a
 * sparse entry (gaps between blocks) is refused rather than written with holes. */
static int copy_data(ctx_t *c, struct archive *a, int fd, int64_t size)
{
	int64_t done = 0;
	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(a, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK)
			return refuse(c, TL_EFORMAT, "data: %s", archive_error_string(a));
		if (off != done)
			return refuse(c, TL_EFORMAT, "sparse file (data at %" PRId64 ", expected %"
				      PRId64 ")", (int64_t)off, done);
		int e = write_all(fd, buf, len);
		if (e)
			return refuse(c, tl_errno_to_err(e), "write failed: %s", strerror(e));
		done += (int64_t)len;
	}
	if (size >= 0 && done != size)
		return refuse(c, TL_EFORMAT, "%" PRId64 " bytes of data, header says %" PRId64,
			      done, size);
	return TL_OK;
}

/* Creates the entry's directories and file under dest by walking one component at a time
 * from destfd: every directory opened with O_NOFOLLOW, the file created with O_EXCL and
 * O_NOFOLLOW, so a symbolic link in dest (however it got there) is never followed. */
static int create_entry(ctx_t *c, struct archive *a, int destfd, const char *norm, int dir,
			int64_t size)
{
	int cur = destfd, r = TL_OK;
	const char *p = norm;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char comp[TL_TAR_MAX_NAME + 1];
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (!slash && !dir) {
			int fd = openat(cur, comp,
					O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
					0644);
			if (fd < 0) {
				int e = errno;
				r = refuse(c, e == EEXIST ? TL_EFORMAT : tl_errno_to_err(e),
					   "cannot create file: %s", strerror(e));
				break;
			}
			/* 0644 whatever the umask and the stored mode. */
			if (fchmod(fd, 0644) != 0) {
				int e = errno;
				r = refuse(c, tl_errno_to_err(e), "chmod failed: %s", strerror(e));
			}
			if (r == TL_OK)
				r = copy_data(c, a, fd, size);
			if (close(fd) != 0 && r == TL_OK) {
				int e = errno;
				r = refuse(c, tl_errno_to_err(e), "close failed: %s", strerror(e));
			}
			break;
		}
		if (mkdirat(cur, comp, 0755) != 0 && errno != EEXIST) {
			int e = errno;
			r = refuse(c, tl_errno_to_err(e), "cannot create directory \"%s\": %s", comp,
				   strerror(e));
			break;
		}
		int next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;
			/* ELOOP: a symbolic link; ENOTDIR: a file member where a directory
			 * is needed. */
			r = refuse(c, TL_EFORMAT, "\"%s\" is not a directory: %s", comp,
				   e == ELOOP ? "symbolic link" : strerror(e));
			break;
		}
		if (cur != destfd)
			close(cur);
		cur = next;
		if (!slash)
			break;
		p = slash + 1;
	}
	if (cur != destfd)
		close(cur);
	return r;
}

/* Normalises an accepted name: drops "." components and a trailing '/'. Returns an
 * empty string for dest itself. The result is owned by the caller. */
static char *normalise(const char *name, size_t len)
{
	char *out = tl_xmalloc(len + 1);
	size_t o = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '/')
			continue;
		size_t n = i - start;
		if (n && !(n == 1 && name[start] == '.')) {
			if (o)
				out[o++] = '/';
			memcpy(out + o, name + start, n);
			o += n;
		}
		start = i + 1;
	}
	out[o] = '\0';
	return out;
}

static const char *type_name(mode_t type)
{
	switch (type) {
	case AE_IFLNK: return "symbolic link";
	case AE_IFCHR: return "character device";
	case AE_IFBLK: return "block device";
	case AE_IFIFO: return "FIFO";
	case AE_IFSOCK: return "socket";
	default: return "entry of unknown type";
	}
}

static int dir_is_empty(int fd)
{
	int dup_fd = dup(fd);
	if (dup_fd < 0)
		return -1;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -1;
	}
	int empty = 1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

int tl_tar_extract_max(const char *path, const char *dest, size_t max_entries, char *err,
		       size_t errlen)
{
	if (!path || !dest) {
		seterr(err, errlen, "tar: no archive or destination");
		return TL_EINVAL;
	}
	int destfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (destfd < 0) {
		int e = errno;
		seterr(err, errlen, "%s: cannot open directory: %s", dest, strerror(e));
		return tl_errno_to_err(e);
	}
	int empty = dir_is_empty(destfd);
	if (empty != 1) {
		seterr(err, errlen, "%s: %s", dest,
		       empty < 0 ? "cannot read directory" : "directory is not empty");
		close(destfd);
		return TL_EINVAL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		seterr(err, errlen, "%s: cannot open: %s", path, strerror(e));
		close(destfd);
		return tl_errno_to_err(e);
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: not a regular file", path);
		close(fd);
		close(destfd);
		return TL_EINVAL;
	}
	struct archive *a = archive_read_new();
	if (!a) {
		fprintf(stderr, "tealeaves: libarchive allocation failed\n");
		abort();
	}
	/* Only tar, and no decompression filter: a bundle is a plain tar, and nothing can
	 * expand beyond the archive's own size. */
	ctx_t c = {.path = path, .err = err, .errlen = errlen};
	tl_buf_init(&c.q);
	int r = TL_OK;
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_open_fd(a, fd, 10240) != ARCHIVE_OK) {
		seterr(err, errlen, "%s: not a tar archive: %s", path, archive_error_string(a));
		r = TL_EFORMAT;
	}
	tl_strmap_t *seen = tl_strmap_new();
	while (r == TL_OK) {
		struct archive_entry *e;
		c.index++;
		c.name = NULL;
		int ar = archive_read_next_header(a, &e);
		/* Where libarchive began reading this entry's header(s); after a fatal error
		 * it will not say, so then the bytes it had consumed. */
		c.offset = archive_read_header_position(a);
		if (c.offset < 0)
			c.offset = archive_filter_bytes(a, 0);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar != ARCHIVE_OK) {
			/* Warnings too: libarchive changed or dropped something in the header. */
			r = refuse(&c, TL_EFORMAT, "%s", archive_error_string(a));
			break;
		}
		const char *name = archive_entry_pathname(e);
		size_t len = name ? strlen(name) : 0;
		if (name)
			c.name = quote(&c.q, name, len);
		if (c.index > max_entries) {
			r = refuse(&c, TL_ELIMIT, "more than %zu entries", max_entries);
			break;
		}
		if (!name) {
			r = refuse(&c, TL_EFORMAT, "no name");
			break;
		}
		char why[128];
		if (!name_ok(name, len, 1, why, sizeof(why))) {
			r = refuse(&c, TL_EFORMAT, "refused name: %s", why);
			break;
		}
		const char *link = archive_entry_hardlink(e);
		if (link) {
			tl_buf_t q;
			tl_buf_init(&q);
			r = refuse(&c, TL_EFORMAT, "refused hard link to \"%s\"",
				   quote(&q, link, strlen(link)));
			tl_buf_free(&q);
			break;
		}
		mode_t type = archive_entry_filetype(e);
		if (type != AE_IFREG && type != AE_IFDIR) {
			r = refuse(&c, TL_EFORMAT, "refused %s", type_name(type));
			break;
		}
		if (archive_entry_sparse_count(e) > 0) {
			r = refuse(&c, TL_EFORMAT, "refused sparse file");
			break;
		}
		char *norm = normalise(name, len);
		if (norm[0] == '\0') {
			if (type != AE_IFDIR)
				r = refuse(&c, TL_EFORMAT, "refused name: a file named \".\"");
			free(norm);
			continue;
		}
		size_t nlen = strlen(norm);
		if (tl_strmap_put(seen, norm, nlen, type == AE_IFDIR ? KIND_DIR : KIND_FILE) !=
		    UINT32_MAX) {
			r = refuse(&c, TL_EFORMAT, "refused duplicate name");
			free(norm);
			break;
		}
		int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		r = create_entry(&c, a, destfd, norm, type == AE_IFDIR, size);
		free(norm);
	}
	tl_strmap_free(seen);
	tl_buf_free(&c.q);
	archive_read_free(a);
	close(fd);
	close(destfd);
	return r;
}

int tl_tar_extract(const char *path, const char *dest, char *err, size_t errlen)
{
	return tl_tar_extract_max(path, dest, TL_TAR_MAX_ENTRIES, err, errlen);
}

/* Removes everything in the directory open at fd; depth guards the recursion. Never
 * follows links: fstatat with AT_SYMLINK_NOFOLLOW, openat with O_NOFOLLOW. */
static int clear_dir(int fd, int depth)
{
	if (depth > 4 * TL_TAR_MAX_DEPTH)
		return TL_ELIMIT;
	int dfd = dup(fd);
	if (dfd < 0)
		return tl_errno_to_err(errno);
	DIR *d = fdopendir(dfd);
	if (!d) {
		int e = errno;
		close(dfd);
		return tl_errno_to_err(e);
	}
	int r = TL_OK;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		struct stat st;
		if (fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (r == TL_OK)
				r = tl_errno_to_err(errno);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				if (r == TL_OK)
					r = tl_errno_to_err(errno);
				continue;
			}
			int sr = clear_dir(sub, depth + 1);
			close(sub);
			if (sr != TL_OK && r == TL_OK)
				r = sr;
			if (unlinkat(fd, n, AT_REMOVEDIR) != 0 && r == TL_OK)
				r = tl_errno_to_err(errno);
		} else if (unlinkat(fd, n, 0) != 0 && r == TL_OK) {
			r = tl_errno_to_err(errno);
		}
	}
	closedir(d);
	return r;
}

int tl_tar_rmtree(const char *dir)
{
	if (!dir)
		return TL_EINVAL;
	struct stat st;
	if (lstat(dir, &st) != 0)
		return tl_errno_to_err(errno);
	if (!S_ISDIR(st.st_mode))
		return unlink(dir) == 0 ? TL_OK : tl_errno_to_err(errno);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return tl_errno_to_err(errno);
	int r = clear_dir(fd, 0);
	close(fd);
	if (rmdir(dir) != 0 && r == TL_OK)
		r = tl_errno_to_err(errno);
	return r;
}

const char *tl_tar_libarchive_version(void)
{
	return archive_version_string();
}
