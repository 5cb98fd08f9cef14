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

/*
 * linux/kconfig.h, which every header brings: an option is on only when
 * defined as 1 (=y), or its _MODULE twin as 1 (=m); ukmem defines none,
 * so asking about any option compiles and answers 0, in #if too.
 */
#define CONFIG_UKMEM_TEST_ON		1
#define CONFIG_UKMEM_TEST_MOD_MODULE	1
#define CONFIG_UKMEM_TEST_ZERO		0
static_assert(IS_ENABLED(CONFIG_UKMEM_TEST_ON) && IS_BUILTIN(CONFIG_UKMEM_TEST_ON), "=y");
static_assert(!IS_MODULE(CONFIG_UKMEM_TEST_ON) && IS_REACHABLE(CONFIG_UKMEM_TEST_ON), "=y");
static_assert(IS_ENABLED(CONFIG_UKMEM_TEST_MOD) && IS_MODULE(CONFIG_UKMEM_TEST_MOD), "=m");
static_assert(!IS_BUILTIN(CONFIG_UKMEM_TEST_MOD) && !IS_REACHABLE(CONFIG_UKMEM_TEST_MOD),
	      "=m, and this is no module");
static_assert(!IS_ENABLED(CONFIG_UKMEM_TEST_ZERO) && !IS_ENABLED(CONFIG_NOT_DEFINED_ANYWHERE),
	      "off");
static_assert(!IS_ENABLED(CONFIG_DEBUG_VM) && !IS_ENABLED(CONFIG_KASAN), "ukmem defines none");
#if IS_ENABLED(CONFIG_NOT_DEFINED_ANYWHERE) || !IS_ENABLED(CONFIG_UKMEM_TEST_ON)
#error "IS_ENABLED() in #if"
#endif

/* __nonstring (compiler_attributes.h): an array that need not end in NUL. */
static const char tag[4] __nonstring = "abcd";

static void test_names(void)
{
	struct outer o;
	int cpu, n = 0, nid, v = 5;

	BUILD_BUG_ON(BITS_PER_LONG != 64);
	CHECK(likely(v == 5) && !unlikely(v != 5));
	WRITE_ONCE(v, 7);
	CHECK_EQ(READ_ONCE(v), 7);
	CHECK_EQ(memcmp(tag, "abcd", sizeof(tag)), 0);
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
