/* The gate's decision: thresholds over the findings that remain after ignore rules and VEX. */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/internal.h"
#include "util/error.h"
#include "util/xalloc.h"

/* A reason names this many findings, then says how many more there are. */
#define REASON_MAX_NAMED 10
#define MAX_COUNT_LIMIT 1000000000LL

void policy_gate_init(struct policy_gate *gate)
{
	memset(gate, 0, sizeof(*gate));
	gate->fail_on = POLICY_FAIL_ON_NONE;
	for (int s = 0; s < SEVERITY_COUNT; s++)
		gate->max_count[s] = POLICY_NO_LIMIT;
}

/*
 * Only the five names are thresholds: the synonyms severity_parse() knows
 * ("moderate", "important") are advisory words, and a flag that accepted
 * them would suggest levels the gate does not have.
 */
static int parse_threshold(const char *word, size_t len, enum severity *out)
{
	for (int s = 0; s < SEVERITY_COUNT; s++) {
		const char *name = severity_name((enum severity)s);

		if (strlen(name) == len && !strncasecmp(name, word, len)) {
			*out = (enum severity)s;
			return 0;
		}
	}
	return -1;
}

int policy_parse_fail_on(struct policy_gate *gate, const char *arg, struct strbuf *err)
{
	enum severity s;

	if (parse_threshold(arg, strlen(arg), &s))
		return error_code(
		    err, ERR_USAGE,
		    "unknown severity '%s' for --fail-on: use critical, high, medium, low or unknown", arg);
	gate->fail_on = (int)s;
	return 0;
}

int policy_parse_fail_on_count(struct policy_gate *gate, const char *arg, struct strbuf *err)
{
	const char *eq = strchr(arg, '=');
	enum severity s;
	long long n = 0;

	if (!eq)
		return error_code(err, ERR_USAGE, "--fail-on-count needs SEVERITY=N, not '%s'", arg);
	if (parse_threshold(arg, (size_t)(eq - arg), &s))
		return error_code(
		    err, ERR_USAGE,
		    "unknown severity '%.*s' in --fail-on-count: use critical, high, medium, low or "
		    "unknown",
		    (int)(eq - arg), arg);
	if (!eq[1])
		return error_code(err, ERR_USAGE, "--fail-on-count '%s' needs a count after '='", arg);
	for (const char *p = eq + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return error_code(err, ERR_USAGE,
					  "--fail-on-count '%s': the count must be a whole number", arg);
		n = n * 10 + (*p - '0');
		if (n > MAX_COUNT_LIMIT)
			return error_code(err, ERR_USAGE, "--fail-on-count '%s': the count is too large",
					  arg);
	}
	gate->max_count[s] = n;
	return 0;
}

const char *policy_finding_state_name(enum policy_finding_state s)
{
	static const char *const names[] = {
	    [POLICY_COUNTED] = "counted",
	    [POLICY_SUPPRESSED] = "suppressed",
	    [POLICY_EXCLUDED_UNFIXED] = "excluded-unfixed",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "counted";
}

/* Append one check finding as a reason names it: "CUS-SEC-003 in app/.env:3" or "CUS-CFG-001 (image config)". */
static void name_check(struct strbuf *sb, struct arena *scratch, const struct check_finding *f)
{
	strbuf_addstr(sb, f->rule->id);
	if (f->path) {
		strbuf_addf(sb, " in %s", policy_printable(scratch, f->path));
		if (f->line)
			strbuf_addf(sb, ":%llu", (unsigned long long)f->line);
	} else if (f->subject) {
		strbuf_addf(sb, " (%s)", policy_printable(scratch, f->subject));
	}
}

/*
 * Append ": ID in package version, ..." naming the counted findings of
 * severity min_severity (exact) or at or above it, vulnerabilities first,
 * then checks, and mark them failing.
 */
static void name_findings(struct strbuf *sb, struct arena *scratch, const struct match_result *res,
			  const struct catalog *cat, const struct check_results *checks,
			  struct policy_decision *d, int min_severity, int exact)
{
	size_t named = 0, total = 0;
	size_t n = res ? res->nr_findings : 0;

	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &res->findings[i];

		if (d->state[i] != POLICY_COUNTED)
			continue;
		if (exact ? (int)f->severity != min_severity : (int)f->severity < min_severity)
			continue;
		d->failing[i] = 1;
		total++;
		if (named == REASON_MAX_NAMED)
			continue;
		strbuf_addstr(sb, named ? ", " : ": ");
		strbuf_addstr(sb, policy_printable(scratch, f->id));
		if (cat && f->package < cat->packages.nr) {
			const struct package *p = &cat->packages.items[f->package];

			strbuf_addf(sb, " in %s", policy_printable(scratch, p->name));
			if (p->version)
				strbuf_addf(sb, " %s", policy_printable(scratch, p->version));
		}
		named++;
	}
	for (size_t i = 0; i < d->nr_checks; i++) {
		const struct check_finding *f = &checks->findings[i];
		int sev = (int)f->rule->severity;

		if (d->check_state[i] != POLICY_COUNTED)
			continue;
		if (exact ? sev != min_severity : sev < min_severity)
			continue;
		d->check_failing[i] = 1;
		total++;
		if (named == REASON_MAX_NAMED)
			continue;
		strbuf_addstr(sb, named ? ", " : ": ");
		name_check(sb, scratch, f);
		named++;
	}
	if (total > named)
		strbuf_addf(sb, " and %zu more", total - named);
}

static void add_reason(struct policy_decision *d, struct strbuf *sb)
{
	d->reasons = xrealloc(d->reasons, (d->nr_reasons + 1) * sizeof(*d->reasons));
	d->reasons[d->nr_reasons++] = strbuf_detach(sb, NULL);
}

void policy_decide(const struct policy_gate *gate, const struct match_result *res, const struct catalog *cat,
		   const struct check_results *checks, struct policy_decision *out)
{
	struct arena scratch = ARENA_INIT;
	size_t n = res ? res->nr_findings : 0;
	size_t nc = checks ? checks->nr : 0;

	memset(out, 0, sizeof(*out));
	out->audit = gate->audit;
	out->nr_findings = n;
	out->state = xcalloc(n ? n : 1, 1);
	out->failing = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &res->findings[i];

		if (f->suppressed_by) {
			out->state[i] = POLICY_SUPPRESSED;
			out->nr_suppressed++;
		} else if (gate->only_fixed && !f->fixed_version) {
			out->state[i] = POLICY_EXCLUDED_UNFIXED;
			out->nr_excluded++;
		} else {
			out->state[i] = POLICY_COUNTED;
			out->nr_counted++;
			if ((unsigned)f->severity < SEVERITY_COUNT)
				out->counted[f->severity]++;
		}
	}
	/* Checks have no fix version: --only-fixed is about vulnerabilities and leaves them counted. */
	out->nr_checks = nc;
	out->check_state = xcalloc(nc ? nc : 1, 1);
	out->check_failing = xcalloc(nc ? nc : 1, 1);
	for (size_t i = 0; i < nc; i++) {
		const struct check_finding *f = &checks->findings[i];

		if (f->suppressed_by) {
			out->check_state[i] = POLICY_SUPPRESSED;
			out->nr_suppressed++;
		} else {
			out->check_state[i] = POLICY_COUNTED;
			out->nr_counted++;
			out->counted[f->rule->severity]++;
		}
	}

	if (gate->fail_on != POLICY_FAIL_ON_NONE) {
		size_t at_or_above = 0;

		for (int s = gate->fail_on; s < SEVERITY_COUNT; s++)
			at_or_above += out->counted[s];
		if (at_or_above) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%zu finding%s at or above %s", at_or_above,
				    at_or_above == 1 ? "" : "s", severity_name((enum severity)gate->fail_on));
			name_findings(&sb, &scratch, res, cat, checks, out, gate->fail_on, 0);
			add_reason(out, &sb);
		}
	}
	/* Most severe first, so the reasons read in the order of the report. */
	for (int s = SEVERITY_COUNT - 1; s >= 0; s--) {
		struct strbuf sb = STRBUF_INIT;

		if (gate->max_count[s] < 0 || (long long)out->counted[s] <= gate->max_count[s])
			continue;
		strbuf_addf(&sb, "%zu %s finding%s, more than the %lld allowed", out->counted[s],
			    severity_name((enum severity)s), out->counted[s] == 1 ? "" : "s",
			    gate->max_count[s]);
		name_findings(&sb, &scratch, res, cat, checks, out, s, 1);
		add_reason(out, &sb);
	}
	out->would_fail = out->nr_reasons > 0;
	out->passed = !out->would_fail || gate->audit;
	arena_release(&scratch);
}

void policy_decision_release(struct policy_decision *d)
{
	for (size_t i = 0; i < d->nr_reasons; i++)
		free(d->reasons[i]);
	free(d->reasons);
	free(d->state);
	free(d->failing);
	free(d->check_state);
	free(d->check_failing);
	memset(d, 0, sizeof(*d));
}
