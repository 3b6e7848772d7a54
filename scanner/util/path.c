/* Path normalisation for archive entries and symlink targets inside an image root. */
#include "util/path.h"

#include <string.h>

#include "util/error.h"

/* Step to the next non-empty component of a slash-separated name; returns 0 at the end. */
static int next_component(const char **p, const char **comp, size_t *len)
{
	const char *end;

	while (**p == '/')
		(*p)++;
	if (!**p)
		return 0;
	end = strchr(*p, '/');
	*comp = *p;
	*len = end ? (size_t)(end - *p) : strlen(*p);
	*p += *len;
	return 1;
}

static int is_dot(const char *c, size_t len)
{
	return len == 1 && c[0] == '.';
}

static int is_dotdot(const char *c, size_t len)
{
	return len == 2 && c[0] == '.' && c[1] == '.';
}

int path_normalize(const char *name, int reject_absolute, struct strbuf *out, struct strbuf *err)
{
	const char *p = name, *comp;
	size_t len;

	strbuf_reset(out);
	if (reject_absolute && *p == '/')
		return error_code(err, ERR_BAD_INPUT, "absolute path '%s' in archive", name);
	while (next_component(&p, &comp, &len)) {
		if (is_dot(comp, len))
			continue;
		if (is_dotdot(comp, len))
			return error_code(err, ERR_BAD_INPUT, "path '%s' escapes the image root", name);
		if (out->len)
			strbuf_addch(out, '/');
		strbuf_add(out, comp, len);
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
	const char *p, *comp;
	size_t len;

	if (target[0] != '/')
		strbuf_add(&joined, link_path, path_dirlen(link_path));
	strbuf_addch(&joined, '/');
	strbuf_addstr(&joined, target);

	strbuf_reset(out);
	p = joined.buf;
	while (next_component(&p, &comp, &len)) {
		if (is_dot(comp, len))
			continue;
		if (is_dotdot(comp, len)) {
			/* ".." at the root stays at the root, as in a chroot. */
			out->len = path_dirlen(out->buf);
			out->buf[out->len] = '\0';
			continue;
		}
		if (out->len)
			strbuf_addch(out, '/');
		strbuf_add(out, comp, len);
	}
	strbuf_release(&joined);
}
