/* SPDX-License-Identifier: MIT */
/*
 * linux/kallsyms.h - addresses to symbol names (include/linux/kallsyms.h):
 * what printk's %pS, %pB and %ps print, for code that wants the text
 * itself.  kernel/kallsyms.c says where the names come from.
 *
 * The program is the kernel image and each shared object a module:
 *   sprint_symbol()           "name+0xoff/0xsize", " [libfoo.so.1]" after
 *                             it for a shared object
 *   sprint_symbol_no_offset() "name" (and the module)
 *   sprint_backtrace()        as sprint_symbol(), for a return address:
 *                             the call before it is looked up, so a call
 *                             that ends its function names that function
 * An address no symbol covers prints as "0x..." (hex, as the kernel).
 * @buffer holds KSYM_SYMBOL_LEN bytes; longer names are cut.  Context:
 * any, signal handlers included; never allocates from the allocator.
 */
#ifndef _LINUX_KALLSYMS_H
#define _LINUX_KALLSYMS_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

#define KSYM_NAME_LEN		512
#define MODULE_NAME_LEN		56
/* name, "+0x<16>/0x<16>", " [module]", the NUL */
#define KSYM_SYMBOL_LEN		(KSYM_NAME_LEN + 2 * (2 + 16) + 2 + MODULE_NAME_LEN + 2)

UKMEM_API_BEGIN
int sprint_symbol(char *buffer, unsigned long address);
int sprint_symbol_no_offset(char *buffer, unsigned long address);
int sprint_backtrace(char *buffer, unsigned long address);
/*
 * The symbol that covers @addr: its name (copied into @namebuf, which
 * holds KSYM_NAME_LEN bytes), size and @addr's offset in it, and the
 * module (NULL for the program); NULL if none does.  @modname points into
 * a table that lives as long as the process.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *symbolsize,
			    unsigned long *offset, char **modname, char *namebuf);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_KALLSYMS_H */
