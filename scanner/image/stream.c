/* The outer tarball read front to back, once, with no seeking: a file, a pipe or standard input. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/path.h"
#include "util/xalloc.h"

struct tar_source {
	struct source base;
	int fd;
	const char *target;
	struct archive *ar;
	enum compression outer;
	struct decompressor dc;
	unsigned char *inbuf, *outbuf;
	const unsigned char *in_p;
	size_t in_len;
	int in_eof;   /* read() said end of file */
	int gave_eof; /* the tar reader was told the input ended */
	int failed;   /* a read or decompression error, in failure */
	int failure_code;
	struct strbuf failure;
	uint64_t decompressed, cap;
	char *entry; /* the member being read, for messages */
	int64_t next_offset;
	struct strbuf name;
};

void archive_message(struct strbuf *out, const char *msg)
{
	size_t start = out->len;

	strbuf_addstr(out, msg && *msg ? msg : "damaged archive");
	if (out->buf[start] >= 'A' && out->buf[start] <= 'Z' &&
	    !(out->buf[start + 1] >= 'A' && out->buf[start + 1] <= 'Z'))
		out->buf[start] = (char)(out->buf[start] - 'A' + 'a');
}

static int fill(struct tar_source *ts)
{
	ssize_t n;

	do
		n = read(ts->fd, ts->inbuf, IMAGE_READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		ts->failed = 1;
		ts->failure_code = ERR_IO;
		strbuf_reset(&ts->failure);
		strbuf_addf(&ts->failure, "cannot read '%s': %s", ts->target, strerror(errno));
		return -1;
	}
	if (n == 0)
		ts->in_eof = 1;
	ts->in_p = ts->inbuf;
	ts->in_len = (size_t)n;
	ts->base.bytes_read += (uint64_t)n;
	return 0;
}

static la_ssize_t outer_read(struct archive *a, void *data, const void **buf)
{
	struct tar_source *ts = data;
	size_t produced = 0;

	if (ts->failed)
		return -1;
	if (ts->outer == COMP_NONE) {
		size_t n;

		if (!ts->in_len && !ts->in_eof && fill(ts) < 0)
			goto fail;
		if (!ts->in_len) {
			ts->gave_eof = 1;
			return 0;
		}
		*buf = ts->in_p;
		n = ts->in_len;
		ts->in_len = 0;
		return (la_ssize_t)n;
	}
	for (;;) {
		struct strbuf msg = STRBUF_INIT;
		int rc;

		if (!ts->in_len && !ts->in_eof && fill(ts) < 0)
			goto fail;
		rc = decompressor_run(&ts->dc, &ts->in_p, &ts->in_len, ts->outbuf, IMAGE_READ_SIZE, &produced,
				      &msg);
		if (!rc && !produced && ts->in_eof && !ts->in_len) {
			rc = decompressor_finish(&ts->dc, &msg);
			if (!rc) {
				strbuf_release(&msg);
				ts->gave_eof = 1;
				return 0;
			}
		}
		if (rc) {
			ts->failed = 1;
			ts->failure_code = rc;
			strbuf_reset(&ts->failure);
			strbuf_addf(&ts->failure, "cannot read '%s': %s", ts->target, msg.buf);
			strbuf_release(&msg);
			goto fail;
		}
		strbuf_release(&msg);
		if (produced)
			break;
	}
	ts->decompressed += produced;
	if (ts->decompressed > ts->cap) {
		ts->failed = 1;
		ts->failure_code = ERR_LIMIT;
		strbuf_reset(&ts->failure);
		strbuf_addf(&ts->failure,
			    "'%s' exceeds the decompressed size limit of %llu bytes for an image "
			    "(raise it with --max-image-size)",
			    ts->target, (unsigned long long)ts->cap);
		goto fail;
	}
	*buf = ts->outbuf;
	return (la_ssize_t)produced;
fail:
	archive_set_error(a, EIO, "%s", ts->failure.buf);
	return -1;
}

/* Explain why the tar reader stopped, preferring what our own reading saw. */
static int stream_error(struct tar_source *ts, const char *member, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	int code = ERR_BAD_INPUT;

	if (ts->failed) {
		code = ts->failure_code;
		strbuf_add(&msg, ts->failure.buf, ts->failure.len);
	} else {
		if (member)
			strbuf_addf(&msg, "cannot read '%s' in '%s': ", member, ts->target);
		else
			strbuf_addf(&msg, "cannot read '%s': ", ts->target);
		if (ts->gave_eof)
			strbuf_addstr(&msg, "unexpected end of tar stream");
		else
			archive_message(&msg, archive_error_string(ts->ar));
	}
	error_code(err, code, "%s", msg.buf);
	strbuf_release(&msg);
	return code;
}

/* "./", "/" and the like name the root itself, which carries nothing of interest. */
static int names_root(const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if (*p != '/' && *p != '.')
			return 0;
	for (p = name; *p; p++)
		if (p[0] == '.' && p[1] == '.')
			return 0;
	return 1;
}

static int tar_next(struct source *s, struct source_item *item, struct strbuf *err)
{
	struct tar_source *ts = (struct tar_source *)s;

	free(ts->entry);
	ts->entry = NULL;
	for (;;) {
		struct archive_entry *e;
		const char *name, *link;
		int r = archive_read_next_header(ts->ar, &e);
		int rc;

		if (r == ARCHIVE_EOF) {
			if (ts->failed)
				return stream_error(ts, NULL, err);
			return 0;
		}
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return stream_error(ts, NULL, err);
		name = archive_entry_pathname(e);
		if (!name)
			return error_code(err, ERR_BAD_INPUT,
					  "cannot read '%s': a member has no readable name", ts->target);
		if (names_root(name))
			continue;
		rc = path_normalize(name, 1, &ts->name, err);
		if (rc) {
			error_prefix(err, "cannot read '%s': ", ts->target);
			return rc;
		}
		memset(item, 0, sizeof(*item));
		item->size = -1;
		link = archive_entry_hardlink(e);
		if (link) {
			struct strbuf target = STRBUF_INIT;

			rc = path_normalize(link, 1, &target, err);
			if (rc) {
				strbuf_release(&target);
				error_prefix(err, "cannot read '%s': ", ts->target);
				return rc;
			}
			item->kind = ITEM_ALIAS;
			item->name = xstrdup(ts->name.buf);
			item->alias_of = strbuf_detach(&target, NULL);
			return 1;
		}
		if (archive_entry_filetype(e) == AE_IFLNK) {
			struct strbuf target = STRBUF_INIT;

			link = archive_entry_symlink(e);
			/* A link in the archive resolves inside it, the way a chroot would. */
			path_resolve_link(ts->name.buf, link ? link : "", &target);
			if (!target.len) {
				strbuf_release(&target);
				continue;
			}
			item->kind = ITEM_ALIAS;
			item->name = xstrdup(ts->name.buf);
			item->alias_of = strbuf_detach(&target, NULL);
			return 1;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		item->kind = ITEM_FILE;
		item->name = xstrdup(ts->name.buf);
		if (archive_entry_size_is_set(e))
			item->size = archive_entry_size(e);
		ts->entry = xstrdup(ts->name.buf);
		ts->next_offset = 0;
		return 1;
	}
}

static int tar_read(struct source *s, const unsigned char **p, size_t *len, struct strbuf *err)
{
	struct tar_source *ts = (struct tar_source *)s;
	const void *buf;
	size_t size;
	la_int64_t offset;
	int r;

	r = archive_read_data_block(ts->ar, &buf, &size, &offset);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return stream_error(ts, ts->entry, err);
	if (offset != ts->next_offset)
		return error_code(err, ERR_BAD_INPUT,
				  "cannot read '%s' in '%s': sparse members are not supported", ts->entry,
				  ts->target);
	ts->next_offset += (int64_t)size;
	*p = buf;
	*len = size;
	return 1;
}

static void tar_release(struct source *s)
{
	struct tar_source *ts = (struct tar_source *)s;

	if (ts->ar)
		archive_read_free(ts->ar);
	decompressor_release(&ts->dc);
	if (ts->fd > 2)
		close(ts->fd);
	free(ts->inbuf);
	free(ts->outbuf);
	free(ts->entry);
	strbuf_release(&ts->failure);
	strbuf_release(&ts->name);
	free(ts);
}

int tar_source_open(struct source **out, int fd, const char *target, const struct image_options *opt,
		    struct strbuf *err)
{
	struct tar_source *ts = xcalloc(1, sizeof(*ts));
	size_t have = 0;
	int rc;

	ts->base.next = tar_next;
	ts->base.read = tar_read;
	ts->base.release = tar_release;
	ts->fd = fd;
	ts->target = target;
	ts->cap = opt->max_image_bytes;
	strbuf_init(&ts->failure, 0);
	strbuf_init(&ts->name, 0);
	ts->inbuf = xmalloc(IMAGE_READ_SIZE);

	/* Gather enough of the start to recognise a compressed stream, even from a slow pipe. */
	while (have < 512 && !ts->in_eof) {
		ssize_t n;

		do
			n = read(fd, ts->inbuf + have, IMAGE_READ_SIZE - have);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			rc = error_code(err, ERR_IO, "cannot read '%s': %s", target, strerror(errno));
			goto fail;
		}
		if (n == 0)
			ts->in_eof = 1;
		have += (size_t)n;
	}
	ts->base.bytes_read = have;
	ts->in_p = ts->inbuf;
	ts->in_len = have;
	if (!have) {
		rc = error_code(err, ERR_BAD_INPUT, "'%s' is not a container image (the file is empty)",
				target);
		goto fail;
	}
	ts->outer = compression_sniff(ts->inbuf, have);
	if (ts->outer != COMP_NONE) {
		decompressor_init(&ts->dc, ts->outer);
		ts->outbuf = xmalloc(IMAGE_READ_SIZE);
	}

	ts->ar = archive_read_new();
	if (!ts->ar)
		abort();
	archive_read_support_format_tar(ts->ar);
	if (archive_read_open(ts->ar, ts, NULL, outer_read, NULL) != ARCHIVE_OK) {
		if (ts->failed)
			rc = stream_error(ts, NULL, err);
		else
			rc = error_code(err, ERR_BAD_INPUT,
					"'%s' is not a container image (no manifest.json or index.json)",
					target);
		goto fail;
	}
	*out = &ts->base;
	return 0;
fail:
	tar_release(&ts->base);
	return rc;
}
