/* Config files: a strictly validated JSON object of long option names, turned into option arguments. */
#include "cmd/cmd_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/error.h"
#include "util/json_strict.h"
#include "util/xalloc.h"

/* Names from the file in messages: printable ASCII, clipped, so a hostile key cannot garble a log line. */
static const char *printable(struct arena *a, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	for (size_t i = 0; s[i]; i++) {
		if (i == 64) {
			strbuf_addstr(&sb, "...");
			break;
		}
		strbuf_addch(&sb, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
	}
	out = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return out;
}

/* The string of item into *out, checked; an error names what. */
static int string_value(struct cmd_config *cfg, const cJSON *item, const char *what, const char **out,
			struct strbuf *err)
{
	int ret = json_check_string(item, what, CMD_CONFIG_MAX_STRING, err);

	if (ret < 0)
		return ret;
	*out = arena_strdup(&cfg->arena, item->valuestring);
	return 0;
}

static int count_children(const cJSON *item, const char *what, struct strbuf *err, size_t *nr)
{
	*nr = 0;
	for (const cJSON *c = item->child; c; c = c->next)
		if (++*nr > CMD_CONFIG_MAX_ITEMS)
			return error_code(err, ERR_LIMIT, "%s has too many entries: the limit is %d", what,
					  CMD_CONFIG_MAX_ITEMS);
	return 0;
}

/* A count for CMD_CONFIG_COUNTS: a whole number in range, never a fraction or an exponent's rounding. */
static int count_value(const cJSON *item, const char *what, long long *out, struct strbuf *err)
{
	double v;

	if (!cJSON_IsNumber(item))
		return error_code(err, ERR_BAD_INPUT, "%s must be a number, not %s", what,
				  json_type_name(item));
	v = item->valuedouble;
	if (!(v >= 0 && v <= 1000000000.0) || v != (double)(long long)v)
		return error_code(err, ERR_BAD_INPUT, "%s must be a whole number from 0 to 1000000000", what);
	*out = (long long)v;
	return 0;
}

static int parse_entry(struct cmd_config *cfg, const cJSON *field, const struct cmd_config_key *key,
		       struct cmd_config_entry *entry, struct strbuf *err)
{
	char what[128];
	size_t nr = 0, i = 0;

	snprintf(what, sizeof(what), "'%s'", key->name);
	memset(entry, 0, sizeof(*entry));
	entry->key = key;
	switch (key->type) {
	case CMD_CONFIG_BOOL:
		if (!cJSON_IsBool(field))
			return error_code(err, ERR_BAD_INPUT, "%s must be true or false, not %s", what,
					  json_type_name(field));
		entry->enabled = cJSON_IsTrue(field);
		return 0;
	case CMD_CONFIG_STRING:
		entry->values = arena_alloc(&cfg->arena, sizeof(*entry->values));
		entry->nr_values = 1;
		return string_value(cfg, field, what, &entry->values[0], err);
	case CMD_CONFIG_LIST:
		if (!cJSON_IsArray(field))
			return error_code(err, ERR_BAD_INPUT, "%s must be an array of strings, not %s", what,
					  json_type_name(field));
		if (count_children(field, what, err, &nr) < 0)
			return ERR_LIMIT;
		entry->values = arena_alloc(&cfg->arena, (nr ? nr : 1) * sizeof(*entry->values));
		for (const cJSON *c = field->child; c; c = c->next, i++) {
			char item_what[160];
			int ret;

			snprintf(item_what, sizeof(item_what), "'%s'[%zu]", key->name, i);
			ret = string_value(cfg, c, item_what, &entry->values[i], err);
			if (ret < 0)
				return ret;
		}
		entry->nr_values = nr;
		return 0;
	case CMD_CONFIG_COUNTS:
		if (!cJSON_IsObject(field))
			return error_code(err, ERR_BAD_INPUT, "%s must be an object such as {\"high\": 3}, not %s",
					  what, json_type_name(field));
		if (count_children(field, what, err, &nr) < 0)
			return ERR_LIMIT;
		entry->values = arena_alloc(&cfg->arena, (nr ? nr : 1) * sizeof(*entry->values));
		for (const cJSON *c = field->child; c; c = c->next, i++) {
			char item_what[200];
			long long n = 0;

			if (!c->string || !*c->string || strlen(c->string) > 64)
				return error_code(err, ERR_BAD_INPUT, "%s has an empty or overlong name", what);
			snprintf(item_what, sizeof(item_what), "'%s'.%s", key->name,
				 printable(&cfg->arena, c->string));
			if (count_value(c, item_what, &n, err) < 0)
				return ERR_BAD_INPUT;
			entry->values[i] = arena_printf(&cfg->arena, "%s=%lld", c->string, n);
		}
		entry->nr_values = nr;
		return 0;
	}
	return error_code(err, ERR_USAGE, "%s has no known type", what);
}

static const struct cmd_config_key *find_key(const struct cmd_config_key *keys, const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	return NULL;
}

static void list_keys(struct strbuf *sb, const struct cmd_config_key *keys)
{
	for (const struct cmd_config_key *k = keys; k->name; k++)
		strbuf_addf(sb, "%s%s", k == keys ? "" : ", ", k->name);
}

static int parse_object(struct cmd_config *cfg, const cJSON *root, const struct cmd_config_key *keys,
			struct strbuf *err)
{
	size_t nr = 0, i = 0;

	if (!cJSON_IsObject(root))
		return error_code(err, ERR_BAD_INPUT, "the file must hold one JSON object, not %s",
				  json_type_name(root));
	if (count_children(root, "the file", err, &nr) < 0)
		return ERR_LIMIT;
	cfg->entries = arena_alloc(&cfg->arena, (nr ? nr : 1) * sizeof(*cfg->entries));
	for (const cJSON *field = root->child; field; field = field->next, i++) {
		const struct cmd_config_key *key = find_key(keys, field->string ? field->string : "");
		int ret;

		if (!key) {
			struct strbuf known = STRBUF_INIT;

			list_keys(&known, keys);
			ret = error_code(err, ERR_BAD_INPUT, "unknown key '%s' (known: %s)",
					 printable(&cfg->arena, field->string ? field->string : ""), known.buf);
			strbuf_release(&known);
			return ret;
		}
		/* cJSON keeps both copies of a repeated key, and which one the user meant would be a guess. */
		for (size_t j = 0; j < i; j++)
			if (cfg->entries[j].key == key)
				return error_code(err, ERR_BAD_INPUT, "key '%s' appears twice", key->name);
		ret = parse_entry(cfg, field, key, &cfg->entries[i], err);
		if (ret < 0)
			return ret;
	}
	cfg->nr_entries = nr;
	return 0;
}

int cmd_config_parse(const char *data, size_t len, const char *source, const struct cmd_config_key *keys,
		     struct cmd_config **out, struct strbuf *err)
{
	struct cmd_config *cfg;
	enum json_strict_fault fault;
	size_t at;
	cJSON *root;
	int ret;

	*out = NULL;
	if (len > CMD_CONFIG_MAX_BYTES)
		return error_code(err, ERR_LIMIT, "config file '%s' is too large: %zu bytes, the limit is %u", source,
				  len, CMD_CONFIG_MAX_BYTES);
	root = json_parse_strict(data, len, &fault, &at);
	if (fault == JSON_STRICT_SYNTAX)
		return error_code(err, ERR_BAD_INPUT, "invalid config file '%s': not valid JSON near byte %zu",
				  source, at);
	/* Only white space may follow the object: trailing text is a sign of a broken edit. */
	if (fault == JSON_STRICT_TRAILING)
		return error_code(err, ERR_BAD_INPUT,
				  "invalid config file '%s': text after the JSON object at byte %zu", source, at);
	cfg = xcalloc(1, sizeof(*cfg));
	cfg->source = arena_strdup(&cfg->arena, source);
	ret = parse_object(cfg, root, keys, err);
	if (ret < 0)
		error_prefix(err, "invalid config file '%s': ", source);
	cJSON_Delete(root);
	if (ret < 0) {
		cmd_config_free(cfg);
		return ret;
	}
	*out = cfg;
	return 0;
}

int cmd_config_load(const char *path, const struct cmd_config_key *keys, struct cmd_config **out,
		    struct strbuf *err)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf data = STRBUF_INIT;
	char buf[8192];
	size_t n;
	int ret;

	*out = NULL;
	if (!fp)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot read config file '%s': %s",
				  path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		strbuf_add(&data, buf, n);
		if (data.len > CMD_CONFIG_MAX_BYTES)
			break;
	}
	if (ferror(fp)) {
		ret = error_code(err, ERR_IO, "cannot read config file '%s': %s", path, strerror(errno));
		fclose(fp);
		strbuf_release(&data);
		return ret;
	}
	fclose(fp);
	if (data.len > CMD_CONFIG_MAX_BYTES)
		ret = error_code(err, ERR_LIMIT, "config file '%s' is too large: the limit is %u bytes", path,
				 CMD_CONFIG_MAX_BYTES);
	else
		ret = cmd_config_parse(data.buf, data.len, path, keys, out, err);
	strbuf_release(&data);
	return ret;
}

void cmd_config_free(struct cmd_config *cfg)
{
	if (!cfg)
		return;
	arena_release(&cfg->arena);
	free(cfg);
}

const struct cmd_config_entry *cmd_config_find(const struct cmd_config *cfg, int option)
{
	for (size_t i = 0; cfg && i < cfg->nr_entries; i++)
		if (cfg->entries[i].key->option == option)
			return &cfg->entries[i];
	return NULL;
}
