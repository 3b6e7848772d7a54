/* Posture-check findings for the tests of every scan report writer, on the scan fixture. */
#ifndef CUSTOMS_TESTS_UNIT_REPORT_CHECKS_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_REPORT_CHECKS_FIXTURE_H

#include "report_scan_fixture.h"

#define CHECKS_FIXTURE_FINDINGS 5
/* What a hostile image could put in a subject or detail: markup, Markdown, terminal escapes, bad UTF-8. */
#define CHECKS_FIXTURE_HOSTILE "</script><b>x</b> | `y` *z* & \"q\" ]]> \x1b]0;owned\x07 \xff\xfe end"

/*
 * The scan fixture plus five check findings, sorted as check_results_sort
 * leaves them: a secret in ENV of the image config (no path) linked to
 * Dockerfile line 7, a secret in app/.env (line 3, layer 1) with hostile
 * subject and detail, a finding on the Dockerfile itself (line 12), the
 * image running as root (no path), and a private key suppressed by an
 * ignore rule. Rules are config and secret rules.
 */
struct checks_fixture {
	struct scan_fixture s;
	struct check_results checks;
	unsigned char check_failing[CHECKS_FIXTURE_FINDINGS];
};

void checks_fixture_init(struct checks_fixture *c);
/* The scan fixture's failed gate (--fail-on high) plus the check findings at or above high. */
void checks_fixture_gate(struct checks_fixture *c, int audit);
void checks_fixture_release(struct checks_fixture *c);

/* The index in c->checks of the first finding of rule id, or -1. */
int checks_fixture_find(const struct checks_fixture *c, const char *id);
/* The index of the finding of rule id at path (NULL: the one without a path), or -1. */
int checks_fixture_find_at(const struct checks_fixture *c, const char *id, const char *path);

#endif
