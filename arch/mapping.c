/* SPDX-License-Identifier: MIT */
/*
 * arch/mapping.c - the host side of second mappings (arch/mapping.h):
 * the physical memory file, shared mappings of it and of device files,
 * and the fork-time copy that keeps a child's memory private.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "arch/mapping.h"

static int physmem_fd = -1;
static u64 physmem_size;
static int physmem_init_lock;

static int new_physmem_file(u64 size)
{
	int fd = memfd_create("ukmem-physmem", MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int arch_physmem_init(u64 size)
{
	int ret = 0;

	if (__atomic_load_n(&physmem_fd, __ATOMIC_ACQUIRE) >= 0)
		return 0;
	while (__atomic_exchange_n(&physmem_init_lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	if (physmem_fd < 0) {
		int fd = new_physmem_file(size);

		if (fd < 0) {
			ret = fd;
		} else {
			physmem_size = size;
			__atomic_store_n(&physmem_fd, fd, __ATOMIC_RELEASE);
		}
	}
	__atomic_store_n(&physmem_init_lock, 0, __ATOMIC_RELEASE);
	return ret;
}

bool arch_physmem_ready(void)
{
	return __atomic_load_n(&physmem_fd, __ATOMIC_ACQUIRE) >= 0;
}

int arch_phys_populate(u64 phys, size_t len)
{
	int saved = errno, ret = 0;

	if (fallocate(physmem_fd, 0, (off_t)phys, (off_t)len))
		ret = errno == ENOSPC ? -ENOMEM : -errno;
	errno = saved;
	return ret;
}

void arch_phys_release(u64 phys, size_t len)
{
	int saved = errno;

	fallocate(physmem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)phys, (off_t)len);
	errno = saved;
}

int arch_phys_write(u64 phys, const void *src, size_t len)
{
	int saved = errno;
	ssize_t n = pwrite(physmem_fd, src, len, (off_t)phys);

	errno = saved;
	return n == (ssize_t)len ? 0 : -ENOMEM;
}

int arch_phys_read(u64 phys, void *dst, size_t len)
{
	int saved = errno;
	ssize_t n = pread(physmem_fd, dst, len, (off_t)phys);

	errno = saved;
	return n == (ssize_t)len ? 0 : -EIO;
}

static int map_shared(void *addr, size_t len, int fd, u64 offset, int extra)
{
	int saved = errno, ret = 0;
	void *p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | extra, fd,
		       (off_t)offset);

	if (p == MAP_FAILED) {
		ret = -errno;
		/* A failed MAP_FIXED may have unmapped the range: fill the hole. */
		arch_unmap_to_reserved(addr, len);
	}
	errno = saved;
	return ret;
}

int arch_map_fd(void *addr, size_t len, int fd, u64 offset)
{
	return map_shared(addr, len, fd, offset, 0);
}

/*
 * The kernel writes every PTE of a vmalloc area when it maps it; populating
 * the mapping at once does the same, in one call instead of a fault per page.
 */
int arch_map_phys(void *addr, u64 phys, size_t len)
{
	return map_shared(addr, len, physmem_fd, phys, MAP_POPULATE);
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

void arch_unmap_to_reserved(void *addr, size_t len)
{
	int saved = errno;

	/* PROT_NONE private memory is not charged, so this cannot fail on commit. */
	mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	errno = saved;
}

int arch_remap_anon(void *addr, size_t len)
{
	int saved = errno, ret = 0;

	arch_unmap_to_reserved(addr, len);
	/* Charging happens here, and a refusal leaves the range PROT_NONE. */
	if (mprotect(addr, len, PROT_READ | PROT_WRITE))
		ret = -ENOMEM;
	errno = saved;
	return ret;
}

/* Copy every allocated extent of @from into @to (holes stay holes). */
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
			off64_t in = data, out = data;
			ssize_t n = copy_file_range(from, &in, to, &out, (size_t)(hole - data), 0);

			if (n <= 0) {
				/* No in-kernel copy: go through a buffer. */
				char buf[65536];
				ssize_t r = pread(from, buf, sizeof(buf) < (size_t)(hole - data) ?
						  sizeof(buf) : (size_t)(hole - data), data);

				if (r <= 0 || pwrite(to, buf, (size_t)r, data) != r)
					return -EIO;
				n = r;
			}
			data += n;
		}
		pos = hole;
	}
	return 0;
}

int arch_physmem_fork_private(void)
{
	int saved = errno, fd, ret;

	if (physmem_fd < 0)
		return 0;
	fd = new_physmem_file(physmem_size);
	if (fd < 0) {
		errno = saved;
		return fd;
	}
	ret = copy_extents(physmem_fd, fd, physmem_size);
	if (ret) {
		close(fd);
		errno = saved;
		return ret;
	}
	close(physmem_fd);
	physmem_fd = fd;
	errno = saved;
	return 0;
}

u32 *arch_fork_sync_word(void)
{
	static u32 *word;

	if (!word) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			word = p;
	}
	return word;
}

void arch_wait_shared(u32 *addr, u32 val, long timeout_ns)
{
	struct timespec ts = { timeout_ns / 1000000000L, timeout_ns % 1000000000L };
	int saved = errno;

	syscall(SYS_futex, addr, FUTEX_WAIT, val, timeout_ns >= 0 ? &ts : NULL, NULL, 0);
	errno = saved;
}

void arch_wake_shared(u32 *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}
