/* SPDX-License-Identifier: MIT */
/* linux/log2.h - integer logarithms and powers of two. */
#ifndef _LINUX_LOG2_H
#define _LINUX_LOG2_H

#include <ukmem/kernel_types.h>

static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline unsigned long __fls(unsigned long x) { return 63 - __builtin_clzl(x); }
static inline int ilog2(unsigned long n) { return 63 - __builtin_clzl(n); }
static inline bool is_power_of_2(unsigned long n) { return n != 0 && (n & (n - 1)) == 0; }
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls64(n - 1);
}
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << ilog2(n);
}
static inline int order_base_2(unsigned long n) { return n > 1 ? ilog2(n - 1) + 1 : 0; }

#endif /* _LINUX_LOG2_H */
