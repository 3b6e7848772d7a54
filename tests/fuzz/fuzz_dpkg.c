/* libFuzzer target for the dpkg cataloger: var/lib/dpkg/status and status.d stanzas. */
#include "fuzz_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"var/lib/dpkg/status", "var/lib/dpkg/status.d/pkg"};

	return fuzz_catalog_one_file(paths, 2, data, size);
}
