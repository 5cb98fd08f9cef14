/* SPDX-License-Identifier: MIT */
/*
 * include/linux/fault-inject-usercopy.h - the fail_usercopy fault
 * attribute (CONFIG_FAULT_INJECTION_USERCOPY): should_fail_usercopy() is
 * asked by the user-copy primitives before they copy, and a "yes" makes
 * the copy fail whole.  Configured by the fail_usercopy= boot parameter
 * and ukmem_fault_set("fail_usercopy", ...) (the kernel's
 * /sys/kernel/debug/fail_usercopy/ files).
 */
#ifndef _LINUX_FAULT_INJECT_USERCOPY_H
#define _LINUX_FAULT_INJECT_USERCOPY_H

#include <linux/types.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN
bool should_fail_usercopy(void);
UKMEM_API_END
UKMEM_C_END

#endif /* _LINUX_FAULT_INJECT_USERCOPY_H */
