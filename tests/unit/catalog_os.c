/* Unit tests for OS detection: os-release syntax, symlinks and the fallback files. */
#include "test.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "catalog_fixture.h"
#include "util/strbuf.h"

static struct catalog *os_catalog(struct image *img)
{
	catalog_fixture_image_finish(img);
	return catalog_fixture_catalog(img);
}

TEST(os_release_through_symlink)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_symlink(img, "etc/os-release", "../usr/lib/os-release", -1);
	catalog_fixture_add_text(img, "usr/lib/os-release",
				 "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
				 "NAME=\"Debian GNU/Linux\"\n"
				 "VERSION_ID=\"12\"\n"
				 "VERSION=\"12 (bookworm)\"\n"
				 "VERSION_CODENAME=bookworm\n"
				 "ID=debian\n",
				 -1);
	catalog_fixture_add_text(img, "etc/debian_version", "12.5\n", -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "debian");
		CHECK_STR(cat->os.version_id, "12");
		CHECK_STR(cat->os.version_codename, "bookworm");
		CHECK_STR(cat->os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
		CHECK_STR(cat->os.source_path, "usr/lib/os-release");
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_release_etc_wins_over_usr_lib)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n", -1);
	catalog_fixture_add_text(img, "usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n", -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "ubuntu");
		CHECK_STR(cat->os.version_id, "22.04");
		CHECK_STR(cat->os.source_path, "etc/os-release");
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_release_quoting_and_escapes)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "etc/os-release",
				 "# a comment\r\n"
				 "\n"
				 "   ID='my os'   \r\n"
				 "not a line at all\n"
				 "VERSION_ID=\"1.\\\"2\\\\ \\$x \\q\"\n"
				 "PRETTY_NAME=Plain words with\\ escape   \n"
				 "VERSION_CODENAME=\"half\"'way'bare\n"
				 "1BAD=ignored\n",
				 -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "my os");
		CHECK_STR(cat->os.version_id, "1.\"2\\ $x \\q");
		CHECK_STR(cat->os.pretty_name, "Plain words with escape");
		CHECK_STR(cat->os.version_codename, "halfwaybare");
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_debian_version_fallback)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "etc/debian_version", "12.5\n", -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "debian");
		CHECK_STR(cat->os.version_id, "12");
		CHECK_STR(cat->os.source_path, "etc/debian_version");
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	img = catalog_fixture_image_new();
	catalog_fixture_add_text(img, "etc/debian_version", "trixie/sid\n", -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "debian");
		CHECK(cat->os.version_id == NULL);
		CHECK_STR(cat->os.version_codename, "trixie");
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_alpine_release_fallback)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_text(img, "etc/alpine-release", "3.19.1\n", -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "alpine");
		CHECK_STR(cat->os.version_id, "3.19.1");
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_dangling_symlink_falls_back)
{
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_symlink(img, "etc/os-release", "../run/os-release", -1);
	catalog_fixture_add_text(img, "etc/alpine-release", "3.18.0", -1);
	cat = os_catalog(img);
	if (cat)
		CHECK_STR(cat->os.id, "alpine");
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_hostile_files_warn)
{
	static const unsigned char garbage[] = {0x7f, 'E', 'L', 'F', 0, 1, 2, 0xff, '\n', 0xfe};
	struct image *img = catalog_fixture_image_new();
	struct catalog *cat;

	catalog_fixture_add_file(img, "etc/os-release", garbage, sizeof(garbage), -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK(cat->os.id == NULL);
		CHECK_INT(cat->warnings.nr, 1);
		if (cat->warnings.nr)
			CHECK(strstr(cat->warnings.msgs[0], "'etc/os-release'") != NULL);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	/* An empty os-release is allowed by the spec: nothing is known, nothing is wrong. */
	img = catalog_fixture_image_new();
	catalog_fixture_add_text(img, "etc/os-release", "", -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK(cat->os.id == NULL);
		CHECK_INT(cat->warnings.nr, 0);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);

	img = catalog_fixture_image_new();
	catalog_fixture_add_text(img, "etc/os-release", "just words\nno equals sign\n", -1);
	cat = os_catalog(img);
	if (cat)
		CHECK_INT(cat->warnings.nr, 1);
	catalog_free(cat);
	catalog_fixture_image_free(img);

	/* Invalid UTF-8 becomes U+FFFD so no report carries it. */
	img = catalog_fixture_image_new();
	catalog_fixture_add_text(img, "etc/os-release",
				 "ID=de\xff"
				 "bian\nVERSION_ID=\"a\x01\"\n",
				 -1);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "de\xef\xbf\xbd"
				      "bian");
		CHECK_STR(cat->os.version_id, "a\x01");
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

TEST(os_symlink_loop_is_bad_input)
{
	struct image *img = catalog_fixture_image_new();
	struct strbuf err = STRBUF_INIT;
	struct catalog *cat = NULL;

	/* A loop where a cataloger reads means the inventory cannot be trusted: the scan stops. */
	catalog_fixture_add_symlink(img, "etc/os-release", "os-release", -1);
	catalog_fixture_add_text(img, "usr/lib/os-release", "ID=debian\n", -1);
	catalog_fixture_image_finish(img);
	CHECK_INT(catalog_build(&cat, img, &err), ERR_BAD_INPUT);
	CHECK(cat == NULL);
	CHECK(strstr(err.buf, "etc/os-release") != NULL);
	strbuf_release(&err);
	catalog_fixture_image_free(img);
}

TEST(os_release_huge_line)
{
	struct image *img = catalog_fixture_image_new();
	size_t n = 4u << 20;
	char *big = malloc(n + 32);
	struct catalog *cat;

	memcpy(big, "PRETTY_NAME=", 12);
	memset(big + 12, 'x', n);
	memcpy(big + 12 + n, "\nID=alpine\n", 12);
	catalog_fixture_add_text(img, "etc/os-release", big, -1);
	free(big);
	cat = os_catalog(img);
	if (cat) {
		CHECK_STR(cat->os.id, "alpine");
		CHECK_INT(strlen(cat->os.pretty_name), n);
	}
	catalog_free(cat);
	catalog_fixture_image_free(img);
}

/* The spec defines os-release as shell assignments, so sh itself is the oracle for quoting. */
static void check_against_shell(const char *content)
{
	char path[] = "/tmp/customs-os-release-XXXXXX";
	struct strbuf cmd = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct image *img;
	struct catalog *cat;
	char buf[4096];
	size_t n;
	FILE *fp;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content)) {
		test_skip("cannot write a temporary file");
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	strbuf_addf(&cmd,
		    "sh -c '. \"$1\" && printf \"%%s|%%s|%%s|%%s\" \"$ID\" \"$VERSION_ID\" \"$VERSION_CODENAME\" "
		    "\"$PRETTY_NAME\"' sh %s",
		    path);
	fp = popen(cmd.buf, "r");
	while (fp && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&want, buf, n);
	if (!fp || pclose(fp) != 0) {
		test_skip("sh cannot read the file");
	} else {
		img = catalog_fixture_image_new();
		catalog_fixture_add_text(img, "etc/os-release", content, -1);
		cat = os_catalog(img);
		if (cat) {
			strbuf_addf(&got, "%s|%s|%s|%s", cat->os.id ? cat->os.id : "",
				    cat->os.version_id ? cat->os.version_id : "",
				    cat->os.version_codename ? cat->os.version_codename : "",
				    cat->os.pretty_name ? cat->os.pretty_name : "");
			CHECK_STR(got.buf, want.buf);
		}
		catalog_free(cat);
		catalog_fixture_image_free(img);
	}
	unlink(path);
	strbuf_release(&cmd);
	strbuf_release(&want);
	strbuf_release(&got);
}

TEST(os_release_matches_shell)
{
	check_against_shell("ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
			    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
	check_against_shell("# comment\nID='single quoted'\nVERSION_ID=\"a\\\"b\\\\c\\$d\\`e\\x\"\n"
			    "PRETTY_NAME=\"mixed\"'parts'bare\\ blank\nVERSION_CODENAME=\n");
	check_against_shell("ID=first\nID=second\nPRETTY_NAME=\"multi word 'inner' \\\\ end\"\n");
}

TEST(os_host_os_release)
{
	struct strbuf want = STRBUF_INIT;
	size_t size;
	char *text = catalog_fixture_read_file("/usr/lib/os-release", &size);
	char buf[1024];
	size_t n;
	FILE *fp;

	if (!text) {
		test_skip("no /usr/lib/os-release on this machine");
		return;
	}
	fp = popen("sh -c '. /usr/lib/os-release && printf \"%s|%s\" \"$ID\" \"$PRETTY_NAME\"'", "r");
	while (fp && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&want, buf, n);
	if (fp && !pclose(fp)) {
		struct image *img = catalog_fixture_image_new();
		struct catalog *cat;

		catalog_fixture_add_symlink(img, "etc/os-release", "../usr/lib/os-release", -1);
		catalog_fixture_add_file(img, "usr/lib/os-release", text, size, -1);
		cat = os_catalog(img);
		if (cat) {
			struct strbuf got = STRBUF_INIT;

			strbuf_addf(&got, "%s|%s", cat->os.id ? cat->os.id : "",
				    cat->os.pretty_name ? cat->os.pretty_name : "");
			CHECK_STR(got.buf, want.buf);
			strbuf_release(&got);
		}
		catalog_free(cat);
		catalog_fixture_image_free(img);
	} else {
		test_skip("sh cannot read /usr/lib/os-release");
	}
	free(text);
	strbuf_release(&want);
}
