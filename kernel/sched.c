/* SPDX-License-Identifier: MIT */
/*
 * kernel/sched.c - the sleeping-in-atomic-context report
 * (kernel/sched/core.c __might_sleep / __might_resched), and the signal
 * handler wrapper that makes a handler "interrupt context".
 *
 * The report, as the kernel prints it, at most once a second:
 *
 *   BUG: sleeping function called from invalid context at mm/page_alloc.c:1234
 *   in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 42, name: prog
 *   preempt_count: 1, expected: 0
 *   <stack>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <linux/atomic.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <ukmem/context.h>
#include "arch/host.h"
#include "mm/internal.h"

bool ukmem_debug_atomic_sleep = true;
/* `current` (linux/sched.h): the calling thread's task flags. */
__thread struct task_struct ukmem_current_task __attribute__((tls_model("initial-exec")));
static unsigned long prev_report_jiffy;
static atomic_long_t atomic_sleep_reports;

void __might_sleep(const char *file, int line)
{
	unsigned long now = arch_jiffies();
	char comm[16];

	atomic_long_inc(&atomic_sleep_reports);
	if (prev_report_jiffy && now - prev_report_jiffy < HZ)
		return;
	prev_report_jiffy = now ? now : 1;
	arch_comm(comm);
	printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n",
	       file, line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, non_block: %d, pid: %d, name: %s\n",
	       in_atomic(), irqs_disabled(), 0, arch_gettid(), comm);
	printk(KERN_ERR "preempt_count: %x, expected: %x\n", preempt_count(), 0);
	dump_stack();
	add_taint(TAINT_WARN, LOCKDEP_STILL_OK);
}

unsigned long ukmem_atomic_sleep_reports(void)
{
	return (unsigned long)atomic_long_read(&atomic_sleep_reports);
}

void ukmem_irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
}

void ukmem_irq_exit(void)
{
	preempt_count_sub(HARDIRQ_OFFSET);
}

/* The handlers ukmem_sigaction() installed, called from the trampoline. */
static struct sigaction user_actions[NSIG];

static void irq_trampoline(int sig, siginfo_t *info, void *uctx)
{
	const struct sigaction *act = &user_actions[sig];
	int saved_errno = errno;
	struct pcpu_irq_state pcpu;

	pcpu_irq_save(&pcpu);
	ukmem_irq_enter();
	if (act->sa_flags & SA_SIGINFO)
		act->sa_sigaction(sig, info, uctx);
	else if (act->sa_handler != SIG_IGN && act->sa_handler != SIG_DFL)
		act->sa_handler(sig);
	/* Still in interrupt context: a warning it prints bypasses stdio. */
	pcpu_irq_restore(&pcpu);
	ukmem_irq_exit();
	errno = saved_errno;
}

int ukmem_sigaction(int signum, const struct sigaction *act, struct sigaction *oldact)
{
	struct sigaction wrapped;

	if (signum <= 0 || signum >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (oldact)
		*oldact = user_actions[signum];
	if (!act)
		return 0;
	if ((!(act->sa_flags & SA_SIGINFO) &&
	     (act->sa_handler == SIG_IGN || act->sa_handler == SIG_DFL)))
		return sigaction(signum, act, NULL);
	user_actions[signum] = *act;
	wrapped = *act;
	wrapped.sa_flags |= SA_SIGINFO;
	wrapped.sa_sigaction = irq_trampoline;
	return sigaction(signum, &wrapped, NULL);
}

/* linux/jiffies.h's jiffies: the millisecond tick the allocator's own timers use. */
unsigned long ukmem_jiffies(void)
{
	return arch_jiffies();
}
