/* The package inventory of an image, built by the catalogers listed in catalogers.def. */
#ifndef CUSTOMS_CATALOG_CATALOG_H
#define CUSTOMS_CATALOG_CATALOG_H

#include <stddef.h>

#include "image/image.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/warnings.h"

/* What etc/os-release says; fields are NULL when unknown. Strings live in the catalog's arena. */
struct os_info {
	const char *id; /* "debian", "ubuntu", "alpine" */
	const char *version_id; /* "12", "22.04", "3.19.1" */
	const char *version_codename; /* "bookworm", or NULL */
	const char *pretty_name;
	const char *source_path; /* the file it came from */
};

/* One installed package. Strings live in the catalog's arena; NULL when unknown. */
struct package {
	const char *name;
	const char *version;
	const char *type; /* purl type: "deb", "apk", "npm" */
	const char *cataloger; /* name of the cataloger that found it */
	const char *purl;
	const char *source_name; /* the source package (dpkg Source:, apk origin) */
	const char *source_version;
	const char *arch;
	const char *license;
	const char *path; /* the file in the image it was read from */
	/*
	 * npm: the folder the package occupies, e.g. "app/node_modules/a/node_modules/b";
	 * for a lockfile entry, where the lockfile says it would be installed. NULL for
	 * OS packages.
	 */
	const char *install_path;
	int layer; /* index into image->layers of the layer that introduced it, or -1 */
};

/* A growable list of packages; the array is owned by the list, strings by an arena. */
struct package_list {
	struct package *items;
	size_t nr, alloc;
};

struct catalog {
	struct arena arena;
	const struct image *img;
	struct os_info os;
	struct package_list packages; /* sorted by type, name, version, path */
	struct warnings warnings;
};

struct cataloger {
	const char *name;
	/* Whether the image reader should keep the file at path (normalised, relative). */
	int (*wants)(const char *path);
	/*
	 * Parse one version of a file the cataloger wanted and append what it
	 * describes to out; strings go in cat->arena. Returns 0, or a negative
	 * ERR_* with a message in err when the file is damaged: the catalog then
	 * records a warning and goes on, keeping the packages parse appended
	 * before it gave up. It may be called again on the older
	 * versions of the same file (file->lower) to find the layer that
	 * introduced each package, so it must not change the catalog itself,
	 * except for the OS cataloger, which runs first and fills cat->os.
	 */
	int (*parse)(struct catalog *cat, const struct fs_file *file, struct package_list *out, struct strbuf *err);
};

#define CATALOGER(id) extern const struct cataloger cataloger_##id;
#include "catalog/catalogers.def"
#undef CATALOGER

/* Every registered cataloger, in the order of catalogers.def, NULL-terminated. */
extern const struct cataloger *const catalogers[];

/* The image_want_fn to pass to image_open: the union of every cataloger's wants. */
int catalog_wants(const char *path, void *unused);

/*
 * Run every cataloger over img. On success *out is a catalog the caller frees
 * with catalog_free(); damaged package databases become warnings in it, not
 * failures. img must outlive the catalog.
 */
int catalog_build(struct catalog **out, const struct image *img, struct strbuf *err);
void catalog_free(struct catalog *cat);

/* Append a zeroed package to list and return it for the caller to fill. */
struct package *package_list_append(struct package_list *list);
void package_list_release(struct package_list *list);

/*
 * Build a package URL (purl-spec): percent-encodes each part, sorts the
 * qualifiers by key and skips those whose value is NULL or empty.
 * qualifiers is a NULL-terminated list of key, value pairs. Returns a string
 * in arena a.
 */
const char *purl_build(struct arena *a, const char *type, const char *namespace, const char *name,
		       const char *version, const char *const *qualifiers);

#endif
