/* Unit tests for the posture-check findings in the JSON scan report. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report_checks_fixture.h"
#include "test.h"

static const cJSON *at(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = at(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static double num_at(const cJSON *obj, const char *key)
{
	const cJSON *item = at(obj, key);
	return cJSON_IsNumber(item) ? item->valuedouble : -1;
}

static cJSON *render_json(struct scan_fixture *s)
{
	char *text = scan_fixture_render(&report_writer_json, s);
	cJSON *doc = cJSON_Parse(text);

	CHECK(doc != NULL);
	free(text);
	return doc ? doc : cJSON_CreateObject();
}

TEST(report_checks_json_findings)
{
	struct checks_fixture c;
	const cJSON *checks, *findings, *f, *run;
	cJSON *doc;
	int i;

	checks_fixture_init(&c);
	c.checks.per_rule_dropped = 3;
	doc = render_json(&c.s);
	checks = at(doc, "checks");
	CHECK(cJSON_IsObject(checks));
	run = at(checks, "run");
	CHECK_INT(cJSON_GetArraySize(run), 4);
	CHECK_STR(cJSON_GetArrayItem(run, 0)->valuestring, "vuln");
	CHECK_STR(cJSON_GetArrayItem(run, 3)->valuestring, "dockerfile");
	CHECK(num_at(checks, "dropped") == 3);
	findings = at(checks, "findings");
	CHECK_INT(cJSON_GetArraySize(findings), CHECKS_FIXTURE_FINDINGS);

	/* The image-config finding linked to a Dockerfile line: no location, a dockerfile object. */
	i = checks_fixture_find(&c, "CUS-CFG-002");
	f = cJSON_GetArrayItem(findings, i);
	CHECK_STR(str_at(f, "id"), "CUS-CFG-002");
	CHECK_STR(str_at(f, "kind"), "config");
	CHECK_STR(str_at(f, "severity"), "high");
	CHECK_STR(str_at(f, "title"), "Secret in an environment variable");
	CHECK(at(f, "location") == NULL);
	CHECK(at(f, "layer") == NULL);
	CHECK_STR(str_at(f, "subject"), "API_TOKEN");
	CHECK_STR(str_at(f, "instruction"), "ENV API_TOKEN=[redacted]");
	CHECK_STR(str_at(at(f, "dockerfile"), "path"), "build/Dockerfile");
	CHECK(num_at(at(f, "dockerfile"), "line") == 7);
	CHECK(str_at(f, "why") && !strncmp(str_at(f, "why"), "An ENV instruction", 18));
	CHECK(str_at(f, "remediation") != NULL);
	CHECK(at(f, "suppressed") == NULL);
	CHECK(at(f, "failing") == NULL);

	/* The secret in a file: path, line and layer with its digests. */
	f = cJSON_GetArrayItem(findings, checks_fixture_find(&c, "CUS-SEC-003"));
	CHECK_STR(str_at(f, "kind"), "secret");
	CHECK_STR(str_at(at(f, "location"), "path"), "/app/.env");
	CHECK(num_at(at(f, "location"), "line") == 3);
	CHECK(at(at(f, "location"), "dockerfile") == NULL);
	CHECK(num_at(at(f, "layer"), "index") == 1);
	CHECK(str_at(at(f, "layer"), "diff_id") && !strncmp(str_at(at(f, "layer"), "diff_id"), "sha256:", 7));
	CHECK(at(at(f, "layer"), "digest") != NULL);
	CHECK(at(f, "dockerfile") == NULL);

	/* The Dockerfile finding says its path is the Dockerfile. */
	f = cJSON_GetArrayItem(findings, checks_fixture_find_at(&c, "CUS-CFG-001", "build/Dockerfile"));
	CHECK_STR(str_at(at(f, "location"), "path"), "build/Dockerfile");
	CHECK(num_at(at(f, "location"), "line") == 12);
	CHECK(cJSON_IsTrue(at(at(f, "location"), "dockerfile")));
	CHECK(at(f, "instruction") == NULL);

	/* The one an ignore rule suppressed carries it as vulnerability findings do. */
	f = cJSON_GetArrayItem(findings, checks_fixture_find(&c, "CUS-SEC-001"));
	CHECK_STR(str_at(at(f, "suppressed"), "by"), "ignore");
	CHECK_STR(str_at(at(f, "suppressed"), "reason"), "test key | <b>only</b>");

	/* Active only per severity, and the suppressed one apart. */
	checks = at(at(doc, "summary"), "checks");
	CHECK(num_at(checks, "high") == 2);
	CHECK(num_at(checks, "medium") == 2);
	CHECK(num_at(checks, "critical") == 0);
	CHECK(num_at(checks, "total") == 4);
	CHECK(num_at(checks, "suppressed") == 1);
	/* The vulnerability counts keep their meaning. */
	CHECK(num_at(at(doc, "summary"), "total") == SCAN_FIXTURE_FINDINGS);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_json_gate)
{
	struct checks_fixture c;
	const cJSON *findings;
	cJSON *doc;

	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	doc = render_json(&c.s);
	findings = at(at(doc, "checks"), "findings");
	CHECK(cJSON_IsTrue(
	    at(cJSON_GetArrayItem(findings, checks_fixture_find(&c, "CUS-CFG-002")), "failing")));
	CHECK(cJSON_IsTrue(
	    at(cJSON_GetArrayItem(findings, checks_fixture_find(&c, "CUS-SEC-003")), "failing")));
	CHECK(at(cJSON_GetArrayItem(findings, checks_fixture_find(&c, "CUS-CFG-001")), "failing") == NULL);
	CHECK(at(cJSON_GetArrayItem(findings, checks_fixture_find(&c, "CUS-SEC-001")), "failing") == NULL);
	CHECK(num_at(at(doc, "gate"), "checks_failing") == 2);
	CHECK(num_at(at(doc, "gate"), "failing") == 2);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_json_hostile)
{
	struct checks_fixture c;
	const cJSON *f;
	const char *detail;
	cJSON *doc;

	checks_fixture_init(&c);
	doc = render_json(&c.s);
	f = cJSON_GetArrayItem(at(at(doc, "checks"), "findings"), checks_fixture_find(&c, "CUS-SEC-003"));
	detail = str_at(f, "detail");
	CHECK(detail != NULL);
	/* JSON carries the text as it is, but only as valid UTF-8. */
	CHECK(detail && strstr(detail, "</script><b>x</b> | `y`"));
	CHECK(detail && strstr(detail, "\xef\xbf\xbd"));
	CHECK(detail && !strstr(detail, "\xff"));
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_json_absent)
{
	struct checks_fixture c;
	cJSON *doc;

	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	c.s.f.in.checks = NULL;
	doc = render_json(&c.s);
	CHECK(at(doc, "checks") == NULL);
	CHECK(at(at(doc, "summary"), "checks") == NULL);
	CHECK(at(at(doc, "gate"), "checks_failing") == NULL);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_json_empty)
{
	struct checks_fixture c;
	cJSON *doc;

	checks_fixture_init(&c);
	c.checks.nr = 0;
	c.checks.kinds_run = 1u << CHECK_KIND_VULN | 1u << CHECK_KIND_SECRET;
	doc = render_json(&c.s);
	CHECK_INT(cJSON_GetArraySize(at(at(doc, "checks"), "run")), 2);
	CHECK_INT(cJSON_GetArraySize(at(at(doc, "checks"), "findings")), 0);
	CHECK(num_at(at(at(doc, "summary"), "checks"), "total") == 0);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

/*
 * With CUSTOMS_REPORT_SAMPLES=DIR, write every scan format of the check
 * fixture (checks-*) and with a failed gate (gate-checks-*) into DIR, for
 * the CLI tests that run the real validators on them.
 */
TEST(report_checks_write_samples)
{
	static const struct {
		const struct report_writer *w;
		const char *file;
	} outs[] = {
	    {&report_writer_json, "checks.report.json"}, {&report_writer_sarif, "checks.sarif"},
	    {&report_writer_gitlab, "checks.gl.json"},	 {&report_writer_junit, "checks.junit.xml"},
	    {&report_writer_markdown, "checks.md"},	 {&report_writer_html, "checks.html"},
	    {&report_writer_table, "checks.txt"},
	};
	const char *dir = getenv("CUSTOMS_REPORT_SAMPLES");
	struct checks_fixture c;
	struct strbuf name = STRBUF_INIT;

	if (!dir || !*dir)
		return;
	checks_fixture_init(&c);
	for (int gate = 0; gate < 2; gate++) {
		if (gate)
			checks_fixture_gate(&c, 0);
		for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
			strbuf_reset(&name);
			strbuf_addf(&name, "%s%s", gate ? "gate-" : "", outs[i].file);
			report_write_sample(dir, name.buf, outs[i].w, &c.s.f.in);
		}
	}
	strbuf_release(&name);
	checks_fixture_release(&c);
}
