/* RubyGems version ordering: numeric and string segments, strings (pre-releases) first. */
#include <string.h>

#include "version/version.h"

#include "util/error.h"

/* A version with more segments than this is rejected rather than allocated for. */
#define GEM_MAX_SEGMENTS 128

struct gem_segment {
	const char *p;
	size_t len; /* numbers without their leading zeros: zero has length 0 */
	int numeric;
};

struct gem_version {
	struct gem_segment seg[GEM_MAX_SEGMENTS];
	size_t count;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

/*
 * Digits, then "." groups of letters and digits, then optionally "-" and
 * groups that may also hold "-", as Gem::Version accepts (less the
 * surrounding whitespace it strips, which a stored version never has).
 */
static const char *syntax_error(const char *v)
{
	const char *p = v;

	if (!*p)
		return "empty";
	if (!is_digit(*p))
		return "does not start with a digit";
	while (is_digit(*p))
		p++;
	if (*p && *p != '.' && *p != '-')
		return "unexpected character after the leading number";
	while (is_alnum(*p) || *p == '.') {
		if (*p == '.' && !is_alnum(p[1]))
			return "empty segment";
		p++;
	}
	if (*p == '-') {
		if (!is_alnum(p[1]) && p[1] != '-')
			return "nothing after '-'";
		for (p++; is_alnum(*p) || *p == '-' || *p == '.'; p++)
			if (*p == '.' && !is_alnum(p[1]) && p[1] != '-')
				return "empty segment";
	}
	if (*p)
		return "unexpected character";
	return NULL;
}

static int add_segment(struct gem_version *gv, const char *p, size_t len, int numeric)
{
	if (gv->count == GEM_MAX_SEGMENTS)
		return -1;
	if (numeric)
		while (len && *p == '0')
			p++, len--;
	gv->seg[gv->count++] = (struct gem_segment){ p, len, numeric };
	return 0;
}

static int is_zero(const struct gem_segment *s)
{
	return s->numeric && s->len == 0;
}

/* Splits like Gem::Version: every "-" reads as ".pre.", runs of digits or letters are segments. */
static int parse(const char *v, struct gem_version *gv, struct strbuf *err)
{
	const char *why = syntax_error(v);

	if (why)
		return error_code(err, ERR_BAD_INPUT, "invalid gem version '%s': %s", v, why);
	gv->count = 0;
	for (const char *p = v; *p;) {
		const char *start = p;
		int rc = 0;

		if (is_digit(*p)) {
			while (is_digit(*p))
				p++;
			rc = add_segment(gv, start, (size_t)(p - start), 1);
		} else if (is_alpha(*p)) {
			while (is_alpha(*p))
				p++;
			rc = add_segment(gv, start, (size_t)(p - start), 0);
		} else {
			if (*p == '-')
				rc = add_segment(gv, "pre", 3, 0);
			p++;
		}
		if (rc < 0)
			return error_code(err, ERR_BAD_INPUT, "invalid gem version '%.64s...': more than %d segments",
					  v, GEM_MAX_SEGMENTS);
	}

	/* Trailing zeros mean nothing, both in the release part and after the first string. */
	size_t first_string = 0;
	while (first_string < gv->count && gv->seg[first_string].numeric)
		first_string++;
	size_t end = first_string;
	while (end > 0 && is_zero(&gv->seg[end - 1]))
		end--;
	size_t tail_end = gv->count;
	while (tail_end > first_string && is_zero(&gv->seg[tail_end - 1]))
		tail_end--;
	memmove(&gv->seg[end], &gv->seg[first_string], (tail_end - first_string) * sizeof(gv->seg[0]));
	gv->count = end + (tail_end - first_string);
	return 0;
}

static int compare_segments(const struct gem_segment *a, const struct gem_segment *b)
{
	if (a->numeric != b->numeric)
		return a->numeric ? 1 : -1;
	if (a->numeric && a->len != b->len)
		return a->len < b->len ? -1 : 1;
	size_t common = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->p, b->p, common);
	if (r)
		return r < 0 ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

static int gem_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	static const struct gem_segment zero = { "", 0, 1 };
	struct gem_version va, vb;
	int rc;

	if ((rc = parse(a, &va, err)) < 0 || (rc = parse(b, &vb, err)) < 0)
		return rc;
	size_t n = va.count > vb.count ? va.count : vb.count;
	for (size_t i = 0; i < n; i++) {
		const struct gem_segment *sa = i < va.count ? &va.seg[i] : &zero;
		const struct gem_segment *sb = i < vb.count ? &vb.seg[i] : &zero;
		int r = compare_segments(sa, sb);
		if (r) {
			*result = r;
			return 0;
		}
	}
	*result = 0;
	return 0;
}

const struct version_scheme version_scheme_gem = {
	.name = "gem",
	.aliases = (const char *const[]){ "rubygems", NULL },
	.compare = gem_compare,
};
