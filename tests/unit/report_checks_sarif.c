/* Unit tests for the posture-check rules and results in the SARIF report. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report_checks_fixture.h"
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

static cJSON *render_sarif(struct scan_fixture *s)
{
	char *text = scan_fixture_render(&report_writer_sarif, s);
	cJSON *doc = cJSON_Parse(text);

	CHECK(doc != NULL);
	free(text);
	return doc ? doc : cJSON_CreateObject();
}

static const cJSON *run_of(const cJSON *doc)
{
	return cJSON_GetArrayItem(at(doc, "runs"), 0);
}

static const cJSON *rules_of(const cJSON *doc)
{
	return at(at(at(run_of(doc), "tool"), "driver"), "rules");
}

static const cJSON *rule_by_id(const cJSON *doc, const char *id)
{
	const cJSON *rule;

	cJSON_ArrayForEach(rule, rules_of(doc)) if (str_at(rule, "id") &&
						    !strcmp(str_at(rule, "id"), id)) return rule;
	return NULL;
}

/* The result of rule id whose message holds needle. */
static const cJSON *result_of(const cJSON *doc, const char *id, const char *needle)
{
	const cJSON *result;

	cJSON_ArrayForEach(
	    result, at(run_of(doc),
		       "results")) if (str_at(result, "ruleId") && !strcmp(str_at(result, "ruleId"), id) &&
				       strstr(str_at(at(result, "message"), "text"), needle)) return result;
	return NULL;
}

static const cJSON *region_of(const cJSON *result)
{
	return at(at(cJSON_GetArrayItem(at(result, "locations"), 0), "physicalLocation"), "region");
}

static const char *uri_of(const cJSON *result)
{
	const cJSON *loc = cJSON_GetArrayItem(at(result, "locations"), 0);
	return str_at(at(at(loc, "physicalLocation"), "artifactLocation"), "uri");
}

static int start_line(const cJSON *result)
{
	const cJSON *line = at(region_of(result), "startLine");
	return cJSON_IsNumber(line) ? line->valueint : -1;
}

static const char *fingerprint_of(const cJSON *result)
{
	return str_at(at(result, "partialFingerprints"), "primaryLocationLineHash");
}

static int has_tag(const cJSON *rule, const char *tag)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, at(at(rule, "properties"), "tags")) if (cJSON_IsString(t) &&
								      !strcmp(t->valuestring, tag)) return 1;
	return 0;
}

TEST(report_checks_sarif_rules)
{
	struct checks_fixture c;
	const cJSON *rule, *result;
	cJSON *doc;
	int n = 0;

	checks_fixture_init(&c);
	doc = render_sarif(&c.s);
	/* One rule per check ID used, the suppressed one's included. */
	CHECK_INT(cJSON_GetArraySize(rules_of(doc)), 6 + 4);
	rule = rule_by_id(doc, "CUS-CFG-001");
	CHECK(rule != NULL);
	CHECK_STR(str_at(at(rule, "shortDescription"), "text"), "Image runs as root");
	CHECK(!strncmp(str_at(at(rule, "fullDescription"), "text"), "The image sets no USER", 22));
	CHECK_STR(str_at(at(rule, "properties"), "security-severity"), "5.5");
	CHECK_STR(str_at(at(rule, "defaultConfiguration"), "level"), "warning");
	CHECK(has_tag(rule, "security") && has_tag(rule, "misconfiguration"));
	CHECK(strstr(str_at(at(rule, "help"), "markdown"), "**Remediation:**") != NULL);
	CHECK(strstr(str_at(at(rule, "help"), "markdown"), "| Dockerfile:12 | USER root |") != NULL);
	CHECK(strstr(str_at(at(rule, "help"), "text"), "Remediation: Create an unprivileged user") != NULL);
	/* Link-free: a hostile path cannot make a link in GitHub's page. */
	CHECK(!strstr(str_at(at(rule, "help"), "markdown"), "]("));
	rule = rule_by_id(doc, "CUS-SEC-003");
	CHECK(has_tag(rule, "secret"));
	CHECK_STR(str_at(at(rule, "properties"), "security-severity"), "8.0");

	/* ruleIndex points at the rule of the same ID. */
	cJSON_ArrayForEach(result, at(run_of(doc), "results"))
	{
		const cJSON *idx = at(result, "ruleIndex");

		CHECK(cJSON_IsNumber(idx));
		CHECK_STR(str_at(cJSON_GetArrayItem(rules_of(doc), idx->valueint), "id"),
			  str_at(result, "ruleId"));
		n++;
	}
	CHECK_INT(n, SCAN_FIXTURE_FINDINGS + CHECKS_FIXTURE_FINDINGS);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_sarif_locations)
{
	struct checks_fixture c;
	const cJSON *r;
	cJSON *doc;

	checks_fixture_init(&c);
	c.checks.dockerfile = "./build/Dockerfile";
	c.checks.findings[checks_fixture_find_at(&c, "CUS-CFG-001", "build/Dockerfile")].path =
	    "/src/Dockerfile";
	doc = render_sarif(&c.s);
	/* A Dockerfile finding: the Dockerfile, made relative, at its line. */
	r = result_of(doc, "CUS-CFG-001", "USER root");
	CHECK_STR(uri_of(r), "src/Dockerfile");
	CHECK_INT(start_line(r), 12);
	/* An image finding linked to a Dockerfile line points there. */
	r = result_of(doc, "CUS-CFG-002", "API_TOKEN");
	CHECK_STR(uri_of(r), "build/Dockerfile");
	CHECK_INT(start_line(r), 7);
	CHECK_STR(str_at(r, "level"), "error");
	/* A file in the image. */
	r = result_of(doc, "CUS-SEC-003", "AWS");
	CHECK_STR(uri_of(r), "example/app/app/.env");
	CHECK_INT(start_line(r), 3);
	CHECK_STR(str_at(at(r, "properties"), "path"), "/app/.env");
	/* The image config as a whole. */
	r = result_of(doc, "CUS-CFG-001", "no USER");
	CHECK_STR(uri_of(r), "example/app/config.json");
	CHECK_INT(start_line(r), 1);
	CHECK_STR(str_at(r, "level"), "warning");
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_sarif_suppressed_and_gate)
{
	struct checks_fixture c;
	const cJSON *r, *sup;
	cJSON *doc;

	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	doc = render_sarif(&c.s);
	r = result_of(doc, "CUS-SEC-001", "PEM");
	sup = cJSON_GetArrayItem(at(r, "suppressions"), 0);
	CHECK_STR(str_at(sup, "kind"), "external");
	CHECK_STR(str_at(sup, "justification"), "ignore: test key | <b>only</b>");
	CHECK_STR(str_at(at(r, "properties"), "policy"), "suppressed");
	CHECK_STR(str_at(at(result_of(doc, "CUS-SEC-003", "AWS"), "properties"), "policy"), "failing");
	CHECK_STR(str_at(at(result_of(doc, "CUS-CFG-001", "no USER"), "properties"), "policy"), "passing");
	CHECK(at(result_of(doc, "CUS-CFG-002", "API"), "suppressions") == NULL);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

/* Fingerprints follow the finding, not its line or layer, which change from build to build. */
TEST(report_checks_sarif_fingerprints)
{
	struct checks_fixture c;
	cJSON *a, *b;
	char *fp_env, *fp_df;
	int i;

	checks_fixture_init(&c);
	a = render_sarif(&c.s);
	fp_env = xstrdup(fingerprint_of(result_of(a, "CUS-SEC-003", "AWS")));
	fp_df = xstrdup(fingerprint_of(result_of(a, "CUS-CFG-001", "USER root")));
	i = checks_fixture_find(&c, "CUS-SEC-003");
	c.checks.findings[i].line = 30;
	c.checks.findings[i].layer = 0;
	c.checks.findings[checks_fixture_find_at(&c, "CUS-CFG-001", "build/Dockerfile")].line = 40;
	c.s.f.layers[1].digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	b = render_sarif(&c.s);
	CHECK_STR(fingerprint_of(result_of(b, "CUS-SEC-003", "AWS")), fp_env);
	CHECK_STR(fingerprint_of(result_of(b, "CUS-CFG-001", "USER root")), fp_df);
	/* Two findings of one rule differ. */
	CHECK(strcmp(fingerprint_of(result_of(b, "CUS-CFG-001", "no USER")), fp_df));
	free(fp_env);
	free(fp_df);
	cJSON_Delete(a);
	cJSON_Delete(b);
	checks_fixture_release(&c);
}

TEST(report_checks_sarif_hostile)
{
	struct checks_fixture c;
	const char *msg, *md;
	cJSON *doc;

	checks_fixture_init(&c);
	doc = render_sarif(&c.s);
	msg = str_at(at(result_of(doc, "CUS-SEC-003", "AWS"), "message"), "text");
	/* Plain text: no control characters even escaped, no bad UTF-8. */
	CHECK(msg && !strchr(msg, '\x1b') && !strchr(msg, '\x07') && !strstr(msg, "\xff"));
	md = str_at(at(rule_by_id(doc, "CUS-SEC-003"), "help"), "markdown");
	CHECK(md && !strstr(md, "</script>") && strstr(md, "&lt;/script&gt;"));
	CHECK(md && strstr(md, "\\| \\`y\\`"));
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}

TEST(report_checks_sarif_absent)
{
	struct checks_fixture c;
	struct scan_fixture s;
	char *with_null, *plain;

	checks_fixture_init(&c);
	c.s.f.in.checks = NULL;
	with_null = scan_fixture_render(&report_writer_sarif, &c.s);
	scan_fixture_init(&s);
	plain = scan_fixture_render(&report_writer_sarif, &s);
	CHECK_STR(with_null, plain);
	CHECK(!scan_has(with_null, "CUS-"));
	free(with_null);
	free(plain);
	scan_fixture_release(&s);
	checks_fixture_release(&c);
}

/* GitHub's limit counts check results too: the least severe of both kinds go first. */
TEST(report_checks_sarif_limit)
{
	struct checks_fixture c;
	const cJSON *result, *notes;
	cJSON *doc;
	size_t checks = 0, vulns = 0;

	checks_fixture_init(&c);
	scan_fixture_many(&c.s, 4998, 4990, 8);
	doc = render_sarif(&c.s);
	cJSON_ArrayForEach(result, at(run_of(doc), "results"))
	{
		if (!strncmp(str_at(result, "ruleId"), "CUS-", 4))
			checks++;
		else
			vulns++;
	}
	/*
	 * 4990 high vulnerabilities, the 2 active high checks, then the
	 * suppressed high one, the 2 medium checks and 5 of the 8 low
	 * vulnerabilities.
	 */
	CHECK_INT(vulns + checks, 5000);
	CHECK_INT(checks, 5);
	CHECK_INT(vulns, 4995);
	notes = at(cJSON_GetArrayItem(at(run_of(doc), "invocations"), 0), "toolExecutionNotifications");
	CHECK(strstr(str_at(at(cJSON_GetArrayItem(notes, 0), "message"), "text"),
		     "3 of 5003 findings were left out") != NULL);
	cJSON_Delete(doc);
	checks_fixture_release(&c);
}
