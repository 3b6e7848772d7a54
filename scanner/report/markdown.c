/* A Markdown summary of a scan for $GITHUB_STEP_SUMMARY and merge request comments, always under 1 MB. */
#include <stdlib.h>
#include <string.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/error.h"

/* GitHub refuses a step summary over 1 MiB; stay well below it with room for the closing note. */
#define MARKDOWN_MAX_BYTES (1000 * 1000)
#define TOP_FINDINGS 20
#define MAX_SUPPRESSED_ROWS 50
#define MAX_WARNING_ROWS 20
#define MAX_REASON_ROWS 20
#define MAX_CELL 120

static void add_cell(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, " ");
	report_add_markdown_cell(sb, s && *s ? s : "-", MAX_CELL);
	strbuf_addstr(sb, " |");
}

static void add_finding_row(struct strbuf *sb, const struct report_input *in, const struct finding *f)
{
	const struct package *pkg = report_finding_package(in, f);

	strbuf_addstr(sb, "|");
	add_cell(sb, severity_name(f->severity));
	add_cell(sb, f->id);
	add_cell(sb, pkg->name);
	add_cell(sb, pkg->version);
	add_cell(sb, f->fixed_version ? f->fixed_version : "no fix yet");
	add_cell(sb, f->title);
	strbuf_addstr(sb, "\n");
}

static void add_suppressed_row(struct strbuf *sb, const struct report_input *in, const struct finding *f)
{
	const struct package *pkg = report_finding_package(in, f);

	strbuf_addstr(sb, "|");
	add_cell(sb, f->id);
	add_cell(sb, pkg->name);
	add_cell(sb, pkg->version);
	add_cell(sb, f->suppressed_by);
	add_cell(sb, f->suppressed_reason);
	strbuf_addstr(sb, "\n");
}

static void add_check_where(struct strbuf *sb, const struct check_finding *f)
{
	struct strbuf where = STRBUF_INIT;

	report_add_check_where(&where, f);
	add_cell(sb, where.buf);
	strbuf_release(&where);
}

static void add_check_row(struct strbuf *sb, const struct check_finding *f)
{
	strbuf_addstr(sb, "|");
	add_cell(sb, severity_name(f->rule->severity));
	add_cell(sb, f->rule->id);
	add_cell(sb, f->rule->title);
	add_check_where(sb, f);
	add_cell(sb, f->subject && *f->subject ? f->subject : f->detail);
	strbuf_addstr(sb, "\n");
}

static void add_suppressed_check_row(struct strbuf *sb, const struct check_finding *f)
{
	strbuf_addstr(sb, "|");
	add_cell(sb, f->rule->id);
	add_check_where(sb, f);
	add_cell(sb, f->subject);
	add_cell(sb, f->suppressed_by);
	add_cell(sb, f->suppressed_reason);
	strbuf_addstr(sb, "\n");
}

/* The posture checks: counts per kind and severity, the most severe findings, and what was suppressed. */
static void add_checks(struct strbuf *sb, const struct check_results *checks)
{
	size_t counts[CHECK_KIND_COUNT][SEVERITY_COUNT] = {{0}};
	size_t active = 0, suppressed = 0, shown = 0, rows = 0;

	/* Checks that found nothing add nothing: the JSON report says which ran. */
	if (!checks || (!checks->nr && !checks->per_rule_dropped))
		return;
	for (size_t i = 0; i < checks->nr; i++) {
		const struct check_finding *f = &checks->findings[i];

		if (f->suppressed_by) {
			suppressed++;
			continue;
		}
		active++;
		counts[f->rule->kind < CHECK_KIND_COUNT ? f->rule->kind : CHECK_KIND_CONFIG]
		      [f->rule->severity < SEVERITY_COUNT ? f->rule->severity : SEVERITY_UNKNOWN]++;
	}
	strbuf_addstr(sb, "\n### Checks\n\n");
	report_add_checks_sentence(sb, checks, active, suppressed);
	strbuf_addstr(sb, ".\n");
	if (checks->per_rule_dropped)
		strbuf_addf(sb, "\n%zu more were only counted: each rule reports at most %d.\n",
			    checks->per_rule_dropped, CHECK_MAX_FINDINGS_PER_RULE);
	if (active && (checks->kinds_run & ~(1u << CHECK_KIND_VULN))) {
		strbuf_addstr(sb, "\n| Kind |");
		for (size_t i = 0; i < SEVERITY_COUNT; i++)
			strbuf_addf(sb, " %s |", report_severity_title(report_severity_order[i]));
		strbuf_addstr(sb, "\n| --- |");
		for (size_t i = 0; i < SEVERITY_COUNT; i++)
			strbuf_addstr(sb, " ---: |");
		strbuf_addstr(sb, "\n");
		for (int k = CHECK_KIND_VULN + 1; k < CHECK_KIND_COUNT; k++) {
			if (!(checks->kinds_run & (1u << k)))
				continue;
			strbuf_addf(sb, "| %s |", check_kind_name((enum check_kind)k));
			for (size_t i = 0; i < SEVERITY_COUNT; i++)
				strbuf_addf(sb, " %zu |", counts[k][report_severity_order[i]]);
			strbuf_addstr(sb, "\n");
		}
	}

	if (active) {
		strbuf_addf(sb, "\n#### %s\n\n",
			    active > TOP_FINDINGS ? "Most severe check findings" : "Check findings");
		strbuf_addstr(
		    sb, "| Severity | Check | Title | Where | Subject |\n| --- | --- | --- | --- | --- |\n");
		/* The checks come sorted most severe first. */
		for (size_t i = 0; i < checks->nr && shown < TOP_FINDINGS; i++)
			if (!checks->findings[i].suppressed_by) {
				add_check_row(sb, &checks->findings[i]);
				shown++;
			}
		if (active > shown)
			strbuf_addf(sb, "\n%zu more in the full report.\n", active - shown);
	}

	if (suppressed) {
		strbuf_addf(sb, "\n#### Suppressed checks\n\n%zu check %s suppressed by ignore rules:\n\n",
			    suppressed, suppressed == 1 ? "finding was" : "findings were");
		strbuf_addstr(sb,
			      "| Check | Where | Subject | By | Reason |\n| --- | --- | --- | --- | --- |\n");
		for (size_t i = 0; i < checks->nr && rows < MAX_SUPPRESSED_ROWS; i++)
			if (checks->findings[i].suppressed_by) {
				add_suppressed_check_row(sb, &checks->findings[i]);
				rows++;
			}
		if (suppressed > rows)
			strbuf_addf(sb, "\n%zu more in the full report.\n", suppressed - rows);
	}
}

struct warning_rows {
	struct strbuf *sb;
	size_t nr;
};

static void add_warning_row(const char *msg, void *data)
{
	struct warning_rows *w = data;

	if (w->nr++ >= MAX_WARNING_ROWS)
		return;
	strbuf_addstr(w->sb, "- ");
	report_add_markdown_cell(w->sb, msg, 4 * MAX_CELL);
	strbuf_addstr(w->sb, "\n");
}

/*
 * Every part of the summary is bounded (rows and cells are capped), so the
 * cut below is a safety net for sizes no scan should reach; it ends on a
 * line boundary and says so.
 */
static void cap_size(struct strbuf *sb)
{
	static const char note[] = "\n\n> **Note:** this summary was cut to stay under 1 MB; the JSON report has "
				   "every finding.\n";
	size_t keep;

	if (sb->len <= MARKDOWN_MAX_BYTES)
		return;
	keep = MARKDOWN_MAX_BYTES - sizeof(note);
	while (keep > 0 && sb->buf[keep - 1] != '\n')
		keep--;
	sb->len = keep;
	sb->buf[keep] = '\0';
	strbuf_addstr(sb, note);
}

/* The gate's decision first, with what crossed a threshold, as the line a reviewer reads. */
static void add_verdict(struct strbuf *sb, const struct report_verdict *v, const struct match_result *res)
{
	size_t excluded = 0;

	if (!v->passed)
		strbuf_addstr(sb, "**Policy failed**");
	else if (v->would_fail)
		strbuf_addstr(sb, "**Policy would have failed** (audit mode: the build passes)");
	else
		strbuf_addstr(sb, "**Policy passed**");
	if (v->excluded)
		for (size_t i = 0; i < res->nr_findings; i++)
			excluded += v->excluded[i] != 0;
	if (excluded)
		strbuf_addf(sb, "; %zu %s without a fix left out of the decision", excluded,
			    excluded == 1 ? "finding" : "findings");
	strbuf_addstr(sb, v->nr_reasons ? ":\n\n" : ".\n\n");
	for (size_t i = 0; i < v->nr_reasons && i < MAX_REASON_ROWS; i++) {
		strbuf_addstr(sb, "- ");
		report_add_markdown_cell(sb, v->reasons[i], 4 * MAX_CELL);
		strbuf_addstr(sb, "\n");
	}
	if (v->nr_reasons)
		strbuf_addstr(sb, "\n");
}

static void write_body(struct strbuf *sb, const struct report_input *in)
{
	const struct match_result *res = in->match;
	size_t nr = res ? res->nr_findings : 0, active = 0, suppressed = 0, counts[SEVERITY_COUNT] = { 0 };
	size_t shown = 0;
	struct warning_rows warnings = { sb, 0 };
	const char *bold = "";

	for (size_t i = 0; i < nr; i++) {
		const struct finding *f = &res->findings[i];
		if (report_finding_active(f)) {
			active++;
			counts[f->severity < SEVERITY_COUNT ? f->severity : 0]++;
		} else {
			suppressed++;
		}
	}

	strbuf_addstr(sb, "## Customs scan: ");
	report_add_markdown_cell(sb, report_image_name(in->img), 4 * MAX_CELL);
	strbuf_addstr(sb, "\n\n");
	/* customs sbom: an inventory, not a verdict. */
	if (!res) {
		strbuf_addf(sb, "**%zu packages**; no vulnerability scan was run.\n", in->cat->packages.nr);
		return;
	}
	/* Without a gate the count is the verdict line, so it is the bold one. */
	if (in->verdict)
		add_verdict(sb, in->verdict, res);
	else
		bold = "**";
	if (active)
		strbuf_addf(sb, "%s%zu %s found%s", bold, active, active == 1 ? "vulnerability" : "vulnerabilities",
			    bold);
	else
		strbuf_addf(sb, "%sNo vulnerabilities found%s", bold, bold);
	if (suppressed)
		strbuf_addf(sb, " (%zu suppressed)", suppressed);
	strbuf_addf(sb, " in %zu packages", in->cat->packages.nr);
	if (in->cat->os.pretty_name && *in->cat->os.pretty_name) {
		strbuf_addstr(sb, " on ");
		report_add_markdown_cell(sb, in->cat->os.pretty_name, MAX_CELL);
	}
	strbuf_addstr(sb, ".\n\n| Severity | Count |\n| --- | ---: |\n");
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		enum severity s = report_severity_order[i];
		strbuf_addf(sb, "| %s | %zu |\n", report_severity_title(s), counts[s]);
	}

	if (active) {
		strbuf_addf(sb, "\n### %s\n\n", active > TOP_FINDINGS ? "Most severe findings" : "Findings");
		strbuf_addstr(sb, "| Severity | ID | Package | Installed | Fixed | Title |\n"
				  "| --- | --- | --- | --- | --- | --- |\n");
		/* The match result is sorted most severe first. */
		for (size_t i = 0; i < nr && shown < TOP_FINDINGS; i++)
			if (report_finding_active(&res->findings[i])) {
				add_finding_row(sb, in, &res->findings[i]);
				shown++;
			}
		if (active > shown)
			strbuf_addf(sb, "\n%zu more in the full report.\n", active - shown);
	}

	if (suppressed) {
		size_t rows = 0;

		strbuf_addf(sb, "\n### Suppressed\n\n%zu %s suppressed by ignore rules or VEX statements:\n\n",
			    suppressed, suppressed == 1 ? "finding was" : "findings were");
		strbuf_addstr(sb, "| ID | Package | Installed | By | Reason |\n| --- | --- | --- | --- | --- |\n");
		for (size_t i = 0; i < nr && rows < MAX_SUPPRESSED_ROWS; i++)
			if (!report_finding_active(&res->findings[i])) {
				add_suppressed_row(sb, in, &res->findings[i]);
				rows++;
			}
		if (suppressed > rows)
			strbuf_addf(sb, "\n%zu more in the full report.\n", suppressed - rows);
	}

	add_checks(sb, in->checks);

	if (report_nr_warnings(in)) {
		strbuf_addstr(sb, "\n### Warnings\n\n");
		report_each_warning(in, add_warning_row, &warnings);
		if (warnings.nr > MAX_WARNING_ROWS)
			strbuf_addf(sb, "- and %zu more\n", warnings.nr - MAX_WARNING_ROWS);
	}
}

static int write_markdown(FILE *out, const struct report_input *in, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	write_body(&sb, in);
	cap_size(&sb);
	if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
		ret = error_code(err, ERR_IO, "cannot write report: short write");
	else
		ret = report_finish(out, err);
	strbuf_release(&sb);
	return ret;
}

const struct report_writer report_writer_markdown = {
	.name = "markdown",
	.description = "a Markdown summary for CI job pages",
	.write = write_markdown,
};
