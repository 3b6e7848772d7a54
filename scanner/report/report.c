/* The writer table, and what the writers share: names, refs, warnings and cJSON output. */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/writer.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define REPORT_WRITER(id) &report_writer_##id,
const struct report_writer *const report_writers[] = {
#include "report/writers.def"
	NULL,
};
#undef REPORT_WRITER

const struct report_writer *report_writer_find(const char *name)
{
	for (size_t i = 0; report_writers[i]; i++)
		if (!strcmp(report_writers[i]->name, name))
			return report_writers[i];
	return NULL;
}

void report_format_time(time_t t, char buf[32])
{
	struct tm tm;

	/* RFC 3339 has four-digit years; clamp rather than emit a date validators reject. */
	if (t < 0 || !gmtime_r(&t, &tm)) {
		time_t epoch = 0;
		gmtime_r(&epoch, &tm);
	}
	if (tm.tm_year + 1900 > 9999) {
		snprintf(buf, 32, "9999-12-31T23:59:59Z");
		return;
	}
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *report_image_name(const struct image *img)
{
	if (img->nr_repo_tags && img->repo_tags[0] && *img->repo_tags[0])
		return img->repo_tags[0];
	if (img->source && *img->source)
		return img->source;
	return "image";
}

const struct image_layer *report_layer(const struct image *img, int index)
{
	if (index < 0 || (size_t)index >= img->nr_layers)
		return NULL;
	return &img->layers[index];
}

const struct image_layer *report_package_layer(const struct image *img, const struct package *pkg)
{
	return report_layer(img, pkg->layer);
}

const struct package *report_finding_package(const struct report_input *in, const struct finding *f)
{
	static const struct package unknown = { .name = "unknown", .layer = -1 };

	/* A finding always names a catalog package; guard anyway, as every writer indexes with it. */
	if (f->package >= in->cat->packages.nr)
		return &unknown;
	return &in->cat->packages.items[f->package];
}

uint64_t report_dockerfile_line(const struct report_input *in, int layer)
{
	if (!in->dockerfile || !in->dockerfile_lines || layer < 0 || (size_t)layer >= in->img->nr_layers)
		return 0;
	return in->dockerfile_lines[layer];
}

const enum severity report_severity_order[SEVERITY_COUNT] = {
	SEVERITY_CRITICAL, SEVERITY_HIGH, SEVERITY_MEDIUM, SEVERITY_LOW, SEVERITY_UNKNOWN,
};

const char *report_cvss_version(int version)
{
	switch (version) {
	case 30: return "3.0";
	case 31: return "3.1";
	case 40: return "4.0";
	default: return NULL;
	}
}

void report_add_abs_path(struct strbuf *sb, const char *path)
{
	if (*path != '/')
		strbuf_addch(sb, '/');
	strbuf_addstr(sb, path);
}

struct ref_slot {
	const char *ref;
	size_t index;
};

static int cmp_slot(const void *a, const void *b)
{
	const struct ref_slot *x = a, *y = b;
	int c = strcmp(x->ref, y->ref);

	/* Ties keep package order, so the suffixes below are the same on every run. */
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void sort_slots(struct ref_slot *slots, size_t nr, const char **refs)
{
	for (size_t i = 0; i < nr; i++) {
		slots[i].ref = refs[i];
		slots[i].index = i;
	}
	if (nr)
		qsort(slots, nr, sizeof(*slots), cmp_slot);
}

/* base plus a package-id qualifier: the first 64 bits of the path's SHA-256, short and stable. */
static const char *with_package_id(struct arena *a, const char *base, const char *path)
{
	char digest[DIGEST_STR_LEN];

	if (!path)
		path = "";
	sha256_digest_str(path, strlen(path), digest);
	return arena_printf(a, "%s%cpackage-id=%.16s", base, strchr(base, '?') ? '&' : '?', digest + 7);
}

const char **report_package_refs(const struct catalog *cat, struct arena *a)
{
	size_t nr = cat->packages.nr;
	const char **refs = arena_alloc(a, (nr ? nr : 1) * sizeof(*refs));
	struct ref_slot *slots = xcalloc(nr ? nr : 1, sizeof(*slots));

	for (size_t i = 0; i < nr; i++) {
		const struct package *pkg = &cat->packages.items[i];
		const char *type = pkg->type ? pkg->type : "unknown";
		const char *name = pkg->name ? pkg->name : "unknown";
		const char *version = pkg->version ? pkg->version : "";

		if (pkg->purl && *pkg->purl)
			refs[i] = pkg->purl;
		else
			refs[i] = arena_printf(a, "package:%s/%s@%s", type, name, version);
	}

	/* A purl names a release, not an install: tell copies apart by where they sit. */
	sort_slots(slots, nr, refs);
	for (size_t i = 0; i < nr;) {
		size_t end = i + 1;
		while (end < nr && !strcmp(slots[end].ref, slots[i].ref))
			end++;
		for (size_t j = i; end - i > 1 && j < end; j++) {
			size_t index = slots[j].index;
			refs[index] = with_package_id(a, slots[j].ref, cat->packages.items[index].path);
		}
		i = end;
	}

	/* Two records of one purl at one path are rare but possible: number them. */
	sort_slots(slots, nr, refs);
	for (size_t i = 0; i < nr;) {
		size_t end = i + 1;
		while (end < nr && !strcmp(slots[end].ref, slots[i].ref))
			end++;
		for (size_t j = i + 1; j < end; j++)
			refs[slots[j].index] = arena_printf(a, "%s-%zu", slots[j].ref, j - i + 1);
		i = end;
	}
	free(slots);
	return refs;
}

size_t report_nr_warnings(const struct report_input *in)
{
	return (in->img ? in->img->warnings.nr : 0) + (in->cat ? in->cat->warnings.nr : 0) +
	       (in->match ? in->match->warnings.nr : 0);
}

void report_each_warning(const struct report_input *in, void (*fn)(const char *msg, void *data), void *data)
{
	if (in->img)
		for (size_t i = 0; i < in->img->warnings.nr; i++)
			fn(in->img->warnings.msgs[i], data);
	if (in->cat)
		for (size_t i = 0; i < in->cat->warnings.nr; i++)
			fn(in->cat->warnings.msgs[i], data);
	if (in->match)
		for (size_t i = 0; i < in->match->warnings.nr; i++)
			fn(in->match->warnings.msgs[i], data);
}

/* cJSON returns NULL only when malloc fails; treat that as xmalloc does. */
static cJSON *checked(cJSON *item)
{
	if (!item) {
		fprintf(stderr, "customs: out of memory (building a report)\n");
		abort();
	}
	return item;
}

cJSON *rjson_object(void)
{
	return checked(cJSON_CreateObject());
}

cJSON *rjson_array(void)
{
	return checked(cJSON_CreateArray());
}

void rjson_add(cJSON *parent, const char *key, cJSON *item)
{
	cJSON_bool ok;

	if (key)
		ok = cJSON_AddItemToObject(parent, key, item);
	else
		ok = cJSON_AddItemToArray(parent, item);
	if (!ok)
		checked(NULL);
}

cJSON *rjson_add_object(cJSON *parent, const char *key)
{
	cJSON *obj = rjson_object();

	rjson_add(parent, key, obj);
	return obj;
}

cJSON *rjson_add_array(cJSON *parent, const char *key)
{
	cJSON *arr = rjson_array();

	rjson_add(parent, key, arr);
	return arr;
}

void rjson_add_string(cJSON *parent, const char *key, const char *s)
{
	char *clean;

	if (!s)
		s = "";
	clean = utf8_sanitize(s, strlen(s));
	rjson_add(parent, key, checked(cJSON_CreateString(clean)));
	free(clean);
}

void rjson_add_string_opt(cJSON *parent, const char *key, const char *s)
{
	if (s && *s)
		rjson_add_string(parent, key, s);
}

void rjson_add_string_or_null(cJSON *parent, const char *key, const char *s)
{
	if (s)
		rjson_add_string(parent, key, s);
	else
		rjson_add_null(parent, key);
}

void rjson_add_null(cJSON *parent, const char *key)
{
	rjson_add(parent, key, checked(cJSON_CreateNull()));
}

void rjson_add_bool(cJSON *parent, const char *key, int value)
{
	rjson_add(parent, key, checked(cJSON_CreateBool(value)));
}

void rjson_add_int(cJSON *parent, const char *key, long long value)
{
	char digits[32];

	snprintf(digits, sizeof(digits), "%lld", value);
	rjson_add(parent, key, checked(cJSON_CreateRaw(digits)));
}

void rjson_add_u64(cJSON *parent, const char *key, uint64_t value)
{
	char digits[32];

	snprintf(digits, sizeof(digits), "%" PRIu64, value);
	rjson_add(parent, key, checked(cJSON_CreateRaw(digits)));
}

int report_finish(FILE *out, struct strbuf *err)
{
	errno = 0;
	if (fflush(out) || ferror(out)) {
		int saved = errno ? errno : EIO;
		return error_code(err, ERR_IO, "cannot write report: %s", strerror(saved));
	}
	return 0;
}

int rjson_write(FILE *out, cJSON *root, struct strbuf *err)
{
	char *text = cJSON_Print(root);
	size_t len;

	cJSON_Delete(root);
	if (!text)
		checked(NULL);
	len = strlen(text);
	errno = 0;
	if (fwrite(text, 1, len, out) != len || fputc('\n', out) == EOF) {
		int saved = errno ? errno : EIO;
		cJSON_free(text);
		return error_code(err, ERR_IO, "cannot write report: %s", strerror(saved));
	}
	cJSON_free(text);
	return report_finish(out, err);
}
