/* xmalloc.h - allocation that aborts with a message when memory runs out. */
#ifndef TL_UTIL_XMALLOC_H
#define TL_UTIL_XMALLOC_H

#include <stddef.h>

/* All return memory the caller frees with free(); never NULL. */
void *tl_xmalloc(size_t n);
void *tl_xcalloc(size_t count, size_t size);
void *tl_xrealloc(void *p, size_t n);
char *tl_xstrdup(const char *s);
char *tl_xstrndup(const char *s, size_t n);

#endif
