/* `customs sbom TARGET`: read an image in one pass and write its package inventory. */
#include <getopt.h>
#include <stdio.h>

#include "catalog/catalog.h"
#include "checks/config_checks.h"
#include "cmd/cmd.h"
#include "cmd/cmd_image.h"
#include "image/image.h"
#include "report/report.h"
#include "util/exitcode.h"

static const char sbom_usage[] =
	"usage: customs sbom [options] TARGET\n"
	"\n"
	CMD_TARGET_USAGE
	"\n"
	CMD_OUTPUT_USAGE
	CMD_IMAGE_USAGE
	"  -h, --help                  show this help\n";

int cmd_sbom(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_IMAGE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_image_args args;
	struct image *img;
	struct catalog *cat;
	struct report_input in;
	const char *target;
	char serial[37];
	int c, ret;

	cmd_image_args_init(&args, "sbom", sbom_usage);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, CMD_IMAGE_SHORTOPTS, longopts, NULL)) != -1) {
		ret = cmd_image_args_option(&args, c, argv);
		if (ret != CMD_CONTINUE)
			return ret;
	}
	target = cmd_image_args_finish(&args, argc, argv, report_writers[0]->name);
	if (!target)
		return EXIT_BAD_INPUT;

	ret = cmd_read_image(target, &args.opt, args.quiet, &img, &cat);
	if (ret != EXIT_PASSED)
		return ret;
	/* Build arguments recorded in the history may be secrets: no inventory repeats them. */
	config_redact_history(img);

	cmd_report_input_init(&in, img, cat, serial);
	ret = cmd_write_outputs(&args.outs, &in);

	catalog_free(cat);
	image_free(img);
	return ret < 0 ? EXIT_BAD_INPUT : EXIT_PASSED;
}
