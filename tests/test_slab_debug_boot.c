/* SPDX-License-Identifier: MIT */
/*
 * Slab debugging and hardening switched on at boot, each case in a forked
 * child that boots with its own command line: slub_debug= / slab_debug=
 * in the kernel's syntax (letters, cache lists, globs, blocks, '-', 'O'),
 * a use-after-free of a kmalloc object as slub_debug=P reports it (and,
 * in an ASan build, as ASan reports it; under valgrind, as memcheck does),
 * init_on_alloc, init_on_free, slab_freelist_random, and failslab=.
 */
#include "slab_test.h"

#include <linux/mm.h>
#include <ukmem/fault.h>
#include <ukmem/slab_debug.h>
#include "mm/slab.h"

#define DEBUG_FZPU (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define DEBUG_ALL (DEBUG_FZPU | SLAB_TRACE | SLAB_FAILSLAB)

static void boot(const char *cmdline)
{
	ktest_failures = 0;	/* the child's own */
	ukmem_set_console(stderr);
	if (ukmem_boot(cmdline))
		_exit(3);
}

static slab_flags_t dbg(struct kmem_cache *s)
{
	return s->flags & DEBUG_ALL;
}

static struct kmem_cache *kmalloc_cache(unsigned int index)
{
	return kmalloc_caches[KMALLOC_NORMAL][index];
}

static void child_list_glob(void)
{
	struct kmem_cache *a, *b;

	boot("mem=256M loglevel=4 slub_debug=FZPU,tdbg_*");
	a = kmem_cache_create("tdbg_x", 64, 0, 0, NULL);
	b = kmem_cache_create("other_x", 64, 0, 0, NULL);
	CHECK_EQ(dbg(a), DEBUG_FZPU);
	CHECK_EQ(dbg(b), 0);
	CHECK_EQ(dbg(kmalloc_cache(6)), 0);
	CHECK(a->red_left_pad == 8);
	/* Debug caches never merge: another one of the same shape is its own. */
	CHECK(kmem_cache_create("tdbg_y", 64, 0, 0, NULL) != a);
	/* SLAB_NO_USER_FLAGS ignores slub_debug. */
	CHECK_EQ(dbg(kmem_cache_create("tdbg_z", 64, 0, SLAB_NO_USER_FLAGS, NULL)), 0);
}

static void child_bare(void)
{
	static void *p[3000];
	int i;

	boot("mem=256M loglevel=4 slub_debug");
	CHECK_EQ(dbg(kmalloc_cache(6)), DEBUG_FZPU);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_bare", 100, 0, 0, NULL)), DEBUG_FZPU);
	for (i = 0; i < 3000; i++) {
		p[i] = kmalloc(8 + i % 700, GFP_KERNEL);
		memset(p[i], i, 8 + i % 700);
	}
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	for (i = 0; i < 3000; i++)
		kfree(p[i]);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

static void child_blocks(void)
{
	boot("mem=256M loglevel=4 slab_debug=FZ;-,kmalloc-64;Z,tdbg_a;U,tdbg_b,tdbg_c");
	CHECK_EQ(dbg(kmalloc_cache(6)), 0);
	CHECK_EQ(dbg(kmalloc_cache(7)), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_a", 64, 0, 0, NULL)), SLAB_RED_ZONE);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_c", 64, 0, 0, NULL)), SLAB_STORE_USER);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_d", 64, 0, 0, NULL)),
		 SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
}

static void child_only_lists(void)
{
	boot("mem=256M loglevel=4 slub_debug=,tdbg_full;TA,tdbg_t");
	/* Only cache lists: no global flags. */
	CHECK_EQ(dbg(kmalloc_cache(6)), 0);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_full", 64, 0, 0, NULL)), DEBUG_FZPU);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_t", 64, 0, 0, NULL)), SLAB_TRACE | SLAB_FAILSLAB);
	/* A name is matched whole, unless the list item ends in '*'. */
	CHECK_EQ(dbg(kmem_cache_create("tdbg_fullx", 64, 0, SLAB_NO_MERGE, NULL)), 0);
}

static void child_unknown_letter(void)
{
	boot("mem=256M loglevel=4 slub_debug=FXu");
	CHECK_EQ(dbg(kmalloc_cache(6)), SLAB_CONSISTENCY_CHECKS | SLAB_STORE_USER);
}

static void child_higher_order(void)
{
	struct kmem_cache *s;

	boot("mem=256M loglevel=4 slub_debug=OZ");
	/* A page-sized object would need order 1 with red zones: none for it. */
	s = kmem_cache_create("tdbg_page", 4096, 0, 0, NULL);
	CHECK_EQ(dbg(s), 0);
	CHECK_EQ(s->size, 4096);
	s = kmem_cache_create("tdbg_small", 100, 0, 0, NULL);
	CHECK_EQ(dbg(s), SLAB_RED_ZONE);
}

/* Not static: the report names them. */
noinline void *tdbg_kmalloc_site(void);
noinline void *tdbg_kmalloc_site(void)
{
	void *p = kmalloc(64, GFP_KERNEL);

	barrier();
	return p;
}

noinline void tdbg_use_after_free(char *p);
noinline void tdbg_use_after_free(char *p)
{
	p[5] = 0x42;
	barrier();
}

static void child_uaf(void)
{
	char *p;

	boot("mem=256M loglevel=4 slub_debug=PU,kmalloc-64");
	p = tdbg_kmalloc_site();
	kfree(p);
	tdbg_use_after_free(p);		/* ASan stops the child here */
	CHECK_EQ(ukmem_slab_validate(kmalloc_cache(6)), 2);
	/* The cache goes on. */
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	CHECK_EQ(ukmem_slab_validate(kmalloc_cache(6)), 0);
}

/*
 * A track whose stack the depot could not keep (full): the kernel's one
 * line for it, where the stack would be.
 */
static __attribute__((unused)) void child_track_missing(void)
{
	char *p;

	boot("mem=256M loglevel=4 slub_debug=PU,kmalloc-64");
	CHECK(stack_depot_fill());
	p = tdbg_kmalloc_site();
	kfree(p);
	tdbg_use_after_free(p);
	CHECK_EQ(ukmem_slab_validate(kmalloc_cache(6)), 2);
}

static void child_init_on_alloc(void)
{
	struct page *page;
	unsigned char *p, *q;
	int i, bad = 0;

	boot("mem=256M loglevel=7 init_on_alloc=1");
	p = kmalloc(200, GFP_KERNEL);
	memset(p, 0xff, 200);
	kfree(p);
	q = kmalloc(200, GFP_KERNEL);
	CHECK(q == p);
	for (i = 0; i < 200; i++)
		bad += q[i] != 0;
	CHECK_EQ(bad, 0);
	kfree(q);
	page = alloc_page(GFP_KERNEL);
	memset(page_address(page), 0xee, PAGE_SIZE);
	__free_page(page);
	page = alloc_page(GFP_KERNEL);
	p = page_address(page);
	for (i = 0, bad = 0; i < (int)PAGE_SIZE; i++)
		bad += p[i] != 0;
	CHECK_EQ(bad, 0);
	__free_page(page);
}

static void child_init_on_free(void)
{
	unsigned char *p;
	int i, bad = 0;

	boot("mem=256M loglevel=7 init_on_free=1");
	p = kmalloc(128, GFP_KERNEL);
	memset(p, 0xff, 128);
	kfree(p);
	if (!TEST_ASAN) {	/* ASan poisons the freed object: not to be read */
		for (i = 0; i < 128; i++)
			bad += p[i] != 0;
		CHECK_EQ(bad, 0);
	}
	/* A cache with a constructor keeps its state. */
	p = kmalloc(128, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
}

static void mark_ctor(void *obj)
{
	*(unsigned long *)obj = 0xc0ffee;
}

static void child_freelist_random(void)
{
	struct kmem_cache *s;
	static char *p[64];
	int i, ordered = 0, bad = 0;

	boot("mem=256M loglevel=4 slab_freelist_random=1");
	s = kmem_cache_create("tdbg_rand", 64, 0, SLAB_NO_MERGE, NULL);
	for (i = 0; i < 64; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 1; i < 64; i++)
		ordered += p[i] == p[i - 1] + 64 || p[i] == p[i - 1] - 64;
	CHECK(ordered < 32);
	for (i = 0; i < 64; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(ukmem_slab_validate(s), 0);
	kmem_cache_shrink(s);
	kmem_cache_destroy(s);
	/*
	 * A constructor run as each object is taken (the malloc front end's
	 * caches): a shuffled slab links every object at once, so each must
	 * have been constructed when its slab was made.
	 */
	s = kmem_cache_create("tdbg_rand_ctor", 64, 0, SLAB_NO_MERGE | SLAB_SKIP_KFENCE,
			      mark_ctor);
	CHECK(s != NULL);
	kmem_cache_ctor_when_taken(s);
	for (i = 0; i < 64; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		bad += *(unsigned long *)p[i] != 0xc0ffee;
	}
	CHECK_EQ(bad, 0);
	for (i = 0; i < 64; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

static void child_failslab_boot(void)
{
	int i, failed = 0;

	boot("mem=256M loglevel=4 failslab=1,100,0,2");
	for (i = 0; i < 6; i++) {
		void *p = kmalloc(64, GFP_ATOMIC | __GFP_NOWARN);

		failed += !p;
		kfree(p);
	}
	CHECK_EQ(failed, 2);
	/* Sleeping allocations are exempt (ignore-gfp-wait). */
	kfree(kmalloc(64, GFP_KERNEL));
}

struct child_case {
	const char *name;
	void (*fn)(void);
	const char *want[4];
};

/*
 * kmalloc's alignment promise holds with red zones and poison too: the
 * largest power of two dividing the size (v6.11+), so 96-byte objects are
 * 32-byte aligned and 192-byte ones 64-byte aligned.
 */
static void child_kmalloc_align_debug(void)
{
	static const size_t sizes[] = { 8, 24, 48, 96, 128, 192, 1024, 8192 };
	unsigned int i, k;

	boot("mem=256M loglevel=4 slab_debug=FZPU kfence.sample_interval=0");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t want = sizes[i] & -sizes[i];
		void *p[20];

		if (sizes[i] == 24 || sizes[i] == 48)	/* kmalloc-32, kmalloc-64 */
			want = sizes[i] == 24 ? 32 : 64;
		for (k = 0; k < ARRAY_SIZE(p); k++) {
			p[k] = kmalloc(sizes[i], GFP_KERNEL);
			CHECK_EQ((unsigned long)p[k] & (want - 1), 0);
		}
		for (k = 0; k < ARRAY_SIZE(p); k++)
			kfree(p[k]);
	}
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

/* The kernel reads both with kstrtobool(): on, y, true and 1 alike. */
static void child_init_bool_words(void)
{
	boot("mem=256M loglevel=7 init_on_alloc=on init_on_free=Y");
	CHECK(init_on_alloc && init_on_free);
}

static void child_init_bool_off(void)
{
	boot("mem=256M loglevel=7 init_on_alloc=off init_on_free=no");
	CHECK(!init_on_alloc && !init_on_free);
}

/*
 * Given twice (both names, or one repeated), each occurrence builds on the
 * ones before, as the kernel's setup_slub_debug() does: cache lists alone
 * keep the global flags, global flags alone keep the cache lists.
 */
static void child_twice_lists(void)
{
	boot("mem=256M loglevel=4 slab_debug=FZ slub_debug=U,kmalloc-128");
	CHECK_EQ(dbg(kmalloc_cache(6)), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(dbg(kmalloc_cache(7)), SLAB_STORE_USER);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_two", 64, 0, SLAB_NO_MERGE, NULL)),
		 SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
}

static void child_twice_global(void)
{
	boot("mem=256M loglevel=4 slub_debug=FZ,kmalloc-64;U,tdbg_dentry slab_debug=P");
	CHECK_EQ(dbg(kmalloc_cache(6)), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(dbg(kmalloc_cache(7)), SLAB_POISON);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_dentry", 64, 0, SLAB_NO_MERGE, NULL)),
		 SLAB_STORE_USER);
	CHECK_EQ(dbg(kmem_cache_create("tdbg_other", 64, 0, SLAB_NO_MERGE, NULL)), SLAB_POISON);
}

static void child_twice_bare_and_off(void)
{
	/* A bare one turns everything on, '-' everything off; the list stays. */
	boot("mem=256M loglevel=4 slab_debug=Z,kmalloc-64 slab_debug");
	CHECK_EQ(dbg(kmalloc_cache(6)), SLAB_RED_ZONE);
	CHECK_EQ(dbg(kmalloc_cache(7)), DEBUG_FZPU);
}

static void child_twice_off(void)
{
	boot("mem=256M loglevel=4 slab_debug=Z,kmalloc-64 slab_debug=-");
	CHECK_EQ(dbg(kmalloc_cache(6)), SLAB_RED_ZONE);
	CHECK_EQ(dbg(kmalloc_cache(7)), 0);
}

/* A /sys/kernel/slab/<cache>/<file>, as text (a buffer of the caller's). */
static const char *slab_file(const char *path, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	memset(buf, 0, size);
	if (!f)
		return "";
	CHECK_EQ(ukmem_show(path, f), 0);
	fclose(f);
	return buf;
}

/*
 * The /sys/kernel/slab/<cache>/ files of Documentation/mm/slub.rst: one
 * per debug letter (F sanity_checks, Z red_zone, P poison, U store_user,
 * T trace, A failslab), 1 or 0; failslab writable, -EINVAL for a cache
 * with aliases; validate and shrink take '1'.
 */
static void child_sysfs_files(void)
{
	struct kmem_cache *k64 = kmalloc_cache(6), *k128 = kmalloc_cache(7), *c, *m;
	char buf[64], path[96];
	void *p;

	boot("mem=256M loglevel=4 slab_debug=FZ;U,kmalloc-128");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/sanity_checks", buf, sizeof(buf)), "1\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/red_zone", buf, sizeof(buf)), "1\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/poison", buf, sizeof(buf)), "0\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/store_user", buf, sizeof(buf)), "0\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/trace", buf, sizeof(buf)), "0\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/failslab", buf, sizeof(buf)), "0\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-128/store_user", buf, sizeof(buf)), "1\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-128/sanity_checks", buf, sizeof(buf)), "0\n");
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/object_size", buf, sizeof(buf)), "64\n");
	CHECK_EQ(strtol(slab_file("slab/kmalloc-64/slab_size", buf, sizeof(buf)), NULL, 10),
		 k64->size);
	CHECK_EQ(strtol(slab_file("slab/kmalloc-128/order", buf, sizeof(buf)), NULL, 10),
		 oo_order(k128->oo));
	CHECK_EQ(strtol(slab_file("slab/kmalloc-128/objs_per_slab", buf, sizeof(buf)), NULL, 10),
		 oo_objects(k128->oo));
	CHECK_STR_EQ(slab_file("slab/kmalloc-64/validate", buf, sizeof(buf)), "");
	CHECK_EQ(ukmem_show("slab/kmalloc-64/no_such_file", stderr), -ENOENT);
	CHECK_EQ(ukmem_show("slab/no_such_cache/order", stderr), -ENOENT);
	/* validate and shrink: '1'; validate only where debugging is on. */
	CHECK_EQ(ukmem_write("slab/kmalloc-64/validate", "1\n"), 0);
	CHECK_EQ(ukmem_write("slab/kmalloc-64/validate", "0"), -EINVAL);
	CHECK_EQ(ukmem_write("slab/kmalloc-64/shrink", "1"), 0);
	CHECK_EQ(ukmem_write("slab/kmalloc-64/shrink", "x"), -EINVAL);
	c = kmem_cache_create("tdbg_plain", 48, 0, SLAB_NO_USER_FLAGS | SLAB_NO_MERGE, NULL);
	CHECK_EQ(ukmem_write("slab/tdbg_plain/validate", "1"), -EINVAL);
	CHECK_EQ(ukmem_write("slab/tdbg_plain/order", "1"), -EINVAL);	/* no store */
	CHECK_EQ(ukmem_write("slab/no_such_cache/shrink", "1"), -ENOENT);
	/* failslab: writable; with cache-filter only the marked cache fails. */
	CHECK_EQ(ukmem_write("slab/tdbg_plain/failslab", "1"), 0);
	CHECK_STR_EQ(slab_file("slab/tdbg_plain/failslab", buf, sizeof(buf)), "1\n");
	CHECK(c->flags & SLAB_FAILSLAB);
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "cache-filter", 1);
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("failslab", "probability", 100);
	CHECK(kmem_cache_alloc(c, GFP_ATOMIC) == NULL);
	p = kmalloc(64, GFP_ATOMIC);
	CHECK(p != NULL);
	kfree(p);
	CHECK_EQ(ukmem_write("slab/tdbg_plain/failslab", "0\n"), 0);
	p = kmem_cache_alloc(c, GFP_ATOMIC);
	CHECK(p != NULL);
	kmem_cache_free(c, p);
	ukmem_fault_set("failslab", "probability", 0);
	/* A merged cache's flags are its aliases' too: the kernel refuses. */
	m = kmem_cache_create("tdbg_m1", 200, 0, SLAB_NO_USER_FLAGS, NULL);
	CHECK(kmem_cache_create("tdbg_m2", 200, 0, SLAB_NO_USER_FLAGS, NULL) == m);
	snprintf(path, sizeof(path), "slab/%s/aliases", m->name);
	CHECK(strtol(slab_file(path, buf, sizeof(buf)), NULL, 10) >= 1);
	snprintf(path, sizeof(path), "slab/%s/failslab", m->name);
	CHECK_EQ(ukmem_write(path, "1"), -EINVAL);
	CHECK(!(m->flags & SLAB_FAILSLAB));
}

static const struct child_case cases[] = {
	{ "slub_debug=FZPU,tdbg_*", child_list_glob, { NULL } },
	{ "slub_debug", child_bare, { NULL } },
	{ "slab_debug blocks and -", child_blocks, { NULL } },
	{ "slub_debug cache lists only", child_only_lists, { NULL } },
	{ "slub_debug unknown letter", child_unknown_letter,
	  { "slab_debug option 'X' unknown. skipped\n", NULL } },
	{ "slub_debug=O", child_higher_order, { NULL } },
	{ "init_on_alloc=1", child_init_on_alloc,
	  { "mem auto-init: stack:off, heap alloc:on, heap free:off\n", NULL } },
	{ "init_on_free=1", child_init_on_free,
	  { "mem auto-init: stack:off, heap alloc:off, heap free:on\n", NULL } },
	{ "slab_freelist_random=1", child_freelist_random, { NULL } },
	{ "failslab=", child_failslab_boot, { NULL } },
	{ "kmalloc alignment under slab_debug", child_kmalloc_align_debug, { NULL } },
	{ "init_on_alloc=on init_on_free=Y", child_init_bool_words,
	  { "mem auto-init: stack:off, heap alloc:on, heap free:on\n", NULL } },
	{ "init_on_alloc=off init_on_free=no", child_init_bool_off,
	  { "mem auto-init: stack:off, heap alloc:off, heap free:off\n", NULL } },
	{ "slab_debug twice: lists keep the global flags", child_twice_lists, { NULL } },
	{ "slab_debug twice: global flags keep the lists", child_twice_global, { NULL } },
	{ "slab_debug twice: bare", child_twice_bare_and_off, { NULL } },
	{ "slab_debug twice: -", child_twice_off, { NULL } },
	{ "/sys/kernel/slab/<cache>/ files", child_sysfs_files, { NULL } },
#if !TEST_ASAN	/* its write after free is ASan's report there (test_use_after_free) */
	{ "a track without its stack", child_track_missing,
	  { "Allocated in tdbg_kmalloc_site+0x", "\nobject allocation/free stack trace missing\n",
	    "Freed in ", NULL } },
#endif
};

static void run_case(const char *name, void (*fn)(void), const char *const *want)
{
	static char out[1 << 18];
	int status, i;

	ktest_current = name;	/* the child's failures carry the case's name too */
	status = run_in_child(fn, out, sizeof(out));
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ktest_failures++;
		fprintf(stderr, "%s: child failed (status %#x):\n%s\n", name, status, out);
	}
	for (i = 0; want && want[i]; i++)
		CHECK_STR_CONTAINS(out, want[i]);
}

/* A use after free of a kmalloc object, as each tool reports it. */
static void test_use_after_free(void)
{
	static char out[1 << 18];
	int status = run_in_child(child_uaf, out, sizeof(out));

	ktest_current = "use after free";
	if (TEST_ASAN) {
		CHECK(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
		CHECK_STR_CONTAINS(out, "ERROR: AddressSanitizer: use-after-poison on address");
		CHECK_STR_CONTAINS(out, "WRITE of size 1");
		CHECK_STR_CONTAINS(out, "tdbg_use_after_free");
		return;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR_CONTAINS(out, "[Poison overwritten] 0x");
	CHECK_STR_CONTAINS(out, "BUG kmalloc-64 (Not tainted): Object corrupt\n");
	CHECK_STR_CONTAINS(out, "First byte 0x42 instead of 0x6b\n");
	CHECK_STR_CONTAINS(out, "Allocated in tdbg_kmalloc_site+0x");
	CHECK_STR_CONTAINS(out, "Freed in ");
	CHECK_STR_CONTAINS(out, "FIX kmalloc-64: Restoring Poison 0x");
}

/* Under valgrind's memcheck (if installed), the same bug as memcheck sees it. */
static void test_valgrind(void)
{
	static char out[1 << 20];
	char cmd[512];

	ktest_current = "valgrind";
	if (TEST_ASAN || UKMEM_TSAN) {
		KTEST_SKIP("valgrind cannot run a sanitizer build");
		return;
	}
	if (system("valgrind --version >/dev/null 2>&1")) {
		KTEST_SKIP("valgrind not installed");
		return;
	}
	snprintf(cmd, sizeof(cmd), "valgrind --tool=memcheck --error-exitcode=0 "
		 "/proc/%d/exe --valgrind-child 2>&1", (int)getpid());
	CHECK(ktest_capture(cmd, out, sizeof(out)) != -1);
	/* An older valgrind cannot read a newer compiler's DWARF (clang's v5). */
	if (strstr(out, "unhandled dwarf2 abbrev form") && !strstr(out, "Invalid write")) {
		KTEST_SKIP("this valgrind cannot read the binary's debug info");
		return;
	}
	CHECK_STR_CONTAINS(out, "Invalid write of size 1");
	CHECK_STR_CONTAINS(out, "Address 0x");
	CHECK_STR_CONTAINS(out, " is 5 bytes inside a block of size 64 free'd");
	CHECK_STR_CONTAINS(out, "Block was alloc'd at");
	CHECK_STR_CONTAINS(out, "tdbg_kmalloc_site");
	CHECK_STR_CONTAINS(out, "VALGRIND CHILD DONE");
}

static int valgrind_child(void)
{
	char *p;

	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot("mem=256M"))
		return 3;
	p = tdbg_kmalloc_site();
	kfree(p);
	tdbg_use_after_free(p);
	p = kmalloc(64, GFP_KERNEL);	/* a heap block again: no error */
	p[5] = 1;
	kfree(p);
	fprintf(stderr, "VALGRIND CHILD DONE\n");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc > 1 && !strcmp(argv[1], "--valgrind-child"))
		return valgrind_child();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(cases[i].name, cases[i].fn, cases[i].want);
	test_use_after_free();
	test_valgrind();
	ktest_current = NULL;
	if (ktest_failures)
		fprintf(stderr, "%d check(s) failed\n", ktest_failures);
	return ktest_failures ? 1 : ktest_skips ? KTEST_SKIP_CODE : 0;
}
