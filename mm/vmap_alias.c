/* SPDX-License-Identifier: MIT */
/*
 * mm/vmap_alias.c - the linear addresses of pages that vmalloc, vmap and
 * vm_map_ram map: the kernel's promise that page_address(page) and the
 * vmalloc address show the same bytes.  mm/vmalloc.c's opening comment is
 * the design (points 2 and 4).
 *
 * A page's linear address is one of:
 *  - private anonymous memory (every page to begin with);
 *  - a shared mapping of the physical memory file at the page's physical
 *    address: a plain lowmem page that vmap() or vm_map_ram() mapped.  Its
 *    bytes moved into the file once; the state stays after vunmap(), a
 *    valid state for any page, until page reporting hands the block back
 *    to the host and replaces the mapping (vmalloc_linear_decommit);
 *  - a shared mapping of the vmalloc file at the page's vmalloc offset
 *    (PG_vmalloc_alias): a page of a vmalloc() area whose struct page was
 *    handed out (vmalloc_to_page(), kmap()).  Made lazily, taken down by
 *    vfree() before the page goes back to the buddy allocator.
 * linear_shared_map has a bit per pfn for the two shared states.
 *
 * A page whose alias cannot be taken down (the host refuses the private
 * mapping: strict overcommit, the map limit) is quarantined: kept off the
 * free lists, its alias in place, and retried at every purge.
 */
#include <errno.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/list.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

DEFINE_SPINLOCK_RANKED(vmap_alias_lock, LOCK_RANK_VMAP_ALIAS);

static unsigned long *linear_shared_map;
static atomic_long_t nr_linear_shared;
static LIST_HEAD(quarantine);		/* vmap_alias_lock */
static unsigned long nr_quarantined;

static bool pfn_linear_shared(unsigned long pfn)
{
	return (__atomic_load_n(&linear_shared_map[pfn / BITS_PER_LONG], __ATOMIC_ACQUIRE) >>
		(pfn % BITS_PER_LONG)) & 1;
}

static bool test_and_set_linear_shared(unsigned long pfn)
{
	unsigned long bit = 1UL << (pfn % BITS_PER_LONG);

	return __atomic_fetch_or(&linear_shared_map[pfn / BITS_PER_LONG], bit,
				 __ATOMIC_ACQ_REL) & bit;
}

static bool test_and_clear_linear_shared(unsigned long pfn)
{
	unsigned long bit = 1UL << (pfn % BITS_PER_LONG);

	return __atomic_fetch_and(&linear_shared_map[pfn / BITS_PER_LONG], ~bit,
				  __ATOMIC_ACQ_REL) & bit;
}

bool linear_map_shared_any(unsigned long pfn, unsigned long n)
{
	unsigned long i;

	if (!__atomic_load_n(&linear_shared_map, __ATOMIC_ACQUIRE) ||
	    !atomic_long_read(&nr_linear_shared))
		return false;
	for (i = 0; i < n; i++)
		if (pfn_linear_shared(pfn + i))
			return true;
	return false;
}

int vmap_alias_init(void)
{
	/* Host memory, one bit per pfn, touched only where pages are shared. */
	if (!linear_shared_map)
		linear_shared_map = arch_map_anon(BITS_TO_LONGS(ukmem_ram_pfns) * sizeof(long));
	return linear_shared_map ? 0 : -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* plain pages: the physical memory file (vmap, vm_map_ram)            */

/*
 * Give @nr lowmem pages from @first a private anonymous linear mapping
 * again, with their bytes, and drop their file pages: the way back when
 * making them file-backed failed half way.
 */
static void linear_unshare(struct page *first, unsigned int nr)
{
	void *linear = lowmem_page_address(first);
	u64 phys = page_to_phys(first);
	size_t len = (size_t)nr << PAGE_SHIFT;

	if (arch_remap_anon(linear, len)) {
		/* No memory for a private copy: stay file-backed if at all possible. */
		if (!arch_map_file(linear, len, ARCH_PHYS_FILE, phys, ARCH_MAP_POPULATE))
			return;
		pr_warn_once("vmalloc: pfn %#lx lost its linear mapping\n", page_to_pfn(first));
		return;
	}
	arch_file_read(ARCH_PHYS_FILE, phys, linear, len);
	arch_file_release(ARCH_PHYS_FILE, phys, len);
}

/* Move @nr lowmem pages from @first into the file, mapped at their linear address. */
static int linear_share(struct page *first, unsigned int nr)
{
	void *linear = lowmem_page_address(first);
	u64 phys = page_to_phys(first);
	size_t len = (size_t)nr << PAGE_SHIFT;
	int ret;

	ret = arch_file_init(ARCH_PHYS_FILE, ukmem_ram_size);
	if (!ret)
		ret = arch_file_populate(ARCH_PHYS_FILE, phys, len);
	if (ret)
		return ret;
	/* The bytes go along: vmap()'s pages keep their contents. */
	if (unlikely(slab_tools_active))
		tool_host_copy_source(linear, len);	/* never-written bytes are no error */
	if (arch_file_write(ARCH_PHYS_FILE, phys, linear, len)) {
		arch_file_release(ARCH_PHYS_FILE, phys, len);
		return -ENOMEM;
	}
	ret = arch_map_file(linear, len, ARCH_PHYS_FILE, phys, ARCH_MAP_POPULATE);
	if (ret) {
		linear_unshare(first, nr);
		return ret;
	}
	atomic_long_add(nr, &nr_linear_shared);
	return 0;
}

/**
 * vmap_share_pages - make the linear address of each plain lowmem page in
 * @pages that is still private a shared mapping of the physical memory
 * file, bytes included (runs of consecutive frames at once)
 *
 * Pages of vmalloc() areas and highmem pages are left alone: their bytes
 * are in a file already.  On failure pages already done stay file-backed,
 * a valid state for any page.  Returns 0 or -errno.
 */
int vmap_share_pages(struct page **pages, unsigned int n)
{
	unsigned int i = 0, len, k;
	int ret;

	while (i < n) {
		unsigned long pfn = page_to_pfn(pages[i]);

		if (PageHighMem(pages[i]) || PageVmalloc(pages[i]) ||
		    test_and_set_linear_shared(pfn)) {
			i++;
			continue;
		}
		/* Claim the run of consecutive private frames that follows. */
		for (len = 1; i + len < n && !PageHighMem(pages[i + len]) &&
			      !PageVmalloc(pages[i + len]) &&
			      page_to_pfn(pages[i + len]) == pfn + len &&
			      !test_and_set_linear_shared(pfn + len); len++)
			;
		ret = linear_share(pages[i], len);
		if (ret) {
			for (k = 0; k < len; k++)
				test_and_clear_linear_shared(pfn + k);
			return ret;
		}
		i += len;
	}
	return 0;
}

/* The bits of [pfn, pfn+nr) in their words: @fn(word, mask) per word. */
static unsigned long for_each_bit_word(unsigned long pfn, unsigned long nr,
				       unsigned long (*fn)(unsigned long *w, unsigned long mask))
{
	unsigned long i, any = 0;

	/* Word by word; a block below 64 pages owns only some bits of its word. */
	for (i = pfn; i < pfn + nr; i = (i | (BITS_PER_LONG - 1)) + 1) {
		unsigned long first = i % BITS_PER_LONG;
		unsigned long last = min(pfn + nr - (i - first), (unsigned long)BITS_PER_LONG);
		unsigned long mask = (last == BITS_PER_LONG ? ~0UL : (1UL << last) - 1) &
				     ~((1UL << first) - 1);

		any += fn(&linear_shared_map[i / BITS_PER_LONG], mask);
	}
	return any;
}

static unsigned long count_bits(unsigned long *w, unsigned long mask)
{
	return (unsigned long)__builtin_popcountl(__atomic_load_n(w, __ATOMIC_RELAXED) & mask);
}

static unsigned long clear_bits(unsigned long *w, unsigned long mask)
{
	if (!(__atomic_load_n(w, __ATOMIC_RELAXED) & mask))
		return 0;
	return (unsigned long)__builtin_popcountl(__atomic_fetch_and(w, ~mask, __ATOMIC_ACQ_REL) &
						  mask);
}

/**
 * vmalloc_linear_shared - does the linear address of any page of
 * [pfn, pfn+nr) map the physical memory file?  (A free block: vfree takes
 * vmalloc-file aliases down, so a bit here means the physical file.)
 * Context: zone->lock held, or the block isolated; never sleeps.
 */
bool vmalloc_linear_shared(unsigned long pfn, unsigned long nr)
{
	return linear_shared_map && for_each_bit_word(pfn, nr, count_bits);
}

/**
 * vmalloc_linear_decommit - page reporting replaced the linear mapping of
 * [pfn, pfn+nr) with private memory: forget that it was file-backed and
 * drop the file's copies.  Context: as vmalloc_linear_shared().
 */
void vmalloc_linear_decommit(unsigned long pfn, unsigned long nr)
{
	unsigned long any;

	if (!linear_shared_map)
		return;
	any = for_each_bit_word(pfn, nr, clear_bits);
	if (!any)
		return;
	atomic_long_sub(any, &nr_linear_shared);
	arch_file_release(ARCH_PHYS_FILE, PFN_PHYS(pfn), nr << PAGE_SHIFT);
}

/* ------------------------------------------------------------------ */
/* vmalloc() pages: lazy aliases of the vmalloc file                   */

static bool aliasable(const struct page *page)
{
	return !PageHighMem(page) && PageVmalloc(page) && !PageVmallocAlias(page);
}

/* Pages i.. of @pages that are consecutive in frame and in vmalloc offset. */
static unsigned int alias_run(struct page **pages, unsigned int i, unsigned int n,
			      bool (*want)(const struct page *))
{
	unsigned int j = i + 1;

	while (j < n && want(pages[j]) &&
	       page_to_pfn(pages[j]) == page_to_pfn(pages[i]) + (j - i) &&
	       pages[j]->index == pages[i]->index + (j - i))
		j++;
	return j - i;
}

static void mark_aliased(struct page **pages, unsigned int n, bool aliased)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		unsigned long pfn = page_to_pfn(pages[k]);

		if (aliased) {
			SetPageVmallocAlias(pages[k]);
			if (!test_and_set_linear_shared(pfn))
				atomic_long_inc(&nr_linear_shared);
		} else {
			ClearPageVmallocAlias(pages[k]);
			if (test_and_clear_linear_shared(pfn))
				atomic_long_dec(&nr_linear_shared);
		}
	}
}

/**
 * vmap_alias_pages - map the linear address of each lowmem page of a
 * vmalloc() area in @pages onto the vmalloc file, where its bytes are
 *
 * No byte moves, so a thread writing through the vmalloc address meanwhile
 * loses nothing.  Each run of pages consecutive in frame and offset is one
 * host mapping (more where it splits the linear map).  If the host refuses
 * (its map limit), page_address() of those pages does not show their bytes
 * (reported once); the page is still handed out.  Context: any but a signal
 * handler that interrupted this library.
 */
void vmap_alias_pages(struct page **pages, unsigned int n)
{
	unsigned int i = 0, len;

	spin_lock(&vmap_alias_lock);
	while (i < n) {
		struct page *first = pages[i];
		unsigned long pfn;
		bool had_phys = false;
		unsigned int k;
		int ret;

		if (!aliasable(first)) {
			i++;
			continue;
		}
		len = alias_run(pages, i, n, aliasable);
		pfn = page_to_pfn(first);
		for (k = 0; k < len; k++)
			had_phys |= pfn_linear_shared(pfn + k);
		ret = arch_map_file(lowmem_page_address(first), (size_t)len << PAGE_SHIFT,
				    ARCH_VMALLOC_FILE, (u64)first->index << PAGE_SHIFT, 0);
		/*
		 * Marked aliased even on failure: the old mapping may be gone,
		 * and vfree() then gives the page private memory again.
		 */
		mark_aliased(pages + i, len, true);
		if (ret)
			pr_warn_once("vmalloc: no linear alias for pfn %#lx (error %d, the host's map limit?): page_address() does not show its bytes\n",
					    pfn, ret);
		else if (had_phys)
			arch_file_release(ARCH_PHYS_FILE, PFN_PHYS(pfn), (size_t)len << PAGE_SHIFT);
		i += len;
	}
	spin_unlock(&vmap_alias_lock);
}

/* Private memory at the linear address of @len pages from @first; 0 or -errno. */
static int unalias_run(struct page *first, unsigned int len)
{
	int ret = arch_remap_anon(lowmem_page_address(first), (size_t)len << PAGE_SHIFT);

	if (ret)
		return ret;
	/* Whatever the physical memory file still held for these frames is stale. */
	if (arch_file_ready(ARCH_PHYS_FILE))
		arch_file_release(ARCH_PHYS_FILE, page_to_phys(first), (size_t)len << PAGE_SHIFT);
	return 0;
}

static bool is_aliased(const struct page *page)
{
	return PageVmallocAlias(page);
}

void vmap_unalias_pages(struct page **pages, unsigned int n)
{
	unsigned int i, len, k;

	for (i = 0; i < n && !(pages[i] && PageVmallocAlias(pages[i])); i++)
		;
	if (likely(i == n))
		return;
	spin_lock(&vmap_alias_lock);
	while (i < n) {
		if (!pages[i] || !PageVmallocAlias(pages[i])) {
			i++;
			continue;
		}
		len = alias_run(pages, i, n, is_aliased);
		if (!unalias_run(pages[i], len)) {
			mark_aliased(pages + i, len, false);
		} else {
			for (k = i; k < i + len; k++) {
				list_add_tail(&pages[k]->lru, &quarantine);
				pages[k] = NULL;
			}
			nr_quarantined += len;
			pr_warn("vmalloc: %u pages kept back: their linear alias cannot be taken down yet\n",
					    len);
		}
		i += len;
	}
	spin_unlock(&vmap_alias_lock);
}

void vmap_alias_retry(void)
{
	struct page *page, *next;
	LIST_HEAD(done);

	if (likely(list_empty(&quarantine)))
		return;
	spin_lock(&vmap_alias_lock);
	list_for_each_entry_safe(page, next, &quarantine, lru) {
		if (unalias_run(page, 1))
			continue;
		mark_aliased(&page, 1, false);
		list_move_tail(&page->lru, &done);
		nr_quarantined--;
	}
	spin_unlock(&vmap_alias_lock);
	list_for_each_entry_safe(page, next, &done, lru) {
		list_del(&page->lru);
		ClearPageVmalloc(page);
		page->index = 0;
		__free_page(page);
	}
}

/**
 * vmap_materialize_pages - remove_vm_area() of a vmalloc() area: the
 * caller keeps the pages, so their bytes move from the area (still mapped
 * at @addr) to each page's own memory, and the pages become plain pages.
 */
void vmap_materialize_pages(unsigned long addr, struct page **pages, unsigned int n)
{
	static char buf[PAGE_SIZE];	/* vmap_alias_lock */
	unsigned int i;

	spin_lock(&vmap_alias_lock);
	for (i = 0; i < n; i++) {
		struct page *page = pages[i];
		const void *src = (const void *)(addr + ((unsigned long)i << PAGE_SHIFT));

		if (PageHighMem(page)) {
			if (unlikely(slab_tools_active))
				tool_host_copy_source(src, PAGE_SIZE);
			arch_file_write(ARCH_PHYS_FILE, page_to_phys(page), src, PAGE_SIZE);
		} else if (PageVmallocAlias(page)) {
			memcpy(buf, src, PAGE_SIZE);
			if (unalias_run(page, 1)) {
				WARN_ONCE(1, "vmalloc: pfn %#lx keeps its alias; its bytes are lost\n",
					  page_to_pfn(page));
				continue;	/* stays a vmalloc page, freed (as bad) by the caller */
			}
			mark_aliased(&page, 1, false);
			memcpy(lowmem_page_address(page), buf, PAGE_SIZE);
		} else {
			memcpy(lowmem_page_address(page), src, PAGE_SIZE);
		}
		ClearPageVmalloc(page);
		page->index = 0;
		kmap_page_moved(page);
	}
	spin_unlock(&vmap_alias_lock);
}

int vmap_map_backing(void *addr, struct page *page)
{
	u64 off;
	enum arch_file f = page_backing(page, &off);

	return arch_map_file(addr, PAGE_SIZE, f, off, f == ARCH_PHYS_FILE ? ARCH_MAP_POPULATE : 0);
}

/* ------------------------------------------------------------------ */
/* fork child                                                           */

void vmap_fork_remap(void *addr, size_t len, enum arch_file f, u64 off, unsigned int flags)
{
	int ret = arch_map_file(addr, len, f, off, flags);

	if (likely(!ret))
		return;
	/* Never shared with the parent: inaccessible rather than shared. */
	if (!arch_unmap_to_reserved(addr, len)) {
		pr_err("fork: child lost %p-%p (error %d)\n", addr, (char *)addr + len, ret);
		return;
	}
	pr_emerg("fork: the child cannot make %p-%p private (error %d); it stops\n", addr,
		 (char *)addr + len, ret);
	arch_abort();
}

/* Where a shared linear address maps: the vmalloc file if aliased, else the physical file. */
static enum arch_file linear_backing(const struct page *page, u64 *off)
{
	if (PageVmallocAlias(page)) {
		*off = (u64)page->index << PAGE_SHIFT;
		return ARCH_VMALLOC_FILE;
	}
	*off = page_to_phys(page);
	return ARCH_PHYS_FILE;
}

/* In the child, with every vmalloc lock held: each shared linear run again. */
void vmap_alias_fork_child(void)
{
	unsigned long pfn = 0, end;

	while (linear_shared_map && pfn < ukmem_ram_pfns) {
		if (!linear_shared_map[pfn / BITS_PER_LONG]) {
			pfn = ALIGN(pfn + 1, BITS_PER_LONG);
			continue;
		}
		if (!pfn_linear_shared(pfn)) {
			pfn++;
			continue;
		}
		for (end = pfn + 1; end < ukmem_ram_pfns && pfn_linear_shared(end); end++)
			;
		while (pfn < end) {
			u64 off, o;
			enum arch_file f = linear_backing(pfn_to_page(pfn), &off);
			unsigned long j;

			for (j = pfn + 1; j < end && linear_backing(pfn_to_page(j), &o) == f &&
					  o == off + ((j - pfn) << PAGE_SHIFT); j++)
				;
			vmap_fork_remap(pfn_to_virt(pfn), (j - pfn) << PAGE_SHIFT, f, off, 0);
			debug_pagealloc_fork_remapped(pfn, j - pfn);
			pfn = j;
		}
	}
}
