/* `customs vercmp ECOSYSTEM A B` and its batch mode, for scripts and differential tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/exitcode.h"
#include "util/strbuf.h"
#include "version/version.h"

static const char vercmp_usage[] =
	"usage: customs vercmp ECOSYSTEM A B\n"
	"       customs vercmp ECOSYSTEM --batch < PAIRS\n"
	"\n"
	"Prints -1, 0 or 1 as A sorts before, equal to or after B. With --batch, reads\n"
	"A<TAB>B lines from standard input and prints one result per line.\n"
	"\n"
	"ECOSYSTEM is a scheme or any ecosystem that uses it:\n";

static void print_usage(FILE *out)
{
	fputs(vercmp_usage, out);
	for (const struct version_scheme *const *s = version_schemes; *s; s++) {
		fprintf(out, "  %-9s", (*s)->name);
		for (const char *const *a = (*s)->aliases; a && *a; a++)
			fprintf(out, " %s", *a);
		fputc('\n', out);
	}
}

static int run_batch(const struct version_scheme *scheme)
{
	struct strbuf err = STRBUF_INIT;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int ret = EXIT_PASSED;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		char *tab;
		int result;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		tab = strchr(line, '\t');
		if (!tab || strchr(tab + 1, '\t')) {
			cmd_error("line %zu of standard input: expected A<TAB>B", lineno);
			ret = EXIT_BAD_INPUT;
			break;
		}
		*tab = '\0';
		if (scheme->compare(line, tab + 1, &result, &err) < 0) {
			cmd_error("line %zu of standard input: %s", lineno, err.buf);
			ret = EXIT_BAD_INPUT;
			break;
		}
		fputs(result < 0 ? "-1\n" : result > 0 ? "1\n" : "0\n", stdout);
	}
	free(line);
	strbuf_release(&err);
	if (fflush(stdout) != 0 && ret == EXIT_PASSED) {
		cmd_error("cannot write to standard output");
		ret = EXIT_BAD_INPUT;
	}
	return ret;
}

int cmd_vercmp(int argc, char **argv)
{
	const struct version_scheme *scheme;
	struct strbuf err = STRBUF_INIT;
	int result;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		print_usage(stdout);
		return EXIT_PASSED;
	}
	if (argc != 3 && argc != 4) {
		print_usage(stderr);
		return EXIT_BAD_INPUT;
	}
	scheme = version_scheme_find(argv[1]);
	if (!scheme) {
		cmd_error("unknown ecosystem '%s' (see customs vercmp --help)", argv[1]);
		return EXIT_BAD_INPUT;
	}
	if (argc == 3) {
		if (strcmp(argv[2], "--batch")) {
			cmd_error("expected two versions or --batch (see customs vercmp --help)");
			return EXIT_BAD_INPUT;
		}
		return run_batch(scheme);
	}
	if (scheme->compare(argv[2], argv[3], &result, &err) < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	printf("%d\n", result < 0 ? -1 : result > 0 ? 1 : 0);
	return EXIT_PASSED;
}
