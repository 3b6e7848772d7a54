/* Match packages against the vulnerability database: OSV ranges, alias merging and severity. */
#include "match/match.h"
#include "match/match_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "version/version.h"

const char *severity_source_name(enum severity_source src)
{
	static const char *const names[] = {"none", "distribution", "cvss", "advisory"};

	return (unsigned int)src < sizeof(names) / sizeof(names[0]) ? names[src] : "none";
}

/* ---- a set of (string, advisory) pairs, so each bad version or vector is reported once per scan ---- */

struct seen_key {
	const void *str; /* a string in the database mapping; NULL marks an empty slot */
	uint32_t advisory;
};

struct seen_set {
	struct seen_key *slots;
	size_t nr, alloc; /* alloc is 0 or a power of two */
};

static size_t seen_hash(const void *str, uint32_t advisory)
{
	uint64_t x = (uint64_t)(uintptr_t)str ^ ((uint64_t)advisory << 32 | advisory);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

/* Returns 1 when the pair was added, 0 when it was there already. */
static int seen_add(struct seen_set *set, const void *str, uint32_t advisory)
{
	size_t mask, i;

	if (2 * (set->nr + 1) > set->alloc) {
		struct seen_set bigger = {NULL, 0, set->alloc ? 2 * set->alloc : 64};

		bigger.slots = xcalloc(bigger.alloc, sizeof(*bigger.slots));
		for (size_t j = 0; j < set->alloc; j++)
			if (set->slots[j].str)
				seen_add(&bigger, set->slots[j].str, set->slots[j].advisory);
		free(set->slots);
		*set = bigger;
	}
	mask = set->alloc - 1;
	for (i = seen_hash(str, advisory) & mask; set->slots[i].str; i = (i + 1) & mask)
		if (set->slots[i].str == str && set->slots[i].advisory == advisory)
			return 0;
	set->slots[i] = (struct seen_key){str, advisory};
	set->nr++;
	return 1;
}

/*
 * Scores by vector. The database keeps one copy of each string, so the
 * pointer is the key: a vector shared by many advisories or matched on many
 * packages is parsed once. Only valid vectors are kept.
 */
struct cvss_slot {
	const char *vector; /* NULL marks an empty slot */
	struct cvss score;
};

struct cvss_cache {
	struct cvss_slot *slots;
	size_t nr, alloc; /* alloc is 0 or a power of two */
};

static struct cvss_slot *cvss_cache_find(const struct cvss_cache *cache, const char *vector)
{
	size_t mask = cache->alloc - 1;

	if (!cache->alloc)
		return NULL;
	for (size_t i = seen_hash(vector, 0) & mask; cache->slots[i].vector; i = (i + 1) & mask)
		if (cache->slots[i].vector == vector)
			return &cache->slots[i];
	return NULL;
}

static void cvss_cache_add(struct cvss_cache *cache, const char *vector, const struct cvss *score)
{
	size_t mask, i;

	if (2 * (cache->nr + 1) > cache->alloc) {
		struct cvss_cache bigger = {NULL, 0, cache->alloc ? 2 * cache->alloc : 64};

		bigger.slots = xcalloc(bigger.alloc, sizeof(*bigger.slots));
		for (size_t j = 0; j < cache->alloc; j++)
			if (cache->slots[j].vector)
				cvss_cache_add(&bigger, cache->slots[j].vector, &cache->slots[j].score);
		free(cache->slots);
		*cache = bigger;
	}
	mask = cache->alloc - 1;
	for (i = seen_hash(vector, 0) & mask; cache->slots[i].vector; i = (i + 1) & mask)
		;
	cache->slots[i] = (struct cvss_slot){vector, *score};
	cache->nr++;
}

/*
 * The findings already made for a lookup key. The binary packages of one
 * source package (libc6, libc-bin, ...) share their key, and so their
 * findings: the later ones copy them instead of evaluating every range again.
 */
struct key_slot {
	const char
	    *ecosystem; /* NULL marks an empty slot; ecosystems are shared strings, compared by pointer */
	const char *name, *version;
	size_t hash;
	size_t first, count; /* in matcher.findings */
};

struct key_cache {
	struct key_slot *slots;
	size_t nr, alloc; /* alloc is 0 or a power of two */
};

static size_t key_hash(const char *ecosystem, const char *name, const char *version)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)ecosystem;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *p = version; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

static struct key_slot *key_cache_find(const struct key_cache *cache, const char *ecosystem, const char *name,
				       const char *version, size_t hash)
{
	size_t mask = cache->alloc - 1;

	if (!cache->alloc)
		return NULL;
	for (size_t i = hash & mask; cache->slots[i].ecosystem; i = (i + 1) & mask) {
		const struct key_slot *k = &cache->slots[i];

		if (k->hash == hash && k->ecosystem == ecosystem && !strcmp(k->name, name) &&
		    !strcmp(k->version, version))
			return &cache->slots[i];
	}
	return NULL;
}

static void key_cache_add(struct key_cache *cache, const struct key_slot *slot)
{
	size_t mask, i;

	if (2 * (cache->nr + 1) > cache->alloc) {
		struct key_cache bigger = {NULL, 0, cache->alloc ? 2 * cache->alloc : 64};

		bigger.slots = xcalloc(bigger.alloc, sizeof(*bigger.slots));
		for (size_t j = 0; j < cache->alloc; j++)
			if (cache->slots[j].ecosystem)
				key_cache_add(&bigger, &cache->slots[j]);
		free(cache->slots);
		*cache = bigger;
	}
	mask = cache->alloc - 1;
	for (i = slot->hash & mask; cache->slots[i].ecosystem; i = (i + 1) & mask)
		;
	cache->slots[i] = *slot;
	cache->nr++;
}

/* ---- the state of one scan ---- */

/* The ecosystem and comparator of one package type, worked out once per scan. */
struct type_info {
	const char *pkg_type;
	const char *ecosystem; /* NULL: not matched */
	const struct version_scheme *scheme;
	int distribution; /* match_is_distribution(ecosystem) */
	int warned;
};

/* One advisory whose affected entry covers the package being matched. */
struct candidate {
	struct vulndb_advisory adv;
	uint32_t index;	   /* of adv, for vulndb_get_advisory() */
	const char *fixed; /* the fix ending the range the version is in, or NULL */
	uint32_t parent;   /* union-find over shared IDs */
};

struct id_ref {
	const char *id;
	uint32_t cand;
	uint32_t group;
};

/* A candidate and the group (root candidate) it was merged into. */
struct member {
	uint32_t group, cand;
};

enum version_state { VERSION_UNCHECKED = 0, VERSION_VALID, VERSION_INVALID };

struct matcher {
	const struct catalog *cat;
	const struct vulndb *db;
	struct match_result *res;
	struct strbuf err; /* comparator and CVSS messages, reused */

	struct type_info types[16];
	size_t nr_types;
	struct type_info spare_type; /* for types past the cache */
	const struct version_scheme *semver;

	/* The package being matched. */
	const struct package *pkg;
	size_t pkg_index;
	const char *ecosystem, *name, *version;
	const struct version_scheme *scheme;
	int distribution;
	enum version_state state[2]; /* of version under scheme [0] and semver [1] */

	/* Scratch reused across packages, so matching allocates only for findings. */
	struct candidate *cands;
	size_t nr_cands, alloc_cands;
	struct id_ref *ids;
	size_t nr_ids, alloc_ids;
	struct member *order;
	size_t alloc_order;
	struct finding *findings;
	size_t nr_findings, alloc_findings;

	struct seen_set warned;
	struct cvss_cache scores;
	struct key_cache keys;
};

/* s escaped for a one-line message (names from an image may hold any byte); lives in the result's arena. */
static const char *shown(struct matcher *m, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	strbuf_add_json_escaped(&sb, s ? s : "");
	out = arena_strdup(&m->res->arena, sb.buf);
	strbuf_release(&sb);
	return out;
}

static struct type_info *type_info_of(struct matcher *m, const struct package *pkg)
{
	struct type_info *t;

	if (!pkg->type) {
		memset(&m->spare_type, 0, sizeof(m->spare_type));
		return &m->spare_type;
	}
	for (size_t i = 0; i < m->nr_types; i++)
		if (!strcmp(m->types[i].pkg_type, pkg->type))
			return &m->types[i];
	if (m->nr_types == sizeof(m->types) / sizeof(m->types[0])) {
		/* More package types than any image has: work it out each time. */
		t = &m->spare_type;
	} else {
		t = &m->types[m->nr_types++];
	}
	memset(t, 0, sizeof(*t));
	t->pkg_type = pkg->type;
	t->ecosystem = match_ecosystem(&m->cat->os, pkg, &m->res->arena);
	t->scheme = t->ecosystem ? version_scheme_find(t->ecosystem) : NULL;
	t->distribution = t->ecosystem && match_is_distribution(t->ecosystem);
	return t;
}

/* Whether the installed version parses under scheme; the first time it does not, one warning. */
static int version_valid(struct matcher *m, const struct version_scheme *scheme)
{
	enum version_state *state = &m->state[scheme == m->semver && scheme != m->scheme];
	int result;

	if (*state == VERSION_UNCHECKED) {
		strbuf_reset(&m->err);
		if (scheme->compare(m->version, m->version, &result, &m->err)) {
			*state = VERSION_INVALID;
			warnings_add(&m->res->warnings, &m->res->arena,
				     "package '%s' (%s) not matched against version ranges: %s",
				     shown(m, m->pkg->name), m->ecosystem, m->err.buf);
		} else {
			*state = VERSION_VALID;
		}
	}
	return *state == VERSION_VALID;
}

/* A version from the database the comparator rejects: one warning per value and advisory per scan. */
static void bad_event(struct matcher *m, const struct vulndb_affected *aff, const char *value)
{
	struct vulndb_advisory adv;

	if (!seen_add(&m->warned, value, aff->advisory))
		return;
	vulndb_get_advisory(m->db, aff->advisory, &adv);
	warnings_add(&m->res->warnings, &m->res->arena,
		     "advisory '%s' not evaluated for package '%s' (%s) version '%s': %s", shown(m, adv.id),
		     shown(m, m->pkg->name), m->ecosystem, shown(m, m->version), m->err.buf);
}

/* Compare two versions; nonzero when the comparator rejects either (message in m->err). */
static int compare(struct matcher *m, const struct version_scheme *scheme, const char *a, const char *b,
		   int *result)
{
	strbuf_reset(&m->err);
	return scheme->compare(a, b, result, &m->err);
}

/*
 * Whether the installed version lies in range, following the OSV
 * specification: with the events in version order, introduced (and "0",
 * the beginning of time) opens the range, fixed at or below the version and
 * last_affected below it close it, and when there are limit events the
 * version must lie below one of them ("*" is no limit). Rather than sort,
 * this keeps the greatest event at or below the version (a later event
 * wins a tie, as a stable sort would leave it) and the smallest fixed or
 * last_affected above it, so one range costs about two comparisons per
 * event and allocates nothing. *fixed is the fix that ends the range the
 * version is in, or NULL when the range ends in last_affected or not at all.
 */
static int in_range(struct matcher *m, const struct vulndb_affected *aff, const struct vulndb_range *range,
		    const char **fixed)
{
	const struct version_scheme *scheme = range->type == VULNDB_RANGE_SEMVER ? m->semver : m->scheme;
	struct vulndb_event top = {0}, end = {0};
	int have_top = 0, top_is_zero = 0, have_end = 0, has_limit = 0, below_limit = 0;

	*fixed = NULL;
	if (range->type != VULNDB_RANGE_ECOSYSTEM && range->type != VULNDB_RANGE_SEMVER)
		return 0;
	if (!version_valid(m, scheme))
		return 0;
	for (uint32_t i = 0; i < range->nr_events; i++) {
		struct vulndb_event ev;
		int c, d, passed;

		vulndb_get_event(m->db, range, i, &ev);
		if (ev.kind == VULNDB_EVENT_INTRODUCED && !strcmp(ev.version, "0")) {
			if (!have_top) {
				top = ev;
				have_top = top_is_zero = 1;
			}
			continue;
		}
		if (ev.kind == VULNDB_EVENT_LIMIT) {
			has_limit = 1;
			if (!strcmp(ev.version, "*")) {
				below_limit = 1;
			} else if (compare(m, scheme, m->version, ev.version, &c)) {
				bad_event(m, aff, ev.version);
				return 0;
			} else if (c < 0) {
				below_limit = 1;
			}
			continue;
		}
		if (ev.kind != VULNDB_EVENT_FIXED && ev.kind != VULNDB_EVENT_LAST_AFFECTED &&
		    ev.kind != VULNDB_EVENT_INTRODUCED)
			continue;
		if (compare(m, scheme, m->version, ev.version, &c)) {
			bad_event(m, aff, ev.version);
			return 0;
		}
		passed = ev.kind == VULNDB_EVENT_LAST_AFFECTED ? c > 0 : c >= 0;
		if (passed) {
			if (!have_top || top_is_zero) {
				top = ev;
				have_top = 1;
				top_is_zero = 0;
			} else if (!compare(m, scheme, ev.version, top.version, &d) && d >= 0) {
				top = ev;
			}
		} else if (ev.kind != VULNDB_EVENT_INTRODUCED) {
			if (!have_end) {
				end = ev;
				have_end = 1;
			} else if (!compare(m, scheme, ev.version, end.version, &d) &&
				   (d < 0 || (d == 0 && ev.kind == VULNDB_EVENT_FIXED))) {
				end = ev;
			}
		}
	}
	if (!have_top || top.kind != VULNDB_EVENT_INTRODUCED || (has_limit && !below_limit))
		return 0;
	if (have_end && end.kind == VULNDB_EVENT_FIXED)
		*fixed = end.version;
	return 1;
}

/*
 * Of two fixes, the smaller (NULL is no fix, so the other wins). Both lie
 * above the installed version, so the smaller is the first release that
 * fixes it. Fixes from SEMVER ranges may not parse under the ecosystem's
 * scheme: those are compared as semver, and the first kept when neither works.
 */
static const char *smaller_fix(struct matcher *m, const char *a, const char *b)
{
	int c;

	if (!a || !b)
		return a ? a : b;
	if (compare(m, m->scheme, a, b, &c) && compare(m, m->semver, a, b, &c))
		return a;
	return c <= 0 ? a : b;
}

static int affected_entry(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	struct matcher *m = data;
	const char *fixed = NULL;
	int hit = 0;
	struct candidate *cand;

	/*
	 * Explicit versions are exact strings and need no comparator, so they
	 * hold even for a version the comparator rejects.
	 */
	for (uint32_t i = 0; i < aff->nr_versions && !hit; i++)
		hit = !strcmp(vulndb_affected_version(db, aff, i), m->version);
	for (uint32_t i = 0; i < aff->nr_ranges; i++) {
		struct vulndb_range range;
		const char *range_fix;

		vulndb_get_range(db, aff, i, &range);
		if (in_range(m, aff, &range, &range_fix)) {
			fixed = hit ? smaller_fix(m, fixed, range_fix) : range_fix;
			hit = 1;
		}
	}
	if (!hit)
		return 0;
	ALLOC_GROW(m->cands, m->nr_cands + 1, m->alloc_cands);
	cand = &m->cands[m->nr_cands];
	vulndb_get_advisory(db, aff->advisory, &cand->adv);
	cand->index = aff->advisory;
	cand->fixed = fixed;
	cand->parent = (uint32_t)m->nr_cands;
	m->nr_cands++;
	return 0;
}

/* ---- merging the advisories of one package into findings ---- */

static uint32_t find_root(struct candidate *c, uint32_t i)
{
	while (c[i].parent != i) {
		c[i].parent = c[c[i].parent].parent;
		i = c[i].parent;
	}
	return i;
}

static void add_id(struct matcher *m, const char *id, uint32_t cand)
{
	if (!id || !*id)
		return;
	ALLOC_GROW(m->ids, m->nr_ids + 1, m->alloc_ids);
	m->ids[m->nr_ids++] = (struct id_ref){id, cand, 0};
}

static int cmp_id_ref(const void *a, const void *b)
{
	const struct id_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->cand < y->cand ? -1 : x->cand > y->cand;
}

static int cmp_group_id(const void *a, const void *b)
{
	const struct id_ref *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return cmp_id_ref(a, b);
}

/* "CVE-2024-1234" as numbers; 0 when id is not a CVE ID of that shape. */
static int cve_number(const char *id, unsigned long long *year, unsigned long long *seq)
{
	char *end;

	if (strncmp(id, "CVE-", 4) || id[4] < '0' || id[4] > '9')
		return 0;
	*year = strtoull(id + 4, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return 0;
	*seq = strtoull(end + 1, &end, 10);
	return *end == '\0';
}

/*
 * The display ID: the smallest CVE ID by year and number (so CVE-2024-9999
 * comes before CVE-2024-10000, unlike byte order), else the smallest ID.
 * ids holds one group's IDs sorted by byte order.
 */
static const char *display_id(const struct id_ref *ids, size_t n)
{
	const char *best = NULL;
	unsigned long long best_year = 0, best_seq = 0, year, seq;

	for (size_t i = 0; i < n; i++) {
		if (!cve_number(ids[i].id, &year, &seq))
			continue;
		if (!best || year < best_year || (year == best_year && seq < best_seq)) {
			best = ids[i].id;
			best_year = year;
			best_seq = seq;
		}
	}
	return best ? best : ids[0].id;
}

/* The best CVSS score of one advisory: the newest version of the specification it has a valid vector for. */
static int advisory_cvss(struct matcher *m, const struct candidate *cand, struct cvss *out,
			 const char **vector)
{
	const struct vulndb_advisory *adv = &cand->adv;
	int found = 0;

	for (uint32_t i = 0; i < adv->nr_cvss; i++) {
		const char *v = vulndb_advisory_cvss(m->db, adv, i);
		const struct cvss_slot *cached = cvss_cache_find(&m->scores, v);
		struct cvss score;

		if (cached) {
			score = cached->score;
		} else {
			strbuf_reset(&m->err);
			if (cvss_base_score(v, &score, &m->err)) {
				if (seen_add(&m->warned, v, cand->index))
					warnings_add(&m->res->warnings, &m->res->arena, "advisory '%s': %s",
						     shown(m, adv->id), m->err.buf);
				continue;
			}
			cvss_cache_add(&m->scores, v, &score);
		}
		if (!found || score.version > out->version ||
		    (score.version == out->version && score.score > out->score)) {
			*out = score;
			*vector = v;
			found = 1;
		}
	}
	return found;
}

/*
 * Rate a finding from its advisories cands[order[0..n)]. For a distribution
 * its own rating comes first (the highest, when merged advisories carry
 * several), then the CVSS score, then the advisory's word; for language
 * ecosystems CVSS, then the word. Across advisories the highest CVSS score
 * is taken, each advisory giving the score of its newest CVSS version.
 * The CVSS vector is reported whichever source decided.
 */
static void rate(struct matcher *m, struct finding *f, const struct member *order, size_t n)
{
	int distribution = m->distribution;
	int have_dist = 0, have_word = 0, have_cvss = 0;
	enum severity dist = SEVERITY_UNKNOWN, word = SEVERITY_UNKNOWN, s;

	for (size_t i = 0; i < n; i++) {
		const struct candidate *cand = &m->cands[order[i].cand];
		const struct vulndb_advisory *adv = &cand->adv;
		struct cvss score;
		const char *vector;

		if (adv->severity && *adv->severity) {
			if (distribution && !severity_from_distribution(adv->severity, &s) &&
			    (!have_dist || s > dist)) {
				dist = s;
				have_dist = 1;
			}
			if (!severity_parse(adv->severity, &s) && (!have_word || s > word)) {
				word = s;
				have_word = 1;
			}
		}
		if (advisory_cvss(m, cand, &score, &vector) &&
		    (!have_cvss || score.score > f->cvss.score ||
		     (score.score == f->cvss.score && score.version > f->cvss.version))) {
			f->cvss = score;
			f->cvss_vector = vector;
			have_cvss = 1;
		}
	}
	if (have_dist) {
		f->severity = dist;
		f->severity_source = SEVERITY_FROM_DISTRIBUTION;
	} else if (have_cvss) {
		f->severity = cvss_severity(f->cvss.score);
		f->severity_source = SEVERITY_FROM_CVSS;
	} else if (have_word) {
		f->severity = word;
		f->severity_source = SEVERITY_FROM_ADVISORY;
	} else {
		f->severity = SEVERITY_UNKNOWN;
		f->severity_source = SEVERITY_FROM_NONE;
	}
}

/* One finding from the group of advisories cands[order[0..n)], whose IDs are ids[0..nr_ids). */
static void emit_finding(struct matcher *m, const struct member *order, size_t n, const struct id_ref *ids,
			 size_t nr_ids)
{
	struct finding *f;
	const char *title = NULL, *title_id = NULL;
	size_t nr_aliases = 0;

	ALLOC_GROW(m->findings, m->nr_findings + 1, m->alloc_findings);
	f = &m->findings[m->nr_findings++];
	memset(f, 0, sizeof(*f));
	f->id = display_id(ids, nr_ids);
	f->aliases = arena_alloc(&m->res->arena, nr_ids * sizeof(*f->aliases));
	for (size_t i = 0; i < nr_ids; i++) {
		if (!strcmp(ids[i].id, f->id) || (i && !strcmp(ids[i].id, ids[i - 1].id)))
			continue;
		f->aliases[nr_aliases++] = ids[i].id;
	}
	f->nr_aliases = nr_aliases;
	f->package = m->pkg_index;
	f->ecosystem = m->ecosystem;
	f->layer = m->pkg->layer;
	for (size_t i = 0; i < n; i++) {
		const struct candidate *c = &m->cands[order[i].cand];

		/*
		 * Advisories may disagree on the fix (a distribution's DSA and the
		 * CVE's tracker entry, say). Every fix found lies above the
		 * installed version, so the smallest is the first release that
		 * fixes it; an advisory without a fix does not hide another's.
		 */
		f->fixed_version = smaller_fix(m, f->fixed_version, c->fixed);
	}
	/* The display ID's own summary, else the summary of the smallest ID that has one. */
	for (size_t i = 0; i < n; i++) {
		const struct vulndb_advisory *adv = &m->cands[order[i].cand].adv;

		if (!adv->summary || !*adv->summary)
			continue;
		if (!strcmp(adv->id, f->id)) {
			title = adv->summary;
			break;
		}
		if (!title || strcmp(adv->id, title_id) < 0) {
			title = adv->summary;
			title_id = adv->id;
		}
	}
	f->title = title;
	rate(m, f, order, n);
}

static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* Merge the current package's candidates (union-find over IDs and aliases): one finding per group. */
static void emit_findings(struct matcher *m)
{
	size_t n = m->nr_cands, i, j, k;

	if (!n)
		return;
	m->nr_ids = 0;
	for (i = 0; i < n; i++) {
		const struct vulndb_advisory *adv = &m->cands[i].adv;

		add_id(m, adv->id, (uint32_t)i);
		for (uint32_t a = 0; a < adv->nr_aliases; a++)
			add_id(m, vulndb_advisory_alias(m->db, adv, a), (uint32_t)i);
	}
	qsort(m->ids, m->nr_ids, sizeof(*m->ids), cmp_id_ref);
	for (i = 1; i < m->nr_ids; i++) {
		if (strcmp(m->ids[i].id, m->ids[i - 1].id))
			continue;
		uint32_t x = find_root(m->cands, m->ids[i].cand), y = find_root(m->cands, m->ids[i - 1].cand);

		/* The smaller index becomes the root, so groups come out in database order. */
		if (x < y)
			m->cands[y].parent = x;
		else if (y < x)
			m->cands[x].parent = y;
	}
	for (i = 0; i < n; i++)
		m->cands[i].parent = find_root(m->cands, (uint32_t)i);
	for (i = 0; i < m->nr_ids; i++)
		m->ids[i].group = m->cands[m->ids[i].cand].parent;
	qsort(m->ids, m->nr_ids, sizeof(*m->ids), cmp_group_id);

	if (n > m->alloc_order) {
		m->alloc_order = n;
		m->order = xrealloc(m->order, n * sizeof(*m->order));
	}
	for (i = 0; i < n; i++)
		m->order[i] = (struct member){m->cands[i].parent, (uint32_t)i};
	qsort(m->order, n, sizeof(*m->order), cmp_member);

	/* Both lists are sorted by group: walk them side by side. */
	for (i = 0, k = 0; i < n; i = j) {
		uint32_t group = m->order[i].group;
		size_t first_id = k;

		for (j = i; j < n && m->order[j].group == group; j++)
			;
		while (k < m->nr_ids && m->ids[k].group == group)
			k++;
		if (k == first_id)
			continue; /* an advisory without an ID: nothing to show */
		emit_finding(m, m->order + i, j - i, m->ids + first_id, k - first_id);
	}
}

/* ---- the scan ---- */

static void match_package(struct matcher *m, size_t index)
{
	const struct package *pkg = &m->cat->packages.items[index];
	struct type_info *t = type_info_of(m, pkg);
	struct key_slot key = {0};
	const struct key_slot *cached;

	if (!t->ecosystem) {
		if (match_is_os_package(pkg) && !t->warned) {
			const struct os_info *os = &m->cat->os;

			t->warned = 1;
			if (os->id && !strcmp(os->id, "debian") && !os->version_id)
				warnings_add(
				    &m->res->warnings, &m->res->arena,
				    "%s packages not matched: debian testing and unstable (no VERSION_ID in "
				    "os-release) have no advisory ecosystem",
				    shown(m, pkg->type));
			else
				warnings_add(
				    &m->res->warnings, &m->res->arena,
				    "%s packages not matched: no advisory ecosystem for os '%s' version '%s'",
				    shown(m, pkg->type), shown(m, os->id ? os->id : "unknown"),
				    shown(m, os->version_id ? os->version_id : "none"));
		}
		return;
	}
	m->res->nr_packages_looked_up++;
	if (!t->scheme) {
		if (!t->warned) {
			t->warned = 1;
			warnings_add(&m->res->warnings, &m->res->arena,
				     "%s packages not matched: no version comparator for ecosystem '%s'",
				     shown(m, pkg->type), t->ecosystem);
		}
		return;
	}
	m->pkg = pkg;
	m->pkg_index = index;
	m->ecosystem = t->ecosystem;
	m->scheme = t->scheme;
	m->distribution = t->distribution;
	match_lookup_key(pkg, t->ecosystem, &m->res->arena, &m->name, &m->version);
	if (!m->name || !*m->name || !m->version || !*m->version) {
		warnings_add(&m->res->warnings, &m->res->arena, "package '%s' (%s) not matched: it has no %s",
			     shown(m, pkg->name), m->ecosystem, m->name && *m->name ? "version" : "name");
		return;
	}
	/*
	 * The importer stores PyPI names in their PEP 503 form, the form
	 * match_lookup_key() gives, so one lookup finds a project however the
	 * advisory or the installed metadata spell it.
	 */
	key.hash = key_hash(m->ecosystem, m->name, m->version);
	if ((cached = key_cache_find(&m->keys, m->ecosystem, m->name, m->version, key.hash))) {
		for (size_t i = 0; i < cached->count; i++) {
			struct finding f = m->findings[cached->first + i];

			f.package = index;
			f.layer = pkg->layer;
			ALLOC_GROW(m->findings, m->nr_findings + 1, m->alloc_findings);
			m->findings[m->nr_findings++] = f;
		}
		return;
	}
	m->state[0] = m->state[1] = VERSION_UNCHECKED;
	m->nr_cands = 0;
	vulndb_lookup(m->db, m->ecosystem, m->name, affected_entry, m);
	key.first = m->nr_findings;
	emit_findings(m);
	/* A package whose version was rejected carries its own warning: later ones must get theirs. */
	if (m->state[0] != VERSION_INVALID && m->state[1] != VERSION_INVALID) {
		key.ecosystem = m->ecosystem;
		key.name = m->name;
		key.version = m->version;
		key.count = m->nr_findings - key.first;
		key_cache_add(&m->keys, &key);
	}
}

/*
 * Findings sort by severity, then by their package's name, version and
 * install path, then display ID. Packages are ranked once by those three,
 * equal ones sharing a rank, so the sort of many findings compares integers
 * before it compares the IDs.
 */
struct sorted_finding {
	const struct finding *f;
	const struct package *pkg;
	size_t rank;
};

static int cmp_str_null_first(const char *a, const char *b)
{
	if (!a || !b)
		return !a ? (b ? -1 : 0) : 1;
	return strcmp(a, b);
}

static int cmp_package_key(const struct package *x, const struct package *y)
{
	int c;

	if ((c = cmp_str_null_first(x->name, y->name)) || (c = cmp_str_null_first(x->version, y->version)))
		return c;
	return cmp_str_null_first(x->install_path, y->install_path);
}

static int cmp_package_ptr(const void *a, const void *b)
{
	return cmp_package_key(*(const struct package *const *)a, *(const struct package *const *)b);
}

/* rank[i] for each package of cat: its position in the order above. */
static size_t *rank_packages(const struct catalog *cat)
{
	size_t n = cat->packages.nr, *rank = xcalloc(n ? n : 1, sizeof(*rank));
	const struct package **by_key = xcalloc(n ? n : 1, sizeof(*by_key));

	for (size_t i = 0; i < n; i++)
		by_key[i] = &cat->packages.items[i];
	qsort(by_key, n, sizeof(*by_key), cmp_package_ptr);
	for (size_t i = 0, r = 0; i < n; i++) {
		if (i && cmp_package_key(by_key[i - 1], by_key[i]))
			r++;
		rank[by_key[i] - cat->packages.items] = r;
	}
	free(by_key);
	return rank;
}

static int cmp_findings(const void *a, const void *b)
{
	const struct sorted_finding *x = a, *y = b;
	int c;

	if (x->f->severity != y->f->severity)
		return x->f->severity > y->f->severity ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((c = strcmp(x->f->id, y->f->id)) || (c = cmp_str_null_first(x->pkg->path, y->pkg->path)))
		return c;
	return x->f->package < y->f->package ? -1 : x->f->package > y->f->package;
}

int match_catalog(const struct catalog *cat, const struct vulndb *db, struct match_result **out,
		  struct strbuf *err)
{
	struct matcher m = {.cat = cat, .db = db, .err = STRBUF_INIT};
	struct sorted_finding *sorted;
	size_t *rank;

	m.res = xcalloc(1, sizeof(*m.res));
	m.semver = version_scheme_find("semver");
	for (size_t i = 0; i < cat->packages.nr; i++)
		match_package(&m, i);

	rank = rank_packages(cat);
	sorted = xmalloc((m.nr_findings ? m.nr_findings : 1) * sizeof(*sorted));
	for (size_t i = 0; i < m.nr_findings; i++) {
		size_t p = m.findings[i].package;

		sorted[i] = (struct sorted_finding){&m.findings[i], &cat->packages.items[p], rank[p]};
	}
	free(rank);
	qsort(sorted, m.nr_findings, sizeof(*sorted), cmp_findings);
	m.res->findings =
	    arena_alloc(&m.res->arena, (m.nr_findings ? m.nr_findings : 1) * sizeof(struct finding));
	for (size_t i = 0; i < m.nr_findings; i++) {
		m.res->findings[i] = *sorted[i].f;
		m.res->counts[sorted[i].f->severity]++;
	}
	m.res->nr_findings = m.nr_findings;

	free(sorted);
	free(m.findings);
	free(m.cands);
	free(m.ids);
	free(m.order);
	free(m.warned.slots);
	free(m.scores.slots);
	free(m.keys.slots);
	strbuf_release(&m.err);
	*out = m.res;
	return 0;
}

struct match_result *match_result_new(void)
{
	return xcalloc(1, sizeof(struct match_result));
}

void match_result_free(struct match_result *res)
{
	if (!res)
		return;
	warnings_release(&res->warnings);
	arena_release(&res->arena);
	free(res);
}
