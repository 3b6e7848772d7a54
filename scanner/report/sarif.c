/* SARIF 2.1.0 for GitHub code scanning: a rule per vulnerability ID or check, a result per finding. */
#include <stdlib.h>
#include <string.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/utf8.h"
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
	/* The posture checks' findings, in the same severity order, cut with the vulnerabilities. */
	size_t *check_order; /* indexes into checks->findings */
	size_t nr_checks, nr_checks_kept;
	/* Each rule of a kept check finding once, in the order of its first result. */
	const struct check_rule **check_rules;
	size_t nr_check_rules;
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

static const struct check_finding *sort_checks;

static int cmp_check_severity(const void *a, const void *b)
{
	const struct check_finding *x = &sort_checks[*(const size_t *)a],
				   *y = &sort_checks[*(const size_t *)b];

	if (x->rule->severity != y->rule->severity)
		return x->rule->severity > y->rule->severity ? -1 : 1;
	if (!x->suppressed_by != !y->suppressed_by)
		return !x->suppressed_by ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static const struct check_finding *check_at(const struct sarif *s, size_t pos)
{
	return &s->in->checks->findings[s->check_order[pos]];
}

/*
 * How many of the vulnerability and check findings (each list most severe
 * first) fit under GitHub's limit together: the most severe of both, active
 * before suppressed, vulnerabilities first on a tie.
 */
static void cut_to_limit(struct sarif *s, size_t nr_vulns)
{
	size_t v = 0, c = 0;

	while (v + c < SARIF_MAX_RESULTS && (v < nr_vulns || c < s->nr_checks)) {
		int take_vuln;

		if (c == s->nr_checks) {
			take_vuln = 1;
		} else if (v == nr_vulns) {
			take_vuln = 0;
		} else {
			const struct finding *f = finding_at(s, v);
			const struct check_finding *cf = check_at(s, c);

			if (f->severity != cf->rule->severity)
				take_vuln = f->severity > cf->rule->severity;
			else
				take_vuln = report_finding_active(f) || cf->suppressed_by;
		}
		if (take_vuln)
			v++;
		else
			c++;
	}
	s->nr_kept = v;
	s->nr_checks_kept = c;
}

static void init_checks(struct sarif *s)
{
	const struct check_results *checks = s->in->checks;

	s->nr_checks = checks ? checks->nr : 0;
	s->check_order = xcalloc(s->nr_checks ? s->nr_checks : 1, sizeof(*s->check_order));
	for (size_t i = 0; i < s->nr_checks; i++)
		s->check_order[i] = i;
	if (s->nr_checks) {
		sort_checks = checks->findings;
		qsort(s->check_order, s->nr_checks, sizeof(*s->check_order), cmp_check_severity);
	}
}

/* The rules of the kept check findings, each once, numbered after the vulnerabilities' rules. */
static void init_check_rules(struct sarif *s)
{
	s->check_rules = xcalloc(s->nr_checks_kept ? s->nr_checks_kept : 1, sizeof(*s->check_rules));
	for (size_t i = 0; i < s->nr_checks_kept; i++) {
		const struct check_rule *rule = check_at(s, i)->rule;
		size_t j;

		for (j = 0; j < s->nr_check_rules; j++)
			if (s->check_rules[j] == rule)
				break;
		if (j == s->nr_check_rules)
			s->check_rules[s->nr_check_rules++] = rule;
	}
}

static size_t check_rule_index(const struct sarif *s, const struct check_rule *rule)
{
	for (size_t j = 0; j < s->nr_check_rules; j++)
		if (s->check_rules[j] == rule)
			return s->nr_rules + j;
	return s->nr_rules;
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
	init_checks(s);
	cut_to_limit(s, res->nr_findings);

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
	init_check_rules(s);
}

static void sarif_release(struct sarif *s)
{
	strbuf_release(&s->image);
	free(s->order);
	free(s->rules);
	free(s->rule_order);
	free(s->next_same);
	free(s->check_order);
	free(s->check_rules);
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

/* A path the user gave, relative as a repository's files are: no leading "/" or "./". */
static const char *relative_path(const char *path)
{
	for (;;) {
		if (*path == '/')
			path++;
		else if (path[0] == '.' && path[1] == '/')
			path += 2;
		else
			return path;
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
	uint64_t line;
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
	line = report_dockerfile_line(s->in, pkg->layer);
	if (line) {
		/* The RUN or COPY that installed the package: where a fix is made. */
		strbuf_reset(&sb);
		add_uri_path(&sb, relative_path(s->in->dockerfile));
		rjson_add_string(rjson_add_object(phys, "artifactLocation"), "uri", sb.buf);
		rjson_add_u64(rjson_add_object(phys, "region"), "startLine", line);
	} else {
		rjson_add_string(rjson_add_object(phys, "artifactLocation"), "uri", uri.buf);
		rjson_add_int(rjson_add_object(phys, "region"), "startLine", 1);
	}

	/*
	 * GitHub cannot compute a fingerprint for paths inside an image: give one that ignores
	 * versions, and the Dockerfile line, which moves as the file is edited.
	 */
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

/*
 * Posture checks: a rule per check ID, a result per finding. Their location
 * is the Dockerfile line when known, else the file in the image, else the
 * image config, which GitHub is shown as "<image>/config.json".
 */

/* The kind's tag, beside "security": GitHub filters alerts by tag. */
static const char *check_tag(enum check_kind kind)
{
	switch (kind) {
	case CHECK_KIND_SECRET:
		return "secret";
	case CHECK_KIND_DOCKERFILE:
		return "dockerfile";
	default:
		return "misconfiguration";
	}
}

/* Append s as one line of plain text, cut at max bytes: valid UTF-8, control characters as spaces. */
static void add_plain(struct strbuf *sb, const char *s, size_t max)
{
	struct strbuf clipped = STRBUF_INIT;
	char *clean;

	report_add_clipped(&clipped, s ? s : "", max);
	clean = utf8_sanitize(clipped.buf, clipped.len);
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		/* C1 controls are two bytes in UTF-8: U+0080..U+009F. */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			strbuf_addch(sb, ' ');
			p++;
		} else {
			strbuf_addch(sb, *p < 0x20 || *p == 0x7f ? ' ' : (char)*p);
		}
	}
	free(clean);
	strbuf_release(&clipped);
}


/* Where GitHub shows check finding f: the artifact's URI and the line. */
static uint64_t add_check_location_uri(struct strbuf *sb, const struct sarif *s,
				       const struct check_finding *f)
{
	const char *dockerfile = s->in->checks->dockerfile;

	if (f->path && f->path_is_dockerfile) {
		add_uri_path(sb, relative_path(f->path));
		return f->line ? f->line : 1;
	}
	if (f->dockerfile_line && dockerfile && *dockerfile) {
		add_uri_path(sb, relative_path(dockerfile));
		return f->dockerfile_line;
	}
	strbuf_add(sb, s->image.buf, s->image.len);
	strbuf_addch(sb, '/');
	if (f->path && *f->path) {
		add_uri_path(sb, f->path);
		return f->line ? f->line : 1;
	}
	add_uri_path(sb, "config.json");
	return 1;
}

/* Rows of a check rule's help beyond which only a count is given: the JSON report has them all. */
#define MAX_CHECK_HELP_ROWS 50

static void add_check_help(cJSON *rule_obj, const struct sarif *s, const struct check_rule *rule)
{
	struct strbuf text = STRBUF_INIT, md = STRBUF_INIT, where = STRBUF_INIT;
	size_t rows = 0, more = 0;
	cJSON *help;

	strbuf_addf(&text, "%s. %s\n\nRemediation: %s\n\nFound at:", rule->title, rule->why,
		    rule->remediation);
	strbuf_addstr(&md, "**");
	report_add_markdown_cell(&md, rule->title, 4 * MAX_CELL);
	strbuf_addstr(&md, "**\n\n");
	report_add_markdown_cell(&md, rule->why, SARIF_MAX_DESCRIPTION);
	strbuf_addstr(&md, "\n\n**Remediation:** ");
	report_add_markdown_cell(&md, rule->remediation, SARIF_MAX_DESCRIPTION);
	strbuf_addstr(&md, "\n\n| Where | Subject |\n| --- | --- |\n");
	for (size_t i = 0; i < s->nr_checks_kept; i++) {
		const struct check_finding *f = check_at(s, i);

		if (f->rule != rule)
			continue;
		if (rows == MAX_CHECK_HELP_ROWS) {
			more++;
			continue;
		}
		rows++;
		strbuf_reset(&where);
		report_add_check_where(&where, f);
		strbuf_addstr(&text, "\n- ");
		add_plain(&text, where.buf, MAX_CELL);
		strbuf_addstr(&text, ": ");
		add_plain(&text, f->subject && *f->subject ? f->subject : f->detail, MAX_CELL);
		strbuf_addstr(&md, "| ");
		report_add_markdown_cell(&md, where.buf, MAX_CELL);
		strbuf_addstr(&md, " | ");
		report_add_markdown_cell(&md, f->subject && *f->subject ? f->subject : f->detail, MAX_CELL);
		strbuf_addstr(&md, " |\n");
	}
	if (more) {
		strbuf_addf(&text, "\n- and %zu more", more);
		strbuf_addf(&md, "\nand %zu more in the JSON report.\n", more);
	}
	help = rjson_add_object(rule_obj, "help");
	rjson_add_string(help, "text", text.buf);
	rjson_add_string(help, "markdown", md.buf);
	strbuf_release(&text);
	strbuf_release(&md);
	strbuf_release(&where);
}

static void add_check_rule(cJSON *rules, const struct sarif *s, const struct check_rule *rule)
{
	cJSON *obj = rjson_add_object(rules, NULL);
	cJSON *props, *tags;
	struct strbuf clipped = STRBUF_INIT;

	rjson_add_string(obj, "id", rule->id);
	report_add_clipped(&clipped, rule->title, SARIF_MAX_DESCRIPTION);
	rjson_add_string(rjson_add_object(obj, "shortDescription"), "text", clipped.buf);
	strbuf_reset(&clipped);
	report_add_clipped(&clipped, rule->why, SARIF_MAX_DESCRIPTION);
	rjson_add_string(rjson_add_object(obj, "fullDescription"), "text", clipped.buf);
	rjson_add_string(rjson_add_object(obj, "defaultConfiguration"), "level", level_of(rule->severity));
	add_check_help(obj, s, rule);
	props = rjson_add_object(obj, "properties");
	add_score(props,
		  representative_score[rule->severity < SEVERITY_COUNT ? rule->severity : SEVERITY_UNKNOWN]);
	rjson_add_string(props, "precision", "high");
	tags = rjson_add_array(props, "tags");
	rjson_add_string(tags, NULL, "security");
	rjson_add_string(tags, NULL, check_tag(rule->kind));
	rjson_add_string(tags, NULL, severity_name(rule->severity));
	strbuf_release(&clipped);
}

/* How the gate took check finding i, as policy_state() says it for vulnerabilities. */
static const char *check_policy_state(const struct report_verdict *v, const struct check_finding *f, size_t i)
{
	if (!v)
		return NULL;
	if (f->suppressed_by)
		return "suppressed";
	if (v->check_failing && v->check_failing[i])
		return "failing";
	return "passing";
}

static void add_check_result(cJSON *results, const struct sarif *s, size_t pos)
{
	const struct check_finding *f = check_at(s, pos);
	const struct check_rule *rule = f->rule;
	const struct image_layer *layer = report_layer(s->in->img, f->layer);
	cJSON *result = rjson_add_object(results, NULL);
	cJSON *loc, *phys, *props;
	struct strbuf sb = STRBUF_INIT, uri = STRBUF_INIT;
	uint64_t line;

	rjson_add_string(result, "ruleId", rule->id);
	rjson_add_int(result, "ruleIndex", (long long)check_rule_index(s, rule));
	rjson_add_string(result, "level", level_of(rule->severity));
	add_plain(&sb, rule->title, MAX_CELL);
	if (f->subject && *f->subject) {
		strbuf_addstr(&sb, ": ");
		add_plain(&sb, f->subject, MAX_CELL);
	}
	strbuf_addstr(&sb, ".");
	if (f->detail && *f->detail) {
		strbuf_addch(&sb, ' ');
		add_plain(&sb, f->detail, SARIF_MAX_DESCRIPTION);
	}
	rjson_add_string(rjson_add_object(result, "message"), "text", sb.buf);

	line = add_check_location_uri(&uri, s, f);
	loc = rjson_add_object(rjson_add_array(result, "locations"), NULL);
	phys = rjson_add_object(loc, "physicalLocation");
	rjson_add_string(rjson_add_object(phys, "artifactLocation"), "uri", uri.buf);
	rjson_add_u64(rjson_add_object(phys, "region"), "startLine", line);

	/*
	 * The identity of a finding, not of where it sits today: line numbers
	 * shift with every edit and layer digests with every build.
	 */
	strbuf_reset(&sb);
	report_hash_hex(&sb, 16, rule->id, s->image.buf, f->path ? f->path : "", f->subject ? f->subject : "",
			NULL);
	strbuf_addstr(&sb, ":1");
	rjson_add_string(rjson_add_object(result, "partialFingerprints"), "primaryLocationLineHash", sb.buf);

	if (f->suppressed_by) {
		cJSON *sup = rjson_add_object(rjson_add_array(result, "suppressions"), NULL);
		rjson_add_string(sup, "kind", "external");
		rjson_add_string(sup, "status", "accepted");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s: %s", f->suppressed_by,
			    f->suppressed_reason && *f->suppressed_reason ? f->suppressed_reason
									  : "no reason given");
		rjson_add_string(sup, "justification", sb.buf);
	}

	props = rjson_add_object(result, "properties");
	rjson_add_string(props, "severity", severity_name(rule->severity));
	rjson_add_string(props, "checkKind", check_kind_name(rule->kind));
	if (f->path && !f->path_is_dockerfile) {
		strbuf_reset(&sb);
		report_add_abs_path(&sb, f->path);
		rjson_add_string(props, "path", sb.buf);
	}
	if (layer) {
		rjson_add_int(props, "layerIndex", f->layer);
		rjson_add_string_opt(props, "layerDiffId", layer->diff_id);
	}
	rjson_add_string_opt(props, "instruction", f->instruction);
	rjson_add_string_opt(props, "policy", check_policy_state(s->in->verdict, f, s->check_order[pos]));
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
	size_t total = res->nr_findings + s->nr_checks, kept = s->nr_kept + s->nr_checks_kept;

	rjson_add_bool(inv, "executionSuccessful", 1);
	if (kept < total) {
		size_t left[SEVERITY_COUNT] = { 0 };
		struct strbuf sb = STRBUF_INIT;
		int any = 0;

		for (size_t i = s->nr_kept; i < res->nr_findings; i++)
			left[finding_at(s, i)->severity < SEVERITY_COUNT ? finding_at(s, i)->severity : 0]++;
		for (size_t i = s->nr_checks_kept; i < s->nr_checks; i++)
			left[check_at(s, i)->rule->severity < SEVERITY_COUNT ? check_at(s, i)->rule->severity
									     : 0]++;
		strbuf_addf(&sb,
			    "%zu of %zu findings were left out, the least severe first, because GitHub code "
			    "scanning keeps at most %d results per run:",
			    total - kept, total, SARIF_MAX_RESULTS);
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
	for (size_t i = 0; i < s.nr_check_rules; i++)
		add_check_rule(rules, &s, s.check_rules[i]);

	/* One category per image, or GitHub replaces one image's alerts with another's. */
	strbuf_addf(&category, "%s/%s/", in->tool_name, s.image.buf);
	rjson_add_string(rjson_add_object(run, "automationDetails"), "id", category.buf);
	strbuf_release(&category);
	add_invocation(run, &s);
	results = rjson_add_array(run, "results");
	for (size_t i = 0; i < s.nr_kept; i++)
		add_result(results, &s, i);
	for (size_t i = 0; i < s.nr_checks_kept; i++)
		add_check_result(results, &s, i);
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
