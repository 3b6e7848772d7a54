/* Helpers shared by the catalogers in this folder; not part of the catalog interface. */
#ifndef CUSTOMS_CATALOG_INTERNAL_H
#define CUSTOMS_CATALOG_INTERNAL_H

#include <stddef.h>

#include "catalog/catalog.h"

/*
 * A copy of s[0..n) in cat's arena in which ill-formed UTF-8 and NUL bytes
 * became U+FFFD, so no report ever carries text it cannot encode. Never NULL.
 */
const char *catalog_text(struct catalog *cat, const char *s, size_t n);

/* Walks a file's bytes line by line; the file may hold NUL bytes and need not end in "\n". */
struct line_reader {
	const char *p, *end;
	size_t lineno; /* of the line last returned, counting from 1 */
};

void line_reader_init(struct line_reader *r, const struct fs_file *file);

/* Returns 1 and the next line without its "\n" or "\r\n", or 0 at the end of the file. */
int line_next(struct line_reader *r, const char **line, size_t *len);

/* Returns 1 when s[0..n) holds only spaces and tabs. */
int text_is_blank(const char *s, size_t n);

/* Shrink s[0..*n) to drop leading and trailing spaces, tabs and carriage returns. */
const char *text_trim(const char *s, size_t *n);

/* Returns 1 when s[0..n) equals the NUL-terminated word. */
int text_equals(const char *s, size_t n, const char *word);

#endif
