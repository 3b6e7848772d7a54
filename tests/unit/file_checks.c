/* File checks in the streaming pass: secrets, setuid files, package caches, and hostile layers. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/file_checks.h"
#include "image/image.h"
#include "image_fixture.h"
#include "test.h"
#include "util/error.h"

#define KINDS_FILES ((1u << CHECK_KIND_CONFIG) | (1u << CHECK_KIND_SECRET))

/* A made-up token body: letters and digits from a small generator, never a real credential. */
static void add_random(struct strbuf *sb, const char *alphabet, size_t n, unsigned seed)
{
	size_t len = strlen(alphabet), i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		strbuf_addch(sb, alphabet[(seed >> 16) % len]);
	}
}

static const char base62[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char upper36[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

struct scan {
	struct image *img;
	struct file_checks *fc;
	struct check_results res;
	int rc;
	struct strbuf err;
};

/* Open an OCI archive of the layers with the file checks observing, and collect findings. */
static void scan_layers(struct scan *s, struct fx_layer *layers, size_t n, const char *config_extra,
			int docker)
{
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct image_options opt;

	memset(s, 0, sizeof(*s));
	strbuf_init(&s->err, 0);
	check_results_init(&s->res);
	o.config_extra = config_extra;
	if (docker)
		fx_build_docker_legacy(&a, layers, n, &o, &d);
	else
		fx_build_oci(&a, layers, n, &o, &d);
	s->fc = file_checks_new(KINDS_FILES);
	fx_options(&opt);
	opt.observer = file_checks_observer(s->fc);
	s->rc = fx_open_archive(&s->img, &a, &opt, &s->err);
	if (!s->rc)
		image_checks_collect(s->fc, s->img, KINDS_FILES, &s->res);
	fx_release(&a);
	fx_layers_release(layers, n);
}

static void scan_release(struct scan *s)
{
	image_free(s->img);
	file_checks_free(s->fc);
	check_results_release(&s->res);
	strbuf_release(&s->err);
}

static size_t count_rule(const struct check_results *res, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < res->nr; i++)
		if (!strcmp(res->findings[i].rule->id, id))
			n++;
	return n;
}

static const struct check_finding *find_rule(const struct check_results *res, const char *id,
					     const char *path)
{
	size_t i;

	for (i = 0; i < res->nr; i++)
		if (!strcmp(res->findings[i].rule->id, id) &&
		    (!path || (res->findings[i].path && !strcmp(res->findings[i].path, path))))
			return &res->findings[i];
	return NULL;
}

/* No string of any finding holds the secret. */
static int leaks(const struct check_results *res, const char *secret)
{
	size_t i;

	for (i = 0; i < res->nr; i++) {
		const struct check_finding *f = &res->findings[i];
		const char *strs[] = {f->path, f->subject, f->detail, f->instruction};
		size_t k;

		for (k = 0; k < 4; k++)
			if (strs[k] && strstr(strs[k], secret))
				return 1;
	}
	return 0;
}

TEST(file_checks_secret_in_deleted_file)
{
	struct strbuf token = STRBUF_INIT, text = STRBUF_INIT;
	struct fx_layer l[2];
	struct scan s;
	const struct check_finding *f;

	strbuf_addstr(&token, "ghp_");
	add_random(&token, base62, 36, 7);
	strbuf_addf(&text, "# deploy\nGITHUB_TOKEN=%s\n", token.buf);
	fx_layer_init(&l[0], FX_GZIP, "COPY .env /app/.env # buildkit");
	fx_tar_file(&l[0].tar, "app/.env", text.buf);
	fx_tar_file(&l[0].tar, "proc/self/environ", text.buf);
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_ZSTD, "RUN rm /app/.env");
	fx_tar_file(&l[1].tar, "app/.wh..env", "");
	fx_tar_end(&l[1].tar);
	scan_layers(&s, l, 2, NULL, 0);
	CHECK_INT(s.rc, 0);
	CHECK_INT(count_rule(&s.res, "CUS-SEC-005"), 1);
	f = find_rule(&s.res, "CUS-SEC-005", "app/.env");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->line, 2);
		CHECK_INT(f->layer, 0);
		CHECK_INT(f->history, 0);
		CHECK_STR(f->instruction, "COPY .env /app/.env # buildkit");
		CHECK(strstr(f->detail, "bytes still ship") != NULL);
	}
	CHECK(!leaks(&s.res, token.buf + 4));
	CHECK(s.res.kinds_run & (1u << CHECK_KIND_SECRET));
	CHECK(file_checks_secret_stats(s.fc)->files >= 1);
	scan_release(&s);
	strbuf_release(&token);
	strbuf_release(&text);
}

static const char setuid_history[] =
    "{\"history\": ["
    "{\"created_by\": \"/bin/sh -c #(nop) ADD file:abc in / \"},"
    "{\"created_by\": \"/bin/sh -c #(nop)  CMD [\\\"bash\\\"]\", \"empty_layer\": true},"
    "{\"created_by\": \"RUN install-tool\\n  && chmod u+s /usr/bin/tool\"},"
    "{\"created_by\": \"RUN fix-perms\"},"
    "{\"created_by\": \"CMD [\\\"tool\\\"]\", \"empty_layer\": true}]}";

TEST(file_checks_setuid_own_layers)
{
	struct fx_layer l[3];
	struct scan s;
	const struct check_finding *f;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_entry(&l[0].tar, "usr/bin/su", '0', "elf", 3, NULL, 04755);
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, NULL);
	fx_tar_entry(&l[1].tar, "usr/bin/tool", '0', "elf", 3, NULL, 04755);
	fx_tar_entry(&l[1].tar, "usr/bin/gone", '0', "elf", 3, NULL, 02755);
	fx_tar_entry(&l[1].tar, "usr/bin/fixed", '0', "elf", 3, NULL, 04755);
	fx_tar_entry(&l[1].tar, "opt/x/helper", '0', "elf", 3, NULL, 06755);
	fx_tar_end(&l[1].tar);
	fx_layer_init(&l[2], FX_NONE, NULL);
	fx_tar_file(&l[2].tar, "usr/bin/.wh.gone", "");
	fx_tar_entry(&l[2].tar, "usr/bin/fixed", '0', "elf", 3, NULL, 0755);
	fx_tar_file(&l[2].tar, "opt/.wh..wh..opq", "");
	fx_tar_end(&l[2].tar);
	scan_layers(&s, l, 3, setuid_history, 0);
	CHECK_INT(s.rc, 0);
	if (!s.rc) {
		CHECK_INT(image_first_own_layer(s.img), 1);
		CHECK_INT(count_rule(&s.res, "CUS-CFG-009"), 1);
		f = find_rule(&s.res, "CUS-CFG-009", "usr/bin/tool");
		CHECK(f != NULL);
		if (f) {
			CHECK_INT(f->layer, 1);
			CHECK_INT(f->history, 2);
			CHECK_STR(f->subject, "setuid");
			/* The history line is cut to one line. */
			CHECK_STR(f->instruction, "RUN install-tool && chmod u+s /usr/bin/tool");
		}
	}
	scan_release(&s);
}

TEST(file_checks_setuid_without_base_boundary)
{
	struct fx_layer l[2];
	struct scan s;
	const struct check_finding *f;

	/* No CMD closes a base image: the first layer is taken as the base, later ones are the image's. */
	fx_layer_init(&l[0], FX_GZIP, "ADD rootfs.tar /");
	fx_tar_entry(&l[0].tar, "usr/bin/su", '0', "elf", 3, NULL, 04755);
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, "RUN build");
	fx_tar_entry(&l[1].tar, "usr/local/bin/tool", '0', "elf", 3, NULL, 02755);
	fx_tar_end(&l[1].tar);
	scan_layers(&s, l, 2, NULL, 0);
	CHECK_INT(s.rc, 0);
	if (!s.rc) {
		CHECK_INT(image_first_own_layer(s.img), 1);
		CHECK(!find_rule(&s.res, "CUS-CFG-009", "usr/bin/su"));
		f = find_rule(&s.res, "CUS-CFG-009", "usr/local/bin/tool");
		CHECK(f && strstr(f->detail, "no base image"));
		CHECK(f && strstr(f->detail, "setgid"));
	}
	scan_release(&s);

	/* A one-layer image is its own base. */
	fx_layer_init(&l[0], FX_GZIP, "RUN build");
	fx_tar_entry(&l[0].tar, "usr/bin/su", '0', "elf", 3, NULL, 04755);
	fx_tar_end(&l[0].tar);
	scan_layers(&s, l, 1, NULL, 0);
	CHECK_INT(s.rc, 0);
	if (!s.rc)
		CHECK(!find_rule(&s.res, "CUS-CFG-009", "usr/bin/su"));
	scan_release(&s);
}

TEST(file_checks_package_cache)
{
	static char deb[500], lists[1000], pip[10];
	struct fx_layer l[2];
	struct scan s;
	const struct check_finding *f;

	fx_layer_init(&l[0], FX_GZIP,
		      "/bin/sh -c apt-get update && apt-get install -y curl && pip install x");
	fx_tar_entry(&l[0].tar, "var/lib/apt/lists/deb_dists_main_Packages", '0', lists, sizeof(lists), NULL,
		     0644);
	fx_tar_file(&l[0].tar, "var/lib/apt/lists/lock", "");
	fx_tar_entry(&l[0].tar, "var/lib/apt/lists/partial/x", '0', lists, sizeof(lists), NULL, 0644);
	fx_tar_entry(&l[0].tar, "var/cache/apt/archives/curl.deb", '0', deb, sizeof(deb), NULL, 0644);
	fx_tar_entry(&l[0].tar, "root/.cache/pip/http/ab", '0', pip, sizeof(pip), NULL, 0644);
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_GZIP, "RUN rm -rf /root/.cache/pip");
	fx_tar_file(&l[1].tar, "root/.cache/.wh.pip", "");
	fx_tar_end(&l[1].tar);
	scan_layers(&s, l, 2, NULL, 0);
	CHECK_INT(s.rc, 0);
	f = find_rule(&s.res, "CUS-CFG-008", NULL);
	CHECK(f != NULL);
	if (f) {
		CHECK_STR(f->subject, "apt");
		CHECK_INT(f->layer, 0);
		CHECK(strstr(f->detail, "2 files (1500 bytes)") != NULL);
		CHECK(f->instruction && !strncmp(f->instruction, "/bin/sh -c apt-get", 18));
	}
	/* The history's apt finding for layer 0 gave way; the pip cache is gone from the final image, so
	 * only the history speaks of pip. */
	CHECK_INT(count_rule(&s.res, "CUS-CFG-008"), 2);
	{
		size_t i, pip_history = 0;

		for (i = 0; i < s.res.nr; i++)
			if (!strcmp(s.res.findings[i].rule->id, "CUS-CFG-008") &&
			    !strcmp(s.res.findings[i].subject, "pip") && !s.res.findings[i].path)
				pip_history++;
		CHECK_INT(pip_history, 1);
	}
	scan_release(&s);
}

TEST(file_checks_binary_file_with_key_shape)
{
	struct strbuf key = STRBUF_INIT, bin = STRBUF_INIT, text = STRBUF_INIT;
	struct fx_layer l[1];
	struct scan s;

	strbuf_addstr(&key, "AKIA");
	add_random(&key, upper36, 16, 11);
	strbuf_add(&bin,
		   "\x7f"
		   "ELF\0\0\0\0",
		   8);
	strbuf_addf(&bin, "aws_access_key_id = %s\n", key.buf);
	strbuf_addf(&text, "aws_access_key_id = %s\n", key.buf);
	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_entry(&l[0].tar, "usr/lib/libfoo.so", '0', bin.buf, bin.len, NULL, 0755);
	fx_tar_entry(&l[0].tar, "junk/app.py", '0', text.buf, text.len, NULL, 0644);
	fx_tar_end(&l[0].tar);
	scan_layers(&s, l, 1, NULL, 0);
	CHECK_INT(s.rc, 0);
	CHECK(find_rule(&s.res, "CUS-SEC-003", "usr/lib/libfoo.so") == NULL);
	CHECK(find_rule(&s.res, "CUS-SEC-003", "junk/app.py") != NULL);
	CHECK(!leaks(&s.res, key.buf + 4));
	CHECK_INT(file_checks_secret_stats(s.fc)->files_binary, 1);
	scan_release(&s);
	strbuf_release(&key);
	strbuf_release(&bin);
	strbuf_release(&text);
}

static void octal(unsigned char *field, size_t width, unsigned long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), v);
	memcpy(field, tmp, width - 1);
}

/* An old GNU sparse member ('S'): real size `real`, one stored block of zeros at its very end. */
static void sparse_entry(struct strbuf *tar, const char *name, unsigned long long real)
{
	static const unsigned char zeros[512];
	unsigned char h[512];
	unsigned sum = 0;
	size_t i;

	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 0);
	octal(h + 116, 8, 0);
	octal(h + 124, 12, 512);
	octal(h + 136, 12, 1700000000);
	h[156] = 'S';
	memcpy(h + 257, "ustar  ", 8);
	octal(h + 386, 12, real - 512);
	octal(h + 398, 12, 512);
	octal(h + 483, 12, real);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	strbuf_add(tar, h, 512);
	strbuf_add(tar, zeros, 512);
}

TEST(file_checks_hostile_huge_sparse_zeros)
{
	struct fx_layer l[1];
	struct scan s;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	sparse_entry(&l[0].tar, "junk/zeros.env", 200ull << 20);
	fx_tar_file(&l[0].tar, "data/after", "after");
	fx_tar_end(&l[0].tar);
	scan_layers(&s, l, 1, NULL, 0);
	CHECK_INT(s.rc, 0);
	if (!s.rc) {
		const struct secrets_stats *st = file_checks_secret_stats(s.fc);

		/* Nobody keeps it, and the observer stops reading after the binary check. */
		CHECK(image_lookup(s.img, "junk/zeros.env") == NULL);
		CHECK(st->bytes_scanned <= (1u << 20));
		CHECK_INT(st->files_binary, 1);
		CHECK_STR(fx_text(s.img, "data/after"), "after");
	}
	scan_release(&s);
}

TEST(file_checks_hostile_many_tiny_files)
{
	struct fx_layer l[2];
	struct scan s;
	char name[64];
	size_t i;

	/* The first layer is the base when the history draws no line; the second is the image's own. */
	fx_layer_init(&l[0], FX_NONE, "ADD rootfs.tar /");
	fx_tar_file(&l[0].tar, "etc/hostname", "base\n");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_NONE, "RUN make-many");
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "junk/d%zu/f%zu", i % 100, i);
		fx_tar_entry(&l[1].tar, name, '0', NULL, 0, NULL, i % 2 ? 04755 : 0644);
	}
	fx_tar_end(&l[1].tar);
	scan_layers(&s, l, 2, NULL, 0);
	CHECK_INT(s.rc, 0);
	/* The per-rule cap holds, whatever the image holds. */
	CHECK_INT(count_rule(&s.res, "CUS-CFG-009"), CHECK_MAX_FINDINGS_PER_RULE);
	CHECK(s.res.per_rule_dropped > 0);
	scan_release(&s);
}

TEST(file_checks_hostile_path_traversal)
{
	struct fx_layer l[1];
	struct scan s;

	fx_layer_init(&l[0], FX_GZIP, NULL);
	fx_tar_file(&l[0].tar, "app/ok.env", "x=1\n");
	fx_tar_file(&l[0].tar, "../../etc/cron.d/evil", "password=hunter2hunter2\n");
	fx_tar_end(&l[0].tar);
	scan_layers(&s, l, 1, NULL, 0);
	CHECK_INT(s.rc, ERR_BAD_INPUT);
	CHECK(strstr(s.err.buf, "escapes the image root") != NULL);
	CHECK(s.img == NULL);
	scan_release(&s);
}

TEST(file_checks_docker_layer_order)
{
	struct strbuf token = STRBUF_INIT, text = STRBUF_INIT;
	struct fx_layer l[2];
	struct scan s;
	const struct check_finding *f;

	strbuf_addstr(&token, "glpat-");
	add_random(&token, base62, 20, 3);
	strbuf_addf(&text, "token: %s\n", token.buf);
	fx_layer_init(&l[0], FX_NONE, "RUN base");
	fx_tar_file(&l[0].tar, "etc/base", "b");
	fx_tar_end(&l[0].tar);
	fx_layer_init(&l[1], FX_NONE, "COPY ci.yml /srv/ci.yml");
	fx_tar_file(&l[1].tar, "srv/ci.yml", text.buf);
	fx_tar_end(&l[1].tar);
	scan_layers(&s, l, 2, NULL, 1);
	CHECK_INT(s.rc, 0);
	f = find_rule(&s.res, "CUS-SEC-006", "srv/ci.yml");
	CHECK(f && f->layer == 1 && f->instruction && !strcmp(f->instruction, "COPY ci.yml /srv/ci.yml"));
	CHECK(!leaks(&s.res, token.buf + 6));
	scan_release(&s);
	strbuf_release(&token);
	strbuf_release(&text);
}

TEST(file_checks_config_only_without_observer)
{
	struct check_results res;
	struct strbuf err = STRBUF_INIT;
	struct fx_layer l[1];
	struct fx_archive a = {.n = 0};
	struct fx_opts o = {0};
	struct fx_digests d;
	struct image *img = NULL;

	check_results_init(&res);
	fx_layer_init(&l[0], FX_GZIP, "/bin/sh -c apt-get update");
	fx_tar_end(&l[0].tar);
	fx_build_oci(&a, l, 1, &o, &d);
	CHECK_INT(fx_open_archive(&img, &a, NULL, &err), 0);
	if (img) {
		CHECK_INT(image_checks_collect(NULL, img, KINDS_FILES, &res), 0);
		CHECK(find_rule(&res, "CUS-CFG-008", NULL) != NULL);
		CHECK(res.kinds_run & (1u << CHECK_KIND_CONFIG));
		CHECK(!(res.kinds_run & (1u << CHECK_KIND_SECRET)));
	}
	image_free(img);
	check_results_release(&res);
	fx_release(&a);
	fx_layers_release(l, 1);
	strbuf_release(&err);
}
