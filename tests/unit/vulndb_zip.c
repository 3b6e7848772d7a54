/* Unit tests for importing OSV all.zip files: records in entry order, and hostile zips refused. */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

static const char rec_a[] =
    "{\"id\":\"GHSA-zip-1\",\"modified\":\"2024-02-01T00:00:00Z\","
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"zipped\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.1\"}]}]}]}";
static const char rec_b[] = "{\"id\":\"GHSA-zip-2\",\"modified\":\"2024-03-01T00:00:00Z\","
			    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"zipped\"},"
			    "\"versions\":[\"2.0.0\"]}]}";

struct zip_entry {
	const char *name;
	const char *data; /* NULL: a folder */
	size_t size;	  /* 0: strlen(data) */
};

/* Writes a zip with libarchive into dir/file and returns its path (the caller frees it). */
static char *write_zip(const char *dir, const char *file, const struct zip_entry *entries, size_t nr)
{
	struct archive *a = archive_write_new();
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, file);
	archive_write_set_format_zip(a);
	CHECK_INT(archive_write_open_filename(a, path.buf), ARCHIVE_OK);
	for (size_t i = 0; i < nr; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t size =
		    entries[i].data ? (entries[i].size ? entries[i].size : strlen(entries[i].data)) : 0;

		archive_entry_set_pathname(e, entries[i].name);
		archive_entry_set_filetype(e, entries[i].data ? AE_IFREG : AE_IFDIR);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)size);
		archive_entry_set_mtime(e, 1700000000, 0);
		CHECK_INT(archive_write_header(a, e), ARCHIVE_OK);
		if (size)
			CHECK_INT(archive_write_data(a, entries[i].data, size), (long long)size);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return strbuf_detach(&path, NULL);
}

static int render(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	struct vulndb_advisory adv;

	vulndb_get_advisory(db, aff->advisory, &adv);
	strbuf_addf(data, "%s;", adv.id);
	return 0;
}

static unsigned char *finish(struct vulndb_builder *b, size_t *size)
{
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	CHECK_INT(vulndb_builder_write(b, fp, 1700000000, &err), 0);
	fclose(fp);
	strbuf_release(&err);
	*size = len;
	return (unsigned char *)buf;
}

TEST(vulndb_zip_imports_json_entries_in_order)
{
	char dir[] = "/tmp/customs-zip-XXXXXX";
	const struct zip_entry entries[] = {
	    {"npm/", NULL, 0},
	    {"GHSA-zip-2.json", rec_b, 0},
	    {"README.md", "not json", 0},
	    {"GHSA-zip-1.json", rec_a, 0},
	};
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct vulndb *db;
	struct vulndb_source src;
	uint64_t bytes = 0;
	unsigned char *data;
	size_t size;
	char *zip, *sub;

	CHECK(mkdtemp(dir) != NULL);
	sub = xstrdup(dir);
	{
		struct strbuf s = STRBUF_INIT;

		strbuf_addf(&s, "%s/npm", dir);
		CHECK_INT(mkdir(s.buf, 0755), 0);
		free(sub);
		sub = strbuf_detach(&s, NULL);
	}
	zip = write_zip(sub, "all.zip", entries, 4);
	CHECK_INT(vulndb_import_source(b, zip, &bytes, &err), 0);
	CHECK_INT(bytes, strlen(rec_a) + strlen(rec_b));
	data = finish(b, &size);
	CHECK_INT(vulndb_open_mem(data, size, "zip.db", &db, &err), 0);
	if (db) {
		vulndb_get_source(db, 0, &src);
		CHECK_STR(src.name, "npm"); /* npm/all.zip is named after its folder */
		CHECK_INT(src.nr_records, 2);
		CHECK_STR(src.date, "2024-03-01T00:00:00Z");
		vulndb_lookup(db, "npm", "zipped", render, &out);
		CHECK_STR(out.buf, "GHSA-zip-2;GHSA-zip-1;");
		vulndb_close(db);
	}
	free(data);
	vulndb_builder_free(b);
	unlink(zip);
	rmdir(sub);
	rmdir(dir);
	free(zip);
	free(sub);
	strbuf_release(&err);
	strbuf_release(&out);
}

/* Imports dir/file and expects code with one line naming the zip and containing needle. */
static void expect_zip_error(const char *dir, const struct zip_entry *entries, size_t nr, int code,
			     const char *needle, long truncate_to)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	char *zip = write_zip(dir, "bad.zip", entries, nr);

	if (truncate_to >= 0)
		CHECK_INT(truncate(zip, truncate_to), 0);
	CHECK_INT(vulndb_import_source(b, zip, NULL, &err), code);
	CHECK(strstr(err.buf, zip) != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	if (needle && !strstr(err.buf, needle)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", err.buf, needle);
		test_failed = 1;
	}
	unlink(zip);
	free(zip);
	vulndb_builder_free(b);
	strbuf_release(&err);
}

TEST(vulndb_zip_hostile)
{
	char dir[] = "/tmp/customs-zip-XXXXXX";
	char long_name[2100];
	struct zip_entry e[2] = {{"GHSA-zip-1.json", rec_a, 0}, {NULL, NULL, 0}};

	CHECK(mkdtemp(dir) != NULL);
	e[1] = (struct zip_entry){"../escape.json", rec_b, 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "../escape.json", -1);
	e[1] = (struct zip_entry){"/etc/abs.json", rec_b, 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "refusing entry", -1);
	e[1] = (struct zip_entry){"a/../../b.json", rec_b, 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "refusing entry", -1);
	e[1] = (struct zip_entry){"..\\win.json", rec_b, 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "refusing entry", -1);
	/* Path tricks are refused even in entries that would be ignored. */
	e[1] = (struct zip_entry){"../notes.txt", "x", 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "refusing entry", -1);
	memset(long_name, 'a', sizeof(long_name) - 6);
	memcpy(long_name + sizeof(long_name) - 6, ".json", 6);
	e[1] = (struct zip_entry){long_name, rec_b, 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "overlong", -1);
	/* A broken record names the zip and the entry. */
	e[1] = (struct zip_entry){"GHSA-bad.json", "{\"id\": 3}", 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, "bad.zip/GHSA-bad.json", -1);
	/* Cut in the middle, or only its first bytes. */
	e[1] = (struct zip_entry){"GHSA-zip-2.json", rec_b, 0};
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, NULL, 200);
	expect_zip_error(dir, e, 2, ERR_BAD_INPUT, NULL, 10);
	rmdir(dir);
}

TEST(vulndb_zip_bomb)
{
	char dir[] = "/tmp/customs-zip-XXXXXX";
	size_t size = (size_t)VULNDB_MAX_JSON_FILE + 4096;
	char *zeros = xcalloc(1, size);
	struct zip_entry e[1] = {{"GHSA-bomb.json", zeros, size}};

	CHECK(mkdtemp(dir) != NULL);
	memset(zeros, ' ', size);
	expect_zip_error(dir, e, 1, ERR_LIMIT, "GHSA-bomb.json", -1);
	free(zeros);
	rmdir(dir);
}
