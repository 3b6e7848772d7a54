/* Posture checks over the files of the layers, run as an image observer inside the one streaming pass. */
#ifndef CUSTOMS_CHECKS_FILE_CHECKS_H
#define CUSTOMS_CHECKS_FILE_CHECKS_H

#include "checks/checks.h"
#include "checks/secrets.h"
#include "image/image.h"

/*
 * What the observer looks at, per entry of every layer (see struct
 * image_observer in image/image.h for the order and threads):
 *
 * - CHECK_KIND_SECRET: the contents of regular files go to the secret
 *   detector (checks/secrets.h, one per scan, with its own caps: the first
 *   1 MiB of a file, which is skipped as soon as the detector calls it
 *   binary). Hard links (their bytes went by with their target), device
 *   files and anything under proc/, sys/ or dev/ are not read. A secret in
 *   a file that a later layer deletes or replaces is still reported, since
 *   its bytes ship in the image; the detail says so.
 *
 * - CHECK_KIND_CONFIG, CUS-CFG-009 SETUID_ADDED: regular files with the
 *   setuid or setgid bit in the image's own layers, unless a later layer
 *   deletes the path or puts another entry there (a setuid file put there
 *   again is reported for that later layer). Own layers are those after the
 *   base image, which the history tells: the last CMD or ENTRYPOINT entry
 *   that made no layer and is followed by an entry that made one closes the
 *   base image (the base's own final instruction). With no such entry, or
 *   no history at all, the first layer is taken as the base and the later
 *   ones as the image's own: a one-layer distribution image is its own
 *   base, and its su and passwd are not news. A Dockerfile says better
 *   (file_checks_set_own_layers()). A rootfs folder has no layers and gets
 *   no SETUID_ADDED findings.
 *
 * - CHECK_KIND_CONFIG, CUS-CFG-008 PACKAGE_CACHE: files a package manager
 *   left in a layer: apt (var/cache/apt/archives/ *.deb, var/lib/apt/lists/
 *   other than lock and partial/), apk (var/cache/apk/), dnf (var/cache/dnf/),
 *   yum (var/cache/yum/), pip (root/.cache/pip/), npm (root/.npm/_cacache/).
 *   One finding per layer and manager with the files and bytes a later layer
 *   does not delete; none when a later layer deletes them all. For a layer
 *   the observer saw, these findings replace the history-based CUS-CFG-008
 *   findings of config_checks_run() about the same layer: the files say
 *   what is really left.
 *
 * Memory is bounded whatever the image holds: no file's bytes are kept
 * beyond the detector's window, and per entry only a 64-bit hash of its
 * path (up to FILE_CHECKS_MAX_ENTRIES entries; past that, replacement of a
 * setuid file by a later layer is no longer noticed). Paths of later layers
 * are compared by that hash: a collision could hide a finding, never invent
 * one. Whiteouts, setuid files and cache files each have their own caps,
 * past which they are only counted (caches) or ignored.
 */
#define FILE_CHECKS_MAX_ENTRIES (4u << 20)

struct file_checks;

/*
 * A collector for one image_open(); kinds are bits (1u << enum check_kind),
 * of which CHECK_KIND_CONFIG and CHECK_KIND_SECRET matter here. Free it
 * with file_checks_free().
 */
struct file_checks *file_checks_new(unsigned kinds);
void file_checks_free(struct file_checks *fc);

/* The observer to put in image_options.observer; owned by fc and valid as long as it. */
const struct image_observer *file_checks_observer(struct file_checks *fc);

/* The secret detector's counters (files begun, bytes scanned, ...), for benches and --verbose. */
const struct secrets_stats *file_checks_secret_stats(const struct file_checks *fc);

/*
 * After image_open(img) with fc's observer: append to out every finding of
 * the kinds asked (bits of enum check_kind). CHECK_KIND_CONFIG runs
 * config_checks_run() too, and the file checks above; CHECK_KIND_SECRET
 * gives the secrets. fc may be NULL (no observer ran): then only the
 * config and history checks run. Every string is copied into out->arena,
 * one line of valid UTF-8, and no string holds a secret's value. The kinds
 * that ran are added to out->kinds_run. Returns 0.
 */
int image_checks_collect(struct file_checks *fc, const struct image *img, unsigned kinds,
			 struct check_results *out);

/*
 * The index into img->layers of the first layer of the image's own, after
 * its base image, from the history as described above; 1 when the history
 * shows no base image (0 for an image without layers).
 */
size_t image_first_own_layer(const struct image *img);

/*
 * Tell fc that the image's own build made its last count layers, as the
 * Dockerfile's final stage says (dockerfile_own_layer_count()); this
 * replaces the history's guess. Call it before image_checks_collect().
 */
void file_checks_set_own_layers(struct file_checks *fc, size_t count);

#endif
