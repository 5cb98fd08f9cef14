/* SPDX-License-Identifier: MIT */
/*
 * linux/stackdepot.h - stack traces stored once (lib/stackdepot.c).
 *
 * stack_depot_save() keeps a copy of a trace and returns a 32-bit handle
 * for it; saving the same trace again returns the same handle, so a
 * structure that records where it was allocated keeps 4 bytes instead of
 * the trace.  Handle 0 means no trace (the depot could not store it).
 * Traces are never removed (the kernel's STACK_DEPOT_FLAG_GET/put
 * refcounting is not provided).  The depot's memory is the host's, not
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

UKMEM_API_BEGIN
/* 0 (the depot sets itself up on first use; kept for the kernel's callers). */
int stack_depot_init(void);
/* @entries[0..nr_entries) stored once: its handle, or 0. @gfp is ignored here. */
depot_stack_handle_t stack_depot_save(unsigned long *entries, unsigned int nr_entries,
				      gfp_t gfp);
/* The trace of @handle: its length, *@entries pointing at it; 0 for handle 0. */
unsigned int stack_depot_fetch(depot_stack_handle_t handle, unsigned long **entries);
/* Printed to the log, a frame a line (" %pS"), or nothing for handle 0. */
void stack_depot_print(depot_stack_handle_t stack);
/* The same into @buf, each line indented by @spaces more: bytes written. */
int stack_depot_snprint(depot_stack_handle_t handle, char *buf, size_t size, int spaces);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_STACKDEPOT_H */
