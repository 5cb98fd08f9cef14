/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_pair.c - malloc(SIZE)+free pairs in one noinline loop,
 * for bench/callgrind_malloc.sh to count instructions in (not a timed
 * benchmark: bench/malloc/run.sh does not run it).
 *
 *   bm_pair SIZE N      1000 pairs to warm the caches up, then N pairs
 *                       inside measure_loop_malloc()
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) void measure_loop_malloc(size_t size, long n);

__attribute__((noinline)) void measure_loop_malloc(size_t size, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		void *p = malloc(size);

		__asm__ volatile("" : : "r"(p) : "memory");
		free(p);
	}
}

int main(int argc, char **argv)
{
	size_t size;
	long n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: bm_pair SIZE N\n");
		return 2;
	}
	size = strtoul(argv[1], NULL, 0);
	n = atol(argv[2]);
	for (i = 0; i < 1000; i++) {
		void *p = malloc(size);

		__asm__ volatile("" : : "r"(p) : "memory");
		free(p);
	}
	measure_loop_malloc(size, n);
	printf("bm_pair: %ld pairs of %zu bytes\n", n, size);
	return 0;
}
