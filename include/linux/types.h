/* SPDX-License-Identifier: MIT */
/*
 * linux/types.h - the kernel's basic types for kernel code built on ukmem
 * (include/linux/types.h).
 *
 * The system's UAPI headers have a linux/types.h too (__u32, __le16,
 * __kernel_*), and system headers include it (<sys/vfs.h>, <linux/fs.h>,
 * <sys/mount.h>, ...).  This file is installed under
 * <prefix>/include/ukmem/, so only a program built with ukmem's cflags
 * finds it, and for such a program it must be a superset of the system's:
 * it includes the system's first (#include_next), then adds what kernel
 * code expects on top: u8..u64, gfp_t, phys_addr_t, dma_addr_t, bool,
 * atomic_t, struct list_head and hlist_head, with the POSIX types from <sys/types.h>.
 * Its include guard differs from the system's so that both are read.
 */
#ifndef _UKMEM_LINUX_TYPES_H
#define _UKMEM_LINUX_TYPES_H

#if defined(__has_include_next)
#if __has_include_next(<linux/types.h>)
#include_next <linux/types.h>
#endif
#endif
#include <sys/types.h>
#include <ukmem/kernel_types.h>
#include <linux/list.h>		/* struct list_head, hlist_head, hlist_node */

typedef unsigned long pgoff_t;
typedef u64 sector_t;
typedef unsigned int fmode_t;
typedef unsigned long irq_hw_number_t;
typedef struct { s64 counter; } atomic64_t;

#endif /* _UKMEM_LINUX_TYPES_H */
