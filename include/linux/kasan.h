/* SPDX-License-Identifier: MIT */
/*
 * linux/kasan.h - the KASAN calls code outside mm/ makes (include/linux/kasan.h).
 *
 * ukmem has no KASAN of its own: a program built with -fsanitize=address
 * gets AddressSanitizer's checks on slab objects instead (the library's
 * ASan build, docs/sanitizers.md), and ASan has no per-thread switch.  So
 * kasan_disable_current()/kasan_enable_current() (a test that corrupts
 * memory on purpose brackets the corruption with them) change nothing,
 * pointers carry no tag, and kasan_enabled() says whether the code that
 * calls it is built with AddressSanitizer.
 */
#ifndef _LINUX_KASAN_H
#define _LINUX_KASAN_H

#include <ukmem/kernel_types.h>

static inline void kasan_disable_current(void) { }
static inline void kasan_enable_current(void) { }
#define kasan_reset_tag(addr)	((void *)(addr))
static inline bool kasan_enabled(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#else
	return false;
#endif
}

#endif /* _LINUX_KASAN_H */
