/* Unit tests of the Dockerfile rules: each rule on a real-looking line and on look-alikes it must pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dockerfile.h"
#include "test.h"
#include "util/strbuf.h"

struct run {
	struct dockerfile *df;
	struct check_results res;
};

static int run(struct run *r, const char *text)
{
	struct strbuf err = STRBUF_INIT;
	int rc = dockerfile_parse(text, strlen(text), "build/Dockerfile", &r->df, &err);

	check_results_init(&r->res);
	if (rc) {
		fprintf(stderr, "  unexpected error: %s\n", err.buf);
		test_failed = 1;
	} else {
		dockerfile_checks_run(r->df, &r->res);
	}
	strbuf_release(&err);
	return rc == 0;
}

static void done(struct run *r)
{
	check_results_release(&r->res);
	dockerfile_free(r->df);
}

/* Findings of rule id; with line != 0 only those on that line. */
static size_t count(const struct run *r, const char *id, uint64_t line)
{
	size_t n = 0;

	for (size_t i = 0; i < r->res.nr; i++) {
		const struct check_finding *f = &r->res.findings[i];

		if (strcmp(f->rule->id, id) || (line && f->line != line))
			continue;
		n++;
	}
	return n;
}

static const struct check_finding *first(const struct run *r, const char *id)
{
	for (size_t i = 0; i < r->res.nr; i++)
		if (!strcmp(r->res.findings[i].rule->id, id))
			return &r->res.findings[i];
	return NULL;
}

/* A well-kept final stage, so each test sees only the rule it is about. */
#define TAIL "USER 10001\nHEALTHCHECK CMD [\"/app/health\"]\n"
#define PINNED "FROM debian:12.8@sha256:0000000000000000000000000000000000000000000000000000000000000000\n"

TEST(dockerfile_rules_metadata)
{
	static const char *const ids[] = {"CUS-DKR-001", "CUS-DKR-002", "CUS-DKR-003", "CUS-DKR-004",
					  "CUS-DKR-005", "CUS-DKR-006", "CUS-DKR-007", "CUS-DKR-008",
					  "CUS-DKR-009", "CUS-DKR-010", "CUS-DKR-011"};

	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		const struct check_rule *rule = check_rule_find(ids[i]);

		CHECK(rule != NULL);
		if (!rule)
			continue;
		CHECK_INT(rule->kind, CHECK_KIND_DOCKERFILE);
		CHECK(*rule->title && *rule->why && *rule->remediation);
	}
}

TEST(dockerfile_rules_clean_file_has_no_findings)
{
	struct run r;

	if (!run(&r, PINNED "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
			    " && rm -rf /var/lib/apt/lists/*\nCOPY app /app\n" TAIL))
		return;
	CHECK_INT(r.res.nr, 0);
	CHECK(r.res.kinds_run & (1u << CHECK_KIND_DOCKERFILE));
	done(&r);
}

TEST(dockerfile_rules_base_image_tags)
{
	struct run r;
	const struct check_finding *f;

	if (!run(&r, "ARG TAG\n"
		     "FROM golang AS build\n"
		     "FROM node:latest AS web\n"
		     "FROM localhost:5000/team/app:1.2 AS pinned_by_tag\n"
		     "FROM build AS again\n"
		     "FROM app:${TAG}\n"
		     "FROM scratch\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-001", 0), 2);
	CHECK_INT(count(&r, "CUS-DKR-001", 2), 1);
	CHECK_INT(count(&r, "CUS-DKR-001", 3), 1);
	/* Registry ports are not tags; stage names, scratch and unresolved ARGs are never judged. */
	CHECK_INT(count(&r, "CUS-DKR-002", 0), 3);
	CHECK_INT(count(&r, "CUS-DKR-002", 4), 1);
	f = first(&r, "CUS-DKR-001");
	if (f) {
		CHECK_STR(f->path, "build/Dockerfile");
		CHECK_INT(f->path_is_dockerfile, 1);
		CHECK_INT(f->dockerfile_line, f->line);
		CHECK_INT(f->layer, -1);
		CHECK_INT(f->history, -1);
		CHECK_STR(f->subject, "golang");
		CHECK_STR(f->instruction, "FROM golang AS build");
	}
	done(&r);
}

TEST(dockerfile_rules_pipe_to_shell)
{
	struct run r;

	if (!run(&r, PINNED "RUN curl -fsSL https://example.com/install.sh | sh\n"
			    "RUN wget -qO- https://example.com/get | sudo -E bash -s -- --yes\n"
			    "RUN curl -fsSL https://example.com/x.tgz | tar xz -C /opt\n"
			    "RUN curl -o /tmp/i.sh https://example.com/i.sh && sh /tmp/i.sh\n"
			    "RUN echo curl | sh\n"
			    "RUN <<EOF\nset -e\ncurl -sSL https://example.com/a | bash\nEOF\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-003", 0), 3);
	CHECK_INT(count(&r, "CUS-DKR-003", 2), 1);
	CHECK_INT(count(&r, "CUS-DKR-003", 3), 1);
	CHECK_INT(count(&r, "CUS-DKR-003", 7), 1);
	CHECK_INT(count(&r, "CUS-DKR-007", 3), 1);
	done(&r);
}

TEST(dockerfile_rules_add)
{
	struct run r;

	if (!run(&r, PINNED
		 "ADD app.py /app/\n"
		 "ADD rootfs.tar.gz /\n"
		 "ADD https://example.com/tool.tgz /opt/\n"
		 "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d "
		 "https://example.com/tool.tgz /opt/\n"
		 "ADD http://example.com/a.txt /a.txt\n"
		 "ADD git@example.com:team/repo.git /src\n"
		 "ADD [\"conf dir\", \"/etc/app\"]\n"
		 "COPY app.py /app/\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-004", 0), 2);
	CHECK_INT(count(&r, "CUS-DKR-004", 2), 1);
	CHECK_INT(count(&r, "CUS-DKR-004", 8), 1);
	CHECK_INT(count(&r, "CUS-DKR-005", 0), 2);
	CHECK_INT(count(&r, "CUS-DKR-005", 4), 1);
	CHECK_INT(count(&r, "CUS-DKR-005", 6), 1);
	done(&r);
}

TEST(dockerfile_rules_secrets_are_reported_and_redacted)
{
	struct run r;
	const struct check_finding *f;

	if (!run(&r, PINNED "ARG GITHUB_TOKEN=Zq81LmT5pR0xWv\n"
			    "ENV DB_PASSWORD=\"Hq2Lr8VnX3ps\" APP_PORT=8080\n"
			    "ENV API_KEY Kd93JfmQ0aZyTr\n"
			    "ARG NPM_TOKEN\n"
			    "ENV DB_PASSWORD_FILE=/run/secrets/db PASSWORD=changeme TOKEN=${TOKEN}\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-006", 0), 3);
	for (size_t i = 0; i < r.res.nr; i++) {
		f = &r.res.findings[i];
		CHECK(!strstr(f->instruction, "Zq81LmT5pR0xWv"));
		CHECK(!strstr(f->instruction, "Hq2Lr8VnX3ps"));
		CHECK(!strstr(f->instruction, "Kd93JfmQ0aZyTr"));
		CHECK(!strstr(f->detail, "Zq81") && !strstr(f->detail, "Hq2L") && !strstr(f->detail, "Kd93"));
	}
	f = first(&r, "CUS-DKR-006");
	if (f) {
		CHECK_STR(f->subject, "GITHUB_TOKEN");
		CHECK_STR(f->instruction, "ARG GITHUB_TOKEN=***");
		CHECK_INT(f->line, 2);
	}
	CHECK_INT(count(&r, "CUS-DKR-006", 3), 1);
	CHECK_INT(count(&r, "CUS-DKR-006", 4), 1);
	for (size_t i = 0; i < r.res.nr; i++)
		if (r.res.findings[i].line == 4)
			CHECK_STR(r.res.findings[i].instruction, "ENV API_KEY ***");
	done(&r);
}

TEST(dockerfile_rules_sudo)
{
	struct run r;

	if (!run(&r, PINNED "RUN sudo apt-get install -y vim\n"
			    "RUN apt-get install -y sudo && rm -rf /var/lib/apt/lists/*\n"
			    "RUN echo 'sudo is not run here'\n"
			    "RUN [\"sudo\", \"make\", \"install\"]\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-007", 0), 2);
	CHECK_INT(count(&r, "CUS-DKR-007", 2), 1);
	CHECK_INT(count(&r, "CUS-DKR-007", 5), 1);
	done(&r);
}

TEST(dockerfile_rules_final_user)
{
	struct run r;

	if (!run(&r, PINNED "HEALTHCHECK CMD true\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-008", 1), 1);
	done(&r);
	if (!run(&r, PINNED "USER app\nUSER root:root\nHEALTHCHECK CMD true\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-008", 3), 1);
	done(&r);
	if (!run(&r, PINNED "USER 0\nRUN id\nUSER 1000:0\nHEALTHCHECK CMD true\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-008", 0), 0);
	done(&r);
	/* The user of the stage the final stage builds FROM carries over; a build stage's does not. */
	if (!run(&r,
		 PINNED "USER 1000\nFROM debian:12.8@sha256:00 AS other\nUSER root\n"
			"FROM debian:12.8@sha256:00 AS base\nUSER 1000\nFROM base\nHEALTHCHECK CMD true\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-008", 0), 0);
	done(&r);
	if (!run(&r, PINNED "USER $APP_USER\nHEALTHCHECK CMD true\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-008", 0), 0);
	done(&r);
}

TEST(dockerfile_rules_ssh_port)
{
	struct run r;

	if (!run(&r, PINNED "EXPOSE 8080 22/tcp\nEXPOSE 20-25\nEXPOSE 22/udp 2222 122\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-009", 0), 2);
	CHECK_INT(count(&r, "CUS-DKR-009", 2), 1);
	CHECK_INT(count(&r, "CUS-DKR-009", 3), 1);
	done(&r);
}

TEST(dockerfile_rules_package_cache)
{
	struct run r;

	if (!run(&r, PINNED "RUN apt-get update && apt-get install -y curl\n"
			    "RUN apk add curl\n"
			    "RUN apk add --no-cache curl\n"
			    "RUN pip install requests\n"
			    "RUN python3 -m pip install --no-cache-dir requests\n"
			    "RUN --mount=type=cache,target=/var/cache/apt apt-get install -y git\n"
			    "RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n"
			    "RUN echo apt-get install is documented\n"
			    "RUN python3 -m pip install flask\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-010", 0), 4);
	CHECK_INT(count(&r, "CUS-DKR-010", 2), 1);
	CHECK_INT(count(&r, "CUS-DKR-010", 3), 1);
	CHECK_INT(count(&r, "CUS-DKR-010", 5), 1);
	CHECK_INT(count(&r, "CUS-DKR-010", 10), 1);
	done(&r);
	if (!run(&r, PINNED "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-010", 0), 0);
	done(&r);
}

TEST(dockerfile_rules_healthcheck)
{
	struct run r;

	if (!run(&r, PINNED "USER 1000\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-011", 1), 1);
	done(&r);
	if (!run(&r, PINNED "USER 1000\nHEALTHCHECK NONE\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-011", 3), 1);
	done(&r);
	/* A build stage's HEALTHCHECK does not reach the final image. */
	if (!run(&r, PINNED "HEALTHCHECK CMD true\n" PINNED "USER 1000\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-011", 3), 1);
	done(&r);
	if (!run(&r, PINNED "HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\nUSER 1\n"))
		return;
	CHECK_INT(count(&r, "CUS-DKR-011", 0), 0);
	done(&r);
}

TEST(dockerfile_rules_instruction_text_is_capped)
{
	struct run r;
	struct strbuf sb = STRBUF_INIT;
	const struct check_finding *f;

	strbuf_addstr(&sb, PINNED "RUN sudo echo ");
	for (int i = 0; i < 100; i++)
		strbuf_addstr(&sb, "word\xc3\xa9 ");
	strbuf_addstr(&sb, "\n" TAIL);
	if (!run(&r, sb.buf)) {
		strbuf_release(&sb);
		return;
	}
	f = first(&r, "CUS-DKR-007");
	CHECK(f && strlen(f->instruction) <= 203);
	CHECK(f && strstr(f->instruction, "...") != NULL);
	done(&r);
	strbuf_release(&sb);
}

/* Each fixture's findings as "ID:line" words in report order, or NULL when the fixture is missing. */
static char *fixture_findings(const char *name)
{
	char path[256];
	struct dockerfile *df = NULL;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct check_results res;
	int rc;

	snprintf(path, sizeof(path), "tests/fixtures/dockerfile/%s", name);
	rc = dockerfile_load(path, &df, &err);
	if (rc) {
		fprintf(stderr, "  %s\n", err.buf);
		strbuf_release(&err);
		return NULL;
	}
	check_results_init(&res);
	dockerfile_checks_run(df, &res);
	check_results_sort(&res);
	for (size_t i = 0; i < res.nr; i++)
		strbuf_addf(&out, "%s%s:%llu", i ? " " : "", res.findings[i].rule->id,
			    (unsigned long long)res.findings[i].line);
	check_results_release(&res);
	dockerfile_free(df);
	strbuf_release(&err);
	return strbuf_detach(&out, NULL);
}

TEST(dockerfile_rules_fixtures)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
	    {"multistage-go.Dockerfile", ""},
	    {"node-legacy.Dockerfile",
	     "CUS-DKR-006:4 CUS-DKR-006:6 CUS-DKR-001:1 CUS-DKR-003:11 CUS-DKR-005:14 CUS-DKR-008:1 "
	     "CUS-DKR-009:18 CUS-DKR-002:1 CUS-DKR-004:13 CUS-DKR-004:17 CUS-DKR-007:12 CUS-DKR-010:8 "
	     "CUS-DKR-011:1"},
	    {"windows-escape.Dockerfile", "CUS-DKR-002:3"},
	    {"heredoc-python.Dockerfile", "CUS-DKR-002:1 CUS-DKR-010:15"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = fixture_findings(cases[i].file);

		CHECK(got != NULL);
		if (got && strcmp(got, cases[i].want)) {
			fprintf(stderr, "  %s: got '%s'\n", cases[i].file, got);
			test_failed = 1;
		}
		free(got);
	}
}

TEST(dockerfile_rules_hostile_shell_text_terminates)
{
	struct run r;

	/* Form feeds and vertical tabs in a heredoc body are blanks, not words. */
	if (!run(&r, PINNED "RUN <<EOF\ncurl x \f\v| \v sh\n\f\nEOF\n" TAIL))
		return;
	CHECK_INT(count(&r, "CUS-DKR-003", 2), 1);
	done(&r);
}
