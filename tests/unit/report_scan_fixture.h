/* Findings for the tests of the SARIF, GitLab, JUnit and Markdown writers, on the report fixture. */
#ifndef CUSTOMS_TESTS_UNIT_REPORT_SCAN_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_REPORT_SCAN_FIXTURE_H

#include "report_fixture.h"

#define SCAN_FIXTURE_FINDINGS 7
#define SCAN_FIXTURE_HOSTILE_TITLE "<script>alert(1)</script> | `x` *y* & \"q\" ]]> [link](javascript:x)"

/*
 * Seven findings, most severe first, as match_catalog sorts them: a critical
 * one with a hostile title, a high one with aliases and a VEX statement
 * attached, a high one suppressed by VEX, one GHSA on both copies of
 * left-pad, a low one with control characters in its title, and an unknown
 * one suppressed by an ignore rule. No database.
 */
struct scan_fixture {
	struct report_fixture f;
	struct match_result res;
	struct finding findings[SCAN_FIXTURE_FINDINGS];
	struct finding *many; /* set by scan_fixture_many() */
	struct report_verdict verdict; /* set by scan_fixture_gate() */
	unsigned char failing[SCAN_FIXTURE_FINDINGS], excluded[SCAN_FIXTURE_FINDINGS];
};

/*
 * Point f at res, a match result over findings[0..nr) (which the caller
 * keeps): counts by severity, every fixture package looked up, and one
 * version warning. scan_fixture_detach() frees what res holds.
 */
void scan_fixture_attach(struct report_fixture *f, struct match_result *res, struct finding *findings,
			 size_t nr);
void scan_fixture_detach(struct match_result *res);

void scan_fixture_init(struct scan_fixture *s);
/*
 * Replace the findings with nr generated ones (distinct IDs, on the fixture's
 * packages): the first nr_high high, the rest low; titles of title_len bytes.
 */
void scan_fixture_many(struct scan_fixture *s, size_t nr, size_t nr_high, size_t title_len);
/*
 * Attach a gate's verdict as `customs scan --fail-on high --only-fixed`
 * would give it: the critical and the active high finding fail it, the
 * unfixed ones are left out. audit: --audit, which passes anyway.
 */
void scan_fixture_gate(struct scan_fixture *s, int audit);
void scan_fixture_release(struct scan_fixture *s);

/* Run writer w on the fixture into memory; checks that it succeeded and wrote valid UTF-8. Caller frees. */
char *scan_fixture_render(const struct report_writer *w, struct scan_fixture *s);

/* Whether text holds needle. */
int scan_has(const char *text, const char *needle);
/* How many times needle occurs in text. */
size_t scan_count(const char *text, const char *needle);

#endif
