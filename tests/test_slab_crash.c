/* SPDX-License-Identifier: MIT */
/*
 * kmem_cache_create() failures: with SLAB_PANIC the process dies as the
 * kernel does ("Kernel panic - not syncing: __kmem_cache_create_args: Failed to
 * create slab ..." then SIGABRT), checked in forked children; without it
 * the call returns NULL with the kernel's warning and the program goes on.
 */
#include "slab_test.h"

static void boot_quiet(void)
{
	/* The console stays stderr (the pipe): the panic must reach it. */
	if (ukmem_boot("mem=256M loglevel=4"))
		_exit(3);
}

static void panic_bad_flags(void)
{
	boot_quiet();
	/* 0x1 is no cache flag (SLAB_CTOR_CONSTRUCTOR was a constructor argument). */
	kmem_cache_create("tslab_panic", 64, 0, SLAB_PANIC | 0x1, NULL);
	_exit(2);
}

static void panic_too_big(void)
{
	boot_quiet();
	kmem_cache_create("tslab_huge", KMALLOC_MAX_SIZE + 1, 0, SLAB_PANIC, NULL);
	_exit(2);
}

static void panic_no_name(void)
{
	boot_quiet();
	kmem_cache_create(NULL, 64, 0, SLAB_PANIC, NULL);
	_exit(2);
}

static const struct crash_case cases[] = {
	{ "SLAB_PANIC, unknown flag", panic_bad_flags,
	  { "Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab 'tslab_panic'. Error -22\n",
	    "---[ end Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab 'tslab_panic'. Error -22 ]---",
	    NULL } },
	{ "SLAB_PANIC, size above KMALLOC_MAX_SIZE", panic_too_big,
	  { "kmem_cache_create(tslab_huge) integrity check failed\n",
	    "Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab 'tslab_huge'. Error -22\n",
	    NULL } },
	{ "SLAB_PANIC, no name", panic_no_name,
	  { "kmem_cache_create((null)) integrity check failed\n",
	    "Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab '(null)'. Error -22\n",
	    NULL } },
};

/* The same failures without SLAB_PANIC: NULL, a warning, and life goes on. */
static void test_failures_return_null(void)
{
	struct kmem_cache *c;
	void *p;

	ukmem_dmesg_clear();
	CHECK(kmem_cache_create("tslab_bad", 64, 0, 0x1, NULL) == NULL);
	CHECK_STR_CONTAINS(log_text(), "__kmem_cache_create_args(tslab_bad) failed with error -22\n");
	CHECK_STR_CONTAINS(log_text(), "Call Trace:");
	ukmem_dmesg_clear();
	CHECK(kmem_cache_create("tslab_zero", 0, 0, 0, NULL) == NULL);
	CHECK_STR_CONTAINS(log_text(), "kmem_cache_create(tslab_zero) integrity check failed\n");
	CHECK(kmem_cache_create("tslab_big", KMALLOC_MAX_SIZE + 1, 0, 0, NULL) == NULL);
	/* A name with a space is accepted, with the kernel's complaint. */
	ukmem_dmesg_clear();
	c = kmem_cache_create("tslab has space", 64, 0, SLAB_NO_MERGE, NULL);
	CHECK(c != NULL);
	CHECK_STR_CONTAINS(log_text(), "It confuses parsers");
	kmem_cache_destroy(c);
	/* The largest cache there can be. */
	c = kmem_cache_create("tslab_max", KMALLOC_MAX_SIZE, 0, 0, NULL);
	CHECK(c != NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(p != NULL);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	/* An invalid usercopy region is dropped with a WARN; the cache is made. */
	ukmem_dmesg_clear();
	c = kmem_cache_create_usercopy("tslab_ucbad", 64, 0, 0, 60, 16, NULL);
	CHECK(c != NULL);
	CHECK_STR_CONTAINS(log_text(), "WARNING: ");
	kmem_cache_destroy(c);
}

int main(void)
{
	if (crash_cases_then_boot(cases, ARRAY_SIZE(cases), "mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_failures_return_null));
}
