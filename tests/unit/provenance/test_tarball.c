/* test_tarball.c - deterministic tar writing, and extraction refusing hostile archives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/error.h"
#include "util/sha256.h"
#include "provenance/tar.h"

#define MTIME INT64_C(1700000000) /* 2023-11-14T22:13:20Z */
#define BIG_LEN 300001            /* more than one copy chunk */

typedef struct {
	char dir[64]; /* the mkdtemp() directory; everything lives under it */
	char buf[PATH_MAX];
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/tl_tarball_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;
	int r = tl_tar_rmtree(f->dir);
	struct stat st;
	int gone = lstat(f->dir, &st) != 0;
	free(f);
	return r == TL_OK && gone ? 0 : -1;
}

/* A path under the fixture directory; valid until the next call. */
static const char *at(fixture_t *f, const char *rel)
{
	int n = snprintf(f->buf, sizeof(f->buf), "%s/%s", f->dir, rel);
	assert_true(n > 0 && (size_t)n < sizeof(f->buf));
	return f->buf;
}

static char *path_dup(fixture_t *f, const char *rel)
{
	return strdup(at(f, rel));
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The whole file; *len its length. Caller frees. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	long n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	uint8_t *data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return data;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Entries in a directory, "." and ".." not counted. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static uint8_t *big_content(void)
{
	uint8_t *big = malloc(BIG_LEN);
	assert_non_null(big);
	for (size_t i = 0; i < BIG_LEN; i++)
		big[i] = (uint8_t)(i * 31 + 7 + (i >> 11));
	return big;
}

static const char notes[] = "line one\nline two\n";
static const char manifest[] = "{\"report\":\"x\"}\n";

/* Two evidence files under the fixture, with modes and times unlike the archive's. */
static void make_sources(fixture_t *f)
{
	uint8_t *big = big_content();
	write_file(at(f, "evidence.pcap"), big, BIG_LEN);
	free(big);
	write_file(at(f, "notes.log"), notes, strlen(notes));
	assert_int_equal(chmod(at(f, "evidence.pcap"), 0600), 0);
	assert_int_equal(chmod(at(f, "notes.log"), 0751), 0);
}

/* The bundle used by several tests; returns the SHA-256 and size of the big file. */
static void build(fixture_t *f, const char *out, int64_t mtime, uint8_t sha[32], uint64_t *size)
{
	char err[512] = "";
	char *tar = path_dup(f, out), *big = path_dup(f, "evidence.pcap"),
	     *log = path_dup(f, "notes.log");
	tl_tar_writer_t *w = NULL;
	assert_int_equal(tl_tar_open(tar, mtime, &w, err, sizeof(err)), TL_OK);
	uint8_t sha_log[32];
	uint64_t size_log = 0;
	assert_int_equal(tl_tar_add_file(w, "case.ini", log, sha_log, &size_log, err, sizeof(err)),
			 TL_OK);
	assert_int_equal(size_log, strlen(notes));
	assert_int_equal(tl_tar_add_file(w, "inputs/dns/evidence.pcap", big, sha, size, err,
					 sizeof(err)), TL_OK);
	assert_int_equal(tl_tar_add_bytes(w, "report/manifest.json", manifest, strlen(manifest),
					  err, sizeof(err)), TL_OK);
	assert_int_equal(tl_tar_close(w, err, sizeof(err)), TL_OK);
	free(tar);
	free(big);
	free(log);
}

struct expect {
	const char *name;
	int dir;
	const void *data;
	size_t len;
};

static void writes_members_with_fixed_metadata(void **state)
{
	fixture_t *f = *state;
	make_sources(f);
	uint8_t sha[32];
	uint64_t size = 0;
	build(f, "case.tar", MTIME, sha, &size);

	uint8_t *big = big_content();
	uint8_t want[32];
	tl_sha256(big, BIG_LEN, want);
	assert_memory_equal(sha, want, 32);
	assert_int_equal(size, BIG_LEN);

	const struct expect ex[] = {
		{"case.ini", 0, notes, strlen(notes)},
		{"inputs/", 1, NULL, 0},
		{"inputs/dns/", 1, NULL, 0},
		{"inputs/dns/evidence.pcap", 0, big, BIG_LEN},
		{"report/", 1, NULL, 0},
		{"report/manifest.json", 0, manifest, strlen(manifest)},
	};
	const size_t nex = sizeof(ex) / sizeof(ex[0]);
	assert_true(tl_tar_is_tar(at(f, "case.tar")));
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, at(f, "case.tar"), 10240), ARCHIVE_OK);
	struct archive_entry *e;
	size_t i = 0;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		assert_true(i < nex);
		/* Plain ustar: no pax header was needed. */
		assert_int_equal(archive_format(a), ARCHIVE_FORMAT_TAR_USTAR);
		assert_string_equal(archive_entry_pathname(e), ex[i].name);
		assert_int_equal(archive_entry_filetype(e), ex[i].dir ? AE_IFDIR : AE_IFREG);
		assert_int_equal(archive_entry_perm(e), ex[i].dir ? 0755 : 0644);
		assert_int_equal(archive_entry_size(e), ex[i].len);
		assert_int_equal(archive_entry_mtime(e), MTIME);
		assert_int_equal(archive_entry_mtime_nsec(e), 0);
		assert_false(archive_entry_atime_is_set(e));
		assert_false(archive_entry_ctime_is_set(e));
		assert_int_equal(archive_entry_uid(e), 0);
		assert_int_equal(archive_entry_gid(e), 0);
		assert_true(!archive_entry_uname(e) || !archive_entry_uname(e)[0]);
		assert_true(!archive_entry_gname(e) || !archive_entry_gname(e)[0]);
		if (!ex[i].dir) {
			uint8_t *got = malloc(ex[i].len + 1);
			assert_non_null(got);
			assert_int_equal(archive_read_data(a, got, ex[i].len + 1), ex[i].len);
			assert_memory_equal(got, ex[i].data, ex[i].len);
			free(got);
		}
		i++;
	}
	assert_int_equal(i, nex);
	archive_read_free(a);
	free(big);

	size_t len;
	uint8_t *bytes = slurp(at(f, "case.tar"), &len);
	assert_int_equal(len % 10240, 0);
	assert_memory_equal(bytes + 257, "ustar\0" "00", 8);
	free(bytes);
}

static void same_inputs_give_same_bytes(void **state)
{
	fixture_t *f = *state;
	make_sources(f);
	build(f, "one.tar", MTIME, NULL, NULL);
	/* The sources' own modes and times do not reach the archive. */
	assert_int_equal(chmod(at(f, "evidence.pcap"), 0644), 0);
	const struct timeval tv[2] = {{12345, 0}, {67890, 0}};
	assert_int_equal(utimes(at(f, "notes.log"), tv), 0);
	build(f, "two.tar", MTIME, NULL, NULL);
	build(f, "later.tar", MTIME + 1, NULL, NULL);
	size_t l1, l2, l3;
	uint8_t *b1 = slurp(at(f, "one.tar"), &l1);
	uint8_t *b2 = slurp(at(f, "two.tar"), &l2);
	uint8_t *b3 = slurp(at(f, "later.tar"), &l3);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	assert_int_equal(l1, l3);
	assert_memory_not_equal(b1, b3, l1);
	free(b1);
	free(b2);
	free(b3);
}

static void long_names_stay_deterministic(void **state)
{
	fixture_t *f = *state;
	/* 300 bytes: more than ustar's 100 + 155, so libarchive adds a pax header; its
	 * name must not carry a process id or anything else that varies. */
	char name[301];
	memset(name, 'n', 300);
	name[150] = '/';
	name[300] = '\0';
	uint8_t *arch[2];
	size_t len[2];
	char err[512] = "";
	for (int k = 0; k < 2; k++) {
		const char *tar = at(f, k ? "b.tar" : "a.tar");
		char *p = strdup(tar);
		tl_tar_writer_t *w = NULL;
		assert_int_equal(tl_tar_open(p, MTIME, &w, err, sizeof(err)), TL_OK);
		assert_int_equal(tl_tar_add_bytes(w, name, "x", 1, err, sizeof(err)), TL_OK);
		assert_int_equal(tl_tar_close(w, err, sizeof(err)), TL_OK);
		arch[k] = slurp(p, &len[k]);
		free(p);
	}
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(arch[0], arch[1], len[0]);
	free(arch[0]);
	free(arch[1]);
	assert_int_equal(mkdir(at(f, "out"), 0700), 0);
	char *tar = path_dup(f, "a.tar"), *out = path_dup(f, "out");
	assert_int_equal(tl_tar_extract(tar, out, err, sizeof(err)), TL_OK);
	free(tar);
	free(out);
	char rel[320];
	snprintf(rel, sizeof(rel), "out/%s", name);
	size_t n;
	uint8_t *got = slurp(at(f, rel), &n);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], 'x');
	free(got);
}

static void round_trip_through_extract(void **state)
{
	fixture_t *f = *state;
	make_sources(f);
	build(f, "case.tar", MTIME, NULL, NULL);
	assert_int_equal(mkdir(at(f, "dest"), 0700), 0);
	char err[512] = "";
	char *tar = path_dup(f, "case.tar"), *dest = path_dup(f, "dest");
	assert_int_equal(tl_tar_extract(tar, dest, err, sizeof(err)), TL_OK);
	free(tar);
	free(dest);

	const char *pairs[][2] = {
		{"dest/case.ini", "notes.log"},
		{"dest/inputs/dns/evidence.pcap", "evidence.pcap"},
	};
	for (size_t i = 0; i < 2; i++) {
		size_t la, lb;
		uint8_t *a = slurp(at(f, pairs[i][0]), &la);
		uint8_t *b = slurp(at(f, pairs[i][1]), &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
		struct stat st;
		assert_int_equal(stat(at(f, pairs[i][0]), &st), 0);
		assert_int_equal(st.st_mode & 07777, 0644); /* not the sources' 0751 / 0600 */
	}
	size_t lm;
	uint8_t *m = slurp(at(f, "dest/report/manifest.json"), &lm);
	assert_int_equal(lm, strlen(manifest));
	assert_memory_equal(m, manifest, lm);
	free(m);
	struct stat st;
	assert_int_equal(lstat(at(f, "dest/inputs/dns"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(count_entries(at(f, "dest")), 3);
	assert_int_equal(count_entries(at(f, "dest/inputs")), 1);

	/* dest must be empty. */
	tar = path_dup(f, "case.tar");
	dest = path_dup(f, "dest");
	assert_int_equal(tl_tar_extract(tar, dest, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "not empty"));
	free(tar);
	free(dest);
}

static void writer_refuses_bad_names(void **state)
{
	fixture_t *f = *state;
	char err[512] = "";
	char *tar = path_dup(f, "n.tar"), *log = path_dup(f, "notes.log");
	write_file(log, notes, strlen(notes));
	tl_tar_writer_t *w = NULL;
	assert_int_equal(tl_tar_open(tar, MTIME, &w, err, sizeof(err)), TL_OK);

	/* ".." by tl_tar_add_file, before the source is even opened. */
	assert_int_equal(tl_tar_add_file(w, "../x", log, NULL, NULL, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "\"../x\" refused: \"..\" component at offset 0"));
	assert_int_equal(tl_tar_add_file(w, "a/../b", "/nonexistent/tl", NULL, NULL, err,
					 sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "\"..\" component at offset 2"));

	static const struct {
		const char *name, *why;
	} bad[] = {
		{"/etc/x", "absolute name"},
		{"", "empty name"},
		{"a//b", "empty component at offset 2"},
		{"a/", "empty component at offset 2"},
		{"./a", "\".\" component at offset 0"},
		{"a/..", "\"..\" component at offset 2"},
		{"tab\there", "byte 0x09 at offset 3"},
		{"M\xc3\xbcller.pcap", "byte 0xc3 at offset 1"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(tl_tar_add_bytes(w, bad[i].name, "x", 1, err, sizeof(err)),
				 TL_EINVAL);
		assert_non_null(strstr(err, bad[i].why));
		assert_non_null(strstr(err, "n.tar"));
	}
	char deep[2 * TL_TAR_MAX_DEPTH + 2];
	for (int i = 0; i <= TL_TAR_MAX_DEPTH; i++) {
		deep[2 * i] = 'd';
		deep[2 * i + 1] = '/';
	}
	deep[2 * TL_TAR_MAX_DEPTH + 1] = '\0'; /* TL_TAR_MAX_DEPTH + 1 components */
	assert_int_equal(tl_tar_add_bytes(w, deep, "x", 1, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "components"));
	char *longname = malloc(TL_TAR_MAX_NAME + 2);
	assert_non_null(longname);
	memset(longname, 'l', TL_TAR_MAX_NAME + 1);
	longname[TL_TAR_MAX_NAME + 1] = '\0';
	assert_int_equal(tl_tar_add_bytes(w, longname, "x", 1, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "name of 4097 bytes"));
	free(longname);

	/* Duplicates, and members inside a file member. */
	assert_int_equal(tl_tar_add_bytes(w, "d/f", "1", 1, err, sizeof(err)), TL_OK);
	assert_int_equal(tl_tar_add_file(w, "d/f", log, NULL, NULL, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "\"d/f\" refused: already in the archive"));
	assert_int_equal(tl_tar_add_bytes(w, "d", "1", 1, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "already in the archive"));
	assert_int_equal(tl_tar_add_bytes(w, "d/f/g", "1", 1, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "\"d/f\" is a file"));

	/* Refusals left the writer usable and wrote nothing. */
	assert_int_equal(tl_tar_close(w, err, sizeof(err)), TL_OK);
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, tar, 10240), ARCHIVE_OK);
	struct archive_entry *e;
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
	assert_string_equal(archive_entry_pathname(e), "d/");
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
	assert_string_equal(archive_entry_pathname(e), "d/f");
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_EOF);
	archive_read_free(a);
	free(tar);
	free(log);
}

static void writer_reports_source_errors(void **state)
{
	fixture_t *f = *state;
	char err[512] = "";
	char *tar = path_dup(f, "s.tar"), *missing = path_dup(f, "missing.pcap");
	tl_tar_writer_t *w = NULL;

	assert_int_equal(tl_tar_open(tar, -1, &w, err, sizeof(err)), TL_EINVAL);
	assert_non_null(strstr(err, "archive time -1"));
	assert_int_equal(tl_tar_open(tar, TL_TAR_MAX_MTIME + 1, &w, err, sizeof(err)), TL_EINVAL);
	assert_int_equal(tl_tar_open("/nonexistent-dir/x.tar", MTIME, &w, err, sizeof(err)),
			 TL_ENOENT);
	assert_non_null(strstr(err, "/nonexistent-dir/x.tar: cannot create"));
	assert_null(w);

	assert_int_equal(tl_tar_open(tar, MTIME, &w, err, sizeof(err)), TL_OK);
	uint64_t size = 77;
	assert_int_equal(tl_tar_add_file(w, "m.pcap", missing, NULL, &size, err, sizeof(err)),
			 TL_ENOENT);
	assert_non_null(strstr(err, missing));
	assert_int_equal(size, 77); /* untouched on failure */
	assert_int_equal(tl_tar_add_file(w, "dir", f->dir, NULL, NULL, err, sizeof(err)),
			 TL_EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	/* Still usable after those. */
	assert_int_equal(tl_tar_add_bytes(w, "ok", "1", 1, err, sizeof(err)), TL_OK);

	/* A file whose length fstat gets wrong (0 for /proc files, which read longer) is
	 * caught like a file that grows while it is copied. */
	if (exists("/proc/self/stat")) {
		assert_int_equal(tl_tar_add_file(w, "stat", "/proc/self/stat", NULL, NULL, err,
						 sizeof(err)), TL_EIO);
		assert_non_null(strstr(err, "/proc/self/stat: file changed length"));
		assert_int_equal(tl_tar_add_bytes(w, "more", "1", 1, err, sizeof(err)),
				 TL_EINVAL);
		assert_non_null(strstr(err, "unusable"));
		assert_int_equal(tl_tar_close(w, err, sizeof(err)), TL_EINVAL);
		assert_non_null(strstr(err, "unfinished"));
	} else {
		tl_tar_abort(w);
	}
	free(tar);
	free(missing);
	assert_int_equal(tl_tar_close(NULL, err, sizeof(err)), TL_EINVAL);
	tl_tar_abort(NULL);
	assert_non_null(strstr(tl_tar_libarchive_version(), "libarchive 3."));
}

/* Hostile archives, written with libarchive's own writer, which stores names as given. */
enum { T_FILE, T_DIR, T_SYMLINK, T_HARDLINK, T_CHARDEV };
struct member {
	const char *name;
	int type;
	const char *data; /* file contents; link target */
};

static void write_hostile(const char *path, const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_copy_pathname(e, m[i].name);
		archive_entry_set_perm(e, 04777);
		archive_entry_set_mtime(e, MTIME, 0);
		size_t len = 0;
		switch (m[i].type) {
		case T_FILE:
			archive_entry_set_filetype(e, AE_IFREG);
			len = strlen(m[i].data);
			break;
		case T_DIR: archive_entry_set_filetype(e, AE_IFDIR); break;
		case T_SYMLINK:
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_copy_symlink(e, m[i].data);
			break;
		case T_HARDLINK:
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_copy_hardlink(e, m[i].data);
			break;
		case T_CHARDEV:
			archive_entry_set_filetype(e, AE_IFCHR);
			archive_entry_set_rdev(e, 259);
			break;
		}
		archive_entry_set_size(e, (la_int64_t)len);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (len)
			assert_int_equal(archive_write_data(a, m[i].data, len), (la_ssize_t)len);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* Extracts the fixture's h.tar into a fresh dest and returns the code; err filled. */
static int extract_hostile(fixture_t *f, const struct member *m, size_t n, size_t max,
			   char *err, size_t errlen)
{
	char *tar = path_dup(f, "h.tar"), *dest = path_dup(f, "dest");
	if (exists(dest))
		assert_int_equal(tl_tar_rmtree(dest), TL_OK);
	assert_int_equal(mkdir(dest, 0700), 0);
	if (m)
		write_hostile(tar, m, n);
	err[0] = '\0';
	int r = tl_tar_extract_max(tar, dest, max, err, errlen);
	free(tar);
	free(dest);
	/* Nothing outside dest: the fixture holds only the archive and dest. */
	assert_int_equal(count_entries(f->dir), 2);
	return r;
}

#define N(x) (sizeof(x) / sizeof((x)[0]))

static void extract_refuses_hostile_archives(void **state)
{
	fixture_t *f = *state;
	char err[1024];

	const struct member dotdot[] = {{"../escape", T_FILE, "pwned"}};
	assert_int_equal(extract_hostile(f, dotdot, 1, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "h.tar: entry 1 (\"../escape\") at byte 0: refused name: "
				    "\"..\" component"));

	const struct member deeper[] = {
		{"ok/", T_DIR, NULL}, {"ok/a.txt", T_FILE, "fine"}, {"ok/../../up", T_FILE, "x"},
	};
	assert_int_equal(extract_hostile(f, deeper, N(deeper), 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 3 (\"ok/../../up\") at byte 1536"));
	assert_true(exists(at(f, "dest/ok/a.txt"))); /* what was extracted stays */

	/* An absolute name pointing into the fixture (not /etc, in case we run as root). */
	char abs_name[128];
	int an = snprintf(abs_name, sizeof(abs_name), "%s/abs_victim", f->dir);
	assert_true(an > 0 && (size_t)an < sizeof(abs_name));
	const struct member absolute[] = {{abs_name, T_FILE, "pwned"}};
	assert_int_equal(extract_hostile(f, absolute, 1, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "absolute name"));
	assert_non_null(strstr(err, "abs_victim"));
	const struct member etc[] = {{"/etc/x", T_FILE, "pwned"}};
	assert_int_equal(extract_hostile(f, etc, 1, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 1 (\"/etc/x\")"));

	const struct member symlink_then_through[] = {
		{"a.txt", T_FILE, "fine"}, {"link", T_SYMLINK, ".."}, {"link/pwned", T_FILE, "x"},
	};
	assert_int_equal(extract_hostile(f, symlink_then_through, 3, 10, err, sizeof(err)),
			 TL_EFORMAT);
	assert_non_null(strstr(err, "entry 2 (\"link\") at byte 1024: refused symbolic link"));
	assert_true(exists(at(f, "dest/a.txt")));
	assert_false(exists(at(f, "dest/link")));

	const struct member hardlink[] = {{"a.txt", T_FILE, "fine"}, {"b", T_HARDLINK, "a.txt"}};
	assert_int_equal(extract_hostile(f, hardlink, 2, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 2 (\"b\")"));
	assert_non_null(strstr(err, "refused hard link to \"a.txt\""));
	assert_false(exists(at(f, "dest/b")));

	const struct member dev[] = {{"dev", T_CHARDEV, NULL}};
	assert_int_equal(extract_hostile(f, dev, 1, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "refused character device"));

	const struct member dup[] = {
		{"a.txt", T_FILE, "first"}, {"x/", T_DIR, NULL}, {"./a.txt", T_FILE, "second"},
	};
	assert_int_equal(extract_hostile(f, dup, 3, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 3 (\"./a.txt\")"));
	assert_non_null(strstr(err, "refused duplicate name"));
	size_t len;
	uint8_t *got = slurp(at(f, "dest/a.txt"), &len);
	assert_int_equal(len, 5);
	assert_memory_equal(got, "first", 5); /* not overwritten */
	free(got);

	const struct member file_as_dir[] = {{"a", T_FILE, "file"}, {"a/b", T_FILE, "x"}};
	assert_int_equal(extract_hostile(f, file_as_dir, 2, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 2 (\"a/b\")"));
	assert_non_null(strstr(err, "\"a\" is not a directory"));

	const struct member four[] = {
		{"1", T_FILE, "1"}, {"2", T_FILE, "2"}, {"3", T_FILE, "3"}, {"4", T_FILE, "4"},
	};
	assert_int_equal(extract_hostile(f, four, 4, 3, err, sizeof(err)), TL_ELIMIT);
	assert_non_null(strstr(err, "entry 4 (\"4\")"));
	assert_non_null(strstr(err, "more than 3 entries"));
	assert_int_equal(count_entries(at(f, "dest")), 3);
	assert_int_equal(extract_hostile(f, four, 4, 4, err, sizeof(err)), TL_OK);

	/* A name longer than TL_TAR_MAX_NAME (stored in a pax header), quoted shortened. */
	char *longname = malloc(TL_TAR_MAX_NAME + 2);
	assert_non_null(longname);
	for (size_t i = 0; i <= TL_TAR_MAX_NAME; i++)
		longname[i] = i % 100 == 99 ? '/' : 'q';
	longname[TL_TAR_MAX_NAME + 1] = '\0';
	const struct member toolong[] = {{longname, T_FILE, "x"}};
	assert_int_equal(extract_hostile(f, toolong, 1, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "name of 4097 bytes, more than 4096"));
	assert_true(strlen(err) < 600);
	free(longname);

	/* Control characters in a name are refused and escaped in the message. */
	const struct member ctl[] = {{"evil\033[2Jname", T_FILE, "x"}};
	assert_int_equal(extract_hostile(f, ctl, 1, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "evil\\x1b[2Jname"));
	assert_null(strchr(err, '\033'));
}

static void extract_refuses_truncated_and_foreign_files(void **state)
{
	fixture_t *f = *state;
	char err[1024];
	char big[2000];
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const struct member one[] = {{"small", T_FILE, "s"}, {"big.bin", T_FILE, big}};
	char *tar = path_dup(f, "h.tar");
	write_hostile(tar, one, 2);
	/* Cut in the middle of big.bin's data (its header is at 1024, data at 1536). */
	assert_int_equal(truncate(tar, 1536 + 1000), 0);
	assert_int_equal(extract_hostile(f, NULL, 0, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 2 (\"big.bin\") at byte 1024: data:"));
	assert_non_null(strstr(err, "runcated"));
	/* Cut inside the second header. */
	write_hostile(tar, one, 2);
	assert_int_equal(truncate(tar, 1024 + 300), 0);
	assert_int_equal(extract_hostile(f, NULL, 0, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "h.tar: entry 2 at byte 1024"));
	/* A damaged header checksum. */
	write_hostile(tar, one, 2);
	FILE *fp = fopen(tar, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 1024 + 148, SEEK_SET), 0);
	fputc('7', fp);
	fclose(fp);
	assert_int_equal(extract_hostile(f, NULL, 0, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "entry 2 at byte 1024"));
	free(tar);

	/* Not a tar at all. */
	tar = path_dup(f, "h.tar");
	write_file(tar, "just text, long enough to have no ustar magic\n", 46);
	assert_false(tl_tar_is_tar(tar));
	assert_int_equal(extract_hostile(f, NULL, 0, 10, err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "h.tar"));
	write_hostile(tar, one, 1);
	assert_true(tl_tar_is_tar(tar));
	free(tar);
	assert_false(tl_tar_is_tar(at(f, "no-such-file")));
}

static void extract_accepts_other_tars_layout(void **state)
{
	fixture_t *f = *state;
	char err[1024];
	/* As GNU tar writes "tar -C dir -cf x.tar .": "./" prefixes, directories after
	 * their files, stored modes ignored. */
	const struct member m[] = {
		{"./", T_DIR, NULL},           {"./a/b/c.txt", T_FILE, "deep"},
		{"./a/", T_DIR, NULL},         {"./a/b/", T_DIR, NULL},
		{"./top.txt", T_FILE, "top"},
	};
	assert_int_equal(extract_hostile(f, m, N(m), 10, err, sizeof(err)), TL_OK);
	size_t len;
	uint8_t *got = slurp(at(f, "dest/a/b/c.txt"), &len);
	assert_int_equal(len, 4);
	assert_memory_equal(got, "deep", 4);
	free(got);
	struct stat st;
	assert_int_equal(stat(at(f, "dest/top.txt"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644); /* stored 04777 */
}

static void rmtree_does_not_follow_links(void **state)
{
	fixture_t *f = *state;
	assert_int_equal(mkdir(at(f, "keep"), 0700), 0);
	write_file(at(f, "keep/precious"), "p", 1);
	assert_int_equal(mkdir(at(f, "tree"), 0700), 0);
	assert_int_equal(mkdir(at(f, "tree/a"), 0700), 0);
	assert_int_equal(mkdir(at(f, "tree/a/b"), 0700), 0);
	write_file(at(f, "tree/a/b/f"), "f", 1);
	write_file(at(f, "tree/g"), "g", 1);
	char *keep = path_dup(f, "keep");
	assert_int_equal(symlink(keep, at(f, "tree/a/tolink")), 0);
	assert_int_equal(symlink(keep, at(f, "linkdir")), 0);
	assert_int_equal(tl_tar_rmtree(at(f, "tree")), TL_OK);
	assert_false(exists(at(f, "tree")));
	/* A link given as dir is removed itself. */
	assert_int_equal(tl_tar_rmtree(at(f, "linkdir")), TL_OK);
	assert_false(exists(at(f, "linkdir")));
	assert_true(exists(at(f, "keep/precious")));
	assert_int_equal(tl_tar_rmtree(at(f, "tree")), TL_ENOENT);
	free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_members_with_fixed_metadata, setup,
						teardown),
		cmocka_unit_test_setup_teardown(same_inputs_give_same_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(long_names_stay_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip_through_extract, setup, teardown),
		cmocka_unit_test_setup_teardown(writer_refuses_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(writer_reports_source_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(extract_refuses_hostile_archives, setup, teardown),
		cmocka_unit_test_setup_teardown(extract_refuses_truncated_and_foreign_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(extract_accepts_other_tars_layout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rmtree_does_not_follow_links, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
