/* The human-readable report: one line per package in columns sized to their content. */
#include <stdlib.h>
#include <string.h>

#include "report/writer.h"
#include "util/utf8.h"
#include "util/xalloc.h"

enum { COL_NAME, COL_VERSION, COL_TYPE, COL_SOURCE, COL_LAYER, NR_COLS };

static const char *const column_titles[NR_COLS] = { "NAME", "VERSION", "TYPE", "SOURCE", "LAYER" };

/* One absurd field from an image must not push every other column off the screen. */
#define MAX_CELL_CHARS 120
/* The short form of a layer's diff_id, as `docker history` shows image ids. */
#define SHORT_DIGEST_LEN 12

/* Characters a terminal sees, counting each UTF-8 sequence once. */
static size_t display_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * A cell safe to print to a terminal: valid UTF-8 with every control
 * character, C1 included, replaced by '?', because an image could otherwise
 * send escape sequences to whoever reads the report. NULL and "" become "-".
 * The caller frees the result.
 */
static char *make_cell(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t chars = 0;
	char *clean;
	const unsigned char *p;

	if (!s || !*s)
		return xstrdup("-");
	clean = utf8_sanitize(s, strlen(s));
	for (p = (const unsigned char *)clean; *p;) {
		size_t len = 1;
		if (*p >= 0xc0)
			while ((p[len] & 0xc0) == 0x80)
				len++;
		if (chars == MAX_CELL_CHARS) {
			strbuf_addstr(&sb, "...");
			break;
		}
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			strbuf_addch(&sb, '?');
		else
			strbuf_add(&sb, p, len);
		p += len;
		chars++;
	}
	free(clean);
	return strbuf_detach(&sb, NULL);
}

static char *source_cell(const struct package *pkg)
{
	struct strbuf sb = STRBUF_INIT;
	char *cell;

	if (!pkg->source_name || !*pkg->source_name)
		return make_cell(NULL);
	/* Like dpkg's "Source: name (version)": the version only when it differs. */
	strbuf_addstr(&sb, pkg->source_name);
	if (pkg->source_version && *pkg->source_version &&
	    (!pkg->version || strcmp(pkg->source_version, pkg->version)))
		strbuf_addf(&sb, " (%s)", pkg->source_version);
	cell = make_cell(sb.buf);
	strbuf_release(&sb);
	return cell;
}

static char *layer_cell(const struct image *img, const struct package *pkg)
{
	const struct image_layer *layer = report_package_layer(img, pkg);
	const char *hex;
	struct strbuf sb = STRBUF_INIT;
	char *cell;

	if (!layer)
		return make_cell(NULL);
	strbuf_addf(&sb, "%d", pkg->layer);
	if (layer->diff_id) {
		hex = strchr(layer->diff_id, ':');
		hex = hex ? hex + 1 : layer->diff_id;
		strbuf_addf(&sb, " (%.*s)", SHORT_DIGEST_LEN, hex);
	}
	cell = make_cell(sb.buf);
	strbuf_release(&sb);
	return cell;
}

static void print_row(FILE *out, const char *const *cells, const size_t *widths)
{
	for (int col = 0; col < NR_COLS; col++) {
		fputs(cells[col], out);
		/* No trailing blanks: the last column is not padded. */
		if (col == NR_COLS - 1)
			break;
		for (size_t pad = display_width(cells[col]); pad < widths[col] + 2; pad++)
			fputc(' ', out);
	}
	fputc('\n', out);
}

static void print_warning(const char *msg, void *data)
{
	char *cell = make_cell(msg);

	fprintf(data, "warning: %s\n", cell);
	free(cell);
}

static void print_header(FILE *out, const struct report_input *in)
{
	const struct os_info *os = &in->cat->os;
	struct strbuf os_text = STRBUF_INIT;
	char *image, *os_cell;

	if (os->pretty_name && *os->pretty_name)
		strbuf_addstr(&os_text, os->pretty_name);
	else if (os->id && *os->id)
		strbuf_addf(&os_text, "%s %s", os->id, os->version_id ? os->version_id : "");
	else
		strbuf_addstr(&os_text, "unknown");
	image = make_cell(report_image_name(in->img));
	os_cell = make_cell(os_text.buf);
	fprintf(out, "Image: %s  OS: %s  Packages: %zu\n", image, os_cell, in->cat->packages.nr);
	free(image);
	free(os_cell);
	strbuf_release(&os_text);
}

static int write_table(FILE *out, const struct report_input *in, struct strbuf *err)
{
	const struct package_list *list = &in->cat->packages;
	size_t widths[NR_COLS];
	char **cells = xcalloc((list->nr ? list->nr : 1) * NR_COLS, sizeof(*cells));

	for (int col = 0; col < NR_COLS; col++)
		widths[col] = strlen(column_titles[col]);
	for (size_t i = 0; i < list->nr; i++) {
		const struct package *pkg = &list->items[i];
		char **row = cells + i * NR_COLS;

		row[COL_NAME] = make_cell(pkg->name);
		row[COL_VERSION] = make_cell(pkg->version);
		row[COL_TYPE] = make_cell(pkg->type);
		row[COL_SOURCE] = source_cell(pkg);
		row[COL_LAYER] = layer_cell(in->img, pkg);
		for (int col = 0; col < NR_COLS; col++) {
			size_t w = display_width(row[col]);
			if (w > widths[col])
				widths[col] = w;
		}
	}

	print_header(out, in);
	if (list->nr) {
		fputc('\n', out);
		print_row(out, column_titles, widths);
		for (size_t i = 0; i < list->nr; i++)
			print_row(out, (const char *const *)(cells + i * NR_COLS), widths);
	}
	if (report_nr_warnings(in)) {
		fputc('\n', out);
		report_each_warning(in, print_warning, out);
	}

	for (size_t i = 0; i < list->nr * NR_COLS; i++)
		free(cells[i]);
	free(cells);
	return report_finish(out, err);
}

const struct report_writer report_writer_table = {
	.name = "table",
	.description = "a table for people to read (the default)",
	.write = write_table,
};
