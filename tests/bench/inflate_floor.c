/* Benchmark floor: read an image tarball once and inflate every gzip layer with zlib into nowhere. */

/*
 * `make bench` compares `customs sbom` against this program on the same file: the time it takes
 * is the least any scanner can need to look inside those layers, since every byte of every layer
 * must be inflated once. It parses the outer tar itself (so no tar library cost hides in the
 * floor), inflates each member that starts with the gzip magic, and only reads the other members
 * (manifests, configs, uncompressed layers).
 *
 * Usage: inflate-floor FILE|-    prints one summary line on stdout; exit 1 on bad input.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* 256 KiB: large enough that read() calls and loop overhead vanish next to inflate(). */
#define CHUNK (256 * 1024)
#define BLOCK 512

struct floor_stats {
	uint64_t bytes_read;
	uint64_t bytes_inflated;
	unsigned gzip_layers;
	unsigned plain_layers;
	unsigned other_members;
};

static int fail(const char *what, const char *name)
{
	fprintf(stderr, "inflate-floor: %s%s%s%s\n", what, name ? " '" : "", name ? name : "",
		name ? "'" : "");
	return -1;
}

/* Read exactly len bytes; returns len, or less only at end of input, or -1 on a read error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len, struct floor_stats *stats)
{
	size_t done = 0;

	while (done < len) {
		ssize_t got = read(fd, buf + done, len - done);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got == 0)
			break;
		done += (size_t)got;
	}
	stats->bytes_read += done;
	return (ssize_t)done;
}

/* Tar numbers are octal text, or base-256 when the top bit of the first byte is set. */
static int parse_tar_size(const unsigned char *field, size_t len, uint64_t *out)
{
	uint64_t value = 0;
	size_t i;

	if (field[0] & 0x80) {
		if (field[0] != 0x80)
			return -1;
		for (i = 1; i < len; i++) {
			if (value >> 56)
				return -1;
			value = (value << 8) | field[i];
		}
		*out = value;
		return 0;
	}
	for (i = 0; i < len && field[i] == ' '; i++)
		;
	for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
		if (value >> 60)
			return -1;
		value = (value << 3) | (uint64_t)(field[i] - '0');
	}
	*out = value;
	return 0;
}

/*
 * Consume one member of `size` bytes (plus its padding), inflating it when it is gzip.
 * A layer may be several gzip members back to back, so a stream end followed by more
 * input starts the next member.
 */
static int drain_member(int fd, const char *name, uint64_t size, int regular, unsigned char *in,
			unsigned char *out, struct floor_stats *stats)
{
	uint64_t left = size;
	uint64_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
	z_stream zs;
	int gzip = 0, first = 1, stream_ended = 0, rc = 0;

	memset(&zs, 0, sizeof(zs));
	while (left > 0) {
		size_t want = left < CHUNK ? (size_t)left : CHUNK;

		if (read_full(fd, in, want, stats) != (ssize_t)want) {
			rc = fail("unexpected end of tar in member", name);
			break;
		}
		left -= want;
		if (first && regular) {
			if (want >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
				/* 16 + 15: gzip wrapper with the largest window, as layers use. */
				if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
					rc = fail("cannot initialise zlib", NULL);
					break;
				}
				gzip = 1;
				stats->gzip_layers++;
			} else if (size >= BLOCK && want >= 262 && memcmp(in + 257, "ustar", 5) == 0) {
				stats->plain_layers++;
			} else {
				stats->other_members++;
			}
		}
		first = 0;
		if (!gzip)
			continue;
		zs.next_in = in;
		zs.avail_in = (uInt)want;
		while (zs.avail_in > 0) {
			int zrc;

			if (stream_ended) {
				if (inflateReset(&zs) != Z_OK) {
					rc = fail("cannot reset zlib", NULL);
					goto out;
				}
				stream_ended = 0;
			}
			zs.next_out = out;
			zs.avail_out = CHUNK;
			zrc = inflate(&zs, Z_NO_FLUSH);
			stats->bytes_inflated += CHUNK - zs.avail_out;
			if (zrc == Z_STREAM_END) {
				stream_ended = 1;
			} else if (zrc != Z_OK) {
				rc = fail("corrupt gzip stream in member", name);
				goto out;
			}
		}
	}
	/* The stream may still hold output after its last input byte was consumed. */
	while (gzip && rc == 0 && !stream_ended) {
		int zrc;

		zs.next_out = out;
		zs.avail_out = CHUNK;
		zrc = inflate(&zs, Z_NO_FLUSH);
		stats->bytes_inflated += CHUNK - zs.avail_out;
		if (zrc == Z_STREAM_END)
			stream_ended = 1;
		else if (zrc != Z_OK || zs.avail_out == CHUNK)
			rc = fail("unexpected end of gzip stream in member", name);
	}
	if (rc == 0 && padded > size &&
	    read_full(fd, in, (size_t)(padded - size), stats) != (ssize_t)(padded - size))
		rc = fail("unexpected end of tar after member", name);
out:
	if (gzip)
		inflateEnd(&zs);
	return rc;
}

static int is_zero_block(const unsigned char *block)
{
	for (int i = 0; i < BLOCK; i++)
		if (block[i])
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	struct floor_stats stats = { 0 };
	unsigned char header[BLOCK];
	struct timespec start, end;
	unsigned char *in, *out;
	int fd, regular;

	if (argc != 2) {
		fprintf(stderr, "usage: inflate-floor FILE|-\n");
		return 2;
	}
	fd = strcmp(argv[1], "-") == 0 ? 0 : open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "inflate-floor: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	in = malloc(CHUNK);
	out = malloc(CHUNK);
	if (!in || !out) {
		fail("out of memory", NULL);
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		char name[101];
		uint64_t size;
		ssize_t got = read_full(fd, header, BLOCK, &stats);

		if (got == 0)
			break;
		if (got != BLOCK) {
			fail("truncated tar header in", argv[1]);
			return 1;
		}
		if (is_zero_block(header))
			break;
		memcpy(name, header, 100);
		name[100] = '\0';
		if (parse_tar_size(header + 124, 12, &size) < 0) {
			fail("bad size in tar header of", name);
			return 1;
		}
		/* Regular files carry layers; pax, long-name and other entries are just read past. */
		regular = header[156] == '0' || header[156] == '\0' || header[156] == '7';
		if (drain_member(fd, name, size, regular, in, out, &stats) < 0)
			return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);

	printf("inflate-floor: %u gzip layers, %u plain layers, %u other members, "
	       "%" PRIu64 " bytes read, %" PRIu64 " bytes inflated, %.3f s\n",
	       stats.gzip_layers, stats.plain_layers, stats.other_members, stats.bytes_read,
	       stats.bytes_inflated,
	       (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
	free(in);
	free(out);
	return 0;
}
