/* SPDX-License-Identifier: MIT */
/*
 * linux/stackdepot.h - stack traces stored once (lib/stackdepot.c).
 *
 * stack_depot_save() keeps a copy of a trace and returns a 32-bit handle
 * for it; saving the same trace again returns the same handle, so a
 * structure that records where it was allocated keeps 4 bytes instead of
 * the trace.  Handle 0 means no trace (the depot could not store it).
 * stack_depot_save_flags() takes the kernel's flags: without
 * STACK_DEPOT_FLAG_CAN_ALLOC it never maps new memory (0 when a trace
 * would need it); with STACK_DEPOT_FLAG_GET the record is counted, and
 * stack_depot_put() drops a count.  A record whose count reaches zero is
 * not evicted here (the kernel may reuse its memory): the next save of
 * the same trace with STACK_DEPOT_FLAG_GET counts it again.  A handle has
 * STACK_DEPOT_EXTRA_BITS spare bits at its top for the caller
 * (stack_depot_set_extra_bits()).  The depot's memory is the host's, not
 * the machine's RAM, so saving never recurses into the allocators and
 * works from any context; in a signal handler a busy depot answers 0.
 */
#ifndef _LINUX_STACKDEPOT_H
#define _LINUX_STACKDEPOT_H

#include <stddef.h>
#include <ukmem/kernel_types.h>
#include <linux/gfp_types.h>

UKMEM_C_BEGIN

typedef u32 depot_stack_handle_t;
typedef u32 depot_flags_t;

#define STACK_DEPOT_FLAG_CAN_ALLOC	((depot_flags_t)0x0001)	/* may map new depot memory */
#define STACK_DEPOT_FLAG_GET		((depot_flags_t)0x0002)	/* count the record (stack_depot_put) */
#define STACK_DEPOT_FLAGS_NUM		2
#define STACK_DEPOT_FLAGS_MASK		((depot_flags_t)((1 << STACK_DEPOT_FLAGS_NUM) - 1))
/* Bits of a handle left to its user (the top ones). */
#define STACK_DEPOT_EXTRA_BITS		5

UKMEM_API_BEGIN
/* 0 (the depot sets itself up on first use; kept for the kernel's callers). */
int stack_depot_init(void);
/* @entries[0..nr_entries) stored once: its handle, or 0. @gfp is ignored here. */
/* Nothing to do here: the depot needs no early memory (the kernel's boot-time request). */
void stack_depot_request_early_init(void);
depot_stack_handle_t stack_depot_save_flags(unsigned long *entries, unsigned int nr_entries,
					    gfp_t gfp, depot_flags_t depot_flags);
/* stack_depot_save_flags() with STACK_DEPOT_FLAG_CAN_ALLOC. */
depot_stack_handle_t stack_depot_save(unsigned long *entries, unsigned int nr_entries,
				      gfp_t gfp);
/* The trace of @handle: its length, *@entries pointing at it; 0 for handle 0. */
unsigned int stack_depot_fetch(depot_stack_handle_t handle, unsigned long **entries);
/* Printed to the log, a frame a line (" %pS"), or nothing for handle 0. */
void stack_depot_print(depot_stack_handle_t stack);
/* The same into @buf, each line indented by @spaces more: bytes written. */
int stack_depot_snprint(depot_stack_handle_t handle, char *buf, size_t size, int spaces);
/* Drop a count taken with STACK_DEPOT_FLAG_GET (a record saved without it: nothing). */
void stack_depot_put(depot_stack_handle_t handle);
/* @handle with @extra_bits (the low STACK_DEPOT_EXTRA_BITS of them) in its spare bits; 0 stays 0. */
depot_stack_handle_t __must_check stack_depot_set_extra_bits(depot_stack_handle_t handle,
							     unsigned int extra_bits);
unsigned int stack_depot_get_extra_bits(depot_stack_handle_t handle);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_STACKDEPOT_H */
