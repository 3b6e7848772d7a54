/* The vulnerability database: build it from OSV records, open it with mmap, look packages up in place. */
#ifndef CUSTOMS_VULNDB_VULNDB_H
#define CUSTOMS_VULNDB_VULNDB_H

#include <stdint.h>
#include <stdio.h>

#include "util/strbuf.h"

enum vulndb_range_type {
	VULNDB_RANGE_ECOSYSTEM = 1,
	VULNDB_RANGE_SEMVER = 2,
};

enum vulndb_event_kind {
	VULNDB_EVENT_INTRODUCED = 1,
	VULNDB_EVENT_FIXED = 2,
	VULNDB_EVENT_LAST_AFFECTED = 3,
	VULNDB_EVENT_LIMIT = 4,
};

/* ---- reading ---- */

struct vulndb;

/*
 * Map path read-only and validate every offset, count and the checksum once.
 * On success *out owns the mapping until vulndb_close(); on failure *out is
 * NULL and err holds one line naming the file. ERR_BAD_INPUT for a damaged
 * file, ERR_NOT_FOUND when it is missing, ERR_IO when it cannot be read.
 */
int vulndb_open(const char *path, struct vulndb **out, struct strbuf *err);

/* The same for bytes already in memory (tests, fuzzing); data must outlive the db. */
int vulndb_open_mem(const void *data, size_t size, const char *name, struct vulndb **out, struct strbuf *err);
void vulndb_close(struct vulndb *db);

/*
 * The bytes the database was validated from (the mapping, for
 * vulndb_open()), valid until vulndb_close(): a signature checked over them
 * covers exactly what lookups read.
 */
void vulndb_get_bytes(const struct vulndb *db, const void **data, size_t *size);

struct vulndb_info {
	uint32_t format_version;
	uint64_t build_time;
	uint64_t file_size;
	uint32_t nr_sources, nr_packages, nr_advisories, nr_affected;
	char checksum[7 + 64 + 1]; /* "sha256:<hex>" of the content before the trailer */
};
void vulndb_get_info(const struct vulndb *db, struct vulndb_info *info);

/* The package index, sorted by (ecosystem, name): i < nr_packages. */
void vulndb_get_package(const struct vulndb *db, uint32_t i, const char **ecosystem, const char **name,
			uint32_t *nr_affected);

/* Views into the mapping: the strings stay valid until vulndb_close(). */
struct vulndb_source {
	const char *name, *date;
	uint32_t nr_records;
};
void vulndb_get_source(const struct vulndb *db, uint32_t i, struct vulndb_source *src);

struct vulndb_advisory {
	const char *id, *summary, *severity, *published, *modified;
	uint32_t nr_aliases, nr_cvss;
	uint32_t aliases_, cvss_; /* private: first entries in the string lists */
};
void vulndb_get_advisory(const struct vulndb *db, uint32_t i, struct vulndb_advisory *adv);
const char *vulndb_advisory_alias(const struct vulndb *db, const struct vulndb_advisory *adv, uint32_t i);
/* CVSS vectors as OSV gives them, e.g. "CVSS:3.1/AV:N/...". */
const char *vulndb_advisory_cvss(const struct vulndb *db, const struct vulndb_advisory *adv, uint32_t i);

struct vulndb_range {
	enum vulndb_range_type type;
	uint32_t nr_events;
	uint32_t events_;
};
struct vulndb_event {
	enum vulndb_event_kind kind;
	const char *version;
};
struct vulndb_affected {
	const char *ecosystem, *name;
	uint32_t advisory; /* index for vulndb_get_advisory() */
	uint32_t nr_ranges, nr_versions;
	uint32_t ranges_, versions_;
};
void vulndb_get_range(const struct vulndb *db, const struct vulndb_affected *aff, uint32_t i,
		      struct vulndb_range *range);
void vulndb_get_event(const struct vulndb *db, const struct vulndb_range *range, uint32_t i,
		      struct vulndb_event *ev);
/* The explicit versions list of an affected entry. */
const char *vulndb_affected_version(const struct vulndb *db, const struct vulndb_affected *aff, uint32_t i);

const char *vulndb_event_kind_name(enum vulndb_event_kind kind);
const char *vulndb_range_type_name(enum vulndb_range_type type);

/*
 * Call fn for every affected entry of (ecosystem, name), exact match, by
 * binary search. fn returns 0 to continue or nonzero to stop; that value is
 * returned. Returns 0 when every entry was visited (or there were none).
 */
typedef int (*vulndb_lookup_fn)(const struct vulndb *db, const struct vulndb_affected *aff, void *data);
int vulndb_lookup(const struct vulndb *db, const char *ecosystem, const char *name, vulndb_lookup_fn fn,
		  void *data);

/* ---- building ---- */

struct vulndb_builder;

/* The builder owns copies of every string given to it. */
struct vulndb_builder *vulndb_builder_new(void);
void vulndb_builder_free(struct vulndb_builder *b);

/* Later advisories count toward this source; its date is their latest `modified`. */
void vulndb_builder_begin_source(struct vulndb_builder *b, const char *name);

struct vulndb_new_advisory {
	const char *id, *summary, *severity, *published, *modified; /* NULL is "" */
	const char **aliases;
	size_t nr_aliases;
	const char **cvss;
	size_t nr_cvss;
};
/* Returns the advisory's index for vulndb_builder_add_affected(). */
uint32_t vulndb_builder_add_advisory(struct vulndb_builder *b, const struct vulndb_new_advisory *adv);
/* Ranges, events and versions that follow belong to this affected entry... */
void vulndb_builder_add_affected(struct vulndb_builder *b, uint32_t advisory, const char *ecosystem,
				 const char *name);
/* ...and events to the last range. */
void vulndb_builder_add_range(struct vulndb_builder *b, enum vulndb_range_type type);
void vulndb_builder_add_event(struct vulndb_builder *b, enum vulndb_event_kind kind, const char *version);
void vulndb_builder_add_version(struct vulndb_builder *b, const char *version);
/* Advisories given so far; identical ones are stored once, so the file may hold fewer. */
uint32_t vulndb_builder_nr_advisories(const struct vulndb_builder *b);

/* Write the whole file to fp. ERR_LIMIT when it would exceed 4 GiB, ERR_IO on a write error. */
int vulndb_builder_write(struct vulndb_builder *b, FILE *fp, uint64_t build_time, struct strbuf *err);

/* ---- importing ---- */

#define VULNDB_MAX_JSON_FILE (64u << 20)

/*
 * Import OSV JSON from a file, or from every *.json below a folder (sorted,
 * recursive), as one source named after the path's last component; or an
 * OSV zip, told by its first bytes (see vulndb_import_source()). A
 * malformed record is ERR_BAD_INPUT naming the file; withdrawn records and
 * GIT ranges are skipped. *imported_bytes (may be NULL) grows by the JSON read.
 */
int vulndb_import_osv(struct vulndb_builder *b, const char *path, uint64_t *imported_bytes,
		      struct strbuf *err);
/* Import one JSON document already in memory; name is used in messages. */
int vulndb_import_osv_buffer(struct vulndb_builder *b, const char *json, size_t len, const char *name,
			     struct strbuf *err);

/*
 * Import a folder as OSV records, or one file in whichever format its
 * content shows: an OSV all.zip (every *.json entry, streamed in entry
 * order; the source is the file name without ".zip", or the folder of an
 * "all.zip"), Alpine secdb (source "alpine-secdb RELEASE REPO", ecosystem
 * "Alpine:RELEASE"), the Debian security tracker (source "debian-tracker",
 * ecosystems "Debian:10" to "Debian:13"), or else OSV JSON. Advisories are
 * one per CVE, merged across packages and releases of that file.
 * *imported_bytes counts the JSON, uncompressed for zips.
 */
int vulndb_import_source(struct vulndb_builder *b, const char *path, uint64_t *imported_bytes,
			 struct strbuf *err);
/* The secdb and tracker importers on a document in memory (tests). */
int vulndb_import_secdb_buffer(struct vulndb_builder *b, const char *json, size_t len, const char *name,
			       struct strbuf *err);
int vulndb_import_debian_buffer(struct vulndb_builder *b, const char *json, size_t len, const char *name,
				struct strbuf *err);

#endif
