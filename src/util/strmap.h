/* strmap.h - a string-to-index map (open addressing). Iteration order is never
 * used for output; callers keep their own ordered arrays. */
#ifndef TL_UTIL_STRMAP_H
#define TL_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tl_strmap tl_strmap_t;

tl_strmap_t *tl_strmap_new(void);
void tl_strmap_free(tl_strmap_t *m);
/* Returns the value for key (len bytes), or UINT32_MAX if absent. */
uint32_t tl_strmap_get(const tl_strmap_t *m, const char *key, size_t len);
/* Sets key -> value (the key is copied); returns the previous value or UINT32_MAX. */
uint32_t tl_strmap_put(tl_strmap_t *m, const char *key, size_t len, uint32_t value);
/* Hash building blocks for tables keyed by content (no seed, no pointers): one
 * multiply-xorshift step over a 64-bit word, and the same over bytes 8 at a time.
 * Deterministic; a hostile input can crowd a bucket, which slows a table down but
 * never changes a result. */
uint64_t tl_hash_mix(uint64_t h, uint64_t v);
uint64_t tl_hash_mix_bytes(uint64_t h, const void *data, size_t n);

#endif
