/* Unit tests for the posture-check test cases in the JUnit report. */
#include <stdlib.h>
#include <string.h>

#include "report_checks_fixture.h"
#include "test.h"

/* The text of the testcase whose name starts with name, up to its end. */
static char *testcase(const char *xml, const char *name)
{
	char needle[128];
	const char *start, *end;

	snprintf(needle, sizeof(needle), "<testcase name=\"%s", name);
	start = strstr(xml, needle);
	if (!start)
		return NULL;
	end = strstr(start, "</testcase>");
	return end ? strndup(start, end - start) : NULL;
}

TEST(report_checks_junit_cases)
{
	struct checks_fixture c;
	char *xml, *tc;

	checks_fixture_init(&c);
	xml = scan_fixture_render(&report_writer_junit, &c.s);
	/* Six packages and four rules with findings; without a gate every active finding fails. */
	CHECK(scan_has(xml, "<testsuites name=\"customs\" tests=\"10\" failures=\"8\" errors=\"0\""));
	CHECK(scan_has(xml, "tests=\"10\" failures=\"8\" errors=\"0\" skipped=\"1\" time=\"0\""));
	CHECK_INT(scan_count(xml, "<testcase "), REPORT_FIXTURE_PACKAGES + 4);
	tc = testcase(xml, "CUS-CFG-001 Image runs as root");
	CHECK(tc != NULL);
	CHECK(scan_has(tc, "classname=\"customs.checks.config\""));
	CHECK(scan_has(tc, "<failure type=\"check\" message=\"2 medium findings\">"));
	CHECK(scan_has(tc, "image config (medium): no USER. The image config sets no user"));
	CHECK(scan_has(tc, "Dockerfile:12 (medium): USER root"));
	free(tc);
	tc = testcase(xml, "CUS-SEC-003 AWS access key ID");
	CHECK(scan_has(tc, "classname=\"customs.checks.secret\""));
	CHECK(scan_has(tc, "/app/.env:3 (high)"));
	free(tc);
	tc = testcase(xml, "CUS-CFG-002 ");
	CHECK(scan_has(tc, "image config (Dockerfile:7) (high): API_TOKEN"));
	free(tc);
	/* Every finding of the rule suppressed: skipped, with the reason. */
	tc = testcase(xml, "CUS-SEC-001 ");
	CHECK(scan_has(tc, "<skipped message=\"1 finding suppressed\">"));
	CHECK(scan_has(tc, "suppressed by ignore: test key | &lt;b&gt;only&lt;/b&gt;"));
	CHECK(!scan_has(tc, "<failure"));
	free(tc);
	free(xml);
	checks_fixture_release(&c);
}

TEST(report_checks_junit_gate)
{
	struct checks_fixture c;
	char *xml, *tc;

	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	xml = scan_fixture_render(&report_writer_junit, &c.s);
	/* The gate fails two packages and the two high rules; the medium rule passes. */
	CHECK(scan_has(xml, "<testsuites name=\"customs\" tests=\"10\" failures=\"4\""));
	tc = testcase(xml, "CUS-CFG-001 ");
	CHECK(!scan_has(tc, "<failure"));
	CHECK(scan_has(tc, "<system-out>"));
	CHECK(scan_has(tc, "within the policy's thresholds"));
	free(tc);
	tc = testcase(xml, "CUS-SEC-003 ");
	CHECK(scan_has(tc, "<failure type=\"check\" message=\"1 high finding\">"));
	free(tc);
	free(xml);

	/* Audit mode never fails a test case, and says what would have failed. */
	checks_fixture_gate(&c, 1);
	xml = scan_fixture_render(&report_writer_junit, &c.s);
	CHECK(!scan_has(xml, "<failure"));
	tc = testcase(xml, "CUS-SEC-003 ");
	CHECK(scan_has(tc, "would fail the policy (audit mode)"));
	free(tc);
	free(xml);
	checks_fixture_release(&c);
}

TEST(report_checks_junit_hostile)
{
	struct checks_fixture c;
	char *xml, *tc;

	checks_fixture_init(&c);
	xml = scan_fixture_render(&report_writer_junit, &c.s);
	tc = testcase(xml, "CUS-SEC-003 ");
	CHECK(scan_has(tc, "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt; | `y` *z* &amp; \"q\" ]]&gt;"));
	CHECK(!scan_has(tc, "</script>"));
	CHECK(!scan_has(tc, "\xff"));
	free(tc);
	free(xml);
	checks_fixture_release(&c);
}

TEST(report_checks_junit_absent)
{
	struct checks_fixture c;
	struct scan_fixture s;
	char *with_null, *plain;

	checks_fixture_init(&c);
	c.s.f.in.checks = NULL;
	with_null = scan_fixture_render(&report_writer_junit, &c.s);
	scan_fixture_init(&s);
	plain = scan_fixture_render(&report_writer_junit, &s);
	CHECK_STR(with_null, plain);
	CHECK(!scan_has(with_null, ".checks."));
	free(with_null);
	free(plain);
	scan_fixture_release(&s);
	checks_fixture_release(&c);
}
