/* Output files that appear whole or not at all: write a temporary file, then rename. */
#ifndef CUSTOMS_UTIL_ATOMIC_FILE_H
#define CUSTOMS_UTIL_ATOMIC_FILE_H

#include <stdio.h>

#include "util/strbuf.h"

/*
 * The struct owns the temporary path and the stream. Exactly one of
 * atomic_file_commit() or atomic_file_abort() must follow a successful
 * atomic_file_open(); both close the stream. A path of "-" writes to stdout,
 * where commit flushes and abort does nothing more. A path that names a
 * device or a pipe (/dev/null, /dev/stdout) is written in place.
 */
struct atomic_file {
	FILE *fp;
	char *path;
	char *tmp_path; /* NULL when writing in place: standard output, a device or a pipe */
	int direct; /* fp was opened here on a non-regular file and must be closed */
};

int atomic_file_open(struct atomic_file *af, const char *path, struct strbuf *err);
int atomic_file_commit(struct atomic_file *af, struct strbuf *err);
void atomic_file_abort(struct atomic_file *af);

/*
 * Remove every temporary file still open; safe to call from a signal handler
 * path, so an interrupted run leaves no partial output behind.
 */
void atomic_file_cleanup_all(void);

#endif
