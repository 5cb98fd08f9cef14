/* SPDX-License-Identifier: MIT */
/*
 * linux/jiffies.h - the tick count: HZ ticks a second, jiffies the ticks
 * since an arbitrary start, and the kernel's wrap-safe comparisons and
 * conversions.  ukmem's tick is the millisecond (HZ 1000) of the host's
 * monotonic clock; jiffies reads it (an expression, not a variable that
 * can be assigned).  Unlike the kernel, it does not start 5 minutes before
 * a wrap (INITIAL_JIFFIES): code must still compare with time_after().
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <limits.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

#ifndef HZ
#define HZ 1000
#endif
#define MAX_JIFFY_OFFSET	((LONG_MAX >> 1) - 1)

UKMEM_API_BEGIN
/* The current tick count (what the kernel's jiffies variable holds). */
unsigned long ukmem_jiffies(void);
UKMEM_API_END

#define jiffies			(ukmem_jiffies())
#define get_jiffies_64()	((u64)ukmem_jiffies())

/* True when @a is later than @b, across a wrap of the counter. */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_in_range(a, b, c)	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)
#define time_is_before_eq_jiffies(a)	time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)	time_before_eq(jiffies, a)

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * (1000 / HZ));
}

static inline unsigned int jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(j * (1000000 / HZ));
}

/* A negative count (as an int) means "forever", as in the kernel. */
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return (m + (1000 / HZ) - 1) / (1000 / HZ);
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	if ((int)u < 0)
		return MAX_JIFFY_OFFSET;
	return (u + (1000000 / HZ) - 1) / (1000000 / HZ);
}

UKMEM_C_END

#endif /* _LINUX_JIFFIES_H */
