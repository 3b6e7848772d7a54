/* A self-contained HTML page of a scan for reviewers: readable without JavaScript, loading nothing. */
#include <stdlib.h>
#include <string.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/utf8.h"

/*
 * A browser slows down past some tens of thousands of rows; the JSON report
 * holds every finding, so the page says how many it left out instead.
 */
#define HTML_MAX_ROWS 20000
#define HTML_MAX_SUPPRESSED_ROWS 5000
#define HTML_MAX_WARNINGS 200
#define HTML_MAX_REASONS 50
#define CELL_MAX 300
#define LONG_CELL_MAX 1000
#define ALIASES_MAX 50

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:0 16px 40px;"
	"color:#1d2330;background:#fff}\n"
	"h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde}"
	"h3{font-size:15px;margin:16px 0 6px}\n"
	".meta{color:#556}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}"
	"dt{font-weight:600}dd{margin:0;word-break:break-all}\n"
	"table{border-collapse:collapse;width:100%;margin:6px 0}"
	"th,td{border:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}"
	"th{background:#f1f3f8;position:sticky;top:0}td{overflow-wrap:break-word}\n"
	"code,.mono{font-family:ui-monospace,monospace;font-size:12.5px}.small{font-size:12px;color:#556}\n"
	".sev{display:inline-block;min-width:64px;padding:0 6px;border-radius:3px;font-weight:600;"
	"text-align:center;color:#fff}\n"
	".sev-critical{background:#7d1a1a}.sev-high{background:#c0392b}.sev-medium{background:#d68910}"
	".sev-low{background:#2e86c1}.sev-unknown{background:#7f8c8d}\n"
	"table.counts{width:auto}.counts td{text-align:right;min-width:60px}.counts "
	"td:first-child{text-align:left}\n"
	".verdict{padding:8px 12px;border-radius:4px;font-weight:600;margin:12px 0}"
	".verdict.passed{background:#e3f4e8;border:1px solid #58a86b}"
	".verdict.failed{background:#fbe4e2;border:1px solid #c0392b}"
	".verdict.would-fail{background:#fdf1dc;border:1px solid #d68910}\n"
	".state-failing{color:#a02020;font-weight:600}\n"
	"#filters{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;margin:8px 0;padding:6px 10px;"
	"background:#f7f8fb;border:1px solid #dde}\n"
	"th.sortable{cursor:pointer}th[aria-sort=ascending]::after{content:\" \\25B2\"}"
	"th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
	".note{padding:6px 10px;background:#fdf1dc;border:1px solid #d68910}\n";

/*
 * Progressive enhancement only: the tables are complete and sorted without
 * it. It marks the root element with class "js" (which tests look for),
 * reveals the filter bar, hides rows that fail the filters and sorts
 * a table by the column whose header is clicked (a cell's data-key, when it
 * has one, sorts instead of its text). The Content-Security-Policy allows
 * exactly this text by its hash, so any change here changes the hash too.
 */
static const char script[] =
	"(function () {\n"
	"\"use strict\";\n"
	"var doc = document;\n"
	"doc.documentElement.className = \"js\";\n"
	"var form = doc.getElementById(\"filters\");\n"
	"var tables = doc.querySelectorAll(\"table.rows\");\n"
	"var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: \"base\"});\n"
	"function apply() {\n"
	"\tvar hide = {}, boxes = form.querySelectorAll(\"input[name=sev]\");\n"
	"\tfor (var i = 0; i < boxes.length; i++) hide[boxes[i].value] = !boxes[i].checked;\n"
	"\tvar text = doc.getElementById(\"f-pkg\").value.trim().toLowerCase();\n"
	"\tvar layer = doc.getElementById(\"f-layer\").value;\n"
	"\tfor (var t = 0; t < tables.length; t++) {\n"
	"\t\tvar rows = tables[t].tBodies[0].rows, shown = 0;\n"
	"\t\tfor (var r = 0; r < rows.length; r++) {\n"
	"\t\t\tvar d = rows[r].dataset;\n"
	"\t\t\tvar ok = !(d.sev && hide[d.sev]) &&\n"
	"\t\t\t\t(!text || (d.pkg || \"\").toLowerCase().indexOf(text) >= 0) &&\n"
	"\t\t\t\t(layer === \"\" || d.layer === layer);\n"
	"\t\t\trows[r].hidden = !ok;\n"
	"\t\t\tif (ok) shown++;\n"
	"\t\t}\n"
	"\t\tvar count = doc.getElementById(tables[t].id + \"-shown\");\n"
	"\t\tif (count) count.textContent = \"Showing \" + shown + \" of \" + rows.length + \" rows.\";\n"
	"\t}\n"
	"}\n"
	"function key(row, col) {\n"
	"\tvar cell = row.cells[col];\n"
	"\tif (!cell) return \"\";\n"
	"\treturn cell.hasAttribute(\"data-key\") ? cell.getAttribute(\"data-key\") : cell.textContent;\n"
	"}\n"
	"function sortBy(table, th, col) {\n"
	"\tvar up = th.getAttribute(\"aria-sort\") !== \"ascending\";\n"
	"\tvar ths = table.tHead.rows[0].cells;\n"
	"\tfor (var i = 0; i < ths.length; i++) ths[i].removeAttribute(\"aria-sort\");\n"
	"\tth.setAttribute(\"aria-sort\", up ? \"ascending\" : \"descending\");\n"
	"\tvar body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);\n"
	"\trows.forEach(function (row, i) { row.order = i; });\n"
	"\trows.sort(function (a, b) {\n"
	"\t\tvar c = collator.compare(key(a, col), key(b, col));\n"
	"\t\treturn (up ? c : -c) || a.order - b.order;\n"
	"\t});\n"
	"\trows.forEach(function (row) { body.appendChild(row); });\n"
	"}\n"
	"Array.prototype.forEach.call(tables, function (table) {\n"
	"\tArray.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {\n"
	"\t\tth.className = \"sortable\";\n"
	"\t\tth.tabIndex = 0;\n"
	"\t\tth.title = \"Sort by this column\";\n"
	"\t\tth.addEventListener(\"click\", function () { sortBy(table, th, col); });\n"
	"\t\tth.addEventListener(\"keydown\", function (e) {\n"
	"\t\t\tif (e.key === \"Enter\" || e.key === \" \") { e.preventDefault(); sortBy(table, th, col); }\n"
	"\t\t});\n"
	"\t});\n"
	"});\n"
	"if (form) {\n"
	"\tform.hidden = false;\n"
	"\tform.addEventListener(\"input\", apply);\n"
	"\tform.addEventListener(\"change\", apply);\n"
	"\tform.addEventListener(\"submit\", function (e) { e.preventDefault(); });\n"
	"\tapply();\n"
	"}\n"
	"})();\n";

static void add_base64(struct strbuf *sb, const unsigned char *raw, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)raw[i] << 16;

		if (i + 1 < len)
			v |= (unsigned long)raw[i + 1] << 8;
		if (i + 2 < len)
			v |= raw[i + 2];
		strbuf_addch(sb, digits[(v >> 18) & 63]);
		strbuf_addch(sb, digits[(v >> 12) & 63]);
		strbuf_addch(sb, i + 1 < len ? digits[(v >> 6) & 63] : '=');
		strbuf_addch(sb, i + 2 < len ? digits[v & 63] : '=');
	}
}

/*
 * Append s as HTML text or a quoted attribute value, cut at max bytes. Any
 * bytes may come in: ill-formed UTF-8 is replaced, control characters
 * (C0 and C1) become spaces, and the five markup characters become
 * entities. The ':' of "://" becomes an entity too: it looks the same on
 * the page, yet the file then holds no URL at all, so that a plain search of
 * it proves nothing in it can point the browser at a network address.
 */
static void add_escaped(struct strbuf *sb, const char *s, size_t max)
{
	struct strbuf clipped = STRBUF_INIT;
	char *clean;

	report_add_clipped(&clipped, s ? s : "", max);
	clean = utf8_sanitize(clipped.buf, clipped.len);
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			strbuf_addch(sb, ' ');
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			strbuf_addch(sb, ' ');
			p++; /* the second byte of the C1 control */
		} else if (*p == '&')
			strbuf_addstr(sb, "&amp;");
		else if (*p == '<')
			strbuf_addstr(sb, "&lt;");
		else if (*p == '>')
			strbuf_addstr(sb, "&gt;");
		else if (*p == '"')
			strbuf_addstr(sb, "&quot;");
		else if (*p == '\'')
			strbuf_addstr(sb, "&#39;");
		else if (*p == ':' && p[1] == '/' && p[2] == '/')
			strbuf_addstr(sb, "&#58;");
		else
			strbuf_addch(sb, *p);
	}
	free(clean);
	strbuf_release(&clipped);
}

static void add_text(struct strbuf *sb, const char *s)
{
	add_escaped(sb, s, CELL_MAX);
}

/* A table cell holding s, or a dash when there is nothing to show. */
static void add_cell(struct strbuf *sb, const char *s, size_t max)
{
	strbuf_addstr(sb, "<td>");
	if (s && *s)
		add_escaped(sb, s, max);
	else
		strbuf_addstr(sb, "-");
	strbuf_addstr(sb, "</td>");
}

static void add_dl_row(struct strbuf *sb, const char *term, const char *value)
{
	strbuf_addf(sb, "<dt>%s</dt><dd>", term);
	if (value && *value)
		add_escaped(sb, value, LONG_CELL_MAX);
	else
		strbuf_addstr(sb, "-");
	strbuf_addstr(sb, "</dd>\n");
}

/* The position of s in report_severity_order: 0 for critical, so an ascending sort puts the worst first. */
static size_t severity_rank(enum severity s)
{
	for (size_t i = 0; i < SEVERITY_COUNT; i++)
		if (report_severity_order[i] == s)
			return i;
	return SEVERITY_COUNT;
}

static enum severity finding_severity(const struct finding *f)
{
	return f->severity < SEVERITY_COUNT ? f->severity : SEVERITY_UNKNOWN;
}

static void add_severity_badge(struct strbuf *sb, enum severity s)
{
	strbuf_addf(sb, "<span class=\"sev sev-%s\">%s</span>", severity_name(s), severity_name(s));
}

/* "sha256:0123456789ab": long enough to tell layers apart and to search for. */
static void add_short_digest(struct strbuf *sb, const char *digest)
{
	struct strbuf shortened = STRBUF_INIT;
	size_t keep = digest ? strlen(digest) : 0;

	if (!keep) {
		strbuf_addstr(sb, "-");
		return;
	}
	if (keep > 7 + 12 && !strncmp(digest, "sha256:", 7))
		keep = 7 + 12;
	strbuf_add(&shortened, digest, keep);
	add_text(sb, shortened.buf);
	strbuf_release(&shortened);
}

/* The layer cell: its index, sortable as a number, with the instruction that made it as a tooltip. */
static void add_layer_cell(struct strbuf *sb, const struct image *img, int index)
{
	const struct image_layer *layer = report_layer(img, index);

	if (!layer) {
		strbuf_addstr(sb, "<td data-key=\"-1\">-</td>");
		return;
	}
	strbuf_addf(sb, "<td data-key=\"%d\"", index);
	if (layer->created_by && *layer->created_by) {
		strbuf_addstr(sb, " title=\"");
		add_escaped(sb, layer->created_by, CELL_MAX);
		strbuf_addch(sb, '"');
	}
	strbuf_addf(sb, ">%d</td>", index);
}

/* A row with what the filters compare: data-sev, data-pkg, and data-layer as the layer select's values. */
static void add_row_start(struct strbuf *sb, const struct image *img, const char *pkg_name, int layer,
			  const enum severity *sev)
{
	strbuf_addstr(sb, "<tr");
	if (sev)
		strbuf_addf(sb, " data-sev=\"%s\"", severity_name(*sev));
	strbuf_addstr(sb, " data-pkg=\"");
	add_text(sb, pkg_name);
	strbuf_addf(sb, "\" data-layer=\"%d\">", report_layer(img, layer) ? layer : -1);
}

static void add_head(struct strbuf *sb, const struct report_input *in)
{
	struct sha256_ctx ctx;
	unsigned char raw[SHA256_RAW_LEN];

	sha256_init(&ctx);
	sha256_update(&ctx, script, sizeof(script) - 1);
	sha256_final(&ctx, raw);
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	/* Nothing may be fetched: no images, fonts, frames, connections or form posts; only this script runs.
	 */
	strbuf_addstr(sb, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			  "style-src 'unsafe-inline'; script-src 'sha256-");
	add_base64(sb, raw, sizeof(raw));
	strbuf_addstr(sb, "'; base-uri 'none'; form-action 'none'\">\n"
			  "<meta name=\"referrer\" content=\"no-referrer\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			  "<title>Customs scan: ");
	add_text(sb, report_image_name(in->img));
	strbuf_addf(sb, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void add_image(struct strbuf *sb, const struct report_input *in)
{
	const struct image *img = in->img;
	const struct os_info *os = &in->cat->os;
	char when[32];

	strbuf_addstr(sb, "<header>\n<h1>Customs scan: ");
	add_text(sb, report_image_name(img));
	report_format_time(in->timestamp, when);
	strbuf_addstr(sb, "</h1>\n<p class=\"meta\">Written by ");
	add_text(sb, in->tool_name ? in->tool_name : "customs");
	if (in->tool_version && *in->tool_version) {
		strbuf_addch(sb, ' ');
		add_text(sb, in->tool_version);
	}
	strbuf_addf(sb, " at %s.</p>\n</header>\n", when);

	strbuf_addstr(sb, "<section id=\"image\">\n<h2>Image</h2>\n<dl>\n");
	add_dl_row(sb, "Name", report_image_name(img));
	add_dl_row(sb, "Target", img->source);
	add_dl_row(sb, "Digest", img->digest);
	add_dl_row(sb, "Config", img->config_digest);
	add_dl_row(sb, "OS", os->pretty_name && *os->pretty_name ? os->pretty_name : os->id);
	add_dl_row(sb, "Platform", img->os);
	add_dl_row(sb, "Architecture", img->architecture);
	strbuf_addf(sb, "<dt>Packages</dt><dd>%zu</dd>\n</dl>\n</section>\n", in->cat->packages.nr);
}

/* After the findings: a reviewer reads them first and comes back here to see where a layer came from. */
static void add_layers(struct strbuf *sb, const struct image *img)
{
	strbuf_addf(sb, "<section id=\"layers\">\n<h2>Layers (%zu)</h2>\n", img->nr_layers);
	if (!img->nr_layers) {
		strbuf_addstr(sb, "<p>None: the target is a root filesystem folder.</p>\n</section>\n");
		return;
	}
	strbuf_addstr(sb, "<table id=\"t-layers\">\n<thead><tr><th>Layer</th><th>Diff ID</th><th>Size</th>"
			  "<th>Created by</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < img->nr_layers; i++) {
		const struct image_layer *layer = &img->layers[i];

		strbuf_addf(sb, "<tr><td>%zu</td><td class=\"mono\"", i);
		if (layer->diff_id) {
			strbuf_addstr(sb, " title=\"");
			add_text(sb, layer->diff_id);
			strbuf_addch(sb, '"');
		}
		strbuf_addstr(sb, ">");
		add_short_digest(sb, layer->diff_id);
		strbuf_addf(sb, "</td><td>%llu</td>", (unsigned long long)layer->uncompressed_size);
		add_cell(sb, layer->created_by, LONG_CELL_MAX);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n</section>\n");
}

static void add_db(struct strbuf *sb, const struct vulndb *db)
{
	struct vulndb_info info;
	char built[32];

	vulndb_get_info(db, &info);
	report_format_time(info.build_time > (uint64_t)INT64_MAX ? 0 : (time_t)info.build_time, built);
	strbuf_addstr(sb, "<section id=\"database\">\n<h2>Vulnerability database</h2>\n<dl>\n");
	add_dl_row(sb, "Built", built);
	add_dl_row(sb, "Checksum", info.checksum);
	strbuf_addf(sb, "<dt>Advisories</dt><dd>%u</dd>\n</dl>\n", info.nr_advisories);
	if (!info.nr_sources) {
		strbuf_addstr(sb, "</section>\n");
		return;
	}
	strbuf_addstr(sb,
		      "<table id=\"sources\">\n<thead><tr><th>Source</th><th>Date</th><th>Records</th></tr>"
		      "</thead>\n<tbody>\n");
	for (uint32_t i = 0; i < info.nr_sources; i++) {
		struct vulndb_source src;

		vulndb_get_source(db, i, &src);
		strbuf_addstr(sb, "<tr>");
		add_cell(sb, src.name, CELL_MAX);
		add_cell(sb, src.date, CELL_MAX);
		strbuf_addf(sb, "<td>%u</td></tr>\n", src.nr_records);
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n</section>\n");
}

static void add_verdict(struct strbuf *sb, const struct report_verdict *v, const struct match_result *res)
{
	size_t excluded = 0;

	if (v->excluded)
		for (size_t i = 0; i < res->nr_findings; i++)
			excluded += v->excluded[i] != 0;
	strbuf_addstr(sb, "<section id=\"verdict\">\n<h2>Policy</h2>\n");
	if (!v->passed)
		strbuf_addstr(sb, "<p class=\"verdict failed\">Policy failed.</p>\n");
	else if (v->would_fail)
		strbuf_addstr(
		    sb, "<p class=\"verdict would-fail\">Policy would have failed (audit mode: the build "
			"passes).</p>\n");
	else
		strbuf_addstr(sb, "<p class=\"verdict passed\">Policy passed.</p>\n");
	if (excluded)
		strbuf_addf(sb, "<p>%zu %s without a fix left out of the decision (--only-fixed).</p>\n",
			    excluded, excluded == 1 ? "finding" : "findings");
	if (v->nr_reasons) {
		strbuf_addstr(sb, "<ul>\n");
		for (size_t i = 0; i < v->nr_reasons && i < HTML_MAX_REASONS; i++) {
			strbuf_addstr(sb, "<li>");
			add_escaped(sb, v->reasons[i], LONG_CELL_MAX);
			strbuf_addstr(sb, "</li>\n");
		}
		if (v->nr_reasons > HTML_MAX_REASONS)
			strbuf_addf(sb, "<li>and %zu more</li>\n", v->nr_reasons - HTML_MAX_REASONS);
		strbuf_addstr(sb, "</ul>\n");
	}
	strbuf_addstr(sb, "</section>\n");
}

static void add_summary(struct strbuf *sb, const struct report_input *in, const size_t counts[SEVERITY_COUNT],
			size_t active, size_t suppressed)
{
	strbuf_addstr(sb, "<section id=\"summary\">\n<h2>Summary</h2>\n<p>");
	if (active)
		strbuf_addf(sb, "%zu %s found", active, active == 1 ? "vulnerability" : "vulnerabilities");
	else
		strbuf_addstr(sb, "No vulnerabilities found");
	if (suppressed)
		strbuf_addf(sb, " (%zu suppressed)", suppressed);
	strbuf_addf(sb, " in %zu packages.</p>\n", in->cat->packages.nr);
	strbuf_addstr(sb,
		      "<table class=\"counts\" id=\"counts\">\n<thead><tr><th>Severity</th><th>Findings</th>"
		      "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		enum severity s = report_severity_order[i];

		strbuf_addstr(sb, "<tr><td>");
		add_severity_badge(sb, s);
		strbuf_addf(sb, "</td><td>%zu</td></tr>\n", counts[s]);
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n</section>\n");
}

/*
 * The filter bar, hidden until the script shows it: without JavaScript it
 * could do nothing. Layer options carry the instruction that made the layer.
 */
static void add_filters(struct strbuf *sb, const struct image *img, int with_severities)
{
	strbuf_addstr(sb, "<form id=\"filters\" hidden>\n");
	if (with_severities) {
		strbuf_addstr(sb, "<span>Severity:</span>\n");
		for (size_t i = 0; i < SEVERITY_COUNT; i++) {
			const char *name = severity_name(report_severity_order[i]);

			strbuf_addf(
			    sb,
			    "<label><input type=\"checkbox\" name=\"sev\" value=\"%s\" checked> %s</label>\n",
			    name, name);
		}
	}
	strbuf_addstr(sb,
		      "<label>Package: <input type=\"search\" id=\"f-pkg\" placeholder=\"name contains\">"
		      "</label>\n<label>Layer: <select id=\"f-layer\">\n<option value=\"\">all</option>\n");
	for (size_t i = 0; i < img->nr_layers; i++) {
		const char *created_by = img->layers[i].created_by;

		strbuf_addf(sb, "<option value=\"%zu\">%zu", i, i);
		if (created_by && *created_by) {
			strbuf_addstr(sb, ": ");
			add_escaped(sb, created_by, 60);
		}
		strbuf_addstr(sb, "</option>\n");
	}
	strbuf_addstr(sb, "<option value=\"-1\">unknown</option>\n</select></label>\n</form>\n");
}

static void add_id_cell(struct strbuf *sb, const struct finding *f)
{
	strbuf_addstr(sb, "<td data-key=\"");
	add_text(sb, f->id);
	strbuf_addstr(sb, "\"><span class=\"mono\">");
	add_text(sb, f->id && *f->id ? f->id : "-");
	strbuf_addstr(sb, "</span>");
	if (f->nr_aliases) {
		strbuf_addstr(sb, "<br><span class=\"small\">");
		for (size_t i = 0; i < f->nr_aliases && i < ALIASES_MAX; i++) {
			if (i)
				strbuf_addstr(sb, ", ");
			add_text(sb, f->aliases[i]);
		}
		if (f->nr_aliases > ALIASES_MAX)
			strbuf_addf(sb, " and %zu more", f->nr_aliases - ALIASES_MAX);
		strbuf_addstr(sb, "</span>");
	}
	strbuf_addstr(sb, "</td>");
}

static int is_os_package(const struct package *pkg)
{
	static const char *const os_types[] = {"deb", "apk", "rpm"};

	for (size_t i = 0; i < sizeof(os_types) / sizeof(os_types[0]); i++)
		if (pkg->type && !strcmp(pkg->type, os_types[i]))
			return 1;
	return 0;
}

/*
 * npm installs the same release at several paths; the path tells the copies
 * apart. OS packages all come from one package database, which says nothing.
 */
static void add_package_cell(struct strbuf *sb, const struct package *pkg, int with_path)
{
	const char *where = pkg->install_path && *pkg->install_path ? pkg->install_path : NULL;

	if (!where && !is_os_package(pkg))
		where = pkg->path;
	strbuf_addstr(sb, "<td>");
	add_text(sb, pkg->name && *pkg->name ? pkg->name : "-");
	if (with_path && where && *where) {
		strbuf_addstr(sb, "<br><span class=\"small\">");
		add_text(sb, where);
		strbuf_addstr(sb, "</span>");
	}
	strbuf_addstr(sb, "</td>");
}

/* The columns both findings tables share, up to the title. */
static void add_finding_cells(struct strbuf *sb, const struct report_input *in, const struct finding *f)
{
	const struct package *pkg = report_finding_package(in, f);
	enum severity s = finding_severity(f);

	add_row_start(sb, in->img, pkg->name, f->layer, &s);
	strbuf_addf(sb, "<td data-key=\"%zu\">", severity_rank(s));
	add_severity_badge(sb, s);
	strbuf_addstr(sb, "</td>");
	add_id_cell(sb, f);
	add_package_cell(sb, pkg, 1);
	add_cell(sb, pkg->version, CELL_MAX);
	add_cell(sb, f->fixed_version ? f->fixed_version : "no fix yet", CELL_MAX);
	add_layer_cell(sb, in->img, f->layer);
	add_cell(sb, f->title, LONG_CELL_MAX);
}

/* What the policy made of an active finding: the gate's view and an attached VEX statement. */
static void add_state_cell(struct strbuf *sb, const struct report_input *in, size_t i)
{
	const struct report_verdict *v = in->verdict;
	const struct finding *f = &in->match->findings[i];
	int any = 0;

	strbuf_addstr(sb, "<td>");
	if (v) {
		if (v->excluded && v->excluded[i])
			strbuf_addstr(sb, "excluded (no fix)");
		else if (v->failing && v->failing[i])
			strbuf_addstr(sb, v->passed ? "<span class=\"state-failing\">would fail</span>"
						    : "<span class=\"state-failing\">failing</span>");
		else
			strbuf_addstr(sb, "within policy");
		any = 1;
	}
	if (f->vex_status && *f->vex_status) {
		strbuf_addstr(sb, any ? "<br>VEX: " : "VEX: ");
		add_text(sb, f->vex_status);
		if (f->vex_detail && *f->vex_detail) {
			strbuf_addstr(sb, "<br><span class=\"small\">");
			add_escaped(sb, f->vex_detail, LONG_CELL_MAX);
			strbuf_addstr(sb, "</span>");
		}
		any = 1;
	}
	if (!any)
		strbuf_addstr(sb, "active");
	strbuf_addstr(sb, "</td>");
}

static const char finding_columns[] = "<th>Severity</th><th>ID</th><th>Package</th><th>Installed</th>"
				      "<th>Fixed</th><th>Layer</th><th>Title</th>";

static void add_findings(struct strbuf *sb, const struct report_input *in, size_t active, size_t suppressed)
{
	const struct match_result *res = in->match;
	size_t rows = 0;

	strbuf_addf(sb, "<section id=\"findings\">\n<h2>Findings (%zu)</h2>\n", active);
	/* The filters serve the check tables below too. */
	if (active || suppressed || (in->checks && in->checks->nr))
		add_filters(sb, in->img, 1);
	if (active) {
		strbuf_addstr(sb, "<p class=\"small\" id=\"t-findings-shown\"></p>\n"
				  "<table class=\"rows\" id=\"t-findings\">\n<thead><tr>");
		strbuf_addf(sb, "%s<th>State</th></tr></thead>\n<tbody>\n", finding_columns);
		/* The match result comes sorted most severe first, then by package. */
		for (size_t i = 0; i < res->nr_findings && rows < HTML_MAX_ROWS; i++) {
			if (!report_finding_active(&res->findings[i]))
				continue;
			add_finding_cells(sb, in, &res->findings[i]);
			add_state_cell(sb, in, i);
			strbuf_addstr(sb, "</tr>\n");
			rows++;
		}
		strbuf_addstr(sb, "</tbody>\n</table>\n");
		if (active > rows)
			strbuf_addf(
			    sb,
			    "<p class=\"note\">This page shows the %zu most severe findings; %zu more are "
			    "in the JSON report (-o json).</p>\n",
			    rows, active - rows);
	} else {
		strbuf_addstr(sb, "<p>No active findings.</p>\n");
	}
	strbuf_addstr(sb, "</section>\n");

	if (!suppressed)
		return;
	rows = 0;
	strbuf_addf(sb,
		    "<section id=\"suppressed\">\n<h2>Suppressed (%zu)</h2>\n<p>Findings that an ignore rule "
		    "or a VEX statement suppressed; they do not count toward the policy.</p>\n",
		    suppressed);
	strbuf_addstr(sb, "<p class=\"small\" id=\"t-suppressed-shown\"></p>\n"
			  "<table class=\"rows\" id=\"t-suppressed\">\n<thead><tr>");
	strbuf_addf(sb, "%s<th>By</th><th>Reason</th></tr></thead>\n<tbody>\n", finding_columns);
	for (size_t i = 0; i < res->nr_findings && rows < HTML_MAX_SUPPRESSED_ROWS; i++) {
		const struct finding *f = &res->findings[i];

		if (report_finding_active(f))
			continue;
		add_finding_cells(sb, in, f);
		add_cell(sb, f->suppressed_by, CELL_MAX);
		add_cell(sb, f->suppressed_reason, LONG_CELL_MAX);
		strbuf_addstr(sb, "</tr>\n");
		rows++;
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n");
	if (suppressed > rows)
		strbuf_addf(sb,
			    "<p class=\"note\">%zu more suppressed findings are in the JSON report.</p>\n",
			    suppressed - rows);
	strbuf_addstr(sb, "</section>\n");
}

static void add_check_where(struct strbuf *sb, const struct check_finding *f)
{
	struct strbuf where = STRBUF_INIT;

	report_add_check_where(&where, f);
	add_text(sb, where.buf);
	strbuf_release(&where);
}

/* The columns both check tables share: the rule with its why and remediation, where, what, and the layer. */
static void add_check_cells(struct strbuf *sb, const struct report_input *in, const struct check_finding *f)
{
	const struct check_rule *rule = f->rule;
	enum severity s = rule->severity < SEVERITY_COUNT ? rule->severity : SEVERITY_UNKNOWN;
	struct strbuf filter = STRBUF_INIT;

	/* The text filter matches the rule ID or the path. */
	strbuf_addf(&filter, "%s %s", rule->id, f->path ? f->path : "image config");
	add_row_start(sb, in->img, filter.buf, f->layer, &s);
	strbuf_release(&filter);
	strbuf_addf(sb, "<td data-key=\"%zu\">", severity_rank(s));
	add_severity_badge(sb, s);
	strbuf_addstr(sb, "</td><td><span class=\"mono\" style=\"white-space:nowrap\">");
	add_text(sb, rule->id);
	strbuf_addstr(sb, "</span></td><td>");
	add_text(sb, rule->title);
	/* <details> opens without JavaScript. */
	strbuf_addstr(sb, "<details><summary class=\"small\">Why and what to do</summary><p>");
	add_escaped(sb, rule->why, LONG_CELL_MAX);
	strbuf_addstr(sb, "</p><p><b>Remediation:</b> ");
	add_escaped(sb, rule->remediation, LONG_CELL_MAX);
	strbuf_addstr(sb, "</p></details></td><td>");
	add_check_where(sb, f);
	strbuf_addstr(sb, "</td>");
	add_cell(sb, f->subject, CELL_MAX);
	strbuf_addstr(sb, "<td>");
	if (f->detail && *f->detail)
		add_escaped(sb, f->detail, LONG_CELL_MAX);
	else
		strbuf_addstr(sb, "-");
	if (f->instruction && *f->instruction) {
		strbuf_addstr(sb, "<br><span class=\"small mono\">");
		add_escaped(sb, f->instruction, LONG_CELL_MAX);
		strbuf_addstr(sb, "</span>");
	}
	strbuf_addstr(sb, "</td>");
	add_layer_cell(sb, in->img, f->layer);
}

static const char check_columns[] = "<th>Severity</th><th>Check</th><th>Title</th><th>Where</th>"
				    "<th>Subject</th><th>Detail</th><th>Layer</th>";

/* The posture checks: their findings, then the suppressed ones; nothing when no check ran. */
static void add_checks(struct strbuf *sb, const struct report_input *in)
{
	const struct check_results *checks = in->checks;
	const struct report_verdict *v = in->verdict;
	size_t counts[SEVERITY_COUNT], active, suppressed, rows = 0;

	if (!checks)
		return;
	active = check_results_tally(checks, counts, &suppressed);
	strbuf_addf(sb, "<section id=\"checks\">\n<h2>Checks (%zu)</h2>\n<p>", active);
	report_add_checks_sentence(sb, checks, active, suppressed);
	strbuf_addstr(sb, ".</p>\n");
	if (checks->per_rule_dropped)
		strbuf_addf(sb,
			    "<p class=\"note\">%zu more findings were only counted: each rule reports at "
			    "most %d.</p>\n",
			    checks->per_rule_dropped, CHECK_MAX_FINDINGS_PER_RULE);
	if (active) {
		strbuf_addstr(sb, "<p class=\"small\" id=\"t-checks-shown\"></p>\n"
				  "<table class=\"rows\" id=\"t-checks\">\n<thead><tr>");
		strbuf_addf(sb, "%s<th>State</th></tr></thead>\n<tbody>\n", check_columns);
		/* The checks come sorted most severe first. */
		for (size_t i = 0; i < checks->nr && rows < HTML_MAX_ROWS; i++) {
			if (checks->findings[i].suppressed_by)
				continue;
			add_check_cells(sb, in, &checks->findings[i]);
			if (!v)
				strbuf_addstr(sb, "<td>active</td>");
			else if (v->check_failing && v->check_failing[i])
				strbuf_addstr(
				    sb, v->passed ? "<td><span class=\"state-failing\">would fail</span></td>"
						  : "<td><span class=\"state-failing\">failing</span></td>");
			else
				strbuf_addstr(sb, "<td>within policy</td>");
			strbuf_addstr(sb, "</tr>\n");
			rows++;
		}
		strbuf_addstr(sb, "</tbody>\n</table>\n");
	}
	if (suppressed) {
		strbuf_addf(
		    sb,
		    "<h3>Suppressed checks (%zu)</h3>\n<p class=\"small\" id=\"t-checks-suppressed-shown\">"
		    "</p>\n<table class=\"rows\" id=\"t-checks-suppressed\">\n<thead><tr>",
		    suppressed);
		strbuf_addf(sb, "%s<th>By</th><th>Reason</th></tr></thead>\n<tbody>\n", check_columns);
		for (size_t i = 0; i < checks->nr && rows < HTML_MAX_ROWS; i++) {
			const struct check_finding *f = &checks->findings[i];

			if (!f->suppressed_by)
				continue;
			add_check_cells(sb, in, f);
			add_cell(sb, f->suppressed_by, CELL_MAX);
			add_cell(sb, f->suppressed_reason, LONG_CELL_MAX);
			strbuf_addstr(sb, "</tr>\n");
			rows++;
		}
		strbuf_addstr(sb, "</tbody>\n</table>\n");
	}
	if (active + suppressed > rows)
		strbuf_addf(sb,
			    "<p class=\"note\">This page shows %zu check findings; %zu more are in the JSON "
			    "report (-o json).</p>\n",
			    rows, active + suppressed - rows);
	strbuf_addstr(sb, "</section>\n");
}

/* customs sbom: the inventory in place of findings. */
static void add_packages(struct strbuf *sb, const struct report_input *in)
{
	const struct package_list *list = &in->cat->packages;
	size_t rows = list->nr < HTML_MAX_ROWS ? list->nr : HTML_MAX_ROWS;

	strbuf_addf(sb,
		    "<section id=\"packages\">\n<h2>Packages (%zu)</h2>\n"
		    "<p>An inventory: no vulnerability scan was run.</p>\n",
		    list->nr);
	if (!list->nr) {
		strbuf_addstr(sb, "</section>\n");
		return;
	}
	add_filters(sb, in->img, 0);
	strbuf_addstr(
	    sb, "<p class=\"small\" id=\"t-packages-shown\"></p>\n<table class=\"rows\" id=\"t-packages\">\n"
		"<thead><tr><th>Name</th><th>Version</th><th>Type</th><th>Layer</th><th>License</th>"
		"<th>Path</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < rows; i++) {
		const struct package *pkg = &list->items[i];

		add_row_start(sb, in->img, pkg->name, pkg->layer, NULL);
		add_package_cell(sb, pkg, 0);
		add_cell(sb, pkg->version, CELL_MAX);
		add_cell(sb, pkg->type, CELL_MAX);
		add_layer_cell(sb, in->img, pkg->layer);
		add_cell(sb, pkg->license, CELL_MAX);
		add_cell(sb, pkg->path, CELL_MAX);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n");
	if (list->nr > rows)
		strbuf_addf(
		    sb,
		    "<p class=\"note\">This page shows the first %zu packages; %zu more are in the JSON "
		    "report (-o json).</p>\n",
		    rows, list->nr - rows);
	strbuf_addstr(sb, "</section>\n");
}

struct warning_items {
	struct strbuf *sb;
	size_t nr;
};

static void add_warning_item(const char *msg, void *data)
{
	struct warning_items *w = data;

	if (w->nr++ >= HTML_MAX_WARNINGS)
		return;
	strbuf_addstr(w->sb, "<li>");
	add_escaped(w->sb, msg, LONG_CELL_MAX);
	strbuf_addstr(w->sb, "</li>\n");
}

static void add_warnings(struct strbuf *sb, const struct report_input *in)
{
	struct warning_items w = {sb, 0};
	size_t nr = report_nr_warnings(in);

	if (!nr)
		return;
	strbuf_addf(sb, "<section id=\"warnings\">\n<h2>Warnings (%zu)</h2>\n<ul>\n", nr);
	report_each_warning(in, add_warning_item, &w);
	if (w.nr > HTML_MAX_WARNINGS)
		strbuf_addf(sb, "<li>and %zu more</li>\n", w.nr - HTML_MAX_WARNINGS);
	strbuf_addstr(sb, "</ul>\n</section>\n");
}

static void write_page(struct strbuf *sb, const struct report_input *in)
{
	const struct match_result *res = in->match;
	size_t counts[SEVERITY_COUNT] = {0}, active = 0, suppressed = 0;

	add_head(sb, in);
	add_image(sb, in);
	if (res) {
		for (size_t i = 0; i < res->nr_findings; i++) {
			const struct finding *f = &res->findings[i];

			if (report_finding_active(f)) {
				active++;
				counts[finding_severity(f)]++;
			} else {
				suppressed++;
			}
		}
		if (in->verdict)
			add_verdict(sb, in->verdict, res);
		add_summary(sb, in, counts, active, suppressed);
		add_findings(sb, in, active, suppressed);
		add_checks(sb, in);
	} else {
		add_packages(sb, in);
	}
	add_layers(sb, in->img);
	if (in->db)
		add_db(sb, in->db);
	add_warnings(sb, in);
	strbuf_addf(sb, "<script>%s</script>\n</body>\n</html>\n", script);
}

static int write_html(FILE *out, const struct report_input *in, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	write_page(&sb, in);
	if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
		ret = error_code(err, ERR_IO, "cannot write report: short write");
	else
		ret = report_finish(out, err);
	strbuf_release(&sb);
	return ret;
}

const struct report_writer report_writer_html = {
	.name = "html",
	.description = "a self-contained HTML page for reviewing findings in a browser",
	.write = write_html,
};
