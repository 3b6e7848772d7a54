/* CycloneDX 1.6 JSON: the image as the metadata component, its OS and packages as components. */
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

	ret = rjson_write(out, root, err);
	arena_release(&arena);
	return ret;
}

const struct report_writer report_writer_cyclonedx = {
	.name = "cyclonedx",
	.description = "CycloneDX 1.6 JSON",
	.write = write_cyclonedx,
};
