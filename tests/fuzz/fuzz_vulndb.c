/* libFuzzer target for the database reader: any bytes as a file, validated once, then every lookup. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/format.h"
#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every byte the views point at, so a validation gap shows up as a sanitizer report. */
static int walk(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	size_t *sum = data;
	struct vulndb_advisory adv;

	vulndb_get_advisory(db, aff->advisory, &adv);
	*sum += strlen(adv.id) + strlen(adv.summary) + strlen(adv.severity) + strlen(adv.published) +
		strlen(adv.modified);
	for (uint32_t i = 0; i < adv.nr_aliases; i++)
		*sum += strlen(vulndb_advisory_alias(db, &adv, i));
	for (uint32_t i = 0; i < adv.nr_cvss; i++)
		*sum += strlen(vulndb_advisory_cvss(db, &adv, i));
	for (uint32_t r = 0; r < aff->nr_ranges; r++) {
		struct vulndb_range range;

		vulndb_get_range(db, aff, r, &range);
		for (uint32_t e = 0; e < range.nr_events; e++) {
			struct vulndb_event ev;

			vulndb_get_event(db, &range, e, &ev);
			*sum += strlen(ev.version) + (size_t)ev.kind;
		}
	}
	for (uint32_t v = 0; v < aff->nr_versions; v++)
		*sum += strlen(vulndb_affected_version(db, aff, v));
	return 0;
}

static void exercise(const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct vulndb *db;
	struct vulndb_info info;
	size_t sum = 0;

	if (vulndb_open(path, &db, &err) == 0) {
		vulndb_get_info(db, &info);
		for (uint32_t i = 0; i < info.nr_sources; i++) {
			struct vulndb_source src;

			vulndb_get_source(db, i, &src);
			sum += strlen(src.name) + strlen(src.date);
		}
		for (uint32_t i = 0; i < info.nr_packages && i < 4096; i++) {
			const char *eco, *name;
			uint32_t nr;

			vulndb_get_package(db, i, &eco, &name, &nr);
			/* Copies: the lookup must not depend on the key living inside the mapping. */
			{
				char *e = xstrdup(eco), *n = xstrdup(name);

				vulndb_lookup(db, e, n, walk, &sum);
				free(e);
				free(n);
			}
		}
		vulndb_lookup(db, "npm", "lodash", walk, &sum);
		vulndb_close(db);
	} else if (strchr(err.buf, '\n') || !err.len) {
		abort(); /* every failure is exactly one line */
	}
	strbuf_release(&err);
	(void)sum;
}

/*
 * Random bytes rarely pass the checksum, which would hide every check behind
 * it. An input whose last byte is odd gets a fresh checksum first, so the
 * fuzzer reaches the structural checks too.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = xmemdup(size ? data : (const uint8_t *)"", size);
	char path[64];
	int fd;

	if (size >= VDB_HEADER_SIZE + VDB_TRAILER_SIZE && (data[size - 1] & 1)) {
		struct sha256_ctx sha;

		vdb_put32(copy + VDB_H_FILE_SIZE, (uint32_t)size);
		sha256_init(&sha);
		sha256_update(&sha, copy, size - VDB_TRAILER_SIZE);
		sha256_final(&sha, copy + size - VDB_TRAILER_SIZE);
	}
	fd = memfd_create("fuzz_vulndb", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, copy, size) != (ssize_t)size)) {
		if (fd >= 0)
			close(fd);
		free(copy);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	exercise(path);
	close(fd);
	free(copy);
	return 0;
}
