/* Error messages for callers: one line, problem first, subject quoted. */
#include "util/error.h"

#include <stdarg.h>

int error_code(struct strbuf *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	strbuf_reset(err);
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
	return code;
}

void error_prefix(struct strbuf *err, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	strbuf_add(&msg, err->buf, err->len);
	strbuf_release(err);
	*err = msg;
}
