/* Unit tests for the JUnit XML writer. */
#include <stdlib.h>
#include <string.h>

#include "report_scan_fixture.h"
#include "test.h"

#define TAIL "</system-err>\n  </testsuite>\n</testsuites>\n"

/* The text from the testcase whose name starts with name up to its end. */
static char *testcase(const char *xml, const char *name)
{
	char needle[128];
	const char *start, *end;

	snprintf(needle, sizeof(needle), "<testcase name=\"%s", name);
	start = strstr(xml, needle);
	if (!start)
		return NULL;
	end = strstr(start, "</testcase>");
	if (!end || (strstr(start, "/>") && strstr(start, "/>") < strstr(start, ">")))
		end = strstr(start, "/>");
	return end ? strndup(start, end - start) : NULL;
}

TEST(report_junit_document)
{
	struct scan_fixture s;
	char *xml, *tc;

	scan_fixture_init(&s);
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(!strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 50));
	/* One suite for the image, one case per package; five packages have active findings. */
	CHECK_INT(scan_count(xml, "<testsuite "), 1);
	CHECK_INT(scan_count(xml, "<testcase "), REPORT_FIXTURE_PACKAGES);
	CHECK(scan_has(xml, "<testsuites name=\"customs\" tests=\"6\" failures=\"5\" errors=\"0\""));
	CHECK(scan_has(xml, "<testsuite name=\"example/app:1.0\" tests=\"6\" failures=\"5\" errors=\"0\" "
			    "skipped=\"0\" time=\"0\" timestamp=\"2023-11-14T22:13:20\">"));
	CHECK_INT(scan_count(xml, "<failure "), 5);

	tc = testcase(xml, "base-files 12.4+deb12u5");
	CHECK(tc && scan_has(tc, "classname=\"example/app.deb\"") && !scan_has(tc, "<failure"));
	free(tc);

	/* libc6: one active finding fails it, the VEX-suppressed one is only reported. */
	tc = testcase(xml, "libc6 2.36-9+deb12u4");
	CHECK(tc && scan_has(tc, "<failure type=\"vulnerability\" message=\"1 vulnerability: 1 high\">"));
	CHECK(tc && scan_has(tc, "CVE-2023-4911 (high) also DSA-5514-1, GHSA-m77w-6vjw-wh2f; fixed in "
				 "2.36-9+deb12u3; VEX affected: glibc"));
	CHECK(tc && scan_has(tc, "<system-out>CVE-2023-9999 (high); no fix yet; suppressed by vex: not_affected"));
	CHECK(tc && strstr(tc, "<failure") < strstr(tc, "<system-out>"));
	CHECK(tc && !scan_has(strstr(tc, "</failure>"), "4911"));
	free(tc);

	/* The two copies of left-pad are told apart by their path. */
	tc = testcase(xml, "left-pad 1.3.0 at /app/node_modules/left-pad/package.json");
	CHECK(tc && scan_has(tc, "message=\"1 vulnerability: 1 medium\""));
	CHECK(tc && scan_has(tc, "suppressed by ignore: not reachable &lt;b&gt;&amp; | `"));
	free(tc);
	CHECK(scan_has(xml, "<testcase name=\"left-pad 1.3.0 at "
			    "/app/node_modules/@scope/pkg/node_modules/left-pad/"));

	/* The warnings go to the suite's system-err. */
	CHECK(scan_has(xml, "<system-err>layer 1: skipped device node 'dev/null'\n"));
	CHECK(strlen(xml) > strlen(TAIL) && !strcmp(xml + strlen(xml) - strlen(TAIL), TAIL));
	free(xml);
	scan_fixture_release(&s);
}

TEST(report_junit_escapes)
{
	struct scan_fixture s;
	char *xml;

	scan_fixture_init(&s);
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(!scan_has(xml, "<script>") && scan_has(xml, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	CHECK(!scan_has(xml, "]]>") && scan_has(xml, "]]&gt;"));
	/* Attributes escape quotes; control characters XML forbids are gone, ill-formed bytes replaced. */
	CHECK(scan_has(xml, "<testcase name=\"evil[31m\xef\xbf\xbd\xef\xbf\xbd 1.0.0 at "));
	CHECK(scan_has(xml, "evil ]0;owned title \xef\xbf\xbd"));
	CHECK(!strchr(xml, '\x1b') && !strchr(xml, '\x07') && !strchr(xml, '\x01'));
	free(xml);

	s.f.tags[0] = "a\"b'<c>&\td";
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(scan_has(xml, "<testsuite name=\"a&quot;b&apos;&lt;c&gt;&amp;&#9;d\""));
	free(xml);
	scan_fixture_release(&s);
}

TEST(report_junit_no_findings)
{
	struct scan_fixture s;
	char *xml;

	scan_fixture_init(&s);
	s.res.nr_findings = 0;
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(scan_has(xml, "tests=\"6\" failures=\"0\""));
	CHECK(!scan_has(xml, "<failure") && !scan_has(xml, "<system-out>"));
	free(xml);
	/* An SBOM run: every package passes. */
	s.f.in.match = NULL;
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(scan_has(xml, "failures=\"0\"") && scan_count(xml, "<testcase ") == REPORT_FIXTURE_PACKAGES);
	free(xml);
	scan_fixture_release(&s);
}

TEST(report_junit_gate_verdict)
{
	struct scan_fixture s;
	char *xml, *tc;

	/* With a gate, only what crossed a threshold fails a test case. */
	scan_fixture_init(&s);
	scan_fixture_gate(&s, 0);
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(scan_has(xml, "<testsuite name=\"example/app:1.0\" tests=\"6\" failures=\"2\""));
	CHECK_INT(scan_count(xml, "<failure "), 2);
	CHECK(scan_has(xml, "CVE-2024-1111 (critical); fixed in 1.2.4; fails the policy: "));
	CHECK(!scan_has(xml, "audit mode"));
	tc = testcase(xml, "left-pad 1.3.0 at /app/node_modules/left-pad/package.json");
	CHECK(tc && !scan_has(tc, "<failure") && scan_has(tc, "; no fix yet; no fix, left out of the decision"));
	free(tc);
	tc = testcase(xml, "left-pad 1.3.0 at /app/node_modules/@scope");
	CHECK(tc && scan_has(tc, "<system-out>GHSA-aaaa-bbbb-cccc (medium); fixed in 1.3.1; within the policy's "
				 "thresholds\n"));
	free(tc);
	free(xml);

	/* Audit mode fails nothing, and says what would have failed. */
	scan_fixture_gate(&s, 1);
	xml = scan_fixture_render(&report_writer_junit, &s);
	CHECK(scan_has(xml, "failures=\"0\"") && !scan_has(xml, "<failure"));
	CHECK(scan_has(xml, "CVE-2024-1111 (critical); fixed in 1.2.4; would fail the policy (audit mode): "));
	free(xml);
	scan_fixture_release(&s);
}
