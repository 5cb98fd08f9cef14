/* SPDX-License-Identifier: MIT */
/*
 * linux/refcount.h and linux/kref.h against the kernel's semantics
 * (lib/refcount.c, include/linux/refcount.h, include/linux/kref.h; the
 * kernel's lkdtm REFCOUNT_* tests exercise the same transitions): each
 * misuse warns with the kernel's text and pins the counter at
 * REFCOUNT_SATURATED (INT_MIN / 2), where it stays; the last put returns
 * true exactly once; refcount_dec_not_one/dec_if_one/dec_and_lock and the
 * kref puts behave as the kernel's.  Warnings are read back from the
 * kernel log (ukmem_dmesg); each kind warns once per call site, as
 * WARN_ONCE does, so each text is checked once.
 */
#include "ktest.h"

#include <linux/kref.h>
#include <linux/refcount.h>
#include <ukmem/boot.h>

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static bool saturated(refcount_t *r)
{
	return (int)refcount_read(r) == REFCOUNT_SATURATED;
}

static void quiet(void)
{
	static bool done;

	if (!done) {
		ukmem_set_console(fopen("/dev/null", "w"));
		done = true;
	}
	ukmem_dmesg_clear();
}

static void test_transitions(void)
{
	refcount_t r = REFCOUNT_INIT(1);
	int old = -100;

	quiet();
	CHECK_EQ(refcount_read(&r), 1);
	refcount_inc(&r);
	refcount_add(3, &r);
	CHECK_EQ(refcount_read(&r), 5);
	__refcount_inc(&r, &old);
	CHECK_EQ(old, 5);
	__refcount_add(2, &r, &old);
	CHECK_EQ(old, 6);
	CHECK(!refcount_sub_and_test(7, &r));
	CHECK_EQ(refcount_read(&r), 1);
	refcount_set(&r, 3);
	refcount_dec(&r);
	CHECK(!__refcount_dec_and_test(&r, &old) && old == 2);
	CHECK(refcount_dec_and_test(&r));	/* the last put */
	CHECK_EQ(refcount_read(&r), 0);
	/* Not from zero: a freed object is not revived. */
	CHECK(!refcount_inc_not_zero(&r));
	CHECK(!__refcount_add_not_zero(5, &r, &old) && old == 0);
	CHECK_EQ(refcount_read(&r), 0);
	refcount_set(&r, 2);
	CHECK(__refcount_inc_not_zero(&r, &old) && old == 2);
	CHECK(refcount_add_not_zero(2, &r));
	CHECK_EQ(refcount_read(&r), 5);
	CHECK(refcount_sub_and_test(5, &r));
	/* None of that warned. */
	CHECK(strstr(dmesg_now(), "refcount_t") == NULL);
}

static void test_saturation(void)
{
	refcount_t r;
	int old;

	quiet();
	/* An increment from 0 is a use after free. */
	refcount_set(&r, 0);
	refcount_inc(&r);
	CHECK(saturated(&r));
	CHECK_STR_CONTAINS(dmesg_now(), "refcount_t: addition on 0; use-after-free.");

	/* Overflow past REFCOUNT_MAX (the kernel's wrapping arithmetic sees it). */
	ukmem_dmesg_clear();
	refcount_set(&r, REFCOUNT_MAX);
	refcount_inc(&r);
	CHECK(saturated(&r));
	CHECK_STR_CONTAINS(dmesg_now(), "refcount_t: saturated; leaking memory.");
	refcount_set(&r, REFCOUNT_MAX - 1);
	refcount_add(2, &r);
	CHECK(saturated(&r));
	refcount_set(&r, REFCOUNT_MAX - 1);
	CHECK(refcount_add_not_zero(5, &r));
	CHECK(saturated(&r));
	refcount_set(&r, REFCOUNT_MAX - 1);
	refcount_inc(&r);	/* exactly REFCOUNT_MAX is still a count */
	CHECK_EQ(refcount_read(&r), REFCOUNT_MAX);

	/* A put from 0 is an underflow. */
	ukmem_dmesg_clear();
	refcount_set(&r, 0);
	CHECK(!__refcount_dec_and_test(&r, &old) && old == 0);
	CHECK(saturated(&r));
	CHECK_STR_CONTAINS(dmesg_now(), "refcount_t: underflow; use-after-free.");
	refcount_set(&r, 2);
	CHECK(!refcount_sub_and_test(3, &r));
	CHECK(saturated(&r));
	refcount_set(&r, 0);
	CHECK(!refcount_sub_and_test(0, &r));	/* 0 minus 0 is no last put */
	CHECK(saturated(&r));

	/* refcount_dec() must not be the last put. */
	ukmem_dmesg_clear();
	refcount_set(&r, 1);
	refcount_dec(&r);
	CHECK(saturated(&r));
	CHECK_STR_CONTAINS(dmesg_now(), "refcount_t: decrement hit 0; leaking memory.");
	CHECK_EQ(REFCOUNT_SATURATED, INT_MIN / 2);

	/* A saturated counter stays so, whatever is done to it, and frees nothing. */
	refcount_inc(&r);
	CHECK(saturated(&r));
	CHECK(!refcount_dec_and_test(&r));
	CHECK(saturated(&r));
	refcount_dec(&r);
	CHECK(saturated(&r));
	CHECK(refcount_inc_not_zero(&r));
	CHECK(saturated(&r));
}

static void test_dec_variants(void)
{
	refcount_t r = REFCOUNT_INIT(2);
	DEFINE_SPINLOCK(lock);
	DEFINE_MUTEX(mtx);

	quiet();
	CHECK(!refcount_dec_if_one(&r));
	CHECK_EQ(refcount_read(&r), 2);
	CHECK(refcount_dec_not_one(&r));
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(!refcount_dec_not_one(&r));	/* 1: the caller's slow path */
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(refcount_dec_if_one(&r));
	CHECK_EQ(refcount_read(&r), 0);
	/* From 0: warns, leaves the count, reports "not the last". */
	CHECK(refcount_dec_not_one(&r));
	CHECK_EQ(refcount_read(&r), 0);
	CHECK_STR_CONTAINS(dmesg_now(), "refcount_t: underflow; use-after-free.");
	refcount_set(&r, REFCOUNT_SATURATED);
	CHECK(refcount_dec_not_one(&r) && saturated(&r));

	refcount_set(&r, 2);
	CHECK(!refcount_dec_and_lock(&r, &lock));
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(spin_trylock(&lock));	/* not left held */
	spin_unlock(&lock);
	CHECK(refcount_dec_and_lock(&r, &lock));
	CHECK_EQ(refcount_read(&r), 0);
	CHECK(!spin_trylock(&lock));	/* held for the caller */
	spin_unlock(&lock);

	refcount_set(&r, 2);
	CHECK(!refcount_dec_and_mutex_lock(&r, &mtx));
	CHECK(mutex_trylock(&mtx));
	mutex_unlock(&mtx);
	CHECK(refcount_dec_and_mutex_lock(&r, &mtx));
	CHECK(!mutex_trylock(&mtx));
	mutex_unlock(&mtx);
}

struct obj {
	struct kref ref;
	int released;
};

static void obj_release(struct kref *k)
{
	container_of(k, struct obj, ref)->released++;
}

static spinlock_t *release_lock;
static struct mutex *release_mutex;

static void obj_release_locked(struct kref *k)
{
	obj_release(k);
	/* The last put runs the release function with the lock held. */
	if (release_lock) {
		CHECK(!spin_trylock(release_lock));
		spin_unlock(release_lock);
	}
	if (release_mutex) {
		CHECK(!mutex_trylock(release_mutex));
		mutex_unlock(release_mutex);
	}
}

static void test_kref(void)
{
	struct obj o = { .ref = KREF_INIT(1) };
	DEFINE_SPINLOCK(lock);
	DEFINE_MUTEX(mtx);

	quiet();
	CHECK_EQ(kref_read(&o.ref), 1);
	kref_get(&o.ref);
	CHECK_EQ(kref_read(&o.ref), 2);
	CHECK_EQ(kref_put(&o.ref, obj_release), 0);
	CHECK_EQ(o.released, 0);
	CHECK_EQ(kref_put(&o.ref, obj_release), 1);
	CHECK_EQ(o.released, 1);
	CHECK(!kref_get_unless_zero(&o.ref));
	CHECK_EQ(kref_read(&o.ref), 0);

	kref_init(&o.ref);
	CHECK(kref_get_unless_zero(&o.ref));
	release_lock = &lock;
	CHECK_EQ(kref_put_lock(&o.ref, obj_release_locked, &lock), 0);
	CHECK_EQ(o.released, 1);
	CHECK_EQ(kref_put_lock(&o.ref, obj_release_locked, &lock), 1);
	CHECK_EQ(o.released, 2);
	CHECK(spin_trylock(&lock));	/* the release function unlocked it */
	spin_unlock(&lock);
	release_lock = NULL;

	kref_init(&o.ref);
	kref_get(&o.ref);
	release_mutex = &mtx;
	CHECK_EQ(kref_put_mutex(&o.ref, obj_release_locked, &mtx), 0);
	CHECK_EQ(kref_put_mutex(&o.ref, obj_release_locked, &mtx), 1);
	CHECK_EQ(o.released, 3);
	CHECK(mutex_trylock(&mtx));
	mutex_unlock(&mtx);
	release_mutex = NULL;
}

int main(void)
{
	KTEST_RUN(KTEST(test_transitions), KTEST(test_saturation), KTEST(test_dec_variants),
		  KTEST(test_kref));
}
