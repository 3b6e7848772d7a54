/* What `customs scan` and `customs vex` share: the database options, and scanning one target. */
#ifndef CUSTOMS_CMD_CMD_SCAN_H
#define CUSTOMS_CMD_CMD_SCAN_H

#include <getopt.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "cmd/cmd_image.h"
#include "image/image.h"
#include "match/match.h"
#include "util/arena.h"
#include "vulndb/vulndb.h"

/* The getopt values of the database options; a command's own options start at CMD_DB_OPT_END. */
enum {
	CMD_OPT_DB = 256,
	CMD_OPT_DB_PUBKEY,
	CMD_OPT_DB_SIGNATURE,
	CMD_OPT_DB_WARN_AGE,
	CMD_OPT_MAX_DB_AGE,
	CMD_DB_OPT_END,
};

#define CMD_DB_LONGOPTS                                                          \
	{ "db", required_argument, NULL, CMD_OPT_DB },                           \
	{ "db-pubkey", required_argument, NULL, CMD_OPT_DB_PUBKEY },             \
	{ "db-signature", required_argument, NULL, CMD_OPT_DB_SIGNATURE },       \
	{ "db-warn-age", required_argument, NULL, CMD_OPT_DB_WARN_AGE },         \
	{ "max-db-age", required_argument, NULL, CMD_OPT_MAX_DB_AGE }

#define CMD_DB_USAGE                                                                                    \
	"      --db FILE               the vulnerability database to use\n"                               \
	"      --db-pubkey PUB.pem     refuse a database whose signature does not verify with this\n"     \
	"                              P-256 public key (default: $CUSTOMS_DB_PUBKEY)\n"                  \
	"      --db-signature FILE     the database's detached signature (default: the database + .sig)\n" \
	"      --db-warn-age DURATION  warn when the database is older than this (default 7d; 0: never)\n" \
	"      --max-db-age DURATION   fail with exit code 3 when the database is older than this\n"

#define CMD_DB_USAGE_TEXT                                                                       \
	"Every package is matched against the vulnerability database, which is the first of\n"  \
	"--db FILE, $CUSTOMS_DB and $XDG_CACHE_HOME/customs/db/customs.db (by default\n"         \
	"~/.cache/customs/db/customs.db). Get one with `customs db update`, or build one from\n" \
	"OSV records with `customs db build`.\n"

struct cmd_db_args {
	const char *db, *pubkey, *signature; /* NULL when not given */
	uint64_t warn_age, max_age;	     /* seconds; 0 turns the check off */
};

void cmd_db_args_init(struct cmd_db_args *a);

/*
 * Apply database option c (one of CMD_DB_LONGOPTS) with argument arg; name
 * is how the user wrote it ("--max-db-age", or the config key), for
 * messages. Returns CMD_CONTINUE, or EXIT_BAD_INPUT after an error.
 */
int cmd_db_args_option(struct cmd_db_args *a, int c, const char *arg, const char *name);

/* What scanning one target gives; every pointer belongs to it until cmd_scanned_release(). */
struct cmd_scanned {
	struct vulndb *db;
	char *db_path;
	struct image *img;
	struct catalog *cat;
	struct match_result *match;
};

/*
 * Open and check the database (before the image, so a missing or stale one
 * fails before minutes of reading), read and catalog target, and match it.
 * Without match_vulns (--checks leaving out vuln) no database is opened and
 * out->match is an empty result.
 * The match's warnings are not printed: the caller adds its own first.
 * Returns EXIT_PASSED, or the exit code after printing the error; out is
 * then empty but must still be released.
 */
int cmd_scan_target(const char *target, struct cmd_image_args *args, const struct cmd_db_args *db,
		    int match_vulns, struct cmd_scanned *out);
void cmd_scanned_release(struct cmd_scanned *s);

/*
 * The package URLs that name the scanned image, for VEX statements whose
 * product is the image: "pkg:oci/NAME@DIGEST?repository_url=REPO&tag=TAG"
 * for each repository tag (NAME its last path component), with the
 * manifest digest and with the config digest (the image ID), and without a
 * version when neither is known. An image without tags is named after the
 * target's base name. A NULL-terminated array in arena a.
 */
const char **cmd_image_purls(const struct image *img, struct arena *a);

#endif
