/* Unit tests for the SemVer scheme (npm, Go, crates.io, NuGet): precedence and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int npm_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_npm.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int npm_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_npm.compare("1.0.0", v, &result, &err);
	int named = strstr(err.buf, "invalid npm version") != NULL && !strchr(err.buf, '\n');

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_npm_orders_core_numbers)
{
	CHECK_INT(npm_cmp("1.0.0", "1.0.1"), -1);
	CHECK_INT(npm_cmp("1.10.0", "1.9.9"), 1);
	CHECK_INT(npm_cmp("2.0.0", "10.0.0"), -1);
	CHECK_INT(npm_cmp("9007199254740991.0.0", "9007199254740990.9.9"), 1);
}

TEST(version_npm_orders_prereleases_as_semver_says)
{
	/* The example chain from the SemVer 2.0.0 text, item 11. */
	static const char *const chain[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
	};

	for (size_t i = 0; i + 1 < sizeof(chain) / sizeof(*chain); i++) {
		CHECK_INT(npm_cmp(chain[i], chain[i + 1]), -1);
		CHECK_INT(npm_cmp(chain[i + 1], chain[i]), 1);
	}
	CHECK_INT(npm_cmp("1.0.0-2", "1.0.0-10"), -1);
	CHECK_INT(npm_cmp("1.0.0-9", "1.0.0-a"), -1);
	CHECK_INT(npm_cmp("1.0.0-Z", "1.0.0-a"), -1);
	CHECK_INT(npm_cmp("1.0.0-0a", "1.0.0-1"), 1);
}

TEST(version_npm_ignores_build_metadata_and_v)
{
	CHECK_INT(npm_cmp("1.0.0+build.1", "1.0.0+build.2"), 0);
	CHECK_INT(npm_cmp("1.0.0-rc.1+x", "1.0.0-rc.1"), 0);
	CHECK_INT(npm_cmp("v1.2.3", "1.2.3"), 0);
	CHECK_INT(npm_cmp("v2.0.0+incompatible", "v2.0.1"), -1);
	CHECK_INT(npm_cmp("v0.0.0-20210101000000-abcdef123456", "v0.0.0-20191109021931-daa7c04131f5"), 1);
}

TEST(version_npm_finds_its_ecosystems)
{
	CHECK(version_scheme_find("Go") == &version_scheme_npm);
	CHECK(version_scheme_find("crates.io") == &version_scheme_npm);
	CHECK(version_scheme_find("NuGet") == &version_scheme_npm);
	CHECK(version_scheme_find("npm") == &version_scheme_npm);
}

TEST(version_npm_rejects_what_node_semver_rejects)
{
	CHECK(npm_rejects(""));
	CHECK(npm_rejects("1.0"));
	CHECK(npm_rejects("1.0.0.0"));
	CHECK(npm_rejects("01.0.0"));
	CHECK(npm_rejects("1.0.0-01"));
	CHECK(npm_rejects("1.0.0-"));
	CHECK(npm_rejects("1.0.0-a..b"));
	CHECK(npm_rejects("1.0.0+"));
	CHECK(npm_rejects("1.0.0-a_b"));
	CHECK(npm_rejects("V1.0.0"));
	CHECK(npm_rejects("=1.0.0"));
	CHECK(npm_rejects(" 1.0.0"));
	CHECK(npm_rejects("1.0.0\n"));
	CHECK(npm_rejects("9007199254740992.0.0"));
	CHECK(npm_rejects("not a version"));
}
