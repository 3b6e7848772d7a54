/* The gate and ignore rules over posture-check findings, alone and beside vulnerabilities. */
#include <string.h>

#include "checks/checks.h"
#include "policy_fixture.h"
#include "test.h"

#define NOW ((time_t)1764288000) /* 2025-11-28 */

static void add_check(struct check_results *res, const char *id, const char *path, int in_dockerfile,
		      uint64_t line, const char *subject)
{
	struct check_finding f;

	memset(&f, 0, sizeof(f));
	f.rule = check_rule_find(id);
	f.path = path;
	f.path_is_dockerfile = in_dockerfile;
	f.line = line;
	f.subject = subject;
	f.layer = -1;
	f.history = -1;
	check_results_add(res, &f);
}

/* CUS-CFG-001 medium (image config), CUS-SEC-003 high at app/.env:3, CUS-CFG-006 low. */
static void scene(struct check_results *res)
{
	check_results_init(res);
	add_check(res, "CUS-CFG-001", NULL, 0, 0, "root");
	add_check(res, "CUS-SEC-003", "app/.env", 0, 3, "AKIA****************");
	add_check(res, "CUS-CFG-006", NULL, 0, 0, NULL);
	check_results_sort(res);
}

TEST(policy_checks_rules_and_kinds)
{
	size_t nr;
	const struct check_rule *all = check_rules(&nr);
	unsigned kinds;
	char bad[8];

	CHECK(nr >= 16);
	for (size_t i = 0; i < nr; i++)
		CHECK(check_rule_find(all[i].id) == &all[i]);
	CHECK(!check_rule_find("CUS-CFG-999"));
	CHECK_INT(check_rule_find("CUS-SEC-001")->kind, CHECK_KIND_SECRET);
	CHECK_INT(check_kinds_parse("vuln,secret", &kinds, bad, sizeof(bad)), 0);
	CHECK_INT(kinds, (1u << CHECK_KIND_VULN) | (1u << CHECK_KIND_SECRET));
	CHECK_INT(check_kinds_parse("config,,secret", &kinds, bad, sizeof(bad)), -1);
	CHECK_STR(bad, "");
	CHECK_INT(check_kinds_parse("secrets-and-more", &kinds, bad, sizeof(bad)), -1);
	CHECK_STR(bad, "secrets");
	CHECK_STR(check_kind_name(CHECK_KIND_DOCKERFILE), "dockerfile");
}

TEST(policy_checks_sorted_and_counted)
{
	struct check_results res;
	size_t counts[SEVERITY_COUNT], suppressed;

	scene(&res);
	CHECK_INT(res.nr, 3);
	CHECK_STR(res.findings[0].rule->id, "CUS-SEC-003");
	CHECK_STR(res.findings[1].rule->id, "CUS-CFG-001");
	CHECK_STR(res.findings[2].rule->id, "CUS-CFG-006");
	CHECK_INT(check_results_tally(&res, counts, &suppressed), 3);
	CHECK_INT(counts[SEVERITY_HIGH], 1);
	CHECK_INT(counts[SEVERITY_MEDIUM], 1);
	CHECK_INT(counts[SEVERITY_LOW], 1);
	CHECK_INT(suppressed, 0);
	/* Suppressed findings are counted apart. */
	res.findings[0].suppressed_by = "ignore";
	CHECK_INT(check_results_tally(&res, counts, &suppressed), 2);
	CHECK_INT(counts[SEVERITY_HIGH], 0);
	CHECK_INT(suppressed, 1);
	check_results_release(&res);
}

TEST(policy_checks_cap_per_rule)
{
	struct check_results res;

	check_results_init(&res);
	for (int i = 0; i < CHECK_MAX_FINDINGS_PER_RULE + 5; i++)
		add_check(&res, "CUS-SEC-004", "a", 0, (uint64_t)i + 1, NULL);
	CHECK_INT(res.nr, CHECK_MAX_FINDINGS_PER_RULE);
	CHECK_INT(res.per_rule_dropped, 5);
	check_results_release(&res);
}

TEST(policy_checks_gate_counts_checks_with_vulnerabilities)
{
	struct policy_fixture f;
	struct check_results res;
	struct policy_gate g;
	struct policy_decision d;
	struct strbuf err = STRBUF_INIT;

	policy_fixture_init(&f);
	policy_fixture_scene(&f);
	policy_fixture_finding(&f, "CVE-2024-0004", NULL, 1, SEVERITY_MEDIUM, "3.0.13-1~deb12u1");
	scene(&res);

	policy_gate_init(&g);
	CHECK_INT(policy_parse_fail_on(&g, "high", &err), 0);
	policy_decide(&g, f.res, &f.cat, &res, &d);
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.nr_checks, 3);
	CHECK_INT(d.check_failing[0], 1);
	CHECK_INT(d.check_failing[1], 0);
	CHECK_INT(d.failing[0], 0);
	CHECK_INT(d.nr_reasons, 1);
	CHECK_STR(d.reasons[0], "1 finding at or above high: CUS-SEC-003 in app/.env:3");
	policy_decision_release(&d);

	/* Counts add vulnerabilities and checks of a severity together. */
	policy_gate_init(&g);
	CHECK_INT(policy_parse_fail_on_count(&g, "medium=1", &err), 0);
	policy_decide(&g, f.res, &f.cat, &res, &d);
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.counted[SEVERITY_MEDIUM], 2);
	CHECK(strstr(d.reasons[0], "CUS-CFG-001 (root)") != NULL);
	CHECK(strstr(d.reasons[0], "CVE-2024-0004 in openssl") != NULL);
	policy_decision_release(&d);

	/* --only-fixed is about vulnerabilities: checks, which have no fix, still count. */
	policy_gate_init(&g);
	g.only_fixed = 1;
	CHECK_INT(policy_parse_fail_on(&g, "high", &err), 0);
	policy_decide(&g, f.res, &f.cat, &res, &d);
	CHECK_INT(d.passed, 0);
	policy_decision_release(&d);

	check_results_release(&res);
	policy_fixture_release(&f);
	strbuf_release(&err);
}

TEST(policy_checks_ignore_by_id_and_path)
{
	static const char json[] =
	    "{\"ignore\": ["
	    "{\"id\": \"cus-sec-003\", \"path\": \"app\", \"reason\": \"test key, revoked\"},"
	    "{\"id\": \"CUS-CFG-001\", \"package\": \"libc6\", \"reason\": \"never a check\"},"
	    "{\"id\": \"CUS-CFG-006\", \"reason\": \"old\", \"expires\": \"2020-01-01\"}]}";
	struct policy_ignore *ig = NULL;
	struct check_results res;
	struct policy_gate g;
	struct policy_decision d;
	struct strbuf err = STRBUF_INIT;

	CHECK_INT(policy_ignore_parse(json, strlen(json), "i.json", &ig, &err), 0);
	scene(&res);
	CHECK_INT(policy_apply_ignore_checks(ig, &res, NOW), 1);
	CHECK_STR(res.findings[0].suppressed_by, "ignore");
	CHECK_STR(res.findings[0].suppressed_reason, "test key, revoked");
	CHECK(!res.findings[1].suppressed_by);
	CHECK(!res.findings[2].suppressed_by);

	policy_gate_init(&g);
	CHECK_INT(policy_parse_fail_on(&g, "high", &err), 0);
	policy_decide(&g, NULL, NULL, &res, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.nr_suppressed, 1);
	CHECK_INT(d.check_state[0], POLICY_SUPPRESSED);
	policy_decision_release(&d);
	check_results_release(&res);
	policy_ignore_free(ig);

	/* A path elsewhere does not apply; a Dockerfile path must be the same file. */
	CHECK_INT(policy_ignore_parse("{\"ignore\": [{\"id\": \"CUS-SEC-003\", \"path\": \"etc\", \"reason\": "
				      "\"r\"}, {\"id\": \"CUS-CFG-001\", \"path\": \"build\", \"reason\": \"r\"}]}",
				      strlen("{\"ignore\": [{\"id\": \"CUS-SEC-003\", \"path\": \"etc\", \"reason\": "
					     "\"r\"}, {\"id\": \"CUS-CFG-001\", \"path\": \"build\", \"reason\": "
					     "\"r\"}]}"),
				      "i.json", &ig, &err),
		  0);
	check_results_init(&res);
	add_check(&res, "CUS-SEC-003", "app/.env", 0, 3, NULL);
	add_check(&res, "CUS-CFG-001", "build/Dockerfile", 1, 9, NULL);
	CHECK_INT(policy_apply_ignore_checks(ig, &res, NOW), 0);
	check_results_release(&res);
	policy_ignore_free(ig);
	strbuf_release(&err);
}
