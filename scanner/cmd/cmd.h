/* Subcommands: one file each, registered in commands.def. Only this layer prints or exits. */
#ifndef CUSTOMS_CMD_CMD_H
#define CUSTOMS_CMD_CMD_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "util/strbuf.h"

struct command {
	const char *name;
	const char *summary;
	/* Runs the command with argv[0] being the command name; returns the process exit code. */
	int (*run)(int argc, char **argv);
};

#define COMMAND(id, summary) int cmd_##id(int argc, char **argv);
#include "cmd/commands.def"
#undef COMMAND

/* NULL-terminated, in the order of commands.def. */
extern const struct command commands[];

const struct command *command_find(const char *name);

/* Print "customs: MESSAGE" on stderr as one line. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Map a negative ERR_* code from a lower layer to the public exit code. */
int cmd_exit_code(int err_code);

/*
 * Parse a size such as "512", "64K", "200M" or "2G" (binary units) into
 * *out. Returns 0, or -1 when the text is not a size.
 */
int cmd_parse_size(const char *text, uint64_t *out);

/*
 * The time to stamp on what a command writes: SOURCE_DATE_EPOCH when it is
 * set, so outputs can be reproduced, else the current time.
 */
time_t cmd_now(void);

/*
 * Format a time in seconds since the epoch as RFC 3339 UTC into buf, clamped
 * to what the format can say (a database's build time is untrusted).
 */
void cmd_format_time(uint64_t seconds, char buf[32]);

/* The value of the environment variable name, or NULL when it is unset or empty. */
const char *cmd_env(const char *name);

/*
 * The vulnerability database to use when no option names one:
 * $CUSTOMS_DB, else $XDG_CACHE_HOME/customs/db/customs.db when that is an
 * absolute path (the XDG spec says to ignore a relative one), else
 * $HOME/.cache/customs/db/customs.db. Returns a string the caller frees,
 * or NULL when none of them is set. *origin (unless origin is NULL) names
 * the variable the path came from, for messages; "nowhere" with NULL.
 */
char *cmd_default_db_path(const char **origin);

/* The public key that database signatures must verify with: option, else $CUSTOMS_DB_PUBKEY, else NULL. */
const char *cmd_db_pubkey(const char *option);

/*
 * Print text from an untrusted source (a database, a URL): invalid UTF-8 is
 * replaced and control characters become '?', so nothing reaches the
 * terminal that it would act on.
 */
void cmd_put_text(FILE *out, const char *s);

/*
 * Replace the first old in sb by new: messages from lower layers name the
 * temporary files a command works on, and the user knows another name.
 */
void cmd_replace_in_message(struct strbuf *sb, const char *old, const char *new);

/* Writes a random RFC 4122 version 4 UUID into buf (37 bytes). */
void cmd_random_uuid(char buf[37]);

#endif
