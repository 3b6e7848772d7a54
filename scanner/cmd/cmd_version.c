/* `customs version`: the versions of customs and of every library linked in. */
#include <stdio.h>

#include <archive.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <mbedtls/version.h>
#include <zlib.h>
#include <zstd.h>

#include "cmd/cmd.h"
#include "util/exitcode.h"

int cmd_version(int argc, char **argv)
{
	const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
	char mbedtls[32];

	mbedtls_version_get_string(mbedtls);
	printf("customs %s\n", CUSTOMS_VERSION);
	printf("  libarchive %s\n", archive_version_string() + sizeof("libarchive ") - 1);
	printf("  libcurl %s (%s)\n", curl->version, curl->ssl_version ? curl->ssl_version : "no TLS");
	printf("  mbedtls %s\n", mbedtls);
	printf("  cJSON %s\n", cJSON_Version());
	printf("  zlib %s\n", zlibVersion());
	printf("  zstd %s\n", ZSTD_versionString());
	return EXIT_PASSED;
}
