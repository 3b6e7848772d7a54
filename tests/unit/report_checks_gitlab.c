/* Unit tests that the GitLab container-scanning report leaves posture-check findings out. */
#include <stdlib.h>
#include <string.h>

#include "report_checks_fixture.h"
#include "test.h"

/* Container scanning describes vulnerable dependencies; checks have none, so they are not there. */
TEST(report_checks_gitlab_left_out)
{
	struct checks_fixture c;
	struct scan_fixture s;
	char *with_checks, *plain;

	checks_fixture_init(&c);
	checks_fixture_gate(&c, 0);
	with_checks = scan_fixture_render(&report_writer_gitlab, &c.s);
	scan_fixture_init(&s);
	scan_fixture_gate(&s, 0);
	plain = scan_fixture_render(&report_writer_gitlab, &s);
	CHECK_STR(with_checks, plain);
	CHECK(!scan_has(with_checks, "CUS-"));
	free(with_checks);
	free(plain);
	scan_fixture_release(&s);
	checks_fixture_release(&c);
}
