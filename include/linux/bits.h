/* SPDX-License-Identifier: MIT */
/*
 * linux/bits.h - include/linux/bits.h.
 *
 * BIT() and BITS_PER_LONG live in ukmem/kernel_types.h; the masks below
 * are the kernel's names for the same arithmetic.
 */
#ifndef _LINUX_BITS_H
#define _LINUX_BITS_H

#include <ukmem/kernel_types.h>

#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif
#ifndef BIT_MASK
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#endif
#ifndef BIT_WORD
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#endif
#ifndef BITS_PER_LONG_LONG
#define BITS_PER_LONG_LONG	64
#endif
/* Bits @l to @h included (l <= h), in an unsigned long or a u64. */
#ifndef GENMASK
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#endif
#ifndef GENMASK_ULL
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#endif

#endif /* _LINUX_BITS_H */
