/* Open a database file read-only with mmap, validate it once, then answer lookups in place. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "vulndb/format.h"
#include "vulndb/vulndb.h"

struct table {
	const unsigned char *base;
	uint32_t count;
};

struct vulndb {
	const unsigned char *data;
	size_t size;
	void *map; /* NULL when the bytes belong to the caller */
	const char *strings;
	uint32_t strings_size;
	struct table sources, packages, advisories, affected, ranges, events, strlists;
	char checksum[DIGEST_STR_LEN];
};

static const char *str_at(const struct vulndb *db, uint32_t off)
{
	return db->strings + off; /* validated: off < strings_size and the table ends in NUL */
}

static uint32_t field(const struct table *t, size_t rec_size, uint32_t i, unsigned int f)
{
	return vdb_le32(t->base + (size_t)i * rec_size + 4 * f);
}

/* Checks that a (count, offset) table lies inside the content, without overflow. */
static int map_table(struct vulndb *db, const char *name, struct table *t, unsigned int hoff, size_t rec_size,
		     uint64_t content_end, const char *what, struct strbuf *err)
{
	uint32_t count = vdb_le32(db->data + hoff), off = vdb_le32(db->data + hoff + 4);

	if (off < VDB_HEADER_SIZE || (uint64_t)off + (uint64_t)count * rec_size > content_end)
		return error_code(err, ERR_BAD_INPUT,
				  "damaged database '%s': %s table (%u entries at %u) is out of bounds", name,
				  what, count, off);
	t->base = db->data + off;
	t->count = count;
	return 0;
}

#define BAD(...) error_code(err, ERR_BAD_INPUT, __VA_ARGS__)

static int check_str(const struct vulndb *db, uint32_t off)
{
	return off < db->strings_size;
}

/* A (first, count) slice of a table with `total` entries. */
static int check_slice(uint32_t first, uint32_t count, uint32_t total)
{
	return (uint64_t)first + count <= total;
}

static int validate(struct vulndb *db, const char *name, struct strbuf *err)
{
	const unsigned char *h = db->data;
	uint64_t content_end;
	uint32_t version, off;
	struct sha256_ctx sha;
	unsigned char digest[SHA256_RAW_LEN];

	if (db->size < VDB_HEADER_SIZE + VDB_TRAILER_SIZE || memcmp(h, VDB_MAGIC "\0\0\0", VDB_MAGIC_LEN))
		return BAD("'%s' is not a customs database: bad magic or too short", name);
	version = vdb_le32(h + VDB_H_VERSION);
	if (version != VDB_FORMAT_VERSION)
		return BAD("unsupported database format version %u in '%s' (expected %u)", version, name,
			   VDB_FORMAT_VERSION);
	if (vdb_le32(h + VDB_H_FILE_SIZE) != db->size)
		return BAD("damaged database '%s': %zu bytes, the header says %u (truncated?)", name,
			   db->size, vdb_le32(h + VDB_H_FILE_SIZE));
	content_end = db->size - VDB_TRAILER_SIZE;

	sha256_init(&sha);
	sha256_update(&sha, db->data, content_end);
	sha256_final(&sha, digest);
	if (memcmp(digest, db->data + content_end, SHA256_RAW_LEN))
		return BAD("damaged database '%s': checksum mismatch", name);
	sha256_digest_str(db->data, content_end, db->checksum);

	/* The string table first: every other check looks strings up. */
	db->strings_size = vdb_le32(h + VDB_H_STRINGS);
	off = vdb_le32(h + VDB_H_STRINGS + 4);
	if (off < VDB_HEADER_SIZE || (uint64_t)off + db->strings_size > content_end || !db->strings_size)
		return BAD("damaged database '%s': string table is out of bounds", name);
	db->strings = (const char *)db->data + off;
	if (db->strings[db->strings_size - 1] != '\0' || db->strings[0] != '\0')
		return BAD("damaged database '%s': string table is not NUL-terminated", name);

	if (map_table(db, name, &db->sources, VDB_H_SOURCES, VDB_SOURCE_SIZE, content_end, "source", err) ||
	    map_table(db, name, &db->packages, VDB_H_PACKAGES, VDB_PACKAGE_SIZE, content_end, "package",
		      err) ||
	    map_table(db, name, &db->advisories, VDB_H_ADVISORIES, VDB_ADVISORY_SIZE, content_end, "advisory",
		      err) ||
	    map_table(db, name, &db->affected, VDB_H_AFFECTED, VDB_AFFECTED_SIZE, content_end, "affected",
		      err) ||
	    map_table(db, name, &db->ranges, VDB_H_RANGES, VDB_RANGE_SIZE, content_end, "range", err) ||
	    map_table(db, name, &db->events, VDB_H_EVENTS, VDB_EVENT_SIZE, content_end, "event", err) ||
	    map_table(db, name, &db->strlists, VDB_H_STRLISTS, VDB_STRLIST_SIZE, content_end, "string list",
		      err))
		return ERR_BAD_INPUT;

	for (uint32_t i = 0; i < db->sources.count; i++)
		if (!check_str(db, field(&db->sources, VDB_SOURCE_SIZE, i, 0)) ||
		    !check_str(db, field(&db->sources, VDB_SOURCE_SIZE, i, 1)))
			return BAD("damaged database '%s': source %u has a bad string offset", name, i);
	for (uint32_t i = 0; i < db->strlists.count; i++)
		if (!check_str(db, field(&db->strlists, VDB_STRLIST_SIZE, i, 0)))
			return BAD("damaged database '%s': string list entry %u is out of bounds", name, i);
	for (uint32_t i = 0; i < db->advisories.count; i++) {
		for (unsigned int f = 0; f < 5; f++)
			if (!check_str(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, f)))
				return BAD("damaged database '%s': advisory %u has a bad string offset", name,
					   i);
		if (!check_slice(field(&db->advisories, VDB_ADVISORY_SIZE, i, 5),
				 field(&db->advisories, VDB_ADVISORY_SIZE, i, 6), db->strlists.count) ||
		    !check_slice(field(&db->advisories, VDB_ADVISORY_SIZE, i, 7),
				 field(&db->advisories, VDB_ADVISORY_SIZE, i, 8), db->strlists.count))
			return BAD("damaged database '%s': advisory %u has a bad alias or cvss list", name,
				   i);
	}
	for (uint32_t i = 0; i < db->events.count; i++) {
		uint32_t kind = field(&db->events, VDB_EVENT_SIZE, i, 0);

		if (kind < VULNDB_EVENT_INTRODUCED || kind > VULNDB_EVENT_LIMIT ||
		    !check_str(db, field(&db->events, VDB_EVENT_SIZE, i, 1)))
			return BAD("damaged database '%s': event %u is invalid", name, i);
	}
	for (uint32_t i = 0; i < db->ranges.count; i++) {
		uint32_t type = field(&db->ranges, VDB_RANGE_SIZE, i, 0);

		if ((type != VULNDB_RANGE_ECOSYSTEM && type != VULNDB_RANGE_SEMVER) ||
		    !check_slice(field(&db->ranges, VDB_RANGE_SIZE, i, 1),
				 field(&db->ranges, VDB_RANGE_SIZE, i, 2), db->events.count))
			return BAD("damaged database '%s': range %u is invalid", name, i);
	}
	for (uint32_t i = 0; i < db->affected.count; i++) {
		if (field(&db->affected, VDB_AFFECTED_SIZE, i, 0) >= db->advisories.count ||
		    !check_slice(field(&db->affected, VDB_AFFECTED_SIZE, i, 1),
				 field(&db->affected, VDB_AFFECTED_SIZE, i, 2), db->ranges.count) ||
		    !check_slice(field(&db->affected, VDB_AFFECTED_SIZE, i, 3),
				 field(&db->affected, VDB_AFFECTED_SIZE, i, 4), db->strlists.count))
			return BAD("damaged database '%s': affected entry %u is invalid", name, i);
	}
	for (uint32_t i = 0; i < db->packages.count; i++) {
		uint32_t eco = field(&db->packages, VDB_PACKAGE_SIZE, i, 0);
		uint32_t pkg = field(&db->packages, VDB_PACKAGE_SIZE, i, 1);

		if (!check_str(db, eco) || !check_str(db, pkg) ||
		    !check_slice(field(&db->packages, VDB_PACKAGE_SIZE, i, 2),
				 field(&db->packages, VDB_PACKAGE_SIZE, i, 3), db->affected.count))
			return BAD("damaged database '%s': package %u is invalid", name, i);
		/* Binary search needs strictly increasing (ecosystem, name) keys. */
		if (i > 0) {
			uint32_t peco = field(&db->packages, VDB_PACKAGE_SIZE, i - 1, 0);
			uint32_t ppkg = field(&db->packages, VDB_PACKAGE_SIZE, i - 1, 1);
			int c = strcmp(str_at(db, peco), str_at(db, eco));

			if (!c)
				c = strcmp(str_at(db, ppkg), str_at(db, pkg));
			if (c >= 0)
				return BAD("damaged database '%s': package index is not sorted at entry %u",
					   name, i);
		}
	}
	return 0;
}

int vulndb_open_mem(const void *data, size_t size, const char *name, struct vulndb **out, struct strbuf *err)
{
	struct vulndb *db = xcalloc(1, sizeof(*db));
	int ret;

	*out = NULL;
	db->data = data;
	db->size = size;
	ret = validate(db, name, err);
	if (ret < 0) {
		free(db);
		return ret;
	}
	*out = db;
	return 0;
}

int vulndb_open(const char *path, struct vulndb **out, struct strbuf *err)
{
	struct stat st;
	void *map;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
				  "cannot open database '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_code(err, ERR_BAD_INPUT, "cannot open database '%s': not a regular file", path);
	}
	if ((uint64_t)st.st_size < VDB_HEADER_SIZE + VDB_TRAILER_SIZE ||
	    (uint64_t)st.st_size > VDB_MAX_FILE_SIZE) {
		close(fd);
		return error_code(err, ERR_BAD_INPUT, "'%s' is not a customs database: bad size %lld bytes",
				  path, (long long)st.st_size);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return error_code(err, ERR_IO, "cannot map database '%s': %s", path, strerror(errno));
	ret = vulndb_open_mem(map, (size_t)st.st_size, path, out, err);
	if (ret < 0) {
		munmap(map, (size_t)st.st_size);
		return ret;
	}
	(*out)->map = map;
	return 0;
}

void vulndb_close(struct vulndb *db)
{
	if (!db)
		return;
	if (db->map)
		munmap(db->map, db->size);
	free(db);
}

void vulndb_get_info(const struct vulndb *db, struct vulndb_info *info)
{
	info->format_version = vdb_le32(db->data + VDB_H_VERSION);
	info->build_time = vdb_le64(db->data + VDB_H_BUILD_TIME);
	info->file_size = db->size;
	info->nr_sources = db->sources.count;
	info->nr_packages = db->packages.count;
	info->nr_advisories = db->advisories.count;
	info->nr_affected = db->affected.count;
	memcpy(info->checksum, db->checksum, sizeof(info->checksum));
}

void vulndb_get_source(const struct vulndb *db, uint32_t i, struct vulndb_source *src)
{
	src->name = str_at(db, field(&db->sources, VDB_SOURCE_SIZE, i, 0));
	src->date = str_at(db, field(&db->sources, VDB_SOURCE_SIZE, i, 1));
	src->nr_records = field(&db->sources, VDB_SOURCE_SIZE, i, 2);
}

void vulndb_get_advisory(const struct vulndb *db, uint32_t i, struct vulndb_advisory *adv)
{
	adv->id = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 0));
	adv->summary = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 1));
	adv->severity = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 2));
	adv->published = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 3));
	adv->modified = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 4));
	adv->aliases_ = field(&db->advisories, VDB_ADVISORY_SIZE, i, 5);
	adv->nr_aliases = field(&db->advisories, VDB_ADVISORY_SIZE, i, 6);
	adv->cvss_ = field(&db->advisories, VDB_ADVISORY_SIZE, i, 7);
	adv->nr_cvss = field(&db->advisories, VDB_ADVISORY_SIZE, i, 8);
}

void vulndb_get_package(const struct vulndb *db, uint32_t i, const char **ecosystem, const char **name,
			uint32_t *nr_affected)
{
	*ecosystem = str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, i, 0));
	*name = str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, i, 1));
	*nr_affected = field(&db->packages, VDB_PACKAGE_SIZE, i, 3);
}

static const char *strlist_at(const struct vulndb *db, uint32_t i)
{
	return str_at(db, field(&db->strlists, VDB_STRLIST_SIZE, i, 0));
}

const char *vulndb_advisory_alias(const struct vulndb *db, const struct vulndb_advisory *adv, uint32_t i)
{
	return i < adv->nr_aliases ? strlist_at(db, adv->aliases_ + i) : NULL;
}

const char *vulndb_advisory_cvss(const struct vulndb *db, const struct vulndb_advisory *adv, uint32_t i)
{
	return i < adv->nr_cvss ? strlist_at(db, adv->cvss_ + i) : NULL;
}

void vulndb_get_range(const struct vulndb *db, const struct vulndb_affected *aff, uint32_t i,
		      struct vulndb_range *range)
{
	uint32_t r = aff->ranges_ + i;

	range->type = (enum vulndb_range_type)field(&db->ranges, VDB_RANGE_SIZE, r, 0);
	range->events_ = field(&db->ranges, VDB_RANGE_SIZE, r, 1);
	range->nr_events = field(&db->ranges, VDB_RANGE_SIZE, r, 2);
}

void vulndb_get_event(const struct vulndb *db, const struct vulndb_range *range, uint32_t i,
		      struct vulndb_event *ev)
{
	uint32_t e = range->events_ + i;

	ev->kind = (enum vulndb_event_kind)field(&db->events, VDB_EVENT_SIZE, e, 0);
	ev->version = str_at(db, field(&db->events, VDB_EVENT_SIZE, e, 1));
}

const char *vulndb_affected_version(const struct vulndb *db, const struct vulndb_affected *aff, uint32_t i)
{
	return i < aff->nr_versions ? strlist_at(db, aff->versions_ + i) : NULL;
}

const char *vulndb_event_kind_name(enum vulndb_event_kind kind)
{
	static const char *const names[] = {"?", "introduced", "fixed", "last_affected", "limit"};

	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

const char *vulndb_range_type_name(enum vulndb_range_type type)
{
	return type == VULNDB_RANGE_SEMVER ? "SEMVER" : type == VULNDB_RANGE_ECOSYSTEM ? "ECOSYSTEM" : "?";
}

static int cmp_key(const struct vulndb *db, uint32_t i, const char *ecosystem, const char *name)
{
	int c = strcmp(str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, i, 0)), ecosystem);

	return c ? c : strcmp(str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, i, 1)), name);
}

int vulndb_lookup(const struct vulndb *db, const char *ecosystem, const char *name, vulndb_lookup_fn fn,
		  void *data)
{
	uint32_t lo = 0, hi = db->packages.count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = cmp_key(db, mid, ecosystem, name);

		if (c < 0) {
			lo = mid + 1;
		} else if (c > 0) {
			hi = mid;
		} else {
			uint32_t first = field(&db->packages, VDB_PACKAGE_SIZE, mid, 2);
			uint32_t count = field(&db->packages, VDB_PACKAGE_SIZE, mid, 3);

			for (uint32_t a = first; a < first + count; a++) {
				struct vulndb_affected aff;
				int ret;

				aff.ecosystem = str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, mid, 0));
				aff.name = str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, mid, 1));
				aff.advisory = field(&db->affected, VDB_AFFECTED_SIZE, a, 0);
				aff.ranges_ = field(&db->affected, VDB_AFFECTED_SIZE, a, 1);
				aff.nr_ranges = field(&db->affected, VDB_AFFECTED_SIZE, a, 2);
				aff.versions_ = field(&db->affected, VDB_AFFECTED_SIZE, a, 3);
				aff.nr_versions = field(&db->affected, VDB_AFFECTED_SIZE, a, 4);
				ret = fn(db, &aff, data);
				if (ret)
					return ret;
			}
			return 0;
		}
	}
	return 0;
}
