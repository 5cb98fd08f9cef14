/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_prodcons.c - messages allocated on one thread and freed
 * on another, as in a pipeline or a work queue.
 *
 *   bm_prodcons [-t THREADS] [-n MESSAGES] [-q]   (default 2 threads:
 *                                                 1 producer, 1 consumer;
 *                                                 12M messages)
 *
 * THREADS/2 producer/consumer pairs (at least one pair).  A producer
 * allocates a message (32-512 bytes, 1 in 32 a 2-8 KiB one), writes a
 * header and its payload's first and last words, and queues it in
 * batches of 64 on a bounded ring it shares with its consumer; the
 * consumer checks the message and frees it.  Every free is remote: the
 * cost of returning memory to the thread that owns it, and the memory
 * held in flight (up to 4096 messages per pair), are what this measures.
 */
#include <sched.h>
#include <stdatomic.h>

#include "bm.h"

#define BATCH		64
#define RING_BATCHES	64	/* a power of two */

struct msg {
	uint64_t seq;
	uint32_t size;
	uint32_t producer;
	uint64_t payload[];
};

struct ring {
	_Atomic unsigned long head;
	char pad1[56];
	_Atomic unsigned long tail;
	char pad2[56];
	struct msg *batch[RING_BATCHES][BATCH];
};

static int npairs;
static unsigned long per_pair;
static struct ring *rings;
static uint64_t consumed_sum[128];

static void *producer(void *arg)
{
	int id = (int)(uintptr_t)arg;
	struct ring *r = &rings[id];
	uint64_t rng = bm_seed(id);

	for (unsigned long seq = 0; seq < per_pair; seq += BATCH) {
		unsigned long head = atomic_load_explicit(&r->head, memory_order_relaxed);
		struct msg **slot = r->batch[head % RING_BATCHES];

		while (head - atomic_load_explicit(&r->tail, memory_order_acquire) == RING_BATCHES)
			sched_yield();
		for (int i = 0; i < BATCH; i++) {
			uint64_t x = bm_rand(&rng);
			uint32_t size = (x & 31) == 0 ? 2048 + (x >> 8) % 6144 : 32 + (x >> 8) % 481;
			struct msg *m = bm_malloc(size);
			size_t words = (size - sizeof(*m)) / 8;

			m->seq = seq + i;
			m->size = size;
			m->producer = id;
			if (words) {
				m->payload[0] = x;
				m->payload[words - 1] = x ^ m->seq;
			}
			slot[i] = m;
		}
		atomic_store_explicit(&r->head, head + 1, memory_order_release);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	int id = (int)(uintptr_t)arg;
	struct ring *r = &rings[id];
	uint64_t sum = 0;

	for (unsigned long seq = 0; seq < per_pair; seq += BATCH) {
		unsigned long tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		struct msg **slot = r->batch[tail % RING_BATCHES];

		while (atomic_load_explicit(&r->head, memory_order_acquire) == tail)
			sched_yield();
		for (int i = 0; i < BATCH; i++) {
			struct msg *m = slot[i];
			size_t words = (m->size - sizeof(*m)) / 8;

			if (m->seq != seq + i || m->producer != (uint32_t)id ||
			    (words && m->payload[words - 1] != (m->payload[0] ^ m->seq)))
				bm_die("bm_prodcons: corrupted message");
			sum += m->size;
			free(m);
		}
		atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	}
	consumed_sum[id] = sum;
	return NULL;
}

static void *role(void *arg)
{
	int i = (int)(uintptr_t)arg;

	return i % 2 ? consumer((void *)(uintptr_t)(i / 2)) : producer((void *)(uintptr_t)(i / 2));
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 12000000, "producer/consumer: MESSAGES in all");
	uint64_t sum = 0;

	npairs = o.threads / 2 ? o.threads / 2 : 1;
	if (npairs > 128)
		npairs = 128;
	per_pair = (o.count / npairs + BATCH - 1) / BATCH * BATCH;
	rings = aligned_alloc(64, npairs * sizeof(*rings));
	if (!rings)
		bm_die("bm_prodcons: no memory for the rings");
	memset(rings, 0, npairs * sizeof(*rings));
	bm_run_threads(2 * npairs, role);
	for (int i = 0; i < npairs; i++)
		sum += consumed_sum[i];
	free(rings);
	printf("bm_prodcons: %d pairs, %lu messages, %llu bytes\n", npairs, per_pair * npairs,
	       (unsigned long long)sum);
	return 0;
}
