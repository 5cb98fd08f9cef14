/* SPDX-License-Identifier: MIT */
/*
 * get_cpu()/put_cpu() in interrupt context (a handler installed with
 * ukmem_sigaction()) that interrupts its own thread's get_cpu()/put_cpu().
 * The kernel allows get_cpu() in hardirq context.  A signal can land after
 * the thread's lock word holds its token but before the thread records the
 * CPU as held (get_cpu), or after it stops recording it but before the word
 * goes back to 0 (put_cpu): the handler then finds its own thread's token
 * and must not wait for it (it would wait for ever).  Both per-CPU modes
 * (restartable sequences, lock words); each run in a child watched for
 * hangs, the exact count of handler increments checked.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <linux/percpu.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include "ktest.h"

static DEFINE_PER_CPU(unsigned long, irq_hits);

#define TARGET_SIGNALS	20000UL

static volatile unsigned long handled;
static volatile int worker_done;

static void handler(int sig)
{
	int cpu = get_cpu();

	/* Held: this CPU's copy, plain, as kernel code does under get_cpu(). */
	per_cpu(irq_hits, cpu)++;
	put_cpu();
	handled++;
}

static void *worker(void *arg)
{
	unsigned long loops = 0;

	while (handled < TARGET_SIGNALS) {
		get_cpu();
		put_cpu();
		if (!(++loops & 1023))
			ktest_progress();
	}
	__atomic_store_n(&worker_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void run_mode(void *arg)
{
	bool lock_mode = arg != NULL;
	struct sigaction sa = { .sa_handler = handler };
	pthread_t t;
	unsigned long sum = 0, sent = 0;
	unsigned int cpu;

	CHECK_EQ(ukmem_boot("mem=128M"), 0);
	if (lock_mode)
		ukmem_pcpu_rseq = 0;
	else if (!ukmem_pcpu_rseq) {
		KTEST_SKIP("no rseq here: lock mode only");
		return;
	}
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	CHECK_EQ(pthread_create(&t, NULL, worker, NULL), 0);
	while (!__atomic_load_n(&worker_done, __ATOMIC_ACQUIRE)) {
		pthread_kill(t, SIGUSR1);
		if (!(++sent & 63))
			sched_yield();
	}
	pthread_join(t, NULL);
	for_each_possible_cpu(cpu)
		sum += per_cpu(irq_hits, cpu);
	CHECK_EQ(sum, handled);
}

static void test_rseq_mode(void)
{
	ktest_child_case(run_mode, NULL);
}

static void test_lock_mode(void)
{
	ktest_child_case(run_mode, (void *)1);
}

int main(void)
{
	KTEST_RUN(KTEST(test_rseq_mode), KTEST(test_lock_mode));
}
