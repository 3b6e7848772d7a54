/* Unit tests for the deb version scheme: dpkg's ordering of epochs, upstream versions, revisions and rejects. */
#include <string.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "version/version.h"

static int deb_cmp(const char *a, const char *b)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;

	CHECK_INT(version_scheme_deb.compare(a, b, &result, &err), 0);
	strbuf_release(&err);
	return result;
}

static int deb_rejects(const char *v)
{
	struct strbuf err = STRBUF_INIT;
	int result = 99;
	int rc = version_scheme_deb.compare(v, "1.0", &result, &err);
	int named = strstr(err.buf, "invalid deb version") != NULL && !strchr(err.buf, '\n');

	strbuf_release(&err);
	return rc == ERR_BAD_INPUT && named && result == 99;
}

TEST(version_deb_orders_upstream_and_revision)
{
	CHECK_INT(deb_cmp("1.0", "1.1"), -1);
	CHECK_INT(deb_cmp("1.10", "1.9"), 1);
	CHECK_INT(deb_cmp("1.01", "1.1"), 0);
	CHECK_INT(deb_cmp("1.0", "1.0-0"), 0);
	CHECK_INT(deb_cmp("1.0-1", "1.0-2"), -1);
	CHECK_INT(deb_cmp("1.0-1-1", "1.0-1"), 1);
	CHECK_INT(deb_cmp("1.0a", "1.0"), 1);
	/* Letters sort before punctuation, so "a" is older than "+" or ".". */
	CHECK_INT(deb_cmp("1.0a", "1.0+"), -1);
	CHECK_INT(deb_cmp("1.0+", "1.0."), -1);
	CHECK_INT(deb_cmp("1.0A", "1.0a"), -1);
	CHECK_INT(deb_cmp("1.2.3-1+deb12u1", "1.2.3-1"), 1);
	CHECK_INT(deb_cmp("1.99999999999999999999999", "1.100000000000000000000000"), -1);
}

TEST(version_deb_orders_tilde_and_epoch)
{
	CHECK_INT(deb_cmp("1.0~rc1", "1.0"), -1);
	CHECK_INT(deb_cmp("1.0~~", "1.0~"), -1);
	CHECK_INT(deb_cmp("1.0~", "1.0~a"), -1);
	CHECK_INT(deb_cmp("1.2.3+dfsg1-1~bpo12+1", "1.2.3+dfsg1-1"), -1);
	CHECK_INT(deb_cmp("1:0.1", "9.9"), 1);
	CHECK_INT(deb_cmp("0:1.0", "1.0"), 0);
	CHECK_INT(deb_cmp("01:1.0", "1:1.0"), 0);
	CHECK_INT(deb_cmp("1:2:3", "1:2:4"), -1);
	CHECK_INT(deb_cmp("2147483647:1", "2:1"), 1);
}

TEST(version_deb_rejects_malformed)
{
	CHECK(deb_rejects(""));
	CHECK(deb_rejects(" 1.0"));
	CHECK(deb_rejects("1.0\n"));
	CHECK(deb_rejects("1 .0"));
	CHECK(deb_rejects(":1.0"));
	CHECK(deb_rejects("x:1.0"));
	CHECK(deb_rejects("1:"));
	CHECK(deb_rejects("1.0-"));
	CHECK(deb_rejects("1:-1"));
	CHECK(deb_rejects("2147483648:1"));
	CHECK(deb_rejects("a1.0"));
	CHECK(deb_rejects("1.0_1"));
	CHECK(deb_rejects("1.0-1:2"));
	CHECK(deb_rejects("1.0-1_1"));
	CHECK(deb_rejects("1.0\xc3\xa9"));
}

TEST(version_deb_found_by_ecosystem)
{
	CHECK(version_scheme_find("Debian:12") == &version_scheme_deb);
	CHECK(version_scheme_find("Ubuntu:22.04:LTS") == &version_scheme_deb);
	CHECK(version_scheme_find("dpkg") == &version_scheme_deb);
}
