/* SPDX-License-Identifier: MIT */
/*
 * bench_slab_debug - what slab debugging and hardening cost.
 *
 * One thread, a 64-byte cache, two patterns:
 *   pair    kmem_cache_alloc + kmem_cache_free in a loop (the per-CPU
 *           fast path; a debug cache has none and goes to its slab)
 *   batch   1000 allocations, then their 1000 frees (slab refills and
 *           returns: where freelist hardening and randomization work)
 * for a plain cache, each debug flag alone (F, Z, P, U; T prints a trace
 * per call and is shown with a smaller count), all of FZPU, and the boot
 * options init_on_alloc=1, init_on_free=1 and slab_freelist_random=1.
 * Every row runs in a child that boots with its own command line; the
 * figure is the median of --reps runs, in ns per alloc+free.
 *
 *   bench_slab_debug [--smoke] [--reps N] [--pairs N]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/slab.h>
#include <ukmem/boot.h>

static long pairs = 2000000;
static int reps = 5;

struct row {
	const char *name;
	const char *cmdline;	/* extra boot options */
	slab_flags_t flags;
	int divide;		/* fewer iterations (SLAB_TRACE prints) */
};

static const struct row rows[] = {
	{ "plain cache", "", 0, 1 },
	{ "F  consistency checks", "", SLAB_CONSISTENCY_CHECKS, 1 },
	{ "Z  red zones", "", SLAB_RED_ZONE, 1 },
	{ "P  poison", "", SLAB_POISON, 1 },
	{ "U  owner tracks", "", SLAB_STORE_USER, 1 },
	{ "T  trace (to /dev/null)", "", SLAB_TRACE, 100 },
	{ "FZPU (slub_debug)", "", SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
					 SLAB_STORE_USER, 1 },
	{ "init_on_alloc=1", "init_on_alloc=1", 0, 1 },
	{ "init_on_free=1", "init_on_free=1", 0, 1 },
	{ "slab_freelist_random=1", "slab_freelist_random=1", 0, 1 },
};

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

static noinline double run_pair(struct kmem_cache *s, long n)
{
	double t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		*(volatile char *)p = 1;
		kmem_cache_free(s, p);
	}
	return (now_ns() - t0) / n;
}

static noinline double run_batch(struct kmem_cache *s, long n)
{
	static void *p[1000];
	double t0 = now_ns();
	long done = 0;
	int i;

	while (done < n) {
		for (i = 0; i < 1000; i++) {
			p[i] = kmem_cache_alloc(s, GFP_KERNEL);
			*(volatile char *)p[i] = 1;
		}
		for (i = 0; i < 1000; i++)
			kmem_cache_free(s, p[i]);
		done += 1000;
	}
	return (now_ns() - t0) / done;
}

/* In the child: boot, measure, write "pair batch" to @fd. */
static void child(const struct row *r, int fd)
{
	char cmdline[256], out[64];
	double pv[64], bv[64];
	struct kmem_cache *s;
	long n = pairs / r->divide;
	int i, len;

	snprintf(cmdline, sizeof(cmdline), "mem=512M %s", r->cmdline);
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline))
		_exit(2);
	s = kmem_cache_create("bench_dbg", 64, 0, r->flags | SLAB_NO_MERGE, NULL);
	run_pair(s, n / 10 + 1);		/* warm up */
	run_batch(s, 1000);
	for (i = 0; i < reps; i++) {
		pv[i] = run_pair(s, n);
		bv[i] = run_batch(s, n);
	}
	qsort(pv, (size_t)reps, sizeof(double), cmp_double);
	qsort(bv, (size_t)reps, sizeof(double), cmp_double);
	len = snprintf(out, sizeof(out), "%f %f\n", pv[reps / 2], bv[reps / 2]);
	if (write(fd, out, (size_t)len) != len)
		_exit(2);
	_exit(0);
}

int main(int argc, char **argv)
{
	double base_pair = 0, base_batch = 0;
	unsigned int i;
	int arg;

	for (arg = 1; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--smoke")) {
			pairs = 20000;
			reps = 1;
		} else if (!strcmp(argv[arg], "--reps") && arg + 1 < argc) {
			reps = atoi(argv[++arg]);
		} else if (!strcmp(argv[arg], "--pairs") && arg + 1 < argc) {
			pairs = atol(argv[++arg]);
		} else {
			fprintf(stderr, "usage: %s [--smoke] [--reps N] [--pairs N]\n", argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > 64)
		reps = 5;
	printf("64-byte cache, one thread, median of %d; ns per alloc+free\n", reps);
	printf("%-26s %10s %10s %9s %9s\n", "", "pair", "batch", "x pair", "x batch");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[128] = "";
		double p = 0, b = 0;
		int fds[2], status;
		ssize_t got;
		pid_t pid;

		if (pipe(fds))
			return 1;
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			child(&rows[i], fds[1]);
		}
		close(fds[1]);
		got = read(fds[0], buf, sizeof(buf) - 1);
		close(fds[0]);
		waitpid(pid, &status, 0);
		if (got <= 0 || sscanf(buf, "%lf %lf", &p, &b) != 2) {
			printf("%-26s (failed)\n", rows[i].name);
			continue;
		}
		if (i == 0) {
			base_pair = p;
			base_batch = b;
		}
		printf("%-26s %10.1f %10.1f %8.1fx %8.1fx\n", rows[i].name, p, b,
		       base_pair ? p / base_pair : 0, base_batch ? b / base_batch : 0);
	}
	return 0;
}
