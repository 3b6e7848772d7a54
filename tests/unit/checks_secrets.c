/* Unit tests of the secret detectors: each rule, look-alikes, chunk boundaries, caps and redaction. */
#include <stdlib.h>
#include <string.h>

#include "checks/secrets.h"
#include "test.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/*
 * Every secret here is made at run time from pieces and a pseudo-random body,
 * so neither this file nor the test binary holds a token that a secret scanner
 * of the repository would report.
 */
static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char upper36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void random_chars(struct strbuf *sb, size_t n, const char *charset, unsigned *seed)
{
	size_t k = strlen(charset);

	for (size_t i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		strbuf_addch(sb, charset[(*seed >> 16) % k]);
	}
}

/* The secrets planted by make_token, so the redaction test can look for them in every field. */
static struct strbuf planted[64];
static size_t nr_planted;

/* Append a token made of two prefix pieces and n random characters; remember its random part. */
static void add_token(struct strbuf *out, const char *p1, const char *p2, size_t n, const char *charset,
		      unsigned seed)
{
	struct strbuf body = STRBUF_INIT;

	random_chars(&body, n, charset, &seed);
	strbuf_addstr(out, p1);
	strbuf_addstr(out, p2);
	strbuf_addstr(out, body.buf);
	if (nr_planted < 64)
		planted[nr_planted++] = body;
	else
		strbuf_release(&body);
}

static void add_github(struct strbuf *out, char kind, unsigned seed)
{
	char prefix[4] = {'h', kind, '_', '\0'};

	add_token(out, "g", prefix, 36, base62, seed);
}

static void add_github_fine(struct strbuf *out, unsigned seed)
{
	add_token(out, "github", "_pat_", 22, base62, seed);
	add_token(out, "", "_", 59, base62, seed + 1);
}

static void add_gitlab(struct strbuf *out, unsigned seed)
{
	add_token(out, "gl", "pat-", 20, base62, seed);
}

static void add_slack(struct strbuf *out, char kind, unsigned seed)
{
	char prefix[4] = {'x', kind, '-', '\0'};

	add_token(out, "xo", prefix, 0, base62, seed);
	add_token(out, "", "", 10, "0123456789", seed);
	add_token(out, "-", "", 12, "0123456789", seed + 1);
	add_token(out, "-", "", 24, base62, seed + 2);
}

static void add_aws_id(struct strbuf *out, const char *kind, unsigned seed)
{
	add_token(out, "A", kind, 16, upper36, seed);
}

/* A 40-character secret access key; the fixed "aB3" keeps the mix of classes the detector wants. */
static void add_aws_secret(struct strbuf *out, unsigned seed)
{
	add_token(out, "aB", "3", 37, base64, seed);
}

static void add_pem(struct strbuf *out, const char *label, const char *headers, unsigned seed)
{
	strbuf_addf(out, "-----BEGIN %s PRIV", label);
	strbuf_addf(out, "ATE KEY-----\n%s", headers);
	for (int i = 0; i < 3; i++) {
		add_token(out, "", "", 64, base64, seed + (unsigned)i);
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "-----END %s PRIV", label);
	strbuf_addstr(out, "ATE KEY-----\n");
}

static void forget_planted(void)
{
	for (size_t i = 0; i < nr_planted; i++)
		strbuf_release(&planted[i]);
	nr_planted = 0;
}

struct run {
	struct arena arena;
	struct secrets *s;
	const struct secret_finding *f;
	size_t nr;
};

static void run_start(struct run *r, const struct secrets_limits *limits)
{
	r->arena = (struct arena)ARENA_INIT;
	r->s = secrets_new(&r->arena, limits);
}

/* Scan one file fed in chunks of `chunk` bytes (0: all at once). */
static void run_file(struct run *r, const char *path, const char *text, size_t len, size_t chunk)
{
	secrets_file_begin(r->s, path);
	if (!chunk)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len; off += chunk)
		secrets_feed(r->s, text + off, len - off < chunk ? len - off : chunk);
	secrets_file_end(r->s);
	r->f = secrets_findings(r->s, &r->nr);
}

static void run_end(struct run *r)
{
	secrets_free(r->s);
	arena_release(&r->arena);
}

/* Scan text as one file and return how many findings it gave; the first is copied to *first. */
static size_t scan_one(const char *path, const char *text, struct secret_finding *first, struct arena *keep)
{
	struct run r;
	size_t nr;

	run_start(&r, NULL);
	run_file(&r, path, text, strlen(text), 0);
	nr = r.nr;
	if (first && nr) {
		*first = r.f[0];
		first->path = arena_strdup(keep, r.f[0].path);
		first->excerpt = arena_strdup(keep, r.f[0].excerpt);
	}
	run_end(&r);
	return nr;
}

TEST(checks_secrets_rules_table)
{
	for (int i = 0; i < SECRET_RULE_COUNT; i++) {
		const struct secret_rule *rule = secret_rule_get((enum secret_rule_id)i);
		char want[16];

		snprintf(want, sizeof(want), "CUS-SEC-%03d", i + 1);
		CHECK_STR(rule->id, want);
		CHECK(rule->title[0] && rule->why[0] && rule->remediation[0]);
		CHECK(rule->severity >= SEVERITY_LOW && rule->severity <= SEVERITY_CRITICAL);
	}
	CHECK(secret_rule_get(SECRET_RULE_COUNT) == NULL);
	CHECK_INT(secret_rule_get(SECRET_AWS_SECRET_ACCESS_KEY)->severity, SEVERITY_CRITICAL);
}

TEST(checks_secrets_pem_keys)
{
	static const char *const labels[] = {"RSA", "EC", "DSA", "ENCRYPTED", NULL};
	struct arena keep = ARENA_INIT;
	struct secret_finding f;

	for (int i = 0; labels[i]; i++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "# deploy key\n\n");
		add_pem(&sb, labels[i], "", 10 + (unsigned)i);
		CHECK_INT(scan_one("etc/ssl/private/server.key", sb.buf, &f, &keep), 1);
		CHECK_INT(f.rule, SECRET_PEM_PRIVATE_KEY);
		CHECK_INT(f.line, 3);
		CHECK(strstr(f.excerpt, labels[i]) != NULL);
		strbuf_release(&sb);
	}
	/* PKCS#8 has no algorithm in its label; legacy encrypted PEM has headers before the body. */
	{
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "-----BEGIN PRIV");
		strbuf_addstr(&sb, "ATE KEY-----\r\n");
		add_token(&sb, "", "", 64, base64, 5);
		strbuf_addstr(&sb, "\r\n");
		CHECK_INT(scan_one("app/key.pem", sb.buf, &f, &keep), 1);
		CHECK_INT(f.rule, SECRET_PEM_PRIVATE_KEY);
		strbuf_reset(&sb);
		add_pem(&sb, "RSA",
			"Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n",
			6);
		CHECK_INT(scan_one("app/key.pem", sb.buf, &f, &keep), 1);
		strbuf_release(&sb);
	}
	arena_release(&keep);
	forget_planted();
}

TEST(checks_secrets_openssh_key)
{
	struct arena keep = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct secret_finding f;

	add_pem(&sb, "OPENSSH", "", 20);
	CHECK_INT(scan_one("root/.ssh/id_ed25519", sb.buf, &f, &keep), 1);
	CHECK_INT(f.rule, SECRET_OPENSSH_PRIVATE_KEY);
	CHECK_STR(f.path, "root/.ssh/id_ed25519");
	CHECK_INT(f.line, 1);
	strbuf_release(&sb);
	arena_release(&keep);
	forget_planted();
}

TEST(checks_secrets_aws)
{
	struct arena keep = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct secret_finding f;

	strbuf_addstr(&sb, "x = 1\naws_access_key_id = ");
	add_aws_id(&sb, "KIA", 30);
	strbuf_addch(&sb, '\n');
	CHECK_INT(scan_one("app/main.py", sb.buf, &f, &keep), 1);
	CHECK_INT(f.rule, SECRET_AWS_ACCESS_KEY_ID);
	CHECK_STR(f.excerpt, "AKIA****************");
	CHECK_INT(f.line, 2);

	/* With its secret key on the next line, either order, it is a credential. */
	strbuf_addstr(&sb, "aws_secret_access_key = ");
	add_aws_secret(&sb, 31);
	strbuf_addch(&sb, '\n');
	CHECK_INT(scan_one("root/.aws/credentials", sb.buf, &f, &keep), 1);
	CHECK_INT(f.rule, SECRET_AWS_SECRET_ACCESS_KEY);
	CHECK_INT(f.line, 2);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "{\"SecretAccessKey\": \"");
	add_aws_secret(&sb, 32);
	strbuf_addstr(&sb, "\", \"AccessKeyId\": \"");
	add_aws_id(&sb, "SIA", 33);
	strbuf_addstr(&sb, "\"}");
	CHECK_INT(scan_one("tmp/session.json", sb.buf, &f, &keep), 1);
	CHECK_INT(f.rule, SECRET_AWS_SECRET_ACCESS_KEY);
	CHECK(!strncmp(f.excerpt, "ASIA****************", 20));
	strbuf_release(&sb);
	arena_release(&keep);
	forget_planted();
}

TEST(checks_secrets_github)
{
	static const char kinds[] = "pousr";
	struct arena keep = ARENA_INIT;
	struct secret_finding f;

	for (int i = 0; kinds[i]; i++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "GITHUB_TOKEN=\"");
		add_github(&sb, kinds[i], 40 + (unsigned)i);
		strbuf_addstr(&sb, "\"\n");
		CHECK_INT(scan_one("app/run.sh", sb.buf, &f, &keep), 1);
		CHECK_INT(f.rule, SECRET_GITHUB_TOKEN);
		CHECK_INT(strlen(f.excerpt), strlen("ghp_\xe2\x80\xa6 (40 chars)"));
		CHECK(!strncmp(f.excerpt, "gh", 2) && f.excerpt[2] == kinds[i]);
		strbuf_release(&sb);
	}
	{
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "token: ");
		add_github_fine(&sb, 50);
		CHECK_INT(scan_one("app/notes.txt", sb.buf, &f, &keep), 1);
		CHECK_STR(f.excerpt, "github_pat_\xe2\x80\xa6 (93 chars)");
		strbuf_release(&sb);
	}
	arena_release(&keep);
	forget_planted();
}

TEST(checks_secrets_gitlab_and_slack)
{
	static const char kinds[] = "baprs";
	struct arena keep = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct secret_finding f;

	add_gitlab(&sb, 60);
	strbuf_addstr(&sb, ".\n");
	CHECK_INT(scan_one("app/README", sb.buf, &f, &keep), 1);
	CHECK_INT(f.rule, SECRET_GITLAB_TOKEN);
	CHECK_STR(f.excerpt, "glpat-\xe2\x80\xa6 (26 chars)");
	for (int i = 0; kinds[i]; i++) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "slack:\n  token: ");
		add_slack(&sb, kinds[i], 70 + (unsigned)i);
		CHECK_INT(scan_one("app/bot.js", sb.buf, &f, &keep), 1);
		CHECK_INT(f.rule, SECRET_SLACK_TOKEN);
		CHECK_INT(f.line, 2);
		CHECK(!strncmp(f.excerpt, "xox", 3) && f.excerpt[3] == kinds[i]);
	}
	strbuf_release(&sb);
	arena_release(&keep);
	forget_planted();
}

TEST(checks_secrets_generic_assignments)
{
	static const char *const cases[][2] = {
	    {"app/.env", "DB_PASSWORD=%s\n"},
	    {"app/.env.production", "export API_KEY='%s'\n"},
	    {"srv/prod.env", "SECRET = \"%s\"\n"},
	    {"etc/app/config.yaml", "db:\n  password: %s\n"},
	    {"etc/app/config.yml", "auth:\n  \"access_token\": \"%s\"\n"},
	    {"etc/app.ini", "[db]\npasswd = %s\n"},
	    {"etc/app.conf", "client_secret=%s;\n"},
	    {"opt/app/application.properties", "spring.datasource.password=%s\n"},
	    {"etc/app/config.toml", "api-key = \"%s\"\n"},
	    {"root/.npmrc", "//npm.example.test/:_authToken=%s\n"},
	    {NULL, NULL},
	};
	struct arena keep = ARENA_INIT;
	struct secret_finding f;

	for (int i = 0; cases[i][0]; i++) {
		struct strbuf value = STRBUF_INIT, sb = STRBUF_INIT;
		unsigned seed = 80 + (unsigned)i;

		random_chars(&value, 14, base62, &seed);
		strbuf_addf(&sb, cases[i][1], value.buf);
		if (scan_one(cases[i][0], sb.buf, &f, &keep) != 1) {
			fprintf(stderr, "  no finding in %s\n", cases[i][0]);
			test_failed = 1;
		} else {
			CHECK_INT(f.rule, SECRET_GENERIC_PASSWORD);
			CHECK(strstr(f.excerpt, "(14 chars)") != NULL);
			CHECK(strstr(f.excerpt, value.buf) == NULL);
		}
		/* The same line in a file that is not configuration is left alone. */
		CHECK_INT(scan_one("app/main.py", sb.buf, NULL, NULL), 0);
		CHECK_INT(scan_one("app/settings.json", sb.buf, NULL, NULL), 0);
		strbuf_release(&value);
		strbuf_release(&sb);
	}
	CHECK(scan_one("etc/app.ini", "x=1\n\nuser_password = s3cr3tValue\n", &f, &keep) == 1 && f.line == 3);
	CHECK_STR(f.excerpt, "user_password=\xe2\x80\xa6 (11 chars)");
	arena_release(&keep);
}

TEST(checks_secrets_generic_placeholders)
{
	static const char *const lines[] = {
	    "password=",
	    "password=\"\"",
	    "password=changeme",
	    "password=ChangeMe123",
	    "password=${DB_PASSWORD}",
	    "password=$DB_PASSWORD",
	    "password=<password>",
	    "password: <your password here>",
	    "password=xxxxxxxx",
	    "password=********",
	    "password=abababab",
	    "password=short",
	    "password: \"{{ vault_db_password }}\"",
	    "password=%(db_password)s",
	    "password: !vault |",
	    "password=/run/secrets/db_password",
	    "token: null",
	    "password: true",
	    "secret=example-secret",
	    "api_key=YOUR_API_KEY",
	    "password=redacted",
	    "password: *default_password",
	    "password_min_length=12345678",
	    "password_file=/etc/app/pw.txt",
	    "if password == expected_pw",
	    "password=\"unterminated value",
	    "secret=placeholder",
	    "token: ENC[AES256_GCM,data:abc]",
	    "password=https://vault.internal/v1/secret",
	    "password=...",
	    "password: |",
	    NULL,
	};
	for (int i = 0; lines[i]; i++) {
		if (scan_one("app/.env", lines[i], NULL, NULL)) {
			fprintf(stderr, "  reported a look-alike: %s\n", lines[i]);
			test_failed = 1;
		}
	}
}

TEST(checks_secrets_look_alikes)
{
	struct strbuf sb = STRBUF_INIT;
	struct arena keep = ARENA_INIT;
	struct secret_finding f;

	/* Wrong lengths and charsets, and tokens glued to other words. */
	add_token(&sb, "gh", "p_", 35, base62, 2);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "gh", "p_", 37, base62, 3);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "gh", "x_", 36, base62, 4);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "xgh", "p_", 36, base62, 5);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "gh", "p_", 36, "x", 6);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "github", "_pat_", 21, base62, 7);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "gl", "pat-", 19, base62, 8);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "gl", "pat-", 20, "x", 8);
	strbuf_addch(&sb, '\n');
	strbuf_addstr(&sb, "xoxb-not-a-real-token-at-all\nxoxq-1234567890-1234567890-abcdefghijkl\n");
	add_token(&sb, "AK", "IA", 15, upper36, 9);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "AK", "IA", 17, upper36, 10);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "XAK", "IA", 16, upper36, 11);
	strbuf_addch(&sb, '\n');
	add_token(&sb, "AK", "IA", 16, "abcdefghijklmnop", 12);
	strbuf_addch(&sb, '\n');
	/* AWS's documented example ID, whole and in pieces. */
	strbuf_addstr(&sb, "AKIAIOSF");
	strbuf_addstr(&sb, "ODNN7EXAMPLE\n");
	strbuf_addstr(&sb, "AKIA");
	strbuf_addstr(&sb, "XXXXXXXXXXXXXXXX\n");
	/* Public keys, certificates, and a private key header in code with no body. */
	strbuf_addstr(&sb, "-----BEGIN PUBLIC "
			   "KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEabcdefghijklmnopqrstuvwxyz0123\n");
	strbuf_addstr(
	    &sb, "-----BEGIN "
		 "CERTIFICATE-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEabcdefghijklmnopqrstuvwxyz0123\n");
	strbuf_addstr(&sb, "if (strstr(s, \"-----BEGIN RSA PRIV");
	strbuf_addstr(&sb, "ATE KEY-----\\n\"))\n");
	strbuf_addstr(&sb, "marker = '-----BEGIN EC PRIV");
	strbuf_addstr(&sb, "ATE KEY-----'\nnext line\n");
	CHECK_INT(scan_one("app/lookalikes.txt", sb.buf, &f, &keep), 0);
	CHECK_INT(scan_one("app/.env", sb.buf, &f, &keep), 0);

	/* A 40-digit hex digest next to an ID is not its secret key. */
	strbuf_reset(&sb);
	add_aws_id(&sb, "KIA", 13);
	strbuf_addstr(&sb, "\ncommit 0123456789abcdef0123456789abcdef01234567\n");
	CHECK_INT(scan_one("app/log", sb.buf, &f, &keep), 1);
	CHECK_INT(f.rule, SECRET_AWS_ACCESS_KEY_ID);
	strbuf_release(&sb);
	arena_release(&keep);
	forget_planted();
}

/* A file with every kind of secret, to split and cap. */
static void make_corpus(struct strbuf *sb)
{
	strbuf_addstr(sb, "# settings\nDB_PASSWORD=Zq8vW2mN4pL7\n");
	add_pem(sb, "RSA", "", 100);
	add_pem(sb, "OPENSSH", "", 110);
	strbuf_addstr(sb, "aws_access_key_id=");
	add_aws_id(sb, "KIA", 120);
	strbuf_addstr(sb, "\r\naws_secret_access_key=");
	add_aws_secret(sb, 121);
	strbuf_addstr(sb, "\r\nkey2=");
	add_aws_id(sb, "SIA", 122);
	strbuf_addstr(sb, "\ngh=");
	add_github(sb, 'p', 123);
	strbuf_addstr(sb, " fine=");
	add_github_fine(sb, 124);
	strbuf_addstr(sb, "\ngl=");
	add_gitlab(sb, 126);
	strbuf_addstr(sb, "\nslack=");
	add_slack(sb, 'b', 127);
	strbuf_addstr(sb, "\napi_key: Pq9rT3xY7wK2\n");
}

/* "rule:line:excerpt|..." for the run's findings, to compare runs. */
static void summarise(const struct run *r, struct strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < r->nr; i++)
		strbuf_addf(out, "%d:%llu:%s|", (int)r->f[i].rule, (unsigned long long)r->f[i].line,
			    r->f[i].excerpt);
}

TEST(checks_secrets_chunk_boundaries)
{
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct run r;

	make_corpus(&text);
	run_start(&r, NULL);
	run_file(&r, "app/.env", text.buf, text.len, 0);
	summarise(&r, &want);
	run_end(&r);
	CHECK_INT(r.nr, 11);

	/* Two chunks, split at every offset. */
	for (size_t k = 0; k <= text.len; k++) {
		run_start(&r, NULL);
		secrets_file_begin(r.s, "app/.env");
		secrets_feed(r.s, text.buf, k);
		secrets_feed(r.s, text.buf + k, text.len - k);
		secrets_file_end(r.s);
		r.f = secrets_findings(r.s, &r.nr);
		summarise(&r, &got);
		if (strcmp(got.buf, want.buf)) {
			fprintf(stderr, "  split at %zu: %s\n", k, got.buf);
			test_failed = 1;
		}
		run_end(&r);
	}
	/* One byte at a time, and odd sizes. */
	for (size_t chunk = 1; chunk < 100; chunk += 7) {
		run_start(&r, NULL);
		run_file(&r, "app/.env", text.buf, text.len, chunk);
		summarise(&r, &got);
		CHECK_STR(got.buf, want.buf);
		run_end(&r);
	}
	strbuf_release(&text);
	strbuf_release(&want);
	strbuf_release(&got);
	forget_planted();
}

/* Secrets straddling the scanner's internal buffer refills, deep in a large file. */
TEST(checks_secrets_large_file)
{
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	size_t lines = 0, found_lines[8], nr_found = 0;
	struct run r;

	/* Filler lines of 61 bytes; a token every ~20,000 bytes crosses many 64 KiB boundaries. */
	for (int block = 0; block < 8; block++) {
		for (int i = 0; i < 330; i++) {
			strbuf_addstr(&text, "the quick brown fox-jumps over_the lazy dog; AKIA is not I.\n");
			lines++;
		}
		strbuf_addstr(&text, "gh = ");
		add_github(&text, 'p', 200 + (unsigned)block);
		strbuf_addch(&text, '\n');
		found_lines[nr_found++] = ++lines;
	}
	run_start(&r, NULL);
	run_file(&r, "app/big.log", text.buf, text.len, 0);
	CHECK_INT(r.nr, 8);
	for (size_t i = 0; i < r.nr && i < 8; i++)
		CHECK_INT(r.f[i].line, found_lines[i]);
	summarise(&r, &want);
	run_end(&r);
	for (size_t chunk = 1; chunk < 70000; chunk = chunk * 3 + 1) {
		run_start(&r, NULL);
		run_file(&r, "app/big.log", text.buf, text.len, chunk);
		summarise(&r, &got);
		CHECK_STR(got.buf, want.buf);
		run_end(&r);
	}
	strbuf_release(&text);
	strbuf_release(&want);
	strbuf_release(&got);
	forget_planted();
}

TEST(checks_secrets_binary_files)
{
	struct strbuf text = STRBUF_INIT;
	struct run r, one_chunk;

	strbuf_addstr(&text, "\x7f"
			     "ELF");
	strbuf_addch(&text, '\0');
	strbuf_addstr(&text, "...");
	add_github(&text, 'p', 300);
	strbuf_addch(&text, '\n');
	run_start(&r, NULL);
	run_file(&r, "usr/bin/tool", text.buf, text.len, 3);
	CHECK_INT(r.nr, 0);
	CHECK_INT(secrets_stats(r.s)->files_binary, 1);
	/* In one chunk, the verdict comes before any byte is copied or counted as scanned. */
	run_start(&one_chunk, NULL);
	run_file(&one_chunk, "usr/bin/tool", text.buf, text.len, text.len);
	CHECK_INT(one_chunk.nr, 0);
	CHECK_INT(secrets_stats(one_chunk.s)->files_binary, 1);
	CHECK(secrets_stats(one_chunk.s)->bytes_scanned == 0);
	run_end(&one_chunk);

	/* A NUL byte after the first 8 KiB does not make a file binary. */
	strbuf_reset(&text);
	for (int i = 0; i < 9000; i++)
		strbuf_addch(&text, 'a' + i % 26);
	strbuf_addch(&text, '\0');
	strbuf_addch(&text, '\n');
	add_github(&text, 'p', 301);
	run_file(&r, "usr/share/data.txt", text.buf, text.len, 1000);
	CHECK_INT(r.nr, 1);

	/* Key files are read whatever bytes they hold. */
	strbuf_reset(&text);
	strbuf_addch(&text, '\0');
	strbuf_addch(&text, '\n');
	add_pem(&text, "EC", "", 302);
	run_file(&r, "etc/keys/host.pem", text.buf, text.len, 0);
	CHECK_INT(r.nr, 2);
	CHECK_INT(secrets_stats(r.s)->files_binary, 1);
	CHECK_INT(secrets_stats(r.s)->files, 3);
	run_end(&r);
	strbuf_release(&text);
	forget_planted();
}

TEST(checks_secrets_caps)
{
	struct secrets_limits limits = {4096, 3};
	struct strbuf text = STRBUF_INIT;
	struct run r;

	for (int i = 0; i < 10; i++) {
		add_github(&text, 'p', 400 + (unsigned)i);
		strbuf_addch(&text, '\n');
	}
	run_start(&r, &limits);
	run_file(&r, "app/tokens.txt", text.buf, text.len, 7);
	CHECK_INT(r.nr, 3);
	CHECK_INT(secrets_stats(r.s)->files_capped, 1);

	/* Bytes past max_file_bytes are not read: the token at 5000 is not found. */
	strbuf_reset(&text);
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&text, i % 64 == 63 ? '\n' : '.');
	add_github(&text, 'p', 420);
	strbuf_addch(&text, '\n');
	run_file(&r, "app/long.txt", text.buf, text.len, 1024);
	CHECK_INT(r.nr, 3);
	CHECK_INT(secrets_stats(r.s)->files_truncated, 1);
	CHECK_INT(secrets_stats(r.s)->bytes_scanned, 10 * 41 + 4096);
	run_end(&r);
	strbuf_release(&text);
	forget_planted();
}

TEST(checks_secrets_redaction_never_leaks)
{
	struct strbuf text = STRBUF_INIT;
	struct run r;
	const char *values[] = {"Zq8vW2mN4pL7", "Pq9rT3xY7wK2"};

	make_corpus(&text);
	run_start(&r, NULL);
	run_file(&r, "app/.env", text.buf, text.len, 0);
	CHECK_INT(r.nr, 11);
	for (size_t i = 0; i < r.nr; i++) {
		const char *fields[] = {r.f[i].path, r.f[i].excerpt, secret_rule_get(r.f[i].rule)->title};

		for (size_t k = 0; k < sizeof(fields) / sizeof(*fields); k++) {
			CHECK(utf8_is_valid(fields[k], strlen(fields[k])));
			/* No 6 characters in a row of any planted secret appear anywhere. */
			for (size_t p = 0; p < nr_planted; p++)
				for (size_t o = 0; o + 6 <= planted[p].len; o++)
					if (memmem(fields[k], strlen(fields[k]), planted[p].buf + o, 6)) {
						fprintf(stderr, "  leaked in \"%s\"\n", fields[k]);
						test_failed = 1;
					}
			for (size_t v = 0; v < 2; v++)
				CHECK(!strstr(fields[k], values[v]) && !strstr(fields[k], values[v] + 4));
		}
	}
	run_end(&r);
	strbuf_release(&text);
	forget_planted();
}

TEST(checks_secrets_several_files)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct run r;

	strbuf_addstr(&a, "one\ntwo\n");
	add_gitlab(&a, 500);
	add_github(&b, 'o', 501);
	run_start(&r, NULL);
	run_file(&r, "a/one.txt", a.buf, a.len, 0);
	secrets_file_begin(r.s, "b/\xff.txt");
	secrets_feed(r.s, b.buf, b.len);
	/* Beginning the next file ends this one. */
	secrets_file_begin(r.s, "c/empty");
	secrets_file_end(r.s);
	secrets_file_end(r.s);
	r.f = secrets_findings(r.s, &r.nr);
	CHECK_INT(r.nr, 2);
	if (r.nr == 2) {
		CHECK_STR(r.f[0].path, "a/one.txt");
		CHECK_INT(r.f[0].line, 3);
		CHECK_STR(r.f[1].path, "b/\xef\xbf\xbd.txt");
		CHECK_INT(r.f[1].line, 1);
	}
	CHECK_INT(secrets_stats(r.s)->files, 3);
	run_end(&r);
	strbuf_release(&a);
	strbuf_release(&b);
	forget_planted();
}

TEST(checks_secrets_config_paths)
{
	static const char *const yes[] = {".env",
					  "app/.env",
					  "app/.env.local",
					  "srv/prod.env",
					  "etc/my.cnf",
					  "etc/app.conf",
					  "etc/app.CFG",
					  "etc/php.ini",
					  "a/b.properties",
					  "k8s/values.yaml",
					  "ci.yml",
					  "pyproject.toml",
					  "root/.npmrc",
					  "root/.pypirc",
					  "etc/distro.conf",
					  "etc/examplesite.yaml",
					  NULL};
	static const char *const no[] = {"app/.env.example",
					 "app/.env.sample",
					 "etc/app.conf.dist",
					 "config.template.yaml",
					 "app/settings_example.ini",
					 "app/.env.dist",
					 "usr/share/doc/pkg/examples/app.conf",
					 "app/settings.json",
					 "app/main.py",
					 "app/environment",
					 "app/env",
					 "app/yaml",
					 NULL};

	for (int i = 0; yes[i]; i++)
		if (!secrets_path_is_config(yes[i])) {
			fprintf(stderr, "  not config: %s\n", yes[i]);
			test_failed = 1;
		}
	for (int i = 0; no[i]; i++)
		if (secrets_path_is_config(no[i])) {
			fprintf(stderr, "  config: %s\n", no[i]);
			test_failed = 1;
		}
}

TEST(checks_secrets_generic_comments_and_lists)
{
	CHECK_INT(scan_one("etc/app.conf", "# password = Zq8vW2mN4pL7\n", NULL, NULL), 0);
	CHECK_INT(scan_one("etc/app.ini", "  ; secret=Zq8vW2mN4pL7\n", NULL, NULL), 0);
	CHECK_INT(
	    scan_one("etc/app.yaml", "  description: 'automountServiceAccountToken: false',\n", NULL, NULL),
	    0);
	CHECK_INT(scan_one("etc/ssl/openssl.cnf", "secret = pass:insta # a demo\n", NULL, NULL), 0);
	CHECK_INT(scan_one("etc/app.conf", "x = 1 # password = Zq8vW2mN4pL7\n", NULL, NULL), 1);
}
