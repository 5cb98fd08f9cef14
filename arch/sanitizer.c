/* SPDX-License-Identifier: MIT */
/*
 * arch/sanitizer.c - AddressSanitizer in the host process.
 *
 * A program built with -fsanitize=address carries ASan's run time, which
 * checks the program's own loads and stores against a shadow map; memory
 * this library hands out is, for ASan, a stretch of some mapping it knows
 * nothing about.  ASan's interface lets anyone mark a region poisoned
 * (any access is reported) or not, and ask where the first poisoned byte
 * of a region lies.  The library finds those entry points at boot, by
 * name, in whatever the process has loaded (dlsym(RTLD_DEFAULT)): no link
 * dependency, nothing at all when the program is not an ASan build.
 * mm/sanitizers.c decides what to poison; this file only reaches ASan.
 *
 * The calls are made only while arch_asan_present(); the pointers are
 * written once at boot, before any allocation is annotated.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "arch/host.h"

static void (*asan_poison)(const volatile void *addr, size_t size);
static void (*asan_unpoison)(const volatile void *addr, size_t size);
static void *(*asan_region_is_poisoned)(void *beg, size_t size);

bool arch_asan_detect(void)
{
	void *p = dlsym(RTLD_DEFAULT, "__asan_poison_memory_region");
	void *u = dlsym(RTLD_DEFAULT, "__asan_unpoison_memory_region");
	void *q = dlsym(RTLD_DEFAULT, "__asan_region_is_poisoned");

	if (!p || !u || !q)
		return false;
	asan_poison = (void (*)(const volatile void *, size_t))p;
	asan_unpoison = (void (*)(const volatile void *, size_t))u;
	asan_region_is_poisoned = (void *(*)(void *, size_t))q;
	return true;
}

bool arch_asan_present(void)
{
	return asan_poison != NULL;
}

void arch_asan_poison(const void *addr, size_t size)
{
	if (asan_poison && size)
		asan_poison(addr, size);
}

void arch_asan_unpoison(const void *addr, size_t size)
{
	if (asan_unpoison && size)
		asan_unpoison(addr, size);
}

/* Bytes from @addr before the first poisoned one, at most @size. */
size_t arch_asan_accessible(const void *addr, size_t size)
{
	char *bad;

	if (!asan_region_is_poisoned || !size)
		return size;
	bad = asan_region_is_poisoned((void *)addr, size);
	return bad ? (size_t)(bad - (const char *)addr) : size;
}
