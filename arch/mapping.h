/* SPDX-License-Identifier: MIT */
/*
 * arch/mapping.h - second mappings of memory: what vmalloc, vmap, ioremap
 * and kmap need from the host (arch/mapping.c).
 *
 * The kernel maps one physical page at several virtual addresses by writing
 * page-table entries.  A process cannot do that with private anonymous
 * memory, so ukmem keeps a "physical memory file": one memfd whose file
 * offset is the physical address.  A page that must be visible at a second
 * address (a vmalloc'd or vmapped lowmem page, every highmem page) has its
 * bytes in that file, and each of its addresses is a MAP_SHARED mapping of
 * the file at offset = phys.  Device regions (ioremap) map the caller's own
 * file descriptor the same way.
 *
 * Every call here is about address ranges ukmem already owns (the RAM
 * reservation, the vmalloc reservation): nothing is mapped anywhere else.
 * Failures return -ENOMEM (or -errno) and leave the range as it was, except
 * where a comment says otherwise.
 */
#ifndef _ARCH_MAPPING_H
#define _ARCH_MAPPING_H

#include <ukmem/kernel_types.h>

/* Create the physical memory file of @size bytes (sparse); 0 or -errno.  Idempotent. */
int arch_physmem_init(u64 size);
bool arch_physmem_ready(void);

/*
 * Give [phys, phys+len) of the file real pages (and commit charge): fails
 * cleanly with -ENOMEM under strict overcommit instead of a SIGBUS later.
 */
int arch_phys_populate(u64 phys, size_t len);
/* Drop the file's pages in [phys, phys+len): they read as zero afterwards. */
void arch_phys_release(u64 phys, size_t len);
/* Copy @len bytes from @src into the file at @phys (one pwrite). */
int arch_phys_write(u64 phys, const void *src, size_t len);
/* Copy @len bytes of the file at @phys to @dst (one pread). */
int arch_phys_read(u64 phys, void *dst, size_t len);

/* Map the file's [phys, phys+len) read-write, shared, exactly at @addr. */
int arch_map_phys(void *addr, u64 phys, size_t len);
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
 * again (drops whatever was mapped there).
 */
void arch_unmap_to_reserved(void *addr, size_t len);
/*
 * Turn a range of the RAM reservation back into private anonymous memory
 * (zero-filled, charged).  0, or -ENOMEM with the range left inaccessible.
 */
int arch_remap_anon(void *addr, size_t len);

/*
 * fork(): in the child, copy every page of the physical memory file into
 * a new file of the same size, so that parent and child stop sharing.  The
 * caller then maps every shared range again (arch_map_phys uses the new
 * file).  0 or -errno (the child keeps sharing).
 */
int arch_physmem_fork_private(void);

/* A word shared across fork() for the parent to wait on the child. */
u32 *arch_fork_sync_word(void);
void arch_wait_shared(u32 *addr, u32 val, long timeout_ns);
void arch_wake_shared(u32 *addr);

#endif /* _ARCH_MAPPING_H */
