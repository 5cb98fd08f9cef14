/* SPDX-License-Identifier: MIT */
/*
 * tests/slab_stress.h - the multi-threaded slab stress shared by
 * tests/test_slab_threads.c (unit size) and tests/stress_slab.c (long).
 *
 * Each thread runs a fixed pseudo-random script seeded by its id: it
 * allocates from kmalloc (sizes 1..4096, mostly small, a few above 8 KiB)
 * and from two shared caches (one with a constructor), fills each object
 * with a pattern derived from (thread, sequence number), keeps up to
 * SLAB_STRESS_LIVE of them, frees some itself and hands others to another
 * thread through that thread's mailbox, so most frees happen on another
 * thread and often another CPU than the allocation.  Now and then a thread
 * shrinks a cache, which takes every CPU's cache away from the fast paths
 * while the other threads keep running.  Every object's pattern is checked
 * before it is freed, by whichever thread frees it: a mismatch is an object
 * handed out twice, or a neighbour written by the allocator.
 */
#ifndef _UKMEM_TEST_SLAB_STRESS_H
#define _UKMEM_TEST_SLAB_STRESS_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/slab.h>
#include "ktest.h"

#define SLAB_STRESS_LIVE	128
#define SLAB_STRESS_MAILBOX	256
#define SLAB_STRESS_THREADS	64
#define SLAB_STRESS_CTOR_MAGIC	0x5ca1ab1e

struct slab_stress_obj {
	void *p;
	struct kmem_cache *cache;	/* NULL: kmalloc */
	unsigned int size;
	unsigned int owner;
	bool ctor;			/* from the cache with a constructor */
	unsigned long seq;
};

struct slab_stress_mailbox {
	pthread_mutex_t lock;
	struct slab_stress_obj slot[SLAB_STRESS_MAILBOX];
	int n;
};

struct slab_stress_thread {
	struct slab_stress_run *run;
	unsigned int id, seed;
	struct slab_stress_obj live[SLAB_STRESS_LIVE];
	int nr_live;
	unsigned long allocs, frees, handed, remote_frees, corruptions, failures, ctor_bad;
};

struct slab_stress_run {
	unsigned int nr_threads;
	unsigned long ops;
	struct kmem_cache *plain, *ctor;
	struct slab_stress_mailbox mailbox[SLAB_STRESS_THREADS];
	struct slab_stress_thread thread[SLAB_STRESS_THREADS];
	pthread_barrier_t start;
};

static inline unsigned int slab_stress_rand(unsigned int *seed)
{
	unsigned int x = *seed;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *seed = x;
}

static inline unsigned char slab_stress_byte(unsigned int owner, unsigned long seq, unsigned int i)
{
	unsigned long x = ((unsigned long)owner * 0x9e3779b97f4a7c15UL) ^ (seq * 0xbf58476d1ce4e5b9UL) ^ i;

	return (unsigned char)(x ^ (x >> 29) ^ (x >> 47));
}

static void slab_stress_ctor(void *p)
{
	*(unsigned int *)p = SLAB_STRESS_CTOR_MAGIC;
}

static inline void slab_stress_fill(struct slab_stress_obj *o)
{
	unsigned char *b = o->p;
	unsigned int i, start = o->ctor ? 4 : 0;

	for (i = start; i < o->size; i++)
		b[i] = slab_stress_byte(o->owner, o->seq, i);
}

static inline bool slab_stress_check(const struct slab_stress_obj *o)
{
	const unsigned char *b = o->p;
	unsigned int i, start = 0;

	if (o->ctor) {
		if (*(const unsigned int *)b != SLAB_STRESS_CTOR_MAGIC)
			return false;
		start = 4;
	}
	for (i = start; i < o->size; i++)
		if (b[i] != slab_stress_byte(o->owner, o->seq, i))
			return false;
	return true;
}

static void slab_stress_free(struct slab_stress_thread *t, struct slab_stress_obj *o, bool remote)
{
	if (!slab_stress_check(o)) {
		if (!t->corruptions++)
			fprintf(stderr, "slab stress: thread %u: object %p (owner %u seq %lu size %u) corrupted\n",
				t->id, o->p, o->owner, o->seq, o->size);
	}
	if (o->cache) {
		/* Restore the constructed state before it goes back. */
		if (o->ctor)
			*(unsigned int *)o->p = SLAB_STRESS_CTOR_MAGIC;
		kmem_cache_free(o->cache, o->p);
	} else {
		kfree(o->p);
	}
	t->frees++;
	t->remote_frees += remote;
}

static void slab_stress_drain_mailbox(struct slab_stress_thread *t)
{
	struct slab_stress_mailbox *mb = &t->run->mailbox[t->id];
	struct slab_stress_obj got[SLAB_STRESS_MAILBOX];
	int i, n;

	pthread_mutex_lock(&mb->lock);
	n = mb->n;
	memcpy(got, mb->slot, (size_t)n * sizeof(got[0]));
	mb->n = 0;
	pthread_mutex_unlock(&mb->lock);
	for (i = 0; i < n; i++)
		slab_stress_free(t, &got[i], true);
}

static bool slab_stress_post(struct slab_stress_thread *t, unsigned int to, struct slab_stress_obj *o)
{
	struct slab_stress_mailbox *mb = &t->run->mailbox[to];
	bool ok = false;

	pthread_mutex_lock(&mb->lock);
	if (mb->n < SLAB_STRESS_MAILBOX) {
		mb->slot[mb->n++] = *o;
		ok = true;
	}
	pthread_mutex_unlock(&mb->lock);
	return ok;
}

static void slab_stress_alloc(struct slab_stress_thread *t)
{
	struct slab_stress_run *run = t->run;
	unsigned int r = slab_stress_rand(&t->seed);
	struct slab_stress_obj o;

	memset(&o, 0, sizeof(o));
	switch (r % 16) {
	case 0 ... 2:
		o.cache = run->plain;
		o.size = kmem_cache_size(o.cache);
		o.p = kmem_cache_alloc(o.cache, GFP_KERNEL);
		break;
	case 3 ... 4:
		o.cache = run->ctor;
		o.ctor = true;
		o.size = kmem_cache_size(o.cache);
		o.p = kmem_cache_alloc(o.cache, GFP_KERNEL);
		if (o.p && *(unsigned int *)o.p != SLAB_STRESS_CTOR_MAGIC)
			t->ctor_bad++;
		break;
	case 5:
		o.size = 1 + (r >> 8) % 4096;
		o.p = kmalloc(o.size, GFP_ATOMIC);
		break;
	case 6:
		o.size = (r >> 8) & 1 ? 9000 + (r >> 12) % 8000 : 1 + (r >> 8) % 1024;
		o.p = kzalloc(o.size, GFP_KERNEL);
		break;
	default:
		o.size = 1 + (r >> 8) % 256;
		o.p = kmalloc(o.size, GFP_KERNEL);
		break;
	}
	if (!o.p) {
		t->failures++;
		return;
	}
	o.owner = t->id;
	o.seq = t->allocs++;
	slab_stress_fill(&o);
	if (t->nr_live == SLAB_STRESS_LIVE)
		slab_stress_free(t, &t->live[--t->nr_live], false);
	t->live[t->nr_live++] = o;
}

static void *slab_stress_thread_fn(void *arg)
{
	struct slab_stress_thread *t = arg;
	struct slab_stress_run *run = t->run;
	unsigned long op;

	pthread_barrier_wait(&run->start);
	for (op = 0; op < run->ops; op++) {
		unsigned int r = slab_stress_rand(&t->seed) % 100;

		if (!(op & 1023))
			ktest_progress();	/* in a ktest_child: not hung */

		if (r < 55) {
			slab_stress_alloc(t);
		} else if (r < 75 && t->nr_live) {
			int i = (int)(slab_stress_rand(&t->seed) % (unsigned int)t->nr_live);
			struct slab_stress_obj o = t->live[i];

			t->live[i] = t->live[--t->nr_live];
			slab_stress_free(t, &o, false);
		} else if (r < 97 && t->nr_live) {
			/* To another thread, which frees it. */
			unsigned int to = (t->id + 1 + slab_stress_rand(&t->seed) %
					   (run->nr_threads - 1)) % run->nr_threads;

			if (slab_stress_post(t, to, &t->live[t->nr_live - 1])) {
				t->nr_live--;
				t->handed++;
			}
		} else if (r < 99) {
			slab_stress_drain_mailbox(t);
		} else if (slab_stress_rand(&t->seed) % 64 == 0) {
			/* Take every CPU's cache away while the others run. */
			kmem_cache_shrink((slab_stress_rand(&t->seed) & 1) ? run->plain : run->ctor);
		}
	}
	while (t->nr_live)
		slab_stress_free(t, &t->live[--t->nr_live], false);
	return NULL;
}

/* Run the script; 0 if no corruption and no unexpected failure was seen. */
static int run_slab_stress(struct slab_stress_run *run, unsigned int nr_threads,
			   unsigned long ops, unsigned int seed)
{
	pthread_t tid[SLAB_STRESS_THREADS];
	unsigned long allocs = 0, frees = 0;
	unsigned int i;
	int bad = 0;

	if (nr_threads < 2 || nr_threads > SLAB_STRESS_THREADS)
		return -1;
	run->nr_threads = nr_threads;
	run->ops = ops;
	pthread_barrier_init(&run->start, NULL, nr_threads);
	for (i = 0; i < nr_threads; i++) {
		struct slab_stress_thread *t = &run->thread[i];

		memset(t, 0, sizeof(*t));
		t->run = run;
		t->id = i;
		t->seed = seed * 2654435761u + i * 40503u + 1;
		pthread_mutex_init(&run->mailbox[i].lock, NULL);
		run->mailbox[i].n = 0;
	}
	for (i = 0; i < nr_threads; i++)
		pthread_create(&tid[i], NULL, slab_stress_thread_fn, &run->thread[i]);
	for (i = 0; i < nr_threads; i++)
		pthread_join(tid[i], NULL);
	/* What is still in a mailbox is freed by its addressee now. */
	for (i = 0; i < nr_threads; i++)
		slab_stress_drain_mailbox(&run->thread[i]);
	for (i = 0; i < nr_threads; i++) {
		struct slab_stress_thread *t = &run->thread[i];

		allocs += t->allocs;
		frees += t->frees;
		if (t->corruptions || t->failures || t->ctor_bad) {
			fprintf(stderr, "slab stress: thread %u: allocs %lu frees %lu corruptions %lu "
				"failures %lu ctor_bad %lu\n", i, t->allocs, t->frees, t->corruptions,
				t->failures, t->ctor_bad);
			bad++;
		}
	}
	if (allocs != frees) {
		fprintf(stderr, "slab stress: %lu allocations, %lu frees\n", allocs, frees);
		bad++;
	}
	pthread_barrier_destroy(&run->start);
	return bad;
}

#endif /* _UKMEM_TEST_SLAB_STRESS_H */
