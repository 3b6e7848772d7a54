/* OpenVEX: strict parsing, product and subcomponent scopes, aliases, and the last statement winning. */
#include <stdlib.h>
#include <string.h>

#include "policy_fixture.h"
#include "test.h"
#include "util/error.h"

#define CTX                                                                                                  \
	"\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"https://example.com/vex/1\", "          \
	"\"author\": \"Team\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"version\": 1"

/* A document holding the given statements. */
static char *doc(const char *statements)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "{" CTX ", \"statements\": [%s]}", statements);
	return strbuf_detach(&sb, NULL);
}

static int parse_into(struct policy_vex *vex, const char *json, struct strbuf *err)
{
	return policy_vex_parse(vex, json, strlen(json), "team.vex.json", err);
}

/* Parse a document of these statements; expect ERR_BAD_INPUT naming want, and nothing added. */
static void expect_bad_statements(const char *statements, const char *want)
{
	struct policy_vex *vex = policy_vex_new();
	struct strbuf err = STRBUF_INIT;
	char *json = doc(statements);

	CHECK_INT(parse_into(vex, json, &err), ERR_BAD_INPUT);
	CHECK_INT(vex->nr_statements, 0);
	CHECK_INT(vex->nr_docs, 0);
	if (!strstr(err.buf, want)) {
		fprintf(stderr, "  message: %s\n  wanted: %s\n", err.buf, want);
		CHECK(!"the message names the problem");
	}
	CHECK(!strncmp(err.buf, "invalid VEX document 'team.vex.json': ", 38));
	CHECK(!strchr(err.buf, '\n'));
	free(json);
	strbuf_release(&err);
	policy_vex_free(vex);
}

static void expect_bad_document(const char *json, int code, const char *want)
{
	struct policy_vex *vex = policy_vex_new();
	struct strbuf err = STRBUF_INIT;

	CHECK_INT(policy_vex_parse(vex, json, strlen(json), "team.vex.json", &err), code);
	CHECK_INT(vex->nr_statements, 0);
	if (!strstr(err.buf, want)) {
		fprintf(stderr, "  message: %s\n  wanted: %s\n", err.buf, want);
		CHECK(!"the message names the problem");
	}
	strbuf_release(&err);
	policy_vex_free(vex);
}

/* Findings: libc6 CVE-2024-0001 (alias DSA), openssl CVE-2024-0002 (alias GHSA), both left-pads
 * CVE-2024-0003. */
static void scene(struct policy_fixture *f)
{
	policy_fixture_init(f);
	policy_fixture_scene(f);
	policy_fixture_finding(f, "CVE-2024-0001", "DSA-5000-1", 0, SEVERITY_CRITICAL, "2.36-9+deb12u5");
	policy_fixture_finding(f, "CVE-2024-0002", "GHSA-aaaa-bbbb-cccc", 1, SEVERITY_HIGH, NULL);
	policy_fixture_finding(f, "CVE-2024-0003", NULL, 2, SEVERITY_MEDIUM, "1.3.1");
	policy_fixture_finding(f, "CVE-2024-0003", NULL, 3, SEVERITY_MEDIUM, "1.3.1");
}

/* Apply the documents (NULL-terminated) to a fresh scene; returns the marks in f->text. */
static const char *apply_docs(struct policy_fixture *f, const char *const *docs, const char *const *images,
			      size_t *suppressed)
{
	struct policy_vex *vex = policy_vex_new();
	size_t n = 0;

	scene(f);
	for (size_t i = 0; docs[i]; i++) {
		if (parse_into(vex, docs[i], &f->err)) {
			fprintf(stderr, "  %s\n", f->err.buf);
			CHECK(!"the VEX document parses");
		}
	}
	n = policy_apply_vex(vex, f->res, &f->cat, images);
	policy_vex_free(vex);
	if (suppressed)
		*suppressed = n;
	return policy_fixture_marks(f);
}

static const char *apply(struct policy_fixture *f, const char *statements, const char *const *images,
			 size_t *suppressed)
{
	char *json = doc(statements);
	const char *docs[] = {json, NULL};
	const char *marks = apply_docs(f, docs, images, suppressed);

	free(json);
	return marks;
}

TEST(policy_vex_parses_a_document)
{
	struct policy_vex *vex = policy_vex_new();
	struct strbuf err = STRBUF_INIT;
	char *json = doc(
	    "{\"vulnerability\": {\"@id\": \"https://nvd.nist.gov/vuln/detail/CVE-2024-0001\","
	    " \"name\": \"CVE-2024-0001\", \"aliases\": [\"DSA-5000-1\"]},"
	    " \"products\": [{\"@id\": \"pkg:oci/app@sha256%3Aabc\", \"subcomponents\": [{\"@id\": "
	    "\"pkg:deb/debian/libc6\"}]}],"
	    " \"status\": \"not_affected\", \"justification\": \"vulnerable_code_not_in_execute_path\","
	    " \"timestamp\": \"2026-02-01T10:00:00.5+01:00\", \"x-extension\": {\"any\": 1}},"
	    "{\"vulnerability\": \"CVE-2024-0002\", \"products\": [\"pkg:deb/debian/openssl\"], \"status\": "
	    "\"affected\", \"action_statement\": \"upgrade\"}");

	CHECK_INT(parse_into(vex, json, &err), 0);
	CHECK_INT(vex->nr_docs, 1);
	CHECK_INT(vex->nr_statements, 2);
	CHECK_INT(vex->statements[0].nr_vuln_ids, 2);
	CHECK_STR(vex->statements[0].vuln_ids[1], "DSA-5000-1");
	CHECK_INT(vex->statements[0].status, VEX_NOT_AFFECTED);
	CHECK_INT(vex->statements[0].nr_products, 1);
	CHECK_INT(vex->statements[0].products[0].is_purl, 1);
	CHECK_STR(vex->statements[0].products[0].type, "oci");
	CHECK_STR(vex->statements[0].products[0].version, "sha256:abc");
	CHECK_INT(vex->statements[0].products[0].nr_subcomponents, 1);
	CHECK_STR(vex->statements[0].products[0].subcomponents[0].name, "libc6");
	/* 2026-02-01T09:00:00.5Z */
	CHECK(vex->statements[0].timestamp.seconds == 1769936400LL);
	CHECK_INT(vex->statements[0].timestamp.nanoseconds, 500000000);
	/* The older string forms of vulnerability and product. */
	CHECK_STR(vex->statements[1].vuln_ids[0], "CVE-2024-0002");
	CHECK_STR(vex->statements[1].products[0].name, "openssl");
	CHECK_STR(vex->statements[1].action_statement, "upgrade");
	/* Without its own timestamp a statement has the document's. */
	CHECK(vex->statements[1].timestamp.seconds == 1767225600LL);
	CHECK_INT(vex->statements[1].timestamp.nanoseconds, 0);
	CHECK_INT(vex->nr_warnings, 0);
	free(json);
	strbuf_release(&err);
	policy_vex_free(vex);
}

TEST(policy_vex_contexts)
{
	static const char *const good[] = {"https://openvex.dev/ns/v0.2.0", "https://openvex.dev/ns",
					   "https://openvex.dev/ns/v0.2", "https://openvex.dev/ns/v0.2.1"};
	static const char *const bad[] = {"https://openvex.dev/ns/v0.0.1", "https://openvex.dev/ns/v0.3.0",
					  "https://example.com/ns/v0.2.0", "https://openvex.dev/ns/v0.2.0x",
					  "https://openvex.dev/nsx"};
	char json[512];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct policy_vex *vex = policy_vex_new();
		struct strbuf err = STRBUF_INIT;

		snprintf(json, sizeof(json), "{\"@context\": \"%s\", \"statements\": []}", good[i]);
		CHECK_INT(parse_into(vex, json, &err), 0);
		CHECK_INT(vex->nr_docs, 1);
		strbuf_release(&err);
		policy_vex_free(vex);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"@context\": \"%s\", \"statements\": []}", bad[i]);
		expect_bad_document(json, ERR_BAD_INPUT, "is not OpenVEX 0.2");
	}
	expect_bad_document("{\"statements\": []}", ERR_BAD_INPUT,
			    "invalid VEX document 'team.vex.json': @context is missing");
	expect_bad_document("{\"@context\": [\"https://openvex.dev/ns/v0.2.0\"], \"statements\": []}",
			    ERR_BAD_INPUT, "@context must be a string, not an array");
}

TEST(policy_vex_invalid_statements)
{
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [\"pkg:deb/debian/a\"], \"status\": "
	    "\"not_affected\"}",
	    "statements[0]: status not_affected needs a justification or an impact_statement");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\"},"
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"wontfix\"}",
	    "statements[1].status: unknown status 'wontfix' (known: not_affected, affected, fixed, "
	    "under_investigation)");
	expect_bad_statements("{\"vulnerability\": {\"name\": \"CVE-1\"}}",
			      "statements[0].status is missing");
	expect_bad_statements("{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": 1}",
			      "statements[0].status must be a string, not a number");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"not_affected\", \"justification\": "
	    "\"trust_me\"}",
	    "statements[0].justification: unknown justification 'trust_me'");
	expect_bad_statements("{\"status\": \"fixed\"}", "statements[0].vulnerability is missing");
	expect_bad_statements("{\"vulnerability\": 42, \"status\": \"fixed\"}",
			      "statements[0].vulnerability must be an object, not a number");
	expect_bad_statements("{\"vulnerability\": {\"aliases\": []}, \"status\": \"fixed\"}",
			      "statements[0].vulnerability.name is missing");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\", \"aliases\": \"CVE-2\"}, \"status\": \"fixed\"}",
	    "statements[0].vulnerability.aliases must be an array, not a string");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\", \"aliases\": [\"CVE-2\", 3]}, \"status\": \"fixed\"}",
	    "statements[0].vulnerability.aliases[1] must be a string, not a number");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": {}}",
	    "statements[0].products must be an array, not an object");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": [{}]}",
	    "statements[0].products[0] needs an @id");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": [7]}",
	    "statements[0].products[0] must be an object or a string, not a number");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": [{\"@id\": "
	    "\"pkg:oci/app\", \"subcomponents\": {\"@id\": \"pkg:deb/debian/a\"}}]}",
	    "statements[0].products[0].subcomponents must be an array, not an object");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": [{\"@id\": "
	    "\"pkg:oci/app\", \"subcomponents\": [{\"@id\": false}]}]}",
	    "statements[0].products[0].subcomponents[0].@id must be a string, not a boolean");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": [{\"@id\": "
	    "\"x\", \"identifiers\": {\"purl\": \"not a purl\"}}]}",
	    "statements[0].products[0].identifiers.purl is not a valid package URL");
	expect_bad_statements(
	    "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"timestamp\": "
	    "\"yesterday\"}",
	    "statements[0].timestamp: 'yesterday' is not an RFC 3339 time");
	expect_bad_statements("{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\"}, \"CVE-2\"",
			      "statements[1] must be an object, not a string");
	expect_bad_statements("{\"vulnerability\": {\"name\": \"\xc0\xaf\"}, \"status\": \"fixed\"}",
			      "statements[0].vulnerability.name is not valid UTF-8");
}

TEST(policy_vex_hostile_documents)
{
	struct strbuf big = STRBUF_INIT;
	struct policy_vex *vex = policy_vex_new();
	struct strbuf err = STRBUF_INIT;

	expect_bad_document("", ERR_BAD_INPUT, "invalid VEX document 'team.vex.json': not valid JSON");
	expect_bad_document("[]", ERR_BAD_INPUT, "the document must be an object, not an array");
	expect_bad_document("{\"@context\": \"https://openvex.dev/ns/v0.2.0\"}", ERR_BAD_INPUT,
			    "statements is missing");
	expect_bad_document("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": {}}",
			    ERR_BAD_INPUT, "statements must be an array, not an object");
	expect_bad_document(
	    "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [], \"version\": \"1\"}",
	    ERR_BAD_INPUT, "version must be a number, not a string");
	expect_bad_document(
	    "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [], \"timestamp\": "
	    "\"2026-02-30T00:00:00Z\"}",
	    ERR_BAD_INPUT, "timestamp: '2026-02-30T00:00:00Z' is not an RFC 3339 time");

	/* Deeply nested: refused by the parser's depth limit. */
	strbuf_addstr(&big, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ");
	for (int i = 0; i < 200000; i++)
		strbuf_addch(&big, '[');
	CHECK_INT(policy_vex_parse(vex, big.buf, big.len, "deep.json", &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "invalid VEX document 'deep.json': not valid JSON"));

	/* Huge: over the byte cap before parsing starts. */
	strbuf_reset(&big);
	strbuf_grow(&big, POLICY_VEX_MAX_BYTES + 2);
	memset(big.buf, ' ', POLICY_VEX_MAX_BYTES + 1);
	big.len = POLICY_VEX_MAX_BYTES + 1;
	big.buf[big.len] = '\0';
	CHECK_INT(policy_vex_parse(vex, big.buf, big.len, "huge.json", &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "VEX document 'huge.json' is too large"));

	/* Too many statements. */
	strbuf_reset(&big);
	strbuf_addstr(&big, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [");
	for (int i = 0; i <= POLICY_VEX_MAX_STATEMENTS; i++)
		strbuf_addf(&big, "%s{}", i ? "," : "");
	strbuf_addstr(&big, "]}");
	CHECK_INT(policy_vex_parse(vex, big.buf, big.len, "many.json", &err), ERR_LIMIT);
	CHECK(strstr(err.buf, "too many statements"));

	/* A long string is refused, whatever it holds. */
	strbuf_reset(&big);
	strbuf_addstr(
	    &big, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": "
		  "{\"name\": \"");
	for (int i = 0; i < 8193; i++)
		strbuf_addch(&big, 'A');
	strbuf_addstr(&big, "\"}, \"status\": \"fixed\"}]}");
	CHECK_INT(policy_vex_parse(vex, big.buf, big.len, "long.json", &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "statements[0].vulnerability.name is too long"));

	/* Missing files and directories. */
	CHECK_INT(policy_vex_load(vex, "/nonexistent/x.vex.json", &err), ERR_NOT_FOUND);
	CHECK(strstr(err.buf, "cannot open VEX document '/nonexistent/x.vex.json'"));
	CHECK_INT(policy_vex_load(vex, "/tmp", &err), ERR_BAD_INPUT);
	CHECK_INT(vex->nr_statements, 0);
	CHECK_INT(vex->nr_docs, 0);
	strbuf_release(&big);
	strbuf_release(&err);
	policy_vex_free(vex);
}

TEST(policy_vex_scoped_to_products)
{
	struct policy_fixture f;
	size_t n;

	/* The product is libc6 (versionless): only the libc6 finding is suppressed. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"pkg:deb/debian/libc6\"}],"
	      " \"status\": \"not_affected\", \"justification\": \"vulnerable_code_not_present\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	CHECK_STR(f.text.buf, "CVE-2024-0001 vex:not_affected: vulnerable_code_not_present\nCVE-2024-0002 -\n"
			      "CVE-2024-0003 -\nCVE-2024-0003 -\n");
	policy_fixture_release(&f);

	/* Scoped to another product: nothing is suppressed, and the CVE is not suppressed everywhere. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"pkg:deb/debian/glibc-other\"}],"
	      " \"status\": \"not_affected\", \"justification\": \"component_not_present\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	CHECK(!strstr(f.text.buf, "vex"));
	policy_fixture_release(&f);

	/* Another version of the same package: not covered. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"pkg:deb/debian/libc6@2.36-9%2Bdeb12u3\"}], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	/* The exact version, written either way, is. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"pkg:deb/debian/libc6@2.36-9+deb12u4\"}], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	CHECK(strstr(f.text.buf, "CVE-2024-0001 vex:fixed\n"));
	policy_fixture_release(&f);

	/* Qualifiers in the statement must match; the package's other qualifiers do not matter. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"pkg:deb/debian/libc6?arch=arm64\"}], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"pkg:deb/debian/libc6?arch=amd64\"}], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);

	/* A non-purl @id with identifiers.purl uses the purl. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"https://example.com/libc\","
	      " \"identifiers\": {\"purl\": \"pkg:deb/debian/libc6\"}}], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	/* A non-purl @id alone covers nothing. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
	      "\"https://example.com/libc\"}],"
	      " \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
}

TEST(policy_vex_without_products_suppresses_nothing)
{
	struct policy_fixture f;
	size_t n;
	static const char *const words[] = {"team.vex.json", "statements[0]", "names no products", NULL};

	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"status\": \"not_affected\", "
	      "\"impact_statement\": "
	      "\"never loaded\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	CHECK(!strstr(f.text.buf, "vex"));
	CHECK(policy_fixture_warned(&f, words));
	policy_fixture_release(&f);
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	CHECK(policy_fixture_warned(&f, words));
	policy_fixture_release(&f);
}

TEST(policy_vex_subcomponents)
{
	struct policy_fixture f;
	size_t n;
	const char *stmt =
	    "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [{\"@id\": "
	    "\"pkg:oci/app@sha256%3A1111?repository_url=registry.local/app\", \"subcomponents\": [{\"@id\": "
	    "\"pkg:npm/left-pad@1.3.0\"}]}], \"status\": \"not_affected\", \"justification\": "
	    "\"vulnerable_code_not_in_execute_path\"}";
	const char *this_image[] = {"pkg:oci/app@sha256%3A1111", NULL};
	const char *other_image[] = {"pkg:oci/app@sha256%3A2222", NULL};

	/* The image cannot be told: subcomponents apply, both left-pad copies share the purl. */
	apply(&f, stmt, NULL, &n);
	CHECK_INT(n, 2);
	CHECK_STR(f.text.buf, "CVE-2024-0001 -\nCVE-2024-0002 -\nCVE-2024-0003 vex:not_affected: "
			      "vulnerable_code_not_in_execute_path\nCVE-2024-0003 vex:not_affected: "
			      "vulnerable_code_not_in_execute_path\n");
	policy_fixture_release(&f);
	/* The scanned image is the product (its repository_url qualifier is not compared). */
	apply(&f, stmt, this_image, &n);
	CHECK_INT(n, 2);
	policy_fixture_release(&f);
	/* Another image: the statement is about that image's left-pad, not ours. */
	apply(&f, stmt, other_image, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);

	/* The image alone as product covers every package in it, but only when it is the scanned image. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [{\"@id\": "
	      "\"pkg:oci/app@sha256%3A1111\"}],"
	      " \"status\": \"fixed\"}",
	      this_image, &n);
	CHECK_INT(n, 2);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [{\"@id\": "
	      "\"pkg:oci/app@sha256%3A1111\"}],"
	      " \"status\": \"fixed\"}",
	      other_image, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [{\"@id\": "
	      "\"pkg:oci/app@sha256%3A1111\"}],"
	      " \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);

	/* A package product with a subcomponent: the subcomponent is covered, another package is not. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [{\"@id\": "
	      "\"pkg:npm/%40scope/pkg\","
	      " \"subcomponents\": [{\"@id\": \"pkg:npm/left-pad\"}]}], \"status\": \"fixed\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"products\": [{\"@id\": "
	      "\"pkg:npm/%40scope/pkg\","
	      " \"subcomponents\": [{\"@id\": \"pkg:npm/left-pad\"}]}], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 2);
	CHECK(strstr(f.text.buf, "CVE-2024-0002 -\n"));
	policy_fixture_release(&f);
}

TEST(policy_vex_aliases)
{
	struct policy_fixture f;
	size_t n;

	/* The statement names the GHSA; the finding carries it as an alias. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"GHSA-aaaa-bbbb-cccc\"}, \"products\": "
	      "[\"pkg:deb/debian/openssl\"],"
	      " \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	CHECK(strstr(f.text.buf, "CVE-2024-0002 vex:fixed\n"));
	policy_fixture_release(&f);
	/* The statement's alias is the finding's ID. */
	apply(
	    &f,
	    "{\"vulnerability\": {\"name\": \"OSV-2024-1\", \"aliases\": [\"cve-2024-0001\"]}, \"products\": "
	    "[\"pkg:deb/debian/libc6\"], \"status\": \"not_affected\", \"impact_statement\": \"the code is "
	    "never loaded\"}",
	    NULL, &n);
	CHECK_INT(n, 1);
	CHECK(strstr(f.text.buf, "CVE-2024-0001 vex:not_affected: the code is never loaded\n"));
	policy_fixture_release(&f);
	/* Alias to alias. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"X-1\", \"aliases\": [\"DSA-5000-1\"]}, \"products\": "
	      "[\"pkg:deb/debian/libc6\"], \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
	/* A right ID on the wrong package does nothing. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"GHSA-aaaa-bbbb-cccc\"}, \"products\": "
	      "[\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"fixed\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	policy_fixture_release(&f);
}

TEST(policy_vex_affected_attaches_status)
{
	struct policy_fixture f;
	struct policy_gate g;
	struct policy_decision d;
	size_t n;

	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"affected\", \"action_statement\": \"upgrade to 2.36-9+deb12u5\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"products\": [\"pkg:deb/debian/openssl\"],"
	      " \"status\": \"under_investigation\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [\"pkg:npm/left-pad\"],"
	      " \"status\": \"under_investigation\", \"status_notes\": \"triage on monday\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	CHECK_STR(f.text.buf, "CVE-2024-0001 vex:affected:upgrade to 2.36-9+deb12u5\n"
			      "CVE-2024-0002 vex:under_investigation:-\n"
			      "CVE-2024-0003 vex:under_investigation:triage on monday\n"
			      "CVE-2024-0003 vex:under_investigation:triage on monday\n");
	/* They stay active: the gate counts them. */
	policy_gate_init(&g);
	g.fail_on = SEVERITY_CRITICAL;
	policy_decide(&g, f.res, &f.cat, NULL, &d);
	CHECK_INT(d.passed, 0);
	CHECK_INT(d.nr_suppressed, 0);
	policy_decision_release(&d);
	policy_fixture_release(&f);
}

TEST(policy_vex_later_statement_wins)
{
	struct policy_fixture f;
	size_t n;
	char *first, *second;

	/* Document order: affected after not_affected keeps the finding. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"not_affected\", \"justification\": \"component_not_present\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"affected\", \"action_statement\": \"upgrade\"}",
	      NULL, &n);
	CHECK_INT(n, 0);
	CHECK(strstr(f.text.buf, "CVE-2024-0001 vex:affected:upgrade\n"));
	policy_fixture_release(&f);

	/* Timestamps before position: the earlier-listed but newer not_affected wins. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"not_affected\", \"justification\": \"component_not_present\", \"timestamp\": "
	      "\"2026-06-01T00:00:00Z\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"under_investigation\", \"timestamp\": \"2026-03-01T00:00:00Z\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	CHECK(strstr(f.text.buf, "CVE-2024-0001 vex:not_affected: component_not_present\n"));
	policy_fixture_release(&f);

	/* Far dates neither overflow nor lose order; offsets count, and so do fractions. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"fixed\", \"timestamp\": \"9999-12-31T23:59:59.999999999+00:00\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"affected\", \"timestamp\": \"0001-01-01T00:00:00Z\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"products\": [\"pkg:deb/debian/openssl\"],"
	      " \"status\": \"affected\", \"timestamp\": \"2026-03-01T10:00:00.2Z\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"products\": [\"pkg:deb/debian/openssl\"],"
	      " \"status\": \"fixed\", \"timestamp\": \"2026-03-01T10:00:00.1Z\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [\"pkg:npm/left-pad\"],"
	      " \"status\": \"fixed\", \"timestamp\": \"2026-03-01T09:00:00-02:00\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0003\"}, \"products\": [\"pkg:npm/left-pad\"],"
	      " \"status\": \"affected\", \"timestamp\": \"2026-03-01T10:00:00Z\"}",
	      NULL, &n);
	CHECK_STR(f.text.buf,
		  "CVE-2024-0001 vex:fixed\nCVE-2024-0002 vex:affected:-\nCVE-2024-0003 vex:fixed\n"
		  "CVE-2024-0003 vex:fixed\n");
	policy_fixture_release(&f);

	/* Across documents with equal timestamps, the later document wins. */
	first = doc(
	    "{\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"products\": [\"pkg:deb/debian/openssl\"],"
	    " \"status\": \"fixed\"}");
	second = doc("{\"vulnerability\": {\"name\": \"GHSA-aaaa-bbbb-cccc\"}, \"products\": "
		     "[\"pkg:deb/debian/openssl\"],"
		     " \"status\": \"affected\"}");
	{
		const char *docs[] = {first, second, NULL};
		const char *reversed[] = {second, first, NULL};

		apply_docs(&f, docs, NULL, &n);
		CHECK_INT(n, 0);
		CHECK(strstr(f.text.buf, "CVE-2024-0002 vex:affected:-\n"));
		policy_fixture_release(&f);
		apply_docs(&f, reversed, NULL, &n);
		CHECK_INT(n, 1);
		CHECK(strstr(f.text.buf, "CVE-2024-0002 vex:fixed\n"));
		policy_fixture_release(&f);
	}
	free(first);
	free(second);

	/* A statement about another product never hides the winner for ours. */
	apply(&f,
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
	      " \"status\": \"fixed\"},"
	      "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/other\"],"
	      " \"status\": \"affected\"}",
	      NULL, &n);
	CHECK_INT(n, 1);
	policy_fixture_release(&f);
}

TEST(policy_vex_keeps_earlier_suppression_and_bad_documents_add_nothing)
{
	struct policy_fixture f;
	struct policy_vex *vex = policy_vex_new();
	char *good =
	    doc("{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [\"pkg:deb/debian/libc6\"],"
		" \"status\": \"fixed\"}");
	char *bad = doc(
	    "{\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"products\": [\"pkg:deb/debian/openssl\"],"
	    " \"status\": \"fixed\"}, {\"vulnerability\": {\"name\": \"CVE-2024-0002\"}, \"status\": "
	    "\"gone\"}");

	scene(&f);
	CHECK_INT(parse_into(vex, good, &f.err), 0);
	CHECK_INT(parse_into(vex, bad, &f.err), ERR_BAD_INPUT);
	CHECK_INT(vex->nr_docs, 1);
	CHECK_INT(vex->nr_statements, 1);
	f.res->findings[0].suppressed_by = "ignore";
	f.res->findings[0].suppressed_reason = "ours";
	CHECK_INT(policy_apply_vex(vex, f.res, &f.cat, NULL), 0);
	CHECK_STR(policy_fixture_marks(&f),
		  "CVE-2024-0001 ignore:ours\nCVE-2024-0002 -\nCVE-2024-0003 -\nCVE-2024-0003 -\n");
	free(good);
	free(bad);
	policy_vex_free(vex);
	policy_fixture_release(&f);
}
