/* SPDX-License-Identifier: MIT */
/*
 * linux/kconfig.h - IS_ENABLED(), IS_BUILTIN(), IS_MODULE() and
 * IS_REACHABLE() (include/linux/kconfig.h), which every ukmem header
 * brings (through ukmem/compiler.h), as the kernel's build includes it in
 * every file.
 *
 * An option is on when its CONFIG_ macro is defined as 1, as the kernel's
 * generated autoconf.h defines the options that are on and leaves the
 * others undefined.  ukmem defines none, so IS_ENABLED(CONFIG_ANYTHING)
 * is 0: kernel code that asks about an option compiles and takes the
 * "off" branch.  A program may define one (-DCONFIG_FOO=1) for its own
 * code; 0, or any other value, reads as off.
 *
 * How: pasting the value onto __ukmem_kconfig_on_ names a macro that
 * expands to "0," only for the value 1; that comma shifts the argument
 * list, so the second argument picked is 1 then and 0 for anything else.
 */
#ifndef _LINUX_KCONFIG_H
#define _LINUX_KCONFIG_H

#define __ukmem_kconfig_on_1			0,
#define __ukmem_kconfig_second(skipped, val, ...)	val
#define __ukmem_kconfig_pick(comma_or_junk)	__ukmem_kconfig_second(comma_or_junk 1, 0)
#define __ukmem_kconfig_paste(val)		__ukmem_kconfig_pick(__ukmem_kconfig_on_##val)
/* 1 if @option is a macro defined as 1, else 0 (expanded first). */
#define __is_defined(option)			__ukmem_kconfig_paste(option)

/* Built in (=y). */
#define IS_BUILTIN(option)	__is_defined(option)
/* Built as a module (=m: the kernel defines CONFIG_FOO_MODULE). */
#define IS_MODULE(option)	__is_defined(option##_MODULE)
/* Either. */
#define IS_ENABLED(option)	(IS_BUILTIN(option) || IS_MODULE(option))
/* Usable from here: built in, or a module and this code part of a module. */
#define IS_REACHABLE(option)	(IS_BUILTIN(option) || (IS_MODULE(option) && __is_defined(MODULE)))

#endif /* _LINUX_KCONFIG_H */
