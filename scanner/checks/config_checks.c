/* Posture checks over an image's config and history, one function per row of config_rules.def. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/config_checks.h"
#include "checks/secrets.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const struct config_rule rules[] = {
#define CONFIG_RULE(name, id, severity, title, why, remediation) {id, severity, title, why, remediation},
#include "checks/config_rules.def"
#undef CONFIG_RULE
};

/* Bytes of a name from the image quoted in a detail line; longer names are cut. */
#define MAX_QUOTED_NAME 128
/* Longest Dockerfile instruction word looked for at the start of a history entry. */
/*
 * Comparisons of history assignments with config entries, which only avoid
 * reporting a secret twice: a hostile config with thousands of variables and
 * millions of assignments must not make the dedupe quadratic.
 */
#define COMPARE_BUDGET (4u << 20)

const struct config_rule *config_rule_get(enum config_rule_id rule)
{
	if ((unsigned)rule >= CONFIG_RULE_COUNT)
		return NULL;
	return &rules[rule];
}

struct run {
	const struct image *img;
	struct arena *arena;
	struct config_results *out;
	size_t per_rule[CONFIG_RULE_COUNT];
	struct secrets *secrets; /* token shapes, from the file secret detector */
	size_t compare_budget;	 /* see COMPARE_BUDGET */
};

static void add_finding(struct run *r, enum config_rule_id rule, const char *subject, int layer, int history,
			struct strbuf *detail)
{
	struct config_results *out = r->out;
	struct config_finding *f;

	if (r->per_rule[rule]++ >= CONFIG_MAX_FINDINGS_PER_RULE) {
		out->dropped++;
		return;
	}
	if (out->nr == out->alloc) {
		out->alloc = out->alloc ? 2 * out->alloc : 16;
		out->findings = xrealloc(out->findings, out->alloc * sizeof(*out->findings));
	}
	f = &out->findings[out->nr++];
	f->rule = rule;
	f->subject = arena_strdup(r->arena, subject);
	f->detail = arena_strdup(r->arena, detail->buf);
	f->layer = layer;
	f->history = history;
}

void config_results_release(struct config_results *out)
{
	free(out->findings);
	memset(out, 0, sizeof(*out));
}

/*
 * Append a name taken from the image, cut at a character boundary and with
 * control characters shown as '?', so that a detail stays one short line.
 * The image module already made it valid UTF-8.
 */
static void add_name(struct strbuf *sb, const char *s, size_t len)
{
	size_t n = len, i;

	if (n > MAX_QUOTED_NAME) {
		n = MAX_QUOTED_NAME;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		strbuf_addch(sb, c < 0x20 || c == 0x7f ? '?' : c);
	}
	if (n < len)
		strbuf_addstr(sb, "...");
}

static char *name_text(struct run *r, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;

	add_name(&sb, s, len);
	out = arena_strdup(r->arena, sb.buf);
	strbuf_release(&sb);
	return out;
}

/* ---- reading history entries ---- */

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Past "|2 A=b C=d " and a leading "/bin/sh -c ": what a RUN's history records before its command. */
static const char *skip_run_prefix(const char *p)
{
	p = skip_spaces(p);
	if (*p == '|' && isdigit((unsigned char)p[1])) {
		unsigned long n = strtoul(p + 1, (char **)&p, 10);

		for (; n > 0 && *p; n--) {
			p = skip_spaces(p);
			while (*p && *p != ' ' && *p != '\t')
				p++;
		}
		p = skip_spaces(p);
	}
	if (starts_with(p, "/bin/sh -c "))
		p = skip_spaces(p + 11);
	else if (starts_with(p, "/bin/bash -c "))
		p = skip_spaces(p + 13);
	return p;
}

void config_history_instruction(const char *created_by, char word[CONFIG_MAX_INSTRUCTION], const char **args,
				const char **command)
{
	const char *p = skip_spaces(created_by ? created_by : "");
	const char *unused;
	size_t n = 0;

	if (!command)
		command = &unused;
	word[0] = '\0';
	*args = *command = p;
	if (starts_with(p, "/bin/sh -c ") || starts_with(p, "/bin/bash -c ") || *p == '|') {
		const char *q = skip_run_prefix(p);

		if (!starts_with(q, "#(nop)")) {
			memcpy(word, "RUN", 4);
			/* Build arguments stay in args: a secret passed as one is what the history checks look for. */
			*args = *p == '|' ? p : q;
			*command = q;
			return;
		}
		p = skip_spaces(q + 6);
	}
	while (p[n] >= 'A' && p[n] <= 'Z' && n < CONFIG_MAX_INSTRUCTION - 1)
		n++;
	if (!n || (p[n] && p[n] != ' ' && p[n] != '\t'))
		return;
	memcpy(word, p, n);
	word[n] = '\0';
	*args = *command = skip_spaces(p + n);
	if (!strcmp(word, "RUN"))
		*command = skip_run_prefix(*args);
}

static int history_is(const struct image_history *h, const char *word)
{
	char w[CONFIG_MAX_INSTRUCTION];
	const char *args;

	config_history_instruction(h->created_by, w, &args, NULL);
	return !strcmp(w, word);
}

/* The last history entry recording instruction word, or -1. */
static int last_history(const struct image *img, const char *word)
{
	size_t i;

	for (i = img->nr_history; i-- > 0;)
		if (history_is(&img->history[i], word))
			return (int)i;
	return -1;
}

/* ---- CUS-CFG-001: runs as root ---- */

static void check_root(struct run *r)
{
	const char *user = r->img->config.user;
	struct strbuf detail = STRBUF_INIT;
	const char *p, *end;
	size_t len;
	int digits = 1, zero = 1;

	if (!user || !*skip_spaces(user)) {
		strbuf_addstr(&detail, "the image sets no USER, so its processes run as root");
		add_finding(r, CONFIG_RUNS_AS_ROOT, "root", -1, -1, &detail);
		strbuf_release(&detail);
		return;
	}
	/* "name", "uid", "name:group" or "uid:gid": only the user part decides. */
	p = skip_spaces(user);
	end = strchr(p, ':');
	len = end ? (size_t)(end - p) : strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)p[i]))
			digits = 0;
		else if (p[i] != '0')
			zero = 0;
	}
	if (!((len == 4 && !memcmp(p, "root", 4)) || (len && digits && zero)))
		return;
	strbuf_addstr(&detail, "USER '");
	add_name(&detail, user, strlen(user));
	strbuf_addstr(&detail, "' runs the image's processes as root (uid 0)");
	add_finding(r, CONFIG_RUNS_AS_ROOT, name_text(r, user, strlen(user)), -1,
		    last_history(r->img, "USER"), &detail);
	strbuf_release(&detail);
}

/* ---- CUS-CFG-002, 003, 004: secrets in ENV, labels and history ---- */

static const char *const secret_words[] = {
    "PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL",
};

/* Names ending so hold a path, an address or a setting about a secret rather than the secret. */
static const char *const harmless_suffixes[] = {
    "_FILE",   "_PATH",	   "_DIR",  "_URL",  "_URI",	"_ENDPOINT", "_TTL",	 "_TIMEOUT", "_LENGTH",
    "_EXPIRY", "_EXPIRES", "_NAME", "_TYPE", "_HEADER", "_VERSION",  "_ENABLED", "_ID",
};

static const char *const placeholders[] = {
    "changeme", "change_me", "change-me",   "changeit", "password", "passwd",  "secret",   "token",
    "null",	"none",	     "nil",	    "true",	"false",    "yes",     "no",	   "example",
    "sample",	"dummy",     "placeholder", "todo",	"tbd",	    "default", "redacted", "hidden",
    "empty",	"unset",     "undefined",   "test",	"xxx",
};

static int name_char(int c)
{
	c = toupper(c);
	return c == '-' || c == '.' || c == ' ' ? '_' : c;
}

static int name_has(const char *name, size_t len, const char *word, size_t *at)
{
	size_t wl = strlen(word), i, j;

	for (i = 0; i + wl <= len; i++) {
		for (j = 0; j < wl && name_char((unsigned char)name[i + j]) == word[j]; j++)
			;
		if (j == wl) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

static int name_ends_with(const char *name, size_t len, const char *suffix)
{
	size_t sl = strlen(suffix), at;

	return len >= sl && name_has(name + len - sl, sl, suffix, &at);
}

static int name_is_secret(const char *name, size_t len)
{
	size_t i, at;
	int hit = 0;

	for (i = 0; i < sizeof(secret_words) / sizeof(*secret_words) && !hit; i++)
		hit = name_has(name, len, secret_words[i], &at);
	if (!hit)
		return 0;
	for (i = 0; i < sizeof(harmless_suffixes) / sizeof(*harmless_suffixes); i++)
		if (name_ends_with(name, len, harmless_suffixes[i]))
			return 0;
	return 1;
}

static int value_is_placeholder(const char *v, size_t len)
{
	size_t i, others = 0, digits = 0;

	if (!len)
		return 1;
	/* References and paths: the secret is elsewhere. */
	if (v[0] == '$' || v[0] == '/' || memmem(v, len, "${", 2) || memmem(v, len, "$(", 2))
		return 1;
	if ((v[0] == '<' && v[len - 1] == '>') || (v[0] == '{' && v[len - 1] == '}') ||
	    (v[0] == '[' && v[len - 1] == ']'))
		return 1;
	for (i = 0; i < len; i++) {
		if (v[i] != v[0])
			others++;
		if (isdigit((unsigned char)v[i]))
			digits++;
	}
	/* "****", "xxxxxxxx", "0": one repeated character. */
	if (!others)
		return 1;
	/* Lengths, ports, timeouts: short numbers are settings, not secrets. */
	if (digits == len && len < 8)
		return 1;
	if (len >= 4 && !strncasecmp(v, "your", 4))
		return 1;
	for (i = 0; i < sizeof(placeholders) / sizeof(*placeholders); i++)
		if (strlen(placeholders[i]) == len && !strncasecmp(v, placeholders[i], len))
			return 1;
	return 0;
}

int config_assignment_is_secret(const char *name, size_t name_len, const char *value, size_t value_len)
{
	return name_is_secret(name, name_len) && !value_is_placeholder(value, value_len);
}

/*
 * 1 when s holds a URL with a password in its user information, as in
 * "postgres://app:pw@db/app"; such a URL is a credential whatever it is
 * assigned to.
 */
static int has_url_password(const char *s, size_t len)
{
	const char *end = s + len, *p = s;

	while ((p = memmem(p, (size_t)(end - p), "://", 3))) {
		const char *auth = p + 3, *q = auth, *colon = NULL;

		p = auth;
		for (; q < end && *q != '/' && *q != '@' && *q != ' ' && *q != '"' && *q != '\''; q++)
			if (*q == ':' && !colon)
				colon = q;
		if (q < end && *q == '@' && colon &&
		    !value_is_placeholder(colon + 1, (size_t)(q - colon - 1)))
			return 1;
	}
	return 0;
}

/*
 * The description of a secret in value, or 0 when none is seen: a token
 * shape known to the secret detector (its redacted excerpt goes in the
 * description), a URL with a password, or, when name is given, a secret
 * name with a real-looking value.
 */
static int describe_secret(struct run *r, const char *name, size_t name_len, const char *value, size_t len,
			   struct strbuf *what)
{
	const struct secret_finding *found;
	size_t before, after;

	secrets_findings(r->secrets, &before);
	secrets_scan_buffer(r->secrets, "image-config", value, len);
	found = secrets_findings(r->secrets, &after);
	if (after > before) {
		const struct secret_rule *rule = secret_rule_get(found[before].rule);

		strbuf_addf(what, "a value shaped like: %s (%s)", rule ? rule->title : "secret",
			    found[before].excerpt);
		return 1;
	}
	if (has_url_password(value, len)) {
		strbuf_addf(what, "a URL with an embedded password (%zu chars)", len);
		return 1;
	}
	if (name && config_assignment_is_secret(name, name_len, value, len)) {
		strbuf_addf(what, "a value (%zu chars)", len);
		return 1;
	}
	return 0;
}

/* Env and labels are both KEY=value lists whose values must hold no secrets; only the wording and the rule differ. */
static void check_pairs(struct run *r, const struct image_kv *pairs, size_t nr, const char *what,
			enum config_rule_id rule)
{
	struct strbuf detail = STRBUF_INIT;

	for (size_t i = 0; i < nr; i++) {
		const struct image_kv *kv = &pairs[i];

		strbuf_reset(&detail);
		strbuf_addf(&detail, "%s '", what);
		add_name(&detail, kv->key, strlen(kv->key));
		strbuf_addstr(&detail, "' holds ");
		if (describe_secret(r, kv->key, strlen(kv->key), kv->value, strlen(kv->value), &detail))
			add_finding(r, rule, name_text(r, kv->key, strlen(kv->key)), -1, -1, &detail);
	}
	strbuf_release(&detail);
}

static void check_env(struct run *r)
{
	check_pairs(r, r->img->config.env, r->img->config.nr_env, "environment variable", CONFIG_SECRET_IN_ENV);
}

static void check_labels(struct run *r)
{
	check_pairs(r, r->img->config.labels, r->img->config.nr_labels, "label", CONFIG_SECRET_IN_LABEL);
}

/* One NAME=value word of a command line, with quotes and leading dashes ("--password=x") taken off. */
struct assignment {
	const char *name, *value;
	size_t name_len, value_len;
};

static int word_end(int c)
{
	return !c || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
	       c == ')' || c == '`';
}

/* The next assignment at or after *pos, advancing *pos past it; 0 at the end of s. */
static int next_assignment(const char **pos, struct assignment *a)
{
	const char *p = *pos;

	while (*p) {
		const char *start, *q;

		while (*p && word_end((unsigned char)*p))
			p++;
		start = p;
		while (*p == '"' || *p == '\'' || *p == '-')
			p++;
		q = p;
		if (isalpha((unsigned char)*q) || *q == '_') {
			while (isalnum((unsigned char)*q) || *q == '_' || *q == '.' || *q == '-')
				q++;
		}
		if (q > p && *q == '=') {
			char quote = q[1] == '"' || q[1] == '\'' ? q[1] : 0;
			const char *v = q + 1 + (quote ? 1 : 0), *e = v;

			if (quote)
				while (*e && *e != quote)
					e++;
			else
				while (!word_end((unsigned char)*e) && *e != '"' && *e != '\'')
					e++;
			a->name = p;
			a->name_len = (size_t)(q - p);
			a->value = v;
			a->value_len = (size_t)(e - v);
			*pos = *e ? e + 1 : e;
			return 1;
		}
		/* Not an assignment: skip the rest of the word. */
		p = start;
		while (*p && !word_end((unsigned char)*p))
			p++;
	}
	*pos = p;
	return 0;
}

/* 1 when list holds key=value exactly, so an ENV or LABEL entry repeats what the config shows. */
static int kv_has(struct run *r, const struct image_kv *list, size_t nr, const struct assignment *a)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!r->compare_budget)
			return 0;
		r->compare_budget--;
		if (!strncmp(list[i].key, a->name, a->name_len) && !list[i].key[a->name_len] &&
		    !strncmp(list[i].value, a->value, a->value_len) && !list[i].value[a->value_len])
			return 1;
	}
	return 0;
}

/*
 * An ENV or LABEL entry whose every assignment the final config still holds
 * is already reported against the config; report it once.
 */
static int repeats_config(struct run *r, const char *word, const char *args)
{
	const struct image *img = r->img;
	const struct image_kv *list;
	struct assignment a;
	size_t nr;
	int any = 0;

	if (!strcmp(word, "ENV")) {
		list = img->config.env;
		nr = img->config.nr_env;
	} else if (!strcmp(word, "LABEL")) {
		list = img->config.labels;
		nr = img->config.nr_labels;
	} else {
		return 0;
	}
	while (next_assignment(&args, &a)) {
		if (!kv_has(r, list, nr, &a))
			return 0;
		any = 1;
	}
	return any;
}

static void history_detail(struct strbuf *detail, size_t index, const char *word)
{
	strbuf_reset(detail);
	strbuf_addf(detail, "history entry %zu (%s) ", index, *word ? word : "unknown instruction");
}

static void check_history_secrets(struct run *r)
{
	const struct image *img = r->img;
	struct strbuf detail = STRBUF_INIT;
	size_t i;

	for (i = 0; i < img->nr_history; i++) {
		const struct image_history *h = &img->history[i];
		char word[CONFIG_MAX_INSTRUCTION];
		const char *args, *pos;
		struct assignment a;
		int reported = 0;

		if (!h->created_by)
			continue;
		config_history_instruction(h->created_by, word, &args, NULL);
		if (repeats_config(r, word, args))
			continue;
		pos = args;
		while (next_assignment(&pos, &a)) {
			if (!config_assignment_is_secret(a.name, a.name_len, a.value, a.value_len))
				continue;
			history_detail(&detail, i, word);
			strbuf_addstr(&detail, "assigns '");
			add_name(&detail, a.name, a.name_len);
			strbuf_addf(&detail, "' a value (%zu chars)", a.value_len);
			add_finding(r, CONFIG_SECRET_IN_HISTORY, name_text(r, a.name, a.name_len), h->layer,
				    (int)i, &detail);
			reported = 1;
		}
		if (reported)
			continue;
		/* Token shapes and URL passwords anywhere in the command line. */
		history_detail(&detail, i, word);
		strbuf_addstr(&detail, "holds ");
		if (describe_secret(r, NULL, 0, h->created_by, strlen(h->created_by), &detail))
			add_finding(r, CONFIG_SECRET_IN_HISTORY, *word ? word : "history", h->layer, (int)i,
				    &detail);
	}
	strbuf_release(&detail);
}

/* ---- CUS-CFG-005: SSH port ---- */

/* "22", "22/tcp": the forms Docker writes for a TCP port 22. */
static int is_ssh_port(const char *port)
{
	return !strcmp(port, "22") || !strcmp(port, "22/tcp");
}

/* A history entry whose text names port 22 as a whole number, as "EXPOSE 22" or "map[22/tcp:{}]" do. */
static int mentions_22(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, "22"))) {
		if ((p == s || !isdigit((unsigned char)p[-1])) && !isdigit((unsigned char)p[2]))
			return 1;
		p += 2;
	}
	return 0;
}

static void check_ssh(struct run *r)
{
	const struct image *img = r->img;
	struct strbuf detail = STRBUF_INIT;
	size_t i;
	int history = -1;

	for (i = 0; i < img->config.nr_exposed_ports; i++)
		if (is_ssh_port(img->config.exposed_ports[i]))
			break;
	if (i == img->config.nr_exposed_ports)
		return;
	for (size_t k = img->nr_history; k-- > 0 && history < 0;)
		if (history_is(&img->history[k], "EXPOSE") && mentions_22(img->history[k].created_by))
			history = (int)k;
	strbuf_addstr(&detail, "the image exposes port 22/tcp (SSH)");
	add_finding(r, CONFIG_SSH_PORT_EXPOSED, "22/tcp", -1, history, &detail);
	strbuf_release(&detail);
}

/* ---- CUS-CFG-006: health check ---- */

static void check_healthcheck(struct run *r)
{
	struct strbuf detail = STRBUF_INIT;

	if (r->img->config.healthcheck == IMAGE_HEALTHCHECK_DEFINED)
		return;
	if (r->img->config.healthcheck == IMAGE_HEALTHCHECK_DISABLED) {
		strbuf_addstr(&detail, "HEALTHCHECK NONE disables the health check");
		add_finding(r, CONFIG_NO_HEALTHCHECK, "HEALTHCHECK NONE", -1,
			    last_history(r->img, "HEALTHCHECK"), &detail);
	} else {
		strbuf_addstr(&detail, "the image defines no HEALTHCHECK");
		add_finding(r, CONFIG_NO_HEALTHCHECK, "HEALTHCHECK", -1, -1, &detail);
	}
	strbuf_release(&detail);
}

/* ---- CUS-CFG-007: ADD from a URL ---- */

/*
 * The scheme and host of the URL at url, without user information, path or
 * query, which may carry credentials: "https://example.com".
 */
static void add_url_origin(struct strbuf *sb, const char *url, size_t scheme_len)
{
	const char *host = url + scheme_len, *end, *at;

	for (end = host; *end && *end != '/' && *end != '?' && *end != '#' && *end != ' ' && *end != '\t';
	     end++)
		;
	at = memchr(host, '@', (size_t)(end - host));
	if (at)
		host = at + 1;
	strbuf_add(sb, url, scheme_len);
	add_name(sb, host, (size_t)(end - host));
}

static void check_add_url(struct run *r)
{
	const struct image *img = r->img;
	struct strbuf detail = STRBUF_INIT;
	size_t i;

	for (i = 0; i < img->nr_history; i++) {
		const struct image_history *h = &img->history[i];
		char word[CONFIG_MAX_INSTRUCTION];
		const char *p, *url = NULL;
		size_t scheme = 0;

		config_history_instruction(h->created_by, word, &p, NULL);
		if (strcmp(word, "ADD"))
			continue;
		/* ADD [--flags] SRC... DEST: a source is any word but the last. */
		while (*p) {
			const char *w = skip_spaces(p), *e = w;

			while (*e && *e != ' ' && *e != '\t')
				e++;
			if (e == w)
				break;
			if (starts_with(w, "--checksum=")) {
				url = NULL;
				break;
			}
			if (!url && starts_with(w, "http://"))
				url = w, scheme = 7;
			else if (!url && starts_with(w, "https://"))
				url = w, scheme = 8;
			p = e;
		}
		if (!url)
			continue;
		strbuf_reset(&detail);
		history_detail(&detail, i, word);
		strbuf_addstr(&detail, "downloads '");
		add_url_origin(&detail, url, scheme);
		strbuf_addstr(&detail, "/...' without a checksum");
		if (scheme == 7)
			strbuf_addstr(&detail, ", over plain HTTP");
		add_finding(r, CONFIG_ADD_REMOTE_URL, scheme == 7 ? "http" : "https", h->layer, (int)i,
			    &detail);
	}
	strbuf_release(&detail);
}

/* ---- CUS-CFG-008: package manager caches ---- */

/*
 * A package manager that leaves an index or cache behind when one of its
 * commands runs, unless the same instruction shows one of the clean-ups.
 */
struct cache_rule {
	const char *manager;
	const char *tools[4];
	const char *commands[4];
	const char *cleanups[4];
	const char *left; /* what stays behind, for the detail */
};

static const struct cache_rule cache_rules[] = {
    {"apt",
     {"apt-get", "apt", "aptitude"},
     {"update", "install", "upgrade", "dist-upgrade"},
     {"/var/lib/apt/lists", "--mount=type=cache"},
     "/var/lib/apt/lists"},
    {"apk",
     {"apk"},
     {"add", "update", "upgrade"},
     {"--no-cache", "/var/cache/apk", "--mount=type=cache"},
     "/var/cache/apk"},
    {"dnf",
     {"dnf", "yum", "microdnf"},
     {"install", "update", "upgrade", "makecache"},
     {"clean all", "/var/cache/dnf", "/var/cache/yum", "--mount=type=cache"},
     "/var/cache/dnf or /var/cache/yum"},
    {"pip",
     {"pip", "pip3"},
     {"install"},
     {"--no-cache-dir", "cache purge", "--mount=type=cache"},
     "~/.cache/pip"},
    {"npm",
     {"npm"},
     {"install", "ci", "i"},
     {"npm cache clean", "/root/.npm", "--mount=type=cache"},
     "~/.npm"},
};

static int word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(w, s, len);
}

/* A tool word, bare or as a path ("/usr/bin/apt-get"). */
static int word_is_tool(const char *w, size_t len, const char *tool)
{
	size_t tl = strlen(tool);

	return len >= tl && !memcmp(w + len - tl, tool, tl) && (len == tl || w[len - tl - 1] == '/');
}

static int in_list(const char *const *list, size_t max, const char *w, size_t len, int tool)
{
	size_t i;

	for (i = 0; i < max && list[i]; i++)
		if (tool ? word_is_tool(w, len, list[i]) : word_is(w, len, list[i]))
			return 1;
	return 0;
}

/* 1 when a simple command of the shell line runs a tool of rule with one of its commands after it. */
static int runs_manager(const char *cmd, const struct cache_rule *rule)
{
	const char *p = cmd;
	int tool_seen = 0;

	while (*p) {
		const char *w = p, *e;

		if (word_end((unsigned char)*p)) {
			/* A new simple command starts after a separator; spaces only part words. */
			if (*p != ' ' && *p != '\t')
				tool_seen = 0;
			p++;
			continue;
		}
		for (e = w; !word_end((unsigned char)*e); e++)
			;
		if (!tool_seen)
			tool_seen = in_list(rule->tools, 4, w, (size_t)(e - w), 1);
		else if (in_list(rule->commands, 4, w, (size_t)(e - w), 0))
			return 1;
		p = e;
	}
	return 0;
}

static int env_set(const struct image *img, const char *name)
{
	size_t i;

	for (i = 0; i < img->config.nr_env; i++)
		if (!strcmp(img->config.env[i].key, name) && *img->config.env[i].value &&
		    strcmp(img->config.env[i].value, "0") && strcasecmp(img->config.env[i].value, "false"))
			return 1;
	return 0;
}

static void check_package_cache(struct run *r)
{
	const struct image *img = r->img;
	struct strbuf detail = STRBUF_INIT;
	size_t i, k, c;

	for (i = 0; i < img->nr_history; i++) {
		const struct image_history *h = &img->history[i];
		char word[CONFIG_MAX_INSTRUCTION];
		const char *args;

		config_history_instruction(h->created_by, word, &args, NULL);
		if (h->empty_layer || strcmp(word, "RUN"))
			continue;
		for (k = 0; k < sizeof(cache_rules) / sizeof(*cache_rules); k++) {
			const struct cache_rule *rule = &cache_rules[k];
			int cleaned = 0;

			if (!runs_manager(args, rule))
				continue;
			for (c = 0; c < 4 && rule->cleanups[c] && !cleaned; c++)
				cleaned = strstr(h->created_by, rule->cleanups[c]) != NULL;
			if (cleaned || (!strcmp(rule->manager, "pip") && env_set(img, "PIP_NO_CACHE_DIR")))
				continue;
			history_detail(&detail, i, word);
			strbuf_addf(&detail, "runs %s without removing %s in the same instruction",
				    rule->manager, rule->left);
			add_finding(r, CONFIG_PACKAGE_CACHE, rule->manager, h->layer, (int)i, &detail);
		}
	}
	strbuf_release(&detail);
}

void config_checks_run(const struct image *img, struct arena *arena, struct config_results *out)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.img = img;
	r.arena = arena;
	r.out = out;
	r.compare_budget = COMPARE_BUDGET;
	/* The secret detector's findings only feed descriptions; its arena use is small and short. */
	r.secrets = secrets_new(arena, NULL);
	if (img->config.present) {
		check_root(&r);
		check_env(&r);
		check_labels(&r);
	}
	check_history_secrets(&r);
	if (img->config.present) {
		check_ssh(&r);
		check_healthcheck(&r);
	}
	check_add_url(&r);
	check_package_cache(&r);
	secrets_free(r.secrets);
}

/* ---- redaction of build commands ---- */

/* Token prefixes whose tail is a credential wherever it appears in a command line. */
static const char *const token_prefixes[] = {
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-",
	"xoxs-", "AKIA", "ASIA", "npm_", "pypi-",
};

/* Shortest tail after a prefix that is taken for a token; shorter ones are prose such as "AKIA docs". */
#define MIN_TOKEN_TAIL 16
/* Ranges of one text that redaction replaces; a command line has few secrets, the rest are kept. */
#define MAX_REDACTIONS 256

struct span {
	size_t start, end;
};

static int token_char(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

static void add_span(struct span *spans, size_t *nr, size_t start, size_t end)
{
	if (end > start && *nr < MAX_REDACTIONS) {
		spans[*nr].start = start;
		spans[*nr].end = end;
		(*nr)++;
	}
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static void find_url_passwords(const char *text, struct span *spans, size_t *nr)
{
	const char *p = text;

	while ((p = strstr(p, "://"))) {
		const char *q = p + 3, *colon = NULL;

		p += 3;
		for (; *q && *q != '/' && *q != '@' && !isspace((unsigned char)*q) && *q != '"' && *q != '\''; q++)
			if (*q == ':' && !colon)
				colon = q;
		if (*q == '@' && colon && !value_is_placeholder(colon + 1, (size_t)(q - colon - 1)))
			add_span(spans, nr, (size_t)(colon + 1 - text), (size_t)(q - text));
	}
}

static void find_tokens(const char *text, struct span *spans, size_t *nr)
{
	for (size_t i = 0; text[i]; i++) {
		if (i && token_char((unsigned char)text[i - 1]))
			continue;
		for (size_t k = 0; k < sizeof(token_prefixes) / sizeof(*token_prefixes); k++) {
			size_t plen = strlen(token_prefixes[k]), end;

			if (strncmp(text + i, token_prefixes[k], plen))
				continue;
			for (end = i + plen; token_char((unsigned char)text[end]); end++)
				;
			if (end - i - plen >= MIN_TOKEN_TAIL)
				add_span(spans, nr, i + plen, end);
			break;
		}
	}
}

const char *config_redact_text(const char *text, struct arena *arena)
{
	struct span spans[MAX_REDACTIONS];
	struct assignment a;
	struct strbuf out = STRBUF_INIT;
	const char *pos = text;
	size_t nr = 0, at = 0;
	const char *result;

	if (!text)
		return NULL;
	while (next_assignment(&pos, &a))
		if (config_assignment_is_secret(a.name, a.name_len, a.value, a.value_len))
			add_span(spans, &nr, (size_t)(a.value - text), (size_t)(a.value - text) + a.value_len);
	find_url_passwords(text, spans, &nr);
	find_tokens(text, spans, &nr);
	if (!nr)
		return text;
	qsort(spans, nr, sizeof(*spans), cmp_span);
	for (size_t i = 0; i < nr; i++) {
		/* Overlapping spans (a token assigned to PASSWORD=) are replaced once. */
		if (spans[i].end <= at)
			continue;
		if (spans[i].start > at)
			strbuf_add(&out, text + at, spans[i].start - at);
		strbuf_addstr(&out, "***");
		at = spans[i].end;
	}
	strbuf_addstr(&out, text + at);
	result = arena_strdup(arena, out.buf);
	strbuf_release(&out);
	return result;
}

void config_redact_history(struct image *img)
{
	for (size_t i = 0; i < img->nr_history; i++)
		img->history[i].created_by = config_redact_text(img->history[i].created_by, &img->arena);
	for (size_t i = 0; i < img->nr_layers; i++)
		img->layers[i].created_by = config_redact_text(img->layers[i].created_by, &img->arena);
}
