/* Unit tests of the image config reader's run-time settings and of the config and history checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/config_checks.h"
#include "image_fixture.h"
#include "test.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/*
 * Secret values are made at run time from a seed, so neither this file nor
 * the test binary holds a token that a secret scanner of the repository
 * would report; every one is remembered for the redaction checks.
 */
static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static char planted[32][96];
static size_t nr_planted;

static const char *plant(const char *prefix, size_t n, unsigned seed)
{
	char *out = planted[nr_planted++ % 32];
	size_t len = strlen(prefix), i;

	memcpy(out, prefix, len);
	for (i = 0; i < n && len + i < 95; i++) {
		seed = seed * 1103515245u + 12345u;
		out[len + i] = base62[(seed >> 16) % 62];
	}
	out[len + i] = '\0';
	return out;
}

/* The random part of a planted value, which must never appear in a finding. */
static const char *secret_part(const char *value, size_t prefix_len)
{
	return value + prefix_len;
}

struct built {
	struct image *img;
	struct arena arena;
	struct config_results res;
	struct fx_archive a;
	struct fx_layer layers[3];
	size_t nr_layers;
};

/*
 * Build and open an OCI image whose layers were made by created_by (NULL
 * ends the list; at most 3) and whose config gets extra's members, then run
 * the checks. docker selects the classic docker save layout.
 */
static int build(struct built *b, const char *extra, int docker, const char *const *created_by)
{
	struct fx_opts o = {.tag = "app:1", .config_extra = extra};
	struct fx_digests d;
	struct strbuf err = STRBUF_INIT;
	size_t i;
	int rc;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < 3 && created_by && created_by[i]; i++) {
		char name[32];

		fx_layer_init(&b->layers[i], FX_GZIP, created_by[i]);
		snprintf(name, sizeof(name), "file%zu", i);
		fx_tar_file(&b->layers[i].tar, name, "x\n");
		fx_tar_end(&b->layers[i].tar);
	}
	if (!i) {
		fx_layer_init(&b->layers[0], FX_GZIP, NULL);
		fx_tar_file(&b->layers[0].tar, "file0", "x\n");
		fx_tar_end(&b->layers[0].tar);
		i = 1;
	}
	b->nr_layers = i;
	if (docker)
		fx_build_docker_legacy(&b->a, b->layers, i, &o, &d);
	else
		fx_build_oci(&b->a, b->layers, i, &o, &d);
	rc = fx_open_archive(&b->img, &b->a, NULL, &err);
	if (rc)
		fprintf(stderr, "  %s\n", err.buf);
	else
		config_checks_run(b->img, &b->arena, &b->res);
	strbuf_release(&err);
	return rc;
}

static void built_release(struct built *b)
{
	config_results_release(&b->res);
	arena_release(&b->arena);
	image_free(b->img);
	fx_release(&b->a);
	fx_layers_release(b->layers, b->nr_layers);
}

static size_t count(const struct built *b, enum config_rule_id rule)
{
	size_t i, n = 0;

	for (i = 0; i < b->res.nr; i++)
		n += b->res.findings[i].rule == rule;
	return n;
}

static const struct config_finding *first(const struct built *b, enum config_rule_id rule)
{
	size_t i;

	for (i = 0; i < b->res.nr; i++)
		if (b->res.findings[i].rule == rule)
			return &b->res.findings[i];
	return NULL;
}

static const struct config_finding *with_subject(const struct built *b, enum config_rule_id rule,
						 const char *subject)
{
	size_t i;

	for (i = 0; i < b->res.nr; i++)
		if (b->res.findings[i].rule == rule && !strcmp(b->res.findings[i].subject, subject))
			return &b->res.findings[i];
	return NULL;
}

/* Every finding is one line of valid UTF-8 and holds none of the planted secrets. */
static void check_redacted(const struct built *b)
{
	size_t i, k;

	for (i = 0; i < b->res.nr; i++) {
		const struct config_finding *f = &b->res.findings[i];

		CHECK(f->subject && f->detail);
		if (!f->subject || !f->detail)
			continue;
		CHECK(utf8_is_valid(f->detail, strlen(f->detail)));
		CHECK(!strchr(f->detail, '\n'));
		for (k = 0; k < nr_planted && k < 32; k++) {
			const char *secret = secret_part(planted[k], 4);

			if (strstr(f->subject, secret) || strstr(f->detail, secret)) {
				fprintf(stderr, "  leaked '%s' in '%s' / '%s'\n", secret, f->subject,
					f->detail);
				test_failed = 1;
			}
		}
	}
}

/* A config object with the healthcheck and user set, so only the check under test fires. */
#define QUIET_CONFIG "\"User\": \"app\", \"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}"

static char *config_with(const char *fields)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "{\"config\": {" QUIET_CONFIG "%s%s}}", *fields ? ", " : "", fields);
	return strbuf_detach(&sb, NULL);
}

TEST(checks_config_rules_table)
{
	size_t i;

	for (i = 0; i < CONFIG_RULE_COUNT; i++) {
		const struct config_rule *r = config_rule_get((enum config_rule_id)i);
		char want[16];

		CHECK(r != NULL);
		if (!r)
			continue;
		snprintf(want, sizeof(want), "CUS-CFG-%03zu", i + 1);
		CHECK_STR(r->id, want);
		CHECK(*r->title && *r->why && *r->remediation);
		CHECK(r->severity >= SEVERITY_LOW && r->severity <= SEVERITY_CRITICAL);
	}
	CHECK(config_rule_get(CONFIG_RULE_COUNT) == NULL);
}

TEST(checks_config_image_fields)
{
	static const char extra[] =
	    "{\"config\": {\"User\": \"app:app\", \"WorkingDir\": \"/srv\", \"Env\": [\"PATH=/usr/bin\", "
	    "\"EMPTY=\", \"BARE\", \"A=b=c\"], \"Labels\": {\"maintainer\": \"me\", \"v\": \"1\"}, "
	    "\"ExposedPorts\": {\"80/tcp\": {}, \"53/udp\": {}}, \"Entrypoint\": [\"/app\", \"-v\"], "
	    "\"Cmd\": [\"serve\"], \"Healthcheck\": {\"Test\": [\"CMD\", \"/app\", \"ping\"]}}, "
	    "\"history\": [{\"created_by\": \"ADD file:abc in /\"}, {\"created_by\": \"ENV A=b\", "
	    "\"empty_layer\": true}, {\"created_by\": \"RUN /bin/sh -c make\"}, {\"created_by\": "
	    "\"USER app:app\", \"empty_layer\": true}]}";
	const char *const made[] = {"x", "y", NULL};
	int docker;

	for (docker = 0; docker < 2; docker++) {
		struct built b;
		const struct image_config *c;

		CHECK_INT(build(&b, extra, docker, made), 0);
		if (!b.img)
			continue;
		c = &b.img->config;
		CHECK_INT(c->present, 1);
		CHECK_STR(c->user, "app:app");
		CHECK_STR(c->working_dir, "/srv");
		CHECK_INT(c->nr_env, 4);
		if (c->nr_env == 4) {
			CHECK_STR(c->env[0].key, "PATH");
			CHECK_STR(c->env[0].value, "/usr/bin");
			CHECK_STR(c->env[1].value, "");
			CHECK_STR(c->env[2].key, "BARE");
			CHECK_STR(c->env[2].value, "");
			CHECK_STR(c->env[3].key, "A");
			CHECK_STR(c->env[3].value, "b=c");
		}
		CHECK_INT(c->nr_labels, 2);
		if (c->nr_labels == 2) {
			CHECK_STR(c->labels[0].key, "maintainer");
			CHECK_STR(c->labels[0].value, "me");
		}
		CHECK_INT(c->nr_exposed_ports, 2);
		if (c->nr_exposed_ports == 2)
			CHECK_STR(c->exposed_ports[1], "53/udp");
		CHECK_INT(c->nr_entrypoint, 2);
		CHECK_INT(c->nr_cmd, 1);
		if (c->nr_cmd)
			CHECK_STR(c->cmd[0], "serve");
		CHECK_INT(c->healthcheck, IMAGE_HEALTHCHECK_DEFINED);
		CHECK_INT(b.img->nr_history, 4);
		if (b.img->nr_history == 4) {
			CHECK_INT(b.img->history[0].layer, 0);
			CHECK_INT(b.img->history[1].layer, -1);
			CHECK_INT(b.img->history[1].empty_layer, 1);
			CHECK_INT(b.img->history[2].layer, 1);
			CHECK_INT(b.img->history[3].layer, -1);
			CHECK_STR(b.img->history[2].created_by, "RUN /bin/sh -c make");
		}
		/* The layers keep the created_by of the history entries that made them. */
		if (b.img->nr_layers == 2)
			CHECK_STR(b.img->layers[1].created_by, "RUN /bin/sh -c make");
		CHECK_INT(b.res.nr, 0);
		built_release(&b);
	}
}

TEST(checks_config_image_wrong_types)
{
	static const char *const extras[] = {
	    "{\"config\": \"User root\"}",
	    "{\"config\": null}",
	    "{\"config\": {\"User\": 0, \"Env\": {\"A\": \"b\"}, \"Labels\": [\"a=b\"], \"ExposedPorts\": "
	    "[\"22/tcp\"], \"Entrypoint\": \"/bin/sh\", \"Cmd\": null, \"Healthcheck\": \"NONE\", "
	    "\"WorkingDir\": []}}",
	    "{\"config\": {\"Env\": [1, null, {}, [\"A=b\"], \"OK=1\"], \"Labels\": {\"n\": 1, \"o\": {}, "
	    "\"s\": \"t\"}, \"Healthcheck\": {\"Test\": \"NONE\"}, \"ExposedPorts\": {\"22/tcp\": null}}}",
	    "{\"config\": {\"Healthcheck\": {\"Test\": [1]}}}",
	    "{\"config\": {\"Healthcheck\": {\"Test\": []}}}",
	    "{\"history\": \"none\"}",
	    "{\"history\": [1, \"RUN x\", null, {\"created_by\": 5}, {\"created_by\": \"RUN /bin/sh -c "
	    "apt-get install x\", \"empty_layer\": \"yes\"}]}",
	};
	size_t i;

	for (i = 0; i < sizeof(extras) / sizeof(*extras); i++) {
		struct built b;

		CHECK_INT(build(&b, extras[i], 0, NULL), 0);
		if (b.img) {
			const struct image_config *c = &b.img->config;

			CHECK(c->user == NULL);
			CHECK(c->working_dir == NULL);
			CHECK(c->nr_entrypoint == 0 && c->nr_cmd == 0);
			if (i == 3) {
				CHECK_INT(c->nr_env, 1);
				CHECK_INT(c->nr_labels, 1);
				CHECK_INT(c->nr_exposed_ports, 1);
				CHECK_INT(c->healthcheck, IMAGE_HEALTHCHECK_ABSENT);
				CHECK_INT(count(&b, CONFIG_SSH_PORT_EXPOSED), 1);
			}
			if (i == 4)
				CHECK_INT(c->healthcheck, IMAGE_HEALTHCHECK_DEFINED);
			if (i == 5)
				CHECK_INT(c->healthcheck, IMAGE_HEALTHCHECK_ABSENT);
			if (i < 2) {
				CHECK_INT(c->present, 0);
				CHECK_INT(b.res.nr, 0);
			}
			if (i == 7) {
				CHECK_INT(b.img->nr_history, 5);
				/* A non-boolean empty_layer counts as a layer, as the layer mapping reads it.
				 */
				CHECK_INT(count(&b, CONFIG_PACKAGE_CACHE), 1);
			}
			check_redacted(&b);
		}
		built_release(&b);
	}
}

TEST(checks_config_image_caps)
{
	struct strbuf extra = STRBUF_INIT;
	struct built b;
	size_t i;

	/* More Env entries and history entries than kept, one very long string, one invalid UTF-8 label. */
	strbuf_addstr(&extra, "{\"config\": {\"Env\": [\"LONG=");
	for (i = 0; i < IMAGE_MAX_CONFIG_STRING + 100; i++)
		strbuf_addch(&extra, 'a' + (char)(i % 26));
	strbuf_addstr(&extra, "\"");
	for (i = 0; i < IMAGE_MAX_CONFIG_ENTRIES + 50; i++)
		strbuf_addf(&extra, ", \"V%zu=1\"", i);
	strbuf_addstr(&extra, "], \"Labels\": {\"bad\": \"\\u00ff\xff\xfe\"}}, \"history\": [");
	for (i = 0; i < IMAGE_MAX_HISTORY + 10; i++)
		strbuf_addf(&extra, "%s{\"created_by\": \"LABEL x=1\", \"empty_layer\": true}",
			    i ? ", " : "");
	strbuf_addstr(&extra, ", {\"created_by\": \"RUN /bin/sh -c true\"}]}");

	CHECK_INT(build(&b, extra.buf, 0, NULL), 0);
	if (b.img) {
		const struct image_config *c = &b.img->config;

		CHECK_INT(c->nr_env, IMAGE_MAX_CONFIG_ENTRIES);
		if (c->nr_env) {
			size_t len = strlen(c->env[0].value);

			CHECK(len <= IMAGE_MAX_CONFIG_STRING);
			CHECK(len > 3 && !strcmp(c->env[0].value + len - 3, "..."));
		}
		CHECK_INT(b.img->nr_history, IMAGE_MAX_HISTORY);
		CHECK(b.img->warnings.nr >= 2);
		/* The cut history still lines its one layer up with the entry that made it. */
		CHECK_STR(b.img->layers[0].created_by, "RUN /bin/sh -c true");
		CHECK_INT(c->nr_labels, 1);
		if (c->nr_labels)
			CHECK(utf8_is_valid(c->labels[0].value, strlen(c->labels[0].value)));
	}
	built_release(&b);
	strbuf_release(&extra);
}

TEST(checks_config_root)
{
	static const char *const root_users[] = {"root", "0", "0:0", "root:wheel", " 0 ", "000:1000", ""};
	static const char *const other_users[] = {"app", "1000", "1000:0", "0app", "rooter", "nobody:root"};
	struct built b;
	size_t i;

	CHECK_INT(build(&b, "{\"config\": {\"Healthcheck\": {\"Test\": [\"CMD\", \"x\"]}}}", 0, NULL), 0);
	CHECK_INT(count(&b, CONFIG_RUNS_AS_ROOT), 1);
	CHECK_INT(b.res.nr, 1);
	if (first(&b, CONFIG_RUNS_AS_ROOT)) {
		CHECK_INT(first(&b, CONFIG_RUNS_AS_ROOT)->layer, -1);
		CHECK_INT(first(&b, CONFIG_RUNS_AS_ROOT)->history, -1);
	}
	built_release(&b);

	for (i = 0; i < sizeof(root_users) / sizeof(*root_users); i++) {
		char extra[256];

		snprintf(extra, sizeof(extra),
			 "{\"config\": {\"User\": \"%s\"}, \"history\": [{\"created_by\": \"RUN /bin/sh -c "
			 "true\"}, {\"created_by\": \"USER %s\", \"empty_layer\": true}]}",
			 root_users[i], root_users[i]);
		CHECK_INT(build(&b, extra, 0, NULL), 0);
		CHECK_INT(count(&b, CONFIG_RUNS_AS_ROOT), 1);
		if (first(&b, CONFIG_RUNS_AS_ROOT) && *root_users[i])
			CHECK_INT(first(&b, CONFIG_RUNS_AS_ROOT)->history, 1);
		built_release(&b);
	}
	for (i = 0; i < sizeof(other_users) / sizeof(*other_users); i++) {
		char extra[128];

		snprintf(extra, sizeof(extra), "{\"config\": {\"User\": \"%s\"}}", other_users[i]);
		CHECK_INT(build(&b, extra, 0, NULL), 0);
		CHECK_INT(count(&b, CONFIG_RUNS_AS_ROOT), 0);
		built_release(&b);
	}
}

TEST(checks_config_secret_env)
{
	const char *pw = plant("pw__", 16, 11);
	const char *gh = plant("ghp_", 36, 12);
	const char *url_pw = plant("up__", 12, 13);
	struct strbuf fields = STRBUF_INIT;
	char *extra;
	struct built b;

	strbuf_addf(
	    &fields,
	    "\"Env\": [\"PATH=/usr/bin\", \"DB_PASSWORD=%s\", \"HOME_TOOL=%s\", "
	    "\"DATABASE_URL=postgres://app:%s@db:5432/app\", \"POSTGRES_PASSWORD_FILE=/run/secrets/pw\", "
	    "\"API_TOKEN=changeme\", \"MY_SECRET=${SECRET}\", \"GITHUB_TOKEN=\", \"AUTH_TOKEN=<token>\", "
	    "\"TOKEN_TTL=3600\", \"SECRET=********\", \"api-key=$KEY\", \"LANG=C.UTF-8\", "
	    "\"PIP_NO_CACHE_DIR=1\", \"GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\"]",
	    pw, gh, url_pw);
	extra = config_with(fields.buf);
	CHECK_INT(build(&b, extra, 0, NULL), 0);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_ENV), 3);
	CHECK(with_subject(&b, CONFIG_SECRET_IN_ENV, "DB_PASSWORD") != NULL);
	CHECK(with_subject(&b, CONFIG_SECRET_IN_ENV, "HOME_TOOL") != NULL);
	CHECK(with_subject(&b, CONFIG_SECRET_IN_ENV, "DATABASE_URL") != NULL);
	if (with_subject(&b, CONFIG_SECRET_IN_ENV, "HOME_TOOL"))
		CHECK(strstr(with_subject(&b, CONFIG_SECRET_IN_ENV, "HOME_TOOL")->detail, "GitHub") != NULL);
	if (with_subject(&b, CONFIG_SECRET_IN_ENV, "DB_PASSWORD")) {
		CHECK_INT(with_subject(&b, CONFIG_SECRET_IN_ENV, "DB_PASSWORD")->layer, -1);
		CHECK(strstr(with_subject(&b, CONFIG_SECRET_IN_ENV, "DB_PASSWORD")->detail, "20 chars") !=
		      NULL);
	}
	/* The image has a user and a health check: only the secrets are reported. */
	CHECK_INT(b.res.nr, 3);
	check_redacted(&b);
	built_release(&b);
	free(extra);
	strbuf_release(&fields);
}

TEST(checks_config_secret_labels)
{
	const char *key = plant("lbl_", 20, 21);
	struct strbuf fields = STRBUF_INIT;
	char *extra;
	struct built b;

	strbuf_addf(&fields,
		    "\"Labels\": {\"org.opencontainers.image.source\": \"https://example.com/app\", "
		    "\"com.example.api-key\": \"%s\", \"com.example.token.type\": \"bearer\", "
		    "\"maintainer\": \"Ann <ann@example.com>\", \"password\": \"example\"}",
		    key);
	extra = config_with(fields.buf);
	CHECK_INT(build(&b, extra, 0, NULL), 0);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_LABEL), 1);
	CHECK(with_subject(&b, CONFIG_SECRET_IN_LABEL, "com.example.api-key") != NULL);
	CHECK_INT(b.res.nr, 1);
	check_redacted(&b);
	built_release(&b);
	free(extra);
	strbuf_release(&fields);
}

TEST(checks_config_secret_history)
{
	const char *npm = plant("npm_", 24, 31);
	const char *mysql = plant("sql_", 14, 32);
	const char *gh = plant("ghp_", 36, 33);
	const char *env = plant("env_", 18, 34);
	const char *old = plant("old_", 18, 35);
	struct strbuf h0 = STRBUF_INIT, h1 = STRBUF_INIT, h2 = STRBUF_INIT, history = STRBUF_INIT;
	const char *made[4];
	char *extra;
	struct built b;
	const struct config_finding *f;

	strbuf_addf(&h0, "RUN |1 NPM_TOKEN=%s /bin/sh -c npm ci # buildkit", npm);
	strbuf_addf(&h1, "/bin/sh -c mysql --password=%s -e 'select 1'", mysql);
	strbuf_addf(&h2, "RUN /bin/sh -c curl -H \\\"Authorization: token %s\\\" https://example.com", gh);
	made[0] = h0.buf;
	made[1] = h1.buf;
	made[2] = h2.buf;
	made[3] = NULL;
	/* ENV entries: one the config still holds (reported once, as ENV), one a later ENV replaced. */
	strbuf_addf(
	    &history,
	    "\"Env\": [\"APP_SECRET=%s\"]}, \"history\": [{\"created_by\": \"ENV APP_SECRET=%s\", "
	    "\"empty_layer\": true}, {\"created_by\": \"%s\"}, {\"created_by\": \"ENV OLD_PASSWORD=%s\", "
	    "\"empty_layer\": true}, {\"created_by\": \"%s\"}, {\"created_by\": \"RUN /bin/sh -c export "
	    "TOKEN=$(cat /run/secrets/t) PASSWORD=changeme\", \"empty_layer\": true}, {\"created_by\": "
	    "\"%s\"}",
	    env, env, h0.buf, old, h1.buf, h2.buf);
	{
		/* config_with closes the config object; the history joins the same top-level object. */
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "{\"config\": {" QUIET_CONFIG ", %s]}", history.buf);
		extra = strbuf_detach(&sb, NULL);
	}
	CHECK_INT(build(&b, extra, 0, made), 0);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_ENV), 1);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_HISTORY), 4);
	f = with_subject(&b, CONFIG_SECRET_IN_HISTORY, "NPM_TOKEN");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->history, 1);
		CHECK_INT(f->layer, 0);
	}
	f = with_subject(&b, CONFIG_SECRET_IN_HISTORY, "OLD_PASSWORD");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->history, 2);
		CHECK_INT(f->layer, -1);
	}
	f = with_subject(&b, CONFIG_SECRET_IN_HISTORY, "password");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->history, 3);
		CHECK_INT(f->layer, 1);
	}
	f = with_subject(&b, CONFIG_SECRET_IN_HISTORY, "RUN");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->history, 5);
		CHECK_INT(f->layer, 2);
		CHECK(strstr(f->detail, "GitHub") != NULL);
	}
	check_redacted(&b);
	built_release(&b);
	free(extra);
	strbuf_release(&h0);
	strbuf_release(&h1);
	strbuf_release(&h2);
	strbuf_release(&history);
}

TEST(checks_config_assignment_rule)
{
	CHECK(config_assignment_is_secret("DB_PASSWORD", 11, "s3cr3t-value", 12));
	CHECK(config_assignment_is_secret("client.secret", 13, "abcdefgh", 8));
	CHECK(config_assignment_is_secret("PRIVATE_KEY", 11, "MIIEvQIBADANBg", 14));
	CHECK(!config_assignment_is_secret("DB_PASSWORD_FILE", 16, "x1y2z3", 6));
	CHECK(!config_assignment_is_secret("DB_PASSWORD", 11, "", 0));
	CHECK(!config_assignment_is_secret("DB_PASSWORD", 11, "YOUR_PASSWORD", 13));
	CHECK(!config_assignment_is_secret("TOKEN", 5, "xxxxxxxx", 8));
	CHECK(!config_assignment_is_secret("TOKEN", 5, "$TOKEN", 6));
	CHECK(!config_assignment_is_secret("LOG_LEVEL", 9, "debug-secret", 12));
	CHECK(!config_assignment_is_secret("MAX_TOKENS", 10, "4096", 4));
}

TEST(checks_config_ssh_port)
{
	static const char *const ports[] = {"\"22/tcp\": {}", "\"22\": {}", "\"2222/tcp\": {}",
					    "\"22/udp\": {}", "\"220/tcp\": {}"};
	size_t i;

	for (i = 0; i < sizeof(ports) / sizeof(*ports); i++) {
		struct strbuf extra = STRBUF_INIT;
		struct built b;

		strbuf_addf(
		    &extra,
		    "{\"config\": {" QUIET_CONFIG ", \"ExposedPorts\": {%s, \"80/tcp\": {}}}, \"history\": "
		    "[{\"created_by\": \"RUN /bin/sh -c true\"}, {\"created_by\": \"EXPOSE map[22/tcp:{} "
		    "80/tcp:{}]\", \"empty_layer\": true}]}",
		    ports[i]);
		CHECK_INT(build(&b, extra.buf, 0, NULL), 0);
		CHECK_INT(count(&b, CONFIG_SSH_PORT_EXPOSED), i < 2);
		CHECK_INT(b.res.nr, i < 2);
		if (i < 2 && first(&b, CONFIG_SSH_PORT_EXPOSED)) {
			CHECK_INT(first(&b, CONFIG_SSH_PORT_EXPOSED)->history, 1);
			CHECK_STR(first(&b, CONFIG_SSH_PORT_EXPOSED)->subject, "22/tcp");
		}
		built_release(&b);
		strbuf_release(&extra);
	}
}

TEST(checks_config_healthcheck)
{
	struct built b;

	CHECK_INT(build(&b, "{\"config\": {\"User\": \"app\"}}", 0, NULL), 0);
	CHECK_INT(count(&b, CONFIG_NO_HEALTHCHECK), 1);
	CHECK_INT(b.res.nr, 1);
	built_release(&b);

	CHECK_INT(
	    build(
		&b,
		"{\"config\": {\"User\": \"app\", \"Healthcheck\": {\"Test\": [\"NONE\"]}}, \"history\": "
		"[{\"created_by\": \"RUN /bin/sh -c true\"}, {\"created_by\": \"HEALTHCHECK &{[\\\"NONE\\\"] "
		"0s 0s 0s 0s 0}\", \"empty_layer\": true}]}",
		0, NULL),
	    0);
	CHECK_INT(count(&b, CONFIG_NO_HEALTHCHECK), 1);
	if (first(&b, CONFIG_NO_HEALTHCHECK)) {
		CHECK_INT(first(&b, CONFIG_NO_HEALTHCHECK)->history, 1);
		CHECK(strstr(first(&b, CONFIG_NO_HEALTHCHECK)->detail, "NONE") != NULL);
	}
	built_release(&b);

	CHECK_INT(
	    build(&b,
		  "{\"config\": {\"User\": \"app\", \"Healthcheck\": {\"Test\": [\"CMD-SHELL\", \"curl -f "
		  "localhost\"], \"Interval\": 30000000000}}}",
		  0, NULL),
	    0);
	CHECK_INT(count(&b, CONFIG_NO_HEALTHCHECK), 0);
	built_release(&b);
}

TEST(checks_config_add_remote_url)
{
	const char *token = plant("tok_", 16, 41);
	const char *pw = plant("pas_", 10, 42);
	struct strbuf h1 = STRBUF_INIT;
	char *extra = config_with("");
	const char *made[4];
	struct built b;
	const struct config_finding *f;

	strbuf_addf(&h1, "ADD https://user:%s@files.example.com/a/app.tgz?token=%s /opt/ # buildkit", pw,
		    token);
	made[0] = h1.buf;
	made[1] = "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2015d0e2ad4a0e1b "
		  "https://example.com/b.tgz /opt/ # buildkit";
	made[2] = "/bin/sh -c #(nop) ADD http://example.org/c.tgz /opt/";
	made[3] = NULL;
	CHECK_INT(build(&b, extra, 0, made), 0);
	CHECK_INT(count(&b, CONFIG_ADD_REMOTE_URL), 2);
	f = first(&b, CONFIG_ADD_REMOTE_URL);
	if (f) {
		CHECK_INT(f->history, 0);
		CHECK_INT(f->layer, 0);
		CHECK(strstr(f->detail, "https://files.example.com/") != NULL);
		CHECK(!strstr(f->detail, "user"));
		CHECK(!strstr(f->detail, "app.tgz"));
	}
	f = with_subject(&b, CONFIG_ADD_REMOTE_URL, "http");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->layer, 2);
		CHECK(strstr(f->detail, "plain HTTP") != NULL);
	}
	/* The embedded password is a secret in the history too, reported without its value. */
	CHECK_INT(count(&b, CONFIG_SECRET_IN_HISTORY), 1);
	check_redacted(&b);
	built_release(&b);
	free(extra);
	strbuf_release(&h1);

	made[0] = "COPY https://example.com/x /x";
	made[1] = "ADD file:0123abcd in / ";
	made[2] = "RUN /bin/sh -c echo ADD https://example.com/";
	extra = config_with("");
	CHECK_INT(build(&b, extra, 0, made), 0);
	CHECK_INT(b.res.nr, 0);
	built_release(&b);
	free(extra);
}

TEST(checks_config_package_cache)
{
	static const struct {
		const char *created_by;
		const char *manager; /* NULL: no finding */
	} cases[] = {
	    {"RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit", "apt"},
	    {"/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf "
	     "/var/lib/apt/lists/*",
	     NULL},
	    {"RUN /bin/sh -c /usr/bin/apt-get -y upgrade", "apt"},
	    {"RUN --mount=type=cache,target=/var/cache/apt /bin/sh -c apt-get update && apt-get install -y x",
	     NULL},
	    {"RUN /bin/sh -c apk add --no-cache curl", NULL},
	    {"RUN /bin/sh -c apk update; apk add curl", "apk"},
	    {"RUN /bin/sh -c dnf install -y gcc", "dnf"},
	    {"RUN /bin/sh -c yum install -y gcc && yum clean all", NULL},
	    {"RUN /bin/sh -c pip install flask", "pip"},
	    {"RUN /bin/sh -c python3 -m pip install --no-cache-dir flask", NULL},
	    {"RUN /bin/sh -c npm ci --omit=dev", "npm"},
	    {"RUN /bin/sh -c npm ci && npm cache clean --force", NULL},
	    {"RUN /bin/sh -c apt-cache policy; echo done", NULL},
	    {"ENV APT=apt-get install", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *made[3] = {"ADD file:0123 in /", cases[i].created_by, NULL};
		char *extra = config_with("");
		struct built b;

		CHECK_INT(build(&b, extra, 0, made), 0);
		CHECK_INT(count(&b, CONFIG_PACKAGE_CACHE), cases[i].manager != NULL);
		if (cases[i].manager && first(&b, CONFIG_PACKAGE_CACHE)) {
			CHECK_STR(first(&b, CONFIG_PACKAGE_CACHE)->subject, cases[i].manager);
			CHECK_INT(first(&b, CONFIG_PACKAGE_CACHE)->layer, 1);
			CHECK_INT(first(&b, CONFIG_PACKAGE_CACHE)->history, 1);
		}
		if (count(&b, CONFIG_PACKAGE_CACHE) != (cases[i].manager != NULL))
			fprintf(stderr, "  case %zu: %s\n", i, cases[i].created_by);
		built_release(&b);
		free(extra);
	}

	/* PIP_NO_CACHE_DIR in the environment turns pip's cache off. */
	{
		const char *made[2] = {"RUN /bin/sh -c pip install flask", NULL};
		char *extra = config_with("\"Env\": [\"PIP_NO_CACHE_DIR=1\"]");
		struct built b;

		CHECK_INT(build(&b, extra, 0, made), 0);
		CHECK_INT(b.res.nr, 0);
		built_release(&b);
		free(extra);
	}
}

TEST(checks_config_finding_caps)
{
	struct strbuf extra = STRBUF_INIT;
	struct strbuf run = STRBUF_INIT;
	struct built b;
	size_t i;

	/* Thousands of secret variables and a history line with hundreds of assignments. */
	strbuf_addstr(&extra, "{\"config\": {" QUIET_CONFIG ", \"Env\": [");
	for (i = 0; i < IMAGE_MAX_CONFIG_ENTRIES + 10; i++)
		strbuf_addf(&extra, "%s\"K%zu_TOKEN=v%zuabcdefgh\"", i ? ", " : "", i, i);
	strbuf_addstr(&extra, "]}, \"history\": [{\"created_by\": \"RUN /bin/sh -c");
	for (i = 0; i < 500; i++)
		strbuf_addf(&run, " A%zu_PASSWORD=q%zuwertyu;", i, i);
	strbuf_addstr(&extra, run.buf);
	strbuf_addstr(&extra, "\"}]}");
	CHECK_INT(build(&b, extra.buf, 0, NULL), 0);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_ENV), CONFIG_MAX_FINDINGS_PER_RULE);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_HISTORY), CONFIG_MAX_FINDINGS_PER_RULE);
	CHECK_INT(b.res.dropped, (IMAGE_MAX_CONFIG_ENTRIES - CONFIG_MAX_FINDINGS_PER_RULE) +
				     (500 - CONFIG_MAX_FINDINGS_PER_RULE));
	built_release(&b);
	strbuf_release(&extra);
	strbuf_release(&run);
}

TEST(checks_config_hostile_strings)
{
	struct strbuf extra = STRBUF_INIT;
	struct built b;
	size_t i;

	/* Control characters, a name far over the quoting cap and unterminated quotes in history. */
	strbuf_addstr(&extra,
		      "{\"config\": {" QUIET_CONFIG ", \"Env\": [\"BAD\\nNAME_SECRET\\t=abcdef12\", \"");
	for (i = 0; i < 5000; i++)
		strbuf_addch(&extra, 'X');
	strbuf_addstr(
	    &extra,
	    "_TOKEN=abcdef12\"], \"ExposedPorts\": {\"\": {}, \"22/tcp/x\": {}}}, \"history\": "
	    "[{\"created_by\": \"RUN |1 TOKEN=\\\"unterminated\"}, {\"created_by\": \"\"}, "
	    "{\"created_by\": \"ADD https://\"}, {\"created_by\": \"/bin/sh -c #(nop)\"}, "
	    "{\"created_by\": \"|\"}, {\"created_by\": \"ADD\"}, {\"created_by\": \"RUN apt-get `\"}, "
	    "{\"created_by\": \"--password==\"}]}");
	CHECK_INT(build(&b, extra.buf, 0, NULL), 0);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_ENV), 2);
	for (i = 0; i < b.res.nr; i++) {
		CHECK(strlen(b.res.findings[i].detail) < 512);
		CHECK(!strchr(b.res.findings[i].detail, '\n'));
		CHECK(!strchr(b.res.findings[i].subject, '\n'));
	}
	CHECK_INT(count(&b, CONFIG_SSH_PORT_EXPOSED), 0);
	CHECK_INT(count(&b, CONFIG_SECRET_IN_HISTORY), 1);
	CHECK_INT(count(&b, CONFIG_ADD_REMOTE_URL), 1);
	check_redacted(&b);
	built_release(&b);
	strbuf_release(&extra);
}

TEST(checks_config_rootfs_has_none)
{
	char *dir = fx_tmpdir();
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct image *img = NULL;
	struct arena arena = ARENA_INIT;
	struct config_results res = {0};

	strbuf_addf(&path, "%s/hello", dir);
	fx_write(path.buf, "x\n", 2);
	strbuf_reset(&path);
	strbuf_addf(&path, "dir:%s", dir);
	CHECK_INT(fx_open(&img, path.buf, &err), 0);
	if (img) {
		CHECK_INT(img->config.present, 0);
		CHECK_INT(img->nr_history, 0);
		config_checks_run(img, &arena, &res);
		CHECK_INT(res.nr, 0);
	}
	config_results_release(&res);
	arena_release(&arena);
	image_free(img);
	fx_rmtree(dir);
	free(dir);
	strbuf_release(&path);
	strbuf_release(&err);
}

TEST(checks_config_official_image_lines_are_quiet)
{
	/* History and settings in the style of widely used base images: nothing here is a secret. */
	static const char extra[] =
	    "{\"config\": {" QUIET_CONFIG ", \"Env\": [\"PATH=/usr/local/bin:/usr/bin\", "
	    "\"GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\", "
	    "\"PYTHON_SHA256=24887b92e2afd4a2ac602419ad4b596372f67ac9b077190f459aba390faf5550\", "
	    "\"TOKENIZERS_PARALLELISM=false\", \"SECRETS_DIR=/run/secrets\", "
	    "\"PGDATA=/var/lib/postgresql/data\", "
	    "\"JENKINS_UC=https://updates.example.com\", \"NPM_CONFIG_LOGLEVEL=info\"], \"Labels\": "
	    "{\"org.opencontainers.image.revision\": \"9f2c4a1\", \"org.opencontainers.image.url\": "
	    "\"https://example.com\"}}, \"history\": ["
	    "{\"created_by\": \"/bin/sh -c #(nop) ADD file:6b6fdb6a3b4c1e5f in / \"}, "
	    "{\"created_by\": \"/bin/sh -c #(nop)  CMD [\\\"bash\\\"]\", \"empty_layer\": true}, "
	    "{\"created_by\": \"ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\", \"empty_layer\": "
	    "true}, "
	    "{\"created_by\": \"RUN /bin/sh -c set -eux; apt-get update; apt-get install -y "
	    "--no-install-recommends "
	    "ca-certificates netbase; rm -rf /var/lib/apt/lists/* # buildkit\"}, "
	    "{\"created_by\": \"RUN /bin/sh -c set -eux; savedAptMark=\\\"$(apt-mark showmanual)\\\"; "
	    "gpg --batch --keyserver hkps://keys.example.com --recv-keys \\\"$GPG_KEY\\\"; "
	    "echo \\\"$PYTHON_SHA256 *python.tar.xz\\\" | sha256sum -c -; "
	    "pip install --disable-pip-version-check --no-cache-dir --no-compile \\\"setuptools==65.5.1\\\" "
	    "# buildkit\"}, "
	    "{\"created_by\": \"EXPOSE map[80/tcp:{}]\", \"empty_layer\": true}, "
	    "{\"created_by\": \"STOPSIGNAL SIGQUIT\", \"empty_layer\": true}, "
	    "{\"created_by\": \"RUN |2 TARGETARCH=amd64 VERSION=1.2.3 /bin/sh -c apk add --no-cache "
	    "tini\"}]}";
	const char *const made[] = {"a", "b", "c", NULL};
	struct built b;
	size_t i;

	CHECK_INT(build(&b, extra, 0, made), 0);
	CHECK_INT(b.res.nr, 0);
	for (i = 0; i < b.res.nr; i++)
		fprintf(stderr, "  unexpected: %s %s\n", config_rule_get(b.res.findings[i].rule)->id,
			b.res.findings[i].detail);
	built_release(&b);
}

TEST(checks_config_hostile_dedupe_is_bounded)
{
	struct strbuf extra = STRBUF_INIT;
	struct built b;
	size_t i;

	/* Every assignment of a huge ENV entry compared with every variable would take minutes. */
	strbuf_addstr(&extra, "{\"config\": {" QUIET_CONFIG ", \"Env\": [");
	for (i = 0; i < IMAGE_MAX_CONFIG_ENTRIES; i++)
		strbuf_addf(&extra, "%s\"V%zu=1\"", i ? ", " : "", i);
	strbuf_addstr(&extra, "]}, \"history\": [{\"created_by\": \"ENV");
	for (i = 0; i < 200000; i++)
		strbuf_addstr(&extra, " a=1");
	strbuf_addstr(&extra, "\", \"empty_layer\": true}]}");
	CHECK_INT(build(&b, extra.buf, 0, NULL), 0);
	CHECK_INT(b.res.nr, 0);
	built_release(&b);
	strbuf_release(&extra);
}

TEST(checks_config_redact_text)
{
	struct arena a = ARENA_INIT;
	const char *plain = "RUN /bin/sh -c apt-get update # buildkit";
	const char *r;

	/* Nothing to hide: the same pointer back. */
	CHECK(config_redact_text(plain, &a) == plain);
	CHECK(config_redact_text(NULL, &a) == NULL);
	r = config_redact_text("RUN |2 GIT_TOKEN=s3cr3tV4lu3x9 VERSION=1.2 /bin/sh -c make # buildkit", &a);
	CHECK_STR(r, "RUN |2 GIT_TOKEN=*** VERSION=1.2 /bin/sh -c make # buildkit");
	r = config_redact_text("/bin/sh -c #(nop)  ENV DB_PASSWORD=\"hunter2hunter2\" PATH=/bin", &a);
	CHECK_STR(r, "/bin/sh -c #(nop)  ENV DB_PASSWORD=\"***\" PATH=/bin");
	r = config_redact_text("RUN git clone https://bot:Zq8xPl2mWv@git.example/app.git", &a);
	CHECK_STR(r, "RUN git clone https://bot:***@git.example/app.git");
	r = config_redact_text("RUN curl -H 'Authorization: token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A' x", &a);
	CHECK_STR(r, "RUN curl -H 'Authorization: token ghp_***' x");
	r = config_redact_text("RUN aws configure set aws_access_key_id AKIAZ7QWERTYUIOP2345 && echo AKIA docs", &a);
	CHECK_STR(r, "RUN aws configure set aws_access_key_id AKIA*** && echo AKIA docs");
	/* Placeholders and references are not secrets and stay as written. */
	plain = "RUN echo PASSWORD=${PASSWORD} TOKEN=changeme https://user:@host/";
	CHECK(config_redact_text(plain, &a) == plain);
	arena_release(&a);
}
