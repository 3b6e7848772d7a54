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
	const char *path; /* "-" for standard output; points into argv */
	struct atomic_file file;
};

/* The -o options of one run; zero it before the first cmd_outputs_add(). */
struct cmd_outputs {
	struct cmd_output items[CMD_MAX_OUTPUTS];
	size_t nr;
	size_t to_stdout;
};

/*
 * The long options and help lines of the size caps, for the option tables of
 * commands that read images. Their short values are the ones
 * cmd_image_option() takes.
 */
#define CMD_IMAGE_LONGOPTS                                                    \
	{ "max-layer-size", required_argument, NULL, 'L' },                   \
	{ "max-image-size", required_argument, NULL, 'I' },                   \
	{ "max-file-size", required_argument, NULL, 'F' },                    \
	{ "max-metadata-size", required_argument, NULL, 'M' }

#define CMD_IMAGE_USAGE                                                                               \
	"      --max-layer-size SIZE   cap on the decompressed bytes of one layer (default 16G)\n"     \
	"      --max-image-size SIZE   cap on the decompressed bytes of the image (default 64G)\n"     \
	"      --max-file-size SIZE    cap on one package database read from the image (default 64M)\n" \
	"      --max-metadata-size SIZE  cap on one manifest, index or config (default 8M)\n"

#define CMD_TARGET_USAGE                                                                        \
	"TARGET is a docker save tarball, an OCI archive, oci:DIR[:TAG], dir:PATH, or - for a\n" \
	"tarball on standard input. The kind of archive is detected from its content.\n"

/*
 * Apply one cap option (c is 'L', 'I', 'F' or 'M', option its spelling for
 * messages) to opt. Returns 1 when c is not a cap option, 0 when applied, and
 * -1 after printing an error for a bad size.
 */
int cmd_image_option(struct image_options *opt, int c, const char *arg, const char *option);

/*
 * Record one -o FORMAT[=FILE]; spec must outlive outs. "-o help" lists the
 * formats on stdout and returns 1 (the command then exits 0). Returns 0, or
 * -1 after printing an error.
 */
int cmd_outputs_add(struct cmd_outputs *outs, const char *spec);

/* Check the outputs once options are parsed, adding default_format when none was asked for; -1 on error. */
int cmd_outputs_finish(struct cmd_outputs *outs, const char *default_format);

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
