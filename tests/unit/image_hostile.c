/* Image ingestion on bad input: every failure is one error naming the file, never a crash or a leak. */
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image_fixture.h"
#include "test.h"
#include "util/error.h"

static void base_layer(struct fx_layer *l, enum fx_comp comp)
{
	fx_layer_init(l, comp, NULL);
	fx_tar_file(&l->tar, "etc/os-release", "ID=debian\n");
	fx_tar_file(&l->tar, "var/lib/dpkg/status", "Package: a\n");
	fx_tar_end(&l->tar);
}

/* Open an OCI archive of the layers after fix() tampered with it; returns the code, message in err. */
static int open_tampered(struct fx_layer *layers, size_t n, const struct fx_opts *o,
			 void (*fix)(struct fx_archive *a, const struct fx_digests *d),
			 const struct image_options *opt, struct strbuf *err)
{
	struct fx_archive a = {.n = 0};
	struct fx_digests d;
	struct image *img = NULL;
	int rc;

	fx_build_oci(&a, layers, n, o, &d);
	if (fix)
		fix(&a, &d);
	rc = fx_open_archive(&img, &a, opt, err);
	if (!rc)
		CHECK(img != NULL);
	else
		CHECK(img == NULL);
	image_free(img);
	fx_release(&a);
	fx_layers_release(layers, n);
	return rc;
}

static struct fx_member *layer_member(struct fx_archive *a, const struct fx_digests *d, int i)
{
	char name[128];

	snprintf(name, sizeof(name), "blobs/sha256/%.64s", d->layer[i] + 7);
	return fx_find(a, name);
}

TEST(image_diff_id_mismatch)
{
	struct fx_layer l[2];
	struct fx_opts o = {.wrong_diff_id = 2};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	base_layer(&l[1], FX_ZSTD);
	CHECK_INT(open_tampered(l, 2, &o, NULL, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "digest mismatch in layer 'sha256:") != NULL);
	CHECK(strstr(err.buf, "image.tar") != NULL);
	strbuf_release(&err);
}

static void flip_layer_byte(struct fx_archive *a, const struct fx_digests *d)
{
	struct fx_member *m = layer_member(a, d, 0);
	/* A byte of file content in an uncompressed layer: the tar stays readable, the digest does not match.
	 */
	m->data.buf[512] ^= 1;
}

TEST(image_blob_digest_mismatch)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_NONE);
	CHECK_INT(open_tampered(l, 1, &o, flip_layer_byte, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "digest mismatch in layer 'sha256:") != NULL);
	CHECK(strstr(err.buf, "content is sha256:") != NULL);
	strbuf_release(&err);
}

static void change_config(struct fx_archive *a, const struct fx_digests *d)
{
	char name[128];
	struct fx_member *m;

	snprintf(name, sizeof(name), "blobs/sha256/%.64s", d->config + 7);
	m = fx_find(a, name);
	m->data.buf[m->data.len - 2] = ' ';
}

TEST(image_config_digest_mismatch)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, change_config, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "digest mismatch in config 'sha256:") != NULL);
	strbuf_release(&err);
}

static void cut_layer(struct fx_archive *a, const struct fx_digests *d)
{
	struct fx_member *m = layer_member(a, d, 0);
	m->data.len = m->data.len * 2 / 3;
}

TEST(image_truncated_gzip_layer)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, cut_layer, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "unexpected end of gzip stream") != NULL);
	CHECK(strstr(err.buf, "cannot read layer 'blobs/sha256/") != NULL);
	strbuf_release(&err);
}

TEST(image_truncated_zstd_layer)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_ZSTD);
	CHECK_INT(open_tampered(l, 1, &o, cut_layer, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "zstd") != NULL);
	strbuf_release(&err);
}

static void cut_tar_in_file(struct fx_archive *a, const struct fx_digests *d)
{
	struct fx_member *m = layer_member(a, d, 0);
	m->data.len = 512 + 5; /* inside the first file's bytes */
}

TEST(image_truncated_tar_layer)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_NONE);
	CHECK_INT(open_tampered(l, 1, &o, cut_tar_in_file, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "unexpected end of tar stream") != NULL);
	strbuf_release(&err);
}

TEST(image_truncated_gzip_layer_inside_tar)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT, tar = STRBUF_INIT;

	/* A gzip stream that ends cleanly around a tar that does not. */
	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&tar, "etc/os-release", "ID=debian\n");
	strbuf_add(&l[0].tar, tar.buf, 512 + 4);
	CHECK_INT(open_tampered(l, 1, &o, NULL, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "unexpected end of tar stream") != NULL);
	strbuf_release(&err);
	strbuf_release(&tar);
}

TEST(image_truncated_outer_archive)
{
	struct fx_layer l[1];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, tar = STRBUF_INIT, gz = STRBUF_INIT;
	struct image *img = NULL;
	size_t cut;

	base_layer(&l[0], FX_GZIP);
	fx_build_oci(&a, l, 1, &o, &d);
	fx_move_last(&a, "blobs/sha256/");
	fx_serialize(&a, &tar);
	for (cut = 100; cut < tar.len - 1024; cut += 700) {
		CHECK_INT(fx_open_bytes(&img, tar.buf, cut, NULL, &err), ERR_BAD_INPUT);
		CHECK(strstr(err.buf, "image.tar") != NULL);
	}
	fx_compress(FX_GZIP, tar.buf, tar.len, &gz);
	CHECK_INT(fx_open_bytes(&img, gz.buf, gz.len - 10, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "unexpected end of gzip stream") != NULL);
	fx_compress(FX_ZSTD, tar.buf, tar.len, &gz);
	CHECK_INT(fx_open_bytes(&img, gz.buf, gz.len - 10, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "unexpected end of zstd stream") != NULL);
	CHECK(img == NULL);
	fx_release(&a);
	fx_layers_release(l, 1);
	strbuf_release(&err);
	strbuf_release(&tar);
	strbuf_release(&gz);
}

static void layer_entry_case(const char *name, const char *expect)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "etc/ok", "fine");
	fx_tar_file(&l[0].tar, name, "evil");
	fx_tar_end(&l[0].tar);
	CHECK_INT(open_tampered(l, 1, &o, NULL, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, expect) != NULL);
	CHECK(strstr(err.buf, "cannot read layer 'blobs/sha256/") != NULL);
	strbuf_release(&err);
}

TEST(image_dotdot_and_absolute_entries_in_layer)
{
	layer_entry_case("../../etc/cron.d/x", "escapes the image root");
	layer_entry_case("etc/../../x", "escapes the image root");
	layer_entry_case("/etc/passwd", "absolute path '/etc/passwd'");
}

static void outer_entry_case(const char *name, const char *expect)
{
	struct fx_layer l[1];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;

	base_layer(&l[0], FX_GZIP);
	fx_build_oci(&a, l, 1, &o, &d);
	fx_add(&a, name, "x", 1);
	CHECK_INT(fx_open_archive(&img, &a, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, expect) != NULL);
	CHECK(img == NULL);
	fx_release(&a);
	fx_layers_release(l, 1);
	strbuf_release(&err);
}

TEST(image_dotdot_and_absolute_outer_members)
{
	outer_entry_case("../x", "escapes the image root");
	outer_entry_case("/abs", "absolute path '/abs'");
}

TEST(image_decompression_bomb)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;
	struct image_options opt;
	size_t big = 8u << 20;
	char *zeros = calloc(1, big);

	/* 8 MiB of zeros gzip to a few KiB. */
	fx_options(&opt);
	opt.max_layer_bytes = 1u << 20;
	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_entry(&l[0].tar, "junk/zeros", '0', zeros, big, NULL, 0644);
	fx_tar_end(&l[0].tar);
	CHECK_INT(open_tampered(l, 1, &o, NULL, &opt, &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "exceeds the decompressed size limit of 1048576 bytes") != NULL);
	CHECK(strstr(err.buf, "--max-layer-size") != NULL);

	fx_options(&opt);
	opt.max_image_bytes = 2u << 20;
	fx_layer_init(&l[0], FX_ZSTD, NULL);
	fx_tar_entry(&l[0].tar, "junk/zeros", '0', zeros, big, NULL, 0644);
	fx_tar_end(&l[0].tar);
	CHECK_INT(open_tampered(l, 1, &o, NULL, &opt, &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "--max-image-size") != NULL);
	free(zeros);
	strbuf_release(&err);
}

TEST(image_absurd_size_in_header)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	/* A kept file claiming 60 GiB in a tiny layer: caught as truncation, with no huge allocation. */
	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "var/lib/dpkg/status", "Package: a\n");
	memcpy(l[0].tar.buf + 124, "00700000000", 11);
	{
		unsigned sum = 0;
		size_t i;

		memset(l[0].tar.buf + 148, ' ', 8);
		for (i = 0; i < 512; i++)
			sum += (unsigned char)l[0].tar.buf[i];
		snprintf(l[0].tar.buf + 148, 8, "%06o", sum);
		l[0].tar.buf[155] = ' ';
	}
	fx_tar_end(&l[0].tar);
	CHECK_INT(open_tampered(l, 1, &o, NULL, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "cannot read layer") != NULL);
	strbuf_release(&err);
}

TEST(image_not_an_image)
{
	struct strbuf err = STRBUF_INIT, tar = STRBUF_INIT;
	struct image *img = NULL;
	static const char garbage[] = "this is just some text, not an archive at all\n";

	CHECK_INT(fx_open_bytes(&img, garbage, sizeof(garbage) - 1, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "is not a container image (no manifest.json or index.json)") != NULL);
	CHECK_INT(fx_open_bytes(&img, "", 0, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "is not a container image") != NULL);

	/* A plain root filesystem tar is not an image either. */
	fx_tar_file(&tar, "etc/os-release", "ID=debian\n");
	fx_tar_file(&tar, "package.json", "{\"name\":\"x\"}");
	fx_tar_end(&tar);
	CHECK_INT(fx_open_bytes(&img, tar.buf, tar.len, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "is not a container image (no manifest.json or index.json)") != NULL);
	CHECK(img == NULL);
	CHECK_INT(image_open(&img, "/nonexistent/image.tar", NULL, &err), ERR_NOT_FOUND);
	CHECK(strstr(err.buf, "/nonexistent/image.tar") != NULL);
	strbuf_release(&err);
	strbuf_release(&tar);
}

static void drop_layer(struct fx_archive *a, const struct fx_digests *d)
{
	fx_remove(a, layer_member(a, d, 0)->name);
}

static void drop_config(struct fx_archive *a, const struct fx_digests *d)
{
	char name[128];

	snprintf(name, sizeof(name), "blobs/sha256/%.64s", d->config + 7);
	fx_remove(a, name);
}

static void drop_index(struct fx_archive *a, const struct fx_digests *d)
{
	fx_remove(a, "index.json");
}

TEST(image_missing_blobs)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, drop_layer, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "is missing") != NULL);
	CHECK(strstr(err.buf, "blobs/sha256/") != NULL);
	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, drop_config, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "config 'blobs/sha256/") != NULL);
	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, drop_index, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "no manifest.json or index.json") != NULL);
	strbuf_release(&err);
}

TEST(image_bad_diff_id_lists)
{
	struct fx_layer l[1];
	struct fx_opts none = {.no_diff_ids = 1}, extra = {.extra_diff_id = 1};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &none, NULL, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "rootfs.diff_ids") != NULL);
	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &extra, NULL, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "lists 1 layers but config") != NULL);
	strbuf_release(&err);
}

static void layer_not_tar(struct fx_archive *a, const struct fx_digests *d)
{
	struct fx_member *m = layer_member(a, d, 0);

	strbuf_reset(&m->data);
	strbuf_addstr(&m->data, "PK\x03\x04 a zip file is not a layer");
}

TEST(image_layer_not_a_tar)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, layer_not_tar, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "not a tar, gzip or zstd stream") != NULL);
	strbuf_release(&err);
}

static void garbage_json(struct fx_archive *a, const struct fx_digests *d)
{
	struct fx_member *m = fx_find(a, "index.json");

	strbuf_reset(&m->data);
	strbuf_addstr(&m->data, "{\"manifests\": [{\"digest\": 7}, \"x\", {\"digest\": \"sha512:ab\"}]");
}

TEST(image_garbage_index)
{
	struct fx_layer l[1];
	struct fx_opts o = {0};
	struct strbuf err = STRBUF_INIT;

	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, garbage_json, NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "index.json") != NULL);
	strbuf_release(&err);
}

TEST(image_metadata_over_cap)
{
	struct fx_layer l[1];
	struct fx_opts o = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct image_options opt;

	fx_options(&opt);
	opt.max_metadata_bytes = 100;
	base_layer(&l[0], FX_GZIP);
	CHECK_INT(open_tampered(l, 1, &o, NULL, &opt, &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "exceeds the metadata size limit of 100 bytes") != NULL);
	strbuf_release(&err);
}
