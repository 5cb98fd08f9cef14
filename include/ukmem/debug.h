/* SPDX-License-Identifier: MIT */
/*
 * ukmem/debug.h - the report machinery's state, for programs and tests:
 * the taint mask that WARN, BUG and the bad-page and slab reports set (the
 * kernel's /proc/sys/kernel/tainted), how many WARNs have fired, and the
 * one-row hex formatter behind print_hex_dump().
 */
#ifndef _UKMEM_DEBUG_H
#define _UKMEM_DEBUG_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

/* Taint flags print_tainted() knows, P..J (kernel/panic.c taint_flags; v6.15 added J). */
#ifndef TAINT_FLAGS_COUNT
#define TAINT_FLAGS_COUNT	20
#endif

/*
 * The kernel release whose behaviour and reports ukmem follows, as the
 * boot banner and dump_stack() print it (the kernel's UTS_RELEASE).
 */
#define UKMEM_UTS_RELEASE	"7.2.0-ukmem"

UKMEM_API_BEGIN

/* The taint mask: bit n set once add_taint(n, ...) was called. */
unsigned long get_taint(void);
/* Non-zero if taint flag @flag is set. */
int test_taint(unsigned int flag);
/* Forget every taint (a test hook; the kernel clears taint only at boot). */
void ukmem_clear_taint(void);
/* How many WARN()s have been reported since the process started. */
unsigned long ukmem_warn_count(void);

/*
 * One row (16 or 32 bytes) of a hex dump, in print_hex_dump()'s format,
 * into @linebuf; returns the row's length (lib/hexdump.c).
 */
int hex_dump_to_buffer(const void *buf, size_t len, int rowsize, int groupsize,
		       char *linebuf, size_t linebuflen, bool ascii);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_DEBUG_H */
