/* Strict JSON reading for files people write: one value and nothing after it, type names, checked strings. */
#ifndef CUSTOMS_UTIL_JSON_STRICT_H
#define CUSTOMS_UTIL_JSON_STRICT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/strbuf.h"

/* What json_parse_strict found wrong; the caller words the message, as each kind of file names itself. */
enum json_strict_fault {
	JSON_STRICT_OK = 0,
	JSON_STRICT_SYNTAX,   /* not valid JSON, or nested too deeply */
	JSON_STRICT_TRAILING, /* a valid value followed by more than white space */
};

/*
 * Parse data[0..len) as exactly one JSON value, optionally followed by
 * white space. Returns the root, which the caller frees with cJSON_Delete,
 * or NULL with *fault set and *at the byte offset where the trouble starts.
 */
cJSON *json_parse_strict(const char *data, size_t len, enum json_strict_fault *fault, size_t *at);

/* The JSON type of item as a user would call it: "a string", "an array", ... */
const char *json_type_name(const cJSON *item);

/*
 * Check that item is a non-empty string of at most max_len bytes. Returns
 * 0, or ERR_BAD_INPUT (wrong type, empty) or ERR_LIMIT (too long) with a
 * message in err that starts with what ("'ignore'[2]").
 */
int json_check_string(const cJSON *item, const char *what, size_t max_len, struct strbuf *err);

#endif
