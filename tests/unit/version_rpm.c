/* Unit tests for the rpm version scheme: rpmvercmp segments, '~' and '^', EVR splitting and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int rpm_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_rpm.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int rpm_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_rpm.compare(v, "1.0", &result, &err);
	int named = strstr(err.buf, "invalid rpm version") != NULL && !strchr(err.buf, '\n');

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_rpm_orders_segments)
{
	CHECK_INT(rpm_cmp("1.0", "1.1"), -1);
	CHECK_INT(rpm_cmp("1.10", "1.9"), 1);
	CHECK_INT(rpm_cmp("1.01", "1.1"), 0);
	/* Separators only split segments: their kind and number do not count. */
	CHECK_INT(rpm_cmp("1.0", "1_0"), 0);
	CHECK_INT(rpm_cmp("1.0", "1.0."), 0);
	/* A number beats letters; letters compare as strings. */
	CHECK_INT(rpm_cmp("1.0", "1.a"), 1);
	CHECK_INT(rpm_cmp("1.0a", "1.0"), 1);
	CHECK_INT(rpm_cmp("1.0A", "1.0a"), -1);
	CHECK_INT(rpm_cmp("1.1.1k-9.el8_7", "1.1.1k-10.el8_7"), -1);
	CHECK_INT(rpm_cmp("2.34-60.el9_2.7", "2.34-60.el9_2"), 1);
}

TEST(version_rpm_orders_tilde_and_caret)
{
	CHECK_INT(rpm_cmp("1.0~rc1", "1.0"), -1);
	CHECK_INT(rpm_cmp("1.0~~", "1.0~"), -1);
	CHECK_INT(rpm_cmp("1.0^", "1.0"), 1);
	CHECK_INT(rpm_cmp("1.0^git1", "1.0.1"), -1);
	CHECK_INT(rpm_cmp("1.0^git1", "1.0~rc1"), 1);
	CHECK_INT(rpm_cmp("1.0~rc1^post", "1.0~rc1"), 1);
}

TEST(version_rpm_compares_epoch_and_release)
{
	CHECK_INT(rpm_cmp("1:0.1", "9.9"), 1);
	CHECK_INT(rpm_cmp("0:1.0-1", "1.0-1"), 0);
	CHECK_INT(rpm_cmp(":1.0", "1.0"), 0);
	/* labelCompare: any release sorts after none. */
	CHECK_INT(rpm_cmp("1.0", "1.0-0"), -1);
	CHECK_INT(rpm_cmp("1.0-1.el9", "1.0-1.el9_2"), -1);
	CHECK_INT(rpm_cmp("1-2-3", "1-2-4"), -1);
}

TEST(version_rpm_rejects_malformed)
{
	CHECK(rpm_rejects(""));
	CHECK(rpm_rejects("1.0 -1"));
	CHECK(rpm_rejects("1.0\t"));
	CHECK(rpm_rejects("1.0\x01"));
	CHECK(rpm_rejects("1.0-"));
	CHECK(rpm_rejects("1:"));
	CHECK(rpm_rejects("-1"));
	CHECK(rpm_rejects("1:-1"));
}

TEST(version_rpm_found_by_ecosystem)
{
	CHECK(version_scheme_find("AlmaLinux:9") == &version_scheme_rpm);
	CHECK(version_scheme_find("Rocky Linux:8") == &version_scheme_rpm);
	CHECK(version_scheme_find("openSUSE:Leap 15.5") == &version_scheme_rpm);
	CHECK(version_scheme_find("Red Hat:enterprise_linux:9") == &version_scheme_rpm);
}
