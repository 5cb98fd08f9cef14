/* SPDX-License-Identifier: MIT */
/*
 * tests/install/kernel_style.c - built by .ci/run against the installed
 * headers and library (pkg-config ukmem), as a user would build it: every
 * public header compiles outside the source tree, and the basic calls of
 * each subsystem link and run.
 */
#include <stdio.h>
#include <asm/io.h>
#include <linux/bootmem.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/memblock.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>

static DEFINE_PER_CPU(long, hits);

int main(void)
{
	struct kmem_cache *cache = kmem_cache_create("install_check", 100, 0, 0, NULL);
	mempool_t *pool = mempool_create_kmalloc_pool(4, 64);
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	void *obj, *area, *elem;
	long sum = 0;
	int cpu;

	if (!cache || !pool || !page)
		return 1;
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	area = vmalloc(1 << 20);
	elem = mempool_alloc(pool, GFP_KERNEL);
	if (!obj || !area || !elem)
		return 1;
	this_cpu_inc(hits);
	for_each_possible_cpu(cpu)
		sum += per_cpu(hits, cpu);
	mempool_free(elem, pool);
	mempool_destroy(pool);
	vfree(area);
	kmem_cache_free(cache, obj);
	kmem_cache_destroy(cache);
	__free_pages(page, 2);
	if (sum != 1)
		return 1;
	return ukmem_show("slabinfo", stdout) ? 1 : 0;
}
