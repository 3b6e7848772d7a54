/* `customs vex`: the OpenVEX document written from a scan, which must read back as valid OpenVEX. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "policy_fixture.h"
#include "test.h"
#include "util/error.h"

static void scene(struct policy_fixture *f)
{
	struct finding *suppressed;
	size_t nopurl;

	policy_fixture_init(f);
	policy_fixture_scene(f);
	nopurl = policy_fixture_package(f, "binary", "mystery\xff", "1", NULL, "usr/bin/mystery", NULL);
	policy_fixture_finding(f, "CVE-2024-0001", "DSA-5000-1 GHSA-aaaa-bbbb-cccc", 0, SEVERITY_CRITICAL,
			       "2.36-9+deb12u5");
	suppressed = policy_fixture_finding(f, "CVE-2024-0002", NULL, 1, SEVERITY_HIGH, NULL);
	suppressed->suppressed_by = "ignore";
	suppressed->suppressed_reason = "accepted";
	/* The two left-pad copies share a purl: one statement. */
	policy_fixture_finding(f, "CVE-2024-0003", NULL, 2, SEVERITY_MEDIUM, "1.3.1");
	policy_fixture_finding(f, "CVE-2024-0003", NULL, 3, SEVERITY_MEDIUM, "1.3.1");
	policy_fixture_finding(f, "CVE-2024-0004", NULL, nopurl, SEVERITY_LOW, NULL);
	policy_fixture_finding(f, "CVE-2024-0005", NULL, 4, SEVERITY_LOW, NULL);
}

TEST(policy_vexgen_document)
{
	struct policy_fixture f;
	struct policy_vex_doc_info info = {
	    .author = "Platform Team", .timestamp = 1795867200, .tool = "customs 0.1.0"};
	size_t skipped = 99;
	cJSON *doc, *statements, *st;
	char *text;

	scene(&f);
	doc = policy_vex_document(f.res, &f.cat, &info, &skipped);
	CHECK_INT(skipped, 1);
	CHECK_STR(cJSON_GetObjectItem(doc, "@context")->valuestring, "https://openvex.dev/ns/v0.2.0");
	CHECK_STR(cJSON_GetObjectItem(doc, "author")->valuestring, "Platform Team");
	CHECK_STR(cJSON_GetObjectItem(doc, "timestamp")->valuestring, "2026-11-28T12:00:00Z");
	CHECK_STR(cJSON_GetObjectItem(doc, "tooling")->valuestring, "customs 0.1.0");
	CHECK_INT(cJSON_GetObjectItem(doc, "version")->valueint, 1);
	CHECK(!strncmp(cJSON_GetObjectItem(doc, "@id")->valuestring, "urn:customs:vex:", 16));
	CHECK_INT(strlen(cJSON_GetObjectItem(doc, "@id")->valuestring), 16 + 64);
	statements = cJSON_GetObjectItem(doc, "statements");
	CHECK_INT(cJSON_GetArraySize(statements), 3);
	st = cJSON_GetArrayItem(statements, 0);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "vulnerability"), "name")->valuestring,
		  "CVE-2024-0001");
	CHECK_INT(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "vulnerability"), "aliases")), 2);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(st, "products"), 0), "@id")
		      ->valuestring,
		  "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
	CHECK_STR(cJSON_GetObjectItem(st, "status")->valuestring, "under_investigation");
	st = cJSON_GetArrayItem(statements, 1);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "vulnerability"), "name")->valuestring,
		  "CVE-2024-0003");
	CHECK(!cJSON_GetObjectItem(cJSON_GetObjectItem(st, "vulnerability"), "aliases"));
	st = cJSON_GetArrayItem(statements, 2);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(st, "products"), 0), "@id")
		      ->valuestring,
		  "pkg:npm/%40scope/pkg@1.2.3");
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);

	/* The same scan gives the same document. */
	doc = policy_vex_document(f.res, &f.cat, &info, NULL);
	{
		char *again = cJSON_PrintUnformatted(doc);

		CHECK_STR(again, text);
		free(again);
	}
	cJSON_Delete(doc);

	/* It reads back, and applied to the same scan it attaches under_investigation without suppressing. */
	{
		struct policy_vex *vex = policy_vex_new();

		CHECK_INT(policy_vex_parse(vex, text, strlen(text), "generated.json", &f.err), 0);
		CHECK_INT(vex->nr_statements, 3);
		CHECK_INT(policy_apply_vex(vex, f.res, &f.cat, NULL), 0);
		CHECK_STR(policy_fixture_marks(&f),
			  "CVE-2024-0001 vex:under_investigation:-\nCVE-2024-0002 ignore:accepted\n"
			  "CVE-2024-0003 vex:under_investigation:-\n"
			  "CVE-2024-0003 vex:under_investigation:-\nCVE-2024-0004 -\n"
			  "CVE-2024-0005 vex:under_investigation:-\n");
		policy_vex_free(vex);
	}
	free(text);
	policy_fixture_release(&f);
}

TEST(policy_vexgen_write)
{
	struct policy_fixture f;
	struct policy_vex_doc_info info = {.id = "https://example.com/vex/app-1", .timestamp = 0};
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	struct policy_vex *vex = policy_vex_new();

	scene(&f);
	CHECK_INT(policy_vex_write(fp, f.res, &f.cat, &info, &f.err), 0);
	fclose(fp);
	CHECK(size > 0 && buf[size - 1] == '\n');
	CHECK(strstr(buf, "\"@id\":\t\"https://example.com/vex/app-1\""));
	CHECK(strstr(buf, "\"author\":\t\"customs\""));
	CHECK(strstr(buf, "\"timestamp\":\t\"1970-01-01T00:00:00Z\""));
	CHECK_INT(policy_vex_parse(vex, buf, size, "written.json", &f.err), 0);
	CHECK_INT(vex->nr_statements, 3);
	policy_vex_free(vex);
	free(buf);
	policy_fixture_release(&f);

	/* An empty scan is a valid document with no statements. */
	policy_fixture_init(&f);
	{
		cJSON *doc = policy_vex_document(f.res, &f.cat, NULL, NULL);

		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "statements")), 0);
		CHECK_STR(cJSON_GetObjectItem(doc, "author")->valuestring, "customs");
		cJSON_Delete(doc);
	}
	policy_fixture_release(&f);
}
