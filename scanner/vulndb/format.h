/* The on-disk layout of the vulnerability database; docs/vulndb-format.md explains it. */
#ifndef CUSTOMS_VULNDB_FORMAT_H
#define CUSTOMS_VULNDB_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Every number is little-endian and every reference is an offset or an index,
 * so the file is used in place after one validation pass. Integers are read
 * with vdb_le32() rather than through casts: the file may be unaligned in a
 * fuzzer's buffer and the host may be big-endian.
 */
#define VDB_MAGIC "CUSTOMSDB"
#define VDB_MAGIC_LEN 12 /* "CUSTOMSDB" and three NUL bytes */
#define VDB_FORMAT_VERSION 2
#define VDB_HEADER_SIZE 128
#define VDB_TRAILER_SIZE 32 /* SHA-256 of every byte before it */

/* Header field offsets. A table is (count, offset); the strings and entries are (size, offset). */
enum {
	VDB_H_VERSION = 12,
	VDB_H_BUILD_TIME = 16, /* 64-bit seconds since the epoch */
	VDB_H_FILE_SIZE = 24,
	VDB_H_SOURCES = 28,
	VDB_H_STRINGS = 36,
	VDB_H_ECOSYSTEMS = 44,
	VDB_H_PACKAGES = 52,
	VDB_H_ENTRIES = 60, /* bytes of varints */
	VDB_H_ADVISORIES = 68,
	VDB_H_DETAILS = 76,
	VDB_H_SHAPES = 84,
	VDB_H_RANGES = 92,
	VDB_H_EVENTS = 100,
	VDB_H_STRLISTS = 108,
	/* 116..127 reserved, zero */
};

/* Record sizes; the fields are consecutive uint32 values in the order listed. */
#define VDB_SOURCE_SIZE 12    /* name, date, record count */
#define VDB_ECOSYSTEM_SIZE 12 /* name, first package, package count */
#define VDB_PACKAGE_SIZE 8    /* name, offset of its entries in the entry bytes */
#define VDB_ADVISORY_SIZE 4   /* id; advisory i < details count has details i */
/* summary, severity word, published, modified, first alias, alias count, first cvss, cvss count */
#define VDB_DETAILS_SIZE 32
#define VDB_SHAPE_SIZE 16  /* first range, range count, first version, version count */
#define VDB_RANGE_SIZE 8   /* first event, type << 24 | event count */
#define VDB_EVENT_SIZE 4   /* kind << 29 | version string */
#define VDB_STRLIST_SIZE 4 /* one string offset */

#define VDB_RANGE_COUNT_MASK 0xffffffu
#define VDB_EVENT_STRING_MASK 0x1fffffffu /* so the string table is below 512 MiB */

/* Offsets are 32-bit, so no file can be larger. */
#define VDB_MAX_FILE_SIZE (UINT32_C(0xffffffff))

static inline uint32_t vdb_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t vdb_le64(const unsigned char *p)
{
	return (uint64_t)vdb_le32(p) | (uint64_t)vdb_le32(p + 4) << 32;
}

static inline void vdb_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void vdb_put64(unsigned char *p, uint64_t v)
{
	vdb_put32(p, (uint32_t)v);
	vdb_put32(p + 4, (uint32_t)(v >> 32));
}

/* LEB128: seven bits a byte, low bits first; a 32-bit value takes at most five bytes. */
static inline size_t vdb_put_varint(unsigned char *p, uint32_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Reads one varint at *pos below end; -1 when it runs past end or over 32 bits. */
static inline int vdb_get_varint(const unsigned char *p, size_t end, size_t *pos, uint32_t *out)
{
	uint64_t v = 0;

	for (unsigned int shift = 0; shift < 35; shift += 7) {
		unsigned char c;

		if (*pos >= end)
			return -1;
		c = p[(*pos)++];
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			if (v > UINT32_MAX)
				return -1;
			*out = (uint32_t)v;
			return 0;
		}
	}
	return -1;
}

/* Entries store the advisory as a signed difference from the previous one, zigzag-coded. */
static inline uint32_t vdb_zigzag(int64_t d)
{
	return d >= 0 ? (uint32_t)(d * 2) : (uint32_t)(-d * 2 - 1);
}

static inline int64_t vdb_unzigzag(uint32_t z)
{
	return z & 1 ? -(int64_t)(z >> 1) - 1 : (int64_t)(z >> 1);
}

#endif
