/* Semantic Versioning 2.0.0 precedence, as npm, Go modules, crates.io and NuGet order versions. */
#include <stdint.h>
#include <string.h>

#include "util/error.h"
#include "version/version.h"

/*
 * The grammar is node-semver's strict one (not its loose mode): an optional
 * lowercase "v", MAJOR.MINOR.PATCH without leading zeros, an optional
 * "-PRERELEASE" and an optional "+BUILD". Like node-semver we refuse more
 * than 256 characters and core numbers above 2^53 - 1, the largest integer
 * JavaScript holds exactly. Unlike it we do not trim whitespace or accept
 * "=" in front: a version taken from a lockfile or an advisory that carries
 * either is malformed, and saying so beats guessing. Go's "+incompatible"
 * is build metadata, so it does not take part in the order.
 */
enum { SEMVER_MAX_LENGTH = 256 };
#define SEMVER_MAX_SAFE_INTEGER 9007199254740991ULL

struct semver {
	uint64_t core[3];
	const char *prerelease; /* points into the version; NULL when there is none */
	size_t prerelease_len;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_identifier_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static int parse_core_number(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t n = 0;

	if (!is_digit(*s))
		return -1;
	if (*s == '0' && is_digit(s[1]))
		return -1;
	for (; is_digit(*s); s++) {
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > SEMVER_MAX_SAFE_INTEGER)
			return -2;
	}
	*p = s;
	*out = n;
	return 0;
}

/*
 * Check the dot-separated identifiers that start at s and end at the first
 * character outside them, storing that end in *end. Prerelease identifiers
 * made only of digits are numbers and so may not have leading zeros; build
 * identifiers may.
 */
static const char *scan_identifiers(const char *s, const char **end, int numbers_strict)
{
	for (;;) {
		const char *start = s;
		int all_digits = 1;

		while (is_identifier_char(*s)) {
			if (!is_digit(*s))
				all_digits = 0;
			s++;
		}
		if (s == start)
			return "empty identifier";
		if (numbers_strict && all_digits && *start == '0' && s - start > 1)
			return "numeric identifier with a leading zero";
		if (*s != '.')
			break;
		s++;
	}
	*end = s;
	return NULL;
}

static int parse_semver(const char *v, struct semver *out, struct strbuf *err)
{
	const char *p = v, *reason;
	size_t len = strlen(v);

	if (!len)
		return version_invalid(err, "npm", v, "empty");
	if (len > SEMVER_MAX_LENGTH)
		return version_invalid(err, "npm", v, "longer than 256 characters");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return version_invalid(err, "npm", v, "contains whitespace or a control character");
	if (*p == 'v')
		p++;
	for (int i = 0; i < 3; i++) {
		int ret = parse_core_number(&p, &out->core[i]);

		if (ret == -2)
			return version_invalid(err, "npm", v, "number larger than 9007199254740991");
		if (ret < 0)
			return version_invalid(err, "npm", v, "expected MAJOR.MINOR.PATCH numbers without leading zeros");
		if (i < 2 && *p++ != '.')
			return version_invalid(err, "npm", v, "expected MAJOR.MINOR.PATCH numbers without leading zeros");
	}
	out->prerelease = NULL;
	out->prerelease_len = 0;
	if (*p == '-') {
		const char *end;

		reason = scan_identifiers(p + 1, &end, 1);
		if (reason)
			return version_invalid(err, "npm", v, reason);
		out->prerelease = p + 1;
		out->prerelease_len = (size_t)(end - (p + 1));
		p = end;
	}
	if (*p == '+') {
		reason = scan_identifiers(p + 1, &p, 0);
		if (reason)
			return version_invalid(err, "npm", v, reason);
	}
	if (*p)
		return version_invalid(err, "npm", v, "unexpected character after the version");
	return 0;
}

static int sign_of(int n)
{
	return (n > 0) - (n < 0);
}

/*
 * Numeric identifiers have no leading zeros, so the longer one is larger and
 * equal lengths order like their digits. node-semver compares them as
 * doubles, which differs only beyond 2^53, where it is itself imprecise.
 */
static int compare_identifier(const char *a, size_t alen, const char *b, size_t blen)
{
	int a_numeric = 1, b_numeric = 1, cmp;

	for (size_t i = 0; i < alen; i++)
		a_numeric &= is_digit(a[i]);
	for (size_t i = 0; i < blen; i++)
		b_numeric &= is_digit(b[i]);
	if (a_numeric && b_numeric) {
		if (alen != blen)
			return alen < blen ? -1 : 1;
		return sign_of(memcmp(a, b, alen));
	}
	if (a_numeric != b_numeric)
		return a_numeric ? -1 : 1;
	cmp = memcmp(a, b, alen < blen ? alen : blen);
	if (cmp)
		return sign_of(cmp);
	return alen == blen ? 0 : alen < blen ? -1 : 1;
}

static int compare_prerelease(const struct semver *a, const struct semver *b)
{
	const char *pa = a->prerelease, *pb = b->prerelease;
	const char *enda, *endb;

	/* A prerelease sorts before its release. */
	if (!pa || !pb)
		return pa ? -1 : pb ? 1 : 0;
	enda = pa + a->prerelease_len;
	endb = pb + b->prerelease_len;
	for (;;) {
		const char *ida = pa, *idb = pb;
		int cmp;

		while (pa < enda && *pa != '.')
			pa++;
		while (pb < endb && *pb != '.')
			pb++;
		cmp = compare_identifier(ida, (size_t)(pa - ida), idb, (size_t)(pb - idb));
		if (cmp)
			return cmp;
		if (pa == enda || pb == endb)
			return pa == enda ? (pb == endb ? 0 : -1) : 1;
		pa++;
		pb++;
	}
}

static int npm_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct semver va, vb;
	int ret;

	if ((ret = parse_semver(a, &va, err)) < 0 || (ret = parse_semver(b, &vb, err)) < 0)
		return ret;
	for (int i = 0; i < 3; i++) {
		if (va.core[i] != vb.core[i]) {
			*result = va.core[i] < vb.core[i] ? -1 : 1;
			return 0;
		}
	}
	*result = compare_prerelease(&va, &vb);
	return 0;
}

const struct version_scheme version_scheme_npm = {
	.name = "npm",
	.aliases = (const char *const[]){ "semver", "go", "golang", "crates.io", "cargo", "nuget", NULL },
	.compare = npm_compare,
};
