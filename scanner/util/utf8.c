/* UTF-8 validation by the well-formed byte sequences of Unicode table 3-7. */
#include "util/utf8.h"

#include <string.h>

#include "util/strbuf.h"

/* Length of the well-formed sequence at s, or 0 when it is ill-formed. */
static size_t seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];

	if (c >= 0x01 && c <= 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
		return avail >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
		return avail >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
				       (s[3] & 0xc0) == 0x80
			       ? 4
			       : 0;
	}
	return 0;
}

int utf8_is_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = seq_len(p + i, len - i);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

char *utf8_sanitize(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	strbuf_grow(&sb, len);
	while (i < len) {
		size_t n = seq_len(p + i, len - i);
		if (n) {
			strbuf_add(&sb, p + i, n);
			i += n;
		} else {
			strbuf_add(&sb, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	return strbuf_detach(&sb, NULL);
}
