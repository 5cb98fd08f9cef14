/* SPDX-License-Identifier: MIT */
/*
 * mm/highmem.c - highmem pages and their temporary mappings (mm/highmem.c:
 * kmap_high, kunmap_high, flush_all_zero_pkmaps, __kmap_local_pfn_prot).
 *
 * The i386 layout (boot option "highmem", mm/mm_init.c zone_limits) puts
 * every page above 896 MiB in ZONE_HIGHMEM.  Those pages are never mapped
 * at their linear address, which stays inaccessible: touching it faults, as
 * touching an unmapped address does on i386.  Their bytes live in the
 * physical memory file (arch/mapping.h) at offset = physical address, or,
 * while vmalloc() owns the page, in the vmalloc file (page_backing());
 * "committing" a highmem block means giving the file pages there
 * (ukmem_commit_pfns), which is where strict overcommit can say no.
 *
 * Mappings, all in a window carved from the top of the vmalloc range:
 *  - pkmap: LAST_PKMAP pages.  kmap() finds the page's entry through
 *    page->virtual or takes a free one, scanning round-robin from the last
 *    one used; at each wrap, entries nobody holds any more (count 1) are
 *    unmapped (flush_all_zero_pkmaps).  When every entry is held, kmap()
 *    sleeps until a kunmap() releases one.  pkmap_count[] is the kernel's:
 *    0 free, 1 mapped but unused, n > 1 held n - 1 times.
 *  - kmap_local slots: KMAP_LOCAL_SLOTS pages shared by all threads (the
 *    kernel has 16 per CPU; a thread here can migrate, so slots are
 *    global).  kmap_local_page() never sleeps: it spins if all are taken.
 *    kunmap_local() unmaps the slot at once, as the kernel clears the PTE.
 *
 * Each map is one mmap() of the file; pkmap unmaps are batched at the wrap.
 *
 * Locks: kmap_lock guards pkmap_count[], pkmap_page[] and page->virtual of
 * highmem pages (host calls are made under it, as the kernel writes PTEs
 * under it); local slots are claimed with atomic bit operations.
 */
#include <errno.h>

#include <linux/highmem.h>
#include <linux/spinlock.h>
#include "arch/host.h"
#include "arch/mapping.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

bool ukmem_highmem_layout;
unsigned long ukmem_pkmap_base;
static unsigned long kmap_local_base;
static unsigned long highstart_pfn;

DEFINE_SPINLOCK_RANKED(kmap_lock, LOCK_RANK_KMAP);	/* mm/vmalloc.h: fork takes it */
static int pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static unsigned int last_pkmap_nr;
static u32 pkmap_wait_seq;		/* bumped and woken when an entry frees up */
static int pkmap_waiters;

static unsigned long local_used[BITS_TO_LONGS(KMAP_LOCAL_SLOTS)];
static struct page *local_page[KMAP_LOCAL_SLOTS];

/* ------------------------------------------------------------------ */
/* the highmem layout's memory                                          */

/**
 * ukmem_commit_pfns - make [pfn, pfn + nr) usable before the buddy
 * allocator hands it out (mm/mm_init.c and page reporting call it)
 *
 * Lowmem: the linear map becomes read-write (arch_commit).  Highmem: the
 * physical memory file gets pages there; the linear address stays
 * inaccessible.  Returns 0 or -ENOMEM (strict overcommit said no).
 */
int ukmem_commit_pfns(unsigned long pfn, unsigned long nr)
{
	if (likely(!ukmem_highmem_layout) || pfn + nr <= highstart_pfn)
		return arch_commit(pfn_to_virt(pfn), nr << PAGE_SHIFT);
	if (WARN_ON_ONCE(pfn < highstart_pfn))
		return -EINVAL;		/* a range may not straddle the boundary */
	if (arch_file_init(ARCH_PHYS_FILE, ukmem_ram_size))
		return -ENOMEM;
	return arch_file_populate(ARCH_PHYS_FILE, PFN_PHYS(pfn), nr << PAGE_SHIFT);
}

/*
 * Boot, after setup_arch(): as i386's setup_arch, boot allocations stay in
 * lowmem (memblock's current limit) and high_memory is the end of lowmem.
 */
void highmem_setup(void)
{
	ukmem_highmem_layout = boot_config.layout_32bit;
	if (!ukmem_highmem_layout) {
		highstart_pfn = ~0UL;
		return;
	}
	highstart_pfn = min(PHYS_PFN(896UL << 20), PHYS_PFN(ukmem_ram_size));
	memblock_set_current_limit(PFN_PHYS(highstart_pfn));
	high_memory = __va(PFN_PHYS(highstart_pfn));
}

unsigned long kmap_init(unsigned long vmalloc_end)
{
	unsigned long size = (unsigned long)(LAST_PKMAP + KMAP_LOCAL_SLOTS) << PAGE_SHIFT;

	if (!ukmem_highmem_layout)
		return vmalloc_end;
	/* i386 puts PKMAP_BASE just above VMALLOC_END, below the fixmap slots. */
	ukmem_pkmap_base = vmalloc_end - size;
	kmap_local_base = ukmem_pkmap_base + ((unsigned long)LAST_PKMAP << PAGE_SHIFT);
	return ukmem_pkmap_base - PAGE_SIZE;	/* and a hole in between */
}

/**
 * nr_free_highpages - free pages in the highmem zones (0 without highmem)
 * Context: any.
 */
unsigned long nr_free_highpages(void)
{
	unsigned long sum = 0;
	int nid;

	ukmem_ensure_booted();	/* the layout is the boot's */
	if (!ukmem_highmem_layout)
		return 0;
	for_each_online_node(nid)
		sum += zone_page_state(&NODE_DATA(nid)->node_zones[ZONE_HIGHMEM], NR_FREE_PAGES);
	return sum;
}

/* ------------------------------------------------------------------ */
/* pkmap                                                                */

/* Unmap every entry nobody holds (count 1), in runs, and mark it free. */
static void flush_all_zero_pkmaps(void)
{
	unsigned int i, start = LAST_PKMAP;

	for (i = 0; i <= LAST_PKMAP; i++) {
		bool zero = i < LAST_PKMAP && pkmap_count[i] == 1;

		if (zero) {
			pkmap_count[i] = 0;
			WRITE_ONCE(pkmap_page[i]->virtual, NULL);
			pkmap_page[i] = NULL;
			if (start == LAST_PKMAP)
				start = i;
			continue;
		}
		if (start != LAST_PKMAP) {
			arch_unmap_to_reserved((void *)PKMAP_ADDR(start),
					       (size_t)(i - start) << PAGE_SHIFT);
			start = LAST_PKMAP;
		}
	}
}

static void *map_new_virtual(struct page *page)
{
	unsigned int count;
	unsigned long vaddr;

start:
	count = LAST_PKMAP;
	for (;;) {
		last_pkmap_nr = (last_pkmap_nr + 1) & LAST_PKMAP_MASK;
		if (!last_pkmap_nr) {
			flush_all_zero_pkmaps();
			count = LAST_PKMAP;
		}
		if (!pkmap_count[last_pkmap_nr])
			break;
		if (--count)
			continue;
		/* Every entry is held: sleep until a kunmap() frees one. */
		{
			u32 seq = READ_ONCE(pkmap_wait_seq);

			pkmap_waiters++;
			spin_unlock(&kmap_lock);
			arch_wait(&pkmap_wait_seq, seq, -1);
			spin_lock(&kmap_lock);
			pkmap_waiters--;
		}
		/* Somebody else might have mapped it while we slept. */
		if (page->virtual)
			return page->virtual;
		goto start;
	}
	vaddr = PKMAP_ADDR(last_pkmap_nr);
	if (vmap_map_backing((void *)vaddr, page))
		return NULL;
	pkmap_count[last_pkmap_nr] = 1;
	pkmap_page[last_pkmap_nr] = page;
	WRITE_ONCE(page->virtual, (void *)vaddr);
	return (void *)vaddr;
}

/**
 * kmap - a mapping of @page that lasts until kunmap()
 * @page: any page
 *
 * Lowmem pages: page_address().  Highmem pages: an entry of the pkmap
 * window, shared by every kmap() of the same page; page_address() returns
 * it meanwhile.  Sleeps while all LAST_PKMAP entries are held.  Returns
 * NULL only if the host refuses the mapping (the kernel's never fails).
 * Context: may sleep.
 */
void *kmap(struct page *page)
{
	void *vaddr;

	might_sleep();
	if (!PageHighMem(page)) {
		vmalloc_page_linear(page);
		return page_address(page);
	}
	spin_lock(&kmap_lock);
	vaddr = page->virtual;
	if (!vaddr)
		vaddr = map_new_virtual(page);
	if (vaddr)
		pkmap_count[PKMAP_NR(vaddr)]++;
	spin_unlock(&kmap_lock);
	WARN_ONCE(!vaddr, "kmap: the host refused a mapping\n");
	return vaddr;
}

/**
 * kmap_page_moved - @page's bytes moved to another memory file (vmalloc
 * took the page or gave it back): a pkmap entry left from an earlier
 * kmap() follows them.
 * Context: process context; the page's owner.
 */
void kmap_page_moved(struct page *page)
{
	void *vaddr;

	if (!PageHighMem(page) || !READ_ONCE(page->virtual))
		return;
	spin_lock(&kmap_lock);
	vaddr = page->virtual;
	if (vaddr && vmap_map_backing(vaddr, page)) {
		unsigned long nr = PKMAP_NR(vaddr);

		/* No mapping for the new place: an entry nobody holds just goes. */
		if (!WARN_ONCE(pkmap_count[nr] != 1, "kmap: a held entry lost its page\n")) {
			arch_unmap_to_reserved(vaddr, PAGE_SIZE);
			pkmap_count[nr] = 0;
			pkmap_page[nr] = NULL;
			WRITE_ONCE(page->virtual, NULL);
		}
	}
	spin_unlock(&kmap_lock);
}

void kmap_flush_unused(void)
{
	spin_lock(&kmap_lock);
	flush_all_zero_pkmaps();
	spin_unlock(&kmap_lock);
}

/**
 * kunmap - release a kmap() of @page
 * @page: the page given to kmap()
 *
 * The entry stays mapped (page_address() still answers) until the pkmap
 * window wraps and nobody holds it.  Context: any; never sleeps.
 */
void kunmap(struct page *page)
{
	bool need_wakeup = false;
	unsigned long nr;

	if (!PageHighMem(page))
		return;
	spin_lock(&kmap_lock);
	if (WARN(!page->virtual, "kunmap: page not kmapped\n")) {
		spin_unlock(&kmap_lock);
		return;
	}
	nr = PKMAP_NR(page->virtual);
	switch (--pkmap_count[nr]) {
	case 0:
		BUG();		/* more kunmap()s than kmap()s */
	case 1:
		need_wakeup = pkmap_waiters > 0;
		break;
	}
	spin_unlock(&kmap_lock);
	if (need_wakeup) {
		__atomic_fetch_add(&pkmap_wait_seq, 1, __ATOMIC_RELEASE);
		arch_wake_all(&pkmap_wait_seq);
	}
}

/* ------------------------------------------------------------------ */
/* kmap_local                                                           */

static int take_local_slot(void)
{
	unsigned int start = (unsigned int)arch_current_cpu() * KM_MAX_IDX % KMAP_LOCAL_SLOTS;

	for (;;) {
		unsigned int i;

		for (i = 0; i < KMAP_LOCAL_SLOTS; i++) {
			unsigned int s = (start + i) % KMAP_LOCAL_SLOTS;
			unsigned long bit = 1UL << (s % BITS_PER_LONG);

			if (!(__atomic_load_n(&local_used[s / BITS_PER_LONG], __ATOMIC_RELAXED) & bit) &&
			    !(__atomic_fetch_or(&local_used[s / BITS_PER_LONG], bit,
						__ATOMIC_ACQUIRE) & bit))
				return (int)s;
		}
		arch_cpu_relax();	/* never sleeps: wait for a kunmap_local() */
	}
}

static void put_local_slot(unsigned int s)
{
	local_page[s] = NULL;
	__atomic_fetch_and(&local_used[s / BITS_PER_LONG], ~(1UL << (s % BITS_PER_LONG)),
			   __ATOMIC_RELEASE);
}

/*
 * This thread's kmap_local slots, innermost last: the kernel's per-task
 * kmap_ctrl, KM_MAX_IDX deep.  A push stores before it counts and a pop
 * counts down after it reads, so a signal handler's own kmap_local pairs
 * nest on top without disturbing an interrupted push or pop.
 */
static __thread struct {
	int depth;
	unsigned short slot[KM_MAX_IDX];
} kmap_local_stack __attribute__((tls_model("initial-exec")));

static void local_stack_push(int s)
{
	int depth = kmap_local_stack.depth;

	BUG_ON(depth >= KM_MAX_IDX);	/* the kernel's kmap_local_idx_push() */
	kmap_local_stack.slot[depth] = (unsigned short)s;
	barrier();
	kmap_local_stack.depth = depth + 1;
}

/*
 * Unmapping must be in reverse order of mapping: anything else is warned
 * about once, as the kernel's kunmap_local_indexed() warns, and the slot
 * is taken off this thread's stack wherever it is.
 */
static void local_stack_pop(unsigned int s)
{
	int depth = kmap_local_stack.depth, i;

	if (WARN_ON_ONCE(!depth || kmap_local_stack.slot[depth - 1] != s)) {
		for (i = depth - 1; i >= 0 && kmap_local_stack.slot[i] != s; i--)
			;
		if (i < 0)
			return;		/* not this thread's mapping */
		for (; i < depth - 1; i++)
			kmap_local_stack.slot[i] = kmap_local_stack.slot[i + 1];
	}
	barrier();
	kmap_local_stack.depth = depth - 1;
}

/**
 * kmap_local_page - a short-lived mapping of @page for this thread
 * @page: any page
 *
 * Lowmem pages: page_address().  Highmem pages: a private slot, mapped now
 * and unmapped by kunmap_local().  Nest in LIFO order.  NULL only if the
 * host refuses the mapping.  Context: any, never sleeps.
 */
void *kmap_local_page(struct page *page)
{
	unsigned long vaddr;
	int s;

	if (!PageHighMem(page)) {
		vmalloc_page_linear(page);
		return page_address(page);
	}
	s = take_local_slot();
	vaddr = kmap_local_base + ((unsigned long)s << PAGE_SHIFT);
	local_page[s] = page;
	if (vmap_map_backing((void *)vaddr, page)) {
		put_local_slot((unsigned int)s);
		return NULL;
	}
	local_stack_push(s);
	return (void *)vaddr;
}

void *kmap_local_pfn(unsigned long pfn)
{
	return kmap_local_page(pfn_to_page(pfn));
}

/**
 * kunmap_local_indexed - release a kmap_local_page() (use kunmap_local())
 * @vaddr: any address inside the mapping
 * Context: any, never sleeps.
 */
void kunmap_local_indexed(const void *vaddr)
{
	unsigned long addr = (unsigned long)vaddr & PAGE_MASK;
	unsigned long s;

	if (!kmap_local_base || addr < kmap_local_base ||
	    addr >= kmap_local_base + ((unsigned long)KMAP_LOCAL_SLOTS << PAGE_SHIFT))
		return;		/* a lowmem address: nothing was mapped */
	s = (addr - kmap_local_base) >> PAGE_SHIFT;
	local_stack_pop((unsigned int)s);
	arch_unmap_to_reserved((void *)addr, PAGE_SIZE);
	put_local_slot((unsigned int)s);
}

struct page *kmap_to_page(void *vaddr)
{
	unsigned long addr = (unsigned long)vaddr & PAGE_MASK;
	struct page *page = NULL;

	if (ukmem_pkmap_base && addr >= ukmem_pkmap_base && addr < kmap_local_base) {
		spin_lock(&kmap_lock);
		page = pkmap_page[PKMAP_NR(addr)];
		spin_unlock(&kmap_lock);
		return page;
	}
	if (kmap_local_base && addr >= kmap_local_base &&
	    addr < kmap_local_base + ((unsigned long)KMAP_LOCAL_SLOTS << PAGE_SHIFT))
		return local_page[(addr - kmap_local_base) >> PAGE_SHIFT];
	return virt_to_page(vaddr);
}

/* In the fork child: the page's bytes from the child's copy of their file. */
static void kmap_remap_one(unsigned long vaddr, struct page *page)
{
	u64 off;
	enum arch_file f = page_backing(page, &off);

	vmap_fork_remap((void *)vaddr, PAGE_SIZE, f, off, 0);
}

/*
 * fork child (called by mm/vmalloc_fork.c with the memory files just
 * replaced by the child's copies): map every live entry and slot again.
 */
void kmap_fork_remap(void)
{
	unsigned int i;

	if (!ukmem_highmem_layout)
		return;
	for (i = 0; i < LAST_PKMAP; i++)
		if (pkmap_count[i] && pkmap_page[i])
			kmap_remap_one(PKMAP_ADDR(i), pkmap_page[i]);
	for (i = 0; i < KMAP_LOCAL_SLOTS; i++)
		if (local_page[i])
			kmap_remap_one(kmap_local_base + ((unsigned long)i << PAGE_SHIFT),
				       local_page[i]);
}
