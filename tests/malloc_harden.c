/* SPDX-License-Identifier: MIT */
/*
 * tests/malloc_harden.c - heap corruption must stop the program: a table
 * of buggy programs, each run as a fresh process (this program, re-run
 * with --case NAME), with the signal and the front end's message asserted.
 *
 * The classes are those of a public allocator security suite
 * (mimalloc-bench's bench/security: 37 C programs at 8 bytes, 4 KiB and
 * 256 KiB, and 5 C++ ones, 116 in all), written anew here: overflows and
 * underflows of 1 byte, 32 bytes and 1 MiB by a write (then a free) or by
 * a memcpy (no free follows), double, delayed, interleaved frees, invalid
 * frees (a wild address, the stack, alloca, a pointer into or past a
 * block), reuse of a freed block by the next malloc, reads and writes of
 * malloc(0) memory, writes after free, freed memory that reads back
 * non-zero, malloc memory that is not zero, an executable heap, an
 * impossible size, and the C++ delete mismatches.  After its bug every
 * case goes on as a program would: it prints "NOT_CAUGHT" through stdio
 * (whose buffer is the first allocation after the bug) and exits.
 * "Caught" means it was stopped before that: by a signal (SIGABRT from
 * the front end, SIGSEGV from a guard page or an inaccessible address).
 *
 * Three ways to run it:
 *   malloc_harden               the CTest check (tests/CMakeLists.txt runs
 *                               it on glibc, preloaded and static, like
 *                               malloc_api): on ukmem (UKMEM_EXPECT=1)
 *                               every case must end as the table says, by
 *                               default and with slab_debug=FZPU; on glibc
 *                               the cases only run (glibc catches its own)
 *   malloc_harden --score       every case once in the current setting, a
 *                               line each and "caught N/116" (the scorer of
 *                               bench/security/score.sh)
 *   malloc_harden --case NAME   one case (the child)
 *
 * A case that stops making progress is a hang (ktest.h's rule: no output
 * and no exit for KTEST_HANG_SECONDS), reported as such, never a pass.
 */
#define _GNU_SOURCE
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pthread.h>

#include "ktest.h"
#ifdef MALLOC_TEST_INTERNALS
#include <sched.h>
#include <linux/slab.h>
#include "kernel/fork.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"
#endif

/* Calls the compiler cannot see through (it would fold a malloc/free pair away). */
static void *(*volatile x_malloc)(size_t) = malloc;
static void (*volatile x_free)(void *) = free;
static void *(*volatile x_memalign)(size_t, size_t) = memalign;
static void *(*volatile x_realloc)(void *, size_t) = realloc;
static void *(*volatile x_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile x_memset)(void *, int, size_t) = memset;

/* ---- the C++ operators, as a C++ program reaches them ---- */

#ifdef MALLOC_HARDEN_CXX
void *_Znwm(size_t size);
void *_Znam(size_t size);
void _ZdlPv(void *p);
void _ZdaPv(void *p);
void _ZdlPvm(void *p, size_t size);
void _ZdaPvm(void *p, size_t size);
void *_ZnwmRKSt9nothrow_t(size_t size, const void *nt);
void *_ZnamRKSt9nothrow_t(size_t size, const void *nt);
void *_ZnwmSt11align_val_tRKSt9nothrow_t(size_t size, size_t align, const void *nt);
void _ZdlPvSt11align_val_t(void *p, size_t align);
extern const char _ZSt7nothrow[];			/* std::nothrow */
void (*_ZSt15set_new_handlerPFvvE(void (*h)(void)))(void);	/* std::set_new_handler */
void _ZSt17__throw_bad_allocv(void) __attribute__((noreturn));
#endif

#define MIB	(1024 * 1024)
#ifndef min_t
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#endif

static void not_caught(void)
{
	puts("NOT_CAUGHT");
	fflush(stdout);
}

/* ---- the cases: each one bug, then life goes on ---- */

static void copy_over(size_t n, size_t by)
{
	char *src = alloca(n + by), *p;

	memset(src, 0, n + by);
	p = x_malloc(n);
	x_memcpy(p, src, n + by);
}

static void copy_under(size_t n, size_t by)
{
	char *src = alloca(n), *p;

	memset(src, 0, n);
	p = x_malloc(n);
	x_memcpy(p - by, src, n);
}

static void write_at(size_t n, long off)
{
	char *p = x_malloc(n);

	((volatile char *)p)[off] ^= 'A';
	x_free(p);
}

static void c_copy_over_1(size_t n) { copy_over(n, 1); }
static void c_copy_over_32(size_t n) { copy_over(n, 32); }
static void c_copy_over_1m(size_t n) { copy_over(n, MIB); }
static void c_copy_under_1(size_t n) { copy_under(n, 1); }
static void c_copy_under_32(size_t n) { copy_under(n, 32); }
static void c_copy_under_1m(size_t n) { copy_under(n, MIB); }
static void c_write_over_1(size_t n) { write_at(n, (long)n); }
static void c_write_over_32(size_t n) { write_at(n, (long)n + 31); }
static void c_write_over_1m(size_t n) { write_at(n, (long)n - 1 + MIB); }
static void c_write_under_1(size_t n) { write_at(n, -1); }
static void c_write_under_32(size_t n) { write_at(n, -32); }
static void c_write_under_1m(size_t n) { write_at(n, -MIB); }

static void c_free_twice(size_t n)
{
	void *p = x_malloc(n);

	x_free(p);
	x_free(p);
}

static void c_free_twice_later(size_t n)
{
	void *p = x_malloc(n);
	int i;

	x_free(p);
	for (i = 0; i < 1024; i++)
		x_free(x_malloc(n));
	x_free(p);
}

static void c_free_p_q_p(size_t n)
{
	void *p = x_malloc(n), *q = x_malloc(n);

	x_free(p);
	x_free(q);
	x_free(p);
}

static void c_free_twice_then_churn(size_t n)
{
	void *p = x_malloc(n);
	long i;

	x_free(p);
	x_free(p);
	for (i = 0; i < 256 * 1024; i++) {
		void *q = x_malloc(n);

		if (q == p)
			fprintf(stderr, ".");
		x_free(q);
	}
}

static void c_free_again_after_reuse(size_t n)
{
	void *p = x_malloc(n), *q;

	x_free(p);
	q = x_malloc(n);
	x_free(p);
	x_free(q);
}

/* x86-64 "ret": a heap that runs it is executable. */
static void c_exec_heap(size_t n)
{
	static const unsigned char ret[] = { 0xc3 };
	unsigned char *p = x_malloc(n);

	x_memcpy(p, ret, sizeof(ret));
	((void (*)(void))p)();
}

static void c_malloc_huge(size_t n)
{
	void *p = x_malloc((size_t)-2);

	if (p) {
		not_caught();
		_exit(0);
	}
	_exit(1);	/* refused: the suite counts it caught */
}

static void c_free_wild_1(size_t n) { x_free((void *)1); }
static void c_free_alloca(size_t n) { x_free(alloca(n)); }
static void c_free_plus_4k(size_t n) { x_free((char *)x_malloc(n) + 4096); }
static void c_free_plus_1g(size_t n) { x_free((char *)x_malloc(n) + 1024L * MIB); }
static void c_free_plus_1(size_t n) { x_free((char *)x_malloc(n) + 1); }
static void c_free_plus_8(size_t n) { x_free((char *)x_malloc(n) + 8); }

static void c_free_stack_array(size_t n)
{
	char *buf = alloca(n);

	x_memset(buf, 0, n);
	x_free(buf);
}

/* The next malloc of that size (or half of it) returns the block just freed. */
static void reuse(size_t n, size_t again)
{
	void *p = x_malloc(n), *q;

	x_free(p);
	q = x_malloc(again);
	if (q == p) {
		not_caught();
		_exit(0);
	}
	_exit(1);
}

static void c_reuse_after_free(size_t n) { reuse(n, n); }
static void c_reuse_smaller_after_free(size_t n) { reuse(n, n / 2); }

static void c_read_zero(size_t n)
{
	char *p = x_malloc(0);

	if (!p)
		_exit(1);
	fprintf(stderr, "%d\n", *(volatile char *)p);
}

static void c_read_zero_free(size_t n)
{
	char *p = x_malloc(0);

	if (!p)
		_exit(1);
	fprintf(stderr, "%d\n", *(volatile char *)p);
	x_free(p);
}

static void c_write_zero(size_t n)
{
	char *p = x_malloc(0);

	if (!p)
		_exit(1);
	*(volatile char *)p = 'A';
}

static void c_write_zero_free(size_t n)
{
	char *p = x_malloc(0);

	if (!p)
		_exit(1);
	*(volatile char *)p = 'A';
	x_free(p);
}

/*
 * The suite's realloc case compares the old pointer with itself after
 * realloc: no allocator passes it.  Kept for the count, as it is.
 */
static void c_realloc_same(size_t n)
{
	char *p = x_malloc(8), *q = p;

	x_realloc(p, 1024);
	if (p == q) {
		not_caught();
		_exit(0);
	}
}

static void c_write_after_free(size_t n)
{
	char *p = x_malloc(n);

	x_free(p);
	x_memset(p, 'A', n);
}

static void c_write_after_free_churn(size_t n)
{
	char *p = x_malloc(n);
	long i;

	x_free(p);
	x_memset(p, 'A', n);
	for (i = 0; i < 256 * 1024; i++)
		x_free(x_malloc(n));
}

static void c_freed_reads_zero(size_t n)
{
	char *p = x_malloc(n);
	size_t i;

	x_memset(p, 'A', n);
	x_free(p);
	for (i = 0; i < n; i++)
		if (((volatile char *)p)[i]) {
			not_caught();
			_exit(0);
		}
	_exit(1);
}

/* 4096 blocks (at most 64 MiB of them), filled, freed, one allocated again. */
static void c_malloc_returns_zero(size_t n)
{
	static char *keep[4096];
	size_t i, nr = min_t(size_t, 4096, (64 * MIB) / n);
	char *p;

	for (i = 0; i < nr; i++) {
		keep[i] = x_malloc(n);
		x_memset(keep[i], 'A', n);
	}
	for (i = 0; i < nr; i++)
		x_free(keep[i]);
	p = x_malloc(n);
	for (i = 0; i < n; i++)
		if (((volatile char *)p)[i]) {
			not_caught();
			_exit(0);
		}
	_exit(1);
}

#ifdef MALLOC_HARDEN_CXX
/* new T; delete (U *) with sizeof(U) = 72 */
static void c_delete_wrong_size(size_t n)
{
	void *p = _Znwm(1);

	_ZdlPvm(p, 72);
}

/* new char; delete[] */
static void c_new_delete_array(size_t n)
{
	void *p = _Znwm(1);

	_ZdaPv(p);
}

/*
 * new std::string; delete[]: the delete reads an array cookie before the
 * object, and frees the address of that cookie with the size it implies.
 */
static void c_new_obj_delete_array(size_t n)
{
	char *p = _Znwm(32);
	size_t count = *(volatile size_t *)(p - 8);

	_ZdaPvm(p - 8, 8 + (count & 0xffff) * 32);
}

/* new char[4096]; delete (sized, as for one char) */
static void c_new_array_delete_one(size_t n)
{
	void *p = _Znam(4096);

	_ZdlPvm(p, 1);
}

/* new std::string[4096]; delete: the pointer is past the cookie */
static void c_new_obj_array_delete_one(size_t n)
{
	char *base = _Znam(8 + 4096 * 32);

	*(size_t *)base = 4096;
	_ZdlPvm(base + 8, 32);
}
#endif

/* ---- the issue's own cases (sizes and calls the suite does not use) ---- */

extern void free_sized(void *ptr, size_t size) __attribute__((weak));

static void i_free_16(size_t n) { x_free((void *)16); }
static void i_free_dead(size_t n) { x_free((void *)0xdead0000UL); }

static void i_realloc_freed(size_t n)
{
	char *p = x_malloc(40);

	x_free(p);
	x_realloc(p, 100);
}

static void i_realloc_stack(size_t n)
{
	char buf[64];

	x_memset(buf, 1, sizeof(buf));
	x_realloc(buf, 100);
}

/* 1 or 8 bytes past what malloc_usable_size() says, then free. */
static void past_usable(size_t n, size_t by)
{
	char *p = x_malloc(n);

	x_memset(p + malloc_usable_size(p), 'x', by);
	x_free(p);
}

static void i_usable_plus_1(size_t n) { past_usable(24, 1); }
static void i_usable_plus_8(size_t n) { past_usable(24, 8); }
static void i_usable_plus_1_1m(size_t n) { past_usable(MIB, 1); }
static void i_usable_plus_8_1m(size_t n) { past_usable(MIB, 8); }

static void i_write_25_into_24(size_t n)
{
	char *p = x_malloc(24);

	x_memset(p, 'x', 25);
	x_free(p);
}

/*
 * A write after the free that emptied a slab: the only block of a class
 * nobody else uses, freed, written, then the program goes on.
 */
static void i_write_after_emptying(size_t n)
{
	char *p = x_malloc(5000), *q;

	x_free(p);
	x_memset(p, 'A', 64);
	q = x_malloc(5000);
	x_free(q);
}

static void i_free_sized_wrong(size_t n)
{
	if (!free_sized)
		_exit(1);	/* glibc before 2.39 has none */
	free_sized(x_malloc(24), 100);
}

static void i_double_free_1m(size_t n)
{
	void *p = x_malloc(MIB);

	x_free(p);
	x_free(p);
}

/*
 * An overflow, the free of that block, and nothing after it (the end of
 * a program): slab_debug checked the block only when it left the parking
 * at the next free, so this one was never reported there.
 */
static void i_overflow_last_free(size_t n)
{
	char *p = x_malloc(100), *other[300];
	int i;

	for (i = 0; i < 300; i++)
		other[i] = x_malloc(100);
	p[100] ^= 'A';
	x_free(p);
	(void)other;
}

/*
 * A block above the mmap threshold freed, the same size asked for again,
 * the stale pointer written: the kept mapping used to come back at the
 * same address, so the write landed in the new block.
 */
static void i_host_use_after_reuse(size_t n)
{
	char *p = x_malloc(8 * MIB), *q;

	x_free(p);
	q = x_malloc(8 * MIB);
	x_memset(q, 0, 8 * MIB);
	p[100] = 'Z';
	x_free(q);
}

/*
 * One byte past an aligned block smaller than its alignment: into the
 * rounding, which slab_debug did not red-zone (the block came from
 * kmalloc's cache of the alignment with that whole size recorded).
 */
static void i_memalign_over_1(size_t n)
{
	char *p = x_memalign(64, 8);

	if (malloc_usable_size(p) != 8)
		printf("usable %zu\n", malloc_usable_size(p));
	((volatile char *)p)[8] ^= 'A';
	x_free(p);
}

/* Above the mmap threshold: the freed block's mapping is kept, and known as freed. */
static void i_double_free_8m(size_t n)
{
	void *p = x_malloc(8 * MIB);

	x_free(p);
	x_free(p);
}

static void i_double_free_small_later(size_t n)
{
	void *p = x_malloc(40), *q = x_malloc(40), *r = x_malloc(40);

	x_free(p);
	x_free(q);
	x_free(r);
	x_free(p);
}

/* ---- the table ---- */

/*
 * What ukmem does, by default and with slab_debug=FZPU: the signal (0: the
 * program is not stopped: NOT_CAUGHT) and the start of the front end's
 * line (NULL: none, e.g. a guard page's SIGSEGV).
 */
struct outcome {
	int sig;
	const char *line;
};

struct hcase {
	const char *name;
	void (*fn)(size_t n);
	const char *suite;		/* the suite's program of the same class */
	struct outcome dflt[3], debug[3];	/* per size: 8, 4096, 256 KiB */
};

#define ABRT(l)		{ SIGABRT, "ukmem: " l }
#define SEGV		{ SIGSEGV, NULL }
#define MISS		{ 0, NULL }
#define REFUSED		{ -2, NULL }	/* exit 1: refused, or a block not handed back */
#define ANY		{ -1, NULL }	/* depends on the memory layout: not asserted */
/* The lines that come back most (docs/malloc.md lists them all). */
#define DFREE		ABRT("free(): double free")
#define INVAL		ABRT("free(): invalid pointer")
#define OVER_F		ABRT("free(): block overflowed its end")
#define UNDER_F		ABRT("free(): block underflowed its start")
#define UNDER_M		ABRT("malloc(): block underflowed its start")
#define FREED_M		ABRT("malloc(): freed block was written")
#define FREED_F		ABRT("free(): freed block was written")
#define SLABDBG_M	ABRT("malloc(): heap corruption found by slab_debug")
#define SLABDBG_F	ABRT("free(): heap corruption found by slab_debug")

static const size_t case_sizes[3] = { 8, 4096, 256 * 1024 };
static const char *const size_names[3] = { "8", "4096", "256k" };

static const struct hcase cases[] = {
	{ "copy_over_1", c_copy_over_1, "one_byte_memcpy_overflow",
	  { MISS, MISS, SEGV },
	  { SLABDBG_M, SLABDBG_M, SEGV } },
	{ "copy_over_32", c_copy_over_32, "32_byte_memcpy_overflow",
	  { MISS, MISS, SEGV },
	  { SLABDBG_M, SLABDBG_M, SEGV } },
	{ "copy_over_1m", c_copy_over_1m, "one_mbyte_memcpy_overflow",
	  { ANY, ANY, ANY },
	  { ANY, ANY, ANY } },
	{ "copy_under_1", c_copy_under_1, "one_byte_memcpy_underflow",
	  { ANY, ANY, MISS },
	  { SLABDBG_M, SLABDBG_M, UNDER_M } },
	{ "copy_under_32", c_copy_under_32, "32_byte_memcpy_underflow",
	  { ANY, ANY, MISS },
	  { SLABDBG_M, SLABDBG_M, UNDER_M } },
	{ "copy_under_1m", c_copy_under_1m, "one_mbyte_memcpy_underflow",
	  { ANY, ANY, ANY },
	  { ANY, ANY, ANY } },
	{ "write_over_1", c_write_over_1, "one_byte_overflow",
	  { OVER_F, OVER_F, SEGV },
	  { SLABDBG_F, SLABDBG_F, SEGV } },
	{ "write_over_32", c_write_over_32, "32_byte_overflow",
	  { MISS, MISS, SEGV },
	  { SLABDBG_F, SLABDBG_F, SEGV } },
	{ "write_over_1m", c_write_over_1m, "one_mbyte_overflow",
	  { ANY, ANY, ANY },
	  { ANY, ANY, ANY } },
	{ "write_under_1", c_write_under_1, "one_byte_underflow",
	  { ANY, ANY, UNDER_F },
	  { SLABDBG_F, SLABDBG_F, UNDER_F } },
	{ "write_under_32", c_write_under_32, "32_byte_underflow",
	  { ANY, ANY, UNDER_F },
	  { SLABDBG_F, SLABDBG_F, UNDER_F } },
	{ "write_under_1m", c_write_under_1m, "one_mbyte_underflow",
	  { ANY, ANY, ANY },
	  { ANY, ANY, ANY } },
	{ "free_twice", c_free_twice, "double_free",
	  { DFREE, DFREE, DFREE },
	  { DFREE, DFREE, DFREE } },
	{ "free_twice_later", c_free_twice_later, "double_free_delayed",
	  { DFREE, DFREE, DFREE },
	  { DFREE, DFREE, DFREE } },
	{ "free_p_q_p", c_free_p_q_p, "double_free_interleaved",
	  { DFREE, DFREE, DFREE },
	  { SLABDBG_F, SLABDBG_F, DFREE } },
	{ "free_twice_then_churn", c_free_twice_then_churn, "double_free_reuse",
	  { DFREE, DFREE, DFREE },
	  { DFREE, DFREE, DFREE } },
	{ "free_again_after_reuse", c_free_again_after_reuse, "double_free_single_reuse",
	  { DFREE, DFREE, DFREE },
	  { DFREE, DFREE, DFREE } },
	{ "exec_heap", c_exec_heap, "executable_heap",
	  { SEGV, SEGV, SEGV },
	  { SEGV, SEGV, SEGV } },
	{ "malloc_huge", c_malloc_huge, "impossibly_large_malloc",
	  { REFUSED, REFUSED, REFUSED },
	  { REFUSED, REFUSED, REFUSED } },
	{ "free_wild_1", c_free_wild_1, "invalid_free",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "free_alloca", c_free_alloca, "invalid_free_alloca",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "free_plus_4k", c_free_plus_4k, "invalid_free_close",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "free_plus_1g", c_free_plus_1g, "invalid_free_far",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "free_stack_array", c_free_stack_array, "invalid_free_stack",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "free_plus_1", c_free_plus_1, "invalid_free_unaligned",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "free_plus_8", c_free_plus_8, "invalid_free_unaligned_multiple",
	  { INVAL, INVAL, INVAL },
	  { INVAL, INVAL, INVAL } },
	{ "reuse_after_free", c_reuse_after_free, "malloc_reuse",
	  { REFUSED, REFUSED, REFUSED },
	  { REFUSED, REFUSED, REFUSED } },
	{ "reuse_smaller_after_free", c_reuse_smaller_after_free, "malloc_reuse_downsize",
	  { REFUSED, REFUSED, REFUSED },
	  { REFUSED, REFUSED, REFUSED } },
	{ "read_zero", c_read_zero, "read_zero_size",
	  { SEGV, SEGV, SEGV },
	  { SEGV, SEGV, SEGV } },
	{ "read_zero_free", c_read_zero_free, "read_zero_size_free",
	  { SEGV, SEGV, SEGV },
	  { SEGV, SEGV, SEGV } },
	{ "realloc_same", c_realloc_same, "realloc_reuse",
	  { MISS, MISS, MISS },
	  { MISS, MISS, MISS } },
	{ "write_after_free", c_write_after_free, "write_after_free",
	  { FREED_M, FREED_M, FREED_M },
	  { FREED_M, FREED_M, SEGV } },
	{ "write_after_free_churn", c_write_after_free_churn, "write_after_free_reuse",
	  { FREED_F, FREED_M, FREED_M },
	  { FREED_M, FREED_M, SEGV } },
	{ "write_zero", c_write_zero, "write_zero_size",
	  { SEGV, SEGV, SEGV },
	  { SEGV, SEGV, SEGV } },
	{ "write_zero_free", c_write_zero_free, "write_zero_size_free",
	  { SEGV, SEGV, SEGV },
	  { SEGV, SEGV, SEGV } },
	{ "freed_reads_zero", c_freed_reads_zero, "zero_after_free",
	  { MISS, MISS, MISS },
	  { MISS, MISS, SEGV } },
	{ "malloc_returns_zero", c_malloc_returns_zero, "zero_on_malloc",
	  { REFUSED, MISS, MISS },
	  { REFUSED, MISS, REFUSED } },
};

/* The C++ cases run once (the suite builds them at one size). */
struct cxx_case {
	const char *name;
	void (*fn)(size_t n);
	const char *suite;
	struct outcome dflt, debug;
};

static const struct cxx_case cxx_cases[] = {
#ifdef MALLOC_HARDEN_CXX
	{ "delete_wrong_size", c_delete_wrong_size, "delete_type_size_mismatch", ABRT("operator delete(): size mismatch"), ABRT("operator delete(): size mismatch") },
	{ "new_delete_array", c_new_delete_array, "invalid_array_delete_char", MISS, MISS },
	{ "new_obj_delete_array", c_new_obj_delete_array, "invalid_array_delete_string", ABRT("operator delete[](): invalid pointer"), ABRT("operator delete[](): invalid pointer") },
	{ "new_array_delete_one", c_new_array_delete_one, "invalid_delete_array_char", ABRT("operator delete(): size mismatch"), ABRT("operator delete(): size mismatch") },
	{ "new_obj_array_delete_one", c_new_obj_array_delete_one, "invalid_delete_array_string", ABRT("operator delete(): invalid pointer"), ABRT("operator delete(): invalid pointer") },
#endif
};

/* The examples of the issue that asked for all this (run once each). */
static const struct cxx_case issue_cases[] = {
	{ "free_16", i_free_16, "-", INVAL, INVAL },
	{ "free_dead0000", i_free_dead, "-", INVAL, INVAL },
	{ "realloc_freed", i_realloc_freed, "-", ABRT("realloc(): block already freed"),
	  ABRT("realloc(): block already freed") },
	{ "realloc_stack", i_realloc_stack, "-", ABRT("realloc(): invalid pointer"),
	  ABRT("realloc(): invalid pointer") },
	{ "usable_plus_1", i_usable_plus_1, "-", OVER_F, SLABDBG_F },
	{ "usable_plus_8", i_usable_plus_8, "-", OVER_F, SLABDBG_F },
	{ "usable_plus_1_1m", i_usable_plus_1_1m, "-", SEGV, SEGV },
	{ "usable_plus_8_1m", i_usable_plus_8_1m, "-", SEGV, SEGV },
	{ "write_25_into_24", i_write_25_into_24, "-", OVER_F, SLABDBG_F },
	{ "write_after_emptying", i_write_after_emptying, "-", FREED_F, FREED_M },
	{ "free_sized_wrong", i_free_sized_wrong, "-", ABRT("free_sized(): size mismatch"),
	  ABRT("free_sized(): size mismatch") },
	{ "double_free_1m", i_double_free_1m, "-", DFREE, DFREE },
	{ "double_free_small_later", i_double_free_small_later, "-", DFREE, ANY },
	{ "overflow_last_free", i_overflow_last_free, "-", OVER_F, SLABDBG_F },
	{ "host_use_after_reuse", i_host_use_after_reuse, "-", SEGV, SEGV },
	{ "double_free_8m", i_double_free_8m, "-", DFREE, DFREE },
	{ "memalign_over_1", i_memalign_over_1, "-", OVER_F, SLABDBG_F },
};

#define NR_CASES	(ARRAY_SIZE(cases) * 3 + ARRAY_SIZE(cxx_cases))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- the child ---- */

/*
 * Under malloc.abort_on_corruption=0: each bad call is reported and the
 * program goes on, with an allocator that still hands each block to one
 * owner.
 */
static int continue_case(void)
{
	char *p = x_malloc(40), *q = x_malloc(40), *a, *b, buf[16];

	x_free(p);
	x_free(q);
	x_free(p);			/* reported, not freed again */
	a = x_malloc(40);
	b = x_malloc(40);
	if (a == b)
		return 2;		/* two owners: the repair failed */
	x_memset(buf, 0, sizeof(buf));
	x_free(buf);			/* reported, left alone */
	x_free(a + 8);
	q = x_malloc(24);
	x_memset(q, 'x', 25);
	x_free(q);			/* reported, the block left alone */
	p = x_malloc(100);
	x_memset(p, 1, 100);
	x_free(p);
	x_free(a);
	x_free(b);
	return 0;
}

/*
 * A correct program under slab_debug: blocks under a word (malloc(0)'s
 * backing block, malloc(3)) in slots whose last owner was freed with its
 * free tag, which no poison (P) or red zone (Z) overwrote when the slot
 * went back to its slab.  A block under a word is never parked with a
 * tag, so a tag found there is its slot's history, not a double free.
 */
static int stale_tag_case(void)
{
	int i;

	for (i = 0; i < 200; i++) {
		char *a = x_malloc(12), *z, *t;

		x_memset(a, 1, 12);
		x_free(a);		/* parked with its free tag */
		x_free(x_malloc(12));	/* a leaves parking for its slab */
		z = x_malloc(0);	/* may take a's slot: never written */
		t = x_malloc(3);	/* or this one: written in part */
		t[0] = 1;
		x_free(z);
		x_free(t);
	}
	printf("CLEAN\n");
	return 0;
}

/*
 * A correct program whose threads free each other's blocks, so that a
 * slab is emptied and given back on one thread while another validates
 * it as the slab of its last block (slab_debug's recent-block check).
 * That slab was read while it was being freed: a false "Freepointer
 * corrupt" that stopped a C++ thread pool under slub_debug=FZPU in 2 runs
 * of 5.
 */
#define CHURN_THREADS	4
#define CHURN_BLOCKS	2048
#define CHURN_ROUNDS	12
static void *churn_rows[CHURN_THREADS][CHURN_BLOCKS];
static pthread_barrier_t churn_barrier;

static void *churn_thread(void *arg)
{
	long me = (long)arg, next = (me + 1) % CHURN_THREADS;
	int round, i;

	for (round = 0; round < CHURN_ROUNDS; round++) {
		for (i = 0; i < CHURN_BLOCKS; i++) {
			churn_rows[me][i] = x_malloc(20 + (size_t)(i % 12));
			x_memset(churn_rows[me][i], (int)me, 20);
		}
		pthread_barrier_wait(&churn_barrier);
		/* The next thread's blocks, newest first: its slabs empty here. */
		for (i = CHURN_BLOCKS; i-- > 0;)
			x_free(churn_rows[next][i]);
		pthread_barrier_wait(&churn_barrier);
	}
	return NULL;
}

static int threads_churn_case(void)
{
	pthread_t t[CHURN_THREADS];
	long i;

	pthread_barrier_init(&churn_barrier, NULL, CHURN_THREADS);
	for (i = 0; i < CHURN_THREADS; i++)
		if (pthread_create(&t[i], NULL, churn_thread, (void *)i))
			return 2;
	for (i = 0; i < CHURN_THREADS; i++)
		pthread_join(t[i], NULL);
	printf("CLEAN\n");
	return 0;
}

static int run_case_here(const char *name)
{
	struct rlimit none = { 0, 0 };
	char buf[128];
	size_t i, k;

	setrlimit(RLIMIT_CORE, &none);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		for (k = 0; k < 3; k++) {
			snprintf(buf, sizeof(buf), "%s/%s", cases[i].name, size_names[k]);
			if (strcmp(buf, name))
				continue;
			cases[i].fn(case_sizes[k]);
			not_caught();
			return 0;
		}
	for (i = 0; i < ARRAY_SIZE(cxx_cases); i++)
		if (!strcmp(cxx_cases[i].name, name)) {
			cxx_cases[i].fn(4096);
			not_caught();
			return 0;
		}
	for (i = 0; i < ARRAY_SIZE(issue_cases); i++)
		if (!strcmp(issue_cases[i].name, name)) {
			issue_cases[i].fn(0);
			not_caught();
			return 0;
		}
	if (!strcmp(name, "continue"))
		return continue_case();
	if (!strcmp(name, "continue_realloc")) {
		char *p = x_malloc(100), *q;

		x_memset(p, 'a', 101);
		errno = 0;
		q = realloc(p, 500);
		printf("REALLOC %s %s\n", q ? "BLOCK" : "NULL", errno == ENOMEM ? "ENOMEM" : "?");
		free(q);
		return 0;
	}
	if (!strcmp(name, "stale_tag"))
		return stale_tag_case();
	if (!strcmp(name, "threads_churn"))
		return threads_churn_case();
	fprintf(stderr, "malloc_harden: no case %s\n", name);
	return 2;
}

/* ---- the parent ---- */

struct result {
	int status;		/* wait status, -1 on a hang or a failure to run */
	bool not_caught;	/* the case printed NOT_CAUGHT */
	char out[1 << 16];
};

/*
 * Run @name in a fresh process of this program, its stdout and stderr in
 * @r->out, with @cmdline appended to UKMEM_CMDLINE.  Hang detection: no
 * output and no exit for KTEST_HANG_SECONDS (@hang_s overrides it).
 * KFENCE is off there: the table asserts what the always-on checks catch,
 * and a sampled block (a fresh zeroed page, a guard page) would change an
 * outcome now and then (tests/test_kfence.c covers KFENCE).
 */
static void run_case(const char *name, const char *cmdline, long hang_s, struct result *r)
{
	long quiet_ms = 0, limit_ms = (hang_s > 0 ? hang_s : ktest_hang_seconds()) * 1000L;
	size_t len = 0;
	int fds[2];
	pid_t pid;

	r->status = -1;
	r->not_caught = false;
	r->out[0] = '\0';
	if (pipe(fds))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "malloc_harden", "--case", (char *)name, NULL };
		const char *old = getenv("UKMEM_CMDLINE");
		char env[512];

		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		snprintf(env, sizeof(env), "%s%skfence.sample_interval=0 %s", old ? old : "",
			 old ? " " : "", cmdline ? cmdline : "");
		setenv("UKMEM_CMDLINE", env, 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		int n = poll(&pfd, 1, 100);

		if (n > 0) {
			ssize_t got = read(fds[0], r->out + len, sizeof(r->out) - 1 - len);

			if (got <= 0)
				break;
			len += (size_t)got;
			quiet_ms = 0;
			if (len == sizeof(r->out) - 1)
				len = 0;	/* keep the tail of a flood */
			continue;
		}
		if ((quiet_ms += 100) >= limit_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(fds[0]);
			snprintf(r->out, sizeof(r->out), "HANG: no progress for %ld s", limit_ms / 1000);
			return;
		}
	}
	r->out[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &r->status, 0) != pid)
		r->status = -1;
	r->not_caught = strstr(r->out, "NOT_CAUGHT") != NULL;
}

static bool caught(const struct result *r)
{
	/* As the suite counts: stopped (or hung) before NOT_CAUGHT. */
	return !r->not_caught;
}

/* The front end's line in @out, for the score listing. */
static void first_line(const char *out, const char *prefix, char *buf, size_t size)
{
	const char *l = strstr(out, prefix);
	size_t n = 0;

	buf[0] = '\0';
	if (!l)
		return;
	while (l[n] && l[n] != '\n' && n < size - 1)
		n++;
	memcpy(buf, l, n);
	buf[n] = '\0';
}

static void describe(const struct result *r, char *buf, size_t size)
{
	char line[160];

	if (r->status == -1) {
		snprintf(buf, size, "%.100s", strncmp(r->out, "HANG", 4) ? "could not run" : r->out);
		return;
	}
	if (!caught(r)) {
		snprintf(buf, size, "not caught");
		return;
	}
	first_line(r->out, "ukmem: ", line, sizeof(line));
	if (!line[0])
		first_line(r->out, "free(): ", line, sizeof(line));	/* glibc's */
	if (WIFSIGNALED(r->status))
		snprintf(buf, size, "caught: %s%s%s", strsignal(WTERMSIG(r->status)),
			 line[0] ? ": " : "", line);
	else
		snprintf(buf, size, "caught: exit %d%s%s", WEXITSTATUS(r->status),
			 line[0] ? ": " : "", line);
}

static int score(bool verbose)
{
	static struct result r;
	unsigned int n = 0, total = 0;
	char name[128], text[256];
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s/%s", cases[i].name, size_names[k]);
			run_case(name, NULL, 0, &r);
			describe(&r, text, sizeof(text));
			n += caught(&r);
			total++;
			if (verbose)
				printf("%-34s %-30s %s\n", name, cases[i].suite, text);
		}
	for (i = 0; i < ARRAY_SIZE(cxx_cases); i++) {
		run_case(cxx_cases[i].name, NULL, 0, &r);
		describe(&r, text, sizeof(text));
		n += caught(&r);
		total++;
		if (verbose)
			printf("%-34s %-30s %s\n", cxx_cases[i].name, cxx_cases[i].suite, text);
	}
	printf("caught %u/%u\n", n, total);
	return 0;
}

/* ---- the CTest check ---- */

static bool on_ukmem(void)
{
	const char *e = getenv("UKMEM_EXPECT");

	return e && !strcmp(e, "1");
}

static void check_outcome(const char *name, const struct outcome *o, const struct result *r,
			  const char *mode)
{
	static char what[300];

	if (o->sig == -1)
		return;
	snprintf(what, sizeof(what), "%s (%s)", name, mode);
	ktest_current = what;
	if (!o->sig) {
		CHECK(r->not_caught);
		return;
	}
	if (o->sig == -2) {
		CHECK(!r->not_caught && ktest_exited_with(r->status, 1));
		return;
	}
	CHECK(!r->not_caught);
	CHECK(r->status != -1 && WIFSIGNALED(r->status));
	CHECK_EQ(r->status != -1 && WIFSIGNALED(r->status) ? WTERMSIG(r->status) : -1, o->sig);
	if (o->line)
		CHECK_STR_CONTAINS(r->out, o->line);
}

static void test_table(const char *mode, const char *cmdline, bool debug)
{
	static struct result r;
	char name[128];
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s/%s", cases[i].name, size_names[k]);
			run_case(name, cmdline, 0, &r);
			if (on_ukmem())
				check_outcome(name, debug ? &cases[i].debug[k] : &cases[i].dflt[k], &r,
					      mode);
			else
				CHECK(r.status != -1);	/* ran, and did not hang */
		}
	for (i = 0; i < ARRAY_SIZE(cxx_cases); i++) {
		run_case(cxx_cases[i].name, cmdline, 0, &r);
		if (on_ukmem())
			check_outcome(cxx_cases[i].name, debug ? &cxx_cases[i].debug :
				      &cxx_cases[i].dflt, &r, mode);
		else
			CHECK(r.status != -1);
	}
}

static void test_table_default(void)
{
	test_table("default", NULL, false);
}

static void test_table_debug(void)
{
	if (on_ukmem())
		test_table("slab_debug=FZPU", "slab_debug=FZPU", true);
}

/* The issue's examples, stopped with their lines, by default and under slab_debug. */
static void test_issue_cases(void)
{
	static struct result r;
	size_t i;

	if (!on_ukmem())
		return;
	for (i = 0; i < ARRAY_SIZE(issue_cases); i++) {
		run_case(issue_cases[i].name, NULL, 0, &r);
		check_outcome(issue_cases[i].name, &issue_cases[i].dflt, &r, "default");
		run_case(issue_cases[i].name, "slab_debug=FZPU", 0, &r);
		check_outcome(issue_cases[i].name, &issue_cases[i].debug, &r, "slab_debug=FZPU");
	}
}

/* Every slab_debug mode, its flags alone too: a correct program runs clean. */
static void test_debug_modes_clean(void)
{
	static const char *const modes[] = { "slab_debug=U", "slab_debug=F", "slab_debug=FZ",
					     "slab_debug=P", "slab_debug=FZPU",
					     "slab_debug=UZ kfence.sample_interval=1" };
	static struct result r;
	size_t i;

	if (!on_ukmem())
		return;
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		run_case("stale_tag", modes[i], 0, &r);
		if (!ktest_exited_with(r.status, 0) || !strstr(r.out, "CLEAN") || strstr(r.out, "ukmem:"))
			printf("%s:\n%.2000s\n", modes[i], r.out);
		CHECK(ktest_exited_with(r.status, 0));
		CHECK(!strstr(r.out, "ukmem:"));
	}
}

/*
 * Threads emptying each other's slabs under slab_debug=FZPU: clean, every
 * run (the race it checks showed in about one run of three).
 */
static void test_threads_churn_debug(void)
{
	static struct result r;
	int i;

	if (!on_ukmem())
		return;
	for (i = 0; i < 5; i++) {
		run_case("threads_churn", "slab_debug=FZPU", 0, &r);
		if (!ktest_exited_with(r.status, 0) || !strstr(r.out, "CLEAN"))
			printf("run %d:\n%.2000s\n", i, r.out);
		CHECK(ktest_exited_with(r.status, 0));
		CHECK(!strstr(r.out, "ukmem:"));
	}
}

/* malloc.abort_on_corruption=0: reported and survived, each block one owner. */
static void test_report_and_continue(void)
{
	static struct result r;

	if (!on_ukmem())
		return;
	ktest_current = "test_report_and_continue";
	run_case("continue", "malloc.abort_on_corruption=0", 0, &r);
	CHECK(ktest_exited_with(r.status, 0));
	CHECK_STR_CONTAINS(r.out, "ukmem: free(): double free: 0x");
	CHECK_STR_CONTAINS(r.out, "): Object already free");
	CHECK_STR_CONTAINS(r.out, "ukmem: free(): invalid pointer: 0x");
	CHECK_STR_CONTAINS(r.out, "ukmem: free(): block overflowed its end: 0x");
	CHECK_STR_CONTAINS(r.out, "kmalloc Redzone overwritten");
	/* And by default the first of them stops it. */
	run_case("continue", NULL, 0, &r);
	CHECK(r.status != -1 && WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGABRT);
	CHECK(!strstr(r.out, "invalid pointer"));
	/*
	 * realloc() of an overflowed block fails with ENOMEM and leaves it
	 * alone, under slab_debug as by default; reported as realloc's (it
	 * was copied out and reported by the next malloc).
	 */
	run_case("continue_realloc", "malloc.abort_on_corruption=0", 0, &r);
	CHECK_STR_CONTAINS(r.out, "ukmem: realloc(): block overflowed its end: 0x");
	CHECK_STR_CONTAINS(r.out, "REALLOC NULL ENOMEM");
	run_case("continue_realloc", "malloc.abort_on_corruption=0 slab_debug=FZPU", 0, &r);
	CHECK_STR_CONTAINS(r.out, "ukmem: realloc(): heap corruption found by slab_debug: 0x");
	CHECK_STR_CONTAINS(r.out, "REALLOC NULL ENOMEM");
	CHECK(!strstr(r.out, "ukmem: malloc()"));
}

#ifdef MALLOC_HARDEN_CXX
static int handler_calls;

/* A new-handler that gives up by throwing, as the standard allows. */
static void throwing_handler(void)
{
	handler_calls++;
	_ZSt17__throw_bad_allocv();
}

/*
 * The nothrow forms return NULL whatever the new-handler does, a thrown
 * bad_alloc included (libstdc++ catches it); an aligned form refuses an
 * alignment that is not a power of two.  Expectations are libstdc++'s on
 * glibc, so the three runs agree.
 */
static void test_cxx_nothrow_and_alignment(void)
{
	void (*old)(void) = _ZSt15set_new_handlerPFvvE(throwing_handler);
	void *p;

	CHECK(_ZnwmRKSt9nothrow_t((size_t)-1 / 2, _ZSt7nothrow) == NULL);
	CHECK_EQ(handler_calls, 1);
	CHECK(_ZnamRKSt9nothrow_t((size_t)-1 / 2, _ZSt7nothrow) == NULL);
	CHECK_EQ(handler_calls, 2);
	_ZSt15set_new_handlerPFvvE(old);
	CHECK(_ZnwmSt11align_val_tRKSt9nothrow_t(100, 24, _ZSt7nothrow) == NULL);
	CHECK(_ZnwmSt11align_val_tRKSt9nothrow_t(100, 0, _ZSt7nothrow) == NULL);
	p = _ZnwmSt11align_val_tRKSt9nothrow_t(100, 64, _ZSt7nothrow);
	CHECK(p && !((unsigned long)p & 63));
	_ZdlPvSt11align_val_t(p, 64);
	p = _ZnwmRKSt9nothrow_t(40, _ZSt7nothrow);
	CHECK(p != NULL);
	_ZdlPv(p);
}
#else
static void test_cxx_nothrow_and_alignment(void)
{
	KTEST_SKIP("no C++ runtime in this build");
}
#endif

#ifdef MALLOC_TEST_INTERNALS
/*
 * The static build (the library's internals link): the cache of guarded
 * free large blocks has a fork step, so a child forked while another
 * thread holds the cache's lock does not inherit it held (it would pass
 * the cache by for ever, its blocks lost).
 */
static volatile int fork_started, holder_holds;
static spinlock_t *large_lock;

static int note_fork_started(void)
{
	fork_started = 1;
	return 0;
}

/* Runs first: the fork has begun. */
static const struct fork_step started_step = {
	.name = "malloc_harden started", .order = 0, .prepare = note_fork_started,
};

static void *large_lock_holder(void *arg)
{
	(void)arg;
	while (!arch_spin_trylock(large_lock))
		sched_yield();
	holder_holds = 1;
	while (!fork_started)
		sched_yield();
	ktest_sleep_ms(30);		/* the fork now waits for it */
	arch_spin_unlock(large_lock);
	return NULL;
}

static void large_cache_fork_child(void *arg)
{
	const struct fork_step *st;
	pthread_t tid;
	int status;
	pid_t pid;

	(void)arg;
	free(malloc(MIB));		/* the front end set up */
	st = fork_step_find("malloc-large");
	CHECK(st != NULL && st->spinlock != NULL);
	if (!st || !st->spinlock)
		return;
	large_lock = st->spinlock;
	fork_register_step(&started_step);
	pthread_create(&tid, NULL, large_lock_holder, NULL);
	while (!holder_holds)
		sched_yield();
	pid = fork();
	if (pid == 0)
		_exit(spin_is_locked(large_lock) ? 1 : 0);
	CHECK(pid > 0);
	pthread_join(tid, NULL);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(ktest_exited_with(status, 0));
	CHECK(!spin_is_locked(large_lock));
}

/*
 * The slack canary's encoding (malloc/malloc_internal.h), for every size
 * below every multiple of 16 up to the largest class: whole, it gives the
 * size back; a byte written over the first byte of slack is caught, a 0
 * always (an off-by-one string terminator), any value when the slack is
 * longer than one byte (else the byte is the length itself: at most two
 * values can pass, those the program's own bytes happen to match); an
 * exact block's check passes whatever its last byte holds; the stores
 * stay inside the block and past the size asked for.
 */
static void test_slack_encoding(void)
{
	static u8 buf[KMALLOC_MAX_CACHE_SIZE + 64];
	size_t csize, size, missed_one = 0;
	u8 cb, saved;
	int v;

	malloc_keys_init();
	cb = malloc_canary_byte();
	CHECK(cb != 0 && !(cb & 1));
	for (csize = 16; csize <= KMALLOC_MAX_CACHE_SIZE; csize += 16) {
		for (v = 0; v < 256; v++) {	/* an exact block's bytes: not judged */
			buf[csize - 1] = (u8)v;
			CHECK(malloc_slack_ok_if(buf, csize, false));
		}
		for (size = 1; size <= csize; size++) {
			if (csize > 1024 && size < csize - 300 && size % 61)
				continue;	/* the long form: a sample */
			memset(buf, 0x5a, csize + 16);
			malloc_slack_set(buf, csize, size);
			CHECK(buf[csize] == 0x5a && buf[size - 1] == (size == csize ? buf[size - 1] : 0x5a));
			if (size == csize)
				continue;
			CHECK(malloc_slack_size(buf, csize) == size);
			CHECK(malloc_slack_ok_if(buf, csize, true) == (csize - size <= 0xff));
			saved = buf[size];
			for (v = 0; v < 256; v++) {
				bool caught;

				if (v == saved)
					continue;
				buf[size] = (u8)v;
				caught = malloc_slack_size(buf, csize) == (size_t)-1;
				if (!v || csize - size > 1)
					CHECK(caught);
				else
					missed_one += !caught;
			}
			buf[size] = saved;
		}
	}
	/* One byte of slack: at most two values per size pass (a fraction of them). */
	CHECK(missed_one <= 2 * (KMALLOC_MAX_CACHE_SIZE / 16));
}

/*
 * The cache of guarded free large blocks keeps what is reused at once and
 * lets go of what waited longer than the page reporting delay: after that
 * wait, the next large allocation finds the cache empty.
 */
static void test_large_cache_expiry(void)
{
	size_t size = 200 * 1024;
	char *p[4], *q;
	int i;

	if (!on_ukmem())
		return;
	large_cache_drain();
	CHECK(malloc_large_cached_bytes() == 0);
	for (i = 0; i < 4; i++)
		p[i] = malloc(size);
	for (i = 0; i < 4; i++)
		free(p[i]);		/* the last one parked, the others cached */
	CHECK(malloc_large_cached_bytes() >= 3 * size);
	q = malloc(size);		/* at once: the most recent cached block */
	CHECK(q == p[2]);
	free(q);			/* q parked, p[3] cached */
	CHECK(malloc_large_cached_bytes() >= 3 * size);
	ktest_sleep_ms(boot_config.page_reporting_delay_ms + 20);
	q = malloc(MIB);		/* another order: the waiting ones leave first */
	CHECK(q != NULL);
	CHECK(malloc_large_cached_bytes() == 0);
	free(q);
	large_cache_drain();
}

static void test_large_cache_fork(void)
{
	if (!on_ukmem())
		return;
	CHECK(ktest_exited_with(ktest_child(large_cache_fork_child, NULL), 0));
}
#else
static void test_large_cache_fork(void)
{
}
static void test_slack_encoding(void)
{
}
static void test_large_cache_expiry(void)
{
}
#endif

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--case"))
		return run_case_here(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "--score"))
		return score(true);
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--score | --case NAME]\n", argv[0]);
		return 2;
	}
	KTEST_RUN(KTEST(test_table_default), KTEST(test_table_debug), KTEST(test_issue_cases),
		  KTEST(test_report_and_continue), KTEST(test_debug_modes_clean),
		  KTEST(test_threads_churn_debug),
		  KTEST(test_large_cache_fork),
		  KTEST(test_slack_encoding), KTEST(test_large_cache_expiry),
		  KTEST(test_cxx_nothrow_and_alignment));
}
