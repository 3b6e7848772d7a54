/* Non-fatal problems found during a scan, kept for the report rather than printed. */
#ifndef CUSTOMS_UTIL_WARNINGS_H
#define CUSTOMS_UTIL_WARNINGS_H

#include <stddef.h>

#include "util/arena.h"

/* Messages live in the arena passed to warnings_add; the list owns only its array. */
struct warnings {
	const char **msgs;
	size_t nr, alloc;
};

void warnings_add(struct warnings *w, struct arena *a, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void warnings_release(struct warnings *w);

#endif
