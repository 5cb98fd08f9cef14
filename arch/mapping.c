/* SPDX-License-Identifier: MIT */
/*
 * arch/mapping.c - the host side of second mappings (arch/mapping.h):
 * the memory files, shared mappings of them and of device files, guard
 * regions, and the fork-time copies that keep a child's memory private.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch/mapping.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#define MADV_GUARD_REMOVE	103
#endif

struct host_file {
	int fd;			/* -1 until created */
	int copy;		/* fork: the child's copy, between copy and switch/drop */
	u64 size;
	const char *name;
};

static struct host_file files[NR_ARCH_FILES] = {
	[ARCH_PHYS_FILE] = { -1, -1, 0, "ukmem-physmem" },
	[ARCH_VMALLOC_FILE] = { -1, -1, 0, "ukmem-vmalloc" },
};
static int files_init_lock;

static int new_file(const char *name, u64 size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
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
	if (files[f].fd < 0) {
		int fd = new_file(files[f].name, size);

		if (fd < 0) {
			ret = fd;
		} else {
			files[f].size = size;
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

int arch_file_populate(enum arch_file f, u64 off, size_t len)
{
	int saved = errno, ret = 0;

	if (fallocate(file_fd(f), 0, (off_t)off, (off_t)len))
		ret = errno == ENOSPC ? -ENOMEM : -errno;
	errno = saved;
	return ret;
}

int arch_file_release(enum arch_file f, u64 off, size_t len)
{
	int saved = errno, ret = 0;

	if (fallocate(file_fd(f), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
		      (off_t)len))
		ret = -errno;
	errno = saved;
	return ret;
}

int arch_file_write(enum arch_file f, u64 off, const void *src, size_t len)
{
	int saved = errno;
	ssize_t n = pwrite(file_fd(f), src, len, (off_t)off);

	errno = saved;
	return n == (ssize_t)len ? 0 : -ENOMEM;
}

int arch_file_read(enum arch_file f, u64 off, void *dst, size_t len)
{
	int saved = errno;
	ssize_t n = pread(file_fd(f), dst, len, (off_t)off);

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
	return map_shared(addr, len, file_fd(f), off, flags);
}

int arch_dup_fd(int fd)
{
	int saved = errno, ret = fcntl(fd, F_DUPFD_CLOEXEC, 0);

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

int arch_protect(void *addr, size_t len, bool rw)
{
	int saved = errno, ret = 0;

	if (mprotect(addr, len, rw ? PROT_READ | PROT_WRITE : PROT_NONE))
		ret = -errno;
	errno = saved;
	return ret;
}

/*
 * Copy every allocated extent of @from into @to (holes stay holes): the
 * kernel copies page cache to page cache (copy_file_range, splice inside
 * tmpfs) without passing the bytes through this process.
 */
static int copy_extents(int from, int to, u64 size)
{
	off_t pos = 0;

	while ((u64)pos < size) {
		off_t data = lseek(from, pos, SEEK_DATA), hole;

		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		hole = lseek(from, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		while (data < hole) {
			off_t in = data, out = data;
			ssize_t n = copy_file_range(from, &in, to, &out, (size_t)(hole - data), 0);

			if (n <= 0) {
				/* No in-kernel copy: go through a buffer. */
				char buf[65536];
				size_t want = sizeof(buf) < (size_t)(hole - data) ? sizeof(buf) :
					      (size_t)(hole - data);
				ssize_t r = pread(from, buf, want, data);

				if (r <= 0 || pwrite(to, buf, (size_t)r, data) != r)
					return errno == ENOSPC ? -ENOMEM : -EIO;
				n = r;
			}
			data += n;
		}
		pos = hole;
	}
	return 0;
}

void arch_files_fork_drop(void)
{
	int saved = errno, f;

	for (f = 0; f < NR_ARCH_FILES; f++) {
		if (files[f].copy >= 0)
			close(files[f].copy);
		files[f].copy = -1;
	}
	errno = saved;
}

int arch_files_fork_copy(void)
{
	int saved = errno, f, ret = 0;

	for (f = 0; f < NR_ARCH_FILES && !ret; f++) {
		int fd;

		if (files[f].fd < 0)
			continue;
		fd = new_file(files[f].name, files[f].size);
		if (fd < 0) {
			ret = fd;
			break;
		}
		files[f].copy = fd;
		ret = copy_extents(files[f].fd, fd, files[f].size);
	}
	if (ret)
		arch_files_fork_drop();
	errno = saved;
	return ret;
}

void arch_files_fork_switch(void)
{
	int saved = errno, f;

	for (f = 0; f < NR_ARCH_FILES; f++) {
		if (files[f].copy < 0)
			continue;
		close(files[f].fd);
		__atomic_store_n(&files[f].fd, files[f].copy, __ATOMIC_RELEASE);
		files[f].copy = -1;
	}
	errno = saved;
}
