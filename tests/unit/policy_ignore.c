/* Ignore files: strict validation that fails closed, expiry, alias matching, and package and path scopes. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "policy_fixture.h"
#include "test.h"
#include "util/error.h"
#include "util/xalloc.h"

/* 2026-11-28 12:00:00 UTC */
#define NOW ((time_t)1795867200)

static int parse(const char *json, struct policy_ignore **out, struct strbuf *err)
{
	*out = NULL;
	return policy_ignore_parse(json, strlen(json), ".customsignore.json", out, err);
}

/* Parse json, expect ERR_BAD_INPUT, no result, and a message holding want. */
static void expect_bad(const char *json, const char *want)
{
	struct policy_ignore *ig = NULL;
	struct strbuf err = STRBUF_INIT;
	int ret = parse(json, &ig, &err);

	CHECK_INT(ret, ERR_BAD_INPUT);
	CHECK(ig == NULL);
	if (!strstr(err.buf, want)) {
		fprintf(stderr, "  message: %s\n  wanted: %s\n", err.buf, want);
		CHECK(!"the message names the problem");
	}
	CHECK(!strncmp(err.buf, "invalid ignore file '.customsignore.json': ", 43));
	CHECK(!strchr(err.buf, '\n'));
	policy_ignore_free(ig);
	strbuf_release(&err);
}

/* The scene with findings on libc6, openssl, both left-pads and @scope/pkg. */
static void scene(struct policy_fixture *f)
{
	policy_fixture_init(f);
	policy_fixture_scene(f);
	policy_fixture_finding(f, "CVE-2024-0001", "DSA-5000-1", 0, SEVERITY_CRITICAL, "2.36-9+deb12u5");
	policy_fixture_finding(f, "CVE-2024-0002", NULL, 1, SEVERITY_HIGH, NULL);
	policy_fixture_finding(f, "CVE-2024-0003", "GHSA-xxxx-yyyy-zzzz", 2, SEVERITY_MEDIUM, "1.3.1");
	policy_fixture_finding(f, "CVE-2024-0003", "GHSA-xxxx-yyyy-zzzz", 3, SEVERITY_MEDIUM, "1.3.1");
	policy_fixture_finding(f, "CVE-2024-0005", NULL, 4, SEVERITY_LOW, NULL);
}

/* Apply the ignore file json to a fresh scene and return the marks (in f->text). */
static const char *apply(struct policy_fixture *f, const char *json, size_t *suppressed)
{
	struct policy_ignore *ig = NULL;
	size_t n = 0;

	scene(f);
	if (parse(json, &ig, &f->err)) {
		fprintf(stderr, "  %s\n", f->err.buf);
		CHECK(!"the ignore file parses");
	} else {
		n = policy_apply_ignore(ig, f->res, &f->cat, NOW);
	}
	policy_ignore_free(ig);
	if (suppressed)
		*suppressed = n;
	return policy_fixture_marks(f);
}

TEST(policy_ignore_parses_every_field)
{
	struct policy_ignore *ig;
	struct strbuf err = STRBUF_INIT;

	CHECK_INT(parse("{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"reason\": \"not reachable\"},"
			" {\"id\": \"CVE-2024-0002\", \"package\": \"pkg:deb/debian/openssl\", \"path\": "
			"\"/var/lib/dpkg/status\","
			" \"reason\": \"r\", \"expires\": \"2024-02-29\"}]}",
			&ig, &err),
		  0);
	CHECK_INT(ig->nr_rules, 2);
	CHECK_STR(ig->source, ".customsignore.json");
	CHECK_STR(ig->rules[0].id, "CVE-2024-0001");
	CHECK_STR(ig->rules[0].reason, "not reachable");
	CHECK(ig->rules[0].package == NULL && ig->rules[0].path == NULL && ig->rules[0].expires == NULL);
	CHECK_INT(ig->rules[1].index, 1);
	CHECK_STR(ig->rules[1].package, "pkg:deb/debian/openssl");
	CHECK_STR(ig->rules[1].path, "var/lib/dpkg/status");
	CHECK_STR(ig->rules[1].expires, "2024-02-29");
	policy_ignore_free(ig);

	/* An empty list is valid and suppresses nothing. */
	CHECK_INT(parse("{\"ignore\": []}", &ig, &err), 0);
	CHECK_INT(ig->nr_rules, 0);
	policy_ignore_free(ig);
	strbuf_release(&err);
}

TEST(policy_ignore_bad_dates_fail_closed)
{
	static const char *const dates[] = {"2026-02-30", "2023-02-29", "2026-13-01", "2026-00-10",
					    "2026-04-31", "2026-1-01",	"20260101",   "2026-01-01T00:00:00Z",
					    "2026/01/01", "0000-01-01", "2026-01-32", "２０２６-01-01",
					    " 2026-01-01"};
	char json[256];

	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\"}, {\"id\": \"CVE-2024-0001\", "
			 "\"reason\": \"r\","
			 " \"expires\": \"%s\"}]}",
			 dates[i]);
		expect_bad(json, "ignore[1].expires: '");
	}
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"expires\": \"2026-02-30\"}]}",
		   "ignore[0].expires: '2026-02-30' is not a real date in the form YYYY-MM-DD");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"expires\": 20260101}]}",
		   "ignore[0].expires must be a string, not a number");
}

TEST(policy_ignore_malformed_rules_are_errors)
{
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\"}]}", "ignore[0].reason is missing");
	expect_bad("{\"ignore\": [{\"reason\": \"r\"}]}", "ignore[0].id is missing");
	expect_bad("{\"ignore\": [{\"id\": 7, \"reason\": \"r\"}]}",
		   "ignore[0].id must be a string, not a number");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": [\"r\"]}]}",
		   "ignore[0].reason must be a string, not an array");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": null}]}",
		   "ignore[0].reason must be a string, not null");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"\"}]}",
		   "ignore[0].reason must not be empty");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"package\": true}]}",
		   "ignore[0].package must be a string, not a boolean");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"expiry\": \"2027-01-01\"}]}",
		   "ignore[0]: unknown key 'expiry' (known: id, package, path, reason, expires)");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"id\": \"CVE-2\"}]}",
		   "ignore[0]: key 'id' appears twice");
	expect_bad("{\"ignore\": [\"CVE-1\"]}", "ignore[0] must be an object, not a string");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\"}, 5]}",
		   "ignore[1] must be an object, not a number");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"package\": \"pkg:\"}]}",
		   "ignore[0].package: 'pkg:' is not a valid package URL");
	expect_bad(
	    "{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"package\": \"pkg:deb/debian/x%zz\"}]}",
	    "ignore[0].package: 'pkg:deb/debian/x%zz' is not a valid package URL");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\", \"path\": \"../etc/passwd\"}]}",
		   "ignore[0].path: '../etc/passwd' is not a usable path in the image");
	expect_bad("{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"\xff\xfe\"}]}",
		   "ignore[0].reason is not valid UTF-8");
}

TEST(policy_ignore_malformed_files_are_errors)
{
	expect_bad("", "not valid JSON");
	expect_bad("{\"ignore\": [", "not valid JSON");
	expect_bad("[]", "the file must hold an object, not an array");
	expect_bad("{}", "the key 'ignore' is missing");
	expect_bad("{\"ignore\": {}}", "ignore must be an array, not an object");
	expect_bad("{\"ignore\": [], \"rules\": []}", "unknown top-level key 'rules' (known: ignore)");
	expect_bad("{\"ignore\": [], \"ignore\": []}", "the top level: key 'ignore' appears twice");
	expect_bad("{\"ignore\": []} {\"ignore\": []}", "unexpected data after the JSON value");
	{
		struct policy_ignore *ig = NULL;
		struct strbuf err = STRBUF_INIT;

		/* A NUL byte does not end the file early: what follows it is still read, and refused. */
		CHECK_INT(policy_ignore_parse("{\"ignore\": []}\0{\"x\": 1}", 23, "nul.json", &ig, &err),
			  ERR_BAD_INPUT);
		CHECK(strstr(err.buf, "unexpected data after the JSON value at byte 14"));
		CHECK(ig == NULL);
		strbuf_release(&err);
	}
	expect_bad("{\"ignore\": [], \"bad\x1b[0m\": 1}", "unknown top-level key 'bad?[0m'");
}

TEST(policy_ignore_one_bad_rule_suppresses_nothing)
{
	struct policy_fixture f;
	struct policy_ignore *ig = (struct policy_ignore *)1;
	const char *json = "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"reason\": \"r\"},"
			   " {\"id\": \"CVE-2024-0002\", \"reason\": \"r\", \"expires\": \"2026-02-30\"}]}";

	scene(&f);
	/* The first rule is fine; the second is broken, so the file as a whole is refused. */
	CHECK_INT(policy_ignore_parse(json, strlen(json), "x.json", &ig, &f.err), ERR_BAD_INPUT);
	CHECK(ig == (struct policy_ignore *)1);
	/* Applying nothing leaves every finding active. */
	CHECK_INT(policy_apply_ignore(NULL, f.res, &f.cat, NOW), 0);
	CHECK_STR(policy_fixture_marks(&f),
		  "CVE-2024-0001 -\nCVE-2024-0002 -\nCVE-2024-0003 -\nCVE-2024-0003 -\n"
		  "CVE-2024-0005 -\n");
	policy_fixture_release(&f);
}

TEST(policy_ignore_expiry)
{
	struct policy_fixture f;
	size_t n;
	static const char *const expired_words[] = {"ignore[0]", ".customsignore.json", "CVE-2024-0001",
						    "expired on 2026-11-27", NULL};

	/* Expired yesterday: no longer applies, and says so. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"reason\": \"wait for 12.5\", \"expires\": "
	      "\"2026-11-27\"}]}",
	      &n);
	CHECK_INT(n, 0);
	CHECK(!strstr(f.text.buf, "ignore:"));
	CHECK(policy_fixture_warned(&f, expired_words));
	policy_fixture_release(&f);

	/* Expiring today: applies through the whole day. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"reason\": \"wait for 12.5\", \"expires\": "
	      "\"2026-11-28\"}]}",
	      &n);
	CHECK_INT(n, 1);
	CHECK(strstr(f.text.buf, "CVE-2024-0001 ignore:wait for 12.5\n"));
	CHECK_INT(f.res->warnings.nr, 0);
	policy_fixture_release(&f);

	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"reason\": \"r\", \"expires\": \"2030-01-01\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
}

TEST(policy_ignore_matches_aliases)
{
	struct policy_fixture f;
	size_t n;

	apply(&f, "{\"ignore\": [{\"id\": \"GHSA-xxxx-yyyy-zzzz\", \"reason\": \"dev only\"}]}", &n);
	CHECK_INT(n, 2);
	CHECK_STR(f.text.buf, "CVE-2024-0001 -\nCVE-2024-0002 -\nCVE-2024-0003 ignore:dev only\n"
			      "CVE-2024-0003 ignore:dev only\nCVE-2024-0005 -\n");
	policy_fixture_release(&f);

	/* IDs compare case-insensitively; an ID nobody has matches nothing. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"dsa-5000-1\", \"reason\": \"r\"}, {\"id\": \"CVE-1999-0001\", "
	      "\"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	CHECK(strstr(f.text.buf, "CVE-2024-0001 ignore:r\n"));
	policy_fixture_release(&f);
}

TEST(policy_ignore_package_scope)
{
	struct policy_fixture f;
	size_t n;

	/* A versionless purl covers every version; the package's qualifiers need not be written. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"package\": \"pkg:deb/debian/libc6\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	/* The version may be written unencoded; it is compared decoded. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"package\": "
	      "\"pkg:deb/debian/libc6@2.36-9+deb12u4\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"package\": "
	      "\"pkg:deb/debian/libc6@2.36-9+deb12u3\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	/* Qualifiers the rule writes must match. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"package\": \"pkg:deb/debian/libc6?arch=arm64\", "
	      "\"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"package\": \"pkg:deb/debian/libc6?arch=amd64\", "
	      "\"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	/* Another package: the rule does not reach libc6. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"package\": \"pkg:deb/debian/openssl\", "
	      "\"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);

	/* Plain names, with or without a version, and npm scopes. */
	apply(&f, "{\"ignore\": [{\"id\": \"CVE-2024-0002\", \"package\": \"openssl\", \"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0002\", \"package\": \"openssl@3.0.11-1~deb12u2\", "
	      "\"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(
	    &f,
	    "{\"ignore\": [{\"id\": \"CVE-2024-0002\", \"package\": \"openssl@3.0.0\", \"reason\": \"r\"}]}",
	    &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0005\", \"package\": \"@scope/pkg\", \"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0005\", \"package\": \"@scope/pkg@1.2.3\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0005\", \"package\": \"pkg:npm/@scope/pkg@1.2.3\", "
	      "\"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0005\", \"package\": \"pkg:npm/%40scope/pkg\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0005\", \"package\": \"pkg:npm/pkg\", \"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
}

TEST(policy_ignore_path_scope)
{
	struct policy_fixture f;
	size_t n;

	/* Only the nested left-pad copy: its install path, written with a leading '/'. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0003\", \"path\": "
	      "\"/app/node_modules/@scope/pkg/node_modules/left-pad\","
	      " \"reason\": \"bundled, unused\"}]}",
	      &n);
	CHECK_INT(n, 1);
	CHECK_STR(f.text.buf, "CVE-2024-0001 -\nCVE-2024-0002 -\nCVE-2024-0003 -\n"
			      "CVE-2024-0003 ignore:bundled, unused\nCVE-2024-0005 -\n");
	policy_fixture_release(&f);
	/* A folder covers what lies below it; the package database file works for OS packages. */
	apply(
	    &f,
	    "{\"ignore\": [{\"id\": \"CVE-2024-0003\", \"path\": \"app/node_modules\", \"reason\": \"r\"}]}",
	    &n);
	CHECK_INT(n, 2);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0002\", \"path\": \"var/lib/dpkg/status\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	/* A prefix of a name is not a folder. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0003\", \"path\": \"app/node_modules/left\", \"reason\": "
	      "\"r\"}]}",
	      &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	/* Package and path together must both hold. */
	apply(&f,
	      "{\"ignore\": [{\"id\": \"CVE-2024-0003\", \"package\": \"left-pad@1.3.0\", \"path\": "
	      "\"app/node_modules/left-pad\","
	      " \"reason\": \"r\"}, {\"id\": \"CVE-2024-0003\", \"package\": \"openssl\", \"path\": \"app\", "
	      "\"reason\": \"r\"}]}",
	      &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
}

TEST(policy_ignore_keeps_earlier_suppression)
{
	struct policy_fixture f;
	struct policy_ignore *ig;

	scene(&f);
	f.res->findings[0].suppressed_by = "vex";
	f.res->findings[0].suppressed_reason = "fixed";
	CHECK_INT(parse("{\"ignore\": [{\"id\": \"CVE-2024-0001\", \"reason\": \"r\"}]}", &ig, &f.err), 0);
	CHECK_INT(policy_apply_ignore(ig, f.res, &f.cat, NOW), 0);
	CHECK_STR(f.res->findings[0].suppressed_by, "vex");
	CHECK_STR(f.res->findings[0].suppressed_reason, "fixed");
	/* Without the catalog a scoped rule cannot be checked, so it does not apply; an unscoped one does. */
	policy_ignore_free(ig);
	CHECK_INT(
	    parse("{\"ignore\": [{\"id\": \"CVE-2024-0002\", \"package\": \"openssl\", \"reason\": \"r\"},"
		  " {\"id\": \"CVE-2024-0005\", \"reason\": \"r\"}]}",
		  &ig, &f.err),
	    0);
	CHECK_INT(policy_apply_ignore(ig, f.res, NULL, NOW), 1);
	CHECK(f.res->findings[1].suppressed_by == NULL);
	CHECK_STR(f.res->findings[4].suppressed_by, "ignore");
	policy_ignore_free(ig);
	policy_fixture_release(&f);
}

TEST(policy_ignore_limits_and_files)
{
	struct policy_ignore *ig = NULL;
	struct strbuf err = STRBUF_INIT, big = STRBUF_INIT;
	char path[] = "/tmp/customs-policy-ignore-XXXXXX";
	const char *good = "{\"ignore\": [{\"id\": \"CVE-1\", \"reason\": \"r\"}]}";
	FILE *fp;
	int fd;

	/* Too many rules. */
	strbuf_addstr(&big, "{\"ignore\": [");
	for (int i = 0; i <= POLICY_IGNORE_MAX_RULES; i++)
		strbuf_addf(&big, "%s{\"id\": \"CVE-%d\", \"reason\": \"r\"}", i ? "," : "", i);
	strbuf_addstr(&big, "]}");
	CHECK_INT(policy_ignore_parse(big.buf, big.len, "big.json", &ig, &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "invalid ignore file 'big.json': too many rules: 10001, the limit is 10000"));
	CHECK(ig == NULL);
	/* Too many bytes. */
	strbuf_reset(&big);
	strbuf_addstr(&big, "{\"ignore\": []}");
	while (big.len <= POLICY_IGNORE_MAX_BYTES)
		strbuf_addstr(&big, "                                                                ");
	CHECK_INT(policy_ignore_parse(big.buf, big.len, "big.json", &ig, &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "ignore file 'big.json' is too large"));
	/* Deep nesting is refused by the parser, not by the stack. */
	strbuf_reset(&big);
	strbuf_addstr(&big, "{\"ignore\": ");
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&big, '[');
	CHECK_INT(policy_ignore_parse(big.buf, big.len, "deep.json", &ig, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "invalid ignore file 'deep.json': not valid JSON"));

	/* Files: missing, too large, and a good one. */
	CHECK_INT(policy_ignore_load("/nonexistent/.customsignore.json", &ig, &err), ERR_NOT_FOUND);
	CHECK(strstr(err.buf, "cannot open ignore file '/nonexistent/.customsignore.json'"));
	fd = mkstemp(path);
	CHECK(fd >= 0);
	fp = fdopen(fd, "w");
	fwrite(big.buf, 1, POLICY_IGNORE_MAX_BYTES + 1, fp);
	fclose(fp);
	CHECK_INT(policy_ignore_load(path, &ig, &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "is too large"));
	fp = fopen(path, "w");
	fputs(good, fp);
	fclose(fp);
	CHECK_INT(policy_ignore_load(path, &ig, &err), 0);
	CHECK_INT(ig->nr_rules, 1);
	CHECK_STR(ig->source, path);
	policy_ignore_free(ig);
	CHECK_INT(policy_ignore_load("/tmp", &ig, &err), ERR_BAD_INPUT);
	unlink(path);
	strbuf_release(&big);
	strbuf_release(&err);
}
