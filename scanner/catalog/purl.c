/* Package URLs as purl-spec writes them: pkg:type/namespace/name@version?qualifiers. */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

static int purl_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '_' || c == '~';
}

/*
 * Everything outside the unreserved set is escaped, even where purl-spec
 * would allow it bare ('@' in an npm scope, '+' and ':' in versions), so
 * one package always gets one spelling and matchers can compare bytes.
 */
static void add_encoded(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (purl_unreserved(c)) {
			strbuf_addch(sb, c);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[c >> 4]);
			strbuf_addch(sb, hex[c & 15]);
		}
	}
}

static void add_lowercase(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		strbuf_addch(sb, *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
}

static int qualifier_cmp(const void *a, const void *b)
{
	return strcmp(((const char *const *)a)[0], ((const char *const *)b)[0]);
}

const char *purl_build(struct arena *a, const char *type, const char *namespace, const char *name,
		       const char *version, const char *const *qualifiers)
{
	struct strbuf sb = STRBUF_INIT;
	const char **pairs = NULL;
	size_t nr_pairs = 0, alloc_pairs = 0;
	const char *result;

	if (!type || !*type || !name || !*name)
		return NULL;
	strbuf_addstr(&sb, "pkg:");
	add_lowercase(&sb, type);
	strbuf_addch(&sb, '/');
	/* Namespace segments keep their '/' separators; empty segments are dropped. */
	for (const char *p = namespace; p && *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n) {
			add_encoded(&sb, p, n);
			strbuf_addch(&sb, '/');
		}
		p += n;
		if (*p == '/')
			p++;
	}
	add_encoded(&sb, name, strlen(name));
	if (version && *version) {
		strbuf_addch(&sb, '@');
		add_encoded(&sb, version, strlen(version));
	}

	for (size_t i = 0; qualifiers && qualifiers[i]; i += 2) {
		if (!qualifiers[i + 1] || !*qualifiers[i + 1] || !*qualifiers[i])
			continue;
		ALLOC_GROW(pairs, (nr_pairs + 1) * 2, alloc_pairs);
		pairs[nr_pairs * 2] = qualifiers[i];
		pairs[nr_pairs * 2 + 1] = qualifiers[i + 1];
		nr_pairs++;
	}
	if (nr_pairs)
		qsort(pairs, nr_pairs, 2 * sizeof(*pairs), qualifier_cmp);
	for (size_t i = 0; i < nr_pairs; i++) {
		strbuf_addch(&sb, i ? '&' : '?');
		add_lowercase(&sb, pairs[i * 2]);
		strbuf_addch(&sb, '=');
		add_encoded(&sb, pairs[i * 2 + 1], strlen(pairs[i * 2 + 1]));
	}

	result = arena_memdup(a, sb.buf, sb.len);
	free(pairs);
	strbuf_release(&sb);
	return result;
}
