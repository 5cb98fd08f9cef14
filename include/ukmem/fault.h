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
 */
#ifndef _UKMEM_FAULT_H
#define _UKMEM_FAULT_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

int ukmem_fault_set(const char *name, const char *attr, long value);
long ukmem_fault_get(const char *name, const char *attr);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_FAULT_H */
