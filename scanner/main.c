/* customs: the entry point, which dispatches to a subcommand from the table. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cmd/cmd.h"
#include "util/atomic_file.h"
#include "util/exitcode.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: customs COMMAND [options]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nRun 'customs COMMAND --help' for the options of a command.\n"
		     "Exit codes: 0 passed, 1 policy failed, 2 usage error or bad input,\n"
		     "3 database missing or stale, 4 verification failed.\n");
}

/* An interrupted run must not leave a half-written report behind. */
static void on_signal(int sig)
{
	atomic_file_cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int ret;

	/* libarchive needs a UTF-8 locale to hand out UTF-8 names; C.UTF-8 needs no locale files with musl. */
	setlocale(LC_CTYPE, "C.UTF-8");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_PASSED;
	}
	cmd = command_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "customs: unknown command '%s' (see customs --help)\n", argv[1]);
		return EXIT_BAD_INPUT;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ret = cmd->run(argc - 1, argv + 1);
	curl_global_cleanup();
	return ret;
}
