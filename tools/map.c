/* SPDX-License-Identifier: MIT */
/*
 * tools/map.c - `ukmem map`: a picture of a process's physical memory.
 *
 * The kernel has no such picture; people draw one from /proc/kpageflags
 * (page-types, tools/mm/) or from buddyinfo's columns.  Here every page
 * frame of the process's machine gets a state, read from the same places
 * the allocator itself reads:
 *   - a free block: a page with PG_buddy heads 2^page->private pages
 *     (free, by order; with PG_reported, handed back to the host by page
 *     reporting, also by order); a block still in the deferred pool (mm/mm_init.c, its
 *     struct pages not yet written) is a free block of the largest order,
 *     as buddyinfo counts it;
 *   - a page on a CPU's page list: the lists are walked (per_cpu_pages,
 *     each entry 2^order pages by the list's index, as pindex_to_order());
 *   - a slab page: PG_slab on the head, its slab_cache names the cache; the
 *     caches with the most pages get a colour each, the rest share one;
 *   - vmalloc backing (PG_vmalloc), reserved (PG_reserved: memblock's),
 *     anything else allocated; tail pages of a compound page take their
 *     head's state; pfns outside memblock's memory are holes.
 * The page map and the lists are copied from the running process
 * (tools/live.c, process_vm_readv): a page that changes during the copy
 * is drawn as it was when its struct page was read, so a picture of a
 * busy process is a little blurred, as a photograph is.  Stop the process
 * (kill -STOP) for an exact one; the test does, and then the pages of
 * each free order equal buddyinfo's blocks times 2^order.
 *
 * The picture is one cell per page, or per 2^N pages (--cell; a
 * pageblock is 2^9): a cell of several pages takes the state most of its
 * pages have, while the legend counts the pages themselves.  It is SVG:
 * one rectangle per run of equal cells in a row, with the state as its
 * class, so a test can count the cells of each state.
 *
 * An --output ending in .png gets the cells alone as a PNG image
 * (tools/png.c: no library needed; the legend needs text, which is the
 * SVG's).
 *
 * Without --pid or a snapshot, map boots a demo machine in its own
 * process (--cmdline, as `ukmem show`), runs the demo's workload and draws
 * that; `ukmem demo --map` does the same after its reports.
 *
 * A snapshot (--save) keeps the states of all pages in a small text file
 * (run-length coded) so that the picture can be drawn again later, at
 * another cell size, without the process: `ukmem map FILE`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <linux/mm.h>
#include "tools/live.h"
#include "tools/png.h"
#include "tools/svg.h"
#include "tools/ukmem.h"

#define MAP_SLABS	12		/* caches with a colour of their own */
#define MAP_MAX_PAGES	(1UL << 28)	/* 1 TiB of 4 KiB pages */

enum map_class {
	MC_HOLE,
	MC_UNKNOWN,
	MC_RESERVED,
	MC_USED,
	MC_VMALLOC,
	MC_PCP,
	MC_FREE,				/* + order */
	MC_REPORTED = MC_FREE + NR_PAGE_ORDERS,	/* + order */
	MC_SLAB = MC_REPORTED + NR_PAGE_ORDERS,	/* + rank of the cache */
	MC_SLAB_OTHER = MC_SLAB + MAP_SLABS,
	NR_MAP_CLASSES
};
/* While reading: a slab page holds MC_RAW_SLAB + the cache's index in the snapshot. */
#define MC_RAW_SLAB	NR_MAP_CLASSES

struct pmap {
	int pid;
	char comm[16];
	char cmdline[256];
	unsigned long nr_pages;		/* pfns 0 .. nr_pages - 1 */
	u16 *state;
	char slab_name[MAP_SLABS][64];
	unsigned long pages[NR_MAP_CLASSES];
};

static const char *const fixed_ids[MC_FREE] = {
	"hole", "unknown", "reserved", "used", "vmalloc", "pcp",
};

/* The class's name in the picture (CSS class) and in a snapshot. */
static const char *class_id(int c, char *buf, size_t len)
{
	if (c < MC_FREE)
		return fixed_ids[c];
	if (c < MC_REPORTED)
		snprintf(buf, len, "free-o%d", c - MC_FREE);
	else if (c < MC_SLAB)
		snprintf(buf, len, "reported-o%d", c - MC_REPORTED);
	else if (c < MC_SLAB_OTHER)
		snprintf(buf, len, "slab-%d", c - MC_SLAB);
	else
		snprintf(buf, len, "slab-other");
	return buf;
}

static int class_of_id(const char *id)
{
	char buf[32];
	int c;

	for (c = 0; c < NR_MAP_CLASSES; c++)
		if (!strcmp(id, class_id(c, buf, sizeof(buf))))
			return c;
	return -1;
}

static const char *class_colour(int c, char *buf, size_t len)
{
	static const char *const fixed[MC_FREE] = {
		"#f2f2f2", "#000000", "#4d4d4d", "#c8b88a", "#4e79a7", "#edc948",
	};
	/* Warm and violet hues: apart from the greens, blue and yellow above. */
	static const char *const slab[MAP_SLABS + 1] = {
		"#e15759", "#f28e2b", "#b07aa1", "#ff9da7", "#9c755f", "#d62728", "#9467bd",
		"#8c564b", "#e377c2", "#bcbd22", "#ffbb78", "#c5b0d5", "#a05d56",
	};

	if (c < MC_FREE)
		return fixed[c];
	if (c < MC_REPORTED) {
		/* Free blocks: light green for order 0 to dark green for the largest. */
		double t = (double)(c - MC_FREE) / MAX_PAGE_ORDER;

		snprintf(buf, len, "#%02x%02x%02x", (int)(217 - 217 * t), (int)(240 - 172 * t),
			 (int)(211 - 184 * t));
		return buf;
	}
	if (c < MC_SLAB) {
		/* Reported blocks: light to dark cyan. */
		double t = (double)(c - MC_REPORTED) / MAX_PAGE_ORDER;

		snprintf(buf, len, "#%02x%02x%02x", (int)(200 - 200 * t), (int)(236 - 130 * t),
			 (int)(246 - 100 * t));
		return buf;
	}
	return slab[c - MC_SLAB];
}

static const char *class_label(const struct pmap *m, int c, char *buf, size_t len)
{
	static const char *const fixed[MC_FREE] = {
		"no RAM (hole)", "not readable", "reserved (memblock)", "allocated pages",
		"vmalloc", "per-CPU lists (pcp)",
	};

	if (c < MC_FREE)
		return fixed[c];
	if (c < MC_REPORTED)
		snprintf(buf, len, "free, order %d", c - MC_FREE);
	else if (c < MC_SLAB)
		snprintf(buf, len, "free, order %d, reported", c - MC_REPORTED);
	else if (c < MC_SLAB_OTHER)
		snprintf(buf, len, "slab %s", m->slab_name[c - MC_SLAB]);
	else
		snprintf(buf, len, "slab, other caches");
	return buf;
}

static void fill(struct pmap *m, unsigned long pfn, unsigned long n, int c)
{
	unsigned long end = min(pfn + n, m->nr_pages);

	for (; pfn < end; pfn++)
		m->state[pfn] = (u16)c;
}

/* ------------------------------------------------------------------ */
/* Reading a process                                                    */

static int slab_class(const struct live_snap *s, unsigned long cache)
{
	int i;

	for (i = 0; i < s->nr_caches; i++)
		if (s->caches[i].remote == cache)
			return MC_RAW_SLAB + i;
	return MC_SLAB_OTHER;
}

/* The states of pfns [lo, hi), all inside one max-order block, from their struct pages. */
static void read_block(const struct live_proc *p, const struct live_snap *s, struct pmap *m,
		       unsigned long lo, unsigned long hi, unsigned long *skip)
{
	static struct page pages[MAX_ORDER_NR_PAGES];
	unsigned long pfn;

	if (live_read(p, s->mem_map + lo * sizeof(struct page), pages,
		      (hi - lo) * sizeof(struct page))) {
		fill(m, lo, hi - lo, MC_UNKNOWN);
		return;
	}
	for (pfn = max(lo, *skip); pfn < hi; pfn++) {
		const struct page *pg = &pages[pfn - lo];
		unsigned long flags = pg->flags;

		if (flags & (1UL << PG_buddy)) {
			unsigned long order = min(pg->private, (unsigned long)MAX_PAGE_ORDER);

			fill(m, pfn, 1UL << order,
			     (flags & (1UL << PG_reported) ? MC_REPORTED : MC_FREE) + (int)order);
			*skip = pfn + (1UL << order);
			pfn = *skip - 1;
		} else if (pg->compound_head & 1) {
			unsigned long head = ((pg->compound_head & ~1UL) - s->mem_map) /
					     sizeof(struct page);

			m->state[pfn] = head < pfn ? m->state[head] : MC_USED;
		} else if (flags & (1UL << PG_slab)) {
			m->state[pfn] = (u16)slab_class(s, (unsigned long)((const struct slab *)pg)->slab_cache);
		} else if (flags & (1UL << PG_vmalloc)) {
			m->state[pfn] = MC_VMALLOC;
		} else if (flags & (1UL << PG_reserved)) {
			m->state[pfn] = MC_RESERVED;
		} else {
			m->state[pfn] = MC_USED;
		}
	}
}

static bool deferred(const struct live_snap *s, unsigned long pfn)
{
	unsigned long idx = pfn >> MAX_PAGE_ORDER;

	return s->deferred_map && (s->deferred_map[idx / BITS_PER_LONG] >> (idx % BITS_PER_LONG)) & 1;
}

/* The pfn of the struct page at @pg there; false if @pg is no page of the map. */
static bool remote_pfn(const struct live_snap *s, const struct pmap *m, u64 pg,
		       unsigned long *pfn)
{
	if (pg < s->mem_map || (pg - s->mem_map) % sizeof(struct page))
		return false;
	*pfn = (unsigned long)(pg - s->mem_map) / sizeof(struct page);
	return *pfn < m->nr_pages;
}

/* The order-0 pages on CPU @cpu's page stacks of @z (mm/page_alloc_hot.c). */
static void read_stacks(const struct live_proc *p, const struct live_snap *s, struct pmap *m,
			const struct zone *z, unsigned int cpu)
{
	unsigned int i;
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		u64 pages[PCP_HOT_CAPACITY];
		u32 size;
		u64 st = live_pcp_stack(p, s, z, mt, cpu, &size);

		if (!size || live_read(p, st + offsetof(struct arch_pcpu_stack, objects), pages,
				       size * sizeof(pages[0])))
			continue;
		for (i = 0; i < size; i++) {
			unsigned long pfn;

			if (remote_pfn(s, m, pages[i], &pfn))
				fill(m, pfn, 1, MC_PCP);
		}
	}
}

/* The pages on every CPU's lists and stacks of every zone (bounded walks). */
static void read_pcp(const struct live_proc *p, const struct live_snap *s, struct pmap *m)
{
	struct zone *z;
	int nid, zid;

	for_each_live_zone(s, nid, zid, z) {
		u64 base = s->pcp_remote[nid][zid];
		unsigned int cpu;
		int l;

		if (!base || !z->per_cpu_pageset)
			continue;
		for (cpu = 0; cpu < s->nr_cpu_ids; cpu++) {
			unsigned long bound = (unsigned long)max(z->per_cpu_pageset[cpu].count, 0) + 1;

			read_stacks(p, s, m, z, cpu);
			for (l = 0; l < NR_PCP_LISTS; l++) {
				u64 head = base + cpu * sizeof(struct per_cpu_pages) +
					   offsetof(struct per_cpu_pages, lists[l]);
				int order = l == NR_LOWORDER_PCP_LISTS ? pageblock_order :
					    l / MIGRATE_PCPTYPES;
				unsigned long n = 0;
				u64 at;

				if (live_read(p, head, &at, sizeof(at)))
					continue;
				while (at && at != head && n++ < bound) {
					unsigned long pfn;

					if (!remote_pfn(s, m, at - offsetof(struct page, lru), &pfn))
						break;
					fill(m, pfn, 1UL << order, MC_PCP);
					if (live_read(p, at, &at, sizeof(at)))
						break;
				}
			}
		}
	}
}

/* The caches with the most pages keep their own colour; the rest share one. */
static void rank_slabs(const struct live_snap *s, struct pmap *m)
{
	unsigned long *pages = calloc((size_t)max(s->nr_caches, 1), sizeof(*pages));
	int rank_of[MAP_SLABS], nr_ranked = 0, *remap, i, r;
	unsigned long pfn;

	remap = calloc((size_t)max(s->nr_caches, 1), sizeof(*remap));
	if (!pages || !remap) {
		free(pages);
		free(remap);
		for (pfn = 0; pfn < m->nr_pages; pfn++)
			if (m->state[pfn] >= MC_RAW_SLAB)
				m->state[pfn] = MC_SLAB_OTHER;
		return;
	}
	for (pfn = 0; pfn < m->nr_pages; pfn++)
		if (m->state[pfn] >= MC_RAW_SLAB)
			pages[m->state[pfn] - MC_RAW_SLAB]++;
	for (r = 0; r < MAP_SLABS; r++) {
		int best = -1;

		for (i = 0; i < s->nr_caches; i++) {
			bool taken = false;
			int k;

			for (k = 0; k < nr_ranked; k++)
				taken |= rank_of[k] == i;
			if (!taken && pages[i] && (best < 0 || pages[i] > pages[best]))
				best = i;
		}
		if (best < 0)
			break;
		rank_of[nr_ranked++] = best;
	}
	for (i = 0; i < s->nr_caches; i++)
		remap[i] = MC_SLAB_OTHER;
	for (r = 0; r < nr_ranked; r++) {
		remap[rank_of[r]] = MC_SLAB + r;
		snprintf(m->slab_name[r], sizeof(m->slab_name[r]), "%s", s->caches[rank_of[r]].name);
	}
	for (pfn = 0; pfn < m->nr_pages; pfn++)
		if (m->state[pfn] >= MC_RAW_SLAB)
			m->state[pfn] = (u16)remap[m->state[pfn] - MC_RAW_SLAB];
	free(pages);
	free(remap);
}

static void count_pages(struct pmap *m)
{
	unsigned long pfn;

	memset(m->pages, 0, sizeof(m->pages));
	for (pfn = 0; pfn < m->nr_pages; pfn++)
		m->pages[m->state[pfn] < NR_MAP_CLASSES ? m->state[pfn] : MC_UNKNOWN]++;
}

static int map_from_process(int pid, struct pmap *m, char *err, size_t errlen)
{
	struct live_proc p;
	struct live_snap s;
	unsigned long skip = 0;
	size_t r;
	int rc;

	rc = live_open(pid, &p, err, errlen);
	if (rc)
		return rc;
	rc = live_snapshot(&p, &s, LIVE_ZONES | LIVE_CACHES | LIVE_MAPS);
	if (rc) {
		snprintf(err, errlen, "cannot read process %d: %s", pid, strerror(-rc));
		live_snap_free(&s);
		return rc;
	}
	m->pid = pid;
	snprintf(m->comm, sizeof(m->comm), "%s", p.comm);
	snprintf(m->cmdline, sizeof(m->cmdline), "%s", s.cmdline);
	m->nr_pages = min(s.ram_pfns, MAP_MAX_PAGES);
	m->state = calloc(max(m->nr_pages, 1UL), sizeof(*m->state));
	if (!m->state) {
		live_snap_free(&s);
		snprintf(err, errlen, "no memory for %lu pages", m->nr_pages);
		return -ENOMEM;
	}
	/* calloc: every pfn starts as a hole (MC_HOLE is 0) until memblock says RAM. */
	for (r = 0; r < s.memblock.memory.cnt; r++) {
		const struct memblock_region *reg = &s.memblock.memory.regions[r];
		unsigned long lo = PFN_UP(reg->base), hi = min(PFN_DOWN(reg->base + reg->size),
							       m->nr_pages);

		while (lo < hi) {
			unsigned long block = lo & ~(MAX_ORDER_NR_PAGES - 1);
			unsigned long end = min(block + MAX_ORDER_NR_PAGES, hi);

			if (block == lo && end == block + MAX_ORDER_NR_PAGES && deferred(&s, lo))
				fill(m, lo, MAX_ORDER_NR_PAGES, MC_FREE + MAX_PAGE_ORDER);
			else
				read_block(&p, &s, m, lo, end, &skip);
			lo = end;
		}
	}
	read_pcp(&p, &s, m);
	rank_slabs(&s, m);
	count_pages(m);
	live_snap_free(&s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                            */

static int map_save(const struct pmap *m, const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned long pfn, run;
	char buf[32];
	int i;

	if (!f)
		return -errno;
	fprintf(f, "ukmem-map 1\npid %d\ncomm %s\ncmdline %s\npages %lu\n", m->pid, m->comm,
		m->cmdline, m->nr_pages);
	for (i = 0; i < MAP_SLABS; i++)
		if (m->slab_name[i][0])
			fprintf(f, "slab %d %s\n", i, m->slab_name[i]);
	fputs("states\n", f);
	for (pfn = 0; pfn < m->nr_pages; pfn += run) {
		for (run = 1; pfn + run < m->nr_pages && m->state[pfn + run] == m->state[pfn]; run++)
			;
		fprintf(f, "%s %lu\n", class_id(m->state[pfn], buf, sizeof(buf)), run);
	}
	return fclose(f) ? -errno : 0;
}

static void chomp(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

static int map_load(struct pmap *m, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512], id[32];
	unsigned long pfn = 0, run;
	int c, n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!fgets(line, sizeof(line), f) || strcmp(line, "ukmem-map 1\n")) {
		snprintf(err, errlen, "%s: not a snapshot of `ukmem map --save`", path);
		fclose(f);
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f) && strcmp(line, "states\n")) {
		chomp(line);
		if (sscanf(line, "pid %d", &m->pid) == 1 || sscanf(line, "pages %lu", &m->nr_pages) == 1)
			continue;
		if (!strncmp(line, "comm ", 5))
			snprintf(m->comm, sizeof(m->comm), "%.15s", line + 5);
		else if (!strncmp(line, "cmdline ", 8))
			snprintf(m->cmdline, sizeof(m->cmdline), "%.255s", line + 8);
		else if (sscanf(line, "slab %d %n", &c, &n) == 1 && c >= 0 && c < MAP_SLABS)
			snprintf(m->slab_name[c], sizeof(m->slab_name[c]), "%.63s", line + n);
	}
	if (!m->nr_pages || m->nr_pages > MAP_MAX_PAGES ||
	    !(m->state = calloc(m->nr_pages, sizeof(*m->state)))) {
		snprintf(err, errlen, "%s: no page count, or too many pages", path);
		fclose(f);
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %lu", id, &run) != 2 || (c = class_of_id(id)) < 0 ||
		    run > m->nr_pages - pfn) {
			snprintf(err, errlen, "%s: bad line after page %lu: %.40s", path, pfn, line);
			fclose(f);
			return -EINVAL;
		}
		fill(m, pfn, run, c);
		pfn += run;
	}
	fclose(f);
	count_pages(m);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The picture                                                          */

/* The state most pages of cell [pfn, pfn + n) have. */
static int cell_state(const struct pmap *m, unsigned long pfn, unsigned long n)
{
	unsigned long count[NR_MAP_CLASSES] = { 0 }, i;
	int c, best = m->state[pfn];

	if (n == 1)
		return best;
	for (i = pfn; i < pfn + n && i < m->nr_pages; i++)
		count[m->state[i]]++;
	for (c = 0; c < NR_MAP_CLASSES; c++)
		if (count[c] > count[best])
			best = c;
	return best;
}

/* The grid: @cols cells a row (a power of two, near square), @px pixels a cell. */
struct grid {
	unsigned long cell_pages, ncells, cols, rows;
	int px;
};

static void grid_of(const struct pmap *m, int cell_order, struct grid *g)
{
	g->cell_pages = 1UL << cell_order;
	g->ncells = DIV_ROUND_UP(m->nr_pages, g->cell_pages);
	g->cols = 32;
	while (g->cols * g->cols < g->ncells && g->cols < 512)
		g->cols *= 2;
	g->rows = DIV_ROUND_UP(g->ncells, g->cols);
	g->px = (int)clamp(768 / (long)g->cols, 2L, 16L);
}

static void map_png(const struct pmap *m, FILE *f, int cell_order, int *rc)
{
	unsigned char rgb[NR_MAP_CLASSES][3], *img;
	struct grid g;
	unsigned long cell;
	int c, w, h, x, y;
	char buf[16];

	grid_of(m, cell_order, &g);
	w = (int)g.cols * g.px;
	h = (int)g.rows * g.px;
	for (c = 0; c < NR_MAP_CLASSES; c++) {
		unsigned int v = (unsigned int)strtoul(class_colour(c, buf, sizeof(buf)) + 1, NULL, 16);

		rgb[c][0] = (unsigned char)(v >> 16);
		rgb[c][1] = (unsigned char)(v >> 8);
		rgb[c][2] = (unsigned char)v;
	}
	img = calloc((size_t)w * h, 3);
	if (!img) {
		*rc = -ENOMEM;
		return;
	}
	memset(img, 0xff, (size_t)w * h * 3);
	for (cell = 0; cell < g.ncells; cell++) {
		int s = cell_state(m, cell * g.cell_pages, g.cell_pages);
		int x0 = (int)(cell % g.cols) * g.px, y0 = (int)(cell / g.cols) * g.px;

		for (y = y0; y < y0 + g.px; y++)
			for (x = x0; x < x0 + g.px; x++)
				memcpy(img + ((size_t)y * w + x) * 3, rgb[s], 3);
	}
	*rc = png_write(f, w, h, img) ? -EIO : 0;
	free(img);
}

static void map_svg(const struct pmap *m, FILE *f, int cell_order)
{
	struct grid g;
	unsigned long cell_pages, ncells, cell, cols, rows, row;
	int px, left = 96, top = 64, legend_x, legend_h, width, height, c, shown = 0;
	char css[NR_MAP_CLASSES * 48], *at = css, buf[80], buf2[32], title[160];

	grid_of(m, cell_order, &g);
	cell_pages = g.cell_pages;
	ncells = g.ncells;
	cols = g.cols;
	rows = g.rows;
	px = g.px;
	legend_x = left + (int)cols * px + 24;
	for (c = 0; c < NR_MAP_CLASSES; c++)
		shown += m->pages[c] != 0;
	legend_h = top + 18 * shown + 120;
	width = legend_x + 360;
	height = max(top + (int)rows * px + 40, legend_h);
	for (c = 0; c < NR_MAP_CLASSES; c++)
		at += sprintf(at, ".%s { fill: %s; }\n", class_id(c, buf2, sizeof(buf2)),
			      class_colour(c, buf, sizeof(buf)));
	snprintf(title, sizeof(title), "ukmem map: physical memory of pid %d (%s)", m->pid, m->comm);
	svg_begin(f, width, height, title, css);
	svg_text(f, 12, 22, "class=\"h\"", "%s", title);
	svg_text(f, 12, 42, "class=\"small\"", "%s of RAM in %lu page frames; one cell: %lu page%s "
		 "(%s)%s%s", svg_bytes(buf, sizeof(buf), (double)m->nr_pages * PAGE_SIZE),
		 m->nr_pages, cell_pages, cell_pages > 1 ? "s" : "",
		 svg_bytes(buf2, sizeof(buf2), (double)cell_pages * PAGE_SIZE),
		 m->cmdline[0] ? "; boot: " : "", m->cmdline);
	/* Physical addresses down the left side, every 32 pixels or so. */
	for (row = 0; row < rows; row += (unsigned long)max(1, 32 / px))
		svg_text(f, left - 6, top + (double)row * px + px, "class=\"small\" text-anchor=\"end\"",
			 "%s", svg_bytes(buf, sizeof(buf), (double)row * cols * cell_pages * PAGE_SIZE));
	fprintf(f, "<g id=\"cells\" data-cell-pages=\"%lu\" data-cell-px=\"%d\" data-cols=\"%lu\">\n",
		cell_pages, px, cols);
	for (row = 0; row < rows; row++) {
		unsigned long col = 0;

		while (col < cols && (cell = row * cols + col) < ncells) {
			int s = cell_state(m, cell * cell_pages, cell_pages);
			unsigned long run = 1;

			while (col + run < cols && cell + run < ncells &&
			       cell_state(m, (cell + run) * cell_pages, cell_pages) == s)
				run++;
			fprintf(f, "<rect class=\"%s\" x=\"%lu\" y=\"%lu\" width=\"%lu\" height=\"%d\"/>\n",
				class_id(s, buf2, sizeof(buf2)), left + col * px, top + row * px,
				run * px, px);
			col += run;
		}
	}
	fputs("</g>\n<g id=\"legend\">\n", f);
	svg_text(f, legend_x, top + 10, "class=\"h\"", "state: pages");
	shown = 0;
	for (c = 0; c < NR_MAP_CLASSES; c++) {
		double y = top + 26 + 18 * shown;

		if (!m->pages[c])
			continue;
		fprintf(f, "<rect class=\"swatch\" x=\"%d\" y=\"%.0f\" width=\"12\" height=\"12\" "
			"fill=\"%s\" stroke=\"#888\" data-state=\"%s\" data-pages=\"%lu\"/>\n",
			legend_x, y - 10, class_colour(c, buf, sizeof(buf)),
			class_id(c, buf2, sizeof(buf2)), m->pages[c]);
		svg_text(f, legend_x + 18, y, NULL, "%-28.28s %8lu  %s",
			 class_label(m, c, buf, sizeof(buf)), m->pages[c],
			 svg_bytes(buf2, sizeof(buf2), (double)m->pages[c] * PAGE_SIZE));
		shown++;
	}
	fputs("</g>\n", f);
	svg_end(f);
}

/* ------------------------------------------------------------------ */
/* The command                                                          */

static int parse_cell(const char *s)
{
	char *end;
	long n;

	if (!s || !strcmp(s, "auto"))
		return -1;
	if (!strcmp(s, "page"))
		return 0;
	if (!strcmp(s, "pageblock"))
		return pageblock_order;
	n = strtol(s, &end, 10);
	return *end || n < 0 || n > MAX_PAGE_ORDER ? -2 : (int)n;
}

static int auto_cell(const struct pmap *m)
{
	int order = 0;

	/* Page cells up to 64Ki of them (256 MiB), then as fine as stays under it. */
	while ((m->nr_pages >> order) > 65536 && order < MAX_PAGE_ORDER)
		order++;
	return order;
}

static bool is_png(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 4 && !strcasecmp(path + n - 4, ".png");
}

/* SVG, or PNG for a name ending in .png; "-" or NULL: standard output. */
static int write_picture(const struct pmap *m, const char *path, int cell_order)
{
	FILE *f = !path || !strcmp(path, "-") ? stdout : fopen(path, "w");
	int rc = 0;

	if (!f)
		return -errno;
	if (cell_order < 0)
		cell_order = auto_cell(m);
	if (is_png(path))
		map_png(m, f, cell_order, &rc);
	else
		map_svg(m, f, cell_order);
	if (!rc)
		rc = ferror(f) ? -EIO : 0;
	if (f != stdout && fclose(f))
		rc = -errno;
	else if (f == stdout && fflush(f))
		rc = -errno;
	return rc;
}

int map_process(int pid, const char *path, const char *cell)
{
	struct pmap m = { 0 };
	char err[256];
	int rc;

	rc = map_from_process(pid, &m, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ukmem map: %s\n", err);
		return EXIT_FAIL;
	}
	rc = write_picture(&m, path, parse_cell(cell));
	free(m.state);
	if (rc)
		fprintf(stderr, "ukmem map: %s: %s\n", path, strerror(-rc));
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
	const char *pid_s = NULL, *output = NULL, *cell = NULL, *save = NULL, *given = NULL;
	const struct opt_value opts[] = {
		{ "--cmdline", NULL, &given },
		{ "--pid", NULL, &pid_s },
		{ "--output", NULL, &output },
		{ "--cell", NULL, &cell },
		{ "--save", NULL, &save },
		{ NULL, NULL, NULL },
	};
	struct pmap m = { 0 };
	char err[256], *end;
	int rc, cell_order;

	rc = parse_options("map", &argc, argv, opts, false);
	if (rc)
		return rc;
	cell_order = parse_cell(cell);
	if (cell_order == -2)
		return usage_error("map", "--cell takes page, pageblock, auto or an order 0-%d, "
				   "not '%s'", MAX_PAGE_ORDER, cell);
	if ((pid_s && argc > 1) || argc > 2 || (given && (pid_s || argc > 1)))
		return usage_error("map", "draw one thing: --pid PID, a SNAPSHOT file, or a demo "
				   "machine (--cmdline)");
	if (!pid_s && argc == 1) {
		/* A demo machine, as `show` without --pid: booted here, after the workload. */
		rc = boot_or_fail("map", tool_cmdline(given), true);
		if (rc)
			return rc;
		demo_workload();
		pid_s = "self";
	}
	if (pid_s && !strcmp(pid_s, "self")) {
		rc = map_from_process(getpid(), &m, err, sizeof(err));
	} else if (pid_s) {
		long pid = strtol(pid_s, &end, 10);

		if (*end || pid <= 0)
			return usage_error("map", "'%s' is not a process id", pid_s);
		rc = map_from_process((int)pid, &m, err, sizeof(err));
	} else {
		rc = map_load(&m, argv[1], err, sizeof(err));
	}
	if (rc) {
		fprintf(stderr, "ukmem map: %s\n", err);
		free(m.state);
		return EXIT_FAIL;
	}
	if (save && (rc = map_save(&m, save)))
		fprintf(stderr, "ukmem map: %s: %s\n", save, strerror(-rc));
	if (!rc && (!save || output) && (rc = write_picture(&m, output, cell_order)))
		fprintf(stderr, "ukmem map: %s: %s\n", output, strerror(-rc));
	free(m.state);
	return rc ? EXIT_FAIL : EXIT_OK;
}
