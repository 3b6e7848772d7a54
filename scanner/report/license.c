/* SPDX license expressions: a small recursive-descent check over the identifiers we know. */
#include "report/license.h"

#include <string.h>
#include <strings.h>

/*
 * The identifiers seen in real package metadata, as the SPDX license list
 * spells them, deprecated ones included because old packages still declare
 * them. A unit test checks each against the SPDX schema that CycloneDX ships,
 * and tests/cli/t0500 against the SPDX reference validator, so nothing here
 * can make a document invalid. An identifier missing from this list is
 * written as a license name, which is still correct. MPL-2.0-no-copyleft-
 * exception is left out on purpose: the reference validator's parser takes
 * any name ending in "-exception" for an exception and rejects it.
 */
const char *const license_ids[] = {
	"0BSD", "AFL-2.1", "AFL-3.0", "AGPL-1.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later",
	"Apache-1.0", "Apache-1.1", "Apache-2.0", "APSL-2.0", "Artistic-1.0", "Artistic-1.0-Perl",
	"Artistic-2.0", "Beerware", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent",
	"BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0",
	"CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "curl", "ECL-2.0",
	"EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "FTL", "GFDL-1.2", "GFDL-1.2-only", "GFDL-1.2-or-later",
	"GFDL-1.3", "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0", "GPL-1.0+", "GPL-1.0-only",
	"GPL-1.0-or-later", "GPL-2.0", "GPL-2.0+", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0+",
	"GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ICU", "IJG", "ISC", "LGPL-2.0", "LGPL-2.0+",
	"LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1+", "LGPL-2.1-only", "LGPL-2.1-or-later",
	"LGPL-3.0", "LGPL-3.0+", "LGPL-3.0-only", "LGPL-3.0-or-later", "Libpng", "libpng-2.0", "MIT",
	"MIT-0", "MPL-1.1", "MPL-2.0", "MS-PL", "NCSA", "ODbL-1.0",
	"OFL-1.1", "OpenSSL", "PHP-3.01", "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "TCL",
	"Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11", "Zlib",
	"ZPL-2.1", NULL,
};

const char *const license_exception_ids[] = {
	"Autoconf-exception-2.0", "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0",
	"Font-exception-2.0", "GCC-exception-2.0", "GCC-exception-3.1", "Libtool-exception",
	"Linux-syscall-note", "LLVM-exception", "OCaml-LGPL-linking-exception", "openvpn-openssl-exception",
	"Qt-GPL-exception-1.0", "Qt-LGPL-exception-1.1", "Swift-exception", "u-boot-exception-2.0",
	"Universal-FOSS-exception-1.0", "WxWindows-exception-3.1", NULL,
};

/* Longer declarations are prose, not expressions; the caps also bound the recursion. */
#define MAX_DECLARED_LEN 1024
#define MAX_TOKENS 128
#define MAX_DEPTH 16

struct token {
	const char *s;
	size_t len;
};

struct parser {
	const struct token *tok;
	size_t nr, pos;
	int depth;
	int operators; /* AND, OR, WITH or parentheses seen: an expression, not one id */
	struct strbuf *out;
};

/* SPDX matches identifiers case-insensitively; we emit the list's spelling. */
static const char *lookup(const char *const *list, const struct token *t)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == t->len && !strncasecmp(list[i], t->s, t->len))
			return list[i];
	return NULL;
}

static int is_word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '+' || c == ':';
}

static int tokenize(const char *s, struct token *tok, size_t *nr)
{
	*nr = 0;
	while (*s) {
		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if (*nr == MAX_TOKENS)
			return -1;
		tok[*nr].s = s;
		if (*s == '(' || *s == ')') {
			tok[*nr].len = 1;
			s++;
		} else if (is_word_char(*s)) {
			const char *start = s;
			while (is_word_char(*s))
				s++;
			tok[*nr].len = (size_t)(s - start);
		} else {
			return -1;
		}
		(*nr)++;
	}
	return *nr ? 0 : -1;
}

static int peek_is(const struct parser *p, const char *word)
{
	const struct token *t;

	if (p->pos >= p->nr)
		return 0;
	t = &p->tok[p->pos];
	return t->len == strlen(word) && !strncasecmp(t->s, word, t->len);
}

static void emit(struct parser *p, const char *s, size_t len)
{
	struct strbuf *out = p->out;

	if (out->len && out->buf[out->len - 1] != '(' && !(len == 1 && *s == ')'))
		strbuf_addch(out, ' ');
	strbuf_add(out, s, len);
}

static int parse_or(struct parser *p);

static int parse_primary(struct parser *p)
{
	const char *id;

	if (p->pos >= p->nr)
		return -1;
	if (peek_is(p, "(")) {
		if (++p->depth > MAX_DEPTH)
			return -1;
		p->operators++;
		emit(p, "(", 1);
		p->pos++;
		if (parse_or(p) || !peek_is(p, ")"))
			return -1;
		emit(p, ")", 1);
		p->pos++;
		p->depth--;
		return 0;
	}
	id = lookup(license_ids, &p->tok[p->pos]);
	if (!id)
		return -1;
	emit(p, id, strlen(id));
	p->pos++;
	return 0;
}

static int parse_with(struct parser *p)
{
	const char *exception;

	if (parse_primary(p))
		return -1;
	if (!peek_is(p, "WITH"))
		return 0;
	p->pos++;
	if (p->pos >= p->nr)
		return -1;
	exception = lookup(license_exception_ids, &p->tok[p->pos]);
	if (!exception)
		return -1;
	p->operators++;
	emit(p, "WITH", 4);
	emit(p, exception, strlen(exception));
	p->pos++;
	return 0;
}

static int parse_and(struct parser *p)
{
	if (parse_with(p))
		return -1;
	while (peek_is(p, "AND")) {
		p->pos++;
		p->operators++;
		emit(p, "AND", 3);
		if (parse_with(p))
			return -1;
	}
	return 0;
}

static int parse_or(struct parser *p)
{
	if (parse_and(p))
		return -1;
	while (peek_is(p, "OR")) {
		p->pos++;
		p->operators++;
		emit(p, "OR", 2);
		if (parse_and(p))
			return -1;
	}
	return 0;
}

enum license_kind license_classify(const char *declared, struct strbuf *out)
{
	struct token tok[MAX_TOKENS];
	struct parser p = { 0 };
	const char *s = declared;

	strbuf_reset(out);
	if (!s)
		return LICENSE_NONE;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return LICENSE_NONE;
	if (strlen(s) > MAX_DECLARED_LEN || tokenize(s, tok, &p.nr))
		return LICENSE_OTHER;
	p.tok = tok;
	p.out = out;
	if (parse_or(&p) || p.pos != p.nr) {
		strbuf_reset(out);
		return LICENSE_OTHER;
	}
	return p.operators ? LICENSE_SPDX_EXPRESSION : LICENSE_SPDX_ID;
}
