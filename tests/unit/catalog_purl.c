/* Unit tests for purl_build: encoding, namespaces and qualifier order. */
#include "test.h"

#include "catalog/catalog.h"

TEST(purl_deb_with_qualifiers_sorted)
{
	struct arena a = ARENA_INIT;
	const char *q[] = {"distro", "debian-12", "arch", "amd64", NULL};

	CHECK_STR(purl_build(&a, "deb", "debian", "curl", "7.88.1-10+deb12u5", q),
		  "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12");
	arena_release(&a);
}

TEST(purl_epoch_colon_is_encoded)
{
	struct arena a = ARENA_INIT;
	const char *q[] = {"arch", "amd64", NULL};

	CHECK_STR(purl_build(&a, "deb", "debian", "attr", "1:2.5.1-4", q),
		  "pkg:deb/debian/attr@1%3A2.5.1-4?arch=amd64");
	arena_release(&a);
}

TEST(purl_npm_scope)
{
	struct arena a = ARENA_INIT;

	CHECK_STR(purl_build(&a, "npm", "@babel", "parser", "7.23.6", NULL),
		  "pkg:npm/%40babel/parser@7.23.6");
	CHECK_STR(purl_build(&a, "npm", NULL, "ms", "2.1.1", NULL), "pkg:npm/ms@2.1.1");
	arena_release(&a);
}

TEST(purl_empty_qualifiers_skipped)
{
	struct arena a = ARENA_INIT;
	const char *q[] = {"distro", "", "arch", NULL, "zeta", "1", NULL};

	CHECK_STR(purl_build(&a, "apk", "alpine", "musl", "1.2.4-r2", q),
		  "pkg:apk/alpine/musl@1.2.4-r2?zeta=1");
	CHECK_STR(purl_build(&a, "apk", "alpine", "musl", NULL, NULL), "pkg:apk/alpine/musl");
	arena_release(&a);
}

TEST(purl_everything_else_encoded)
{
	struct arena a = ARENA_INIT;
	const char *q[] = {"k", "a b/c&d=e", NULL};

	/* Only A-Z a-z 0-9 . - _ ~ stay bare; a '/' in a name cannot pass for a namespace. */
	CHECK_STR(purl_build(&a, "GENERIC", "a/b c", "x/y@z", "1.0 ~beta", q),
		  "pkg:generic/a/b%20c/x%2Fy%40z@1.0%20~beta?k=a%20b%2Fc%26d%3De");
	CHECK_STR(purl_build(&a, "generic", "", "\xc3\xa9", NULL, NULL), "pkg:generic/%C3%A9");
	CHECK(purl_build(&a, "generic", NULL, "", "1", NULL) == NULL);
	CHECK(purl_build(&a, "generic", NULL, NULL, "1", NULL) == NULL);
	arena_release(&a);
}
