/* Private interfaces between the files of the image module; nothing outside scanner/image/ includes this. */
#ifndef CUSTOMS_IMAGE_INTERNAL_H
#define CUSTOMS_IMAGE_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <zlib.h>
#include <zstd.h>

#include "image/image.h"
#include "util/warnings.h"
#include "util/sha256.h"
#include "util/sha256_fast.h"
#include "util/strbuf.h"

/* Decompressed bytes travel in chunks of this size from the reading thread to the parsing one. */
#define IMAGE_CHUNK_SIZE (256 * 1024)
/* Chunks in flight between the two threads: enough to ride out a slow tar header or a slow inflate. */
#define IMAGE_RING_SLOTS 8
/* Bytes asked of the operating system per read. */
#define IMAGE_READ_SIZE (1024 * 1024)
/* As the kernel's MAXSYMLINKS. */
#define IMAGE_MAX_SYMLINK_HOPS 40
/* Longest symlink target kept; the kernel's PATH_MAX. */
#define IMAGE_MAX_LINK_TARGET 4096
/* Names of skipped archive members remembered to explain a missing layer. */
#define IMAGE_MAX_SKIPPED 4096
/* Layers one manifest may list. */
#define IMAGE_MAX_LAYERS 4096
/* Nesting of image indexes followed before giving up. */
#define IMAGE_MAX_INDEX_DEPTH 4

/* ---- pathmap.c: a hash map from strings (not owned) to pointers ---- */

struct pathmap_slot {
	const char *key;
	size_t len;
	uint64_t hash;
	void *value;
};

struct pathmap {
	struct pathmap_slot *slots;
	size_t cap, nr;
};

/* key[0..len) need not be NUL-terminated; the stored key must outlive the map. */
void *pathmap_get(const struct pathmap *m, const char *key, size_t len);
/* Insert or replace; a NULL value keeps the key, so "removed" entries stay cheap. */
void pathmap_put(struct pathmap *m, const char *key, size_t len, void *value);
void pathmap_release(struct pathmap *m);

/* ---- decompress.c: gzip, zstd or nothing, one buffer at a time ---- */

enum compression {
	COMP_NONE,
	COMP_GZIP,
	COMP_ZSTD,
};

struct decompressor {
	enum compression kind;
	z_stream z;
	ZSTD_DStream *zstd;
	int gzip_member_done; /* the last gzip member ended; more members may follow */
	size_t zstd_pending;  /* ZSTD_decompressStream's last hint: 0 when a frame just ended */
	int zlib_ready;
};

/* The compression that the first bytes of a stream announce, from its magic number. */
enum compression compression_sniff(const unsigned char *p, size_t len);
const char *compression_name(enum compression c);
void decompressor_init(struct decompressor *d, enum compression kind);
/*
 * Decompress from *in (advanced past what was used) into out[*out_len..cap)
 * (*out_len advanced). Call with *in_len == 0 to flush. Returns 0, or
 * ERR_BAD_INPUT with a message that names no file.
 */
int decompressor_run(struct decompressor *d, const unsigned char **in, size_t *in_len, unsigned char *out,
		     size_t cap, size_t *out_len, struct strbuf *err);
/* At the end of the input: 0 if the stream ended cleanly, else "unexpected end of gzip stream". */
int decompressor_finish(struct decompressor *d, struct strbuf *err);
void decompressor_release(struct decompressor *d);

/* ---- sources: where the bytes of archive members come from ---- */

enum item_kind {
	ITEM_FILE,  /* a regular file */
	ITEM_ALIAS, /* a hard or symbolic link to another member */
};

struct source_item {
	enum item_kind kind;
	char *name;	/* normalised; the receiver frees it */
	char *alias_of; /* ITEM_ALIAS: the normalised member it stands for */
	int64_t size;	/* -1 when unknown */
	int layer_only; /* never metadata: a blob the manifest named as a layer */
};

/*
 * A source yields members and their bytes. Both functions return 1 with
 * output, 0 at the end (of the archive, or of the current member), or a
 * negative ERR_* with a complete message in err.
 */
struct source {
	int (*next)(struct source *s, struct source_item *item, struct strbuf *err);
	int (*read)(struct source *s, const unsigned char **p, size_t *len, struct strbuf *err);
	void (*release)(struct source *s);
	uint64_t bytes_read; /* input consumed so far, for progress */
};

/* stream.c: a tarball (docker save, OCI archive), maybe compressed as a whole. Takes ownership of fd. */
int tar_source_open(struct source **out, int fd, const char *target, const struct image_options *opt,
		    struct strbuf *err);
/* layout.c: the named blobs of an OCI layout folder, in order. dirfd stays the caller's. */
struct source *layout_source_new(int dirfd, const char *target, const char **names, size_t nr);

/* ---- producer.c and pipeline.c: read, hash and decompress on one thread; parse on another ---- */

enum chunk_kind {
	CHUNK_DATA,	   /* stored bytes (raw) and decompressed bytes (buf) of the current layer */
	CHUNK_LAYER_BEGIN, /* name, compressed */
	CHUNK_LAYER_END,   /* sizes, and the layer's error if it failed */
	CHUNK_META,	   /* name, meta: a small JSON member kept whole */
	CHUNK_ALIAS,	   /* name, alias_of */
	CHUNK_SKIPPED,	   /* name of a member that was neither metadata nor a layer */
	CHUNK_EOF,
	CHUNK_ERROR, /* err_code, err: the whole read fails */
};

struct chunk {
	enum chunk_kind kind;
	unsigned char *buf; /* IMAGE_CHUNK_SIZE bytes owned by the ring slot */
	size_t len;
	/*
	 * The stored bytes that produced buf, for the blob digest, so that the
	 * parsing thread hashes them and the reading thread only inflates.
	 * Empty for an uncompressed layer, whose blob digest is its diff_id.
	 */
	unsigned char *raw; /* IMAGE_CHUNK_SIZE bytes owned by the ring slot */
	size_t raw_len;
	int compressed; /* CHUNK_LAYER_BEGIN */
	char *name;	/* heap; a receiver that keeps it sets the field to NULL */
	char *alias_of;
	unsigned char *meta;
	size_t meta_len;
	int json_too_big; /* CHUNK_SKIPPED: JSON over the metadata cap */
	uint64_t stored_size, uncompressed_size;
	uint64_t input_bytes;
	int err_code;
	struct strbuf err;
};

struct producer;

struct producer *producer_new(struct source *src, const struct image_options *opt, const char *target);
/* Fill c with the next event; after CHUNK_EOF or CHUNK_ERROR it must not be called again. */
void producer_step(struct producer *p, struct chunk *c);
/* Frees the producer and its source. */
void producer_free(struct producer *p);

struct pipeline {
	struct producer *prod;
	int threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct chunk slots[IMAGE_RING_SLOTS];
	size_t nslots, head, count;
	int held; /* the consumer holds slots[head] */
	int stop;
};

/* Starts the reading thread unless CUSTOMS_THREADS=1; the pipeline owns prod from here on. */
void pipeline_start(struct pipeline *pl, struct producer *prod);
/* The next event, valid until pipeline_release(). */
struct chunk *pipeline_get(struct pipeline *pl);
void pipeline_release(struct pipeline *pl);
/* Stops and joins the reading thread, frees the producer and whatever is left in the ring. */
void pipeline_finish(struct pipeline *pl);

/* ---- layer.c: what one layer holds of interest ---- */

struct rec_file {
	const char *path; /* arena */
	enum fs_entry_kind kind;
	int is_dir;
	int shadow_only; /* recorded only to hide what lies below; not wanted by the caller */
	const unsigned char *data;
	size_t size;
	uint64_t real_size;
	int truncated;
	const char *link_target;
	uint32_t mode;
};

struct rec_whiteout {
	const char *path; /* the folder for an opaque whiteout, "" for the root */
	int opaque;
};

struct layer_record {
	const char *name; /* member name, or blobs/sha256/<hex> */
	int token;	  /* its position in the stream: the observer's layer_token */
	char blob_digest[DIGEST_STR_LEN];
	char diff_id[DIGEST_STR_LEN];
	uint64_t stored_size, uncompressed_size;
	int err_code; /* the layer failed; reported only if the manifest uses it */
	const char *err_msg;
	struct rec_file *files;
	size_t nr_files, alloc_files;
	struct rec_whiteout *whiteouts;
	size_t nr_whiteouts, alloc_whiteouts;
	struct warnings warnings;
	struct pathmap by_path; /* path -> index + 1 in files, while recording hard links */
};

struct meta_file {
	char *name;
	unsigned char *data;
	size_t len;
};

struct alias {
	char *name, *alias_of;
};

struct skipped_member {
	char *name;
	int json_too_big;
};

/* State of one image_open() call: what the pass over the archive found. */
struct ingest {
	struct image *img;
	const struct image_options *opt;
	const char *target; /* as the user wrote it, for messages */
	int layout_dirfd;   /* >= 0: metadata comes from an OCI layout folder */
	struct meta_file *meta;
	size_t nr_meta, alloc_meta;
	uint64_t meta_bytes;
	struct alias *aliases;
	size_t nr_aliases, alloc_aliases;
	struct skipped_member *skipped;
	size_t nr_skipped, alloc_skipped;
	struct layer_record **recs;
	size_t nr_recs, alloc_recs;
	struct pathmap recs_by_name;
	size_t layers_done, layers_total;
	uint64_t bytes_read;
};

void ingest_init(struct ingest *ing, struct image *img, const struct image_options *opt, const char *target);
void ingest_release(struct ingest *ing);
/* Consume every event of the pipeline, recording layers and metadata. */
int ingest_run(struct ingest *ing, struct pipeline *pl, struct strbuf *err);
struct layer_record *ingest_find_layer(struct ingest *ing, const char *name);
const struct skipped_member *ingest_find_skipped(struct ingest *ing, const char *name);
/*
 * The bytes of a metadata file: from memory for an archive, from the folder
 * for a layout. Returns 0, ERR_NOT_FOUND, or another error with err set.
 */
int ingest_meta(struct ingest *ing, const char *name, const unsigned char **data, size_t *len,
		struct strbuf *err);
struct layer_record *layer_record_new(struct ingest *ing, const char *name);
void layer_record_add(struct layer_record *rec, const struct rec_file *f);
void layer_record_free(struct layer_record *rec);
/* The number of components of a normalised path: "usr/lib" has 2. */
size_t path_depth(const char *path);

/* ---- manifest.c: from manifest and config to the ordered layers ---- */

struct plan_layer {
	const char *name;   /* the member or blob holding it */
	const char *digest; /* expected blob digest, or NULL when the archive gives none */
	const char *media_type;
	int64_t size; /* expected stored size, or -1 */
};

struct plan {
	enum image_kind kind;
	const char *config_name;
	struct plan_layer *layers;
	size_t nr_layers;
	const char **diff_ids;
	size_t nr_diff_ids;
	const char **created_by; /* per non-empty history entry */
	size_t nr_created_by;
};

/* Find the manifest and config among the metadata; tag may be NULL. Fills img's fields too. */
int plan_resolve(struct ingest *ing, const char *tag, struct plan *plan, struct strbuf *err);
/* Check each planned layer's record against the manifest and config, and fill img->layers. */
int plan_bind(struct ingest *ing, const struct plan *plan, struct layer_record ***out, struct strbuf *err);
void plan_release(struct plan *plan);

/* Fill img->token_layers from the records plan_bind ordered; ing's records give the tokens. */
void bind_tokens(struct image *img, const struct ingest *ing, struct layer_record **ordered);

/* ---- merge.c ---- */

/* Build img->files from the records in order; for a root filesystem pass rootfs = 1. */
void merge_layers(struct image *img, struct layer_record **recs, size_t nr, int rootfs);
/* Order of img->files: byte order, except that '/' sorts before every other byte. */
int image_path_cmp(const char *a, const char *b);

/* ---- layout.c, rootfs.c, stream entry points used by image.c ---- */

int open_stream(struct image *img, int fd, const char *target, const struct image_options *opt,
		struct strbuf *err);
int open_layout(struct image *img, const char *dir, const char *tag, const char *target,
		const struct image_options *opt, struct strbuf *err);
int open_rootfs(struct image *img, const char *dir, const char *target, const struct image_options *opt,
		struct strbuf *err);

/* The message for a truncated or damaged libarchive stream, first letter lowercased. */
void archive_message(struct strbuf *out, const char *msg);

#endif
