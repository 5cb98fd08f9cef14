/* SPDX-License-Identifier: MIT */
/*
 * The kernel's lib/slub_kunit.c cases, with its expected error counts
 * (each BUG and each FIX counts one), then every other corruption the
 * debug caches find: each corrupts an object on purpose, validates or
 * frees, and asserts the report's header and the exact count, then shows
 * the cache still works and slabinfo is consistent.  slub_kunit's
 * test_kfree_rcu and test_kfree_rcu_wq_destroy run with a real grace
 * period (kernel/rcu.c): kmem_cache_destroy() right after kfree_rcu(), and
 * from another thread after a random delay (the kernel's workqueue), must
 * find the object freed and report nothing.  Then what zeroing, krealloc()
 * and ksize() must do on a kmalloc cache that keeps the requested size.
 */
#include "slab_test.h"
#include <pthread.h>
#include <regex.h>
#include <sched.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <ukmem/debug.h>
#include <ukmem/fault.h>
#include <ukmem/slab_debug.h>
#include "mm/slab.h"

/*
 * These tests write into freed objects on purpose.  An ASan build poisons
 * free objects (the kernel's slub_kunit turns KASAN off around the same
 * writes): open them first.
 */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define open_freed(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define open_freed(p, n)	((void)(p), (void)(n))
#endif

#define EQ77 "============================================================================="
#define DASH77 "-----------------------------------------------------------------------------"

/* "Allocated in f+0x../0x.. age=N cpu=N pid=N" */
static bool matches_age(const char *log)
{
	regex_t r;
	bool ok;

	if (regcomp(&r, "Allocated in tdbg_alloc_here\\+0x[0-9a-f]+/0x[0-9a-f]+ age=[0-9]+ cpu=[0-9]+ pid=[0-9]+\n",
		    REG_EXTENDED | REG_NOSUB))
		return false;
	ok = regexec(&r, log, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

/* slub_kunit's test_kmem_cache_create(): no slub_debug= on top. */
static struct kmem_cache *test_cache(const char *name, unsigned int size, slab_flags_t flags)
{
	return kmem_cache_create(name, size, 0, flags | SLAB_NO_USER_FLAGS, NULL);
}

/* Validation counts exactly @want errors, and the log has @header. */
static void expect_validate(struct kmem_cache *s, int want, const char *header)
{
	long before = ukmem_slab_error_count();
	int got;

	ukmem_dmesg_clear();
	got = ukmem_slab_validate(s);
	CHECK_EQ(got, want);
	CHECK_EQ(ukmem_slab_error_count() - before, want);
	if (header)
		CHECK_STR_CONTAINS(log_text(), header);
}

/* After the repair: sound, usable, and slabinfo agrees with @live objects. */
static void expect_sound(struct kmem_cache *s, unsigned long live)
{
	struct slabinfo_line l;
	void *p[40];
	int i;

	CHECK_EQ(ukmem_slab_validate(s), 0);
	for (i = 0; i < 40; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(p[i] != NULL);
		if (p[i])
			memset(p[i], 0x33, kmem_cache_size(s));
	}
	for (i = 0; i < 40; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(ukmem_slab_validate(s), 0);
	kmem_cache_shrink(s);
	CHECK(slabinfo_get(kmem_cache_name(s), &l, NULL, 0));
	CHECK_EQ(l.active_objs, live);
	CHECK(l.active_objs <= l.num_objs);
	CHECK_EQ(l.objsize, s->size);
}

/* ---- lib/slub_kunit.c ---- */

static void test_clobber_zone(void)
{
	struct kmem_cache *s = test_cache("TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	p[64] = 0x12;
	expect_validate(s, 2, "BUG TestSlub_RZ_alloc (");
	CHECK_STR_CONTAINS(log_text(), "[Right Redzone overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "): Object corrupt\n" DASH77 "\n");
	CHECK_STR_CONTAINS(log_text(), "First byte 0x12 instead of 0xcc\n");
	CHECK_STR_CONTAINS(log_text(), "FIX TestSlub_RZ_alloc: Restoring Right Redzone 0x");
	CHECK_EQ(p[64], SLUB_RED_ACTIVE);
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

static void test_next_pointer(void)
{
	struct kmem_cache *s = test_cache("TestSlub_next_ptr_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned long tmp, *ptr_addr = (unsigned long *)(p + s->offset);

	kmem_cache_free(s, p);
	open_freed(ptr_addr, sizeof(*ptr_addr));
	tmp = *ptr_addr;
	p[s->offset] = (u8)~p[s->offset];
	/* The corrupt chain, the wrong count, its fix. */
	expect_validate(s, 3, "): Freechain corrupt\n");
	CHECK_STR_CONTAINS(log_text(), "Wrong object count. Counter is 0 but counted were ");
	CHECK_STR_CONTAINS(log_text(), "FIX TestSlub_next_ptr_free: Object count adjusted\n");
	/* The pointer put back: only the count is wrong now. */
	open_freed(ptr_addr, sizeof(*ptr_addr));
	*ptr_addr = tmp;
	expect_validate(s, 2, "Wrong object count");
	/* Repaired. */
	expect_validate(s, 0, NULL);
	kmem_cache_destroy(s);
}

static void test_first_word(void)
{
	struct kmem_cache *s = test_cache("TestSlub_1th_word_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	open_freed(p, 64);
	*p = 0x78;
	expect_validate(s, 2, "BUG TestSlub_1th_word_free (");
	CHECK_STR_CONTAINS(log_text(), "[Poison overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "First byte 0x78 instead of 0x6b\n");
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

static void test_clobber_50th_byte(void)
{
	struct kmem_cache *s = test_cache("TestSlub_50th_word_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	open_freed(p, 64);
	p[50] = 0x9a;
	expect_validate(s, 2, "[Poison overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "First byte 0x9a instead of 0x6b\n");
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/*
 * One byte changed anywhere in a freed object's poison is found, at its
 * offset, whatever its alignment: the scan may go a word at a time (as
 * the kernel's memchr_inv() does), so the bytes before the first aligned
 * word, the words and the tail after the last all count.  An odd size,
 * every offset; a large object, its edges and a stride through it.
 */
static void test_poison_every_offset(void)
{
	static const unsigned int sizes[] = { 93, 4000 };
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int size = sizes[i];
		struct kmem_cache *s = test_cache("TestSlub_poison_offsets", size, SLAB_POISON);

		CHECK(s != NULL);
		if (!s)
			return;
		for (k = 0; k < size; k++) {
			u8 *p, want;
			char line[96];

			if (k >= 24 && k < size - 24 && k % 61)
				continue;
			p = kmem_cache_alloc(s, GFP_KERNEL);
			CHECK(p != NULL);
			if (!p)
				break;
			kmem_cache_free(s, p);
			open_freed(p, size);
			want = k == size - 1 ? POISON_END : POISON_FREE;
			CHECK_EQ(p[k], want);
			p[k] = want ^ 0x01;
			snprintf(line, sizeof(line), "@offset=%tu. First byte 0x%x instead of 0x%x\n",
				 p + k - (u8 *)slab_address(virt_to_slab(p)), want ^ 0x01, want);
			expect_validate(s, 2, line);
			/* The last byte is the end marker, reported apart (as the kernel's). */
			CHECK_STR_CONTAINS(log_text(), k == size - 1 ? "[End Poison overwritten] 0x"
								      : "[Poison overwritten] 0x");
		}
		expect_sound(s, 0);
		kmem_cache_destroy(s);
	}
}

static void test_clobber_redzone_free(void)
{
	struct kmem_cache *s = test_cache("TestSlub_RZ_free", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[64] = 0xab;
	expect_validate(s, 2, "[Right Redzone overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "First byte 0xab instead of 0xbb\n");
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

static void test_kmalloc_redzone_access(void)
{
	struct kmem_cache *s = test_cache("TestSlub_RZ_kmalloc", 32,
					  SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
	u8 *volatile p = kmalloc_trace(s, GFP_KERNEL, 18);

	p[18] = 0xab;	/* past the 18 bytes asked for, inside the object */
	p[19] = 0xab;
	expect_validate(s, 2, "[kmalloc Redzone overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "First byte 0xab instead of 0xcc\n");
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/* slub_kunit's struct test_kfree_rcu_struct. */
struct test_kfree_rcu_struct {
	struct rcu_head rcu;
};

static void test_kfree_rcu(void)
{
	struct kmem_cache *s = test_cache("TestSlub_kfree_rcu",
					  sizeof(struct test_kfree_rcu_struct), SLAB_NO_MERGE);
	long before = ukmem_slab_error_count();
	struct test_kfree_rcu_struct *p = kmem_cache_alloc(s, GFP_KERNEL);

	CHECK(p != NULL);
	kfree_rcu(p, rcu);
	kmem_cache_destroy(s);
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	CHECK(strstr(log_text(), "TestSlub_kfree_rcu: Slab cache still has objects") == NULL);
}

/*
 * The kernel's workqueue: a thread that destroys the caches it is handed,
 * already running when the cache is handed over (queue_work + flush_work).
 */
static struct kmem_cache *wq_cache;
static int wq_done;

static void *destroy_worker(void *arg)
{
	int i;

	for (i = 0; i < (long)arg; i++) {
		struct kmem_cache *s;

		while (!(s = __atomic_load_n(&wq_cache, __ATOMIC_ACQUIRE)))
			sched_yield();
		kmem_cache_destroy(s);
		__atomic_store_n(&wq_cache, NULL, __ATOMIC_RELAXED);
		__atomic_store_n(&wq_done, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

#define KMEM_CACHE_DESTROY_NR 10

static void test_kfree_rcu_wq_destroy(void)
{
	long before = ukmem_slab_error_count();
	pthread_t worker;
	int i;

	ukmem_dmesg_clear();
	pthread_create(&worker, NULL, destroy_worker, (void *)(long)KMEM_CACHE_DESTROY_NR);
	for (i = 0; i < KMEM_CACHE_DESTROY_NR; i++) {
		struct kmem_cache *s = test_cache("TestSlub_kfree_rcu_wq_destroy",
						  sizeof(struct test_kfree_rcu_struct),
						  SLAB_NO_MERGE);
		struct test_kfree_rcu_struct *p = kmem_cache_alloc(s, GFP_KERNEL);

		kfree_rcu(p, rcu);
		/*
		 * The kernel's test waits get_random_u8() milliseconds; some
		 * rounds here do not wait at all, so that the destroy meets
		 * the object still on its way.
		 */
		if (i % 3)
			ktest_sleep_ms((long)(rand() & 0xff) / 8);
		__atomic_store_n(&wq_cache, s, __ATOMIC_RELEASE);
		while (__atomic_load_n(&wq_done, __ATOMIC_ACQUIRE) != i + 1)
			ktest_sleep_ms(0);
	}
	pthread_join(worker, NULL);
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	CHECK(strstr(log_text(), "Slab cache still has objects") == NULL);
}

static void test_leak_destroy(void)
{
	struct kmem_cache *s = test_cache("TestSlub_leak_destroy", 64, SLAB_NO_MERGE);
	long before = ukmem_slab_error_count();
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_destroy(s);
	/* The slab's report and one line for the object. */
	CHECK_EQ(ukmem_slab_error_count() - before, 2);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* Bytes of @p[from..to) that are not @val. */
static int bytes_not(const u8 *p, int from, int to, u8 val)
{
	int bad = 0;

	for (; from < to; from++)
		bad += p[from] != val;
	return bad;
}

/*
 * krealloc() in place moves the kmalloc red zone with the requested size
 * (v6.12+): shrinking red-zones the bytes given up, growing with
 * __GFP_ZERO zeroes the bytes gained, and a move copies only the bytes
 * the caller had.
 */
static void test_krealloc_redzone_zeroing(void)
{
	struct kmem_cache *s = test_cache("TestSlub_krealloc", 64,
					  SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
	long before = ukmem_slab_error_count();
	u8 *volatile p = kmalloc_trace(s, GFP_KERNEL, 48);

	memset(p, 0xff, 48);
	p = krealloc(p, 40, GFP_KERNEL | __GFP_ZERO);
	CHECK_EQ(bytes_not(p, 40, 64, SLUB_RED_ACTIVE), 0);
	p = krealloc(p, 56, GFP_KERNEL | __GFP_ZERO);
	CHECK_EQ(bytes_not(p, 40, 56, 0), 0);
	CHECK_EQ(bytes_not(p, 56, 64, SLUB_RED_ACTIVE), 0);
	expect_validate(s, 0, NULL);
	memset(p, 0xff, 56);
	/* Into kmalloc-128: the 56 bytes come along, the rest is zero. */
	p = krealloc(p, 112, GFP_KERNEL | __GFP_ZERO);
	CHECK_EQ(bytes_not(p, 0, 56, 0xff), 0);
	CHECK_EQ(bytes_not(p, 56, 112, 0), 0);
	kfree(p);
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/* ---- the requested size on a red-zoned kmalloc cache (issue 12) ---- */

#define KMALLOC_DEBUG	(SLAB_KMALLOC | SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
			 SLAB_POISON | SLAB_STORE_USER)

/* __GFP_ZERO zeroes what was asked for; the rest stays red zone, and kfree() finds it so. */
static void test_kzalloc_kmalloc_redzone(void)
{
	static const slab_flags_t modes[] = {
		KMALLOC_DEBUG, KMALLOC_DEBUG & ~SLAB_POISON,
		SLAB_KMALLOC | SLAB_RED_ZONE | SLAB_STORE_USER,
	};
	unsigned int m;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct kmem_cache *s = test_cache("TestSlub_kzalloc", 64, modes[m]);
		long before = ukmem_slab_error_count();
		u8 *volatile p = kmalloc_trace(s, GFP_KERNEL | __GFP_ZERO, 40);

		CHECK_EQ(bytes_not(p, 0, 40, 0), 0);
		CHECK_EQ(bytes_not(p, 40, 64, SLUB_RED_ACTIVE), 0);
		kfree(p);
		/* No "kmalloc Redzone overwritten", no "Object ... not freed". */
		CHECK_EQ(ukmem_slab_error_count() - before, 0);
		expect_sound(s, 0);
		kmem_cache_destroy(s);
	}
}

/* ksize() hands the whole object to the caller: its red zone is gone (skip_orig_size_check). */
static void test_ksize_kmalloc_redzone(void)
{
	struct kmem_cache *s = test_cache("TestSlub_ksize", 32, KMALLOC_DEBUG);
	long before = ukmem_slab_error_count();
	u8 *volatile p = kmalloc_trace(s, GFP_KERNEL, 18);

	CHECK_EQ(ksize(p), 32);
	memset(p, 0x11, 32);
	expect_validate(s, 0, NULL);
	kfree(p);
	/* kfree_sensitive() clears ksize() bytes: the red zone too. */
	p = kmalloc_trace(s, GFP_KERNEL, 18);
	kfree_sensitive(p);
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/* krealloc() shrinking without __GFP_ZERO: the bytes given up are red zone at once. */
static void test_krealloc_shrink_validate(void)
{
	struct kmem_cache *s = test_cache("TestSlub_krealloc_shrink", 64, KMALLOC_DEBUG);
	long before = ukmem_slab_error_count();
	u8 *volatile p = kmalloc_trace(s, GFP_KERNEL, 48);

	memset(p, 0x5c, 48);
	CHECK(krealloc(p, 40, GFP_KERNEL) == p);
	CHECK_EQ(bytes_not(p, 40, 64, SLUB_RED_ACTIVE), 0);
	expect_validate(s, 0, NULL);
	/* Writing past the new size is caught, as for any kmalloc object. */
	p[44] = 0;
	expect_validate(s, 2, "[kmalloc Redzone overwritten] 0x");
	/* Grown back in place without __GFP_ZERO: 40..47 are the caller's now. */
	CHECK(krealloc(p, 48, GFP_KERNEL) == p);
	memset(p, 0x5c, 48);
	expect_validate(s, 0, NULL);
	kfree(p);
	CHECK_EQ(ukmem_slab_error_count() - before, 2);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/*
 * A signal handler's free that finds list_lock busy is parked until the
 * lock's next holder checks and lists it; meanwhile and after, the next
 * allocations' checks and validation must find a sound free object, not a
 * false report.
 */
static void test_deferred_free_debug(void)
{
	struct kmem_cache *s = test_cache("TestSlub_deferred", 64, KMALLOC_DEBUG & ~SLAB_KMALLOC);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *keep = kmem_cache_alloc(s, GFP_KERNEL);
	struct kmem_cache_node *n = get_node(s, slab_nid(virt_to_slab(p)));
	long before = ukmem_slab_error_count();
	void *q, *r;

	memset(p, 0x21, 64);
	spin_lock(&n->list_lock);
	preempt_count_add(HARDIRQ_OFFSET);	/* as inside a ukmem_sigaction() handler */
	kmem_cache_free(s, p);
	preempt_count_sub(HARDIRQ_OFFSET);
	spin_unlock(&n->list_lock);
	CHECK(READ_ONCE(n->irq_deferred) != NULL);
	q = kmem_cache_alloc(s, GFP_KERNEL);	/* takes list_lock: p is checked and listed */
	CHECK(READ_ONCE(n->irq_deferred) == NULL);
	r = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q == p || r == p);		/* p handed out again, as a sound free object */
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	kmem_cache_free(s, q);
	kmem_cache_free(s, r);
	kmem_cache_free(s, keep);
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/* ---- every other kind ---- */

static void test_left_redzone(void)
{
	struct kmem_cache *s = test_cache("tdbg_lrz", 48, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	char want[160];

	p[-3] = 0x41;
	expect_validate(s, 2, EQ77 "\nBUG tdbg_lrz (");
	CHECK_STR_CONTAINS(log_text(), "[Left Redzone overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "): Object corrupt\n" DASH77 "\n\n");
	snprintf(want, sizeof(want), "0x%016lx-0x%016lx @offset=%lu. First byte 0x41 instead of 0xcc\n",
		 (unsigned long)(p - 3), (unsigned long)(p - 3),
		 (unsigned long)(p - 3 - (u8 *)slab_address(virt_to_slab(p))));
	CHECK_STR_CONTAINS(log_text(), want);
	CHECK_STR_CONTAINS(log_text(), "Redzone  ");
	CHECK_STR_CONTAINS(log_text(), "Object   ");
	snprintf(want, sizeof(want), "FIX tdbg_lrz: Restoring Left Redzone 0x%016lx-0x%016lx=0xcc\n",
		 (unsigned long)(p - 3), (unsigned long)(p - 3));
	CHECK_STR_CONTAINS(log_text(), want);
	/* After the first report, the kernel's taint. */
	CHECK_STR_CONTAINS(log_text(), "Tainted: G    B");
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/* Not static: reports name it with %pS. */
noinline void *tdbg_alloc_here(struct kmem_cache *s);
noinline void *tdbg_alloc_here(struct kmem_cache *s)
{
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	barrier();
	return p;
}

noinline void tdbg_free_here(struct kmem_cache *s, void *p);
noinline void tdbg_free_here(struct kmem_cache *s, void *p)
{
	kmem_cache_free(s, p);
	barrier();
}

/* Use after free, found by the next allocation's checks (F): one slab isolated. */
static void test_use_after_free_on_alloc(void)
{
	struct kmem_cache *s = test_cache("tdbg_uaf", 100,
					  SLAB_CONSISTENCY_CHECKS | SLAB_POISON | SLAB_STORE_USER);
	u8 *p = tdbg_alloc_here(s), *q;
	long before;
	char want[128];

	tdbg_free_here(s, p);
	open_freed(p, 100);
	p[7] = 0;			/* the write after free */
	ukmem_dmesg_clear();
	before = ukmem_slab_error_count();
	q = kmem_cache_alloc(s, GFP_KERNEL);	/* p is the freelist's head */
	/* Poison overwritten, its fix, and the slab marked used. */
	CHECK_EQ(ukmem_slab_error_count() - before, 3);
	CHECK_STR_CONTAINS(log_text(), "BUG tdbg_uaf (");
	CHECK_STR_CONTAINS(log_text(), "[Poison overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "Allocated in tdbg_alloc_here+0x");
	CHECK_STR_CONTAINS(log_text(), "Freed in tdbg_free_here+0x");
	CHECK(matches_age(log_text()));
	snprintf(want, sizeof(want), "Object 0x%016lx @offset=", (unsigned long)p);
	CHECK_STR_CONTAINS(log_text(), want);
	CHECK_STR_CONTAINS(log_text(), "FIX tdbg_uaf: Marking all objects used\n");
	/* The allocation still succeeded, from another slab. */
	CHECK(q != NULL && q != p);
	CHECK(virt_to_slab(q) != virt_to_slab(p));
	kmem_cache_free(s, q);
	CHECK_EQ(ukmem_slab_validate(s), 0);
	kmem_cache_destroy(s);	/* the isolated slab is leaked, as in the kernel */
}

/* A red zone overwritten, found at free (F): the object is not freed. */
static void test_redzone_on_free(void)
{
	struct kmem_cache *s = test_cache("tdbg_rzfree", 24, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	long before = ukmem_slab_error_count();
	char want[128];

	p[24] = 0;
	ukmem_dmesg_clear();
	kmem_cache_free(s, p);
	CHECK_EQ(ukmem_slab_error_count() - before, 3);
	CHECK_STR_CONTAINS(log_text(), "[Right Redzone overwritten] 0x");
	snprintf(want, sizeof(want), "FIX tdbg_rzfree: Object at 0x%016lx not freed\n",
		 (unsigned long)p);
	CHECK_STR_CONTAINS(log_text(), want);
	expect_sound(s, 1);	/* p is still counted in use */
	kmem_cache_destroy(s);
}

static void test_double_free_debug(void)
{
	struct kmem_cache *s = test_cache("tdbg_df", 64, SLAB_CONSISTENCY_CHECKS | SLAB_POISON);
	void *p = kmem_cache_alloc(s, GFP_KERNEL), *q = kmem_cache_alloc(s, GFP_KERNEL);
	long before;

	kmem_cache_free(s, p);
	kmem_cache_free(s, q);		/* p is no longer the freelist's head */
	before = ukmem_slab_error_count();
	ukmem_dmesg_clear();
	kmem_cache_free(s, p);
	CHECK_EQ(ukmem_slab_error_count() - before, 2);
	CHECK_STR_CONTAINS(log_text(), "): Object already free\n");
	CHECK_STR_CONTAINS(log_text(), "not freed\n");
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

static void test_invalid_pointer_debug(void)
{
	struct kmem_cache *s = test_cache("tdbg_inval", 64, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);
	long before = ukmem_slab_error_count();

	ukmem_dmesg_clear();
	kmem_cache_free(s, p + 4);
	CHECK_EQ(ukmem_slab_error_count() - before, 2);
	CHECK_STR_CONTAINS(log_text(), "): Invalid object pointer 0x");
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

static void test_wrong_cache_debug(void)
{
	struct kmem_cache *a = test_cache("tdbg_wa", 64, SLAB_CONSISTENCY_CHECKS | SLAB_NO_MERGE);
	struct kmem_cache *b = test_cache("tdbg_wb", 64, SLAB_CONSISTENCY_CHECKS | SLAB_NO_MERGE);
	void *p = kmem_cache_alloc(a, GFP_KERNEL);
	long before = ukmem_slab_error_count();

	ukmem_dmesg_clear();
	kmem_cache_free(b, p);
	/* A WARN_ONCE, not a slab error; the object stays allocated (leaked), as 7.x does. */
	CHECK_STR_CONTAINS(log_text(), "): object belongs to different cache tdbg_wa\n");
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	expect_sound(a, 1);
	kmem_cache_free(a, p);
	expect_sound(a, 0);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

static void test_wrong_object_count(void)
{
	struct kmem_cache *s = test_cache("tdbg_count", 64, SLAB_CONSISTENCY_CHECKS);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);

	slab->inuse += 2;
	expect_validate(s, 2, "): Wrong object count. Counter is 3 but counted were 1\n");
	CHECK_STR_CONTAINS(log_text(), "FIX tdbg_count: Object count adjusted\n");
	CHECK_EQ(slab->inuse, 1);
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/*
 * A free chain that loops back on itself (c -> b -> a -> c): 7.x's
 * on_freelist() counts more links than objects, says "Freelist cycle
 * detected", clears the freelist and counts every object in use.  The
 * walk used to stop at objects + 1 and subtract: a wrapped count.
 */
static void test_freelist_cycle(void)
{
	struct kmem_cache *s = test_cache("TestSlub_cycle", 64, SLAB_POISON);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);
	void *c = kmem_cache_alloc(s, GFP_KERNEL);
	void *keep = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(a);
	void **link;

	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	CHECK(slab->freelist == c);
	link = (void **)((u8 *)a + s->offset);
	open_freed(link, sizeof(*link));
	set_freepointer(s, a, c);
	expect_validate(s, 2, "): Freelist cycle detected\n");
	CHECK_STR_CONTAINS(log_text(), "FIX TestSlub_cycle: Freelist cleared\n");
	CHECK(strstr(log_text(), "Wrong object count") == NULL);
	CHECK(slab->freelist == NULL);
	CHECK_EQ(slab->inuse, slab->objects);
	/* The cleared slab is whole: nothing more to report. */
	expect_validate(s, 0, NULL);
	/* The cache stays: its slab counts every object in use, as the kernel leaves it. */
	(void)keep;
}

/*
 * Caches whose free pointer is outside the object (a constructor,
 * SLAB_TYPESAFE_BY_RCU): validating allocated objects finds nothing
 * wrong.  Without consistency checks a new slab's objects are linked
 * only as they are taken, so an allocated object's word may hold what the
 * page held before, and was reported as "Freepointer corrupt" once per
 * object.  With them (F) every object has its link, and a stray write
 * over an allocated object's word is still found.
 */
static void zero_ctor(void *p)
{
	memset(p, 0, 120);
}

static void test_outside_freepointer_validate(void)
{
	struct kmem_cache *c[3] = {
		kmem_cache_create("tval_ctor", 120, 0, SLAB_NO_USER_FLAGS, zero_ctor),
		kmem_cache_create("tval_rcu", 120, 0, SLAB_TYPESAFE_BY_RCU | SLAB_NO_USER_FLAGS,
				  NULL),
		kmem_cache_create("tval_ctor_f", 120, 0,
				  SLAB_CONSISTENCY_CHECKS | SLAB_NO_USER_FLAGS, zero_ctor),
	};
	void *p[3][60];
	int k, i;

	for (k = 0; k < 3; k++) {
		CHECK(c[k]->offset >= c[k]->inuse);
		for (i = 0; i < 60; i++)
			p[k][i] = kmem_cache_alloc(c[k], GFP_KERNEL);
		for (i = 0; i < 60; i += 3)
			kmem_cache_free(c[k], p[k][i]);
		expect_validate(c[k], 0, NULL);
	}
	/* A stray write over one allocated object's word, where F links every object. */
	open_freed((char *)p[2][1] + c[2]->offset, sizeof(unsigned long));
	*(unsigned long *)((char *)p[2][1] + c[2]->offset) = 0x4141414141414141UL;
	expect_validate(c[2], 1, "Freepointer corrupt");
	for (k = 0; k < 3; k++)
		for (i = 0; i < 60; i++)
			if (i % 3)
				kmem_cache_free(c[k], p[k][i]);
	rcu_barrier();
	for (k = 0; k < 3; k++)
		kmem_cache_destroy(c[k]);
}

static void test_object_padding(void)
{
	/* 40 bytes, poison + owner tracks, cache-line aligned: padding after the metadata. */
	struct kmem_cache *s = test_cache("tdbg_pad", 40,
					  SLAB_POISON | SLAB_STORE_USER | SLAB_HWCACHE_ALIGN);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned int off = get_info_end(s) + 2 * sizeof(struct track);

	CHECK(size_from_object(s) > off);
	p[off] = 0x11;
	expect_validate(s, 2, "[Object padding overwritten] 0x");
	CHECK_STR_CONTAINS(log_text(), "Padding  ");
	CHECK_STR_CONTAINS(log_text(), "First byte 0x11 instead of 0x5a\n");
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

static void test_slab_padding(void)
{
	/* 4096 % 200 = 96 bytes after the last object of an order-0 slab. */
	struct kmem_cache *s = test_cache("tdbg_slabpad", 184, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);
	u8 *tail = (u8 *)slab_address(slab) + slab->objects * s->size;

	CHECK(slab_size(slab) % s->size != 0);
	tail[1] = 0x22;
	expect_validate(s, 2, "): Padding overwritten. 0x");
	CHECK_STR_CONTAINS(log_text(), "FIX tdbg_slabpad: Restoring slab padding 0x");
	/* 6.15+ (slab_pad_check): the padding's bytes come before the slab's line. */
	{
		const char *log = log_text(), *dump = strstr(log, "\nPadding "), *info;

		if (!dump)	/* after a printk timestamp */
			dump = strstr(log, "] Padding ");
		info = strstr(log, "Slab 0x");
		CHECK(dump && info && dump < info);
	}
	CHECK_EQ(tail[1], POISON_INUSE);
	kmem_cache_free(s, p);
	expect_sound(s, 0);
	kmem_cache_destroy(s);
}

/* Hardening, no debugging: a forged free pointer is caught before it is followed. */
static void test_forged_freepointer(void)
{
	struct kmem_cache *s = kmem_cache_create("tdbg_forge", 64, 0, SLAB_NO_MERGE, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL), *keep = kmem_cache_alloc(s, GFP_KERNEL);
	void *objs[200];
	long before;
	int i;

	CHECK(virt_to_slab(p) == virt_to_slab(keep));
	kmem_cache_free(s, p);
	kmem_cache_shrink(s);		/* p is back in its slab */
	open_freed(p, 64);
	*(unsigned long *)((char *)p + s->offset) = (unsigned long)keep;	/* raw, not encoded */
	before = ukmem_slab_error_count();
	ukmem_dmesg_clear();
	for (i = 0; i < 200; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(ukmem_slab_error_count() - before, 2);
	CHECK_STR_CONTAINS(log_text(), "BUG tdbg_forge (");
	CHECK_STR_CONTAINS(log_text(), "): Freechain corrupt\n");
	CHECK_STR_CONTAINS(log_text(), "FIX tdbg_forge: Isolate corrupted freechain\n");
	for (i = 0; i < 200; i++) {
		CHECK(objs[i] != keep);
		memset(objs[i], 0, 64);
	}
	for (i = 0; i < 200; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_free(s, keep);
	kmem_cache_destroy(s);		/* the isolated slab stays: its rest is lost */
}

/* SLAB_TRACE: a line per allocation and free. */
/*
 * The owner tracks take the thread's id without a system call: with
 * SLAB_STORE_USER that runs at every allocation and free, and a gettid()
 * each time was a million system calls for 30k sqlite3 INSERTs on the
 * malloc front end under slub_debug=U.  In a child, after a first
 * allocation, gettid() is made to fail (seccomp); the tracks must still
 * hold the child's id.
 */
static void no_gettid_child(void *arg)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_gettid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(filter), .filter = filter };
	struct kmem_cache *s = arg;
	void *p;

	ktest_failures = 0;
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		KTEST_SKIP("seccomp is not available here");
		return;
	}
	CHECK(syscall(SYS_gettid) == -1);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(get_track(s, p, TRACK_ALLOC)->pid, getpid());
	kmem_cache_free(s, p);
	CHECK_EQ(get_track(s, p, TRACK_FREE)->pid, getpid());
}

static void test_track_pid_no_syscall(void)
{
	struct kmem_cache *s;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/*
	 * The sanitizers' runtimes may ask for the thread id themselves: not
	 * checked there (no KTEST_SKIP: that would skip the whole binary).
	 */
	return;
#endif
	s = test_cache("tdbg_tid", 64, SLAB_STORE_USER);
	ktest_child_case(no_gettid_child, s);	/* a skip without seccomp */
	kmem_cache_destroy(s);
}

static void test_trace(void)
{
	struct kmem_cache *s = test_cache("tdbg_trace", 32, SLAB_TRACE);
	void *p, *q;
	char want[128];

	ukmem_dmesg_clear();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	/*
	 * The slab as the allocation left it (the kernel advances the
	 * freelist first): p's line counts p and points at the next free
	 * object, which the next allocation took.
	 */
	snprintf(want, sizeof(want), "TRACE tdbg_trace alloc 0x%016lx inuse=1 fp=0x%016lx",
		 (unsigned long)p, (unsigned long)q);
	CHECK_STR_CONTAINS(log_text(), want);
	snprintf(want, sizeof(want), "TRACE tdbg_trace alloc 0x%016lx inuse=2 fp=0x",
		 (unsigned long)q);
	CHECK_STR_CONTAINS(log_text(), want);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	/* A free's line: the count and freelist before the object goes back. */
	snprintf(want, sizeof(want), "TRACE tdbg_trace free 0x%016lx inuse=1 fp=0x%016lx",
		 (unsigned long)p, (unsigned long)q);
	CHECK_STR_CONTAINS(log_text(), want);
	snprintf(want, sizeof(want), "Object %016lx: ", (unsigned long)p);	/* the object's bytes */
	CHECK_STR_CONTAINS(log_text(), want);
	CHECK_STR_CONTAINS(log_text(), "Call Trace:");
	kmem_cache_destroy(s);
}

noinline void *tdbg_alloc_other(struct kmem_cache *s);
noinline void *tdbg_alloc_other(struct kmem_cache *s)
{
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	barrier();
	return p;
}

static volatile int traces_here = 3, traces_all = 5;

static void test_alloc_traces(void)
{
	struct kmem_cache *s = test_cache("tdbg_traces", 64, SLAB_STORE_USER);
	char *text = NULL, *first;
	size_t len = 0;
	void *p[5];
	FILE *f;
	int i, n;

	/*
	 * One call site each, one stack each: the kernel's traces tell
	 * stacks apart (an unrolled loop would be three call sites).
	 */
#pragma GCC unroll 1
	for (i = 0; i < traces_here; i++)
		p[i] = tdbg_alloc_here(s);
#pragma GCC unroll 1
	for (i = 3; i < traces_all; i++)
		p[i] = tdbg_alloc_other(s);
	f = open_memstream(&text, &len);
	n = ukmem_slab_show_traces(s, UKMEM_SLAB_ALLOC_TRACES, f);
	fclose(f);
	CHECK_EQ(n, 2);
	first = strstr(text, "      3 tdbg_alloc_here+0x");
	CHECK(first != NULL);
	CHECK(strstr(text, "      2 tdbg_alloc_other+0x") > first);
	CHECK_STR_CONTAINS(text, " age=");
	CHECK_STR_CONTAINS(text, " pid=");
	free(text);
	tdbg_free_here(s, p[0]);
	p[0] = tdbg_alloc_other(s);	/* freed by tdbg_free_here before */
	f = open_memstream(&text, &len);
	n = ukmem_slab_show_traces(s, UKMEM_SLAB_FREE_TRACES, f);
	fclose(f);
	CHECK_STR_CONTAINS(text, "      1 tdbg_free_here+0x");
	CHECK_STR_CONTAINS(text, "<not-available>");
	free(text);
	for (i = 0; i < 5; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

static void test_validate_all(void)
{
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	CHECK(ukmem_slab_find("kmalloc-64") == kmalloc_caches[KMALLOC_NORMAL][6]);
	CHECK(ukmem_slab_find("no-such-cache") == NULL);
}

/* failslab with interval: every Nth eligible call fails. */
static void test_failslab_interval(void)
{
	struct kmem_cache *s = kmem_cache_create("tdbg_failint", 64, 0, SLAB_NO_MERGE, NULL);
	long before = ukmem_fault_get("failslab", "injected");
	int i, failed = 0, pattern = 0;

	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "interval", 3);
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("failslab", "probability", 100);
	for (i = 0; i < 30; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		if (!p) {
			failed++;
			pattern |= 1 << (i % 3);
		} else {
			kmem_cache_free(s, p);
		}
	}
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "interval", 1);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
	CHECK_EQ(failed, 10);
	CHECK(pattern == 1 || pattern == 2 || pattern == 4);	/* always the same phase */
	CHECK_EQ(ukmem_fault_get("failslab", "injected") - before, 10);
	/* Off again: the fast path is back. */
	CHECK(s->alloc_slow == 0);
	kmem_cache_destroy(s);
}

/*
 * test_kmalloc_nolock_and_friends_perf / _kprobe: kmalloc_nolock() and
 * kfree_nolock() from an NMI-like context (there a perf overflow handler
 * or a kprobe, here a plain signal handler, the nearest thing a process
 * has) while the interrupted thread runs kmalloc(), kfree() and
 * kfree_rcu() in a loop: no slab error, and the handler's allocations
 * mostly succeed (one that finds the cache busy may fail, as in the
 * kernel).  kfree_rcu_nolock() is not in ukmem: the handler frees every
 * object with kfree_nolock().
 */
#define NOLOCK_ITERATIONS	200
#define NOLOCK_OBJECTS		1000
#define NOLOCK_CALLBACKS	1000

static struct {
	volatile sig_atomic_t callbacks, alloc_ok, alloc_fail;
} nolock_ctx;
static volatile int nolock_done;

static void nolock_handler(int sig)
{
	struct test_kfree_rcu_struct *p;

	(void)sig;
	/* __GFP_ACCOUNT every other time, as the kernel's handler asks. */
	p = kmalloc_nolock(sizeof(*p), (nolock_ctx.callbacks & 1) ? 0 : __GFP_ACCOUNT,
			   NUMA_NO_NODE);
	if (p) {
		nolock_ctx.alloc_ok++;
		memset(p, 0x5a, sizeof(*p));
	} else {
		nolock_ctx.alloc_fail++;
	}
	kfree_nolock(p);
	nolock_ctx.callbacks++;
}

static void *nolock_interrupter(void *arg)
{
	pthread_t target = *(pthread_t *)arg;

	while (!__atomic_load_n(&nolock_done, __ATOMIC_ACQUIRE)) {
		pthread_kill(target, SIGUSR2);
		sched_yield();
	}
	return NULL;
}

static void test_kmalloc_nolock_and_friends(void)
{
	static struct test_kfree_rcu_struct *objects[NOLOCK_OBJECTS];
	struct sigaction sa = { .sa_handler = nolock_handler }, old;
	long before = ukmem_slab_error_count();
	pthread_t self = pthread_self(), thr;
	int i, j;

	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGUSR2, &sa, &old), 0);
	memset(&nolock_ctx, 0, sizeof(nolock_ctx));
	nolock_done = 0;
	CHECK_EQ(pthread_create(&thr, NULL, nolock_interrupter, &self), 0);
	/*
	 * The kernel's loop runs under a 100 kHz perf event; here it goes on
	 * until the handler has run NOLOCK_CALLBACKS times as well, however
	 * the two threads are scheduled.
	 */
	for (i = 0; i < NOLOCK_ITERATIONS || nolock_ctx.callbacks < NOLOCK_CALLBACKS; i++) {
		gfp_t gfp = (i & 1) ? GFP_KERNEL : GFP_KERNEL_ACCOUNT;

		for (j = 0; j < NOLOCK_OBJECTS; j++) {
			objects[j] = kmalloc(sizeof(*objects[j]), gfp);
			CHECK(objects[j] != NULL);
		}
		for (j = 0; j < NOLOCK_OBJECTS; j++) {
			if (i & 2)
				kfree_rcu(objects[j], rcu);
			else
				kfree(objects[j]);
		}
	}
	__atomic_store_n(&nolock_done, 1, __ATOMIC_RELEASE);
	pthread_join(thr, NULL);
	sigaction(SIGUSR2, &old, NULL);
	rcu_barrier();
	CHECK(nolock_ctx.alloc_ok > 0);
	CHECK_EQ(nolock_ctx.alloc_ok + nolock_ctx.alloc_fail, nolock_ctx.callbacks);
	CHECK_EQ(ukmem_slab_error_count() - before, 0);
	CHECK_EQ(ukmem_slab_validate(kmalloc_slab(sizeof(struct test_kfree_rcu_struct),
						  GFP_KERNEL)), 0);
}

int main(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	/* KFENCE off, as the kernel's slub_kunit caches skip it (SLAB_SKIP_KFENCE). */
	if (ukmem_boot("mem=256M kfence.sample_interval=0")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	ukmem_clear_taint();
	KTEST_RUN(KTEST(test_clobber_zone), KTEST(test_next_pointer), KTEST(test_first_word),
		  KTEST(test_clobber_50th_byte), KTEST(test_poison_every_offset), KTEST(test_clobber_redzone_free),
		  KTEST(test_kmalloc_redzone_access), KTEST(test_kfree_rcu),
		  KTEST(test_kfree_rcu_wq_destroy), KTEST(test_leak_destroy),
		  KTEST(test_krealloc_redzone_zeroing), KTEST(test_kmalloc_nolock_and_friends),
		  KTEST(test_kzalloc_kmalloc_redzone), KTEST(test_ksize_kmalloc_redzone),
		  KTEST(test_krealloc_shrink_validate), KTEST(test_deferred_free_debug),
		  KTEST(test_left_redzone), KTEST(test_use_after_free_on_alloc),
		  KTEST(test_redzone_on_free), KTEST(test_double_free_debug),
		  KTEST(test_invalid_pointer_debug), KTEST(test_wrong_cache_debug),
		  KTEST(test_wrong_object_count), KTEST(test_freelist_cycle), KTEST(test_outside_freepointer_validate), KTEST(test_object_padding),
		  KTEST(test_slab_padding), KTEST(test_forged_freepointer), KTEST(test_trace),
		  KTEST(test_track_pid_no_syscall),
		  KTEST(test_alloc_traces), KTEST(test_validate_all),
		  KTEST(test_failslab_interval));
}
