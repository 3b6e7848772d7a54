/* Strict JSON field reading, purl matching, dates and bounded file reads for the policy module. */
#include "policy/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/utf8.h"
#include "util/xalloc.h"

int policy_read_file(const char *path, size_t max_bytes, const char *what, char **data, size_t *len,
		     struct strbuf *err)
{
	struct stat st;
	char *buf;
	size_t got = 0, alloc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open %s '%s': %s",
				  what, path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_code(err, ERR_BAD_INPUT, "cannot read %s '%s': not a regular file", what, path);
	}
	if ((uint64_t)st.st_size > max_bytes) {
		close(fd);
		return error_code(err, ERR_LIMIT, "%s '%s' is too large: %lld bytes, the limit is %zu", what,
				  path, (long long)st.st_size, max_bytes);
	}
	/* The file may grow between fstat and read: read on, up to the cap, and refuse what goes past it. */
	alloc = (size_t)st.st_size + 1;
	buf = xmalloc(alloc + 1);
	for (;;) {
		ssize_t n;

		if (got == alloc) {
			alloc = alloc * 2 > max_bytes + 1 ? max_bytes + 1 : alloc * 2;
			buf = xrealloc(buf, alloc + 1);
		}
		n = read(fd, buf + got, alloc - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			free(buf);
			close(fd);
			return error_code(err, ERR_IO, "cannot read %s '%s': %s", what, path,
					  strerror(saved));
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > max_bytes) {
			free(buf);
			close(fd);
			return error_code(err, ERR_LIMIT, "%s '%s' is too large: the limit is %zu bytes",
					  what, path, max_bytes);
		}
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

cJSON *policy_parse_json(const char *data, size_t len, struct strbuf *err)
{
	enum json_strict_fault fault;
	size_t at;
	cJSON *root = json_parse_strict(data, len, &fault, &at);

	if (fault == JSON_STRICT_SYNTAX)
		error_code(err, ERR_BAD_INPUT, "not valid JSON (or nested too deeply) near byte %zu", at);
	else if (fault == JSON_STRICT_TRAILING)
		error_code(err, ERR_BAD_INPUT, "unexpected data after the JSON value at byte %zu", at);
	return root;
}

const char *policy_json_string(const cJSON *item, const char *where, struct strbuf *err)
{
	if (json_check_string(item, where, POLICY_MAX_STRING, err) < 0)
		return NULL;
	if (!utf8_is_valid(item->valuestring, strlen(item->valuestring))) {
		error_code(err, ERR_BAD_INPUT, "%s is not valid UTF-8", where);
		return NULL;
	}
	return item->valuestring;
}

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
int64_t policy_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at s; -1 when any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The "YYYY-MM-DD" at s (10 bytes, not terminated) into y, m, d; -1 when it is not a real date. */
static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int policy_parse_date(const char *s, int64_t *days)
{
	int y, m, d;

	if (strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
		return -1;
	*days = policy_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

int policy_parse_timestamp(const char *s, struct policy_time *out)
{
	int y, mo, d, h, mi, sec;
	int64_t frac = 0, offset = 0;
	const char *p;

	if (parse_ymd(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -1;
	p = s + 11;
	if (strnlen(p, 8) < 8 || p[2] != ':' || p[5] != ':')
		return -1;
	h = digits(p, 2);
	mi = digits(p + 3, 2);
	sec = digits(p + 6, 2);
	/* 60 is a leap second, which RFC 3339 allows. */
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	p += 8;
	if (*p == '.') {
		int n = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 9)
				frac = frac * 10 + (*p - '0');
		if (!n)
			return -1;
		for (; n < 9; n++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (strnlen(p, 6) < 6 || p[3] != ':')
			return -1;
		oh = digits(p + 1, 2);
		om = digits(p + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		offset = (int64_t)(oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	out->seconds =
	    policy_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	out->nanoseconds = (int32_t)frac;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into the arena; NULL when an escape is malformed or decodes to NUL. */
static const char *decode(struct arena *a, const char *s, size_t n, int lowercase)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (lowercase && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

int policy_purl_parse(const char *s, struct arena *a, struct purl_parts *out)
{
	const char *end, *q, *rest, *slash, *at, *name_start;

	memset(out, 0, sizeof(*out));
	if (strncasecmp(s, "pkg:", 4))
		return -1;
	s += 4;
	/* purl-spec lets "pkg://type" carry extra slashes; they mean nothing. */
	while (*s == '/')
		s++;
	end = s + strcspn(s, "#");
	q = memchr(s, '?', (size_t)(end - s));
	rest = q ? q : end;
	slash = memchr(s, '/', (size_t)(rest - s));
	if (!slash || slash == s)
		return -1;
	out->type = decode(a, s, (size_t)(slash - s), 1);
	s = slash + 1;
	while (rest > s && rest[-1] == '/')
		rest--;
	/* The version follows the last '@' of the last segment; a scope's '@' comes earlier. */
	name_start = s;
	for (const char *p = s; p < rest; p++)
		if (*p == '/')
			name_start = p + 1;
	at = memchr(name_start, '@', (size_t)(rest - name_start));
	if (at) {
		if (at + 1 == rest || !(out->version = decode(a, at + 1, (size_t)(rest - at - 1), 0)))
			return -1;
	} else {
		at = rest;
	}
	if (at == name_start || !(out->name = decode(a, name_start, (size_t)(at - name_start), 0)))
		return -1;
	if (name_start > s) {
		const char *ns_end = name_start - 1;

		while (ns_end > s && ns_end[-1] == '/')
			ns_end--;
		if (ns_end > s && !(out->namespace = decode(a, s, (size_t)(ns_end - s), 0)))
			return -1;
	}
	if (!out->type || !*out->type)
		return -1;
	if (q) {
		const char *p = q + 1;
		size_t nr = 1;

		for (const char *c = p; c < end; c++)
			nr += *c == '&';
		out->qualifiers = arena_alloc(a, nr * 2 * sizeof(*out->qualifiers));
		while (p < end) {
			const char *amp = memchr(p, '&', (size_t)(end - p));
			const char *pair_end = amp ? amp : end;
			const char *eq = memchr(p, '=', (size_t)(pair_end - p));

			if (pair_end > p) {
				const char *k, *v;

				if (!eq || eq == p)
					return -1;
				k = decode(a, p, (size_t)(eq - p), 1);
				v = decode(a, eq + 1, (size_t)(pair_end - eq - 1), 0);
				if (!k || !v)
					return -1;
				/* purl-spec: an empty value is the same as no qualifier. */
				if (*v) {
					out->qualifiers[out->nr_qualifiers * 2] = k;
					out->qualifiers[out->nr_qualifiers * 2 + 1] = v;
					out->nr_qualifiers++;
				}
			}
			p = amp ? amp + 1 : end;
		}
	}
	return 0;
}

/* The purl types whose namespace and name purl-spec says to lowercase. */
static int case_insensitive_type(const char *type)
{
	static const char *const types[] = {"deb",  "apk",	 "npm",	   "pypi",
					    "alpm", "bitbucket", "github", "oci"};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i]))
			return 1;
	return 0;
}

static int same(const char *a, const char *b, int fold)
{
	if (!a || !b)
		return !a && !b;
	return fold ? !strcasecmp(a, b) : !strcmp(a, b);
}

int policy_purl_covers(const struct purl_parts *pattern, const struct purl_parts *candidate,
		       int use_qualifiers)
{
	int fold = case_insensitive_type(pattern->type);

	if (strcmp(pattern->type, candidate->type) || !same(pattern->namespace, candidate->namespace, fold) ||
	    !same(pattern->name, candidate->name, fold))
		return 0;
	if (pattern->version && !same(pattern->version, candidate->version, 0))
		return 0;
	for (size_t i = 0; use_qualifiers && i < pattern->nr_qualifiers; i++) {
		size_t j;

		for (j = 0; j < candidate->nr_qualifiers; j++)
			if (!strcmp(pattern->qualifiers[i * 2], candidate->qualifiers[j * 2]))
				break;
		if (j == candidate->nr_qualifiers ||
		    strcmp(pattern->qualifiers[i * 2 + 1], candidate->qualifiers[j * 2 + 1]))
			return 0;
	}
	return 1;
}

int policy_finding_has_id(const struct finding *f, const char *id)
{
	if (f->id && !strcasecmp(f->id, id))
		return 1;
	for (size_t i = 0; i < f->nr_aliases; i++)
		if (f->aliases[i] && !strcasecmp(f->aliases[i], id))
			return 1;
	return 0;
}

const char *policy_printable(struct arena *a, const char *s)
{
	char *clean, *out;
	size_t n;

	if (!s)
		return "";
	clean = utf8_sanitize(s, strlen(s));
	n = strlen(clean);
	out = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)clean[i];

		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	free(clean);
	return out;
}
