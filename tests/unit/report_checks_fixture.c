/* Posture-check findings of each kind for the report writer tests. */
#include "report_checks_fixture.h"

#include <string.h>

#include "test.h"

static void add(struct checks_fixture *c, const struct check_finding *f)
{
	CHECK(f->rule != NULL);
	if (f->rule)
		CHECK(check_results_add(&c->checks, f) != NULL);
}

void checks_fixture_init(struct checks_fixture *c)
{
	memset(c, 0, sizeof(*c));
	scan_fixture_init(&c->s);
	check_results_init(&c->checks);
	c->checks.kinds_run = CHECK_KINDS_ALL;
	c->checks.dockerfile = "build/Dockerfile";
	add(c, &(struct check_finding){
		   .rule = check_rule_find("CUS-CFG-002"),
		   .subject = "API_TOKEN",
		   .detail = "ENV API_TOKEN holds a value shaped like a token (40 chars).",
		   .layer = -1,
		   .history = 2,
		   .instruction = "ENV API_TOKEN=[redacted]",
		   .dockerfile_line = 7,
	       });
	add(c, &(struct check_finding){
		   .rule = check_rule_find("CUS-SEC-003"),
		   .path = "app/.env",
		   .line = 3,
		   .subject = "AKIA\xe2\x80\xa6 (20 chars) " CHECKS_FIXTURE_HOSTILE,
		   .detail = "An AWS access key ID: " CHECKS_FIXTURE_HOSTILE,
		   .layer = 1,
		   .history = -1,
		   .instruction = "COPY . /app",
	       });
	add(c, &(struct check_finding){
		   .rule = check_rule_find("CUS-CFG-001"),
		   .path = "build/Dockerfile",
		   .path_is_dockerfile = 1,
		   .line = 12,
		   .subject = "USER root",
		   .detail = "The last USER instruction sets root.",
		   .layer = -1,
		   .history = -1,
	       });
	add(c, &(struct check_finding){
		   .rule = check_rule_find("CUS-CFG-001"),
		   .subject = "no USER",
		   .detail = "The image config sets no user, so its processes run as root.",
		   .layer = -1,
		   .history = -1,
	       });
	add(c, &(struct check_finding){
		   .rule = check_rule_find("CUS-SEC-001"),
		   .path = "root/.ssh/id_rsa",
		   .line = 1,
		   .subject = "-----BEGIN RSA PRIVATE KEY----- (1675 bytes)",
		   .detail = "A PEM private key.",
		   .layer = 0,
		   .history = -1,
		   .suppressed_by = "ignore",
		   .suppressed_reason = "test key | <b>only</b>",
	       });
	check_results_sort(&c->checks);
	c->s.f.in.checks = &c->checks;
}

int checks_fixture_find(const struct checks_fixture *c, const char *id)
{
	for (size_t i = 0; i < c->checks.nr; i++)
		if (!strcmp(c->checks.findings[i].rule->id, id))
			return (int)i;
	return -1;
}

int checks_fixture_find_at(const struct checks_fixture *c, const char *id, const char *path)
{
	for (size_t i = 0; i < c->checks.nr; i++) {
		const struct check_finding *f = &c->checks.findings[i];

		if (!strcmp(f->rule->id, id) && (path ? f->path && !strcmp(f->path, path) : !f->path))
			return (int)i;
	}
	return -1;
}

void checks_fixture_gate(struct checks_fixture *c, int audit)
{
	scan_fixture_gate(&c->s, audit);
	for (size_t i = 0; i < c->checks.nr; i++) {
		const struct check_finding *f = &c->checks.findings[i];
		c->check_failing[i] = !f->suppressed_by && f->rule->severity >= SEVERITY_HIGH;
	}
	c->s.verdict.check_failing = c->check_failing;
}

void checks_fixture_release(struct checks_fixture *c)
{
	check_results_release(&c->checks);
	scan_fixture_release(&c->s);
}
