/* Subcommands: one file each, registered in commands.def. Only this layer prints or exits. */
#ifndef CUSTOMS_CMD_CMD_H
#define CUSTOMS_CMD_CMD_H

#include <stdint.h>
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

/* Writes a random RFC 4122 version 4 UUID into buf (37 bytes). */
void cmd_random_uuid(char buf[37]);

#endif
