/* A small unit-test harness: TEST(name) defines a test that collect.sh registers. */
#ifndef CUSTOMS_TESTS_UNIT_TEST_H
#define CUSTOMS_TESTS_UNIT_TEST_H

#include <stdio.h>
#include <string.h>

/* Set by the CHECK macros when a test fails; the runner resets it before each test. */
extern int test_failed;

#define TEST(name) void test_##name(void)

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			test_failed = 1;                                                \
		}                                                                       \
	} while (0)

#define CHECK_INT(a, b)                                                                     \
	do {                                                                                \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);             \
		if (check_a_ != check_b_) {                                                 \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
				#a, check_a_, check_b_);                                    \
			test_failed = 1;                                                    \
		}                                                                           \
	} while (0)

#define CHECK_STR(a, b)                                                                        \
	do {                                                                                   \
		const char *check_a_ = (a), *check_b_ = (b);                                   \
		if (!check_a_ || !check_b_ ? check_a_ != check_b_ : strcmp(check_a_, check_b_)) { \
			fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
				__LINE__, #a, check_a_ ? check_a_ : "(null)",                  \
				check_b_ ? check_b_ : "(null)");                               \
			test_failed = 1;                                                       \
		}                                                                              \
	} while (0)

/*
 * Tests that read ../shared/data call this; it returns the folder, or NULL
 * after marking the test skipped when the folder is missing.
 */
const char *test_shared_data(void);
void test_skip(const char *why);

#endif
