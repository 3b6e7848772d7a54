/* The report writer tests' fixture: an image and catalog as the real producers would fill them. */
#include "report_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "report/license.h"
#include "test.h"
#include "util/xalloc.h"

static const struct package fixture_packages[REPORT_FIXTURE_PACKAGES] = {
	{
		.name = "base-files",
		.version = "12.4+deb12u5",
		.type = "deb",
		.cataloger = "dpkg",
		.purl = "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
		.source_name = "base-files",
		.source_version = "12.4+deb12u5",
		.arch = "amd64",
		.path = "var/lib/dpkg/status",
		.layer = 0,
	},
	{
		.name = "libc6",
		.version = "2.36-9+deb12u4",
		.type = "deb",
		.cataloger = "dpkg",
		.purl = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
		.source_name = "glibc",
		.source_version = "2.36-9+deb12u4",
		.arch = "amd64",
		.path = "var/lib/dpkg/status",
		.layer = 0,
	},
	{
		.name = "@scope/pkg",
		.version = "1.2.3",
		.type = "npm",
		.cataloger = "npm",
		.purl = "pkg:npm/%40scope/pkg@1.2.3",
		.license = "(mit OR apache-2.0)",
		.path = "app/node_modules/@scope/pkg/package.json",
		.layer = 1,
	},
	{
		.name = "evil\x1b[31m\xff\xfe",
		.version = "1.0.0\x07",
		.type = "npm",
		.cataloger = "npm",
		.purl = "pkg:npm/evil@1.0.0",
		.license = "SEE LICENSE IN \xc0LICENSE.md",
		.path = "app/node_modules/evil/package.json",
		.layer = 7,
	},
	{
		.name = "left-pad",
		.version = "1.3.0",
		.type = "npm",
		.cataloger = "npm",
		.purl = "pkg:npm/left-pad@1.3.0",
		.license = "WTFPL",
		.path = "app/node_modules/@scope/pkg/node_modules/left-pad/package.json",
		.layer = 1,
	},
	{
		.name = "left-pad",
		.version = "1.3.0",
		.type = "npm",
		.cataloger = "npm",
		.purl = "pkg:npm/left-pad@1.3.0",
		.license = "WTFPL",
		.path = "app/node_modules/left-pad/package.json",
		.layer = 1,
	},
};

static void init_common(struct report_fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->cat.img = &f->img;
	f->in.img = &f->img;
	f->in.cat = &f->cat;
	f->in.tool_name = "customs";
	f->in.tool_version = "0.1.0";
	f->in.timestamp = 1700000000;
	f->in.serial = REPORT_FIXTURE_SERIAL;
}

void report_fixture_init(struct report_fixture *f)
{
	init_common(f);
	f->layers[0] = (struct image_layer){
		.digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111",
		.diff_id = "sha256:aaaa111111111111111111111111111111111111111111111111111111111111",
		.media_type = "application/vnd.oci.image.layer.v1.tar+gzip",
		.created_by = "/bin/sh -c #(nop) ADD file:0123 in / ",
		.size = 29150000,
		.uncompressed_size = 80000000,
	};
	f->layers[1] = (struct image_layer){
		.digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222",
		.diff_id = "sha256:bbbb222222222222222222222222222222222222222222222222222222222222",
		.media_type = "application/vnd.oci.image.layer.v1.tar+zstd",
		.created_by = "RUN npm install \"@scope/pkg\" \xe2\x9c\x93",
		.size = 6000000000ull,
		.uncompressed_size = 7000000000ull,
	};
	f->tags[0] = "example/app:1.0";
	f->img.kind = IMAGE_OCI_ARCHIVE;
	f->img.source = "app.tar";
	f->img.digest = "sha256:cccc333333333333333333333333333333333333333333333333333333333333";
	f->img.config_digest = "sha256:dddd444444444444444444444444444444444444444444444444444444444444";
	f->img.os = "linux";
	f->img.architecture = "amd64";
	f->img.repo_tags = f->tags;
	f->img.nr_repo_tags = 1;
	f->img.layers = f->layers;
	f->img.nr_layers = 2;
	warnings_add(&f->img.warnings, &f->img.arena, "layer 1: skipped device node 'dev/null'");

	f->cat.os = (struct os_info){
		.id = "debian",
		.version_id = "12",
		.version_codename = "bookworm",
		.pretty_name = "Debian GNU/Linux 12 (bookworm)",
		.source_path = "etc/os-release",
	};
	f->cat.packages.items = xmemdup(fixture_packages, sizeof(fixture_packages));
	f->cat.packages.nr = f->cat.packages.alloc = REPORT_FIXTURE_PACKAGES;
	warnings_add(&f->cat.warnings, &f->cat.arena,
		     "cannot parse 'var/lib/dpkg/status.d/x\xfe': missing Package");
}

void report_fixture_init_empty(struct report_fixture *f)
{
	init_common(f);
	f->img.kind = IMAGE_ROOTFS;
	f->img.source = "dir:/srv/rootfs";
}

void report_fixture_init_licenses(struct report_fixture *f)
{
	size_t nr_ids = 0, nr_exceptions = 0, n = 0;
	struct package *items;

	init_common(f);
	f->img.kind = IMAGE_ROOTFS;
	f->img.source = "dir:licenses";
	while (license_ids[nr_ids])
		nr_ids++;
	while (license_exception_ids[nr_exceptions])
		nr_exceptions++;
	items = xcalloc(nr_ids + nr_exceptions, sizeof(*items));
	for (size_t i = 0; i < nr_ids + nr_exceptions; i++) {
		struct package *pkg = &items[n++];

		pkg->name = arena_printf(&f->cat.arena, "lic-%zu", i);
		pkg->version = "1.0.0";
		pkg->type = "npm";
		pkg->purl = arena_printf(&f->cat.arena, "pkg:npm/lic-%zu@1.0.0", i);
		pkg->path = arena_printf(&f->cat.arena, "node_modules/lic-%zu/package.json", i);
		pkg->layer = -1;
		if (i < nr_ids)
			pkg->license = license_ids[i];
		else
			pkg->license = arena_printf(&f->cat.arena, "GPL-2.0-or-later WITH %s",
						    license_exception_ids[i - nr_ids]);
	}
	f->cat.packages.items = items;
	f->cat.packages.nr = f->cat.packages.alloc = n;
}

void report_fixture_release(struct report_fixture *f)
{
	free(f->cat.packages.items);
	warnings_release(&f->img.warnings);
	warnings_release(&f->cat.warnings);
	arena_release(&f->img.arena);
	arena_release(&f->cat.arena);
}

char *report_render(const struct report_writer *w, const struct report_input *in, int *ret)
{
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	*ret = w->write(out, in, &err);
	fclose(out);
	if (*ret)
		fprintf(stderr, "  %s: %s\n", w->name, err.buf);
	strbuf_release(&err);
	return buf;
}

void report_write_sample(const char *dir, const char *name, const struct report_writer *w,
			 const struct report_input *in)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	FILE *fp;

	strbuf_addf(&path, "%s/%s", dir, name);
	fp = fopen(path.buf, "w");
	CHECK(fp != NULL);
	if (fp) {
		CHECK_INT(w->write(fp, in, &err), 0);
		fclose(fp);
	}
	strbuf_release(&path);
	strbuf_release(&err);
}
