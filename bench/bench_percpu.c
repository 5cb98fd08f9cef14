/* SPDX-License-Identifier: MIT */
/*
 * bench_percpu - per-CPU counters and mempools against their plain
 * alternatives.
 *
 * Rows (ns per operation per thread, median of --reps runs):
 *   this_cpu_inc (static)     this_cpu_inc on a DEFINE_PER_CPU counter,
 *                             restartable sequence (rseq mode);
 *   this_cpu_inc (dynamic)    the same on an alloc_percpu counter;
 *   this_cpu_inc (lock mode)  the fallback without rseq (CPU lock word
 *                             taken with a compare-and-swap);
 *   get_cpu_var()++/put       hold the CPU, plain increment, release;
 *   atomic add, shared        __atomic_fetch_add on one counter that every
 *                             thread hits (one cache line bouncing);
 *   mempool_alloc+free        a slab-backed pool of 256-byte elements,
 *                             allocator healthy (the reserve untouched);
 *   mempool via reserve       the same with failslab failing every slab
 *                             allocation: every pair goes through the
 *                             reserve (alloc_fn tried twice, lock, LIFO);
 *   kmem_cache_alloc+free     the bare slab pair the pool wraps.
 * Counter rows run with 1 and 2 threads (threads pinned to distinct CPUs
 * when there are enough); the sum of all counters is checked exact.
 *
 *   build/bench/bench_percpu [--smoke] [--iters N] [--reps N]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/mempool.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/fault.h>

#define MAX_REPS	64
#define MAX_THREADS	2

static long iters = 20000000;
static int reps = 5;

static DEFINE_PER_CPU(unsigned long, static_counter);
static unsigned long *dyn_counter;
static unsigned long shared_counter __aligned(64);
static struct kmem_cache *cache;
static mempool_t *pool;

enum row { R_STATIC, R_DYNAMIC, R_LOCKMODE, R_GETCPU, R_ATOMIC, R_MEMPOOL, R_RESERVE,
	   R_SLAB, NR_ROWS };

static const char *const row_names[NR_ROWS] = {
	"this_cpu_inc (static)", "this_cpu_inc (dynamic)", "this_cpu_inc (lock mode)",
	"get_cpu_var()++/put", "atomic add, shared", "mempool_alloc+free",
	"mempool via reserve", "kmem_cache_alloc+free",
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static noinline void run_row(enum row row, long n)
{
	long i;

	switch (row) {
	case R_STATIC:
	case R_LOCKMODE:
		for (i = 0; i < n; i++)
			this_cpu_inc(static_counter);
		break;
	case R_DYNAMIC:
		for (i = 0; i < n; i++)
			this_cpu_inc(*dyn_counter);
		break;
	case R_GETCPU:
		for (i = 0; i < n; i++) {
			get_cpu_var(static_counter)++;
			put_cpu_var(static_counter);
		}
		break;
	case R_ATOMIC:
		for (i = 0; i < n; i++)
			__atomic_fetch_add(&shared_counter, 1, __ATOMIC_RELAXED);
		break;
	case R_MEMPOOL:
	case R_RESERVE:
		for (i = 0; i < n; i++) {
			void *p = mempool_alloc(pool, GFP_KERNEL);

			*(volatile char *)p = 1;
			mempool_free(p, pool);
		}
		break;
	default:
		for (i = 0; i < n; i++) {
			void *p = kmem_cache_alloc(cache, GFP_KERNEL);

			*(volatile char *)p = 1;
			kmem_cache_free(cache, p);
		}
		break;
	}
}

struct worker {
	pthread_t tid;
	enum row row;
	long n;
	int cpu;
	pthread_barrier_t *barrier;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;

	if (w->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(w->cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	run_row(w->row, w->n / 16);	/* warm up */
	pthread_barrier_wait(w->barrier);
	run_row(w->row, w->n);
	return NULL;
}

/* Wall time of one run, per operation of one thread. */
static double measure(enum row row, int threads, long n)
{
	struct worker w[MAX_THREADS];
	pthread_barrier_t barrier;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), i;
	double t0;

	pthread_barrier_init(&barrier, NULL, threads + 1);
	for (i = 0; i < threads; i++) {
		w[i].row = row;
		w[i].n = n;
		w[i].cpu = ncpu >= threads ? i : -1;
		w[i].barrier = &barrier;
		pthread_create(&w[i].tid, NULL, worker_fn, &w[i]);
	}
	pthread_barrier_wait(&barrier);
	t0 = now_ns();
	for (i = 0; i < threads; i++)
		pthread_join(w[i].tid, NULL);
	pthread_barrier_destroy(&barrier);
	return (now_ns() - t0) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void set_failslab(bool on)
{
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("failslab", "space", 0);
	ukmem_fault_set("failslab", "probability", on ? 100 : 0);
}

int main(int argc, char **argv)
{
	double v[MAX_REPS], res[NR_ROWS][MAX_THREADS + 1];
	long saved_rseq, n;
	unsigned long sum = 0;
	unsigned int cpu;
	int arg, r, t, i;

	for (arg = 1; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--smoke")) {
			iters = 4096;
			reps = 1;
		} else if (!strcmp(argv[arg], "--iters") && arg + 1 < argc) {
			iters = atol(argv[++arg]);
		} else if (!strcmp(argv[arg], "--reps") && arg + 1 < argc) {
			reps = atoi(argv[++arg]);
			if (reps < 1 || reps > MAX_REPS)
				reps = 5;
		} else {
			fprintf(stderr, "usage: %s [--smoke] [--iters N] [--reps N]\n", argv[0]);
			return 2;
		}
	}
	if (ukmem_boot("mem=1G")) {
		fprintf(stderr, "bench_percpu: boot failed\n");
		return 1;
	}
	dyn_counter = alloc_percpu(unsigned long);
	cache = kmem_cache_create("bench_pool", 256, 0, 0, NULL);
	pool = mempool_create_slab_pool(16, cache);
	if (!dyn_counter || !cache || !pool)
		return 1;
	saved_rseq = ukmem_pcpu_rseq;

	for (r = 0; r < NR_ROWS; r++) {
		bool counter_row = r <= R_ATOMIC;

		for (t = 1; t <= MAX_THREADS; t++) {
			res[r][t] = -1;
			if (!counter_row && t > 1)
				continue;
			if (r == R_LOCKMODE)
				ukmem_pcpu_rseq = 0;
			if (r == R_RESERVE)
				set_failslab(true);
			n = counter_row ? iters : iters / 8;
			for (i = 0; i < reps; i++)
				v[i] = measure((enum row)r, t, n);
			ukmem_pcpu_rseq = saved_rseq;
			if (r == R_RESERVE)
				set_failslab(false);
			qsort(v, reps, sizeof(v[0]), cmp_double);
			res[r][t] = v[reps / 2];
		}
	}

	/* Every increment landed exactly once. */
	for_each_possible_cpu(cpu)
		sum += per_cpu(static_counter, cpu) + *per_cpu_ptr(dyn_counter, cpu);
	{
		unsigned long expect = 0;

		for (t = 1; t <= MAX_THREADS; t++)
			expect += (unsigned long)t * (iters + iters / 16) * reps * 4;
		if (sum != expect) {
			fprintf(stderr, "bench_percpu: counters sum to %lu, expected %lu\n", sum, expect);
			return 1;
		}
	}

	printf("bench_percpu: %ld ops per thread (pool rows: %ld), median of %d, %ld CPUs, %s\n",
	       iters, iters / 8, reps, sysconf(_SC_NPROCESSORS_ONLN),
	       saved_rseq ? "rseq available" : "NO rseq: the static/dynamic rows are lock mode");
	printf("%-28s %12s %12s\n", "operation", "1 thr ns/op", "2 thr ns/op");
	for (r = 0; r < NR_ROWS; r++) {
		printf("%-28s %12.2f", row_names[r], res[r][1]);
		if (res[r][2] >= 0)
			printf(" %12.2f\n", res[r][2]);
		else
			printf(" %12s\n", "-");
	}
	mempool_destroy(pool);
	kmem_cache_destroy(cache);
	free_percpu(dyn_counter);
	return 0;
}
