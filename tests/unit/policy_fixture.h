/* The policy tests' fixture: a catalog and a match result built by hand, as matching would leave them. */
#ifndef CUSTOMS_TESTS_UNIT_POLICY_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_POLICY_FIXTURE_H

#include "policy/policy.h"

#define POLICY_FIXTURE_MAX_FINDINGS 64

/* Everything lives in the struct and its arenas; release with policy_fixture_release(). */
struct policy_fixture {
	struct catalog cat;
	struct match_result *res;
	struct strbuf err;
	struct strbuf text;
};

void policy_fixture_init(struct policy_fixture *f);
void policy_fixture_release(struct policy_fixture *f);

/* Add a package; install_path may be NULL. Returns its index. */
size_t policy_fixture_package(struct policy_fixture *f, const char *type, const char *name,
			      const char *version, const char *purl, const char *path,
			      const char *install_path);

/* Add a finding on package pkg; aliases is a space-separated list or NULL, fixed may be NULL. */
struct finding *policy_fixture_finding(struct policy_fixture *f, const char *id, const char *aliases,
				       size_t pkg, enum severity sev, const char *fixed);

/*
 * The findings' marks, one line each: "ID by:reason" when suppressed,
 * "ID vex:status:detail" when a statement is attached, "ID -" otherwise.
 */
const char *policy_fixture_marks(struct policy_fixture *f);

/* Whether some warning of the result holds every word of the NULL-terminated list. */
int policy_fixture_warned(const struct policy_fixture *f, const char *const *words);

/* The standard scene: libc6 (deb), openssl (deb), two left-pad copies (npm, one purl), @scope/pkg (npm). */
void policy_fixture_scene(struct policy_fixture *f);

#endif
