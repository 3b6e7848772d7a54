/* `customs scan TARGET`: read an image, match its packages against the vulnerability database, report. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog/catalog.h"
#include "cmd/cmd.h"
#include "cmd/cmd_image.h"
#include "image/image.h"
#include "match/match.h"
#include "report/report.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/sign.h"
#include "vulndb/vulndb.h"

#define DEFAULT_WARN_AGE (7 * 24 * 3600)
#define SECONDS_PER_DAY (24 * 3600)

static const char scan_usage[] =
	"usage: customs scan [options] TARGET\n"
	"\n"
	CMD_TARGET_USAGE
	"\n"
	"Every package is matched against the vulnerability database, which is the first of\n"
	"--db FILE, $CUSTOMS_DB and $XDG_CACHE_HOME/customs/db/customs.db (by default\n"
	"~/.cache/customs/db/customs.db). Get one with `customs db update`, or build one from\n"
	"OSV records with `customs db build`.\n"
	"\n"
	CMD_OUTPUT_USAGE
	"      --db FILE               the vulnerability database to use\n"
	"      --db-pubkey PUB.pem     refuse a database whose signature does not verify with this\n"
	"                              P-256 public key (default: $CUSTOMS_DB_PUBKEY)\n"
	"      --db-signature FILE     the database's detached signature (default: the database + .sig)\n"
	"      --db-warn-age DURATION  warn when the database is older than this (default 7d; 0: never)\n"
	"      --max-db-age DURATION   fail with exit code 3 when the database is older than this\n"
	CMD_IMAGE_USAGE
	"  -h, --help                  show this help\n"
	"\n"
	"A DURATION is a number with a unit: s, m, h, d or w (36h, 7d, 2w); 0 turns the check off.\n"
	"\n"
	"Exit codes: 0 the scan ran, 2 usage error or bad input, 3 the database is missing or\n"
	"too old, 4 the database signature does not verify.\n";

/* Where the database came from, for messages that tell the user what to change. */
struct db_location {
	char *path;
	const char *origin;
};

/*
 * Parse "36h", "7d", "2w" (also "s" and "m") into seconds; "0" alone is
 * allowed and means off. A bare number is refused: "7" could mean days or
 * seconds, and a wrong guess hides a stale database.
 */
static int parse_duration(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t unit;

	if (!strcmp(text, "0")) {
		*out = 0;
		return 0;
	}
	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || !end[0] || end[1])
		return -1;
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = SECONDS_PER_DAY; break;
	case 'w': unit = 7 * SECONDS_PER_DAY; break;
	default: return -1;
	}
	if (v > UINT64_MAX / unit)
		return -1;
	*out = v * unit;
	return 0;
}

/* --db, else the default place; loc->path is NULL when there is none. */
static void find_db(const char *option, struct db_location *loc)
{
	if (option) {
		loc->path = xstrdup(option);
		loc->origin = "--db";
	} else {
		loc->path = cmd_default_db_path(&loc->origin);
	}
}

static int missing_db(const struct db_location *loc)
{
	if (!loc->path)
		cmd_error("no vulnerability database: HOME is not set; name one with --db FILE or "
			  "$CUSTOMS_DB");
	else
		cmd_error("no vulnerability database at '%s' (from %s): get one with 'customs db update', "
			  "or build one with 'customs db build --output %s SOURCE...'",
			  loc->path, loc->origin, loc->path);
	return EXIT_DB_STALE;
}

/*
 * Refuse the database unless its detached signature sig_path verifies with
 * pubkey. With db, the check covers the bytes db was validated from and will
 * be read from, so a file swapped after opening is never used unverified;
 * without one (the file would not open) it reads the file, only to say
 * whether the signature or the content is at fault.
 */
static int verify_db(const char *path, const struct vulndb *db, const char *pubkey, const char *sig_path)
{
	struct strbuf err = STRBUF_INIT;
	const void *data;
	size_t size;
	int ret;

	if (db) {
		vulndb_get_bytes(db, &data, &size);
		ret = vulndb_verify_mem(data, size, path, pubkey, sig_path, &err);
	} else {
		ret = vulndb_verify_file(path, pubkey, sig_path, &err);
	}
	if (ret < 0)
		cmd_error("refusing database '%s': %s", path, err.buf);
	strbuf_release(&err);
	return ret < 0 ? cmd_exit_code(ret) : EXIT_PASSED;
}

static void format_age(uint64_t seconds, struct strbuf *sb)
{
	if (seconds >= 2 * SECONDS_PER_DAY)
		strbuf_addf(sb, "%llu days", (unsigned long long)(seconds / SECONDS_PER_DAY));
	else
		strbuf_addf(sb, "%llu hours", (unsigned long long)(seconds / 3600));
}

/* Warn about, or refuse, a database older than the limits. */
static int check_db_age(const struct vulndb *db, const char *path, uint64_t warn_age, uint64_t max_age,
			int quiet)
{
	struct vulndb_info info;
	time_t now = cmd_now();
	uint64_t age;
	struct strbuf text = STRBUF_INIT;
	char built[32];

	vulndb_get_info(db, &info);
	age = (uint64_t)now > info.build_time ? (uint64_t)now - info.build_time : 0;
	cmd_format_time(info.build_time, built);
	format_age(age, &text);
	if (max_age && age > max_age) {
		cmd_error("vulnerability database '%s' is %s old (built %s), more than --max-db-age allows: "
			  "update it with 'customs db update'",
			  path, text.buf, built);
		strbuf_release(&text);
		return EXIT_DB_STALE;
	}
	if (warn_age && age > warn_age && !quiet)
		cmd_warning("vulnerability database '%s' is %s old (built %s): "
			    "update it with 'customs db update'",
			    path, text.buf, built);
	strbuf_release(&text);
	return EXIT_PASSED;
}

static int open_db(const struct db_location *loc, const char *pubkey, const char *sig_option,
		   struct vulndb **db)
{
	struct strbuf err = STRBUF_INIT;
	struct strbuf sig = STRBUF_INIT;
	struct stat st;
	int ret;

	*db = NULL;
	if (!loc->path || (stat(loc->path, &st) < 0 && errno == ENOENT))
		return missing_db(loc);
	if (pubkey) {
		if (sig_option)
			strbuf_addstr(&sig, sig_option);
		else
			strbuf_addf(&sig, "%s.sig", loc->path);
		/* A missing signature is a failed verification, not bad input: the database is unproven. */
		if (stat(sig.buf, &st) < 0 && errno == ENOENT) {
			cmd_error("cannot verify database '%s': signature '%s' is missing", loc->path, sig.buf);
			ret = EXIT_VERIFY_FAILED;
			goto out;
		}
	}
	ret = vulndb_open(loc->path, db, &err);
	if (ret == ERR_NOT_FOUND) {
		ret = missing_db(loc);
	} else if (ret < 0) {
		/* An edited file fails both checks; the signature is the one that says it was tampered with. */
		int verified = pubkey ? verify_db(loc->path, NULL, pubkey, sig.buf) : EXIT_PASSED;

		if (verified == EXIT_PASSED) {
			cmd_error("%s", err.buf);
			ret = cmd_exit_code(ret);
		} else {
			ret = verified;
		}
	} else if (pubkey) {
		ret = verify_db(loc->path, *db, pubkey, sig.buf);
		if (ret != EXIT_PASSED) {
			vulndb_close(*db);
			*db = NULL;
		}
	} else {
		ret = EXIT_PASSED;
	}
out:
	strbuf_release(&sig);
	strbuf_release(&err);
	return ret;
}

int cmd_scan(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_PUBKEY, OPT_SIGNATURE, OPT_WARN_AGE, OPT_MAX_AGE };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "db-pubkey", required_argument, NULL, OPT_PUBKEY },
		{ "db-signature", required_argument, NULL, OPT_SIGNATURE },
		{ "db-warn-age", required_argument, NULL, OPT_WARN_AGE },
		{ "max-db-age", required_argument, NULL, OPT_MAX_AGE },
		CMD_IMAGE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_image_args args;
	struct db_location loc = { NULL, NULL };
	const char *db_option = NULL, *pubkey = NULL, *sig_option = NULL, *target;
	uint64_t warn_age = DEFAULT_WARN_AGE, max_age = 0;
	struct image *img = NULL;
	struct catalog *cat = NULL;
	struct vulndb *db = NULL;
	struct match_result *match = NULL;
	struct strbuf err = STRBUF_INIT;
	struct report_input in;
	char serial[37];
	int c, ret;

	cmd_image_args_init(&args, "scan", scan_usage);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, CMD_IMAGE_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db_option = optarg;
			break;
		case OPT_PUBKEY:
			pubkey = optarg;
			break;
		case OPT_SIGNATURE:
			sig_option = optarg;
			break;
		case OPT_WARN_AGE:
		case OPT_MAX_AGE:
			if (parse_duration(optarg, c == OPT_WARN_AGE ? &warn_age : &max_age) < 0) {
				cmd_error("invalid duration '%s' for %s (use a number and s, m, h, d or w, "
					  "such as 7d)",
					  optarg, argv[optind - 1]);
				return EXIT_BAD_INPUT;
			}
			break;
		default:
			ret = cmd_image_args_option(&args, c, argv);
			if (ret != CMD_CONTINUE)
				return ret;
			break;
		}
	}
	target = cmd_image_args_finish(&args, argc, argv, "table");
	if (!target)
		return EXIT_BAD_INPUT;
	pubkey = cmd_db_pubkey(pubkey);
	if (sig_option && !pubkey) {
		cmd_error("--db-signature needs a public key (--db-pubkey or $CUSTOMS_DB_PUBKEY)");
		return EXIT_BAD_INPUT;
	}

	/* The database first: a missing or stale one should fail before minutes of reading an image. */
	find_db(db_option, &loc);
	ret = open_db(&loc, pubkey, sig_option, &db);
	if (ret != EXIT_PASSED)
		goto out;
	ret = check_db_age(db, loc.path, warn_age, max_age, args.quiet);
	if (ret != EXIT_PASSED)
		goto out;

	ret = cmd_read_image(target, &args.opt, args.quiet, &img, &cat);
	if (ret != EXIT_PASSED)
		goto out;

	if (match_catalog(cat, db, &match, &err) < 0) {
		cmd_error("%s", err.buf);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	if (!args.quiet)
		cmd_print_warnings(&match->warnings);

	cmd_report_input_init(&in, img, cat, serial);
	in.match = match;
	in.db = db;
	ret = cmd_write_outputs(&args.outs, &in) < 0 ? EXIT_BAD_INPUT : EXIT_PASSED;

out:
	if (match)
		match_result_free(match);
	if (cat)
		catalog_free(cat);
	if (img)
		image_free(img);
	if (db)
		vulndb_close(db);
	free(loc.path);
	strbuf_release(&err);
	return ret;
}
