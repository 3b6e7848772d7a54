/* Unit tests for the command layer's helpers. */
#include "test.h"
#include "cmd/cmd.h"

TEST(cmd_parse_size_units)
{
	uint64_t v = 0;

	CHECK_INT(cmd_parse_size("512", &v), 0);
	CHECK_INT(v, 512);
	CHECK_INT(cmd_parse_size("64K", &v), 0);
	CHECK_INT(v, 65536);
	CHECK_INT(cmd_parse_size("2G", &v), 0);
	CHECK_INT(v, 2ull << 30);
	CHECK_INT(cmd_parse_size("3MiB", &v), 0);
	CHECK_INT(v, 3ull << 20);
	CHECK_INT(cmd_parse_size("-1", &v), -1);
	CHECK_INT(cmd_parse_size("12Q", &v), -1);
	CHECK_INT(cmd_parse_size("", &v), -1);
	CHECK_INT(cmd_parse_size("99999999999999999999", &v), -1);
	CHECK_INT(cmd_parse_size("99999999999T", &v), -1);
}

TEST(cmd_uuid_is_version_4)
{
	char a[37], b[37];

	cmd_random_uuid(a);
	cmd_random_uuid(b);
	CHECK_INT(strlen(a), 36);
	CHECK(a[14] == '4');
	CHECK(strchr("89ab", a[19]) != NULL);
	CHECK(strcmp(a, b) != 0);
}

TEST(cmd_table_has_every_command)
{
	CHECK(command_find("sbom") != NULL);
	CHECK(command_find("version") != NULL);
	CHECK(command_find("nope") == NULL);
}
