/* Findings for the tests of the SARIF, GitLab, JUnit and Markdown writers. */
#include "report_scan_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static const char *libc_aliases[] = { "DSA-5514-1", "GHSA-m77w-6vjw-wh2f" };

void scan_fixture_attach(struct report_fixture *f, struct match_result *res, struct finding *findings,
			 size_t nr)
{
	res->findings = findings;
	res->nr_findings = nr;
	for (size_t i = 0; i < nr; i++)
		res->counts[findings[i].severity]++;
	res->nr_packages_looked_up = REPORT_FIXTURE_PACKAGES;
	warnings_add(&res->warnings, &res->arena, "cannot compare version 'x!y' of 'evil' (npm)");
	f->in.match = res;
}

void scan_fixture_detach(struct match_result *res)
{
	warnings_release(&res->warnings);
	arena_release(&res->arena);
}

void scan_fixture_init(struct scan_fixture *s)
{
	memset(s, 0, sizeof(*s));
	report_fixture_init(&s->f);
	s->findings[0] = (struct finding){
		.id = "CVE-2024-1111",
		.package = 2,
		.ecosystem = "npm",
		.fixed_version = "1.2.4",
		.severity = SEVERITY_CRITICAL,
		.severity_source = SEVERITY_FROM_CVSS,
		.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		.cvss = { .version = 31, .score = 9.8 },
		.title = SCAN_FIXTURE_HOSTILE_TITLE,
		.layer = 1,
	};
	s->findings[1] = (struct finding){
		.id = "CVE-2023-4911",
		.aliases = libc_aliases,
		.nr_aliases = 2,
		.package = 1,
		.ecosystem = "Debian:12",
		.fixed_version = "2.36-9+deb12u3",
		.severity = SEVERITY_HIGH,
		.severity_source = SEVERITY_FROM_DISTRIBUTION,
		.cvss_vector = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
		.cvss = { .version = 31, .score = 7.8 },
		.title = "glibc: buffer overflow in the dynamic loader",
		.layer = 0,
		.vex_status = "affected",
		.vex_detail = "upgrade planned",
	};
	s->findings[2] = (struct finding){
		.id = "CVE-2023-9999",
		.package = 1,
		.ecosystem = "Debian:12",
		.severity = SEVERITY_HIGH,
		.severity_source = SEVERITY_FROM_DISTRIBUTION,
		.layer = 0,
		.suppressed_by = "vex",
		.suppressed_reason = "not_affected: vulnerable_code_not_in_execute_path",
	};
	/* Rated medium by the advisory although its CVSS score says critical. */
	s->findings[3] = (struct finding){
		.id = "GHSA-aaaa-bbbb-cccc",
		.package = 4,
		.ecosystem = "npm",
		.fixed_version = "1.3.1",
		.severity = SEVERITY_MEDIUM,
		.severity_source = SEVERITY_FROM_ADVISORY,
		.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L",
		.cvss = { .version = 31, .score = 9.4 },
		.layer = 1,
	};
	s->findings[4] = s->findings[3];
	s->findings[4].package = 5;
	s->findings[5] = (struct finding){
		.id = "CVE-2024-0003",
		.package = 3,
		.ecosystem = "npm",
		.fixed_version = "1.0.1",
		.severity = SEVERITY_LOW,
		.severity_source = SEVERITY_FROM_CVSS,
		.cvss_vector = "CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
		.cvss = { .version = 40, .score = 1.0 },
		.title = "evil \x1b]0;owned\x07 title \xff\x01",
		.layer = 7,
	};
	s->findings[6] = (struct finding){
		.id = "OSV-2024-1",
		.package = 5,
		.ecosystem = "npm",
		.severity = SEVERITY_UNKNOWN,
		.severity_source = SEVERITY_FROM_NONE,
		.layer = 1,
		.suppressed_by = "ignore",
		.suppressed_reason = "not reachable <b>& | `",
	};
	scan_fixture_attach(&s->f, &s->res, s->findings, SCAN_FIXTURE_FINDINGS);
}

void scan_fixture_many(struct scan_fixture *s, size_t nr, size_t nr_high, size_t title_len)
{
	char *title = arena_alloc(&s->res.arena, title_len + 1);

	memset(title, 'x', title_len);
	title[title_len] = '\0';
	s->many = xcalloc(nr ? nr : 1, sizeof(*s->many));
	memset(s->res.counts, 0, sizeof(s->res.counts));
	for (size_t i = 0; i < nr; i++) {
		struct finding *f = &s->many[i];

		f->id = arena_printf(&s->res.arena, "CVE-2099-%06zu", i);
		f->package = i % REPORT_FIXTURE_PACKAGES;
		f->ecosystem = "npm";
		f->fixed_version = "9.9.9";
		f->severity = i < nr_high ? SEVERITY_HIGH : SEVERITY_LOW;
		f->title = title;
		f->layer = -1;
		s->res.counts[f->severity]++;
	}
	s->res.findings = s->many;
	s->res.nr_findings = nr;
}

void scan_fixture_gate(struct scan_fixture *s, int audit)
{
	static const char *const reasons[] = {
		"2 findings at or above high: CVE-2024-1111 in @scope/pkg, CVE-2023-4911 in <libc6> | x",
	};

	/* The second copy of left-pad has no fix, so --only-fixed leaves it out. */
	s->findings[4].fixed_version = NULL;
	memset(s->failing, 0, sizeof(s->failing));
	memset(s->excluded, 0, sizeof(s->excluded));
	s->failing[0] = s->failing[1] = 1;
	for (size_t i = 0; i < SCAN_FIXTURE_FINDINGS; i++)
		s->excluded[i] = !s->findings[i].fixed_version && !s->findings[i].suppressed_by;
	s->verdict = (struct report_verdict){
		.passed = audit,
		.would_fail = 1,
		.audit = audit,
		.reasons = reasons,
		.nr_reasons = 1,
		.failing = s->failing,
		.excluded = s->excluded,
	};
	s->f.in.verdict = &s->verdict;
}

void scan_fixture_release(struct scan_fixture *s)
{
	free(s->many);
	scan_fixture_detach(&s->res);
	report_fixture_release(&s->f);
}

char *scan_fixture_render(const struct report_writer *w, struct scan_fixture *s)
{
	int ret;
	char *text = report_render(w, &s->f.in, &ret);

	CHECK_INT(ret, 0);
	CHECK(text != NULL);
	if (!text)
		return xstrdup("");
	CHECK(utf8_is_valid(text, strlen(text)));
	/* Nothing from the image reaches a report raw: no terminal escapes, no bell. */
	CHECK(!strchr(text, '\x1b') && !strchr(text, '\x07') && !strchr(text, '\x01'));
	return text;
}

int scan_has(const char *text, const char *needle)
{
	return text && strstr(text, needle) != NULL;
}

size_t scan_count(const char *text, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *p = text; p && (p = strstr(p, needle)); p += len)
		n++;
	return n;
}
