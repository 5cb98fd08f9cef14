/* SPDX-License-Identifier: MIT */
/*
 * linux/build_bug.h - include/linux/build_bug.h.
 *
 * BUILD_BUG_ON() and BUILD_BUG_ON_MSG() come with linux/bug.h here, and
 * static_assert() with C11's <assert.h>.
 */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#include <assert.h>
#include <linux/bug.h>

#endif /* _LINUX_BUILD_BUG_H */
