/* Unit tests for the npm cataloger: node_modules trees, lockfiles v1-v3, the installed-wins rule, hostile
 * JSON. */
#include "test.h"

#include <stdlib.h>

#include "catalog_fixture.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static struct catalog *npm_catalog_of(struct image *img)
{
	catalog_fixture_image_finish(img);
	return catalog_fixture_catalog(img);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct "name@version" of a list, sorted and joined with newlines, as the fixtures count them. */
static char *distinct_ids(const char *const *ids, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char **sorted = xcalloc(n + 1, sizeof(*sorted));

	memcpy(sorted, ids, n * sizeof(*ids));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(sorted[i], sorted[i - 1]))
			continue;
		strbuf_addstr(&sb, sorted[i]);
		strbuf_addch(&sb, '\n');
	}
	free(sorted);
	return strbuf_detach(&sb, NULL);
}

static char *catalog_ids(const struct catalog *cat, struct arena *a)
{
	const char **ids = xcalloc(cat->packages.nr + 1, sizeof(*ids));
	char *out;

	for (size_t i = 0; i < cat->packages.nr; i++)
		ids[i] =
		    arena_printf(a, "%s@%s", cat->packages.items[i].name, cat->packages.items[i].version);
	out = distinct_ids(ids, cat->packages.nr);
	free(ids);
	return out;
}

/* The expected ids, leaving out those in skip (a NULL-terminated list). */
static char *expected_ids(const char *dir, struct arena *a, const char *const *skip, size_t *nr)
{
	struct strbuf path = STRBUF_INIT;
	struct catalog_fixture_expect *want = NULL;
	const char **ids;
	long n;
	size_t kept = 0;
	char *out;

	strbuf_addf(&path, "%s/expected.json", dir);
	n = catalog_fixture_load_expected(path.buf, a, &want);
	strbuf_release(&path);
	CHECK(n > 0);
	ids = xcalloc(n > 0 ? (size_t)n + 1 : 1, sizeof(*ids));
	for (long i = 0; i < n; i++) {
		const char *id = arena_printf(a, "%s@%s", want[i].name, want[i].version);
		int skipped = 0;

		for (size_t j = 0; skip && skip[j]; j++)
			skipped |= !strcmp(id, skip[j]);
		if (!skipped)
			ids[kept++] = id;
	}
	out = distinct_ids(ids, kept);
	*nr = kept;
	free(ids);
	free(want);
	return out;
}

TEST(npm_wants_paths)
{
	const struct cataloger *c = &cataloger_npm;

	CHECK(c->wants("node_modules/ms/package.json"));
	CHECK(c->wants("app/node_modules/@babel/parser/package.json"));
	CHECK(c->wants("app/node_modules/a/node_modules/b/package.json"));
	CHECK(c->wants("app/node_modules/.pnpm/a@1.0.0/node_modules/a/package.json"));
	CHECK(c->wants("package-lock.json"));
	CHECK(c->wants("srv/app/package-lock.json"));
	CHECK(!c->wants("node_modules/foo/test/package.json"));
	CHECK(!c->wants("node_modules/@scope/package.json"));
	CHECK(!c->wants("node_modules/@scope/x/lib/package.json"));
	CHECK(!c->wants("node_modules/.package-lock.json"));
	CHECK(!c->wants("node_modules/.bin/package.json"));
	CHECK(!c->wants("node_modules/package.json"));
	CHECK(!c->wants("node_modules/@/x/package.json"));
	CHECK(!c->wants("app/package.json"));
	CHECK(!c->wants("my_node_modules/foo/package.json"));
	CHECK(!c->wants("node_modules/foo/package-lock.json"));
	CHECK(!c->wants("app/node_modules/foo/sub/package-lock.json"));
	CHECK(!c->wants("node_modules/foo/package.json.bak"));
}

TEST(npm_fixture_installed_tree_wins)
{
	static const char *const lockfile_only[] = {"ansi-colors@3.2.3", "array-flatten@1.1.1", NULL};
	const char *dir = catalog_fixture_shared_path("pkgdb/npm/trivy-node-modules");
	struct arena a = ARENA_INIT;
	struct image *img;
	struct catalog *cat;
	char *want, *got;
	size_t nr_want;

	if (!dir)
		return;
	/*
	 * The fixture's lockfile also lists two packages that are not in its
	 * node_modules. Customs reports what is installed, so those two are the
	 * only expected ones left out.
	 */
	want = expected_ids(dir, &a, lockfile_only, &nr_want);
	CHECK_INT(nr_want, 6);
	img = catalog_fixture_image_new();
	CHECK_INT(catalog_fixture_load_dir(img, dir, -1), 9);
	cat = npm_catalog_of(img);
	if (cat) {
		const struct package *p;
		size_t count;

		got = catalog_ids(cat, &a);
		CHECK_STR(got, want);
		free(got);
		CHECK_INT(cat->packages.nr, 8);
		CHECK_INT(cat->warnings.nr, 0);
		p = catalog_fixture_find(cat, "ms", "2.0.0", &count);
		CHECK_INT(count, 2);
		if (p) {
			CHECK_STR(p->path, "node_modules/body-parser/node_modules/ms/package.json");
			CHECK_STR(p->install_path, "node_modules/body-parser/node_modules/ms");
			CHECK_STR(p->license, "MIT");
			CHECK_STR(p->purl, "pkg:npm/ms@2.0.0");
			CHECK_STR(p->type, "npm");
			CHECK_STR(p->cataloger, "npm");
			CHECK(p->source_name == NULL);
		}
		p = catalog_fixture_find(cat, "@babel/parser", NULL, NULL);
		if (p)
			CHECK_STR(p->purl, "pkg:npm/%40babel/parser@7.23.6");
		CHECK(catalog_fixture_find(cat, "ansi-colors", NULL, NULL) == NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	free(want);
	arena_release(&a);
}

static void check_lockfile_alone(const char *fixture, size_t nr_entries, size_t nr_distinct)
{
	struct strbuf path = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	const char *dir;
	struct image *img;
	struct catalog *cat;
	char *data, *want, *got;
	size_t size, nr_want;

	strbuf_addf(&path, "pkgdb/npm/%s", fixture);
	dir = catalog_fixture_shared_path(path.buf);
	strbuf_release(&path);
	if (!dir)
		return;
	want = expected_ids(dir, &a, NULL, &nr_want);
	CHECK_INT(nr_want, nr_distinct);
	strbuf_addf(&path, "%s/package-lock.json", dir);
	data = catalog_fixture_read_file(path.buf, &size);
	strbuf_release(&path);
	CHECK(data != NULL);
	img = catalog_fixture_image_new();
	if (data)
		catalog_fixture_add_file(img, "srv/app/package-lock.json", data, size, -1);
	free(data);
	cat = npm_catalog_of(img);
	if (cat) {
		got = catalog_ids(cat, &a);
		CHECK_STR(got, want);
		free(got);
		/* Once per install path: the same name@version nested twice is two packages. */
		CHECK_INT(cat->packages.nr, nr_entries);
		CHECK_INT(cat->warnings.nr, 0);
		for (size_t i = 0; i < cat->packages.nr; i++) {
			CHECK_STR(cat->packages.items[i].path, "srv/app/package-lock.json");
			CHECK(!strncmp(cat->packages.items[i].install_path, "srv/app/node_modules/", 21));
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	free(want);
	arena_release(&a);
}

TEST(npm_fixture_lockfile_v1)
{
	check_lockfile_alone("trivy-node-modules", 10, 8);
}

TEST(npm_fixture_lockfile_v3)
{
	check_lockfile_alone("trivy-package-lock-v3", 33, 31);
}

TEST(npm_lockfile_counts_only_without_installed_tree)
{
	static const char lock[] = "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},"
				   "\"node_modules/listed\":{\"version\":\"1.0.0\"},"
				   "\"node_modules/gone\":{\"version\":\"2.0.0\"}}}";
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	/* app has an installed tree in which a later layer deleted "gone": only "listed" is real. */
	catalog_fixture_add_text(img, "app/package-lock.json", lock, 0);
	catalog_fixture_add_text(img, "app/node_modules/listed/package.json",
				 "{\"name\":\"listed\",\"version\":\"1.0.0\"}", 0);
	/* src is a checkout with no node_modules: its lockfile is all there is. */
	catalog_fixture_add_text(img, "src/package-lock.json", lock, 0);
	/* A tree that is not beside the lockfile does not hide it. */
	catalog_fixture_add_text(img, "src/sub/node_modules/other/package.json",
				 "{\"name\":\"other\",\"version\":\"3\"}", 0);
	cat = npm_catalog_of(img);
	if (cat) {
		const struct package *p;
		size_t count;

		CHECK_INT(cat->packages.nr, 4);
		p = catalog_fixture_find(cat, "listed", NULL, &count);
		CHECK_INT(count, 2);
		if (p) {
			CHECK_STR(p->path, "app/node_modules/listed/package.json");
			CHECK_STR(p->install_path, "app/node_modules/listed");
		}
		p = catalog_fixture_find(cat, "gone", NULL, &count);
		CHECK_INT(count, 1);
		if (p) {
			CHECK_STR(p->path, "src/package-lock.json");
			CHECK_STR(p->install_path, "src/node_modules/gone");
			CHECK_INT(p->layer, 0);
		}
		CHECK(catalog_fixture_find(cat, "other", "3", NULL) != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(npm_lockfile_links_workspaces_and_aliases)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(
	    img, "package-lock.json",
	    "{\"lockfileVersion\":2,\"packages\":{"
	    "\"\":{\"name\":\"root\",\"version\":\"1.0.0\"},"
	    "\"packages/ws\":{\"name\":\"ws-pkg\",\"version\":\"0.1.0\"},"
	    "\"node_modules/ws-pkg\":{\"resolved\":\"packages/ws\",\"link\":true},"
	    "\"node_modules/alias\":{\"name\":\"real\",\"version\":\"4.0.0\",\"license\":\"ISC\"},"
	    "\"node_modules/@Scope/Pkg\":{\"version\":\"1.0.0\"},"
	    "\"packages/ws/node_modules/dep\":{\"version\":\"5.0.0\"},"
	    "\"node_modules/nover\":{}},"
	    "\"dependencies\":{\"ignored\":{\"version\":\"9\"}}}",
	    -1);
	catalog_fixture_add_text(
	    img, "v1/package-lock.json",
	    "{\"lockfileVersion\":1,\"dependencies\":{"
	    "\"alias\":{\"version\":\"npm:@real/thing@2.0.0\"},"
	    "\"top\":{\"version\":\"1.0.0\",\"dependencies\":{\"@s/inner\":{\"version\":\"3.0.0\"}}},"
	    "\"noversion\":{\"dependencies\":{\"deep\":{\"version\":\"1.1.1\"}}}}}",
	    -1);
	cat = npm_catalog_of(img);
	if (cat) {
		const struct package *p;

		CHECK_INT(cat->packages.nr, 7);
		CHECK(catalog_fixture_find(cat, "ws-pkg", NULL, NULL) == NULL);
		CHECK(catalog_fixture_find(cat, "root", NULL, NULL) == NULL);
		CHECK(catalog_fixture_find(cat, "ignored", NULL, NULL) == NULL);
		if ((p = catalog_fixture_find(cat, "real", "4.0.0", NULL))) {
			CHECK_STR(p->install_path, "node_modules/alias");
			CHECK_STR(p->license, "ISC");
		}
		if ((p = catalog_fixture_find(cat, "@Scope/Pkg", "1.0.0", NULL)))
			CHECK_STR(p->purl, "pkg:npm/%40scope/pkg@1.0.0");
		if ((p = catalog_fixture_find(cat, "dep", "5.0.0", NULL)))
			CHECK_STR(p->install_path, "packages/ws/node_modules/dep");
		if ((p = catalog_fixture_find(cat, "@real/thing", "2.0.0", NULL)))
			CHECK_STR(p->install_path, "v1/node_modules/alias");
		if ((p = catalog_fixture_find(cat, "@s/inner", "3.0.0", NULL)))
			CHECK_STR(p->install_path, "v1/node_modules/top/node_modules/@s/inner");
		if ((p = catalog_fixture_find(cat, "deep", "1.1.1", NULL)))
			CHECK_STR(p->install_path, "v1/node_modules/noversion/node_modules/deep");
		CHECK(catalog_fixture_find(cat, "top", "1.0.0", NULL) != NULL);
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(npm_manifest_license_forms)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "node_modules/a/package.json",
				 "{\"name\":\"a\",\"version\":\"1\",\"license\":\"MIT\"}", -1);
	catalog_fixture_add_text(
	    img, "node_modules/b/package.json",
	    "{\"name\":\"b\",\"version\":\"1\",\"license\":{\"type\":\"BSD-3-Clause\",\"url\":\"x\"}}", -1);
	catalog_fixture_add_text(
	    img, "node_modules/c/package.json",
	    "{\"name\":\"c\",\"version\":\"1\",\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"Apache-2.0\"}]}",
	    -1);
	catalog_fixture_add_text(img, "node_modules/d/package.json",
				 "{\"name\":\"d\",\"version\":\"1\",\"license\":7}", -1);
	cat = npm_catalog_of(img);
	if (cat && cat->packages.nr == 4) {
		CHECK_STR(cat->packages.items[0].license, "MIT");
		CHECK_STR(cat->packages.items[1].license, "BSD-3-Clause");
		CHECK_STR(cat->packages.items[2].license, "MIT OR Apache-2.0");
		CHECK(cat->packages.items[3].license == NULL);
	} else {
		CHECK(0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(npm_hostile_input)
{
	struct strbuf deep = STRBUF_INIT, huge = STRBUF_INIT;
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&deep, "{\"dependencies\":");
	strbuf_addstr(&huge, "{\"name\":\"huge\",\"version\":\"1\",\"description\":\"");
	strbuf_grow(&huge, 8u << 20);
	memset(huge.buf + huge.len, 'q', 8u << 20);
	huge.len += 8u << 20;
	strbuf_addstr(&huge, "\"}");

	catalog_fixture_add_text(img, "node_modules/empty/package.json", "", -1);
	catalog_fixture_add_text(img, "node_modules/trunc/package.json",
				 "{\"name\":\"trunc\",\"version\":\"1", -1);
	catalog_fixture_add_text(img, "node_modules/array/package.json", "[1,2,3]", -1);
	catalog_fixture_add_file(img, "node_modules/binary/package.json", "\x00\xff\xfe{", 4, -1);
	catalog_fixture_add_text(img, "node_modules/noname/package.json", "{\"version\":\"1.0.0\"}", -1);
	catalog_fixture_add_text(img, "node_modules/numver/package.json",
				 "{\"name\":\"numver\",\"version\":1}", -1);
	catalog_fixture_add_text(img, "node_modules/utf/package.json",
				 "{\"name\":\"ut\\u00e9\xff\",\"version\":\"1\"}", -1);
	catalog_fixture_add_file(img, "node_modules/huge/package.json", huge.buf, huge.len, -1);
	catalog_fixture_add_file(img, "deep/package-lock.json", deep.buf, deep.len, -1);
	catalog_fixture_add_text(
	    img, "odd/package-lock.json",
	    "{\"packages\":[1],\"dependencies\":{\"x\":5,\"y\":{\"version\":[]},\"\":{\"version\":\"1\"}}}",
	    -1);
	catalog_fixture_add_text(img, "odd2/package-lock.json",
				 "{\"packages\":{\"node_modules/\":{\"version\":\"1\"},"
				 "\"node_modules/x\":7}}",
				 -1);
	cat = npm_catalog_of(img);
	if (cat) {
		CHECK_INT(cat->packages.nr, 2);
		CHECK(catalog_fixture_find(cat, "huge", "1", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "ut\xc3\xa9\xef\xbf\xbd", "1", NULL) != NULL);
		/* empty, trunc, array, binary and deep are damaged; noname and numver are not packages. */
		CHECK_INT(cat->warnings.nr, 5);
		for (size_t i = 0; i < cat->warnings.nr; i++)
			CHECK(strstr(cat->warnings.msgs[i], "damaged file '") != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	strbuf_release(&deep);
	strbuf_release(&huge);
}
