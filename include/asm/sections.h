/* SPDX-License-Identifier: MIT */
/*
 * asm/sections.h - where the kernel image's sections lie
 * (include/asm-generic/sections.h).
 *
 * The "kernel image" here is the program: is_kernel_rodata() says whether
 * an address lies in its read-only data (string constants), which is what
 * kstrdup_const(), kfree_const(), devm_kstrdup_const() and devm_kfree()
 * ask.  A shared object's constants are not the program's, as a module's
 * are not the kernel's.
 */
#ifndef _ASM_SECTIONS_H
#define _ASM_SECTIONS_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN
/* Is @addr in the program's read-only data?  Context: any. */
bool is_kernel_rodata(unsigned long addr);
UKMEM_API_END
UKMEM_C_END

#endif /* _ASM_SECTIONS_H */
