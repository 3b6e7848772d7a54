/* SPDX 2.3 JSON: the image as the described package, containing its OS and every package found. */
#include <string.h>

#include "report/license.h"
#include "report/writer.h"
#include "util/sha256.h"

#define IMAGE_ID "SPDXRef-Image"
#define OS_ID "SPDXRef-OperatingSystem"
/* Never a real host: the namespace only has to be a unique absolute URI. */
#define NAMESPACE_BASE "https://customs.invalid/spdxdocs/"
/* Keeps identifiers readable; the digest suffix, not the name, makes them unique. */
#define MAX_ID_PART 48

/* SPDX identifiers allow only letters, digits, '.' and '-'. */
static void add_id_part(struct strbuf *sb, const char *s)
{
	size_t n = 0;

	for (; s && *s && n < MAX_ID_PART; s++, n++) {
		char c = *s;
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 c == '.' || c == '-';
		strbuf_addch(sb, ok ? c : '-');
	}
}

/* A stable identifier per package, derived from its unique document ref. */
static char *package_id(struct arena *a, const struct package *pkg, const char *ref)
{
	struct strbuf sb = STRBUF_INIT;
	char digest[DIGEST_STR_LEN];
	char *id;

	sha256_digest_str(ref, strlen(ref), digest);
	strbuf_addstr(&sb, "SPDXRef-Package-");
	add_id_part(&sb, pkg->type ? pkg->type : "unknown");
	strbuf_addch(&sb, '-');
	add_id_part(&sb, pkg->name ? pkg->name : "unknown");
	strbuf_addf(&sb, "-%.16s", digest + 7);
	id = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return id;
}

static void add_namespace(cJSON *root, const struct report_input *in, const char *name)
{
	struct strbuf ns = STRBUF_INIT;

	strbuf_addstr(&ns, NAMESPACE_BASE);
	add_id_part(&ns, name);
	strbuf_addch(&ns, '-');
	if (in->serial && *in->serial) {
		add_id_part(&ns, in->serial);
	} else {
		/* No serial given: derive one from what identifies this document. */
		struct strbuf seed = STRBUF_INIT;
		char digest[DIGEST_STR_LEN];

		strbuf_addf(&seed, "%s\n%s\n%lld", name, in->img->digest ? in->img->digest : "",
			    (long long)in->timestamp);
		sha256_digest_str(seed.buf, seed.len, digest);
		strbuf_add(&ns, digest + 7, 32);
		strbuf_release(&seed);
	}
	rjson_add_string(root, "documentNamespace", ns.buf);
	strbuf_release(&ns);
}

/* Fields every package carries the same way: we read metadata, not files or licenses texts. */
static void add_unasserted(cJSON *pkg)
{
	rjson_add_string(pkg, "downloadLocation", "NOASSERTION");
	rjson_add_bool(pkg, "filesAnalyzed", 0);
	rjson_add_string(pkg, "licenseConcluded", "NOASSERTION");
}

static void add_relationship(cJSON *rels, const char *from, const char *type, const char *to)
{
	cJSON *rel = rjson_add_object(rels, NULL);

	rjson_add_string(rel, "spdxElementId", from);
	rjson_add_string(rel, "relationshipType", type);
	rjson_add_string(rel, "relatedSpdxElement", to);
}

static void add_image_package(cJSON *packages, const struct image *img, const char *name)
{
	cJSON *pkg = rjson_add_object(packages, NULL);
	struct strbuf comment = STRBUF_INIT;

	rjson_add_string(pkg, "name", name);
	rjson_add_string(pkg, "SPDXID", IMAGE_ID);
	rjson_add_string_opt(pkg, "versionInfo", img->digest ? img->digest : img->config_digest);
	add_unasserted(pkg);
	rjson_add_string(pkg, "licenseDeclared", "NOASSERTION");
	rjson_add_string(pkg, "copyrightText", "NOASSERTION");
	if (img->digest && digest_is_valid(img->digest)) {
		cJSON *sum = rjson_add_object(rjson_add_array(pkg, "checksums"), NULL);
		rjson_add_string(sum, "algorithm", "SHA256");
		rjson_add_string(sum, "checksumValue", img->digest + 7);
	}
	strbuf_addf(&comment, "kind: %s", image_kind_name(img->kind));
	if (img->source)
		strbuf_addf(&comment, "; source: %s", img->source);
	if (img->config_digest)
		strbuf_addf(&comment, "; config: %s", img->config_digest);
	if (img->os || img->architecture)
		strbuf_addf(&comment, "; platform: %s/%s", img->os ? img->os : "unknown",
			    img->architecture ? img->architecture : "unknown");
	rjson_add_string(pkg, "comment", comment.buf);
	rjson_add_string(pkg, "primaryPackagePurpose", "CONTAINER");
	strbuf_release(&comment);
}

static int add_os_package(cJSON *packages, const struct os_info *os)
{
	cJSON *pkg;

	if (!os->id || !*os->id)
		return 0;
	pkg = rjson_add_object(packages, NULL);
	rjson_add_string(pkg, "name", os->id);
	rjson_add_string(pkg, "SPDXID", OS_ID);
	rjson_add_string_opt(pkg, "versionInfo", os->version_id);
	add_unasserted(pkg);
	rjson_add_string(pkg, "licenseDeclared", "NOASSERTION");
	rjson_add_string(pkg, "copyrightText", "NOASSERTION");
	rjson_add_string_opt(pkg, "description", os->pretty_name);
	rjson_add_string(pkg, "primaryPackagePurpose", "OPERATING-SYSTEM");
	return 1;
}

/*
 * licenseDeclared must be a valid expression over the SPDX list, or a
 * LicenseRef the document defines. Anything we cannot vouch for is
 * NOASSERTION, with the text kept in licenseComments.
 */
static void add_license(cJSON *pkg, const char *declared)
{
	struct strbuf canonical = STRBUF_INIT;

	switch (license_classify(declared, &canonical)) {
	case LICENSE_SPDX_ID:
	case LICENSE_SPDX_EXPRESSION:
		rjson_add_string(pkg, "licenseDeclared", canonical.buf);
		break;
	case LICENSE_OTHER: {
		struct strbuf note = STRBUF_INIT;
		rjson_add_string(pkg, "licenseDeclared", "NOASSERTION");
		strbuf_addf(&note, "declared license: %s", declared);
		rjson_add_string(pkg, "licenseComments", note.buf);
		strbuf_release(&note);
		break;
	}
	case LICENSE_NONE:
		rjson_add_string(pkg, "licenseDeclared", "NOASSERTION");
		break;
	}
	strbuf_release(&canonical);
}

/*
 * The reference validator checks purls against a pattern (a type, a '/' and
 * a name, all on one line); a purl it would reject is left out rather than
 * make the whole document invalid.
 */
static int purl_acceptable(const char *purl)
{
	const char *slash;

	if (!purl || strncmp(purl, "pkg:", 4))
		return 0;
	for (const char *p = purl; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	slash = strchr(purl + 4, '/');
	return slash && slash > purl + 4 && slash[1];
}

static void add_package(cJSON *packages, const struct image *img, const struct package *pkg, const char *id)
{
	const struct image_layer *layer = report_package_layer(img, pkg);
	cJSON *obj = rjson_add_object(packages, NULL);
	struct strbuf text = STRBUF_INIT;

	rjson_add_string(obj, "name", pkg->name && *pkg->name ? pkg->name : "unknown");
	rjson_add_string(obj, "SPDXID", id);
	rjson_add_string_opt(obj, "versionInfo", pkg->version);
	add_unasserted(obj);
	add_license(obj, pkg->license);
	rjson_add_string(obj, "copyrightText", "NOASSERTION");
	if (pkg->source_name && *pkg->source_name) {
		strbuf_addf(&text, "built from source package %s", pkg->source_name);
		if (pkg->source_version && *pkg->source_version)
			strbuf_addf(&text, " %s", pkg->source_version);
		rjson_add_string(obj, "sourceInfo", text.buf);
	}

	/* Where the package was found and which layer brought it, for people reading the SBOM. */
	strbuf_reset(&text);
	strbuf_addf(&text, "type: %s", pkg->type ? pkg->type : "unknown");
	if (pkg->arch && *pkg->arch)
		strbuf_addf(&text, "; arch: %s", pkg->arch);
	if (pkg->path) {
		strbuf_addstr(&text, "; path: ");
		report_add_abs_path(&text, pkg->path);
	}
	if (layer) {
		strbuf_addf(&text, "; layer: %d", pkg->layer);
		if (layer->diff_id)
			strbuf_addf(&text, " %s", layer->diff_id);
		if (layer->created_by)
			strbuf_addf(&text, "; created by: %s", layer->created_by);
	}
	rjson_add_string(obj, "comment", text.buf);
	strbuf_release(&text);

	if (purl_acceptable(pkg->purl)) {
		cJSON *ref = rjson_add_object(rjson_add_array(obj, "externalRefs"), NULL);
		rjson_add_string(ref, "referenceCategory", "PACKAGE-MANAGER");
		rjson_add_string(ref, "referenceType", "purl");
		rjson_add_string(ref, "referenceLocator", pkg->purl);
	}
}

static void add_warning(const char *msg, void *text)
{
	strbuf_addf(text, "\nwarning: %s", msg);
}

static int write_spdx(FILE *out, const struct report_input *in, struct strbuf *err)
{
	struct arena arena = ARENA_INIT;
	const char **refs = report_package_refs(in->cat, &arena);
	const char *name = report_image_name(in->img);
	cJSON *root = rjson_object();
	cJSON *creation, *creators, *packages, *rels;
	struct strbuf text = STRBUF_INIT;
	char created[32];
	int has_os, ret;

	rjson_add_string(root, "spdxVersion", "SPDX-2.3");
	rjson_add_string(root, "dataLicense", "CC0-1.0");
	rjson_add_string(root, "SPDXID", "SPDXRef-DOCUMENT");
	rjson_add_string(root, "name", name);
	add_namespace(root, in, name);

	creation = rjson_add_object(root, "creationInfo");
	report_format_time(in->timestamp, created);
	rjson_add_string(creation, "created", created);
	creators = rjson_add_array(creation, "creators");
	strbuf_addf(&text, "Tool: %s-%s", in->tool_name, in->tool_version ? in->tool_version : "unknown");
	rjson_add_string(creators, NULL, text.buf);

	if (report_nr_warnings(in)) {
		strbuf_reset(&text);
		strbuf_addstr(&text, "The scan reported warnings:");
		report_each_warning(in, add_warning, &text);
		rjson_add_string(root, "comment", text.buf);
	}
	strbuf_release(&text);

	packages = rjson_add_array(root, "packages");
	add_image_package(packages, in->img, name);
	has_os = add_os_package(packages, &in->cat->os);
	rels = rjson_array();
	add_relationship(rels, "SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID);
	if (has_os)
		add_relationship(rels, IMAGE_ID, "CONTAINS", OS_ID);
	for (size_t i = 0; i < in->cat->packages.nr; i++) {
		const struct package *pkg = &in->cat->packages.items[i];
		const char *id = package_id(&arena, pkg, refs[i]);

		add_package(packages, in->img, pkg, id);
		add_relationship(rels, IMAGE_ID, "CONTAINS", id);
	}
	rjson_add(root, "relationships", rels);

	ret = rjson_write(out, root, err);
	arena_release(&arena);
	return ret;
}

const struct report_writer report_writer_spdx = {
	.name = "spdx",
	.description = "SPDX 2.3 JSON",
	.write = write_spdx,
};
