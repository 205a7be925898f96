/* sha256.h - SHA-256 through OpenSSL's EVP interface (never hand-written). */
#ifndef TL_UTIL_SHA256_H
#define TL_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define TL_SHA256_LEN 32
#define TL_SHA256_HEX_LEN 65 /* 64 hex digits and NUL */

typedef struct tl_sha256 tl_sha256_t;

/* Returns a new context, freed with tl_sha256_free; aborts on OOM. */
tl_sha256_t *tl_sha256_new(void);
void tl_sha256_update(tl_sha256_t *s, const void *data, size_t len);
/* Writes the digest; the context may not be updated afterwards. */
void tl_sha256_final(tl_sha256_t *s, uint8_t out[TL_SHA256_LEN]);
void tl_sha256_free(tl_sha256_t *s);
/* Lower-case hex of a digest into hex (65 bytes). */
void tl_sha256_hex(const uint8_t digest[TL_SHA256_LEN], char hex[TL_SHA256_HEX_LEN]);
/* One-shot helper. */
void tl_sha256(const void *data, size_t len, uint8_t out[TL_SHA256_LEN]);

/* SHA-256 and size of the regular file at path, streamed. The file is opened
 * without blocking and checked to be a regular file before a byte is read, so a
 * FIFO or device in its place cannot hang the caller. Returns TL_OK, or a TL_E* code
 * with errno set for the caller's message: TL_EINVAL (EINVAL) for what is not a regular
 * file, TL_EIO (EIO) for a read that failed, else the code of open's errno. */
int tl_sha256_file(const char *path, uint64_t *size, char hex[TL_SHA256_HEX_LEN]);

/* Version of OpenSSL in use (run time), e.g. "OpenSSL 3.0.19 27 Jan 2026". */
const char *tl_sha256_openssl_version(void);

#endif
