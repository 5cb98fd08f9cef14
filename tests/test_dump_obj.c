/* SPDX-License-Identifier: MIT */
/*
 * mem_dump_obj() and kmem_dump_obj(), the provenance lines RCU and
 * debugging code print for a pointer (mm/util.c, mm/slab_common.c,
 * mm/vmalloc.c): a slab object's cache, start, pointer offset and size;
 * with owner tracks (slub_debug=U) where it was allocated and freed, with
 * red zones (Z) its data offset; a KFENCE object; a vmalloc area's pages,
 * start and caller; and the words for page-allocator memory, NULL,
 * ZERO_SIZE_PTR and memory ukmem does not manage.  Each boot mode runs in
 * its own child.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/kfence.h"
#include "mm/slab.h"
#include "slab_test.h"

static char logbuf[1 << 16];

/* "PREFIX" + mem_dump_obj(@p), as the kernel's callers print it; the text. */
static const char *dump(void *p)
{
	ukmem_dmesg_clear();
	pr_info("obj:");
	mem_dump_obj(p);
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* Not inlined and no tail calls: the owner tracks must name these two. */
static noinline void *allocate_here(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	barrier();
	return p;
}

static noinline void free_here(void *p)
{
	kfree(p);
	barrier();
}

/* A helper that allocates for its caller: the caller is whom the track names. */
static noinline void *helper_for_caller(size_t size, int node)
{
	void *p = kmalloc_node_track_caller(size, GFP_KERNEL, node);

	barrier();
	return p;
}

static noinline void *caller_of_helper(void)
{
	void *p = helper_for_caller(64, 0);

	barrier();
	return p;
}

static void check_slab_lines(bool tracks, bool redzone)
{
	char *p = allocate_here(64), want[160];
	struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][6];
	const char *text;

	CHECK(p != NULL);
	if (!p)
		return;
	text = dump(p + 8);
	snprintf(want, sizeof(want), "obj: slab kmalloc-64 start %016lx",
		 (unsigned long)p - (redzone ? s->red_left_pad : 0));
	CHECK_STR_CONTAINS(text, want);
	if (redzone) {
		snprintf(want, sizeof(want), " data offset %u pointer offset 8 size 64",
			 s->red_left_pad);
		CHECK_STR_CONTAINS(text, want);
	} else {
		CHECK_STR_CONTAINS(text, " pointer offset 8 size 64");
		CHECK(!strstr(text, "data offset"));
	}
	if (tracks) {
		char *q = caller_of_helper();

		CHECK_STR_CONTAINS(text, " allocated at allocate_here");
		CHECK(!strstr(text, "Free path:"));
		/* kmalloc_node_track_caller() records its caller's caller, node or not. */
		CHECK(q != NULL);
		if (q) {
			CHECK_STR_CONTAINS(dump(q), " allocated at caller_of_helper");
			kfree(q);
		}
		text = dump(p + 8);
	} else {
		CHECK(!strstr(text, "allocated at"));
	}
	CHECK(kmem_dump_obj(p));
	free_here(p);
	if (tracks) {
		text = dump(p);
		CHECK_STR_CONTAINS(text, " Free path:");
		CHECK_STR_CONTAINS(text, "    free_here");
	}
}

static noinline void check_other_memory(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char *v = vmalloc(3 * PAGE_SIZE), want[128];
	int on_stack;

	CHECK(page && v);
	if (!page || !v)
		return;
	snprintf(want, sizeof(want), "obj: 3-page vmalloc region starting at %#lx allocated at check_other_memory+0x",
		 (unsigned long)v);
	CHECK_STR_CONTAINS(dump(v + 100), want);
	CHECK(!kmem_dump_obj(v));
	CHECK_STR_CONTAINS(dump(page_address(page)), "obj: non-slab/vmalloc memory\n");
	CHECK(!kmem_dump_obj(page_address(page)));
	CHECK_STR_CONTAINS(dump(NULL), "obj: NULL pointer\n");
	CHECK_STR_CONTAINS(dump(ZERO_SIZE_PTR), "obj: zero-size pointer\n");
	CHECK_STR_CONTAINS(dump(&on_stack), "obj: non-paged memory\n");
	__free_pages(page, 0);
	vfree(v);
}

static void dump_child(void *arg)
{
	const char *mode = arg;

	child_boot("mem=256M loglevel=7", mode);
	ukmem_set_console(fopen("/dev/null", "w"));
	check_slab_lines(strchr(mode, 'U') != NULL, strchr(mode, 'Z') != NULL);
	check_other_memory();
	if (strstr(mode, "kfence")) {
		void *p = NULL;

		for (int i = 0; i < 64 && !p; i++) {
			CHECK(kfence_force_next());
			p = kmalloc(40, GFP_KERNEL);
			if (p && !is_kfence_address(p)) {
				kfree(p);
				p = NULL;
			}
		}
		CHECK(p != NULL);
		if (p) {
			CHECK_STR_CONTAINS(dump((char *)p + 4), "obj: slab kmalloc-64 (kfence) start ");
			CHECK_STR_CONTAINS(logbuf, " pointer offset 4 size 64");
			kfree(p);
		}
	}
}

static void test_modes(void)
{
	static const char *const modes[] = {
		"slub_debug=-", "slub_debug=U", "slub_debug=FZPU", "kfence.sample_interval=100",
	};

	run_cmdlines(dump_child, modes, ARRAY_SIZE(modes));
}

int main(void)
{
	KTEST_RUN(KTEST(test_modes));
}
