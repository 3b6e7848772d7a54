/* A hand-built image and catalog for the report writer tests, with hostile strings among the real ones. */
#ifndef CUSTOMS_TESTS_UNIT_REPORT_FIXTURE_H
#define CUSTOMS_TESTS_UNIT_REPORT_FIXTURE_H

#include "report/report.h"

#define REPORT_FIXTURE_PACKAGES 6
#define REPORT_FIXTURE_SERIAL "0b8e6f2a-3c1d-4e5f-9a7b-1c2d3e4f5a6b"

/* Everything lives inside the struct or its arenas; release with report_fixture_release(). */
struct report_fixture {
	struct image img;
	struct catalog cat;
	struct report_input in;
	struct image_layer layers[2];
	const char *tags[1];
};

/*
 * The full fixture: two layers, Debian 12, two dpkg packages, three npm
 * packages of which two share a purl, one package with control characters and
 * invalid UTF-8 in its name and an out-of-range layer, and two warnings.
 */
void report_fixture_init(struct report_fixture *f);
/* A bare root filesystem: no layers, tags, digests, OS or packages. */
void report_fixture_init_empty(struct report_fixture *f);
/* One package for each license identifier we recognise, and one for each exception. */
void report_fixture_init_licenses(struct report_fixture *f);
void report_fixture_release(struct report_fixture *f);

/*
 * Run writer w on in into memory. Returns the output, which the caller frees,
 * and the writer's return value in *ret.
 */
char *report_render(const struct report_writer *w, const struct report_input *in, int *ret);

/* Write in with writer w to dir/name, for the CLI tests that run real validators; checks it succeeded. */
void report_write_sample(const char *dir, const char *name, const struct report_writer *w,
			 const struct report_input *in);

#endif
