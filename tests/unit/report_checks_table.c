/* Unit tests for the posture-check findings in the table report. */
#include <stdlib.h>
#include <string.h>

#include "report_checks_fixture.h"
#include "test.h"

TEST(report_checks_table_rows)
{
	struct checks_fixture c;
	char *text;

	checks_fixture_init(&c);
	text = scan_fixture_render(&report_writer_table, &c.s);
	CHECK(scan_has(text, "\nSEVERITY  CHECK        TITLE"));
	CHECK(scan_has(text, "CUS-CFG-002  Secret in an environment variable"));
	/* Where each finding is: a file and line, the Dockerfile, or the image config with its Dockerfile
	 * line. */
	CHECK(scan_has(text, "/app/.env:3 "));
	CHECK(scan_has(text, "Dockerfile:12 "));
	CHECK(scan_has(text, "image config (Dockerfile:7)"));
	CHECK(scan_has(text, "image config "));
	CHECK(scan_has(text, "API_TOKEN"));
	/* The suppressed key is left out, as suppressed vulnerabilities are. */
	CHECK(!scan_has(text, "CUS-SEC-001"));
	CHECK(scan_has(text, "4 check findings: 0 critical, 2 high, 2 medium, 0 low, 0 unknown\n"));
	CHECK(scan_has(text, "1 check finding suppressed (ignore)\n"));
	/* The check table comes after the vulnerabilities and before the summary. */
	CHECK(strstr(text, "CVE-2024-1111") < strstr(text, "CUS-CFG-002"));
	CHECK(strstr(text, "CUS-CFG-002") < strstr(text, "check findings:"));
	free(text);
	checks_fixture_release(&c);
}

TEST(report_checks_table_hostile)
{
	struct checks_fixture c;
	char *text, *row;

	checks_fixture_init(&c);
	text = scan_fixture_render(&report_writer_table, &c.s);
	row = strstr(text, "/app/.env:3");
	CHECK(row != NULL);
	/* Escapes and the bell become '?', bad bytes U+FFFD; nothing reaches the terminal raw. */
	CHECK(scan_has(text, "?]0;owned? "));
	CHECK(!scan_has(text, "\xff"));
	free(text);
	checks_fixture_release(&c);
}

TEST(report_checks_table_severity_filter)
{
	struct checks_fixture c;
	char *text;

	checks_fixture_init(&c);
	c.s.f.in.shown_severities = 1u << SEVERITY_HIGH | 1u << SEVERITY_CRITICAL;
	text = scan_fixture_render(&report_writer_table, &c.s);
	CHECK(scan_has(text, "CUS-CFG-002"));
	CHECK(scan_has(text, "CUS-SEC-003"));
	CHECK(!scan_has(text, "CUS-CFG-001"));
	CHECK(scan_has(text, "2 check findings not shown by --severity\n"));
	/* The counts stay those of every active finding. */
	CHECK(scan_has(text, "4 check findings: 0 critical, 2 high, 2 medium"));
	free(text);

	/* Nothing shown: no table at all, not an empty one. */
	c.s.f.in.shown_severities = 1u << SEVERITY_LOW;
	text = scan_fixture_render(&report_writer_table, &c.s);
	CHECK(!scan_has(text, "CHECK "));
	free(text);
	checks_fixture_release(&c);
}

TEST(report_checks_table_absent)
{
	struct checks_fixture c;
	char *with_null, *plain;
	struct scan_fixture s;

	checks_fixture_init(&c);
	c.s.f.in.checks = NULL;
	with_null = scan_fixture_render(&report_writer_table, &c.s);
	CHECK(!scan_has(with_null, "CHECK "));
	CHECK(!scan_has(with_null, "check finding"));
	scan_fixture_init(&s);
	plain = scan_fixture_render(&report_writer_table, &s);
	CHECK_STR(with_null, plain);
	free(with_null);
	free(plain);

	/* Checks that ran and found nothing: no table and no line, the table of a scan without checks. */
	c.s.f.in.checks = &c.checks;
	c.checks.nr = 0;
	with_null = scan_fixture_render(&report_writer_table, &c.s);
	plain = scan_fixture_render(&report_writer_table, &s);
	CHECK_STR(with_null, plain);
	free(with_null);
	free(plain);

	/* Only dropped ones (a hostile flood) are still worth a line. */
	c.checks.per_rule_dropped = 300;
	with_null = scan_fixture_render(&report_writer_table, &c.s);
	CHECK(scan_has(with_null,
		       "300 more check findings not listed (at most 256 per rule)\nno check findings\n"));
	free(with_null);
	scan_fixture_release(&s);
	checks_fixture_release(&c);
}

TEST(report_checks_table_print)
{
	struct checks_fixture c;
	char *text;

	if (!getenv("REPORT_CHECKS_PRINT"))
		return;
	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	text = scan_fixture_render(&report_writer_table, &c.s);
	fputs(text, stderr);
	free(text);
	checks_fixture_release(&c);
}
