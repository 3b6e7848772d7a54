/* JUnit XML for CI test widgets: a suite for the image, a case per package and per check rule with findings.
 */
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

/* What the gate made of a finding, said beside it. */
static const char *passing_note(const struct report_input *in, size_t i)
{
	const struct report_verdict *v = in->verdict;

	if (!v || !report_finding_active(&in->match->findings[i]))
		return NULL;
	if (v->failing && v->failing[i])
		return v->audit ? "would fail the policy (audit mode)" : "fails the policy";
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

/*
 * Posture checks: one test case per rule that found something, after the
 * packages. Its findings fail it by the same rule as vulnerability findings.
 */
static int check_fails(const struct report_input *in, size_t i)
{
	const struct report_verdict *v = in->verdict;

	if (in->checks->findings[i].suppressed_by)
		return 0;
	if (!v)
		return 1;
	return !v->audit && v->check_failing && v->check_failing[i];
}

static const char *check_passing_note(const struct report_input *in, size_t i)
{
	const struct report_verdict *v = in->verdict;

	if (!v || in->checks->findings[i].suppressed_by)
		return NULL;
	if (v->check_failing && v->check_failing[i])
		return v->audit ? "would fail the policy (audit mode)" : "fails the policy";
	return "within the policy's thresholds";
}

static void add_check_line(struct strbuf *sb, const struct report_input *in, size_t i)
{
	const struct check_finding *f = &in->checks->findings[i];
	const char *note = check_passing_note(in, i);
	struct strbuf line = STRBUF_INIT;

	report_add_check_where(&line, f);
	strbuf_addf(&line, " (%s)", severity_name(f->rule->severity));
	if (f->subject && *f->subject)
		strbuf_addf(&line, ": %s", f->subject);
	if (f->suppressed_by)
		strbuf_addf(&line, "; suppressed by %s: %s", f->suppressed_by,
			    f->suppressed_reason ? f->suppressed_reason : "no reason given");
	if (note)
		strbuf_addf(&line, "; %s", note);
	if (f->detail && *f->detail)
		strbuf_addf(&line, ". %s", f->detail);
	strbuf_addch(&line, '\n');
	xml_add(sb, line.buf, 0);
	strbuf_release(&line);
}

/* The distinct rules of the check findings, in the order their first finding comes. */
struct check_cases {
	const struct check_rule **rules;
	size_t nr;
	size_t failing; /* test cases with a failing finding */
	size_t skipped; /* test cases whose findings are all suppressed */
};

static void collect_check_cases(struct check_cases *cases, const struct report_input *in)
{
	const struct check_results *checks = in->checks;
	size_t nr = checks ? checks->nr : 0;

	memset(cases, 0, sizeof(*cases));
	cases->rules = xcalloc(nr ? nr : 1, sizeof(*cases->rules));
	for (size_t i = 0; i < nr; i++) {
		const struct check_rule *rule = checks->findings[i].rule;
		size_t r;

		for (r = 0; r < cases->nr; r++)
			if (cases->rules[r] == rule)
				break;
		if (r == cases->nr)
			cases->rules[cases->nr++] = rule;
	}
	for (size_t r = 0; r < cases->nr; r++) {
		size_t failing = 0, active = 0;

		for (size_t i = 0; i < nr; i++) {
			if (checks->findings[i].rule != cases->rules[r])
				continue;
			failing += check_fails(in, i);
			active += !checks->findings[i].suppressed_by;
		}
		cases->failing += failing != 0;
		cases->skipped += active == 0;
	}
}

static void add_check_testcase(struct strbuf *sb, const struct report_input *in,
			       const struct check_rule *rule)
{
	const struct check_results *checks = in->checks;
	size_t failing = 0, active = 0, total = 0;
	struct strbuf name = STRBUF_INIT, classname = STRBUF_INIT, msg = STRBUF_INIT;

	for (size_t i = 0; i < checks->nr; i++) {
		if (checks->findings[i].rule != rule)
			continue;
		total++;
		failing += check_fails(in, i);
		active += !checks->findings[i].suppressed_by;
	}
	strbuf_addf(&name, "%s %s", rule->id, rule->title);
	strbuf_addf(&classname, "%s.checks.%s", in->tool_name, check_kind_name(rule->kind));
	strbuf_addstr(sb, "    <testcase");
	add_attr(sb, "name", name.buf);
	add_attr(sb, "classname", classname.buf);
	strbuf_addstr(sb, " time=\"0\">\n");
	if (!active) {
		strbuf_addf(&msg, "%zu %s suppressed", total, total == 1 ? "finding" : "findings");
		strbuf_addstr(sb, "      <skipped");
		add_attr(sb, "message", msg.buf);
		strbuf_addstr(sb, ">");
		for (size_t i = 0; i < checks->nr; i++)
			if (checks->findings[i].rule == rule)
				add_check_line(sb, in, i);
		strbuf_addstr(sb, "</skipped>\n");
		goto out;
	}
	if (failing) {
		strbuf_addf(&msg, "%zu %s %s", failing, severity_name(rule->severity),
			    failing == 1 ? "finding" : "findings");
		strbuf_addstr(sb, "      <failure type=\"check\"");
		add_attr(sb, "message", msg.buf);
		strbuf_addstr(sb, ">");
		for (size_t i = 0; i < checks->nr; i++)
			if (checks->findings[i].rule == rule && check_fails(in, i))
				add_check_line(sb, in, i);
		strbuf_addstr(sb, "</failure>\n");
	}
	if (failing < total) {
		strbuf_addstr(sb, "      <system-out>");
		for (size_t i = 0; i < checks->nr; i++)
			if (checks->findings[i].rule == rule && !check_fails(in, i))
				add_check_line(sb, in, i);
		strbuf_addstr(sb, "</system-out>\n");
	}
out:
	strbuf_addstr(sb, "    </testcase>\n");
	strbuf_release(&name);
	strbuf_release(&classname);
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
	struct check_cases cases;
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
	collect_check_cases(&cases, in);
	failures += cases.failing;
	report_image_short_name(&image, in->img);
	report_format_time(in->timestamp, stamp);
	stamp[strlen(stamp) - 1] = '\0'; /* xs:dateTime readers of JUnit expect no zone */

	strbuf_addstr(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	add_attr(&sb, "name", in->tool_name);
	strbuf_addf(&num, "%zu", cat->packages.nr + cases.nr);
	add_attr(&sb, "tests", num.buf);
	strbuf_reset(&num);
	strbuf_addf(&num, "%zu", failures);
	add_attr(&sb, "failures", num.buf);
	strbuf_addstr(&sb, " errors=\"0\" time=\"0\">\n  <testsuite");
	add_attr(&sb, "name", report_image_name(in->img));
	strbuf_reset(&num);
	strbuf_addf(&num, "%zu", cat->packages.nr + cases.nr);
	add_attr(&sb, "tests", num.buf);
	strbuf_reset(&num);
	strbuf_addf(&num, "%zu", failures);
	add_attr(&sb, "failures", num.buf);
	strbuf_addf(&sb, " errors=\"0\" skipped=\"%zu\" time=\"0\"", cases.skipped);
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
	for (size_t r = 0; r < cases.nr; r++)
		add_check_testcase(&sb, in, cases.rules[r]);
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
	free(cases.rules);
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
