/* SPDX-License-Identifier: MIT */
/*
 * malloc/boot_arena.c - the bootstrap arena: what malloc hands out while
 * the machine is not up (the boot itself allocates: ld.so, glibc's
 * stdio, the unwinder's dlopen), and everything once an implicit boot
 * has failed.  Blocks are carved from one static array and never reused;
 * free() leaves them alone (malloc/malloc.c tells them by address,
 * in_boot_arena()).
 */
#include <errno.h>

#include <linux/align.h>
#include <linux/mm.h>
#include "malloc/malloc_internal.h"

char boot_arena[BOOT_ARENA_SIZE] __aligned(PAGE_SIZE);
static size_t boot_arena_used;

struct boot_chunk {
	size_t size;
	size_t pad;
};

void *boot_arena_alloc(size_t size, size_t align)
{
	size_t start, end;

	size_t used = __atomic_load_n(&boot_arena_used, __ATOMIC_RELAXED);

	if (align < MIN_ALIGN)
		align = MIN_ALIGN;
	/*
	 * The booting thread, a thread loading the unwinder, and every thread
	 * once an implicit boot has failed (then the arena is all there is):
	 * a block is claimed with a compare and swap.
	 */
	do {
		start = ALIGN(used + sizeof(struct boot_chunk), align);
		end = start + ALIGN(size, MIN_ALIGN);
		if (end > BOOT_ARENA_SIZE || end < start) {
			errno = ENOMEM;
			return NULL;
		}
	} while (!__atomic_compare_exchange_n(&boot_arena_used, &used, end, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	((struct boot_chunk *)(boot_arena + start))[-1].size = size;
	return boot_arena + start;
}

size_t boot_arena_size(const void *p)
{
	return ((const struct boot_chunk *)p)[-1].size;
}
