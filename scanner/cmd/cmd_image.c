/* The image reading and report output that `customs sbom` and `customs scan` share. */
#include "cmd/cmd_image.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "util/xalloc.h"

/* Apply one size cap; 1 when c is not a cap option, -1 after printing an error. */
static int image_option(struct image_options *opt, int c, const char *arg, const char *option)
{
	uint64_t size;

	if (c != 'L' && c != 'I' && c != 'F' && c != 'M')
		return 1;
	if (cmd_parse_size(arg, &size) < 0 || size == 0) {
		cmd_error("invalid size '%s' for %s", arg, option);
		return -1;
	}
	if (c == 'L')
		opt->max_layer_bytes = size;
	else if (c == 'I')
		opt->max_image_bytes = size;
	else if (c == 'M')
		opt->max_metadata_bytes = size;
	else
		opt->max_file_size = size > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)size;
	return 0;
}

static void list_formats(FILE *out)
{
	fprintf(out, "formats:\n");
	for (const struct report_writer *const *w = report_writers; *w; w++)
		fprintf(out, "  %-10s %s\n", (*w)->name, (*w)->description);
}

static int parse_output(const char *spec, struct cmd_output *out)
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

/* Record one -o FORMAT[=FILE]; 1 after "-o help" listed the formats, -1 after an error. */
static int outputs_add(struct cmd_outputs *outs, const char *spec)
{
	if (!strcmp(spec, "help")) {
		list_formats(stdout);
		return 1;
	}
	if (outs->nr == CMD_MAX_OUTPUTS) {
		cmd_error("too many outputs (at most %d)", CMD_MAX_OUTPUTS);
		return -1;
	}
	if (parse_output(spec, &outs->items[outs->nr]) < 0)
		return -1;
	outs->to_stdout += !strcmp(outs->items[outs->nr].path, "-");
	outs->nr++;
	return 0;
}

static int outputs_finish(struct cmd_outputs *outs, const char *default_format)
{
	if (outs->to_stdout > 1) {
		cmd_error("only one output can go to standard output");
		return -1;
	}
	if (!outs->nr)
		return outputs_add(outs, default_format);
	return 0;
}

void cmd_image_args_init(struct cmd_image_args *args, const char *command, const char *usage)
{
	memset(args, 0, sizeof(*args));
	args->command = command;
	args->usage = usage;
	image_options_init(&args->opt);
}

int cmd_image_args_apply(struct cmd_image_args *args, int c, const char *arg, const char *name)
{
	int ret;

	switch (c) {
	case 'o':
		ret = outputs_add(&args->outs, arg);
		if (ret)
			return ret > 0 ? EXIT_PASSED : EXIT_BAD_INPUT;
		return CMD_CONTINUE;
	case 'q':
		args->quiet = 1;
		return CMD_CONTINUE;
	case 'h':
		fputs(args->usage, stdout);
		return EXIT_PASSED;
	}
	ret = image_option(&args->opt, c, arg, name);
	if (ret < 0)
		return EXIT_BAD_INPUT;
	if (ret > 0) {
		cmd_error("unknown option '%s' (see customs %s --help)", name, args->command);
		return EXIT_BAD_INPUT;
	}
	return CMD_CONTINUE;
}

int cmd_image_args_option(struct cmd_image_args *args, int c, char **argv)
{
	return cmd_image_args_apply(args, c, optarg, argv[optind - 1]);
}

const char *cmd_image_args_finish(struct cmd_image_args *args, int argc, char **argv,
				  const char *default_format)
{
	if (optind != argc - 1) {
		cmd_error(optind == argc ? "missing TARGET (see customs %s --help)"
					 : "too many arguments (see customs %s --help)",
			  args->command);
		return NULL;
	}
	if (outputs_finish(&args->outs, default_format) < 0)
		return NULL;
	return argv[optind];
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

void cmd_print_warnings(const struct warnings *w)
{
	for (size_t i = 0; i < w->nr; i++)
		cmd_warning("%s", w->msgs[i]);
}

int cmd_read_image(const char *target, struct image_options *opt, int quiet, struct image **img,
		   struct catalog **cat)
{
	struct strbuf err = STRBUF_INIT;
	int ret;

	*img = NULL;
	*cat = NULL;
	opt->want = catalog_wants;
	if (!quiet && isatty(STDERR_FILENO))
		opt->progress = show_progress;

	ret = image_open(img, target, opt, &err);
	if (opt->progress)
		fputs("\r\033[K", stderr);
	if (ret < 0)
		goto fail;
	ret = catalog_build(cat, *img, &err);
	if (ret < 0) {
		image_free(*img);
		*img = NULL;
		goto fail;
	}
	if (!quiet) {
		cmd_print_warnings(&(*img)->warnings);
		cmd_print_warnings(&(*cat)->warnings);
	}
	strbuf_release(&err);
	return EXIT_PASSED;

fail:
	cmd_error("%s", err.buf);
	strbuf_release(&err);
	return cmd_exit_code(ret);
}

int cmd_write_outputs(struct cmd_outputs *outs, const struct report_input *in)
{
	struct strbuf err = STRBUF_INIT;
	size_t opened = 0;
	int ret = 0;

	for (; opened < outs->nr; opened++) {
		struct cmd_output *o = &outs->items[opened];

		ret = atomic_file_open(&o->file, o->path, &err);
		if (ret < 0)
			break;
		ret = o->writer->write(o->file.fp, in, &err);
		if (ret < 0) {
			opened++;
			break;
		}
	}
	for (size_t i = 0; i < opened; i++) {
		if (ret < 0)
			atomic_file_abort(&outs->items[i].file);
		else if (atomic_file_commit(&outs->items[i].file, &err) < 0)
			ret = ERR_IO;
	}
	if (ret < 0)
		cmd_error("%s", err.buf);
	strbuf_release(&err);
	return ret < 0 ? -1 : 0;
}

void cmd_report_input_init(struct report_input *in, const struct image *img, const struct catalog *cat,
			   char serial_buf[37])
{
	cmd_random_uuid(serial_buf);
	memset(in, 0, sizeof(*in));
	in->img = img;
	in->cat = cat;
	in->tool_name = "customs";
	in->tool_version = CUSTOMS_VERSION;
	in->timestamp = cmd_now();
	in->serial = serial_buf;
}
