/* The on-disk layout of the vulnerability database; docs/vulndb-format.md explains it. */
#ifndef CUSTOMS_VULNDB_FORMAT_H
#define CUSTOMS_VULNDB_FORMAT_H

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
#define VDB_FORMAT_VERSION 1
#define VDB_HEADER_SIZE 96
#define VDB_TRAILER_SIZE 32 /* SHA-256 of every byte before it */

/* Header field offsets. A table is (count, offset); the strings are (size, offset). */
enum {
	VDB_H_VERSION = 12,
	VDB_H_BUILD_TIME = 16, /* 64-bit seconds since the epoch */
	VDB_H_FILE_SIZE = 24,
	VDB_H_SOURCES = 28,
	VDB_H_STRINGS = 36,
	VDB_H_PACKAGES = 44,
	VDB_H_ADVISORIES = 52,
	VDB_H_AFFECTED = 60,
	VDB_H_RANGES = 68,
	VDB_H_EVENTS = 76,
	VDB_H_STRLISTS = 84,
	/* 92..95 reserved, zero */
};

/* Record sizes; the fields are consecutive uint32 values in the order listed. */
#define VDB_SOURCE_SIZE 12  /* name, date, record count */
#define VDB_PACKAGE_SIZE 16 /* ecosystem, name, first affected, affected count */
/* id, summary, severity word, published, modified, first alias, alias count, first cvss, cvss count */
#define VDB_ADVISORY_SIZE 36
#define VDB_AFFECTED_SIZE 20 /* advisory, first range, range count, first version, version count */
#define VDB_RANGE_SIZE 12    /* type, first event, event count */
#define VDB_EVENT_SIZE 8     /* kind, version */
#define VDB_STRLIST_SIZE 4   /* one string offset */

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

#endif
