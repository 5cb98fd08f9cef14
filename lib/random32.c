/* SPDX-License-Identifier: MIT */
/*
 * lib/random32.c - cheap pseudo-random numbers for the allocator's own
 * choices (the role the kernel's prandom and get_random_u32() play for
 * CONFIG_SLAB_FREELIST_RANDOM and CONFIG_SHUFFLE_PAGE_ALLOCATOR): the
 * shuffled freelists' starting points and page_alloc.shuffle's picks.
 *
 * A per-thread xorshift64, seeded once per thread from the host's random
 * source (arch_random_u64(), getrandom).  Not for keys: those take
 * arch_random_u64() directly.  Context: any, signal handlers included (no
 * lock; a handler that interrupts its own thread's call only perturbs the
 * sequence).
 */
#include <ukmem/kernel_types.h>
#include "arch/host.h"
#include "mm/internal.h"

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
