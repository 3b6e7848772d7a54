/* From manifest.json or index.json to the config and the ordered layers, every blob checked by digest. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/path.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#if defined(__x86_64__)
#define HOST_ARCH "amd64"
#elif defined(__aarch64__)
#define HOST_ARCH "arm64"
#elif defined(__i386__)
#define HOST_ARCH "386"
#elif defined(__arm__)
#define HOST_ARCH "arm"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_ARCH "ppc64le"
#elif defined(__s390x__)
#define HOST_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define HOST_ARCH "riscv64"
#else
#define HOST_ARCH "amd64"
#endif

#define REF_NAME "org.opencontainers.image.ref.name"
#define CONTAINERD_NAME "io.containerd.image.name"

static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Text from the image, made safe for reports and kept in the image's arena. */
static const char *arena_text(struct image *img, const char *s)
{
	char *clean;
	const char *kept;

	if (!s)
		return NULL;
	if (utf8_is_valid(s, strlen(s)))
		return arena_strdup(&img->arena, s);
	clean = utf8_sanitize(s, strlen(s));
	kept = arena_strdup(&img->arena, clean);
	free(clean);
	return kept;
}

/*
 * Like arena_text, but at most IMAGE_MAX_CONFIG_STRING bytes, cut at a
 * character boundary and marked with "...", for the optional config fields
 * that no cap but the metadata one would otherwise bound.
 */
static const char *arena_text_capped(struct image *img, const char *s)
{
	size_t len, cut;
	char *kept, *clean;
	const char *out;

	if (!s)
		return NULL;
	len = strlen(s);
	if (len <= IMAGE_MAX_CONFIG_STRING)
		return arena_text(img, s);
	cut = IMAGE_MAX_CONFIG_STRING;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	kept = xmalloc(cut + 4);
	memcpy(kept, s, cut);
	memcpy(kept + cut, "...", 4);
	if (utf8_is_valid(kept, cut + 3)) {
		out = arena_strdup(&img->arena, kept);
	} else {
		clean = utf8_sanitize(kept, cut + 3);
		out = arena_strdup(&img->arena, clean);
		free(clean);
	}
	free(kept);
	return out;
}

static int parse_json(struct ingest *ing, const char *what, const unsigned char *data, size_t len,
		      cJSON **out, struct strbuf *err)
{
	*out = cJSON_ParseWithLength((const char *)data, len);
	if (!*out)
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s' in '%s': invalid JSON", what,
				  ing->target);
	return 0;
}

static int blob_name(struct ingest *ing, const char *what, const char *digest, struct strbuf *name,
		     struct strbuf *err)
{
	if (!digest)
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s': a %s descriptor has no digest",
				  ing->target, what);
	if (!digest_is_valid(digest)) {
		if (strncmp(digest, "sha256:", 7) && strchr(digest, ':'))
			return error_code(err, ERR_BAD_INPUT, "cannot read '%s': unsupported digest '%s'",
					  ing->target, digest);
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s': invalid digest '%s'", ing->target,
				  digest);
	}
	strbuf_reset(name);
	strbuf_addf(name, "blobs/sha256/%s", digest + 7);
	return 0;
}

/* "sha256:<hex>" when name is blobs/sha256/<hex> or <hex>.json, the names that promise a digest. */
static int digest_from_name(const char *name, char out[DIGEST_STR_LEN])
{
	const char *hex = NULL;
	size_t len = 0;

	if (!strncmp(name, "blobs/sha256/", 13)) {
		hex = name + 13;
		len = strlen(hex);
	} else if (!strchr(name, '/') && strlen(name) == SHA256_HEX_LEN + 5 &&
		   !strcmp(name + SHA256_HEX_LEN, ".json")) {
		hex = name;
		len = SHA256_HEX_LEN;
	}
	if (!hex || len != SHA256_HEX_LEN)
		return 0;
	memcpy(out, "sha256:", 7);
	memcpy(out + 7, hex, SHA256_HEX_LEN);
	out[DIGEST_STR_LEN - 1] = '\0';
	return digest_is_valid(out);
}

static int missing_meta(struct ingest *ing, const char *what, const char *name, struct strbuf *err)
{
	const struct skipped_member *sk = ingest_find_skipped(ing, name);

	if (sk && sk->json_too_big)
		return error_code(err, ERR_LIMIT,
				  "%s '%s' in '%s' exceeds the metadata size limit of %llu bytes "
				  "(or all JSON together exceeds %llu)",
				  what, name, ing->target, (unsigned long long)ing->opt->max_metadata_bytes,
				  (unsigned long long)(4 * ing->opt->max_metadata_bytes));
	return error_code(err, ERR_BAD_INPUT, "cannot read '%s': %s '%s' is missing", ing->target, what,
			  name);
}

/*
 * A blob named by a descriptor, checked against its digest and size. A
 * missing blob is an error, or ERR_NOT_FOUND with no message if missing_ok.
 */
static int get_blob_maybe(struct ingest *ing, const char *what, const char *digest, int64_t size,
			  const unsigned char **data, size_t *len, int missing_ok, struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT;
	char actual[DIGEST_STR_LEN];
	int rc = blob_name(ing, what, digest, &name, err);

	if (!rc) {
		rc = ingest_meta(ing, name.buf, data, len, err);
		if (rc == ERR_NOT_FOUND && !missing_ok)
			rc = missing_meta(ing, what, name.buf, err);
	}
	if (!rc) {
		sha256_digest_str(*data, *len, actual);
		if (strcmp(actual, digest))
			rc = error_code(err, ERR_BAD_INPUT,
					"digest mismatch in %s '%s' of '%s': content is %s", what, digest,
					ing->target, actual);
		else if (size >= 0 && (uint64_t)size != *len)
			rc = error_code(
			    err, ERR_BAD_INPUT,
			    "size mismatch in %s '%s' of '%s': %zu bytes where the descriptor says %lld",
			    what, digest, ing->target, *len, (long long)size);
	}
	strbuf_release(&name);
	return rc;
}

static int get_blob(struct ingest *ing, const char *what, const char *digest, int64_t size,
		    const unsigned char **data, size_t *len, struct strbuf *err)
{
	return get_blob_maybe(ing, what, digest, size, data, len, 0, err);
}

static int64_t descriptor_size(const cJSON *desc)
{
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(desc, "size");

	if (!cJSON_IsNumber(size) || size->valuedouble < 0 || size->valuedouble > 9.0e15)
		return -1;
	return (int64_t)size->valuedouble;
}

static int is_index(const char *media_type, const cJSON *doc)
{
	if (media_type && (strstr(media_type, "image.index") || strstr(media_type, "manifest.list")))
		return 1;
	return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "manifests"));
}

/* ---- the config's optional run-time settings: lenient, since builders disagree on them ---- */

/* Entries of a list-like field beyond the cap are dropped, with one warning per field. */
static size_t config_count(struct ingest *ing, const char *name, const char *field, const cJSON *item)
{
	size_t n = (size_t)cJSON_GetArraySize(item);

	if (n <= IMAGE_MAX_CONFIG_ENTRIES)
		return n;
	warnings_add(&ing->img->warnings, &ing->img->arena,
		     "config '%s' of '%s' has %zu %s entries; only the first %d are kept", name, ing->target,
		     n, field, IMAGE_MAX_CONFIG_ENTRIES);
	return IMAGE_MAX_CONFIG_ENTRIES;
}

static const char **config_strings(struct ingest *ing, const char *name, const char *field, const cJSON *obj,
				   size_t *nr)
{
	struct image *img = ing->img;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, field), *item;
	const char **out;
	size_t max;

	*nr = 0;
	if (!cJSON_IsArray(list))
		return NULL;
	max = config_count(ing, name, field, list);
	out = arena_alloc(&img->arena, (max + 1) * sizeof(*out));
	cJSON_ArrayForEach(item, list)
	{
		if (*nr == max)
			break;
		if (cJSON_IsString(item))
			out[(*nr)++] = arena_text_capped(img, item->valuestring);
	}
	return out;
}

static void config_env(struct ingest *ing, const char *name, const cJSON *obj)
{
	struct image_config *c = &ing->img->config;
	const char **raw;
	size_t nr, i;

	raw = config_strings(ing, name, "Env", obj, &nr);
	c->env = arena_alloc(&ing->img->arena, (nr + 1) * sizeof(*c->env));
	for (i = 0; i < nr; i++) {
		const char *eq = strchr(raw[i], '=');

		c->env[i].key = eq ? arena_strndup(&ing->img->arena, raw[i], (size_t)(eq - raw[i])) : raw[i];
		c->env[i].value = eq ? eq + 1 : "";
	}
	c->nr_env = nr;
}

static void config_labels(struct ingest *ing, const char *name, const cJSON *obj)
{
	struct image *img = ing->img;
	struct image_config *c = &img->config;
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(obj, "Labels"), *item;
	size_t max;

	if (!cJSON_IsObject(labels))
		return;
	max = config_count(ing, name, "Labels", labels);
	c->labels = arena_alloc(&img->arena, (max + 1) * sizeof(*c->labels));
	cJSON_ArrayForEach(item, labels)
	{
		if (c->nr_labels == max)
			break;
		if (!cJSON_IsString(item) || !item->string)
			continue;
		c->labels[c->nr_labels].key = arena_text_capped(img, item->string);
		c->labels[c->nr_labels].value = arena_text_capped(img, item->valuestring);
		c->nr_labels++;
	}
}

static void config_ports(struct ingest *ing, const char *name, const cJSON *obj)
{
	struct image *img = ing->img;
	struct image_config *c = &img->config;
	const cJSON *ports = cJSON_GetObjectItemCaseSensitive(obj, "ExposedPorts"), *item;
	size_t max;

	if (!cJSON_IsObject(ports))
		return;
	max = config_count(ing, name, "ExposedPorts", ports);
	c->exposed_ports = arena_alloc(&img->arena, (max + 1) * sizeof(*c->exposed_ports));
	cJSON_ArrayForEach(item, ports)
	{
		if (c->nr_exposed_ports == max)
			break;
		if (item->string)
			c->exposed_ports[c->nr_exposed_ports++] = arena_text_capped(img, item->string);
	}
}

/* Test ["NONE"] disables a base image's health check; an empty Test, or none, means the image has none. */
static enum image_healthcheck config_healthcheck(const cJSON *obj)
{
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(obj, "Healthcheck");
	const cJSON *test = cJSON_GetObjectItemCaseSensitive(hc, "Test");
	const cJSON *first;

	if (!cJSON_IsObject(hc) || !cJSON_IsArray(test) || !cJSON_GetArraySize(test))
		return IMAGE_HEALTHCHECK_ABSENT;
	first = cJSON_GetArrayItem(test, 0);
	if (cJSON_IsString(first) && !strcmp(first->valuestring, "NONE"))
		return IMAGE_HEALTHCHECK_DISABLED;
	return IMAGE_HEALTHCHECK_DEFINED;
}

static void config_settings(struct ingest *ing, const char *name, const cJSON *cfg)
{
	struct image *img = ing->img;
	struct image_config *c = &img->config;
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(cfg, "config");

	/* Docker's "container_config" describes the build container, not the image, and is ignored. */
	if (!cJSON_IsObject(obj))
		return;
	c->present = 1;
	c->user = arena_text_capped(img, json_str(obj, "User"));
	c->working_dir = arena_text_capped(img, json_str(obj, "WorkingDir"));
	config_env(ing, name, obj);
	config_labels(ing, name, obj);
	config_ports(ing, name, obj);
	c->entrypoint = config_strings(ing, name, "Entrypoint", obj, &c->nr_entrypoint);
	c->cmd = config_strings(ing, name, "Cmd", obj, &c->nr_cmd);
	c->healthcheck = config_healthcheck(obj);
}

static int config_parse(struct ingest *ing, struct plan *plan, const char *name, const unsigned char *data,
			size_t len, struct strbuf *err)
{
	struct image *img = ing->img;
	const cJSON *rootfs, *diff_ids, *history, *item;
	cJSON *cfg;
	size_t n = 0;
	int rc = parse_json(ing, name, data, len, &cfg, err);

	if (rc)
		return rc;
	if (!cJSON_IsObject(cfg)) {
		rc = error_code(err, ERR_BAD_INPUT, "cannot read config '%s' in '%s': not a JSON object",
				name, ing->target);
		goto out;
	}
	img->os = arena_text(img, json_str(cfg, "os"));
	img->architecture = arena_text(img, json_str(cfg, "architecture"));
	rootfs = cJSON_GetObjectItemCaseSensitive(cfg, "rootfs");
	diff_ids = cJSON_GetObjectItemCaseSensitive(rootfs, "diff_ids");
	if (!cJSON_IsArray(diff_ids)) {
		rc = error_code(err, ERR_BAD_INPUT,
				"cannot read config '%s' in '%s': it has no rootfs.diff_ids", name,
				ing->target);
		goto out;
	}
	plan->nr_diff_ids = (size_t)cJSON_GetArraySize(diff_ids);
	if (plan->nr_diff_ids > IMAGE_MAX_LAYERS) {
		rc = error_code(err, ERR_LIMIT, "config '%s' in '%s' lists more than %d layers", name,
				ing->target, IMAGE_MAX_LAYERS);
		goto out;
	}
	plan->diff_ids = arena_alloc(&img->arena, (plan->nr_diff_ids + 1) * sizeof(*plan->diff_ids));
	cJSON_ArrayForEach(item, diff_ids)
	{
		if (!cJSON_IsString(item) || !digest_is_valid(item->valuestring)) {
			rc =
			    error_code(err, ERR_BAD_INPUT, "cannot read config '%s' in '%s': invalid diff_id",
				       name, ing->target);
			goto out;
		}
		plan->diff_ids[n++] = arena_strdup(&img->arena, item->valuestring);
	}

	history = cJSON_GetObjectItemCaseSensitive(cfg, "history");
	if (cJSON_IsArray(history)) {
		size_t max = (size_t)cJSON_GetArraySize(history);

		size_t kept = max;

		if (kept > IMAGE_MAX_HISTORY) {
			kept = IMAGE_MAX_HISTORY;
			warnings_add(
			    &img->warnings, &img->arena,
			    "config '%s' of '%s' has %zu history entries; only the first %d are kept", name,
			    ing->target, max, IMAGE_MAX_HISTORY);
		}
		plan->created_by = arena_alloc(&img->arena, (max + 1) * sizeof(*plan->created_by));
		img->history = arena_alloc(&img->arena, (kept + 1) * sizeof(*img->history));
		cJSON_ArrayForEach(item, history)
		{
			const char *created_by = arena_text(img, json_str(item, "created_by"));
			int empty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "empty_layer"));

			if (img->nr_history < kept) {
				struct image_history *h = &img->history[img->nr_history++];

				h->created_by = created_by;
				h->empty_layer = empty;
				h->layer = !empty && plan->nr_created_by < plan->nr_diff_ids
					       ? (int)plan->nr_created_by
					       : -1;
			}
			/* Only history entries that made a layer line up with the layers. */
			if (empty)
				continue;
			plan->created_by[plan->nr_created_by++] = created_by;
		}
	}
	config_settings(ing, name, cfg);
out:
	cJSON_Delete(cfg);
	return rc;
}

/* ---- OCI indexes ---- */

static int has_platform(const cJSON *desc)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(desc, "platform"));
}

static int platform_is(const cJSON *desc, const char *os, const char *arch)
{
	const cJSON *platform = cJSON_GetObjectItemCaseSensitive(desc, "platform");
	const char *o = json_str(platform, "os"), *a = json_str(platform, "architecture");

	return o && a && !strcmp(o, os) && !strcmp(a, arch);
}

static const char *annotation(const cJSON *desc, const char *key)
{
	return json_str(cJSON_GetObjectItemCaseSensitive(desc, "annotations"), key);
}

static int tag_matches(const cJSON *desc, const char *tag)
{
	const char *ref = annotation(desc, REF_NAME), *full = annotation(desc, CONTAINERD_NAME);

	return (ref && !strcmp(ref, tag)) || (full && !strcmp(full, tag));
}

/*
 * Pick one descriptor of an index: the one tagged tag; else the only one;
 * else the one for linux on this machine's architecture; else the only one
 * that is not an attestation ("unknown/unknown"); else the first, with a warning.
 */
static int choose_descriptor(struct ingest *ing, const cJSON *index, const char *tag, const char *what,
			     const cJSON **out, struct strbuf *err)
{
	const cJSON *manifests = cJSON_GetObjectItemCaseSensitive(index, "manifests");
	const cJSON *d, *only = NULL, *first = NULL;
	size_t candidates = 0, real = 0, with_platform = 0;

	if (!cJSON_IsArray(manifests) || !cJSON_GetArraySize(manifests))
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s': %s lists no manifests", ing->target,
				  what);
	cJSON_ArrayForEach(d, manifests)
	{
		if (!cJSON_IsObject(d) || (tag && !tag_matches(d, tag)))
			continue;
		if (!first)
			first = d;
		candidates++;
		if (has_platform(d))
			with_platform++;
		if (!platform_is(d, "unknown", "unknown")) {
			real++;
			only = d;
		}
	}
	if (!candidates) {
		if (tag)
			return error_code(err, ERR_NOT_FOUND, "no image tagged '%s' in '%s'", tag,
					  ing->target);
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s': %s lists no manifests", ing->target,
				  what);
	}
	if (candidates == 1) {
		*out = first;
		return 0;
	}
	cJSON_ArrayForEach(d, manifests)
	{
		if (cJSON_IsObject(d) && (!tag || tag_matches(d, tag)) &&
		    platform_is(d, "linux", HOST_ARCH)) {
			*out = d;
			return 0;
		}
	}
	if (real == 1) {
		*out = only;
		return 0;
	}
	if (with_platform == candidates)
		return error_code(err, ERR_NOT_FOUND, "no image for linux/%s in '%s'", HOST_ARCH,
				  ing->target);
	warnings_add(&ing->img->warnings, &ing->img->arena, "'%s' holds %zu images; reading the first",
		     ing->target, candidates);
	*out = first;
	return 0;
}

/* Search an index tree for the manifest whose config is config_digest; *found stays NULL if none is. */
static int find_manifest_for_config(struct ingest *ing, const cJSON *index, const char *config_digest,
				    int depth, cJSON **found, const char **found_digest, struct strbuf *err)
{
	const cJSON *d;

	if (depth > IMAGE_MAX_INDEX_DEPTH)
		return 0;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(index, "manifests"))
	{
		const char *digest = json_str(d, "digest");
		const unsigned char *data;
		size_t len;
		cJSON *doc;
		int rc;

		if (!digest || !digest_is_valid(digest))
			continue;
		rc = get_blob_maybe(ing, "manifest", digest, descriptor_size(d), &data, &len, 1, err);
		if (rc == ERR_NOT_FOUND)
			continue; /* a platform that was not saved */
		if (rc)
			return rc;
		doc = cJSON_ParseWithLength((const char *)data, len);
		if (!doc)
			continue;
		if (is_index(json_str(d, "mediaType"), doc)) {
			rc = find_manifest_for_config(ing, doc, config_digest, depth + 1, found, found_digest,
						      err);
			cJSON_Delete(doc);
			if (rc || *found)
				return rc;
			continue;
		}
		if (json_str(cJSON_GetObjectItemCaseSensitive(doc, "config"), "digest") &&
		    !strcmp(json_str(cJSON_GetObjectItemCaseSensitive(doc, "config"), "digest"),
			    config_digest)) {
			*found = doc;
			*found_digest = digest;
			return 0;
		}
		cJSON_Delete(doc);
	}
	return 0;
}

static int set_layers_from_manifest(struct ingest *ing, struct plan *plan, const cJSON *manifest,
				    struct strbuf *err)
{
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(manifest, "layers"), *d;
	struct strbuf name = STRBUF_INIT;
	size_t i = 0;
	int rc = 0;

	if (!cJSON_IsArray(layers))
		return error_code(err, ERR_BAD_INPUT, "cannot read '%s': the image manifest has no layers",
				  ing->target);
	plan->nr_layers = (size_t)cJSON_GetArraySize(layers);
	if (plan->nr_layers > IMAGE_MAX_LAYERS)
		return error_code(err, ERR_LIMIT, "the manifest of '%s' lists more than %d layers",
				  ing->target, IMAGE_MAX_LAYERS);
	plan->layers = xcalloc(plan->nr_layers + 1, sizeof(*plan->layers));
	cJSON_ArrayForEach(d, layers)
	{
		const char *digest = json_str(d, "digest");

		rc = blob_name(ing, "layer", digest, &name, err);
		if (rc)
			break;
		plan->layers[i].name = arena_strdup(&ing->img->arena, name.buf);
		plan->layers[i].digest = arena_strdup(&ing->img->arena, digest);
		plan->layers[i].media_type = arena_text(ing->img, json_str(d, "mediaType"));
		plan->layers[i].size = descriptor_size(d);
		i++;
	}
	strbuf_release(&name);
	return rc;
}

static void set_repo_tag(struct image *img, const char *tag)
{
	if (!tag)
		return;
	img->repo_tags = arena_alloc(&img->arena, sizeof(*img->repo_tags));
	img->repo_tags[0] = arena_text(img, tag);
	img->nr_repo_tags = 1;
}

static int resolve_oci(struct ingest *ing, const char *tag, struct plan *plan, struct strbuf *err)
{
	struct image *img = ing->img;
	const unsigned char *data;
	size_t len;
	cJSON *index = NULL, *doc = NULL;
	const cJSON *desc, *config;
	const char *digest, *what = "index.json";
	int depth, rc;

	rc = ingest_meta(ing, "index.json", &data, &len, err);
	if (rc == ERR_NOT_FOUND)
		return missing_meta(ing, "index", "index.json", err);
	if (rc || (rc = parse_json(ing, "index.json", data, len, &index, err)))
		return rc;
	rc = choose_descriptor(ing, index, tag, what, &desc, err);
	if (rc)
		goto out;
	set_repo_tag(img, tag ? tag : annotation(desc, REF_NAME));

	for (depth = 0;; depth++) {
		const char *media_type = json_str(desc, "mediaType");

		digest = json_str(desc, "digest");
		rc = get_blob(ing, "manifest", digest, descriptor_size(desc), &data, &len, err);
		if (rc)
			goto out;
		digest = arena_strdup(&img->arena, digest);
		cJSON_Delete(doc);
		rc = parse_json(ing, digest, data, len, &doc, err);
		if (rc)
			goto out;
		if (!is_index(media_type, doc))
			break;
		if (depth >= IMAGE_MAX_INDEX_DEPTH) {
			rc = error_code(err, ERR_BAD_INPUT, "cannot read '%s': image indexes nest too deeply",
					ing->target);
			goto out;
		}
		what = digest;
		rc = choose_descriptor(ing, doc, NULL, what, &desc, err);
		if (rc)
			goto out;
		/* desc points into doc, which the next round replaces: keep doc alive by swapping. */
		cJSON_Delete(index);
		index = doc;
		doc = NULL;
	}
	img->digest = digest;

	config = cJSON_GetObjectItemCaseSensitive(doc, "config");
	rc = get_blob(ing, "config", json_str(config, "digest"), descriptor_size(config), &data, &len, err);
	if (rc)
		goto out;
	img->config_digest = arena_strdup(&img->arena, json_str(config, "digest"));
	plan->config_name = img->config_digest;
	rc = config_parse(ing, plan, img->config_digest, data, len, err);
	if (!rc)
		rc = set_layers_from_manifest(ing, plan, doc, err);
out:
	cJSON_Delete(doc);
	cJSON_Delete(index);
	return rc;
}

static int resolve_docker(struct ingest *ing, const unsigned char *data, size_t len, struct plan *plan,
			  struct strbuf *err)
{
	struct image *img = ing->img;
	struct strbuf name = STRBUF_INIT;
	cJSON *list, *index = NULL, *oci_manifest = NULL;
	const cJSON *entry, *layers, *tags, *item;
	const unsigned char *cfg;
	size_t cfg_len, i = 0;
	const char *config_name, *oci_digest = NULL;
	char expected[DIGEST_STR_LEN], actual[DIGEST_STR_LEN];
	int rc = parse_json(ing, "manifest.json", data, len, &list, err);

	if (rc)
		return rc;
	entry = cJSON_GetArrayItem(list, 0);
	if (!cJSON_IsArray(list) || !cJSON_IsObject(entry)) {
		rc = error_code(err, ERR_BAD_INPUT, "cannot read 'manifest.json' in '%s': it lists no image",
				ing->target);
		goto out;
	}
	if (cJSON_GetArraySize(list) > 1)
		warnings_add(&img->warnings, &img->arena, "'%s' holds %d images; reading the first",
			     ing->target, cJSON_GetArraySize(list));

	config_name = json_str(entry, "Config");
	layers = cJSON_GetObjectItemCaseSensitive(entry, "Layers");
	if (!config_name || !cJSON_IsArray(layers)) {
		rc = error_code(err, ERR_BAD_INPUT,
				"cannot read 'manifest.json' in '%s': the image has no Config or no Layers",
				ing->target);
		goto out;
	}
	rc = path_normalize(config_name, 1, &name, err);
	if (rc) {
		error_prefix(err, "cannot read 'manifest.json' in '%s': ", ing->target);
		goto out;
	}
	plan->config_name = arena_strdup(&img->arena, name.buf);

	tags = cJSON_GetObjectItemCaseSensitive(entry, "RepoTags");
	if (cJSON_IsArray(tags) && cJSON_GetArraySize(tags) > 0) {
		img->repo_tags =
		    arena_alloc(&img->arena, (size_t)cJSON_GetArraySize(tags) * sizeof(*img->repo_tags));
		cJSON_ArrayForEach(item, tags) if (cJSON_IsString(item)) img->repo_tags[img->nr_repo_tags++] =
		    arena_text(img, item->valuestring);
	}

	rc = ingest_meta(ing, plan->config_name, &cfg, &cfg_len, err);
	if (rc == ERR_NOT_FOUND)
		rc = missing_meta(ing, "config", plan->config_name, err);
	if (rc)
		goto out;
	sha256_digest_str(cfg, cfg_len, actual);
	if (digest_from_name(plan->config_name, expected) && strcmp(expected, actual)) {
		rc = error_code(err, ERR_BAD_INPUT, "digest mismatch in config '%s' of '%s': content is %s",
				plan->config_name, ing->target, actual);
		goto out;
	}
	img->config_digest = arena_strdup(&img->arena, actual);
	rc = config_parse(ing, plan, plan->config_name, cfg, cfg_len, err);
	if (rc)
		goto out;

	plan->nr_layers = (size_t)cJSON_GetArraySize(layers);
	if (plan->nr_layers > IMAGE_MAX_LAYERS) {
		rc = error_code(err, ERR_LIMIT, "the manifest of '%s' lists more than %d layers", ing->target,
				IMAGE_MAX_LAYERS);
		goto out;
	}
	plan->layers = xcalloc(plan->nr_layers + 1, sizeof(*plan->layers));
	cJSON_ArrayForEach(item, layers)
	{
		if (!cJSON_IsString(item)) {
			rc = error_code(err, ERR_BAD_INPUT,
					"cannot read 'manifest.json' in '%s': a layer is not a name",
					ing->target);
			goto out;
		}
		rc = path_normalize(item->valuestring, 1, &name, err);
		if (rc) {
			error_prefix(err, "cannot read 'manifest.json' in '%s': ", ing->target);
			goto out;
		}
		plan->layers[i].name = arena_strdup(&img->arena, name.buf);
		plan->layers[i].size = -1;
		if (digest_from_name(name.buf, expected))
			plan->layers[i].digest = arena_strdup(&img->arena, expected);
		i++;
	}

	/* Docker 25 and later also write an OCI index: it names the manifest, whose digest is the image's. */
	if (!ingest_meta(ing, "index.json", &data, &len, err) &&
	    (index = cJSON_ParseWithLength((const char *)data, len))) {
		rc = find_manifest_for_config(ing, index, img->config_digest, 0, &oci_manifest, &oci_digest,
					      err);
		if (rc)
			goto out;
		if (oci_manifest) {
			const cJSON *descs = cJSON_GetObjectItemCaseSensitive(oci_manifest, "layers");

			img->digest = arena_strdup(&img->arena, oci_digest);
			for (i = 0; i < plan->nr_layers; i++) {
				const cJSON *d = cJSON_GetArrayItem(descs, (int)i);
				const char *digest = json_str(d, "digest");

				if (!digest ||
				    (plan->layers[i].digest && strcmp(digest, plan->layers[i].digest)))
					continue;
				plan->layers[i].media_type = arena_text(img, json_str(d, "mediaType"));
				plan->layers[i].size = descriptor_size(d);
				if (!plan->layers[i].digest && digest_is_valid(digest))
					plan->layers[i].digest = arena_strdup(&img->arena, digest);
			}
		}
	}
	rc = 0;
out:
	cJSON_Delete(oci_manifest);
	cJSON_Delete(index);
	cJSON_Delete(list);
	strbuf_release(&name);
	return rc;
}

int plan_resolve(struct ingest *ing, const char *tag, struct plan *plan, struct strbuf *err)
{
	const unsigned char *data;
	size_t len;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (ing->layout_dirfd >= 0) {
		plan->kind = IMAGE_OCI_LAYOUT;
		return resolve_oci(ing, tag, plan, err);
	}
	rc = ingest_meta(ing, "manifest.json", &data, &len, err);
	if (!rc) {
		plan->kind = IMAGE_DOCKER_ARCHIVE;
		return resolve_docker(ing, data, len, plan, err);
	}
	if (rc != ERR_NOT_FOUND)
		return rc;
	rc = ingest_meta(ing, "index.json", &data, &len, err);
	if (rc == ERR_NOT_FOUND) {
		if (ingest_find_skipped(ing, "manifest.json") || ingest_find_skipped(ing, "index.json"))
			return missing_meta(
			    ing, "manifest",
			    ingest_find_skipped(ing, "manifest.json") ? "manifest.json" : "index.json", err);
		return error_code(err, ERR_BAD_INPUT,
				  "'%s' is not a container image (no manifest.json or index.json)",
				  ing->target);
	}
	if (rc)
		return rc;
	plan->kind = IMAGE_OCI_ARCHIVE;
	return resolve_oci(ing, tag, plan, err);
}

static int missing_layer(struct ingest *ing, const char *name, struct strbuf *err)
{
	const unsigned char *data;
	size_t len;

	if (ingest_find_skipped(ing, name) || !ingest_meta(ing, name, &data, &len, NULL))
		return error_code(err, ERR_BAD_INPUT,
				  "cannot read layer '%s' in '%s': not a tar, gzip or zstd stream", name,
				  ing->target);
	return error_code(err, ERR_BAD_INPUT, "cannot read '%s': layer '%s' named in the manifest is missing",
			  ing->target, name);
}

int plan_bind(struct ingest *ing, const struct plan *plan, struct layer_record ***out, struct strbuf *err)
{
	struct image *img = ing->img;
	struct layer_record **recs;
	struct pathmap warned = {NULL, 0, 0};
	size_t i;
	int rc = 0;

	*out = NULL;
	if (plan->nr_diff_ids != plan->nr_layers)
		return error_code(
		    err, ERR_BAD_INPUT,
		    "cannot read '%s': the manifest lists %zu layers but config '%s' has %zu diff_ids",
		    ing->target, plan->nr_layers, plan->config_name, plan->nr_diff_ids);
	recs = xcalloc(plan->nr_layers + 1, sizeof(*recs));
	img->layers = arena_alloc(&img->arena, (plan->nr_layers + 1) * sizeof(*img->layers));
	for (i = 0; i < plan->nr_layers; i++) {
		const struct plan_layer *pl = &plan->layers[i];
		struct layer_record *rec = ingest_find_layer(ing, pl->name);
		struct image_layer *layer = &img->layers[i];
		const char *label = pl->digest ? pl->digest : pl->name;
		char from_name[DIGEST_STR_LEN];

		if (!rec) {
			rc = missing_layer(ing, pl->name, err);
			break;
		}
		if (rec->err_code) {
			rc = error_code(err, rec->err_code, "%s", rec->err_msg);
			break;
		}
		if ((pl->digest && strcmp(rec->blob_digest, pl->digest)) ||
		    (digest_from_name(rec->name, from_name) && strcmp(rec->blob_digest, from_name))) {
			rc = error_code(err, ERR_BAD_INPUT,
					"digest mismatch in layer '%s' of '%s': content is %s",
					pl->digest ? pl->digest : from_name, ing->target, rec->blob_digest);
			break;
		}
		if (pl->size >= 0 && (uint64_t)pl->size != rec->stored_size) {
			rc = error_code(
			    err, ERR_BAD_INPUT,
			    "size mismatch in layer '%s' of '%s': %llu bytes where the manifest says %lld",
			    label, ing->target, (unsigned long long)rec->stored_size, (long long)pl->size);
			break;
		}
		if (strcmp(rec->diff_id, plan->diff_ids[i])) {
			rc = error_code(err, ERR_BAD_INPUT,
					"digest mismatch in layer '%s' of '%s': uncompressed content is %s "
					"but the config says %s",
					label, ing->target, rec->diff_id, plan->diff_ids[i]);
			break;
		}
		layer->digest = arena_strdup(&img->arena, rec->blob_digest);
		layer->diff_id = arena_strdup(&img->arena, rec->diff_id);
		layer->media_type = pl->media_type;
		layer->created_by = i < plan->nr_created_by ? plan->created_by[i] : NULL;
		layer->size = rec->stored_size;
		layer->uncompressed_size = rec->uncompressed_size;
		recs[i] = rec;
		if (!pathmap_get(&warned, rec->name, strlen(rec->name))) {
			size_t w;

			pathmap_put(&warned, rec->name, strlen(rec->name), rec);
			for (w = 0; w < rec->warnings.nr; w++)
				warnings_add(&img->warnings, &img->arena, "%s", rec->warnings.msgs[w]);
		}
	}
	pathmap_release(&warned);
	if (rc) {
		free(recs);
		return rc;
	}
	img->nr_layers = plan->nr_layers;
	img->kind = plan->kind;
	*out = recs;
	return 0;
}

void plan_release(struct plan *plan)
{
	free(plan->layers);
	memset(plan, 0, sizeof(*plan));
}
