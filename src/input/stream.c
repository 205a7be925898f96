/* stream.c - the hashing, optionally gunzipping reader behind every input.
 *
 * The SHA-256 covers exactly the bytes stored on disk (the compressed bytes of
 * a .gz), fed to the hash in the order they are read; after the parser stops,
 * the rest of the file is read and hashed too, so the digest always covers the
 * whole file and matches sha256sum. */
#include "input/stream.h"
#include "util/error.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_BUF 65536
#define PEEK_MAX 4096

struct tl_stream {
	int fd;
	tl_sha256_t *sha;
	uint64_t raw_bytes;
	int raw_eof;
	int io_error;
	int gzip;
	int gz_done;    /* decompression ended (end of data or damage) */
	int gz_damaged;
	z_stream z;
	uint8_t raw[RAW_BUF];
	uint8_t peek[PEEK_MAX];
	size_t peek_len, peek_off;
	FILE *fp;
};

/* Reads raw bytes from the file, hashing them. Returns bytes read, 0 at EOF/error. */
static size_t raw_read(tl_stream_t *s, uint8_t *buf, size_t n)
{
	if (s->raw_eof)
		return 0;
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r > 0) {
			tl_sha256_update(s->sha, buf, (size_t)r);
			s->raw_bytes += (uint64_t)r;
			return (size_t)r;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			s->io_error = 1;
		s->raw_eof = 1;
		return 0;
	}
}

/* Decompressed (or plain) content into buf; returns bytes, 0 at end. */
static size_t content_read(tl_stream_t *s, uint8_t *buf, size_t n)
{
	if (!s->gzip)
		return raw_read(s, buf, n);
	if (s->gz_done)
		return 0;
	s->z.next_out = buf;
	s->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
	while (s->z.avail_out > 0) {
		if (s->z.avail_in == 0) {
			size_t r = raw_read(s, s->raw, RAW_BUF);
			if (r == 0) {
				/* the file ended inside a gzip member: truncated */
				s->gz_damaged = 1;
				s->gz_done = 1;
				break;
			}
			s->z.next_in = s->raw;
			s->z.avail_in = (uInt)r;
		}
		int rc = inflate(&s->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* RFC 1952 2.2: a gzip file may hold several members; anything
			 * else after a member is damage (counted, then hashed and ignored) */
			if (s->z.avail_in == 0) {
				size_t r = raw_read(s, s->raw, RAW_BUF);
				s->z.next_in = s->raw;
				s->z.avail_in = (uInt)r;
			}
			if (s->z.avail_in == 0) {
				s->gz_done = 1;
				break;
			}
			if (s->z.avail_in >= 1 && s->z.next_in[0] != 0x1f) {
				s->gz_damaged = 1;
				s->gz_done = 1;
				break;
			}
			inflateReset(&s->z);
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			s->gz_damaged = 1;
			s->gz_done = 1;
			break;
		}
		if (rc == Z_BUF_ERROR && s->z.avail_in != 0)
			break; /* no progress possible with this output space */
	}
	return n - s->z.avail_out;
}

static ssize_t cookie_read(void *cookie, char *buf, size_t n)
{
	tl_stream_t *s = cookie;
	size_t done = 0;
	if (s->peek_off < s->peek_len) {
		size_t k = s->peek_len - s->peek_off;
		if (k > n)
			k = n;
		memcpy(buf, s->peek + s->peek_off, k);
		s->peek_off += k;
		done = k;
	}
	while (done < n) {
		size_t r = content_read(s, (uint8_t *)buf + done, n - done);
		if (r == 0)
			break;
		done += r;
	}
	return (ssize_t)done;
}

int tl_stream_open(const char *path, tl_stream_t **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tl_errno_to_err(errno);
	tl_stream_t *s = tl_xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->sha = tl_sha256_new();
	/* RFC 1952 2.3.1: a gzip member starts 1f 8b 08 */
	size_t r = raw_read(s, s->raw, 3);
	while (r < 3 && !s->raw_eof) {
		size_t k = raw_read(s, s->raw + r, 3 - r);
		r += k;
	}
	if (s->io_error) {
		int e = TL_EIO;
		tl_stream_close(s);
		return e;
	}
	if (r == 3 && s->raw[0] == 0x1f && s->raw[1] == 0x8b && s->raw[2] == 0x08) {
		s->gzip = 1;
		if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
			tl_stream_close(s);
			return TL_ENOMEM;
		}
		s->z.next_in = s->raw;
		s->z.avail_in = (uInt)r;
	} else {
		memcpy(s->peek, s->raw, r);
		s->peek_len = r;
	}
	*out = s;
	return TL_OK;
}

int tl_stream_is_gzip(const tl_stream_t *s)
{
	return s->gzip;
}

size_t tl_stream_peek(tl_stream_t *s, void *buf, size_t n)
{
	if (n > PEEK_MAX)
		n = PEEK_MAX;
	while (s->peek_len < n) {
		size_t r = content_read(s, s->peek + s->peek_len, n - s->peek_len);
		if (r == 0)
			break;
		s->peek_len += r;
	}
	size_t k = s->peek_len < n ? s->peek_len : n;
	memcpy(buf, s->peek, k);
	return k;
}

FILE *tl_stream_file(tl_stream_t *s)
{
	if (!s->fp) {
		cookie_io_functions_t io = {.read = cookie_read};
		s->fp = fopencookie(s, "r", io);
		if (!s->fp) {
			fprintf(stderr, "tealeaves: cannot create stream: %s\n", strerror(errno));
			abort();
		}
	}
	return s->fp;
}

void tl_stream_file_closed(tl_stream_t *s)
{
	s->fp = NULL;
}

int tl_stream_finish(tl_stream_t *s, uint64_t *size, uint8_t sha[TL_SHA256_LEN])
{
	while (raw_read(s, s->raw, RAW_BUF) > 0)
		;
	*size = s->raw_bytes;
	tl_sha256_final(s->sha, sha);
	return s->io_error ? TL_EIO : TL_OK;
}

int tl_stream_gzip_damaged(const tl_stream_t *s)
{
	return s->gz_damaged;
}

void tl_stream_close(tl_stream_t *s)
{
	if (!s)
		return;
	if (s->fp)
		fclose(s->fp);
	if (s->gzip)
		inflateEnd(&s->z);
	close(s->fd);
	tl_sha256_free(s->sha);
	free(s);
}

const char *tl_stream_zlib_version(void)
{
	return zlibVersion();
}
