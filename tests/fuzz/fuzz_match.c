/* libFuzzer target for matching: a fuzzed OSV record against fixed packages of every ecosystem. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "match/match.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* type, name, version, source name, source version: what the catalogers would have found. */
static const char *const debian_packages[][5] = {
    /* Sorted by type and name, as catalog_build() leaves them. */
    {"cargo", "serde", "1.0.100", NULL, NULL},
    {"composer", "symfony/http", "v6.2.0-RC1", NULL, NULL},
    {"deb", "curl", "7.88.1-10+deb12u4", "curl", "7.88.1-10+deb12u4"},
    {"deb", "libc6", "2.36-9+deb12u3", "glibc", "2.36-9+deb12u3"},
    {"deb", "login", "1:4.13+dfsg1-1+b1", "shadow", "1:4.13+dfsg1-1"},
    {"deb", "tzdata", "2024a-0+deb12u1", NULL, NULL},
    {"gem", "rails", "7.0.4.rc1", NULL, NULL},
    {"golang", "github.com/x/y", "v1.2.3+incompatible", NULL, NULL},
    {"maven", "org.x:y", "1.0-SNAPSHOT", NULL, NULL},
    {"npm", "@babel/core", "7.0.0-beta.44", NULL, NULL},
    {"npm", "lodash", "4.17.20", NULL, NULL},
    {"nuget", "Newtonsoft.Json", "13.0.1", NULL, NULL},
    {"pypi", "Django", "4.2.1", NULL, NULL},
    {"pypi", "zope.interface", "1!2.0.post1.dev3+local.7", NULL, NULL},
};
static const char *const alpine_packages[][5] = {
    {"apk", "busybox", "1.36.1-r15", "busybox", "1.36.1-r15"},
    {"apk", "libcrypto3", "3.1.4-r5", "openssl", "3.1.4-r5"},
    {"apk", "zlib", "1.3_p1-r0", NULL, NULL},
};

/*
 * The catalog: the fixed packages, whose versions are replaced in order by
 * the lines of versions (may be NULL) so that installed versions are as
 * hostile as the record's.
 */
static void fill_catalog(struct catalog *cat, const char *const (*pkgs)[5], size_t nr, char *versions)
{
	for (size_t i = 0; i < nr; i++) {
		struct package *p = package_list_append(&cat->packages);
		char *line = versions;

		p->type = pkgs[i][0];
		p->name = pkgs[i][1];
		p->version = pkgs[i][2];
		p->source_name = pkgs[i][3];
		p->source_version = pkgs[i][4];
		p->path = "fuzz";
		p->layer = (int)i;
		if (line) {
			versions = strchr(line, '\n');
			if (versions)
				*versions++ = '\0';
			p->version = line;
			if (p->source_version)
				p->source_version = line;
		}
	}
}

static void match_once(const struct vulndb *db, const char *os_id, const char *version_id,
		       const char *const (*pkgs)[5], size_t nr, char *versions)
{
	struct catalog cat;
	struct match_result *res = NULL;
	struct strbuf err = STRBUF_INIT;

	memset(&cat, 0, sizeof(cat));
	cat.os.id = os_id;
	cat.os.version_id = version_id;
	fill_catalog(&cat, pkgs, nr, versions);
	if (match_catalog(&cat, db, &res, &err) == 0) {
		size_t counted = 0;

		for (size_t i = 0; i < res->nr_findings; i++) {
			const struct finding *f = &res->findings[i];

			if (f->package >= cat.packages.nr || !f->id || !*f->id)
				abort();
			if (i && f->severity > res->findings[i - 1].severity)
				abort(); /* sorted, most severe first */
			/* Touch every string, so a view past the mapping shows up under ASan. */
			if (f->fixed_version && strlen(f->fixed_version) > (1u << 30))
				abort();
			/* The other IDs: sorted, each once, without the display ID. */
			for (size_t a = 0; a < f->nr_aliases; a++)
				if (!strcmp(f->aliases[a], f->id) ||
				    (a && strcmp(f->aliases[a - 1], f->aliases[a]) >= 0))
					abort();
		}
		for (size_t s = 0; s < SEVERITY_COUNT; s++)
			counted += res->counts[s];
		if (counted != res->nr_findings)
			abort();
		/* Not one line each: a comparator's message quotes the hostile version as it is. */
		for (size_t w = 0; w < res->warnings.nr; w++)
			if (!*res->warnings.msgs[w])
				abort();
		match_result_free(res);
	} else if (!err.len || strchr(err.buf, '\n')) {
		abort();
	}
	package_list_release(&cat.packages);
	warnings_release(&cat.warnings);
	arena_release(&cat.arena);
	strbuf_release(&err);
}

/*
 * The input is an OSV JSON record, then optionally a NUL byte and the
 * installed versions, one a line, for the Debian catalog then the Alpine
 * one. The record is imported, written and opened as a one-record database,
 * then matched against both catalogs.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t json_len = nul ? (size_t)(nul - data) : size;
	char *json = xmemdup(size ? data : (const uint8_t *)"", json_len);
	char *versions = nul ? xmemdup(nul + 1, size - json_len - 1) : NULL;
	char *alpine_versions = NULL;
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	char *bytes = NULL;
	size_t db_size = 0;
	FILE *fp;

	vulndb_builder_begin_source(b, "fuzz");
	if (vulndb_import_osv_buffer(b, json, json_len, "fuzz.json", &err) != 0) {
		if (!err.len)
			abort(); /* says why; it may quote a hostile ID, newlines and all */
		goto out;
	}
	fp = open_memstream(&bytes, &db_size);
	if (!fp || vulndb_builder_write(b, fp, 1700000000, &err) != 0)
		abort();
	fclose(fp);
	if (vulndb_open_mem(bytes, db_size, "fuzz.db", &db, &err) != 0)
		abort(); /* whatever the import kept must open */
	if (versions) {
		/* The lines after the Debian catalog's belong to the Alpine one. */
		char *p = versions;
		size_t n = 0;

		while (p && n < sizeof(debian_packages) / sizeof(debian_packages[0])) {
			p = strchr(p, '\n');
			if (p)
				p++;
			n++;
		}
		if (p && *p)
			alpine_versions = xstrdup(p);
	}
	match_once(db, "debian", "12", debian_packages, sizeof(debian_packages) / sizeof(debian_packages[0]),
		   versions);
	match_once(db, "alpine", "3.19.1", alpine_packages,
		   sizeof(alpine_packages) / sizeof(alpine_packages[0]), alpine_versions);
	vulndb_close(db);
out:
	vulndb_builder_free(b);
	strbuf_release(&err);
	free(bytes);
	free(json);
	free(versions);
	free(alpine_versions);
	return 0;
}
