/* libFuzzer target for the CVSS vector parser: any bytes as a vector, and a score must be a sane one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match/severity.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Vectors reach the parser from advisories as NUL-terminated strings, so an
 * embedded NUL only shortens the vector. Whatever the bytes, a success is a
 * known version with a score from 0.0 to 10.0 in tenths, given again for
 * the same vector, and a failure is exactly one line.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *vector = xmemdup(size ? data : (const uint8_t *)"", size);
	struct strbuf err = STRBUF_INIT;
	struct cvss first, again;

	if (cvss_base_score(vector, &first, &err) == 0) {
		double tenths = first.score * 10;

		if (first.version != 30 && first.version != 31 && first.version != 40)
			abort();
		if (!(first.score >= 0.0 && first.score <= 10.0))
			abort();
		if (tenths - (double)(long)(tenths + 0.5) > 1e-6 ||
		    (double)(long)(tenths + 0.5) - tenths > 1e-6)
			abort();
		if ((int)cvss_severity(first.score) < SEVERITY_LOW ||
		    (int)cvss_severity(first.score) > SEVERITY_CRITICAL)
			abort();
		if (cvss_base_score(vector, &again, &err) != 0 || again.version != first.version ||
		    again.score != first.score)
			abort();
	} else if (!err.len || strchr(err.buf, '\n')) {
		abort();
	}
	strbuf_release(&err);
	free(vector);
	return 0;
}
