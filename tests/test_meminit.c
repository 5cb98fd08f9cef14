/* SPDX-License-Identifier: MIT */
/*
 * The kernel's lib/test_meminit.c expectations: with init_on_alloc=1, and
 * with init_on_free=1, no page and no slab object is handed out holding
 * anything an earlier user wrote.  Each mode boots in its own child
 * (ktest_child).  As in the kernel's test, each case fills what it got
 * with garbage, frees it, allocates again and counts the allocations that
 * came back dirty: pages of every order, kmalloc and vmalloc of 1 byte to
 * 512 KiB, caches of 8 to 4096 bytes with and without a constructor,
 * SLAB_TYPESAFE_BY_RCU and __GFP_ZERO (a constructed object keeps its
 * constructor's bytes, an RCU cache's object is neither wiped on free nor
 * zeroed on allocation), bulk allocation, and RCU objects that keep their
 * contents across reuse.  The kernel's test prints how many failed; here
 * exactly none may.
 *
 * Beyond the kernel's cases, the paths this allocator adds: every kmalloc
 * size class, and objects that overflowed a CPU's stack into the barn and
 * back into the slabs' freelists (where the free pointer is written into
 * the object: init_on_free must wipe it, maybe_wipe_obj_freeptr), through
 * kmem_cache_shrink() and from another thread.  And the same under
 * slub_debug=FZU (red zones, owner tracks, no poisoning: with P the
 * poison takes precedence over init_on_*, as in the kernel) and with
 * shuffled freelists, where the debug checks must find nothing.  Those
 * modes also sample every allocation KFENCE can take: its object must
 * come back zeroed too, though its page held the previous object's bytes
 * and canaries where the new one lies.
 */
#include "slab_test.h"
#include <pthread.h>
#include <sys/mman.h>

#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ukmem/slab_debug.h>
#include "mm/slab.h"

#define GARBAGE_INT	0x09A7BA9EU
#define GARBAGE_BYTE	0x9E
#define CTOR_PATTERN	0x41414141U
#define BULK_SIZE	100
#define MANY		1000	/* more than a CPU's stack and a barn hold */

/* One group of cases: how many ran and how many came back dirty. */
struct group {
	const char *name;
	int tests, failures;
};

static void count(struct group *g, bool fail)
{
	g->tests++;
	g->failures += fail;
	ktest_progress();
}

static void report(struct group *g)
{
	if (g->failures)
		fprintf(stderr, "%s: %s failed %d out of %d times\n", ktest_current, g->name,
			g->failures, g->tests);
	CHECK_EQ(g->failures, 0);
	CHECK(g->tests > 0);
}

/* Garbage over @size bytes, the first @skip left alone (a constructor's). */
static void fill_with_garbage_skip(void *ptr, size_t size, size_t skip)
{
	unsigned char *p = (unsigned char *)ptr + skip;
	size_t i;

	size -= skip;
	for (i = 0; i + sizeof(unsigned int) <= size; i += sizeof(unsigned int))
		memcpy(p + i, &(unsigned int){ GARBAGE_INT }, sizeof(unsigned int));
	memset(p + i, GARBAGE_BYTE, size - i);
}

static void fill_with_garbage(void *ptr, size_t size)
{
	fill_with_garbage_skip(ptr, size, 0);
}

/* ---- pages ---- */

static void test_pages(void)
{
	struct group g = { "test_pages" };
	struct page *pages[64];
	unsigned int order;
	int i;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		size_t size = PAGE_SIZE << order;
		struct page *page = alloc_pages(GFP_KERNEL, order);

		CHECK(page != NULL);
		if (!page)
			continue;
		fill_with_garbage(page_address(page), size);
		__free_pages(page, order);
		page = alloc_pages(GFP_KERNEL, order);
		CHECK(page != NULL);
		if (!page)
			continue;
		count(&g, nonzero_bytes(page_address(page), size));
		fill_with_garbage(page_address(page), size);
		__free_pages(page, order);
	}
	/* Many single pages: through the per-CPU page lists. */
	for (i = 0; i < 64; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		fill_with_garbage(page_address(pages[i]), PAGE_SIZE);
	}
	for (i = 0; i < 64; i++)
		__free_page(pages[i]);
	for (i = 0; i < 64; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		count(&g, nonzero_bytes(page_address(pages[i]), PAGE_SIZE));
	}
	for (i = 0; i < 64; i++)
		__free_page(pages[i]);
	report(&g);
}

/*
 * A gfp of 0 is a mask like any other: want_init_on_alloc() does not look
 * at it, so init_on_alloc zeroes what it gets too (the hooks' test once
 * missed it: such objects and pages came back with the last owner's bytes).
 */
static void test_empty_gfp(void)
{
	struct group g = { "gfp 0" };
	int i;

	for (i = 0; i < 32; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, (unsigned int)(i % 3));
		void *p = kmalloc(64 << (i % 4), GFP_KERNEL);

		fill_with_garbage(page_address(page), PAGE_SIZE << (i % 3));
		__free_pages(page, (unsigned int)(i % 3));
		fill_with_garbage(p, 64 << (i % 4));
		kfree(p);
		page = alloc_pages(0, (unsigned int)(i % 3));
		p = kmalloc(64 << (i % 4), 0);
		CHECK(page != NULL && p != NULL);
		if (page)
			count(&g, nonzero_bytes(page_address(page), PAGE_SIZE << (i % 3)));
		if (p)
			count(&g, nonzero_bytes(p, 64 << (i % 4)));
		if (page)
			__free_pages(page, (unsigned int)(i % 3));
		kfree(p);
	}
	report(&g);
}

/* ---- kmalloc, vmalloc ---- */

static bool do_kmalloc_size(size_t size)
{
	void *buf = kmalloc(size, GFP_KERNEL);
	bool fail;

	fill_with_garbage(buf, size);
	kfree(buf);
	buf = kmalloc(size, GFP_KERNEL);
	fail = nonzero_bytes(buf, size);
	fill_with_garbage(buf, size);
	kfree(buf);
	return fail;
}

static bool do_vmalloc_size(size_t size)
{
	void *buf = vmalloc(size);
	bool fail;

	fill_with_garbage(buf, size);
	vfree(buf);
	buf = vmalloc(size);
	fail = nonzero_bytes(buf, size);
	fill_with_garbage(buf, size);
	vfree(buf);
	return fail;
}

static void test_kvmalloc(void)
{
	struct group g = { "test_kvmalloc" };
	int i;

	for (i = 0; i < 20; i++) {
		count(&g, do_kmalloc_size((size_t)1 << i));
		count(&g, do_vmalloc_size((size_t)1 << i));
	}
	report(&g);
}

/*
 * Objects freed with one size and handed out again for a larger one: under
 * slub_debug=Z the old size's kmalloc red zone must not show through.
 * Freed together and taken together, so that some come back whatever
 * order the cache hands them out in.
 */
static void test_kmalloc_regrown(void)
{
	struct group g = { "kmalloc reused for a larger size" };
	void *p[64];
	size_t size;
	int i;

	for (size = 1; size < 64; size++) {
		for (i = 0; i < 64; i++) {
			p[i] = kmalloc(size, GFP_KERNEL);
			fill_with_garbage(p[i], size);
		}
		for (i = 0; i < 64; i++)
			kfree(p[i]);
		for (i = 0; i < 64; i++) {
			p[i] = kmalloc(size + 1, GFP_KERNEL);
			count(&g, nonzero_bytes(p[i], size + 1));
		}
		for (i = 0; i < 64; i++)
			kfree(p[i]);
	}
	report(&g);
}

/* Every kmalloc class, its full size and one byte less, then large ones. */
static void test_kmalloc_classes(void)
{
	static const size_t sizes[] = {
		8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
		8193, 3 * PAGE_SIZE, 64 * 1024, 1024 * 1024,
	};
	struct group g = { "kmalloc classes" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		count(&g, do_kmalloc_size(sizes[i]));
		count(&g, do_kmalloc_size(sizes[i] - 1));
	}
	report(&g);
}

/* ---- caches ---- */

static void test_ctor(void *obj)
{
	*(unsigned int *)obj = CTOR_PATTERN;
}

/*
 * The kernel's check_buf(): zero if asked for; a constructed object keeps
 * its first word; any other object must be zero unless it is an RCU
 * cache's (its contents are never wiped).
 */
static bool check_buf(void *buf, size_t size, bool want_ctor, bool want_rcu, bool want_zero)
{
	size_t bytes = nonzero_bytes(buf, size);

	if (want_zero)
		return bytes;
	if (want_ctor)
		return *(unsigned int *)buf != CTOR_PATTERN;
	return bytes && !want_rcu;
}

static bool do_kmem_cache_size(size_t size, bool want_ctor, bool want_rcu, bool want_zero)
{
	gfp_t gfp = GFP_KERNEL | (want_zero ? __GFP_ZERO : 0);
	static void *bulk[BULK_SIZE];
	struct kmem_cache *c;
	bool fail = false;
	int iter, i;

	c = kmem_cache_create("test_cache", (unsigned int)size, 1,
			      want_rcu ? SLAB_TYPESAFE_BY_RCU : 0, want_ctor ? test_ctor : NULL);
	for (iter = 0; iter < 10; iter++) {
		unsigned char copy[4096];
		void *buf;

		if (!want_rcu && !want_ctor) {
			int got = kmem_cache_alloc_bulk(c, gfp, BULK_SIZE, bulk);

			fail |= !got;
			for (i = 0; i < got; i++) {
				fail |= check_buf(bulk[i], size, want_ctor, want_rcu, want_zero);
				fill_with_garbage(bulk[i], size);
			}
			kmem_cache_free_bulk(c, (size_t)got, bulk);
		}
		buf = kmem_cache_alloc(c, gfp);
		fail |= check_buf(buf, size, want_ctor, want_rcu, want_zero);
		fill_with_garbage_skip(buf, size, want_ctor ? sizeof(unsigned int) : 0);
		if (!want_rcu || TEST_ASAN) {
			kmem_cache_free(c, buf);
			continue;
		}
		/*
		 * Type-stable memory: the free leaves the object as it was, for
		 * a reader inside a critical section that began before the free
		 * (as lib/test_meminit.c reads it; outside one, KFENCE may have
		 * closed a sampled object's page after a grace period).
		 */
		rcu_read_lock();
		memcpy(copy, buf, size);
		kmem_cache_free(c, buf);
		fail |= check_buf(buf, size, want_ctor, want_rcu, false);
		fail |= memcmp(buf, copy, size) != 0;
		rcu_read_unlock();
	}
	kmem_cache_destroy(c);
	return fail;
}

/* RCU objects keep what was written to them when they are reused. */
static bool do_kmem_cache_rcu_persistent(size_t size)
{
	static void *used[1024];
	unsigned char contents[4096];
	struct kmem_cache *c;
	void *buf, *saved;
	bool fail = false;
	int iter, n = 0;

	c = kmem_cache_create("test_cache", (unsigned int)size, (unsigned int)size,
			      SLAB_TYPESAFE_BY_RCU, NULL);
	buf = kmem_cache_alloc(c, GFP_KERNEL);
	saved = buf;
	fill_with_garbage(buf, size);
	memcpy(contents, buf, size);
	kmem_cache_free(c, buf);
	for (iter = 0; iter < 1024; iter++) {
		buf = kmem_cache_alloc(c, GFP_KERNEL);
		used[n++] = buf;
		if (buf == saved) {
			fail = memcmp(contents, buf, size) != 0;
			break;
		}
	}
	while (n)
		kmem_cache_free(c, used[--n]);
	kmem_cache_destroy(c);
	return fail;
}

static bool do_kmem_cache_size_bulk(size_t size)
{
	struct kmem_cache *c = kmem_cache_create("test_cache", (unsigned int)size,
						 (unsigned int)size, 0, NULL);
	void *objects[10];
	bool fail = false;
	int iter, i, num;

	for (iter = 0; iter < 1024 && !fail; iter++) {
		num = kmem_cache_alloc_bulk(c, GFP_KERNEL, ARRAY_SIZE(objects), objects);
		for (i = 0; i < num; i++) {
			fail |= nonzero_bytes(objects[i], size) != 0;
			fill_with_garbage(objects[i], size);
		}
		if (num)
			kmem_cache_free_bulk(c, (size_t)num, objects);
	}
	kmem_cache_destroy(c);
	return fail;
}

static void test_kmemcache(void)
{
	struct group g = { "test_kmemcache" };
	int i, flags;

	for (i = 0; i < 10; i++) {
		size_t size = (size_t)8 << i;

		for (flags = 0; flags < 8; flags++) {
			bool ctor = flags & 1, rcu = flags & 2, zero = flags & 4;

			if (ctor && zero)
				continue;
			count(&g, do_kmem_cache_size(size, ctor, rcu, zero));
		}
		count(&g, do_kmem_cache_size_bulk(size));
	}
	report(&g);
}

static void test_rcu_persistent(void)
{
	struct group g = { "test_rcu_persistent" };
	int i;

	for (i = 0; i < 10; i++)
		count(&g, do_kmem_cache_rcu_persistent((size_t)8 << i));
	report(&g);
}

/* ---- the per-CPU stacks, barns and freelists ---- */

struct many {
	struct kmem_cache *s;	/* NULL: kmalloc */
	size_t size;
	void *obj[MANY];
};

/* Checked objects that KFENCE gave out (its pages hold canaries, not zeroes). */
static int kfence_objects_checked;

static void many_alloc(struct many *m, struct group *g, bool check)
{
	int i;

	for (i = 0; i < MANY; i++) {
		m->obj[i] = m->s ? kmem_cache_alloc(m->s, GFP_KERNEL) : kmalloc(m->size, GFP_KERNEL);
		if (check) {
			count(g, nonzero_bytes(m->obj[i], m->size));
			kfence_objects_checked += is_kfence_address(m->obj[i]);
		}
		fill_with_garbage(m->obj[i], m->size);
	}
}

static void *many_free(void *arg)
{
	struct many *m = arg;
	int i;

	for (i = 0; i < MANY; i++) {
		if (m->s)
			kmem_cache_free(m->s, m->obj[i]);
		else
			kfree(m->obj[i]);
	}
	return NULL;
}

/*
 * A thousand objects: the first frees fill this CPU's stack, the rest
 * spill half a stack at a time into the barn and, once that is full, back
 * into the slabs; allocating them again drains the stack, the barn and the
 * slabs' freelists in turn.  Then the same after kmem_cache_shrink()
 * (everything back in the slabs), and freed by another thread.
 */
static void do_many(struct many *m, struct group *g)
{
	pthread_t t;

	many_alloc(m, g, false);
	many_free(m);
	many_alloc(m, g, true);
	many_free(m);
	if (m->s)
		kmem_cache_shrink(m->s);
	else
		kmem_cache_shrink_all();
	many_alloc(m, g, true);
	CHECK_EQ(pthread_create(&t, NULL, many_free, m), 0);
	pthread_join(t, NULL);
	many_alloc(m, g, true);
	many_free(m);
}

static void test_stacks_and_barns(void)
{
	static const unsigned int sizes[] = { 8, 24, 64, 100, 256, 1000, 4096 };
	static struct many m;
	struct group g = { "stacks, barns and freelists" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		m.s = kmem_cache_create("test_many", sizes[i], 0, SLAB_NO_MERGE, NULL);
		m.size = sizes[i];
		do_many(&m, &g);
		kmem_cache_destroy(m.s);
		m.s = NULL;
		do_many(&m, &g);
	}
	report(&g);
}

/*
 * Zeroing skips what the host never backed: a fresh max-order block under
 * init_on_alloc (or __GFP_ZERO) reads as zero without its pages being
 * written, so they stay out of the process's RSS until used.  Writing
 * them all made python3 under init_on_alloc=1 1 GB resident where it
 * was 198 MB.  Checked first, on the fresh boot: most of the block's
 * pages must not be resident (mincore), and all of it must read zero.
 */
static void test_untouched_not_written(bool zero_flag)
{
	unsigned long n = MAX_ORDER_NR_PAGES, resident = 0, i;
	unsigned char vec[MAX_ORDER_NR_PAGES];
	struct page *page = alloc_pages(GFP_KERNEL | (zero_flag ? __GFP_ZERO : 0), MAX_PAGE_ORDER);
	char *p;

	CHECK(page != NULL);
	if (!page)
		return;
	p = page_address(page);
	CHECK(!mincore(p, n * PAGE_SIZE, vec));
	for (i = 0; i < n; i++)
		resident += vec[i] & 1;
	if (resident >= n / 2)
		printf("fresh order-%d block: %lu of %lu pages resident\n", MAX_PAGE_ORDER, resident, n);
	CHECK(resident < n / 2);
	CHECK(mem_is_zero(p, n * PAGE_SIZE));
	__free_pages(page, MAX_PAGE_ORDER);
}

/* ---- the modes ---- */

static void meminit_child(void *arg)
{
	child_boot("mem=512M loglevel=4", arg);
	test_untouched_not_written(!strstr(arg, "init_on_alloc=1"));
	test_pages();
	test_empty_gfp();
	test_kvmalloc();
	test_kmalloc_regrown();
	test_kmalloc_classes();
	test_kmemcache();
	test_rcu_persistent();
	test_stacks_and_barns();
	/* No debug check may have found anything to report on the way. */
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	CHECK_EQ(ukmem_slab_error_count(), 0);
	/* The KFENCE modes really did check objects from its pool. */
	if (strstr(arg, "kfence.sample_interval=1") && !TEST_ASAN)
		CHECK(kfence_objects_checked > 0);
}

static void test_modes(void)
{
	static const char *const modes[] = {
		"init_on_alloc=1", "init_on_free=1", "init_on_alloc=1 init_on_free=1",
		"init_on_alloc=1 slub_debug=FZU kfence.sample_interval=1",
		"init_on_free=1 slub_debug=FZU kfence.sample_interval=1",
		"init_on_free=1 slab_freelist_random=1 kfence.sample_interval=1",
		"init_on_free=1 slab_rseq=0",
	};

	run_cmdlines(meminit_child, modes, ARRAY_SIZE(modes));
}

int main(void)
{
	KTEST_RUN(KTEST(test_modes));
}
