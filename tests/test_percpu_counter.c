/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU counters (lib/percpu_counter.c, linux/percpu_counter.h), as the
 * kernel's behave: the shared count moves only in folds of batch, the sum
 * is exact, set() clears every CPU's part, compare() answers from the
 * shared count when it is far and from the sum when near, limited_add()
 * refuses to pass the limit (above for additions, below for
 * subtractions), the _local adds never fold below INT_MAX, counters of
 * one init_many() are independent, percpu_counter_batch is
 * max(32, 2 * online CPUs); threads adding at once lose nothing, in rseq
 * and lock mode, nor does a signal handler adding in the middle of the
 * thread's own adds; a fork child sees the parent's total.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/percpu_counter.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include "ktest.h"

static void test_batch_value(void)
{
	CHECK_EQ(percpu_counter_batch, (int)max(32U, 2 * num_online_cpus()));
}

static void test_init_read_sum_destroy(void)
{
	struct percpu_counter c;

	CHECK_EQ(percpu_counter_init(&c, 5, GFP_KERNEL), 0);
	CHECK(percpu_counter_initialized(&c));
	CHECK_EQ(percpu_counter_read(&c), 5);
	percpu_counter_add(&c, 3);
	percpu_counter_inc(&c);
	percpu_counter_dec(&c);
	percpu_counter_sub(&c, 10);
	/* Small amounts stay in the CPUs' parts: the shared count has not moved. */
	CHECK_EQ(percpu_counter_read(&c), 5);
	CHECK_EQ(percpu_counter_sum(&c), -2);
	CHECK_EQ(percpu_counter_sum_positive(&c), 0);
	CHECK_EQ(percpu_counter_sum_all(&c), -2);
	percpu_counter_destroy(&c);
	CHECK(!percpu_counter_initialized(&c));
	percpu_counter_destroy(&c);	/* twice: nothing to free */
}

/* A fold moves the CPU's part and the amount into the shared count. */
static void test_fold_at_batch(void)
{
	struct percpu_counter c;

	CHECK_EQ(percpu_counter_init(&c, 0, GFP_KERNEL), 0);
	get_cpu();	/* one CPU for the whole sequence */
	percpu_counter_add_batch(&c, 10, 16);
	CHECK_EQ(percpu_counter_read(&c), 0);
	percpu_counter_add_batch(&c, 10, 16);	/* 20 >= 16: folded */
	CHECK_EQ(percpu_counter_read(&c), 20);
	CHECK_EQ(*this_cpu_ptr(c.counters), 0);
	percpu_counter_add_batch(&c, -15, 16);
	CHECK_EQ(percpu_counter_read(&c), 20);
	CHECK_EQ(*this_cpu_ptr(c.counters), -15);
	percpu_counter_add_batch(&c, -1, 16);	/* |-16| >= 16 */
	CHECK_EQ(percpu_counter_read(&c), 4);
	percpu_counter_add_batch(&c, 7, 16);
	percpu_counter_sync(&c);
	CHECK_EQ(percpu_counter_read(&c), 11);
	CHECK_EQ(*this_cpu_ptr(c.counters), 0);
	put_cpu();
	CHECK_EQ(percpu_counter_sum(&c), 11);
	percpu_counter_destroy(&c);
}

static void test_set(void)
{
	struct percpu_counter c;
	unsigned int cpu;

	CHECK_EQ(percpu_counter_init(&c, 0, GFP_KERNEL), 0);
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(c.counters, cpu) = 3;
	CHECK_EQ(percpu_counter_sum(&c), 3 * (s64)nr_cpu_ids);
	percpu_counter_set(&c, 100);
	CHECK_EQ(percpu_counter_read(&c), 100);
	CHECK_EQ(percpu_counter_sum(&c), 100);
	for_each_possible_cpu(cpu)
		CHECK_EQ(*per_cpu_ptr(c.counters, cpu), 0);
	percpu_counter_set(&c, -7);
	CHECK_EQ(percpu_counter_read_positive(&c), 0);
	percpu_counter_destroy(&c);
}

static void test_compare(void)
{
	struct percpu_counter c;
	unsigned int cpu;

	CHECK_EQ(percpu_counter_init(&c, 1000, GFP_KERNEL), 0);
	CHECK_EQ(percpu_counter_compare(&c, 1000), 0);
	CHECK_EQ(percpu_counter_compare(&c, 999), 1);
	CHECK_EQ(percpu_counter_compare(&c, 1001), -1);
	/* Near: the parts count.  One CPU holds -5: the total is 995. */
	cpu = get_cpu();
	*per_cpu_ptr(c.counters, cpu) = -5;
	put_cpu();
	CHECK_EQ(percpu_counter_compare(&c, 995), 0);
	CHECK_EQ(percpu_counter_compare(&c, 996), -1);
	/* Far (beyond batch * CPUs): the shared count decides alone. */
	CHECK_EQ(__percpu_counter_compare(&c, 0, 1), 1);
	CHECK_EQ(__percpu_counter_compare(&c, 1000 + 2 * (s64)num_online_cpus() + 1, 1), -1);
	percpu_counter_destroy(&c);
}

static void test_limited_add(void)
{
	struct percpu_counter c;

	CHECK_EQ(percpu_counter_init(&c, 0, GFP_KERNEL), 0);
	CHECK(percpu_counter_limited_add(&c, 10, 6));
	CHECK(!percpu_counter_limited_add(&c, 10, 6));	/* 12 > 10 */
	CHECK(percpu_counter_limited_add(&c, 10, 4));	/* exactly the limit */
	CHECK_EQ(percpu_counter_sum(&c), 10);
	CHECK(!percpu_counter_limited_add(&c, 10, 1));
	CHECK(percpu_counter_limited_add(&c, 10, 0));	/* nothing to add: true */
	/* A negative amount: the limit is a floor. */
	CHECK(percpu_counter_limited_add(&c, 0, -10));
	CHECK(!percpu_counter_limited_add(&c, 0, -1));
	CHECK_EQ(percpu_counter_sum(&c), 0);
	/* Far from the limit: added on this CPU's part without the lock. */
	CHECK(percpu_counter_limited_add(&c, 1 << 30, 3));
	CHECK_EQ(percpu_counter_sum(&c), 3);
	percpu_counter_destroy(&c);
}

static void test_local_adds(void)
{
	struct percpu_counter c;
	int i;

	CHECK_EQ(percpu_counter_init(&c, 7, GFP_KERNEL), 0);
	for (i = 0; i < 100000; i++)
		percpu_counter_add_local(&c, 1000);
	percpu_counter_sub_local(&c, 1000);
	/* No CPU's part came near INT_MAX: the shared count never moved. */
	CHECK_EQ(percpu_counter_read(&c), 7);
	CHECK_EQ(percpu_counter_sum(&c), 7 + 99999LL * 1000);
	percpu_counter_destroy(&c);
}

static void test_init_many(void)
{
	struct percpu_counter c[3];
	int i;

	CHECK_EQ(percpu_counter_init_many(c, 2, GFP_KERNEL, 3), 0);
	for (i = 0; i < 3; i++) {
		CHECK(percpu_counter_initialized(&c[i]));
		percpu_counter_add(&c[i], i + 1);
	}
	for (i = 0; i < 3; i++)
		CHECK_EQ(percpu_counter_sum(&c[i]), 2 + i + 1);
	percpu_counter_destroy_many(c, 3);
	for (i = 0; i < 3; i++)
		CHECK(!percpu_counter_initialized(&c[i]));
}

#define THREADS		6
#define ADDS		200000

static struct percpu_counter shared;

static void *adder(void *arg)
{
	long id = (long)arg;
	int i;

	for (i = 0; i < ADDS; i++) {
		if (id & 1)
			percpu_counter_add(&shared, 3);
		else
			percpu_counter_add_batch(&shared, 5, 8);	/* folds often */
		percpu_counter_dec(&shared);
	}
	return NULL;
}

static void threads_lose_nothing(void)
{
	pthread_t t[THREADS];
	s64 want = 0;
	long i;

	CHECK_EQ(percpu_counter_init(&shared, 0, GFP_KERNEL), 0);
	for (i = 0; i < THREADS; i++) {
		CHECK_EQ(pthread_create(&t[i], NULL, adder, (void *)i), 0);
		want += (i & 1 ? 2 : 4) * (s64)ADDS;
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(percpu_counter_sum(&shared), want);
	/* The shared count is within a batch per CPU of the truth. */
	CHECK(llabs(percpu_counter_read(&shared) - want) <=
	      (s64)percpu_counter_batch * nr_cpu_ids);
	percpu_counter_destroy(&shared);
}

static void test_threads(void)
{
	threads_lose_nothing();
}

static void test_threads_lock_mode(void)
{
	long saved = ukmem_pcpu_rseq;

	ukmem_pcpu_rseq = 0;
	threads_lose_nothing();
	ukmem_pcpu_rseq = saved;
}

/*
 * A ukmem_sigaction() handler (interrupt context) adding to the counter
 * the thread it interrupts is adding to, folding at every other add: the
 * handler may land between the thread's read of its part and the clear,
 * or while the thread holds the counter's lock.  Nothing may be lost and
 * nothing may wait for ever (CTest's timeout catches a hang).
 */
static struct percpu_counter irq_counter;
static volatile long irq_adds;

static void irq_add(int sig)
{
	(void)sig;
	percpu_counter_add_batch(&irq_counter, 1, 2);
	irq_adds++;
}

static void *irq_sender(void *arg)
{
	pthread_t target = *(pthread_t *)arg;
	int i;

	for (i = 0; i < 20000; i++)
		pthread_kill(target, SIGUSR1);
	return NULL;
}

static void test_interrupt_context(void)
{
	struct sigaction sa = { .sa_handler = irq_add };
	pthread_t self = pthread_self(), sender;
	long i, loops = 0;

	CHECK_EQ(percpu_counter_init(&irq_counter, 0, GFP_KERNEL), 0);
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	CHECK_EQ(pthread_create(&sender, NULL, irq_sender, &self), 0);
	for (i = 0; i < 400000; i++, loops++)
		percpu_counter_add_batch(&irq_counter, 1, 2);
	pthread_join(sender, NULL);
	signal(SIGUSR1, SIG_IGN);
	CHECK(irq_adds > 0);
	CHECK_EQ(percpu_counter_sum(&irq_counter), loops + irq_adds);
	percpu_counter_destroy(&irq_counter);
}

static void in_child(void *arg)
{
	struct percpu_counter *c = arg;

	CHECK_EQ(percpu_counter_sum(c), 12345);
	percpu_counter_add(c, 5);
	CHECK_EQ(percpu_counter_sum(c), 12350);
	percpu_counter_destroy(c);
}

static void test_fork(void)
{
	struct percpu_counter c;

	CHECK_EQ(percpu_counter_init(&c, 12000, GFP_KERNEL), 0);
	percpu_counter_add(&c, 345);
	CHECK(ktest_exited_with(ktest_child(in_child, &c), 0));
	CHECK_EQ(percpu_counter_sum(&c), 12345);
	percpu_counter_destroy(&c);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (ukmem_boot("mem=128M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_batch_value), KTEST(test_init_read_sum_destroy),
		  KTEST(test_fold_at_batch), KTEST(test_set), KTEST(test_compare),
		  KTEST(test_limited_add), KTEST(test_local_adds), KTEST(test_init_many),
		  KTEST(test_threads), KTEST(test_threads_lock_mode), KTEST(test_interrupt_context),
		  KTEST(test_fork));
}
