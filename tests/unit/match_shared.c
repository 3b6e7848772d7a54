/* Unit tests for matching against the real advisories in ../shared/data (tracker, secdb, OSV npm). */
#include <stdlib.h>

#include "catalog_fixture.h"
#include "match_fixture.h"
#include "test.h"

/* Import a source below ../shared/data into the fixture's builder; 0 when the data is missing (test skipped).
 */
static int import_shared(struct match_fixture *f, const char *rel)
{
	struct strbuf err = STRBUF_INIT;
	const char *path = catalog_fixture_shared_path(rel);
	int ret;

	if (!path)
		return 0;
	ret = vulndb_import_source(f->builder, path, NULL, &err);
	if (ret)
		fprintf(stderr, "  %s\n", err.buf);
	CHECK_INT(ret, 0);
	strbuf_release(&err);
	return !ret;
}

/* The finding for package index pkg with display ID id, or NULL. */
static const struct finding *find(const struct match_fixture *f, size_t pkg, const char *id)
{
	for (size_t i = 0; f->res && i < f->res->nr_findings; i++)
		if (f->res->findings[i].package == pkg && !strcmp(f->res->findings[i].id, id))
			return &f->res->findings[i];
	return NULL;
}

static size_t count_for(const struct match_fixture *f, size_t pkg)
{
	size_t n = 0;

	for (size_t i = 0; f->res && i < f->res->nr_findings; i++)
		n += f->res->findings[i].package == pkg;
	return n;
}

TEST(match_shared_debian_tracker)
{
	struct match_fixture f;
	const struct finding *fi;

	match_fixture_init(&f, "debian", "12");
	if (!import_shared(&f, "debian-tracker/osvdev-debian_security_tracker_mock.json")) {
		match_fixture_release(&f);
		return;
	}
	/* bookworm's own version: only the open issue; the resolved ones are fixed or never applied ("0"). */
	match_fixture_package(&f, "deb", "apparmor", "3.0.8-3", NULL, NULL);
	/* An older build: CVE-2017-6507 (fixed in 2.11.0-3) applies too. */
	match_fixture_package(&f, "deb", "libapparmor1", "2.10.95-8", "apparmor", NULL);
	match_fixture_run(&f);
	CHECK_INT(count_for(&f, 0), 1);
	fi = find(&f, 0, "CVE-2016-1585");
	CHECK(fi != NULL);
	if (fi) {
		CHECK_STR(fi->fixed_version, NULL);
		/* The tracker's "unimportant" (its only rated urgency here) is the distribution's low. */
		CHECK_INT(fi->severity_source, SEVERITY_FROM_DISTRIBUTION);
		CHECK_INT(fi->severity, SEVERITY_LOW);
	}
	CHECK_INT(count_for(&f, 1), 2);
	fi = find(&f, 1, "CVE-2017-6507");
	CHECK(fi != NULL);
	if (fi) {
		CHECK_STR(fi->fixed_version, "2.11.0-3");
		CHECK_STR(fi->ecosystem, "Debian:12");
	}
	CHECK(!find(&f, 1, "CVE-2014-1424"));
	CHECK_INT(f.res->warnings.nr, 0);
	match_fixture_release(&f);
}

TEST(match_shared_alpine_secdb)
{
	struct match_fixture f;
	const struct finding *fi;

	match_fixture_init(&f, "alpine", "3.19.4");
	if (!import_shared(&f, "secdb/alpine/v3.19/main.json")) {
		match_fixture_release(&f);
		return;
	}
	match_fixture_package(&f, "apk", "aom-libs", "3.1.0-r0", "aom", NULL);
	match_fixture_package(&f, "apk", "aom", "3.1.1-r0", "aom", NULL);
	match_fixture_package(&f, "apk", "apk-tools", "2.12.5-r9", "apk-tools", NULL);
	match_fixture_run(&f);
	CHECK_INT(count_for(&f, 0), 3);
	fi = find(&f, 0, "CVE-2021-30473");
	CHECK(fi != NULL);
	if (fi) {
		CHECK_STR(fi->fixed_version, "3.1.1-r0");
		CHECK_STR(fi->ecosystem, "Alpine:v3.19");
	}
	/* At the fixed version: nothing. */
	CHECK_INT(count_for(&f, 1), 0);
	/* Past one fix (2.12.5-r0), before the next (2.12.6-r0). */
	CHECK_INT(count_for(&f, 2), 1);
	fi = find(&f, 2, "CVE-2021-36159");
	CHECK(fi != NULL);
	if (fi)
		CHECK_STR(fi->fixed_version, "2.12.6-r0");
	CHECK_INT(f.res->warnings.nr, 0);
	match_fixture_release(&f);
}

TEST(match_shared_osv_npm)
{
	struct match_fixture f;
	const struct finding *fi;

	match_fixture_init(&f, "debian", "12");
	if (!import_shared(&f, "osv/npm")) {
		match_fixture_release(&f);
		return;
	}
	match_fixture_package(&f, "npm", "lodash", "4.17.20", NULL, NULL);
	match_fixture_package(&f, "npm", "lodash", "4.17.21", NULL, NULL);
	/* A Debian package of the same name never meets npm advisories. */
	match_fixture_package(&f, "deb", "lodash", "4.17.20+dfsg-1", "node-lodash", NULL);
	match_fixture_package(&f, "deb", "node-lodash", "4.17.20+dfsg-1", NULL, NULL);
	match_fixture_run(&f);
	fi = find(&f, 0, "CVE-2021-23337");
	CHECK(fi != NULL);
	if (fi) {
		CHECK_STR(fi->fixed_version, "4.17.21");
		CHECK_INT(fi->nr_aliases, 1);
		if (fi->nr_aliases == 1)
			CHECK_STR(fi->aliases[0], "GHSA-35jh-r3h4-6jhm");
		CHECK_INT(fi->severity_source, SEVERITY_FROM_CVSS);
		CHECK_STR(fi->title, "Command Injection in lodash");
	}
	CHECK(!find(&f, 1, "CVE-2021-23337"));
	CHECK_INT(count_for(&f, 2), 0);
	CHECK_INT(count_for(&f, 3), 0);
	match_fixture_release(&f);
}
