/* Text taken from images may be any bytes; reports must be valid UTF-8. */
#ifndef CUSTOMS_UTIL_UTF8_H
#define CUSTOMS_UTIL_UTF8_H

#include <stddef.h>

/* Returns 1 when s[0..len) is well-formed UTF-8 with no NUL bytes. */
int utf8_is_valid(const char *s, size_t len);

/*
 * Copy s into a new string, replacing each ill-formed byte with U+FFFD.
 * The caller frees the result.
 */
char *utf8_sanitize(const char *s, size_t len);

#endif
