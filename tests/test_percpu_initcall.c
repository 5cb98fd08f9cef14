/* SPDX-License-Identifier: MIT */
/*
 * Static per-CPU variables used from initcalls and module_init(), before
 * main(), as lib/percpu_test.c and samples/kmemleak use theirs: the
 * object's DEFINE_PER_CPU section must be registered before the first of
 * them runs (its constructor's priority is below every initcall's), and
 * the first use boots the machine implicitly.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include "ktest.h"

static DEFINE_PER_CPU(long, early_counter) = 5;
static DEFINE_PER_CPU(unsigned long, module_counter);

static long seen_at_core;
static unsigned long seen_at_module, sum_at_module;
static int core_ran, module_ran;

static int __init early_user(void)
{
	preempt_disable();
	this_cpu_add(early_counter, 2);
	seen_at_core = this_cpu_read(early_counter);
	preempt_enable();
	core_ran = 1;
	return 0;
}
core_initcall(early_user);

static int __init module_user(void)
{
	int cpu;

	preempt_disable();
	this_cpu_inc(module_counter);
	seen_at_module = __this_cpu_read(module_counter);
	preempt_enable();
	for_each_possible_cpu(cpu)
		sum_at_module += per_cpu(module_counter, cpu);
	module_ran = 1;
	return 0;
}
module_init(module_user);

static void test_initcalls_saw_their_variables(void)
{
	long sum = 0;
	int cpu;

	CHECK(core_ran && module_ran);
	CHECK(ukmem_booted());
	CHECK_EQ(seen_at_core, 7);		/* the template's 5, plus 2 */
	CHECK_EQ(seen_at_module, 1);
	CHECK_EQ(sum_at_module, 1);
	/* One CPU's copy has the 2 added, the others keep the template. */
	for_each_possible_cpu(cpu)
		sum += per_cpu(early_counter, cpu);
	CHECK_EQ(sum, 5L * num_possible_cpus() + 2);
}

int main(void)
{
	KTEST_RUN(KTEST(test_initcalls_saw_their_variables));
}
