/* SPDX-License-Identifier: MIT */
/*
 * linux/kernel.h - the grab bag every driver includes
 * (include/linux/kernel.h and what it pulls in): container_of,
 * ARRAY_SIZE, min/max/clamp, DIV_ROUND_UP and the rounding helpers,
 * upper/lower_32_bits, the integer limits, swap, pr_* and scnprintf
 * through printk, WARN/BUG, might_sleep.
 *
 * The system's UAPI linux/kernel.h (struct sysinfo, which <sys/sysinfo.h>
 * gets from it) is read first, so a program that sees this file through
 * ukmem's cflags loses nothing the system's gave it; see linux/types.h.
 */
#ifndef _UKMEM_LINUX_KERNEL_H
#define _UKMEM_LINUX_KERNEL_H

#if defined(__has_include_next)
#if __has_include_next(<linux/kernel.h>)
#include_next <linux/kernel.h>
#endif
#endif
#include <limits.h>
#include <linux/types.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/preempt.h>	/* might_sleep() */
#include <linux/instruction_pointer.h>	/* _RET_IP_, _THIS_IP_ */

#ifndef U8_MAX
#define U8_MAX		((u8)~0U)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define U16_MAX		((u16)~0U)
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))
#endif

#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)

#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_16_bits(n)	((u16)((n) >> 16))
#define lower_16_bits(n)	((u16)((n) & 0xffff))

#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define DIV_ROUND_UP_ULL(ll, d)	(((unsigned long long)(ll) + (d) - 1) / (d))
/*
 * The quotient rounded to the nearest integer, halves away from zero: a
 * negative quotient of signed operands subtracts half the divisor first,
 * as the kernel's does (DIV_ROUND_CLOSEST(-7, 2) is -4, not -3).
 */
#define DIV_ROUND_CLOSEST(x, divisor) ({					\
	__typeof__(x) __drc_x = (x);						\
	__typeof__(divisor) __drc_d = (divisor);				\
	(((__typeof__(x))-1) > 0 || ((__typeof__(divisor))-1) > 0 ||		\
	 ((__drc_x > 0) == (__drc_d > 0))) ?					\
		((__drc_x + (__drc_d / 2)) / __drc_d) :				\
		((__drc_x - (__drc_d / 2)) / __drc_d);				\
})
#define DIV_ROUND_CLOSEST_ULL(x, d) ({						\
	__typeof__(d) __drc_d = (d);						\
	(unsigned long long)(((unsigned long long)(x) + __drc_d / 2) / __drc_d); \
})
#define DIV_ROUND_DOWN_ULL(ll, d)	((unsigned long long)(ll) / (d))
/* n / d rounded up for a power-of-two @d, without the overflow of n + d - 1. */
#define DIV_ROUND_UP_POW2(n, d)	((n) / (d) + !!((n) & ((d) - 1)))
/* x * n / d without overflowing x * n (when x / d * n fits). */
#define mult_frac(x, n, d) ({							\
	__typeof__(x) __mf_x = (x);						\
	__typeof__(n) __mf_n = (n);						\
	__typeof__(d) __mf_d = (d);						\
	__typeof__(__mf_x) __mf_q = __mf_x / __mf_d;				\
	__typeof__(__mf_x) __mf_r = __mf_x % __mf_d;				\
	__mf_q * __mf_n + __mf_r * __mf_n / __mf_d;				\
})
/* |a - b| without the overflow of a signed subtraction of far-apart values' order. */
#define abs_diff(a, b) ({							\
	__typeof__(a) __ad_a = (a);						\
	__typeof__(b) __ad_b = (b);						\
	(void)(&__ad_a == &__ad_b);						\
	__ad_a > __ad_b ? (__ad_a - __ad_b) : (__ad_b - __ad_a);		\
})
/* @val scaled from [0, 2^32) into [0, @ep_ro) (a hash into a table). */
static inline u32 reciprocal_scale(u32 val, u32 ep_ro)
{
	return (u32)(((u64)val * ep_ro) >> 32);
}

#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define min_not_zero(a, b)	({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); \
				   __a == 0 ? __b : (__b == 0 ? __a : min(__a, __b)); })
#define swap(a, b)		do { __typeof__(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _UKMEM_LINUX_KERNEL_H */
