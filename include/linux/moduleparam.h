/* SPDX-License-Identifier: MIT */
/*
 * linux/moduleparam.h - module_param() and friends.  The kernel's
 * linux/module.h includes this header; here linux/module.h defines them,
 * and this header, which module sources include on their own, brings it in.
 */
#ifndef _LINUX_MODULEPARAM_H
#define _LINUX_MODULEPARAM_H

#include <linux/module.h>

#endif /* _LINUX_MODULEPARAM_H */
