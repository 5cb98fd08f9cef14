/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc_map.c - the host mappings behind the vmalloc range: the
 * vmalloc file mapped in segments, guard pages, overlays (vmap,
 * vm_map_ram, ioremap), and the lazy purge of freed ranges (the kernel's
 * free_vmap_area_noflush / purge_vmap_area_lazy / lazy_max_pages).
 * mm/vmalloc.c's opening comment is the design (points 1, 3, 5 and 6).
 *
 * Invariant: every page of a mapped segment that is not the data of a live
 * vmalloc() area or under an overlay is guarded (where the host enforces
 * guards), and a hole of the vmalloc file unless it waits on the lazy list
 * (its pages are dropped when it is purged).  So a new area needs no host
 * call but opening its data range, and reads zero.
 */
#include <errno.h>
#include <stdio.h>

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

/* Segments: the vmalloc file is mapped over the range 2 MiB at a time. */
#define VMAP_SEG_SHIFT	21
#define VMAP_SEG_SIZE	(1UL << VMAP_SEG_SHIFT)

DEFINE_SPINLOCK_RANKED(vmap_purge_lock, LOCK_RANK_VMAP_PURGE);
DEFINE_SPINLOCK_RANKED(vmap_seg_lock, LOCK_RANK_VMAP_SEG);

static unsigned long vm_base, vm_limit;	/* the range the file covers */
static unsigned long nr_segs;
static unsigned long *seg_map;		/* a bit per mapped segment */

/*
 * How guard pages (and freed ranges) are made to fault.  madvise: guard
 * markers, which cost no mapping (Linux 6.15+ on shared file mappings);
 * mprotect: PROT_NONE, which splits the segment's mapping around every
 * live area (two host mappings per area); off: not enforced.  Chosen at
 * the first mapping (boot option vmalloc.guard= overrides).
 */
enum { GUARD_OFF, GUARD_MPROTECT, GUARD_MADVISE };
static int guard_mode;
static const char *const guard_names[] = { "off", "mprotect", "madvise" };

/*
 * The lazy list: unlinked areas whose range is not purged yet, bucketed
 * by size so that a vmalloc() of the same size finds a warm one.
 */
#define VMAP_LAZY_BUCKETS	64
static struct list_head lazy_buckets[VMAP_LAZY_BUCKETS];	/* vmap_area_lock */
static atomic_long_t lazy_nr;		/* pages on it */

static inline u64 file_off(unsigned long addr)
{
	return addr - vm_base;
}

static bool seg_mapped(unsigned long seg)
{
	return (__atomic_load_n(&seg_map[seg / BITS_PER_LONG], __ATOMIC_ACQUIRE) >>
		(seg % BITS_PER_LONG)) & 1;
}

/* Make [addr, addr+len) fault (the guard).  A failure only weakens protection. */
static void guard_range(unsigned long addr, unsigned long len)
{
	if (guard_mode == GUARD_MADVISE)
		arch_guard_install((void *)addr, len);
	else if (guard_mode == GUARD_MPROTECT)
		arch_protect((void *)addr, len, false);
}

/* Map segments [first, last) of the file; vmap_seg_lock held. */
static int map_segments(unsigned long first, unsigned long last)
{
	unsigned long addr = vm_base + (first << VMAP_SEG_SHIFT);
	unsigned long end = min(vm_base + (last << VMAP_SEG_SHIFT), vm_limit);
	unsigned long s;
	int ret;

	ret = arch_map_file((void *)addr, end - addr, ARCH_VMALLOC_FILE, file_off(addr),
			    guard_mode == GUARD_MPROTECT ? ARCH_MAP_NONE : 0);
	if (ret) {
		if (arch_file_lost(ARCH_VMALLOC_FILE))
			pr_err_once("vmalloc: the program closed the vmalloc file's descriptor and it cannot be opened again: no new vmalloc ranges\n");
		return ret;
	}
	if (guard_mode == GUARD_MADVISE) {
		ret = arch_guard_install((void *)addr, end - addr);
		if (ret) {
			/* Not marked mapped: the next caller maps it again. */
			arch_unmap_to_reserved((void *)addr, end - addr);
			return ret;
		}
	}
	for (s = first; s < last; s++)
		__atomic_fetch_or(&seg_map[s / BITS_PER_LONG], 1UL << (s % BITS_PER_LONG),
				  __ATOMIC_RELEASE);
	return 0;
}

/**
 * vmap_segments_map - map the vmalloc file under [start, end) where it is
 * not mapped yet (guarded), before an area there is used
 * Returns 0 or -errno (the host's map limit); nothing changes on failure.
 * Context: process context, no lock held.
 */
int vmap_segments_map(unsigned long start, unsigned long end)
{
	unsigned long first = (start - vm_base) >> VMAP_SEG_SHIFT;
	unsigned long last = ((end - 1 - vm_base) >> VMAP_SEG_SHIFT) + 1, s, e;
	int ret = 0;

	for (s = first; s < last && seg_mapped(s); s++)
		;
	if (likely(s == last))
		return 0;
	spin_lock(&vmap_seg_lock);
	while (s < last && !ret) {
		if (seg_mapped(s)) {
			s++;
			continue;
		}
		for (e = s + 1; e < last && !seg_mapped(e); e++)
			;
		ret = map_segments(s, e);
		s = e;
	}
	spin_unlock(&vmap_seg_lock);
	return ret;
}

int vmap_open(unsigned long addr, unsigned long len)
{
	int ret = 0;

	if (guard_mode == GUARD_MADVISE)
		ret = arch_guard_remove((void *)addr, len);
	else if (guard_mode == GUARD_MPROTECT)
		ret = arch_protect((void *)addr, len, true);
	/* Strict overcommit: charge the pages now, or a fault would be SIGBUS. */
	if (!ret && arch_strict_overcommit())
		ret = arch_file_populate(ARCH_VMALLOC_FILE, file_off(addr), len);
	return ret;
}

/*
 * Part of a live vmalloc() area's data range gives its pages up
 * (vrealloc()'s shrink): its file pages are dropped and it faults, as the
 * rest of the range will once it is purged.
 */
void vmap_close(unsigned long addr, unsigned long len)
{
	arch_file_release(ARCH_VMALLOC_FILE, file_off(addr), len);
	guard_range(addr, len);
}

/* ------------------------------------------------------------------ */
/* overlays                                                             */

int vmap_overlay_pages(unsigned long addr, struct page **pages, unsigned int n)
{
	unsigned int i = 0, j;

	while (i < n) {
		u64 off, o;
		enum arch_file f = page_backing(pages[i], &off);
		int ret;

		for (j = i + 1; j < n && page_backing(pages[j], &o) == f &&
				o == off + ((u64)(j - i) << PAGE_SHIFT); j++)
			;
		/* The physical memory file's pages exist: write the PTEs now, as the kernel does. */
		ret = arch_map_file((void *)(addr + ((unsigned long)i << PAGE_SHIFT)),
				    (size_t)(j - i) << PAGE_SHIFT, f, off,
				    f == ARCH_PHYS_FILE ? ARCH_MAP_POPULATE : 0);
		if (ret)
			return ret;
		i = j;
	}
	return 0;
}

int vmap_overlay_fd(void *addr, size_t len, int fd, u64 offset)
{
	struct vmap_area *va;
	int ret = arch_map_fd(addr, len, fd, offset);

	if (ret)
		return ret;
	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)addr);
	if (va)
		va->flags |= VMAP_DEVICE;
	spin_unlock(&vmap_area_lock);
	return 0;
}

int vmap_overlay_restore(unsigned long addr, unsigned long len)
{
	return arch_map_file((void *)addr, len, ARCH_VMALLOC_FILE, file_off(addr),
			     guard_mode == GUARD_MPROTECT ? ARCH_MAP_NONE : 0);
}

int vmap_overlay_unmap(unsigned long addr, unsigned long len)
{
	int ret = vmap_overlay_restore(addr, len);

	/*
	 * Nothing wrote the file there (the overlay was on top of it): it
	 * only has to fault again, as the rest of an unmapped range does.
	 */
	if (!ret)
		guard_range(addr, len);
	return ret;
}

/* ------------------------------------------------------------------ */
/* lazy free, reuse and purge                                           */

/*
 * The kernel purges when more than fls(online CPUs) * 32 MiB of address
 * space waits; here a waiting range may also hold host pages (what was
 * written before vfree), so a quarter of that.
 */
static unsigned long lazy_max_pages(void)
{
	return (unsigned long)fls((int)num_online_cpus()) * ((8UL << 20) >> PAGE_SHIFT);
}

static struct list_head *lazy_bucket(unsigned long size)
{
	return &lazy_buckets[(size >> PAGE_SHIFT) % VMAP_LAZY_BUCKETS];
}

/* Sort the list by address (merge sort). */
static struct vmap_area *sort_by_start(struct vmap_area *list)
{
	struct vmap_area *a = NULL, *b = NULL, *next, **tail, *out = NULL;
	bool to_a = true;

	if (!list || !list->purge_next)
		return list;
	for (; list; list = next, to_a = !to_a) {
		next = list->purge_next;
		if (to_a) {
			list->purge_next = a;
			a = list;
		} else {
			list->purge_next = b;
			b = list;
		}
	}
	a = sort_by_start(a);
	b = sort_by_start(b);
	tail = &out;
	while (a && b) {
		if (a->va_start < b->va_start) {
			*tail = a;
			a = a->purge_next;
		} else {
			*tail = b;
			b = b->purge_next;
		}
		tail = &(*tail)->purge_next;
	}
	*tail = a ? a : b;
	return out;
}

/* The host side of a purge: drop the file's pages and guard, per run of neighbours. */
static void purge_ranges(struct vmap_area *list)
{
	struct vmap_area *va = list;

	while (va) {
		unsigned long start = va->va_start, end = va->va_end;

		for (va = va->purge_next; va && va->va_start == end; va = va->purge_next)
			end = va->va_end;
		arch_file_release(ARCH_VMALLOC_FILE, file_off(start), end - start);
		guard_range(start, end - start);
	}
}

/* Put @va on the lazy list; vmap_area_lock held. */
static void lazy_add_locked(struct vmap_area *va)
{
	list_add(&va->lazy, lazy_bucket(va_size(va)));
}

/* Give the purged ranges back to the free tree (stuck ones wait again); nodes freed after. */
static void release_ranges(struct vmap_area *list, struct vmap_area *stuck, long nr_stuck)
{
	struct vmap_area *dead_list = NULL, *va, *next;

	spin_lock(&vmap_area_lock);
	for (va = list; va; va = next) {
		struct vmap_area *dead[2];
		int nr_dead = 0, i;

		next = va->purge_next;
		va->flags = 0;
		va->purge_next = NULL;
		vmap_release_locked(va, dead, &nr_dead);
		for (i = 0; i < nr_dead; i++) {
			dead[i]->purge_next = dead_list;
			dead_list = dead[i];
		}
	}
	for (va = stuck; va; va = va->purge_next)
		lazy_add_locked(va);
	spin_unlock(&vmap_area_lock);
	atomic_long_add(nr_stuck, &lazy_nr);
	for (va = dead_list; va; va = next) {
		next = va->purge_next;
		vmap_node_free(va);
	}
}

/*
 * Take the old overlays of one run of neighbours, @first to @last, down:
 * one call for the run, else one per area; an area whose overlay stays up
 * is marked VMAP_STUCK.
 */
static void restore_run(struct vmap_area *first, struct vmap_area *last)
{
	struct vmap_area *stop = last->purge_next, *va;
	bool need = false;

	for (va = first; va != stop; va = va->purge_next)
		need |= (va->flags & (VMAP_OVERLAY | VMAP_STUCK)) != 0;
	if (need && vmap_overlay_restore(first->va_start, last->va_end - first->va_start)) {
		for (va = first; va != stop; va = va->purge_next)
			if ((va->flags & (VMAP_OVERLAY | VMAP_STUCK)) &&
			    vmap_overlay_restore(va->va_start, va_size(va)))
				va->flags |= VMAP_STUCK;
			else
				va->flags &= ~VMAP_STUCK;
	} else {
		for (va = first; va != stop; va = va->purge_next)
			va->flags &= ~VMAP_STUCK;
	}
	for (va = first; va != stop; va = va->purge_next)
		va->flags &= ~VMAP_OVERLAY;
}

void vmap_purge_locked(void)
{
	struct vmap_area *list = NULL, *va, *n, *next, *ready = NULL, **tail = &ready;
	struct vmap_area *stuck = NULL;
	long taken = 0, nr_stuck = 0;
	int b;

	if (!__atomic_load_n(&seg_map, __ATOMIC_ACQUIRE))	/* and the lists it publishes */
		return;		/* vmalloc never used */
	spin_lock(&vmap_area_lock);
	for (b = 0; b < VMAP_LAZY_BUCKETS; b++) {
		list_for_each_entry_safe(va, n, &lazy_buckets[b], lazy) {
			list_del(&va->lazy);
			va->purge_next = list;
			list = va;
			taken += (long)(va_size(va) >> PAGE_SHIFT);
		}
	}
	spin_unlock(&vmap_area_lock);
	if (list) {
		atomic_long_sub(taken, &lazy_nr);
		list = sort_by_start(list);
		/* Old overlays go, a run of neighbours at a time. */
		for (va = list; va; va = next) {
			struct vmap_area *last = va;

			while (last->purge_next && last->purge_next->va_start == last->va_end)
				last = last->purge_next;
			next = last->purge_next;
			restore_run(va, last);
		}
		for (va = list; va; va = next) {
			next = va->purge_next;
			if (va->flags & VMAP_STUCK) {	/* still up: wait for the next purge */
				va->purge_next = stuck;
				stuck = va;
				nr_stuck += (long)(va_size(va) >> PAGE_SHIFT);
				continue;
			}
			kfree(va->map_pages);
			va->map_pages = NULL;
			*tail = va;
			tail = &va->purge_next;
		}
		*tail = NULL;
		purge_ranges(ready);
		release_ranges(ready, stuck, nr_stuck);
	}
	vmap_alias_retry();
}

/**
 * vmap_purge - purge every lazily freed area now (the kernel's
 * purge_vmap_area_lazy(); vm_unmap_aliases() and a failed area search
 * call it).  Context: process context, no vmalloc lock held.
 */
void vmap_purge(void)
{
	spin_lock(&vmap_purge_lock);
	vmap_purge_locked();
	spin_unlock(&vmap_purge_lock);
}

void vmap_lazy_free(struct vmap_area *va, bool now)
{
	unsigned long nr = va_size(va) >> PAGE_SHIFT;

	if (now && !(va->flags & VMAP_STUCK)) {
		/* At once: strict overcommit wants its charge back, init_on_free its zeroes. */
		va->purge_next = NULL;
		spin_lock(&vmap_purge_lock);
		purge_ranges(va);
		release_ranges(va, NULL, 0);
		spin_unlock(&vmap_purge_lock);
		return;
	}
	/* A range that cannot be reused as it is faults from now on. */
	if (!(va->flags & (VMAP_WARM | VMAP_STUCK | VMAP_OVERLAY)))
		guard_range(va->va_start, va_size(va));
	spin_lock(&vmap_area_lock);
	lazy_add_locked(va);
	spin_unlock(&vmap_area_lock);
	if ((unsigned long)atomic_long_add_return((long)nr, &lazy_nr) > lazy_max_pages())
		vmap_purge();
}

/**
 * vmap_lazy_take - a lazily freed range of exactly @size bytes at @align in
 * [@vstart, @vend), in the state @want, busy again, or NULL
 *
 * A warm vmalloc() range (VMAP_WARM, with VMAP_NOGUARD if it had no guard
 * page) is still open and its file pages still there, so the new area
 * needs no host call and its first touch no fault; it holds what the last
 * owner wrote.  An old overlay (VMAP_OVERLAY, with VMAP_RAM for vm_map_ram)
 * that @match accepts still maps the same pages.  The most recently freed
 * range first.  Context: process context.
 */
struct vmap_area *vmap_lazy_take(unsigned long size, unsigned long align,
				 unsigned long vstart, unsigned long vend, unsigned int want,
				 bool (*match)(const struct vmap_area *va, void *arg), void *arg)
{
	struct list_head *bucket = lazy_bucket(size);
	struct vmap_area *va, *found = NULL;
	int tries = 0;

	if (!__atomic_load_n(&seg_map, __ATOMIC_ACQUIRE))	/* and the lists it publishes */
		return NULL;
	spin_lock(&vmap_area_lock);
	list_for_each_entry(va, bucket, lazy) {
		if (++tries > 16)
			break;
		if ((va->flags & (VMAP_WARM | VMAP_NOGUARD | VMAP_STUCK | VMAP_OVERLAY | VMAP_RAM)) !=
		    want || va_size(va) != size || (va->va_start & (align - 1)) ||
		    va->va_start < vstart || va->va_end > vend || (match && !match(va, arg)))
			continue;
		list_del(&va->lazy);
		vmap_insert_busy_locked(va);
		found = va;
		break;
	}
	spin_unlock(&vmap_area_lock);
	if (found)
		atomic_long_sub((long)(size >> PAGE_SHIFT), &lazy_nr);
	return found;
}

/* "0x<start>-0x<end> <size> unpurged vm_area", 16 at a time, no lock held while printing. */
void vmap_show_lazy(FILE *m)
{
	struct { unsigned long start, end; } batch[16];	/* each reader its own */
	unsigned long skip = 0;
	int n, i;

	if (!__atomic_load_n(&seg_map, __ATOMIC_ACQUIRE))	/* and the lists it publishes */
		return;
	do {
		struct vmap_area *va;
		unsigned long pos = 0;
		int b;

		n = 0;
		spin_lock(&vmap_area_lock);
		for (b = 0; b < VMAP_LAZY_BUCKETS && n < 16; b++)
			list_for_each_entry(va, &lazy_buckets[b], lazy) {
				if (pos++ < skip)
					continue;
				if (n == 16)
					break;
				batch[n].start = va->va_start;
				batch[n].end = va->va_end;
				n++;
			}
		spin_unlock(&vmap_area_lock);
		skip += (unsigned long)n;
		for (i = 0; i < n; i++)
			fprintf(m, "0x%016lx-0x%016lx %7ld unpurged vm_area\n", batch[i].start,
				batch[i].end, (long)(batch[i].end - batch[i].start));
	} while (n == 16);
}

/* ------------------------------------------------------------------ */
/* fork child                                                           */

/* One stretch of mapped segments, [s, e): the file again, guards, overlays. */
static void remap_stretch(unsigned long s, unsigned long e)
{
	unsigned int mflags = guard_mode == GUARD_MPROTECT ? ARCH_MAP_NONE : 0;
	unsigned long cur = s;
	struct vmap_area *va;

	/* The file, around device mappings (a device stays shared, as it is). */
	for (va = vmap_next_busy_locked(s); va && va->va_start < e;
	     va = vmap_next_busy_locked(va->va_end)) {
		if (!(va->flags & VMAP_DEVICE))
			continue;
		if (va->va_start > cur)
			vmap_fork_remap((void *)cur, va->va_start - cur, ARCH_VMALLOC_FILE,
					file_off(cur), mflags);
		cur = va->va_start + get_vm_area_size(va->vm);
	}
	if (cur < e)
		vmap_fork_remap((void *)cur, e - cur, ARCH_VMALLOC_FILE, file_off(cur), mflags);
	/* Guards everywhere but live vmalloc() data and device mappings. */
	cur = s;
	for (va = vmap_next_busy_locked(s); va && va->va_start < e;
	     va = vmap_next_busy_locked(va->va_end)) {
		unsigned long dend;

		if (!(va->flags & VMAP_DEVICE) && !(va->vm && (va->vm->flags & VM_ALLOC)))
			continue;
		dend = va->va_start + get_vm_area_size(va->vm);
		/* A vmalloc() area vrealloc() shrank: its freed pages stay guarded. */
		if ((va->vm->flags & VM_ALLOC) && !vm_uninitialized(va->vm))
			dend = va->va_start + ((unsigned long)va->vm->nr_pages << PAGE_SHIFT);
		if (va->va_start > cur && guard_mode == GUARD_MADVISE)
			arch_guard_install((void *)cur, va->va_start - cur);
		if (guard_mode == GUARD_MPROTECT && !(va->flags & VMAP_DEVICE))
			arch_protect((void *)va->va_start, dend - va->va_start, true);
		cur = dend;
	}
	if (cur < e && guard_mode == GUARD_MADVISE)
		arch_guard_install((void *)cur, e - cur);
	/* vmap and vm_map_ram: their pages, from the new files. */
	for (va = vmap_next_busy_locked(s); va && va->va_start < e;
	     va = vmap_next_busy_locked(va->va_end)) {
		struct page **pages;
		unsigned int n, i = 0, j;

		if (!va->map_pages || (va->flags & VMAP_DEVICE))
			continue;
		pages = area_pages(va, &n);
		while (i < n) {
			u64 off, o;
			enum arch_file f;

			/* A sparse area (vm_area_map_pages) has holes: they stay guarded. */
			if (!pages[i]) {
				i++;
				continue;
			}
			f = page_backing(pages[i], &off);
			for (j = i + 1; j < n && pages[j] && page_backing(pages[j], &o) == f &&
					o == off + ((u64)(j - i) << PAGE_SHIFT); j++)
				;
			vmap_fork_remap((void *)(va->va_start + ((unsigned long)i << PAGE_SHIFT)),
					(size_t)(j - i) << PAGE_SHIFT, f, off, 0);
			i = j;
		}
	}
}

/* With every vmalloc lock held, in the only thread of a new child. */
void vmap_map_fork_child(void)
{
	unsigned long s = 0, e;
	struct vmap_area *va;
	int b;

	/* Ranges freed after the fork's purge are mapped plain and guarded below. */
	for (b = 0; seg_map && b < VMAP_LAZY_BUCKETS; b++)
		list_for_each_entry(va, &lazy_buckets[b], lazy)
			va->flags &= ~(VMAP_WARM | VMAP_NOGUARD | VMAP_OVERLAY);

	while (seg_map && s < nr_segs) {
		if (!seg_mapped(s)) {
			s++;
			continue;
		}
		for (e = s + 1; e < nr_segs && seg_mapped(e); e++)
			;
		remap_stretch(vm_base + (s << VMAP_SEG_SHIFT),
			      min(vm_base + (e << VMAP_SEG_SHIFT), vm_limit));
		s = e;
	}
}

/* ------------------------------------------------------------------ */
/* setup                                                                */

/* Which guard the host enforces: try a guard marker on the first segment. */
static int choose_guard_mode(void)
{
	int want = boot_config.vmalloc_guard;

	if (want >= 0) {
		guard_mode = want;
		return 0;
	}
	guard_mode = GUARD_MADVISE;
	if (arch_map_file((void *)vm_base, VMAP_SEG_SIZE, ARCH_VMALLOC_FILE, 0, 0))
		return -ENOMEM;
	/*
	 * No guard markers: an older host (-EINVAL), or a sandbox whose
	 * seccomp filter refuses the call (-EPERM, -ENOSYS).  mprotect works
	 * on every host.
	 */
	if (arch_guard_install((void *)vm_base, PAGE_SIZE))
		guard_mode = GUARD_MPROTECT;
	arch_unmap_to_reserved((void *)vm_base, VMAP_SEG_SIZE);
	return 0;
}

/**
 * vmap_map_init - the vmalloc file and its first segment for [start, end)
 * Context: vmalloc's first use, once.
 */
int vmap_map_init(unsigned long start, unsigned long end)
{
	static bool ready;
	unsigned long *map;
	int ret;

	if (ready)
		return 0;
	if (!seg_map) {
		for (ret = 0; ret < VMAP_LAZY_BUCKETS; ret++)
			INIT_LIST_HEAD(&lazy_buckets[ret]);
		vm_base = start;
		vm_limit = end;
		nr_segs = (end - start + VMAP_SEG_SIZE - 1) >> VMAP_SEG_SHIFT;
		map = arch_map_anon(BITS_TO_LONGS(nr_segs) * sizeof(long));
		if (!map)
			return -ENOMEM;
		/* Published once the lazy list is ready: purge and fork look at it. */
		__atomic_store_n(&seg_map, map, __ATOMIC_RELEASE);
	}
	ret = arch_file_init(ARCH_VMALLOC_FILE, end - start);
	if (!ret)
		ret = choose_guard_mode();
	if (!ret) {
		spin_lock(&vmap_seg_lock);
		ret = map_segments(0, 1);
		spin_unlock(&vmap_seg_lock);
	}
	if (ret)
		return ret;
	ready = true;
	pr_info("vmalloc: %lu MiB of address space, guard pages: %s\n", (end - start) >> 20,
		guard_names[guard_mode]);
	return 0;
}
