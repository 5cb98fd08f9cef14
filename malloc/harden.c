/* SPDX-License-Identifier: MIT */
/*
 * malloc/harden.c - the malloc front end's hardening: the keys of the free
 * tags and canaries, the constructors of the malloc caches, the fatal
 * path, ld.so's early blocks, and the unique inaccessible blocks of
 * malloc(0).
 *
 * Policy (docs/malloc.md).  The kernel API reports, repairs and goes on,
 * as SLUB does.  The front end serves programs, where a corrupt heap is
 * an attack surface: after the kernel-style report it writes one stable
 * line to stderr ("ukmem: free(): double free: 0x...") and stops the
 * program with SIGABRT, as glibc and hardened_malloc do and as the
 * kernel's panic_on_warn stops the kernel.  malloc.abort_on_corruption=0
 * keeps the report and goes on, leaving the block alone.  The fatal path
 * formats on the stack, writes with one system call and aborts: nothing
 * in it allocates.
 *
 * What is checked always, and where (each check's cost: docs/malloc.md):
 *
 *   pointer       by address alone before anything is read through it:
 *                 the linear map (its struct page says slab object, large
 *                 block or neither; the slab's geometry says object start
 *                 or not), the malloc(0) range, the bootstrap arena, the
 *                 host-block registry (malloc/host.c), ld.so's image;
 *                 anything else is invalid (stack, wild, foreign)
 *   double free   the free tag (malloc_internal.h): immediate or delayed
 *   overflow      the slack canary of blocks smaller than their class; a
 *                 large block's canaries and its guard page (large.c)
 *   use after     the free tag is checked when a block is handed out
 *   free          again; the block a thread freed last is kept out of
 *                 circulation until its next free (parked: a block is not
 *                 handed straight back) and its tag checked when it leaves
 *                 (malloc.c)
 *   sizes         free_sized, free_aligned_sized and sized/aligned delete
 *                 are checked against the block
 *   malloc(0)     unique addresses that fault on access
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

unsigned long malloc_tag_key;
u64 malloc_canary64;

/*
 * Drawn once, before the first malloc cache exists (malloc_caches_init);
 * a fork keeps them, as it keeps the blocks they mark.
 */
void malloc_keys_init(void)
{
	u8 byte;

	if (likely(__atomic_load_n(&malloc_canary64, __ATOMIC_ACQUIRE)))
		return;
	/* Even (see malloc_slack_set), never 0: zeroes written past a block show. */
	byte = (u8)(arch_random_u64() >> 56) & 0xfe;
	if (!byte)
		byte = 2;
	malloc_tag_key = (unsigned long)arch_random_u64() | 1;
	__atomic_store_n(&malloc_canary64, byte * 0x0101010101010101ULL, __ATOMIC_RELEASE);
}

/* ---- the constructor: a new slab's objects are free, so they carry their tag ---- */

void malloc_ctor(void *p)
{
	*(unsigned long *)p = malloc_free_tag(p);
}


/* ---- the slack canary's long form (more than 255 bytes of slack) ---- */

size_t malloc_slack_size_long(const void *p, size_t class_size)
{
	const u8 *b = p;
	u8 cb = malloc_canary_byte();
	size_t slack;

	if (b[class_size - 1] != cb || class_size <= 0x100)
		return (size_t)-1;
	slack = malloc_slack_long(b, class_size, cb);
	if (slack <= 0xff || slack >= class_size || b[class_size - slack] != cb)
		return (size_t)-1;
	return class_size - slack;
}

/* ---- the fatal path ---- */

static const char *const error_text[] = {
	[MERR_INVALID] = "invalid pointer",
	[MERR_DOUBLE_FREE] = "double free",
	[MERR_OVERFLOW] = "block overflowed its end",
	[MERR_UNDERFLOW] = "block underflowed its start",
	[MERR_FREED_WRITTEN] = "freed block was written",
	[MERR_SIZE_MISMATCH] = "size mismatch",
	[MERR_ALIGN_MISMATCH] = "alignment mismatch",
	[MERR_DEBUG] = "heap corruption found by slab_debug",
};

struct line {
	char buf[200];
	size_t len;
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

static void put_num(struct line *l, unsigned long v, unsigned int base)
{
	char tmp[24];
	int n = 0;

	if (base == 16)
		put_str(l, "0x");
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = tmp[--n];
}

/*
 * "ukmem: free(): double free: 0x7f3c2a000040", with the sizes for a
 * mismatch ("(size 72, block of 1)" / "(alignment 64)").
 */
void malloc_error(enum malloc_error err, const char *fn, const void *p, size_t a, size_t b)
{
	struct line l = { .len = 0 };
	const char *what = error_text[err];

	if (err == MERR_DOUBLE_FREE && strcmp(fn, "free") && strncmp(fn, "free_", 5) &&
	    strncmp(fn, "operator delete", 15))
		what = "block already freed";
	put_str(&l, "ukmem: ");
	put_str(&l, fn);
	put_str(&l, "(): ");
	put_str(&l, what);
	put_str(&l, ": ");
	put_num(&l, (unsigned long)p, 16);
	if (err == MERR_SIZE_MISMATCH) {
		put_str(&l, " (size ");
		put_num(&l, a, 10);
		put_str(&l, ", block of ");
		put_num(&l, b, 10);
		put_str(&l, ")");
	} else if (err == MERR_ALIGN_MISMATCH) {
		put_str(&l, " (alignment ");
		put_num(&l, a, 10);
		put_str(&l, ")");
	}
	put_str(&l, "\n");
	arch_write(2, l.buf, l.len);
	if (READ_ONCE(ukmem_malloc_abort))
		arch_abort();
}

/* A kernel-style report where no slab report fits: the header, then a stack trace. */
void malloc_error_report(enum malloc_error err, const char *fn, const void *p, size_t a,
			 size_t b)
{
	pr_err("=============================================================================\n");
	pr_err("BUG malloc (%s): %s(): %s 0x%p\n", print_tainted(), fn, error_text[err], p);
	pr_err("-----------------------------------------------------------------------------\n\n");
	dump_stack();
	add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
	malloc_error(err, fn, p, a, b);
}

/* ---- ld.so's early blocks ---- */

/*
 * ld.so allocates with its own minimal malloc until the program's malloc
 * is relocated, from the rest of the page after its .bss (and pages it
 * maps itself).  glibc never hands those to free() (its own malloc would
 * abort on them), and none were seen in python3, sqlite3, sort, the C++
 * and fork+exec tests or dlopen/dlclose cycles; a pointer into ld.so's
 * image is still left alone, quietly, rather than reported.
 */
bool malloc_from_loader(const void *p)
{
	static unsigned long start, end;
	static int state;	/* 0 unknown, 1 known, 2 none */
	unsigned long s, e;

	if (!__atomic_load_n(&state, __ATOMIC_ACQUIRE)) {
		if (arch_loader_image(&s, &e)) {
			start = s;
			end = e;
			__atomic_store_n(&state, 1, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
		}
	}
	return state == 1 && (unsigned long)p >= start && (unsigned long)p < end;
}

/* ---- malloc(0) ---- */

unsigned long malloc_zero_base, malloc_zero_size;

/*
 * The range mirrors the linear map at an address congruent to PAGE_OFFSET
 * modulo 1 GiB, so a mirrored address keeps its block's alignment (up to
 * 1 GiB).  Reserved on the first malloc(0), inaccessible and uncommitted:
 * it costs address space only.
 */
#define ZERO_ALIGN	(1UL << 30)

static bool zero_range_init(void)
{
	static int state;	/* 0 none, 1 being made, 2 made, 3 failed */
	int expected = 0;
	size_t size = (size_t)ukmem_ram_size;
	char *r;

	if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == 2)
		return true;
	if (!__atomic_compare_exchange_n(&state, &expected, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		while (expected == 1) {
			arch_cpu_relax();
			expected = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
		}
		return expected == 2;
	}
	r = arch_reserve(size + ZERO_ALIGN, ZERO_ALIGN);
	if (!r) {
		__atomic_store_n(&state, 3, __ATOMIC_RELEASE);
		return false;
	}
	malloc_zero_size = size;
	__atomic_store_n(&malloc_zero_base, (unsigned long)r + (PAGE_OFFSET & (ZERO_ALIGN - 1)),
			 __ATOMIC_RELEASE);
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
	return true;
}

/* The zero-size block for @backing (a block of the linear map), or NULL. */
void *malloc_zero_make(void *backing)
{
	if (!zero_range_init())
		return NULL;
	return (void *)(malloc_zero_base + ((unsigned long)backing - PAGE_OFFSET));
}

void *malloc_zero_backing(const void *z)
{
	return (void *)((unsigned long)z - malloc_zero_base + PAGE_OFFSET);
}
