/* Unit tests for the report writer table, timestamps, document refs and license classification. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/license.h"
#include "report/writer.h"
#include "report_fixture.h"
#include "test.h"
#include "util/strbuf.h"

TEST(report_writer_find_every_format)
{
	static const char *const names[] = { "table", "json", "cyclonedx", "spdx" };
	size_t nr = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct report_writer *w = report_writer_find(names[i]);
		CHECK(w != NULL);
		if (w) {
			CHECK_STR(w->name, names[i]);
			CHECK(w->description && *w->description);
			CHECK(w->write != NULL);
		}
	}
	CHECK(report_writer_find("cdx") == NULL);
	CHECK(report_writer_find("") == NULL);
	while (report_writers[nr])
		nr++;
	CHECK_INT(nr, 9);
	/* The first row is the default of `customs sbom`. */
	CHECK(report_writers[0] == &report_writer_table);
}

TEST(report_format_time_rfc3339)
{
	char buf[32];

	report_format_time(0, buf);
	CHECK_STR(buf, "1970-01-01T00:00:00Z");
	report_format_time(1700000000, buf);
	CHECK_STR(buf, "2023-11-14T22:13:20Z");
	report_format_time(951782400, buf); /* leap day */
	CHECK_STR(buf, "2000-02-29T00:00:00Z");
	report_format_time(-1, buf);
	CHECK_STR(buf, "1970-01-01T00:00:00Z");
	report_format_time((time_t)400000000000LL, buf);
	CHECK_STR(buf, "9999-12-31T23:59:59Z");
}

TEST(report_image_name_prefers_tag)
{
	struct report_fixture f;

	report_fixture_init(&f);
	CHECK_STR(report_image_name(&f.img), "example/app:1.0");
	f.img.nr_repo_tags = 0;
	CHECK_STR(report_image_name(&f.img), "app.tar");
	f.img.source = NULL;
	CHECK_STR(report_image_name(&f.img), "image");
	report_fixture_release(&f);
}

TEST(report_refs_unique_and_stable)
{
	struct report_fixture f;
	struct arena a = ARENA_INIT, b = ARENA_INIT;
	const char **refs, **again;

	report_fixture_init(&f);
	refs = report_package_refs(&f.cat, &a);
	/* A purl that appears once is its own ref. */
	CHECK_STR(refs[0], f.cat.packages.items[0].purl);
	CHECK_STR(refs[2], "pkg:npm/%40scope/pkg@1.2.3");
	/* The two installs of left-pad differ by a package-id made from their path. */
	CHECK(!strncmp(refs[4], "pkg:npm/left-pad@1.3.0?package-id=", 34));
	CHECK(!strncmp(refs[5], "pkg:npm/left-pad@1.3.0?package-id=", 34));
	CHECK_INT(strlen(refs[4]), 34 + 16);
	CHECK(strcmp(refs[4], refs[5]) != 0);
	for (size_t i = 0; i < f.cat.packages.nr; i++)
		for (size_t j = i + 1; j < f.cat.packages.nr; j++)
			CHECK(strcmp(refs[i], refs[j]) != 0);

	/* The same package keeps its ref when others come and go. */
	f.cat.packages.items[4] = f.cat.packages.items[5];
	f.cat.packages.nr = 5;
	again = report_package_refs(&f.cat, &b);
	CHECK_STR(again[3], refs[3]);
	CHECK_STR(again[4], "pkg:npm/left-pad@1.3.0");
	arena_release(&a);
	arena_release(&b);
	report_fixture_release(&f);
}

TEST(report_refs_same_purl_same_path)
{
	struct report_fixture f;
	struct arena a = ARENA_INIT;
	const char **refs;

	report_fixture_init(&f);
	/* Two records of one package at one path (a lockfile listing it twice) still get distinct refs. */
	f.cat.packages.items[0] = f.cat.packages.items[1];
	f.cat.packages.items[2].purl = f.cat.packages.items[3].purl = "pkg:npm/x@1?a=b";
	f.cat.packages.items[2].path = f.cat.packages.items[3].path = "x/package.json";
	f.cat.packages.items[4].purl = NULL;
	refs = report_package_refs(&f.cat, &a);
	for (size_t i = 0; i < f.cat.packages.nr; i++)
		for (size_t j = i + 1; j < f.cat.packages.nr; j++)
			CHECK(strcmp(refs[i], refs[j]) != 0);
	CHECK(!strncmp(refs[2], "pkg:npm/x@1?a=b&package-id=", 27));
	CHECK(!strncmp(refs[3], refs[2], strlen(refs[2])));
	CHECK_STR(refs[3] + strlen(refs[2]), "-2");
	CHECK_STR(refs[4], "package:npm/left-pad@1.3.0");
	arena_release(&a);
	report_fixture_release(&f);
}

TEST(report_license_classify)
{
	struct strbuf out = STRBUF_INIT;
	char deep[200];
	size_t n = 0;

	CHECK_INT(license_classify(NULL, &out), LICENSE_NONE);
	CHECK_INT(license_classify("  ", &out), LICENSE_NONE);
	CHECK_INT(license_classify("MIT", &out), LICENSE_SPDX_ID);
	CHECK_STR(out.buf, "MIT");
	CHECK_INT(license_classify("apache-2.0", &out), LICENSE_SPDX_ID);
	CHECK_STR(out.buf, "Apache-2.0");
	CHECK_INT(license_classify("GPL-2.0+", &out), LICENSE_SPDX_ID);
	CHECK_STR(out.buf, "GPL-2.0+");
	CHECK_INT(license_classify("(mit  OR apache-2.0)", &out), LICENSE_SPDX_EXPRESSION);
	CHECK_STR(out.buf, "(MIT OR Apache-2.0)");
	CHECK_INT(license_classify("GPL-2.0-only with classpath-exception-2.0 and (MIT or ISC)", &out),
		  LICENSE_SPDX_EXPRESSION);
	CHECK_STR(out.buf, "GPL-2.0-only WITH Classpath-exception-2.0 AND (MIT OR ISC)");

	CHECK_INT(license_classify("SEE LICENSE IN LICENSE.md", &out), LICENSE_OTHER);
	CHECK_STR(out.buf, "");
	CHECK_INT(license_classify("MIT AND", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("(MIT OR ISC", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("MIT OR ISC)", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("()", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("MIT WITH ISC", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("Classpath-exception-2.0", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("LicenseRef-Proprietary", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("MIT/X11", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("UNLICENSED", &out), LICENSE_OTHER);
	CHECK_INT(license_classify("Apache License 2.0", &out), LICENSE_OTHER);

	/* Nesting deeper than any real declaration is refused rather than recursed into. */
	for (int i = 0; i < 60; i++)
		deep[n++] = '(';
	memcpy(deep + n, "MIT", 3);
	n += 3;
	for (int i = 0; i < 60; i++)
		deep[n++] = ')';
	deep[n] = '\0';
	CHECK_INT(license_classify(deep, &out), LICENSE_OTHER);
	strbuf_release(&out);
}

static int in_enum(const cJSON *list, const char *id)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
		if (cJSON_IsString(item) && !strcmp(item->valuestring, id))
			return 1;
	return 0;
}

/* Every identifier we write as an SPDX id must be one the CycloneDX schema accepts. */
TEST(report_license_ids_in_spdx_schema)
{
	const char *dir = test_shared_data();
	struct strbuf path = STRBUF_INIT;
	FILE *fp;
	char *text;
	long len;
	cJSON *schema;
	const cJSON *list;

	if (!dir)
		return;
	strbuf_addf(&path, "%s/schemas/cyclonedx/spdx.schema.json", dir);
	fp = fopen(path.buf, "rb");
	CHECK(fp != NULL);
	if (!fp) {
		strbuf_release(&path);
		return;
	}
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)len + 1);
	CHECK_INT(fread(text, 1, (size_t)len, fp), len);
	fclose(fp);
	schema = cJSON_ParseWithLength(text, (size_t)len);
	free(text);
	list = cJSON_GetObjectItemCaseSensitive(schema, "enum");
	CHECK(cJSON_IsArray(list));
	for (size_t i = 0; license_ids[i]; i++) {
		if (!in_enum(list, license_ids[i]))
			fprintf(stderr, "  not an SPDX id: %s\n", license_ids[i]);
		CHECK(in_enum(list, license_ids[i]));
	}
	for (size_t i = 0; license_exception_ids[i]; i++) {
		if (!in_enum(list, license_exception_ids[i]))
			fprintf(stderr, "  not an SPDX exception: %s\n", license_exception_ids[i]);
		CHECK(in_enum(list, license_exception_ids[i]));
	}
	cJSON_Delete(schema);
	strbuf_release(&path);
}

/* Each identifier on our list is recognised as itself; no two differ only in case. */
TEST(report_license_list_consistent)
{
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; license_ids[i]; i++) {
		CHECK_INT(license_classify(license_ids[i], &out), LICENSE_SPDX_ID);
		CHECK_STR(out.buf, license_ids[i]);
	}
	for (size_t i = 0; license_exception_ids[i]; i++) {
		struct strbuf expr = STRBUF_INIT;
		strbuf_addf(&expr, "MIT WITH %s", license_exception_ids[i]);
		CHECK_INT(license_classify(expr.buf, &out), LICENSE_SPDX_EXPRESSION);
		CHECK_STR(out.buf, expr.buf);
		strbuf_release(&expr);
	}
	strbuf_release(&out);
}
