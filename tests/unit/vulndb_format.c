/* Unit tests for the vulnerability database: OSV import, the file format, lookups and hostile files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "vulndb/format.h"
#include "vulndb/vulndb.h"

static const char osv_lodash[] =
    "{\"id\":\"GHSA-aaaa\",\"modified\":\"2024-01-02T00:00:00Z\",\"published\":\"2021-01-01T00:00:00Z\","
    "\"aliases\":[\"CVE-2021-1\"],\"summary\":\"prototype pollution\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
    "\"database_specific\":{\"severity\":\"HIGH\"},"
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.17.21\"}]},"
    "{\"type\":\"GIT\",\"repo\":\"x\",\"events\":[{\"introduced\":\"abc\"}]}]}]}";

static const char osv_records[] =
    "[{\"id\":\"DSA-1\",\"modified\":\"2023-05-01T00:00:00Z\","
    "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"lodash\"},"
    "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"1.0-2\"}]}],"
    "\"ecosystem_specific\":{\"severity\":\"low\"}},"
    "{\"package\":{\"ecosystem\":\"Alpine:v3.19\",\"name\":\"zlib\"},\"versions\":[\"1.3-r0\",\"1.3-r1\"]}]},"
    "{\"id\":\"GHSA-gone\",\"withdrawn\":\"2024-01-01T00:00:00Z\","
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},\"versions\":[\"1.0.0\"]}]},"
    "{\"id\":\"GHSA-bbbb\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"limit\":\"2.0.0\"}]}]}]}]";

/* Builds a database from JSON documents into a malloc'd buffer. */
static unsigned char *build_db(const char *const *docs, size_t nr, size_t *size)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	vulndb_builder_begin_source(b, "test");
	for (size_t i = 0; i < nr; i++)
		CHECK_INT(vulndb_import_osv_buffer(b, docs[i], strlen(docs[i]), "doc.json", &err), 0);
	CHECK_INT(vulndb_builder_write(b, fp, 1700000000, &err), 0);
	fclose(fp);
	vulndb_builder_free(b);
	strbuf_release(&err);
	*size = len;
	return (unsigned char *)buf;
}

static unsigned char *build_sample(size_t *size)
{
	const char *docs[] = {osv_lodash, osv_records};

	return build_db(docs, 2, size);
}

struct collected {
	struct strbuf text;
};

/* Renders each affected entry as "ID:SEV:TYPE kind=v ...:versions;" for easy comparison. */
static int collect(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	struct collected *c = data;
	struct vulndb_advisory adv;

	vulndb_get_advisory(db, aff->advisory, &adv);
	strbuf_addf(&c->text, "%s:%s:", adv.id, adv.severity);
	for (uint32_t r = 0; r < aff->nr_ranges; r++) {
		struct vulndb_range range;

		vulndb_get_range(db, aff, r, &range);
		strbuf_addstr(&c->text, vulndb_range_type_name(range.type));
		for (uint32_t e = 0; e < range.nr_events; e++) {
			struct vulndb_event ev;

			vulndb_get_event(db, &range, e, &ev);
			strbuf_addf(&c->text, " %s=%s", vulndb_event_kind_name(ev.kind), ev.version);
		}
	}
	strbuf_addch(&c->text, ':');
	for (uint32_t v = 0; v < aff->nr_versions; v++)
		strbuf_addf(&c->text, "%s%s", v ? "," : "", vulndb_affected_version(db, aff, v));
	strbuf_addch(&c->text, ';');
	return 0;
}

static char *lookup_text(const struct vulndb *db, const char *eco, const char *name)
{
	struct collected c = {STRBUF_INIT};

	vulndb_lookup(db, eco, name, collect, &c);
	return strbuf_detach(&c.text, NULL);
}

TEST(vulndb_build_and_lookup)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	struct vulndb_info info;
	struct vulndb_source src;
	struct vulndb_advisory adv;
	size_t size;
	unsigned char *data = build_sample(&size);
	char *text;

	CHECK_INT(vulndb_open_mem(data, size, "mem.db", &db, &err), 0);
	if (!db) {
		free(data);
		return;
	}
	vulndb_get_info(db, &info);
	CHECK_INT(info.format_version, VDB_FORMAT_VERSION);
	CHECK_INT(info.build_time, 1700000000);
	CHECK_INT(info.nr_advisories, 3); /* the withdrawn record is dropped */
	CHECK_INT(info.nr_packages, 3);
	CHECK_INT(info.nr_sources, 1);
	vulndb_get_source(db, 0, &src);
	CHECK_STR(src.name, "test");
	CHECK_STR(src.date, "2024-01-02T00:00:00Z");
	CHECK_INT(src.nr_records, 3);

	text = lookup_text(db, "npm", "lodash");
	CHECK_STR(text, "GHSA-aaaa:HIGH:SEMVER introduced=0 fixed=4.17.21:;"
			"GHSA-bbbb::SEMVER introduced=1.0.0 limit=2.0.0:;");
	free(text);
	text = lookup_text(db, "Debian:12", "lodash");
	CHECK_STR(text, "DSA-1:low:ECOSYSTEM introduced=0 last_affected=1.0-2:;");
	free(text);
	text = lookup_text(db, "Alpine:v3.19", "zlib");
	CHECK_STR(text, "DSA-1:low::1.3-r0,1.3-r1;");
	free(text);
	/* Exact matching only: other ecosystems, case or near names find nothing. */
	text = lookup_text(db, "Debian:11", "lodash");
	CHECK_STR(text, "");
	free(text);
	text = lookup_text(db, "npm", "Lodash");
	CHECK_STR(text, "");
	free(text);
	text = lookup_text(db, "npm", "lodas");
	CHECK_STR(text, "");
	free(text);

	vulndb_get_advisory(db, 0, &adv);
	CHECK_STR(adv.id, "GHSA-aaaa");
	CHECK_STR(adv.summary, "prototype pollution");
	CHECK_STR(adv.published, "2021-01-01T00:00:00Z");
	CHECK_INT(adv.nr_aliases, 1);
	CHECK_STR(vulndb_advisory_alias(db, &adv, 0), "CVE-2021-1");
	CHECK_INT(adv.nr_cvss, 1);
	CHECK_STR(vulndb_advisory_cvss(db, &adv, 0), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	CHECK(vulndb_advisory_cvss(db, &adv, 1) == NULL);

	vulndb_close(db);
	free(data);
	strbuf_release(&err);
}

TEST(vulndb_empty_and_deterministic)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	size_t size, size2;
	unsigned char *data = build_db(NULL, 0, &size);
	unsigned char *a = build_sample(&size), *b2;
	char *text;

	free(data);
	data = build_db(NULL, 0, &size2);
	CHECK_INT(vulndb_open_mem(data, size2, "empty.db", &db, &err), 0);
	if (db) {
		text = lookup_text(db, "npm", "x");
		CHECK_STR(text, "");
		free(text);
		vulndb_close(db);
	}
	free(data);
	b2 = build_sample(&size2);
	CHECK_INT(size, size2);
	CHECK(size == size2 && !memcmp(a, b2, size));
	free(a);
	free(b2);
	strbuf_release(&err);
}

TEST(vulndb_open_file)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	char path[] = "/tmp/customs-vulndb-XXXXXX";
	size_t size;
	unsigned char *data = build_sample(&size);
	int fd = mkstemp(path);
	char *text;

	CHECK(fd >= 0);
	if (fd < 0) {
		free(data);
		return;
	}
	CHECK_INT(write(fd, data, size), (long long)size);
	close(fd);
	CHECK_INT(vulndb_open(path, &db, &err), 0);
	if (db) {
		text = lookup_text(db, "npm", "lodash");
		CHECK(strstr(text, "GHSA-bbbb") != NULL);
		free(text);
		vulndb_close(db);
	}
	/* Truncate the file on disk: the open fails with one line naming it. */
	CHECK_INT(truncate(path, (off_t)size - 1), 0);
	CHECK_INT(vulndb_open(path, &db, &err), ERR_BAD_INPUT);
	CHECK(db == NULL);
	CHECK(strstr(err.buf, path) != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	unlink(path);
	CHECK_INT(vulndb_open(path, &db, &err), ERR_NOT_FOUND);
	free(data);
	strbuf_release(&err);
}

/* Recompute the trailer so a test reaches the structural checks behind the checksum. */
static void reseal(unsigned char *data, size_t size)
{
	struct sha256_ctx sha;

	sha256_init(&sha);
	sha256_update(&sha, data, size - VDB_TRAILER_SIZE);
	sha256_final(&sha, data + size - VDB_TRAILER_SIZE);
}

static void expect_rejected(const unsigned char *data, size_t size, const char *needle)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db = (struct vulndb *)1;

	CHECK_INT(vulndb_open_mem(data, size, "hostile.db", &db, &err), ERR_BAD_INPUT);
	CHECK(db == NULL);
	CHECK(strstr(err.buf, "hostile.db") != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	if (needle && !strstr(err.buf, needle)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", err.buf, needle);
		test_failed = 1;
	}
	strbuf_release(&err);
}

TEST(vulndb_hostile_truncated_and_magic)
{
	size_t size;
	unsigned char *data = build_sample(&size), *copy = xmalloc(size);

	for (size_t len = 0; len < size; len++) {
		memcpy(copy, data, len);
		expect_rejected(copy, len, NULL);
	}
	memcpy(copy, data, size);
	copy[0] = 'X';
	expect_rejected(copy, size, "bad magic");
	memcpy(copy, data, size);
	vdb_put32(copy + VDB_H_VERSION, 99);
	expect_rejected(copy, size, "version");
	memcpy(copy, data, size);
	copy[size / 2] ^= 1;
	expect_rejected(copy, size, "checksum");
	memcpy(copy, data, size);
	copy[size - 1] ^= 1;
	expect_rejected(copy, size, "checksum");
	free(copy);
	free(data);
}

TEST(vulndb_hostile_offsets_and_counts)
{
	static const unsigned int tables[] = {
	    VDB_H_SOURCES, VDB_H_ECOSYSTEMS, VDB_H_PACKAGES, VDB_H_ENTRIES,  VDB_H_ADVISORIES, VDB_H_DETAILS,
	    VDB_H_SHAPES,  VDB_H_RANGES,     VDB_H_EVENTS,   VDB_H_STRLISTS, VDB_H_STRINGS};
	static const uint32_t values[] = {0xffffffffu, 0x80000000u, 0x10000u, 0};
	size_t size;
	unsigned char *data = build_sample(&size), *copy = xmalloc(size);

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			/* A huge count, then an offset out of range. */
			memcpy(copy, data, size);
			if (values[v] == 0 && tables[t] != VDB_H_STRINGS)
				continue; /* an empty table is valid */
			vdb_put32(copy + tables[t], values[v]);
			reseal(copy, size);
			expect_rejected(copy, size, NULL);
			memcpy(copy, data, size);
			vdb_put32(copy + tables[t] + 4, values[v]);
			reseal(copy, size);
			expect_rejected(copy, size, "out of bounds");
		}
	}
	free(copy);
	free(data);
}

/* Every uint32 inside a record that is an offset or index, set out of range, is caught. */
TEST(vulndb_hostile_record_fields)
{
	static const struct {
		unsigned int header, rec_size, fields;
	} tables[] = {
	    {VDB_H_SOURCES, VDB_SOURCE_SIZE, 2},   {VDB_H_ECOSYSTEMS, VDB_ECOSYSTEM_SIZE, 3},
	    {VDB_H_PACKAGES, VDB_PACKAGE_SIZE, 2}, {VDB_H_ADVISORIES, VDB_ADVISORY_SIZE, 1},
	    {VDB_H_DETAILS, VDB_DETAILS_SIZE, 8},  {VDB_H_SHAPES, VDB_SHAPE_SIZE, 4},
	    {VDB_H_RANGES, VDB_RANGE_SIZE, 2},	   {VDB_H_EVENTS, VDB_EVENT_SIZE, 1},
	    {VDB_H_STRLISTS, VDB_STRLIST_SIZE, 1},
	};
	size_t size;
	unsigned char *data = build_sample(&size), *copy = xmalloc(size);

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		uint32_t count = vdb_le32(data + tables[t].header);
		uint32_t off = vdb_le32(data + tables[t].header + 4);

		CHECK(count > 0);
		for (unsigned int f = 0; f < tables[t].fields; f++) {
			memcpy(copy, data, size);
			vdb_put32(copy + off + 4 * f, 0xfffffff0u);
			reseal(copy, size);
			expect_rejected(copy, size, NULL);
		}
	}
	free(copy);
	free(data);
}

TEST(vulndb_hostile_unsorted_and_strings)
{
	size_t size;
	unsigned char *data = build_sample(&size), *copy = xmalloc(size);
	uint32_t ecos = vdb_le32(data + VDB_H_ECOSYSTEMS + 4);
	uint32_t strings = vdb_le32(data + VDB_H_STRINGS + 4);
	uint32_t strings_size = vdb_le32(data + VDB_H_STRINGS);
	unsigned char tmp[4];

	/* Swap the names of the first two ecosystems. */
	memcpy(copy, data, size);
	memcpy(tmp, copy + ecos, 4);
	memcpy(copy + ecos, copy + ecos + VDB_ECOSYSTEM_SIZE, 4);
	memcpy(copy + ecos + VDB_ECOSYSTEM_SIZE, tmp, 4);
	reseal(copy, size);
	expect_rejected(copy, size, "not sorted");

	/* A duplicate key is unsorted too. */
	memcpy(copy, data, size);
	memcpy(copy + ecos + VDB_ECOSYSTEM_SIZE, copy + ecos, 4);
	reseal(copy, size);
	expect_rejected(copy, size, "not sorted");

	/* A string table whose last string runs off its end. */
	memcpy(copy, data, size);
	copy[strings + strings_size - 1] = 'x';
	reseal(copy, size);
	expect_rejected(copy, size, "NUL");

	/* A bad event kind and a bad range type. */
	memcpy(copy, data, size);
	vdb_put32(copy + vdb_le32(data + VDB_H_EVENTS + 4), 9);
	reseal(copy, size);
	expect_rejected(copy, size, "event");
	memcpy(copy, data, size);
	vdb_put32(copy + vdb_le32(data + VDB_H_RANGES + 4) + 4, 0);
	reseal(copy, size);
	expect_rejected(copy, size, "range");

	/* The file size in the header must match. */
	memcpy(copy, data, size);
	vdb_put32(copy + VDB_H_FILE_SIZE, (uint32_t)size + 4);
	reseal(copy, size);
	expect_rejected(copy, size, "truncated");
	free(copy);
	free(data);
}

static void expect_import_error(const char *json)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;

	CHECK_INT(vulndb_import_osv_buffer(b, json, strlen(json), "bad.json", &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "bad.json") != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	vulndb_builder_free(b);
	strbuf_release(&err);
}

TEST(vulndb_import_rejects_malformed)
{
	expect_import_error("");
	expect_import_error("{\"id\":");
	expect_import_error("42");
	expect_import_error("{}");
	expect_import_error("{\"id\":7}");
	expect_import_error("{\"id\":\"X\",\"aliases\":\"CVE-1\"}");
	expect_import_error("{\"id\":\"X\",\"aliases\":[1]}");
	expect_import_error("{\"id\":\"X\",\"summary\":[]}");
	expect_import_error("{\"id\":\"X\",\"severity\":[{\"type\":\"CVSS_V3\"}]}");
	expect_import_error("{\"id\":\"X\",\"affected\":{}}");
	expect_import_error("{\"id\":\"X\",\"affected\":[{\"package\":{\"name\":\"a\"}}]}");
	expect_import_error("{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
			    "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":1}]}]}]}");
	expect_import_error(
	    "{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
	    "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1\",\"introduced\":\"0\"}]}]}]}");
	expect_import_error("{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
			    "\"ranges\":[{\"type\":\"WEIRD\",\"events\":[]}]}]}");
	expect_import_error("{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
			    "\"versions\":[null]}]}");
}

/* Packages of one ecosystem are sorted too, and each one's entries follow the previous one's. */
TEST(vulndb_hostile_packages_and_entries)
{
	static const char two[] =
	    "[{\"id\":\"A-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"aa\"}},"
	    "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"bb\"}}]}]";
	const char *docs[] = {two};
	size_t size;
	unsigned char *data = build_db(docs, 1, &size), *copy = xmalloc(size);
	uint32_t pkgs = vdb_le32(data + VDB_H_PACKAGES + 4);
	uint32_t entries = vdb_le32(data + VDB_H_ENTRIES + 4);
	unsigned char tmp[4];

	CHECK_INT(vdb_le32(data + VDB_H_PACKAGES), 2);
	memcpy(copy, data, size);
	memcpy(tmp, copy + pkgs, 4);
	memcpy(copy + pkgs, copy + pkgs + VDB_PACKAGE_SIZE, 4);
	memcpy(copy + pkgs + VDB_PACKAGE_SIZE, tmp, 4);
	reseal(copy, size);
	expect_rejected(copy, size, "not sorted");

	/* The second package's entries moved: they would be read unchecked. */
	memcpy(copy, data, size);
	vdb_put32(copy + pkgs + VDB_PACKAGE_SIZE + 4, 0);
	reseal(copy, size);
	expect_rejected(copy, size, "package 1");

	/* An entry count of zero, an advisory past the table, a varint that never ends. */
	memcpy(copy, data, size);
	copy[entries] = 0;
	reseal(copy, size);
	expect_rejected(copy, size, "package 0");
	memcpy(copy, data, size);
	copy[entries + 1] = 0x7e;
	reseal(copy, size);
	expect_rejected(copy, size, "package 0");
	memcpy(copy, data, size);
	memset(copy + entries, 0xff, vdb_le32(data + VDB_H_ENTRIES));
	reseal(copy, size);
	expect_rejected(copy, size, "package 0");
	free(copy);
	free(data);
}

/* The same advisory from two sources and the same ranges in two entries are stored once. */
TEST(vulndb_shares_identical_records)
{
	static const char one[] =
	    "{\"id\":\"CVE-1\",\"affected\":["
	    "{\"package\":{\"ecosystem\":\"Alpine:v3.19\",\"name\":\"a\"},"
	    "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1-r0\"}]}]},"
	    "{\"package\":{\"ecosystem\":\"Alpine:v3.20\",\"name\":\"a\"},"
	    "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1-r0\"}]}]}]"
	    "}";
	const char *docs[] = {one, one};
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	struct vulndb_info info;
	size_t size;
	unsigned char *data = build_db(docs, 2, &size);
	char *text;

	CHECK_INT(vdb_le32(data + VDB_H_ADVISORIES), 1);
	CHECK_INT(vdb_le32(data + VDB_H_DETAILS), 0);
	CHECK_INT(vdb_le32(data + VDB_H_SHAPES), 1);
	CHECK_INT(vdb_le32(data + VDB_H_RANGES), 1);
	CHECK_INT(vdb_le32(data + VDB_H_EVENTS), 2);
	CHECK_INT(vulndb_open_mem(data, size, "shared.db", &db, &err), 0);
	if (db) {
		vulndb_get_info(db, &info);
		CHECK_INT(info.nr_affected, 4);
		text = lookup_text(db, "Alpine:v3.20", "a");
		CHECK_STR(
		    text,
		    "CVE-1::ECOSYSTEM introduced=0 fixed=1-r0:;CVE-1::ECOSYSTEM introduced=0 fixed=1-r0:;");
		free(text);
		vulndb_close(db);
	}
	free(data);
	strbuf_release(&err);
}

/* Enough records to grow every pool's hash table several times, half of them repeating. */
TEST(vulndb_builder_many_records)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT, name = STRBUF_INIT, id = STRBUF_INIT, fixed = STRBUF_INIT;
	struct vulndb *db;
	struct vulndb_info info;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	vulndb_builder_begin_source(b, "many");
	for (int i = 0; i < 20000; i++) {
		struct vulndb_new_advisory adv = {0};
		uint32_t index;

		strbuf_reset(&id);
		strbuf_addf(&id, "CVE-2024-%d", i % 10000);
		adv.id = id.buf;
		index = vulndb_builder_add_advisory(b, &adv);
		strbuf_reset(&name);
		strbuf_addf(&name, "pkg%d", i % 3000);
		vulndb_builder_add_affected(b, index, i < 10000 ? "Alpine:v3.19" : "Alpine:v3.20", name.buf);
		vulndb_builder_add_range(b, VULNDB_RANGE_ECOSYSTEM);
		vulndb_builder_add_event(b, VULNDB_EVENT_INTRODUCED, "0");
		strbuf_reset(&fixed);
		strbuf_addf(&fixed, "1.%d-r0", i % 700);
		vulndb_builder_add_event(b, VULNDB_EVENT_FIXED, fixed.buf);
	}
	CHECK_INT(vulndb_builder_nr_advisories(b), 20000);
	CHECK_INT(vulndb_builder_write(b, fp, 1700000000, &err), 0);
	fclose(fp);
	CHECK_INT(vdb_le32((unsigned char *)buf + VDB_H_ADVISORIES), 10000);
	CHECK_INT(vdb_le32((unsigned char *)buf + VDB_H_SHAPES), 700);
	CHECK_INT(vulndb_open_mem(buf, len, "many.db", &db, &err), 0);
	if (db) {
		char *text;

		vulndb_get_info(db, &info);
		CHECK_INT(info.nr_affected, 20000);
		CHECK_INT(info.nr_packages, 6000);
		/* pkg7 of the second release is record 12007, 15007 and 18007: ids and fixes repeat. */
		text = lookup_text(db, "Alpine:v3.20", "pkg7");
		CHECK_STR(text, "CVE-2024-2007::ECOSYSTEM introduced=0 fixed=1.107-r0:;"
				"CVE-2024-5007::ECOSYSTEM introduced=0 fixed=1.307-r0:;"
				"CVE-2024-8007::ECOSYSTEM introduced=0 fixed=1.507-r0:;");
		free(text);
		vulndb_close(db);
	}
	free(buf);
	vulndb_builder_free(b);
	strbuf_release(&err);
	strbuf_release(&name);
	strbuf_release(&id);
	strbuf_release(&fixed);
}
