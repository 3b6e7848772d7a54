/* Import Alpine secdb JSON (one file per release and repository) into a database builder. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/import.h"
#include "vulndb/vulndb.h"

#define BAD(...) error_code(err, ERR_BAD_INPUT, __VA_ARGS__)
#define MAX_ID 256

/* One "CVE fixed in package version" fact; ids point into the parsed document or ids_text. */
struct secfix {
	const char *id, *pkg, *fixed;
	size_t seq;
};

static int cmp_secfix(const void *a, const void *b)
{
	const struct secfix *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (!c)
		c = strcmp(x->pkg, y->pkg);
	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

int vulndb_secdb_detect(const cJSON *root)
{
	return cJSON_IsObject(root) && cJSON_HasObjectItem(root, "packages") &&
	       cJSON_HasObjectItem(root, "distroversion");
}

/*
 * Every secfixes entry may hold several ids separated by blanks; each token
 * is copied into ids so the facts can point at it until they are emitted.
 */
static int collect(const cJSON *packages, struct strbuf *ids, struct secfix **facts, size_t *nr,
		   size_t *alloc, const char *name, struct strbuf *err)
{
	const cJSON *entry;

	cJSON_ArrayForEach(entry, packages)
	{
		const cJSON *pkg =
		    cJSON_IsObject(entry) ? cJSON_GetObjectItemCaseSensitive(entry, "pkg") : NULL;
		const cJSON *pkg_name, *secfixes, *fix;

		if (!cJSON_IsObject(pkg))
			return BAD("malformed alpine secdb '%s': a package entry needs a 'pkg' object", name);
		pkg_name = cJSON_GetObjectItemCaseSensitive(pkg, "name");
		if (!cJSON_IsString(pkg_name) || !*pkg_name->valuestring)
			return BAD("malformed alpine secdb '%s': a package needs a string 'name'", name);
		secfixes = cJSON_GetObjectItemCaseSensitive(pkg, "secfixes");
		if (!secfixes || cJSON_IsNull(secfixes))
			continue;
		if (!cJSON_IsObject(secfixes))
			return BAD("malformed alpine secdb '%s': 'secfixes' of '%.80s' is not an object",
				   name, pkg_name->valuestring);
		cJSON_ArrayForEach(fix, secfixes)
		{
			const cJSON *item;

			if (!cJSON_IsArray(fix) || !fix->string || !*fix->string)
				return BAD(
				    "malformed alpine secdb '%s': secfixes of '%.80s' must map versions "
				    "to arrays",
				    name, pkg_name->valuestring);
			cJSON_ArrayForEach(item, fix)
			{
				const char *p;

				if (!cJSON_IsString(item))
					return BAD(
					    "malformed alpine secdb '%s': an id of '%.80s' is not a string",
					    name, pkg_name->valuestring);
				/* "0" means the package was never affected: nothing to match. */
				if (!strcmp(fix->string, "0"))
					continue;
				for (p = item->valuestring; *p;) {
					size_t len;

					while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
						p++;
					len = strcspn(p, " \t\r\n");
					if (!len)
						break;
					if (len > MAX_ID)
						return BAD("malformed alpine secdb '%s': an id of '%.80s' is "
							   "too long",
							   name, pkg_name->valuestring);
					ALLOC_GROW(*facts, *nr + 1, *alloc);
					/* Offsets for now: ids may still move while it grows. */
					(*facts)[*nr].id = (const char *)(uintptr_t)ids->len;
					(*facts)[*nr].pkg = pkg_name->valuestring;
					(*facts)[*nr].fixed = fix->string;
					(*facts)[*nr].seq = *nr;
					(*nr)++;
					strbuf_add(ids, p, len);
					strbuf_addch(ids, '\0');
					p += len;
				}
			}
		}
	}
	return 0;
}

int vulndb_import_secdb_json(struct vulndb_builder *b, const cJSON *root, const char *name,
			     struct strbuf *err)
{
	const cJSON *release = cJSON_GetObjectItemCaseSensitive(root, "distroversion");
	const cJSON *repo = cJSON_GetObjectItemCaseSensitive(root, "reponame");
	const cJSON *packages = cJSON_GetObjectItemCaseSensitive(root, "packages");
	struct strbuf ecosystem = STRBUF_INIT, source = STRBUF_INIT, ids = STRBUF_INIT;
	struct secfix *facts = NULL;
	size_t nr = 0, alloc = 0;
	int ret;

	if (!cJSON_IsString(release) || !*release->valuestring || strlen(release->valuestring) > 64)
		return BAD("malformed alpine secdb '%s': 'distroversion' is not a release name", name);
	if (repo && !cJSON_IsNull(repo) && (!cJSON_IsString(repo) || strlen(repo->valuestring) > 64))
		return BAD("malformed alpine secdb '%s': 'reponame' is not a string", name);
	if (!cJSON_IsArray(packages))
		return BAD("malformed alpine secdb '%s': 'packages' is not an array", name);

	ret = collect(packages, &ids, &facts, &nr, &alloc, name, err);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < nr; i++)
		facts[i].id = ids.buf + (uintptr_t)facts[i].id;
	if (nr)
		qsort(facts, nr, sizeof(*facts), cmp_secfix);

	/* OSV names Alpine releases "Alpine:v3.19". */
	strbuf_addf(&ecosystem, "Alpine:%s", release->valuestring);
	strbuf_addf(&source, "alpine-secdb %s", release->valuestring);
	if (cJSON_IsString(repo) && *repo->valuestring)
		strbuf_addf(&source, " %s", repo->valuestring);
	vulndb_builder_begin_source(b, source.buf);

	for (size_t i = 0; i < nr;) {
		struct vulndb_new_advisory adv = {0};
		uint32_t index;

		adv.id = facts[i].id;
		index = vulndb_builder_add_advisory(b, &adv);
		do {
			size_t first = i;

			vulndb_builder_add_affected(b, index, ecosystem.buf, facts[i].pkg);
			/* A CVE listed under two versions of one package: each fix is its own range. */
			do {
				vulndb_builder_add_range(b, VULNDB_RANGE_ECOSYSTEM);
				vulndb_builder_add_event(b, VULNDB_EVENT_INTRODUCED, "0");
				vulndb_builder_add_event(b, VULNDB_EVENT_FIXED, facts[i].fixed);
				i++;
			} while (i < nr && !strcmp(facts[i].id, facts[first].id) &&
				 !strcmp(facts[i].pkg, facts[first].pkg));
		} while (i < nr && !strcmp(facts[i].id, adv.id));
	}
out:
	free(facts);
	strbuf_release(&ids);
	strbuf_release(&ecosystem);
	strbuf_release(&source);
	return ret;
}

int vulndb_import_secdb_buffer(struct vulndb_builder *b, const char *json, size_t len, const char *name,
			       struct strbuf *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	int ret;

	if (!root)
		return BAD("malformed alpine secdb '%s': not valid json", name);
	if (!vulndb_secdb_detect(root))
		ret = BAD("malformed alpine secdb '%s': needs 'distroversion' and 'packages'", name);
	else
		ret = vulndb_import_secdb_json(b, root, name, err);
	cJSON_Delete(root);
	return ret;
}
