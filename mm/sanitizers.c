/* SPDX-License-Identifier: MIT */
/*
 * mm/sanitizers.c - what the allocators tell the tools that watch memory:
 * AddressSanitizer in a program built with it, and valgrind's memcheck
 * (the kernel's KASAN hooks: kasan_unpoison on allocation, kasan_poison
 * on free, here aimed at the user-space tools).
 *
 * The library itself is not built with ASan, so ASan never sees its own
 * loads and stores; but a program built with -fsanitize=address checks
 * every access it makes against ASan's shadow, and ASan lets anyone mark
 * bytes poisoned.  valgrind's memcheck checks every access of the whole
 * process, the library's included, and takes client requests that tell it
 * which bytes are heap blocks, addressable, or defined.
 *
 * What is marked, once a tool is found at boot (mm_tools_detect):
 *   slab objects      allocated: the size asked for (kmalloc's size, the
 *                     cache's object_size) is open, the rest of the object
 *                     (the size class's slack) is not; free: none of it.
 *                     Objects of a new slab start closed, the slots'
 *                     tails too (ASan).  ksize() opens nothing (v6.2),
 *                     krealloc() in place moves the end.
 *   large kmalloc     the pages past the size asked for are closed.
 *   pages             alloc_pages() opens the block, freeing closes it.
 *   vmalloc           the size asked for is open, the rest of its last
 *                     page is closed; vfree() closes the area.
 *   mempool reserve   an element the pool keeps is closed (mm/mempool.c).
 * The allocator's own words inside closed memory (the free pointer, the
 * debug caches' red zones) are opened around each access (slab_meta_open,
 * slab_meta_close).  Valgrind's view is a heap block per slab object,
 * vmalloc area and large kmalloc (MALLOCLIKE/FREELIKE_BLOCK), so its
 * reports name the allocation and free stacks; pages are marked, not
 * blocks (a slab's page would otherwise be a block holding blocks).
 *
 * Under a tool every cache takes the slow paths (no per-CPU stacks, as
 * debug caches), so that the size asked for reaches the hooks; without
 * one, the fast paths test nothing more than they did (docs/sanitizers.md
 * has the measurements).  An ASan build of the library itself (make
 * asan) keeps its compile-time hooks (SLAB_ASAN) and its fast paths.
 */
#include <string.h>

#include <linux/mm.h>
#include <linux/printk.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "mm/slab.h"

#if defined(HAVE_VALGRIND_MEMCHECK_H)
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>
#define TOOLS_VALGRIND 1
#else
#define TOOLS_VALGRIND 0
#define RUNNING_ON_VALGRIND 0
#define VALGRIND_MALLOCLIKE_BLOCK(a, n, rz, z) do { } while (0)
#define VALGRIND_FREELIKE_BLOCK(a, rz) do { } while (0)
#define VALGRIND_RESIZEINPLACE_BLOCK(a, o, n, rz) do { } while (0)
#define VALGRIND_MAKE_MEM_NOACCESS(a, n) do { } while (0)
#define VALGRIND_MAKE_MEM_DEFINED(a, n) do { } while (0)
#define VALGRIND_MAKE_MEM_UNDEFINED(a, n) do { } while (0)
#define VALGRIND_GET_VBITS(a, v, n) 0
#endif

#if SLAB_ASAN
#include <sanitizer/asan_interface.h>
#endif

bool slab_tools_active;		/* memcheck, or ASan in the program, is watching */
static bool tools_memcheck;	/* valgrind's memcheck */
static bool tools_asan;		/* ASan, in the program or (SLAB_ASAN) in this build */

/* memcheck, not another valgrind tool (callgrind must count the real paths). */
static bool memcheck_running(void)
{
#if TOOLS_VALGRIND
	unsigned long probe = 0;
	unsigned char vbits[sizeof(probe)];

	if (!RUNNING_ON_VALGRIND)
		return false;
	return VALGRIND_GET_VBITS(&probe, vbits, sizeof(probe)) == 1;
#else
	return false;
#endif
}

/*
 * At boot, before the first cache and before any page is annotated.  An
 * ASan build of the library has its hooks compiled in and keeps its fast
 * paths: only a program's ASan, seen from a plain build, reroutes caches.
 */
void mm_tools_detect(void)
{
	tools_memcheck = memcheck_running();
	tools_asan = arch_asan_detect() || SLAB_ASAN;
	slab_tools_active = tools_memcheck || (tools_asan && !SLAB_ASAN);
	page_alloc_update_hooks();
	if (tools_asan && !SLAB_ASAN) {
		pr_info("SLUB: AddressSanitizer sees every object, page and vmalloc area\n");
		slab_quarantine_init();
	}
}

static inline void asan_poison(const void *p, size_t len)
{
#if SLAB_ASAN
	ASAN_POISON_MEMORY_REGION(p, len);
#else
	if (tools_asan)
		arch_asan_poison(p, len);
#endif
}

static inline void asan_unpoison(const void *p, size_t len)
{
#if SLAB_ASAN
	ASAN_UNPOISON_MEMORY_REGION(p, len);
#else
	if (tools_asan)
		arch_asan_unpoison(p, len);
#endif
}

/* ---- the allocator's own accesses to closed memory ---- */

void slab_meta_open(const void *p, size_t len)
{
	asan_unpoison(p, len);
	if (TOOLS_VALGRIND && tools_memcheck)
		VALGRIND_MAKE_MEM_DEFINED(p, len);
}

void slab_meta_close(const void *p, size_t len)
{
	asan_poison(p, len);
	if (TOOLS_VALGRIND && tools_memcheck)
		VALGRIND_MAKE_MEM_NOACCESS(p, len);
}

/* ---- blocks: slab objects, large kmalloc, vmalloc areas ---- */

/*
 * A block of @size bytes handed out at @p, in a span of @span bytes (the
 * object, the pages) whose rest is closed.  @zeroed: its bytes are
 * defined (memcheck's "is_zeroed").
 */
void tool_alloc_block(const void *p, size_t size, size_t span, bool zeroed)
{
	if (size > span)
		size = span;
	asan_unpoison(p, size);
	asan_poison((const char *)p + size, span - size);
	if (TOOLS_VALGRIND && tools_memcheck) {
		VALGRIND_MALLOCLIKE_BLOCK(p, size, 0, zeroed);
		if (span > size)
			VALGRIND_MAKE_MEM_NOACCESS((const char *)p + size, span - size);
	}
}

/* The block at @p goes back: all @span bytes closed. */
void tool_free_block(const void *p, size_t span)
{
	if (TOOLS_VALGRIND && tools_memcheck) {
		VALGRIND_FREELIKE_BLOCK(p, 0);
		VALGRIND_MAKE_MEM_NOACCESS(p, span);
	}
	asan_poison(p, span);
}

/* Is byte @p addressable for memcheck?  (No report either way.) */
static bool memcheck_addressable(const char *p)
{
	unsigned char vbits;

	return VALGRIND_GET_VBITS(p, &vbits, 1) == 1;
}

/*
 * The block's size as the tool knows it: the open bytes from @p on, at
 * most @span (a block is open from its start, closed after its end).
 */
size_t tool_block_size(const void *p, size_t span)
{
	size_t lo = 0, hi = span;

	if (tools_asan)
		return arch_asan_accessible(p, span);
	if (!(TOOLS_VALGRIND && tools_memcheck))
		return span;
	/* The first closed byte: a binary search, no client request reports. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcheck_addressable((const char *)p + mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The block at @p was @old bytes and is @size now (ksize, krealloc in place). */
void tool_resize_block(const void *p, size_t old, size_t size, size_t span)
{
	if (size > span)
		size = span;
	asan_unpoison(p, size);
	asan_poison((const char *)p + size, span - size);
	if (TOOLS_VALGRIND && tools_memcheck && old != size) {
		VALGRIND_RESIZEINPLACE_BLOCK(p, old, size, 0);
		if (span > size)
			VALGRIND_MAKE_MEM_NOACCESS((const char *)p + size, span - size);
	}
}

/*
 * The bytes of a slab slot past its object (alignment padding, the free
 * pointer or debug words kept there): closed for ASan from the slab's
 * creation on, as the kernel's kasan_poison_slab() leaves all but the
 * objects handed out poisoned, so a program's read of p[object_size] is
 * reported whatever the padding.  ASan only: the library's own accesses
 * are not instrumented, while memcheck would see the allocator's reads of
 * its words there.
 */
void tool_close_slot_tail(const void *p, size_t len)
{
	if (len)
		asan_poison(p, len);
}

/*
 * Opened again while the debug code works on those words: its memset()
 * and memcpy() calls are the C library's, which a program built with ASan
 * intercepts and checks against the shadow (its direct loads and stores
 * are not checked).  Closed again with tool_close_slot_tail().
 */
void tool_open_slot_tail(const void *p, size_t len)
{
	if (len)
		asan_unpoison(p, len);
}

/*
 * The kernel's kasan_check_byte() failing in ksize() and krealloc(), or
 * its mempool check of an element given back (@bug: "slab-use-after-free",
 * "double-free", "invalid-free"): @p, handed to @fn, is not an open block.
 * The report KASAN prints for it; the caller then answers as the kernel
 * does (0, NULL, the element dropped) without touching the block.
 */
void tool_report_bad_pointer(const void *p, const char *bug, const char *fn)
{
	char comm[16];

	arch_comm(comm);
	pr_err("==================================================================\n");
	pr_err("BUG: KASAN: %s in %s\n", bug, fn);
	/* An access report names the byte read; a bad free names the pointer (KASAN's shapes). */
	if (strstr(bug, "free") && !strstr(bug, "use-after"))
		pr_err("Free of addr %px by task %s/%d\n", p, comm, arch_gettid());
	else
		pr_err("Read of size 1 at addr %px by task %s/%d\n", p, comm, arch_gettid());
	pr_err("\n");
	dump_stack();
	pr_err("==================================================================\n");
	check_panic_on_warn("KASAN");	/* end_report(): KASAN is not multi-shot here */
}

/*
 * The kernel's instrument_write()/instrument_read() on a range the library
 * copies to or from for the caller where ASan cannot see it (the remote
 * side of a host copy, lib/usercopy.c): a range with a closed byte is
 * reported as KASAN reports it ("BUG: KASAN: out-of-bounds in
 * copy_to_kernel_nofault", use-after-free when its first byte is closed)
 * and the copy goes on, as in the kernel.  memcheck needs none of this:
 * it sees the library's accesses itself.
 */
void tool_check_access(const void *p, size_t n, bool write, const char *fn)
{
	size_t open;
	char comm[16];

	if (!tools_asan || SLAB_ASAN || !n)
		return;
	open = arch_asan_accessible(p, n);
	if (open == n)
		return;
	arch_comm(comm);
	pr_err("==================================================================\n");
	pr_err("BUG: KASAN: %s in %s\n", open ? "out-of-bounds" : "use-after-free", fn);
	pr_err("%s of size %zu at addr %px by task %s/%d\n", write ? "Write" : "Read", n, p,
	       comm, arch_gettid());
	pr_err("\n");
	dump_stack();
	pr_err("==================================================================\n");
	check_panic_on_warn("KASAN");	/* end_report(): KASAN is not multi-shot here */
}

/*
 * Bytes the library hands to the host (written to the physical-memory
 * file when a page gets a second mapping, mm/vmap_alias.c): memcheck
 * would report a write(2) of never-written bytes as the library's error.
 * They count as defined from here on, as valgrind counts the file mapping
 * that replaces them; the caller's own reads are not what is checked.
 */
void tool_host_copy_source(const void *p, size_t len)
{
	if (TOOLS_VALGRIND && tools_memcheck)
		VALGRIND_MAKE_MEM_DEFINED(p, len);
}

/* ---- pages ---- */

/* A block of pages handed out (@zeroed: cleared, its bytes defined). */
void tool_pages_alloc(const void *p, size_t len, bool zeroed)
{
	asan_unpoison(p, len);
	if (TOOLS_VALGRIND && tools_memcheck) {
		if (zeroed)
			VALGRIND_MAKE_MEM_DEFINED(p, len);
		else
			VALGRIND_MAKE_MEM_UNDEFINED(p, len);
	}
}

void tool_pages_free(const void *p, size_t len)
{
	asan_poison(p, len);
	if (TOOLS_VALGRIND && tools_memcheck)
		VALGRIND_MAKE_MEM_NOACCESS(p, len);
}
