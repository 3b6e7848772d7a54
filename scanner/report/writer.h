/* Helpers the writers in scanner/report/ share; nothing outside this folder includes it. */
#ifndef CUSTOMS_REPORT_WRITER_H
#define CUSTOMS_REPORT_WRITER_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "report/report.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* The name a document gives the image: its first repo tag, else the target as written. Never NULL. */
const char *report_image_name(const struct image *img);

/* The layer that introduced pkg, or NULL when unknown or out of range. */
const struct image_layer *report_package_layer(const struct image *img, const struct package *pkg);
/* The layer at index (image->layers), or NULL when it is -1 or out of range. */
const struct image_layer *report_layer(const struct image *img, int index);

/* The catalog package a finding is about; never NULL. */
const struct package *report_finding_package(const struct report_input *in, const struct finding *f);

/* The Dockerfile line that made image layer layer, or 0 when there is no Dockerfile or it does not tell. */
uint64_t report_dockerfile_line(const struct report_input *in, int layer);

/* The severities from most to least severe, the order summaries count them in. */
extern const enum severity report_severity_order[SEVERITY_COUNT];

/* "3.0", "3.1" or "4.0" for struct cvss's version, or NULL when there is no vector. */
const char *report_cvss_version(int version);

/* Append path to sb as an absolute path ("/var/lib/dpkg/status"), unsanitised. */
void report_add_abs_path(struct strbuf *sb, const char *path);

/*
 * One identifier per package, unique within the document and stable across
 * runs: the purl, and when several packages share a purl (npm installs the
 * same version at several paths) the purl plus a package-id qualifier made
 * from the install path. refs[i] belongs to cat->packages.items[i]; the array
 * and the strings live in arena a.
 */
const char **report_package_refs(const struct catalog *cat, struct arena *a);

/*
 * Every warning of the scan, the image's first, then the catalog's, then the match's, as a
 * callback so each writer can place them where its format wants.
 */
void report_each_warning(const struct report_input *in, void (*fn)(const char *msg, void *data), void *data);
size_t report_nr_warnings(const struct report_input *in);

/*
 * cJSON building. Each helper stops the program on out-of-memory like
 * xmalloc, so writers never check. Strings are copied after replacing
 * ill-formed UTF-8, because anything read from an image may be any bytes.
 * The _opt forms add nothing when s is NULL or empty; the _or_null forms add
 * JSON null instead, for formats that keep a fixed shape.
 */
cJSON *rjson_object(void);
cJSON *rjson_array(void);
cJSON *rjson_add_object(cJSON *parent, const char *key);
cJSON *rjson_add_array(cJSON *parent, const char *key);
/* Add item to an object under key, or to an array when key is NULL; parent takes ownership. */
void rjson_add(cJSON *parent, const char *key, cJSON *item);
void rjson_add_string(cJSON *parent, const char *key, const char *s);
void rjson_add_string_opt(cJSON *parent, const char *key, const char *s);
void rjson_add_string_or_null(cJSON *parent, const char *key, const char *s);
void rjson_add_null(cJSON *parent, const char *key);
void rjson_add_bool(cJSON *parent, const char *key, int value);
/* Integers are written as digits, never through a double, so large sizes stay exact. */
void rjson_add_int(cJSON *parent, const char *key, long long value);
void rjson_add_u64(cJSON *parent, const char *key, uint64_t value);

/*
 * Print root indented, with a final newline, to out and free root. Returns 0,
 * or ERR_IO with a message in err when the stream refused the bytes.
 */
int rjson_write(FILE *out, cJSON *root, struct strbuf *err);

/*
 * Narrow a table so its rows fit in limit characters (0: no limit): widths[]
 * are its columns' widths, two blanks apart. The widest column with its bit
 * set in cuttable loses one character at a time, never below its title's
 * width; other columns never shrink, so the result may still exceed limit.
 * Returns the width of the widest row after narrowing.
 */
size_t table_fit_columns(size_t *widths, const char *const *titles, int nr_cols, unsigned cuttable,
			 size_t limit);

/* Flush out and report a write error on it as ERR_IO; used by every writer at its end. */
int report_finish(FILE *out, struct strbuf *err);

#endif
