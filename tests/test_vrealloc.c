/* SPDX-License-Identifier: MIT */
/*
 * vrealloc() and what is built on it (v6.12+ kernels): kvrealloc() of a
 * vmalloc'ed block, kvmemdup(), kmemdup_array(), and si_mem_available().
 *
 * vrealloc as mm/vmalloc.c documents it: NULL in is vmalloc, size 0 frees;
 * within the pages the area has, the block shrinks and grows where it is,
 * zeroing what it gives up under init_on_free or __GFP_ZERO and what it
 * gains under init_on_alloc or __GFP_ZERO, and (v7.0+) a shrink across a
 * page boundary frees the pages past the new end; beyond them the bytes move to a
 * new area and the old one is gone; a pointer that is not a vmalloc area's
 * start is refused with the kernel's warning.  Each case runs booted
 * plainly, with init_on_alloc=1, with init_on_free=1 and with slub_debug
 * (which the vmalloc path ignores: no change expected), each in a child.
 */
#include "slab_test.h"

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>

#define GARBAGE	0x5a

/* The overflow case is a constant SIZE_MAX once folded, which gcc warns about. */
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

static bool mode_init_on_alloc, mode_init_on_free;

static const char *dmesg(void)
{
	static char buf[1 << 16];

	ukmem_dmesg(buf, sizeof(buf));
	return buf;
}

/* Every byte of [p, p + len) is @c. */
static bool all_bytes(const void *p, size_t len, int c)
{
	for (size_t i = 0; i < len; i++)
		if (((const unsigned char *)p)[i] != c)
			return false;
	return true;
}

static void test_null_and_zero(void)
{
	char *p = vrealloc(NULL, 3000, GFP_KERNEL);

	CHECK(p != NULL && is_vmalloc_addr(p));
	if (!p)
		return;
	CHECK(find_vm_area(p) != NULL);
	memset(p, GARBAGE, 3000);
	/* Size 0: freed, NULL back. */
	CHECK(vrealloc(p, 0, GFP_KERNEL) == NULL);
	CHECK(find_vm_area(p) == NULL);
	/* NULL and 0: nothing at all. */
	CHECK(vrealloc(NULL, 0, GFP_KERNEL) == NULL);
	/* __GFP_ZERO on a new block. */
	p = vrealloc(NULL, 5000, GFP_KERNEL | __GFP_ZERO);
	CHECK(p && all_bytes(p, 5000, 0));
	vfree(p);
}

static void test_in_place(void)
{
	char *p = vmalloc(8000), *q;	/* two pages: 8192 bytes of span */

	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, GARBAGE, 8000);

	/* Shrink without __GFP_ZERO: only init_on_free wipes what is given up. */
	q = vrealloc(p, 5000, GFP_KERNEL);
	CHECK(q == p);
	CHECK(all_bytes(p, 5000, GARBAGE));
	CHECK(all_bytes(p + 5000, 3000, mode_init_on_free ? 0 : GARBAGE));

	/* Grow within the span without __GFP_ZERO: only init_on_alloc zeroes. */
	q = vrealloc(p, 8000, GFP_KERNEL);
	CHECK(q == p);
	CHECK(all_bytes(p, 5000, GARBAGE));
	CHECK(all_bytes(p + 5000, 3000, mode_init_on_free || mode_init_on_alloc ? 0 : GARBAGE));

	/* With __GFP_ZERO, both ways, whatever the boot said (within the first page). */
	memset(p, GARBAGE, 8000);
	q = vrealloc(p, 1000, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	CHECK(q == p && all_bytes(p, 1000, GARBAGE));
	CHECK(all_bytes(p + 1000, 3096, 0));	/* the bytes given up were wiped */
	/* v7.0+: that shrink freed the second page; growing past it moves the block. */
	CHECK_EQ(find_vm_area(p)->nr_pages, 1);
	q = vrealloc(p, 4000, GFP_KERNEL);	/* within the page: in place, zeroes kept */
	CHECK(q == p && all_bytes(p + 1000, 3000, 0));
	memset(p, GARBAGE, 4000);
	q = vrealloc(p, 1000, GFP_KERNEL);	/* kept (unless init_on_free) ... */
	CHECK(q == p);
	q = vrealloc(p, 4096, GFP_KERNEL | __GFP_ZERO);
	CHECK(q == p && all_bytes(p, 1000, GARBAGE));
	CHECK(all_bytes(p + 1000, 3096, 0));	/* ... until a __GFP_ZERO growth */
	q = vrealloc(p, 8192, GFP_KERNEL | __GFP_ZERO);
	CHECK(q != NULL && q != p);		/* moved: a new area, the bytes copied */
	if (!q) {
		vfree(p);
		return;
	}
	CHECK(all_bytes(q, 1000, GARBAGE) && all_bytes(q + 1000, 7192, 0));
	CHECK(find_vm_area(q) && get_vm_area_size(find_vm_area(q)) == 8192);
	CHECK(find_vm_area(p) == NULL);
	vfree(q);
}

static void test_moves(void)
{
	char *p = vmalloc(6000), *q;

	CHECK(p != NULL);
	if (!p)
		return;
	for (int i = 0; i < 6000; i++)
		p[i] = (char)(i * 7);
	q = vrealloc(p, 64 << 10, GFP_KERNEL | __GFP_ZERO);
	CHECK(q != NULL && q != p);
	if (!q)
		return;
	for (int i = 0; i < 6000; i++)
		if (q[i] != (char)(i * 7)) {
			CHECK(!"vrealloc lost a byte");
			break;
		}
	CHECK(find_vm_area(p) == NULL || find_vm_area(p)->addr != p);	/* the old area went */
	CHECK(all_bytes(q + 6000, (64 << 10) - 6000, 0));
	/* And down again: in place, the first bytes kept. */
	p = vrealloc(q, 100, GFP_KERNEL);
	CHECK(p == q && p[99] == (char)(99 * 7));
	vfree(p);
}

static void test_refused(void)
{
	void *k = kmalloc(64, GFP_KERNEL);
	char *v = vmalloc(3 * PAGE_SIZE);

	ukmem_dmesg_clear();
	CHECK(vrealloc(k, 128, GFP_KERNEL) == NULL);
	CHECK_STR_CONTAINS(dmesg(), "Trying to vrealloc() nonexistent vm area (");
	ukmem_dmesg_clear();
	CHECK(vrealloc(v + PAGE_SIZE, 128, GFP_KERNEL) == NULL);	/* inside, not the start */
	CHECK_STR_CONTAINS(dmesg(), "Trying to vrealloc() nonexistent vm area (");
	/* Both blocks untouched and still theirs to free. */
	CHECK(find_vm_area(v) != NULL);
	kfree(k);
	vfree(v);
	/* A failed move leaves the block as it was. */
	v = vmalloc(PAGE_SIZE);
	CHECK(v != NULL);
	if (v) {
		memset(v, GARBAGE, PAGE_SIZE);
		CHECK(vrealloc(v, (totalram_pages() + 1) << PAGE_SHIFT,
			       GFP_KERNEL | __GFP_NOWARN) == NULL);
		CHECK(find_vm_area(v) != NULL && all_bytes(v, PAGE_SIZE, GARBAGE));
		vfree(v);
	}
}

static void test_kvrealloc(void)
{
	char *v = vmalloc(5000), *n;
	char *k;

	CHECK(v != NULL);
	if (!v)
		return;
	memset(v, GARBAGE, 5000);
	/* A vmalloc'ed block is resized as one: in place within its pages. */
	n = kvrealloc(v, 7000, GFP_KERNEL | __GFP_ZERO);
	CHECK(n == v && all_bytes(n, 5000, GARBAGE) && all_bytes(n + 5000, 2000, 0));
	n = kvrealloc(v, 2 << 20, GFP_KERNEL);
	CHECK(n && is_vmalloc_addr(n) && all_bytes(n, 5000, GARBAGE));
	kvfree(n);

	/* A kmalloc'ed block that outgrows kmalloc moves to vmalloc. */
	k = kvmalloc(100, GFP_KERNEL);
	CHECK(k && !is_vmalloc_addr(k));
	if (!k)
		return;
	memset(k, GARBAGE, 100);
	n = kvrealloc(k, 8 << 20, GFP_KERNEL);
	CHECK(n && is_vmalloc_addr(n) && all_bytes(n, 100, GARBAGE));
	kvfree(n);
	/* NULL in: kvmalloc; size 0: freed, ZERO_SIZE_PTR back (krealloc's answer). */
	n = kvrealloc(NULL, 200, GFP_KERNEL);
	CHECK(n && !is_vmalloc_addr(n));
	n = kvrealloc(n, 0, GFP_KERNEL);
	CHECK(n == ZERO_SIZE_PTR);
}

static void test_dup_helpers(void)
{
	static const u32 src[5] = { 1, 2, 3, 4, 5 };
	size_t big = 6 << 20;
	char *pattern = vmalloc(big), *copy;
	u32 *arr;

	arr = kmemdup_array(src, ARRAY_SIZE(src), sizeof(src[0]), GFP_KERNEL);
	CHECK(arr && !memcmp(arr, src, sizeof(src)) && ksize(arr) >= sizeof(src));
	kfree(arr);
	/* An overflowing count saturates: refused, not a short copy. */
	CHECK(kmemdup_array(src, SIZE_MAX / 2, sizeof(src[0]), GFP_KERNEL | __GFP_NOWARN) == NULL);

	copy = kvmemdup(src, sizeof(src), GFP_KERNEL);
	CHECK(copy && !is_vmalloc_addr(copy) && !memcmp(copy, src, sizeof(src)));
	kvfree(copy);
	CHECK(pattern != NULL);
	if (!pattern)
		return;
	for (size_t i = 0; i < big; i += 4096)
		pattern[i] = (char)(i >> 12);
	copy = kvmemdup(pattern, big, GFP_KERNEL);	/* above KMALLOC_MAX_SIZE: vmalloc */
	CHECK(copy && is_vmalloc_addr(copy) && !memcmp(copy, pattern, big));
	kvfree(copy);
	vfree(pattern);
}

static void test_mem_available(void)
{
	long avail = si_mem_available();
	void *p;

	CHECK(avail > 0 && (unsigned long)avail <= totalram_pages());
	/* Pages handed out are no longer available. */
	p = vmalloc(64 << 20);
	CHECK(p != NULL);
	if (p)
		memset(p, 1, 64 << 20);
	CHECK(si_mem_available() <= avail - (long)((60 << 20) >> PAGE_SHIFT));
	vfree(p);
}

static void vrealloc_child(void *arg)
{
	child_boot("mem=512M loglevel=4", arg);
	mode_init_on_alloc = strstr(arg, "init_on_alloc=1") != NULL;
	mode_init_on_free = strstr(arg, "init_on_free=1") != NULL;
	test_null_and_zero();
	test_in_place();
	test_moves();
	test_refused();
	test_kvrealloc();
	test_dup_helpers();
	test_mem_available();
}

static void test_modes(void)
{
	static const char *const modes[] = {
		"", "init_on_alloc=1", "init_on_free=1", "slub_debug=FZPU",
	};

	run_cmdlines(vrealloc_child, modes, ARRAY_SIZE(modes));
}

int main(void)
{
	KTEST_RUN(KTEST(test_modes));
}
