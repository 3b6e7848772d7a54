/* Unit tests for the HTML report: escaping, no network loads, the CSP hash, pages without JavaScript. */
#include <stdlib.h>
#include <string.h>

#include "report_scan_fixture.h"
#include "test.h"
#include "util/sha256.h"
#include "util/strbuf.h"

/* Standard base64 of raw, written here apart from the writer's so the two check each other. */
static void base64(struct strbuf *sb, const unsigned char *raw, size_t len)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		strbuf_addch(sb, a[raw[i] >> 2]);
		strbuf_addch(sb, a[((raw[i] & 3) << 4) | (raw[i + 1] >> 4)]);
		strbuf_addch(sb, a[((raw[i + 1] & 15) << 2) | (raw[i + 2] >> 6)]);
		strbuf_addch(sb, a[raw[i + 2] & 63]);
	}
	if (len - i == 1) {
		strbuf_addch(sb, a[raw[i] >> 2]);
		strbuf_addch(sb, a[(raw[i] & 3) << 4]);
		strbuf_addstr(sb, "==");
	} else if (len - i == 2) {
		strbuf_addch(sb, a[raw[i] >> 2]);
		strbuf_addch(sb, a[((raw[i] & 3) << 4) | (raw[i + 1] >> 4)]);
		strbuf_addch(sb, a[(raw[i + 1] & 15) << 2]);
		strbuf_addch(sb, '=');
	}
}

/* Neither scheme anywhere, so the page names no address a browser could load. */
static int has_url(const char *html)
{
	return scan_has(html, "http://") || scan_has(html, "https://");
}

TEST(report_html_page)
{
	struct scan_fixture s;
	char *html;

	scan_fixture_init(&s);
	html = scan_fixture_render(&report_writer_html, &s);
	CHECK(!strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">\n",
		       strlen("<!DOCTYPE html>\n<html lang=\"en\">\n")));
	CHECK(scan_has(html, "<title>Customs scan: example/app:1.0</title>"));
	CHECK(scan_has(html, "<h1>Customs scan: example/app:1.0</h1>"));
	CHECK(scan_has(html, "<dt>OS</dt><dd>Debian GNU/Linux 12 (bookworm)</dd>"));
	CHECK(scan_has(html, "<section id=\"layers\">\n<h2>Layers (2)</h2>"));
	CHECK(scan_has(html, "<p>5 vulnerabilities found (2 suppressed) in 6 packages.</p>"));
	CHECK(scan_has(html, "<span class=\"sev sev-critical\">critical</span></td><td>1</td>"));
	CHECK(scan_has(html, "<span class=\"sev sev-medium\">medium</span></td><td>2</td>"));
	CHECK(scan_has(html, "<span class=\"sev sev-unknown\">unknown</span></td><td>0</td>"));
	CHECK(scan_has(html, "<h2>Findings (5)</h2>"));
	CHECK(scan_has(html, "<h2>Suppressed (2)</h2>"));
	/* A finding with its aliases, layer, fixed version and attached VEX statement. */
	CHECK(scan_has(html, "<tr data-sev=\"high\" data-pkg=\"libc6\" data-layer=\"0\">"));
	CHECK(scan_has(html, "<span class=\"mono\">CVE-2023-4911</span><br><span class=\"small\">DSA-5514-1, "
			     "GHSA-m77w-6vjw-wh2f</span>"));
	CHECK(scan_has(html, "<td>2.36-9+deb12u3</td>"));
	CHECK(scan_has(html, "<td>VEX: affected<br><span class=\"small\">upgrade planned</span></td>"));
	/* Suppressed findings with who and why, not in the active table. */
	CHECK(scan_has(html, "<td>vex</td><td>not_affected: vulnerable_code_not_in_execute_path</td></tr>"));
	CHECK(scan_has(html, "<td>ignore</td><td>not reachable &lt;b&gt;&amp; | `</td></tr>"));
	CHECK(strstr(html, "CVE-2023-9999") > strstr(html, "<h2>Suppressed (2)</h2>"));
	/* An out-of-range layer is unknown, for the layer filter too. */
	CHECK(scan_has(html, "data-layer=\"-1\"><td data-key=\"3\"><span class=\"sev sev-low\">"));
	CHECK(scan_has(html, "<option value=\"-1\">unknown</option>"));
	CHECK(scan_has(html, "<li>layer 1: skipped device node &#39;dev/null&#39;</li>"));
	CHECK(!scan_has(html, "id=\"verdict\""));
	CHECK(!has_url(html));
	free(html);
	scan_fixture_release(&s);
}

TEST(report_html_csp_allows_only_its_script)
{
	struct scan_fixture s;
	struct strbuf want = STRBUF_INIT;
	unsigned char raw[SHA256_RAW_LEN];
	struct sha256_ctx ctx;
	const char *start, *end;
	char *html;

	scan_fixture_init(&s);
	html = scan_fixture_render(&report_writer_html, &s);
	/* Exactly one script, inline, and it is the last thing in the body. */
	CHECK_INT(scan_count(html, "<script"), 1);
	CHECK_INT(scan_count(html, "</script"), 1);
	CHECK(!scan_has(html, "<script src") && !scan_has(html, "<link") && !scan_has(html, "<img") &&
	      !scan_has(html, "<iframe") && !scan_has(html, "@import") && !scan_has(html, "url("));
	start = strstr(html, "<script>");
	end = strstr(html, "</script>");
	CHECK(start && end && end > start);
	if (start && end && end > start) {
		start += strlen("<script>");
		sha256_init(&ctx);
		sha256_update(&ctx, start, (size_t)(end - start));
		sha256_final(&ctx, raw);
		strbuf_addstr(&want,
			      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			      "style-src 'unsafe-inline'; script-src 'sha256-");
		base64(&want, raw, sizeof(raw));
		strbuf_addstr(&want, "'; base-uri 'none'; form-action 'none'\">\n");
		CHECK(scan_has(html, want.buf));
		/* The policy comes before anything it governs. */
		CHECK(strstr(html, "Content-Security-Policy") < strstr(html, "<style>"));
	}
	CHECK(scan_has(html, "<meta name=\"referrer\" content=\"no-referrer\">"));
	strbuf_release(&want);
	free(html);
	scan_fixture_release(&s);
}

TEST(report_html_escapes_hostile_strings)
{
	static const char *aliases[] = {"\"><svg onload=z>", "GHSA-m77w-6vjw-wh2f"};
	struct scan_fixture s;
	char *html;

	scan_fixture_init(&s);
	s.findings[1].title =
	    "</script><script>alert(1)</script> \xff\xfe bad \xc3 utf-8 \xc2\x85 <img src=x onerror=y>";
	s.findings[1].aliases = aliases;
	s.f.layers[1].created_by = "ADD https://evil.example/x.tar /\r\n<b>'q'</b>";
	s.f.tags[0] = "evil</title><script>x</script>:1";
	html = scan_fixture_render(&report_writer_html, &s);
	CHECK(scan_has(
	    html, "<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; \xef\xbf\xbd\xef\xbf\xbd bad "
		  "\xef\xbf\xbd utf-8   &lt;img src=x onerror=y&gt;</td>"));
	CHECK(scan_has(html,
		       "<span class=\"small\">&quot;&gt;&lt;svg onload=z&gt;, GHSA-m77w-6vjw-wh2f</span>"));
	CHECK(
	    scan_has(html, "<td>ADD https&#58;//evil.example/x.tar /  &lt;b&gt;&#39;q&#39;&lt;/b&gt;</td>"));
	/* In an attribute, too: the layer cell's tooltip and the layer filter's options. */
	CHECK(
	    scan_has(html, "title=\"ADD https&#58;//evil.example/x.tar /  &lt;b&gt;&#39;q&#39;&lt;/b&gt;\""));
	CHECK(scan_has(html,
		       "<title>Customs scan: evil&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;:1</title>"));
	/* The control characters of the fixture's low finding are spaces. */
	CHECK(scan_has(html, "<td>evil  ]0;owned  title \xef\xbf\xbd </td>"));
	CHECK_INT(scan_count(html, "<script"), 1);
	CHECK(!scan_has(html, "<svg") && !scan_has(html, "<img") && !scan_has(html, "<b>"));
	CHECK(!scan_has(html, "https://") && !scan_has(html, "http://"));
	free(html);
	scan_fixture_release(&s);
}

/* Without JavaScript the tables are all there, most severe first, and the useless filter bar is hidden. */
TEST(report_html_works_without_javascript)
{
	struct scan_fixture s;
	char *html, *body;
	const char *critical, *high, *medium, *low;

	scan_fixture_init(&s);
	html = scan_fixture_render(&report_writer_html, &s);
	body = strstr(html, "<script>");
	CHECK(body != NULL);
	if (body)
		*body = '\0'; /* everything a browser without JavaScript shows */
	CHECK(scan_has(html, "<form id=\"filters\" hidden>"));
	CHECK(scan_has(html, "<table class=\"rows\" id=\"t-findings\">"));
	CHECK_INT(scan_count(html, "<tr data-sev="), 7);
	critical = strstr(html, "<tr data-sev=\"critical\"");
	high = strstr(html, "<tr data-sev=\"high\"");
	medium = strstr(html, "<tr data-sev=\"medium\"");
	low = strstr(html, "<tr data-sev=\"low\"");
	CHECK(critical && high && medium && low && critical < high && high < medium && medium < low);
	CHECK(low < strstr(html, "<table class=\"rows\" id=\"t-suppressed\">"));
	CHECK(scan_has(html, "<tr data-sev=\"medium\" data-pkg=\"left-pad\" data-layer=\"1\">"));
	/* The two copies of left-pad differ by path; OS packages show no path. */
	CHECK(scan_has(
	    html, "<td>left-pad<br><span class=\"small\">app/node_modules/left-pad/package.json</span>"));
	CHECK(scan_has(html, "<td>libc6</td>"));
	CHECK(!scan_has(html, " style=\"") && !scan_has(html, " onclick="));
	free(html);
	scan_fixture_release(&s);
}

TEST(report_html_verdict)
{
	struct scan_fixture s;
	char *html;

	scan_fixture_init(&s);
	scan_fixture_gate(&s, 0);
	html = scan_fixture_render(&report_writer_html, &s);
	CHECK(scan_has(html, "<p class=\"verdict failed\">Policy failed.</p>"));
	CHECK(scan_has(html, "<p>1 finding without a fix left out of the decision (--only-fixed).</p>"));
	CHECK(scan_has(html, "<li>2 findings at or above high: CVE-2024-1111 in @scope/pkg, CVE-2023-4911 in "
			     "&lt;libc6&gt; | x</li>"));
	CHECK_INT(scan_count(html, "<span class=\"state-failing\">failing</span>"), 2);
	CHECK_INT(scan_count(html, "<td>excluded (no fix)</td>"), 1);
	CHECK(scan_has(html, "<td><span class=\"state-failing\">failing</span><br>VEX: affected"));
	free(html);
	scan_fixture_release(&s);

	scan_fixture_init(&s);
	scan_fixture_gate(&s, 1);
	html = scan_fixture_render(&report_writer_html, &s);
	CHECK(scan_has(html, "<p class=\"verdict would-fail\">Policy would have failed (audit mode"));
	CHECK_INT(scan_count(html, "<span class=\"state-failing\">would fail</span>"), 2);
	free(html);
	scan_fixture_release(&s);
}

/* customs sbom: no findings, so the page lists the packages instead. */
TEST(report_html_sbom_lists_packages)
{
	struct report_fixture f;
	char *html;
	int ret;

	report_fixture_init(&f);
	html = report_render(&report_writer_html, &f.in, &ret);
	CHECK_INT(ret, 0);
	CHECK(scan_has(html, "<h2>Packages (6)</h2>\n<p>An inventory: no vulnerability scan was run.</p>"));
	CHECK(scan_has(html, "<table class=\"rows\" id=\"t-packages\">"));
	CHECK_INT(scan_count(html, "<tr data-pkg="), 6);
	CHECK(!scan_has(html, "name=\"sev\"") && !scan_has(html, "id=\"findings\"") &&
	      !scan_has(html, "Summary"));
	CHECK(scan_has(html, "<td>left-pad</td><td>1.3.0</td><td>npm</td><td data-key=\"1\""));
	CHECK(!has_url(html));
	free(html);
	report_fixture_release(&f);

	report_fixture_init_empty(&f);
	html = report_render(&report_writer_html, &f.in, &ret);
	CHECK_INT(ret, 0);
	CHECK(scan_has(html, "<h2>Packages (0)</h2>"));
	CHECK(scan_has(html, "<p>None: the target is a root filesystem folder.</p>"));
	CHECK(!scan_has(html, "<form"));
	free(html);
	report_fixture_release(&f);
}

TEST(report_html_caps_rows_and_cells)
{
	struct scan_fixture s;
	struct strbuf want = STRBUF_INIT;
	char title[5000];
	char *html;

	scan_fixture_init(&s);
	scan_fixture_many(&s, 20005, 5, 10);
	html = scan_fixture_render(&report_writer_html, &s);
	CHECK_INT(scan_count(html, "<tr data-sev="), 20000);
	CHECK(scan_has(html,
		       "<p class=\"note\">This page shows the 20000 most severe findings; 5 more are in the "
		       "JSON report (-o json).</p>"));
	CHECK(scan_has(html, "<h2>Findings (20005)</h2>"));
	CHECK(!scan_has(html, "CVE-2099-020004"));
	free(html);
	scan_fixture_release(&s);

	/* Cells are cut on a character boundary, so the page stays a size a browser opens. */
	scan_fixture_init(&s);
	memset(title, 'x', sizeof(title) - 1);
	memcpy(title + 996, "\xc3\xa9", 2); /* across the cut at 997 bytes */
	title[sizeof(title) - 1] = '\0';
	s.findings[1].title = title;
	html = scan_fixture_render(&report_writer_html, &s);
	strbuf_addstr(&want, "<td>");
	for (size_t i = 0; i < 996; i++)
		strbuf_addch(&want, 'x');
	strbuf_addstr(&want, "...</td>");
	CHECK(scan_has(html, want.buf));
	CHECK(!scan_has(html, "\xc3\xa9"));
	strbuf_release(&want);
	free(html);
	scan_fixture_release(&s);
}
