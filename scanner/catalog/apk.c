/* Alpine packages from lib/apk/db/installed. */
#include <stddef.h>
#include <string.h>

#include "catalog/internal.h"
#include "util/error.h"

#define INSTALLED_PATH "lib/apk/db/installed"

static int apk_wants(const char *path)
{
	return !strcmp(path, INSTALLED_PATH);
}

struct value {
	const char *s;
	size_t n;
};

/* One block of "K:value" lines; apk names each field with a single letter. */
struct apk_block {
	size_t first_line;
	int has_fields;
	const char *malformed;
	struct value name, version, arch, origin, license;
};

/* The letters this cataloger reads; apk writes many more (files, checksums, dependencies). */
/* clang-format off */
static const struct apk_field {
	char letter;
	size_t offset;
} apk_fields[] = {
	{ 'P', offsetof(struct apk_block, name) },
	{ 'V', offsetof(struct apk_block, version) },
	{ 'A', offsetof(struct apk_block, arch) },
	{ 'o', offsetof(struct apk_block, origin) },
	{ 'L', offsetof(struct apk_block, license) },
};
/* clang-format on */

struct apk_parse {
	struct catalog *cat;
	struct package_list *out;
	size_t skipped;
	size_t first_bad_line;
	const char *first_bad_reason;
};

static void finish_block(struct apk_parse *ap, const struct apk_block *b)
{
	struct catalog *cat = ap->cat;
	const char *reason = NULL;
	struct package *p;

	if (!b->has_fields)
		return;
	if (b->malformed)
		reason = b->malformed;
	else if (!b->name.n)
		reason = "has no P: (name) line";
	else if (!b->version.n)
		reason = "has no V: (version) line";
	if (reason) {
		if (!ap->skipped++) {
			ap->first_bad_line = b->first_line;
			ap->first_bad_reason = reason;
		}
		return;
	}

	p = package_list_append(ap->out);
	p->type = "apk";
	p->name = catalog_text(cat, b->name.s, b->name.n);
	p->version = catalog_text(cat, b->version.s, b->version.n);
	p->arch = b->arch.n ? catalog_text(cat, b->arch.s, b->arch.n) : NULL;
	p->license = b->license.n ? catalog_text(cat, b->license.s, b->license.n) : NULL;
	/* The origin is the aport that built the package: apk's source package. */
	p->source_name = b->origin.n ? catalog_text(cat, b->origin.s, b->origin.n) : p->name;
	p->source_version = p->version;
	{
		const char *qualifiers[] = {"arch", p->arch, "distro", cat->os.version_id, NULL};

		p->purl = purl_build(&cat->arena, "apk", cat->os.id ? cat->os.id : "alpine", p->name,
				     p->version, qualifiers);
	}
}

static void read_line(struct apk_block *b, const char *line, size_t len, size_t lineno)
{
	struct value *slot = NULL;

	if (!b->has_fields)
		b->first_line = lineno;
	b->has_fields = 1;
	if (len < 2 || line[1] != ':' || line[0] == ' ' || line[0] == '\t') {
		if (!b->malformed)
			b->malformed = "has a line that is not K:value";
		return;
	}
	if (memchr(line, '\0', len)) {
		if (!b->malformed)
			b->malformed = "holds a NUL byte";
		return;
	}
	for (size_t i = 0; i < sizeof(apk_fields) / sizeof(apk_fields[0]); i++)
		if (apk_fields[i].letter == line[0])
			slot = (struct value *)((char *)b + apk_fields[i].offset);
	if (!slot)
		return;
	/* A repeated letter keeps its first value, as for a repeated dpkg field. */
	if (!slot->s) {
		size_t n = len - 2;

		slot->s = text_trim(line + 2, &n);
		slot->n = n;
	}
}

static int apk_parse(struct catalog *cat, const struct fs_file *file, struct package_list *out,
		     struct strbuf *err)
{
	struct apk_parse ap = {cat, out, 0, 0, NULL};
	struct apk_block b = {0};
	struct line_reader r;
	const char *line;
	size_t len;

	line_reader_init(&r, file);
	while (line_next(&r, &line, &len)) {
		if (text_is_blank(line, len)) {
			finish_block(&ap, &b);
			memset(&b, 0, sizeof(b));
			continue;
		}
		read_line(&b, line, len, r.lineno);
	}
	finish_block(&ap, &b);

	if (ap.skipped)
		return error_code(err, ERR_BAD_INPUT,
				  "skipped %zu package block%s; the first, at line %zu, %s", ap.skipped,
				  ap.skipped == 1 ? "" : "s", ap.first_bad_line, ap.first_bad_reason);
	return 0;
}

const struct cataloger cataloger_apk = {
	.name = "apk",
	.wants = apk_wants,
	.parse = apk_parse,
};
