/* Version comparison, one scheme per ecosystem family, registered in schemes.def. */
#ifndef CUSTOMS_VERSION_VERSION_H
#define CUSTOMS_VERSION_VERSION_H

#include "util/strbuf.h"

struct version_scheme {
	const char *name; /* "deb", "rpm", "apk", "npm", "pypi", "maven", "gem", "composer" */
	/* Other names that select this scheme: ecosystems (OSV spelling) and purl types. */
	const char *const *aliases;
	/*
	 * Compare a and b. Returns 0 and sets *result to -1, 0 or 1, or a
	 * negative ERR_BAD_INPUT with one line in err naming the invalid version
	 * when either is not a version of this scheme. Never allocates on the
	 * success path of well-formed short versions, so batches stay fast.
	 */
	int (*compare)(const char *a, const char *b, int *result, struct strbuf *err);
};

#define VERSION_SCHEME(id) extern const struct version_scheme version_scheme_##id;
#include "version/schemes.def"
#undef VERSION_SCHEME

/* NULL-terminated, in the order of schemes.def. */
extern const struct version_scheme *const version_schemes[];

/*
 * The scheme for a name, an alias or an OSV ecosystem, compared without
 * regard to case; a release suffix such as "Debian:12" or "Alpine:v3.19" is
 * ignored. NULL when nothing matches.
 */
const struct version_scheme *version_scheme_find(const char *name);

/*
 * Put "invalid SCHEME version 'V': reason" in err and return ERR_BAD_INPUT.
 * V is escaped and cut at 256 bytes, so the message stays one short line
 * whatever bytes the version holds.
 */
int version_invalid(struct strbuf *err, const char *scheme, const char *v, const char *reason);

#endif
