/* Unit tests for the Composer scheme: normalization forms, stabilities and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int composer_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_composer.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int composer_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_composer.compare("1.0", v, &result, &err);
	int named = strstr(err.buf, "invalid composer version") != NULL && !strchr(err.buf, '\n');

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_composer_normalizes_spellings)
{
	CHECK_INT(composer_cmp("v1.2", "1.2.0.0"), 0);
	CHECK_INT(composer_cmp("1", "1.0.0"), 0);
	CHECK_INT(composer_cmp("1.0.0+build", "1.0.0"), 0);
	CHECK_INT(composer_cmp("1.0.0@dev", "1.0.0"), 0);
	CHECK_INT(composer_cmp("1.2-b3", "1.2.0-beta3"), 0);
	CHECK_INT(composer_cmp("1.0-pl2", "1.0.0-patch2"), 0);
	CHECK_INT(composer_cmp("1.0.10", "1.0.9"), 1);
	/* A date has dots for separators; "2023.01.15" is a plain version, "2023.01.15.0". */
	CHECK_INT(composer_cmp("2023-01-15", "2023:01:15"), 0);
	CHECK_INT(composer_cmp("2023.01.15", "2023-01-15"), 1);
}

TEST(version_composer_orders_stabilities)
{
	static const char *const chain[] = {
		"1.0-dev", "1.0-alpha1", "1.0-beta", "1.0-beta2", "1.0-RC1", "1.0", "1.0-patch1", "1.0.1",
	};

	for (size_t i = 0; i + 1 < sizeof(chain) / sizeof(*chain); i++) {
		CHECK_INT(composer_cmp(chain[i], chain[i + 1]), -1);
		CHECK_INT(composer_cmp(chain[i + 1], chain[i]), 1);
	}
	CHECK_INT(composer_cmp("1.0-stable", "1.0"), 0);
	/* Only lowercase "stable" is dropped; PHP ranks the kept word below "dev". */
	CHECK_INT(composer_cmp("1.0-STABLE", "1.0-dev"), -1);
}

TEST(version_composer_orders_branches)
{
	CHECK_INT(composer_cmp("1.x-dev", "1.9999999.9999999.9999999-dev"), 0);
	CHECK_INT(composer_cmp("1.x-dev", "1.5"), 1);
	CHECK_INT(composer_cmp("1.x-dev", "2.0-alpha"), -1);
	CHECK_INT(composer_cmp("master", "dev-master"), 0);
	CHECK_INT(composer_cmp("dev-master", "0.1"), -1);
	CHECK(version_scheme_find("Packagist") == &version_scheme_composer);
}

TEST(version_composer_rejects_what_composer_rejects)
{
	CHECK(composer_rejects(""));
	CHECK(composer_rejects("1.0.0.0.0"));
	CHECK(composer_rejects("1.0-foo"));
	CHECK(composer_rejects("1.0-1"));
	CHECK(composer_rejects("dev"));
	CHECK(composer_rejects("feature-branch"));
	CHECK(composer_rejects("1.0 as 2.0"));
	CHECK(composer_rejects(" 1.0"));
	CHECK(composer_rejects("1.0\n"));
	CHECK(composer_rejects("not a version"));
}

TEST(version_composer_equals_itself)
{
	struct strbuf err = STRBUF_INIT;
	int result = 1;

	/* PHP's version_compare ranks this below itself; a version must equal itself. */
	CHECK_INT(version_scheme_composer.compare("dev-~-..", "dev-~-..", &result, &err), 0);
	CHECK_INT(result, 0);
	strbuf_release(&err);
}
