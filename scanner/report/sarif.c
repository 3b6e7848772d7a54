/* SARIF 2.1.0 for GitHub code scanning: a rule per vulnerability ID, a result per finding. */
#include <stdlib.h>
#include <string.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/xalloc.h"

/* The final 2.1.0 schema; the multitool flags any other URL (GH1011). */
#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/*
 * GitHub rejects a run of more than 25,000 results and keeps only 5,000 of
 * them, in file order rather than by severity, so the writer keeps the 5,000
 * most severe itself and says what it left out.
 */
#define SARIF_MAX_RESULTS 5000
/* GitHub cuts descriptions at 1024 characters; bytes are never fewer than characters. */
#define SARIF_MAX_DESCRIPTION 1024
#define MAX_CELL 200

/*
 * security-severity for a finding with no CVSS score that agrees with its
 * severity: a value inside GitHub's band for that severity (above 9.0
 * critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low). An unrated finding
 * gets none (NO_SCORE): GitHub documents no band for 0.0 and has been seen to
 * show it as an error, while without a score it shows the level, a note.
 */
#define NO_SCORE (-1.0)
static const double representative_score[SEVERITY_COUNT] = {
	[SEVERITY_UNKNOWN] = NO_SCORE, [SEVERITY_LOW] = 2.0,	   [SEVERITY_MEDIUM] = 5.5,
	[SEVERITY_HIGH] = 8.0,	       [SEVERITY_CRITICAL] = 9.5,
};

static const char *level_of(enum severity s)
{
	if (s >= SEVERITY_HIGH)
		return "error";
	if (s == SEVERITY_MEDIUM)
		return "warning";
	return "note";
}

/*
 * The CVSS base score when it rates the finding as its severity says, else
 * the representative score: a distribution may rate a CVE lower than its
 * CVSS score does, and GitHub must show the severity Customs gates on.
 */
static double score_of(const struct finding *f)
{
	if (f->cvss.version && f->cvss_vector && f->cvss.score > 0 && cvss_severity(f->cvss.score) == f->severity)
		return f->cvss.score;
	return representative_score[f->severity < SEVERITY_COUNT ? f->severity : SEVERITY_UNKNOWN];
}

struct rule {
	const char *id;
	size_t first; /* position in the kept order of its first (most severe) result */
	size_t index; /* ruleIndex */
	enum severity severity; /* the highest of its results */
	double score;
	size_t next; /* while building the chains below: the last position seen */
};

struct sarif {
	const struct report_input *in;
	struct strbuf image; /* the image's short name */
	size_t *order; /* indexes into findings, most severe first */
	size_t nr_kept;
	struct rule *rules; /* sorted by ID, to look results up */
	size_t *rule_order; /* positions in rules, in ruleIndex order */
	size_t nr_rules;
	size_t *next_same; /* per kept position: the next one with the same ID, or NO_NEXT */
};

#define NO_NEXT ((size_t)-1)

static const struct finding *finding_at(const struct sarif *s, size_t pos)
{
	return &s->in->match->findings[s->order[pos]];
}

/* qsort has no context argument; the writers run one at a time. */
static const struct finding *sort_findings;
static const struct rule *sort_rules;

static int cmp_severity(const void *a, const void *b)
{
	const struct finding *x = &sort_findings[*(const size_t *)a], *y = &sort_findings[*(const size_t *)b];

	/* Active findings before suppressed ones of the same severity, then the match order. */
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (report_finding_active(x) != report_finding_active(y))
		return report_finding_active(x) ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_rule_id(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_rule_first(const void *a, const void *b)
{
	size_t x = sort_rules[*(const size_t *)a].first, y = sort_rules[*(const size_t *)b].first;

	return x < y ? -1 : x > y;
}

static struct rule *find_rule(struct rule *rules, size_t nr, const char *id)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, rules[mid].id);
		if (!c)
			return &rules[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct rule *rule_of(const struct sarif *s, const char *id)
{
	return find_rule(s->rules, s->nr_rules, id);
}

static void sarif_init(struct sarif *s, const struct report_input *in)
{
	const struct match_result *res = in->match;
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	s->in = in;
	strbuf_init(&s->image, 0);
	report_image_short_name(&s->image, in->img);
	s->order = xcalloc(res->nr_findings ? res->nr_findings : 1, sizeof(*s->order));
	for (size_t i = 0; i < res->nr_findings; i++)
		s->order[i] = i;
	sort_findings = res->findings;
	if (res->nr_findings)
		qsort(s->order, res->nr_findings, sizeof(*s->order), cmp_severity);
	s->nr_kept = res->nr_findings < SARIF_MAX_RESULTS ? res->nr_findings : SARIF_MAX_RESULTS;

	/* One rule per ID, first seen at its most severe result: sort by ID and keep the first of each. */
	s->rules = xcalloc(s->nr_kept ? s->nr_kept : 1, sizeof(*s->rules));
	for (size_t i = 0; i < s->nr_kept; i++)
		s->rules[i] = (struct rule){ .id = finding_at(s, i)->id, .first = i };
	if (s->nr_kept)
		qsort(s->rules, s->nr_kept, sizeof(*s->rules), cmp_rule_id);
	for (size_t i = 0; i < s->nr_kept; i++)
		if (!n || strcmp(s->rules[n - 1].id, s->rules[i].id))
			s->rules[n++] = s->rules[i];
	s->nr_rules = n;

	/* Rules are numbered in the order their first result comes. */
	s->rule_order = xcalloc(n ? n : 1, sizeof(*s->rule_order));
	for (size_t i = 0; i < n; i++)
		s->rule_order[i] = i;
	sort_rules = s->rules;
	if (n)
		qsort(s->rule_order, n, sizeof(*s->rule_order), cmp_rule_first);
	for (size_t i = 0; i < n; i++)
		s->rules[s->rule_order[i]].index = i;

	/* Chain each rule's results, so its help lists them without scanning every result. */
	s->next_same = xcalloc(s->nr_kept ? s->nr_kept : 1, sizeof(*s->next_same));
	for (size_t i = 0; i < n; i++)
		s->rules[i].next = NO_NEXT;
	for (size_t i = s->nr_kept; i-- > 0;) {
		struct rule *r = find_rule(s->rules, n, finding_at(s, i)->id);
		s->next_same[i] = r->next;
		r->next = i;
	}

	for (size_t i = 0; i < s->nr_kept; i++) {
		const struct finding *f = finding_at(s, i);
		struct rule *r = find_rule(s->rules, n, f->id);
		double score = score_of(f);

		if (r->first == i || f->severity > r->severity)
			r->severity = f->severity;
		if (r->first == i || score > r->score)
			r->score = score;
	}
}

static void sarif_release(struct sarif *s)
{
	strbuf_release(&s->image);
	free(s->order);
	free(s->rules);
	free(s->rule_order);
	free(s->next_same);
}

/* Append path percent-encoded as URI path segments; the caller has written the image's name before it. */
static void add_uri_path(struct strbuf *sb, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";

	while (*path == '/')
		path++;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			   strchr("-._~/!$&'()*+,;=@", *p);
		if (keep) {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

/* "<image>/<path of the file the package was read from>", the location GitHub shows. */
static void add_location_uri(struct strbuf *sb, const struct sarif *s, const struct package *pkg)
{
	strbuf_add(sb, s->image.buf, s->image.len);
	strbuf_addch(sb, '/');
	add_uri_path(sb, pkg->path && *pkg->path ? pkg->path : "unknown");
}

static void add_score(cJSON *props, double score)
{
	char text[16];

	if (score < 0)
		return;
	/* A number written as a string is what GitHub accepts. */
	snprintf(text, sizeof(text), "%.1f", score);
	rjson_add_string(props, "security-severity", text);
}

static void add_ids_line(struct strbuf *sb, const struct finding *f)
{
	strbuf_addstr(sb, f->id);
	for (size_t i = 0; i < f->nr_aliases; i++) {
		strbuf_addstr(sb, i ? ", " : " (also ");
		strbuf_addstr(sb, f->aliases[i]);
	}
	if (f->nr_aliases)
		strbuf_addch(sb, ')');
}

/* help.text and help.markdown: every kept finding of the rule, as a list and as a table. */
static void add_help(cJSON *rule, const struct sarif *s, const struct rule *r)
{
	const struct finding *first = finding_at(s, r->first);
	struct strbuf text = STRBUF_INIT, md = STRBUF_INIT, ids = STRBUF_INIT, uri = STRBUF_INIT;
	cJSON *help;

	add_ids_line(&ids, first);
	strbuf_addf(&text, "Vulnerability %s. ", ids.buf);
	if (first->title && *first->title)
		strbuf_addf(&text, "%s. ", first->title);
	strbuf_addstr(&text, "Affected packages:");

	strbuf_addstr(&md, "**Vulnerability** ");
	report_add_markdown_cell(&md, ids.buf, 4 * MAX_CELL);
	strbuf_addstr(&md, "\n\n");
	if (first->title && *first->title) {
		report_add_markdown_cell(&md, first->title, 4 * MAX_CELL);
		strbuf_addstr(&md, "\n\n");
	}
	strbuf_addstr(&md, "| Package | Installed | Fixed version | Location |\n| --- | --- | --- | --- |\n");
	for (size_t i = r->first; i != NO_NEXT; i = s->next_same[i]) {
		const struct finding *f = finding_at(s, i);
		const struct package *pkg = report_finding_package(s->in, f);

		strbuf_reset(&uri);
		add_location_uri(&uri, s, pkg);
		strbuf_addf(&text, "\n- %s %s: %s%s at %s", pkg->name ? pkg->name : "unknown",
			    pkg->version ? pkg->version : "", f->fixed_version ? "fixed in " : "no fix yet",
			    f->fixed_version ? f->fixed_version : "", uri.buf);
		strbuf_addstr(&md, "| ");
		report_add_markdown_cell(&md, pkg->name, MAX_CELL);
		strbuf_addstr(&md, " | ");
		report_add_markdown_cell(&md, pkg->version, MAX_CELL);
		strbuf_addstr(&md, " | ");
		report_add_markdown_cell(&md, f->fixed_version ? f->fixed_version : "no fix yet", MAX_CELL);
		strbuf_addstr(&md, " | ");
		report_add_markdown_cell(&md, uri.buf, MAX_CELL);
		strbuf_addstr(&md, " |\n");
	}
	help = rjson_add_object(rule, "help");
	rjson_add_string(help, "text", text.buf);
	rjson_add_string(help, "markdown", md.buf);
	strbuf_release(&text);
	strbuf_release(&md);
	strbuf_release(&ids);
	strbuf_release(&uri);
}

static void add_rule(cJSON *rules, const struct sarif *s, const struct rule *r)
{
	const struct finding *f = finding_at(s, r->first);
	const struct package *pkg = report_finding_package(s->in, f);
	cJSON *rule = rjson_add_object(rules, NULL);
	cJSON *props, *tags;
	struct strbuf sb = STRBUF_INIT, clipped = STRBUF_INIT;

	rjson_add_string(rule, "id", r->id);
	if (f->title && *f->title)
		strbuf_addstr(&sb, f->title);
	else
		strbuf_addf(&sb, "%s in %s", r->id, pkg->name ? pkg->name : "a package");
	report_add_clipped(&clipped, sb.buf, SARIF_MAX_DESCRIPTION);
	rjson_add_string(rjson_add_object(rule, "shortDescription"), "text", clipped.buf);

	strbuf_reset(&sb);
	add_ids_line(&sb, f);
	strbuf_addf(&sb, ": %s severity", severity_name(r->severity));
	if (f->title && *f->title)
		strbuf_addf(&sb, ". %s", f->title);
	strbuf_addch(&sb, '.');
	strbuf_reset(&clipped);
	report_add_clipped(&clipped, sb.buf, SARIF_MAX_DESCRIPTION);
	rjson_add_string(rjson_add_object(rule, "fullDescription"), "text", clipped.buf);
	rjson_add_string(rjson_add_object(rule, "defaultConfiguration"), "level", level_of(r->severity));
	add_help(rule, s, r);

	props = rjson_add_object(rule, "properties");
	add_score(props, r->score);
	rjson_add_string(props, "precision", "very-high");
	tags = rjson_add_array(props, "tags");
	rjson_add_string(tags, NULL, "security");
	rjson_add_string(tags, NULL, "vulnerability");
	rjson_add_string(tags, NULL, severity_name(r->severity));
	strbuf_release(&sb);
	strbuf_release(&clipped);
}

/* How the gate took finding i of the match result, for filters on GitHub; NULL without a gate. */
static const char *policy_state(const struct report_verdict *v, const struct finding *f, size_t i)
{
	if (!v)
		return NULL;
	if (!report_finding_active(f))
		return "suppressed";
	if (v->failing && v->failing[i])
		return "failing";
	if (v->excluded && v->excluded[i])
		return "excluded-unfixed";
	return "passing";
}

static void add_result(cJSON *results, const struct sarif *s, size_t pos)
{
	const struct finding *f = finding_at(s, pos);
	const struct package *pkg = report_finding_package(s->in, f);
	const struct rule *r = rule_of(s, f->id);
	cJSON *result = rjson_add_object(results, NULL);
	cJSON *loc, *phys, *props;
	struct strbuf sb = STRBUF_INIT, uri = STRBUF_INIT;
	const char *name = pkg->name ? pkg->name : "unknown";

	rjson_add_string(result, "ruleId", f->id);
	rjson_add_int(result, "ruleIndex", (long long)r->index);
	rjson_add_string(result, "level", level_of(f->severity));
	strbuf_addf(&sb, "Package %s %s is affected by %s (%s severity). ", name, pkg->version ? pkg->version : "",
		    f->id, severity_name(f->severity));
	if (f->fixed_version)
		strbuf_addf(&sb, "Upgrade to %s.", f->fixed_version);
	else
		strbuf_addstr(&sb, "No fixed version is available yet.");
	if (f->vex_status)
		strbuf_addf(&sb, " VEX status: %s.", f->vex_status);
	rjson_add_string(rjson_add_object(result, "message"), "text", sb.buf);

	add_location_uri(&uri, s, pkg);
	loc = rjson_add_object(rjson_add_array(result, "locations"), NULL);
	phys = rjson_add_object(loc, "physicalLocation");
	rjson_add_string(rjson_add_object(phys, "artifactLocation"), "uri", uri.buf);
	rjson_add_int(rjson_add_object(phys, "region"), "startLine", 1);

	/* GitHub cannot compute a fingerprint for paths inside an image: give one that ignores versions. */
	strbuf_reset(&sb);
	report_hash_hex(&sb, 16, f->id, name, pkg->install_path ? pkg->install_path : "", uri.buf, NULL);
	strbuf_addstr(&sb, ":1");
	rjson_add_string(rjson_add_object(result, "partialFingerprints"), "primaryLocationLineHash", sb.buf);

	if (!report_finding_active(f)) {
		cJSON *sup = rjson_add_object(rjson_add_array(result, "suppressions"), NULL);
		rjson_add_string(sup, "kind", "external");
		rjson_add_string(sup, "status", "accepted");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s: %s", f->suppressed_by,
			    f->suppressed_reason && *f->suppressed_reason ? f->suppressed_reason : "no reason given");
		rjson_add_string(sup, "justification", sb.buf);
	}

	props = rjson_add_object(result, "properties");
	rjson_add_string(props, "severity", severity_name(f->severity));
	rjson_add_string(props, "package", name);
	rjson_add_string_opt(props, "installedVersion", pkg->version);
	rjson_add_string_opt(props, "fixedVersion", f->fixed_version);
	rjson_add_string_opt(props, "purl", pkg->purl);
	rjson_add_string_opt(props, "ecosystem", f->ecosystem);
	rjson_add_string_opt(props, "vexStatus", f->vex_status);
	rjson_add_string_opt(props, "vexDetail", f->vex_detail);
	rjson_add_string_opt(props, "policy", policy_state(s->in->verdict, f, s->order[pos]));
	strbuf_release(&sb);
	strbuf_release(&uri);
}

static void add_notification(cJSON *notes, const char *level, const char *text)
{
	cJSON *note = rjson_add_object(notes, NULL);

	rjson_add_string(note, "level", level);
	rjson_add_string(rjson_add_object(note, "message"), "text", text);
}

static void add_warning(const char *msg, void *notes)
{
	add_notification(notes, "warning", msg);
}

static void add_invocation(cJSON *run, const struct sarif *s)
{
	const struct match_result *res = s->in->match;
	cJSON *inv = rjson_add_object(rjson_add_array(run, "invocations"), NULL);
	cJSON *notes = rjson_array();

	rjson_add_bool(inv, "executionSuccessful", 1);
	if (s->nr_kept < res->nr_findings) {
		size_t left[SEVERITY_COUNT] = { 0 };
		struct strbuf sb = STRBUF_INIT;
		int any = 0;

		for (size_t i = s->nr_kept; i < res->nr_findings; i++)
			left[finding_at(s, i)->severity < SEVERITY_COUNT ? finding_at(s, i)->severity : 0]++;
		strbuf_addf(&sb, "%zu of %zu findings were left out, the least severe first, because GitHub code "
				 "scanning keeps at most %d results per run:",
			    res->nr_findings - s->nr_kept, res->nr_findings, SARIF_MAX_RESULTS);
		for (size_t i = 0; i < SEVERITY_COUNT; i++) {
			enum severity sev = report_severity_order[i];
			if (!left[sev])
				continue;
			strbuf_addf(&sb, "%s %zu %s", any ? "," : "", left[sev], severity_name(sev));
			any = 1;
		}
		strbuf_addstr(&sb, ". The JSON report has every finding.");
		add_notification(notes, "warning", sb.buf);
		strbuf_release(&sb);
	}
	report_each_warning(s->in, add_warning, notes);
	if (cJSON_GetArraySize(notes))
		rjson_add(inv, "toolExecutionNotifications", notes);
	else
		cJSON_Delete(notes);
}

static int write_sarif(FILE *out, const struct report_input *in, struct strbuf *err)
{
	static const struct match_result no_findings;
	struct report_input scan = *in;
	struct sarif s;
	cJSON *root = rjson_object();
	cJSON *run, *driver, *rules, *results;
	struct strbuf category = STRBUF_INIT;

	/* Without a scan (customs sbom -o sarif) the log is valid and empty. */
	if (!scan.match)
		scan.match = &no_findings;
	sarif_init(&s, &scan);
	rjson_add_string(root, "$schema", SARIF_SCHEMA);
	rjson_add_string(root, "version", "2.1.0");
	run = rjson_add_object(rjson_add_array(root, "runs"), NULL);
	driver = rjson_add_object(rjson_add_object(run, "tool"), "driver");
	rjson_add_string(driver, "name", in->tool_name);
	rjson_add_string_opt(driver, "version", in->tool_version);
	rjson_add_string_opt(driver, "semanticVersion", in->tool_version);
	rules = rjson_add_array(driver, "rules");
	for (size_t i = 0; i < s.nr_rules; i++)
		add_rule(rules, &s, &s.rules[s.rule_order[i]]);

	/* One category per image, or GitHub replaces one image's alerts with another's. */
	strbuf_addf(&category, "%s/%s/", in->tool_name, s.image.buf);
	rjson_add_string(rjson_add_object(run, "automationDetails"), "id", category.buf);
	strbuf_release(&category);
	add_invocation(run, &s);
	results = rjson_add_array(run, "results");
	for (size_t i = 0; i < s.nr_kept; i++)
		add_result(results, &s, i);
	if (in->verdict) {
		const struct report_verdict *v = in->verdict;
		cJSON *policy = rjson_add_object(rjson_add_object(run, "properties"), "policy");
		cJSON *reasons;

		rjson_add_bool(policy, "passed", v->passed);
		rjson_add_bool(policy, "wouldFail", v->would_fail);
		rjson_add_bool(policy, "audit", v->audit);
		reasons = rjson_add_array(policy, "reasons");
		for (size_t i = 0; i < v->nr_reasons; i++)
			rjson_add_string(reasons, NULL, v->reasons[i]);
	}
	rjson_add_string(run, "columnKind", "utf16CodeUnits");
	sarif_release(&s);
	return rjson_write(out, root, err);
}

const struct report_writer report_writer_sarif = {
	.name = "sarif",
	.description = "SARIF 2.1.0 for GitHub code scanning",
	.write = write_sarif,
};
