/* SPDX-License-Identifier: MIT */
/*
 * tests/vmalloc_kunit.h - the kernel's vmalloc stress test (lib/test_vmalloc.c)
 * written from its expectations, shared by tests/test_vmalloc_kunit.c
 * (reduced loop counts, unit suite) and tests/stress_vmalloc.c (the
 * kernel's defaults: 1000000 loops, stress label).
 *
 * Cases, each 0 for success: fix_size_alloc, full_fit_alloc,
 * long_busy_list_alloc (15000 one-page areas stay alive while the loop
 * runs), random_size_alloc, fix_align_alloc, random_size_align_alloc,
 * align_shift_alloc (expected to fail: alignments up to 2^63 cannot be
 * met, and the failure must leave nothing behind), pcpu_alloc,
 * kvfree_rcu_1_arg_vmalloc and kvfree_rcu_2_arg_vmalloc (one-page areas
 * handed to kvfree_rcu() without and with an rcu_head), vm_map_ram, and
 * the v6.18+ cases: no_block_alloc (GFP_ATOMIC or GFP_NOWAIT vmalloc with
 * preemption off; the kernel lets it fail, ukmem never blocks in vmalloc
 * and must succeed) and vrealloc (grow past the pages, shrink across and
 * within a page, grow back in place, the first byte kept throughout).
 * Every worker thread runs every case, in a shuffled order, as the
 * kernel's test_func() does; afterwards (once kvfree_rcu_barrier() has
 * run the deferred frees) nothing may be left: VmallocUsed and the free
 * page count are back.
 */
#ifndef _UKMEM_VMALLOC_KUNIT_H
#define _UKMEM_VMALLOC_KUNIT_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include "ktest.h"

#define VMK_NR_CASES		13
#define VMK_THREAD_ALIGN	(16UL << 10)	/* x86-64 THREAD_SIZE */

static long vmk_loops = 1000000;	/* test_loop_count */

struct vmk_worker {
	unsigned long rnd;
	int passed[VMK_NR_CASES], failed[VMK_NR_CASES];
};

static unsigned int vmk_random(struct vmk_worker *w)
{
	w->rnd ^= w->rnd << 13;
	w->rnd ^= w->rnd >> 7;
	w->rnd ^= w->rnd << 17;
	return (unsigned int)(w->rnd >> 16);
}

static inline void vmk_tick(long i)
{
	if (!(i & 1023))
		ktest_progress();
}

static int vmk_random_size_align_alloc(struct vmk_worker *w)
{
	long i;

	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		unsigned int rnd = vmk_random(w) & 0xff;
		unsigned long align = 1UL << (rnd % 23);
		unsigned long size = ((rnd % 10) + 1) * PAGE_SIZE;
		void *ptr = __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO, 0,
					   __builtin_return_address(0));

		if (!ptr)
			return -1;
		vfree(ptr);
	}
	return 0;
}

/* Supposed to fail, as in the kernel. */
static int vmk_align_shift_alloc(struct vmk_worker *w)
{
	int i;

	(void)w;
	for (i = 0; i < BITS_PER_LONG; i++) {
		void *ptr = __vmalloc_node(PAGE_SIZE, 1UL << i, GFP_KERNEL | __GFP_ZERO |
					   __GFP_NOWARN, 0, __builtin_return_address(0));

		if (!ptr)
			return -1;
		vfree(ptr);
	}
	return 0;
}

static int vmk_fix_align_alloc(struct vmk_worker *w)
{
	long i;

	(void)w;
	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		void *ptr = __vmalloc_node(5 * PAGE_SIZE, VMK_THREAD_ALIGN << 1,
					   GFP_KERNEL | __GFP_ZERO, 0, __builtin_return_address(0));

		if (!ptr)
			return -1;
		vfree(ptr);
	}
	return 0;
}

static int vmk_random_size_alloc(struct vmk_worker *w)
{
	long i;

	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		unsigned int n = vmk_random(w) % 100 + 1;
		unsigned char *p = vmalloc(n * PAGE_SIZE);

		if (!p)
			return -1;
		*p = 1;
		vfree(p);
	}
	return 0;
}

static int vmk_long_busy_list_alloc(struct vmk_worker *w)
{
	void **ptr;
	int rv = -1, i;
	long l;

	(void)w;
	ptr = vmalloc(sizeof(void *) * 15000);
	if (!ptr)
		return rv;
	for (i = 0; i < 15000; i++)
		ptr[i] = vmalloc(PAGE_SIZE);
	for (l = 0; l < vmk_loops; l++, vmk_tick(l)) {
		unsigned char *p1 = vmalloc(100 * PAGE_SIZE), *p2;

		if (!p1)
			goto leave;
		p2 = vmalloc(PAGE_SIZE);
		if (!p2) {
			vfree(p1);
			goto leave;
		}
		*p1 = 0;
		*p2 = 1;
		vfree(p1);
		vfree(p2);
	}
	rv = 0;
leave:
	for (i = 0; i < 15000; i++) {
		if (!ptr[i])
			rv = -1;	/* the kernel ignores it; here every one must succeed */
		vfree(ptr[i]);
	}
	vfree(ptr);
	return rv;
}

static int vmk_full_fit_alloc(struct vmk_worker *w)
{
	int junk_length = fls((unsigned int)num_online_cpus()) * (int)((32UL << 20) / PAGE_SIZE);
	void **ptr, **junk;
	int rv = -1, i;
	long l;

	(void)w;
	ptr = vmalloc(sizeof(void *) * (unsigned long)junk_length);
	if (!ptr)
		return rv;
	junk = vmalloc(sizeof(void *) * (unsigned long)junk_length);
	if (!junk) {
		vfree(ptr);
		return rv;
	}
	for (i = 0; i < junk_length; i++) {
		ptr[i] = vmalloc(PAGE_SIZE);
		junk[i] = vmalloc(PAGE_SIZE);
		vmk_tick(i);
	}
	for (i = 0; i < junk_length; i++)
		vfree(junk[i]);
	for (l = 0; l < vmk_loops; l++, vmk_tick(l)) {
		unsigned char *tmp = vmalloc(PAGE_SIZE);

		if (!tmp)
			goto error;
		*tmp = 1;
		vfree(tmp);
	}
	rv = 0;
error:
	for (i = 0; i < junk_length; i++) {
		if (!ptr[i])
			rv = -1;
		vfree(ptr[i]);
	}
	vfree(ptr);
	vfree(junk);
	return rv;
}

static int vmk_fix_size_alloc(struct vmk_worker *w)
{
	long i;

	(void)w;
	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		unsigned char *ptr = vmalloc(PAGE_SIZE);

		if (!ptr)
			return -1;
		*ptr = 0;
		vfree(ptr);
	}
	return 0;
}

static int vmk_pcpu_alloc(struct vmk_worker *w)
{
	void __percpu **pcpu = vmalloc(sizeof(void __percpu *) * 35000);
	int rv = 0, i;

	if (!pcpu)
		return -1;
	for (i = 0; i < 35000; i++, vmk_tick(i)) {
		size_t size = vmk_random(w) % (PAGE_SIZE / 4) + 1;
		size_t align = 1UL << (vmk_random(w) % 11 + 1);

		pcpu[i] = __alloc_percpu(size, align);
		if (!pcpu[i])
			rv = -1;
	}
	for (i = 0; i < 35000; i++)
		free_percpu(pcpu[i]);
	vfree(pcpu);
	return rv;
}

static int vmk_vm_map_ram(struct vmk_worker *w)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long i;

	(void)w;
	if (!page)
		return -1;
	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		unsigned char *v = vm_map_ram(&page, 1, NUMA_NO_NODE);

		if (!v) {
			__free_page(page);
			return -1;
		}
		*v = 'a';
		vm_unmap_ram(v, 1);
	}
	__free_page(page);
	return 0;
}

/* The kernel's struct test_kvfree_rcu: a head and a few bytes of payload. */
struct vmk_kvfree_rcu {
	struct rcu_head rcu;
	unsigned char array[20];
};

/* kvfree_rcu_1_arg_vmalloc_test: headless, the pointer alone is queued. */
static int vmk_kvfree_rcu_1_arg_vmalloc(struct vmk_worker *w)
{
	long i;

	(void)w;
	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		struct vmk_kvfree_rcu *p = vmalloc(PAGE_SIZE);

		if (!p)
			return -1;
		p->array[0] = 'a';
		kvfree_rcu_mightsleep(p);
	}
	return 0;
}

/* kvfree_rcu_2_arg_vmalloc_test: through the rcu_head inside the area. */
static int vmk_kvfree_rcu_2_arg_vmalloc(struct vmk_worker *w)
{
	long i;

	(void)w;
	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		struct vmk_kvfree_rcu *p = vmalloc(PAGE_SIZE);

		if (!p)
			return -1;
		p->array[0] = 'a';
		kvfree_rcu(p, rcu);
	}
	return 0;
}

/*
 * no_block_alloc_test (v6.18, with non-blocking vmalloc): GFP_ATOMIC or
 * GFP_NOWAIT at random, from atomic context.
 */
static int vmk_no_block_alloc(struct vmk_worker *w)
{
	long i;

	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		gfp_t gfp = (vmk_random(w) & 1) ? GFP_ATOMIC : GFP_NOWAIT;
		unsigned char *p;

		preempt_disable();
		p = __vmalloc(PAGE_SIZE, gfp);
		preempt_enable();
		if (!p)
			return -1;
		*p = 0;
		vfree(p);
	}
	return 0;
}

/* vrealloc_test: the first byte survives every resize. */
static int vmk_vrealloc(struct vmk_worker *w)
{
	static const unsigned long sizes[] = {
		4 * PAGE_SIZE,		/* past the pages it has: a new area */
		PAGE_SIZE,		/* across a page: the tail pages go */
		PAGE_SIZE / 2,		/* within the page */
		PAGE_SIZE,		/* back up inside the page it kept: in place */
	};
	long i;
	int k;

	(void)w;
	for (i = 0; i < vmk_loops; i++, vmk_tick(i)) {
		unsigned char *p = vmalloc(PAGE_SIZE);

		if (!p)
			return -1;
		*p = 'a';
		for (k = 0; k < 4; k++) {
			unsigned char *q = vrealloc(p, sizes[k], GFP_KERNEL);

			if (!q) {
				vfree(p);
				return -1;
			}
			p = q;
			if (*p != 'a') {
				vfree(p);
				return -1;
			}
		}
		vfree(p);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct vmk_worker *w);
	bool expect_fail;
} vmk_cases[VMK_NR_CASES] = {
	{ "fix_size_alloc_test", vmk_fix_size_alloc, false },
	{ "full_fit_alloc_test", vmk_full_fit_alloc, false },
	{ "long_busy_list_alloc_test", vmk_long_busy_list_alloc, false },
	{ "random_size_alloc_test", vmk_random_size_alloc, false },
	{ "fix_align_alloc_test", vmk_fix_align_alloc, false },
	{ "random_size_align_alloc_test", vmk_random_size_align_alloc, false },
	{ "align_shift_alloc_test", vmk_align_shift_alloc, true },
	{ "pcpu_alloc_test", vmk_pcpu_alloc, false },
	{ "kvfree_rcu_1_arg_vmalloc_test", vmk_kvfree_rcu_1_arg_vmalloc, false },
	{ "kvfree_rcu_2_arg_vmalloc_test", vmk_kvfree_rcu_2_arg_vmalloc, false },
	{ "vm_map_ram_test", vmk_vm_map_ram, false },
	{ "no_block_alloc_test", vmk_no_block_alloc, false },
	{ "vrealloc_test", vmk_vrealloc, false },
};

static void *vmk_worker_fn(void *arg)
{
	struct vmk_worker *w = arg;
	int order[VMK_NR_CASES], i, j;

	for (i = 0; i < VMK_NR_CASES; i++)
		order[i] = i;
	for (i = VMK_NR_CASES - 1; i > 0; i--) {	/* shuffle_array() */
		int t;

		j = (int)(vmk_random(w) % (unsigned int)i);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < VMK_NR_CASES; i++) {
		if (vmk_cases[order[i]].fn(w))
			w->failed[order[i]]++;
		else
			w->passed[order[i]]++;
		ktest_progress();
	}
	return NULL;
}

/* Run every case in @nr_threads workers; CHECK each outcome and the aftermath. */
static void vmk_run(int nr_threads, long loops, unsigned long seed)
{
	struct vmk_worker w[8];
	pthread_t tid[8];
	unsigned long used0, free0, slab0, pcpu0;
	int t, c;

	vmk_loops = loops;
	/*
	 * The kernel's vmalloc is up from boot (vmalloc_init()); ukmem's is
	 * built by the first vmalloc() (in atomic context too, as
	 * no_block_alloc_test's may be; test_first_use checks that): make
	 * that first call here, before the baseline is taken.
	 */
	vfree(vmalloc(PAGE_SIZE));
	vm_unmap_aliases();
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	used0 = vmalloc_nr_pages();
	free0 = nr_free_pages();
	slab0 = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
	pcpu0 = pcpu_nr_pages();
	memset(w, 0, sizeof(w));
	for (t = 0; t < nr_threads; t++) {
		w[t].rnd = seed * 2654435761UL + (unsigned long)t * 40503UL + 1;
		CHECK(pthread_create(&tid[t], NULL, vmk_worker_fn, &w[t]) == 0);
	}
	for (t = 0; t < nr_threads; t++)
		pthread_join(tid[t], NULL);
	for (t = 0; t < nr_threads; t++)
		for (c = 0; c < VMK_NR_CASES; c++) {
			if (vmk_cases[c].expect_fail ? w[t].passed[c] : w[t].failed[c])
				fprintf(stderr, "Summary: %s passed: %d failed: %d loops: %ld (worker %d)\n",
					vmk_cases[c].name, w[t].passed[c], w[t].failed[c], loops, t);
			CHECK_EQ(w[t].passed[c], vmk_cases[c].expect_fail ? 0 : 1);
			CHECK_EQ(w[t].failed[c], vmk_cases[c].expect_fail ? 1 : 0);
		}
	/* Nothing left behind: the pages and the address space come back. */
	kvfree_rcu_barrier();
	vm_unmap_aliases();
	/*
	 * Empty slabs and the per-CPU lists are not leaks: give them back
	 * before counting, and say where the pages are if some are missing.
	 */
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	CHECK_EQ(vmalloc_nr_pages(), used0);
	if (nr_free_pages() + 512 < free0)
		fprintf(stderr, "free pages %lu -> %lu; slab pages %lu -> %lu; percpu pages %lu -> %lu\n",
			free0, nr_free_pages(), slab0,
			global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B), pcpu0, pcpu_nr_pages());
	CHECK(nr_free_pages() + 512 >= free0);
	{
		void *first = vmalloc(PAGE_SIZE);

		CHECK_EQ((unsigned long)first, VMALLOC_START);
		vfree(first);
	}
}

#endif /* _UKMEM_VMALLOC_KUNIT_H */
