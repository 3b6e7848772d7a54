/* Benchmark driver: open a vulnerability database, then time lookups of 1,000 packages, found and missing. */

/*
 * `make bench` runs it on the database built from the generated OSV records.
 * Half the names come from the NAMES file (every Nth line, so all ecosystems
 * show up), half are those names with a suffix, which the index does not
 * hold. Each found entry is walked the way matching walks it: the advisory,
 * every range and event, the explicit versions.
 *
 * With COUNT "all", every line of NAMES is looked up once, in order and as
 * it is: that is how the scan of an image looks its packages up.
 *
 * Usage: lookup-bench DB NAMES [COUNT|all]   NAMES holds "ECOSYSTEM<TAB>NAME" lines.
 * Prints one line: "open MS ms, COUNT lookups MS ms, FOUND entries"; exit 1 on error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vulndb/vulndb.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int walk(const struct vulndb *db, const struct vulndb_affected *aff, void *data)
{
	size_t *sum = data;
	struct vulndb_advisory adv;

	vulndb_get_advisory(db, aff->advisory, &adv);
	*sum += strlen(adv.id) + adv.nr_aliases + adv.nr_cvss;
	for (uint32_t r = 0; r < aff->nr_ranges; r++) {
		struct vulndb_range range;

		vulndb_get_range(db, aff, r, &range);
		for (uint32_t e = 0; e < range.nr_events; e++) {
			struct vulndb_event ev;

			vulndb_get_event(db, &range, e, &ev);
			*sum += (size_t)ev.version[0];
		}
	}
	for (uint32_t v = 0; v < aff->nr_versions; v++)
		*sum += (size_t)vulndb_affected_version(db, aff, v)[0];
	sum[1]++;
	return 0;
}

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	char **ecos, **names, line[4096];
	int all = argc > 3 && !strcmp(argv[3], "all");
	size_t nr = 0, alloc = 0, count = argc > 3 && !all ? (size_t)strtoul(argv[3], NULL, 10) : 1000;
	size_t sum[2] = {0, 0};
	struct vulndb *db;
	double t0, t1, t2;
	FILE *fp;

	if (argc < 3 || !count) {
		fprintf(stderr, "usage: lookup-bench DB NAMES [COUNT|all]\n");
		return 1;
	}
	fp = fopen(argv[2], "r");
	if (!fp) {
		perror(argv[2]);
		return 1;
	}
	ecos = NULL;
	names = NULL;
	while (fgets(line, sizeof(line), fp)) {
		char *tab = strchr(line, '\t');

		if (!tab)
			continue;
		*tab = '\0';
		tab[1 + strcspn(tab + 1, "\n")] = '\0';
		ALLOC_GROW(ecos, nr + 1, alloc);
		names = xrealloc(names, alloc * sizeof(*names));
		ecos[nr] = xstrdup(line);
		names[nr] = xstrdup(tab + 1);
		nr++;
	}
	fclose(fp);
	if (!nr) {
		fprintf(stderr, "lookup-bench: no names in %s\n", argv[2]);
		return 1;
	}

	if (all)
		count = nr;

	t0 = now_ms();
	if (vulndb_open(argv[1], &db, &err) < 0) {
		fprintf(stderr, "lookup-bench: %s\n", err.buf);
		return 1;
	}
	t1 = now_ms();
	for (size_t i = 0; i < count; i++) {
		size_t pick = (i / 2) * (nr / ((count + 1) / 2) ? nr / ((count + 1) / 2) : 1) % nr;

		if (all) {
			vulndb_lookup(db, ecos[i], names[i], walk, sum);
		} else if (i % 2) {
			char missing[4200];

			snprintf(missing, sizeof(missing), "%s-missing", names[pick]);
			vulndb_lookup(db, ecos[pick], missing, walk, sum);
		} else {
			vulndb_lookup(db, ecos[pick], names[pick], walk, sum);
		}
	}
	t2 = now_ms();
	printf("open %.1f ms, %zu lookups %.2f ms, %zu entries\n", t1 - t0, count, t2 - t1, sum[1]);
	vulndb_close(db);
	for (size_t i = 0; i < nr; i++) {
		free(ecos[i]);
		free(names[i]);
	}
	free(ecos);
	free(names);
	strbuf_release(&err);
	return 0;
}
