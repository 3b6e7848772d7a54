/* Unit tests for matching: OSV range semantics, explicit versions and version warnings. */
#include "match_fixture.h"
#include "test.h"

#define ECO VULNDB_RANGE_ECOSYSTEM
#define SEM VULNDB_RANGE_SEMVER

TEST(match_introduced_fixed)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, "debian", "12");
	a = match_fixture_advisory(&f, "CVE-2024-0001", NULL, "overflow", "high", NULL);
	match_fixture_affected(&f, a, "Debian:12", "openssl", ECO, "introduced=0 fixed=3.0.11-1~deb12u2",
			       NULL);
	match_fixture_package(&f, "deb", "libssl3", "3.0.11-1~deb12u1", "openssl", NULL);
	match_fixture_package(&f, "deb", "openssl", "3.0.11-1~deb12u2", NULL, NULL);
	match_fixture_package(&f, "deb", "libssl-dev", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1");
	match_fixture_run(&f);
	/* At exactly the fixed version, or past it, nothing. */
	CHECK_STR(match_fixture_findings(&f),
		  "CVE-2024-0001 libssl3@3.0.11-1~deb12u1 fixed=3.0.11-1~deb12u2 high/distribution []\n");
	CHECK_INT(f.res->nr_packages_looked_up, 3);
	CHECK_INT(f.res->counts[SEVERITY_HIGH], 1);
	CHECK_INT(f.res->warnings.nr, 0);
	CHECK_INT(f.res->findings[0].layer, 0);
	CHECK_STR(f.res->findings[0].ecosystem, "Debian:12");
	CHECK_STR(f.res->findings[0].title, "overflow");
	match_fixture_release(&f);
}

TEST(match_introduced_later)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-1111", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "x", ECO, "introduced=1.2.0 fixed=1.4.1", NULL);
	match_fixture_package(&f, "npm", "x", "1.1.9", NULL, NULL);
	match_fixture_package(&f, "npm", "x", "1.2.0", NULL, NULL);
	match_fixture_package(&f, "npm", "x", "1.4.0", NULL, NULL);
	match_fixture_package(&f, "npm", "x", "1.4.1", NULL, NULL);
	match_fixture_package(&f, "npm", "x", "2.0.0", NULL, NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f), "GHSA-1111 x@1.2.0 fixed=1.4.1 unknown/none []\n"
					      "GHSA-1111 x@1.4.0 fixed=1.4.1 unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_last_affected)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-2222", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "y", ECO, "introduced=1.0.0 last_affected=1.5.0", NULL);
	match_fixture_package(&f, "npm", "y", "0.9.0", NULL, NULL);
	match_fixture_package(&f, "npm", "y", "1.5.0", NULL, NULL);
	match_fixture_package(&f, "npm", "y", "1.5.1", NULL, NULL);
	match_fixture_run(&f);
	/* last_affected is inclusive, and names no fix. */
	CHECK_STR(match_fixture_findings(&f), "GHSA-2222 y@1.5.0 fixed=- unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_limit)
{
	struct match_fixture f;
	uint32_t a, b;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-3333", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "z", SEM, "introduced=1.0.0 limit=2.0.0", NULL);
	b = match_fixture_advisory(&f, "GHSA-4444", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, b, "npm", "w", SEM, "introduced=3.0.0 limit=*", NULL);
	match_fixture_package(&f, "npm", "z", "0.5.0", NULL, NULL);
	match_fixture_package(&f, "npm", "z", "1.9.9", NULL, NULL);
	match_fixture_package(&f, "npm", "z", "2.0.0", NULL, NULL);
	match_fixture_package(&f, "npm", "w", "9.0.0", NULL, NULL);
	match_fixture_run(&f);
	/* limit is an exclusive end but no fix; "*" is no limit at all. */
	CHECK_STR(match_fixture_findings(&f), "GHSA-4444 w@9.0.0 fixed=- unknown/none []\n"
					      "GHSA-3333 z@1.9.9 fixed=- unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_multiple_ranges)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-5555", NULL, NULL, NULL, NULL);
	/* Two windows in one range, given out of order, and a third in a second range. */
	match_fixture_affected(&f, a, "npm", "m", ECO,
			       "introduced=1.1.0 fixed=1.1.3 introduced=0 fixed=1.0.5", NULL);
	match_fixture_range(&f, SEM, "introduced=2.0.0 fixed=2.0.1");
	match_fixture_package(&f, "npm", "m", "1.0.4", NULL, NULL);
	match_fixture_package(&f, "npm", "m", "1.0.5", NULL, NULL);
	match_fixture_package(&f, "npm", "m", "1.0.6", NULL, NULL);
	match_fixture_package(&f, "npm", "m", "1.1.1", NULL, NULL);
	match_fixture_package(&f, "npm", "m", "1.1.3", NULL, NULL);
	match_fixture_package(&f, "npm", "m", "2.0.0", NULL, NULL);
	match_fixture_package(&f, "npm", "m", "2.0.1", NULL, NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f), "GHSA-5555 m@1.0.4 fixed=1.0.5 unknown/none []\n"
					      "GHSA-5555 m@1.1.1 fixed=1.1.3 unknown/none []\n"
					      "GHSA-5555 m@2.0.0 fixed=2.0.1 unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_explicit_versions)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-6666", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "v", ECO, NULL, "1.0.0 1.0.2");
	match_fixture_package(&f, "npm", "v", "1.0.0", NULL, NULL);
	match_fixture_package(&f, "npm", "v", "1.0.1", NULL, NULL);
	match_fixture_package(&f, "npm", "v", "1.0.2", NULL, NULL);
	match_fixture_package(&f, "npm", "v", "1.0.20", NULL, NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f), "GHSA-6666 v@1.0.0 fixed=- unknown/none []\n"
					      "GHSA-6666 v@1.0.2 fixed=- unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_unfixed)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, "debian", "12");
	/* The Debian tracker's open issues: introduced "0" and no fix. */
	a = match_fixture_advisory(&f, "CVE-2023-5678", NULL, NULL, "unimportant", NULL);
	match_fixture_affected(&f, a, "Debian:12", "glibc", ECO, "introduced=0", NULL);
	match_fixture_package(&f, "deb", "libc6", "2.36-9+deb12u4", "glibc", NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f),
		  "CVE-2023-5678 libc6@2.36-9+deb12u4 fixed=- low/distribution []\n");
	match_fixture_release(&f);
}

TEST(match_semver_prerelease)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-7777", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "pre", SEM, "introduced=0 fixed=2.0.0-rc.2", NULL);
	match_fixture_package(&f, "npm", "pre", "1.9.9", NULL, NULL);
	match_fixture_package(&f, "npm", "pre", "2.0.0-rc.1", NULL, NULL);
	match_fixture_package(&f, "npm", "pre", "2.0.0-rc.10", NULL, NULL);
	match_fixture_package(&f, "npm", "pre", "2.0.0-beta", NULL, NULL);
	match_fixture_package(&f, "npm", "pre", "2.0.0", NULL, NULL);
	match_fixture_run(&f);
	/* rc.10 > rc.2 numerically; beta < rc. */
	CHECK_STR(match_fixture_findings(&f), "GHSA-7777 pre@1.9.9 fixed=2.0.0-rc.2 unknown/none []\n"
					      "GHSA-7777 pre@2.0.0-beta fixed=2.0.0-rc.2 unknown/none []\n"
					      "GHSA-7777 pre@2.0.0-rc.1 fixed=2.0.0-rc.2 unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_deb_source_and_epoch)
{
	struct match_fixture f;
	uint32_t a, b;

	match_fixture_init(&f, "debian", "11");
	a = match_fixture_advisory(&f, "CVE-2023-0286", NULL, NULL, "high", NULL);
	match_fixture_affected(&f, a, "Debian:11", "openssl", ECO, "introduced=0 fixed=1:1.1.1n-0+deb11u4",
			       NULL);
	/* Published under the binary name: distributions do not, so this must not match libssl1.1. */
	b = match_fixture_advisory(&f, "CVE-2099-0001", NULL, NULL, "high", NULL);
	match_fixture_affected(&f, b, "Debian:11", "libssl1.1", ECO, "introduced=0", NULL);
	/* The binary version carries a binNMU suffix; the source version decides. */
	match_fixture_package(&f, "deb", "libssl1.1", "1:1.1.1n-0+deb11u3+b1", "openssl",
			      "1:1.1.1n-0+deb11u3");
	/* Without the epoch 1.1.1n would sort below every 0:... version; with it, it is past the fix. */
	match_fixture_package(&f, "deb", "openssl", "1:1.1.1w-0+deb11u1", NULL, NULL);
	match_fixture_package(&f, "deb", "openssl-old", "1.1.1z-9", "openssl", NULL);
	match_fixture_run(&f);
	CHECK_STR(
	    match_fixture_findings(&f),
	    "CVE-2023-0286 libssl1.1@1:1.1.1n-0+deb11u3+b1 fixed=1:1.1.1n-0+deb11u4 high/distribution []\n"
	    "CVE-2023-0286 openssl-old@1.1.1z-9 fixed=1:1.1.1n-0+deb11u4 high/distribution []\n");
	match_fixture_release(&f);
}

TEST(match_alpine_revision)
{
	struct match_fixture f;
	uint32_t a;

	match_fixture_init(&f, "alpine", "3.19.1");
	a = match_fixture_advisory(&f, "CVE-2023-45853", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "Alpine:v3.19", "zlib", ECO, "introduced=0 fixed=1.3-r2", NULL);
	match_fixture_package(&f, "apk", "zlib", "1.3-r1", "zlib", NULL);
	match_fixture_package(&f, "apk", "zlib-dev", "1.3-r2", "zlib", NULL);
	match_fixture_package(&f, "apk", "zlib-static", "1.3-r10", "zlib", NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f), "CVE-2023-45853 zlib@1.3-r1 fixed=1.3-r2 unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_pypi_name_normalised)
{
	struct match_fixture f;
	uint32_t a, b;

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "PYSEC-2024-1", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "PyPI", "zope-interface", ECO, "introduced=0 fixed=5.0", NULL);
	/* The importer stores the normal form ("PyYAML" as "pyyaml"); any installed spelling finds it. */
	b = match_fixture_advisory(&f, "PYSEC-2024-2", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, b, "PyPI", "pyyaml", ECO, "introduced=0 fixed=5.4", NULL);
	match_fixture_package(&f, "pypi", "Zope.._Interface", "4.7.post1", NULL, NULL);
	match_fixture_package(&f, "pypi", "PyYAML", "5.3.1", NULL, NULL);
	match_fixture_package(&f, "pypi", "zope-interface-x", "1.0", NULL, NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f),
		  "PYSEC-2024-2 PyYAML@5.3.1 fixed=5.4 unknown/none []\n"
		  "PYSEC-2024-1 Zope.._Interface@4.7.post1 fixed=5.0 unknown/none []\n");
	match_fixture_release(&f);
}

TEST(match_ecosystem_mismatch)
{
	struct match_fixture f;
	uint32_t a, b;

	match_fixture_init(&f, "debian", "12");
	a = match_fixture_advisory(&f, "GHSA-npm1", NULL, NULL, "critical", NULL);
	match_fixture_affected(&f, a, "npm", "curl", ECO, "introduced=0", NULL);
	/* Another release of the same distribution is another ecosystem too. */
	b = match_fixture_advisory(&f, "CVE-2022-0001", NULL, NULL, "high", NULL);
	match_fixture_affected(&f, b, "Debian:11", "curl", ECO, "introduced=0", NULL);
	match_fixture_package(&f, "deb", "curl", "7.88.1-10", "curl", NULL);
	match_fixture_package(&f, "npm", "Curl", "1.0.0", NULL, NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f), "");
	CHECK_INT(f.res->nr_packages_looked_up, 2);
	match_fixture_release(&f);
}

TEST(match_absent_package)
{
	struct match_fixture f;

	match_fixture_init(&f, "debian", "12");
	match_fixture_package(&f, "deb", "bash", "5.2.15-2+b2", "bash", "5.2.15-2");
	match_fixture_run(&f);
	CHECK_INT(f.res->nr_findings, 0);
	CHECK_INT(f.res->warnings.nr, 0);
	match_fixture_release(&f);
}

TEST(match_invalid_installed_version)
{
	struct match_fixture f;
	uint32_t a, b;
	const char *const words[] = {"'bad'", "npm", "not-a-version", NULL};

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-8888", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "bad", ECO, "introduced=0 fixed=1.0.0", NULL);
	match_fixture_range(&f, SEM, "introduced=2.0.0");
	b = match_fixture_advisory(&f, "GHSA-9999", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, b, "npm", "bad", ECO, "introduced=0 fixed=1.0.0", "not-a-version");
	match_fixture_package(&f, "npm", "bad", "not-a-version", NULL, NULL);
	match_fixture_run(&f);
	/* Ranges cannot hold it, but an explicit version list names it exactly. */
	CHECK_STR(match_fixture_findings(&f), "GHSA-9999 bad@not-a-version fixed=- unknown/none []\n");
	CHECK_INT(f.res->warnings.nr, 1);
	CHECK(match_fixture_warned(&f, words));
	match_fixture_release(&f);
}

TEST(match_invalid_event_version)
{
	struct match_fixture f;
	uint32_t a, b;
	const char *const words[] = {"GHSA-aaaa", "'ev'", "npm", "1.x.y", NULL};

	match_fixture_init(&f, NULL, NULL);
	a = match_fixture_advisory(&f, "GHSA-aaaa", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "npm", "ev", ECO, "introduced=0 fixed=1.x.y", NULL);
	b = match_fixture_advisory(&f, "GHSA-bbbb", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, b, "npm", "ev", ECO, "introduced=0 fixed=2.0.0", NULL);
	match_fixture_package(&f, "npm", "ev", "1.0.0", NULL, NULL);
	match_fixture_package(&f, "npm", "ev", "1.0.1", NULL, NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f), "GHSA-bbbb ev@1.0.0 fixed=2.0.0 unknown/none []\n"
					      "GHSA-bbbb ev@1.0.1 fixed=2.0.0 unknown/none []\n");
	/* One warning for the bad value, not one per package. */
	CHECK_INT(f.res->warnings.nr, 1);
	CHECK(match_fixture_warned(&f, words));
	match_fixture_release(&f);
}

TEST(match_smallest_fix)
{
	struct match_fixture f;
	uint32_t a, b, c;

	match_fixture_init(&f, "debian", "12");
	/* The tracker and a DSA name different fixes, a third advisory none. */
	a = match_fixture_advisory(&f, "CVE-2024-1000", NULL, NULL, NULL, NULL);
	match_fixture_affected(&f, a, "Debian:12", "curl", ECO, "introduced=0 fixed=7.88.1-10+deb12u6", NULL);
	b = match_fixture_advisory(&f, "DSA-5500-1", "CVE-2024-1000", NULL, NULL, NULL);
	match_fixture_affected(&f, b, "Debian:12", "curl", ECO, "introduced=0 fixed=7.88.1-10+deb12u5", NULL);
	c = match_fixture_advisory(&f, "DLA-1-1", "CVE-2024-1000", NULL, NULL, NULL);
	match_fixture_affected(&f, c, "Debian:12", "curl", ECO, "introduced=0", NULL);
	match_fixture_package(&f, "deb", "curl", "7.88.1-10+deb12u4", NULL, NULL);
	match_fixture_package(&f, "deb", "libcurl4", "7.88.1-10+deb12u5", "curl", NULL);
	match_fixture_run(&f);
	CHECK_STR(
	    match_fixture_findings(&f),
	    "CVE-2024-1000 curl@7.88.1-10+deb12u4 fixed=7.88.1-10+deb12u5 unknown/none [DLA-1-1,DSA-5500-1]\n"
	    "CVE-2024-1000 libcurl4@7.88.1-10+deb12u5 fixed=7.88.1-10+deb12u6 unknown/none [DLA-1-1]\n");
	match_fixture_release(&f);
}

TEST(match_shared_source_package)
{
	struct match_fixture f;
	uint32_t a;
	struct package *p;
	const char *const first[] = {"'libfoo1'", "'1.0-1 bad'", NULL};
	const char *const second[] = {"'libfoo-dev'", "'1.0-1 bad'", NULL};

	match_fixture_init(&f, "debian", "12");
	a = match_fixture_advisory(&f, "CVE-2024-7", "DSA-7-1", "foo bug", "medium", NULL);
	match_fixture_affected(&f, a, "Debian:12", "foo", ECO, "introduced=0 fixed=1.0-2", NULL);
	/* Binaries of one source share their findings, each with its own package and layer. */
	p = match_fixture_package(&f, "deb", "foo-bin", "1.0-1", "foo", NULL);
	p->layer = 3;
	p = match_fixture_package(&f, "deb", "libfoo", "1.0-1+b1", "foo", "1.0-1");
	p->layer = 5;
	/* A version the comparator rejects warns once for each package that has it. */
	match_fixture_package(&f, "deb", "libfoo1", "1.0-1 bad", "foo", NULL);
	match_fixture_package(&f, "deb", "libfoo-dev", "1.0-1 bad", "foo", NULL);
	match_fixture_run(&f);
	CHECK_STR(match_fixture_findings(&f),
		  "CVE-2024-7 foo-bin@1.0-1 fixed=1.0-2 medium/distribution [DSA-7-1]\n"
		  "CVE-2024-7 libfoo@1.0-1+b1 fixed=1.0-2 medium/distribution [DSA-7-1]\n");
	if (f.res->nr_findings == 2) {
		CHECK_INT(f.res->findings[0].layer, 3);
		CHECK_INT(f.res->findings[1].layer, 5);
		CHECK_INT(f.res->findings[1].package, 1);
		CHECK_STR(f.res->findings[1].title, "foo bug");
	}
	CHECK_INT(f.res->warnings.nr, 2);
	CHECK(match_fixture_warned(&f, first));
	CHECK(match_fixture_warned(&f, second));
	match_fixture_release(&f);
}
