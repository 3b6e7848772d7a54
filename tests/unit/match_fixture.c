/* The matching tests' fixture: an in-memory database from builder calls, and a catalog filled by hand. */
#include "match_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/xalloc.h"

void match_fixture_init(struct match_fixture *f, const char *os_id, const char *version_id)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->text, 0);
	f->builder = vulndb_builder_new();
	vulndb_builder_begin_source(f->builder, "test");
	f->cat.os.id = os_id;
	f->cat.os.version_id = version_id;
}

void match_fixture_release(struct match_fixture *f)
{
	match_result_free(f->res);
	vulndb_close(f->db);
	vulndb_builder_free(f->builder);
	free(f->bytes);
	package_list_release(&f->cat.packages);
	warnings_release(&f->cat.warnings);
	arena_release(&f->cat.arena);
	strbuf_release(&f->text);
}

/* Split a space-separated list into words in the catalog's arena; *nr gets their count. */
static const char **split(struct match_fixture *f, const char *list, size_t *nr)
{
	char *copy = arena_strdup(&f->cat.arena, list ? list : "");
	const char **words = arena_alloc(&f->cat.arena, (strlen(copy) / 2 + 2) * sizeof(*words));
	char *p = copy;

	*nr = 0;
	while (*p) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		words[(*nr)++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return words;
}

uint32_t match_fixture_advisory(struct match_fixture *f, const char *id, const char *aliases,
				const char *summary, const char *severity, const char *cvss)
{
	struct vulndb_new_advisory adv = {.id = id, .summary = summary, .severity = severity};

	adv.aliases = split(f, aliases, &adv.nr_aliases);
	/* Vectors hold no spaces, so the same split works. */
	adv.cvss = split(f, cvss, &adv.nr_cvss);
	return vulndb_builder_add_advisory(f->builder, &adv);
}

void match_fixture_range(struct match_fixture *f, enum vulndb_range_type type, const char *events)
{
	static const struct {
		const char *name;
		enum vulndb_event_kind kind;
	} kinds[] = {
	    {"introduced", VULNDB_EVENT_INTRODUCED},
	    {"fixed", VULNDB_EVENT_FIXED},
	    {"last_affected", VULNDB_EVENT_LAST_AFFECTED},
	    {"limit", VULNDB_EVENT_LIMIT},
	};
	size_t nr;
	const char **words = split(f, events, &nr);

	vulndb_builder_add_range(f->builder, type);
	for (size_t i = 0; i < nr; i++) {
		const char *eq = strchr(words[i], '=');
		size_t k;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (eq && strlen(kinds[k].name) == (size_t)(eq - words[i]) &&
			    !strncmp(kinds[k].name, words[i], (size_t)(eq - words[i])))
				break;
		CHECK(k < sizeof(kinds) / sizeof(kinds[0]));
		if (k < sizeof(kinds) / sizeof(kinds[0]))
			vulndb_builder_add_event(f->builder, kinds[k].kind, eq + 1);
	}
}

void match_fixture_affected(struct match_fixture *f, uint32_t adv, const char *ecosystem, const char *name,
			    enum vulndb_range_type type, const char *events, const char *versions)
{
	size_t nr;
	const char **words = split(f, versions, &nr);

	vulndb_builder_add_affected(f->builder, adv, ecosystem, name);
	if (events)
		match_fixture_range(f, type, events);
	for (size_t i = 0; i < nr; i++)
		vulndb_builder_add_version(f->builder, words[i]);
}

struct package *match_fixture_package(struct match_fixture *f, const char *type, const char *name,
				      const char *version, const char *source_name,
				      const char *source_version)
{
	struct package *p = package_list_append(&f->cat.packages);

	p->type = type;
	p->name = name;
	p->version = version;
	p->source_name = source_name;
	p->source_version = source_version;
	p->path = "fixture";
	p->layer = (int)f->cat.packages.nr - 1;
	return p;
}

void match_fixture_run(struct match_fixture *f)
{
	struct strbuf err = STRBUF_INIT;
	FILE *fp = open_memstream(&f->bytes, &f->size);

	CHECK_INT(vulndb_builder_write(f->builder, fp, 1700000000, &err), 0);
	fclose(fp);
	if (vulndb_open_mem(f->bytes, f->size, "fixture.db", &f->db, &err)) {
		fprintf(stderr, "  %s\n", err.buf);
		CHECK(!"database opens");
	} else if (match_catalog(&f->cat, f->db, &f->res, &err)) {
		fprintf(stderr, "  %s\n", err.buf);
		CHECK(!"matching succeeds");
	}
	strbuf_release(&err);
}

const char *match_fixture_findings(struct match_fixture *f)
{
	strbuf_reset(&f->text);
	if (!f->res)
		return f->text.buf;
	for (size_t i = 0; i < f->res->nr_findings; i++) {
		const struct finding *fi = &f->res->findings[i];
		const struct package *p = &f->cat.packages.items[fi->package];

		strbuf_addf(&f->text, "%s %s@%s fixed=%s %s/%s [", fi->id, p->name, p->version,
			    fi->fixed_version ? fi->fixed_version : "-", severity_name(fi->severity),
			    severity_source_name(fi->severity_source));
		for (size_t a = 0; a < fi->nr_aliases; a++)
			strbuf_addf(&f->text, "%s%s", a ? "," : "", fi->aliases[a]);
		strbuf_addstr(&f->text, "]\n");
	}
	return f->text.buf;
}

int match_fixture_warned(const struct match_fixture *f, const char *const *words)
{
	for (size_t i = 0; f->res && i < f->res->warnings.nr; i++) {
		const char *const *w;

		for (w = words; *w && strstr(f->res->warnings.msgs[i], *w); w++)
			;
		if (!*w)
			return 1;
	}
	return 0;
}
