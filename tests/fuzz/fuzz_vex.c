/* libFuzzer target for OpenVEX: any bytes as a second document, applied to fixed findings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_policy.h"
#include "policy/policy.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Loaded before the fuzzed document, so the order across documents and
 * timestamps takes part: it says the image is not affected by one CVE and
 * that left-pad's is under investigation.
 */
static const char base_doc[] =
    "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"https://example.com/vex/base\","
    " \"author\": \"Team\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"version\": 1, \"statements\": ["
    "{\"vulnerability\": {\"name\": \"CVE-2024-0001\"}, \"products\": [{\"@id\": "
    "\"pkg:oci/app@sha256%3Aabc\","
    " \"subcomponents\": [{\"@id\": \"pkg:deb/debian/libc6\"}]}], \"status\": \"not_affected\","
    " \"justification\": \"vulnerable_code_not_in_execute_path\"},"
    "{\"vulnerability\": {\"name\": \"GHSA-xxxx-yyyy-zzzz\"}, \"products\": [\"pkg:npm/left-pad@1.3.0\"],"
    " \"status\": \"under_investigation\", \"status_notes\": \"looking\"}]}";

static const char *const image_purls[] = {"pkg:oci/app@sha256%3Aabc?repository_url=localhost/app", NULL};

static void apply_once(const struct policy_vex *vex, const struct catalog *cat, const char *const *images)
{
	struct match_result *res = fuzz_policy_result();
	size_t n, marked = 0;

	/* An earlier suppression keeps its name whatever the statements say. */
	res->findings[2].suppressed_by = "ignore";
	res->findings[2].suppressed_reason = "accepted";
	n = policy_apply_vex(vex, res, cat, images);
	for (size_t i = 0; i < res->nr_findings; i++) {
		const struct finding *f = &res->findings[i];

		if (i == 2) {
			if (strcmp(f->suppressed_by, "ignore") || strcmp(f->suppressed_reason, "accepted"))
				abort();
			continue;
		}
		if (!f->suppressed_by)
			continue;
		if (strcmp(f->suppressed_by, "vex") || (strcmp(f->suppressed_reason, "fixed") &&
							strncmp(f->suppressed_reason, "not_affected: ", 14)))
			abort();
		marked++;
	}
	if (n != marked || res->warnings.nr < vex->nr_warnings)
		abort();
	fuzz_policy_check_result(res, cat);
	match_result_free(res);
}

/*
 * A VEX document may come from a vendor. A success adds complete
 * statements; a failure is one line naming the document and adds nothing,
 * so the set keeps only the base document.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct policy_vex *vex = policy_vex_new();
	struct catalog cat;
	size_t base_statements;

	if (policy_vex_parse(vex, base_doc, sizeof(base_doc) - 1, "base.vex.json", &err))
		abort();
	base_statements = vex->nr_statements;
	if (policy_vex_parse(vex, (const char *)data, size, "fuzz.vex.json", &err) == 0) {
		if (vex->nr_docs != 2 || vex->nr_statements > POLICY_VEX_MAX_STATEMENTS)
			abort();
		for (size_t s = base_statements; s < vex->nr_statements; s++) {
			const struct policy_vex_statement *st = &vex->statements[s];

			if (st->doc != 1 || st->index != s - base_statements || !st->nr_vuln_ids ||
			    st->status > VEX_UNDER_INVESTIGATION ||
			    (st->status == VEX_NOT_AFFECTED && !st->justification && !st->impact_statement))
				abort();
			for (size_t k = 0; k < st->nr_vuln_ids; k++)
				if (!st->vuln_ids[k] || !*st->vuln_ids[k])
					abort();
			for (size_t p = 0; p < st->nr_products; p++)
				if (!st->products[p].id || !*st->products[p].id)
					abort();
		}
	} else if (vex->nr_docs != 1 || vex->nr_statements != base_statements || !err.len ||
		   strchr(err.buf, '\n') || !strstr(err.buf, "fuzz.vex.json")) {
		abort();
	}
	fuzz_policy_catalog(&cat);
	apply_once(vex, &cat, image_purls);
	/* Without the image's purls, subcomponents of any oci product count. */
	apply_once(vex, &cat, NULL);
	apply_once(vex, NULL, image_purls);
	fuzz_policy_catalog_release(&cat);
	policy_vex_free(vex);
	strbuf_release(&err);
	return 0;
}
