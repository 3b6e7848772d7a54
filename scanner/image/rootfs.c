/* dir:PATH, a root filesystem folder walked in place; symlinks are recorded, never followed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/error.h"
#include "util/xalloc.h"

/* Deeper trees are not walked: no real root filesystem nests this far. */
#define ROOTFS_MAX_DEPTH 128

struct rootfs_walk {
	struct image *img;
	const struct image_options *opt;
	const char *target;
	struct layer_record *rec;
	struct strbuf path;
	uint64_t bytes;
};

/* Kernel pseudo filesystems: walking dir:/ must not wander into /proc or /sys. */
static int is_pseudo_fs(int fd)
{
	static const unsigned long magics[] = {
	    0x9fa0,	/* proc */
	    0x62656572, /* sysfs */
	    0x1cd1,	/* devpts */
	    0x27e0eb,	/* cgroup */
	    0x63677270, /* cgroup2 */
	    0x64626720, /* debugfs */
	    0x74726163, /* tracefs */
	    0x73636673, /* securityfs */
	    0xcafe4a11, /* bpf */
	    0x6165676c, /* pstore */
	    0x62656570, /* configfs */
	    0x42494e4d, /* binfmt_misc */
	    0x19800202, /* mqueue */
	    0x65735543, /* fusectl */
	    0xde5e81e4, /* efivarfs */
	};
	struct statfs sf;
	size_t i;

	if (fstatfs(fd, &sf))
		return 0;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if ((unsigned long)sf.f_type == magics[i])
			return 1;
	return 0;
}

/* Chunk size for the contents an observer asks for. */
#define OBSERVE_CHUNK (64 * 1024)

static int observe(struct rootfs_walk *rw, const struct stat *st)
{
	const struct image_observer *obs = rw->opt->observer;
	struct image_entry ie;

	if (!obs || !obs->entry)
		return 0;
	memset(&ie, 0, sizeof(ie));
	ie.path = rw->path.buf;
	ie.mode = st->st_mode & 07777;
	ie.layer_token = -1;
	if (S_ISREG(st->st_mode)) {
		ie.kind = FS_REGULAR;
		ie.size = st->st_size > 0 ? (uint64_t)st->st_size : 0;
	} else if (S_ISLNK(st->st_mode)) {
		ie.kind = FS_SYMLINK;
	} else {
		ie.kind = FS_OTHER;
		ie.is_dir = S_ISDIR(st->st_mode);
	}
	return obs->entry(obs->data, &ie) == 1 && ie.kind == FS_REGULAR;
}

/* Hand bytes already in memory to the observer, in chunks, until it has had enough. */
static void observe_buffer(struct rootfs_walk *rw, const unsigned char *data, size_t len)
{
	const struct image_observer *obs = rw->opt->observer;
	size_t off = 0;

	while (off < len && obs->contents) {
		size_t n = len - off < OBSERVE_CHUNK ? len - off : OBSERVE_CHUNK;

		if (obs->contents(obs->data, data + off, n) == IMAGE_OBSERVE_ENOUGH)
			break;
		off += n;
	}
	if (obs->end)
		obs->end(obs->data);
}

/* Read a file nobody keeps for the observer, at most max_file_size bytes, never following a symlink. */
static void observe_file(struct rootfs_walk *rw, int dfd, const char *name, const struct stat *st)
{
	const struct image_observer *obs = rw->opt->observer;
	uint64_t left = rw->opt->max_file_size;
	unsigned char *buf;
	struct stat now;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0 || fstat(fd, &now) || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino) {
		if (fd >= 0)
			close(fd);
		if (obs->end)
			obs->end(obs->data);
		return;
	}
	buf = xmalloc(OBSERVE_CHUNK);
	while (left && obs->contents) {
		ssize_t n = read(fd, buf, left < OBSERVE_CHUNK ? (size_t)left : OBSERVE_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		left -= (uint64_t)n;
		rw->bytes += (uint64_t)n;
		if (obs->contents(obs->data, buf, (size_t)n) == IMAGE_OBSERVE_ENOUGH)
			break;
	}
	free(buf);
	close(fd);
	if (obs->end)
		obs->end(obs->data);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_kept(struct rootfs_walk *rw, int dfd, const char *name, const struct stat *st,
		      struct rec_file *f)
{
	size_t cap = rw->opt->max_file_size;
	size_t want = (uint64_t)st->st_size < cap ? (size_t)st->st_size : cap;
	unsigned char *buf;
	size_t got = 0;
	struct stat now;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	f->kind = FS_REGULAR;
	f->real_size = (uint64_t)st->st_size;
	if (fd < 0 || fstat(fd, &now) || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino) {
		warnings_add(&rw->rec->warnings, &rw->img->arena, "cannot read '%s' in '%s': %s", rw->path.buf,
				  rw->target, fd < 0 ? strerror(errno) : "it changed while being read");
		if (fd >= 0)
			close(fd);
		f->data = arena_memdup(&rw->img->arena, "", 0);
		f->truncated = 1;
		return;
	}
	buf = arena_alloc(&rw->img->arena, want + 1);
	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	f->data = buf;
	f->size = got;
	rw->bytes += got;
	if (f->real_size > got) {
		f->truncated = 1;
		warnings_add(&rw->rec->warnings, &rw->img->arena,
				  "file '%s' in '%s' is larger than %zu bytes: only the start was read",
				  rw->path.buf, rw->target, cap);
	}
}

static void walk(struct rootfs_walk *rw, int dfd, int depth)
{
	const struct image_options *opt = rw->opt;
	char **names = NULL;
	size_t nr = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d = fdopendir(dfd);

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_names);

	for (i = 0; i < nr; i++) {
		size_t base = rw->path.len;
		struct rec_file f;
		struct stat st;
		int wanted, observed;

		if (base)
			strbuf_addch(&rw->path, '/');
		strbuf_addstr(&rw->path, names[i]);
		memset(&f, 0, sizeof(f));
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW))
			goto next;
		observed = observe(rw, &st);
		wanted = opt->want ? opt->want(rw->path.buf, opt->want_data) : 0;
		if (observed && !wanted)
			observe_file(rw, dirfd(d), names[i], &st);
		f.path = NULL;
		f.mode = st.st_mode & 07777;
		if (S_ISDIR(st.st_mode)) {
			int sub;

			if (wanted) {
				f.kind = FS_OTHER;
				f.is_dir = 1;
				f.path = arena_strdup(&rw->img->arena, rw->path.buf);
				layer_record_add(rw->rec, &f);
			}
			if (depth >= ROOTFS_MAX_DEPTH) {
				warnings_add(&rw->rec->warnings, &rw->img->arena,
						  "'%s' in '%s' nests too deeply; not read", rw->path.buf,
						  rw->target);
				goto next;
			}
			sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				goto next;
			if (is_pseudo_fs(sub)) {
				close(sub);
				goto next;
			}
			walk(rw, sub, depth + 1);
		} else if (S_ISLNK(st.st_mode)) {
			char target[IMAGE_MAX_LINK_TARGET + 1];
			ssize_t n;

			if (!wanted && path_depth(rw->path.buf) > 2)
				goto next;
			n = readlinkat(dirfd(d), names[i], target, sizeof(target) - 1);
			if (n < 0)
				goto next;
			target[n] = '\0';
			f.kind = FS_SYMLINK;
			f.path = arena_strdup(&rw->img->arena, rw->path.buf);
			f.link_target = arena_strdup(&rw->img->arena, target);
			layer_record_add(rw->rec, &f);
		} else if (wanted) {
			f.path = arena_strdup(&rw->img->arena, rw->path.buf);
			if (S_ISREG(st.st_mode)) {
				read_kept(rw, dirfd(d), names[i], &st, &f);
				if (observed)
					observe_buffer(rw, f.data, f.size);
			} else {
				f.kind = FS_OTHER;
			}
			layer_record_add(rw->rec, &f);
		}
	next:
		rw->path.len = base;
		rw->path.buf[base] = '\0';
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	closedir(d);
}

int open_rootfs(struct image *img, const char *dir, const char *target, const struct image_options *opt,
		struct strbuf *err)
{
	struct rootfs_walk rw;
	struct ingest ing;
	size_t i;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return error_code(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_BAD_INPUT,
				  "cannot read '%s': %s", target,
				  errno == ENOTDIR ? "not a folder" : strerror(errno));
	ingest_init(&ing, img, opt, target);
	memset(&rw, 0, sizeof(rw));
	rw.img = img;
	rw.opt = opt;
	rw.target = target;
	rw.rec = layer_record_new(&ing, target);
	strbuf_init(&rw.path, 0);
	walk(&rw, fd, 0);
	strbuf_release(&rw.path);

	merge_layers(img, &rw.rec, 1, 1);
	img->kind = IMAGE_ROOTFS;
	for (i = 0; i < rw.rec->warnings.nr; i++)
		warnings_add(&img->warnings, &img->arena, "%s", rw.rec->warnings.msgs[i]);
	if (opt->progress)
		opt->progress(opt->progress_data, 0, 0, rw.bytes);
	ingest_release(&ing);
	return 0;
}
