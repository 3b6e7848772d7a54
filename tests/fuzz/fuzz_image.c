/* libFuzzer target for image ingestion: any bytes as an image tarball, read on one thread with small caps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/image.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int want_few(const char *path, void *unused)
{
	(void)unused;
	return strstr(path, "os-release") || strstr(path, "status") || strstr(path, "installed") ||
	       strstr(path, "package.json");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* One thread keeps runs deterministic and reproducible. */
	setenv("CUSTOMS_THREADS", "1", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static const char *const paths[] = {"etc/os-release", "lib/apk/db/installed", "var/lib/dpkg/status",
					    "usr/lib/os-release"};
	struct strbuf err = STRBUF_INIT;
	struct image_options opt;
	struct image *img = NULL;
	char path[64];
	size_t i, first, end;

	if (fd < 0)
		fd = memfd_create("fuzz-image", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	/* A fresh open of the memfd: the reader starts at offset 0 and never seeks. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	image_options_init(&opt);
	opt.want = want_few;
	opt.max_file_size = 4096;
	opt.max_layer_bytes = 1u << 20;
	opt.max_image_bytes = 4u << 20;
	opt.max_metadata_bytes = 64u << 10;
	if (!image_open(&img, path, &opt, &err)) {
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			const struct fs_file *f;

			image_lookup(img, paths[i]);
			image_resolve(img, paths[i], &f, &err);
		}
		image_files_under(img, "usr/lib", &first, &end);
		image_free(img);
	}
	strbuf_release(&err);
	return 0;
}
