/* SPDX-License-Identifier: MIT */
/*
 * tools/top.c - `ukmem top PID`, `ukmem run --top`, `ukmem ps`: a running
 * process's memory, live, as slabtop and vmstat 1 show the kernel's.
 *
 * Each refresh takes a snapshot of the process (tools/live.c: zones,
 * per-CPU page lists, slab caches, copied while it runs) and draws one of
 * three views on the whole terminal:
 *   caches  the slab caches sorted by size, with active and total objects
 *           and their growth since the last refresh (slabtop);
 *   zones   free pages per order, watermarks and per-CPU list fill of
 *           every zone (buddyinfo + zoneinfo);
 *   pcp     each CPU's page list in each zone against its high mark.
 * A summary heads every view: RSS, free, slab, vmalloc and per-CPU memory,
 * the allocation rate (pages and objects per second) and the process's
 * event counters (reclaim) when it registered any.
 *
 * Keys: q quit; Tab, v or 1-3 change the view; c a o s n u l g sort the
 * caches (cache size, active, objects, object size, name, use, slabs,
 * growth; slabtop's letters); + and - change the refresh interval.
 * --batch writes the frames one after another without the terminal, for
 * pipes and logs; --record FILE writes the figures of every refresh for
 * `ukmem plot`.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/mm.h>
#include "arch/host.h"
#include "tools/live.h"
#include "tools/ukmem.h"

enum view { VIEW_CACHES, VIEW_ZONES, VIEW_PCP, NR_VIEWS };
static const char *const view_names[NR_VIEWS] = { "caches", "zones", "pcp" };

enum sort_key { SORT_SIZE, SORT_ACTIVE, SORT_OBJS, SORT_OBJSIZE, SORT_NAME, SORT_USE,
		SORT_SLABS, SORT_GROWTH };
static const char sort_letters[] = "caosnulg";

/* The previous refresh's active objects per cache, for the growth column. */
struct prev_cache {
	char name[64];
	unsigned long active;
};

struct top {
	struct live_proc proc;
	struct live_snap snap, prev;
	bool have_prev;
	struct prev_cache *prev_caches;
	int nr_prev_caches;
	enum view view;
	enum sort_key sort;
	long interval_ms;
	bool batch, tty;
	int rows, cols;
	u64 start_ns;
	FILE *record;
	char line[512];
};

/* ------------------------------------------------------------------ */
/* Output                                                               */

static struct termios saved_termios;
static bool termios_saved;

static void screen_restore(void)
{
	if (!termios_saved)
		return;
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	/* Cursor back, main screen back. */
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	termios_saved = false;
}

static void on_fatal_signal(int sig)
{
	screen_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void screen_setup(struct top *t)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &saved_termios))
		return;
	termios_saved = true;
	raw = saved_termios;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	signal(SIGINT, on_fatal_signal);
	signal(SIGTERM, on_fatal_signal);
	signal(SIGHUP, on_fatal_signal);
	atexit(screen_restore);
	/* The alternate screen, as top and less use it; no cursor. */
	fputs("\033[?1049h\033[?25l", stdout);
	t->tty = true;
}

static void screen_size(struct top *t)
{
	struct winsize ws;

	t->rows = 24;
	t->cols = 80;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		t->rows = ws.ws_row;
		t->cols = ws.ws_col;
	}
	if (t->batch) {
		t->rows = 1000;
		t->cols = 200;
	}
}

static int rows_left;

/* One line of the frame, cut to the terminal's width. */
static __attribute__((format(printf, 2, 3))) void out(struct top *t, const char *fmt, ...)
{
	va_list ap;

	if (rows_left <= 0)
		return;
	va_start(ap, fmt);
	vsnprintf(t->line, sizeof(t->line), fmt, ap);
	va_end(ap);
	/* Cut at the screen's edge, and said so: "malloc-115" is a cache name too. */
	if ((int)strlen(t->line) > t->cols && t->cols > 0) {
		t->line[t->cols - 1] = '>';
		t->line[t->cols] = '\0';
	}
	fputs(t->line, stdout);
	/* Erase what a longer line of the last frame left. */
	fputs(t->tty ? "\033[K\n" : "\n", stdout);
	rows_left--;
}

/* "12.3M": a byte count in four columns or so, as slabtop prints sizes. */
static const char *human(char *buf, size_t size, double bytes)
{
	static const char units[] = "BKMGTP";
	int u = 0;

	while (bytes >= 1024 && u < 5) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f%c" : "%.0f%c", bytes, units[u]);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Figures                                                              */

struct totals {
	unsigned long managed, free, pcp, slab_bytes, vmalloc, percpu;
	unsigned long active_objs, num_objs, active_slabs, num_slabs, active_caches;
	unsigned long active_bytes, total_bytes;
};

static unsigned long cache_bytes(const struct live_cache *c)
{
	return c->info.num_slabs << (PAGE_SHIFT + c->info.cache_order);
}

static void sum_up(const struct live_snap *s, struct totals *tot)
{
	struct zone *z;
	int nid, zid, i;

	memset(tot, 0, sizeof(*tot));
	for_each_live_zone(s, nid, zid, z) {
		tot->managed += zone_managed_pages(z);
		tot->free += zone_page_state(z, NR_FREE_PAGES);
		tot->pcp += live_zone_pcp(s, z);
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!s->pgdat[nid])
			continue;
		tot->slab_bytes += ukmem_node_stat_raw(s->pgdat[nid], NR_SLAB_RECLAIMABLE_B) +
				   ukmem_node_stat_raw(s->pgdat[nid], NR_SLAB_UNRECLAIMABLE_B);
		tot->vmalloc += node_page_state(s->pgdat[nid], NR_VMALLOC);
	}
	tot->percpu = s->percpu_bytes;
	for (i = 0; i < s->nr_caches; i++) {
		const struct live_cache *c = &s->caches[i];

		tot->active_objs += c->info.active_objs;
		tot->num_objs += c->info.num_objs;
		tot->active_slabs += c->info.active_slabs;
		tot->num_slabs += c->info.num_slabs;
		tot->active_caches += c->info.active_objs != 0;
		tot->active_bytes += c->info.active_objs * c->c.size;
		tot->total_bytes += cache_bytes(c);
	}
}

static long growth_of(const struct top *t, const struct live_cache *c)
{
	int i;

	if (!t->have_prev)
		return 0;
	for (i = 0; i < t->nr_prev_caches; i++)
		if (!strcmp(t->prev_caches[i].name, c->name))
			return (long)c->info.active_objs - (long)t->prev_caches[i].active;
	return (long)c->info.active_objs;
}

static struct top *sort_top;

static int cmp_caches(const void *a, const void *b)
{
	const struct live_cache *x = *(const struct live_cache * const *)a;
	const struct live_cache *y = *(const struct live_cache * const *)b;
	double kx = 0, ky = 0;

	switch (sort_top->sort) {
	case SORT_SIZE:
		kx = (double)cache_bytes(x);
		ky = (double)cache_bytes(y);
		break;
	case SORT_ACTIVE:
		kx = (double)x->info.active_objs;
		ky = (double)y->info.active_objs;
		break;
	case SORT_OBJS:
		kx = (double)x->info.num_objs;
		ky = (double)y->info.num_objs;
		break;
	case SORT_OBJSIZE:
		kx = x->c.size;
		ky = y->c.size;
		break;
	case SORT_NAME:
		return strcmp(x->name, y->name);
	case SORT_USE:
		kx = x->info.num_objs ? (double)x->info.active_objs / (double)x->info.num_objs : 0;
		ky = y->info.num_objs ? (double)y->info.active_objs / (double)y->info.num_objs : 0;
		break;
	case SORT_SLABS:
		kx = (double)x->info.num_slabs;
		ky = (double)y->info.num_slabs;
		break;
	case SORT_GROWTH:
		kx = (double)growth_of(sort_top, x);
		ky = (double)growth_of(sort_top, y);
		break;
	}
	if (kx != ky)
		return kx < ky ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* ------------------------------------------------------------------ */
/* Views                                                                */

static void draw_summary(struct top *t, const struct totals *tot)
{
	const struct live_snap *s = &t->snap;
	double up = (double)(s->t_ns - t->start_ns) / 1e9;
	char b[7][16];
	int i;

	out(t, "ukmem top - pid %d (%s)  %.1fs  every %.1fs  view: %s%s", t->proc.pid,
	    t->proc.comm, up, (double)t->interval_ms / 1000, view_names[t->view],
	    t->batch ? "" : "   [q]uit [v]iew [1-3] sort: c a o s n u l g");
	out(t, "RSS %s  RAM %s  free %s  slab %s  vmalloc %s  pcp %s  percpu %s",
	    human(b[0], 16, (double)s->rss_kb * 1024), human(b[1], 16, (double)tot->managed * PAGE_SIZE),
	    human(b[2], 16, (double)tot->free * PAGE_SIZE), human(b[3], 16, (double)tot->slab_bytes),
	    human(b[4], 16, (double)tot->vmalloc * PAGE_SIZE),
	    human(b[5], 16, (double)tot->pcp * PAGE_SIZE),
	    human(b[6], 16, (double)tot->percpu));
	if (t->have_prev) {
		struct totals old;
		double dt = (double)(s->t_ns - t->prev.t_ns) / 1e9;
		long dpages, dobjs;

		sum_up(&t->prev, &old);
		dpages = (long)(tot->managed - tot->free - tot->pcp) -
			 (long)(old.managed - old.free - old.pcp);
		dobjs = (long)tot->active_objs - (long)old.active_objs;
		out(t, "rate: pages in use %+.0f/s  slab objects %+.0f/s  RSS %+.0f KiB/s",
		    dt > 0 ? (double)dpages / dt : 0, dt > 0 ? (double)dobjs / dt : 0,
		    dt > 0 ? (double)(s->rss_kb - t->prev.rss_kb) / dt : 0);
	} else {
		out(t, "rate: (after the next refresh)");
	}
	if (s->nr_counters) {
		char buf[400];
		size_t len = 0;

		for (i = 0; i < s->nr_counters && len < sizeof(buf) - 64; i++)
			if (s->counters[i].value || i < 6)
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %ld  ",
							s->counters[i].name, s->counters[i].value);
		out(t, "%s: %s", s->counters[0].group, buf);
	} else {
		out(t, "reclaim: no event counters in this process's build");
	}
}

static void draw_caches(struct top *t, const struct totals *tot)
{
	const struct live_snap *s = &t->snap;
	struct live_cache **order = malloc((size_t)max(s->nr_caches, 1) * sizeof(*order));
	char b[2][16];
	int i;

	if (!order)
		return;
	out(t, " Active / Total Objects (%% used)    : %lu / %lu (%.1f%%)", tot->active_objs,
	    tot->num_objs, tot->num_objs ? 100.0 * (double)tot->active_objs / (double)tot->num_objs : 0);
	out(t, " Active / Total Slabs (%% used)      : %lu / %lu (%.1f%%)", tot->active_slabs,
	    tot->num_slabs, tot->num_slabs ? 100.0 * (double)tot->active_slabs / (double)tot->num_slabs : 0);
	out(t, " Active / Total Caches (%% used)     : %lu / %d (%.1f%%)", tot->active_caches,
	    s->nr_caches, s->nr_caches ? 100.0 * (double)tot->active_caches / s->nr_caches : 0);
	out(t, " Active / Total Size (%% used)       : %s / %s (%.1f%%)",
	    human(b[0], 16, (double)tot->active_bytes), human(b[1], 16, (double)tot->total_bytes),
	    tot->total_bytes ? 100.0 * (double)tot->active_bytes / (double)tot->total_bytes : 0);
	out(t, "%s", "");
	out(t, "%9s %9s %4s %8s %6s %8s %10s %8s %s", "OBJS", "ACTIVE", "USE", "OBJ SIZE",
	    "SLABS", "OBJ/SLAB", "CACHE SIZE", "GROWTH", "NAME");
	for (i = 0; i < s->nr_caches; i++)
		order[i] = &s->caches[i];
	sort_top = t;
	qsort(order, (size_t)s->nr_caches, sizeof(*order), cmp_caches);
	for (i = 0; i < s->nr_caches && rows_left > 0; i++) {
		const struct live_cache *c = order[i];

		out(t, "%9lu %9lu %3.0f%% %7.2fK %6lu %8u %9luK %+8ld %s", c->info.num_objs,
		    c->info.active_objs,
		    c->info.num_objs ? 100.0 * (double)c->info.active_objs / (double)c->info.num_objs : 0,
		    c->c.size / 1024.0, c->info.num_slabs, c->info.objects_per_slab,
		    cache_bytes(c) >> 10, growth_of(t, c), c->name);
	}
	free(order);
}

static void draw_zones(struct top *t)
{
	const struct live_snap *s = &t->snap;
	char hdr[128];
	struct zone *z;
	int nid, zid, o;
	size_t len;

	out(t, "%-12s %8s %7s %7s %7s %8s %6s  %s", "NODE ZONE", "FREE", "MIN", "LOW", "HIGH",
	    "MANAGED", "PCP", "free blocks per order (buddyinfo)");
	len = (size_t)snprintf(hdr, sizeof(hdr), "%-58s", "");
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		len += (size_t)snprintf(hdr + len, sizeof(hdr) - len, "%5d", o);
	out(t, "%s", hdr);
	for_each_live_zone(s, nid, zid, z) {
		char orders[128];

		len = 0;
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			len += (size_t)snprintf(orders + len, sizeof(orders) - len, "%5lu",
						z->free_area[o].nr_free);
		out(t, "%-4d %-7s %8lu %7lu %7lu %7lu %8lu %6lu %s", nid, z->name ? z->name : "?",
		    zone_page_state(z, NR_FREE_PAGES), min_wmark_pages(z), low_wmark_pages(z),
		    high_wmark_pages(z), zone_managed_pages(z), live_zone_pcp(s, z), orders);
	}
	out(t, "%s", "");
	out(t, "Per-CPU page lists: pages held / high mark (the lists drain above it)");
	for_each_live_zone(s, nid, zid, z) {
		char fill[400];
		unsigned int cpu;

		len = 0;
		for (cpu = 0; z->per_cpu_pageset && cpu < s->nr_cpu_ids && len < sizeof(fill) - 24; cpu++)
			len += (size_t)snprintf(fill + len, sizeof(fill) - len, " cpu%u %d/%d", cpu,
						z->per_cpu_pageset[cpu].count,
						z->per_cpu_pageset[cpu].high);
		out(t, "%-4d %-7s%s", nid, z->name ? z->name : "?", fill);
	}
}

static void draw_pcp(struct top *t)
{
	const struct live_snap *s = &t->snap;
	struct zone *z;
	int nid, zid;

	out(t, "%-12s %4s %6s %6s %6s  %s", "NODE ZONE", "CPU", "COUNT", "HIGH", "BATCH", "FILL");
	for_each_live_zone(s, nid, zid, z) {
		unsigned int cpu;

		for (cpu = 0; z->per_cpu_pageset && cpu < s->nr_cpu_ids; cpu++) {
			const struct per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
			char bar[41];
			int n = pcp->high > 0 ? (int)(40.0 * max(pcp->count, 0) / pcp->high) : 0;

			n = clamp(n, 0, 40);
			memset(bar, '#', (size_t)n);
			memset(bar + n, '.', (size_t)(40 - n));
			bar[40] = '\0';
			out(t, "%-4d %-7s %4u %6d %6d %6d  [%s]", nid, z->name ? z->name : "?", cpu,
			    pcp->count, pcp->high, pcp->batch, bar);
		}
	}
}

static void draw(struct top *t)
{
	struct totals tot;

	screen_size(t);
	rows_left = t->rows - (t->tty ? 1 : 0);
	if (t->tty)
		fputs("\033[H", stdout);	/* home; lines overwrite the last frame */
	sum_up(&t->snap, &tot);
	draw_summary(t, &tot);
	out(t, "%s", "");
	switch (t->view) {
	case VIEW_CACHES:
		draw_caches(t, &tot);
		break;
	case VIEW_ZONES:
		draw_zones(t);
		break;
	default:
		draw_pcp(t);
		break;
	}
	if (t->tty)
		fputs("\033[J", stdout);	/* clear below */
	else
		fputs("\n", stdout);
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Recording (ukmem plot)                                               */

void record_header(FILE *f, const struct live_proc *p, long interval_ms)
{
	fprintf(f, "# ukmem recording 1\n# pid %d comm %s interval_ms %ld\n"
		"# ms\tkey\tvalue (free:NODE:ZONE:ORDER blocks, slab:CACHE bytes, rss_kb, ...)\n",
		p->pid, p->comm, interval_ms);
}

void record_sample(FILE *f, const struct live_snap *s, u64 start_ns)
{
	unsigned long ms = (unsigned long)((s->t_ns - start_ns) / 1000000);
	struct totals tot;
	struct zone *z;
	int nid, zid, o, i;

	sum_up(s, &tot);
	fprintf(f, "%lu\trss_kb\t%ld\n%lu\tfree_pages\t%lu\n%lu\tmanaged_pages\t%lu\n"
		"%lu\tpcp_pages\t%lu\n%lu\tslab_bytes\t%lu\n", ms, s->rss_kb, ms, tot.free, ms,
		tot.managed, ms, tot.pcp, ms, tot.slab_bytes);
	for_each_live_zone(s, nid, zid, z) {
		fprintf(f, "%lu\tmanaged:%d:%s\t%lu\n", ms, nid, z->name, zone_managed_pages(z));
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			fprintf(f, "%lu\tfree:%d:%s:%d\t%lu\n", ms, nid, z->name, o,
				z->free_area[o].nr_free);
	}
	for (i = 0; i < s->nr_caches; i++)
		if (s->caches[i].info.num_slabs)
			fprintf(f, "%lu\tslab:%s\t%lu\n", ms, s->caches[i].name,
				cache_bytes(&s->caches[i]));
	fflush(f);
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */

static void keep_prev(struct top *t)
{
	int i;

	free(t->prev_caches);
	t->prev_caches = calloc((size_t)max(t->snap.nr_caches, 1), sizeof(*t->prev_caches));
	t->nr_prev_caches = t->prev_caches ? t->snap.nr_caches : 0;
	for (i = 0; i < t->nr_prev_caches; i++) {
		snprintf(t->prev_caches[i].name, sizeof(t->prev_caches[i].name), "%s",
			 t->snap.caches[i].name);
		t->prev_caches[i].active = t->snap.caches[i].info.active_objs;
	}
	if (t->have_prev)
		live_snap_free(&t->prev);
	t->prev = t->snap;
	memset(&t->snap, 0, sizeof(t->snap));
	t->have_prev = true;
}

/* A key, or 0 after @ms without one (or at once when stdin is not ours). */
static int wait_key(struct top *t, long ms)
{
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
	char c;

	if (!t->tty) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		return 0;
	}
	if (poll(&pfd, 1, (int)ms) <= 0)
		return 0;
	return read(STDIN_FILENO, &c, 1) == 1 ? (unsigned char)c : 0;
}

/* false: quit. */
static bool handle_key(struct top *t, int key)
{
	const char *s;

	switch (key) {
	case 'q':
	case 'Q':
		return false;
	case '\t':
	case 'v':
		t->view = (t->view + 1) % NR_VIEWS;
		break;
	case '1':
	case '2':
	case '3':
		t->view = (enum view)(key - '1');
		break;
	case '+':
		t->interval_ms = min(t->interval_ms * 2, 60000L);
		break;
	case '-':
		t->interval_ms = max(t->interval_ms / 2, 100L);
		break;
	default:
		s = key ? strchr(sort_letters, key) : NULL;
		if (s) {
			t->sort = (enum sort_key)(s - sort_letters);
			t->view = VIEW_CACHES;
		}
		break;
	}
	return true;
}

/*
 * The live view of @pid until 'q', @iterations frames (0: no limit), or
 * until @child (when it is one of ours) exits, whose wait status then goes
 * to *@status.  Returns an exit status of the command.
 */
int top_run(int pid, const struct top_options *o, pid_t child, int *status)
{
	struct top t;
	char err[512];
	int frames = 0, rc = EXIT_OK, waited = 0;
	bool opened = false, was_opened = false;

	memset(&t, 0, sizeof(t));
	t.interval_ms = o->interval_ms;
	t.batch = o->batch;
	t.view = (enum view)o->view;
	t.sort = (enum sort_key)o->sort;
	t.record = o->record;
	t.start_ns = arch_clock_ns();
	if (!t.batch && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		screen_setup(&t);
	for (;;) {
		int key;

		if (child > 0 && waitpid(child, status, WNOHANG) == child) {
			child = 0;
			break;
		}
		if (!opened) {
			int err_rc = live_open(pid, &t.proc, err, sizeof(err));

			/*
			 * A program ukmem started may not have booted yet, or is
			 * booting again after an exec(): wait for it.
			 */
			if (err_rc && !(child > 0 && (err_rc == -ENOENT || err_rc == -EAGAIN ||
						      was_opened))) {
				screen_restore();
				fprintf(stderr, "ukmem top: %s\n", err);
				rc = EXIT_FAIL;
				break;
			}
			opened = !err_rc;
			if (opened && t.record && !was_opened)
				record_header(t.record, &t.proc, t.interval_ms);
			was_opened |= opened;
			if (!opened) {
				if (waited++ == 10 && t.tty)
					printf("\033[Hwaiting for pid %d (%s) to boot its allocator...\033[K\n",
					       pid, t.proc.comm);
				wait_key(&t, 100);
				continue;
			}
		}
		if (live_snapshot(&t.proc, &t.snap, LIVE_ZONES | LIVE_CACHES)) {
			live_snap_free(&t.snap);
			if (child > 0) {
				/*
				 * Exiting (its status comes next), or it exec()ed: the
				 * new program boots an allocator of its own, whose
				 * area is opened once it is there; its counters start
				 * afresh, so no rate is taken against the old ones.
				 */
				opened = false;
				if (t.have_prev) {
					live_snap_free(&t.prev);
					t.have_prev = false;
				}
				wait_key(&t, 20);
				continue;
			}
			screen_restore();
			fprintf(stderr, "ukmem top: process %d (%s) is gone\n", pid, t.proc.comm);
			break;
		}
		if (t.record)
			record_sample(t.record, &t.snap, t.start_ns);
		if (!o->quiet)
			draw(&t);
		keep_prev(&t);
		if (o->iterations && ++frames >= o->iterations)
			break;
		key = wait_key(&t, t.interval_ms);
		while (key) {
			if (!handle_key(&t, key))
				goto done;
			/* Redraw at once with the old figures in the new view. */
			t.snap = t.prev;
			t.have_prev = false;
			if (!o->quiet)
				draw(&t);
			memset(&t.snap, 0, sizeof(t.snap));
			t.have_prev = true;
			key = wait_key(&t, t.interval_ms);
		}
	}
done:
	screen_restore();
	if (t.have_prev)
		live_snap_free(&t.prev);
	free(t.prev_caches);
	if (child > 0) {
		/* Quit before the program ended: it goes on; wait for it as run does. */
		while (waitpid(child, status, 0) < 0 && errno == EINTR)
			;
	}
	return rc;
}

static int parse_view(const char *cmd, const char *v, int *view)
{
	int i;

	for (i = 0; i < NR_VIEWS; i++)
		if (!strcmp(v, view_names[i])) {
			*view = i;
			return 0;
		}
	return usage_error(cmd, "no view '%s' (caches, zones or pcp)", v);
}

int top_parse(const char *cmd, const char *interval, const char *count, const char *view,
	      const char *sort, const char *record, struct top_options *o)
{
	char *end;

	memset(o, 0, sizeof(*o));
	o->interval_ms = 1000;
	if (interval) {
		double s = strtod(interval, &end);

		if (*end || s < 0.1 || s > 3600)
			return usage_error(cmd, "--interval needs seconds from 0.1 to 3600, not '%s'",
					   interval);
		o->interval_ms = (long)(s * 1000);
	}
	if (count) {
		long n = strtol(count, &end, 10);

		if (*end || n <= 0)
			return usage_error(cmd, "--count needs a positive number, not '%s'", count);
		o->iterations = (int)n;
	}
	if (view && parse_view(cmd, view, &o->view))
		return EXIT_USAGE;
	if (sort) {
		const char *s = strlen(sort) == 1 ? strchr(sort_letters, sort[0]) : NULL;

		if (!s)
			return usage_error(cmd, "--sort takes one of %s, not '%s'", sort_letters, sort);
		o->sort = (int)(s - sort_letters);
	}
	if (record) {
		o->record = fopen(record, "w");
		if (!o->record) {
			fprintf(stderr, "ukmem %s: cannot write %s: %s\n", cmd, record, strerror(errno));
			return EXIT_FAIL;
		}
	}
	return 0;
}

int cmd_top(int argc, char **argv)
{
	const char *interval = NULL, *count = NULL, *view = NULL, *sort = NULL, *record = NULL;
	bool batch = false;
	const struct opt_value opts[] = {
		{ "--interval", NULL, &interval },
		{ "--count", NULL, &count },
		{ "--batch", &batch, NULL },
		{ "--view", NULL, &view },
		{ "--sort", NULL, &sort },
		{ "--record", NULL, &record },
		{ NULL, NULL, NULL },
	};
	struct top_options o;
	char *end;
	long pid;
	int rc;

	rc = parse_options("top", &argc, argv, opts, false);
	if (rc)
		return rc;
	if (argc != 2)
		return usage_error("top", argc < 2 ? "which process? (a PID is needed)" :
				   "one process at a time");
	pid = strtol(argv[1], &end, 10);
	if (*end || pid <= 0)
		return usage_error("top", "'%s' is not a process id", argv[1]);
	rc = top_parse("top", interval, count, view, sort, record, &o);
	if (rc)
		return rc;
	o.batch = batch;
	rc = top_run((int)pid, &o, 0, NULL);
	if (o.record)
		fclose(o.record);
	return rc;
}

/* ------------------------------------------------------------------ */
/* ukmem ps                                                             */

int cmd_ps(int argc, char **argv)
{
	static int pids[1 << 16];
	int n, i, found = 0;
	const struct opt_value opts[] = { { NULL, NULL, NULL } };
	int rc = parse_options("ps", &argc, argv, opts, false);

	if (rc)
		return rc;
	if (argc > 1)
		return usage_error("ps", "unexpected argument '%s'", argv[1]);
	n = arch_process_list(pids, (int)ARRAY_SIZE(pids));
	if (n < 0) {
		fprintf(stderr, "ukmem ps: cannot list /proc: %s\n", strerror(-n));
		return EXIT_FAIL;
	}
	printf("%7s %-15s %10s %10s %10s %10s  %s\n", "PID", "COMMAND", "RSS", "RAM", "FREE",
	       "SLAB", "BOOT COMMAND LINE");
	for (i = 0; i < n; i++) {
		struct live_proc p;
		struct live_snap s;
		struct totals tot;
		char err[512], b[4][16];
		unsigned long addr;

		/* Only processes with an area: the maps line, before any memory read. */
		if (arch_process_find_area(pids[i], LIVE_MAP_NAME, &addr, 1) <= 0)
			continue;
		found++;
		if (live_open(pids[i], &p, err, sizeof(err))) {
			printf("%7d %-15s  (%s)\n", pids[i], p.comm, err);
			continue;
		}
		if (live_snapshot(&p, &s, LIVE_ZONES)) {
			live_snap_free(&s);
			continue;
		}
		sum_up(&s, &tot);
		printf("%7d %-15s %10s %10s %10s %10s  %s\n", pids[i], p.comm,
		       human(b[0], 16, (double)s.rss_kb * 1024),
		       human(b[1], 16, (double)tot.managed * PAGE_SIZE),
		       human(b[2], 16, (double)tot.free * PAGE_SIZE),
		       human(b[3], 16, (double)tot.slab_bytes), s.cmdline);
		live_snap_free(&s);
	}
	if (!found)
		printf("(no process of yours runs on ukmem)\n");
	return EXIT_OK;
}
