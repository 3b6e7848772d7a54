/* Unit tests for what each report writer prints, from a hand-built image and catalog. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report_fixture.h"
#include "test.h"
#include "util/error.h"
#include "util/utf8.h"

static cJSON *render_json(const struct report_writer *w, const struct report_input *in)
{
	int ret;
	char *text = report_render(w, in, &ret);
	cJSON *doc;

	CHECK_INT(ret, 0);
	CHECK(text && utf8_is_valid(text, strlen(text)));
	/* cJSON_Print output plus exactly one newline. */
	CHECK(text && strlen(text) > 2 && text[strlen(text) - 1] == '\n' && text[strlen(text) - 2] == '}');
	doc = text ? cJSON_Parse(text) : NULL;
	CHECK(doc != NULL);
	free(text);
	return doc;
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static const cJSON *at(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* The value of the first CycloneDX property with that name, or NULL. */
static const char *property(const cJSON *obj, const char *name)
{
	const cJSON *prop;

	cJSON_ArrayForEach(prop, at(obj, "properties"))
		if (str_at(prop, "name") && !strcmp(str_at(prop, "name"), name))
			return str_at(prop, "value");
	return NULL;
}

static size_t count_properties(const cJSON *obj, const char *name)
{
	const cJSON *prop;
	size_t n = 0;

	cJSON_ArrayForEach(prop, at(obj, "properties"))
		n += str_at(prop, "name") && !strcmp(str_at(prop, "name"), name);
	return n;
}

TEST(report_table_layout)
{
	static const char header[] =
		"Image: example/app:1.0  OS: Debian GNU/Linux 12 (bookworm)  Packages: 6\n\n";
	static const char warnings[] =
		"\nwarning: layer 1: skipped device node 'dev/null'\n"
		"warning: cannot parse 'var/lib/dpkg/status.d/x\xef\xbf\xbd': missing Package\n";
	struct report_fixture f;
	int ret;
	char *text, *line, *save = NULL;
	size_t version_col = 0, lines = 0;

	report_fixture_init(&f);
	text = report_render(&report_writer_table, &f.in, &ret);
	CHECK_INT(ret, 0);
	CHECK(utf8_is_valid(text, strlen(text)));
	/* Nothing from the image reaches the terminal as a control character. */
	CHECK(!strchr(text, '\x1b'));
	CHECK(!strchr(text, '\x07'));
	CHECK(!strncmp(text, header, strlen(header)));
	CHECK(strstr(text, "\nNAME ") != NULL);
	CHECK(strstr(text, "glibc") != NULL);
	CHECK(strstr(text, "evil?[31m\xef\xbf\xbd\xef\xbf\xbd") != NULL);
	CHECK(strstr(text, "0 (aaaa11111111)") != NULL);
	CHECK(strstr(text, warnings) != NULL);

	/* Columns are aligned: VERSION starts at the same column on every table line. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t col = 0, chars = 0;
		const char *p;

		if (!strncmp(line, "Image:", 6) || !strncmp(line, "warning:", 8))
			continue;
		lines++;
		CHECK(line[strlen(line) - 1] != ' ');
		/* The second column starts after the first run of two or more spaces. */
		for (p = line; *p; p++) {
			if (((unsigned char)*p & 0xc0) != 0x80)
				chars++;
			if (p[0] == ' ' && p[1] == ' ') {
				while (p[1] == ' ')
					p++, chars++;
				col = chars;
				break;
			}
		}
		if (!version_col)
			version_col = col;
		CHECK_INT(col, version_col);
	}
	CHECK_INT(lines, 1 + REPORT_FIXTURE_PACKAGES);
	free(text);
	report_fixture_release(&f);
}

TEST(report_table_empty)
{
	struct report_fixture f;
	int ret;
	char *text;

	report_fixture_init_empty(&f);
	text = report_render(&report_writer_table, &f.in, &ret);
	CHECK_INT(ret, 0);
	CHECK_STR(text, "Image: dir:/srv/rootfs  OS: unknown  Packages: 0\n");
	free(text);
	report_fixture_release(&f);
}

TEST(report_json_native)
{
	struct report_fixture f;
	cJSON *doc;
	const cJSON *image, *layers, *pkgs, *pkg;

	report_fixture_init(&f);
	doc = render_json(&report_writer_json, &f.in);
	CHECK_INT(cJSON_GetNumberValue(at(doc, "schema_version")), 1);
	CHECK_STR(str_at(at(doc, "tool"), "name"), "customs");
	CHECK_STR(str_at(doc, "created"), "2023-11-14T22:13:20Z");
	image = at(doc, "image");
	CHECK_STR(str_at(image, "source"), "app.tar");
	CHECK_STR(str_at(image, "kind"), image_kind_name(IMAGE_OCI_ARCHIVE));
	CHECK_STR(str_at(image, "digest"), f.img.digest);
	CHECK_STR(str_at(image, "config_digest"), f.img.config_digest);
	CHECK_STR(cJSON_GetArrayItem(at(image, "repo_tags"), 0)->valuestring, "example/app:1.0");
	layers = at(image, "layers");
	CHECK_INT(cJSON_GetArraySize(layers), 2);
	/* Sizes past 2^32 stay exact. */
	CHECK(cJSON_GetNumberValue(at(cJSON_GetArrayItem(layers, 1), "size")) == 6000000000.0);
	CHECK_STR(str_at(cJSON_GetArrayItem(layers, 1), "created_by"),
		  "RUN npm install \"@scope/pkg\" \xe2\x9c\x93");
	CHECK_STR(str_at(at(doc, "os"), "id"), "debian");
	CHECK_STR(str_at(at(doc, "os"), "version_codename"), "bookworm");

	pkgs = at(doc, "packages");
	CHECK_INT(cJSON_GetArraySize(pkgs), REPORT_FIXTURE_PACKAGES);
	pkg = cJSON_GetArrayItem(pkgs, 1);
	CHECK_STR(str_at(pkg, "name"), "libc6");
	CHECK_STR(str_at(pkg, "source_name"), "glibc");
	CHECK_STR(str_at(pkg, "arch"), "amd64");
	CHECK_STR(str_at(pkg, "path"), "/var/lib/dpkg/status");
	CHECK_INT(cJSON_GetNumberValue(at(pkg, "layer_index")), 0);
	CHECK_STR(str_at(pkg, "layer_diff_id"), f.layers[0].diff_id);
	CHECK(cJSON_IsNull(at(pkg, "license")));
	/* An out-of-range layer is unknown, not a crash. */
	pkg = cJSON_GetArrayItem(pkgs, 3);
	CHECK_STR(str_at(pkg, "name"), "evil\x1b[31m\xef\xbf\xbd\xef\xbf\xbd");
	CHECK(cJSON_IsNull(at(pkg, "layer_index")));
	CHECK(cJSON_IsNull(at(pkg, "layer_diff_id")));
	CHECK_INT(cJSON_GetArraySize(at(doc, "warnings")), 2);
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

TEST(report_cyclonedx_document)
{
	struct report_fixture f;
	cJSON *doc;
	const cJSON *meta, *comp, *comps, *lic;

	report_fixture_init(&f);
	doc = render_json(&report_writer_cyclonedx, &f.in);
	CHECK_STR(str_at(doc, "bomFormat"), "CycloneDX");
	CHECK_STR(str_at(doc, "specVersion"), "1.6");
	CHECK_STR(str_at(doc, "serialNumber"), "urn:uuid:" REPORT_FIXTURE_SERIAL);
	CHECK_INT(cJSON_GetNumberValue(at(doc, "version")), 1);

	meta = at(doc, "metadata");
	CHECK_STR(str_at(meta, "timestamp"), "2023-11-14T22:13:20Z");
	comp = cJSON_GetArrayItem(at(at(meta, "tools"), "components"), 0);
	CHECK_STR(str_at(comp, "type"), "application");
	CHECK_STR(str_at(comp, "name"), "customs");
	CHECK_STR(str_at(comp, "version"), "0.1.0");
	comp = at(meta, "component");
	CHECK_STR(str_at(comp, "type"), "container");
	CHECK_STR(str_at(comp, "name"), "example/app:1.0");
	CHECK_STR(str_at(comp, "version"), f.img.digest);
	CHECK_STR(str_at(cJSON_GetArrayItem(at(comp, "hashes"), 0), "content"), f.img.digest + 7);
	CHECK_STR(property(meta, "customs:image:digest"), f.img.digest);
	CHECK_STR(property(meta, "customs:os:id"), "debian");
	CHECK_STR(property(meta, "customs:os:version_id"), "12");
	CHECK_STR(property(meta, "customs:image:layer:1:diff_id"), f.layers[1].diff_id);
	CHECK_INT(count_properties(meta, "customs:warning"), 2);

	comps = at(doc, "components");
	CHECK_INT(cJSON_GetArraySize(comps), 1 + REPORT_FIXTURE_PACKAGES);
	comp = cJSON_GetArrayItem(comps, 0);
	CHECK_STR(str_at(comp, "type"), "operating-system");
	CHECK_STR(str_at(comp, "name"), "debian");
	CHECK_STR(str_at(comp, "version"), "12");
	CHECK_STR(str_at(comp, "description"), "Debian GNU/Linux 12 (bookworm)");

	comp = cJSON_GetArrayItem(comps, 2);
	CHECK_STR(str_at(comp, "type"), "library");
	CHECK_STR(str_at(comp, "name"), "libc6");
	CHECK_STR(str_at(comp, "purl"), f.cat.packages.items[1].purl);
	CHECK_STR(str_at(comp, "bom-ref"), f.cat.packages.items[1].purl);
	CHECK(at(comp, "licenses") == NULL);
	CHECK_STR(property(comp, "customs:source:name"), "glibc");
	CHECK_STR(property(comp, "customs:source:version"), "2.36-9+deb12u4");
	CHECK_STR(property(comp, "customs:layer:diff_id"), f.layers[0].diff_id);
	CHECK_STR(property(comp, "customs:layer:created_by"), f.layers[0].created_by);
	CHECK_STR(property(comp, "customs:location:path"), "/var/lib/dpkg/status");
	CHECK_STR(property(comp, "customs:package:type"), "deb");

	/* licenses: an expression alone, a known id as id, free text as name. */
	lic = cJSON_GetArrayItem(at(cJSON_GetArrayItem(comps, 3), "licenses"), 0);
	CHECK_STR(str_at(lic, "expression"), "(MIT OR Apache-2.0)");
	lic = cJSON_GetArrayItem(at(cJSON_GetArrayItem(comps, 5), "licenses"), 0);
	CHECK_STR(str_at(at(lic, "license"), "id"), "WTFPL");
	comp = cJSON_GetArrayItem(comps, 4);
	lic = cJSON_GetArrayItem(at(comp, "licenses"), 0);
	CHECK_STR(str_at(at(lic, "license"), "name"), "SEE LICENSE IN \xef\xbf\xbdLICENSE.md");
	CHECK(property(comp, "customs:layer:diff_id") == NULL);

	/* Every bom-ref is unique, the image's and the OS's included. */
	{
		const char *refs[3 + REPORT_FIXTURE_PACKAGES];
		size_t n = 0;
		refs[n++] = str_at(at(meta, "component"), "bom-ref");
		cJSON_ArrayForEach(comp, comps)
			refs[n++] = str_at(comp, "bom-ref");
		CHECK_INT(n, 2 + REPORT_FIXTURE_PACKAGES);
		for (size_t i = 0; i < n; i++) {
			CHECK(refs[i] && *refs[i]);
			for (size_t j = i + 1; j < n; j++)
				CHECK(refs[i] && refs[j] && strcmp(refs[i], refs[j]));
		}
	}
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

TEST(report_cyclonedx_bad_serial_left_out)
{
	struct report_fixture f;
	cJSON *doc;

	report_fixture_init_empty(&f);
	f.in.serial = "0B8E6F2A-3C1D-4E5F-9A7B-1C2D3E4F5A6B";
	doc = render_json(&report_writer_cyclonedx, &f.in);
	CHECK(at(doc, "serialNumber") == NULL);
	/* A rootfs has no digest: the container component has no version and no hash. */
	CHECK(at(at(at(doc, "metadata"), "component"), "version") == NULL);
	CHECK(at(at(at(doc, "metadata"), "component"), "hashes") == NULL);
	CHECK_STR(str_at(at(at(doc, "metadata"), "component"), "name"), "dir:/srv/rootfs");
	CHECK_INT(cJSON_GetArraySize(at(doc, "components")), 0);
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

/* Fields a damaged or hostile package database could produce. */
static void make_hostile(struct report_fixture *f)
{
	static char long_version[3000];

	memset(long_version, '7', sizeof(long_version) - 1);
	f->cat.packages.items[1].version = long_version;
	f->cat.os.version_id = long_version;
	f->cat.packages.items[3].name = "";
	f->cat.packages.items[3].purl = "pkg:npm/evil thing@1.0.0\n";
	f->cat.packages.items[2].purl = "pkg:npm";
	f->cat.packages.items[2].license = "MIT OR";
	f->cat.packages.items[0].source_name = "";
	f->img.repo_tags[0] = "\xff/../#?%";
}

static int spdx_id_ok(const char *id)
{
	if (!id || strncmp(id, "SPDXRef-", 8) || !id[8])
		return 0;
	return strspn(id + 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-") ==
	       strlen(id + 8);
}

TEST(report_spdx_document)
{
	struct report_fixture f;
	cJSON *doc;
	const cJSON *pkgs, *pkg, *rels, *rel, *ref;
	const char *ids[2 + REPORT_FIXTURE_PACKAGES];
	size_t n = 0, contains = 0;

	report_fixture_init(&f);
	doc = render_json(&report_writer_spdx, &f.in);
	CHECK_STR(str_at(doc, "spdxVersion"), "SPDX-2.3");
	CHECK_STR(str_at(doc, "dataLicense"), "CC0-1.0");
	CHECK_STR(str_at(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	CHECK_STR(str_at(doc, "name"), "example/app:1.0");
	CHECK_STR(str_at(doc, "documentNamespace"),
		  "https://customs.invalid/spdxdocs/example-app-1.0-" REPORT_FIXTURE_SERIAL);
	CHECK_STR(str_at(at(doc, "creationInfo"), "created"), "2023-11-14T22:13:20Z");
	CHECK_STR(cJSON_GetArrayItem(at(at(doc, "creationInfo"), "creators"), 0)->valuestring,
		  "Tool: customs-0.1.0");
	CHECK(strstr(str_at(doc, "comment"), "warning: layer 1: skipped device node") != NULL);

	pkgs = at(doc, "packages");
	CHECK_INT(cJSON_GetArraySize(pkgs), 2 + REPORT_FIXTURE_PACKAGES);
	cJSON_ArrayForEach(pkg, pkgs) {
		ids[n] = str_at(pkg, "SPDXID");
		CHECK(spdx_id_ok(ids[n]));
		for (size_t j = 0; j < n; j++)
			CHECK(strcmp(ids[j], ids[n]));
		CHECK_STR(str_at(pkg, "downloadLocation"), "NOASSERTION");
		CHECK(cJSON_IsFalse(at(pkg, "filesAnalyzed")));
		n++;
	}
	pkg = cJSON_GetArrayItem(pkgs, 0);
	CHECK_STR(str_at(pkg, "SPDXID"), "SPDXRef-Image");
	CHECK_STR(str_at(pkg, "primaryPackagePurpose"), "CONTAINER");
	CHECK_STR(str_at(cJSON_GetArrayItem(at(pkg, "checksums"), 0), "algorithm"), "SHA256");
	pkg = cJSON_GetArrayItem(pkgs, 1);
	CHECK_STR(str_at(pkg, "primaryPackagePurpose"), "OPERATING-SYSTEM");
	CHECK_STR(str_at(pkg, "versionInfo"), "12");

	pkg = cJSON_GetArrayItem(pkgs, 3);
	CHECK_STR(str_at(pkg, "name"), "libc6");
	CHECK(!strncmp(str_at(pkg, "SPDXID"), "SPDXRef-Package-deb-libc6-", 26));
	CHECK_STR(str_at(pkg, "sourceInfo"), "built from source package glibc 2.36-9+deb12u4");
	CHECK_STR(str_at(pkg, "licenseDeclared"), "NOASSERTION");
	CHECK(strstr(str_at(pkg, "comment"), "path: /var/lib/dpkg/status") != NULL);
	CHECK(strstr(str_at(pkg, "comment"), f.layers[0].diff_id) != NULL);
	ref = cJSON_GetArrayItem(at(pkg, "externalRefs"), 0);
	CHECK_STR(str_at(ref, "referenceCategory"), "PACKAGE-MANAGER");
	CHECK_STR(str_at(ref, "referenceType"), "purl");
	CHECK_STR(str_at(ref, "referenceLocator"), f.cat.packages.items[1].purl);

	CHECK_STR(str_at(cJSON_GetArrayItem(pkgs, 4), "licenseDeclared"), "(MIT OR Apache-2.0)");
	CHECK(!strncmp(str_at(cJSON_GetArrayItem(pkgs, 4), "SPDXID"), "SPDXRef-Package-npm--scope-pkg-", 31));
	pkg = cJSON_GetArrayItem(pkgs, 5);
	CHECK_STR(str_at(pkg, "licenseDeclared"), "NOASSERTION");
	CHECK_STR(str_at(pkg, "licenseComments"), "declared license: SEE LICENSE IN \xef\xbf\xbdLICENSE.md");

	rels = at(doc, "relationships");
	rel = cJSON_GetArrayItem(rels, 0);
	CHECK_STR(str_at(rel, "spdxElementId"), "SPDXRef-DOCUMENT");
	CHECK_STR(str_at(rel, "relationshipType"), "DESCRIBES");
	CHECK_STR(str_at(rel, "relatedSpdxElement"), "SPDXRef-Image");
	cJSON_ArrayForEach(rel, rels)
		contains += !strcmp(str_at(rel, "relationshipType"), "CONTAINS");
	CHECK_INT(contains, 1 + REPORT_FIXTURE_PACKAGES);
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

TEST(report_cyclonedx_hostile_fields)
{
	struct report_fixture f;
	cJSON *doc;
	const cJSON *comps, *comp;

	report_fixture_init(&f);
	make_hostile(&f);
	doc = render_json(&report_writer_cyclonedx, &f.in);
	comps = at(doc, "components");
	/* Versions past the schema's 1024 characters move to a property, whole. */
	comp = cJSON_GetArrayItem(comps, 2);
	CHECK(at(comp, "version") == NULL);
	CHECK_INT(strlen(property(comp, "customs:package:version")), 2999);
	comp = cJSON_GetArrayItem(comps, 0);
	CHECK(at(comp, "version") == NULL);
	CHECK_INT(strlen(property(comp, "customs:os:version_id")), 2999);
	CHECK_STR(str_at(cJSON_GetArrayItem(comps, 4), "name"), "unknown");
	/* An unparsable expression is kept as a license name. */
	comp = cJSON_GetArrayItem(at(cJSON_GetArrayItem(comps, 3), "licenses"), 0);
	CHECK_STR(str_at(at(comp, "license"), "name"), "MIT OR");
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

TEST(report_spdx_hostile_fields)
{
	struct report_fixture f;
	cJSON *doc;
	const cJSON *pkgs;

	report_fixture_init(&f);
	make_hostile(&f);
	doc = render_json(&report_writer_spdx, &f.in);
	pkgs = at(doc, "packages");
	/* Purls the reference validator would reject are left out, not written. */
	CHECK(at(cJSON_GetArrayItem(pkgs, 4), "externalRefs") == NULL);
	CHECK(at(cJSON_GetArrayItem(pkgs, 5), "externalRefs") == NULL);
	CHECK_STR(str_at(cJSON_GetArrayItem(pkgs, 5), "name"), "unknown");
	CHECK_STR(str_at(cJSON_GetArrayItem(pkgs, 4), "licenseDeclared"), "NOASSERTION");
	CHECK(at(cJSON_GetArrayItem(pkgs, 2), "sourceInfo") == NULL);
	CHECK_STR(str_at(doc, "documentNamespace"),
		  "https://customs.invalid/spdxdocs/--..-----" REPORT_FIXTURE_SERIAL);
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

TEST(report_spdx_empty_rootfs)
{
	struct report_fixture f;
	cJSON *doc;

	report_fixture_init_empty(&f);
	f.in.serial = NULL;
	doc = render_json(&report_writer_spdx, &f.in);
	CHECK_INT(cJSON_GetArraySize(at(doc, "packages")), 1);
	CHECK_INT(cJSON_GetArraySize(at(doc, "relationships")), 1);
	CHECK(!strncmp(str_at(doc, "documentNamespace"), "https://customs.invalid/spdxdocs/dir--srv-rootfs-",
		       49));
	CHECK(at(doc, "comment") == NULL);
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

/* The same input gives the same bytes: nothing depends on addresses, hashing order or the clock. */
TEST(report_writers_deterministic)
{
	struct report_fixture f, g;

	report_fixture_init(&f);
	report_fixture_init(&g);
	for (size_t i = 0; report_writers[i]; i++) {
		int r1, r2;
		char *a = report_render(report_writers[i], &f.in, &r1);
		char *b = report_render(report_writers[i], &g.in, &r2);
		CHECK_INT(r1, 0);
		CHECK_INT(r2, 0);
		CHECK_STR(a, b);
		free(a);
		free(b);
	}
	report_fixture_release(&f);
	report_fixture_release(&g);
}

TEST(report_writers_report_write_errors)
{
	struct report_fixture f;
	FILE *full = fopen("/dev/full", "w");

	if (!full) {
		test_skip("/dev/full is missing");
		return;
	}
	fclose(full);
	report_fixture_init(&f);
	for (size_t i = 0; report_writers[i]; i++) {
		struct strbuf err = STRBUF_INIT;
		int ret;

		full = fopen("/dev/full", "w");
		ret = report_writers[i]->write(full, &f.in, &err);
		fclose(full);
		CHECK_INT(ret, ERR_IO);
		CHECK(strstr(err.buf, "cannot write report") != NULL);
		strbuf_release(&err);
	}
	report_fixture_release(&f);
}

/*
 * With CUSTOMS_REPORT_SAMPLES set, write the fixture's documents there so
 * tests/cli/t0500 can check them with the reference validators: hostile
 * strings, and every license identifier we write as SPDX, cannot be put in
 * an image as easily as in these fixtures.
 */
TEST(report_write_samples)
{
	const char *dir = getenv("CUSTOMS_REPORT_SAMPLES");
	struct report_fixture f;

	/* Nothing to do in a plain unit run: t0500 runs this test again with the variable set. */
	if (!dir || !*dir)
		return;
	report_fixture_init(&f);
	report_write_sample(dir, "full.cdx.json", &report_writer_cyclonedx, &f.in);
	report_write_sample(dir, "full.spdx.json", &report_writer_spdx, &f.in);
	report_fixture_release(&f);
	report_fixture_init(&f);
	make_hostile(&f);
	report_write_sample(dir, "hostile.cdx.json", &report_writer_cyclonedx, &f.in);
	report_write_sample(dir, "hostile.spdx.json", &report_writer_spdx, &f.in);
	report_fixture_release(&f);
	report_fixture_init_empty(&f);
	report_write_sample(dir, "empty.cdx.json", &report_writer_cyclonedx, &f.in);
	report_write_sample(dir, "empty.spdx.json", &report_writer_spdx, &f.in);
	f.in.serial = NULL;
	report_write_sample(dir, "noserial.cdx.json", &report_writer_cyclonedx, &f.in);
	report_write_sample(dir, "noserial.spdx.json", &report_writer_spdx, &f.in);
	report_fixture_release(&f);
	report_fixture_init_licenses(&f);
	report_write_sample(dir, "licenses.cdx.json", &report_writer_cyclonedx, &f.in);
	report_write_sample(dir, "licenses.spdx.json", &report_writer_spdx, &f.in);
	report_fixture_release(&f);
}
