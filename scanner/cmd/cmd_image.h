/* What `customs sbom` and `customs scan` share: reading images under caps, writing reports atomically. */
#ifndef CUSTOMS_CMD_CMD_IMAGE_H
#define CUSTOMS_CMD_CMD_IMAGE_H

#include <getopt.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "image/image.h"
#include "report/report.h"
#include "util/atomic_file.h"
#include "util/warnings.h"

#define CMD_MAX_OUTPUTS 16

struct cmd_output {
	const struct report_writer *writer;
	const char *path; /* "-" for standard output; points into argv or a config file */
	struct atomic_file file;
};

/* The -o options of one run. */
struct cmd_outputs {
	struct cmd_output items[CMD_MAX_OUTPUTS];
	size_t nr;
	size_t to_stdout;
};

/* What every command that reads an image takes: -o, -q, -h and the size caps. */
struct cmd_image_args {
	const char *command; /* "sbom", "scan": for messages */
	const char *usage;   /* printed by -h */
	struct cmd_outputs outs;
	struct image_options opt;
	int quiet;
};

/*
 * The options cmd_image_args_option() takes, for the option tables and help
 * of those commands; a command adds its own long options (with values from
 * 256 up) next to them.
 */
#define CMD_IMAGE_SHORTOPTS "o:qh"
#define CMD_IMAGE_LONGOPTS                                                    \
	{ "output", required_argument, NULL, 'o' },                           \
	{ "quiet", no_argument, NULL, 'q' },                                  \
	{ "help", no_argument, NULL, 'h' },                                   \
	{ "max-layer-size", required_argument, NULL, 'L' },                   \
	{ "max-image-size", required_argument, NULL, 'I' },                   \
	{ "max-file-size", required_argument, NULL, 'F' },                    \
	{ "max-metadata-size", required_argument, NULL, 'M' }

#define CMD_OUTPUT_USAGE                                                                        \
	"  -o, --output FORMAT[=FILE]  write FORMAT to FILE, or to standard output; repeatable\n" \
	"                              (-o help lists the formats; default: table)\n"            \
	"  -q, --quiet                 no progress line and no warnings on standard error\n"

#define CMD_IMAGE_USAGE                                                                               \
	"      --max-layer-size SIZE   cap on the decompressed bytes of one layer (default 16G)\n"     \
	"      --max-image-size SIZE   cap on the decompressed bytes of the image (default 64G)\n"     \
	"      --max-file-size SIZE    cap on one package database read from the image (default 64M)\n" \
	"      --max-metadata-size SIZE  cap on one manifest, index or config (default 8M)\n"

#define CMD_TARGET_USAGE                                                                        \
	"TARGET is a docker save tarball, an OCI archive, oci:DIR[:TAG], dir:PATH, or - for a\n" \
	"tarball on standard input. The kind of archive is detected from its content.\n"

/* cmd_image_args_option() handled the option: parsing goes on. */
#define CMD_CONTINUE (-1)

void cmd_image_args_init(struct cmd_image_args *args, const char *command, const char *usage);

/*
 * Handle option c, as getopt_long() returned it for argv, when it is one of
 * CMD_IMAGE_LONGOPTS; any other is an unknown option. Returns CMD_CONTINUE,
 * or the exit code to end the command with after printing the help, the
 * format list or an error.
 */
int cmd_image_args_option(struct cmd_image_args *args, int c, char **argv);

/*
 * The same for an option that did not come from getopt (a config file):
 * arg is its argument (NULL for -q), name how the user wrote it, for
 * messages. Strings -o names must outlive args.
 */
int cmd_image_args_apply(struct cmd_image_args *args, int c, const char *arg, const char *name);

/*
 * Once the options are parsed: check that exactly one TARGET is left and
 * that the outputs fit together, adding default_format when no -o was given.
 * Returns the TARGET, or NULL after printing an error (exit code 2).
 */
const char *cmd_image_args_finish(struct cmd_image_args *args, int argc, char **argv,
				  const char *default_format);

/*
 * Read target and catalog it, with a progress line on a terminal unless
 * quiet. On success *img and *cat belong to the caller (catalog_free, then
 * image_free) and the image's and catalog's warnings have been printed unless
 * quiet. Returns EXIT_PASSED, or the exit code after printing the error.
 */
int cmd_read_image(const char *target, struct image_options *opt, int quiet, struct image **img,
		   struct catalog **cat);

/* Print each warning as "customs: warning: ..." on stderr. */
void cmd_print_warnings(const struct warnings *w);

/*
 * Write every output from in, to temporary files first, so that a failure
 * leaves no output at all. Returns 0, or -1 after printing the error.
 */
int cmd_write_outputs(struct cmd_outputs *outs, const struct report_input *in);

/* Fill what every report of a command carries: tool, time and serial (in serial_buf, 37 bytes). */
void cmd_report_input_init(struct report_input *in, const struct image *img, const struct catalog *cat,
			   char serial_buf[37]);

#endif
