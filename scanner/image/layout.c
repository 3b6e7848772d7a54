/* OCI image layout folders: metadata read by name, then each layer blob streamed once through the pipeline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/xalloc.h"

struct layout_source {
	struct source base;
	int dirfd;
	const char *target;
	const char **names;
	size_t nr, next;
	int fd;
	const char *current;
	unsigned char *buf;
};

static int layout_next(struct source *s, struct source_item *item, struct strbuf *err)
{
	struct layout_source *ls = (struct layout_source *)s;
	struct stat st;

	if (ls->fd >= 0) {
		close(ls->fd);
		ls->fd = -1;
	}
	if (ls->next >= ls->nr)
		return 0;
	ls->current = ls->names[ls->next++];
	ls->fd = openat(ls->dirfd, ls->current, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (ls->fd < 0) {
		if (errno == ENOENT)
			return error_code(err, ERR_BAD_INPUT,
					  "cannot read '%s': layer '%s' named in the manifest is missing",
					  ls->target, ls->current);
		return error_code(err, ERR_IO, "cannot read '%s' in '%s': %s", ls->current, ls->target,
				  strerror(errno));
	}
	if (fstat(ls->fd, &st) || !S_ISREG(st.st_mode))
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s' in '%s': not a regular file",
				  ls->current, ls->target);
	memset(item, 0, sizeof(*item));
	item->kind = ITEM_FILE;
	item->name = xstrdup(ls->current);
	item->size = st.st_size;
	item->layer_only = 1;
	return 1;
}

static int layout_read(struct source *s, const unsigned char **p, size_t *len, struct strbuf *err)
{
	struct layout_source *ls = (struct layout_source *)s;
	ssize_t n;

	do
		n = read(ls->fd, ls->buf, IMAGE_READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_code(err, ERR_IO, "cannot read '%s' in '%s': %s", ls->current, ls->target,
				  strerror(errno));
	if (n == 0)
		return 0;
	ls->base.bytes_read += (uint64_t)n;
	*p = ls->buf;
	*len = (size_t)n;
	return 1;
}

static void layout_release(struct source *s)
{
	struct layout_source *ls = (struct layout_source *)s;

	if (ls->fd >= 0)
		close(ls->fd);
	free(ls->buf);
	free(ls);
}

struct source *layout_source_new(int dirfd, const char *target, const char **names, size_t nr)
{
	struct layout_source *ls = xcalloc(1, sizeof(*ls));

	ls->base.next = layout_next;
	ls->base.read = layout_read;
	ls->base.release = layout_release;
	ls->dirfd = dirfd;
	ls->target = target;
	ls->names = names;
	ls->nr = nr;
	ls->fd = -1;
	ls->buf = xmalloc(IMAGE_READ_SIZE);
	return &ls->base;
}

int open_layout(struct image *img, const char *dir, const char *tag, const char *target,
		const struct image_options *opt, struct strbuf *err)
{
	struct layer_record **ordered = NULL;
	struct pathmap seen = {NULL, 0, 0};
	const unsigned char *data;
	const char **names = NULL;
	size_t len, nr = 0, i;
	struct ingest ing;
	struct pipeline pl;
	struct plan plan;
	int rc, dirfd;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_BAD_INPUT,
				  "cannot open '%s': %s", target, strerror(errno));
	ingest_init(&ing, img, opt, target);
	ing.layout_dirfd = dirfd;
	memset(&plan, 0, sizeof(plan));

	rc = ingest_meta(&ing, "oci-layout", &data, &len, err);
	if (rc == ERR_NOT_FOUND)
		rc = error_code(err, ERR_BAD_INPUT, "'%s' is not an OCI layout (no oci-layout file)", target);
	if (!rc)
		rc = plan_resolve(&ing, tag, &plan, err);
	if (rc)
		goto out;

	/* Each blob once, even when the manifest lists it twice. */
	names = xcalloc(plan.nr_layers + 1, sizeof(*names));
	for (i = 0; i < plan.nr_layers; i++) {
		const char *name = plan.layers[i].name;

		if (pathmap_get(&seen, name, strlen(name)))
			continue;
		pathmap_put(&seen, name, strlen(name), (void *)name);
		names[nr++] = name;
	}
	ing.layers_total = nr;
	pipeline_start(&pl, producer_new(layout_source_new(dirfd, target, names, nr), opt, target));
	rc = ingest_run(&ing, &pl, err);
	pipeline_finish(&pl);
	if (!rc)
		rc = plan_bind(&ing, &plan, &ordered, err);
	if (!rc) {
		merge_layers(img, ordered, img->nr_layers, 0);
		bind_tokens(img, &ing, ordered);
		if (opt->progress)
			opt->progress(opt->progress_data, nr, nr, ing.bytes_read);
	}
out:
	free(ordered);
	free(names);
	pathmap_release(&seen);
	plan_release(&plan);
	ingest_release(&ing);
	close(dirfd);
	return rc;
}
