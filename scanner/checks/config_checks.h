/* Posture checks over an image's config and history: user, secrets, ports, health check, ADD, caches. */
#ifndef CUSTOMS_CHECKS_CONFIG_CHECKS_H
#define CUSTOMS_CHECKS_CONFIG_CHECKS_H

#include <stddef.h>

#include "image/image.h"
#include "match/severity.h"
#include "util/arena.h"

/* One value per row of checks/config_rules.def, in its order. */
enum config_rule_id {
#define CONFIG_RULE(name, id, severity, title, why, remediation) CONFIG_##name,
#include "checks/config_rules.def"
#undef CONFIG_RULE
	CONFIG_RULE_COUNT
};

/* A rule's metadata; static strings. */
struct config_rule {
	const char *id; /* stable public ID, "CUS-CFG-001" */
	enum severity severity;
	const char *title;
	const char *why;
	const char *remediation;
};

/* The rule of an enum value; NULL when out of range. */
const struct config_rule *config_rule_get(enum config_rule_id rule);

/*
 * One finding. subject and detail never hold a secret value: a secret is
 * described by the name it was assigned to, its length and, for known token
 * shapes, the redacted excerpt the secret detector gives. Both strings are
 * one line of valid UTF-8 in the arena given to config_checks_run().
 */
struct config_finding {
	enum config_rule_id rule;
	const char *subject; /* a variable or label name, "22/tcp", a user, a package manager */
	const char *detail;  /* a sentence for people */
	int layer;	     /* index into image->layers of the layer involved, or -1 (config settings) */
	int history;	     /* index into image->history of the entry involved, or -1 */
};

/* Findings per rule beyond which the rest are only counted: a hostile config cannot flood a report. */
#define CONFIG_MAX_FINDINGS_PER_RULE 64

struct config_results {
	struct config_finding *findings; /* heap array; the strings it points to live in the arena */
	size_t nr, alloc;
	size_t dropped; /* findings left out by CONFIG_MAX_FINDINGS_PER_RULE */
};

/*
 * Run every check over img's config and history, appending to *out (which
 * starts zeroed, or as a previous run left it). Findings come in rule order,
 * then in config or history order. An image without a config (a rootfs
 * folder) gets only the history checks, which then find nothing. Strings are
 * allocated in arena, which the caller keeps as long as it uses them.
 */
void config_checks_run(const struct image *img, struct arena *arena, struct config_results *out);
void config_results_release(struct config_results *out);

/*
 * Returns 1 when a NAME=value assignment looks like it holds a secret: the
 * name contains PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, APIKEY, PRIVATE_KEY,
 * ACCESS_KEY or CREDENTIAL (any case, '-' and '.' read as '_'), does not end
 * in a suffix that names a path or a setting about the secret (_FILE, _PATH,
 * _URL, _TTL, ...), and the value is not empty, a variable reference, a path,
 * a short number or a placeholder such as "changeme" or "<token>".
 */
int config_assignment_is_secret(const char *name, size_t name_len, const char *value, size_t value_len);

/* Bytes of the longest instruction keyword config_history_instruction() gives, with its NUL. */
#define CONFIG_MAX_INSTRUCTION 16

/*
 * The Dockerfile instruction a history entry records, in word ("" when the
 * entry follows no known form), and where its arguments start. BuildKit
 * writes "RUN /bin/sh -c cmd # buildkit", "RUN |1 A=b /bin/sh -c cmd",
 * "COPY a /b # buildkit" or "ENV A=b"; the classic builder "/bin/sh -c cmd"
 * or "|1 A=b /bin/sh -c cmd" for RUN and "/bin/sh -c #(nop)  ENV A=b" for the
 * rest. For a RUN, args keeps the build arguments ("|1 A=b ...", where a
 * secret may hide) and command, when not NULL, starts at the shell command
 * itself; for other instructions both are the same.
 */
void config_history_instruction(const char *created_by, char word[CONFIG_MAX_INSTRUCTION], const char **args,
				const char **command);

/*
 * text with every secret it holds replaced by "***": the values of NAME=value
 * words that config_assignment_is_secret() flags (build arguments such as
 * "|1 GIT_TOKEN=..." included), passwords in URLs ("https://u:***@host"),
 * and the tails of known token shapes ("ghp_***", "AKIA***"). Returns text
 * itself when there is nothing to hide, else a copy in arena. NULL stays NULL.
 */
const char *config_redact_text(const char *text, struct arena *arena);

/*
 * Redact every history entry and layer created_by of img in place (the new
 * strings live in img's arena), so no report prints a build argument's
 * secret. Call it after the checks that look for those secrets have run.
 */
void config_redact_history(struct image *img);

#endif
