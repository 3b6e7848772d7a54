/* Fake images for the catalog tests: files added by hand or loaded from a folder on disk. */
#include "catalog_fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "test.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The image comes first so a struct image pointer is also a pointer to its fixture. */
struct catalog_fixture_image {
	struct image img;
	size_t alloc_files;
};

struct image *catalog_fixture_image_new(void)
{
	struct catalog_fixture_image *fx = xcalloc(1, sizeof(*fx));
	struct image *img = &fx->img;

	img->kind = IMAGE_ROOTFS;
	img->source = "fixture";
	return img;
}

void catalog_fixture_image_free(struct image *img)
{
	if (!img)
		return;
	free((void *)img->files);
	warnings_release(&img->warnings);
	arena_release(&img->arena);
	free(img);
}

static struct fs_file *add_entry(struct image *img, const char *path, int layer)
{
	struct fs_file *f = arena_alloc(&img->arena, sizeof(*f));

	f->path = arena_strdup(&img->arena, path);
	f->layer = layer;
	f->mode = 0644;
	for (size_t i = 0; i < img->nr_files; i++) {
		if (!strcmp(img->files[i]->path, path)) {
			f->lower = img->files[i];
			img->files[i] = f;
			return f;
		}
	}
	ALLOC_GROW(img->files, img->nr_files + 1, ((struct catalog_fixture_image *)img)->alloc_files);
	img->files[img->nr_files++] = f;
	return f;
}

struct fs_file *catalog_fixture_add_file(struct image *img, const char *path, const void *data, size_t size,
					 int layer)
{
	struct fs_file *f = add_entry(img, path, layer);

	f->kind = FS_REGULAR;
	f->data = arena_memdup(&img->arena, data, size);
	f->size = size;
	f->real_size = size;
	return f;
}

struct fs_file *catalog_fixture_add_text(struct image *img, const char *path, const char *text, int layer)
{
	return catalog_fixture_add_file(img, path, text, strlen(text), layer);
}

struct fs_file *catalog_fixture_add_symlink(struct image *img, const char *path, const char *target,
					    int layer)
{
	struct fs_file *f = add_entry(img, path, layer);

	f->kind = FS_SYMLINK;
	f->link_target = arena_strdup(&img->arena, target);
	f->mode = 0777;
	return f;
}

char *catalog_fixture_read_file(const char *path, size_t *size)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	if (size)
		*size = sb.len;
	return strbuf_detach(&sb, NULL);
}

static int load_tree(struct image *img, const char *root, struct strbuf *rel, int layer)
{
	struct strbuf full = STRBUF_INIT;
	size_t keep = rel->len;
	struct dirent *de;
	int added = 0;
	DIR *d;

	strbuf_addf(&full, "%s/%s", root, rel->buf);
	d = opendir(full.buf);
	if (!d) {
		strbuf_release(&full);
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (keep)
			strbuf_addch(rel, '/');
		strbuf_addstr(rel, de->d_name);
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", root, rel->buf);
		if (!lstat(full.buf, &st)) {
			if (S_ISDIR(st.st_mode)) {
				int n = load_tree(img, root, rel, layer);
				if (n > 0)
					added += n;
			} else if (catalog_wants(rel->buf, NULL)) {
				if (S_ISLNK(st.st_mode)) {
					char target[4096];
					ssize_t n = readlink(full.buf, target, sizeof(target) - 1);

					if (n >= 0) {
						target[n] = '\0';
						catalog_fixture_add_symlink(img, rel->buf, target, layer);
						added++;
					}
				} else if (S_ISREG(st.st_mode)) {
					size_t size;
					char *data = catalog_fixture_read_file(full.buf, &size);

					if (data) {
						catalog_fixture_add_file(img, rel->buf, data, size, layer);
						free(data);
						added++;
					}
				}
			}
		}
		rel->len = keep;
		rel->buf[keep] = '\0';
	}
	closedir(d);
	strbuf_release(&full);
	return added;
}

int catalog_fixture_load_dir(struct image *img, const char *dir, int layer)
{
	struct strbuf rel = STRBUF_INIT;
	int n;

	strbuf_grow(&rel, 256);
	n = load_tree(img, dir, &rel, layer);
	strbuf_release(&rel);
	return n;
}

/* The merged view's order: byte order, except that '/' sorts first so a folder's files form one run. */
static int view_path_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; *x == *y; x++, y++)
		if (!*x)
			return 0;
	if (!*x || !*y)
		return *x ? 1 : -1;
	if (*x == '/' || *y == '/')
		return *x == '/' ? -1 : 1;
	return *x < *y ? -1 : 1;
}

static int by_path(const void *a, const void *b)
{
	return view_path_cmp((*(const struct fs_file *const *)a)->path, (*(const struct fs_file *const *)b)->path);
}

void catalog_fixture_image_finish(struct image *img)
{
	if (img->nr_files)
		qsort(img->files, img->nr_files, sizeof(*img->files), by_path);
}

const struct package *catalog_fixture_find(const struct catalog *cat, const char *name, const char *version,
					   size_t *count)
{
	const struct package *first = NULL;
	size_t n = 0;

	for (size_t i = 0; i < cat->packages.nr; i++) {
		const struct package *p = &cat->packages.items[i];

		if (strcmp(p->name, name) || (version && strcmp(p->version, version)))
			continue;
		if (!first)
			first = p;
		n++;
	}
	if (count)
		*count = n;
	return first;
}

struct catalog *catalog_fixture_catalog(const struct image *img)
{
	struct strbuf err = STRBUF_INIT;
	struct catalog *cat = NULL;
	int ret = catalog_build(&cat, img, &err);

	if (ret < 0) {
		fprintf(stderr, "  catalog_build: %s\n", err.buf);
		test_failed = 1;
		cat = NULL;
	}
	strbuf_release(&err);
	return cat;
}

static int field_matches(const char *got, const char *want)
{
	return !want || (got && !strcmp(got, want));
}

void catalog_fixture_check_expected(const struct catalog *cat, const char *type,
				    const struct catalog_fixture_expect *want, size_t nr_want)
{
	size_t nr_type = 0;

	for (size_t i = 0; i < cat->packages.nr; i++) {
		const struct package *p = &cat->packages.items[i];
		int expected = 0;

		if (strcmp(p->type, type))
			continue;
		nr_type++;
		for (size_t j = 0; j < nr_want && !expected; j++)
			expected = !strcmp(p->name, want[j].name) && !strcmp(p->version, want[j].version) &&
				   field_matches(p->arch, want[j].arch);
		if (!expected) {
			fprintf(stderr, "  unexpected package %s@%s (%s)\n", p->name, p->version,
				p->arch ? p->arch : "no arch");
			test_failed = 1;
		}
	}
	for (size_t j = 0; j < nr_want; j++) {
		const struct catalog_fixture_expect *w = &want[j];
		const struct package *found = NULL;
		size_t n = 0;

		for (size_t i = 0; i < cat->packages.nr; i++) {
			const struct package *p = &cat->packages.items[i];

			if (!strcmp(p->type, type) && !strcmp(p->name, w->name) &&
			    !strcmp(p->version, w->version) && field_matches(p->arch, w->arch)) {
				found = p;
				n++;
			}
		}
		if (n != 1) {
			fprintf(stderr, "  package %s@%s found %zu times, expected once\n", w->name,
				w->version, n);
			test_failed = 1;
			continue;
		}
		if (!field_matches(found->source_name, w->source_name) ||
		    !field_matches(found->source_version, w->source_version) ||
		    !field_matches(found->license, w->license)) {
			fprintf(stderr, "  package %s@%s: source %s %s license %s, expected %s %s %s\n",
				w->name, w->version, found->source_name ? found->source_name : "(null)",
				found->source_version ? found->source_version : "(null)",
				found->license ? found->license : "(null)",
				w->source_name ? w->source_name : "-",
				w->source_version ? w->source_version : "-", w->license ? w->license : "-");
			test_failed = 1;
		}
	}
	if (nr_type != nr_want) {
		fprintf(stderr, "  %zu %s packages, expected %zu\n", nr_type, type, nr_want);
		test_failed = 1;
	}
}

const char *catalog_fixture_shared_path(const char *rel)
{
	static char buf[4096];
	const char *dir = test_shared_data();

	if (!dir)
		return NULL;
	snprintf(buf, sizeof(buf), "%s/%s", dir, rel);
	return buf;
}

static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static const char *first_str(const cJSON *obj, const char *a, const char *b, const char *c)
{
	const char *s = json_str(obj, a);

	if (!s && b)
		s = json_str(obj, b);
	if (!s && c)
		s = json_str(obj, c);
	return s;
}

/* trivy keeps a Debian version as Epoch, Version and Release; put them back together. */
static const char *debian_version(struct arena *a, const cJSON *p, const char *epoch_key,
				  const char *version_key, const char *release_key)
{
	const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(p, epoch_key);
	const char *version = json_str(p, version_key), *release = json_str(p, release_key);
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	if (!version)
		return NULL;
	if (cJSON_IsNumber(epoch) && epoch->valueint)
		strbuf_addf(&sb, "%d:", epoch->valueint);
	strbuf_addstr(&sb, version);
	if (release && *release)
		strbuf_addf(&sb, "-%s", release);
	out = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return out;
}

long catalog_fixture_load_expected(const char *path, struct arena *a, struct catalog_fixture_expect **out)
{
	size_t size;
	char *text = catalog_fixture_read_file(path, &size);
	cJSON *root, *pkgs, *p;
	long n = 0;

	*out = NULL;
	if (!text)
		return -1;
	root = cJSON_ParseWithLength(text, size);
	free(text);
	pkgs = cJSON_GetObjectItemCaseSensitive(root, "packages");
	if (!cJSON_IsArray(pkgs)) {
		cJSON_Delete(root);
		return -1;
	}
	*out = xcalloc((size_t)cJSON_GetArraySize(pkgs) + 1, sizeof(**out));
	cJSON_ArrayForEach(p, pkgs)
	{
		struct catalog_fixture_expect *e = &(*out)[n++];
		const cJSON *meta = cJSON_GetObjectItemCaseSensitive(p, "Metadata");

		e->name = arena_strdup(a, first_str(p, "Name", "name", NULL));
		if (cJSON_GetObjectItemCaseSensitive(p, "ID")) {
			e->version = debian_version(a, p, "Epoch", "Version", "Release");
			e->source_version = debian_version(a, p, "SrcEpoch", "SrcVersion", "SrcRelease");
		} else {
			e->version = arena_strdup(a, first_str(p, "Version", "version", NULL));
			e->source_version = arena_strdup(a, json_str(p, "source_version"));
		}
		e->source_name = arena_strdup(a, first_str(p, "SrcName", "source", "origin"));
		e->arch = arena_strdup(a, first_str(p, "Arch", "architecture", NULL));
		e->license = arena_strdup(a, json_str(p, "license"));
		if (cJSON_IsObject(meta)) {
			/* scalibr names the source only when the stanza has a Source field. */
			const char *sn = json_str(meta, "SourceName"), *sv = json_str(meta, "SourceVersion");

			e->source_name = arena_strdup(a, sn ? sn : e->name);
			e->source_version = arena_strdup(a, sv ? sv : e->version);
			e->arch = arena_strdup(a, json_str(meta, "Architecture"));
		}
	}
	cJSON_Delete(root);
	return n;
}
