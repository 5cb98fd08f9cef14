/* SPDX-License-Identifier: MIT */
/*
 * tests/real/xthread_stress.c - producers and consumers passing heap
 * objects through rings, so that nearly every free happens on a thread
 * other than the one that allocated.
 *
 *   xthread_stress [PAIRS] [OBJECTS]      (defaults: 2 producer/consumer
 *                                          pairs, 150000 objects each)
 *
 * Producer i sends its objects round-robin to every consumer through one
 * single-producer/single-consumer ring per (producer, consumer) couple.
 * Each object is filled with a pattern derived from (producer, sequence):
 * the consumer checks every byte, sometimes grows the object with realloc
 * (checking that the old contents came along), sometimes keeps it for a
 * while (so frees arrive in a different order than allocations), then
 * frees it.  Sizes come from a per-producer PRNG: mostly small, some page
 * sized, a few large enough to leave the slab classes.
 *
 * The output is a summary that depends only on the arguments (counts and
 * sums, never timing), so a run on glibc's malloc and a run on ukmem must
 * print exactly the same.  Any corrupted byte, misaligned block or failed
 * allocation prints a message and exits 1.  No allocator is named here:
 * the test driver runs it plain and under `ukmem run`.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING_SLOTS	256	/* per (producer, consumer); a power of two */
#define MAX_PAIRS	16
#define KEEP_SLOTS	64	/* objects a consumer holds back before freeing */

struct obj_head {
	uint32_t producer;
	uint32_t seq;
	size_t size;		/* bytes including this header */
};

struct ring {
	_Atomic uint64_t head;	/* next slot the producer writes */
	char pad1[56];
	_Atomic uint64_t tail;	/* next slot the consumer reads */
	char pad2[56];
	struct obj_head *slot[RING_SLOTS];
};

struct producer_result {
	uint64_t objects, bytes;
};

struct consumer_result {
	uint64_t objects, bytes, sum, reallocs;
};

static int pairs;
static unsigned long objects_per_producer;
static struct ring *rings;		/* [producer][consumer] */
static struct producer_result presult[MAX_PAIRS];
static struct consumer_result cresult[MAX_PAIRS];
static _Atomic int failed;

static struct ring *ring_of(int p, int c)
{
	return &rings[p * pairs + c];
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static unsigned char pattern(uint32_t producer, uint32_t seq, size_t i)
{
	return (unsigned char)(seq * 31u + i * 7u + producer * 131u);
}

static void fail(const char *what, const struct obj_head *h, size_t at)
{
	fprintf(stderr, "xthread_stress: %s (producer %u seq %u size %zu offset %zu)\n",
		what, h ? h->producer : 0, h ? h->seq : 0, h ? h->size : 0, at);
	atomic_store(&failed, 1);
}

static size_t pick_size(uint64_t *rng, uint32_t seq)
{
	uint64_t r = xorshift(rng);

	if (seq % 20000 == 19999)
		return 2 * 1024 * 1024 + r % (4 * 1024 * 1024);	/* around the host threshold */
	switch (r % 100) {
	case 0 ... 69:
		return sizeof(struct obj_head) + (r >> 8) % 240;
	case 70 ... 94:
		return 256 + (r >> 8) % 7936;
	default:
		return 8192 + (r >> 8) % (248 * 1024);
	}
}

static void fill(struct obj_head *h, size_t from)
{
	unsigned char *b = (unsigned char *)h;

	for (size_t i = from; i < h->size; i++)
		b[i] = pattern(h->producer, h->seq, i);
}

/* Checks bytes [sizeof(*h), upto) and returns their sum. */
static uint64_t check(const struct obj_head *h, size_t upto)
{
	const unsigned char *b = (const unsigned char *)h;
	uint64_t sum = 0;

	for (size_t i = sizeof(*h); i < upto; i++) {
		if (b[i] != pattern(h->producer, h->seq, i)) {
			fail("corrupted byte", h, i);
			return 0;
		}
		sum += b[i];
	}
	return sum;
}

static struct obj_head *make_object(uint32_t producer, uint32_t seq, uint64_t *rng)
{
	size_t size = pick_size(rng, seq);
	struct obj_head *h;
	void *p = NULL;

	switch (seq % 16) {
	case 0:		/* calloc: must come back zeroed */
		p = calloc(1, size);
		if (p)
			for (size_t i = 0; i < size; i++)
				if (((unsigned char *)p)[i]) {
					fail("calloc memory not zero", NULL, i);
					break;
				}
		break;
	case 1:		/* over-aligned */
		if (posix_memalign(&p, 64 << (seq % 5), size))
			p = NULL;
		else if ((uintptr_t)p & ((64u << (seq % 5)) - 1))
			fail("posix_memalign misaligned", NULL, (uintptr_t)p);
		break;
	default:
		p = malloc(size);
		break;
	}
	if (!p) {
		fail("allocation failed", NULL, size);
		return NULL;
	}
	if ((uintptr_t)p & 15)
		fail("block not 16-byte aligned", NULL, (uintptr_t)p);
	h = p;
	h->producer = producer;
	h->seq = seq;
	h->size = size;
	fill(h, sizeof(*h));
	return h;
}

static void *producer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg;
	uint64_t rng = 0x9e3779b97f4a7c15ull * (id + 1);

	for (uint32_t seq = 0; seq < objects_per_producer && !atomic_load(&failed); seq++) {
		struct ring *r = ring_of(id, seq % pairs);
		struct obj_head *h = make_object(id, seq, &rng);
		uint64_t head;

		if (!h)
			break;
		presult[id].objects++;
		presult[id].bytes += h->size;
		head = atomic_load_explicit(&r->head, memory_order_relaxed);
		while (head - atomic_load_explicit(&r->tail, memory_order_acquire) == RING_SLOTS) {
			if (atomic_load(&failed))
				return NULL;
			sched_yield();
		}
		r->slot[head % RING_SLOTS] = h;
		atomic_store_explicit(&r->head, head + 1, memory_order_release);
	}
	return NULL;
}

/* Check, maybe grow, then free (or keep for later) one received object. */
static void consume(int id, struct obj_head *h, struct obj_head **keep, unsigned long *nkeep)
{
	struct consumer_result *res = &cresult[id];
	size_t size = h->size;

	res->objects++;
	res->bytes += size;
	res->sum += check(h, size);
	if (h->seq % 7 == 3) {
		/* Grow it: the old bytes must come along, the new ones are ours. */
		size_t grown = size + size / 2 + 24;
		struct obj_head *n = realloc(h, grown);

		if (!n) {
			fail("realloc failed", h, grown);
			free(h);
			return;
		}
		h = n;
		check(h, size);
		h->size = grown;
		fill(h, size);
		res->reallocs++;
	}
	if (h->seq % 5 == 1) {
		unsigned long slot = (h->seq / 5) % KEEP_SLOTS;

		if (keep[slot]) {
			check(keep[slot], keep[slot]->size);
			free(keep[slot]);
		}
		keep[slot] = h;
		if (*nkeep < slot + 1)
			*nkeep = slot + 1;
		return;
	}
	free(h);
}

static void *consumer(void *arg)
{
	int id = (int)(uintptr_t)arg;
	unsigned long expected = 0, got = 0, nkeep = 0;
	struct obj_head *keep[KEEP_SLOTS] = { 0 };

	/* Producer p sends seq s to consumer s % pairs. */
	for (int p = 0; p < pairs; p++)
		expected += objects_per_producer / pairs +
			    (objects_per_producer % pairs > (unsigned long)id ? 1 : 0);
	while (got < expected && !atomic_load(&failed)) {
		int progress = 0;

		for (int p = 0; p < pairs; p++) {
			struct ring *r = ring_of(p, id);
			uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
			uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);

			for (; tail != head; tail++, got++, progress = 1) {
				consume(id, r->slot[tail % RING_SLOTS], keep, &nkeep);
				atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
			}
		}
		if (!progress)
			sched_yield();
	}
	for (unsigned long i = 0; i < nkeep; i++)
		if (keep[i]) {
			check(keep[i], keep[i]->size);
			free(keep[i]);
		}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t prod[MAX_PAIRS], cons[MAX_PAIRS];
	uint64_t objects = 0, bytes = 0, sum = 0, reallocs = 0;

	pairs = argc > 1 ? atoi(argv[1]) : 2;
	objects_per_producer = argc > 2 ? strtoul(argv[2], NULL, 0) : 150000;
	if (pairs < 1 || pairs > MAX_PAIRS || !objects_per_producer) {
		fprintf(stderr, "usage: xthread_stress [PAIRS 1-%d] [OBJECTS]\n", MAX_PAIRS);
		return 2;
	}
	rings = aligned_alloc(64, sizeof(*rings) * pairs * pairs);
	if (!rings) {
		perror("xthread_stress: rings");
		return 1;
	}
	memset(rings, 0, sizeof(*rings) * pairs * pairs);
	for (int i = 0; i < pairs; i++) {
		if (pthread_create(&cons[i], NULL, consumer, (void *)(uintptr_t)i) ||
		    pthread_create(&prod[i], NULL, producer, (void *)(uintptr_t)i)) {
			fprintf(stderr, "xthread_stress: pthread_create failed\n");
			return 1;
		}
	}
	for (int i = 0; i < pairs; i++) {
		pthread_join(prod[i], NULL);
		pthread_join(cons[i], NULL);
	}
	free(rings);
	if (atomic_load(&failed))
		return 1;
	printf("xthread_stress: %d producers, %d consumers, %lu objects each\n",
	       pairs, pairs, objects_per_producer);
	for (int i = 0; i < pairs; i++) {
		printf("producer %d: %llu objects, %llu bytes\n", i,
		       (unsigned long long)presult[i].objects, (unsigned long long)presult[i].bytes);
		objects += presult[i].objects;
		bytes += presult[i].bytes;
	}
	for (int i = 0; i < pairs; i++) {
		printf("consumer %d: %llu objects, %llu bytes, byte sum %llu, %llu grown\n", i,
		       (unsigned long long)cresult[i].objects, (unsigned long long)cresult[i].bytes,
		       (unsigned long long)cresult[i].sum, (unsigned long long)cresult[i].reallocs);
		objects -= cresult[i].objects;
		bytes -= cresult[i].bytes;
		sum += cresult[i].sum;
		reallocs += cresult[i].reallocs;
	}
	if (objects || bytes) {
		printf("FAIL: sent and received differ by %lld objects, %lld bytes\n",
		       (long long)objects, (long long)bytes);
		return 1;
	}
	printf("all objects checked: byte sum %llu, %llu grown\n",
	       (unsigned long long)sum, (unsigned long long)reallocs);
	return 0;
}
