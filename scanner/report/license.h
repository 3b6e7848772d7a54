/* Telling SPDX license identifiers and expressions apart from free-text license names. */
#ifndef CUSTOMS_REPORT_LICENSE_H
#define CUSTOMS_REPORT_LICENSE_H

#include "util/strbuf.h"

enum license_kind {
	LICENSE_NONE, /* nothing declared */
	LICENSE_SPDX_ID, /* one identifier of the SPDX license list */
	LICENSE_SPDX_EXPRESSION, /* identifiers joined by AND, OR, WITH and parentheses */
	LICENSE_OTHER, /* free text, a LicenseRef, or an identifier we do not know */
};

/*
 * Classify a declared license. For an identifier or an expression, out
 * receives its canonical spelling (identifiers as the SPDX list writes them,
 * operators upper case, single spaces); for LICENSE_OTHER out is left empty.
 * Only identifiers on our own list count, and that list is a subset of the
 * SPDX list, so whatever is called SPDX here validates in both CycloneDX and
 * SPDX documents.
 */
enum license_kind license_classify(const char *declared, struct strbuf *out);

/* The identifiers and exceptions we recognise, NULL-terminated; exported for the unit tests. */
extern const char *const license_ids[];
extern const char *const license_exception_ids[];

#endif
