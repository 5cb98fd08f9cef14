/* SPDX-License-Identifier: MIT */
/*
 * linux/cleanup.h as kernel code uses it with the allocators (v6.5+):
 * __free(kfree), __free(kvfree), __free(vfree), __free(free_page),
 * __free(free_percpu), __free(kmem_cache_destroy) free at the end of the
 * scope, and not what no_free_ptr()/return_ptr()/retain_and_null_ptr()
 * took out or what is NULL or an error pointer; guard() and
 * scoped_guard() hold spinlock, spinlock_irqsave and mutex exactly for
 * their scope; the conditional guards (mutex_try, mutex_intr,
 * spinlock*_try with scoped_guard, scoped_cond_guard, ACQUIRE and
 * ACQUIRE_ERR) run the block only with the lock taken and release only
 * what they took; DEFINE_CLASS/CLASS run constructor and destructor once.
 * What was freed is counted in free pages (order 4 and up skip the
 * per-CPU lists) and vmalloc pages, so a missed or doubled free shows.
 */
#include <string.h>

/*
 * The headers' guard classes are defined where they are included: a
 * program built with -Wshadow (and -Werror) must not get warnings from
 * them.  The conditional classes' constructors once declared a variable
 * shadowing the one they initialise.
 */
#pragma GCC diagnostic error "-Wshadow"
#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "ktest_boot.h"

#define BIG	(64 << 10)	/* kmalloc from the page allocator, order 4 */

static unsigned long free_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void test_free_kfree(void)
{
	unsigned long before = free_now();

	{
		char *p __free(kfree) = kmalloc(BIG, GFP_KERNEL);

		CHECK(p != NULL);
		CHECK_EQ(free_now(), before - 16);
	}
	CHECK_EQ(free_now(), before);
	{
		/* NULL and error pointers are left alone. */
		void *n __free(kfree) = NULL;
		void *e __free(kfree) = ERR_PTR(-ENOMEM);
		void *kv __free(kvfree) = ERR_PTR(-EINVAL);

		(void)n;
		(void)e;
		(void)kv;
	}
	CHECK_EQ(free_now(), before);
}

static char *make_buffer(bool fail)
{
	char *p __free(kfree) = kmalloc(BIG, GFP_KERNEL);

	if (!p)
		return NULL;
	memset(p, 'b', BIG);
	if (fail)
		return NULL;		/* p is freed on the way out */
	return_ptr(p);
}

static void test_no_free_ptr(void)
{
	unsigned long before = free_now();
	char *kept, *q;

	CHECK(make_buffer(true) == NULL);
	CHECK_EQ(free_now(), before);
	kept = make_buffer(false);
	CHECK(kept && kept[BIG - 1] == 'b');
	CHECK_EQ(free_now(), before - 16);
	{
		char *p __free(kfree) = kmalloc(BIG, GFP_KERNEL);

		q = no_free_ptr(p);
		CHECK(p == NULL);
		CHECK(q != NULL);
	}
	CHECK_EQ(free_now(), before - 32);
	{
		char *p __free(kfree) = q;

		retain_and_null_ptr(p);	/* handed on: not freed */
	}
	CHECK_EQ(free_now(), before - 32);
	kfree(q);
	kfree(kept);
	CHECK_EQ(free_now(), before);
}

static void test_free_vmalloc_kvfree(void)
{
	unsigned long used = vmalloc_nr_pages();

	{
		void *v __free(vfree) = vmalloc(10 * PAGE_SIZE);
		void *kv __free(kvfree) = kvmalloc(8 << 20, GFP_KERNEL);	/* vmalloc'ed */

		CHECK(v && kv);
		CHECK(is_vmalloc_addr(kv));
		/* (and the page array of the big one, itself vmalloc'ed) */
		CHECK(vmalloc_nr_pages() >= used + 10 + (8 << 20) / PAGE_SIZE);
	}
	CHECK_EQ(vmalloc_nr_pages(), used);
}

static void test_free_page_percpu_cache(void)
{
	unsigned long before = free_now();
	struct kmem_cache *gone;

	{
		void *pg __free(free_page) = (void *)__get_free_page(GFP_KERNEL);
		void *none __free(free_page) = NULL;
		int __percpu *pc __free(free_percpu) = alloc_percpu(int);

		(void)none;
		CHECK(pg != NULL);
		CHECK(pc != NULL);
		CHECK_EQ(free_now(), before - 1);
	}
	CHECK_EQ(free_now(), before);
	{
		struct kmem_cache *c __free(kmem_cache_destroy) =
			kmem_cache_create("cleanup_test", 40, 0, 0, NULL);
		void *obj;

		CHECK(c != NULL);
		obj = c ? kmem_cache_alloc(c, GFP_KERNEL) : NULL;
		CHECK(obj != NULL);
		if (obj)
			kmem_cache_free(c, obj);
		gone = c;
	}
	/* Destroyed: a cache of that name can be made again, at once. */
	{
		struct kmem_cache *c __free(kmem_cache_destroy) =
			kmem_cache_create("cleanup_test", 48, 0, SLAB_NO_MERGE, NULL);

		CHECK(c != NULL);
		CHECK_EQ(c ? kmem_cache_size(c) : 0, 48);
	}
	(void)gone;
}

static DEFINE_SPINLOCK(test_lock);
static DEFINE_MUTEX(test_mutex);

static int locked_sum(int a, int b)
{
	guard(spinlock)(&test_lock);
	CHECK(spin_is_locked(&test_lock));
	return a + b;		/* unlocked after the value is computed */
}

/*
 * Kernel code ends functions with a return inside scoped_guard() and
 * builds with -Werror: the macro must let the compiler see that the block
 * always runs.  These are errors here so that a scoped_guard() that hides
 * it breaks the build of this test; and clang must not call a guard's
 * variable unused.
 */
#pragma GCC diagnostic push
#ifdef __OPTIMIZE__
#pragma GCC diagnostic error "-Wreturn-type"
#else	/* gcc -O0 keeps the cleanup's edges, as for the kernel's macro */
#pragma GCC diagnostic ignored "-Wreturn-type"
#endif
#pragma GCC diagnostic error "-Wunused-variable"
static int locked_read(const int *v)
{
	scoped_guard(mutex, &test_mutex) {
		CHECK(mutex_is_locked(&test_mutex));
		return *v;
	}
}

static int locked_twice(int v)
{
	scoped_guard(spinlock_irqsave, &test_lock)
		return 2 * v;
}
#pragma GCC diagnostic pop

static void test_guards(void)
{
	int i, runs = 0;

	CHECK_EQ(locked_sum(2, 3), 5);
	CHECK(!spin_is_locked(&test_lock));
	{
		guard(mutex)(&test_mutex);
		CHECK(mutex_is_locked(&test_mutex));
	}
	CHECK(!mutex_is_locked(&test_mutex));
	scoped_guard(spinlock_irqsave, &test_lock) {
		CHECK(spin_is_locked(&test_lock));
		CHECK(irqs_disabled());
		runs++;
	}
	CHECK_EQ(runs, 1);
	CHECK(!spin_is_locked(&test_lock));
	CHECK(!irqs_disabled());
	/* break leaves the block and unlocks. */
	for (i = 0; i < 3; i++) {
		scoped_guard(mutex, &test_mutex) {
			if (i == 1)
				break;
			runs++;
		}
		CHECK(!mutex_is_locked(&test_mutex));
	}
	CHECK_EQ(runs, 3);
	/* continue leaves the block too, not the loop around it. */
	for (i = 0; i < 3; i++) {
		scoped_guard(mutex, &test_mutex) {
			if (i == 1)
				continue;
			runs++;
		}
		CHECK(!mutex_is_locked(&test_mutex));
		runs += 10;
	}
	CHECK_EQ(runs, 35);
	/* return from inside: the value, then the unlock. */
	i = 7;
	CHECK_EQ(locked_read(&i), 7);
	CHECK(!mutex_is_locked(&test_mutex));
	CHECK_EQ(locked_twice(4), 8);
	CHECK(!spin_is_locked(&test_lock));
	CHECK(!irqs_disabled());
	{
		guard(spinlock_irq)(&test_lock);
		CHECK(irqs_disabled());
	}
	CHECK(!irqs_disabled());
	CHECK(!spin_is_locked(&test_lock));
	/* guard(rcu)() and scoped_guard(rcu): a read-side section. */
	{
		guard(rcu)();
		CHECK(rcu_read_lock_held());
	}
	CHECK(!rcu_read_lock_held());
	scoped_guard(rcu)
		CHECK(rcu_read_lock_held());
	CHECK(!rcu_read_lock_held());
	/* The zero-argument guards of preempt.h and irqflags.h. */
	{
		guard(preempt)();
		CHECK(in_atomic());
	}
	CHECK(!in_atomic());
	scoped_guard(irq)
		CHECK(irqs_disabled());
	CHECK(!irqs_disabled());
	local_irq_disable();
	scoped_guard(irqsave) {
		CHECK(irqs_disabled());
		local_irq_enable();	/* the guard puts back what it saved */
	}
	CHECK(irqs_disabled());
	local_irq_enable();
	CHECK(!irqs_disabled());
}

/* Conditional guards end functions the same way (-Wreturn-type as above). */
#pragma GCC diagnostic push
#ifdef __OPTIMIZE__
#pragma GCC diagnostic error "-Wreturn-type"
#else
#pragma GCC diagnostic ignored "-Wreturn-type"
#endif
#pragma GCC diagnostic error "-Wunused-variable"
static int intr_read(const int *v)
{
	scoped_cond_guard(mutex_intr, return -EINTR, &test_mutex) {
		CHECK(mutex_is_locked(&test_mutex));
		return *v;
	}
}

static int try_read(const int *v)
{
	scoped_cond_guard(spinlock_try, return -EBUSY, &test_lock)
		return *v;
}
#pragma GCC diagnostic pop

/* ACQUIRE()/ACQUIRE_ERR() (v6.17): the error, and the lock to the scope's end. */
static int acquire_try(void)
{
	int ret;

	ACQUIRE(mutex_try, lock)(&test_mutex);
	ret = ACQUIRE_ERR(mutex_try, &lock);
	if (ret)
		return ret;
	CHECK(mutex_is_locked(&test_mutex));
	return 0;
}

static void test_cond_guards(void)
{
	int v = 9, runs = 0, fails = 0, i;
	unsigned long flags;

	/* Free locks: taken, the block runs, released after. */
	CHECK_EQ(intr_read(&v), 9);
	CHECK(!mutex_is_locked(&test_mutex));
	CHECK_EQ(try_read(&v), 9);
	CHECK(!spin_is_locked(&test_lock));
	scoped_guard(mutex_try, &test_mutex) {
		CHECK(mutex_is_locked(&test_mutex));
		runs++;
	}
	CHECK(!mutex_is_locked(&test_mutex));
	scoped_guard(spinlock_irqsave_try, &test_lock) {
		CHECK(irqs_disabled());
		runs++;
	}
	CHECK(!irqs_disabled());
	CHECK(!spin_is_locked(&test_lock));
	CHECK_EQ(runs, 2);
	CHECK_EQ(acquire_try(), 0);
	CHECK(!mutex_is_locked(&test_mutex));

	/* Held locks: a trylock fails, the block is skipped, nothing is released. */
	mutex_lock(&test_mutex);
	scoped_guard(mutex_try, &test_mutex)
		runs++;
	CHECK_EQ(runs, 2);
	CHECK(mutex_is_locked(&test_mutex));	/* still ours: the guard undid nothing */
	CHECK_EQ(acquire_try(), -EBUSY);
	CHECK(mutex_is_locked(&test_mutex));
	for (i = 0; i < 2; i++)
		scoped_cond_guard(mutex_try, { fails++; continue; }, &test_mutex)
			runs++;
	CHECK_EQ(fails, 2);
	CHECK_EQ(runs, 2);
	mutex_unlock(&test_mutex);

	spin_lock(&test_lock);
	CHECK_EQ(try_read(&v), -EBUSY);
	scoped_guard(spinlock_irq_try, &test_lock)
		runs++;
	CHECK_EQ(runs, 2);
	CHECK(!irqs_disabled());	/* a failed irq trylock puts interrupts back */
	CHECK(spin_is_locked(&test_lock));
	spin_unlock(&test_lock);
	CHECK(!spin_is_locked(&test_lock));

	/* The irqsave trylock on its own. */
	CHECK(spin_trylock_irqsave(&test_lock, flags));
	CHECK(irqs_disabled());
	{
		unsigned long again;

		CHECK(!spin_trylock_irqsave(&test_lock, again));
	}
	CHECK(irqs_disabled());
	spin_unlock_irqrestore(&test_lock, flags);
	CHECK(!irqs_disabled());
}

static int made, destroyed;

DEFINE_CLASS(counted, int *, { destroyed++; kfree(_T); },
	     ({ made++; kmalloc_obj(int, flags); }), gfp_t flags)

static void test_class(void)
{
	{
		CLASS(counted, p)(GFP_KERNEL);

		CHECK(p != NULL);
		CHECK_EQ(made, 1);
		CHECK_EQ(destroyed, 0);
	}
	CHECK_EQ(destroyed, 1);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_free_kfree), KTEST(test_no_free_ptr), KTEST(test_free_vmalloc_kvfree),
		  KTEST(test_free_page_percpu_cache), KTEST(test_guards), KTEST(test_cond_guards),
		  KTEST(test_class));
}
