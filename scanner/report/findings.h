/* Helpers the writers of scan findings (SARIF, GitLab, JUnit, Markdown) share; only report/ includes it. */
#ifndef CUSTOMS_REPORT_FINDINGS_H
#define CUSTOMS_REPORT_FINDINGS_H

#include <stddef.h>

#include "report/report.h"
#include "util/strbuf.h"

/*
 * Append the image's short name to sb: the repository of its first tag
 * without registry host, tag or digest ("example/app" for
 * "registry.example:5000/example/app:1.0"), else the target's base name
 * without transport prefix or archive extension ("app" for "oci:build/app:1").
 * Only [A-Za-z0-9._/-] are kept, others become '-', so the name is safe in
 * URIs and categories; never empty ("image"), at most REPORT_SHORT_NAME_MAX
 * bytes. It leaves out the tag so that findings keep their identity from one
 * release of an image to the next.
 */
#define REPORT_SHORT_NAME_MAX 128
void report_image_short_name(struct strbuf *sb, const struct image *img);

/* Whether the policy layer left the finding active (not suppressed by an ignore rule or VEX). */
int report_finding_active(const struct finding *f);

/* "Critical", "High", "Medium", "Low", "Unknown". */
const char *report_severity_title(enum severity s);

/*
 * Append to sb the lowercase hex of the first nbytes (at most 32) of the
 * SHA-256 of the given strings, each followed by a NUL so that ("ab", "c")
 * and ("a", "bc") differ. NULL strings count as empty. The list ends with NULL.
 */
void report_hash_hex(struct strbuf *sb, size_t nbytes, ...) __attribute__((sentinel));

/*
 * Append a name-based UUID (RFC 9562 version 8, built like version 5 but
 * with SHA-256) of the given strings, ending with NULL: the same strings
 * always give the same UUID.
 */
void report_name_uuid(struct strbuf *sb, ...) __attribute__((sentinel));

/*
 * Append s as the text of one Markdown table cell, cut at max bytes of s:
 * Markdown punctuation and '|' are backslash-escaped, '&', '<' and '>'
 * become entities so no HTML gets through, and line breaks and other control
 * characters become spaces. s may be any bytes; the output is valid UTF-8.
 */
void report_add_markdown_cell(struct strbuf *sb, const char *s, size_t max);

/*
 * Append where check finding f is, for people, unescaped: "/app/.env:3" for
 * a file in the image, "Dockerfile:12" for the Dockerfile, "image config"
 * for the config as a whole, with " (Dockerfile:7)" when --dockerfile
 * linked an image finding to the instruction that made it.
 */
void report_add_check_where(struct strbuf *sb, const struct check_finding *f);

/* Append s to sb, cut at max bytes on a UTF-8 character boundary with "..." when longer. */
void report_add_clipped(struct strbuf *sb, const char *s, size_t max);

/*
 * Append the sentence that opens a report's checks section, without its
 * final punctuation: "3 check findings (1 suppressed) from the config,
 * secret checks", "No check findings from the config checks", or "... from
 * the checks: none ran". active and suppressed count checks->findings.
 */
void report_add_checks_sentence(struct strbuf *sb, const struct check_results *checks, size_t active,
				size_t suppressed);

#endif
