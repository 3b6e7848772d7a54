/* Image ingestion: each archive kind and layer compression, read in one pass in any member order. */
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image_fixture.h"
#include "test.h"
#include "util/error.h"

/* Two layers: a base with os-release and a package database, then an update of the database. */
static void two_layers(struct fx_layer *layers, enum fx_comp c1, enum fx_comp c2)
{
	fx_layer_init(&layers[0], c1, "/bin/sh -c #(nop) ADD rootfs /");
	fx_tar_dir(&layers[0].tar, "./");
	fx_tar_dir(&layers[0].tar, "etc/");
	fx_tar_file(&layers[0].tar, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	fx_tar_file(&layers[0].tar, "var/lib/dpkg/status", "Package: base\n");
	fx_tar_file(&layers[0].tar, "junk/big", "not wanted");
	fx_tar_end(&layers[0].tar);
	fx_layer_init(&layers[1], c2, "RUN apt-get install curl");
	fx_tar_file(&layers[1].tar, "./var/lib/dpkg/status", "Package: base\n\nPackage: curl\n");
	fx_tar_end(&layers[1].tar);
}

static void check_two_layers(const struct image *img, const struct fx_digests *d)
{
	const struct fs_file *status, *os;

	CHECK_INT(img->nr_layers, 2);
	if (img->nr_layers != 2)
		return;
	CHECK_STR(img->layers[0].digest, d->layer[0]);
	CHECK_STR(img->layers[0].diff_id, d->diff_id[0]);
	CHECK_STR(img->layers[1].diff_id, d->diff_id[1]);
	CHECK_STR(img->layers[0].created_by, "/bin/sh -c #(nop) ADD rootfs /");
	CHECK_STR(img->layers[1].created_by, "RUN apt-get install curl");
	CHECK_STR(img->config_digest, d->config);
	CHECK_STR(img->os, "linux");
	CHECK_STR(img->architecture, "amd64");

	os = image_lookup(img, "etc/os-release");
	CHECK(os != NULL);
	if (os) {
		CHECK_STR((const char *)os->data, "ID=debian\nVERSION_ID=\"12\"\n");
		CHECK_INT(os->layer, 0);
		CHECK_INT(os->mode, 0644);
	}
	status = image_lookup(img, "var/lib/dpkg/status");
	CHECK(status != NULL);
	if (status) {
		CHECK_STR((const char *)status->data, "Package: base\n\nPackage: curl\n");
		CHECK_INT(status->layer, 1);
		CHECK(status->lower != NULL);
		if (status->lower) {
			CHECK_INT(status->lower->layer, 0);
			CHECK_STR((const char *)status->lower->data, "Package: base\n");
		}
	}
	CHECK(image_lookup(img, "junk/big") == NULL);
}

static void oci_archive_case(enum fx_comp c1, enum fx_comp c2)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {.tag = "12"};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	int rc;

	two_layers(layers, c1, c2);
	fx_build_oci(&a, layers, 2, &o, &d);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "  %s\n", err.buf);
	if (img) {
		CHECK_INT(img->kind, IMAGE_OCI_ARCHIVE);
		CHECK_STR(img->digest, d.manifest);
		CHECK_INT(img->nr_repo_tags, 1);
		if (img->nr_repo_tags)
			CHECK_STR(img->repo_tags[0], "12");
		check_two_layers(img, &d);
		if (img->nr_layers == 2) {
			CHECK_STR(img->layers[0].media_type,
				  c1 == FX_GZIP	  ? "application/vnd.oci.image.layer.v1.tar+gzip"
				  : c1 == FX_ZSTD ? "application/vnd.oci.image.layer.v1.tar+zstd"
						  : "application/vnd.oci.image.layer.v1.tar");
			CHECK_INT(img->layers[0].uncompressed_size, layers[0].tar.len);
			CHECK(img->layers[1].size > 0);
		}
	}
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
}

TEST(image_oci_archive_gzip)
{
	oci_archive_case(FX_GZIP, FX_GZIP);
}

TEST(image_oci_archive_zstd)
{
	oci_archive_case(FX_ZSTD, FX_ZSTD);
}

TEST(image_oci_archive_uncompressed_and_mixed)
{
	oci_archive_case(FX_NONE, FX_NONE);
	oci_archive_case(FX_GZIP, FX_ZSTD);
	oci_archive_case(FX_NONE, FX_GZIP);
}

TEST(image_oci_archive_single_thread_same_result)
{
	setenv("CUSTOMS_THREADS", "1", 1);
	oci_archive_case(FX_GZIP, FX_ZSTD);
	unsetenv("CUSTOMS_THREADS");
}

TEST(image_docker_legacy)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {.tag = "debian:12", .empty_history_first = 1};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	int rc;

	two_layers(layers, FX_GZIP, FX_GZIP);
	fx_build_docker_legacy(&a, layers, 2, &o, &d);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK_INT(img->kind, IMAGE_DOCKER_ARCHIVE);
		CHECK(img->digest == NULL);
		CHECK_INT(img->nr_repo_tags, 1);
		if (img->nr_repo_tags)
			CHECK_STR(img->repo_tags[0], "debian:12");
		check_two_layers(img, &d);
		if (img->nr_layers)
			CHECK(img->layers[0].media_type == NULL);
	}
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
}

TEST(image_docker25_layout)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {.tag = "app:1"};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	int rc;

	two_layers(layers, FX_GZIP, FX_GZIP);
	fx_build_docker25(&a, layers, 2, &o, &d);
	/* docker save writes manifest.json last, after the blobs. */
	fx_move_last(&a, "manifest.json");
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK_INT(img->kind, IMAGE_DOCKER_ARCHIVE);
		CHECK_STR(img->digest, d.manifest);
		CHECK_INT(img->nr_repo_tags, 1);
		if (img->nr_repo_tags)
			CHECK_STR(img->repo_tags[0], "app:1");
		check_two_layers(img, &d);
		if (img->nr_layers)
			CHECK_STR(img->layers[0].media_type, "application/vnd.oci.image.layer.v1.tar");
	}
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
}

TEST(image_manifest_last)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	char name[128];
	int rc;

	two_layers(layers, FX_GZIP, FX_ZSTD);
	fx_build_oci(&a, layers, 2, &o, &d);
	/* Layers first, in reverse order, then config, manifest and index. */
	snprintf(name, sizeof(name), "blobs/sha256/%.64s", d.layer[1] + 7);
	fx_move_first(&a, name);
	snprintf(name, sizeof(name), "blobs/sha256/%.64s", d.config + 7);
	fx_move_last(&a, name);
	snprintf(name, sizeof(name), "blobs/sha256/%.64s", d.manifest + 7);
	fx_move_last(&a, name);
	fx_move_last(&a, "index.json");
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img)
		check_two_layers(img, &d);
	image_free(img);
	fx_release(&a);

	img = NULL;
	fx_build_docker_legacy(&a, layers, 2, &o, &d);
	fx_move_first(&a, "manifest.json");
	snprintf(name, sizeof(name), "%.64s.json", d.config + 7);
	fx_move_last(&a, name);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img)
		check_two_layers(img, &d);
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
}

static void outer_compressed_case(enum fx_comp comp)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, tar = STRBUF_INIT, packed = STRBUF_INIT;
	struct image *img = NULL;
	int rc;

	two_layers(layers, FX_NONE, FX_NONE);
	fx_build_docker_legacy(&a, layers, 2, &o, &d);
	fx_serialize(&a, &tar);
	fx_compress(comp, tar.buf, tar.len, &packed);
	rc = fx_open_bytes(&img, packed.buf, packed.len, NULL, &err);
	CHECK_INT(rc, 0);
	if (img)
		check_two_layers(img, &d);
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
	strbuf_release(&tar);
	strbuf_release(&packed);
}

TEST(image_outer_gzip_and_zstd)
{
	outer_compressed_case(FX_GZIP);
	outer_compressed_case(FX_ZSTD);
}

TEST(image_same_blob_listed_twice)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {.repeat_first_layer = 1};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	int rc;

	two_layers(layers, FX_GZIP, FX_GZIP);
	fx_build_oci(&a, layers, 2, &o, &d);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *status = image_lookup(img, "var/lib/dpkg/status");

		CHECK_INT(img->nr_layers, 3);
		CHECK(status != NULL);
		/* The third layer is the first again, so its older database is on top. */
		if (status) {
			CHECK_INT(status->layer, 2);
			CHECK_STR((const char *)status->data, "Package: base\n");
			CHECK(status->lower && status->lower->layer == 1);
		}
	}
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
}

TEST(image_unreferenced_broken_blob_is_ignored)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, junk = STRBUF_INIT;
	struct image *img = NULL;
	static const char gzip_head[] = "\x1f\x8b\x08\x00garbage that does not inflate";
	int rc;

	two_layers(layers, FX_GZIP, FX_GZIP);
	fx_build_oci(&a, layers, 2, &o, &d);
	/* A blob of another platform, say, that nobody references: broken, and harmless. */
	fx_add(&a, "blobs/sha256/1111111111111111111111111111111111111111111111111111111111111111", gzip_head,
	       sizeof(gzip_head) - 1);
	fx_add(&a, "blobs/sha256/2222222222222222222222222222222222222222222222222222222222222222",
	       "\x01\x02", 2);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img)
		check_two_layers(img, &d);
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
	strbuf_release(&junk);
}

static size_t progress_calls, progress_last_done;
static uint64_t progress_last_bytes;

static void count_progress(void *data, size_t done, size_t total, uint64_t bytes)
{
	progress_calls++;
	progress_last_done = done;
	progress_last_bytes = bytes;
}

TEST(image_progress_reported)
{
	struct fx_layer layers[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, tar = STRBUF_INIT;
	struct image_options opt;
	struct image *img = NULL;
	int rc;

	two_layers(layers, FX_GZIP, FX_GZIP);
	fx_build_oci(&a, layers, 2, &o, &d);
	fx_serialize(&a, &tar);
	fx_options(&opt);
	opt.progress = count_progress;
	progress_calls = 0;
	rc = fx_open_bytes(&img, tar.buf, tar.len, &opt, &err);
	CHECK_INT(rc, 0);
	CHECK_INT(progress_calls, 3); /* after each layer, then at the end */
	CHECK_INT(progress_last_done, 2);
	CHECK_INT(progress_last_bytes, tar.len);
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 2);
	strbuf_release(&err);
	strbuf_release(&tar);
}

TEST(image_layer_without_trailer_like_umoci)
{
	struct fx_layer layers[1];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	int rc;

	/* umoci ends a layer right after the last file's bytes: no padding, no end blocks. */
	fx_layer_init(&layers[0], FX_GZIP, NULL);
	fx_tar_file(&layers[0].tar, "etc/os-release", "ID=alpine\n");
	layers[0].tar.len -= 512 - strlen("ID=alpine\n");
	fx_build_oci(&a, layers, 1, &o, &d);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img)
		CHECK_STR(fx_text(img, "etc/os-release"), "ID=alpine\n");
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 1);
	strbuf_release(&err);
}

TEST(image_long_names_and_lookup_order)
{
	struct fx_layer layers[1];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, name = STRBUF_INIT;
	struct image *img = NULL;
	size_t first, end;
	int rc, i;

	fx_layer_init(&layers[0], FX_GZIP, NULL);
	strbuf_addstr(&name, "usr/lib/node_modules");
	for (i = 0; i < 8; i++)
		strbuf_addstr(&name, "/deep-package-name");
	strbuf_addstr(&name, "/package.json");
	fx_tar_file(&layers[0].tar, name.buf, "{}");
	fx_tar_file(&layers[0].tar, "a/b", "1");
	fx_tar_file(&layers[0].tar, "a-b", "2");
	fx_tar_file(&layers[0].tar, "a/c/d", "3");
	fx_tar_file(&layers[0].tar, "a.txt", "4");
	fx_tar_file(&layers[0].tar, "a", "5");
	fx_tar_end(&layers[0].tar);
	fx_build_oci(&a, layers, 1, &o, &d);
	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK_STR(fx_text(img, name.buf), "{}");
		for (i = 1; i < (int)img->nr_files; i++)
			CHECK(strcmp(img->files[i - 1]->path, img->files[i]->path) != 0);
		image_files_under(img, "a", &first, &end);
		CHECK_INT(end - first, 3);
		if (end - first == 3) {
			CHECK_STR(img->files[first]->path, "a");
			CHECK_STR(img->files[first + 1]->path, "a/b");
			CHECK_STR(img->files[first + 2]->path, "a/c/d");
		}
		image_files_under(img, "usr/lib/node_modules/", &first, &end);
		CHECK_INT(end - first, 1);
		image_files_under(img, "", &first, &end);
		CHECK_INT(first, 0);
		CHECK_INT(end, img->nr_files);
		image_files_under(img, "nothing", &first, &end);
		CHECK_INT(end - first, 0);
	}
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, 1);
	strbuf_release(&err);
	strbuf_release(&name);
}
