/* Allocation wrappers that stop the program on out-of-memory, so callers never check for NULL. */
#ifndef CUSTOMS_UTIL_XALLOC_H
#define CUSTOMS_UTIL_XALLOC_H

#include <stddef.h>

/* Each returns memory the caller owns and frees with free(). */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

/*
 * Grow an array to hold at least `need` elements, doubling so appends stay
 * amortised O(1). `alloc` is the current capacity in elements.
 */
#define ALLOC_GROW(array, need, alloc)                                            \
	do {                                                                      \
		if ((need) > (alloc)) {                                           \
			size_t grow_to_ = (alloc) ? (alloc) * 2 : 16;             \
			if (grow_to_ < (need))                                    \
				grow_to_ = (need);                                \
			(array) = xrealloc((array), grow_to_ * sizeof(*(array))); \
			(alloc) = grow_to_;                                       \
		}                                                                 \
	} while (0)

#endif
