/* Match an image's package inventory against the vulnerability database, giving one finding per vulnerability and package. */
#ifndef CUSTOMS_MATCH_MATCH_H
#define CUSTOMS_MATCH_MATCH_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "match/severity.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/warnings.h"
#include "vulndb/vulndb.h"

/* How the severity of a finding was decided, for the report to say. */
enum severity_source {
	SEVERITY_FROM_NONE = 0, /* nothing rated it */
	SEVERITY_FROM_DISTRIBUTION, /* the distribution's own rating (Debian urgency, ...) */
	SEVERITY_FROM_CVSS, /* the base score of the CVSS vector */
	SEVERITY_FROM_ADVISORY, /* the advisory's severity word (database_specific, ecosystem_specific) */
};
/* "none", "distribution", "cvss", "advisory". */
const char *severity_source_name(enum severity_source src);

/*
 * One vulnerability on one installed package. Advisories that share an ID
 * or alias (CVE, GHSA, DSA, ...) and match the same package are merged into
 * one finding. Strings point into the database mapping or the result's arena.
 */
struct finding {
	const char *id; /* the display ID: a CVE when any merged ID or alias is one, else the smallest ID */
	const char **aliases; /* every other ID of the merged advisories, sorted, without duplicates */
	size_t nr_aliases;
	size_t package; /* index into cat->packages.items */
	const char *ecosystem; /* the OSV ecosystem the match was made in, "Debian:12" */
	const char *fixed_version; /* the first version that fixes it, or NULL when there is no fix */
	enum severity severity;
	enum severity_source severity_source;
	const char *cvss_vector; /* the vector the score came from; NULL when there is none */
	struct cvss cvss; /* version 0 when there is no vector */
	const char *title; /* the advisory's summary, or NULL */
	int layer; /* the layer that introduced the package (image->layers index), or -1 */
	/*
	 * Filled by the policy layer, NULL until then. A suppressed finding
	 * stays in the result, so every report can still show it with why.
	 */
	const char *suppressed_by; /* "ignore" or "vex" */
	const char *suppressed_reason; /* the rule's reason, or the VEX status and justification */
	const char *vex_status; /* an attached VEX statement that keeps it: "affected", "under_investigation" */
	const char *vex_detail; /* that statement's impact or action statement, or NULL */
};

struct match_result {
	struct arena arena;
	/* Sorted by severity (most severe first), then package name, version, install path, display ID. */
	struct finding *findings;
	size_t nr_findings;
	size_t counts[SEVERITY_COUNT]; /* findings per severity */
	size_t nr_packages_looked_up; /* packages that had an ecosystem */
	/* Versions the comparator could not parse, advisories with unusable ranges, ... */
	struct warnings warnings;
};

/*
 * The OSV ecosystem advisories for pkg are published under, given the
 * image's OS: "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19", "npm", ...
 * NULL when no ecosystem applies (an unknown distribution, say). The string
 * is static or lives in arena a.
 */
const char *match_ecosystem(const struct os_info *os, const struct package *pkg, struct arena *a);

/*
 * The name and version to look pkg up by: OS packages by their source
 * package and source version (falling back to the binary ones), language
 * packages by name under their ecosystem's normalisation (PyPI names are
 * lowercased with runs of "-", "_" and "." made one "-").
 */
void match_lookup_key(const struct package *pkg, const char *ecosystem, struct arena *a, const char **name,
		      const char **version);

/*
 * Match every package of cat against db. On success *out holds the findings
 * and the caller frees it with match_result_free(). A version the
 * comparator cannot parse becomes a warning in the result, never a silent
 * skip. Fails only on internal limits.
 */
int match_catalog(const struct catalog *cat, const struct vulndb *db, struct match_result **out,
		  struct strbuf *err);
void match_result_free(struct match_result *res);

/* A result with no findings, for a scan that leaves vulnerabilities out (--checks without vuln). */
struct match_result *match_result_new(void);

#endif
