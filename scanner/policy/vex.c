/* OpenVEX 0.2 documents: strict parsing, and statements applied only within the products they name. */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/internal.h"
#include "util/error.h"
#include "util/xalloc.h"

/* Products and subcomponents over every statement of one document. */
#define MAX_PRODUCTS_PER_DOC 1000000

static const char *const status_names[] = {
    [VEX_NOT_AFFECTED] = "not_affected",
    [VEX_AFFECTED] = "affected",
    [VEX_FIXED] = "fixed",
    [VEX_UNDER_INVESTIGATION] = "under_investigation",
};

/* The justifications OpenVEX 0.2 defines for not_affected. */
static const char *const justifications[] = {
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
};

const char *policy_vex_status_name(enum policy_vex_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "unknown";
}

struct policy_vex *policy_vex_new(void)
{
	return xcalloc(1, sizeof(struct policy_vex));
}

void policy_vex_free(struct policy_vex *vex)
{
	if (!vex)
		return;
	free(vex->sources);
	free(vex->statements);
	free(vex->warnings);
	arena_release(&vex->arena);
	free(vex);
}

/* What one document parse builds before it is added, so a failed document adds nothing. */
struct doc_parse {
	struct policy_vex *vex;
	const char *source;
	size_t doc;
	struct policy_time doc_timestamp;
	size_t nr_products; /* so far, against MAX_PRODUCTS_PER_DOC */
	struct policy_vex_statement *statements;
	size_t nr_statements;
	const char **warnings;
	size_t nr_warnings, alloc_warnings;
};

/*
 * The 0.2 specification names its context https://openvex.dev/ns/v0.2.0.
 * The unversioned base and the other spellings of 0.2 (v0.2, v0.2.N) are
 * accepted as the same vocabulary; other versions (the v0.0.x drafts)
 * have another shape, and reading them as 0.2 would be a guess.
 */
static int context_supported(const char *ctx)
{
	static const char base[] = "https://openvex.dev/ns";
	const char *v;

	if (strncmp(ctx, base, sizeof(base) - 1))
		return 0;
	v = ctx + sizeof(base) - 1;
	if (!*v || !strcmp(v, "/"))
		return 1;
	if (strncmp(v, "/v0.2", 5))
		return 0;
	v += 5;
	if (!*v)
		return 1;
	if (*v != '.' || !v[1])
		return 0;
	for (v++; *v; v++)
		if ((*v < '0' || *v > '9') && *v != '.')
			return 0;
	return 1;
}

static int string_field(struct doc_parse *dp, const cJSON *obj, const char *key, const char *where,
			const char **out, int required, struct strbuf *err)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	char at[192];
	const char *s;

	*out = NULL;
	snprintf(at, sizeof(at), "%s%s%s", where, *where ? "." : "", key);
	if (!item) {
		if (required)
			return error_code(err, ERR_BAD_INPUT, "%s is missing", at);
		return 0;
	}
	if (!(s = policy_json_string(item, at, err)))
		return ERR_BAD_INPUT;
	*out = arena_strdup(&dp->vex->arena, s);
	return 0;
}

static int parse_product(struct doc_parse *dp, const cJSON *item, const char *where, int allow_subcomponents,
			 struct policy_vex_product *out, struct strbuf *err)
{
	struct purl_parts parts;
	const cJSON *ids, *subs;
	const char *id = NULL, *purl = NULL;
	char at[160];

	memset(out, 0, sizeof(*out));
	if (++dp->nr_products > MAX_PRODUCTS_PER_DOC)
		return error_code(err, ERR_LIMIT, "too many products and subcomponents: the limit is %d",
				  MAX_PRODUCTS_PER_DOC);
	if (cJSON_IsString(item)) {
		if (!(id = policy_json_string(item, where, err)))
			return ERR_BAD_INPUT;
		id = arena_strdup(&dp->vex->arena, id);
	} else if (cJSON_IsObject(item)) {
		if (string_field(dp, item, "@id", where, &id, 0, err))
			return ERR_BAD_INPUT;
		ids = cJSON_GetObjectItemCaseSensitive(item, "identifiers");
		if (ids) {
			snprintf(at, sizeof(at), "%s.identifiers", where);
			if (!cJSON_IsObject(ids))
				return error_code(err, ERR_BAD_INPUT, "%s must be an object, not %s", at,
						  json_type_name(ids));
			if (string_field(dp, ids, "purl", at, &purl, 0, err))
				return ERR_BAD_INPUT;
		}
		subs = cJSON_GetObjectItemCaseSensitive(item, "subcomponents");
		if (subs && allow_subcomponents) {
			size_t n, k = 0;

			snprintf(at, sizeof(at), "%s.subcomponents", where);
			if (!cJSON_IsArray(subs))
				return error_code(err, ERR_BAD_INPUT, "%s must be an array, not %s", at,
						  json_type_name(subs));
			n = (size_t)cJSON_GetArraySize(subs);
			out->subcomponents =
			    arena_alloc(&dp->vex->arena, (n ? n : 1) * sizeof(*out->subcomponents));
			for (const cJSON *sub = subs->child; sub; sub = sub->next, k++) {
				char sub_where[192];
				int ret;

				snprintf(sub_where, sizeof(sub_where), "%s.subcomponents[%zu]", where, k);
				ret = parse_product(dp, sub, sub_where, 0, &out->subcomponents[k], err);
				if (ret)
					return ret;
			}
			out->nr_subcomponents = k;
		}
	} else {
		return error_code(err, ERR_BAD_INPUT, "%s must be an object or a string, not %s", where,
				  json_type_name(item));
	}
	if (!id && !purl)
		return error_code(err, ERR_BAD_INPUT, "%s needs an @id", where);
	out->id = id ? id : purl;
	/* An @id may be any IRI; identifiers.purl is the fallback when it is not a purl. */
	if (id && !policy_purl_parse(id, &dp->vex->arena, &parts)) {
		out->is_purl = 1;
	} else if (purl) {
		if (policy_purl_parse(purl, &dp->vex->arena, &parts))
			return error_code(err, ERR_BAD_INPUT,
					  "%s.identifiers.purl is not a valid package URL", where);
		out->is_purl = 1;
	}
	if (out->is_purl) {
		out->type = parts.type;
		out->namespace = parts.namespace;
		out->name = parts.name;
		out->version = parts.version;
		out->qualifiers = parts.qualifiers;
		out->nr_qualifiers = parts.nr_qualifiers;
	}
	return 0;
}

static int parse_vulnerability(struct doc_parse *dp, const cJSON *item, const char *where,
			       struct policy_vex_statement *st, struct strbuf *err)
{
	const cJSON *aliases;
	const char *name, *ignored;
	char at[160];
	size_t n, k = 0;

	if (!item)
		return error_code(err, ERR_BAD_INPUT, "%s is missing", where);
	/* Drafts before 0.2 wrote the vulnerability as a plain string. */
	if (cJSON_IsString(item)) {
		if (!(name = policy_json_string(item, where, err)))
			return ERR_BAD_INPUT;
		st->vuln_ids = arena_alloc(&dp->vex->arena, sizeof(*st->vuln_ids));
		st->vuln_ids[0] = arena_strdup(&dp->vex->arena, name);
		st->nr_vuln_ids = 1;
		return 0;
	}
	if (!cJSON_IsObject(item))
		return error_code(err, ERR_BAD_INPUT, "%s must be an object, not %s", where,
				  json_type_name(item));
	if (string_field(dp, item, "name", where, &name, 1, err) ||
	    string_field(dp, item, "@id", where, &ignored, 0, err) ||
	    string_field(dp, item, "description", where, &ignored, 0, err))
		return ERR_BAD_INPUT;
	aliases = cJSON_GetObjectItemCaseSensitive(item, "aliases");
	snprintf(at, sizeof(at), "%s.aliases", where);
	if (aliases && !cJSON_IsArray(aliases))
		return error_code(err, ERR_BAD_INPUT, "%s must be an array, not %s", at,
				  json_type_name(aliases));
	n = aliases ? (size_t)cJSON_GetArraySize(aliases) : 0;
	st->vuln_ids = arena_alloc(&dp->vex->arena, (n + 1) * sizeof(*st->vuln_ids));
	st->vuln_ids[0] = name;
	for (const cJSON *a = aliases ? aliases->child : NULL; a; a = a->next, k++) {
		char alias_where[192];
		const char *s;

		snprintf(alias_where, sizeof(alias_where), "%s[%zu]", at, k);
		if (!(s = policy_json_string(a, alias_where, err)))
			return ERR_BAD_INPUT;
		st->vuln_ids[k + 1] = arena_strdup(&dp->vex->arena, s);
	}
	st->nr_vuln_ids = k + 1;
	return 0;
}

static void doc_warn(struct doc_parse *dp, const char *fmt, const char *a, const char *b)
{
	ALLOC_GROW(dp->warnings, dp->nr_warnings + 1, dp->alloc_warnings);
	dp->warnings[dp->nr_warnings++] = arena_printf(&dp->vex->arena, fmt, a, b);
}

static int parse_statement(struct doc_parse *dp, const cJSON *item, size_t index,
			   struct policy_vex_statement *st, struct strbuf *err)
{
	const cJSON *products;
	const char *status, *timestamp, *ignored;
	char where[64], at[96];
	size_t s, n, k = 0;

	memset(st, 0, sizeof(*st));
	st->doc = dp->doc;
	st->index = index;
	snprintf(where, sizeof(where), "statements[%zu]", index);
	if (!cJSON_IsObject(item))
		return error_code(err, ERR_BAD_INPUT, "%s must be an object, not %s", where,
				  json_type_name(item));
	snprintf(at, sizeof(at), "%s.vulnerability", where);
	if (parse_vulnerability(dp, cJSON_GetObjectItemCaseSensitive(item, "vulnerability"), at, st, err))
		return ERR_BAD_INPUT;
	if (string_field(dp, item, "status", where, &status, 1, err))
		return ERR_BAD_INPUT;
	for (s = 0; s < sizeof(status_names) / sizeof(status_names[0]); s++)
		if (!strcmp(status, status_names[s]))
			break;
	if (s == sizeof(status_names) / sizeof(status_names[0]))
		return error_code(err, ERR_BAD_INPUT,
				  "%s.status: unknown status '%s' (known: not_affected, affected, fixed, "
				  "under_investigation)",
				  where, policy_printable(&dp->vex->arena, status));
	st->status = (enum policy_vex_status)s;
	if (string_field(dp, item, "justification", where, &st->justification, 0, err) ||
	    string_field(dp, item, "impact_statement", where, &st->impact_statement, 0, err) ||
	    string_field(dp, item, "action_statement", where, &st->action_statement, 0, err) ||
	    string_field(dp, item, "status_notes", where, &st->status_notes, 0, err) ||
	    string_field(dp, item, "timestamp", where, &timestamp, 0, err) ||
	    string_field(dp, item, "last_updated", where, &ignored, 0, err) ||
	    string_field(dp, item, "action_statement_timestamp", where, &ignored, 0, err) ||
	    string_field(dp, item, "supplier", where, &ignored, 0, err) ||
	    string_field(dp, item, "@id", where, &ignored, 0, err))
		return ERR_BAD_INPUT;
	if (st->justification) {
		size_t j;

		for (j = 0; j < sizeof(justifications) / sizeof(justifications[0]); j++)
			if (!strcmp(st->justification, justifications[j]))
				break;
		if (j == sizeof(justifications) / sizeof(justifications[0]))
			return error_code(err, ERR_BAD_INPUT, "%s.justification: unknown justification '%s'",
					  where, policy_printable(&dp->vex->arena, st->justification));
	}
	if (st->status == VEX_NOT_AFFECTED && !st->justification && !st->impact_statement)
		return error_code(err, ERR_BAD_INPUT,
				  "%s: status not_affected needs a justification or an impact_statement",
				  where);
	st->timestamp = dp->doc_timestamp;
	if (timestamp && policy_parse_timestamp(timestamp, &st->timestamp))
		return error_code(err, ERR_BAD_INPUT, "%s.timestamp: '%s' is not an RFC 3339 time", where,
				  policy_printable(&dp->vex->arena, timestamp));

	products = cJSON_GetObjectItemCaseSensitive(item, "products");
	snprintf(at, sizeof(at), "%s.products", where);
	if (products && !cJSON_IsArray(products))
		return error_code(err, ERR_BAD_INPUT, "%s must be an array, not %s", at,
				  json_type_name(products));
	n = products ? (size_t)cJSON_GetArraySize(products) : 0;
	st->products = arena_alloc(&dp->vex->arena, (n ? n : 1) * sizeof(*st->products));
	for (const cJSON *p = products ? products->child : NULL; p; p = p->next, k++) {
		char product_where[128];
		int ret;

		snprintf(product_where, sizeof(product_where), "%s[%zu]", at, k);
		ret = parse_product(dp, p, product_where, 1, &st->products[k], err);
		if (ret)
			return ret;
	}
	st->nr_products = k;
	if (!k)
		doc_warn(dp, "VEX document '%s': %s names no products, so it suppresses nothing",
			 policy_printable(&dp->vex->arena, dp->source), where);
	return 0;
}

static int parse_document(struct doc_parse *dp, const cJSON *root, struct strbuf *err)
{
	const cJSON *statements;
	const char *ctx, *timestamp, *ignored;
	size_t n, k = 0;

	if (!cJSON_IsObject(root))
		return error_code(err, ERR_BAD_INPUT, "the document must be an object, not %s",
				  json_type_name(root));
	if (string_field(dp, root, "@context", "", &ctx, 1, err))
		return ERR_BAD_INPUT;
	if (!context_supported(ctx))
		return error_code(err, ERR_BAD_INPUT,
				  "@context '%s' is not OpenVEX 0.2 (expected https://openvex.dev/ns/v0.2.0)",
				  policy_printable(&dp->vex->arena, ctx));
	if (string_field(dp, root, "@id", "", &ignored, 0, err) ||
	    string_field(dp, root, "author", "", &ignored, 0, err) ||
	    string_field(dp, root, "role", "", &ignored, 0, err) ||
	    string_field(dp, root, "timestamp", "", &timestamp, 0, err) ||
	    string_field(dp, root, "last_updated", "", &ignored, 0, err) ||
	    string_field(dp, root, "tooling", "", &ignored, 0, err))
		return ERR_BAD_INPUT;
	if (timestamp && policy_parse_timestamp(timestamp, &dp->doc_timestamp))
		return error_code(err, ERR_BAD_INPUT, "timestamp: '%s' is not an RFC 3339 time",
				  policy_printable(&dp->vex->arena, timestamp));
	{
		const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");

		if (version && !cJSON_IsNumber(version))
			return error_code(err, ERR_BAD_INPUT, "version must be a number, not %s",
					  json_type_name(version));
	}
	statements = cJSON_GetObjectItemCaseSensitive(root, "statements");
	if (!statements)
		return error_code(err, ERR_BAD_INPUT, "statements is missing");
	if (!cJSON_IsArray(statements))
		return error_code(err, ERR_BAD_INPUT, "statements must be an array, not %s",
				  json_type_name(statements));
	n = (size_t)cJSON_GetArraySize(statements);
	if (n + dp->vex->nr_statements > POLICY_VEX_MAX_STATEMENTS)
		return error_code(err, ERR_LIMIT,
				  "too many statements: %zu, the limit is %d over all documents", n,
				  POLICY_VEX_MAX_STATEMENTS);
	dp->statements = xcalloc(n ? n : 1, sizeof(*dp->statements));
	for (const cJSON *item = statements->child; item; item = item->next, k++) {
		int ret = parse_statement(dp, item, k, &dp->statements[k], err);

		if (ret)
			return ret;
	}
	dp->nr_statements = k;
	return 0;
}

int policy_vex_parse(struct policy_vex *vex, const char *data, size_t len, const char *source,
		     struct strbuf *err)
{
	struct doc_parse dp = {.vex = vex, .doc = vex->nr_docs};
	cJSON *root;
	int ret;

	dp.source = arena_strdup(&vex->arena, source ? source : "(VEX document)");
	if (len > POLICY_VEX_MAX_BYTES)
		return error_code(err, ERR_LIMIT,
				  "VEX document '%s' is too large: %zu bytes, the limit is %u",
				  policy_printable(&vex->arena, dp.source), len, POLICY_VEX_MAX_BYTES);
	root = policy_parse_json(data, len, err);
	ret = root ? parse_document(&dp, root, err) : ERR_BAD_INPUT;
	cJSON_Delete(root);
	if (ret) {
		error_prefix(err, "invalid VEX document '%s': ", policy_printable(&vex->arena, dp.source));
		free(dp.statements);
		free(dp.warnings);
		return ret;
	}
	vex->sources = xrealloc(vex->sources, (vex->nr_docs + 1) * sizeof(*vex->sources));
	vex->sources[vex->nr_docs++] = dp.source;
	ALLOC_GROW(vex->statements, vex->nr_statements + dp.nr_statements, vex->alloc_statements);
	if (dp.nr_statements)
		memcpy(vex->statements + vex->nr_statements, dp.statements,
		       dp.nr_statements * sizeof(*dp.statements));
	vex->nr_statements += dp.nr_statements;
	ALLOC_GROW(vex->warnings, vex->nr_warnings + dp.nr_warnings, vex->alloc_warnings);
	for (size_t i = 0; i < dp.nr_warnings; i++)
		vex->warnings[vex->nr_warnings++] = dp.warnings[i];
	free(dp.statements);
	free(dp.warnings);
	return 0;
}

int policy_vex_load(struct policy_vex *vex, const char *path, struct strbuf *err)
{
	char *data;
	size_t len;
	int ret = policy_read_file(path, POLICY_VEX_MAX_BYTES, "VEX document", &data, &len, err);

	if (ret)
		return ret;
	ret = policy_vex_parse(vex, data, len, path, err);
	free(data);
	return ret;
}

/* ---- Applying ---- */

static void product_parts(const struct policy_vex_product *p, struct purl_parts *out)
{
	out->type = p->type;
	out->namespace = p->namespace;
	out->name = p->name;
	out->version = p->version;
	out->qualifiers = p->qualifiers;
	out->nr_qualifiers = p->nr_qualifiers;
}

static int is_scanned_image(const struct purl_parts *product, const struct purl_parts *images,
			    size_t nr_images)
{
	for (size_t i = 0; i < nr_images; i++)
		if (policy_purl_covers(product, &images[i], 0))
			return 1;
	return 0;
}

/* Whether st's products reach the package whose purl is pkg (NULL when it has none). */
static int statement_covers(const struct policy_vex_statement *st, const struct purl_parts *pkg,
			    const struct purl_parts *images, size_t nr_images, int images_known)
{
	for (size_t i = 0; i < st->nr_products; i++) {
		const struct policy_vex_product *prod = &st->products[i];
		struct purl_parts parts;
		int subs_apply = 1;

		if (prod->is_purl) {
			product_parts(prod, &parts);
			if (!strcmp(parts.type, "oci")) {
				int here = images_known && is_scanned_image(&parts, images, nr_images);

				if (here && !prod->nr_subcomponents)
					return 1;
				subs_apply = here || !images_known;
			} else if (pkg && policy_purl_covers(&parts, pkg, 1)) {
				return 1;
			}
		}
		for (size_t s = 0; subs_apply && pkg && s < prod->nr_subcomponents; s++) {
			const struct policy_vex_product *sub = &prod->subcomponents[s];

			if (!sub->is_purl)
				continue;
			product_parts(sub, &parts);
			if (policy_purl_covers(&parts, pkg, 1))
				return 1;
		}
	}
	return 0;
}

/* One vulnerability ID of one statement, for looking statements up by a finding's IDs. */
struct id_entry {
	const char *id;
	size_t rank; /* the statement's position in application order */
};

static int id_entry_cmp(const void *a, const void *b)
{
	const struct id_entry *x = a, *y = b;
	int c = strcasecmp(x->id, y->id);

	if (c)
		return c;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* A statement's place in application order: sorted by timestamp, then document, then position. */
struct order_key {
	struct policy_time timestamp;
	size_t doc, index, statement;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;

	if (x->timestamp.seconds != y->timestamp.seconds)
		return x->timestamp.seconds < y->timestamp.seconds ? -1 : 1;
	if (x->timestamp.nanoseconds != y->timestamp.nanoseconds)
		return x->timestamp.nanoseconds < y->timestamp.nanoseconds ? -1 : 1;
	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The highest rank among the statements naming id that cover pkg, or -1. */
static long long best_for_id(const struct id_entry *ids, size_t nr_ids, const char *id, const size_t *order,
			     const struct policy_vex *vex, const struct purl_parts *pkg,
			     const struct purl_parts *images, size_t nr_images, int images_known)
{
	size_t lo = 0, hi = nr_ids;

	/* The first entry for id; entries of one id are in rank order, so walk back from the last. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(ids[mid].id, id) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i > 0 && !strcasecmp(ids[i - 1].id, id); i--) {
		const struct policy_vex_statement *st = &vex->statements[order[ids[i - 1].rank]];

		if (statement_covers(st, pkg, images, nr_images, images_known))
			return (long long)ids[i - 1].rank;
	}
	return -1;
}

size_t policy_apply_vex(const struct policy_vex *vex, struct match_result *res, const struct catalog *cat,
			const char *const *image_purls)
{
	struct arena scratch = ARENA_INIT;
	struct purl_parts *images = NULL;
	struct id_entry *ids = NULL;
	struct order_key *keys;
	size_t *order, nr_images = 0, nr_ids = 0, alloc_ids = 0, suppressed = 0;

	if (!vex || !res)
		return 0;
	for (size_t i = 0; i < vex->nr_warnings; i++)
		warnings_add(&res->warnings, &res->arena, "%s", vex->warnings[i]);
	if (!vex->nr_statements)
		return 0;

	keys = xcalloc(vex->nr_statements, sizeof(*keys));
	for (size_t i = 0; i < vex->nr_statements; i++) {
		keys[i].timestamp = vex->statements[i].timestamp;
		keys[i].doc = vex->statements[i].doc;
		keys[i].index = vex->statements[i].index;
		keys[i].statement = i;
	}
	qsort(keys, vex->nr_statements, sizeof(*keys), order_cmp);
	order = xcalloc(vex->nr_statements, sizeof(*order));
	for (size_t i = 0; i < vex->nr_statements; i++)
		order[i] = keys[i].statement;
	free(keys);
	for (size_t r = 0; r < vex->nr_statements; r++) {
		const struct policy_vex_statement *st = &vex->statements[order[r]];

		for (size_t k = 0; k < st->nr_vuln_ids; k++) {
			ALLOC_GROW(ids, nr_ids + 1, alloc_ids);
			ids[nr_ids].id = st->vuln_ids[k];
			ids[nr_ids++].rank = r;
		}
	}
	qsort(ids, nr_ids, sizeof(*ids), id_entry_cmp);

	for (size_t i = 0; image_purls && image_purls[i]; i++) {
		images = xrealloc(images, (nr_images + 1) * sizeof(*images));
		if (!policy_purl_parse(image_purls[i], &scratch, &images[nr_images]))
			nr_images++;
	}

	for (size_t i = 0; i < res->nr_findings; i++) {
		struct finding *f = &res->findings[i];
		struct purl_parts pkg_parts, *pkg = NULL;
		const struct policy_vex_statement *st;
		long long best;

		if (cat && f->package < cat->packages.nr && cat->packages.items[f->package].purl &&
		    !policy_purl_parse(cat->packages.items[f->package].purl, &scratch, &pkg_parts))
			pkg = &pkg_parts;
		best = f->id ? best_for_id(ids, nr_ids, f->id, order, vex, pkg, images, nr_images,
					   image_purls != NULL)
			     : -1;
		for (size_t a = 0; a < f->nr_aliases; a++) {
			long long r = best_for_id(ids, nr_ids, f->aliases[a], order, vex, pkg, images,
						  nr_images, image_purls != NULL);

			if (r > best)
				best = r;
		}
		if (best < 0)
			continue;
		st = &vex->statements[order[best]];
		switch (st->status) {
		case VEX_NOT_AFFECTED:
		case VEX_FIXED:
			if (f->suppressed_by)
				break;
			f->suppressed_by = "vex";
			if (st->status == VEX_FIXED)
				f->suppressed_reason = "fixed";
			else
				f->suppressed_reason = arena_printf(&res->arena, "not_affected: %s",
								    st->justification ? st->justification
										      : st->impact_statement);
			suppressed++;
			break;
		case VEX_AFFECTED:
		case VEX_UNDER_INVESTIGATION:
			f->vex_status = policy_vex_status_name(st->status);
			f->vex_detail = st->action_statement   ? st->action_statement
					: st->impact_statement ? st->impact_statement
							       : st->status_notes;
			if (f->vex_detail)
				f->vex_detail = arena_strdup(&res->arena, f->vex_detail);
			break;
		}
	}
	free(order);
	free(ids);
	free(images);
	arena_release(&scratch);
	return suppressed;
}
