/* SPDX-License-Identifier: MIT */
/*
 * linux/cpumask.h against the expectations of the kernel's
 * lib/tests/cpumask_kunit.c: an empty and a full mask have weight 0 and
 * nr_cpu_ids, the searches return the first/last CPU or a value at or
 * above nr_cpu_ids, each iterator (plain, wrapped, and, andnot, or)
 * visits as many CPUs as the weight of the matching mask operation, and
 * for_each_possible/online/present_cpu() agree with the masks.  Beyond
 * the kernel suite: the per-CPU operations, the set operations and
 * predicates, the wrapped order, cpumask_nth/any_but/next_wrap and
 * cpumask_var_t.
 *
 * The host may have few CPUs, so the operation cases run with nr_cpu_ids
 * raised to 200 (restored after; nothing allocates in between); the
 * built-in masks are checked with the host's count.
 */
#include "ktest.h"

#include <linux/cpumask.h>

static cpumask_t mask_empty, mask_all, mask_tmp;
static unsigned int saved_nr_cpu_ids;

#define TEST_NR_CPUS	200

static void wide_begin(void)
{
	(void)cpu_possible_mask;	/* boots: nr_cpu_ids is the host's from here on */
	saved_nr_cpu_ids = nr_cpu_ids;
	nr_cpu_ids = TEST_NR_CPUS;
	cpumask_clear(&mask_empty);
	cpumask_setall(&mask_all);
}

static void wide_end(void)
{
	nr_cpu_ids = saved_nr_cpu_ids;
}

static unsigned int count_each(const struct cpumask *m)
{
	unsigned int cpu, n = 0;

	for_each_cpu(cpu, m)
		n++;
	return n;
}

static unsigned int count_wrap(const struct cpumask *m, unsigned int start)
{
	unsigned int cpu, n = 0;

	for_each_cpu_wrap(cpu, m, start)
		n++;
	return n;
}

#define count_op(op, a, b) ({							\
	unsigned int _cpu, _n = 0;						\
	for_each_cpu_##op(_cpu, a, b)						\
		_n++;								\
	_n;									\
})

static void test_weight(void)
{
	wide_begin();
	CHECK(cpumask_empty(&mask_empty));
	CHECK(cpumask_full(&mask_all));
	CHECK_EQ(cpumask_weight(&mask_empty), 0);
	CHECK_EQ(cpumask_weight(&mask_all), TEST_NR_CPUS);
	CHECK(!cpumask_full(&mask_empty) && !cpumask_empty(&mask_all));
	wide_end();
	CHECK_EQ(cpumask_weight(cpu_possible_mask), nr_cpu_ids);
}

static void test_first_last_next(void)
{
	wide_begin();
	CHECK(cpumask_first(&mask_empty) >= TEST_NR_CPUS);
	CHECK_EQ(cpumask_first_zero(&mask_empty), 0);
	CHECK(cpumask_first_zero(&mask_all) >= TEST_NR_CPUS);
	CHECK(cpumask_last(&mask_empty) >= TEST_NR_CPUS);
	CHECK_EQ(cpumask_last(&mask_all), TEST_NR_CPUS - 1);
	CHECK_EQ(cpumask_next_zero(-1, &mask_empty), 0);
	CHECK(cpumask_next_zero(-1, &mask_all) >= TEST_NR_CPUS);
	CHECK(cpumask_next(-1, &mask_empty) >= TEST_NR_CPUS);
	CHECK_EQ(cpumask_next(-1, &mask_all), 0);
	CHECK_EQ(cpumask_next(5, &mask_all), 6);
	CHECK(cpumask_next(TEST_NR_CPUS - 1, &mask_all) >= TEST_NR_CPUS);
	wide_end();

	CHECK_EQ(cpumask_first(cpu_possible_mask), 0);
	CHECK(cpumask_first_zero(cpu_possible_mask) >= nr_cpu_ids);
	CHECK_EQ(cpumask_last(cpu_possible_mask), nr_cpu_ids - 1);
	CHECK_EQ(cpumask_next(-1, cpu_possible_mask), 0);
	CHECK(cpumask_next_zero(-1, cpu_possible_mask) >= nr_cpu_ids);
}

static void test_iterators(void)
{
	cpumask_t odd;
	unsigned int cpu;

	wide_begin();
	cpumask_clear(&odd);
	for (cpu = 1; cpu < TEST_NR_CPUS; cpu += 2)
		cpumask_set_cpu(cpu, &odd);

	CHECK_EQ(count_each(&mask_empty), cpumask_weight(&mask_empty));
	CHECK_EQ(count_wrap(&mask_empty, TEST_NR_CPUS / 2), 0);
	CHECK_EQ(count_each(&mask_all), TEST_NR_CPUS);
	CHECK_EQ(count_wrap(&mask_all, TEST_NR_CPUS / 2), TEST_NR_CPUS);
	CHECK_EQ(count_wrap(&odd, 0), 100);
	CHECK_EQ(count_wrap(&odd, 51), 100);
	CHECK_EQ(count_wrap(&odd, 50), 100);

	cpumask_and(&mask_tmp, &mask_empty, &mask_empty);
	CHECK_EQ(count_op(and, &mask_empty, &mask_empty), cpumask_weight(&mask_tmp));
	cpumask_and(&mask_tmp, &mask_all, &mask_empty);
	CHECK_EQ(count_op(and, &mask_all, &mask_empty), cpumask_weight(&mask_tmp));
	cpumask_andnot(&mask_tmp, &mask_empty, &mask_empty);
	CHECK_EQ(count_op(andnot, &mask_empty, &mask_empty), cpumask_weight(&mask_tmp));
	cpumask_and(&mask_tmp, &mask_all, &mask_all);
	CHECK_EQ(count_op(and, &mask_all, &mask_all), TEST_NR_CPUS);
	cpumask_andnot(&mask_tmp, &mask_all, &mask_empty);
	CHECK_EQ(count_op(andnot, &mask_all, &mask_empty), cpumask_weight(&mask_tmp));
	CHECK_EQ(cpumask_weight(&mask_tmp), TEST_NR_CPUS);
	cpumask_andnot(&mask_tmp, &mask_all, &odd);
	CHECK_EQ(count_op(andnot, &mask_all, &odd), 100);
	CHECK_EQ(cpumask_weight(&mask_tmp), 100);
	cpumask_or(&mask_tmp, &odd, &mask_empty);
	CHECK_EQ(count_op(or, &odd, &mask_empty), cpumask_weight(&mask_tmp));
	CHECK_EQ(count_op(or, &mask_empty, &odd), 100);
	CHECK_EQ(count_op(and, &odd, &mask_all), 100);
	CHECK_EQ(cpumask_weight_and(&odd, &mask_all), 100);
	wide_end();
}

/* The wrapped order: from @start to the end, then from 0. */
static void test_wrap_order(void)
{
	cpumask_t m;
	unsigned int cpu, seen[8], n = 0;

	wide_begin();
	cpumask_clear(&m);
	cpumask_set_cpu(3, &m);
	cpumask_set_cpu(70, &m);
	cpumask_set_cpu(150, &m);
	cpumask_set_cpu(199, &m);
	for_each_cpu_wrap(cpu, &m, 70)
		if (n < 8)
			seen[n++] = cpu;
	CHECK_EQ(n, 4);
	CHECK(seen[0] == 70 && seen[1] == 150 && seen[2] == 199 && seen[3] == 3);
	n = 0;
	for_each_cpu_wrap(cpu, &m, 100)
		if (n < 8)
			seen[n++] = cpu;
	CHECK_EQ(n, 4);
	CHECK(seen[0] == 150 && seen[1] == 199 && seen[2] == 3 && seen[3] == 70);
	CHECK_EQ(cpumask_next_wrap(70, &m), 150);
	CHECK_EQ(cpumask_next_wrap(199, &m), 3);
	CHECK_EQ(cpumask_next_wrap(-1, &m), 3);
	cpumask_clear(&m);
	cpumask_set_cpu(7, &m);
	CHECK_EQ(cpumask_next_wrap(7, &m), 7);	/* the only one comes round again */
	CHECK(cpumask_next_wrap(7, &mask_empty) >= TEST_NR_CPUS);
	wide_end();
}

static void test_cpu_ops(void)
{
	cpumask_t a, b, d;

	wide_begin();
	cpumask_clear(&a);
	cpumask_clear(&b);
	cpumask_set_cpu(5, &a);
	__cpumask_set_cpu(130, &a);
	CHECK(cpumask_test_cpu(5, &a) && cpumask_test_cpu(130, &a) && !cpumask_test_cpu(6, &a));
	CHECK(cpumask_test_and_set_cpu(5, &a));
	CHECK(!cpumask_test_and_set_cpu(6, &a));
	CHECK(cpumask_test_and_clear_cpu(6, &a));
	CHECK(!cpumask_test_and_clear_cpu(6, &a));
	cpumask_clear_cpu(130, &a);
	__cpumask_clear_cpu(5, &a);
	CHECK(cpumask_empty(&a));

	cpumask_set_cpu(1, &a);
	cpumask_set_cpu(64, &a);
	cpumask_set_cpu(64, &b);
	cpumask_set_cpu(199, &b);
	CHECK(cpumask_intersects(&a, &b) && !cpumask_subset(&a, &b));
	CHECK(cpumask_and(&d, &a, &b) && cpumask_weight(&d) == 1 && cpumask_test_cpu(64, &d));
	CHECK_EQ(cpumask_first_and(&a, &b), 64);
	CHECK_EQ(cpumask_next_and(64, &a, &b) >= TEST_NR_CPUS, 1);
	cpumask_or(&d, &a, &b);
	CHECK_EQ(cpumask_weight(&d), 3);
	CHECK(cpumask_subset(&a, &d) && cpumask_subset(&b, &d));
	cpumask_xor(&d, &a, &b);
	CHECK(cpumask_weight(&d) == 2 && !cpumask_test_cpu(64, &d));
	CHECK(cpumask_andnot(&d, &a, &b) && cpumask_weight(&d) == 1 && cpumask_test_cpu(1, &d));
	CHECK(!cpumask_andnot(&d, &a, &a));
	cpumask_copy(&d, &a);
	CHECK(cpumask_equal(&d, &a) && !cpumask_equal(&a, &b));
	/* Bits at or past nr_cpu_ids are outside the mask's view. */
	cpumask_set_cpu(TEST_NR_CPUS + 5, &d);
	CHECK(cpumask_equal(&d, &a));
	CHECK_EQ(cpumask_weight(&d), 2);

	CHECK_EQ(cpumask_nth(0, &b), 64);
	CHECK_EQ(cpumask_nth(1, &b), 199);
	CHECK(cpumask_nth(2, &b) >= TEST_NR_CPUS);
	CHECK_EQ(cpumask_any(&b), 64);
	CHECK_EQ(cpumask_any_but(&b, 64), 199);
	CHECK_EQ(cpumask_any_but(&b, 199), 64);
	cpumask_clear_cpu(199, &b);
	CHECK(cpumask_any_but(&b, 64) >= TEST_NR_CPUS);
	wide_end();
}

static void test_cpumask_var(void)
{
	cpumask_var_t v;

	memset(v, 0xff, sizeof(v));
	CHECK(zalloc_cpumask_var(&v, GFP_KERNEL));
	CHECK(cpumask_empty(v));
	CHECK(alloc_cpumask_var(&v, GFP_KERNEL));
	cpumask_set_cpu(0, v);
	CHECK_EQ(cpumask_weight(v), 1);
	free_cpumask_var(v);
	CHECK_EQ(cpumask_size(), NR_CPUS / 8);
}

static void test_builtin_masks(void)
{
	unsigned int n;
	int cpu;

	n = 0;
	for_each_possible_cpu(cpu)
		n++;
	CHECK_EQ(n, num_possible_cpus());
	CHECK_EQ(n, cpumask_weight(cpu_possible_mask));
	n = 0;
	for_each_online_cpu(cpu) {
		CHECK(cpu_online(cpu) && cpumask_test_cpu(cpu, cpu_online_mask));
		n++;
	}
	CHECK_EQ(n, cpumask_weight(cpu_online_mask));
	n = 0;
	for_each_present_cpu(cpu)
		n++;
	CHECK_EQ(n, cpumask_weight(cpu_present_mask));
	CHECK(cpumask_subset(cpu_online_mask, cpu_possible_mask));
	CHECK(!cpumask_test_cpu(nr_cpu_ids, cpu_possible_mask));
}

int main(void)
{
	KTEST_RUN(KTEST(test_weight), KTEST(test_first_last_next), KTEST(test_iterators),
		  KTEST(test_wrap_order), KTEST(test_cpu_ops), KTEST(test_cpumask_var),
		  KTEST(test_builtin_masks));
}
