/* SPDX-License-Identifier: MIT */
/*
 * tests/sanitizers/target.c - the program tests/test_sanitizers.c runs:
 * built twice, with -fsanitize=address and without (for valgrind), both
 * against the ordinary shared libukmem.  argv[1] names one bad access
 * (or "ok": every legal one, which must stay silent); it prints
 * "TARGET DONE" if it gets to the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mempool.h>

static volatile unsigned char sink;
static volatile uint64_t sink64;

/* Out of line, so that the access is one load in a frame of its own. */
static noinline void read1(const void *p, size_t off)
{
	sink = ((const volatile unsigned char *)p)[off];
}

static noinline void read8(const void *p, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)p + off, sizeof(v));	/* one 8-byte load */
	sink64 = v;
}

/* Everything a caller may touch: no report from any tool. */
static int legal(void)
{
	struct kmem_cache *c;
	unsigned char *k, *k2, *v, *l, *o;
	unsigned long pg;
	mempool_t *pool;
	size_t ks, i;

	k = kmalloc(24, GFP_KERNEL);
	memset(k, 1, 24);
	read1(k, 23);
	ks = ksize(k);			/* only reports (v6.2): krealloc() hands the slack over */
	k = krealloc(k, ks, GFP_KERNEL);
	memset(k, 2, ks);
	read1(k, ks - 1);
	k2 = krealloc(k, 10, GFP_KERNEL);	/* in place, shrunk */
	read1(k2, 9);
	k2 = krealloc(k2, 30, GFP_KERNEL | __GFP_ZERO);	/* in place, grown */
	read1(k2, 29);
	k2 = krealloc(k2, 200, GFP_KERNEL);	/* moved */
	read1(k2, 9);
	k2[199] = 1;
	kfree(k2);

	v = vmalloc(100);
	memset(v, 3, 100);
	vfree(v);
	v = vzalloc(5000);
	read1(v, 4999);
	vfree(v);

	l = kmalloc(10000, GFP_KERNEL);	/* a large kmalloc: pages */
	memset(l, 4, 10000);
	kfree(l);

	pg = __get_free_pages(GFP_KERNEL, 1);
	memset((void *)pg, 5, 2 * PAGE_SIZE);
	free_pages(pg, 1);

	c = kmem_cache_create("san-40", 40, 0, 0, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	memset(o, 6, 40);
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);

	pool = mempool_create_kmalloc_pool(2, 64);
	o = mempool_alloc(pool, GFP_KERNEL);
	memset(o, 7, 64);
	mempool_free(o, pool);
	o = mempool_alloc_preallocated(pool);	/* from the reserve, and back */
	memset(o, 8, 64);
	mempool_free(o, pool);
	mempool_destroy(pool);

	/*
	 * kmsan_test's test_init_kmsan_vmap_vunmap: pages never written,
	 * vmap()ed, written through the mapping, read through their own
	 * address (the library moves their bytes to the host's file first).
	 */
	{
		struct page *pages[2];
		unsigned char *vbuf;

		pages[0] = alloc_page(GFP_KERNEL);
		pages[1] = alloc_page(GFP_KERNEL);
		vbuf = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
		if (vbuf) {
			memset(vbuf, 0xfe, 2 * PAGE_SIZE);
			read1(page_address(pages[0]), PAGE_SIZE - 1);
			read1(page_address(pages[1]), 0);
			vunmap(vbuf);
		}
		__free_page(pages[0]);
		__free_page(pages[1]);
	}

	for (i = 0; i < 1000; i++) {	/* slabs made, filled, emptied */
		void *p[8];
		int j;

		for (j = 0; j < 8; j++) {
			p[j] = kmalloc(8 << j, GFP_KERNEL);
			memset(p[j], j, 8 << j);
		}
		for (j = 0; j < 8; j++)
			kfree(p[j]);
	}
	return 0;
}

/*
 * Pages handed out, then slabs made in the pages between them: a slab's
 * last slot must not close what lies past the slab (under slub_debug=Z
 * the tail of an object runs to the next slot's left red zone, which the
 * last object does not have).  Every byte of the pages is the program's.
 */
static void neighbours(void)
{
	static const unsigned int sizes[] = { 64, 96, 128, 192, 256 };
	static unsigned long pg[512];
	unsigned int i, j;

	for (i = 0; i < 512; i++)
		pg[i] = __get_free_pages(GFP_KERNEL, 0);
	for (i = 0; i < 512; i += 2) {
		free_pages(pg[i], 0);
		pg[i] = 0;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char name[16];
		struct kmem_cache *c;

		snprintf(name, sizeof(name), "nb-%u", sizes[i]);
		c = kmem_cache_create(name, sizes[i], 0, 0, NULL);
		for (j = 0; j < 1000; j++)
			kmem_cache_alloc(c, GFP_KERNEL);
	}
	for (i = 1; i < 512; i += 2)
		for (j = 0; j < 4096; j++)
			read1((void *)pg[i], j);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "ok";
	unsigned char *k;

	if (!strcmp(what, "ok")) {
		legal();
	} else if (!strcmp(what, "neighbours")) {	/* legal too */
		neighbours();
	} else if (!strcmp(what, "slack")) {	/* k[30] of kmalloc(24): kmalloc-32's slack */
		k = kmalloc(24, GFP_KERNEL);
		read1(k, 30);
	} else if (!strcmp(what, "slack8")) {	/* 8 bytes right after the 24 asked for */
		k = kmalloc(24, GFP_KERNEL);
		read8(k, 24);
	} else if (!strcmp(what, "uaf")) {
		k = kmalloc(24, GFP_KERNEL);
		kfree(k);
		read1(k, 0);
	} else if (!strcmp(what, "krealloc")) {	/* shrunk in place: the old tail is gone */
		k = krealloc(kmalloc(30, GFP_KERNEL), 10, GFP_KERNEL);
		read1(k, 12);
	} else if (!strcmp(what, "cache")) {	/* past a cache's object: the next one, never handed out */
		struct kmem_cache *c = kmem_cache_create("san-40", 40, 0, 0, NULL);

		k = kmem_cache_alloc(c, GFP_KERNEL);
		read1(k, 40);
	} else if (!strcmp(what, "large")) {
		k = kmalloc(10000, GFP_KERNEL);
		read1(k, 10000);
	} else if (!strcmp(what, "vmalloc")) {	/* inside the last page, past the size */
		k = vmalloc(100);
		read1(k, 100);
	} else if (!strcmp(what, "vfree")) {
		k = vmalloc(100);
		vfree(k);
		read1(k, 0);
	} else if (!strcmp(what, "mempool")) {	/* back in the pool's reserve */
		mempool_t *pool = mempool_create_kmalloc_pool(2, 64);

		k = mempool_alloc_preallocated(pool);
		mempool_free(k, pool);
		read1(k, 0);
	} else if (!strcmp(what, "pages")) {
		unsigned long pg = __get_free_pages(GFP_KERNEL, 0);

		free_pages(pg, 0);
		read1((void *)pg, 8);
	} else {
		fprintf(stderr, "unknown case %s\n", what);
		return 2;
	}
	fprintf(stderr, "TARGET DONE\n");
	return 0;
}
