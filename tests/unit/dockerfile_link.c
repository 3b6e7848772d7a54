/* Unit tests of linking image findings to Dockerfile lines, with history as BuildKit and the classic builder
 * write it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dockerfile.h"
#include "test.h"
#include "util/strbuf.h"

static const char dockerfile_text[] = "FROM node:20 AS build\n"			    /* 1 */
				      "WORKDIR /src\n"				    /* 2 */
				      "COPY package.json .\n"			    /* 3 */
				      "RUN npm ci\n"				    /* 4 */
				      "FROM debian:12-slim\n"			    /* 5 */
				      "ARG APP_VERSION=1\n"			    /* 6 */
				      "ENV DB_PASSWORD=Hq2Lr8VnX3ps APP_ENV=prod\n" /* 7 */
				      "RUN apt-get update \\\n"			    /* 8 */
				      "    && apt-get install -y curl\n"	    /* 9 */
				      "COPY --from=build /src/dist /app\n"	    /* 10 */
				      "EXPOSE 8080 22\n"			    /* 11 */
				      "USER root\n"				    /* 12 */
				      "CMD [\"/app/server\"]\n";		    /* 13 */

/* History of the base image: one layer and one empty entry. */
#define BASE_ENTRIES 2

static const char *const buildkit_history[] = {
    "/bin/sh -c #(nop) ADD file:3b1e2e2a9a0b7c in / ",
    "/bin/sh -c #(nop)  CMD [\"bash\"]",
    "ENV DB_PASSWORD=Hq2Lr8VnX3ps APP_ENV=prod",
    "RUN |1 APP_VERSION=1 /bin/sh -c apt-get update     && apt-get install -y curl # buildkit",
    "COPY /src/dist /app # buildkit",
    "EXPOSE map[22/tcp:{} 8080/tcp:{}]",
    "USER root",
    "CMD [\"/app/server\"]",
};

static const char *const classic_history[] = {
    "/bin/sh -c #(nop) ADD file:3b1e2e2a9a0b7c in / ",
    "/bin/sh -c #(nop)  CMD [\"bash\"]",
    "/bin/sh -c #(nop)  ARG APP_VERSION=1",
    "/bin/sh -c #(nop)  ENV DB_PASSWORD=Hq2Lr8VnX3ps APP_ENV=prod",
    "|1 APP_VERSION=1 /bin/sh -c apt-get update     && apt-get install -y curl",
    "/bin/sh -c #(nop) COPY dir:9c1f0e3a77d2b4 in /app ",
    "/bin/sh -c #(nop)  EXPOSE 22 8080",
    "/bin/sh -c #(nop)  USER root",
    "/bin/sh -c #(nop)  CMD [\"/app/server\"]",
};

/* An image whose history is texts; entries whose text starts with RUN, COPY, ADD, "|" or a plain "/bin/sh -c"
 * make layers. */
static void make_image(struct image *img, const char *const *texts, size_t nr)
{
	memset(img, 0, sizeof(*img));
	img->history = calloc(nr, sizeof(*img->history));
	img->layers = calloc(nr, sizeof(*img->layers));
	img->nr_history = nr;
	for (size_t i = 0; i < nr; i++) {
		const char *t = texts[i];
		int layer = !strncmp(t, "RUN ", 4) || !strncmp(t, "COPY ", 5) || !strncmp(t, "ADD ", 4) ||
			    t[0] == '|' || strstr(t, "#(nop) ADD") || strstr(t, "#(nop) COPY") ||
			    (!strncmp(t, "/bin/sh -c ", 11) && !strstr(t, "#(nop)"));

		img->history[i].created_by = t;
		img->history[i].empty_layer = !layer;
		img->history[i].layer = -1;
		if (layer) {
			img->history[i].layer = (int)img->nr_layers;
			img->layers[img->nr_layers++].created_by = t;
		}
	}
}

static void free_image(struct image *img)
{
	free(img->history);
	free(img->layers);
}

static struct check_finding *add(struct check_results *res, const char *id, const char *subject, int layer,
				 int history)
{
	struct check_finding f;

	memset(&f, 0, sizeof(f));
	f.rule = check_rule_find(id);
	f.subject = subject;
	f.detail = "test";
	f.layer = layer;
	f.history = history;
	return check_results_add(res, &f);
}

static struct dockerfile *parse(const char *text)
{
	struct dockerfile *df = NULL;
	struct strbuf err = STRBUF_INIT;

	if (dockerfile_parse(text, strlen(text), "Dockerfile", &df, &err)) {
		fprintf(stderr, "  unexpected error: %s\n", err.buf);
		test_failed = 1;
	}
	strbuf_release(&err);
	return df;
}

/* Link the usual findings against an image whose own entries start at own (index of the ENV entry). */
static void link_and_check(const char *const *texts, size_t nr, size_t env)
{
	struct dockerfile *df = parse(dockerfile_text);
	struct check_results res;
	struct image img;
	struct check_finding *cache, *setuid, *hist_secret, *root, *ssh, *env_secret, *health, *base, *dkr;

	if (!df)
		return;
	make_image(&img, texts, nr);
	check_results_init(&res);
	cache = add(&res, "CUS-CFG-008", "apt", img.history[env + 1].layer, (int)env + 1);
	setuid = add(&res, "CUS-CFG-009", "usr/bin/x", img.history[env + 2].layer, -1);
	hist_secret = add(&res, "CUS-CFG-004", "DB_PASSWORD", -1, (int)env);
	root = add(&res, "CUS-CFG-001", "root", -1, -1);
	ssh = add(&res, "CUS-CFG-005", "22/tcp", -1, -1);
	env_secret = add(&res, "CUS-CFG-002", "DB_PASSWORD", -1, -1);
	health = add(&res, "CUS-CFG-006", "HEALTHCHECK", -1, -1);
	base = add(&res, "CUS-CFG-009", "bin/su", 0, 0);
	dkr = add(&res, "CUS-DKR-001", "x", -1, -1);
	dkr->path_is_dockerfile = 1;
	dkr->line = 1;

	dockerfile_link(df, &img, &res);
	CHECK_STR(res.dockerfile, "Dockerfile");
	CHECK_INT(cache->dockerfile_line, 8);
	CHECK_STR(cache->instruction, "RUN apt-get update     && apt-get install -y curl");
	CHECK_INT(setuid->dockerfile_line, 10);
	CHECK_INT(hist_secret->dockerfile_line, 7);
	CHECK(!strstr(hist_secret->instruction, "Hq2Lr8VnX3ps"));
	CHECK_STR(hist_secret->instruction, "ENV DB_PASSWORD=*** APP_ENV=prod");
	CHECK_INT(root->dockerfile_line, 12);
	CHECK_INT(ssh->dockerfile_line, 11);
	CHECK_INT(env_secret->dockerfile_line, 7);
	CHECK_INT(health->dockerfile_line, 0);
	CHECK(health->instruction == NULL);
	CHECK_INT(base->dockerfile_line, 0);
	CHECK_INT(dkr->dockerfile_line, 0);
	check_results_release(&res);
	free_image(&img);
	dockerfile_free(df);
}

TEST(dockerfile_link_buildkit_history)
{
	link_and_check(buildkit_history, sizeof(buildkit_history) / sizeof(*buildkit_history), BASE_ENTRIES);
}

TEST(dockerfile_link_classic_history)
{
	link_and_check(classic_history, sizeof(classic_history) / sizeof(*classic_history), BASE_ENTRIES + 1);
}

TEST(dockerfile_link_stops_at_first_disagreement)
{
	static const char *const other[] = {
	    "/bin/sh -c #(nop) ADD file:3b1e2e2a9a0b7c in / ",
	    "ENV DB_PASSWORD=Hq2Lr8VnX3ps APP_ENV=prod",
	    "RUN /bin/sh -c apt-get install -y git # buildkit",
	    "COPY /src/dist /app # buildkit",
	    "EXPOSE map[22/tcp:{} 8080/tcp:{}]",
	    "USER root",
	    "CMD [\"/app/server\"]",
	};
	struct dockerfile *df = parse(dockerfile_text);
	struct check_results res;
	struct image img;
	struct check_finding *run, *copy, *env, *existing;

	if (!df)
		return;
	make_image(&img, other, sizeof(other) / sizeof(*other));
	check_results_init(&res);
	run = add(&res, "CUS-CFG-008", "apt", 1, 2);
	copy = add(&res, "CUS-CFG-009", "app/x", 2, 3);
	env = add(&res, "CUS-CFG-004", "DB_PASSWORD", -1, 1);
	existing = add(&res, "CUS-CFG-009", "app/y", 2, 3);
	existing->instruction = "COPY /src/dist /app # buildkit";
	dockerfile_link(df, &img, &res);
	CHECK_INT(copy->dockerfile_line, 10);
	CHECK_STR(copy->instruction, "COPY --from=build /src/dist /app");
	CHECK_STR(existing->instruction, "COPY /src/dist /app # buildkit");
	CHECK_INT(existing->dockerfile_line, 10);
	CHECK_INT(run->dockerfile_line, 0);
	CHECK_INT(env->dockerfile_line, 0);
	check_results_release(&res);
	free_image(&img);
	dockerfile_free(df);
}

TEST(dockerfile_link_through_stage_chain)
{
	static const char text[] = "FROM python:3.12-slim AS base\n"
				   "RUN pip install --no-cache-dir flask\n"
				   "FROM base AS final\n"
				   "COPY app.py /srv/\n"
				   "USER 1000\n";
	static const char *const history[] = {
	    "/bin/sh -c #(nop) ADD file:aa in / ",
	    "RUN /bin/sh -c pip install --no-cache-dir flask # buildkit",
	    "COPY app.py /srv/ # buildkit",
	    "USER 1000",
	};
	struct dockerfile *df = parse(text);
	struct check_results res;
	struct image img;
	struct check_finding *pip;

	if (!df)
		return;
	CHECK_INT(dockerfile_own_layer_count(df), 2);
	make_image(&img, history, 4);
	check_results_init(&res);
	pip = add(&res, "CUS-CFG-009", "usr/local/bin/x", 1, -1);
	dockerfile_link(df, &img, &res);
	CHECK_INT(pip->dockerfile_line, 2);
	check_results_release(&res);
	free_image(&img);
	dockerfile_free(df);
}

TEST(dockerfile_link_own_layer_count)
{
	struct dockerfile *df = parse(dockerfile_text);

	if (!df)
		return;
	/* The build stage's WORKDIR, COPY and RUN never reach the debian-based final image. */
	CHECK_INT(dockerfile_own_layer_count(df), 2);
	dockerfile_free(df);
	df = parse(
	    "FROM scratch\nCOPY --from=builder:1 /bin/app /app\nADD rootfs.tar /\nRUN [\"/app\", \"init\"]\n"
	    "ENV A=b\n");
	if (!df)
		return;
	CHECK_INT(dockerfile_own_layer_count(df), 3);
	dockerfile_free(df);
}

TEST(dockerfile_link_without_history)
{
	struct dockerfile *df = parse(dockerfile_text);
	struct check_results res;
	struct image img;
	struct check_finding *f, *root;

	if (!df)
		return;
	memset(&img, 0, sizeof(img));
	check_results_init(&res);
	f = add(&res, "CUS-CFG-009", "x", 3, -1);
	root = add(&res, "CUS-CFG-001", "root", -1, -1);
	dockerfile_link(df, &img, &res);
	CHECK_INT(f->dockerfile_line, 0);
	CHECK_INT(root->dockerfile_line, 12);
	CHECK_STR(root->instruction, "USER root");
	check_results_release(&res);
	dockerfile_free(df);
}

TEST(dockerfile_link_layer_lines)
{
	struct dockerfile *df = parse(dockerfile_text);
	struct image img;
	uint64_t lines[8];

	CHECK(df != NULL);
	if (!df)
		return;
	/* Layers: the base image's, the RUN at line 8, the COPY at line 10. */
	make_image(&img, buildkit_history, sizeof(buildkit_history) / sizeof(*buildkit_history));
	CHECK_INT(img.nr_layers, 3);
	dockerfile_layer_lines(df, &img, lines);
	CHECK_INT(lines[0], 0);
	CHECK_INT(lines[1], 8);
	CHECK_INT(lines[2], 10);
	free_image(&img);

	make_image(&img, classic_history, sizeof(classic_history) / sizeof(*classic_history));
	dockerfile_layer_lines(df, &img, lines);
	CHECK_INT(lines[0], 0);
	CHECK_INT(lines[1], 8);
	CHECK_INT(lines[2], 10);
	free_image(&img);
	dockerfile_free(df);
}
