/* SPDX-License-Identifier: MIT */
/*
 * linux/smp.h - CPU numbers.
 *
 * A ukmem "CPU" is a host CPU: the possible CPUs are those the host has
 * configured, and smp_processor_id() is the CPU the calling thread runs on
 * now, read from the rseq area glibc registers (one load), or from
 * sched_getcpu() where there is none.  Because the thread may migrate right
 * after, per-CPU data is protected by that CPU's lock (DESIGN.md).
 */
#ifndef _LINUX_SMP_H
#define _LINUX_SMP_H

#include <ukmem/kernel_types.h>
#include <linux/preempt.h>

UKMEM_C_BEGIN

#define NR_CPUS	1024

UKMEM_API_BEGIN
#ifndef UKMEM_NR_CPU_IDS_DECLARED	/* once, for -Wredundant-decls (asm/percpu.h too) */
#define UKMEM_NR_CPU_IDS_DECLARED
extern unsigned int nr_cpu_ids;
#endif
extern unsigned int ukmem_nr_online_cpus;
extern long ukmem_rseq_offset;		/* from glibc's __rseq_offset, 0 = none */
/*
 * Without rseq (old glibc, valgrind), a thread remembers the CPU it last
 * asked the host about and asks again every UKMEM_CPU_RECHECK lookups.  A
 * stale answer costs locality, never correctness: per-CPU data is
 * protected by the CPU's lock, not by running on that CPU.
 */
#define UKMEM_CPU_RECHECK	64
extern __thread int ukmem_cached_cpu __attribute__((tls_model("initial-exec")));
extern __thread int ukmem_cached_cpu_ttl __attribute__((tls_model("initial-exec")));
int ukmem_cpu_slow(void);
int ukmem_cpu_to_node(int cpu);
/*
 * The CPU that get_cpu() holds for this thread, plus one (0: none): while
 * it is set, smp_processor_id() and this_cpu_*() use that CPU wherever the
 * host runs the thread (mm/percpu.c, linux/percpu-defs.h).
 */
extern __thread int ukmem_pcpu_held __attribute__((tls_model("initial-exec")));
int ukmem_get_cpu(void);
void ukmem_put_cpu(void);
UKMEM_API_END

/* The CPU the caller runs on at this instant (or very recently). */
static __always_inline int raw_smp_processor_id(void)
{
	/* Set once by the boot, read by first calls racing it (0: no rseq yet). */
	long rseq = data_race(ukmem_rseq_offset);

	if (likely(rseq)) {
		int cpu = *(volatile int *)((char *)__builtin_thread_pointer() + rseq + 4);

		if (likely((unsigned int)cpu < data_race(nr_cpu_ids)))
			return cpu;
	} else if (likely(--ukmem_cached_cpu_ttl > 0)) {
		return ukmem_cached_cpu;
	}
	return ukmem_cpu_slow();
}
#define smp_processor_id()	\
	(unlikely(ukmem_pcpu_held) ? ukmem_pcpu_held - 1 : raw_smp_processor_id())
/* Take the current CPU (its per-CPU lock and the preempt count) / give it back. */
#define get_cpu()		ukmem_get_cpu()
#define put_cpu()		ukmem_put_cpu()

#define num_possible_cpus()	(nr_cpu_ids)
#define num_online_cpus()	(ukmem_nr_online_cpus)
#define cpu_possible(cpu)	((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_online(cpu)		((unsigned int)(cpu) < nr_cpu_ids)
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (unsigned int)(cpu) < nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)
#define for_each_present_cpu(cpu)	for_each_possible_cpu(cpu)

#define cpu_to_node(cpu)	ukmem_cpu_to_node(cpu)
#define numa_node_id()		cpu_to_node(raw_smp_processor_id())
#define numa_mem_id()		numa_node_id()

UKMEM_C_END

#endif /* _LINUX_SMP_H */
