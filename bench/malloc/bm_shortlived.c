/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_shortlived.c - many threads, each living briefly and
 * allocating short-lived objects: a thread-per-request server, a parallel
 * build step, a task pool that does not reuse its threads.
 *
 *   bm_shortlived [-t CPUS] [-n OBJECTS] [-q]   (default 2: 8 threads at a
 *                                               time; 160M objects in all)
 *
 * 4 x CPUS threads run at once (more threads than CPUs, so they are
 * preempted while they hold cached memory).  Each does 100,000 objects'
 * worth of work and exits, and a new thread takes its place, so 1,600
 * threads come and go with the defaults: what an allocator keeps per
 * thread must be set up cheaply and given back when the thread ends.
 * The work: bursts of 1-32 objects of 8-256 bytes (1 in 16 up to 4 KiB),
 * each written, then freed newest first (like a call tree's temporaries)
 * or, every third burst, oldest first.
 */
#include <stdatomic.h>

#include "bm.h"

#define PER_THREAD	100000
#define MAX_BURST	32

static _Atomic unsigned long next_chunk;
static unsigned long chunks;
static _Atomic uint64_t total_sum;

static void *worker(void *arg)
{
	unsigned long chunk = (unsigned long)(uintptr_t)arg;
	uint64_t rng = bm_seed((unsigned int)chunk), sum = 0;
	unsigned long done = 0;

	while (done < PER_THREAD) {
		uint64_t r = bm_rand(&rng);
		int n = 1 + (int)(r % MAX_BURST);
		uint32_t *burst[MAX_BURST];

		for (int i = 0; i < n; i++) {
			uint64_t x = bm_rand(&rng);
			size_t size = (x & 15) == 0 ? 256 + (x >> 8) % 3841 : 8 + (x >> 8) % 249;

			burst[i] = bm_malloc(size);
			burst[i][0] = (uint32_t)size;
			burst[i][(size / 4) - 1] = (uint32_t)i;
		}
		for (int k = 0; k < n; k++) {
			int i = (r >> 8) % 3 == 0 ? k : n - 1 - k;
			uint32_t size = burst[i][0];

			if (burst[i][size / 4 - 1] != (uint32_t)i)
				bm_die("bm_shortlived: object overwritten");
			sum += size;
			free(burst[i]);
		}
		done += n;
	}
	atomic_fetch_add(&total_sum, sum);
	return NULL;
}

/* One of the 4 x CPUS slots: runs threads one after the other. */
static void *slot(void *arg)
{
	unsigned long c;

	(void)arg;
	while ((c = atomic_fetch_add(&next_chunk, 1)) < chunks) {
		pthread_t t;

		if (pthread_create(&t, NULL, worker, (void *)(uintptr_t)c))
			bm_die("bm_shortlived: pthread_create failed");
		pthread_join(t, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 160000000, "short-lived threads and objects: OBJECTS in all");
	int concurrent = 4 * o.threads;

	chunks = (o.count + PER_THREAD - 1) / PER_THREAD;
	bm_run_threads(concurrent, slot);
	printf("bm_shortlived: %d threads at a time, %lu threads, %llu bytes\n", concurrent,
	       chunks, (unsigned long long)atomic_load(&total_sum));
	return 0;
}
