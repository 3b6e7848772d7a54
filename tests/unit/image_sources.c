/* Image ingestion from each kind of source: a pipe, standard input, OCI layout folders and root filesystems.
 */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "image_fixture.h"
#include "test.h"
#include "util/error.h"

static void sample_layers(struct fx_layer *l)
{
	fx_layer_init(&l[0], FX_GZIP, "base");
	fx_tar_file(&l[0].tar, "etc/os-release", "ID=alpine\n");
	fx_tar_file(&l[0].tar, "lib/apk/db/installed", "P:musl\n");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_ZSTD, "apk add curl");
	fx_tar_file(&l[1].tar, "lib/apk/db/installed", "P:musl\n\nP:curl\n");
	fx_tar_end(&l[1].tar);
}

static void check_sample(const struct image *img)
{
	const struct fs_file *f = image_lookup(img, "lib/apk/db/installed");

	CHECK_INT(img->nr_layers, 2);
	CHECK_STR(fx_text(img, "etc/os-release"), "ID=alpine\n");
	CHECK(f && f->layer == 1 && f->lower && f->lower->layer == 0);
	if (img->nr_layers == 2)
		CHECK_STR(img->layers[1].created_by, "apk add curl");
}

struct writer {
	int fd;
	struct strbuf *data;
};

static void *write_all(void *arg)
{
	struct writer *w = arg;
	size_t off = 0;

	/* Small writes, so the reader sees a trickle as from a real pipe. */
	while (off < w->data->len) {
		size_t n = w->data->len - off > 3000 ? 3000 : w->data->len - off;
		ssize_t r = write(w->fd, w->data->buf + off, n);
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(w->fd);
	return NULL;
}

TEST(image_from_pipe_and_stdin)
{
	struct fx_layer l[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, tar = STRBUF_INIT, gz = STRBUF_INIT, path = STRBUF_INIT;
	struct image *img = NULL;
	struct writer w;
	pthread_t thread;
	int fds[2], saved, rc;

	sample_layers(l);
	fx_build_docker25(&a, l, 2, &o, &d);
	fx_move_last(&a, "manifest.json");
	fx_serialize(&a, &tar);

	/* A pipe by path: not seekable, read front to back. */
	CHECK_INT(pipe(fds), 0);
	w.fd = fds[1];
	w.data = &tar;
	pthread_create(&thread, NULL, write_all, &w);
	strbuf_addf(&path, "/dev/fd/%d", fds[0]);
	rc = image_open(&img, path.buf, NULL, &err);
	pthread_join(thread, NULL);
	close(fds[0]);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK_INT(img->kind, IMAGE_DOCKER_ARCHIVE);
		CHECK_STR(img->digest, d.manifest);
		image_free(img);
		img = NULL;
	}

	/* "-": standard input, compressed as a whole, as `docker save app | gzip | customs sbom -`. */
	fx_compress(FX_GZIP, tar.buf, tar.len, &gz);
	CHECK_INT(pipe(fds), 0);
	w.fd = fds[1];
	w.data = &gz;
	saved = dup(0);
	dup2(fds[0], 0);
	close(fds[0]);
	pthread_create(&thread, NULL, write_all, &w);
	{
		struct image_options opt;

		fx_options(&opt);
		rc = image_open(&img, "-", &opt, &err);
	}
	pthread_join(thread, NULL);
	dup2(saved, 0);
	close(saved);
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "  %s\n", err.buf);
	if (img)
		check_sample(img);
	image_free(img);
	fx_release(&a);
	fx_layers_release(l, 2);
	strbuf_release(&err);
	strbuf_release(&tar);
	strbuf_release(&gz);
	strbuf_release(&path);
}

TEST(image_oci_layout_folder)
{
	struct fx_layer l[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {.tag = "3.19"};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, target = STRBUF_INIT;
	struct image *img = NULL;
	char *dir = fx_tmpdir();
	int rc;

	sample_layers(l);
	fx_build_oci(&a, l, 2, &o, &d);
	fx_write_tree(dir, &a);

	strbuf_addf(&target, "oci:%s:3.19", dir);
	rc = fx_open(&img, target.buf, &err);
	CHECK_INT(rc, 0);
	if (img) {
		CHECK_INT(img->kind, IMAGE_OCI_LAYOUT);
		CHECK_STR(img->digest, d.manifest);
		CHECK_INT(img->nr_repo_tags, 1);
		check_sample(img);
		image_free(img);
		img = NULL;
	}
	/* The only image needs no tag, and a bare folder with an oci-layout file is a layout. */
	strbuf_reset(&target);
	strbuf_addf(&target, "oci:%s", dir);
	CHECK_INT(fx_open(&img, target.buf, &err), 0);
	image_free(img);
	img = NULL;
	CHECK_INT(fx_open(&img, dir, &err), 0);
	if (img)
		check_sample(img);
	image_free(img);
	img = NULL;

	strbuf_reset(&target);
	strbuf_addf(&target, "oci:%s:nope", dir);
	CHECK_INT(fx_open(&img, target.buf, &err), ERR_NOT_FOUND);
	CHECK(strstr(err.buf, "no image tagged 'nope'") != NULL);

	/* A layer blob whose bytes do not match its name. */
	{
		struct strbuf blob = STRBUF_INIT;

		strbuf_addf(&blob, "%s/blobs/sha256/%.64s", dir, d.layer[1] + 7);
		fx_write(blob.buf, l[0].tar.buf, l[0].tar.len);
		CHECK_INT(fx_open(&img, dir, &err), ERR_BAD_INPUT);
		CHECK(strstr(err.buf, "digest mismatch in layer") != NULL);
		unlink(blob.buf);
		CHECK_INT(fx_open(&img, dir, &err), ERR_BAD_INPUT);
		CHECK(strstr(err.buf, "is missing") != NULL);
		strbuf_release(&blob);
	}
	fx_rmtree(dir);
	free(dir);
	fx_release(&a);
	fx_layers_release(l, 2);
	strbuf_release(&err);
	strbuf_release(&target);
}

static cJSON *descriptor(const char *media_type, const char *digest, size_t size, const char *os,
			 const char *arch)
{
	cJSON *d = cJSON_CreateObject(), *p = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "mediaType", media_type);
	cJSON_AddStringToObject(d, "digest", digest);
	cJSON_AddNumberToObject(d, "size", (double)size);
	cJSON_AddStringToObject(p, "os", os);
	cJSON_AddStringToObject(p, "architecture", arch);
	cJSON_AddItemToObject(d, "platform", p);
	return d;
}

TEST(image_multi_platform_index)
{
	struct fx_layer l[2];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT, name = STRBUF_INIT;
	struct image *img = NULL;
	cJSON *nested = cJSON_CreateObject(), *list = cJSON_CreateArray(), *top = cJSON_CreateObject();
	cJSON *top_list = cJSON_CreateArray(), *top_desc, *ann = cJSON_CreateObject();
	char nested_digest[DIGEST_STR_LEN], *nested_text, *top_text;
	const char *manifest_type = "application/vnd.oci.image.manifest.v1+json";
	int rc;

	sample_layers(l);
	fx_build_oci(&a, l, 2, &o, &d);

	/* arm64 first, whose blobs were never saved; then ours; then a build attestation. */
	cJSON_AddNumberToObject(nested, "schemaVersion", 2);
	cJSON_AddItemToArray(
	    list, descriptor(manifest_type,
			     "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 10,
			     "linux", "arm64"));
	cJSON_AddItemToArray(list, descriptor(manifest_type, d.manifest,
					      fx_find(&a, "blobs/sha256/")->data.len, "linux", "amd64"));
	cJSON_AddItemToArray(
	    list, descriptor(manifest_type,
			     "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 10,
			     "unknown", "unknown"));
	cJSON_AddItemToObject(nested, "manifests", list);
	nested_text = cJSON_PrintUnformatted(nested);
	sha256_digest_str(nested_text, strlen(nested_text), nested_digest);
	strbuf_addf(&name, "blobs/sha256/%.64s", nested_digest + 7);
	fx_add(&a, name.buf, nested_text, strlen(nested_text));

	cJSON_AddNumberToObject(top, "schemaVersion", 2);
	top_desc = cJSON_CreateObject();
	cJSON_AddStringToObject(top_desc, "mediaType", "application/vnd.oci.image.index.v1+json");
	cJSON_AddStringToObject(top_desc, "digest", nested_digest);
	cJSON_AddNumberToObject(top_desc, "size", (double)strlen(nested_text));
	cJSON_AddStringToObject(ann, "org.opencontainers.image.ref.name", "multi");
	cJSON_AddItemToObject(top_desc, "annotations", ann);
	cJSON_AddItemToArray(top_list, top_desc);
	cJSON_AddItemToObject(top, "manifests", top_list);
	top_text = cJSON_PrintUnformatted(top);
	strbuf_reset(&fx_find(&a, "index.json")->data);
	strbuf_addstr(&fx_find(&a, "index.json")->data, top_text);

	rc = fx_open_archive(&img, &a, NULL, &err);
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "  %s\n", err.buf);
	if (img) {
		CHECK_STR(img->digest, d.manifest);
		CHECK_INT(img->nr_repo_tags, 1);
		if (img->nr_repo_tags)
			CHECK_STR(img->repo_tags[0], "multi");
		check_sample(img);
	}
	image_free(img);
	free(nested_text);
	free(top_text);
	cJSON_Delete(nested);
	cJSON_Delete(top);
	fx_release(&a);
	fx_layers_release(l, 2);
	strbuf_release(&err);
	strbuf_release(&name);
}

static void put(const char *dir, const char *rel, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	char *slash;

	strbuf_addf(&path, "%s/%s", dir, rel);
	for (slash = strchr(path.buf + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path.buf, 0755);
		*slash = '/';
	}
	fx_write(path.buf, text, strlen(text));
	strbuf_release(&path);
}

static void link_at(const char *dir, const char *rel, const char *target)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, rel);
	CHECK_INT(symlink(target, path.buf), 0);
	strbuf_release(&path);
}

TEST(image_rootfs_folder)
{
	struct strbuf err = STRBUF_INIT, target = STRBUF_INIT, fifo = STRBUF_INIT;
	struct image_options opt;
	struct image *img = NULL;
	char *dir = fx_tmpdir();
	int rc;

	put(dir, "usr/lib/os-release", "ID=debian\n");
	put(dir, "var/lib/dpkg/status", "Package: a-long-enough-database\n");
	put(dir, "junk/skipped", "no");
	put(dir, "etc/.wh.not-special-here", "plain file in a folder");
	link_at(dir, "etc/os-release", "../usr/lib/os-release");
	link_at(dir, "lib", "usr/lib");
	link_at(dir, "etc/escape", "../../../../../../etc/passwd");
	link_at(dir, "usr/lib/root-loop", "/");
	strbuf_addf(&fifo, "%s/etc/fifo", dir);
	CHECK_INT(mkfifo(fifo.buf, 0600), 0);

	fx_options(&opt);
	opt.max_file_size = 8;
	strbuf_addf(&target, "dir:%s", dir);
	rc = image_open(&img, target.buf, &opt, &err);
	CHECK_INT(rc, 0);
	if (img) {
		const struct fs_file *f;

		CHECK_INT(img->kind, IMAGE_ROOTFS);
		CHECK_INT(img->nr_layers, 0);
		CHECK(img->digest == NULL);
		CHECK(image_lookup(img, "junk/skipped") == NULL);
		CHECK(image_lookup(img, "etc/.wh.not-special-here") != NULL);
		f = image_lookup(img, "var/lib/dpkg/status");
		CHECK(f && f->truncated && f->size == 8 && f->layer == -1);
		CHECK_INT(image_resolve(img, "lib/os-release", &f, &err), 0);
		CHECK(f && !strcmp((const char *)f->data, "ID=debia"));
		CHECK_INT(image_resolve(img, "etc/os-release", &f, &err), 0);
		CHECK(f && !strcmp(f->path, "usr/lib/os-release"));
		/* The link leads to the image's own etc/passwd, which does not exist, never the host's. */
		CHECK_INT(image_resolve(img, "etc/escape", &f, &err), 0);
		CHECK(f == NULL);
		f = image_lookup(img, "etc/fifo");
		CHECK(f && f->kind == FS_OTHER);
		CHECK(img->warnings.nr >= 1);
	}
	image_free(img);
	img = NULL;
	strbuf_reset(&target);
	strbuf_addf(&target, "dir:%s/usr/lib/os-release", dir);
	CHECK_INT(image_open(&img, target.buf, &opt, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "not a folder") != NULL);
	CHECK_INT(image_open(&img, dir, &opt, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "use dir:") != NULL);
	fx_rmtree(dir);
	free(dir);
	strbuf_release(&err);
	strbuf_release(&target);
	strbuf_release(&fifo);
}
