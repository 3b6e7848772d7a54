/* Bump allocation in 64 KiB blocks; large requests get a block of their own. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define ARENA_BLOCK_SIZE (64 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (rounded < size)
		abort();
	if (!b || b->size - b->used < rounded) {
		size_t cap = rounded > ARENA_BLOCK_SIZE / 4 ? rounded : ARENA_BLOCK_SIZE;
		struct arena_block *nb = xmalloc(sizeof(*nb) + cap);

		nb->size = cap;
		nb->used = 0;
		/* A big one-off block goes behind the current one so the current keeps filling. */
		if (b && cap != ARENA_BLOCK_SIZE) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	p = b->data + b->used;
	b->used += rounded;
	a->used_bytes += rounded;
	memset(p, 0, rounded);
	return p;
}

void *arena_memdup(struct arena *a, const void *src, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, src, n);
	p[n] = '\0';
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	return arena_memdup(a, s, strnlen(s, n));
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_memdup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	int len;
	char *p;

	va_start(ap, fmt);
	va_copy(cp, ap);
	len = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (len < 0)
		abort();
	p = arena_alloc(a, (size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_bytes = 0;
}
