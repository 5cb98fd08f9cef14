/* SPDX-License-Identifier: MIT */
/*
 * The /proc reports on mem=512M: line shapes against the kernel's formats
 * (POSIX regexes, and column for column against the samples in
 * tests/samples/, which follow the kernel's seq_printf formats), and the
 * numbers against the allocator: buddyinfo's blocks x sizes == zoneinfo's
 * "pages free" == NR_FREE_PAGES; pagetypeinfo's per-type counts add up to
 * buddyinfo's; meminfo's MemTotal, MemFree, MemAvailable, CommitLimit and
 * DirectMap lines; MemFree falls by exactly 4000 kB for 1000 pages held.
 */
#include <errno.h>
#include <regex.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest_boot.h"

#define MAX_LINES	512

struct lines {
	char *text;		/* the report, lines split in place */
	char *line[MAX_LINES];
	int n;
};

static void split_lines(struct lines *l)
{
	char *p = l->text, *nl;

	l->n = 0;
	while (*p && l->n < MAX_LINES) {
		l->line[l->n++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

/* One report, split into lines.  @raw gets the unsplit text if asked. */
static void report(const char *name, struct lines *l, char **raw)
{
	size_t size = 0;
	FILE *f;

	free(l->text);
	l->text = NULL;
	f = open_memstream(&l->text, &size);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(ukmem_show(name, f), 0);
	fclose(f);
	if (raw)
		*raw = strdup(l->text);
	split_lines(l);
}

/*
 * tests/samples/NAME.txt.  __FILE__ is relative to the source root (the
 * build maps the prefix away) and CTest runs us in <build>/tests, so look
 * relative to the working directory first, then beside the build tree, then
 * where the build's CMakeCache.txt says the sources are.
 */
static FILE *open_sample(const char *name)
{
	char exe[512], path[2048], dir[1024] = "", line[1024];
	const char *file = __FILE__;
	const char *slash = strrchr(file, '/');
	ssize_t n;
	FILE *f, *cache;

	snprintf(path, sizeof(path), "%.*ssamples/%s.txt", slash ? (int)(slash + 1 - file) : 0,
		 file, name);
	f = fopen(path, "r");
	if (f)
		return f;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';			/* <build>/tests */
	snprintf(path, sizeof(path), "%s/../../%s", exe, file);
	*strrchr(path, '/') = '\0';
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/samples/%s.txt", name);
	f = fopen(path, "r");
	if (f)
		return f;
	snprintf(path, sizeof(path), "%s/../CMakeCache.txt", exe);
	cache = fopen(path, "r");
	if (!cache)
		return NULL;
	while (fgets(line, sizeof(line), cache))
		if (!strncmp(line, "CMAKE_HOME_DIRECTORY:INTERNAL=", 30)) {
			snprintf(dir, sizeof(dir), "%s", line + 30);
			dir[strcspn(dir, "\n")] = '\0';
		}
	fclose(cache);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	*strrchr(path, '/') = '\0';
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/samples/%s.txt", name);
	return fopen(path, "r");
}

static void sample(const char *name, struct lines *l)
{
	FILE *f = open_sample(name);
	long len;

	CHECK(f != NULL);
	if (!f) {
		fprintf(stderr, "cannot find samples/%s.txt\n", name);
		l->text = strdup("");
		l->n = 0;
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	l->text = calloc(1, (size_t)len + 1);
	CHECK_EQ(fread(l->text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	split_lines(l);
}

static bool matches(const char *pattern, const char *s)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "bad regex %s\n", pattern);
		return false;
	}
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

#define CHECK_MATCH(pattern, s)						\
	do {								\
		if (!matches(pattern, s)) {				\
			ktest_failures++;				\
			fprintf(stderr, "%s:%d: %s: \"%s\" does not match /%s/\n", \
				__FILE__, __LINE__, ktest_current, s, pattern); \
		}							\
	} while (0)

/* The value of meminfo line @label ("MemFree"), in kB; -1 if absent. */
static long meminfo_kb(const struct lines *l, const char *label)
{
	size_t n = strlen(label);
	int i;

	for (i = 0; i < l->n; i++)
		if (!strncmp(l->line[i], label, n) && l->line[i][n] == ':')
			return strtol(l->line[i] + n + 1, NULL, 10);
	return -1;
}

static void check_invariants(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
}

/* ---- meminfo ---- */

/* Where the value's digits start and end (end: one past the last). */
static void value_columns(const char *line, int *start, int *end)
{
	const char *colon = strchr(line, ':');
	const char *p = colon ? colon + 1 : line;

	while (*p == ' ')
		p++;
	*start = (int)(p - line);
	while (*p >= '0' && *p <= '9')
		p++;
	*end = (int)(p - line);
}

static void test_meminfo_shape(void)
{
	struct lines ours = { 0 }, want = { 0 };
	int i;

	report("meminfo", &ours, NULL);
	sample("meminfo", &want);
	CHECK(want.n > 40);
	CHECK_EQ(ours.n, want.n);
	for (i = 0; i < ours.n && i < want.n; i++) {
		const char *a = ours.line[i], *b = want.line[i];
		size_t la = strcspn(a, ":"), lb = strcspn(b, ":");
		int as, ae, bs, be;

		CHECK_MATCH("^[A-Za-z0-9_()]+: +[0-9]+( kB)?$", a);
		/* Same label, in the same place. */
		if (la != lb || strncmp(a, b, la)) {
			ktest_failures++;
			fprintf(stderr, "%s: line %d: label \"%.*s\", sample has \"%.*s\"\n",
				ktest_current, i + 1, (int)la, a, (int)lb, b);
			continue;
		}
		/* " kB" or not, as the sample. */
		CHECK_EQ(strstr(a, " kB") != NULL, strstr(b, " kB") != NULL);
		/*
		 * The value is right-aligned in a fixed field: it ends in the
		 * sample's column.  A value wider than the field (VmallocTotal in
		 * the sample) starts where the field starts instead.
		 */
		value_columns(a, &as, &ae);
		value_columns(b, &bs, &be);
		if (ae - as >= 8 || be - bs >= 8) {
			if (as != bs)
				fprintf(stderr, "%s: line %d: \"%s\" vs sample \"%s\"\n",
					ktest_current, i + 1, a, b);
			CHECK_EQ(as, bs);
		} else {
			if (ae != be)
				fprintf(stderr, "%s: line %d: \"%s\" vs sample \"%s\"\n",
					ktest_current, i + 1, a, b);
			CHECK_EQ(ae, be);
		}
	}
	free(ours.text);
	free(want.text);
}

static void test_meminfo_values(void)
{
	struct lines mi = { 0 };
	unsigned long free_pages, reclaimable = 0, wmark_low = 0;
	long avail;
	struct zone *zone;
	int nid;

	drain_all_pages(NULL);
	report("meminfo", &mi, NULL);
	free_pages = nr_free_pages();
	CHECK_EQ(meminfo_kb(&mi, "MemTotal"), totalram_pages() * 4);
	CHECK_EQ(meminfo_kb(&mi, "MemFree"), free_pages * 4);
	/* MemFree is the sum of the zones' free pages. */
	{
		unsigned long sum = 0;

		for_each_populated_zone(zone)
			sum += zone_page_state(zone, NR_FREE_PAGES);
		CHECK_EQ(sum, free_pages);
	}
	/* si_mem_available(), with no page cache. */
	for_each_zone(zone)
		wmark_low += low_wmark_pages(zone);
	for_each_online_node(nid)
		reclaimable += node_page_state_pages(NODE_DATA(nid), NR_SLAB_RECLAIMABLE_B) +
			       node_page_state(NODE_DATA(nid), NR_KERNEL_MISC_RECLAIMABLE);
	avail = (long)free_pages - (long)totalreserve_pages +
		(long)(reclaimable - min(reclaimable / 2, wmark_low));
	CHECK_EQ(meminfo_kb(&mi, "MemAvailable"), (avail < 0 ? 0 : avail) * 4);
	CHECK(totalreserve_pages > 0);
	/* No swap, no hugetlb pool: overcommit_ratio 50 of RAM. */
	CHECK_EQ(meminfo_kb(&mi, "CommitLimit"), totalram_pages() * 50 / 100 * 4);
	CHECK_EQ(meminfo_kb(&mi, "SwapTotal"), 0);
	CHECK_EQ(meminfo_kb(&mi, "Hugepagesize"), 2048);
	/* The direct map covers all of RAM. */
	CHECK_EQ(meminfo_kb(&mi, "DirectMap4k") + meminfo_kb(&mi, "DirectMap2M") +
		 meminfo_kb(&mi, "DirectMap1G"), 512 * 1024);
	free(mi.text);
}

/*
 * The i386 layout (a re-run of this program with --highmem-child): the
 * linear map ends at max_low_pfn, so DirectMap4k + DirectMap2M is lowmem
 * (896 MiB), not all of RAM, and there is no DirectMap1G line, as on an
 * i386 PAE kernel (arch/x86/mm/init_32.c, pat/set_memory.c).
 */
static void test_meminfo_highmem_directmap(void)
{
	static char out[16384];
	struct lines mi = { 0 };
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "/proc/%d/exe --highmem-child", (int)getpid());
	CHECK_EQ(ktest_capture(cmd, out, sizeof(out)), 0);
	mi.text = strdup(out);
	split_lines(&mi);
	CHECK(meminfo_kb(&mi, "HighTotal") > 0);
	CHECK_EQ(meminfo_kb(&mi, "DirectMap4k") + meminfo_kb(&mi, "DirectMap2M"), 896 * 1024);
	CHECK(meminfo_kb(&mi, "LowTotal") <= 896 * 1024);
	CHECK(strstr(out, "DirectMap1G") == NULL);
	free(mi.text);
}

/* 1000 pages held: MemFree falls by exactly 4000 kB once the pcp lists are drained. */
static void test_meminfo_tracks_allocation(void)
{
	static struct page *pages[1000];
	struct lines mi = { 0 };
	long before, held, after;
	int i;

	drain_all_pages(NULL);
	report("meminfo", &mi, NULL);
	before = meminfo_kb(&mi, "MemFree");
	for (i = 0; i < 1000; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		CHECK(pages[i] != NULL);
	}
	/* Without a drain, the pcp refill may hide a batch or two. */
	report("meminfo", &mi, NULL);
	held = meminfo_kb(&mi, "MemFree");
	CHECK(before - held >= 4000 - 4 * 2 * 63);
	CHECK(before - held <= 4000 + 4 * 2 * 63 * (long)nr_cpu_ids);
	drain_all_pages(NULL);
	report("meminfo", &mi, NULL);
	held = meminfo_kb(&mi, "MemFree");
	CHECK_EQ(before - held, 4000);
	check_invariants();
	for (i = 0; i < 1000; i++)
		if (pages[i])
			__free_page(pages[i]);
	drain_all_pages(NULL);
	report("meminfo", &mi, NULL);
	after = meminfo_kb(&mi, "MemFree");
	CHECK_EQ(after, before);
	check_invariants();
	free(mi.text);
}

/* ---- buddyinfo ---- */

/* Parse "Node N, zone NAME c0 .. c10 "; false if it does not parse. */
static bool parse_buddyinfo(const char *line, int *nid, char *zone, unsigned long nr[11])
{
	int used = 0, o;
	const char *p;

	if (sscanf(line, "Node %d, zone %15s%n", nid, zone, &used) != 2)
		return false;
	p = line + used;
	for (o = 0; o < 11; o++) {
		int n = 0;

		if (sscanf(p, "%lu%n", &nr[o], &n) != 1)
			return false;
		p += n;
	}
	return !strcmp(p, " ");
}

static struct zone *zone_by_name(int nid, const char *name)
{
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		if (!strcmp(zone_names[z], name))
			return &NODE_DATA(nid)->node_zones[z];
	return NULL;
}

static void test_buddyinfo(void)
{
	struct lines ours = { 0 }, want = { 0 };
	int i, zones = 0;

	drain_all_pages(NULL);
	report("buddyinfo", &ours, NULL);
	sample("buddyinfo", &want);
	for (i = 0; i < ours.n; i++) {
		const char *a = ours.line[i];
		unsigned long nr[11], pages = 0;
		char name[16];
		struct zone *zone;
		int nid, o, j;

		CHECK_MATCH("^Node [0-9]+, zone +[A-Za-z0-9]+( +[0-9]+){11} $", a);
		CHECK(parse_buddyinfo(a, &nid, name, nr));
		zone = zone_by_name(nid, name);
		CHECK(zone != NULL);
		if (!zone)
			continue;
		zones++;
		CHECK(populated_zone(zone));
		/* Column for column the sample's line for the same zone. */
		for (j = 0; j < want.n; j++) {
			char sname[16];
			unsigned long snr[11];
			int snid;

			if (parse_buddyinfo(want.line[j], &snid, sname, snr) && !strcmp(sname, name))
				CHECK_EQ(strlen(a), strlen(want.line[j]));
		}
		CHECK_EQ(strncmp(a, "Node 0, zone ", 13), 0);
		CHECK_EQ(a[13 + 8], ' ');
		for (o = 0; o < 11; o++) {
			CHECK_EQ(nr[o], zone->free_area[o].nr_free);
			pages += nr[o] << o;
		}
		/* The counts are true: blocks x sizes is the zone's free memory. */
		CHECK_EQ(pages, zone_page_state(zone, NR_FREE_PAGES));
	}
	CHECK_EQ(zones, 2);	/* DMA and DMA32; Normal is empty on 512M */
	CHECK_STR_CONTAINS(ours.line[0], "Node 0, zone      DMA ");
	CHECK(ours.n > 1 && !strncmp(ours.line[1], "Node 0, zone    DMA32 ", 22));
	free(ours.text);
	free(want.text);
}

/* ---- pagetypeinfo ---- */

static void test_pagetypeinfo(void)
{
	struct lines ours = { 0 }, want = { 0 };
	unsigned long per_order[MAX_NR_ZONES][11] = { { 0 } };
	int i, free_lines = 0, block_lines = 0;

	drain_all_pages(NULL);
	report("pagetypeinfo", &ours, NULL);
	sample("pagetypeinfo", &want);
	CHECK(ours.n >= 4 && want.n >= 4);
	if (ours.n < 4 || want.n < 4)
		return;
	/* The headers, byte for byte. */
	CHECK_STR_CONTAINS(ours.line[0], "Page block order: 9");
	CHECK(!strcmp(ours.line[0], want.line[0]));
	CHECK(!strcmp(ours.line[1], want.line[1]));
	CHECK_EQ(ours.line[2][0], '\0');
	CHECK(!strcmp(ours.line[3], want.line[3]));

	for (i = 4; i < ours.n; i++) {
		const char *a = ours.line[i];
		char zname[16], tname[16];
		int nid, used = 0, o, mt, z;

		if (!strncmp(a, "Node    ", 8)) {
			const char *p;
			struct zone *zone;

			CHECK_MATCH("^Node +[0-9]+, zone +[A-Za-z0-9]+, type +[A-Za-z]+( +[0-9]+){11} $", a);
			CHECK_EQ(strlen(a), strlen(want.line[4]));
			CHECK(sscanf(a, "Node %d, zone %15[^,], type %15s%n", &nid, zname, tname, &used) == 3);
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				if (!strcmp(tname, migratetype_names[mt]))
					break;
			CHECK(mt < MIGRATE_TYPES);
			/* Types in the kernel's order, five per zone. */
			CHECK_EQ(mt, free_lines % MIGRATE_TYPES);
			zone = zone_by_name(nid, zname + strspn(zname, " "));
			CHECK(zone != NULL);
			z = zone ? zone_idx(zone) : 0;
			p = a + used;
			for (o = 0; o < 11; o++) {
				unsigned long v;
				int n = 0;

				CHECK(sscanf(p, "%lu%n", &v, &n) == 1);
				p += n;
				per_order[z][o] += v;
			}
			free_lines++;
		} else if (!strcmp(a, "")) {
			CHECK(i + 1 < ours.n && !strcmp(ours.line[i + 1], want.line[want.n - 3]));
		} else if (!strncmp(a, "Number of blocks type", 21)) {
			CHECK(!strcmp(a, want.line[want.n - 3]));
		} else {
			unsigned long blocks[MIGRATE_TYPES], total = 0;
			struct zone *zone;

			CHECK_MATCH("^Node [0-9]+, zone +[A-Za-z0-9]+( +[0-9]+){5} $", a);
			CHECK_EQ(strlen(a), strlen(want.line[want.n - 1]));
			CHECK(sscanf(a, "Node %d, zone %15s %lu %lu %lu %lu %lu", &nid, zname,
				     &blocks[0], &blocks[1], &blocks[2], &blocks[3], &blocks[4]) == 7);
			zone = zone_by_name(nid, zname);
			CHECK(zone != NULL);
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				total += blocks[mt];
			/* Every pageblock of the zone is counted once. */
			if (zone)
				CHECK_EQ(total, DIV_ROUND_UP(zone_end_pfn(zone), pageblock_nr_pages) -
						zone->zone_start_pfn / pageblock_nr_pages);
			block_lines++;
		}
	}
	CHECK_EQ(free_lines, 2 * MIGRATE_TYPES);
	CHECK_EQ(block_lines, 2);
	/* Summed over migratetypes, the free counts are buddyinfo's. */
	{
		int z, o;

		for (z = ZONE_DMA; z <= ZONE_DMA32; z++)
			for (o = 0; o < 11; o++)
				CHECK_EQ(per_order[z][o], NODE_DATA(0)->node_zones[z].free_area[o].nr_free);
	}
	free(ours.text);
	free(want.text);
}

/* ---- zoneinfo ---- */

/* A line's shape: each run of digits replaced by '#'. */
static void shape(const char *line, char *out, size_t size)
{
	size_t n = 0;

	while (*line && n + 1 < size) {
		if (*line >= '0' && *line <= '9') {
			out[n++] = '#';
			while (*line >= '0' && *line <= '9')
				line++;
		} else {
			out[n++] = *line++;
		}
	}
	out[n] = '\0';
}

static bool is_cpu_block_line(const char *s)
{
	return !strncmp(s, "    cpu: ", 9) || !strncmp(s, "              count: ", 21) ||
	       !strncmp(s, "              high: ", 20) ||
	       !strncmp(s, "              batch: ", 21) ||
	       !strncmp(s, "              high_min: ", 24) ||
	       !strncmp(s, "              high_max: ", 24) ||
	       !strncmp(s, "  vm stats threshold: ", 22);
}

/* The value after @key in @zone_lines [from, to); -1 if absent. */
static long zoneinfo_value(const struct lines *l, int from, int to, const char *key)
{
	size_t n = strlen(key);
	int i;

	for (i = from; i < to; i++) {
		const char *s = l->line[i] + strspn(l->line[i], " ");

		if (!strncmp(s, key, n) && s[n] == ' ')
			return strtol(s + n, NULL, 10);
	}
	return -1;
}

static void test_zoneinfo(void)
{
	struct lines ours = { 0 }, want = { 0 };
	char sa[256], sb[256], cpu_a[7][64], cpu_b[7][64];
	int i, j, cpu_lines = 0, zone_start[8], nzones = 0, ncpu_a = 0, ncpu_b = 0;

	drain_all_pages(NULL);
	report("zoneinfo", &ours, NULL);
	sample("zoneinfo", &want);

	/*
	 * Field order: line by line the sample's shapes, with the per-CPU
	 * blocks (one per CPU, so as many as this machine has) set aside.
	 */
	for (i = 0, j = 0; i < ours.n || j < want.n;) {
		if (i < ours.n && is_cpu_block_line(ours.line[i])) {
			if (!strncmp(ours.line[i], "    cpu: ", 9))
				cpu_lines++;
			if (ncpu_a < 7)
				shape(ours.line[i], cpu_a[ncpu_a++], sizeof(cpu_a[0]));
			i++;
			continue;
		}
		if (j < want.n && is_cpu_block_line(want.line[j])) {
			if (ncpu_b < 7)
				shape(want.line[j], cpu_b[ncpu_b++], sizeof(cpu_b[0]));
			j++;
			continue;
		}
		if (i >= ours.n || j >= want.n) {
			ktest_failures++;
			fprintf(stderr, "%s: zoneinfo has %d lines past the sample's end (%d past ours)\n",
				ktest_current, ours.n - i, want.n - j);
			break;
		}
		shape(ours.line[i], sa, sizeof(sa));
		shape(want.line[j], sb, sizeof(sb));
		if (strcmp(sa, sb)) {
			ktest_failures++;
			fprintf(stderr, "%s: zoneinfo line %d \"%s\", sample line %d \"%s\"\n",
				ktest_current, i + 1, ours.line[i], j + 1, want.line[j]);
			break;
		}
		if (!strncmp(ours.line[i], "Node ", 5) && nzones < 8)
			zone_start[nzones++] = i;
		i++;
		j++;
	}
	/* A per-CPU block has the sample's seven lines (v6.7+: high_min, high_max). */
	CHECK_EQ(ncpu_a, 7);
	CHECK_EQ(ncpu_b, 7);
	for (i = 0; i < ncpu_a && i < ncpu_b; i++)
		if (strcmp(cpu_a[i], cpu_b[i])) {
			ktest_failures++;
			fprintf(stderr, "%s: pageset line \"%s\", sample \"%s\"\n",
				ktest_current, cpu_a[i], cpu_b[i]);
		}
	/* Two populated zones, each with a block per CPU. */
	CHECK_EQ(cpu_lines, 2 * (int)nr_cpu_ids);
	CHECK_EQ(nzones, 4);	/* DMA, DMA32, Normal, Movable */

	/* The numbers are the zones'. */
	for (i = 0; i < nzones; i++) {
		int from = zone_start[i], to = i + 1 < nzones ? zone_start[i + 1] : ours.n;
		char name[16];
		struct zone *zone;
		int nid;

		CHECK(sscanf(ours.line[from], "Node %d, zone %15s", &nid, name) == 2);
		zone = zone_by_name(nid, name);
		CHECK(zone != NULL);
		if (!zone)
			continue;
		CHECK_EQ(zoneinfo_value(&ours, from, to, "pages free"), zone_page_state(zone, NR_FREE_PAGES));
		CHECK_EQ(zoneinfo_value(&ours, from, to, "min"), min_wmark_pages(zone));
		CHECK_EQ(zoneinfo_value(&ours, from, to, "low"), low_wmark_pages(zone));
		CHECK_EQ(zoneinfo_value(&ours, from, to, "high"), high_wmark_pages(zone));
		CHECK_EQ(zoneinfo_value(&ours, from, to, "spanned"), zone->spanned_pages);
		CHECK_EQ(zoneinfo_value(&ours, from, to, "present"), zone->present_pages);
		CHECK_EQ(zoneinfo_value(&ours, from, to, "managed"), zone_managed_pages(zone));
		if (populated_zone(zone)) {
			unsigned long pages = 0;
			int o;

			CHECK_EQ(zoneinfo_value(&ours, from, to, "nr_free_pages"),
				 zone_page_state(zone, NR_FREE_PAGES));
			CHECK_EQ(zoneinfo_value(&ours, from, to, "start_pfn:"), zone->zone_start_pfn);
			for (o = 0; o < 11; o++)
				pages += zone->free_area[o].nr_free << o;
			CHECK_EQ(zoneinfo_value(&ours, from, to, "pages free"), pages);
			/* v6.15+: the free pages in blocks of a pageblock (order 9) or more. */
			for (pages = 0, o = 9; o < 11; o++)
				pages += zone->free_area[o].nr_free << o;
			CHECK_EQ(zoneinfo_value(&ours, from, to, "nr_free_pages_blocks"), pages);
			CHECK_EQ(zoneinfo_value(&ours, from, to, "reserved_highatomic:"),
				 zone->nr_reserved_highatomic);
			CHECK_EQ(zoneinfo_value(&ours, from, to, "free_highatomic:"), 0);
		}
	}
	/* DMA protects itself against DMA32 allocations: protection[1] is lowmem_reserve. */
	{
		char want_prot[128];
		struct zone *dma = &NODE_DATA(0)->node_zones[ZONE_DMA];

		snprintf(want_prot, sizeof(want_prot), "        protection: (0, %ld, %ld, %ld)",
			 dma->lowmem_reserve[ZONE_DMA32], dma->lowmem_reserve[ZONE_NORMAL],
			 dma->lowmem_reserve[ZONE_MOVABLE]);
		for (i = 0; i < ours.n && strncmp(ours.line[i], "        protection:", 19); i++)
			;
		CHECK(i < ours.n && !strcmp(ours.line[i], want_prot));
	}
	free(ours.text);
	free(want.text);
}

/*
 * The pagesets' batch and high, as zone_batchsize() and zone_highsize()
 * compute them: batch = rounddown_pow_of_two(b + b/2) - 1 with
 * b = min(managed >> 10, 1 MiB of pages) / 4 (at least 1), high = the low
 * watermark split over the node's CPUs, at least 4 * batch; and zoneinfo
 * shows them.
 */
static void test_pageset_sizes(void)
{
	struct lines zi = { 0 };
	struct zone *zone;
	int i;

	report("zoneinfo", &zi, NULL);
	for_each_populated_zone(zone) {
		unsigned long b = min(zone_managed_pages(zone) >> 10, (1UL << 20) / PAGE_SIZE) / 4;
		unsigned long batch, high, p2 = 1;
		char want[64];
		int from = -1, to;

		if (b < 1)
			b = 1;
		while (p2 * 2 <= b + b / 2)
			p2 *= 2;
		batch = p2 - 1 < 1 ? 1 : p2 - 1;
		high = max(low_wmark_pages(zone) / nr_cpu_ids, batch * 4);
		CHECK_EQ(zone->per_cpu_pageset[0].batch, batch);
		CHECK_EQ(zone->per_cpu_pageset[0].high, high);

		snprintf(want, sizeof(want), "Node %d, zone %8s", zone->node, zone->name);
		for (i = 0; i < zi.n; i++)
			if (!strcmp(zi.line[i], want))
				from = i;
		CHECK(from >= 0);
		if (from < 0)
			continue;
		for (to = from + 1; to < zi.n && strncmp(zi.line[to], "Node ", 5); to++)
			;
		CHECK_EQ(zoneinfo_value(&zi, from, to, "high:"), high);
		CHECK_EQ(zoneinfo_value(&zi, from, to, "batch:"), batch);
		/* v6.7+: high_min is that high; high_max an eighth of the zone, split likewise. */
		CHECK_EQ(zoneinfo_value(&zi, from, to, "high_min:"), high);
		CHECK_EQ(zoneinfo_value(&zi, from, to, "high_max:"),
			 max(zone_managed_pages(zone) / 8 / nr_cpu_ids, batch * 4));
	}
	/* 512M: DMA32 has ~126000 pages, so batch 31, as on a 512M kernel. */
	CHECK_EQ(NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset[0].batch, 31);
	free(zi.text);
}

/* buddyinfo, zoneinfo and the counters agree with each other under load. */
static void test_reports_agree_under_load(void)
{
	static struct page *pages[3000];
	static unsigned int orders[3000];
	struct lines bi = { 0 }, zi = { 0 };
	unsigned int seed = 777;
	int i;

	for (i = 0; i < 3000; i++) {
		seed = seed * 1103515245 + 12345;
		orders[i] = (seed >> 16) % 5;
		pages[i] = alloc_pages(GFP_KERNEL | ((seed >> 8) & 1 ? __GFP_MOVABLE : 0), orders[i]);
		CHECK(pages[i] != NULL);
	}
	for (i = 0; i < 3000; i += 2) {
		__free_pages(pages[i], orders[i]);
		pages[i] = NULL;
	}
	drain_all_pages(NULL);
	report("buddyinfo", &bi, NULL);
	report("zoneinfo", &zi, NULL);
	for (i = 0; i < bi.n; i++) {
		unsigned long nr[11], pages_free = 0;
		char name[16];
		int nid, o;

		CHECK(parse_buddyinfo(bi.line[i], &nid, name, nr));
		for (o = 0; o < 11; o++)
			pages_free += nr[o] << o;
		for (o = 0; o < zi.n; o++) {
			char want[64];

			snprintf(want, sizeof(want), "Node %d, zone %8s", nid, name);
			if (!strcmp(zi.line[o], want))
				break;
		}
		CHECK(o < zi.n);
		CHECK_EQ(zoneinfo_value(&zi, o, zi.n, "pages free"), pages_free);
		CHECK_EQ(pages_free, zone_page_state(zone_by_name(nid, name), NR_FREE_PAGES));
	}
	check_invariants();
	for (i = 1; i < 3000; i += 2)
		__free_pages(pages[i], orders[i]);
	drain_all_pages(NULL);
	check_invariants();
	free(bi.text);
	free(zi.text);
}

static void test_show_errors(void)
{
	const char * const *names = ukmem_report_names();
	FILE *devnull = fopen("/dev/null", "w");
	int i, found = 0;

	CHECK_EQ(ukmem_show("nonexistent", devnull), -ENOENT);
	CHECK_EQ(ukmem_show("", devnull), -ENOENT);
	CHECK_EQ(ukmem_show(NULL, devnull), -ENOENT);
	CHECK_EQ(ukmem_show("meminfo", NULL), -EINVAL);
	for (i = 0; names[i]; i++) {
		found += !strcmp(names[i], "meminfo") + !strcmp(names[i], "buddyinfo") +
			 !strcmp(names[i], "pagetypeinfo") + !strcmp(names[i], "zoneinfo") +
			 !strcmp(names[i], "dmesg");
		CHECK_EQ(ukmem_show(names[i], devnull), 0);
	}
	CHECK_EQ(found, 5);
	fclose(devnull);
}

static void test_dmesg_report(void)
{
	struct lines d = { 0 };
	char *raw = NULL;

	report("dmesg", &d, &raw);
	CHECK(raw != NULL);
	if (raw) {
		CHECK_STR_CONTAINS(raw, "Memory: ");
		CHECK_STR_CONTAINS(raw, "Command line: mem=512M\n");
		CHECK_MATCH("^\\[ +[0-9]+\\.[0-9]{6}\\] Linux version ", d.line[0]);
	}
	free(raw);
	free(d.text);
}

/*
 * Two readers of vmallocinfo at once, nothing changing: each reads what
 * one reader alone does.  The report copied its entries through one
 * static batch, and concurrent reads mixed lines ("pages=19" for an area
 * of 35 pages), as with page_owner (tests/test_page_owner.c).
 */
static void test_concurrent_readers(void)
{
	void *v[24];
	int i;

	for (i = 0; i < 24; i++)
		v[i] = vmalloc((size_t)(i + 1) * PAGE_SIZE);
	CHECK_EQ(ktest_readers_differ("vmallocinfo", 2, 300), 0);
	for (i = 0; i < 24; i++)
		vfree(v[i]);
}

int main(int argc, char **argv)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (argc > 1 && !strcmp(argv[1], "--highmem-child"))
		return ukmem_boot("mem=2G highmem") || ukmem_show("meminfo", stdout) ? 1 : 0;
	if (ukmem_boot("mem=512M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_meminfo_shape), KTEST(test_meminfo_values),
		  KTEST(test_meminfo_highmem_directmap),
		  KTEST(test_meminfo_tracks_allocation), KTEST(test_buddyinfo),
		  KTEST(test_pagetypeinfo), KTEST(test_zoneinfo), KTEST(test_pageset_sizes),
		  KTEST(test_reports_agree_under_load), KTEST(test_show_errors),
		  KTEST(test_dmesg_report), KTEST(test_concurrent_readers));
}
