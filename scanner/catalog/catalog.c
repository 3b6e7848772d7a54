/* Runs the catalogers over an image's merged view and attributes each package to a layer. */
#include "catalog/catalog.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define CATALOGER(id) &cataloger_##id,
const struct cataloger *const catalogers[] = {
#include "catalog/catalogers.def"
	NULL,
};
#undef CATALOGER

int catalog_wants(const char *path, void *unused)
{
	for (const struct cataloger *const *c = catalogers; *c; c++)
		if ((*c)->wants(path))
			return 1;
	return 0;
}

struct package *package_list_append(struct package_list *list)
{
	struct package *p;

	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	p = &list->items[list->nr++];
	memset(p, 0, sizeof(*p));
	p->layer = -1;
	return p;
}

void package_list_release(struct package_list *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}

const char *catalog_text(struct catalog *cat, const char *s, size_t n)
{
	char *clean;
	const char *copy;

	if (utf8_is_valid(s, n))
		return arena_memdup(&cat->arena, s, n);
	clean = utf8_sanitize(s, n);
	copy = arena_strdup(&cat->arena, clean);
	free(clean);
	return copy;
}

void line_reader_init(struct line_reader *r, const struct fs_file *file)
{
	r->p = (const char *)file->data;
	r->end = r->p ? r->p + file->size : NULL;
	r->lineno = 0;
}

int line_next(struct line_reader *r, const char **line, size_t *len)
{
	const char *nl;
	size_t n;

	if (!r->p || r->p >= r->end)
		return 0;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
	*line = r->p;
	*len = n && r->p[n - 1] == '\r' ? n - 1 : n;
	r->p = nl ? nl + 1 : r->end;
	r->lineno++;
	return 1;
}

int text_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

const char *text_trim(const char *s, size_t *n)
{
	size_t len = *n;

	while (len && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	*n = len;
	return s;
}

int text_equals(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

/* What makes two parses of a file describe the same installed package. */
static int package_key_cmp(const struct package *a, const struct package *b)
{
	int c;

	if ((c = strcmp_null(a->name, b->name)))
		return c;
	if ((c = strcmp_null(a->version, b->version)))
		return c;
	if ((c = strcmp_null(a->arch, b->arch)))
		return c;
	return strcmp_null(a->install_path, b->install_path);
}

static int package_key_ptr_cmp(const void *a, const void *b)
{
	return package_key_cmp(*(const struct package *const *)a, *(const struct package *const *)b);
}

/* The documented order first, then every other field, so equal keys still sort the same way each run. */
/* clang-format off */
static const size_t package_order_fields[] = {
	offsetof(struct package, type),
	offsetof(struct package, name),
	offsetof(struct package, version),
	offsetof(struct package, path),
	offsetof(struct package, install_path),
	offsetof(struct package, arch),
	offsetof(struct package, source_name),
	offsetof(struct package, source_version),
	offsetof(struct package, license),
	offsetof(struct package, purl),
	offsetof(struct package, cataloger),
};
/* clang-format on */

static int package_order_cmp(const void *va, const void *vb)
{
	int c;

	for (size_t i = 0; i < sizeof(package_order_fields) / sizeof(package_order_fields[0]); i++) {
		const char *fa = *(const char *const *)((const char *)va + package_order_fields[i]);
		const char *fb = *(const char *const *)((const char *)vb + package_order_fields[i]);

		if ((c = strcmp_null(fa, fb)))
			return c;
	}
	c = ((const struct package *)va)->layer - ((const struct package *)vb)->layer;
	return (c > 0) - (c < 0);
}

/* The packages one older version of a file held, sorted by key so lookups are cheap. */
struct version_keys {
	int parsed;
	int usable; /* a regular file that parsed at least in part */
	struct package_list list;
	const struct package **sorted;
};

/*
 * Older versions are parsed in a scratch arena so attribution costs memory
 * for one file's history at a time, not for every version ever seen.
 */
struct lower_versions {
	struct arena scratch;
	struct version_keys *keys;
	size_t nr, alloc;
};

static void lower_versions_release(struct lower_versions *lv)
{
	for (size_t i = 0; i < lv->nr; i++) {
		package_list_release(&lv->keys[i].list);
		free(lv->keys[i].sorted);
	}
	free(lv->keys);
	arena_release(&lv->scratch);
	memset(lv, 0, sizeof(*lv));
}

static const struct version_keys *lower_keys(struct lower_versions *lv, struct catalog *cat,
					     const struct cataloger *c, const struct fs_file *v, size_t depth)
{
	struct version_keys *k;

	while (lv->nr <= depth) {
		ALLOC_GROW(lv->keys, lv->nr + 1, lv->alloc);
		memset(&lv->keys[lv->nr++], 0, sizeof(*lv->keys));
	}
	k = &lv->keys[depth];
	if (!k->parsed) {
		k->parsed = 1;
		if (v->kind == FS_REGULAR && v->data) {
			struct catalog scratch = *cat;
			struct strbuf err = STRBUF_INIT;

			scratch.arena = lv->scratch;
			/* A damaged old version still names what it held; what it lost ends the run. */
			c->parse(&scratch, v, &k->list, &err);
			lv->scratch = scratch.arena;
			strbuf_release(&err);
			k->sorted = xcalloc(k->list.nr ? k->list.nr : 1, sizeof(*k->sorted));
			for (size_t i = 0; i < k->list.nr; i++)
				k->sorted[i] = &k->list.items[i];
			qsort(k->sorted, k->list.nr, sizeof(*k->sorted), package_key_ptr_cmp);
			k->usable = 1;
		}
	}
	return k;
}

static int keys_contain(const struct version_keys *k, const struct package *p)
{
	const struct package *key = p;

	if (!k->usable || !k->list.nr)
		return 0;
	return bsearch(&key, k->sorted, k->list.nr, sizeof(*k->sorted), package_key_ptr_cmp) != NULL;
}

/* The lowest layer of the unbroken run of versions of file that still hold p. */
static int attribute_layer(struct lower_versions *lv, struct catalog *cat, const struct cataloger *c,
			   const struct fs_file *file, const struct package *p)
{
	int layer = file->layer;
	size_t depth = 0;

	if (layer < 0)
		return -1;
	for (const struct fs_file *v = file->lower; v; v = v->lower, depth++) {
		const struct version_keys *k = lower_keys(lv, cat, c, v, depth);

		if (!keys_contain(k, p) || v->layer < 0)
			break;
		layer = v->layer;
	}
	return layer;
}

static void run_on_file(struct catalog *cat, const struct cataloger *c, const struct fs_file *file)
{
	struct package_list found = {0};
	struct lower_versions lv = {0};
	struct strbuf err = STRBUF_INIT;
	const char *clean_path = catalog_text(cat, file->path, strlen(file->path));

	if (file->truncated)
		warnings_add(&cat->warnings, &cat->arena,
			     "truncated file '%s': only the first %zu of %llu bytes were read, so what follows "
			     "is missing from the inventory",
			     clean_path, file->size, (unsigned long long)file->real_size);
	if (c->parse(cat, file, &found, &err) < 0) {
		const char *detail = err.len ? catalog_text(cat, err.buf, err.len) : "unreadable";

		warnings_add(&cat->warnings, &cat->arena, "damaged file '%s': %s", clean_path, detail);
	}
	for (size_t i = 0; i < found.nr; i++) {
		struct package *p = package_list_append(&cat->packages);

		*p = found.items[i];
		p->cataloger = c->name;
		p->path = clean_path;
		p->layer = attribute_layer(&lv, cat, c, file, p);
	}
	lower_versions_release(&lv);
	package_list_release(&found);
	strbuf_release(&err);
}

/*
 * A symlink loop where a cataloger would read is a hostile image, not a
 * damaged database: the inventory could not be trusted, so the scan stops.
 */
static int check_wanted_links(const struct image *img, struct strbuf *err)
{
	for (size_t i = 0; i < img->nr_files; i++) {
		const struct fs_file *file = img->files[i], *target;
		int ret;

		if (file->kind != FS_SYMLINK || !catalog_wants(file->path, NULL))
			continue;
		ret = image_resolve(img, file->path, &target, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int catalog_build(struct catalog **out, const struct image *img, struct strbuf *err)
{
	struct catalog *cat;
	int ret;

	if (!img)
		return error_code(err, ERR_USAGE, "cannot build a catalog without an image");
	ret = check_wanted_links(img, err);
	if (ret < 0)
		return ret;
	cat = xcalloc(1, sizeof(*cat));
	cat->img = img;
	for (const struct cataloger *const *c = catalogers; *c; c++) {
		for (size_t i = 0; i < img->nr_files; i++) {
			const struct fs_file *file = img->files[i];

			if (file->kind != FS_REGULAR || !file->data || !(*c)->wants(file->path))
				continue;
			run_on_file(cat, *c, file);
		}
	}
	if (cat->packages.nr)
		qsort(cat->packages.items, cat->packages.nr, sizeof(*cat->packages.items), package_order_cmp);
	*out = cat;
	return 0;
}

void catalog_free(struct catalog *cat)
{
	if (!cat)
		return;
	package_list_release(&cat->packages);
	warnings_release(&cat->warnings);
	arena_release(&cat->arena);
	free(cat);
}
