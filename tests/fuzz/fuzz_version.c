/* libFuzzer target for the version comparators: any bytes, and the ordering must be consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"
#include "version/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t nr_schemes(void)
{
	size_t n = 0;

	while (version_schemes[n])
		n++;
	return n;
}

/* The first byte picks the scheme; the rest is "A\tB". */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct version_scheme *scheme;
	struct strbuf err = STRBUF_INIT;
	char *text, *tab;
	int ab, ba, aa;

	if (size < 1)
		return 0;
	scheme = version_schemes[data[0] % nr_schemes()];
	text = xmemdup(data + 1, size - 1);
	tab = memchr(text, '\t', size - 1);
	if (tab) {
		*tab = '\0';
		if (scheme->compare(text, tab + 1, &ab, &err) == 0) {
			/*
			 * Whatever two valid versions are, the order must be antisymmetric
			 * and reflexive. Composer is exempt from the first: PHP's
			 * version_compare, its reference, ranks some malformed dev branches
			 * each below the other, and customs must agree with the reference.
			 */
			if (scheme->compare(tab + 1, text, &ba, &err) != 0)
				abort();
			if (ab != -ba && strcmp(scheme->name, "composer"))
				abort();
			if (scheme->compare(text, text, &aa, &err) != 0 || aa != 0)
				abort();
		}
	} else {
		scheme->compare(text, text, &aa, &err);
	}
	strbuf_release(&err);
	free(text);
	return 0;
}
