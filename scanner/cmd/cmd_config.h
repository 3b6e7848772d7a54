/* Config files whose keys are a command's long option names: `.customs.json`, or the file --config names. */
#ifndef CUSTOMS_CMD_CMD_CONFIG_H
#define CUSTOMS_CMD_CMD_CONFIG_H

#include <stddef.h>

#include "util/arena.h"
#include "util/strbuf.h"

/* Read from the working directory when no --config is given, if it exists. */
#define CMD_CONFIG_DEFAULT_FILE ".customs.json"

/* Caps, because a config file can come with the repository being scanned. */
#define CMD_CONFIG_MAX_BYTES (1u << 20)
#define CMD_CONFIG_MAX_ITEMS 1000 /* entries of one list or object value */
#define CMD_CONFIG_MAX_STRING 4096 /* bytes of one string */

enum cmd_config_type {
	CMD_CONFIG_BOOL,   /* true or false, as a flag without an argument */
	CMD_CONFIG_STRING, /* one string, as the option's argument */
	CMD_CONFIG_LIST,   /* an array of strings, one per repetition of the option */
	/*
	 * An object of names to integers from 0 to 1000000000, such as
	 * {"high": 3}; each pair becomes one "NAME=N" argument.
	 */
	CMD_CONFIG_COUNTS,
};

/* One key a command accepts: its long option name, its JSON type, and the option's getopt value. */
struct cmd_config_key {
	const char *name;
	enum cmd_config_type type;
	int option;
};

/* One key of the file, with its value in the form the option takes on the command line. */
struct cmd_config_entry {
	const struct cmd_config_key *key;
	int enabled;	     /* CMD_CONFIG_BOOL: the value */
	const char **values; /* the arguments, in the file's order; none for a bool */
	size_t nr_values;
};

struct cmd_config {
	struct arena arena; /* every string below */
	const char *source; /* the file name, for messages */
	struct cmd_config_entry *entries; /* in the file's order */
	size_t nr_entries;
};

/*
 * Parse a config file's bytes: one JSON object whose keys are names in keys
 * (an array ending with a NULL name). Validation is strict: invalid JSON,
 * an unknown or repeated key, a value of the wrong type, an empty string,
 * or more than the caps allow is ERR_BAD_INPUT (or
 * ERR_LIMIT) with one line naming source and the key ("invalid config file
 * 'c.json': 'fail-on' must be a string, not a number"). On success *out is
 * freed with cmd_config_free().
 */
int cmd_config_parse(const char *data, size_t len, const char *source, const struct cmd_config_key *keys,
		     struct cmd_config **out, struct strbuf *err);

/* Read path (at most CMD_CONFIG_MAX_BYTES) and parse it; a missing file is ERR_NOT_FOUND. */
int cmd_config_load(const char *path, const struct cmd_config_key *keys, struct cmd_config **out,
		    struct strbuf *err);

void cmd_config_free(struct cmd_config *cfg);

/* The entry for the option with that getopt value, or NULL when the file does not set it. */
const struct cmd_config_entry *cmd_config_find(const struct cmd_config *cfg, int option);

#endif
