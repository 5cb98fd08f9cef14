/* SPDX-License-Identifier: MIT */
/*
 * linux/panic.h - panic() and what decides when a report ends in one
 * (include/linux/panic.h).
 *
 * panic_on_warn: set by the boot parameter panic_on_warn=N or the sysctl
 * kernel.panic_on_warn (ukmem_sysctl(), <ukmem/sysctl.h>).  While it is
 * set, a WARN(), a KFENCE report or a KASAN report (an ASan build's) ends
 * in "Kernel panic - not syncing: <origin>: panic_on_warn set ...", and the
 * process aborts, as a kernel stops.  check_panic_on_warn() is the check
 * each of those reports ends with; it also counts them against
 * kernel.warn_limit.  The declarations live in <linux/bug.h>, which the
 * kernel's <linux/kernel.h> brings too.
 */
#ifndef _LINUX_PANIC_H
#define _LINUX_PANIC_H

#include <linux/bug.h>

#endif /* _LINUX_PANIC_H */
