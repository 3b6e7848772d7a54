/* Runs every collected unit test and prints one ok/not ok/skip line per test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test.h"

struct unit_test {
	const char *name;
	void (*fn)(void);
};
extern const struct unit_test unit_tests[];

int test_failed;
static int test_skipped;
static char skip_reason[256];

void test_skip(const char *why)
{
	test_skipped = 1;
	snprintf(skip_reason, sizeof(skip_reason), "%s", why);
}

const char *test_shared_data(void)
{
	const char *dir = getenv("CUSTOMS_SHARED_DATA");
	struct stat st;

	if (!dir)
		dir = "../shared/data";
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		test_skip("../shared/data is missing");
		return NULL;
	}
	return dir;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	for (const struct unit_test *t = unit_tests; t->name; t++) {
		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		test_failed = test_skipped = 0;
		t->fn();
		if (test_failed) {
			printf("not ok - unit: %s\n", t->name);
			failed++;
		} else if (test_skipped) {
			printf("skip - unit: %s (%s)\n", t->name, skip_reason);
			skipped++;
		} else {
			printf("ok - unit: %s\n", t->name);
			passed++;
		}
	}
	fflush(stdout);
	fprintf(stderr, "unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
