/* Atomic output files: a temporary sibling, fsync, then rename over the target. */
#include "util/atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"

/* Temporary paths still on disk, so a signal handler can remove them. */
#define MAX_PENDING 32
static char *pending[MAX_PENDING];

static void pending_add(char *p)
{
	for (size_t i = 0; i < MAX_PENDING; i++)
		if (!pending[i]) {
			pending[i] = p;
			return;
		}
}

static void pending_del(const char *p)
{
	for (size_t i = 0; i < MAX_PENDING; i++)
		if (pending[i] == p)
			pending[i] = NULL;
}

void atomic_file_cleanup_all(void)
{
	for (size_t i = 0; i < MAX_PENDING; i++)
		if (pending[i])
			unlink(pending[i]);
}

static mode_t current_umask(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return mask;
}

int atomic_file_open(struct atomic_file *af, const char *path, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	struct stat st;
	int fd;

	memset(af, 0, sizeof(*af));
	if (!strcmp(path, "-")) {
		af->fp = stdout;
		af->path = xstrdup(path);
		return 0;
	}
	/*
	 * A device or a pipe, such as /dev/null or /dev/stdout, is written in
	 * place: renaming over it would replace the device with a file.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		af->fp = fopen(path, "w");
		if (!af->fp)
			return error_code(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
		af->path = xstrdup(path);
		af->direct = 1;
		return 0;
	}
	strbuf_addf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		int saved = errno;
		strbuf_release(&tmp);
		return error_code(err, ERR_IO, "cannot create '%s': %s", path, strerror(saved));
	}
	/* mkstemp makes 0600 files; a report should get the permissions any new file gets. */
	fchmod(fd, 0666 & ~current_umask());
	af->fp = fdopen(fd, "w");
	if (!af->fp) {
		int saved = errno;
		close(fd);
		unlink(tmp.buf);
		strbuf_release(&tmp);
		return error_code(err, ERR_IO, "cannot create '%s': %s", path, strerror(saved));
	}
	af->path = xstrdup(path);
	af->tmp_path = strbuf_detach(&tmp, NULL);
	pending_add(af->tmp_path);
	return 0;
}

static void release(struct atomic_file *af)
{
	if (af->tmp_path)
		pending_del(af->tmp_path);
	free(af->path);
	free(af->tmp_path);
	memset(af, 0, sizeof(*af));
}

int atomic_file_commit(struct atomic_file *af, struct strbuf *err)
{
	int failed;

	if (!af->tmp_path) {
		failed = fflush(af->fp) != 0;
		if (af->direct)
			failed |= fclose(af->fp) != 0;
		release(af);
		if (failed)
			return error_code(err, ERR_IO, "cannot write to standard output: %s", strerror(errno));
		return 0;
	}
	failed = fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0;
	failed |= fclose(af->fp) != 0;
	if (!failed && rename(af->tmp_path, af->path) != 0)
		failed = 1;
	if (failed) {
		int saved = errno;
		unlink(af->tmp_path);
		error_code(err, ERR_IO, "cannot write '%s': %s", af->path, strerror(saved));
		release(af);
		return ERR_IO;
	}
	release(af);
	return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->tmp_path) {
		fclose(af->fp);
		unlink(af->tmp_path);
	} else if (af->direct) {
		fclose(af->fp);
	}
	release(af);
}
