/* Maven versions ordered as Maven's ComparableVersion orders them. */
#include "version/version.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

/*
 * Maven splits a version into items on '.', '-' and digit/letter changes.
 * A '-' or a change of kind opens a list nested in the current one, and so
 * does a word that ends the version or has a number after it (3.8 treats
 * "1.0.RC1" as "1.0-RC1"). A version is thus a chain of lists: each holds
 * some number and word items and, last, the next list. A segment below is
 * one list's own items.
 */
enum { ITEM_NUMBER, ITEM_WORD };

/* Rank of the known qualifiers; "" is a release (also "ga", "final", "release"). */
enum { RANK_RELEASE = 5, RANK_UNKNOWN = 7 };

struct maven_item {
	int kind;
	int rank; /* words only */
	const char *text; /* numbers without leading zeros; unknown words as written */
	size_t len;
};

struct maven_segment {
	size_t first, count;
};

struct maven_version {
	struct maven_item *items;
	struct maven_segment *segments;
	size_t nitems, nsegments;
};

/* Versions shorter than this are parsed without allocating. */
#define MAVEN_SHORT 64

struct maven_storage {
	struct maven_item items[MAVEN_SHORT + 2];
	struct maven_segment segments[MAVEN_SHORT + 2];
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncasecmp(s, word, len);
}

static void add_word(struct maven_version *v, const char *s, size_t len, int followed_by_digit)
{
	static const char *const qualifiers[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
	struct maven_item *item = &v->items[v->nitems++];

	item->kind = ITEM_WORD;
	item->text = s;
	item->len = len;
	item->rank = RANK_UNKNOWN;
	/* "a1", "b1" and "m1" are shorthand; a lone "a" is just a word */
	if (followed_by_digit && len == 1) {
		if (*s == 'a' || *s == 'A')
			item->rank = 0;
		else if (*s == 'b' || *s == 'B')
			item->rank = 1;
		else if (*s == 'm' || *s == 'M')
			item->rank = 2;
		if (item->rank != RANK_UNKNOWN)
			return;
	}
	if (word_is(s, len, "ga") || word_is(s, len, "final") || word_is(s, len, "release")) {
		item->rank = RANK_RELEASE;
		return;
	}
	if (word_is(s, len, "cr")) {
		item->rank = 3;
		return;
	}
	for (int i = 0; i < (int)(sizeof(qualifiers) / sizeof(qualifiers[0])); i++)
		if (word_is(s, len, qualifiers[i]))
			item->rank = i;
}

static void add_number(struct maven_version *v, const char *s, size_t len)
{
	struct maven_item *item = &v->items[v->nitems++];

	while (len > 0 && *s == '0') {
		s++;
		len--;
	}
	item->kind = ITEM_NUMBER;
	item->rank = 0;
	item->text = s;
	item->len = len;
}

static void add_token(struct maven_version *v, const char *s, size_t len, int digits)
{
	if (digits)
		add_number(v, s, len);
	else
		add_word(v, s, len, 0);
}

static void open_list(struct maven_version *v)
{
	struct maven_segment *done = &v->segments[v->nsegments - 1];

	done->count = v->nitems - done->first;
	v->segments[v->nsegments].first = v->nitems;
	v->nsegments++;
}

/* Items in the list being filled, before normalisation. */
static size_t current_count(const struct maven_version *v)
{
	return v->nitems - v->segments[v->nsegments - 1].first;
}

static int is_null_item(const struct maven_item *item)
{
	return item->kind == ITEM_NUMBER ? item->len == 0 : item->rank == RANK_RELEASE;
}

/* Drop trailing zeros and release words from every list, and lists left empty. */
static void normalize(struct maven_version *v)
{
	for (size_t i = v->nsegments; i-- > 0;) {
		struct maven_segment *seg = &v->segments[i];
		while (seg->count > 0 && is_null_item(&v->items[seg->first + seg->count - 1]))
			seg->count--;
		if (i > 0 && i == v->nsegments - 1 && seg->count == 0)
			v->nsegments = i;
	}
}

static void parse_maven(const char *s, size_t len, struct maven_version *v)
{
	size_t start = 0;
	int digits = 0;

	v->nitems = 0;
	v->nsegments = 1;
	v->segments[0].first = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '.' || c == '-') {
			if (i == start)
				add_number(v, "0", 1);
			else
				add_token(v, s + start, i - start, digits);
			start = i + 1;
			if (c == '-')
				open_list(v);
		} else if (is_digit(c)) {
			if (!digits && i > start) {
				/* a word with a number after it starts a list even after '.' */
				if (current_count(v))
					open_list(v);
				add_word(v, s + start, i - start, 1);
				start = i;
				open_list(v);
			}
			digits = 1;
		} else {
			if (digits && i > start) {
				add_number(v, s + start, i - start);
				start = i;
				open_list(v);
			}
			digits = 0;
		}
	}
	if (len > start) {
		/* so does a word at the end: "1.0.RC" is "1.0-RC" */
		if (!digits && current_count(v))
			open_list(v);
		add_token(v, s + start, len - start, digits);
	}
	v->segments[v->nsegments - 1].count = v->nitems - v->segments[v->nsegments - 1].first;
	normalize(v);
}

/* One element of list `seg`: an item, the nested list (item NULL, *is_list set), or neither. */
static const struct maven_item *element(const struct maven_version *v, size_t seg, size_t k, int *is_list)
{
	*is_list = 0;
	if (k < v->segments[seg].count)
		return &v->items[v->segments[seg].first + k];
	if (k == v->segments[seg].count && seg + 1 < v->nsegments)
		*is_list = 1;
	return NULL;
}

static int compare_numbers(const struct maven_item *a, const struct maven_item *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	int c = a->len ? memcmp(a->text, b->text, a->len) : 0;
	return (c > 0) - (c < 0);
}

/* Unknown words sort after every known qualifier, among themselves as lowercase text. */
static int compare_words(const struct maven_item *a, const struct maven_item *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank != RANK_UNKNOWN)
		return 0;
	size_t common = a->len < b->len ? a->len : b->len;
	int c = strncasecmp(a->text, b->text, common);
	if (c)
		return (c > 0) - (c < 0);
	return (a->len > b->len) - (a->len < b->len);
}

static int item_against_nothing(const struct maven_item *item)
{
	if (item->kind == ITEM_NUMBER)
		return item->len != 0;
	return (item->rank > RANK_RELEASE) - (item->rank < RANK_RELEASE);
}

/* A list against a missing element: its first element that is not null decides. */
static int list_against_nothing(const struct maven_version *v, size_t seg)
{
	for (;; seg++) {
		const struct maven_segment *s = &v->segments[seg];
		for (size_t k = 0; k < s->count; k++) {
			int c = item_against_nothing(&v->items[s->first + k]);
			if (c)
				return c;
		}
		if (seg + 1 >= v->nsegments)
			return 0;
	}
}

static int compare_items(const struct maven_item *a, const struct maven_item *b)
{
	if (a->kind != b->kind)
		return a->kind == ITEM_NUMBER ? 1 : -1;
	return a->kind == ITEM_NUMBER ? compare_numbers(a, b) : compare_words(a, b);
}

static int compare_maven(const struct maven_version *a, const struct maven_version *b)
{
	size_t sa = 0, sb = 0;

	for (size_t k = 0;; k++) {
		int la, lb;
		const struct maven_item *ia = element(a, sa, k, &la);
		const struct maven_item *ib = element(b, sb, k, &lb);
		int c;

		if (la && lb) {
			/* a nested list is always last, so it decides */
			sa++;
			sb++;
			k = (size_t)-1;
			continue;
		}
		if (!ia && !la && !ib && !lb)
			return 0;
		if (!ia && !la)
			c = -(lb ? list_against_nothing(b, sb + 1) : item_against_nothing(ib));
		else if (!ib && !lb)
			c = la ? list_against_nothing(a, sa + 1) : item_against_nothing(ia);
		else if (la)
			c = ib->kind == ITEM_NUMBER ? -1 : 1;
		else if (lb)
			c = ia->kind == ITEM_NUMBER ? 1 : -1;
		else
			c = compare_items(ia, ib);
		if (c)
			return c;
	}
}

static int check_maven(const char *v, struct strbuf *err)
{
	if (!*v)
		return error_code(err, ERR_BAD_INPUT, "invalid maven version '': empty");
	/*
	 * Maven lowercases and finds digits by Unicode rules we do not carry, so
	 * non-ascii is refused. Only the part before a bad byte is quoted, so the
	 * message stays one printable line.
	 */
	for (size_t i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c <= ' ' || c >= 0x7f)
			return error_code(err, ERR_BAD_INPUT, "invalid maven version '%.*s...': %s at byte %zu",
					  (int)i, v, c >= 0x80 ? "non-ascii character" : "whitespace or control character", i);
	}
	return 0;
}

static void prepare(const char *s, struct maven_storage *store, struct maven_version *v)
{
	size_t len = strlen(s);

	/* a version of n characters has at most n + 1 items and n + 2 lists */
	if (len < MAVEN_SHORT) {
		v->items = store->items;
		v->segments = store->segments;
	} else {
		v->items = xmalloc((len + 2) * sizeof(*v->items));
		v->segments = xmalloc((len + 2) * sizeof(*v->segments));
	}
	parse_maven(s, len, v);
}

static void release(struct maven_storage *store, struct maven_version *v)
{
	if (v->items != store->items) {
		free(v->items);
		free(v->segments);
	}
}

static int maven_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct maven_storage store_a, store_b;
	struct maven_version va, vb;
	int ret;

	if ((ret = check_maven(a, err)) < 0 || (ret = check_maven(b, err)) < 0)
		return ret;
	prepare(a, &store_a, &va);
	prepare(b, &store_b, &vb);
	*result = compare_maven(&va, &vb);
	release(&store_a, &va);
	release(&store_b, &vb);
	return 0;
}

const struct version_scheme version_scheme_maven = {
	.name = "maven",
	.aliases = (const char *const[]){ "gradle", NULL },
	.compare = maven_compare,
};
