/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm.h - what the malloc benchmarks share: a PRNG, the
 * command line, a checked malloc, and a barrier.
 *
 * Every benchmark is a plain program that calls malloc and friends; the
 * allocator it measures is whichever one the runner preloads (or glibc's
 * when none is).  Each accepts
 *     -t THREADS   worker threads (default 2, the CPUs of the machine the
 *                  figures come from; the meaning is per benchmark)
 *     -n COUNT     the amount of work (a per-benchmark default)
 *     -q           quick: a twentieth of the default work (CI smoke run)
 * and prints one line that depends only on its arguments, never on timing
 * or on the allocator, so the runner can check that every allocator
 * computed the same thing.  A failed allocation or a corrupted block
 * prints a message and exits 1.
 */
#ifndef BENCH_MALLOC_BM_H
#define BENCH_MALLOC_BM_H

#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bm_opts {
	int threads;
	unsigned long count;
};

static inline uint64_t bm_rand(uint64_t *s)
{
	/* xorshift64*: fast, and good enough to pick sizes and slots. */
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static inline uint64_t bm_seed(unsigned int n)
{
	return 0x9e3779b97f4a7c15ull * (n + 1) ^ 0xd1b54a32d192ed03ull;
}

static inline void bm_die(const char *what)
{
	fprintf(stderr, "%s\n", what);
	exit(1);
}

static inline void *bm_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		bm_die("malloc failed");
	return p;
}

static inline void bm_usage(const char *prog, const char *what)
{
	fprintf(stderr, "usage: %s [-t THREADS] [-n COUNT] [-q]\n  %s\n", prog, what);
	exit(2);
}

/* Parses -t/-n/-q; defaults: 2 threads, default_count of work. */
static inline struct bm_opts bm_parse(int argc, char **argv, unsigned long default_count,
				      const char *what)
{
	struct bm_opts o = { 2, default_count };
	int quick = 0, c;

	while ((c = getopt(argc, argv, "t:n:q")) != -1) {
		switch (c) {
		case 't':
			o.threads = atoi(optarg);
			break;
		case 'n':
			o.count = strtoul(optarg, NULL, 0);
			break;
		case 'q':
			quick = 1;
			break;
		default:
			bm_usage(argv[0], what);
		}
	}
	if (o.threads < 1 || o.threads > 256 || !o.count)
		bm_usage(argv[0], what);
	if (quick)
		o.count = o.count / 20 ? o.count / 20 : 1;
	return o;
}

/* Starts n threads running fn(i) and waits for them all. */
static inline void bm_run_threads(int n, void *(*fn)(void *))
{
	pthread_t *t = bm_malloc(n * sizeof(*t));

	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)(uintptr_t)i))
			bm_die("pthread_create failed");
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
}

#endif /* BENCH_MALLOC_BM_H */
