/* SPDX-License-Identifier: MIT */
/*
 * linux/preempt.h - the per-thread preempt count.
 *
 * A user-space thread can be preempted and migrated at any instruction, so
 * the count cannot stop preemption.  What it does is record, as the kernel's
 * count does, that the thread is inside a section that must not sleep
 * (get_cpu(), a spinlock, a signal handler run through ukmem's wrapper), so
 * that a call that may sleep there is reported (CONFIG_DEBUG_ATOMIC_SLEEP).
 * The per-CPU data such a section touches is protected by that CPU's lock,
 * not by the count (see DESIGN.md).
 */
#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

#define PREEMPT_BITS	8
#define SOFTIRQ_BITS	8
#define HARDIRQ_BITS	4
#define PREEMPT_SHIFT	0
#define SOFTIRQ_SHIFT	(PREEMPT_SHIFT + PREEMPT_BITS)
#define HARDIRQ_SHIFT	(SOFTIRQ_SHIFT + SOFTIRQ_BITS)
#define PREEMPT_OFFSET	(1UL << PREEMPT_SHIFT)
#define SOFTIRQ_OFFSET	(1UL << SOFTIRQ_SHIFT)
#define HARDIRQ_OFFSET	(1UL << HARDIRQ_SHIFT)
#define PREEMPT_MASK	(((1UL << PREEMPT_BITS) - 1) << PREEMPT_SHIFT)
#define SOFTIRQ_MASK	(((1UL << SOFTIRQ_BITS) - 1) << SOFTIRQ_SHIFT)
#define HARDIRQ_MASK	(((1UL << HARDIRQ_BITS) - 1) << HARDIRQ_SHIFT)

/* The calling thread's count; initial-exec TLS keeps the access one load. */
extern __thread unsigned int ukmem_preempt_count
	__attribute__((tls_model("initial-exec")));
/* Per-thread "interrupts disabled" depth (local_irq_save and friends). */
extern __thread unsigned int ukmem_irqs_disabled_depth
	__attribute__((tls_model("initial-exec")));

UKMEM_API_END

static inline unsigned int preempt_count(void) { return ukmem_preempt_count; }
#define preempt_disable()	do { ukmem_preempt_count++; barrier(); } while (0)
#define preempt_enable()	do { barrier(); ukmem_preempt_count--; } while (0)
#define preempt_enable_no_resched() preempt_enable()
#define preempt_count_add(v)	(ukmem_preempt_count += (v))
#define preempt_count_sub(v)	(ukmem_preempt_count -= (v))
/*
 * migrate_disable()/migrate_enable(): the kernel keeps the task on its
 * CPU but lets it sleep.  A host thread moves between CPUs whatever the
 * library asks, and ukmem's per-CPU data is safe for a thread that moved
 * (rseq restarts, or the CPU's lock): the calls are accepted and change
 * nothing, neither the CPU nor what may sleep.
 */
#define migrate_disable()	do { barrier(); } while (0)
#define migrate_enable()	do { barrier(); } while (0)

#define hardirq_count()	(preempt_count() & HARDIRQ_MASK)
#define softirq_count()	(preempt_count() & SOFTIRQ_MASK)
#define in_hardirq()	(hardirq_count())
#define in_irq()	(hardirq_count())
#define in_softirq()	(softirq_count())
#define in_interrupt()	(preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_task()	(!in_interrupt())
#define in_atomic()	(preempt_count() != 0)
#define preemptible()	(preempt_count() == 0 && !irqs_disabled())

#define irqs_disabled()		(ukmem_irqs_disabled_depth != 0)
#define local_irq_disable()	do { ukmem_irqs_disabled_depth++; barrier(); } while (0)
#define local_irq_enable()	do { barrier(); ukmem_irqs_disabled_depth--; } while (0)
#define local_irq_save(flags)	do { (flags) = ukmem_irqs_disabled_depth; local_irq_disable(); } while (0)
#define local_irq_restore(flags) do { barrier(); ukmem_irqs_disabled_depth = (flags); } while (0)

/*
 * might_sleep(): the CONFIG_DEBUG_ATOMIC_SLEEP check.  A call that may sleep
 * made in atomic context (preempt count raised, interrupts "disabled", or
 * a signal handler run through ukmem_sigaction()) is reported as the
 * kernel reports it.  On by default; debug_atomic_sleep=0 turns it off.
 */
UKMEM_API_BEGIN
extern bool ukmem_debug_atomic_sleep;
void __might_sleep(const char *file, int line);
UKMEM_API_END

/* Would might_sleep() report here?  (Atomic context, with the check on.) */
#define might_sleep_reports()						\
	unlikely((ukmem_preempt_count | ukmem_irqs_disabled_depth) && ukmem_debug_atomic_sleep)
#define might_sleep()							\
	do {								\
		if (might_sleep_reports())				\
			__might_sleep(__FILE__, __LINE__);		\
	} while (0)
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cant_sleep()		do { } while (0)
#define might_resched()		do { } while (0)
#define cond_resched()		({ 0; })

/*
 * guard(preempt)(), guard(irq)(), guard(irqsave)() and their scoped_guard()
 * forms (linux/cleanup.h): the kernel's zero-argument guards of
 * linux/preempt.h and linux/irqflags.h, which code around per-CPU data
 * takes as often as a lock guard.  irqsave keeps the flags in the guard.
 */
DEFINE_LOCK_GUARD_0(preempt, preempt_disable(), preempt_enable())
DEFINE_LOCK_GUARD_0(irq, local_irq_disable(), local_irq_enable())
DEFINE_LOCK_GUARD_0(irqsave, local_irq_save(_T->flags), local_irq_restore(_T->flags),
		    unsigned long flags)

UKMEM_C_END

#endif /* _LINUX_PREEMPT_H */
