/* SPDX-License-Identifier: MIT */
/*
 * lib/random32.c - random numbers: the kernel's get_random_*() API
 * (linux/random.h, the kernel's drivers/char/random.c interface) over the
 * host's getrandom pool (arch_random_u64()), and a cheap per-thread
 * pseudo-random generator for the allocator's own choices (the role the
 * kernel's prandom plays for CONFIG_SLAB_FREELIST_RANDOM and
 * CONFIG_SHUFFLE_PAGE_ALLOCATOR): the shuffled freelists' starting points
 * and page_alloc.shuffle's picks.
 *
 * ukmem_random_u32() is a per-thread xorshift64, seeded once per thread
 * from the host.  Not for keys.  Context, both: any, signal handlers
 * included (no lock; a handler that interrupts its own thread's call only
 * perturbs the sequence).
 */
#include <string.h>

#include <linux/random.h>
#include <ukmem/kernel_types.h>
#include "arch/host.h"
#include "mm/internal.h"

/*
 * The API's numbers come from the host's pool, which a fork child must
 * not share: the boot registers the fork handler that empties it, so the
 * first call boots, as every entry point of the kernel API does.
 */
static u64 api_random_u64(void)
{
	ukmem_ensure_booted();
	return arch_random_u64();
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		u64 v = api_random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

u64 get_random_u64(void)
{
	return api_random_u64();
}

u32 get_random_u32(void)
{
	return (u32)api_random_u64();
}

u16 get_random_u16(void)
{
	return (u16)api_random_u64();
}

u8 get_random_u8(void)
{
	return (u8)api_random_u64();
}

/*
 * Unbiased [0, @ceil): the high half of rand * ceil, redrawn while the low
 * half falls among the 2^32 % ceil values that would favour the first
 * residues (Lemire's method; the low half below ceil is the common early
 * accept).  @ceil 0 is any u32, as the kernel's out-of-line version.
 */
u32 __get_random_u32_below(u32 ceil)
{
	u64 product;
	u32 low;

	if (!ceil)
		return get_random_u32();
	product = (u64)ceil * get_random_u32();
	low = (u32)product;
	if (low < ceil) {
		u32 threshold = -ceil % ceil;	/* 2^32 mod ceil, in 32 bits */

		while (low < threshold) {
			product = (u64)ceil * get_random_u32();
			low = (u32)product;
		}
	}
	return (u32)(product >> 32);
}

u32 ukmem_random_u32(void)
{
	static __thread u64 state __attribute__((tls_model("initial-exec")));

	if (unlikely(!state))
		state = arch_random_u64() | 1;
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (u32)(state >> 32);
}
