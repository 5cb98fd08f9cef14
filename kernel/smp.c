/* SPDX-License-Identifier: MIT */
/*
 * kernel/smp.c - CPU and node numbers (kernel/smp.c, arch cpu topology).
 *
 * The possible CPUs are the host's configured CPUs.  With fake NUMA nodes
 * (numa=N) the CPUs are dealt to nodes in contiguous groups, as
 * numa_emulation does on x86.
 */
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include "arch/host.h"
#include "mm/internal.h"

unsigned int nr_cpu_ids = 1;
unsigned int ukmem_nr_online_cpus = 1;
long ukmem_rseq_offset;
static int cpu_node_map[NR_CPUS];
/* CPUs 0 .. nr_cpu_ids - 1: what cpu_possible_mask (and online, present) point at. */
static struct cpumask possible_mask;

/*
 * The CPUs dealt out to @nr_nodes nodes in contiguous runs, as numa=fake
 * spreads a machine's CPUs.  Again by numa_init() when RAM holds fewer
 * nodes than asked for: a CPU of a node that was never made would send
 * every allocation to a node with no pg_data.
 */
void smp_deal_cpus_to_nodes(int nr_nodes)
{
	unsigned int cpu;

	if (nr_nodes < 1)
		nr_nodes = 1;
	nodes_clear(node_states[N_CPU]);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		cpu_node_map[cpu] = (int)(cpu * (unsigned int)nr_nodes / nr_cpu_ids);
		node_set(cpu_node_map[cpu], node_states[N_CPU]);
	}
}

void smp_init_cpus(int nr_nodes)
{
	nr_cpu_ids = arch_possible_cpus();
	if (nr_cpu_ids > NR_CPUS)
		nr_cpu_ids = NR_CPUS;
	ukmem_nr_online_cpus = arch_online_cpus();
	if (ukmem_nr_online_cpus > nr_cpu_ids)
		ukmem_nr_online_cpus = nr_cpu_ids;
	smp_deal_cpus_to_nodes(nr_nodes);
	cpumask_clear(&possible_mask);
	bitmap_set(cpumask_bits(&possible_mask), 0, nr_cpu_ids);
	ukmem_rseq_offset = arch_rseq_offset();
	percpu_counter_startup(ukmem_nr_online_cpus);
}

__thread int ukmem_cached_cpu __attribute__((tls_model("initial-exec")));
__thread int ukmem_cached_cpu_ttl __attribute__((tls_model("initial-exec")));

int ukmem_cpu_slow(void)
{
	int cpu = arch_current_cpu();

	if ((unsigned int)cpu >= nr_cpu_ids)
		cpu = (int)((unsigned int)cpu % nr_cpu_ids);
	ukmem_cached_cpu = cpu;
	ukmem_cached_cpu_ttl = UKMEM_CPU_RECHECK;
	return cpu;
}

const struct cpumask *ukmem_cpu_possible_mask(void)
{
	ukmem_ensure_booted();	/* the host's CPUs are counted at boot */
	return &possible_mask;
}

int ukmem_cpu_to_node(int cpu)
{
	ukmem_ensure_booted();	/* numa= deals the CPUs to nodes at boot */
	if ((unsigned int)cpu >= nr_cpu_ids)
		return 0;
	return cpu_node_map[cpu];
}
