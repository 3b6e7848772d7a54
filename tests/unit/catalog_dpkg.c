/* Unit tests for the dpkg cataloger: real databases, status rules, purls and hostile input. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "catalog_fixture.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char debian12_os_release[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
					  "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

static struct catalog *dpkg_catalog_of(struct image *img, const char *path, const char *text)
{
	if (path)
		catalog_fixture_add_text(img, path, text, -1);
	catalog_fixture_image_finish(img);
	return catalog_fixture_catalog(img);
}

/* Build an image from a shared fixture folder and compare with its expected.json. */
static void check_dpkg_fixture(const char *name, const char *os_release, size_t want_count)
{
	struct strbuf rel = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	struct catalog_fixture_expect *want = NULL;
	struct image *img;
	struct catalog *cat;
	const char *dir;
	long n;

	strbuf_addf(&rel, "pkgdb/dpkg/%s", name);
	dir = catalog_fixture_shared_path(rel.buf);
	strbuf_release(&rel);
	if (!dir)
		return;
	img = catalog_fixture_image_new();
	CHECK(catalog_fixture_load_dir(img, dir, -1) > 0);
	strbuf_addf(&rel, "%s/expected.json", dir);
	n = catalog_fixture_load_expected(rel.buf, &a, &want);
	strbuf_release(&rel);
	CHECK_INT(n, want_count);
	if (os_release)
		catalog_fixture_add_text(img, "etc/os-release", os_release, -1);
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat && n > 0) {
		catalog_fixture_check_expected(cat, "deb", want, (size_t)n);
		CHECK_INT(cat->warnings.nr, 0);
		for (size_t i = 0; i < cat->packages.nr; i++) {
			const struct package *p = &cat->packages.items[i];

			CHECK_STR(p->cataloger, "dpkg");
			CHECK(p->purl && !strncmp(p->purl, "pkg:deb/debian/", 15));
			CHECK(p->path && !strncmp(p->path, "var/lib/dpkg/status", 19));
			CHECK_INT(p->layer, -1);
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	free(want);
	arena_release(&a);
}

TEST(dpkg_fixture_scalibr_debian12)
{
	struct image *img;
	struct catalog *cat;
	const char *dir;

	check_dpkg_fixture("scalibr-debian12-status", debian12_os_release, 7);

	dir = catalog_fixture_shared_path("pkgdb/dpkg/scalibr-debian12-status");
	if (!dir)
		return;
	img = catalog_fixture_image_new();
	catalog_fixture_load_dir(img, dir, -1);
	catalog_fixture_add_text(img, "etc/os-release", debian12_os_release, -1);
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat) {
		const struct package *p = catalog_fixture_find(cat, "util-linux-extra", NULL, NULL);
		const struct package *attr = catalog_fixture_find(cat, "attr", NULL, NULL);

		CHECK(p != NULL);
		if (p)
			CHECK_STR(
			    p->purl,
			    "pkg:deb/debian/util-linux-extra@2.38.1-5%2Bb1?arch=amd64&distro=debian-12");
		CHECK(attr != NULL);
		if (attr)
			CHECK_STR(attr->purl, "pkg:deb/debian/attr@1%3A2.5.1-4?arch=amd64&distro=debian-12");
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_fixture_trivy_ubuntu)
{
	check_dpkg_fixture("trivy-ubuntu-status", NULL, 90);
}

TEST(dpkg_fixture_syft_statusd_coreutils)
{
	check_dpkg_fixture("syft-debian12-statusd-coreutils", NULL, 9);
}

TEST(dpkg_fixture_syft_distroless)
{
	struct image *img;
	struct catalog *cat;
	const char *dir;

	check_dpkg_fixture("syft-distroless-statusd", NULL, 1);

	/* The .md5sums and .preinst files beside the stanza are not packages. */
	dir = catalog_fixture_shared_path("pkgdb/dpkg/syft-distroless-statusd");
	if (!dir)
		return;
	img = catalog_fixture_image_new();
	CHECK_INT(catalog_fixture_load_dir(img, dir, -1), 1);
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat) {
		const struct package *p = catalog_fixture_find(cat, "libsqlite3-0", "3.34.1-3", NULL);

		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->source_name, "sqlite3");
			CHECK_STR(p->source_version, "3.34.1-3");
			CHECK_STR(p->path, "var/lib/dpkg/status.d/libsqlite3-0");
			CHECK_STR(p->purl, "pkg:deb/debian/libsqlite3-0@3.34.1-3?arch=arm64");
			CHECK(p->license == NULL);
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_wants_paths)
{
	const struct cataloger *c = &cataloger_dpkg;

	CHECK(c->wants("var/lib/dpkg/status"));
	CHECK(c->wants("var/lib/dpkg/status.d/base-files"));
	CHECK(c->wants("var/lib/dpkg/status.d/python3.11"));
	CHECK(!c->wants("var/lib/dpkg/status.d/base-files.md5sums"));
	CHECK(!c->wants("var/lib/dpkg/status.d/libc6.list"));
	CHECK(!c->wants("var/lib/dpkg/status.d/libc6.postinst"));
	CHECK(!c->wants("var/lib/dpkg/status.d/libc6.conffiles"));
	CHECK(!c->wants("var/lib/dpkg/status.d/"));
	CHECK(!c->wants("var/lib/dpkg/status.d/sub/dir"));
	CHECK(!c->wants("var/lib/dpkg/status-old"));
	CHECK(!c->wants("var/lib/dpkg/status.d"));
	CHECK(!c->wants("usr/var/lib/dpkg/status"));
}

static const char status_states[] =
	"Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
	"Package: held\nStatus: hold ok installed\nVersion: 2\nArchitecture: amd64\n\n"
	"Package: removed\nStatus: deinstall ok config-files\nVersion: 3\n\n"
	"Package: half\nStatus: install reinstreq half-installed\nVersion: 4\n\n"
	"Package: trig\nStatus: install ok triggers-pending\nVersion: 5\n\n"
	"Package: gone\nStatus: purge ok not-installed\n\n"
	"Package: unpacked\nStatus: install ok unpacked\nVersion: 6\n\n"
	"package: lower\nstatus: install ok installed\nversion: 7\n"
	"Description: multi\n line one\n .\n line two\n";

TEST(dpkg_status_rules)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat = dpkg_catalog_of(img, "var/lib/dpkg/status", status_states);

	if (cat) {
		CHECK_INT(cat->packages.nr, 4);
		CHECK(catalog_fixture_find(cat, "a", "1", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "held", "2", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "trig", "5", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "lower", "7", NULL) != NULL);
		CHECK_INT(cat->warnings.nr, 0);
		/* Sorted by name within the type. */
		if (cat->packages.nr == 4) {
			CHECK_STR(cat->packages.items[0].name, "a");
			CHECK_STR(cat->packages.items[3].name, "trig");
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_source_field_forms)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat = dpkg_catalog_of(
	    img, "var/lib/dpkg/status",
	    "Package: a\nStatus: install ok installed\nVersion: 1.0-1+b1\nSource: srca\n\n"
	    "Package: b\nStatus: install ok installed\nVersion: 1.0-1+b1\nSource: srcb (1.0-1)\n\n"
	    "Package: c\nStatus: install ok installed\nVersion: 3\nSource:   srcc   (  2:1.0-1  )  \n\n"
	    "Package: d\nStatus: install ok installed\nVersion: 4\nSource: srcd (broken\n\n"
	    "Package: e\nStatus: install ok installed\nVersion: 5\n");

	if (cat) {
		const struct package *p;

		CHECK_INT(cat->packages.nr, 5);
		if ((p = catalog_fixture_find(cat, "a", NULL, NULL))) {
			CHECK_STR(p->source_name, "srca");
			CHECK_STR(p->source_version, "1.0-1+b1");
		}
		if ((p = catalog_fixture_find(cat, "b", NULL, NULL))) {
			CHECK_STR(p->source_name, "srcb");
			CHECK_STR(p->source_version, "1.0-1");
		}
		if ((p = catalog_fixture_find(cat, "c", NULL, NULL))) {
			CHECK_STR(p->source_name, "srcc");
			CHECK_STR(p->source_version, "2:1.0-1");
		}
		if ((p = catalog_fixture_find(cat, "d", NULL, NULL))) {
			CHECK_STR(p->source_name, "srcd");
			CHECK_STR(p->source_version, "broken");
		}
		if ((p = catalog_fixture_find(cat, "e", NULL, NULL))) {
			CHECK_STR(p->source_name, "e");
			CHECK_STR(p->source_version, "5");
			CHECK(p->arch == NULL);
			CHECK_STR(p->purl, "pkg:deb/debian/e@5");
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_purl_follows_os)
{
	static const char stanza[] = "Package: bash\nStatus: install ok installed\nVersion: 5.1-6ubuntu1\n"
				     "Architecture: amd64\n";
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "etc/os-release",
				 "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n", -1);
	cat = dpkg_catalog_of(img, "var/lib/dpkg/status", stanza);
	if (cat && cat->packages.nr == 1)
		CHECK_STR(cat->packages.items[0].purl,
			  "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04");
	catalog_free(cat);
	catalog_fixture_image_free(img);

	/* Debian testing has a codename and no VERSION_ID. */
	img = catalog_fixture_image_new();
	catalog_fixture_add_text(img, "etc/os-release", "ID=debian\nVERSION_CODENAME=trixie\n", -1);
	cat = dpkg_catalog_of(img, "var/lib/dpkg/status", stanza);
	if (cat && cat->packages.nr == 1)
		CHECK_STR(cat->packages.items[0].purl,
			  "pkg:deb/debian/bash@5.1-6ubuntu1?arch=amd64&distro=debian-trixie");
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_statusd_without_status_is_installed)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12.4\n",
				 -1);
	catalog_fixture_add_text(img, "var/lib/dpkg/status.d/old",
				 "Package: old\nVersion: 1\nStatus: deinstall ok config-files\n", -1);
	catalog_fixture_add_text(img, "var/lib/dpkg/status.d/base.md5sums", "0123  usr/share/x\n", -1);
	/* In the main status file a stanza without Status is damage, not an installed package. */
	cat = dpkg_catalog_of(img, "var/lib/dpkg/status", "Package: nostatus\nVersion: 1\n");
	if (cat) {
		CHECK_INT(cat->packages.nr, 1);
		CHECK(catalog_fixture_find(cat, "base-files", "12.4", NULL) != NULL);
		CHECK_INT(cat->warnings.nr, 1);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0], "'var/lib/dpkg/status'") &&
			      strstr(cat->warnings.msgs[0], "no Status"));
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_bad_stanzas_are_skipped_with_a_warning)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat =
	    dpkg_catalog_of(img, "var/lib/dpkg/status",
			    "Package: good1\nStatus: install ok installed\nVersion: 1\n\n"
			    "Status: install ok installed\nVersion: 1\n\n"
			    "Package: nover\nStatus: install ok installed\n\n"
			    "Package: junk\nStatus: install ok installed\nVersion: 1\nthis is junk\n\n"
			    " leading continuation\nPackage: cont\nVersion: 1\n\n"
			    "Package: good2\nStatus: install ok installed\nVersion: 2\n");

	if (cat) {
		CHECK_INT(cat->packages.nr, 2);
		CHECK(catalog_fixture_find(cat, "good1", "1", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "good2", "2", NULL) != NULL);
		CHECK_INT(cat->warnings.nr, 1);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0],
				     "skipped 4 stanzas; the first, at line 5, has no Package"));
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(dpkg_hostile_input)
{
	struct image *img;
	struct catalog *cat;
	unsigned char garbage[4096];
	size_t big = 8u << 20;
	struct strbuf sb = STRBUF_INIT;
	unsigned int seed = 12345;

	/* An empty status file is what debootstrap starts from: no packages, nothing wrong. */
	img = catalog_fixture_image_new();
	cat = dpkg_catalog_of(img, "var/lib/dpkg/status", "");
	if (cat) {
		CHECK_INT(cat->packages.nr, 0);
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	for (size_t i = 0; i < sizeof(garbage); i++) {
		seed = seed * 1103515245 + 12345;
		garbage[i] = (unsigned char)(seed >> 16);
	}
	img = catalog_fixture_image_new();
	catalog_fixture_add_file(img, "var/lib/dpkg/status", garbage, sizeof(garbage), -1);
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat) {
		CHECK_INT(cat->packages.nr, 0);
		CHECK_INT(cat->warnings.nr, 1);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	/* A huge Description, CRLF endings, no final newline, a NUL in a stanza and bad UTF-8. */
	strbuf_addstr(&sb, "Package: big\r\nStatus: install ok installed\r\nVersion: 1\r\nDescription: x");
	strbuf_grow(&sb, big);
	memset(sb.buf + sb.len, 'y', big);
	sb.len += big;
	strbuf_addstr(&sb, "\r\n\r\nPackage: nul\nStatus: install ok installed\nVersion: 1\nX: a");
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, "b\n\nPackage: bad\xff\nStatus: install ok installed\nVersion: 1\xc3");
	img = catalog_fixture_image_new();
	catalog_fixture_add_file(img, "var/lib/dpkg/status", sb.buf, sb.len, -1);
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat) {
		CHECK_INT(cat->packages.nr, 2);
		CHECK(catalog_fixture_find(cat, "big", "1", NULL) != NULL);
		CHECK(catalog_fixture_find(cat, "bad\xef\xbf\xbd", "1\xef\xbf\xbd", NULL) != NULL);
		CHECK_INT(cat->warnings.nr, 1);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0], "NUL") != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	strbuf_release(&sb);
}

TEST(dpkg_truncated_file_warns)
{
	struct image *img = catalog_fixture_image_new();
	struct fs_file *f = catalog_fixture_add_text(
	    img, "var/lib/dpkg/status",
	    "Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\n", -1);
	struct catalog *cat;

	f->truncated = 1;
	f->real_size = 1000;
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat) {
		CHECK_INT(cat->packages.nr, 1);
		CHECK_INT(cat->warnings.nr, 2);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0], "truncated file 'var/lib/dpkg/status'") != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

static int strcmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* This machine's own dpkg database against dpkg-query: no package missing, none extra. */
TEST(dpkg_host_database_matches_dpkg_query)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	struct image *img;
	struct catalog *cat;
	char line[4096];
	size_t size, nr_want = 0;
	char *status = catalog_fixture_read_file("/var/lib/dpkg/status", &size);
	FILE *fp;

	if (!status) {
		test_skip("no /var/lib/dpkg/status on this machine");
		return;
	}
	fp = popen("dpkg-query --admindir=/var/lib/dpkg -W -f "
		   "'${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n' 2>/dev/null | "
		   "LC_ALL=C sort",
		   "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		char *tab = strchr(line, '\t');
		size_t state_len = tab ? (size_t)(tab - line) : 0;

		if (!tab)
			continue;
		/* The same states the cataloger counts as installed; see dpkg.c. */
		if ((state_len == 9 && !strncmp(line, "installed", 9)) || !strncmp(line, "triggers-", 9)) {
			strbuf_addstr(&want, tab + 1);
			nr_want++;
		}
	}
	if (!fp || pclose(fp) != 0 || !nr_want) {
		free(status);
		strbuf_release(&want);
		test_skip("dpkg-query is not available");
		return;
	}

	img = catalog_fixture_image_new();
	catalog_fixture_add_file(img, "var/lib/dpkg/status", status, size, -1);
	free(status);
	cat = dpkg_catalog_of(img, NULL, NULL);
	if (cat) {
		char **lines = xcalloc(cat->packages.nr + 1, sizeof(*lines));

		for (size_t i = 0; i < cat->packages.nr; i++) {
			const struct package *p = &cat->packages.items[i];
			struct strbuf one = STRBUF_INIT;

			strbuf_addf(&one, "%s\t%s\t%s\n", p->name, p->version, p->arch ? p->arch : "");
			lines[i] = strbuf_detach(&one, NULL);
		}
		/* Same order as LC_ALL=C sort: plain byte order of whole lines. */
		qsort(lines, cat->packages.nr, sizeof(*lines), strcmp_lines);
		for (size_t i = 0; i < cat->packages.nr; i++) {
			strbuf_addstr(&got, lines[i]);
			free(lines[i]);
		}
		free(lines);
		CHECK_INT(cat->packages.nr, nr_want);
		CHECK_INT(cat->warnings.nr, 0);
		if (strcmp(got.buf, want.buf)) {
			fprintf(stderr, "  the inventory differs from dpkg-query\n");
			test_failed = 1;
		}
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
	strbuf_release(&want);
	strbuf_release(&got);
}
