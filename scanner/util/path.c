/* Path normalisation for archive entries and symlink targets inside an image root. */
#include "util/path.h"

#include <string.h>

#include "util/error.h"

int path_normalize(const char *name, int reject_absolute, struct strbuf *out, struct strbuf *err)
{
	const char *p = name;

	strbuf_reset(out);
	if (reject_absolute && *p == '/')
		return error_code(err, ERR_BAD_INPUT, "absolute path '%s' in archive", name);
	while (*p) {
		const char *end;
		size_t len;

		while (*p == '/')
			p++;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			return error_code(err, ERR_BAD_INPUT, "path '%s' escapes the image root", name);
		} else {
			if (out->len)
				strbuf_addch(out, '/');
			strbuf_add(out, p, len);
		}
		p += len;
	}
	if (!out->len)
		return error_code(err, ERR_BAD_INPUT, "empty path '%s' in archive", name);
	return 0;
}

int path_is_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!n)
		return 1;
	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

size_t path_dirlen(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) : 0;
}

void path_resolve_link(const char *link_path, const char *target, struct strbuf *out)
{
	struct strbuf joined = STRBUF_INIT;
	const char *p;

	if (target[0] != '/')
		strbuf_add(&joined, link_path, path_dirlen(link_path));
	strbuf_addch(&joined, '/');
	strbuf_addstr(&joined, target);

	strbuf_reset(out);
	p = joined.buf;
	while (*p) {
		const char *end;
		size_t len;

		while (*p == '/')
			p++;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			size_t dl = path_dirlen(out->buf);
			out->len = dl;
			out->buf[dl] = '\0';
		} else {
			if (out->len)
				strbuf_addch(out, '/');
			strbuf_add(out, p, len);
		}
		p += len;
	}
	strbuf_release(&joined);
}
