/* libFuzzer target for ignore files: any bytes as .customsignore.json, applied to fixed findings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_policy.h"
#include "policy/policy.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2026-11-28 12:00:00 UTC: rules expiring on that day still apply. */
#define FUZZ_NOW ((time_t)1795867200)

static int is_rule_reason(const struct policy_ignore *ig, const char *reason)
{
	for (size_t r = 0; r < ig->nr_rules; r++)
		if (!strcmp(ig->rules[r].reason, reason))
			return 1;
	return 0;
}

/*
 * A rule comes with the repository being scanned and fails closed: a
 * success holds only complete rules, a failure is one line naming the
 * file and yields nothing. Applied, a rule marks only active findings
 * with its own reason, and leaves a finding VEX suppressed first alone.
 */
static void apply_once(const struct policy_ignore *ig, const struct catalog *cat, time_t now)
{
	struct match_result *res = fuzz_policy_result();
	size_t n, marked = 0;

	/* VEX goes first in a scan; what it suppressed keeps its name. */
	res->findings[1].suppressed_by = "vex";
	res->findings[1].suppressed_reason = "fixed";
	n = policy_apply_ignore(ig, res, cat, now);
	for (size_t i = 0; i < res->nr_findings; i++) {
		const struct finding *f = &res->findings[i];

		if (i == 1) {
			if (strcmp(f->suppressed_by, "vex") || strcmp(f->suppressed_reason, "fixed"))
				abort();
			continue;
		}
		if (!f->suppressed_by)
			continue;
		if (strcmp(f->suppressed_by, "ignore") || !is_rule_reason(ig, f->suppressed_reason))
			abort();
		marked++;
	}
	if (n != marked)
		abort();
	fuzz_policy_check_result(res, cat);
	match_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct policy_ignore *ig = NULL;
	struct catalog cat;

	if (policy_ignore_parse((const char *)data, size, ".customsignore.json", &ig, &err) == 0) {
		if (!ig || ig->nr_rules > POLICY_IGNORE_MAX_RULES)
			abort();
		for (size_t r = 0; r < ig->nr_rules; r++) {
			const struct policy_ignore_rule *rule = &ig->rules[r];

			if (rule->index != r || !rule->id || !*rule->id || !rule->reason || !*rule->reason ||
			    (rule->package && !*rule->package) ||
			    (rule->expires && strlen(rule->expires) != 10))
				abort();
		}
		fuzz_policy_catalog(&cat);
		apply_once(ig, &cat, FUZZ_NOW);
		/* Far enough ahead that every dated rule has expired. */
		apply_once(ig, &cat, FUZZ_NOW + (time_t)200 * 365 * 86400);
		/* Without the catalog only unscoped rules can apply. */
		apply_once(ig, NULL, FUZZ_NOW);
		fuzz_policy_catalog_release(&cat);
		policy_ignore_free(ig);
	} else if (ig || !err.len || strchr(err.buf, '\n') || !strstr(err.buf, ".customsignore.json")) {
		abort();
	}
	strbuf_release(&err);
	return 0;
}
