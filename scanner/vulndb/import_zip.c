/* Import the all.zip that OSV publishes per ecosystem, streaming each *.json entry through libarchive. */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/import.h"
#include "vulndb/vulndb.h"

/*
 * Nothing is unpacked to disk: each entry is read into one reused buffer,
 * parsed and dropped. The caps bound memory (one entry), time (all bytes)
 * and the entry count, whatever the zip's headers claim: a decompression
 * bomb is caught by counting the bytes that really come out.
 */
#define ZIP_MAX_TOTAL_BYTES (UINT64_C(16) << 30)
#define ZIP_MAX_ENTRIES 4000000u
#define ZIP_MAX_NAME 1024
#define ZIP_CHUNK (256 * 1024)

int vulndb_zip_detect(const unsigned char *head, size_t len)
{
	/* A local file header, or the end record of an empty zip. */
	return len >= 4 && head[0] == 'P' && head[1] == 'K' &&
	       ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

/* The entry name for a message: at most 200 bytes, control characters shown as '?'. */
static void quote_name(struct strbuf *out, const char *name)
{
	strbuf_reset(out);
	for (size_t i = 0; name[i] && i < 200; i++)
		strbuf_addch(out, (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i]);
}

/* A well-formed OSV zip holds flat "ID.json" names: anything that could climb out of a folder is refused. */
static int name_is_safe(const char *name)
{
	const char *p = name;

	if (!*name || strlen(name) > ZIP_MAX_NAME || name[0] == '/' || name[0] == '\\')
		return 0;
	while (*p) {
		size_t len = strcspn(p, "/\\");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += len;
		if (*p)
			p++;
	}
	/* A drive letter ("C:x") is absolute on the system that wrote it. */
	return !(((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':');
}

static int ends_with_json(const char *s)
{
	size_t len = strlen(s);

	return len > 5 && !strcmp(s + len - 5, ".json");
}

/* "all.zip" in a folder "npm" is the source "npm"; "npm-all.zip" is "npm-all". */
static void begin_zip_source(struct vulndb_builder *b, const char *path)
{
	struct strbuf name = STRBUF_INIT;
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t len = strlen(base);

	if (len > 4 && !strcmp(base + len - 4, ".zip"))
		len -= 4;
	if (len == 3 && !strncmp(base, "all", 3) && slash && slash > path) {
		const char *dir = slash;

		while (dir > path && dir[-1] != '/')
			dir--;
		strbuf_add(&name, dir, (size_t)(slash - dir));
	} else {
		strbuf_add(&name, base, len);
	}
	vulndb_builder_begin_source(b, name.len ? name.buf : "all");
	strbuf_release(&name);
}

/* Reads the current entry into buf, counting every byte against the caps. */
static int read_entry(struct archive *a, const char *path, const char *name, struct strbuf *buf,
		      uint64_t *total, struct strbuf *err)
{
	struct strbuf shown = STRBUF_INIT;
	int ret = 0;

	strbuf_reset(buf);
	for (;;) {
		la_ssize_t got;

		strbuf_grow(buf, ZIP_CHUNK);
		got = archive_read_data(a, buf->buf + buf->len, ZIP_CHUNK);
		if (got == 0)
			break;
		quote_name(&shown, name);
		if (got < 0) {
			ret = error_code(err, ERR_BAD_INPUT, "cannot read zip '%s': entry '%s': %s", path,
					 shown.buf,
					 archive_error_string(a) ? archive_error_string(a) : "read error");
			break;
		}
		buf->len += (size_t)got;
		buf->buf[buf->len] = '\0';
		*total += (uint64_t)got;
		if (buf->len > VULNDB_MAX_JSON_FILE) {
			ret = error_code(
			    err, ERR_LIMIT,
			    "zip '%s': entry '%s' inflates past the %u MiB limit (a decompression bomb?)",
			    path, shown.buf, VULNDB_MAX_JSON_FILE >> 20);
			break;
		}
		if (*total > ZIP_MAX_TOTAL_BYTES) {
			ret = error_code(
			    err, ERR_LIMIT,
			    "zip '%s': entry '%s' takes the zip past %llu GiB of json (a decompression "
			    "bomb?)",
			    path, shown.buf, (unsigned long long)(ZIP_MAX_TOTAL_BYTES >> 30));
			break;
		}
	}
	strbuf_release(&shown);
	return ret;
}

int vulndb_import_zip(struct vulndb_builder *b, const char *path, uint64_t *imported_bytes,
		      struct strbuf *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	struct strbuf buf = STRBUF_INIT, shown = STRBUF_INIT, where = STRBUF_INIT;
	uint64_t total = 0;
	uint32_t nr_entries = 0;
	int r, ret = 0;

	archive_read_support_format_zip(a);
	begin_zip_source(b, path);
	if (archive_read_open_filename(a, path, ZIP_CHUNK) != ARCHIVE_OK) {
		ret = error_code(err, ERR_BAD_INPUT, "cannot read zip '%s': %s", path,
				 archive_error_string(a) ? archive_error_string(a) : "not a zip");
		goto out;
	}
	/* Entry order, not sorted: OSV writes its zips deterministically, and sorting would buffer all. */
	while ((r = archive_read_next_header(a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(entry);
		mode_t type = archive_entry_filetype(entry);

		if (++nr_entries > ZIP_MAX_ENTRIES) {
			ret = error_code(err, ERR_LIMIT, "zip '%s' has more than %u entries", path,
					 ZIP_MAX_ENTRIES);
			goto out;
		}
		if (!name) {
			ret = error_code(err, ERR_BAD_INPUT, "zip '%s': entry %u has an unreadable name",
					 path, nr_entries);
			goto out;
		}
		quote_name(&shown, name);
		if (!name_is_safe(name)) {
			ret = error_code(err, ERR_BAD_INPUT,
					 "zip '%s': refusing entry '%s%s': absolute, '..' or overlong name",
					 path, shown.buf, strlen(name) > 200 ? "..." : "");
			goto out;
		}
		if ((type && type != AE_IFREG) || !ends_with_json(name))
			continue; /* folders, links and READMEs carry no records */
		if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > VULNDB_MAX_JSON_FILE) {
			ret = error_code(
			    err, ERR_LIMIT,
			    "zip '%s': entry '%s' is larger than the %u MiB limit (a decompression bomb?)",
			    path, shown.buf, VULNDB_MAX_JSON_FILE >> 20);
			goto out;
		}
		ret = read_entry(a, path, name, &buf, &total, err);
		if (ret < 0)
			goto out;
		strbuf_reset(&where);
		strbuf_addf(&where, "%s/%s", path, shown.buf);
		ret = vulndb_import_osv_buffer(b, buf.buf, buf.len, where.buf, err);
		if (ret < 0)
			goto out;
		if (imported_bytes)
			*imported_bytes += buf.len;
	}
	if (r != ARCHIVE_EOF)
		ret = error_code(err, ERR_BAD_INPUT, "cannot read zip '%s': %s", path,
				 archive_error_string(a) ? archive_error_string(a) : "damaged or truncated");
out:
	archive_read_free(a);
	strbuf_release(&buf);
	strbuf_release(&shown);
	strbuf_release(&where);
	return ret;
}
