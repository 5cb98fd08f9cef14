/* SPDX-License-Identifier: MIT */
/*
 * ukmem/report.h - the kernel's /proc reports.
 *
 * ukmem_show(name, out) writes one report in the kernel's exact format:
 * "meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "dmesg", and, as
 * their subsystems arrive, "slabinfo" and "vmallocinfo".  Returns 0, or
 * -ENOENT for an unknown name.
 */
#ifndef _UKMEM_REPORT_H
#define _UKMEM_REPORT_H

#include <stdio.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

int ukmem_show(const char *name, FILE *out);
/*
 * ukmem_write(name, buf): what writing @buf to the kernel's debugfs file
 * does.  "kmemleak" takes the commands of /sys/kernel/debug/kmemleak
 * ("scan", "clear", "off", "stack=on|off", "dump=<addr>"), and its
 * ukmem_show() lists the leaks the scans found (docs/kmemleak.md).
 * "slab/<cache>/<file>" are /sys/kernel/slab/<cache>/ (failslab,
 * validate, shrink; the others read only: docs/slab_debug.md).
 * Returns 0, -ENOENT for an unknown file, -EINVAL for a bad command,
 * -EPERM when the file's feature is off (no kmemleak=on at boot).
 */
int ukmem_write(const char *name, const char *buf);
/* NULL-terminated list of the report names ukmem_show() knows. */
const char * const *ukmem_report_names(void);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_REPORT_H */
