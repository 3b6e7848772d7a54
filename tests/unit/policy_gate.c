/* The gate: each threshold alone and combined, only_fixed, audit, and suppressed findings. */
#include <string.h>

#include "policy_fixture.h"
#include "test.h"
#include "util/error.h"

/* libc6: critical fixed, high unfixed; openssl: high fixed, medium fixed; left-pad: low unfixed, unknown
 * fixed. */
static void mixed(struct policy_fixture *f)
{
	policy_fixture_init(f);
	policy_fixture_scene(f);
	policy_fixture_finding(f, "CVE-2024-0001", NULL, 0, SEVERITY_CRITICAL, "2.36-9+deb12u5");
	policy_fixture_finding(f, "CVE-2024-0002", NULL, 0, SEVERITY_HIGH, NULL);
	policy_fixture_finding(f, "CVE-2024-0003", NULL, 1, SEVERITY_HIGH, "3.0.13-1~deb12u1");
	policy_fixture_finding(f, "CVE-2024-0004", NULL, 1, SEVERITY_MEDIUM, "3.0.13-1~deb12u1");
	policy_fixture_finding(f, "GHSA-aaaa-bbbb-cccc", NULL, 2, SEVERITY_LOW, NULL);
	policy_fixture_finding(f, "CVE-2024-0006", NULL, 2, SEVERITY_UNKNOWN, "1.3.1");
}

TEST(policy_gate_parse_fail_on)
{
	struct policy_gate g;
	struct strbuf err = STRBUF_INIT;

	policy_gate_init(&g);
	CHECK_INT(g.fail_on, POLICY_FAIL_ON_NONE);
	for (int s = 0; s < SEVERITY_COUNT; s++)
		CHECK_INT(g.max_count[s], POLICY_NO_LIMIT);
	CHECK_INT(policy_parse_fail_on(&g, "high", &err), 0);
	CHECK_INT(g.fail_on, SEVERITY_HIGH);
	CHECK_INT(policy_parse_fail_on(&g, "CRITICAL", &err), 0);
	CHECK_INT(g.fail_on, SEVERITY_CRITICAL);
	CHECK_INT(policy_parse_fail_on(&g, "unknown", &err), 0);
	CHECK_INT(g.fail_on, SEVERITY_UNKNOWN);
	CHECK_INT(policy_parse_fail_on(&g, "severe", &err), ERR_USAGE);
	CHECK_STR(err.buf,
		  "unknown severity 'severe' for --fail-on: use critical, high, medium, low or unknown");
	/* Advisory synonyms are not thresholds. */
	CHECK_INT(policy_parse_fail_on(&g, "moderate", &err), ERR_USAGE);
	CHECK_INT(policy_parse_fail_on(&g, "", &err), ERR_USAGE);
	CHECK_INT(g.fail_on, SEVERITY_UNKNOWN);
	strbuf_release(&err);
}

TEST(policy_gate_parse_fail_on_count)
{
	struct policy_gate g;
	struct strbuf err = STRBUF_INIT;

	policy_gate_init(&g);
	CHECK_INT(policy_parse_fail_on_count(&g, "high=3", &err), 0);
	CHECK_INT(g.max_count[SEVERITY_HIGH], 3);
	CHECK_INT(policy_parse_fail_on_count(&g, "Critical=0", &err), 0);
	CHECK_INT(g.max_count[SEVERITY_CRITICAL], 0);
	/* Repeating a severity keeps the last value. */
	CHECK_INT(policy_parse_fail_on_count(&g, "high=7", &err), 0);
	CHECK_INT(g.max_count[SEVERITY_HIGH], 7);
	CHECK_INT(g.max_count[SEVERITY_LOW], POLICY_NO_LIMIT);

	CHECK_INT(policy_parse_fail_on_count(&g, "high", &err), ERR_USAGE);
	CHECK_STR(err.buf, "--fail-on-count needs SEVERITY=N, not 'high'");
	CHECK_INT(policy_parse_fail_on_count(&g, "high=", &err), ERR_USAGE);
	CHECK_STR(err.buf, "--fail-on-count 'high=' needs a count after '='");
	CHECK_INT(policy_parse_fail_on_count(&g, "high=-1", &err), ERR_USAGE);
	CHECK_STR(err.buf, "--fail-on-count 'high=-1': the count must be a whole number");
	CHECK_INT(policy_parse_fail_on_count(&g, "high=3x", &err), ERR_USAGE);
	CHECK_INT(policy_parse_fail_on_count(&g, "high= 3", &err), ERR_USAGE);
	CHECK_INT(policy_parse_fail_on_count(&g, "high=99999999999999999999", &err), ERR_USAGE);
	CHECK_STR(err.buf, "--fail-on-count 'high=99999999999999999999': the count is too large");
	CHECK_INT(policy_parse_fail_on_count(&g, "bad=1", &err), ERR_USAGE);
	CHECK_STR(err.buf,
		  "unknown severity 'bad' in --fail-on-count: use critical, high, medium, low or unknown");
	CHECK_INT(policy_parse_fail_on_count(&g, "=1", &err), ERR_USAGE);
	CHECK(!strchr(err.buf, '\n'));
	CHECK_INT(g.max_count[SEVERITY_HIGH], 7);
	strbuf_release(&err);
}

TEST(policy_gate_no_threshold_passes)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;

	mixed(&f);
	policy_gate_init(&g);
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.would_fail, 0);
	CHECK_INT(d.nr_reasons, 0);
	CHECK_INT(d.nr_counted, 6);
	CHECK_INT(d.counted[SEVERITY_HIGH], 2);
	CHECK_INT(d.counted[SEVERITY_UNKNOWN], 1);
	policy_decision_release(&d);

	/* No findings at all, or no result, pass too. */
	policy_gate_init(&g);
	g.fail_on = SEVERITY_UNKNOWN;
	policy_decide(&g, NULL, NULL, NULL, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.nr_findings, 0);
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_fail_on_alone)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;

	mixed(&f);
	policy_gate_init(&g);
	g.fail_on = SEVERITY_HIGH;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.would_fail, 1);
	CHECK_INT(d.nr_reasons, 1);
	CHECK_STR(d.reasons[0],
		  "3 findings at or above high: CVE-2024-0001 in libc6 2.36-9+deb12u4, CVE-2024-0002 in "
		  "libc6 2.36-9+deb12u4, CVE-2024-0003 in openssl 3.0.11-1~deb12u2");
	CHECK_INT(d.failing[0] + d.failing[1] + d.failing[2], 3);
	CHECK_INT(d.failing[3] + d.failing[4] + d.failing[5], 0);
	policy_decision_release(&d);

	g.fail_on = SEVERITY_CRITICAL;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK_STR(d.reasons[0], "1 finding at or above critical: CVE-2024-0001 in libc6 2.36-9+deb12u4");
	policy_decision_release(&d);

	/* unknown is the lowest: every finding counts. */
	g.fail_on = SEVERITY_UNKNOWN;
	policy_decide(&g, f.res, NULL, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK(!strncmp(d.reasons[0], "6 findings at or above unknown: CVE-2024-0001, CVE-2024-0002,", 61));
	policy_decision_release(&d);
	policy_fixture_release(&f);

	/* Nothing at or above the threshold passes. */
	policy_fixture_init(&f);
	policy_fixture_scene(&f);
	policy_fixture_finding(&f, "CVE-2024-0004", NULL, 1, SEVERITY_MEDIUM, "3.0.13-1~deb12u1");
	g.fail_on = SEVERITY_HIGH;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.nr_reasons, 0);
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_fail_on_count_alone)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;

	mixed(&f);
	policy_gate_init(&g);
	g.max_count[SEVERITY_HIGH] = 2;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	policy_decision_release(&d);

	g.max_count[SEVERITY_HIGH] = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.nr_reasons, 1);
	CHECK_STR(d.reasons[0],
		  "2 high findings, more than the 1 allowed: CVE-2024-0002 in libc6 2.36-9+deb12u4, "
		  "CVE-2024-0003 in openssl 3.0.11-1~deb12u2");
	/* Only the findings of that severity failed it. */
	CHECK_INT(d.failing[0], 0);
	CHECK_INT(d.failing[1], 1);
	CHECK_INT(d.failing[2], 1);
	policy_decision_release(&d);

	/* A zero maximum fails on the first finding; each count gives a reason, most severe first. */
	g.max_count[SEVERITY_LOW] = 0;
	g.max_count[SEVERITY_CRITICAL] = 0;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.nr_reasons, 3);
	CHECK_STR(d.reasons[0],
		  "1 critical finding, more than the 0 allowed: CVE-2024-0001 in libc6 2.36-9+deb12u4");
	CHECK(!strncmp(d.reasons[1], "2 high findings", 15));
	CHECK_STR(d.reasons[2],
		  "1 low finding, more than the 0 allowed: GHSA-aaaa-bbbb-cccc in left-pad 1.3.0");
	policy_decision_release(&d);

	/* A count for a severity with no findings never fails. */
	policy_gate_init(&g);
	g.max_count[SEVERITY_MEDIUM] = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_only_fixed_alone)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;

	mixed(&f);
	policy_gate_init(&g);
	g.only_fixed = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	/* Alone it sets no threshold: it passes, and marks what took no part. */
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.nr_excluded, 2);
	CHECK_INT(d.nr_counted, 4);
	CHECK_INT(d.state[1], POLICY_EXCLUDED_UNFIXED);
	CHECK_INT(d.state[4], POLICY_EXCLUDED_UNFIXED);
	CHECK_INT(d.state[0], POLICY_COUNTED);
	CHECK_STR(policy_finding_state_name(d.state[1]), "excluded-unfixed");
	CHECK_INT(d.counted[SEVERITY_HIGH], 1);
	CHECK_INT(d.counted[SEVERITY_LOW], 0);
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_only_fixed_combined)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;

	/* The only high finding has no fix: with only_fixed it cannot fail the build. */
	policy_fixture_init(&f);
	policy_fixture_scene(&f);
	policy_fixture_finding(&f, "CVE-2024-0002", NULL, 0, SEVERITY_HIGH, NULL);
	policy_fixture_finding(&f, "CVE-2024-0004", NULL, 1, SEVERITY_MEDIUM, "3.0.13-1~deb12u1");
	policy_gate_init(&g);
	g.fail_on = SEVERITY_HIGH;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	policy_decision_release(&d);
	g.only_fixed = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.failing[0], 0);
	policy_decision_release(&d);
	g.max_count[SEVERITY_MEDIUM] = 0;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.nr_reasons, 1);
	CHECK(!strncmp(d.reasons[0], "1 medium finding, more than the 0 allowed: CVE-2024-0004", 56));
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_all_flags_combined)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;

	mixed(&f);
	policy_gate_init(&g);
	g.fail_on = SEVERITY_CRITICAL;
	g.max_count[SEVERITY_HIGH] = 0;
	g.max_count[SEVERITY_LOW] = 0;
	g.only_fixed = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	/* critical fails; one fixed high exceeds 0; the low one has no fix and is left out. */
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.nr_reasons, 2);
	CHECK_STR(d.reasons[0], "1 finding at or above critical: CVE-2024-0001 in libc6 2.36-9+deb12u4");
	CHECK_STR(d.reasons[1],
		  "1 high finding, more than the 0 allowed: CVE-2024-0003 in openssl 3.0.11-1~deb12u2");
	policy_decision_release(&d);

	g.audit = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.would_fail, 1);
	CHECK_INT(d.audit, 1);
	CHECK_INT(d.nr_reasons, 2);
	CHECK_STR(d.reasons[1],
		  "1 high finding, more than the 0 allowed: CVE-2024-0003 in openssl 3.0.11-1~deb12u2");
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_audit)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision plain, audit;

	mixed(&f);
	policy_gate_init(&g);
	g.fail_on = SEVERITY_HIGH;
	policy_decide(&g, f.res, &f.cat, NULL, &plain);
	g.audit = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &audit);
	/* Audit reports exactly what would have failed, and passes. */
	CHECK_INT(plain.passed, 0);
	CHECK_INT(audit.passed, 1);
	CHECK_INT(audit.would_fail, 1);
	CHECK_INT(audit.nr_reasons, plain.nr_reasons);
	for (size_t i = 0; i < plain.nr_reasons && i < audit.nr_reasons; i++)
		CHECK_STR(audit.reasons[i], plain.reasons[i]);
	CHECK(!memcmp(audit.failing, plain.failing, f.res->nr_findings));
	policy_decision_release(&plain);
	policy_decision_release(&audit);

	/* Audit with nothing to fail is a plain pass. */
	g.fail_on = POLICY_FAIL_ON_NONE;
	policy_decide(&g, f.res, &f.cat, NULL, &audit);
	CHECK_INT(audit.passed, 1);
	CHECK_INT(audit.would_fail, 0);
	policy_decision_release(&audit);
	policy_fixture_release(&f);
}

TEST(policy_gate_suppressed_never_count)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;
	struct finding *fi;

	policy_fixture_init(&f);
	policy_fixture_scene(&f);
	fi = policy_fixture_finding(&f, "CVE-2024-0001", NULL, 0, SEVERITY_CRITICAL, "2.36-9+deb12u5");
	fi->suppressed_by = "vex";
	fi->suppressed_reason = "not_affected: vulnerable_code_not_present";
	fi = policy_fixture_finding(&f, "CVE-2024-0002", NULL, 0, SEVERITY_HIGH, NULL);
	fi->suppressed_by = "ignore";
	fi->suppressed_reason = "accepted until the base image moves";
	fi = policy_fixture_finding(&f, "CVE-2024-0003", NULL, 1, SEVERITY_HIGH, "3.0.13-1~deb12u1");
	fi->vex_status = "affected";
	policy_gate_init(&g);
	g.fail_on = SEVERITY_CRITICAL;
	g.max_count[SEVERITY_HIGH] = 1;
	g.only_fixed = 1;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 1);
	CHECK_INT(d.nr_suppressed, 2);
	CHECK_INT(d.nr_excluded, 0); /* suppression comes first: the unfixed one is counted as suppressed */
	CHECK_INT(d.state[0], POLICY_SUPPRESSED);
	CHECK_INT(d.state[1], POLICY_SUPPRESSED);
	/* An attached affected statement keeps the finding counted. */
	CHECK_INT(d.state[2], POLICY_COUNTED);
	CHECK_INT(d.counted[SEVERITY_CRITICAL], 0);
	policy_decision_release(&d);
	g.max_count[SEVERITY_HIGH] = 0;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK_STR(d.reasons[0],
		  "1 high finding, more than the 0 allowed: CVE-2024-0003 in openssl 3.0.11-1~deb12u2");
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_gate_reasons_are_bounded_and_printable)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;
	size_t evil;
	static const char *const ids[] = {"CVE-1", "CVE-2", "CVE-3",  "CVE-4",	"CVE-5",  "CVE-6", "CVE-7",
					  "CVE-8", "CVE-9", "CVE-10", "CVE-11", "CVE-12", "CVE-13"};

	policy_fixture_init(&f);
	evil = policy_fixture_package(&f, "npm", "evil\x1b[31m\xff", "1.0.0\x07", "pkg:npm/evil@1.0.0",
				      "app/node_modules/evil/package.json", "app/node_modules/evil");
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		policy_fixture_finding(&f, ids[i], NULL, evil, SEVERITY_HIGH, NULL);
	policy_gate_init(&g);
	g.fail_on = SEVERITY_HIGH;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.nr_reasons, 1);
	CHECK(strstr(d.reasons[0], "13 findings at or above high: CVE-1 in evil?[31m"));
	CHECK(strstr(d.reasons[0], "CVE-10 in evil"));
	CHECK(!strstr(d.reasons[0], "CVE-11"));
	CHECK(strstr(d.reasons[0], " and 3 more"));
	for (const char *p = d.reasons[0]; *p; p++)
		CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	/* Every finding that crossed the threshold is marked, named or not. */
	for (size_t i = 0; i < f.res->nr_findings; i++)
		CHECK_INT(d.failing[i], 1);
	policy_decision_release(&d);
	policy_fixture_release(&f);
}
