/* SPDX-License-Identifier: MIT */
/*
 * mm/debug.c - decoding gfp masks and page flags for %pGg and %pGp, and
 * the struct page reports: dump_page() and the "Bad page state" report
 * (mm/debug.c, include/trace/events/mmflags.h, lib/vsprintf.c's
 * format_flags()/format_page_flags() and mm/page_alloc.c's bad_page() in
 * the kernel).
 *
 * Flag names are matched the kernel's way: the table is walked in order, a
 * name is printed when all of its bits are still in the mask, and its bits
 * are then removed; whatever is left is printed as a number.  Composite
 * names (GFP_KERNEL) therefore come before single bits.
 *
 * Entry points: format_gfp_flags() and format_page_flags() (used by
 * lib/vsprintf.c), dump_page(), bad_page().  Nothing here allocates.
 */
#include <stdio.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/spinlock.h>
#include "mm/internal.h"
#include "arch/host.h"

struct flag_name {
	unsigned long mask;
	const char *name;
};

#define GFP_NAME(flag)	{ (unsigned long)(flag), #flag }

/*
 * __def_gfpflag_names of the 6.3 - 6.13 kernels (no __GFP_ATOMIC any more,
 * __GFP_ZEROTAGS last; the KASAN and lockdep bits are 0 in ukmem).
 */
static const struct flag_name gfpflag_names[] = {
	GFP_NAME(GFP_TRANSHUGE),
	GFP_NAME(GFP_TRANSHUGE_LIGHT),
	GFP_NAME(GFP_HIGHUSER_MOVABLE),
	GFP_NAME(GFP_HIGHUSER),
	GFP_NAME(GFP_USER),
	GFP_NAME(GFP_KERNEL_ACCOUNT),
	GFP_NAME(GFP_KERNEL),
	GFP_NAME(GFP_NOFS),
	GFP_NAME(GFP_ATOMIC),
	GFP_NAME(GFP_NOIO),
	GFP_NAME(GFP_NOWAIT),
	GFP_NAME(GFP_DMA),
	GFP_NAME(__GFP_HIGHMEM),
	GFP_NAME(GFP_DMA32),
	GFP_NAME(__GFP_HIGH),
	GFP_NAME(__GFP_IO),
	GFP_NAME(__GFP_FS),
	GFP_NAME(__GFP_NOWARN),
	GFP_NAME(__GFP_RETRY_MAYFAIL),
	GFP_NAME(__GFP_NOFAIL),
	GFP_NAME(__GFP_NORETRY),
	GFP_NAME(__GFP_COMP),
	GFP_NAME(__GFP_ZERO),
	GFP_NAME(__GFP_NOMEMALLOC),
	GFP_NAME(__GFP_MEMALLOC),
	GFP_NAME(__GFP_HARDWALL),
	GFP_NAME(__GFP_THISNODE),
	GFP_NAME(__GFP_RECLAIMABLE),
	GFP_NAME(__GFP_MOVABLE),
	GFP_NAME(__GFP_ACCOUNT),
	GFP_NAME(__GFP_WRITE),
	GFP_NAME(__GFP_RECLAIM),
	GFP_NAME(__GFP_DIRECT_RECLAIM),
	GFP_NAME(__GFP_KSWAPD_RECLAIM),
	GFP_NAME(__GFP_ZEROTAGS),
	{ 0, NULL }
};

#define PAGE_NAME(flag)	{ 1UL << PG_##flag, #flag }

/*
 * __def_pageflag_names (6.1 order, which is not bit order), then the bits
 * that are page types upstream or ukmem's own.
 */
static const struct flag_name pageflag_names[] = {
	PAGE_NAME(locked),
	PAGE_NAME(waiters),
	PAGE_NAME(error),
	PAGE_NAME(referenced),
	PAGE_NAME(uptodate),
	PAGE_NAME(dirty),
	PAGE_NAME(lru),
	PAGE_NAME(active),
	PAGE_NAME(workingset),
	PAGE_NAME(slab),
	PAGE_NAME(owner_priv_1),
	PAGE_NAME(arch_1),
	PAGE_NAME(reserved),
	PAGE_NAME(private),
	PAGE_NAME(private_2),
	PAGE_NAME(writeback),
	PAGE_NAME(head),
	PAGE_NAME(mappedtodisk),
	PAGE_NAME(reclaim),
	PAGE_NAME(swapbacked),
	PAGE_NAME(unevictable),
	PAGE_NAME(mlocked),
	PAGE_NAME(hwpoison),
	PAGE_NAME(buddy),
	PAGE_NAME(reported),
	PAGE_NAME(offline),
	PAGE_NAME(highmem_mapped),
	PAGE_NAME(vmalloc),
	PAGE_NAME(vmalloc_alias),
	PAGE_NAME(large_kmalloc),
	{ 0, NULL }
};

_Static_assert(ARRAY_SIZE(pageflag_names) == __NR_PAGEFLAGS + 1,
	       "every page flag needs a name");

#define PAGEFLAGS_MASK		((1UL << __NR_PAGEFLAGS) - 1)
#define PAGE_POISON_PATTERN	(~0UL)	/* struct page never initialized */

/* A bounded writer with snprintf semantics (len counts everything). */
struct flagbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void fb_put(struct flagbuf *fb, const char *s)
{
	size_t n = strlen(s);

	if (fb->len < fb->size) {
		size_t room = fb->size - fb->len;

		memcpy(fb->buf + fb->len, s, n < room ? n : room);
	}
	fb->len += n;
}

static void fb_printf_ul(struct flagbuf *fb, const char *fmt, unsigned long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), fmt, v);
	fb_put(fb, tmp);
}

static int fb_finish(struct flagbuf *fb)
{
	if (fb->size)
		fb->buf[fb->len < fb->size ? fb->len : fb->size - 1] = '\0';
	return (int)fb->len;
}

/* The kernel's format_flags(): names joined by '|', leftover bits as %#lx. */
static void format_flags(struct flagbuf *fb, unsigned long flags,
			 const struct flag_name *names)
{
	for (; flags && names->name; names++) {
		unsigned long mask = names->mask;

		if (!mask || (flags & mask) != mask)
			continue;
		fb_put(fb, names->name);
		flags &= ~mask;
		if (flags)
			fb_put(fb, "|");
	}
	if (flags)
		fb_printf_ul(fb, "%#lx", flags);
}

/**
 * format_gfp_flags - the names in a gfp mask, as %pGg prints them
 *
 * "GFP_KERNEL|__GFP_COMP" for 0x40cc0.  An empty mask gives an empty string,
 * as the kernel's %pGg does ("mode:0x0()"); only the tracepoints print
 * "none".  Returns the length of the full text (snprintf semantics); the
 * buffer is NUL-terminated when @size > 0.
 */
int format_gfp_flags(char *buf, size_t size, gfp_t gfp)
{
	struct flagbuf fb = { buf, size, 0 };

	format_flags(&fb, gfp, gfpflag_names);
	return fb_finish(&fb);
}

/**
 * format_page_flags - a page's flags word, as %pGp prints it
 *
 * "%#lx(" the value, the names of the set flags, then the node and zone
 * fields from the top bits, ")": "0x8000000000000200(slab|node=0|zone=2)".
 * Returns the length of the full text (snprintf semantics).
 */
int format_page_flags(char *buf, size_t size, unsigned long flags)
{
	struct flagbuf fb = { buf, size, 0 };
	/* Page types are no flags upstream: dump_page() names them apart. */
	unsigned long main_flags = flags & PAGEFLAGS_MASK & ~PAGE_TYPE_FLAGS;

	/* The kernel's number() prints "0x0" where printf's %#lx gives "0". */
	fb_printf_ul(&fb, "0x%lx(", flags);
	if (main_flags) {
		format_flags(&fb, main_flags, pageflag_names);
		fb_put(&fb, "|");
	}
	fb_printf_ul(&fb, "node=%lu", (flags >> NODES_PGSHIFT) & NODES_MASK);
	fb_printf_ul(&fb, "|zone=%lu)", (flags >> ZONES_PGSHIFT) & ZONES_MASK);
	return fb_finish(&fb);
}

/*
 * The kernel's page types (enum pagetype's PGTY_* values, the top byte of
 * page_type) for the flags that stand in for them here; 0 for none.
 */
static unsigned int page_type_of(const struct page *page)
{
	if (PageBuddy(page))
		return 0xf0;
	if (PageOffline(page))
		return 0xf1;
	if (PageSlab(page))
		return 0xf5;
	if (PageLargeKmalloc(page))
		return 0xf8;
	return 0;
}

/* mm/debug.c's page_type_names[]: v7.2 has no name for large_kmalloc. */
static const char *page_type_name(unsigned int page_type)
{
	switch (page_type) {
	case 0xf0: return "buddy";
	case 0xf1: return "offline";
	case 0xf5: return "slab";
	default: return "unknown";
	}
}

/**
 * dump_page - print what a struct page holds
 * @page: the page
 * @reason: why, or NULL
 *
 * The kernel's __dump_page() report at KERN_WARNING (v6.8+ lines): the
 * page line (refcount, mapcount, mapping, index, pfn), the folio head line
 * for a compound page, the decoded flags, the 64 bytes of struct page as "raw:"
 * words (and the folio's first two struct pages as "head:" for any page of
 * a compound page), and the reason.
 * Context: any; never allocates.
 */
void dump_page(const struct page *page, const char *reason)
{
	const struct page *head;
	bool compound = false;
	const void *mapping;
	unsigned long index;
	unsigned int page_type;
	int mapcount;

	if (page->flags == PAGE_POISON_PATTERN) {
		pr_warn("page:%px is uninitialized and poisoned", page);
		head = page;
		goto hex_only;
	}

	head = compound_head(page);
	compound = PageCompound(page);
	if (head > page || page >= head + MAX_ORDER_NR_PAGES || head < mem_map) {
		/* Corrupt compound_head: describe the page on its own. */
		head = page;
		compound = false;
	}
	mapping = head->mapping;
	index = head == page ? page->index : head->index + (unsigned long)(page - head);
	page_type = page_type_of(head);
	mapcount = page_type ? 0 : page_mapcount(page);

	/* v6.8+'s __dump_folio() lines: no page address (the pfn says which). */
	pr_warn("page: refcount:%d mapcount:%d mapping:%p index:%#lx pfn:%#lx\n",
		page_ref_count(head), mapcount, mapping, index, page_to_pfn(page));
	if (compound)
		/* ukmem never maps pages into page tables: no folio mappings, no pins. */
		pr_warn("head: order:%u mapcount:%d entire_mapcount:%d nr_pages_mapped:%d pincount:%d\n",
			compound_order(head), 0, 0, 0, 0);
	pr_warn("flags: %pGp\n", &head->flags);
	if (page_type)
		pr_warn("page_type: %x(%s)\n", page_type, page_type_name(page_type));

hex_only:
	print_hex_dump(KERN_WARNING, "raw: ", DUMP_PREFIX_NONE, 32,
		       sizeof(unsigned long), page, sizeof(struct page), false);
	/* v6.8+: the folio's first two struct pages, for any page of a large folio. */
	if (compound)
		print_hex_dump(KERN_WARNING, "head: ", DUMP_PREFIX_NONE, 32,
			       sizeof(unsigned long), head, 2 * sizeof(struct page), false);
	if (reason)
		pr_warn("page dumped because: %s\n", reason);
	dump_page_owner(page);
}

/* bad_page()'s rate limit: a burst of 60 reports, then quiet for the minute. */
static struct {
	spinlock_t lock;
	unsigned long resume;		/* jiffies when the minute ends */
	unsigned long nr_shown;
	unsigned long nr_unshown;
} bad_page_rs = { .lock = __SPIN_LOCK_UNLOCKED(bad_page_rs.lock) };

/**
 * bad_page - report a page found in a state it must not be in
 * @page: the page
 * @reason: what is wrong ("nonzero mapcount", ...)
 *
 * Prints the kernel's "BUG: Bad page state" report at KERN_ALERT (at most
 * 60 a minute, then a count of the suppressed ones), taints with B, counts
 * the page in page_stats.bad_page, and resets its mapcount, as the kernel
 * does; the other fields are left for inspection.  The caller leaks the
 * page.  Context: any, zone->lock may be held; never allocates.
 */
void bad_page(const struct page *page, const char *reason)
{
	unsigned long suppressed = 0, now = arch_jiffies();
	bool show = true;
	char comm[16];

	spin_lock(&bad_page_rs.lock);
	if (bad_page_rs.nr_shown == 60) {
		if ((long)(now - bad_page_rs.resume) < 0) {
			bad_page_rs.nr_unshown++;
			show = false;
		} else {
			suppressed = bad_page_rs.nr_unshown;
			bad_page_rs.nr_unshown = 0;
			bad_page_rs.nr_shown = 0;
		}
	}
	if (show && bad_page_rs.nr_shown++ == 0)
		bad_page_rs.resume = now + 60 * HZ;
	spin_unlock(&bad_page_rs.lock);

	if (show) {
		if (suppressed)
			pr_alert("BUG: Bad page state: %lu messages suppressed\n",
				 suppressed);
		arch_comm(comm);
		pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n",
			 comm, page_to_pfn(page));
		dump_page(page, reason);
		printk(KERN_DEFAULT "Modules linked in:\n");
		dump_stack();
	}

	/* page_mapcount_reset(): leave the other bad fields for debugging. */
	atomic_set(&((struct page *)page)->_mapcount, -1);
	add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
	atomic_long_inc(&page_stats.bad_page);
}
