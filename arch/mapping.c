/* SPDX-License-Identifier: MIT */
/*
 * arch/mapping.c - the host side of second mappings (arch/mapping.h):
 * the memory files, shared mappings of them and of device files, guard
 * regions, and the fork-time copies that keep a child's memory private.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "arch/host.h"
#include "arch/mapping.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#define MADV_GUARD_REMOVE	103
#endif

struct host_file {
	int fd;			/* -1 until created */
	int copy;		/* fork: the child's copy, between copy and switch/drop */
	bool copy_broken;	/* fork: a change could not be made to the copy too */
	u64 size;
	dev_t dev, old_dev;	/* the file's identity in /proc/self/maps (before the switch) */
	ino_t ino, old_ino;
	const char *name;
};

static struct host_file files[NR_ARCH_FILES] = {
	[ARCH_PHYS_FILE] = { .fd = -1, .copy = -1, .name = "ukmem-physmem" },
	[ARCH_VMALLOC_FILE] = { .fd = -1, .copy = -1, .name = "ukmem-vmalloc" },
};
static int files_init_lock;

/* files[].fd: a descriptor, FILE_NONE (never made) or FILE_LOST (see file_fd_checked). */
#define FILE_NONE	(-1)
#define FILE_LOST	(-2)

static int maps_each_line(int (*fn)(const char *line, void *arg), void *arg);
static bool parse_num(const char **p, unsigned int base, char sep, unsigned long *v);

/*
 * fork: from arch_files_fork_copy() to the switch or the drop, the copies
 * exist ("pending") and every change this library makes to a file's
 * contents (a hole punched, bytes written) is made to its copy as well, so
 * that the copy, taken before fork() holds any lock, is still exact when
 * the fork happens.  copy_lock orders the copy's chunks against those
 * changes: a change made to a range while a chunk of it was being copied
 * reaches the copy after that chunk.  Held for one chunk (4 MiB) or one
 * change, never across anything else.
 */
static bool fork_pending;
static int copy_lock;

#define COPY_CHUNK	(4UL << 20)

static void copy_lock_take(void)
{
	while (__atomic_exchange_n(&copy_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void copy_lock_release(void)
{
	__atomic_store_n(&copy_lock, 0, __ATOMIC_RELEASE);
}

/*
 * A descriptor the library keeps is moved above 0-2: a program started
 * with standard streams closed would otherwise get its memory file as
 * stdin or stdout, and its own reads and writes would read and overwrite
 * kernel memory.  If no higher number is free, the low one is kept.
 */
static int fd_above_stdio(int fd)
{
	int moved;

	if (fd < 0 || fd > 2)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (moved < 0)
		return fd;
	close(fd);
	return moved;
}

static int new_file(const char *name, u64 size)
{
	int fd = fd_above_stdio(memfd_create(name, MFD_CLOEXEC)), err;

	if (fd < 0)
		return -errno;
	err = arch_file_set_size(fd, size);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* Remember which file @fd is, as /proc/self/maps names it. */
static void note_identity(struct host_file *hf, int fd)
{
	struct stat st;

	if (!fstat(fd, &st)) {
		hf->dev = st.st_dev;
		hf->ino = st.st_ino;
	}
}

static inline int file_fd(enum arch_file f)
{
	return __atomic_load_n(&files[f].fd, __ATOMIC_ACQUIRE);
}

int arch_file_init(enum arch_file f, u64 size)
{
	int saved = errno, ret = 0;

	if (file_fd(f) >= 0)
		return 0;
	while (__atomic_exchange_n(&files_init_lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	if (files[f].fd == FILE_LOST)
		ret = -EBADF;	/* its mappings live on; a new file would not be theirs */
	else if (files[f].fd < 0) {
		int fd = new_file(files[f].name, size), copy = -1;

		/* A fork is pending: its child gets this file too (empty, as it is). */
		if (fd >= 0 && __atomic_load_n(&fork_pending, __ATOMIC_ACQUIRE)) {
			copy = new_file(files[f].name, size);
			if (copy < 0) {
				close(fd);
				fd = copy;
			}
		}
		if (fd < 0) {
			ret = fd;
		} else {
			files[f].size = size;
			note_identity(&files[f], fd);
			copy_lock_take();
			/* Read without copy_lock by the fork's refresh (arch_files_fork_refresh()). */
			__atomic_store_n(&files[f].copy, copy, __ATOMIC_RELEASE);
			copy_lock_release();
			__atomic_store_n(&files[f].fd, fd, __ATOMIC_RELEASE);
		}
	}
	__atomic_store_n(&files_init_lock, 0, __ATOMIC_RELEASE);
	errno = saved;
	return ret;
}

bool arch_file_ready(enum arch_file f)
{
	return file_fd(f) >= 0;
}

/* Does @fd still name file @hf (the program may have closed it and reused the number)? */
static bool fd_is(const struct host_file *hf, int fd)
{
	struct stat st;

	return fd >= 0 && !fstat(fd, &st) && st.st_dev == hf->dev && st.st_ino == hf->ino;
}

struct identity_query {
	const struct host_file *hf;
	int fd;
};

/* A line of /proc/self/maps that maps @q->hf: open the file again through it. */
static int reopen_from_line(const char *line, void *arg)
{
	struct identity_query *q = arg;
	unsigned long start, end, off, maj, min, ino;
	char path[64];
	int fd;

	if (!parse_num(&line, 16, '-', &start) || !parse_num(&line, 16, ' ', &end))
		return 0;
	line += 5;	/* perms */
	if (!parse_num(&line, 16, ' ', &off) || !parse_num(&line, 16, ':', &maj) ||
	    !parse_num(&line, 16, ' ', &min))
		return 0;
	if (!parse_num(&line, 10, ' ', &ino) && !parse_num(&line, 10, 0, &ino))
		return 0;
	if (ino != (unsigned long)q->hf->ino || maj != major(q->hf->dev) ||
	    min != minor(q->hf->dev))
		return 0;
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", start, end);
	fd = fd_above_stdio(open(path, O_RDWR | O_CLOEXEC));
	if (fd < 0)
		return 0;	/* another mapping may do; most likely none will (privilege) */
	if (!fd_is(q->hf, fd)) {
		close(fd);
		return 0;
	}
	q->fd = fd;
	return 1;
}

/*
 * The descriptor of file @f, checked.  A program may close descriptors it
 * did not open (a daemon's closefrom(3), dup2() over a number) and reuse
 * the number for a file of its own: every use checks that the number
 * still names our file before the host is asked to map, cut, write or
 * copy it, so that a program's file is never mapped in or punched.  A lost
 * file is opened again through one of its mappings
 * (/proc/self/map_files, which the host opens for privileged processes
 * only); failing that it stays lost (FILE_LOST): its mappings keep their
 * memory, and everything that needs the file fails with -EBADF, which the
 * callers answer as an allocation failure.
 */
static int file_fd_checked(enum arch_file f)
{
	struct host_file *hf = &files[f];
	struct identity_query q = { .hf = hf, .fd = -1 };
	int fd = file_fd(f), saved = errno;

	if (fd < 0)
		return -EBADF;
	if (likely(fd_is(hf, fd)))
		return fd;
	while (__atomic_exchange_n(&files_init_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	fd = hf->fd;
	if (fd >= 0 && !fd_is(hf, fd)) {
		/* Never close the old number: it is the program's now. */
		maps_each_line(reopen_from_line, &q);
		fd = q.fd >= 0 ? q.fd : FILE_LOST;
		__atomic_store_n(&hf->fd, fd, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&files_init_lock, 0, __ATOMIC_RELEASE);
	errno = saved;
	return fd >= 0 ? fd : -EBADF;
}

bool arch_file_lost(enum arch_file f)
{
	return file_fd(f) == FILE_LOST;
}

int arch_file_populate(enum arch_file f, u64 off, size_t len)
{
	int saved = errno, ret = 0, fd = file_fd_checked(f);

	if (fd < 0)
		return fd;
	if (fallocate(fd, 0, (off_t)off, (off_t)len))
		ret = errno == ENOSPC ? -ENOMEM : -errno;
	errno = saved;
	return ret;
}

static int punch(int fd, u64 off, size_t len)
{
	return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
			 (off_t)len) ? -errno : 0;
}

/*
 * A fork is pending: make the change to the child's copy too.  Called
 * after the change to the file itself, so a copy made before this point
 * gets it here and one made after has it already.
 */
static void mirror(enum arch_file f, u64 off, const void *src, size_t len)
{
	struct host_file *hf = &files[f];

	if (likely(!__atomic_load_n(&fork_pending, __ATOMIC_ACQUIRE)))
		return;
	copy_lock_take();
	if (hf->copy >= 0) {
		int ret = src ? (pwrite(hf->copy, src, len, (off_t)off) == (ssize_t)len ? 0 : -1) :
				punch(hf->copy, off, len);

		if (ret)
			hf->copy_broken = true;
	}
	copy_lock_release();
}

int arch_file_release(enum arch_file f, u64 off, size_t len)
{
	int saved = errno, fd = file_fd_checked(f), ret;

	if (fd < 0)
		return fd;
	ret = punch(fd, off, len);
	if (!ret)
		mirror(f, off, NULL, len);
	errno = saved;
	return ret;
}

int arch_file_write(enum arch_file f, u64 off, const void *src, size_t len)
{
	int saved = errno, fd = file_fd_checked(f);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = pwrite(fd, src, len, (off_t)off);

	if (n > 0)
		mirror(f, off, src, (size_t)n);
	errno = saved;
	return n == (ssize_t)len ? 0 : -ENOMEM;
}

int arch_file_read(enum arch_file f, u64 off, void *dst, size_t len)
{
	int saved = errno, fd = file_fd_checked(f);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = pread(fd, dst, len, (off_t)off);

	errno = saved;
	return n == (ssize_t)len ? 0 : -EIO;
}

/*
 * After a failed MAP_FIXED: the host normally leaves the old mapping (map
 * count and commit charge are checked before anything is unmapped), but
 * if it dropped it, the hole must not stay free for anyone to map.
 */
static void fill_if_unmapped(void *addr, size_t len)
{
	unsigned char vec;

	if (mincore(addr, 4096, &vec) && errno == ENOMEM)
		mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		     -1, 0);
}

static int map_shared(void *addr, size_t len, int fd, u64 offset, unsigned int flags)
{
	int saved = errno, ret = 0;
	int prot = (flags & ARCH_MAP_NONE) ? PROT_NONE : PROT_READ | PROT_WRITE;
	void *p = mmap(addr, len, prot,
		       MAP_SHARED | MAP_FIXED | ((flags & ARCH_MAP_POPULATE) ? MAP_POPULATE : 0),
		       fd, (off_t)offset);

	if (p == MAP_FAILED) {
		ret = -errno;
		fill_if_unmapped(addr, len);
	}
	errno = saved;
	return ret;
}

int arch_map_fd(void *addr, size_t len, int fd, u64 offset)
{
	return map_shared(addr, len, fd, offset, 0);
}

int arch_map_file(void *addr, size_t len, enum arch_file f, u64 off, unsigned int flags)
{
	int fd = file_fd_checked(f);

	return fd < 0 ? fd : map_shared(addr, len, fd, off, flags);
}

int arch_dup_fd(int fd)
{
	int saved = errno, ret = fcntl(fd, F_DUPFD_CLOEXEC, 3);	/* above 0-2: fd_above_stdio() */

	if (ret < 0)
		ret = -errno;
	errno = saved;
	return ret;
}

void arch_close_fd(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
}

long long arch_fd_size(int fd)
{
	struct stat st;
	int saved = errno;
	long long ret;

	ret = fstat(fd, &st) ? -errno : (long long)st.st_size;
	errno = saved;
	return ret;
}

int arch_unmap_to_reserved(void *addr, size_t len)
{
	int saved = errno, ret = 0;

	/* PROT_NONE private memory is not charged, so only the map count can say no. */
	if (mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		 -1, 0) == MAP_FAILED) {
		ret = -errno;
		fill_if_unmapped(addr, len);
	}
	errno = saved;
	return ret;
}

int arch_remap_anon(void *addr, size_t len)
{
	int saved = errno, ret = 0;

	/* One call: the charge is taken here, and a refusal leaves the old mapping. */
	if (mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED) {
		ret = -errno;
		fill_if_unmapped(addr, len);
	}
	errno = saved;
	return ret;
}

static int do_madvise(void *addr, size_t len, int advice)
{
	int saved = errno, ret = 0;

	while (madvise(addr, len, advice)) {
		if (errno == EINTR || errno == EAGAIN)
			continue;
		ret = -errno;
		break;
	}
	errno = saved;
	return ret;
}

int arch_guard_install(void *addr, size_t len)
{
	return do_madvise(addr, len, MADV_GUARD_INSTALL);
}

int arch_guard_remove(void *addr, size_t len)
{
	return do_madvise(addr, len, MADV_GUARD_REMOVE);
}

bool arch_guard_supported(void)
{
	static int known;	/* 0 not asked, 1 yes, -1 no */
	int saved = errno;
	void *p;

	if (known)
		return known > 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		known = do_madvise(p, 4096, MADV_GUARD_INSTALL) ? -1 : 1;
		munmap(p, 4096);
	} else {
		known = -1;
	}
	errno = saved;
	return known > 0;
}

int arch_protect(void *addr, size_t len, bool rw)
{
	int saved = errno, ret = 0;

	if (mprotect(addr, len, rw ? PROT_READ | PROT_WRITE : PROT_NONE))
		ret = -errno;
	errno = saved;
	return ret;
}

/* One chunk of an extent, from @from to @to at @pos; bytes copied or -errno. */
static ssize_t copy_chunk(int from, int to, off_t pos, size_t len)
{
	off_t in = pos, out = pos;
	ssize_t n = copy_file_range(from, &in, to, &out, len, 0);

	if (n <= 0) {
		/*
		 * No in-kernel copy: go through a buffer, a static one under
		 * copy_lock.  On the stack its 64 KiB jumped the guard page of
		 * a small thread stack, in whichever thread forks, and wrote
		 * over what lay below it (glibc's data, a 32 KiB stack).
		 */
		static char buf[65536];
		ssize_t r = pread(from, buf, len < sizeof(buf) ? len : sizeof(buf), pos);

		if (r <= 0 || pwrite(to, buf, (size_t)r, pos) != r)
			return errno == ENOSPC ? -ENOMEM : -EIO;
		n = r;
	}
	return n;
}

/*
 * Copy every allocated extent of file @f in [start, end) into its copy
 * (holes stay holes): the kernel copies page cache to page cache
 * (copy_file_range, splice inside tmpfs) without passing the bytes
 * through this process.
 */
static int copy_range(enum arch_file f, u64 start, u64 end)
{
	struct host_file *hf = &files[f];
	int from = file_fd_checked(f);
	off_t pos = (off_t)start;

	if (from < 0)
		return from;	/* lost: the child would share the parent's memory */

	if (end > hf->size)
		end = hf->size;
	while ((u64)pos < end) {
		off_t data = lseek(from, pos, SEEK_DATA), hole;

		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		if ((u64)data >= end)
			break;
		hole = lseek(from, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if ((u64)hole > end)
			hole = (off_t)end;
		while (data < hole) {
			size_t len = (size_t)(hole - data) < COPY_CHUNK ? (size_t)(hole - data) :
								       COPY_CHUNK;
			ssize_t n;

			copy_lock_take();
			n = copy_chunk(from, hf->copy, data, len);
			copy_lock_release();
			if (n < 0)
				return (int)n;
			data += n;
		}
		pos = hole;
	}
	return 0;
}

static int copy_extents(enum arch_file f)
{
	return copy_range(f, 0, files[f].size);
}

void arch_files_fork_drop(void)
{
	int saved = errno, f;

	copy_lock_take();
	for (f = 0; f < NR_ARCH_FILES; f++) {
		if (files[f].copy >= 0)
			close(files[f].copy);
		__atomic_store_n(&files[f].copy, -1, __ATOMIC_RELEASE);
		files[f].copy_broken = false;
	}
	__atomic_store_n(&fork_pending, false, __ATOMIC_RELEASE);
	copy_lock_release();
	errno = saved;
}

/* files_init_lock: wait, or try (once when alone: the holder is the code a handler interrupted). */
static bool files_init_lock_take(bool wait)
{
	unsigned int tries = wait ? ~0U : arch_single_threaded() ? 1 : 1000;

	while (__atomic_exchange_n(&files_init_lock, 1, __ATOMIC_ACQUIRE)) {
		if (!--tries)
			return false;
		sched_yield();
	}
	return true;
}

int arch_files_fork_copy(bool wait)
{
	int saved = errno, f, ret = 0;
	unsigned int mine = 0;	/* the files copied here (not those made meanwhile) */

	/* Pending from here: a file created meanwhile gets its (empty) copy. */
	if (!files_init_lock_take(wait))
		return -EAGAIN;		/* a memory file is being made: not now */
	__atomic_store_n(&fork_pending, true, __ATOMIC_RELEASE);
	for (f = 0; f < NR_ARCH_FILES && !ret; f++) {
		int fd;

		if (files[f].fd == FILE_LOST) {
			ret = -EBADF;	/* no copy can be made: no fork */
			break;
		}
		if (files[f].fd < 0)
			continue;
		fd = new_file(files[f].name, files[f].size);
		if (fd < 0)
			ret = fd;
		copy_lock_take();
		__atomic_store_n(&files[f].copy, fd < 0 ? -1 : fd, __ATOMIC_RELEASE);
		copy_lock_release();
		if (fd >= 0)
			mine |= 1U << f;
	}
	__atomic_store_n(&files_init_lock, 0, __ATOMIC_RELEASE);
	for (f = 0; f < NR_ARCH_FILES && !ret; f++)
		if (mine & (1U << f))
			ret = copy_extents((enum arch_file)f);
	if (ret)
		arch_files_fork_drop();
	errno = saved;
	return ret;
}

int arch_files_fork_refresh(enum arch_file f)
{
	int saved = errno, ret = 0;

	/* A file another thread is making now has its copy, empty, already: none to fill. */
	if (__atomic_load_n(&files[f].copy, __ATOMIC_ACQUIRE) >= 0)
		ret = copy_extents(f);
	errno = saved;
	return ret;
}

int arch_files_fork_refresh_range(enum arch_file f, u64 off, size_t len)
{
	int saved = errno, ret = 0;

	if (__atomic_load_n(&files[f].copy, __ATOMIC_ACQUIRE) >= 0)
		ret = copy_range(f, off, off + len);
	errno = saved;
	return ret;
}

int arch_files_fork_switch(void)
{
	int saved = errno, f, ret = 0;

	for (f = 0; f < NR_ARCH_FILES; f++) {
		if (files[f].copy_broken)
			ret = -EIO;
		if (files[f].copy < 0)
			continue;
		if (fd_is(&files[f], files[f].fd))	/* else the number is the program's */
			close(files[f].fd);
		__atomic_store_n(&files[f].fd, files[f].copy, __ATOMIC_RELEASE);
		__atomic_store_n(&files[f].copy, -1, __ATOMIC_RELEASE);
		files[f].old_dev = files[f].dev;
		files[f].old_ino = files[f].ino;
		note_identity(&files[f], files[f].fd);
	}
	__atomic_store_n(&fork_pending, false, __ATOMIC_RELEASE);
	errno = saved;
	return ret;
}

/* The file whose identity before the switch was @maj:@min @ino, or -1. */
static int file_by_old_identity(unsigned long maj, unsigned long min, unsigned long ino)
{
	int f;

	for (f = 0; f < NR_ARCH_FILES; f++)
		if (files[f].fd >= 0 && files[f].old_ino == (ino_t)ino &&
		    major(files[f].old_dev) == maj && minor(files[f].old_dev) == min)
			return f;
	return -1;
}

/* A number in @base at *@p, then the separator @sep; false if malformed. */
static bool parse_num(const char **p, unsigned int base, char sep, unsigned long *v)
{
	const char *s = *p;

	*v = 0;
	for (;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else
			break;
		*v = *v * base + d;
	}
	if (s == *p || *s != sep)
		return false;
	*p = s + 1;
	return true;
}

/*
 * One line of /proc/self/maps ("start-end perms offset maj:min inode
 * path", parsed by hand: no stdio in a child that may not allocate): a
 * shared mapping of an old file is made from the new one.
 */
static int remap_line(const char *line)
{
	unsigned long start, end, off, maj, min, ino;
	const char *perms;
	int f, prot = 0;

	if (!parse_num(&line, 16, '-', &start) || !parse_num(&line, 16, ' ', &end))
		return 0;
	perms = line;
	if (strlen(perms) < 5 || perms[3] != 's' || perms[4] != ' ')
		return 0;
	line += 5;
	if (!parse_num(&line, 16, ' ', &off) || !parse_num(&line, 16, ':', &maj) ||
	    !parse_num(&line, 16, ' ', &min))
		return 0;
	if (!parse_num(&line, 10, ' ', &ino) && !parse_num(&line, 10, 0, &ino))
		return 0;
	f = file_by_old_identity(maj, min, ino);
	if (f < 0)
		return 0;
	if (perms[0] == 'r')
		prot |= PROT_READ;
	if (perms[1] == 'w')
		prot |= PROT_WRITE;
	if (mmap((void *)start, end - start, prot, MAP_SHARED | MAP_FIXED, files[f].fd,
		 (off_t)off) != MAP_FAILED)
		return 0;
	/* Never shared with the parent: inaccessible rather than shared. */
	if (mmap((void *)start, end - start, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) != MAP_FAILED)
		return 0;
	return -errno;
}

/*
 * Each line of /proc/self/maps, NUL-terminated, to @fn until it returns
 * non-zero (which is returned; -errno if the file cannot be read).  Read
 * in blocks through a buffer on the stack: no stdio, no allocation (a fork
 * child that may not allocate, a scan under allocator locks); a line cut
 * by the end of a block is read again from its start.  The kernel goes on
 * from the last address shown, so @fn may change the mappings.
 */
static int maps_each_line(int (*fn)(const char *line, void *arg), void *arg)
{
	int saved = errno, fd, ret = 0;
	char buf[4096];
	size_t have = 0;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		errno = saved;
		return ret;
	}
	while (!ret) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *line, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		for (line = buf; !ret && (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = 0;
			ret = fn(line, arg);
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* no line is that long */
	}
	close(fd);
	errno = saved;
	return ret;
}

static int remap_one(const char *line, void *unused)
{
	return remap_line(line);
}

int arch_files_fork_remap_all(void)
{
	return maps_each_line(remap_one, NULL);
}

struct mapping_query {
	unsigned long addr, start, end;
};

static int mapping_holds(const char *line, void *arg)
{
	struct mapping_query *q = arg;
	unsigned long lo, hi;

	if (!parse_num(&line, 16, '-', &lo) || !parse_num(&line, 16, ' ', &hi))
		return 0;
	if (q->addr < lo || q->addr >= hi)
		return 0;
	q->start = lo;
	q->end = hi;
	return 1;
}

bool arch_mapping_of(unsigned long addr, unsigned long *start, unsigned long *end)
{
	struct mapping_query q = { .addr = addr };

	if (maps_each_line(mapping_holds, &q) != 1)
		return false;
	*start = q.start;
	*end = q.end;
	return true;
}
