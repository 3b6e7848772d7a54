/* Collect advisories in memory and write them as one database file (see format.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/format.h"
#include "vulndb/vulndb.h"

struct b_source {
	uint32_t name, date, nr_records;
};
struct b_advisory {
	uint32_t f[9]; /* in VDB_ADVISORY_SIZE order */
};
struct b_affected {
	uint32_t ecosystem, name, advisory, first_range, nr_ranges, first_version, nr_versions;
	uint32_t seq; /* insertion order, so equal packages keep it after sorting */
};
struct b_range {
	uint32_t type, first_event, nr_events;
};
struct b_event {
	uint32_t kind, version;
};

struct vulndb_builder {
	struct strbuf strings;
	uint32_t *hash; /* open addressing: string offset + 1, 0 is empty */
	size_t hash_alloc, hash_used;

	struct b_source *sources;
	size_t nr_sources, alloc_sources;
	struct b_advisory *advisories;
	size_t nr_advisories, alloc_advisories;
	struct b_affected *affected;
	size_t nr_affected, alloc_affected;
	struct b_range *ranges;
	size_t nr_ranges, alloc_ranges;
	struct b_event *events;
	size_t nr_events, alloc_events;
	uint32_t *strlists;
	size_t nr_strlists, alloc_strlists;
};

static uint32_t hash_str(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void rehash(struct vulndb_builder *b)
{
	size_t old_alloc = b->hash_alloc;
	uint32_t *old = b->hash;

	b->hash_alloc = old_alloc ? old_alloc * 2 : 4096;
	b->hash = xcalloc(b->hash_alloc, sizeof(*b->hash));
	for (size_t i = 0; i < old_alloc; i++) {
		const char *s;
		size_t pos;

		if (!old[i])
			continue;
		s = b->strings.buf + old[i] - 1;
		pos = hash_str(s, strlen(s)) & (b->hash_alloc - 1);
		while (b->hash[pos])
			pos = (pos + 1) & (b->hash_alloc - 1);
		b->hash[pos] = old[i];
	}
	free(old);
}

/* Strings are stored once: advisories repeat ecosystems, names and versions a great deal. */
static uint32_t intern(struct vulndb_builder *b, const char *s)
{
	size_t len, pos;
	uint32_t off;

	if (!s || !*s)
		return 0; /* offset 0 is the empty string */
	len = strlen(s);
	if (2 * (b->hash_used + 1) > b->hash_alloc)
		rehash(b);
	pos = hash_str(s, len) & (b->hash_alloc - 1);
	while (b->hash[pos]) {
		const char *have = b->strings.buf + b->hash[pos] - 1;

		if (!strcmp(have, s))
			return b->hash[pos] - 1;
		pos = (pos + 1) & (b->hash_alloc - 1);
	}
	off = (uint32_t)b->strings.len;
	strbuf_add(&b->strings, s, len + 1);
	b->hash[pos] = off + 1;
	b->hash_used++;
	return off;
}

struct vulndb_builder *vulndb_builder_new(void)
{
	struct vulndb_builder *b = xcalloc(1, sizeof(*b));

	strbuf_init(&b->strings, 1 << 16);
	strbuf_addch(&b->strings, '\0');
	return b;
}

void vulndb_builder_free(struct vulndb_builder *b)
{
	if (!b)
		return;
	strbuf_release(&b->strings);
	free(b->hash);
	free(b->sources);
	free(b->advisories);
	free(b->affected);
	free(b->ranges);
	free(b->events);
	free(b->strlists);
	free(b);
}

void vulndb_builder_begin_source(struct vulndb_builder *b, const char *name)
{
	ALLOC_GROW(b->sources, b->nr_sources + 1, b->alloc_sources);
	b->sources[b->nr_sources].name = intern(b, name);
	b->sources[b->nr_sources].date = 0;
	b->sources[b->nr_sources].nr_records = 0;
	b->nr_sources++;
}

static uint32_t add_strlist(struct vulndb_builder *b, const char **list, size_t nr)
{
	uint32_t first = (uint32_t)b->nr_strlists;

	ALLOC_GROW(b->strlists, b->nr_strlists + nr, b->alloc_strlists);
	for (size_t i = 0; i < nr; i++)
		b->strlists[b->nr_strlists++] = intern(b, list[i]);
	return first;
}

uint32_t vulndb_builder_add_advisory(struct vulndb_builder *b, const struct vulndb_new_advisory *adv)
{
	struct b_advisory *a;

	if (!b->nr_sources)
		vulndb_builder_begin_source(b, "unnamed");
	ALLOC_GROW(b->advisories, b->nr_advisories + 1, b->alloc_advisories);
	a = &b->advisories[b->nr_advisories];
	a->f[0] = intern(b, adv->id);
	a->f[1] = intern(b, adv->summary);
	a->f[2] = intern(b, adv->severity);
	a->f[3] = intern(b, adv->published);
	a->f[4] = intern(b, adv->modified);
	a->f[5] = add_strlist(b, adv->aliases, adv->nr_aliases);
	a->f[6] = (uint32_t)adv->nr_aliases;
	a->f[7] = add_strlist(b, adv->cvss, adv->nr_cvss);
	a->f[8] = (uint32_t)adv->nr_cvss;

	{
		struct b_source *src = &b->sources[b->nr_sources - 1];

		src->nr_records++;
		/* OSV times are RFC 3339 in UTC, so the latest one sorts last as a string. */
		if (adv->modified && strcmp(adv->modified, b->strings.buf + src->date) > 0)
			src->date = intern(b, adv->modified);
	}
	return (uint32_t)b->nr_advisories++;
}

void vulndb_builder_add_affected(struct vulndb_builder *b, uint32_t advisory, const char *ecosystem,
				 const char *name)
{
	struct b_affected *aff;

	ALLOC_GROW(b->affected, b->nr_affected + 1, b->alloc_affected);
	aff = &b->affected[b->nr_affected];
	aff->ecosystem = intern(b, ecosystem);
	aff->name = intern(b, name);
	aff->advisory = advisory;
	aff->first_range = (uint32_t)b->nr_ranges;
	aff->nr_ranges = 0;
	aff->first_version = (uint32_t)b->nr_strlists;
	aff->nr_versions = 0;
	aff->seq = (uint32_t)b->nr_affected;
	b->nr_affected++;
}

void vulndb_builder_add_range(struct vulndb_builder *b, enum vulndb_range_type type)
{
	ALLOC_GROW(b->ranges, b->nr_ranges + 1, b->alloc_ranges);
	b->ranges[b->nr_ranges].type = type;
	b->ranges[b->nr_ranges].first_event = (uint32_t)b->nr_events;
	b->ranges[b->nr_ranges].nr_events = 0;
	b->nr_ranges++;
	b->affected[b->nr_affected - 1].nr_ranges++;
}

void vulndb_builder_add_event(struct vulndb_builder *b, enum vulndb_event_kind kind, const char *version)
{
	ALLOC_GROW(b->events, b->nr_events + 1, b->alloc_events);
	b->events[b->nr_events].kind = kind;
	b->events[b->nr_events].version = intern(b, version);
	b->nr_events++;
	b->ranges[b->nr_ranges - 1].nr_events++;
}

void vulndb_builder_add_version(struct vulndb_builder *b, const char *version)
{
	add_strlist(b, &version, 1);
	b->affected[b->nr_affected - 1].nr_versions++;
}

uint32_t vulndb_builder_nr_advisories(const struct vulndb_builder *b)
{
	return (uint32_t)b->nr_advisories;
}

static const char *sort_strings; /* qsort has no context argument in C11 */

static int cmp_affected(const void *pa, const void *pb)
{
	const struct b_affected *a = pa, *b = pb;
	int c = strcmp(sort_strings + a->ecosystem, sort_strings + b->ecosystem);

	if (!c)
		c = strcmp(sort_strings + a->name, sort_strings + b->name);
	if (!c)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

/* Writes bytes and feeds them to the checksum; remembers the first write error. */
struct out {
	FILE *fp;
	struct sha256_ctx sha;
	int failed;
};

static void out_write(struct out *o, const void *p, size_t len)
{
	sha256_update(&o->sha, p, len);
	if (len && fwrite(p, 1, len, o->fp) != len)
		o->failed = 1;
}

static void out_u32s(struct out *o, const uint32_t *v, size_t nr)
{
	unsigned char buf[256];
	size_t fill = 0;

	for (size_t i = 0; i < nr; i++) {
		vdb_put32(buf + fill, v[i]);
		fill += 4;
		if (fill == sizeof(buf)) {
			out_write(o, buf, fill);
			fill = 0;
		}
	}
	if (fill)
		out_write(o, buf, fill);
}

int vulndb_builder_write(struct vulndb_builder *b, FILE *fp, uint64_t build_time, struct strbuf *err)
{
	unsigned char header[VDB_HEADER_SIZE], digest[SHA256_RAW_LEN];
	uint64_t off = VDB_HEADER_SIZE, size;
	uint64_t o_sources, o_strings, o_packages, o_advisories, o_affected, o_ranges, o_events, o_strlists;
	size_t nr_packages = 0;
	uint32_t *packages = NULL; /* 4 words per package */
	size_t strings_padded;
	struct out o = {.fp = fp};
	static const unsigned char zeros[4];

	sort_strings = b->strings.buf;
	if (b->nr_affected)
		qsort(b->affected, b->nr_affected, sizeof(*b->affected), cmp_affected);
	sort_strings = NULL;

	packages = xmalloc((b->nr_affected ? b->nr_affected : 1) * 4 * sizeof(uint32_t));
	for (size_t i = 0; i < b->nr_affected; i++) {
		const struct b_affected *a = &b->affected[i];

		if (nr_packages && packages[4 * (nr_packages - 1)] == a->ecosystem &&
		    packages[4 * (nr_packages - 1) + 1] == a->name) {
			packages[4 * (nr_packages - 1) + 3]++;
			continue;
		}
		packages[4 * nr_packages] = a->ecosystem;
		packages[4 * nr_packages + 1] = a->name;
		packages[4 * nr_packages + 2] = (uint32_t)i;
		packages[4 * nr_packages + 3] = 1;
		nr_packages++;
	}

	/* Tables follow the header in this order; the string table is padded to 4 bytes. */
	strings_padded = (b->strings.len + 3) & ~(size_t)3;
	o_sources = off;
	off += (uint64_t)b->nr_sources * VDB_SOURCE_SIZE;
	o_strings = off;
	off += strings_padded;
	o_packages = off;
	off += (uint64_t)nr_packages * VDB_PACKAGE_SIZE;
	o_advisories = off;
	off += (uint64_t)b->nr_advisories * VDB_ADVISORY_SIZE;
	o_affected = off;
	off += (uint64_t)b->nr_affected * VDB_AFFECTED_SIZE;
	o_ranges = off;
	off += (uint64_t)b->nr_ranges * VDB_RANGE_SIZE;
	o_events = off;
	off += (uint64_t)b->nr_events * VDB_EVENT_SIZE;
	o_strlists = off;
	off += (uint64_t)b->nr_strlists * VDB_STRLIST_SIZE;
	size = off + VDB_TRAILER_SIZE;
	if (size > VDB_MAX_FILE_SIZE) {
		free(packages);
		return error_code(err, ERR_LIMIT, "database would be %llu bytes, over the 4 GiB limit",
				  (unsigned long long)size);
	}

	memset(header, 0, sizeof(header));
	memcpy(header, VDB_MAGIC, strlen(VDB_MAGIC));
	vdb_put32(header + VDB_H_VERSION, VDB_FORMAT_VERSION);
	vdb_put64(header + VDB_H_BUILD_TIME, build_time);
	vdb_put32(header + VDB_H_FILE_SIZE, (uint32_t)size);
	vdb_put32(header + VDB_H_SOURCES, (uint32_t)b->nr_sources);
	vdb_put32(header + VDB_H_SOURCES + 4, (uint32_t)o_sources);
	vdb_put32(header + VDB_H_STRINGS, (uint32_t)b->strings.len);
	vdb_put32(header + VDB_H_STRINGS + 4, (uint32_t)o_strings);
	vdb_put32(header + VDB_H_PACKAGES, (uint32_t)nr_packages);
	vdb_put32(header + VDB_H_PACKAGES + 4, (uint32_t)o_packages);
	vdb_put32(header + VDB_H_ADVISORIES, (uint32_t)b->nr_advisories);
	vdb_put32(header + VDB_H_ADVISORIES + 4, (uint32_t)o_advisories);
	vdb_put32(header + VDB_H_AFFECTED, (uint32_t)b->nr_affected);
	vdb_put32(header + VDB_H_AFFECTED + 4, (uint32_t)o_affected);
	vdb_put32(header + VDB_H_RANGES, (uint32_t)b->nr_ranges);
	vdb_put32(header + VDB_H_RANGES + 4, (uint32_t)o_ranges);
	vdb_put32(header + VDB_H_EVENTS, (uint32_t)b->nr_events);
	vdb_put32(header + VDB_H_EVENTS + 4, (uint32_t)o_events);
	vdb_put32(header + VDB_H_STRLISTS, (uint32_t)b->nr_strlists);
	vdb_put32(header + VDB_H_STRLISTS + 4, (uint32_t)o_strlists);

	sha256_init(&o.sha);
	out_write(&o, header, sizeof(header));
	for (size_t i = 0; i < b->nr_sources; i++)
		out_u32s(&o, &b->sources[i].name, 3);
	out_write(&o, b->strings.buf, b->strings.len);
	out_write(&o, zeros, strings_padded - b->strings.len);
	out_u32s(&o, packages, 4 * nr_packages);
	for (size_t i = 0; i < b->nr_advisories; i++)
		out_u32s(&o, b->advisories[i].f, 9);
	for (size_t i = 0; i < b->nr_affected; i++)
		out_u32s(&o, &b->affected[i].advisory, 5);
	for (size_t i = 0; i < b->nr_ranges; i++)
		out_u32s(&o, &b->ranges[i].type, 3);
	for (size_t i = 0; i < b->nr_events; i++)
		out_u32s(&o, &b->events[i].kind, 2);
	out_u32s(&o, b->strlists, b->nr_strlists);
	sha256_final(&o.sha, digest);
	if (fwrite(digest, 1, sizeof(digest), fp) != sizeof(digest))
		o.failed = 1;
	free(packages);
	if (o.failed)
		return error_code(err, ERR_IO, "cannot write the database: write error");
	return 0;
}
