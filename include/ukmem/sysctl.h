/* SPDX-License-Identifier: MIT */
/*
 * ukmem/sysctl.h - the kernel's vm sysctls (and two of its kernel ones),
 * set and read at run time.
 *
 * ukmem_sysctl("vm.drop_caches", "2") does what `sysctl vm.drop_caches=2`
 * (or `echo 2 > /proc/sys/vm/drop_caches`) does to a kernel.  A name may
 * be given in sysctl's dotted form ("vm.min_free_kbytes"), as a path under
 * /proc/sys ("vm/min_free_kbytes"), or as the full path
 * ("/proc/sys/vm/min_free_kbytes").  Values are parsed as the kernel's
 * proc_dointvec parses them (a decimal, octal or hex integer, surrounding
 * blanks and a trailing newline allowed) and checked against the kernel's
 * ranges.  Both boot the machine first if it is not up.  May sleep
 * (drop_caches reclaims).
 *
 * ukmem_sysctl() returns 0, -ENOENT for an unknown name, -EINVAL for a
 * value out of range or malformed, -EACCES for a read-only one.
 * ukmem_sysctl_read() writes the value as the /proc/sys file shows it
 * ("10\n") into @buf and returns its length, or -ENOENT, or -EACCES for a
 * write-only one (drop_caches), or -ENOSPC when @buf is too small.
 * The names, docs/reclaim.md explains each:
 *   vm.drop_caches           (write-only) 1, 2, 3; 4 silences the log line
 *   vm.min_free_kbytes       the min watermark, in KiB, split over the zones
 *   vm.watermark_scale_factor  distance between watermarks, 1/10000 of a zone (1..3000)
 *   vm.watermark_boost_factor  how far fragmentation raises them, 1/10000 of high
 *   vm.panic_on_oom          0 report and fail, 2 panic, 1 panic unless a nodemask limited it
 *   kernel.panic_on_warn     1: a WARN, KFENCE or KASAN report panics (docs/reports.md)
 *   kernel.warn_limit        N: the Nth such report panics; 0 (the default) never
 */
#ifndef _UKMEM_SYSCTL_H
#define _UKMEM_SYSCTL_H

#include <stddef.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

int ukmem_sysctl(const char *name, const char *value);
int ukmem_sysctl_read(const char *name, char *buf, size_t size);
/* The dotted names, NULL-terminated. */
const char * const *ukmem_sysctl_names(void);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_SYSCTL_H */
