/* `customs db build|info|query|sign|verify`: make and check the vulnerability database; update is in cmd_db_update.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_db.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "vulndb/sign.h"
#include "vulndb/vulndb.h"

static const char db_usage[] =
    "usage: customs db build --output FILE SOURCE...\n"
    "       customs db info FILE\n"
    "       customs db query FILE ECOSYSTEM NAME\n"
    "       customs db sign --key KEY.pem [--output SIG] FILE\n"
    "       customs db verify --pubkey PUB.pem [--signature SIG] FILE\n"
    "       customs db update [--url URL]... [--osv-zip URL]... [--output FILE] [--offline] ...\n"
    "\n"
    "build  import into FILE: OSV JSON records (files, or folders searched for *.json), Alpine secdb\n"
    "       and Debian security tracker JSON files (each file's format is read from its content);\n"
    "       prints the records imported and the distinct advisories written\n"
    "info   print the header, the sources and the counts of FILE, after verifying its checksum:\n"
    "       distinct advisories, and the records each source imported (identical advisories from\n"
    "       several records are stored once)\n"
    "query  print the advisories of one package: id, severity, ranges, versions, aliases\n"
    "       (tab-separated, one line per affected entry)\n"
    "sign   write a detached ecdsa p-256 signature of FILE to SIG (default FILE.sig)\n"
    "verify check SIG (default FILE.sig) against FILE and PUB.pem; exit code 4 when it does not match\n"
    "update download a database, or OSV zips to build one, and replace the old one only once it\n"
    "       verifies (see customs db update --help)\n";

int cmd_db_write(struct vulndb_builder *b, const char *path, struct vulndb_info *info, struct strbuf *err)
{
	struct atomic_file af;
	struct vulndb *db;
	int ret = atomic_file_open(&af, path, err);

	if (ret < 0)
		return ret;
	ret = vulndb_builder_write(b, af.fp, (uint64_t)cmd_now(), err);
	if (ret == 0 && fflush(af.fp) != 0)
		ret = error_code(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	if (ret == 0) {
		ret = vulndb_open(af.tmp_path, &db, err);
		cmd_replace_in_message(err, af.tmp_path, path);
	}
	if (ret < 0) {
		atomic_file_abort(&af);
		return ret;
	}
	vulndb_get_info(db, info);
	vulndb_close(db);
	return atomic_file_commit(&af, err);
}

static int db_build(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct strbuf err = STRBUF_INIT;
	struct vulndb_builder *b;
	struct vulndb_info info;
	const char *output = NULL;
	uint64_t json_bytes = 0;
	int c, ret = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'h':
			fputs(db_usage, stdout);
			return EXIT_PASSED;
		default:
			cmd_error("unknown option '%s' (see customs db --help)", argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (!output || optind >= argc) {
		cmd_error("db build needs --output FILE and at least one SOURCE (see customs db --help)");
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(output, "-")) {
		cmd_error("db build writes a file, not standard output");
		return EXIT_BAD_INPUT;
	}

	b = vulndb_builder_new();
	for (int i = optind; i < argc && ret == 0; i++)
		ret = vulndb_import_source(b, argv[i], &json_bytes, &err);
	if (ret == 0)
		ret = cmd_db_write(b, output, &info, &err);
	if (ret == 0) {
		/* Records are what the sources gave; identical advisories among them are stored once. */
		printf("imported %u records from %u source%s\n", vulndb_builder_nr_advisories(b), info.nr_sources,
		       info.nr_sources == 1 ? "" : "s");
		printf("wrote '%s': %u advisories, %llu bytes from %llu bytes of json\n", output, info.nr_advisories,
		       (unsigned long long)info.file_size, (unsigned long long)json_bytes);
	}
	if (ret < 0)
		cmd_error("%s", err.buf);
	vulndb_builder_free(b);
	strbuf_release(&err);
	return ret < 0 ? cmd_exit_code(ret) : EXIT_PASSED;
}

static int open_db(const char *path, struct vulndb **db)
{
	struct strbuf err = STRBUF_INIT;
	int ret = vulndb_open(path, db, &err);

	if (ret < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return ret == ERR_NOT_FOUND ? EXIT_DB_STALE : EXIT_BAD_INPUT;
	}
	return EXIT_PASSED;
}

static int db_info(int argc, char **argv)
{
	struct vulndb *db;
	struct vulndb_info info;
	char when[32];
	uint64_t records = 0;
	int ret;

	if (argc != 2) {
		cmd_error("db info needs exactly one FILE (see customs db --help)");
		return EXIT_BAD_INPUT;
	}
	ret = open_db(argv[1], &db);
	if (ret)
		return ret;
	vulndb_get_info(db, &info);
	cmd_format_time(info.build_time, when);
	for (uint32_t i = 0; i < info.nr_sources; i++) {
		struct vulndb_source src;

		vulndb_get_source(db, i, &src);
		records += src.nr_records;
	}
	printf("format version: %u\n", info.format_version);
	printf("built: %s\n", when);
	printf("size: %llu bytes\n", (unsigned long long)info.file_size);
	printf("checksum: %s (verified)\n", info.checksum);
	/* Sources count the records they gave; identical advisories among them are stored once. */
	printf("advisories: %u\n", info.nr_advisories);
	printf("records imported: %llu\n", (unsigned long long)records);
	printf("packages: %u\n", info.nr_packages);
	printf("affected entries: %u\n", info.nr_affected);
	printf("sources: %u\n", info.nr_sources);
	for (uint32_t i = 0; i < info.nr_sources; i++) {
		struct vulndb_source src;

		vulndb_get_source(db, i, &src);
		fputs("  ", stdout);
		cmd_put_text(stdout, src.name);
		fputs(" date=", stdout);
		cmd_put_text(stdout, *src.date ? src.date : "unknown");
		printf(" records=%u\n", src.nr_records);
	}
	/* The index is sorted by ecosystem, so each ecosystem is one run of packages. */
	printf("ecosystems:\n");
	for (uint32_t i = 0; i < info.nr_packages;) {
		const char *eco, *eco2, *name;
		uint32_t nr, packages = 0, affected = 0;

		vulndb_get_package(db, i, &eco, &name, &nr);
		do {
			packages++;
			affected += nr;
			if (++i >= info.nr_packages)
				break;
			vulndb_get_package(db, i, &eco2, &name, &nr);
		} while (!strcmp(eco, eco2));
		fputs("  ", stdout);
		cmd_put_text(stdout, eco);
		printf(" packages=%u affected=%u\n", packages, affected);
	}
	vulndb_close(db);
	return EXIT_PASSED;
}

static int print_affected(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	struct vulndb_advisory adv;

	vulndb_get_advisory(db, aff->advisory, &adv);
	cmd_put_text(stdout, adv.id);
	putchar('\t');
	cmd_put_text(stdout, *adv.severity ? adv.severity : "-");
	putchar('\t');
	for (uint32_t r = 0; r < aff->nr_ranges; r++) {
		struct vulndb_range range;

		vulndb_get_range(db, aff, r, &range);
		if (r)
			fputs(" | ", stdout);
		fputs(vulndb_range_type_name(range.type), stdout);
		for (uint32_t e = 0; e < range.nr_events; e++) {
			struct vulndb_event ev;

			vulndb_get_event(db, &range, e, &ev);
			printf(" %s=", vulndb_event_kind_name(ev.kind));
			cmd_put_text(stdout, ev.version);
		}
	}
	if (!aff->nr_ranges)
		putchar('-');
	putchar('\t');
	for (uint32_t v = 0; v < aff->nr_versions; v++) {
		if (v)
			putchar(',');
		cmd_put_text(stdout, vulndb_affected_version(db, aff, v));
	}
	if (!aff->nr_versions)
		putchar('-');
	putchar('\t');
	for (uint32_t a = 0; a < adv.nr_aliases; a++) {
		if (a)
			putchar(',');
		cmd_put_text(stdout, vulndb_advisory_alias(db, &adv, a));
	}
	if (!adv.nr_aliases)
		putchar('-');
	putchar('\n');
	(*(unsigned long *)data)++;
	return 0;
}

static int db_query(int argc, char **argv)
{
	struct vulndb *db;
	unsigned long found = 0;
	int ret;

	if (argc != 4) {
		cmd_error("db query needs FILE ECOSYSTEM NAME (see customs db --help)");
		return EXIT_BAD_INPUT;
	}
	ret = open_db(argv[1], &db);
	if (ret)
		return ret;
	vulndb_lookup(db, argv[2], argv[3], print_affected, &found);
	vulndb_close(db);
	if (fflush(stdout) != 0) {
		cmd_error("cannot write to standard output");
		return EXIT_BAD_INPUT;
	}
	return EXIT_PASSED;
}

/* sign and verify take one key option, one optional path option and FILE. */
static int parse_sign_args(int argc, char **argv, const char *cmd, const char *key_opt, const char *path_opt,
			   const char **key, const char **path, const char **file)
{
	const struct option longopts[] = {
	    {key_opt, required_argument, NULL, 'k'},
	    {path_opt, required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*key = *path = *file = NULL;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			*key = optarg;
			break;
		case 'o':
			*path = optarg;
			break;
		case 'h':
			fputs(db_usage, stdout);
			return EXIT_PASSED;
		default:
			cmd_error("unknown option '%s' (see customs db --help)", argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (!*key || optind + 1 != argc) {
		cmd_error("db %s needs --%s FILE and exactly one database FILE (see customs db --help)", cmd,
			  key_opt);
		return EXIT_BAD_INPUT;
	}
	*file = argv[optind];
	return EXIT_PASSED;
}

/* sign and verify: the same arguments, one call and one line of output apart. */
static int db_signature(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	const char *key, *sig, *file;
	int sign = !strcmp(argv[0], "sign");
	int ret = parse_sign_args(argc, argv, argv[0], sign ? "key" : "pubkey", sign ? "output" : "signature", &key,
				  &sig, &file);

	if (ret != EXIT_PASSED || !file)
		return ret;
	if (sign)
		ret = vulndb_sign_file(file, key, sig, &err);
	else
		ret = vulndb_verify_file(file, key, sig, &err);
	if (ret < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return cmd_exit_code(ret);
	}
	if (sign && sig) {
		printf("wrote signature '%s'\n", sig);
	} else if (sign) {
		printf("wrote signature '%s.sig'\n", file);
	} else {
		fputs("signature ok: ", stdout);
		cmd_put_text(stdout, file);
		putchar('\n');
	}
	return EXIT_PASSED;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} db_commands[] = {
    {"build", db_build},
    {"info", db_info},
    {"query", db_query},
    {"sign", db_signature},
    {"verify", db_signature},
    {"update", cmd_db_update},
};

int cmd_db(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(db_usage, stdout);
		return EXIT_PASSED;
	}
	if (argc < 2) {
		fputs(db_usage, stderr);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < sizeof(db_commands) / sizeof(db_commands[0]); i++)
		if (!strcmp(argv[1], db_commands[i].name))
			return db_commands[i].run(argc - 1, argv + 1);
	cmd_error("unknown db command '%s' (see customs db --help)", argv[1]);
	return EXIT_BAD_INPUT;
}
