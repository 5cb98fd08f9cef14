/* SPDX-License-Identifier: MIT */
/*
 * bench_slab - the slab fast paths against the mallocs people use.
 *
 * Side by side in one run, 64-byte objects:
 *   pair       alloc + free in a loop, each thread on its own (1 and 2
 *              threads; each thread pinned to its own CPU when there are
 *              enough), the object written once;
 *   prod/cons  one thread allocates and writes, another reads and frees
 *              (every free on another thread and CPU), through a
 *              single-producer ring of 1024 slots;
 * for ukmem's kmem_cache_alloc/kmem_cache_free (a 64-byte cache) and
 * kmalloc(64)/kfree, and for malloc/free of glibc, jemalloc, tcmalloc and
 * mimalloc, each loaded with dlopen(RTLD_LOCAL) and called through the
 * library's own entry points (malloc/free from jemalloc's handle,
 * tc_malloc/tc_free, mi_malloc/mi_free).  A peer that is not installed is
 * skipped with a message (Debian: libjemalloc-dev libgoogle-perftools-dev
 * libmimalloc-dev; bench/callgrind_slab.sh and bench/run.sh do not install
 * anything, see docs/slab.md).
 *
 * Every figure is the median of --reps runs, the allocators taking turns
 * within each round.  ns/pair is the wall time of
 * one run divided by the pairs one thread did; scaling is the 2-thread
 * total throughput over the 1-thread one (2.0 is perfect).
 *
 * --callgrind-kmalloc N / --callgrind-cache N: no table; warm up, then N
 * pairs inside the noinline measure_loop_* functions that
 * bench/callgrind_slab.sh counts instructions in.  --callgrind-batch N /
 * --callgrind-xcpu N (booted with slab_rseq=fake, BENCH_CMDLINE): N
 * kmalloc(64) objects in batches of 32, freed on the same CPU / on
 * another CPU than the one that allocated them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/slab.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include "bench_boot.h"
#include "arch/host.h"

#define OBJ_SIZE	64
#define RING		1024
#define MAX_REPS	64

static long pairs = 20000000;
static long pc_objects = 5000000;
static int reps = 5;
static struct kmem_cache *cache64;

/* ---- the allocators ---- */

enum kind { K_BASELINE, K_CACHE, K_KMALLOC, K_PEER };

struct allocator {
	const char *name;
	enum kind kind;
	const char *lib;		/* NULL: the process's own (glibc) */
	const char *sym_malloc, *sym_free;
	void *(*malloc)(size_t);
	void (*free)(void *);
	bool present;
	/* Results (medians). */
	double pair_ns[3], scaling, pc_ns;
};

/*
 * jemalloc keeps its thread state in initial-exec TLS, which dlopen can
 * only place in glibc's static TLS surplus; the default surplus is too
 * small once libukmem's own TLS is there.  Ask glibc for more, which only
 * works from the start: re-exec once with the tunable set.
 */
#define STATIC_TLS_TUNABLE "glibc.rtld.optional_static_tls=65536"

static void ensure_static_tls(char **argv)
{
	const char *cur = getenv("GLIBC_TUNABLES");
	char buf[512];

	if (cur && strstr(cur, "optional_static_tls"))
		return;
	snprintf(buf, sizeof(buf), "%s%s%s", cur ? cur : "", cur ? ":" : "", STATIC_TLS_TUNABLE);
	setenv("GLIBC_TUNABLES", buf, 1);
	execv("/proc/self/exe", argv);
	/* Could not: run without, jemalloc may then be skipped. */
}

static struct allocator allocs[] = {
	/* No allocation, the same loop: how well this machine runs 2 threads. */
	{ "(cpu-bound loop)", K_BASELINE },
	{ "ukmem kmem_cache", K_CACHE },
	{ "ukmem kmalloc", K_KMALLOC },
	{ "glibc malloc", K_PEER, NULL, "malloc", "free" },
	{ "jemalloc", K_PEER, "libjemalloc.so.2", "malloc", "free" },
	{ "tcmalloc", K_PEER, "libtcmalloc_minimal.so.4", "tc_malloc", "tc_free" },
	{ "mimalloc", K_PEER, "libmimalloc.so.2", "mi_malloc", "mi_free" },
};

static void load_peer(struct allocator *a)
{
	void *h = RTLD_DEFAULT;
	Dl_info info;

	if (a->lib) {
		h = dlopen(a->lib, RTLD_NOW | RTLD_LOCAL);
		if (!h && !strcmp(a->name, "tcmalloc"))
			h = dlopen((a->lib = "libtcmalloc.so.4"), RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			printf("(%s skipped: %s; Debian package %s)\n", a->name, dlerror(),
			       !strcmp(a->name, "jemalloc") ? "libjemalloc-dev" :
			       !strcmp(a->name, "tcmalloc") ? "libgoogle-perftools-dev" :
			       "libmimalloc-dev");
			return;
		}
	}
	a->malloc = (void *(*)(size_t))dlsym(h, a->sym_malloc);
	a->free = (void (*)(void *))dlsym(h, a->sym_free);
	if (!a->malloc || !a->free) {
		printf("(%s: no %s/%s in %s; skipped)\n", a->name, a->sym_malloc, a->sym_free, a->lib);
		return;
	}
	/* The entry point must be the library's own, not glibc's. */
	if (a->lib && (!dladdr((void *)a->malloc, &info) || !strstr(info.dli_fname, a->lib))) {
		printf("(%s: %s resolves outside %s; skipped)\n", a->name, a->sym_malloc, a->lib);
		return;
	}
	a->present = true;
}

/* ---- loops ---- */

static inline void touch(void *p)
{
	*(volatile long *)p = 1;
	__asm__ volatile("" : : "r"(p) : "memory");
}

static noinline void loop_cache(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(cache64, GFP_KERNEL);

		touch(p);
		kmem_cache_free(cache64, p);
	}
}

static noinline void loop_kmalloc(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(OBJ_SIZE, GFP_KERNEL);

		touch(p);
		kfree(p);
	}
}

static noinline void loop_peer(const struct allocator *a, long n)
{
	void *(*m)(size_t) = a->malloc;
	void (*f)(void *) = a->free;
	long i;

	for (i = 0; i < n; i++) {
		void *p = m(OBJ_SIZE);

		touch(p);
		f(p);
	}
}

static noinline void loop_baseline(long n)
{
	long stack_word = 0, i;

	for (i = 0; i < n; i++)
		touch(&stack_word);
}

static void run_pairs(const struct allocator *a, long n)
{
	if (a->kind == K_BASELINE)
		loop_baseline(n * 4);	/* about a pair's worth of cycles */
	else if (a->kind == K_CACHE)
		loop_cache(n);
	else if (a->kind == K_KMALLOC)
		loop_kmalloc(n);
	else
		loop_peer(a, n);
}

static inline void *a_alloc(const struct allocator *a)
{
	if (a->kind == K_CACHE)
		return kmem_cache_alloc(cache64, GFP_KERNEL);
	if (a->kind == K_KMALLOC)
		return kmalloc(OBJ_SIZE, GFP_KERNEL);
	return a->malloc(OBJ_SIZE);
}

static inline void a_free(const struct allocator *a, void *p)
{
	if (a->kind == K_CACHE)
		kmem_cache_free(cache64, p);
	else if (a->kind == K_KMALLOC)
		kfree(p);
	else
		a->free(p);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void pin(int cpu)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (cpus < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu % (int)cpus, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void unpin(void)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* ---- pairs on T threads ---- */

struct pair_job {
	const struct allocator *a;
	int cpu;
	pthread_barrier_t *start;
};

static void *pair_thread(void *arg)
{
	struct pair_job *j = arg;

	pin(j->cpu);
	run_pairs(j->a, pairs / 16);	/* warm up: caches filled, pages touched */
	pthread_barrier_wait(j->start);
	run_pairs(j->a, pairs);
	return NULL;
}

static double measure_pairs(const struct allocator *a, int threads)
{
	pthread_t tid[2];
	struct pair_job job[2];
	pthread_barrier_t start;
	double t0, t1;
	int i;

	pthread_barrier_init(&start, NULL, (unsigned int)threads + 1);
	for (i = 0; i < threads; i++) {
		job[i] = (struct pair_job){ a, i, &start };
		pthread_create(&tid[i], NULL, pair_thread, &job[i]);
	}
	pthread_barrier_wait(&start);
	t0 = now_ns();
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	t1 = now_ns();
	pthread_barrier_destroy(&start);
	return (t1 - t0) / (double)pairs;
}

/* ---- producer / consumer ---- */

struct pc_ring {
	void *slot[RING];
	unsigned long head __attribute__((aligned(64)));	/* producer's */
	unsigned long tail __attribute__((aligned(64)));	/* consumer's */
	const struct allocator *a;
	long n;
};

static void *consumer(void *arg)
{
	struct pc_ring *r = arg;
	long done = 0;

	pin(1);
	while (done < r->n) {
		unsigned long head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		unsigned long tail = r->tail;

		if (head == tail) {
			__builtin_ia32_pause();
			continue;
		}
		while (tail != head) {
			void *p = r->slot[tail % RING];

			if (*(volatile long *)p != (long)tail)
				abort();
			a_free(r->a, p);
			tail++;
			done++;
		}
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	}
	return NULL;
}

static double measure_pc(const struct allocator *a)
{
	static struct pc_ring r;
	pthread_t tid;
	double t0, t1;
	unsigned long head = 0;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.n = pc_objects;
	pin(0);
	t0 = now_ns();
	pthread_create(&tid, NULL, consumer, &r);
	while ((long)head < pc_objects) {
		unsigned long tail = __atomic_load_n(&r.tail, __ATOMIC_ACQUIRE);

		while (head - tail < RING && (long)head < pc_objects) {
			long *p = a_alloc(a);

			*p = (long)head;
			r.slot[head % RING] = p;
			head++;
			if ((head & 15) == 0)
				__atomic_store_n(&r.head, head, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&r.head, head, __ATOMIC_RELEASE);
	}
	pthread_join(tid, NULL);
	t1 = now_ns();
	unpin();
	return (t1 - t0) / (double)pc_objects;
}

/* ---- medians and the table ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Repetitions are interleaved (one run of every allocator, then the next
 * round), so that load from elsewhere on the machine falls on all of them
 * alike; then the medians.
 */
static void bench_all(void)
{
	static double v[ARRAY_SIZE(allocs)][4][MAX_REPS];
	unsigned int i;
	int r, t;

	for (r = 0; r < reps; r++) {
		for (i = 0; i < ARRAY_SIZE(allocs); i++) {
			struct allocator *a = &allocs[i];

			if (!a->present)
				continue;
			for (t = 1; t <= 2; t++)
				v[i][t][r] = measure_pairs(a, t);
			if (a->kind != K_BASELINE)
				v[i][3][r] = measure_pc(a);
		}
	}
	for (i = 0; i < ARRAY_SIZE(allocs); i++) {
		struct allocator *a = &allocs[i];

		if (!a->present)
			continue;
		for (t = 1; t <= 2; t++)
			a->pair_ns[t] = median(v[i][t], reps);
		a->scaling = 2.0 * a->pair_ns[1] / a->pair_ns[2];
		if (a->kind != K_BASELINE)
			a->pc_ns = median(v[i][3], reps);
	}
}

static void print_table(void)
{
	const struct allocator *mi = &allocs[ARRAY_SIZE(allocs) - 1];
	unsigned int i;

	printf("\n%-18s %10s %10s %8s %10s   %s\n", "64-byte objects", "pair 1thr", "pair 2thr",
	       "scaling", "prod/cons", "vs mimalloc (pair 1thr, 2thr, prod/cons; < 1 is faster)");
	printf("%-18s %10s %10s %8s %10s\n", "", "ns/pair", "ns/pair", "2thr/1thr", "ns/object");
	for (i = 0; i < ARRAY_SIZE(allocs); i++) {
		const struct allocator *a = &allocs[i];

		if (!a->present)
			continue;
		printf("%-18s %10.2f %10.2f %7.2fx", a->name, a->pair_ns[1], a->pair_ns[2],
		       a->scaling);
		if (a->kind == K_BASELINE) {
			printf("          -\n");
			continue;
		}
		printf(" %10.2f", a->pc_ns);
		if (mi->present)
			printf("   %.2f  %.2f  %.2f", a->pair_ns[1] / mi->pair_ns[1],
			       a->pair_ns[2] / mi->pair_ns[2], a->pc_ns / mi->pc_ns);
		printf("\n");
	}
}

/* ---- callgrind ---- */

noinline void measure_loop_kmalloc64(long n);
noinline void measure_loop_cache64(long n);
noinline void measure_loop_peer(const struct allocator *a, long n);
noinline void measure_loop_kmalloc64_batch(long n, unsigned int free_cpu);

noinline void measure_loop_peer(const struct allocator *a, long n)
{
	void *(*m)(size_t) = a->malloc;
	void (*f)(void *) = a->free;
	long i;

	for (i = 0; i < n; i++) {
		void *p = m(OBJ_SIZE);

		__asm__ volatile("" : : "r"(p) : "memory");
		f(p);
	}
}

noinline void measure_loop_kmalloc64(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(OBJ_SIZE, GFP_KERNEL);

		__asm__ volatile("" : : "r"(p) : "memory");
		kfree(p);
	}
}

/*
 * n objects (a multiple of XCPU_BATCH) in batches: XCPU_BATCH kmalloc(64)s
 * on CPU 0, then their kfree()s on @free_cpu.  With free_cpu 1 the objects
 * pile up on CPU 1's stack and reach CPU 0 again through the node's barn,
 * as a producer's and a consumer's do; with 0 it is the same batches on one
 * CPU.  The CPU is the fake rseq area's (slab_rseq=fake): one thread, so
 * callgrind counts it, and the production path's code runs.
 */
#define XCPU_BATCH	32

noinline void measure_loop_kmalloc64_batch(long n, unsigned int free_cpu)
{
	void *batch[XCPU_BATCH];
	long i;
	int j;

	for (i = 0; i + XCPU_BATCH <= n; i += XCPU_BATCH) {
		arch_rseq_fake_cpu(0);
		for (j = 0; j < XCPU_BATCH; j++)
			batch[j] = kmalloc(OBJ_SIZE, GFP_KERNEL);
		__asm__ volatile("" : : "r"(batch) : "memory");
		arch_rseq_fake_cpu(free_cpu);
		for (j = 0; j < XCPU_BATCH; j++)
			kfree(batch[j]);
	}
	arch_rseq_fake_cpu(0);
}

noinline void measure_loop_cache64(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(cache64, GFP_KERNEL);

		__asm__ volatile("" : : "r"(p) : "memory");
		kmem_cache_free(cache64, p);
	}
}

int main(int argc, char **argv)
{
	long cg_kmalloc = -1, cg_cache = -1, cg_peer = -1, cg_batch = -1;
	unsigned int cg_batch_cpu = 0;
	const char *cg_peer_name = NULL;
	bool smoke = false;
	unsigned int i;
	int arg;

	for (arg = 1; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--smoke"))
			smoke = true;
		else if (!strcmp(argv[arg], "--pairs") && arg + 1 < argc)
			pairs = atol(argv[++arg]);
		else if (!strcmp(argv[arg], "--objects") && arg + 1 < argc)
			pc_objects = atol(argv[++arg]);
		else if (!strcmp(argv[arg], "--reps") && arg + 1 < argc)
			reps = atoi(argv[++arg]);
		else if (!strcmp(argv[arg], "--callgrind-kmalloc") && arg + 1 < argc)
			cg_kmalloc = atol(argv[++arg]);
		else if (!strcmp(argv[arg], "--callgrind-cache") && arg + 1 < argc)
			cg_cache = atol(argv[++arg]);
		else if (!strcmp(argv[arg], "--callgrind-batch") && arg + 1 < argc)
			cg_batch = atol(argv[++arg]);
		else if (!strcmp(argv[arg], "--callgrind-xcpu") && arg + 1 < argc) {
			cg_batch = atol(argv[++arg]);
			cg_batch_cpu = 1;
		}
		else if (!strcmp(argv[arg], "--callgrind-peer") && arg + 2 < argc) {
			cg_peer_name = argv[++arg];
			cg_peer = atol(argv[++arg]);
		}
		else {
			fprintf(stderr, "usage: %s [--smoke] [--pairs N] [--objects N] [--reps N] "
				"[--callgrind-kmalloc N | --callgrind-cache N | --callgrind-batch N |\n"
				"  --callgrind-xcpu N | --callgrind-peer NAME N]\n",
				argv[0]);
			return 2;
		}
	}
	if (smoke) {
		pairs = 10000;
		pc_objects = 10000;
		reps = 1;
	}
	if (reps < 1 || reps > MAX_REPS || pairs < 16 || pc_objects < 1) {
		fprintf(stderr, "bench_slab: bad arguments\n");
		return 2;
	}
	if (cg_peer >= 0) {
		/* A peer's own count, for reference: glibc, jemalloc, tcmalloc, mimalloc. */
		for (i = 0; i < ARRAY_SIZE(allocs); i++) {
			struct allocator *a = &allocs[i];

			if (a->kind != K_PEER || !strstr(a->name, cg_peer_name))
				continue;
			load_peer(a);
			if (!a->present)
				return 1;
			measure_loop_peer(a, 1000);
			measure_loop_peer(a, cg_peer);
			return 0;
		}
		fprintf(stderr, "bench_slab: no peer '%s'\n", cg_peer_name);
		return 2;
	}
	if (cg_kmalloc < 0 && cg_cache < 0 && cg_batch < 0)
		ensure_static_tls(argv);
	if (bench_boot("mem=4G")) {
		fprintf(stderr, "bench_slab: boot failed\n");
		return 1;
	}
	cache64 = kmem_cache_create("bench64", OBJ_SIZE, 0, SLAB_NO_MERGE, NULL);
	if (!cache64)
		return 1;

	if (cg_batch >= 0) {
		/* Two CPUs' stacks, and the rseq path's CPU switched by hand. */
		if (nr_cpu_ids < 2 || !arch_rseq_fake_cpu(0)) {
			fprintf(stderr, "bench_slab: --callgrind-batch/xcpu need slab_rseq=fake "
				"and two CPUs\n");
			return 77;
		}
		measure_loop_kmalloc64_batch(32000, cg_batch_cpu);	/* barn and slabs warm */
		measure_loop_kmalloc64_batch(cg_batch, cg_batch_cpu);
		return 0;
	}
	if (cg_kmalloc >= 0 || cg_cache >= 0) {
		/* Warm up: this CPU's cache holds objects, pages are touched. */
		measure_loop_kmalloc64(1000);
		measure_loop_cache64(1000);
		if (cg_kmalloc >= 0)
			measure_loop_kmalloc64(cg_kmalloc);
		if (cg_cache >= 0)
			measure_loop_cache64(cg_cache);
		return 0;
	}

	printf("bench_slab: %ld pairs per thread, %ld objects producer/consumer, median of %d; "
	       "%ld CPUs\n", pairs, pc_objects, reps, sysconf(_SC_NPROCESSORS_ONLN));
	for (i = 0; i < ARRAY_SIZE(allocs); i++) {
		if (allocs[i].kind == K_PEER)
			load_peer(&allocs[i]);
		else
			allocs[i].present = true;
	}
	bench_all();
	print_table();
	return 0;
}
