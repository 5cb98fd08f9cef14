/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc_fork.c - fork() for the shared mappings of vmalloc, vmap,
 * vm_map_ram and kmap (mm/vmalloc.c's design, point 7): vmalloc's step of
 * the fork protocol (kernel/fork.c).
 *
 * A shared mapping stays shared with a child, so without help parent and
 * child would see each other's writes to vmalloc memory, to linear
 * addresses that vmap made file-backed, and to highmem pages.  fork()
 * gives the child private copies of both memory files instead:
 *
 *  prepare (the forking thread, before any fork lock): purge the lazily
 *	freed ranges (less to copy; only where the fork may wait for locks),
 *	then copy each file's allocated extents into a new file
 *	(copy_file_range: page cache to page cache inside the host kernel).
 *	No vmalloc lock is held across the copy: other threads go on
 *	allocating and freeing, and the host layer makes every change the
 *	library makes to a file meanwhile (a purge's holes, bytes moved into
 *	the physical memory file) to the copy too (arch/mapping.h).  This is
 *	the step that may fail (no memory or no descriptor for the copies):
 *	ukmem_fork() then fails with ENOMEM, and a plain fork()'s child is
 *	killed before it runs (kernel/fork.c); it never runs with memory
 *	shared with its parent.
 *  lock: purge, seg, alias, area and kmap locks, in that order, so that
 *	the trees, the segment map, the alias bitmap and the pkmap table are
 *	whole at fork(2).  In a single-threaded fork (a signal handler, maybe
 *	inside vmalloc) each is taken only if free: a held one belongs to the
 *	interrupted code, and what it guards may be half changed.
 *  parent (after fork, or after a failed fork): close the copies, unlock.
 *  abort (a later step's prepare failed): close the copies.
 *  child: make the copies its files and map every shared range again from
 *	them: the vmalloc range segment by segment (guards and overlays
 *	again), every file-backed linear address, every kmap.  Device
 *	mappings (ioremap) stay shared, as a device is.  If one of the locks
 *	could not be taken (the interrupted code held it, or, from a handler
 *	in a threaded process, another thread kept it), nothing it guards is
 *	read: every shared mapping of the old files that the host lists is
 *	mapped again from the new ones, protections kept; only guard markers
 *	are lost.  That child should exec or _exit, as POSIX asks.
 *
 * Nothing waits for the child and nothing has a deadline.  A store that
 * another thread makes into vmalloc memory while fork() runs may be
 * missing in the child (a store ordered before the fork() call is there,
 * and nothing written after fork() returns is ever seen by the other side).
 *
 * Registered at FORK_ORDER_VMALLOC: before slab and the page allocator,
 * because the purge frees slab objects and pages, and a thread holding a
 * vmalloc lock may take theirs.
 */
#include <errno.h>

#include <linux/mm.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

int vmalloc_fork_fail_copies;

/*
 * The areas vmalloc hands out while a fork's prepare copies and until its
 * refresh (vmalloc_fork_note_area()): their bytes are copied again then,
 * so that a child that sees an area published (its pointer stored after
 * it was filled) sees what it was filled with.  The copy taken before held
 * the range's earlier contents.  Past FORK_NEW_AREAS such areas, the rest
 * keep the first copy's bytes.
 */
#define FORK_NEW_AREAS	512
static struct {
	unsigned long start, end;
} fork_new[FORK_NEW_AREAS];
static int fork_new_nr;
static bool fork_window;

void vmalloc_fork_note_area(const struct vmap_area *va)
{
	int i;

	if (likely(!__atomic_load_n(&fork_window, __ATOMIC_ACQUIRE)))
		return;
	i = __atomic_fetch_add(&fork_new_nr, 1, __ATOMIC_RELAXED);
	if (i >= FORK_NEW_AREAS)
		return;
	__atomic_store_n(&fork_new[i].start, va->va_start, __ATOMIC_RELAXED);
	__atomic_store_n(&fork_new[i].end, va->va_end, __ATOMIC_RELEASE);
}

static void fork_window_open(void)
{
	int i;

	for (i = 0; i < FORK_NEW_AREAS; i++)
		__atomic_store_n(&fork_new[i].end, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fork_new_nr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fork_window, true, __ATOMIC_RELEASE);
}

static void fork_window_close(void)
{
	__atomic_store_n(&fork_window, false, __ATOMIC_RELEASE);
}

/* The areas made since prepare's copy, their bytes copied again (all locks held). */
static int fork_refresh_new_areas(void)
{
	int n = min(__atomic_load_n(&fork_new_nr, __ATOMIC_ACQUIRE), FORK_NEW_AREAS), i, ret = 0;

	for (i = 0; i < n && !ret; i++) {
		unsigned long end = __atomic_load_n(&fork_new[i].end, __ATOMIC_ACQUIRE);
		unsigned long start = __atomic_load_n(&fork_new[i].start, __ATOMIC_RELAXED);

		if (end > start && start >= VMALLOC_START)
			ret = arch_files_fork_refresh_range(ARCH_VMALLOC_FILE, start - VMALLOC_START,
							    end - start);
	}
	return ret;
}

/* The locks the child walks under, in the lock order. */
static spinlock_t *const fork_locks[] = {
	&vmap_purge_lock, &vmap_seg_lock, &vmap_alias_lock, &vmap_area_lock, &kmap_lock,
};
#define NR_FORK_LOCKS	ARRAY_SIZE(fork_locks)

static bool vmalloc_lock_held_by_current(void)
{
	unsigned int i;

	for (i = 0; i < NR_FORK_LOCKS; i++)
		if (spin_held_by_current(fork_locks[i]))
			return true;
	return false;
}

/*
 * One fork at a time from prepare to parent/child: the copies,
 * fork_held and fork_refresh_error belong to it.  Taken as the fork's
 * mode says: a fork that only tries locks (a handler in a threaded
 * process) fails rather than wait for another thread's fork, which may
 * itself wait for the interrupted code.
 */
static DEFINE_MUTEX(vmalloc_fork_mutex);
/*
 * This thread's fork prepared the copies (it holds vmalloc_fork_mutex, or
 * is alone).  A fork whose prepare failed still runs the lock and parent
 * steps (its child is killed before any child step): they must leave the
 * other fork's copies, locks and fork_held alone.
 */
static __thread bool fork_owner;
/* Which of fork_locks the fork holds. */
static unsigned int fork_held;
/* The second copy's error (vmalloc_fork_refresh), for the child. */
static int fork_refresh_error;

static int vmalloc_fork_prepare(void)
{
	int ret;

	if (!fork_mutex_lock(&vmalloc_fork_mutex) && !arch_single_threaded()) {
		pr_err("fork: another thread's fork is copying vmalloc memory\n");
		return -EAGAIN;
	}
	/*
	 * The purge takes the vmalloc locks outright: not when this thread
	 * holds one already (a plain signal handler's fork that interrupted
	 * vmalloc itself), which would be a lock recursion.
	 */
	if (fork_waits() && !vmalloc_lock_held_by_current())
		vmap_purge();
	if (fork_waits())
		fork_window_open();
	ret = arch_files_fork_copy(fork_waits());
	if (!ret && vmalloc_fork_fail_copies > 0) {
		vmalloc_fork_fail_copies--;
		arch_files_fork_drop();
		ret = -ENOMEM;
	}
	if (!ret) {
		fork_owner = true;
		return 0;
	}
	fork_window_close();
	fork_mutex_unlock(&vmalloc_fork_mutex);
	pr_err("fork: no private copy of vmalloc memory for the child (error %d)\n", ret);
	return ret == -EAGAIN ? ret : -ENOMEM;
}

static void vmalloc_fork_abort(void)
{
	fork_window_close();
	fork_owner = false;
	arch_files_fork_drop();
	fork_mutex_unlock(&vmalloc_fork_mutex);
}

static void vmalloc_fork_lock(void)
{
	unsigned int i;

	if (!fork_owner)
		return;
	fork_held = 0;
	for (i = 0; i < NR_FORK_LOCKS; i++)
		if (fork_lock_walk(fork_locks[i]))
			fork_held |= 1U << i;
}

static void fork_unlock_all(void)
{
	unsigned int i;

	for (i = NR_FORK_LOCKS; i-- > 0;)
		if (fork_held & (1U << i))
			fork_unlock(fork_locks[i]);
	fork_held = 0;
}

/* After fork() in the parent, whether or not a child was made. */
static void vmalloc_fork_parent(void)
{
	if (!fork_owner)
		return;
	fork_window_close();
	fork_owner = false;
	arch_files_fork_drop();
	fork_unlock_all();
	fork_mutex_unlock(&vmalloc_fork_mutex);
}

/*
 * In the child, before any other step's child: private files, every shared
 * range mapped from them again.  The library's own memory can sit on a
 * shared mapping (a slab page whose linear address vmap() once made a
 * mapping of the physical memory file, and kept so): a child step that
 * wrote it first (the slab step repairing its stacks, the vmalloc step
 * clearing the lazy areas' flags) wrote the parent's memory and read the
 * parent's changes since the fork.  The vmalloc locks are held (taken at
 * FORK_ORDER_VMALLOC, released by vmalloc_fork_child, which runs later).
 */
static void vmalloc_fork_remap_child(void)
{
	/* The purge lock guards no state the child reads: only the other four. */
	unsigned int walk = ((1U << NR_FORK_LOCKS) - 1) & ~1U;
	int ret = fork_refresh_error ?: arch_files_fork_switch();

	if (unlikely(ret)) {
		pr_emerg("fork: no private copy of vmalloc memory for the child (error %d); it stops\n",
			 ret);
		arch_abort();
	}
	if (likely((fork_held & walk) == walk)) {
		/* The linear addresses first: the vmalloc trees' nodes may be there. */
		vmap_alias_fork_child();
		vmap_map_fork_child();
		kmap_fork_remap();
	} else {
		ret = arch_files_fork_remap_all();
		if (unlikely(ret))
			arch_kill_self();	/* no printk: the interrupted code may hold its lock */
	}
}

/*
 * The last lock step, every allocator lock held (a fork that waits for
 * them): copy the physical memory file again.  prepare's copy was taken
 * with no lock held, and other threads went on storing into the library's
 * own memory on its shared mappings (a page vmap() moved there keeps its
 * shared linear address when freed, and may come back as a slab page:
 * freelists, the vmalloc trees' nodes); only the changes made through the
 * host layer reach a copy.  Now nothing of the library's changes until
 * fork(2).  That file holds only pages vmap() moved, so the copy is
 * short.  The vmalloc file (every vmalloc() area's pages, possibly
 * gigabytes) is not copied twice: a vmalloc'ed page goes back to private
 * memory when it is freed, so its bytes are only ever its owner's, and a
 * store racing the fork is documented as possibly missing in the child;
 * the areas made since that copy (fork_new) and vmalloc's own page
 * arrays are the exceptions, copied again below.
 * A failure stops the child, as a failed switch does.
 */
static void vmalloc_fork_refresh(void)
{
	struct vmap_area *va;
	int ret;

	if (!fork_owner)
		return;
	if (!fork_waits()) {
		fork_refresh_error = 0;
		return;
	}
	ret = arch_files_fork_refresh(ARCH_PHYS_FILE) ?: fork_refresh_new_areas();
	/*
	 * The one piece of the library's own data in the vmalloc file: an
	 * area's page array past a page is vmalloc'ed (as the kernel's
	 * __vmalloc_area_node does), and an area made after prepare's copy
	 * is in the child's busy tree (slab memory) with an array the copy
	 * lacks (vfree and vmalloc_to_page read it).  The arrays are 1/512
	 * of their areas: only they are copied again, never the data.
	 */
	for (va = vmap_next_busy_locked(0); va && !ret; va = vmap_next_busy_locked(va->va_end)) {
		struct vm_struct *vm = va->vm;
		struct page **pages;
		unsigned long start, end;

		if (!vm)
			continue;
		/*
		 * Set without the lock by a vmalloc() still filling its area
		 * (__vmalloc_area_node): its array may be missed or copied
		 * half filled, and that vmalloc() never returns in the child.
		 */
		pages = data_race(vm->pages);
		if (!pages || !is_vmalloc_addr(pages))
			continue;
		start = (unsigned long)pages & PAGE_MASK;
		/* Its size and flags likewise (VM_UNINITIALIZED clears as it finishes). */
		end = PAGE_ALIGN((unsigned long)(pages + (data_race(get_vm_area_size(vm)) >> PAGE_SHIFT)));
		ret = arch_files_fork_refresh_range(ARCH_VMALLOC_FILE, start - VMALLOC_START,
						    end - start);
	}
	fork_refresh_error = ret;
}

/* In the child, after every later step's child: the locks go. */
static void vmalloc_fork_child(void)
{
	fork_window_close();
	fork_owner = false;
	fork_unlock_all();
	fork_mutex_unlock(&vmalloc_fork_mutex);
}

static const struct fork_step vmalloc_fork_step = {
	.name = "vmalloc",
	.order = FORK_ORDER_VMALLOC,
	.prepare = vmalloc_fork_prepare,
	.abort = vmalloc_fork_abort,
	.lock = vmalloc_fork_lock,
	.parent = vmalloc_fork_parent,
	.child = vmalloc_fork_child,
};

static const struct fork_step vmalloc_fork_remap_step = {
	.name = "vmalloc remap",
	.order = FORK_ORDER_VMALLOC_REMAP,
	.lock = vmalloc_fork_refresh,
	.child = vmalloc_fork_remap_child,
};

void vmalloc_fork_init(void)
{
	fork_register_step(&vmalloc_fork_step);
	fork_register_step(&vmalloc_fork_remap_step);
}
