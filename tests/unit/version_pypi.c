/* Unit tests for the pypi version scheme: PEP 440 spellings, ordering of pre/post/dev/local parts and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int pypi_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_pypi.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int pypi_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_pypi.compare("1.0", v, &result, &err);
	int named = strstr(err.buf, "invalid pypi version") != NULL && !strchr(err.buf, '\n');

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_pypi_orders_release_and_epoch)
{
	CHECK_INT(pypi_cmp("1.0", "1.0.0.0"), 0);
	CHECK_INT(pypi_cmp("01.02", "1.2"), 0);
	CHECK_INT(pypi_cmp("1.10", "1.9"), 1);
	CHECK_INT(pypi_cmp("v1.0", "V1.0"), 0);
	CHECK_INT(pypi_cmp("1!0.1", "2024.1"), 1);
	CHECK_INT(pypi_cmp("0!1.0", "1.0"), 0);
	CHECK_INT(pypi_cmp("1.99999999999999999999999", "1.100000000000000000000000"), -1);
}

TEST(version_pypi_orders_pre_post_dev)
{
	/* dev of the release < its alphas < betas < rcs < release < post releases */
	CHECK_INT(pypi_cmp("1.0.dev1", "1.0a1"), -1);
	CHECK_INT(pypi_cmp("1.0a1.dev1", "1.0a1"), -1);
	CHECK_INT(pypi_cmp("1.0a2", "1.0b1"), -1);
	CHECK_INT(pypi_cmp("1.0b2", "1.0rc1"), -1);
	CHECK_INT(pypi_cmp("1.0rc1", "1.0"), -1);
	CHECK_INT(pypi_cmp("1.0", "1.0.post0.dev1"), -1);
	CHECK_INT(pypi_cmp("1.0.post1.dev1", "1.0.post1"), -1);
	CHECK_INT(pypi_cmp("1.0a1.post1", "1.0a2"), -1);
	/* alternate spellings normalise */
	CHECK_INT(pypi_cmp("1.0alpha1", "1.0a1"), 0);
	CHECK_INT(pypi_cmp("1.0-BETA_2", "1.0b2"), 0);
	CHECK_INT(pypi_cmp("1.0c1", "1.0rc1"), 0);
	CHECK_INT(pypi_cmp("1.0preview", "1.0rc0"), 0);
	CHECK_INT(pypi_cmp("1.0-1", "1.0.post1"), 0);
	CHECK_INT(pypi_cmp("1.0rev", "1.0.post0"), 0);
	CHECK_INT(pypi_cmp("1.0-r2", "1.0post2"), 0);
	CHECK_INT(pypi_cmp("1.0a.", "1.0a0"), 0);
	CHECK_INT(pypi_cmp("1.0-dev", "1.0.dev0"), 0);
}

TEST(version_pypi_orders_local_labels)
{
	CHECK_INT(pypi_cmp("1.0", "1.0+a"), -1);
	CHECK_INT(pypi_cmp("1.0+a", "1.0+1"), -1);
	CHECK_INT(pypi_cmp("1.0+01", "1.0+1"), 0);
	CHECK_INT(pypi_cmp("1.0+ubuntu10", "1.0+ubuntu2"), -1);
	CHECK_INT(pypi_cmp("1.0+ubuntu.10", "1.0+ubuntu.2"), 1);
	CHECK_INT(pypi_cmp("1.0+a", "1.0+a.0"), -1);
	CHECK_INT(pypi_cmp("1.0+A-b_c", "1.0+a.b.c"), 0);
	CHECK_INT(pypi_cmp("1.0+x", "1.0.post1"), -1);
}

TEST(version_pypi_rejects_malformed)
{
	CHECK(pypi_rejects(""));
	CHECK(pypi_rejects(" 1.0"));
	CHECK(pypi_rejects("1.0\n"));
	CHECK(pypi_rejects("1.0-"));
	CHECK(pypi_rejects("1..0"));
	CHECK(pypi_rejects(".1"));
	CHECK(pypi_rejects("1!"));
	CHECK(pypi_rejects("1.0+"));
	CHECK(pypi_rejects("1.0+a..b"));
	CHECK(pypi_rejects("1.0-1-1"));
	CHECK(pypi_rejects("1.0.x"));
	CHECK(pypi_rejects("latest"));
	CHECK(pypi_rejects("1.0\xc3\xa9"));
}

TEST(version_pypi_answers_to_its_aliases)
{
	CHECK(version_scheme_find("PyPI") == &version_scheme_pypi);
	CHECK(version_scheme_find("python") == &version_scheme_pypi);
	CHECK(version_scheme_find("pip") == &version_scheme_pypi);
}
