/* SPDX-License-Identifier: MIT */
/*
 * tests/signal_stress.h - allocations in signal handlers that interrupt
 * allocations, shared by tests/test_signals.c (unit size, seeded) and
 * tests/stress_signals.c (a million signals).
 *
 * Worker threads run a seeded script of kmalloc/kfree over mixed sizes
 * (8 bytes to 12 KiB, so slabs of 1 to 8 pages and the large-kmalloc page
 * path), kmem_cache_alloc/free and their bulk forms on a shared cache, and
 * alloc_pages/__free_pages of orders 0-3: bursts of up to 192 objects of
 * one class, so the per-CPU stacks overflow and refill and the slow paths
 * hold list_lock and zone->lock much of the time.  A signaller thread
 * sends SIGUSR1 to the workers (pthread_kill) without pause, with a
 * seeded jitter between sends.  The handler, installed with
 * ukmem_sigaction() (ukmem's interrupt context), does GFP_ATOMIC kmalloc,
 * kmem_cache_alloc and alloc_pages and frees what an earlier signal on the
 * same thread allocated (a ring of 48 per thread, emptied at once now and
 * then), so handler frees land on slabs the handler itself made while
 * list_lock was busy.
 *
 * Every object carries a tag (worker, sequence) in its first word, checked
 * before it is freed: a mismatch is an object handed out twice.  At the
 * end every slab cache is validated, the page allocator checked, and no
 * report (BUG, WARN: the taint mask) may have been printed.
 */
#ifndef _UKMEM_TEST_SIGNAL_STRESS_H
#define _UKMEM_TEST_SIGNAL_STRESS_H

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/context.h>
#include <ukmem/debug.h>
#include <ukmem/slab_debug.h>
#include "mm/internal.h"
#include "ktest.h"

#define SIGS_RING	48	/* objects a handler keeps between signals */
#define SIGS_BURST	192	/* objects a worker holds at most */
#define SIGS_WORKERS	4
#define SIGS_HBURST	24	/* objects of one class a handler takes and frees at once */

enum { SIGS_KMALLOC, SIGS_CACHE, SIGS_PAGES, SIGS_KINDS };

static const unsigned int sigs_sizes[] = {
	8, 16, 24, 40, 64, 96, 128, 192, 256, 500, 1024, 2048, 4000, 8192, 12000,
};

struct sigs_item {
	void *p;
	unsigned int kind, arg;		/* arg: kmalloc size or page order */
	unsigned long tag;		/* what its first word must read */
};

struct sigs_worker {
	pthread_t tid;
	unsigned int id, seed, hseed;
	unsigned long seq;
	struct sigs_item ring[SIGS_RING];	/* the handler's, between signals */
	struct sigs_item held[SIGS_BURST];	/* the worker's own */
	unsigned long handled, h_allocs, h_fails, corrupt;
	volatile int running;
};

struct sigs_run {
	unsigned long target;			/* signals to handle in all */
	unsigned int nr_workers, seed;
	struct kmem_cache *cache;
	struct sigs_worker w[SIGS_WORKERS];
	volatile unsigned long handled;		/* signals handled so far */
	volatile int stop;
	unsigned long sent;
};

static struct sigs_run *sigs_current;
static __thread struct sigs_worker *sigs_self;

static inline unsigned int sigs_rand(unsigned int *seed)
{
	unsigned int x = *seed;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *seed = x;
}

static inline unsigned long sigs_tag(const struct sigs_worker *w, unsigned long seq)
{
	return ((unsigned long)(w->id + 1) << 48) ^ seq ^ 0x5a5a000000000000UL;
}

static inline void *sigs_alloc(struct sigs_run *run, struct sigs_item *it, unsigned int kind,
			       unsigned int r, gfp_t gfp)
{
	struct page *page;

	it->kind = kind;
	switch (kind) {
	case SIGS_KMALLOC:
		it->arg = sigs_sizes[r % (sizeof(sigs_sizes) / sizeof(sigs_sizes[0]))];
		it->p = kmalloc(it->arg, gfp | __GFP_NOWARN);
		break;
	case SIGS_CACHE:
		it->arg = 0;
		it->p = kmem_cache_alloc(run->cache, gfp | __GFP_NOWARN);
		break;
	default:
		it->arg = r % 4;
		page = alloc_pages(gfp | __GFP_NOWARN, it->arg);
		it->p = page ? page_address(page) : NULL;
		break;
	}
	return it->p;
}

static inline void sigs_free(struct sigs_run *run, struct sigs_item *it)
{
	switch (it->kind) {
	case SIGS_KMALLOC:
		kfree(it->p);
		break;
	case SIGS_CACHE:
		kmem_cache_free(run->cache, it->p);
		break;
	default:
		__free_pages(virt_to_page(it->p), it->arg);
		break;
	}
	it->p = NULL;
}

/* Tag a new object in its first word; checked again before it is freed. */
static inline void sigs_mark(struct sigs_worker *w, struct sigs_item *it)
{
	it->tag = sigs_tag(w, ++w->seq);
	*(unsigned long *)it->p = it->tag;
}

static inline void sigs_release(struct sigs_run *run, struct sigs_worker *w, struct sigs_item *it)
{
	if (*(unsigned long *)it->p != it->tag)
		w->corrupt++;
	sigs_free(run, it);
}

static void sigs_handler(int sig)
{
	struct sigs_worker *w = sigs_self;
	struct sigs_run *run = sigs_current;
	unsigned int ops, r, i;

	(void)sig;
	if (!w || !run)
		return;
	r = sigs_rand(&w->hseed);
	if (r % 8 == 0) {
		/* All at once: a burst of frees overflows this CPU's stack. */
		for (i = 0; i < SIGS_RING; i++)
			if (w->ring[i].p)
				sigs_release(run, w, &w->ring[i]);
	}
	if ((r >> 3) % 4 == 0) {
		/* A burst of one class, freed before returning: slabs made and emptied here. */
		struct sigs_item burst[SIGS_HBURST];
		unsigned int n = 1 + (r >> 5) % SIGS_HBURST, kind = (r >> 10) % 2, got;

		for (got = 0; got < n; got++) {
			if (!sigs_alloc(run, &burst[got], kind, r >> 12, GFP_ATOMIC))
				break;
			sigs_mark(w, &burst[got]);
		}
		w->h_allocs += got;
		w->h_fails += got < n;
		while (got--)
			sigs_release(run, w, &burst[got]);
	}
	for (ops = 1 + r % 4; ops; ops--) {
		struct sigs_item *it;

		r = sigs_rand(&w->hseed);
		it = &w->ring[r % SIGS_RING];
		if (it->p) {
			sigs_release(run, w, it);
			continue;
		}
		if (!sigs_alloc(run, it, (r >> 8) % SIGS_KINDS, r >> 12, GFP_ATOMIC)) {
			w->h_fails++;
			continue;
		}
		w->h_allocs++;
		sigs_mark(w, it);
	}
	w->handled++;
	__atomic_fetch_add(&run->handled, 1, __ATOMIC_RELAXED);
}

/* One burst: up to SIGS_BURST objects of one class, freed in a shuffled order. */
static void sigs_burst(struct sigs_run *run, struct sigs_worker *w)
{
	unsigned int r = sigs_rand(&w->seed), kind = r % SIGS_KINDS;
	unsigned int n = 1 + (r >> 4) % SIGS_BURST, i, got = 0;
	void *bulk[SIGS_BURST];

	if (kind == SIGS_CACHE && (r >> 12) % 4 == 0) {
		/* The bulk interface: refills and frees whole batches under list_lock. */
		got = (unsigned int)kmem_cache_alloc_bulk(run->cache, GFP_KERNEL, n, bulk);
		for (i = 0; i < got; i++)
			*(unsigned long *)bulk[i] = sigs_tag(w, i);
		for (i = 0; i < got; i++)
			if (*(unsigned long *)bulk[i] != sigs_tag(w, i))
				w->corrupt++;
		kmem_cache_free_bulk(run->cache, got, bulk);
		return;
	}
	for (i = 0; i < n; i++) {
		struct sigs_item *it = &w->held[got];

		if (!sigs_alloc(run, it, kind, r >> 8, GFP_KERNEL))
			break;
		sigs_mark(w, it);
		got++;
	}
	for (i = got; i > 1; i--) {
		unsigned int j = sigs_rand(&w->seed) % i;
		struct sigs_item t = w->held[i - 1];

		w->held[i - 1] = w->held[j];
		w->held[j] = t;
	}
	for (i = 0; i < got; i++)
		sigs_release(run, w, &w->held[i]);
	if ((r >> 20) % 64 == 0)
		kmem_cache_shrink(run->cache);
}

static void *sigs_worker_main(void *arg)
{
	struct sigs_worker *w = arg;
	struct sigs_run *run = sigs_current;

	sigs_self = w;
	__atomic_store_n(&w->running, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&run->stop, __ATOMIC_ACQUIRE)) {
		sigs_burst(run, w);
		ktest_progress();
	}
	return NULL;
}

static void *sigs_signaller(void *arg)
{
	struct sigs_run *run = arg;
	unsigned int seed = run->seed * 2654435761u + 1, i = 0;

	while (__atomic_load_n(&run->handled, __ATOMIC_RELAXED) < run->target) {
		struct sigs_worker *w = &run->w[i++ % run->nr_workers];
		unsigned int spin = sigs_rand(&seed) % 512;

		pthread_kill(w->tid, SIGUSR1);
		run->sent++;
		while (spin--)
			__asm__ __volatile__("" ::: "memory");
		if ((run->sent & 1023) == 0)
			sched_yield();
	}
	__atomic_store_n(&run->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Run the script: @nr_workers threads, @target signals handled in all.
 * Returns the number of failed checks (corrupt objects, validation
 * errors); everything allocated is freed.
 */
static int sigs_run(struct sigs_run *run, unsigned int nr_workers, unsigned long target,
		    unsigned int seed)
{
	struct sigaction sa;
	pthread_t signaller;
	unsigned int i, j;
	unsigned long corrupt = 0, h_allocs = 0;
	int errors = 0;

	memset(run, 0, sizeof(*run));
	ukmem_clear_taint();
	run->nr_workers = nr_workers;
	run->target = target;
	run->seed = seed;
	run->cache = kmem_cache_create("sigs_cache", 200, 0, SLAB_NO_MERGE, NULL);
	if (!run->cache)
		return 1;
	sigs_current = run;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sigs_handler;
	sigemptyset(&sa.sa_mask);
	if (ukmem_sigaction(SIGUSR1, &sa, NULL))
		return 1;
	for (i = 0; i < nr_workers; i++) {
		run->w[i].id = i;
		run->w[i].seed = seed * 7919u + i * 104729u + 1;
		run->w[i].hseed = seed * 15485863u + i * 32452843u + 1;
		pthread_create(&run->w[i].tid, NULL, sigs_worker_main, &run->w[i]);
	}
	for (i = 0; i < nr_workers; i++)
		while (!__atomic_load_n(&run->w[i].running, __ATOMIC_ACQUIRE))
			sched_yield();
	pthread_create(&signaller, NULL, sigs_signaller, run);
	pthread_join(signaller, NULL);
	for (i = 0; i < nr_workers; i++)
		pthread_join(run->w[i].tid, NULL);
	signal(SIGUSR1, SIG_IGN);
	for (i = 0; i < nr_workers; i++) {
		struct sigs_worker *w = &run->w[i];

		for (j = 0; j < SIGS_RING; j++)
			if (w->ring[j].p)
				sigs_release(run, w, &w->ring[j]);
		corrupt += w->corrupt;
		h_allocs += w->h_allocs;
	}
	if (corrupt) {
		fprintf(stderr, "signal stress: %lu objects handed out twice\n", corrupt);
		errors++;
	}
	if (!h_allocs) {
		fprintf(stderr, "signal stress: no handler allocation succeeded\n");
		errors++;
	}
	if (ukmem_slab_validate_all()) {
		fprintf(stderr, "signal stress: slab validation failed\n");
		errors++;
	}
	kmem_cache_destroy(run->cache);
	if (get_taint()) {
		fprintf(stderr, "signal stress: a report was printed (taint %#lx)\n", get_taint());
		errors++;
	}
	drain_all_pages(NULL);
	if (ukmem_check_page_allocator(NULL)) {
		fprintf(stderr, "signal stress: page allocator inconsistent\n");
		errors++;
	}
	sigs_current = NULL;
	return errors;
}

#endif /* _UKMEM_TEST_SIGNAL_STRESS_H */
