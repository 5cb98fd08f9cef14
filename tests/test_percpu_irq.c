/* SPDX-License-Identifier: MIT */
/*
 * get_cpu()/put_cpu() in interrupt context (a handler installed with
 * ukmem_sigaction()) that interrupts its own thread's get_cpu()/put_cpu().
 * The kernel allows get_cpu() in hardirq context.  A signal can land after
 * the thread's lock word holds its token but before the thread records the
 * CPU as held (get_cpu), or after it stops recording it but before the word
 * goes back to 0 (put_cpu): the handler then finds its own thread's token
 * and must not wait for it (it waited for ever).
 *
 *  - exact: the put_cpu() window made by hand (CPU held, ukmem_pcpu_held
 *    cleared as put_cpu() clears it first), then a signal whose handler
 *    takes and releases the CPU and counts on it; the interrupted hold
 *    is intact afterwards (the word still the thread's until its
 *    put_cpu(), then free for another thread).  Both per-CPU modes.
 *  - stress: a thread doing get_cpu()/put_cpu() in a loop, signalled
 *    without pause, each handler counting under get_cpu(): no hang, and
 *    the exact count.  (The windows are a few instructions: this finds
 *    them by chance, the exact case every time.)
 * Each run in a child watched for hangs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <linux/percpu.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include "ktest.h"

static DEFINE_PER_CPU(unsigned long, irq_hits);

static volatile unsigned long handled;
static volatile int handler_cpu = -1;
static volatile int worker_done;

static void handler(int sig)
{
	int cpu = get_cpu();

	/* Held: this CPU's copy, plain, as kernel code does under get_cpu(). */
	per_cpu(irq_hits, cpu)++;
	handler_cpu = cpu;
	put_cpu();
	handled++;
}

static bool set_mode(bool lock_mode)
{
	struct sigaction sa = { .sa_handler = handler };

	CHECK_EQ(ukmem_boot("mem=128M"), 0);
	if (lock_mode) {
		ukmem_pcpu_rseq = 0;
	} else if (!ukmem_pcpu_rseq) {
		KTEST_SKIP("no rseq here (or a ThreadSanitizer build): lock mode only");
		return false;
	}
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	return true;
}

/* Another thread takes the CPU once it is free: the word was released. */
static void *take_cpu(void *arg)
{
	cpu_set_t *one = arg;

	sched_setaffinity(0, sizeof(*one), one);
	get_cpu();
	put_cpu();
	return NULL;
}

static void exact(void *arg)
{
	cpu_set_t one;
	pthread_t t;
	int cpu, held;

	if (!set_mode(arg != NULL))
		return;
	if (!ktest_pin_first_cpu(NULL)) {
		KTEST_SKIP("cannot pin to one CPU");
		return;
	}
	cpu = get_cpu();
	/* put_cpu() half done: the CPU forgotten, its lock word still ours. */
	held = ukmem_pcpu_held;
	ukmem_pcpu_held = 0;
	raise(SIGUSR1);			/* the handler runs before raise() returns */
	CHECK_EQ(handled, 1);
	CHECK_EQ(handler_cpu, cpu);
	CHECK_EQ(per_cpu(irq_hits, cpu), 1);
	CHECK_EQ(ukmem_pcpu_held, 0);	/* as the handler found it */
	ukmem_pcpu_held = held;
	CHECK_EQ(smp_processor_id(), cpu);
	put_cpu();
	CHECK_EQ(ukmem_pcpu_held, 0);

	/* Released for real: another thread pinned there gets the CPU. */
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK_EQ(pthread_create(&t, NULL, take_cpu, &one), 0);
	pthread_join(t, NULL);
}

/*
 * A handler that returns with a CPU it took still held (a get_cpu() without
 * its put_cpu()).  The trampoline puts the thread's hold state back as the
 * handler found it; the CPU's lock word must go back with it: left with the
 * thread's token, every other thread's get_cpu() there waited for ever and
 * the thread's own later get_cpu() there borrowed a CPU nobody would free.
 * The kernel's leaked preempt count is reported at the next sleep; here the
 * leak is reported at the handler's return.
 */
static void leaky_handler(int sig)
{
	(void)sig;
	handler_cpu = get_cpu();
	handled++;
}

static char leak_log[1 << 16];

static void missed_put(void *arg)
{
	struct sigaction sa = { .sa_handler = leaky_handler };
	cpu_set_t one;
	pthread_t t;
	int cpu;

	ukmem_set_console(fopen("/dev/null", "w"));	/* the warning is expected */
	if (!set_mode(arg != NULL))
		return;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR2, &sa, NULL), 0);
	if (!ktest_pin_first_cpu(NULL)) {
		KTEST_SKIP("cannot pin to one CPU");
		return;
	}
	raise(SIGUSR2);
	CHECK_EQ(handled, 1);
	cpu = handler_cpu;
	CHECK(cpu >= 0 && (unsigned int)cpu < nr_cpu_ids);
	CHECK_EQ(ukmem_pcpu_held, 0);		/* as the handler found it */
	CHECK_EQ(ukmem_pcpu_cpus[cpu].lock, 0);	/* and the CPU free */
	ukmem_dmesg(leak_log, sizeof(leak_log));
	CHECK(strstr(leak_log, "get_cpu() held") != NULL);
	if (ukmem_pcpu_cpus[cpu].lock)
		return;				/* the thread below would wait for ever */
	/* Another thread pinned there gets the CPU. */
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK_EQ(pthread_create(&t, NULL, take_cpu, &one), 0);
	pthread_join(t, NULL);
	/* And this thread takes and gives it back for real. */
	CHECK_EQ(get_cpu(), cpu);
	put_cpu();
	CHECK_EQ(ukmem_pcpu_cpus[cpu].lock, 0);
}

/*
 * fork() in a handler that borrowed its thread's CPU (the put_cpu() window
 * made by hand, as in exact()).  The child's copy of the lock word is its
 * own thread's from then on (pcpu_fork_child): the handler's put_cpu()
 * there leaves it alone, the interrupted put_cpu() frees it, and another
 * thread of the child gets the CPU.  The parent goes on the same way.
 */
static volatile pid_t fork_child;

static void forking_handler(int sig)
{
	int cpu = get_cpu();

	(void)sig;
	per_cpu(irq_hits, cpu)++;
	handler_cpu = cpu;
	fork_child = fork();
	put_cpu();
	handled++;
}

static void fork_in_handler(void *arg)
{
	struct sigaction sa = { .sa_handler = forking_handler };
	cpu_set_t one;
	pthread_t t;
	int cpu, held, status;

	if (!set_mode(arg != NULL))
		return;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR2, &sa, NULL), 0);
	if (!ktest_pin_first_cpu(NULL)) {
		KTEST_SKIP("cannot pin to one CPU");
		return;
	}
	cpu = get_cpu();
	held = ukmem_pcpu_held;
	ukmem_pcpu_held = 0;		/* put_cpu() half done */
	raise(SIGUSR2);
	CHECK(fork_child >= 0);
	CHECK_EQ(handler_cpu, cpu);
	CHECK_EQ(per_cpu(irq_hits, cpu), 1);
	CHECK_EQ(ukmem_pcpu_held, 0);
	CHECK(ukmem_pcpu_cpus[cpu].lock != 0);	/* still the interrupted hold's */
	ukmem_pcpu_held = held;
	put_cpu();
	CHECK_EQ(ukmem_pcpu_cpus[cpu].lock, 0);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK_EQ(pthread_create(&t, NULL, take_cpu, &one), 0);
	pthread_join(t, NULL);
	if (!fork_child) {		/* the child: its verdict is its exit status */
		fflush(NULL);
		_exit(ktest_failures ? 1 : 0);
	}
	CHECK_EQ(waitpid(fork_child, &status, 0), fork_child);
	CHECK(ktest_exited_with(status, 0));
}

#define STRESS_SIGNALS	2000UL

static void *worker(void *arg)
{
	unsigned long loops = 0;

	while (handled < STRESS_SIGNALS) {
		get_cpu();
		put_cpu();
		if (!(++loops & 1023))
			ktest_progress();
	}
	__atomic_store_n(&worker_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void stress(void *arg)
{
	unsigned long sum = 0, sent = 0;
	unsigned int cpu;
	pthread_t t;

	if (!set_mode(arg != NULL))
		return;
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

/* Each case twice: the rseq fast path (arg NULL) and lock mode (arg 1). */
#define IN_BOTH_MODES(fn)						\
	static void test_##fn##_rseq_mode(void)				\
	{								\
		ktest_child_case(fn, NULL);				\
	}								\
	static void test_##fn##_lock_mode(void)				\
	{								\
		ktest_child_case(fn, (void *)1);			\
	}

IN_BOTH_MODES(exact)
IN_BOTH_MODES(stress)
IN_BOTH_MODES(missed_put)
IN_BOTH_MODES(fork_in_handler)

int main(void)
{
	KTEST_RUN(KTEST(test_exact_rseq_mode), KTEST(test_exact_lock_mode),
		  KTEST(test_missed_put_rseq_mode), KTEST(test_missed_put_lock_mode),
		  KTEST(test_fork_in_handler_rseq_mode), KTEST(test_fork_in_handler_lock_mode),
		  KTEST(test_stress_rseq_mode), KTEST(test_stress_lock_mode));
}
