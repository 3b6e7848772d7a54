/* Dockerfile reading as BuildKit does, the Dockerfile rules, and linking image findings to its lines. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/config_checks.h"
#include "checks/dockerfile.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* ---- parsing ---- */

/* Bytes of an instruction text kept in a finding; longer texts are cut and end in "...". */
#define FINDING_TEXT_MAX 200
/* Heredocs one instruction may open; BuildKit has no limit, but a real file uses one or two. */
#define MAX_HEREDOCS 16
/* Longest heredoc delimiter word. */
#define MAX_DELIMITER 64
/* Variables one FROM may use; a real one uses two or three. */
#define MAX_SUBSTITUTIONS 64

struct meta_arg {
	const char *name;
	const char *value; /* NULL: declared without a default, so only --build-arg can tell */
};

struct parser {
	struct dockerfile *df;
	const char *data, *end, *pos; /* the rest of the input, line by line */
	uint64_t line;		      /* the line pos starts */
	struct strbuf *err;
	size_t alloc_instructions, alloc_stages;
	struct meta_arg *meta;
	size_t nr_meta, alloc_meta;
};

static int fail(struct parser *p, int code, uint64_t line, const char *what)
{
	return error_code(p->err, code, "bad dockerfile '%s', line %" PRIu64 ": %s", p->df->path, line, what);
}

/* The next physical line without its end of line (LF or CRLF); 0 at the end of input. */
static int next_line(struct parser *p, const char **start, size_t *len, uint64_t *line)
{
	const char *nl;
	size_t n;

	if (p->pos >= p->end)
		return 0;
	nl = memchr(p->pos, '\n', (size_t)(p->end - p->pos));
	n = nl ? (size_t)(nl - p->pos) : (size_t)(p->end - p->pos);
	*start = p->pos;
	*line = p->line++;
	p->pos = nl ? nl + 1 : p->end;
	if (n && (*start)[n - 1] == '\r')
		n--;
	*len = n;
	return 1;
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
	while (i < len && is_blank((unsigned char)s[i]))
		i++;
	return i;
}

static size_t trim_end(const char *s, size_t len)
{
	while (len && is_blank((unsigned char)s[len - 1]))
		len--;
	return len;
}

static int blank_line(const char *s, size_t len)
{
	return skip_blanks(s, len, 0) == len;
}

static int comment_line(const char *s, size_t len)
{
	size_t i = skip_blanks(s, len, 0);

	return i < len && s[i] == '#';
}

/* Every line holds valid UTF-8 without NUL before anything else looks at it, so messages can quote it. */
static int validate(struct parser *p)
{
	const char *s = p->data;
	uint64_t line = 1;

	while (s < p->end) {
		const char *nl = memchr(s, '\n', (size_t)(p->end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(p->end - s);

		if (memchr(s, '\0', n))
			return fail(p, ERR_BAD_INPUT, line, "NUL byte");
		if (!utf8_is_valid(s, n))
			return fail(p, ERR_BAD_INPUT, line, "invalid UTF-8");
		s += n + 1;
		line++;
	}
	return 0;
}

/*
 * Parser directives are comments of the form "# name=value" at the very
 * top; the first line that is anything else ends them, an unknown directive
 * too. Only escape changes how the rest reads; syntax and check are
 * recorded nowhere.
 */
static int read_directives(struct parser *p)
{
	int seen_escape = 0;

	for (;;) {
		const char *save = p->pos, *s;
		uint64_t save_line = p->line, line;
		size_t len, i, name, name_end, value, value_end;

		if (!next_line(p, &s, &len, &line))
			return 0;
		i = skip_blanks(s, len, 0);
		if (i == len || s[i] != '#')
			goto done;
		name = skip_blanks(s, len, i + 1);
		if (name == len || !isalpha((unsigned char)s[name]))
			goto done;
		for (name_end = name; name_end < len && isalnum((unsigned char)s[name_end]); name_end++)
			;
		value = skip_blanks(s, len, name_end);
		if (value == len || s[value] != '=')
			goto done;
		value = skip_blanks(s, len, value + 1);
		value_end = trim_end(s, len);
		if (value_end <= value)
			goto done;
		if (name_end - name == 6 && !strncasecmp(s + name, "escape", 6)) {
			if (seen_escape)
				return fail(p, ERR_BAD_INPUT, line, "only one escape directive may be used");
			if (value_end - value != 1 || (s[value] != '\\' && s[value] != '`'))
				return fail(p, ERR_BAD_INPUT, line, "the escape directive takes '\\' or '`'");
			p->df->escape = s[value];
			seen_escape = 1;
			continue;
		}
		/* An unknown directive is a comment, and a comment ends the directives. */
		if ((name_end - name == 6 && !strncasecmp(s + name, "syntax", 6)) ||
		    (name_end - name == 5 && !strncasecmp(s + name, "check", 5)))
			continue;
		goto done;
	done:
		p->pos = save;
		p->line = save_line;
		return 0;
	}
}

/* The bytes of s to keep to stay within max without cutting a character. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static char *upper_dup(struct arena *a, const char *s, size_t n)
{
	char *out = arena_strndup(a, s, n);

	for (char *c = out; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	return out;
}

static char *lower_dup(struct arena *a, const char *s, size_t n)
{
	char *out = arena_strndup(a, s, n);

	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

static const char *const keywords[] = {
    "ADD",   "ARG",	   "CMD",     "COPY", "ENTRYPOINT", "ENV",	  "EXPOSE", "FROM",   "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN",  "SHELL",	    "STOPSIGNAL", "USER",   "VOLUME", "WORKDIR",
};

static int known_keyword(const char *word)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(*keywords); i++)
		if (!strcmp(word, keywords[i]))
			return 1;
	return 0;
}

struct heredoc {
	char delimiter[MAX_DELIMITER + 1];
	int strip_tabs; /* <<- */
};

/*
 * The heredocs a RUN, COPY or ADD line opens, in order: "<<EOF", "<<-EOF",
 * "<<'EOF'", "<<\"EOF\"". "<<<" is a here-string and "1<<2" arithmetic.
 */
static int find_heredocs(const char *s, size_t len, struct heredoc *docs)
{
	size_t i = 0, nr = 0;
	char quote = 0;

	while (i + 2 < len && nr < MAX_HEREDOCS) {
		size_t j, start;
		int strip = 0;
		char q = 0;

		/* Quoted text is not a redirection. */
		if (quote) {
			if (s[i] == quote)
				quote = 0;
			i++;
			continue;
		}
		if (s[i] == '\'' || s[i] == '"') {
			quote = s[i++];
			continue;
		}
		if (s[i] != '<' || s[i + 1] != '<' || (i && s[i - 1] == '<')) {
			i++;
			continue;
		}
		j = i + 2;
		if (j < len && s[j] == '<') {
			i = j + 1;
			continue;
		}
		if (j < len && s[j] == '-')
			strip = 1, j++;
		if (j < len && (s[j] == '\'' || s[j] == '"'))
			q = s[j++];
		start = j;
		while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.'))
			j++;
		if (j == start || isdigit((unsigned char)s[start]) || j - start > MAX_DELIMITER ||
		    (q && (j == len || s[j] != q))) {
			i = j > i + 2 ? j : i + 2;
			continue;
		}
		memcpy(docs[nr].delimiter, s + start, j - start);
		docs[nr].delimiter[j - start] = '\0';
		docs[nr].strip_tabs = strip;
		nr++;
		i = q ? j + 1 : j;
	}
	return (int)nr;
}

/* Read each heredoc's body, which follows the instruction's last line, into body. */
static int read_heredocs(struct parser *p, struct heredoc *docs, int nr, uint64_t first_line, size_t used,
			 struct strbuf *body, uint64_t *end_line)
{
	for (int d = 0; d < nr; d++) {
		for (;;) {
			const char *s;
			size_t len, i = 0;
			uint64_t line;

			if (!next_line(p, &s, &len, &line)) {
				struct strbuf what = STRBUF_INIT;
				int rc;

				strbuf_addf(&what, "unterminated heredoc '%s'", docs[d].delimiter);
				rc = fail(p, ERR_BAD_INPUT, first_line, what.buf);
				strbuf_release(&what);
				return rc;
			}
			*end_line = line;
			if (docs[d].strip_tabs)
				while (i < len && s[i] == '\t')
					i++;
			if (len - i == strlen(docs[d].delimiter) &&
			    !memcmp(s + i, docs[d].delimiter, len - i))
				break;
			strbuf_add(body, s + i, len - i);
			strbuf_addch(body, '\n');
			if (used + body->len > DOCKERFILE_MAX_INSTRUCTION_BYTES)
				return fail(p, ERR_LIMIT, first_line, "instruction larger than 256 KiB");
		}
	}
	return 0;
}

/* Split a shell-form argument string at blanks, keeping quoted text inside its word. */
static void split_words(struct arena *a, const char *args, const char ***argv, size_t *argc)
{
	size_t n = 0, cap = 0, len = strlen(args), i = 0;
	const char **out = NULL;

	while ((i = skip_blanks(args, len, i)) < len) {
		size_t start = i;
		char quote = 0;

		for (; i < len && (quote || !is_blank((unsigned char)args[i])); i++) {
			if (quote && args[i] == quote)
				quote = 0;
			else if (!quote && (args[i] == '"' || args[i] == '\''))
				quote = args[i];
		}
		if (n == cap) {
			const char **grown;

			cap = cap ? 2 * cap : 8;
			grown = arena_alloc(a, cap * sizeof(*grown));
			if (n)
				memcpy(grown, out, n * sizeof(*grown));
			out = grown;
		}
		out[n++] = arena_strndup(a, args + start, i - start);
	}
	*argv = out;
	*argc = n;
}

/* args as a JSON array of strings: 1 and argv filled, 0 when it is not one. */
static int parse_exec_form(struct arena *a, const char *args, const char ***argv, size_t *argc)
{
	cJSON *json = cJSON_ParseWithLength(args, strlen(args)), *item;
	const char **out;
	size_t n = 0;

	if (!json || !cJSON_IsArray(json)) {
		cJSON_Delete(json);
		return 0;
	}
	cJSON_ArrayForEach(item, json)
	{
		if (!cJSON_IsString(item)) {
			cJSON_Delete(json);
			return 0;
		}
		n++;
	}
	out = arena_alloc(a, (n ? n : 1) * sizeof(*out));
	n = 0;
	cJSON_ArrayForEach(item, json)
	{
		out[n++] = arena_strdup(a, item->valuestring);
	}
	cJSON_Delete(json);
	*argv = out;
	*argc = n;
	return 1;
}

static int takes_exec_form(const char *keyword)
{
	static const char *const forms[] = {"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"};

	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++)
		if (!strcmp(keyword, forms[i]))
			return 1;
	return 0;
}

/* The value of meta ARG name (len bytes): 1 and *value, or 0 when it has none. */
static int meta_value(const struct parser *p, const char *name, size_t len, const char **value)
{
	/* The last declaration wins, as in BuildKit. */
	for (size_t i = p->nr_meta; i-- > 0;)
		if (strlen(p->meta[i].name) == len && !memcmp(p->meta[i].name, name, len)) {
			*value = p->meta[i].value;
			return *value != NULL;
		}
	return 0;
}

/*
 * Substitute the ARGs before FROM into a FROM image the way BuildKit does
 * ($A, ${A}, ${A:-default}, ${A-default}, ${A:+alt}, ${A+alt}). Returns 0
 * when an ARG has no value: a --build-arg may give it one, so nobody can
 * tell which image is meant.
 */
static int substitute(const struct parser *p, const char *s, struct strbuf *out)
{
	char esc = p->df->escape;
	size_t i = 0, len = strlen(s), substitutions = 0;

	while (i < len) {
		size_t start, name_len;
		const char *value = NULL;
		int braces = 0, have;

		if (s[i] == esc && i + 1 < len) {
			strbuf_addch(out, s[i + 1]);
			i += 2;
			continue;
		}
		if (s[i] != '$') {
			strbuf_addch(out, s[i++]);
			continue;
		}
		i++;
		/* Each lookup scans the ARGs: a hostile FROM must not multiply them. */
		if (++substitutions > MAX_SUBSTITUTIONS)
			return 0;
		if (i < len && s[i] == '{')
			braces = 1, i++;
		start = i;
		while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		name_len = i - start;
		if (!name_len) {
			if (braces)
				return 0;
			strbuf_addch(out, '$');
			continue;
		}
		have = meta_value(p, s + start, name_len, &value);
		if (!braces) {
			if (!have)
				return 0;
			strbuf_addstr(out, value);
			continue;
		}
		if (i < len && s[i] == '}') {
			if (!have)
				return 0;
			strbuf_addstr(out, value);
			i++;
			continue;
		}
		{
			int colon = i < len && s[i] == ':';
			char op;
			const char *word;
			const char *close;
			int set;

			if (colon)
				i++;
			if (i >= len || (s[i] != '-' && s[i] != '+'))
				return 0;
			op = s[i++];
			word = s + i;
			close = memchr(word, '}', len - i);
			if (!close || memchr(word, '$', (size_t)(close - word)))
				return 0;
			set = have && (!colon || *value);
			if (op == '-' && set)
				strbuf_addstr(out, value);
			else if (op == '-' || set)
				strbuf_add(out, word, (size_t)(close - word));
			i = (size_t)(close - s) + 1;
		}
	}
	return 1;
}

static void add_meta_args(struct parser *p, struct dockerfile_instruction *in)
{
	for (size_t i = 0; i < in->argc; i++) {
		const char *w = in->argv[i], *eq = strchr(w, '=');
		struct meta_arg *m;

		if (p->nr_meta == p->alloc_meta) {
			p->alloc_meta = p->alloc_meta ? 2 * p->alloc_meta : 8;
			p->meta = xrealloc(p->meta, p->alloc_meta * sizeof(*p->meta));
		}
		m = &p->meta[p->nr_meta++];
		m->name = eq ? arena_strndup(&p->df->arena, w, (size_t)(eq - w)) : w;
		m->value = NULL;
		if (eq) {
			const char *v = eq + 1;
			size_t n = strlen(v);

			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
				m->value = arena_strndup(&p->df->arena, v + 1, n - 2);
			else
				m->value = v;
		}
	}
}

static int start_stage(struct parser *p, struct dockerfile_instruction *in)
{
	struct dockerfile *df = p->df;
	struct dockerfile_stage *st;
	struct strbuf base = STRBUF_INIT;

	if (in->argc != 1 && !(in->argc == 3 && !strcasecmp(in->argv[1], "AS")))
		return fail(p, ERR_BAD_INPUT, in->line, "FROM takes an image and an optional 'AS name'");
	if (df->nr_stages == p->alloc_stages) {
		p->alloc_stages = p->alloc_stages ? 2 * p->alloc_stages : 4;
		df->stages = xrealloc(df->stages, p->alloc_stages * sizeof(*df->stages));
	}
	st = &df->stages[df->nr_stages];
	memset(st, 0, sizeof(*st));
	st->base_raw = in->argv[0];
	st->name = in->argc == 3 ? lower_dup(&df->arena, in->argv[2], strlen(in->argv[2])) : NULL;
	st->base_stage = -1;
	st->first = df->nr_instructions;
	st->end = df->nr_instructions + 1;
	if (substitute(p, in->argv[0], &base) && base.len) {
		st->base = arena_strdup(&df->arena, base.buf);
		for (size_t s = 0; s < df->nr_stages; s++)
			if (df->stages[s].name && !strcasecmp(df->stages[s].name, st->base))
				st->base_stage = (int)s;
		st->scratch = st->base_stage < 0 && !strcasecmp(st->base, "scratch");
	}
	strbuf_release(&base);
	df->nr_stages++;
	return 0;
}

/* Turn one joined instruction (text, heredoc bodies) into an entry of df->instructions. */
static int add_instruction(struct parser *p, const char *text, size_t len, const char *heredoc, uint64_t line,
			   uint64_t end_line)
{
	struct dockerfile *df = p->df;
	struct dockerfile_instruction *in;
	size_t i = 0, kw_end, nr_flags = 0;
	char *keyword;

	if (df->nr_instructions >= DOCKERFILE_MAX_INSTRUCTIONS)
		return fail(p, ERR_LIMIT, line, "more than 10000 instructions");
	for (kw_end = i; kw_end < len && !is_blank((unsigned char)text[kw_end]); kw_end++)
		;
	keyword = upper_dup(&df->arena, text, kw_end);
	if (!known_keyword(keyword)) {
		struct strbuf what = STRBUF_INIT;
		int rc;

		strbuf_addstr(&what, "unknown instruction '");
		strbuf_add(&what, keyword, utf8_cut(keyword, 32));
		strbuf_addstr(&what, keyword[utf8_cut(keyword, 32)] ? "...'" : "'");
		rc = fail(p, ERR_BAD_INPUT, line, what.buf);
		strbuf_release(&what);
		return rc;
	}
	if (df->nr_instructions == p->alloc_instructions) {
		p->alloc_instructions = p->alloc_instructions ? 2 * p->alloc_instructions : 32;
		df->instructions =
		    xrealloc(df->instructions, p->alloc_instructions * sizeof(*df->instructions));
	}
	in = &df->instructions[df->nr_instructions];
	memset(in, 0, sizeof(*in));
	in->keyword = keyword;
	in->line = line;
	in->end_line = end_line;
	in->text = arena_strndup(&df->arena, text, len);
	in->heredoc = heredoc;
	in->stage = df->nr_stages ? (int)df->nr_stages - 1 : -1;

	/* Flags come first: each word that starts with "--". */
	i = skip_blanks(text, len, kw_end);
	for (size_t j = i; j + 2 <= len && text[j] == '-' && text[j + 1] == '-';) {
		size_t e = j;

		while (e < len && !is_blank((unsigned char)text[e]))
			e++;
		nr_flags++;
		j = skip_blanks(text, len, e);
	}
	if (nr_flags)
		in->flags = arena_alloc(&df->arena, nr_flags * sizeof(*in->flags));
	for (size_t f = 0; f < nr_flags; f++) {
		size_t e = i;
		const char *eq;

		while (e < len && !is_blank((unsigned char)text[e]))
			e++;
		eq = memchr(text + i + 2, '=', e - i - 2);
		in->flags[f].name =
		    arena_strndup(&df->arena, text + i + 2, eq ? (size_t)(eq - text - i - 2) : e - i - 2);
		in->flags[f].value =
		    eq ? arena_strndup(&df->arena, eq + 1, (size_t)(text + e - eq - 1)) : NULL;
		i = skip_blanks(text, len, e);
	}
	in->nr_flags = nr_flags;
	in->args = arena_strndup(&df->arena, text + i, len - i);
	if (takes_exec_form(keyword) && in->args[0] == '[' &&
	    parse_exec_form(&df->arena, in->args, &in->argv, &in->argc)) {
		in->exec_form = 1;
	} else {
		/*
		 * BuildKit reads a bad array as shell form, but '["' opens
		 * nothing else a shell would run: it is a broken exec form.
		 */
		if (takes_exec_form(keyword) && !strncmp(in->args, "[\"", 2))
			return fail(p, ERR_BAD_INPUT, line, "unterminated or invalid JSON array");
		split_words(&df->arena, in->args, &in->argv, &in->argc);
	}

	if (!strcmp(keyword, "FROM")) {
		int rc = start_stage(p, in);

		if (rc)
			return rc;
		in->stage = (int)df->nr_stages - 1;
	} else if (!df->nr_stages) {
		if (strcmp(keyword, "ARG"))
			return fail(p, ERR_BAD_INPUT, line, "instruction before the first FROM");
		add_meta_args(p, in);
	} else {
		df->stages[df->nr_stages - 1].end = df->nr_instructions + 1;
	}
	df->nr_instructions++;
	return 0;
}

/* Read one instruction starting at a line that is neither blank nor a comment. */
static int read_instruction(struct parser *p, const char *s, size_t len, uint64_t line)
{
	struct strbuf text = STRBUF_INIT, body = STRBUF_INIT;
	struct heredoc docs[MAX_HEREDOCS];
	uint64_t end_line = line, cont_line = line;
	size_t start;
	int rc = 0, nr_docs;

	for (;;) {
		size_t n = trim_end(s, len);

		if (n && s[n - 1] == p->df->escape) {
			strbuf_add(&text, s, n - 1);
		} else {
			strbuf_add(&text, s, len);
			break;
		}
		if (text.len > DOCKERFILE_MAX_INSTRUCTION_BYTES) {
			rc = fail(p, ERR_LIMIT, line, "instruction larger than 256 KiB");
			goto out;
		}
		/* Comment lines inside a continuation are dropped; empty ones too. */
		do {
			if (!next_line(p, &s, &len, &end_line)) {
				rc = fail(p, ERR_BAD_INPUT, cont_line,
					  "line continuation at the end of the file");
				goto out;
			}
		} while (comment_line(s, len) || blank_line(s, len));
		cont_line = end_line;
	}
	if (text.len > DOCKERFILE_MAX_INSTRUCTION_BYTES) {
		rc = fail(p, ERR_LIMIT, line, "instruction larger than 256 KiB");
		goto out;
	}
	start = skip_blanks(text.buf, text.len, 0);
	text.len = trim_end(text.buf, text.len);
	text.buf[text.len] = '\0';
	nr_docs = 0;
	if (!strncasecmp(text.buf + start, "RUN", 3) || !strncasecmp(text.buf + start, "COPY", 4) ||
	    !strncasecmp(text.buf + start, "ADD", 3))
		nr_docs = find_heredocs(text.buf + start, text.len - start, docs);
	if (nr_docs && (rc = read_heredocs(p, docs, nr_docs, line, text.len, &body, &end_line)))
		goto out;
	/* A one-line text: tabs and other blanks inside it read as spaces. */
	for (size_t i = start; i < text.len; i++)
		if (is_blank((unsigned char)text.buf[i]))
			text.buf[i] = ' ';
	rc = add_instruction(p, text.buf + start, text.len - start,
			     nr_docs ? arena_strndup(&p->df->arena, body.buf, body.len) : NULL, line,
			     end_line);
out:
	strbuf_release(&text);
	strbuf_release(&body);
	return rc;
}

void dockerfile_free(struct dockerfile *df)
{
	if (!df)
		return;
	free(df->instructions);
	free(df->stages);
	arena_release(&df->arena);
	free(df);
}

int dockerfile_parse(const char *data, size_t len, const char *path, struct dockerfile **out,
		     struct strbuf *err)
{
	struct parser p;
	struct dockerfile *df;
	const char *s;
	size_t n;
	uint64_t line;
	int rc;

	*out = NULL;
	if (len > DOCKERFILE_MAX_BYTES)
		return error_code(err, ERR_LIMIT, "bad dockerfile '%s', line 1: larger than 1 MiB", path);
	df = xcalloc(1, sizeof(*df));
	df->path = arena_strdup(&df->arena, path);
	df->escape = '\\';
	memset(&p, 0, sizeof(p));
	p.df = df;
	p.data = data;
	p.end = data + len;
	p.err = err;
	p.line = 1;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		p.data += 3;
	p.pos = p.data;
	if ((rc = validate(&p)) || (rc = read_directives(&p)))
		goto fail;
	while (next_line(&p, &s, &n, &line)) {
		if (blank_line(s, n) || comment_line(s, n))
			continue;
		if ((rc = read_instruction(&p, s, n, line)))
			goto fail;
	}
	if (!df->nr_stages) {
		rc = fail(&p, ERR_BAD_INPUT, p.line > 1 ? p.line - 1 : 1, "no FROM instruction");
		goto fail;
	}
	free(p.meta);
	*out = df;
	return 0;
fail:
	free(p.meta);
	dockerfile_free(df);
	return rc;
}

int dockerfile_load(const char *path, struct dockerfile **out, struct strbuf *err)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (stat(path, &st)) {
		if (errno == ENOENT)
			return error_code(err, ERR_NOT_FOUND, "cannot read dockerfile '%s': no such file",
					  path);
		return error_code(err, ERR_IO, "cannot read dockerfile '%s': %s", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return error_code(err, ERR_IO, "cannot read dockerfile '%s': it is a folder", path);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return error_code(err, ERR_IO, "cannot read dockerfile '%s': not a regular file", path);
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > DOCKERFILE_MAX_BYTES)
		return error_code(err, ERR_LIMIT, "bad dockerfile '%s', line 1: larger than 1 MiB", path);
	f = fopen(path, "rb");
	if (!f)
		return error_code(err, ERR_IO, "cannot read dockerfile '%s': %s", path, strerror(errno));
	/* One byte more than the cap tells a file that grew or a pipe that is too long. */
	buf = xmalloc(DOCKERFILE_MAX_BYTES + 1);
	n = fread(buf, 1, DOCKERFILE_MAX_BYTES + 1, f);
	if (ferror(f)) {
		rc = error_code(err, ERR_IO, "cannot read dockerfile '%s': %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return rc;
	}
	fclose(f);
	rc = dockerfile_parse(buf, n, path, out, err);
	free(buf);
	return rc;
}

/* ---- findings ---- */

enum dockerfile_rule_id {
#define DOCKERFILE_RULE(name, id, severity, title, why, remediation) DKR_##name,
#include "checks/dockerfile_rules.def"
#undef DOCKERFILE_RULE
	DKR_RULE_COUNT
};

static const char *const rule_ids[DKR_RULE_COUNT] = {
#define DOCKERFILE_RULE(name, id, severity, title, why, remediation) id,
#include "checks/dockerfile_rules.def"
#undef DOCKERFILE_RULE
};

/* One NAME=value assignment inside a word, with leading dashes and quotes taken off. */
static int word_assignment(const char *w, size_t len, size_t *name_start, size_t *name_len,
			   size_t *value_start, size_t *value_len)
{
	size_t i = 0, n;

	while (i < len && (w[i] == '-' || w[i] == '"' || w[i] == '\''))
		i++;
	n = i;
	if (n >= len || !(isalpha((unsigned char)w[n]) || w[n] == '_'))
		return 0;
	while (n < len && (isalnum((unsigned char)w[n]) || w[n] == '_' || w[n] == '.' || w[n] == '-'))
		n++;
	if (n >= len || w[n] != '=')
		return 0;
	*name_start = i;
	*name_len = n - i;
	*value_start = n + 1;
	*value_len = len - n - 1;
	/* Quotes around the value, or around the whole word, are not part of it. */
	if (*value_len && (w[*value_start] == '"' || w[*value_start] == '\'')) {
		(*value_start)++;
		(*value_len)--;
	}
	if (*value_len &&
	    (w[*value_start + *value_len - 1] == '"' || w[*value_start + *value_len - 1] == '\''))
		(*value_len)--;
	return 1;
}

/* The end of the word at i: blanks end it, quoted text does not. */
static size_t word_end(const char *s, size_t len, size_t i)
{
	char quote = 0;

	for (; i < len && (quote || !is_blank((unsigned char)s[i])); i++) {
		if (quote && s[i] == quote)
			quote = 0;
		else if (!quote && (s[i] == '"' || s[i] == '\''))
			quote = s[i];
	}
	return i;
}

/* Append w with a URL password ("scheme://user:pw@host") replaced by "***". */
static void add_without_url_password(struct strbuf *sb, const char *w, size_t len)
{
	const char *scheme = memmem(w, len, "://", 3);

	if (scheme) {
		const char *auth = scheme + 3, *end = w + len, *q, *colon = NULL;

		for (q = auth; q < end && *q != '/' && *q != '@'; q++)
			if (*q == ':' && !colon)
				colon = q;
		if (q < end && *q == '@' && colon) {
			strbuf_add(sb, w, (size_t)(colon + 1 - w));
			strbuf_addstr(sb, "***");
			strbuf_add(sb, q, (size_t)(end - q));
			return;
		}
	}
	strbuf_add(sb, w, len);
}

/*
 * The instruction's text for a finding: secret assignments (also the
 * legacy "ENV NAME value" form) and URL passwords shown as "***", cut to
 * FINDING_TEXT_MAX bytes at a character boundary.
 */
static const char *finding_text(struct arena *a, const struct dockerfile_instruction *in)
{
	struct strbuf sb = STRBUF_INIT;
	const char *t = in->text;
	size_t len = strlen(t), i = 0, words = 0;
	int legacy_env = !strcmp(in->keyword, "ENV") && in->argc >= 2 && !strchr(in->argv[0], '=');
	char *out;

	while (i < len) {
		size_t e, ns, nl, vs, vl;

		if (is_blank((unsigned char)t[i])) {
			strbuf_addch(&sb, t[i++]);
			continue;
		}
		e = word_end(t, len, i);
		words++;
		if (word_assignment(t + i, e - i, &ns, &nl, &vs, &vl) &&
		    config_assignment_is_secret(t + i + ns, nl, t + i + vs, vl)) {
			strbuf_add(&sb, t + i, ns + nl + 1);
			strbuf_addstr(&sb, "***");
		} else if (legacy_env && words == 2 + in->nr_flags &&
			   config_assignment_is_secret(in->argv[0], strlen(in->argv[0]),
						       t + skip_blanks(t, len, e),
						       len - skip_blanks(t, len, e))) {
			strbuf_add(&sb, t + i, e - i);
			strbuf_addstr(&sb, " ***");
			break;
		} else {
			add_without_url_password(&sb, t + i, e - i);
		}
		i = e;
	}
	if (sb.len > FINDING_TEXT_MAX) {
		size_t n = FINDING_TEXT_MAX;

		while (n && ((unsigned char)sb.buf[n] & 0xC0) == 0x80)
			n--;
		sb.len = n;
		strbuf_addstr(&sb, "...");
	}
	out = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return out;
}

struct rules_run {
	const struct dockerfile *df;
	struct check_results *out;
};

static void report(struct rules_run *r, enum dockerfile_rule_id rule, const struct dockerfile_instruction *in,
		   const char *subject, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct rules_run *r, enum dockerfile_rule_id rule, const struct dockerfile_instruction *in,
		   const char *subject, const char *fmt, ...)
{
	struct arena *a = &r->out->arena;
	struct check_finding f;
	struct strbuf detail = STRBUF_INIT;
	char *clean;
	va_list ap;

	memset(&f, 0, sizeof(f));
	f.rule = check_rule_find(rule_ids[rule]);
	if (!f.rule)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&detail, fmt, ap);
	va_end(ap);
	f.path = arena_strdup(a, r->df->path);
	f.path_is_dockerfile = 1;
	f.line = in->line;
	f.dockerfile_line = in->line;
	/* Subjects and details quote the file, which is valid UTF-8 but may hold control characters. */
	clean = arena_strndup(a, subject, utf8_cut(subject, 120));
	for (char *c = clean; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	f.subject = clean;
	for (size_t i = 0; i < detail.len; i++)
		if ((unsigned char)detail.buf[i] < 0x20 || detail.buf[i] == 0x7f)
			detail.buf[i] = '?';
	f.detail = arena_strdup(a, detail.buf);
	f.instruction = finding_text(a, in);
	f.layer = -1;
	f.history = -1;
	check_results_add(r->out, &f);
	strbuf_release(&detail);
}

/* A short, one-line copy of s for a detail: at most 80 bytes, cut at a character boundary. */
static const char *short_text(struct arena *a, const char *s)
{
	size_t n = utf8_cut(s, 80);

	return s[n] ? arena_printf(a, "%.*s...", (int)n, s) : s;
}

/* ---- FROM: CUS-DKR-001, 002 ---- */

static void check_from(struct rules_run *r)
{
	const struct dockerfile *df = r->df;

	for (size_t s = 0; s < df->nr_stages; s++) {
		const struct dockerfile_stage *st = &df->stages[s];
		const struct dockerfile_instruction *in = &df->instructions[st->first];
		const char *image = st->base, *slash, *colon, *at;
		const char *shown;

		/* Earlier stages and scratch pull nothing; an ARG without a value cannot be judged. */
		if (!image || st->scratch || st->base_stage >= 0)
			continue;
		shown = short_text(&r->out->arena, image);
		at = strchr(image, '@');
		slash = strrchr(image, '/');
		colon = strchr(slash ? slash : image, ':');
		/* A digest pins the image whatever the tag says. */
		if (at)
			continue;
		if (!colon || !strcmp(colon, ":latest"))
			report(r, DKR_FROM_LATEST, in, shown, "FROM '%s' uses %s", shown,
			       colon ? "the latest tag" : "no tag, which means latest");
		report(r, DKR_FROM_NOT_PINNED, in, shown, "FROM '%s' names no digest (@sha256:...)", shown);
	}
}

/* ---- shell command lines of RUN ---- */

#define COMMAND_MAX_WORDS 64

/* One simple command of a shell line: its first words and whether a pipe joins it to the next. */
struct command {
	const char *word[COMMAND_MAX_WORDS];
	size_t len[COMMAND_MAX_WORDS];
	size_t nr;
	int piped_in, piped_out;
};

static int separator(int c)
{
	return c == ';' || c == '&' || c == '|' || c == '\n' || c == '(' || c == ')' || c == '`';
}

/* The next simple command at *pos; 0 at the end of the text. */
static int next_command(const char **pos, struct command *c, int piped_in)
{
	const char *p = *pos;

	memset(c, 0, sizeof(*c));
	c->piped_in = piped_in;
	for (;;) {
		const char *w;
		char quote = 0;

		while (is_blank((unsigned char)*p) || (*p == '\\' && p[1] == '\n'))
			p += *p == '\\' ? 2 : 1;
		if (!*p || separator((unsigned char)*p))
			break;
		w = p;
		for (; *p && (quote || !(is_blank((unsigned char)*p) || separator((unsigned char)*p))); p++) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '"' || *p == '\''))
				quote = *p;
		}
		if (c->nr < COMMAND_MAX_WORDS) {
			c->word[c->nr] = w;
			c->len[c->nr] = (size_t)(p - w);
			c->nr++;
		}
	}
	if (*p == '|' && p[1] != '|') {
		c->piped_out = 1;
		p += p[1] == '&' ? 2 : 1;
	} else if (*p) {
		/* "&&", "||", ";;" and friends: one separator. */
		p += (p[1] == p[0]) ? 2 : 1;
	}
	*pos = p;
	return c->nr || *p;
}

/* w is the command name, bare or as a path ("/usr/bin/curl"). */
static int word_is_command(const char *w, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len >= n && !memcmp(w + len - n, name, n) && (len == n || w[len - n - 1] == '/');
}

static int word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(w, s, len);
}

/*
 * Index of the program a command runs, past variable assignments and,
 * when wrappers is set, past sudo, env and their options; c->nr if none.
 */
static size_t program(const struct command *c, int wrappers)
{
	size_t i = 0, ns, nl, vs, vl;

	for (; i < c->nr; i++) {
		if (word_assignment(c->word[i], c->len[i], &ns, &nl, &vs, &vl) && ns == 0)
			continue;
		if (wrappers && (word_is_command(c->word[i], c->len[i], "sudo") ||
				 word_is_command(c->word[i], c->len[i], "env"))) {
			while (i + 1 < c->nr && c->word[i + 1][0] == '-')
				i++;
			continue;
		}
		break;
	}
	return i;
}

/* The shell text a RUN executes: shell form and heredoc bodies, or the exec form's words. */
static void run_script(const struct dockerfile_instruction *in, struct strbuf *sb)
{
	strbuf_reset(sb);
	if (in->exec_form) {
		for (size_t i = 0; i < in->argc; i++) {
			strbuf_addstr(sb, in->argv[i]);
			strbuf_addch(sb, ' ');
		}
	} else {
		strbuf_addstr(sb, in->args);
	}
	if (in->heredoc) {
		strbuf_addch(sb, '\n');
		strbuf_addstr(sb, in->heredoc);
	}
}

static const char *const shells[] = {"sh", "bash", "zsh", "dash", "ash", "ksh"};

/* The shell w runs, or NULL. */
static const char *shell_of(const char *w, size_t len)
{
	for (size_t i = 0; i < sizeof(shells) / sizeof(*shells); i++)
		if (word_is_command(w, len, shells[i]))
			return shells[i];
	return NULL;
}

static int has_flag(const struct dockerfile_instruction *in, const char *name, const char *value_part)
{
	for (size_t i = 0; i < in->nr_flags; i++)
		if (!strcmp(in->flags[i].name, name) &&
		    (!value_part || (in->flags[i].value && strstr(in->flags[i].value, value_part))))
			return 1;
	return 0;
}

struct cache_rule {
	const char *manager;
	const char *tools[3];
	const char *command;
	const char *option;  /* an option of the same command that keeps no cache, or NULL */
	const char *cleanup; /* text anywhere in the RUN that removes the cache, or NULL */
	const char *left;
};

static const struct cache_rule cache_rules[] = {
    {"apt", {"apt-get", "apt"}, "install", NULL, "/var/lib/apt/lists", "/var/lib/apt/lists"},
    {"apk", {"apk"}, "add", "--no-cache", "/var/cache/apk", "/var/cache/apk"},
    {"pip", {"pip", "pip3"}, "install", "--no-cache-dir", NULL, "~/.cache/pip"},
};

/* 1 when c runs a tool of rule with its command, and 2 when it also gives its no-cache option. */
static int runs_manager(const struct command *c, const struct cache_rule *rule)
{
	size_t i = program(c, 1), k;
	int tool = 0, cmd = 0, option = 0;

	if (i >= c->nr)
		return 0;
	for (k = 0; k < 3 && rule->tools[k]; k++)
		tool |= word_is_command(c->word[i], c->len[i], rule->tools[k]);
	/* "python3 -m pip install". */
	if (!tool && !strcmp(rule->manager, "pip") && i + 2 < c->nr &&
	    word_is(c->word[i + 1], c->len[i + 1], "-m"))
		tool = word_is(c->word[i + 2], c->len[i + 2], "pip") ||
		       word_is(c->word[i + 2], c->len[i + 2], "pip3");
	if (!tool)
		return 0;
	for (k = i + 1; k < c->nr; k++) {
		cmd |= word_is(c->word[k], c->len[k], rule->command);
		if (rule->option && word_is(c->word[k], c->len[k], rule->option))
			option = 1;
	}
	return cmd ? 1 + option : 0;
}

/* An ENV of the final stage's chain sets name to something other than empty, 0 or false. */
static int chain_env_set(const struct dockerfile *df, const int *chain, size_t nr_chain, const char *name);

static size_t final_chain(const struct dockerfile *df, int *chain);

static void check_run(struct rules_run *r)
{
	const struct dockerfile *df = r->df;
	struct strbuf script = STRBUF_INIT;
	int *chain = xcalloc(df->nr_stages, sizeof(*chain));
	size_t nr_chain = final_chain(df, chain);

	for (size_t i = 0; i < df->nr_instructions; i++) {
		const struct dockerfile_instruction *in = &df->instructions[i];
		int download = 0, piped = 0, sudo = 0, cache_seen[3] = {0}, cache_clean[3] = {0};
		const char *pos;
		struct command c;

		if (strcmp(in->keyword, "RUN"))
			continue;
		run_script(in, &script);
		pos = script.buf;
		while (next_command(&pos, &c, piped)) {
			size_t prog = program(&c, 1), first = program(&c, 0);

			if (!c.piped_in)
				download = 0;
			if (prog < c.nr) {
				const char *shell = shell_of(c.word[prog], c.len[prog]);

				if (c.piped_in && download == 1 && shell) {
					report(r, DKR_PIPE_TO_SHELL, in, "curl | sh",
					       "RUN pipes a download into %s", shell);
					download = 2;
				}
				if (download != 2 && (word_is_command(c.word[prog], c.len[prog], "curl") ||
						      word_is_command(c.word[prog], c.len[prog], "wget")))
					download = 1;
			}
			if (first < c.nr && word_is_command(c.word[first], c.len[first], "sudo"))
				sudo = 1;
			for (size_t k = 0; k < sizeof(cache_rules) / sizeof(*cache_rules); k++) {
				int runs = runs_manager(&c, &cache_rules[k]);

				if (runs)
					cache_seen[k] = 1;
				if (runs == 2)
					cache_clean[k] = 1;
			}
			piped = c.piped_out;
			if (!*pos)
				break;
		}
		if (sudo)
			report(r, DKR_SUDO_IN_RUN, in, "sudo", "RUN calls sudo");
		if (has_flag(in, "mount", "type=cache"))
			continue;
		for (size_t k = 0; k < sizeof(cache_rules) / sizeof(*cache_rules); k++) {
			const struct cache_rule *rule = &cache_rules[k];

			if (!cache_seen[k] || cache_clean[k] ||
			    (rule->cleanup && strstr(script.buf, rule->cleanup)))
				continue;
			if (!strcmp(rule->manager, "pip") &&
			    chain_env_set(df, chain, nr_chain, "PIP_NO_CACHE_DIR"))
				continue;
			report(r, DKR_PACKAGE_CACHE, in, rule->manager,
			       "RUN installs with %s without removing %s in the same instruction",
			       rule->manager, rule->left);
		}
	}
	free(chain);
	strbuf_release(&script);
}

/* ---- ADD: CUS-DKR-004, 005 ---- */

static int is_url(const char *w)
{
	return !strncasecmp(w, "http://", 7) || !strncasecmp(w, "https://", 8);
}

static int is_git(const char *w)
{
	size_t n = strcspn(w, "#");

	return !strncmp(w, "git@", 4) || !strncmp(w, "git://", 6) ||
	       (n >= 4 && !memcmp(w + n - 4, ".git", 4));
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Archives ADD extracts: a tar, bare or compressed with gzip, bzip2, xz or zstd. */
static int is_tar(const char *w)
{
	static const char *const suffixes[] = {
	    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst",
	};

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++)
		if (ends_with(w, suffixes[i]))
			return 1;
	return 0;
}

static void check_add(struct rules_run *r)
{
	const struct dockerfile *df = r->df;

	for (size_t i = 0; i < df->nr_instructions; i++) {
		const struct dockerfile_instruction *in = &df->instructions[i];
		int url = 0, http = 0, other = 0, local = 0;
		size_t nr_sources;

		if (strcmp(in->keyword, "ADD"))
			continue;
		/* A heredoc is the only source of "ADD <<EOF /dest". */
		nr_sources = in->argc ? in->argc - 1 : 0;
		for (size_t k = 0; k < nr_sources; k++) {
			const char *w = in->argv[k];

			if (!in->exec_form && !strncmp(w, "<<", 2))
				local = 1;
			else if (is_git(w))
				other = 1;
			else if (is_url(w))
				url = 1, http |= !strncasecmp(w, "http://", 7);
			else if (is_tar(w))
				other = 1;
			else
				local = 1;
		}
		if (url && !has_flag(in, "checksum", NULL))
			report(r, DKR_ADD_URL_NO_CHECKSUM, in, http ? "http" : "https",
			       "ADD downloads a URL without --checksum%s", http ? ", over plain HTTP" : "");
		if (local && !url && !other)
			report(r, DKR_ADD_INSTEAD_OF_COPY, in, "ADD",
			       "ADD copies local files, which COPY does");
	}
}

/* ---- ARG and ENV: CUS-DKR-006 ---- */

/* Call fn for each NAME=value of an ARG or ENV, including the legacy "ENV NAME value". */
typedef void (*assignment_fn)(void *data, const struct dockerfile_instruction *in, const char *name,
			      size_t name_len, const char *value, size_t value_len);

static void each_assignment(const struct dockerfile_instruction *in, assignment_fn fn, void *data)
{
	size_t ns, nl, vs, vl;

	if (!strcmp(in->keyword, "ENV") && in->argc >= 2 && !strchr(in->argv[0], '=')) {
		const char *value = in->args + strlen(in->argv[0]);
		size_t len;

		value += skip_blanks(value, strlen(value), 0);
		len = trim_end(value, strlen(value));
		fn(data, in, in->argv[0], strlen(in->argv[0]), value, len);
		return;
	}
	for (size_t i = 0; i < in->argc; i++) {
		const char *w = in->argv[i];

		if (word_assignment(w, strlen(w), &ns, &nl, &vs, &vl) && ns == 0)
			fn(data, in, w, nl, w + vs, vl);
	}
}

static void secret_assignment(void *data, const struct dockerfile_instruction *in, const char *name,
			      size_t name_len, const char *value, size_t value_len)
{
	struct rules_run *r = data;
	char *subject;

	if (!config_assignment_is_secret(name, name_len, value, value_len))
		return;
	subject = arena_strndup(&r->out->arena, name, name_len < 120 ? name_len : 120);
	report(r, DKR_SECRET_IN_ARG_ENV, in, subject,
	       "%s '%s' is given a value (%zu chars) in the Dockerfile", in->keyword, subject, value_len);
}

static void check_secrets(struct rules_run *r)
{
	for (size_t i = 0; i < r->df->nr_instructions; i++) {
		const struct dockerfile_instruction *in = &r->df->instructions[i];

		if (!strcmp(in->keyword, "ARG") || !strcmp(in->keyword, "ENV"))
			each_assignment(in, secret_assignment, r);
	}
}

/* ---- the final stage: CUS-DKR-008, 009, 011 ---- */

/*
 * The stages whose instructions end up in the final image, oldest first:
 * the last stage and each earlier stage it builds FROM. chain holds
 * df->nr_stages entries; returns how many it filled.
 */
static size_t final_chain(const struct dockerfile *df, int *chain)
{
	size_t n = 0;
	int s = (int)df->nr_stages - 1;

	/* A stage can only build on an earlier one, so this ends. */
	while (s >= 0 && n < df->nr_stages) {
		chain[n++] = s;
		s = df->stages[s].base_stage;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int t = chain[i];

		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	return n;
}

/* The last instruction with keyword in the chain's stages, or NULL. */
static const struct dockerfile_instruction *chain_last(const struct dockerfile *df, const int *chain,
						       size_t nr_chain, const char *keyword)
{
	for (size_t c = nr_chain; c-- > 0;) {
		const struct dockerfile_stage *st = &df->stages[chain[c]];

		for (size_t i = st->end; i-- > st->first;)
			if (!strcmp(df->instructions[i].keyword, keyword))
				return &df->instructions[i];
	}
	return NULL;
}

struct env_lookup {
	const char *name;
	int set;
	const struct dockerfile_instruction *where;
};

static void env_lookup_fn(void *data, const struct dockerfile_instruction *in, const char *name,
			  size_t name_len, const char *value, size_t value_len)
{
	struct env_lookup *e = data;

	if (strlen(e->name) != name_len || memcmp(e->name, name, name_len))
		return;
	e->where = in;
	e->set = value_len && !(value_len == 1 && value[0] == '0') &&
		 !(value_len == 5 && !strncasecmp(value, "false", 5));
}

/* The last instruction of keyword (ENV, LABEL) in the chain that assigns name, or NULL. */
static const struct dockerfile_instruction *chain_assigns(const struct dockerfile *df, const int *chain,
							  size_t nr_chain, const char *keyword,
							  const char *name, int *set)
{
	struct env_lookup e = {name, 0, NULL};

	for (size_t c = 0; c < nr_chain; c++) {
		const struct dockerfile_stage *st = &df->stages[chain[c]];

		for (size_t i = st->first; i < st->end; i++)
			if (!strcmp(df->instructions[i].keyword, keyword))
				each_assignment(&df->instructions[i], env_lookup_fn, &e);
	}
	if (set)
		*set = e.set;
	return e.where;
}

static int chain_env_set(const struct dockerfile *df, const int *chain, size_t nr_chain, const char *name)
{
	int set = 0;

	return chain_assigns(df, chain, nr_chain, "ENV", name, &set) && set;
}

/* USER root, USER 0, USER root:root, USER 0:0: the user part decides. */
static int user_is_root(const char *args)
{
	size_t n = strcspn(args, ": \t"), i;

	if (n == 4 && !memcmp(args, "root", 4))
		return 1;
	for (i = 0; i < n && args[i] == '0'; i++)
		;
	return n && i == n;
}

/* 1 when an EXPOSE word ("22", "22/tcp", "20-25") covers TCP port port. */
static int expose_covers(const char *w, unsigned long port)
{
	char *end;
	unsigned long lo, hi;

	if (!isdigit((unsigned char)*w))
		return 0;
	lo = strtoul(w, &end, 10);
	hi = lo;
	if (*end == '-' && isdigit((unsigned char)end[1]))
		hi = strtoul(end + 1, &end, 10);
	if (*end && strcasecmp(end, "/tcp"))
		return 0;
	return lo <= port && port <= hi;
}

static void check_final_stage(struct rules_run *r)
{
	const struct dockerfile *df = r->df;
	int *chain = xcalloc(df->nr_stages, sizeof(*chain));
	size_t nr_chain = final_chain(df, chain);
	const struct dockerfile_instruction *from = &df->instructions[df->stages[df->nr_stages - 1].first];
	const struct dockerfile_instruction *user = chain_last(df, chain, nr_chain, "USER");
	const struct dockerfile_instruction *health = chain_last(df, chain, nr_chain, "HEALTHCHECK");

	if (!user)
		report(r, DKR_FINAL_USER_ROOT, from, "root",
		       "the final stage sets no USER, so it runs as the base image's user, root unless it "
		       "sets one");
	else if (!strchr(user->args, '$') && user_is_root(user->args))
		report(r, DKR_FINAL_USER_ROOT, user, "root", "the final stage's last USER is root (uid 0)");

	for (size_t c = 0; c < nr_chain; c++) {
		const struct dockerfile_stage *st = &df->stages[chain[c]];

		for (size_t i = st->first; i < st->end; i++) {
			const struct dockerfile_instruction *in = &df->instructions[i];

			if (strcmp(in->keyword, "EXPOSE"))
				continue;
			for (size_t k = 0; k < in->argc; k++)
				if (expose_covers(in->argv[k], 22)) {
					report(r, DKR_SSH_PORT, in, "22/tcp",
					       "EXPOSE names port 22/tcp (SSH)");
					break;
				}
		}
	}

	if (!health)
		report(r, DKR_NO_HEALTHCHECK, from, "HEALTHCHECK", "the final stage defines no HEALTHCHECK");
	else if (!strcasecmp(health->args, "NONE"))
		report(r, DKR_NO_HEALTHCHECK, health, "HEALTHCHECK NONE",
		       "HEALTHCHECK NONE disables the health check");
	free(chain);
}

void dockerfile_checks_run(const struct dockerfile *df, struct check_results *out)
{
	struct rules_run r = {df, out};

	if (!df->nr_stages)
		return;
	check_from(&r);
	check_run(&r);
	check_add(&r);
	check_secrets(&r);
	check_final_stage(&r);
	out->kinds_run |= 1u << CHECK_KIND_DOCKERFILE;
}

/* ---- linking image findings to instructions ---- */

/* Words compared between a RUN and its history text; longer commands compare by their start. */
#define SIMILARITY_WORDS 64

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The words of s for comparing: blanks and JSON punctuation part them, and "# buildkit" ends them. */
static size_t compare_words(const char *s, const char **w, size_t *len)
{
	size_t n = 0;

	while (*s && n < SIMILARITY_WORDS) {
		const char *start;

		while (*s && (is_blank((unsigned char)*s) || *s == '\n' || *s == '[' || *s == ']' ||
			      *s == ',' || *s == '"'))
			s++;
		if (!*s)
			break;
		if (starts_with(s, "# buildkit") && !s[10])
			break;
		start = s;
		while (*s && !(is_blank((unsigned char)*s) || *s == '\n' || *s == '[' || *s == ']' ||
			       *s == ',' || *s == '"'))
			s++;
		w[n] = start;
		len[n] = (size_t)(s - start);
		n++;
	}
	return n;
}

/*
 * A RUN agrees with a history text when most of its first words appear
 * there in order: the builder may cut a long text or show build args, but
 * another command shares few words.
 */
static int run_agrees(const struct dockerfile_instruction *in, const char *history_args)
{
	const char *a[SIMILARITY_WORDS], *b[SIMILARITY_WORDS];
	size_t al[SIMILARITY_WORDS], bl[SIMILARITY_WORDS], na, nb, j = 0, same = 0, m;
	struct strbuf script = STRBUF_INIT;
	int ok;

	if (in->exec_form) {
		for (size_t i = 0; i < in->argc; i++) {
			strbuf_addstr(&script, in->argv[i]);
			strbuf_addch(&script, ' ');
		}
	} else {
		strbuf_addstr(&script, in->args);
	}
	na = compare_words(script.buf, a, al);
	nb = compare_words(history_args, b, bl);
	for (size_t i = 0; i < na && j < nb; i++) {
		size_t k;

		for (k = j; k < nb; k++)
			if (al[i] == bl[k] && !memcmp(a[i], b[k], al[i]))
				break;
		if (k < nb) {
			same++;
			j = k + 1;
		}
	}
	/*
	 * Nearly every word must match. A text cut short (by the word cap, or
	 * a heredoc the builder records its own way) compares only as far as
	 * the shorter side goes.
	 */
	m = na > nb ? na : nb;
	if (na == SIMILARITY_WORDS || nb == SIMILARITY_WORDS || in->heredoc)
		m = na < nb ? na : nb;
	ok = na && nb && 10 * same >= 9 * m;
	strbuf_release(&script);
	return ok;
}

/* COPY and ADD agree when the history names the same destination ("COPY a /app", "COPY file:… in /app"). */
static int copy_agrees(const struct dockerfile_instruction *in, const char *history_args)
{
	const char *dest;
	size_t n;
	const char *p = history_args;

	if (!in->argc)
		return 0;
	dest = in->argv[in->argc - 1];
	n = strlen(dest);
	while ((p = strstr(p, dest))) {
		if ((p == history_args || p[-1] == ' ' || p[-1] == '"') &&
		    (!p[n] || p[n] == ' ' || p[n] == '"' || p[n] == ']'))
			return 1;
		p++;
	}
	return 0;
}

static int history_agrees(const struct dockerfile_instruction *in, const struct image_history *h)
{
	char word[CONFIG_MAX_INSTRUCTION];
	const char *unused, *args;

	if (!h->created_by)
		return 0;
	config_history_instruction(h->created_by, word, &unused, &args);
	if (strcmp(word, in->keyword))
		return 0;
	if (!strcmp(word, "RUN"))
		return run_agrees(in, args);
	if (!strcmp(word, "COPY") || !strcmp(word, "ADD"))
		return copy_agrees(in, args);
	return 1;
}

/*
 * map[h] = the instruction that made history entry h, or -1. The chain's
 * instructions, FROMs left out, are the last entries of the history; pairs
 * are taken from the end while they agree. BuildKit records no ARG, the
 * classic builder does, so an ARG may match nothing.
 */
static void map_history(const struct dockerfile *df, const struct image *img, int *map)
{
	int *chain = xcalloc(df->nr_stages, sizeof(*chain));
	size_t nr_chain = final_chain(df, chain), c = nr_chain, h = img->nr_history;
	size_t i = 0;

	for (size_t k = 0; k < img->nr_history; k++)
		map[k] = -1;
	if (c)
		i = df->stages[chain[c - 1]].end;
	while (c > 0 && h > 0) {
		const struct dockerfile_stage *st = &df->stages[chain[c - 1]];
		const struct dockerfile_instruction *in;

		if (i <= st->first + 1) {
			c--;
			if (c)
				i = df->stages[chain[c - 1]].end;
			continue;
		}
		in = &df->instructions[i - 1];
		if (history_agrees(in, &img->history[h - 1])) {
			map[h - 1] = (int)(i - 1);
			h--;
			i--;
		} else if (!strcmp(in->keyword, "ARG")) {
			i--;
		} else {
			break;
		}
	}
	free(chain);
}

/* Config findings that name a setting, and the instruction that sets it. */
struct config_link {
	const char *rule_id;
	const char *keyword;
};

static const struct config_link config_links[] = {
    {"CUS-CFG-001", "USER"},   {"CUS-CFG-002", "ENV"},	       {"CUS-CFG-003", "LABEL"},
    {"CUS-CFG-005", "EXPOSE"}, {"CUS-CFG-006", "HEALTHCHECK"},
};

static const struct dockerfile_instruction *config_instruction(const struct dockerfile *df,
							       const struct check_finding *f)
{
	int *chain = xcalloc(df->nr_stages, sizeof(*chain));
	size_t nr_chain = final_chain(df, chain);
	const struct dockerfile_instruction *in = NULL;
	const char *keyword = NULL;

	for (size_t k = 0; k < sizeof(config_links) / sizeof(*config_links); k++)
		if (!strcmp(f->rule->id, config_links[k].rule_id))
			keyword = config_links[k].keyword;
	if (!keyword) {
		/* Not a setting: nothing to link. */
	} else if (!strcmp(keyword, "ENV") || !strcmp(keyword, "LABEL")) {
		if (f->subject)
			in = chain_assigns(df, chain, nr_chain, keyword, f->subject, NULL);
	} else if (!strcmp(keyword, "EXPOSE")) {
		unsigned long port = f->subject ? strtoul(f->subject, NULL, 10) : 0;

		for (size_t c = 0; c < nr_chain && port; c++) {
			const struct dockerfile_stage *st = &df->stages[chain[c]];

			for (size_t i = st->first; i < st->end; i++) {
				const struct dockerfile_instruction *e = &df->instructions[i];

				if (strcmp(e->keyword, "EXPOSE"))
					continue;
				for (size_t w = 0; w < e->argc; w++)
					if (expose_covers(e->argv[w], port))
						in = e;
			}
		}
	} else {
		/* USER, HEALTHCHECK: the last one wins; when there is none, no line says so. */
		in = chain_last(df, chain, nr_chain, keyword);
	}
	free(chain);
	return in;
}

void dockerfile_link(const struct dockerfile *df, const struct image *img, struct check_results *res)
{
	int *map = NULL;

	if (!df->nr_stages)
		return;
	res->dockerfile = arena_strdup(&res->arena, df->path);
	if (img && img->nr_history) {
		map = xcalloc(img->nr_history, sizeof(*map));
		map_history(df, img, map);
	}
	for (size_t k = 0; k < res->nr; k++) {
		struct check_finding *f = &res->findings[k];
		const struct dockerfile_instruction *in = NULL;
		int h = f->history;

		if (f->path_is_dockerfile || !f->rule)
			continue;
		if (h < 0 && f->layer >= 0 && img) {
			for (size_t i = 0; i < img->nr_history; i++)
				if (img->history[i].layer == f->layer) {
					h = (int)i;
					break;
				}
		}
		if (h >= 0) {
			if (map && (size_t)h < img->nr_history && map[h] >= 0)
				in = &df->instructions[map[h]];
		} else if (f->layer < 0) {
			in = config_instruction(df, f);
		}
		if (!in)
			continue;
		f->dockerfile_line = in->line;
		if (!f->instruction)
			f->instruction = finding_text(&res->arena, in);
	}
	free(map);
}

void dockerfile_layer_lines(const struct dockerfile *df, const struct image *img, uint64_t *lines)
{
	int *map;

	for (size_t i = 0; i < img->nr_layers; i++)
		lines[i] = 0;
	if (!df->nr_stages || !img->nr_history)
		return;
	map = xcalloc(img->nr_history, sizeof(*map));
	map_history(df, img, map);
	for (size_t h = 0; h < img->nr_history; h++) {
		int layer = img->history[h].layer;

		if (map[h] >= 0 && layer >= 0 && (size_t)layer < img->nr_layers)
			lines[layer] = df->instructions[map[h]].line;
	}
	free(map);
}

size_t dockerfile_own_layer_count(const struct dockerfile *df)
{
	int *chain;
	size_t nr_chain, n = 0;

	if (!df->nr_stages)
		return 0;
	chain = xcalloc(df->nr_stages, sizeof(*chain));
	nr_chain = final_chain(df, chain);
	for (size_t c = 0; c < nr_chain; c++) {
		const struct dockerfile_stage *st = &df->stages[chain[c]];

		for (size_t i = st->first; i < st->end; i++) {
			const char *k = df->instructions[i].keyword;

			n += !strcmp(k, "RUN") || !strcmp(k, "COPY") || !strcmp(k, "ADD");
		}
	}
	free(chain);
	return n;
}
