/* cursor.h - the one way to read untrusted bytes: a bounds-checked reader.
 *
 * A cursor's error, once set, stays set; reads past the end return zeros and
 * set the error, so a parser can read a whole header and check once. */
#ifndef TL_UTIL_CURSOR_H
#define TL_UTIL_CURSOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct tl_cursor {
	const uint8_t *data; /* not owned */
	size_t len;          /* bytes available (the captured length) */
	size_t pos;
	int err;             /* non-zero once any read went past the end */
} tl_cursor_t;

static inline void tl_cur_init(tl_cursor_t *c, const uint8_t *data, size_t len)
{
	c->data = data;
	c->len = data ? len : 0;
	c->pos = 0;
	c->err = 0;
}

static inline size_t tl_cur_left(const tl_cursor_t *c)
{
	return c->err ? 0 : c->len - c->pos;
}

static inline int tl_cur_ok(const tl_cursor_t *c)
{
	return !c->err;
}

static inline int tl_cur_need(tl_cursor_t *c, size_t n)
{
	if (c->err || c->len - c->pos < n) {
		c->err = 1;
		return 0;
	}
	return 1;
}

static inline uint8_t tl_cur_u8(tl_cursor_t *c)
{
	if (!tl_cur_need(c, 1))
		return 0;
	return c->data[c->pos++];
}

/* Network byte order (big-endian). */
static inline uint16_t tl_cur_u16(tl_cursor_t *c)
{
	if (!tl_cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)((c->data[c->pos] << 8) | c->data[c->pos + 1]);
	c->pos += 2;
	return v;
}

static inline uint32_t tl_cur_u32(tl_cursor_t *c)
{
	if (!tl_cur_need(c, 4))
		return 0;
	const uint8_t *p = c->data + c->pos;
	c->pos += 4;
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Little-endian, for link headers written in host order (BSD null). */
static inline uint32_t tl_cur_u32le(tl_cursor_t *c)
{
	if (!tl_cur_need(c, 4))
		return 0;
	const uint8_t *p = c->data + c->pos;
	c->pos += 4;
	return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

/* Returns a pointer to the next n bytes and advances, or NULL (and sets the error). */
static inline const uint8_t *tl_cur_ptr(tl_cursor_t *c, size_t n)
{
	if (!tl_cur_need(c, n))
		return NULL;
	const uint8_t *p = c->data + c->pos;
	c->pos += n;
	return p;
}

static inline void tl_cur_skip(tl_cursor_t *c, size_t n)
{
	(void)tl_cur_ptr(c, n);
}

/* Copies n bytes into out (zero-filled on error). */
static inline void tl_cur_copy(tl_cursor_t *c, void *out, size_t n)
{
	const uint8_t *p = tl_cur_ptr(c, n);
	uint8_t *o = out;
	for (size_t i = 0; i < n; i++)
		o[i] = p ? p[i] : 0;
}

/* Moves to an absolute offset within the data. */
static inline void tl_cur_seek(tl_cursor_t *c, size_t pos)
{
	if (c->err || pos > c->len) {
		c->err = 1;
		return;
	}
	c->pos = pos;
}

/* A sub-cursor over the next n bytes (clamped to what is there; err set if short). */
static inline tl_cursor_t tl_cur_sub(tl_cursor_t *c, size_t n)
{
	tl_cursor_t s;
	size_t avail = tl_cur_left(c);
	size_t take = n < avail ? n : avail;
	tl_cur_init(&s, c->err ? NULL : c->data + c->pos, take);
	if (take < n)
		s.err = 0; /* the sub-cursor itself is valid; caller learns shortness from c */
	tl_cur_skip(c, take);
	if (take < n)
		c->err = 1;
	return s;
}

#endif
