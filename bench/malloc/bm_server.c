/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_server.c - a server's heap: connection objects replaced
 * at random, handed from thread to thread, threads that come and go.
 *
 *   bm_server [-t THREADS] [-n OPS] [-q]       (default 2 threads, 60M ops)
 *
 * The idea larson made popular: each thread owns a table of live blocks
 * (1000 per table) and, at random, frees one and allocates a replacement
 * of a random size (16-1024 bytes, 1 in 64 up to 16 KiB).  After every
 * epoch the tables rotate between the threads, so most blocks are freed
 * by a thread other than the one that allocated them; after every 8
 * epochs all threads exit and fresh ones take the tables over, as a
 * server replaces its workers.  Each block carries a tag, checked before
 * it is freed.  OPS is the total number of replacements (all threads).
 */
#include "bm.h"

#define SLOTS		1000
#define EPOCHS_PER_GEN	8

struct table {
	void *block[SLOTS];
	uint64_t tag[SLOTS];
};

static int nthreads;
static unsigned long ops_per_epoch;
static struct table *tables;
static pthread_barrier_t barrier;
static unsigned long generation;
static uint64_t checked[256];

static size_t pick_size(uint64_t r)
{
	if ((r & 63) == 0)
		return 1024 + (r >> 8) % (15 * 1024);
	return 16 + (r >> 8) % 1009;
}

static void *place(struct table *t, int slot, uint64_t tag, size_t size)
{
	uint64_t *p = bm_malloc(size);

	p[0] = tag;
	((char *)p)[size - 1] = (char)tag;
	t->block[slot] = p;
	t->tag[slot] = tag;
	return p;
}

static void *worker(void *arg)
{
	int id = (int)(uintptr_t)arg;
	uint64_t rng = bm_seed(id + 7919 * (unsigned int)generation);
	uint64_t sum = 0;

	for (int e = 0; e < EPOCHS_PER_GEN; e++) {
		/* Epoch e: this thread works on table (id + e) % n. */
		struct table *t = &tables[(id + e + generation) % nthreads];

		for (unsigned long i = 0; i < ops_per_epoch; i++) {
			uint64_t r = bm_rand(&rng);
			int slot = (int)(r % SLOTS);
			uint64_t *old = t->block[slot];

			if (old[0] != t->tag[slot])
				bm_die("bm_server: a block's tag changed");
			sum += old[0] & 0xffff;
			free(old);
			place(t, slot, r, pick_size(r >> 16));
		}
		pthread_barrier_wait(&barrier);
	}
	checked[id] += sum;
	return NULL;
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 60000000, "larson-like server: OPS replacements in all");
	unsigned long gens, total = 0;
	uint64_t rng = bm_seed(0), sum = 0;

	nthreads = o.threads;
	/* OPS = generations * 8 epochs * threads * ops_per_epoch */
	ops_per_epoch = 20000;
	gens = o.count / ((unsigned long)EPOCHS_PER_GEN * nthreads * ops_per_epoch);
	if (!gens) {
		gens = 1;
		ops_per_epoch = o.count / ((unsigned long)EPOCHS_PER_GEN * nthreads) + 1;
	}
	tables = bm_malloc(nthreads * sizeof(*tables));
	for (int i = 0; i < nthreads; i++)
		for (int s = 0; s < SLOTS; s++) {
			uint64_t r = bm_rand(&rng);

			place(&tables[i], s, r, pick_size(r >> 16));
		}
	pthread_barrier_init(&barrier, NULL, nthreads);
	for (generation = 0; generation < gens; generation++)
		bm_run_threads(nthreads, worker);
	for (int i = 0; i < nthreads; i++) {
		for (int s = 0; s < SLOTS; s++)
			free(tables[i].block[s]);
		sum += checked[i];
	}
	free(tables);
	total = gens * EPOCHS_PER_GEN * nthreads * ops_per_epoch;
	printf("bm_server: %d threads, %lu replacements, tag sum %llu\n", nthreads, total,
	       (unsigned long long)sum);
	return 0;
}
