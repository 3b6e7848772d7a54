/* Unit tests for the RubyGems version scheme: segments, pre-releases and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int gem_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_gem.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int gem_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_gem.compare("1.0", v, &result, &err);
	int named = err.len > 0 && strstr(err.buf, "invalid gem version") != NULL;

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_gem_orders_numbers)
{
	CHECK_INT(gem_cmp("1.0", "1.1"), -1);
	CHECK_INT(gem_cmp("1.10", "1.9"), 1);
	CHECK_INT(gem_cmp("1.0.0", "1"), 0);
	CHECK_INT(gem_cmp("1.01", "1.1"), 0);
	CHECK_INT(gem_cmp("7.0.4.1", "7.0.4"), 1);
	CHECK_INT(gem_cmp("123456789012345678901234567891", "123456789012345678901234567890"), 1);
}

TEST(version_gem_orders_prereleases)
{
	CHECK_INT(gem_cmp("1.0.a", "1.0"), -1);
	CHECK_INT(gem_cmp("1.0.rc1", "1.0.beta2"), 1);
	CHECK_INT(gem_cmp("1.0-rc1", "1.0.pre.rc1"), 0);
	CHECK_INT(gem_cmp("1.0.0.a", "1.a"), 0);
	CHECK_INT(gem_cmp("1.0.a.0", "1.0.a"), 0);
	CHECK_INT(gem_cmp("1.0.A", "1.0.a"), -1);
	CHECK_INT(gem_cmp("2.0.0.p1", "2.0.0"), -1);
	CHECK_INT(gem_cmp("1.0.a", "1.0.aa"), -1);
}

TEST(version_gem_rejects_malformed)
{
	CHECK(gem_rejects(""));
	CHECK(gem_rejects("v1.0"));
	CHECK(gem_rejects("1a"));
	CHECK(gem_rejects("1..0"));
	CHECK(gem_rejects("1.0."));
	CHECK(gem_rejects("1.0-"));
	CHECK(gem_rejects("1.0+build"));
	CHECK(gem_rejects("1.0 "));
	CHECK(gem_rejects("1.0_1"));
}

TEST(version_gem_found_by_ecosystem)
{
	CHECK(version_scheme_find("RubyGems") == &version_scheme_gem);
	CHECK(version_scheme_find("gem") == &version_scheme_gem);
}
