/* Error codes returned by every layer below cmd/, with the message in a strbuf. */
#ifndef CUSTOMS_UTIL_ERROR_H
#define CUSTOMS_UTIL_ERROR_H

#include "util/strbuf.h"

/*
 * Functions return 0 on success or one of these negative codes. The code says
 * what kind of failure it was, so cmd/ can pick the exit code; the message in
 * the caller's `struct strbuf *err` says what failed, naming the subject.
 */
enum {
	ERR_FAILED = -1, /* generic failure */
	ERR_BAD_INPUT = -2, /* the input is malformed, truncated or hostile */
	ERR_LIMIT = -3, /* the input exceeds a configured limit */
	ERR_IO = -4, /* the operating system refused a read or write */
	ERR_USAGE = -5, /* the caller asked for something impossible */
	ERR_NOT_FOUND = -6, /* a file or object is missing */
	ERR_VERIFY = -7, /* a signature or checksum does not match */
};

/*
 * Replace the message in err with the formatted one and return code, so a
 * failure is one line: `return error_code(err, ERR_BAD_INPUT, "...", ...);`.
 * err may be NULL when the caller does not want the text.
 */
int error_code(struct strbuf *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with context: "cannot read 'x': " + old message. */
void error_prefix(struct strbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
