/* SPDX-License-Identifier: MIT */
/*
 * ukmem/context.h - execution contexts the kernel knows and a user-space
 * program does not: interrupt context and the atomic-sleep check.
 *
 * A signal handler is ukmem's interrupt context.  Install it with
 * ukmem_sigaction() (same arguments as sigaction(2)) and, while it runs,
 * in_interrupt() and in_atomic() are true: a GFP_KERNEL allocation there
 * is reported ("BUG: sleeping function called from invalid context"),
 * GFP_ATOMIC works.  Code that is entered some other way can bracket
 * itself with ukmem_irq_enter()/ukmem_irq_exit().
 */
#ifndef _UKMEM_CONTEXT_H
#define _UKMEM_CONTEXT_H

#include <signal.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

struct sigaction;	/* POSIX's: <signal.h> leaves it out under a strict ISO mode */
int ukmem_sigaction(int signum, const struct sigaction *act, struct sigaction *oldact);
void ukmem_irq_enter(void);
void ukmem_irq_exit(void);
/* How many might_sleep() violations were seen (reports are rate limited). */
unsigned long ukmem_atomic_sleep_reports(void);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_CONTEXT_H */
