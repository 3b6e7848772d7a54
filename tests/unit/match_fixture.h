/* A vulnerability database and a catalog built by hand for the matching tests. */
#ifndef CUSTOMS_TESTS_UNIT_MATCH_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_MATCH_FIXTURE_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "match/match.h"
#include "util/strbuf.h"
#include "vulndb/vulndb.h"

/*
 * The database under construction and, once match_fixture_run() opened it,
 * the database, its bytes and the catalog. Release with match_fixture_release().
 */
struct match_fixture {
	struct vulndb_builder *builder;
	struct vulndb *db;
	char *bytes;
	size_t size;
	struct catalog cat;
	struct match_result *res;
	struct strbuf text; /* the findings as match_fixture_findings() renders them */
};

void match_fixture_init(struct match_fixture *f, const char *os_id, const char *version_id);
void match_fixture_release(struct match_fixture *f);

/*
 * Add an advisory; aliases and cvss are space-separated lists (NULL for none),
 * the other strings may be NULL. Returns its index.
 */
uint32_t match_fixture_advisory(struct match_fixture *f, const char *id, const char *aliases,
				const char *summary, const char *severity, const char *cvss);

/*
 * Add an affected entry to advisory adv with one range (type ECOSYSTEM or
 * SEMVER) whose events are written "introduced=0 fixed=1.2 last_affected=..
 * limit=..", and an optional space-separated explicit versions list. Either
 * may be NULL. More ranges: match_fixture_range().
 */
void match_fixture_affected(struct match_fixture *f, uint32_t adv, const char *ecosystem, const char *name,
			    enum vulndb_range_type type, const char *events, const char *versions);
void match_fixture_range(struct match_fixture *f, enum vulndb_range_type type, const char *events);

/* Add a package; source_name and source_version may be NULL. */
struct package *match_fixture_package(struct match_fixture *f, const char *type, const char *name,
				      const char *version, const char *source_name,
				      const char *source_version);

/* Write and open the database and match the catalog against it; fails the test on error. */
void match_fixture_run(struct match_fixture *f);

/*
 * The findings, one a line: "ID package@version fixed=V severity/source
 * [alias,alias]" with fixed=- when there is none.
 */
const char *match_fixture_findings(struct match_fixture *f);

/* Whether some warning contains every one of the NULL-terminated words. */
int match_fixture_warned(const struct match_fixture *f, const char *const *words);

#endif
