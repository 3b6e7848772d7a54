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
#include "util/sha256_fast.h"
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
	const unsigned char *entries;
	uint32_t entries_size;
	uint32_t nr_affected;
	struct table sources, ecosystems, packages, advisories, details, shapes, ranges, events, strlists;
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

/*
 * Walks the entries of package i, as vulndb_lookup() will: its count, then
 * (advisory difference, shape) varint pairs, each checked. They must start
 * where the previous package's ended, so every byte is checked exactly once.
 */
static int check_entries(struct vulndb *db, uint32_t i, size_t *pos)
{
	uint32_t count, delta, shape;
	int64_t advisory = 0;

	if (field(&db->packages, VDB_PACKAGE_SIZE, i, 1) != *pos ||
	    vdb_get_varint(db->entries, db->entries_size, pos, &count) < 0 || !count)
		return -1;
	for (uint32_t e = 0; e < count; e++) {
		if (vdb_get_varint(db->entries, db->entries_size, pos, &delta) < 0 ||
		    vdb_get_varint(db->entries, db->entries_size, pos, &shape) < 0)
			return -1;
		advisory += vdb_unzigzag(delta);
		if (advisory < 0 || advisory >= db->advisories.count || shape >= db->shapes.count)
			return -1;
	}
	if ((uint64_t)db->nr_affected + count > UINT32_MAX)
		return -1;
	db->nr_affected += count;
	return 0;
}

static int validate(struct vulndb *db, const char *name, struct strbuf *err)
{
	const unsigned char *h = db->data;
	uint64_t content_end;
	uint32_t version, off, next_package = 0;
	struct sha256_fast_ctx sha;
	char trailer[SHA256_HEX_LEN + 1];
	size_t pos = 0;

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

	/* The CPU's SHA instructions where there are any: hashing is most of the cost of opening. */
	sha256_fast_init(&sha);
	sha256_fast_update(&sha, db->data, content_end);
	sha256_fast_final_str(&sha, db->checksum);
	for (size_t i = 0; i < SHA256_RAW_LEN; i++)
		snprintf(trailer + 2 * i, 3, "%02x", db->data[content_end + i]);
	if (strcmp(db->checksum + 7, trailer))
		return BAD("damaged database '%s': checksum mismatch", name);

	/* The string table first: every other check looks strings up. */
	db->strings_size = vdb_le32(h + VDB_H_STRINGS);
	off = vdb_le32(h + VDB_H_STRINGS + 4);
	if (off < VDB_HEADER_SIZE || (uint64_t)off + db->strings_size > content_end || !db->strings_size)
		return BAD("damaged database '%s': string table is out of bounds", name);
	db->strings = (const char *)db->data + off;
	if (db->strings[db->strings_size - 1] != '\0' || db->strings[0] != '\0')
		return BAD("damaged database '%s': string table is not NUL-terminated", name);
	db->entries_size = vdb_le32(h + VDB_H_ENTRIES);
	off = vdb_le32(h + VDB_H_ENTRIES + 4);
	if (off < VDB_HEADER_SIZE || (uint64_t)off + db->entries_size > content_end)
		return BAD("damaged database '%s': entry table is out of bounds", name);
	db->entries = db->data + off;

	if (map_table(db, name, &db->sources, VDB_H_SOURCES, VDB_SOURCE_SIZE, content_end, "source", err) ||
	    map_table(db, name, &db->ecosystems, VDB_H_ECOSYSTEMS, VDB_ECOSYSTEM_SIZE, content_end,
		      "ecosystem", err) ||
	    map_table(db, name, &db->packages, VDB_H_PACKAGES, VDB_PACKAGE_SIZE, content_end, "package",
		      err) ||
	    map_table(db, name, &db->advisories, VDB_H_ADVISORIES, VDB_ADVISORY_SIZE, content_end, "advisory",
		      err) ||
	    map_table(db, name, &db->details, VDB_H_DETAILS, VDB_DETAILS_SIZE, content_end, "details", err) ||
	    map_table(db, name, &db->shapes, VDB_H_SHAPES, VDB_SHAPE_SIZE, content_end, "shape", err) ||
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
	if (db->details.count > db->advisories.count)
		return BAD("damaged database '%s': more details than advisories", name);
	for (uint32_t i = 0; i < db->details.count; i++) {
		for (unsigned int f = 0; f < 4; f++)
			if (!check_str(db, field(&db->details, VDB_DETAILS_SIZE, i, f)))
				return BAD("damaged database '%s': details %u have a bad string offset", name,
					   i);
		if (!check_slice(field(&db->details, VDB_DETAILS_SIZE, i, 4),
				 field(&db->details, VDB_DETAILS_SIZE, i, 5), db->strlists.count) ||
		    !check_slice(field(&db->details, VDB_DETAILS_SIZE, i, 6),
				 field(&db->details, VDB_DETAILS_SIZE, i, 7), db->strlists.count))
			return BAD("damaged database '%s': details %u have a bad alias or cvss list", name,
				   i);
	}
	for (uint32_t i = 0; i < db->advisories.count; i++)
		if (!check_str(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 0)))
			return BAD("damaged database '%s': advisory %u is invalid", name, i);
	for (uint32_t i = 0; i < db->events.count; i++) {
		uint32_t ev = field(&db->events, VDB_EVENT_SIZE, i, 0), kind = ev >> 29;

		if (kind < VULNDB_EVENT_INTRODUCED || kind > VULNDB_EVENT_LIMIT ||
		    !check_str(db, ev & VDB_EVENT_STRING_MASK))
			return BAD("damaged database '%s': event %u is invalid", name, i);
	}
	for (uint32_t i = 0; i < db->ranges.count; i++) {
		uint32_t word = field(&db->ranges, VDB_RANGE_SIZE, i, 1), type = word >> 24;

		if ((type != VULNDB_RANGE_ECOSYSTEM && type != VULNDB_RANGE_SEMVER) ||
		    !check_slice(field(&db->ranges, VDB_RANGE_SIZE, i, 0), word & VDB_RANGE_COUNT_MASK,
				 db->events.count))
			return BAD("damaged database '%s': range %u is invalid", name, i);
	}
	for (uint32_t i = 0; i < db->shapes.count; i++) {
		if (!check_slice(field(&db->shapes, VDB_SHAPE_SIZE, i, 0),
				 field(&db->shapes, VDB_SHAPE_SIZE, i, 1), db->ranges.count) ||
		    !check_slice(field(&db->shapes, VDB_SHAPE_SIZE, i, 2),
				 field(&db->shapes, VDB_SHAPE_SIZE, i, 3), db->strlists.count))
			return BAD("damaged database '%s': affected shape %u is invalid", name, i);
	}
	/* Ecosystems cover the package index in order, each a non-empty run of it. */
	for (uint32_t i = 0; i < db->ecosystems.count; i++) {
		uint32_t eco = field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, i, 0);
		uint32_t first = field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, i, 1);
		uint32_t count = field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, i, 2);

		if (!check_str(db, eco) || first != next_package || !count ||
		    !check_slice(first, count, db->packages.count))
			return BAD("damaged database '%s': ecosystem %u is invalid", name, i);
		if (i > 0 && strcmp(str_at(db, field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, i - 1, 0)),
				    str_at(db, eco)) >= 0)
			return BAD("damaged database '%s': ecosystem index is not sorted at entry %u", name,
				   i);
		next_package = first + count;
		for (uint32_t p = first; p < first + count; p++) {
			uint32_t pkg = field(&db->packages, VDB_PACKAGE_SIZE, p, 0);

			if (!check_str(db, pkg) || check_entries(db, p, &pos) < 0)
				return BAD("damaged database '%s': package %u is invalid", name, p);
			/* Binary search needs strictly increasing names within an ecosystem. */
			if (p > first && strcmp(str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, p - 1, 0)),
						str_at(db, pkg)) >= 0)
				return BAD("damaged database '%s': package index is not sorted at entry %u",
					   name, p);
		}
	}
	if (next_package != db->packages.count || pos != db->entries_size)
		return BAD("damaged database '%s': the package index does not cover its tables", name);
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

void vulndb_get_bytes(const struct vulndb *db, const void **data, size_t *size)
{
	*data = db->data;
	*size = db->size;
}

void vulndb_get_info(const struct vulndb *db, struct vulndb_info *info)
{
	info->format_version = vdb_le32(db->data + VDB_H_VERSION);
	info->build_time = vdb_le64(db->data + VDB_H_BUILD_TIME);
	info->file_size = db->size;
	info->nr_sources = db->sources.count;
	info->nr_packages = db->packages.count;
	info->nr_advisories = db->advisories.count;
	info->nr_affected = db->nr_affected;
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
	static const struct vulndb_advisory bare = {"", "", "", "", "", 0, 0, 0, 0};
	uint32_t d = i;

	if (i >= db->details.count) {
		*adv = bare;
		adv->id = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 0));
		return;
	}
	adv->id = str_at(db, field(&db->advisories, VDB_ADVISORY_SIZE, i, 0));
	adv->summary = str_at(db, field(&db->details, VDB_DETAILS_SIZE, d, 0));
	adv->severity = str_at(db, field(&db->details, VDB_DETAILS_SIZE, d, 1));
	adv->published = str_at(db, field(&db->details, VDB_DETAILS_SIZE, d, 2));
	adv->modified = str_at(db, field(&db->details, VDB_DETAILS_SIZE, d, 3));
	adv->aliases_ = field(&db->details, VDB_DETAILS_SIZE, d, 4);
	adv->nr_aliases = field(&db->details, VDB_DETAILS_SIZE, d, 5);
	adv->cvss_ = field(&db->details, VDB_DETAILS_SIZE, d, 6);
	adv->nr_cvss = field(&db->details, VDB_DETAILS_SIZE, d, 7);
}

/* The ecosystem whose run of the package index holds package i (the runs are in order). */
static uint32_t ecosystem_of(const struct vulndb *db, uint32_t i)
{
	uint32_t lo = 0, hi = db->ecosystems.count;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, mid, 1) <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void vulndb_get_package(const struct vulndb *db, uint32_t i, const char **ecosystem, const char **name,
			uint32_t *nr_affected)
{
	size_t pos = field(&db->packages, VDB_PACKAGE_SIZE, i, 1);
	uint32_t count = 0;

	*ecosystem = str_at(db, field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, ecosystem_of(db, i), 0));
	*name = str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, i, 0));
	vdb_get_varint(db->entries, db->entries_size, &pos, &count);
	*nr_affected = count;
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
	uint32_t r = aff->ranges_ + i, word = field(&db->ranges, VDB_RANGE_SIZE, r, 1);

	range->type = (enum vulndb_range_type)(word >> 24);
	range->events_ = field(&db->ranges, VDB_RANGE_SIZE, r, 0);
	range->nr_events = word & VDB_RANGE_COUNT_MASK;
}

void vulndb_get_event(const struct vulndb *db, const struct vulndb_range *range, uint32_t i,
		      struct vulndb_event *ev)
{
	uint32_t word = field(&db->events, VDB_EVENT_SIZE, range->events_ + i, 0);

	ev->kind = (enum vulndb_event_kind)(word >> 29);
	ev->version = str_at(db, word & VDB_EVENT_STRING_MASK);
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

/* Index of the row in [lo, hi) of a table whose first field is the string key, or UINT32_MAX. */
static uint32_t search(const struct vulndb *db, const struct table *t, size_t rec_size, uint32_t lo,
		       uint32_t hi, const char *key)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(str_at(db, field(t, rec_size, mid, 0)), key);

		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else
			return mid;
	}
	return UINT32_MAX;
}

int vulndb_lookup(const struct vulndb *db, const char *ecosystem, const char *name, vulndb_lookup_fn fn,
		  void *data)
{
	uint32_t eco, first, pkg, count = 0, delta = 0, shape = 0;
	struct vulndb_affected aff;
	int64_t advisory = 0;
	size_t pos;

	eco = search(db, &db->ecosystems, VDB_ECOSYSTEM_SIZE, 0, db->ecosystems.count, ecosystem);
	if (eco == UINT32_MAX)
		return 0;
	first = field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, eco, 1);
	pkg = search(db, &db->packages, VDB_PACKAGE_SIZE, first,
		     first + field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, eco, 2), name);
	if (pkg == UINT32_MAX)
		return 0;
	aff.ecosystem = str_at(db, field(&db->ecosystems, VDB_ECOSYSTEM_SIZE, eco, 0));
	aff.name = str_at(db, field(&db->packages, VDB_PACKAGE_SIZE, pkg, 0));
	/* Validated when the file was opened: these reads stay inside the entry bytes. */
	pos = field(&db->packages, VDB_PACKAGE_SIZE, pkg, 1);
	vdb_get_varint(db->entries, db->entries_size, &pos, &count);
	for (uint32_t e = 0; e < count; e++) {
		int ret;

		vdb_get_varint(db->entries, db->entries_size, &pos, &delta);
		vdb_get_varint(db->entries, db->entries_size, &pos, &shape);
		advisory += vdb_unzigzag(delta);
		aff.advisory = (uint32_t)advisory;
		aff.ranges_ = field(&db->shapes, VDB_SHAPE_SIZE, shape, 0);
		aff.nr_ranges = field(&db->shapes, VDB_SHAPE_SIZE, shape, 1);
		aff.versions_ = field(&db->shapes, VDB_SHAPE_SIZE, shape, 2);
		aff.nr_versions = field(&db->shapes, VDB_SHAPE_SIZE, shape, 3);
		ret = fn(db, &aff, data);
		if (ret)
			return ret;
	}
	return 0;
}
