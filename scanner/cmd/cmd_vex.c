/* `customs vex TARGET`: scan like `customs scan` and write the findings as an OpenVEX document to edit. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_image.h"
#include "cmd/cmd_scan.h"
#include "policy/policy.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "util/xalloc.h"

static const char vex_usage[] =
	"usage: customs vex [options] TARGET\n"
	"\n"
	CMD_TARGET_USAGE
	"\n"
	"Scans TARGET as `customs scan` does and writes an OpenVEX 0.2.0 document with one\n"
	"statement per vulnerability and package, each \"under_investigation\". Edit the\n"
	"statements (not_affected with a justification, affected, fixed) and pass the file\n"
	"to `customs scan --vex FILE`.\n"
	"\n"
	CMD_DB_USAGE_TEXT
	"\n"
	"  -o, --output FILE           write the document to FILE (default: standard output)\n"
	"      --author NAME           the document's author (default: customs)\n"
	"  -q, --quiet                 no progress line and no warnings on standard error\n"
	CMD_DB_USAGE
	CMD_IMAGE_USAGE
	"  -h, --help                  show this help\n"
	"\n"
	"The timestamp is SOURCE_DATE_EPOCH when it is set, so the document can be reproduced.\n"
	"\n"
	"Exit codes: 0 written, 2 usage error or bad input, 3 the database is missing or too old,\n"
	"4 the database signature does not verify.\n";

enum { OPT_AUTHOR = CMD_DB_OPT_END };

static int write_document(const char *path, const struct cmd_scanned *s, const char *author)
{
	struct policy_vex_doc_info info = { 0 };
	struct atomic_file file;
	struct strbuf err = STRBUF_INIT;
	int ret;

	info.author = author;
	info.timestamp = cmd_now();
	info.tool = "customs " CUSTOMS_VERSION;
	ret = atomic_file_open(&file, path, &err);
	if (ret == 0) {
		ret = policy_vex_write(file.fp, s->match, s->cat, &info, &err);
		if (ret < 0)
			atomic_file_abort(&file);
		else
			ret = atomic_file_commit(&file, &err);
	}
	if (ret < 0)
		cmd_error("%s", err.buf);
	strbuf_release(&err);
	return ret < 0 ? EXIT_BAD_INPUT : EXIT_PASSED;
}

int cmd_vex(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_DB_LONGOPTS,
		{ "author", required_argument, NULL, OPT_AUTHOR },
		CMD_IMAGE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_image_args args;
	struct cmd_db_args db;
	struct cmd_scanned scanned = { 0 };
	const char *output = "-", *author = NULL, *target;
	int c, ret;

	cmd_image_args_init(&args, "vex", vex_usage);
	cmd_db_args_init(&db);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, CMD_IMAGE_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == 'o') {
			/* One document, so -o names a file rather than FORMAT[=FILE]. */
			if (!*optarg) {
				cmd_error("empty file name for -o");
				return EXIT_BAD_INPUT;
			}
			output = optarg;
			continue;
		}
		if (c == OPT_AUTHOR) {
			author = optarg;
			continue;
		}
		if (c >= CMD_OPT_DB && c < CMD_DB_OPT_END)
			ret = cmd_db_args_option(&db, c, optarg, argv[optind - 1]);
		else
			ret = cmd_image_args_option(&args, c, argv);
		if (ret != CMD_CONTINUE)
			return ret;
	}
	/* finish() checks the TARGET; the default output it adds goes unused, as vex writes one document. */
	target = cmd_image_args_finish(&args, argc, argv, "json");
	if (!target)
		return EXIT_BAD_INPUT;
	ret = cmd_scan_target(target, &args, &db, 1, &scanned);
	if (ret == EXIT_PASSED) {
		if (!args.quiet)
			cmd_print_warnings(&scanned.match->warnings);
		ret = write_document(output, &scanned, author);
	}
	cmd_scanned_release(&scanned);
	return ret;
}
