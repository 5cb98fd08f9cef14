/* SPDX-License-Identifier: MIT */
/*
 * linux/highmem.h - temporary mappings of pages (include/linux/highmem.h,
 * highmem-internal.h).
 *
 * Only the i386 layout (boot option "highmem") has highmem: pages above
 * 896 MiB with no permanent address.  page_address() of such a page is NULL
 * unless it is kmapped.  kmap() maps it in the pkmap window (LAST_PKMAP
 * entries, may sleep while all are busy) until kunmap(); kmap_local_page()
 * and kmap_atomic() map it in a private slot for a short section, released
 * in reverse order by kunmap_local()/kunmap_atomic().  Lowmem pages need
 * none of it: every function returns page_address().
 */
#ifndef _LINUX_HIGHMEM_H
#define _LINUX_HIGHMEM_H

#include <string.h>
#include <ukmem/kernel_types.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/preempt.h>
#include <linux/cacheflush.h>	/* flush_dcache_page(), as the kernel's highmem.h brings */

UKMEM_C_BEGIN

/* i386 without PAE: 1024 entries of the pkmap page table (512 with PAE). */
#define LAST_PKMAP		1024
#define LAST_PKMAP_MASK		(LAST_PKMAP - 1)
/* Slots for kmap_local/kmap_atomic: KM_MAX_IDX (16) for each of 64 tasks at once. */
#define KM_MAX_IDX		16
#define KMAP_LOCAL_SLOTS	1024

UKMEM_API_BEGIN
extern unsigned long ukmem_pkmap_base;		/* PKMAP_BASE, 0 without highmem */
void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_local_page(struct page *page);
void *kmap_local_pfn(unsigned long pfn);
void kunmap_local_indexed(const void *vaddr);
unsigned long nr_free_highpages(void);
/* The page a kmap, kmap_local or lowmem address maps (kmap_to_page). */
struct page *kmap_to_page(void *addr);
/*
 * kmap_flush_unused - unmap every pkmap entry no kmap() holds any more
 * (they otherwise stay until the window wraps), so that page_address()
 * of their highmem pages is NULL again.  Nothing to do without highmem.
 * Context: process context; takes the kmap lock.
 */
void kmap_flush_unused(void);
UKMEM_API_END

#define PKMAP_BASE		ukmem_pkmap_base
#define PKMAP_NR(virt)		((((unsigned long)(virt)) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr)		(PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))

/* is_highmem() and is_highmem_idx() are linux/mmzone.h's, as in the kernel. */

/*
 * Is @x an address kmap() or kmap_local_page()/kmap_atomic() handed out
 * (the pkmap window and the slots above it)?  Never without highmem,
 * where every map is page_address().
 */
static inline bool is_kmap_addr(const void *x)
{
	unsigned long addr = (unsigned long)x;

	return PKMAP_BASE && addr >= PKMAP_BASE &&
	       addr - PKMAP_BASE < ((unsigned long)(LAST_PKMAP + KMAP_LOCAL_SLOTS) << PAGE_SHIFT);
}

#define kunmap_local(addr)	kunmap_local_indexed((const void *)(addr))

/*
 * kmap_local_page_try_from_panic - a lowmem page's address, from a context
 * that must not take a lock (v6.15: a panic's dump); NULL for a highmem
 * page, which would need a mapping.
 */
static inline void *kmap_local_page_try_from_panic(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	return NULL;
}

/*
 * kmap_atomic: kmap_local_page() with preemption and page faults disabled
 * (the caller must not sleep until kunmap_atomic()).
 */
#define pagefault_disable()	preempt_disable()
#define pagefault_enable()	preempt_enable()
static inline void *kmap_atomic(struct page *page)
{
	preempt_disable();
	return kmap_local_page(page);
}
static inline void *kmap_atomic_pfn(unsigned long pfn)
{
	preempt_disable();
	return kmap_local_pfn(pfn);
}
#define kunmap_atomic(addr)					\
	do {							\
		kunmap_local_indexed((const void *)(addr));	\
		preempt_enable();				\
	} while (0)

static inline void clear_highpage(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	memset(kaddr, 0, PAGE_SIZE);
	kunmap_local(kaddr);
}

/*
 * Zero bytes [start1, end1) and [start2, end2) of @page, a compound page's
 * head counting for all of it: one page mapped at a time, as highmem needs.
 */
static inline void zero_user_segments(struct page *page, unsigned int start1, unsigned int end1,
				      unsigned int start2, unsigned int end2)
{
	unsigned int i, n = (unsigned int)compound_nr(page);

	BUG_ON(end1 > n * PAGE_SIZE || end2 > n * PAGE_SIZE);
	for (i = 0; i < n && (end1 || end2); i++) {
		unsigned int lo = i * PAGE_SIZE, hi = lo + PAGE_SIZE;
		char *kaddr = NULL;

		if (start1 < hi && end1 > lo) {
			kaddr = kmap_local_page(page + i);
			memset(kaddr + max(start1, lo) - lo, 0, min(end1, hi) - max(start1, lo));
		}
		if (start2 < hi && end2 > lo) {
			if (!kaddr)
				kaddr = kmap_local_page(page + i);
			memset(kaddr + max(start2, lo) - lo, 0, min(end2, hi) - max(start2, lo));
		}
		if (kaddr)
			kunmap_local(kaddr);
	}
}

static inline void zero_user_segment(struct page *page, unsigned int start, unsigned int end)
{
	zero_user_segments(page, start, end, 0, 0);
}

static inline void zero_user(struct page *page, unsigned int start, unsigned int size)
{
	zero_user_segments(page, start, start + size, 0, 0);
}

static inline void copy_highpage(struct page *to, struct page *from)
{
	char *vfrom = kmap_local_page(from), *vto = kmap_local_page(to);

	memcpy(vto, vfrom, PAGE_SIZE);
	kunmap_local(vto);
	kunmap_local(vfrom);
}

/* The byte at @offset of @folio, mapped until kunmap_local() (one page of it). */
static inline void *kmap_local_folio(struct folio *folio, size_t offset)
{
	return (char *)kmap_local_page(folio_page(folio, offset / PAGE_SIZE)) + offset % PAGE_SIZE;
}

static inline void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len)
{
	char *from = kmap_local_page(page);

	memcpy(to, from + offset, len);
	kunmap_local(from);
}

static inline void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len)
{
	char *to = kmap_local_page(page);

	memcpy(to + offset, from, len);
	kunmap_local(to);
}

/*
 * Byte ranges of one page, mapped for the call (v5.17+).  As in the kernel
 * a range must not leave its page (VM_BUG_ON, here in debug builds).
 */
static inline void memcpy_page(struct page *dst_page, size_t dst_off, struct page *src_page,
			       size_t src_off, size_t len)
{
	char *dst = kmap_local_page(dst_page);
	char *src = kmap_local_page(src_page);

	VM_BUG_ON(dst_off + len > PAGE_SIZE || src_off + len > PAGE_SIZE);
	memcpy(dst + dst_off, src + src_off, len);
	kunmap_local(src);
	kunmap_local(dst);
}

static inline void memset_page(struct page *page, size_t offset, int val, size_t len)
{
	char *addr = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	memset(addr + offset, val, len);
	kunmap_local(addr);
}

static inline void memzero_page(struct page *page, size_t offset, size_t len)
{
	memset_page(page, offset, 0, len);
}

/* @len bytes of @folio from @offset on, into @to: a page mapped at a time. */
static inline void memcpy_from_folio(char *to, struct folio *folio, size_t offset, size_t len)
{
	while (len) {
		size_t chunk = min(len, (size_t)(PAGE_SIZE - offset % PAGE_SIZE));
		const char *from = kmap_local_folio(folio, offset);

		memcpy(to, from, chunk);
		kunmap_local(from);
		to += chunk;
		offset += chunk;
		len -= chunk;
	}
}

/* @len bytes from @from into @folio at @offset on. */
static inline void memcpy_to_folio(struct folio *folio, size_t offset, const char *from, size_t len)
{
	while (len) {
		size_t chunk = min(len, (size_t)(PAGE_SIZE - offset % PAGE_SIZE));
		char *to = kmap_local_folio(folio, offset);

		memcpy(to, from, chunk);
		kunmap_local(to);
		from += chunk;
		offset += chunk;
		len -= chunk;
	}
}

static inline void folio_zero_segments(struct folio *folio, size_t start1, size_t xend1,
				       size_t start2, size_t xend2)
{
	zero_user_segments(&folio->page, (unsigned int)start1, (unsigned int)xend1,
			   (unsigned int)start2, (unsigned int)xend2);
}

static inline void folio_zero_segment(struct folio *folio, size_t start, size_t xend)
{
	zero_user_segments(&folio->page, (unsigned int)start, (unsigned int)xend, 0, 0);
}

static inline void folio_zero_range(struct folio *folio, size_t start, size_t length)
{
	zero_user_segments(&folio->page, (unsigned int)start, (unsigned int)(start + length), 0, 0);
}

/**
 * folio_zero_tail - zero @folio from @offset to its end
 * @folio: the folio
 * @offset: where the zeroing starts in it
 * @kaddr: @offset's address, from kmap_local_folio(@folio, @offset)
 *
 * Returns the address still mapped (a highmem folio is zeroed a page at a
 * time, each mapped in turn); the caller kunmap_local()s it (v6.8+).
 */
static inline __must_check void *folio_zero_tail(struct folio *folio, size_t offset, void *kaddr)
{
	size_t len = folio_size(folio) - offset;

	if (folio_test_highmem(folio)) {
		size_t max = PAGE_SIZE - offset_in_page(offset);

		while (len > max) {
			memset(kaddr, 0, max);
			kunmap_local(kaddr);
			len -= max;
			offset += max;
			max = PAGE_SIZE;
			kaddr = kmap_local_folio(folio, offset);
		}
	}
	memset(kaddr, 0, len);
	return kaddr;
}

/**
 * folio_fill_tail - copy @len bytes from @from into @folio at @offset, zero the rest
 * (v6.8+; an inline file's data, say).  Context: any.
 */
static inline void folio_fill_tail(struct folio *folio, size_t offset, const char *from, size_t len)
{
	char *to = kmap_local_folio(folio, offset);

	VM_BUG_ON(offset + len > folio_size(folio));
	if (folio_test_highmem(folio)) {
		size_t max = PAGE_SIZE - offset_in_page(offset);

		while (len > max) {
			memcpy(to, from, max);
			kunmap_local(to);
			len -= max;
			from += max;
			offset += max;
			max = PAGE_SIZE;
			to = kmap_local_folio(folio, offset);
		}
	}
	memcpy(to, from, len);
	to = folio_zero_tail(folio, offset + len, to + len);
	kunmap_local(to);
}

/*
 * Copy @len bytes from @src_folio at @src_off to @dst_folio at @dst_off,
 * a page at a time where either is in highmem (each mapping covers one
 * page of it).
 */
static inline void memcpy_folio(struct folio *dst_folio, size_t dst_off,
				struct folio *src_folio, size_t src_off, size_t len)
{
	VM_BUG_ON(dst_off + len > folio_size(dst_folio));
	VM_BUG_ON(src_off + len > folio_size(src_folio));
	while (len) {
		char *to = kmap_local_folio(dst_folio, dst_off);
		const char *from = kmap_local_folio(src_folio, src_off);
		size_t step = len;

		if (folio_test_highmem(dst_folio))
			step = min(step, PAGE_SIZE - offset_in_page(dst_off));
		if (folio_test_highmem(src_folio))
			step = min(step, PAGE_SIZE - offset_in_page(src_off));
		memcpy(to, from, step);
		kunmap_local(from);
		kunmap_local(to);
		dst_off += step;
		src_off += step;
		len -= step;
	}
}

/* kunmap_local(@addr) of @folio's mapping, then drop the reference that kept it. */
static inline void folio_release_kmap(struct folio *folio, void *addr)
{
	kunmap_local(addr);
	folio_put(folio);
}

static inline struct page *alloc_zeroed_user_highpage_movable(void *vma, unsigned long vaddr)
{
	(void)vma;
	(void)vaddr;
	return alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
}

UKMEM_C_END

#endif /* _LINUX_HIGHMEM_H */
