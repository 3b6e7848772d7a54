/* Alpine apk version ordering: digits, a letter, _suffixes, ~commit hash, -rN revision. */
#include <stdint.h>
#include <string.h>

#include "version/version.h"

#include "util/error.h"

/*
 * Token kinds in the order of the grammar
 * digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}. When two versions
 * agree up to where one ends or changes kind, the kind later in this list
 * sorts first: "1.0" < "1.0.1" but "1.0-r1" < "1.0.1".
 */
enum apk_token {
	APK_INITIAL_DIGIT,
	APK_DIGIT,
	APK_LETTER,
	APK_SUFFIX,
	APK_SUFFIX_NO,
	APK_COMMIT_HASH,
	APK_REVISION_NO,
	APK_END,
	APK_INVALID,
};

/* Pre-release suffixes sort below APK_SUFFIX_NONE, post-release ones above. */
enum apk_suffix {
	APK_SUFFIX_ALPHA,
	APK_SUFFIX_BETA,
	APK_SUFFIX_PRE,
	APK_SUFFIX_RC,
	APK_SUFFIX_NONE,
	APK_SUFFIX_CVS,
	APK_SUFFIX_SVN,
	APK_SUFFIX_GIT,
	APK_SUFFIX_HG,
	APK_SUFFIX_P,
	APK_SUFFIX_UNKNOWN,
};

/* 19 digits always fit in 64 bits; no real package number comes close. */
#define APK_MAX_DIGITS 19

struct apk_token_state {
	enum apk_token token;
	enum apk_suffix suffix;
	uint64_t number;
	const char *value; /* the token's text, for string comparisons */
	size_t len;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

static enum apk_suffix suffix_named(const char *s, size_t len)
{
	static const struct {
		const char *name;
		enum apk_suffix suffix;
	} names[] = {
		{ "alpha", APK_SUFFIX_ALPHA }, { "beta", APK_SUFFIX_BETA }, { "pre", APK_SUFFIX_PRE },
		{ "rc", APK_SUFFIX_RC },       { "cvs", APK_SUFFIX_CVS },   { "svn", APK_SUFFIX_SVN },
		{ "git", APK_SUFFIX_GIT },     { "hg", APK_SUFFIX_HG },     { "p", APK_SUFFIX_P },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && !memcmp(names[i].name, s, len))
			return names[i].suffix;
	return APK_SUFFIX_UNKNOWN;
}

/* Reads a digit run as the current token; an empty or overlong run is invalid. */
static void take_digits(struct apk_token_state *t, const char **p)
{
	t->value = *p;
	t->number = 0;
	while (is_digit(**p))
		t->number = t->number * 10 + (uint64_t)(*(*p)++ - '0');
	t->len = (size_t)(*p - t->value);
	if (t->len == 0 || t->len > APK_MAX_DIGITS)
		t->token = APK_INVALID;
}

static void token_first(struct apk_token_state *t, const char **p)
{
	t->token = APK_INITIAL_DIGIT;
	take_digits(t, p);
}

/* Each kind may only follow the kinds before it in the grammar. */
static void token_next(struct apk_token_state *t, const char **p)
{
	const char *s = *p;

	switch (*s) {
	case '\0':
		t->token = APK_END;
		return;
	case '.':
		if (t->token > APK_DIGIT)
			break;
		*p = s + 1;
		t->token = APK_DIGIT;
		take_digits(t, p);
		return;
	case '_':
		if (t->token > APK_SUFFIX_NO)
			break;
		t->value = ++s;
		while (is_lower(*s))
			s++;
		t->len = (size_t)(s - t->value);
		t->suffix = suffix_named(t->value, t->len);
		if (t->suffix == APK_SUFFIX_UNKNOWN)
			break;
		*p = s;
		t->token = APK_SUFFIX;
		return;
	case '~':
		if (t->token >= APK_COMMIT_HASH)
			break;
		t->value = ++s;
		while (is_hex(*s))
			s++;
		t->len = (size_t)(s - t->value);
		if (t->len == 0)
			break;
		*p = s;
		t->token = APK_COMMIT_HASH;
		return;
	case '-':
		if (t->token >= APK_REVISION_NO || s[1] != 'r')
			break;
		*p = s + 2;
		t->token = APK_REVISION_NO;
		take_digits(t, p);
		return;
	default:
		if (is_lower(*s) && t->token <= APK_DIGIT) {
			t->value = s;
			t->len = 1;
			t->number = (unsigned char)*s;
			*p = s + 1;
			t->token = APK_LETTER;
			return;
		}
		if (is_digit(*s) && t->token == APK_SUFFIX) {
			t->token = APK_SUFFIX_NO;
			take_digits(t, p);
			return;
		}
		break;
	}
	t->token = APK_INVALID;
}

static int compare_text(const struct apk_token_state *a, const struct apk_token_state *b)
{
	size_t common = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->value, b->value, common);

	if (r)
		return r < 0 ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

/* Compares two tokens of the same kind. */
static int token_compare(const struct apk_token_state *a, const struct apk_token_state *b)
{
	uint64_t x, y;

	switch (a->token) {
	case APK_DIGIT:
		/* A component with a leading zero compares as text, so "1.05" < "1.5". */
		if (a->value[0] == '0' || b->value[0] == '0')
			return compare_text(a, b);
		/* fallthrough */
	case APK_INITIAL_DIGIT:
	case APK_SUFFIX_NO:
	case APK_REVISION_NO:
	case APK_LETTER:
		x = a->number;
		y = b->number;
		break;
	case APK_SUFFIX:
		x = a->suffix;
		y = b->suffix;
		break;
	default:
		return compare_text(a, b);
	}
	return x < y ? -1 : x > y ? 1 : 0;
}

static int validate(const char *v, struct strbuf *err)
{
	struct apk_token_state t;
	const char *p = v;

	if (!*v)
		return error_code(err, ERR_BAD_INPUT, "invalid apk version '': empty");
	for (token_first(&t, &p); t.token < APK_END; token_next(&t, &p))
		;
	if (t.token == APK_INVALID)
		return error_code(err, ERR_BAD_INPUT, "invalid apk version '%s': malformed at offset %d", v,
				  (int)(p - v));
	return 0;
}

static int apk_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct apk_token_state ta, tb;
	const char *pa = a, *pb = b;
	int rc;

	if ((rc = validate(a, err)) < 0 || (rc = validate(b, err)) < 0)
		return rc;
	for (token_first(&ta, &pa), token_first(&tb, &pb); ta.token == tb.token && ta.token < APK_END;
	     token_next(&ta, &pa), token_next(&tb, &pb)) {
		int r = token_compare(&ta, &tb);
		if (r) {
			*result = r;
			return 0;
		}
	}
	if (ta.token == tb.token)
		*result = 0;
	/* Equal so far: the one that goes on is newer unless it goes on with a pre-release. */
	else if (ta.token == APK_SUFFIX && ta.suffix < APK_SUFFIX_NONE)
		*result = -1;
	else if (tb.token == APK_SUFFIX && tb.suffix < APK_SUFFIX_NONE)
		*result = 1;
	else
		*result = ta.token > tb.token ? -1 : 1;
	return 0;
}

const struct version_scheme version_scheme_apk = {
	.name = "apk",
	.aliases = (const char *const[]){ "alpine", "wolfi", "chainguard", NULL },
	.compare = apk_compare,
};
