/* Unit tests for the package URLs that name a scanned image, which VEX statements scope to. */
#include <string.h>

#include "cmd/cmd_scan.h"
#include "test.h"
#include "util/arena.h"

static int has(const char **list, const char *purl)
{
	for (; *list; list++)
		if (!strcmp(*list, purl))
			return 1;
	return 0;
}

static size_t count(const char **list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n;
}

TEST(cmd_scan_image_purls_from_tags_and_digests)
{
	static const char *tags[] = { "registry.example:5000/team/App:1.0", "app@sha256:ffff" };
	struct image img;
	struct arena a = ARENA_INIT;
	const char **list;

	memset(&img, 0, sizeof(img));
	img.source = "app.tar";
	img.digest = "sha256:abcd";
	img.config_digest = "sha256:1234";
	img.repo_tags = tags;
	img.nr_repo_tags = 2;
	list = cmd_image_purls(&img, &a);
	CHECK_INT((int)count(list), 4);
	CHECK(has(list, "pkg:oci/App@sha256%3Aabcd?repository_url=registry.example%3A5000/team/App&tag=1.0"));
	CHECK(has(list, "pkg:oci/App@sha256%3A1234?repository_url=registry.example%3A5000/team/App&tag=1.0"));
	CHECK(has(list, "pkg:oci/app@sha256%3Aabcd?repository_url=app"));
	arena_release(&a);
}

TEST(cmd_scan_image_purls_without_tags_or_digest)
{
	struct image img;
	struct arena a = ARENA_INIT;
	const char **list;

	memset(&img, 0, sizeof(img));
	img.source = "oci:build/web:2";
	list = cmd_image_purls(&img, &a);
	CHECK_INT((int)count(list), 1);
	CHECK(has(list, "pkg:oci/web"));
	img.source = "dir:/srv/root.d";
	list = cmd_image_purls(&img, &a);
	CHECK(count(list) == 1 && has(list, "pkg:oci/root"));
	img.source = "-";
	list = cmd_image_purls(&img, &a);
	CHECK_INT((int)count(list), 0);
	arena_release(&a);
}
