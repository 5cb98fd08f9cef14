/* SPDX-License-Identifier: MIT */
/*
 * Kernel code includes the small headers where the kernel keeps the names
 * it uses around allocations; each must exist and give those names:
 * linux/compiler.h, minmax.h, align.h, container_of.h, build_bug.h,
 * numa.h, nodemask.h, cpumask.h, topology.h, pfn.h, math.h and bits.h
 * (and asm/sections.h, linux/cleanup.h, linux/alloc_tag.h).  Each is
 * included first in a file of its own by the header check; here all of
 * them together, with one use of each name.
 */
#include <linux/align.h>
#include <linux/alloc_tag.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/cleanup.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/cpumask.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/pfn.h>
#include <linux/topology.h>
#include <asm/sections.h>
#include <ukmem/boot.h>
#include "ktest_boot.h"

struct outer {
	int a;
	long inner;
};

static_assert(sizeof(long) == 8, "x86-64's long");

static void test_names(void)
{
	struct outer o;
	int cpu, n = 0, nid, v = 5;

	BUILD_BUG_ON(BITS_PER_LONG != 64);
	CHECK(likely(v == 5) && !unlikely(v != 5));
	WRITE_ONCE(v, 7);
	CHECK_EQ(READ_ONCE(v), 7);
	CHECK_EQ(min(3, 4), 3);
	CHECK_EQ(max_t(long, -1, 2), 2);
	CHECK_EQ(clamp(10, 0, 5), 5);
	CHECK_EQ(ALIGN(13, 8), 16);
	CHECK_EQ(ALIGN_DOWN(13, 8), 8);
	CHECK(IS_ALIGNED(64, 32));
	CHECK(container_of(&o.inner, struct outer, inner) == &o);
	CHECK_EQ(DIV_ROUND_UP(9, 4), 3);
	CHECK_EQ(round_up(9, 4), 12);
	CHECK_EQ(roundup(10, 3), 12);
	CHECK_EQ(GENMASK(7, 4), 0xf0);
	CHECK_EQ(GENMASK_ULL(63, 62), 0xc000000000000000ULL);
	CHECK_EQ(BIT_ULL(40), 1ULL << 40);
	CHECK_EQ(PFN_UP(4097), 2);
	CHECK_EQ(PFN_PHYS(3), 3 * 4096);
	CHECK(!numa_valid_node(NUMA_NO_NODE));
	CHECK(numa_valid_node(0));
	for_each_online_cpu(cpu)
		n++;
	CHECK_EQ(n, num_online_cpus());
	n = 0;
	for_each_online_node(nid)
		n++;
	CHECK_EQ(n, num_online_nodes());
	CHECK(node_online(numa_node_id()));
	CHECK_EQ(cpu_to_node(raw_smp_processor_id()), numa_node_id());
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M numa=fake=2"))
		return 1;
	KTEST_RUN(KTEST(test_names));
}
