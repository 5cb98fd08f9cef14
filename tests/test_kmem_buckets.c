/* SPDX-License-Identifier: MIT */
/*
 * kmem_buckets (v6.11+, mm/slab_common.c kmem_buckets_create): one cache
 * per kmalloc size class, named "NAME-SIZE" after kmalloc's, never merged
 * with kmalloc's or another set's; kmem_buckets_alloc() picks by size as
 * kmalloc does (0: ZERO_SIZE_PTR, above 8 KiB: the large path, a gfp's
 * kmalloc type ignored, NULL buckets: plain kmalloc); the usercopy window
 * clipped to each size; the constructor; kmem_buckets_valloc() falling
 * back to vmalloc; kfree()/ksize()/krealloc() of the objects; four
 * threads; and kmem_buckets_create() as a process's first call.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include <ukmem/slab_debug.h>
#include "mm/kfence.h"
#include "mm/slab.h"
#include "ktest_boot.h"

static int ctor_calls;

static void count_ctor(void *obj)
{
	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
	memset(obj, 0x42, 8);
}

/* The cache an object of ours came from. */
/* A KFENCE object (sampled every 100 ms by default) has no slab page: its metadata names the cache. */
static struct kmem_cache *cache_of(const void *p)
{
	struct slab *slab = virt_to_slab(p);

	if (is_kfence_address(p))
		return addr_to_metadata((unsigned long)p)->cache;
	return slab ? slab->slab_cache : NULL;
}

static kmem_buckets *msg;

static void test_names_and_classes(void)
{
	static const struct { unsigned int idx; const char *name; } want[] = {
		{ 3, "msg-8" }, { 1, "msg-96" }, { 2, "msg-192" }, { 6, "msg-64" },
		{ 10, "msg-1k" }, { 13, "msg-8k" },
	};

	msg = kmem_buckets_create("msg", 0, 0, 0, NULL);
	CHECK(msg != NULL && msg != ZERO_SIZE_PTR);
	if (!msg)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct kmem_cache *s = (*msg)[want[i].idx];

		CHECK(s && !strcmp(s->name, want[i].name));
		CHECK(s && s != kmalloc_caches[KMALLOC_NORMAL][want[i].idx]);	/* not merged */
		CHECK(s && s->object_size == kmalloc_caches[KMALLOC_NORMAL][want[i].idx]->object_size);
	}
	CHECK((*msg)[0] == NULL);
	/* A second set is a second set of caches. */
	kmem_buckets *other = kmem_buckets_create("msg", 0, 0, 0, NULL);
	CHECK(other && (*other)[6] != (*msg)[6]);
}

static void test_alloc_paths(void)
{
	char *p, *q;

	if (!msg)
		return;
	p = kmem_buckets_alloc(msg, 50, GFP_KERNEL);
	CHECK(p && cache_of(p) == (*msg)[6]);			/* 50 bytes: the 64 class */
	CHECK_EQ(ksize(p), 64);
	memset(p, 1, 50);
	q = krealloc(p, 40, GFP_KERNEL);			/* fits: in place */
	CHECK(q == p);
	kfree(q);
	p = kmem_buckets_alloc(msg, 100, GFP_KERNEL | __GFP_ZERO);
	CHECK(p && cache_of(p) == (*msg)[7] && p[0] == 0 && p[99] == 0);
	kfree(p);
	p = kmem_buckets_alloc(msg, 70, GFP_KERNEL | GFP_DMA);	/* kmalloc's type is ignored */
	CHECK(p && cache_of(p) == (*msg)[1]);
	kfree(p);
	CHECK(kmem_buckets_alloc(msg, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = kmem_buckets_alloc(msg, 20000, GFP_KERNEL);		/* above 8 KiB: pages */
	CHECK(p && !PageSlab(virt_to_head_page(p)));
	memset(p, 2, 20000);
	kfree(p);
	p = kmem_buckets_alloc(NULL, 50, GFP_KERNEL);		/* no buckets: kmalloc */
	CHECK(p && cache_of(p) == kmalloc_caches[KMALLOC_NORMAL][6]);
	kfree(p);
	p = kmem_buckets_alloc_track_caller(msg, 8, GFP_KERNEL);
	CHECK(p && cache_of(p) == (*msg)[3]);
	kfree(p);

	p = kmem_buckets_valloc(msg, 3000, GFP_KERNEL);
	CHECK(p && !is_vmalloc_addr(p) && cache_of(p) == (*msg)[12]);
	kvfree(p);
	p = kmem_buckets_valloc(msg, 8 << 20, GFP_KERNEL);	/* above kmalloc: vmalloc */
	CHECK(p && is_vmalloc_addr(p));
	kvfree(p);
}

static void test_usercopy_and_ctor(void)
{
	kmem_buckets *b = kmem_buckets_create("uc", SLAB_HWCACHE_ALIGN, 16, 32, count_ctor);
	unsigned char *p;

	CHECK(b != NULL);
	if (!b)
		return;
	/* The window, clipped to each size. */
	CHECK((*b)[3]->useroffset == 0 && (*b)[3]->usersize == 0);	/* 8: past its end */
	CHECK((*b)[5]->useroffset == 16 && (*b)[5]->usersize == 16);	/* 32: 16 left */
	CHECK((*b)[6]->useroffset == 16 && (*b)[6]->usersize == 32);	/* 64: all of it */
	ctor_calls = 0;
	p = kmem_buckets_alloc(b, 60, GFP_KERNEL);
	CHECK(p && ctor_calls > 0 && p[0] == 0x42 && p[7] == 0x42);
	kfree(p);
}

static void *bucket_worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	void *held[32] = { NULL };
	long bad = 0;

	for (int round = 0; round < 20000; round++) {
		int slot = rand_r(&seed) % 32;

		if (held[slot]) {
			bad += *(uintptr_t *)held[slot] != (uintptr_t)held[slot];
			kfree(held[slot]);
			held[slot] = NULL;
		} else {
			held[slot] = kmem_buckets_alloc(msg, 8 + rand_r(&seed) % 3000, GFP_KERNEL);
			if (held[slot])
				*(uintptr_t *)held[slot] = (uintptr_t)held[slot];
		}
	}
	for (int i = 0; i < 32; i++)
		kfree(held[i]);
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	void *bad;

	if (!msg)
		return;
	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, bucket_worker, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		CHECK_EQ((long)bad, 0);
	}
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

/* The process's first ukmem call is kmem_buckets_create(): it boots the machine. */
static void first_call(void *unused)
{
	kmem_buckets *b = kmem_buckets_create("first", 0, 0, 0, NULL);
	void *p = b ? kmem_buckets_alloc(b, 30, GFP_KERNEL) : NULL;

	CHECK(p && virt_to_slab(p)->slab_cache == (*b)[5]);
	kfree(p);
}


int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_names_and_classes), KTEST(test_alloc_paths),
		  KTEST(test_usercopy_and_ctor), KTEST(test_threads));
}
