/* Unit tests for the writers on a scan: findings table, customs-report/1 JSON, CycloneDX vulnerabilities. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "match/match.h"
#include "report_scan_fixture.h"
#include "test.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

#define DB_BUILD_TIME 1699000000
#define LONG_TITLE "glibc: heap overflow in the dynamic loader when it reads a crafted GLIBC_TUNABLES value"

static const char *libc_aliases[] = { "DSA-5514-1", "GHSA-m77w-6vjw-wh2f" };

/* A fixture with a scan: findings on four of its packages, a match warning and a small database. */
struct findings_fixture {
	struct report_fixture f;
	struct match_result res;
	struct finding findings[4];
	struct vulndb *db;
	char *db_bytes;
	size_t db_size;
};

static struct vulndb *small_db(char **bytes, size_t *size)
{
	struct vulndb_builder *b = vulndb_builder_new();
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db = NULL;
	struct vulndb_new_advisory adv = { .id = "CVE-2023-4911", .modified = "2024-01-05T00:00:00Z" };
	FILE *fp = open_memstream(bytes, size);

	vulndb_builder_begin_source(b, "osv");
	vulndb_builder_add_advisory(b, &adv);
	adv.id = "GHSA-aaaa-bbbb-cccc";
	adv.modified = "2024-02-01T00:00:00Z";
	vulndb_builder_add_advisory(b, &adv);
	CHECK_INT(vulndb_builder_write(b, fp, DB_BUILD_TIME, &err), 0);
	fclose(fp);
	vulndb_builder_free(b);
	CHECK_INT(vulndb_open_mem(*bytes, *size, "small.db", &db, &err), 0);
	strbuf_release(&err);
	return db;
}

static void findings_fixture_init(struct findings_fixture *s)
{
	memset(s, 0, sizeof(*s));
	report_fixture_init(&s->f);
	/* In the order match_catalog sorts: most severe first. */
	s->findings[0] = (struct finding){
		.id = "CVE-2023-4911",
		.aliases = libc_aliases,
		.nr_aliases = 2,
		.package = 1,
		.ecosystem = "Debian:12",
		.fixed_version = "2.36-9+deb12u3",
		.severity = SEVERITY_HIGH,
		.severity_source = SEVERITY_FROM_DISTRIBUTION,
		.cvss_vector = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
		.cvss = { .version = 31, .score = 7.8 },
		.title = LONG_TITLE,
		.layer = 0,
	};
	s->findings[1] = (struct finding){
		.id = "GHSA-aaaa-bbbb-cccc",
		.package = 2,
		.ecosystem = "npm",
		.severity = SEVERITY_MEDIUM,
		.severity_source = SEVERITY_FROM_ADVISORY,
		.layer = 1,
	};
	s->findings[2] = (struct finding){
		.id = "CVE-2024-0003",
		.package = 3,
		.ecosystem = "npm",
		.fixed_version = "1.0.1",
		.severity = SEVERITY_LOW,
		.severity_source = SEVERITY_FROM_CVSS,
		.cvss_vector = "CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
		.cvss = { .version = 40, .score = 1.0 },
		.title = "evil \x1b]0;owned\x07 title \xff",
		.layer = 7,
	};
	s->findings[3] = (struct finding){
		.id = "OSV-2024-1",
		.package = 4,
		.ecosystem = "npm",
		.fixed_version = "1.3.1",
		.severity = SEVERITY_UNKNOWN,
		.severity_source = SEVERITY_FROM_NONE,
		.layer = 1,
	};
	scan_fixture_attach(&s->f, &s->res, s->findings, 4);
	s->db = small_db(&s->db_bytes, &s->db_size);
	s->f.in.db = s->db;
}

static void findings_fixture_release(struct findings_fixture *s)
{
	if (s->db)
		vulndb_close(s->db);
	free(s->db_bytes);
	scan_fixture_detach(&s->res);
	report_fixture_release(&s->f);
}

static cJSON *render_doc(const struct report_writer *w, const struct report_input *in)
{
	int ret;
	char *text = report_render(w, in, &ret);
	cJSON *doc;

	CHECK_INT(ret, 0);
	CHECK(text && utf8_is_valid(text, strlen(text)));
	doc = text ? cJSON_Parse(text) : NULL;
	CHECK(doc != NULL);
	free(text);
	return doc;
}

static const cJSON *at(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = at(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static double num_at(const cJSON *obj, const char *key)
{
	const cJSON *item = at(obj, key);
	return cJSON_IsNumber(item) ? item->valuedouble : -1;
}

/* Whether text holds line as a whole line. */
static int has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return 1;
	return 0;
}

TEST(report_findings_table_rows_and_summary)
{
	struct findings_fixture s;
	char *text;
	int ret;

	findings_fixture_init(&s);
	text = report_render(&report_writer_table, &s.f.in, &ret);
	CHECK_INT(ret, 0);
	CHECK(text != NULL);
	if (text) {
		CHECK(has_line(text, "Image: example/app:1.0  OS: Debian GNU/Linux 12 (bookworm)  "
				     "Packages: 6"));
		CHECK(has_line(text, "SEVERITY  ID                   PACKAGE      INSTALLED       FIXED"
				     "           TITLE"));
		CHECK(has_line(text, "high      CVE-2023-4911        libc6        2.36-9+deb12u4  "
				     "2.36-9+deb12u3  glibc: heap overflow in the dynamic loader when it "
				     "reads a c..."));
		CHECK(has_line(text, "medium    GHSA-aaaa-bbbb-cccc  @scope/pkg   1.2.3           unfixed"
				     "         -"));
		CHECK(has_line(text, "unknown   OSV-2024-1           left-pad     1.3.0           1.3.1"
				     "           -"));
		/* The rows keep the order of the match result. */
		CHECK(strstr(text, "CVE-2023-4911") < strstr(text, "GHSA-aaaa") &&
		      strstr(text, "GHSA-aaaa") < strstr(text, "CVE-2024-0003") &&
		      strstr(text, "CVE-2024-0003") < strstr(text, "OSV-2024-1"));
		/* A memory stream is no terminal: no colour, and nothing from the image reaches it raw. */
		CHECK(strchr(text, '\x1b') == NULL && strchr(text, '\x07') == NULL);
		CHECK(utf8_is_valid(text, strlen(text)));
		CHECK(has_line(text, "warning: cannot compare version 'x!y' of 'evil' (npm)"));
		CHECK(strstr(text, "\n\n4 vulnerabilities: 0 critical, 1 high, 1 medium, 1 low, "
				   "1 unknown\n") != NULL);
		/* The summary is the last line. */
		CHECK(strlen(text) > 8 && !strcmp(text + strlen(text) - 8, "unknown\n"));
		/* Not the package table of an SBOM. */
		CHECK(strstr(text, "NAME  ") == NULL);
	}
	free(text);
	findings_fixture_release(&s);
}

TEST(report_findings_table_none_and_singular)
{
	struct findings_fixture s;
	char *text;
	int ret;

	findings_fixture_init(&s);
	s.res.nr_findings = 0;
	memset(s.res.counts, 0, sizeof(s.res.counts));
	text = report_render(&report_writer_table, &s.f.in, &ret);
	CHECK_INT(ret, 0);
	CHECK(text && strstr(text, "SEVERITY") == NULL);
	CHECK(text && strlen(text) > 26 && !strcmp(text + strlen(text) - 26, "\nno vulnerabilities found\n"));
	free(text);

	s.res.nr_findings = 1;
	s.res.counts[SEVERITY_HIGH] = 1;
	text = report_render(&report_writer_table, &s.f.in, &ret);
	CHECK(text && has_line(text, "1 vulnerability: 0 critical, 1 high, 0 medium, 0 low, 0 unknown"));
	free(text);
	findings_fixture_release(&s);
}

TEST(report_findings_table_sbom_unchanged)
{
	struct report_fixture f;
	char *text;
	int ret;

	report_fixture_init(&f);
	text = report_render(&report_writer_table, &f.in, &ret);
	CHECK(text && strstr(text, "\nNAME  ") && !strstr(text, "SEVERITY") && !strstr(text, "vulnerabilit"));
	free(text);
	report_fixture_release(&f);
}

TEST(report_findings_json_document)
{
	struct findings_fixture s;
	cJSON *doc;
	const cJSON *target, *db, *src, *pkgs, *findings, *f0, *f1, *f2, *cvss, *sum, *item;

	findings_fixture_init(&s);
	doc = render_doc(&report_writer_json, &s.f.in);
	CHECK_STR(str_at(doc, "schema"), "customs-report/1");
	CHECK(at(doc, "schema_version") == NULL);
	target = at(doc, "target");
	CHECK_STR(str_at(target, "input"), "app.tar");
	CHECK_STR(str_at(target, "digest"), s.f.img.digest);
	CHECK_STR(str_at(at(target, "os"), "id"), "debian");
	CHECK_STR(str_at(at(target, "os"), "version_id"), "12");

	db = at(doc, "db");
	CHECK_STR(str_at(db, "built"), "2023-11-03T08:26:40Z");
	CHECK(str_at(db, "checksum") && !strncmp(str_at(db, "checksum"), "sha256:", 7));
	CHECK_INT(cJSON_GetArraySize(at(db, "sources")), 1);
	src = cJSON_GetArrayItem(at(db, "sources"), 0);
	CHECK_STR(str_at(src, "name"), "osv");
	CHECK_STR(str_at(src, "date"), "2024-02-01T00:00:00Z");
	CHECK_INT(num_at(src, "records"), 2);

	pkgs = at(doc, "packages");
	CHECK_INT(cJSON_GetArraySize(pkgs), REPORT_FIXTURE_PACKAGES);
	item = cJSON_GetArrayItem(pkgs, 1);
	CHECK_STR(str_at(item, "name"), "libc6");
	CHECK_STR(str_at(item, "source_name"), "glibc");
	CHECK_STR(str_at(item, "ecosystem"), "Debian:12");
	CHECK_STR(str_at(item, "path"), "/var/lib/dpkg/status");
	CHECK_STR(str_at(at(item, "layer"), "diff_id"), s.f.layers[0].diff_id);
	CHECK_INT(num_at(at(item, "layer"), "index"), 0);
	CHECK_STR(str_at(cJSON_GetArrayItem(pkgs, 2), "ecosystem"), "npm");
	/* Layer 7 does not exist in a two-layer image. */
	CHECK(cJSON_IsNull(at(cJSON_GetArrayItem(pkgs, 3), "layer")));

	findings = at(doc, "findings");
	CHECK_INT(cJSON_GetArraySize(findings), 4);
	f0 = cJSON_GetArrayItem(findings, 0);
	CHECK_STR(str_at(f0, "id"), "CVE-2023-4911");
	CHECK_INT(cJSON_GetArraySize(at(f0, "aliases")), 2);
	CHECK_STR(cJSON_GetArrayItem(at(f0, "aliases"), 0)->valuestring, "DSA-5514-1");
	CHECK_STR(str_at(at(f0, "package"), "name"), "libc6");
	CHECK_STR(str_at(at(f0, "package"), "version"), "2.36-9+deb12u4");
	CHECK_STR(str_at(at(f0, "package"), "purl"), s.f.cat.packages.items[1].purl);
	CHECK_STR(str_at(f0, "fixed_version"), "2.36-9+deb12u3");
	CHECK_STR(str_at(f0, "status"), "fixed");
	CHECK_STR(str_at(f0, "severity"), "high");
	CHECK_STR(str_at(f0, "severity_source"), "distribution");
	cvss = at(f0, "cvss");
	CHECK_STR(str_at(cvss, "version"), "3.1");
	CHECK_STR(str_at(cvss, "vector"), "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
	CHECK(num_at(cvss, "score") > 7.79 && num_at(cvss, "score") < 7.81);
	CHECK_STR(str_at(f0, "title"), LONG_TITLE);
	CHECK_STR(str_at(at(f0, "layer"), "created_by"), s.f.layers[0].created_by);

	f1 = cJSON_GetArrayItem(findings, 1);
	CHECK(cJSON_IsNull(at(f1, "fixed_version")));
	CHECK_STR(str_at(f1, "status"), "unfixed");
	CHECK_STR(str_at(f1, "severity_source"), "advisory");
	CHECK(cJSON_IsNull(at(f1, "cvss")));
	CHECK(cJSON_IsNull(at(f1, "title")));
	CHECK_INT(cJSON_GetArraySize(at(f1, "aliases")), 0);
	f2 = cJSON_GetArrayItem(findings, 2);
	CHECK_STR(str_at(at(f2, "cvss"), "version"), "4.0");
	CHECK(cJSON_IsNull(at(f2, "layer")));
	CHECK(str_at(f2, "title") && utf8_is_valid(str_at(f2, "title"), strlen(str_at(f2, "title"))));

	sum = at(doc, "summary");
	CHECK_INT(num_at(sum, "critical"), 0);
	CHECK_INT(num_at(sum, "high"), 1);
	CHECK_INT(num_at(sum, "medium"), 1);
	CHECK_INT(num_at(sum, "low"), 1);
	CHECK_INT(num_at(sum, "unknown"), 1);
	CHECK_INT(num_at(sum, "total"), 4);
	CHECK_INT(num_at(sum, "packages"), REPORT_FIXTURE_PACKAGES);
	CHECK_INT(num_at(sum, "vulnerable_packages"), 4);
	/* Image, catalog and match warnings, in that order. */
	CHECK_INT(cJSON_GetArraySize(at(doc, "warnings")), 3);
	CHECK_STR(cJSON_GetArrayItem(at(doc, "warnings"), 2)->valuestring,
		  "cannot compare version 'x!y' of 'evil' (npm)");
	cJSON_Delete(doc);
	findings_fixture_release(&s);
}

TEST(report_findings_json_without_db_or_findings)
{
	struct findings_fixture s;
	cJSON *doc;

	findings_fixture_init(&s);
	s.f.in.db = NULL;
	s.res.nr_findings = 0;
	memset(s.res.counts, 0, sizeof(s.res.counts));
	doc = render_doc(&report_writer_json, &s.f.in);
	CHECK(cJSON_IsNull(at(doc, "db")));
	CHECK(cJSON_IsArray(at(doc, "findings")) && cJSON_GetArraySize(at(doc, "findings")) == 0);
	CHECK_INT(num_at(at(doc, "summary"), "total"), 0);
	cJSON_Delete(doc);
	findings_fixture_release(&s);
}

TEST(report_findings_json_sbom_unchanged)
{
	struct report_fixture f;
	cJSON *doc;

	report_fixture_init(&f);
	doc = render_doc(&report_writer_json, &f.in);
	CHECK_INT(num_at(doc, "schema_version"), 1);
	CHECK(at(doc, "schema") == NULL && at(doc, "findings") == NULL && at(doc, "image") != NULL);
	cJSON_Delete(doc);
	report_fixture_release(&f);
}

/* The bom-ref of the component whose name is name. */
static const char *component_ref(const cJSON *bom, const char *name)
{
	const cJSON *comp;

	cJSON_ArrayForEach(comp, at(bom, "components"))
		if (str_at(comp, "name") && !strcmp(str_at(comp, "name"), name))
			return str_at(comp, "bom-ref");
	return NULL;
}

TEST(report_findings_cyclonedx_vulnerabilities)
{
	struct findings_fixture s;
	cJSON *bom;
	const cJSON *vulns, *v0, *v1, *v2, *r, *affect;

	findings_fixture_init(&s);
	bom = render_doc(&report_writer_cyclonedx, &s.f.in);
	vulns = at(bom, "vulnerabilities");
	CHECK_INT(cJSON_GetArraySize(vulns), 4);

	v0 = cJSON_GetArrayItem(vulns, 0);
	CHECK_STR(str_at(v0, "id"), "CVE-2023-4911");
	CHECK_STR(str_at(at(v0, "source"), "name"), "NVD");
	CHECK_INT(cJSON_GetArraySize(at(v0, "references")), 2);
	r = cJSON_GetArrayItem(at(v0, "references"), 0);
	CHECK_STR(str_at(r, "id"), "DSA-5514-1");
	CHECK_STR(str_at(at(r, "source"), "name"), "Debian");
	CHECK_STR(str_at(at(cJSON_GetArrayItem(at(v0, "references"), 1), "source"), "name"), "GitHub");
	/* The distribution's rating, then the CVSS one. */
	CHECK_INT(cJSON_GetArraySize(at(v0, "ratings")), 2);
	r = cJSON_GetArrayItem(at(v0, "ratings"), 0);
	CHECK_STR(str_at(r, "severity"), "high");
	CHECK_STR(str_at(r, "method"), "other");
	CHECK_STR(str_at(at(r, "source"), "name"), "Debian:12");
	r = cJSON_GetArrayItem(at(v0, "ratings"), 1);
	CHECK_STR(str_at(r, "method"), "CVSSv31");
	CHECK_STR(str_at(r, "severity"), "high");
	CHECK_STR(str_at(r, "vector"), "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
	CHECK(num_at(r, "score") > 7.79 && num_at(r, "score") < 7.81);
	CHECK_STR(str_at(v0, "recommendation"), "Upgrade to 2.36-9+deb12u3");
	CHECK_STR(str_at(v0, "description"), LONG_TITLE);
	affect = cJSON_GetArrayItem(at(v0, "affects"), 0);
	CHECK(component_ref(bom, "libc6") != NULL);
	CHECK_STR(str_at(affect, "ref"), component_ref(bom, "libc6"));
	CHECK_STR(str_at(cJSON_GetArrayItem(at(affect, "versions"), 0), "version"), "2.36-9+deb12u4");
	CHECK_STR(str_at(cJSON_GetArrayItem(at(affect, "versions"), 0), "status"), "affected");

	v1 = cJSON_GetArrayItem(vulns, 1);
	CHECK_STR(str_at(at(v1, "source"), "name"), "GitHub");
	CHECK(at(v1, "recommendation") == NULL && at(v1, "references") == NULL);
	CHECK_STR(str_at(cJSON_GetArrayItem(at(v1, "ratings"), 0), "severity"), "medium");
	v2 = cJSON_GetArrayItem(vulns, 2);
	CHECK_STR(str_at(cJSON_GetArrayItem(at(v2, "ratings"), 0), "method"), "CVSSv4");
	CHECK_INT(cJSON_GetArraySize(at(v2, "ratings")), 1);
	r = cJSON_GetArrayItem(at(cJSON_GetArrayItem(vulns, 3), "ratings"), 0);
	CHECK_STR(str_at(r, "severity"), "unknown");
	cJSON_Delete(bom);
	findings_fixture_release(&s);
}

TEST(report_findings_cyclonedx_sbom_has_no_vulnerabilities)
{
	struct report_fixture f;
	cJSON *bom;

	report_fixture_init(&f);
	bom = render_doc(&report_writer_cyclonedx, &f.in);
	CHECK(at(bom, "vulnerabilities") == NULL);
	cJSON_Delete(bom);
	report_fixture_release(&f);
}

/*
 * With CUSTOMS_REPORT_SAMPLES set, write scan documents with hostile strings
 * there, for tests/cli/t5000 to check against the CycloneDX and report schemas.
 */
TEST(report_findings_write_samples)
{
	const char *dir = getenv("CUSTOMS_REPORT_SAMPLES");
	struct findings_fixture s;

	if (!dir || !*dir)
		return;
	findings_fixture_init(&s);
	report_write_sample(dir, "scan.cdx.json", &report_writer_cyclonedx, &s.f.in);
	report_write_sample(dir, "scan.report.json", &report_writer_json, &s.f.in);
	s.f.in.db = NULL;
	s.res.nr_findings = 0;
	report_write_sample(dir, "scan-empty.report.json", &report_writer_json, &s.f.in);
	findings_fixture_release(&s);
}
