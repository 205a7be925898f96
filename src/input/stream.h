/* stream.h - an input file as a FILE*: gunzips if needed and hashes the stored
 * bytes as they are read, so parsing and hashing happen in one pass. */
#ifndef TL_INPUT_STREAM_H
#define TL_INPUT_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/sha256.h"

typedef struct tl_stream tl_stream_t;

/* Opens path. Returns TL_OK and *out, or TL_ENOENT/TL_EACCES/TL_EIO (errno kept
 * for messages). */
int tl_stream_open(const char *path, tl_stream_t **out);

/* 1 if the stored file is gzip-compressed (decided at open). */
int tl_stream_is_gzip(const tl_stream_t *s);

/* Copies up to n bytes of the (decompressed) content's beginning into buf
 * without consuming them; returns how many. Only before tl_stream_file. */
size_t tl_stream_peek(tl_stream_t *s, void *buf, size_t n);

/* The content as a read-only FILE* (owned by the stream; do not fclose it). */
FILE *tl_stream_file(tl_stream_t *s);

/* Tells the stream that its FILE* was closed by someone else (libpcap's
 * pcap_close() closes the FILE it read from). */
void tl_stream_file_closed(tl_stream_t *s);

/* Reads and hashes whatever the parser did not consume, then writes the stored
 * size and SHA-256. Returns TL_OK or TL_EIO (read error). */
int tl_stream_finish(tl_stream_t *s, uint64_t *size, uint8_t sha[TL_SHA256_LEN]);

/* 1 if the compressed stream was damaged or had trailing garbage (counted by the caller). */
int tl_stream_gzip_damaged(const tl_stream_t *s);

/* Closes the file; safe on NULL. */
void tl_stream_close(tl_stream_t *s);

/* Version of zlib in use (run time). */
const char *tl_stream_zlib_version(void);

#endif
