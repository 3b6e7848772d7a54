/* The CI gate: ignore rules and OpenVEX mark findings suppressed, then one decision passes or fails. */
#ifndef CUSTOMS_POLICY_POLICY_H
#define CUSTOMS_POLICY_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "match/match.h"
#include "match/severity.h"
#include "util/arena.h"
#include "util/strbuf.h"

struct cJSON;

/*
 * The order of work in `customs scan`:
 *   1. policy_apply_vex() and policy_apply_ignore() mark findings in the
 *      match result (suppressed_by, suppressed_reason, vex_status, vex_detail);
 *   2. policy_decide() looks at the whole marked result once;
 *   3. reports show what they like (a --severity filter, say) and read the
 *      decision for the verdict. Nothing a report filters feeds back into 2.
 * A finding suppressed by one source is not touched by the other's
 * suppression, so the first source applied names it; VEX goes first.
 */

/* ---- The gate ---- */

/* fail_on when no --fail-on was given. */
#define POLICY_FAIL_ON_NONE (-1)
/* max_count when no --fail-on-count was given for that severity. */
#define POLICY_NO_LIMIT (-1)

struct policy_gate {
	int fail_on; /* an enum severity, or POLICY_FAIL_ON_NONE */
	/* Per enum severity: the most findings allowed, or POLICY_NO_LIMIT. */
	long long max_count[SEVERITY_COUNT];
	/* --only-fixed / --ignore-unfixed: findings with no fix take no part in the decision. */
	int only_fixed;
	int audit; /* --audit: decide and explain, but pass */
};

/* No threshold: every result passes. */
void policy_gate_init(struct policy_gate *gate);

/*
 * --fail-on SEVERITY: one of critical, high, medium, low, unknown
 * (case-insensitive). Returns 0, or ERR_USAGE with one line in err.
 */
int policy_parse_fail_on(struct policy_gate *gate, const char *arg, struct strbuf *err);

/*
 * --fail-on-count SEVERITY=N, where N is a decimal count from 0 to
 * 1000000000. Repeating a severity keeps the last value, as command-line
 * flags override a config file. Returns 0, or ERR_USAGE.
 */
int policy_parse_fail_on_count(struct policy_gate *gate, const char *arg, struct strbuf *err);

/* How one finding took part in the decision. */
enum policy_finding_state {
	POLICY_COUNTED = 0,	 /* active: counted, and may have failed the gate */
	POLICY_SUPPRESSED,	 /* suppressed_by is set: it never counts */
	POLICY_EXCLUDED_UNFIXED, /* active, but left out by only_fixed because it has no fix */
};

/* "counted", "suppressed", "excluded-unfixed". */
const char *policy_finding_state_name(enum policy_finding_state s);

/*
 * The verdict on one match result. Reports read it to say what failed the
 * build and which findings took no part: state[i] and failing[i] describe
 * res->findings[i].
 */
struct policy_decision {
	int passed;	/* what the build should do: 1 pass, 0 fail; always 1 in audit mode */
	int would_fail; /* the verdict without audit mode: 1 when a threshold was crossed */
	int audit;	/* copied from the gate, so reports can say "audit: would have failed" */
	size_t counted[SEVERITY_COUNT]; /* counted findings per severity */
	size_t nr_counted, nr_suppressed, nr_excluded;
	size_t nr_findings;	/* the length of state and failing */
	unsigned char *state;	/* enum policy_finding_state per finding; owned */
	unsigned char *failing; /* 1 for each finding that crossed a threshold; owned */
	/* The same for the check findings: check_state[i] and check_failing[i] describe checks->findings[i]. */
	size_t nr_checks;
	unsigned char *check_state;
	unsigned char *check_failing;
	/*
	 * One line per crossed threshold, such as "3 findings at or above
	 * high: CVE-2024-1 in libc6, ..." or "2 critical findings, more than
	 * the 1 allowed: ...". The same lines in audit mode. Owned; printable
	 * (no control characters).
	 */
	char **reasons;
	size_t nr_reasons;
};

/*
 * Decide on the whole of res and checks (either may be NULL), after ignore
 * rules and VEX have marked them: thresholds count vulnerabilities and
 * check findings together, and only_fixed leaves check findings counted,
 * as they have no fix version. Takes no display filter: what reports show
 * never changes the verdict. cat names the packages in reasons and may be
 * NULL. The caller releases out with policy_decision_release(). Never fails.
 */
void policy_decide(const struct policy_gate *gate, const struct match_result *res, const struct catalog *cat,
		   const struct check_results *checks, struct policy_decision *out);
void policy_decision_release(struct policy_decision *d);

/* ---- Ignore rules ---- */

/* Read from the working directory when no --ignore-file is given, if it exists. */
#define POLICY_IGNORE_DEFAULT_FILE ".customsignore.json"

/* The ignore file's caps: bytes and rules. */
#define POLICY_IGNORE_MAX_BYTES (4u << 20)
#define POLICY_IGNORE_MAX_RULES 10000

struct policy_ignore_rule {
	size_t index;	/* position in the file's "ignore" array, for messages */
	const char *id; /* matches a finding's ID or any alias, case-insensitively */
	/*
	 * NULL, a purl ("pkg:deb/debian/libc6", with or without version, matched
	 * as VEX products are), or a name, optionally "name@version", compared
	 * with the package's name and version exactly.
	 */
	const char *package;
	/* NULL, or a path in the image: the package's file or install path, or a folder holding it. */
	const char *path;
	const char *reason;
	const char *expires; /* "YYYY-MM-DD", or NULL */
	int64_t expires_day; /* days since 1970-01-01; the rule applies through that whole UTC day */
};

struct policy_ignore {
	struct arena arena; /* every string of the rules */
	const char *source; /* the file name, for messages */
	struct policy_ignore_rule *rules;
	size_t nr_rules;
};

/*
 * Parse an ignore file's bytes: {"ignore": [{"id", "reason", "package"?,
 * "path"?, "expires"?}, ...]}. Validation is strict and fails closed: an
 * unknown or repeated key, a wrong type, an empty string, a missing id or
 * reason, or an expires that is not a real "YYYY-MM-DD" date makes the
 * whole file an ERR_BAD_INPUT naming source, the rule and the key
 * ("invalid ignore file 'x': ignore[1].expires: ..."), so a malformed rule
 * never suppresses anything. Too many rules is ERR_LIMIT. On success *out
 * is freed with policy_ignore_free().
 */
int policy_ignore_parse(const char *data, size_t len, const char *source, struct policy_ignore **out,
			struct strbuf *err);
/* Read path (at most POLICY_IGNORE_MAX_BYTES) and parse it; a missing file is ERR_NOT_FOUND. */
int policy_ignore_load(const char *path, struct policy_ignore **out, struct strbuf *err);
void policy_ignore_free(struct policy_ignore *ig);

/*
 * Mark each active finding of res that a rule matches: suppressed_by
 * "ignore", suppressed_reason the rule's reason (copied into res->arena).
 * A rule whose expires day is before the UTC day of now does not apply and
 * adds a warning to res->warnings naming it. cat is the catalog res was
 * matched from. Returns the number of findings suppressed.
 */
size_t policy_apply_ignore(const struct policy_ignore *ig, struct match_result *res,
			   const struct catalog *cat, time_t now);

/*
 * The same for check findings: a rule applies when its id is the check's
 * ID (case-insensitively) and, when it has a path, the finding's path is
 * that path or lies under it (a Dockerfile finding's path is the Dockerfile
 * as given). A rule with a package never applies to a check. Expired rules
 * are skipped without a warning: policy_apply_ignore() gives it, once.
 */
size_t policy_apply_ignore_checks(const struct policy_ignore *ig, struct check_results *checks, time_t now);

/* ---- OpenVEX ---- */

#define POLICY_VEX_MAX_BYTES (16u << 20)
#define POLICY_VEX_MAX_STATEMENTS 100000

enum policy_vex_status {
	VEX_NOT_AFFECTED,
	VEX_AFFECTED,
	VEX_FIXED,
	VEX_UNDER_INVESTIGATION,
};

/* A point in time, UTC, to nanoseconds; compare seconds, then nanoseconds. */
struct policy_time {
	int64_t seconds; /* since 1970-01-01T00:00:00Z */
	int32_t nanoseconds;
};

/* A product or subcomponent identifier: the purl, parsed once. */
struct policy_vex_product {
	const char *id; /* the @id (or identifiers.purl) as written */
	int is_purl;	/* 0 for IRIs that are not purls: they never match a package */
	const char *type, *namespace, *name, *version; /* the parsed purl; see internal.h */
	const char **qualifiers;
	size_t nr_qualifiers;
	struct policy_vex_product *subcomponents;
	size_t nr_subcomponents;
};

struct policy_vex_statement {
	size_t doc;		      /* index of the document among those loaded */
	size_t index;		      /* position in the document's statements array */
	struct policy_time timestamp; /* the statement's timestamp, else the document's, else the epoch */
	const char **vuln_ids;	      /* vulnerability.name first, then its aliases */
	size_t nr_vuln_ids;
	struct policy_vex_product *products;
	size_t nr_products;
	enum policy_vex_status status;
	const char *justification, *impact_statement, *action_statement, *status_notes; /* NULL when absent */
};

/* Statements of every loaded document, in the order they are applied (later ones win). */
struct policy_vex {
	struct arena arena;
	const char **sources; /* one file name per document */
	size_t nr_docs;
	struct policy_vex_statement *statements;
	size_t nr_statements, alloc_statements;
	/* Problems that do not make a document invalid, such as a statement without products. */
	const char **warnings;
	size_t nr_warnings, alloc_warnings;
};

/* An empty set, to which documents are added. Free with policy_vex_free(). */
struct policy_vex *policy_vex_new(void);
void policy_vex_free(struct policy_vex *vex);

/*
 * Parse one OpenVEX document and add its statements to vex. @context must
 * be https://openvex.dev/ns or one of its v0.2 forms
 * (https://openvex.dev/ns/v0.2.0). Each statement needs a vulnerability
 * (an object with name and optional aliases, or the older plain string),
 * a known status, and for not_affected a justification from the OpenVEX
 * list or an impact_statement. Products are objects with an @id (or
 * identifiers.purl) and optional subcomponents, or plain strings. Known
 * keys are type-checked; other keys are ignored, as JSON-LD allows
 * extensions. Errors are ERR_BAD_INPUT naming source and the statement
 * ("invalid VEX document 'v.json': statements[2].status: ...") and add
 * nothing to vex; caps give ERR_LIMIT.
 */
int policy_vex_parse(struct policy_vex *vex, const char *data, size_t len, const char *source,
		     struct strbuf *err);
/* Read path (at most POLICY_VEX_MAX_BYTES) and parse it. */
int policy_vex_load(struct policy_vex *vex, const char *path, struct strbuf *err);

/*
 * Apply the statements to res. A statement concerns a finding when one of
 * its vulnerability IDs is the finding's ID or one of its aliases, and its
 * scope names the finding's package:
 *   - a product or subcomponent purl covers the package's purl: same type,
 *     namespace and name (case-insensitively where purl-spec lowercases
 *     them), the same version unless the statement's purl has none, and
 *     the statement's qualifiers, if any, present with the same values
 *     (qualifiers the statement leaves out are not compared);
 *   - a product that is the scanned image (a pkg:oci purl covering one of
 *     image_purls, qualifiers ignored) covers every package in it.
 * Subcomponents of a pkg:oci product that is not the scanned image cover
 * nothing; when image_purls is NULL the image cannot be told apart, so
 * those subcomponents count, and an oci product alone covers nothing. A
 * product whose @id is not a purl covers nothing itself, but its
 * subcomponents count. A statement without products covers nothing.
 *
 * For each finding the last statement concerning it wins, statements
 * ordered by timestamp, then document, then position. not_affected and
 * fixed suppress it (suppressed_by "vex", suppressed_reason
 * "not_affected: <justification or impact statement>" or "fixed") unless
 * it is already suppressed; affected and under_investigation set
 * vex_status and vex_detail (action statement, impact statement or status
 * notes) and leave it active. Strings are copied into res->arena. The
 * set's warnings are added to res->warnings. Returns the number of
 * findings suppressed.
 */
size_t policy_apply_vex(const struct policy_vex *vex, struct match_result *res, const struct catalog *cat,
			const char *const *image_purls);

/* "not_affected", "affected", "fixed", "under_investigation". */
const char *policy_vex_status_name(enum policy_vex_status s);

/* ---- customs vex ---- */

struct policy_vex_doc_info {
	const char *author; /* NULL: "customs" */
	const char *id;	    /* the document's @id IRI; NULL: "urn:customs:vex:" + SHA-256 of its statements */
	time_t timestamp;   /* the document's timestamp (SOURCE_DATE_EPOCH for reproducible output) */
	const char *tool;   /* "customs 0.1.0", or NULL */
};

/*
 * An OpenVEX 0.2.0 document for a team to edit: one statement per distinct
 * (ID, package purl) among the active findings of res, status
 * "under_investigation", the vulnerability's aliases listed, products the
 * package purl. Findings whose package has no purl are left out and
 * counted in *nr_skipped (may be NULL). The caller frees the result with
 * cJSON_Delete().
 */
struct cJSON *policy_vex_document(const struct match_result *res, const struct catalog *cat,
				  const struct policy_vex_doc_info *info, size_t *nr_skipped);

/* The document above, written to out as indented JSON ending in a newline. Returns 0 or ERR_IO. */
int policy_vex_write(FILE *out, const struct match_result *res, const struct catalog *cat,
		     const struct policy_vex_doc_info *info, struct strbuf *err);

#endif
