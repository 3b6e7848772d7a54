/* A bump allocator for per-scan objects: everything it hands out is freed at once. */
#ifndef CUSTOMS_UTIL_ARENA_H
#define CUSTOMS_UTIL_ARENA_H

#include <stddef.h>

struct arena_block;

/* An arena owns its blocks; arena_release() frees every pointer it ever returned. */
struct arena {
	struct arena_block *head;
	size_t used_bytes;
};

#define ARENA_INIT { NULL, 0 }

/* Returns zeroed, 16-byte aligned memory owned by the arena. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

#endif
