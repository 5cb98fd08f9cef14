/* SPDX-License-Identifier: MIT */
/*
 * linux/log2.h - integer logarithms and powers of two (include/linux/log2.h).
 *
 * As in the kernel, ilog2(), roundup_pow_of_two(), rounddown_pow_of_two(),
 * order_base_2() and bits_per() are macros that fold to an integer
 * constant expression when their argument is one (usable in an array size,
 * a static initialiser or a BUILD_BUG_ON) and call the functions below
 * otherwise.  ilog2(0) is -1 at run time and 0 for a constant, ilog2(1) is
 * 0.  fls()/fls64() are 1-based (0 for 0); __ffs()/__fls() 0-based and
 * undefined for 0.  tests/test_math.c checks them.
 */
#ifndef _LINUX_LOG2_H
#define _LINUX_LOG2_H

#include <ukmem/kernel_types.h>

static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline unsigned long __fls(unsigned long x) { return 63 - __builtin_clzl(x); }

static inline int __ilog2_u32(u32 n) { return fls(n) - 1; }
static inline int __ilog2_u64(u64 n) { return fls64(n) - 1; }

static inline bool is_power_of_2(unsigned long n) { return n != 0 && (n & (n - 1)) == 0; }

/* The largest power of two that divides @n (0 for 0). */
#define max_pow_of_two_factor(n)	((n) & -(n))

static inline unsigned long __roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls64(n - 1);
}

static inline unsigned long __rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (fls64(n) - 1);
}

static inline int __order_base_2(unsigned long n)
{
	return n > 1 ? __ilog2_u64(n - 1) + 1 : 0;
}

/* The number of bits needed to hold @n (1 for 0 and 1). */
static inline int __bits_per(unsigned long n)
{
	if (n < 2)
		return 1;
	if (is_power_of_2(n))
		return __order_base_2(n) + 1;
	return __order_base_2(n);
}

/* The constant forms (the kernel's const_ilog2 computes the same). */
#define const_ilog2(n)	((n) < 2 ? 0 : 63 - __builtin_clzll((unsigned long long)(n)))

#define ilog2(n)							\
	(__builtin_constant_p(n) ? const_ilog2(n) :			\
	 sizeof(n) <= 4 ? __ilog2_u32((u32)(n)) : __ilog2_u64((u64)(n)))

#define roundup_pow_of_two(n)						\
	(__builtin_constant_p(n) ?					\
	 ((n) <= 1 ? 1UL : 1UL << (const_ilog2((n) - 1) + 1)) :	\
	 __roundup_pow_of_two(n))

#define rounddown_pow_of_two(n)						\
	(__builtin_constant_p(n) ? 1UL << const_ilog2(n) : __rounddown_pow_of_two(n))

#define order_base_2(n)							\
	(__builtin_constant_p(n) ?					\
	 ((n) < 2 ? 0 : const_ilog2((n) - 1) + 1) :			\
	 __order_base_2(n))

#define bits_per(n)							\
	(__builtin_constant_p(n) ?					\
	 ((n) < 2 ? 1 : const_ilog2(n) + 1) :				\
	 __bits_per(n))

#endif /* _LINUX_LOG2_H */
