/* SPDX-License-Identifier: MIT */
/*
 * linux/genalloc.h as Documentation/core-api/genalloc.rst describes it:
 * sizes rounded to the pool's unit, first fit by default with the newest
 * chunk first, exhaustion and refusal (0), the five algorithms (aligned
 * addresses, order alignment, a fixed offset, best fit), the DMA forms
 * and their physical addresses, owners, the queries; the kernel's BUGs
 * (bad and double frees, destroying a pool in use) as warnings that
 * change nothing; managed pools by name; four threads on one pool; a
 * signal handler allocating from the pool whose allocation it
 * interrupted (the lock-free path); and gen_pool_create() as a process's
 * first call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/device.h>
#include <linux/err.h>
#include <linux/genalloc.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest_boot.h"

#define CHUNK	4096

static unsigned char area_a[CHUNK] __aligned(4096), area_b[CHUNK] __aligned(4096);

static const char *dmesg(void)
{
	static char buf[1 << 16];

	ukmem_dmesg(buf, sizeof(buf));
	return buf;
}

static struct gen_pool *pool_with(unsigned char *area, size_t size, int order)
{
	struct gen_pool *pool = gen_pool_create(order, -1);

	CHECK(pool != NULL);
	if (pool)
		CHECK_EQ(gen_pool_add(pool, (unsigned long)area, size, -1), 0);
	return pool;
}

static void test_basic(void)
{
	struct gen_pool *pool = pool_with(area_a, CHUNK, 3);
	unsigned long a, b, c;

	if (!pool)
		return;
	CHECK_EQ(gen_pool_size(pool), CHUNK);
	CHECK_EQ(gen_pool_avail(pool), CHUNK);
	a = gen_pool_alloc(pool, 100);			/* 13 units of 8 bytes */
	b = gen_pool_alloc(pool, 8);
	c = gen_pool_alloc(pool, 1);
	CHECK_EQ(a, (unsigned long)area_a);		/* first fit: the lowest */
	CHECK_EQ(b, a + 104);
	CHECK_EQ(c, b + 8);
	CHECK_EQ(gen_pool_avail(pool), CHUNK - 120);
	CHECK(gen_pool_has_addr(pool, a, 104));
	CHECK(!gen_pool_has_addr(pool, a + CHUNK - 8, 16));
	CHECK(addr_in_gen_pool(pool, c, 8));
	CHECK_EQ(gen_pool_alloc(pool, 0), 0);
	CHECK_EQ(gen_pool_alloc(pool, CHUNK), 0);	/* more than is free */
	memset((void *)a, 0xa1, 100);
	gen_pool_free(pool, b, 8);
	CHECK_EQ(gen_pool_alloc(pool, 8), b);		/* the hole is reused first */
	gen_pool_free(pool, a, 100);
	gen_pool_free(pool, b, 8);
	gen_pool_free(pool, c, 1);
	CHECK_EQ(gen_pool_avail(pool), CHUNK);
	/* Whole: one allocation of everything, then nothing. */
	a = gen_pool_alloc(pool, CHUNK);
	CHECK_EQ(a, (unsigned long)area_a);
	CHECK_EQ(gen_pool_alloc(pool, 8), 0);
	gen_pool_free(pool, a, CHUNK);

	/* Exhaustion one unit at a time: exactly CHUNK / 8 allocations. */
	int n = 0;
	while (gen_pool_alloc(pool, 8))
		n++;
	CHECK_EQ(n, CHUNK / 8);
	CHECK_EQ(gen_pool_avail(pool), 0);
	for (unsigned long p = (unsigned long)area_a; p < (unsigned long)area_a + CHUNK; p += 8)
		gen_pool_free(pool, p, 8);
	CHECK_EQ(gen_pool_avail(pool), CHUNK);
	ukmem_dmesg_clear();
	gen_pool_destroy(pool);
	CHECK(!strstr(dmesg(), "WARNING"));
}

static void count_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk, void *data)
{
	(*(int *)data)++;
}

static void test_chunks_phys_owner(void)
{
	struct gen_pool *pool = gen_pool_create(4, -1);
	void *owner_a = (void *)0xa, *owner_b = (void *)0xb, *got;
	unsigned long x;
	dma_addr_t dma;
	int chunks = 0;
	char *v;

	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(gen_pool_add_owner(pool, (unsigned long)area_a, 0x10000000, CHUNK, -1, owner_a), 0);
	CHECK_EQ(gen_pool_add_owner(pool, (unsigned long)area_b, 0x20000000, CHUNK, -1, owner_b), 0);
	gen_pool_for_each_chunk(pool, count_chunk, &chunks);
	CHECK_EQ(chunks, 2);
	CHECK_EQ(gen_pool_size(pool), 2 * CHUNK);
	/* The newest chunk is tried first. */
	x = gen_pool_alloc_owner(pool, 64, &got);
	CHECK_EQ(x, (unsigned long)area_b);
	CHECK(got == owner_b);
	CHECK_EQ(gen_pool_virt_to_phys(pool, x + 40), 0x20000000 + 40);
	CHECK_EQ(gen_pool_virt_to_phys(pool, (unsigned long)area_a + 100), 0x10000000 + 100);
	CHECK_EQ(gen_pool_virt_to_phys(pool, 16), (phys_addr_t)-1);
	got = NULL;
	gen_pool_free_owner(pool, x, 64, &got);
	CHECK(got == owner_b);

	/* DMA forms: a pointer, and the physical address beside it. */
	v = gen_pool_dma_alloc(pool, 100, &dma);
	CHECK(v == (char *)area_b && dma == 0x20000000);
	memset(v, 0x77, 100);
	gen_pool_free(pool, (unsigned long)v, 100);
	v = gen_pool_dma_zalloc(pool, 100, &dma);
	CHECK(v == (char *)area_b && v[0] == 0 && v[99] == 0);
	gen_pool_free(pool, (unsigned long)v, 100);
	v = gen_pool_dma_alloc_align(pool, 16, NULL, 256);	/* the first 256-byte boundary */
	CHECK(v && (uintptr_t)v % 256 == 0);
	gen_pool_free(pool, (unsigned long)v, 16);
	CHECK(gen_pool_dma_alloc(NULL, 16, &dma) == NULL);
	/* Full chunk B: the next comes from A. */
	x = gen_pool_alloc(pool, CHUNK);
	CHECK_EQ(x, (unsigned long)area_b);
	CHECK_EQ(gen_pool_alloc(pool, 32), (unsigned long)area_a);
	gen_pool_free(pool, (unsigned long)area_a, 32);
	gen_pool_free(pool, x, CHUNK);
	CHECK_EQ(gen_pool_avail(pool), 2 * CHUNK);
	gen_pool_destroy(pool);
}

static void test_algorithms(void)
{
	/* A chunk that starts 8 bytes past a page: alignments are of addresses. */
	struct gen_pool *pool = pool_with(area_a + 8, CHUNK - 8, 3);
	struct genpool_data_align align = { .align = 64 };
	struct genpool_data_fixed fixed = { .offset = 256 };
	unsigned long base = (unsigned long)area_a + 8, x, y, z, h[6];

	if (!pool)
		return;
	x = gen_pool_alloc_algo(pool, 24, gen_pool_first_fit_align, &align);
	CHECK_EQ(x % 64, 0);
	CHECK_EQ(x, (unsigned long)area_a + 64);
	gen_pool_free(pool, x, 24);

	/* Order alignment: a 60-byte block lies on a 64-byte boundary of the chunk. */
	y = gen_pool_alloc(pool, 8);
	x = gen_pool_alloc_algo(pool, 60, gen_pool_first_fit_order_align, NULL);
	CHECK_EQ((x - base) % 64, 0);
	CHECK_EQ(x, base + 64);
	gen_pool_free(pool, x, 60);
	gen_pool_free(pool, y, 8);

	/* A fixed offset, once; then it is taken; an offset within a unit is refused. */
	x = gen_pool_alloc_algo(pool, 32, gen_pool_fixed_alloc, &fixed);
	CHECK_EQ(x, base + 256);
	CHECK_EQ(gen_pool_alloc_algo(pool, 8, gen_pool_fixed_alloc, &fixed), 0);
	fixed.offset = 3;
	ukmem_dmesg_clear();
	CHECK_EQ(gen_pool_alloc_algo(pool, 8, gen_pool_fixed_alloc, &fixed), 0);
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	gen_pool_free(pool, x, 32);

	/*
	 * Best fit: holes of 32, 16 and 64 bytes between blocks; 16 bytes go
	 * to the 16-byte hole, where first fit takes the 32-byte one.
	 */
	for (int i = 0; i < 6; i++)
		h[i] = gen_pool_alloc(pool, i % 2 ? 8 : (i == 0 ? 32 : i == 2 ? 16 : 64));
	gen_pool_free(pool, h[0], 32);
	gen_pool_free(pool, h[2], 16);
	gen_pool_free(pool, h[4], 64);
	z = gen_pool_alloc_algo(pool, 16, gen_pool_best_fit, NULL);
	CHECK_EQ(z, h[2]);
	gen_pool_free(pool, z, 16);
	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	CHECK_EQ(gen_pool_alloc(pool, 16), h[2]);		/* the pool's own algorithm now */
	gen_pool_free(pool, h[2], 16);
	gen_pool_set_algo(pool, NULL, NULL);			/* back to first fit */
	CHECK_EQ(gen_pool_alloc(pool, 16), h[0]);
	gen_pool_free(pool, h[0], 16);
	gen_pool_free(pool, h[1], 8);
	gen_pool_free(pool, h[3], 8);
	gen_pool_free(pool, h[5], 8);
	CHECK_EQ(gen_pool_avail(pool), CHUNK - 8);
	gen_pool_destroy(pool);
}

static void test_bad_calls(void)
{
	struct gen_pool *pool = pool_with(area_a, CHUNK, 3);
	unsigned long a, b;

	if (!pool)
		return;
	a = gen_pool_alloc(pool, 64);
	b = gen_pool_alloc(pool, 64);
	memset((void *)b, 0x3c, 64);
	ukmem_dmesg_clear();
	gen_pool_free(pool, (unsigned long)area_b, 8);		/* not the pool's */
	CHECK_STR_CONTAINS(dmesg(), "is not in the pool");
	ukmem_dmesg_clear();
	gen_pool_free(pool, a, 64);
	gen_pool_free(pool, a, 64);				/* twice */
	CHECK_STR_CONTAINS(dmesg(), "was not allocated");
	CHECK_EQ(gen_pool_avail(pool), CHUNK - 64);		/* counted once */
	ukmem_dmesg_clear();
	gen_pool_free(pool, a, 128);				/* a's free unit and b's */
	CHECK_STR_CONTAINS(dmesg(), "was not allocated");
	CHECK_EQ(gen_pool_alloc(pool, 64), a);			/* b is still in use ... */
	CHECK_EQ(gen_pool_alloc(pool, 64), b + 64);		/* ... and not handed out */
	ukmem_dmesg_clear();
	gen_pool_free(pool, (unsigned long)area_a + CHUNK - 8, 16);	/* past the chunk */
	CHECK_STR_CONTAINS(dmesg(), "ends past its chunk");
	ukmem_dmesg_clear();
	gen_pool_destroy(pool);					/* with memory out */
	CHECK_STR_CONTAINS(dmesg(), "still allocated");
}

static void test_managed(void)
{
	struct device dev = { .init_name = "sram0" };
	struct gen_pool *named, *unnamed;

	named = devm_gen_pool_create(&dev, 5, -1, "sram");
	CHECK(!IS_ERR_OR_NULL(named));
	if (IS_ERR_OR_NULL(named))
		return;
	CHECK(named->name && !strcmp(named->name, "sram"));
	CHECK(gen_pool_get(&dev, "sram") == named);
	CHECK(gen_pool_get(&dev, NULL) == NULL);
	CHECK(devm_gen_pool_create(&dev, 5, -1, "sram") == ERR_PTR(-EINVAL));
	unnamed = devm_gen_pool_create(&dev, 5, -1, NULL);
	CHECK(!IS_ERR_OR_NULL(unnamed));
	CHECK(gen_pool_get(&dev, NULL) == unnamed);
	CHECK(gen_pool_get(&dev, "other") == NULL);
	CHECK_EQ(gen_pool_add(named, (unsigned long)area_b, CHUNK, -1), 0);
	CHECK_EQ(gen_pool_alloc(named, 100), (unsigned long)area_b);
	gen_pool_free(named, (unsigned long)area_b, 100);
	CHECK_EQ(devres_release_all(&dev), 2);			/* both pools destroyed */
	CHECK(gen_pool_get(&dev, "sram") == NULL);
}

/* Across fork: the child's pool is its own copy; both go on allocating. */
static struct gen_pool *fork_pool;
static unsigned long fork_held;

static void genalloc_fork_child(void *unused)
{
	unsigned long b = gen_pool_alloc(fork_pool, 64);

	CHECK_EQ(b, fork_held + 64);				/* the parent's block is taken here too */
	gen_pool_free(fork_pool, b, 64);
	gen_pool_free(fork_pool, fork_held, 64);
	CHECK_EQ(gen_pool_avail(fork_pool), CHUNK);
	gen_pool_destroy(fork_pool);
}

static void test_fork(void)
{
	fork_pool = pool_with(area_a, CHUNK, 3);
	if (!fork_pool)
		return;
	fork_held = gen_pool_alloc(fork_pool, 64);
	CHECK(ktest_exited_with(ktest_child(genalloc_fork_child, NULL), 0));
	CHECK_EQ(gen_pool_avail(fork_pool), CHUNK - 64);	/* the child's frees were its own */
	gen_pool_free(fork_pool, fork_held, 64);
	gen_pool_destroy(fork_pool);
}

/* ---- concurrency ---- */

#define THREAD_CHUNK	(64 << 10)
static struct gen_pool *shared;

static void *pool_worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	unsigned long blocks[16] = { 0 };
	size_t sizes[16] = { 0 };
	long bad = 0;

	for (int round = 0; round < 20000; round++) {
		int slot = rand_r(&seed) % 16;

		if (blocks[slot]) {
			/* Our pattern is intact: no other thread was given any of these bytes. */
			unsigned char mark = (unsigned char)(blocks[slot] >> 3);

			for (size_t i = 0; i < sizes[slot]; i++)
				bad += ((unsigned char *)blocks[slot])[i] != mark;
			gen_pool_free(shared, blocks[slot], sizes[slot]);
			blocks[slot] = 0;
		} else {
			sizes[slot] = 1 + rand_r(&seed) % 200;
			blocks[slot] = gen_pool_alloc(shared, sizes[slot]);
			if (blocks[slot])
				memset((void *)blocks[slot], (unsigned char)(blocks[slot] >> 3),
				       sizes[slot]);
		}
	}
	for (int i = 0; i < 16; i++)
		if (blocks[i])
			gen_pool_free(shared, blocks[i], sizes[i]);
	return (void *)bad;
}

static void test_threads(void)
{
	void *area = kmalloc(THREAD_CHUNK, GFP_KERNEL);
	pthread_t t[4];
	void *bad;

	shared = gen_pool_create(3, -1);
	CHECK(area && shared);
	if (!area || !shared)
		return;
	CHECK_EQ(gen_pool_add(shared, (unsigned long)area, THREAD_CHUNK, -1), 0);
	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, pool_worker, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		CHECK_EQ((long)bad, 0);
	}
	CHECK_EQ(gen_pool_avail(shared), THREAD_CHUNK);
	gen_pool_destroy(shared);
	kfree(area);
}

/* A signal handler allocates from the pool whose allocation it interrupted. */
static volatile sig_atomic_t handler_runs, handler_bad;
static bool stop_signalling;	/* read by the signalling thread: atomic */

static void pool_handler(int sig)
{
	unsigned long p = gen_pool_alloc(shared, 24);

	if (p) {
		memset((void *)p, 0x5e, 24);
		for (int i = 0; i < 24; i++)
			handler_bad += ((unsigned char *)p)[i] != 0x5e;
		gen_pool_free(shared, p, 24);
	}
	handler_runs++;
}

static void *signaller(void *arg)
{
	pthread_t target = *(pthread_t *)arg;

	while (!__atomic_load_n(&stop_signalling, __ATOMIC_RELAXED)) {
		pthread_kill(target, SIGUSR1);
		usleep(100);
	}
	return NULL;
}

static void test_signal_handler(void)
{
	struct sigaction sa = { .sa_handler = pool_handler };
	pthread_t self = pthread_self(), sig_thread;
	unsigned long held[8] = { 0 };
	long rounds = 0, bad = 0;

	shared = pool_with(area_b, CHUNK, 3);
	if (!shared)
		return;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	handler_runs = 0;
	__atomic_store_n(&stop_signalling, false, __ATOMIC_RELAXED);
	CHECK_EQ(pthread_create(&sig_thread, NULL, signaller, &self), 0);
	/* No deadline: until the handler has run often enough, however slow the machine. */
	while (handler_runs < 200) {
		int slot = (int)(rounds++ % 8);

		if (held[slot]) {
			for (int i = 0; i < 40; i++)
				bad += ((unsigned char *)held[slot])[i] != (unsigned char)slot;
			gen_pool_free(shared, held[slot], 40);
			held[slot] = 0;
		} else if ((held[slot] = gen_pool_alloc(shared, 40))) {
			memset((void *)held[slot], slot, 40);
		}
	}
	__atomic_store_n(&stop_signalling, true, __ATOMIC_RELAXED);
	pthread_join(sig_thread, NULL);
	signal(SIGUSR1, SIG_DFL);
	for (int i = 0; i < 8; i++)
		if (held[i])
			gen_pool_free(shared, held[i], 40);
	CHECK_EQ(bad, 0);
	CHECK_EQ(handler_bad, 0);
	CHECK_EQ(gen_pool_avail(shared), CHUNK);
	gen_pool_destroy(shared);
}

/* The process's first ukmem call is gen_pool_create(): it boots the machine. */
static void first_call(void *unused)
{
	struct gen_pool *pool = gen_pool_create(3, -1);
	unsigned long a;

	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(gen_pool_add(pool, (unsigned long)area_a, CHUNK, -1), 0);
	a = gen_pool_alloc(pool, 10);
	CHECK_EQ(a, (unsigned long)area_a);
	gen_pool_free(pool, a, 10);
	gen_pool_destroy(pool);
}


int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_basic), KTEST(test_chunks_phys_owner), KTEST(test_algorithms),
		  KTEST(test_bad_calls), KTEST(test_managed), KTEST(test_fork), KTEST(test_threads),
		  KTEST(test_signal_handler));
}
