/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc_fork.c - fork() for the shared mappings of vmalloc, vmap,
 * vm_map_ram and kmap (mm/vmalloc.c's design, point 7).
 *
 * A shared mapping stays shared with a child, so without help parent and
 * child would see each other's writes to vmalloc memory, to linear
 * addresses that vmap made file-backed, and to highmem pages.  fork()
 * gives the child private copies of both memory files instead:
 *
 *  prepare (parent, before the fork system call): purge the lazily freed
 *	ranges (less to copy), take every vmalloc lock, then copy each file's
 *	allocated extents into a new file (copy_file_range: page cache to page
 *	cache inside the host kernel).  This step may fail (no memory for the
 *	copies, no descriptor): then the child must not run with shared
 *	memory.
 *  parent (after fork, or after a failed fork): close the copies, unlock.
 *  child: make the copies its files and map every shared range again from
 *	them: the vmalloc range segment by segment (guards and overlays
 *	again), every file-backed linear address, every kmap.  Device
 *	mappings (ioremap) stay shared, as a device is.
 *
 * Nothing waits for the child and nothing has a deadline.  The copy holds
 * the vmalloc locks, so no area appears or goes while it runs; a store
 * that another thread makes into vmalloc memory while fork() copies may be
 * missing in the child (a store ordered before the fork() call is there,
 * and nothing written after fork() returns is ever seen by the other side).
 *
 * Registered with kernel/fork.c at FORK_ORDER_VMALLOC (before slab and the
 * page allocator: the purge frees area nodes and pages).  The may-fail
 * step is vmalloc_fork_prepare(); with a protocol that can fail a fork it
 * is that step as it is.  Until then it runs inside the lock-all hook, and
 * a child whose copy failed stops at once (abort) instead of sharing.
 */
#include <linux/mm.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

static int fork_parent_pid;
static int fork_copy_error;

static void fork_lock_all(void)
{
	arch_spin_lock(&vmap_purge_lock);
	vmap_purge_locked();
	arch_spin_lock(&vmap_seg_lock);
	arch_spin_lock(&vmap_alias_lock);
	spin_lock(&vmap_area_lock);
}

static void fork_unlock_all(void)
{
	spin_unlock(&vmap_area_lock);
	arch_spin_unlock(&vmap_alias_lock);
	arch_spin_unlock(&vmap_seg_lock);
	arch_spin_unlock(&vmap_purge_lock);
}

/**
 * vmalloc_fork_prepare - take the vmalloc locks and copy the memory files
 * for the child.  Returns 0, or -errno with the locks released and
 * nothing kept (the fork must fail).  Context: the forking thread.
 */
static int vmalloc_fork_prepare(void)
{
	int ret;

	fork_lock_all();
	ret = arch_files_fork_copy();
	if (ret)
		fork_unlock_all();
	return ret;
}

/* After fork() in the parent, whether or not a child was made. */
static void vmalloc_fork_parent(void)
{
	arch_files_fork_drop();
	fork_unlock_all();
}

/* In the child: private files, every shared range mapped from them again. */
static void vmalloc_fork_child(void)
{
	arch_files_fork_switch();
	vmap_map_fork_child();
	vmap_alias_fork_child();
	kmap_fork_remap();
	fork_unlock_all();
}

/* ---- the lock-all / unlock-all pair kernel/fork.c calls today ---- */

static void vmalloc_fork_lock(void)
{
	fork_parent_pid = arch_getpid();
	fork_copy_error = vmalloc_fork_prepare();
}

static void vmalloc_fork_unlock(void)
{
	if (arch_getpid() == fork_parent_pid) {
		if (!fork_copy_error)
			vmalloc_fork_parent();
		return;
	}
	if (unlikely(fork_copy_error)) {
		pr_emerg("fork: no private copy of vmalloc memory for the child (error %d); it stops\n",
			 fork_copy_error);
		arch_abort();
	}
	vmalloc_fork_child();
}

void vmalloc_fork_init(void)
{
	ukmem_register_fork_hook(FORK_ORDER_VMALLOC, vmalloc_fork_lock, vmalloc_fork_unlock);
}
