/* arena.c - bump allocator: one malloc per block, freed all at once. */
#include "util/arena.h"
#include "util/xmalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct tl_arena_block {
	tl_arena_block_t *next;
	size_t size, used;
	max_align_t data[];
};

static tl_arena_block_t *block_new(size_t size)
{
	tl_arena_block_t *b = tl_xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void tl_arena_init(tl_arena_t *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 65536;
}

void *tl_arena_alloc(tl_arena_t *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (!a->head || a->head->size - a->head->used < n) {
		size_t size = n > a->block_size ? n : a->block_size;
		tl_arena_block_t *b = block_new(size);
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)a->head->data + a->head->used;
	a->head->used += n;
	return p;
}

char *tl_arena_strndup(tl_arena_t *a, const char *s, size_t n)
{
	char *d = tl_arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *tl_arena_strdup(tl_arena_t *a, const char *s)
{
	return tl_arena_strndup(a, s, strlen(s));
}

void tl_arena_reset(tl_arena_t *a)
{
	if (!a->head)
		return;
	/* keep the oldest block (the normal-sized one), free the rest */
	tl_arena_block_t *b = a->head, *keep = NULL;
	while (b) {
		tl_arena_block_t *next = b->next;
		if (!next)
			keep = b;
		else
			free(b);
		b = next;
	}
	keep->used = 0;
	keep->next = NULL;
	a->head = keep;
}

void tl_arena_free(tl_arena_t *a)
{
	tl_arena_block_t *b = a->head;
	while (b) {
		tl_arena_block_t *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
