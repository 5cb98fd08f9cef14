/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_traces.c - who allocated the objects of a cache, and who freed
 * them before: the kernel's /sys/kernel/debug/slab/<cache>/alloc_traces and
 * free_traces (mm/slub.c list_locations, process_slab, add_location,
 * slab_debugfs_show), for caches with SLAB_STORE_USER.
 *
 *       3 tdbg_alloc_here+0x1e/0x40 waste=48/16 age=12/15/20 pid=4242 cpus=0-1 nodes=0-1
 *        tdbg_alloc_here+0x1e/0x40
 *        main+0x7b/0x120
 *
 * Every object in use is looked at (the per-CPU stacks are emptied into
 * the slabs first), its alloc or free track added to the entry of its call
 * site and (kmalloc caches, alloc tracks) the bytes the caller did not
 * ask for: count, age range (jiffies), pid range, CPUs, nodes of the
 * objects (the kernel also keys entries by stack; see loc_cmp()).  The
 * table lives in pages from the page allocator, never in a slab, and is
 * printed after the locks are dropped.
 */
#include <errno.h>
#include <string.h>

#include <linux/bitmap.h>
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <ukmem/slab_debug.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "mm/slab.h"

struct location {
	unsigned long count;
	unsigned long addr;
	depot_stack_handle_t handle;		/* the stack */
	unsigned long long sum_time;
	long min_time, max_time;
	long min_pid, max_pid;
	unsigned long waste;			/* object_size - orig_size (alloc tracks) */
	unsigned long cpus[BITS_TO_LONGS(NR_CPUS)];
	unsigned long nodes[BITS_TO_LONGS(MAX_NUMNODES)];
};

struct loc_track {
	unsigned long max, count;
	struct location *loc;
};

static bool alloc_loc_track(struct loc_track *t, unsigned long max)
{
	struct location *l = alloc_pages_exact(max * sizeof(*l), GFP_ATOMIC | __GFP_NOWARN);

	if (!l)
		return false;
	if (t->count)
		memcpy(l, t->loc, t->count * sizeof(*l));
	if (t->loc)
		free_pages_exact(t->loc, t->max * sizeof(*l));
	t->loc = l;
	t->max = max;
	return true;
}

static void set_bit_in(unsigned long *map, int bit, int nbits)
{
	if (bit >= 0 && bit < nbits)
		map[bit / BITS_PER_LONG] |= 1UL << (bit % BITS_PER_LONG);
}

/*
 * The order of entries, the kernel's: caller address, then the stack (its
 * depot handle), then waste; so one caller reached by two paths is two
 * entries.  <0, 0, >0.
 */
static int loc_cmp(const struct location *l, const struct track *track, unsigned long waste)
{
	if (track->addr != l->addr)
		return track->addr < l->addr ? -1 : 1;
	if (track->handle != l->handle)
		return track->handle < l->handle ? -1 : 1;
	if (waste != l->waste)
		return waste < l->waste ? -1 : 1;
	return 0;
}

/*
 * add_location(): entries stay sorted by loc_cmp(); binary search, then
 * insert.  As in the kernel, a track that was never written (when == 0:
 * the free track of an object never freed) adds to the count and nodes of
 * its entry but not to its ages, pids and CPUs.
 */
static bool add_location(struct loc_track *t, const struct track *track, unsigned long waste,
			 int nid, unsigned long now)
{
	long age = (long)(now - track->when), lo = -1, hi = (long)t->count;
	struct location *l;

	while (hi - lo > 1) {
		long mid = lo + (hi - lo) / 2;
		int c = loc_cmp(&t->loc[mid], track, waste);

		if (!c) {
			l = &t->loc[mid];
			l->count++;
			if (track->when) {
				l->sum_time += (unsigned long long)age;
				l->min_time = min(l->min_time, age);
				l->max_time = max(l->max_time, age);
				l->min_pid = min(l->min_pid, (long)track->pid);
				l->max_pid = max(l->max_pid, (long)track->pid);
				set_bit_in(l->cpus, track->cpu, NR_CPUS);
			}
			set_bit_in(l->nodes, nid, MAX_NUMNODES);
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid;
	}
	if (t->count >= t->max && !alloc_loc_track(t, 2 * t->max))
		return false;
	l = t->loc + hi;
	if ((unsigned long)hi < t->count)
		memmove(l + 1, l, (t->count - (unsigned long)hi) * sizeof(*l));
	t->count++;
	memset(l, 0, sizeof(*l));
	l->count = 1;
	l->addr = track->addr;
	l->handle = track->handle;
	l->sum_time = (unsigned long long)age;
	l->min_time = l->max_time = age;
	l->min_pid = l->max_pid = track->pid;
	l->waste = waste;
	set_bit_in(l->cpus, track->cpu, NR_CPUS);
	set_bit_in(l->nodes, nid, MAX_NUMNODES);
	return true;
}

/* The objects of @slab in use (not on its freelist). */
static void process_slab(struct loc_track *t, struct kmem_cache *s, struct slab *slab,
			 enum track_item which, unsigned long now)
{
	static unsigned long map[BITS_TO_LONGS(MAX_OBJS_PER_PAGE)];
	char *p, *addr = slab_address(slab);
	unsigned int idx = 0;

	slab_free_map(s, slab, map);
	for_each_object(p, s, addr, slab->objects) {
		if (!(map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG))))
			add_location(t, get_track(s, p, which),
				     which == TRACK_ALLOC ? s->object_size - get_orig_size(s, p) : 0,
				     slab_nid(slab), now);
		idx++;
	}
}

/* "0-1,3": a CPU or node list as %*pbl prints it. */
static void print_bit_list(FILE *out, const unsigned long *map, int nbits)
{
	int cpu = 0, first = 1;

	while (cpu < nbits) {
		int end;

		if (!(map[cpu / BITS_PER_LONG] & (1UL << (cpu % BITS_PER_LONG)))) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < nbits &&
		     (map[(end + 1) / BITS_PER_LONG] & (1UL << ((end + 1) % BITS_PER_LONG))); end++)
			;
		fprintf(out, end > cpu ? "%s%d-%d" : "%s%d", first ? "" : ",", cpu, end);
		first = 0;
		cpu = end + 1;
	}
}

/* Most objects first: a shell sort in place (qsort may allocate). */
static void sort_by_count(struct location *loc, unsigned long n)
{
	unsigned long gap, i, j;

	for (gap = n / 2; gap; gap /= 2) {
		for (i = gap; i < n; i++) {
			struct location tmp = loc[i];

			for (j = i; j >= gap && loc[j - gap].count < tmp.count; j -= gap)
				loc[j] = loc[j - gap];
			loc[j] = tmp;
		}
	}
}

/* One walk at a time: process_slab's map (mm/slab.h; fork takes it too). */
DEFINE_SPINLOCK_RANKED(traces_lock, LOCK_RANK_SLAB_TRACES);

int ukmem_slab_show_traces(struct kmem_cache *s, enum ukmem_slab_trace which, FILE *out)
{
	struct loc_track t = { 0, 0, NULL };
	unsigned long now = arch_jiffies(), i;
	struct kmem_cache_node *n;
	int node;

	if (!s || !out || (which != UKMEM_SLAB_ALLOC_TRACES && which != UKMEM_SLAB_FREE_TRACES))
		return -EINVAL;
	if (!(s->flags & SLAB_STORE_USER)) {
		fprintf(out, "No data\n");
		return 0;
	}
	if (!alloc_loc_track(&t, PAGE_SIZE / sizeof(struct location) + 1))
		return -ENOMEM;
	if (READ_ONCE(s->node[0]))	/* set by slab_late_init() */
		flush_all_sheaves(s);
	spin_lock(&traces_lock);
	for_each_kmem_cache_node(s, node, n) {
		struct slab *slab;

		if (!atomic_long_read(&n->nr_slabs))
			continue;
		slab_node_lock(s, n);
		list_for_each_entry(slab, &n->partial, slab_list)
			process_slab(&t, s, slab, which == UKMEM_SLAB_ALLOC_TRACES ? TRACK_ALLOC :
				     TRACK_FREE, now);
		list_for_each_entry(slab, &n->full, slab_list)
			process_slab(&t, s, slab, which == UKMEM_SLAB_ALLOC_TRACES ? TRACK_ALLOC :
				     TRACK_FREE, now);
		spin_unlock(&n->list_lock);
	}
	spin_unlock(&traces_lock);

	/* Printed unlocked: the FILE may allocate. */
	sort_by_count(t.loc, t.count);
	for (i = 0; i < t.count; i++) {
		struct location *l = &t.loc[i];
		char sym[KSYM_SYMBOL_LEN];
		unsigned long *entries;
		unsigned int k, nr;

		fprintf(out, "%7lu ", l->count);
		if (l->addr) {
			sprint_symbol(sym, l->addr);
			fputs(sym, out);
		} else {
			fputs("<not-available>", out);
		}
		if (l->waste)
			fprintf(out, " waste=%lu/%lu", l->count * l->waste, l->waste);
		if (l->sum_time != (unsigned long long)l->min_time)
			fprintf(out, " age=%ld/%llu/%ld", l->min_time, l->sum_time / l->count,
				l->max_time);
		else
			fprintf(out, " age=%ld", l->min_time);
		if (l->min_pid != l->max_pid)
			fprintf(out, " pid=%ld-%ld", l->min_pid, l->max_pid);
		else
			fprintf(out, " pid=%ld", l->min_pid);
		if (num_online_cpus() > 1 && !bitmap_empty(l->cpus, NR_CPUS)) {
			fputs(" cpus=", out);
			print_bit_list(out, l->cpus, NR_CPUS);
		}
		if (num_online_nodes() > 1 && !bitmap_empty(l->nodes, MAX_NUMNODES)) {
			fputs(" nodes=", out);
			print_bit_list(out, l->nodes, MAX_NUMNODES);
		}
		fputc('\n', out);
		nr = l->addr ? stack_depot_fetch(l->handle, &entries) : 0;
		for (k = 0; k < nr; k++) {
			sprint_symbol(sym, entries[k]);
			fprintf(out, "        %s\n", sym);
		}
		if (l->addr && k)
			fputc('\n', out);
	}
	if (!t.count)
		fputs("No data\n", out);
	i = t.count;
	free_pages_exact(t.loc, t.max * sizeof(struct location));
	return (int)i;
}
