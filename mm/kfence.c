/* SPDX-License-Identifier: MIT */
/*
 * mm/kfence.c - KFENCE, the sampled guard-page allocator (the kernel's
 * mm/kfence/core.c; the reports and files are in mm/kfence_report.c).
 *
 * Design:
 *
 * 1. The pool is 2 * (kfence.num_objects + 1) pages of RAM reserved from
 *    memblock at boot, before the page allocator gets the rest (as the
 *    kernel's), so a KFENCE object is in the linear map like any kmalloc
 *    object: virt_to_page(), __pa() and the DMA API work on it.  Pages 0
 *    and 1 are guards; object i owns page 2 * (i + 1) and every odd page is
 *    a guard page shared by two neighbours.  The whole pool starts
 *    inaccessible (arch_protect_none); an object page is made read-write
 *    when it is handed out and inaccessible again when it is freed; guard
 *    pages stay inaccessible until a reported fault opens one (as the
 *    kernel does).  The pages are not marked as slab pages: virt_to_slab()
 *    of a KFENCE object is NULL, and the paths that need its cache ask
 *    is_kfence_address() first.
 * 2. An object sits at the left edge of its page or, every other
 *    allocation, at the right edge (rounded down to the cache's
 *    alignment), so overflows on either side reach a guard page at once.
 *    The rest of the page is a canary pattern (KFENCE_CANARY_PATTERN),
 *    checked when the object is freed: writes that stay inside the page
 *    are reported as memory corruption then.
 * 3. Sampling.  Every kfence.sample_interval ms the allocation gate opens
 *    and the next slab allocation, of any cache and any caller (kmalloc,
 *    kmem_cache_alloc, the malloc front end), is served from the pool.
 *    The kernel's timer is a delayed work; a program of the kernel API
 *    gets a timer thread like it (kfence_timer_start).  A library may not
 *    add a thread to the programs it is preloaded into, so on the malloc
 *    front end only the slab slow paths
 *    (sheaf refill and flush: every few dozen allocations or frees of a
 *    cache) read the cycle counter (arch_cycles: one instruction) against
 *    a deadline and, once it passed, read the clock.  An open gate sets
 *    every bit of slab_fast.alloc_hook_gfp, the fast path's existing test
 *    for __GFP_ZERO: no instruction is added to the allocation fast path,
 *    and a closed gate costs the fast paths nothing.
 * 4. Frees: a KFENCE object's page is no slab page, so kfree(),
 *    kmem_cache_free() and free() leave their fast path at its PageSlab
 *    test and ask is_kfence_address() on the slow path (a large kmalloc's,
 *    a foreign object's, the front end's lookup).  An object's state (allocated / freed) is in its metadata, so a
 *    double free is an "invalid free" before anything is read through it.
 * 5. Faults: arch_fault_handler_install() gives SIGSEGV and SIGBUS to
 *    kfence_handle_page_fault(); addresses outside the pool go on to the
 *    handler installed before.  The report names the access's function
 *    from the signal context's instruction pointer.
 *
 * Lock order: kfence_lock is a leaf (LOCK_RANK_KFENCE): it guards the
 * freelist and every object's state, page protection and tracks; nothing
 * is allocated or printed under it (stacks are taken before it, reports
 * print copies after it).  In a signal handler it is only tried: an
 * allocation then skips KFENCE, a free is parked on a lockless stack that
 * the next holder of the lock completes.  Fork: one step (FORK_ORDER_KFENCE)
 * takes kfence_lock; the child keeps the pool, which is private memory.
 */
#include <errno.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <ukmem/context.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/kfence.h"
#include "mm/slab.h"

/*
 * kfence.sample_interval= (ms, default 100; 0: off) and kfence.num_objects=
 * (default 255), read at boot (kernel/params.c).  ASan builds default to
 * off: ASan sees every object already, and its own SIGSEGV handling and
 * shadow memory make a second checker only noise.
 */
#define KFENCE_DEFAULT_INTERVAL	(SLAB_ASAN ? 0 : 100)
unsigned long kfence_sample_interval = KFENCE_DEFAULT_INTERVAL;
unsigned int kfence_num_objects = 255;

char *__kfence_pool;
unsigned long kfence_pool_size;
struct kfence_metadata *kfence_metadata;
int kfence_allocation_gate;
long kfence_counters[KFENCE_COUNTER_COUNT];

static DEFINE_SPINLOCK_RANKED(kfence_lock, LOCK_RANK_KFENCE);
static LIST_HEAD(kfence_freelist);
/*
 * The objects never handed out are kfence_metadata[kfence_fresh..]: taken
 * in index order before the free list, which is the order the kernel's
 * initial free list gives, without writing 255 metadata entries (300 KB,
 * 75 page faults) at the boot of every preloaded process.  Under
 * kfence_lock.
 */
static unsigned int kfence_fresh;
static size_t metadata_bytes;
static bool kfence_enabled;
/* No gate opens any more: a freed object's page could not be protected. */
static int kfence_sampling_off;
static u64 kfence_start_ns;
/* Frees a signal handler could not complete: index + 1 of the newest. */
static int deferred_head;
/* Which side the next object goes to (alternating). */
static unsigned int next_side;

/* The sampling timer (design 3). */
u64 kfence_next_check = ~0ULL;		/* arch_cycles() deadline */
static u64 kfence_next_ns;		/* arch_clock_ns() deadline */
static u64 kfence_interval_ns;
static unsigned long saved_hook_gfp;	/* slab_fast.alloc_hook_gfp without the gate */

static inline void counter_inc(enum kfence_counter_id id)
{
	__atomic_add_fetch(&kfence_counters[id], 1, __ATOMIC_RELAXED);
}

static inline void counter_dec(enum kfence_counter_id id)
{
	__atomic_sub_fetch(&kfence_counters[id], 1, __ATOMIC_RELAXED);
}

u64 kfence_clock_ns(void)
{
	return arch_clock_ns() - kfence_start_ns;
}

/* ---- the pool ---- */

static inline char *object_page(const struct kfence_metadata *meta)
{
	return __kfence_pool + (size_t)(2 * (meta->index + 1)) * PAGE_SIZE;
}

struct kfence_metadata *addr_to_metadata(unsigned long addr)
{
	unsigned long page = (addr - (unsigned long)__kfence_pool) >> PAGE_SHIFT;

	if (!is_kfence_address((void *)addr) || page < 2 || (page & 1))
		return NULL;
	return &kfence_metadata[page / 2 - 1];
}

/*
 * The index of @meta from its place in the array: an object never handed
 * out has no index written yet (kfence_fresh), so a copy for a report, or
 * the deferred free list, must not take meta->index on trust.
 */
static inline int meta_slot(const struct kfence_metadata *meta)
{
	return (int)(meta - kfence_metadata);
}

/*
 * *@copy = *@meta, its index right even for an object never handed out.
 * Not the rcu_head: while the object waits for its grace period the RCU
 * thread links other callbacks through it, under no lock of ours (a copy
 * read it while "rcu freeing" was being reported: a data race).
 */
static inline void copy_meta(struct kfence_metadata *copy, const struct kfence_metadata *meta)
{
	const size_t head = offsetof(struct kfence_metadata, rcu_head);
	const size_t tail = head + sizeof(meta->rcu_head);

	memcpy(copy, meta, head);
	memset(&copy->rcu_head, 0, sizeof(copy->rcu_head));
	memcpy((char *)copy + tail, (const char *)meta + tail, sizeof(*meta) - tail);
	copy->index = meta_slot(meta);
}

void kfence_metadata_snapshot(const struct kfence_metadata *meta, struct kfence_metadata *copy)
{
	spin_lock(&kfence_lock);
	copy_meta(copy, meta);
	spin_unlock(&kfence_lock);
}

/* In a signal handler the lock is only tried (design, lock order). */
static inline bool kfence_lock_get(void)
{
	return spin_lock_or_try(&kfence_lock);
}

static void kfence_unlock(void);

static void save_track(struct kfence_track *t)
{
	t->pid = current_tid();	/* cached: no system call (kernel/locking.c) */
	t->cpu = raw_smp_processor_id();
	t->ts_nsec = kfence_clock_ns();
	/* Skip this function and KFENCE's entry: the first frame is the allocator's caller's. */
	t->num_stack_entries = arch_stack_trace(t->stack_entries, KFENCE_STACK_DEPTH, 1);
}

/* Fill the page around the object with the canary. */
static void set_canary(const struct kfence_metadata *meta)
{
	u8 *page = (u8 *)object_page(meta), *p;

	for (p = page; p < (u8 *)meta->addr; p++)
		*p = KFENCE_CANARY_PATTERN(p);
	for (p = (u8 *)meta->addr + meta->size; p < page + PAGE_SIZE; p++)
		*p = KFENCE_CANARY_PATTERN(p);
}

/*
 * The first corrupted canary byte left of the object (@at[0]) and the
 * first right of it (@at[1]), NULL where intact.  As the kernel's
 * check_canary(), each side is searched on its own even when the other
 * is corrupted, and each makes a report: both sides may give a clue.
 * Returns whether any is.
 */
static bool check_canary(const struct kfence_metadata *meta, u8 *at[2])
{
	u8 *page = (u8 *)object_page(meta), *p;

	at[0] = at[1] = NULL;
	for (p = page; p < (u8 *)meta->addr; p++)
		if (*p != KFENCE_CANARY_PATTERN(p)) {
			at[0] = p;
			break;
		}
	for (p = (u8 *)meta->addr + meta->size; p < page + PAGE_SIZE; p++)
		if (*p != KFENCE_CANARY_PATTERN(p)) {
			at[1] = p;
			break;
		}
	return at[0] || at[1];
}

/* A front-end block's bug stops the program (malloc/harden.c's policy). */
static bool cache_is_frontend(const struct kmem_cache *s)
{
	return !strncmp(s->name, "malloc-", 7);
}

/* ---- sampling ---- */

enum { TIMER_NONE, TIMER_STARTING, TIMER_RUNNING };
static int timer_state;		/* the timer thread's (kfence_timer_start) */
static noinline void kfence_timer_start(void);

static void gate_close_and_rearm(void)
{
	u64 now = arch_clock_ns();

	WRITE_ONCE(slab_fast.alloc_hook_gfp, saved_hook_gfp);
	WRITE_ONCE(kfence_next_ns, now + kfence_interval_ns);
	/* At least one tick per ns (x86-64's TSC): an early check re-reads the clock. */
	WRITE_ONCE(kfence_next_check, arch_cycles() + kfence_interval_ns);
}

unsigned int kfence_burst;		/* kfence.burst=: extra objects per sample */
static int kfence_burst_left;

static void gate_open(void)
{
	WRITE_ONCE(kfence_next_check, ~0ULL);
	__atomic_store_n(&kfence_burst_left, (int)kfence_burst, __ATOMIC_RELAXED);
	WRITE_ONCE(kfence_allocation_gate, 1);
	/* Every allocation's fast path now goes to slab_alloc_hook(). */
	WRITE_ONCE(slab_fast.alloc_hook_gfp, ~0UL);
}

/* The cycle deadline passed (kfence_tick): open the gate, or set a nearer deadline. */
void kfence_timer(void)
{
	u64 now, due;

	if (!kfence_enabled || READ_ONCE(kfence_allocation_gate) ||
	    __atomic_load_n(&kfence_sampling_off, __ATOMIC_RELAXED))
		return;
	if (unlikely(__atomic_load_n(&timer_state, __ATOMIC_RELAXED) == TIMER_NONE))
		kfence_timer_start();	/* a fork child's first tick; nothing where no thread may be */
	now = arch_clock_ns();
	due = READ_ONCE(kfence_next_ns);
	if (now < due) {
		WRITE_ONCE(kfence_next_check, arch_cycles() + (due - now));
		return;
	}
	gate_open();
}

/*
 * The timer thread (the kernel's kfence_timer delayed work), for programs
 * of the kernel API: the slow paths' tick serves programs that churn, but
 * a loop that allocates and frees one object stays on the per-CPU fast
 * path and never reaches it, and the kernel's kfence_test waits for a
 * sample in just such a loop.  The malloc front end defines
 * kfence_no_timer_thread: a library adds no thread to the programs it is
 * preloaded into, and their allocations churn through the slow paths.
 * Started at the end of the boot; a fork child starts its own at its
 * first tick.
 */
bool kfence_no_timer_thread __attribute__((weak));

static u32 timer_stop;		/* set at exit; the futex the thread sleeps on */
static u32 timer_exited;
static arch_thread_t timer_thread;

static void *kfence_timer_fn(void *arg)
{
	(void)arg;
	current->flags |= PF_KTHREAD;
	while (!__atomic_load_n(&timer_stop, __ATOMIC_ACQUIRE)) {
		u64 now = arch_clock_ns(), due = READ_ONCE(kfence_next_ns);

		if (now >= due)
			kfence_timer();
		/* Until the deadline; while the gate is open, an interval (it closes on use). */
		arch_wait(&timer_stop, 0, (long)(due > now ? due - now : kfence_interval_ns));
	}
	__atomic_store_n(&timer_exited, 1, __ATOMIC_RELEASE);
	arch_wake_all(&timer_exited);
	return NULL;
}

static void kfence_timer_atexit(void)
{
	if (__atomic_load_n(&timer_state, __ATOMIC_ACQUIRE) != TIMER_RUNNING)
		return;
	__atomic_store_n(&timer_stop, 1, __ATOMIC_RELEASE);
	arch_wake_all(&timer_stop);
	arch_thread_reap(timer_thread, &timer_exited);
}

/* Not from a signal handler (pthread_create is not signal-safe); once per process. */
static noinline void kfence_timer_start(void)
{
	static bool atexit_done;
	int state = TIMER_NONE;

	if (kfence_no_timer_thread || in_hardirq() || !kfence_enabled ||
	    !__atomic_compare_exchange_n(&timer_state, &state, TIMER_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&timer_stop, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&timer_exited, 0, __ATOMIC_RELAXED);
	if (arch_thread_create(&timer_thread, kfence_timer_fn, NULL, "kfence")) {
		__atomic_store_n(&timer_state, TIMER_NONE, __ATOMIC_RELEASE);
		kfence_no_timer_thread = true;	/* the host refused: the tick alone, as the front end */
		return;
	}
	if (!atexit_done) {
		atexit_done = true;
		arch_atexit(kfence_timer_atexit);
	}
	__atomic_store_n(&timer_state, TIMER_RUNNING, __ATOMIC_RELEASE);
}

/* The child has no timer thread: its next tick starts one. */
static void kfence_fork_child(void)
{
	__atomic_store_n(&timer_state, TIMER_NONE, __ATOMIC_RELAXED);
	if (kfence_enabled)
		WRITE_ONCE(kfence_next_check, 0);
}

/* Tests: serve the next allocation from the pool (kfence_test waits for the gate instead). */
bool kfence_force_next(void)
{
	if (!kfence_enabled || __atomic_load_n(&kfence_sampling_off, __ATOMIC_RELAXED))
		return false;
	gate_open();
	return true;
}

/* ---- allocation ---- */

static bool kfence_compatible(struct kmem_cache *s, size_t size, gfp_t flags)
{
	if (size > PAGE_SIZE || (s->align > PAGE_SIZE))
		return false;
	if (READ_ONCE(s->flags) & SLAB_SKIP_KFENCE)	/* sysfs may flip it */
		return false;
	/*
	 * As the kernel: no allocation from a zone other than the default (the
	 * pool is not in ZONE_DMA/DMA32's physical range), none from a DMA
	 * cache (it adds its zone bit later, in the page allocator's call),
	 * and no node-bound one where the pool is on one node of several.
	 */
	if ((flags & GFP_ZONEMASK) || (s->flags & (SLAB_CACHE_DMA | SLAB_CACHE_DMA32)))
		return false;
	return !((flags & __GFP_THISNODE) && nr_online_nodes > 1);
}

void *__kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags)
{
	struct kfence_metadata *meta = NULL;
	struct kfence_track track;
	unsigned long addr;
	char *page;

	if (!size)
		size = 1;
	/*
	 * An allocation the pool cannot serve leaves the gate open for the
	 * next one (the kernel checks before it takes the gate): a program
	 * whose every other kmalloc is GFP_DMA or __GFP_THISNODE still gets
	 * its samples.  SLAB_SKIP_KFENCE is not counted as incompatible.
	 */
	if (!kfence_compatible(s, size, flags)) {
		if (!(READ_ONCE(s->flags) & SLAB_SKIP_KFENCE))
			counter_inc(KFENCE_COUNTER_SKIP_INCOMPAT);
		return NULL;
	}
	/*
	 * One allocation per opening, the first to take the gate, and
	 * kfence.burst more (the kernel's gate counts up from -burst): the
	 * gate opens again for each of those.
	 */
	if (!__atomic_exchange_n(&kfence_allocation_gate, 0, __ATOMIC_ACQ_REL))
		return NULL;
	if (__atomic_fetch_sub(&kfence_burst_left, 1, __ATOMIC_RELAXED) > 0)
		WRITE_ONCE(kfence_allocation_gate, 1);
	else
		gate_close_and_rearm();
	save_track(&track);
	if (!kfence_lock_get()) {
		counter_inc(KFENCE_COUNTER_SKIP_BUSY);
		return NULL;
	}
	if (kfence_fresh < kfence_num_objects) {
		meta = &kfence_metadata[kfence_fresh];
		INIT_LIST_HEAD(&meta->list);
		meta->index = (int)kfence_fresh++;
	} else if (!list_empty(&kfence_freelist)) {
		meta = list_first_entry(&kfence_freelist, struct kfence_metadata, list);
		list_del_init(&meta->list);
	}
	if (!meta) {
		kfence_unlock();
		counter_inc(KFENCE_COUNTER_SKIP_CAPACITY);
		return NULL;
	}
	page = object_page(meta);
	if (arch_unprotect(page, PAGE_SIZE)) {
		list_add(&meta->list, &kfence_freelist);
		kfence_unlock();
		counter_inc(KFENCE_COUNTER_SKIP_CAPACITY);
		return NULL;
	}
	addr = (unsigned long)page;
	if (next_side++ & 1) {
		addr += PAGE_SIZE - size;
		addr = ALIGN_DOWN(addr, max_t(unsigned long, s->align, 1));
	}
	meta->addr = addr;
	meta->size = size;
	meta->cache = s;
	strncpy(meta->cache_name, s->name, sizeof(meta->cache_name) - 1);
	meta->cache_name[sizeof(meta->cache_name) - 1] = 0;
	meta->frontend = cache_is_frontend(s);
	meta->zombie = false;
	meta->alloc_track = track;
	meta->free_track.num_stack_entries = 0;
	meta->free_track.pid = 0;
	WRITE_ONCE(meta->state, KFENCE_OBJECT_ALLOCATED);
	set_canary(meta);
	/*
	 * init_on_free promises an object comes back zeroed, but this one may
	 * lie where an earlier object's canary bytes were (the side it takes
	 * alternates), so it is wiped here as init_on_alloc's would be.
	 */
	if (slab_want_init_on_alloc(flags, s) || slab_want_init_on_free(s))
		memset((void *)addr, 0, size);
	/*
	 * Constructed as a slab's objects are (both kinds of constructor);
	 * then zeroed again if the caller wants it, as the slab hooks this
	 * object skips would: __GFP_ZERO on a cache with a constructor (a
	 * caller's bug the kernel warns about at new slabs) still zeroes.
	 */
	if (s->ctor || s->ctor_ldd3) {
		slab_construct(s, (void *)addr, flags);
		if (slab_want_init_on_alloc(flags, s))
			memset((void *)addr, 0, size);
	}
	kfence_unlock();
	counter_inc(KFENCE_COUNTER_ALLOCATED);
	counter_inc(KFENCE_COUNTER_ALLOCS);
	/* kmemleak tracks it as the slab hooks would have (they are not taken). */
	if (!(s->flags & SLAB_NOLEAKTRACE))
		kmemleak_hook_alloc((void *)addr, size);
	return (void *)addr;
}

size_t kfence_ksize(const void *addr)
{
	const struct kfence_metadata *meta = addr_to_metadata((unsigned long)addr);

	return meta && READ_ONCE(meta->state) == KFENCE_OBJECT_ALLOCATED ? meta->size : 0;
}

void *kfence_object_start(const void *addr)
{
	const struct kfence_metadata *meta = addr_to_metadata((unsigned long)addr);

	return meta && READ_ONCE(meta->state) != KFENCE_OBJECT_UNUSED ? (void *)meta->addr : NULL;
}

struct kmem_cache *kfence_object_cache(const void *addr)
{
	const struct kfence_metadata *meta = addr_to_metadata((unsigned long)addr);

	return meta && READ_ONCE(meta->state) == KFENCE_OBJECT_ALLOCATED ? meta->cache : NULL;
}

/* ---- free ---- */

/*
 * The object goes back: its page inaccessible, to the freelist's tail
 * (the longest time before its reuse, so a late use after free still
 * faults).  kfence_lock held.
 */
static void guarded_free_locked(struct kfence_metadata *meta, bool zombie)
{
	/*
	 * init_on_free: the page keeps its bytes while protected (a reported
	 * use after free opens it again) and the next object placed on it
	 * would inherit them, so wipe what the user had, as the kernel does.
	 * A zombie was never freed (still allocated when its cache was
	 * destroyed): its bytes stay, as in the kernel.
	 */
	if (!zombie && meta->cache && slab_want_init_on_free(meta->cache))
		memset((void *)meta->addr, 0, meta->size);
	/*
	 * A guard page an out-of-bounds access opened closes again (wiped of
	 * what the access wrote), so the next overflow there faults too.
	 */
	if (READ_ONCE(meta->unprotected_page)) {
		void *guard = (void *)READ_ONCE(meta->unprotected_page);

		memset(guard, 0, PAGE_SIZE);
		arch_protect_none(guard, PAGE_SIZE);
		WRITE_ONCE(meta->unprotected_page, 0);
	}
	WRITE_ONCE(meta->state, KFENCE_OBJECT_FREED);
	meta->zombie = zombie;
	/*
	 * A page the host will not protect (its map limit) would let a use
	 * after free through unseen: KFENCE stops sampling, as the kernel's
	 * does when kfence_protect() fails.
	 */
	if (arch_protect_none(object_page(meta), PAGE_SIZE) &&
	    !__atomic_exchange_n(&kfence_sampling_off, 1, __ATOMIC_RELAXED))
		pr_warn("kfence: an object page could not be protected: no more sampling\n");
	list_add_tail(&meta->list, &kfence_freelist);
	counter_dec(KFENCE_COUNTER_ALLOCATED);
	counter_inc(zombie ? KFENCE_COUNTER_ZOMBIES : KFENCE_COUNTER_FREES);
}

static void rcu_guarded_free(struct rcu_head *h)
{
	struct kfence_metadata *meta = container_of(h, struct kfence_metadata, rcu_head);

	spin_lock(&kfence_lock);
	guarded_free_locked(meta, false);
	kfence_unlock();
}

/*
 * Validate and free (kfence_lock held).  Returns 0 or an error, with @copy
 * filled for the report printed after the unlock.
 */
static int free_locked(struct kfence_metadata *meta, void *addr, const struct kfence_track *track,
		       struct kfence_metadata *copy, u8 *corrupt[2], u8 bytes[2][16], bool *rcu)
{
	if (!meta || READ_ONCE(meta->state) != KFENCE_OBJECT_ALLOCATED ||
	    (unsigned long)addr != meta->addr) {
		if (meta)
			copy_meta(copy, meta);
		return -EINVAL;
	}
	meta->free_track = *track;
	if (check_canary(meta, corrupt)) {
		unsigned long page_end = (unsigned long)object_page(meta) + PAGE_SIZE;
		int k;

		copy_meta(copy, meta);
		/* The report shows up to 16 bytes from there, within the page. */
		for (k = 0; k < 2; k++)
			if (corrupt[k])
				memcpy(bytes[k], corrupt[k],
				       min(16UL, page_end - (unsigned long)corrupt[k]));
	}
	if (meta->cache && (meta->cache->flags & SLAB_TYPESAFE_BY_RCU)) {
		/* Readers may still look at it for a grace period (the kernel does the same). */
		WRITE_ONCE(meta->state, KFENCE_OBJECT_RCU_FREEING);
		*rcu = true;
	} else {
		guarded_free_locked(meta, false);
	}
	return corrupt[0] || corrupt[1] ? -EFAULT : 0;
}

/* Frees a signal handler parked: done by whoever holds the lock next. */
static void drain_deferred_locked(void)
{
	int i = __atomic_exchange_n(&deferred_head, 0, __ATOMIC_ACQUIRE);

	while (i) {
		struct kfence_metadata *meta = &kfence_metadata[i - 1], copy;
		void *addr = meta->deferred_addr;
		struct kfence_track track = meta->free_track;
		bool rcu = false;
		u8 *corrupt[2] = { NULL, NULL }, bytes[2][16];
		int err;

		i = meta->deferred_next;
		meta->deferred_addr = NULL;
		err = free_locked(meta, addr, &track, &copy, corrupt, bytes, &rcu);
		/* No report here (a lock is held): the bugs are counted, one a side. */
		if (err)
			counter_inc(KFENCE_COUNTER_BUGS);
		if (err == -EFAULT && corrupt[0] && corrupt[1])
			counter_inc(KFENCE_COUNTER_BUGS);
		if (rcu)
			guarded_free_locked(meta, false);
	}
}

static void kfence_unlock(void)
{
	if (unlikely(READ_ONCE(deferred_head)))
		drain_deferred_locked();
	spin_unlock(&kfence_lock);
}

int __kfence_free(void *addr)
{
	struct kfence_metadata *meta = addr_to_metadata((unsigned long)addr), copy;
	struct kfence_track track;
	bool rcu = false;
	u8 *corrupt[2] = { NULL, NULL }, bytes[2][16];
	int err, k;

	save_track(&track);
	/*
	 * Untracked before the page is protected (and before kfence_lock, a
	 * leaf), as the kernel's slab_free_hook() untracks before
	 * kfence_free(): a scan between the two read a protected page
	 * ("use-after-free read in scan_block").  A pointer kmemleak does
	 * not know (a double free: untracked at the first) changes nothing.
	 */
	kmemleak_hook_free(addr);
	if (!kfence_lock_get()) {
		/* A handler interrupted a holder: park the free (design, lock order). */
		if (meta && __atomic_compare_exchange_n(&meta->deferred_addr, &(void *){ NULL }, addr,
							false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			int head = READ_ONCE(deferred_head);

			meta->free_track = track;
			do {
				meta->deferred_next = head;
			} while (!__atomic_compare_exchange_n(&deferred_head, &head,
							      meta_slot(meta) + 1, true,
							      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
		}
		return 0;
	}
	err = free_locked(meta, addr, &track, &copy, corrupt, bytes, &rcu);
	kfence_unlock();
	if (rcu)
		call_rcu(&meta->rcu_head, rcu_guarded_free);
	if (err == -EINVAL)
		kfence_report_error((unsigned long)addr, false, NULL, 0, meta ? &copy : NULL,
				    KFENCE_ERROR_INVALID_FREE, NULL);
	else if (err == -EFAULT)
		for (k = 0; k < 2; k++)
			if (corrupt[k])
				kfence_report_error((unsigned long)corrupt[k], false, NULL, 0, &copy,
						    KFENCE_ERROR_CORRUPTION, bytes[k]);
	return err;
}

void kfence_shutdown_cache(struct kmem_cache *s)
{
	struct kfence_track track;
	unsigned int i;

	if (!kfence_enabled)
		return;
	/*
	 * A zombie is marked freed by the destroying caller, as the kernel's
	 * kfence_guarded_free(zombie) records it: a later use-after-free
	 * report shows who destroyed the cache.
	 */
	save_track(&track);
	spin_lock(&kfence_lock);
	for (i = 0; i < kfence_num_objects; i++) {
		struct kfence_metadata *meta = &kfence_metadata[i];

		if (meta->cache != s)
			continue;
		if (meta->state == KFENCE_OBJECT_ALLOCATED) {
			meta->free_track = track;
			guarded_free_locked(meta, true);
		}
		meta->cache = NULL;
	}
	kfence_unlock();
}

/* ---- faults ---- */

/*
 * The object an access to the guard page at @page_addr belongs to: of the
 * neighbours, an allocated one before a free one, then the nearer.
 */
static struct kfence_metadata *guard_owner(unsigned long addr)
{
	struct kfence_metadata *left = NULL, *right = NULL;
	unsigned long page = (addr - (unsigned long)__kfence_pool) >> PAGE_SHIFT;

	if (page >= 3)
		left = &kfence_metadata[(page - 1) / 2 - 1];
	if ((page + 1) / 2 - 1 < kfence_num_objects)
		right = &kfence_metadata[(page + 1) / 2 - 1];
	if (left && left->state == KFENCE_OBJECT_UNUSED)
		left = NULL;
	if (right && right->state == KFENCE_OBJECT_UNUSED)
		right = NULL;
	if (!left || !right)
		return left ?: right;
	if ((left->state == KFENCE_OBJECT_ALLOCATED) != (right->state == KFENCE_OBJECT_ALLOCATED))
		return left->state == KFENCE_OBJECT_ALLOCATED ? left : right;
	return addr - (left->addr + left->size) <= right->addr - addr ? left : right;
}

/*
 * The stack of a faulting access, from a fault handler (KFENCE's and
 * debug_pagealloc's): the handler's frames cut off at @ip.
 */
int fault_stack_trace(unsigned long ip, unsigned long *entries, int max)
{
	unsigned long all[KFENCE_STACK_DEPTH];
	int n = arch_stack_trace(all, KFENCE_STACK_DEPTH, 0), i, j, out = 0;

	for (i = 0; i < n; i++)
		if (all[i] == ip)
			break;
	if (i == n) {
		/* The unwinder did not pass through the signal frame: the access alone. */
		entries[0] = ip;
		return ip ? 1 : 0;
	}
	for (j = i; j < n && out < max; j++)
		entries[out++] = all[j];
	return out;
}

/* The front end's stop after a report: one line, then SIGABRT (malloc/harden.c). */
static void frontend_stop(const char *what, bool is_write, unsigned long addr)
{
	char line[128];
	int n;

	if (!READ_ONCE(ukmem_malloc_abort))
		return;
	n = scnprintf(line, sizeof(line), "ukmem: KFENCE: %s %s: 0x%lx\n", what,
		      is_write ? "write" : "read", addr);
	arch_write(2, line, (size_t)n);
	arch_abort();
}

bool kfence_handle_page_fault(unsigned long addr, bool is_write, unsigned long ip)
{
	unsigned long stack[KFENCE_STACK_DEPTH];
	struct kfence_metadata *meta, copy;
	enum kfence_error_type type;
	char *page;
	int n;

	if (!is_kfence_address((void *)addr))
		return false;
	ukmem_irq_enter();
	page = (char *)(addr & PAGE_MASK);
	meta = addr_to_metadata(addr);
	if (!meta) {
		meta = guard_owner(addr);
		type = meta ? KFENCE_ERROR_OOB : KFENCE_ERROR_INVALID;
	} else {
		int state = READ_ONCE(meta->state);

		type = state == KFENCE_OBJECT_FREED || state == KFENCE_OBJECT_RCU_FREEING ?
		       KFENCE_ERROR_UAF : KFENCE_ERROR_INVALID;
	}
	/* A copy without the lock: a handler must not wait, and the report only reads. */
	if (meta) {
		copy = data_race(*meta);
		copy.index = meta_slot(meta);
	}
	n = fault_stack_trace(ip, stack, KFENCE_STACK_DEPTH);
	kfence_report_error(addr, is_write, stack, n, meta ? &copy : NULL, type, NULL);
	/*
	 * Let the access go on, as the kernel does: the page stays open, a
	 * guard page until its object is freed (guarded_free_locked()), an
	 * object's page until it is handed out again.
	 */
	arch_unprotect(page, PAGE_SIZE);
	if (meta && type == KFENCE_ERROR_OOB)
		WRITE_ONCE(meta->unprotected_page, (unsigned long)page);
	ukmem_irq_exit();
	if (meta && copy.frontend)
		frontend_stop(type == KFENCE_ERROR_OOB ? "out-of-bounds" :
			      type == KFENCE_ERROR_UAF ? "use-after-free" : "invalid access",
			      is_write, addr);
	return true;
}

/* ---- boot and fork ---- */

static void kfence_fork_child(void);

static const struct fork_step kfence_fork_step = {
	.name = "kfence",
	.order = FORK_ORDER_KFENCE,
	.spinlock = &kfence_lock,
	.child = kfence_fork_child,
};

bool kfence_is_enabled(void)
{
	return kfence_enabled;
}

/*
 * kfence_alloc_pool - at boot, before mem_init() hands memory to the page
 * allocator (the kernel's kfence_alloc_pool_and_metadata): the pool from
 * memblock.  Nothing if KFENCE is off.
 */
void kfence_alloc_pool(void)
{
	/*
	 * Raw, not zeroed as the kernel's memblock_alloc() would: kfence_init()
	 * hands the whole pool back to the host (arch_decommit()) before any
	 * object is carved from it, so zeroing it first only faulted in 2 MiB
	 * (512 pages) and threw them away again - the largest single cost of
	 * every preloaded process's start (git, make and shell scripts start
	 * thousands).
	 */
	if (kfence_pool_bytes())
		__kfence_pool = memblock_alloc_raw(kfence_pool_bytes(), PAGE_SIZE);
}

/* What kfence_alloc_pool() takes from memblock (the boot's estimate, mm_boot_bytes()). */
unsigned long kfence_pool_bytes(void)
{
	if (!kfence_sample_interval || !kfence_num_objects)
		return 0;
	return 2UL * (kfence_num_objects + 1) * PAGE_SIZE;
}

/*
 * kfence_init - at the end of the boot (init/main.c): map the metadata,
 * install the fault handler, protect the pool, open the files.
 * Off (kfence.sample_interval=0), or whatever the host refuses: nothing is
 * set up and is_kfence_address() is false for every address.
 */
void kfence_init(void)
{
	size_t pool = (size_t)2 * (kfence_num_objects + 1) * PAGE_SIZE;

	kfence_register_reports();
	if (!__kfence_pool || slab_tools_active)
		return;	/* (under memcheck the pool stays reserved, unused) */
	metadata_bytes = PAGE_ALIGN(sizeof(struct kfence_metadata) * kfence_num_objects);
	kfence_metadata = arch_map_anon(metadata_bytes);
	if (!kfence_metadata)
		goto fail;
	/*
	 * Inaccessible, and its pages back to the host: an object's page is
	 * RSS only in use.  A host that refuses (its map limit) leaves the
	 * pool accessible, where no guard page would fault: no KFENCE then,
	 * as the kernel's init gives up when it cannot protect the pool.
	 */
	if (!arch_decommit(__kfence_pool, pool))
		goto fail_meta;
	if (arch_fault_handler_install(kfence_handle_page_fault))
		goto fail_meta;
	kfence_fresh = 0;	/* their metadata is written when first handed out */
	kfence_start_ns = arch_clock_ns();
	kfence_interval_ns = (u64)kfence_sample_interval * 1000000;
	saved_hook_gfp = READ_ONCE(slab_fast.alloc_hook_gfp);
	fork_register_step(&kfence_fork_step);
	/* Other threads allocate already: the pool is known before the first gate opens. */
	WRITE_ONCE(kfence_pool_size, pool);
	WRITE_ONCE(kfence_enabled, true);
	WRITE_ONCE(kfence_next_ns, kfence_start_ns + kfence_interval_ns);
	WRITE_ONCE(kfence_next_check, arch_cycles() + kfence_interval_ns);
	pr_info("kfence: initialized - using %zu bytes for %u objects at 0x%p-0x%p\n",
		pool, kfence_num_objects, __kfence_pool, __kfence_pool + pool);
	kfence_timer_start();
	return;
fail_meta:
	arch_unmap(kfence_metadata, metadata_bytes);
	kfence_metadata = NULL;
fail:
	pr_err("kfence: failed to initialize KFENCE pool\n");
}
