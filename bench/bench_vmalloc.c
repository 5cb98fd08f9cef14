/* SPDX-License-Identifier: MIT */
/*
 * bench_vmalloc - vmalloc()+vfree() against mmap()+munmap(), and fork()
 * with vmalloc'd memory against fork() with glibc malloc'd memory.
 *
 * Pairs: 64 KiB and 1 MiB, each
 *   untouched  allocate and free;
 *   touched    one byte written per page in between;
 *   fresh      64 allocations, then 64 frees, then vm_unmap_aliases():
 *              no allocation can reuse a just-freed range, and the purge
 *              is paid (mmap's row does the same without the purge).
 * Each figure is the median of --reps runs of --iters pairs, in
 * microseconds per pair, ukmem and mmap side by side in one run.
 *
 * fork: 0, 64 MiB and 1 GiB written (a byte per page) with vmalloc(), and
 * the same with glibc's malloc(), then fork(), the child _exit()s at once,
 * waitpid(): the parent's fork() call and the whole round trip, median of
 * --fork-reps, in milliseconds.  ukmem's fork copies the vmalloc memory
 * for the child (docs/vmalloc.md).
 *
 *   bench_vmalloc [--iters N] [--reps N] [--fork-reps N] [--no-fork] [--smoke]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vmalloc.h>
#include <ukmem/boot.h>

static int opt_iters = 2000, opt_reps = 7, opt_fork_reps = 5, opt_fork = 1;
static unsigned long opt_fork_max = 1UL << 30;

#define BATCH	64

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void touch(volatile char *p, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += 4096)
		p[off] = 1;
}

static void *must(void *p, const char *what, size_t size)
{
	if (!p) {
		fprintf(stderr, "%s(%zu) failed\n", what, size);
		exit(1);
	}
	return p;
}

enum variant { UNTOUCHED, TOUCHED, FRESH };

/* One side of the comparison. */
struct side {
	const char *name;
	void *(*alloc)(size_t size);
	void (*free)(void *p, size_t size);
	void (*settle)(void);		/* after a batch of frees */
};

static void *v_alloc(size_t size)
{
	return vmalloc(size);
}

static void v_free(void *p, size_t size)
{
	(void)size;
	vfree(p);
}

static void *m_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void m_free(void *p, size_t size)
{
	munmap(p, size);
}

static void nothing(void)
{
}

static const struct side ukmem_side = { "vmalloc", v_alloc, v_free, vm_unmap_aliases };
static const struct side mmap_side = { "mmap", m_alloc, m_free, nothing };

/* One repetition: microseconds per pair. */
static double run(const struct side *s, size_t size, enum variant v)
{
	void *batch[BATCH];
	double t0 = now_us();
	int i, j;

	if (v == FRESH) {
		for (i = 0; i + BATCH <= opt_iters; i += BATCH) {
			for (j = 0; j < BATCH; j++)
				batch[j] = must(s->alloc(size), s->name, size);
			for (j = 0; j < BATCH; j++)
				s->free(batch[j], size);
			s->settle();
		}
		return (now_us() - t0) / i;
	}
	for (i = 0; i < opt_iters; i++) {
		char *p = must(s->alloc(size), s->name, size);

		if (v == TOUCHED)
			touch(p, size);
		s->free(p, size);
	}
	return (now_us() - t0) / opt_iters;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

static double median_of(const struct side *s, size_t size, enum variant v)
{
	double r[64];
	int i;

	run(s, size, v);	/* warm-up */
	for (i = 0; i < opt_reps; i++)
		r[i] = run(s, size, v);
	return median(r, opt_reps);
}

/* fork() with @p's memory: parent's fork() call and the round trip, ms. */
static void time_fork(double *call_ms, double *trip_ms)
{
	double call[64], trip[64];
	int i;

	for (i = 0; i < opt_fork_reps; i++) {
		double t0 = now_us(), t1;
		pid_t pid = fork();
		int status;

		if (pid == 0)
			_exit(0);
		t1 = now_us();
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			perror("fork");
			exit(1);
		}
		call[i] = (t1 - t0) / 1e3;
		trip[i] = (now_us() - t0) / 1e3;
	}
	*call_ms = median(call, opt_fork_reps);
	*trip_ms = median(trip, opt_fork_reps);
}

static void bench_fork(void)
{
	static const unsigned long sizes[] = { 0, 64UL << 20, 1UL << 30 };
	int i;

	printf("\nfork: fork() + child _exit + waitpid, median of %d, ms\n", opt_fork_reps);
	printf("%-8s %18s %18s %18s %18s\n", "written", "vmalloc: fork()", "round trip",
	       "glibc: fork()", "round trip");
	ukmem_install_atfork();
	vfree(vmalloc(4096));		/* vmalloc in use, even for the 0 row */
	for (i = 0; i < 3 && sizes[i] <= opt_fork_max; i++) {
		unsigned long size = sizes[i];
		char *v = size ? must(vmalloc(size), "vmalloc", size) : NULL;
		char *m = size ? must(malloc(size), "malloc", size) : NULL;
		double vc, vt, mc, mt;

		if (v)
			touch(v, size);
		time_fork(&vc, &vt);
		vfree(v);
		vm_unmap_aliases();
		if (m)
			touch(m, size);
		time_fork(&mc, &mt);
		free(m);
		printf("%-8s %18.2f %18.2f %18.2f %18.2f\n",
		       !size ? "0" : size < (1UL << 30) ? "64 MiB" : "1 GiB", vc, vt, mc, mt);
	}
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "untouched", "touched", "fresh" };
	static const size_t sizes[] = { 64 << 10, 1 << 20 };
	int i, v;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			opt_iters = BATCH;
			opt_reps = 1;
			opt_fork_reps = 1;
			opt_fork_max = 64UL << 20;
		} else if (!strcmp(argv[i], "--iters") && i + 1 < argc) {
			opt_iters = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			opt_reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--fork-reps") && i + 1 < argc) {
			opt_fork_reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--no-fork")) {
			opt_fork = 0;
		} else {
			fprintf(stderr, "usage: %s [--iters N] [--reps N] [--fork-reps N] [--no-fork] [--smoke]\n",
				argv[0]);
			return 2;
		}
	}
	if (opt_iters < BATCH || opt_reps < 1 || opt_reps > 64 || opt_fork_reps < 1 ||
	    opt_fork_reps > 64)
		return 2;
	if (ukmem_boot("mem=2G loglevel=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	printf("bench_vmalloc: %d pairs per run, median of %d runs, us per pair\n",
	       opt_iters, opt_reps);
	printf("%-8s %-10s %14s %12s %8s\n", "size", "variant", "vmalloc+vfree", "mmap+munmap",
	       "ratio");
	for (i = 0; i < 2; i++)
		for (v = 0; v < 3; v++) {
			double vm = median_of(&ukmem_side, sizes[i], v);
			double mm = median_of(&mmap_side, sizes[i], v);

			printf("%-8s %-10s %14.2f %12.2f %8.2f\n", i ? "1 MiB" : "64 KiB", names[v],
			       vm, mm, vm / mm);
		}
	if (opt_fork)
		bench_fork();
	return 0;
}
