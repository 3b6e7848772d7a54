/* Benchmark driver: secret scanning throughput in MB/s against a plain memchr pass over the same bytes. */

/*
 * The corpus is generated text, 64 MB unless MB says otherwise: lines of code,
 * configuration, prose and log output, with the anchor bytes the detectors
 * stop at ('-', '_', 'I', '=', ':') as often as real files have them, and a
 * fake token every few hundred kilobytes. With FILE arguments the corpus is
 * those files' bytes instead, concatenated.
 *
 * It is cut into files of 32 KiB, fed in 16 KiB chunks the way the image
 * reader hands out a layer's tar stream, and scanned twice: as ordinary files
 * (the token and key rules) and as configuration files (plus the generic
 * assignment rule). The baseline counts newlines with memchr, the least any
 * pass over the bytes costs. Each figure is the best of 5 runs.
 *
 * Build (from the project root):
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Iscanner -include stdio.h -include string.h \
 *     -include scanner/util/banned.h -o build/bench/secrets-bench tests/bench/secrets_bench.c \
 *     scanner/checks/secrets.c $(make -s DEPS=system print-SRC_UTIL) -lmbedcrypto -pthread
 *
 * Usage: secrets-bench [MB] | secrets-bench FILE...
 * Prints one line per measurement and exits 1 when the planted tokens are not all found.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/secrets.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define FILE_SIZE (32 * 1024)
#define CHUNK (16 * 1024)
#define RUNS 5

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

static const char *const words[] = {
    "the",     "value",	      "config",	      "return",	    "int",	   "struct",
    "buffer",  "file",	      "path",	      "error",	    "I",	   "Image",
    "ID",      "INFO",	      "Index",	      "user-agent", "max_size",	   "read_only",
    "self",    "data",	      "def",	      "function",   "import",	   "name",
    "version", "token_count", "x-request-id", "https",	    "AKIB",	   "github",
    "gh",      "glpat",	      "xoxo",	      "BEGIN",	    "secret_name", "password_policy",
    "api",     NULL,
};

static void add_words(struct strbuf *sb, unsigned *seed, int n, const char *sep)
{
	size_t nr = 0;

	while (words[nr])
		nr++;
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(sb, sep);
		strbuf_addstr(sb, words[rnd(seed) % nr]);
	}
}

/* Append one line in one of several styles; returns 1 when it planted a token. */
static int add_line(struct strbuf *sb, unsigned *seed, size_t *since_token)
{
	static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	if (*since_token > 300 * 1024) {
		strbuf_addstr(sb, "export GITHUB_TOKEN=g");
		strbuf_addstr(sb, "hp_");
		for (int i = 0; i < 36; i++)
			strbuf_addch(sb, base62[rnd(seed) % 62]);
		strbuf_addch(sb, '\n');
		*since_token = 0;
		return 1;
	}
	switch (rnd(seed) % 6) {
	case 0: /* C-like code */
		strbuf_addstr(sb, "\tif (");
		add_words(sb, seed, 3, "_");
		strbuf_addstr(sb, " == NULL) return -1;\n");
		break;
	case 1: /* YAML */
		strbuf_addstr(sb, "  ");
		add_words(sb, seed, 2, "_");
		strbuf_addstr(sb, ": ");
		add_words(sb, seed, 2, "-");
		strbuf_addch(sb, '\n');
		break;
	case 2: /* ini or env */
		add_words(sb, seed, 2, "_");
		strbuf_addstr(sb, " = ");
		add_words(sb, seed, 1, "");
		strbuf_addf(sb, "%u\n", rnd(seed));
		break;
	case 3: /* prose */
		add_words(sb, seed, 12, " ");
		strbuf_addstr(sb, ".\n");
		break;
	case 4: /* a log line */
		strbuf_addf(sb, "2024-05-%02u 12:%02u:%02u INFO ", rnd(seed) % 28 + 1, rnd(seed) % 60,
			    rnd(seed) % 60);
		add_words(sb, seed, 6, " ");
		strbuf_addch(sb, '\n');
		break;
	default: /* markdown */
		strbuf_addstr(sb, "- ");
		add_words(sb, seed, 7, " ");
		strbuf_addstr(sb, " --\n");
		break;
	}
	return 0;
}

static void generate(struct strbuf *sb, size_t bytes, size_t *tokens)
{
	unsigned seed = 42;
	size_t since = 0;

	while (sb->len < bytes) {
		size_t before = sb->len;

		*tokens += (size_t)add_line(sb, &seed, &since);
		since += sb->len - before;
	}
}

/* Scan the corpus as files named path; returns the best time in seconds. */
static double time_scan(const struct strbuf *corpus, const char *path, size_t *found)
{
	double best = 1e9;

	for (int run = 0; run < RUNS; run++) {
		struct arena arena = ARENA_INIT;
		struct secrets *s = secrets_new(&arena, NULL);
		double t0 = now_s(), t;

		for (size_t off = 0; off < corpus->len; off += FILE_SIZE) {
			size_t end = off + FILE_SIZE < corpus->len ? off + FILE_SIZE : corpus->len;

			secrets_file_begin(s, path);
			for (size_t c = off; c < end; c += CHUNK)
				secrets_feed(s, corpus->buf + c, end - c < CHUNK ? end - c : CHUNK);
			secrets_file_end(s);
		}
		t = now_s() - t0;
		if (t < best)
			best = t;
		secrets_findings(s, found);
		secrets_free(s);
		arena_release(&arena);
	}
	return best;
}

static double time_memchr(const struct strbuf *corpus, size_t *lines)
{
	double best = 1e9;

	for (int run = 0; run < RUNS; run++) {
		const char *p = corpus->buf, *end = corpus->buf + corpus->len;
		double t0 = now_s(), t;

		*lines = 0;
		while ((p = memchr(p, '\n', (size_t)(end - p)))) {
			(*lines)++;
			p++;
		}
		t = now_s() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	struct strbuf corpus = STRBUF_INIT;
	size_t tokens = 0, found_text = 0, found_config = 0, lines = 0;
	double mb, t_base, t_text, t_config;

	if (argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9')) {
		char buf[65536];

		for (int i = 1; i < argc; i++) {
			FILE *fp = fopen(argv[i], "rb");
			size_t n;

			if (!fp) {
				perror(argv[i]);
				return 1;
			}
			while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
				strbuf_add(&corpus, buf, n);
			fclose(fp);
		}
	} else {
		generate(&corpus, (size_t)(argc > 1 ? atoi(argv[1]) : 64) << 20, &tokens);
	}
	mb = (double)corpus.len / 1e6;
	t_base = time_memchr(&corpus, &lines);
	t_text = time_scan(&corpus, "app/data.txt", &found_text);
	t_config = time_scan(&corpus, "etc/app/settings.conf", &found_config);
	printf("corpus: %.1f MB, %zu lines, %zu planted tokens\n", mb, lines, tokens);
	printf("baseline memchr newline count: %.0f MB/s\n", mb / t_base);
	printf("secrets, ordinary files: %.0f MB/s (%.2fx the baseline's time), %zu findings\n", mb / t_text,
	       t_text / t_base, found_text);
	printf("secrets, configuration files: %.0f MB/s (%.2fx the baseline's time), %zu findings\n",
	       mb / t_config, t_config / t_base, found_config);
	strbuf_release(&corpus);
	return tokens && found_text < tokens ? 1 : 0;
}
