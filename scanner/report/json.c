/*
 * The native Customs JSON reports, in a fixed shape with nulls for unknowns:
 * the inventory of `customs sbom`, and the customs-report/1 document of
 * `customs scan` (docs/report-json.md, docs/report-schema.json).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/writer.h"
#include "util/arena.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

/* Raised only when a field changes meaning or disappears; adding fields keeps it. */
#define CUSTOMS_JSON_SCHEMA_VERSION 1
#define CUSTOMS_REPORT_SCHEMA "customs-report/1"

static void add_abs_path_or_null(cJSON *obj, const char *key, const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (!path) {
		rjson_add_null(obj, key);
		return;
	}
	report_add_abs_path(&sb, path);
	rjson_add_string(obj, key, sb.buf);
	strbuf_release(&sb);
}

static void add_string_array(cJSON *obj, const char *key, const char *const *strings, size_t nr)
{
	cJSON *array = rjson_add_array(obj, key);

	for (size_t i = 0; i < nr; i++)
		rjson_add_string(array, NULL, strings[i]);
}

/* The tool and the time, which both documents carry. */
static void add_tool(cJSON *root, const struct report_input *in)
{
	cJSON *tool = rjson_add_object(root, "tool");
	char created[32];

	rjson_add_string(tool, "name", in->tool_name);
	rjson_add_string(tool, "version", in->tool_version);
	report_format_time(in->timestamp, created);
	rjson_add_string(root, "created", created);
}

static void add_image(cJSON *root, const struct image *img)
{
	cJSON *image = rjson_add_object(root, "image");
	cJSON *layers;

	rjson_add_string_or_null(image, "source", img->source);
	rjson_add_string(image, "kind", image_kind_name(img->kind));
	rjson_add_string_or_null(image, "digest", img->digest);
	rjson_add_string_or_null(image, "config_digest", img->config_digest);
	rjson_add_string_or_null(image, "os", img->os);
	rjson_add_string_or_null(image, "architecture", img->architecture);
	add_string_array(image, "repo_tags", img->repo_tags, img->nr_repo_tags);
	layers = rjson_add_array(image, "layers");
	for (size_t i = 0; i < img->nr_layers; i++) {
		const struct image_layer *l = &img->layers[i];
		cJSON *layer = rjson_add_object(layers, NULL);

		rjson_add_string_or_null(layer, "digest", l->digest);
		rjson_add_string_or_null(layer, "diff_id", l->diff_id);
		rjson_add_string_or_null(layer, "media_type", l->media_type);
		rjson_add_u64(layer, "size", l->size);
		rjson_add_string_or_null(layer, "created_by", l->created_by);
	}
}

static void add_os(cJSON *root, const struct os_info *os)
{
	cJSON *obj = rjson_add_object(root, "os");

	rjson_add_string_or_null(obj, "id", os->id);
	rjson_add_string_or_null(obj, "version_id", os->version_id);
	rjson_add_string_or_null(obj, "version_codename", os->version_codename);
	rjson_add_string_or_null(obj, "pretty_name", os->pretty_name);
	add_abs_path_or_null(obj, "source_path", os->source_path);
}

static void add_package(cJSON *packages, const struct image *img, const struct package *pkg)
{
	const struct image_layer *layer = report_package_layer(img, pkg);
	cJSON *obj = rjson_add_object(packages, NULL);

	rjson_add_string_or_null(obj, "name", pkg->name);
	rjson_add_string_or_null(obj, "version", pkg->version);
	rjson_add_string_or_null(obj, "type", pkg->type);
	rjson_add_string_or_null(obj, "purl", pkg->purl);
	rjson_add_string_or_null(obj, "source_name", pkg->source_name);
	rjson_add_string_or_null(obj, "source_version", pkg->source_version);
	rjson_add_string_or_null(obj, "arch", pkg->arch);
	rjson_add_string_or_null(obj, "license", pkg->license);
	add_abs_path_or_null(obj, "path", pkg->path);
	add_abs_path_or_null(obj, "install_path", pkg->install_path);
	rjson_add_string_or_null(obj, "cataloger", pkg->cataloger);
	if (layer) {
		rjson_add_int(obj, "layer_index", pkg->layer);
		rjson_add_string_or_null(obj, "layer_diff_id", layer->diff_id);
		rjson_add_string_or_null(obj, "layer_created_by", layer->created_by);
	} else {
		rjson_add_null(obj, "layer_index");
		rjson_add_null(obj, "layer_diff_id");
		rjson_add_null(obj, "layer_created_by");
	}
}

static void add_warning(const char *msg, void *warnings)
{
	rjson_add_string(warnings, NULL, msg);
}

/* {index, diff_id, created_by} of the layer at index, or null. */
static void add_layer_ref(cJSON *obj, const struct image *img, int index)
{
	const struct image_layer *layer = report_layer(img, index);
	cJSON *ref;

	if (!layer) {
		rjson_add_null(obj, "layer");
		return;
	}
	ref = rjson_add_object(obj, "layer");
	rjson_add_int(ref, "index", index);
	rjson_add_string_or_null(ref, "diff_id", layer->diff_id);
	rjson_add_string_or_null(ref, "created_by", layer->created_by);
}

static void add_target(cJSON *root, const struct report_input *in)
{
	const struct image *img = in->img;
	const struct os_info *os = &in->cat->os;
	cJSON *target = rjson_add_object(root, "target");
	cJSON *obj, *layers;

	rjson_add_string_or_null(target, "input", img->source);
	rjson_add_string(target, "kind", image_kind_name(img->kind));
	rjson_add_string_or_null(target, "digest", img->digest);
	rjson_add_string_or_null(target, "config_digest", img->config_digest);
	add_string_array(target, "repo_tags", img->repo_tags, img->nr_repo_tags);
	obj = rjson_add_object(target, "os");
	rjson_add_string_or_null(obj, "id", os->id);
	rjson_add_string_or_null(obj, "version_id", os->version_id);
	rjson_add_string_or_null(obj, "pretty_name", os->pretty_name);
	layers = rjson_add_array(target, "layers");
	for (size_t i = 0; i < img->nr_layers; i++) {
		const struct image_layer *l = &img->layers[i];
		cJSON *layer = rjson_add_object(layers, NULL);

		rjson_add_int(layer, "index", (long long)i);
		rjson_add_string_or_null(layer, "digest", l->digest);
		rjson_add_string_or_null(layer, "diff_id", l->diff_id);
		rjson_add_string_or_null(layer, "created_by", l->created_by);
	}
}

static void add_db(cJSON *root, const struct vulndb *db)
{
	struct vulndb_info info;
	cJSON *obj, *sources;
	char built[32];

	if (!db) {
		rjson_add_null(root, "db");
		return;
	}
	vulndb_get_info(db, &info);
	obj = rjson_add_object(root, "db");
	report_format_time(info.build_time > (uint64_t)INT64_MAX ? 0 : (time_t)info.build_time, built);
	rjson_add_string(obj, "built", built);
	rjson_add_int(obj, "format_version", info.format_version);
	rjson_add_string(obj, "checksum", info.checksum);
	sources = rjson_add_array(obj, "sources");
	for (uint32_t i = 0; i < info.nr_sources; i++) {
		struct vulndb_source src;
		cJSON *s = rjson_add_object(sources, NULL);

		vulndb_get_source(db, i, &src);
		rjson_add_string(s, "name", src.name);
		rjson_add_string_or_null(s, "date", src.date && *src.date ? src.date : NULL);
		rjson_add_int(s, "records", src.nr_records);
	}
}

static void add_scanned_package(cJSON *packages, const struct report_input *in, const struct package *pkg,
				struct arena *a)
{
	cJSON *obj = rjson_add_object(packages, NULL);

	rjson_add_string_or_null(obj, "name", pkg->name);
	rjson_add_string_or_null(obj, "version", pkg->version);
	rjson_add_string_or_null(obj, "type", pkg->type);
	rjson_add_string_or_null(obj, "ecosystem", match_ecosystem(&in->cat->os, pkg, a));
	rjson_add_string_or_null(obj, "purl", pkg->purl);
	rjson_add_string_or_null(obj, "source_name", pkg->source_name);
	rjson_add_string_or_null(obj, "source_version", pkg->source_version);
	add_layer_ref(obj, in->img, pkg->layer);
	add_abs_path_or_null(obj, "path", pkg->path);
}

/*
 * What the policy layer said about a finding. Each key is present only when
 * it applies, so "is it active?" is "has no suppressed key".
 */
static void add_finding_policy(cJSON *obj, const struct report_input *in, size_t index)
{
	const struct finding *f = &in->match->findings[index];

	if (f->suppressed_by) {
		cJSON *sup = rjson_add_object(obj, "suppressed");

		rjson_add_string(sup, "by", f->suppressed_by);
		rjson_add_string(sup, "reason", f->suppressed_reason ? f->suppressed_reason : "");
	}
	if (f->vex_status) {
		cJSON *vex = rjson_add_object(obj, "vex");

		rjson_add_string(vex, "status", f->vex_status);
		rjson_add_string_or_null(vex, "detail", f->vex_detail);
	}
	if (in->verdict && in->verdict->failing && in->verdict->failing[index])
		rjson_add_bool(obj, "failing", 1);
}

static void add_finding(cJSON *findings, const struct report_input *in, size_t index)
{
	const struct finding *f = &in->match->findings[index];
	const struct package *pkg = report_finding_package(in, f);
	const char *cvss_version = report_cvss_version(f->cvss.version);
	cJSON *obj = rjson_add_object(findings, NULL);
	cJSON *ref, *cvss;

	rjson_add_string(obj, "id", f->id);
	add_string_array(obj, "aliases", f->aliases, f->nr_aliases);
	ref = rjson_add_object(obj, "package");
	rjson_add_string_or_null(ref, "name", pkg->name);
	rjson_add_string_or_null(ref, "version", pkg->version);
	rjson_add_string_or_null(ref, "purl", pkg->purl);
	rjson_add_string_or_null(obj, "ecosystem", f->ecosystem);
	rjson_add_string_or_null(obj, "fixed_version", f->fixed_version);
	rjson_add_string(obj, "status", f->fixed_version ? "fixed" : "unfixed");
	rjson_add_string(obj, "severity", severity_name(f->severity));
	rjson_add_string(obj, "severity_source", severity_source_name(f->severity_source));
	if (cvss_version && f->cvss_vector) {
		char score[16];

		cvss = rjson_add_object(obj, "cvss");
		rjson_add_string(cvss, "version", cvss_version);
		rjson_add_string(cvss, "vector", f->cvss_vector);
		/* One decimal, as the specifications round it, without binary noise such as 9.800000001. */
		snprintf(score, sizeof(score), "%.1f", f->cvss.score);
		rjson_add(cvss, "score", cJSON_CreateRaw(score));
	} else {
		rjson_add_null(obj, "cvss");
	}
	rjson_add_string_or_null(obj, "title", f->title && *f->title ? f->title : NULL);
	add_layer_ref(obj, in->img, f->layer);
	if (report_dockerfile_line(in, f->layer)) {
		ref = rjson_add_object(obj, "dockerfile");
		rjson_add_string(ref, "path", in->dockerfile);
		rjson_add_u64(ref, "line", report_dockerfile_line(in, f->layer));
	}
	add_finding_policy(obj, in, index);
}

/* A check finding's layer: {index, digest, diff_id}, absent when the finding names none. */
static void add_check_layer(cJSON *obj, const struct image *img, int index)
{
	const struct image_layer *layer = report_layer(img, index);
	cJSON *ref;

	if (index < 0)
		return;
	ref = rjson_add_object(obj, "layer");
	rjson_add_int(ref, "index", index);
	rjson_add_string_or_null(ref, "digest", layer ? layer->digest : NULL);
	rjson_add_string_or_null(ref, "diff_id", layer ? layer->diff_id : NULL);
}

static void add_check_finding(cJSON *findings, const struct report_input *in, size_t index)
{
	const struct check_results *checks = in->checks;
	const struct check_finding *f = &checks->findings[index];
	const struct check_rule *rule = f->rule;
	cJSON *obj = rjson_add_object(findings, NULL);

	rjson_add_string(obj, "id", rule->id);
	rjson_add_string(obj, "kind", check_kind_name(rule->kind));
	rjson_add_string(obj, "severity", severity_name(rule->severity));
	rjson_add_string(obj, "title", rule->title);
	if (f->path) {
		cJSON *loc = rjson_add_object(obj, "location");

		/* Absolute like every path of the report; the Dockerfile's as the user gave it. */
		if (f->path_is_dockerfile)
			rjson_add_string(loc, "path", f->path);
		else
			add_abs_path_or_null(loc, "path", f->path);
		if (f->line)
			rjson_add_u64(loc, "line", f->line);
		if (f->path_is_dockerfile)
			rjson_add_bool(loc, "dockerfile", 1);
	}
	rjson_add_string_or_null(obj, "subject", f->subject);
	rjson_add_string_or_null(obj, "detail", f->detail);
	add_check_layer(obj, in->img, f->layer);
	if (f->instruction)
		rjson_add_string(obj, "instruction", f->instruction);
	if (f->dockerfile_line) {
		cJSON *df = rjson_add_object(obj, "dockerfile");

		rjson_add_string_or_null(df, "path", checks->dockerfile);
		rjson_add_u64(df, "line", f->dockerfile_line);
	}
	rjson_add_string(obj, "why", rule->why);
	rjson_add_string(obj, "remediation", rule->remediation);
	if (f->suppressed_by) {
		cJSON *sup = rjson_add_object(obj, "suppressed");

		rjson_add_string(sup, "by", f->suppressed_by);
		rjson_add_string(sup, "reason", f->suppressed_reason ? f->suppressed_reason : "");
	}
	if (in->verdict && in->verdict->check_failing && in->verdict->check_failing[index])
		rjson_add_bool(obj, "failing", 1);
}

/* The posture checks: which kinds ran, what the per-rule cap left out, and every finding. */
static void add_checks(cJSON *root, const struct report_input *in)
{
	const struct check_results *checks = in->checks;
	cJSON *obj, *run, *findings;

	/* A report made without posture checks keeps the shape it always had. */
	if (!checks)
		return;
	obj = rjson_add_object(root, "checks");
	run = rjson_add_array(obj, "run");
	for (int k = 0; k < CHECK_KIND_COUNT; k++)
		if (checks->kinds_run & (1u << k))
			rjson_add_string(run, NULL, check_kind_name((enum check_kind)k));
	rjson_add_u64(obj, "dropped", checks->per_rule_dropped);
	findings = rjson_add_array(obj, "findings");
	for (size_t i = 0; i < checks->nr; i++)
		add_check_finding(findings, in, i);
}

/* Active check findings per severity, and the suppressed ones apart: what a reader has to act on. */
static void add_check_summary(cJSON *summary, const struct check_results *checks)
{
	size_t counts[SEVERITY_COUNT], active, suppressed;
	cJSON *obj;

	if (!checks)
		return;
	active = check_results_tally(checks, counts, &suppressed);
	obj = rjson_add_object(summary, "checks");
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		enum severity s = report_severity_order[i];
		rjson_add_u64(obj, severity_name(s), counts[s]);
	}
	rjson_add_u64(obj, "total", active);
	rjson_add_u64(obj, "suppressed", suppressed);
}

/* The gate's verdict, or null when the scan ran without one. */
static void add_gate(cJSON *root, const struct report_input *in)
{
	const struct report_verdict *v = in->verdict;
	size_t failing = 0, excluded = 0;
	cJSON *gate, *reasons;

	if (!v) {
		rjson_add_null(root, "gate");
		return;
	}
	for (size_t i = 0; i < in->match->nr_findings; i++) {
		failing += v->failing && v->failing[i];
		excluded += v->excluded && v->excluded[i];
	}
	gate = rjson_add_object(root, "gate");
	rjson_add_bool(gate, "passed", v->passed);
	rjson_add_bool(gate, "would_fail", v->would_fail);
	rjson_add_bool(gate, "audit", v->audit);
	reasons = rjson_add_array(gate, "reasons");
	for (size_t i = 0; i < v->nr_reasons; i++)
		rjson_add_string(reasons, NULL, v->reasons[i]);
	rjson_add_u64(gate, "failing", failing);
	rjson_add_u64(gate, "excluded_unfixed", excluded);
	if (in->checks) {
		size_t checks_failing = 0;

		for (size_t i = 0; v->check_failing && i < in->checks->nr; i++)
			checks_failing += v->check_failing[i] != 0;
		rjson_add_u64(gate, "checks_failing", checks_failing);
	}
}

static void add_summary(cJSON *root, const struct report_input *in)
{
	const struct match_result *res = in->match;
	cJSON *obj = rjson_add_object(root, "summary");
	size_t vulnerable = 0;
	unsigned char *seen = xcalloc(in->cat->packages.nr ? in->cat->packages.nr : 1, 1);

	for (size_t i = 0; i < res->nr_findings; i++) {
		size_t p = res->findings[i].package;

		if (p < in->cat->packages.nr && !seen[p]) {
			seen[p] = 1;
			vulnerable++;
		}
	}
	free(seen);
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		enum severity s = report_severity_order[i];
		rjson_add_u64(obj, severity_name(s), res->counts[s]);
	}
	rjson_add_u64(obj, "total", res->nr_findings);
	rjson_add_u64(obj, "packages", in->cat->packages.nr);
	rjson_add_u64(obj, "vulnerable_packages", vulnerable);
	rjson_add_u64(obj, "packages_matched", res->nr_packages_looked_up);
	add_check_summary(obj, in->checks);
}

static int write_scan_report(FILE *out, const struct report_input *in, struct strbuf *err)
{
	struct arena arena = ARENA_INIT;
	cJSON *root = rjson_object();
	cJSON *packages, *findings;
	int ret;

	rjson_add_string(root, "schema", CUSTOMS_REPORT_SCHEMA);
	add_tool(root, in);
	add_target(root, in);
	add_db(root, in->db);
	packages = rjson_add_array(root, "packages");
	for (size_t i = 0; i < in->cat->packages.nr; i++)
		add_scanned_package(packages, in, &in->cat->packages.items[i], &arena);
	findings = rjson_add_array(root, "findings");
	for (size_t i = 0; i < in->match->nr_findings; i++)
		add_finding(findings, in, i);
	add_checks(root, in);
	add_summary(root, in);
	add_gate(root, in);
	report_each_warning(in, add_warning, rjson_add_array(root, "warnings"));
	ret = rjson_write(out, root, err);
	arena_release(&arena);
	return ret;
}

static int write_json(FILE *out, const struct report_input *in, struct strbuf *err)
{
	cJSON *root;
	cJSON *packages;

	if (in->match)
		return write_scan_report(out, in, err);
	root = rjson_object();
	rjson_add_int(root, "schema_version", CUSTOMS_JSON_SCHEMA_VERSION);
	add_tool(root, in);
	add_image(root, in->img);
	add_os(root, &in->cat->os);
	packages = rjson_add_array(root, "packages");
	for (size_t i = 0; i < in->cat->packages.nr; i++)
		add_package(packages, in->img, &in->cat->packages.items[i]);
	report_each_warning(in, add_warning, rjson_add_array(root, "warnings"));
	return rjson_write(out, root, err);
}

const struct report_writer report_writer_json = {
	.name = "json",
	.description = "the native Customs JSON report",
	.write = write_json,
};
