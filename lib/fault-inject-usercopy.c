/* SPDX-License-Identifier: MIT */
/*
 * lib/fault-inject-usercopy.c - the fail_usercopy attribute
 * (lib/fault-inject-usercopy.c in the kernel).
 *
 * Asked, as in the kernel, by copy_from_user() (which then copies
 * nothing and zeroes the whole destination), __copy_from_user() (nothing
 * copied, the destination left alone), copy_to_user() and
 * __copy_to_user() (nothing copied, all @n bytes reported not copied),
 * strncpy_from_user() (-EFAULT, asked before the count is looked at) and
 * strncpy_from_user_nofault(), built on it.  Not by the _inatomic forms,
 * the other _nofault ones,
 * get_user()/put_user(), clear_user() or strnlen_user(), which the kernel
 * does not instrument either.  Like every attribute it answers fail-nth.
 */
#include <errno.h>

#include <linux/fault-inject.h>
#include <linux/fault-inject-usercopy.h>
#include "mm/internal.h"

struct fault_attr fail_usercopy = FAULT_ATTR_INITIALIZER;

int setup_fail_usercopy(const char *str)
{
	fail_usercopy.dname = "fail_usercopy";
	return setup_fault_attr(&fail_usercopy, str) ? 0 : -EINVAL;
}

bool should_fail_usercopy(void)
{
	if (likely(!fault_attr_live(&fail_usercopy)) || fault_inject_off)
		return false;
	fail_usercopy.dname = "fail_usercopy";
	return should_fail(&fail_usercopy, 1);
}
