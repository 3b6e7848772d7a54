/* The image module's entry points: pick the reader for a target, and look files up in the merged view. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/path.h"
#include "util/xalloc.h"

void image_options_init(struct image_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->max_file_size = IMAGE_DEFAULT_MAX_FILE_SIZE;
	opt->max_layer_bytes = IMAGE_DEFAULT_MAX_LAYER_BYTES;
	opt->max_image_bytes = IMAGE_DEFAULT_MAX_IMAGE_BYTES;
	opt->max_metadata_bytes = IMAGE_DEFAULT_MAX_METADATA_BYTES;
}

const char *image_kind_name(enum image_kind kind)
{
	switch (kind) {
	case IMAGE_DOCKER_ARCHIVE:
		return "docker-archive";
	case IMAGE_OCI_ARCHIVE:
		return "oci-archive";
	case IMAGE_OCI_LAYOUT:
		return "oci-layout";
	case IMAGE_ROOTFS:
		return "rootfs";
	}
	return "unknown";
}

static void report_progress(const struct image_options *opt, size_t layers, uint64_t bytes)
{
	if (opt->progress)
		opt->progress(opt->progress_data, layers, layers, bytes);
}

int open_stream(struct image *img, int fd, const char *target, const struct image_options *opt,
		struct strbuf *err)
{
	struct layer_record **ordered = NULL;
	struct source *src;
	struct ingest ing;
	struct pipeline pl;
	struct plan plan;
	int rc;

	rc = tar_source_open(&src, fd, target, opt, err);
	if (rc)
		return rc;
	ingest_init(&ing, img, opt, target);
	memset(&plan, 0, sizeof(plan));
	pipeline_start(&pl, producer_new(src, opt, target));
	rc = ingest_run(&ing, &pl, err);
	pipeline_finish(&pl);
	if (!rc)
		rc = plan_resolve(&ing, NULL, &plan, err);
	if (!rc)
		rc = plan_bind(&ing, &plan, &ordered, err);
	if (!rc) {
		merge_layers(img, ordered, img->nr_layers, 0);
		bind_tokens(img, &ing, ordered);
		report_progress(opt, img->nr_layers, ing.bytes_read);
	}
	free(ordered);
	plan_release(&plan);
	ingest_release(&ing);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* "oci:DIR" or "oci:DIR:TAG"; a folder whose name holds a colon wins over a tag. */
static int open_oci_target(struct image *img, const char *spec, const char *target,
			   const struct image_options *opt, struct strbuf *err)
{
	const char *colon = strrchr(spec, ':');
	char *dir;
	int rc;

	if (is_dir(spec) || !colon)
		return open_layout(img, spec, NULL, target, opt, err);
	dir = xstrndup(spec, (size_t)(colon - spec));
	rc = open_layout(img, dir, colon[1] ? colon + 1 : NULL, target, opt, err);
	free(dir);
	return rc;
}

static int open_path(struct image *img, const char *path, const struct image_options *opt, struct strbuf *err)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct strbuf marker = STRBUF_INIT;
		int layout;

		strbuf_addf(&marker, "%s/oci-layout", path);
		layout = !access(marker.buf, F_OK);
		strbuf_release(&marker);
		if (layout)
			return open_layout(img, path, NULL, path, opt, err);
		return error_code(err, ERR_BAD_INPUT,
				  "'%s' is a folder but not an OCI layout (no oci-layout file); "
				  "use dir:%s for a root filesystem",
				  path, path);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open '%s': %s", path,
				  strerror(errno));
	return open_stream(img, fd, path, opt, err);
}

int image_open(struct image **out, const char *target, const struct image_options *opt_in, struct strbuf *err)
{
	struct image_options opt;
	struct image *img;
	int rc;

	*out = NULL;
	if (!target || !*target)
		return error_code(err, ERR_USAGE, "no image named");
	if (opt_in)
		opt = *opt_in;
	else
		image_options_init(&opt);
	/* A zero cap would reject every image: read it as "the default". */
	if (!opt.max_file_size)
		opt.max_file_size = IMAGE_DEFAULT_MAX_FILE_SIZE;
	if (!opt.max_layer_bytes)
		opt.max_layer_bytes = IMAGE_DEFAULT_MAX_LAYER_BYTES;
	if (!opt.max_image_bytes)
		opt.max_image_bytes = IMAGE_DEFAULT_MAX_IMAGE_BYTES;
	if (!opt.max_metadata_bytes)
		opt.max_metadata_bytes = IMAGE_DEFAULT_MAX_METADATA_BYTES;

	img = xcalloc(1, sizeof(*img));
	img->source = arena_strdup(&img->arena, target);
	target = img->source;
	if (!strcmp(target, "-"))
		rc = open_stream(img, STDIN_FILENO, target, &opt, err);
	else if (!strncmp(target, "oci:", 4))
		rc = open_oci_target(img, target + 4, target, &opt, err);
	else if (!strncmp(target, "dir:", 4))
		rc = open_rootfs(img, target + 4, target, &opt, err);
	else
		rc = open_path(img, target, &opt, err);
	if (rc) {
		image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

void image_free(struct image *img)
{
	if (!img)
		return;
	warnings_release(&img->warnings);
	arena_release(&img->arena);
	free(img);
}

static size_t lower_bound(const struct image *img, const char *path)
{
	size_t lo = 0, hi = img->nr_files;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (image_path_cmp(img->files[mid]->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct fs_file *find_exact(const struct image *img, const char *path)
{
	size_t i = lower_bound(img, path);

	if (i < img->nr_files && !strcmp(img->files[i]->path, path))
		return img->files[i];
	return NULL;
}

const struct fs_file *image_lookup(const struct image *img, const char *path)
{
	struct strbuf norm = STRBUF_INIT;
	const struct fs_file *f = NULL;

	if (!path_normalize(path, 0, &norm, NULL))
		f = find_exact(img, norm.buf);
	strbuf_release(&norm);
	return f;
}

int image_resolve(const struct image *img, const char *path, const struct fs_file **out, struct strbuf *err)
{
	struct strbuf todo = STRBUF_INIT, done = STRBUF_INIT, next = STRBUF_INIT;
	int hops = 0, rc = 0;
	size_t pos = 0;

	*out = NULL;
	if (path_normalize(path, 0, &todo, NULL))
		goto out; /* "" or a path with ".." names nothing in the image */
	/*
	 * Walk the components of todo; done holds the resolved prefix. A symlink
	 * anywhere restarts the walk on its target plus the components left.
	 */
	while (pos < todo.len) {
		const char *comp = todo.buf + pos;
		const char *slash = strchr(comp, '/');
		size_t len = slash ? (size_t)(slash - comp) : strlen(comp);
		const struct fs_file *f;

		if (done.len)
			strbuf_addch(&done, '/');
		strbuf_add(&done, comp, len);
		pos += len + (slash ? 1 : 0);
		f = find_exact(img, done.buf);
		if (!f || f->kind != FS_SYMLINK)
			continue;
		if (++hops > IMAGE_MAX_SYMLINK_HOPS) {
			rc = error_code(err, ERR_BAD_INPUT, "symlink loop at '%s' in '%s'", path,
					img->source ? img->source : "the image");
			goto out;
		}
		path_resolve_link(done.buf, f->link_target, &next);
		if (pos < todo.len) {
			if (next.len)
				strbuf_addch(&next, '/');
			strbuf_add(&next, todo.buf + pos, todo.len - pos);
		}
		strbuf_reset(&todo);
		strbuf_add(&todo, next.buf, next.len);
		strbuf_reset(&done);
		pos = 0;
	}
	if (done.len)
		*out = find_exact(img, done.buf);
out:
	strbuf_release(&todo);
	strbuf_release(&done);
	strbuf_release(&next);
	return rc;
}

void image_files_under(const struct image *img, const char *dir, size_t *first, size_t *end)
{
	struct strbuf norm = STRBUF_INIT;
	size_t lo, hi;

	if (!dir || path_normalize(dir, 0, &norm, NULL)) {
		/* "", "/" and "." name the root; a path with ".." names nothing. */
		*first = 0;
		*end = dir && strstr(dir, "..") ? 0 : img->nr_files;
		strbuf_release(&norm);
		return;
	}
	/* Paths below dir follow dir itself in image_path_cmp order; find where that run stops. */
	lo = lower_bound(img, norm.buf);
	hi = img->nr_files;
	*first = lo;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (path_is_under(img->files[mid]->path, norm.buf))
			lo = mid + 1;
		else
			hi = mid;
	}
	*end = lo;
	strbuf_release(&norm);
}

void bind_tokens(struct image *img, const struct ingest *ing, struct layer_record **ordered)
{
	size_t i;

	img->nr_tokens = ing->nr_recs;
	img->token_layers = arena_alloc(&img->arena, (ing->nr_recs + 1) * sizeof(*img->token_layers));
	for (i = 0; i < ing->nr_recs; i++)
		img->token_layers[i] = -1;
	/* Backwards, so a blob the manifest lists twice maps to its first index. */
	for (i = img->nr_layers; i-- > 0;) {
		int token = ordered[i]->token;

		if (token >= 0 && (size_t)token < img->nr_tokens)
			img->token_layers[token] = (int)i;
	}
}

int image_layer_index(const struct image *img, int token)
{
	if (!img || token < 0 || (size_t)token >= img->nr_tokens)
		return -1;
	return img->token_layers[token];
}
