/* Helpers shared by the subcommands: the command table, messages and exit codes. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "report/report.h"
#include "util/error.h"
#include "util/exitcode.h"
#include "util/utf8.h"
#include "util/xalloc.h"

const struct command commands[] = {
#define COMMAND(id, summary) { #id, summary, cmd_##id },
#include "cmd/commands.def"
#undef COMMAND
	{ NULL, NULL, NULL },
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, prefix);
	strbuf_vaddf(&sb, fmt, ap);
	/*
	 * One line, always, and safe for a terminal: messages quote names from
	 * images, databases and libraries, and a newline would break log parsers
	 * while an escape byte could rewrite the user's screen.
	 */
	for (size_t i = 0; i < sb.len; i++)
		if ((unsigned char)sb.buf[i] < 0x20 || sb.buf[i] == 0x7f)
			sb.buf[i] = ' ';
	while (sb.len > strlen(prefix) && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	strbuf_addch(&sb, '\n');
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("customs: ", fmt, ap);
	va_end(ap);
}

void cmd_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("customs: warning: ", fmt, ap);
	va_end(ap);
}

int cmd_exit_code(int err_code)
{
	switch (err_code) {
	case 0:
		return EXIT_PASSED;
	case ERR_VERIFY:
		return EXIT_VERIFY_FAILED;
	default:
		/* Every failure to read or write what the user named is "bad input". */
		return EXIT_BAD_INPUT;
	}
}

int cmd_parse_size(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!*text || *text == '-')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -1;
	}
	if (*end == 'i' && end[-1] != '\0')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

time_t cmd_now(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (epoch && *epoch) {
		v = strtoll(epoch, &end, 10);
		if (!*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

void cmd_format_time(uint64_t seconds, char buf[32])
{
	/* report_format_time() clamps what gmtime cannot take; time_t is signed. */
	report_format_time(seconds > (uint64_t)INT64_MAX ? (time_t)INT64_MAX : (time_t)seconds, buf);
}

const char *cmd_env(const char *name)
{
	const char *value = getenv(name);

	return value && *value ? value : NULL;
}

char *cmd_default_db_path(const char **origin)
{
	const char *env = cmd_env("CUSTOMS_DB");
	const char *cache = cmd_env("XDG_CACHE_HOME");
	const char *home = cmd_env("HOME");
	const char *from = "nowhere";
	struct strbuf sb = STRBUF_INIT;

	if (env) {
		strbuf_addstr(&sb, env);
		from = "$CUSTOMS_DB";
	} else if (cache && *cache == '/') {
		strbuf_addf(&sb, "%s/customs/db/customs.db", cache);
		from = "$XDG_CACHE_HOME";
	} else if (home) {
		strbuf_addf(&sb, "%s/.cache/customs/db/customs.db", home);
		from = "$HOME";
	}
	if (origin)
		*origin = from;
	return sb.len ? strbuf_detach(&sb, NULL) : NULL;
}

const char *cmd_db_pubkey(const char *option)
{
	return option ? option : cmd_env("CUSTOMS_DB_PUBKEY");
}

void cmd_put_text(FILE *out, const char *s)
{
	size_t len = strlen(s);
	char *clean = utf8_is_valid(s, len) ? xstrdup(s) : utf8_sanitize(s, len);

	for (char *p = clean; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fputs(clean, out);
	free(clean);
}

void cmd_replace_in_message(struct strbuf *sb, const char *old, const char *new)
{
	char *at = *old ? strstr(sb->buf, old) : NULL;
	struct strbuf out = STRBUF_INIT;

	if (!at)
		return;
	strbuf_add(&out, sb->buf, (size_t)(at - sb->buf));
	strbuf_addstr(&out, new);
	strbuf_addstr(&out, at + strlen(old));
	strbuf_release(sb);
	*sb = out;
}

void cmd_random_uuid(char buf[37])
{
	unsigned char r[16];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Uniqueness, not secrecy, is what a serial number needs. */
			unsigned long long t = (unsigned long long)time(NULL) ^ (unsigned long long)clock();
			for (size_t i = got; i < sizeof(r); i++)
				r[i] = (unsigned char)(t >> ((i % 8) * 8)) ^ (unsigned char)rand();
			break;
		}
		got += (size_t)n;
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1],
		 r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}
