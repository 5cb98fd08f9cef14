/* SPDX-License-Identifier: MIT */
/*
 * linux/bits.h - include/linux/bits.h: single bits and contiguous masks.
 *
 * BIT() and BITS_PER_LONG live in ukmem/kernel_types.h.  GENMASK(h, l) is
 * bits @l to @h included, as an unsigned long; the _ULL, _U8, _U16, _U32,
 * _U64 (and, where the compiler has 128-bit integers, _U128) forms give
 * that type.  As in the kernel, a constant @l above @h, or a constant bit
 * past the type's width, is a build error (GENMASK_INPUT_CHECK,
 * BIT_INPUT_CHECK); run-time values are not checked.  tests/test_bits.c
 * holds the expectations of the kernel's lib/tests/test_bits.c.
 */
#ifndef _LINUX_BITS_H
#define _LINUX_BITS_H

#include <ukmem/kernel_types.h>
#include <linux/build_bug.h>	/* static_assert(), as the kernel's bits.h brings it */

#ifndef BITS_PER_LONG_LONG
#define BITS_PER_LONG_LONG	64
#endif
#ifndef BITS_PER_TYPE
#define BITS_PER_TYPE(type)	(sizeof(type) * BITS_PER_BYTE)
#endif
#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif
#ifndef BIT_MASK
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#endif
#ifndef BIT_WORD
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#endif
#define BIT_ULL_MASK(nr)	(1ULL << ((nr) % BITS_PER_LONG_LONG))
#define BIT_ULL_WORD(nr)	((nr) / BITS_PER_LONG_LONG)

/*
 * 0, or a build error for constants with @l above @h.  Compared as a
 * signed difference (bit numbers are small) so that an unsigned @h or @l
 * draws no "comparison is always false" warning from -Wextra.
 */
#define GENMASK_INPUT_CHECK(h, l)	\
	BUILD_BUG_ON_ZERO(const_true((long long)(h) - (long long)(l) < 0))
/* 0, or a build error for a constant bit at or past @type's width. */
#define __BITS_WIDTH_CHECK(type, nr)	\
	BUILD_BUG_ON_ZERO(const_true((long long)BITS_PER_TYPE(type) - (long long)(nr) <= 0))

/* All ones shifted up to @l, and down so that @h is the top bit, in @t (unsigned). */
#define GENMASK_TYPE(t, h, l)						\
	((t)(GENMASK_INPUT_CHECK(h, l) + __BITS_WIDTH_CHECK(t, h) +	\
	     (((t)~(t)0 << (l)) & ((t)~(t)0 >> (BITS_PER_TYPE(t) - 1 - (h))))))

#define GENMASK(h, l)		GENMASK_TYPE(unsigned long, h, l)
#define GENMASK_ULL(h, l)	GENMASK_TYPE(unsigned long long, h, l)
#define GENMASK_U8(h, l)	GENMASK_TYPE(u8, h, l)
#define GENMASK_U16(h, l)	GENMASK_TYPE(u16, h, l)
#define GENMASK_U32(h, l)	GENMASK_TYPE(u32, h, l)
#define GENMASK_U64(h, l)	GENMASK_TYPE(u64, h, l)
#ifdef __SIZEOF_INT128__
#define GENMASK_U128(h, l)	GENMASK_TYPE(unsigned __int128, h, l)
#endif

/* Bit @nr as a value of @type: a build error if a constant @nr does not fit. */
#define BIT_INPUT_CHECK(type, nr)	__BITS_WIDTH_CHECK(type, nr)
#define BIT_TYPE(type, nr)	((type)(BIT_INPUT_CHECK(type, nr) + BIT_ULL(nr)))
#define BIT_U8(nr)		BIT_TYPE(u8, nr)
#define BIT_U16(nr)		BIT_TYPE(u16, nr)
#define BIT_U32(nr)		BIT_TYPE(u32, nr)
#define BIT_U64(nr)		BIT_TYPE(u64, nr)

#endif /* _LINUX_BITS_H */
