/* libFuzzer target for the OSV zip import: a zip, raw or built from fuzzed entries, into a database. */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Between the entries of a zip described by the input: "NAME\nCONTENT" pieces. */
#define ENTRY_SEPARATOR "\n%%\n"

/*
 * Mutated zip bytes seldom get past the CRCs, which would hide the importer
 * behind libarchive's checks; a zip written here from fuzzed names and
 * contents always does, so the names (with their "..", "/" and drive letter
 * tricks) and the JSON get fuzzed too. A name ending in "/" is a folder.
 */
static unsigned char *build_zip(const uint8_t *data, size_t size, int store, size_t *zip_size)
{
	size_t cap = 2 * size + 4096 + 256 * (size / 4 + 1), used = 0;
	unsigned char *zip = xmalloc(cap);
	struct archive *a = archive_write_new();
	struct archive_entry *entry = archive_entry_new();
	const uint8_t *p = data, *end = data + size;
	char *name;

	archive_write_set_format_zip(a);
	if (store)
		archive_write_set_options(a, "zip:compression=store");
	if (archive_write_open_memory(a, zip, cap, &used) != ARCHIVE_OK)
		goto fail;
	while (p <= end) {
		const uint8_t *next = memmem(p, (size_t)(end - p), ENTRY_SEPARATOR, strlen(ENTRY_SEPARATOR));
		const uint8_t *piece_end = next ? next : end;
		const uint8_t *newline = memchr(p, '\n', (size_t)(piece_end - p));
		const uint8_t *content = newline ? newline + 1 : piece_end;
		size_t name_len = (size_t)((newline ? newline : piece_end) - p);

		name = xmemdup(p, name_len); /* an embedded NUL only shortens it */
		archive_entry_clear(entry);
		archive_entry_set_pathname(entry, *name ? name : "empty.json");
		if (name_len && name[name_len - 1] == '/') {
			archive_entry_set_filetype(entry, AE_IFDIR);
			archive_entry_set_size(entry, 0);
		} else {
			archive_entry_set_filetype(entry, AE_IFREG);
			archive_entry_set_size(entry, (la_int64_t)(piece_end - content));
		}
		archive_entry_set_perm(entry, 0644);
		free(name);
		if (archive_write_header(a, entry) != ARCHIVE_OK)
			goto fail;
		if (archive_entry_filetype(entry) == AE_IFREG && piece_end > content &&
		    archive_write_data(a, content, (size_t)(piece_end - content)) < 0)
			goto fail;
		if (!next)
			break;
		p = next + strlen(ENTRY_SEPARATOR);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	archive_write_free(a);
	archive_entry_free(entry);
	*zip_size = used;
	return zip;
fail:
	archive_write_free(a);
	archive_entry_free(entry);
	free(zip);
	return NULL;
}

static int visit(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	struct vulndb_advisory adv;
	size_t *sum = data;

	vulndb_get_advisory(db, aff->advisory, &adv);
	*sum += strlen(adv.id) + aff->nr_ranges + aff->nr_versions;
	return 0;
}

/* What the import kept must be a database that opens, with every package found again. */
static void check_database(struct vulndb_builder *b)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	struct vulndb_info info;
	char *bytes = NULL;
	size_t size = 0, sum = 0;
	FILE *fp = open_memstream(&bytes, &size);

	if (!fp)
		abort();
	if (vulndb_builder_write(b, fp, 1700000000, &err) != 0)
		abort();
	fclose(fp);
	if (vulndb_open_mem(bytes, size, "fuzz.db", &db, &err) != 0)
		abort();
	vulndb_get_info(db, &info);
	for (uint32_t i = 0; i < info.nr_packages; i++) {
		const char *eco, *name;
		uint32_t nr;

		vulndb_get_package(db, i, &eco, &name, &nr);
		vulndb_lookup(db, eco, name, visit, &sum);
	}
	vulndb_close(db);
	free(bytes);
	strbuf_release(&err);
}

/* The first byte: bit 0 set, the rest is the zip's bytes; clear, it describes entries (bit 1: stored). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vulndb_builder *b;
	struct strbuf err = STRBUF_INIT;
	unsigned char *zip;
	size_t zip_size;
	uint64_t imported = 0;
	char path[64];
	int fd, ret;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		zip = xmemdup(data + 1, size - 1);
		zip_size = size - 1;
	} else {
		zip = build_zip(data + 1, size - 1, data[0] & 2, &zip_size);
		if (!zip)
			return 0;
	}
	/* The importer takes a path, as `db build` gives it one: a memory file has a path too. */
	fd = memfd_create("fuzz_zip", MFD_CLOEXEC);
	if (fd < 0 || (zip_size && write(fd, zip, zip_size) != (ssize_t)zip_size)) {
		if (fd >= 0)
			close(fd);
		free(zip);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	b = vulndb_builder_new();
	ret = vulndb_import_source(b, path, &imported, &err);
	if (ret == 0)
		check_database(b);
	else if (!err.len)
		abort(); /* says why; may quote hostile names, newlines and all */
	vulndb_builder_free(b);
	strbuf_release(&err);
	close(fd);
	free(zip);
	return 0;
}
