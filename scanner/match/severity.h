/* Severities, and CVSS v3.0, v3.1 and v4.0 base scores computed from vector strings (FIRST specifications). */
#ifndef CUSTOMS_MATCH_SEVERITY_H
#define CUSTOMS_MATCH_SEVERITY_H

#include "util/strbuf.h"

/* Ordered so that a larger value is more severe. */
enum severity {
	SEVERITY_UNKNOWN = 0,
	SEVERITY_LOW,
	SEVERITY_MEDIUM,
	SEVERITY_HIGH,
	SEVERITY_CRITICAL,
};
#define SEVERITY_COUNT 5

/* "unknown", "low", "medium", "high", "critical". */
const char *severity_name(enum severity s);

/*
 * A severity word as users and advisories write it, case-insensitive:
 * the five names, plus "moderate" (GitHub), "important" (Red Hat) and
 * "negligible"/"unimportant" (as low). Returns 0, or -1 for any other word.
 */
int severity_parse(const char *word, enum severity *out);

/*
 * The severity of a distribution's own rating word: Debian urgencies
 * ("low", "medium", "high", "unimportant", "not yet assigned"), Ubuntu
 * priorities ("negligible", "low", "medium", "high", "critical") and the
 * words above. Returns 0, or -1 when the word carries no rating (such as
 * "not yet assigned"), so the caller falls back to CVSS.
 */
int severity_from_distribution(const char *word, enum severity *out);

struct cvss {
	int version; /* 30, 31 or 40 */
	double score; /* base score, 0.0 to 10.0, rounded to one decimal as the specification says */
};

/*
 * Compute the base score of a vector such as "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
 * or "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N". Metrics outside the
 * base group are accepted and ignored. Returns 0, or ERR_BAD_INPUT with a message in err
 * for a malformed vector, a missing or repeated base metric, or an unknown version.
 */
int cvss_base_score(const char *vector, struct cvss *out, struct strbuf *err);

/* The qualitative rating of a score: 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical; 0.0 is low. */
enum severity cvss_severity(double score);

#endif
