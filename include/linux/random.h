/* SPDX-License-Identifier: MIT */
/*
 * linux/random.h - random numbers for kernel code (include/linux/random.h):
 * get_random_bytes() and the get_random_uN() family, and the bounded
 * forms get_random_u32_below() / _above() / _inclusive().
 *
 * The numbers come from the host's getrandom(2), drawn in batches as the
 * kernel's per-CPU batches do (arch/host.c's pool; a fork child draws its
 * own).  They are for the same uses as the kernel's: randomised layouts,
 * keys, test inputs.  get_random_u32_below(ceil) is unbiased (a rejection
 * method over the 64-bit product), in [0, ceil); ceil 0 returns any u32,
 * as the kernel's out-of-line version does.  Context: any, signal
 * handlers included; never sleeps (wait_for_random_bytes() has nothing
 * to wait for: the host's pool is initialised long before a program runs).
 */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H

#include <stddef.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN
void get_random_bytes(void *buf, size_t len);
u8 get_random_u8(void);
u16 get_random_u16(void);
u32 get_random_u32(void);
u64 get_random_u64(void);
u32 __get_random_u32_below(u32 ceil);
UKMEM_API_END

static inline unsigned long get_random_long(void)
{
	return (unsigned long)get_random_u64();
}

/* [0, @ceil); @ceil 0: any u32. */
static inline u32 get_random_u32_below(u32 ceil)
{
	return __get_random_u32_below(ceil);
}

/* (@floor, U32_MAX]; @floor below U32_MAX. */
static inline u32 get_random_u32_above(u32 floor)
{
	return floor + 1 + get_random_u32_below(0xffffffffU - floor);
}

/* [@floor, @ceil]; @floor at most @ceil (the whole range: any u32). */
static inline u32 get_random_u32_inclusive(u32 floor, u32 ceil)
{
	return floor + get_random_u32_below(ceil - floor + 1);
}

static inline int get_random_bytes_wait(void *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}

static inline int wait_for_random_bytes(void)
{
	return 0;
}

static inline bool rng_is_initialized(void)
{
	return true;
}
UKMEM_C_END

#endif /* _LINUX_RANDOM_H */
