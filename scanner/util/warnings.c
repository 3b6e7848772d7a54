/* Scan warnings. */
#include "util/warnings.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

void warnings_add(struct warnings *w, struct arena *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(w->msgs, w->nr + 1, w->alloc);
	w->msgs[w->nr++] = arena_memdup(a, sb.buf, sb.len);
	strbuf_release(&sb);
}

void warnings_release(struct warnings *w)
{
	free(w->msgs);
	w->msgs = NULL;
	w->nr = w->alloc = 0;
}
