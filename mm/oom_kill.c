/* SPDX-License-Identifier: MIT */
/*
 * mm/oom_kill.c - what the page allocator does when reclaim has nothing
 * left to give (mm/oom_kill.c out_of_memory, dump_header; mm/page_alloc.c
 * __alloc_pages_may_oom).
 *
 * The kernel's OOM killer picks a task, kills it and lets the allocation
 * retry; with no task it can kill it reports "Out of memory and no
 * killable processes..." and gives up.  A library has no task to kill, so
 * out_of_memory() is always that last case: the report, then the caller's
 * allocation fails (__GFP_NOFAIL aside, which the page allocator keeps
 * waiting).  Who gets the report follows __alloc_pages_may_oom: not costly
 * orders, not __GFP_RETRY_MAYFAIL or __GFP_THISNODE, not requests limited
 * to the low zones (GFP_DMA, GFP_DMA32), and not requests without __GFP_FS
 * (the kernel pretends progress for those and lets them retry; with
 * nothing here to retry for, they fail quietly).  __GFP_NOWARN does not
 * silence it, as in the kernel.
 *
 * Episodes.  Once memory has run out, every allocation that comes after
 * would run out too; the kernel reports each kill, ukmem reports the
 * episode once.  An episode opens with its report and closes when memory
 * is back: an allocation succeeds above the min watermark again
 * (oom_episode_end(), from the slow path), or frees bring a zone the
 * failed request could use back above its low watermark (oom_check_free(),
 * from the free path's waiter hook: an open episode counts as one waiter
 * in ukmem_free_waiters, so the free path calls in only while one is
 * open).  While an episode is open, allocations do not wait for other
 * threads' frees before giving up (page_alloc.c try_reclaim): that was
 * tried when it opened.
 *
 * Before the report, as in the kernel's out_of_memory(), the OOM notifier
 * chain (register_oom_notifier, linux/oom.h) is asked to free memory; if
 * it freed any, the allocation retries instead.  With vm.panic_on_oom set
 * the report ends in panic(), as the kernel's check_panic_on_oom() does:
 * 2 always, 1 unless the request's nodemask leaves out a node with memory
 * (a memory policy's OOM; there are no cpusets).  vmstat's oom_kill counts episodes: nothing is ever killed.
 *
 * Locking: the episode is one word changed by compare-and-swap; the zone
 * it watches is written by the thread that opens it, before the episode
 * is published.  Any context, signal handlers included.  oom_lock (a
 * word with its holder's thread id, as the kernel's oom_lock mutex is
 * tried) serialises the notifier calls: a thread that finds it held by
 * another waits a jiffy and retries its allocation, a thread that finds
 * it held by itself (a notifier that allocates) goes on without.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/vmstat.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "mm/internal.h"

/* 1 while an OOM episode is open. */
static int oom_episode;
/* The failed request's zonelist, highest zone and nodes: what "memory is back" means. */
static struct zoneref *oom_zonelist;
static enum zone_type oom_highest_zoneidx;
static nodemask_t oom_nodes;	/* word by word, marked: read by oom_check_free() */

int sysctl_panic_on_oom;
static BLOCKING_NOTIFIER_HEAD(oom_notify_list);
static int oom_lock_owner;	/* thread id; 0 free */

/* oom_lock_owner too: the forking thread's, or nobody's. */
static void oom_notify_fork_child(void)
{
	oom_lock_owner = fork_child_owner(oom_lock_owner);
	blocking_notifier_fork_child(&oom_notify_list);
}

static const struct fork_step oom_notify_fork_step = {
	.name = "oom_notify",
	.order = FORK_ORDER_NOTIFIER,
	.child = oom_notify_fork_child,
};

/*
 * At boot (vmscan_init()), not on the first registration: oom_lock_owner
 * is taken by every OOM episode, notifiers or not, and a child must not
 * keep it for a thread it does not have.
 */
void oom_fork_init(void)
{
	fork_register_step(&oom_notify_fork_step);
}

int register_oom_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&oom_notify_list, nb);
}

int unregister_oom_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&oom_notify_list, nb);
}

/*
 * The notifier chain's answer: pages freed (0 for none, or when another
 * thread is calling it: then the caller waits a jiffy and is told to
 * retry, as the kernel's failed mutex_trylock(&oom_lock) does).
 */
static unsigned long oom_notify(bool *busy)
{
	int tid = arch_gettid(), free = 0;
	unsigned long freed = 0;
	static u32 never_woken;

	*busy = false;
	if (__atomic_load_n(&oom_lock_owner, __ATOMIC_RELAXED) == tid)
		return 0;	/* a notifier allocating: no second round */
	if (!__atomic_compare_exchange_n(&oom_lock_owner, &free, tid, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		if (!in_interrupt())
			arch_wait(&never_woken, 0, 1000 * 1000000L / HZ);
		*busy = true;
		return 0;
	}
	blocking_notifier_call_chain(&oom_notify_list, 0, &freed);
	__atomic_store_n(&oom_lock_owner, 0, __ATOMIC_RELEASE);
	return freed;
}

bool oom_episode_open(void)
{
	return __atomic_load_n(&oom_episode, __ATOMIC_ACQUIRE);
}

void oom_episode_end(void)
{
	int open = 1;

	if (__atomic_compare_exchange_n(&oom_episode, &open, 0, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED))
		atomic_dec(&ukmem_free_waiters);
}

/* Memory was freed while an episode is open: is a zone back above low? */
void oom_check_free(void)
{
	struct zoneref *z;
	int highest;

	if (!oom_episode_open())
		return;
	/* Published by out_of_memory() before the episode opened; read once. */
	highest = (int)READ_ONCE(oom_highest_zoneidx);
	for (z = READ_ONCE(oom_zonelist); z && z->zone; z++) {
		int nid = z->zone->node;

		if (z->zone_idx > highest ||
		    !(READ_ONCE(oom_nodes.bits[nid / BITS_PER_LONG]) & BIT(nid % BITS_PER_LONG)))
			continue;
		if (zone_watermark_ok(z->zone, 0, low_wmark_pages(z->zone), highest, 0)) {
			oom_episode_end();
			return;
		}
	}
}

/* The OOM killer's header (dump_header) and its verdict. */
static void oom_report(gfp_t gfp, unsigned int order, const nodemask_t *nodemask)
{
	char comm[16];

	arch_comm(comm);
	pr_warn("%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%u, oom_score_adj=0\n",
		comm, gfp, &gfp, order);
	dump_stack();
	/* Only the nodes and zones the request could use, as dump_header() shows them. */
	__show_mem_filter(nodemask, (int)gfp_zone(gfp));
	/*
	 * should_dump_unreclaim_slab(): more unreclaimable slab than LRU
	 * pages, and ukmem has no LRU, so whenever there is any.
	 */
	if (global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B))
		dump_unreclaimable_slab();
	/* oom_dump_tasks (on by default): no task here is the OOM killer's to list. */
	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	pr_err("Out of memory and no killable processes...\n");
	count_vm_event(OOM_KILL);
}

/*
 * Would the kernel's __alloc_pages_may_oom() call the OOM killer for this
 * request: not for high orders, nor for requests that would rather fail
 * (__GFP_RETRY_MAYFAIL) or must stay on one node, nor for lowmem.
 */
bool oom_may_help(gfp_t gfp, unsigned int order, enum zone_type highest_zoneidx)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER &&
	       !(gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE)) &&
	       highest_zoneidx >= ZONE_NORMAL;
}

/*
 * The kernel's constrained_alloc(): a request whose mask leaves out a node
 * with memory is held by a memory policy (CONSTRAINT_MEMORY_POLICY), which
 * vm.panic_on_oom=1 does not panic for (check_panic_on_oom()); 2 does.
 */
static bool oom_constrained(const nodemask_t *nodemask)
{
	return nodemask && !nodes_subset(node_states[N_MEMORY], *nodemask);
}

/* The request's nodes (every node for NULL) where oom_check_free() reads them. */
static void oom_set_nodes(const nodemask_t *nodemask)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(oom_nodes.bits); i++)
		WRITE_ONCE(oom_nodes.bits[i], nodemask ? nodemask->bits[i] : ~0UL);
}

/**
 * out_of_memory - the allocation of @order with @gfp found nothing
 * @zonelist: where the request may take memory (from its preferred zone on)
 * @highest_zoneidx: the highest zone it may use
 * @nodemask: the nodes it may use, or NULL for every node
 *
 * For a request the kernel would invoke the OOM killer for, asks the OOM
 * notifiers first: true if they freed memory (the caller retries).  Else
 * prints the OOM report, if no episode is open yet, or panics with
 * vm.panic_on_oom.  Returns false: nothing was killed, nothing freed; the
 * caller fails (or, with __GFP_NOFAIL, takes the last reserves, then waits).
 */
bool out_of_memory(gfp_t gfp, unsigned int order, struct zoneref *zonelist,
		   enum zone_type highest_zoneidx, const nodemask_t *nodemask)
{
	int panic_on_oom = __atomic_load_n(&sysctl_panic_on_oom, __ATOMIC_RELAXED);
	int closed = 0;
	bool busy;

	if (!oom_may_help(gfp, order, highest_zoneidx))
		return false;
	if (oom_notify(&busy) || busy)
		return true;		/* got some memory back, or another thread is at it */
	if (!(gfp & __GFP_FS))
		return false;		/* nor compensates for IO-less reclaim */
	if (panic_on_oom == 2 || (panic_on_oom && !oom_constrained(nodemask))) {
		oom_report(gfp, order, nodemask);
		panic("Out of memory: %s panic_on_oom is enabled\n",
		      panic_on_oom == 2 ? "compulsory" : "system-wide");
	}
	WRITE_ONCE(oom_zonelist, zonelist);
	WRITE_ONCE(oom_highest_zoneidx, highest_zoneidx);
	oom_set_nodes(nodemask);
	if (!__atomic_compare_exchange_n(&oom_episode, &closed, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return false;		/* reported already: the same episode */
	atomic_inc(&ukmem_free_waiters);	/* the free path checks for its end */
	oom_report(gfp, order, nodemask);
	return false;
}
