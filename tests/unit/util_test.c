/* Unit tests for scanner/util: strings, paths, UTF-8, digests, arena, atomic files. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "util/arena.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

TEST(util_strbuf_grows_and_formats)
{
	struct strbuf sb = STRBUF_INIT;

	CHECK_STR(sb.buf, "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	CHECK(sb.len > 3000);
	CHECK(!strncmp(sb.buf, "0,1,2,", 6));
	strbuf_reset(&sb);
	strbuf_add_json_escaped(&sb, "a\"b\\\n\x01");
	CHECK_STR(sb.buf, "a\\\"b\\\\\\n\\u0001");
	strbuf_release(&sb);
	CHECK_STR(sb.buf, "");
}

TEST(util_error_code_and_prefix)
{
	struct strbuf err = STRBUF_INIT;

	CHECK_INT(error_code(&err, ERR_BAD_INPUT, "unexpected end of %s stream", "gzip"), ERR_BAD_INPUT);
	error_prefix(&err, "cannot read layer '%s': ", "sha256:ab");
	CHECK_STR(err.buf, "cannot read layer 'sha256:ab': unexpected end of gzip stream");
	CHECK_INT(error_code(NULL, ERR_IO, "ignored"), ERR_IO);
	strbuf_release(&err);
}

TEST(util_path_normalize)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	CHECK_INT(path_normalize("./etc//os-release", 1, &out, &err), 0);
	CHECK_STR(out.buf, "etc/os-release");
	CHECK_INT(path_normalize("usr/lib/./x/", 1, &out, &err), 0);
	CHECK_STR(out.buf, "usr/lib/x");
	CHECK_INT(path_normalize("../x", 1, &out, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "../x") != NULL);
	CHECK_INT(path_normalize("a/../../x", 1, &out, &err), ERR_BAD_INPUT);
	CHECK_INT(path_normalize("/abs", 1, &out, &err), ERR_BAD_INPUT);
	CHECK_INT(path_normalize("/abs", 0, &out, &err), 0);
	CHECK_STR(out.buf, "abs");
	CHECK_INT(path_normalize("./", 1, &out, &err), ERR_BAD_INPUT);
	strbuf_release(&out);
	strbuf_release(&err);
}

TEST(util_path_resolve_link_stays_in_root)
{
	struct strbuf out = STRBUF_INIT;

	path_resolve_link("etc/os-release", "../usr/lib/os-release", &out);
	CHECK_STR(out.buf, "usr/lib/os-release");
	path_resolve_link("lib", "usr/lib", &out);
	CHECK_STR(out.buf, "usr/lib");
	path_resolve_link("a/b/c", "/../../../etc/passwd", &out);
	CHECK_STR(out.buf, "etc/passwd");
	path_resolve_link("a/b", "../../../../x", &out);
	CHECK_STR(out.buf, "x");
	CHECK(path_is_under("node_modules/a/package.json", "node_modules"));
	CHECK(!path_is_under("node_modules2/a", "node_modules"));
	CHECK_STR(path_basename("a/b/c.json"), "c.json");
	CHECK_INT(path_dirlen("a/b/c.json"), 3);
	strbuf_release(&out);
}

TEST(util_utf8)
{
	char *s;

	CHECK(utf8_is_valid("h\xc3\xa9llo", 6));
	CHECK(!utf8_is_valid("\xc3", 1));
	CHECK(!utf8_is_valid("\xed\xa0\x80", 3)); /* surrogate */
	CHECK(!utf8_is_valid("\xc0\xaf", 2)); /* overlong */
	CHECK(!utf8_is_valid("a\0b", 3));
	s = utf8_sanitize("a\xffz", 3);
	CHECK_STR(s, "a\xef\xbf\xbdz");
	free(s);
}

TEST(util_sha256_known_vectors)
{
	char out[DIGEST_STR_LEN];
	struct sha256_ctx ctx;

	sha256_digest_str("", 0, out);
	CHECK_STR(out, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_init(&ctx);
	sha256_update(&ctx, "a", 1);
	sha256_update(&ctx, "bc", 2);
	sha256_final_str(&ctx, out);
	CHECK_STR(out, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK(digest_is_valid(out));
	CHECK(!digest_is_valid("sha256:BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	CHECK(!digest_is_valid("sha256:ba78"));
	CHECK(!digest_is_valid("md5:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(util_arena_alignment_and_big_blocks)
{
	struct arena a = ARENA_INIT;
	char *big, *s;

	for (int i = 0; i < 10000; i++) {
		void *p = arena_alloc(&a, (size_t)(i % 37) + 1);
		CHECK(((uintptr_t)p & 15) == 0);
	}
	big = arena_alloc(&a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	s = arena_printf(&a, "%s-%d", "pkg", 42);
	CHECK_STR(s, "pkg-42");
	CHECK_STR(arena_strndup(&a, "abcdef", 3), "abc");
	CHECK(arena_strdup(&a, NULL) == NULL);
	arena_release(&a);
	CHECK(a.head == NULL);
}

TEST(util_atomic_file_commit_and_abort)
{
	char dir[] = "/tmp/customs-unit-XXXXXX";
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct atomic_file af;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	strbuf_addf(&path, "%s/out.json", dir);
	CHECK_INT(atomic_file_open(&af, path.buf, &err), 0);
	fputs("{}", af.fp);
	CHECK(stat(path.buf, &st) != 0); /* not visible before commit */
	CHECK_INT(atomic_file_commit(&af, &err), 0);
	CHECK(stat(path.buf, &st) == 0 && st.st_size == 2);
	unlink(path.buf);

	CHECK_INT(atomic_file_open(&af, path.buf, &err), 0);
	fputs("partial", af.fp);
	atomic_file_abort(&af);
	CHECK(stat(path.buf, &st) != 0);
	CHECK(rmdir(dir) == 0); /* no temporary file left behind either */

	strbuf_reset(&path);
	strbuf_addstr(&path, "/nonexistent-dir/x.json");
	CHECK(atomic_file_open(&af, path.buf, &err) == ERR_IO);
	CHECK(strstr(err.buf, "/nonexistent-dir/x.json") != NULL);
	strbuf_release(&path);
	strbuf_release(&err);
}

TEST(util_atomic_file_writes_devices_in_place)
{
	struct strbuf err = STRBUF_INIT;
	struct atomic_file af;
	struct stat st;

	/* Renaming over /dev/null would replace the device with a file. */
	CHECK_INT(atomic_file_open(&af, "/dev/null", &err), 0);
	CHECK(af.tmp_path == NULL);
	fputs("discarded", af.fp);
	CHECK_INT(atomic_file_commit(&af, &err), 0);
	CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	CHECK_INT(atomic_file_open(&af, "/dev/null", &err), 0);
	atomic_file_abort(&af);
	CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	strbuf_release(&err);
}
