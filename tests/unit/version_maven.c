/* Unit tests for the maven version scheme: ComparableVersion's items, qualifiers, normalisation and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int maven_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_maven.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int maven_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_maven.compare(v, "1.0", &result, &err);
	int named = strstr(err.buf, "invalid maven version") != NULL && !strchr(err.buf, '\n');

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_maven_orders_numbers)
{
	CHECK_INT(maven_cmp("1", "1.0.0"), 0);
	CHECK_INT(maven_cmp("1.10", "1.9"), 1);
	CHECK_INT(maven_cmp("1.01", "1.1"), 0);
	CHECK_INT(maven_cmp("1.0-2", "1-2"), 0);
	/* a '-' list sorts below a further '.' number */
	CHECK_INT(maven_cmp("1-1", "1.1"), -1);
	CHECK_INT(maven_cmp("1..1", "1.0.1"), 0);
	CHECK_INT(maven_cmp("9223372036854775808", "9223372036854775807"), 1);
	CHECK_INT(maven_cmp("1.123456789012345678901", "1.99999999999999999999"), 1);
}

TEST(version_maven_orders_qualifiers)
{
	CHECK_INT(maven_cmp("1-alpha", "1-beta"), -1);
	CHECK_INT(maven_cmp("1-beta", "1-milestone"), -1);
	CHECK_INT(maven_cmp("1-milestone", "1-rc"), -1);
	CHECK_INT(maven_cmp("1-rc", "1-SNAPSHOT"), -1);
	CHECK_INT(maven_cmp("1-SNAPSHOT", "1"), -1);
	CHECK_INT(maven_cmp("1", "1-sp"), -1);
	CHECK_INT(maven_cmp("1-sp", "1-foo"), -1);
	CHECK_INT(maven_cmp("1-foo", "1-1"), -1);
	CHECK_INT(maven_cmp("1-abc", "1-abd"), -1);
	CHECK_INT(maven_cmp("1cr1", "1-RC-1"), 0);
	CHECK_INT(maven_cmp("1.Final", "1"), 0);
	CHECK_INT(maven_cmp("1-ga", "1.release"), 0);
	/* a, b and m are shorthand only when a number follows */
	CHECK_INT(maven_cmp("1a1", "1-alpha-1"), 0);
	CHECK_INT(maven_cmp("1m2", "1-milestone-2"), 0);
	CHECK_INT(maven_cmp("1-a", "1-alpha"), 1);
	CHECK_INT(maven_cmp("5.2.20.RELEASE", "5.2.20"), 0);
	CHECK_INT(maven_cmp("33.0.0-android", "33.0.0-jre"), -1);
}

TEST(version_maven_rejects_what_it_cannot_order)
{
	CHECK(maven_rejects(""));
	CHECK(maven_rejects("1.0 beta"));
	CHECK(maven_rejects("1.0\t"));
	CHECK(maven_rejects("1.0-\xc3\xa9t\xc3\xa9"));
}

TEST(version_maven_handles_long_versions)
{
	char a[400], b[400];

	for (int i = 0; i < 199; i++) {
		a[2 * i] = '1';
		a[2 * i + 1] = i % 2 ? '.' : 'a';
	}
	a[398] = '1';
	a[399] = '\0';
	memcpy(b, a, sizeof(b));
	b[398] = '2';
	CHECK_INT(maven_cmp(a, b), -1);
	CHECK_INT(maven_cmp(a, a), 0);
}

TEST(version_maven_answers_to_its_aliases)
{
	CHECK(version_scheme_find("Maven") == &version_scheme_maven);
	CHECK(version_scheme_find("gradle") == &version_scheme_maven);
}
