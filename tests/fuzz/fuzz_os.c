/* libFuzzer target for OS detection: os-release and the debian_version and alpine-release fallbacks. */
#include "fuzz_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"etc/os-release", "usr/lib/os-release", "etc/debian_version",
					    "etc/alpine-release"};

	return fuzz_catalog_one_file(paths, 4, data, size);
}
