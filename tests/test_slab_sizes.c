/* SPDX-License-Identifier: MIT */
/*
 * Every path that zeroes, copies or frees an object uses the right size,
 * under each debug command line: kzalloc and the other __GFP_ZERO forms,
 * krealloc shrinking and growing (in place and moving, with and without
 * __GFP_ZERO), ksize() and writing all of it, kfree_sensitive, kmemdup and
 * the string copies, bulk allocation, large kmalloc, and the library's own
 * callers of kzalloc (mempool_create_node, vmalloc's areas, kvmalloc).
 *
 * With slub_debug=...ZU a kmalloc object keeps the size asked for and the
 * rest of it is a red zone that kfree() checks (the kernel's kmalloc
 * redzone); anything that writes into that rest on the caller's behalf is
 * a false "kmalloc Redzone overwritten" report and, with F, an object
 * that is never freed.  Each command line boots in its own child; the
 * contents are checked as the kernel specifies them, and no report of any
 * kind may be made.
 */
#include "slab_test.h"

#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem/slab_debug.h>
#include "mm/slab.h"

static const size_t sizes[] = {
	1, 7, 8, 9, 24, 40, 48, 56, 64, 65, 96, 100, 128, 192, 200, 500, 1000,
	2048, 4000, 4096, 8000, 8192, 8193, 10000, 70000,
};

/* Bytes of @p[0..n) that are not the pattern fill() wrote. */
static size_t unlike(const void *p, size_t n, unsigned char seed)
{
	const unsigned char *c = p;
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += c[i] != (unsigned char)(seed + i * 7);
	return bad;
}

static void fill(void *p, size_t n, unsigned char seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = (unsigned char)(seed + i * 7);
}

/* Every __GFP_ZERO form, every size up to a page, then the classes and large ones. */
static void zeroed_allocations(void)
{
	struct kmem_cache *s = kmem_cache_create("tsz_zalloc", 72, 0, 0, NULL);
	size_t n, bad = 0;
	unsigned int i;
	void *p[64];

	for (n = 1; n <= 2 * PAGE_SIZE + 64; n += n < 600 ? 1 : 61) {
		void *a = kzalloc(n, GFP_KERNEL);
		void *b = kmalloc(n, GFP_KERNEL | __GFP_ZERO);
		void *c = kcalloc(n, 1, GFP_KERNEL);
		void *d = kzalloc_node(n, GFP_KERNEL, 0);

		bad += nonzero_bytes(a, n) + nonzero_bytes(b, n);
		bad += nonzero_bytes(c, n) + nonzero_bytes(d, n);
		/* The caller owns all n bytes. */
		memset(a, 0xa1, n);
		memset(b, 0xa2, n);
		memset(c, 0xa3, n);
		memset(d, 0xa4, n);
		kfree(a);
		kfree(b);
		kfree(c);
		kfree(d);
		ktest_progress();
	}
	CHECK_EQ(bad, 0);
	for (i = 0, bad = 0; i < ARRAY_SIZE(sizes); i++) {
		void *a = kzalloc(sizes[i], GFP_KERNEL);

		bad += nonzero_bytes(a, sizes[i]);
		memset(a, 0x5e, sizes[i]);
		kfree(a);
	}
	CHECK_EQ(bad, 0);
	for (i = 0, bad = 0; i < 200; i++) {
		void *a = kmem_cache_zalloc(s, GFP_KERNEL);

		bad += nonzero_bytes(a, 72);
		memset(a, 0x3c, 72);
		kmem_cache_free(s, a);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO, ARRAY_SIZE(p), p),
		 (int)ARRAY_SIZE(p));
	for (i = 0, bad = 0; i < ARRAY_SIZE(p); i++) {
		bad += nonzero_bytes(p[i], 72);
		memset(p[i], 0x3d, 72);
	}
	CHECK_EQ(bad, 0);
	kmem_cache_free_bulk(s, ARRAY_SIZE(p), p);
	kmem_cache_destroy(s);
}

/*
 * krealloc from every size to every size: the old bytes that fit come
 * along; with __GFP_ZERO on every call since the first (the kernel's
 * rule), the bytes gained are zero.  Then a chain that shrinks and grows
 * in place.
 */
static void krealloc_matrix(void)
{
	size_t kept = 0, dirty = 0, small = 0;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			size_t a = sizes[i], b = sizes[j];
			unsigned char *p = kmalloc(a, GFP_KERNEL), *q;

			fill(p, a, (unsigned char)i);
			q = krealloc(p, b, GFP_KERNEL);
			kept += unlike(q, min(a, b), (unsigned char)i);
			small += ksize(q) < b;
			fill(q, b, 3);
			kfree(q);

			p = kzalloc(a, GFP_KERNEL);
			fill(p, a, (unsigned char)j);
			q = krealloc(p, b, GFP_KERNEL | __GFP_ZERO);
			kept += unlike(q, min(a, b), (unsigned char)j);
			if (b > a)
				dirty += nonzero_bytes(q + a, b - a);
			fill(q, b, 4);
			kfree(q);
		}
		ktest_progress();
	}
	CHECK_EQ(kept, 0);
	CHECK_EQ(dirty, 0);
	CHECK_EQ(small, 0);
}

/*
 * A chain of krealloc() (or kvrealloc()) calls with __GFP_ZERO that
 * shrinks and grows, in place and moving: what the caller had stays,
 * what it gains is zero, and the live object is sound at every step.
 */
static void realloc_chain(void *(*re)(const void *, size_t, gfp_t), const size_t *steps,
			  unsigned int nr)
{
	unsigned char *p = kvzalloc(steps[0], GFP_KERNEL);
	size_t have = steps[0], bad = 0;
	unsigned int i;

	fill(p, have, 9);
	for (i = 1; i < nr; i++) {
		size_t want = steps[i];

		p = re(p, want, GFP_KERNEL | __GFP_ZERO);
		bad += unlike(p, min(have, want), 9);
		if (want > have)
			bad += nonzero_bytes(p + have, want - have);
		fill(p, want, 9);
		have = want;
		CHECK_EQ(ukmem_slab_validate_all(), 0);
		ktest_progress();
	}
	CHECK_EQ(bad, 0);
	kvfree(p);
}

static void krealloc_chain(void)
{
	static const size_t steps[] = { 48, 40, 56, 20, 64, 8, 100, 33, 4000, 12, 9000, 50 };
	static const size_t kv_steps[] = { 40, 56, 30, 5000, 3000, 6 << 20, 7 << 20, 5 << 20,
					   100, 120, 64 };
	unsigned char *p;

	realloc_chain(krealloc, steps, ARRAY_SIZE(steps));
	realloc_chain(kvrealloc, kv_steps, ARRAY_SIZE(kv_steps));
	/* Into nothing: freed, ZERO_SIZE_PTR back. */
	p = kmalloc(30, GFP_KERNEL);
	CHECK(krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = krealloc(NULL, 30, GFP_KERNEL | __GFP_ZERO);
	CHECK_EQ(nonzero_bytes(p, 30), 0);
	kfree(p);
}

/* What ksize() says the caller may use, the caller may use (and kfree_sensitive clears). */
static void ksize_users(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = kmalloc(sizes[i], GFP_KERNEL);
		size_t k = ksize(p);

		CHECK(k >= sizes[i]);
		CHECK(k <= kmalloc_size_roundup(sizes[i]));
		memset(p, 0x77, k);
		kfree(p);
		p = kmalloc(sizes[i], GFP_KERNEL);
		memset(p, 0x78, sizes[i]);
		kfree_sensitive(p);
	}
}

static void copies(void)
{
	static const char text[] = "a string of forty-one bytes, with its NUL";
	unsigned char src[300];
	unsigned int i;
	char *s;

	fill(src, sizeof(src), 1);
	for (i = 1; i <= sizeof(src); i += 13) {
		unsigned char *p = kmemdup(src, i, GFP_KERNEL);

		CHECK_EQ(unlike(p, i, 1), 0);
		kfree(p);
	}
	s = kstrdup(text, GFP_KERNEL);
	CHECK(!strcmp(s, text));
	kfree(s);
	s = kstrndup(text, 10, GFP_KERNEL);
	CHECK(!strcmp(s, "a string o"));
	kfree(s);
	s = kmemdup_nul(text, 5, GFP_KERNEL);
	CHECK(!strcmp(s, "a str"));
	kfree(s);
}

/* The library's own kzalloc callers. */
static void library_callers(void)
{
	struct kmem_cache *s = kmem_cache_create("tsz_pool", 40, 0, 0, NULL);
	mempool_t *pools[3];
	unsigned int i;
	void *p, *v;

	pools[0] = mempool_create_kmalloc_pool(4, 40);
	pools[1] = mempool_create_slab_pool(4, s);
	pools[2] = mempool_create_node(2, mempool_kmalloc, mempool_kfree, (void *)(long)100,
				       GFP_KERNEL, 0);
	for (i = 0; i < ARRAY_SIZE(pools); i++) {
		CHECK(pools[i] != NULL);
		p = mempool_alloc(pools[i], GFP_KERNEL);
		memset(p, 0x42, 40);
		mempool_free(p, pools[i]);
		mempool_destroy(pools[i]);
	}
	kmem_cache_destroy(s);
	for (i = 0; i < 8; i++) {
		size_t n = (size_t)100 << (2 * i);

		v = vmalloc(n);
		CHECK(v != NULL);
		memset(v, 0x11, n);
		vfree(v);
		v = vzalloc(n);
		CHECK_EQ(nonzero_bytes(v, n), 0);
		vfree(v);
		v = kvzalloc(n, GFP_KERNEL);
		CHECK_EQ(nonzero_bytes(v, n), 0);
		v = kvrealloc(v, n + 100, GFP_KERNEL);
		CHECK(v != NULL);
		memset(v, 0x12, n + 100);
		kvfree(v);
		ktest_progress();
	}
}

static void sizes_child(void *arg)
{
	child_boot("mem=256M loglevel=4", arg);
	zeroed_allocations();
	krealloc_matrix();
	krealloc_chain();
	ksize_users();
	copies();
	library_callers();
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	/* No false report, and so no object left unfreed by one. */
	CHECK_EQ(ukmem_slab_error_count(), 0);
}

/*
 * The very first call of a program, with the command line in the
 * environment: the boot happens inside the allocation, which turns the
 * kmalloc cache into a debug cache on the way.
 */
static void first_call_child(void *arg)
{
	unsigned char *p;

	ktest_failures = 0;
	setenv("UKMEM_CMDLINE", arg, 1);
	ukmem_set_console(stderr);
	p = kzalloc(40, GFP_KERNEL);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(nonzero_bytes(p, 40), 0);
	memset(p, 0x44, 40);
	kfree(p);
	p = kmalloc(40, GFP_KERNEL);
	memset(p, 0x45, 40);
	kfree(p);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	CHECK_EQ(ukmem_slab_error_count(), 0);
}

static void test_first_call(void)
{
	static const char *const lines[] = {
		"mem=256M loglevel=4 slub_debug=FZPU", "mem=256M loglevel=4 slub_debug=FZU",
	};

	run_cmdlines(first_call_child, lines, ARRAY_SIZE(lines));
}

static void test_cmdlines(void)
{
	static const char *const lines[] = {
		"", "slub_debug=FZPU", "slub_debug=FZU", "slub_debug=ZU", "slub_debug=FZ",
		"slub_debug=FZPU init_on_alloc=1", "slub_debug=FZU init_on_alloc=1",
		"slub_debug=FZU init_on_free=1", "init_on_alloc=1",
	};

	run_cmdlines(sizes_child, lines, ARRAY_SIZE(lines));
}

int main(void)
{
	KTEST_RUN(KTEST(test_cmdlines), KTEST(test_first_call));
}
