/* SPDX-License-Identifier: MIT */
/*
 * KFENCE (mm/kfence.c), as the kernel's mm/kfence/kfence_test.c checks it:
 * each case in a forked child that boots with KFENCE on, takes an object
 * from the pool (kfence_force_next() opens the gate, where kfence_test
 * waits for the timer), makes one bug and reads the report from dmesg:
 * its type, the access's function, the offset, the kfence-# object, the
 * allocation stack naming this file's own static function; the same on
 * a cache of the test's own ("-memcache"), the 73-byte kmalloc object
 * whose alignment leaves a gap before the guard page, a read of the pool
 * that is no object's, krealloc() down to 0 and the RCU cache's object
 * after rcu_barrier().  Then the kernel API's use of KFENCE objects
 * (ksize, krealloc, kmem_cache_free, bulk free mixed with ordinary
 * objects, bulk allocation, a constructor, shrinking, __GFP_ZERO,
 * init_on_free, SLAB_TYPESAFE_BY_RCU, cache destruction), the files,
 * sampling by the timer from several threads, fork, the first call of a
 * process, and the malloc front end (tests/kfence_frontend.c, preloaded),
 * which stops.
 */
#include "slab_test.h"

#include <sys/wait.h>
#include <pthread.h>
#include <linux/kfence.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include "mm/kfence.h"
#include "mm/slab.h"

enum side { ANY, LEFT, RIGHT, NONE };

/* The value of "@label: N" in report @name, -1 if absent. */
static long report_value(const char *name, const char *label)
{
	char *text = report_text(name), *p;
	size_t n = strlen(label);
	long v = -1;

	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, label, n) && p[n] == ':') {
			v = strtol(p + n + 1, NULL, 10);
			break;
		}
	free(text);
	return v;
}

static void boot(const char *extra)
{
	char cmdline[256];

	ktest_failures = 0;
	snprintf(cmdline, sizeof(cmdline), "mem=256M loglevel=1 kfence.sample_interval=100 %s",
		 extra ? extra : "");
	if (ukmem_boot(cmdline))
		_exit(3);
	/* The boot's last slab steps run on the first allocation: not KFENCE's to take. */
	kfree(kmalloc(8, GFP_KERNEL));
	ukmem_dmesg_clear();
}

/*
 * A KFENCE object from @s (kmalloc of @size if NULL) on the wanted side of
 * its page: the gate is opened until an allocation lands there (the
 * kernel's test_alloc loops the same way).  Its name is what the reports'
 * allocation stacks must show.
 */
static noinline void *test_alloc(struct kmem_cache *s, size_t size, enum side side)
{
	int i;

	for (i = 0; i < 64; i++) {
		void *p;

		if (side != NONE)
			CHECK(kfence_force_next());
		p = s ? kmem_cache_alloc(s, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
		if (!p)
			return NULL;
		if (side == NONE ? !is_kfence_address(p) : is_kfence_address(p) &&
		    (side == ANY || (side == LEFT) == !((unsigned long)p & ~PAGE_MASK)))
			return p;
		if (s)
			kmem_cache_free(s, p);
		else
			kfree(p);
	}
	CHECK(!"no object of the wanted kind");
	return NULL;
}

/* The "kfence-#N" of @p, from kfence/objects' view of it. */
static int object_index(const void *p)
{
	const struct kfence_metadata *meta = addr_to_metadata((unsigned long)p);

	return meta ? kfence_index(meta) : -1;
}

static char want[256];

#define LOG_HAS(...)							\
	do {								\
		snprintf(want, sizeof(want), __VA_ARGS__);		\
		CHECK_STR_CONTAINS(log_text(), want);			\
	} while (0)

/* What every report about object @p says: the object line and its allocation by test_alloc. */
static void check_object_lines(const void *obj, size_t size, const char *cache)
{
	const char *log = log_text(), *alloc;

	LOG_HAS("kfence-#%d: 0x%016lx-0x%016lx, size=%zu, cache=%s\n", object_index(obj),
		(unsigned long)obj, (unsigned long)obj + size - 1, size, cache);
	alloc = strstr(log, "allocated by task ");
	CHECK(alloc != NULL);
	if (alloc)
		CHECK(strstr(strchr(alloc, '\n'), "\n test_alloc+0x") == strchr(alloc, '\n'));
	CHECK_STR_CONTAINS(log, "==================================================================\n");
	/* dump_stack_print_info()'s line, as dump_stack() prints it (v6.10+: UID:). */
	CHECK(strstr(log, "\nCPU: ") != NULL && strstr(strstr(log, "\nCPU: "), " UID: ") != NULL &&
	      strstr(log, " #1 PREEMPT\n") != NULL);
}

static volatile char sink;

static noinline void oob_read_left(void)
{
	char *p = test_alloc(NULL, 32, LEFT);

	sink = p[-1];
	LOG_HAS("BUG: KFENCE: out-of-bounds read in oob_read_left+0x");
	LOG_HAS("Out-of-bounds read at 0x%016lx (1B left of kfence-#%d):\n oob_read_left+0x",
		(unsigned long)p - 1, object_index(p));
	check_object_lines(p, 32, "kmalloc-32");
	kfree(p);
}

static noinline void oob_read_right(void)
{
	char *p = test_alloc(NULL, 32, RIGHT);

	sink = p[32];
	LOG_HAS("BUG: KFENCE: out-of-bounds read in oob_read_right+0x");
	/* The kernel's distance on the right: from the object's start. */
	LOG_HAS("Out-of-bounds read at 0x%016lx (32B right of kfence-#%d):\n oob_read_right+0x",
		(unsigned long)p + 32, object_index(p));
	check_object_lines(p, 32, "kmalloc-32");
	kfree(p);
}

static noinline void oob_write_left(void)
{
	char *p = test_alloc(NULL, 64, LEFT);

	((volatile char *)p)[-8] = 1;
	LOG_HAS("BUG: KFENCE: out-of-bounds write in oob_write_left+0x");
	LOG_HAS("Out-of-bounds write at 0x%016lx (8B left of kfence-#%d):\n",
		(unsigned long)p - 8, object_index(p));
	check_object_lines(p, 64, "kmalloc-64");
	kfree(p);
}

static noinline void oob_write_right(void)
{
	char *p = test_alloc(NULL, 64, RIGHT);

	((volatile char *)p)[64] = 1;
	LOG_HAS("BUG: KFENCE: out-of-bounds write in oob_write_right+0x");
	LOG_HAS("Out-of-bounds write at 0x%016lx (64B right of kfence-#%d):\n",
		(unsigned long)p + 64, object_index(p));
	check_object_lines(p, 64, "kmalloc-64");
	kfree(p);
}

static noinline void uaf_read(void)
{
	char *p = test_alloc(NULL, 32, ANY);
	const char *log;

	kfree(p);
	sink = p[3];
	LOG_HAS("BUG: KFENCE: use-after-free read in uaf_read+0x");
	LOG_HAS("Use-after-free read at 0x%016lx (in kfence-#%d):\n uaf_read+0x",
		(unsigned long)p + 3, object_index(p));
	check_object_lines(p, 32, "kmalloc-32");
	log = log_text();
	CHECK(strstr(log, "freed by task ") != NULL);
	CHECK(strstr(log, "freed by task ") && strstr(strstr(log, "freed by task "), "\n uaf_read+0x"));
}

static noinline void uaf_write(void)
{
	char *p = test_alloc(NULL, 32, ANY);

	kfree(p);
	((volatile char *)p)[0] = 1;
	LOG_HAS("BUG: KFENCE: use-after-free write in uaf_write+0x");
	LOG_HAS("Use-after-free write at 0x%016lx (in kfence-#%d):\n", (unsigned long)p,
		object_index(p));
	check_object_lines(p, 32, "kmalloc-32");
}

static noinline void invalid_free(void)
{
	char *p = test_alloc(NULL, 32, ANY);

	kfree(p + 1);
	LOG_HAS("BUG: KFENCE: invalid free in invalid_free+0x");
	LOG_HAS("Invalid free of 0x%016lx (in kfence-#%d):\n invalid_free+0x", (unsigned long)p + 1,
		object_index(p));
	check_object_lines(p, 32, "kmalloc-32");
	/* Nothing was freed: the object is still live. */
	CHECK_EQ(ksize(p), 32);
	kfree(p);
}

static noinline void double_free(void)
{
	char *p = test_alloc(NULL, 32, ANY);

	kfree(p);
	kfree(p);
	LOG_HAS("BUG: KFENCE: invalid free in double_free+0x");
	LOG_HAS("Invalid free of 0x%016lx (in kfence-#%d):\n double_free+0x", (unsigned long)p,
		object_index(p));
	CHECK_STR_CONTAINS(log_text(), "freed by task ");
}

static noinline void corruption(void)
{
	char *p = test_alloc(NULL, 20, LEFT);

	p[20] = 0x42;	/* the canary after a 20-byte object, inside its page */
	kfree(p);
	LOG_HAS("BUG: KFENCE: memory corruption in corruption+0x");
	/* print_diff_canary(): 16 bytes from the corrupted one, not to a 16-byte line's end. */
	LOG_HAS("Corrupted memory at 0x%016lx [ 0x42 . . . . . . . . . . . . . . . ] (in kfence-#%d):\n corruption+0x",
		(unsigned long)p + 20, object_index(p));
	check_object_lines(p, 20, "kmalloc-32");
}

static noinline void corruption_left(void)
{
	char *p = test_alloc(NULL, 32, RIGHT);

	p[-3] = 0x42;
	kfree(p);
	LOG_HAS("BUG: KFENCE: memory corruption in corruption_left+0x");
	LOG_HAS("Corrupted memory at 0x%016lx [ 0x42 . . ] (in kfence-#%d):\n",
		(unsigned long)p - 3, object_index(p));
}

/*
 * Both sides corrupted: the kernel's check_canary() searches each side on
 * its own and reports each, so two reports, each showing up to 16 bytes
 * (left: up to the object; right: up to the page's end).
 */
static noinline void corruption_both_sides(void)
{
	char *p = test_alloc(NULL, 73, RIGHT);	/* kmalloc-96: canary bytes after it too */
	char *page_end = (char *)(((unsigned long)p | (PAGE_SIZE - 1)) + 1);

	CHECK(page_end - (p + 73) > 6);
	p[-20] = 0x11;
	p[-2] = 0x22;
	page_end[-6] = 0x33;
	page_end[-1] = 0x44;
	kfree(p);
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: memory corruption in corruption_both_sides+0x"), 2);
	LOG_HAS("Corrupted memory at 0x%016lx [ 0x11 . . . . . . . . . . . . . . . ] (in kfence-#%d):\n",
		(unsigned long)p - 20, object_index(p));
	LOG_HAS("Corrupted memory at 0x%016lx [ 0x33 . . . . 0x44 ] (in kfence-#%d):\n",
		(unsigned long)page_end - 6, object_index(p));
}

/*
 * kfence_test runs each fault case twice, the second time ("-memcache")
 * on a cache of its own: 32 bytes, alignment 1, SLAB_NO_MERGE |
 * SLAB_ACCOUNT, named "test".  The reports must name that cache.
 */
/* A case child's argument that asks for its "-memcache" form. */
static char memcache_arg[] = "memcache";

static struct kmem_cache *memcache(size_t size, slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = kmem_cache_create("test", (unsigned int)size, 1,
						 flags | SLAB_NO_MERGE | SLAB_ACCOUNT, ctor);

	CHECK(s != NULL);
	return s;
}

/* test_out_of_bounds_read-memcache, the left guard page. */
static noinline void memcache_oob_read_left(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, LEFT);

	sink = p[-1];
	LOG_HAS("BUG: KFENCE: out-of-bounds read in memcache_oob_read_left+0x");
	LOG_HAS("Out-of-bounds read at 0x%016lx (1B left of kfence-#%d):\n",
		(unsigned long)p - 1, object_index(p));
	check_object_lines(p, 32, "test");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* test_out_of_bounds_read-memcache, the right guard page. */
static noinline void memcache_oob_read_right(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, RIGHT);

	sink = p[32];
	LOG_HAS("BUG: KFENCE: out-of-bounds read in memcache_oob_read_right+0x");
	LOG_HAS("Out-of-bounds read at 0x%016lx (32B right of kfence-#%d):\n",
		(unsigned long)p + 32, object_index(p));
	check_object_lines(p, 32, "test");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* test_out_of_bounds_write-memcache: one byte before a left-side object. */
static noinline void memcache_oob_write(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, LEFT);

	((volatile char *)p)[-1] = 42;
	LOG_HAS("BUG: KFENCE: out-of-bounds write in memcache_oob_write+0x");
	LOG_HAS("Out-of-bounds write at 0x%016lx (1B left of kfence-#%d):\n",
		(unsigned long)p - 1, object_index(p));
	check_object_lines(p, 32, "test");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* test_use_after_free_read-memcache */
static noinline void memcache_uaf_read(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, ANY);

	kmem_cache_free(s, p);
	sink = *(volatile char *)p;
	LOG_HAS("BUG: KFENCE: use-after-free read in memcache_uaf_read+0x");
	LOG_HAS("Use-after-free read at 0x%016lx (in kfence-#%d):\n", (unsigned long)p,
		object_index(p));
	check_object_lines(p, 32, "test");
	kmem_cache_destroy(s);
}

/* test_double_free-memcache */
static noinline void memcache_double_free(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, ANY);

	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	LOG_HAS("BUG: KFENCE: invalid free in memcache_double_free+0x");
	LOG_HAS("Invalid free of 0x%016lx (in kfence-#%d):\n", (unsigned long)p, object_index(p));
	kmem_cache_destroy(s);
}

/* test_invalid_addr_free-memcache: the bad free reports, the good one after it does not. */
static noinline void memcache_invalid_addr_free(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, ANY);

	kmem_cache_free(s, p + 1);
	kmem_cache_free(s, p);
	LOG_HAS("BUG: KFENCE: invalid free in memcache_invalid_addr_free+0x");
	LOG_HAS("Invalid free of 0x%016lx (in kfence-#%d):\n", (unsigned long)p + 1,
		object_index(p));
	check_object_lines(p, 32, "test");
	kmem_cache_destroy(s);
}

/* test_corruption-memcache, a left-side object: the canary right after it. */
static noinline void memcache_corruption_right(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, LEFT);

	((volatile char *)p)[32] = 42;
	kmem_cache_free(s, p);
	LOG_HAS("BUG: KFENCE: memory corruption in memcache_corruption_right+0x");
	LOG_HAS("Corrupted memory at 0x%016lx [ 0x2a ", (unsigned long)p + 32);
	check_object_lines(p, 32, "test");
	kmem_cache_destroy(s);
}

/* test_corruption-memcache, a right-side object: the canary right before it. */
static noinline void memcache_corruption_left(void)
{
	struct kmem_cache *s = memcache(32, 0, NULL);
	char *p = test_alloc(s, 0, RIGHT);

	((volatile char *)p)[-1] = 42;
	kmem_cache_free(s, p);
	LOG_HAS("BUG: KFENCE: memory corruption in memcache_corruption_left+0x");
	LOG_HAS("Corrupted memory at 0x%016lx [ 0x2a ] (in kfence-#%d):\n", (unsigned long)p - 1,
		object_index(p));
	kmem_cache_destroy(s);
}

/*
 * test_kmalloc_aligned_oob_read: a 73-byte kmalloc object on the right
 * is aligned down, so the bytes just past it are still its page (no
 * report); one alignment further is the guard page.
 */
static noinline void aligned_oob_read(void)
{
	size_t align = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(73)]->align;
	char *p = test_alloc(NULL, 73, RIGHT);

	sink = *(volatile char *)(p - 1);
	sink = *(volatile char *)(p + 73);
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 0);
	sink = *(volatile char *)(p + 73 + align);
	LOG_HAS("BUG: KFENCE: out-of-bounds read in aligned_oob_read+0x");
	LOG_HAS("Out-of-bounds read at 0x%016lx (", (unsigned long)p + 73 + align);
	kfree(p);
}

/* test_kmalloc_aligned_oob_write: no fault at once; the free finds the canary. */
static noinline void aligned_oob_write(void)
{
	char *p = test_alloc(NULL, 73, RIGHT);
	volatile char *q = p + 73;

	*q = (char)(*q + 1);
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 0);
	kfree(p);
	LOG_HAS("BUG: KFENCE: memory corruption in aligned_oob_write+0x");
	LOG_HAS("Corrupted memory at 0x%016lx ", (unsigned long)p + 73);
	check_object_lines(p, 73, "kmalloc-96");
}

/* test_invalid_access: a pool address that is no object's. */
static noinline void invalid_access(void)
{
	sink = *(volatile char *)&__kfence_pool[10];
	LOG_HAS("BUG: KFENCE: invalid read in invalid_access+0x");
	LOG_HAS("Invalid read at 0x%016lx:\n", (unsigned long)&__kfence_pool[10]);
}

/*
 * test_memcache_typesafe_by_rcu: a reader inside a critical section that
 * began before the free reads the object; once rcu_barrier() has run the
 * free, the same read is a use after free (with the bytes still there).
 */
static noinline void typesafe_by_rcu_uaf(void)
{
	struct kmem_cache *s = memcache(32, SLAB_TYPESAFE_BY_RCU, NULL);
	char *p = test_alloc(s, 0, ANY);

	*p = 42;
	rcu_read_lock();
	kmem_cache_free(s, p);
	CHECK_EQ(*(volatile char *)p, 42);
	rcu_read_unlock();
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 0);
	rcu_barrier();
	CHECK_EQ(*(volatile char *)p, 42);
	LOG_HAS("BUG: KFENCE: use-after-free read in typesafe_by_rcu_uaf+0x");
	LOG_HAS("Use-after-free read at 0x%016lx (in kfence-#%d):\n", (unsigned long)p,
		object_index(p));
	kmem_cache_destroy(s);
}

/*
 * test_krealloc: ksize() is exact for a KFENCE object; growing and
 * shrinking keep the bytes; krealloc(p, 0) frees and returns
 * ZERO_SIZE_PTR; the KFENCE object was really freed (a read is a use
 * after free), and nothing was reported before that read.
 */
static noinline void krealloc_kfence(void)
{
	char *first = test_alloc(NULL, 32, ANY), *p = first;
	int i;

	CHECK_EQ(ksize(p), 32);
	for (i = 0; i < 32; i++)
		p[i] = (char)(i + 1);
	p = krealloc(p, 96, GFP_KERNEL);
	CHECK(p && ksize(p) >= 96);
	for (i = 0; i < 32; i++)
		CHECK_EQ(p[i], (char)(i + 1));
	for (; i < 96; i++)
		p[i] = (char)(i + 1);
	p = krealloc(p, 64, GFP_KERNEL);
	CHECK(p && ksize(p) >= 64);
	for (i = 0; i < 64; i++)
		CHECK_EQ(p[i], (char)(i + 1));
	p = krealloc(p, 0, GFP_KERNEL);
	CHECK(p == ZERO_SIZE_PTR);
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 0);
	sink = *(volatile char *)first;
	LOG_HAS("BUG: KFENCE: use-after-free read in krealloc_kfence+0x");
	LOG_HAS("Use-after-free read at 0x%016lx (in kfence-#%d):\n", (unsigned long)first,
		object_index(first));
}

/*
 * An invalid free of an object never handed out names that object, as
 * the kernel's report does (the index of its metadata).  Since metadata
 * is written only when an object is first used, the last object's entry
 * is still blank on a fresh boot.
 */
static noinline void invalid_free_unused(void)
{
	int last = (int)kfence_num_objects - 1;
	char *p = __kfence_pool + (size_t)2 * (last + 1) * PAGE_SIZE;

	kfree(p);
	LOG_HAS("BUG: KFENCE: invalid free in invalid_free_unused+0x");
	LOG_HAS("Invalid free of 0x%016lx (in kfence-#%d):\n", (unsigned long)p, last);
}

/* One case in a child booted with KFENCE: its report checks run there. */
static void run_case(void (*fn)(void *), void *arg)
{
	int status = ktest_child(fn, arg);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void fault_case(void *arg)
{
	void (*fn)(void) = (void (*)(void))arg;

	boot(NULL);
	fn();
	/* Every case reported exactly one bug, and went on. */
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 1);
}

/* Faults are the point: not where ASan's own SIGSEGV handling and shadow sit first. */
static bool faults_testable(void)
{
	if (SLAB_ASAN) {
		KTEST_SKIP("ASan build: KFENCE is off by default there, and ASan owns SIGSEGV");
		return false;
	}
	return true;
}

#define FAULT_TEST(name)						\
	static void test_##name(void)					\
	{								\
		if (faults_testable())					\
			run_case(fault_case, (void *)name);		\
	}
FAULT_TEST(oob_read_left)
FAULT_TEST(oob_read_right)
FAULT_TEST(oob_write_left)
FAULT_TEST(oob_write_right)
FAULT_TEST(uaf_read)
FAULT_TEST(uaf_write)
FAULT_TEST(invalid_free)
FAULT_TEST(double_free)
FAULT_TEST(invalid_free_unused)
FAULT_TEST(corruption)
FAULT_TEST(corruption_left)

/* The one case with two reports (one per side). */
static void fault_case_both_sides(void *arg)
{
	boot(NULL);
	corruption_both_sides();
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 2);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 2);
}

static void test_corruption_both_sides(void)
{
	if (faults_testable())
		run_case(fault_case_both_sides, NULL);
}

/*
 * A guard page that a reported access opened stays open while its object
 * lives (the kernel lets the access go on), and closes when the object is
 * freed (kfence_guarded_free()'s unprotected_page): the next overflow there
 * is reported again, as kfence_test.c's consecutive OOB cases expect.
 */
static void fault_case_guard_closes(void *arg)
{
	char *p;

	(void)arg;
	boot(NULL);
	p = test_alloc(NULL, 32, LEFT);
	sink = p[-1];
	sink = p[-2];
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 1);
	kfree(p);
	sink = p[-1];
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 2);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 2);
}

static void test_guard_closes_after_free(void)
{
	if (faults_testable())
		run_case(fault_case_guard_closes, NULL);
}
FAULT_TEST(memcache_oob_read_left)
FAULT_TEST(memcache_oob_read_right)
FAULT_TEST(memcache_oob_write)
FAULT_TEST(memcache_uaf_read)
FAULT_TEST(memcache_double_free)
FAULT_TEST(memcache_invalid_addr_free)
FAULT_TEST(memcache_corruption_right)
FAULT_TEST(memcache_corruption_left)
FAULT_TEST(aligned_oob_read)
FAULT_TEST(aligned_oob_write)
FAULT_TEST(invalid_access)
FAULT_TEST(typesafe_by_rcu_uaf)
FAULT_TEST(krealloc_kfence)

/* ---- the kernel API on KFENCE objects ---- */

static void api_child(void *arg)
{
	struct kmem_cache *s;
	char *p, *q;
	int i;

	(void)arg;
	boot(NULL);
	/* ksize() is what was asked for; krealloc() in place below it, moved above. */
	p = test_alloc(NULL, 20, ANY);
	CHECK_EQ(ksize(p), 20);
	memset(p, 'a', 20);
	CHECK(krealloc(p, 10, GFP_KERNEL) == p);
	q = krealloc(p, 100, GFP_KERNEL);
	CHECK(q && q != p && !memcmp(q, "aaaaaaaaaa", 10));
	kfree(q);
	/* __GFP_ZERO */
	CHECK(kfence_force_next());
	p = kzalloc(48, GFP_KERNEL);
	if (is_kfence_address(p))
		for (i = 0; i < 48; i++)
			CHECK(!p[i]);
	kfree(p);
	/* A cache of its own, its constructor, kmem_cache_free(). */
	s = kmem_cache_create("tkfence_cache", 100, 0, 0, NULL);
	p = test_alloc(s, 0, RIGHT);
	CHECK(((unsigned long)p & 7) == 0);
	CHECK_EQ(ksize(p), 100);
	kmem_cache_free(s, p);
	/* Destroyed with an object still out: a zombie, the cache goes. */
	p = test_alloc(s, 0, ANY);
	kmem_cache_destroy(s);
	CHECK_EQ(report_value("kfence/stats", "zombie allocations"), 1);
	{
		/*
		 * Marked freed by the destroying caller, as the kernel's
		 * kfence_shutdown_cache() does: "freed by task", its stack.
		 */
		char *text = report_text("kfence/objects"), head[64], *rec, *freed;

		snprintf(head, sizeof(head), "kfence-#%d: 0x%016lx-", object_index(p), (unsigned long)p);
		rec = text ? strstr(text, head) : NULL;
		CHECK(rec != NULL);
		freed = rec ? strstr(rec, "\nfreed by task ") : NULL;
		CHECK(freed != NULL);
		if (freed)
			CHECK_STR_CONTAINS(freed, "):\n api_child+0x");
		free(text);
	}
	/* SLAB_TYPESAFE_BY_RCU: readable by a reader that was there before the free. */
	s = kmem_cache_create("tkfence_rcu", 64, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	p = test_alloc(s, 0, ANY);
	p[0] = 'r';
	rcu_read_lock();
	kmem_cache_free(s, p);
	CHECK_EQ(p[0], 'r');
	{
		/* Within the grace period: the kernel's "rcu freeing by task". */
		char *text = report_text("kfence/objects");

		CHECK_STR_CONTAINS(text ? text : "", "\nrcu freeing by task ");
		free(text);
	}
	rcu_read_unlock();
	rcu_barrier();
	kmem_cache_destroy(s);
	/* kfree_rcu() of a KFENCE object. */
	p = test_alloc(NULL, 64, ANY);
	kvfree_call_rcu(NULL, p);
	kvfree_rcu_barrier();
	CHECK(kfence_object_cache(p) == NULL);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE"), 0);
}

static void test_api(void)
{
	run_case(api_child, NULL);
}

static void ctor_set_x(void *obj)
{
	memset(obj, 'x', 8);
}

/*
 * kfence_test's test_free_bulk: kmem_cache_free_bulk() of KFENCE objects
 * (both sides) mixed with ordinary ones, sizes 8 to 307, with and without
 * a constructor: every one goes back where it came from, no report.
 */
static void free_bulk_child(void *arg)
{
	bool use_cache = arg != NULL;
	int iter;

	boot(NULL);
	srand(1);
	for (iter = 0; iter < 5; iter++) {
		size_t size = 8 + (size_t)(rand() % 300);
		/*
		 * test_free_bulk without "-memcache": kmalloc objects, and
		 * kmem_cache_free_bulk(NULL, ...) finds each one's cache.
		 */
		struct kmem_cache *s = use_cache ?
			memcache(size, 0, (iter & 1) ? ctor_set_x : NULL) : NULL;
		size_t sz = use_cache ? 0 : size;
		void *objs[5];
		int i;

		objs[0] = test_alloc(s, sz, RIGHT);
		objs[1] = test_alloc(s, sz, NONE);
		objs[2] = test_alloc(s, sz, LEFT);
		objs[3] = test_alloc(s, sz, NONE);
		objs[4] = test_alloc(s, sz, NONE);
		for (i = 0; i < 5; i++)
			CHECK_EQ(is_kfence_address(objs[i]), i == 0 || i == 2);
		kmem_cache_free_bulk(s, ARRAY_SIZE(objs), objs);
		CHECK_EQ(kfence_object_cache(objs[0]) != NULL, 0);
		CHECK_EQ(kfence_object_cache(objs[2]) != NULL, 0);
		kmem_cache_destroy(s);
	}
	CHECK_EQ(report_value("kfence/stats", "currently allocated"), 0);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
	CHECK_EQ(count_substr(log_text(), "BUG: "), 0);
	CHECK_EQ(count_substr(log_text(), "still has objects"), 0);
}

static void test_free_bulk(void)
{
	run_case(free_bulk_child, NULL);
	run_case(free_bulk_child, memcache_arg);
}

/*
 * test_shrink_memcache, test_memcache_ctor and test_gfpzero: shrinking a
 * cache while a KFENCE object of it is out, a constructor run on a KFENCE
 * object, and a page-sized KFENCE object handed out again zeroed with
 * __GFP_ZERO after its last user filled it.
 */
static void memcache_misc_child(void *arg)
{
	struct kmem_cache *s;
	char *p, *q;
	int i, tries;

	(void)arg;
	boot(NULL);
	s = memcache(32, 0, NULL);
	p = test_alloc(s, 0, ANY);
	kmem_cache_shrink(s);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);

	s = memcache(32, 0, ctor_set_x);
	p = test_alloc(s, 0, ANY);
	for (i = 0; i < 8; i++)
		CHECK_EQ(p[i], 'x');
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);

	p = test_alloc(NULL, PAGE_SIZE, ANY);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		p[i] = (char)(i + 1);
	kfree(p);
	for (tries = 0; tries <= 2 * 255; tries++) {
		CHECK(kfence_force_next());
		q = kmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
		if (q == p)
			break;
		kfree(q);
	}
	CHECK(q == p);
	if (q == p) {
		CHECK_EQ(nonzero_bytes(q, PAGE_SIZE), 0);
		kfree(q);
	}
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
	CHECK_EQ(count_substr(log_text(), "BUG: "), 0);
}

static void test_memcache_misc(void)
{
	run_case(memcache_misc_child, NULL);
}

/*
 * A KFENCE object is constructed as a slab's objects are, by either kind
 * of constructor (the LDD3-era one, with its flags, too), and zeroed
 * after it when the caller asks (__GFP_ZERO on a cache with a
 * constructor: the kernel's slab hooks zero it).  KFENCE takes the
 * allocation only when its timer says so: the gate is forced here.
 */
static void ldd3_ctor(void *obj, kmem_cache_t *cache, unsigned long flags)
{
	(void)cache;
	memset(obj, (flags & SLAB_CTOR_CONSTRUCTOR) ? 'c' : '?', 16);
}

static char *kfence_object_of(struct kmem_cache *s, gfp_t gfp)
{
	int i;

	for (i = 0; i < 64; i++) {
		char *p;

		CHECK(kfence_force_next());
		p = kmem_cache_alloc(s, gfp);
		if (p && is_kfence_address(p))
			return p;
		kmem_cache_free(s, p);
	}
	CHECK(!"no KFENCE object");
	return NULL;
}

static void constructed_child(void *arg)
{
	struct kmem_cache *s;
	char *p;
	int i;

	(void)arg;
	boot(NULL);
	s = memcache(32, 0, ctor_set_x);
	p = kfence_object_of(s, GFP_KERNEL | __GFP_ZERO);
	if (p) {
		CHECK_EQ(nonzero_bytes(p, 32), 0);
		kmem_cache_free(s, p);
	}
	kmem_cache_destroy(s);

	s = kmem_cache_create_ldd3("kfence_ldd3", 32, 0, 0, ldd3_ctor, NULL);
	CHECK(s != NULL);
	p = kfence_object_of(s, GFP_KERNEL);
	if (p) {
		for (i = 0; i < 16; i++)
			CHECK_EQ(p[i], 'c');
		kmem_cache_free(s, p);
	}
	kmem_cache_destroy(s);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
}

static void test_constructed(void)
{
	run_case(constructed_child, NULL);
}

/* test_memcache_alloc_bulk: some bulk allocation takes an object from the pool. */
static void alloc_bulk_child(void *arg)
{
	struct kmem_cache *s;
	bool found = false;
	int round, i;

	(void)arg;
	boot(NULL);
	s = memcache(32, 0, NULL);
	for (round = 0; round < 100 && !found; round++) {
		void *objs[100];

		CHECK(kfence_force_next());
		if (!kmem_cache_alloc_bulk(s, GFP_ATOMIC, ARRAY_SIZE(objs), objs))
			continue;
		for (i = 0; i < (int)ARRAY_SIZE(objs); i++)
			found |= is_kfence_address(objs[i]);
		kmem_cache_free_bulk(s, ARRAY_SIZE(objs), objs);
	}
	CHECK(found);
	kmem_cache_destroy(s);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
}

static void test_memcache_alloc_bulk(void)
{
	run_case(alloc_bulk_child, NULL);
}

/*
 * test_init_on_free: with init_on_free the freed object's bytes are
 * zero; the first read after the free is reported as a use after free,
 * and the read then goes on to find zeroes (the page opened by the report).
 */
static void init_on_free_child(void *arg)
{
	char *p;
	int i;

	struct kmem_cache *s;

	boot("init_on_free=1");
	/* test_init_on_free-memcache: the same on a 32-byte cache of the test's. */
	s = arg ? memcache(32, 0, NULL) : NULL;
	p = test_alloc(s, s ? 0 : 32, ANY);
	for (i = 0; i < 32; i++)
		p[i] = (char)(i + 1);
	if (s)
		kmem_cache_free(s, p);
	else
		kfree(p);
	for (i = 0; i < 32; i++)
		CHECK_EQ(((volatile char *)p)[i], 0);
	LOG_HAS("BUG: KFENCE: use-after-free read in init_on_free_child+0x");
	LOG_HAS("Use-after-free read at 0x%016lx (in kfence-#%d):\n", (unsigned long)p,
		object_index(p));
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 1);
}

static void test_init_on_free(void)
{
	if (faults_testable()) {
		run_case(init_on_free_child, NULL);
		run_case(init_on_free_child, memcache_arg);
	}
}

/*
 * test_use_after_free_read_nofault: copy_from_kernel_nofault() of a freed
 * KFENCE object fails with -EFAULT and is not a use-after-free report.
 */
static void nofault_child(void *arg)
{
	char *p, dst;

	struct kmem_cache *s;

	boot(NULL);
	/* test_use_after_free_read_nofault-memcache: from a cache of the test's. */
	s = arg ? memcache(32, 0, NULL) : NULL;
	p = test_alloc(s, s ? 0 : 32, ANY);
	if (s)
		kmem_cache_free(s, p);
	else
		kfree(p);
	CHECK_EQ(copy_from_kernel_nofault(&dst, p, 1), -EFAULT);
	CHECK_EQ(count_substr(log_text(), "BUG: KFENCE: "), 0);
}

static void test_use_after_free_read_nofault(void)
{
	run_case(nofault_child, NULL);
	run_case(nofault_child, memcache_arg);
}

/* ---- the files ---- */

static void files_child(void *arg)
{
	char *text, *p, *q;

	(void)arg;
	/*
	 * No timer sampling (test_alloc forces its own): the counts below are
	 * exact, and a slow run (TSan) sampled the report's own buffer.
	 */
	boot("kfence.sample_interval=3600000");	/* an hour: the kernel takes any ulong */
	p = test_alloc(NULL, 24, ANY);
	q = test_alloc(NULL, 40, ANY);
	kfree(q);
	CHECK_EQ(report_value("kfence/stats", "enabled"), 1);
	CHECK_EQ(report_value("kfence/stats", "currently allocated"), 1);
	CHECK(report_value("kfence/stats", "total allocations") >= 2);
	CHECK(report_value("kfence/stats", "total frees") >= 1);
	text = report_text("kfence/objects");
	CHECK(text != NULL);
	if (text) {
		snprintf(want, sizeof(want), "kfence-#%d: 0x%016lx-0x%016lx, size=24, cache=kmalloc-32\n",
			 object_index(p), (unsigned long)p, (unsigned long)p + 23);
		CHECK_STR_CONTAINS(text, want);
		snprintf(want, sizeof(want), "kfence-#%d: 0x%016lx-0x%016lx, size=40, cache=kmalloc-64\n",
			 object_index(q), (unsigned long)q, (unsigned long)q + 39);
		CHECK_STR_CONTAINS(text, want);
		CHECK_STR_CONTAINS(text, "freed by task ");
		CHECK_STR_CONTAINS(text, "\n test_alloc+0x");
		CHECK_STR_CONTAINS(text, "---------------------------------\n");
		/* Every object of the pool, unused ones as "kfence-#N unused". */
		CHECK_EQ(count_substr(text, "---------------------------------\n"),
			 (int)kfence_num_objects);
		snprintf(want, sizeof(want), "kfence-#%d unused\n---------------------------------\n",
			 (int)kfence_num_objects - 1);
		CHECK_STR_CONTAINS(text, want);
		free(text);
	}
	kfree(p);
}

static void test_files(void)
{
	run_case(files_child, NULL);
}

static void off_child(void *arg)
{
	void *p;
	int i;

	(void)arg;
	ktest_failures = 0;
	if (ukmem_boot("mem=256M loglevel=4 kfence.sample_interval=0"))
		_exit(3);
	CHECK(!kfence_force_next());
	CHECK_EQ(report_value("kfence/stats", "enabled"), 0);
	for (i = 0; i < 10000; i++) {
		p = kmalloc(32, GFP_KERNEL);
		CHECK(!is_kfence_address(p));
		kfree(p);
	}
}

static void test_off(void)
{
	run_case(off_child, NULL);
}

/*
 * The pool costs no resident memory at boot: kfence_init() hands it back
 * to the host whole, so the boot must not fault its pages in first (it
 * did, zeroing 2 MiB by memblock_alloc() in every preloaded process: 512
 * of the 890 page faults of `seq 3` on the front end), nor write the
 * metadata of objects not handed out yet (1 KiB each: 75 more faults).
 * Two boots in children, KFENCE on with a large pool and off: the
 * difference in minor faults (34 here; 333 with the metadata written,
 * 2400 with the pool zeroed) stays far below the pool's pages.
 */
/*
 * kfence.burst=N: each opening of the gate hands out N + 1 objects, then
 * closes it (the interval is long enough that no timer opens it meanwhile).
 */
static void burst_child(void *arg)
{
	void *p[5];
	int i, sampled = 0;

	(void)arg;
	boot("kfence.sample_interval=1000000 kfence.burst=3");
	CHECK_EQ(kfence_burst, 3);
	CHECK(kfence_force_next());
	for (i = 0; i < 5; i++) {
		p[i] = kmalloc(32, GFP_KERNEL);
		sampled += is_kfence_address(p[i]);
	}
	CHECK_EQ(sampled, 4);
	CHECK(!is_kfence_address(p[4]));
	for (i = 0; i < 5; i++)
		kfree(p[i]);
}

static void test_burst(void)
{
	run_case(burst_child, NULL);
}

/* What the next run_in_child() (slab_test.h) child gets: a boot mode or a command line. */
static const char *child_arg;

/* kfence.fault=oops|panic: the report, then the BUG or the panic, and the process ends. */
static noinline void fault_mode_child(void)
{
	char extra[64];

	snprintf(extra, sizeof(extra), "loglevel=8 kfence.fault=%s", child_arg);
	boot(extra);
	ukmem_set_console(stderr);
	sink = ((char *)test_alloc(NULL, 32, LEFT))[-1];
	_exit(0);	/* not reached */
}

static void check_fault_mode(const char *mode, const char *want)
{
	static char out[1 << 15];
	int status;

	child_arg = mode;
	status = run_in_child(fault_mode_child, out, sizeof(out));

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_STR_CONTAINS(out, "BUG: KFENCE: out-of-bounds read in ");
	CHECK_STR_CONTAINS(out, want);
	/* The report comes first. */
	CHECK(strstr(out, "BUG: KFENCE:") < strstr(out, want));
}

static void test_fault_modes(void)
{
	if (!faults_testable())
		return;
	check_fault_mode("panic", "Kernel panic - not syncing: kfence.fault=panic set ...\n");
	check_fault_mode("oops", "kernel BUG at ");
}

static void malformed_fault_child(void *arg)
{
	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=64M kfence.fault=loud"), -EINVAL);
	CHECK_STR_CONTAINS(log_text(), "Malformed early option 'kfence.fault'\n");
}

static void test_fault_malformed(void)
{
	run_case(malformed_fault_child, NULL);
}

static void boot_faults_child(void *arg)
{
	long *faults = arg;
	const char *cmdline = faults[0] ? "mem=256M loglevel=1 kfence.sample_interval=100 kfence.num_objects=1023"
					: "mem=256M loglevel=1 kfence.sample_interval=0";
	struct rusage before, after;

	getrusage(RUSAGE_SELF, &before);
	if (ukmem_boot(cmdline))
		_exit(3);
	getrusage(RUSAGE_SELF, &after);
	faults[1] = after.ru_minflt - before.ru_minflt;
	if (faults[0])
		faults[2] = (long)(kfence_pool_bytes() / PAGE_SIZE);
}

static void test_boot_pool_untouched(void)
{
	long *on = mmap(NULL, 2 * 3 * sizeof(long), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long *off = on + 3;

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
	/* The runtime's shadow memory faults with every page the boot touches. */
	KTEST_SKIP("page faults are the sanitizer runtime's too");
	munmap(on, 2 * 3 * sizeof(long));
	return;
#endif
	CHECK(on != MAP_FAILED);
	if (on == MAP_FAILED)
		return;
	on[0] = 1;
	off[0] = 0;
	run_case(boot_faults_child, on);
	run_case(boot_faults_child, off);
	CHECK(on[2] >= 2048);
	if (on[1] - off[1] >= on[2] / 16)
		printf("boot with KFENCE: %ld page faults, without: %ld, pool: %ld pages\n",
		       on[1], off[1], on[2]);
	CHECK(on[1] - off[1] < on[2] / 16);
	munmap(on, 2 * 3 * sizeof(long));
}

/* ---- sampling by the timer ---- */

#define NR_THREADS	4

static void *sampler(void *arg)
{
	void *p[256];
	long *found = arg;
	int i, round;

	/*
	 * Batches of one size larger than a CPU's stack: the slow paths, where
	 * the timer is read (a loop that never leaves the fast paths is not
	 * sampled: docs/kfence.md).
	 */
	for (round = 0; round < 100000 && __atomic_load_n(found, __ATOMIC_RELAXED) < 40; round++) {
		for (i = 0; i < 256; i++) {
			p[i] = kmalloc(16 + (round % 8) * 16, GFP_KERNEL);
			if (is_kfence_address(p[i]))
				__atomic_add_fetch(found, 1, __ATOMIC_RELAXED);
		}
		for (i = 0; i < 256; i++)
			kfree(p[i]);
		ktest_progress();
	}
	return NULL;
}

static void threads_child(void *arg)
{
	pthread_t t[NR_THREADS];
	long found = 0;
	int i;

	(void)arg;
	ktest_failures = 0;
	if (ukmem_boot("mem=256M loglevel=4 kfence.sample_interval=1"))
		_exit(3);
	kfree(kmalloc(8, GFP_KERNEL));
	for (i = 0; i < NR_THREADS; i++)
		CHECK(!pthread_create(&t[i], NULL, sampler, &found));
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(found >= 40);
	/*
	 * The threads freed every object they found: what is still allocated
	 * is the library's own long-lived objects, sampled too (more of them
	 * the slower the machine), never one of theirs.
	 */
	CHECK(report_value("kfence/stats", "currently allocated") <=
	      report_value("kfence/stats", "total allocations") - found);
	CHECK_EQ(report_value("kfence/stats", "currently allocated") +
		 report_value("kfence/stats", "total frees"),
		 report_value("kfence/stats", "total allocations"));
	CHECK(report_value("kfence/stats", "total allocations") >= 40);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
}

static void test_threads(void)
{
	run_case(threads_child, NULL);
}

/* The first call of a process is an allocation: KFENCE comes up with the boot. */
static void first_call_child(void *arg)
{
	long found = 0;

	(void)arg;
	ktest_failures = 0;
	setenv("UKMEM_CMDLINE", "mem=256M loglevel=4 kfence.sample_interval=1", 1);
	sampler(&found);
	CHECK(found >= 40);
	CHECK(kfence_is_enabled());
}

static void test_first_call(void)
{
	run_case(first_call_child, NULL);
}

/*
 * Allocations the pool cannot serve take the gate and are skipped, as the
 * kernel's: a DMA or DMA32 cache (its zone bit is added only in the page
 * allocator's call; its objects must stay below 16 MiB or 4 GiB), a
 * GFP_DMA kmalloc.
 */
static void dma_skipped_child(void *arg)
{
	struct kmem_cache *d32, *d;
	void *p;
	long skipped;

	(void)arg;
	boot(NULL);
	d32 = kmem_cache_create("kfence_dma32", 64, 0, SLAB_CACHE_DMA32, NULL);
	d = kmem_cache_create("kfence_dma", 64, 0, SLAB_CACHE_DMA, NULL);
	CHECK(d32 && d);
	skipped = report_value("kfence/stats", "skipped allocations (incompatible)");
	/*
	 * One opening of the gate: the three the pool cannot serve pass it
	 * by and leave it open (the kernel checks before it takes the gate),
	 * so the ordinary allocation after them still gets the sample.
	 */
	CHECK(kfence_force_next());
	p = kmem_cache_alloc(d32, GFP_KERNEL);
	CHECK(p && !is_kfence_address(p) && __pa(p) < (4UL << 30));
	kmem_cache_free(d32, p);
	p = kmem_cache_alloc(d, GFP_KERNEL);
	CHECK(p && !is_kfence_address(p) && __pa(p) < (16UL << 20));
	kmem_cache_free(d, p);
	p = kmalloc(64, GFP_KERNEL | GFP_DMA);
	CHECK(p && !is_kfence_address(p) && __pa(p) < (16UL << 20));
	kfree(p);
	CHECK_EQ(report_value("kfence/stats", "skipped allocations (incompatible)"), skipped + 3);
	p = kmalloc(64, GFP_KERNEL);
	CHECK(is_kfence_address(p));
	kfree(p);
	kmem_cache_destroy(d32);
	kmem_cache_destroy(d);
}

static void test_dma_skipped(void)
{
	run_case(dma_skipped_child, NULL);
}

/*
 * The kernel's kfence_test waits for a sample in a loop that allocates
 * and frees one object, which never leaves the per-CPU fast path: the
 * timer thread must open the gate (the slow paths' tick never runs).  In
 * lock mode such a loop never saw a sample before the thread; in rseq
 * mode only when the host preempted it.  No deadline: a loop that never
 * gets one is a hang, found as one.
 */
static void tight_loop_child(void *arg)
{
	struct kmem_cache *c;
	int round;

	boot(arg);
	c = kmem_cache_create("kfence_tight", 40, 0, 0, NULL);
	CHECK(c != NULL);
	for (round = 0; round < 3; round++) {
		void *p;

		while (!is_kfence_address(p = kmem_cache_alloc(c, GFP_KERNEL)))
			kmem_cache_free(c, p);
		kmem_cache_free(c, p);
		while (!is_kfence_address(p = kmalloc(73, GFP_KERNEL)))
			kfree(p);
		CHECK_EQ(ksize(p), 73);
		kfree(p);
	}
	kmem_cache_destroy(c);
}

static void test_tight_loop_sampled(void)
{
	run_case(tight_loop_child, (void *)"kfence.sample_interval=10");
	run_case(tight_loop_child, (void *)"kfence.sample_interval=10 slab_rseq=0");
}

/* ---- fork ---- */

static void fork_child(void *arg)
{
	char *live, *p;
	int status;
	pid_t pid;

	(void)arg;
	boot(NULL);
	live = test_alloc(NULL, 32, ANY);
	strcpy(live, "parent");
	pid = fork();
	if (pid == 0) {
		/* The pool and its metadata came along: the parent's object is ours too. */
		ktest_failures = 0;
		CHECK(!strcmp(live, "parent"));
		CHECK_EQ(ksize(live), 32);
		kfree(live);
		p = test_alloc(NULL, 32, ANY);
		kfree(p);
		if (faults_testable()) {
			ukmem_dmesg_clear();
			sink = p[0];
			CHECK_STR_CONTAINS(log_text(), "BUG: KFENCE: use-after-free read in fork_child+0x");
		}
		_exit(ktest_failures ? 1 : ktest_skips ? 0 : 0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The parent's object is untouched by the child's free. */
	CHECK(!strcmp(live, "parent"));
	kfree(live);
	CHECK_EQ(report_value("kfence/stats", "total bugs"), 0);
}

static void test_fork(void)
{
	run_case(fork_child, NULL);
}

/* ---- the malloc front end: a use after free stops the program ---- */

#if defined(KFENCE_FRONTEND_PROG) && defined(UKMEM_MALLOC_SO)
static void frontend_exec(void)
{
	setenv("LD_PRELOAD", UKMEM_MALLOC_SO, 1);
	setenv("UKMEM_CMDLINE", child_arg, 1);
	execl(KFENCE_FRONTEND_PROG, KFENCE_FRONTEND_PROG, (char *)NULL);
	_exit(127);
}

static void frontend_run(const char *cmdline)
{
	static char out[1 << 16];
	int status;

	child_arg = cmdline;
	status = run_in_child(frontend_exec, out, sizeof(out));

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_STR_CONTAINS(out, "BUG: KFENCE: use-after-free read in read_after_free");
	CHECK_STR_CONTAINS(out, "cache=malloc-");
	CHECK_STR_CONTAINS(out, "ukmem: KFENCE: use-after-free read: 0x");
}
#endif

static void test_frontend_stops(void)
{
#if defined(KFENCE_FRONTEND_PROG) && defined(UKMEM_MALLOC_SO)
	if (!faults_testable())
		return;
	frontend_run("kfence.sample_interval=1");
	/* slab_debug's front end too (its recent-block check once read a KFENCE block's page). */
	frontend_run("kfence.sample_interval=1 slab_debug=FZPU");
#else
	KTEST_SKIP("no malloc front end in this build");
#endif
}

int main(void)
{
	KTEST_RUN(KTEST(test_oob_read_left), KTEST(test_oob_read_right),
		  KTEST(test_oob_write_left), KTEST(test_oob_write_right),
		  KTEST(test_uaf_read), KTEST(test_uaf_write), KTEST(test_invalid_free),
		  KTEST(test_double_free), KTEST(test_invalid_free_unused), KTEST(test_corruption), KTEST(test_corruption_left),
		  KTEST(test_corruption_both_sides), KTEST(test_guard_closes_after_free),
		  KTEST(test_memcache_oob_read_left), KTEST(test_memcache_oob_read_right),
		  KTEST(test_memcache_oob_write), KTEST(test_memcache_uaf_read),
		  KTEST(test_memcache_double_free), KTEST(test_memcache_invalid_addr_free),
		  KTEST(test_memcache_corruption_right), KTEST(test_memcache_corruption_left),
		  KTEST(test_aligned_oob_read), KTEST(test_aligned_oob_write),
		  KTEST(test_invalid_access), KTEST(test_typesafe_by_rcu_uaf),
		  KTEST(test_krealloc_kfence), KTEST(test_free_bulk), KTEST(test_memcache_misc), KTEST(test_constructed),
		  KTEST(test_memcache_alloc_bulk), KTEST(test_init_on_free),
		  KTEST(test_use_after_free_read_nofault),
		  KTEST(test_api), KTEST(test_files), KTEST(test_off), KTEST(test_boot_pool_untouched),
		  KTEST(test_burst), KTEST(test_fault_modes), KTEST(test_fault_malformed), KTEST(test_threads),
		  KTEST(test_first_call), KTEST(test_tight_loop_sampled), KTEST(test_dma_skipped),
		  KTEST(test_fork), KTEST(test_frontend_stops));
}
