/* sha256.c - the only user of OpenSSL's digest API. */
#include "util/sha256.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct tl_sha256 {
	EVP_MD_CTX *ctx;
};

static void fail(const char *what)
{
	fprintf(stderr, "tealeaves: OpenSSL SHA-256 %s failed\n", what);
	abort();
}

tl_sha256_t *tl_sha256_new(void)
{
	tl_sha256_t *s = malloc(sizeof(*s));
	if (!s)
		fail("allocation");
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1)
		fail("init");
	return s;
}

void tl_sha256_update(tl_sha256_t *s, const void *data, size_t len)
{
	if (len && EVP_DigestUpdate(s->ctx, data, len) != 1)
		fail("update");
}

void tl_sha256_final(tl_sha256_t *s, uint8_t out[TL_SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(s->ctx, out, &n) != 1 || n != TL_SHA256_LEN)
		fail("final");
}

void tl_sha256_free(tl_sha256_t *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->ctx);
	free(s);
}

void tl_sha256_hex(const uint8_t digest[TL_SHA256_LEN], char hex[TL_SHA256_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < TL_SHA256_LEN; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

void tl_sha256(const void *data, size_t len, uint8_t out[TL_SHA256_LEN])
{
	tl_sha256_t *s = tl_sha256_new();
	tl_sha256_update(s, data, len);
	tl_sha256_final(s, out);
	tl_sha256_free(s);
}

const char *tl_sha256_openssl_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

int tl_sha256_file(const char *path, uint64_t *size, char hex[TL_SHA256_HEX_LEN])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return tl_errno_to_err(errno);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return TL_EINVAL;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	tl_sha256_t *s = tl_sha256_new();
	unsigned char buf[1 << 16];
	uint64_t total = 0;
	int bad = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			bad = n < 0;
			break;
		}
		tl_sha256_update(s, buf, (size_t)n);
		total += (uint64_t)n;
	}
	close(fd);
	uint8_t d[TL_SHA256_LEN];
	tl_sha256_final(s, d);
	tl_sha256_free(s);
	if (bad) {
		errno = EIO;
		return TL_EIO;
	}
	*size = total;
	tl_sha256_hex(d, hex);
	return TL_OK;
}
