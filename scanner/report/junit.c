/* JUnit XML for CI test widgets: a suite for the image, a case per package that fails on its findings. */
#include <stdlib.h>
#include <string.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/*
 * Append s escaped for XML text, or for a double-quoted attribute when attr
 * is set (where line breaks and tabs must be character references to
 * survive). Ill-formed UTF-8 becomes U+FFFD, and characters XML 1.0 forbids
 * (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) are dropped.
 */
static void xml_add(struct strbuf *sb, const char *s, int attr)
{
	char *clean;

	if (!s)
		return;
	clean = utf8_sanitize(s, strlen(s));
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
			p += 2;
			continue;
		}
		switch (*p) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, attr ? "&quot;" : "\""); break;
		case '\'': strbuf_addstr(sb, attr ? "&apos;" : "'"); break;
		case '\t': strbuf_addstr(sb, attr ? "&#9;" : "\t"); break;
		case '\n': strbuf_addstr(sb, attr ? "&#10;" : "\n"); break;
		case '\r': strbuf_addstr(sb, "&#13;"); break;
		default:
			if (*p >= 0x20)
				strbuf_addch(sb, *p);
		}
	}
	free(clean);
}

static void add_attr(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, " %s=\"", name);
	xml_add(sb, value, 1);
	strbuf_addch(sb, '"');
}

static void add_property(struct strbuf *sb, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	strbuf_addstr(sb, "      <property");
	add_attr(sb, "name", name);
	add_attr(sb, "value", value);
	strbuf_addstr(sb, "/>\n");
}

/* The findings of each package: start[p]..start[p + 1] index into list, in match order. */
struct by_package {
	size_t *start;
	size_t *list;
};

static void group_by_package(struct by_package *g, const struct report_input *in)
{
	size_t nr_pkgs = in->cat->packages.nr, nr = in->match ? in->match->nr_findings : 0;
	size_t *fill;

	g->start = xcalloc(nr_pkgs + 2, sizeof(*g->start));
	g->list = xcalloc(nr ? nr : 1, sizeof(*g->list));
	for (size_t i = 0; i < nr; i++)
		if (in->match->findings[i].package < nr_pkgs)
			g->start[in->match->findings[i].package + 1]++;
	for (size_t p = 0; p < nr_pkgs; p++)
		g->start[p + 1] += g->start[p];
	fill = xmemdup(g->start, (nr_pkgs + 1) * sizeof(*fill));
	for (size_t i = 0; i < nr; i++) {
		size_t p = in->match->findings[i].package;
		if (p < nr_pkgs)
			g->list[fill[p]++] = i;
	}
	free(fill);
}

/*
 * Whether finding i fails its test case: without a gate every active
 * finding does; with one, those that crossed a threshold, and none in audit
 * mode, which must never fail a build.
 */
static int finding_fails(const struct report_input *in, size_t i)
{
	const struct report_verdict *v = in->verdict;

	if (!report_finding_active(&in->match->findings[i]))
		return 0;
	if (!v)
		return 1;
	return !v->audit && v->failing && v->failing[i];
}

/* Why a finding that does not fail its test case is listed anyway. */
static const char *passing_note(const struct report_input *in, size_t i)
{
	const struct report_verdict *v = in->verdict;

	if (!v || !report_finding_active(&in->match->findings[i]))
		return NULL;
	if (v->failing && v->failing[i])
		return "would fail the policy (audit mode)";
	if (v->excluded && v->excluded[i])
		return "no fix, left out of the decision";
	return "within the policy's thresholds";
}

static void add_finding_line(struct strbuf *sb, const struct report_input *in, size_t i)
{
	const struct finding *f = &in->match->findings[i];
	const char *note = passing_note(in, i);
	struct strbuf line = STRBUF_INIT;

	strbuf_addf(&line, "%s (%s)", f->id, severity_name(f->severity));
	for (size_t a = 0; a < f->nr_aliases; a++)
		strbuf_addf(&line, "%s%s", a ? ", " : " also ", f->aliases[a]);
	if (f->fixed_version)
		strbuf_addf(&line, "; fixed in %s", f->fixed_version);
	else
		strbuf_addstr(&line, "; no fix yet");
	if (f->vex_status)
		strbuf_addf(&line, "; VEX %s", f->vex_status);
	if (!report_finding_active(f))
		strbuf_addf(&line, "; suppressed by %s: %s", f->suppressed_by,
			    f->suppressed_reason ? f->suppressed_reason : "no reason given");
	if (note)
		strbuf_addf(&line, "; %s", note);
	if (f->title && *f->title)
		strbuf_addf(&line, ": %s", f->title);
	strbuf_addch(&line, '\n');
	xml_add(sb, line.buf, 0);
	strbuf_release(&line);
}

static void add_testcase(struct strbuf *sb, const struct report_input *in, const struct by_package *g,
			 size_t p, const char *classname)
{
	const struct match_result *res = in->match;
	const struct package *pkg = &in->cat->packages.items[p];
	size_t failing = 0, counts[SEVERITY_COUNT] = { 0 };
	struct strbuf name = STRBUF_INIT, msg = STRBUF_INIT;

	for (size_t i = g->start[p]; i < g->start[p + 1]; i++) {
		const struct finding *f = &res->findings[g->list[i]];
		if (finding_fails(in, g->list[i])) {
			failing++;
			counts[f->severity < SEVERITY_COUNT ? f->severity : 0]++;
		}
	}
	strbuf_addf(&name, "%s %s", pkg->name ? pkg->name : "unknown", pkg->version ? pkg->version : "");
	/* Copies of one npm release at several paths are different test cases. */
	if (pkg->install_path || (pkg->type && !strcmp(pkg->type, "npm") && pkg->path)) {
		strbuf_addstr(&name, " at ");
		report_add_abs_path(&name, pkg->install_path ? pkg->install_path : pkg->path);
	}
	strbuf_addstr(sb, "    <testcase");
	add_attr(sb, "name", name.buf);
	add_attr(sb, "classname", classname);
	strbuf_addstr(sb, " time=\"0\"");
	if (g->start[p] == g->start[p + 1]) {
		strbuf_addstr(sb, "/>\n");
		goto out;
	}
	strbuf_addstr(sb, ">\n");
	if (failing) {
		int any = 0;

		strbuf_addf(&msg, "%zu %s:", failing, failing == 1 ? "vulnerability" : "vulnerabilities");
		for (size_t i = 0; i < SEVERITY_COUNT; i++) {
			enum severity s = report_severity_order[i];
			if (counts[s]) {
				strbuf_addf(&msg, "%s %zu %s", any ? "," : "", counts[s], severity_name(s));
				any = 1;
			}
		}
		strbuf_addstr(sb, "      <failure type=\"vulnerability\"");
		add_attr(sb, "message", msg.buf);
		strbuf_addstr(sb, ">");
		for (size_t i = g->start[p]; i < g->start[p + 1]; i++)
			if (finding_fails(in, g->list[i]))
				add_finding_line(sb, in, g->list[i]);
		strbuf_addstr(sb, "</failure>\n");
	}
	if (failing < g->start[p + 1] - g->start[p]) {
		strbuf_addstr(sb, "      <system-out>");
		for (size_t i = g->start[p]; i < g->start[p + 1]; i++)
			if (!finding_fails(in, g->list[i]))
				add_finding_line(sb, in, g->list[i]);
		strbuf_addstr(sb, "</system-out>\n");
	}
	strbuf_addstr(sb, "    </testcase>\n");
out:
	strbuf_release(&name);
	strbuf_release(&msg);
}

static void add_warning(const char *msg, void *sb)
{
	xml_add(sb, msg, 0);
	strbuf_addch(sb, '\n');
}

static int write_junit(FILE *out, const struct report_input *in, struct strbuf *err)
{
	const struct catalog *cat = in->cat;
	struct strbuf sb = STRBUF_INIT, image = STRBUF_INIT, num = STRBUF_INIT;
	struct by_package g;
	size_t failures = 0;
	char stamp[32];
	int ret = 0;

	group_by_package(&g, in);
	for (size_t p = 0; p < cat->packages.nr; p++)
		for (size_t i = g.start[p]; i < g.start[p + 1]; i++)
			if (finding_fails(in, g.list[i])) {
				failures++;
				break;
			}
	report_image_short_name(&image, in->img);
	report_format_time(in->timestamp, stamp);
	stamp[strlen(stamp) - 1] = '\0'; /* xs:dateTime readers of JUnit expect no zone */

	strbuf_addstr(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	add_attr(&sb, "name", in->tool_name);
	strbuf_addf(&num, "%zu", cat->packages.nr);
	add_attr(&sb, "tests", num.buf);
	strbuf_reset(&num);
	strbuf_addf(&num, "%zu", failures);
	add_attr(&sb, "failures", num.buf);
	strbuf_addstr(&sb, " errors=\"0\" time=\"0\">\n  <testsuite");
	add_attr(&sb, "name", report_image_name(in->img));
	strbuf_reset(&num);
	strbuf_addf(&num, "%zu", cat->packages.nr);
	add_attr(&sb, "tests", num.buf);
	strbuf_reset(&num);
	strbuf_addf(&num, "%zu", failures);
	add_attr(&sb, "failures", num.buf);
	strbuf_addstr(&sb, " errors=\"0\" skipped=\"0\" time=\"0\"");
	add_attr(&sb, "timestamp", stamp);
	strbuf_addstr(&sb, ">\n    <properties>\n");
	add_property(&sb, "image", report_image_name(in->img));
	add_property(&sb, "image.digest", in->img->digest);
	add_property(&sb, "os", cat->os.pretty_name);
	add_property(&sb, "tool.version", in->tool_version);
	strbuf_addstr(&sb, "    </properties>\n");
	for (size_t p = 0; p < cat->packages.nr; p++) {
		const char *type = cat->packages.items[p].type;
		struct strbuf classname = STRBUF_INIT;

		strbuf_addf(&classname, "%s.%s", image.buf, type && *type ? type : "package");
		add_testcase(&sb, in, &g, p, classname.buf);
		strbuf_release(&classname);
	}
	if (report_nr_warnings(in)) {
		strbuf_addstr(&sb, "    <system-err>");
		report_each_warning(in, add_warning, &sb);
		strbuf_addstr(&sb, "</system-err>\n");
	}
	strbuf_addstr(&sb, "  </testsuite>\n</testsuites>\n");

	if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
		ret = error_code(err, ERR_IO, "cannot write report: short write");
	else
		ret = report_finish(out, err);
	free(g.start);
	free(g.list);
	strbuf_release(&sb);
	strbuf_release(&image);
	strbuf_release(&num);
	return ret;
}

const struct report_writer report_writer_junit = {
	.name = "junit",
	.description = "JUnit XML, a test case per package",
	.write = write_junit,
};
