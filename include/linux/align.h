/* SPDX-License-Identifier: MIT */
/*
 * linux/align.h - include/linux/align.h.
 *
 * ALIGN(), ALIGN_DOWN(), IS_ALIGNED(), PTR_ALIGN() live in
 * ukmem/kernel_types.h; __ALIGN_MASK() and PTR_ALIGN_DOWN() are here.
 */
#ifndef _LINUX_ALIGN_H
#define _LINUX_ALIGN_H

#include <ukmem/kernel_types.h>

/* The kernel's other two: a mask instead of an alignment, and a pointer aligned down. */
#define __ALIGN_MASK(x, mask)	__ALIGN_KERNEL_MASK((x), (mask))
#define PTR_ALIGN_DOWN(p, a)	((__typeof__(p))ALIGN_DOWN((unsigned long)(p), (a)))

#endif /* _LINUX_ALIGN_H */
