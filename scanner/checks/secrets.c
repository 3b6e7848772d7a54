/* Secret detectors driven by anchor bytes, over a sliding window that survives chunk boundaries. */
#include "checks/secrets.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/path.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static const struct secret_rule rules[] = {
#define SECRET_RULE(name, id, severity, title, why, remediation) {id, severity, title, why, remediation},
#include "checks/secret_rules.def"
#undef SECRET_RULE
};

#define DEFAULT_MAX_FILE_BYTES ((size_t)1 << 20)
#define DEFAULT_MAX_FINDINGS 16
#define BINARY_PROBE 8192
/*
 * Every anchor is examined once, when LOOKAHEAD bytes follow it or the file
 * has ended, and the LOOKBEHIND bytes before it are still in the buffer. The
 * longest look is the AWS secret key search, 256 bytes either side of an ID.
 */
#define LOOKAHEAD 512
#define LOOKBEHIND 320
#define AWS_PAIR_DISTANCE 256
/* Bytes copied in per step: large enough that memchr runs long, small enough to stay in cache. */
#define SLICE (64 * 1024)
#define BUF_SIZE (SLICE + LOOKAHEAD + LOOKBEHIND)

enum file_state {
	FILE_NONE,    /* no file open */
	FILE_PROBING, /* waiting for BINARY_PROBE bytes to tell text from binary */
	FILE_SCANNING,
	FILE_SKIPPED, /* binary, or the findings cap reached */
};

struct secrets {
	struct arena *arena;
	struct secrets_limits limits;
	struct secrets_stats stats;
	struct secret_finding *findings;
	size_t nr, alloc;

	/* The open file. */
	enum file_state state;
	const char *path;
	const char *path_copy; /* made at the first finding */
	int config_file, key_file;
	uint64_t fed;
	size_t file_first_finding; /* index of its first finding in findings */
	size_t file_findings;

	/* buf[0] is byte buf_offset of the file, on line buf_line; anchors before scan_from are done. */
	unsigned char *buf;
	size_t len, scan_from;
	uint64_t buf_offset, buf_line;
	int at_eof;
	int truncated;
};

const struct secret_rule *secret_rule_get(enum secret_rule_id rule)
{
	if ((unsigned)rule >= SECRET_RULE_COUNT)
		return NULL;
	return &rules[rule];
}

struct secrets *secrets_new(struct arena *arena, const struct secrets_limits *limits)
{
	struct secrets *s = xcalloc(1, sizeof(*s));

	s->arena = arena;
	if (limits)
		s->limits = *limits;
	if (!s->limits.max_file_bytes)
		s->limits.max_file_bytes = DEFAULT_MAX_FILE_BYTES;
	if (!s->limits.max_findings_per_file)
		s->limits.max_findings_per_file = DEFAULT_MAX_FINDINGS;
	s->buf = xmalloc(BUF_SIZE);
	return s;
}

void secrets_free(struct secrets *s)
{
	if (!s)
		return;
	if (s->state != FILE_NONE)
		secrets_file_end(s);
	free(s->buf);
	free(s->findings);
	free(s);
}

const struct secret_finding *secrets_findings(const struct secrets *s, size_t *nr)
{
	*nr = s->nr;
	return s->findings;
}

const struct secrets_stats *secrets_stats(const struct secrets *s)
{
	return &s->stats;
}

/* --- file names ---------------------------------------------------------------------------- */

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !strncasecmp(s + len - n, suffix, n);
}

/* Whether one of the words of a file name, split at '.', '-' and '_', says it is an example. */
static int named_as_example(const char *base)
{
	static const char *const words[] = {"example", "examples", "sample", "template",
					    "tmpl",    "dist",	   NULL};

	while (*base) {
		size_t n = strcspn(base, ".-_");

		for (const char *const *w = words; *w; w++)
			if (n == strlen(*w) && !strncasecmp(base, *w, n))
				return 1;
		base += n;
		if (*base)
			base++;
	}
	return 0;
}

int secrets_path_is_config(const char *path)
{
	static const char *const suffixes[] = {
	    ".env", ".conf", ".cfg", ".cnf", ".ini", ".properties", ".yaml", ".yml", ".toml", NULL,
	};
	const char *base = path_basename(path);
	size_t len = strlen(base);

	/* ".env.example" and "app.sample.ini" are documentation, full of placeholder values. */
	if (path_is_under(path, "usr/share/doc") || named_as_example(base))
		return 0;
	if (!strcmp(base, ".env") || !strncmp(base, ".env.", 5) || !strcmp(base, ".npmrc") ||
	    !strcmp(base, ".pypirc"))
		return 1;
	for (const char *const *x = suffixes; *x; x++)
		if (ends_with(base, len, *x))
			return 1;
	return 0;
}

/* Files whose name says they hold a key are scanned even when they look binary. */
static int path_is_key_file(const char *path)
{
	static const char *const suffixes[] = {".pem", ".key", ".p8", ".ppk", ".asc", NULL};
	static const char *const names[] = {"id_rsa",	   "id_dsa",	    "id_ecdsa", "id_ed25519",
					    "id_ecdsa_sk", "id_ed25519_sk", NULL};
	const char *base = path_basename(path);
	size_t len = strlen(base);

	for (const char *const *x = suffixes; *x; x++)
		if (ends_with(base, len, *x))
			return 1;
	for (const char *const *n = names; *n; n++)
		if (!strcmp(base, *n))
			return 1;
	return 0;
}

/* --- character classes --------------------------------------------------------------------- */

static int is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_upper_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

static int is_word(int c)
{
	return is_alnum(c) || c == '_';
}

static int is_base64(int c)
{
	return is_alnum(c) || c == '+' || c == '/';
}

/* The byte at pos, or -1 before the start of the file or after its end as far as it is known. */
static int byte_at(const struct secrets *s, ptrdiff_t pos)
{
	if (pos < 0 || (size_t)pos >= s->len)
		return -1;
	return s->buf[pos];
}

static size_t span(const struct secrets *s, size_t pos, size_t max, int (*class)(int))
{
	size_t n = 0;

	while (n < max && pos + n < s->len && class(s->buf[pos + n]))
		n++;
	return n;
}

/* --- findings ------------------------------------------------------------------------------ */

/*
 * Newlines in p[0..n), eight bytes at a time: every byte is counted once on
 * its way out of the window, and a memchr call per line cost more than the
 * detectors.
 */
static uint64_t count_newlines(const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t count = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v, x;

		memcpy(&v, p + i, 8);
		x = v ^ (ones * '\n');
		/*
		 * The high bit of each byte of ~(...) is set exactly where x has a
		 * zero byte; the multiplication adds those bits up in the top byte,
		 * without the library call a popcount is on baseline x86-64.
		 */
		count += (((~(((x & low7) + low7) | x | low7)) >> 7) * ones) >> 56;
	}
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}

static uint64_t line_at(const struct secrets *s, size_t pos)
{
	return s->buf_line + count_newlines(s->buf, pos);
}

/* Record a finding at pos; excerpt is already redacted. Returns 0, or -1 once the file's cap is reached. */
static int add_finding(struct secrets *s, enum secret_rule_id rule, size_t pos, const char *excerpt)
{
	struct secret_finding *f;

	if (s->file_findings >= s->limits.max_findings_per_file)
		return -1;
	if (!s->path_copy) {
		char *clean = utf8_sanitize(s->path, strlen(s->path));

		s->path_copy = arena_strdup(s->arena, clean);
		free(clean);
	}
	ALLOC_GROW(s->findings, s->nr + 1, s->alloc);
	f = &s->findings[s->nr++];
	f->rule = rule;
	f->path = s->path_copy;
	f->line = line_at(s, pos);
	f->excerpt = arena_strdup(s->arena, excerpt);
	s->file_findings++;
	return 0;
}

/* "ghp_… (40 chars)": the public prefix and the length, nothing of the secret part. */
static int add_token(struct secrets *s, enum secret_rule_id rule, size_t start, size_t prefix_len,
		     size_t token_len)
{
	char excerpt[96];

	snprintf(excerpt, sizeof(excerpt), "%.*s\xe2\x80\xa6 (%zu chars)", (int)prefix_len,
		 (const char *)s->buf + start, token_len);
	return add_finding(s, rule, start, excerpt);
}

/*
 * Fewer than min_distinct different bytes: "xxxxxxxx", "********", "abababab".
 * Real tokens are random, placeholders are not.
 */
static int low_diversity(const unsigned char *p, size_t n, unsigned min_distinct)
{
	unsigned char seen[256] = {0};
	unsigned distinct = 0;

	for (size_t i = 0; i < n && distinct < min_distinct; i++)
		if (!seen[p[i]]++)
			distinct++;
	return distinct < min_distinct;
}

/* --- detectors, one per anchor byte -------------------------------------------------------- */

static int is_pem_label(int c)
{
	return is_upper_alnum(c) || c == ' ';
}

static int is_base64_or_pad(int c)
{
	return is_base64(c) || c == '=';
}

/*
 * "-----BEGIN <label>-----" where the label ends in "PRIVATE KEY" (or "PRIVATE
 * KEY BLOCK", PGP), at the end of its line and followed within a few lines by
 * a line of base64. The body requirement leaves out the header strings that
 * crypto libraries keep in their code, such as "-----BEGIN RSA PRIVATE KEY-----\n"
 * in a source string, whose "\n" is two characters.
 */
static void detect_pem(struct secrets *s, size_t a)
{
	static const char begin[] = "-----BEGIN ";
	size_t label = a + sizeof(begin) - 1, n, p, end;
	const char *l;
	char excerpt[96];
	int openssh;

	if (s->len - a < sizeof(begin) - 1 || memcmp(s->buf + a, begin, sizeof(begin) - 1))
		return;
	n = span(s, label, 48, is_pem_label);
	if (n < 11 || s->len - (label + n) < 5 || memcmp(s->buf + label + n, "-----", 5))
		return;
	l = (const char *)s->buf + label;
	if (!(n >= 11 && !memcmp(l + n - 11, "PRIVATE KEY", 11)) &&
	    !(n >= 17 && !memcmp(l + n - 17, "PRIVATE KEY BLOCK", 17)))
		return;
	openssh = n == 19 && !memcmp(l, "OPENSSH PRIVATE KEY", 19);
	p = label + n + 5;
	if (byte_at(s, (ptrdiff_t)p) == '\r')
		p++;
	if (byte_at(s, (ptrdiff_t)p) != '\n')
		return;
	p++;
	/* Encrypted PEM and PGP armour put "Name: value" lines and a blank line before the base64. */
	end = p + 256 < s->len ? p + 256 : s->len;
	while (p < end) {
		const unsigned char *nl;

		if (span(s, p, 40, is_base64_or_pad) >= 40)
			break;
		nl = memchr(s->buf + p, '\n', end - p);
		if (!nl)
			return;
		p = (size_t)(nl - s->buf) + 1;
	}
	if (p >= end)
		return;
	snprintf(excerpt, sizeof(excerpt), "-----BEGIN %.*s-----", (int)n, l);
	add_finding(s, openssh ? SECRET_OPENSSH_PRIVATE_KEY : SECRET_PEM_PRIVATE_KEY, a, excerpt);
}

static int is_gitlab_char(int c)
{
	return is_word(c) || c == '-' || c == '.';
}

/* glpat- and 20 or more of [A-Za-z0-9_.-]; the anchor is the '-'. */
static void detect_gitlab(struct secrets *s, size_t a)
{
	size_t body;

	if (a < 5 || memcmp(s->buf + a - 5, "glpat", 5) || is_gitlab_char(byte_at(s, (ptrdiff_t)a - 6)))
		return;
	body = span(s, a + 1, 255, is_gitlab_char);
	/* A sentence may end right after the token. */
	while (body && (s->buf[a + body] == '.' || s->buf[a + body] == '-'))
		body--;
	if (body < 20 || body >= 255 || low_diversity(s->buf + a + 1, body, 6))
		return;
	add_token(s, SECRET_GITLAB_TOKEN, a - 5, 6, 6 + body);
}

static int is_slack_char(int c)
{
	return is_alnum(c) || c == '-';
}

/*
 * xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, then dash-separated parts: the first all
 * digits (a team or app ID, or the "2" of xoxa-2-), the last a random string of
 * at least 8 characters.
 */
static void detect_slack(struct secrets *s, size_t a)
{
	const unsigned char *body;
	size_t n, first = 0, last = 0;

	if (a < 4 || memcmp(s->buf + a - 4, "xox", 3) || !strchr("baprs", s->buf[a - 1]) ||
	    s->buf[a - 1] == '\0' || is_alnum(byte_at(s, (ptrdiff_t)a - 5)))
		return;
	body = s->buf + a + 1;
	n = span(s, a + 1, 255, is_slack_char);
	while (n && body[n - 1] == '-')
		n--;
	if (n < 20 || n >= 255)
		return;
	while (first < n && body[first] >= '0' && body[first] <= '9')
		first++;
	if (!first || first >= n || body[first] != '-')
		return;
	while (last < n && body[n - 1 - last] != '-')
		last++;
	if (last < 8 || low_diversity(body + n - last, last, 6))
		return;
	add_token(s, SECRET_SLACK_TOKEN, a - 4, 5, 5 + n);
}

static void detect_dash(struct secrets *s, size_t a)
{
	if (byte_at(s, (ptrdiff_t)a + 1) == '-')
		detect_pem(s, a);
	else if (a && s->buf[a - 1] == 't')
		detect_gitlab(s, a);
	else
		detect_slack(s, a);
}

/* ghp_, gho_, ghu_, ghs_, ghr_ + 36 base62; github_pat_ + 22 base62 + '_' + 59 base62. */
static void detect_underscore(struct secrets *s, size_t a)
{
	size_t n;

	if (a >= 3 && s->buf[a - 3] == 'g' && s->buf[a - 2] == 'h' && s->buf[a - 1] &&
	    strchr("pousr", s->buf[a - 1]) && !is_word(byte_at(s, (ptrdiff_t)a - 4))) {
		n = span(s, a + 1, 37, is_alnum);
		if (n == 36 && !is_word(byte_at(s, (ptrdiff_t)(a + 37))) &&
		    !low_diversity(s->buf + a + 1, n, 6))
			add_token(s, SECRET_GITHUB_TOKEN, a - 3, 4, 40);
		return;
	}
	if (a >= 10 && s->buf[a - 1] == 't' && !memcmp(s->buf + a - 10, "github_pat", 10) &&
	    !is_word(byte_at(s, (ptrdiff_t)a - 11))) {
		if (span(s, a + 1, 23, is_alnum) != 22 || byte_at(s, (ptrdiff_t)(a + 23)) != '_')
			return;
		n = span(s, a + 24, 60, is_alnum);
		if (n == 59 && !is_word(byte_at(s, (ptrdiff_t)(a + 83))) &&
		    !low_diversity(s->buf + a + 1, 82, 6))
			add_token(s, SECRET_GITHUB_TOKEN, a - 10, 11, 93);
	}
}

/*
 * A 40-character base64 run with upper and lower case letters and a digit or
 * '+' or '/', within AWS_PAIR_DISTANCE bytes of the key ID at [start, end).
 * Mixed case leaves out hex digests, which are 40 characters too.
 */
static int aws_secret_near(const struct secrets *s, size_t start, size_t end)
{
	size_t lo = start > AWS_PAIR_DISTANCE ? start - AWS_PAIR_DISTANCE : 0;
	size_t hi = end + AWS_PAIR_DISTANCE < s->len ? end + AWS_PAIR_DISTANCE : s->len;

	for (size_t i = lo; i < hi; i++) {
		const unsigned char *p = s->buf + i;
		int upper = 0, lower = 0, other = 0;
		size_t n;

		if (!is_base64(*p) || is_base64(byte_at(s, (ptrdiff_t)i - 1)))
			continue;
		n = span(s, i, 41, is_base64);
		if (n == 40 && (i + n <= start || i >= end)) {
			for (size_t k = 0; k < n; k++) {
				upper |= p[k] >= 'A' && p[k] <= 'Z';
				lower |= p[k] >= 'a' && p[k] <= 'z';
				other |= !isalpha(p[k]);
			}
			if (upper && lower && other && !low_diversity(p, n, 10))
				return 1;
		}
		i += n - 1;
	}
	return 0;
}

/*
 * AKIA or ASIA and 16 upper-case letters or digits, alone in their word; the
 * anchor is the 'I'. IDs ending in "EXAMPLE" are AWS's documented examples
 * (AKIAIOSFODNN7EXAMPLE), quoted in every SDK's documentation and tests: they
 * are not reported.
 */
static void detect_aws(struct secrets *s, size_t a)
{
	size_t start = a - 2, end = a + 18;
	const unsigned char *id;

	if (a < 2 || s->buf[a - 2] != 'A' || (s->buf[a - 1] != 'K' && s->buf[a - 1] != 'S') ||
	    byte_at(s, (ptrdiff_t)a + 1) != 'A' || is_alnum(byte_at(s, (ptrdiff_t)a - 3)))
		return;
	if (span(s, a + 2, 17, is_upper_alnum) != 16 || is_alnum(byte_at(s, (ptrdiff_t)end)))
		return;
	id = s->buf + start;
	if (!memcmp(id + 13, "EXAMPLE", 7) || low_diversity(id + 4, 16, 6))
		return;
	if (aws_secret_near(s, start, end))
		add_finding(s, SECRET_AWS_SECRET_ACCESS_KEY, start,
			    id[1] == 'K' ? "AKIA**************** with a secret access key (40 chars)"
					 : "ASIA**************** with a secret access key (40 chars)");
	else
		add_finding(s, SECRET_AWS_ACCESS_KEY_ID, start,
			    id[1] == 'K' ? "AKIA****************" : "ASIA****************");
}

static int is_key_char(int c)
{
	return is_word(c) || c == '-' || c == '.';
}

/* Setting names whose value is a credential, matched at the end of the name, case-insensitively. */
static const char *const secret_key_suffixes[] = {
    "password",	 "passwd",     "_pass",	  "-pass",  ".pass",   "secret", "secret_key",
    "secretkey", "access_key", "api_key", "apikey", "api-key", "token",	 NULL,
};

static int is_secret_key(const unsigned char *key, size_t len)
{
	/* Most keys end in none of the suffixes' last letters: skip the comparisons for them. */
	if (!strchr("dDsStTyYnN", key[len - 1]))
		return 0;
	if (len == 4 && !strncasecmp((const char *)key, "pass", 4))
		return 1;
	for (const char *const *x = secret_key_suffixes; *x; x++)
		if (ends_with((const char *)key, len, *x))
			return 1;
	return 0;
}

/* A value that stands for a secret rather than being one. */
static int is_placeholder(const unsigned char *value, size_t n)
{
	static const char *const words[] = {
	    "changeme",	 "password",   "passwd",       "secret",     "example",	  "placeholder",
	    "redacted",	 "none",       "null",	       "nil",	     "true",	  "false",
	    "undefined", "dummy",      "default",      "empty",	     "required",  "optional",
	    "string",	 "mypassword", "yourpassword", "notasecret", "secretkey", NULL,
	};
	static const char *const parts[] = {
	    "changeme", "change_me", "change-me", "example", "placeholder", "redacted",	    "your_",
	    "your-",	"xxxx",	     "XXXX",	  "****",    "...",	    "\xe2\x80\xa6", "${",
	    "{{",	"%(",	     "#{",	  "<",	     ">",	    "ENC[",	    NULL,
	};
	char v[257];

	if (n < 6 || low_diversity(value, n, 3) || strchr("$%{[(!*&@/~`\\", value[0]))
		return 1;
	memcpy(v, value, n);
	v[n] = '\0';
	for (const char *const *w = words; *w; w++)
		if (!strcasecmp(v, *w))
			return 1;
	for (const char *const *p = parts; *p; p++)
		if (strcasestr(v, *p))
			return 1;
	/*
	 * A URL says where the secret lives. OpenSSL's passphrase arguments
	 * ("pass:", "env:", "file:", "fd:") fill its sample openssl.cnf, which every
	 * Debian image ships with "secret = pass:insta".
	 */
	return !strncasecmp(v, "http://", 7) || !strncasecmp(v, "https://", 8) ||
	       !strncasecmp(v, "file:", 5) || !strncasecmp(v, "pass:", 5) || !strncasecmp(v, "env:", 4) ||
	       !strncasecmp(v, "fd:", 3);
}

/*
 * Commented-out settings in shipped configuration files are documentation
 * ("# password = secret"), so the generic rule skips lines that start with
 * '#' or ';'. Not "//": .npmrc settings start with it. The token rules still
 * read comments.
 */
static int in_comment(const struct secrets *s, size_t pos)
{
	size_t stop = pos > 160 ? pos - 160 : 0;
	int c;

	/* Only as far back as the window holds: a longer indent is no comment marker. */
	while (pos > stop && s->buf[pos - 1] != '\n')
		pos--;
	if (pos > 0 && s->buf[pos - 1] != '\n')
		return 0;
	while (s->buf[pos] == ' ' || s->buf[pos] == '\t')
		pos++;
	c = s->buf[pos];
	return c == '#' || c == ';';
}

/*
 * `name = value` or `name: value` in a configuration file, where name ends in
 * one of secret_key_suffixes and value is a literal, quoted or not. The anchor
 * is the '=' or ':'.
 */
static void detect_assignment(struct secrets *s, size_t a)
{
	size_t k = a, key_end, key, v, n;
	int c = s->buf[a], next = byte_at(s, (ptrdiff_t)a + 1), quote = 0;
	char excerpt[128];

	if (c == '=' && (next == '=' || (a && strchr("=!<>", s->buf[a - 1]))))
		return;
	if (c == ':' && next != ' ' && next != '\t' && next != '"' && next != '\'')
		return;
	while (k > 0 && a - k < 8 && (s->buf[k - 1] == ' ' || s->buf[k - 1] == '\t'))
		k--;
	if (k > 0 && (s->buf[k - 1] == '"' || s->buf[k - 1] == '\''))
		k--;
	key_end = k;
	while (k > 0 && key_end - k <= 64 && is_key_char(s->buf[k - 1]))
		k--;
	key = k;
	if (key_end - key < 4 || key_end - key > 64 || !is_secret_key(s->buf + key, key_end - key) ||
	    in_comment(s, key))
		return;

	v = a + 1;
	while (v < s->len && v - a < 8 && (s->buf[v] == ' ' || s->buf[v] == '\t'))
		v++;
	if (v < s->len && (s->buf[v] == '"' || s->buf[v] == '\''))
		quote = s->buf[v++];
	for (n = 0; v + n < s->len && n <= 256; n++) {
		int b = s->buf[v + n];

		if (b == '\n' || b == '\r' || (quote ? b == quote : b == ' ' || b == '\t'))
			break;
	}
	if (n > 256 || (quote && byte_at(s, (ptrdiff_t)(v + n)) != quote))
		return;
	/* An unquoted value inside a longer string or list: "x: false'," */
	while (!quote && n && strchr(",;'\")", s->buf[v + n - 1]))
		n--;
	if (is_placeholder(s->buf + v, n))
		return;
	snprintf(excerpt, sizeof(excerpt), "%.*s%c\xe2\x80\xa6 (%zu chars)", (int)(key_end - key),
		 (const char *)s->buf + key, c, n);
	add_finding(s, SECRET_GENERIC_PASSWORD, key, excerpt);
}

/* --- the window ---------------------------------------------------------------------------- */

/*
 * Run one detector at each occurrence of its anchor byte in [from, to). One
 * memchr pass per anchor byte beat a single pass testing 8 bytes at a time for
 * all of them (tests/bench/secrets_bench.c): memchr's vector loop skips the
 * long stretches between anchors. Returns -1 once the file's findings cap is
 * reached.
 */
static int run_anchor(struct secrets *s, int c, size_t from, size_t to,
		      void (*detect)(struct secrets *, size_t))
{
	const unsigned char *p = s->buf + from, *end = s->buf + to;

	while (p < end && (p = memchr(p, c, (size_t)(end - p)))) {
		detect(s, (size_t)(p - s->buf));
		if (s->file_findings >= s->limits.max_findings_per_file)
			return -1;
		p++;
	}
	return 0;
}

/* Examine the anchors that now have enough bytes after them, then drop what no anchor needs. */
static void scan_window(struct secrets *s)
{
	size_t limit, drop;

	if (s->at_eof)
		limit = s->len;
	else if (s->len > LOOKAHEAD)
		limit = s->len - LOOKAHEAD;
	else
		return;
	if (limit > s->scan_from) {
		if (run_anchor(s, '-', s->scan_from, limit, detect_dash) < 0 ||
		    run_anchor(s, '_', s->scan_from, limit, detect_underscore) < 0 ||
		    run_anchor(s, 'I', s->scan_from, limit, detect_aws) < 0 ||
		    (s->config_file && (run_anchor(s, '=', s->scan_from, limit, detect_assignment) < 0 ||
					run_anchor(s, ':', s->scan_from, limit, detect_assignment) < 0))) {
			/* The file has said enough: the rest of it would only be dropped. */
			s->stats.files_capped++;
			s->state = FILE_SKIPPED;
			return;
		}
		s->scan_from = limit;
	}

	drop = s->scan_from > LOOKBEHIND ? s->scan_from - LOOKBEHIND : 0;
	if (!drop)
		return;
	s->buf_line += count_newlines(s->buf, drop);
	memmove(s->buf, s->buf + drop, s->len - drop);
	s->len -= drop;
	s->scan_from -= drop;
	s->buf_offset += drop;
}

static void decide_binary(struct secrets *s)
{
	size_t probe = s->len < BINARY_PROBE ? s->len : BINARY_PROBE;

	if (!s->key_file && memchr(s->buf, '\0', probe)) {
		s->stats.files_binary++;
		s->state = FILE_SKIPPED;
	} else {
		s->state = FILE_SCANNING;
	}
}

void secrets_file_begin(struct secrets *s, const char *path)
{
	if (s->state != FILE_NONE)
		secrets_file_end(s);
	s->state = FILE_PROBING;
	s->path = path;
	s->path_copy = NULL;
	s->config_file = secrets_path_is_config(path);
	s->key_file = path_is_key_file(path);
	s->fed = 0;
	s->file_first_finding = s->nr;
	s->file_findings = 0;
	s->len = s->scan_from = 0;
	s->buf_offset = 0;
	s->buf_line = 1;
	s->at_eof = 0;
	s->truncated = 0;
	s->stats.files++;
}

void secrets_feed(struct secrets *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (s->state != FILE_PROBING && s->state != FILE_SCANNING)
		return;
	if (len > s->limits.max_file_bytes - s->fed) {
		len = (size_t)(s->limits.max_file_bytes - s->fed);
		if (!s->truncated)
			s->stats.files_truncated++;
		s->truncated = 1;
	}
	/*
	 * Most files of an image are binaries with a NUL in their first bytes:
	 * decide on the caller's bytes, before copying any into the window. The
	 * verdict is the one decide_binary() would reach.
	 */
	if (s->state == FILE_PROBING && !s->len && !s->key_file && len &&
	    memchr(p, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)) {
		s->fed += len;
		s->stats.files_binary++;
		s->state = FILE_SKIPPED;
		return;
	}
	s->fed += len;
	s->stats.bytes_scanned += len;
	while (len && (s->state == FILE_PROBING || s->state == FILE_SCANNING)) {
		size_t n = BUF_SIZE - s->len < len ? BUF_SIZE - s->len : len;

		memcpy(s->buf + s->len, p, n);
		s->len += n;
		p += n;
		len -= n;
		if (s->state == FILE_PROBING && s->len >= BINARY_PROBE)
			decide_binary(s);
		/* Scanning in full buffers keeps the work the same whatever the chunk sizes. */
		if (s->state == FILE_SCANNING && s->len == BUF_SIZE)
			scan_window(s);
	}
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct secret_finding *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return (int)a->rule - (int)b->rule;
}

void secrets_file_end(struct secrets *s)
{
	if (s->state == FILE_NONE)
		return;
	if (s->state == FILE_PROBING)
		decide_binary(s);
	if (s->state == FILE_SCANNING) {
		s->at_eof = 1;
		scan_window(s);
	}
	/* The anchor passes run one after another: put the file's findings back in line order. */
	if (s->nr - s->file_first_finding > 1)
		qsort(s->findings + s->file_first_finding, s->nr - s->file_first_finding,
		      sizeof(*s->findings), finding_cmp);
	explicit_bzero(s->buf, s->len);
	s->len = s->scan_from = 0;
	s->state = FILE_NONE;
	s->path = NULL;
}

void secrets_scan_buffer(struct secrets *s, const char *path, const void *data, size_t len)
{
	secrets_file_begin(s, path);
	secrets_feed(s, data, len);
	secrets_file_end(s);
}
