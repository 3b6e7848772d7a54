/* libFuzzer target for the apk cataloger: lib/apk/db/installed. */
#include "fuzz_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"lib/apk/db/installed"};

	return fuzz_catalog_one_file(paths, 1, data, size);
}
