/* Composer (Packagist) version order: composer/semver's normalization, then PHP's version_compare. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "version/version.h"

/*
 * Composer turns "v1.2", "1.2-b3" or "2.x-dev" into the four-part form
 * "1.2.0.0", "1.2.0.0-beta3" and "2.9999999.9999999.9999999-dev", then
 * lets PHP's version_compare order those strings. Both steps are repeated
 * here rule for rule, quirks included: "1.0-stable" keeps its "-stable"
 * because only the lowercase word is dropped, "dev-" branches are accepted
 * and sort by the same rules, and version_compare ranks unknown words below
 * "dev". Versions longer than 256 characters are refused, and so is any
 * whitespace, which Composer would trim.
 */
enum {
	COMPOSER_MAX_LENGTH = 256,
	NORMALIZED_MAX = 320,
	/* Canonicalizing at most doubles a string, by a dot between each character. */
	CANONICAL_MAX = 2 * NORMALIZED_MAX + 2,
};

struct out {
	char buf[NORMALIZED_MAX + 1];
	size_t len;
	int overflow;
};

static void out_add(struct out *o, const char *s, size_t len)
{
	if (o->len + len > NORMALIZED_MAX) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

static void out_addstr(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int starts_with_nocase(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncasecmp(s, prefix, n);
}

/* What the modifier after the numbers says: "-beta2", "RC1-dev", "-dev" and so on. */
struct modifier {
	const char *stability; /* as written; NULL when absent */
	size_t stability_len;
	const char *number; /* digits with their separators, "" when none */
	size_t number_len;
	int dev;
};

/* Does s[0..len) match "([.-]?dev)?" and nothing more? */
static int match_dev_tail(const char *s, size_t len, int *dev)
{
	if (len && (*s == '.' || *s == '-') && len == 4 && starts_with_nocase(s + 1, 3, "dev")) {
		*dev = 1;
		return 1;
	}
	if (len == 3 && starts_with_nocase(s, 3, "dev")) {
		*dev = 1;
		return 1;
	}
	*dev = 0;
	return len == 0;
}

/*
 * Match s[0..len) against Composer's modifier pattern, anchored at both
 * ends, taking the first match its regular expression engine would take:
 * an optional separator, a stability word tried in Composer's order, its
 * number, then an optional "dev".
 */
static int match_modifier(const char *s, size_t len, struct modifier *m)
{
	static const char *const words[] = { "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p" };

	m->stability = NULL;
	m->stability_len = 0;
	m->number = "";
	m->number_len = 0;
	m->dev = 0;
	if (len && (*s == '.' || *s == '_' || *s == '-')) {
		s++;
		len--;
	}
	for (size_t w = 0; w < sizeof(words) / sizeof(*words); w++) {
		size_t wlen = strlen(words[w]), i;

		if (!starts_with_nocase(s, len, words[w]))
			continue;
		/* The number is "(?:[.-]?\d+)*+": possessive, so it never gives digits back. */
		i = wlen;
		for (;;) {
			if (i < len && is_digit(s[i])) {
				while (i < len && is_digit(s[i]))
					i++;
			} else if (i + 1 < len && (s[i] == '.' || s[i] == '-') && is_digit(s[i + 1])) {
				i++;
			} else {
				break;
			}
		}
		if (match_dev_tail(s + i, len - i, &m->dev)) {
			m->stability = s;
			m->stability_len = wlen;
			m->number = s + wlen;
			m->number_len = i - wlen;
			return 1;
		}
	}
	return match_dev_tail(s, len, &m->dev);
}

/* Append the modifier the way Composer spells it: "-beta2", "-patch1-dev", "-RC". */
static void add_modifier(struct out *o, const struct modifier *m)
{
	if (m->stability) {
		const char *word = m->stability;
		size_t wlen = m->stability_len;
		const char *number = m->number;
		size_t number_len = m->number_len;

		/* Only the word in lowercase means "no modifier"; "STABLE" is kept as "-stable". */
		if (wlen == 6 && !memcmp(word, "stable", 6))
			return;
		out_add(o, "-", 1);
		if (wlen == 1 && (*word == 'a' || *word == 'A'))
			out_addstr(o, "alpha");
		else if (wlen == 1 && (*word == 'b' || *word == 'B'))
			out_addstr(o, "beta");
		else if ((wlen == 1 && (*word == 'p' || *word == 'P')) || (wlen == 2 && !strncasecmp(word, "pl", 2)))
			out_addstr(o, "patch");
		else if (wlen == 2 && !strncasecmp(word, "rc", 2))
			out_addstr(o, "RC");
		else
			for (size_t i = 0; i < wlen; i++)
				out_add(o, &(char){ (char)(word[i] | 0x20) }, 1);
		while (number_len && (*number == '.' || *number == '-')) {
			number++;
			number_len--;
		}
		out_add(o, number, number_len);
	}
	if (m->dev)
		out_addstr(o, "-dev");
}

/* "v1.2.3-beta": up to four numbers, the first of at most five digits, then a modifier. */
static int normalize_classical(const char *s, size_t len, struct out *o)
{
	struct modifier m;
	size_t i = 0, start;
	int parts = 1;

	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	start = i;
	while (i < len && is_digit(s[i]))
		i++;
	if (i == start || i - start > 5)
		return 0;
	out_add(o, s + start, i - start);
	while (parts < 4 && i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
		start = i++;
		while (i < len && is_digit(s[i]))
			i++;
		out_add(o, s + start, i - start);
		parts++;
	}
	if (!match_modifier(s + i, len - i, &m))
		return 0;
	for (; parts < 4; parts++)
		out_addstr(o, ".0");
	add_modifier(o, &m);
	return 1;
}

/*
 * The rest of "\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?" followed by a
 * modifier, from s[i] after `reps` two-digit groups; stores where the date
 * ends in *end. Backtracks like the regular expression, at most 2^6 ways.
 */
static int match_date_rest(const char *s, size_t len, size_t i, int reps, size_t *end, struct modifier *m)
{
	int has_sep = i < len && (s[i] == '.' || s[i] == ':' || s[i] == '-');

	if (reps < 6) {
		if (has_sep && i + 2 < len && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
		    match_date_rest(s, len, i + 3, reps + 1, end, m))
			return 1;
		if (i + 1 < len && is_digit(s[i]) && is_digit(s[i + 1]) &&
		    match_date_rest(s, len, i + 2, reps + 1, end, m))
			return 1;
	}
	if (reps < 1)
		return 0;
	for (int sep = has_sep; sep >= 0; sep--) {
		size_t from = i + (size_t)sep;
		size_t digits = 0;

		while (digits < 3 && from + digits < len && is_digit(s[from + digits]))
			digits++;
		for (; digits >= 1; digits--) {
			if (match_modifier(s + from + digits, len - from - digits, m)) {
				*end = from + digits;
				return 1;
			}
		}
	}
	if (match_modifier(s + i, len - i, m)) {
		*end = i;
		return 1;
	}
	return 0;
}

/* "2023.01.15" or "20230115-beta": the date's separators become dots. */
static int normalize_date(const char *s, size_t len, struct out *o)
{
	struct modifier m;
	size_t i = 0, end;

	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (size_t k = 0; k < 4; k++)
		if (i + k >= len || !is_digit(s[i + k]))
			return 0;
	if (!match_date_rest(s, len, i + 4, 0, &end, &m))
		return 0;
	for (; i < end; i++)
		out_add(o, is_digit(s[i]) ? &s[i] : ".", 1);
	add_modifier(o, &m);
	return 1;
}

/* "1.2.x-dev": a numbered branch, whose wildcards become 9999999. */
static int normalize_numbered_branch(const char *s, size_t len, struct out *o)
{
	size_t i = 0, start;
	int parts = 1;

	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	start = i;
	while (i < len && is_digit(s[i]))
		i++;
	if (i == start)
		return 0;
	out_add(o, s + start, i - start);
	while (parts < 4 && i < len && s[i] == '.') {
		i++;
		if (i < len && is_digit(s[i])) {
			start = i;
			while (i < len && is_digit(s[i]))
				i++;
			out_add(o, ".", 1);
			out_add(o, s + start, i - start);
		} else if (i < len && (s[i] == 'x' || s[i] == 'X' || s[i] == '*')) {
			i++;
			out_addstr(o, ".9999999");
		} else {
			return 0;
		}
		parts++;
	}
	if (i != len)
		return 0;
	for (; parts < 4; parts++)
		out_addstr(o, ".9999999");
	out_addstr(o, "-dev");
	return 1;
}

static int normalize(const char *v, struct out *o, struct strbuf *err)
{
	static const char *const flags[] = { "@stable", "@RC", "@beta", "@alpha", "@dev" };
	size_t len = strlen(v);

	o->len = 0;
	o->overflow = 0;
	o->buf[0] = '\0';
	if (!len)
		return version_invalid(err, "composer", v, "empty");
	if (len > COMPOSER_MAX_LENGTH)
		return version_invalid(err, "composer", v, "longer than 256 characters");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return version_invalid(err, "composer", v, "contains whitespace or a control character");

	/* A stability flag such as "@dev" is a constraint hint, not part of the version. */
	for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++) {
		size_t flen = strlen(flags[f]);

		if (len >= flen && !strcasecmp(v + len - flen, flags[f])) {
			len -= flen;
			break;
		}
	}
	if ((len == 6 && !memcmp(v, "master", 6)) || (len == 5 && !memcmp(v, "trunk", 5)) ||
	    (len == 7 && !memcmp(v, "default", 7))) {
		out_addstr(o, "dev-");
		out_add(o, v, len);
		return 0;
	}
	if (starts_with_nocase(v, len, "dev-")) {
		out_addstr(o, "dev-");
		out_add(o, v + 4, len - 4);
		return 0;
	}

	/* Build metadata goes, unless what precedes the "+" has a comma. */
	const char *plus = memchr(v, '+', len);
	if (plus && plus > v && plus + 1 < v + len && !memchr(v, ',', (size_t)(plus - v)))
		len = (size_t)(plus - v);

	if (normalize_classical(v, len, o))
		return o->overflow ? version_invalid(err, "composer", v, "too long") : 0;
	o->len = 0;
	o->overflow = 0;
	if (normalize_date(v, len, o))
		return o->overflow ? version_invalid(err, "composer", v, "too long") : 0;

	/* "1.x-dev": a branch, which is a version only when its name is numeric. */
	if (len >= 3 && !strncasecmp(v + len - 3, "dev", 3)) {
		size_t name_len = len - 3;

		if (name_len && (v[name_len - 1] == '.' || v[name_len - 1] == '-'))
			name_len--;
		o->len = 0;
		o->overflow = 0;
		if (normalize_numbered_branch(v, name_len, o))
			return o->overflow ? version_invalid(err, "composer", v, "too long") : 0;
	}
	return version_invalid(err, "composer", v, "not a version, a numbered branch or a dev- branch");
}

/* PHP's version_compare() from here on. */

static int php_isdig(char c)
{
	return is_digit(c);
}

static int php_isndig(char c)
{
	return !is_digit(c) && c != '.';
}

/*
 * Put dots between runs of digits and non-digits and turn "-", "_", "+" and
 * other punctuation into single dots. The first character is copied as it
 * is, and punctuation right after a digit survives, as in PHP.
 */
static void php_canonicalize(const char *s, char *dst)
{
	size_t q = 0;
	char last = *s;

	dst[q++] = *s;
	if (!*s)
		return;
	for (const char *p = s + 1; *p; p++) {
		char c = *p;

		if (c == '-' || c == '_' || c == '+') {
			if (dst[q - 1] != '.')
				dst[q++] = '.';
		} else if ((php_isndig(last) && php_isdig(c)) || (php_isdig(last) && php_isndig(c))) {
			if (dst[q - 1] != '.')
				dst[q++] = '.';
			dst[q++] = c;
		} else if (!is_digit(c) && !is_alpha(c)) {
			if (dst[q - 1] != '.')
				dst[q++] = '.';
		} else {
			dst[q++] = c;
		}
		last = c;
	}
	dst[q] = '\0';
}

/* "dev" < "alpha" = "a" < "beta" = "b" < "RC" = "rc" < "#" (a number) < "pl" = "p"; others lowest. */
static int special_form_order(const char *part, size_t len)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = {
		{ "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 }, { "RC", 3 },
		{ "rc", 3 }, { "#", 4 }, { "pl", 5 }, { "p", 5 },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		size_t n = strlen(forms[i].name);

		if (len >= n && !memcmp(part, forms[i].name, n))
			return forms[i].order;
	}
	return -1;
}

/* Saturates like strtol, which PHP uses. */
static unsigned long long php_number(const char *p, size_t len)
{
	unsigned long long n = 0;

	for (size_t i = 0; i < len && is_digit(p[i]); i++) {
		n = n * 10 + (unsigned long long)(p[i] - '0');
		if (n > 9223372036854775807ULL)
			return 9223372036854775807ULL;
	}
	return n;
}

static int compare_parts(const char *p1, size_t len1, const char *p2, size_t len2)
{
	int d1 = len1 && is_digit(*p1), d2 = len2 && is_digit(*p2);

	if (d1 && d2) {
		unsigned long long n1 = php_number(p1, len1), n2 = php_number(p2, len2);

		return n1 < n2 ? -1 : n1 > n2;
	}
	if (d1)
		p1 = "#N#", len1 = 3;
	if (d2)
		p2 = "#N#", len2 = 3;
	int o1 = special_form_order(p1, len1), o2 = special_form_order(p2, len2);

	return o1 < o2 ? -1 : o1 > o2;
}

/*
 * What PHP's version_compare(rest, "#N#") returns, with rest the tail of a
 * longer version: PHP canonicalizes the tail again, which is why two
 * buffers take turns here. Returns -1, 0 or 1.
 */
static int php_compare_tail(const char *rest, char bufs[2][CANONICAL_MAX])
{
	int turn = 0;

	for (;;) {
		const char *dot;
		int cmp;

		if (!*rest)
			return -1;
		if (*rest != '#') {
			php_canonicalize(rest, bufs[turn]);
			rest = bufs[turn];
			turn ^= 1;
		}
		dot = strchr(rest, '.');
		cmp = compare_parts(rest, dot ? (size_t)(dot - rest) : strlen(rest), "#N#", 3);
		if (cmp || !dot)
			return cmp;
		rest = dot + 1;
		if (is_digit(*rest))
			return 1;
	}
}

static int php_version_compare(const char *a, const char *b)
{
	char ca[CANONICAL_MAX], cb[CANONICAL_MAX], tail[2][CANONICAL_MAX];
	const char *p1 = ca, *p2 = cb, *n1 = ca, *n2 = cb;
	int cmp = 0;

	if (!*a || !*b)
		return *a ? 1 : *b ? -1 : 0;
	php_canonicalize(a, ca);
	php_canonicalize(b, cb);
	while (*p1 && *p2 && n1 && n2) {
		n1 = strchr(p1, '.');
		n2 = strchr(p2, '.');
		cmp = compare_parts(p1, n1 ? (size_t)(n1 - p1) : strlen(p1), p2, n2 ? (size_t)(n2 - p2) : strlen(p2));
		if (cmp)
			return cmp;
		if (n1)
			p1 = n1 + 1;
		if (n2)
			p2 = n2 + 1;
	}
	if (n1)
		return is_digit(*p1) ? 1 : php_compare_tail(p1, tail);
	if (n2)
		return is_digit(*p2) ? -1 : -php_compare_tail(p2, tail);
	return 0;
}

static int composer_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct out na, nb;
	int ret;

	if ((ret = normalize(a, &na, err)) < 0 || (ret = normalize(b, &nb, err)) < 0)
		return ret;
	/*
	 * PHP ranks some malformed dev branches below themselves ("dev-~-.."
	 * < "dev-~-.."); a version must equal itself for matching to be sane.
	 */
	*result = strcmp(na.buf, nb.buf) ? php_version_compare(na.buf, nb.buf) : 0;
	return 0;
}

const struct version_scheme version_scheme_composer = {
	.name = "composer",
	.aliases = (const char *const[]){ "packagist", NULL },
	.compare = composer_compare,
};
