/* Import the Debian security tracker's JSON (source package -> CVE -> release) into a database builder. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "vulndb/import.h"
#include "vulndb/vulndb.h"

#define BAD(...) error_code(err, ERR_BAD_INPUT, __VA_ARGS__)

/* Releases OSV names; others (sid, experimental, releases past their support) have no ecosystem. */
static const struct {
	const char *codename, *ecosystem;
} releases[] = {
    {"buster", "Debian:10"},
    {"bullseye", "Debian:11"},
    {"bookworm", "Debian:12"},
    {"trixie", "Debian:13"},
};

/*
 * Every urgency word the tracker writes, least severe first. Each is kept as
 * the advisory's severity word and the matcher decides what it means
 * (severity_from_distribution: "unimportant" is low, the last two are no
 * rating). Across the releases of one CVE the highest rank wins, so a rated
 * word always beats "not yet assigned" or "end-of-life".
 */
static const char *const urgencies[] = {
    "end-of-life", "not yet assigned", "unimportant", "low", "medium", "high",
};

struct tracker_fact {
	const char *id, *pkg, *ecosystem, *fixed; /* fixed NULL: no fix yet */
	const char *description;
	int urgency; /* index into urgencies, -1 for none */
	size_t seq;
};

static int cmp_fact(const void *a, const void *b)
{
	const struct tracker_fact *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

static int is_tracker_id(const char *key)
{
	return key && (!strncmp(key, "CVE-", 4) || !strncmp(key, "TEMP-", 5));
}

int vulndb_debian_detect(const cJSON *root)
{
	const cJSON *pkg, *issue;

	if (!cJSON_IsObject(root))
		return 0;
	pkg = root->child;
	if (!cJSON_IsObject(pkg))
		return 0;
	issue = pkg->child;
	return cJSON_IsObject(issue) && is_tracker_id(issue->string) &&
	       cJSON_HasObjectItem(issue, "releases");
}

/*
 * The tracker marks guessed urgencies with "**" ("high**"); the word is what
 * counts. -1 for a word outside the tracker's vocabulary: it is not kept.
 */
static int parse_urgency(const char *s)
{
	size_t len = strcspn(s, "*");

	for (size_t i = 0; i < sizeof(urgencies) / sizeof(urgencies[0]); i++)
		if (strlen(urgencies[i]) == len && !strncmp(s, urgencies[i], len))
			return (int)i;
	return -1;
}

static const char *opt_str(const cJSON *obj, const char *key, int *bad)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!item || cJSON_IsNull(item))
		return NULL;
	if (!cJSON_IsString(item)) {
		*bad = 1;
		return NULL;
	}
	return item->valuestring;
}

static int collect_release(const cJSON *rel, const char *pkg, const char *id, const char *description,
			   struct tracker_fact **facts, size_t *nr, size_t *alloc, const char *name,
			   struct strbuf *err)
{
	const char *ecosystem = NULL, *status, *fixed, *urgency;
	int bad = 0;

	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
		if (rel->string && !strcmp(rel->string, releases[i].codename))
			ecosystem = releases[i].ecosystem;
	if (!cJSON_IsObject(rel))
		return BAD(
		    "malformed debian tracker file '%s': release of '%.80s' in '%.80s' is not an object",
		    name, id, pkg);
	status = opt_str(rel, "status", &bad);
	fixed = opt_str(rel, "fixed_version", &bad);
	urgency = opt_str(rel, "urgency", &bad);
	if (bad || !status)
		return BAD("malformed debian tracker file '%s': release of '%.80s' in '%.80s' needs a string "
			   "'status'",
			   name, id, pkg);
	if (!strcmp(status, "resolved")) {
		if (!fixed || !*fixed)
			return BAD("malformed debian tracker file '%s': resolved '%.80s' in '%.80s' has no "
				   "'fixed_version'",
				   name, id, pkg);
		if (!strcmp(fixed, "0"))
			return 0; /* never affected in this release */
	} else if (!strcmp(status, "open") || !strcmp(status, "undetermined")) {
		/* Not fixed, or not yet assessed: every version counts as affected. */
		fixed = NULL;
	} else {
		return BAD("malformed debian tracker file '%s': unknown status '%.40s' of '%.80s' in '%.80s'",
			   name, status, id, pkg);
	}
	if (!ecosystem)
		return 0;
	ALLOC_GROW(*facts, *nr + 1, *alloc);
	(*facts)[*nr] = (struct tracker_fact){
	    .id = id,
	    .pkg = pkg,
	    .ecosystem = ecosystem,
	    .fixed = fixed,
	    .description = description,
	    .urgency = urgency ? parse_urgency(urgency) : -1,
	    .seq = *nr,
	};
	(*nr)++;
	return 0;
}

static int collect(const cJSON *root, struct tracker_fact **facts, size_t *nr, size_t *alloc,
		   const char *name, struct strbuf *err)
{
	const cJSON *pkg, *issue, *rel;

	cJSON_ArrayForEach(pkg, root)
	{
		if (!cJSON_IsObject(pkg) || !pkg->string || !*pkg->string)
			return BAD("malformed debian tracker file '%s': a source package is not an object",
				   name);
		cJSON_ArrayForEach(issue, pkg)
		{
			const cJSON *rels;
			const char *description;
			int bad = 0, ret;

			if (!cJSON_IsObject(issue) || !issue->string || !*issue->string)
				return BAD(
				    "malformed debian tracker file '%s': an issue of '%.80s' is not an "
				    "object",
				    name, pkg->string);
			rels = cJSON_GetObjectItemCaseSensitive(issue, "releases");
			description = opt_str(issue, "description", &bad);
			/* The tracker writes an issue with no releases as an empty list. */
			if (cJSON_IsArray(rels) && !rels->child)
				continue;
			if (!cJSON_IsObject(rels) || bad)
				return BAD("malformed debian tracker file '%s': '%.80s' in '%.80s' needs a "
					   "'releases' object",
					   name, issue->string, pkg->string);
			cJSON_ArrayForEach(rel, rels)
			{
				ret = collect_release(rel, pkg->string, issue->string, description, facts, nr,
						      alloc, name, err);
				if (ret < 0)
					return ret;
			}
		}
	}
	return 0;
}

int vulndb_import_debian_json(struct vulndb_builder *b, const cJSON *root, const char *name,
			      struct strbuf *err)
{
	struct tracker_fact *facts = NULL;
	size_t nr = 0, alloc = 0;
	int ret;

	if (!cJSON_IsObject(root))
		return BAD("malformed debian tracker file '%s': not a json object", name);
	ret = collect(root, &facts, &nr, &alloc, name, err);
	if (ret < 0)
		goto out;
	if (nr)
		qsort(facts, nr, sizeof(*facts), cmp_fact);
	vulndb_builder_begin_source(b, "debian-tracker");

	/* One advisory per CVE, whichever packages and releases it touches. */
	for (size_t i = 0; i < nr;) {
		struct vulndb_new_advisory adv = {0};
		size_t end = i;
		int urgency = -1;
		uint32_t index;

		while (end < nr && !strcmp(facts[end].id, facts[i].id)) {
			if (facts[end].urgency > urgency)
				urgency = facts[end].urgency;
			if (!adv.summary && facts[end].description && *facts[end].description)
				adv.summary = facts[end].description;
			end++;
		}
		adv.id = facts[i].id;
		adv.severity = urgency >= 0 ? urgencies[urgency] : NULL;
		index = vulndb_builder_add_advisory(b, &adv);
		for (; i < end; i++) {
			vulndb_builder_add_affected(b, index, facts[i].ecosystem, facts[i].pkg);
			vulndb_builder_add_range(b, VULNDB_RANGE_ECOSYSTEM);
			vulndb_builder_add_event(b, VULNDB_EVENT_INTRODUCED, "0");
			if (facts[i].fixed)
				vulndb_builder_add_event(b, VULNDB_EVENT_FIXED, facts[i].fixed);
		}
	}
out:
	free(facts);
	return ret;
}

int vulndb_import_debian_buffer(struct vulndb_builder *b, const char *json, size_t len, const char *name,
				struct strbuf *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	int ret;

	if (!root)
		return BAD("malformed debian tracker file '%s': not valid json", name);
	ret = vulndb_import_debian_json(b, root, name, err);
	cJSON_Delete(root);
	return ret;
}
