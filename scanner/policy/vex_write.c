/* `customs vex`: an OpenVEX 0.2.0 document of under_investigation statements, for a team to edit. */
#include "policy/policy.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* cJSON returns NULL only when malloc fails; treat that as xmalloc does. */
static cJSON *checked(cJSON *item)
{
	if (!item) {
		fprintf(stderr, "customs: out of memory (building a VEX document)\n");
		abort();
	}
	return item;
}

static void add_item(cJSON *parent, const char *key, cJSON *item)
{
	if (!(key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item)))
		checked(NULL);
}

/* Strings may come from an image: the document stays valid UTF-8 whatever they hold. */
static void add_string(cJSON *parent, const char *key, const char *s)
{
	char *clean = utf8_sanitize(s, strlen(s));

	add_item(parent, key, checked(cJSON_CreateString(clean)));
	free(clean);
}

struct pair {
	const char *id, *purl;
	size_t finding;
};

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (!c)
		c = strcmp(x->purl, y->purl);
	if (!c)
		c = x->finding < y->finding ? -1 : x->finding > y->finding;
	return c;
}

static int finding_order_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return x->finding < y->finding ? -1 : x->finding > y->finding;
}

static cJSON *statement_for(const struct finding *f, const char *purl)
{
	cJSON *st = checked(cJSON_CreateObject());
	cJSON *vuln = checked(cJSON_CreateObject());
	cJSON *products = checked(cJSON_CreateArray());
	cJSON *product = checked(cJSON_CreateObject());

	add_string(vuln, "name", f->id);
	if (f->nr_aliases) {
		cJSON *aliases = checked(cJSON_CreateArray());

		for (size_t a = 0; a < f->nr_aliases; a++)
			add_string(aliases, NULL, f->aliases[a]);
		add_item(vuln, "aliases", aliases);
	}
	add_item(st, "vulnerability", vuln);
	add_string(product, "@id", purl);
	add_item(products, NULL, product);
	add_item(st, "products", products);
	add_string(st, "status", "under_investigation");
	return st;
}

cJSON *policy_vex_document(const struct match_result *res, const struct catalog *cat,
			   const struct policy_vex_doc_info *info, size_t *nr_skipped)
{
	cJSON *doc = checked(cJSON_CreateObject());
	cJSON *statements = checked(cJSON_CreateArray());
	struct pair *pairs = xcalloc(res && res->nr_findings ? res->nr_findings : 1, sizeof(*pairs));
	size_t nr_pairs = 0, skipped = 0, kept = 0;
	char when[32] = "1970-01-01T00:00:00Z";
	struct tm tm;
	time_t ts = info ? info->timestamp : 0;

	for (size_t i = 0; res && i < res->nr_findings; i++) {
		const struct finding *f = &res->findings[i];
		const struct package *p =
		    cat && f->package < cat->packages.nr ? &cat->packages.items[f->package] : NULL;

		if (f->suppressed_by || !f->id)
			continue;
		if (!p || !p->purl || !*p->purl) {
			skipped++;
			continue;
		}
		pairs[nr_pairs].id = f->id;
		pairs[nr_pairs].purl = p->purl;
		pairs[nr_pairs++].finding = i;
	}
	/* Two findings of one ID on one purl (the same npm package at two paths) make one statement. */
	qsort(pairs, nr_pairs, sizeof(*pairs), pair_cmp);
	for (size_t i = 0; i < nr_pairs; i++)
		if (!kept || strcmp(pairs[kept - 1].id, pairs[i].id) ||
		    strcmp(pairs[kept - 1].purl, pairs[i].purl))
			pairs[kept++] = pairs[i];
	/* Back in the result's order: most severe first, which is how a team works through them. */
	qsort(pairs, kept, sizeof(*pairs), finding_order_cmp);
	for (size_t i = 0; i < kept; i++)
		add_item(statements, NULL, statement_for(&res->findings[pairs[i].finding], pairs[i].purl));
	free(pairs);

	if (ts >= 0 && gmtime_r(&ts, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	add_string(doc, "@context", "https://openvex.dev/ns/v0.2.0");
	if (info && info->id) {
		add_string(doc, "@id", info->id);
	} else {
		/* The same findings give the same @id, so regenerating the document is reproducible. */
		char *text = cJSON_PrintUnformatted(statements);
		char digest[DIGEST_STR_LEN];

		char id[96];

		if (!text)
			checked(NULL);
		sha256_digest_str(text, strlen(text), digest);
		free(text);
		snprintf(id, sizeof(id), "urn:customs:vex:%s", digest + 7);
		add_string(doc, "@id", id);
	}
	add_string(doc, "author", info && info->author ? info->author : "customs");
	add_string(doc, "timestamp", when);
	add_item(doc, "version", checked(cJSON_CreateNumber(1)));
	if (info && info->tool)
		add_string(doc, "tooling", info->tool);
	add_item(doc, "statements", statements);
	if (nr_skipped)
		*nr_skipped = skipped;
	return doc;
}

int policy_vex_write(FILE *out, const struct match_result *res, const struct catalog *cat,
		     const struct policy_vex_doc_info *info, struct strbuf *err)
{
	cJSON *doc = policy_vex_document(res, cat, info, NULL);
	char *text = cJSON_Print(doc);
	int failed;

	cJSON_Delete(doc);
	if (!text)
		checked(NULL);
	failed = fputs(text, out) == EOF || fputc('\n', out) == EOF || fflush(out);
	free(text);
	if (failed)
		return error_code(err, ERR_IO, "cannot write the VEX document: %s", strerror(errno));
	return 0;
}
