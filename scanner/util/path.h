/* Paths inside images: normalised, relative to the image root, never escaping it. */
#ifndef CUSTOMS_UTIL_PATH_H
#define CUSTOMS_UTIL_PATH_H

#include <stddef.h>

#include "util/strbuf.h"

/*
 * Normalise an archive entry name into out: drop leading "/" and "./", fold
 * "//" and "/./", drop a trailing "/". Returns 0, or a negative error when
 * the name is empty after normalising or has a ".." component, which would
 * escape the root. Absolute names are rejected when reject_absolute is set,
 * as tar members of an image must be relative.
 */
int path_normalize(const char *name, int reject_absolute, struct strbuf *out, struct strbuf *err);

/* Returns 1 when path equals prefix or lies below it ("a/b" is under "a"). */
int path_is_under(const char *path, const char *prefix);

/* The last component of path. */
const char *path_basename(const char *path);

/* Length of the directory part of path, without its trailing "/"; 0 for a top-level name. */
size_t path_dirlen(const char *path);

/*
 * Resolve a symlink target against the directory of link_path, confined to
 * the image root the way the kernel's chroot would: ".." at the root stays at
 * the root. The result is normalised and relative.
 */
void path_resolve_link(const char *link_path, const char *target, struct strbuf *out);

#endif
