/* CycloneDX 1.6 JSON: the image as the metadata component, its OS and packages as components, findings as
 * vulnerabilities. */
#include <string.h>

#include "report/license.h"
#include "report/writer.h"
#include "util/sha256.h"

#define IMAGE_REF "customs:image"
#define OS_REF "customs:os"
/* The schema caps a version at 1024 characters; a longer one goes in a property instead. */
#define MAX_VERSION_LEN 1024

/* The schema's pattern for serialNumber: lowercase RFC 4122 form. */
static int is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (!s || strlen(s) != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		int hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
		if (shape[i] == '-' ? s[i] != '-' : !hex)
			return 0;
	}
	return 1;
}

/* CycloneDX properties are an ordered list of name/value pairs; empty values say nothing, so skip them. */
static void add_property(cJSON *props, const char *name, const char *value)
{
	cJSON *prop;

	if (!value || !*value)
		return;
	prop = rjson_add_object(props, NULL);
	rjson_add_string(prop, "name", name);
	rjson_add_string(prop, "value", value);
}

/* Returns 0 when version fits the version field and was added, so the caller keeps it elsewhere otherwise. */
static int add_version(cJSON *comp, const char *version)
{
	if (version && strlen(version) > MAX_VERSION_LEN)
		return -1;
	rjson_add_string_opt(comp, "version", version);
	return 0;
}

/* Omit an empty properties array: the schema allows it, but it is noise. */
static void attach_properties(cJSON *obj, cJSON *props)
{
	if (cJSON_GetArraySize(props))
		rjson_add(obj, "properties", props);
	else
		cJSON_Delete(props);
}

static void add_tools(cJSON *metadata, const struct report_input *in)
{
	cJSON *tools = rjson_add_object(metadata, "tools");
	cJSON *tool = rjson_add_object(rjson_add_array(tools, "components"), NULL);

	rjson_add_string(tool, "type", "application");
	rjson_add_string(tool, "name", in->tool_name);
	rjson_add_string_opt(tool, "version", in->tool_version);
}

static void add_image_component(cJSON *metadata, const struct image *img)
{
	cJSON *comp = rjson_add_object(metadata, "component");
	const char *version = img->digest ? img->digest : img->config_digest;

	rjson_add_string(comp, "type", "container");
	rjson_add_string(comp, "bom-ref", IMAGE_REF);
	rjson_add_string(comp, "name", report_image_name(img));
	add_version(comp, version);
	/* The manifest digest is the image's identity; write it as a hash only when it is one. */
	if (img->digest && digest_is_valid(img->digest)) {
		cJSON *hash = rjson_add_object(rjson_add_array(comp, "hashes"), NULL);
		rjson_add_string(hash, "alg", "SHA-256");
		rjson_add_string(hash, "content", img->digest + 7);
	}
}

static void add_metadata_properties(cJSON *metadata, const struct report_input *in)
{
	const struct image *img = in->img;
	const struct os_info *os = &in->cat->os;
	cJSON *props = rjson_array();
	struct strbuf name = STRBUF_INIT;

	add_property(props, "customs:image:source", img->source);
	add_property(props, "customs:image:kind", image_kind_name(img->kind));
	add_property(props, "customs:image:digest", img->digest);
	add_property(props, "customs:image:config_digest", img->config_digest);
	add_property(props, "customs:image:os", img->os);
	add_property(props, "customs:image:architecture", img->architecture);
	for (size_t i = 0; i < img->nr_repo_tags; i++)
		add_property(props, "customs:image:repo_tag", img->repo_tags[i]);
	/* Numbered, so a layer's diff_id and instruction stay paired when one is missing. */
	for (size_t i = 0; i < img->nr_layers; i++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "customs:image:layer:%zu:diff_id", i);
		add_property(props, name.buf, img->layers[i].diff_id);
		strbuf_reset(&name);
		strbuf_addf(&name, "customs:image:layer:%zu:created_by", i);
		add_property(props, name.buf, img->layers[i].created_by);
	}
	add_property(props, "customs:os:id", os->id);
	add_property(props, "customs:os:version_id", os->version_id);
	add_property(props, "customs:os:version_codename", os->version_codename);
	add_property(props, "customs:os:pretty_name", os->pretty_name);
	strbuf_release(&name);
	attach_properties(metadata, props);
}

static void add_warning(const char *msg, void *props)
{
	add_property(props, "customs:warning", msg);
}

static void add_os_component(cJSON *components, const struct os_info *os)
{
	cJSON *comp, *props;

	if (!os->id || !*os->id)
		return;
	comp = rjson_add_object(components, NULL);
	rjson_add_string(comp, "type", "operating-system");
	rjson_add_string(comp, "bom-ref", OS_REF);
	rjson_add_string(comp, "name", os->id);
	props = rjson_array();
	if (add_version(comp, os->version_id))
		add_property(props, "customs:os:version_id", os->version_id);
	rjson_add_string_opt(comp, "description", os->pretty_name);
	add_property(props, "customs:os:version_codename", os->version_codename);
	if (os->source_path && *os->source_path) {
		struct strbuf path = STRBUF_INIT;
		report_add_abs_path(&path, os->source_path);
		add_property(props, "customs:location:path", path.buf);
		strbuf_release(&path);
	}
	attach_properties(comp, props);
}

/*
 * licenses is a oneOf in the schema: a list of {license: {id | name}}, or a
 * single {expression}. An id must be on the SPDX list, so only identifiers we
 * recognise are written as ids; anything else is a name.
 */
static void add_licenses(cJSON *comp, const char *declared)
{
	struct strbuf canonical = STRBUF_INIT;
	cJSON *entry;

	switch (license_classify(declared, &canonical)) {
	case LICENSE_NONE:
		break;
	case LICENSE_SPDX_ID:
		entry = rjson_add_object(rjson_add_array(comp, "licenses"), NULL);
		rjson_add_string(rjson_add_object(entry, "license"), "id", canonical.buf);
		break;
	case LICENSE_SPDX_EXPRESSION:
		entry = rjson_add_object(rjson_add_array(comp, "licenses"), NULL);
		rjson_add_string(entry, "expression", canonical.buf);
		break;
	case LICENSE_OTHER:
		entry = rjson_add_object(rjson_add_array(comp, "licenses"), NULL);
		rjson_add_string(rjson_add_object(entry, "license"), "name", declared);
		break;
	}
	strbuf_release(&canonical);
}

static void add_package(cJSON *components, const struct image *img, const struct package *pkg,
			const char *ref)
{
	const struct image_layer *layer = report_package_layer(img, pkg);
	cJSON *comp = rjson_add_object(components, NULL);
	cJSON *props = rjson_array();
	struct strbuf buf = STRBUF_INIT;

	rjson_add_string(comp, "type", "library");
	rjson_add_string(comp, "bom-ref", ref);
	rjson_add_string(comp, "name", pkg->name && *pkg->name ? pkg->name : "unknown");
	if (add_version(comp, pkg->version))
		add_property(props, "customs:package:version", pkg->version);
	add_licenses(comp, pkg->license);
	rjson_add_string_opt(comp, "purl", pkg->purl);

	add_property(props, "customs:package:type", pkg->type);
	add_property(props, "customs:package:arch", pkg->arch);
	add_property(props, "customs:package:cataloger", pkg->cataloger);
	add_property(props, "customs:source:name", pkg->source_name);
	add_property(props, "customs:source:version", pkg->source_version);
	if (layer) {
		strbuf_addf(&buf, "%d", pkg->layer);
		add_property(props, "customs:layer:index", buf.buf);
		add_property(props, "customs:layer:diff_id", layer->diff_id);
		add_property(props, "customs:layer:created_by", layer->created_by);
	}
	if (pkg->path) {
		strbuf_reset(&buf);
		report_add_abs_path(&buf, pkg->path);
		add_property(props, "customs:location:path", buf.buf);
	}
	if (pkg->install_path) {
		strbuf_reset(&buf);
		report_add_abs_path(&buf, pkg->install_path);
		add_property(props, "customs:location:install_path", buf.buf);
	}
	strbuf_release(&buf);
	attach_properties(comp, props);
}

/* Who publishes an ID, told by its prefix; CycloneDX wants a source for every ID it carries. */
static const char *id_source(const char *id)
{
	static const struct {
		const char *prefix, *source;
	} sources[] = {
		{ "CVE-", "NVD" },	     { "GHSA-", "GitHub" },     { "DSA-", "Debian" },
		{ "DLA-", "Debian" },	     { "DTSA-", "Debian" },     { "DEBIAN-", "Debian" },
		{ "USN-", "Ubuntu" },	     { "UBUNTU-", "Ubuntu" },   { "ALPINE-", "Alpine" },
		{ "PYSEC-", "PyPA" },	     { "GO-", "Go" },	        { "RUSTSEC-", "RustSec" },
		{ "RHSA-", "Red Hat" },     { "OSV-", "OSV" },
	};

	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (!strncmp(id, sources[i].prefix, strlen(sources[i].prefix)))
			return sources[i].source;
	return "OSV";
}

/* The rating method names of the CycloneDX schema. */
static const char *cvss_method(int version)
{
	switch (version) {
	case 30: return "CVSSv3";
	case 31: return "CVSSv31";
	case 40: return "CVSSv4";
	default: return "other";
	}
}

static void add_ratings(cJSON *vuln, const struct finding *f)
{
	cJSON *ratings = rjson_add_array(vuln, "ratings");
	int rated_by_word = f->severity_source == SEVERITY_FROM_DISTRIBUTION ||
			    f->severity_source == SEVERITY_FROM_ADVISORY;
	cJSON *r;
	char score[16];

	/* A rating from the distribution or the advisory comes first: it is the one the finding uses. */
	if (rated_by_word || !f->cvss_vector || !f->cvss.version) {
		r = rjson_add_object(ratings, NULL);
		if (rated_by_word)
			rjson_add_string(rjson_add_object(r, "source"), "name",
					 f->ecosystem && *f->ecosystem ? f->ecosystem : "advisory");
		rjson_add_string(r, "severity", severity_name(f->severity));
		rjson_add_string(r, "method", "other");
	}
	if (f->cvss_vector && f->cvss.version) {
		r = rjson_add_object(ratings, NULL);
		snprintf(score, sizeof(score), "%.1f", f->cvss.score);
		rjson_add(r, "score", cJSON_CreateRaw(score));
		rjson_add_string(r, "severity", severity_name(cvss_severity(f->cvss.score)));
		rjson_add_string(r, "method", cvss_method(f->cvss.version));
		rjson_add_string(r, "vector", f->cvss_vector);
	}
}

static void add_vulnerability(cJSON *vulns, const struct report_input *in, const struct finding *f,
			      const char *ref)
{
	const struct package *pkg = report_finding_package(in, f);
	const struct image_layer *layer = report_layer(in->img, f->layer);
	cJSON *vuln = rjson_add_object(vulns, NULL);
	cJSON *affect, *props = rjson_array();
	struct strbuf sb = STRBUF_INIT;

	rjson_add_string(vuln, "id", f->id);
	rjson_add_string(rjson_add_object(vuln, "source"), "name", id_source(f->id));
	if (f->nr_aliases) {
		cJSON *refs = rjson_add_array(vuln, "references");
		for (size_t i = 0; i < f->nr_aliases; i++) {
			cJSON *r = rjson_add_object(refs, NULL);
			rjson_add_string(r, "id", f->aliases[i]);
			rjson_add_string(rjson_add_object(r, "source"), "name", id_source(f->aliases[i]));
		}
	}
	add_ratings(vuln, f);
	rjson_add_string_opt(vuln, "description", f->title);
	if (f->fixed_version) {
		strbuf_addf(&sb, "Upgrade to %s", f->fixed_version);
		rjson_add_string(vuln, "recommendation", sb.buf);
	}
	affect = rjson_add_object(rjson_add_array(vuln, "affects"), NULL);
	rjson_add_string(affect, "ref", ref);
	if (pkg->version && *pkg->version && strlen(pkg->version) <= MAX_VERSION_LEN) {
		cJSON *v = rjson_add_object(rjson_add_array(affect, "versions"), NULL);
		rjson_add_string(v, "version", pkg->version);
		rjson_add_string(v, "status", "affected");
	}

	add_property(props, "customs:ecosystem", f->ecosystem);
	add_property(props, "customs:status", f->fixed_version ? "fixed" : "unfixed");
	add_property(props, "customs:fixed_version", f->fixed_version);
	add_property(props, "customs:severity", severity_name(f->severity));
	add_property(props, "customs:severity_source", severity_source_name(f->severity_source));
	if (layer) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%d", f->layer);
		add_property(props, "customs:layer:index", sb.buf);
		add_property(props, "customs:layer:diff_id", layer->diff_id);
		add_property(props, "customs:layer:created_by", layer->created_by);
	}
	strbuf_release(&sb);
	attach_properties(vuln, props);
}

static int write_cyclonedx(FILE *out, const struct report_input *in, struct strbuf *err)
{
	struct arena arena = ARENA_INIT;
	const char **refs = report_package_refs(in->cat, &arena);
	cJSON *root = rjson_object();
	cJSON *metadata, *components;
	char timestamp[32];
	int ret;

	rjson_add_string(root, "bomFormat", "CycloneDX");
	rjson_add_string(root, "specVersion", "1.6");
	/* A malformed serial would make the whole document invalid; it is optional, so leave it out. */
	if (is_uuid(in->serial)) {
		struct strbuf urn = STRBUF_INIT;
		strbuf_addf(&urn, "urn:uuid:%s", in->serial);
		rjson_add_string(root, "serialNumber", urn.buf);
		strbuf_release(&urn);
	}
	rjson_add_int(root, "version", 1);

	metadata = rjson_add_object(root, "metadata");
	report_format_time(in->timestamp, timestamp);
	rjson_add_string(metadata, "timestamp", timestamp);
	add_tools(metadata, in);
	add_image_component(metadata, in->img);
	add_metadata_properties(metadata, in);
	if (report_nr_warnings(in)) {
		cJSON *props = cJSON_GetObjectItemCaseSensitive(metadata, "properties");
		if (!props)
			props = rjson_add_array(metadata, "properties");
		report_each_warning(in, add_warning, props);
	}

	components = rjson_add_array(root, "components");
	add_os_component(components, &in->cat->os);
	for (size_t i = 0; i < in->cat->packages.nr; i++)
		add_package(components, in->img, &in->cat->packages.items[i], refs[i]);

	/* A scan's findings, VEX style: each names the component it affects by bom-ref. */
	if (in->match) {
		cJSON *vulns = rjson_add_array(root, "vulnerabilities");
		for (size_t i = 0; i < in->match->nr_findings; i++) {
			const struct finding *f = &in->match->findings[i];
			if (f->package < in->cat->packages.nr)
				add_vulnerability(vulns, in, f, refs[f->package]);
		}
	}

	ret = rjson_write(out, root, err);
	arena_release(&arena);
	return ret;
}

const struct report_writer report_writer_cyclonedx = {
	.name = "cyclonedx",
	.description = "CycloneDX 1.6 JSON",
	.write = write_cyclonedx,
};
