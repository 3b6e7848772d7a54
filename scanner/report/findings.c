/* What the writers of scan findings share: the image's short name, stable hashes and UUIDs, escaping. */
#include "report/findings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/writer.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Targets the user wrote with a transport prefix; the prefix says nothing about the image. */
static const char *const transports[] = { "oci:", "dir:", "docker-archive:", "oci-archive:" };
static const char *const archive_suffixes[] = { ".tar.gz", ".tar.zst", ".tgz", ".tar" };

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n && !memcmp(s + len - n, suffix, n);
}

static void add_safe(struct strbuf *sb, const char *s, size_t len)
{
	size_t start = sb->len;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '.' || c == '_' || c == '-' || c == '/';
		strbuf_addch(sb, ok ? c : '-');
	}
	/* "." and ".." segments would make a URI climb out of the image's folder. */
	for (size_t i = start; i < sb->len; i++)
		if (sb->buf[i] == '.' && (i == start || sb->buf[i - 1] == '/'))
			sb->buf[i] = '_';
}

/* The repository part of a reference: no registry host, no tag, no digest. */
static void add_repository(struct strbuf *sb, const char *ref)
{
	const char *end = strchr(ref, '@');
	const char *slash, *colon;

	if (!end)
		end = ref + strlen(ref);
	slash = memchr(ref, '/', end - ref);
	/* A first component with a dot, a port or "localhost" is a registry host, as Docker decides. */
	if (slash && (memchr(ref, '.', slash - ref) || memchr(ref, ':', slash - ref) ||
		      (slash - ref == 9 && !memcmp(ref, "localhost", 9))))
		ref = slash + 1;
	slash = NULL;
	for (const char *p = ref; p < end; p++)
		if (*p == '/')
			slash = p;
	colon = memchr(slash ? slash : ref, ':', end - (slash ? slash : ref));
	if (colon)
		end = colon;
	add_safe(sb, ref, end - ref);
}

static void add_source_name(struct strbuf *sb, const char *source)
{
	const char *base, *end;
	int oci = !strncmp(source, "oci:", 4);

	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (!strncmp(source, transports[i], strlen(transports[i]))) {
			source += strlen(transports[i]);
			break;
		}
	end = source + strlen(source);
	while (end > source && end[-1] == '/')
		end--;
	base = source;
	for (const char *p = source; p < end; p++)
		if (*p == '/')
			base = p + 1;
	/* oci:DIR:TAG names a tag after the folder. */
	if (oci) {
		const char *colon = memchr(base, ':', end - base);
		if (colon && colon > base)
			end = colon;
	}
	for (size_t i = 0; i < sizeof(archive_suffixes) / sizeof(archive_suffixes[0]); i++)
		if (ends_with(base, end - base, archive_suffixes[i])) {
			end -= strlen(archive_suffixes[i]);
			break;
		}
	if (end - base == 1 && *base == '-')
		return;
	add_safe(sb, base, end - base);
}

void report_image_short_name(struct strbuf *sb, const struct image *img)
{
	size_t start = sb->len;

	if (img->nr_repo_tags && img->repo_tags[0] && *img->repo_tags[0])
		add_repository(sb, img->repo_tags[0]);
	else if (img->source && *img->source)
		add_source_name(sb, img->source);
	/* A tag comes from the image: keep names that end up in paths and categories short. */
	if (sb->len - start > REPORT_SHORT_NAME_MAX) {
		sb->len = start + REPORT_SHORT_NAME_MAX;
		sb->buf[sb->len] = '\0';
	}
	/* Slashes at either end would give empty URI segments. */
	while (sb->len > start && sb->buf[sb->len - 1] == '/')
		sb->buf[--sb->len] = '\0';
	if (sb->len > start && sb->buf[start] == '/') {
		size_t skip = 0;
		while (start + skip < sb->len && sb->buf[start + skip] == '/')
			skip++;
		memmove(sb->buf + start, sb->buf + start + skip, sb->len - start - skip + 1);
		sb->len -= skip;
	}
	if (sb->len == start)
		strbuf_addstr(sb, "image");
}

int report_finding_active(const struct finding *f)
{
	return !f->suppressed_by;
}

const char *report_severity_title(enum severity s)
{
	static const char *const titles[SEVERITY_COUNT] = {
		[SEVERITY_UNKNOWN] = "Unknown", [SEVERITY_LOW] = "Low",	      [SEVERITY_MEDIUM] = "Medium",
		[SEVERITY_HIGH] = "High",	[SEVERITY_CRITICAL] = "Critical",
	};

	return (unsigned)s < SEVERITY_COUNT ? titles[s] : "Unknown";
}

static void hash_strings(unsigned char raw[SHA256_RAW_LEN], va_list ap)
{
	struct sha256_ctx ctx;
	const char *s;

	sha256_init(&ctx);
	while ((s = va_arg(ap, const char *)) != NULL)
		sha256_update(&ctx, s, strlen(s) + 1);
	sha256_final(&ctx, raw);
}

static void add_hex(struct strbuf *sb, const unsigned char *raw, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		strbuf_addch(sb, digits[raw[i] >> 4]);
		strbuf_addch(sb, digits[raw[i] & 15]);
	}
}

void report_hash_hex(struct strbuf *sb, size_t nbytes, ...)
{
	unsigned char raw[SHA256_RAW_LEN];
	va_list ap;

	va_start(ap, nbytes);
	hash_strings(raw, ap);
	va_end(ap);
	add_hex(sb, raw, nbytes < SHA256_RAW_LEN ? nbytes : SHA256_RAW_LEN);
}

void report_name_uuid(struct strbuf *sb, ...)
{
	unsigned char raw[SHA256_RAW_LEN];
	va_list ap;

	va_start(ap, sb);
	hash_strings(raw, ap);
	va_end(ap);
	raw[6] = (raw[6] & 0x0f) | 0x80; /* version 8 */
	raw[8] = (raw[8] & 0x3f) | 0x80; /* the RFC variant */
	add_hex(sb, raw, 4);
	strbuf_addch(sb, '-');
	add_hex(sb, raw + 4, 2);
	strbuf_addch(sb, '-');
	add_hex(sb, raw + 6, 2);
	strbuf_addch(sb, '-');
	add_hex(sb, raw + 8, 2);
	strbuf_addch(sb, '-');
	add_hex(sb, raw + 10, 6);
}

void report_add_check_where(struct strbuf *sb, const struct check_finding *f)
{
	if (f->path && f->path_is_dockerfile)
		strbuf_addstr(sb, "Dockerfile");
	else if (f->path)
		report_add_abs_path(sb, f->path);
	else
		strbuf_addstr(sb, "image config");
	if (f->path && f->line)
		strbuf_addf(sb, ":%llu", (unsigned long long)f->line);
	if (!f->path_is_dockerfile && f->dockerfile_line)
		strbuf_addf(sb, " (Dockerfile:%llu)", (unsigned long long)f->dockerfile_line);
}

void report_add_clipped(struct strbuf *sb, const char *s, size_t max)
{
	size_t len = s ? strlen(s) : 0;

	if (len <= max) {
		strbuf_add(sb, s ? s : "", len);
		return;
	}
	len = max > 3 ? max - 3 : 0;
	/* Back up over continuation bytes so no character is cut in half. */
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	strbuf_add(sb, s, len);
	strbuf_addstr(sb, "...");
}

void report_add_markdown_cell(struct strbuf *sb, const char *s, size_t max)
{
	struct strbuf clipped = STRBUF_INIT;
	char *clean;

	report_add_clipped(&clipped, s, max);
	clean = utf8_sanitize(clipped.buf, clipped.len);
	for (const char *p = clean; *p; p++) {
		unsigned char c = *p;

		if (c < 0x20 || c == 0x7f)
			strbuf_addch(sb, ' ');
		else if (c == '&')
			strbuf_addstr(sb, "&amp;");
		else if (c == '<')
			strbuf_addstr(sb, "&lt;");
		else if (c == '>')
			strbuf_addstr(sb, "&gt;");
		else if (strchr("\\|`*_[]#~", c))
			strbuf_addf(sb, "\\%c", c);
		else
			strbuf_addch(sb, c);
	}
	free(clean);
	strbuf_release(&clipped);
}

void report_add_checks_sentence(struct strbuf *sb, const struct check_results *checks, size_t active,
				size_t suppressed)
{
	int any = 0;

	if (active)
		strbuf_addf(sb, "%zu check %s", active, active == 1 ? "finding" : "findings");
	else
		strbuf_addstr(sb, "No check findings");
	if (suppressed)
		strbuf_addf(sb, " (%zu suppressed)", suppressed);
	strbuf_addstr(sb, " from the");
	for (int k = CHECK_KIND_VULN + 1; k < CHECK_KIND_COUNT; k++)
		if (checks->kinds_run & (1u << k)) {
			strbuf_addf(sb, "%s %s", any ? "," : "", check_kind_name((enum check_kind)k));
			any = 1;
		}
	strbuf_addstr(sb, any ? " checks" : " checks: none ran");
}
