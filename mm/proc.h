/* SPDX-License-Identifier: MIT */
/*
 * mm/proc.h - the table of reports behind ukmem_show() (mm/proc.c).
 *
 * The kernel creates one /proc file per report with proc_create_seq() from
 * the subsystem that owns the data (mm/vmstat.c, fs/proc/meminfo.c,
 * mm/slab_common.c, mm/vmalloc.c).  ukmem keeps the same ownership: the
 * built-in reports (meminfo, buddyinfo, pagetypeinfo, zoneinfo, dmesg) are in
 * the table from the start, and a subsystem that arrives later adds its own
 * ("slabinfo", "vmallocinfo") with ukmem_register_report(), typically from
 * its init function during boot.
 *
 * A show function writes the whole report to the FILE it is given.  It must
 * not allocate through ukmem and must not call stdio while it holds a ukmem
 * spinlock (a FILE may allocate its buffer on first use, and that allocation
 * may land in ukmem itself): take a snapshot under the lock, print after.
 */
#ifndef _MM_PROC_H
#define _MM_PROC_H

#include <stdio.h>

/* How many reports the table holds, built-in ones included. */
#define UKMEM_MAX_REPORTS	16

/*
 * ukmem_register_report - add (or replace) the report called @name.
 * @name: the name ukmem_show() is called with; the string must live for
 *	the rest of the process (a literal).
 * @show: writes the report.
 *
 * Registering a name that is already in the table replaces its show
 * function.  A full table is reported with a warning and the call is
 * ignored.  Never sleeps; safe to call before or after boot.
 */
void ukmem_register_report(const char *name, void (*show)(FILE *m));
/*
 * /sys/kernel/slab/<cache>/<file> (mm/slab_sysfs.c): @path is
 * "<cache>/<file>".  0, -ENOENT (no such cache or file), -EINVAL (a bad
 * value, or a file the kernel gives no store).
 */
int slab_sysfs_show(const char *path, FILE *out);
int slab_sysfs_store(const char *path, const char *buf);
/* Boot: the fork steps of dmesg_lock and reports_lock (kernel/fork.c). */
void proc_fork_init(void);

/*
 * Inputs to /proc/meminfo that later subsystems own (defined, 0 until set,
 * in mm/show_mem.c):
 * ukmem_vmalloc_total_bytes - size of the vmalloc address range (the
 *	kernel's VMALLOC_END - VMALLOC_START), set once by mm/vmalloc.c;
 * ukmem_percpu_bytes - bytes of populated per-CPU chunk pages times units
 *	(the kernel's pcpu_nr_pages() in bytes), kept by mm/percpu.c.
 * Written with WRITE_ONCE(), read with READ_ONCE().
 */
extern unsigned long ukmem_vmalloc_total_bytes;
extern unsigned long ukmem_percpu_bytes;

#endif /* _MM_PROC_H */
