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
#define DIV_ROUND_CLOSEST(x, d)	(((x) + ((d) / 2)) / (d))

#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define min_not_zero(a, b)	({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); \
				   __a == 0 ? __b : (__b == 0 ? __a : min(__a, __b)); })
#define swap(a, b)		do { __typeof__(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _UKMEM_LINUX_KERNEL_H */
