/* arena.h - a bump allocator for per-record memory, reset between records. */
#ifndef TL_UTIL_ARENA_H
#define TL_UTIL_ARENA_H

#include <stddef.h>

typedef struct tl_arena_block tl_arena_block_t;

typedef struct tl_arena {
	tl_arena_block_t *head; /* current block; older blocks chained behind */
	size_t block_size;
} tl_arena_t;

void tl_arena_init(tl_arena_t *a, size_t block_size);
/* Memory from the arena lives until tl_arena_reset or tl_arena_free; aborts on OOM. */
void *tl_arena_alloc(tl_arena_t *a, size_t n);
char *tl_arena_strndup(tl_arena_t *a, const char *s, size_t n);
char *tl_arena_strdup(tl_arena_t *a, const char *s);
/* Keeps the first block, frees the rest, forgets all allocations. */
void tl_arena_reset(tl_arena_t *a);
void tl_arena_free(tl_arena_t *a);

#endif
