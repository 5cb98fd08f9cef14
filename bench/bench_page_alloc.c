// SPDX-License-Identifier: MIT
/*
 * bench_page_alloc - the page allocator against the host's mmap/munmap.
 *
 * Side by side in one run, with the same thread count and the same number
 * of pairs per thread:
 *
 *   ukmem:  alloc_pages(GFP_KERNEL, order) + __free_pages(page, order)
 *   host:   mmap(PAGE_SIZE << order, anonymous private) + munmap
 *
 * for order 0, 3 and 9 (4 KiB, 32 KiB, 2 MiB), each in two variants: the
 * memory left untouched, and one byte written to its first page (for mmap
 * that costs a page fault and a zeroed page; for ukmem the page is usually
 * already resident, which is the point of a page allocator).  A further pair
 * of rows is the order-0 pcp steady state: each thread first takes 64 pages
 * (or 64 mappings) and holds them, then loops alloc+free, so the per-CPU
 * lists stay warm and never run dry or overflow.
 *
 * Each measurement runs with 1 and 2 threads, each thread doing its own
 * pairs, --reps times (default 7); the table shows the MEDIAN.  "ns/pair" is
 * the wall time of a repetition divided by the pairs ONE thread did (so with
 * perfect scaling it stays the same at 2 threads); "Mpairs/s" is the total
 * throughput of all threads together.
 *
 *   bench_page_alloc                   the full table (about 10-20 s here)
 *   bench_page_alloc --smoke           tiny counts, proves it runs (CI)
 *   bench_page_alloc --iters N         pairs per thread per repetition
 *   bench_page_alloc --reps N          repetitions (median is reported)
 *   bench_page_alloc --threads "1 2"   thread counts to run
 *   bench_page_alloc --scaling         the order-0 steady pair alone, 5M pairs
 *                                      per thread (--iters), each thread pinned
 *                                      to its own CPU: per-CPU scaling (short
 *                                      table rows end before the scheduler
 *                                      has spread new threads over the CPUs)
 *   bench_page_alloc --callgrind-order0 N
 *                                      warm up, then N order-0 pairs in the
 *                                      noinline measure_loop_order0() only;
 *                                      for bench/callgrind.sh
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include "bench_boot.h"

#define MAX_THREADS	64
#define STEADY_HELD	64

enum impl { IMPL_UKMEM, IMPL_MMAP };

struct op {
	const char *name;	/* row label */
	unsigned int order;
	bool touch;		/* write one byte to the first page */
	bool steady;		/* hold STEADY_HELD first */
	unsigned int divisor;	/* iterations = iters / divisor (mmap side) */
};

struct worker {
	pthread_t tid;
	int cpu;		/* pin here first; -1: not pinned */
	enum impl impl;
	const struct op *op;
	unsigned long iters;
	unsigned long warmup;
	pthread_barrier_t *barrier;
	struct timespec t0, t1;
	int failed;
};

static unsigned long opt_iters = 200000;
static bool opt_pin;		/* --scaling: worker t on the t-th allowed CPU */
static unsigned int opt_reps = 7;
static unsigned int opt_threads[8] = { 1, 2 };
static unsigned int opt_nthreads = 2;

static double ts_ns(const struct timespec *t)
{
	return (double)t->tv_sec * 1e9 + (double)t->tv_nsec;
}

/* ---- the loops ---- */

static int ukmem_pairs(unsigned int order, bool touch, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		if (!page)
			return -1;
		if (touch)
			*(volatile char *)page_address(page) = (char)i;
		__free_pages(page, order);
	}
	return 0;
}

static int mmap_pairs(size_t size, bool touch, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		if (touch)
			*(volatile char *)p = (char)i;
		if (munmap(p, size))
			return -1;
	}
	return 0;
}

static int run_pairs(enum impl impl, const struct op *op, unsigned long n)
{
	if (impl == IMPL_UKMEM)
		return ukmem_pairs(op->order, op->touch, n);
	return mmap_pairs((size_t)PAGE_SIZE << op->order, op->touch, n);
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct page *held_pages[STEADY_HELD];
	void *held_maps[STEADY_HELD];
	size_t size = (size_t)PAGE_SIZE << w->op->order;
	int held = 0;

	if (w->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(w->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);	/* best effort */
	}
	if (w->op->steady) {
		for (; held < STEADY_HELD; held++) {
			if (w->impl == IMPL_UKMEM) {
				held_pages[held] = alloc_pages(GFP_KERNEL, w->op->order);
				if (!held_pages[held])
					break;
			} else {
				held_maps[held] = mmap(NULL, size, PROT_READ | PROT_WRITE,
						       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (held_maps[held] == MAP_FAILED)
					break;
				*(volatile char *)held_maps[held] = 1;
			}
		}
		if (held < STEADY_HELD)
			w->failed = 1;
	}
	/* Warm up this thread's CPU (pcp lists, page tables, caches). */
	if (!w->failed && run_pairs(w->impl, w->op, w->warmup))
		w->failed = 1;

	pthread_barrier_wait(w->barrier);
	clock_gettime(CLOCK_MONOTONIC, &w->t0);
	if (!w->failed && run_pairs(w->impl, w->op, w->iters))
		w->failed = 1;
	clock_gettime(CLOCK_MONOTONIC, &w->t1);

	while (held-- > 0) {
		if (w->impl == IMPL_UKMEM)
			__free_pages(held_pages[held], w->op->order);
		else
			munmap(held_maps[held], size);
	}
	return NULL;
}

/* One repetition: returns the wall time in ns, or a negative value. */
static double run_once(enum impl impl, const struct op *op, unsigned int nthreads,
		       unsigned long iters)
{
	struct worker w[MAX_THREADS];
	pthread_barrier_t barrier;
	double start = 0, end = 0;
	int failed = 0;

	cpu_set_t allowed;
	int cpus[MAX_THREADS], ncpus = 0;

	if (opt_pin && !sched_getaffinity(0, sizeof(allowed), &allowed))
		for (int c = 0; c < CPU_SETSIZE && ncpus < MAX_THREADS; c++)
			if (CPU_ISSET(c, &allowed))
				cpus[ncpus++] = c;
	pthread_barrier_init(&barrier, NULL, nthreads);
	for (unsigned int t = 0; t < nthreads; t++) {
		w[t] = (struct worker){
			.cpu = ncpus ? cpus[t % (unsigned int)ncpus] : -1,
			.impl = impl, .op = op, .iters = iters,
			.warmup = iters / 16 ? iters / 16 : 1, .barrier = &barrier,
		};
		if (pthread_create(&w[t].tid, NULL, worker_fn, &w[t])) {
			fprintf(stderr, "bench_page_alloc: pthread_create failed\n");
			exit(1);
		}
	}
	for (unsigned int t = 0; t < nthreads; t++) {
		pthread_join(w[t].tid, NULL);
		double a = ts_ns(&w[t].t0), b = ts_ns(&w[t].t1);

		if (t == 0 || a < start)
			start = a;
		if (t == 0 || b > end)
			end = b;
		failed |= w[t].failed;
	}
	pthread_barrier_destroy(&barrier);
	return failed ? -1.0 : end - start;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	double ns_per_pair;	/* median over reps */
	double mpairs_s;	/* total throughput at that median */
};

static int measure(enum impl impl, const struct op *op, unsigned int nthreads,
		   unsigned long iters, struct result *r)
{
	double ns[64];
	unsigned int reps = opt_reps > 64 ? 64 : opt_reps;

	for (unsigned int i = 0; i < reps; i++) {
		double wall = run_once(impl, op, nthreads, iters);

		if (wall < 0)
			return -1;
		ns[i] = wall / (double)iters;
	}
	qsort(ns, reps, sizeof(ns[0]), cmp_double);
	r->ns_per_pair = reps % 2 ? ns[reps / 2] : (ns[reps / 2 - 1] + ns[reps / 2]) / 2;
	r->mpairs_s = (double)nthreads * 1e3 / r->ns_per_pair;
	return 0;
}

/* ---- callgrind mode ---- */

/*
 * Only this function is measured under callgrind
 * (--toggle-collect=measure_loop_order0*): n order-0 GFP_KERNEL pairs, no
 * byte written, nothing else.
 */
__attribute__((__noinline__, __used__)) unsigned long measure_loop_order0(unsigned long n)
{
	unsigned long fails = 0;

	for (unsigned long i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, 0);

		if (__builtin_expect(!page, 0)) {
			fails++;
			continue;
		}
		__free_pages(page, 0);
	}
	__asm__ volatile("" ::: "memory");
	return fails;
}

static int callgrind_order0(unsigned long n)
{
	struct page *held[STEADY_HELD];

	/* The steady state of the table's pcp row: 64 held, lists warm. */
	for (int i = 0; i < STEADY_HELD; i++) {
		held[i] = alloc_pages(GFP_KERNEL, 0);
		if (!held[i]) {
			fprintf(stderr, "bench_page_alloc: alloc_pages failed\n");
			return 1;
		}
	}
	if (ukmem_pairs(0, false, 1000)) {
		fprintf(stderr, "bench_page_alloc: warm-up failed\n");
		return 1;
	}
	unsigned long fails = measure_loop_order0(n);

	for (int i = 0; i < STEADY_HELD; i++)
		__free_pages(held[i], 0);
	printf("callgrind-order0: %lu pairs, %lu failures\n", n, fails);
	return fails ? 1 : 0;
}

/* ---- per-CPU scaling of the steady order-0 pair ---- */

static int scaling(const struct op *steady)
{
	double one = 0;

	if (opt_iters == 200000)
		opt_iters = 5000000;	/* --scaling's default: reps long enough to be spread */
	printf("bench_page_alloc --scaling: order-0 alloc_pages+__free_pages, 64 pages held, "
	       "%lu pairs per thread, threads pinned to distinct CPUs, median of %u\n\n",
	       opt_iters, opt_reps);
	printf("%3s %10s %10s %9s\n", "thr", "ns/pair", "Mpairs/s", "scaling");
	for (unsigned int ti = 0; ti < opt_nthreads; ti++) {
		struct result r;

		if (measure(IMPL_UKMEM, steady, opt_threads[ti], opt_iters, &r)) {
			printf("%3u  allocation FAILED\n", opt_threads[ti]);
			return 1;
		}
		if (ti == 0)
			one = r.mpairs_s / opt_threads[0];
		printf("%3u %10.2f %10.2f %8.2fx\n", opt_threads[ti], r.ns_per_pair, r.mpairs_s,
		       r.mpairs_s / one);
		fflush(stdout);
	}
	return 0;
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_page_alloc [--smoke] [--iters N] [--reps N] [--threads \"1 2\"] [--scaling]\n"
		"       bench_page_alloc --callgrind-order0 N\n");
}

static unsigned long parse_ul(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s ? s : "", &end, 0);
	if (!s || errno || *end || end == s) {
		fprintf(stderr, "bench_page_alloc: bad %s '%s'\n", what, s ? s : "");
		usage(stderr);
		exit(2);
	}
	return v;
}

static void parse_threads(const char *s)
{
	char *copy = strdup(s ? s : ""), *save = NULL;

	opt_nthreads = 0;
	for (char *tok = strtok_r(copy, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		unsigned long t = parse_ul(tok, "thread count");

		if (t < 1 || t > MAX_THREADS || opt_nthreads == 8) {
			fprintf(stderr, "bench_page_alloc: thread counts are 1..%d, at most 8 of them\n",
				MAX_THREADS);
			exit(2);
		}
		opt_threads[opt_nthreads++] = (unsigned int)t;
	}
	free(copy);
	if (!opt_nthreads)
		parse_ul(s, "thread list");
}

int main(int argc, char **argv)
{
	static const struct op ops[] = {
		/* name                          order touch steady mmap divisor */
		{ "order-0 (4 KiB)",               0, false, false, 32 },
		{ "order-0 (4 KiB) +1B write",     0, true,  false, 64 },
		{ "order-0 pcp steady (64 held)",  0, false, true,  32 },
		{ "order-0 pcp steady +1B write",  0, true,  true,  64 },
		{ "order-3 (32 KiB)",              3, false, false, 32 },
		{ "order-3 (32 KiB) +1B write",    3, true,  false, 64 },
		{ "order-9 (2 MiB)",               9, false, false, 32 },
		{ "order-9 (2 MiB) +1B write",     9, true,  false, 256 },
	};
	long callgrind_n = -1;
	bool smoke = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			smoke = true;
		} else if (!strcmp(argv[i], "--iters")) {
			opt_iters = parse_ul(argv[++i], "--iters");
		} else if (!strcmp(argv[i], "--reps")) {
			opt_reps = (unsigned int)parse_ul(argv[++i], "--reps");
		} else if (!strcmp(argv[i], "--threads")) {
			parse_threads(argv[++i]);
		} else if (!strcmp(argv[i], "--scaling")) {
			opt_pin = true;
		} else if (!strcmp(argv[i], "--callgrind-order0")) {
			callgrind_n = (long)parse_ul(argv[++i], "--callgrind-order0");
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "bench_page_alloc: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (smoke) {
		opt_iters = 256;
		opt_reps = 1;
	}
	if (opt_iters < 1)
		opt_iters = 1;
	if (opt_reps < 1 || opt_reps > 64) {
		fprintf(stderr, "bench_page_alloc: --reps must be 1..64\n");
		return 2;
	}

	int err = bench_boot("mem=4G");

	if (err && err != -EALREADY) {
		fprintf(stderr, "bench_page_alloc: ukmem_boot(\"mem=4G\") failed: %d\n", err);
		return 1;
	}
	if (callgrind_n >= 0)
		return callgrind_order0((unsigned long)callgrind_n);
	if (opt_pin)
		return scaling(&ops[2]);

	printf("bench_page_alloc: ukmem alloc_pages(GFP_KERNEL)+__free_pages vs mmap+munmap\n");
	printf("boot \"mem=4G\"; per thread and repetition: %lu ukmem pairs, \"mmap n\" mmap pairs; "
	       "%u reps, median shown\n", opt_iters, opt_reps);
	printf("ns/pair = repetition wall time / pairs of one thread; "
	       "Mp/s = millions of pairs/s, all threads together\n\n");
	printf("%-30s %3s %9s %9s %9s %8s %8s %7s\n", "operation", "thr", "ukmem ns", "mmap ns",
	       "mmap/ukm", "ukm Mp/s", "mmp Mp/s", "mmap n");
	printf("%-30s %3s %9s %9s %9s\n", "", "", "per pair", "per pair", "ratio");

	int rc = 0;

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		const struct op *op = &ops[k];
		unsigned long mmap_iters = opt_iters / op->divisor;

		if (mmap_iters < 1)
			mmap_iters = 1;
		for (unsigned int ti = 0; ti < opt_nthreads; ti++) {
			unsigned int nt = opt_threads[ti];
			struct result u, m;

			if (measure(IMPL_UKMEM, op, nt, opt_iters, &u)) {
				printf("%-30s %3u  ukmem allocation FAILED\n", op->name, nt);
				rc = 1;
				continue;
			}
			if (measure(IMPL_MMAP, op, nt, mmap_iters, &m)) {
				printf("%-30s %3u  mmap FAILED: %s\n", op->name, nt, strerror(errno));
				rc = 1;
				continue;
			}
			printf("%-30s %3u %9.1f %9.1f %8.1fx %8.2f %8.3f %7lu\n", op->name, nt,
			       u.ns_per_pair, m.ns_per_pair, m.ns_per_pair / u.ns_per_pair,
			       u.mpairs_s, m.mpairs_s, mmap_iters);
			fflush(stdout);
		}
	}
	if (smoke)
		printf("\nsmoke run: counts too small for meaningful numbers\n");
	return rc;
}
