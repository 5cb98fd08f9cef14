/* SPDX-License-Identifier: MIT */
/*
 * mm/kmemleak.c - the memory leak detector (the kernel's mm/kmemleak.c,
 * Documentation/dev-tools/kmemleak.rst).
 *
 * Entry points: the kmemleak_* calls of include/linux/kmemleak.h; the
 * allocator's hooks (kmemleak_hook_alloc/free, mm/internal.h); the
 * "kmemleak" report (ukmem_show) and its commands (ukmem_write, the
 * kernel's writes to /sys/kernel/debug/kmemleak); kmemleak_exit_report()
 * for `ukmem run --leaks`.
 *
 * Design:
 *
 * 1. Off unless the boot command line says `kmemleak=on`.  The boot then
 *    routes every slab allocation to slab_post_alloc_hook and every free
 *    to slab_free_hook (mm/slub_harden.c: the same switch init_on_alloc
 *    and init_on_free use, so the fast paths pay nothing when it is off),
 *    and every hook and kmemleak_* call tests kmemleak_enabled first.
 * 2. An object is the metadata of one tracked block: its address and
 *    size, min_count, flags, the allocating thread's pid, comm and the
 *    jiffies, and its allocation stack.  The metadata lives in pages of
 *    the page allocator (never a tracked cache, never scanned), carved
 *    into a free list; the objects are found by address in a hash table,
 *    also in pages, grown as it fills.  kmemleak_lock guards both.
 * 3. A scan, as the kernel's kmemleak_scan(): every object starts white
 *    (count 0), except those with min_count 0 (kmemleak_not_leak: gray
 *    from the start).  The roots are scanned word by word: the writable
 *    segments of every loaded object (data, bss), the scanning thread's
 *    stack from its own frame up, with its callee-saved registers spilled
 *    there first, and the stacks of the other threads that allocated a
 *    tracked block (read through process_vm_readv, so a thread that is
 *    gone costs nothing but a failed read).  A word that points into an
 *    object (its start or inside) counts as a reference; an object with
 *    min_count references turns gray and its contents are scanned in turn
 *    (its scan areas only, if it has any; nothing if kmemleak_no_scan).
 *    What stays white is unreferenced.  Free objects are never tracked, so
 *    their stale contents never count, and the allocator's own free lists,
 *    per-CPU stacks and barns live in free objects or in pages the scan
 *    never reads.
 * 4. Reporting follows the kernel: a scan marks the unreferenced objects
 *    older than the minimum age whose contents did not change since the
 *    previous scan (checksum), prints "kmemleak: N new suspected memory
 *    leaks" for the newly marked ones, and the report lists the marked
 *    objects that are still unreferenced.  The scan at exit (`ukmem run
 *    --leaks`) is the last one: there is no next scan to wait for, so it
 *    reports every unreferenced object at once.
 * 5. The whole scan runs under kmemleak_lock, so that no object it reads
 *    is freed (and no block unmapped) under it; other threads' hooks wait
 *    meanwhile.  Everything the scan needs that allocates or takes the
 *    loader's lock (the segment list, the stack bounds, the sorted index)
 *    is gathered before the lock.  Printing happens after it: the report
 *    is copied out in batches into a page buffer, then written, because
 *    symbolising a frame and stdio may allocate, which comes back here.
 *
 * Lock order: scan_mutex (one scan, report or command at a time; held
 * across the writing of a report, which may allocate) -> kmemleak_lock
 * (the objects; a leaf but for the page allocator, which grows the
 * metadata and the table under it).  A signal handler only tries
 * kmemleak_lock: an allocation it cannot record is counted and not
 * tracked, a free it cannot record leaves the object to be replaced when
 * its address is handed out again.
 */
#define pr_fmt(fmt) "kmemleak: " fmt

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kmemleak.h>
#include <linux/crc32.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/debug.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "lib/sort.h"
#include "mm/internal.h"
#include "mm/proc.h"

#define MAX_TRACE		16	/* the kernel's MAX_TRACE */
#define HEX_MAX_BYTES		32	/* HEX_ROW_SIZE * HEX_MAX_LINES */
#define MSECS_MIN_AGE		5000	/* the kernel's minimum age before a report */
#define MAX_SCAN_AREAS		4
#define MAX_THREADS		256

/* object->flags */
#define OBJECT_ALLOCATED	(1U << 0)
#define OBJECT_REPORTED		(1U << 1)
#define OBJECT_NO_SCAN		(1U << 2)
#define OBJECT_PHYS		(1U << 3)
#define OBJECT_PERCPU		(1U << 4)
#define OBJECT_GRAY		(1U << 5)	/* on this scan's gray list */
#define OBJECT_LOG		(1U << 6)	/* kmemleak.verbose: new, not yet logged */

#define KMEMLEAK_GREY		0
#define KMEMLEAK_BLACK		-1

struct kmemleak_object {
	struct kmemleak_object *hnext;	/* hash chain, or the free list */
	struct kmemleak_object *gray_next;
	unsigned long pointer;
	size_t size;
	int min_count;
	int count;			/* references found by this scan */
	unsigned int flags;
	u32 checksum;			/* of the contents at the previous scan */
	unsigned long jiffies;
	u64 seq;			/* allocation order: the report's order */
	int pid;
	char comm[16];
	unsigned int trace_len;
	unsigned long trace[MAX_TRACE];
	unsigned int nr_areas;
	unsigned int area_off[MAX_SCAN_AREAS];
	unsigned int area_len[MAX_SCAN_AREAS];
};

/* What a report prints of one object, copied under the lock. */
struct leak_record {
	unsigned long pointer;
	size_t size;
	int pid;
	char comm[16];
	unsigned long jiffies;
	u32 checksum;
	unsigned int flags;		/* OBJECT_PERCPU, OBJECT_PHYS: the report names them */
	int cpu;			/* a per-CPU object: whose copy is dumped */
	unsigned int trace_len, dump_len;
	unsigned long trace[MAX_TRACE];
	u8 dump[HEX_MAX_BYTES];
};

/* Boot parameter kmemleak=on|off; published to the hooks by kmemleak_init(). */
bool kmemleak_param;
bool kmemleak_enabled;
/* ukmem's own: kmemleak.min_age_ms= (the kernel's is fixed at 5 s). */
unsigned int kmemleak_min_age_ms = MSECS_MIN_AGE;
/* kmemleak.verbose= (the kernel's module parameter): each new leak to the log too. */
bool kmemleak_verbose;

static DEFINE_SPINLOCK_RANKED(kmemleak_lock, LOCK_RANK_KMEMLEAK);
/* Objects created so far (kmemleak_lock): each one's place in the report. */
static u64 object_seq;
static DEFINE_MUTEX_RANKED(scan_mutex, LOCK_RANK_KMEMLEAK_SCAN);

/*
 * Under kmemleak_lock.  The table starts as two static buckets (the boot
 * sets kmemleak up before the page allocator hands out pages) and grows
 * into pages with the first objects.
 */
static struct kmemleak_object *boot_buckets[2];
static struct kmemleak_object **hash_table = boot_buckets;
static unsigned int hash_bits = 1;
static unsigned long nr_objects;
static struct kmemleak_object *free_meta;
/*
 * The range of tracked addresses.  The lowest object's address is kept
 * here verbatim, in this library's bss: the scan skips these two words
 * (scan_segment), or that object could never be reported.
 */
static struct {
	unsigned long min, max;
} bounds = { ~0UL, 0 };
#define min_addr	bounds.min
#define max_addr	bounds.max
static unsigned long jiffies_last_scan;
static int stack_scan = 1;		/* "stack=on|off" */

/* Counters for the report's footer and for tests. */
static unsigned long untracked_allocs;	/* metadata missing or lock busy */
static unsigned long total_leaks;	/* objects reported by all scans */

/* Threads that allocated a tracked block: a tid and an address on its stack. */
struct scan_thread {
	int tid;
	unsigned long sp;
};
static struct scan_thread threads[MAX_THREADS];	/* under kmemleak_lock */
/*
 * Per thread: registered for the scan, and its tid and comm, asked of the
 * host once (two system calls an allocation otherwise).  A fork child
 * starts again (kmemleak_fork_child).
 */
static __thread bool thread_registered;
static __thread int thread_tid;
static __thread char thread_comm[16];

/* ---- metadata ---- */

#define META_CHUNK_ORDER	2

/* A free object's metadata: from the free list, or a new chunk of pages (lock held). */
static struct kmemleak_object *meta_alloc(void)
{
	struct kmemleak_object *o = free_meta;
	struct page *page;
	size_t i, n;
	char *base;

	if (o) {
		free_meta = o->hnext;
		return o;
	}
	page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, META_CHUNK_ORDER);
	if (!page)
		return NULL;
	base = page_address(page);
	n = (PAGE_SIZE << META_CHUNK_ORDER) / sizeof(*o);
	for (i = 1; i < n; i++) {
		struct kmemleak_object *m = (struct kmemleak_object *)base + i;

		m->hnext = free_meta;
		free_meta = m;
	}
	return (struct kmemleak_object *)base;
}

static void meta_free(struct kmemleak_object *o)
{
	o->flags = 0;
	o->hnext = free_meta;
	free_meta = o;
}

/* ---- the hash table ---- */

static inline unsigned int hash_ptr(unsigned long ptr, unsigned int bits)
{
	return (unsigned int)(((ptr >> 4) * 0x9e3779b97f4a7c15UL) >> (64 - bits));
}

static struct kmemleak_object **table_alloc(unsigned int bits)
{
	size_t bytes = sizeof(struct kmemleak_object *) << bits;
	void *t = alloc_pages_exact(bytes, GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);

	return t;
}

/* Twice the buckets once there are two objects a bucket (lock held); kept if no memory. */
static void table_grow(void)
{
	unsigned int bits = hash_bits + 1, i;
	struct kmemleak_object **t;

	if ((sizeof(void *) << bits) > (PAGE_SIZE << MAX_PAGE_ORDER))
		return;
	t = table_alloc(bits);
	if (!t)
		return;
	for (i = 0; i < (1U << hash_bits); i++) {
		struct kmemleak_object *o = hash_table[i], *next;

		for (; o; o = next) {
			unsigned int h = hash_ptr(o->pointer, bits);

			next = o->hnext;
			o->hnext = t[h];
			t[h] = o;
		}
	}
	if (hash_table != boot_buckets)
		free_pages_exact(hash_table, sizeof(void *) << hash_bits);
	hash_table = t;
	hash_bits = bits;
}

static struct kmemleak_object *lookup_exact(unsigned long ptr)
{
	struct kmemleak_object *o = hash_table[hash_ptr(ptr, hash_bits)];

	while (o && o->pointer != ptr)
		o = o->hnext;
	return o;
}

static struct kmemleak_object *unlink_exact(unsigned long ptr)
{
	struct kmemleak_object **pp = &hash_table[hash_ptr(ptr, hash_bits)], *o;

	for (; (o = *pp); pp = &o->hnext)
		if (o->pointer == ptr) {
			*pp = o->hnext;
			WRITE_ONCE(nr_objects, nr_objects - 1);	/* read without the lock too */
			return o;
		}
	return NULL;
}

/* ---- locking: a handler only tries ---- */

static inline bool leak_lock(void)
{
	return spin_lock_or_try(&kmemleak_lock);
}

/* ---- creating and deleting objects ---- */

/* The thread's stack, for the scan: registered once, with any address on it. */
static void register_thread_locked(unsigned long sp)
{
	int tid = thread_tid, i, free_slot = -1;

	for (i = 0; i < MAX_THREADS; i++) {
		if (threads[i].tid == tid) {
			threads[i].sp = sp;
			return;
		}
		if (!threads[i].tid && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0) {
		threads[free_slot].tid = tid;
		threads[free_slot].sp = sp;
	}
}

static noinline void create_object(unsigned long ptr, size_t size, int min_count,
				   unsigned int flags)
{
	unsigned long trace[MAX_TRACE];
	struct kmemleak_object *o;
	unsigned int n;
	bool replaced = false;

	if (!ptr || ZERO_OR_NULL_PTR((void *)ptr))
		return;
	/* Skip create_object and the kmemleak call that led here. */
	n = (unsigned int)arch_stack_trace(trace, MAX_TRACE, 1);
	if (unlikely(!thread_tid)) {
		arch_comm(thread_comm);
		thread_tid = arch_gettid();
	}
	if (!leak_lock()) {
		__atomic_add_fetch(&untracked_allocs, 1, __ATOMIC_RELAXED);
		return;
	}
	if (!thread_registered) {
		thread_registered = true;
		register_thread_locked((unsigned long)__builtin_frame_address(0));
	}
	/*
	 * Already tracked: a block the malloc front end hands out again
	 * whose free the slab hook did not see (a signal handler found the
	 * lock busy), or a caller that tracks what a hook tracked: the newer
	 * allocation wins.
	 */
	o = lookup_exact(ptr);
	if (o) {
		replaced = true;
	} else {
		o = meta_alloc();
		if (!o) {
			spin_unlock(&kmemleak_lock);
			__atomic_add_fetch(&untracked_allocs, 1, __ATOMIC_RELAXED);
			return;
		}
	}
	o->pointer = ptr;
	o->size = size;
	o->min_count = min_count;
	o->count = 0;
	o->flags = OBJECT_ALLOCATED | flags;
	o->checksum = 0;
	o->jiffies = arch_jiffies();
	o->seq = ++object_seq;
	o->pid = thread_tid;
	memcpy(o->comm, thread_comm, sizeof(o->comm));
	o->trace_len = n;
	memcpy(o->trace, trace, n * sizeof(trace[0]));
	o->nr_areas = 0;
	o->gray_next = NULL;
	if (!replaced) {
		unsigned int h = hash_ptr(ptr, hash_bits);

		o->hnext = hash_table[h];
		hash_table[h] = o;
		WRITE_ONCE(nr_objects, nr_objects + 1);
		if (nr_objects > (2UL << hash_bits))
			table_grow();
	}
	if (ptr < min_addr)
		min_addr = ptr;
	if (ptr + size > max_addr)
		max_addr = ptr + size;
	spin_unlock(&kmemleak_lock);
}

/* @warn: the kernel's "Freeing unknown object" for a caller's own call. */
static void delete_object(unsigned long ptr, bool warn)
{
	struct kmemleak_object *o;

	if (!leak_lock())
		return;
	o = unlink_exact(ptr);
	if (o)
		meta_free(o);
	spin_unlock(&kmemleak_lock);
	if (!o && warn)
		pr_warn("Freeing unknown object at 0x%08lx\n", ptr);
}

/* Run @fn on the object at @ptr under the lock; false if there is none. */
static bool with_object(unsigned long ptr, void (*fn)(struct kmemleak_object *o, void *arg),
			void *arg, const char *what)
{
	struct kmemleak_object *o;

	if (!leak_lock())
		return false;
	o = lookup_exact(ptr);
	if (o)
		fn(o, arg);
	spin_unlock(&kmemleak_lock);
	if (!o && what)
		pr_warn("%s: unknown object at 0x%08lx\n", what, ptr);
	return o;
}

static void paint(struct kmemleak_object *o, void *color)
{
	o->min_count = (int)(long)color;
	if (o->min_count == KMEMLEAK_BLACK)
		o->flags |= OBJECT_NO_SCAN;
}

static void set_no_scan(struct kmemleak_object *o, void *unused)
{
	o->flags |= OBJECT_NO_SCAN;
}

static void update_trace(struct kmemleak_object *o, void *trace)
{
	struct leak_record *r = trace;

	o->trace_len = r->trace_len;
	memcpy(o->trace, r->trace, r->trace_len * sizeof(r->trace[0]));
}

static void add_scan_area(struct kmemleak_object *o, void *arg)
{
	const unsigned long *area = arg;	/* pointer, size */
	unsigned long off = area[0] - o->pointer;

	if (area[0] < o->pointer || off + area[1] > o->size) {
		pr_warn("Adding scan area to unknown object at 0x%08lx\n", area[0]);
		return;
	}
	if (o->nr_areas >= MAX_SCAN_AREAS) {
		/* Out of room: scan the whole object, as before any area. */
		o->nr_areas = 0;
		o->flags &= ~OBJECT_NO_SCAN;
		return;
	}
	o->area_off[o->nr_areas] = (unsigned int)off;
	o->area_len[o->nr_areas] = (unsigned int)area[1];
	o->nr_areas++;
}

/* ---- the API ---- */

/* A scan reported leaks; "off" then keeps the objects until "clear" (both under scan_mutex). */
static bool found_leaks, kept_after_off;

static inline bool on(void)
{
	return unlikely(__atomic_load_n(&kmemleak_enabled, __ATOMIC_ACQUIRE));
}

void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp)
{
	if (on() && min_count >= KMEMLEAK_BLACK)
		create_object((unsigned long)ptr, size, min_count,
			      min_count == KMEMLEAK_BLACK ? OBJECT_NO_SCAN : 0);
}

void kmemleak_alloc_percpu(const void __percpu *ptr, size_t size, gfp_t gfp)
{
	if (on())
		create_object((unsigned long)ptr, size, 1, OBJECT_PERCPU);
}

/*
 * The area's vm_struct points at it already (->addr): a second reference,
 * the caller's, is what keeps it, as in the kernel (min_count 2).  The
 * vmap_areas are not tracked, so not scanned (mm/vmalloc.c).
 */
void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp)
{
	if (on() && area)
		create_object((unsigned long)area->addr, size, 2, 0);
}

void kmemleak_free(const void *ptr)
{
	if (on() && !ZERO_OR_NULL_PTR(ptr))
		delete_object((unsigned long)ptr, true);
}

/*
 * Part of a block freed (the kernel splits the object in two around it):
 * here a part at the start or the end shrinks the object, one in the
 * middle keeps the head.
 */
static void shrink(struct kmemleak_object *o, const unsigned long *part)
{
	unsigned long end = o->pointer + o->size;

	if (part[0] + part[1] >= end)
		o->size = part[0] > o->pointer ? part[0] - o->pointer : 0;
	else if (part[0] > o->pointer)
		o->size = part[0] - o->pointer;
}

void kmemleak_free_part(const void *ptr, size_t size)
{
	unsigned long start = (unsigned long)ptr, part[2] = { start, size };
	struct kmemleak_object *o;
	unsigned int i;

	if (!on() || ZERO_OR_NULL_PTR(ptr) || !leak_lock())
		return;
	o = lookup_exact(start);
	if (o) {
		unlink_exact(start);
		if (size >= o->size) {
			meta_free(o);
		} else {
			/* The head freed: the rest is the object now, at its new address. */
			unsigned int h;

			o->pointer += size;
			o->size -= size;
			h = hash_ptr(o->pointer, hash_bits);
			o->hnext = hash_table[h];
			hash_table[h] = o;
			WRITE_ONCE(nr_objects, nr_objects + 1);
		}
	} else {
		/* Not an object's start: the object it lies in keeps its head. */
		for (i = 0; i < (1U << hash_bits) && !o; i++)
			for (o = hash_table[i]; o; o = o->hnext)
				if (start > o->pointer && start < o->pointer + o->size) {
					shrink(o, part);
					break;
				}
	}
	spin_unlock(&kmemleak_lock);
	if (!o)
		pr_warn("Partially freeing unknown object at 0x%08lx (size %zu)\n", start, size);
}

void kmemleak_free_percpu(const void __percpu *ptr)
{
	if (on() && ptr)
		delete_object((unsigned long)ptr, true);
}

void kmemleak_update_trace(const void *ptr)
{
	struct leak_record r;

	if (!on() || ZERO_OR_NULL_PTR(ptr))
		return;
	r.trace_len = (unsigned int)arch_stack_trace(r.trace, MAX_TRACE, 0);
	with_object((unsigned long)ptr, update_trace, &r, "Updating stack trace");
}

void kmemleak_not_leak(const void *ptr)
{
	if (on() && !ZERO_OR_NULL_PTR(ptr))
		with_object((unsigned long)ptr, paint, (void *)(long)KMEMLEAK_GREY,
			    "Not a leak");
}

/* The kernel makes such an object gray for ever too (it has no transient state). */
void kmemleak_transient_leak(const void *ptr)
{
	kmemleak_not_leak(ptr);
}

void kmemleak_ignore(const void *ptr)
{
	if (on() && !ZERO_OR_NULL_PTR(ptr))
		with_object((unsigned long)ptr, paint, (void *)(long)KMEMLEAK_BLACK, "Ignoring");
}

void kmemleak_ignore_percpu(const void __percpu *ptr)
{
	kmemleak_ignore(ptr);
}

void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp)
{
	unsigned long area[2] = { (unsigned long)ptr, size };
	struct kmemleak_object *o = NULL;
	unsigned int i;

	if (!on() || !size || ZERO_OR_NULL_PTR(ptr) || !leak_lock())
		return;
	/* The area may start anywhere inside its object. */
	for (i = 0; i < (1U << hash_bits) && !o; i++)
		for (o = hash_table[i]; o; o = o->hnext)
			if (area[0] >= o->pointer && area[0] < o->pointer + o->size)
				break;
	if (o)
		add_scan_area(o, area);
	spin_unlock(&kmemleak_lock);
	if (!o)
		pr_warn("Adding scan area to unknown object at 0x%08lx\n", area[0]);
}

void kmemleak_no_scan(const void *ptr)
{
	if (on() && !ZERO_OR_NULL_PTR(ptr))
		with_object((unsigned long)ptr, set_no_scan, NULL, "Not scanning");
}

/* Physical ranges (memblock's): scanned, never reported, as the kernel's. */
void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp)
{
	if (on() && phys < ukmem_ram_size)
		create_object((unsigned long)__va(phys), size, KMEMLEAK_GREY, OBJECT_PHYS);
}

void kmemleak_free_part_phys(phys_addr_t phys, size_t size)
{
	if (on() && phys < ukmem_ram_size)
		kmemleak_free_part(__va(phys), size);
}

void kmemleak_ignore_phys(phys_addr_t phys)
{
	if (on() && phys < ukmem_ram_size)
		kmemleak_ignore(__va(phys));
}

/* ---- the allocator's hooks (mm/internal.h) ---- */

void __kmemleak_hook_alloc(const void *ptr, size_t size)
{
	create_object((unsigned long)ptr, size, 1, 0);
}

/* The block may never have been tracked (allocated before the boot published us). */
void __kmemleak_hook_free(const void *ptr)
{
	delete_object((unsigned long)ptr, false);
}

/* ---- the scan ---- */

struct scan_state {
	struct kmemleak_object **index;	/* by address, nr of them */
	unsigned long nr;
	struct kmemleak_object *gray_head, *gray_tail;
	unsigned long *buf;		/* a copy of another thread's stack, in pages */
	size_t buf_size;
	unsigned long *segments;	/* start, end pairs */
	unsigned int nr_segments, max_segments;
	unsigned long stack_lo, stack_hi;	/* the scanning thread's */
};

/* The object @ptr points into, by binary search of the index. */
static struct kmemleak_object *lookup_inside(struct scan_state *st, unsigned long ptr)
{
	unsigned long lo = 0, hi = st->nr;

	while (lo < hi) {
		unsigned long mid = (lo + hi) / 2;
		struct kmemleak_object *o = st->index[mid];

		if (ptr < o->pointer)
			hi = mid;
		else if (ptr >= o->pointer + (o->size ? o->size : 1))
			lo = mid + 1;
		else
			return o;
	}
	return NULL;
}

static void make_gray(struct scan_state *st, struct kmemleak_object *o)
{
	if (o->flags & OBJECT_GRAY)
		return;
	o->flags |= OBJECT_GRAY;
	o->gray_next = NULL;
	if (st->gray_tail)
		st->gray_tail->gray_next = o;
	else
		st->gray_head = o;
	st->gray_tail = o;
}

/*
 * Every aligned word in [start, end) that points into a white object is
 * a reference to it; @self (the object being scanned) does not count.
 * Words are read once each, marked: other threads may be writing them.
 * Conservative: any word may look like a pointer, so a leak can hide
 * behind an integer, never the other way round.
 */
/*
 * Reads ASan's red zones between globals, and words other threads are
 * writing (the scan is conservative: the kernel exempts it from KCSAN the
 * same way), so neither sanitizer instruments it.
 */
__attribute__((no_sanitize_address, no_sanitize_thread))
static void scan_block(struct scan_state *st, const void *start, const void *end,
		       struct kmemleak_object *self)
{
	const unsigned long *p = PTR_ALIGN((const unsigned long *)start, sizeof(long));
	unsigned long lo = min_addr, hi = max_addr;

	for (; (const void *)(p + 1) <= end; p++) {
		unsigned long v = READ_ONCE(*p);
		struct kmemleak_object *o;

		if (v < lo || v >= hi)
			continue;
		o = lookup_inside(st, v);
		if (!o || o == self || o->min_count == KMEMLEAK_BLACK)
			continue;
		/* The kernel's update_refs(): only a white object counts them. */
		if (o->count < o->min_count && ++o->count >= o->min_count)
			make_gray(st, o);
	}
}

/* A data segment, without kmemleak's own bounds. */
static void scan_segment(struct scan_state *st, unsigned long start, unsigned long end)
{
	unsigned long skip = (unsigned long)&bounds, skip_end = skip + sizeof(bounds);

	if (skip >= start && skip_end <= end) {
		scan_block(st, (void *)start, (void *)skip, NULL);
		scan_block(st, (void *)skip_end, (void *)end, NULL);
		return;
	}
	scan_block(st, (void *)start, (void *)end, NULL);
}

/*
 * Every CPU's copy of every DEFINE_PER_CPU section, as the kernel scans
 * __per_cpu_start..__per_cpu_end of each possible CPU: the variables live
 * there, not in the object's own section, which keeps only the template.
 */
static void scan_static_percpu(struct scan_state *st)
{
	unsigned int i, n = READ_ONCE(ukmem_pcpu_nr_sections);
	int cpu;

	for (i = 0; i < n; i++) {
		const struct ukmem_pcpu_section *sec = &ukmem_pcpu_sections[i];

		for_each_possible_cpu(cpu) {
			unsigned long copy = sec->start + (unsigned long)sec->delta +
					     __per_cpu_offset(cpu);

			scan_block(st, (void *)copy, (void *)(copy + sec->size), NULL);
		}
	}
}

/* Another thread's whole stack mapping, copied a buffer at a time (gone: nothing). */
static void scan_remote(struct scan_state *st, unsigned long start, unsigned long end)
{
	unsigned long at;

	for (at = start; at < end; at += st->buf_size) {
		size_t len = min_t(unsigned long, st->buf_size, end - at);
		long n = arch_self_read(at, st->buf, len);

		if (n <= 0)
			continue;	/* the guard page, or the thread left */
		scan_block(st, st->buf, (char *)st->buf + n, NULL);
	}
}

static void scan_object(struct scan_state *st, struct kmemleak_object *o)
{
	unsigned int i, cpu;

	if (o->flags & OBJECT_NO_SCAN)
		return;
	if (o->flags & OBJECT_PERCPU) {
		for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
			const char *p = per_cpu_ptr((const char *)o->pointer, cpu);

			scan_block(st, p, p + o->size, o);
		}
		return;
	}
	if (!o->nr_areas) {
		scan_block(st, (void *)o->pointer, (char *)o->pointer + o->size, o);
		return;
	}
	for (i = 0; i < o->nr_areas; i++) {
		const char *a = (const char *)o->pointer + o->area_off[i];

		scan_block(st, a, a + o->area_len[i], o);
	}
}

static u32 object_checksum(const struct kmemleak_object *o)
{
	unsigned int cpu;
	u32 crc = 0;

	if (o->flags & OBJECT_NO_SCAN)
		return 0;
	if (o->flags & OBJECT_PERCPU) {
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			crc = crc32_le(crc, per_cpu_ptr((const u8 *)o->pointer, cpu),
				       o->size);
		return crc;
	}
	return crc32_le(0, (const void *)o->pointer, o->size);
}

/* The kernel's update_checksum(): true if the contents changed since the last scan. */
static bool update_checksum(struct kmemleak_object *o)
{
	u32 old = o->checksum;

	o->checksum = object_checksum(o);
	return o->checksum != old;
}

/* The index in address order (lib/sort.c: libc's qsort may allocate). */
static int by_address(const void *a, const void *b)
{
	unsigned long pa = (*(struct kmemleak_object *const *)a)->pointer;
	unsigned long pb = (*(struct kmemleak_object *const *)b)->pointer;

	return pa < pb ? -1 : pa > pb;
}

static int collect_segment(unsigned long start, unsigned long end, void *arg)
{
	struct scan_state *st = arg;

	if (st->nr_segments < st->max_segments) {
		st->segments[2 * st->nr_segments] = start;
		st->segments[2 * st->nr_segments + 1] = end;
		st->nr_segments++;
	}
	return 0;
}

static void *buf_alloc(size_t bytes)
{
	return alloc_pages_exact(bytes, GFP_KERNEL | __GFP_NOWARN);
}

static void buf_free(void *p, size_t bytes)
{
	if (p)
		free_pages_exact(p, bytes);
}

#define SEGMENTS_BYTES		(16 * PAGE_SIZE)
#define STACK_BUF_BYTES		(16 * PAGE_SIZE)

/*
 * The index and buffers, before the lock: sized for the objects there are
 * now, with room for those made until the lock is taken.
 */
static int scan_prepare(struct scan_state *st, size_t *index_bytes)
{
	unsigned long want = __atomic_load_n(&nr_objects, __ATOMIC_RELAXED);

	memset(st, 0, sizeof(*st));
	want += want / 4 + 1024;
	*index_bytes = want * sizeof(void *);
	st->index = vmalloc(*index_bytes);
	kmemleak_ignore(st->index);	/* tracked as any vmalloc: never scanned */
	st->segments = buf_alloc(SEGMENTS_BYTES);
	st->buf = buf_alloc(STACK_BUF_BYTES);
	st->buf_size = STACK_BUF_BYTES;
	if (!st->index || !st->segments || !st->buf)
		return -ENOMEM;
	st->max_segments = SEGMENTS_BYTES / (2 * sizeof(unsigned long));
	arch_writable_segments(collect_segment, st);
	return 0;
}

static void scan_release(struct scan_state *st)
{
	vfree(st->index);
	buf_free(st->segments, SEGMENTS_BYTES);
	buf_free(st->buf, STACK_BUF_BYTES);
}

/*
 * Roots, then the gray objects, then the checksums (lock held).  @final:
 * the scan at exit, which reports every unreferenced object.
 */
static int scan_locked(struct scan_state *st, unsigned long capacity, const void *sp,
		       bool final)
{
	unsigned long now = arch_jiffies(), min_age = (unsigned long)kmemleak_min_age_ms * HZ / 1000;
	struct kmemleak_object *o;
	unsigned int i;
	int new_leaks = 0;

	if (nr_objects > capacity)
		return -EAGAIN;
	/* Every object white (gray from the start if min_count is 0), indexed. */
	st->nr = 0;
	for (i = 0; i < (1U << hash_bits); i++)
		for (o = hash_table[i]; o; o = o->hnext) {
			o->count = 0;
			o->flags &= ~OBJECT_GRAY;
			st->index[st->nr++] = o;
		}
	ukmem_sort(st->index, st->nr, sizeof(*st->index), by_address);
	for (i = 0; i < st->nr; i++)
		if (st->index[i]->min_count == KMEMLEAK_GREY)
			make_gray(st, st->index[i]);

	/* The data and bss of every loaded object. */
	for (i = 0; i < st->nr_segments; i++)
		scan_segment(st, st->segments[2 * i], st->segments[2 * i + 1]);
	scan_static_percpu(st);

	/* This thread's stack from the scan's frame up; the others', whole. */
	if (stack_scan) {
		int self = arch_gettid();

		scan_block(st, sp, (void *)st->stack_hi, NULL);
		for (i = 0; i < MAX_THREADS; i++) {
			unsigned long lo, hi;

			if (!threads[i].tid || threads[i].tid == self)
				continue;
			if (!arch_thread_alive(threads[i].tid)) {
				threads[i].tid = 0;
				continue;
			}
			if (arch_mapping_of(threads[i].sp, &lo, &hi))
				scan_remote(st, lo, hi);
		}
	}

	/* The gray objects, and those they make gray in turn. */
	for (;;) {
		while ((o = st->gray_head)) {
			st->gray_head = o->gray_next;
			if (!st->gray_head)
				st->gray_tail = NULL;
			scan_object(st, o);
		}
		if (final)
			break;
		/*
		 * A white object whose contents changed since the last scan
		 * may be in the middle of being linked: not reported this
		 * time, and what it points to is scanned as if it were gray.
		 */
		for (i = 0; i < st->nr; i++) {
			o = st->index[i];
			if (o->count < o->min_count && !(o->flags & OBJECT_GRAY) &&
			    update_checksum(o))
				make_gray(st, o);
		}
		if (!st->gray_head)
			break;
	}

	jiffies_last_scan = now;
	for (i = 0; i < st->nr; i++) {
		o = st->index[i];
		if (o->min_count == KMEMLEAK_BLACK || o->count >= o->min_count ||
		    (o->flags & OBJECT_GRAY))
			continue;
		if (!final && now - o->jiffies < min_age)
			continue;
		if (final)
			o->checksum = object_checksum(o);
		if (!(o->flags & OBJECT_REPORTED)) {
			o->flags |= OBJECT_REPORTED;
			/*
			 * The kernel prints it here, under the object's
			 * lock; here it is copied out and logged after the
			 * scan.  The exit report writes every leak anyway.
			 */
			if (kmemleak_verbose && !final)
				o->flags |= OBJECT_LOG;
			new_leaks++;
		}
	}
	total_leaks += (unsigned long)new_leaks;
	return new_leaks;
}

/* The kernel's unreferenced_object(), for the report: as the last scan left it. */
static bool reported_unreferenced(const struct kmemleak_object *o)
{
	return (o->flags & OBJECT_REPORTED) && o->min_count != KMEMLEAK_BLACK &&
	       !(o->flags & OBJECT_GRAY) && o->count < o->min_count;
}

static unsigned long show_reported(FILE *m, bool log);

/*
 * One scan: 0 or more new leaks, or -errno.  noinline, and the registers
 * spilled first: the scan reads this thread's stack from here up, so the
 * callers' frames and the callee-saved registers are roots, the scan's
 * own locals are not.
 */
static noinline int kmemleak_scan(bool final)
{
	struct scan_state st;
	size_t index_bytes;
	unsigned long lo;
	volatile unsigned long marker = 0;
	int ret;

	/* The caller's callee-saved registers, saved by this frame's prologue. */
	__builtin_unwind_init();
	for (;;) {
		ret = scan_prepare(&st, &index_bytes);
		if (ret)
			break;
		if (!arch_mapping_of((unsigned long)&marker, &lo, &st.stack_hi))
			st.stack_hi = (unsigned long)&marker;
		spin_lock(&kmemleak_lock);
		ret = scan_locked(&st, index_bytes / sizeof(void *), (const void *)&marker, final);
		spin_unlock(&kmemleak_lock);
		if (ret != -EAGAIN)
			break;
		scan_release(&st);
	}
	scan_release(&st);
	/* kmemleak.verbose: the new ones, before the count, as the kernel logs them. */
	if (ret > 0 && kmemleak_verbose)
		show_reported(NULL, true);
	if (ret > 0) {
		found_leaks = true;
		pr_info("%d new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n", ret);
	}
	return ret;
}

/* ---- the report ---- */

#define RECORDS_BYTES	(8 * PAGE_SIZE)

static void snapshot(struct leak_record *r, const struct kmemleak_object *o)
{
	r->pointer = o->pointer;
	r->size = o->size;
	r->pid = o->pid;
	memcpy(r->comm, o->comm, sizeof(r->comm));
	r->jiffies = o->jiffies;
	r->checksum = o->checksum;
	r->trace_len = o->trace_len;
	memcpy(r->trace, o->trace, o->trace_len * sizeof(o->trace[0]));
	r->dump_len = (unsigned int)min_t(size_t, o->size, HEX_MAX_BYTES);
	r->flags = o->flags & (OBJECT_PERCPU | OBJECT_PHYS);
	/* A per-CPU object: this CPU's copy, as the kernel's this_cpu_ptr(). */
	r->cpu = raw_smp_processor_id();
	const void *src = o->flags & OBJECT_PERCPU ? per_cpu_ptr((const u8 *)o->pointer, r->cpu) :
						    (const void *)o->pointer;

	if (!kept_after_off)
		memcpy(r->dump, src, r->dump_len);
	/* Off, its frees untracked: the block may be gone, even unmapped. */
	else if (copy_from_kernel_nofault(r->dump, src, r->dump_len))
		r->dump_len = 0;
}

/*
 * One line of a report: to @m (the debugfs file), or with no @m to the
 * log, each line a pr_warn() with the "kmemleak: " prefix (the kernel's
 * warn_or_seq_printf() with no seq_file).
 */
static __printf(2, 3) void report_line(FILE *m, const char *fmt, ...)
{
	char line[320];
	va_list ap;

	va_start(ap, fmt);
	if (m) {
		vfprintf(m, fmt, ap);
	} else {
		vscnprintf(line, sizeof(line), fmt, ap);
		pr_warn("%s", line);
	}
	va_end(ap);
}

/* The kernel's print_unreferenced(). */
static void print_record(FILE *m, const struct leak_record *r)
{
	char line[16 * 3 + 2 + 16 + 1];
	unsigned int i;

	report_line(m, "unreferenced object%s 0x%08lx (size %zu):\n",
		    r->flags & OBJECT_PHYS ? " (phys)" : r->flags & OBJECT_PERCPU ? " (percpu)" : "",
		    r->pointer, r->size);
	report_line(m, "  comm \"%s\", pid %d, jiffies %lu\n", r->comm, r->pid, r->jiffies);
	if (r->flags & OBJECT_PERCPU)
		report_line(m, "  hex dump (first %u bytes on cpu %d):\n", r->dump_len, r->cpu);
	else
		report_line(m, "  hex dump (first %u bytes):\n", r->dump_len);
	for (i = 0; i < r->dump_len; i += 16) {
		hex_dump_to_buffer(r->dump + i, min(16U, r->dump_len - i), 16, 1, line,
				   sizeof(line), true);
		report_line(m, "    %s\n", line);
	}
	report_line(m, "  backtrace (crc %x):\n", r->checksum);	/* then "    %pS" lines (v6.2+) */
	for (i = 0; i < r->trace_len; i++) {
		char sym[256];

		scnprintf(sym, sizeof(sym), "%pS", (void *)r->trace[i]);
		report_line(m, "    %s\n", sym);
	}
}

/* Which objects show_reported() writes: the file's, or the new ones for the log. */
static bool report_selected(struct kmemleak_object *o, bool log)
{
	return log ? (o->flags & OBJECT_LOG) && reported_unreferenced(o) :
		     reported_unreferenced(o);
}

/* An object a report pass picked, by allocation order. */
struct report_pick {
	u64 seq;
	struct kmemleak_object *o;
};

/*
 * Keep the @max earliest objects seen in @picks (sorted by seq, @n of
 * them so far); returns false when @o did not fit (another pass needed).
 */
static bool pick_earliest(struct report_pick *picks, unsigned int *n, unsigned int max,
			  struct kmemleak_object *o)
{
	unsigned int i = *n;
	bool fit = true;

	if (i == max) {
		if (o->seq > picks[max - 1].seq)
			return false;
		i--;		/* the latest one drops out */
		fit = false;
	} else {
		(*n)++;
	}
	for (; i > 0 && picks[i - 1].seq > o->seq; i--)
		picks[i] = picks[i - 1];
	picks[i].seq = o->seq;
	picks[i].o = o;
	return fit;
}

/*
 * Every reported object still unreferenced, in the order they were
 * allocated, as the kernel lists its object_list ("one object at the
 * beginning of the list may cause other subsequent objects to be
 * reported", kmemleak.rst).  Copied out under the lock a pass of the
 * earliest not yet shown at a time, and written after it.  @log: only
 * those the last scan marked for kmemleak.verbose, to the log (@m NULL),
 * and unmarked.  scan_mutex held.
 */
static unsigned long show_reported(FILE *m, bool log)
{
	struct leak_record *recs = buf_alloc(RECORDS_BYTES);
	unsigned int max = RECORDS_BYTES / sizeof(*recs), n, i, bucket;
	struct report_pick *picks = buf_alloc(PAGE_SIZE * 2);
	unsigned long shown = 0;
	u64 after = 0;
	bool more;

	if (!recs || !picks) {
		if (recs)
			buf_free(recs, RECORDS_BYTES);
		if (picks)
			buf_free(picks, PAGE_SIZE * 2);
		return 0;
	}
	max = min_t(unsigned int, max, PAGE_SIZE * 2 / sizeof(*picks));
	do {
		struct kmemleak_object *o;

		n = 0;
		more = false;
		spin_lock(&kmemleak_lock);
		for (bucket = 0; bucket < (1U << hash_bits); bucket++)
			for (o = hash_table[bucket]; o; o = o->hnext)
				if (o->seq > after && report_selected(o, log) &&
				    !pick_earliest(picks, &n, max, o))
					more = true;
		for (i = 0; i < n; i++) {
			snapshot(&recs[i], picks[i].o);
			picks[i].o->flags &= ~OBJECT_LOG;
		}
		spin_unlock(&kmemleak_lock);
		for (i = 0; i < n; i++)
			print_record(m, &recs[i]);
		if (n)
			after = picks[n - 1].seq;
		shown += n;
	} while (more && n);
	buf_free(recs, RECORDS_BYTES);
	buf_free(picks, PAGE_SIZE * 2);
	return shown;
}

static void kmemleak_show(FILE *m)
{
	if (!on() && !READ_ONCE(kept_after_off))
		return;
	mutex_lock(&scan_mutex);
	show_reported(m, false);
	mutex_unlock(&scan_mutex);
}

/* The kernel's kmemleak_clear(): reported leaks are forgotten (gray for good). */
static void kmemleak_clear(void)
{
	struct kmemleak_object *o;
	unsigned int i;

	spin_lock(&kmemleak_lock);
	for (i = 0; i < (1U << hash_bits); i++)
		for (o = hash_table[i]; o; o = o->hnext)
			if (reported_unreferenced(o))
				o->min_count = KMEMLEAK_GREY;
	spin_unlock(&kmemleak_lock);
	found_leaks = false;
}

/* Every object forgotten, its metadata freed (the kernel's __kmemleak_do_cleanup). */
static void forget_all(void)
{
	struct kmemleak_object *o, *next;
	unsigned int i;

	spin_lock(&kmemleak_lock);
	for (i = 0; i < (1U << hash_bits); i++) {
		for (o = hash_table[i]; o; o = next) {
			next = o->hnext;
			meta_free(o);
		}
		hash_table[i] = NULL;
	}
	WRITE_ONCE(nr_objects, 0);
	WRITE_ONCE(kept_after_off, false);
	spin_unlock(&kmemleak_lock);
}

/*
 * "off": nothing tracked any more (kmemleak_disable, then the cleanup
 * work).  As in the kernel, once a scan has found leaks the objects stay,
 * so that the report can still be read, until "clear".
 */
static void kmemleak_off(void)
{
	__atomic_store_n(&kmemleak_enabled, false, __ATOMIC_RELEASE);
	pr_info("Kernel memory leak detector disabled\n");
	if (found_leaks) {
		WRITE_ONCE(kept_after_off, true);
		pr_info("Kmemleak disabled without freeing internal data. Reclaim the memory with \"echo clear > /sys/kernel/debug/kmemleak\".\n");
		return;
	}
	forget_all();
}

/*
 * An object's flags with the kernel's values, as dump= prints them
 * (OBJECT_FULL_SCAN at 1 << 3 moves PHYS and PERCPU up one; the scan's
 * own GRAY and LOG marks are none of the kernel's).
 */
static unsigned int kernel_flags(unsigned int flags)
{
	return (flags & (OBJECT_ALLOCATED | OBJECT_REPORTED | OBJECT_NO_SCAN)) |
	       (flags & OBJECT_PHYS ? 1U << 4 : 0) | (flags & OBJECT_PERCPU ? 1U << 5 : 0);
}

/*
 * A number as the kernel's kstrtoul() reads one from a debugfs write:
 * base 0, the whole string, one trailing newline allowed; -EINVAL, or
 * -ERANGE for a number too large.
 */
static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == ' ' || *s == '\t')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 0);
	if (end == s)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

/* "dump=<addr>": the kernel's dump_object_info(), to the log. */
static int kmemleak_dump(const char *arg)
{
	struct leak_record r;
	struct kmemleak_object *o;
	unsigned long addr;
	int min_count = 0, count = 0;
	unsigned int flags = 0, i;

	if (parse_ulong(arg, &addr))
		return -EINVAL;
	spin_lock(&kmemleak_lock);
	o = lookup_exact(addr);
	if (o) {
		snapshot(&r, o);
		min_count = o->min_count;
		count = o->count;
		flags = kernel_flags(o->flags);
	}
	spin_unlock(&kmemleak_lock);
	if (!o) {
		pr_info("Unknown object at 0x%08lx\n", addr);
		return -EINVAL;
	}
	pr_notice("Object 0x%08lx (size %zu):\n", r.pointer, r.size);
	pr_notice("  comm \"%s\", pid %d, jiffies %lu\n", r.comm, r.pid, r.jiffies);
	pr_notice("  min_count = %d\n", min_count);
	pr_notice("  count = %d\n", count);
	pr_notice("  flags = 0x%x\n", flags);
	pr_notice("  checksum = %u\n", r.checksum);
	pr_notice("  backtrace:\n");
	/* stack_depot_print(): each frame " %pS", no prefix. */
	for (i = 0; i < r.trace_len; i++)
		printk(KERN_NOTICE " %pS\n", (void *)r.trace[i]);
	return 0;
}

/**
 * kmemleak_write - a command, as written to /sys/kernel/debug/kmemleak.
 * @cmd: "scan", "clear", "off", "stack=on", "stack=off", "scan=off",
 *	"scan=0", "dump=<address>".  "scan=on" and "scan=<secs>" (the
 *	kernel's periodic scanning thread) are refused: ukmem scans on demand
 *	and at exit.
 *
 * Matched as the kernel's kmemleak_write() matches: each command is a
 * prefix of what was written (so "scan\n" is "scan"), tried in the
 * kernel's order.  "clear" works with kmemleak off too: it frees what
 * "off" kept (the objects of a run that found leaks).
 *
 * May sleep.  0 or -errno (-EINVAL for an unknown command or a bad
 * number, -EPERM when kmemleak is off, -EOPNOTSUPP for the scanning
 * thread).
 */
/* scan=<secs>: kstrtouint()'s answers, then 0 is scan=off, others the thread. */
static int scan_secs(const char *arg, unsigned long *secs)
{
	int ret = parse_ulong(arg, secs);

	if (ret)
		return ret;
	if (*secs > UINT_MAX)
		return -ERANGE;
	return *secs ? -EOPNOTSUPP : 0;
}

int kmemleak_write(const char *cmd)
{
	unsigned long secs;
	int ret = 0;

	if (!strncmp(cmd, "clear", 5)) {
		if (!on()) {
			mutex_lock(&scan_mutex);
			if (kept_after_off)
				forget_all();
			mutex_unlock(&scan_mutex);
			return 0;
		}
		mutex_lock(&scan_mutex);
		kmemleak_clear();
		mutex_unlock(&scan_mutex);
		return 0;
	}
	if (!on())
		return -EPERM;
	mutex_lock(&scan_mutex);
	if (!strncmp(cmd, "off", 3))
		kmemleak_off();
	else if (!strncmp(cmd, "stack=on", 8))
		stack_scan = 1;
	else if (!strncmp(cmd, "stack=off", 9))
		stack_scan = 0;
	else if (!strncmp(cmd, "scan=on", 7))
		ret = -EOPNOTSUPP;
	else if (!strncmp(cmd, "scan=off", 8))
		ret = 0;
	else if (!strncmp(cmd, "scan=", 5))
		/* scan=0 stops the thread and starts none: scan=off. */
		ret = scan_secs(cmd + 5, &secs);
	else if (!strncmp(cmd, "scan", 4))
		ret = kmemleak_scan(false) < 0 ? -ENOMEM : 0;
	else if (!strncmp(cmd, "dump=", 5))
		ret = kmemleak_dump(cmd + 5);
	else
		ret = -EINVAL;
	mutex_unlock(&scan_mutex);
	return ret;
}

/**
 * kmemleak_exit_report - the last scan, and every unreferenced object.
 * @m: where the report goes.
 *
 * For `ukmem run --leaks` at the program's exit: no minimum age, no
 * second scan (there is none to wait for).  Returns the number of
 * suspected leaks written, or -EPERM when kmemleak is off.
 */
long kmemleak_exit_report(FILE *m)
{
	long shown;
	int ret;

	if (!on())
		return -EPERM;
	mutex_lock(&scan_mutex);
	ret = kmemleak_scan(true);
	shown = (long)show_reported(m, false);
	mutex_unlock(&scan_mutex);
	if (ret < 0)
		return ret;
	if (shown)
		fprintf(m, "kmemleak: %ld new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n",
			shown);
	else
		fprintf(m, "kmemleak: no suspected memory leaks\n");
	return shown;
}

/* For tests: objects tracked now, and allocations that could not be. */
void kmemleak_counts(unsigned long *objects, unsigned long *untracked)
{
	*objects = __atomic_load_n(&nr_objects, __ATOMIC_RELAXED);
	*untracked = __atomic_load_n(&untracked_allocs, __ATOMIC_RELAXED);
}

/* ---- fork and boot ---- */

/* The child has only the forking thread: the others' stacks are gone. */
static void kmemleak_fork_child(void)
{
	int self = arch_gettid(), i;

	thread_registered = false;
	thread_tid = 0;
	for (i = 0; i < MAX_THREADS; i++)
		if (threads[i].tid != self)
			threads[i].tid = 0;
}

static const struct fork_step kmemleak_fork_steps[] = {
	{ .name = "kmemleak_scan", .order = FORK_ORDER_KMEMLEAK_SCAN, .mutex = &scan_mutex },
	{ .name = "kmemleak", .order = FORK_ORDER_KMEMLEAK, .spinlock = &kmemleak_lock,
	  .child = kmemleak_fork_child },
};

/*
 * kmemleak_init - from the slab allocator's boot (slab_harden_init), once
 * the page allocator is up: the table, then the hooks published.
 */
void kmemleak_init(void)
{
	if (!kmemleak_param || kmemleak_enabled)
		return;
	fork_register_step(&kmemleak_fork_steps[0]);
	fork_register_step(&kmemleak_fork_steps[1]);
	ukmem_register_report("kmemleak", kmemleak_show);
	__atomic_store_n(&kmemleak_enabled, true, __ATOMIC_RELEASE);
	pr_info("Kernel memory leak detector initialized (mem pool available: %lu)\n",
		(unsigned long)((PAGE_SIZE << META_CHUNK_ORDER) / sizeof(struct kmemleak_object)));
}
