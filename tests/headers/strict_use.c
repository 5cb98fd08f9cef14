/* SPDX-License-Identifier: MIT */
/*
 * tests/headers/strict_use.c - the kernel API's macros and inline
 * functions as a program uses them, compiled by tests/headers/strict.sh
 * under -Wall -Wextra -Wshadow ... -Werror: what expands into the
 * program's own code must not make its build fail.  Compiled only, never
 * run (the unit tests check what these calls do).
 */
#include <asm/io.h>
#include <linux/align.h>
#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/cleanup.h>
#include <linux/container_of.h>
#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/mempool.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct item {
	struct list_head node;
	struct kref ref;
	refcount_t users;
	int key;
	size_t n;
	u32 flex[];
};

static DEFINE_PER_CPU(unsigned long, hits);
static DEFINE_MUTEX(items_lock);
static DEFINE_SPINLOCK(stats_lock);
static LIST_HEAD(items);

static void item_release(struct kref *ref)
{
	kfree(container_of(ref, struct item, ref));
}

static struct item *item_new(int key, size_t n, gfp_t gfp)
{
	struct item *it = kzalloc(struct_size(it, flex, n), gfp);

	if (!it)
		return ERR_PTR(-ENOMEM);
	kref_init(&it->ref);
	refcount_set(&it->users, 1);
	it->key = key;
	it->n = n;
	return it;
}

static int sum_items(void)
{
	struct item *it, *tmp;
	int sum = 0;

	/* An RCU reader inlines the read-side fast path (and, under TSan, no fence). */
	rcu_read_lock();
	rcu_read_unlock();
	guard(mutex)(&items_lock);
	list_for_each_entry_safe(it, tmp, &items, node) {
		sum += it->key;
		if (refcount_dec_and_test(&it->users)) {
			list_del(&it->node);
			kref_put(&it->ref, item_release);
		}
	}
	return sum;
}

static unsigned long arithmetic(unsigned long a, unsigned int b, int c)
{
	unsigned long r = 0;
	size_t bytes;

	r += min(a, 10UL) + max_t(unsigned long, b, 3) + clamp(c, -4, 4);
	r += min3(a, (unsigned long)b, 7UL) + abs_diff(a, (unsigned long)b) + umin(a, b);
	r += ALIGN(a, 64) + ALIGN_DOWN(a, 8) + DIV_ROUND_UP(a, 3) + roundup(b, 12U);
	r += BIT(3) + GENMASK(7, 4) + BIT_ULL(40) + ilog2(a | 1) + roundup_pow_of_two(b | 1);
	r += is_power_of_2(a) + PAGE_ALIGN(a) + PFN_UP(a) + round_up(a, 16UL);
	r += array_size(a, b) + size_add(a, b) + size_mul(b, 4);
	if (check_mul_overflow(a, (unsigned long)b, &bytes))
		r++;
	return r;
}

static void pages_and_maps(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	unsigned long addr = __get_free_page(GFP_KERNEL);
	void *v = vmalloc_array(4, PAGE_SIZE), *k;
	char *map;

	if (page) {
		map = kmap_local_page(page);
		memset(map, 1, PAGE_SIZE);
		kunmap_local(map);
		k = page_address(page);
		if (virt_to_page(k) == page && page_to_pfn(page) == PHYS_PFN(virt_to_phys(k)))
			get_page(page);
		put_page(page);
		__free_pages(page, 1);
	}
	if (addr)
		free_page(addr);
	vfree(v);
	kvfree(kvmalloc_array(8, 64, GFP_KERNEL));
	kfree(krealloc_array(NULL, 4, 32, GFP_KERNEL));
	kfree_sensitive(kmemdup("abc", 4, GFP_KERNEL));
}

static void pools_and_percpu(struct device *dev)
{
	mempool_t *pool = mempool_create_kmalloc_pool(4, 64);
	struct dma_pool *dpool = dma_pool_create("strict", dev, 64, 64, 0);
	DECLARE_BITMAP(mask, 128);
	unsigned long flags, total = 0;
	dma_addr_t dma;
	void *cpu_addr;
	int cpu;

	bitmap_zero(mask, 128);
	if (pool)
		mempool_free(mempool_alloc(pool, GFP_KERNEL), pool);
	mempool_destroy(pool);
	if (dpool) {
		cpu_addr = dma_pool_alloc(dpool, GFP_KERNEL, &dma);
		if (cpu_addr && !dma_mapping_error(dev, dma))
			dma_pool_free(dpool, cpu_addr, dma);
		dma_pool_destroy(dpool);
	}
	this_cpu_inc(hits);
	for_each_possible_cpu(cpu)
		total += per_cpu(hits, cpu);
	spin_lock_irqsave(&stats_lock, flags);
	total += find_first_zero_bit(mask, 128);
	spin_unlock_irqrestore(&stats_lock, flags);
	(void)total;
}

/* The audit's additions (tests/test_api_surface.c checks what they do). */
static DEFINE_PER_CPU(u64, stamps);

static void audit_additions(void)
{
	struct page *page = alloc_page(gfp_nested_mask(GFP_KERNEL));
	u64 seen = 0;
	int count = 0;
	char **argv = argv_split(GFP_KERNEL, "a b", &count);
	void *p = kmalloc_node_track_caller_noprof(8, GFP_KERNEL, NUMA_NO_NODE, _RET_IP_);

	if (argv)
		argv_free(argv);
	kfree(p);
	if (page) {
		if (try_get_page(page) && page_ref_dec_return(page) > 0 && page_shift(page))
			flush_dcache_page(page);
		(void)page_ref_add_unless(page, 1, 0);
		put_page(page);
		__free_page(page);
	}
	get_cpu();
	(void)raw_cpu_try_cmpxchg64(stamps, &seen, 1);
	(void)this_cpu_cmpxchg64(stamps, 1, 2);
	(void)raw_cpu_inc_return(hits);
	__get_cpu_var(hits)++;
	put_cpu();
	if (want_init_on_alloc(GFP_KERNEL) || gfp_pfmemalloc_allowed(GFP_ATOMIC))
		kmap_flush_unused();
	(void)get_num_physpages();
	(void)arch_slab_minalign();
}

int main(void)
{
	audit_additions();
	struct item *it = item_new(1, 4, GFP_KERNEL);
	struct kmem_cache *cache = KMEM_CACHE(item, SLAB_HWCACHE_ALIGN);

	if (!IS_ERR(it)) {
		mutex_lock(&items_lock);
		list_add_tail(&it->node, &items);
		mutex_unlock(&items_lock);
	}
	pages_and_maps();
	pools_and_percpu(NULL);
	kmem_cache_destroy(cache);
	return sum_items() + (int)arithmetic(5, 6, -7);
}
