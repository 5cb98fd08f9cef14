/* SPDX-License-Identifier: MIT */
/*
 * ukmem/fault.h - fault injection at run time: the kernel's
 * /sys/kernel/debug/<name>/<attribute> files as calls.
 *
 *   ukmem_fault_set("failslab", "probability", 100);
 *   ukmem_fault_set("failslab", "times", 3);
 *   ... three kmalloc()s fail ...
 *   ukmem_fault_get("failslab", "injected");   -> 3
 *
 * Names: "failslab", "fail_page_alloc".  Attributes: probability,
 * interval, times, space, verbose, task-filter, ignore-gfp-wait, and
 * cache-filter (failslab) or ignore-gfp-highmem and min-order
 * (fail_page_alloc); "injected" (read-only) counts forced failures.
 * Both functions return -ENOENT for an unknown name or attribute.
 *
 * ukmem_fail_nth_set(n) is the kernel's per-task fail-nth file
 * (/proc/thread-self/fail-nth) for the calling thread: the nth injection
 * site the thread reaches from now on (a slab or page allocation that
 * failslab's or fail_page_alloc's filters let through) fails, whatever the
 * probability says; 0 disarms.  ukmem_fail_nth_get() reads what is left:
 * 0 once the failure was forced, otherwise the sites still to go.
 *
 *   ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
 *   ukmem_fail_nth_set(2);
 *   p = kmalloc_array(...);            second allocation inside fails
 *   injected = ukmem_fail_nth_get() == 0;
 *   ukmem_fail_nth_set(0);
 */
#ifndef _UKMEM_FAULT_H
#define _UKMEM_FAULT_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

int ukmem_fault_set(const char *name, const char *attr, long value);
long ukmem_fault_get(const char *name, const char *attr);
void ukmem_fail_nth_set(unsigned int n);
unsigned int ukmem_fail_nth_get(void);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_FAULT_H */
