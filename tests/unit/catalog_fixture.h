/* Fake images for the catalog tests, built in memory so they need nothing from scanner/image/. */
#ifndef CUSTOMS_TESTS_UNIT_CATALOG_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_CATALOG_FIXTURE_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "image/image.h"

/* An empty image; free it with catalog_fixture_image_free(), never image_free(). */
struct image *catalog_fixture_image_new(void);
void catalog_fixture_image_free(struct image *img);

/*
 * Add a regular file (data is copied and NUL-terminated) or a symlink in
 * layer (-1 for a rootfs). When the path is already there the new entry
 * becomes its newest version and the old one its `lower`. The returned
 * entry lives in the image's arena; callers may set fields such as
 * truncated before catalog_fixture_image_finish().
 */
struct fs_file *catalog_fixture_add_file(struct image *img, const char *path, const void *data, size_t size,
					 int layer);
struct fs_file *catalog_fixture_add_text(struct image *img, const char *path, const char *text, int layer);
struct fs_file *catalog_fixture_add_symlink(struct image *img, const char *path, const char *target,
					    int layer);

/*
 * Add every file under dir that catalog_wants() keeps, as the image reader
 * would, at its path relative to dir. Returns the number of files added, or
 * -1 when dir cannot be read.
 */
int catalog_fixture_load_dir(struct image *img, const char *dir, int layer);

/* Sort the merged view as image_open leaves it ("/" before other bytes). Call before catalog_build. */
void catalog_fixture_image_finish(struct image *img);

/* The whole file at path, NUL-terminated, or NULL; the caller frees it. */
char *catalog_fixture_read_file(const char *path, size_t *size);

/* The packages of cat with this name (and version when not NULL), counted, the first returned. */
const struct package *catalog_fixture_find(const struct catalog *cat, const char *name, const char *version,
					   size_t *count);

/* Build a catalog from img (which must be finished); fails the test and returns NULL on error. */
struct catalog *catalog_fixture_catalog(const struct image *img);

/* One package an expected.json lists; NULL fields are not checked. */
struct catalog_fixture_expect {
	const char *name, *version, *source_name, *source_version, *arch, *license;
};

/*
 * Check that the packages of type in cat are exactly those expected: each
 * expected one found once with the fields given, and no other package.
 */
void catalog_fixture_check_expected(const struct catalog *cat, const char *type,
				    const struct catalog_fixture_expect *want, size_t nr_want);

/*
 * Read the "packages" of an expected.json from ../shared/data/pkgdb into
 * *out (strings in a; the caller frees *out). The fixtures come from
 * several projects, so this understands their field names: Name/name,
 * Version/version (trivy splits Debian versions into Epoch, Version and
 * Release), SrcName/source/origin/Metadata.SourceName,
 * SrcVersion/source_version/Metadata.SourceVersion,
 * Arch/architecture/Metadata.Architecture and a license string. Returns the
 * count, or -1 when the file cannot be read.
 */
long catalog_fixture_load_expected(const char *path, struct arena *a, struct catalog_fixture_expect **out);

/* The shared data path dir/rel in a static buffer; NULL (test skipped) when ../shared/data is missing. */
const char *catalog_fixture_shared_path(const char *rel);

#endif
