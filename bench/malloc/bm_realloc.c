/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_realloc.c - buffers grown a little at a time with
 * realloc, as string builders, log lines and parsers' token arrays grow.
 *
 *   bm_realloc [-t THREADS] [-n APPENDS] [-q]   (default 2 threads,
 *                                              10M appends in all)
 *
 * Each thread keeps 32 growing buffers and appends 1-256 bytes to a
 * random one with realloc(buf, len + k): no doubling by the caller, so
 * the allocator decides whether a block can grow in place, is moved
 * (and copied), or is rounded up enough to absorb the next appends.  A
 * buffer that reaches its target length (a random 1 KiB to 2 MiB, so
 * some cross the large-block and host-mapping thresholds) is checked
 * (its bytes are a function of their offset) and, one time in four,
 * shrunk to half with realloc before it is freed; then a new one starts.
 */
#include "bm.h"

#define BUFS	32

struct buf {
	unsigned char *p;
	size_t len, target;
};

static unsigned long appends_per_thread;
static uint64_t sums[256];

static unsigned char byte_at(size_t off, uint64_t salt)
{
	return (unsigned char)(off * 131 + (off >> 9) + salt);
}

static size_t pick_target(uint64_t r)
{
	/* Mostly modest, a long tail up to 2 MiB. */
	switch (r % 16) {
	case 0 ... 10:
		return 1024 + (r >> 8) % (15 * 1024);
	case 11 ... 14:
		return 16384 + (r >> 8) % (240 * 1024);
	default:
		return 262144 + (r >> 8) % (1792 * 1024);
	}
}

static uint64_t finish(struct buf *b, uint64_t salt, uint64_t r)
{
	uint64_t sum = 0;

	for (size_t off = 0; off < b->len; off += 61) {
		if (b->p[off] != byte_at(off, salt))
			bm_die("bm_realloc: contents lost in a realloc");
		sum += b->p[off];
	}
	if ((r & 3) == 0) {
		unsigned char *q = realloc(b->p, b->len / 2 + 1);

		if (!q)
			bm_die("bm_realloc: shrinking realloc failed");
		b->p = q;
		if (q[b->len / 2] != byte_at(b->len / 2, salt))
			bm_die("bm_realloc: contents lost in a shrink");
	}
	free(b->p);
	b->p = NULL;
	b->len = 0;
	return sum;
}

static void *worker(void *arg)
{
	int id = (int)(uintptr_t)arg;
	uint64_t rng = bm_seed(id), sum = 0, salt = (uint64_t)id * 17;
	struct buf bufs[BUFS] = { 0 };

	for (int i = 0; i < BUFS; i++)
		bufs[i].target = pick_target(bm_rand(&rng));
	for (unsigned long n = 0; n < appends_per_thread; n++) {
		uint64_t r = bm_rand(&rng);
		struct buf *b = &bufs[r % BUFS];
		size_t k = 1 + (r >> 8) % 256;
		unsigned char *q = realloc(b->p, b->len + k);

		if (!q)
			bm_die("bm_realloc: realloc failed");
		b->p = q;
		for (size_t i = 0; i < k; i++)
			q[b->len + i] = byte_at(b->len + i, salt);
		b->len += k;
		if (b->len >= b->target) {
			sum += finish(b, salt, r >> 20);
			b->target = pick_target(bm_rand(&rng));
		}
	}
	for (int i = 0; i < BUFS; i++)
		if (bufs[i].p)
			sum += finish(&bufs[i], salt, 1);
	sums[id] = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 10000000, "realloc growth: APPENDS in all");
	uint64_t sum = 0;

	appends_per_thread = o.count / o.threads;
	bm_run_threads(o.threads, worker);
	for (int i = 0; i < o.threads; i++)
		sum += sums[i];
	printf("bm_realloc: %d threads, %lu appends, checksum %llu\n", o.threads,
	       appends_per_thread * o.threads, (unsigned long long)sum);
	return 0;
}
