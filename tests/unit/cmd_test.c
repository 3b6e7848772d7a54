/* Unit tests for the command layer's helpers. */
#include <stdlib.h>

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

/* Sets or (value NULL) unsets an environment variable. */
static void set_env(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/* scan reads, and db update writes, the database at this one path. */
TEST(cmd_default_db_path_order)
{
	static const char *const names[] = {"CUSTOMS_DB", "XDG_CACHE_HOME", "HOME"};
	char *saved[3];
	const char *origin;
	char *path;

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		saved[i] = v ? strdup(v) : NULL;
	}

	set_env("CUSTOMS_DB", "/x/custom.db");
	set_env("XDG_CACHE_HOME", "/cache");
	set_env("HOME", "/home/u");
	path = cmd_default_db_path(&origin);
	CHECK_STR(path, "/x/custom.db");
	CHECK_STR(origin, "$CUSTOMS_DB");
	free(path);

	/* Empty is unset. */
	set_env("CUSTOMS_DB", "");
	path = cmd_default_db_path(&origin);
	CHECK_STR(path, "/cache/customs/db/customs.db");
	CHECK_STR(origin, "$XDG_CACHE_HOME");
	free(path);

	/* A relative XDG_CACHE_HOME is invalid and ignored. */
	set_env("XDG_CACHE_HOME", "cache");
	path = cmd_default_db_path(NULL);
	CHECK_STR(path, "/home/u/.cache/customs/db/customs.db");
	free(path);

	set_env("HOME", NULL);
	path = cmd_default_db_path(&origin);
	CHECK(path == NULL);
	CHECK_STR(origin, "nowhere");

	for (size_t i = 0; i < 3; i++) {
		set_env(names[i], saved[i]);
		free(saved[i]);
	}
}

TEST(cmd_db_pubkey_prefers_the_option)
{
	const char *v = getenv("CUSTOMS_DB_PUBKEY");
	char *saved = v ? strdup(v) : NULL;

	set_env("CUSTOMS_DB_PUBKEY", "/env.pem");
	CHECK_STR(cmd_db_pubkey("/opt.pem"), "/opt.pem");
	CHECK_STR(cmd_db_pubkey(NULL), "/env.pem");
	set_env("CUSTOMS_DB_PUBKEY", "");
	CHECK(cmd_db_pubkey(NULL) == NULL);
	set_env("CUSTOMS_DB_PUBKEY", saved);
	free(saved);
}

TEST(cmd_replace_in_message_names_the_real_file)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "damaged database '/d/.customs.db.tmp1': checksum mismatch");
	cmd_replace_in_message(&sb, "/d/.customs.db.tmp1", "/d/customs.db");
	CHECK_STR(sb.buf, "damaged database '/d/customs.db': checksum mismatch");
	cmd_replace_in_message(&sb, "absent", "x");
	cmd_replace_in_message(&sb, "", "x");
	CHECK_STR(sb.buf, "damaged database '/d/customs.db': checksum mismatch");
	strbuf_release(&sb);
}
