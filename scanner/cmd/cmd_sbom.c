/* `customs sbom TARGET`: read an image in one pass and write its package inventory. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cmd/cmd.h"
#include "image/image.h"
#include "report/report.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "util/xalloc.h"

#define MAX_OUTPUTS 16

struct output {
	const struct report_writer *writer;
	const char *path; /* "-" for standard output */
	struct atomic_file file;
};

static const char sbom_usage[] =
	"usage: customs sbom [options] TARGET\n"
	"\n"
	"TARGET is a docker save tarball, an OCI archive, oci:DIR[:TAG], dir:PATH, or - for a\n"
	"tarball on standard input. The kind of archive is detected from its content.\n"
	"\n"
	"  -o, --output FORMAT[=FILE]  write FORMAT to FILE, or to standard output; repeatable\n"
	"                              (-o help lists the formats; default: table)\n"
	"  -q, --quiet                 no progress line and no warnings on standard error\n"
	"      --max-layer-size SIZE   cap on the decompressed bytes of one layer (default 16G)\n"
	"      --max-image-size SIZE   cap on the decompressed bytes of the image (default 64G)\n"
	"      --max-file-size SIZE    cap on one package database read from the image (default 64M)\n"
	"      --max-metadata-size SIZE  cap on one manifest, index or config (default 8M)\n"
	"  -h, --help                  show this help\n";

static void list_formats(FILE *out)
{
	fprintf(out, "formats:\n");
	for (const struct report_writer *const *w = report_writers; *w; w++)
		fprintf(out, "  %-10s %s\n", (*w)->name, (*w)->description);
}

static int parse_output(const char *spec, struct output *out)
{
	const char *eq = strchr(spec, '=');
	size_t name_len = eq ? (size_t)(eq - spec) : strlen(spec);
	char *name = xstrndup(spec, name_len);

	out->writer = report_writer_find(name);
	free(name);
	if (!out->writer) {
		cmd_error("unknown output format '%.*s' (try -o help)", (int)name_len, spec);
		return -1;
	}
	out->path = eq ? eq + 1 : "-";
	if (!*out->path) {
		cmd_error("empty file name in output '%s'", spec);
		return -1;
	}
	return 0;
}

/* Shown only on a terminal: CI logs get no carriage-return noise. */
static void show_progress(void *data, size_t done, size_t total, uint64_t bytes)
{
	double mib = (double)bytes / (1024.0 * 1024.0);

	(void)data;
	if (total)
		fprintf(stderr, "\r\033[Kcustoms: layers %zu/%zu, %.1f MiB read", done, total, mib);
	else
		fprintf(stderr, "\r\033[Kcustoms: layers %zu, %.1f MiB read", done, mib);
}

static int write_outputs(struct output *outs, size_t nr, const struct report_input *in)
{
	struct strbuf err = STRBUF_INIT;
	size_t opened = 0;
	int ret = 0;

	/* Write everything to temporary files first, so a failure leaves no output at all. */
	for (; opened < nr; opened++) {
		ret = atomic_file_open(&outs[opened].file, outs[opened].path, &err);
		if (ret < 0)
			break;
		ret = outs[opened].writer->write(outs[opened].file.fp, in, &err);
		if (ret < 0) {
			opened++;
			break;
		}
	}
	for (size_t i = 0; i < opened; i++) {
		if (ret < 0)
			atomic_file_abort(&outs[i].file);
		else if (atomic_file_commit(&outs[i].file, &err) < 0)
			ret = ERR_IO;
	}
	if (ret < 0)
		cmd_error("%s", err.buf);
	strbuf_release(&err);
	return ret;
}

int cmd_sbom(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-layer-size", required_argument, NULL, 'L' },
		{ "max-image-size", required_argument, NULL, 'I' },
		{ "max-file-size", required_argument, NULL, 'F' },
		{ "max-metadata-size", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct output outs[MAX_OUTPUTS];
	size_t nr_outs = 0, to_stdout = 0;
	struct image_options opt;
	struct strbuf err = STRBUF_INIT;
	struct image *img = NULL;
	struct catalog *cat = NULL;
	struct report_input in;
	char serial[37];
	int quiet = 0, c, ret;
	uint64_t size;

	image_options_init(&opt);
	memset(outs, 0, sizeof(outs));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!strcmp(optarg, "help")) {
				list_formats(stdout);
				return EXIT_PASSED;
			}
			if (nr_outs == MAX_OUTPUTS) {
				cmd_error("too many outputs (at most %d)", MAX_OUTPUTS);
				return EXIT_BAD_INPUT;
			}
			if (parse_output(optarg, &outs[nr_outs]) < 0)
				return EXIT_BAD_INPUT;
			to_stdout += !strcmp(outs[nr_outs].path, "-");
			nr_outs++;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'L':
		case 'I':
		case 'F':
		case 'M':
			if (cmd_parse_size(optarg, &size) < 0 || size == 0) {
				cmd_error("invalid size '%s' for %s", optarg, argv[optind - 1]);
				return EXIT_BAD_INPUT;
			}
			if (c == 'L')
				opt.max_layer_bytes = size;
			else if (c == 'I')
				opt.max_image_bytes = size;
			else if (c == 'M')
				opt.max_metadata_bytes = size;
			else
				opt.max_file_size = size > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)size;
			break;
		case 'h':
			fputs(sbom_usage, stdout);
			return EXIT_PASSED;
		default:
			cmd_error("unknown option '%s' (see customs sbom --help)", argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc - 1) {
		cmd_error(optind == argc ? "missing TARGET (see customs sbom --help)"
					 : "too many arguments (see customs sbom --help)");
		return EXIT_BAD_INPUT;
	}
	if (to_stdout > 1) {
		cmd_error("only one output can go to standard output");
		return EXIT_BAD_INPUT;
	}
	if (!nr_outs)
		parse_output(report_writers[0]->name, &outs[nr_outs++]);

	opt.want = catalog_wants;
	if (!quiet && isatty(STDERR_FILENO))
		opt.progress = show_progress;

	ret = image_open(&img, argv[optind], &opt, &err);
	if (opt.progress)
		fputs("\r\033[K", stderr);
	if (ret < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return cmd_exit_code(ret);
	}
	ret = catalog_build(&cat, img, &err);
	if (ret < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		image_free(img);
		return cmd_exit_code(ret);
	}
	if (!quiet) {
		for (size_t i = 0; i < img->warnings.nr; i++)
			cmd_warning("%s", img->warnings.msgs[i]);
		for (size_t i = 0; i < cat->warnings.nr; i++)
			cmd_warning("%s", cat->warnings.msgs[i]);
	}

	cmd_random_uuid(serial);
	memset(&in, 0, sizeof(in));
	in.img = img;
	in.cat = cat;
	in.tool_name = "customs";
	in.tool_version = CUSTOMS_VERSION;
	in.timestamp = cmd_now();
	in.serial = serial;
	ret = write_outputs(outs, nr_outs, &in);

	catalog_free(cat);
	image_free(img);
	strbuf_release(&err);
	return ret < 0 ? EXIT_BAD_INPUT : EXIT_PASSED;
}
