/* file.h - whole files: reading one with a bound on its size, and writing an output file
 * without harming what stands at its path: nothing or a regular file is replaced through
 * a temporary file beside it, renamed on success; anything else (a symbolic link, a
 * directory, a device, a FIFO, a socket) is refused. */
#ifndef TL_UTIL_FILE_H
#define TL_UTIL_FILE_H

#include <stddef.h>

#include "util/buf.h"

/* Reads a whole regular file of at most cap bytes into *data (NUL-terminated, caller frees).
 * The file is opened without blocking, so a FIFO in its place is refused, not waited on.
 * Returns TL_OK, TL_ENOENT, TL_EACCES, TL_EIO (errno says why: EISDIR, EINVAL for
 * another non-regular file, or the read's error), or TL_ELIMIT when larger than cap.
 * The buffer is allocated once for the size the file has when opened, so a secret read
 * with it (a private key) leaves no copies behind in freed memory unless the file grows. */
int tl_file_read(const char *path, size_t cap, char **data, size_t *len);

/* tl_file_read into out (its old bytes freed), with errno set for a message in every
 * failure: EFBIG when larger than cap, ENOENT and EACCES for those codes, else as
 * tl_file_read left it. Returns tl_file_read's code. */
int tl_file_read_buf(const char *path, size_t cap, tl_buf_t *out);

/* The same for a file that may also be a FIFO, a pipe or a device (a key given as
 * <(pass show key), say): opened blocking, as fopen would, and read to its end. Only a
 * directory is refused (TL_EIO, errno EISDIR). For inputs that are read once; what must
 * be read again later (an input to hash again) takes tl_file_read. */
int tl_file_read_any(const char *path, size_t cap, char **data, size_t *len);

/* The name that means standard output where a command allows it. */
#define TL_OUTFILE_STDOUT "-"

/*
 * Checks that path may be written: nothing stands there and its folder is a folder, or a
 * regular file stands there (not through a symbolic link: the link itself is refused,
 * since replacing it would change what it stood for, and writing through it would write
 * elsewhere). Returns TL_OK, or TL_EINVAL with why[] saying what stands there ("is a
 * symbolic link", "is a directory", "is a device", "is a FIFO", "is a socket"), or the code
 * of the failed lstat (TL_ENOENT when its folder does not exist, TL_EACCES) with why[] from
 * strerror. why may be NULL.
 */
int tl_file_out_check(const char *path, char *why, size_t whylen);

/*
 * Writes data[0..len) to path: checks it (above), creates a temporary file exclusively in
 * the same folder (so the rename stays on one file system and replaces in one step), with
 * the mode a new file would get (0666 less the umask), writes, syncs, checks path again,
 * renames the temporary file over it and syncs the folder. On any failure the temporary
 * file is removed, what stood at path is untouched, why[] says what failed, and the
 * return is a TL_E* code (errno is left as the failing call set it). Not for concurrent use
 * from threads (it reads the umask by setting it).
 */
int tl_file_out_write(const char *path, const void *data, size_t len, char *why, size_t whylen);

/*
 * For writers that make the file themselves (an archive library, say): checks path and
 * creates an empty temporary file beside it; *tmp (malloc'd, the caller frees) is its
 * name. The caller writes to *tmp and then calls tl_file_out_commit, or unlinks *tmp.
 */
int tl_file_out_begin(const char *path, char **tmp, char *why, size_t whylen);

/* Syncs tmp, checks path again and renames tmp over it, then syncs the folder. On failure
 * tmp is removed. Returns TL_OK or a TL_E* code with why[] filled. */
int tl_file_out_commit(const char *tmp, const char *path, char *why, size_t whylen);

#endif
