/* Unit tests for the apk version scheme: ordering, suffixes, revisions and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int apk_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_apk.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int apk_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_apk.compare(v, "1.0", &result, &err);
	int named = err.len > 0 && strstr(err.buf, "invalid apk version") != NULL;

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_apk_orders_components)
{
	CHECK_INT(apk_cmp("1.0", "1.1"), -1);
	CHECK_INT(apk_cmp("1.10", "1.9"), 1);
	CHECK_INT(apk_cmp("1.2.3", "1.2.3"), 0);
	CHECK_INT(apk_cmp("1.2", "1.2.1"), -1);
	CHECK_INT(apk_cmp("1.2a", "1.2"), 1);
	CHECK_INT(apk_cmp("1.2a", "1.2b"), -1);
	/* A component with a leading zero compares as text, as apk-tools does. */
	CHECK_INT(apk_cmp("1.05", "1.5"), -1);
	CHECK_INT(apk_cmp("1.01", "1.001"), 1);
	CHECK_INT(apk_cmp("1.00", "1.0"), 1);
	CHECK_INT(apk_cmp("9.0.0050-r0", "9.0.0-r0"), 1);
	CHECK_INT(apk_cmp("9.0.0050-r0", "9.0.0999-r0"), -1);
}

TEST(version_apk_orders_suffixes_and_revisions)
{
	CHECK_INT(apk_cmp("1.1_alpha1", "1.1_beta"), -1);
	CHECK_INT(apk_cmp("1.1_pre2", "1.1_rc1"), -1);
	CHECK_INT(apk_cmp("1.1_rc1", "1.1"), -1);
	CHECK_INT(apk_cmp("1.0.0_rc95-r0", "1.0.0-r0"), -1);
	CHECK_INT(apk_cmp("1.0_alpha_beta", "1.0_alpha"), -1);
	CHECK_INT(apk_cmp("1.1", "1.1_p1"), -1);
	CHECK_INT(apk_cmp("1.1_cvs", "1.1_svn"), -1);
	CHECK_INT(apk_cmp("1.1_git20240101", "1.1_hg"), -1);
	CHECK_INT(apk_cmp("1.1_rc10", "1.1_rc9"), 1);
	CHECK_INT(apk_cmp("2.4.57-r0", "2.4.57-r1"), -1);
	CHECK_INT(apk_cmp("2.4.57-r10", "2.4.57-r9"), 1);
	CHECK_INT(apk_cmp("2.4.57", "2.4.57-r0"), -1);
	CHECK_INT(apk_cmp("1.1_p1-r0", "1.1-r5"), 1);
	/* A missing revision sorts before -r0. */
	CHECK_INT(apk_cmp("1.1", "1.1-r0"), -1);
	/* A commit hash compares as text and, like more digits, outranks the revision. */
	CHECK_INT(apk_cmp("1.1_git2~abc1-r0", "1.1_git2~abc2-r0"), -1);
	CHECK_INT(apk_cmp("1.1~abc", "1.1-r9"), 1);
	CHECK_INT(apk_cmp("1.1~abc-r1", "1.1~abc-r0"), 1);
}

TEST(version_apk_rejects_malformed)
{
	CHECK(apk_rejects(""));
	CHECK(apk_rejects("abc"));
	CHECK(apk_rejects("1.0 "));
	CHECK(apk_rejects("1.0-1"));
	CHECK(apk_rejects("1.0_foo"));
	CHECK(apk_rejects("1.0-r1.2"));
	CHECK(apk_rejects("1.0a.1"));
	CHECK(apk_rejects("1.0\n"));
	CHECK(apk_rejects("1a2"));
	CHECK(apk_rejects("1.0_rc.1"));
	CHECK(apk_rejects("1.0~"));
	CHECK(apk_rejects("1.0-r"));
	CHECK(apk_rejects("1.0-r1~abc"));
	CHECK(apk_rejects("1.12345678901234567890"));
}

TEST(version_apk_found_by_ecosystem)
{
	CHECK(version_scheme_find("Alpine:v3.19") == &version_scheme_apk);
	CHECK(version_scheme_find("wolfi") == &version_scheme_apk);
	CHECK(version_scheme_find("chainguard") == &version_scheme_apk);
	CHECK(version_scheme_find("apk") == &version_scheme_apk);
}
