/* Helpers shared by the files of scanner/match/, not part of its interface. */
#ifndef CUSTOMS_MATCH_MATCH_INTERNAL_H
#define CUSTOMS_MATCH_MATCH_INTERNAL_H

#include "catalog/catalog.h"

/* Whether an OSV ecosystem ("Debian:12", "Alpine:v3.19") is a distribution's, whose records name source
 * packages. */
int match_is_distribution(const char *ecosystem);

/* Whether pkg comes from a distribution's package manager (deb, apk), so its ecosystem needs the OS release.
 */
int match_is_os_package(const struct package *pkg);

#endif
