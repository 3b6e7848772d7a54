/* Unit tests for the Checks section of the HTML report. */
#include <stdlib.h>
#include <string.h>

#include "report_checks_fixture.h"
#include "test.h"

/* The text of the table with that id, up to its end. */
static char *table(const char *html, const char *id)
{
	char needle[96];
	const char *start, *end;

	snprintf(needle, sizeof(needle), "<table class=\"rows\" id=\"%s\">", id);
	start = strstr(html, needle);
	end = start ? strstr(start, "</table>") : NULL;
	return end ? strndup(start, end - start) : NULL;
}

TEST(report_checks_html_section)
{
	struct checks_fixture c;
	char *html, *t;

	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	html = scan_fixture_render(&report_writer_html, &c.s);
	CHECK(scan_has(
	    html, "<section id=\"checks\">\n<h2>Checks (4)</h2>\n<p>4 check findings (1 suppressed) from "
		  "the config, secret, dockerfile checks.</p>"));
	/* Between the findings and the layers. */
	CHECK(strstr(html, "id=\"checks\"") > strstr(html, "id=\"findings\""));
	CHECK(strstr(html, "id=\"checks\"") < strstr(html, "id=\"layers\""));
	t = table(html, "t-checks");
	CHECK(t != NULL);
	CHECK_INT(scan_count(t, "<tr data-sev="), 4);
	CHECK(scan_has(t, "<tr data-sev=\"high\" data-pkg=\"CUS-CFG-002 image config\" data-layer=\"-1\">"));
	CHECK(scan_has(t, "<td>image config (Dockerfile:7)</td><td>API_TOKEN</td>"));
	CHECK(scan_has(t, "<td>/app/.env:3</td>"));
	CHECK(scan_has(t, "<td>Dockerfile:12</td><td>USER root</td>"));
	CHECK(scan_has(t, "<summary class=\"small\">Why and what to do</summary>"));
	CHECK(scan_has(t, "<span class=\"small mono\">ENV API_TOKEN=[redacted]</span>"));
	CHECK(scan_has(
	    t, "<td data-key=\"1\" title=\"RUN npm install &quot;@scope/pkg&quot; \xe2\x9c\x93\">1</td>"));
	CHECK_INT(scan_count(t, "<span class=\"state-failing\">failing</span>"), 2);
	CHECK_INT(scan_count(t, "<td>within policy</td>"), 2);
	CHECK(!scan_has(t, "CUS-SEC-001"));
	free(t);
	t = table(html, "t-checks-suppressed");
	CHECK(t != NULL);
	CHECK(scan_has(t, "CUS-SEC-001"));
	CHECK(scan_has(t, "<td>ignore</td><td>test key | &lt;b&gt;only&lt;/b&gt;</td>"));
	free(t);
	free(html);
	checks_fixture_release(&c);
}

TEST(report_checks_html_hostile)
{
	struct checks_fixture c;
	char *html;

	checks_fixture_init(&c);
	html = scan_fixture_render(&report_writer_html, &c.s);
	CHECK(scan_has(html,
		       "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt; | `y` *z* &amp; &quot;q&quot; ]]&gt;  ]0;owned  "
		       "\xef\xbf\xbd\xef\xbf\xbd end"));
	/* Still exactly one script, the page's own. */
	CHECK_INT(scan_count(html, "<script"), 1);
	CHECK_INT(scan_count(html, "</script"), 1);
	free(html);
	checks_fixture_release(&c);
}

TEST(report_checks_html_absent)
{
	struct checks_fixture c;
	struct scan_fixture s;
	char *with_null, *plain;

	checks_fixture_init(&c);
	c.s.f.in.checks = NULL;
	with_null = scan_fixture_render(&report_writer_html, &c.s);
	scan_fixture_init(&s);
	plain = scan_fixture_render(&report_writer_html, &s);
	CHECK_STR(with_null, plain);
	CHECK(!scan_has(with_null, "id=\"checks\""));
	free(with_null);
	free(plain);
	scan_fixture_release(&s);

	/* Checks that ran clean, on an image without vulnerabilities: a line that says so, no table. */
	c.s.f.in.checks = &c.checks;
	c.checks.nr = 0;
	c.s.res.nr_findings = 0;
	with_null = scan_fixture_render(&report_writer_html, &c.s);
	CHECK(scan_has(with_null,
		       "<h2>Checks (0)</h2>\n<p>No check findings from the config, secret, dockerfile "
		       "checks.</p>"));
	CHECK(!scan_has(with_null, "id=\"t-checks\""));
	free(with_null);
	checks_fixture_release(&c);
}
