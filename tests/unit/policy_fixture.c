/* The policy tests' fixture: a catalog and a match result built by hand. */
#include "policy_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/xalloc.h"

void policy_fixture_init(struct policy_fixture *f)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->err, 0);
	strbuf_init(&f->text, 0);
	f->cat.os.id = "debian";
	f->cat.os.version_id = "12";
	f->res = xcalloc(1, sizeof(*f->res));
	f->res->findings =
	    arena_alloc(&f->res->arena, POLICY_FIXTURE_MAX_FINDINGS * sizeof(*f->res->findings));
}

void policy_fixture_release(struct policy_fixture *f)
{
	match_result_free(f->res);
	package_list_release(&f->cat.packages);
	warnings_release(&f->cat.warnings);
	arena_release(&f->cat.arena);
	strbuf_release(&f->err);
	strbuf_release(&f->text);
}

size_t policy_fixture_package(struct policy_fixture *f, const char *type, const char *name,
			      const char *version, const char *purl, const char *path,
			      const char *install_path)
{
	struct package *p = package_list_append(&f->cat.packages);

	p->type = type;
	p->name = name;
	p->version = version;
	p->purl = purl;
	p->path = path;
	p->install_path = install_path;
	p->layer = 0;
	return f->cat.packages.nr - 1;
}

struct finding *policy_fixture_finding(struct policy_fixture *f, const char *id, const char *aliases,
				       size_t pkg, enum severity sev, const char *fixed)
{
	struct finding *fi;
	char *copy, *p;

	CHECK(f->res->nr_findings < POLICY_FIXTURE_MAX_FINDINGS);
	fi = &f->res->findings[f->res->nr_findings++];
	memset(fi, 0, sizeof(*fi));
	fi->id = id;
	fi->package = pkg;
	fi->severity = sev;
	fi->fixed_version = fixed;
	fi->layer = 0;
	f->res->counts[sev]++;
	copy = arena_strdup(&f->res->arena, aliases ? aliases : "");
	fi->aliases = arena_alloc(&f->res->arena, (strlen(copy) / 2 + 1) * sizeof(*fi->aliases));
	for (p = copy; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		fi->aliases[fi->nr_aliases++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return fi;
}

const char *policy_fixture_marks(struct policy_fixture *f)
{
	strbuf_reset(&f->text);
	for (size_t i = 0; i < f->res->nr_findings; i++) {
		const struct finding *fi = &f->res->findings[i];

		strbuf_addstr(&f->text, fi->id);
		if (fi->suppressed_by)
			strbuf_addf(&f->text, " %s:%s", fi->suppressed_by, fi->suppressed_reason);
		if (fi->vex_status)
			strbuf_addf(&f->text, " vex:%s:%s", fi->vex_status,
				    fi->vex_detail ? fi->vex_detail : "-");
		if (!fi->suppressed_by && !fi->vex_status)
			strbuf_addstr(&f->text, " -");
		strbuf_addch(&f->text, '\n');
	}
	return f->text.buf;
}

int policy_fixture_warned(const struct policy_fixture *f, const char *const *words)
{
	for (size_t i = 0; i < f->res->warnings.nr; i++) {
		const char *const *w;

		for (w = words; *w && strstr(f->res->warnings.msgs[i], *w); w++)
			;
		if (!*w)
			return 1;
	}
	return 0;
}

void policy_fixture_scene(struct policy_fixture *f)
{
	policy_fixture_package(f, "deb", "libc6", "2.36-9+deb12u4",
			       "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
			       "var/lib/dpkg/status", NULL);
	policy_fixture_package(f, "deb", "openssl", "3.0.11-1~deb12u2",
			       "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
			       "var/lib/dpkg/status", NULL);
	policy_fixture_package(f, "npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0",
			       "app/node_modules/left-pad/package.json", "app/node_modules/left-pad");
	policy_fixture_package(f, "npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0",
			       "app/node_modules/@scope/pkg/node_modules/left-pad/package.json",
			       "app/node_modules/@scope/pkg/node_modules/left-pad");
	policy_fixture_package(f, "npm", "@scope/pkg", "1.2.3", "pkg:npm/%40scope/pkg@1.2.3",
			       "app/node_modules/@scope/pkg/package.json", "app/node_modules/@scope/pkg");
}
