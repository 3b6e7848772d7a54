/* Image ingestion: whiteouts, links, per-file caps and the merged view across layers. */
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image_fixture.h"
#include "test.h"
#include "util/error.h"

/* Build an OCI archive from n layers and open it; returns the image or NULL. */
static struct image *open_layers(struct fx_layer *layers, size_t n, const struct image_options *opt, int *rc,
				 struct strbuf *err)
{
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct image *img = NULL;

	fx_build_oci(&a, layers, n, &o, &d);
	*rc = fx_open_archive(&img, &a, opt, err);
	fx_release(&a);
	fx_layers_release(layers, n);
	return img;
}

TEST(image_whiteout_file)
{
	struct fx_layer l[2];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "etc/secret", "s");
	fx_tar_file(&l[0].tar, "etc/keep", "k");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_file(&l[1].tar, "etc/.wh.secret", "");
	fx_tar_end(&l[1].tar);
	img = open_layers(l, 2, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK(image_lookup(img, "etc/secret") == NULL);
		CHECK_STR(fx_text(img, "etc/keep"), "k");
		CHECK(image_lookup(img, "etc/.wh.secret") == NULL);
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_whiteout_directory)
{
	struct fx_layer l[2];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_ZSTD, NULL);
	fx_tar_dir(&l[0].tar, "app/node_modules/");
	fx_tar_file(&l[0].tar, "app/node_modules/left-pad/package.json", "{\"version\":\"1\"}");
	fx_tar_file(&l[0].tar, "app/node_modules/x/y/package.json", "{}");
	fx_tar_file(&l[0].tar, "app/node_modules2/package.json", "{}");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_ZSTD, NULL);
	fx_tar_file(&l[1].tar, "app/.wh.node_modules", "");
	fx_tar_end(&l[1].tar);
	img = open_layers(l, 2, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		size_t first, end;

		image_files_under(img, "app/node_modules", &first, &end);
		CHECK_INT(end - first, 0);
		CHECK(image_lookup(img, "app/node_modules2/package.json") != NULL);
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_whiteout_opaque)
{
	struct fx_layer l[3];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "usr/lib/node_modules/a/package.json", "old-a");
	fx_tar_file(&l[0].tar, "usr/lib/node_modules/b/package.json", "old-b");
	fx_tar_file(&l[0].tar, "usr/lib/other", "o");
	fx_tar_end(&l[0].tar);
	/* The opaque marker hides the lower folder's content but not what this layer puts there. */
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_dir(&l[1].tar, "usr/lib/node_modules/");
	fx_tar_file(&l[1].tar, "usr/lib/node_modules/b/package.json", "new-b");
	fx_tar_file(&l[1].tar, "usr/lib/node_modules/.wh..wh..opq", "");
	fx_tar_end(&l[1].tar);
	fx_layer_init(&l[2], FX_GZIP, NULL);
	fx_tar_file(&l[2].tar, "usr/lib/node_modules/c/package.json", "c");
	fx_tar_end(&l[2].tar);
	img = open_layers(l, 3, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *b = image_lookup(img, "usr/lib/node_modules/b/package.json");

		CHECK(image_lookup(img, "usr/lib/node_modules/a/package.json") == NULL);
		CHECK(b != NULL);
		if (b) {
			CHECK_STR((const char *)b->data, "new-b");
			CHECK(b->lower == NULL); /* the deleted version is not reachable */
		}
		CHECK_STR(fx_text(img, "usr/lib/node_modules/c/package.json"), "c");
		CHECK_STR(fx_text(img, "usr/lib/other"), "o");
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_file_readded_after_whiteout)
{
	struct fx_layer l[3];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "var/lib/dpkg/status", "v1");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_file(&l[1].tar, "var/lib/dpkg/.wh.status", "");
	fx_tar_end(&l[1].tar);
	fx_layer_init(&l[2], FX_GZIP, NULL);
	fx_tar_file(&l[2].tar, "var/lib/dpkg/status", "v3");
	fx_tar_end(&l[2].tar);
	img = open_layers(l, 3, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *f = image_lookup(img, "var/lib/dpkg/status");

		CHECK(f != NULL);
		if (f) {
			CHECK_STR((const char *)f->data, "v3");
			CHECK_INT(f->layer, 2);
			CHECK(f->lower == NULL);
		}
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_whiteout_and_file_in_same_layer)
{
	struct fx_layer l[2];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "etc/conf/a", "old");
	fx_tar_end(&l[0].tar);
	/* Whiteouts apply to lower layers only, whatever their order in the tar. */
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_file(&l[1].tar, "etc/conf/b", "new");
	fx_tar_file(&l[1].tar, "etc/.wh.conf", "");
	fx_tar_end(&l[1].tar);
	img = open_layers(l, 2, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK(image_lookup(img, "etc/conf/a") == NULL);
		CHECK_STR(fx_text(img, "etc/conf/b"), "new");
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_hardlink)
{
	struct fx_layer l[1];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "usr/share/doc/a", "shared bytes");
	fx_tar_hardlink(&l[0].tar, "usr/share/doc/b", "usr/share/doc/a");
	fx_tar_file(&l[0].tar, "junk/unkept", "x");
	fx_tar_hardlink(&l[0].tar, "usr/share/doc/c", "junk/unkept");
	fx_tar_end(&l[0].tar);
	img = open_layers(l, 1, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *c = image_lookup(img, "usr/share/doc/c");

		CHECK_STR(fx_text(img, "usr/share/doc/b"), "shared bytes");
		CHECK(c != NULL);
		if (c)
			CHECK(c->truncated);
		CHECK_INT(img->warnings.nr, 1);
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_symlinks_usrmerge)
{
	struct fx_layer l[2];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_dir(&l[0].tar, "lib/");
	fx_tar_file(&l[0].tar, "lib/apk/db/installed", "old, hidden by the lib link");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_symlink(&l[1].tar, "lib", "usr/lib");
	fx_tar_file(&l[1].tar, "usr/lib/os-release", "ID=debian\n");
	fx_tar_symlink(&l[1].tar, "etc/os-release", "../usr/lib/os-release");
	fx_tar_symlink(&l[1].tar, "etc/abs", "/usr/lib/os-release");
	fx_tar_symlink(&l[1].tar, "etc/escape", "../../../../usr/lib/os-release");
	fx_tar_symlink(&l[1].tar, "etc/dangling", "/nowhere");
	fx_tar_symlink(&l[1].tar, "junk/deep/link/not/kept", "/etc");
	fx_tar_end(&l[1].tar);
	img = open_layers(l, 2, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *f;
		const struct fs_file *lib = image_lookup(img, "lib");

		CHECK(lib && lib->kind == FS_SYMLINK);
		if (lib)
			CHECK_STR(lib->link_target, "usr/lib");
		CHECK(image_lookup(img, "lib/apk/db/installed") == NULL);
		CHECK_INT(image_resolve(img, "lib/os-release", &f, &err), 0);
		CHECK(f && !strcmp(f->path, "usr/lib/os-release"));
		CHECK_INT(image_resolve(img, "etc/os-release", &f, &err), 0);
		CHECK(f && !strcmp(f->path, "usr/lib/os-release"));
		CHECK_INT(image_resolve(img, "/etc/abs", &f, &err), 0);
		CHECK(f && !strcmp(f->path, "usr/lib/os-release"));
		CHECK_INT(image_resolve(img, "etc/escape", &f, &err), 0);
		CHECK(f && !strcmp(f->path, "usr/lib/os-release"));
		CHECK_INT(image_resolve(img, "etc/dangling", &f, &err), 0);
		CHECK(f == NULL);
		CHECK_INT(image_resolve(img, "lib/missing", &f, &err), 0);
		CHECK(f == NULL);
		CHECK(image_lookup(img, "junk/deep/link/not/kept") == NULL);
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_symlink_loop)
{
	struct fx_layer l[1];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_symlink(&l[0].tar, "a", "b");
	fx_tar_symlink(&l[0].tar, "b", "a");
	fx_tar_symlink(&l[0].tar, "self", "self/x");
	fx_tar_end(&l[0].tar);
	img = open_layers(l, 1, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *f = (const struct fs_file *)1;

		CHECK_INT(image_resolve(img, "a/os-release", &f, &err), ERR_BAD_INPUT);
		CHECK(f == NULL);
		CHECK(strstr(err.buf, "symlink loop at 'a/os-release'") != NULL);
		CHECK_INT(image_resolve(img, "self", &f, &err), ERR_BAD_INPUT);
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_file_cap_truncates)
{
	struct fx_layer l[1];
	struct strbuf err = STRBUF_INIT;
	struct image_options opt;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "var/lib/dpkg/status", "0123456789abcdefghijklmnopqrstuvwxyz");
	fx_tar_file(&l[0].tar, "etc/small", "ok");
	fx_tar_end(&l[0].tar);
	fx_options(&opt);
	opt.max_file_size = 10;
	img = open_layers(l, 1, &opt, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *f = image_lookup(img, "var/lib/dpkg/status");

		CHECK(f != NULL);
		if (f) {
			CHECK(f->truncated);
			CHECK_INT(f->size, 10);
			CHECK_INT(f->real_size, 36);
			CHECK_STR((const char *)f->data, "0123456789");
		}
		CHECK_STR(fx_text(img, "etc/small"), "ok");
		CHECK_INT(img->warnings.nr, 1);
		if (img->warnings.nr)
			CHECK(strstr(img->warnings.msgs[0], "var/lib/dpkg/status") != NULL);
	}
	image_free(img);
	strbuf_release(&err);
}

TEST(image_non_regular_shadows_lower_file)
{
	struct fx_layer l[2];
	struct strbuf err = STRBUF_INIT;
	struct image *img;
	int rc;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "etc/thing", "a file");
	fx_tar_file(&l[0].tar, "etc/dir/f", "under a folder that stays");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_dir(&l[1].tar, "etc/thing/");
	fx_tar_dir(&l[1].tar, "etc/dir/");
	fx_tar_end(&l[1].tar);
	img = open_layers(l, 2, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *t = image_lookup(img, "etc/thing");

		CHECK(t && t->kind == FS_OTHER && t->data == NULL);
		CHECK_STR(fx_text(img, "etc/dir/f"), "under a folder that stays");
	}
	image_free(img);
	strbuf_release(&err);
}
