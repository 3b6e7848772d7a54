/* Reading a Dockerfile as BuildKit does, checking it, and linking image findings to its lines. */
#ifndef CUSTOMS_CHECKS_DOCKERFILE_H
#define CUSTOMS_CHECKS_DOCKERFILE_H

#include <stddef.h>
#include <stdint.h>

#include "checks/checks.h"
#include "image/image.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* The input is untrusted: beyond these the parse fails with ERR_LIMIT. */
#define DOCKERFILE_MAX_BYTES (1u << 20)
#define DOCKERFILE_MAX_INSTRUCTIONS 10000
#define DOCKERFILE_MAX_INSTRUCTION_BYTES (256u << 10)

/* One flag before the arguments: "--mount=type=cache,target=/x" is name "mount", value "type=cache,...". */
struct dockerfile_flag {
	const char *name;
	const char *value; /* NULL for a flag without '=' ("--link") */
};

/*
 * One instruction. Every string is valid UTF-8 and lives in the
 * Dockerfile's arena; text and args are one line (continuations joined,
 * heredoc bodies kept apart in heredoc).
 */
struct dockerfile_instruction {
	const char *keyword; /* upper case: "FROM", "RUN"; an unknown word is kept, upper-cased */
	uint64_t line;	     /* 1-based line of the keyword */
	uint64_t end_line;   /* last line, counting continuations and heredoc bodies */
	const char *text;    /* the instruction as written, continuations joined, trimmed */
	const char *args;    /* what follows the keyword and the flags */
	struct dockerfile_flag *flags;
	size_t nr_flags;
	int exec_form;	   /* args is a JSON array of strings, split into argv */
	const char **argv; /* exec form: its strings; shell form: args split at blanks */
	size_t argc;
	const char *heredoc; /* the bodies of its heredocs, each ending in '\n', or NULL */
	int stage;	     /* index into stages, or -1 for an ARG before the first FROM */
};

/* One build stage: a FROM and the instructions up to the next FROM. */
struct dockerfile_stage {
	const char *name;     /* the AS name, lower-cased, or NULL */
	const char *base_raw; /* the FROM image as written */
	const char *base;     /* after substituting the ARGs before FROM; NULL when one has no value */
	int base_stage;	      /* the earlier stage it builds on, or -1 */
	int scratch;	      /* FROM scratch */
	size_t first, end;    /* its instructions, [first, end), the FROM first */
};

struct dockerfile {
	struct arena arena; /* owns everything below */
	const char *path;   /* as the caller gave it */
	char escape;	    /* '\\' or '`' */
	struct dockerfile_instruction *instructions;
	size_t nr_instructions;
	struct dockerfile_stage *stages;
	size_t nr_stages;
};

/*
 * Parse data[0..len) read from path (used only in messages and findings).
 * On success *out is a Dockerfile the caller frees with dockerfile_free().
 * On failure returns ERR_BAD_INPUT (NUL byte, invalid UTF-8, unterminated
 * heredoc, JSON array or continuation, no FROM before an instruction) or
 * ERR_LIMIT, with one line in err naming path and the line; *out is NULL.
 */
int dockerfile_parse(const char *data, size_t len, const char *path, struct dockerfile **out,
		     struct strbuf *err);

/* Read and parse the file at path: ERR_NOT_FOUND when missing, ERR_IO for a folder or an unreadable file. */
int dockerfile_load(const char *path, struct dockerfile **out, struct strbuf *err);

void dockerfile_free(struct dockerfile *df);

/*
 * Run every Dockerfile rule, appending findings whose strings live in
 * out->arena: path is df->path, line and dockerfile_line the instruction's
 * first line, instruction its text with secrets redacted.
 */
void dockerfile_checks_run(const struct dockerfile *df, struct check_results *out);

/*
 * Point each image finding in res (not a Dockerfile one) at the final
 * stage's instruction that made its layer or history entry, or set the
 * config it reports: sets dockerfile_line, and instruction when it was NULL.
 * History entries are matched to instructions from the end and only while
 * keyword and text agree, so a finding is never linked by a guess. Sets
 * res->dockerfile to df->path (in res->arena).
 */
void dockerfile_link(const struct dockerfile *df, const struct image *img, struct check_results *res);

/*
 * How many of the image's last layers the final stage made: its RUN, COPY
 * and ADD, with those of the earlier stages it builds FROM.
 */
size_t dockerfile_own_layer_count(const struct dockerfile *df);

/*
 * For each of img->nr_layers layers, the first line of the final stage's
 * instruction that made it, matched as dockerfile_link() matches, or 0 when
 * the history does not tell (a base image's layer, a disagreement). lines
 * has img->nr_layers entries. Reports point vulnerability findings at these
 * lines, so a package comes back to the RUN or COPY that installed it.
 */
void dockerfile_layer_lines(const struct dockerfile *df, const struct image *img, uint64_t *lines);

#endif
