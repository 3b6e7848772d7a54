/* GitLab container scanning report (gl-container-scanning-report.json), see docs/report-formats.md. */
#include <stdlib.h>
#include <string.h>

#include "report/findings.h"
#include "report/writer.h"
#include "util/error.h"

/*
 * GitLab ignores a report whose declared schema version it does not know,
 * and releases 17.1 and 17.2 refused 15.2.x, so the default is an older
 * version every current release reads, and the environment can change it.
 */
#define GITLAB_DEFAULT_VERSION "15.0.7"
#define GITLAB_VERSION_ENV "CUSTOMS_GITLAB_REPORT_VERSION"
#define MAX_VERSION_LEN 32
/* The limits of GitLab's schema, in characters; bytes are never fewer. */
#define MAX_NAME 255
#define MAX_DESCRIPTION (1024 * 1024)
#define MAX_SOLUTION 7000

static void add_clipped(cJSON *obj, const char *key, const char *s, size_t max)
{
	struct strbuf sb = STRBUF_INIT;

	report_add_clipped(&sb, s, max);
	rjson_add_string(obj, key, sb.buf);
	strbuf_release(&sb);
}

/* MAJOR.MINOR.PATCH in digits, as GitLab's schema versions are written. */
static int valid_schema_version(const char *v)
{
	int parts = 0;
	size_t len = strlen(v);

	if (!len || len > MAX_VERSION_LEN)
		return 0;
	for (const char *p = v; *p;) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		parts++;
		if (*p == '.' && p[1])
			p++;
		else if (*p)
			return 0;
	}
	return parts == 3;
}

/* GitLab wants "YYYY-MM-DDTHH:MM:SS": RFC 3339 without the zone letter. */
static void add_time(cJSON *obj, const char *key, time_t t)
{
	char buf[32];
	size_t len;

	report_format_time(t, buf);
	len = strlen(buf);
	if (len && buf[len - 1] == 'Z')
		buf[len - 1] = '\0';
	rjson_add_string(obj, key, buf);
}

static void add_tool(cJSON *scan, const char *key, const struct report_input *in)
{
	cJSON *tool = rjson_add_object(scan, key);

	rjson_add_string(tool, "id", in->tool_name);
	rjson_add_string(tool, "name", "Customs");
	rjson_add_string(tool, "version", in->tool_version && *in->tool_version ? in->tool_version : "unknown");
	rjson_add_string(rjson_add_object(tool, "vendor"), "name", "Customs");
}

/*
 * The canonical page of an identifier: the CVE record for a CVE, and the
 * OSV entry, which covers every ID the database imports (GHSA, DSA, ...),
 * for anything else. The ID is checked to hold only URL-safe characters.
 */
static void add_identifier(cJSON *ids, const char *id)
{
	cJSON *ident = rjson_add_object(ids, NULL);
	struct strbuf type = STRBUF_INIT, url = STRBUF_INIT;
	int safe = *id != '\0';

	for (const char *p = id; *p && *p != '-'; p++)
		strbuf_addch(&type, (*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	for (const char *p = id; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.' || *p == ':'))
			safe = 0;
	rjson_add_string(ident, "type", type.len ? type.buf : "advisory");
	rjson_add_string(ident, "name", id);
	rjson_add_string(ident, "value", id);
	if (safe) {
		if (!strncmp(id, "CVE-", 4))
			strbuf_addf(&url, "https://www.cve.org/CVERecord?id=%s", id);
		else
			strbuf_addf(&url, "https://osv.dev/vulnerability/%s", id);
		rjson_add_string(ident, "url", url.buf);
	}
	strbuf_release(&type);
	strbuf_release(&url);
}

static void add_vulnerability(cJSON *vulns, const struct report_input *in, const struct finding *f,
			      const char *image, const char *repository, const char *os)
{
	const struct package *pkg = report_finding_package(in, f);
	const char *name = pkg->name && *pkg->name ? pkg->name : "unknown";
	cJSON *vuln = rjson_add_object(vulns, NULL);
	cJSON *ids, *loc, *dep;
	struct strbuf sb = STRBUF_INIT;

	/* The same vulnerability in the same installed package keeps its UUID across scans and tags of the image. */
	report_name_uuid(&sb, "customs-gitlab", repository, f->id, name, pkg->path ? pkg->path : "",
			 pkg->install_path ? pkg->install_path : "", NULL);
	rjson_add_string(vuln, "id", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s in %s", f->id, name);
	add_clipped(vuln, "name", f->title && *f->title ? f->title : sb.buf, MAX_NAME);
	strbuf_reset(&sb);
	if (f->title && *f->title)
		strbuf_addf(&sb, "%s. ", f->title);
	strbuf_addf(&sb, "%s %s is affected by %s (%s severity).", name, pkg->version ? pkg->version : "", f->id,
		    severity_name(f->severity));
	if (f->vex_status)
		strbuf_addf(&sb, " VEX status: %s.", f->vex_status);
	add_clipped(vuln, "description", sb.buf, MAX_DESCRIPTION);
	rjson_add_string(vuln, "severity", report_severity_title(f->severity));
	strbuf_reset(&sb);
	if (f->fixed_version)
		strbuf_addf(&sb, "Upgrade %s to %s or later.", name, f->fixed_version);
	else
		strbuf_addf(&sb, "No fixed version of %s is available yet.", name);
	add_clipped(vuln, "solution", sb.buf, MAX_SOLUTION);

	loc = rjson_add_object(vuln, "location");
	dep = rjson_add_object(loc, "dependency");
	rjson_add_string(rjson_add_object(dep, "package"), "name", name);
	rjson_add_string(dep, "version", pkg->version && *pkg->version ? pkg->version : "unknown");
	rjson_add_string(loc, "operating_system", os);
	rjson_add_string(loc, "image", image);

	ids = rjson_add_array(vuln, "identifiers");
	add_identifier(ids, f->id);
	for (size_t i = 0; i < f->nr_aliases; i++)
		add_identifier(ids, f->aliases[i]);
	strbuf_release(&sb);
}

static int write_gitlab(FILE *out, const struct report_input *in, struct strbuf *err)
{
	const char *version = getenv(GITLAB_VERSION_ENV);
	const struct os_info *os = &in->cat->os;
	const char *image = report_image_name(in->img);
	struct strbuf os_name = STRBUF_INIT, repository = STRBUF_INIT;
	cJSON *root, *scan, *vulns;

	if (!version || !*version)
		version = GITLAB_DEFAULT_VERSION;
	if (!valid_schema_version(version))
		return error_code(err, ERR_USAGE, "invalid %s '%.*s': expected MAJOR.MINOR.PATCH such as %s",
				  GITLAB_VERSION_ENV, MAX_VERSION_LEN, version, GITLAB_DEFAULT_VERSION);
	/* GitLab needs a non-empty operating system; "debian 12" as its own reports write it. */
	if (os->id && *os->id)
		strbuf_addf(&os_name, "%s %s", os->id, os->version_id ? os->version_id : "");
	while (os_name.len && os_name.buf[os_name.len - 1] == ' ')
		os_name.buf[--os_name.len] = '\0';
	if (!os_name.len)
		strbuf_addstr(&os_name, "unknown");

	report_image_short_name(&repository, in->img);
	root = rjson_object();
	rjson_add_string(root, "version", version);
	scan = rjson_add_object(root, "scan");
	add_tool(scan, "analyzer", in);
	add_tool(scan, "scanner", in);
	rjson_add_string(scan, "type", "container_scanning");
	/* The scan finishes when the report is written; the input carries one time for both. */
	add_time(scan, "start_time", in->timestamp);
	add_time(scan, "end_time", in->timestamp);
	rjson_add_string(scan, "status", "success");
	vulns = rjson_add_array(root, "vulnerabilities");
	/* GitLab has no field for a suppression: a suppressed finding stays out of its report. */
	if (in->match)
		for (size_t i = 0; i < in->match->nr_findings; i++)
			if (report_finding_active(&in->match->findings[i]))
				add_vulnerability(vulns, in, &in->match->findings[i], image, repository.buf,
						  os_name.buf);
	strbuf_release(&os_name);
	strbuf_release(&repository);
	return rjson_write(out, root, err);
}

const struct report_writer report_writer_gitlab = {
	.name = "gitlab",
	.description = "GitLab container scanning report",
	.write = write_gitlab,
};
