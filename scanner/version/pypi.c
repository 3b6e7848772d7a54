/* Python package versions ordered as PEP 440 orders them. */
#include "version/version.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"

/* Sort weights of the pre-release labels; a release without one sorts above all. */
enum { PRE_ALPHA, PRE_BETA, PRE_RC, PRE_NONE };

/* A digit run; numbers may exceed any C integer, so they stay as text. */
struct pep440_number {
	const char *digits;
	size_t len;
};

struct pep440_version {
	struct pep440_number epoch;
	const char *release; /* "N(.N)*" */
	size_t release_len;
	int pre_kind;
	struct pep440_number pre;
	int has_post;
	struct pep440_number post;
	int has_dev;
	struct pep440_number dev;
	const char *local; /* after '+', or NULL */
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_separator(int c)
{
	return c == '.' || c == '-' || c == '_';
}

static size_t digit_run(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

static int compare_numbers(struct pep440_number a, struct pep440_number b)
{
	while (a.len > 0 && a.digits[0] == '0') {
		a.digits++;
		a.len--;
	}
	while (b.len > 0 && b.digits[0] == '0') {
		b.digits++;
		b.len--;
	}
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	int c = a.len ? memcmp(a.digits, b.digits, a.len) : 0;
	return (c > 0) - (c < 0);
}

/* Length of the longest word in words that s starts with, ignoring case; 0 when none. */
static size_t match_word(const char *s, const char *const *words, int *which)
{
	size_t best = 0;

	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (n > best && !strncasecmp(s, words[i], n)) {
			best = n;
			*which = i;
		}
	}
	return best;
}

/*
 * A label's optional number: "[-_.]?N?". An implicit number is 0. The
 * separator is taken even with no number after it, as PEP 440 allows
 * "1.0a." to mean 1.0a0.
 */
static const char *parse_label_number(const char *p, struct pep440_number *n)
{
	const char *q = is_separator(*p) ? p + 1 : p;
	size_t len = digit_run(q);

	if (len) {
		n->digits = q;
		n->len = len;
		return q + len;
	}
	n->digits = "0";
	n->len = 1;
	return q;
}

static int parse_local(const char *p)
{
	/* alphanumeric runs joined by single separators */
	for (;;) {
		if (!is_alnum(*p))
			return -1;
		while (is_alnum(*p))
			p++;
		if (!*p)
			return 0;
		if (!is_separator(*p))
			return -1;
		p++;
	}
}

/* Only the part before a bad byte is quoted, so the message stays one printable line. */
static int check_bytes(const char *v, struct strbuf *err)
{
	for (size_t i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c <= ' ' || c >= 0x7f)
			return error_code(err, ERR_BAD_INPUT, "invalid pypi version '%.*s...': %s at byte %zu",
					  (int)i, v, c >= 0x80 ? "non-ascii character" : "whitespace or control character", i);
	}
	return 0;
}

static int parse_pep440(const char *v, struct pep440_version *out, struct strbuf *err)
{
	static const char *const pre_words[] = { "a", "b", "c", "rc", "alpha", "beta", "pre", "preview", NULL };
	static const int pre_kinds[] = { PRE_ALPHA, PRE_BETA, PRE_RC, PRE_RC, PRE_ALPHA, PRE_BETA, PRE_RC, PRE_RC };
	static const char *const post_words[] = { "post", "rev", "r", NULL };
	const char *p = v;
	size_t n;
	int which;

	memset(out, 0, sizeof(*out));
	if (!*v)
		return error_code(err, ERR_BAD_INPUT, "invalid pypi version '': empty");
	if (check_bytes(v, err) < 0)
		return ERR_BAD_INPUT;
	if (*p == 'v' || *p == 'V')
		p++;

	n = digit_run(p);
	if (n && p[n] == '!') {
		out->epoch.digits = p;
		out->epoch.len = n;
		p += n + 1;
	} else {
		out->epoch.digits = "0";
		out->epoch.len = 1;
	}

	out->release = p;
	n = digit_run(p);
	if (!n)
		goto bad;
	p += n;
	while (*p == '.' && is_digit(p[1]))
		p += 1 + digit_run(p + 1);
	out->release_len = (size_t)(p - out->release);

	out->pre_kind = PRE_NONE;
	n = match_word(p + is_separator(*p), pre_words, &which);
	if (n) {
		out->pre_kind = pre_kinds[which];
		p = parse_label_number(p + is_separator(*p) + n, &out->pre);
	}

	if (*p == '-' && is_digit(p[1])) {
		out->has_post = 1;
		out->post.digits = p + 1;
		out->post.len = digit_run(p + 1);
		p += 1 + out->post.len;
	} else if ((n = match_word(p + is_separator(*p), post_words, &which))) {
		out->has_post = 1;
		p = parse_label_number(p + is_separator(*p) + n, &out->post);
	}

	if (!strncasecmp(p + is_separator(*p), "dev", 3)) {
		out->has_dev = 1;
		p = parse_label_number(p + is_separator(*p) + 3, &out->dev);
	}

	if (*p == '+') {
		if (parse_local(p + 1) < 0)
			goto bad;
		out->local = p + 1;
		return 0;
	}
	if (!*p)
		return 0;
bad:
	if (*p == '+' || (p > v && p[-1] == '+'))
		return error_code(err, ERR_BAD_INPUT, "invalid pypi version '%s': malformed local version label", v);
	return error_code(err, ERR_BAD_INPUT, "invalid pypi version '%s': not a PEP 440 version", v);
}

/* Release segments compare as numbers, the shorter one padded with zeros. */
static int compare_release(const struct pep440_version *a, const struct pep440_version *b)
{
	const char *pa = a->release, *ea = a->release + a->release_len;
	const char *pb = b->release, *eb = b->release + b->release_len;
	static const char zero[] = "0";

	while (pa < ea || pb < eb) {
		struct pep440_number na = { zero, 1 }, nb = { zero, 1 };
		if (pa < ea) {
			na.digits = pa;
			na.len = digit_run(pa);
			pa += na.len + (pa + na.len < ea);
		}
		if (pb < eb) {
			nb.digits = pb;
			nb.len = digit_run(pb);
			pb += nb.len + (pb + nb.len < eb);
		}
		int c = compare_numbers(na, nb);
		if (c)
			return c;
	}
	return 0;
}

static size_t local_segment(const char *s)
{
	size_t n = 0;

	while (is_alnum(s[n]))
		n++;
	return n;
}

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/*
 * Local labels compare segment by segment: numbers as numbers and above any
 * word, words without regard to case, and a label that is a prefix of the
 * other sorts first.
 */
static int compare_local(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	for (;;) {
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		size_t la = local_segment(a), lb = local_segment(b);
		int da = all_digits(a, la), db = all_digits(b, lb);
		int c;
		if (da != db)
			return da ? 1 : -1;
		if (da) {
			c = compare_numbers((struct pep440_number){ a, la }, (struct pep440_number){ b, lb });
		} else {
			size_t common = la < lb ? la : lb;
			c = strncasecmp(a, b, common);
			c = c ? (c > 0) - (c < 0) : (la > lb) - (la < lb);
		}
		if (c)
			return c;
		a += la + (a[la] != 0);
		b += lb + (b[lb] != 0);
	}
}

/* The pre-release key: a dev release of a final version sorts before its pre-releases. */
static int pre_rank(const struct pep440_version *v)
{
	if (v->pre_kind == PRE_NONE && !v->has_post && v->has_dev)
		return -1;
	return v->pre_kind;
}

static int compare_pep440(const struct pep440_version *a, const struct pep440_version *b)
{
	int c = compare_numbers(a->epoch, b->epoch);

	if (!c)
		c = compare_release(a, b);
	if (!c) {
		int ra = pre_rank(a), rb = pre_rank(b);
		c = (ra > rb) - (ra < rb);
	}
	if (!c && a->pre_kind != PRE_NONE)
		c = compare_numbers(a->pre, b->pre);
	if (!c)
		c = a->has_post != b->has_post ? (a->has_post ? 1 : -1) : 0;
	if (!c && a->has_post)
		c = compare_numbers(a->post, b->post);
	if (!c)
		c = a->has_dev != b->has_dev ? (a->has_dev ? -1 : 1) : 0;
	if (!c && a->has_dev)
		c = compare_numbers(a->dev, b->dev);
	if (!c)
		c = compare_local(a->local, b->local);
	return c;
}

static int pypi_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct pep440_version va, vb;
	int ret;

	if ((ret = parse_pep440(a, &va, err)) < 0 || (ret = parse_pep440(b, &vb, err)) < 0)
		return ret;
	*result = compare_pep440(&va, &vb);
	return 0;
}

const struct version_scheme version_scheme_pypi = {
	.name = "pypi",
	.aliases = (const char *const[]){ "python", "pip", NULL },
	.compare = pypi_compare,
};
