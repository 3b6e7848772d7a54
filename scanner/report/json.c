/* The native Customs JSON report: everything the scan knows, in a fixed shape with nulls for unknowns. */
#include <string.h>

#include "report/writer.h"

/* Raised only when a field changes meaning or disappears; adding fields keeps it. */
#define CUSTOMS_JSON_SCHEMA_VERSION 1

static void add_image(cJSON *root, const struct image *img)
{
	cJSON *image = rjson_add_object(root, "image");
	cJSON *tags, *layers;

	rjson_add_string_or_null(image, "source", img->source);
	rjson_add_string(image, "kind", image_kind_name(img->kind));
	rjson_add_string_or_null(image, "digest", img->digest);
	rjson_add_string_or_null(image, "config_digest", img->config_digest);
	rjson_add_string_or_null(image, "os", img->os);
	rjson_add_string_or_null(image, "architecture", img->architecture);
	tags = rjson_add_array(image, "repo_tags");
	for (size_t i = 0; i < img->nr_repo_tags; i++)
		rjson_add_string(tags, NULL, img->repo_tags[i]);
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
	if (os->source_path) {
		struct strbuf path = STRBUF_INIT;
		report_add_abs_path(&path, os->source_path);
		rjson_add_string(obj, "source_path", path.buf);
		strbuf_release(&path);
	} else {
		rjson_add_null(obj, "source_path");
	}
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
	if (pkg->path) {
		struct strbuf path = STRBUF_INIT;
		report_add_abs_path(&path, pkg->path);
		rjson_add_string(obj, "path", path.buf);
		strbuf_release(&path);
	} else {
		rjson_add_null(obj, "path");
	}
	if (pkg->install_path) {
		struct strbuf path = STRBUF_INIT;
		report_add_abs_path(&path, pkg->install_path);
		rjson_add_string(obj, "install_path", path.buf);
		strbuf_release(&path);
	} else {
		rjson_add_null(obj, "install_path");
	}
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

static int write_json(FILE *out, const struct report_input *in, struct strbuf *err)
{
	cJSON *root = rjson_object();
	cJSON *tool, *packages;
	char created[32];

	rjson_add_int(root, "schema_version", CUSTOMS_JSON_SCHEMA_VERSION);
	tool = rjson_add_object(root, "tool");
	rjson_add_string(tool, "name", in->tool_name);
	rjson_add_string(tool, "version", in->tool_version);
	report_format_time(in->timestamp, created);
	rjson_add_string(root, "created", created);
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
