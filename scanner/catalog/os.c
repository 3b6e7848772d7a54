/* OS detection from os-release, with debian_version and alpine-release as fallbacks. */
#include <stddef.h>
#include <string.h>

#include "catalog/internal.h"
#include "util/error.h"
#include "util/strbuf.h"

static int is_key_char(char c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/*
 * Unquote an os-release value the way a POSIX shell reads an assignment,
 * as the freedesktop spec asks: single quotes are literal, double quotes
 * honour \\ \" \$ \`, and an unquoted backslash escapes the next byte.
 * Trailing unquoted blanks are dropped.
 */
static void unquote_value(const char *s, size_t n, struct strbuf *out)
{
	size_t keep = 0;
	char quote = 0;

	strbuf_reset(out);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				strbuf_addch(out, c);
			keep = out->len;
		} else if (quote == '"') {
			if (c == '"') {
				quote = 0;
			} else if (c == '\\' && i + 1 < n && s[i + 1] && strchr("\\\"$`", s[i + 1])) {
				strbuf_addch(out, s[++i]);
			} else {
				strbuf_addch(out, c);
			}
			keep = out->len;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '\\' && i + 1 < n) {
			strbuf_addch(out, s[++i]);
			keep = out->len;
		} else {
			strbuf_addch(out, c);
			if (c != ' ' && c != '\t')
				keep = out->len;
		}
	}
	out->len = keep;
	out->buf[keep] = '\0';
}

/* The os-release keys Customs records. */
/* clang-format off */
static const struct os_release_key {
	const char *key;
	size_t offset;
} os_release_keys[] = {
	{ "ID", offsetof(struct os_info, id) },
	{ "VERSION_ID", offsetof(struct os_info, version_id) },
	{ "VERSION_CODENAME", offsetof(struct os_info, version_codename) },
	{ "PRETTY_NAME", offsetof(struct os_info, pretty_name) },
};
/* clang-format on */

static int parse_os_release(struct catalog *cat, const struct fs_file *file, struct os_info *os,
			    struct strbuf *err)
{
	struct line_reader r;
	struct strbuf value = STRBUF_INIT;
	const char *line;
	size_t len, good = 0, bad = 0;

	if (memchr(file->data, '\0', file->size)) {
		strbuf_release(&value);
		return error_code(err, ERR_BAD_INPUT, "binary data in an os-release file");
	}
	line_reader_init(&r, file);
	while (line_next(&r, &line, &len)) {
		const char *eq, *key;
		size_t key_len;

		line = text_trim(line, &len);
		if (!len || line[0] == '#')
			continue;
		eq = memchr(line, '=', len);
		key = line;
		key_len = eq ? (size_t)(eq - line) : 0;
		for (size_t i = 0; i < key_len; i++)
			if (!is_key_char(key[i], i == 0))
				key_len = 0;
		if (!key_len) {
			bad++;
			continue;
		}
		good++;
		unquote_value(eq + 1, len - key_len - 1, &value);
		for (size_t i = 0; i < sizeof(os_release_keys) / sizeof(os_release_keys[0]); i++) {
			const char **field = (const char **)((char *)os + os_release_keys[i].offset);

			/* Later assignments win, as in the shell; an empty value means unknown. */
			if (text_equals(key, key_len, os_release_keys[i].key))
				*field = value.len ? catalog_text(cat, value.buf, value.len) : NULL;
		}
	}
	strbuf_release(&value);
	/* The spec says to skip lines that do not parse; a file of nothing else is no os-release. */
	if (bad && !good)
		return error_code(err, ERR_BAD_INPUT, "no KEY=value line in an os-release file");
	return 0;
}

/* The first line of a one-line release file, trimmed; ERR_BAD_INPUT when it is empty or binary. */
static int first_line(const struct fs_file *file, const char **out, size_t *len, struct strbuf *err)
{
	struct line_reader r;

	if (memchr(file->data, '\0', file->size))
		return error_code(err, ERR_BAD_INPUT, "binary data in a release file");
	line_reader_init(&r, file);
	if (!line_next(&r, out, len) || (*out = text_trim(*out, len), !*len))
		return error_code(err, ERR_BAD_INPUT, "empty release file");
	/* A release file holds a version, not prose; keep the line small however long it is. */
	if (*len > 128)
		*len = 128;
	return 0;
}

static int parse_debian_version(struct catalog *cat, const struct fs_file *file, struct os_info *os,
				struct strbuf *err)
{
	const char *line;
	size_t len, major = 0;
	int ret = first_line(file, &line, &len, err);

	if (ret < 0)
		return ret;
	os->id = "debian";
	/* "12.5" is Debian 12; testing and unstable write "trixie/sid", a codename instead. */
	while (major < len && line[major] >= '0' && line[major] <= '9')
		major++;
	if (major) {
		os->version_id = catalog_text(cat, line, major);
	} else {
		const char *slash = memchr(line, '/', len);
		os->version_codename = catalog_text(cat, line, slash ? (size_t)(slash - line) : len);
	}
	os->pretty_name = arena_printf(&cat->arena, "Debian GNU/Linux %s", catalog_text(cat, line, len));
	return 0;
}

static int parse_alpine_release(struct catalog *cat, const struct fs_file *file, struct os_info *os,
				struct strbuf *err)
{
	const char *line;
	size_t len;
	int ret = first_line(file, &line, &len, err);

	if (ret < 0)
		return ret;
	os->id = "alpine";
	os->version_id = catalog_text(cat, line, len);
	os->pretty_name = arena_printf(&cat->arena, "Alpine Linux %s", os->version_id);
	return 0;
}

/* In order of trust: the first of these that exists in the image is the one read. */
/* clang-format off */
static const struct os_source {
	const char *path;
	int (*parse)(struct catalog *cat, const struct fs_file *file, struct os_info *os, struct strbuf *err);
} os_sources[] = {
	{ "etc/os-release", parse_os_release },
	{ "usr/lib/os-release", parse_os_release },
	{ "etc/debian_version", parse_debian_version },
	{ "etc/alpine-release", parse_alpine_release },
};
/* clang-format on */

#define NR_OS_SOURCES (sizeof(os_sources) / sizeof(os_sources[0]))

static int os_wants(const char *path)
{
	for (size_t i = 0; i < NR_OS_SOURCES; i++)
		if (!strcmp(path, os_sources[i].path))
			return 1;
	return 0;
}

/*
 * The most trusted source present, or NULL. etc/os-release is usually a
 * symlink to ../usr/lib/os-release, so each name is resolved the way a
 * chroot would; the merged view only ever hands us the regular file.
 */
static const struct os_source *best_source(const struct catalog *cat, const struct fs_file **out)
{
	struct strbuf err = STRBUF_INIT;
	const struct os_source *found = NULL;

	for (size_t i = 0; i < NR_OS_SOURCES && !found; i++) {
		const struct fs_file *f = NULL;

		if (image_resolve(cat->img, os_sources[i].path, &f, &err) < 0 || !f)
			continue;
		if (f->kind == FS_REGULAR && f->data) {
			*out = f;
			found = &os_sources[i];
		}
	}
	strbuf_release(&err);
	return found;
}

/* Unlike the other catalogers this one fills cat->os, and only from the most trusted file. */
static int os_parse(struct catalog *cat, const struct fs_file *file, struct package_list *out,
		    struct strbuf *err)
{
	const struct fs_file *best = NULL;
	const struct os_source *src = best_source(cat, &best);
	struct os_info os = {0};
	int ret;

	if (!src || best != file)
		return 0;
	ret = src->parse(cat, file, &os, err);
	if (ret < 0)
		return ret;
	os.source_path = catalog_text(cat, file->path, strlen(file->path));
	cat->os = os;
	return 0;
}

const struct cataloger cataloger_os = {
	.name = "os",
	.wants = os_wants,
	.parse = os_parse,
};
