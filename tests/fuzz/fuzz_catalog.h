/* Shared body of the cataloger fuzz targets: one fuzzed file in a fake two-layer image. */
#ifndef CUSTOMS_TESTS_FUZZ_FUZZ_CATALOG_H
#define CUSTOMS_TESTS_FUZZ_FUZZ_CATALOG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "util/strbuf.h"

/*
 * The first input byte picks the file's path from paths (a seed starting
 * with '0' gets paths[0], '1' paths[1], ...); the rest is its contents. The
 * file sits in layer 1 on top of an older version holding the first half of
 * the contents, so the run also re-parses a lower version the way layer
 * attribution does.
 */
static int fuzz_catalog_one_file(const char *const *paths, size_t nr_paths, const uint8_t *data, size_t size)
{
	struct fs_file lower, top;
	const struct fs_file *files[1];
	struct image img;
	struct catalog *cat = NULL;
	struct strbuf err = STRBUF_INIT;
	unsigned char *full, *half;

	if (!size)
		return 0;
	memset(&img, 0, sizeof(img));
	memset(&lower, 0, sizeof(lower));
	memset(&top, 0, sizeof(top));
	top.path = lower.path = paths[data[0] % nr_paths];
	data++;
	size--;

	/* Like the image reader, keep each version NUL-terminated in a buffer of its own size. */
	full = malloc(size + 1);
	half = malloc(size / 2 + 1);
	if (!full || !half)
		abort();
	if (size)
		memcpy(full, data, size);
	full[size] = '\0';
	if (size / 2)
		memcpy(half, data, size / 2);
	half[size / 2] = '\0';

	lower.kind = FS_REGULAR;
	lower.data = half;
	lower.size = lower.real_size = size / 2;
	lower.layer = 0;
	top.kind = FS_REGULAR;
	top.data = full;
	top.size = top.real_size = size;
	top.layer = 1;
	top.lower = &lower;

	files[0] = &top;
	img.kind = IMAGE_ROOTFS;
	img.files = files;
	img.nr_files = 1;
	if (catalog_build(&cat, &img, &err) == 0)
		catalog_free(cat);
	strbuf_release(&err);
	free(full);
	free(half);
	return 0;
}

#endif
