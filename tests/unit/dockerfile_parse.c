/* Unit tests of the Dockerfile parser: syntax as BuildKit reads it, line numbers and hostile input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/dockerfile.h"
#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"

static struct dockerfile *parse_ok(const char *text)
{
	struct dockerfile *df = NULL;
	struct strbuf err = STRBUF_INIT;
	int rc = dockerfile_parse(text, strlen(text), "Dockerfile", &df, &err);

	if (rc) {
		fprintf(stderr, "  unexpected error: %s\n", err.buf);
		test_failed = 1;
	}
	strbuf_release(&err);
	return df;
}

/* Parse data that must fail with code; the one-line message must name the file and hold want. */
static void parse_fails(const char *data, size_t len, int code, const char *want)
{
	struct dockerfile *df = (struct dockerfile *)1;
	struct strbuf err = STRBUF_INIT;
	int rc = dockerfile_parse(data, len, "dir/Dockerfile.bad", &df, &err);

	CHECK_INT(rc, code);
	CHECK(df == NULL);
	CHECK(strstr(err.buf, "'dir/Dockerfile.bad'") != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	if (!strstr(err.buf, want)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", err.buf, want);
		test_failed = 1;
	}
	strbuf_release(&err);
}

static const struct dockerfile_flag *flag(const struct dockerfile_instruction *in, const char *name)
{
	for (size_t i = 0; i < in->nr_flags; i++)
		if (!strcmp(in->flags[i].name, name))
			return &in->flags[i];
	return NULL;
}

TEST(dockerfile_parse_basic_lines_and_keywords)
{
	struct dockerfile *df = parse_ok("# a comment\n"
					 "\n"
					 "from debian:12\n"
					 "run apt-get update && \\\n"
					 "    # a comment inside a continuation\n"
					 "    apt-get install -y curl\n"
					 "\n"
					 "Copy app /app\n"
					 "CMD [\"/app/run\", \"--port\", \"8080\"]\n");

	if (!df)
		return;
	CHECK_INT(df->nr_instructions, 4);
	CHECK_INT(df->nr_stages, 1);
	CHECK_STR(df->instructions[0].keyword, "FROM");
	CHECK_INT(df->instructions[0].line, 3);
	CHECK_STR(df->instructions[1].keyword, "RUN");
	CHECK_INT(df->instructions[1].line, 4);
	CHECK_INT(df->instructions[1].end_line, 6);
	CHECK_STR(df->instructions[1].args, "apt-get update &&     apt-get install -y curl");
	CHECK_STR(df->instructions[2].keyword, "COPY");
	CHECK_INT(df->instructions[2].line, 8);
	CHECK_STR(df->instructions[3].keyword, "CMD");
	CHECK_INT(df->instructions[3].exec_form, 1);
	CHECK_INT(df->instructions[3].argc, 3);
	CHECK_STR(df->instructions[3].argv[1], "--port");
	CHECK_INT(df->instructions[3].stage, 0);
	CHECK_STR(df->stages[0].base, "debian:12");
	CHECK_INT(df->stages[0].base_stage, -1);
	dockerfile_free(df);
}

TEST(dockerfile_parse_escape_directive_and_crlf)
{
	struct dockerfile *df = parse_ok("# syntax=docker/dockerfile:1\r\n"
					 "#  escape = `\r\n"
					 "\r\n"
					 "FROM mcr.microsoft.com/windows/servercore:ltsc2022\r\n"
					 "COPY testfile.txt c:\\ \r\n"
					 "RUN dir c:\\ `\r\n"
					 "    && echo done\r\n");

	if (!df)
		return;
	CHECK_INT(df->escape, '`');
	CHECK_INT(df->nr_instructions, 3);
	CHECK_STR(df->instructions[1].args, "testfile.txt c:\\");
	CHECK_INT(df->instructions[2].line, 6);
	CHECK_INT(df->instructions[2].end_line, 7);
	CHECK_STR(df->instructions[2].args, "dir c:\\     && echo done");
	dockerfile_free(df);

	/* A directive after a comment is only a comment: the backslash stays the escape. */
	df = parse_ok("# hello\n# escape=`\nFROM alpine:3.20\nRUN echo a \\\n b\n");
	if (!df)
		return;
	CHECK_INT(df->escape, '\\');
	CHECK_INT(df->nr_instructions, 2);
	dockerfile_free(df);
	df = parse_ok("# foo=bar\n# escape=`\nFROM alpine:3.20\n");
	if (!df)
		return;
	CHECK_INT(df->escape, '\\');
	dockerfile_free(df);
	parse_fails("# escape=x\nFROM a\n", 18, ERR_BAD_INPUT, "line 1");
}

TEST(dockerfile_parse_flags_and_forms)
{
	struct dockerfile *df =
	    parse_ok("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
		     "RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .\n"
		     "FROM alpine:3.20\n"
		     "COPY --from=build --chown=10001:10001 --link /out/app /app\n"
		     "ADD --checksum=sha256:0123 https://example.com/x.tgz /x.tgz\n"
		     "ENTRYPOINT [\"/app\"]\n"
		     "CMD serve --verbose\n");
	const struct dockerfile_instruction *in;

	if (!df)
		return;
	in = &df->instructions[0];
	CHECK_INT(in->nr_flags, 1);
	CHECK_STR(flag(in, "platform")->value, "$BUILDPLATFORM");
	CHECK_STR(df->stages[0].name, "build");
	CHECK_STR(df->stages[0].base, "golang:1.22");
	in = &df->instructions[1];
	CHECK_STR(flag(in, "mount")->value, "type=cache,target=/root/.cache/go-build");
	CHECK_STR(in->args, "go build -o /out/app .");
	in = &df->instructions[3];
	CHECK_INT(in->nr_flags, 3);
	CHECK_STR(flag(in, "from")->value, "build");
	CHECK_STR(flag(in, "chown")->value, "10001:10001");
	CHECK(flag(in, "link") && flag(in, "link")->value == NULL);
	CHECK_INT(in->argc, 2);
	CHECK_INT(in->stage, 1);
	CHECK_STR(flag(&df->instructions[4], "checksum")->value, "sha256:0123");
	CHECK_INT(df->instructions[5].exec_form, 1);
	CHECK_INT(df->instructions[6].exec_form, 0);
	CHECK_INT(df->instructions[6].argc, 2);
	dockerfile_free(df);
}

TEST(dockerfile_parse_heredocs)
{
	struct dockerfile *df = parse_ok("FROM debian:12\n"
					 "RUN <<EOF\n"
					 "apt-get update\n"
					 "apt-get install -y curl\n"
					 "EOF\n"
					 "COPY <<-\"END\" /etc/app.conf\n"
					 "\t\tkey=value\n"
					 "\tEND\n"
					 "RUN cat <<'A' > /a && cat <<B > /b\n"
					 "one\n"
					 "A\n"
					 "two\n"
					 "B\n"
					 "RUN echo $((1<<2)) <<<here\n"
					 "USER 10001\n");

	if (!df)
		return;
	CHECK_INT(df->nr_instructions, 6);
	CHECK_INT(df->instructions[1].line, 2);
	CHECK_INT(df->instructions[1].end_line, 5);
	CHECK_STR(df->instructions[1].heredoc, "apt-get update\napt-get install -y curl\n");
	CHECK_INT(df->instructions[2].line, 6);
	CHECK_STR(df->instructions[2].heredoc, "key=value\n");
	CHECK_INT(df->instructions[3].line, 9);
	CHECK_STR(df->instructions[3].heredoc, "one\ntwo\n");
	CHECK_INT(df->instructions[4].line, 14);
	CHECK(df->instructions[4].heredoc == NULL);
	CHECK_INT(df->instructions[5].line, 15);
	dockerfile_free(df);
}

TEST(dockerfile_parse_stages_and_meta_args)
{
	struct dockerfile *df = parse_ok("ARG VERSION=3.20\n"
					 "ARG REGISTRY\n"
					 "ARG BASE=debian\n"
					 "FROM alpine:${VERSION} AS Builder\n"
					 "FROM builder AS test\n"
					 "FROM $REGISTRY/app:1\n"
					 "FROM ${BASE}:${TAG:-12}-slim\n"
					 "FROM ${REGISTRY:-docker.io}/library/${BASE}\n"
					 "FROM scratch\n");

	if (!df)
		return;
	CHECK_INT(df->nr_stages, 6);
	CHECK_INT(df->instructions[0].stage, -1);
	CHECK_STR(df->stages[0].base, "alpine:3.20");
	CHECK_STR(df->stages[0].name, "builder");
	CHECK_INT(df->stages[1].base_stage, 0);
	CHECK(df->stages[2].base == NULL);
	CHECK_STR(df->stages[2].base_raw, "$REGISTRY/app:1");
	CHECK_STR(df->stages[3].base, "debian:12-slim");
	CHECK_STR(df->stages[4].base, "docker.io/library/debian");
	CHECK_INT(df->stages[5].scratch, 1);
	CHECK_INT(df->stages[5].first, 8);
	CHECK_INT(df->stages[5].end, 9);
	dockerfile_free(df);
}

TEST(dockerfile_parse_rejects_structure)
{
	parse_fails("RUN echo hi\nFROM a\n", 19, ERR_BAD_INPUT, "line 1");
	parse_fails("FROM a\nFROB b\n", 14, ERR_BAD_INPUT, "line 2: unknown instruction 'FROB'");
	parse_fails("# only a comment\n", 17, ERR_BAD_INPUT, "no FROM");
	parse_fails("", 0, ERR_BAD_INPUT, "no FROM");
	parse_fails("FROM a b c d\n", 13, ERR_BAD_INPUT, "line 1");
}

TEST(dockerfile_parse_hostile_inputs)
{
	size_t big = DOCKERFILE_MAX_BYTES + 1, n = 0;
	char *buf = malloc(big + 64);
	struct strbuf sb = STRBUF_INIT;
	static const char nul[] = "FROM a\nRUN echo \0 hi\n";

	/* 1 MiB + 1 byte of comments. */
	memset(buf, '#', big);
	for (size_t i = 80; i < big; i += 80)
		buf[i] = '\n';
	parse_fails(buf, big, ERR_LIMIT, "larger than 1 MiB");
	free(buf);

	/* 10,001 instructions. */
	strbuf_addstr(&sb, "FROM a\n");
	for (n = 1; n < DOCKERFILE_MAX_INSTRUCTIONS + 1; n++)
		strbuf_addstr(&sb, "ENV A=b\n");
	parse_fails(sb.buf, sb.len, ERR_LIMIT, "line 10001: more than 10000 instructions");
	strbuf_release(&sb);

	/* One instruction over 256 KiB, joined from continuation lines. */
	strbuf_addstr(&sb, "FROM a\nRUN echo \\\n");
	for (n = 0; n < 3000; n++)
		strbuf_addstr(&sb, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				   "aaaaaaaaaaaaaaaaa \\\n");
	strbuf_addstr(&sb, "end\n");
	parse_fails(sb.buf, sb.len, ERR_LIMIT, "line 2: instruction larger than 256 KiB");
	strbuf_release(&sb);

	parse_fails("FROM a\nRUN <<EOF\necho hi\n", 23, ERR_BAD_INPUT, "line 2: unterminated heredoc 'EOF'");
	parse_fails("FROM a\nCMD [\"a\", \"b\"\n", 20, ERR_BAD_INPUT,
		    "line 2: unterminated or invalid JSON array");
	parse_fails("FROM a\nRUN echo a \\\n", 19, ERR_BAD_INPUT, "line 2: line continuation at the end");
	parse_fails(nul, sizeof(nul) - 1, ERR_BAD_INPUT, "line 2: NUL byte");
	parse_fails("FROM a\n\nLABEL x=\xff\n", 17, ERR_BAD_INPUT, "line 3: invalid UTF-8");
}

TEST(dockerfile_parse_shell_test_bracket_is_shell_form)
{
	struct dockerfile *df = parse_ok("FROM a\nRUN [ -f /etc/os-release ] && cat /etc/os-release\n");

	if (!df)
		return;
	CHECK_INT(df->instructions[1].exec_form, 0);
	dockerfile_free(df);
}

TEST(dockerfile_load_files)
{
	char dir[] = "/tmp/customs-dkr-XXXXXX", path[128];
	struct dockerfile *df = NULL;
	struct strbuf err = STRBUF_INIT;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/Dockerfile", dir);
	CHECK_INT(dockerfile_load(path, &df, &err), ERR_NOT_FOUND);
	CHECK(strstr(err.buf, path) != NULL);
	CHECK_INT(dockerfile_load(dir, &df, &err), ERR_IO);
	CHECK(strstr(err.buf, "folder") != NULL);
	f = fopen(path, "w");
	fputs("FROM alpine:3.20\nUSER 1000\n", f);
	fclose(f);
	CHECK_INT(dockerfile_load(path, &df, &err), 0);
	CHECK(df && df->nr_instructions == 2);
	CHECK_STR(df ? df->path : NULL, path);
	dockerfile_free(df);
	unlink(path);
	rmdir(dir);
	strbuf_release(&err);
}
