/* Unit tests for the Alpine secdb and Debian tracker importers and the detection of a file's format. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

static const char secdb_doc[] =
    "{\"distroversion\":\"v3.19\",\"reponame\":\"main\",\"packages\":["
    "{\"pkg\":{\"name\":\"zlib\",\"secfixes\":{\"1.2.12-r0\":[\"CVE-2018-25032\"],"
    "\"1.2.12-r2\":[\"CVE-2022-37434 CVE-2022-9999\"],\"0\":[\"CVE-2023-45853\"]}}},"
    "{\"pkg\":{\"name\":\"minizip\",\"secfixes\":{\"1.3-r2\":[\"CVE-2022-37434\"]}}},"
    "{\"pkg\":{\"name\":\"quiet\"}}]}";

static const char tracker_doc[] =
    "{\"openssl\":{"
    "\"CVE-2023-0001\":{\"description\":\"first\",\"releases\":{"
    "\"bookworm\":{\"status\":\"resolved\",\"fixed_version\":\"3.0.9-1\",\"urgency\":\"low\"},"
    "\"bullseye\":{\"status\":\"open\",\"urgency\":\"high**\"},"
    "\"sid\":{\"status\":\"resolved\",\"fixed_version\":\"3.0.9-1\",\"urgency\":\"low\"},"
    "\"buster\":{\"status\":\"resolved\",\"fixed_version\":\"0\",\"urgency\":\"unimportant\"}}},"
    "\"TEMP-0000001-ABCDEF\":{\"releases\":{\"trixie\":{\"status\":\"undetermined\","
    "\"urgency\":\"not yet assigned\"}}},"
    "\"CVE-2023-0002\":{\"releases\":[]},"
    "\"CVE-2016-1585\":{\"releases\":{"
    "\"bookworm\":{\"status\":\"open\",\"urgency\":\"unimportant\"},"
    "\"bullseye\":{\"status\":\"open\",\"urgency\":\"not yet assigned\"}}},"
    "\"CVE-2019-0003\":{\"releases\":{"
    "\"buster\":{\"status\":\"open\",\"urgency\":\"end-of-life\"},"
    "\"bookworm\":{\"status\":\"open\",\"urgency\":\"bogus\"}}}},"
    "\"openssl1.0\":{\"CVE-2023-0001\":{\"releases\":{"
    "\"buster\":{\"status\":\"resolved\",\"fixed_version\":\"1.0.2u-1~deb10u1\",\"urgency\":\"medium\"}}}}}";

static unsigned char *finish(struct vulndb_builder *b, size_t *size)
{
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	CHECK_INT(vulndb_builder_write(b, fp, 1700000000, &err), 0);
	fclose(fp);
	vulndb_builder_free(b);
	strbuf_release(&err);
	*size = len;
	return (unsigned char *)buf;
}

/* "ID:SEV:kind=v kind=v|...;" per affected entry, in lookup order. */
static int render(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	struct strbuf *out = data;
	struct vulndb_advisory adv;

	vulndb_get_advisory(db, aff->advisory, &adv);
	strbuf_addf(out, "%s:%s:", adv.id, adv.severity);
	for (uint32_t r = 0; r < aff->nr_ranges; r++) {
		struct vulndb_range range;

		vulndb_get_range(db, aff, r, &range);
		if (r)
			strbuf_addch(out, '|');
		for (uint32_t e = 0; e < range.nr_events; e++) {
			struct vulndb_event ev;

			vulndb_get_event(db, &range, e, &ev);
			strbuf_addf(out, "%s%s=%s", e ? " " : "", vulndb_event_kind_name(ev.kind),
				    ev.version);
		}
	}
	strbuf_addch(out, ';');
	return 0;
}

static void expect_lookup(const struct vulndb *db, const char *eco, const char *name, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	vulndb_lookup(db, eco, name, render, &out);
	CHECK_STR(out.buf, want);
	strbuf_release(&out);
}

TEST(vulndb_secdb_import)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	struct vulndb_info info;
	struct vulndb_source src;
	struct vulndb *db;
	unsigned char *data;
	size_t size;

	CHECK_INT(vulndb_import_secdb_buffer(b, secdb_doc, strlen(secdb_doc), "main.json", &err), 0);
	data = finish(b, &size);
	CHECK_INT(vulndb_open_mem(data, size, "mem.db", &db, &err), 0);
	if (!db) {
		free(data);
		return;
	}
	vulndb_get_info(db, &info);
	/* CVE-2022-37434 is one advisory for both packages; the "0" entry is no advisory. */
	CHECK_INT(info.nr_advisories, 3);
	CHECK_INT(info.nr_sources, 1);
	vulndb_get_source(db, 0, &src);
	CHECK_STR(src.name, "alpine-secdb v3.19 main");
	CHECK_INT(src.nr_records, 3);
	expect_lookup(db, "Alpine:v3.19", "zlib",
		      "CVE-2018-25032::introduced=0 fixed=1.2.12-r0;"
		      "CVE-2022-37434::introduced=0 fixed=1.2.12-r2;"
		      "CVE-2022-9999::introduced=0 fixed=1.2.12-r2;");
	expect_lookup(db, "Alpine:v3.19", "minizip", "CVE-2022-37434::introduced=0 fixed=1.3-r2;");
	expect_lookup(db, "Alpine:v3.19", "quiet", "");
	expect_lookup(db, "Alpine:v3.18", "zlib", "");
	vulndb_close(db);
	free(data);
	strbuf_release(&err);
}

TEST(vulndb_debian_tracker_import)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	struct vulndb_info info;
	struct vulndb_source src;
	struct vulndb_advisory adv;
	struct vulndb *db;
	unsigned char *data;
	size_t size;

	CHECK_INT(vulndb_import_debian_buffer(b, tracker_doc, strlen(tracker_doc), "tracker.json", &err), 0);
	data = finish(b, &size);
	CHECK_INT(vulndb_open_mem(data, size, "mem.db", &db, &err), 0);
	if (!db) {
		free(data);
		return;
	}
	vulndb_get_info(db, &info);
	CHECK_INT(info.nr_advisories, 4);
	vulndb_get_source(db, 0, &src);
	CHECK_STR(src.name, "debian-tracker");
	/* Advisories are sorted by id; the highest urgency of any release is the severity. */
	vulndb_get_advisory(db, 2, &adv);
	CHECK_STR(adv.id, "CVE-2023-0001");
	CHECK_STR(adv.severity, "high");
	CHECK_STR(adv.summary, "first");
	expect_lookup(db, "Debian:12", "openssl",
		      "CVE-2016-1585:unimportant:introduced=0;CVE-2019-0003:end-of-life:introduced=0;"
		      "CVE-2023-0001:high:introduced=0 fixed=3.0.9-1;");
	expect_lookup(db, "Debian:10", "openssl1.0",
		      "CVE-2023-0001:high:introduced=0 fixed=1.0.2u-1~deb10u1;");
	/* Every word of the tracker is kept; a rated one beats "not yet assigned" in another release. */
	expect_lookup(db, "Debian:13", "openssl", "TEMP-0000001-ABCDEF:not yet assigned:introduced=0;");
	expect_lookup(db, "Debian:11", "openssl",
		      "CVE-2016-1585:unimportant:introduced=0;CVE-2023-0001:high:introduced=0;");
	/* A word outside the tracker's vocabulary is dropped, an unrated one kept. */
	expect_lookup(db, "Debian:10", "openssl", "CVE-2019-0003:end-of-life:introduced=0;");
	expect_lookup(db, "Debian:sid", "openssl", "");
	vulndb_close(db);
	free(data);
	strbuf_release(&err);
}

static void expect_error(int (*import)(struct vulndb_builder *, const char *, size_t, const char *,
				       struct strbuf *),
			 const char *json)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;

	CHECK_INT(import(b, json, strlen(json), "broken.json", &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "broken.json") != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	vulndb_builder_free(b);
	strbuf_release(&err);
}

TEST(vulndb_import_sources_reject_malformed)
{
	expect_error(vulndb_import_secdb_buffer, "");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":\"v3.19\",\"packages\":");
	expect_error(vulndb_import_secdb_buffer, "{\"packages\":[]}");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":3,\"packages\":[]}");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":\"v3.19\",\"packages\":{}}");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":3}]}");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":{}}]}");
	expect_error(
	    vulndb_import_secdb_buffer,
	    "{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":{\"name\":\"a\",\"secfixes\":[]}}]}");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":"
						 "{\"name\":\"a\",\"secfixes\":{\"1-r0\":\"CVE-1\"}}}]}");
	expect_error(vulndb_import_secdb_buffer, "{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":"
						 "{\"name\":\"a\",\"secfixes\":{\"1-r0\":[7]}}}]}");

	expect_error(vulndb_import_debian_buffer, "{\"a\":");
	expect_error(vulndb_import_debian_buffer, "[]");
	expect_error(vulndb_import_debian_buffer, "{\"a\":3}");
	expect_error(vulndb_import_debian_buffer, "{\"a\":{\"CVE-1\":[]}}");
	expect_error(vulndb_import_debian_buffer, "{\"a\":{\"CVE-1\":{}}}");
	expect_error(vulndb_import_debian_buffer, "{\"a\":{\"CVE-1\":{\"releases\":{\"bookworm\":3}}}}");
	expect_error(vulndb_import_debian_buffer, "{\"a\":{\"CVE-1\":{\"releases\":{\"bookworm\":{}}}}}");
	expect_error(vulndb_import_debian_buffer,
		     "{\"a\":{\"CVE-1\":{\"releases\":{\"bookworm\":{\"status\":\"resolved\"}}}}}");
	expect_error(vulndb_import_debian_buffer,
		     "{\"a\":{\"CVE-1\":{\"releases\":{\"bookworm\":{\"status\":\"gone\"}}}}}");
	expect_error(vulndb_import_debian_buffer, "{\"a\":{\"CVE-1\":{\"description\":5,\"releases\":{}}}}");
}

static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/customs-import-XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(text);

	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(write(fd, text, len) == (ssize_t)len);
		close(fd);
	}
	return path;
}

/* The same entry point picks each format from the content, whatever the file is called. */
TEST(vulndb_import_source_detects_format)
{
	static const char osv_doc[] = "{\"id\":\"GHSA-x\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
				      "\"name\":\"a\"},\"versions\":[\"1.0.0\"]}]}";
	const char *docs[] = {secdb_doc, tracker_doc, osv_doc};
	const char *want[] = {"alpine-secdb v3.19 main", "debian-tracker", NULL};
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	struct vulndb_info info;
	struct vulndb *db;
	unsigned char *data;
	char *paths[3];
	uint64_t bytes = 0;
	size_t size;

	for (size_t i = 0; i < 3; i++) {
		paths[i] = write_temp(docs[i]);
		CHECK_INT(vulndb_import_source(b, paths[i], &bytes, &err), 0);
	}
	CHECK_INT(bytes, strlen(secdb_doc) + strlen(tracker_doc) + strlen(osv_doc));
	data = finish(b, &size);
	CHECK_INT(vulndb_open_mem(data, size, "mem.db", &db, &err), 0);
	if (db) {
		vulndb_get_info(db, &info);
		CHECK_INT(info.nr_sources, 3);
		CHECK_INT(info.nr_advisories, 3 + 4 + 1);
		for (uint32_t i = 0; i < 3 && i < info.nr_sources; i++) {
			struct vulndb_source src;

			vulndb_get_source(db, i, &src);
			CHECK_STR(src.name, want[i] ? want[i] : strrchr(paths[i], '/') + 1);
		}
		vulndb_close(db);
	}
	free(data);

	/* A malformed file of a detected format names the file. */
	b = vulndb_builder_new();
	unlink(paths[0]);
	free(paths[0]);
	paths[0] = write_temp("{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":[]}]}");
	CHECK_INT(vulndb_import_source(b, paths[0], NULL, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, paths[0]) != NULL);
	vulndb_builder_free(b);
	for (size_t i = 0; i < 3; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	strbuf_release(&err);
}
