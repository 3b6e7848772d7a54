/* Posture checks over the files of the layers: secrets, setuid files and package caches, seen by the
 * observer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/config_checks.h"
#include "checks/file_checks.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Bytes of one file the detector sees; its own cap, set here so the observer can stop reading there. */
#define SECRET_FILE_BYTES (1u << 20)
#define MAX_WHITEOUTS (256u << 10)
#define MAX_SETUID 4096
#define MAX_CACHE_FILES (256u << 10)
/* Bytes of a history line copied into a finding's instruction. */
#define MAX_INSTRUCTION 300

enum cache_manager {
	CACHE_APT,
	CACHE_APK,
	CACHE_DNF,
	CACHE_YUM,
	CACHE_PIP,
	CACHE_NPM,
	CACHE_COUNT,
};

static const char *const cache_names[CACHE_COUNT] = {"apt", "apk", "dnf", "yum", "pip", "npm"};

struct whiteout {
	const char *path;
	int token;
	int opaque;
};

struct setuid_file {
	const char *path;
	int token;
	uint32_t mode;
};

struct cache_file {
	const char *dir; /* static: the cache folder it lies in */
	const char *path;
	uint64_t size;
	int token;
	int manager;
};

/* An open-addressing map from 64-bit path hashes to the highest layer index seen; key 0 is free. */
struct hash_max {
	uint64_t *keys;
	int *values;
	size_t cap;
};

struct file_checks {
	unsigned kinds;
	struct image_observer obs;
	struct arena arena; /* kept paths and the detector's findings */
	struct secrets *secrets;

	/* The file being fed to the detector. */
	struct strbuf cur_path;
	int cur_token;
	uint64_t cur_fed;
	uint64_t binary_before, capped_before;

	int *secret_tokens; /* layer token of each detector finding, by index */
	size_t nr_secret_tokens, alloc_secret_tokens;

	uint64_t *entry_hashes;
	int *entry_tokens;
	size_t nr_entries, alloc_entries, alloc_entry_tokens;

	struct whiteout *whiteouts;
	size_t nr_whiteouts, alloc_whiteouts;
	struct setuid_file *setuid;
	size_t nr_setuid, alloc_setuid;
	struct cache_file *caches;
	size_t nr_caches, alloc_caches;
	int caches_dropped;
	/* From the Dockerfile: how many of the last layers the image's own build made; -1 unknown. */
	long own_layers;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h ? h : 1;
}

static void hash_max_init(struct hash_max *m, size_t n)
{
	m->cap = 16;
	while (m->cap < 2 * n + 2)
		m->cap *= 2;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->values = xcalloc(m->cap, sizeof(*m->values));
}

static void hash_max_put(struct hash_max *m, uint64_t key, int value)
{
	size_t i = (size_t)key & (m->cap - 1);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i] || m->values[i] < value)
		m->values[i] = value;
	m->keys[i] = key;
}

/* The highest value stored for key, or INT32_MIN. */
static int hash_max_get(const struct hash_max *m, uint64_t key)
{
	size_t i;

	if (!m->cap)
		return INT32_MIN;
	for (i = (size_t)key & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->values[i];
	return INT32_MIN;
}

static void hash_max_release(struct hash_max *m)
{
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

/* The rest of path after prefix, when path lies below it; NULL otherwise. */
static const char *below(const char *path, const char *prefix)
{
	size_t len = strlen(prefix);

	if (strncmp(path, prefix, len) || !path[len])
		return NULL;
	return path + len;
}

/* The package manager whose cache holds path, or -1; *dir gets the cache folder. */
static int cache_manager_of(const char *path, const char **dir)
{
	const char *rest;
	size_t len;

	if ((rest = below(path, "var/cache/apt/archives/"))) {
		len = strlen(rest);
		*dir = "var/cache/apt/archives";
		return !strchr(rest, '/') && len > 4 && !strcmp(rest + len - 4, ".deb") ? CACHE_APT : -1;
	}
	if ((rest = below(path, "var/lib/apt/lists/"))) {
		*dir = "var/lib/apt/lists";
		return strcmp(rest, "lock") && strncmp(rest, "partial/", 8) ? CACHE_APT : -1;
	}
	if (below(path, "var/cache/apk/")) {
		*dir = "var/cache/apk";
		return CACHE_APK;
	}
	if (below(path, "var/cache/dnf/")) {
		*dir = "var/cache/dnf";
		return CACHE_DNF;
	}
	if (below(path, "var/cache/yum/")) {
		*dir = "var/cache/yum";
		return CACHE_YUM;
	}
	if (below(path, "root/.cache/pip/")) {
		*dir = "root/.cache/pip";
		return CACHE_PIP;
	}
	if (below(path, "root/.npm/_cacache/")) {
		*dir = "root/.npm/_cacache";
		return CACHE_NPM;
	}
	return -1;
}

/* Kernel filesystems that an image may carry as empty mount points or junk: never secrets. */
static int under_pseudo_fs(const char *path)
{
	static const char *const roots[] = {"proc", "sys", "dev"};
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		size_t len = strlen(roots[i]);

		if (!strncmp(path, roots[i], len) && (!path[len] || path[len] == '/'))
			return 1;
	}
	return 0;
}

static void record_entry_hash(struct file_checks *fc, const char *path, int token)
{
	if (fc->nr_entries >= FILE_CHECKS_MAX_ENTRIES)
		return;
	ALLOC_GROW(fc->entry_hashes, fc->nr_entries + 1, fc->alloc_entries);
	ALLOC_GROW(fc->entry_tokens, fc->nr_entries + 1, fc->alloc_entry_tokens);
	fc->entry_hashes[fc->nr_entries] = hash_bytes(path, strlen(path));
	fc->entry_tokens[fc->nr_entries] = token;
	fc->nr_entries++;
}

static int fc_entry(void *data, const struct image_entry *e)
{
	struct file_checks *fc = data;
	const struct secrets_stats *st;
	const char *dir;
	int manager;

	if (e->whiteout != IMAGE_WHITEOUT_NONE) {
		if (fc->nr_whiteouts < MAX_WHITEOUTS) {
			ALLOC_GROW(fc->whiteouts, fc->nr_whiteouts + 1, fc->alloc_whiteouts);
			fc->whiteouts[fc->nr_whiteouts].path = arena_strdup(&fc->arena, e->path);
			fc->whiteouts[fc->nr_whiteouts].token = e->layer_token;
			fc->whiteouts[fc->nr_whiteouts].opaque = e->whiteout == IMAGE_WHITEOUT_OPAQUE;
			fc->nr_whiteouts++;
		}
		return 0;
	}
	record_entry_hash(fc, e->path, e->layer_token);
	if (e->kind != FS_REGULAR)
		return 0;

	if (fc->kinds & (1u << CHECK_KIND_CONFIG)) {
		if ((e->mode & 06000) && fc->nr_setuid < MAX_SETUID) {
			ALLOC_GROW(fc->setuid, fc->nr_setuid + 1, fc->alloc_setuid);
			fc->setuid[fc->nr_setuid].path = arena_strdup(&fc->arena, e->path);
			fc->setuid[fc->nr_setuid].token = e->layer_token;
			fc->setuid[fc->nr_setuid].mode = e->mode;
			fc->nr_setuid++;
		}
		manager = e->hardlink ? -1 : cache_manager_of(e->path, &dir);
		if (manager >= 0 && fc->nr_caches >= MAX_CACHE_FILES) {
			fc->caches_dropped = 1;
		} else if (manager >= 0) {
			ALLOC_GROW(fc->caches, fc->nr_caches + 1, fc->alloc_caches);
			fc->caches[fc->nr_caches].dir = dir;
			fc->caches[fc->nr_caches].path = arena_strdup(&fc->arena, e->path);
			fc->caches[fc->nr_caches].size = e->size;
			fc->caches[fc->nr_caches].token = e->layer_token;
			fc->caches[fc->nr_caches].manager = manager;
			fc->nr_caches++;
		}
	}

	if (!(fc->kinds & (1u << CHECK_KIND_SECRET)) || e->hardlink || !e->size || under_pseudo_fs(e->path))
		return 0;
	strbuf_reset(&fc->cur_path);
	strbuf_addstr(&fc->cur_path, e->path);
	fc->cur_token = e->layer_token;
	fc->cur_fed = 0;
	st = secrets_stats(fc->secrets);
	fc->binary_before = st->files_binary;
	fc->capped_before = st->files_capped;
	secrets_file_begin(fc->secrets, fc->cur_path.buf);
	return 1;
}

static int fc_contents(void *data, const void *buf, size_t len)
{
	struct file_checks *fc = data;
	const struct secrets_stats *st;

	if (fc->cur_fed + len > SECRET_FILE_BYTES)
		len = (size_t)(SECRET_FILE_BYTES - fc->cur_fed);
	secrets_feed(fc->secrets, buf, len);
	fc->cur_fed += len;
	st = secrets_stats(fc->secrets);
	/* Binary files and files that hit the findings cap are not scanned further: stop reading them. */
	if (fc->cur_fed >= SECRET_FILE_BYTES || st->files_binary != fc->binary_before ||
	    st->files_capped != fc->capped_before)
		return IMAGE_OBSERVE_ENOUGH;
	return IMAGE_OBSERVE_MORE;
}

static void fc_end(void *data)
{
	struct file_checks *fc = data;
	size_t nr;

	secrets_file_end(fc->secrets);
	secrets_findings(fc->secrets, &nr);
	ALLOC_GROW(fc->secret_tokens, nr, fc->alloc_secret_tokens);
	while (fc->nr_secret_tokens < nr)
		fc->secret_tokens[fc->nr_secret_tokens++] = fc->cur_token;
}

struct file_checks *file_checks_new(unsigned kinds)
{
	struct file_checks *fc = xcalloc(1, sizeof(*fc));
	struct secrets_limits limits = {SECRET_FILE_BYTES, 0};

	fc->kinds = kinds;
	fc->own_layers = -1;
	fc->secrets = secrets_new(&fc->arena, &limits);
	strbuf_init(&fc->cur_path, 0);
	fc->obs.entry = fc_entry;
	fc->obs.contents = fc_contents;
	fc->obs.end = fc_end;
	fc->obs.data = fc;
	return fc;
}

void file_checks_free(struct file_checks *fc)
{
	if (!fc)
		return;
	secrets_free(fc->secrets);
	strbuf_release(&fc->cur_path);
	free(fc->secret_tokens);
	free(fc->entry_hashes);
	free(fc->entry_tokens);
	free(fc->whiteouts);
	free(fc->setuid);
	free(fc->caches);
	arena_release(&fc->arena);
	free(fc);
}

const struct image_observer *file_checks_observer(struct file_checks *fc)
{
	return &fc->obs;
}

const struct secrets_stats *file_checks_secret_stats(const struct file_checks *fc)
{
	return secrets_stats(fc->secrets);
}

/* ---- the base image boundary ---- */

/* 1 when a history line is a CMD or ENTRYPOINT instruction, in any builder's spelling. */
static int is_cmd_or_entrypoint(const char *created_by)
{
	const char *p, *nop;
	size_t i;
	static const char *const words[] = {"CMD", "ENTRYPOINT"};

	if (!created_by)
		return 0;
	nop = strstr(created_by, "#(nop)");
	p = nop ? nop + 6 : created_by;
	while (*p == ' ' || *p == '\t')
		p++;
	for (i = 0; i < 2; i++) {
		size_t len = strlen(words[i]);

		if (!strncmp(p, words[i], len) && (p[len] == ' ' || p[len] == '[' || p[len] == '\t'))
			return 1;
	}
	return 0;
}

static size_t first_own_layer(const struct image *img, int *found_boundary)
{
	size_t i, made = 0, first_own = 0;
	int pending = 0, found = 0;

	for (i = 0; i < img->nr_history; i++) {
		const struct image_history *h = &img->history[i];

		if (h->empty_layer) {
			if (is_cmd_or_entrypoint(h->created_by))
				pending = 1;
			continue;
		}
		/* A layer after the base's closing CMD or ENTRYPOINT: everything from here on is the image's
		 * own. */
		if (pending) {
			first_own = h->layer >= 0 ? (size_t)h->layer : made;
			pending = 0;
			found = 1;
		}
		made++;
	}
	*found_boundary = found && first_own < img->nr_layers;
	if (*found_boundary)
		return first_own;
	/*
	 * No boundary: the first layer is taken as the base (a distribution
	 * image such as debian:12 is one layer whose su and passwd are its own
	 * business), and what later layers add is the image's.
	 */
	return img->nr_layers ? 1 : 0;
}

size_t image_first_own_layer(const struct image *img)
{
	int found;

	return first_own_layer(img, &found);
}

void file_checks_set_own_layers(struct file_checks *fc, size_t count)
{
	fc->own_layers = (long)count;
}

/* ---- turning what was seen into findings ---- */

struct collect {
	struct file_checks *fc;
	const struct image *img;
	struct check_results *out;
	struct hash_max whiteout_file, whiteout_opaque, entries;
};

/*
 * Copy s into the arena as one line of valid UTF-8: control characters become
 * spaces, runs of spaces one, and at most cap bytes are kept (cut at a
 * character boundary and marked with "...").
 */
static const char *one_line(struct arena *a, const char *s, size_t cap)
{
	char *clean, *out;
	size_t i, n = 0;
	int space = 1;

	if (!s)
		return NULL;
	clean = utf8_sanitize(s, strlen(s));
	out = xmalloc(strlen(clean) + 1);
	for (i = 0; clean[i]; i++) {
		unsigned char c = (unsigned char)clean[i];

		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (!space)
				out[n++] = ' ';
			space = 1;
			continue;
		}
		out[n++] = (char)c;
		space = 0;
	}
	while (n && out[n - 1] == ' ')
		n--;
	if (n > cap) {
		n = cap;
		while (n && ((unsigned char)out[n] & 0xc0) == 0x80)
			n--;
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	s = arena_strdup(a, out);
	free(out);
	free(clean);
	return s;
}

static int history_of_layer(const struct image *img, int layer)
{
	size_t i;

	for (i = 0; layer >= 0 && i < img->nr_history; i++)
		if (img->history[i].layer == layer)
			return (int)i;
	return -1;
}

static const char *layer_instruction(struct collect *c, int layer)
{
	if (layer < 0 || (size_t)layer >= c->img->nr_layers || !c->img->layers[layer].created_by)
		return NULL;
	return one_line(&c->out->arena, config_redact_text(c->img->layers[layer].created_by, &c->out->arena),
			MAX_INSTRUCTION);
}

/* The layer index of a token: -1 for a rootfs (token -1), -2 for a blob that is no layer of the image. */
static int layer_of(const struct image *img, int token)
{
	int idx;

	if (token < 0)
		return -1;
	idx = image_layer_index(img, token);
	return idx < 0 ? -2 : idx;
}

static void build_maps(struct collect *c)
{
	struct file_checks *fc = c->fc;
	size_t i;

	hash_max_init(&c->whiteout_file, fc->nr_whiteouts);
	hash_max_init(&c->whiteout_opaque, fc->nr_whiteouts);
	hash_max_init(&c->entries, fc->nr_entries);
	for (i = 0; i < fc->nr_whiteouts; i++) {
		const struct whiteout *w = &fc->whiteouts[i];
		int idx = layer_of(c->img, w->token);

		if (idx >= 0)
			hash_max_put(w->opaque ? &c->whiteout_opaque : &c->whiteout_file,
				     hash_bytes(w->path, strlen(w->path)), idx);
	}
	for (i = 0; i < fc->nr_entries; i++) {
		int idx = layer_of(c->img, fc->entry_tokens[i]);

		if (idx >= 0)
			hash_max_put(&c->entries, fc->entry_hashes[i], idx);
	}
}

/* 1 when a layer above layer deletes path, itself or one of its folders. */
static int deleted_above(const struct collect *c, const char *path, int layer)
{
	size_t len = strlen(path), i;

	if (hash_max_get(&c->whiteout_opaque, hash_bytes(path, 0)) > layer)
		return 1;
	for (i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (hash_max_get(&c->whiteout_file, hash_bytes(path, i)) > layer)
			return 1;
		if (i < len && hash_max_get(&c->whiteout_opaque, hash_bytes(path, i)) > layer)
			return 1;
	}
	return 0;
}

/* 1 when a layer above layer puts another entry at path. */
static int replaced_above(const struct collect *c, const char *path, int layer)
{
	return hash_max_get(&c->entries, hash_bytes(path, strlen(path))) > layer;
}

static void add_finding(struct collect *c, const char *rule_id, const char *path, uint64_t line,
			const char *subject, const char *detail, int layer)
{
	struct check_finding f;

	memset(&f, 0, sizeof(f));
	f.rule = check_rule_find(rule_id);
	if (!f.rule)
		return;
	while (path && *path == '/')
		path++;
	f.path = path ? one_line(&c->out->arena, path, 4096) : NULL;
	f.line = line;
	f.subject = one_line(&c->out->arena, subject, 512);
	f.detail = one_line(&c->out->arena, detail, 4096);
	f.layer = layer;
	f.history = history_of_layer(c->img, layer);
	f.instruction = layer_instruction(c, layer);
	check_results_add(c->out, &f);
}

static void collect_setuid(struct collect *c)
{
	struct file_checks *fc = c->fc;
	int found;
	size_t first_own = first_own_layer(c->img, &found), i;
	const char *how = "after its base image in the history";

	if (fc->own_layers >= 0) {
		first_own = (size_t)fc->own_layers < c->img->nr_layers ? c->img->nr_layers - (size_t)fc->own_layers : 0;
		how = "made by the Dockerfile's final stage";
	} else if (!found) {
		how = "after the first, which is taken as the base: the history shows no base image";
	}
	struct strbuf detail = STRBUF_INIT;

	for (i = 0; i < fc->nr_setuid; i++) {
		const struct setuid_file *s = &fc->setuid[i];
		int idx = layer_of(c->img, s->token);
		const char *bits = (s->mode & 06000) == 06000 ? "setuid and setgid"
				   : (s->mode & 04000)	      ? "setuid"
							      : "setgid";

		if (idx < 0 || (size_t)idx < first_own)
			continue;
		if (deleted_above(c, s->path, idx) || replaced_above(c, s->path, idx))
			continue;
		strbuf_reset(&detail);
		strbuf_addf(&detail, "%s is %s (mode %04o), added in layer %d, one of the image's own layers (%s)",
			    s->path, bits, (unsigned)s->mode, idx, how);
		add_finding(c, "CUS-CFG-009", s->path, 0, bits, detail.buf, idx);
	}
	strbuf_release(&detail);
}

struct cache_total {
	uint64_t files, bytes;
	const char *dir;
};

/* One finding per layer and manager whose cache files the final image still holds; marks those layers. */
static void collect_caches(struct collect *c, unsigned char *found)
{
	struct file_checks *fc = c->fc;
	size_t nr_layers = c->img->nr_layers, i, m;
	struct cache_total *totals = xcalloc((nr_layers + 1) * CACHE_COUNT, sizeof(*totals));
	struct strbuf detail = STRBUF_INIT;

	for (i = 0; i < fc->nr_caches; i++) {
		const struct cache_file *cf = &fc->caches[i];
		int idx = layer_of(c->img, cf->token);
		struct cache_total *t;

		if (idx < -1 || deleted_above(c, cf->path, idx))
			continue;
		t = &totals[(size_t)(idx + 1) * CACHE_COUNT + (size_t)cf->manager];
		t->files++;
		t->bytes += cf->size;
		if (!t->dir)
			t->dir = cf->dir;
	}
	for (i = 0; i <= nr_layers; i++) {
		for (m = 0; m < CACHE_COUNT; m++) {
			const struct cache_total *t = &totals[i * CACHE_COUNT + m];
			int idx = (int)i - 1;

			if (!t->files)
				continue;
			strbuf_reset(&detail);
			if (idx >= 0)
				strbuf_addf(&detail,
					    "layer %d leaves %llu files (%llu bytes) of %s's cache in %s, "
					    "still in the final image",
					    idx, (unsigned long long)t->files, (unsigned long long)t->bytes,
					    cache_names[m], t->dir);
			else
				strbuf_addf(&detail, "%llu files (%llu bytes) of %s's cache are left in %s",
					    (unsigned long long)t->files, (unsigned long long)t->bytes,
					    cache_names[m], t->dir);
			if (fc->caches_dropped)
				strbuf_addstr(&detail,
					      "; the image holds more cache files than were counted");
			add_finding(c, "CUS-CFG-008", t->dir, 0, cache_names[m], detail.buf, idx);
			if (idx >= 0)
				found[(size_t)idx * CACHE_COUNT + m] = 1;
		}
	}
	strbuf_release(&detail);
	free(totals);
}

/* 1 when the file checks already reported the cache a history finding names for its layer. */
static int history_cache_known(const unsigned char *found, size_t nr_layers, const struct config_finding *f)
{
	size_t m;

	if (!found || f->layer < 0 || (size_t)f->layer >= nr_layers || !f->subject)
		return 0;
	for (m = 0; m < CACHE_COUNT; m++) {
		/* The history's "dnf" covers yum as well. */
		int same = !strcmp(f->subject, cache_names[m]) ||
			   (m == CACHE_YUM && !strcmp(f->subject, cache_names[CACHE_DNF]));

		if (same && found[(size_t)f->layer * CACHE_COUNT + m])
			return 1;
	}
	return 0;
}

static void collect_config(struct collect *c, const unsigned char *found)
{
	struct config_results cr;
	size_t i;

	memset(&cr, 0, sizeof(cr));
	config_checks_run(c->img, &c->out->arena, &cr);
	for (i = 0; i < cr.nr; i++) {
		const struct config_finding *cf = &cr.findings[i];
		const struct config_rule *rule = config_rule_get(cf->rule);
		struct check_finding f;

		if (!rule ||
		    (cf->rule == CONFIG_PACKAGE_CACHE && history_cache_known(found, c->img->nr_layers, cf)))
			continue;
		memset(&f, 0, sizeof(f));
		f.rule = check_rule_find(rule->id);
		if (!f.rule)
			continue;
		f.subject = cf->subject;
		f.detail = cf->detail;
		f.layer = cf->layer;
		f.history = cf->history;
		if (cf->history >= 0 && (size_t)cf->history < c->img->nr_history)
			f.instruction = one_line(
			    &c->out->arena,
			    config_redact_text(c->img->history[cf->history].created_by, &c->out->arena),
			    MAX_INSTRUCTION);
		else
			f.instruction = layer_instruction(c, cf->layer);
		check_results_add(c->out, &f);
	}
	config_results_release(&cr);
}

static void collect_secrets(struct collect *c)
{
	struct file_checks *fc = c->fc;
	const struct secret_finding *sf;
	struct strbuf detail = STRBUF_INIT;
	size_t nr, i;

	sf = secrets_findings(fc->secrets, &nr);
	for (i = 0; i < nr && i < fc->nr_secret_tokens; i++) {
		const struct secret_rule *rule = secret_rule_get(sf[i].rule);
		int idx = layer_of(c->img, fc->secret_tokens[i]);

		if (!rule || idx < -1)
			continue;
		strbuf_reset(&detail);
		if (idx >= 0)
			strbuf_addf(&detail, "%s in layer %d", rule->title, idx);
		else
			strbuf_addstr(&detail, rule->title);
		if (idx >= 0 && (deleted_above(c, sf[i].path, idx) || replaced_above(c, sf[i].path, idx)))
			strbuf_addstr(&detail,
				      "; a later layer deletes or replaces the file, but its bytes still "
				      "ship in the image");
		add_finding(c, rule->id, sf[i].path, sf[i].line, sf[i].excerpt, detail.buf, idx);
	}
	strbuf_release(&detail);
}

int image_checks_collect(struct file_checks *fc, const struct image *img, unsigned kinds,
			 struct check_results *out)
{
	struct collect c;
	unsigned char *found = NULL;

	memset(&c, 0, sizeof(c));
	c.fc = fc;
	c.img = img;
	c.out = out;
	if (fc)
		build_maps(&c);
	if (kinds & (1u << CHECK_KIND_CONFIG)) {
		if (fc && (fc->kinds & (1u << CHECK_KIND_CONFIG))) {
			found = xcalloc(img->nr_layers * CACHE_COUNT + 1, 1);
			collect_setuid(&c);
			collect_caches(&c, found);
		}
		collect_config(&c, found);
		out->kinds_run |= 1u << CHECK_KIND_CONFIG;
	}
	if ((kinds & (1u << CHECK_KIND_SECRET)) && fc && (fc->kinds & (1u << CHECK_KIND_SECRET))) {
		collect_secrets(&c);
		out->kinds_run |= 1u << CHECK_KIND_SECRET;
	}
	free(found);
	hash_max_release(&c.whiteout_file);
	hash_max_release(&c.whiteout_opaque);
	hash_max_release(&c.entries);
	return 0;
}
