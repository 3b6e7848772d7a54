/* `customs db update`: fetch a database, or OSV zips to build one, and replace the old one only once it verifies. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/cmd_db.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "vulndb/fetch.h"
#include "vulndb/sign.h"
#include "vulndb/vulndb.h"

static const char update_usage[] =
    "usage: customs db update [--url URL]... [--osv-zip URL]... [--output FILE] [--pubkey PUB.pem]\n"
    "                         [--cacert FILE] [--timeout SECONDS] [--retries N] [--max-size SIZE]\n"
    "                         [--offline] [--quiet]\n"
    "\n"
    "Download a built database from the first URL that delivers one, check it, and only then put it\n"
    "in place of the old one. A failed or interrupted update leaves the old database as it was.\n"
    "\n"
    "  --url URL        a database to download (http or https); repeat it for mirrors, tried in order.\n"
    "                   Default: the whitespace-separated list in $CUSTOMS_DB_URL. There is no\n"
    "                   built-in URL.\n"
    "  --osv-zip URL    download an OSV all.zip instead and build the database from it here, as\n"
    "                   `customs db build` does; repeat it for more ecosystems (every zip must arrive)\n"
    "  --output FILE    the database to replace. Default: $CUSTOMS_DB, else\n"
    "                   ${XDG_CACHE_HOME:-$HOME/.cache}/customs/db/customs.db; missing folders are made\n"
    "  --pubkey PUB.pem also download URL.sig and require it to verify against this P-256 key\n"
    "                   (default: $CUSTOMS_DB_PUBKEY); the signature is kept as FILE.sig\n"
    "  --cacert FILE    trust the certificates in FILE for https (default: $SSL_CERT_FILE, else the\n"
    "                   system bundle)\n"
    "  --timeout SECS   give up one attempt after this long (default 600); a server that sends\n"
    "                   nothing for 30 seconds is dropped sooner\n"
    "  --retries N      retry a URL N times on 429, 5xx, timeouts and cut-off bodies, waiting 1 s,\n"
    "                   2 s, 4 s... or what Retry-After asks up to 60 s (default 3;\n"
    "                   $CUSTOMS_RETRY_BASE_MS sets the first wait in milliseconds)\n"
    "  --max-size SIZE  refuse a download larger than SIZE, e.g. 500M (default 4G)\n"
    "  --offline        touch no network: check the database already there and print what it is\n"
    "  --quiet          no progress bar and no report of success\n"
    "\n"
    "The ETag of the last download is kept in FILE.etag and sent as If-None-Match, so an unchanged\n"
    "database is not downloaded again.\n"
    "\n"
    "Exit codes: 0 updated, or already up to date; 2 usage error, no URL configured, or a download\n"
    "that is not a valid database (bad checksum, too large, http 4xx but 404/410); 3 no database\n"
    "could be obtained (every URL failed to answer, timed out, or gave 404, 410, 429 or 5xx), or\n"
    "--offline with no database; 4 the signature is missing or does not verify. When several URLs\n"
    "fail, the exit code is 4 if any signature failed, else 2 if any download was bad, else 3.\n";

#define DEFAULT_TIMEOUT 600L
#define DEFAULT_RETRIES 3u
#define DEFAULT_RETRY_BASE_MS 1000u
#define DEFAULT_MAX_SIZE (4ull << 30)
#define MAX_ETAG_FILE 4096

struct update {
	const char **urls;
	size_t nr_urls;
	const char **zips;
	size_t nr_zips;
	char *output;
	const char *pubkey;
	int offline, quiet;
	struct fetch_options fetch;
	char *env_urls; /* owns the strings that urls points into when they came from $CUSTOMS_DB_URL */
};

struct progress {
	const char *label;
	int drawn;
	unsigned last_permille;
	uint64_t last_bytes;
};

static void draw_progress(void *data, uint64_t received, uint64_t total)
{
	struct progress *p = data;
	unsigned permille = total ? (unsigned)(received * 1000 / total) : 0;
	char bar[31];
	size_t filled;

	/* Redraw only when something visible changed: curl calls this many times a second. */
	if (p->drawn && (total ? permille == p->last_permille : received - p->last_bytes < (256u << 10)))
		return;
	p->drawn = 1;
	p->last_permille = permille;
	p->last_bytes = received;
	if (!total) {
		fprintf(stderr, "\r\033[Kcustoms: %s %.1f MiB", p->label, received / 1048576.0);
		return;
	}
	filled = permille > 1000 ? 30 : permille * 30 / 1000;
	memset(bar, '#', filled);
	memset(bar + filled, '.', 30 - filled);
	bar[30] = '\0';
	fprintf(stderr, "\r\033[Kcustoms: %s [%s] %3u%% %.1f/%.1f MiB", p->label, bar, permille / 10,
		received / 1048576.0, total / 1048576.0);
}

static void end_progress(struct progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}

static int mkdir_parents(const char *path, struct strbuf *err)
{
	struct strbuf dir = STRBUF_INIT;
	size_t len = path_dirlen(path);

	strbuf_add(&dir, path, len);
	for (size_t i = 1; i <= dir.len; i++) {
		if (i < dir.len && dir.buf[i] != '/')
			continue;
		dir.buf[i] = '\0';
		if (mkdir(dir.buf, 0777) < 0 && errno != EEXIST) {
			int saved = errno;
			error_code(err, ERR_IO, "cannot create folder '%s': %s", dir.buf, strerror(saved));
			strbuf_release(&dir);
			return ERR_IO;
		}
		if (i < dir.len)
			dir.buf[i] = '/';
	}
	strbuf_release(&dir);
	return 0;
}

/* The database path: --output, else the one `customs scan` reads; missing folders are made. */
static int resolve_output(const char *opt, char **out, struct strbuf *err)
{
	int ret;

	*out = opt ? xstrdup(opt) : cmd_default_db_path(NULL);
	if (!*out)
		return error_code(err, ERR_USAGE, "no database path: set --output, $CUSTOMS_DB or $HOME");
	ret = mkdir_parents(*out, err);
	if (ret < 0) {
		free(*out);
		*out = NULL;
	}
	return ret;
}

/*
 * Parse a whole number from min to max given as what (an option or a
 * variable); prints "invalid WHAT 'TEXT': expected KIND from MIN to MAX" and
 * returns -1 when text is not one.
 */
static int parse_number(const char *what, const char *text, long min, long max, const char *kind, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno || end == text || *end || *text == '-' || n < min || n > max) {
		cmd_error("invalid %s '%s': expected %s from %ld to %ld", what, text, kind, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

static int parse_update_args(int argc, char **argv, struct update *u)
{
	static const struct option longopts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"osv-zip", required_argument, NULL, 'z'},
	    {"output", required_argument, NULL, 'o'},
	    {"pubkey", required_argument, NULL, 'p'},
	    {"cacert", required_argument, NULL, 'c'},
	    {"timeout", required_argument, NULL, 't'},
	    {"retries", required_argument, NULL, 'r'},
	    {"max-size", required_argument, NULL, 'm'},
	    {"offline", no_argument, NULL, 'O'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *output = NULL, *env;
	struct strbuf err = STRBUF_INIT;
	struct stat st;
	long n;
	int c;

	u->fetch.timeout_seconds = DEFAULT_TIMEOUT;
	u->fetch.retries = DEFAULT_RETRIES;
	u->fetch.retry_base_ms = DEFAULT_RETRY_BASE_MS;
	u->fetch.max_size = DEFAULT_MAX_SIZE;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			u->urls = xrealloc(u->urls, (u->nr_urls + 1) * sizeof(*u->urls));
			u->urls[u->nr_urls++] = optarg;
			break;
		case 'z':
			u->zips = xrealloc(u->zips, (u->nr_zips + 1) * sizeof(*u->zips));
			u->zips[u->nr_zips++] = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			u->pubkey = optarg;
			break;
		case 'c':
			u->fetch.cacert = optarg;
			break;
		case 't':
			if (parse_number("--timeout", optarg, 1, 86400, "seconds", &n) < 0)
				return EXIT_BAD_INPUT;
			u->fetch.timeout_seconds = n;
			break;
		case 'r':
			if (parse_number("--retries", optarg, 0, 20, "a number", &n) < 0)
				return EXIT_BAD_INPUT;
			u->fetch.retries = (unsigned)n;
			break;
		case 'm':
			if (cmd_parse_size(optarg, &u->fetch.max_size) < 0 || !u->fetch.max_size) {
				cmd_error("invalid --max-size '%s': expected a size such as 500M", optarg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'O':
			u->offline = 1;
			break;
		case 'q':
			u->quiet = 1;
			break;
		case 'h':
			fputs(update_usage, stdout);
			return -1;
		default:
			cmd_error("unknown option '%s' (see customs db update --help)", argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind < argc) {
		cmd_error("db update takes no arguments, got '%s' (see customs db update --help)",
			  argv[optind]);
		return EXIT_BAD_INPUT;
	}
	if (u->nr_urls && u->nr_zips) {
		cmd_error("db update takes --url or --osv-zip, not both");
		return EXIT_BAD_INPUT;
	}
	if (u->nr_zips && u->pubkey) {
		cmd_error(
		    "--pubkey cannot check a database built from --osv-zip: OSV zips carry no signature");
		return EXIT_BAD_INPUT;
	}
	if (!u->nr_zips)
		u->pubkey = cmd_db_pubkey(u->pubkey);
	if (!u->fetch.cacert)
		u->fetch.cacert = cmd_env("SSL_CERT_FILE");
	env = cmd_env("CUSTOMS_RETRY_BASE_MS");
	if (env) {
		if (parse_number("CUSTOMS_RETRY_BASE_MS", env, 0, 60000, "a number", &n) < 0)
			return EXIT_BAD_INPUT;
		u->fetch.retry_base_ms = (unsigned)n;
	}
	if (!u->nr_urls && !u->nr_zips && (env = cmd_env("CUSTOMS_DB_URL"))) {
		u->env_urls = xstrdup(env);
		for (char *tok = u->env_urls; *tok;) {
			size_t len;

			tok += strspn(tok, " \t\r\n");
			len = strcspn(tok, " \t\r\n");
			if (!len)
				break;
			u->urls = xrealloc(u->urls, (u->nr_urls + 1) * sizeof(*u->urls));
			u->urls[u->nr_urls++] = tok;
			tok += len;
			if (*tok)
				*tok++ = '\0';
		}
	}
	if (!u->offline && !u->nr_urls && !u->nr_zips) {
		cmd_error(
		    "no database url configured: pass --url URL or --osv-zip URL, or set CUSTOMS_DB_URL");
		return EXIT_BAD_INPUT;
	}
	if (u->pubkey && access(u->pubkey, R_OK) < 0) {
		cmd_error("cannot read public key '%s': %s", u->pubkey, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	if (u->fetch.cacert && access(u->fetch.cacert, R_OK) < 0) {
		cmd_error("cannot read ca certificates '%s': %s", u->fetch.cacert, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	if (output && !strcmp(output, "-")) {
		cmd_error("db update writes a file, not standard output");
		return EXIT_BAD_INPUT;
	}
	if (resolve_output(output, &u->output, &err) < 0) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	/* The database is renamed into place: a device or a folder cannot be replaced that way. */
	if (stat(u->output, &st) == 0 && !S_ISREG(st.st_mode)) {
		cmd_error("cannot update '%s': not a regular file", u->output);
		return EXIT_BAD_INPUT;
	}
	return EXIT_PASSED;
}

static char *sibling(const char *path, const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s%s", path, suffix);
	return strbuf_detach(&sb, NULL);
}

/* One line about the database: what --offline and a successful update print. */
static void print_db_line(const char *prefix, const char *path, const struct vulndb_info *info)
{
	char when[32];

	cmd_format_time(info->build_time, when);
	fputs(prefix, stdout);
	fputs(" '", stdout);
	cmd_put_text(stdout, path);
	printf("': built %s, %u advisories, %llu bytes, %s\n", when, info->nr_advisories,
	       (unsigned long long)info->file_size, info->checksum);
}

/* Checks the database in place: it opens, and its signature verifies when a key is configured. */
static int check_local(const struct update *u, struct vulndb_info *info, struct strbuf *err)
{
	struct vulndb *db;
	int ret = vulndb_open(u->output, &db, err);

	if (ret < 0)
		return ret;
	vulndb_get_info(db, info);
	if (u->pubkey) {
		const void *data;
		size_t size;

		vulndb_get_bytes(db, &data, &size);
		ret = vulndb_verify_mem(data, size, u->output, u->pubkey, NULL, err);
	}
	vulndb_close(db);
	return ret;
}

static int update_offline(struct update *u)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb_info info;
	int ret = check_local(u, &info, &err);

	if (ret == ERR_NOT_FOUND && access(u->output, F_OK) < 0) {
		cmd_error("no database at '%s' and --offline forbids downloading one", u->output);
		ret = EXIT_DB_STALE;
	} else if (ret < 0) {
		cmd_error("%s", err.buf);
		/* A missing signature beside the database is a verification failure too. */
		ret = ret == ERR_VERIFY || (u->pubkey && ret == ERR_NOT_FOUND) ? EXIT_VERIFY_FAILED
									       : EXIT_BAD_INPUT;
	} else {
		if (!u->quiet)
			print_db_line(u->pubkey ? "offline: database (signature ok)" : "offline: database",
				      u->output, &info);
		ret = EXIT_PASSED;
	}
	strbuf_release(&err);
	return ret;
}

/*
 * The ETag file holds "url sha256:..." of the URL it came from, then the ETag:
 * a mirror's ETag means nothing to another, and a hash keeps any credentials
 * in the URL out of the cache folder.
 */
static void etag_url_line(const char *url, struct strbuf *out)
{
	char digest[DIGEST_STR_LEN];

	sha256_digest_str(url, strlen(url), digest);
	strbuf_addf(out, "url %s\n", digest);
}

static char *read_etag(const char *etag_path, const char *url)
{
	struct strbuf want = STRBUF_INIT;
	char buf[MAX_ETAG_FILE];
	FILE *fp = fopen(etag_path, "r");
	char *tag, *nl, *ret = NULL;
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	etag_url_line(url, &want);
	if (n > want.len && !memcmp(buf, want.buf, want.len)) {
		tag = buf + want.len;
		nl = strchr(tag, '\n');
		if (nl && nl != tag) {
			*nl = '\0';
			ret = xstrdup(tag);
			for (char *p = ret; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
					free(ret);
					ret = NULL;
					break;
				}
		}
	}
	strbuf_release(&want);
	return ret;
}

static void write_etag(const char *etag_path, const char *url, const char *etag)
{
	struct strbuf err = STRBUF_INIT, line = STRBUF_INIT;
	struct atomic_file af;

	if (!*etag) {
		unlink(etag_path);
		return;
	}
	etag_url_line(url, &line);
	if (atomic_file_open(&af, etag_path, &err) < 0) {
		unlink(etag_path);
	} else {
		fprintf(af.fp, "%s%s\n", line.buf, etag);
		if (atomic_file_commit(&af, &err) < 0)
			unlink(etag_path);
	}
	/* Without the ETag the next update downloads the whole file again: slower, never wrong. */
	if (err.len)
		cmd_warning("%s", err.buf);
	strbuf_release(&line);
	strbuf_release(&err);
}

/* Which exit code a failure of one URL means; the worst of them wins when every URL fails. */
static int update_exit_code(int code)
{
	switch (code) {
	case ERR_VERIFY:
		return EXIT_VERIFY_FAILED;
	case ERR_FAILED:
	case ERR_NOT_FOUND:
		return EXIT_DB_STALE;
	default:
		return EXIT_BAD_INPUT;
	}
}

static int worse_exit(int a, int b)
{
	static const int rank[] = {[EXIT_DB_STALE] = 1, [EXIT_BAD_INPUT] = 2, [EXIT_VERIFY_FAILED] = 3};

	return rank[b] > rank[a] ? b : a;
}

/*
 * Download url's signature next to the downloaded database and check it
 * against the bytes vdb was validated from: those are the bytes renamed
 * into place.
 */
static int fetch_signature(const struct update *u, const char *url, const char *shown, const struct vulndb *vdb,
			   struct atomic_file *sig, struct strbuf *err)
{
	char *sig_url = sibling(url, ".sig"), *sig_path = sibling(u->output, ".sig");
	struct fetch_options opts = u->fetch;
	int ret;

	opts.progress = NULL;
	/* A signature is at most a few hundred bytes; anything larger is not one. */
	opts.max_size = 64 << 10;
	ret = atomic_file_open(sig, sig_path, err);
	if (ret == 0) {
		ret = fetch_url(sig_url, sig->fp, &opts, NULL, NULL, err);
		if (ret == ERR_NOT_FOUND) {
			char *shown_sig = fetch_redact_url(sig_url);

			error_code(err, ERR_VERIFY, "no signature for '%s': '%s' is missing (http 404)",
				   shown, shown_sig);
			free(shown_sig);
			ret = ERR_VERIFY;
		}
		if (ret == 0) {
			const void *data;
			size_t size;

			vulndb_get_bytes(vdb, &data, &size);
			ret = vulndb_verify_mem(data, size, shown, u->pubkey, sig->tmp_path, err);
			if (ret == ERR_BAD_INPUT)
				ret = ERR_VERIFY;
			cmd_replace_in_message(err, sig->tmp_path, sig_url);
		}
		if (ret < 0)
			atomic_file_abort(sig);
	}
	free(sig_url);
	free(sig_path);
	return ret;
}

/*
 * Try one URL: download beside the database, check, then rename into place.
 * Returns 0 when the database was replaced, FETCH_NOT_MODIFIED, or a negative
 * code with the message in err. *stop is set when no other URL can do better.
 */
static int update_from(const struct update *u, const char *url, const char *etag, int *stop,
		       struct strbuf *err)
{
	struct atomic_file db, sig = {0};
	struct strbuf new_etag = STRBUF_INIT;
	struct progress progress = {0};
	struct fetch_options opts = u->fetch;
	struct vulndb_info info;
	struct vulndb *vdb;
	char *shown = fetch_redact_url(url), *sig_path, *etag_path;
	int ret;

	*stop = 0;
	ret = atomic_file_open(&db, u->output, err);
	if (ret < 0) {
		/* The folder is not writable: every URL would end the same way. */
		*stop = 1;
		free(shown);
		return ret;
	}
	if (!u->quiet && isatty(STDERR_FILENO)) {
		progress.label = path_basename(shown);
		opts.progress = draw_progress;
		opts.progress_data = &progress;
	}
	ret = fetch_url(url, db.fp, &opts, etag, &new_etag, err);
	end_progress(&progress);
	if (ret == FETCH_NOT_MODIFIED || ret < 0) {
		if (ret == ERR_IO)
			*stop = 1;
		goto abort;
	}

	ret = vulndb_open(db.tmp_path, &vdb, err);
	if (ret < 0) {
		cmd_replace_in_message(err, db.tmp_path, shown);
		if (ret == ERR_NOT_FOUND)
			ret = ERR_BAD_INPUT;
		goto abort;
	}
	vulndb_get_info(vdb, &info);
	if (u->pubkey)
		ret = fetch_signature(u, url, shown, vdb, &sig, err);
	vulndb_close(vdb);
	if (ret < 0)
		goto abort;

	ret = atomic_file_commit(&db, err);
	if (ret < 0) {
		*stop = 1;
		if (sig.fp)
			atomic_file_abort(&sig);
		goto out;
	}
	sig_path = sibling(u->output, ".sig");
	if (sig.fp) {
		ret = atomic_file_commit(&sig, err);
		if (ret < 0) {
			/* The new database is in place unsigned: no signature beats the old one. */
			unlink(sig_path);
			*stop = 1;
		}
	} else {
		/* The old signature belongs to the old database. */
		unlink(sig_path);
	}
	free(sig_path);
	etag_path = sibling(u->output, ".etag");
	write_etag(etag_path, url, new_etag.buf);
	free(etag_path);
	if (ret == 0 && !u->quiet) {
		struct strbuf prefix = STRBUF_INIT;

		strbuf_addf(&prefix, "updated from '%s'%s: database", shown,
			    u->pubkey ? " (signature ok)" : "");
		print_db_line(prefix.buf, u->output, &info);
		strbuf_release(&prefix);
	}
	goto out;

abort:
	atomic_file_abort(&db);
out:
	strbuf_release(&new_etag);
	free(shown);
	return ret;
}

static int update_from_urls(struct update *u)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb_info info;
	char *etag_path = sibling(u->output, ".etag");
	int local_ok, exit_code = EXIT_DB_STALE, ret = ERR_FAILED, stop = 0;

	/* Only a database that is whole may be kept on a 304: a damaged one is downloaded again. */
	local_ok = check_local(u, &info, &err) == 0;
	strbuf_reset(&err);
	for (size_t i = 0; i < u->nr_urls && !stop; i++) {
		char *etag = local_ok ? read_etag(etag_path, u->urls[i]) : NULL;

		ret = update_from(u, u->urls[i], etag, &stop, &err);
		free(etag);
		if (ret == FETCH_NOT_MODIFIED) {
			if (!u->quiet) {
				fputs("database is up to date: '", stdout);
				cmd_put_text(stdout, u->output);
				fputs("'\n", stdout);
			}
			ret = 0;
		}
		if (ret == 0)
			break;
		exit_code = i ? worse_exit(exit_code, update_exit_code(ret)) : update_exit_code(ret);
		if (i + 1 < u->nr_urls && !stop)
			cmd_warning("%s; trying the next url", err.buf);
		else
			cmd_error("%s", err.buf);
	}
	free(etag_path);
	strbuf_release(&err);
	return ret == 0 ? EXIT_PASSED : exit_code;
}

/*
 * OSV zips are downloaded into a private folder beside the database. The
 * paths live in statics so a signal can remove them: atomic_file only knows
 * about the database's own temporary file.
 */
#define MAX_ZIPS 64
static char *zip_dir;
static char *zip_paths[MAX_ZIPS];

static void remove_zip_downloads(void)
{
	for (size_t i = 0; i < MAX_ZIPS; i++)
		if (zip_paths[i])
			unlink(zip_paths[i]);
	if (zip_dir)
		rmdir(zip_dir);
}

static void on_zip_signal(int sig)
{
	remove_zip_downloads();
	atomic_file_cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* "https://host/osv/npm/all.zip" -> "npm-all.zip": the import names its source after the file. */
static void zip_file_name(const char *url, size_t index, struct strbuf *out)
{
	size_t len = strcspn(url, "?#"), start, name_start;
	struct strbuf path = STRBUF_INIT;
	const char *host = strstr(url, "://");

	host = host ? host + 3 : url;
	strbuf_add(&path, url, len);
	while (path.len && path.buf[path.len - 1] == '/')
		path.buf[--path.len] = '\0';
	start = (size_t)(host - url);
	name_start = path.len;
	while (name_start > start && path.buf[name_start - 1] != '/')
		name_start--;
	/* OSV calls every ecosystem's file all.zip: the folder above says which it is. */
	if (!strcmp(path.buf + name_start, "all.zip") && name_start > start + 1) {
		name_start--;
		while (name_start > start && path.buf[name_start - 1] != '/')
			name_start--;
	}
	if (name_start <= start || name_start >= path.len) {
		strbuf_addf(out, "osv-%zu.zip", index);
	} else {
		for (const char *p = path.buf + name_start; *p && out->len < 100; p++) {
			char ch = *p;

			if (ch == '/')
				ch = '-';
			else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				   (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_'))
				ch = '_';
			strbuf_addch(out, ch);
		}
		if (out->buf[0] == '.')
			out->buf[0] = '_';
	}
	strbuf_release(&path);
}

static int update_from_zips(struct update *u)
{
	struct strbuf err = STRBUF_INIT, tmpl = STRBUF_INIT;
	struct vulndb_builder *b = NULL;
	struct fetch_options opts = u->fetch;
	struct vulndb_info info;
	uint64_t json_bytes = 0;
	size_t dirlen = path_dirlen(u->output);
	int ret = 0, exit_code = EXIT_PASSED;
	void (*old_int)(int), (*old_term)(int), (*old_hup)(int);

	if (u->nr_zips > MAX_ZIPS) {
		cmd_error("too many --osv-zip urls: at most %d", MAX_ZIPS);
		return EXIT_BAD_INPUT;
	}
	if (dirlen)
		strbuf_add(&tmpl, u->output, dirlen);
	else if (u->output[0] == '/')
		strbuf_addch(&tmpl, '/');
	else
		strbuf_addch(&tmpl, '.');
	strbuf_addstr(&tmpl, "/.customs-update-XXXXXX");
	if (!mkdtemp(tmpl.buf)) {
		cmd_error("cannot create a download folder beside '%s': %s", u->output, strerror(errno));
		strbuf_release(&tmpl);
		return EXIT_BAD_INPUT;
	}
	zip_dir = tmpl.buf;
	old_int = signal(SIGINT, on_zip_signal);
	old_term = signal(SIGTERM, on_zip_signal);
	old_hup = signal(SIGHUP, on_zip_signal);

	for (size_t i = 0; i < u->nr_zips && ret == 0; i++) {
		struct strbuf name = STRBUF_INIT, path = STRBUF_INIT;
		struct progress progress = {0};
		char *shown = fetch_redact_url(u->zips[i]);
		FILE *fp;

		zip_file_name(u->zips[i], i, &name);
		strbuf_addf(&path, "%s/%s", zip_dir, name.buf);
		if (access(path.buf, F_OK) == 0) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%zu-%s", zip_dir, i, name.buf);
		}
		zip_paths[i] = strbuf_detach(&path, NULL);
		fp = fopen(zip_paths[i], "w+");
		if (!fp) {
			ret =
			    error_code(&err, ERR_IO, "cannot create '%s': %s", zip_paths[i], strerror(errno));
		} else {
			opts.progress = NULL;
			if (!u->quiet && isatty(STDERR_FILENO)) {
				progress.label = path_basename(shown);
				opts.progress = draw_progress;
				opts.progress_data = &progress;
			}
			ret = fetch_url(u->zips[i], fp, &opts, NULL, NULL, &err);
			end_progress(&progress);
			if (fclose(fp) != 0 && ret == 0)
				ret = error_code(&err, ERR_IO, "cannot write '%s': %s", zip_paths[i],
						 strerror(errno));
		}
		if (ret < 0)
			exit_code = update_exit_code(ret);
		strbuf_release(&name);
		free(shown);
	}

	if (ret == 0) {
		b = vulndb_builder_new();
		for (size_t i = 0; i < u->nr_zips && ret == 0; i++) {
			ret = vulndb_import_source(b, zip_paths[i], &json_bytes, &err);
			if (ret < 0) {
				char *shown = fetch_redact_url(u->zips[i]);

				cmd_replace_in_message(&err, zip_paths[i], shown);
				free(shown);
				/* Whatever the import says, the server sent a bad zip. */
				exit_code = EXIT_BAD_INPUT;
			}
		}
	}
	if (ret == 0) {
		/* The check a download gets, so a builder bug cannot replace a good file. */
		ret = cmd_db_write(b, u->output, &info, &err);
		if (ret < 0)
			exit_code = EXIT_BAD_INPUT;
	}
	if (ret == 0) {
		char *sig_path = sibling(u->output, ".sig"), *etag_path = sibling(u->output, ".etag");

		/* A database built here has no signature and no ETag: the old ones describe another file. */
		unlink(sig_path);
		unlink(etag_path);
		free(sig_path);
		free(etag_path);
		if (!u->quiet) {
			struct strbuf prefix = STRBUF_INIT;

			strbuf_addf(&prefix, "built from %zu osv zip%s (%llu bytes of json): database",
				    u->nr_zips, u->nr_zips == 1 ? "" : "s", (unsigned long long)json_bytes);
			print_db_line(prefix.buf, u->output, &info);
			strbuf_release(&prefix);
		}
	} else {
		cmd_error("%s", err.buf);
	}

	if (b)
		vulndb_builder_free(b);
	remove_zip_downloads();
	signal(SIGINT, old_int);
	signal(SIGTERM, old_term);
	signal(SIGHUP, old_hup);
	for (size_t i = 0; i < MAX_ZIPS; i++) {
		free(zip_paths[i]);
		zip_paths[i] = NULL;
	}
	zip_dir = NULL;
	strbuf_release(&tmpl);
	strbuf_release(&err);
	return exit_code;
}

int cmd_db_update(int argc, char **argv)
{
	struct update u = {0};
	int ret = parse_update_args(argc, argv, &u);

	if (ret < 0)
		ret = EXIT_PASSED; /* --help */
	else if (ret == EXIT_PASSED && u.offline)
		ret = update_offline(&u);
	else if (ret == EXIT_PASSED && u.nr_zips)
		ret = update_from_zips(&u);
	else if (ret == EXIT_PASSED)
		ret = update_from_urls(&u);
	free(u.urls);
	free(u.zips);
	free(u.output);
	free(u.env_urls);
	return ret;
}

