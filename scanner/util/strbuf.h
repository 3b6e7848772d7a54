/* A growable string whose buf is never NULL and always NUL-terminated. */
#ifndef CUSTOMS_UTIL_STRBUF_H
#define CUSTOMS_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * The strbuf owns buf. After strbuf_release() the strbuf is empty and
 * reusable. strbuf_detach() hands buf to the caller, who frees it.
 */
struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append s with JSON string escaping, without the surrounding quotes. */
void strbuf_add_json_escaped(struct strbuf *sb, const char *s);

#endif
