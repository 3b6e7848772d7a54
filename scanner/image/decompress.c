/* Streaming gzip (all members) and zstd (all frames) decompression into caller buffers. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/error.h"

enum compression compression_sniff(const unsigned char *p, size_t len)
{
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return COMP_GZIP;
	if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return COMP_ZSTD;
	return COMP_NONE;
}

const char *compression_name(enum compression c)
{
	switch (c) {
	case COMP_GZIP:
		return "gzip";
	case COMP_ZSTD:
		return "zstd";
	default:
		return "tar";
	}
}

void decompressor_init(struct decompressor *d, enum compression kind)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	if (kind == COMP_GZIP) {
		/* 16 + 15: a gzip wrapper around a 32 KiB window. */
		if (inflateInit2(&d->z, 16 + 15) != Z_OK)
			abort();
		d->zlib_ready = 1;
	} else if (kind == COMP_ZSTD) {
		d->zstd = ZSTD_createDStream();
		if (!d->zstd)
			abort();
		ZSTD_initDStream(d->zstd);
		d->zstd_pending = 1;
	}
}

static int run_gzip(struct decompressor *d, const unsigned char **in, size_t *in_len, unsigned char *out,
		    size_t cap, size_t *out_len, struct strbuf *err)
{
	while (*out_len < cap) {
		size_t avail_in, avail_out;
		int ret;

		if (d->gzip_member_done) {
			/* Some writers pad a gzip file with zeros; anything else must be another member. */
			while (*in_len && **in == 0) {
				(*in)++;
				(*in_len)--;
			}
			if (!*in_len)
				return 0;
			if (inflateReset(&d->z) != Z_OK)
				abort();
			d->gzip_member_done = 0;
		}
		avail_in = *in_len > UINT_MAX ? UINT_MAX : *in_len;
		avail_out = cap - *out_len > UINT_MAX ? UINT_MAX : cap - *out_len;
		d->z.next_in = (unsigned char *)*in;
		d->z.avail_in = (uInt)avail_in;
		d->z.next_out = out + *out_len;
		d->z.avail_out = (uInt)avail_out;
		ret = inflate(&d->z, Z_NO_FLUSH);
		*in += avail_in - d->z.avail_in;
		*in_len -= avail_in - d->z.avail_in;
		*out_len += avail_out - d->z.avail_out;
		if (ret == Z_STREAM_END) {
			d->gzip_member_done = 1;
			continue;
		}
		if (ret == Z_BUF_ERROR)
			return 0; /* no progress possible: needs input or room */
		if (ret != Z_OK)
			return error_code(err, ERR_BAD_INPUT, "invalid gzip data (%s)",
					  d->z.msg ? d->z.msg : "corrupt stream");
		if (!d->z.avail_in && d->z.avail_out)
			return 0;
	}
	return 0;
}

static int run_zstd(struct decompressor *d, const unsigned char **in, size_t *in_len, unsigned char *out,
		    size_t cap, size_t *out_len, struct strbuf *err)
{
	ZSTD_inBuffer ib = {*in, *in_len, 0};
	ZSTD_outBuffer ob = {out, cap, *out_len};

	/* After a complete frame there is nothing to flush, and a call would start a new frame. */
	if (!*in_len && !d->zstd_pending)
		return 0;
	do {
		size_t ret = ZSTD_decompressStream(d->zstd, &ob, &ib);

		if (ZSTD_isError(ret)) {
			*in += ib.pos;
			*in_len -= ib.pos;
			*out_len = ob.pos;
			return error_code(err, ERR_BAD_INPUT, "invalid zstd data (%s)",
					  ZSTD_getErrorName(ret));
		}
		d->zstd_pending = ret;
		/* With no input left, one call flushes what the decoder still holds. */
		if (ib.size == 0)
			break;
	} while (ob.pos < ob.size && ib.pos < ib.size);
	*in += ib.pos;
	*in_len -= ib.pos;
	*out_len = ob.pos;
	return 0;
}

int decompressor_run(struct decompressor *d, const unsigned char **in, size_t *in_len, unsigned char *out,
		     size_t cap, size_t *out_len, struct strbuf *err)
{
	size_t n;

	switch (d->kind) {
	case COMP_GZIP:
		return run_gzip(d, in, in_len, out, cap, out_len, err);
	case COMP_ZSTD:
		return run_zstd(d, in, in_len, out, cap, out_len, err);
	default:
		n = cap - *out_len;
		if (n > *in_len)
			n = *in_len;
		memcpy(out + *out_len, *in, n);
		*in += n;
		*in_len -= n;
		*out_len += n;
		return 0;
	}
}

int decompressor_finish(struct decompressor *d, struct strbuf *err)
{
	if (d->kind == COMP_GZIP && !d->gzip_member_done)
		return error_code(err, ERR_BAD_INPUT, "unexpected end of gzip stream");
	if (d->kind == COMP_ZSTD && d->zstd_pending)
		return error_code(err, ERR_BAD_INPUT, "unexpected end of zstd stream");
	return 0;
}

void decompressor_release(struct decompressor *d)
{
	if (d->zlib_ready)
		inflateEnd(&d->z);
	if (d->zstd)
		ZSTD_freeDStream(d->zstd);
	memset(d, 0, sizeof(*d));
}
