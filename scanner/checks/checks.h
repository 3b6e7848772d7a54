/* One finding model for every posture check (image config, files, Dockerfile), read by the gate and every report. */
#ifndef CUSTOMS_CHECKS_CHECKS_H
#define CUSTOMS_CHECKS_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "match/severity.h"
#include "util/arena.h"

/* The groups `--checks` selects; vulnerabilities are the match module's, but share the bit space. */
enum check_kind {
	CHECK_KIND_VULN,       /* package vulnerabilities: not a posture check, listed for --checks */
	CHECK_KIND_CONFIG,     /* image config, history and layer metadata */
	CHECK_KIND_SECRET,     /* secrets in the files of the layers */
	CHECK_KIND_DOCKERFILE, /* the Dockerfile given with --dockerfile */
	CHECK_KIND_COUNT,
};

/* Every kind: what runs when --checks is not given. */
#define CHECK_KINDS_ALL ((1u << CHECK_KIND_COUNT) - 1)

/* "vuln", "config", "secret", "dockerfile". */
const char *check_kind_name(enum check_kind kind);

/*
 * --checks vuln,config,secret: a comma-separated list of kind names into
 * bits (1u << enum check_kind). Returns 0, or -1 for an empty or unknown
 * word, whose text is then copied into bad (at most bad_size bytes).
 */
int check_kinds_parse(const char *list, unsigned *kinds, char *bad, size_t bad_size);

/* A rule's public metadata: every row of config_rules.def, secret_rules.def and dockerfile_rules.def. */
struct check_rule {
	const char *id; /* stable public ID: "CUS-CFG-001", "CUS-SEC-003", "CUS-DKR-002" */
	enum check_kind kind;
	enum severity severity;
	const char *title;
	const char *why;
	const char *remediation;
};

/* Every rule, config first, then secret, then Dockerfile rules, each in .def order. */
const struct check_rule *check_rules(size_t *nr);
/* The rule with that ID (exact match), or NULL. */
const struct check_rule *check_rule_find(const char *id);

/*
 * One posture finding. No string ever holds a secret's value: secrets are
 * described by their shape ("ghp_… (40 chars)") and where they are. All
 * strings are one line of valid UTF-8 and live in the results' arena (or
 * are static).
 */
struct check_finding {
	const struct check_rule *rule;
	/*
	 * Where it is: a path in the image ("app/.env", no leading '/'), or for
	 * a Dockerfile rule the Dockerfile's path as the user gave it; NULL for
	 * a finding about the image config as a whole (USER, ENV, labels).
	 */
	const char *path;
	int path_is_dockerfile; /* path names the --dockerfile file, not a file in the image */
	uint64_t line;		/* 1-based line in path; 0 when there is none */
	const char *subject;	/* short: a variable name, "22/tcp", a redacted excerpt, a file */
	const char *detail;	/* a sentence for people */
	int layer;		/* index into image->layers of the layer involved, or -1 */
	int history;		/* index into image->history of the entry involved, or -1 */
	/* The build instruction that made the layer or set the config: history text or Dockerfile line. */
	const char *instruction;
	/* The Dockerfile line that instruction came from, when --dockerfile linked it; 0 otherwise. */
	uint64_t dockerfile_line;
	/* Filled by the policy layer, as for vulnerability findings. */
	const char *suppressed_by; /* "ignore" */
	const char *suppressed_reason;
};

/* Findings per rule beyond which the rest are only counted: a hostile image cannot flood a report. */
#define CHECK_MAX_FINDINGS_PER_RULE 256

struct check_results {
	struct arena arena; /* the strings of findings that the producers copy in */
	struct check_finding *findings; /* heap array */
	size_t nr, alloc;
	size_t per_rule_dropped;       /* findings left out by CHECK_MAX_FINDINGS_PER_RULE */
	const char *dockerfile;	       /* the --dockerfile path findings were linked to, or NULL */
	unsigned kinds_run;	       /* bits of enum check_kind that ran */
};

void check_results_init(struct check_results *res);
void check_results_release(struct check_results *res);

/*
 * Append a copy of f (whose rule must be set; severity comes from it). The
 * strings are not copied: they must already live in res->arena or be
 * static. Returns the stored finding, or NULL when the rule's cap dropped it.
 */
struct check_finding *check_results_add(struct check_results *res, const struct check_finding *f);

/*
 * Count the findings the policy layer left active (not suppressed) per
 * severity into counts, and those it suppressed into *suppressed (may be
 * NULL). Returns the number of active findings.
 */
size_t check_results_tally(const struct check_results *res, size_t counts[SEVERITY_COUNT], size_t *suppressed);

/*
 * Sort for reports: most severe first, then rule ID, path, line, subject
 * and layer, so output is the same on every run.
 */
void check_results_sort(struct check_results *res);

#endif
