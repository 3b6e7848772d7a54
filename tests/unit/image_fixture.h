/* Small container images built in memory at test time, valid or deliberately broken. */
#ifndef CUSTOMS_TESTS_UNIT_IMAGE_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_IMAGE_FIXTURE_H

#include <stddef.h>

#include "image/image.h"
#include "util/sha256.h"
#include "util/strbuf.h"

/* ---- tar members written by hand, so tests can also write what no tool would ---- */

void fx_tar_entry(struct strbuf *tar, const char *name, char type, const void *data, size_t len,
		  const char *link, unsigned mode);
void fx_tar_file(struct strbuf *tar, const char *name, const char *text);
void fx_tar_dir(struct strbuf *tar, const char *name);
void fx_tar_symlink(struct strbuf *tar, const char *name, const char *target);
void fx_tar_hardlink(struct strbuf *tar, const char *name, const char *target);
/* The two zero blocks that end an archive. */
void fx_tar_end(struct strbuf *tar);

enum fx_comp {
	FX_NONE,
	FX_GZIP,
	FX_ZSTD,
};

void fx_compress(enum fx_comp comp, const void *data, size_t len, struct strbuf *out);

/* ---- archive members, in archive order, that a test may reorder, change or drop ---- */

struct fx_member {
	char *name;
	struct strbuf data;
	char type; /* '0' file, '2' symlink, '1' hard link */
	char *link;
};

struct fx_archive {
	struct fx_member m[64];
	size_t n;
};

struct fx_member *fx_add(struct fx_archive *a, const char *name, const void *data, size_t len);
/* The first member whose name starts with prefix, or NULL. */
struct fx_member *fx_find(struct fx_archive *a, const char *prefix);
void fx_remove(struct fx_archive *a, const char *prefix);
void fx_move_last(struct fx_archive *a, const char *prefix);
void fx_move_first(struct fx_archive *a, const char *prefix);
void fx_serialize(const struct fx_archive *a, struct strbuf *tar);
void fx_release(struct fx_archive *a);

/* ---- images ---- */

struct fx_layer {
	struct strbuf tar; /* the uncompressed layer, ended with fx_tar_end unless a test wants otherwise */
	enum fx_comp comp;
	const char *created_by;
};

struct fx_opts {
	const char *tag;
	int wrong_diff_id; /* 1-based layer whose diff_id the config gets wrong */
	int no_diff_ids;
	int extra_diff_id;
	int empty_history_first; /* an empty_layer history entry before the others */
	int repeat_first_layer;	 /* the manifest lists layer 1 again at the end */
	/*
	 * JSON object text whose members replace or join the config's top-level
	 * ones, e.g. "{\"config\": {\"User\": \"app\"}}" or a whole "history";
	 * must parse, and a replaced "history" decides the layer mapping.
	 */
	const char *config_extra;
};

/* Filled by the builders: digests of what they wrote. */
struct fx_digests {
	char manifest[DIGEST_STR_LEN];
	char config[DIGEST_STR_LEN];
	char layer[8][DIGEST_STR_LEN];
	char diff_id[8][DIGEST_STR_LEN];
};

/* oci-layout, index.json and blobs/sha256/... */
void fx_build_oci(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
		  struct fx_digests *d);
/* manifest.json, <id>.json, <id>/layer.tar (layers stored uncompressed, as docker save does) */
void fx_build_docker_legacy(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
			    struct fx_digests *d);
/* Docker 25+: an OCI layout plus manifest.json pointing into blobs/ */
void fx_build_docker25(struct fx_archive *a, struct fx_layer *layers, size_t n, const struct fx_opts *o,
		       struct fx_digests *d);
void fx_layer_init(struct fx_layer *l, enum fx_comp comp, const char *created_by);
void fx_layers_release(struct fx_layer *layers, size_t n);

/* ---- files ---- */

/* A fresh folder under $TMPDIR; fx_rmtree removes it. The caller frees the name. */
char *fx_tmpdir(void);
void fx_rmtree(const char *dir);
void fx_write(const char *path, const void *data, size_t len);
/* Write a to dir/name as a tar file and return the path (caller frees). */
char *fx_write_archive(const char *dir, const char *name, const struct fx_archive *a);
/* Write a's members into dir as files: an OCI layout folder. */
void fx_write_tree(const char *dir, const struct fx_archive *a);

/* ---- opening ---- */

/* Keeps every path except those under "junk/". */
int fx_want(const char *path, void *data);
void fx_options(struct image_options *opt);
int fx_open(struct image **img, const char *target, struct strbuf *err);
/* Write the bytes (or a serialised archive) to a temporary file and open it; opt NULL means fx_options. */
int fx_open_bytes(struct image **img, const void *data, size_t len, const struct image_options *opt,
		  struct strbuf *err);
int fx_open_archive(struct image **img, const struct fx_archive *a, const struct image_options *opt,
		    struct strbuf *err);
/* The newest regular file at path, as text, or NULL. */
const char *fx_text(const struct image *img, const char *path);

#endif
