/* SPDX-License-Identifier: MIT */
/*
 * arch/mapping.h - second mappings of memory: what vmalloc, vmap, ioremap
 * and kmap need from the host (arch/mapping.c).
 *
 * The kernel maps one physical page at several virtual addresses by writing
 * page-table entries.  A process cannot do that with private anonymous
 * memory, so ukmem keeps two memory files (memfds), both sparse:
 *
 *  - the physical memory file, offset = physical address: the bytes of
 *    every highmem page and of every lowmem page that vmap() has given a
 *    second address (its linear address then maps the file too);
 *  - the vmalloc file, offset = vmalloc address - VMALLOC_START: the bytes
 *    of vmalloc() areas.  The vmalloc range maps it in large segments, so
 *    all areas share a few host mappings.
 *
 * Every address of such a page is a MAP_SHARED mapping of its file at its
 * offset.  Device regions (ioremap) map the caller's own descriptor.
 *
 * Every call here is about address ranges ukmem already owns (the RAM
 * reservation, the vmalloc reservation): nothing is mapped anywhere else.
 * Failures return -errno and leave the range as it was, unless the host
 * dropped it, in which case it is an inaccessible hole of the reservation
 * again (never an unowned hole).  errno is preserved.
 */
#ifndef _ARCH_MAPPING_H
#define _ARCH_MAPPING_H

#include <ukmem/kernel_types.h>

enum arch_file {
	ARCH_PHYS_FILE,		/* offset = physical address */
	ARCH_VMALLOC_FILE,	/* offset = vmalloc address - VMALLOC_START */
	NR_ARCH_FILES
};

/* Create @f with @size bytes (sparse); 0 or -errno.  Idempotent, thread-safe. */
int arch_file_init(enum arch_file f, u64 size);
bool arch_file_ready(enum arch_file f);
/* The program closed the file's descriptor and it could not be opened again. */
bool arch_file_lost(enum arch_file f);

/*
 * Give [off, off+len) of @f real pages (and commit charge): fails cleanly
 * with -ENOMEM under strict overcommit instead of a SIGBUS at fault time.
 */
int arch_file_populate(enum arch_file f, u64 off, size_t len);
/* Drop the pages in [off, off+len): they read as zero afterwards.  0 or -errno. */
int arch_file_release(enum arch_file f, u64 off, size_t len);
/* Copy @len bytes from @src into @f at @off (one pwrite). */
int arch_file_write(enum arch_file f, u64 off, const void *src, size_t len);
/* Copy @len bytes of @f at @off to @dst (one pread). */
int arch_file_read(enum arch_file f, u64 off, void *dst, size_t len);

#define ARCH_MAP_POPULATE	0x1	/* fault every page in now (they exist in the file) */
#define ARCH_MAP_NONE		0x2	/* map inaccessible (PROT_NONE) */
/* Map @f's [off, off+len) shared, read-write, exactly at @addr. */
int arch_map_file(void *addr, size_t len, enum arch_file f, u64 off, unsigned int flags);
/*
 * Map an outside file descriptor (a device node, a file, a memfd) shared and
 * read-write at @addr; 0 or -errno.  Caching is whatever the host's driver
 * gives a shared mapping of that file.
 */
int arch_map_fd(void *addr, size_t len, int fd, u64 offset);
/* A private close-on-exec duplicate of a caller's descriptor; -errno on failure. */
int arch_dup_fd(int fd);
void arch_close_fd(int fd);
/* Size of the file behind @fd, or -errno. */
long long arch_fd_size(int fd);

/*
 * Make [addr, addr+len) an inaccessible, uncharged hole of the reservation
 * again (drops whatever was mapped there).  0 or -errno (the host refused:
 * the old mapping stays).
 */
int arch_unmap_to_reserved(void *addr, size_t len);
/*
 * Make a range of the RAM reservation private anonymous memory again
 * (zero-filled, charged), replacing what is there in one call.  0, or
 * -ENOMEM with the old mapping left in place (or a hole of the reservation).
 */
int arch_remap_anon(void *addr, size_t len);

/*
 * Guard regions (Linux 6.13+ MADV_GUARD_INSTALL/REMOVE, on file mappings
 * 6.15+): pages that fault on any access without a mapping of their own,
 * so they cost no host mapping (VMA).  -EINVAL where the host has none.
 */
int arch_guard_install(void *addr, size_t len);
int arch_guard_remove(void *addr, size_t len);
/* Does the host put guard markers on private anonymous memory?  (asks once, on a scratch page) */
bool arch_guard_supported(void);
/* mprotect() read-write (@rw) or inaccessible; 0 or -errno. */
int arch_protect(void *addr, size_t len, bool rw);

/*
 * fork().  Shared mappings stay shared with a child, so the child gets
 * copies of both files: arch_files_fork_copy() (parent, before fork, no
 * lock needed) copies every allocated extent of each file into a new one;
 * until the copies are switched or dropped, every change made here to a
 * file's contents (arch_file_release, arch_file_write) reaches its copy
 * too, and a file created meanwhile gets an empty copy.  After fork the
 * parent drops the copies (arch_files_fork_drop) and the child makes them
 * its files (arch_files_fork_switch; -EIO if a change could not reach a
 * copy), then maps every shared range again: from what the allocator
 * knows, or, when it cannot look (a fork from a signal handler that
 * interrupted vmalloc), arch_files_fork_remap_all() remaps every shared
 * mapping of the old files that /proc/self/maps shows from the new ones,
 * protection kept (guard markers are lost), and makes one it cannot remap
 * inaccessible.  arch_files_fork_copy returns 0 or -errno (nothing kept);
 * unless @wait, it does not wait for a memory file being created (-EAGAIN:
 * in a single-threaded fork that is the code a signal handler interrupted).
 */
int arch_files_fork_copy(bool wait);
void arch_files_fork_drop(void);
int arch_files_fork_switch(void);
/*
 * Copy every allocated extent of @f into its copy again, over what is
 * there (the last step before fork(2), every allocator lock held: the
 * stores made to its shared mappings since arch_files_fork_copy reach the
 * child); 0 or -errno.
 */
int arch_files_fork_refresh(enum arch_file f);
/* The same for [off, off+len) of @f only (its allocated extents there). */
int arch_files_fork_refresh_range(enum arch_file f, u64 off, size_t len);
int arch_files_fork_remap_all(void);

#endif /* _ARCH_MAPPING_H */
