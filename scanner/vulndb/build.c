/* Collect advisories in memory and write them as one database file (see format.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/sha256.h"
#include "util/sha256_fast.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/format.h"
#include "vulndb/vulndb.h"

/*
 * Secdb and tracker files repeat the same facts a great deal: one CVE in five
 * releases, fifty CVEs of one package fixed in the same version. So every
 * table except the package index is a pool of interned word sequences: an
 * identical event list, range list, version list, advisory or "shape" (the
 * ranges and versions of an affected entry) is stored once and shared.
 */
struct slot {
	uint32_t start, len; /* len 0: empty slot */
};
struct pool {
	uint32_t *words;
	size_t nr, alloc;
	struct slot *slots;
	size_t nr_slots, used;
};

static uint32_t hash_words(const uint32_t *w, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	/* murmur3's finaliser: the table index takes the low bits, which must depend on every word. */
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static void pool_rehash(struct pool *p)
{
	struct slot *old = p->slots;
	size_t old_nr = p->nr_slots;

	p->nr_slots = old_nr ? old_nr * 2 : 1024;
	p->slots = xcalloc(p->nr_slots, sizeof(*p->slots));
	for (size_t i = 0; i < old_nr; i++) {
		size_t pos;

		if (!old[i].len)
			continue;
		pos = hash_words(p->words + old[i].start, old[i].len) & (p->nr_slots - 1);
		while (p->slots[pos].len)
			pos = (pos + 1) & (p->nr_slots - 1);
		p->slots[pos] = old[i];
	}
	free(old);
}

/* The word index where the sequence starts; an empty sequence is 0. */
static uint32_t pool_intern(struct pool *p, const uint32_t *w, size_t n)
{
	size_t pos;

	if (!n)
		return 0;
	if (2 * (p->used + 1) > p->nr_slots)
		pool_rehash(p);
	pos = hash_words(w, n) & (p->nr_slots - 1);
	while (p->slots[pos].len) {
		const struct slot *s = &p->slots[pos];

		if (s->len == n && !memcmp(p->words + s->start, w, n * sizeof(*w)))
			return s->start;
		pos = (pos + 1) & (p->nr_slots - 1);
	}
	ALLOC_GROW(p->words, p->nr + n, p->alloc);
	memcpy(p->words + p->nr, w, n * sizeof(*w));
	p->slots[pos].start = (uint32_t)p->nr;
	p->slots[pos].len = (uint32_t)n;
	p->used++;
	p->nr += n;
	return (uint32_t)(p->nr - n);
}

static void pool_free(struct pool *p)
{
	free(p->words);
	free(p->slots);
}

struct b_source {
	uint32_t name, date, nr_records;
};
struct b_affected {
	uint32_t ecosystem, name, advisory, shape;
	uint32_t seq; /* insertion order, so equal packages keep it after sorting */
};
struct b_range {
	uint32_t type, first_event, nr_events; /* events in the scratch list */
};

struct vulndb_builder {
	struct strbuf strings;
	uint32_t *hash; /* open addressing: string offset + 1, 0 is empty */
	size_t hash_alloc, hash_used;

	struct b_source *sources;
	size_t nr_sources, alloc_sources;
	struct b_affected *affected;
	size_t nr_affected, alloc_affected;
	size_t nr_added; /* advisories given, before identical ones were merged */
	int too_large;	 /* a count does not fit its field: the write fails */

	struct pool strlists, events, ranges, shapes, details, advisories;

	/* The ranges, events and versions of the affected entry being added. */
	int open;
	struct b_range *cur_ranges;
	size_t nr_cur_ranges, alloc_cur_ranges;
	uint32_t *cur_events, *cur_versions, *scratch;
	size_t nr_cur_events, alloc_cur_events, nr_cur_versions, alloc_cur_versions, alloc_scratch;
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
	if (b->strings.len + len + 1 > UINT32_MAX) {
		b->too_large = 1;
		return 0;
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
	free(b->affected);
	pool_free(&b->strlists);
	pool_free(&b->events);
	pool_free(&b->ranges);
	pool_free(&b->shapes);
	pool_free(&b->details);
	pool_free(&b->advisories);
	free(b->cur_ranges);
	free(b->cur_events);
	free(b->cur_versions);
	free(b->scratch);
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

static uint32_t *scratch(struct vulndb_builder *b, size_t n)
{
	ALLOC_GROW(b->scratch, n ? n : 1, b->alloc_scratch);
	return b->scratch;
}

static uint32_t add_strlist(struct vulndb_builder *b, const char **list, size_t nr)
{
	uint32_t *w = scratch(b, nr);

	for (size_t i = 0; i < nr; i++)
		w[i] = intern(b, list[i]);
	return pool_intern(&b->strlists, w, nr);
}

/* Intern the open affected entry's ranges, versions and shape. */
static void close_affected(struct vulndb_builder *b)
{
	uint32_t shape[4];

	if (!b->open)
		return;
	b->open = 0;
	/* Event lists first: the range words name them. */
	scratch(b, 2 * b->nr_cur_ranges);
	for (size_t r = 0; r < b->nr_cur_ranges; r++) {
		const struct b_range *range = &b->cur_ranges[r];
		uint32_t first =
		    /* An empty list has no first event, and offsetting a NULL array is undefined. */
		    pool_intern(&b->events, range->nr_events ? b->cur_events + range->first_event : NULL,
				range->nr_events);

		if (range->nr_events > VDB_RANGE_COUNT_MASK)
			b->too_large = 1;
		b->scratch[2 * r] = first;
		b->scratch[2 * r + 1] = range->type << 24 | (range->nr_events & VDB_RANGE_COUNT_MASK);
	}
	shape[0] = pool_intern(&b->ranges, b->scratch, 2 * b->nr_cur_ranges) / 2;
	shape[1] = (uint32_t)b->nr_cur_ranges;
	shape[2] = pool_intern(&b->strlists, b->cur_versions, b->nr_cur_versions);
	shape[3] = (uint32_t)b->nr_cur_versions;
	b->affected[b->nr_affected - 1].shape = pool_intern(&b->shapes, shape, 4) / 4;
}

uint32_t vulndb_builder_add_advisory(struct vulndb_builder *b, const struct vulndb_new_advisory *adv)
{
	uint32_t details[VDB_DETAILS_SIZE / 4], record[2];
	int empty = 1;

	close_affected(b);
	if (!b->nr_sources)
		vulndb_builder_begin_source(b, "unnamed");
	details[0] = intern(b, adv->summary);
	details[1] = intern(b, adv->severity);
	details[2] = intern(b, adv->published);
	details[3] = intern(b, adv->modified);
	details[4] = add_strlist(b, adv->aliases, adv->nr_aliases);
	details[5] = (uint32_t)adv->nr_aliases;
	details[6] = add_strlist(b, adv->cvss, adv->nr_cvss);
	details[7] = (uint32_t)adv->nr_cvss;
	for (size_t i = 0; i < VDB_DETAILS_SIZE / 4; i++)
		if (details[i])
			empty = 0;
	record[0] = intern(b, adv->id);
	/* Details are interned too; 0 is "none", so a stored index is one more than the real one. */
	record[1] =
	    empty ? 0 : pool_intern(&b->details, details, VDB_DETAILS_SIZE / 4) / (VDB_DETAILS_SIZE / 4) + 1;

	{
		struct b_source *src = &b->sources[b->nr_sources - 1];

		src->nr_records++;
		/* OSV times are RFC 3339 in UTC, so the latest one sorts last as a string. */
		if (adv->modified && strcmp(adv->modified, b->strings.buf + src->date) > 0)
			src->date = intern(b, adv->modified);
	}
	b->nr_added++;
	/* The same advisory from two files (one CVE in two Alpine releases) is one record. */
	return pool_intern(&b->advisories, record, 2) / 2;
}

void vulndb_builder_add_affected(struct vulndb_builder *b, uint32_t advisory, const char *ecosystem,
				 const char *name)
{
	struct b_affected *aff;

	close_affected(b);
	ALLOC_GROW(b->affected, b->nr_affected + 1, b->alloc_affected);
	aff = &b->affected[b->nr_affected];
	aff->ecosystem = intern(b, ecosystem);
	aff->name = intern(b, name);
	aff->advisory = advisory;
	aff->shape = 0;
	aff->seq = (uint32_t)b->nr_affected;
	b->nr_affected++;
	b->open = 1;
	b->nr_cur_ranges = 0;
	b->nr_cur_events = 0;
	b->nr_cur_versions = 0;
}

void vulndb_builder_add_range(struct vulndb_builder *b, enum vulndb_range_type type)
{
	ALLOC_GROW(b->cur_ranges, b->nr_cur_ranges + 1, b->alloc_cur_ranges);
	b->cur_ranges[b->nr_cur_ranges].type = type;
	b->cur_ranges[b->nr_cur_ranges].first_event = (uint32_t)b->nr_cur_events;
	b->cur_ranges[b->nr_cur_ranges].nr_events = 0;
	b->nr_cur_ranges++;
}

void vulndb_builder_add_event(struct vulndb_builder *b, enum vulndb_event_kind kind, const char *version)
{
	uint32_t str = intern(b, version);

	if (str > VDB_EVENT_STRING_MASK)
		b->too_large = 1;
	ALLOC_GROW(b->cur_events, b->nr_cur_events + 1, b->alloc_cur_events);
	b->cur_events[b->nr_cur_events++] = (uint32_t)kind << 29 | (str & VDB_EVENT_STRING_MASK);
	b->cur_ranges[b->nr_cur_ranges - 1].nr_events++;
}

void vulndb_builder_add_version(struct vulndb_builder *b, const char *version)
{
	uint32_t str = intern(b, version);

	ALLOC_GROW(b->cur_versions, b->nr_cur_versions + 1, b->alloc_cur_versions);
	b->cur_versions[b->nr_cur_versions++] = str;
}

uint32_t vulndb_builder_nr_advisories(const struct vulndb_builder *b)
{
	return (uint32_t)b->nr_added;
}

static const char *sort_strings; /* qsort has no context argument in C11 */

static int cmp_affected(const void *pa, const void *pb)
{
	const struct b_affected *a = pa, *b = pb;
	int c = 0;

	if (a->ecosystem != b->ecosystem)
		c = strcmp(sort_strings + a->ecosystem, sort_strings + b->ecosystem);
	if (!c && a->name != b->name)
		c = strcmp(sort_strings + a->name, sort_strings + b->name);
	if (!c)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

/* Writes bytes and feeds them to the checksum; remembers the first write error. */
struct out {
	FILE *fp;
	struct sha256_fast_ctx sha;
	int failed;
};

static void out_write(struct out *o, const void *p, size_t len)
{
	sha256_fast_update(&o->sha, p, len);
	if (len && fwrite(p, 1, len, o->fp) != len)
		o->failed = 1;
}

static void out_u32s(struct out *o, const uint32_t *v, size_t nr)
{
	unsigned char buf[4096];
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

struct table_out {
	unsigned int header;
	uint64_t count, bytes;
	uint64_t offset;
};

int vulndb_builder_write(struct vulndb_builder *b, FILE *fp, uint64_t build_time, struct strbuf *err)
{
	unsigned char header[VDB_HEADER_SIZE], digest[SHA256_RAW_LEN];
	char hex[DIGEST_STR_LEN];
	uint64_t off = VDB_HEADER_SIZE, size;
	size_t nr_ecosystems = 0, nr_packages = 0;
	uint32_t *ecosystems, *packages; /* 3 and 2 words per record */
	struct strbuf entries = STRBUF_INIT;
	size_t strings_padded, entries_padded, nr_advisories, nr_details = 0, next = 0;
	uint32_t *renumber, *ids, *details;
	struct out o = {.fp = fp};
	static const unsigned char zeros[4];
	enum {
		T_SOURCES,
		T_STRINGS,
		T_ECOSYSTEMS,
		T_PACKAGES,
		T_ENTRIES,
		T_ADVISORIES,
		T_DETAILS,
		T_SHAPES,
		T_RANGES,
		T_EVENTS,
		T_STRLISTS,
		NR_TABLES
	};
	struct table_out t[NR_TABLES];

	close_affected(b);
	if (b->too_large || b->strings.len > VDB_EVENT_STRING_MASK)
		return error_code(err, ERR_LIMIT,
				  "database would be too large: a table exceeds its format limit");

	/*
	 * Advisories with details come first, so the advisory table holds ids
	 * only and the details table is indexed like it: most secdb and
	 * tracker advisories are nothing but an id.
	 */
	nr_advisories = b->advisories.nr / 2;
	renumber = xmalloc((nr_advisories + 1) * sizeof(*renumber));
	ids = xmalloc((nr_advisories + 1) * sizeof(*ids));
	details = xmalloc((nr_advisories + 1) * VDB_DETAILS_SIZE);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nr_advisories; i++) {
			uint32_t d = b->advisories.words[2 * i + 1];

			if ((pass == 0) != (d != 0))
				continue;
			if (d) {
				memcpy(details + nr_details * (VDB_DETAILS_SIZE / 4),
				       b->details.words + (size_t)(d - 1) * (VDB_DETAILS_SIZE / 4),
				       VDB_DETAILS_SIZE);
				nr_details++;
			}
			renumber[i] = (uint32_t)next;
			ids[next++] = b->advisories.words[2 * i];
		}
	}
	for (size_t i = 0; i < b->nr_affected; i++)
		b->affected[i].advisory = renumber[b->affected[i].advisory];

	sort_strings = b->strings.buf;
	if (b->nr_affected)
		qsort(b->affected, b->nr_affected, sizeof(*b->affected), cmp_affected);
	sort_strings = NULL;

	ecosystems = xmalloc((b->nr_affected + 1) * 3 * sizeof(uint32_t));
	packages = xmalloc((b->nr_affected + 1) * 2 * sizeof(uint32_t));
	for (size_t i = 0; i < b->nr_affected;) {
		const struct b_affected *a = &b->affected[i];
		unsigned char buf[16];
		size_t end = i;
		int64_t prev = 0;

		while (end < b->nr_affected && b->affected[end].ecosystem == a->ecosystem &&
		       b->affected[end].name == a->name)
			end++;
		if (!nr_ecosystems || ecosystems[3 * (nr_ecosystems - 1)] != a->ecosystem) {
			ecosystems[3 * nr_ecosystems] = a->ecosystem;
			ecosystems[3 * nr_ecosystems + 1] = (uint32_t)nr_packages;
			ecosystems[3 * nr_ecosystems + 2] = 0;
			nr_ecosystems++;
		}
		ecosystems[3 * (nr_ecosystems - 1) + 2]++;
		packages[2 * nr_packages] = a->name;
		packages[2 * nr_packages + 1] = (uint32_t)entries.len;
		nr_packages++;
		/* A package's entries: their count, then (advisory difference, shape) pairs. */
		strbuf_add(&entries, buf, vdb_put_varint(buf, (uint32_t)(end - i)));
		for (; i < end; i++) {
			size_t n = vdb_put_varint(buf, vdb_zigzag((int64_t)b->affected[i].advisory - prev));

			n += vdb_put_varint(buf + n, b->affected[i].shape);
			strbuf_add(&entries, buf, n);
			prev = b->affected[i].advisory;
		}
	}

	/* Tables follow the header in this order; byte tables are padded to 4 bytes. */
	strings_padded = (b->strings.len + 3) & ~(size_t)3;
	entries_padded = (entries.len + 3) & ~(size_t)3;
	t[T_SOURCES] = (struct table_out){VDB_H_SOURCES, b->nr_sources, b->nr_sources * VDB_SOURCE_SIZE, 0};
	t[T_STRINGS] = (struct table_out){VDB_H_STRINGS, b->strings.len, strings_padded, 0};
	t[T_ECOSYSTEMS] =
	    (struct table_out){VDB_H_ECOSYSTEMS, nr_ecosystems, nr_ecosystems * VDB_ECOSYSTEM_SIZE, 0};
	t[T_PACKAGES] = (struct table_out){VDB_H_PACKAGES, nr_packages, nr_packages * VDB_PACKAGE_SIZE, 0};
	t[T_ENTRIES] = (struct table_out){VDB_H_ENTRIES, entries.len, entries_padded, 0};
	t[T_ADVISORIES] =
	    (struct table_out){VDB_H_ADVISORIES, nr_advisories, nr_advisories * VDB_ADVISORY_SIZE, 0};
	t[T_DETAILS] = (struct table_out){VDB_H_DETAILS, nr_details, nr_details * VDB_DETAILS_SIZE, 0};
	t[T_SHAPES] = (struct table_out){VDB_H_SHAPES, b->shapes.nr / 4, b->shapes.nr * 4, 0};
	t[T_RANGES] = (struct table_out){VDB_H_RANGES, b->ranges.nr / 2, b->ranges.nr * 4, 0};
	t[T_EVENTS] = (struct table_out){VDB_H_EVENTS, b->events.nr, b->events.nr * 4, 0};
	t[T_STRLISTS] = (struct table_out){VDB_H_STRLISTS, b->strlists.nr, b->strlists.nr * 4, 0};
	for (int i = 0; i < NR_TABLES; i++) {
		t[i].offset = off;
		off += t[i].bytes;
	}
	size = off + VDB_TRAILER_SIZE;
	if (size > VDB_MAX_FILE_SIZE) {
		free(renumber);
		free(ids);
		free(details);
		free(ecosystems);
		free(packages);
		strbuf_release(&entries);
		return error_code(err, ERR_LIMIT, "database would be %llu bytes, over the 4 GiB limit",
				  (unsigned long long)size);
	}

	memset(header, 0, sizeof(header));
	memcpy(header, VDB_MAGIC, strlen(VDB_MAGIC));
	vdb_put32(header + VDB_H_VERSION, VDB_FORMAT_VERSION);
	vdb_put64(header + VDB_H_BUILD_TIME, build_time);
	vdb_put32(header + VDB_H_FILE_SIZE, (uint32_t)size);
	for (int i = 0; i < NR_TABLES; i++) {
		vdb_put32(header + t[i].header, (uint32_t)t[i].count);
		vdb_put32(header + t[i].header + 4, (uint32_t)t[i].offset);
	}

	sha256_fast_init(&o.sha);
	out_write(&o, header, sizeof(header));
	for (size_t i = 0; i < b->nr_sources; i++)
		out_u32s(&o, &b->sources[i].name, 3);
	out_write(&o, b->strings.buf, b->strings.len);
	out_write(&o, zeros, strings_padded - b->strings.len);
	out_u32s(&o, ecosystems, 3 * nr_ecosystems);
	out_u32s(&o, packages, 2 * nr_packages);
	out_write(&o, entries.buf, entries.len);
	out_write(&o, zeros, entries_padded - entries.len);
	out_u32s(&o, ids, nr_advisories);
	out_u32s(&o, details, nr_details * (VDB_DETAILS_SIZE / 4));
	out_u32s(&o, b->shapes.words, b->shapes.nr);
	out_u32s(&o, b->ranges.words, b->ranges.nr);
	out_u32s(&o, b->events.words, b->events.nr);
	out_u32s(&o, b->strlists.words, b->strlists.nr);
	sha256_fast_final_str(&o.sha, hex);
	for (size_t i = 0; i < SHA256_RAW_LEN; i++) {
		unsigned int byte = 0;

		sscanf(hex + 7 + 2 * i, "%2x", &byte);
		digest[i] = (unsigned char)byte;
	}
	if (fwrite(digest, 1, sizeof(digest), fp) != sizeof(digest))
		o.failed = 1;
	free(renumber);
	free(ids);
	free(details);
	free(ecosystems);
	free(packages);
	strbuf_release(&entries);
	if (o.failed)
		return error_code(err, ERR_IO, "cannot write the database: write error");
	return 0;
}
