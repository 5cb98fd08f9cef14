/* SPDX-License-Identifier: MIT */
/*
 * tools/live.c - reading the allocator of a running process (tools/live.h).
 *
 * 1. Finding it.  /proc/PID/maps names the process's statistics area
 *    ("/memfd:ukmem-live (deleted)", mm/live.h); its page gives the
 *    addresses of the allocator's variables there.  The area must come
 *    from this build (magic and live_layout()): the copies below are of
 *    this build's structures.
 *
 * 2. Copying.  Everything is read with process_vm_readv() (arch/remote.c)
 *    while the process runs: no lock of the process is taken, so a copy
 *    is what each word held when it was read, as the kernel's /proc
 *    readers see counters they read without the lock.  A list walked in
 *    the other process (free lists, partial slabs, the cache list) may
 *    change under the walk: every walk is bounded and stops at the first
 *    word it cannot read, and nothing read is ever dereferenced here.
 *
 * 3. Making the copies usable.  A copied struct zone still points into
 *    the other process; every such pointer is either redirected to a copy
 *    (zone_pgdat, per_cpu_pageset, name; a cache's name and node
 *    structures, the partial slabs' list) or cleared (zonelists, the
 *    free lists unless LIVE_FREE_LISTS rebuilt them), and every lock word
 *    is reset, so the library's helpers and report code can run on them.
 *
 * 4. Reports.  live_install() points this process's library variables
 *    (node_data[], nr_online_nodes, slab_caches, ...) at a snapshot.  Only
 *    a process that has not booted its own machine may do it, and after
 *    it, it must not allocate through the library: the figures are the
 *    other process's, read only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include <ukmem/version.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "mm/proc.h"
#include "tools/live.h"

/* Bounds of the walks in another process (its lists may change meanwhile). */
#define MAX_CACHES		4096
#define MAX_PARTIAL		(1UL << 20)
#define FREE_LIST_CAP		100000UL	/* pagetypeinfo's own cap */
#define MAX_REGIONS		4096

int live_read(const struct live_proc *p, u64 addr, void *buf, size_t len)
{
	long n;

	if (!addr)
		return -EFAULT;
	n = arch_process_read(p->pid, (unsigned long)addr, buf, len);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EFAULT;
}

int live_open(int pid, struct live_proc *p, char *err, size_t errlen)
{
	unsigned long addrs[4];
	int n, i, rc = 0;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	if (arch_process_comm(pid, p->comm)) {
		snprintf(err, errlen, "no process %d", pid);
		return -ESRCH;
	}
	n = arch_process_find_area(pid, LIVE_MAP_NAME, addrs, 4);
	if (n < 0) {
		snprintf(err, errlen, "cannot read the memory map of process %d (%s): %s", pid,
			 p->comm, strerror(-n));
		return n;
	}
	if (!n) {
		snprintf(err, errlen, "process %d (%s) is not running on ukmem (its memory map "
			 "has no /memfd:%s; start it with `ukmem run` or link it with libukmem)",
			 pid, p->comm, LIVE_MAP_NAME);
		return -ENOENT;
	}
	/* Two areas: two copies of the library in one process; the first that is ours. */
	for (i = 0; i < n; i++) {
		p->area_addr = addrs[i];
		rc = live_read(p, addrs[i], &p->area, sizeof(p->area));
		if (rc == -EPERM) {
			snprintf(err, errlen, "not allowed to read the memory of process %d (%s)%s",
				 pid, p->comm, arch_ptrace_scope() >= 1 ?
				 ": kernel.yama.ptrace_scope allows it only for a process's "
				 "ancestors (run the program under `ukmem run --top`, as root, or "
				 "with ptrace_scope=0)" : " (another user's?)");
			return rc;
		}
		if (rc) {
			snprintf(err, errlen, "cannot read the statistics area of process %d (%s): %s",
				 pid, p->comm, strerror(-rc));
			continue;
		}
		if (memcmp(p->area.magic, LIVE_MAGIC, sizeof(LIVE_MAGIC))) {
			snprintf(err, errlen, "process %d (%s) is still booting its allocator, or "
				 "runs an incompatible ukmem", pid, p->comm);
			rc = -EAGAIN;
			continue;
		}
		if (p->area.layout != live_layout() || p->area.nr_vars != NR_LIVE_VARS) {
			snprintf(err, errlen, "process %d (%s) runs ukmem %.15s built differently "
				 "(layout %08x; this ukmem %s reads %08x): use the ukmem command of "
				 "its build", pid, p->comm, p->area.version, p->area.layout,
				 UKMEM_VERSION, live_layout());
			rc = -EPROTO;
			continue;
		}
		return 0;
	}
	return rc ? rc : -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Snapshot memory                                                      */

static void *snap_alloc(struct live_snap *s, size_t size)
{
	void *p;

	if (s->nr_allocs == s->max_allocs) {
		size_t max = s->max_allocs ? 2 * s->max_allocs : 64;
		void **a = realloc(s->allocs, max * sizeof(*a));

		if (!a)
			return NULL;
		s->allocs = a;
		s->max_allocs = max;
	}
	p = calloc(1, size ? size : 1);
	if (p)
		s->allocs[s->nr_allocs++] = p;
	return p;
}

void live_snap_free(struct live_snap *s)
{
	size_t i;

	for (i = 0; i < s->nr_allocs; i++)
		free(s->allocs[i]);
	free(s->allocs);
	memset(s, 0, sizeof(*s));
}

static char *read_string(const struct live_proc *p, struct live_snap *s, u64 addr, size_t max)
{
	char *str = snap_alloc(s, max);

	if (!str)
		return NULL;
	/* A string may end before a page it does not reach: read what can be. */
	if (addr && arch_process_read(p->pid, (unsigned long)addr, str, max - 1) <= 0)
		strcpy(str, "?");
	str[max - 1] = '\0';
	return str;
}

/* The scalar behind area variable @id, into @dst of @size bytes. */
static int read_var(const struct live_proc *p, enum live_var_id id, void *dst, size_t size)
{
	const struct live_var *v = &p->area.vars[id];

	if (v->size != size)
		return -EPROTO;
	return live_read(p, v->addr, dst, size);
}

/* ------------------------------------------------------------------ */
/* Zones                                                                */

/* The length of a list in the other process, up to @cap. */
static unsigned long remote_list_len(const struct live_proc *p, u64 head, unsigned long cap)
{
	struct list_head node;
	unsigned long n = 0;
	u64 at = head;

	if (live_read(p, head, &node, sizeof(node)))
		return 0;
	while ((u64)(unsigned long)node.next != head && n < cap) {
		at = (u64)(unsigned long)node.next;
		if (live_read(p, at, &node, sizeof(node)))
			break;
		n++;
	}
	return n;
}

/* A local list of @n anonymous entries: what counting code walks. */
static void fake_list(struct live_snap *s, struct list_head *head, unsigned long n)
{
	struct list_head *nodes = n ? snap_alloc(s, n * sizeof(*nodes)) : NULL;
	unsigned long i;

	INIT_LIST_HEAD(head);
	for (i = 0; nodes && i < n; i++)
		list_add_tail(&nodes[i], head);
}

u64 live_pcp_stack(const struct live_proc *p, const struct live_snap *s, const struct zone *z,
		   int mt, unsigned int cpu, u32 *size)
{
	unsigned int idx = zone_table_index(z);	/* the snapshot's zone: node and index hold */
	const struct arch_pcpu_stacks *d;
	u64 st;

	*size = 0;
	if (idx >= PCP_HOT_ZONE_INDEXES)
		return 0;
	d = &s->pcp_stacks[idx][mt];
	if (cpu >= d->nr || !d->base)
		return 0;
	st = (u64)(unsigned long)d->base + (u64)cpu * d->stride;
	if (live_read(p, st + offsetof(struct arch_pcpu_stack, size), size, sizeof(*size))) {
		*size = 0;
		return 0;
	}
	*size = min(*size, (u32)PCP_HOT_CAPACITY);
	return st;
}

/* The pages on CPU @cpu's stacks of @z there. */
static unsigned long remote_stack_pages(const struct live_proc *p, const struct live_snap *s,
					const struct zone *z, unsigned int cpu)
{
	unsigned long pages = 0;
	u32 size;
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		live_pcp_stack(p, s, z, mt, cpu, &size);
		pages += size;
	}
	return pages;
}

static int copy_zone(const struct live_proc *p, struct live_snap *s, pg_data_t *pgdat,
		     u64 pgdat_remote, int zid, unsigned int what)
{
	struct zone *z = &pgdat->node_zones[zid];
	u64 zone_remote = pgdat_remote + offsetof(pg_data_t, node_zones) +
			  (u64)zid * sizeof(struct zone);
	u64 pcp_remote = (u64)(unsigned long)z->per_cpu_pageset;
	int order, mt;

	spin_lock_init(&z->lock);
	z->zone_pgdat = pgdat;
	z->name = read_string(p, s, (u64)(unsigned long)z->name, 16);
	z->pageblock_flags = NULL;
	z->irq_deferred_free = NULL;
	z->per_cpu_pageset = NULL;
	if (pcp_remote && z->present_pages && s->nr_cpu_ids) {
		struct per_cpu_pages *pcp = snap_alloc(s, s->nr_cpu_ids * sizeof(*pcp));
		unsigned int cpu;
		int l;

		if (pcp && !live_read(p, pcp_remote, pcp, s->nr_cpu_ids * sizeof(*pcp))) {
			for (cpu = 0; cpu < s->nr_cpu_ids; cpu++) {
				spin_lock_init(&pcp[cpu].lock);
				for (l = 0; l < NR_PCP_LISTS; l++)
					INIT_LIST_HEAD(&pcp[cpu].lists[l]);
				/* The stacks' pages are the CPU's too (zone_pcp_cpu_count). */
				pcp[cpu].count += (int)remote_stack_pages(p, s, z, cpu);
			}
			z->per_cpu_pageset = pcp;
			if (pgdat->node_id >= 0 && pgdat->node_id < MAX_NUMNODES)
				s->pcp_remote[pgdat->node_id][zid] = pcp_remote;
		}
	}
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *head = &z->free_area[order].free_list[mt];
			u64 head_remote = zone_remote + ((char *)head - (char *)z);

			fake_list(s, head, (what & LIVE_FREE_LISTS) && z->present_pages ?
				  remote_list_len(p, head_remote, FREE_LIST_CAP) : 0);
		}
	}
	return 0;
}

static int copy_zones(const struct live_proc *p, struct live_snap *s, unsigned int what)
{
	pg_data_t *remote[MAX_NUMNODES];
	int nid, zid, rc;

	rc = read_var(p, LIVE_NODE_DATA, remote, sizeof(remote));
	if (!rc)
		rc = read_var(p, LIVE_PCP_HOT_STACKS, s->pcp_stacks, sizeof(s->pcp_stacks));
	if (rc)
		return rc;
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		pg_data_t *pgdat;

		if (!remote[nid] || nid >= s->nr_online_nodes)
			continue;
		pgdat = snap_alloc(s, sizeof(*pgdat));
		if (!pgdat)
			return -ENOMEM;
		rc = live_read(p, (u64)(unsigned long)remote[nid], pgdat, sizeof(*pgdat));
		if (rc)
			return rc;
		/* Zonelists point at the other process's zones: nothing here walks them. */
		memset(pgdat->node_zonelists, 0, sizeof(pgdat->node_zonelists));
		memset(pgdat->zonelist_first, 0, sizeof(pgdat->zonelist_first));
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			copy_zone(p, s, pgdat, (u64)(unsigned long)remote[nid], zid, what);
		s->pgdat[nid] = pgdat;
		s->pgdat_remote[nid] = (u64)(unsigned long)remote[nid];
	}
	return 0;
}

unsigned long live_zone_pcp(const struct live_snap *s, const struct zone *z)
{
	unsigned long sum = 0;
	unsigned int cpu;

	if (!z->per_cpu_pageset)
		return 0;
	for (cpu = 0; cpu < s->nr_cpu_ids; cpu++)
		sum += (unsigned long)max(z->per_cpu_pageset[cpu].count, 0);
	return sum;
}

/* ------------------------------------------------------------------ */
/* Slab caches                                                          */

/* A node structure with its partial slabs copied and linked locally. */
static struct kmem_cache_node *copy_cache_node(const struct live_proc *p, struct live_snap *s,
					       u64 remote, unsigned long *nr_free)
{
	struct kmem_cache_node *n = snap_alloc(s, sizeof(*n));
	u64 head = remote + offsetof(struct kmem_cache_node, partial);
	struct list_head at;
	unsigned long count = 0;

	if (!n || live_read(p, remote, n, sizeof(*n)))
		return NULL;
	at = n->partial;
	spin_lock_init(&n->list_lock);
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
	n->irq_deferred = NULL;
	n->barn = NULL;
	while ((u64)(unsigned long)at.next != head && at.next && count++ < MAX_PARTIAL) {
		u64 slab_remote = (u64)(unsigned long)at.next - offsetof(struct slab, slab_list);
		struct slab *slab = snap_alloc(s, sizeof(*slab));

		if (!slab || live_read(p, slab_remote, slab, sizeof(*slab)))
			break;
		at = slab->slab_list;
		*nr_free += slab->objects - slab->inuse;
		slab->slab_cache = NULL;
		slab->freelist = NULL;
		list_add_tail(&slab->slab_list, &n->partial);
	}
	return n;
}

static int copy_caches(const struct live_proc *p, struct live_snap *s)
{
	u64 head = p->area.vars[LIVE_SLAB_CACHES].addr;
	struct list_head at;
	int n = 0, rc;

	rc = live_read(p, head, &at, sizeof(at));
	if (rc)
		return rc;
	s->caches = snap_alloc(s, MAX_CACHES * sizeof(*s->caches));
	if (!s->caches)
		return -ENOMEM;
	while ((u64)(unsigned long)at.next != head && at.next && n < MAX_CACHES) {
		u64 remote = (u64)(unsigned long)at.next - offsetof(struct kmem_cache, list);
		struct live_cache *lc = &s->caches[n];
		unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;
		int nid;

		if (live_read(p, remote, &lc->c, sizeof(lc->c)))
			break;
		at = lc->c.list;
		lc->remote = remote;
		if (arch_process_read(p->pid, (unsigned long)lc->c.name, lc->name,
				      sizeof(lc->name) - 1) <= 0)
			strcpy(lc->name, "?");
		lc->name[sizeof(lc->name) - 1] = '\0';
		lc->c.name = lc->name;
		memset(&lc->c.cpu_sheaves, 0, sizeof(lc->c.cpu_sheaves));
		spin_lock_init(&lc->c.sheaves_lock);
		lc->c.random_seq = NULL;
		lc->c.ctor = NULL;
		for (nid = 0; nid < MAX_NUMNODES; nid++) {
			u64 node_remote = (u64)(unsigned long)lc->c.node[nid];

			lc->c.node[nid] = node_remote && nid < s->nr_online_nodes ?
				copy_cache_node(p, s, node_remote, &nr_free) : NULL;
			if (lc->c.node[nid]) {
				nr_slabs += (unsigned long)atomic_long_read(&lc->c.node[nid]->nr_slabs);
				nr_objs += (unsigned long)atomic_long_read(&lc->c.node[nid]->total_objects);
			}
		}
		/* As get_slabinfo() counts: objects of partial slabs that are free are not active. */
		lc->info.active_objs = nr_objs > nr_free ? nr_objs - nr_free : 0;
		lc->info.num_objs = nr_objs;
		lc->info.active_slabs = lc->info.num_slabs = nr_slabs;
		lc->info.objects_per_slab = oo_objects(lc->c.oo);
		lc->info.cache_order = oo_order(lc->c.oo);
		INIT_LIST_HEAD(&lc->c.list);
		n++;
	}
	s->nr_caches = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Maps and counters                                                    */

static void *copy_array(const struct live_proc *p, struct live_snap *s, u64 remote, size_t size)
{
	void *a = snap_alloc(s, size);

	if (a && remote && live_read(p, remote, a, size))
		memset(a, 0, size);
	return a;
}

static int copy_maps(const struct live_proc *p, struct live_snap *s)
{
	struct memblock_type *types[] = { &s->memblock.memory, &s->memblock.reserved };
	u64 mt_remote = 0, deferred_remote = 0;
	size_t i;
	int rc;

	rc = read_var(p, LIVE_MEMBLOCK, &s->memblock, sizeof(s->memblock));
	if (!rc)
		rc = read_var(p, LIVE_PAGEBLOCK_MT, &mt_remote, sizeof(mt_remote));
	if (!rc)
		rc = read_var(p, LIVE_DEFERRED_MAP, &deferred_remote, sizeof(deferred_remote));
	if (rc)
		return rc;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct memblock_type *t = types[i];
		unsigned long cnt = min(t->cnt, (unsigned long)MAX_REGIONS);

		t->regions = copy_array(p, s, (u64)(unsigned long)t->regions,
					max(cnt, 1UL) * sizeof(*t->regions));
		t->cnt = cnt;
		t->max = max(cnt, 1UL);
		t->name = i ? "reserved" : "memory";
	}
	s->pageblock_mt = copy_array(p, s, mt_remote, DIV_ROUND_UP(s->max_pfn, pageblock_nr_pages));
	s->deferred_map = copy_array(p, s, deferred_remote,
				     BITS_TO_LONGS(DIV_ROUND_UP(s->max_pfn, MAX_ORDER_NR_PAGES)) *
				     sizeof(long));
	return s->pageblock_mt && s->deferred_map ? 0 : -ENOMEM;
}

static void copy_counters(const struct live_proc *p, struct live_snap *s)
{
	u32 g, ngroups = min(p->area.nr_counter_groups, (u32)LIVE_MAX_COUNTER_GROUPS);
	int total = 0;

	for (g = 0; g < ngroups; g++)
		total += (int)min(p->area.counters[g].n, 256U);
	s->counters = snap_alloc(s, (size_t)max(total, 1) * sizeof(*s->counters));
	if (!s->counters)
		return;
	for (g = 0; g < ngroups; g++) {
		const struct live_counter_group *grp = &p->area.counters[g];
		u32 i, n = min(grp->n, 256U);
		u64 names[256];
		long values[256];

		if (live_read(p, grp->names, names, n * sizeof(u64)) ||
		    live_read(p, grp->values, values, n * sizeof(long)))
			continue;
		for (i = 0; i < n; i++) {
			struct live_counter *c = &s->counters[s->nr_counters++];

			snprintf(c->group, sizeof(c->group), "%.19s", grp->group);
			if (arch_process_read(p->pid, (unsigned long)names[i], c->name,
					      sizeof(c->name) - 1) <= 0)
				strcpy(c->name, "?");
			c->name[sizeof(c->name) - 1] = '\0';
			c->value = values[i];
		}
	}
}

int live_snapshot(struct live_proc *p, struct live_snap *s, unsigned int what)
{
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->pid = p->pid;
	s->t_ns = arch_clock_ns();
	s->rss_kb = arch_process_rss_kb(p->pid);
	if (s->rss_kb == -ENOENT || s->rss_kb == -ESRCH)
		return -ESRCH;
	rc |= read_var(p, LIVE_NR_ONLINE_NODES, &s->nr_online_nodes, sizeof(s->nr_online_nodes));
	rc |= read_var(p, LIVE_NR_CPU_IDS, &s->nr_cpu_ids, sizeof(s->nr_cpu_ids));
	rc |= read_var(p, LIVE_NR_ONLINE_CPUS, &s->nr_online_cpus, sizeof(s->nr_online_cpus));
	rc |= read_var(p, LIVE_TOTALRAM, &s->totalram, sizeof(s->totalram));
	rc |= read_var(p, LIVE_TOTALRESERVE, &s->totalreserve, sizeof(s->totalreserve));
	rc |= read_var(p, LIVE_TOTALHIGH, &s->totalhigh, sizeof(s->totalhigh));
	rc |= read_var(p, LIVE_RAM_SIZE, &s->ram_size, sizeof(s->ram_size));
	rc |= read_var(p, LIVE_RAM_PFNS, &s->ram_pfns, sizeof(s->ram_pfns));
	rc |= read_var(p, LIVE_MAX_PFN, &s->max_pfn, sizeof(s->max_pfn));
	rc |= read_var(p, LIVE_MEM_MAP, &s->mem_map, sizeof(s->mem_map));
	rc |= read_var(p, LIVE_VMALLOC_TOTAL, &s->vmalloc_total, sizeof(s->vmalloc_total));
	rc |= read_var(p, LIVE_PERCPU_BYTES, &s->percpu_bytes, sizeof(s->percpu_bytes));
	rc |= read_var(p, LIVE_HAS_ZONE, s->has_zone, sizeof(s->has_zone));
	rc |= read_var(p, LIVE_HIGHMEM_LAYOUT, &s->highmem_layout, sizeof(s->highmem_layout));
	rc |= read_var(p, LIVE_SLAB_STATE, &s->slab_state, sizeof(s->slab_state));
	if (rc)
		return arch_process_comm(p->pid, p->comm) ? -ESRCH : -EFAULT;
	if (arch_process_read(p->pid, (unsigned long)p->area.vars[LIVE_CMDLINE].addr, s->cmdline,
			      sizeof(s->cmdline) - 1) <= 0)
		s->cmdline[0] = '\0';
	s->nr_online_nodes = clamp(s->nr_online_nodes, 0, MAX_NUMNODES);
	s->nr_cpu_ids = min(s->nr_cpu_ids, 4096U);
	if (what & (LIVE_ZONES | LIVE_FREE_LISTS))
		rc = copy_zones(p, s, what);
	if (!rc && (what & LIVE_CACHES))
		rc = copy_caches(p, s);
	if (!rc && (what & LIVE_MAPS))
		rc = copy_maps(p, s);
	copy_counters(p, s);
	return rc;
}

int live_show_log(const struct live_proc *p, FILE *out)
{
	size_t len, size = p->area.vars[LIVE_LOG_BUF].size;
	char *buf;
	int rc;

	rc = read_var(p, LIVE_LOG_LEN, &len, sizeof(len));
	if (rc)
		return rc;
	len = min(len, size);
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	rc = live_read(p, p->area.vars[LIVE_LOG_BUF].addr, buf, len);
	if (!rc)
		fwrite(buf, 1, len, out);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reports                                                              */

int live_install(struct live_snap *s)
{
	int nid, i;

	if (ukmem_booted())
		return -EBUSY;
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		node_data[nid] = s->pgdat[nid];
	nr_online_nodes = s->nr_online_nodes;
	nr_cpu_ids = s->nr_cpu_ids;
	ukmem_nr_online_cpus = s->nr_online_cpus;
	atomic_long_set(&_totalram_pages, s->totalram);
	totalreserve_pages = s->totalreserve;
	totalhigh_pages_count = s->totalhigh;
	ukmem_ram_size = s->ram_size;
	ukmem_ram_pfns = s->ram_pfns;
	max_pfn = s->max_pfn;
	mem_map = (struct page *)s->mem_map;	/* pfn arithmetic only, never read */
	ukmem_vmalloc_total_bytes = s->vmalloc_total;
	ukmem_percpu_bytes = s->percpu_bytes;
	memcpy(ukmem_has_zone, s->has_zone, sizeof(ukmem_has_zone));
	ukmem_highmem_layout = s->highmem_layout;
	if (s->pageblock_mt) {
		memblock = s->memblock;
		pageblock_mt = s->pageblock_mt;
		deferred_map = s->deferred_map;
	}
	INIT_LIST_HEAD(&slab_caches);
	for (i = 0; i < s->nr_caches; i++)
		list_add_tail(&s->caches[i].c.list, &slab_caches);
	slab_state = s->slab_state;
	/* The library now believes it booted: nothing may allocate through it. */
	system_state = SYSTEM_RUNNING;
	return 0;
}
