/* The shared finding list of the posture checks, and the one table of their rules. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "util/xalloc.h"

static const struct check_rule rules[] = {
#define CONFIG_RULE(name, id, severity, title, why, remediation) \
	{ id, CHECK_KIND_CONFIG, severity, title, why, remediation },
#include "checks/config_rules.def"
#undef CONFIG_RULE
#define SECRET_RULE(name, id, severity, title, why, remediation) \
	{ id, CHECK_KIND_SECRET, severity, title, why, remediation },
#include "checks/secret_rules.def"
#undef SECRET_RULE
#define DOCKERFILE_RULE(name, id, severity, title, why, remediation) \
	{ id, CHECK_KIND_DOCKERFILE, severity, title, why, remediation },
#include "checks/dockerfile_rules.def"
#undef DOCKERFILE_RULE
};

#define NR_RULES (sizeof(rules) / sizeof(rules[0]))

static const char *const kind_names[CHECK_KIND_COUNT] = { "vuln", "config", "secret", "dockerfile" };

const char *check_kind_name(enum check_kind kind)
{
	return (unsigned)kind < CHECK_KIND_COUNT ? kind_names[kind] : "unknown";
}

int check_kinds_parse(const char *list, unsigned *kinds, char *bad, size_t bad_size)
{
	const char *p = list;
	unsigned bits = 0;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int k;

		for (k = 0; k < CHECK_KIND_COUNT; k++)
			if (strlen(kind_names[k]) == len && !memcmp(kind_names[k], p, len))
				break;
		if (k == CHECK_KIND_COUNT) {
			if (bad_size) {
				size_t n = len < bad_size - 1 ? len : bad_size - 1;

				memcpy(bad, p, n);
				bad[n] = '\0';
			}
			return -1;
		}
		bits |= 1u << k;
		if (!comma)
			break;
		p = comma + 1;
	}
	*kinds = bits;
	return 0;
}

const struct check_rule *check_rules(size_t *nr)
{
	*nr = NR_RULES;
	return rules;
}

const struct check_rule *check_rule_find(const char *id)
{
	for (size_t i = 0; i < NR_RULES; i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

void check_results_init(struct check_results *res)
{
	memset(res, 0, sizeof(*res));
	}

void check_results_release(struct check_results *res)
{
	free(res->findings);
	arena_release(&res->arena);
	memset(res, 0, sizeof(*res));
}

static size_t count_rule(const struct check_results *res, const struct check_rule *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < res->nr; i++)
		n += res->findings[i].rule == rule;
	return n;
}

struct check_finding *check_results_add(struct check_results *res, const struct check_finding *f)
{
	struct check_finding *slot;

	/* Counting is linear, but only rules near their cap make it matter, and the cap bounds it. */
	if (count_rule(res, f->rule) >= CHECK_MAX_FINDINGS_PER_RULE) {
		res->per_rule_dropped++;
		return NULL;
	}
	if (res->nr == res->alloc) {
		res->alloc = res->alloc ? 2 * res->alloc : 16;
		res->findings = xrealloc(res->findings, res->alloc * sizeof(*res->findings));
	}
	slot = &res->findings[res->nr++];
	*slot = *f;
	return slot;
}

size_t check_results_tally(const struct check_results *res, size_t counts[SEVERITY_COUNT], size_t *suppressed)
{
	size_t active = 0, quiet = 0;

	for (int s = 0; s < SEVERITY_COUNT; s++)
		counts[s] = 0;
	for (size_t i = 0; res && i < res->nr; i++) {
		const struct check_finding *f = &res->findings[i];

		if (f->suppressed_by) {
			quiet++;
			continue;
		}
		counts[f->rule->severity < SEVERITY_COUNT ? f->rule->severity : SEVERITY_UNKNOWN]++;
		active++;
	}
	if (suppressed)
		*suppressed = quiet;
	return active;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct check_finding *a = pa, *b = pb;
	int c;

	if (a->rule->severity != b->rule->severity)
		return (int)b->rule->severity - (int)a->rule->severity;
	if ((c = strcmp(a->rule->id, b->rule->id)))
		return c;
	if ((c = cmp_str(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = cmp_str(a->subject, b->subject)))
		return c;
	return (a->layer > b->layer) - (a->layer < b->layer);
}

void check_results_sort(struct check_results *res)
{
	if (res->nr > 1)
		qsort(res->findings, res->nr, sizeof(*res->findings), cmp_finding);
}
