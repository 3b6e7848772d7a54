/* Unit tests for the Checks section of the Markdown summary. */
#include <stdlib.h>
#include <string.h>

#include "report_checks_fixture.h"
#include "test.h"
#include "util/xalloc.h"

TEST(report_checks_markdown_section)
{
	struct checks_fixture c;
	char *md;

	checks_fixture_init(&c);
	md = scan_fixture_render(&report_writer_markdown, &c.s);
	CHECK(scan_has(
	    md,
	    "\n### Checks\n\n4 check findings (1 suppressed) from the config, secret, dockerfile checks.\n"));
	CHECK(scan_has(md, "| Kind | Critical | High | Medium | Low | Unknown |\n"));
	CHECK(scan_has(md, "| config | 0 | 1 | 2 | 0 | 0 |\n"));
	CHECK(scan_has(md, "| secret | 0 | 1 | 0 | 0 | 0 |\n"));
	CHECK(scan_has(md, "| dockerfile | 0 | 0 | 0 | 0 | 0 |\n"));
	CHECK(scan_has(md, "#### Check findings\n"));
	CHECK(scan_has(
	    md, "| high | CUS-CFG-002 | Secret in an environment variable | image config (Dockerfile:7) | "
		"API\\_TOKEN |\n"));
	CHECK(scan_has(md, "| medium | CUS-CFG-001 | Image runs as root | Dockerfile:12 | USER root |\n"));
	CHECK(scan_has(md, "| /app/.env:3 |"));
	CHECK(scan_has(md, "#### Suppressed checks\n\n1 check finding was suppressed by ignore rules:\n"));
	CHECK(scan_has(md, "| CUS-SEC-001 | /root/.ssh/id\\_rsa:1 |"));
	CHECK(scan_has(md, "| ignore | test key \\| &lt;b&gt;only&lt;/b&gt; |\n"));
	/* Before the warnings, after the vulnerabilities. */
	CHECK(strstr(md, "### Checks") > strstr(md, "### Suppressed"));
	CHECK(strstr(md, "### Checks") < strstr(md, "### Warnings"));
	free(md);
	checks_fixture_release(&c);
}

TEST(report_checks_markdown_hostile)
{
	struct checks_fixture c;
	char *md, *row, *end;

	checks_fixture_init(&c);
	md = scan_fixture_render(&report_writer_markdown, &c.s);
	row = strstr(md, "| high | CUS-SEC-003 |");
	CHECK(row != NULL);
	end = row ? strchr(row, '\n') : NULL;
	if (row && end) {
		char *line = strndup(row, end - row);

		size_t bars = 0;

		/* One row of five cells: the pipe, the markup and the backticks cannot break out of theirs.
		 */
		for (const char *p = line; *p; p++)
			bars += *p == '|' && (p == line || p[-1] != '\\');
		CHECK_INT(bars, 6);
		CHECK(scan_has(line, "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt; \\| \\`y\\` \\*z\\* &amp;"));
		CHECK(!scan_has(line, "</script>"));
		free(line);
	}
	free(md);
	checks_fixture_release(&c);
}

TEST(report_checks_markdown_caps)
{
	struct checks_fixture c;
	char *md;

	checks_fixture_init(&c);
	/* Many findings of one rule: the top 20 are listed, the rest counted, and it stays small. */
	for (int i = 0; i < 300; i++) {
		struct check_finding f = {
		    .rule = check_rule_find("CUS-SEC-003"),
		    .path = arena_printf(&c.checks.arena, "app/%03d.env", i),
		    .line = 1,
		    .subject = "AKIA\xe2\x80\xa6 (20 chars)",
		    .layer = 1,
		    .history = -1,
		};
		check_results_add(&c.checks, &f);
	}
	check_results_sort(&c.checks);
	md = scan_fixture_render(&report_writer_markdown, &c.s);
	CHECK(scan_has(md, "#### Most severe check findings\n"));
	/* The top 20: the high CUS-CFG-002, then 19 of the key findings. */
	CHECK_INT(scan_count(md, "| CUS-SEC-003 |"), 19);
	CHECK(scan_has(md, "more in the full report.\n"));
	CHECK(scan_has(md, "more were only counted: each rule reports at most 256.\n"));
	CHECK(strlen(md) < 1000 * 1000);
	free(md);
	checks_fixture_release(&c);
}

TEST(report_checks_markdown_absent)
{
	struct checks_fixture c;
	struct scan_fixture s;
	char *with_null, *plain;

	checks_fixture_init(&c);
	c.s.f.in.checks = NULL;
	with_null = scan_fixture_render(&report_writer_markdown, &c.s);
	scan_fixture_init(&s);
	plain = scan_fixture_render(&report_writer_markdown, &s);
	CHECK_STR(with_null, plain);
	CHECK(!scan_has(with_null, "Checks"));
	free(with_null);
	free(plain);
	scan_fixture_release(&s);

	/* Checks that found nothing add nothing. */
	c.s.f.in.checks = &c.checks;
	c.checks.nr = 0;
	c.checks.kinds_run = 1u << CHECK_KIND_VULN | 1u << CHECK_KIND_CONFIG;
	with_null = scan_fixture_render(&report_writer_markdown, &c.s);
	CHECK(!scan_has(with_null, "Checks"));
	free(with_null);

	/* Only suppressed ones: the section says none is active, with no table of zeros. */
	c.checks.nr = CHECKS_FIXTURE_FINDINGS;
	for (size_t i = 0; i < c.checks.nr; i++)
		c.checks.findings[i].suppressed_by = "ignore";
	with_null = scan_fixture_render(&report_writer_markdown, &c.s);
	CHECK(
	    scan_has(with_null, "### Checks\n\nNo check findings (5 suppressed) from the config checks.\n"));
	CHECK(!scan_has(with_null, "| Kind |"));
	CHECK(scan_has(with_null, "#### Suppressed checks\n"));
	free(with_null);
	checks_fixture_release(&c);
}
