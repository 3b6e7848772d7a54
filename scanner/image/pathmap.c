/* A small open-addressing hash map from paths to pointers, for layer merging and lookups by name. */
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/xalloc.h"

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static struct pathmap_slot *find_slot(struct pathmap_slot *slots, size_t cap, const char *key, size_t len,
				      uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	for (;;) {
		struct pathmap_slot *s = &slots[i];

		if (!s->key)
			return s;
		if (s->hash == hash && s->len == len && !memcmp(s->key, key, len))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

void *pathmap_get(const struct pathmap *m, const char *key, size_t len)
{
	struct pathmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find_slot(m->slots, m->cap, key, len, hash_bytes(key, len));
	return s->key ? s->value : NULL;
}

static void grow(struct pathmap *m)
{
	size_t new_cap = m->cap ? m->cap * 2 : 64;
	struct pathmap_slot *slots = xcalloc(new_cap, sizeof(*slots));
	size_t i;

	for (i = 0; i < m->cap; i++) {
		struct pathmap_slot *old = &m->slots[i];
		if (old->key)
			*find_slot(slots, new_cap, old->key, old->len, old->hash) = *old;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = new_cap;
}

void pathmap_put(struct pathmap *m, const char *key, size_t len, void *value)
{
	uint64_t hash = hash_bytes(key, len);
	struct pathmap_slot *s;

	/* Keep the load under 3/4 so probes stay short. */
	if ((m->nr + 1) * 4 > m->cap * 3)
		grow(m);
	s = find_slot(m->slots, m->cap, key, len, hash);
	if (!s->key) {
		s->key = key;
		s->len = len;
		s->hash = hash;
		m->nr++;
	}
	s->value = value;
}

void pathmap_release(struct pathmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->nr = 0;
}
