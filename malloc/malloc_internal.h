/* SPDX-License-Identifier: MIT */
/*
 * malloc/malloc_internal.h - what crosses files inside the malloc front end,
 * grouped by the file that defines it.
 */
#ifndef _MALLOC_INTERNAL_H
#define _MALLOC_INTERNAL_H

#include <stdio.h>

#include <ukmem/kernel_types.h>
#include <linux/atomic.h>
#include <linux/page-flags.h>

/*
 * The hardening (malloc/harden.c, docs/malloc.md) is on in every build;
 * -DUKMEM_MALLOC_HARDEN=0 builds the front end without it, only to
 * measure what it costs against the same code (bench/malloc/run.sh's
 * BENCH_EXTRA).
 */
#ifndef UKMEM_MALLOC_HARDEN
#define UKMEM_MALLOC_HARDEN	1
#endif
#define MALLOC_HARDEN		(UKMEM_MALLOC_HARDEN != 0)

#define MIN_ALIGN	16

struct page;
struct slab;
struct kmem_cache;

struct malloc_stats_counters {
	atomic_long_t foreign_frees;	/* free() of ld.so's own early blocks, left alone */
};
extern struct malloc_stats_counters ukmem_malloc_stats;

/* ---- malloc/malloc.c: knobs of mallopt() and the boot line ---- */

extern size_t mmap_threshold;		/* M_MMAP_THRESHOLD: larger blocks are host mappings */
extern int perturb_byte;		/* M_PERTURB */
/*
 * Non-zero while malloc and free must take their slow paths for every
 * block: M_PERTURB, init_on_alloc, init_on_free or kmemleak.  One load on
 * each fast path; malloc_slow_always_update() sets it.
 */
extern int malloc_slow_always;
void malloc_slow_always_update(void);

/* ---- malloc/classes.c: the size classes ---- */


/*
 * 16, 32, ... 128 in 16-byte steps; four classes per power of two up to
 * 1 KiB (160 192 224 256, ... 896 1024); eight above (1152 1280 ... 2048,
 * 2304 ... 4096, 4608 ... 8192).  The finer top half matters for blocks
 * just above a page (a 4 KiB buffer and its header) that would otherwise
 * waste a fifth.  Every class is a multiple of 16, so objects keep
 * malloc's 16-byte alignment.
 */
#define NR_SMALL_CLASSES	8
#define NR_MID_CLASSES		(4 * 3)		/* 129 .. 1024 */
#define FIRST_FINE_CLASS	(NR_SMALL_CLASSES + NR_MID_CLASSES)
#define NR_MALLOC_CLASSES	(FIRST_FINE_CLASS + 8 * (KMALLOC_SHIFT_HIGH - 10))

/*
 * A class: its caches and size, in one line for the fast path.  @slack
 * serves the sizes below @size (constructor malloc_ctor: free tag;
 * SLAB_KMALLOC: slack canary), @exact the size itself: a cache of its own
 * (malloc_ctor, no SLAB_KMALLOC) for the classes up to 1 KiB and the
 * powers of two, the next class's slack cache for the other classes above
 * 1 KiB.
 * Exact sizes are most allocations of programs made of structs and
 * power-of-two arrays (60% in the compiler-like benchmark, a quarter in
 * python3): serving all of them from the next class up cost the compiler
 * 19% more peak RSS; an exact cache for every class cost programs with a
 * small heap a partial slab per class (32 KiB above 1 KiB), a third more
 * RSS for the short-lived-threads benchmark.  So an exact cache is made
 * once its class has served EXACT_THRESHOLD blocks of its size (from the
 * next class up until then, through the slow path; the last class's at
 * once, there being no next one).  Where slab_debug (or
 * valgrind) watches the class, both are NULL and @plain, a cache without
 * constructor, serves it from the slow path.  With the hardening off,
 * both are the plain cache.
 */
struct malloc_class {
	struct kmem_cache *slack;
	struct kmem_cache *exact;	/* NULL: not made yet (the slow path) */
	struct kmem_cache *plain;
	unsigned int size;
	unsigned int exact_count;	/* exact sizes served before @exact exists */
	int exact_state;		/* 0 none yet, 2 made, 3 never (classes_lock serialises) */
	int state;			/* CLASS_*: its caches made on first use */
	char *exact_name;
};

enum { CLASS_NOT_MADE, CLASS_MADE, CLASS_FAILED };

/*
 * The fast path looks a size up in one table: class_of_size[(size + 15) / 16]
 * holds the class index + 1 (every class boundary is a multiple of 16),
 * and malloc_classes[0] stays empty, so a lookup before the caches exist
 * (the table is still zero) or of a class that could not be made falls to
 * the slow path.  One load, no branch: computing the class arithmetically
 * cost a nanosecond or two per malloc+free on random sizes.
 */
#define CLASS_INDEX(size)	(((size) + 15) >> 4)
#define SMALL_MAX		KMALLOC_MAX_CACHE_SIZE
extern u8 class_of_size[KMALLOC_MAX_CACHE_SIZE / 16 + 1];
extern struct malloc_class malloc_classes[NR_MALLOC_CLASSES + 1];

static __always_inline const struct malloc_class *size_class(size_t size)
{
	return &malloc_classes[class_of_size[CLASS_INDEX(size)]];
}

/* A class's exact size gets a cache of its own once it has served this many. */
#define EXACT_THRESHOLD		256

/* The size of class @idx. */
size_t class_size(unsigned int idx);
/* A cache of the front end: tagged (free tag, maybe slack canary), exact (no canary). */
struct kmem_cache *malloc_cache_create(const char *name, size_t size, bool tagged, bool exact);
/* The keys and the size table, once by the first thread after the boot (others go on). */
void malloc_caches_init(void);
/* Class @idx's caches, made on its first use if @gfp and this thread allow (else false). */
bool malloc_class_make(unsigned int idx, gfp_t gfp);
/* classes_lock: held to make a cache of the classes; only tried (false: kmalloc serves). */
bool classes_trylock(gfp_t gfp);
void classes_unlock(void);
/* At load: the fork step of classes_lock. */
void classes_init(void);
/* At load: MALLOC_PERTURB_, MALLOC_MMAP_THRESHOLD_ and their GLIBC_TUNABLES (malloc/usage.c). */
void malloc_env_init(void);

/* ---- malloc/boot_arena.c: allocations made while ukmem boots ---- */

#define BOOT_ARENA_SIZE	(512 * 1024)
extern char boot_arena[BOOT_ARENA_SIZE];

/* @size bytes aligned to @align, never freed; NULL with ENOMEM once full. */
void *boot_arena_alloc(size_t size, size_t align);
/* The size asked for of a block of the arena. */
size_t boot_arena_size(const void *p);

static inline bool in_boot_arena(const void *p)
{
	return (const char *)p >= boot_arena && (const char *)p < boot_arena + BOOT_ARENA_SIZE;
}

/* ---- malloc/harden.c: checks, keys and the fatal path ---- */

/*
 * What was found wrong, in the stable line the program dies with
 * (docs/malloc.md lists them).
 */
enum malloc_error {
	MERR_INVALID = 1,	/* not a block this allocator handed out */
	MERR_DOUBLE_FREE,	/* already freed */
	MERR_OVERFLOW,		/* written past its end (the slack canary) */
	MERR_UNDERFLOW,		/* written before its start (a large block's canary) */
	MERR_FREED_WRITTEN,	/* a free block was written (its free tag or poison) */
	MERR_SIZE_MISMATCH,	/* free_sized / sized delete with another size */
	MERR_ALIGN_MISMATCH,	/* aligned free of a block not so aligned */
	MERR_DEBUG,		/* slab_debug reported this block */
};

/*
 * Report @err about @p in the call @fn ("free", "realloc", ...), after
 * whatever kernel-style report the caller printed: one line on stderr,
 * then SIGABRT, unless malloc.abort_on_corruption=0 (then it returns and
 * the caller leaves the block alone).  Never allocates.
 */
void malloc_error(enum malloc_error err, const char *fn, const void *p, size_t a, size_t b);
/* The same with a kernel-style report of its own (a WARNING with a stack trace). */
void malloc_error_report(enum malloc_error err, const char *fn, const void *p, size_t a,
			 size_t b);

/*
 * The free tag: the first word of every free block of a malloc cache
 * (its constructor writes it, free() writes it back) is the key xor the
 * block's address; malloc() checks it and clears it.  A block whose first
 * word is its tag is free: a second free() is a double free, and a block
 * handed out without it was written after it was freed.  A live block
 * holds its tag only if the program stored exactly that value there:
 * 2^-64 per free for a program that does not read freed memory.
 */
extern unsigned long malloc_tag_key __attribute__((visibility("hidden")));
static __always_inline unsigned long malloc_free_tag(const void *p)
{
	return malloc_tag_key ^ (unsigned long)p;
}

/*
 * The slack canary.  A size of exactly a class comes from an exact cache
 * (malloc-exact-N, or the next class up), every other from its class's
 * slack cache (malloc-N), so every block of a slack cache has at least
 * one byte of slack and its last byte is never the program's.  That byte
 * is the length byte: the slack length xor the canary byte cb (a slack
 * above 255 bytes: cb itself, read as length 0, with the length in the
 * two bytes before, xor cb).  The first byte of slack is the canary: the
 * length byte with its low bit set (the long form: cb).  cb is even and
 * never 0, so with one byte of slack the two are the same byte, and a
 * canary is never 0 (a string's terminator written one past its block
 * always shows).  A linear overflow changes the canary (or, with one
 * byte of slack, the length); every inconsistency is an overflow, since
 * the slack exists.  Two byte stores per malloc; per free, two byte loads
 * and a dozen instructions (the fast path leaves the long form to the
 * slow one).
 */
extern u64 malloc_canary64 __attribute__((visibility("hidden")));	/* even, never 0 */

static __always_inline u8 malloc_canary_byte(void)
{
	return (u8)malloc_canary64;
}

/*
 * @p of class @class_size now holds @size (<= class_size) bytes.  A block
 * of an exact cache (@size == @class_size) has no slack: both stores then
 * land on its own last byte, which the program has not written yet (a
 * block's contents are indeterminate when malloc returns it), so that the
 * fast path takes one branchless way for both kinds of cache: a program
 * whose sizes alternate between exact and slack classes would otherwise
 * mispredict a branch on every other malloc.
 */
static __always_inline void malloc_slack_set(void *p, size_t class_size, size_t size)
{
	size_t slack = class_size - size;
	u8 *b = p, cb = malloc_canary_byte(), len = cb ^ (u8)slack;

	if (likely(slack <= 0xff)) {
		b[size - (slack == 0)] = len | 1;
		b[class_size - 1] = len;	/* slack 1: the same byte (len is odd) */
		return;
	}
	b[size] = cb;
	b[class_size - 1] = cb;
	b[class_size - 2] = len;
	b[class_size - 3] = cb ^ (u8)(slack >> 8);
}

/* The long form's length (more than 255 bytes of slack), unchecked. */
static __always_inline size_t malloc_slack_long(const u8 *b, size_t class_size, u8 cb)
{
	return (size_t)(u8)(b[class_size - 2] ^ cb) | (size_t)(u8)(b[class_size - 3] ^ cb) << 8;
}

/*
 * The short form, checked: false if the length is out of the block (the
 * long form reads as 0, so it is false too: the slow path decodes it) or
 * the canary it points to is not the length byte with its low bit set.
 * Whatever the last byte holds, both loads stay inside the block.
 */
static __always_inline bool malloc_slack_bad(const void *p, size_t class_size)
{
	const u8 *b = p;
	u8 len = b[class_size - 1];
	size_t at = class_size - (u8)(len ^ malloc_canary_byte());
	bool out = at - 1 >= class_size - 1;	/* slack 0, or the whole block and more */

	/* Byte 0 then, by a mask: a branch here would follow an exact block's bytes. */
	at &= (size_t)out - 1;
	return out | (b[at] != (u8)(len | 1));
}

/*
 * The free fast path's check for a block of either kind of cache: whole
 * if @has_slack is false (an exact cache: its last bytes are the
 * program's, read but not judged), else !malloc_slack_bad().  No branch
 * depends on the kind (see malloc_slack_set()).
 */
static __always_inline bool malloc_slack_ok_if(const void *p, size_t class_size, bool has_slack)
{
	bool bad = malloc_slack_bad(p, class_size) & has_slack;

	/* Keep it one value: the compiler would branch on the exact block's random bytes. */
	asm("" : "+r"(bad));
	return !bad;
}

/* The requested size, or (size_t)-1 if the canary or its length is corrupt. */
size_t malloc_slack_size_long(const void *p, size_t class_size);

static __always_inline size_t malloc_slack_size(const void *p, size_t class_size)
{
	if (likely(!malloc_slack_bad(p, class_size)))
		return class_size - (u8)(((const u8 *)p)[class_size - 1] ^ malloc_canary_byte());
	return malloc_slack_size_long(p, class_size);
}

/*
 * The constructor of the malloc caches: a new object is free, so it
 * carries its tag.  A cache with it is a tagged malloc cache; with
 * SLAB_KMALLOC too, a slack cache (its blocks have a canary).
 */
void malloc_ctor(void *p) __attribute__((visibility("hidden")));

/* Before the first malloc cache is made: the keys above. */
void malloc_keys_init(void);

/* ld.so's early blocks (its minimal malloc): never ours to free, never an error. */
bool malloc_from_loader(const void *p);
void malloc_leaks_loader_block(void *p, const void *caller);	/* malloc/leaks.c */

/*
 * malloc(0): unique addresses in a reserved inaccessible range as large
 * as the linear map.  The address is the mirror of a 1-byte block, which
 * gives it its uniqueness and its checks when it is freed.
 */
extern unsigned long malloc_zero_base, malloc_zero_size;
static inline bool is_zero_block(const void *p)
{
	return (unsigned long)p - malloc_zero_base < malloc_zero_size;
}
void *malloc_zero_make(void *backing);
void *malloc_zero_backing(const void *z);

/* ---- malloc/malloc.c ---- */
/*
 * free() with the size (-1: none) and alignment (0 or 1: none) the caller
 * claims, checked against the block: free_sized, free_aligned_sized and
 * the C++ sized and aligned deletes (@fn names the call in reports).
 */
void malloc_free_checked(void *ptr, size_t size, size_t align, const char *fn);

/* ---- malloc/debug.c: under slab_debug ---- */
/* Some class is watched by slab_debug (its cache has no free tags). */
extern bool malloc_debug_mode __attribute__((visibility("hidden")));
/* The red zones' width on each side of a block of a debug cache. */
#define MALLOC_DEBUG_REDZONE	32
struct kmem_cache *malloc_debug_cache_create(const char *name, size_t size,
					     unsigned int sheaf_capacity);
size_t malloc_debug_size(const struct kmem_cache *s, const void *p);
/*
 * slab_debug's verdict on @p: this thread's error count moved since
 * @before (slab_thread_errors()), so the block is reported as @fn's
 * (malloc_error(): a stop, unless malloc.abort_on_corruption=0); true then.
 */
bool malloc_debug_verdict(long before, const char *fn, const void *p);
/* Validate the blocks this thread allocated last; a finding stops the program. */
void malloc_debug_check_recent(const char *fn);
/* A block of a debug cache being freed: its own red zones now, not when it leaves the parking. */
bool malloc_debug_check_block(void *p, struct slab *slab, const char *fn);
void malloc_debug_note(void *p, bool large);

/* ---- malloc/large.c: blocks above the slab classes, from the buddy allocator ---- */

#define MALLOC_LARGE_FLAG	(1UL << PG_private_2)
void *large_alloc(size_t size, size_t align, size_t capacity, gfp_t gfp);
/*
 * @p on the page @page (which carries MALLOC_LARGE_FLAG): 0 and the
 * requested size in *@size if @p is a live large block, else the error.
 */
int large_check(struct page *page, const void *p, const char *fn, size_t *size);
void large_free(struct page *page, void *p);
/* Bytes a large block can grow to in place (its data area). */
size_t large_capacity(struct page *page, const void *p);
/* realloc in place: the block now holds @size bytes (<= its capacity). */
void large_resize(struct page *page, void *p, size_t size);
/* Under slab_debug, a parked block's pages fault (true if sealed), and back. */
bool large_seal(struct page *page, void *p);
void large_unseal(struct page *page, void *p);
/* Its fork step (the cache of guarded free blocks). */
void large_init(void);
/* Blocks kept with their guard pages for reuse go back (malloc_trim). */
void large_cache_drain(void);
/* Bytes in large blocks, cached ones included, and in the cached ones (mallinfo). */
unsigned long malloc_large_block_bytes(void);
unsigned long malloc_large_cached_bytes(void);
/* Every live large block, @p and the size asked for (the exit report). */
void malloc_large_for_each(void (*fn)(const void *p, size_t size, void *arg), void *arg);

/* ---- malloc/host.c: blocks above the mmap threshold, straight from the host ---- */
/* Register the registry lock for fork() (at load). */
void host_init(void);
void *host_alloc(size_t size, size_t align, bool zero);
/* False if @p is not one of ours. */
bool host_free(void *p);
bool host_owns(const void *p);
/* @p is where a freed host block began, its mapping kept: freed already. */
bool host_freed_kept(const void *p);
size_t host_usable_size(const void *p);
void *host_realloc(void *p, size_t size);
/* The mappings of freed host blocks kept for reuse go back (malloc_trim). */
unsigned int host_cache_drain(void);	/* mappings handed back */
/* Every live host block, @p and the size asked for (the exit report). */
void host_for_each(void (*fn)(const void *p, size_t size, void *arg), void *arg);

/* ---- malloc/malloc.c ---- */
/* A block of @size at @alignment (a power of two), errno ENOMEM if none. */
void *malloc_memalign(size_t alignment, size_t size);

/* ---- malloc/usage.c: the numbers behind mallinfo and malloc_stats ---- */
struct ukmem_malloc_usage {
	unsigned long system_bytes;	/* pages the slab and large paths hold */
	unsigned long in_use_bytes;	/* of which handed out */
	unsigned long host_blocks, host_bytes;
	unsigned long max_host_blocks, max_host_bytes;
};
void ukmem_malloc_usage(struct ukmem_malloc_usage *u);
/* The calling thread's parked block (the last it freed) goes back to its cache. */
void malloc_unpark(void) __attribute__((visibility("hidden")));
void host_usage(unsigned long *blocks, unsigned long *bytes,
		unsigned long *max_blocks, unsigned long *max_bytes);

/* ---- malloc/report.c: load and exit ---- */
void malloc_frontend_init(void);
void malloc_frontend_exit_report(void);
/* UKMEM_REPORT's and UKMEM_LEAKS's destination: "stderr" or a file, appended to. */
FILE *malloc_report_open(const char *where);
/* UKMEM_REPORT_FORMAT=json: the exit and leak reports are one JSON object a line. */
bool malloc_report_json(void);
/* @s (at most @n bytes, up to a NUL) as a JSON string, quotes included. */
void malloc_json_string(FILE *out, const char *s, size_t n);
/* ---- malloc/leaks.c ---- */
/* UKMEM_LEAKS set (`ukmem run --leaks`): kmemleak's last scan and its report. */
void malloc_leaks_exit_report(void);

#endif /* _MALLOC_INTERNAL_H */
