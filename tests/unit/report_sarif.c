/* Unit tests for the SARIF writer, and the short names, hashes and UUIDs it shares with the others. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/findings.h"
#include "report_scan_fixture.h"
#include "test.h"
#include "util/xalloc.h"

static const cJSON *at(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = at(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static cJSON *render_sarif(struct scan_fixture *s)
{
	char *text = scan_fixture_render(&report_writer_sarif, s);
	cJSON *doc = cJSON_Parse(text);

	CHECK(doc != NULL);
	free(text);
	return doc ? doc : cJSON_CreateObject();
}

static const cJSON *run_of(const cJSON *doc)
{
	return cJSON_GetArrayItem(at(doc, "runs"), 0);
}

static const cJSON *rule_by_id(const cJSON *run, const char *id)
{
	const cJSON *rule;

	cJSON_ArrayForEach(rule, at(at(at(run, "tool"), "driver"), "rules"))
		if (str_at(rule, "id") && !strcmp(str_at(rule, "id"), id))
			return rule;
	return NULL;
}

static const char *uri_of(const cJSON *result)
{
	const cJSON *loc = cJSON_GetArrayItem(at(result, "locations"), 0);
	return str_at(at(at(loc, "physicalLocation"), "artifactLocation"), "uri");
}

static const char *fingerprint_of(const cJSON *result)
{
	return str_at(at(result, "partialFingerprints"), "primaryLocationLineHash");
}

static char *short_name(const char *tag, const char *source)
{
	struct image img = { .source = source };
	struct strbuf sb = STRBUF_INIT;

	if (tag) {
		img.repo_tags = &tag;
		img.nr_repo_tags = 1;
	}
	report_image_short_name(&sb, &img);
	return strbuf_detach(&sb, NULL);
}

#define CHECK_SHORT(tag, source, want)                \
	do {                                          \
		char *got_ = short_name(tag, source); \
		CHECK_STR(got_, want);                \
		free(got_);                           \
	} while (0)

TEST(report_sarif_image_short_names)
{
	CHECK_SHORT("example/app:1.0", NULL, "example/app");
	CHECK_SHORT("registry.example:5000/team/app:1.0@sha256:abcd", NULL, "team/app");
	CHECK_SHORT("localhost/app", NULL, "app");
	CHECK_SHORT("localhost:5000/app:2", NULL, "app");
	CHECK_SHORT("debian", NULL, "debian");
	CHECK_SHORT("team/app@sha256:abcd", NULL, "team/app");
	CHECK_SHORT(NULL, "oci:build/app:1", "app");
	CHECK_SHORT(NULL, "oci:build/app", "app");
	CHECK_SHORT(NULL, "dir:/srv/rootfs/", "rootfs");
	CHECK_SHORT(NULL, "images/app.tar.gz", "app");
	CHECK_SHORT(NULL, "app.tar", "app");
	CHECK_SHORT(NULL, "-", "image");
	CHECK_SHORT(NULL, NULL, "image");
	CHECK_SHORT("", "a b\xff?.tar", "a-b--");
	/* Nothing a URI would read as a parent folder or an absolute path. */
	CHECK_SHORT("../../x", NULL, "_./x");
	CHECK_SHORT(NULL, "dir:..", "_.");
	CHECK_SHORT("/lead:1", NULL, "lead");
	{
		char long_tag[400], *got;

		memset(long_tag, 'a', sizeof(long_tag) - 1);
		long_tag[sizeof(long_tag) - 1] = '\0';
		long_tag[129] = '/';
		got = short_name(long_tag, NULL);
		CHECK_INT(strlen(got), 128);
		free(got);
	}
}

TEST(report_sarif_hash_and_uuid)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	report_hash_hex(&a, 8, "ab", "c", NULL);
	report_hash_hex(&b, 8, "a", "bc", NULL);
	CHECK_INT(a.len, 16);
	CHECK(strcmp(a.buf, b.buf) != 0);
	strbuf_reset(&a);
	strbuf_reset(&b);
	report_name_uuid(&a, "x", "y", NULL);
	report_name_uuid(&b, "x", "y", NULL);
	CHECK_STR(a.buf, b.buf);
	CHECK_INT(a.len, 36);
	CHECK(a.buf[8] == '-' && a.buf[13] == '-' && a.buf[18] == '-' && a.buf[23] == '-');
	CHECK(a.buf[14] == '8');
	CHECK(strchr("89ab", a.buf[19]) != NULL);
	strbuf_release(&a);
	strbuf_release(&b);
}

TEST(report_sarif_document)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *run, *driver, *rules, *results, *rule, *props, *tags, *r;

	scan_fixture_init(&s);
	doc = render_sarif(&s);
	CHECK_STR(str_at(doc, "version"), "2.1.0");
	CHECK_STR(str_at(doc, "$schema"),
		  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
	CHECK_INT(cJSON_GetArraySize(at(doc, "runs")), 1);
	run = run_of(doc);
	driver = at(at(run, "tool"), "driver");
	CHECK_STR(str_at(driver, "name"), "customs");
	CHECK_STR(str_at(driver, "version"), "0.1.0");
	CHECK_STR(str_at(at(run, "automationDetails"), "id"), "customs/example/app/");

	/* One rule per ID: the GHSA on both copies of left-pad is one rule. */
	rules = at(driver, "rules");
	results = at(run, "results");
	CHECK_INT(cJSON_GetArraySize(rules), 6);
	CHECK_INT(cJSON_GetArraySize(results), SCAN_FIXTURE_FINDINGS);
	cJSON_ArrayForEach(r, results) {
		const cJSON *idx = at(r, "ruleIndex");
		rule = cJSON_GetArrayItem(rules, cJSON_IsNumber(idx) ? idx->valueint : -1);
		CHECK(rule && !strcmp(str_at(rule, "id"), str_at(r, "ruleId")));
		CHECK(str_at(at(r, "message"), "text") && *str_at(at(r, "message"), "text"));
		CHECK(at(at(cJSON_GetArrayItem(at(r, "locations"), 0), "physicalLocation"), "region") != NULL);
	}
	cJSON_ArrayForEach(rule, rules) {
		CHECK(str_at(at(rule, "shortDescription"), "text") != NULL);
		CHECK(str_at(at(rule, "fullDescription"), "text") != NULL);
		CHECK(str_at(at(rule, "help"), "text") != NULL);
		CHECK(str_at(at(rule, "help"), "markdown") != NULL);
		tags = at(at(rule, "properties"), "tags");
		CHECK(cJSON_IsArray(tags) && cJSON_GetArraySize(tags) <= 10);
		CHECK_STR(cJSON_GetArrayItem(tags, 0)->valuestring, "security");
	}

	/* security-severity: the CVSS score when it agrees with the severity, else the severity's value. */
	CHECK_STR(str_at(at(rule_by_id(run, "CVE-2024-1111"), "properties"), "security-severity"), "9.8");
	CHECK_STR(str_at(at(rule_by_id(run, "CVE-2023-4911"), "properties"), "security-severity"), "7.8");
	CHECK_STR(str_at(at(rule_by_id(run, "CVE-2023-9999"), "properties"), "security-severity"), "8.0");
	CHECK_STR(str_at(at(rule_by_id(run, "GHSA-aaaa-bbbb-cccc"), "properties"), "security-severity"), "5.5");
	CHECK_STR(str_at(at(rule_by_id(run, "CVE-2024-0003"), "properties"), "security-severity"), "1.0");
	/* An unrated finding has no score: GitHub then shows its level. */
	CHECK(at(at(rule_by_id(run, "OSV-2024-1"), "properties"), "security-severity") == NULL);
	props = at(rule_by_id(run, "GHSA-aaaa-bbbb-cccc"), "properties");
	CHECK_STR(cJSON_GetArrayItem(at(props, "tags"), 2)->valuestring, "medium");

	/* Levels follow the severity. */
	CHECK_STR(str_at(cJSON_GetArrayItem(results, 0), "level"), "error");
	CHECK_STR(str_at(cJSON_GetArrayItem(results, 1), "level"), "error");
	CHECK_STR(str_at(cJSON_GetArrayItem(results, 3), "level"), "warning");
	CHECK_STR(str_at(cJSON_GetArrayItem(results, 5), "level"), "note");
	CHECK_STR(str_at(cJSON_GetArrayItem(results, 6), "level"), "note");
	CHECK_STR(str_at(at(rule_by_id(run, "CVE-2023-4911"), "defaultConfiguration"), "level"), "error");

	/* The location is the package database or manifest inside the image, under its short name. */
	r = cJSON_GetArrayItem(results, 1);
	CHECK_STR(str_at(r, "ruleId"), "CVE-2023-4911");
	CHECK_STR(uri_of(r), "example/app/var/lib/dpkg/status");
	CHECK_STR(uri_of(cJSON_GetArrayItem(results, 0)), "example/app/app/node_modules/@scope/pkg/package.json");
	CHECK(scan_has(str_at(at(r, "message"), "text"), "Upgrade to 2.36-9+deb12u3"));
	CHECK_STR(str_at(at(r, "properties"), "vexStatus"), "affected");
	CHECK(at(r, "suppressions") == NULL);

	/* The help table lists both copies of left-pad; the aliases are named. */
	rule = rule_by_id(run, "GHSA-aaaa-bbbb-cccc");
	CHECK_INT(scan_count(str_at(at(rule, "help"), "markdown"), "| left-pad | 1.3.0 | 1.3.1 |"), 2);
	CHECK(scan_has(str_at(at(rule_by_id(run, "CVE-2023-4911"), "fullDescription"), "text"),
		       "CVE-2023-4911 (also DSA-5514-1, GHSA-m77w-6vjw-wh2f)"));
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

TEST(report_sarif_suppressions)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *results, *sup;

	scan_fixture_init(&s);
	doc = render_sarif(&s);
	results = at(run_of(doc), "results");
	/* Suppressed findings stay, after the active ones of their severity, marked with the reason. */
	CHECK_STR(str_at(cJSON_GetArrayItem(results, 2), "ruleId"), "CVE-2023-9999");
	sup = cJSON_GetArrayItem(at(cJSON_GetArrayItem(results, 2), "suppressions"), 0);
	CHECK_STR(str_at(sup, "kind"), "external");
	CHECK_STR(str_at(sup, "justification"), "vex: not_affected: vulnerable_code_not_in_execute_path");
	sup = cJSON_GetArrayItem(at(cJSON_GetArrayItem(results, 6), "suppressions"), 0);
	CHECK_STR(str_at(sup, "justification"), "ignore: not reachable <b>& | `");
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

TEST(report_sarif_fingerprints_stable)
{
	struct scan_fixture s;
	cJSON *a, *b;
	const cJSON *ra, *rb;
	char *first[SCAN_FIXTURE_FINDINGS];

	scan_fixture_init(&s);
	a = render_sarif(&s);
	ra = at(run_of(a), "results");
	for (int i = 0; i < SCAN_FIXTURE_FINDINGS; i++) {
		const char *fp = fingerprint_of(cJSON_GetArrayItem(ra, i));
		first[i] = xstrdup(fp ? fp : "");
		for (int j = 0; j < i; j++)
			CHECK(strcmp(first[i], first[j]) != 0);
	}
	/* A new release of the image, with new versions and fixes, keeps every fingerprint. */
	s.f.tags[0] = "example/app:2.0";
	s.f.img.digest = "sha256:eeee555555555555555555555555555555555555555555555555555555555555";
	s.f.cat.packages.items[1].version = "2.36-9+deb12u9";
	s.findings[1].fixed_version = "2.36-9+deb12u10";
	b = render_sarif(&s);
	rb = at(run_of(b), "results");
	for (int i = 0; i < SCAN_FIXTURE_FINDINGS; i++) {
		CHECK_STR(fingerprint_of(cJSON_GetArrayItem(rb, i)), first[i]);
		free(first[i]);
	}
	CHECK_STR(str_at(at(run_of(b), "automationDetails"), "id"), "customs/example/app/");
	cJSON_Delete(a);
	cJSON_Delete(b);
	scan_fixture_release(&s);
}

TEST(report_sarif_escapes_markdown)
{
	struct scan_fixture s;
	cJSON *doc;
	const char *md;

	scan_fixture_init(&s);
	doc = render_sarif(&s);
	md = str_at(at(rule_by_id(run_of(doc), "CVE-2024-1111"), "help"), "markdown");
	CHECK(md && !scan_has(md, "<script>") && scan_has(md, "&lt;script&gt;"));
	CHECK(!scan_has(md, "[link](") && scan_has(md, "\\[link\\]"));
	CHECK(scan_has(md, "\\| \\`x\\` \\*y\\* &amp;"));
	/* The short description is plain text: JSON escaping is all it needs. */
	CHECK_STR(str_at(at(rule_by_id(run_of(doc), "CVE-2024-1111"), "shortDescription"), "text"),
		  SCAN_FIXTURE_HOSTILE_TITLE);
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

TEST(report_sarif_limit_cuts_lowest_first)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *run, *results, *notes, *note;
	const char *text;
	size_t high = 0, low = 0;

	scan_fixture_init(&s);
	scan_fixture_many(&s, 5003, 4000, 10);
	/* Least severe first in the input: the writer must still keep the high ones. */
	for (size_t i = 0; i < 1003; i++) {
		struct finding tmp = s.many[i];
		s.many[i] = s.many[5002 - i];
		s.many[5002 - i] = tmp;
	}
	doc = render_sarif(&s);
	run = run_of(doc);
	results = at(run, "results");
	CHECK_INT(cJSON_GetArraySize(results), 5000);
	cJSON_ArrayForEach(note, results) {
		if (!strcmp(str_at(note, "level"), "error"))
			high++;
		else
			low++;
	}
	CHECK_INT(high, 4000);
	CHECK_INT(low, 1000);
	CHECK_INT(cJSON_GetArraySize(at(at(at(run, "tool"), "driver"), "rules")), 5000);
	notes = at(cJSON_GetArrayItem(at(run, "invocations"), 0), "toolExecutionNotifications");
	note = cJSON_GetArrayItem(notes, 0);
	text = str_at(at(note, "message"), "text");
	CHECK_STR(str_at(note, "level"), "warning");
	CHECK(scan_has(text, "3 of 5003 findings were left out") && scan_has(text, ": 3 low."));
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

TEST(report_sarif_warnings_and_empty)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *run, *notes;

	scan_fixture_init(&s);
	doc = render_sarif(&s);
	notes = at(cJSON_GetArrayItem(at(run_of(doc), "invocations"), 0), "toolExecutionNotifications");
	/* Image, catalog and match warnings. */
	CHECK_INT(cJSON_GetArraySize(notes), 3);
	cJSON_Delete(doc);

	s.res.nr_findings = 0;
	doc = render_sarif(&s);
	run = run_of(doc);
	CHECK(cJSON_IsArray(at(run, "results")) && cJSON_GetArraySize(at(run, "results")) == 0);
	CHECK_INT(cJSON_GetArraySize(at(at(at(run, "tool"), "driver"), "rules")), 0);
	cJSON_Delete(doc);

	/* An SBOM run has no findings at all; the log is still valid. */
	s.f.in.match = NULL;
	doc = render_sarif(&s);
	CHECK_INT(cJSON_GetArraySize(at(run_of(doc), "results")), 0);
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}

/*
 * Not a check: with CUSTOMS_REPORT_SAMPLES set, write the hostile fixture in
 * every format of this family into that folder, so tests/cli/t6000 can run
 * the real validators on it.
 */
TEST(report_sarif_write_samples)
{
	static const struct {
		const struct report_writer *w;
		const char *file;
	} outs[] = {
		{ &report_writer_sarif, "fixture.sarif" },
		{ &report_writer_gitlab, "fixture.gl.json" },
		{ &report_writer_junit, "fixture.junit.xml" },
		{ &report_writer_markdown, "fixture.md" },
	};
	const char *dir = getenv("CUSTOMS_REPORT_SAMPLES");
	struct scan_fixture s;

	if (!dir || !*dir)
		return;
	scan_fixture_init(&s);
	/* Twice: as a plain scan, then with a failed gate ("gate-" files). */
	for (size_t n = 0; n < 2 * sizeof(outs) / sizeof(outs[0]); n++) {
		size_t i = n % (sizeof(outs) / sizeof(outs[0]));
		struct strbuf path = STRBUF_INIT;
		char *text;
		FILE *fp;

		if (n && !i)
			scan_fixture_gate(&s, 0);
		text = scan_fixture_render(outs[i].w, &s);
		strbuf_addf(&path, "%s/%s%s", dir, s.f.in.verdict ? "gate-" : "", outs[i].file);
		fp = fopen(path.buf, "w");
		CHECK(fp != NULL);
		if (fp) {
			fputs(text, fp);
			CHECK(fclose(fp) == 0);
		}
		free(text);
		strbuf_release(&path);
	}
	scan_fixture_release(&s);
}

TEST(report_sarif_gate_verdict)
{
	struct scan_fixture s;
	cJSON *doc;
	const cJSON *run, *results, *policy;

	scan_fixture_init(&s);
	doc = render_sarif(&s);
	CHECK(at(run_of(doc), "properties") == NULL);
	CHECK(at(at(cJSON_GetArrayItem(at(run_of(doc), "results"), 0), "properties"), "policy") == NULL);
	cJSON_Delete(doc);

	scan_fixture_gate(&s, 1);
	doc = render_sarif(&s);
	run = run_of(doc);
	policy = at(at(run, "properties"), "policy");
	CHECK(cJSON_IsTrue(at(policy, "passed")) && cJSON_IsTrue(at(policy, "wouldFail")) &&
	      cJSON_IsTrue(at(policy, "audit")));
	CHECK_INT(cJSON_GetArraySize(at(policy, "reasons")), 1);
	results = at(run, "results");
	CHECK_STR(str_at(at(cJSON_GetArrayItem(results, 0), "properties"), "policy"), "failing");
	CHECK_STR(str_at(at(cJSON_GetArrayItem(results, 1), "properties"), "policy"), "failing");
	CHECK_STR(str_at(at(cJSON_GetArrayItem(results, 2), "properties"), "policy"), "suppressed");
	CHECK_STR(str_at(at(cJSON_GetArrayItem(results, 3), "properties"), "policy"), "passing");
	CHECK_STR(str_at(at(cJSON_GetArrayItem(results, 4), "properties"), "policy"), "excluded-unfixed");
	cJSON_Delete(doc);
	scan_fixture_release(&s);
}
