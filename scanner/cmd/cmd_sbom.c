/* `customs sbom TARGET`: read an image in one pass and write its package inventory. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
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
	"  -o, --output FORMAT[=FILE]  write FORMAT to FILE, or to standard output; repeatable\n"
	"                              (-o help lists the formats; default: table)\n"
	"  -q, --quiet                 no progress line and no warnings on standard error\n"
	CMD_IMAGE_USAGE
	"  -h, --help                  show this help\n";

int cmd_sbom(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		CMD_IMAGE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_outputs outs;
	struct image_options opt;
	struct image *img;
	struct catalog *cat;
	struct report_input in;
	char serial[37];
	int quiet = 0, c, ret;

	image_options_init(&opt);
	memset(&outs, 0, sizeof(outs));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			ret = cmd_outputs_add(&outs, optarg);
			if (ret)
				return ret > 0 ? EXIT_PASSED : EXIT_BAD_INPUT;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(sbom_usage, stdout);
			return EXIT_PASSED;
		default:
			ret = cmd_image_option(&opt, c, optarg, argv[optind - 1]);
			if (ret < 0)
				return EXIT_BAD_INPUT;
			if (ret > 0) {
				cmd_error("unknown option '%s' (see customs sbom --help)", argv[optind - 1]);
				return EXIT_BAD_INPUT;
			}
			break;
		}
	}
	if (optind != argc - 1) {
		cmd_error(optind == argc ? "missing TARGET (see customs sbom --help)"
					 : "too many arguments (see customs sbom --help)");
		return EXIT_BAD_INPUT;
	}
	if (cmd_outputs_finish(&outs, report_writers[0]->name) < 0)
		return EXIT_BAD_INPUT;

	ret = cmd_read_image(argv[optind], &opt, quiet, &img, &cat);
	if (ret != EXIT_PASSED)
		return ret;

	cmd_report_input_init(&in, img, cat, serial);
	ret = cmd_write_outputs(&outs, &in);

	catalog_free(cat);
	image_free(img);
	return ret < 0 ? EXIT_BAD_INPUT : EXIT_PASSED;
}
