/* SPDX-License-Identifier: MIT */
/*
 * tests/page_stress.h - the deterministic multi-threaded page allocator
 * stress shared by tests/test_page_stress.c (unit size) and
 * tests/stress_page_alloc.c (long run).
 *
 * Each thread runs a fixed pseudo-random script (seeded by its id): it
 * allocates orders 0-4 (mostly 0 and 1) with a mix of gfp flags, fills each
 * block with a pattern derived from (thread, sequence number), keeps up to
 * STRESS_LIVE blocks, frees some itself and hands some to another thread
 * through that thread's locked mailbox.  Every block's pattern is verified
 * before it is freed, by whichever thread frees it: a mismatch is memory
 * the allocator handed out twice or a free that corrupted a neighbour.
 * Which thread ends up freeing what depends on timing; the scripts do not.
 */
#ifndef _UKMEM_TEST_PAGE_STRESS_H
#define _UKMEM_TEST_PAGE_STRESS_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include "mm/internal.h"
#include "ktest.h"

#define STRESS_LIVE		64	/* blocks a thread keeps at most */
#define STRESS_MAILBOX		128	/* blocks waiting in a mailbox at most */
#define STRESS_MAX_THREADS	64

struct stress_block {
	struct page *page;
	unsigned int order;
	unsigned int owner;		/* thread that allocated and filled it */
	unsigned long seq;		/* its sequence number there */
	bool compound;
};

struct stress_mailbox {
	pthread_mutex_t lock;
	struct stress_block slot[STRESS_MAILBOX];
	int n;
};

struct stress_thread {
	struct stress_run *run;
	unsigned int id;
	unsigned int seed;
	struct stress_block live[STRESS_LIVE];
	int nr_live;
	/* Results. */
	unsigned long allocs, frees, remote_frees, handed_off, expected_failures;
	unsigned long corruptions, unexpected_failures, zero_failures, bad_zone;
};

struct stress_run {
	unsigned int nr_threads;
	unsigned long ops;
	struct stress_mailbox mailbox[STRESS_MAX_THREADS];
	struct stress_thread thread[STRESS_MAX_THREADS];
	pthread_mutex_t report_lock;
	unsigned long reported;
};

static inline unsigned int stress_rand(unsigned int *seed)
{
	/* xorshift32: deterministic, cheap, good enough for a script. */
	unsigned int x = *seed;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *seed = x;
}

static inline u64 stress_word(unsigned int owner, unsigned long seq, unsigned long i)
{
	u64 x = ((u64)owner << 56) ^ ((u64)seq << 20) ^ i;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x | 1;	/* never 0, so a zeroed page never passes */
}

static inline void stress_fill(const struct stress_block *b)
{
	u64 *w = page_address(b->page);
	unsigned long i, n = (PAGE_SIZE << b->order) / sizeof(u64);

	for (i = 0; i < n; i++)
		w[i] = stress_word(b->owner, b->seq, i);
}

static inline bool stress_verify(struct stress_run *run, const struct stress_block *b,
				 unsigned int verifier)
{
	const u64 *w = page_address(b->page);
	unsigned long i, n = (PAGE_SIZE << b->order) / sizeof(u64);

	for (i = 0; i < n; i++) {
		if (w[i] != stress_word(b->owner, b->seq, i)) {
			pthread_mutex_lock(&run->report_lock);
			if (run->reported++ < 10)
				fprintf(stderr, "stress: CORRUPTION pfn %#lx order %u owner %u seq %lu "
					"word %lu: %#llx, expected %#llx (verified by thread %u)\n",
					page_to_pfn(b->page), b->order, b->owner, b->seq, i,
					(unsigned long long)w[i],
					(unsigned long long)stress_word(b->owner, b->seq, i), verifier);
			pthread_mutex_unlock(&run->report_lock);
			return false;
		}
	}
	return true;
}

static inline void stress_free_block(struct stress_thread *t, const struct stress_block *b)
{
	if (!stress_verify(t->run, b, t->id))
		t->corruptions++;
	if (b->compound && !PageHead(b->page))
		t->corruptions++;
	/* Poison it on the way out, so a stale user would be caught too. */
	memset(page_address(b->page), 0x6b, PAGE_SIZE << b->order);
	__free_pages(b->page, b->order);
	t->frees++;
}

static inline void stress_drain_mailbox(struct stress_thread *t, int max)
{
	struct stress_mailbox *mb = &t->run->mailbox[t->id];
	struct stress_block got[8];
	int n = 0;

	if (max > 8)
		max = 8;
	pthread_mutex_lock(&mb->lock);
	while (n < max && mb->n > 0)
		got[n++] = mb->slot[--mb->n];
	pthread_mutex_unlock(&mb->lock);
	while (n-- > 0) {
		stress_free_block(t, &got[n]);
		t->remote_frees++;
	}
}

static inline bool stress_hand_off(struct stress_thread *t, const struct stress_block *b,
				   unsigned int to)
{
	struct stress_mailbox *mb = &t->run->mailbox[to];
	bool ok = false;

	pthread_mutex_lock(&mb->lock);
	if (mb->n < STRESS_MAILBOX) {
		mb->slot[mb->n++] = *b;
		ok = true;
	}
	pthread_mutex_unlock(&mb->lock);
	return ok;
}

static inline unsigned int stress_pick_order(unsigned int r)
{
	r %= 100;
	if (r < 50)
		return 0;
	if (r < 75)
		return 1;
	if (r < 87)
		return 2;
	if (r < 95)
		return 3;
	return 4;
}

static void *stress_thread_fn(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_run *run = t->run;
	unsigned long seq;

	for (seq = 0; seq < run->ops; seq++) {
		unsigned int r = stress_rand(&t->seed);

		if (!(seq & 1023))
			ktest_progress();	/* in a ktest_child: not hung */
		bool do_alloc = t->nr_live == 0 ||
				(t->nr_live < STRESS_LIVE && (r & 0xff) < 140);

		if ((seq & 3) == 0)
			stress_drain_mailbox(t, 2);
		if (do_alloc) {
			struct stress_block b;
			unsigned int kind = (r >> 8) % 16;
			bool may_fail = false, zero = false, dma = false;
			gfp_t gfp;

			b.order = stress_pick_order(r >> 12);
			b.owner = t->id;
			b.seq = seq;
			b.compound = false;
			switch (kind) {
			case 0: case 1: case 2: case 3: case 4:
				gfp = GFP_KERNEL;
				break;
			case 5: case 6:
				gfp = GFP_KERNEL | __GFP_ZERO;
				zero = true;
				break;
			case 7: case 8:
				gfp = GFP_HIGHUSER_MOVABLE;
				break;
			case 9:
				gfp = GFP_KERNEL | __GFP_RECLAIMABLE;
				break;
			case 10: case 11:
				gfp = GFP_ATOMIC | __GFP_NOWARN;
				may_fail = true;
				break;
			case 12:
				gfp = GFP_NOWAIT;
				may_fail = true;
				break;
			case 13:
				gfp = GFP_KERNEL | __GFP_COMP;
				b.compound = b.order > 0;
				break;
			case 14:
				gfp = GFP_KERNEL | GFP_DMA32;
				break;
			default:
				gfp = GFP_KERNEL | GFP_DMA | __GFP_NORETRY | __GFP_NOWARN;
				dma = true;
				may_fail = true;
				b.order = 0;
				break;
			}
			b.page = alloc_pages(gfp, b.order);
			if (!b.page) {
				if (may_fail)
					t->expected_failures++;
				else
					t->unexpected_failures++;
				continue;
			}
			t->allocs++;
			if (dma && page_zonenum(b.page) != ZONE_DMA)
				t->bad_zone++;
			if (zero) {
				const u64 *w = page_address(b.page);
				unsigned long i, n = (PAGE_SIZE << b.order) / sizeof(u64);

				for (i = 0; i < n; i++)
					if (w[i]) {
						t->zero_failures++;
						break;
					}
			}
			stress_fill(&b);
			t->live[t->nr_live++] = b;
		} else {
			int victim = (int)((r >> 8) % (unsigned int)t->nr_live);
			struct stress_block b = t->live[victim];

			t->live[victim] = t->live[--t->nr_live];
			/* One in six goes to another thread to free. */
			if (run->nr_threads > 1 && (r >> 20) % 6 == 0) {
				unsigned int to = (t->id + 1 + (r >> 24) % (run->nr_threads - 1)) %
						  run->nr_threads;

				if (stress_hand_off(t, &b, to)) {
					t->handed_off++;
					continue;
				}
			}
			stress_free_block(t, &b);
		}
	}
	while (t->nr_live > 0)
		stress_free_block(t, &t->live[--t->nr_live]);
	return NULL;
}

/*
 * Run @nr_threads scripts of @ops operations; everything is freed at the
 * end (mailboxes drained by the caller's thread).  Returns the number of
 * problems found, each printed.
 */
static inline unsigned long run_page_stress(struct stress_run *run, unsigned int nr_threads,
					    unsigned long ops, unsigned int seed)
{
	pthread_t tid[STRESS_MAX_THREADS];
	struct stress_thread sweeper;
	unsigned long problems = 0, allocs = 0, frees = 0, remote = 0, handed = 0;
	unsigned int i;

	memset(run, 0, sizeof(*run));
	run->nr_threads = nr_threads;
	run->ops = ops;
	pthread_mutex_init(&run->report_lock, NULL);
	for (i = 0; i < nr_threads; i++) {
		pthread_mutex_init(&run->mailbox[i].lock, NULL);
		run->thread[i].run = run;
		run->thread[i].id = i;
		run->thread[i].seed = seed * 2654435761u + i * 40503u + 1;
	}
	for (i = 0; i < nr_threads; i++)
		if (pthread_create(&tid[i], NULL, stress_thread_fn, &run->thread[i])) {
			fprintf(stderr, "stress: pthread_create failed\n");
			return 1;
		}
	for (i = 0; i < nr_threads; i++)
		pthread_join(tid[i], NULL);

	/* What is left in the mailboxes: verified and freed here. */
	memset(&sweeper, 0, sizeof(sweeper));
	sweeper.run = run;
	for (i = 0; i < nr_threads; i++) {
		sweeper.id = i;
		while (run->mailbox[i].n)
			stress_drain_mailbox(&sweeper, 8);
	}

	for (i = 0; i < nr_threads; i++) {
		struct stress_thread *t = &run->thread[i];

		problems += t->corruptions + t->unexpected_failures + t->zero_failures + t->bad_zone;
		if (t->corruptions || t->unexpected_failures || t->zero_failures || t->bad_zone)
			fprintf(stderr, "stress: thread %u: %lu corruptions, %lu unexpected NULLs, "
				"%lu unzeroed __GFP_ZERO blocks, %lu wrong-zone blocks\n", i,
				t->corruptions, t->unexpected_failures, t->zero_failures, t->bad_zone);
		allocs += t->allocs;
		frees += t->frees;
		remote += t->remote_frees;
		handed += t->handed_off;
	}
	problems += sweeper.corruptions;
	frees += sweeper.frees;
	remote += sweeper.remote_frees;
	if (allocs != frees) {
		fprintf(stderr, "stress: %lu blocks allocated, %lu freed\n", allocs, frees);
		problems++;
	}
	if (handed != remote) {
		fprintf(stderr, "stress: %lu blocks handed off, %lu freed remotely\n", handed, remote);
		problems++;
	}
	if (nr_threads > 1 && !remote) {
		fprintf(stderr, "stress: no block was freed by another thread\n");
		problems++;
	}
	return problems;
}

#endif /* _UKMEM_TEST_PAGE_STRESS_H */
