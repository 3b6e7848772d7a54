/* Secret scanning of file contents, fed in chunks from the image reader's streaming pass. */
#ifndef CUSTOMS_CHECKS_SECRETS_H
#define CUSTOMS_CHECKS_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#include "match/severity.h"
#include "util/arena.h"

/* One value per row of checks/secret_rules.def, in its order. */
enum secret_rule_id {
#define SECRET_RULE(name, id, severity, title, why, remediation) SECRET_##name,
#include "checks/secret_rules.def"
#undef SECRET_RULE
	SECRET_RULE_COUNT
};

/* A rule's metadata; static strings. */
struct secret_rule {
	const char *id; /* stable public ID, "CUS-SEC-001" */
	enum severity severity;
	const char *title;
	const char *why;
	const char *remediation;
};

/* The rule of an enum value; NULL when out of range. */
const struct secret_rule *secret_rule_get(enum secret_rule_id rule);

/*
 * One secret found. The secret itself is never stored: excerpt shows only the
 * public part of its shape, such as "ghp_… (40 chars)", "AKIA****************",
 * a PEM header line, or "password=… (12 chars)". path and excerpt live in the
 * arena given to secrets_new() and are valid UTF-8.
 */
struct secret_finding {
	enum secret_rule_id rule;
	const char *path;
	uint64_t line; /* 1-based line of the start of the secret */
	const char *excerpt;
};

/* Caps that bound the cost of hostile or huge files. A cap left at 0 means its default. */
struct secrets_limits {
	size_t max_file_bytes;	      /* bytes of one file scanned, the rest ignored; default 1 MiB */
	size_t max_findings_per_file; /* default 16; the rest of a file that reaches it is not scanned */
};

struct secrets_stats {
	uint64_t files;		  /* files begun */
	uint64_t files_binary;	  /* skipped: a NUL byte in their first 8 KiB */
	uint64_t files_truncated; /* longer than max_file_bytes */
	uint64_t bytes_scanned;
	uint64_t files_capped; /* reached max_findings_per_file */
};

/*
 * What is deliberately not reported, so that a clean image stays clean:
 * AWS's documented example IDs (ending in "EXAMPLE"); tokens whose random part
 * has fewer than 6 distinct characters ("ghp_xxxx..."); private key headers
 * with no base64 body on the following lines (the strings crypto libraries
 * hold in their code); generic assignments outside configuration files, in
 * commented-out lines, or whose value is a placeholder or a reference
 * ("changeme", "${VAR}", "<password>", "{{ x }}", "xxxx", "****", URLs,
 * fewer than 6 characters or 3 distinct ones). Slack webhook URLs are not
 * looked for. A value can match two rules: `aws_secret_access_key=...` in a
 * .env file is both part of an AWS key pair and a generic assignment.
 */
struct secrets;

/*
 * A scanner for one stream of files, one file at a time: begin, feed its bytes
 * in chunks of any size (a secret split between two chunks is found), end.
 * Cost is linear in the bytes fed: rare anchor bytes are found with memchr and
 * only their neighbourhood is examined. Findings are allocated in arena, which
 * the caller owns and must keep until it is done with them; the scanner owns
 * the list. Not thread-safe: use one scanner per thread.
 */
struct secrets *secrets_new(struct arena *arena, const struct secrets_limits *limits);
void secrets_free(struct secrets *s);

/*
 * Start a file. path is its normalised path in the image; the caller keeps it
 * valid until secrets_file_end(). The path decides whether generic password
 * assignments are looked for (secrets_path_is_config()) and whether the binary
 * check applies (key files such as "*.pem" or "id_rsa" are scanned anyway).
 * Beginning a file while another is open ends the open one first.
 */
void secrets_file_begin(struct secrets *s, const char *path);
void secrets_feed(struct secrets *s, const void *data, size_t len);
/* Scan what is left of the file and forget its bytes, wiping them from the scanner's buffer. */
void secrets_file_end(struct secrets *s);

/* begin, feed and end in one call, for a file already in memory. */
void secrets_scan_buffer(struct secrets *s, const char *path, const void *data, size_t len);

/* Every finding so far, in file order, then line order within a file. Owned by the scanner. */
const struct secret_finding *secrets_findings(const struct secrets *s, size_t *nr);
const struct secrets_stats *secrets_stats(const struct secrets *s);

/*
 * Returns 1 when path names a configuration or environment file, where
 * `password=` style assignments count: .env files (".env", ".env.local",
 * "prod.env"), "*.conf", "*.cfg", "*.cnf", "*.ini", "*.properties", "*.yaml",
 * "*.yml", "*.toml", ".npmrc", ".pypirc". JSON is left out, as are files named
 * as examples or templates (".env.example", "app.sample.ini", "*.dist") and
 * anything under usr/share/doc, whose values are documentation.
 */
int secrets_path_is_config(const char *path);

#endif
