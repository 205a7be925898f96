/* strmap.c - open addressing with linear probing; keys are owned copies. */
#include "util/strmap.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
	char *key; /* NULL: empty */
	size_t len;
	uint64_t hash;
	uint32_t value;
} slot_t;

struct tl_strmap {
	slot_t *slots;
	size_t cap; /* power of two */
	size_t n;
};

/* A 64-bit hash of bytes, stable across runs and platforms. */
static uint64_t hash_bytes(const void *data, size_t len)
{
	/* FNV-1a, then a final avalanche so that low bits are usable as an index */
	const uint8_t *p = data;
	uint64_t h = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(1099511628211);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

tl_strmap_t *tl_strmap_new(void)
{
	tl_strmap_t *m = tl_xcalloc(1, sizeof(*m));
	m->cap = 64;
	m->slots = tl_xcalloc(m->cap, sizeof(slot_t));
	return m;
}

void tl_strmap_free(tl_strmap_t *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static slot_t *find(const tl_strmap_t *m, const char *key, size_t len, uint64_t h)
{
	size_t i = h & (m->cap - 1);
	for (;;) {
		slot_t *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

uint32_t tl_strmap_get(const tl_strmap_t *m, const char *key, size_t len)
{
	slot_t *s = find(m, key, len, hash_bytes(key, len));
	return s->key ? s->value : UINT32_MAX;
}

static void grow(tl_strmap_t *m)
{
	slot_t *old = m->slots;
	size_t oldcap = m->cap;
	m->cap *= 2;
	m->slots = tl_xcalloc(m->cap, sizeof(slot_t));
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].key)
			continue;
		slot_t *s = find(m, old[i].key, old[i].len, old[i].hash);
		*s = old[i];
	}
	free(old);
}

uint32_t tl_strmap_put(tl_strmap_t *m, const char *key, size_t len, uint32_t value)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t h = hash_bytes(key, len);
	slot_t *s = find(m, key, len, h);
	if (s->key) {
		uint32_t prev = s->value;
		s->value = value;
		return prev;
	}
	s->key = tl_xstrndup(key, len);
	s->len = len;
	s->hash = h;
	s->value = value;
	m->n++;
	return UINT32_MAX;
}

uint64_t tl_hash_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * UINT64_C(0x9e3779b97f4a7c15);
	return h ^ (h >> 29);
}

uint64_t tl_hash_mix_bytes(uint64_t h, const void *data, size_t n)
{
	const uint8_t *p = data;
	while (n >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		h = tl_hash_mix(h, v);
		p += 8;
		n -= 8;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return tl_hash_mix(h, v ^ ((uint64_t)n << 56));
}
