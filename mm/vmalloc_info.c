/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc_info.c - what the area trees say: vmalloc_to_page() and
 * vmalloc_to_pfn(), and /proc/vmallocinfo (the kernel's s_show() and
 * show_purge_info() in mm/vmalloc.c): one line per busy area, in address
 * order, then the lazily freed ranges.  Split from mm/vmalloc.c, whose
 * opening comment is the design; it only reads the area trees.
 */
#include <stdio.h>
#include <string.h>

#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

/* ---- lookups ---- */

/* Runs of pages consecutive in frame and offset, around @idx: one alias. */
static void alias_around(struct page **pages, unsigned int nr, unsigned int idx)
{
	unsigned long pfn = page_to_pfn(pages[idx]);
	unsigned int s = idx, e = idx + 1;

	while (s > 0 && page_to_pfn(pages[s - 1]) == pfn - (idx - s + 1) &&
	       PageVmalloc(pages[s - 1]))
		s--;
	while (e < nr && page_to_pfn(pages[e]) == pfn + (e - idx) && PageVmalloc(pages[e]))
		e++;
	vmap_alias_pages(pages + s, e - s);
}

/**
 * vmalloc_to_page - the struct page mapped at a vmalloc or vmap address
 * @vmalloc_addr: any address inside an area
 *
 * Returns the page the buddy allocator (or the vmap caller) provided, or
 * NULL for a guard page, an ioremap area or an address in no area.  From
 * now on page_address() (kmap() for highmem) of the page shows the bytes
 * of @vmalloc_addr's page: its linear address is aliased now (docs).
 * Context: any but a signal handler that interrupted this library.
 */
struct page *vmalloc_to_page(const void *vmalloc_addr)
{
	unsigned long addr = (unsigned long)vmalloc_addr;
	struct page *page = NULL, **pages = NULL;
	unsigned int idx = 0, nr = 0;
	struct vmap_area *va;

	if (!is_vmalloc_addr(vmalloc_addr))
		return NULL;
	spin_lock(&vmap_area_lock);
	va = vmap_find_containing_locked(addr);
	if (va && (va->vm || va->map_pages) &&
	    !(va->vm && vm_uninitialized(va->vm))) {
		idx = (unsigned int)((addr - va->va_start) >> PAGE_SHIFT);
		pages = area_pages(va, &nr);
		if (pages && idx < nr)
			page = pages[idx];
	}
	spin_unlock(&vmap_area_lock);
	if (page && PageVmalloc(page) && !PageVmallocAlias(page) && !PageHighMem(page))
		alias_around(pages, nr, idx);
	return page;
}

/**
 * vmalloc_to_pfn - the page frame behind a vmalloc, vmap or ioremap address
 * @vmalloc_addr: any address inside an area
 *
 * For ioremap areas, the device's frame.  0 where nothing is mapped.
 * Context: as vmalloc_to_page().
 */
unsigned long vmalloc_to_pfn(const void *vmalloc_addr)
{
	struct page *page = vmalloc_to_page(vmalloc_addr);
	unsigned long addr = (unsigned long)vmalloc_addr, pfn = 0;
	struct vmap_area *va;

	if (page)
		return page_to_pfn(page);
	if (!is_vmalloc_addr(vmalloc_addr))
		return 0;
	spin_lock(&vmap_area_lock);
	va = vmap_find_containing_locked(addr);
	if (va && va->vm && (va->vm->flags & VM_IOREMAP) &&
	    addr - va->va_start < get_vm_area_size(va->vm))
		pfn = va->vm->ukmem_pfns ? va->vm->ukmem_pfns[(addr - va->va_start) >> PAGE_SHIFT] :
		      PHYS_PFN(va->vm->phys_addr + (addr - va->va_start));
	spin_unlock(&vmap_area_lock);
	return pfn;
}

/* ---- /proc/vmallocinfo ---- */

#define VMI_BATCH	16

struct vmi_entry {
	unsigned long start, end, flags;
	const void *caller;
	phys_addr_t phys;
	unsigned int nr_pages;
	bool vpages, vm_map_ram;
	unsigned int nodes[MAX_NUMNODES];
};

static void show_entry(FILE *m, const struct vmi_entry *e)
{
	char sym[KSYM_SYMBOL_LEN];
	int nid;

	fprintf(m, "0x%016lx-0x%016lx %7ld", e->start, e->end, (long)(e->end - e->start));
	if (e->vm_map_ram) {
		fputs(" vm_map_ram\n", m);
		return;
	}
	if (e->caller) {
		sprint_symbol(sym, (unsigned long)e->caller);
		fprintf(m, " %s", sym);
	}
	if (e->nr_pages)
		fprintf(m, " pages=%u", e->nr_pages);
	if (e->phys)
		fprintf(m, " phys=0x%016llx", (unsigned long long)e->phys);
	if (e->flags & VM_IOREMAP)
		fputs(" ioremap", m);
	if (e->flags & VM_SPARSE)
		fputs(" sparse", m);
	if (e->flags & VM_ALLOC)
		fputs(" vmalloc", m);
	if (e->flags & VM_MAP)
		fputs(" vmap", m);
	if (e->flags & VM_USERMAP)
		fputs(" user", m);
	if (e->flags & VM_DMA_COHERENT)
		fputs(" dma-coherent", m);
	if (e->vpages)
		fputs(" vpages", m);
	for_each_online_node(nid)
		if (e->nodes[nid])
			fprintf(m, " N%d=%u", nid, e->nodes[nid]);
	fputc('\n', m);
}

/*
 * s_show(): "0x<start>-0x<end> <size> <caller> pages=N phys=... ioremap
 * vmalloc vmap user vpages N0=..", "... vm_map_ram" for vm_map_ram areas,
 * then the lazily freed ranges as "unpurged vm_area".  Entries are copied
 * 16 at a time under the lock and printed with no lock held (stdio may
 * allocate).
 */
void show_vmallocinfo(FILE *m)
{
	struct vmi_entry batch[VMI_BATCH];	/* each reader its own: two may read at once */
	unsigned long next = 0;
	int n, i;

	do {
		struct vmap_area *va;

		n = 0;
		spin_lock(&vmap_area_lock);
		for (va = vmap_next_busy_locked(next); va && n < VMI_BATCH;
		     va = vmap_next_busy_locked(va->va_end)) {
			struct vm_struct *v = va->vm;
			struct vmi_entry *e = &batch[n];
			unsigned int k;

			next = va->va_end;
			if (v ? vm_uninitialized(v) : !(va->flags & VMAP_RAM))
				continue;
			memset(e, 0, sizeof(*e));
			e->start = va->va_start;
			e->end = va->va_end;
			n++;
			if (!v) {
				e->vm_map_ram = true;
				continue;
			}
			e->flags = vm_flags_read(v);
			e->caller = v->caller;
			e->phys = v->phys_addr;
			e->nr_pages = v->nr_pages;
			e->vpages = is_vmalloc_addr(v->pages);
			for (k = 0; k < v->nr_pages; k++)
				if (v->pages[k])
					e->nodes[page_to_nid(v->pages[k])]++;
		}
		spin_unlock(&vmap_area_lock);
		for (i = 0; i < n; i++)
			show_entry(m, &batch[i]);
	} while (n == VMI_BATCH);
	vmap_show_lazy(m);
}

/**
 * vmalloc_dump_obj - continue the caller's line with the vmalloc area
 * @object lies in: " N-page vmalloc region starting at 0xADDR allocated
 * at CALLER".  False, printing nothing, if it lies in none (or the area
 * tree is busy: this is called from reports and never waits).
 */
bool vmalloc_dump_obj(void *object)
{
	unsigned long addr = PAGE_ALIGN((unsigned long)object), start;
	struct vmap_area *va;
	unsigned int nr_pages;
	const void *caller;

	if (!spin_trylock(&vmap_area_lock))
		return false;
	va = vmap_find_containing_locked(addr);
	if (!va || !va->vm) {
		spin_unlock(&vmap_area_lock);
		return false;
	}
	start = (unsigned long)va->vm->addr;
	nr_pages = va->vm->nr_pages;
	caller = va->vm->caller;
	spin_unlock(&vmap_area_lock);
	pr_cont(" %u-page vmalloc region starting at %#lx allocated at %pS\n", nr_pages, start,
		caller);
	return true;
}
