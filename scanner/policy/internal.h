/* Helpers shared by the policy files: strict JSON field reading, purls, dates and bounded file reads. */
#ifndef CUSTOMS_POLICY_INTERNAL_H
#define CUSTOMS_POLICY_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "catalog/catalog.h"
#include "match/match.h"
#include "policy/policy.h"
#include "util/arena.h"
#include "util/json_strict.h"
#include "util/strbuf.h"

/* Longest string value accepted in an ignore file or VEX document. */
#define POLICY_MAX_STRING 8192

/*
 * Read the whole file at path into a buffer the caller frees, refusing
 * files larger than max_bytes with ERR_LIMIT. what names the kind of file
 * in messages ("ignore file").
 */
int policy_read_file(const char *path, size_t max_bytes, const char *what, char **data, size_t *len,
		     struct strbuf *err);

/*
 * Parse data as JSON. On failure err says where ("invalid JSON at byte
 * 17"), without naming the file: the caller prefixes that.
 */
cJSON *policy_parse_json(const char *data, size_t len, struct strbuf *err);

/*
 * Check that item is a string of valid UTF-8, non-empty, at most
 * POLICY_MAX_STRING bytes. Returns it, or NULL with a message in err
 * naming where ("ignore[2].reason").
 */
const char *policy_json_string(const cJSON *item, const char *where, struct strbuf *err);

/*
 * A "YYYY-MM-DD" date that exists on the calendar. Returns 0 and the day
 * number since 1970-01-01, or -1.
 */
int policy_parse_date(const char *s, int64_t *days);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t policy_days_from_civil(int64_t y, unsigned m, unsigned d);

/*
 * An RFC 3339 timestamp ("2023-01-08T18:02:03.647787998-06:00") as a
 * policy_time (policy.h), so statements sort by it. Returns 0 or -1.
 */
int policy_parse_timestamp(const char *s, struct policy_time *out);

/* A package URL taken apart, each part percent-decoded. Strings live in the arena given to the parser. */
struct purl_parts {
	const char *type;      /* lowercased */
	const char *namespace; /* NULL when absent */
	const char *name;
	const char *version;	 /* NULL when absent */
	const char **qualifiers; /* key, value pairs; keys lowercased */
	size_t nr_qualifiers;
};

/* Returns 0, or -1 when s is not a "pkg:type/[namespace/]name[@version][?q][#subpath]" string. */
int policy_purl_parse(const char *s, struct arena *a, struct purl_parts *out);

/*
 * Whether the package URL candidate is covered by pattern (the purl a
 * user wrote): type, namespace and name equal (case-insensitively for the
 * types whose names are case-insensitive), the version equal when pattern
 * has one, and each of pattern's qualifiers present in candidate with the
 * same value when use_qualifiers is set. Subpaths are ignored.
 */
int policy_purl_covers(const struct purl_parts *pattern, const struct purl_parts *candidate,
		       int use_qualifiers);

/* Whether id is the finding's display ID or one of its aliases, compared case-insensitively. */
int policy_finding_has_id(const struct finding *f, const char *id);

/* A copy of s in arena a with control characters and bad UTF-8 replaced, fit for a terminal line. */
const char *policy_printable(struct arena *a, const char *s);

#endif
