/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_randlive.c - random sizes over a large live set: a
 * cache or an in-memory database that keeps replacing its entries.
 *
 *   bm_randlive [-t THREADS] [-n OPS] [-q]      (default 2 threads,
 *                                               6M replacements in all)
 *
 * Each thread keeps 48k live blocks (about 110 MB per thread at the
 * steady state) whose sizes follow a long-tailed mix: 60% 32-128 bytes,
 * 30% 128 bytes-2 KiB, 9% 2-32 KiB, 1% 32-256 KiB.  Every operation
 * frees a random block and allocates one of a new random size, writing
 * its first and last 16 bytes and a byte in every 4 KiB page (so the
 * whole live set is resident, as it would be if it held data).  What counts: time per replacement with cold caches, and how
 * much memory the allocator needs to hold the live set as the size mix
 * churns (fragmentation shows as peak RSS).  With -q the live set shrinks
 * by 20 as well.
 */
#include "bm.h"

static unsigned long live, ops_per_thread;
static uint64_t sums[256];

static size_t pick_size(uint64_t r)
{
	unsigned int p = (unsigned int)(r % 100);

	r >>= 8;
	if (p < 60)
		return 32 + r % 97;
	if (p < 90)
		return 128 + r % 1921;
	if (p < 99)
		return 2048 + r % (30 * 1024 + 1);
	return 32768 + r % (224 * 1024 + 1);
}

static void *make(uint64_t tag, size_t size)
{
	uint64_t *p = bm_malloc(size);

	p[0] = tag;
	p[1] = size;
	for (size_t off = 4096; off + 16 < size; off += 4096)
		((char *)p)[off] = (char)off;	/* every page in use, as data would be */
	memcpy((char *)p + size - 16, p, 16);
	return p;
}

static uint64_t check(const uint64_t *p)
{
	uint64_t tail[2];

	memcpy(tail, (const char *)p + p[1] - 16, 16);
	if (tail[0] != p[0] || tail[1] != p[1])
		bm_die("bm_randlive: a block was overwritten");
	return p[1];
}

static void *worker(void *arg)
{
	int id = (int)(uintptr_t)arg;
	uint64_t rng = bm_seed(id), sum = 0;
	uint64_t **set = bm_malloc(live * sizeof(*set));

	for (unsigned long i = 0; i < live; i++) {
		uint64_t r = bm_rand(&rng);

		set[i] = make(r, pick_size(r));
	}
	for (unsigned long i = 0; i < ops_per_thread; i++) {
		uint64_t r = bm_rand(&rng);
		unsigned long slot = (r >> 40) % live;

		sum += check(set[slot]);
		free(set[slot]);
		set[slot] = make(r, pick_size(r));
	}
	for (unsigned long i = 0; i < live; i++) {
		sum += check(set[i]);
		free(set[i]);
	}
	free(set);
	sums[id] = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 6000000, "random sizes, large live set: OPS replacements in all");
	uint64_t sum = 0;
	int quick = o.count < 6000000 / 10;

	live = quick ? 48000 / 20 : 48000;
	ops_per_thread = o.count / o.threads;
	bm_run_threads(o.threads, worker);
	for (int i = 0; i < o.threads; i++)
		sum += sums[i];
	printf("bm_randlive: %d threads x %lu live blocks, %lu replacements, %llu bytes checked\n",
	       o.threads, live, ops_per_thread * o.threads, (unsigned long long)sum);
	return 0;
}
