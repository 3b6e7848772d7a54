/* npm packages from installed node_modules trees and, where nothing is installed, package-lock.json. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "catalog/internal.h"
#include "util/error.h"
#include "util/path.h"

#define NODE_MODULES "node_modules"
#define LOCKFILE "package-lock.json"
#define MANIFEST "package.json"

/* The part of path after its last "node_modules/" component, or NULL when it has none. */
static const char *after_last_node_modules(const char *path)
{
	const char *last = NULL, *p = path;
	size_t nm_len = strlen(NODE_MODULES);

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == nm_len && !memcmp(p, NODE_MODULES, n) && slash)
			last = slash + 1;
		if (!slash)
			break;
		p = slash + 1;
	}
	return last;
}

static int has_node_modules_component(const char *path)
{
	const char *p = path;
	size_t nm_len = strlen(NODE_MODULES);

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == nm_len && !memcmp(p, NODE_MODULES, n))
			return 1;
		if (!slash)
			break;
		p = slash + 1;
	}
	return 0;
}

/*
 * Length of the package folder name at the start of rest: "NAME" or
 * "@SCOPE/NAME", ending at a '/' or the end of the string; 0 when rest does
 * not start with one. Dot folders (.bin, .cache, .pnpm) hold no package.
 */
static size_t package_dir_len(const char *rest)
{
	const char *p = rest, *slash;

	if (*p == '.' || !*p)
		return 0;
	if (*p == '@') {
		slash = strchr(p, '/');
		if (!slash || slash == p + 1)
			return 0;
		p = slash + 1;
		if (*p == '.' || !*p || *p == '/')
			return 0;
	}
	slash = strchr(p, '/');
	return slash ? (size_t)(slash - rest) : strlen(rest);
}

/* node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json, at any depth. */
static int is_installed_manifest(const char *path)
{
	const char *rest = after_last_node_modules(path);
	size_t n;

	if (!rest || !(n = package_dir_len(rest)) || rest[n] != '/')
		return 0;
	return !strcmp(rest + n + 1, MANIFEST);
}

/* A lockfile inside node_modules belongs to an installed package's own sources: it installed nothing. */
static int is_lockfile(const char *path)
{
	return !strcmp(path_basename(path), LOCKFILE) && !has_node_modules_component(path);
}

static int npm_wants(const char *path)
{
	return is_installed_manifest(path) || is_lockfile(path);
}

static const char *lowercase(struct arena *a, const char *s, size_t n)
{
	char *copy = arena_strndup(a, s, n);

	for (char *p = copy; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return copy;
}

static void add_package(struct catalog *cat, struct package_list *out, const char *name, const char *version,
			const char *license, const char *install_path, size_t install_len)
{
	struct package *p = package_list_append(out);
	const char *slash, *ns = NULL, *short_name;

	p->type = "npm";
	p->name = catalog_text(cat, name, strlen(name));
	p->version = catalog_text(cat, version, strlen(version));
	p->license = license ? catalog_text(cat, license, strlen(license)) : NULL;
	p->install_path = catalog_text(cat, install_path, install_len);
	/* purl-spec puts an npm scope in the namespace and lowercases both parts. */
	short_name = p->name;
	slash = p->name[0] == '@' ? strchr(p->name, '/') : NULL;
	if (slash && slash[1]) {
		ns = lowercase(&cat->arena, p->name, (size_t)(slash - p->name));
		short_name = slash + 1;
	}
	p->purl = purl_build(&cat->arena, "npm", ns, lowercase(&cat->arena, short_name, strlen(short_name)),
			     p->version, NULL);
}

static const char *json_string(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) && item->valuestring && *item->valuestring ? item->valuestring : NULL;
}

/*
 * "license": "MIT", the older "license": {"type": "MIT"}, or the older
 * still "licenses": [{"type": ...}, ...], which means any of them.
 */
static const char *manifest_license(const cJSON *json, struct strbuf *sb)
{
	const cJSON *license = cJSON_GetObjectItemCaseSensitive(json, "license");
	const cJSON *licenses = cJSON_GetObjectItemCaseSensitive(json, "licenses");
	const cJSON *item;

	if (cJSON_IsString(license) && license->valuestring && *license->valuestring)
		return license->valuestring;
	if (cJSON_IsObject(license))
		return json_string(license, "type");
	if (!cJSON_IsArray(licenses))
		return NULL;
	strbuf_reset(sb);
	cJSON_ArrayForEach(item, licenses)
	{
		const char *type = cJSON_IsString(item) ? item->valuestring : json_string(item, "type");

		if (!type || !*type)
			continue;
		if (sb->len)
			strbuf_addstr(sb, " OR ");
		strbuf_addstr(sb, type);
	}
	return sb->len ? sb->buf : NULL;
}

static cJSON *parse_json(const struct fs_file *file, struct strbuf *err)
{
	cJSON *json = cJSON_ParseWithLength((const char *)file->data, file->size);

	if (!json) {
		error_code(err, ERR_BAD_INPUT, "invalid JSON");
		return NULL;
	}
	if (!cJSON_IsObject(json)) {
		cJSON_Delete(json);
		error_code(err, ERR_BAD_INPUT, "the JSON is not an object");
		return NULL;
	}
	return json;
}

static int manifest_parse(struct catalog *cat, const struct fs_file *file, struct package_list *out,
			  struct strbuf *err)
{
	struct strbuf license_buf = STRBUF_INIT;
	const char *name, *version;
	cJSON *json = parse_json(file, err);

	if (!json)
		return ERR_BAD_INPUT;
	name = json_string(json, "name");
	version = json_string(json, "version");
	/* Without both, the folder is not an installed package (a stub or a leftover). */
	if (name && version)
		add_package(cat, out, name, version, manifest_license(json, &license_buf), file->path,
			    path_dirlen(file->path));
	strbuf_release(&license_buf);
	cJSON_Delete(json);
	return 0;
}

/*
 * A v1 entry aliased with `npm install alias@npm:real@1.2.3` records the
 * real package as the version: "npm:real@1.2.3".
 */
static void split_alias(const char **name, const char **version, struct strbuf *alias_name)
{
	const char *spec = *version + 4, *at;

	if (strncmp(*version, "npm:", 4))
		return;
	at = strrchr(spec, '@');
	if (!at || at == spec || !at[1])
		return;
	strbuf_reset(alias_name);
	strbuf_add(alias_name, spec, (size_t)(at - spec));
	*name = alias_name->buf;
	*version = at + 1;
}

/* lockfileVersion 1: a tree of "dependencies", each nesting the ones installed below it. */
static void walk_v1(struct catalog *cat, struct package_list *out, const cJSON *deps, struct strbuf *install)
{
	struct strbuf alias_name = STRBUF_INIT;
	size_t keep = install->len;
	const cJSON *dep;

	cJSON_ArrayForEach(dep, deps)
	{
		const char *name = dep->string, *version;
		const cJSON *nested;

		if (!name || !*name || !cJSON_IsObject(dep))
			continue;
		install->len = keep;
		install->buf[keep] = '\0';
		if (keep && install->buf[keep - 1] != '/')
			strbuf_addch(install, '/');
		strbuf_addstr(install, NODE_MODULES "/");
		strbuf_addstr(install, name);
		version = json_string(dep, "version");
		if (version) {
			split_alias(&name, &version, &alias_name);
			add_package(cat, out, name, version, json_string(dep, "license"), install->buf,
				    install->len);
		}
		nested = cJSON_GetObjectItemCaseSensitive(dep, "dependencies");
		if (cJSON_IsObject(nested))
			walk_v1(cat, out, nested, install);
	}
	install->len = keep;
	install->buf[keep] = '\0';
	strbuf_release(&alias_name);
}

/* lockfileVersion 2 and 3: a flat "packages" map keyed by install folder. */
static void walk_packages(struct catalog *cat, struct package_list *out, const cJSON *packages,
			  struct strbuf *install)
{
	size_t keep = install->len;
	const cJSON *entry;

	cJSON_ArrayForEach(entry, packages)
	{
		const char *key = entry->string, *rest, *name, *version;

		/* "" is the project itself; keys outside node_modules are workspace sources. */
		if (!key || !*key || !cJSON_IsObject(entry) || !(rest = after_last_node_modules(key)))
			continue;
		/* A link points at a workspace folder, which is listed under its own key. */
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(entry, "link")))
			continue;
		version = json_string(entry, "version");
		if (!version)
			continue;
		name = json_string(entry, "name");
		if (!name)
			name = rest;
		if (!*name)
			continue;
		install->len = keep;
		install->buf[keep] = '\0';
		strbuf_addstr(install, key);
		add_package(cat, out, name, version, json_string(entry, "license"), install->buf,
			    install->len);
	}
	install->len = keep;
	install->buf[keep] = '\0';
}

static int lockfile_parse(struct catalog *cat, const struct fs_file *file, struct package_list *out,
			  struct strbuf *err)
{
	struct strbuf install = STRBUF_INIT;
	size_t dirlen = path_dirlen(file->path), first, end;
	const cJSON *packages, *deps;
	cJSON *json;

	strbuf_add(&install, file->path, dirlen);
	if (dirlen)
		strbuf_addch(&install, '/');
	/*
	 * What is installed is the truth: beside an installed node_modules tree
	 * the lockfile only repeats, or contradicts, what the tree says.
	 */
	strbuf_addstr(&install, NODE_MODULES);
	image_files_under(cat->img, install.buf, &first, &end);
	if (first < end) {
		strbuf_release(&install);
		return 0;
	}
	install.len = dirlen ? dirlen + 1 : 0;
	install.buf[install.len] = '\0';

	json = parse_json(file, err);
	if (!json) {
		strbuf_release(&install);
		return ERR_BAD_INPUT;
	}
	packages = cJSON_GetObjectItemCaseSensitive(json, "packages");
	deps = cJSON_GetObjectItemCaseSensitive(json, "dependencies");
	if (cJSON_IsObject(packages))
		walk_packages(cat, out, packages, &install);
	else if (cJSON_IsObject(deps))
		walk_v1(cat, out, deps, &install);
	cJSON_Delete(json);
	strbuf_release(&install);
	return 0;
}

static int npm_parse(struct catalog *cat, const struct fs_file *file, struct package_list *out,
		     struct strbuf *err)
{
	if (is_lockfile(file->path))
		return lockfile_parse(cat, file, out, err);
	return manifest_parse(cat, file, out, err);
}

const struct cataloger cataloger_npm = {
	.name = "npm",
	.wants = npm_wants,
	.parse = npm_parse,
};
