/* Ignore rules: a strictly validated file of suppressions, each with a reason and an optional expiry date. */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/internal.h"
#include "util/error.h"
#include "util/path.h"
#include "util/xalloc.h"

/* The keys of a rule, in the order of rule_keys. */
enum rule_key { KEY_ID, KEY_PACKAGE, KEY_PATH, KEY_REASON, KEY_EXPIRES, NR_RULE_KEYS };
static const char *const rule_keys[NR_RULE_KEYS] = {"id", "package", "path", "reason", "expires"};

static int parse_rule(struct policy_ignore *ig, const cJSON *item, size_t index,
		      struct policy_ignore_rule *rule, struct strbuf *err)
{
	const char *values[NR_RULE_KEYS] = {NULL};
	char where[64];
	char key_where[96];

	snprintf(where, sizeof(where), "ignore[%zu]", index);
	if (!cJSON_IsObject(item))
		return error_code(err, ERR_BAD_INPUT, "%s must be an object, not %s", where,
				  json_type_name(item));
	for (const cJSON *field = item->child; field; field = field->next) {
		size_t k;

		for (k = 0; k < NR_RULE_KEYS; k++)
			if (field->string && !strcmp(field->string, rule_keys[k]))
				break;
		if (k == NR_RULE_KEYS)
			return error_code(err, ERR_BAD_INPUT,
					  "%s: unknown key '%s' (known: id, package, path, reason, expires)",
					  where, policy_printable(&ig->arena, field->string));
		/* cJSON keeps both copies of a repeated key, and which one wins would be a guess. */
		if (values[k])
			return error_code(err, ERR_BAD_INPUT, "%s: key '%s' appears twice", where,
					  rule_keys[k]);
		snprintf(key_where, sizeof(key_where), "%s.%s", where, rule_keys[k]);
		if (!(values[k] = policy_json_string(field, key_where, err)))
			return ERR_BAD_INPUT;
	}
	if (!values[KEY_ID])
		return error_code(err, ERR_BAD_INPUT, "%s.id is missing: every rule names a vulnerability",
				  where);
	if (!values[KEY_REASON])
		return error_code(err, ERR_BAD_INPUT, "%s.reason is missing: every rule says why", where);

	memset(rule, 0, sizeof(*rule));
	rule->index = index;
	rule->id = arena_strdup(&ig->arena, values[KEY_ID]);
	rule->reason = arena_strdup(&ig->arena, values[KEY_REASON]);
	if (values[KEY_PACKAGE]) {
		struct purl_parts parts;

		if (!strncasecmp(values[KEY_PACKAGE], "pkg:", 4) &&
		    policy_purl_parse(values[KEY_PACKAGE], &ig->arena, &parts))
			return error_code(err, ERR_BAD_INPUT, "%s.package: '%s' is not a valid package URL",
					  where, policy_printable(&ig->arena, values[KEY_PACKAGE]));
		rule->package = arena_strdup(&ig->arena, values[KEY_PACKAGE]);
	}
	if (values[KEY_PATH]) {
		struct strbuf norm = STRBUF_INIT, perr = STRBUF_INIT;

		/* Users copy paths from reports or from a shell in the image; both spellings mean the same
		 * file. */
		if (path_normalize(values[KEY_PATH], 0, &norm, &perr)) {
			strbuf_release(&norm);
			strbuf_release(&perr);
			return error_code(err, ERR_BAD_INPUT,
					  "%s.path: '%s' is not a usable path in the image", where,
					  policy_printable(&ig->arena, values[KEY_PATH]));
		}
		rule->path = arena_strdup(&ig->arena, norm.buf);
		strbuf_release(&norm);
		strbuf_release(&perr);
	}
	if (values[KEY_EXPIRES]) {
		if (policy_parse_date(values[KEY_EXPIRES], &rule->expires_day))
			return error_code(err, ERR_BAD_INPUT,
					  "%s.expires: '%s' is not a real date in the form YYYY-MM-DD", where,
					  policy_printable(&ig->arena, values[KEY_EXPIRES]));
		rule->expires = arena_strdup(&ig->arena, values[KEY_EXPIRES]);
	}
	return 0;
}

static int parse_root(struct policy_ignore *ig, const cJSON *root, struct strbuf *err)
{
	const cJSON *list = NULL;
	size_t nr;

	if (!cJSON_IsObject(root))
		return error_code(err, ERR_BAD_INPUT, "the file must hold an object, not %s",
				  json_type_name(root));
	for (const cJSON *field = root->child; field; field = field->next) {
		if (!field->string || strcmp(field->string, "ignore"))
			return error_code(err, ERR_BAD_INPUT, "unknown top-level key '%s' (known: ignore)",
					  policy_printable(&ig->arena, field->string));
		if (list)
			return error_code(err, ERR_BAD_INPUT, "the top level: key 'ignore' appears twice");
		list = field;
	}
	if (!list)
		return error_code(err, ERR_BAD_INPUT, "the key 'ignore' is missing");
	if (!cJSON_IsArray(list))
		return error_code(err, ERR_BAD_INPUT, "ignore must be an array, not %s",
				  json_type_name(list));
	nr = (size_t)cJSON_GetArraySize(list);
	if (nr > POLICY_IGNORE_MAX_RULES)
		return error_code(err, ERR_LIMIT, "too many rules: %zu, the limit is %d", nr,
				  POLICY_IGNORE_MAX_RULES);
	ig->rules = arena_alloc(&ig->arena, (nr ? nr : 1) * sizeof(*ig->rules));
	for (const cJSON *item = list->child; item; item = item->next) {
		int ret = parse_rule(ig, item, ig->nr_rules, &ig->rules[ig->nr_rules], err);

		if (ret)
			return ret;
		ig->nr_rules++;
	}
	return 0;
}

int policy_ignore_parse(const char *data, size_t len, const char *source, struct policy_ignore **out,
			struct strbuf *err)
{
	struct policy_ignore *ig = xcalloc(1, sizeof(*ig));
	cJSON *root;
	int ret;

	ig->source = arena_strdup(&ig->arena, source ? source : "(ignore file)");
	if (len > POLICY_IGNORE_MAX_BYTES) {
		ret = error_code(err, ERR_LIMIT, "ignore file '%s' is too large: %zu bytes, the limit is %u",
				 ig->source, len, POLICY_IGNORE_MAX_BYTES);
		policy_ignore_free(ig);
		return ret;
	}
	root = policy_parse_json(data, len, err);
	ret = root ? parse_root(ig, root, err) : ERR_BAD_INPUT;
	cJSON_Delete(root);
	if (ret) {
		error_prefix(err, "invalid ignore file '%s': ", policy_printable(&ig->arena, ig->source));
		policy_ignore_free(ig);
		return ret;
	}
	*out = ig;
	return 0;
}

int policy_ignore_load(const char *path, struct policy_ignore **out, struct strbuf *err)
{
	char *data;
	size_t len;
	int ret = policy_read_file(path, POLICY_IGNORE_MAX_BYTES, "ignore file", &data, &len, err);

	if (ret)
		return ret;
	ret = policy_ignore_parse(data, len, path, out, err);
	free(data);
	return ret;
}

void policy_ignore_free(struct policy_ignore *ig)
{
	if (!ig)
		return;
	arena_release(&ig->arena);
	free(ig);
}

/* "name" or "name@version"; a leading '@' is an npm scope, not a version. */
static int name_matches(const char *spec, const struct package *p)
{
	const char *at = strrchr(spec, '@');

	if (at == spec)
		at = NULL;
	if (!p->name)
		return 0;
	if (!at)
		return !strcmp(spec, p->name);
	return strlen(p->name) == (size_t)(at - spec) && !strncmp(spec, p->name, (size_t)(at - spec)) &&
	       p->version && !strcmp(at + 1, p->version);
}

static int package_matches(const struct policy_ignore_rule *rule, const struct package *p,
			   struct arena *scratch)
{
	struct purl_parts pattern, candidate;

	if (strncasecmp(rule->package, "pkg:", 4))
		return name_matches(rule->package, p);
	if (!p->purl || policy_purl_parse(rule->package, scratch, &pattern) ||
	    policy_purl_parse(p->purl, scratch, &candidate))
		return 0;
	return policy_purl_covers(&pattern, &candidate, 1);
}

static int path_matches(const char *rule_path, const struct package *p)
{
	/* Package paths are normalised already: relative, no "./", no trailing "/". */
	return (p->path && path_is_under(p->path, rule_path)) ||
	       (p->install_path && path_is_under(p->install_path, rule_path));
}

/* Days since 1970-01-01 of the UTC day that holds now. */
static int64_t utc_day(time_t now)
{
	struct tm tm;

	if (!gmtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	return policy_days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

size_t policy_apply_ignore(const struct policy_ignore *ig, struct match_result *res,
			   const struct catalog *cat, time_t now)
{
	struct arena scratch = ARENA_INIT;
	int64_t today;
	size_t suppressed = 0;

	if (!ig || !res)
		return 0;
	today = utc_day(now);

	for (size_t r = 0; r < ig->nr_rules; r++) {
		const struct policy_ignore_rule *rule = &ig->rules[r];

		if (rule->expires && rule->expires_day < today) {
			warnings_add(
			    &res->warnings, &res->arena,
			    "ignore rule ignore[%zu] in '%s' for %s expired on %s and no longer applies",
			    rule->index, policy_printable(&scratch, ig->source),
			    policy_printable(&scratch, rule->id), rule->expires);
			continue;
		}
		for (size_t i = 0; i < res->nr_findings; i++) {
			struct finding *f = &res->findings[i];
			const struct package *p = NULL;

			if (f->suppressed_by || !policy_finding_has_id(f, rule->id))
				continue;
			if (cat && f->package < cat->packages.nr)
				p = &cat->packages.items[f->package];
			/* A scoped rule cannot be checked without the package: it does not apply. */
			if ((rule->package || rule->path) && !p)
				continue;
			if (rule->package && !package_matches(rule, p, &scratch))
				continue;
			if (rule->path && !path_matches(rule->path, p))
				continue;
			f->suppressed_by = "ignore";
			f->suppressed_reason = arena_strdup(&res->arena, rule->reason);
			suppressed++;
		}
	}
	arena_release(&scratch);
	return suppressed;
}

size_t policy_apply_ignore_checks(const struct policy_ignore *ig, struct check_results *checks, time_t now)
{
	int64_t today;
	size_t suppressed = 0;

	if (!ig || !checks)
		return 0;
	today = utc_day(now);

	for (size_t r = 0; r < ig->nr_rules; r++) {
		const struct policy_ignore_rule *rule = &ig->rules[r];

		if ((rule->expires && rule->expires_day < today) || rule->package)
			continue;
		for (size_t i = 0; i < checks->nr; i++) {
			struct check_finding *f = &checks->findings[i];

			if (f->suppressed_by || strcasecmp(f->rule->id, rule->id))
				continue;
			if (rule->path && !(f->path && (f->path_is_dockerfile ? !strcmp(f->path, rule->path)
									      : path_is_under(f->path, rule->path))))
				continue;
			f->suppressed_by = "ignore";
			f->suppressed_reason = arena_strdup(&checks->arena, rule->reason);
			suppressed++;
		}
	}
	return suppressed;
}
