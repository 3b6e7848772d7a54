/* The parsing side: walk each layer's tar as it streams by and record the files of interest. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/path.h"
#include "util/xalloc.h"

/* Kept files up to this size go straight into the arena; larger ones grow as they arrive. */
#define DIRECT_READ_LIMIT (1024 * 1024)

size_t path_depth(const char *path)
{
	size_t n = *path ? 1 : 0;

	for (; *path; path++)
		if (*path == '/')
			n++;
	return n;
}

void ingest_init(struct ingest *ing, struct image *img, const struct image_options *opt, const char *target)
{
	memset(ing, 0, sizeof(*ing));
	ing->img = img;
	ing->opt = opt;
	ing->target = target;
	ing->layout_dirfd = -1;
}

void layer_record_free(struct layer_record *rec)
{
	free(rec->files);
	free(rec->whiteouts);
	warnings_release(&rec->warnings);
	pathmap_release(&rec->by_path);
	free(rec);
}

void ingest_release(struct ingest *ing)
{
	size_t i;

	for (i = 0; i < ing->nr_meta; i++) {
		free(ing->meta[i].name);
		free(ing->meta[i].data);
	}
	free(ing->meta);
	for (i = 0; i < ing->nr_aliases; i++) {
		free(ing->aliases[i].name);
		free(ing->aliases[i].alias_of);
	}
	free(ing->aliases);
	for (i = 0; i < ing->nr_skipped; i++)
		free(ing->skipped[i].name);
	free(ing->skipped);
	for (i = 0; i < ing->nr_recs; i++)
		layer_record_free(ing->recs[i]);
	free(ing->recs);
	pathmap_release(&ing->recs_by_name);
	memset(ing, 0, sizeof(*ing));
	ing->layout_dirfd = -1;
}

struct layer_record *layer_record_new(struct ingest *ing, const char *name)
{
	struct layer_record *rec = xcalloc(1, sizeof(*rec));

	rec->name = arena_strdup(&ing->img->arena, name);
	rec->token = (int)ing->nr_recs;
	ALLOC_GROW(ing->recs, ing->nr_recs + 1, ing->alloc_recs);
	ing->recs[ing->nr_recs++] = rec;
	/* A later member of the same name replaces the earlier one, as tar extraction would. */
	pathmap_put(&ing->recs_by_name, rec->name, strlen(rec->name), rec);
	return rec;
}

void layer_record_add(struct layer_record *rec, const struct rec_file *f)
{
	ALLOC_GROW(rec->files, rec->nr_files + 1, rec->alloc_files);
	rec->files[rec->nr_files] = *f;
	rec->nr_files++;
	pathmap_put(&rec->by_path, f->path, strlen(f->path), (void *)(uintptr_t)rec->nr_files);
}

static void add_whiteout(struct layer_record *rec, struct arena *a, const char *path, size_t len, int opaque)
{
	ALLOC_GROW(rec->whiteouts, rec->nr_whiteouts + 1, rec->alloc_whiteouts);
	rec->whiteouts[rec->nr_whiteouts].path = arena_strndup(a, path, len);
	rec->whiteouts[rec->nr_whiteouts].opaque = opaque;
	rec->nr_whiteouts++;
}

struct layer_record *ingest_find_layer(struct ingest *ing, const char *name)
{
	size_t hops;

	for (hops = 0; hops < 8; hops++) {
		struct layer_record *rec = pathmap_get(&ing->recs_by_name, name, strlen(name));
		size_t i;

		if (rec)
			return rec;
		for (i = ing->nr_aliases; i-- > 0;)
			if (!strcmp(ing->aliases[i].name, name))
				break;
		if (i == (size_t)-1)
			return NULL;
		name = ing->aliases[i].alias_of;
	}
	return NULL;
}

const struct skipped_member *ingest_find_skipped(struct ingest *ing, const char *name)
{
	size_t i;

	for (i = ing->nr_skipped; i-- > 0;)
		if (!strcmp(ing->skipped[i].name, name))
			return &ing->skipped[i];
	return NULL;
}

static int read_layout_file(struct ingest *ing, const char *name, struct meta_file *out, struct strbuf *err)
{
	uint64_t cap = ing->opt->max_metadata_bytes;
	struct stat st;
	unsigned char *data;
	size_t len = 0;
	int fd = openat(ing->layout_dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		if (errno == ENOENT)
			return ERR_NOT_FOUND;
		return error_code(err, ERR_IO, "cannot read '%s' in '%s': %s", name, ing->target,
				  strerror(errno));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s' in '%s': not a regular file", name,
				  ing->target);
	}
	if ((uint64_t)st.st_size > cap) {
		close(fd);
		return error_code(err, ERR_LIMIT,
				  "'%s' in '%s' exceeds the metadata size limit of %llu bytes", name,
				  ing->target, (unsigned long long)cap);
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, data + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len != (size_t)st.st_size) {
		free(data);
		return error_code(err, ERR_IO, "cannot read '%s' in '%s': short read", name, ing->target);
	}
	data[len] = '\0';
	out->name = xstrdup(name);
	out->data = data;
	out->len = len;
	return 0;
}

int ingest_meta(struct ingest *ing, const char *name, const unsigned char **data, size_t *len,
		struct strbuf *err)
{
	size_t hops, i;

	for (hops = 0; hops < 8; hops++) {
		for (i = ing->nr_meta; i-- > 0;) {
			if (!strcmp(ing->meta[i].name, name)) {
				*data = ing->meta[i].data;
				*len = ing->meta[i].len;
				return 0;
			}
		}
		if (ing->layout_dirfd >= 0) {
			struct meta_file mf;
			int rc = read_layout_file(ing, name, &mf, err);

			if (rc)
				return rc;
			ALLOC_GROW(ing->meta, ing->nr_meta + 1, ing->alloc_meta);
			ing->meta[ing->nr_meta++] = mf;
			*data = mf.data;
			*len = mf.len;
			return 0;
		}
		for (i = ing->nr_aliases; i-- > 0;)
			if (!strcmp(ing->aliases[i].name, name))
				break;
		if (i == (size_t)-1)
			return ERR_NOT_FOUND;
		name = ing->aliases[i].alias_of;
	}
	return ERR_NOT_FOUND;
}

/* ---- one layer ---- */

struct walker {
	struct ingest *ing;
	struct pipeline *pl;
	struct layer_record *rec;
	struct sha256_fast_ctx diff_sha, blob_sha;
	int compressed;
	uint64_t uncompressed;
	int holding;	  /* a DATA chunk lent to libarchive */
	int at_end;	  /* the layer's END arrived, and the virtual trailer went out */
	int64_t data_end; /* where the data of the last entry ends, or -1 when unknown */
	int fatal;	  /* the whole read failed; message in fatal_msg */
	int fatal_code;
	struct strbuf fatal_msg;
	struct strbuf path;
	int observing; /* 0, or the observer takes this file's contents: 1 feeding, 2 had enough */
	unsigned char *observe_buf; /* OBSERVE_BUF_SIZE bytes, for the rest of a kept file */
};

/* Bytes per read for the rest of a kept file past the cap, and zeros fed per step for a hole. */
#define OBSERVE_BUF_SIZE (64 * 1024)
static const unsigned char observe_zeros[OBSERVE_BUF_SIZE];

/* Tell the observer about an entry; 1 when it wants the contents of this regular file. */
static int observe_entry(struct walker *w, const struct image_entry *e)
{
	const struct image_observer *obs = w->ing->opt->observer;

	if (!obs || !obs->entry)
		return 0;
	return obs->entry(obs->data, e) == 1 && e->kind == FS_REGULAR && !e->hardlink &&
	       e->whiteout == IMAGE_WHITEOUT_NONE;
}

static void observe_feed(struct walker *w, const void *buf, size_t len)
{
	const struct image_observer *obs = w->ing->opt->observer;

	if (w->observing != 1 || !len)
		return;
	if (!obs->contents || obs->contents(obs->data, buf, len) == IMAGE_OBSERVE_ENOUGH)
		w->observing = 2;
}

static void observe_zeros_upto(struct walker *w, uint64_t *pos, uint64_t to)
{
	while (w->observing == 1 && *pos < to) {
		size_t n = to - *pos < OBSERVE_BUF_SIZE ? (size_t)(to - *pos) : OBSERVE_BUF_SIZE;

		observe_feed(w, observe_zeros, n);
		*pos += n;
	}
}

static void observe_end(struct walker *w)
{
	const struct image_observer *obs = w->ing->opt->observer;

	if (!w->observing)
		return;
	w->observing = 0;
	if (obs->end)
		obs->end(obs->data);
}

static void take_end(struct walker *w, struct chunk *c)
{
	struct layer_record *rec = w->rec;

	w->at_end = 1;
	rec->stored_size = c->stored_size;
	rec->uncompressed_size = c->uncompressed_size;
	w->ing->bytes_read = c->input_bytes;
	if (c->err_code) {
		/* Decompression and size errors explain a tar error better than the tar reader can. */
		rec->err_code = c->err_code;
		rec->err_msg = arena_memdup(&w->ing->img->arena, c->err.buf, c->err.len);
		return;
	}
	sha256_fast_final_str(&w->diff_sha, rec->diff_id);
	if (w->compressed)
		sha256_fast_final_str(&w->blob_sha, rec->blob_digest);
	else
		memcpy(rec->blob_digest, rec->diff_id, DIGEST_STR_LEN);
}

/*
 * umoci writes layers that stop right after the last file's data, with no
 * padding and no end-of-archive blocks. After the real end, the tar reader
 * gets a zero trailer that no digest covers; walk_layer then checks that the
 * last entry's data really arrived, so a cut inside a file is still an error.
 */
static const unsigned char zero_trailer[512 + 1024];

static la_ssize_t layer_read(struct archive *a, void *data, const void **buf)
{
	struct walker *w = data;
	struct chunk *c;

	if (w->holding) {
		pipeline_release(w->pl);
		w->holding = 0;
	}
	if (w->fatal || w->at_end)
		return 0;
	for (;;) {
		c = pipeline_get(w->pl);
		if (c->kind != CHUNK_DATA)
			break;
		sha256_fast_update(&w->blob_sha, c->raw, c->raw_len);
		if (!c->len) {
			pipeline_release(w->pl);
			continue;
		}
		sha256_fast_update(&w->diff_sha, c->buf, c->len);
		w->uncompressed += c->len;
		w->holding = 1;
		*buf = c->buf;
		return (la_ssize_t)c->len;
	}
	switch (c->kind) {
	case CHUNK_LAYER_END:
		take_end(w, c);
		pipeline_release(w->pl);
		*buf = zero_trailer;
		return (la_ssize_t)((512 - w->uncompressed % 512) % 512 + 1024);
	case CHUNK_ERROR:
		w->fatal = 1;
		w->fatal_code = c->err_code;
		strbuf_add(&w->fatal_msg, c->err.buf, c->err.len);
		pipeline_release(w->pl);
		archive_set_error(a, EIO, "read failed");
		return -1;
	default:
		abort(); /* the producer sends only DATA between BEGIN and END */
	}
}

static void layer_fail(struct walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void layer_fail(struct walker *w, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (w->rec->err_code)
		return;
	strbuf_addf(&sb, "cannot read layer '%s' in '%s': ", w->rec->name, w->ing->target);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	w->rec->err_code = ERR_BAD_INPUT;
	w->rec->err_msg = arena_memdup(&w->ing->img->arena, sb.buf, sb.len);
	strbuf_release(&sb);
}

static void archive_fail(struct walker *w, struct archive *a)
{
	struct strbuf msg = STRBUF_INIT;

	if (w->at_end)
		strbuf_addstr(&msg, "unexpected end of tar stream");
	else
		archive_message(&msg, archive_error_string(a));
	layer_fail(w, "%s", msg.buf);
	strbuf_release(&msg);
}

/*
 * Normalise an entry name; 1 when it names the root itself ("./", or "/" as
 * umoci writes it), which holds nothing of interest.
 */
static int entry_path(struct walker *w, const char *name, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;
	const char *p;
	int only_dots = 1;

	for (p = name; *p && only_dots; p++)
		if (*p != '/' && *p != '.')
			only_dots = 0;
	if (only_dots && !strstr(name, ".."))
		return 1;
	if (path_normalize(name, 1, out, &err)) {
		layer_fail(w, "%s", err.buf);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	return 0;
}

static void archive_fail(struct walker *w, struct archive *a);

/*
 * Feed the contents of an entry that nobody keeps, block by block straight
 * from libarchive's buffer; holes of a sparse file go out as zeros. Stops
 * reading as soon as the observer has had enough: libarchive skips the rest.
 */
static int observe_unkept(struct walker *w, struct archive *a, struct archive_entry *e)
{
	uint64_t pos = 0;

	while (w->observing == 1) {
		const void *buf;
		size_t size;
		la_int64_t offset;
		int r = archive_read_data_block(a, &buf, &size, &offset);

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			observe_end(w);
			archive_fail(w, a);
			return -1;
		}
		if (offset > 0 && (uint64_t)offset > pos)
			observe_zeros_upto(w, &pos, (uint64_t)offset);
		observe_feed(w, buf, size);
		pos += size;
	}
	/* A sparse file may end in a hole. */
	if (archive_entry_sparse_count(e) && archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
		observe_zeros_upto(w, &pos, (uint64_t)archive_entry_size(e));
	observe_end(w);
	return 0;
}

/* The rest of a kept file past the keeping cap, for an observer that still wants it. */
static int observe_rest(struct walker *w, struct archive *a)
{
	if (w->observing == 1 && !w->observe_buf)
		w->observe_buf = xmalloc(OBSERVE_BUF_SIZE);
	while (w->observing == 1) {
		la_ssize_t n = archive_read_data(a, w->observe_buf, OBSERVE_BUF_SIZE);

		if (n < 0) {
			observe_end(w);
			archive_fail(w, a);
			return -1;
		}
		if (n == 0)
			break;
		observe_feed(w, w->observe_buf, (size_t)n);
	}
	observe_end(w);
	return 0;
}

static int read_kept_data(struct walker *w, struct archive *a, struct archive_entry *e, struct rec_file *f)
{
	struct arena *arena = &w->ing->img->arena;
	size_t cap = w->ing->opt->max_file_size;
	int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	size_t expect = declared >= 0 && (uint64_t)declared < cap ? (size_t)declared : cap;
	unsigned char *buf, *heap = NULL;
	size_t alloc, got = 0;

	if (expect <= DIRECT_READ_LIMIT) {
		alloc = expect;
		buf = arena_alloc(arena, alloc + 1);
	} else {
		/* A header may claim far more than the layer holds: grow only as bytes arrive. */
		alloc = DIRECT_READ_LIMIT;
		buf = heap = xmalloc(alloc + 1);
	}
	for (;;) {
		la_ssize_t n;

		if (got == alloc) {
			if (alloc >= expect)
				break;
			alloc = alloc * 2 < expect ? alloc * 2 : expect;
			buf = heap = xrealloc(heap, alloc + 1);
		}
		n = archive_read_data(a, buf + got, alloc - got);
		if (n < 0) {
			free(heap);
			observe_end(w);
			archive_fail(w, a);
			return -1;
		}
		if (n == 0)
			break;
		observe_feed(w, buf + got, (size_t)n);
		got += (size_t)n;
	}
	if (w->observing && observe_rest(w, a)) {
		free(heap);
		return -1;
	}
	if (heap) {
		f->data = arena_memdup(arena, heap, got);
		free(heap);
	} else {
		buf[got] = '\0';
		f->data = buf;
	}
	f->size = got;
	f->real_size = declared >= 0 ? (uint64_t)declared : got;
	if (f->real_size > got) {
		f->truncated = 1;
		warnings_add(&w->rec->warnings, arena,
				  "file '%s' in layer '%s' is larger than %zu bytes: only the start was read",
				  f->path, w->rec->name, cap);
	}
	return 0;
}

static int record_entry(struct walker *w, struct archive *a, struct archive_entry *e)
{
	const struct image_options *opt = w->ing->opt;
	struct arena *arena = &w->ing->img->arena;
	struct layer_record *rec = w->rec;
	const char *name = archive_entry_pathname(e);
	const char *base, *hardlink;
	struct image_entry ie;
	struct rec_file f;
	mode_t type;
	int wanted, short_path, observed, rc;

	if (!name) {
		layer_fail(w, "an entry has no readable name");
		return -1;
	}
	rc = entry_path(w, name, &w->path);
	if (rc)
		return rc > 0 ? 0 : -1;

	memset(&ie, 0, sizeof(ie));
	ie.layer_token = rec->token;
	ie.kind = FS_OTHER;
	base = path_basename(w->path.buf);
	if (!strncmp(base, ".wh.", 4)) {
		size_t dirlen = path_dirlen(w->path.buf);

		if (!strcmp(base, ".wh..wh..opq")) {
			add_whiteout(rec, arena, w->path.buf, dirlen, 1);
			ie.path = rec->whiteouts[rec->nr_whiteouts - 1].path;
			ie.whiteout = IMAGE_WHITEOUT_OPAQUE;
			observe_entry(w, &ie);
		} else if (strncmp(base, ".wh..wh.", 8) && base[4]) {
			/* ".wh.NAME" deletes NAME; ".wh..wh.*" are the union filesystem's own bookkeeping. */
			struct strbuf victim = STRBUF_INIT;

			if (dirlen) {
				strbuf_add(&victim, w->path.buf, dirlen);
				strbuf_addch(&victim, '/');
			}
			strbuf_addstr(&victim, base + 4);
			add_whiteout(rec, arena, victim.buf, victim.len, 0);
			ie.path = victim.buf;
			ie.whiteout = IMAGE_WHITEOUT_FILE;
			observe_entry(w, &ie);
			strbuf_release(&victim);
		}
		return 0;
	}

	type = archive_entry_filetype(e);
	hardlink = archive_entry_hardlink(e);
	observed = 0;
	if (w->ing->opt->observer) {
		struct strbuf link = STRBUF_INIT;

		ie.path = w->path.buf;
		ie.mode = archive_entry_mode(e) & 07777;
		if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
			ie.size = (uint64_t)archive_entry_size(e);
		if (hardlink) {
			ie.kind = FS_REGULAR;
			/* A bad target fails the layer only if the link is kept; the observer sees "". */
			ie.hardlink = path_normalize(hardlink, 1, &link, NULL) ? "" : link.buf;
		} else if (type == AE_IFREG) {
			ie.kind = FS_REGULAR;
		} else if (type == AE_IFLNK) {
			ie.kind = FS_SYMLINK;
		} else {
			ie.is_dir = type == AE_IFDIR;
		}
		observed = observe_entry(w, &ie);
		strbuf_release(&link);
		w->observing = observed;
	}

	wanted = opt->want ? opt->want(w->path.buf, opt->want_data) : 0;
	short_path = path_depth(w->path.buf) <= 2;
	if (!wanted && !short_path)
		return observed ? observe_unkept(w, a, e) : 0;

	memset(&f, 0, sizeof(f));
	f.mode = archive_entry_mode(e) & 07777;

	if (hardlink) {
		struct strbuf target = STRBUF_INIT;
		size_t idx;

		if (entry_path(w, hardlink, &target)) {
			strbuf_release(&target);
			layer_fail(w, "hard link '%s' has an invalid target", w->path.buf);
			return -1;
		}
		idx = (size_t)(uintptr_t)pathmap_get(&rec->by_path, target.buf, target.len);
		if (idx && !rec->files[idx - 1].shadow_only) {
			f = rec->files[idx - 1];
			f.path = arena_strdup(arena, w->path.buf);
			f.shadow_only = !wanted && f.kind != FS_SYMLINK;
			layer_record_add(rec, &f);
		} else if (wanted) {
			/* The target was not of interest, so its bytes went by unkept. */
			warnings_add(&rec->warnings, arena,
					  "hard link '%s' in layer '%s' points to '%s', which was not kept",
					  w->path.buf, rec->name, target.buf);
			f.path = arena_strdup(arena, w->path.buf);
			f.kind = FS_REGULAR;
			f.data = arena_memdup(arena, "", 0);
			f.truncated = 1;
			layer_record_add(rec, &f);
		}
		strbuf_release(&target);
		return 0;
	}

	f.path = arena_strdup(arena, w->path.buf);
	if (type == AE_IFLNK) {
		const char *target = archive_entry_symlink(e);

		if (!target)
			target = "";
		if (strlen(target) > IMAGE_MAX_LINK_TARGET) {
			layer_fail(w, "symlink '%s' has a target longer than %d bytes", w->path.buf,
				   IMAGE_MAX_LINK_TARGET);
			return -1;
		}
		f.kind = FS_SYMLINK;
		f.link_target = arena_strdup(arena, target);
		/* Short links such as lib -> usr/lib are kept so lookups can follow them. */
		layer_record_add(rec, &f);
		return 0;
	}
	if (type == AE_IFREG && wanted) {
		f.kind = FS_REGULAR;
		if (read_kept_data(w, a, e, &f))
			return -1;
		layer_record_add(rec, &f);
		return 0;
	}
	if (observed && observe_unkept(w, a, e))
		return -1;
	/* Folders, devices and unwanted short paths: nothing to read, but they hide what lies below. */
	f.kind = FS_OTHER;
	f.is_dir = type == AE_IFDIR;
	f.shadow_only = !wanted;
	layer_record_add(rec, &f);
	return 0;
}

static int walk_layer(struct ingest *ing, struct pipeline *pl, struct layer_record *rec, int compressed,
		      struct strbuf *err)
{
	struct walker w;
	struct archive *a;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.ing = ing;
	w.pl = pl;
	w.rec = rec;
	w.compressed = compressed;
	sha256_fast_init(&w.diff_sha);
	sha256_fast_init(&w.blob_sha);
	strbuf_init(&w.fatal_msg, 0);
	strbuf_init(&w.path, 0);

	a = archive_read_new();
	if (!a)
		abort();
	/* Only tar: we decompress ourselves, to hash the uncompressed bytes on the way. */
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open(a, &w, NULL, layer_read, NULL) != ARCHIVE_OK) {
		if (!w.fatal)
			archive_fail(&w, a);
	} else {
		for (;;) {
			struct archive_entry *e;
			int r = archive_read_next_header(a, &e);

			if (r == ARCHIVE_EOF)
				break;
			if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
				if (!w.fatal)
					archive_fail(&w, a);
				break;
			}
			if (archive_entry_size_is_set(e) && !archive_entry_sparse_count(e))
				w.data_end = archive_filter_bytes(a, 0) + archive_entry_size(e);
			else
				w.data_end = -1;
			if (record_entry(&w, a, e))
				break;
		}
		if (w.at_end && w.data_end > (int64_t)w.uncompressed)
			layer_fail(&w, "unexpected end of tar stream");
	}
	archive_read_free(a);
	if (w.holding) {
		pipeline_release(pl);
		w.holding = 0;
	}
	/* Both digests cover every byte: read what the tar reader left, up to the layer's end. */
	while (!w.at_end && !w.fatal) {
		struct chunk *c = pipeline_get(pl);

		if (c->kind == CHUNK_DATA) {
			sha256_fast_update(&w.blob_sha, c->raw, c->raw_len);
			sha256_fast_update(&w.diff_sha, c->buf, c->len);
			w.uncompressed += c->len;
		} else if (c->kind == CHUNK_LAYER_END) {
			take_end(&w, c);
		} else if (c->kind == CHUNK_ERROR) {
			w.fatal = 1;
			w.fatal_code = c->err_code;
			strbuf_add(&w.fatal_msg, c->err.buf, c->err.len);
		} else {
			abort();
		}
		pipeline_release(pl);
	}
	if (w.fatal)
		rc = error_code(err, w.fatal_code, "%s", w.fatal_msg.buf);
	pathmap_release(&rec->by_path);
	strbuf_release(&w.fatal_msg);
	strbuf_release(&w.path);
	free(w.observe_buf);
	return rc;
}

int ingest_run(struct ingest *ing, struct pipeline *pl, struct strbuf *err)
{
	for (;;) {
		struct chunk *c = pipeline_get(pl);
		struct layer_record *rec;
		int rc, compressed;

		ing->bytes_read = c->input_bytes;
		switch (c->kind) {
		case CHUNK_EOF:
			pipeline_release(pl);
			return 0;
		case CHUNK_ERROR:
			rc = error_code(err, c->err_code, "%s", c->err.buf);
			pipeline_release(pl);
			return rc;
		case CHUNK_META:
			ALLOC_GROW(ing->meta, ing->nr_meta + 1, ing->alloc_meta);
			ing->meta[ing->nr_meta].name = c->name;
			ing->meta[ing->nr_meta].data = c->meta;
			ing->meta[ing->nr_meta].len = c->meta_len;
			ing->nr_meta++;
			c->name = NULL;
			c->meta = NULL;
			break;
		case CHUNK_ALIAS:
			ALLOC_GROW(ing->aliases, ing->nr_aliases + 1, ing->alloc_aliases);
			ing->aliases[ing->nr_aliases].name = c->name;
			ing->aliases[ing->nr_aliases].alias_of = c->alias_of;
			ing->nr_aliases++;
			c->name = c->alias_of = NULL;
			break;
		case CHUNK_SKIPPED:
			if (ing->nr_skipped < IMAGE_MAX_SKIPPED) {
				ALLOC_GROW(ing->skipped, ing->nr_skipped + 1, ing->alloc_skipped);
				ing->skipped[ing->nr_skipped].name = c->name;
				ing->skipped[ing->nr_skipped].json_too_big = c->json_too_big;
				ing->nr_skipped++;
				c->name = NULL;
			}
			break;
		case CHUNK_LAYER_BEGIN:
			rec = layer_record_new(ing, c->name);
			compressed = c->compressed;
			pipeline_release(pl);
			rc = walk_layer(ing, pl, rec, compressed, err);
			if (rc)
				return rc;
			ing->layers_done++;
			if (ing->opt->progress)
				ing->opt->progress(ing->opt->progress_data, ing->layers_done,
						   ing->layers_total, ing->bytes_read);
			continue;
		default:
			abort();
		}
		pipeline_release(pl);
	}
}
