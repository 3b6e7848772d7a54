/* Builders for test images: tar by hand, gzip and zstd layers, OCI and docker save archives and layouts. */
#include "image_fixture.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "util/xalloc.h"

/* ---- tar ---- */

static void octal(char *field, size_t width, unsigned long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), v);
	memcpy(field, tmp, width - 1);
	field[width - 1] = '\0';
}

void fx_tar_entry(struct strbuf *tar, const char *name, char type, const void *data, size_t len,
		  const char *link, unsigned mode)
{
	unsigned char h[512];
	unsigned sum = 0;
	size_t i, name_len = strlen(name);

	memset(h, 0, sizeof(h));
	if (name_len > 100) {
		/* ustar splits long names into prefix "/" name at a slash. */
		const char *slash = name + name_len - 101;

		slash = strchr(slash, '/');
		if (!slash || (size_t)(slash - name) > 155)
			abort();
		memcpy(h + 345, name, (size_t)(slash - name));
		memcpy(h, slash + 1, strlen(slash + 1));
	} else {
		memcpy(h, name, name_len);
	}
	octal((char *)h + 100, 8, mode);
	octal((char *)h + 108, 8, 0);
	octal((char *)h + 116, 8, 0);
	octal((char *)h + 124, 12, len);
	octal((char *)h + 136, 12, 1700000000);
	h[156] = (unsigned char)type;
	if (link)
		memcpy(h + 157, link, strlen(link) > 100 ? 100 : strlen(link));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	strbuf_add(tar, h, 512);
	if (len) {
		static const unsigned char zeros[512];

		strbuf_add(tar, data, len);
		if (len % 512)
			strbuf_add(tar, zeros, 512 - len % 512);
	}
}

void fx_tar_file(struct strbuf *tar, const char *name, const char *text)
{
	fx_tar_entry(tar, name, '0', text, strlen(text), NULL, 0644);
}

void fx_tar_dir(struct strbuf *tar, const char *name)
{
	fx_tar_entry(tar, name, '5', NULL, 0, NULL, 0755);
}

void fx_tar_symlink(struct strbuf *tar, const char *name, const char *target)
{
	fx_tar_entry(tar, name, '2', NULL, 0, target, 0777);
}

void fx_tar_hardlink(struct strbuf *tar, const char *name, const char *target)
{
	fx_tar_entry(tar, name, '1', NULL, 0, target, 0644);
}

void fx_tar_end(struct strbuf *tar)
{
	static const unsigned char zeros[1024];
	strbuf_add(tar, zeros, sizeof(zeros));
}

void fx_compress(enum fx_comp comp, const void *data, size_t len, struct strbuf *out)
{
	strbuf_reset(out);
	if (comp == FX_GZIP) {
		z_stream z;
		unsigned char buf[16384];
		int ret;

		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (unsigned char *)data;
		z.avail_in = (uInt)len;
		do {
			z.next_out = buf;
			z.avail_out = sizeof(buf);
			ret = deflate(&z, Z_FINISH);
			strbuf_add(out, buf, sizeof(buf) - z.avail_out);
		} while (ret == Z_OK || ret == Z_BUF_ERROR);
		deflateEnd(&z);
	} else if (comp == FX_ZSTD) {
		size_t bound = ZSTD_compressBound(len);
		void *buf = xmalloc(bound);
		size_t n = ZSTD_compress(buf, bound, data, len, 3);

		if (ZSTD_isError(n))
			abort();
		strbuf_add(out, buf, n);
		free(buf);
	} else {
		strbuf_add(out, data, len);
	}
}

/* ---- members ---- */

struct fx_member *fx_add(struct fx_archive *a, const char *name, const void *data, size_t len)
{
	struct fx_member *m;

	if (a->n == sizeof(a->m) / sizeof(a->m[0]))
		abort();
	m = &a->m[a->n++];
	memset(m, 0, sizeof(*m));
	m->name = xstrdup(name);
	m->type = '0';
	strbuf_init(&m->data, 0);
	strbuf_add(&m->data, data, len);
	return m;
}

struct fx_member *fx_find(struct fx_archive *a, const char *prefix)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!strncmp(a->m[i].name, prefix, strlen(prefix)))
			return &a->m[i];
	return NULL;
}

static void free_member(struct fx_member *m)
{
	free(m->name);
	free(m->link);
	strbuf_release(&m->data);
}

void fx_remove(struct fx_archive *a, const char *prefix)
{
	struct fx_member *m = fx_find(a, prefix);
	size_t i;

	if (!m)
		abort();
	i = (size_t)(m - a->m);
	free_member(m);
	memmove(&a->m[i], &a->m[i + 1], (a->n - i - 1) * sizeof(a->m[0]));
	a->n--;
}

void fx_move_last(struct fx_archive *a, const char *prefix)
{
	struct fx_member *m = fx_find(a, prefix), tmp;
	size_t i;

	if (!m)
		abort();
	i = (size_t)(m - a->m);
	tmp = *m;
	memmove(&a->m[i], &a->m[i + 1], (a->n - i - 1) * sizeof(a->m[0]));
	a->m[a->n - 1] = tmp;
}

void fx_move_first(struct fx_archive *a, const char *prefix)
{
	struct fx_member *m = fx_find(a, prefix), tmp;
	size_t i;

	if (!m)
		abort();
	i = (size_t)(m - a->m);
	tmp = *m;
	memmove(&a->m[1], &a->m[0], i * sizeof(a->m[0]));
	a->m[0] = tmp;
}

void fx_serialize(const struct fx_archive *a, struct strbuf *tar)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct fx_member *m = &a->m[i];
		if (m->type == '0')
			fx_tar_entry(tar, m->name, '0', m->data.buf, m->data.len, NULL, 0644);
		else
			fx_tar_entry(tar, m->name, m->type, NULL, 0, m->link, 0777);
	}
	fx_tar_end(tar);
}

void fx_release(struct fx_archive *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free_member(&a->m[i]);
	a->n = 0;
}

/* ---- images ---- */

struct built_layer {
	struct strbuf blob;
	char digest[DIGEST_STR_LEN];
	char diff_id[DIGEST_STR_LEN];
};

static void build_layers(struct fx_layer *layers, size_t n, int stored_uncompressed, struct built_layer *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		strbuf_init(&out[i].blob, 0);
		fx_compress(stored_uncompressed ? FX_NONE : layers[i].comp, layers[i].tar.buf,
			    layers[i].tar.len, &out[i].blob);
		sha256_digest_str(out[i].blob.buf, out[i].blob.len, out[i].digest);
		sha256_digest_str(layers[i].tar.buf, layers[i].tar.len, out[i].diff_id);
	}
}

static char *config_json(struct fx_layer *layers, size_t n, const struct built_layer *bl,
			 const struct fx_opts *o)
{
	cJSON *cfg = cJSON_CreateObject(), *rootfs = cJSON_CreateObject(), *ids = cJSON_CreateArray();
	cJSON *history = cJSON_CreateArray();
	char *text;
	size_t i;

	cJSON_AddStringToObject(cfg, "architecture", "amd64");
	cJSON_AddStringToObject(cfg, "os", "linux");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	for (i = 0; i < n && !o->no_diff_ids; i++) {
		if (o->wrong_diff_id == (int)i + 1)
			cJSON_AddItemToArray(ids, cJSON_CreateString("sha256:00000000000000000000000000000000"
								     "00000000000000000000000000000000"));
		else
			cJSON_AddItemToArray(ids, cJSON_CreateString(bl[i].diff_id));
	}
	if (o->repeat_first_layer && !o->no_diff_ids)
		cJSON_AddItemToArray(ids, cJSON_CreateString(bl[0].diff_id));
	if (o->extra_diff_id)
		cJSON_AddItemToArray(ids, cJSON_CreateString(bl[0].diff_id));
	if (!o->no_diff_ids)
		cJSON_AddItemToObject(rootfs, "diff_ids", ids);
	else
		cJSON_Delete(ids);
	cJSON_AddItemToObject(cfg, "rootfs", rootfs);
	if (o->empty_history_first) {
		cJSON *h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "created_by", "ENV A=1");
		cJSON_AddBoolToObject(h, "empty_layer", 1);
		cJSON_AddItemToArray(history, h);
	}
	for (i = 0; i < n; i++) {
		cJSON *h = cJSON_CreateObject();
		if (layers[i].created_by)
			cJSON_AddStringToObject(h, "created_by", layers[i].created_by);
		cJSON_AddItemToArray(history, h);
	}
	cJSON_AddItemToObject(cfg, "history", history);
	if (o->config_extra) {
		cJSON *extra = cJSON_Parse(o->config_extra), *item;

		if (!extra)
			abort();
		while ((item = extra->child)) {
			cJSON_DetachItemViaPointer(extra, item);
			cJSON_DeleteItemFromObjectCaseSensitive(cfg, item->string);
			cJSON_AddItemToObject(cfg, item->string, item);
		}
		cJSON_Delete(extra);
	}
	text = cJSON_PrintUnformatted(cfg);
	cJSON_Delete(cfg);
	return text;
}

static const char *media_type(enum fx_comp comp)
{
	switch (comp) {
	case FX_GZIP:
		return "application/vnd.oci.image.layer.v1.tar+gzip";
	case FX_ZSTD:
		return "application/vnd.oci.image.layer.v1.tar+zstd";
	default:
		return "application/vnd.oci.image.layer.v1.tar";
	}
}

static void add_blob(struct fx_archive *a, const char *digest, const void *data, size_t len)
{
	char name[128];

	snprintf(name, sizeof(name), "blobs/sha256/%.64s", digest + 7);
	if (!fx_find(a, name))
		fx_add(a, name, data, len);
}

static void build_oci(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
		      struct fx_digests *d, int docker25)
{
	struct built_layer bl[8];
	cJSON *manifest = cJSON_CreateObject(), *config = cJSON_CreateObject(), *descs = cJSON_CreateArray();
	cJSON *index = cJSON_CreateObject(), *list = cJSON_CreateArray(), *desc = cJSON_CreateObject();
	char *cfg, *man, *idx;
	size_t i;

	if (n > 8)
		abort();
	build_layers(layers, n, docker25, bl);
	cfg = config_json(layers, n, bl, o);
	sha256_digest_str(cfg, strlen(cfg), d->config);

	cJSON_AddNumberToObject(manifest, "schemaVersion", 2);
	cJSON_AddStringToObject(manifest, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	cJSON_AddStringToObject(config, "mediaType", "application/vnd.oci.image.config.v1+json");
	cJSON_AddStringToObject(config, "digest", d->config);
	cJSON_AddNumberToObject(config, "size", (double)strlen(cfg));
	cJSON_AddItemToObject(manifest, "config", config);
	for (i = 0; i < n + (o->repeat_first_layer ? 1 : 0); i++) {
		const struct built_layer *l = &bl[i % n];
		cJSON *ld = cJSON_CreateObject();

		cJSON_AddStringToObject(ld, "mediaType", media_type(docker25 ? FX_NONE : layers[i % n].comp));
		cJSON_AddStringToObject(ld, "digest", l->digest);
		cJSON_AddNumberToObject(ld, "size", (double)l->blob.len);
		cJSON_AddItemToArray(descs, ld);
	}
	cJSON_AddItemToObject(manifest, "layers", descs);
	man = cJSON_PrintUnformatted(manifest);
	sha256_digest_str(man, strlen(man), d->manifest);

	cJSON_AddNumberToObject(index, "schemaVersion", 2);
	cJSON_AddStringToObject(desc, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	cJSON_AddStringToObject(desc, "digest", d->manifest);
	cJSON_AddNumberToObject(desc, "size", (double)strlen(man));
	if (o->tag) {
		cJSON *ann = cJSON_CreateObject();
		cJSON_AddStringToObject(ann, "org.opencontainers.image.ref.name", o->tag);
		cJSON_AddItemToObject(desc, "annotations", ann);
	}
	cJSON_AddItemToArray(list, desc);
	cJSON_AddItemToObject(index, "manifests", list);
	idx = cJSON_PrintUnformatted(index);

	fx_add(a, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}", 31);
	fx_add(a, "index.json", idx, strlen(idx));
	add_blob(a, d->manifest, man, strlen(man));
	add_blob(a, d->config, cfg, strlen(cfg));
	for (i = 0; i < n; i++) {
		add_blob(a, bl[i].digest, bl[i].blob.buf, bl[i].blob.len);
		memcpy(d->layer[i], bl[i].digest, DIGEST_STR_LEN);
		memcpy(d->diff_id[i], bl[i].diff_id, DIGEST_STR_LEN);
	}
	if (docker25) {
		cJSON *dm = cJSON_CreateArray(), *entry = cJSON_CreateObject(), *ls = cJSON_CreateArray();
		cJSON *tags = cJSON_CreateArray();
		char name[128], *text;

		snprintf(name, sizeof(name), "blobs/sha256/%.64s", d->config + 7);
		cJSON_AddStringToObject(entry, "Config", name);
		cJSON_AddItemToArray(tags, cJSON_CreateString(o->tag ? o->tag : "app:latest"));
		cJSON_AddItemToObject(entry, "RepoTags", tags);
		for (i = 0; i < n + (o->repeat_first_layer ? 1 : 0); i++) {
			snprintf(name, sizeof(name), "blobs/sha256/%.64s", bl[i % n].digest + 7);
			cJSON_AddItemToArray(ls, cJSON_CreateString(name));
		}
		cJSON_AddItemToObject(entry, "Layers", ls);
		cJSON_AddItemToArray(dm, entry);
		text = cJSON_PrintUnformatted(dm);
		fx_add(a, "manifest.json", text, strlen(text));
		fx_add(a, "repositories", "{}", 2);
		free(text);
		cJSON_Delete(dm);
	}
	for (i = 0; i < n; i++)
		strbuf_release(&bl[i].blob);
	free(cfg);
	free(man);
	free(idx);
	cJSON_Delete(manifest);
	cJSON_Delete(index);
}

void fx_build_oci(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
		  struct fx_digests *d)
{
	build_oci(a, layers, n, o, d, 0);
}

void fx_build_docker25(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
		       struct fx_digests *d)
{
	build_oci(a, layers, n, o, d, 1);
}

void fx_build_docker_legacy(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
			    struct fx_digests *d)
{
	struct built_layer bl[8];
	cJSON *dm = cJSON_CreateArray(), *entry = cJSON_CreateObject(), *ls = cJSON_CreateArray();
	cJSON *tags = cJSON_CreateArray();
	char name[160], *cfg, *text;
	size_t i;

	if (n > 8)
		abort();
	build_layers(layers, n, 1, bl);
	cfg = config_json(layers, n, bl, o);
	sha256_digest_str(cfg, strlen(cfg), d->config);
	d->manifest[0] = '\0';
	snprintf(name, sizeof(name), "%.64s.json", d->config + 7);
	cJSON_AddStringToObject(entry, "Config", name);
	fx_add(a, name, cfg, strlen(cfg));
	for (i = 0; i < n + (o->repeat_first_layer ? 1 : 0); i++) {
		/* Layer folders are named by a v1 id; any distinct hex will do here. */
		snprintf(name, sizeof(name), "%.64s/layer.tar", bl[i % n].diff_id + 7);
		cJSON_AddItemToArray(ls, cJSON_CreateString(name));
		if (i < n) {
			fx_add(a, name, bl[i].blob.buf, bl[i].blob.len);
			memcpy(d->layer[i], bl[i].digest, DIGEST_STR_LEN);
			memcpy(d->diff_id[i], bl[i].diff_id, DIGEST_STR_LEN);
		}
	}
	cJSON_AddItemToArray(tags, cJSON_CreateString(o->tag ? o->tag : "app:latest"));
	cJSON_AddItemToObject(entry, "RepoTags", tags);
	cJSON_AddItemToObject(entry, "Layers", ls);
	cJSON_AddItemToArray(dm, entry);
	text = cJSON_PrintUnformatted(dm);
	fx_add(a, "manifest.json", text, strlen(text));
	fx_add(a, "repositories", "{\"app\":{\"latest\":\"x\"}}", 22);
	free(text);
	free(cfg);
	cJSON_Delete(dm);
	for (i = 0; i < n; i++)
		strbuf_release(&bl[i].blob);
}

void fx_layers_release(struct fx_layer *layers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_release(&layers[i].tar);
}

/* ---- files ---- */

char *fx_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/customs-image-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(sb.buf))
		abort();
	return strbuf_detach(&sb, NULL);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void fx_rmtree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fx_write(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp))
		abort();
}

char *fx_write_archive(const char *dir, const char *name, const struct fx_archive *a)
{
	struct strbuf tar = STRBUF_INIT, path = STRBUF_INIT;

	fx_serialize(a, &tar);
	strbuf_addf(&path, "%s/%s", dir, name);
	fx_write(path.buf, tar.buf, tar.len);
	strbuf_release(&tar);
	return strbuf_detach(&path, NULL);
}

void fx_write_tree(const char *dir, const struct fx_archive *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		struct strbuf path = STRBUF_INIT;
		char *slash;

		strbuf_addf(&path, "%s/%s", dir, a->m[i].name);
		for (slash = strchr(path.buf + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			if (mkdir(path.buf, 0755) && errno != EEXIST)
				abort();
			*slash = '/';
		}
		fx_write(path.buf, a->m[i].data.buf, a->m[i].data.len);
		strbuf_release(&path);
	}
}

/* ---- opening ---- */

int fx_want(const char *path, void *data)
{
	return strncmp(path, "junk/", 5) != 0;
}

void fx_options(struct image_options *opt)
{
	image_options_init(opt);
	opt->want = fx_want;
}

int fx_open(struct image **img, const char *target, struct strbuf *err)
{
	struct image_options opt;

	fx_options(&opt);
	return image_open(img, target, &opt, err);
}

const char *fx_text(const struct image *img, const char *path)
{
	const struct fs_file *f = image_lookup(img, path);

	return f && f->kind == FS_REGULAR ? (const char *)f->data : NULL;
}

void fx_layer_init(struct fx_layer *l, enum fx_comp comp, const char *created_by)
{
	strbuf_init(&l->tar, 0);
	l->comp = comp;
	l->created_by = created_by;
}

int fx_open_bytes(struct image **img, const void *data, size_t len, const struct image_options *opt,
		  struct strbuf *err)
{
	struct image_options defaults;
	char *dir = fx_tmpdir();
	struct strbuf path = STRBUF_INIT;
	int rc;

	if (!opt) {
		fx_options(&defaults);
		opt = &defaults;
	}
	strbuf_addf(&path, "%s/image.tar", dir);
	fx_write(path.buf, data, len);
	rc = image_open(img, path.buf, opt, err);
	fx_rmtree(dir);
	free(dir);
	strbuf_release(&path);
	return rc;
}

int fx_open_archive(struct image **img, const struct fx_archive *a, const struct image_options *opt,
		    struct strbuf *err)
{
	struct strbuf tar = STRBUF_INIT;
	int rc;

	fx_serialize(a, &tar);
	rc = fx_open_bytes(img, tar.buf, tar.len, opt, err);
	strbuf_release(&tar);
	return rc;
}
