/* Unit tests for the Markdown summary. */
#include <stdlib.h>
#include <string.h>

#include "report_scan_fixture.h"
#include "test.h"

TEST(report_markdown_summary)
{
	struct scan_fixture s;
	char *md;

	scan_fixture_init(&s);
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(!strncmp(md, "## Customs scan: example/app:1.0\n\n", strlen("## Customs scan: example/app:1.0\n\n")));
	CHECK(scan_has(md, "\n**5 vulnerabilities found** (2 suppressed) in 6 packages on Debian GNU/Linux 12 "
			   "(bookworm).\n"));
	CHECK(scan_has(md, "| Critical | 1 |\n| High | 1 |\n| Medium | 2 |\n| Low | 1 |\n| Unknown | 0 |\n"));
	CHECK(scan_has(md, "\n### Findings\n"));
	CHECK(scan_has(md, "| high | CVE-2023-4911 | libc6 | 2.36-9+deb12u4 | 2.36-9+deb12u3 | glibc: buffer "
			   "overflow in the dynamic loader |\n"));
	CHECK(scan_has(md, "| medium | GHSA-aaaa-bbbb-cccc | left-pad | 1.3.0 | 1.3.1 | - |\n"));
	/* Active findings only in the table, in severity order. */
	CHECK(!scan_has(md, "| high | CVE-2023-9999"));
	CHECK(strstr(md, "CVE-2024-1111") < strstr(md, "CVE-2023-4911"));
	CHECK(scan_has(md, "\n### Suppressed\n\n2 findings were suppressed by ignore rules or VEX statements:\n"));
	CHECK(scan_has(md, "| CVE-2023-9999 | libc6 | 2.36-9+deb12u4 | vex | not\\_affected: "
			   "vulnerable\\_code\\_not\\_in\\_execute\\_path |\n"));
	CHECK(scan_has(md, "| OSV-2024-1 | left-pad | 1.3.0 | ignore | not reachable &lt;b&gt;&amp; \\| \\` |\n"));
	CHECK(scan_has(md, "\n### Warnings\n\n- layer 1: skipped device node 'dev/null'\n"));
	free(md);
	scan_fixture_release(&s);
}

TEST(report_markdown_escapes_cells)
{
	struct scan_fixture s;
	char *md;

	scan_fixture_init(&s);
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(!scan_has(md, "<script>") && !scan_has(md, "[link](") && !scan_has(md, "]]>"));
	CHECK(scan_has(md, "| critical | CVE-2024-1111 | @scope/pkg | 1.2.3 | 1.2.4 | "
			   "&lt;script&gt;alert(1)&lt;/script&gt; "
			   "\\| \\`x\\` \\*y\\* &amp; \"q\" \\]\\]&gt; \\[link\\](javascript:x) |\n"));
	/* Control characters become spaces, so a title cannot end a row or colour a terminal. */
	CHECK(scan_has(md, "| low | CVE-2024-0003 | evil \\[31m\xef\xbf\xbd\xef\xbf\xbd | 1.0.0  | 1.0.1 | "
			   "evil  \\]0;owned  title \xef\xbf\xbd  |\n"));
	free(md);
	scan_fixture_release(&s);
}

TEST(report_markdown_top_findings_and_size)
{
	struct scan_fixture s;
	char *md;

	scan_fixture_init(&s);
	scan_fixture_many(&s, 30, 10, 10);
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(scan_has(md, "**30 vulnerabilities found** in 6 packages"));
	CHECK(scan_has(md, "\n### Most severe findings\n"));
	CHECK_INT(scan_count(md, "\n| high | CVE-2099-"), 10);
	CHECK_INT(scan_count(md, "\n| low | CVE-2099-"), 10);
	CHECK(scan_has(md, "\n10 more in the full report.\n"));
	CHECK(!scan_has(md, "### Suppressed"));
	free(md);
	scan_fixture_release(&s);

	/* Huge titles on many findings: still well under GitHub's 1 MiB. */
	scan_fixture_init(&s);
	scan_fixture_many(&s, 20000, 100, 100000);
	for (size_t i = 0; i < 20000; i += 2)
		s.many[i].suppressed_by = "ignore", s.many[i].suppressed_reason = s.many[i].title;
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(strlen(md) < 1000 * 1000);
	CHECK(scan_has(md, "\n9950 more in the full report.\n"));
	free(md);
	scan_fixture_release(&s);
}

TEST(report_markdown_no_findings)
{
	struct scan_fixture s;
	char *md;

	scan_fixture_init(&s);
	s.res.nr_findings = 0;
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(scan_has(md, "\n**No vulnerabilities found** in 6 packages"));
	CHECK(scan_has(md, "| Critical | 0 |") && !scan_has(md, "### Findings"));
	free(md);
	/* An SBOM run has no verdict to give. */
	s.f.in.match = NULL;
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(scan_has(md, "\n**6 packages**; no vulnerability scan was run.\n") && !scan_has(md, "| Critical"));
	free(md);
	scan_fixture_release(&s);
}

TEST(report_markdown_gate_verdict)
{
	struct scan_fixture s;
	char *md;

	scan_fixture_init(&s);
	scan_fixture_gate(&s, 0);
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(scan_has(md, "\n**Policy failed**; 1 finding without a fix left out of the decision:\n\n"
			   "- 2 findings at or above high: CVE-2024-1111 in @scope/pkg, CVE-2023-4911 in "
			   "&lt;libc6&gt; \\| x\n\n5 vulnerabilities found (2 suppressed) in 6 packages"));
	free(md);

	scan_fixture_gate(&s, 1);
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(scan_has(md, "\n**Policy would have failed** (audit mode: the build passes); 1 finding"));
	free(md);

	s.verdict.would_fail = 0;
	s.verdict.nr_reasons = 0;
	s.verdict.excluded = NULL;
	md = scan_fixture_render(&report_writer_markdown, &s);
	CHECK(scan_has(md, "\n**Policy passed**.\n\n5 vulnerabilities found (2 suppressed)"));
	free(md);
	scan_fixture_release(&s);
}
