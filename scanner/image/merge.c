/* Stack the recorded layers the way overlayfs would: each layer's whiteouts hide lower files, then its files
 * land on top. */
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/xalloc.h"

struct view_node {
	struct fs_file file;
	size_t seq; /* position of the layer in the stack */
	int shadow_only;
};

int image_path_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (;; x++, y++) {
		if (*x == *y) {
			if (!*x)
				return 0;
			continue;
		}
		if (!*x)
			return -1;
		if (!*y)
			return 1;
		/* '/' first, so that a folder and everything below it form one run. */
		if (*x == '/')
			return -1;
		if (*y == '/')
			return 1;
		return *x < *y ? -1 : 1;
	}
}

static int cmp_files(const void *a, const void *b)
{
	const struct fs_file *const *x = a, *const *y = b;
	return image_path_cmp((*x)->path, (*y)->path);
}

static int hidden(const struct pathmap *gone, const struct pathmap *below, const char *path)
{
	size_t len = strlen(path), i;

	if (pathmap_get(gone, path, len))
		return 1;
	for (i = 0; i < len; i++)
		if (path[i] == '/' && (pathmap_get(gone, path, i) || pathmap_get(below, path, i)))
			return 1;
	return 0;
}

/* Hide what the layer's whiteouts delete, and what its non-folder entries cover. */
static void apply_hiding(struct pathmap *view, const struct layer_record *rec)
{
	struct pathmap gone = {NULL, 0, 0}, below = {NULL, 0, 0};
	int opaque_root = 0;
	size_t i;

	if (!view->nr)
		return;
	for (i = 0; i < rec->nr_whiteouts; i++) {
		const struct rec_whiteout *w = &rec->whiteouts[i];

		if (w->opaque && !*w->path)
			opaque_root = 1;
		else
			pathmap_put(w->opaque ? &below : &gone, w->path, strlen(w->path), (void *)w);
	}
	for (i = 0; i < rec->nr_files; i++)
		if (!rec->files[i].is_dir)
			pathmap_put(&below, rec->files[i].path, strlen(rec->files[i].path),
				    (void *)&rec->files[i]);
	if (opaque_root || gone.nr || below.nr) {
		for (i = 0; i < view->cap; i++) {
			struct pathmap_slot *s = &view->slots[i];

			if (s->key && s->value && (opaque_root || hidden(&gone, &below, s->key)))
				s->value = NULL;
		}
	}
	pathmap_release(&gone);
	pathmap_release(&below);
}

void merge_layers(struct image *img, struct layer_record **recs, size_t nr, int rootfs)
{
	struct pathmap view = {NULL, 0, 0};
	size_t l, i, n = 0;

	for (l = 0; l < nr; l++) {
		const struct layer_record *rec = recs[l];

		/* Whiteouts concern only the layers below, so they apply before the layer's own files. */
		apply_hiding(&view, rec);
		for (i = 0; i < rec->nr_files; i++) {
			const struct rec_file *f = &rec->files[i];
			struct view_node *prev = pathmap_get(&view, f->path, strlen(f->path));
			struct view_node *node = arena_alloc(&img->arena, sizeof(*node));

			node->file.path = f->path;
			node->file.kind = f->kind;
			node->file.data = f->kind == FS_REGULAR ? f->data : NULL;
			node->file.size = f->kind == FS_REGULAR ? f->size : 0;
			node->file.real_size = f->real_size;
			node->file.truncated = f->truncated;
			node->file.link_target = f->link_target;
			node->file.mode = f->mode;
			node->file.layer = rootfs ? -1 : (int)l;
			node->seq = l;
			node->shadow_only = f->shadow_only;
			if (prev && prev->seq == l)
				node->file.lower = prev->file.lower; /* the same path twice in one layer */
			else if (prev && !prev->shadow_only)
				node->file.lower = &prev->file;
			pathmap_put(&view, f->path, strlen(f->path), node);
		}
	}

	for (i = 0; i < view.cap; i++) {
		const struct view_node *node = view.slots[i].value;
		if (view.slots[i].key && node && !node->shadow_only)
			n++;
	}
	img->files = arena_alloc(&img->arena, (n + 1) * sizeof(*img->files));
	img->nr_files = 0;
	for (i = 0; i < view.cap; i++) {
		const struct view_node *node = view.slots[i].value;
		if (view.slots[i].key && node && !node->shadow_only)
			img->files[img->nr_files++] = &node->file;
	}
	if (img->nr_files)
		qsort(img->files, img->nr_files, sizeof(*img->files), cmp_files);
	pathmap_release(&view);
}
