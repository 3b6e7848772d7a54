/* `customs hook install`: put the pre-push hook (ci/pre-push, built into the binary) into a git repository. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/atomic_file.h"
#include "util/exitcode.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Generated from ci/pre-push by the Makefile, so the static binary alone can install the hook. */
#include "pre_push_script.h"

/* A hook, a git config file or a gitdir file larger than this is not one we would write or read. */
#define HOOK_MAX_FILE (4 << 20)

static const char hook_usage[] =
	"usage: customs hook install [--path REPO] [--force]\n"
	"       customs hook print\n"
	"\n"
	"install  write the Customs pre-push hook into the git repository REPO (default: the\n"
	"         current directory): hooks/pre-push of its git directory, or core.hooksPath when\n"
	"         that is set. An identical hook is left alone; a different one is only replaced\n"
	"         with --force. On each push the hook scans the pushed tree when a lockfile or a\n"
	"         Dockerfile changed, and blocks the push when the gate fails\n"
	"         (bypass with: git push --no-verify).\n"
	"print    print the hook script on standard output\n"
	"\n"
	"The hook finds customs through $CUSTOMS_BIN, else on PATH, and reads thresholds and the\n"
	"database from the repository's .customs.json. Its git config settings\n"
	"(customs.hook.docker, .dockerfile, .context, .paths) are described in docs/pre-push.md.\n";

/* Reads a whole small file into sb; -1 with errno set when it cannot, or EFBIG past the cap. */
static int read_small_file(const char *path, struct strbuf *sb)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	size_t n;

	if (!fp)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (sb->len + n > HOOK_MAX_FILE) {
			fclose(fp);
			errno = EFBIG;
			return -1;
		}
		strbuf_add(sb, buf, n);
	}
	if (ferror(fp)) {
		fclose(fp);
		errno = EIO;
		return -1;
	}
	fclose(fp);
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir/name into out, or name alone when it is absolute. */
static void join_path(struct strbuf *out, const char *dir, const char *name)
{
	strbuf_reset(out);
	if (name[0] != '/') {
		strbuf_addstr(out, dir);
		if (out->len && out->buf[out->len - 1] != '/')
			strbuf_addch(out, '/');
	}
	strbuf_addstr(out, name);
}

static void trim(struct strbuf *sb)
{
	size_t start = 0;

	while (sb->len && isspace((unsigned char)sb->buf[sb->len - 1]))
		sb->buf[--sb->len] = '\0';
	while (start < sb->len && isspace((unsigned char)sb->buf[start]))
		start++;
	if (start) {
		memmove(sb->buf, sb->buf + start, sb->len - start + 1);
		sb->len -= start;
	}
}

/*
 * Asks git itself where the hooks of repo go: it knows worktrees, core.hooksPath
 * in every config file and includes. Returns 1 with the path in out, 0 when git
 * cannot be run here, -1 when git says repo is not a repository.
 */
static int hooks_dir_from_git(const char *repo, struct strbuf *out)
{
	int fds[2], status;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return 0;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(fds[1], STDOUT_FILENO);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		close(fds[0]);
		close(fds[1]);
		execlp("git", "git", "-C", repo, "rev-parse", "--git-path", "hooks", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	strbuf_reset(out);
	while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out->len + (size_t)n <= HOOK_MAX_FILE)
			strbuf_add(out, buf, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		return 0;
	if (WEXITSTATUS(status) != 0)
		return -1;
	trim(out);
	if (!out->len)
		return -1;
	/* git prints the path relative to the directory it ran in, which -C made repo. */
	if (out->buf[0] != '/' && strcmp(repo, ".")) {
		struct strbuf rel = STRBUF_INIT;

		strbuf_add(&rel, out->buf, out->len);
		join_path(out, repo, rel.buf);
		strbuf_release(&rel);
	}
	return 1;
}

/*
 * core.hooksPath from a git config file, in the simple form `git config`
 * writes: a [core] section and a `hooksPath = VALUE` line, names in any case.
 */
static int config_hooks_path(const char *config_path, struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT, line = STRBUF_INIT, key = STRBUF_INIT;
	int in_core = 0, found = 0;
	const char *p, *end;

	if (read_small_file(config_path, &text) < 0) {
		strbuf_release(&text);
		return 0;
	}
	for (p = text.buf; *p; p = *end ? end + 1 : end) {
		char *eq;

		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		strbuf_reset(&line);
		strbuf_add(&line, p, (size_t)(end - p));
		trim(&line);
		if (line.buf[0] == '[') {
			in_core = !strncasecmp(line.buf, "[core]", 6);
			continue;
		}
		if (!in_core || !(eq = strchr(line.buf, '=')))
			continue;
		*eq = '\0';
		strbuf_reset(&key);
		strbuf_addstr(&key, line.buf);
		trim(&key);
		if (strcasecmp(key.buf, "hookspath"))
			continue;
		/* The last setting wins, as in git. */
		strbuf_reset(out);
		strbuf_addstr(out, eq + 1);
		trim(out);
		if (out->len >= 2 && out->buf[0] == '"' && out->buf[out->len - 1] == '"') {
			memmove(out->buf, out->buf + 1, out->len - 2);
			out->len -= 2;
			out->buf[out->len] = '\0';
		}
		found = out->len > 0;
	}
	strbuf_release(&text);
	strbuf_release(&line);
	strbuf_release(&key);
	return found;
}

/*
 * Where the hooks of repo go, without git: REPO/.git (a directory, or a
 * "gitdir: PATH" file for worktrees and submodules), the common directory of
 * a worktree, and core.hooksPath from its config.
 */
static int hooks_dir_by_hand(const char *repo, struct strbuf *out)
{
	struct strbuf dotgit = STRBUF_INIT, gitdir = STRBUF_INIT, tmp = STRBUF_INIT, value = STRBUF_INIT;
	int ret = -1;

	join_path(&dotgit, repo, ".git");
	if (is_dir(dotgit.buf)) {
		strbuf_add(&gitdir, dotgit.buf, dotgit.len);
	} else if (read_small_file(dotgit.buf, &tmp) == 0) {
		trim(&tmp);
		if (strncmp(tmp.buf, "gitdir:", 7))
			goto out;
		strbuf_addstr(&value, tmp.buf + 7);
		trim(&value);
		join_path(&gitdir, repo, value.buf);
	} else {
		/* A bare repository has no .git: it is the git directory. */
		join_path(&tmp, repo, "objects");
		if (!is_dir(tmp.buf))
			goto out;
		strbuf_addstr(&gitdir, repo);
	}
	if (!is_dir(gitdir.buf))
		goto out;
	/* A worktree's hooks and config live in the common directory of the main repository. */
	join_path(&tmp, gitdir.buf, "commondir");
	strbuf_reset(&value);
	if (read_small_file(tmp.buf, &value) == 0) {
		trim(&value);
		if (value.len) {
			join_path(&tmp, gitdir.buf, value.buf);
			strbuf_reset(&gitdir);
			strbuf_add(&gitdir, tmp.buf, tmp.len);
		}
	}
	join_path(&tmp, gitdir.buf, "config");
	if (config_hooks_path(tmp.buf, &value)) {
		const char *home = cmd_env("HOME");

		if (!strncmp(value.buf, "~/", 2) && home) {
			strbuf_reset(out);
			strbuf_addf(out, "%s/%s", home, value.buf + 2);
		} else {
			/* git runs hooks from the top of the working tree, so a relative path starts there. */
			join_path(out, repo, value.buf);
		}
	} else {
		join_path(out, gitdir.buf, "hooks");
	}
	ret = 0;
out:
	strbuf_release(&dotgit);
	strbuf_release(&gitdir);
	strbuf_release(&tmp);
	strbuf_release(&value);
	return ret;
}

static int write_hook(const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct atomic_file af;
	int ret;

	ret = atomic_file_open(&af, path, &err);
	if (ret == 0) {
		if (fputs(pre_push_script, af.fp) == EOF || fflush(af.fp) != 0 ||
		    fchmod(fileno(af.fp), 0755) != 0) {
			cmd_error("cannot write '%s': %s", path, strerror(errno));
			atomic_file_abort(&af);
			strbuf_release(&err);
			return EXIT_BAD_INPUT;
		}
		ret = atomic_file_commit(&af, &err);
	}
	if (ret < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	strbuf_release(&err);
	return EXIT_PASSED;
}

static int hook_install(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "path", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf dir = STRBUF_INIT, hook = STRBUF_INIT, old = STRBUF_INIT;
	const char *repo = ".";
	int force = 0, c, found, ret = EXIT_BAD_INPUT;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:fh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!*optarg) {
				cmd_error("empty path for --path");
				return EXIT_BAD_INPUT;
			}
			repo = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'h':
			fputs(hook_usage, stdout);
			return EXIT_PASSED;
		default:
			cmd_error("unknown option '%s' (see customs hook --help)", argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind < argc) {
		cmd_error("unexpected argument '%s' (see customs hook --help)", argv[optind]);
		return EXIT_BAD_INPUT;
	}
	if (!is_dir(repo)) {
		cmd_error("cannot install the hook: '%s' is not a directory", repo);
		return EXIT_BAD_INPUT;
	}
	found = hooks_dir_from_git(repo, &dir);
	if (found == 0)
		found = hooks_dir_by_hand(repo, &dir) == 0 ? 1 : -1;
	if (found < 0) {
		cmd_error("cannot install the hook: '%s' is not a git repository", repo);
		goto out;
	}
	if (!is_dir(dir.buf) && mkdir(dir.buf, 0777) != 0) {
		cmd_error("cannot make the hooks directory '%s': %s", dir.buf, strerror(errno));
		goto out;
	}
	join_path(&hook, dir.buf, "pre-push");
	if (read_small_file(hook.buf, &old) == 0) {
		if (!strcmp(old.buf, pre_push_script) && old.len == strlen(pre_push_script)) {
			/* The same hook: make sure git can run it, and leave it. */
			if (chmod(hook.buf, 0755) != 0) {
				cmd_error("cannot make '%s' executable: %s", hook.buf, strerror(errno));
				goto out;
			}
			printf("the customs pre-push hook in '%s' is already up to date\n", hook.buf);
			ret = EXIT_PASSED;
			goto out;
		}
		if (!force) {
			cmd_error("a different pre-push hook is already at '%s' (use --force to replace it)",
				  hook.buf);
			goto out;
		}
	} else if (errno != ENOENT && !force) {
		cmd_error("cannot read the existing hook '%s': %s", hook.buf, strerror(errno));
		goto out;
	}
	ret = write_hook(hook.buf);
	if (ret == EXIT_PASSED)
		printf("installed the customs pre-push hook in '%s'\n", hook.buf);
out:
	strbuf_release(&dir);
	strbuf_release(&hook);
	strbuf_release(&old);
	return ret;
}

int cmd_hook(int argc, char **argv)
{
	if (argc < 2) {
		fputs(hook_usage, stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(hook_usage, stdout);
		return EXIT_PASSED;
	}
	if (!strcmp(argv[1], "install"))
		return hook_install(argc - 1, argv + 1);
	if (!strcmp(argv[1], "print")) {
		if (argc > 2) {
			cmd_error("unexpected argument '%s' (see customs hook --help)", argv[2]);
			return EXIT_BAD_INPUT;
		}
		fputs(pre_push_script, stdout);
		if (fflush(stdout) != 0) {
			cmd_error("cannot write to standard output");
			return EXIT_BAD_INPUT;
		}
		return EXIT_PASSED;
	}
	cmd_error("unknown hook command '%s' (see customs hook --help)", argv[1]);
	return EXIT_BAD_INPUT;
}
