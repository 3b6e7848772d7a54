/* The image observer: every entry of every layer, contents in chunks, and layer tokens mapped to indexes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image/image.h"
#include "image_fixture.h"
#include "test.h"
#include "util/error.h"
#include "util/xalloc.h"

struct seen_entry {
	char *path;
	enum fs_entry_kind kind;
	enum image_whiteout whiteout;
	uint32_t mode;
	uint64_t size;
	int token;
	int hardlink;
	struct strbuf contents;
	int ends;
	int chunks;
};

struct recorder {
	struct seen_entry e[256];
	size_t n;
	struct seen_entry *cur; /* the file whose contents are arriving */
	size_t enough_after;	/* answer ENOUGH once a file has this many bytes; 0 never */
	int want_all;
	int bad_calls; /* contents or end outside a wanted file */
};

static int rec_entry(void *data, const struct image_entry *ie)
{
	struct recorder *r = data;
	struct seen_entry *s;

	if (r->cur)
		r->bad_calls++;
	if (r->n == sizeof(r->e) / sizeof(r->e[0]))
		return 0;
	s = &r->e[r->n++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(ie->path);
	s->kind = ie->kind;
	s->whiteout = ie->whiteout;
	s->mode = ie->mode;
	s->size = ie->size;
	s->token = ie->layer_token;
	s->hardlink = ie->hardlink != NULL;
	strbuf_init(&s->contents, 0);
	if (r->want_all && ie->kind == FS_REGULAR && !ie->hardlink) {
		r->cur = s;
		return 1;
	}
	return 0;
}

static int rec_contents(void *data, const void *buf, size_t len)
{
	struct recorder *r = data;

	if (!r->cur) {
		r->bad_calls++;
		return IMAGE_OBSERVE_ENOUGH;
	}
	strbuf_add(&r->cur->contents, buf, len);
	r->cur->chunks++;
	if (r->enough_after && r->cur->contents.len >= r->enough_after)
		return IMAGE_OBSERVE_ENOUGH;
	return IMAGE_OBSERVE_MORE;
}

static void rec_end(void *data)
{
	struct recorder *r = data;

	if (!r->cur) {
		r->bad_calls++;
		return;
	}
	r->cur->ends++;
	r->cur = NULL;
}

static void rec_release(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->e[i].path);
		strbuf_release(&r->e[i].contents);
	}
	free(r);
}

static struct seen_entry *rec_find(struct recorder *r, const char *path, enum image_whiteout wh)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->e[i].path, path) && r->e[i].whiteout == wh)
			return &r->e[i];
	return NULL;
}

static struct recorder *rec_new(struct image_observer *obs, struct image_options *opt)
{
	struct recorder *r = xcalloc(1, sizeof(*r));

	r->want_all = 1;
	memset(obs, 0, sizeof(*obs));
	obs->entry = rec_entry;
	obs->contents = rec_contents;
	obs->end = rec_end;
	obs->data = r;
	fx_options(opt);
	opt->observer = obs;
	return r;
}

static struct image *open_oci(struct fx_layer *layers, size_t n, const struct image_options *opt,
			      struct strbuf *err)
{
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct image *img = NULL;
	int rc;

	fx_build_oci(&a, layers, n, &o, &d);
	rc = fx_open_archive(&img, &a, opt, err);
	CHECK_INT(rc, 0);
	fx_release(&a);
	fx_layers_release(layers, n);
	return img;
}

TEST(image_observer_sees_deleted_files)
{
	struct image_observer obs;
	struct image_options opt;
	struct recorder *r = rec_new(&obs, &opt);
	struct strbuf err = STRBUF_INIT;
	struct fx_layer l[2];
	struct seen_entry *s;
	struct image *img;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_dir(&l[0].tar, "etc/");
	fx_tar_file(&l[0].tar, "etc/secret", "s3cr3t");
	fx_tar_file(&l[0].tar, "junk/unkept", "not kept");
	fx_tar_entry(&l[0].tar, "usr/bin/su", '0', "elf", 3, NULL, 04755);
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_ZSTD, NULL);
	fx_tar_file(&l[1].tar, "etc/.wh.secret", "");
	fx_tar_file(&l[1].tar, "opt/.wh..wh..opq", "");
	fx_tar_end(&l[1].tar);
	img = open_oci(l, 2, &opt, &err);
	CHECK(img != NULL);
	if (img) {
		CHECK(image_lookup(img, "etc/secret") == NULL);
		s = rec_find(r, "etc/secret", IMAGE_WHITEOUT_NONE);
		CHECK(s != NULL);
		if (s) {
			CHECK_STR(s->contents.buf, "s3cr3t");
			CHECK_INT(image_layer_index(img, s->token), 0);
			CHECK_INT(s->ends, 1);
			CHECK_INT(s->size, 6);
		}
		s = rec_find(r, "junk/unkept", IMAGE_WHITEOUT_NONE);
		CHECK(s && !strcmp(s->contents.buf, "not kept"));
		s = rec_find(r, "usr/bin/su", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->mode == 04755);
		s = rec_find(r, "etc", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->kind == FS_OTHER && s->ends == 0);
		s = rec_find(r, "etc/secret", IMAGE_WHITEOUT_FILE);
		CHECK(s && image_layer_index(img, s->token) == 1 && s->ends == 0);
		s = rec_find(r, "opt", IMAGE_WHITEOUT_OPAQUE);
		CHECK(s != NULL);
		CHECK_INT(image_layer_index(img, 7), -1);
		CHECK_INT(image_layer_index(img, -1), -1);
	}
	CHECK_INT(r->bad_calls, 0);
	image_free(img);
	rec_release(r);
	strbuf_release(&err);
}

/* A file larger than the pipeline's chunks, with bytes that differ by position. */
static void pattern(struct strbuf *sb, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		strbuf_addch(sb, (char)('a' + (i * 7 + i / 251) % 26));
}

TEST(image_observer_chunks_equal_file)
{
	struct image_observer obs;
	struct image_options opt;
	struct recorder *r = rec_new(&obs, &opt);
	struct strbuf err = STRBUF_INIT, big = STRBUF_INIT;
	struct fx_layer l[1];
	struct seen_entry *s;
	struct image *img;

	pattern(&big, 3 * 1024 * 1024 + 123);
	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_entry(&l[0].tar, "junk/big", '0', big.buf, big.len, NULL, 0644);
	fx_tar_entry(&l[0].tar, "data/big", '0', big.buf, big.len, NULL, 0644);
	fx_tar_file(&l[0].tar, "junk/after", "after");
	fx_tar_end(&l[0].tar);
	/* The kept copy is cut at 1000 bytes; the observer still gets all of it. */
	opt.max_file_size = 1000;
	img = open_oci(l, 1, &opt, &err);
	if (img) {
		const struct fs_file *f = image_lookup(img, "data/big");

		s = rec_find(r, "junk/big", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->contents.len == big.len && !memcmp(s->contents.buf, big.buf, big.len));
		CHECK(s && s->chunks > 1);
		s = rec_find(r, "data/big", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->contents.len == big.len && !memcmp(s->contents.buf, big.buf, big.len));
		CHECK(s && s->ends == 1);
		CHECK(f && f->size == 1000 && f->truncated && !memcmp(f->data, big.buf, 1000));
		s = rec_find(r, "junk/after", IMAGE_WHITEOUT_NONE);
		CHECK(s && !strcmp(s->contents.buf, "after"));
	}
	CHECK_INT(r->bad_calls, 0);
	image_free(img);
	rec_release(r);
	strbuf_release(&big);
	strbuf_release(&err);
}

TEST(image_observer_enough_skips_rest)
{
	struct image_observer obs;
	struct image_options opt;
	struct recorder *r = rec_new(&obs, &opt);
	struct strbuf err = STRBUF_INIT, big = STRBUF_INIT;
	struct fx_layer l[1];
	struct seen_entry *s;
	struct image *img;

	pattern(&big, 2 * 1024 * 1024);
	r->enough_after = 1;
	fx_layer_init(&l[0], FX_ZSTD, NULL);
	fx_tar_entry(&l[0].tar, "junk/big", '0', big.buf, big.len, NULL, 0644);
	fx_tar_entry(&l[0].tar, "kept/big", '0', big.buf, big.len, NULL, 0644);
	fx_tar_file(&l[0].tar, "kept/next", "next");
	fx_tar_end(&l[0].tar);
	img = open_oci(l, 1, &opt, &err);
	CHECK(img != NULL);
	if (img) {
		const struct fs_file *f = image_lookup(img, "kept/big");

		s = rec_find(r, "junk/big", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->chunks == 1 && s->contents.len < big.len && s->ends == 1);
		s = rec_find(r, "kept/big", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->chunks == 1 && s->contents.len < big.len && s->ends == 1);
		/* Enough for the observer is not enough for the want callback's copy. */
		CHECK(f && f->size == big.len && !memcmp(f->data, big.buf, big.len));
		s = rec_find(r, "kept/next", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->chunks == 1 && !strcmp(s->contents.buf, "next") && s->ends == 1);
	}
	CHECK_INT(r->bad_calls, 0);
	image_free(img);
	rec_release(r);
	strbuf_release(&big);
	strbuf_release(&err);
}

TEST(image_observer_kept_and_links)
{
	struct image_observer obs;
	struct image_options opt;
	struct recorder *r = rec_new(&obs, &opt);
	struct strbuf err = STRBUF_INIT;
	struct fx_layer l[1];
	struct seen_entry *s;
	struct image *img;

	fx_layer_init(&l[0], FX_NONE, NULL);
	fx_tar_file(&l[0].tar, "etc/os-release", "ID=test\n");
	fx_tar_hardlink(&l[0].tar, "junk/hard", "etc/os-release");
	fx_tar_symlink(&l[0].tar, "junk/soft", "../etc/os-release");
	fx_tar_end(&l[0].tar);
	img = open_oci(l, 1, &opt, &err);
	CHECK(img != NULL);
	if (img) {
		CHECK_STR(fx_text(img, "etc/os-release"), "ID=test\n");
		s = rec_find(r, "etc/os-release", IMAGE_WHITEOUT_NONE);
		CHECK(s && !strcmp(s->contents.buf, "ID=test\n") && s->ends == 1);
		s = rec_find(r, "junk/hard", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->hardlink && s->kind == FS_REGULAR && s->ends == 0);
		s = rec_find(r, "junk/soft", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->kind == FS_SYMLINK && s->ends == 0);
	}
	CHECK_INT(r->bad_calls, 0);
	image_free(img);
	rec_release(r);
	strbuf_release(&err);
}

TEST(image_observer_docker_layer_order)
{
	struct image_observer obs;
	struct image_options opt;
	struct recorder *r = rec_new(&obs, &opt);
	struct strbuf err = STRBUF_INIT;
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct fx_layer l[3];
	struct image *img = NULL;
	char name[160];
	size_t i;
	int rc;

	for (i = 0; i < 3; i++) {
		char path[16];

		snprintf(path, sizeof(path), "layer%zu", i);
		fx_layer_init(&l[i], FX_NONE, NULL);
		fx_tar_file(&l[i].tar, path, path);
		fx_tar_end(&l[i].tar);
	}
	fx_build_docker_legacy(&a, l, 3, &o, &d);
	/* Stream order: layer 2, config, layer 1, repositories, layer 0, and the manifest last. */
	snprintf(name, sizeof(name), "%.64s/layer.tar", d.diff_id[2] + 7);
	fx_move_first(&a, name);
	snprintf(name, sizeof(name), "%.64s/layer.tar", d.diff_id[0] + 7);
	fx_move_last(&a, name);
	fx_move_last(&a, "manifest.json");
	rc = fx_open_archive(&img, &a, &opt, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK_INT(img->nr_layers, 3);
		for (i = 0; i < 3; i++) {
			char path[16];
			struct seen_entry *s;

			snprintf(path, sizeof(path), "layer%zu", i);
			s = rec_find(r, path, IMAGE_WHITEOUT_NONE);
			CHECK(s != NULL);
			if (s) {
				CHECK_INT(s->token, 2 - (int)i);
				CHECK_INT(image_layer_index(img, s->token), (int)i);
			}
		}
	}
	image_free(img);
	fx_release(&a);
	fx_layers_release(l, 3);
	rec_release(r);
	strbuf_release(&err);
}

TEST(image_observer_rootfs)
{
	struct image_observer obs;
	struct image_options opt;
	struct recorder *r = rec_new(&obs, &opt);
	struct strbuf err = STRBUF_INIT, target = STRBUF_INIT, path = STRBUF_INIT;
	char *dir = fx_tmpdir();
	struct seen_entry *s;
	struct image *img = NULL;
	int rc;

	strbuf_addf(&path, "%s/etc", dir);
	mkdir(path.buf, 0755);
	strbuf_addstr(&path, "/app.conf");
	fx_write(path.buf, "password=hunter2hunter2\n", 24);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/junk", dir);
	mkdir(path.buf, 0755);
	strbuf_addstr(&path, "/x");
	fx_write(path.buf, "xyz", 3);
	strbuf_addf(&target, "dir:%s", dir);
	rc = image_open(&img, target.buf, &opt, &err);
	CHECK_INT(rc, 0);
	if (img) {
		s = rec_find(r, "etc/app.conf", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->token == -1 && s->contents.len == 24 && s->ends == 1);
		CHECK_INT(image_layer_index(img, -1), -1);
		s = rec_find(r, "junk/x", IMAGE_WHITEOUT_NONE);
		CHECK(s && !strcmp(s->contents.buf, "xyz") && s->ends == 1);
		s = rec_find(r, "etc", IMAGE_WHITEOUT_NONE);
		CHECK(s && s->kind == FS_OTHER);
	}
	CHECK_INT(r->bad_calls, 0);
	image_free(img);
	fx_rmtree(dir);
	free(dir);
	rec_release(r);
	strbuf_release(&err);
	strbuf_release(&target);
	strbuf_release(&path);
}
