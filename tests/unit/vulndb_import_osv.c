/* Unit tests for the OSV importer's rules: PyPI names, distribution severity words and upstream IDs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_fixture.h"
#include "match_fixture.h"
#include "test.h"
#include "util/error.h"
#include "vulndb/vulndb.h"

/* Import docs (NULL-terminated) as OSV records, write the database and open it; NULL on failure. */
static struct vulndb *build(const char *const *docs, char **bytes)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db = NULL;
	size_t len = 0;
	FILE *fp;

	*bytes = NULL;
	vulndb_builder_begin_source(b, "test");
	for (size_t i = 0; docs[i]; i++) {
		int ret = vulndb_import_osv_buffer(b, docs[i], strlen(docs[i]), "test.json", &err);

		if (ret)
			fprintf(stderr, "  %s\n", err.buf);
		CHECK_INT(ret, 0);
	}
	fp = open_memstream(bytes, &len);
	CHECK_INT(vulndb_builder_write(b, fp, 1700000000, &err), 0);
	fclose(fp);
	vulndb_builder_free(b);
	CHECK_INT(vulndb_open_mem(*bytes, len, "mem.db", &db, &err), 0);
	strbuf_release(&err);
	return db;
}

/* "ID[severity](alias,alias)" of every advisory, in database order. */
static const char *advisories(const struct vulndb *db, struct strbuf *out)
{
	struct vulndb_info info;

	strbuf_reset(out);
	vulndb_get_info(db, &info);
	for (uint32_t i = 0; i < info.nr_advisories; i++) {
		struct vulndb_advisory adv;

		vulndb_get_advisory(db, i, &adv);
		strbuf_addf(out, "%s[%s](", adv.id, adv.severity);
		for (uint32_t a = 0; a < adv.nr_aliases; a++)
			strbuf_addf(out, "%s%s", a ? "," : "", vulndb_advisory_alias(db, &adv, a));
		strbuf_addstr(out, ")");
	}
	return out->buf;
}

static int count_entry(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	(*(int *)data)++;
	return 0;
}

static int entries(const struct vulndb *db, const char *ecosystem, const char *name)
{
	int n = 0;

	vulndb_lookup(db, ecosystem, name, count_entry, &n);
	return n;
}

TEST(vulndb_osv_pypi_names_normalised)
{
	static const char *const docs[] = {
	    "{\"id\":\"PYSEC-1\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"PyYAML\"},"
	    "\"versions\":[\"5.3\"]},{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Zope.._-Interface\"},"
	    "\"versions\":[\"4.0\"]}]}",
	    "{\"id\":\"GHSA-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"JSONStream\"},"
	    "\"versions\":[\"1.0.0\"]},{\"package\":{\"ecosystem\":\"PyPI:extra\",\"name\":\"Keep_Me\"},"
	    "\"versions\":[\"1.0\"]}]}",
	    NULL};
	char *bytes;
	struct vulndb *db = build(docs, &bytes);

	if (db) {
		CHECK_INT(entries(db, "PyPI", "pyyaml"), 1);
		CHECK_INT(entries(db, "PyPI", "PyYAML"), 0);
		CHECK_INT(entries(db, "PyPI", "zope-interface"), 1);
		/* npm names are case-sensitive as published; other ecosystems are left alone. */
		CHECK_INT(entries(db, "npm", "JSONStream"), 1);
		CHECK_INT(entries(db, "npm", "jsonstream"), 0);
		CHECK_INT(entries(db, "PyPI:extra", "Keep_Me"), 1);
		vulndb_close(db);
	}
	free(bytes);
}

TEST(vulndb_osv_ubuntu_priority_and_upstream)
{
	static const char *const docs[] = {
	    /* Canonical's current layout: a severity of type "Ubuntu" and one upstream CVE. */
	    "{\"id\":\"UBUNTU-CVE-2021-3782\",\"aliases\":[],\"upstream\":[\"CVE-2021-3782\"],"
	    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H\"},"
	    "{\"type\":\"Ubuntu\",\"score\":\"medium\"}],"
	    "\"affected\":[{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"wayland\"},"
	    "\"versions\":[\"1.20.0-1\"]}]}",
	    /* The older one: the priority per affected entry, the CVE only in "related". */
	    "{\"id\":\"UBUNTU-CVE-2023-4911\",\"aliases\":[],\"related\":[\"CVE-2023-4911\",\"USN-6409-1\"],"
	    "\"affected\":[{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"glibc\"},"
	    "\"versions\":[\"2.35-0ubuntu3\"],\"ecosystem_specific\":{\"ubuntu_priority\":\"high\"}}]}",
	    /* A notice for one CVE is that CVE; one for several is none of them. */
	    "{\"id\":\"USN-5614-1\",\"upstream\":[\"UBUNTU-CVE-2021-3782\"],"
	    "\"affected\":[{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"wayland\"},"
	    "\"versions\":[\"1.20.0-1\"]}]}",
	    "{\"id\":\"USN-6409-1\",\"upstream\":[\"UBUNTU-CVE-2023-4527\",\"UBUNTU-CVE-2023-4911\"],"
	    "\"affected\":[{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"glibc\"},"
	    "\"versions\":[\"2.35-0ubuntu3\"]}]}",
	    /* An upstream ID already among the aliases, or the record's own, is not added twice. */
	    "{\"id\":\"GHSA-2\",\"aliases\":[\"CVE-2024-2\"],\"upstream\":[\"CVE-2024-2\"]}",
	    "{\"id\":\"GHSA-3\",\"upstream\":[\"GHSA-3\"]}", NULL};
	struct strbuf out = STRBUF_INIT;
	char *bytes;
	struct vulndb *db = build(docs, &bytes);

	if (db) {
		/* Advisories with details (a severity, aliases) come first in the file. */
		CHECK_STR(advisories(db, &out), "UBUNTU-CVE-2021-3782[medium](CVE-2021-3782)"
						"UBUNTU-CVE-2023-4911[high]()"
						"USN-5614-1[](UBUNTU-CVE-2021-3782)"
						"GHSA-2[](CVE-2024-2)"
						"USN-6409-1[]()"
						"GHSA-3[]()");
		vulndb_close(db);
	}
	free(bytes);
	strbuf_release(&out);
}

TEST(vulndb_osv_rejects_bad_upstream)
{
	static const char *const bad[] = {
	    "{\"id\":\"X-1\",\"upstream\":\"CVE-1\"}",
	    "{\"id\":\"X-1\",\"upstream\":[3]}",
	    "{\"id\":\"X-1\",\"upstream\":[\"CVE-1\",{}]}",
	};
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vulndb_builder *b = vulndb_builder_new();

		strbuf_reset(&err);
		CHECK_INT(vulndb_import_osv_buffer(b, bad[i], strlen(bad[i]), "broken.json", &err),
			  ERR_BAD_INPUT);
		CHECK(strstr(err.buf, "broken.json") && strstr(err.buf, "upstream"));
		vulndb_builder_free(b);
	}
	strbuf_release(&err);
}

/* The finding for package index pkg with display ID id, or NULL. */
static const struct finding *find(const struct match_fixture *f, size_t pkg, const char *id)
{
	for (size_t i = 0; f->res && i < f->res->nr_findings; i++)
		if (f->res->findings[i].package == pkg && !strcmp(f->res->findings[i].id, id))
			return &f->res->findings[i];
	return NULL;
}

/* Canonical's real records: the priority is the distribution severity, and one upstream CVE merges. */
TEST(vulndb_osv_shared_ubuntu_records)
{
	struct strbuf err = STRBUF_INIT;
	struct match_fixture f;
	const struct finding *fi;
	const char *path = catalog_fixture_shared_path("osv/Ubuntu");
	int ret;

	if (!path)
		return;
	match_fixture_init(&f, "ubuntu", "22.04");
	ret = vulndb_import_source(f.builder, path, NULL, &err);
	if (ret)
		fprintf(stderr, "  %s\n", err.buf);
	CHECK_INT(ret, 0);
	match_fixture_package(&f, "deb", "libwayland-client0", "1.20.0-1", "wayland", NULL);
	match_fixture_package(&f, "deb", "libc6", "2.35-0ubuntu3", "glibc", NULL);
	match_fixture_package(&f, "deb", "libc-bin", "2.35-0ubuntu3.4", "glibc", NULL);
	match_fixture_run(&f);

	/* UBUNTU-CVE-2021-3782 and USN-5614-1 (one upstream each) are one finding under the CVE. */
	fi = find(&f, 0, "CVE-2021-3782");
	CHECK(fi != NULL);
	if (fi) {
		CHECK_INT(fi->nr_aliases, 2);
		CHECK_STR(fi->fixed_version, "1.20.0-1ubuntu0.1");
		CHECK_INT(fi->severity, SEVERITY_MEDIUM);
		CHECK_INT(fi->severity_source, SEVERITY_FROM_DISTRIBUTION);
	}
	/* The older record keeps "ubuntu_priority", and its CVE only in "related": its own ID. */
	fi = find(&f, 1, "UBUNTU-CVE-2023-4911");
	CHECK(fi != NULL);
	if (fi) {
		CHECK_INT(fi->nr_aliases, 0);
		CHECK_INT(fi->severity, SEVERITY_HIGH);
		CHECK_INT(fi->severity_source, SEVERITY_FROM_DISTRIBUTION);
	}
	/* USN-6409-1 fixes two CVEs: its own finding, chaining neither. */
	fi = find(&f, 1, "USN-6409-1");
	CHECK(fi != NULL);
	if (fi)
		CHECK_INT(fi->nr_aliases, 0);
	/* At the fixed version: nothing. */
	CHECK(!find(&f, 2, "UBUNTU-CVE-2023-4911") && !find(&f, 2, "USN-6409-1"));
	match_fixture_release(&f);
	strbuf_release(&err);
}

/* A range with no events is legal OSV; building it once offset a NULL event array. */
TEST(vulndb_osv_range_without_events)
{
	static const char *const docs[] = {
		"{\"id\": \"OSV-EMPTY-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\": "
		"{\"ecosystem\": \"npm\", \"name\": \"left-pad\"}, \"ranges\": [{\"type\": \"SEMVER\", \"events\": "
		"[]}]}]}",
		NULL,
	};
	char *bytes;
	struct vulndb *db = build(docs, &bytes);
	struct vulndb_info info;

	CHECK(db != NULL);
	if (db) {
		vulndb_get_info(db, &info);
		CHECK_INT(info.nr_advisories, 1);
		vulndb_close(db);
	}
	free(bytes);
}
