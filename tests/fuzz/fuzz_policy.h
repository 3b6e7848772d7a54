/* Shared scene of the policy fuzz targets: a fixed catalog and match result to mark. */
#ifndef CUSTOMS_TESTS_FUZZ_FUZZ_POLICY_H
#define CUSTOMS_TESTS_FUZZ_FUZZ_POLICY_H

#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "util/xalloc.h"

/* type, name, version, purl, path, install path: what the catalogers would have found. */
static const char *const fuzz_policy_packages[][6] = {
    {"deb", "libc6", "2.36-9+deb12u4", "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
     "var/lib/dpkg/status", NULL},
    {"deb", "openssl", "3.0.11-1~deb12u2",
     "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "var/lib/dpkg/status", NULL},
    /* Two copies with one purl, told apart only by their paths. */
    {"npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", "app/node_modules/left-pad/package.json",
     "app/node_modules/left-pad"},
    {"npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0",
     "app/node_modules/@scope/pkg/node_modules/left-pad/package.json",
     "app/node_modules/@scope/pkg/node_modules/left-pad"},
    {"npm", "@scope/pkg", "1.2.3", "pkg:npm/%40scope/pkg@1.2.3", "app/node_modules/@scope/pkg/package.json",
     "app/node_modules/@scope/pkg"},
    /* No purl, and a purl that does not parse: neither may be matched by a purl scope. */
    {"binary", "busybox", "1.36.1", NULL, "bin/busybox", NULL},
    {"pypi", "Django", "4.2.1", "pkg:", "usr/lib/python3/dist-packages/Django-4.2.1.dist-info/METADATA",
     NULL},
};

/* ID, space-separated aliases, package index. */
static const struct {
	const char *id, *aliases;
	size_t package;
	enum severity severity;
} fuzz_policy_findings[] = {
    {"CVE-2024-0001", "DSA-5000-1", 0, SEVERITY_CRITICAL},
    {"CVE-2024-0002", "GHSA-aaaa-bbbb-cccc", 1, SEVERITY_HIGH},
    {"CVE-2024-0003", "GHSA-xxxx-yyyy-zzzz", 2, SEVERITY_MEDIUM},
    {"CVE-2024-0003", "GHSA-xxxx-yyyy-zzzz", 3, SEVERITY_MEDIUM},
    {"CVE-2024-0005", NULL, 4, SEVERITY_LOW},
    {"CVE-2024-0006", "GHSA-1111-2222-3333 OSV-2024-6", 5, SEVERITY_UNKNOWN},
    {"PYSEC-2024-7", "CVE-2024-0007", 6, SEVERITY_HIGH},
    /* A package index past the catalog: scoped rules and statements cannot apply to it. */
    {"CVE-2024-0008", NULL, 99, SEVERITY_LOW},
};

#define FUZZ_POLICY_NR_FINDINGS (sizeof(fuzz_policy_findings) / sizeof(fuzz_policy_findings[0]))

static void fuzz_policy_catalog(struct catalog *cat)
{
	memset(cat, 0, sizeof(*cat));
	cat->os.id = "debian";
	cat->os.version_id = "12";
	for (size_t i = 0; i < sizeof(fuzz_policy_packages) / sizeof(fuzz_policy_packages[0]); i++) {
		struct package *p = package_list_append(&cat->packages);

		p->type = fuzz_policy_packages[i][0];
		p->name = fuzz_policy_packages[i][1];
		p->version = fuzz_policy_packages[i][2];
		p->purl = fuzz_policy_packages[i][3];
		p->path = fuzz_policy_packages[i][4];
		p->install_path = fuzz_policy_packages[i][5];
		p->layer = 0;
	}
}

static void fuzz_policy_catalog_release(struct catalog *cat)
{
	package_list_release(&cat->packages);
	warnings_release(&cat->warnings);
	arena_release(&cat->arena);
}

/* A fresh result, as matching leaves it; free it with match_result_free(). */
static struct match_result *fuzz_policy_result(void)
{
	struct match_result *res = xcalloc(1, sizeof(*res));

	res->findings = arena_alloc(&res->arena, FUZZ_POLICY_NR_FINDINGS * sizeof(*res->findings));
	for (size_t i = 0; i < FUZZ_POLICY_NR_FINDINGS; i++) {
		struct finding *f = &res->findings[res->nr_findings++];
		char *copy = arena_strdup(
		    &res->arena, fuzz_policy_findings[i].aliases ? fuzz_policy_findings[i].aliases : "");

		f->id = fuzz_policy_findings[i].id;
		f->package = fuzz_policy_findings[i].package;
		f->severity = fuzz_policy_findings[i].severity;
		f->layer = 0;
		res->counts[f->severity]++;
		f->aliases = arena_alloc(&res->arena, (strlen(copy) / 2 + 1) * sizeof(*f->aliases));
		for (char *p = copy; *p;) {
			while (*p == ' ')
				*p++ = '\0';
			if (!*p)
				break;
			f->aliases[f->nr_aliases++] = p;
			while (*p && *p != ' ')
				p++;
		}
	}
	return res;
}

/*
 * What holds after any marking: warnings are single non-empty lines, and
 * the decision counts exactly the findings that are marked suppressed.
 */
static void fuzz_policy_check_result(const struct match_result *res, const struct catalog *cat)
{
	struct policy_gate gate;
	struct policy_decision d;
	size_t nr_suppressed = 0;

	for (size_t w = 0; w < res->warnings.nr; w++)
		if (!*res->warnings.msgs[w] || strchr(res->warnings.msgs[w], '\n'))
			abort();
	for (size_t i = 0; i < res->nr_findings; i++) {
		const struct finding *f = &res->findings[i];

		if (f->suppressed_by) {
			if (!f->suppressed_reason || !*f->suppressed_reason)
				abort();
			nr_suppressed++;
		}
		if (f->vex_status && strcmp(f->vex_status, "affected") &&
		    strcmp(f->vex_status, "under_investigation"))
			abort();
		if (f->vex_detail && strlen(f->vex_detail) > (1u << 30))
			abort(); /* touch it, so a dangling copy shows up under ASan */
	}
	policy_gate_init(&gate);
	gate.fail_on = SEVERITY_LOW;
	policy_decide(&gate, res, cat, NULL, &d);
	if (d.nr_findings != res->nr_findings || d.nr_suppressed != nr_suppressed ||
	    d.nr_counted + d.nr_suppressed + d.nr_excluded != res->nr_findings)
		abort();
	for (size_t r = 0; r < d.nr_reasons; r++)
		if (!d.reasons[r] || strchr(d.reasons[r], '\n'))
			abort();
	policy_decision_release(&d);
}

#endif
