/* Shared by the importers: each format's detector and importer over an already parsed document. */
#ifndef CUSTOMS_VULNDB_IMPORT_H
#define CUSTOMS_VULNDB_IMPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"
#include "vulndb/vulndb.h"

/* Nonzero when root looks like an Alpine secdb file: an object with "packages" and "distroversion". */
int vulndb_secdb_detect(const cJSON *root);
/* Nonzero when root looks like the Debian tracker's: package -> CVE-/TEMP- id -> {"releases": ...}. */
int vulndb_debian_detect(const cJSON *root);

/* Each begins its own source; name is used in messages. */
int vulndb_import_secdb_json(struct vulndb_builder *b, const cJSON *root, const char *name,
			     struct strbuf *err);
int vulndb_import_debian_json(struct vulndb_builder *b, const cJSON *root, const char *name,
			      struct strbuf *err);
int vulndb_import_osv_json(struct vulndb_builder *b, const cJSON *root, const char *name, struct strbuf *err);

/* Nonzero when the first bytes of a file are a zip's. */
int vulndb_zip_detect(const unsigned char *head, size_t len);
/*
 * Import every *.json entry of an OSV zip as one source, in entry order,
 * without unpacking it. Unsafe entry names, oversized entries and damaged
 * zips are one-line errors naming the zip (and the entry).
 */
int vulndb_import_zip(struct vulndb_builder *b, const char *path, uint64_t *imported_bytes,
		      struct strbuf *err);

#endif
