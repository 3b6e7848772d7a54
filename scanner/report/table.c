/* The human-readable report: one line per package, or per finding of a scan, in columns sized to fit. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/utf8.h"
#include "util/xalloc.h"

enum { COL_NAME, COL_VERSION, COL_TYPE, COL_SOURCE, COL_LAYER, NR_COLS };

static const char *const column_titles[NR_COLS] = { "NAME", "VERSION", "TYPE", "SOURCE", "LAYER" };

enum { FCOL_SEVERITY, FCOL_ID, FCOL_PACKAGE, FCOL_INSTALLED, FCOL_FIXED, FCOL_TITLE, NR_FINDING_COLS };

static const char *const finding_titles[NR_FINDING_COLS] = { "SEVERITY", "ID",	  "PACKAGE",
							      "INSTALLED", "FIXED", "TITLE" };

enum { CCOL_SEVERITY, CCOL_ID, CCOL_TITLE, CCOL_WHERE, CCOL_SUBJECT, NR_CHECK_COLS };

static const char *const check_titles[NR_CHECK_COLS] = {"SEVERITY", "CHECK", "TITLE", "WHERE", "SUBJECT"};

/* One absurd field from an image must not push every other column off the screen. */
#define MAX_CELL_CHARS 120
/* Titles are a hint to read the advisory, not the advisory: keep rows on one screen line. */
#define MAX_TITLE_CHARS 60
/* The short form of a layer's diff_id, as `docker history` shows image ids. */
#define SHORT_DIGEST_LEN 12

/* Characters a terminal sees, counting each UTF-8 sequence once. */
static size_t display_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Grow each column's width to fit this row's cell. */
static void widen_columns(size_t *widths, char *const *row, int nr_cols)
{
	for (int col = 0; col < nr_cols; col++) {
		size_t w = display_width(row[col]);
		if (w > widths[col])
			widths[col] = w;
	}
}

/*
 * A cell safe to print to a terminal: valid UTF-8 with every control
 * character, C1 included, replaced by '?', because an image could otherwise
 * send escape sequences to whoever reads the report. NULL and "" become "-".
 * The caller frees the result.
 */
static char *make_cell_max(const char *s, size_t max_chars)
{
	struct strbuf sb = STRBUF_INIT;
	size_t chars = 0;
	char *clean;
	const unsigned char *p;

	if (!s || !*s)
		return xstrdup("-");
	clean = utf8_sanitize(s, strlen(s));
	for (p = (const unsigned char *)clean; *p;) {
		size_t len = 1;
		if (*p >= 0xc0)
			while ((p[len] & 0xc0) == 0x80)
				len++;
		if (chars == max_chars) {
			strbuf_addstr(&sb, "...");
			break;
		}
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			strbuf_addch(&sb, '?');
		else
			strbuf_add(&sb, p, len);
		p += len;
		chars++;
	}
	free(clean);
	return strbuf_detach(&sb, NULL);
}

/*
 * Columns are shrunk only down to their title's width, and a cut cell keeps
 * at least one character before its "...".
 */
#define CUT_MARK_LEN 3

size_t table_fit_columns(size_t *widths, const char *const *titles, int nr_cols, unsigned cuttable,
			 size_t limit)
{
	size_t line = 2 * (size_t)(nr_cols - 1);

	for (int col = 0; col < nr_cols; col++)
		line += widths[col];
	while (limit && line > limit) {
		int widest = -1;

		for (int col = 0; col < nr_cols; col++) {
			size_t floor = strlen(titles[col]);

			if (floor < CUT_MARK_LEN + 1)
				floor = CUT_MARK_LEN + 1;
			if ((cuttable & (1u << col)) && widths[col] > floor &&
			    (widest < 0 || widths[col] > widths[widest]))
				widest = col;
		}
		/* The rest is identifiers and versions: better a wrapped line than a lost one. */
		if (widest < 0)
			break;
		widths[widest]--;
		line--;
	}
	return line;
}

/*
 * The width of the terminal out writes to, or 0 (no limit) when it is not
 * one: a pipe or a file keeps whole lines for whatever reads them.
 */
static size_t output_width(FILE *out)
{
	struct winsize ws;
	const char *columns;
	char *end;
	long n;

	if (!isatty(fileno(out)))
		return 0;
	if (!ioctl(fileno(out), TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	/* A terminal that does not say its size (a serial console): trust the shell's. */
	columns = getenv("COLUMNS");
	if (!columns || !*columns)
		return 0;
	n = strtol(columns, &end, 10);
	return !*end && n > 0 && n <= 10000 ? (size_t)n : 0;
}

/* Fit the table to the terminal, cutting the cells of the columns that were narrowed. */
static void fit_to_terminal(FILE *out, char **cells, size_t nr_rows, size_t *widths,
			    const char *const *titles, int nr_cols, unsigned cuttable)
{
	table_fit_columns(widths, titles, nr_cols, cuttable, output_width(out));
	for (size_t i = 0; i < nr_rows * nr_cols; i++) {
		size_t col = i % nr_cols;

		if (cells[i] && display_width(cells[i]) > widths[col]) {
			char *cut = make_cell_max(cells[i], widths[col] - CUT_MARK_LEN);

			free(cells[i]);
			cells[i] = cut;
		}
	}
}

static char *make_cell(const char *s)
{
	return make_cell_max(s, MAX_CELL_CHARS);
}

static char *source_cell(const struct package *pkg)
{
	struct strbuf sb = STRBUF_INIT;
	char *cell;

	if (!pkg->source_name || !*pkg->source_name)
		return make_cell(NULL);
	/* Like dpkg's "Source: name (version)": the version only when it differs. */
	strbuf_addstr(&sb, pkg->source_name);
	if (pkg->source_version && *pkg->source_version &&
	    (!pkg->version || strcmp(pkg->source_version, pkg->version)))
		strbuf_addf(&sb, " (%s)", pkg->source_version);
	cell = make_cell(sb.buf);
	strbuf_release(&sb);
	return cell;
}

static char *layer_cell(const struct image *img, const struct package *pkg)
{
	const struct image_layer *layer = report_package_layer(img, pkg);
	const char *hex;
	struct strbuf sb = STRBUF_INIT;
	char *cell;

	if (!layer)
		return make_cell(NULL);
	strbuf_addf(&sb, "%d", pkg->layer);
	if (layer->diff_id) {
		hex = strchr(layer->diff_id, ':');
		hex = hex ? hex + 1 : layer->diff_id;
		strbuf_addf(&sb, " (%.*s)", SHORT_DIGEST_LEN, hex);
	}
	cell = make_cell(sb.buf);
	strbuf_release(&sb);
	return cell;
}

/* colour, when not NULL, is an SGR sequence for the first cell. */
static void print_row_n(FILE *out, const char *const *cells, const size_t *widths, int nr_cols,
			const char *colour)
{
	for (int col = 0; col < nr_cols; col++) {
		if (col == 0 && colour)
			fprintf(out, "%s%s\033[0m", colour, cells[col]);
		else
			fputs(cells[col], out);
		/* No trailing blanks: the last column is not padded. */
		if (col == nr_cols - 1)
			break;
		for (size_t pad = display_width(cells[col]); pad < widths[col] + 2; pad++)
			fputc(' ', out);
	}
	fputc('\n', out);
}

static void print_row(FILE *out, const char *const *cells, const size_t *widths)
{
	print_row_n(out, cells, widths, NR_COLS, NULL);
}

static void print_warning(const char *msg, void *data)
{
	char *cell = make_cell(msg);

	fprintf(data, "warning: %s\n", cell);
	free(cell);
}

static void print_header(FILE *out, const struct report_input *in)
{
	const struct os_info *os = &in->cat->os;
	struct strbuf os_text = STRBUF_INIT;
	char *image, *os_cell;

	if (os->pretty_name && *os->pretty_name)
		strbuf_addstr(&os_text, os->pretty_name);
	else if (os->id && *os->id)
		strbuf_addf(&os_text, "%s %s", os->id, os->version_id ? os->version_id : "");
	else
		strbuf_addstr(&os_text, "unknown");
	image = make_cell(report_image_name(in->img));
	os_cell = make_cell(os_text.buf);
	fprintf(out, "Image: %s  OS: %s  Packages: %zu\n", image, os_cell, in->cat->packages.nr);
	free(image);
	free(os_cell);
	strbuf_release(&os_text);
}

/* Colour only for a person at a terminal, and never when they asked for none (no-color.org). */
static int want_colour(FILE *out)
{
	const char *no_color = getenv("NO_COLOR");

	if (no_color && *no_color)
		return 0;
	return isatty(fileno(out));
}

static const char *severity_colour(enum severity s)
{
	switch (s) {
	case SEVERITY_CRITICAL: return "\033[1;31m";
	case SEVERITY_HIGH: return "\033[31m";
	case SEVERITY_MEDIUM: return "\033[33m";
	case SEVERITY_LOW: return "\033[36m";
	default: return NULL;
	}
}

/* Whether the table lists finding f: active, and of a severity --severity asked for. */
static int listed(const struct report_input *in, const struct finding *f)
{
	if (f->suppressed_by)
		return 0;
	return !in->shown_severities || (in->shown_severities & (1u << f->severity));
}

/* Whether the table lists check finding f: the same rule as for vulnerabilities. */
static int check_listed(const struct report_input *in, const struct check_finding *f)
{
	if (f->suppressed_by)
		return 0;
	return !in->shown_severities || (in->shown_severities & (1u << f->rule->severity));
}

static char *where_cell(const struct check_finding *f)
{
	struct strbuf sb = STRBUF_INIT;
	char *cell;

	report_add_check_where(&sb, f);
	cell = make_cell(sb.buf);
	strbuf_release(&sb);
	return cell;
}

/* The check findings' own table, after the vulnerabilities'; nothing when none is listed. */
static void print_checks(FILE *out, const struct report_input *in, int colour)
{
	const struct check_results *checks = in->checks;
	size_t widths[NR_CHECK_COLS], nr_listed = 0;
	char **cells;

	if (!checks || !checks->nr)
		return;
	cells = xcalloc(checks->nr * NR_CHECK_COLS, sizeof(*cells));
	for (int col = 0; col < NR_CHECK_COLS; col++)
		widths[col] = strlen(check_titles[col]);
	for (size_t i = 0; i < checks->nr; i++) {
		const struct check_finding *f = &checks->findings[i];
		char **row = cells + i * NR_CHECK_COLS;

		if (!check_listed(in, f))
			continue;
		nr_listed++;
		row[CCOL_SEVERITY] = make_cell(severity_name(f->rule->severity));
		row[CCOL_ID] = make_cell(f->rule->id);
		row[CCOL_TITLE] = make_cell_max(f->rule->title, MAX_TITLE_CHARS);
		row[CCOL_WHERE] = where_cell(f);
		row[CCOL_SUBJECT] =
		    make_cell_max(f->subject && *f->subject ? f->subject : f->detail, MAX_TITLE_CHARS);
		widen_columns(widths, row, NR_CHECK_COLS);
	}
	if (nr_listed) {
		fit_to_terminal(out, cells, checks->nr, widths, check_titles, NR_CHECK_COLS,
				1u << CCOL_TITLE | 1u << CCOL_WHERE | 1u << CCOL_SUBJECT);
		fputc('\n', out);
		print_row_n(out, check_titles, widths, NR_CHECK_COLS, NULL);
		for (size_t i = 0; i < checks->nr; i++) {
			const char *const *row = (const char *const *)(cells + i * NR_CHECK_COLS);
			const char *sgr = colour ? severity_colour(checks->findings[i].rule->severity) : NULL;

			if (row[0])
				print_row_n(out, row, widths, NR_CHECK_COLS, sgr);
		}
	}
	for (size_t i = 0; i < checks->nr * NR_CHECK_COLS; i++)
		free(cells[i]);
	free(cells);
}

/* The check line of the summary: active findings per severity, suppressed and hidden ones apart. */
static void print_check_summary(FILE *out, const struct report_input *in)
{
	const struct check_results *checks = in->checks;
	size_t counts[SEVERITY_COUNT], active, suppressed, hidden = 0;

	/* Like the table, the line is only there when a check found something. */
	if (!checks || (!checks->nr && !checks->per_rule_dropped))
		return;
	active = check_results_tally(checks, counts, &suppressed);
	for (size_t i = 0; i < checks->nr; i++)
		hidden += !checks->findings[i].suppressed_by && !check_listed(in, &checks->findings[i]);
	if (suppressed)
		fprintf(out, "%zu check %s suppressed (ignore)\n", suppressed,
			suppressed == 1 ? "finding" : "findings");
	if (hidden)
		fprintf(out, "%zu check %s not shown by --severity\n", hidden,
			hidden == 1 ? "finding" : "findings");
	if (checks->per_rule_dropped)
		fprintf(out, "%zu more check findings not listed (at most %d per rule)\n",
			checks->per_rule_dropped, CHECK_MAX_FINDINGS_PER_RULE);
	if (!active) {
		fputs("no check findings\n", out);
		return;
	}
	fprintf(out, "%zu check %s:", active, active == 1 ? "finding" : "findings");
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		enum severity s = report_severity_order[i];
		fprintf(out, "%s %zu %s", i ? "," : "", counts[s], severity_name(s));
	}
	fputc('\n', out);
}

/* The counts of the active findings: suppressed ones are not vulnerabilities to act on. */
static void print_summary(FILE *out, const struct report_input *in, size_t hidden)
{
	const struct match_result *res = in->match;
	size_t counts[SEVERITY_COUNT] = { 0 }, active = 0, by_ignore = 0, by_vex = 0;

	for (size_t i = 0; i < res->nr_findings; i++) {
		const struct finding *f = &res->findings[i];

		if (!f->suppressed_by) {
			counts[f->severity < SEVERITY_COUNT ? f->severity : SEVERITY_UNKNOWN]++;
			active++;
		} else if (!strcmp(f->suppressed_by, "vex")) {
			by_vex++;
		} else {
			by_ignore++;
		}
	}
	if (by_ignore + by_vex)
		fprintf(out, "%zu suppressed (ignore: %zu, vex: %zu)\n", by_ignore + by_vex, by_ignore, by_vex);
	if (hidden)
		fprintf(out, "%zu not shown by --severity\n", hidden);
	if (!active) {
		fputs("no vulnerabilities found\n", out);
		return;
	}
	fprintf(out, "%zu %s:", active, active == 1 ? "vulnerability" : "vulnerabilities");
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		enum severity s = report_severity_order[i];
		fprintf(out, "%s %zu %s", i ? "," : "", counts[s], severity_name(s));
	}
	fputc('\n', out);
}

/* The gate's verdict last, where a CI log reader looks first. */
static void print_verdict(FILE *out, const struct report_input *in)
{
	const struct report_verdict *v = in->verdict;
	size_t excluded = 0;

	if (!v)
		return;
	for (size_t i = 0; v->excluded && i < in->match->nr_findings; i++)
		excluded += v->excluded[i] != 0;
	if (excluded)
		fprintf(out, "%zu %s no fix, left out of the gate (--only-fixed)\n", excluded,
			excluded == 1 ? "finding has" : "findings have");
	if (!v->would_fail) {
		fputs(v->audit ? "audit: the gate passes\n" : "gate: passed\n", out);
		return;
	}
	for (size_t i = 0; i < v->nr_reasons; i++) {
		char *cell = make_cell_max(v->reasons[i], 4 * MAX_CELL_CHARS);

		fprintf(out, "%s%s\n", v->audit ? "audit: would fail: " : "gate: failed: ", cell);
		free(cell);
	}
	if (!v->nr_reasons)
		fputs(v->audit ? "audit: would fail\n" : "gate: failed\n", out);
}

static int write_findings(FILE *out, const struct report_input *in, struct strbuf *err)
{
	const struct match_result *res = in->match;
	size_t widths[NR_FINDING_COLS];
	char **cells = xcalloc((res->nr_findings ? res->nr_findings : 1) * NR_FINDING_COLS, sizeof(*cells));
	size_t nr_listed = 0, hidden = 0;
	int colour = want_colour(out);

	for (int col = 0; col < NR_FINDING_COLS; col++)
		widths[col] = strlen(finding_titles[col]);
	for (size_t i = 0; i < res->nr_findings; i++) {
		const struct finding *f = &res->findings[i];
		const struct package *pkg = report_finding_package(in, f);
		char **row = cells + i * NR_FINDING_COLS;

		if (!listed(in, f)) {
			hidden += !f->suppressed_by;
			continue;
		}
		nr_listed++;
		row[FCOL_SEVERITY] = make_cell(severity_name(f->severity));
		row[FCOL_ID] = make_cell(f->id);
		row[FCOL_PACKAGE] = make_cell(pkg->name);
		row[FCOL_INSTALLED] = make_cell(pkg->version);
		row[FCOL_FIXED] = make_cell(f->fixed_version ? f->fixed_version : "unfixed");
		row[FCOL_TITLE] = make_cell_max(f->title, MAX_TITLE_CHARS);
		widen_columns(widths, row, NR_FINDING_COLS);
	}

	fit_to_terminal(out, cells, res->nr_findings, widths, finding_titles, NR_FINDING_COLS,
			1u << FCOL_PACKAGE | 1u << FCOL_TITLE);
	print_header(out, in);
	if (nr_listed) {
		fputc('\n', out);
		print_row_n(out, finding_titles, widths, NR_FINDING_COLS, NULL);
		for (size_t i = 0; i < res->nr_findings; i++) {
			const char *const *row = (const char *const *)(cells + i * NR_FINDING_COLS);
			const char *sgr = colour ? severity_colour(res->findings[i].severity) : NULL;

			if (row[0])
				print_row_n(out, row, widths, NR_FINDING_COLS, sgr);
		}
	}
	print_checks(out, in, colour);
	if (report_nr_warnings(in)) {
		fputc('\n', out);
		report_each_warning(in, print_warning, out);
	}
	fputc('\n', out);
	print_summary(out, in, hidden);
	print_check_summary(out, in);
	print_verdict(out, in);

	for (size_t i = 0; i < res->nr_findings * NR_FINDING_COLS; i++)
		free(cells[i]);
	free(cells);
	return report_finish(out, err);
}

static int write_table(FILE *out, const struct report_input *in, struct strbuf *err)
{
	const struct package_list *list = &in->cat->packages;
	size_t widths[NR_COLS];
	char **cells;

	if (in->match)
		return write_findings(out, in, err);
	cells = xcalloc((list->nr ? list->nr : 1) * NR_COLS, sizeof(*cells));
	for (int col = 0; col < NR_COLS; col++)
		widths[col] = strlen(column_titles[col]);
	for (size_t i = 0; i < list->nr; i++) {
		const struct package *pkg = &list->items[i];
		char **row = cells + i * NR_COLS;

		row[COL_NAME] = make_cell(pkg->name);
		row[COL_VERSION] = make_cell(pkg->version);
		row[COL_TYPE] = make_cell(pkg->type);
		row[COL_SOURCE] = source_cell(pkg);
		row[COL_LAYER] = layer_cell(in->img, pkg);
		widen_columns(widths, row, NR_COLS);
	}

	fit_to_terminal(out, cells, list->nr, widths, column_titles, NR_COLS, 1u << COL_NAME | 1u << COL_SOURCE);
	print_header(out, in);
	if (list->nr) {
		fputc('\n', out);
		print_row(out, column_titles, widths);
		for (size_t i = 0; i < list->nr; i++)
			print_row(out, (const char *const *)(cells + i * NR_COLS), widths);
	}
	if (report_nr_warnings(in)) {
		fputc('\n', out);
		report_each_warning(in, print_warning, out);
	}

	for (size_t i = 0; i < list->nr * NR_COLS; i++)
		free(cells[i]);
	free(cells);
	return report_finish(out, err);
}

const struct report_writer report_writer_table = {
	.name = "table",
	.description = "a table for people to read (the default)",
	.write = write_table,
};
