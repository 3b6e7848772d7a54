/* Report writers, looked up by name in writers.def. */
#ifndef CUSTOMS_REPORT_REPORT_H
#define CUSTOMS_REPORT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "image/image.h"
#include "match/match.h"
#include "util/strbuf.h"

/* Everything a writer may describe. Nothing here is owned by the writer. */
struct report_input {
	const struct image *img;
	const struct catalog *cat;
	const char *tool_name; /* "customs" */
	const char *tool_version;
	time_t timestamp; /* from SOURCE_DATE_EPOCH when set, so output can be reproduced */
	const char *serial; /* a random UUID for this document, "xxxxxxxx-xxxx-4xxx-..." */
	/* `customs scan` adds its findings and the database they came from; both NULL for an SBOM. */
	const struct match_result *match;
	const struct vulndb *db;
	/*
	 * The posture checks' findings (config, secret, Dockerfile), sorted;
	 * NULL for an SBOM. checks->kinds_run says which kinds ran, vulnerability
	 * matching included: a kind left out by --checks is not "clean".
	 */
	const struct check_results *checks;
	/*
	 * --dockerfile: its path as given, and per image layer the first line
	 * of the instruction that made it (0 when unknown); both NULL without one.
	 */
	const char *dockerfile;
	const uint64_t *dockerfile_lines;
	/* The gate's decision on those findings, or NULL when no gate ran. */
	const struct report_verdict *verdict;
	/*
	 * --severity: the severities (bit 1u << enum severity) that listings
	 * for people (the table) show; 0 shows every one. A display filter
	 * only: documents for machines keep every finding, and the verdict
	 * never depends on it.
	 */
	unsigned shown_severities;
};

/*
 * What the policy gate decided, in terms every writer can show without
 * depending on the policy module: the command layer fills it.
 */
struct report_verdict {
	int passed; /* the exit status says passed (always so in audit mode) */
	int would_fail; /* the thresholds were crossed, whether or not audit mode let it pass */
	int audit;
	const char *const *reasons; /* one line per crossed threshold, most severe first */
	size_t nr_reasons;
	/* Per match->findings[i]: nonzero when the finding crossed a threshold. */
	const unsigned char *failing;
	/* Per match->findings[i]: nonzero when --only-fixed left it out of the decision (it has no fix). */
	const unsigned char *excluded;
	/* Per checks->findings[i]: nonzero when the check finding crossed a threshold. */
	const unsigned char *check_failing;
};

struct report_writer {
	const char *name;
	const char *description;
	/* Write the whole report to out. Returns 0 or a negative ERR_* with a message in err. */
	int (*write)(FILE *out, const struct report_input *in, struct strbuf *err);
};

#define REPORT_WRITER(id) extern const struct report_writer report_writer_##id;
#include "report/writers.def"
#undef REPORT_WRITER

/* NULL-terminated, in the order of writers.def; also the source of `-o help`. */
extern const struct report_writer *const report_writers[];

/* The writer with that name, or NULL. */
const struct report_writer *report_writer_find(const char *name);

/* Formats the timestamp as RFC 3339 UTC ("2026-11-28T13:28:32Z") into buf of 32 bytes. */
void report_format_time(time_t t, char buf[32]);

#endif
