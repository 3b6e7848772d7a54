/* The table of version schemes and lookup by name, alias or OSV ecosystem. */
#include "version/version.h"

#include "util/error.h"
#include "util/xalloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct version_scheme *const version_schemes[] = {
#define VERSION_SCHEME(id) &version_scheme_##id,
#include "version/schemes.def"
#undef VERSION_SCHEME
	NULL,
};

static int name_matches(const char *candidate, const char *name, size_t name_len)
{
	return strlen(candidate) == name_len && !strncasecmp(candidate, name, name_len);
}

const struct version_scheme *version_scheme_find(const char *name)
{
	/* "Debian:12" and "Ubuntu:22.04:LTS" pick the scheme of their ecosystem. */
	const char *colon = strchr(name, ':');
	size_t len = colon ? (size_t)(colon - name) : strlen(name);

	for (const struct version_scheme *const *s = version_schemes; *s; s++) {
		if (name_matches((*s)->name, name, len))
			return *s;
		for (const char *const *a = (*s)->aliases; a && *a; a++)
			if (name_matches(*a, name, len))
				return *s;
	}
	return NULL;
}

int version_invalid(struct strbuf *err, const char *scheme, const char *v, const char *reason)
{
	enum { SHOWN_MAX = 256 };
	struct strbuf shown = STRBUF_INIT;
	size_t len = strnlen(v, SHOWN_MAX + 1);
	char *cut = NULL;
	int ret;

	if (len > SHOWN_MAX)
		cut = xstrndup(v, SHOWN_MAX);
	strbuf_add_json_escaped(&shown, cut ? cut : v);
	if (cut)
		strbuf_addstr(&shown, "...");
	ret = error_code(err, ERR_BAD_INPUT, "invalid %s version '%s': %s", scheme, shown.buf, reason);
	strbuf_release(&shown);
	free(cut);
	return ret;
}
