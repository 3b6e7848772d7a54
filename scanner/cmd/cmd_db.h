/* What the `customs db` subcommands share across their files. */
#ifndef CUSTOMS_CMD_CMD_DB_H
#define CUSTOMS_CMD_CMD_DB_H

#include "util/strbuf.h"
#include "vulndb/vulndb.h"

/* `customs db update`, in cmd_db_update.c; argv[0] is "update". */
int cmd_db_update(int argc, char **argv);

/*
 * Write what b holds to path through a temporary file beside it, which
 * replaces path only once it opens as a database: a builder bug or a full
 * disk never replaces a good file. *info then describes the new file.
 * Returns 0, or a negative ERR_* code with the message (naming path, not the
 * temporary file) in err.
 */
int cmd_db_write(struct vulndb_builder *b, const char *path, struct vulndb_info *info, struct strbuf *err);

#endif
