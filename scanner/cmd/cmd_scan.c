/* `customs scan TARGET`: read an image, match its packages against the vulnerability database, report. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "checks/config_checks.h"
#include "checks/dockerfile.h"
#include "checks/file_checks.h"
#include "cmd/cmd.h"
#include "cmd/cmd_config.h"
#include "cmd/cmd_image.h"
#include "cmd/cmd_scan.h"
#include "image/image.h"
#include "match/match.h"
#include "policy/policy.h"
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
	CMD_DB_USAGE_TEXT
	"\n"
	CMD_OUTPUT_USAGE
	"      --severity LIST         list only these severities in the table (critical,high,...);\n"
	"                              a display filter: JSON and the gate see every finding\n"
	CMD_DB_USAGE
	"\n"
	"The gate decides once, on every finding left after VEX and ignore rules:\n"
	"      --fail-on SEVERITY      fail (exit 1) when a finding is at or above SEVERITY\n"
	"                              (critical, high, medium, low or unknown)\n"
	"      --fail-on-count SEVERITY=N  fail when more than N findings have SEVERITY; repeatable\n"
	"      --only-fixed            leave findings that have no fix out of the decision\n"
	"      --ignore-unfixed        the same as --only-fixed\n"
	"      --audit                 never fail, but print and report what would have failed\n"
	"      --ignore-file FILE      ignore rules (default: .customsignore.json, if present)\n"
	"      --vex FILE              an OpenVEX document whose statements apply; repeatable\n"
	"      --config FILE           options as JSON (default: .customs.json, if present); the\n"
	"                              keys are the long option names, and flags override them\n"
	"\n"
	"What runs (the thresholds apply to every kind of finding):\n"
	"      --checks LIST           vuln, config, secret, dockerfile, separated by commas\n"
	"                              (default: all); without vuln no database is needed\n"
	"      --dockerfile FILE       check the Dockerfile the image was built from, and point\n"
	"                              image findings at the instruction that made their layer\n"
	"\n"
	CMD_IMAGE_USAGE
	"  -h, --help                  show this help\n"
	"\n"
	"In the config file a flag is true or false, \"fail-on-count\" an object such as\n"
	"{\"high\": 3}, \"vex\", \"output\" and \"severity\" arrays of strings, and every other\n"
	"option a string. A repeatable flag on the command line replaces the file's list.\n"
	"\n"
	"A DURATION is a number with a unit: s, m, h, d or w (36h, 7d, 2w); 0 turns the check off.\n"
	"\n"
	"Exit codes: 0 the scan ran and the gate passed, 1 the gate failed, 2 usage error or bad\n"
	"input, 3 the database is missing or too old, 4 the database signature does not verify.\n";

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

void cmd_db_args_init(struct cmd_db_args *a)
{
	memset(a, 0, sizeof(*a));
	a->warn_age = DEFAULT_WARN_AGE;
}

int cmd_db_args_option(struct cmd_db_args *a, int c, const char *arg, const char *name)
{
	switch (c) {
	case CMD_OPT_DB:
		a->db = arg;
		break;
	case CMD_OPT_DB_PUBKEY:
		a->pubkey = arg;
		break;
	case CMD_OPT_DB_SIGNATURE:
		a->signature = arg;
		break;
	case CMD_OPT_DB_WARN_AGE:
	case CMD_OPT_MAX_DB_AGE:
		if (parse_duration(arg, c == CMD_OPT_DB_WARN_AGE ? &a->warn_age : &a->max_age) < 0) {
			cmd_error("invalid duration '%s' for %s (use a number and s, m, h, d or w, such as 7d)",
				  arg, name);
			return EXIT_BAD_INPUT;
		}
		break;
	}
	return CMD_CONTINUE;
}

int cmd_scan_target(const char *target, struct cmd_image_args *args, const struct cmd_db_args *dbargs,
		    int match_vulns, struct cmd_scanned *out)
{
	struct db_location loc = { NULL, NULL };
	const char *pubkey = cmd_db_pubkey(dbargs->pubkey);
	struct strbuf err = STRBUF_INIT;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!match_vulns) {
		ret = cmd_read_image(target, &args->opt, args->quiet, &out->img, &out->cat);
		if (ret == EXIT_PASSED)
			out->match = match_result_new();
		return ret;
	}
	if (dbargs->signature && !pubkey) {
		cmd_error("--db-signature needs a public key (--db-pubkey or $CUSTOMS_DB_PUBKEY)");
		return EXIT_BAD_INPUT;
	}
	find_db(dbargs->db, &loc);
	out->db_path = loc.path;
	ret = open_db(&loc, pubkey, dbargs->signature, &out->db);
	if (ret != EXIT_PASSED)
		return ret;
	ret = check_db_age(out->db, loc.path, dbargs->warn_age, dbargs->max_age, args->quiet);
	if (ret != EXIT_PASSED)
		return ret;
	ret = cmd_read_image(target, &args->opt, args->quiet, &out->img, &out->cat);
	if (ret != EXIT_PASSED)
		return ret;
	if (match_catalog(out->cat, out->db, &out->match, &err) < 0) {
		cmd_error("%s", err.buf);
		ret = EXIT_BAD_INPUT;
	}
	strbuf_release(&err);
	return ret;
}

void cmd_scanned_release(struct cmd_scanned *s)
{
	if (s->match)
		match_result_free(s->match);
	if (s->cat)
		catalog_free(s->cat);
	if (s->img)
		image_free(s->img);
	if (s->db)
		vulndb_close(s->db);
	free(s->db_path);
	memset(s, 0, sizeof(*s));
}

/* purl-spec percent-encoding of a component: unreserved characters stay, the rest become %XX. */
static void add_purl_escaped(struct strbuf *sb, const char *s, int keep_slash)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~' || (keep_slash && c == '/'))
			strbuf_addch(sb, (int)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

/* One image purl per digest known, for the repository repo (NULL: none) named name. */
static void add_image_purls(struct strbuf *sb, const char **list, size_t *nr, struct arena *a,
			    const struct image *img, const char *name, const char *repo, const char *tag)
{
	const char *versions[2] = { img->digest, img->config_digest };
	int any = 0;

	for (int v = 0; v < 3; v++) {
		const char *version = v < 2 ? versions[v] : NULL;

		if (v < 2 && !version)
			continue;
		if (v == 2 && any)
			break;
		any = 1;
		strbuf_reset(sb);
		strbuf_addstr(sb, "pkg:oci/");
		add_purl_escaped(sb, name, 0);
		if (version) {
			strbuf_addch(sb, '@');
			add_purl_escaped(sb, version, 0);
		}
		if (repo) {
			strbuf_addstr(sb, "?repository_url=");
			add_purl_escaped(sb, repo, 1);
			if (tag) {
				strbuf_addstr(sb, "&tag=");
				add_purl_escaped(sb, tag, 0);
			}
		}
		list[(*nr)++] = arena_strdup(a, sb->buf);
	}
}

const char **cmd_image_purls(const struct image *img, struct arena *a)
{
	size_t cap = 3 * (img->nr_repo_tags + 1) + 1, nr = 0;
	const char **list = arena_alloc(a, cap * sizeof(*list));
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < img->nr_repo_tags; i++) {
		const char *ref = img->repo_tags[i];
		const char *at = strchr(ref, '@');
		const char *slash, *colon, *name;
		char *repo, *tag = NULL;
		size_t repo_len = at ? (size_t)(at - ref) : strlen(ref);

		/* A tag is the text after the last ':' that has no '/' after it (a port has one). */
		colon = memrchr(ref, ':', repo_len);
		if (colon && !memchr(colon, '/', repo_len - (size_t)(colon - ref))) {
			tag = arena_strndup(a, colon + 1, repo_len - (size_t)(colon - ref) - 1);
			repo_len = (size_t)(colon - ref);
		}
		repo = arena_strndup(a, ref, repo_len);
		slash = strrchr(repo, '/');
		name = slash ? slash + 1 : repo;
		if (*name)
			add_image_purls(&sb, list, &nr, a, img, name, repo, tag);
	}
	if (!nr) {
		/* The target's base name, without a transport prefix, archive extension or oci tag. */
		const char *src = img->source ? img->source : "image";
		const char *colon = strchr(src, ':');
		const char *base;
		char *name;

		if (colon && (!strncmp(src, "oci:", 4) || !strncmp(src, "dir:", 4)))
			src = colon + 1;
		base = strrchr(src, '/');
		name = arena_strdup(a, base && base[1] ? base + 1 : src);
		if (!strncmp(img->source ? img->source : "", "oci:", 4) && strchr(name, ':'))
			*strchr(name, ':') = '\0';
		if (strchr(name, '.'))
			*strchr(name, '.') = '\0';
		if (*name && strcmp(name, "-"))
			add_image_purls(&sb, list, &nr, a, img, name, NULL, NULL);
	}
	list[nr] = NULL;
	strbuf_release(&sb);
	return list;
}

/* ---- customs scan ---- */

enum {
	OPT_FAIL_ON = CMD_DB_OPT_END,
	OPT_FAIL_ON_COUNT,
	OPT_ONLY_FIXED,
	OPT_AUDIT,
	OPT_IGNORE_FILE,
	OPT_VEX,
	OPT_SEVERITY,
	OPT_CONFIG,
	OPT_CHECKS,
	OPT_DOCKERFILE,
	OPT_END,
};

#define MAX_VEX_FILES 64

/* Every option of one run, from the command line and the config file. */
struct scan_settings {
	struct cmd_image_args args;
	struct cmd_db_args db;
	struct policy_gate gate;
	int gate_wanted; /* a gate flag was given: the reports carry a verdict */
	const char *ignore_file;
	const char *vex_files[MAX_VEX_FILES];
	size_t nr_vex_files;
	unsigned shown_severities;
	const char *config;
	unsigned kinds; /* --checks: bits of enum check_kind */
	int kinds_given; /* a --checks list was seen: later lists add to it */
	const char *dockerfile;
	unsigned char from_command_line[OPT_END];
};

/* The keys of .customs.json: the long options, each applied as if given on the command line. */
static const struct cmd_config_key scan_config_keys[] = {
	{ "db", CMD_CONFIG_STRING, CMD_OPT_DB },
	{ "db-pubkey", CMD_CONFIG_STRING, CMD_OPT_DB_PUBKEY },
	{ "db-signature", CMD_CONFIG_STRING, CMD_OPT_DB_SIGNATURE },
	{ "db-warn-age", CMD_CONFIG_STRING, CMD_OPT_DB_WARN_AGE },
	{ "max-db-age", CMD_CONFIG_STRING, CMD_OPT_MAX_DB_AGE },
	{ "fail-on", CMD_CONFIG_STRING, OPT_FAIL_ON },
	{ "fail-on-count", CMD_CONFIG_COUNTS, OPT_FAIL_ON_COUNT },
	{ "only-fixed", CMD_CONFIG_BOOL, OPT_ONLY_FIXED },
	{ "ignore-unfixed", CMD_CONFIG_BOOL, OPT_ONLY_FIXED },
	{ "audit", CMD_CONFIG_BOOL, OPT_AUDIT },
	{ "ignore-file", CMD_CONFIG_STRING, OPT_IGNORE_FILE },
	{ "vex", CMD_CONFIG_LIST, OPT_VEX },
	{ "severity", CMD_CONFIG_LIST, OPT_SEVERITY },
	{ "checks", CMD_CONFIG_LIST, OPT_CHECKS },
	{ "dockerfile", CMD_CONFIG_STRING, OPT_DOCKERFILE },
	{ "output", CMD_CONFIG_LIST, 'o' },
	{ "quiet", CMD_CONFIG_BOOL, 'q' },
	{ "max-layer-size", CMD_CONFIG_STRING, 'L' },
	{ "max-image-size", CMD_CONFIG_STRING, 'I' },
	{ "max-file-size", CMD_CONFIG_STRING, 'F' },
	{ "max-metadata-size", CMD_CONFIG_STRING, 'M' },
	{ NULL, 0, 0 },
};

/* --severity critical,high: each word a severity name; the list adds to what earlier ones showed. */
static int parse_severity_list(const char *arg, unsigned *shown, const char *name)
{
	const char *p = arg;

	while (1) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char word[16];
		enum severity s;

		if (!len || len >= sizeof(word)) {
			cmd_error("invalid severity list '%s' for %s (use names such as critical,high)", arg, name);
			return -1;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		if (severity_parse(word, &s) < 0 || strcasecmp(word, severity_name(s))) {
			cmd_error("unknown severity '%s' for %s (use critical, high, medium, low or unknown)", word,
				  name);
			return -1;
		}
		*shown |= 1u << s;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/*
 * Apply option c with argument arg (NULL for a flag). name says where it
 * came from for messages; from_config is set for a config file's keys.
 */
static int scan_option(struct scan_settings *st, int c, const char *arg, const char *name, int from_config)
{
	struct strbuf err = STRBUF_INIT;
	int ret = CMD_CONTINUE;

	switch (c) {
	case OPT_FAIL_ON:
		ret = policy_parse_fail_on(&st->gate, arg, &err) < 0 ? EXIT_BAD_INPUT : CMD_CONTINUE;
		st->gate_wanted = 1;
		break;
	case OPT_FAIL_ON_COUNT:
		ret = policy_parse_fail_on_count(&st->gate, arg, &err) < 0 ? EXIT_BAD_INPUT : CMD_CONTINUE;
		st->gate_wanted = 1;
		break;
	case OPT_ONLY_FIXED:
		st->gate.only_fixed = 1;
		st->gate_wanted = 1;
		break;
	case OPT_AUDIT:
		st->gate.audit = 1;
		st->gate_wanted = 1;
		break;
	case OPT_IGNORE_FILE:
		st->ignore_file = arg;
		break;
	case OPT_VEX:
		if (st->nr_vex_files == MAX_VEX_FILES) {
			cmd_error("too many VEX documents (at most %d)", MAX_VEX_FILES);
			return EXIT_BAD_INPUT;
		}
		st->vex_files[st->nr_vex_files++] = arg;
		break;
	case OPT_SEVERITY:
		if (parse_severity_list(arg, &st->shown_severities, name) < 0)
			return EXIT_BAD_INPUT;
		break;
	case OPT_CONFIG:
		st->config = arg;
		break;
	case OPT_CHECKS: {
		char bad[32];
		unsigned kinds;

		if (check_kinds_parse(arg, &kinds, bad, sizeof(bad)) < 0) {
			cmd_error("unknown check kind '%s' for %s (use vuln, config, secret or dockerfile, "
				  "separated by commas)",
				  bad, name);
			return EXIT_BAD_INPUT;
		}
		st->kinds = st->kinds_given ? st->kinds | kinds : kinds;
		st->kinds_given = 1;
		break;
	}
	case OPT_DOCKERFILE:
		st->dockerfile = arg;
		break;
	case CMD_OPT_DB:
	case CMD_OPT_DB_PUBKEY:
	case CMD_OPT_DB_SIGNATURE:
	case CMD_OPT_DB_WARN_AGE:
	case CMD_OPT_MAX_DB_AGE:
		return cmd_db_args_option(&st->db, c, arg, name);
	default:
		return cmd_image_args_apply(&st->args, c, arg, name);
	}
	if (ret != CMD_CONTINUE) {
		if (from_config)
			cmd_error("%s: %s", name, err.buf);
		else
			cmd_error("%s", err.buf);
	}
	strbuf_release(&err);
	return ret;
}

/*
 * The config file: --config, else .customs.json when it exists. Each key
 * whose option the command line did not give is applied; for a repeatable
 * option, the command line's list replaces the file's.
 */
static int apply_config(struct scan_settings *st, struct cmd_config **cfg)
{
	const char *path = st->config ? st->config : CMD_CONFIG_DEFAULT_FILE;
	struct strbuf err = STRBUF_INIT;
	struct strbuf name = STRBUF_INIT;
	int ret = cmd_config_load(path, scan_config_keys, cfg, &err);

	if (ret == ERR_NOT_FOUND && !st->config) {
		strbuf_release(&err);
		return CMD_CONTINUE;
	}
	if (ret < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	strbuf_release(&err);
	ret = CMD_CONTINUE;
	for (size_t i = 0; ret == CMD_CONTINUE && i < (*cfg)->nr_entries; i++) {
		const struct cmd_config_entry *e = &(*cfg)->entries[i];
		int opt = e->key->option;

		if (st->from_command_line[opt])
			continue;
		strbuf_reset(&name);
		strbuf_addf(&name, "'%s' in config file '%s'", e->key->name, path);
		if (e->key->type == CMD_CONFIG_BOOL) {
			if (e->enabled)
				ret = scan_option(st, opt, NULL, name.buf, 1);
			continue;
		}
		for (size_t v = 0; ret == CMD_CONTINUE && v < e->nr_values; v++)
			ret = scan_option(st, opt, e->values[v], name.buf, 1);
	}
	strbuf_release(&name);
	return ret;
}

/* Read the ignore file and VEX documents before the image: bad ones fail fast and nothing is written. */
static int load_policy_inputs(const struct scan_settings *st, struct policy_ignore **ignore, struct policy_vex **vex)
{
	struct strbuf err = STRBUF_INIT;
	const char *path = st->ignore_file ? st->ignore_file : POLICY_IGNORE_DEFAULT_FILE;
	int ret = policy_ignore_load(path, ignore, &err);

	*vex = NULL;
	if (ret == ERR_NOT_FOUND && !st->ignore_file)
		ret = 0;
	if (ret < 0)
		goto fail;
	if (st->nr_vex_files) {
		*vex = policy_vex_new();
		for (size_t i = 0; i < st->nr_vex_files; i++) {
			ret = policy_vex_load(*vex, st->vex_files[i], &err);
			if (ret < 0)
				goto fail;
		}
	}
	strbuf_release(&err);
	return EXIT_PASSED;
fail:
	cmd_error("%s", err.buf);
	strbuf_release(&err);
	return ret == ERR_VERIFY ? EXIT_VERIFY_FAILED : EXIT_BAD_INPUT;
}

/* Read --dockerfile before the image, like the policy inputs: a bad one fails fast. */
static int load_dockerfile(const char *path, struct dockerfile **df)
{
	struct strbuf err = STRBUF_INIT;
	int ret = dockerfile_load(path, df, &err);

	if (ret < 0)
		cmd_error("%s", err.buf);
	strbuf_release(&err);
	return ret < 0 ? EXIT_BAD_INPUT : EXIT_PASSED;
}

/* The gate's lines on stderr: what failed the build, or in audit mode what would have. */
static void print_verdict(const struct policy_decision *d)
{
	for (size_t i = 0; i < d->nr_reasons; i++) {
		if (d->audit)
			cmd_error("audit: the gate would have failed: %s", d->reasons[i]);
		else if (!d->passed)
			cmd_error("gate failed: %s", d->reasons[i]);
	}
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_DB_LONGOPTS,
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "fail-on-count", required_argument, NULL, OPT_FAIL_ON_COUNT },
		{ "only-fixed", no_argument, NULL, OPT_ONLY_FIXED },
		{ "ignore-unfixed", no_argument, NULL, OPT_ONLY_FIXED },
		{ "audit", no_argument, NULL, OPT_AUDIT },
		{ "ignore-file", required_argument, NULL, OPT_IGNORE_FILE },
		{ "vex", required_argument, NULL, OPT_VEX },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "checks", required_argument, NULL, OPT_CHECKS },
		{ "dockerfile", required_argument, NULL, OPT_DOCKERFILE },
		CMD_IMAGE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct scan_settings *st = xcalloc(1, sizeof(*st));
	struct cmd_config *cfg = NULL;
	struct policy_ignore *ignore = NULL;
	struct policy_vex *vex = NULL;
	struct policy_decision decision;
	struct report_verdict verdict;
	struct cmd_scanned scanned = { 0 };
	struct check_results checks;
	struct dockerfile *df = NULL;
	struct file_checks *fc = NULL;
	uint64_t *dockerfile_lines = NULL;
	struct arena arena = ARENA_INIT;
	struct report_input in;
	const char *target;
	char serial[37];
	int c, ret, decided = 0, longindex = -1;

	memset(&decision, 0, sizeof(decision));
	check_results_init(&checks);
	cmd_image_args_init(&st->args, "scan", scan_usage);
	cmd_db_args_init(&st->db);
	policy_gate_init(&st->gate);
	st->kinds = CHECK_KINDS_ALL;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, CMD_IMAGE_SHORTOPTS, longopts, &longindex)) != -1) {
		char name[40];

		/* argv[optind - 1] is the value, not the flag, when the value came as its own word. */
		if (longindex >= 0)
			snprintf(name, sizeof(name), "--%s", longopts[longindex].name);
		else
			snprintf(name, sizeof(name), "-%c", c > 0 && c < 128 ? c : '?');
		longindex = -1;
		if (c > 0 && c < OPT_END)
			st->from_command_line[c] = 1;
		ret = scan_option(st, c, optarg, name, 0);
		if (ret != CMD_CONTINUE)
			goto out;
	}
	ret = apply_config(st, &cfg);
	if (ret != CMD_CONTINUE)
		goto out;
	target = cmd_image_args_finish(&st->args, argc, argv, "table");
	if (!target) {
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	ret = load_policy_inputs(st, &ignore, &vex);
	if (ret != EXIT_PASSED)
		goto out;
	if (st->dockerfile) {
		ret = load_dockerfile(st->dockerfile, &df);
		if (ret != EXIT_PASSED)
			goto out;
	}

	if (st->kinds & (1u << CHECK_KIND_CONFIG | 1u << CHECK_KIND_SECRET)) {
		/* The file checks ride along the one streaming pass that catalogs the image. */
		fc = file_checks_new(st->kinds);
		if (df)
			file_checks_set_own_layers(fc, dockerfile_own_layer_count(df));
		st->args.opt.observer = file_checks_observer(fc);
	}
	ret = cmd_scan_target(target, &st->args, &st->db, (st->kinds >> CHECK_KIND_VULN) & 1, &scanned);
	if (ret != EXIT_PASSED)
		goto out;
	checks.kinds_run = st->kinds;
	if (fc) {
		image_checks_collect(fc, scanned.img, st->kinds, &checks);
		file_checks_free(fc);
		fc = NULL;
	}
	if (df) {
		if (st->kinds & (1u << CHECK_KIND_DOCKERFILE))
			dockerfile_checks_run(df, &checks);
		/* Even when its own rules are off, the Dockerfile names the lines image findings came from. */
		dockerfile_link(df, scanned.img, &checks);
		dockerfile_lines = arena_alloc(&arena, (scanned.img->nr_layers + 1) * sizeof(*dockerfile_lines));
		dockerfile_layer_lines(df, scanned.img, dockerfile_lines);
		checks.dockerfile = st->dockerfile;
	} else {
		/* Nothing to check: a report must not claim the Dockerfile was checked clean. */
		checks.kinds_run &= ~(1u << CHECK_KIND_DOCKERFILE);
	}
	check_results_sort(&checks);
	/* The checks and the links read the history as built; every report gets it with build secrets hidden. */
	config_redact_history(scanned.img);

	/* VEX first: a statement from the supplier names the finding before a local rule does. */
	if (vex)
		policy_apply_vex(vex, scanned.match, scanned.cat, cmd_image_purls(scanned.img, &arena));
	if (ignore) {
		policy_apply_ignore(ignore, scanned.match, scanned.cat, cmd_now());
		policy_apply_ignore_checks(ignore, &checks, cmd_now());
	}
	if (st->gate_wanted) {
		policy_decide(&st->gate, scanned.match, scanned.cat, &checks, &decision);
		decided = 1;
	}
	if (!st->args.quiet)
		cmd_print_warnings(&scanned.match->warnings);

	cmd_report_input_init(&in, scanned.img, scanned.cat, serial);
	in.match = scanned.match;
	in.db = scanned.db;
	in.checks = &checks;
	in.dockerfile = st->dockerfile;
	in.dockerfile_lines = dockerfile_lines;
	in.shown_severities = st->shown_severities;
	if (decided) {
		unsigned char *excluded = arena_alloc(&arena, decision.nr_findings ? decision.nr_findings : 1);

		for (size_t i = 0; i < decision.nr_findings; i++)
			excluded[i] = decision.state[i] == POLICY_EXCLUDED_UNFIXED;
		memset(&verdict, 0, sizeof(verdict));
		verdict.passed = decision.passed;
		verdict.would_fail = decision.would_fail;
		verdict.audit = decision.audit;
		verdict.reasons = (const char *const *)decision.reasons;
		verdict.nr_reasons = decision.nr_reasons;
		verdict.failing = decision.failing;
		verdict.excluded = excluded;
		verdict.check_failing = decision.check_failing;
		in.verdict = &verdict;
	}
	if (cmd_write_outputs(&st->args.outs, &in) < 0) {
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	if (decided) {
		print_verdict(&decision);
		ret = decision.passed ? EXIT_PASSED : EXIT_POLICY_FAILED;
	}

out:
	if (decided)
		policy_decision_release(&decision);
	cmd_scanned_release(&scanned);
	check_results_release(&checks);
	dockerfile_free(df);
	file_checks_free(fc);
	policy_ignore_free(ignore);
	policy_vex_free(vex);
	cmd_config_free(cfg);
	arena_release(&arena);
	free(st);
	return ret;
}
