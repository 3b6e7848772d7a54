/* Debian package versions ([epoch:]upstream[-revision]) ordered the way dpkg orders them. */
#include <limits.h>
#include <string.h>

#include "util/error.h"
#include "version/version.h"

/* A version split in place: pointers into the caller's string, never copies. */
struct deb_version {
	unsigned long epoch;
	const char *upstream;
	size_t upstream_len;
	const char *revision; /* "" when there is none, which dpkg treats as "0" */
	size_t revision_len;
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * dpkg rejects some of these outright and only warns about others (a
 * leading non-digit, odd characters); we refuse both, since a version that
 * dpkg warns about is not one a package database should hold. An epoch must
 * be plain digits: dpkg's strtol would also take a sign ("+1:2.0").
 */
static int deb_parse(const char *v, struct deb_version *out, struct strbuf *err)
{
	const char *p = v, *colon = NULL, *hyphen = NULL, *end;

	if (!*v)
		return version_invalid(err, "deb", v, "empty");
	for (p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f)
			return version_invalid(err, "deb", v, "contains whitespace or a control or non-ascii character");
		if (c == ':' && !colon)
			colon = p;
		else if (c == '-')
			hyphen = p;
	}
	end = p;

	out->epoch = 0;
	p = v;
	if (colon) {
		if (colon == v)
			return version_invalid(err, "deb", v, "epoch is empty");
		for (; p < colon; p++) {
			if (!is_digit(*p))
				return version_invalid(err, "deb", v, "epoch is not a number");
			out->epoch = out->epoch * 10 + (unsigned long)(*p - '0');
			if (out->epoch > INT_MAX)
				return version_invalid(err, "deb", v, "epoch is too big");
		}
		p = colon + 1;
		if (!*p)
			return version_invalid(err, "deb", v, "nothing after the epoch");
	}
	out->upstream = p;
	if (hyphen) {
		if (!hyphen[1])
			return version_invalid(err, "deb", v, "revision is empty");
		out->upstream_len = (size_t)(hyphen - p);
		out->revision = hyphen + 1;
		out->revision_len = (size_t)(end - out->revision);
	} else {
		out->upstream_len = (size_t)(end - p);
		out->revision = end;
		out->revision_len = 0;
	}
	if (!out->upstream_len)
		return version_invalid(err, "deb", v, "upstream version is empty");
	if (!is_digit(out->upstream[0]))
		return version_invalid(err, "deb", v, "upstream version does not start with a digit");
	for (size_t i = 0; i < out->upstream_len; i++) {
		char c = out->upstream[i];

		if (!is_digit(c) && !is_alpha(c) && !strchr(".+~-:", c))
			return version_invalid(err, "deb", v, "invalid character in upstream version");
	}
	for (size_t i = 0; i < out->revision_len; i++) {
		char c = out->revision[i];

		if (!is_digit(c) && !is_alpha(c) && !strchr(".+~", c))
			return version_invalid(err, "deb", v, "invalid character in revision");
	}
	return 0;
}

/*
 * The weight of one character in a non-digit run: '~' sorts before the end
 * of the string, letters before everything else, and other punctuation
 * after letters in ASCII order.
 */
static int deb_char_order(const char *s, size_t i, size_t len)
{
	int c;

	if (i >= len)
		return 0;
	c = (unsigned char)s[i];
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/*
 * dpkg's ordering of an upstream version or a revision: alternate runs of
 * non-digits (compared by deb_char_order) and digits (compared as numbers
 * of any length, so leading zeros do not count).
 */
static int deb_compare_part(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		while ((i < alen && !is_digit(a[i])) || (j < blen && !is_digit(b[j]))) {
			int ca = deb_char_order(a, i, alen), cb = deb_char_order(b, j, blen);

			if (ca != cb)
				return ca < cb ? -1 : 1;
			i++;
			j++;
		}
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;

		size_t da = i, db = j;
		int first_diff = 0;

		while (da < alen && is_digit(a[da]) && db < blen && is_digit(b[db])) {
			if (!first_diff && a[da] != b[db])
				first_diff = a[da] < b[db] ? -1 : 1;
			da++;
			db++;
		}
		if (da < alen && is_digit(a[da]))
			return 1;
		if (db < blen && is_digit(b[db]))
			return -1;
		if (first_diff)
			return first_diff;
		i = da;
		j = db;
	}
	return 0;
}

static int deb_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct deb_version va, vb;
	int ret;

	if ((ret = deb_parse(a, &va, err)) < 0 || (ret = deb_parse(b, &vb, err)) < 0)
		return ret;
	if (va.epoch != vb.epoch) {
		*result = va.epoch < vb.epoch ? -1 : 1;
		return 0;
	}
	*result = deb_compare_part(va.upstream, va.upstream_len, vb.upstream, vb.upstream_len);
	if (!*result)
		*result = deb_compare_part(va.revision, va.revision_len, vb.revision, vb.revision_len);
	return 0;
}

const struct version_scheme version_scheme_deb = {
	.name = "deb",
	.aliases = (const char *const[]){ "debian", "ubuntu", "dpkg", NULL },
	.compare = deb_compare,
};
