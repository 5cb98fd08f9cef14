/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_batch.c - allocate a batch, then free it all: a parser
 * building a tree and dropping it, a request that allocates its working
 * set and releases it at the end, a frame allocator done with malloc.
 *
 *   bm_batch [-t THREADS] [-n BLOCKS] [-q]   (default 2 threads, 100M blocks)
 *
 * Each thread, in rounds: 1000 blocks of one size (16 to 256 bytes, the
 * size changing every round), each written, then all freed: newest first
 * in most rounds (a stack unwinding), oldest first in every fourth.  A
 * batch overflows any per-thread or per-CPU cache sized for a few hundred
 * objects: what is measured is how cheaply an allocator gets a batch's
 * worth of blocks from its slabs and gives them back.  BLOCKS is the
 * total allocated over all threads.
 */
#include "bm.h"

#define BATCH	1000

static unsigned long rounds_per_thread;
static uint64_t sums[256];

static void *worker(void *arg)
{
	int id = (int)(uintptr_t)arg;
	uint64_t rng = bm_seed(id + 17), sum = 0;
	uint64_t *blocks[BATCH];

	for (unsigned long r = 0; r < rounds_per_thread; r++) {
		size_t size = 16 + (bm_rand(&rng) >> 40) % 241;

		for (int i = 0; i < BATCH; i++) {
			uint64_t *p = bm_malloc(size);

			p[0] = r * BATCH + (uint64_t)i;
			blocks[i] = p;
		}
		if (r % 4 == 3) {
			for (int i = 0; i < BATCH; i++) {
				sum += blocks[i][0];
				free(blocks[i]);
			}
		} else {
			for (int i = BATCH - 1; i >= 0; i--) {
				sum += blocks[i][0];
				free(blocks[i]);
			}
		}
	}
	sums[id] = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 100000000, "batches of 1000 blocks: BLOCKS in all");
	uint64_t sum = 0;

	rounds_per_thread = o.count / BATCH / (unsigned long)o.threads;
	if (!rounds_per_thread)
		rounds_per_thread = 1;
	bm_run_threads(o.threads, worker);
	for (int i = 0; i < o.threads; i++)
		sum += sums[i];
	printf("bm_batch: %d threads x %lu rounds of %d blocks, sum %llu\n", o.threads,
	       rounds_per_thread, BATCH, (unsigned long long)sum);
	return 0;
}
