/* Unit tests for the GitLab container scanning report. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report_scan_fixture.h"
#include "test.h"
#include "util/xalloc.h"

static const cJSON *at(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = at(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static cJSON *render_gitlab(struct scan_fixture *s)
{
	char *text = scan_fixture_render(&report_writer_gitlab, s);
	cJSON *doc = cJSON_Parse(text);

	CHECK(doc != NULL);
	free(text);
	return doc ? doc : cJSON_CreateObject();
}

static int is_uuid(const char *s)
{
	if (!s || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return 0;
	}
	return 1;
}

TEST(report_gitlab_document)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *scan, *vulns, *v, *ids, *id, *loc;

	unsetenv("CUSTOMS_GITLAB_REPORT_VERSION");
	scan_fixture_init(&s);
	doc = render_gitlab(&s);
	CHECK_STR(str_at(doc, "version"), "15.0.7");
	scan = at(doc, "scan");
	CHECK_STR(str_at(scan, "type"), "container_scanning");
	CHECK_STR(str_at(scan, "status"), "success");
	/* No zone letter, no fraction. */
	CHECK_STR(str_at(scan, "start_time"), "2023-11-14T22:13:20");
	CHECK_STR(str_at(scan, "end_time"), "2023-11-14T22:13:20");
	CHECK_STR(str_at(at(scan, "analyzer"), "id"), "customs");
	CHECK_STR(str_at(at(at(scan, "scanner"), "vendor"), "name"), "Customs");
	CHECK_STR(str_at(at(scan, "scanner"), "version"), "0.1.0");

	/* The two suppressed findings stay out: GitLab has no place for them. */
	vulns = at(doc, "vulnerabilities");
	CHECK_INT(cJSON_GetArraySize(vulns), SCAN_FIXTURE_FINDINGS - 2);
	CHECK_STR(str_at(cJSON_GetArrayItem(vulns, 0), "severity"), "Critical");
	CHECK_STR(str_at(cJSON_GetArrayItem(vulns, 1), "severity"), "High");
	CHECK_STR(str_at(cJSON_GetArrayItem(vulns, 2), "severity"), "Medium");
	CHECK_STR(str_at(cJSON_GetArrayItem(vulns, 4), "severity"), "Low");

	v = cJSON_GetArrayItem(vulns, 1);
	CHECK_STR(str_at(v, "name"), "glibc: buffer overflow in the dynamic loader");
	CHECK_STR(str_at(v, "solution"), "Upgrade libc6 to 2.36-9+deb12u3 or later.");
	CHECK(scan_has(str_at(v, "description"), "VEX status: affected"));
	loc = at(v, "location");
	CHECK_STR(str_at(loc, "image"), "example/app:1.0");
	CHECK_STR(str_at(loc, "operating_system"), "debian 12");
	CHECK_STR(str_at(at(at(loc, "dependency"), "package"), "name"), "libc6");
	CHECK_STR(str_at(at(loc, "dependency"), "version"), "2.36-9+deb12u4");

	/* One identifier per ID and alias, the display ID first, each with its page. */
	ids = at(v, "identifiers");
	CHECK_INT(cJSON_GetArraySize(ids), 3);
	id = cJSON_GetArrayItem(ids, 0);
	CHECK_STR(str_at(id, "type"), "cve");
	CHECK_STR(str_at(id, "name"), "CVE-2023-4911");
	CHECK_STR(str_at(id, "value"), "CVE-2023-4911");
	CHECK_STR(str_at(id, "url"), "https://www.cve.org/CVERecord?id=CVE-2023-4911");
	id = cJSON_GetArrayItem(ids, 1);
	CHECK_STR(str_at(id, "type"), "dsa");
	CHECK_STR(str_at(id, "url"), "https://osv.dev/vulnerability/DSA-5514-1");
	CHECK_STR(str_at(cJSON_GetArrayItem(ids, 2), "type"), "ghsa");

	v = cJSON_GetArrayItem(vulns, 3);
	CHECK_STR(str_at(v, "name"), "GHSA-aaaa-bbbb-cccc in left-pad");
	v = cJSON_GetArrayItem(vulns, 4);
	CHECK(scan_has(str_at(v, "solution"), " to 1.0.1 or later."));
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

TEST(report_gitlab_no_fix_and_unknown_os)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *v;

	scan_fixture_init(&s);
	s.findings[1].fixed_version = NULL;
	s.f.cat.os = (struct os_info){ 0 };
	doc = render_gitlab(&s);
	v = cJSON_GetArrayItem(at(doc, "vulnerabilities"), 1);
	CHECK_STR(str_at(v, "solution"), "No fixed version of libc6 is available yet.");
	CHECK_STR(str_at(at(v, "location"), "operating_system"), "unknown");
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

TEST(report_gitlab_stable_uuids)
{
	struct scan_fixture s;
	cJSON *a, *b;
	const cJSON *va, *vb;
	size_t n;

	scan_fixture_init(&s);
	a = render_gitlab(&s);
	va = at(a, "vulnerabilities");
	n = cJSON_GetArraySize(va);
	for (size_t i = 0; i < n; i++) {
		const char *id = str_at(cJSON_GetArrayItem(va, i), "id");
		CHECK(is_uuid(id));
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(id, str_at(cJSON_GetArrayItem(va, j), "id")) != 0);
	}
	/* A new tag and new versions keep the identity of each finding. */
	s.f.tags[0] = "example/app:2.0";
	s.f.cat.packages.items[1].version = "2.36-9+deb12u9";
	b = render_gitlab(&s);
	vb = at(b, "vulnerabilities");
	for (size_t i = 0; i < n; i++)
		CHECK_STR(str_at(cJSON_GetArrayItem(vb, i), "id"), str_at(cJSON_GetArrayItem(va, i), "id"));
	CHECK_STR(str_at(at(cJSON_GetArrayItem(vb, 0), "location"), "image"), "example/app:2.0");
	cJSON_Delete(a);
	cJSON_Delete(b);
	scan_fixture_release(&s);
}

TEST(report_gitlab_declared_version)
{
	struct scan_fixture s;
	cJSON *doc;
	static const char *bad[] = { "15", "15.0", "15.0.x", "v15.0.7", "15..7", "15.0.7.", "1.2.3.4", " 15.0.7",
				     "99999999999999999999999999999999.0.0" };

	scan_fixture_init(&s);
	setenv("CUSTOMS_GITLAB_REPORT_VERSION", "15.2.1", 1);
	doc = render_gitlab(&s);
	CHECK_STR(str_at(doc, "version"), "15.2.1");
	cJSON_Delete(doc);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret;
		char *text;

		setenv("CUSTOMS_GITLAB_REPORT_VERSION", bad[i], 1);
		text = report_render(&report_writer_gitlab, &s.f.in, &ret);
		CHECK(ret < 0);
		free(text);
	}
	setenv("CUSTOMS_GITLAB_REPORT_VERSION", "", 1);
	doc = render_gitlab(&s);
	CHECK_STR(str_at(doc, "version"), "15.0.7");
	cJSON_Delete(doc);
	unsetenv("CUSTOMS_GITLAB_REPORT_VERSION");
	scan_fixture_release(&s);
}

TEST(report_gitlab_long_strings_clipped)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *v;

	scan_fixture_init(&s);
	scan_fixture_many(&s, 3, 3, 10000);
	doc = render_gitlab(&s);
	v = cJSON_GetArrayItem(at(doc, "vulnerabilities"), 0);
	CHECK(str_at(v, "name") && strlen(str_at(v, "name")) <= 255);
	CHECK(str_at(v, "description") && strlen(str_at(v, "description")) > 10000);
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}
