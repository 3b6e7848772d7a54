/* Import OSV JSON records (files or folders of *.json) into a database builder. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "vulndb/import.h"
#include "vulndb/vulndb.h"

#define MAX_LIST 4096 /* aliases or CVSS vectors kept per advisory */

#define BAD(...) error_code(err, ERR_BAD_INPUT, __VA_ARGS__)

/* An optional string member: absent or null is NULL, any other non-string is an error. */
static int opt_string(const cJSON *obj, const char *key, const char **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!item || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsString(item))
		return -1;
	*out = item->valuestring;
	return 0;
}

/* An optional array member: absent or null is NULL. */
static int opt_array(const cJSON *obj, const char *key, const cJSON **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!item || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsArray(item))
		return -1;
	*out = item;
	return 0;
}

/*
 * database_specific.severity or ecosystem_specific.severity, when it is a
 * word; Canonical's older records put their priority in "ubuntu_priority".
 */
static const char *specific_severity(const cJSON *obj, const char *key)
{
	static const char *const words[] = {"severity", "ubuntu_priority"};
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsObject(spec))
		return NULL;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const cJSON *sev = cJSON_GetObjectItemCaseSensitive(spec, words[i]);

		if (cJSON_IsString(sev) && *sev->valuestring)
			return sev->valuestring;
	}
	return NULL;
}

/*
 * PEP 503 names a PyPI project case-insensitively, with every run of '-',
 * '_' and '.' as one '-'. Advisories spell a project as it was published
 * ("PyYAML"), so the database keeps the normal form and the matcher looks
 * installed packages up by theirs. Only PyPI: npm and the others compare
 * names exactly as published.
 */
static const char *pypi_normal_name(const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	for (const char *p = name; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			if (!out->len || out->buf[out->len - 1] != '-')
				strbuf_addch(out, '-');
		} else {
			strbuf_addch(out, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
		}
	}
	return out->buf;
}

/*
 * OSV's "upstream" names the records this one is derived from: Canonical
 * writes UBUNTU-CVE-2021-3782 with upstream CVE-2021-3782, and USN-5614-1
 * with upstream UBUNTU-CVE-2021-3782. When there is exactly one, both name
 * the same vulnerability and it is kept as an alias, so the finding merges
 * under the CVE. A record with several (a USN or DSA fixing many CVEs) is
 * not any one of them: taking them as aliases would chain distinct CVEs
 * into one finding, so then upstream is left out.
 */
static int upstream_alias(const cJSON *rec, const char **out)
{
	const cJSON *list, *item;
	int nr = 0;

	*out = NULL;
	if (opt_array(rec, "upstream", &list) < 0)
		return -1;
	cJSON_ArrayForEach(item, list)
	{
		if (!cJSON_IsString(item))
			return -1;
		if (*item->valuestring && !nr++)
			*out = item->valuestring;
	}
	if (nr != 1)
		*out = NULL;
	return 0;
}

static int import_ranges(struct vulndb_builder *b, const cJSON *ranges, const char *name, const char *id,
			 struct strbuf *err)
{
	const cJSON *range;

	cJSON_ArrayForEach(range, ranges)
	{
		const char *type;
		const cJSON *events, *ev;
		enum vulndb_range_type rtype;

		if (!cJSON_IsObject(range) || opt_string(range, "type", &type) < 0 || !type ||
		    opt_array(range, "events", &events) < 0 || !events)
			return BAD("malformed osv record '%s' in '%s': a range needs a type and events", id,
				   name);
		if (!strcmp(type, "GIT"))
			continue; /* commit ranges need the repository; package versions do not */
		if (!strcmp(type, "ECOSYSTEM"))
			rtype = VULNDB_RANGE_ECOSYSTEM;
		else if (!strcmp(type, "SEMVER"))
			rtype = VULNDB_RANGE_SEMVER;
		else
			return BAD("malformed osv record '%s' in '%s': unknown range type '%.40s'", id, name,
				   type);
		vulndb_builder_add_range(b, rtype);
		cJSON_ArrayForEach(ev, events)
		{
			static const struct {
				const char *key;
				enum vulndb_event_kind kind;
			} kinds[] = {
			    {"introduced", VULNDB_EVENT_INTRODUCED},
			    {"fixed", VULNDB_EVENT_FIXED},
			    {"last_affected", VULNDB_EVENT_LAST_AFFECTED},
			    {"limit", VULNDB_EVENT_LIMIT},
			};
			const cJSON *member = cJSON_IsObject(ev) ? ev->child : NULL;
			size_t k;

			if (!member || member->next || !cJSON_IsString(member) || !member->string)
				return BAD(
				    "malformed osv record '%s' in '%s': an event must be one string member",
				    id, name);
			for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
				if (!strcmp(member->string, kinds[k].key))
					break;
			if (k == sizeof(kinds) / sizeof(kinds[0]))
				return BAD("malformed osv record '%s' in '%s': unknown event '%.40s'", id,
					   name, member->string);
			vulndb_builder_add_event(b, kinds[k].kind, member->valuestring);
		}
	}
	return 0;
}

static int import_record(struct vulndb_builder *b, const cJSON *rec, const char *name, struct strbuf *err)
{
	struct vulndb_new_advisory adv = {0};
	const char *aliases[MAX_LIST], *cvss[MAX_LIST];
	const char *withdrawn, *word = NULL, *upstream;
	const cJSON *list, *item, *affected, *aff;
	struct strbuf normal = STRBUF_INIT;
	uint32_t index;
	int ret = 0;

	if (!cJSON_IsObject(rec))
		return BAD("malformed osv record in '%s': not a json object", name);
	if (opt_string(rec, "id", &adv.id) < 0 || !adv.id || !*adv.id)
		return BAD("malformed osv record in '%s': missing string 'id'", name);
	if (opt_string(rec, "withdrawn", &withdrawn) < 0 || opt_string(rec, "summary", &adv.summary) < 0 ||
	    opt_string(rec, "published", &adv.published) < 0 ||
	    opt_string(rec, "modified", &adv.modified) < 0)
		return BAD("malformed osv record '%s' in '%s': a string field has another type", adv.id,
			   name);
	if (withdrawn)
		return 0; /* a withdrawn advisory must never produce a finding */

	if (opt_array(rec, "aliases", &list) < 0)
		return BAD("malformed osv record '%s' in '%s': 'aliases' is not an array", adv.id, name);
	cJSON_ArrayForEach(item, list)
	{
		if (!cJSON_IsString(item))
			return BAD("malformed osv record '%s' in '%s': an alias is not a string", adv.id,
				   name);
		if (adv.nr_aliases < MAX_LIST)
			aliases[adv.nr_aliases++] = item->valuestring;
	}
	if (upstream_alias(rec, &upstream) < 0)
		return BAD("malformed osv record '%s' in '%s': 'upstream' is not an array of strings", adv.id,
			   name);
	if (upstream && strcmp(upstream, adv.id) && adv.nr_aliases < MAX_LIST) {
		size_t i;

		for (i = 0; i < adv.nr_aliases && strcmp(aliases[i], upstream); i++)
			;
		if (i == adv.nr_aliases)
			aliases[adv.nr_aliases++] = upstream;
	}
	adv.aliases = aliases;

	if (opt_array(rec, "severity", &list) < 0)
		return BAD("malformed osv record '%s' in '%s': 'severity' is not an array", adv.id, name);
	cJSON_ArrayForEach(item, list)
	{
		const char *type, *score;

		if (!cJSON_IsObject(item) || opt_string(item, "type", &type) < 0 ||
		    opt_string(item, "score", &score) < 0 || !type || !score)
			return BAD("malformed osv record '%s' in '%s': a severity needs a type and a score",
				   adv.id, name);
		if (!strncmp(type, "CVSS_", 5)) {
			if (adv.nr_cvss < MAX_LIST)
				cvss[adv.nr_cvss++] = score;
		} else if (!word) {
			word = score; /* a distribution's own rating, such as Ubuntu's "medium" */
		}
	}
	adv.cvss = cvss;

	if (opt_array(rec, "affected", &affected) < 0)
		return BAD("malformed osv record '%s' in '%s': 'affected' is not an array", adv.id, name);
	adv.severity = specific_severity(rec, "database_specific");
	cJSON_ArrayForEach(aff, affected)
	{
		if (adv.severity)
			break;
		if (cJSON_IsObject(aff))
			adv.severity = specific_severity(aff, "ecosystem_specific");
		if (!adv.severity && cJSON_IsObject(aff))
			adv.severity = specific_severity(aff, "database_specific");
	}
	if (!adv.severity)
		adv.severity = word;

	index = vulndb_builder_add_advisory(b, &adv);
	cJSON_ArrayForEach(aff, affected)
	{
		const cJSON *pkg, *ranges, *versions;
		const char *ecosystem, *pkg_name;

		if (!cJSON_IsObject(aff)) {
			ret = BAD("malformed osv record '%s' in '%s': an affected entry is not an object",
				  adv.id, name);
			break;
		}
		pkg = cJSON_GetObjectItemCaseSensitive(aff, "package");
		if (!pkg || cJSON_IsNull(pkg))
			continue; /* repository-only entries name no package to match */
		if (!cJSON_IsObject(pkg) || opt_string(pkg, "ecosystem", &ecosystem) < 0 ||
		    opt_string(pkg, "name", &pkg_name) < 0 || !ecosystem || !pkg_name || !*ecosystem ||
		    !*pkg_name) {
			ret =
			    BAD("malformed osv record '%s' in '%s': a package needs an ecosystem and a name",
				adv.id, name);
			break;
		}
		if (opt_array(aff, "ranges", &ranges) < 0 || opt_array(aff, "versions", &versions) < 0) {
			ret = BAD("malformed osv record '%s' in '%s': 'ranges' or 'versions' is not an array",
				  adv.id, name);
			break;
		}
		if (!strcmp(ecosystem, "PyPI"))
			pkg_name = pypi_normal_name(pkg_name, &normal);
		vulndb_builder_add_affected(b, index, ecosystem, pkg_name);
		ret = import_ranges(b, ranges, name, adv.id, err);
		if (ret < 0)
			break;
		cJSON_ArrayForEach(item, versions)
		{
			if (!cJSON_IsString(item)) {
				ret = BAD("malformed osv record '%s' in '%s': a version is not a string",
					  adv.id, name);
				break;
			}
			vulndb_builder_add_version(b, item->valuestring);
		}
		if (ret < 0)
			break;
	}
	strbuf_release(&normal);
	return ret;
}

int vulndb_import_osv_json(struct vulndb_builder *b, const cJSON *root, const char *name, struct strbuf *err)
{
	int ret = 0;

	/* One record per file is OSV's layout; an array of records is accepted too. */
	if (cJSON_IsArray(root)) {
		const cJSON *rec;

		cJSON_ArrayForEach(rec, root)
		{
			ret = import_record(b, rec, name, err);
			if (ret < 0)
				break;
		}
	} else {
		ret = import_record(b, root, name, err);
	}
	return ret;
}

int vulndb_import_osv_buffer(struct vulndb_builder *b, const char *json, size_t len, const char *name,
			     struct strbuf *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	int ret;

	if (!root)
		return BAD("malformed osv file '%s': not valid json", name);
	ret = vulndb_import_osv_json(b, root, name, err);
	cJSON_Delete(root);
	return ret;
}

/* The whole file, NUL-terminated, in *out (the caller frees it). */
static int read_json_file(const char *path, char **out, size_t *size, uint64_t *bytes, struct strbuf *err)
{
	struct stat st;
	char *buf;
	ssize_t got;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open '%s': %s", path,
				  strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return error_code(err, ERR_IO, "cannot stat '%s': %s", path, strerror(errno));
	}
	if (st.st_size > VULNDB_MAX_JSON_FILE) {
		close(fd);
		return error_code(err, ERR_LIMIT, "osv file '%s' is larger than the %u MiB limit", path,
				  VULNDB_MAX_JSON_FILE >> 20);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (done < (size_t)st.st_size) {
		got = read(fd, buf + done, (size_t)st.st_size - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		done += (size_t)got;
	}
	close(fd);
	if (done != (size_t)st.st_size) {
		free(buf);
		return error_code(err, ERR_IO, "cannot read '%s': short read", path);
	}
	buf[done] = '\0';
	if (bytes)
		*bytes += done;
	*out = buf;
	*size = done;
	return 0;
}

static int import_file(struct vulndb_builder *b, const char *path, uint64_t *bytes, struct strbuf *err)
{
	char *buf;
	size_t size;
	int ret = read_json_file(path, &buf, &size, bytes, err);

	if (ret < 0)
		return ret;
	ret = vulndb_import_osv_buffer(b, buf, size, path, err);
	free(buf);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_json(const char *s)
{
	size_t len = strlen(s);

	return len > 5 && !strcmp(s + len - 5, ".json");
}

/* Sorted, so the same input folder always gives the same database bytes. */
static int import_dir(struct vulndb_builder *b, const char *path, int depth, uint64_t *bytes,
		      struct strbuf *err)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	int ret = 0;

	if (depth > 32)
		return error_code(err, ERR_LIMIT, "folder '%s' is nested too deep", path);
	dir = opendir(path);
	if (!dir)
		return error_code(err, ERR_IO, "cannot read folder '%s': %s", path, strerror(errno));
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_names);
	for (size_t i = 0; i < nr && !ret; i++) {
		struct strbuf child = STRBUF_INIT;
		struct stat st;

		strbuf_addf(&child, "%s/%s", path, names[i]);
		if (stat(child.buf, &st) < 0)
			ret = error_code(err, ERR_IO, "cannot stat '%s': %s", child.buf, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			ret = import_dir(b, child.buf, depth + 1, bytes, err);
		else if (S_ISREG(st.st_mode) && ends_with_json(names[i]))
			ret = import_file(b, child.buf, bytes, err);
		strbuf_release(&child);
	}
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return ret;
}

static void begin_source_named_after(struct vulndb_builder *b, const char *path)
{
	char *base = xstrdup(path);
	size_t len = strlen(base);
	const char *slash;

	while (len > 1 && base[len - 1] == '/')
		base[--len] = '\0';
	slash = strrchr(base, '/');
	vulndb_builder_begin_source(b, slash && slash[1] ? slash + 1 : base);
	free(base);
}

/* Zips are told by their first bytes, like the JSON formats by their content. */
static int is_zip(const char *path)
{
	unsigned char head[4];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	got = read(fd, head, sizeof(head));
	close(fd);
	return got > 0 && vulndb_zip_detect(head, (size_t)got);
}

int vulndb_import_osv(struct vulndb_builder *b, const char *path, uint64_t *imported_bytes,
		      struct strbuf *err)
{
	struct stat st;
	int ret;

	if (stat(path, &st) < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open '%s': %s", path,
				  strerror(errno));
	if (!S_ISDIR(st.st_mode) && is_zip(path))
		return vulndb_import_zip(b, path, imported_bytes, err);
	begin_source_named_after(b, path);
	if (S_ISDIR(st.st_mode))
		ret = import_dir(b, path, 0, imported_bytes, err);
	else
		ret = import_file(b, path, imported_bytes, err);
	return ret;
}

int vulndb_import_source(struct vulndb_builder *b, const char *path, uint64_t *imported_bytes,
			 struct strbuf *err)
{
	struct stat st;
	cJSON *root;
	char *buf;
	size_t size;
	int ret;

	if (stat(path, &st) < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open '%s': %s", path,
				  strerror(errno));
	if (S_ISDIR(st.st_mode))
		return vulndb_import_osv(b, path, imported_bytes, err);
	if (is_zip(path))
		return vulndb_import_zip(b, path, imported_bytes, err);

	/* The format is in the content: distributions publish their files under any name. */
	ret = read_json_file(path, &buf, &size, imported_bytes, err);
	if (ret < 0)
		return ret;
	root = cJSON_ParseWithLength(buf, size);
	free(buf);
	if (!root)
		return BAD("malformed json file '%s': not valid json", path);
	if (vulndb_secdb_detect(root)) {
		ret = vulndb_import_secdb_json(b, root, path, err);
	} else if (vulndb_debian_detect(root)) {
		ret = vulndb_import_debian_json(b, root, path, err);
	} else {
		begin_source_named_after(b, path);
		ret = vulndb_import_osv_json(b, root, path, err);
	}
	cJSON_Delete(root);
	return ret;
}
