/* The OSV ecosystem of a package, and the name and version it is looked up by. */
#include "match/match.h"
#include "match/match_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * Distributions name their ecosystem after the release. Each function reads
 * os-release's VERSION_ID and returns NULL when it does not name a release
 * the advisory sources publish.
 */
static const char *debian_ecosystem(const struct os_info *os, struct arena *a);
static const char *ubuntu_ecosystem(const struct os_info *os, struct arena *a);
static const char *alpine_ecosystem(const struct os_info *os, struct arena *a);

struct distribution {
	const char *os_id;    /* os-release ID */
	const char *pkg_type; /* purl type of its package manager */
	const char *osv_name; /* ecosystem name before the release */
	const char *(*ecosystem)(const struct os_info *os, struct arena *a);
};

static const struct distribution distributions[] = {
    {"debian", "deb", "Debian", debian_ecosystem},
    {"ubuntu", "deb", "Ubuntu", ubuntu_ecosystem},
    {"alpine", "apk", "Alpine", alpine_ecosystem},
};

/* Language package managers: the purl type and the OSV ecosystem, one to one. */
static const struct {
	const char *pkg_type, *ecosystem;
} languages[] = {
    {"npm", "npm"},	    {"pypi", "PyPI"},	 {"golang", "Go"},	    {"maven", "Maven"},
    {"cargo", "crates.io"}, {"gem", "RubyGems"}, {"composer", "Packagist"}, {"nuget", "NuGet"},
};

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/* Length of the leading run of digits of s (0 when s is NULL). */
static size_t digits(const char *s)
{
	size_t n = 0;

	while (s && isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/*
 * "12" (and a hypothetical "12.4") is release 12. Testing and unstable carry
 * no VERSION_ID: their packages move ahead of every stable release, and no
 * advisory source publishes an ecosystem for them, so borrowing the number
 * of the release they will become would report fixes that do not apply.
 * They get no ecosystem, and match_catalog() says so in one warning.
 */
static const char *debian_ecosystem(const struct os_info *os, struct arena *a)
{
	size_t n = digits(os->version_id);

	if (!n || n > 4 || (os->version_id[n] && os->version_id[n] != '.'))
		return NULL;
	return arena_printf(a, "Debian:%.*s", (int)n, os->version_id);
}

/* "22.04" is "Ubuntu:22.04:LTS": LTS releases come every two years, in April of even years. */
static const char *ubuntu_ecosystem(const struct os_info *os, struct arena *a)
{
	const char *v = os->version_id;
	size_t year = digits(v), month;

	if (year != 2 || v[2] != '.')
		return NULL;
	month = digits(v + 3);
	if (month != 2 || v[5])
		return NULL;
	if (!strcmp(v + 3, "04") && (v[1] - '0') % 2 == 0)
		return arena_printf(a, "Ubuntu:%s:LTS", v);
	return arena_printf(a, "Ubuntu:%s", v);
}

/* "3.19.1" is "Alpine:v3.19": secdb and OSV publish per major.minor branch. */
static const char *alpine_ecosystem(const struct os_info *os, struct arena *a)
{
	const char *v = os->version_id;
	size_t major = digits(v), minor;

	if (!major || major > 4 || v[major] != '.')
		return NULL;
	minor = digits(v + major + 1);
	if (!minor || minor > 4)
		return NULL;
	return arena_printf(a, "Alpine:v%.*s", (int)(major + 1 + minor), v);
}

const char *match_ecosystem(const struct os_info *os, const struct package *pkg, struct arena *a)
{
	if (!pkg->type)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(languages); i++)
		if (!strcmp(pkg->type, languages[i].pkg_type))
			return languages[i].ecosystem;
	if (!os || !os->id)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(distributions); i++) {
		const struct distribution *d = &distributions[i];

		if (!strcmp(pkg->type, d->pkg_type) && !strcmp(os->id, d->os_id))
			return d->ecosystem(os, a);
	}
	return NULL;
}

int match_is_distribution(const char *ecosystem)
{
	size_t len = strcspn(ecosystem, ":");

	for (size_t i = 0; i < ARRAY_SIZE(distributions); i++)
		if (strlen(distributions[i].osv_name) == len &&
		    !memcmp(distributions[i].osv_name, ecosystem, len))
			return 1;
	return 0;
}

int match_is_os_package(const struct package *pkg)
{
	for (size_t i = 0; i < ARRAY_SIZE(distributions); i++)
		if (pkg->type && !strcmp(pkg->type, distributions[i].pkg_type))
			return 1;
	return 0;
}

/*
 * PEP 503: lowercase, and every run of '-', '_' and '.' becomes one '-'.
 * The OSV importer stores PyPI names in this same form.
 */
static const char *pypi_normalise(const char *name, struct arena *a)
{
	size_t len = strlen(name), n = 0;
	char *out = arena_alloc(a, len + 1);

	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (c == '-' || c == '_' || c == '.') {
			if (n && out[n - 1] == '-')
				continue;
			out[n++] = '-';
		} else {
			out[n++] = (char)tolower((unsigned char)c);
		}
	}
	out[n] = '\0';
	return out;
}

void match_lookup_key(const struct package *pkg, const char *ecosystem, struct arena *a, const char **name,
		      const char **version)
{
	*name = pkg->name;
	*version = pkg->version;
	if (match_is_distribution(ecosystem)) {
		/*
		 * Distributions publish advisories per source package. dpkg omits
		 * the source version when it equals the binary one, so each part
		 * falls back on its own.
		 */
		if (pkg->source_name && *pkg->source_name)
			*name = pkg->source_name;
		if (pkg->source_version && *pkg->source_version)
			*version = pkg->source_version;
	} else if (!strcmp(ecosystem, "PyPI") && pkg->name) {
		*name = pypi_normalise(pkg->name, a);
	}
}
