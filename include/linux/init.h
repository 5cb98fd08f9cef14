/* SPDX-License-Identifier: MIT */
/*
 * linux/init.h - section markers and initcalls (include/linux/init.h).
 *
 * __init, __exit and friends mark code and data the kernel discards after
 * boot or never loads; here everything stays, so they are empty.
 *
 * Initcalls run before main(), as the kernel runs them before the first
 * user process: each level is a constructor priority, in the kernel's
 * order (core, postcore, arch, subsys, fs, device, late), so that within
 * one program a core_initcall() runs before a device_initcall() whatever
 * the order of the object files.  An initcall that fails is reported as
 * the kernel reports it ("initcall NAME returned ERR") and the program
 * goes on, as the kernel's boot does.  module_init() and module_exit()
 * are in linux/module.h.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <ukmem/kernel_types.h>

#ifndef __init
#define __init
#define __initdata
#define __meminit
#define __ref
#endif
#ifndef __exit
#define __exit
#endif
#define __exitdata
#define __initconst
#define __refdata
#define __devinit
#define __devexit
#define __meminitdata

UKMEM_C_BEGIN

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

UKMEM_API_BEGIN
/* Runs @fn; reports a non-zero return as the kernel's do_one_initcall() does. */
void ukmem_do_initcall(initcall_t fn, const char *name);
UKMEM_API_END

/* Constructor priorities: 101-200 are the C library's and C++'s; ours follow. */
#define __UKMEM_INITCALL(fn, prio)						\
	static void __attribute__((constructor(prio), used))			\
	__PASTE(__initcall_, fn)(void)						\
	{									\
		initcall_t __fn = (fn);						\
		ukmem_do_initcall(__fn, #fn);					\
	}


#define early_initcall(fn)		__UKMEM_INITCALL(fn, 1000)
#define pure_initcall(fn)		__UKMEM_INITCALL(fn, 1001)
#define core_initcall(fn)		__UKMEM_INITCALL(fn, 1010)
#define postcore_initcall(fn)		__UKMEM_INITCALL(fn, 1020)
#define arch_initcall(fn)		__UKMEM_INITCALL(fn, 1030)
#define subsys_initcall(fn)		__UKMEM_INITCALL(fn, 1040)
#define fs_initcall(fn)			__UKMEM_INITCALL(fn, 1050)
#define rootfs_initcall(fn)		__UKMEM_INITCALL(fn, 1055)
#define device_initcall(fn)		__UKMEM_INITCALL(fn, 1060)
#define late_initcall(fn)		__UKMEM_INITCALL(fn, 1070)
#define late_initcall_sync(fn)		__UKMEM_INITCALL(fn, 1071)
#define __initcall(fn)			device_initcall(fn)

UKMEM_C_END

#endif /* _LINUX_INIT_H */
