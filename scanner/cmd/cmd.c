/* Helpers shared by the subcommands: the command table, messages and exit codes. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "util/error.h"
#include "util/exitcode.h"

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
	/* One line, always: a newline inside a message would break log parsers. */
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n' || sb.buf[i] == '\r')
			sb.buf[i] = ' ';
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
