/* SPDX-License-Identifier: MIT */
/*
 * tests/sanitizers/kasan_kunit.c - the kernel's mm/kasan/kasan_test_c.c, as far as
 * ukmem's KASAN reaches: a program built with -fsanitize=address that links
 * the ordinary library (mm/sanitizers.c marks what it hands out and takes
 * back, as the kernel's KASAN hooks do).
 *
 * Where a kernel case expects a KASAN report for an access, this one asks
 * ASan whether the byte is poisoned (__asan_address_is_poisoned) instead of
 * touching it: the same expectation, no crash to catch.  Where the kernel
 * expects an access to pass, the byte must be open (and is written).  Where
 * it expects a report from the allocator itself (a double or invalid
 * free, ksize() or krealloc() of a freed object, a user copy past an
 * object: the library's own copies, which ASan does not see), the log
 * must hold one and the program must go on.  The cases that
 * are about the instrumented compiler alone (globals, stack, alloca,
 * bitops, atomics, mem and str functions: ASan's own interceptors) or about
 * tag-based modes (pointer tags, quarantine-free reuse) have nothing of the
 * library's to check and are not here.
 *
 * Built only where the compiler builds ASan programs, and not in the
 * sanitizer builds (whose library is itself instrumented).
 */
#define _GNU_SOURCE
#include <sanitizer/asan_interface.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/slab_debug.h>
#include "slab_test.h"
#include "mm/slab.h"

/* KASAN's generic granule, which ASan's shadow shares. */
#define GRANULE	8

static bool poisoned(const void *p)
{
	return __asan_address_is_poisoned(p);
}

/* Every byte of [p, p + n) open. */
static bool all_open(const void *p, size_t n)
{
	return __asan_region_is_poisoned((void *)p, n) == NULL;
}

/* Some byte of [p, p + n) poisoned: a memset over it would be reported. */
static bool some_poisoned(const void *p, size_t n)
{
	return __asan_region_is_poisoned((void *)p, n) != NULL;
}

/* kmalloc_oob_right: past the size asked for, within the size class. */
static void kmalloc_oob_right(void)
{
	size_t size = 128 - GRANULE - 5;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	ptr[0] = ptr[size - 1] = 'x';
	CHECK(all_open(ptr, size));
	CHECK(poisoned(ptr + size));		/* generic mode is precise */
	CHECK(poisoned(ptr + size + 5));	/* the next granule */
	kfree(ptr);
}

/* kmalloc_track_caller_oob_right: both track_caller forms mark the same. */
static void kmalloc_track_caller_oob_right(void)
{
	size_t size = 128 - GRANULE;
	char *ptr = kmalloc_track_caller(size, GFP_KERNEL);

	CHECK(ptr && poisoned(ptr + size));
	kfree(ptr);
	ptr = kmalloc_node_track_caller(size, GFP_KERNEL, 0);
	CHECK(ptr && poisoned(ptr + size));
	kfree(ptr);
}

/* kmalloc_big_oob_right: the largest slab class, not yet pages. */
static void kmalloc_big_oob_right(void)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE - 256;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	CHECK(all_open(ptr, size));
	CHECK(poisoned(ptr + size));
	kfree(ptr);
}

/* kmalloc_large_oob_right / _uaf: the page allocator's kmalloc. */
static void kmalloc_large_oob_right_uaf(void)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	CHECK(all_open(ptr, size));
	CHECK(poisoned(ptr + size));
	kfree(ptr);
	CHECK(poisoned(ptr));
}

/*
 * kmalloc_large_invalid_free: kfree() of a pointer inside a large kmalloc
 * is reported, and the program goes on.
 */
static void kmalloc_large_invalid_free(void)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	ukmem_dmesg_clear();
	kfree(ptr + 1);
	CHECK(strstr(log_text(), "WARNING") || strstr(log_text(), "BUG"));
	/* The block was not taken back: it is still the caller's, and frees cleanly. */
	CHECK(all_open(ptr, size));
	ukmem_dmesg_clear();
	kfree(ptr);
	CHECK_EQ(strlen(log_text()), 0);
	CHECK(poisoned(ptr));
}

/* page_alloc_uaf: an order-4 block, freed, is closed. */
static void page_alloc_uaf(void)
{
	unsigned int order = 4;
	struct page *pages = alloc_pages(GFP_KERNEL, order);
	char *ptr;

	CHECK(pages);
	if (!pages)
		return;
	ptr = page_address(pages);
	CHECK(all_open(ptr, PAGE_SIZE << order));
	free_pages((unsigned long)ptr, order);
	CHECK(poisoned(ptr));
}

/* krealloc_more_oob_helper: every offset below size2 open, size2 on closed. */
static void krealloc_more(size_t size1, size_t size2)
{
	size_t middle = size1 + (size2 - size1) / 2;
	char *ptr1, *ptr2;

	ptr1 = kmalloc(size1, GFP_KERNEL);
	CHECK(ptr1);
	if (!ptr1)
		return;
	ptr2 = krealloc(ptr1, size2, GFP_KERNEL);
	CHECK(ptr2);
	if (!ptr2) {
		kfree(ptr1);
		return;
	}
	CHECK(all_open(ptr2, size2));
	ptr2[size1 - 1] = ptr2[size1] = ptr2[middle] = ptr2[size2 - 1] = 'x';
	CHECK(poisoned(ptr2 + size2));
	CHECK(poisoned(ptr2 + round_up(size2, GRANULE)));
	kfree(ptr2);
}

/* krealloc_less_oob_helper: below size2 open; size2, middle, size1 - 1 closed. */
static void krealloc_less(size_t size1, size_t size2)
{
	size_t middle = size2 + (size1 - size2) / 2;
	char *ptr1, *ptr2;

	ptr1 = kmalloc(size1, GFP_KERNEL);
	CHECK(ptr1);
	if (!ptr1)
		return;
	ptr2 = krealloc(ptr1, size2, GFP_KERNEL);
	CHECK(ptr2);
	if (!ptr2) {
		kfree(ptr1);
		return;
	}
	CHECK(all_open(ptr2, size2));
	ptr2[size2 - 1] = 'x';
	CHECK(poisoned(ptr2 + size2));
	CHECK(poisoned(ptr2 + round_up(size2, GRANULE)));
	CHECK(poisoned(ptr2 + middle));
	CHECK(poisoned(ptr2 + size1 - 1));
	CHECK(poisoned(ptr2 + size1));
	kfree(ptr2);
}

static void krealloc_more_oob(void)
{
	krealloc_more(201, 235);
}

static void krealloc_less_oob(void)
{
	krealloc_less(235, 201);
}

static void krealloc_large_more_oob(void)
{
	krealloc_more(KMALLOC_MAX_CACHE_SIZE + 201, KMALLOC_MAX_CACHE_SIZE + 235);
}

static void krealloc_large_less_oob(void)
{
	krealloc_less(KMALLOC_MAX_CACHE_SIZE + 235, KMALLOC_MAX_CACHE_SIZE + 201);
}

/*
 * krealloc_uaf: krealloc() of a freed object is reported, answers NULL and
 * leaves the object closed.
 */
static void krealloc_uaf(void)
{
	char *ptr1, *ptr2;

	ptr1 = kmalloc(201, GFP_KERNEL);
	CHECK(ptr1);
	if (!ptr1)
		return;
	kfree(ptr1);
	ukmem_dmesg_clear();
	ptr2 = krealloc(ptr1, 235, GFP_KERNEL);
	CHECK(ptr2 == NULL);
	CHECK(strstr(log_text(), "BUG") || strstr(log_text(), "WARNING"));
	CHECK(poisoned(ptr1));
	if (ptr2 && ptr2 != ptr1)
		kfree(ptr2);
}

/* kmalloc_oob_16 / kmalloc_uaf_16: a 13-byte object's last 3 bytes, a freed one's all. */
static void kmalloc_oob_uaf_16(void)
{
	char *ptr1 = kmalloc(13, GFP_KERNEL), *ptr2 = kmalloc(16, GFP_KERNEL);

	CHECK(ptr1 && ptr2);
	if (!ptr1 || !ptr2)
		return;
	CHECK(some_poisoned(ptr1, 16));
	CHECK(all_open(ptr2, 16));
	kfree(ptr2);
	CHECK(some_poisoned(ptr2, 16));
	kfree(ptr1);
}

/* kmalloc_oob_memset_{2,4,8,16} and kmalloc_oob_in_memset: ranges across the end. */
static void kmalloc_oob_memset(void)
{
	size_t size = 128 - GRANULE, n;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	for (n = 2; n <= 16; n *= 2)
		CHECK(some_poisoned(ptr + size - (n - 1), n));
	CHECK(some_poisoned(ptr, size + GRANULE));
	kfree(ptr);
}

/* kmalloc_uaf / kmalloc_uaf_memset: a freed object is closed. */
static void kmalloc_uaf(void)
{
	char *ptr = kmalloc(10, GFP_KERNEL), *big;

	CHECK(ptr);
	kfree(ptr);
	CHECK(poisoned(ptr + 8));
	big = kmalloc(33, GFP_KERNEL);
	CHECK(big);
	kfree(big);
	CHECK(some_poisoned(big, 33));
}

/*
 * kmalloc_oob_left: the byte just before a 15-byte object is closed.  In
 * the kernel KASAN's red zone after every object makes it so whatever the
 * neighbour; here a 16-byte neighbour, allocated with its full size just
 * before, is the hard case: its last byte is the byte before ours.
 */
static void kmalloc_oob_left(void)
{
	char *before = kmalloc(16, GFP_KERNEL), *ptr = kmalloc(15, GFP_KERNEL);

	CHECK(before && ptr);
	if (!before || !ptr)
		goto out;
	CHECK(all_open(before, 16));
	CHECK(all_open(ptr, 15));
	CHECK(poisoned(ptr - 1));
out:
	kfree(ptr);
	kfree(before);
}

/* kmalloc_node_oob_right: kmalloc_node() of exactly a page, ptr[4096] closed. */
static void kmalloc_node_oob_right(void)
{
	size_t size = 4096;
	char *ptr = kmalloc_node(size, GFP_KERNEL, 0);

	CHECK(ptr);
	if (!ptr)
		return;
	CHECK(all_open(ptr, size));
	CHECK(poisoned(ptr + size));
	kfree(ptr);
}

/*
 * kmalloc_uaf2 (generic mode): a freed 43-byte object stays closed when
 * the next kmalloc() of its size comes, and that kmalloc() gets another
 * object (the kernel's quarantine keeps freed objects out of reuse).
 */
static void kmalloc_uaf2(void)
{
	char *ptr1 = kmalloc(43, GFP_KERNEL), *ptr2;

	CHECK(ptr1);
	if (!ptr1)
		return;
	kfree(ptr1);
	ptr2 = kmalloc(43, GFP_KERNEL);
	CHECK(ptr2);
	CHECK(poisoned(ptr1 + 40));
	CHECK(ptr1 != ptr2);
	kfree(ptr2);
}

/*
 * Not a kasan_test case, what kmalloc_uaf2 needs around it: the objects
 * the quarantine holds go back when their cache is destroyed
 * (kasan_cache_shutdown), so kmem_cache_destroy() finds the cache empty;
 * and a second free of a quarantined object is a double free, reported,
 * not a second entry in the list.
 */
static void quarantine_destroy(void)
{
	struct kmem_cache *c = kmem_cache_create("test_quarantine", 100, 0, 0, NULL);
	char *objs[64];
	int i;

	CHECK(c);
	if (!c)
		return;
	for (i = 0; i < 64; i++)
		CHECK((objs[i] = kmem_cache_alloc(c, GFP_KERNEL)) != NULL);
	for (i = 0; i < 64; i++)
		kmem_cache_free(c, objs[i]);
	CHECK(poisoned(objs[0]) && poisoned(objs[63]));
	ukmem_dmesg_clear();
	kmem_cache_free(c, objs[5]);
	CHECK(strstr(log_text(), "BUG"));
	ukmem_dmesg_clear();
	kmem_cache_destroy(c);
	CHECK(!strstr(log_text(), "still has objects"));
	CHECK(!strstr(log_text(), "Objects remaining"));
}

/*
 * A reduction gives its batch back outside the quarantine's lock; a
 * kmem_cache_destroy() meanwhile must wait for the objects of its cache
 * in that batch (the kernel's remove_cache_srcu), or it finds them still
 * allocated and the reduction frees them into a destroyed cache.  Own
 * process (mem=128M: the bound is 1/32 of the memory): a helper frees the
 * object that crosses the bound while this thread destroys the cache whose
 * 64 objects lie at the end of the batch that free takes.
 */
static void *volatile race_obj;
static struct kmem_cache *race_fill;
static int race_go;

static void *race_crosser(void *unused)
{
	/* Running: say so, and free when told. */
	__atomic_store_n(&race_go, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&race_go, __ATOMIC_ACQUIRE) == 1)
		;
	kmem_cache_free(race_fill, race_obj);
	return unused;
}

static int quarantine_race_child(void)
{
	size_t limit, fs, ss;
	unsigned long n1, nf, i;
	void **fill;
	int round, bad = 0;

	if (ukmem_boot("mem=128M"))
		return 3;
	limit = (totalram_pages() << PAGE_SHIFT) / 32;
	race_fill = kmem_cache_create("qrace_fill", 1000, 0, 0, NULL);
	if (!race_fill)
		return 4;
	fs = race_fill->size;
	fill = malloc(sizeof(void *) * (limit / fs + 1));
	for (round = 0; round < 20 && fill; round++) {
		struct kmem_cache *c = kmem_cache_create("qrace", 200, 0, 0, NULL);
		void *objs[64];
		pthread_t t;

		if (!c)
			return 4;
		ss = c->size;
		/* The quarantine holds only fill objects, then nothing. */
		for (i = 0; i < 2 * limit / fs; i++)
			kmem_cache_free(race_fill, kmem_cache_alloc(race_fill, GFP_KERNEL));
		kmem_cache_shrink(race_fill);
		nf = (limit - 64 * ss) / fs;		/* all but the crossing free */
		n1 = (limit / 4 - 64 * ss) / fs - 2;	/* the batch: these, then c's */
		for (i = 0; i < nf; i++)
			fill[i] = kmem_cache_alloc(race_fill, GFP_KERNEL);
		for (i = 0; i < 64; i++)
			objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		race_obj = kmem_cache_alloc(race_fill, GFP_KERNEL);
		for (i = 0; i < n1; i++)
			kmem_cache_free(race_fill, fill[i]);
		for (i = 0; i < 64; i++)
			kmem_cache_free(c, objs[i]);
		for (i = n1; i < nf; i++)
			kmem_cache_free(race_fill, fill[i]);
		__atomic_store_n(&race_go, 0, __ATOMIC_RELEASE);
		ukmem_dmesg_clear();
		pthread_create(&t, NULL, race_crosser, NULL);
		while (!__atomic_load_n(&race_go, __ATOMIC_ACQUIRE))
			;
		__atomic_store_n(&race_go, 2, __ATOMIC_RELEASE);
		/* Let its free take the batch first, more each round. */
		for (i = 0; i < 20000 + round * 5000UL; i++)
			__asm__ volatile("" ::: "memory");
		kmem_cache_destroy(c);
		pthread_join(t, NULL);
		if (strstr(log_text(), "still has objects") || strstr(log_text(), "Objects remaining"))
			bad++;
		kmem_cache_shrink(race_fill);
	}
	free(fill);
	return bad ? 5 : 0;
}

static void quarantine_destroy_race(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "test_kasan_kunit", "--quarantine-race", NULL };

		execv("/proc/self/exe", argv);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * ksize_unpoisons_memory: ksize() reports the usable size but does not
 * open it (the kernel's v6.2 change: ksize() only reports; a caller that
 * wants the slack asks krealloc() for it).  Past the size asked for stays
 * closed, up to ksize() - 1.
 */
static void ksize_unpoisons_memory(void)
{
	size_t size = 128 - GRANULE - 5, real_size;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	real_size = ksize(ptr);
	CHECK(real_size > size);
	ptr[0] = ptr[size - 1] = 'x';
	CHECK(poisoned(ptr + size));
	CHECK(poisoned(ptr + size + 5));
	CHECK(poisoned(ptr + real_size - 1));
	/* The kernel's way to the slack: krealloc() to ksize(). */
	CHECK(krealloc(ptr, real_size, GFP_KERNEL) == ptr);
	CHECK(all_open(ptr, real_size));
	kfree(ptr);
}

/*
 * Not a kasan_test case, the reason ksize_unpoisons_memory holds: since
 * ksize() opens nothing, devm_krealloc(), which grows a block in place up
 * to ksize(), must have asked for all of it (the kernel's check_dr_size()
 * rounds every devres block up to its kmalloc bucket).  A block grown in
 * place is open to its new size.
 */
static void devm_krealloc_in_place(void)
{
	struct device dev = { .init_name = "kasan0" };
	char *p = devm_kmalloc(&dev, 10, GFP_KERNEL), *q;

	CHECK(p);
	if (!p)
		return;
	memset(p, 1, 10);
	q = devm_krealloc(&dev, p, 20, GFP_KERNEL | __GFP_ZERO);
	CHECK(q == p);
	if (q) {
		CHECK(all_open(q, 20));
		CHECK(q[9] == 1 && q[19] == 0);
	}
	CHECK_EQ(devres_release_all(&dev), 1);
}

/* ksize_uaf: ksize() of a freed object is reported and answers 0. */
static void ksize_uaf(void)
{
	size_t size = 128 - GRANULE;
	char *ptr = kmalloc(size, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	kfree(ptr);
	ukmem_dmesg_clear();
	CHECK_EQ(ksize(ptr), 0);
	CHECK(strstr(log_text(), "BUG") || strstr(log_text(), "WARNING"));
	CHECK(poisoned(ptr));
	CHECK(poisoned(ptr + size - 1));
}

/* rcu_uaf: the object a call_rcu() callback frees is closed after rcu_barrier(). */
struct rcu_info {
	int i;
	struct rcu_head rcu;
};

static struct rcu_info *rcu_freed;

static void rcu_reclaim(struct rcu_head *rp)
{
	struct rcu_info *fp = container_of(rp, struct rcu_info, rcu);

	rcu_freed = fp;
	kfree(fp);
}

static void rcu_uaf(void)
{
	struct rcu_info *ptr = kmalloc(sizeof(*ptr), GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	call_rcu(&ptr->rcu, rcu_reclaim);
	rcu_barrier();
	CHECK(rcu_freed == ptr);
	CHECK(poisoned(&ptr->i));
}

/* kfree_via_page / kfree_via_phys: the same object reached another way frees cleanly. */
static void kfree_via_page_phys(void)
{
	char *ptr = kmalloc(8, GFP_KERNEL);
	struct page *page;

	CHECK(ptr);
	if (!ptr)
		return;
	ukmem_dmesg_clear();
	page = virt_to_page(ptr);
	kfree((char *)page_address(page) + offset_in_page(ptr));
	CHECK(poisoned(ptr));
	ptr = kmalloc(8, GFP_KERNEL);
	CHECK(ptr);
	kfree(phys_to_virt(virt_to_phys(ptr)));
	CHECK(poisoned(ptr));
	CHECK_EQ(strlen(log_text()), 0);
}

/* kmem_cache_oob: past a cache's object_size. */
static void kmem_cache_oob(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, 0, NULL);
	char *p;

	CHECK(cache);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(p);
	if (p) {
		CHECK(all_open(p, 200));
		CHECK(poisoned(p + 200));
		kmem_cache_free(cache, p);
		CHECK(poisoned(p));
	}
	kmem_cache_destroy(cache);
}

/*
 * mempool_slab_oob_right's cache, directly: 123 bytes, so the slot's
 * alignment padding follows the object; p[123] is reported in the kernel
 * (the slab was poisoned whole when it was made).
 */
static void kmem_cache_oob_unaligned(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 123, 0, 0, NULL);
	char *p;

	CHECK(cache);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(p);
	if (p) {
		CHECK(all_open(p, 123));
		CHECK(poisoned(p + 123));
		kmem_cache_free(cache, p);
	}
	kmem_cache_destroy(cache);
}

/*
 * kmalloc_double_kzfree: the second kfree_sensitive() is reported (its
 * ksize() finds the object freed and answers 0, so nothing is wiped) and
 * the program goes on.
 */
static void kmalloc_double_kzfree(void)
{
	char *ptr = kmalloc(16, GFP_KERNEL);

	CHECK(ptr);
	if (!ptr)
		return;
	kfree_sensitive(ptr);
	CHECK(poisoned(ptr));
	ukmem_dmesg_clear();
	kfree_sensitive(ptr);
	CHECK(strstr(log_text(), "BUG"));
	CHECK(poisoned(ptr));
}

/* kmem_cache_double_free: the second free is reported; the cache goes away cleanly. */
static void kmem_cache_double_free(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, 0, NULL);
	char *p;

	CHECK(cache);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(p);
	if (p) {
		kmem_cache_free(cache, p);
		ukmem_dmesg_clear();
		kmem_cache_free(cache, p);
		CHECK(strstr(log_text(), "BUG") || strstr(log_text(), "WARNING"));
	}
	ukmem_dmesg_clear();
	kmem_cache_destroy(cache);
	CHECK(!strstr(log_text(), "Objects remaining"));
}

/*
 * kmem_cache_invalid_free: freeing a pointer into the middle of an object
 * of a SLAB_TYPESAFE_BY_RCU cache is reported and frees nothing; the
 * object, freed properly afterwards, leaves the cache empty (no "Objects
 * remaining" at kmem_cache_destroy()).
 */
static void kmem_cache_invalid_free(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, SLAB_TYPESAFE_BY_RCU,
						     NULL);
	char *p;

	CHECK(cache);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(p);
	if (p) {
		ukmem_dmesg_clear();
		kmem_cache_free(cache, p + 1);
		CHECK(strstr(log_text(), "BUG") || strstr(log_text(), "WARNING"));
		CHECK(all_open(p, 200));
		kmem_cache_free(cache, p);
	}
	rcu_barrier();
	ukmem_dmesg_clear();
	kmem_cache_destroy(cache);
	CHECK(!strstr(log_text(), "Objects remaining"));
}

/*
 * kmem_cache_rcu_uaf, its first half: an object of a SLAB_TYPESAFE_BY_RCU
 * cache freed while a reader is inside rcu_read_lock() may still be read
 * there, and is not reported (the kernel's KASAN does not poison such an
 * object; only SLUB_RCU_DEBUG, which ukmem does not have, delays the free
 * so as to catch a read after the grace period).
 */
static void kmem_cache_rcu_uaf(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, SLAB_TYPESAFE_BY_RCU,
						     NULL);
	volatile char *p;

	CHECK(cache);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(p);
	if (p) {
		*p = 1;
		rcu_read_lock();
		kmem_cache_free(cache, (void *)p);
		CHECK(!poisoned((const void *)p));
		CHECK(all_open((const void *)p, 200));
		/* A validation of the cache (slab_debug's checks) leaves it so. */
		CHECK_EQ(ukmem_slab_validate(cache), 0);
		CHECK(all_open((const void *)p, 200));
		(void)*p;
		rcu_read_unlock();
		rcu_barrier();
	}
	kmem_cache_destroy(cache);
}

/*
 * kmem_cache_double_destroy: the second kmem_cache_destroy() touches a
 * freed cache, and is reported; caches made afterwards work.
 */
static void kmem_cache_double_destroy(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, SLAB_NO_MERGE, NULL);
	void *p;

	CHECK(cache);
	if (!cache)
		return;
	kmem_cache_destroy(cache);
	ukmem_dmesg_clear();
	kmem_cache_destroy(cache);
	CHECK_STR_CONTAINS(log_text(), "BUG: KASAN: slab-use-after-free in kmem_cache_destroy\n");
	cache = kmem_cache_create("test_cache", 200, 0, SLAB_NO_MERGE, NULL);
	CHECK(cache);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(p && all_open(p, 200));
	kmem_cache_free(cache, p);
	ukmem_dmesg_clear();
	kmem_cache_destroy(cache);
	CHECK_EQ(strlen(log_text()), 0);
}

/* kmem_cache_accounted: a SLAB_ACCOUNT cache allocates and frees as any other. */
static void kmem_cache_accounted(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, SLAB_ACCOUNT, NULL);
	int i;

	CHECK(cache);
	if (!cache)
		return;
	for (i = 0; i < 5; i++) {
		char *p = kmem_cache_alloc(cache, GFP_KERNEL);

		CHECK(p && all_open(p, 200));
		kmem_cache_free(cache, p);
	}
	kmem_cache_destroy(cache);
}

/* kmem_cache_bulk: every object of a bulk allocation is open from end to end. */
static void kmem_cache_bulk(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, 0, NULL);
	char *p[10];
	size_t i;

	CHECK(cache);
	if (!cache)
		return;
	CHECK_EQ(kmem_cache_alloc_bulk(cache, GFP_KERNEL, ARRAY_SIZE(p), (void **)p),
		 ARRAY_SIZE(p));
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		CHECK(all_open(p[i], 200));
		p[i][0] = p[i][199] = 42;
	}
	kmem_cache_free_bulk(cache, ARRAY_SIZE(p), (void **)p);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		CHECK(poisoned(p[i]));
	kmem_cache_destroy(cache);
}

/*
 * The mempool cases: a pool of 4 with one element taken (so that a free
 * goes back into the reserve, not to the allocator); an element from the
 * reserve is open to its size and closed past it, and closed once back in
 * the reserve.
 */
static void *mempool_prepare_kmalloc(mempool_t *pool, size_t size)
{
	void *elem;

	memset(pool, 0, sizeof(*pool));
	CHECK_EQ(mempool_init_kmalloc_pool(pool, 4, size), 0);
	elem = mempool_alloc_preallocated(pool);
	CHECK(elem);
	return elem;
}

static void mempool_oob_right_helper(mempool_t *pool, size_t size)
{
	char *elem = mempool_alloc_preallocated(pool);

	CHECK(elem);
	if (!elem)
		return;
	CHECK(all_open(elem, size));
	CHECK(poisoned(elem + size));
	mempool_free(elem, pool);
}

static void mempool_uaf_helper(mempool_t *pool, bool page)
{
	char *elem = mempool_alloc_preallocated(pool), *ptr;

	CHECK(elem);
	if (!elem)
		return;
	mempool_free(elem, pool);
	ptr = page ? page_address((struct page *)elem) : elem;
	CHECK(poisoned(ptr));
}

static void mempool_kmalloc_cases(void)
{
	size_t sizes[] = { 128 - GRANULE - 5, KMALLOC_MAX_CACHE_SIZE + 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		mempool_t pool;
		void *extra = mempool_prepare_kmalloc(&pool, sizes[i]);

		mempool_oob_right_helper(&pool, sizes[i]);
		mempool_uaf_helper(&pool, false);
		mempool_free(extra, &pool);
		mempool_exit(&pool);
	}
}

static void mempool_slab_cases(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 123, 0, 0, NULL);
	mempool_t pool;

	CHECK(cache);
	if (!cache)
		return;
	memset(&pool, 0, sizeof(pool));
	CHECK_EQ(mempool_init_slab_pool(&pool, 4, cache), 0);
	mempool_oob_right_helper(&pool, 123);
	mempool_uaf_helper(&pool, false);
	mempool_exit(&pool);
	kmem_cache_destroy(cache);
}

static void mempool_page_alloc_uaf(void)
{
	mempool_t pool;
	void *extra;

	memset(&pool, 0, sizeof(pool));
	CHECK_EQ(mempool_init_page_pool(&pool, 4, 2), 0);
	extra = mempool_alloc_preallocated(&pool);
	CHECK(extra);
	mempool_uaf_helper(&pool, true);
	mempool_free(extra, &pool);
	mempool_exit(&pool);
}

/*
 * mempool_*_double_free and mempool_kmalloc*_invalid_free: an element
 * given back twice, or a pointer into one, is reported and not taken into
 * the reserve (the kernel's add_element() drops what KASAN reported); the
 * pool then goes on as before.
 */
static void mempool_double_invalid_free(mempool_t *pool, bool invalid)
{
	char *elem = mempool_alloc_preallocated(pool);
	int before;

	CHECK(elem);
	if (!elem)
		return;
	if (invalid) {
		ukmem_dmesg_clear();
		before = pool->curr_nr;
		mempool_free(elem + 1, pool);
		CHECK_STR_CONTAINS(log_text(), "BUG: KASAN: invalid-free in mempool_free\n");
		CHECK_EQ(pool->curr_nr, before);
		CHECK(all_open(elem, 16));
	}
	mempool_free(elem, pool);
	if (!invalid) {
		ukmem_dmesg_clear();
		before = pool->curr_nr;
		mempool_free(elem, pool);
		CHECK_STR_CONTAINS(log_text(), "BUG: KASAN: double-free in mempool_free\n");
		CHECK_EQ(pool->curr_nr, before);
	}
}

static void mempool_bad_frees(void)
{
	size_t sizes[] = { 128, KMALLOC_MAX_CACHE_SIZE + 1 };
	size_t i;
	int invalid;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (invalid = 0; invalid < 2; invalid++) {
			mempool_t pool;
			void *extra = mempool_prepare_kmalloc(&pool, sizes[i]);
			void *a, *b;

			mempool_double_invalid_free(&pool, invalid);
			/* Each element of the reserve once: two takes, two different blocks. */
			a = mempool_alloc_preallocated(&pool);
			b = mempool_alloc_preallocated(&pool);
			CHECK(a && b && a != b);
			mempool_free(a, &pool);
			mempool_free(b, &pool);
			mempool_free(extra, &pool);
			ukmem_dmesg_clear();
			mempool_exit(&pool);
			CHECK(!strstr(log_text(), "BUG"));
		}
}

/* mempool_page_alloc_double_free: the same for a page pool. */
static void mempool_page_double_free(void)
{
	mempool_t pool;
	struct page *extra, *elem, *a, *b;
	int before;

	memset(&pool, 0, sizeof(pool));
	CHECK_EQ(mempool_init_page_pool(&pool, 4, 2), 0);
	extra = mempool_alloc_preallocated(&pool);
	elem = mempool_alloc_preallocated(&pool);
	CHECK(extra && elem);
	if (!extra || !elem)
		return;
	mempool_free(elem, &pool);
	ukmem_dmesg_clear();
	before = pool.curr_nr;
	mempool_free(elem, &pool);
	CHECK_STR_CONTAINS(log_text(), "BUG: KASAN: double-free in mempool_free\n");
	CHECK_EQ(pool.curr_nr, before);
	a = mempool_alloc_preallocated(&pool);
	b = mempool_alloc_preallocated(&pool);
	CHECK(a && b && a != b);
	mempool_free(a, &pool);
	mempool_free(b, &pool);
	mempool_free(extra, &pool);
	mempool_exit(&pool);
}

/*
 * vmalloc_oob: past the size asked for, inside the last page, is closed;
 * the page behind the area, reached through its own address, is open.
 */
static void vmalloc_oob(void)
{
	size_t size = PAGE_SIZE / 2 - GRANULE - 5;
	char *v_ptr = vmalloc(size), *p_ptr;
	struct page *page;

	CHECK(v_ptr);
	if (!v_ptr)
		return;
	v_ptr[0] = v_ptr[size - 1] = 0;
	CHECK(all_open(v_ptr, size));
	CHECK(poisoned(v_ptr + size));
	CHECK(poisoned(v_ptr + size + 5));
	page = vmalloc_to_page(v_ptr);
	CHECK(page);
	if (page) {
		p_ptr = page_address(page);
		CHECK(p_ptr);
		if (p_ptr) {
			CHECK(!poisoned(p_ptr));
			p_ptr[0] = 0;
		}
	}
	vfree(v_ptr);
}

/* vmap_tags / vm_map_ram_tags, less the tags: both views open, the page found again. */
static void vmap_and_vm_map_ram(void)
{
	struct page *p_page = alloc_pages(GFP_KERNEL, 1);
	char *p_ptr, *v_ptr;

	CHECK(p_page);
	if (!p_page)
		return;
	p_ptr = page_address(p_page);
	v_ptr = vmap(&p_page, 1, VM_MAP, PAGE_KERNEL);
	CHECK(v_ptr);
	if (v_ptr) {
		CHECK(!poisoned(p_ptr) && !poisoned(v_ptr));
		*p_ptr = 0;
		*v_ptr = 0;
		CHECK(vmalloc_to_page(v_ptr) == p_page);
		vunmap(v_ptr);
	}
	v_ptr = vm_map_ram(&p_page, 1, -1);
	CHECK(v_ptr);
	if (v_ptr) {
		CHECK(!poisoned(p_ptr) && !poisoned(v_ptr));
		*p_ptr = 0;
		*v_ptr = 0;
		vm_unmap_ram(v_ptr, 1);
	}
	free_pages((unsigned long)p_ptr, 1);
}

/*
 * A copy the host makes through process_vm_readv/writev is checked on its
 * local side by ASan's interceptor, which reports and ends the program:
 * such a case runs in a forked child, whose stderr must hold ASan's
 * report for a write (@write) or read of @size bytes.
 */
static char child_out[1 << 16];

static bool asan_reports(void (*fn)(void *), void *arg, bool write, size_t size)
{
	char line[64];
	int fds[2], status = 0;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return false;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	while (len < sizeof(child_out) - 1 &&
	       (n = read(fds[0], child_out + len, sizeof(child_out) - 1 - len)) > 0)
		len += (size_t)n;
	child_out[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	snprintf(line, sizeof(line), "%s of size %zu at", write ? "WRITE" : "READ", size);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	    strstr(child_out, "ERROR: AddressSanitizer: use-after-poison") && strstr(child_out, line))
		return true;
	fprintf(stderr, "%s: no ASan report for a %s of %zu bytes (status %#x):\n%s\n",
		ktest_current, write ? "write" : "read", size, status, child_out);
	return false;
}

struct copy_args {
	char *kmem;
	char __user *user;
	size_t n;
};

static void do_copy_from_user(void *a)
{
	struct copy_args *c = a;

	copy_from_user(c->kmem, c->user, c->n);
}

static void do_copy_to_user(void *a)
{
	struct copy_args *c = a;

	copy_to_user(c->user, c->kmem, c->n);
}

static void do___copy_from_user_inatomic(void *a)
{
	struct copy_args *c = a;

	__copy_from_user_inatomic(c->kmem, c->user, c->n);
}

static void do___copy_to_user_inatomic(void *a)
{
	struct copy_args *c = a;

	__copy_to_user_inatomic(c->user, c->kmem, c->n);
}

static void do_strncpy_from_user(void *a)
{
	struct copy_args *c = a;

	strncpy_from_user(c->kmem, c->user, (long)c->n);
}

static void do_copy_to_kernel_nofault_read(void *a)
{
	struct copy_args *c = a;

	copy_to_kernel_nofault((void *)c->user, c->kmem, c->n);
}

/*
 * copy_user_test_oob: each user copy that runs one byte past a 120-byte
 * object is reported; a copy that fits is not, and returns 0.
 */
static void copy_user_test_oob(void)
{
	size_t size = 128 - GRANULE;
	char *kmem = kmalloc(size, GFP_KERNEL);
	struct copy_args c;
	void *map;

	CHECK(kmem);
	map = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED);
	if (!kmem || map == MAP_FAILED)
		return;
	c.kmem = kmem;
	c.user = (char __user *)map;
	c.n = size + 1;
	CHECK_EQ(copy_from_user(kmem, c.user, size), 0);
	CHECK_EQ(copy_to_user(c.user, kmem, size), 0);

	CHECK(asan_reports(do_copy_from_user, &c, true, size + 1));
	CHECK(asan_reports(do_copy_to_user, &c, false, size + 1));
	CHECK(asan_reports(do___copy_from_user_inatomic, &c, true, size + 1));
	CHECK(asan_reports(do___copy_to_user_inatomic, &c, false, size + 1));
	/* A string longer than the object, so that the copy does not stop at a NUL first. */
	memset(kmem, 'a', size);
	CHECK_EQ(copy_to_user(c.user, kmem, size), 0);
	CHECK(asan_reports(do_strncpy_from_user, &c, true, size + 1));

	munmap(map, PAGE_SIZE);
	kfree(kmem);
}

/*
 * copy_to_kernel_nofault_oob: an overread source (ASan's report) and an
 * overrun destination, which ASan does not see (the far side of the host
 * copy): the library's KASAN report, and the program goes on.
 */
static void copy_to_kernel_nofault_oob(void)
{
	char buf[128];
	char *ptr = kmalloc(sizeof(buf) - GRANULE, GFP_KERNEL);
	struct copy_args c;
	const char *log;

	CHECK(ptr);
	if (!ptr)
		return;
	memset(buf, 0, sizeof(buf));
	ukmem_dmesg_clear();
	CHECK_EQ(copy_to_kernel_nofault(buf, ptr, sizeof(buf) - GRANULE), 0);
	CHECK_EQ(copy_to_kernel_nofault(ptr, buf, sizeof(buf) - GRANULE), 0);
	CHECK(!strstr(log_text(), "BUG: KASAN"));

	c.kmem = ptr;
	c.user = (char __user *)buf;
	c.n = sizeof(buf);
	CHECK(asan_reports(do_copy_to_kernel_nofault_read, &c, false, sizeof(buf)));

	ukmem_dmesg_clear();
	CHECK_EQ(copy_to_kernel_nofault(ptr, buf, sizeof(buf)), 0);
	log = log_text();
	CHECK_EQ(count_substr(log, "BUG: KASAN: "), 1);
	CHECK_STR_CONTAINS(log, "BUG: KASAN: out-of-bounds in copy_to_kernel_nofault\n");
	CHECK_STR_CONTAINS(log, "Write of size 128 at addr");
	kfree(ptr);
}

int main(int argc, char **argv)
{
	ukmem_set_console(stderr);
	if (argc == 2 && !strcmp(argv[1], "--quarantine-race"))
		return quarantine_race_child();
	if (ukmem_boot(NULL))
		return 3;
	KTEST_RUN(KTEST(kmalloc_oob_right),
		  KTEST(kmalloc_track_caller_oob_right),
		  KTEST(kmalloc_big_oob_right),
		  KTEST(kmalloc_large_oob_right_uaf),
		  KTEST(kmalloc_large_invalid_free),
		  KTEST(page_alloc_uaf),
		  KTEST(krealloc_more_oob),
		  KTEST(krealloc_less_oob),
		  KTEST(krealloc_large_more_oob),
		  KTEST(krealloc_large_less_oob),
		  KTEST(krealloc_uaf),
		  KTEST(kmalloc_oob_uaf_16),
		  KTEST(kmalloc_oob_memset),
		  KTEST(kmalloc_uaf),
		  KTEST(kmalloc_oob_left),
		  KTEST(kmalloc_node_oob_right),
		  KTEST(kmalloc_uaf2),
		  KTEST(quarantine_destroy),
		  KTEST(quarantine_destroy_race),
		  KTEST(ksize_unpoisons_memory),
		  KTEST(ksize_uaf),
		  KTEST(devm_krealloc_in_place),
		  KTEST(rcu_uaf),
		  KTEST(kfree_via_page_phys),
		  KTEST(kmem_cache_oob),
		  KTEST(kmem_cache_oob_unaligned),
		  KTEST(kmalloc_double_kzfree),
		  KTEST(kmem_cache_double_free),
		  KTEST(kmem_cache_invalid_free),
		  KTEST(kmem_cache_rcu_uaf),
		  KTEST(kmem_cache_double_destroy),
		  KTEST(kmem_cache_accounted),
		  KTEST(kmem_cache_bulk),
		  KTEST(mempool_kmalloc_cases),
		  KTEST(mempool_slab_cases),
		  KTEST(mempool_page_alloc_uaf),
		  KTEST(mempool_bad_frees),
		  KTEST(mempool_page_double_free),
		  KTEST(vmalloc_oob),
		  KTEST(vmap_and_vm_map_ram),
		  KTEST(copy_user_test_oob),
		  KTEST(copy_to_kernel_nofault_oob));
}
