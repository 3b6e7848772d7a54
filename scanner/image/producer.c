/* The reading side: sort members into metadata and layers, and decompress each layer. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/xalloc.h"

#define SNIFF_SIZE 512

enum producer_state {
	P_IDLE,
	P_LAYER,
	P_DONE,
};

struct producer {
	struct source *src;
	const struct image_options *opt;
	const char *target;
	enum producer_state state;

	char *name; /* the member being read */
	unsigned char sniff[SNIFF_SIZE];
	size_t sniff_len, sniff_used;
	const unsigned char *rest; /* the unsniffed tail of the last block read while sniffing */
	size_t rest_len;
	int member_eof;

	const unsigned char *in_p;
	size_t in_len;
	struct decompressor dc;
	uint64_t stored, out_bytes, image_bytes, meta_bytes;
	int layer_done, layer_failed, layer_err_code;
	struct strbuf layer_err;
};

struct producer *producer_new(struct source *src, const struct image_options *opt, const char *target)
{
	struct producer *p = xcalloc(1, sizeof(*p));

	p->src = src;
	p->opt = opt;
	p->target = target;
	strbuf_init(&p->layer_err, 0);
	return p;
}

void producer_free(struct producer *p)
{
	if (!p)
		return;
	decompressor_release(&p->dc);
	if (p->src)
		p->src->release(p->src);
	free(p->name);
	strbuf_release(&p->layer_err);
	free(p);
}

static void fatal(struct producer *p, struct chunk *c, int code, const char *msg)
{
	c->kind = CHUNK_ERROR;
	c->err_code = code;
	strbuf_reset(&c->err);
	strbuf_addstr(&c->err, msg);
	p->state = P_DONE;
}

/* The next raw bytes of the member: the sniffed head, the rest of its block, then the source. */
static int next_raw(struct producer *p, const unsigned char **ptr, size_t *len, struct strbuf *err)
{
	if (p->sniff_used < p->sniff_len) {
		*ptr = p->sniff + p->sniff_used;
		*len = p->sniff_len - p->sniff_used;
		p->sniff_used = p->sniff_len;
		return 1;
	}
	if (p->rest_len) {
		*ptr = p->rest;
		*len = p->rest_len;
		p->rest_len = 0;
		return 1;
	}
	if (p->member_eof)
		return 0;
	for (;;) {
		int rc = p->src->read(p->src, ptr, len, err);
		if (rc <= 0) {
			if (!rc)
				p->member_eof = 1;
			return rc;
		}
		if (*len)
			return 1;
	}
}

/* Every raw byte of the member has been handed out. */
static int raw_exhausted(const struct producer *p)
{
	return p->member_eof && p->sniff_used == p->sniff_len && !p->rest_len;
}

static int drain(struct producer *p, struct strbuf *err)
{
	const unsigned char *ptr;
	size_t len;
	int rc;

	while ((rc = next_raw(p, &ptr, &len, err)) > 0)
		;
	return rc;
}

static int sniff(struct producer *p, struct strbuf *err)
{
	p->sniff_len = p->sniff_used = p->rest_len = 0;
	p->member_eof = 0;
	while (p->sniff_len < SNIFF_SIZE && !p->member_eof) {
		const unsigned char *ptr;
		size_t len, take;
		int rc = p->src->read(p->src, &ptr, &len, err);

		if (rc < 0)
			return rc;
		if (!rc) {
			p->member_eof = 1;
			break;
		}
		take = SNIFF_SIZE - p->sniff_len;
		if (take > len)
			take = len;
		memcpy(p->sniff + p->sniff_len, ptr, take);
		p->sniff_len += take;
		if (take < len) {
			p->rest = ptr + take;
			p->rest_len = len - take;
		}
	}
	return 0;
}

static int looks_like_json(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
			continue;
		return p[i] == '{' || p[i] == '[';
	}
	return 0;
}

/* A tar header: the ustar magic, a valid checksum (old tars), or the all-zero end of an empty archive. */
static int looks_like_tar(const unsigned char *h, size_t len)
{
	unsigned long sum = 0, want = 0;
	size_t i;
	int zero = 1, digits = 0;

	if (len < SNIFF_SIZE)
		return 0;
	if (!memcmp(h + 257, "ustar", 5))
		return 1;
	for (i = 0; i < SNIFF_SIZE; i++) {
		if (h[i])
			zero = 0;
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	}
	if (zero)
		return 1;
	for (i = 148; i < 156 && h[i] == ' '; i++)
		;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++, digits++)
		want = want * 8 + (unsigned long)(h[i] - '0');
	return digits && want == sum;
}

/* Metadata sits at the top of an archive or among its blobs; a package.json deep inside is not. */
static int metadata_name(const char *name)
{
	return !strchr(name, '/') || !strncmp(name, "blobs/", 6);
}

static void start_layer(struct producer *p, enum compression comp)
{
	decompressor_init(&p->dc, comp);
	p->stored = p->out_bytes = 0;
	p->layer_done = p->layer_failed = 0;
	p->in_len = 0;
	strbuf_reset(&p->layer_err);
	p->state = P_LAYER;
}

static void fail_layer(struct producer *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_layer(struct producer *p, int code, const char *fmt, ...)
{
	va_list ap;

	p->layer_failed = 1;
	p->layer_err_code = code;
	strbuf_reset(&p->layer_err);
	va_start(ap, fmt);
	strbuf_vaddf(&p->layer_err, fmt, ap);
	va_end(ap);
}

static int read_metadata(struct producer *p, struct chunk *c, int64_t size, struct strbuf *err)
{
	size_t alloc = (size_t)size + 1, len = 0;
	unsigned char *data = xmalloc(alloc);
	const unsigned char *ptr;
	size_t n;
	int rc;

	while ((rc = next_raw(p, &ptr, &n, err)) > 0) {
		if (n > (size_t)size - len) {
			free(data);
			return error_code(err, ERR_BAD_INPUT,
					  "cannot read '%s' in '%s': member longer than its header says",
					  p->name, p->target);
		}
		memcpy(data + len, ptr, n);
		len += n;
	}
	if (rc < 0) {
		free(data);
		return rc;
	}
	data[len] = '\0';
	c->kind = CHUNK_META;
	c->name = p->name;
	p->name = NULL;
	c->meta = data;
	c->meta_len = len;
	return 0;
}

/* Start on the next member and describe it in c: metadata, a layer beginning, a link, or skipped. */
static int next_member(struct producer *p, struct chunk *c, struct strbuf *err)
{
	struct source_item item;
	enum compression comp;
	int rc;

	rc = p->src->next(p->src, &item, err);
	if (rc <= 0) {
		if (!rc) {
			c->kind = CHUNK_EOF;
			p->state = P_DONE;
		}
		return rc;
	}
	if (item.kind == ITEM_ALIAS) {
		c->kind = CHUNK_ALIAS;
		c->name = item.name;
		c->alias_of = item.alias_of;
		return 1;
	}
	free(p->name);
	p->name = item.name;
	rc = sniff(p, err);
	if (rc)
		return rc;

	if (!item.layer_only && metadata_name(p->name) && looks_like_json(p->sniff, p->sniff_len)) {
		uint64_t cap = p->opt->max_metadata_bytes;

		/*
		 * Many small JSON files are not an image: past a total budget,
		 * JSON members are skipped, and fail the image only if it needs them.
		 */
		if (item.size >= 0 && (uint64_t)item.size <= cap &&
		    p->meta_bytes + (uint64_t)item.size <= 4 * cap) {
			p->meta_bytes += (uint64_t)item.size;
			rc = read_metadata(p, c, item.size, err);
			return rc ? rc : 1;
		}
		rc = drain(p, err);
		if (rc)
			return rc;
		c->kind = CHUNK_SKIPPED;
		c->name = p->name;
		c->json_too_big = 1;
		p->name = NULL;
		return 1;
	}

	comp = compression_sniff(p->sniff, p->sniff_len);
	if (comp != COMP_NONE || looks_like_tar(p->sniff, p->sniff_len)) {
		start_layer(p, comp);
		c->kind = CHUNK_LAYER_BEGIN;
		c->name = xstrdup(p->name);
		c->compressed = comp != COMP_NONE;
		return 1;
	}
	if (item.layer_only) {
		start_layer(p, COMP_NONE);
		fail_layer(p, ERR_BAD_INPUT, "cannot read layer '%s' in '%s': not a tar, gzip or zstd stream",
			   p->name, p->target);
		c->kind = CHUNK_LAYER_BEGIN;
		c->name = xstrdup(p->name);
		return 1;
	}
	rc = drain(p, err);
	if (rc)
		return rc;
	c->kind = CHUNK_SKIPPED;
	c->name = p->name;
	p->name = NULL;
	return 1;
}

static int layer_input(struct producer *p, struct strbuf *err)
{
	int rc = next_raw(p, &p->in_p, &p->in_len, err);

	if (rc > 0)
		p->stored += p->in_len;
	return rc;
}

static void end_layer(struct producer *p, struct chunk *c)
{
	c->kind = CHUNK_LAYER_END;
	if (p->layer_failed) {
		c->err_code = p->layer_err_code;
		strbuf_reset(&c->err);
		strbuf_add(&c->err, p->layer_err.buf, p->layer_err.len);
	} else {
		c->err_code = 0;
	}
	c->stored_size = p->stored;
	c->uncompressed_size = p->out_bytes;
	decompressor_release(&p->dc);
	p->state = P_IDLE;
}

static void layer_step(struct producer *p, struct chunk *c, struct strbuf *err)
{
	int keep_raw = p->dc.kind != COMP_NONE;
	size_t produced = 0;
	int rc;

	c->raw_len = 0;
	while (!p->layer_failed && !p->layer_done && produced < IMAGE_CHUNK_SIZE &&
	       c->raw_len < IMAGE_CHUNK_SIZE) {
		struct strbuf msg = STRBUF_INIT;
		const unsigned char *in;
		size_t before, offered, left;

		if (!p->in_len && !raw_exhausted(p)) {
			rc = layer_input(p, err);
			if (rc < 0) {
				fatal(p, c, rc, err->buf);
				return;
			}
		}
		/* Offer no more input than raw can hold, so every stored byte reaches the blob digest. */
		in = p->in_p;
		offered = p->in_len;
		if (keep_raw && offered > IMAGE_CHUNK_SIZE - c->raw_len)
			offered = IMAGE_CHUNK_SIZE - c->raw_len;
		left = offered;
		before = produced;
		rc = decompressor_run(&p->dc, &in, &left, c->buf, IMAGE_CHUNK_SIZE, &produced, &msg);
		if (keep_raw) {
			memcpy(c->raw + c->raw_len, p->in_p, offered - left);
			c->raw_len += offered - left;
		}
		p->in_p += offered - left;
		p->in_len -= offered - left;
		if (!rc && raw_exhausted(p) && !p->in_len && produced == before) {
			rc = decompressor_finish(&p->dc, &msg);
			p->layer_done = 1;
		}
		if (rc)
			fail_layer(p, rc, "cannot read layer '%s' in '%s': %s", p->name, p->target, msg.buf);
		strbuf_release(&msg);
	}
	if (produced && !p->layer_failed) {
		p->out_bytes += produced;
		p->image_bytes += produced;
		if (p->out_bytes > p->opt->max_layer_bytes) {
			fail_layer(p, ERR_LIMIT,
				   "layer '%s' in '%s' exceeds the decompressed size limit of %llu bytes "
				   "(raise it with --max-layer-size)",
				   p->name, p->target, (unsigned long long)p->opt->max_layer_bytes);
		} else if (p->image_bytes > p->opt->max_image_bytes) {
			struct strbuf msg = STRBUF_INIT;

			strbuf_addf(&msg,
				    "'%s' exceeds the decompressed size limit of %llu bytes for an image "
				    "(raise it with --max-image-size)",
				    p->target, (unsigned long long)p->opt->max_image_bytes);
			fatal(p, c, ERR_LIMIT, msg.buf);
			strbuf_release(&msg);
			return;
		}
	}
	if (p->layer_failed) {
		/* Nothing more of this layer is worth decompressing, but the next member lies beyond it. */
		p->in_len = 0;
		rc = drain(p, err);
		if (rc < 0) {
			fatal(p, c, rc, err->buf);
			return;
		}
		end_layer(p, c);
		return;
	}
	if (produced || c->raw_len) {
		c->kind = CHUNK_DATA;
		c->len = produced;
		return;
	}
	end_layer(p, c);
}

void producer_step(struct producer *p, struct chunk *c)
{
	struct strbuf err = STRBUF_INIT;

	if (p->state == P_DONE)
		abort(); /* the consumer asked beyond the end */
	c->kind = CHUNK_EOF;
	c->len = c->raw_len = 0;
	c->compressed = 0;
	c->err_code = 0;
	if (p->state == P_LAYER) {
		layer_step(p, c, &err);
	} else {
		int rc = next_member(p, c, &err);
		if (rc < 0)
			fatal(p, c, rc, err.buf);
	}
	c->input_bytes = p->src->bytes_read;
	strbuf_release(&err);
}
