/* libFuzzer target for the report writers: any bytes in package fields still give valid UTF-8 and JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/license.h"
#include "report/report.h"
#include "util/utf8.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	F_NAME,
	F_VERSION,
	F_PURL,
	F_LICENSE,
	F_SOURCE,
	F_SOURCE_VERSION,
	F_PATH,
	F_CREATED_BY,
	F_TAG,
	F_OS,
	NR_FIELDS,
};

/* Fields are the input's lines; missing ones stay NULL, as unknown fields do in a real catalog. */
static void split_fields(char *text, const char *fields[NR_FIELDS])
{
	for (int i = 0; i < NR_FIELDS && text; i++) {
		char *nl = strchr(text, '\n');
		fields[i] = text;
		if (nl)
			*nl++ = '\0';
		text = nl;
	}
}

static void check_license(const char *declared)
{
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	enum license_kind kind = license_classify(declared, &out);

	/* The canonical form must classify as itself, or the writers could emit an invalid expression. */
	if (kind == LICENSE_SPDX_ID || kind == LICENSE_SPDX_EXPRESSION) {
		if (license_classify(out.buf, &again) != kind || strcmp(out.buf, again.buf))
			abort();
	}
	strbuf_release(&out);
	strbuf_release(&again);
}

static int is_json_format(const char *name)
{
	static const char *const json_formats[] = { "json", "cyclonedx", "spdx", "sarif", "gitlab", NULL };

	for (const char *const *f = json_formats; *f; f++)
		if (!strcmp(name, *f))
			return 1;
	return 0;
}

static void check_writer(const struct report_writer *w, const struct report_input *in)
{
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (w->write(out, in, &err))
		abort();
	fclose(out);
	if (!utf8_is_valid(buf, len))
		abort();
	if (!strcmp(w->name, "table")) {
		/* Nothing from the image may reach a terminal as a control character. */
		for (size_t i = 0; i < len; i++)
			if (((unsigned char)buf[i] < 0x20 && buf[i] != '\n') || buf[i] == 0x7f)
				abort();
	} else if (!is_json_format(w->name)) {
		/* XML, Markdown and HTML: tabs and DEL are legal there, other control bytes never. */
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n' && buf[i] != '\t')
				abort();
	} else {
		cJSON *doc = cJSON_ParseWithLength(buf, len);
		if (!doc)
			abort();
		cJSON_Delete(doc);
	}
	free(buf);
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmemdup(data, size);
	const char *f[NR_FIELDS] = { 0 };
	struct image img = { 0 };
	struct catalog cat = { 0 };
	struct image_layer layer = { 0 };
	struct package pkgs[2] = { { 0 } };
	struct report_input in = { 0 };

	split_fields(text, f);
	check_license(f[F_LICENSE]);

	layer.diff_id = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
	layer.created_by = f[F_CREATED_BY];
	img.kind = IMAGE_DOCKER_ARCHIVE;
	img.source = "fuzz.tar";
	img.repo_tags = &f[F_TAG];
	img.nr_repo_tags = f[F_TAG] ? 1 : 0;
	img.layers = &layer;
	img.nr_layers = 1;
	cat.img = &img;
	cat.os.id = f[F_OS];
	cat.os.version_id = f[F_VERSION];
	cat.os.pretty_name = f[F_OS];
	/* Two packages with one purl, so the writers must tell them apart. */
	for (int i = 0; i < 2; i++) {
		pkgs[i].name = f[F_NAME];
		pkgs[i].version = f[F_VERSION];
		pkgs[i].type = "npm";
		pkgs[i].purl = f[F_PURL];
		pkgs[i].license = f[F_LICENSE];
		pkgs[i].source_name = f[F_SOURCE];
		pkgs[i].source_version = f[F_SOURCE_VERSION];
		pkgs[i].path = i ? "x" : f[F_PATH];
		pkgs[i].layer = i ? 0 : (int)(size % 3) - 1;
	}
	cat.packages.items = pkgs;
	cat.packages.nr = 2;

	in.img = &img;
	in.cat = &cat;
	in.tool_name = "customs";
	in.tool_version = "fuzz";
	in.timestamp = (time_t)size * 86400 * 365;
	in.serial = f[F_SOURCE_VERSION];
	for (size_t i = 0; report_writers[i]; i++)
		check_writer(report_writers[i], &in);
	free(text);
	return 0;
}
