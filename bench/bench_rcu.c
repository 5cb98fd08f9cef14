/* SPDX-License-Identifier: MIT */
/*
 * bench_rcu - what RCU costs (kernel/rcu.c, mm/slab_rcu.c), and liburcu's
 * "memb" flavour beside it when liburcu-dev is installed (the flavour
 * whose design ukmem's follows; docs/rcu.md).
 *
 *   readers     ns per rcu_read_lock()+rcu_read_unlock() pair, outermost and
 *               nested, against a thread-local counter increment and
 *               decrement (the kernel's preempt_disable/enable, which is
 *               what its non-preemptible rcu_read_lock costs), and
 *               liburcu's inline urcu_memb_read_lock/unlock;
 *   grace       microseconds per synchronize_rcu() with no reader in a
 *               section, and with 2 threads reading in a loop;
 *   kfree_rcu   ns per kmalloc(64)+kfree() and per kmalloc(64)+kfree_rcu()
 *               (two-argument form, and the headless kfree_rcu_mightsleep),
 *               1 and 2 threads; the kfree_rcu rows count the final
 *               rcu_barrier() that waits for every object to be freed, so
 *               the background work is paid for in the figure.
 *
 * Every figure is the median of --reps runs (default 5).  --smoke: tiny
 * counts, one run: proves it runs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <ukmem/boot.h>

#ifdef HAVE_URCU
#include "urcu_peer.h"
#endif

#define MAX_REPS	32

static long reader_pairs = 50000000, grace_periods = 2000, frees = 2000000;
static int reps = 5;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* ---- readers ---- */

/* The kernel's non-preemptible rcu_read_lock(): preempt_disable()/enable(). */
static noinline double loop_preempt(long n)
{
	double t = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		preempt_disable();
		preempt_enable();
	}
	return (now_ns() - t) / n;
}

static noinline double loop_rcu(long n)
{
	double t = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		rcu_read_lock();
		rcu_read_unlock();
	}
	return (now_ns() - t) / n;
}

static noinline double loop_rcu_nested(long n)
{
	double t;
	long i;

	rcu_read_lock();
	t = now_ns();
	for (i = 0; i < n; i++) {
		rcu_read_lock();
		rcu_read_unlock();
	}
	t = (now_ns() - t) / n;
	rcu_read_unlock();
	return t;
}

static void bench_readers(void)
{
	double v[4][MAX_REPS];
	int r;

	rcu_read_lock();	/* the first takes a reader slot */
	rcu_read_unlock();
	for (r = 0; r < reps; r++) {
		v[0][r] = loop_preempt(reader_pairs);
		v[1][r] = loop_rcu(reader_pairs);
		v[2][r] = loop_rcu_nested(reader_pairs);
#ifdef HAVE_URCU
		v[3][r] = urcu_peer_read_pair_ns(reader_pairs);
#endif
	}
	printf("readers (ns per lock+unlock pair, median of %d x %ld)\n", reps, reader_pairs);
	printf("  preempt_disable/enable (the kernel's rcu_read_lock)  %5.2f\n", median(v[0], reps));
	printf("  ukmem rcu_read_lock/unlock, outermost               %6.2f\n", median(v[1], reps));
	printf("  ukmem rcu_read_lock/unlock, nested                  %6.2f\n", median(v[2], reps));
#ifdef HAVE_URCU
	printf("  liburcu urcu_memb_read_lock/unlock (inline)         %6.2f\n", median(v[3], reps));
#else
	printf("  liburcu urcu_memb_read_lock/unlock                  (liburcu-dev not installed)\n");
#endif
}

/* ---- grace periods ---- */

static int stop_readers;

static void *busy_reader(void *arg)
{
	while (!__atomic_load_n(&stop_readers, __ATOMIC_RELAXED)) {
		int i;

		rcu_read_lock();
		for (i = 0; i < 100; i++)
			barrier();
		rcu_read_unlock();
	}
	return arg;
}

static double grace(int readers)
{
	double v[MAX_REPS];
	pthread_t t[2];
	int r, i;

	__atomic_store_n(&stop_readers, 0, __ATOMIC_RELAXED);
	for (i = 0; i < readers; i++)
		pthread_create(&t[i], NULL, busy_reader, NULL);
	for (r = 0; r < reps; r++) {
		double start = now_ns();
		long n;

		for (n = 0; n < grace_periods; n++)
			synchronize_rcu();
		v[r] = (now_ns() - start) / grace_periods / 1000;
	}
	__atomic_store_n(&stop_readers, 1, __ATOMIC_RELAXED);
	for (i = 0; i < readers; i++)
		pthread_join(t[i], NULL);
	return median(v, reps);
}

#ifdef HAVE_URCU
static double urcu_grace(int readers)
{
	double v[MAX_REPS];
	int r;

	for (r = 0; r < reps; r++)
		v[r] = urcu_peer_grace_us(readers, grace_periods);
	return median(v, reps);
}
#endif

static void bench_grace(void)
{
	printf("\ngrace periods (us per synchronize_rcu, median of %d x %ld)\n", reps, grace_periods);
	printf("  ukmem, no reader                                    %6.1f\n", grace(0));
	printf("  ukmem, 2 threads reading in a loop                  %6.1f\n", grace(2));
#ifdef HAVE_URCU
	printf("  liburcu memb, no reader                             %6.1f\n", urcu_grace(0));
	printf("  liburcu memb, 2 threads reading in a loop           %6.1f\n", urcu_grace(2));
#endif
}

/* ---- kfree_rcu against kfree ---- */

struct obj64 {
	struct rcu_head rcu;
	char data[48];
};

enum free_kind { F_KFREE, F_KFREE_RCU, F_KFREE_RCU_HEADLESS };

static void *free_loop(void *arg)
{
	enum free_kind kind = (enum free_kind)(long)arg;
	long i;

	for (i = 0; i < frees; i++) {
		struct obj64 *p = kmalloc(sizeof(*p), GFP_KERNEL);

		p->data[0] = (char)i;
		if (kind == F_KFREE)
			kfree(p);
		else if (kind == F_KFREE_RCU)
			kfree_rcu(p, rcu);
		else
			kfree_rcu_mightsleep(p);
	}
	return NULL;
}

/* ns per object: the calls alone (*calls), and until every object is freed. */
static double free_run(enum free_kind kind, int threads, double *calls)
{
	double v[MAX_REPS], c[MAX_REPS];
	pthread_t t[2];
	int r, i;

	for (r = 0; r < reps; r++) {
		double start = now_ns();

		for (i = 0; i < threads; i++)
			pthread_create(&t[i], NULL, free_loop, (void *)(long)kind);
		for (i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
		c[r] = (now_ns() - start) / frees;
		if (kind != F_KFREE)
			kvfree_rcu_barrier();
		v[r] = (now_ns() - start) / frees;
	}
	*calls = median(c, reps);
	return median(v, reps);
}

static void bench_kfree_rcu(void)
{
	static const char *const names[] = {
		"kmalloc(64) + kfree", "kmalloc(64) + kfree_rcu(p, rcu)",
		"kmalloc(64) + kfree_rcu_mightsleep(p)",
	};
	int k;

	printf("\nkfree_rcu (ns per object for one thread's share, median of %d x %ld:\n"
	       "the loop alone, and until kvfree_rcu_barrier() saw every object freed)\n",
	       reps, frees);
	printf("  %-40s %17s %17s\n", "", "1 thread", "2 threads");
	for (k = F_KFREE; k <= F_KFREE_RCU_HEADLESS; k++) {
		double c1, c2, t1 = free_run(k, 1, &c1), t2 = free_run(k, 2, &c2);

		printf("  %-40s %7.1f %9.1f %7.1f %9.1f\n", names[k], c1, t1, c2, t2);
	}
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			reader_pairs = 10000;
			grace_periods = 10;
			frees = 10000;
			reps = 1;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = atoi(argv[++i]);
			if (reps < 1 || reps > MAX_REPS)
				reps = 5;
		}
	}
	if (ukmem_boot("mem=2G")) {
		fprintf(stderr, "bench_rcu: boot failed\n");
		return 1;
	}
	bench_readers();
	bench_grace();
	bench_kfree_rcu();
	return 0;
}
