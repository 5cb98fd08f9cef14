/* SPDX-License-Identifier: MIT */
/*
 * linux/module.h - a loadable module's entry points and description
 * (include/linux/module.h, include/linux/moduleparam.h).
 *
 * Module code is linked into a program: loading is the program's start and
 * unloading its exit.  module_init(fn) runs fn before main(), after the
 * initcalls of linux/init.h of the kernel's earlier levels (it is a
 * device_initcall, as for built-in code); module_exit(fn) runs fn when the
 * program exits (exit() or a return from main()), and only if the init
 * succeeded.  An init that fails is the failed insmod: it is reported
 * ("insmod: ERROR: could not insert module NAME: Cannot allocate memory")
 * and the program exits with status 1 without running main().
 *
 * MODULE_LICENSE(), MODULE_AUTHOR(), MODULE_DESCRIPTION(), module_param()
 * and the rest keep their text in the .modinfo section, as the kernel's
 * do (`objdump -s -j .modinfo prog` shows it); nothing reads it.  The
 * parameters keep their initial values.
 *
 * The module's name is KBUILD_MODNAME, which the kernel's build defines
 * (-DKBUILD_MODNAME='"name"'); without it, the program's name.
 *
 * The system's UAPI linux/module.h (finit_module flags) is read first.
 */
#ifndef _UKMEM_LINUX_MODULE_H
#define _UKMEM_LINUX_MODULE_H

#if defined(__has_include_next)
#if __has_include_next(<linux/module.h>)
#include_next <linux/module.h>
#endif
#endif
#include <ukmem/kernel_types.h>
#include <linux/init.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/percpu.h>	/* as the kernel's module.h brings it: modules' per-CPU data */

UKMEM_C_BEGIN

struct module;
#define THIS_MODULE	((struct module *)0)

#ifdef KBUILD_MODNAME
#define __UKMEM_MODNAME	KBUILD_MODNAME
#else
#define __UKMEM_MODNAME	((const char *)0)
#endif

UKMEM_API_BEGIN
/*
 * Load: run @init (named @name) and remember in @loaded that it succeeded.
 * A failure reports and exits(1); a positive return is reported as the
 * kernel reports it and counts as success.  Unload: run @exit if loaded.
 */
void ukmem_module_load(initcall_t init, const char *name, const char *modname, int *loaded);
void ukmem_module_unload(exitcall_t exit, int *loaded);
UKMEM_API_END

/* One per translation unit, as one module_init() per module. */
static int __ukmem_module_loaded __attribute__((unused));

#define module_init(initfn)							\
	static void __attribute__((constructor(1060), used))			\
	__ukmem_module_init(void)						\
	{									\
		initcall_t __fn = (initfn);					\
		ukmem_module_load(__fn, #initfn, __UKMEM_MODNAME,		\
				  &__ukmem_module_loaded);			\
	}

#define module_exit(exitfn)							\
	static void __attribute__((destructor(1060), used))			\
	__ukmem_module_exit(void)						\
	{									\
		exitcall_t __fn = (exitfn);					\
		ukmem_module_unload(__fn, &__ukmem_module_loaded);		\
	}

#define __MODULE_INFO(tag, name, info)						\
	static const char __UNIQUE_ID(name)[]					\
	__attribute__((used, section(".modinfo"), aligned(1))) = #tag "=" info

#define MODULE_INFO(tag, info)		__MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license)	MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)		MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_desc)	MODULE_INFO(description, _desc)
#define MODULE_VERSION(_version)	MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias)		MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep)	MODULE_INFO(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware)	MODULE_INFO(firmware, _firmware)
#define MODULE_DEVICE_TABLE(type, name)	extern __typeof__(name) name

#define module_param(name, type, perm)						\
	__MODULE_INFO(parmtype, name##type, #name ":" #type)
#define module_param_named(name, value, type, perm)				\
	__MODULE_INFO(parmtype, name##type, #name ":" #type)
#define module_param_array(name, type, nump, perm)				\
	__MODULE_INFO(parmtype, name##type, #name ":array of " #type)
#define MODULE_PARM_DESC(_parm, desc)						\
	__MODULE_INFO(parm, _parm, #_parm ":" desc)

/* Reference counts on modules: a module linked into a program never goes away. */
static inline bool try_module_get(struct module *module) { (void)module; return true; }
static inline void module_put(struct module *module) { (void)module; }
static inline void __module_get(struct module *module) { (void)module; }

UKMEM_C_END

#endif /* _UKMEM_LINUX_MODULE_H */
