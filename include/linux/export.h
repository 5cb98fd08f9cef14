/* SPDX-License-Identifier: MIT */
/*
 * linux/export.h - EXPORT_SYMBOL and friends (include/linux/export.h).
 *
 * A module's exported symbols are what other modules may call.  Here a
 * "module" is code linked into a program, where every external symbol is
 * already visible; the macros only check that the symbol is declared.
 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS(sym, ns)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern __typeof__(sym) sym
#define MODULE_IMPORT_NS(ns)		extern int __ukmem_module_import_ns

#endif /* _LINUX_EXPORT_H */
