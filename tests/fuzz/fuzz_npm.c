/* libFuzzer target for the npm cataloger: an installed package.json or a package-lock.json. */
#include "fuzz_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"app/package-lock.json",
					    "app/node_modules/@scope/pkg/package.json"};

	return fuzz_catalog_one_file(paths, 2, data, size);
}
