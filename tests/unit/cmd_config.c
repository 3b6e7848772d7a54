/* Unit tests for the config file parser: types, strict keys, caps and messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd_config.h"
#include "test.h"
#include "util/error.h"
#include "util/xalloc.h"

enum { K_FAIL_ON = 300, K_COUNTS, K_ONLY_FIXED, K_VEX };

static const struct cmd_config_key keys[] = {
	{ "fail-on", CMD_CONFIG_STRING, K_FAIL_ON },
	{ "fail-on-count", CMD_CONFIG_COUNTS, K_COUNTS },
	{ "only-fixed", CMD_CONFIG_BOOL, K_ONLY_FIXED },
	{ "ignore-unfixed", CMD_CONFIG_BOOL, K_ONLY_FIXED },
	{ "vex", CMD_CONFIG_LIST, K_VEX },
	{ NULL, 0, 0 },
};

static int parse(const char *text, struct cmd_config **cfg, struct strbuf *err)
{
	strbuf_reset(err);
	return cmd_config_parse(text, strlen(text), "c.json", keys, cfg, err);
}

/* The text must be refused with code, and the message must name the file and contain needle. */
static int refused(const char *text, int code, const char *needle)
{
	struct strbuf err = STRBUF_INIT;
	struct cmd_config *cfg = NULL;
	int ret = parse(text, &cfg, &err);
	int ok = ret == code && !cfg && strstr(err.buf, "c.json") && strstr(err.buf, needle) &&
		 !strchr(err.buf, '\n');

	if (!ok)
		fprintf(stderr, "    %s -> %d '%s'\n", text, ret, err.buf);
	cmd_config_free(cfg);
	strbuf_release(&err);
	return ok;
}

TEST(cmd_config_every_type)
{
	struct strbuf err = STRBUF_INIT;
	struct cmd_config *cfg = NULL;
	const struct cmd_config_entry *e;

	CHECK_INT(parse("{\"fail-on\": \"high\", \"fail-on-count\": {\"critical\": 0, \"high\": 3},"
			" \"only-fixed\": true, \"vex\": [\"a.json\", \"b.json\"]}",
			&cfg, &err),
		  0);
	CHECK(cfg != NULL);
	if (!cfg)
		return;
	CHECK_INT((int)cfg->nr_entries, 4);
	e = cmd_config_find(cfg, K_FAIL_ON);
	CHECK(e && e->nr_values == 1 && !strcmp(e->values[0], "high"));
	e = cmd_config_find(cfg, K_COUNTS);
	CHECK(e && e->nr_values == 2);
	if (e && e->nr_values == 2) {
		CHECK_STR(e->values[0], "critical=0");
		CHECK_STR(e->values[1], "high=3");
	}
	e = cmd_config_find(cfg, K_ONLY_FIXED);
	CHECK(e && e->enabled && e->nr_values == 0);
	e = cmd_config_find(cfg, K_VEX);
	CHECK(e && e->nr_values == 2 && !strcmp(e->values[1], "b.json"));
	CHECK(cmd_config_find(cfg, 12345) == NULL);
	cmd_config_free(cfg);
	strbuf_release(&err);
}

TEST(cmd_config_empty_and_false)
{
	struct strbuf err = STRBUF_INIT;
	struct cmd_config *cfg = NULL;

	CHECK_INT(parse(" {}\n", &cfg, &err), 0);
	CHECK(cfg && cfg->nr_entries == 0);
	cmd_config_free(cfg);
	CHECK_INT(parse("{\"ignore-unfixed\": false, \"vex\": []}", &cfg, &err), 0);
	CHECK(cfg && cfg->nr_entries == 2 && !cfg->entries[0].enabled && cfg->entries[1].nr_values == 0);
	cmd_config_free(cfg);
	cmd_config_free(NULL);
	strbuf_release(&err);
}

TEST(cmd_config_unknown_key_is_named)
{
	CHECK(refused("{\"fail_on\": \"high\"}", ERR_BAD_INPUT, "unknown key 'fail_on'"));
	CHECK(refused("{\"fail-on\": \"high\", \"db\": \"x\"}", ERR_BAD_INPUT, "'db'"));
	/* A hostile key is printed safely: no control character reaches the message. */
	CHECK(refused("{\"a\\u001b[2Jb\": 1}", ERR_BAD_INPUT, "'a?[2Jb'"));
}

TEST(cmd_config_wrong_types_are_named)
{
	CHECK(refused("{\"fail-on\": 3}", ERR_BAD_INPUT, "'fail-on' must be a string, not a number"));
	CHECK(refused("{\"fail-on\": \"\"}", ERR_BAD_INPUT, "'fail-on' must not be empty"));
	CHECK(refused("{\"fail-on\": null}", ERR_BAD_INPUT, "'fail-on'"));
	CHECK(refused("{\"only-fixed\": \"true\"}", ERR_BAD_INPUT, "'only-fixed' must be true or false"));
	CHECK(refused("{\"only-fixed\": 1}", ERR_BAD_INPUT, "'only-fixed'"));
	CHECK(refused("{\"vex\": \"a.json\"}", ERR_BAD_INPUT, "'vex' must be an array"));
	CHECK(refused("{\"vex\": [\"a\", 2]}", ERR_BAD_INPUT, "'vex'[1] must be a string"));
	CHECK(refused("{\"fail-on-count\": [\"high=3\"]}", ERR_BAD_INPUT, "'fail-on-count' must be an object"));
	CHECK(refused("{\"fail-on-count\": {\"high\": \"3\"}}", ERR_BAD_INPUT, "'fail-on-count'.high"));
	CHECK(refused("{\"fail-on-count\": {\"high\": 1.5}}", ERR_BAD_INPUT, "whole number"));
	CHECK(refused("{\"fail-on-count\": {\"high\": -1}}", ERR_BAD_INPUT, "whole number"));
	CHECK(refused("{\"fail-on-count\": {\"high\": 1e12}}", ERR_BAD_INPUT, "whole number"));
	CHECK(refused("{\"fail-on-count\": {\"\": 1}}", ERR_BAD_INPUT, "'fail-on-count'"));
}

TEST(cmd_config_structure_errors)
{
	CHECK(refused("[]", ERR_BAD_INPUT, "one JSON object"));
	CHECK(refused("\"x\"", ERR_BAD_INPUT, "one JSON object"));
	CHECK(refused("{", ERR_BAD_INPUT, "not valid JSON"));
	CHECK(refused("", ERR_BAD_INPUT, "not valid JSON"));
	CHECK(refused("{} {}", ERR_BAD_INPUT, "text after"));
	CHECK(refused("{\"fail-on\": \"a\", \"fail-on\": \"b\"}", ERR_BAD_INPUT, "appears twice"));
}

TEST(cmd_config_two_names_of_one_option)
{
	struct strbuf err = STRBUF_INIT;
	struct cmd_config *cfg = NULL;

	/* --only-fixed and --ignore-unfixed are two keys, so both may appear. */
	CHECK_INT(parse("{\"only-fixed\": true, \"ignore-unfixed\": true}", &cfg, &err), 0);
	CHECK(cfg && cfg->nr_entries == 2 && cfg->entries[0].key->option == cfg->entries[1].key->option);
	cmd_config_free(cfg);
	strbuf_release(&err);
}

TEST(cmd_config_caps)
{
	struct strbuf text = STRBUF_INIT;

	strbuf_addstr(&text, "{\"vex\": [");
	for (int i = 0; i <= CMD_CONFIG_MAX_ITEMS; i++)
		strbuf_addf(&text, "%s\"f%d\"", i ? "," : "", i);
	strbuf_addstr(&text, "]}");
	CHECK(refused(text.buf, ERR_LIMIT, "too many"));
	strbuf_reset(&text);
	strbuf_addstr(&text, "{\"fail-on\": \"");
	for (int i = 0; i <= CMD_CONFIG_MAX_STRING; i++)
		strbuf_addch(&text, 'a');
	strbuf_addstr(&text, "\"}");
	CHECK(refused(text.buf, ERR_LIMIT, "too long"));
	strbuf_reset(&text);
	strbuf_addstr(&text, "{}");
	for (size_t i = 0; i <= CMD_CONFIG_MAX_BYTES; i++)
		strbuf_addch(&text, ' ');
	CHECK(refused(text.buf, ERR_LIMIT, "too large"));
	strbuf_release(&text);
}

TEST(cmd_config_load_files)
{
	struct strbuf err = STRBUF_INIT;
	struct cmd_config *cfg = NULL;
	char path[] = "/tmp/customs-cmd-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs("{\"fail-on\": \"critical\"}\n", fp);
	fclose(fp);
	CHECK_INT(cmd_config_load(path, keys, &cfg, &err), 0);
	CHECK(cfg && cfg->nr_entries == 1 && !strcmp(cfg->source, path));
	cmd_config_free(cfg);
	unlink(path);
	CHECK_INT(cmd_config_load(path, keys, &cfg, &err), ERR_NOT_FOUND);
	CHECK(cfg == NULL && strstr(err.buf, path) != NULL);
	strbuf_release(&err);
}
