/* tarball.h - deterministic tar archives of a case, and their safe extraction (libarchive). */
#ifndef TL_PROVENANCE_TAR_H
#define TL_PROVENANCE_TAR_H

#include <stddef.h>
#include <stdint.h>

/* Limits on member names and on archives read by tl_tar_extract. */
#define TL_TAR_MAX_NAME 4096       /* bytes in a member name */
#define TL_TAR_MAX_DEPTH 128       /* components in a member name */
#define TL_TAR_MAX_ENTRIES 100000  /* entries in an extracted archive */
/* Largest mtime we write: what the 12-byte ustar mtime field holds (8^11 - 1, in 2242),
 * so no entry ever needs a pax header for its time. */
#define TL_TAR_MAX_MTIME INT64_C(077777777777)

/* Member names (writing and extracting): printable ASCII (0x20-0x7e), relative, '/'
 * between components, no empty, "." or ".." component, at most TL_TAR_MAX_NAME bytes and
 * TL_TAR_MAX_DEPTH components. Other names cannot be written the same way in every locale
 * by libarchive, so callers map them (e.g. "inputs/3.pcap") and record the original name in
 * the manifest. Extraction also accepts "." components and a trailing '/' on directories,
 * which other tar programs write. */

typedef struct tl_tar_writer tl_tar_writer_t;

/* Starts an archive written to path (created or truncated, mode 0644; the caller passes a
 * temporary name and renames it on success). Every entry gets mtime (UTC seconds,
 * 0..TL_TAR_MAX_MTIME, the report's date: never the clock), uid/gid 0, no user/group names,
 * mode 0644 (directories 0755), and the format is POSIX pax restricted: plain ustar unless a
 * name longer than ustar holds or a file of 8 GiB or more needs a pax header. No
 * atime/ctime. So the same files under the same names give the same archive bytes.
 * Intermediate directories get their own entry just before the first member under them.
 * On success *out is the writer, finished with tl_tar_close or tl_tar_abort. */
int tl_tar_open(const char *path, int64_t mtime, tl_tar_writer_t **out, char *err, size_t errlen);

/* Adds the regular file at src as member name (see the rules above; a refused name, a
 * name already in the archive or a name under a file member is TL_EINVAL). Streams the file
 * in chunks; computes its SHA-256 and size while copying and writes them to sha256 and
 * size (either may be NULL) on success. The size is taken with fstat on the opened file;
 * if the file's length changes while it is copied, that is TL_EIO naming the file. After a
 * refused name or a source that cannot be opened the writer is still usable; after any
 * other error it can only be aborted. */
int tl_tar_add_file(tl_tar_writer_t *w, const char *name, const char *src,
		    uint8_t sha256[32], uint64_t *size, char *err, size_t errlen);

/* Adds len bytes at data as the regular file member name (same name rules). */
int tl_tar_add_bytes(tl_tar_writer_t *w, const char *name, const void *data, size_t len,
		     char *err, size_t errlen);

/* Writes the end of the archive, flushes it to disk (fsync) and closes the file; frees w in
 * every case (NULL is TL_EINVAL). Fails if an earlier call left the archive unfinished. */
int tl_tar_close(tl_tar_writer_t *w, char *err, size_t errlen);

/* Frees w (may be NULL) after an error without finishing the archive; the caller removes
 * the file. */
void tl_tar_abort(tl_tar_writer_t *w);

/* 1 when the file at path starts like a tar archive ("ustar" at offset 257, POSIX.1-2017
 * pax "ustar Interchange Format"; GNU tar's "ustar " too), else 0 (also when unreadable). */
int tl_tar_is_tar(const char *path);

/* Extracts the tar archive at path into dest, an existing empty directory. Regular files
 * and directories only; refuses, with an error naming the archive, the entry (1-based
 * number, escaped name) and the byte offset of its header: names breaking the rules above
 * (absolute, "..", too long or deep), symbolic links, hard links, devices, FIFOs, sparse
 * files, duplicate names, a file where a directory is needed, more than TL_TAR_MAX_ENTRIES
 * entries, and damaged or truncated archives (libarchive's own checks, including the
 * header checksum). Compressed archives are not read. Every path is created by walking
 * from dest with O_NOFOLLOW, files with O_EXCL, so nothing is written outside dest even if
 * a symbolic link appears there. Files are created 0644 and directories 0755 (less the
 * umask) whatever mode is stored. On error, what was extracted stays (the caller removes
 * dest with tl_tar_rmtree). Returns TL_EFORMAT for a refused archive, TL_ELIMIT for the
 * entry cap, TL_EIO/TL_ENOENT/TL_EACCES for files that cannot be read or written. */
int tl_tar_extract(const char *path, const char *dest, char *err, size_t errlen);

/* tl_tar_extract with another cap on the number of entries (for tests). */
int tl_tar_extract_max(const char *path, const char *dest, size_t max_entries, char *err,
		       size_t errlen);

/* Removes dir and everything under it (for the caller's temporary directories). Never
 * follows a symbolic link: links are removed, not their targets (dir itself too). Returns
 * TL_OK or the TL_E* code of the first failure (it goes on removing what it can). */
int tl_tar_rmtree(const char *dir);

/* The libarchive version in use at run time, e.g. "libarchive 3.6.2"; static string. */
const char *tl_tar_libarchive_version(void);

#endif
