/* SPDX-License-Identifier: MIT */
/*
 * kernel/printk.h - what the library's own reports need from printk
 * beyond include/linux/printk.h.
 */
#ifndef _KERNEL_PRINTK_H
#define _KERNEL_PRINTK_H

/*
 * dump_stack() from a report function (WARN, BUG) that is not itself to
 * be shown: the trace starts @skip frames above its caller.  The kernel's
 * trace of a WARN or BUG comes from the trap's registers and so starts at
 * the function that hit it, not at __warn_printk.
 */
void dump_stack_skip(int skip) __attribute__((visibility("hidden")));

#endif
