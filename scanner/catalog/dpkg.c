/* Debian packages from var/lib/dpkg/status and the distroless var/lib/dpkg/status.d/ files. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "catalog/internal.h"
#include "util/error.h"

#define STATUS_PATH "var/lib/dpkg/status"
#define STATUS_DIR "var/lib/dpkg/status.d/"

/* Files dpkg keeps beside a package's stanza in status.d; they describe files and scripts, not packages. */
/* clang-format off */
static const char *const status_d_skip_suffixes[] = {
	".md5sums", ".sha256sums", ".list", ".conffiles", ".preinst", ".postinst", ".prerm",
	".postrm", ".shlibs", ".symbols", ".triggers", ".templates", ".config",
};
/* clang-format on */

static int has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

static int dpkg_wants(const char *path)
{
	const char *name;
	size_t n;

	if (!strcmp(path, STATUS_PATH))
		return 1;
	if (strncmp(path, STATUS_DIR, strlen(STATUS_DIR)))
		return 0;
	name = path + strlen(STATUS_DIR);
	n = strlen(name);
	if (!n || name[0] == '.' || strchr(name, '/'))
		return 0;
	for (size_t i = 0; i < sizeof(status_d_skip_suffixes) / sizeof(status_d_skip_suffixes[0]); i++)
		if (has_suffix(name, n, status_d_skip_suffixes[i]))
			return 0;
	return 1;
}

struct field {
	const char *s;
	size_t n;
};

struct stanza {
	size_t first_line;
	int has_fields;
	const char *malformed; /* why the stanza cannot be trusted, or NULL */
	struct field package, version, status, source, arch;
};

/* The fields this cataloger reads; the rest are skipped. */
/* clang-format off */
static const struct stanza_field {
	const char *name;
	size_t offset;
} stanza_fields[] = {
	{ "Package", offsetof(struct stanza, package) },
	{ "Version", offsetof(struct stanza, version) },
	{ "Status", offsetof(struct stanza, status) },
	{ "Source", offsetof(struct stanza, source) },
	{ "Architecture", offsetof(struct stanza, arch) },
};
/* clang-format on */

struct dpkg_parse {
	struct catalog *cat;
	struct package_list *out;
	int status_d; /* a distroless file, whose stanzas may lack Status */
	size_t skipped;
	size_t first_bad_line;
	const char *first_bad_reason;
};

/*
 * dpkg's third Status word is the state. "installed" is the usual one; the
 * trigger states mean a configured package whose triggers have not yet run,
 * its files all in place. A held ("hold ok installed") or to-be-removed
 * ("deinstall ok installed") package is still on disk, so the first word,
 * which is only a wish, does not matter.
 */
static int status_is_installed(struct field status)
{
	const char *p = status.s, *end = status.s + status.n, *word = NULL;
	size_t words = 0, len = 0;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		word = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - word);
		if (++words > 3)
			return 0;
	}
	if (words != 3)
		return 0;
	return text_equals(word, len, "installed") || text_equals(word, len, "triggers-awaited") ||
	       text_equals(word, len, "triggers-pending");
}

static void skip_stanza(struct dpkg_parse *dp, const struct stanza *st, const char *reason)
{
	if (!dp->skipped++) {
		dp->first_bad_line = st->first_line;
		dp->first_bad_reason = reason;
	}
}

static const char *dpkg_distro(struct catalog *cat)
{
	const struct os_info *os = &cat->os;

	if (!os->id)
		return NULL;
	if (os->version_id)
		return arena_printf(&cat->arena, "%s-%s", os->id, os->version_id);
	if (os->version_codename)
		return arena_printf(&cat->arena, "%s-%s", os->id, os->version_codename);
	return NULL;
}

static void finish_stanza(struct dpkg_parse *dp, const struct stanza *st)
{
	struct catalog *cat = dp->cat;
	const char *reason = NULL;
	struct package *p;
	int installed;

	if (!st->has_fields)
		return;
	if (st->status.s)
		installed = status_is_installed(st->status);
	else
		installed = dp->status_d; /* distroless writes only installed packages, with no Status */
	if (st->malformed)
		reason = st->malformed;
	else if (!st->package.n)
		reason = "has no Package field";
	else if (!st->status.s && !dp->status_d)
		reason = "has no Status field";
	else if (installed && !st->version.n)
		reason = "has no Version field";
	if (reason) {
		skip_stanza(dp, st, reason);
		return;
	}
	if (!installed)
		return;

	p = package_list_append(dp->out);
	p->type = "deb";
	p->name = catalog_text(cat, st->package.s, st->package.n);
	p->version = catalog_text(cat, st->version.s, st->version.n);
	p->arch = st->arch.n ? catalog_text(cat, st->arch.s, st->arch.n) : NULL;
	p->source_name = p->name;
	p->source_version = p->version;
	if (st->source.n) {
		/* "Source: name" or "Source: name (version)" when the source version differs. */
		const char *s = st->source.s, *end = s + st->source.n, *name_end = s;

		while (name_end < end && *name_end != ' ' && *name_end != '\t' && *name_end != '(')
			name_end++;
		if (name_end > s)
			p->source_name = catalog_text(cat, s, (size_t)(name_end - s));
		s = name_end;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s < end && *s == '(') {
			const char *close = memchr(s, ')', (size_t)(end - s));
			size_t n = close ? (size_t)(close - s - 1) : (size_t)(end - s - 1);
			const char *v = text_trim(s + 1, &n);

			if (n)
				p->source_version = catalog_text(cat, v, n);
		}
	}
	{
		const char *qualifiers[] = {"arch", p->arch, "distro", dpkg_distro(cat), NULL};

		p->purl = purl_build(&cat->arena, "deb", cat->os.id ? cat->os.id : "debian", p->name,
				     p->version, qualifiers);
	}
}

static void read_field(struct stanza *st, const char *line, size_t len, size_t lineno)
{
	const char *colon = memchr(line, ':', len);
	size_t name_len;
	const char *value;
	size_t value_len;

	if (!st->has_fields)
		st->first_line = lineno;
	st->has_fields = 1;
	if (!colon || colon == line) {
		if (!st->malformed)
			st->malformed = "has a line that is not a field";
		return;
	}
	name_len = (size_t)(colon - line);
	for (size_t i = 0; i < name_len; i++) {
		if (line[i] == ' ' || line[i] == '\t') {
			if (!st->malformed)
				st->malformed = "has a field name with a blank in it";
			return;
		}
	}
	value_len = len - name_len - 1;
	value = text_trim(colon + 1, &value_len);
	/* Field names are case-insensitive (deb822); a repeated field keeps its first value. */
	for (size_t i = 0; i < sizeof(stanza_fields) / sizeof(stanza_fields[0]); i++) {
		struct field *f = (struct field *)((char *)st + stanza_fields[i].offset);

		if (strlen(stanza_fields[i].name) == name_len &&
		    !strncasecmp(line, stanza_fields[i].name, name_len) && !f->s) {
			f->s = value;
			f->n = value_len;
		}
	}
}

static int dpkg_parse(struct catalog *cat, const struct fs_file *file, struct package_list *out,
		      struct strbuf *err)
{
	struct dpkg_parse dp = {cat, out, strcmp(file->path, STATUS_PATH) != 0, 0, 0, NULL};
	struct stanza st = {0};
	struct line_reader r;
	const char *line;
	size_t len;

	line_reader_init(&r, file);
	while (line_next(&r, &line, &len)) {
		if (text_is_blank(line, len)) {
			finish_stanza(&dp, &st);
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (memchr(line, '\0', len)) {
			if (!st.has_fields)
				st.first_line = r.lineno;
			st.has_fields = 1;
			if (!st.malformed)
				st.malformed = "holds a NUL byte";
			continue;
		}
		if (line[0] == '#')
			continue;
		if (line[0] == ' ' || line[0] == '\t') {
			/* A continuation line belongs to a multi-line field such as Description. */
			if (!st.has_fields) {
				st.first_line = r.lineno;
				st.has_fields = 1;
				st.malformed = "starts with a continuation line";
			}
			continue;
		}
		read_field(&st, line, len, r.lineno);
	}
	finish_stanza(&dp, &st);

	if (dp.skipped)
		return error_code(err, ERR_BAD_INPUT, "skipped %zu stanza%s; the first, at line %zu, %s",
				  dp.skipped, dp.skipped == 1 ? "" : "s", dp.first_bad_line,
				  dp.first_bad_reason);
	return 0;
}

const struct cataloger cataloger_dpkg = {
	.name = "dpkg",
	.wants = dpkg_wants,
	.parse = dpkg_parse,
};
