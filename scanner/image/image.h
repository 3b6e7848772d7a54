/* Reading container images in one streaming pass into the few files catalogers need. */
#ifndef CUSTOMS_IMAGE_IMAGE_H
#define CUSTOMS_IMAGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/strbuf.h"
#include "util/warnings.h"

/*
 * Targets:
 *   PATH            a docker save tarball (legacy or Docker 25+ OCI layout),
 *                   an OCI archive, optionally gzip/zstd compressed, or an OCI
 *                   layout folder; the kind is detected from the content
 *   -               the same, read from standard input
 *   oci:DIR[:TAG]   an OCI image layout folder
 *   dir:PATH        a root filesystem folder
 */

enum image_kind {
	IMAGE_DOCKER_ARCHIVE,
	IMAGE_OCI_ARCHIVE,
	IMAGE_OCI_LAYOUT,
	IMAGE_ROOTFS,
};

/* One layer in manifest order. Strings live in the image's arena. */
struct image_layer {
	const char *digest; /* blob digest as stored ("sha256:..."); NULL for a rootfs */
	const char *diff_id; /* digest of the uncompressed tar; NULL for a rootfs */
	const char *media_type; /* NULL when the manifest gives none (legacy docker) */
	const char *created_by; /* the history entry that made this layer, or NULL */
	uint64_t size; /* bytes as stored */
	uint64_t uncompressed_size; /* bytes of tar after decompression */
};

/* One key and value from the config: a label, or an environment variable split at its first '='. */
struct image_kv {
	const char *key;
	const char *value; /* "" for an environment entry without '=' */
};

/* One entry of the config's history, in order, including those that made no layer. */
struct image_history {
	const char *created_by; /* as the builder recorded it, or NULL; bounded by the metadata cap only */
	int empty_layer; /* the entry made no layer (ENV, USER, EXPOSE, ...) */
	int layer; /* index into image->layers of the layer it made; -1 for an empty or unmatched entry */
};

enum image_healthcheck {
	IMAGE_HEALTHCHECK_ABSENT, /* no Healthcheck, or one whose Test is empty or not a list */
	IMAGE_HEALTHCHECK_DISABLED, /* HEALTHCHECK NONE: Test is ["NONE"] */
	IMAGE_HEALTHCHECK_DEFINED,
};

/*
 * Caps on what the config may list; entries beyond a cap are dropped with a
 * warning, and longer strings are cut (the cut is marked with "...").
 */
#define IMAGE_MAX_CONFIG_ENTRIES 4096 /* of each of Env, Labels, ExposedPorts, Entrypoint, Cmd */
#define IMAGE_MAX_HISTORY 16384
#define IMAGE_MAX_CONFIG_STRING (64u << 10) /* bytes of one string kept from Env, Labels, User, ... */

/*
 * The run-time settings of the image config's "config" object. Every string
 * is valid UTF-8 and lives in the image's arena. A missing or wrongly typed
 * field reads as absent (NULL or no entries): these fields are optional.
 */
struct image_config {
	int present; /* the image has a config object; 0 for a rootfs or a config without one */
	const char *user; /* User as written ("app", "1000:1000"); NULL when unset */
	const char *working_dir; /* NULL when unset */
	struct image_kv *env; /* "NAME=value" split at the first '=' */
	size_t nr_env;
	struct image_kv *labels;
	size_t nr_labels;
	const char **exposed_ports; /* keys of ExposedPorts, such as "22/tcp" */
	size_t nr_exposed_ports;
	const char **entrypoint;
	size_t nr_entrypoint;
	const char **cmd;
	size_t nr_cmd;
	enum image_healthcheck healthcheck;
};

enum fs_entry_kind {
	FS_REGULAR,
	FS_SYMLINK,
	FS_OTHER, /* directory, device, fifo: shadows lower files but holds no data */
};

/*
 * One version of a file of interest. The merged view holds the newest version
 * of each path; `lower` points at the version the layer below held, so a
 * cataloger can tell which layer introduced something. Everything lives in
 * the image's arena.
 */
struct fs_file {
	const char *path; /* normalised, relative to the root, e.g. "var/lib/dpkg/status" */
	enum fs_entry_kind kind;
	const unsigned char *data; /* FS_REGULAR: contents, NUL-terminated; NULL otherwise */
	size_t size; /* bytes in data */
	uint64_t real_size; /* size in the archive; larger than size when truncated */
	int truncated; /* the file was larger than the per-file cap */
	const char *link_target; /* FS_SYMLINK: target as written in the archive */
	uint32_t mode; /* permission bits and setuid/setgid */
	int layer; /* index into image->layers, or -1 for a rootfs folder */
	const struct fs_file *lower;
};

/* Callback that decides, from the normalised path alone, whether to keep a file. */
typedef int (*image_want_fn)(const char *path, void *data);

/* Called after each layer and once at the end; bytes counts input read so far. */
typedef void (*image_progress_fn)(void *data, size_t layers_done, size_t layers_total, uint64_t bytes);

/*
 * An observer sees every entry of every layer as the tar streams by, so
 * posture checks can look at files that no cataloger keeps, in the same pass
 * and without the image keeping their bytes.
 *
 * Contract:
 * - Every callback runs on the thread that called image_open() (the tar
 *   parse), never on the decompression thread, in stream order: layer after
 *   layer as the archive stores them (not manifest order), entry after entry.
 * - entry() is called once per tar entry: regular files, hard links (as
 *   entries of their own, kind FS_REGULAR with hardlink set; their bytes went
 *   by with their target, so they offer no contents), symlinks, folders,
 *   devices and fifos (FS_OTHER). Whiteouts are reported too, flagged: path
 *   is then what the whiteout deletes from the layers below (".wh.NAME" gives
 *   "dir/NAME"; an opaque ".wh..wh.opq" gives the folder, "" for the root),
 *   kind FS_OTHER, and their answer is ignored. The root entry ("./") is not
 *   reported. A path the image module rejects (one with "..") fails the
 *   layer, as without an observer. Everything e points to is valid only
 *   during the call.
 * - For a regular file, entry() returns 1 to receive its contents: then
 *   contents() gets them in order, in chunks of any size (holes of a sparse
 *   file as zeros), until the file ends or contents() returns
 *   IMAGE_OBSERVE_ENOUGH, when the rest is skipped unread; then end() is
 *   called once, even when the file was cut short by a damaged layer. Any
 *   other answer, or any other kind, gets no contents() and no end(). A
 *   sparse member may declare far more bytes than the layer stores: an
 *   observer that reads whole files sets itself a cap.
 * - Hard links, symlinks, folders and whiteouts offer no contents.
 * - A file that opt->want also keeps is fed from the bytes read for keeping
 *   (never read twice); past max_file_size the rest is still fed.
 * - layer_token identifies the layer blob in stream order; after image_open()
 *   image_layer_index() maps it to an index into image->layers. A blob that
 *   no manifest layer uses is still walked and reported.
 * - dir:PATH reports every entry of the folder with layer_token -1, reading
 *   a file's contents only when entry() asks, up to max_file_size bytes.
 */
enum image_whiteout {
	IMAGE_WHITEOUT_NONE,
	IMAGE_WHITEOUT_FILE,   /* path (and all below it) is deleted from lower layers */
	IMAGE_WHITEOUT_OPAQUE, /* everything below the folder path is deleted from lower layers */
};

struct image_entry {
	const char *path; /* normalised, relative to the root: "usr/bin/su" */
	enum fs_entry_kind kind;
	int is_dir; /* FS_OTHER that is a folder (not a device or fifo) */
	uint32_t mode; /* permission bits plus setuid, setgid and sticky (07777) */
	uint64_t size; /* size declared in the archive; 0 when none */
	const char *hardlink; /* a hard link: the normalised path it links to; NULL otherwise */
	enum image_whiteout whiteout;
	int layer_token; /* see image_layer_index(); -1 for a rootfs folder */
};

#define IMAGE_OBSERVE_MORE 0
#define IMAGE_OBSERVE_ENOUGH 1

struct image_observer {
	/* Returns 1 to receive the contents of a regular file, 0 otherwise. */
	int (*entry)(void *data, const struct image_entry *e);
	/* Returns IMAGE_OBSERVE_MORE, or IMAGE_OBSERVE_ENOUGH to skip the rest of the file. */
	int (*contents)(void *data, const void *buf, size_t len);
	/* After the last contents() of a file whose entry() returned 1. */
	void (*end)(void *data);
	void *data;
};

struct image_options {
	image_want_fn want;
	void *want_data;
	size_t max_file_size; /* cap on one kept file; longer files are kept truncated */
	uint64_t max_layer_bytes; /* cap on decompressed bytes of one layer */
	uint64_t max_image_bytes; /* cap on decompressed bytes of the whole image */
	uint64_t max_metadata_bytes; /* cap on manifest, index and config JSON */
	/* A cap left at 0 means its default. */
	image_progress_fn progress;
	void *progress_data;
	/* Optional; the caller keeps it valid during image_open(). */
	const struct image_observer *observer;
};

#define IMAGE_DEFAULT_MAX_FILE_SIZE (64u << 20)
#define IMAGE_DEFAULT_MAX_LAYER_BYTES (16ull << 30)
#define IMAGE_DEFAULT_MAX_IMAGE_BYTES (64ull << 30)
#define IMAGE_DEFAULT_MAX_METADATA_BYTES (8u << 20)

void image_options_init(struct image_options *opt);

struct image {
	struct arena arena; /* owns every string and fs_file below */
	enum image_kind kind;
	const char *source; /* the target as the user wrote it */
	const char *digest; /* manifest digest, or NULL (legacy docker save, rootfs) */
	const char *config_digest; /* "sha256:..." of the config blob, or NULL */
	const char *os; /* from the config, or NULL */
	const char *architecture; /* from the config, or NULL */
	const char **repo_tags; /* names such as "debian:12", from the archive */
	size_t nr_repo_tags;
	struct image_layer *layers;
	size_t nr_layers;
	struct image_config config;
	struct image_history *history; /* NULL for a rootfs or a config without history */
	size_t nr_history;
	/*
	 * Merged view, newest version of each path, sorted by path in byte
	 * order except that '/' sorts first, so a folder and everything below
	 * it are adjacent (see image_files_under). Folders appear only where
	 * opt->want asked for them; symlinks of at most two components
	 * ("lib", "usr/lib64") are always kept so image_resolve can follow them.
	 */
	const struct fs_file **files;
	size_t nr_files;
	struct warnings warnings;
	/* Observer layer tokens to indexes into layers; read through image_layer_index(). */
	int *token_layers;
	size_t nr_tokens;
};

/*
 * Read target in one pass and build the merged view of the files that
 * opt->want kept. On success *out is an image the caller frees with
 * image_free(). On failure returns a negative ERR_* code with one line in err
 * naming the file and the problem; nothing is allocated.
 */
int image_open(struct image **out, const char *target, const struct image_options *opt, struct strbuf *err);
void image_free(struct image *img);

/* The newest version of path in the merged view, without following symlinks; NULL if absent. */
const struct fs_file *image_lookup(const struct image *img, const char *path);

/*
 * Like image_lookup, but follows symlinks (in any component of the final
 * name) the way a chroot would. Returns 0 and sets *out (NULL when the file is
 * absent), or ERR_BAD_INPUT for a symlink loop.
 */
int image_resolve(const struct image *img, const char *path, const struct fs_file **out, struct strbuf *err);

/*
 * The range of files whose path lies under dir ("" for all), as indexes
 * [*first, *end) into img->files.
 */
void image_files_under(const struct image *img, const char *dir, size_t *first, size_t *end);

const char *image_kind_name(enum image_kind kind);

/*
 * The index into img->layers of the layer an observer saw as token (the
 * first index when the manifest lists that blob twice), or -1 for a blob
 * that is no layer of the image, a rootfs folder, or an unknown token.
 */
int image_layer_index(const struct image *img, int token);

#endif
