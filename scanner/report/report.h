/* Report writers, looked up by name in writers.def. */
#ifndef CUSTOMS_REPORT_REPORT_H
#define CUSTOMS_REPORT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "catalog/catalog.h"
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
