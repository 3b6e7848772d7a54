/* Unit tests for catalog_build: the cataloger table, layer attribution, order and warnings. */
#include "test.h"

#include "catalog_fixture.h"

TEST(catalog_table_and_wants)
{
	static const char *const names[] = {"os", "dpkg", "apk", "npm"};
	size_t n = 0;

	for (; catalogers[n]; n++)
		if (n < 4)
			CHECK_STR(catalogers[n]->name, names[n]);
	CHECK_INT(n, 4);
	CHECK(catalog_wants("etc/os-release", NULL));
	CHECK(catalog_wants("usr/lib/os-release", NULL));
	CHECK(catalog_wants("var/lib/dpkg/status", NULL));
	CHECK(catalog_wants("lib/apk/db/installed", NULL));
	CHECK(catalog_wants("app/node_modules/x/package.json", NULL));
	CHECK(!catalog_wants("etc/passwd", NULL));
	CHECK(!catalog_wants("usr/bin/ls", NULL));
}

static const char *stanza(struct arena *a, const char *name, const char *version)
{
	return arena_printf(a,
			    "Package: %s\nStatus: install ok installed\nVersion: %s\nArchitecture: amd64\n\n",
			    name, version);
}

static int layer_of(const struct catalog *cat, const char *name, const char *version)
{
	const struct package *p = catalog_fixture_find(cat, name, version, NULL);

	CHECK(p != NULL);
	return p ? p->layer : -99;
}

TEST(catalog_layer_attribution)
{
	struct arena a = ARENA_INIT;
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;
	const char *status = "var/lib/dpkg/status";

	/* A and E come with the base; B is upgraded in 1; C arrives in 1; E is purged in 1 and back in 2. */
	catalog_fixture_add_text(
	    img, status,
	    arena_printf(&a, "%s%s%s", stanza(&a, "a", "1"), stanza(&a, "b", "1"), stanza(&a, "e", "1")), 0);
	catalog_fixture_add_text(
	    img, status,
	    arena_printf(&a, "%s%s%s", stanza(&a, "a", "1"), stanza(&a, "b", "2"), stanza(&a, "c", "1")), 1);
	catalog_fixture_add_text(img, status,
				 arena_printf(&a, "%s%s%s%s%s", stanza(&a, "a", "1"), stanza(&a, "b", "2"),
					      stanza(&a, "c", "1"), stanza(&a, "d", "1"),
					      stanza(&a, "e", "1")),
				 2);
	/* An npm package rewritten unchanged in a later layer still came from the first. */
	catalog_fixture_add_text(img, "node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}",
				 0);
	catalog_fixture_add_text(img, "node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}",
				 3);
	/* A version that was a symlink breaks the run. */
	catalog_fixture_add_text(img, "node_modules/y/package.json", "{\"name\":\"y\",\"version\":\"1.0.0\"}",
				 0);
	catalog_fixture_add_symlink(img, "node_modules/y/package.json", "../z/package.json", 1);
	catalog_fixture_add_text(img, "node_modules/y/package.json", "{\"name\":\"y\",\"version\":\"1.0.0\"}",
				 2);
	/* A damaged older version ends the run at the version above it. */
	catalog_fixture_add_text(img, "node_modules/w/package.json", "{\"name\":\"w\",\"version\":\"1.0.0\"}",
				 0);
	catalog_fixture_add_text(img, "node_modules/w/package.json", "{broken", 1);
	catalog_fixture_add_text(img, "node_modules/w/package.json", "{\"name\":\"w\",\"version\":\"1.0.0\"}",
				 2);
	catalog_fixture_image_finish(img);
	cat = catalog_fixture_catalog(img);
	if (cat) {
		CHECK_INT(cat->packages.nr, 8);
		CHECK_INT(layer_of(cat, "a", "1"), 0);
		CHECK_INT(layer_of(cat, "b", "2"), 1);
		CHECK_INT(layer_of(cat, "c", "1"), 1);
		CHECK_INT(layer_of(cat, "d", "1"), 2);
		CHECK_INT(layer_of(cat, "e", "1"), 2);
		CHECK_INT(layer_of(cat, "x", "1.0.0"), 0);
		CHECK_INT(layer_of(cat, "y", "1.0.0"), 2);
		CHECK_INT(layer_of(cat, "w", "1.0.0"), 2);
		/* Older versions are only consulted: they add no packages and no warnings. */
		CHECK(catalog_fixture_find(cat, "b", "1", NULL) == NULL);
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	arena_release(&a);
}

TEST(catalog_rootfs_has_no_layer)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "lib/apk/db/installed", "P:musl\nV:1\n", -1);
	catalog_fixture_image_finish(img);
	cat = catalog_fixture_catalog(img);
	if (cat && cat->packages.nr == 1)
		CHECK_INT(cat->packages.items[0].layer, -1);
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(catalog_order_is_deterministic)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;
	static const char *const want[][3] = {
	    {"apk", "musl", "1"}, {"apk", "zlib", "1"}, {"deb", "libc6", "2.36"}, {"deb", "libc6", "2.36"},
	    {"npm", "a", "1"},	  {"npm", "a", "1"},	{"npm", "a", "2"},
	};

	catalog_fixture_add_text(img, "lib/apk/db/installed", "P:zlib\nV:1\n\nP:musl\nV:1\n", -1);
	catalog_fixture_add_text(
	    img, "var/lib/dpkg/status",
	    "Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: i386\n\n"
	    "Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n",
	    -1);
	catalog_fixture_add_text(img, "z/node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1\"}",
				 -1);
	catalog_fixture_add_text(img, "b/node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"2\"}",
				 -1);
	catalog_fixture_add_text(img, "a/node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1\"}",
				 -1);
	catalog_fixture_image_finish(img);
	cat = catalog_fixture_catalog(img);
	if (cat) {
		CHECK_INT(cat->packages.nr, 7);
		for (size_t i = 0; i < cat->packages.nr && i < 7; i++) {
			CHECK_STR(cat->packages.items[i].type, want[i][0]);
			CHECK_STR(cat->packages.items[i].name, want[i][1]);
			CHECK_STR(cat->packages.items[i].version, want[i][2]);
		}
		if (cat->packages.nr == 7) {
			CHECK_STR(cat->packages.items[2].arch, "amd64");
			CHECK_STR(cat->packages.items[3].arch, "i386");
			CHECK_STR(cat->packages.items[4].path, "a/node_modules/a/package.json");
			CHECK_STR(cat->packages.items[5].path, "z/node_modules/a/package.json");
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(catalog_warnings_name_file_and_problem)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "lib/apk/db/installed", "garbage line\n", 0);
	catalog_fixture_add_text(img, "app/node_modules/\xff/package.json", "{", 0);
	catalog_fixture_image_finish(img);
	cat = catalog_fixture_catalog(img);
	if (cat) {
		CHECK_INT(cat->packages.nr, 0);
		CHECK_INT(cat->warnings.nr, 2);
		if (cat->warnings.nr == 2) {
			/* In cataloger order: apk before npm. */
			CHECK_STR(cat->warnings.msgs[0],
				  "damaged file 'lib/apk/db/installed': skipped 1 package "
				  "block; the first, at line 1, has a line that is not K:value");
			CHECK_STR(cat->warnings.msgs[1],
				  "damaged file 'app/node_modules/\xef\xbf\xbd/package.json': "
				  "invalid JSON");
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(catalog_empty_image)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_image_finish(img);
	cat = catalog_fixture_catalog(img);
	if (cat) {
		CHECK_INT(cat->packages.nr, 0);
		CHECK_INT(cat->warnings.nr, 0);
		CHECK(cat->os.id == NULL);
		CHECK(cat->img == img);
	}
	catalog_free(cat);
	catalog_free(NULL);
	catalog_fixture_image_free(img);
}
