/* Unit tests for the apk cataloger: real databases, purls and hostile input. */
#include "test.h"

#include <stdlib.h>

#include "catalog_fixture.h"
#include "util/strbuf.h"

static struct catalog *apk_catalog_of(struct image *img, const char *text)
{
	if (text)
		catalog_fixture_add_text(img, "lib/apk/db/installed", text, -1);
	catalog_fixture_image_finish(img);
	return catalog_fixture_catalog(img);
}

static struct catalog *apk_fixture(const char *name, struct image **img_out,
				   struct catalog_fixture_expect **want, long *nr_want, struct arena *a)
{
	struct strbuf rel = STRBUF_INIT;
	struct image *img;
	const char *dir;

	strbuf_addf(&rel, "pkgdb/apk/%s", name);
	dir = catalog_fixture_shared_path(rel.buf);
	strbuf_release(&rel);
	*img_out = NULL;
	if (!dir)
		return NULL;
	img = catalog_fixture_image_new();
	CHECK_INT(catalog_fixture_load_dir(img, dir, -1), 1);
	strbuf_addf(&rel, "%s/expected.json", dir);
	*nr_want = catalog_fixture_load_expected(rel.buf, a, want);
	strbuf_release(&rel);
	catalog_fixture_add_text(img, "etc/alpine-release", "3.18.0\n", -1);
	*img_out = img;
	return apk_catalog_of(img, NULL);
}

TEST(apk_fixture_scalibr_alpine318)
{
	struct arena a = ARENA_INIT;
	struct catalog_fixture_expect *want = NULL;
	struct image *img;
	long n = 0;
	struct catalog *cat = apk_fixture("scalibr-alpine318", &img, &want, &n, &a);

	if (cat) {
		const struct package *p = catalog_fixture_find(cat, "ca-certificates-bundle", NULL, NULL);

		CHECK_INT(n, 15);
		catalog_fixture_check_expected(cat, "apk", want, (size_t)n);
		CHECK_INT(cat->warnings.nr, 0);
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->source_name, "ca-certificates");
			CHECK_STR(p->license, "MPL-2.0 AND MIT");
			CHECK_STR(
			    p->purl,
			    "pkg:apk/alpine/ca-certificates-bundle@20230506-r0?arch=x86_64&distro=3.18.0");
			CHECK_STR(p->path, "lib/apk/db/installed");
			CHECK_STR(p->cataloger, "apk");
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	free(want);
	arena_release(&a);
}

TEST(apk_fixture_trivy)
{
	struct arena a = ARENA_INIT;
	struct catalog_fixture_expect *want = NULL;
	struct image *img;
	long n = 0;
	struct catalog *cat = apk_fixture("trivy-apk", &img, &want, &n, &a);

	if (cat) {
		CHECK_INT(n, 15);
		catalog_fixture_check_expected(cat, "apk", want, (size_t)n);
		/* The fixture holds a block with a name and no version: skipped, and said so. */
		CHECK_INT(cat->warnings.nr, 1);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0], "has no V:") != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	free(want);
	arena_release(&a);
}

TEST(apk_purl_and_fields)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_symlink(img, "etc/os-release", "../usr/lib/os-release", -1);
	catalog_fixture_add_text(img, "usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n", -1);
	cat = apk_catalog_of(img, "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\n"
				  "F:lib\nR:libc.so\nZ:Q1x=\n\n"
				  "P:noorigin\nV:1.0-r0\nP:second-name-ignored\n\n\n\n");
	if (cat) {
		const struct package *p;

		CHECK_INT(cat->packages.nr, 2);
		CHECK_INT(cat->warnings.nr, 0);
		if ((p = catalog_fixture_find(cat, "musl", NULL, NULL))) {
			CHECK_STR(p->purl,
				  "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1");
			CHECK_STR(p->type, "apk");
			CHECK_STR(p->source_version, "1.2.4_git20230717-r4");
		}
		if ((p = catalog_fixture_find(cat, "noorigin", NULL, NULL))) {
			CHECK_STR(p->source_name, "noorigin");
			CHECK(p->arch == NULL);
			CHECK(p->license == NULL);
			CHECK_STR(p->purl, "pkg:apk/alpine/noorigin@1.0-r0?distro=3.19.1");
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	/* With no OS known the namespace is alpine and there is no distro. */
	img = catalog_fixture_image_new();
	cat = apk_catalog_of(img, "P:zlib\nV:1.3-r2\nA:aarch64\n");
	if (cat && cat->packages.nr == 1)
		CHECK_STR(cat->packages.items[0].purl, "pkg:apk/alpine/zlib@1.3-r2?arch=aarch64");
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(apk_hostile_input)
{
	struct image *img;
	struct catalog *cat;
	struct strbuf sb = STRBUF_INIT;
	unsigned char garbage[2048];
	unsigned int seed = 99;

	img = catalog_fixture_image_new();
	cat = apk_catalog_of(img, "");
	if (cat) {
		CHECK_INT(cat->packages.nr, 0);
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	for (size_t i = 0; i < sizeof(garbage); i++) {
		seed = seed * 1103515245 + 12345;
		garbage[i] = (unsigned char)(seed >> 16);
	}
	img = catalog_fixture_image_new();
	catalog_fixture_add_file(img, "lib/apk/db/installed", garbage, sizeof(garbage), -1);
	cat = apk_catalog_of(img, NULL);
	if (cat) {
		CHECK_INT(cat->packages.nr, 0);
		CHECK_INT(cat->warnings.nr, 1);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	/* A huge T: line, a line that is not K:value, a NUL and a block with no final newline. */
	strbuf_addstr(&sb, "P:big\nV:1\nT:");
	strbuf_grow(&sb, 4u << 20);
	memset(sb.buf + sb.len, 'z', 4u << 20);
	sb.len += 4u << 20;
	strbuf_addstr(&sb, "\n\nP:junk\nV:1\nnot a field\n\nP:nul\nV:1\nT:a");
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, "\n\nP:last\nV:2");
	img = catalog_fixture_image_new();
	catalog_fixture_add_file(img, "lib/apk/db/installed", sb.buf, sb.len, -1);
	cat = apk_catalog_of(img, NULL);
	if (cat) {
		CHECK_INT(cat->packages.nr, 2);
		CHECK(catalog_fixture_find(cat, "big", "1", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "last", "2", NULL) != NULL);
		CHECK_INT(cat->warnings.nr, 1);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0], "skipped 2 package blocks") != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	strbuf_release(&sb);
}
